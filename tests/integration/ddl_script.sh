#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 7: sqlite3_exec of a script made only of DDL runs in one pipeline on PostgreSQL
# (shim/pg_script.c).  backend.c's ddl_script scenario runs on SQLite and on PostgreSQL
# through the shim; each run checks SQLite's documented outcome, the two transcripts must
# be identical, and on PostgreSQL the four-statement script must cost one round trip (the
# shim logs each connection's count at close; the scenario's last two connections differ
# only by that script).
#   ddl_script.sh BACKEND_BINARY LIBLITESHIFT
set -euo pipefail
bin=$1 shim=$(realpath "$2")
db="t_ddl_script_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
echo "== SQLite"
env -u USE_POSTGRES LD_PRELOAD="$shim" "$bin" ddl_script "$tmp/lite.db" | tee "$tmp/lite.out"
echo "== PostgreSQL"
USE_POSTGRES=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
  LD_PRELOAD="$shim" LITESHIFT_LOG=info LITESHIFT_LOG_FILE="$tmp/log" \
  "$bin" ddl_script "$tmp/pg.db" | tee "$tmp/pg.out"
diff -u "$tmp/lite.out" "$tmp/pg.out" || { echo "FAIL: the transcripts differ"; exit 1; }
mapfile -t n < <(grep -oE 'closed after [0-9]+ round trips' "$tmp/log" | grep -oE '[0-9]+' | tail -2)
[ "${#n[@]}" = 2 ] || { echo "FAIL: no round trip counts in the log"; exit 1; }
echo "round trips: ${n[0]} for open and close, ${n[1]} with the four-statement DDL script"
[ $(( n[1] - n[0] )) = 1 ] || { echo "FAIL: the DDL script took $(( n[1] - n[0] )) round trips, not 1"; exit 1; }
echo "ok"
