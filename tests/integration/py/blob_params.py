# SPDX-License-Identifier: MIT
# Blobs bound as parameters (docs/compatibility.md D17).  SQLite stores a blob anywhere; on
# PostgreSQL a blob sent to a parameter of another type was read as that type's binary form,
# so 8 bytes bound into an INTEGER column became the integer they spell.  What both backends
# must agree on: a blob never comes back as a number it was not, blobs go into BLOB columns
# and through the storage-class functions intact, executed again and again (also pipelined),
# and a refused blob leaves the transaction usable.
import os
import sqlite3

eight = bytes([0, 0, 0, 0, 0, 0, 0, 42])


def attempt(cx, sql, args):
    try:
        cx.execute(sql, args)
        return "stored"
    except sqlite3.Error:
        return "refused"


cx = sqlite3.connect("blobs.db", isolation_level=None)
cx.execute("create table t(id integer primary key, i integer, r real, b blob)")
for col in ("i", "r"):
    for v in (eight, b"\x01\x02", b"\x00" * 4):
        outcome = attempt(cx, "insert into t(%s) values (?)" % col, (v,))
        back = cx.execute("select %s from t order by id desc limit 1" % col).fetchone()
        misread = outcome == "stored" and back is not None and not isinstance(back[0], bytes)
        print(col, len(v), "misread" if misread else "not misread")
    cx.execute("delete from t")

# into a BLOB column, the same statement executed with each value, then read back
vals = [eight, b"", b"\x00\xff", bytes(range(256)), b"text", None]
for v in vals:
    cx.execute("insert into t(b) values (?)", (v,))
for row in cx.execute("select typeof(b), hex(b), quote(b) from t order by id"):
    print(row)
print(cx.execute("select count(*) from t where b = ?", (eight,)).fetchone())
for v in vals:
    print(cx.execute("select typeof(?), hex(?), length(zeroblob(?))", (v, v, 3)).fetchone())

# pipelined writes in a transaction: blobs into the BLOB column, one refused into INTEGER
os.environ["LITESHIFT_PIPELINE"] = "1"
px = sqlite3.connect("blobs.db", isolation_level=None)
px.execute("delete from t")
px.execute("begin")
for k in range(20):
    px.execute("insert into t(b) values (?)", (bytes([k]) * 8,))
attempt(px, "insert into t(i) values (?)", (eight,))
back = px.execute("select i from t where i is not null").fetchone()
print("into integer:", "misread" if back and back[0] == 42 else "not misread")
px.execute("commit")
print(px.execute("select count(*), sum(length(b)) from t where b is not null").fetchone())
print(px.execute("select hex(b) from t where b is not null order by id desc limit 1").fetchone())
