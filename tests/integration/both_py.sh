#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Both backends, same test, for scenarios written in Python's sqlite3 (a real client of
# libsqlite3.so.0): run PROGRAM.py with the shim preloaded on SQLite (pass-through, a fresh
# directory) and on PostgreSQL (a fresh database; :memory: databases there too), and compare
# what it printed.
# Needs the environment of tests/pg/harness.sh (PGHOST, PGPORT...).
#   both_py.sh LIBLITESHIFT PROGRAM.py
set -euo pipefail
shim=$(realpath "$1") prog=$(realpath "$2")
pylib=$(cd "$(dirname "$0")/pylib" && pwd)  # helpers the scenarios import (lstest.py)
name=$(basename "$prog" .py)
db="py_$(echo "$name" | tr -c 'a-z0-9\n' '_')_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
mkdir "$tmp/sqlite" "$tmp/pg"
(cd "$tmp/sqlite" && env -u USE_POSTGRES PYTHONPATH="$pylib" LD_PRELOAD="$shim" python3 "$prog" >"$tmp/sqlite.txt" 2>&1) \
  || { echo "FAIL: $name failed on SQLite"; cat "$tmp/sqlite.txt"; exit 1; }
(cd "$tmp/pg" && PYTHONPATH="$pylib" USE_POSTGRES=1 LITESHIFT_MEMORY=postgres DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
  LD_PRELOAD="$shim" python3 "$prog" >"$tmp/pg.txt" 2>&1) || true
if ! diff -u "$tmp/sqlite.txt" "$tmp/pg.txt" >"$tmp/diff"; then
  echo "FAIL: $name: PostgreSQL differs from SQLite (- sqlite, + postgres)"
  cat "$tmp/diff"
  exit 1
fi
n=$(wc -l <"$tmp/sqlite.txt")
[ "$n" -gt 0 ] || { echo "FAIL: $name printed nothing"; exit 1; }
echo "ok: $name: $n lines, identical output on SQLite and PostgreSQL"
