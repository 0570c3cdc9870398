# SPDX-License-Identifier: MIT
# A statement prepared before another connection made its table again (other column types)
# runs in a transaction: SQLite prepares it again and it succeeds, the transaction going on.
# On PostgreSQL it fails first with datatype_mismatch (42804) and the shim prepares it again
# (pg_exec.c).  With the replay log, that failure rolls back to ls_base and runs the logged
# writes again; when that cannot be done (here: a row at rowid 0, whose rowid sequence cannot
# be pinned, see replay_rowid_nonpositive.py) the whole transaction is rolled back.  Failed on
# PostgreSQL: the 42804 retry then ran the statement again outside any transaction and
# reported success, the rollback's error lost; Python's commit() had nothing to commit, and
# the transaction's rows were silently gone.  Python's default (implicit BEGIN) mode.
import sqlite3

DB = "replay_retry_after_rollback.db"
a = sqlite3.connect(DB)
b = sqlite3.connect(DB, isolation_level=None)
a.execute("create table t(id integer primary key, x text)")
a.execute("create table u(id integer primary key, f integer)")
a.execute("insert into u(id, f) values (1, 0)")
upd = "update u set f = ? where id = ?"
a.execute(upd, (1, 1))     # prepared on the server, its parameters typed against u
a.commit()
b.execute("drop table u")  # another connection makes u again, f now boolean
b.execute("create table u(id integer primary key, f boolean)")
b.execute("insert into u(id, f) values (1, 0)")
ins = "insert into t(id, x) values (?, ?)"
a.execute(ins, (5, "a"))   # takes the write lock
a.execute(ins, (0, "b"))   # logged, rowid 0
try:
    a.execute(upd, (1, 1))
    print("update: ok")
except sqlite3.Error as e:
    print("update:", type(e).__name__, e)
print("in transaction:", a.in_transaction)
a.commit()
print(a.execute("select id, x from t order by id").fetchall())
print(a.execute("select id, f from u").fetchall())
