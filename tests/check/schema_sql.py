#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Print a SQLite database's schema (and, with --data, its rows) as SQL that the shim can
run on PostgreSQL, for tests that need the copied schema before `liteshift copy` does it.

Statements are the ones SQLite stored (sqlite_master.sql), so on PostgreSQL they go through
the shim's own DDL translation.  Tables come in foreign-key order (SQLite accepts a
reference to a table created later, PostgreSQL does not), then indexes, views, triggers,
then PRAGMA user_version.  Rows are written as literals: integers, floats in repr (exact),
text with quotes doubled, blobs as X'..', NULL.

    schema_sql.py DATABASE [--data]
"""
import sqlite3
import sys


def literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, bytes):
        return "X'%s'" % v.hex()
    return "'%s'" % v.replace("'", "''")


def main(argv):
    db = sqlite3.connect("file:%s?mode=ro" % argv[1], uri=True)
    data = "--data" in argv[2:]
    objs = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL"
                      " AND name NOT LIKE 'sqlite_%' ORDER BY rowid").fetchall()
    tables = [o for o in objs if o[0] == "table"]
    deps = {t[1].lower(): {r[2].lower() for r in db.execute(
        "SELECT * FROM pragma_foreign_key_list(?)", (t[1],))} - {t[1].lower()} for t in tables}
    done, order = set(), []
    while len(order) < len(tables):
        ready = [t for t in tables if t[1].lower() not in done
                 and deps[t[1].lower()] <= done | {x for x in deps if x not in deps}]
        if not ready:  # a cycle: the rest in stored order
            ready = [t for t in tables if t[1].lower() not in done]
        for t in ready:
            order.append(t)
            done.add(t[1].lower())
    out = sys.stdout
    for t in order:
        out.write(t[3] + ";\n")
    if data:
        out.write("BEGIN;\n")
        for t in order:
            cols = [r[1] for r in db.execute("SELECT * FROM pragma_table_info(?)", (t[1],))]
            names = ", ".join('"%s"' % c.replace('"', '""') for c in cols)
            for row in db.execute('SELECT %s FROM "%s"' % (names, t[1].replace('"', '""'))):
                out.write('INSERT INTO "%s" (%s) VALUES (%s);\n' % (
                    t[1].replace('"', '""'), names, ", ".join(literal(v) for v in row)))
        out.write("COMMIT;\n")
    for o in objs:
        if o[0] in ("index", "view", "trigger"):
            out.write(o[3] + ";\n")
    out.write("PRAGMA user_version = %d;\n" % db.execute("PRAGMA user_version").fetchone()[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
