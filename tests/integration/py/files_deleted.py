# SPDX-License-Identifier: MIT
# A database file this process created, filled, closed and deleted, then opened again: on
# SQLite a new, empty database; on PostgreSQL the same (docs/compatibility.md D1: what the
# process created there is moved aside, nothing is dropped).  The pattern of test suites.
import os
import sqlite3

def master(cx):
    return cx.execute("select type, name from sqlite_master order by type, name").fetchall()

# two connections on one file, three rounds of create / fill / close / delete
for i in range(3):
    a = sqlite3.connect("round.db")
    b = sqlite3.connect("round.db")
    print("round", i, "fresh:", master(a))
    a.execute("create table test(i integer)")
    a.execute("insert into test values (?)", (i,))
    a.commit()
    print("round", i, "other connection sees:", b.execute("select i from test").fetchall())
    a.close()
    b.close()
    os.unlink("round.db")

# tables, a view and an index; a renamed table; a dropped and recreated one
cx = sqlite3.connect("shapes.db")
cx.executescript("""
    create table base(id integer primary key, v text);
    create index base_v on base(v);
    create view base_view as select id, v from base;
    create table log(n integer);
    insert into log values (1);
    create table old_name(x integer);
    alter table old_name rename to new_name;
    create table gone(x integer);
    drop table gone;
    create table gone(y integer);
    insert into base(v) values ('a'), ('b');
""")
print("before delete:", master(cx))
print("log:", cx.execute("select n from log order by n").fetchall())
cx.close()
os.unlink("shapes.db")
cx = sqlite3.connect("shapes.db")
print("after delete:", master(cx))
cx.execute("create table base(other text)")
cx.execute("create table new_name(z integer)")
cx.execute("insert into base values ('again')")
print("recreated:", cx.execute("select * from base").fetchall(), master(cx))
cx.close()
os.unlink("shapes.db")

# a file deleted, then another name opened: that one is new too
cx = sqlite3.connect("first.db")
cx.execute("create table shared_name(x integer)")
cx.close()
os.unlink("first.db")
cx = sqlite3.connect("second.db")
print("second file:", master(cx))
cx.execute("create table shared_name(x integer)")
print("second file after create:", master(cx))
cx.close()

# a file that is not deleted keeps its tables across connections
cx = sqlite3.connect("second.db")
print("second file reopened:", master(cx))
cx.close()
