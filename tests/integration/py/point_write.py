# SPDX-License-Identifier: MIT
# Both backends: single-row writes outside a transaction in WAL mode (an INSERT of one VALUES
# row, an UPDATE or DELETE of one row by its rowid, an upsert) against SQLite's write lock
# (docs/compatibility.md D11).  What SQLite promises, and any cheaper way of taking the lock
# on PostgreSQL must keep (docs/benchmarks.md, "Point writes without a lock statement"):
#   - while another connection holds the write lock, such a write waits up to its busy
#     timeout and fails with "database is locked", having changed nothing;
#   - a write that waited for a transaction runs after it: it sees the rows that transaction
#     inserted, replaced or deleted (a lock taken after the statement's snapshot would miss
#     them: 0 changes);
#   - concurrent single-row writes from several processes lose no update.
import sqlite3
import subprocess
import sys
import time

from lstest import write_while_held

DB = "point_write.db"


def connect(timeout):
    return sqlite3.connect(DB, timeout=timeout, isolation_level=None, check_same_thread=False)


if len(sys.argv) > 1:   # a worker process: N increments and inserts, all point writes
    who, n = int(sys.argv[1]), int(sys.argv[2])
    cx = connect(30)
    for i in range(n):
        cx.execute("update counter set n = n + 1 where id = ?", (1 + i % 3,))
        cx.execute("insert into ledger(who, k) values (?, ?)", (who, i))
        if i % 10 == 0:
            cx.execute("delete from ledger where id = ?", (cx.execute(
                "select max(id) from ledger where who = ?", (who,)).fetchone()[0],))
            cx.execute("insert into ledger(who, k) values (?, ?)", (who, -i))
    sys.exit(0)

a = connect(0.2)
print("journal_mode:", a.execute("pragma journal_mode=wal").fetchone()[0])
a.execute("create table t(id integer primary key, v integer)")
a.execute("create table u(id integer primary key, name text unique, n integer)")
a.execute("insert into t(id, v) values (1, 1), (6, 60)")
b = connect(0.2)
writes = [
    ("update one row", "update t set v = v + 1 where id = ?", (1,)),
    ("insert one row", "insert into t(v) values (?)", (7,)),
    ("delete one row", "delete from t where id = ?", (1,)),
    ("upsert", "insert into u(name, n) values (?, 1) on conflict(name) do update set n = n + 1",
     ("x",)),
    ("update by rowid alias", "update t set v = 0 where rowid = ? and v > 0", (6,)),
]
# each runs once first, outside any other transaction, so that the busy case below is a
# statement the shim already prepared
for label, sql, args in writes:
    b.execute(sql, args)
print("after warm-up:", a.execute("select * from t order by id").fetchall(),
      a.execute("select * from u").fetchall())

a.execute("begin immediate")
a.execute("insert into t(id, v) values (20, 200)")
for label, sql, args in writes:
    t0 = time.monotonic()
    try:
        b.execute(sql, args)
        print(label, "while locked: ran")
    except sqlite3.OperationalError as e:
        waited = time.monotonic() - t0
        print(label, "while locked:", e, "| waited the busy timeout:", 0.15 < waited < 3)
a.execute("commit")
print("nothing changed by the refused writes:", b.execute("select * from t order by id").fetchall(),
      b.execute("select * from u").fetchall())

# A point write that waits for a transaction sees what it committed.
b2 = connect(10)
cases = [
    # what the transaction does, then the point write that waits for it
    (["insert into t(id, v) values (5, 50)"],
     "update t set v = v + 1 where id = ?", (5,)),
    (["delete from t where id = 6", "insert into t(id, v) values (6, 600)"],
     "update t set v = v + 1 where id = ?", (6,)),
    (["update t set v = -1 where id = 20"],
     "delete from t where id = ? and v = -1", (20,)),
    (["insert into u(name, n) values ('y', 10)"],
     "insert into u(name, n) values (?, 1) on conflict(name) do update set n = n + 1",
     ("y",)),
]
for pre, sql, args in cases:
    b2.execute(sql, (0,) if args[0] != "y" else ("z",))   # prepared before, outside the wait
    a.execute("begin immediate")
    for s in pre:
        a.execute(s)
    changes, after = write_while_held(a, b2, sql, args)
    print(pre, "then", sql.split(" where")[0][:40], "-> changes", changes,
          "| after the commit:", after)
print(b2.execute("select * from t order by id").fetchall(),
      b2.execute("select * from u order by id").fetchall())

# Several processes, only point writes: no update lost.
a.execute("create table counter(id integer primary key, n integer)")
a.execute("create table ledger(id integer primary key, who integer, k integer)")
a.execute("insert into counter(id, n) values (1, 0), (2, 0), (3, 0)")
procs = [subprocess.Popen([sys.executable, __file__, str(w), "150"]) for w in range(4)]
print("workers:", [p.wait() for p in procs])
print("counter:", a.execute("select id, n from counter order by id").fetchall())
print("ledger:", a.execute("select count(*), sum(k), count(distinct who) from ledger").fetchone())
