#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 7: the shim and hand-written libpq in one process, alternating blocks (bench_ab.c),
# for the phases whose difference is smaller than what the machine's load moves between
# two processes run seconds apart (run.sh).  Starts a throwaway PostgreSQL (or uses the
# PG* environment with LS_BENCH_PG=env), builds unless LS_BENCH_NOBUILD=1, runs each mode
# RUNS times and prints every run's medians and ratio (libpq time / shim time: above 1
# when the shim is faster).  Modes: select, scan, schema, insert, update, txn, range, bulk
# (bench_ab.c);
# LS_AB_MODES="insert txn" runs some; LS_BENCH_PIN=0 pins the server and the program to CPU 0.
#   tests/bench/ab.sh [BUILD_DIR [RUNS [BLOCKS]]]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-build}") runs=${2:-5} blocks=${3:-101}
if [ "${LS_BENCH_NOBUILD:-0}" != 1 ]; then
  cmake --build "$build" -j2 --target bench_ab ls_shim >/dev/null
fi
ab=$build/tests/bench/bench_ab shim=$build/shim/libliteshift.so
[ -x "$ab" ] && [ -r "$shim" ] || { echo "ab.sh: build first" >&2; exit 1; }
# shellcheck source=pg_db.sh
. "$here/pg_db.sh"
bench_db ls_ab
url="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"
echo "machine: $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mode    shim_us  libpq_us  libpq/shim   ($blocks blocks per run, medians)"
for ((r = 0; r < runs; r++)); do
  for mode in ${LS_AB_MODES:-select scan schema insert update txn range bulk}; do
    per=200; [ $mode = scan ] || [ $mode = schema ] && per=1; [ $mode = range ] && per=20
    "${bench_pin[@]}" env USE_POSTGRES=1 DATABASE_URL="$url" LD_PRELOAD="$shim" "$ab" "$tmp/ab.db" \
      $mode "$blocks" $per |
      awk '{ printf "%-7s %8s %9s %11s\n", $2, $3, $4, $5 }'
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
