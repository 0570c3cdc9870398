#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 5, acceptance 1: the compat functions give SQLite's results.  compat_funcs.c runs
# its grids on SQLite and on PostgreSQL through the shim under several time zones (TZ); the
# outputs must be identical.  Prints the number of compared results per function.
#   compat_funcs.sh COMPAT_FUNCS_BINARY LIBLITESHIFT [GROUP]
set -euo pipefail
prog=$(realpath "$1") shim=$(realpath "$2") group=${3:-}
tmp=$(mktemp -d)
dbs=()
cleanup() { rm -rf "$tmp"; for d in "${dbs[@]}"; do dropdb --if-exists "$d" >/dev/null 2>&1 || true; done; }
trap cleanup EXIT
status=0
for zone in UTC America/New_York Australia/Lord_Howe; do
  db="t_funcs_$$_${#dbs[@]}"; dbs+=("$db"); createdb "$db"
  tag=$(echo "$zone" | tr '/' '_')
  g=$group
  [ -z "$g" ] && [ "$zone" != UTC ] && g=dates   # the scalar grid does not depend on TZ
  TZ=$zone env -u USE_POSTGRES LD_PRELOAD="$shim" "$prog" "$tmp/s_$tag.db" $g \
    >"$tmp/sqlite_$tag.txt" 2>&1 || { echo "FAIL: the grid failed on SQLite ($zone)"; tail -5 "$tmp/sqlite_$tag.txt"; exit 1; }
  TZ=$zone USE_POSTGRES=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
    LD_PRELOAD="$shim" "$prog" "$tmp/ignored.db" $g >"$tmp/pg_$tag.txt" 2>&1 || true
  if ! diff "$tmp/sqlite_$tag.txt" "$tmp/pg_$tag.txt" >"$tmp/diff_$tag"; then
    echo "FAIL: TZ=$zone: $(grep -c '^>' "$tmp/diff_$tag") results differ (< sqlite, > postgres):"
    head -40 "$tmp/diff_$tag"
    status=1
  fi
  echo "TZ=$zone: results compared per function:"
  cut -f1 "$tmp/sqlite_$tag.txt" | sort | uniq -c | awk '{printf "  %-12s %d\n", $2, $1}'
done
[ $status = 0 ] && echo "ok: identical results on SQLite and PostgreSQL"
exit $status
