#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 4, acceptance 7: CPython's own test_sqlite3 with the shim on PostgreSQL.
#   mode memory : USE_POSTGRES=1 LITESHIFT_MEMORY=postgres (every database on PostgreSQL)
#   mode default: USE_POSTGRES=1 (files on PostgreSQL, :memory: stays on SQLite)
# Runs the suite against a fresh database, prints the figures, and fails when fewer than
# MIN tests pass or when a failing test is not listed, with its reason, in
# docs/compatibility.md (section "CPython test_sqlite3").  Needs tests/pg/harness.sh's env.
#   cpython_pg.sh LIBLITESHIFT MODE MIN COMPATIBILITY_MD
set -euo pipefail
shim=$(realpath "$1") mode=$2 min=$3 doc=$(realpath "$4")
py=${PYTHON:-python3}
db="cpy_${mode}_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
export USE_POSTGRES=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"
[ "$mode" = memory ] && export LITESHIFT_MEMORY=postgres
cd "$tmp"
# One run of the suite: its verdict in $verdict ("" when it holds), the tracebacks of the
# tests that break it in $tmp/why.txt.
run_suite() {
  dropdb --if-exists "$db" >/dev/null 2>&1 || true
  createdb "$db"
  LD_PRELOAD="$shim" timeout 900 "$py" -m test -v test_sqlite3 >out.txt 2>&1 || true
  verdict=""
  grep -E '^Total tests:' out.txt || { verdict="the suite printed no summary"; tail -30 out.txt >why.txt; return; }
  passed=$(grep -cE ' \.\.\. ok$' out.txt || true)
  { grep -E '^(FAIL|ERROR): test' out.txt || true; } \
    | sed -E 's/^(FAIL|ERROR): ([A-Za-z0-9_]+).*/\2/' | sort -u >failing.txt
  failed=$(wc -l <failing.txt)
  echo "mode $mode: $passed passed, $failed failed or errored"
  : >why.txt
  missing=0
  while read -r t; do
    if ! grep -q -- "\`$t\`" "$doc"; then
      echo "not documented in docs/compatibility.md: $t"
      awk -v t="$t" '$0 ~ "^(FAIL|ERROR): " t " " {p = 1} p && /^-{20,}$/ && ++n > 1 {p = 0; n = 0} p' \
        out.txt >>why.txt
      missing=$((missing + 1))
    fi
  done <failing.txt
  [ "$missing" -eq 0 ] || { verdict="$missing failing tests are not listed with a reason"; return; }
  [ "$passed" -ge "$min" ] || verdict="$passed passed, fewer than $min"
}
run_suite
if [ -n "$verdict" ]; then
  # Some of CPython's tests depend on timing (timeouts, threads); on a loaded machine one may
  # fail once.  Show why, then run the suite again: a real regression fails both runs.
  echo "first run: $verdict"
  cat why.txt
  echo "running the suite a second time"
  run_suite
  [ -z "$verdict" ] || { echo "FAIL: $verdict (both runs)"; cat why.txt; exit 1; }
  echo "WARNING: the first run failed and the second passed (see above): a timing-dependent test"
fi
echo "ok: mode $mode: $passed passed (minimum $min); every failure is documented"
