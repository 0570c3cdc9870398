# Another connection makes a table again with other column types while this one keeps its
# statements prepared (Python's statement cache): SQLite re-prepares them (SQLITE_SCHEMA),
# and so must the shim, whose server statements typed their parameters against the old table.
import sqlite3

a = sqlite3.connect("ddl_other_conn.db", isolation_level=None)
b = sqlite3.connect("ddl_other_conn.db", isolation_level=None)


def attempt(label, cx, sql, args=()):
    try:
        rows = cx.execute(sql, args).fetchall()
        print(label, [tuple((type(x).__name__, x) for x in r) for r in rows])
    except sqlite3.Error as e:
        print(label, "error:", type(e).__name__, e)


a.execute("create table r(id integer primary key, v text)")
for kind in ("real", "integer", "text", "real"):
    attempt("insert", a, "insert into r(id, v) values (?, ?)", (1, 5))
    attempt("update", a, "update r set v = ? where id = ?", (7, 1))
    attempt("read", a, "select id, v from r where id = ?", (1,))
    b.execute("drop table r")
    b.execute("create table r(id integer primary key, v %s)" % kind)
attempt("insert at the end", a, "insert into r(id, v) values (?, ?)", (2, 8))
attempt("read at the end", a, "select id, v from r order by id")
