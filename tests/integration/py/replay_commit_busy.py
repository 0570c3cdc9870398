# SPDX-License-Identifier: MIT
# Statement rollback by the replay log (pg_replay.c) and a COMMIT that readers keep busy
# (docs/compatibility.md D11): in SQLite's rollback journal a reader's transaction makes a
# writer's COMMIT fail with "database is locked", the writer's transaction still open and
# whole; it commits once the reader is gone.  The writer's later writes run under ls_base
# (logged), so COMMIT's own savepoint is opened inside it: undoing the busy COMMIT must not
# lose the transaction.  Also the RELEASE that commits a transaction begun by SAVEPOINT.
# Failed on PostgreSQL with the replay log: "current transaction is aborted", the writes lost
# and every later statement of the connection failing.
import signal
import sqlite3

from lstest import attempt

signal.alarm(120)

DB = "replay_commit_busy.db"


def connect():
    return sqlite3.connect(DB, timeout=0, isolation_level=None, check_same_thread=False)


s = connect()
s.execute("create table t(x integer)")
s.execute("insert into t values (0)")
for end, begin in (("commit", "begin"), ("release w", "savepoint w")):
    r, w = connect(), connect()
    r.execute("begin")
    print("r reads:", r.execute("select count(*) from t").fetchone()[0])
    w.execute(begin)
    for v in (1, 2, 3):   # the first takes the write lock, the others are logged
        w.execute("insert into t values (?)", (v,))
    attempt("w %s while r reads" % end, lambda: w.execute(end) and None)
    print("w in transaction:", w.in_transaction)
    attempt("w reads", lambda: w.execute("select count(*) from t").fetchone()[0])
    attempt("r commits", lambda: r.execute("commit") and None)
    attempt("w %s again" % end, lambda: w.execute(end) and None)
    print("w in transaction:", w.in_transaction)
    attempt("w reads", lambda: w.execute("select count(*) from t").fetchone()[0])
    print("rows:", s.execute("select x from t order by x").fetchall())
    s.execute("delete from t where x > 0")
    r.close()
    w.close()
