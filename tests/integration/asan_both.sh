#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 4, acceptance 8: the PostgreSQL backend under AddressSanitizer, UndefinedBehavior-
# Sanitizer and LeakSanitizer.  Every both-backend transcript script runs through a shim built
# with LS_SANITIZE=ON (preloaded after the sanitizer runtimes) on PostgreSQL; any report fails.
# Needs tests/pg/harness.sh's env (run by scripts/test through `harness.sh run`).
#   asan_both.sh BOTH_BINARY LIBLITESHIFT_ASAN SCRIPTS_DIR
set -euo pipefail
both=$(realpath "$1") shim=$(realpath "$2") dir=$3
asan=$(gcc -print-file-name=libasan.so) ubsan=$(gcc -print-file-name=libubsan.so)
[ -e "$asan" ] && [ -e "$ubsan" ] || { echo "FAIL: sanitizer runtimes not found"; exit 1; }
tmp=$(mktemp -d); db="asan_$$"
trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
n=0
for script in "$dir"/*.sql; do
  dropdb --if-exists "$db" >/dev/null 2>&1 || true
  createdb "$db"
  rc=0
  ASAN_OPTIONS=detect_leaks=1:exitcode=77 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=77 \
    USE_POSTGRES=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
    LD_PRELOAD="$asan $ubsan $shim" "$both" "$tmp/x.db" "$script" >"$tmp/out" 2>"$tmp/err" || rc=$?
  if [ "$rc" -eq 77 ] || grep -q 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error:' "$tmp/err"; then
    echo "FAIL: sanitizer report for $(basename "$script"):"; cat "$tmp/err"; exit 1
  fi
  grep -q '^> ' "$tmp/out" || { echo "FAIL: $(basename "$script") produced no transcript"; cat "$tmp/err"; exit 1; }
  n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "FAIL: no scripts in $dir"; exit 1; }
echo "ok: $n scripts on PostgreSQL through the ASan+UBSan shim: no reports, no leaks"
