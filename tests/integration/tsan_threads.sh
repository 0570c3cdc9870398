#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Threads sharing one connection, under ThreadSanitizer: backend.c's "threads" scenario on
# PostgreSQL through the shim built with LS_TSAN=ON (the scenario's binary too, so the TSan
# runtime is loaded first).  Any data race, lock-order report or wrong result fails.  libpq
# is not instrumented: TSan sees the shim's own accesses, which is what the connection
# mutex guards (shim.h, ls_enter).
# Needs tests/pg/harness.sh's env.
#   tsan_threads.sh LIBLITESHIFT_TSAN BACKEND_BINARY_TSAN [THREADS ITERS]
set -euo pipefail
shim=$(realpath "$1") backend=$(realpath "$2") threads=${3:-4} iters=${4:-150}
tmp=$(mktemp -d); db="tsan_$$"
trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
rc=0
TSAN_OPTIONS="halt_on_error=0 exitcode=66" USE_POSTGRES=1 \
  DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
  LD_PRELOAD="$shim" "$backend" threads "$tmp/t.db" "$threads" "$iters" >"$tmp/out" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] || grep -q 'WARNING: ThreadSanitizer' "$tmp/out"; then
  echo "FAIL: threads scenario under ThreadSanitizer (exit $rc):"
  cat "$tmp/out"
  exit 1
fi
echo "ok: $(tail -1 "$tmp/out") -- no ThreadSanitizer reports"
