# SPDX-License-Identifier: MIT
# last_insert_rowid(), changes() and total_changes() inside SQL (DIALECT F15), where a
# transcript cannot go: one prepared statement executed many times (Python's statement cache
# reuses it, so each execution must see the values of that moment), the app's parameter
# count (Python checks it against the bindings: the hidden parameters must not show), and
# pipelined writes (LITESHIFT_PIPELINE=1, read at open) that the next statement depends on.
# Not here: a statement still returning rows after another one changed the values (SQLite
# reads them row by row, the shim once when the statement starts: docs/compat-functions.md).
import os
import sqlite3

cx = sqlite3.connect("state.db", isolation_level=None)
cx.execute("create table t(id integer primary key, a text, prev integer, ch integer, tot integer)")

# the same statement, re-executed: each row records the previous row's id and the counts
ins = "insert into t(a, prev, ch, tot) values (?, last_insert_rowid(), changes(), total_changes())"
cx.executemany(ins, [("a",), ("b",), ("c",)])
for k in range(3):
    cx.execute(ins, ("d%d" % k,))
cx.execute("update t set a = upper(a) where id % 2 = 0")
cx.execute(ins, ("after update",))
for row in cx.execute("select id, a, prev, ch, tot from t order by id"):
    print(row)

# the app's parameters only: one binding, named parameters keep their names
try:
    print(cx.execute("select ? + last_insert_rowid()", (1,)).fetchone())
    print(cx.execute("select :x * 10 + changes(), :y + 0", {"x": 1, "y": 2}).fetchone())
    cx.execute("select ? + changes()", (1, 2))
except sqlite3.ProgrammingError as e:
    print("bindings:", e)

# pipelined writes inside a transaction: the statement reading the counts waits for them
os.environ["LITESHIFT_PIPELINE"] = "1"
px = sqlite3.connect("state.db", isolation_level=None)
px.execute("begin")
for k in range(5):
    px.execute("insert into t(a) values (?)", ("p%d" % k,))
px.execute("update t set ch = 0 where a like 'p%'")
px.execute("insert into t(a, prev, ch, tot) values ('reader', last_insert_rowid(), changes(), total_changes())")
print(px.execute("select id, prev, ch, tot from t where a = 'reader'").fetchone())
for k in range(3):
    px.execute("insert into t(a, prev) values (?, last_insert_rowid())", ("q%d" % k,))
px.execute("commit")
print(px.execute("select a, prev from t where a like 'q%' order by id").fetchall())
print(px.total_changes, px.execute("select total_changes()").fetchone())
