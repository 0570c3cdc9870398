#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# LITESHIFT_CAPTURE on both backends (issue 8): tests/integration/capture_app.py runs known
# statements a known number of times, in one process and three forked children appending
# to the same file.  The file must hold exactly those statements with those counts (summed
# over its records), on SQLite and on PostgreSQL alike, and never the bound values.
#   capture.sh LIBLITESHIFT      (environment of tests/pg/harness.sh)
set -euo pipefail
shim=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
db="t_capture_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
env -u USE_POSTGRES LITESHIFT_CAPTURE="$tmp/sqlite.cap" LD_PRELOAD="$shim" \
  python3 "$here/capture_app.py" "$tmp/app.db"
USE_POSTGRES=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
  LITESHIFT_CAPTURE="$tmp/pg.cap" LD_PRELOAD="$shim" python3 "$here/capture_app.py" "$tmp/x.db"
# unset: the shim records nothing and creates no file
env -u USE_POSTGRES -u LITESHIFT_CAPTURE LD_PRELOAD="$shim" python3 "$here/capture_app.py" "$tmp/app2.db"
[ -z "$(ls "$tmp"/*.cap 2>/dev/null | grep -v -e sqlite.cap -e pg.cap)" ]
python3 - "$tmp/sqlite.cap" "$tmp/pg.cap" <<'PY'
import sys
def load(path):
    counts = {}
    headers = 0
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#"):
            headers += line.startswith("# liteshift capture 1 ")
            continue
        n, sql = line.split("\t", 1)
        out, i = [], 0
        while i < len(sql):
            if sql[i] == "\\":
                out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}[sql[i + 1]]); i += 2
            else:
                out.append(sql[i]); i += 1
        sql = "".join(out)
        counts[sql] = counts.get(sql, 0) + int(n)
    return counts, headers
expected = {
    "CREATE TABLE IF NOT EXISTS item(id INTEGER PRIMARY KEY, name TEXT)": 1,
    "DELETE FROM item": 1,
    "INSERT INTO item(name) VALUES (?)": 7,
    "SELECT count(*)\n  FROM item\twhere name <> ?": 3,
    "select 'a\\b'": 1,
    "SELECT name FROM item WHERE id = ?": 12,
    "CREATE VIRTUAL TABLE temp.search USING fts5(body)": 1,
}
sqlite_only = {"INSERT INTO temp.search (body) VALUES ('x')": 1}
ok = True
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    if "SECRET" in text:
        print(f"FAIL: {path} holds a bound value"); ok = False
    got, headers = load(path)
    if headers < 4:
        print(f"FAIL: {path}: {headers} process records, expected 4 (parent + 3 children)"); ok = False
    want = dict(expected, **sqlite_only) if path.endswith("sqlite.cap") else expected
    if got != want:
        print(f"FAIL: {path}: got {got!r}\n  expected {want!r}"); ok = False
if not ok:
    sys.exit(1)
print(f"ok: {len(expected)} statements with their counts on SQLite and PostgreSQL, from 4 processes,"
      " no bound value, none of SQLite's own")
PY
