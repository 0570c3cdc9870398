# SPDX-License-Identifier: MIT
# The program tests/integration/capture.sh records: known statements run a known number of times,
# in the parent and in three forked children writing the same capture file, with a bound
# value that must never reach the file.
import os
import sqlite3
import sys

SECRET = "SECRET-bound-value-7f3a"
db = sys.argv[1]
conn = sqlite3.connect(db, isolation_level=None)
conn.executescript("CREATE TABLE IF NOT EXISTS item(id INTEGER PRIMARY KEY, name TEXT);\n"
                   "DELETE FROM item;")
for i in range(7):
    conn.execute("INSERT INTO item(name) VALUES (?)", (f"{SECRET}-{i}",))
for _ in range(3):
    conn.execute("SELECT count(*)\n  FROM item\twhere name <> ?", (SECRET,)).fetchall()
conn.execute("select 'a\\b'").fetchall()  # a backslash in the text: escaped in the file
# SQLite prepares statements of its own for an FTS5 table (its shadow tables): they are not
# the app's and must not be recorded.  On PostgreSQL this statement fails; tried once.
try:
    conn.execute("CREATE VIRTUAL TABLE temp.search USING fts5(body)")
    conn.execute("INSERT INTO temp.search (body) VALUES ('x')")
except sqlite3.Error:
    pass
conn.close()
kids = []
for k in range(3):
    pid = os.fork()
    if pid == 0:
        c = sqlite3.connect(db, isolation_level=None)
        for _ in range(4):
            c.execute("SELECT name FROM item WHERE id = ?", (k + 1,)).fetchall()
        c.close()
        sys.exit(0)  # exit() runs the shim's flush
    kids.append(pid)
for pid in kids:
    _, status = os.waitpid(pid, 0)
    if status != 0:
        sys.exit(f"child {pid} failed: {status}")
