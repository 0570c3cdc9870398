# SPDX-License-Identifier: MIT
# sqlite3_limit: a lowered SQLITE_LIMIT_VARIABLE_NUMBER or SQLITE_LIMIT_SQL_LENGTH makes a
# statement past it fail at prepare with SQLite's message; statements within still run.
import sqlite3

cx = sqlite3.connect("limits.db")
cx.execute("create table t(id integer primary key)")
cx.execute("insert into t values (1), (2), (3)")
old = cx.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 1)
print("within", cx.execute("select count(*) from t where id != ?", (1,)).fetchone())
try:
    cx.execute("select count(*) from t where id != ? and id != ?", (1, 2))
except sqlite3.OperationalError as e:
    print("past the variable limit:", e)
cx.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, old)
print("restored", cx.execute("select count(*) from t where id != ? and id != ?", (1, 2)).fetchone())
cx.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, 30)
print("short", cx.execute("select 1").fetchone())
try:
    cx.execute("select count(*) from t where id > 0 and id < 100")
except sqlite3.DataError as e:
    print("past the length limit:", type(e).__name__, e)
except sqlite3.Error as e:
    print("past the length limit:", type(e).__name__, e)

cx.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, 1000000)
old = cx.setlimit(sqlite3.SQLITE_LIMIT_FUNCTION_ARG, 2)
print("two args", cx.execute("select max(1, 2), coalesce(NULL, 3)").fetchone())
try:
    cx.execute("select max(1, 2, 3)")
except sqlite3.OperationalError as e:
    print("past the argument limit:", e)
cx.setlimit(sqlite3.SQLITE_LIMIT_FUNCTION_ARG, old)
print("restored", cx.execute("select max(1, 2, 3)").fetchone())
