#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Acceptance (issue 2, point 1): libliteshift.so exports every sqlite3_*, sqlite3session_*,
# sqlite3changeset_*, sqlite3changegroup_* and sqlite3rebaser_* function of the system's
# libsqlite3.so.0 plus the three data symbols, and nothing beyond shim/exports.txt, the data
# symbols and liteshift_*.  Fails naming each missing or extra symbol.
#   check_exports.sh LIBLITESHIFT EXPORTS_TXT
set -euo pipefail
shim=$(realpath "$1") exports=$(realpath "$2")
# awk reads to the end (no early exit): an early exit could kill ldconfig with SIGPIPE, which
# pipefail turned into a silent failure of the whole script under load
real=$(ldconfig -p | awk '!f && /libsqlite3\.so\.0 .*x86-64|libsqlite3\.so\.0 \(libc6,/ {print $NF; f = 1}')
[ -n "$real" ] || real=$(ls /usr/lib/*/libsqlite3.so.0 2>/dev/null | head -1)
[ -r "$real" ] || { echo "FAIL: system libsqlite3.so.0 not found"; exit 1; }
pat='^(sqlite3_|sqlite3session_|sqlite3changeset_|sqlite3changegroup_|sqlite3rebaser_)'
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$real" | awk '{print $NF}' | grep -E "$pat" | sort -u >"$tmp/real"
nm -D --defined-only "$shim" | awk '{print $NF}' | sed 's/@.*//' | sort -u >"$tmp/shim"
grep -v '^#' "$exports" | grep -oE '\b(sqlite3[a-z_0-9]*)\(' | tr -d '(' | sort -u >"$tmp/list"
printf 'sqlite3_data_directory\nsqlite3_temp_directory\nsqlite3_version\n' >>"$tmp/list"
sort -u -o "$tmp/list" "$tmp/list"
fail=0
n_real=$(wc -l <"$tmp/real")
missing=$(comm -23 "$tmp/real" "$tmp/shim")
if [ -n "$missing" ]; then
  echo "FAIL: exported by $real but missing from $shim:"; echo "$missing" | sed 's/^/  /'; fail=1
fi
for d in sqlite3_version sqlite3_temp_directory sqlite3_data_directory; do
  grep -qx "$d" "$tmp/shim" || { echo "FAIL: data symbol $d missing"; fail=1; }
done
extra=$(comm -13 "$tmp/list" "$tmp/shim" | grep -v '^liteshift_' | grep -vE '^(_init|_fini)$' || true)
if [ -n "$extra" ]; then
  echo "FAIL: $shim exports symbols outside shim/exports.txt:"; echo "$extra" | sed 's/^/  /'; fail=1
fi
unlisted=$(comm -23 "$tmp/real" "$tmp/list")
if [ -n "$unlisted" ]; then
  echo "FAIL: shim/exports.txt lacks:"; echo "$unlisted" | sed 's/^/  /'; fail=1
fi
if ldd "$shim" | grep -q libsqlite3; then
  echo "FAIL: $shim is linked against libsqlite3 (it must dlopen it)"; fail=1
fi
[ $fail = 0 ] && echo "ok: all $n_real sqlite3 symbols of $real (functions and the 3 data symbols) are exported"
exit $fail
