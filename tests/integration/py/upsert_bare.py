# SPDX-License-Identifier: MIT
# UPSERT with bare column names in DO UPDATE SET and its WHERE, on both backends: in SQLite a
# bare column there is the existing row (excluded.x the new one); PostgreSQL refused them as
# ambiguous ("column reference "n" is ambiguous") until the rewriter qualified them.
import sqlite3

c = sqlite3.connect("upsert_bare.db", isolation_level=None)
c.execute("create table hits(page text primary key, n integer not null, last text)")
c.execute("create table caps(page text primary key, cap integer)")
c.execute("insert into caps values ('a', 3)")
stmts = [
    ("counter", "insert into hits values (?, 1, 'x') on conflict(page) do update set n = n + 1", ("a",)),
    ("counter", "insert into hits values (?, 1, 'x') on conflict(page) do update set n = n + 1", ("a",)),
    ("new and old", "insert into hits values (?, 10, 'y') on conflict(page) do update set n = excluded.n + n, last = last || excluded.last where n < 100", ("a",)),
    ("where refuses", "insert into hits values (?, 1, 'z') on conflict(page) do update set n = 0 where n < 5", ("a",)),
    ("call and subquery", "insert into hits values (?, 1, 'w') on conflict(page) do update set n = abs(n) + (select cap from caps where caps.page = hits.page), last = upper(last)", ("a",)),
    ("alias", "insert into hits as h values (?, 1, 'v') on conflict(page) do update set n = n * 2, last = h.last || 'v'", ("a",)),
    ("row value", "insert into hits values (?, 5, 'r') on conflict(page) do update set (n, last) = (n - 1, last || excluded.last)", ("a",)),
    ("returning", "insert into hits values (?, 1, 'q') on conflict(page) do update set n = n + 1 returning n, last", ("a",)),
    ("main.", "insert into main.hits values (?, 1, 'm') on conflict(page) do update set n = n + 100", ("a",)),
    ("fresh row", "insert into hits values (?, 7, 'f') on conflict(page) do update set n = n + 1", ("b",)),
    ("rowid", "insert into keyed values (1, 5) on conflict(id) do update set n = rowid + n + _rowid_", ()),
    ("rowid again", "insert into keyed values (1, 5) on conflict(id) do update set n = n - oid where rowid = 1", ()),
]
c.execute("create table keyed(id integer primary key, n integer)")
c.execute("insert into keyed values (1, 1)")
for label, sql, args in stmts:
    try:
        rows = c.execute(sql, args).fetchall()
        print(label, "ok", rows, c.execute("select page, n, last from hits order by page").fetchall(),
              c.execute("select id, n from keyed").fetchall())
    except sqlite3.Error as e:
        print(label, "error:", e)
