#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The C stack: PROGRAM must link libliteshift.so and not libsqlite3 (as tests/abi/relink.sh
# checks for the pass-through scenario), then runs on both backends with nothing preloaded.
#   relinked.sh PROGRAM
set -euo pipefail
prog=$(realpath "$1")
if readelf -d "$prog" | grep -q 'libsqlite3'; then echo "FAIL: $prog links libsqlite3"; exit 1; fi
readelf -d "$prog" | grep -q 'libliteshift' || { echo "FAIL: $prog does not link libliteshift.so"; exit 1; }
exec "$(dirname "$0")/stack.sh" c_relinked - "$prog"
