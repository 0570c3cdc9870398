#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""notes: the sample app of docs/guide.md, a small to-do/notes keeper on Python's sqlite3.

It uses SQLite the way many small apps do: schema migrations keyed on PRAGMA user_version,
AUTOINCREMENT keys, INSERT OR IGNORE / INSERT OR REPLACE, datetime('now') defaults, ?
parameters, one explicit transaction, and a few SQLite-only functions in its reports.
Like a real app, it logs a failed statement and carries on; each failure is one line on
stderr:  FAILED<TAB>statement (newlines as \\n)<TAB>error.

    notes.py DATABASE_FILE [add TITLE [BODY] | done ID | list | report]
    (no command: a scripted session that touches every statement)
"""
import sqlite3
import sys

MIGRATIONS = [
    # 1: the first schema
    ["CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE,"
     " created_at TEXT NOT NULL DEFAULT (datetime('now')))",
     "CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " user_id INTEGER NOT NULL REFERENCES users(id), title TEXT NOT NULL, body TEXT,"
     " done BOOLEAN NOT NULL DEFAULT 0, created_at DATETIME DEFAULT CURRENT_TIMESTAMP)",
     "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)"],
    # 2: priorities, tags and an index
    ["ALTER TABLE notes ADD COLUMN priority INTEGER NOT NULL DEFAULT 0",
     "CREATE TABLE tags (note_id INTEGER NOT NULL REFERENCES notes(id), tag TEXT NOT NULL,"
     " PRIMARY KEY (note_id, tag)) WITHOUT ROWID",
     "CREATE INDEX notes_by_user ON notes(user_id, done)"],
]


def run(conn, sql, params=(), lastrowid=False):
    """Execute one statement; on failure log it and return None, like a forgiving app."""
    try:
        cur = conn.execute(sql, params)
        return cur.lastrowid if lastrowid else cur.fetchall()
    except sqlite3.Error as e:
        print("FAILED\t%s\t%s" % (sql.replace("\n", "\\n"), e), file=sys.stderr)
        return None


def migrate(conn):
    version = run(conn, "PRAGMA user_version")[0][0]
    for n, steps in enumerate(MIGRATIONS, start=1):
        if version >= n:
            continue
        with conn:  # one transaction per migration
            for sql in steps:
                run(conn, sql)
            run(conn, "PRAGMA user_version = %d" % n)


def user(conn, email):
    run(conn, "INSERT OR IGNORE INTO users (email) VALUES (?)", (email,))
    return run(conn, "SELECT id FROM users WHERE email = ?", (email,))[0][0]


def add(conn, uid, title, body=None, tags=()):
    with conn:
        nid = run(conn, "INSERT INTO notes (user_id, title, body, created_at)"
                        " VALUES (?, ?, ?, datetime('now'))", (uid, title, body), lastrowid=True)
        for t in tags:
            run(conn, "INSERT OR IGNORE INTO tags (note_id, tag) VALUES (?, ?)", (nid, t))
    return nid


def listing(conn, uid):
    return run(conn, "SELECT id, title, ifnull(body, '') FROM notes WHERE user_id = ? AND done = 0"
                     " ORDER BY priority DESC, id LIMIT 20", (uid,))


def report(conn, uid):
    out = []
    out.append(run(conn, "SELECT count(*), sum(done), group_concat(title, ', ') FROM notes"
                         " WHERE user_id = ?", (uid,)))
    out.append(run(conn, "SELECT strftime('%Y-%m', created_at) AS month, count(*) FROM notes"
                         " GROUP BY month ORDER BY month"))
    out.append(run(conn, "SELECT title FROM notes WHERE title LIKE ? ORDER BY id", ("%milk%",)))
    out.append(run(conn, "SELECT tag, count(*) FROM tags GROUP BY tag ORDER BY 2 DESC, 1"))
    out.append(run(conn, "SELECT id, printf('%05d', id) || ': ' || title FROM notes ORDER BY id"))
    out.append(run(conn, "SELECT title, julianday('now') - julianday(created_at) < 1 FROM notes"
                         " ORDER BY id"))
    out.append(run(conn, "SELECT last_insert_rowid()"))
    out.append(run(conn, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
    out.append(run(conn, "SELECT count(*) FROM notes INDEXED BY notes_by_user WHERE user_id = ?",
                   (uid,)))
    return out


def session(conn):
    uid = user(conn, "ada@example.com")
    user(conn, "ada@example.com")  # already there: ignored
    a = add(conn, uid, "buy milk", "2 litres", ("home", "shop"))
    add(conn, uid, "call the bank", None, ("admin",))
    add(conn, uid, "milk the cow", "at 6", ("farm", "home"))
    run(conn, "UPDATE notes SET done = 1 WHERE id = ?", (a,))
    run(conn, "UPDATE notes SET priority = priority + 1 WHERE title LIKE ?", ("%bank%",))
    run(conn, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", ("theme", "dark"))
    run(conn, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", ("theme", "light"))
    run(conn, "DELETE FROM notes WHERE done = 1 AND created_at < datetime('now', '-30 days')")
    print("open notes:", [r[1] for r in listing(conn, uid) or []])
    print("theme:", run(conn, "SELECT value FROM settings WHERE key = ?", ("theme",)))
    for rows in report(conn, uid):
        print("report:", "failed" if rows is None else len(rows), "rows")
    print("integrity:", run(conn, "PRAGMA integrity_check"))


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    conn = sqlite3.connect(argv[1])
    run(conn, "PRAGMA foreign_keys = ON")
    run(conn, "PRAGMA journal_mode = WAL")
    migrate(conn)
    cmd = argv[2] if len(argv) > 2 else None
    if cmd is None:
        session(conn)
    elif cmd == "add":
        print(add(conn, user(conn, "ada@example.com"), argv[3], argv[4] if len(argv) > 4 else None))
    elif cmd == "done":
        with conn:
            run(conn, "UPDATE notes SET done = 1 WHERE id = ?", (int(argv[3]),))
    elif cmd == "list":
        for r in listing(conn, user(conn, "ada@example.com")) or []:
            print("%d\t%s\t%s" % r)
    elif cmd == "report":
        for rows in report(conn, user(conn, "ada@example.com")):
            print(rows)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    conn.commit()
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
