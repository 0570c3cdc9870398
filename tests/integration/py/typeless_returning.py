# D2 review: statements that ran on PostgreSQL before class columns existed must still run
# and give SQLite's columns: RETURNING * shows neither the class columns nor (T7) the hidden
# rowid, and reads typeless values in their classes; a CTE named like a table with a
# typeless column is the CTE; a compound INSERT source gets classes in each arm (of one
# PostgreSQL type: the server unifies the arms' types first).
import sqlite3

cx = sqlite3.connect("typeless_returning.db", isolation_level=None)
cx.execute("create table t(id integer primary key, v, w)")
cx.execute("create table h(a, b text)")   # hidden rowid and a typeless column


def show(label, sql, args=()):
    cur = cx.execute(sql, args)
    rows = cur.fetchall()
    names = [d[0] for d in cur.description] if cur.description else None
    print(label, names, [tuple((type(x).__name__, x) for x in r) for r in rows])


show("insert returning *", "insert into t(id, v, w) values (1, 8, 'a') returning *")
show("insert returning *, id", "insert into t(id, v) values (2, ?) returning *, id", (2.5,))
show("update returning *", "update t set w = x'01' where id = 2 returning *")
show("delete returning *", "delete from t where id = 1 returning *")
show("hidden rowid returning *", "insert into h values (3, 'x') returning *")
show("upsert returning *", "insert into t(id, v) values (2, 'z') "
     "on conflict(id) do update set v = excluded.v returning *")
show("cte named t", "with t as (select 1 as v) select v from t")
show("cte named h", "with h(a) as (select 'q') select a from h")
cx.execute("insert into t(id, v) values (5, 5) union select 6, 7.5")
cx.execute("insert into t(id, v) select 7, 7 union all values (8, 8.5)")
show("compound insert", "select id, v from t where id >= 5 order by id")

# a statement prepared (Python's statement cache keeps it) before the table is recreated
# with other types is rewritten again, as SQLite prepares it again: typeless to typed no
# longer asks for "v:class", typed to typeless reads the classes
for decl in ["v, w", "v text, w integer", "v, w", "v integer, w integer", "v, w"]:
    cx.execute("create table r(id integer primary key, " + decl + ")")
    cx.execute("insert into r(id, v, w) values (1, 5, 6)")
    show("reused " + decl, "select v, w from r where id = 1")
    show("reused * " + decl, "select * from r where id = 1")
    show("reused returning " + decl, "update r set v = 7 where id = 1 returning *")
    cx.execute("drop table r")
