# SPDX-License-Identifier: MIT
# SQLite's write lock on both backends (docs/compatibility.md D11): one connection writes a
# database at a time.  A deferred transaction takes the lock at its first write (Python's
# implicit BEGIN before DML), BEGIN IMMEDIATE at once, a write outside a transaction for its
# own duration; another connection's write then waits up to its busy timeout and fails with
# "database is locked", its transaction intact, and can try again once the lock is free.
# Readers are never blocked (WAL).  Two connections in one process, then two processes.
import os
import signal
import sqlite3
import subprocess
import sys
import time

signal.alarm(120)  # a wait that never ends fails the test instead of hanging it

DB = "locking.db"


def connect(timeout, **kw):
    cx = sqlite3.connect(DB, timeout=timeout, **kw)
    return cx


def attempt(label, fn, lo=None, hi=None):
    """Run fn; print its outcome and whether it took between lo and hi seconds."""
    t = time.monotonic()
    try:
        fn()
        out = "ok"
    except sqlite3.Error as e:
        out = "%s: %s" % (type(e).__name__, e)
    took = time.monotonic() - t
    timing = ""
    if lo is not None:
        timing = " (waited at least %.2f s: %s)" % (lo, took >= lo)
    if hi is not None:
        timing += " (within %.2f s: %s)" % (hi, took < hi)
    print("%s: %s%s" % (label, out, timing))


setup = connect(0, isolation_level=None)
print("journal:", setup.execute("pragma journal_mode=wal").fetchone()[0])
setup.execute("create table t(id integer primary key, v integer not null unique)")
setup.execute("insert into t values (1, 1)")
setup.close()

# -- timeout 0: the second writer fails at once; its transaction survives; it retries --
a, b = connect(0), connect(0)
a.execute("insert into t(v) values (10)")           # implicit BEGIN: a holds the lock
print("a in transaction:", a.in_transaction)
attempt("b insert, timeout 0", lambda: b.execute("insert into t(v) values (20)"), hi=2)
print("b in transaction after busy:", b.in_transaction)
attempt("b update, timeout 0", lambda: b.execute("update t set v = v + 100 where id = 1"))
attempt("a commits", a.commit)
attempt("b retries", lambda: b.execute("insert into t(v) values (20)"))
attempt("b commits", b.commit)
print("rows:", a.execute("select v from t order by v").fetchall())
a.close()
b.close()

# -- timeout N: the second writer waits about N, then fails --
a, b = connect(0.4), connect(0.4)
a.execute("update t set v = v + 1 where id = 1")
attempt("b delete, timeout 0.4", lambda: b.execute("delete from t where v = 20"), lo=0.35, hi=5)
# -- ROLLBACK releases --
attempt("a rolls back", a.rollback)
attempt("b delete after the rollback", lambda: b.execute("delete from t where v = 20"), hi=2)
attempt("b commits", b.commit)
print("rows:", a.execute("select v from t order by v").fetchall())
a.close()
b.close()

# -- a transaction that read first does not wait for the lock (SQLite: its snapshot would
# be stale once the writer commits), whatever its timeout; readers are never blocked --
a, b = connect(0), connect(3, isolation_level=None)
a.execute("insert into t(v) values (25)")
b.execute("begin")
print("b reads while a writes:", b.execute("select v from t order by v").fetchall())
attempt("b writes after reading, timeout 3", lambda: b.execute("insert into t(v) values (26)"),
        hi=1.5)
print("b in transaction:", b.in_transaction)
b.execute("rollback")
a.commit()
a.close()
b.close()

# -- a write outside a transaction, BEGIN IMMEDIATE, DDL: all need the lock --
a = connect(0)
b = connect(0, isolation_level=None)
a.execute("insert into t(v) values (30)")
attempt("b autocommit insert", lambda: b.execute("insert into t(v) values (31)"), hi=2)
attempt("b begin immediate, timeout 0", lambda: b.execute("begin immediate"), hi=2)
print("b in transaction after busy begin:", b.in_transaction)
attempt("b create table", lambda: b.execute("create table u(x)"), hi=2)
# what SQLite finds to be no change needs no lock: the start-up DDL of every process
attempt("b create table if not exists, it exists",
        lambda: b.execute("create table if not exists t(id integer primary key, v integer)"), hi=2)
attempt("b drop table if exists, there is none",
        lambda: b.execute("drop table if exists no_such_table"), hi=2)
b.execute("begin")
print("b deferred begin, reads:", b.execute("select count(*) from t").fetchone()[0])
attempt("b writes in it", lambda: b.execute("insert into t(v) values (32)"), hi=2)
b.execute("rollback")
a.commit()
attempt("b begin immediate once free", lambda: b.execute("begin immediate"))
attempt("a insert against b's immediate", lambda: a.execute("insert into t(v) values (33)"), hi=2)
print("a in transaction:", a.in_transaction)
b.execute("commit")
attempt("a retries", lambda: a.execute("insert into t(v) values (33)"))
a.commit()
a.close()
b.close()

# -- a first write that fails still holds the lock, as SQLite's RESERVED lock --
a, b = connect(0), connect(0)
attempt("a duplicate insert", lambda: a.execute("insert into t(v) values (1)"))
print("a in transaction:", a.in_transaction)
attempt("b insert", lambda: b.execute("insert into t(v) values (40)"), hi=2)
a.rollback()
b.rollback()

# -- ROLLBACK TO a savepoint taken before the first write: the lock is kept --
a = connect(0, isolation_level=None)
b = connect(0)
a.execute("begin")
a.execute("savepoint s1")
a.execute("insert into t(v) values (50)")
a.execute("rollback to s1")
attempt("b insert after a's rollback to", lambda: b.execute("insert into t(v) values (51)"),
        hi=2)
a.execute("release s1")
a.execute("commit")
attempt("b retries", lambda: b.execute("insert into t(v) values (51)"))
b.commit()
# a transaction begun by SAVEPOINT: the same
a.execute("savepoint s2")
a.execute("insert into t(v) values (52)")
attempt("b insert against a's savepoint", lambda: b.execute("insert into t(v) values (53)"),
        hi=2)
a.execute("rollback to s2")
attempt("b insert after rollback to", lambda: b.execute("insert into t(v) values (53)"), hi=2)
a.execute("release s2")
attempt("b retries", lambda: b.execute("insert into t(v) values (53)"))
b.commit()
a.close()
b.close()

# -- a statement prepared in an earlier transaction (LITESHIFT_PIPELINE=1 would send it
# without waiting): its first execution in a new transaction still takes the lock --
a, b = connect(0), connect(0)
for k in range(2):
    a.execute("update t set v = v + 1000 where id = 1")
    if k == 0:
        a.commit()
attempt("b insert against a's second transaction",
        lambda: b.execute("insert into t(v) values (70)"), hi=2)
a.commit()
attempt("b retries", lambda: b.execute("insert into t(v) values (70)"))
b.commit()
print("rows:", a.execute("select v from t order by v").fetchall())
a.close()
b.close()

# -- the busy side of the same: b's statement ran in an earlier transaction; its busy first
# write leaves the transaction intact (LITESHIFT_PIPELINE=1 once doomed it) and a retry works --
a, b = connect(0), connect(0)
b.execute("insert into t(v) values (?)", (80,))
b.commit()
a.execute("insert into t(v) values (?)", (81,))
attempt("b prepared insert against a", lambda: b.execute("insert into t(v) values (?)", (82,)),
        hi=2)
print("b in transaction:", b.in_transaction)
a.commit()
attempt("b retries the prepared insert", lambda: b.execute("insert into t(v) values (?)", (83,)))
attempt("b commits", b.commit)
print("rows:", a.execute("select v from t where v >= 80 order by v").fetchall())
a.close()
b.close()

# -- PRAGMA user_version and application_id = N are writes: they wait for the lock up to the
# busy timeout, then fail; in a deferred transaction they take it --
a = connect(0, isolation_level=None)
b, b2 = connect(0, isolation_level=None), connect(0.2, isolation_level=None)
print("user_version before:", b.execute("pragma user_version").fetchone()[0])
a.execute("begin immediate")


def busy_code(fn):
    try:
        fn()
        return "ok"
    except sqlite3.Error as e:
        return "%s %s" % (getattr(e, "sqlite_errorname", "?"), e)


print("b user_version = 7, timeout 0:", busy_code(lambda: b.execute("pragma user_version = 7")))
attempt("b user_version = 7, timeout 0", lambda: b.execute("pragma user_version = 7"), hi=2)
attempt("b user_version = 7, timeout 0.2", lambda: b2.execute("pragma user_version = 7"),
        lo=0.17, hi=5)
print("b application_id = 8, timeout 0.2:",
      busy_code(lambda: b2.execute("pragma application_id = 8")))
print("b reads user_version meanwhile:", b.execute("pragma user_version").fetchone()[0])
# reading it is a read: a transaction that did then does not wait for the lock to write
r = connect(3, isolation_level=None)
r.execute("begin")
print("r reads user_version in a transaction:", r.execute("pragma user_version").fetchone()[0])
attempt("r writes after it, timeout 3", lambda: r.execute("insert into t(v) values (89)"), hi=1.5)
r.execute("rollback")
r.close()
a.execute("pragma user_version = 3")
a.execute("commit")
print("user_version after a commits:", b.execute("pragma user_version").fetchone()[0])
attempt("b user_version = 7 once free", lambda: b.execute("pragma user_version = 7"))
print("user_version seen by a:", a.execute("pragma user_version").fetchone()[0])
b.execute("begin")
attempt("b application_id = 8 in a deferred transaction",
        lambda: b.execute("pragma application_id = 8"))
attempt("a insert against it", lambda: a.execute("insert into t(v) values (90)"), hi=2)
attempt("a user_version = 1 against it", lambda: a.execute("pragma user_version = 1"), hi=2)
b.execute("commit")
print("a reads:", a.execute("pragma user_version").fetchone()[0],
      a.execute("pragma application_id").fetchone()[0])
a.close()
b.close()
b2.close()

# -- a deferred transaction whose first statement sets user_version waits for the writer that
# holds the lock, then writes over its commit, as SQLite does (nothing read before it) --
import threading
a = connect(0, isolation_level=None, check_same_thread=False)
b = connect(5, isolation_level=None)
a.execute("begin immediate")
a.execute("pragma user_version = 11")
b.execute("begin")
timer = threading.Timer(0.3, lambda: a.execute("commit"))
timer.start()
attempt("b user_version = 12 behind a's commit, timeout 5",
        lambda: b.execute("pragma user_version = 12"), lo=0.2, hi=5)
timer.join()
attempt("b commits", lambda: b.execute("commit"))
print("user_version:", a.execute("pragma user_version").fetchone()[0])
a.close()
b.close()

# -- ANALYZE writes too (SQLite's sqlite_stat1) --
a, b = connect(0), connect(0.2, isolation_level=None)
a.execute("insert into t(v) values (91)")
attempt("b analyze, timeout 0.2", lambda: b.execute("analyze"), lo=0.17, hi=5)
a.rollback()
attempt("b analyze once free", lambda: b.execute("analyze"))
a.close()
b.close()

# -- two processes: a child holds the lock until told to commit --
child = r"""
import sqlite3, sys
cx = sqlite3.connect(sys.argv[1], timeout=0)
cx.execute("insert into t(v) values (60)")
print("holding", flush=True)
sys.stdin.readline()
cx.commit()
print("committed", flush=True)
"""
p = subprocess.Popen([sys.executable, "-c", child, DB], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, text=True)
print("child:", p.stdout.readline().strip())
b = connect(0)
attempt("parent insert, timeout 0", lambda: b.execute("insert into t(v) values (61)"), hi=2)
b.close()
b = connect(0.5)
attempt("parent insert, timeout 0.5", lambda: b.execute("insert into t(v) values (61)"),
        lo=0.45, hi=5)
p.stdin.write("go\n")
p.stdin.flush()
print("child:", p.stdout.readline().strip())
attempt("parent retries", lambda: b.execute("insert into t(v) values (61)"))
b.commit()
print("child exit:", p.wait())
print("rows:", b.execute("select v from t order by v").fetchall())
b.close()
