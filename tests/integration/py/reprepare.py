# SPDX-License-Identifier: MIT
# A statement prepared before the table changes shape runs again with the new shape (SQLite
# re-prepares transparently), inside and outside a transaction.
import sqlite3

cx = sqlite3.connect("reprepare.db", isolation_level=None)
cx.execute("create table t(a integer)")
cx.execute("insert into t values (1)")
q = "select * from t"
print(cx.execute(q).fetchall())
cx.execute("alter table t add column b text default 'x'")
cur = cx.execute(q)
print([d[0] for d in cur.description], cur.fetchall())
cx.execute("begin")
cx.execute("alter table t add column c integer")
cx.execute("insert into t(a, c) values (2, 3)")
cur = cx.execute(q)
print([d[0] for d in cur.description], cur.fetchall())
cx.execute("commit")
print(cx.execute("select count(*) from t").fetchone())
