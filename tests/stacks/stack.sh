#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One client stack through the shim on both backends (issue 8, acceptance 3): run CMD in a
# fresh directory with libliteshift.so preloaded, on SQLite (USE_POSTGRES unset) and on
# PostgreSQL (a fresh database), and compare what it printed.  To be sure the stack really
# went through the shim to PostgreSQL (a client with its own embedded SQLite would print
# the same on both runs), the PostgreSQL run must leave the table "stack_item" with the
# rows the program says it kept, and the shim's log must show the connection.
#   stack.sh NAME PRELOAD CMD [ARGS]    (environment of tests/pg/harness.sh)
# CMD opens the database file stack.db in its working directory.  With LIBLITESHIFT "-"
# nothing is preloaded (a program linked against libliteshift.so); else PRELOAD is the
# LD_PRELOAD value (absolute paths): libliteshift.so, plus the nodeepbind helper for PHP.
set -euo pipefail
name=$1 shim=$2; shift 2
preload=()
[ "$shim" = - ] || preload=(LD_PRELOAD="$shim")
db="stack_$(echo "$name" | tr -c 'a-z0-9\n' '_')_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
mkdir "$tmp/sqlite" "$tmp/pg"
(cd "$tmp/sqlite" && env -u USE_POSTGRES "${preload[@]}" LITESHIFT_LOG=info \
   LITESHIFT_LOG_FILE="$tmp/sqlite.log" "$@" >"$tmp/sqlite.txt" 2>&1) \
  || { echo "FAIL: $name failed on SQLite"; cat "$tmp/sqlite.txt"; exit 1; }
grep -q 'libliteshift loaded' "$tmp/sqlite.log" || { echo "FAIL: $name: libliteshift.so not loaded"; exit 1; }
(cd "$tmp/pg" && env USE_POSTGRES=1 "${preload[@]}" LITESHIFT_LOG=info LITESHIFT_LOG_FILE="$tmp/pg.log" \
   DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
   "$@" >"$tmp/pg.txt" 2>&1) || true
if ! diff -u "$tmp/sqlite.txt" "$tmp/pg.txt" >"$tmp/diff"; then
  echo "FAIL: $name: PostgreSQL differs from SQLite (- sqlite, + postgres)"
  cat "$tmp/diff"
  exit 1
fi
grep -q 'on PostgreSQL' "$tmp/pg.log" || { echo "FAIL: $name: no PostgreSQL connection in the shim's log"; exit 1; }
[ ! -e "$tmp/pg/stack.db-journal" ] || { echo "FAIL: $name wrote a SQLite journal in PostgreSQL mode"; exit 1; }
rows=$(psql -XAtq -d "$db" -c 'SELECT string_agg(name, $$,$$ ORDER BY name) FROM stack_item')
want=$(sed -n 's/^kept: //p' "$tmp/sqlite.txt")
[ -n "$want" ] && [ "$rows" = "$want" ] \
  || { echo "FAIL: $name: PostgreSQL holds [$rows], the program kept [$want]"; exit 1; }
n=$(wc -l <"$tmp/sqlite.txt")
[ "$n" -ge 10 ] || { echo "FAIL: $name printed only $n lines"; cat "$tmp/sqlite.txt"; exit 1; }
echo "ok: $name: $n lines identical on SQLite and PostgreSQL; PostgreSQL holds $rows"
