# SPDX-License-Identifier: MIT
# Statement tracing (sqlite3_trace_v2 through Python's set_trace_callback) and
# sqlite3_expanded_sql: every statement, with its bound values as SQLite literals.
import sqlite3

traced = []
cx = sqlite3.connect("trace.db")
cx.set_trace_callback(traced.append)
cx.execute("create table t(a integer, b real, c text, d blob)")
with cx:
    cx.executemany("insert into t values (?, ?, ?, ?)",
                   [(1, 1.5, "it's", b"\x00\xff"), (None, 0.1, "plain", None),
                    (-9223372036854775808, 1e100, "", b"")])
cx.execute("select count(*) from t where c = :c or a = :a", {"c": "plain", "a": 7}).fetchall()
cx.execute("select ?5, ?1", (1, 2, 3, 4, "five")).fetchall()
cx.set_trace_callback(None)
cx.execute("select 1").fetchall()
for line in traced:
    print(line)
