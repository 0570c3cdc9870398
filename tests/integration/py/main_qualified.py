# SPDX-License-Identifier: MIT
# `main.t` when a temp table of the same name shadows it, on both backends (DIALECT S33):
# SQLite's unqualified `t` is the temp table, `main.t` always the database's.  On PostgreSQL
# the rewriter dropped `main.` and the search path, pg_temp first, sent INSERT INTO main.t,
# UPDATE, DELETE, SELECT and DROP TABLE main.t to the temp table.
import sqlite3

c = sqlite3.connect("main_qualified.db", isolation_level=None)
c.execute("create table t(id integer primary key, v text)")
c.execute("insert into t values (1, 'main')")
c.execute("create temp table t(id integer primary key, v text)")
c.execute("insert into t values (2, 'temp')")
c.execute("insert into main.t values (3, 'main3')")
c.execute("insert into temp.t values (4, 'temp4')")


def show(label):
    print(label, "main:", c.execute("select id, v from main.t order by id").fetchall(),
          "temp:", c.execute("select id, v from temp.t order by id").fetchall(),
          "t:", c.execute("select id, v from t order by id").fetchall())


show("inserted")
c.execute("update main.t set v = v || '!' where id = 1")
c.execute("delete from main.t where id = 3")
show("changed")
print("joined:", c.execute("select m.v, x.v from main.t m, temp.t x order by 1, 2").fetchall())
c.execute("create table main.u as select id, v from main.t")
print("u:", c.execute("select id, v from main.u").fetchall())
c.execute("drop table main.t")
print("t now:", c.execute("select id, v from t order by id").fetchall())
print("sqlite_master:", c.execute("select name from sqlite_master where type = 'table' order by name").fetchall())
print("sqlite_temp_master:", c.execute("select name from sqlite_temp_master where type = 'table'").fetchall())
