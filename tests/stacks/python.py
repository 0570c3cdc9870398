# SPDX-License-Identifier: MIT
# Client stack: CPython's sqlite3 module (tests/stacks/stack.sh runs it on both backends).
import sqlite3

c = sqlite3.connect("stack.db")
c.execute("CREATE TABLE stack_item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
          " price REAL, qty INTEGER, note TEXT)")
with c:
    for row in [("apple", 1.25, 3, "red"), ("bread", 2.5, 1, None), ("cheese", 7.0, 2, "aged")]:
        cur = c.execute("INSERT INTO stack_item (name, price, qty, note) VALUES (?, ?, ?, ?)", row)
print("last id:", cur.lastrowid)
cur = c.execute("UPDATE stack_item SET qty = qty + 1 WHERE price > ?", (2,))
print("updated:", cur.rowcount)
c.commit()
try:
    c.execute("INSERT INTO stack_item (name) VALUES (?)", ("apple",))
except sqlite3.IntegrityError as e:
    print("error:", e)
c.rollback()
for r in c.execute("SELECT id, name, price, qty, note FROM stack_item ORDER BY id"):
    print("row:", [(type(v).__name__, v) for v in r])
print("agg:", c.execute("SELECT count(*), sum(qty), avg(price) FROM stack_item").fetchone())
print("named:", c.execute("SELECT name FROM stack_item WHERE qty = :q ORDER BY id", {"q": 2}).fetchall())
c.execute("BEGIN")
c.execute("INSERT INTO stack_item (name) VALUES ('ghost')")
c.execute("ROLLBACK")
print("deleted:", c.execute("DELETE FROM stack_item WHERE id = ?", (2,)).rowcount)
c.commit()
print("kept:", ",".join(r[0] for r in c.execute("SELECT name FROM stack_item ORDER BY name")))
c.close()
