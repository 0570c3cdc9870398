# SPDX-License-Identifier: MIT
# sqlite3_progress_handler on both backends: called while statements run, a nonzero answer
# stops the statement with SQLITE_INTERRUPT ("interrupted"), also a long one already running
# on the server, and the connection stays usable; None clears it.
import sqlite3
import time

cx = sqlite3.connect("progress.db", isolation_level=None)
calls = []
cx.set_progress_handler(lambda: calls.append(1) or 0, 1)
cx.execute("create table foo(a integer, b text)")
cx.execute("insert into foo values (1, 'x')")
print("handler called:", len(calls) > 0)

cx.set_progress_handler(lambda: 1, 1)
try:
    cx.execute("select * from foo").fetchall()
    print("not stopped")
except sqlite3.OperationalError as e:
    print("stopped:", e)

def bad():
    1 / 0
cx.set_progress_handler(bad, 1)
try:
    cx.execute("select * from foo").fetchall()
    print("not stopped")
except sqlite3.OperationalError as e:
    print("raising handler:", type(e).__name__)

cx.set_progress_handler(None, 1)
print("cleared:", cx.execute("select a, b from foo").fetchall())

# a statement that would run for minutes, stopped after about 0.2 s
start = time.monotonic()
cx.set_progress_handler(lambda: time.monotonic() - start > 0.2, 100)
try:
    cx.execute("with recursive c(n) as (select 1 union all select n + 1 from c "
               "where n < 2000000000) select count(*) from c").fetchall()
    print("long query finished")
except sqlite3.OperationalError as e:
    print("long query stopped:", e, "within 5 s:", time.monotonic() - start < 5)
cx.set_progress_handler(None, 1)

# inside a transaction: as SQLite documents for sqlite3_interrupt, an INSERT, UPDATE or
# DELETE stopped inside an explicit transaction rolls the whole transaction back
cx.execute("begin")
cx.execute("insert into foo values (2, 'y')")
cx.set_progress_handler(lambda: 1, 1)
try:
    cx.execute("insert into foo values (3, 'z')")
except sqlite3.OperationalError as e:
    print("insert stopped:", e)
cx.set_progress_handler(None, 1)
print("still in a transaction:", cx.in_transaction)
if cx.in_transaction:
    cx.execute("commit")
print("after:", cx.execute("select a from foo order by a").fetchall())
