# SPDX-License-Identifier: MIT
# `main.` in the other places SQLite takes it, on both backends (DIALECT S33): INSERT INTO
# main.t(columns) (with SELECT, UPSERT, RETURNING, OR REPLACE), ALTER TABLE main.t (ADD,
# RENAME), a column written main.t.col, and `main.x` naming column x of a table called main,
# which is no schema.  On PostgreSQL the first three kept `main.` (schema "main" does not
# exist) and the last became the app's schema's name.
import sqlite3

c = sqlite3.connect("main_qualified_forms.db", isolation_level=None)


def q(sql):
    try:
        print("ok", sql, c.execute(sql).fetchall())
    except sqlite3.Error as e:
        print("error", sql, "|", e)


q("create table t(id integer primary key, v text unique, n integer default 0)")
q("insert into main.t(id, v) values (1, 'a')")
q("insert into main.t(id, v) select id + 10, v || 'x' from main.t")
q("insert into main.t(id, v) values (1, 'a') on conflict(v) do update set n = t.n + 1")
q("insert into main.t(id, v) values (1, 'b') on conflict(id) do update set n = excluded.n + 5 returning id, v, n")
q("insert or replace into main.t(id, v) values (11, 'r')")
q("replace into main.t(id, v) values (12, 's')")
q("select main.t.id, main.t.v, n from main.t order by main.t.id")
q("select x.v from main.t as x join main.t y on x.id = y.id order by 1")
q("update main.t set n = n + 1 where id in (select id from main.t where id > 5) returning id, n")
q("alter table main.t add column z integer")
q("alter table main.t rename to t2")
q("select id, v, n, z from main.t2 order by id")
q("select name from sqlite_master where type = 'table' order by name")
q("create table main(x integer)")
q("insert into main values (1)")
q("select main.x from main")
q("select main.x, count(*) from main where main.x > 0 group by main.x")
q("update main set x = main.x + 1")
q("select x from main.main")
q("select m.x, t2.id from main as m, main.t2 where t2.id = m.x + 9")
q("create table c1 as select main.x from main")
q("create view v1 as select main.x from main")
q("create view main.v2 as select main.x + 1 as y from main.main")
q("select * from c1, v1, v2")
q("drop view main.v2")
q("select name from sqlite_master where type <> 'index' order by 1")
