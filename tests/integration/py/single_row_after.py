# SPDX-License-Identifier: MIT
# What follows a statement whose rows were streamed, on both backends: a repeated multi-row
# SELECT outside a transaction, then statements whose first query on PostgreSQL is the
# shim's own (the schema cache reloaded after DDL for REPLACE, user_version, a deferred
# transaction's first statement).  Each must see whole results: libpq kept the streamed
# statement's single-row mode for the next query sent, and REPLACE failed with "needs the
# schema of table".
import sqlite3

c = sqlite3.connect("single_row_after.db", isolation_level=None)
c.execute("create table u(id integer primary key, email text unique, name text)")
c.execute("insert into u(email, name) values ('a', 'ann'), ('b', 'bob')")
c.execute("create table p(a integer, b integer)")
c.executemany("insert into p values (?, ?)", [(i, i * i) for i in range(50)])


def scan():
    return sum(b for _, b in c.execute("select a, b from p order by a"))


for step in range(3):
    print("scan:", scan())
    c.execute("create table q%d(x integer)" % step)      # the schema cache starts again
    print("scan:", scan())
    c.execute("replace into u(id, email, name) values (1, ?, 'ann%d')" % step, ("a%d" % step,))
    print("u:", c.execute("select id, email, name from u order by id").fetchall())
    print("scan:", scan())
    print("user_version:", c.execute("pragma user_version").fetchone()[0])
    c.execute("pragma user_version = %d" % (step + 1))
    print("scan:", scan())
    c.execute("begin")
    c.execute("insert or replace into u(id, email, name) values (2, 'b', 'bob%d')" % step)
    print("in txn:", c.execute("select count(*), max(name) from u").fetchone())
    c.execute("commit")
    print("scan:", scan())
    c.execute("begin")
    print("txn read first:", c.execute("select name from u where id = 2").fetchone())
    c.execute("rollback")
print("final:", c.execute("select id, email, name from u order by id").fetchall())
