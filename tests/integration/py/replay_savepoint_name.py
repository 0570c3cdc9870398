# SPDX-License-Identifier: MIT
# An app's savepoint that bears the name of the shim's own (ls_base, pg_replay.c).  ROLLBACK TO
# it undoes everything since the app's SAVEPOINT, as in SQLite.  Failed on PostgreSQL with the
# replay log when the write lock was taken inside the savepoint: the shim's ls_base, opened
# after it and left open, was the innermost savepoint of that name, and the app's ROLLBACK TO
# went to it instead.
import sqlite3

cx = sqlite3.connect("replay_savepoint_name.db", isolation_level=None)
cx.execute("create table t(x integer)")
cx.execute("begin")
cx.execute("savepoint ls_base")
for v in (1, 2, 3):   # the first takes the write lock inside the savepoint
    cx.execute("insert into t(x) values (?)", (v,))
cx.execute("rollback to ls_base")
print(cx.execute("select x from t").fetchall())
cx.execute("commit")
print(cx.execute("select x from t").fetchall())
