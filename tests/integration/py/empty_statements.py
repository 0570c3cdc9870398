# SPDX-License-Identifier: MIT
# Empty statements (a ';' alone, ';;') in scripts and before a statement, on both backends:
# SQLite's parser skips them, so executescript runs every real statement of
# "a; ; b" and "x;;y; ;", and prepare of " ;select 5" gives the SELECT.  On PostgreSQL the
# rewriter refused the statement after such a ';' ("more than one statement"), and a script
# stopped half-way with its first statements done.
import sqlite3

c = sqlite3.connect("empty_statements.db", isolation_level=None)
for script in ["create table b(x integer); ; create table c(x integer);",
               "select 2; ;; select 3;",
               ";;create table d(x integer);;",
               "insert into b values (1);;insert into b values (2); ;",
               "; -- only a comment\n;",
               "begin; ; insert into c values (7);; commit;"]:
    try:
        c.executescript(script)
        print("ok:", script)
    except sqlite3.Error as e:
        print("error:", script, "->", e)
print("b:", c.execute("select x from b order by x").fetchall())
print("c:", c.execute("select x from c").fetchall())
print("tables:", c.execute("select name from sqlite_master where type = 'table' order by name").fetchall())
for q in [" ;select 5", ";; select 6 ;", "select 7;;"]:
    try:
        print(repr(q), c.execute(q).fetchall())
    except (sqlite3.Error, sqlite3.Warning) as e:
        print(repr(q), type(e).__name__, e)
