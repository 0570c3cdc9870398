# SPDX-License-Identifier: MIT
# Both backends, also run with LITESHIFT_PIPELINE=1 by tests/integration/CMakeLists.txt when
# listed there: a multi-row upsert whose last row updated keeps last_insert_rowid() at the
# last row it inserted (second review: the pipelined path read only the last row).
import sqlite3
cx = sqlite3.connect("upsert_multi.db", isolation_level=None)
cx.execute("create table t(id integer primary key, k text unique, v int)")
cx.execute("insert into t(k, v) values ('a', 1)")
q = "insert into t(k, v) values (?, ?), (?, ?) on conflict(k) do update set v = v + excluded.v"
def idof(k): return cx.execute("select id from t where k = ?", (k,)).fetchone()[0]
cx.execute("begin")
for new in ["b", "c", "d", "e"]:
    cx.execute(q, (new, 1, "a", 1))
    cx.execute(q, (new + "2", 1, "a", 1))
    li = cx.execute("select last_insert_rowid()").fetchone()[0]
    print(new, li == idof(new + "2"))
cx.execute("commit")
