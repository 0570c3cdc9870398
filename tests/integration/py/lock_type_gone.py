# SPDX-License-Identifier: MIT
# Both backends: autocommit writes keep working when the compat pack's lock_key type, with
# which the shim takes SQLite's write lock as a statement's parameters are read
# (shim/pg_exec.c, bind_lock), is dropped while the connection is open (an operator removing
# the pack by hand).  The connection then takes its locks by statements, as without the pack:
# nothing fails, no write is lost, and the lock still holds writers off.  On SQLite the drop
# is skipped; the output must be the same.
import os
import sqlite3
import subprocess
import time

DB = "lock_type_gone.db"
on_pg = os.environ.get("USE_POSTGRES") == "1"


def connect(timeout):
    return sqlite3.connect(DB, timeout=timeout, isolation_level=None)


a = connect(0.2)
a.execute("pragma journal_mode=wal")
a.execute("create table t(id integer primary key, v integer)")
a.execute("insert into t(id, v) values (1, 0), (2, 0)")
c = connect(0.2)
up = "update t set v = v + 1 where id = ?"
up2 = "update t set v = v + 10 where id = ?"
a.execute(up, (1,))   # run once: the next run goes with the lock in its parameters
a.execute(up, (1,))   # ... prepared with the type, which the drop then takes away
c.execute(up2, (2,))  # run once only: its next run prepares it with the type, after the drop
if on_pg:
    # (psql without the shim: an instrumented build preloaded into it hangs at start)
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    subprocess.run(["psql", "-qX", "-v", "ON_ERROR_STOP=1", os.environ["DATABASE_URL"], "-c",
                    "DROP DOMAIN liteshift.lock_key"], check=True, env=env, timeout=60)
for i in range(3):
    a.execute(up, (1,))
    c.execute(up2, (2,))
print("after the drop:", a.execute("select * from t order by id").fetchall())

b = connect(0.2)
b.execute("begin immediate")
t0 = time.monotonic()
for cx, sql, args in [(a, up, (1,)), (c, up2, (2,))]:
    try:
        cx.execute(sql, args)
        print("while b holds the write lock: ran")
    except sqlite3.OperationalError as e:
        print("while b holds the write lock:", e, "| waited:", 0.15 < time.monotonic() - t0 < 3)
        t0 = time.monotonic()
b.execute("commit")
a.execute(up, (1,))
print("at the end:", a.execute("select * from t order by id").fetchall())
