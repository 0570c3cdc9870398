#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 4, acceptance 8: the backend under valgrind.  Every both-backend transcript script
# runs through the shim on PostgreSQL under memcheck; any invalid read/write, use of
# uninitialised memory or definite leak fails the test.  Needs tests/pg/harness.sh's env.
#   valgrind_both.sh BOTH_BINARY LIBLITESHIFT SCRIPTS_DIR
set -euo pipefail
both=$1 shim=$(realpath "$2") dir=$3
command -v valgrind >/dev/null || { echo "FAIL: valgrind is not installed"; exit 1; }
tmp=$(mktemp -d); db="vg_$$"
trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
n=0
for script in "$dir"/*.sql; do
  dropdb --if-exists "$db" >/dev/null 2>&1 || true
  createdb "$db"
  if ! USE_POSTGRES=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
       LD_PRELOAD="$shim" valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
       --error-exitcode=99 "$both" "$tmp/x.db" "$script" >"$tmp/out" 2>"$tmp/err"; then
    if grep -q '==[0-9]*==' "$tmp/err"; then
      echo "FAIL: valgrind reports errors for $(basename "$script"):"; cat "$tmp/err"; exit 1
    fi
  fi
  grep -q '==[0-9]*==' "$tmp/err" && { echo "FAIL: valgrind output for $(basename "$script"):"; cat "$tmp/err"; exit 1; }
  grep -q '^> ' "$tmp/out" || { echo "FAIL: $(basename "$script") produced no transcript"; exit 1; }
  n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "FAIL: no scripts in $dir"; exit 1; }
echo "ok: $n scripts on PostgreSQL under valgrind memcheck: no errors, no definite leaks"
