# SPDX-License-Identifier: MIT
# In-memory databases are private: each connection to ":memory:" has its own, and none of
# them sees the tables of a file database.  (Run with LITESHIFT_MEMORY=postgres by the
# test, so the in-memory databases live on PostgreSQL too.)
import sqlite3

f = sqlite3.connect("isolation.db")
f.execute("create table shared_name(x integer)")
f.execute("insert into shared_name values (1)")
f.commit()
m1 = sqlite3.connect(":memory:")
m2 = sqlite3.connect(":memory:")
for name, cx in (("m1", m1), ("m2", m2)):
    try:
        print(name, cx.execute("select * from shared_name").fetchall())
    except sqlite3.OperationalError as e:
        print(name, "OperationalError", e)
m1.execute("create table shared_name(y integer)")
m1.execute("insert into shared_name values (2)")
print("m1", m1.execute("select * from shared_name").fetchall())
print("file", f.execute("select * from shared_name").fetchall())
try:
    print("m2", m2.execute("select * from shared_name").fetchall())
except sqlite3.OperationalError as e:
    print("m2", "OperationalError", e)
