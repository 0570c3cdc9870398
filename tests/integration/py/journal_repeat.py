# SPDX-License-Identifier: MIT
# Both backends: autocommit writes that the connection has run before, in SQLite's default
# journal mode (a rollback journal), against the two locks such a write needs
# (docs/compatibility.md D11): the write lock, held by another connection's write
# transaction, and the readers' lock, held by another connection's read transaction (a
# writer's commit needs every reader gone).  On PostgreSQL a statement run before takes both
# as its parameters are read (shim/pg_exec.c, bind_lock), not by lock statements of their
# own; this is what that must keep:
#   - while either lock is held, the write waits up to its busy timeout, then fails with
#     "database is locked" having changed nothing, and changes() is 0 (also for a write run
#     for the first time, whose lock is a statement);
#   - a write that waited for the holder runs after it ends, and sees what it committed.
import signal
import sqlite3
import time

from lstest import write_while_held

signal.alarm(120)  # a wait that never ends fails the test instead of hanging it

DB = "journal_repeat.db"


def connect(timeout):
    return sqlite3.connect(DB, timeout=timeout, isolation_level=None, check_same_thread=False)


a = connect(0.2)
print("journal mode:", a.execute("pragma journal_mode").fetchone()[0])
a.execute("create table t(id integer primary key, v integer)")
a.execute("insert into t(id, v) values (1, 10), (2, 20), (3, 30)")
b = connect(0.2)
writes = [
    ("update", "update t set v = v + 1 where id = ?", (1,)),
    ("insert", "insert into t(v) values (?)", (7,)),
    ("delete", "delete from t where id = ? and v < 0", (2,)),
]
for label, sql, args in writes:   # run before: the case above
    b.execute(sql, args)
    b.execute(sql, args)
print("after warm-up:", b.execute("select * from t order by id").fetchall())

holders = [
    ("a read transaction", ["begin", "select count(*) from t"]),
    ("a write transaction", ["begin immediate", "select count(*) from t"]),
]
firsts = ["delete from t where id = 1000", "update t set v = v where id > 1000"]
for n, (what, stmts) in enumerate(holders):
    b.execute("update t set v = v where id <= 3")   # changes() is 3 before each write
    for s in stmts:
        a.execute(s).fetchall()
    # one the connection has never run, then the writes run before
    for label, sql, args in [("first run", firsts[n], ())] + writes:
        t0 = time.monotonic()
        try:
            b.execute(sql, args)
            print(label, "during", what + ": ran")
        except sqlite3.OperationalError as e:
            waited = time.monotonic() - t0
            print(label, "during", what + ":", e, "| waited the busy timeout:",
                  0.15 < waited < 3, "| changes():", b.execute("select changes()").fetchone()[0])
    a.execute("commit")
    print("nothing changed:", b.execute("select * from t order by id").fetchall())

# A write that waits for the holder runs after it ends, and sees what it committed.
b2 = connect(10)
b2.execute("update t set v = v + 100 where id = ?", (0,))   # run before the wait
b2.execute("update t set v = v + 100 where id = ?", (0,))
for what, stmts in [("a read transaction", ["begin", "select count(*) from t"]),
                    ("a write transaction", ["begin immediate",
                                             "insert into t(id, v) values (50, 5)"])]:
    for s in stmts:
        a.execute(s).fetchall()
    changes, after = write_while_held(a, b2, "update t set v = v + 100 where id = ?", (50,))
    print("waited for", what, "-> changes", changes, "| after its end:", after)
print(b2.execute("select * from t order by id").fetchall())
