# ALTER TABLE RENAME COLUMN and DROP COLUMN rewrite the table's CREATE text and its indexes'
# as SQLite does: sqlite_master and PRAGMA table_info answer with the new columns (migration
# tools read them back after each step).
import sqlite3

cx = sqlite3.connect("alter_master.db", isolation_level=None)


def show(label):
    for r in cx.execute("select type, name, sql from sqlite_master where tbl_name in "
                        "('p', 't', 'we ird') and sql is not null order by type, name"):
        print(label, r)
    for t in ("t", "we ird"):
        print(label, t, cx.execute('pragma table_info("%s")' % t).fetchall())


cx.execute("create table p(id integer primary key, a unique)")
cx.execute("create table t(id integer primary key, a text not null, b integer check (b > 0),"
           " c, d real default 1.5, unique (a, b), foreign key (c) references p(a))")
cx.execute("create index ta on t(a, b desc)")
cx.execute('create table "we ird"(x, "y z" text, [w] integer, `v` blob)')
show("created")
cx.execute("alter table t rename column a to aa")
cx.execute("alter table t rename b to \"select\"")
cx.execute('alter table "we ird" rename column "y z" to yz')
cx.execute('alter table "we ird" rename column w to "w w"')
show("renamed")
cx.execute("alter table t drop column d")
cx.execute('alter table "we ird" drop column x')
cx.execute('alter table "we ird" drop column v')
show("dropped")
cx.execute("insert into t(id, aa, \"select\", c) values (1, 'x', 2, NULL)")
print(cx.execute("select * from t").fetchall())
# a function named like the column stays the function (SQLite renames column references only)
cx.execute("create table f(abs int, lower text check (lower(lower) <> 'x'), b int check (abs (b) > abs))")
cx.execute("create index fl on f(lower(lower), abs(abs))")
cx.execute("alter table f rename column lower to lo")
cx.execute("alter table f rename abs to a")
for r in cx.execute("select name, sql from sqlite_master where tbl_name = 'f' order by name"):
    print(r)
print(cx.execute("pragma table_info(f)").fetchall())
# a temp table's record (sqlite_temp_master), also one hiding a main table of its name
cx.execute("create table s(a, b)")
cx.execute("create temp table s(a, b, c)")
cx.execute("create temp table s2(x, y)")
cx.execute("alter table s rename a to a2")
cx.execute("alter table temp.s drop column c")
cx.execute("alter table s2 rename column y to yy")
cx.execute("alter table main.s rename b to b2")
print(cx.execute("select name, sql from sqlite_temp_master order by name").fetchall())
print(cx.execute("select name, sql from sqlite_master where name = 's'").fetchall())
print(cx.execute("pragma table_info(s)").fetchall())
# the REFERENCES naming the renamed column follow it, the table's own and other tables'
cx.execute("create table g(id integer primary key, up int references g(id), k unique)")
cx.execute("create table h(id unique, gid int references g (id), gk references \"g\"(k), "
           "ok int references p(id), foreign key (gk) references g(k))")
cx.execute("create table j(id, x references h(id))")
cx.execute("alter table g rename column id to gid")
cx.execute("alter table g rename k to kk")
for r in cx.execute("select name, sql from sqlite_master where name in ('g', 'h', 'j') order by name"):
    print(r)
