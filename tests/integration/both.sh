#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Both backends, same test: run SCRIPT through tests/integration/both.c on SQLite (a fresh
# file) and on PostgreSQL through the shim (a fresh database), and compare the transcripts.
# Needs the environment of tests/pg/harness.sh (PGHOST, PGPORT...).
#   both.sh BOTH_BINARY LIBLITESHIFT SCRIPT.sql
set -euo pipefail
both=$1 shim=$(realpath "$2") script=$(realpath "$3")
name=$(basename "$script" .sql)
db="t_$(echo "$name" | tr -c 'a-z0-9\n' '_')_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
env -u USE_POSTGRES LD_PRELOAD="$shim" "$both" "$tmp/sqlite.db" "$script" >"$tmp/sqlite.txt" 2>&1
USE_POSTGRES=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
  LD_PRELOAD="$shim" "$both" "$tmp/ignored.db" "$script" >"$tmp/pg.txt" 2>&1 || true
if ! diff -u "$tmp/sqlite.txt" "$tmp/pg.txt" >"$tmp/diff"; then
  echo "FAIL: $name: PostgreSQL differs from SQLite (- sqlite, + postgres)"
  cat "$tmp/diff"
  exit 1
fi
n=$(grep -c '^> ' "$tmp/sqlite.txt")
echo "ok: $name: $n statements, identical transcripts on SQLite and PostgreSQL"
