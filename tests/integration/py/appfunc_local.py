# SPDX-License-Identifier: MIT
# App-defined functions in statements that read no table: on PostgreSQL they run in the app
# (docs/compatibility.md D3), on the connection's private SQLite, so every result below must
# be SQLite's own: each type returned, bound parameters of each type (named and numbered),
# an exception in the function, aggregates and window functions over VALUES, a collation,
# column names and declared types.  A statement that also reads a table stays refused on
# PostgreSQL with the clear message (and runs on SQLite): both print the same verdict line.
import os
import sqlite3

ON_PG = os.environ.get("USE_POSTGRES") == "1"

def attempt(what, fn):
    try:
        print(what, "->", repr(fn()))
    except Exception as e:
        print(what, "->", type(e).__name__, e)

cx = sqlite3.connect("local.db")
calls = []
def record(*args):
    calls.append(tuple((type(a).__name__, a) for a in args))
    return len(args)
cx.create_function("rec", -1, record)
cx.create_function("ret", 1, lambda kind: {
    "int": 42, "big": 2**62 + 1, "neg": -7, "float": 2.5, "text": "héllo",
    "nul": "a\x00b", "blob": b"\x00\x01\xff", "empty": b"", "none": None,
    "true": True}[kind])
cx.create_function("boom", 0, lambda: 1 / 0)
cx.create_function("toolarge", 0, lambda: 2**70)

for kind in ["int", "big", "neg", "float", "text", "nul", "blob", "empty", "none", "true"]:
    attempt("ret " + kind, lambda: cx.execute("select ret(?), typeof(ret(?))",
                                              (kind, kind)).fetchall())
attempt("literal args", lambda: cx.execute("select ret('int') + 1, upper(ret('text'))").fetchall())
attempt("params", lambda: cx.execute("select rec(?, ?, ?, ?, ?, ?)",
                                     (1, 2.25, "x\x00y", b"\x07", None, 2**63 - 1)).fetchall())
attempt("named params", lambda: cx.execute("select rec(:b, :a, :b)", {"a": 1, "b": "two"}).fetchall())
attempt("numbered params", lambda: cx.execute("select rec(?2, ?1)", ("one", 2)).fetchall())
print("the function saw:", calls)
attempt("raises", lambda: cx.execute("select boom()").fetchall())
attempt("too large", lambda: cx.execute("select toolarge()").fetchall())
attempt("wrong arg count", lambda: cx.execute("select ret(1, 2)").fetchall())
attempt("in a where clause", lambda: cx.execute("select 1 where ret('int') = 42").fetchall())
attempt("values subquery",
        lambda: cx.execute("select ret(column1) from (values ('int'), ('text'))").fetchall())
attempt("cte", lambda: cx.execute(
    "with recursive n(i) as (select 1 union all select i + 1 from n where i < 4) "
    "select group_concat(rec(i, i)) from n").fetchall())

class Sum:
    def __init__(self):
        self.n = 0
    def step(self, x):
        self.n += x
    def finalize(self):
        return self.n
cx.create_aggregate("mysum", 1, Sum)
attempt("aggregate over values",
        lambda: cx.execute("select mysum(column1) from (values (1), (2), (39))").fetchall())

class WinSum(Sum):
    def value(self):
        return self.n
    def inverse(self, x):
        self.n -= x
cx.create_window_function("winsum", 1, WinSum)
attempt("window over values", lambda: cx.execute(
    "select column1, winsum(column1) over (order by column1 rows between 1 preceding and current row) "
    "from (values (1), (2), (3), (4)) order by column1").fetchall())

cx.create_collation("rev", lambda a, b: (a < b) - (a > b))
attempt("collation", lambda: cx.execute(
    "select column1 from (values ('a'), ('c'), ('b')) order by column1 collate rev").fetchall())

cur = cx.execute("select ret('int') as answer, rec() , ret('text') || 'x'")
print("description:", [d[0] for d in cur.description], cur.fetchall())

# stepping through rows, resetting, re-executing with other parameters
cur = cx.execute("select rec(column1) from (values (1), (2), (3))")
print("first row:", cur.fetchone())
print("again:", cx.execute("select ret(?)", ("float",)).fetchall(), cx.execute("select ret(?)", ("none",)).fetchall())
print("rest:", cur.fetchall())

# redefining a function, deleting it
cx.create_function("ret", 1, lambda kind: "redefined " + kind)
attempt("redefined", lambda: cx.execute("select ret('x')").fetchall())
cx.create_function("ret", 1, None)
attempt("deleted", lambda: cx.execute("select ret('x')").fetchall())

# inside a transaction, between writes: the statement does not disturb it
cx.execute("create table t(x integer)")
cx.execute("begin")
cx.execute("insert into t values (1)")
attempt("in a transaction", lambda: cx.execute("select rec(1, 2)").fetchall())
cx.execute("insert into t values (2)")
cx.execute("rollback")
print("after rollback:", cx.execute("select count(*) from t").fetchall())

# a statement that reads a table and calls an app function: SQLite runs it; PostgreSQL
# refuses it with the clear message (the function cannot run on the server)
cx.execute("insert into t values (5)")
try:
    rows = cx.execute("select rec(x) from t").fetchall()
    verdict = "as expected" if not ON_PG and rows == [(1,)] else "UNEXPECTED rows %r" % (rows,)
except sqlite3.OperationalError as e:
    ok = ON_PG and "no such function: rec (app-defined functions run in the app" in str(e)
    verdict = "as expected" if ok else "UNEXPECTED error %s" % e
print("table and app function:", verdict)
try:
    rows = cx.execute("select x from t order by x collate rev").fetchall()
    verdict = "as expected" if not ON_PG and rows == [(5,)] else "UNEXPECTED rows %r" % (rows,)
except sqlite3.OperationalError as e:
    ok = ON_PG and "no such collation sequence: rev (app-defined collations run in the app" in str(e)
    verdict = "as expected" if ok else "UNEXPECTED error %s" % e
print("table and app collation:", verdict)
attempt("unknown collation", lambda: cx.execute("select 'a' = 'b' collate nosuch").fetchall())

# a statement evaluated in the app, then refused before it could run: the app's authorizer
# and a lowered argument limit (the private statement is freed with it: asan_py.sh)
cx.set_authorizer(lambda *a: sqlite3.SQLITE_DENY)
attempt("app collation, authorizer denies",
        lambda: cx.execute("select 'a' < 'b' collate rev").fetchall())
attempt("app function, authorizer denies", lambda: cx.execute("select rec(3, 4)").fetchall())
cx.set_authorizer(None)
cx.setlimit(sqlite3.SQLITE_LIMIT_FUNCTION_ARG, 1)
attempt("app collation, too many arguments",
        lambda: cx.execute("select 'a' < 'b' collate rev, max(1, 2)").fetchall())
cx.setlimit(sqlite3.SQLITE_LIMIT_FUNCTION_ARG, 100)
attempt("app collation after", lambda: cx.execute("select 'a' < 'b' collate rev").fetchall())

# named parameters of a statement only SQLite compiles (an app collation), run again after
# another statement compiled in the app expired it: the names outlive its re-preparation
q = "select :lo < :hi collate rev, :hi"
for k in range(3):
    attempt("named, run %d" % k, lambda: cx.execute(q, {"lo": "x", "hi": "y%d" % k}).fetchall())
    attempt("another, run %d" % k, lambda: cx.execute("select rec(%d)" % (10 + k)).fetchall())
cx.close()
