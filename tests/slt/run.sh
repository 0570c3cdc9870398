#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sqllogictest driver: runs tests/slt/slt over test files, each in a fresh database, with
# libliteshift.so preloaded, and prints per-file figures and the total.
#
#   run.sh [-j N] [-o OUTDIR] [-m MIN_PCT] [--pg] SLT LIBLITESHIFT FILE...
#
#   --pg       USE_POSTGRES=1: each file gets its own new PostgreSQL database (createdb, dropped
#              afterwards) on the server of the PG* variables (tests/pg/harness.sh env);
#              without it the shim passes through to the real SQLite (a fresh file per test).
#   -j N       files run in parallel (default 1; the machine has 2 cores, use at most 2)
#   -o OUTDIR  keep per-file outputs and failures.log there (default: a temporary directory)
#   -m PCT     fail (exit 1) when the pass rate over the records run is below PCT (e.g. 97.5);
#              without -m, any failed record makes the exit status 1
#
# Pass rate = passed / (passed + failed); records skipped by skipif/onlyif are reported in their
# own column and counted neither as passed nor as failed.
set -euo pipefail

jobs=1 out= min= pg=0
while [ $# -gt 0 ]; do
  case "$1" in
    -j) jobs=$2; shift 2 ;;
    -j?*) jobs=${1#-j}; shift ;;
    -o) out=$2; shift 2 ;;
    -m) min=$2; shift 2 ;;
    --pg) pg=1; shift ;;
    *) break ;;
  esac
done

# Internal mode: run.sh __one PG SLT SHIM OUTDIR FILE — one file, one fresh database.
if [ "${1:-}" = "__one" ]; then
  shift
  pg=$1 slt=$2 shim=$3 out=$4 file=$5
  key=$(echo "$file" | sed 's|.*/test/||; s|/|_|g; s|\.test$||')
  if [ "$pg" = 1 ]; then
    db="slt_$(echo "$key" | tr -c 'a-z0-9\n' '_')_$$"
    createdb "$db"
    rc=0
    USE_POSTGRES=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
      LD_PRELOAD="$shim" "$slt" -l "$out/$key.fail" "$out/$key.db" "$file" \
      >"$out/$key.out" 2>"$out/$key.err" || rc=$?
    dropdb --if-exists "$db" >/dev/null 2>&1 || true
  else
    rc=0
    env -u USE_POSTGRES LD_PRELOAD="$shim" "$slt" -l "$out/$key.fail" "$out/$key.db" "$file" \
      >"$out/$key.out" 2>"$out/$key.err" || rc=$?
    rm -f "$out/$key.db"
  fi
  if [ "$rc" -ge 2 ] || ! grep -q '^RESULT' "$out/$key.out"; then
    echo "run.sh: $file: runner failed (exit $rc)" >&2
    cat "$out/$key.err" >&2
    printf 'RESULT\t%s\tCRASH\n' "$file" >>"$out/$key.out"
  fi
  exit 0
fi

[ $# -ge 3 ] || { echo "usage: run.sh [-j N] [-o OUTDIR] [-m MIN_PCT] [--pg] SLT LIBLITESHIFT FILE..." >&2; exit 2; }
slt=$(realpath "$1") shim=$(realpath "$2"); shift 2
if [ -z "$out" ]; then
  out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
else
  mkdir -p "$out"; rm -f "$out"/*.out "$out"/*.fail "$out"/*.err
fi
if [ "$pg" = 1 ]; then
  : "${PGHOST:?run.sh --pg needs the PG* variables of tests/pg/harness.sh}"
fi

self=$(realpath "$0")
printf '%s\n' "$@" | xargs -P "$jobs" -I{} "$self" __one "$pg" "$slt" "$shim" "$out" {}

cat "$out"/*.fail >"$out/failures.log" 2>/dev/null || true
# per-file table and total
grep -h '^RESULT' "$out"/*.out | sort -k2 | awk -F'\t' -v min="$min" '
  BEGIN { printf "%-42s %8s %8s %8s %8s %7s\n", "file", "run", "passed", "failed", "skipped", "pass%" }
  $3 == "CRASH" { printf "%-42s  runner crashed\n", $2; crash++; next }
  {
    f = $2; sub(/.*\/test\//, "", f)
    run = $3 + $4 + $5 + $6; pass = $3 + $5; fail = $4 + $6
    printf "%-42s %8d %8d %8d %8d %7.2f\n", f, run, pass, fail, $7, run ? 100 * pass / run : 100
    trun += run; tpass += pass; tfail += fail; tskip += $7; tsecs += $8
  }
  END {
    rate = trun ? 100 * tpass / trun : 0
    printf "%-42s %8d %8d %8d %8d %7.2f\n", "TOTAL", trun, tpass, tfail, tskip, rate
    printf "pass rate %.2f%% of %d records run (%d skipped by skipif/onlyif), %.0f s of runner time\n", rate, trun, tskip, tsecs
    if (crash) { print "FAIL: a runner crashed"; exit 1 }
    if (min != "") {
      if (rate + 1e-9 < min) { printf "FAIL: pass rate %.2f%% below the minimum %s%%\n", rate, min; exit 1 }
      printf "ok: pass rate %.2f%% >= minimum %s%%\n", rate, min; exit 0
    }
    if (tfail) { print "FAIL: some records failed"; exit 1 }
    print "ok: every record passed"
  }'
