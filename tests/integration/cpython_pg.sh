#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 4, acceptance 7: CPython's own test_sqlite3 with the shim on PostgreSQL.
#   mode memory : USE_POSTGRES=1 LITESHIFT_MEMORY=postgres (every database on PostgreSQL)
#   mode default: USE_POSTGRES=1 (files on PostgreSQL, :memory: stays on SQLite)
# Runs the suite against a fresh database, prints the figures, and fails when fewer than
# MIN tests pass or when a failing test is not listed, with its reason, in
# docs/compatibility.md (section "CPython test_sqlite3").  Needs tests/pg/harness.sh's env.
#   cpython_pg.sh LIBLITESHIFT MODE MIN COMPATIBILITY_MD
set -euo pipefail
shim=$(realpath "$1") mode=$2 min=$3 doc=$(realpath "$4")
py=${PYTHON:-python3}
db="cpy_${mode}_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
export USE_POSTGRES=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"
[ "$mode" = memory ] && export LITESHIFT_MEMORY=postgres
cd "$tmp"
LD_PRELOAD="$shim" timeout 900 "$py" -m test -v test_sqlite3 >out.txt 2>&1 || true
grep -E '^Total tests:' out.txt || { echo "FAIL: the suite printed no summary"; tail -30 out.txt; exit 1; }
passed=$(grep -cE ' \.\.\. ok$' out.txt || true)
grep -E '^(FAIL|ERROR): test' out.txt | sed -E 's/^(FAIL|ERROR): ([A-Za-z0-9_]+).*/\2/' | sort -u >failing.txt
failed=$(wc -l <failing.txt)
echo "mode $mode: $passed passed, $failed failed or errored"
missing=0
while read -r t; do
  if ! grep -q -- "\`$t\`" "$doc"; then
    echo "not documented in docs/compatibility.md: $t"
    missing=$((missing + 1))
  fi
done <failing.txt
[ "$missing" -eq 0 ] || { echo "FAIL: $missing failing tests are not listed with a reason"; exit 1; }
[ "$passed" -ge "$min" ] || { echo "FAIL: $passed passed, fewer than $min"; exit 1; }
echo "ok: mode $mode: $passed passed (minimum $min); every failure is documented"
