# SPDX-License-Identifier: MIT
# Statement rollback by the replay log (pg_replay.c) and a statement the server refuses when
# it is described: a blob bound to a statement run for the first time makes the shim describe
# it first (check_blobs), inside a SAVEPOINT of its own.  In SQLite the statement fails (no
# such table) and the transaction goes on whole.  Failed on PostgreSQL with the replay log:
# the describe's savepoint was opened inside ls_base and undoing it sent RELEASE ls_base into
# the aborted transaction, so the transaction stayed aborted; the next logged statement then
# rolled back to that old ls_base with nothing to run again, and COMMIT succeeded without
# the writes made before the refused statement.
import sqlite3

from lstest import attempt

cx = sqlite3.connect("replay_describe_abort.db", isolation_level=None)
cx.execute("create table t(x integer, b blob)")


cx.execute("begin")
for v in (1, 2, 3):   # the first takes the write lock, the others are logged
    cx.execute("insert into t(x) values (?)", (v,))
attempt("blob into a missing table",
        lambda: cx.execute("insert into nosuch values (?)", (b"ab",)) and None)
attempt("insert after", lambda: cx.execute("insert into t(x) values (?)", (4,)) and None)
print("in transaction:", cx.in_transaction)
attempt("commit", lambda: cx.execute("commit") and None)
attempt("rows", lambda: cx.execute("select x from t order by x").fetchall())
