#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Both backends, same program: appfn_local.c (app-defined functions in statements without a
# table, at the C API) on SQLite and on PostgreSQL through the shim; the transcripts must be
# identical.  Needs the environment of tests/pg/harness.sh.
#   appfn_local.sh APPFN_LOCAL_BINARY LIBLITESHIFT
set -euo pipefail
bin=$(realpath "$1") shim=$(realpath "$2")
db="appfn_local_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
env -u USE_POSTGRES LD_PRELOAD="$shim" "$bin" "$tmp/sqlite.db" >"$tmp/sqlite.txt" 2>&1 \
  || { echo "FAIL: failed on SQLite"; cat "$tmp/sqlite.txt"; exit 1; }
USE_POSTGRES=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
  LD_PRELOAD="$shim" "$bin" "$tmp/pg.db" >"$tmp/pg.txt" 2>&1 || true
if ! diff -u "$tmp/sqlite.txt" "$tmp/pg.txt" >"$tmp/diff"; then
  echo "FAIL: PostgreSQL differs from SQLite (- sqlite, + postgres)"
  cat "$tmp/diff"
  exit 1
fi
grep -q 'db_handle is the app.s, rows of t seen through it: 3' "$tmp/sqlite.txt" \
  || { echo "FAIL: the transcript lacks the context checks"; cat "$tmp/sqlite.txt"; exit 1; }
echo "ok: $(grep -c '^> ' "$tmp/sqlite.txt") statements, identical transcripts on SQLite and PostgreSQL"
