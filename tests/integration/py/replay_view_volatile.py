# SPDX-License-Identifier: MIT
# Statement rollback by the replay log (pg_replay.c) and a write that reads a view: the view's
# body may call random() (or anything else that answers differently each time), which the
# statement's own text does not show.  A failed statement must leave what the transaction
# wrote before it as it was.  Failed on PostgreSQL with the replay log: the UPDATE, logged as
# replayable because its text calls nothing, ran again after the failure and wrote another
# random value, silently (its change count was the same).
import sqlite3

cx = sqlite3.connect("replay_view_volatile.db", isolation_level=None)
cx.execute("create table t(id integer primary key, r integer)")
cx.execute("create table u(y integer unique)")
cx.execute("create view v as select abs(random()) % 1000000000 as r")
cx.execute("insert into t(r) values (0)")
read = "select r from t where id = 1"
cx.execute(read)
cx.execute("begin")
fails = ["insert into u(y) values (?) -- %d" % i for i in range(3)]
for i, q in enumerate(fails):
    cx.execute(q, (i,))               # takes the write lock; each run once
upd = "update t set r = (select r from v) where id = ?"
cx.execute(upd, (1,))
for i, q in enumerate(fails):
    cx.execute(upd, (1,))             # logged
    before = cx.execute(read).fetchone()[0]
    try:
        cx.execute(q, (i,))           # fails: a duplicate
    except sqlite3.IntegrityError as e:
        print("error:", e)
    print("value kept through the failed statement:", cx.execute(read).fetchone()[0] == before)
cx.execute("commit")
