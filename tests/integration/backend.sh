#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run one tests/integration/backend.c scenario on SQLite and on PostgreSQL through the shim;
# both must succeed.  Needs the harness environment (PGHOST...).
#   backend.sh BACKEND_BINARY LIBLITESHIFT SCENARIO [ARGS...]
set -euo pipefail
bin=$1 shim=$(realpath "$2") scenario=$3; shift 3
db="t_${scenario}_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
args=("$@")
echo "== SQLite"
env -u USE_POSTGRES LD_PRELOAD="$shim" "$bin" "$scenario" "$tmp/test.db" "${args[@]}"
echo "== PostgreSQL"
USE_POSTGRES=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
  LD_PRELOAD="$shim" "$bin" "$scenario" "$tmp/test.db" "${args[@]}"
