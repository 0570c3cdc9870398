# SPDX-License-Identifier: MIT
# A deferred BEGIN's statements stay in its transaction on both backends, under every
# setting that changes how a statement is sent (docs/compatibility.md D11): the shim sends a
# deferred BEGIN with the transaction's first statement, so any statement that reaches the
# server another way before it would run outside the transaction, autocommitted, and
# survive the ROLLBACK.  Each write below is prepared in an earlier transaction (Python
# caches it), which is what LITESHIFT_PIPELINE=1 sends without waiting.
import os
import sqlite3
import threading

DB = "deferred_begin.db"


def attempt(label, fn):
    try:
        r = fn()
        out = "ok" if r is None or isinstance(r, sqlite3.Cursor) else "ok %r" % (r,)
    except sqlite3.Error as e:
        out = "%s: %s" % (type(e).__name__, e)
    print("%s: %s" % (label, out))


setup = sqlite3.connect(DB, isolation_level=None)
setup.execute("create table t(id integer primary key, v text)")
setup.close()

for pipeline in ("0", "1"):
    for locking in ("sqlite", "row"):
        os.environ["LITESHIFT_PIPELINE"] = pipeline
        os.environ["LITESHIFT_LOCKING"] = locking
        mode = "pipeline=%s locking=%s" % (pipeline, locking)
        cx = sqlite3.connect(DB, isolation_level=None)
        cx.execute("delete from t")
        ins, upd, dele = ("insert into t(v) values (?)", "update t set v = ? where v = ?",
                          "delete from t where v = ?")
        # the statements run once in a committed transaction: prepared and described
        cx.execute("begin")
        cx.execute(ins, ("kept",))
        cx.execute(ins, ("x",))
        cx.execute(upd, ("y", "x"))
        cx.execute(dele, ("y",))
        cx.execute("commit")
        # the same statements first in new transactions, rolled back
        for label, sql, args in (("insert", ins, ("rolled back",)),
                                 ("update", upd, ("changed", "kept")),
                                 ("delete", dele, ("kept",))):
            cx.execute("begin")
            attempt("%s: %s in a deferred transaction" % (mode, label),
                    lambda: cx.execute(sql, args))
            attempt("%s: rollback" % mode, lambda: cx.execute("rollback"))
            print("%s: after %s and rollback:" % (mode, label),
                  cx.execute("select v from t order by id").fetchall())
        # and once more with a savepoint around it
        cx.execute("begin")
        cx.execute("savepoint s")
        attempt("%s: insert in a savepoint" % mode, lambda: cx.execute(ins, ("sp",)))
        cx.execute("release s")
        cx.execute("rollback")
        print("%s: after savepoint and rollback:" % mode,
              cx.execute("select v from t order by id").fetchall())
        cx.close()

# -- a deferred transaction's first write finds the write lock busy and fails; the app goes
# on in the transaction.  Its next read takes the snapshot (SQLite's read transaction), so a
# write computed from that read after another connection's commit fails with "database is
# locked" (SQLITE_BUSY_SNAPSHOT) instead of overwriting that commit.  The first write is an
# UPDATE, then PRAGMA user_version = N (the same lock, its own exchange) --
os.environ.pop("LITESHIFT_PIPELINE")
os.environ.pop("LITESHIFT_LOCKING")
wal = sqlite3.connect(DB, isolation_level=None)
print("journal:", wal.execute("pragma journal_mode=wal").fetchone()[0])
wal.execute("create table c(id integer primary key, n integer)")
wal.execute("insert into c values (1, 0)")
wal.close()
for first in ("update c set n = n where id = 1", "pragma user_version = 5"):
    a = sqlite3.connect(DB, timeout=0, isolation_level=None, check_same_thread=False)
    b = sqlite3.connect(DB, timeout=0, isolation_level=None, check_same_thread=False)
    b.execute("begin immediate")
    b.execute("update c set n = n + 100 where id = 1")
    a.execute("begin")
    attempt("a's first write against b's lock (%s)" % first, lambda: a.execute(first))
    print("a in transaction:", a.in_transaction)
    b.execute("commit")
    n = a.execute("select n from c where id = 1").fetchone()[0]
    print("a reads:", n)
    attempt("b adds 10", lambda: b.execute("update c set n = n + 10 where id = 1"))
    attempt("a writes what it read + 1",
            lambda: a.execute("update c set n = ? where id = 1", (n + 1,)))
    attempt("a commits", lambda: a.execute("commit"))
    print("n:", b.execute("select n from c where id = 1").fetchone()[0])
    a.close()
    b.close()

# -- an authorizer whose schema replica is rebuilt (after DDL) inside a deferred transaction,
# at the prepare of its first statement, a write: the shim's catalog read for it must not
# begin the transaction (at REPEATABLE READ, as for a read).  The write then waits for
# another connection's lock and, as in SQLite, goes on after that connection's commit to the
# same row instead of failing with SQLITE_BUSY_SNAPSHOT --
a = sqlite3.connect(DB, timeout=10, isolation_level=None, check_same_thread=False)
b = sqlite3.connect(DB, timeout=0, isolation_level=None, check_same_thread=False)
a.set_authorizer(lambda *args: sqlite3.SQLITE_OK)
a.execute("begin")
a.execute("commit")   # BEGIN and COMMIT prepared (cached by Python) before the DDL
a.execute("create table other(x)")
b.execute("begin immediate")
b.execute("update c set n = n + 100 where id = 1")
a.execute("begin")
timer = threading.Timer(0.3, lambda: b.execute("commit"))
timer.start()
attempt("a's first write, newly prepared, waits for b's lock",
        lambda: a.execute("update c set n = n + 1 where id = 1"))
timer.join()
attempt("a commits", lambda: a.execute("commit"))
print("n:", b.execute("select n from c where id = 1").fetchone()[0])
a.close()
b.close()

# -- LITESHIFT_PIPELINE=1: the first statement of a deferred transaction, with a blob bound,
# fails before it runs (the shim asks the server for its parameters' types outside the
# transaction, not begun yet).  It fails alone, as in SQLite: the transaction goes on and
# commits what follows --
os.environ["LITESHIFT_PIPELINE"] = "1"
cx = sqlite3.connect(DB, isolation_level=None)
cx.execute("create table bl(id integer primary key, d blob)")
cx.execute("begin")
attempt("a blob into a missing column, first in the transaction",
        lambda: cx.execute("insert into bl(nosuch) values (?)", (b"x",)))
attempt("an insert after it", lambda: cx.execute("insert into bl(d) values (?)", (b"y",)))
attempt("commit", lambda: cx.execute("commit"))
print("rows:", cx.execute("select d from bl").fetchall())
cx.close()
os.environ.pop("LITESHIFT_PIPELINE")
