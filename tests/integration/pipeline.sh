#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# LITESHIFT_PIPELINE=1 on PostgreSQL (tests/integration/pipeline.c), then the proof that the
# writes were pipelined: the whole run, 3,000 bulk inserts included, costs fewer than 100
# round trips (the shim logs its count at close; without the mode it is over 3,000).
#   pipeline.sh PIPELINE_BINARY LIBLITESHIFT
set -euo pipefail
bin=$1 shim=$(realpath "$2")
db="t_pipeline_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
USE_POSTGRES=1 LITESHIFT_PIPELINE=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
  LITESHIFT_LOG=info LITESHIFT_LOG_FILE="$tmp/log" LD_PRELOAD="$shim" "$bin" "$tmp/test.db"
n=$(grep -oE 'closed after [0-9]+ round trips' "$tmp/log" | grep -oE '[0-9]+' | tail -1)
echo "round trips: $n"
[ -n "$n" ] && [ "$n" -lt 100 ] || { echo "FAIL: the writes were not pipelined"; exit 1; }
echo ok
