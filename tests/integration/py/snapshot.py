# SPDX-License-Identifier: MIT
# A read transaction's snapshot on both backends (docs/compatibility.md D11), in WAL mode:
# a deferred transaction that reads first sees one snapshot until it ends, and its first
# write fails with "database is locked" (SQLITE_BUSY_SNAPSHOT) when another connection has
# committed a change to what it writes since, so that a read-modify-write never loses that
# change.  A transaction that writes first waits for the lock and then works on fresh data.
# (Writes to rows the other did not change are refused by SQLite, allowed here: D11.)
# Last, four processes increment a counter by read-modify-write in deferred transactions,
# retrying on "database is locked": no increment may be lost.
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

signal.alarm(180)  # a wait that never ends fails the test instead of hanging it

DB = "snapshot.db"


def connect(timeout=0, **kw):
    return sqlite3.connect(DB, timeout=timeout, isolation_level=None,
                           check_same_thread=False, **kw)


def attempt(label, fn):
    try:
        fn()
        out = "ok"
    except sqlite3.Error as e:
        out = "%s: %s" % (type(e).__name__, e)
        code = getattr(e, "sqlite_errorcode", None)
        if code is not None:
            out += " (code %d)" % code
    print("%s: %s" % (label, out))


def counter(cx):
    return cx.execute("select n from c where id = 1").fetchone()[0]


if len(sys.argv) > 1:   # a worker process: read-modify-write, retried until it commits
    cx = connect(10)
    done = retries = 0
    while done < int(sys.argv[1]):
        try:
            cx.execute("begin")
            n = counter(cx)
            cx.execute("update c set n = ? where id = 1", (n + 1,))
            cx.execute("commit")
            done += 1
        except sqlite3.OperationalError as e:
            assert "database is locked" in str(e), e
            cx.execute("rollback")
            retries += 1
            time.sleep(0.001)
    sys.exit(0)

setup = connect()
print("journal:", setup.execute("pragma journal_mode=wal").fetchone()[0])
setup.execute("create table c(id integer primary key, n integer not null)")
setup.execute("create table r(id integer primary key, v text)")
setup.execute("insert into c values (1, 0), (2, 0)")
setup.close()

# -- a read-modify-write behind another connection's commit: no lost update --
a, b = connect(), connect()
a.execute("begin")
read = counter(a)
print("a read:", read)
attempt("b adds 10 (autocommit)", lambda: b.execute("update c set n = n + 10 where id = 1"))
attempt("a writes what it read + 1", lambda: a.execute("update c set n = ? where id = 1",
                                                       (read + 1,)))
print("a in transaction:", a.in_transaction)
print("a still reads its snapshot:", counter(a))
attempt("a rolls back", lambda: a.execute("rollback"))
print("n:", counter(b))

# -- the same for a DELETE of the row the other changed --
a.execute("begin")
print("a reads r:", a.execute("select count(*) from r").fetchone()[0])
attempt("b adds 10 again", lambda: b.execute("update c set n = n + 10 where id = 1"))
attempt("a deletes c 1", lambda: a.execute("delete from c where id = 1"))
attempt("a rolls back", lambda: a.execute("rollback"))
print("n:", counter(b))

# -- a read transaction sees one snapshot; after it ends, the news --
a.execute("begin")
print("a sees rows:", a.execute("select count(*) from r").fetchone()[0])
attempt("b inserts", lambda: b.execute("insert into r values (2, 'b')"))
print("a sees rows:", a.execute("select count(*) from r").fetchone()[0])
print("a sees max:", a.execute("select max(id) from r").fetchone()[0])
attempt("a commits", lambda: a.execute("commit"))
print("a then sees rows:", a.execute("select count(*) from r").fetchone()[0])

# -- a transaction that writes first waits for the lock, then sees the other's commit --
a.close()
a, b = connect(0), connect(10)
a.execute("begin immediate")
a.execute("update c set n = n + 1 where id = 1")
timer = threading.Timer(0.5, lambda: a.execute("commit"))
timer.start()
b.execute("begin")
attempt("b writes first, waiting for a", lambda: b.execute("update c set n = n + 100 where id = 1"))
print("b reads:", counter(b))
attempt("b commits", lambda: b.execute("commit"))
timer.join()
print("n:", counter(a))

# -- b read, a changed the row, b writes it from its read: refused --
b.execute("begin")
print("b reads c 2:", b.execute("select n from c where id = 2").fetchone()[0])
attempt("a updates c 2", lambda: a.execute("update c set n = n + 5 where id = 2"))
attempt("b updates c 2 from its read", lambda: b.execute("update c set n = 1 where id = 2"))
attempt("b rolls back", lambda: b.execute("rollback"))
print("c 2:", a.execute("select n from c where id = 2").fetchone()[0])
a.close()
b.close()

# -- four processes, read-modify-write in deferred transactions: nothing lost --
cx = connect()
cx.execute("update c set n = 0 where id = 1")
procs = [subprocess.Popen([sys.executable, __file__, "50"]) for _ in range(4)]
codes = [p.wait() for p in procs]
print("workers:", codes)
print("counter after 4 x 50 increments:", counter(cx))
cx.close()
