# SPDX-License-Identifier: MIT
# last_insert_rowid() after upserts (both backends): an ON CONFLICT DO UPDATE that updates
# leaves it as it was, as SQLite does; one that inserts sets it; DO NOTHING leaves it.
# PostgreSQL used to return the updated row's rowid (found by the replay-log tests).
import sqlite3
c = sqlite3.connect("upsert_rowid.db", isolation_level=None)
c.execute("drop table if exists kv"); c.execute("drop table if exists hk")
c.execute("create table kv(k integer primary key, v text, hits int default 0)")
c.execute("create table hk(name text primary key, n int)")
for k, v in ((1, 'a'), (2, 'b')):
    print("ins", c.execute("insert into kv(k, v) values (?, ?)", (k, v)).lastrowid)
cur = c.execute("insert into kv(k, v) values (1, 'x') on conflict(k) do update set hits = hits + 1")
print("upsert-update", cur.lastrowid, c.execute("select last_insert_rowid()").fetchone())
cur = c.execute("insert into kv(k, v) values (7, 'y') on conflict(k) do update set hits = hits + 1")
print("upsert-insert", cur.lastrowid)
cur = c.execute("insert into kv(k, v) values (2, 'z') on conflict(k) do nothing")
print("do-nothing", cur.lastrowid)
c.execute("insert into hk values ('a', 1)")
r1 = c.execute("insert into hk values ('b', 1)").lastrowid
cur = c.execute("insert into hk values ('a', 5) on conflict(name) do update set n = n + excluded.n")
print("hk", r1 == cur.lastrowid, c.execute("select * from hk order by name").fetchall())
c.execute("begin")
cur = c.execute("insert into kv(k, v) values (1, 'q') on conflict(k) do update set hits = hits + 1")
cur = c.execute("insert into kv(k, v) values (1, 'q') on conflict(k) do update set hits = hits + 1")
print("in txn", cur.lastrowid)
c.execute("commit")
print(c.execute("select * from kv order by k").fetchall())
