# A table dropped and made again with other column types: the statements the app keeps
# prepared (Python's statement cache) and the ones it prepares again with the same text must
# follow the new table, as SQLite re-prepares them.  PostgreSQL typed their parameters
# against the old table (text for a column now real), so the shim prepares them again.
import sqlite3

cx = sqlite3.connect("ddl_reprepare.db", isolation_level=None)


def attempt(label, sql, args=()):
    try:
        rows = cx.execute(sql, args).fetchall()
        print(label, [tuple((type(x).__name__, x) for x in r) for r in rows])
    except sqlite3.Error as e:
        print(label, "error:", type(e).__name__, e)


for kinds in (("text", "integer"), ("real", "text"), ("integer", "real"), ("", "text"), ("text", "")):
    cx.execute("drop table if exists r")
    cx.execute("create table r(id integer primary key, v %s, w %s)" % kinds)
    cx.execute("insert into r(id, v, w) values (?, ?, ?)", (1, 2, 3))
    attempt("insert as " + "/".join(kinds), "select id, v, w from r")
    cx.execute("update r set v = ?, w = ? where id = ?", (4, 6, 1))
    attempt("update as " + "/".join(kinds), "select id, v, w from r where id = ?", (1,))
    attempt("compare as " + "/".join(kinds), "select count(*) from r where v = ?", (4,))
