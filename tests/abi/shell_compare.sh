#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Acceptance (issue 2, point 3): the /usr/bin/sqlite3 shell preloaded with the shim prints
# byte-identical output (stdout and stderr) to the unpreloaded shell on tests/abi/shell_script.sql,
# which covers .schema, .tables, output modes, .dump, .backup, .import, errors and
# multi-statement input.
#   shell_compare.sh LIBLITESHIFT SCRIPT
set -euo pipefail
shim=$(realpath "$1") script=$(realpath "$2")
shell=${SQLITE3_SHELL:-/usr/bin/sqlite3}
[ -x "$shell" ] || { echo "FAIL: $shell not found (apt-get install sqlite3)"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
run() {  # $1 = label, rest = env assignments
  local d="$tmp/$1"; shift
  mkdir "$d"
  printf 'name,qty\nwidget,3\n"comma, inside",4\n' >"$d/import.csv"
  local rc=0
  (cd "$d" && env -u USE_POSTGRES "$@" "$shell" test.db <"$script" >out.txt 2>err.txt) || rc=$?
  echo "exit=$rc" >>"$d/err.txt"
}
run native
run shim LD_PRELOAD="$shim" LITESHIFT_LOG=info LITESHIFT_LOG_FILE="$tmp/shim.log"
grep -q 'libliteshift loaded' "$tmp/shim.log" || { echo "FAIL: shim not loaded into the shell"; exit 1; }
fail=0
cmp -s "$tmp/native/out.txt" "$tmp/shim/out.txt" || { echo "FAIL: stdout differs"; diff "$tmp/native/out.txt" "$tmp/shim/out.txt" | head -40; fail=1; }
cmp -s "$tmp/native/err.txt" "$tmp/shim/err.txt" || { echo "FAIL: stderr differs"; diff "$tmp/native/err.txt" "$tmp/shim/err.txt" | head -40; fail=1; }
cmp -s "$tmp/native/test.db" "$tmp/shim/test.db" || { echo "FAIL: database files differ"; fail=1; }
# the script must really have exercised what it claims
for want in 'CREATE TABLE album' 'INSERT INTO album VALUES' 'PRAGMA foreign_keys=OFF;' 'widget,3' 'printed text'; do
  grep -qF -- "$want" "$tmp/native/out.txt" || { echo "FAIL: expected output '$want' missing"; fail=1; }
done
for want in 'no such table: nosuchtable' 'UNIQUE constraint failed' 'NOT NULL constraint failed'; do
  grep -qF -- "$want" "$tmp/native/err.txt" || { echo "FAIL: expected error '$want' missing"; fail=1; }
done
[ $fail = 0 ] && echo "ok: $(wc -c <"$tmp/native/out.txt") bytes of stdout and $(wc -c <"$tmp/native/err.txt") bytes of stderr identical"
exit $fail
