# SPDX-License-Identifier: MIT
# Both backends: an unqualified rowid in a statement whose subqueries name tables too
# (DIALECT T7).  SQLite resolves it to the innermost table; when every table in the
# statement has its rowid under the same name, the shim rewrites it wherever it stands and
# PostgreSQL resolves it the same way.  Tables whose rowids differ still need qualifying.
import sqlite3

cx = sqlite3.connect("rowid_subquery.db", isolation_level=None)
cx.execute("create table h(x)")                                  # hidden rowid
cx.execute("create table g(y)")                                  # hidden rowid too
cx.execute("create table a(id integer primary key, x integer)")  # rowid is id
cx.execute("create table b(id integer primary key, y integer)")  # rowid is id too
cx.execute("create table c(k integer primary key, z integer)")   # rowid is k
for i in range(1, 6):
    cx.execute("insert into h(x) values (?)", (i * 10,))
    cx.execute("insert into g(y) values (?)", (i * 20,))
    cx.execute("insert into a(x) values (?)", (i,))
    cx.execute("insert into b(y) values (?)", (i * i,))
    cx.execute("insert into c(z) values (?)", (-i,))


def q(sql, *args):
    try:
        print(sql, "->", cx.execute(sql, args).fetchall())
    except sqlite3.Error as e:
        print(sql, "-> error:", type(e).__name__)  # the messages differ


q("select x from h where rowid = (select max(rowid) from h)")
q("select x from h where rowid in (select rowid from h where x > ?) order by rowid", 25)
q("select x from a where rowid = (select max(rowid) from a)")
q("select x from a where rowid in (select rowid from b where y > ?) order by rowid", 5)
q("select x, (select y from b where b.rowid = a.rowid) from a where rowid < ? order by 1", 3)
q("update a set x = x + 100 where rowid = (select min(rowid) from b where y > ?)", 3)
q("delete from h where rowid = (select max(rowid) from h)")
q("select rowid, x from h order by rowid")
q("select x, id from a order by id")
q("select x from a where a.rowid in (select c.rowid from c where c.z < ?) order by 1", -3)
# tables joined in one FROM: SQLite has no unqualified rowid there, an error on both sides
q("select rowid, x from h, g")
q("select x from h join g on g.y = h.x where rowid = ?", 2)
q("select x from h where x in (select y from g join a on a.id = g.rowid where rowid > ?)", 1)
q("select x from h where rowid in (select g.rowid from g where g.y > ?) order by 1", 60)
