# SPDX-License-Identifier: MIT
# Statement rollback by the replay log (pg_replay.c) and INSERT OR IGNORE: a failed statement
# must leave the next rowid where it would be had it not run.  The same writes run in two
# tables, with and without failed statements between them; the rowids given next must be the
# same (on PostgreSQL an ignored INSERT draws a rowid from the identity sequence: the rowids
# differ from SQLite's, but alike in both tables).  Failed on PostgreSQL with the replay log:
# each ignored INSERT run again drew one more rowid, and its sequence, set back only for
# INSERTs that returned a rowid, kept it.
import sqlite3

cx = sqlite3.connect("replay_ignore_sequence.db", isolation_level=None)
cx.execute("create table u(y integer unique)")
nexts = []
for name, fail in (("quiet", False), ("failing", True)):
    cx.execute("create table %s(id integer primary key, x text unique)" % name)
    fails = ["insert into u(y) values (?) -- %s %d" % (name, i) for i in range(3)]
    cx.execute("begin")
    cx.execute("insert into %s(x) values (?)" % name, ("a",))   # takes the write lock
    for i, q in enumerate(fails):
        cx.execute(q, (100 * fail + i,))     # run once: the next run of each is logged
    for i, q in enumerate(fails):
        cx.execute("insert or ignore into %s(x) values (?)" % name, ("a",))   # ignored
        if fail:
            try:
                cx.execute(q, (100 + i,))    # fails: a duplicate
            except sqlite3.IntegrityError as e:
                print("error:", e)
    nexts.append(cx.execute("insert into %s(x) values (?)" % name, ("b",)).lastrowid)
    cx.execute("commit")
print("same next rowid with and without failed statements:", nexts[0] == nexts[1])
