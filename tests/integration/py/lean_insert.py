# SPDX-License-Identifier: MIT
# Inserts sent without their RETURNING under the replay log (shim/pg_lean.c): a run of
# executemany() inserts inside a transaction (nothing reads lastrowid) goes lean on
# PostgreSQL from its 256th row on (runs here are scaled by K).  What must stay as in SQLite:
#   - last_insert_rowid() after the run, read in SQL and after other statements;
#   - a failed insert in the middle of a run undoes only itself: the rows before it keep
#     the rowids they were given (the replay log runs them again with those);
#   - a SELECT that saw the rows' rowids, then a failure: the rowids stay the ones it saw;
#   - the next rowid after the transaction.
# On PostgreSQL a second session (not through the shim) also draws from the table's
# sequence in the middle of a run: the run's rowids are then not the ones counted, and the
# statements after must still see one consistent table (a replay must not renumber rows a
# SELECT saw).
import os
import sqlite3
import subprocess

on_pg = os.environ.get("USE_POSTGRES") == "1"


def draw_elsewhere(n):
    """n values of t's rowid sequence taken by another session (PostgreSQL only)."""
    if not on_pg:
        return
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    subprocess.run(["psql", "-qXAt", "-v", "ON_ERROR_STOP=1", os.environ["DATABASE_URL"], "-c",
                    "SELECT nextval(pg_get_serial_sequence('t', 'id')) FROM generate_series(1, %d)"
                    % n], check=True, env=env, stdout=subprocess.DEVNULL)


cx = sqlite3.connect("lean_insert.db", isolation_level=None)
cx.execute("create table t(id integer primary key, x text unique, n integer)")
ins = "insert into t(x, n) values (?, ?)"


K = 10


def rows(prefix, a, b):
    return [("%s%d" % (prefix, i), i) for i in range(K * a, K * b)]


def fail(what):
    try:
        cx.executemany(ins, [what])
        print("no error for", what)
    except sqlite3.IntegrityError as e:
        print("error:", e)


# 1. a run, then last_insert_rowid() in SQL and after a read of another table
cx.execute("begin")
cx.executemany(ins, rows("a", 0, 60))
print("last rowid after the run:", cx.execute("select last_insert_rowid()").fetchone())
cx.executemany(ins, rows("b", 0, 40))
cx.execute("select count(*) from sqlite_master").fetchone()
print("after a read:", cx.execute("select last_insert_rowid()").fetchone())
cx.executemany(ins, rows("b", 40, 60))
print("lastrowid read after COMMIT:", cx.execute("commit").lastrowid)   # sqlite3_last_insert_rowid

# 2. a failure in the middle of a run: only it is undone
cx.execute("begin")
cx.executemany(ins, rows("c", 0, 50))
fail(("c7", 999))
last = cx.execute("select last_insert_rowid()").fetchone()[0]
print("last rowid after the failure is c49's:",
      last == cx.execute("select id from t where x = 'c%d'" % (50 * K - 1)).fetchone()[0])
cx.executemany(ins, rows("c", 50, 80))
cx.execute("commit")

# 3. a SELECT saw the run's rowids, then a failure and more of the run
see_d = "select id, x from t where x >= 'd' and x < 'e' order by id"
cx.execute("begin")
cx.execute(see_d).fetchall()   # prepared now: run again below, it runs under the log
cx.executemany(ins, rows("d", 0, 40))
seen = cx.execute(see_d).fetchall()
cx.executemany(ins, rows("d", 40, 70))
fail(("d3", 0))
cx.executemany(ins, rows("d", 70, 90))
cx.execute("commit")
after = cx.execute("select id, x from t where x like 'd%' order by id").fetchall()
print("rows a SELECT saw keep their rowids:", after[:len(seen)] == seen, len(after))

# 4. another session draws from the sequence during a run (PostgreSQL): the draw, the
# SELECT that sees the rows and the failure after it fall in one window of the log (256
# writes), after the run has gone lean (its 256th row)
def rows_abs(a, b):
    return [("e%d" % i, i) for i in range(a, b)]


see_e = "select id, x from t where x >= 'e' and x < 'f' order by id"
cx.execute("begin")
cx.execute(see_e).fetchall()
cx.executemany(ins, rows_abs(0, 270))
draw_elsewhere(5)
cx.executemany(ins, rows_abs(270, 290))
seen = cx.execute(see_e).fetchall()
last = cx.execute("select last_insert_rowid()").fetchone()[0]
print("last rowid is the last row's:", last == seen[-1][0])
cx.executemany(ins, rows_abs(290, 310))
fail(("e5", 0))
cx.executemany(ins, rows_abs(310, 600))
draw_elsewhere(3)
cx.executemany(ins, rows_abs(600, 620))
fail(("e600", 0))
cx.executemany(ins, rows_abs(620, 650))
cx.execute("commit")
after = cx.execute("select id, x from t where x like 'e%' order by id").fetchall()
print("rows seen before a failure keep their rowids:", after[:len(seen)] == seen, len(after))
print("rowids unique and increasing:", all(a[0] < b[0] for a, b in zip(after, after[1:])))
print("rows in insertion order:", sorted(after, key=lambda r: int(r[1][1:])) == after)

# 5. the rowids of the runs without failures, the order of the others (a failed insert
# leaves a gap on PostgreSQL: D13), and the next rowid
print(cx.execute("select id, x, n from t where x < 'c' order by id").fetchall())
print(cx.execute("select x, n from t where x >= 'c' and x < 'e' order by id").fetchall())
cur = cx.execute(ins, ("z", 0))
print("next rowid follows the rows:", cur.lastrowid ==
      cx.execute("select max(id) from t").fetchone()[0])
print(cx.execute("select count(*), sum(n) from t").fetchone())

# 6. inserts that give the rowid themselves, below the sequence's value, draw nothing and
# move nothing: they keep their RETURNING
for q, base in (("insert into t(id, x, n) values (?, ?, ?)", -100000),
                ("insert into t values (?, ?, ?)", -200000)):
    cx.execute("begin")
    cx.executemany(q, [(base + 3 * i, "g%d" % (base + 3 * i), i) for i in range(300)])
    print("explicit rowids, last:", cx.execute("select last_insert_rowid()").fetchone())
    cx.execute("commit")
print(cx.execute("select count(*), sum(n), min(id) from t").fetchone())
