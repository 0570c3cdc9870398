# SPDX-License-Identifier: MIT
# DIALECT T7: a table without INTEGER PRIMARY KEY still has a rowid, and it is the table's
# key in SQLite: one row answers to each rowid.  On PostgreSQL the hidden rowid column is
# UNIQUE, so a rowid given twice (INSERT, UPDATE) fails with SQLite's error instead of making
# two rows answer to it, and INSERT OR IGNORE ignores the duplicate.  Point reads and writes
# by rowid find their row.
import sqlite3

con = sqlite3.connect("rowid_unique.db", isolation_level=None)


def run(sql, params=()):
    try:
        rows = con.execute(sql, params).fetchall()
        print("ok   ", sql, rows, "changes", con.total_changes)
    except sqlite3.Error as e:
        print("error", sql, type(e).__name__, e)


run("CREATE TABLE h(x TEXT, y INTEGER)")
run("CREATE TABLE k(name TEXT PRIMARY KEY, v INTEGER)")   # a key that is not the rowid
run("INSERT INTO h(rowid, x) VALUES (5, 'a')")
run("INSERT INTO h(x) VALUES ('z')")
run("INSERT INTO h(rowid, x) VALUES (5, 'b')")
run("INSERT INTO h(rowid, x) VALUES (?, ?)", (5, 'b2'))
run("UPDATE h SET rowid = 5 WHERE x = 'z'")
run("INSERT OR IGNORE INTO h(rowid, x) VALUES (5, 'c')")
run("SELECT rowid, x FROM h ORDER BY rowid")
run("UPDATE h SET y = 1 WHERE rowid = 5")
run("DELETE FROM h WHERE rowid = 6")
run("SELECT rowid, x, y FROM h ORDER BY rowid")
run("INSERT INTO k(rowid, name, v) VALUES (1, 'a', 1)")
run("INSERT INTO k(rowid, name, v) VALUES (1, 'b', 2)")
run("INSERT INTO k(name, v) VALUES ('a', 3)")
run("INSERT OR REPLACE INTO k(name, v) VALUES ('a', 4)")
run("INSERT INTO k(name, v) VALUES ('c', 5) ON CONFLICT(name) DO UPDATE SET v = 50")
run("INSERT INTO k(name, v) VALUES ('c', 6) ON CONFLICT(name) DO UPDATE SET v = 60")
run("SELECT name, v FROM k ORDER BY name")
for i in range(200):
    con.execute("INSERT INTO h(x, y) VALUES (?, ?)", ("r%d" % i, i))
run("SELECT count(*), count(DISTINCT rowid) FROM h")
top = con.execute("SELECT max(rowid) FROM h").fetchone()[0]
run("SELECT x FROM h WHERE rowid = ?", (top,))
run("PRAGMA index_list(h)")
run("PRAGMA index_list(k)")
run("SELECT type, name FROM sqlite_master ORDER BY name")
con.close()
