# SPDX-License-Identifier: MIT
# Readers and writers at once, in both journal modes, on both backends (docs/compatibility.md
# D11): three writer processes insert 30 rows each (BEGIN IMMEDIATE, INSERT, COMMIT, the
# COMMIT tried again while readers keep the database), two reader processes each run 30 read
# transactions of two counts.  Nothing may hang, no row may be lost, and a read transaction's
# two counts must agree (SQLite: the SHARED lock keeps commits out, or the WAL snapshot; the
# shim: the readers' lock, or REPEATABLE READ).
import signal
import sqlite3
import subprocess
import sys
import time

signal.alarm(240)  # a wait that never ends fails the test instead of hanging it

DB = "journal_stress.db"


def connect():
    return sqlite3.connect(DB, timeout=10, isolation_level=None)


def retry(fn):
    while True:
        try:
            return fn()
        except sqlite3.OperationalError as e:
            assert "database is locked" in str(e), e
            time.sleep(0.002)


def writer(tag):
    cx = connect()
    for i in range(30):
        retry(lambda: cx.execute("begin immediate"))
        cx.execute("insert into t(w, i) values (?, ?)", (tag, i))
        retry(lambda: cx.execute("commit"))
    cx.close()


def reader():
    cx = connect()
    bad = 0
    for _ in range(30):
        def txn():
            cx.execute("begin")
            try:
                a = cx.execute("select count(*) from t").fetchone()[0]
                time.sleep(0.002)
                b = cx.execute("select count(*) from t").fetchone()[0]
            finally:
                cx.execute("rollback")
            return a == b
        bad += not retry(txn)
    cx.close()
    sys.exit(1 if bad else 0)


if len(sys.argv) > 1:
    writer(sys.argv[2]) if sys.argv[1] == "w" else reader()
    sys.exit(0)

for mode in ("delete", "wal"):
    s = connect()
    print("mode:", s.execute("pragma journal_mode=%s" % mode).fetchone()[0])
    s.execute("drop table if exists t")
    s.execute("create table t(id integer primary key, w text not null, i integer not null)")
    procs = [subprocess.Popen([sys.executable, __file__, "w", "w%d" % k]) for k in range(3)]
    procs += [subprocess.Popen([sys.executable, __file__, "r", "-"]) for _ in range(2)]
    print("exit codes:", [p.wait() for p in procs])
    print("rows:", s.execute("select count(*), count(distinct w || ':' || i) from t").fetchone())
    s.close()
