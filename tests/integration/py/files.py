# SPDX-License-Identifier: MIT
# The database file on PostgreSQL behaves as SQLite's would at open: created when missing,
# refused in a missing directory or when it is a directory, and read-only with mode=ro.
import os
import sqlite3

def attempt(what, fn):
    try:
        print(what, "->", repr(fn()))
    except sqlite3.Error as e:
        print(what, "->", type(e).__name__, e)

cx = sqlite3.connect("app.db")
print("created on open:", os.path.exists("app.db"))
cx.execute("create table t(x integer)")
cx.execute("insert into t values (1)")
cx.commit()
cx.close()
attempt("missing directory", lambda: sqlite3.connect("no/such/dir/app.db"))
os.mkdir("adir")
attempt("a directory", lambda: sqlite3.connect("adir"))
attempt("missing file, mode=rw", lambda: sqlite3.connect("file:other.db?mode=rw", uri=True))
ro = sqlite3.connect("file:app.db?mode=ro", uri=True)
print("read-only reads:", ro.execute("select x from t").fetchall())
attempt("read-only write", lambda: ro.execute("insert into t values (2)"))
ro.close()
rw = sqlite3.connect("app.db")
print("after:", rw.execute("select x from t").fetchall())
