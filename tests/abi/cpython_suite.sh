#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Acceptance (issue 2, point 2): CPython's own test_sqlite3 through the shim in pass-through
# mode gives exactly the native result.  Runs the suite natively and with LD_PRELOAD, checks
# the shim really was loaded (its log line), and compares the run/skipped/failed counts and
# the per-test outcomes.
#   cpython_suite.sh LIBLITESHIFT
set -euo pipefail
shim=$(realpath "$1")
py=${PYTHON:-python3}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
run() {  # $1 = output file, rest = env assignments
  local out=$1; shift
  env -u USE_POSTGRES "$@" "$py" -m test -v test_sqlite3 >"$out" 2>&1 || true
}
run native.txt
run shim.txt LD_PRELOAD="$shim" LITESHIFT_LOG=info LITESHIFT_LOG_FILE="$tmp/shim.log"
grep -q 'libliteshift loaded' "$tmp/shim.log" \
  || { echo "FAIL: the shim was not loaded into python3 (no log line)"; exit 1; }
summary() { grep -E '^(Total tests:|Result:)' "$1" | tr '\n' ' '; }
outcomes() { grep -E ' \.\.\. (ok|FAIL|ERROR|skipped.*|expected failure|unexpected success)$' "$1" | sed -E 's/ \.\.\. skipped.*/ ... skipped/' | sort; }
echo "native: $(summary native.txt)"
echo "shim:   $(summary shim.txt)"
[ -n "$(summary native.txt)" ] || { echo "FAIL: the native run printed no summary"; tail -20 native.txt; exit 1; }
if [ "$(summary native.txt)" != "$(summary shim.txt)" ]; then
  echo "FAIL: summaries differ"; tail -30 shim.txt; exit 1
fi
if ! diff <(outcomes native.txt) <(outcomes shim.txt) >"$tmp/diff"; then
  echo "FAIL: per-test outcomes differ:"; cat "$tmp/diff"; exit 1
fi
n=$(outcomes shim.txt | wc -l)
[ "$n" -gt 400 ] || { echo "FAIL: only $n test outcomes parsed"; exit 1; }
grep -q '^Result: SUCCESS' shim.txt || { echo "FAIL: suite failed through the shim"; exit 1; }
echo "ok: $n test outcomes identical natively and through the shim"
