#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 4, acceptance 8, continued: the Python scenarios (tests/integration/py/*.py) and the
# C backend scenarios (backend.c: errors and transactions, lost updates across processes,
# stepping a SELECT while writing, a streamed scan) on PostgreSQL through the shim built with
# LS_SANITIZE=ON.  Python itself is not instrumented and leaves its own allocations at exit:
# a leak report fails the test when any frame of its stack is liteshift code (a suppression
# by module would hide the shim's leaks too, as Python frames are on every stack).  Every
# AddressSanitizer error and UBSan report fails.
# Needs tests/pg/harness.sh's env.
#   asan_py.sh LIBLITESHIFT_ASAN PY_DIR BACKEND_BINARY_ASAN
set -euo pipefail
shim=$(realpath "$1") dir=$(realpath "$2") backend=$(realpath "$3")
asan=$(gcc -print-file-name=libasan.so) ubsan=$(gcc -print-file-name=libubsan.so)
[ -e "$asan" ] && [ -e "$ubsan" ] || { echo "FAIL: sanitizer runtimes not found"; exit 1; }
tmp=$(mktemp -d); db="asanpy_$$"
trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
export ASAN_OPTIONS=detect_leaks=1:exitcode=77
export LSAN_OPTIONS=exitcode=0   # leaks are judged below, by their stacks
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=77
export USE_POSTGRES=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"
check() {   # name, rc
  if [ "$2" -eq 77 ] || grep -q 'ERROR: AddressSanitizer\|runtime error:' "$tmp/err"; then
    echo "FAIL: sanitizer report for $1:"; cat "$tmp/err"; exit 1
  fi
  # one leak report per block (from "Direct/Indirect leak" to the blank line)
  if awk '/^(Direct|Indirect) leak/ {blk = $0; inb = 1; next}
          inb && /^$/ {if (blk ~ /libliteshift|\/shim\/|\/rewriter\/|\/compat\//) {print blk; bad = 1}; inb = 0; next}
          inb {blk = blk "\n" $0}
          END {exit bad ? 0 : 1}' "$tmp/err" >"$tmp/leaks"; then
    echo "FAIL: $1 leaks memory allocated by liteshift:"; cat "$tmp/leaks"; exit 1
  fi
  [ "$2" -eq 0 ] || { echo "FAIL: $1 exited $2"; cat "$tmp/out" "$tmp/err"; exit 1; }
}
n=0
for prog in "$dir"/*.py; do
  dropdb --if-exists "$db" >/dev/null 2>&1 || true
  createdb "$db"
  mkdir -p "$tmp/run" && rm -rf "$tmp/run"/* && cd "$tmp/run"
  rc=0
  PYTHONPATH="$dir/../pylib" LITESHIFT_MEMORY=postgres LD_PRELOAD="$asan $ubsan $shim" python3 "$prog" >"$tmp/out" 2>"$tmp/err" || rc=$?
  check "$(basename "$prog")" "$rc"
  [ -s "$tmp/out" ] || { echo "FAIL: $(basename "$prog") printed nothing"; cat "$tmp/err"; exit 1; }
  n=$((n + 1))
done
cd "$tmp"
for scenario in "lost_update 4 50" "busy" "interleave 20000" "scan 300000 1024" "kept_text" \
    "bindings" "ddl_script" "row_mode" "threads 4 100" "blob_close"; do
  set -- $scenario
  dropdb --if-exists "$db" >/dev/null 2>&1 || true
  createdb "$db"
  rc=0
  name=$1; shift
  LD_PRELOAD="$asan $ubsan $shim" "$backend" "$name" "$tmp/b.db" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  check "backend $scenario" "$rc"
  n=$((n + 1))
done
echo "ok: $n Python and backend scenarios on PostgreSQL through the ASan+UBSan shim: no reports, no leaks"
