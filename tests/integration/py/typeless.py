# D2: a column declared without a type keeps each value's storage class: what is read back
# (Python type and value, typeof() on SQLite) must be what was written, whatever the backend.
import sqlite3

cx = sqlite3.connect("typeless.db", isolation_level=None)
cx.execute("create table t(id integer primary key, v, w default 7, s text)")


def show(label, sql, args=()):
    rows = cx.execute(sql, args).fetchall()
    print(label, [tuple((type(x).__name__, x) for x in r) for r in rows])


# literals of each class, then parameters of each class
cx.execute("insert into t(id, v) values (1, 5)")
cx.execute("insert into t(id, v) values (2, 2.5)")
cx.execute("insert into t(id, v) values (3, '5')")
cx.execute("insert into t(id, v) values (4, x'00ff41')")
cx.execute("insert into t(id, v) values (5, NULL)")
cx.execute("insert into t(id, v) values (6, -3)")
for i, val in enumerate([42, 0.1, "42", b"\x00\x01", None, -2**63, 1e300, "", b""], start=10):
    cx.execute("insert into t(id, v) values (?, ?)", (i, val))
cx.execute("insert into t(id, v, w) values (30, 1, 2), (31, 'a', 3.5)")
cx.execute("insert into t values (32, 9, 'w', 'text')")   # no column list
show("all", "select id, v, w from t order by id")
show("star", "select * from t order by id")
show("qualified", "select t.v, x.w as ww from t as x, t where x.id = t.id and t.id < 5 order by t.id")

# UPDATE: a literal, a parameter, another typeless column, an expression (unknown class)
cx.execute("update t set v = 6 where id = 1")
cx.execute("update t set v = ? where id = 2", (b"\x10",))
cx.execute("update t set v = w where id = 3")
cx.execute("update t set w = 'x', v = ? where id = 5", (3.25,))
show("updated", "select id, v, w from t where id <= 6 order by id")

# UPSERT and REPLACE keep the class of the value they write
cx.execute("insert into t(id, v) values (1, 'one') on conflict(id) do update set v = excluded.v")
cx.execute("insert into t(id, v) values (6, 77) on conflict(id) do update set v = excluded.v")
cx.execute("replace into t(id, v) values (10, 43.5)")
cx.execute("insert or replace into t(id, v) values (11, ?)", (11,))
show("upserted", "select id, v from t where id in (1, 6, 10, 11) order by id")

# a transaction's reads see the classes too (CPython's test_update_starts_transaction)
cx.execute("create table test(i)")
cx.execute("insert into test(i) values (5)")
cx.execute("begin")
cx.execute("update test set i = 6")
show("txn", "select i from test")
cx.execute("commit")
show("distinct", "select distinct v from t where id in (1, 3, 30) order by 1")
show("grouped", "select w, count(*) from t group by w order by 2, 1")

# comparisons with a number follow each value's class: a number compares as a number, text
# and blobs are greater than every number (no affinity on a column without a type)
for cond in ["v = 42", "v == 42", "42 = v", "v <> 42", "v != 1", "v > 10", "v >= 77",
             "10 < v", "v < 0", "v <= -3", "t.v = 43.5", "v = -3", "-3 = v", "v > 1e300",
             "not v = 6", "v = 42 or v = 77"]:
    show("where " + cond, "select id from t where " + cond + " order by id")
show("update where", "select changes() from (select 1)")
cx.execute("update t set w = 0 where v > 50")
show("after update where", "select id, w from t where w = 0 order by id")

# INSERT ... SELECT keeps the classes of typeless columns, literals and parameters (the
# rebuild-a-table recipe: create the new table, copy, drop the old one, rename)
cx.execute("create table t2(id integer primary key, v, w, n)")
cx.execute("insert into t2 select id, v, w, 5 from t where id < 20")
cx.execute("insert into t2(id, v, w, n) select id + 100, w, ?, 'x' from t where id in (1, 2)", (2.5,))
cx.execute("insert into t2 select * from t where id = 32")
cx.execute("insert into t2(id, v) select 200, v from t where id = 4 union all select 201, w from t where id = 3")
cx.execute("insert into t2(id, v) select min(id) + 300, v from t group by v having v = 77")
show("insert select", "select id, v, w, n from t2 order by id")

# a parameter written into a typeless column and used elsewhere too: a blob is text only there
cx.execute("insert into t(id, v, w) values (40, ?1, length(?1))", (b"abc",))
cx.execute("insert into t(id, v, w) values (41, ?1, hex(?1))", (b"\x00\x7f",))
cx.execute("update t set v = :b, s = hex(:b) where id = 5", {"b": b"\x01\x02"})
show("blob twice", "select id, v, w, s from t where id in (5, 40, 41) order by id")

# a blob compared with a typeless column (a key kept as bytes, a uuid say) finds its rows
cx.execute("insert into t(id, v) values (50, ?)", (b"\x9f\x00\xfe",))
for cond, args in [("v = ?", (b"\x9f\x00\xfe",)), ("? = v", (b"\x9f\x00\xfe",)),
                   ("v <> ? and id >= 50", (b"\x9f\x00\xfe",)), ("v = ?", (b"\x00\xffA",)),
                   ("v = ?1 or hex(?1) = ''", (b"\x9f\x00\xfe",))]:
    show("blob where " + cond, "select id from t where " + cond + " order by id", args)

# a parameter whose every use is a typeless column's value or comparand: itself, not a hidden
# copy for each use (which left it unused: "could not determine data type of parameter $1")
for cond, args in [("v = ?1 and v = ?1", (b"\x9f\x00\xfe",)), ("v = :k or :k = v", {"k": 77}),
                   ("v = @k and v = @k", {"k": "x"})]:
    show("twice where " + cond, "select id from t where " + cond + " order by id", args)
cx.execute("update t set v = ?1 where v = ?1", (b"\x9f\x00\xfe",))
cx.execute("insert into t(id, v, s) values (51, ?1, 'k') on conflict(id) do update set v = ?1",
           (b"\x07",))
show("twice set", "select id, v from t where id >= 50 order by id")
