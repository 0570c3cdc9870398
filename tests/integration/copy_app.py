# SPDX-License-Identifier: MIT
# A small app for issue 6, acceptance 5: its SQLite file is copied with liteshift copy, then
# the same program runs on PostgreSQL through the shim (USE_POSTGRES=1) and must print what
# it prints on the SQLite file.  Inserts without ids, AUTOINCREMENT continuing after the old
# max (sqlite_sequence ahead of max(id)), a table without INTEGER PRIMARY KEY (rowid),
# upserts, INSERT OR REPLACE, booleans, and date queries.
#   copy_app.py init FILE   create and fill the database
#   copy_app.py run FILE    the app's work; prints results
import sqlite3
import sys

mode, path = sys.argv[1], sys.argv[2]
db = sqlite3.connect(path)
cur = db.cursor()
if mode == "init":
    cur.executescript("""
        create table ticket(id integer primary key autoincrement, title text not null,
                            done boolean not null default 0, opened datetime not null);
        create table note(id integer primary key, ticket_id integer references ticket(id),
                          body text, at text default (datetime('now')));
        create table counter(name text primary key, n integer not null);
        create table audit(what text, at datetime);
        create unique index note_body on note(ticket_id, body);
    """)
    for i in range(1, 51):
        cur.execute("insert into ticket(title, done, opened) values (?, ?, ?)",
                    ("ticket %d" % i, i % 2, "2024-%02d-%02d 10:00:00" % (i % 12 + 1, i % 28 + 1)))
    cur.execute("delete from ticket where id > 40")          # sqlite_sequence stays at 50
    for i in range(1, 21):
        cur.execute("insert into note(ticket_id, body, at) values (?, ?, ?)",
                    (i, "note %d" % i, "2024-01-%02d 08:00:00" % i))
    cur.execute("insert into counter values ('visits', 10)")
    cur.executemany("insert into audit values (?, ?)", [("boot", "2024-01-01"), ("sync", "2024-02-01")])
    cur.execute("delete from audit where what = 'boot'")
    db.commit()
    sys.exit(0)

cur.execute("insert into ticket(title, opened) values ('new one', '2024-06-01 09:30:00')")
print("new ticket id", cur.lastrowid)                          # 51: AUTOINCREMENT after seq
cur.execute("insert into note(ticket_id, body) values (51, 'first note')")
print("new note id", cur.lastrowid)                            # 21: max(id) + 1
cur.execute("select length(at) from note where id = ?", (cur.lastrowid,))
print("default datetime length", cur.fetchone()[0])
cur.execute("insert into counter(name, n) values ('visits', 1) "
            "on conflict(name) do update set n = counter.n + excluded.n")
cur.execute("insert into counter(name, n) values ('signups', 1) "
            "on conflict(name) do update set n = counter.n + excluded.n")
cur.execute("insert or replace into counter(name, n) values ('signups', 5)")
print("counters", cur.execute("select name, n from counter order by name").fetchall())
cur.execute("insert into audit values ('deploy', '2024-03-01')")
print("audit rowid", cur.lastrowid)                            # 3: rowid kept by the copy
print("audit", cur.execute("select rowid, what from audit order by rowid").fetchall())
print("open", cur.execute("select count(*) from ticket where done = 0").fetchone()[0])
print("spring", cur.execute("select count(*) from ticket where opened between '2024-03-01' "
                            "and date('2024-05-31', '+1 day')").fetchone()[0])
print("recent", cur.execute("select id from ticket where opened >= datetime('2024-06-01', "
                            "'-1 day') and opened < date('now') order by opened, id").fetchall())
print("by month", cur.execute("select strftime('%m', opened) m, count(*) from ticket "
                              "group by m order by m").fetchall())
print("by day", cur.execute("select date(opened) d, count(*) from ticket where id <= 5 "
                            "group by d order by d").fetchall())
print("days", cur.execute("select julianday('2024-06-01') - julianday(min(opened)) "
                          "from ticket").fetchone()[0])
try:
    cur.execute("insert into note(ticket_id, body) values (1, 'note 1')")
    print("duplicate accepted")
except sqlite3.IntegrityError as e:
    print("duplicate refused:", e)
db.commit()
print("tickets", cur.execute("select id, title, done from ticket where id >= 39 order by id").fetchall())
