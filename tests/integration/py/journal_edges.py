# SPDX-License-Identifier: MIT
# Edges of the rollback journal's locking (docs/compatibility.md D11), on both backends:
# the readers' lock held through a ROLLBACK TO and a failed statement, a RELEASE of the
# savepoint that began a transaction retried after the readers made its COMMIT busy, a
# COMMIT interrupted while it waits for a reader (SQLite goes on waiting and fails with
# SQLITE_BUSY, PostgreSQL with SQLITE_INTERRUPT: only the error's class is printed; the
# transaction stays open and usable on both), a transaction whose first read failed to
# compile or found a writer committing (SQLite: it has not read, its next read sees that
# commit, its write waits for the lock), and leaving WAL for MEMORY or OFF, which
# SQLite records in the file.
import signal
import sqlite3

from lstest import attempt
import threading
import time

signal.alarm(120)  # a wait that never ends fails the test instead of hanging it

DB = "journal_edges.db"


def connect(timeout=0):
    return sqlite3.connect(DB, timeout=timeout, isolation_level=None,
                           check_same_thread=False)


def run(cx, sql):
    return lambda: cx.execute(sql).fetchall() or None


s = connect()
s.execute("create table t(x integer)")
s.execute("insert into t values (1)")
r, w = connect(), connect()

# -- a reader's ROLLBACK TO a savepoint opened before its read keeps the database --
r.execute("begin")
r.execute("savepoint a")
print("r reads:", r.execute("select count(*) from t").fetchone()[0])
r.execute("rollback to a")
w.execute("begin")
w.execute("insert into t values (2)")
attempt("w commits after r's rollback to", run(w, "commit"))
print("w in transaction:", w.in_transaction)
r.execute("rollback")
attempt("w commits once r is gone", run(w, "commit"))

# -- a read that fails still began the read transaction --
r.execute("begin")
attempt("r's read fails", run(r, "select x from t where abs(-9223372036854775807 - x) > 0"))
w.execute("begin")
w.execute("insert into t values (3)")
attempt("w commits after r's failed read", run(w, "commit"))
r.execute("rollback")
attempt("w commits once r is gone", run(w, "commit"))

# -- RELEASE of the savepoint that began the transaction, busy on a reader, then again --
r.execute("begin")
print("r reads:", r.execute("select count(*) from t").fetchone()[0])
w.execute("savepoint s")
w.execute("insert into t values (4)")
attempt("w releases s", run(w, "release s"))
print("w in transaction:", w.in_transaction)
r.execute("commit")
attempt("w releases s again", run(w, "release s"))
print("w in transaction:", w.in_transaction)
print("rows:", s.execute("select x from t order by x").fetchall())

# -- the same, undone with ROLLBACK TO after the busy RELEASE --
r.execute("begin")
print("r reads:", r.execute("select count(*) from t").fetchone()[0])
w.execute("savepoint s")
w.execute("insert into t values (5)")
attempt("w releases s", run(w, "release s"))
attempt("w rolls back to s", run(w, "rollback to s"))
r.execute("commit")
attempt("w releases s", run(w, "release s"))
print("w in transaction:", w.in_transaction)
print("rows:", s.execute("select x from t order by x").fetchall())

# -- a COMMIT waiting for a reader, interrupted: the transaction stays, usable --
w.close()
w = sqlite3.connect(DB, timeout=1.0, isolation_level=None, check_same_thread=False)
r.execute("begin")
print("r reads:", r.execute("select count(*) from t").fetchone()[0])
w.execute("begin")
w.execute("insert into t values (6)")
timer = threading.Timer(0.3, w.interrupt)
timer.start()
try:
    w.execute("commit")
    print("w commits: ok")
except sqlite3.Error as e:
    print("w commits:", type(e).__name__)
timer.join()
print("w in transaction:", w.in_transaction)
attempt("w reads", lambda: w.execute("select count(*) from t").fetchone()[0])
r.execute("rollback")
attempt("w commits once r is gone", run(w, "commit"))
print("w in transaction:", w.in_transaction)
attempt("w inserts", run(w, "insert into t values (7)"))
print("rows:", s.execute("select x from t order by x").fetchall())

# -- a first read that does not compile has not begun the read transaction --
a, b = connect(), connect(5)
a.execute("begin immediate")
a.execute("insert into t values (8)")
b.execute("begin")
attempt("b reads a table that does not exist", run(b, "select * from nosuch"))
timer = threading.Timer(0.3, lambda: a.execute("rollback"))
timer.start()
attempt("b inserts, waiting for a", run(b, "insert into t values (9)"))
timer.join()
b.execute("rollback")

# -- a first read that finds a writer committing (waiting for a reader) reads after it --
r1, r2 = connect(), connect()
w.close()
w = sqlite3.connect(DB, timeout=3, isolation_level=None, check_same_thread=False)
r1.execute("begin")
print("r1 reads:", r1.execute("select count(*) from t").fetchone()[0])
w.execute("begin")
w.execute("insert into t values (10)")
done = []
th = threading.Thread(target=lambda: done.append(attempt("w commits, waiting", run(w, "commit"))))
th.start()
time.sleep(0.4)
r2.execute("begin")
attempt("r2 reads while w commits", lambda: r2.execute("select count(*) from t").fetchone()[0])
r1.execute("rollback")
th.join()
attempt("r2 reads after", lambda: r2.execute("select count(*) from t").fetchone()[0])
r2.execute("commit")
for cx in (a, b, r1, r2):
    cx.close()

# -- WAL left for MEMORY or OFF: the database is no longer in WAL --
for cx in (r, w):
    cx.close()
for mode in ("memory", "off"):
    print("set WAL:", s.execute("pragma journal_mode=wal").fetchone()[0])
    print("set %s:" % mode, s.execute("pragma journal_mode=%s" % mode).fetchone()[0])
    later = connect()
    print("a later connection:", later.execute("pragma journal_mode").fetchone()[0])
    later.close()

# -- a read-only connection cannot set WAL; an in-memory database is MEMORY or OFF --
s.execute("pragma journal_mode=delete")
ro = sqlite3.connect("file:%s?mode=ro" % DB, uri=True, isolation_level=None)
for sql in ("pragma journal_mode", "pragma journal_mode=wal", "pragma journal_mode"):
    attempt("read-only " + sql, lambda: ro.execute(sql).fetchone()[0])
ro.close()
m = sqlite3.connect(":memory:", isolation_level=None)
for sql in ("pragma journal_mode", "pragma journal_mode=wal", "pragma journal_mode=delete",
            "pragma journal_mode=off", "pragma journal_mode", "pragma journal_mode=persist",
            "pragma journal_mode=memory"):
    attempt(":memory: " + sql, lambda: m.execute(sql).fetchone()[0])
