# SPDX-License-Identifier: MIT
# sqlite_master's CREATE text for tables and views nobody recorded (made by another client),
# rebuilt from the server's catalog: a name holding a double quote is written with it doubled,
# as SQLite writes it, so the text parses.  On PostgreSQL the records are removed first; the
# app's own texts are written in the shape the catalog gives (every name quoted) so that both
# backends print the same.
import os
import subprocess
import sqlite3

c = sqlite3.connect("master_quote.db", isolation_level=None)


def show(label, sql, args=()):
    try:
        print(label, c.execute(sql, args).fetchall())
    except sqlite3.Error as e:
        print(label, "error:", type(e).__name__, e)


show("create", 'create table "q""t"("we""ird", "b c", "x")')
show("insert", 'insert into "q""t" values (1, 2, 3)')
if os.environ.get("USE_POSTGRES"):
    # psql without the shim: an instrumented build preloaded into it hangs at start
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    subprocess.run(["psql", "-qAtX", "-d", os.environ["DATABASE_URL"], "-c",
                    "DELETE FROM liteshift.master WHERE name = 'q\"t'"], check=True,
                   env=env, stdin=subprocess.DEVNULL, timeout=60)
show("master", "select type, name, tbl_name, sql from sqlite_master where name = 'q\"t'")
show("parses", "select sql from sqlite_master where name = 'q\"t'")
sql = c.execute("select sql from sqlite_master where name = 'q\"t'").fetchone()[0]
m = sqlite3.connect(":memory:")
m.execute(sql.replace('"q""t"', '"copy"', 1))
print("columns", [r[1] for r in m.execute("pragma table_info(copy)")])
