# SPDX-License-Identifier: MIT
# Incremental blob I/O (sqlite3_blob_*): open, read, write, bounds, errors, text values,
# reopen, rows changed behind the handle, and that blob writes do not count as changes.
import sqlite3

def attempt(what, fn):
    try:
        print(what, "->", repr(fn()))
    except Exception as e:  # the class and SQLite's message are part of the behaviour
        print(what, "->", type(e).__name__, e)

cx = sqlite3.connect("blob.db")
cx.execute("create table test(b blob)")
data = b"this blob data string is exactly fifty bytes long!"
cx.execute("insert into test(b) values (?)", (data,))
cx.commit()
with cx.blobopen("test", "b", 1) as bl:
    print("len", len(bl))
    print("read", bl.read(10), bl.read(5), bl[45:])
    bl.seek(0)
    bl.write(b"THIS")
    bl[10] = ord("X")
    attempt("oversized write", lambda: bl.write(b"x" * 100))
    attempt("read past end", lambda: bl[60])
print("after writes", cx.execute("select b from test").fetchone())
print("changes", cx.total_changes)
for args in [("nosuch", "b", 1), ("test", "nosuch", 1), ("test", "b", 99)]:
    attempt("open %r" % (args,), lambda: cx.blobopen(*args))

cx.execute("create table t2(id integer primary key, t text, n int, z blob)")
cx.execute("insert into t2 values (5, 'héllo', 3, NULL), (6, 'second row', 4, x'0102')")
cx.commit()
with cx.blobopen("t2", "t", 5, readonly=True) as bl:
    print("text as bytes", len(bl), bl.read())
    attempt("write read-only", lambda: bl.write(b"x"))
attempt("open integer", lambda: cx.blobopen("t2", "n", 5))
attempt("open null", lambda: cx.blobopen("t2", "z", 5))
with cx.blobopen("t2", "z", 6) as bl:
    print("small blob", bl.read())

# a row deleted behind an open handle
bl = cx.blobopen("t2", "t", 6)
cx.execute("delete from t2 where id = 6")
attempt("read after delete", lambda: bl.read())
bl.close()

# larger values, read in chunks
big = bytes(range(256)) * 400
cx.execute("insert into test(b) values (?)", (big,))
cx.commit()
rowid = cx.execute("select max(rowid) from test").fetchone()[0]
with cx.blobopen("test", "b", rowid) as bl:
    chunks = []
    while True:
        c = bl.read(7000)
        if not c:
            break
        chunks.append(c)
    print("big", len(bl), b"".join(chunks) == big)
print("total_changes", cx.total_changes)

# a value rewritten behind an open handle (another size): the handle is expired
with cx.blobopen("test", "b", 1) as bl:
    cx.execute("update test set b = x'61616161' where rowid = 1")
    attempt("read after resize", lambda: bl[0])
