#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Pass-through overhead benchmark (not a CI test).  Runs bench_passthrough natively and with
# libliteshift.so preloaded (USE_POSTGRES unset): instruction counts under callgrind (exact,
# repeatable) and, when hyperfine is installed, wall-clock time.  Prints the ratios.
#   tests/bench/passthrough.sh [BUILD_DIR] [ROWS]
set -euo pipefail
build=$(realpath "${1:-build}") rows=${2:-20000}
bench=$build/tests/bench/bench_passthrough shim=$build/shim/libliteshift.so
[ -x "$bench" ] && [ -r "$shim" ] || { echo "build first: scripts/setup" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
count() {  # $1 label, rest env
  local label=$1; shift
  env -u USE_POSTGRES "$@" valgrind --tool=callgrind --callgrind-out-file="$tmp/$label.out" \
    "$bench" "$tmp/$label.db" "$rows" >"$tmp/$label.txt" 2>"$tmp/$label.err"
  grep -m1 -oE 'Collected : [0-9]+' "$tmp/$label.err" | awk '{print $3}'
}
n=$(count native)
s=$(count shim LD_PRELOAD="$shim")
cmp -s "$tmp/native.txt" "$tmp/shim.txt" || { echo "FAIL: checksums differ"; exit 1; }
echo "workload: $rows inserts, $((rows * 2)) point selects, $((rows / 100)) range aggregates, $((rows / 20)) prepares; $(cat "$tmp/native.txt")"
echo "instructions native:  $n"
echo "instructions shimmed: $s"
awk -v n="$n" -v s="$s" 'BEGIN { printf "instruction ratio shim/native: %.4f (%+.2f%%)\n", s / n, (s - n) * 100 / n }'
if command -v hyperfine >/dev/null; then
  hyperfine -N -w 3 -r 15 --export-json "$tmp/h.json" \
    -n native "env -u USE_POSTGRES $bench $tmp/w.db $rows" \
    -n shim "env -u USE_POSTGRES LD_PRELOAD=$shim $bench $tmp/w.db $rows" >/dev/null
  python3 - "$tmp/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
n, s = r["native"]["median"], r["shim"]["median"]
print("wall-clock median native %.1f ms, shim %.1f ms, throughput ratio shim/native %.3f" % (n * 1e3, s * 1e3, n / s))
PY
fi
