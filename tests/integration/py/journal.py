# SPDX-License-Identifier: MIT
# The journal mode's locking on both backends (docs/compatibility.md D11).  In SQLite's
# default journal mode (DELETE, a rollback journal) a transaction that read holds the
# database against a writer's COMMIT: the COMMIT waits up to the busy timeout, then fails
# with "database is locked", its transaction still open, and succeeds once the reader is
# gone; a write outside any transaction fails the same way.  In WAL mode, which persists
# with the database, readers never block a writer.  Changing into or out of WAL inside a
# transaction is refused.
import signal
import sqlite3

from lstest import attempt
import threading
import time

signal.alarm(120)  # a wait that never ends fails the test instead of hanging it

DB = "journal.db"


def connect(timeout=0):
    return sqlite3.connect(DB, timeout=timeout, isolation_level=None,
                           check_same_thread=False)


def count(cx):
    return cx.execute("select count(*) from t").fetchone()[0]


s = connect()
print("journal mode:", s.execute("pragma journal_mode").fetchone()[0])
s.execute("create table t(x integer)")
s.execute("insert into t values (1)")

# -- the rollback journal: a reader keeps the database from a writer's COMMIT --
r, w = connect(), connect()
r.execute("begin")
print("r reads:", count(r))
attempt("w inserts outside a transaction", lambda: w.execute("insert into t values (2)") and None)
w.execute("begin")
attempt("w inserts in its transaction", lambda: w.execute("insert into t values (3)") and None)
attempt("w commits", lambda: w.execute("commit") and None)
print("w in transaction:", w.in_transaction)
print("r reads:", count(r))
attempt("r commits", lambda: r.execute("commit") and None)
attempt("w commits again", lambda: w.execute("commit") and None)
print("w in transaction:", w.in_transaction)
print("rows:", s.execute("select x from t order by x").fetchall())

# -- with a busy timeout, the COMMIT waits for the reader to finish --
w.close()
w = connect(10)
r.execute("begin")
print("r reads:", count(r))
w.execute("begin")
w.execute("insert into t values (4)")
timer = threading.Timer(0.4, lambda: r.execute("rollback"))
timer.start()
t0 = time.monotonic()
attempt("w commits, waiting for r", lambda: w.execute("commit") and None)
timer.join()
print("waited:", time.monotonic() - t0 >= 0.3)
print("rows:", s.execute("select x from t order by x").fetchall())

# -- a transaction that read no table holds nothing --
r.execute("begin")
r.execute("select 1").fetchall()
attempt("w inserts outside a transaction", lambda: w.execute("insert into t values (5)") and None)
r.execute("rollback")

# -- WAL: persists with the database; readers do not block writers --
w.close()
w = connect()
attempt("into WAL inside a transaction", lambda: (r.execute("begin"),
        r.execute("pragma journal_mode=wal").fetchone()[0])[1])
r.execute("rollback")
print("set WAL:", s.execute("pragma journal_mode=wal").fetchone()[0])
later = connect()
print("a later connection:", later.execute("pragma journal_mode").fetchone()[0])
r.close()
r = connect()
r.execute("begin")
print("r reads:", count(r))
attempt("w inserts outside a transaction", lambda: w.execute("insert into t values (6)") and None)
w.execute("begin")
w.execute("insert into t values (7)")
attempt("w commits", lambda: w.execute("commit") and None)
print("r still reads its snapshot:", count(r))
attempt("out of WAL inside a transaction", lambda: r.execute("pragma journal_mode=delete").fetchone()[0])
r.execute("commit")
print("r then reads:", count(r))
for cx in (r, w, later):     # leaving WAL needs the database to itself
    cx.close()
print("back to DELETE:", s.execute("pragma journal_mode=delete").fetchone()[0])
later = connect()
print("a later connection:", later.execute("pragma journal_mode").fetchone()[0])
print("rows:", s.execute("select x from t order by x").fetchall())
