# SPDX-License-Identifier: MIT
# D2 on both backends: a temp table named temp.t.  Its columns declared without a type keep
# their storage classes when read through the qualified name, as through the bare name: a
# select item gets its class column, and INSERT ... SELECT * leaves the hidden class columns
# out (temp is a keyword, the one that can qualify a table; rewriter/star.c read_from).
import sqlite3

c = sqlite3.connect("temp_class.db", isolation_level=None)


def show(label, sql, args=()):
    try:
        print(label, c.execute(sql, args).fetchall())
    except sqlite3.Error as e:
        print(label, "error:", type(e).__name__, e)


show("create", "create temp table tt(id integer primary key, a)")
show("insert", "insert into tt values (1, 1), (2, 'x'), (3, 2.5), (4, x'00'), (5, null)")
show("bare", "select a, typeof(a) from tt order by id")
show("qualified", "select a, typeof(a) from temp.tt order by id")
show("alias", "select t.a from temp.tt as t order by id")
show("join", "select x.a, y.id from temp.tt x join temp.tt y on x.id = y.id order by x.id")
show("main table", "create table m(id integer primary key, a)")
show("insert select *", "insert into m select * from temp.tt")
show("copied", "select a, typeof(a) from m order by id")
show("insert select items", "insert into m select id + 10, a from temp.tt")
show("copied items", "select id, a, typeof(a) from m where id > 10 order by id")
