# SPDX-License-Identifier: MIT
# SQLite's write lock and TEMP objects, and incremental blobs opened for writing, on both
# backends (docs/compatibility.md D11).  SQLite keeps TEMP objects in a database of the
# connection's own and writes it without the main database's lock: while another connection
# holds that lock, CREATE TEMP TABLE/VIEW/INDEX, INSERT/UPDATE/DELETE on a temp table
# (INSERT ... SELECT from a main table too), ALTER and DROP of temp objects all go through at
# once; a write to a main table still fails, also one named main.t behind a temp t, and one to
# a main table whose temp namesake a rolled-back transaction created.  A transaction whose only
# statements wrote temp tables has read nothing: its write to a main table waits for the lock
# like a first write.  sqlite3_blob_open for writing takes the lock, so a held lock fails the
# open ("database is locked"), not the first write; in a transaction the lock is then held.
import sqlite3
import signal
import threading
import time

signal.alarm(120)  # a wait that never ends fails the test instead of hanging it

DB = "temp_locking.db"


def attempt(label, fn, lo=None, hi=None):
    """Run fn; print its outcome and whether it took between lo and hi seconds."""
    t = time.monotonic()
    try:
        r = fn()
        out = "ok"
        if isinstance(r, sqlite3.Cursor):
            rows = r.fetchall()
            if rows:
                out = "ok %r" % (rows,)
    except sqlite3.Error as e:
        out = "%s: %s" % (type(e).__name__, e)
    took = time.monotonic() - t
    timing = ""
    if lo is not None:
        timing = " (waited at least %.2f s: %s)" % (lo, took >= lo)
    if hi is not None:
        timing += " (within %.2f s: %s)" % (hi, took < hi)
    print("%s: %s%s" % (label, out, timing))


setup = sqlite3.connect(DB, isolation_level=None)
print("journal:", setup.execute("pragma journal_mode=wal").fetchone()[0])
setup.execute("create table t(id integer primary key, v integer)")
setup.execute("insert into t values (1, 10), (2, 20)")
setup.execute("create table s(x integer)")
setup.execute("create table files(id integer primary key, data blob)")
setup.execute("insert into files values (1, zeroblob(8))")
setup.close()

# -- another connection holds the write lock: temp objects are written all the same --
a = sqlite3.connect(DB, timeout=0, isolation_level=None, check_same_thread=False)
b = sqlite3.connect(DB, timeout=0, isolation_level=None)
a.execute("begin immediate")
a.execute("insert into t values (3, 30)")
for sql in [
    "create temp table tt(x integer, y text)",
    "insert into tt(x) values (1)",
    "insert into tt(x) select v from t",
    "update tt set x = x + 1 where x > 1",
    "delete from tt where x = 21",
    "create index tti on tt(x)",
    "create temp view tv as select x from tt",
    "alter table tt add column z integer",
    "insert or replace into tt(x, y) values (5, 'five')",
    "select x, y from tt order by x",
    "drop view tv",
    "drop index tti",
    "create temp table tc as select id, v from t",
    "drop table tc",
    "insert into t values (4, 40)",         # main: the lock is a's
    "create table u(x)",                    # main DDL: the same
]:
    attempt("b, a holds the lock: " + sql, lambda: b.execute(sql), hi=2)

# a temp table named like a main one: t names the temp one, main.t the main one
attempt("b create temp table t", lambda: b.execute("create temp table t(id integer, v integer)"))
attempt("b insert into t (the temp one)", lambda: b.execute("insert into t values (7, 70)"), hi=2)
attempt("b insert into main.t", lambda: b.execute("insert into main.t values (8, 80)"), hi=2)
attempt("b update main.t", lambda: b.execute("update main.t set v = 0"), hi=2)
attempt("b select from t", lambda: b.execute("select id, v from t"))
attempt("b drop table t (the temp one)", lambda: b.execute("drop table t"), hi=2)
attempt("b insert into t (main again)", lambda: b.execute("insert into t values (9, 90)"), hi=2)

# a temp table that a rolled-back transaction created is gone: s names the main table again
b.execute("begin")
attempt("b in a transaction: create temp table s", lambda: b.execute("create temp table s(x)"))
attempt("b insert into s (the temp one)", lambda: b.execute("insert into s values (1)"), hi=2)
b.execute("rollback")
attempt("b insert into s after the rollback (main)",
        lambda: b.execute("insert into s values (2)"), hi=2)
b.execute("begin")
b.execute("savepoint sp")
attempt("b in a savepoint: create temp table s", lambda: b.execute("create temp table s(x)"))
attempt("b insert into s (the temp one)", lambda: b.execute("insert into s values (1)"), hi=2)
b.execute("rollback to sp")
attempt("b insert into s after rollback to (main)",
        lambda: b.execute("insert into s values (3)"), hi=2)
b.execute("rollback")

# a transaction that wrote only temp tables does not fail at once on a main write
attempt("b begin; insert into tt", lambda: (b.execute("begin"),
                                            b.execute("insert into tt(x) values (100)")))
b.execute("pragma busy_timeout = 400")
attempt("b then inserts into main t, timeout 0.4",
        lambda: b.execute("insert into t values (5, 50)"), lo=0.35, hi=5)
print("b in transaction:", b.in_transaction)
b.execute("rollback")
b.execute("pragma busy_timeout = 0")

# -- a blob opened for writing takes the lock at open --
attempt("b blob open for writing, a holds the lock",
        lambda: b.blobopen("files", "data", 1).close(), hi=2)
attempt("b blob open read-only", lambda: b.blobopen("files", "data", 1, readonly=True).close())
b.execute("begin")
attempt("b in a transaction: blob open for writing",
        lambda: b.blobopen("files", "data", 1).close(), hi=2)
print("b in transaction after busy open:", b.in_transaction)
b.execute("rollback")
a.execute("commit")

b.execute("begin")
blob = None


def open_blob():
    global blob
    blob = b.blobopen("files", "data", 1)


attempt("b in a transaction, lock free: blob open for writing", open_blob)
attempt("a insert while b's blob is open in b's transaction",
        lambda: a.execute("insert into t values (6, 60)"), hi=2)
attempt("b blob write", lambda: blob.write(b"abcd"))
blob.close()
b.execute("commit")
attempt("a insert after b commits", lambda: a.execute("insert into t values (6, 60)"))
print("blob:", a.execute("select hex(data) from files").fetchone()[0])

# a writer that waits for the lock gets it once the holder commits
a.execute("begin immediate")
timer = threading.Timer(0.3, lambda: a.execute("commit"))
timer.start()
b.execute("pragma busy_timeout = 5000")
attempt("b blob open for writing waits for a's commit",
        lambda: b.blobopen("files", "data", 1).close(), lo=0.2, hi=4)
timer.join()   # a's COMMIT has returned before a is used again (one thread at a time)
print("rows:", a.execute("select id, v from t order by id").fetchall())
print("s:", a.execute("select x from s order by x").fetchall())
a.close()
b.close()
