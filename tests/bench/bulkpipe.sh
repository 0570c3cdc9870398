#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The pipelined bulk insert alone (issue 7, point 3; not a CI test): the shim with
# LITESHIFT_PIPELINE=1 against hand-written libpq pipeline mode (bench_bulkpipe.c).
#  1. client instructions per insert, exact: callgrind over a 1,000- and an 11,000-insert run
#     of each, the difference divided by 10,000 (setup and connection cancel out);
#  2. wall clock: ROUNDS interleaved rounds, each the best of 3 transactions of N inserts per
#     side; prints the medians and the median of the per-round ratios libpq/shim.
# Both sides must read back the same row count and sums.
#   tests/bench/bulkpipe.sh [BUILD_DIR [ROUNDS [N]]]
# Environment: LS_BENCH_PG=env uses the server of the PG* variables (a database is created
# and dropped); otherwise a throwaway server is started (tests/pg/harness.sh).
# LS_BULK_SHIM=path compares another build of libliteshift.so as a third column.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-build}") rounds=${2:-10} n=${3:-10000}
bench=$build/tests/bench/bench_bulkpipe shim=$build/shim/libliteshift.so
[ -x "$bench" ] && [ -r "$shim" ] || { echo "bulkpipe.sh: build first" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "bulkpipe.sh: needs valgrind" >&2; exit 1; }
# shellcheck source=pg_db.sh
. "$here/pg_db.sh"
bench_db ls_bulkpipe
export DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"

side() {  # $1 shim path or "libpq", rest: N REPS
  local s=$1; shift
  if [ "$s" = libpq ]; then
    "$bench" libpq "$@"
  else
    USE_POSTGRES=1 LITESHIFT_PIPELINE=1 LD_PRELOAD="$s" "$bench" sqlite "$tmp/x.db" "$@"
  fi
}
cg() {  # $1 side, $2 N: callgrind's instruction count
  local s=$1 k=$2
  if [ "$s" = libpq ]; then
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" libpq "$k" 1 \
      2>&1 >/dev/null | grep -oE 'Collected : [0-9]+' | awk '{print $3}'
  else
    USE_POSTGRES=1 LITESHIFT_PIPELINE=1 LD_PRELOAD="$s" valgrind --tool=callgrind \
      --callgrind-out-file=/dev/null "$bench" sqlite "$tmp/x.db" "$k" 1 \
      2>&1 >/dev/null | grep -oE 'Collected : [0-9]+' | awk '{print $3}'
  fi
}
per_insert() {  # $1 side: instructions per insert
  local a b
  side "$1" 10 1 >/dev/null  # the first run in a database installs the compat objects
  a=$(cg "$1" 1000) b=$(cg "$1" 11000)
  awk -v a="$a" -v b="$b" 'BEGIN { printf "%.0f", (b - a) / 10000 }'
}
sides=("$shim" libpq)
[ -n "${LS_BULK_SHIM:-}" ] && sides+=("$(realpath "$LS_BULK_SHIM")")
echo "bulk transaction of $n inserts; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for s in "${sides[@]}"; do
  echo "client instructions per insert, $( [ "$s" = libpq ] && echo libpq || echo "$s"): $(per_insert "$s")"
done
for ((r = 0; r < rounds; r++)); do
  line=""
  for s in "${sides[@]}"; do
    side "$s" "$n" 3 >"$tmp/out" || exit 1
    grep '^check' "$tmp/out" >>"$tmp/checks"
    line="$line $(awk '$1 == "run" { print $2 }' "$tmp/out" | sort -n | head -1)"
  done
  echo "$line" >>"$tmp/times"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$(sort -u "$tmp/checks" | wc -l)" = 1 ] || { echo "FAIL: the sides read back different rows"; sort -u "$tmp/checks"; exit 1; }
python3 - "$tmp/times" "${#sides[@]}" <<'PY'
import sys, statistics as S
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
cols = list(zip(*rows))
print("median ms (best of 3 per round, %d rounds): shim %.1f, libpq %.1f%s" % (
    len(rows), S.median(cols[0]), S.median(cols[1]),
    ", other shim %.1f" % S.median(cols[2]) if len(cols) > 2 else ""))
print("libpq/shim: median of per-round ratios %.3f, ratio of medians %.3f" % (
    S.median([r[1] / r[0] for r in rows]), S.median(cols[1]) / S.median(cols[0])))
if len(cols) > 2:
    print("libpq/other shim: median of per-round ratios %.3f" % S.median([r[1] / r[2] for r in rows]))
PY
echo "checks: identical ($(head -1 "$tmp/checks"))"
