# SPDX-License-Identifier: MIT
# sqlite3_set_authorizer on both backends: the same callbacks with the same arguments, the
# same refusals and messages (docs/compatibility.md D16: on PostgreSQL each statement is
# compiled by SQLite in a replica of the schema to get SQLite's own calls).
import sqlite3

cx = sqlite3.connect("auth.db", isolation_level=None)
cx.executescript("""
    create table t1(c1 integer, c2 text);
    create table t2(c1 integer, c2 text);
    create view v1 as select c1 from t1;
    create index t1_c2 on t1(c2);
    insert into t1 values (1, 'a');
    insert into t2 values (4, 'd');
""")
ACTIONS = ("CREATE_INDEX CREATE_TABLE CREATE_TEMP_INDEX CREATE_TEMP_TABLE CREATE_TEMP_TRIGGER "
           "CREATE_TEMP_VIEW CREATE_TRIGGER CREATE_VIEW DELETE DROP_INDEX DROP_TABLE "
           "DROP_TEMP_INDEX DROP_TEMP_TABLE DROP_TEMP_TRIGGER DROP_TEMP_VIEW DROP_TRIGGER "
           "DROP_VIEW INSERT PRAGMA READ SELECT TRANSACTION UPDATE ATTACH DETACH ALTER_TABLE "
           "REINDEX ANALYZE CREATE_VTABLE DROP_VTABLE FUNCTION SAVEPOINT RECURSIVE").split()
names = {getattr(sqlite3, "SQLITE_" + n): n for n in ACTIONS if hasattr(sqlite3, "SQLITE_" + n)}
seen = []
def logger(action, a, b, db, trigger):
    seen.append((names.get(action, action), a, b, db, trigger))
    return sqlite3.SQLITE_OK

def calls(sql, params=()):
    seen.clear()
    try:
        rows = cx.execute(sql, params).fetchall()
        print(sql, "->", rows)
    except sqlite3.Error as e:
        print(sql, "->", type(e).__name__, e)
    for s in seen:
        print("   ", s)

cx.set_authorizer(logger)
calls("select * from t1")
calls("select c2, upper(c2) from t1 where c1 = ?", (1,))
calls("select * from v1")
calls("insert into t2(c1, c2) values (?, ?)", (5, "e"))
calls("update t2 set c2 = 'x' where c1 = 5")
calls("delete from t2 where c1 = 5")
calls("select t1.c1, t2.c2 from t1 join t2 on t2.c1 > t1.c1")
calls("create table t3(x integer)")
calls("insert into t3 values (1)")
calls("select x from t3")

def deny_t2_c2(action, a, b, db, trigger):
    if a == "t2" or b == "c2":
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK
cx.set_authorizer(deny_t2_c2)
calls("select c1 from t1")
calls("select * from t2")
calls("select c2 from t1")
calls("insert into t2(c1) values (9)")
calls("select count(*) from t2")

def deny_writes(action, a, b, db, trigger):
    return sqlite3.SQLITE_DENY if action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_DELETE) else sqlite3.SQLITE_OK
cx.set_authorizer(deny_writes)
calls("insert into t1 values (2, 'b')")
calls("delete from t1")
calls("update t1 set c2 = 'z'")
calls("select c1, c2 from t1")

cx.set_authorizer(None)
calls("select * from t2 order by c1")

# SQLite compiles a statement again after each set_authorizer, so a statement the app keeps
# (Python caches them by text) meets the new authorizer at its next run
def deny_all(action, a, b, db, trigger):
    return sqlite3.SQLITE_DENY
cached = cx.execute("select c1 from t1 where c1 = ?", (1,))
print("kept statement ->", cached.fetchall())
cx.set_authorizer(deny_all)
calls("select * from t1")
calls("select c1 from t1 where c1 = ?", (1,))
cx.set_authorizer(logger)
calls("select c1 from t1 where c1 = ?", (1,))
cx.set_authorizer(None)
calls("select c1 from t1 where c1 = ?", (1,))
