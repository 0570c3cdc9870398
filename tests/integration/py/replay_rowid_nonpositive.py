# SPDX-License-Identifier: MIT
# Statement rollback by the replay log (pg_replay.c) with rows inserted at rowid 0 or below:
# SQLite takes any 64-bit rowid, and a failed statement later in the transaction undoes only
# itself.  Failed on PostgreSQL with the replay log: running the writes again pins the
# rowid sequence to each INSERT's rowid with setval(seq, rowid, false), which PostgreSQL
# refuses below the sequence's minimum (1), so the whole transaction was rolled back
# ("its rowid sequence could not be pinned").
import sqlite3

from lstest import attempt

cx = sqlite3.connect("replay_rowid_nonpositive.db", isolation_level=None)
cx.execute("create table t(id integer primary key, x text unique)")


ins = "insert into t(id, x) values (?, ?)"
cx.execute("begin")
for i, x in ((5, "a"), (0, "b"), (-3, "c")):   # the first takes the lock, the others are logged
    cx.execute(ins, (i, x))
attempt("duplicate", lambda: cx.execute(ins, (7, "a")) and None)
print("in transaction:", cx.in_transaction)
attempt("insert after", lambda: cx.execute(ins, (9, "d")) and None)
attempt("commit", lambda: cx.execute("commit") and None)
print(cx.execute("select id, x from t order by id").fetchall())
