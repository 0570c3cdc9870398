#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a file of SQL statements on a database with Python's sqlite3, one at a time, as an
app would, and carry on after a failure.  Each failure is one line on stderr:
FAILED<TAB>statement (newlines as \\n)<TAB>error; stdout gets each statement's row count.

    run_workload.py DATABASE WORKLOAD.sql
"""
import sqlite3
import sys


def statements(path):
    buf = ""
    for line in open(path, encoding="utf-8"):
        if not buf and (line.startswith("--") or not line.strip()):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf.strip().rstrip(";").strip()
            buf = ""


def main(argv):
    conn = sqlite3.connect(argv[1])
    failed = 0
    for sql in statements(argv[2]):
        try:
            rows = conn.execute(sql).fetchall()
            print(len(rows))
        except sqlite3.Error as e:
            failed += 1
            print("FAILED\t%s\t%s" % (sql.replace("\n", "\\n"), e), file=sys.stderr)
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
