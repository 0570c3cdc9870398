#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The connection lock's cost per call (bench_lock.c): sqlite3_column_int64 through the shim
# on PostgreSQL (the biased lock, then the mutex once another thread has called) against
# the same calls on SQLite through the shim in pass-through (SQLite's own mutex).  Starts a
# throwaway PostgreSQL (or uses the PG* environment with LS_BENCH_PG=env).
#   tests/bench/lock.sh [BUILD_DIR [N]]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-build}") n=${2:-20000000}
if [ "${LS_BENCH_NOBUILD:-0}" != 1 ]; then
  cmake --build "$build" -j2 --target bench_lock ls_shim >/dev/null
fi
bin=$build/tests/bench/bench_lock shim=$build/shim/libliteshift.so
# shellcheck source=pg_db.sh
. "$here/pg_db.sh"
bench_db ls_lock
url="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"
read -r pg_own pg_shared < <("${bench_pin[@]}" env USE_POSTGRES=1 DATABASE_URL="$url" LD_PRELOAD="$shim" "$bin" "$tmp/l.db" "$n")
read -r sq_own sq_shared < <("${bench_pin[@]}" env -u USE_POSTGRES LD_PRELOAD="$shim" "$bin" "$tmp/l.db" "$n")
echo "sqlite3_column_int64, ns per call (best of 5 x $n):"
printf "  %-34s %6s\n" "PostgreSQL, opening thread (biased)" "$pg_own" \
  "PostgreSQL, after another thread" "$pg_shared" \
  "SQLite pass-through, opening thread" "$sq_own" "SQLite pass-through, after" "$sq_shared"
