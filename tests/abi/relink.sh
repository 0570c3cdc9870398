#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Acceptance (issue 2, point 4): the scenario linked against libliteshift.so (not -lsqlite3)
# prints exactly what the scenario linked with -lsqlite3 prints.
#   relink.sh SCENARIO_NATIVE SCENARIO_SHIM
set -euo pipefail
native=$1 shimmed=$2
if readelf -d "$shimmed" | grep -q 'libsqlite3'; then
  echo "FAIL: $shimmed links libsqlite3 directly"; exit 1
fi
readelf -d "$shimmed" | grep -q 'libliteshift' || { echo "FAIL: $shimmed does not link libliteshift.so"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/a" "$tmp/b"
env -u USE_POSTGRES "$native" "$tmp/a" | sed "s|$tmp/a|DIR|g" >"$tmp/native.txt"
env -u USE_POSTGRES LITESHIFT_LOG=info LITESHIFT_LOG_FILE="$tmp/shim.log" "$shimmed" "$tmp/b" | sed "s|$tmp/b|DIR|g" >"$tmp/shim.txt"
grep -q 'libliteshift loaded' "$tmp/shim.log" || { echo "FAIL: libliteshift.so was not loaded"; exit 1; }
n=$(wc -l <"$tmp/native.txt")
[ "$n" -gt 100 ] || { echo "FAIL: the scenario printed only $n lines"; cat "$tmp/native.txt"; exit 1; }
grep -q 'change t op=' "$tmp/native.txt" || { echo "FAIL: session extension not exercised"; exit 1; }
if ! diff "$tmp/native.txt" "$tmp/shim.txt"; then echo "FAIL: outputs differ"; exit 1; fi
grep -qE '[1-9][0-9]* self-calls rebound' "$tmp/shim.log" || { echo "FAIL: self-binding did not happen"; cat "$tmp/shim.log"; exit 1; }
# the same without self-binding (every internal call through the forwarders)
rm -rf "$tmp/b" && mkdir "$tmp/b"
env -u USE_POSTGRES LITESHIFT_NO_SELFBIND=1 "$shimmed" "$tmp/b" | sed "s|$tmp/b|DIR|g" >"$tmp/shim2.txt"
if ! diff "$tmp/native.txt" "$tmp/shim2.txt"; then echo "FAIL: outputs differ without self-binding"; exit 1; fi
echo "ok: $n lines identical"
