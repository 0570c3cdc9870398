# SPDX-License-Identifier: MIT
# D2 on both backends: the catalog never shows the hidden "<name>:class" column PostgreSQL
# keeps beside a column declared without a type.  PRAGMA table_info and table_xinfo, their
# table-valued forms and table_list's column count answer as SQLite does, cid without gaps,
# first from the recorded CREATE TABLE text, then (on PostgreSQL) for the same tables with
# their records removed, as for tables made by another client, where the server's catalog
# answers.
import os
import subprocess
import sqlite3

c = sqlite3.connect("catalog_class.db", isolation_level=None)


def show(label, sql, args=()):
    try:
        print(label, c.execute(sql, args).fetchall())
    except sqlite3.Error as e:
        print(label, "error:", type(e).__name__, e)


show("create", "create table tl(a, b INTEGER, c default 5, d TEXT not null, e default 'x')")
show("create keyed", "create table tk(id INTEGER primary key, v, w REAL)")
show("add", "alter table tk add column z")


def catalog(when):
    for t in ("tl", "tk"):
        show(when + " info " + t, "pragma table_info(%s)" % t)
        show(when + " xinfo " + t, "pragma table_xinfo(%s)" % t)
        show(when + " tvf " + t, "select cid, name, type from pragma_table_info(?) order by cid", (t,))
        show(when + " list " + t, "select name, ncol from pragma_table_list(?)", (t,))
    show(when + " star", "select * from tk")


catalog("recorded")
if os.environ.get("USE_POSTGRES"):
    # forget what the shim recorded: the PRAGMAs then read the server's catalog
    # (psql without the shim: an instrumented build preloaded into it hangs at start)
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    subprocess.run(["psql", "-qAtX", "-d", os.environ["DATABASE_URL"], "-c",
                    "DELETE FROM liteshift.master WHERE name IN ('tl', 'tk')"], check=True,
                   env=env, stdin=subprocess.DEVNULL, timeout=60)
catalog("catalog")
