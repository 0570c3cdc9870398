# SPDX-License-Identifier: MIT
# Both backends: a write that reads a view through SQLite's "x IN view" form (no SELECT in
# its text) is not logged for replay: the view answers differently each time (second review).
import sqlite3
cx = sqlite3.connect("replay_in_view.db", isolation_level=None)
cx.execute("create table t(id integer primary key, r integer)")
cx.execute("create table u(y integer unique)")
cx.execute("create view v as select abs(random()) % 3 + 1 as id")
cx.execute("insert into t(r) values (0)")
cx.execute("insert into t(r) values (0)")
cx.execute("insert into t(r) values (0)")
read = "select group_concat(r) from (select r from t order by id)"
upd = "update t set r = r + 1 where id in v"
cx.execute(read).fetchone()
fails = ["insert into u(y) values (?) -- %d" % i for i in range(20)]
cx.execute("begin")
for i, q in enumerate(fails):
    cx.execute(q, (i,))               # takes the write lock; each text run once
cx.execute(upd)
kept = 0
for i, q in enumerate(fails):
    cx.execute(upd)                   # logged
    before = cx.execute(read).fetchone()[0]
    try:
        cx.execute(q, (i,))           # fails: a duplicate
    except sqlite3.IntegrityError as e:
        pass
    kept += cx.execute(read).fetchone()[0] == before
print("kept through the failed statement:", kept, "of", len(fails))
cx.execute("commit")
