#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# PostgreSQL only (server-side hygiene, nothing an app sees): a client killed during a long
# query does not leave its server backend running that query to the end.  The shim connects
# with client_connection_check_interval (PostgreSQL 14 and later), so the backend notices
# the closed socket within about a second and stops.  Needs the environment of
# tests/pg/harness.sh.
#   client_gone.sh LIBLITESHIFT
set -euo pipefail
shim=$(realpath "$1")
db="client_gone_$$"
tmp=$(mktemp -d)
trap 'kill -9 "${pid:-0}" 2>/dev/null || true; psql -qAtX -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"'$db'"'" >/dev/null 2>&1 || true; dropdb --if-exists "$db" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
createdb "$db"
# a query that runs for minutes on PostgreSQL and sends nothing until it ends
cat >"$tmp/long.py" <<'PY'
import sqlite3
cx = sqlite3.connect("gone.db")
cx.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000)"
           " SELECT count(*) FROM c").fetchall()
PY
(cd "$tmp" && exec env USE_POSTGRES=1 \
  DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
  LD_PRELOAD="$shim" python3 long.py) >"$tmp/out" 2>&1 &
pid=$!
active() {
  psql -qAtX -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db'
    AND state = 'active' AND query LIKE '%RECURSIVE%'"
}
for _ in $(seq 100); do [ "$(active)" = 1 ] && break; sleep 0.1; done
[ "$(active)" = 1 ] || { echo "FAIL: the query never ran"; cat "$tmp/out"; exit 1; }
sleep 0.5
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
for _ in $(seq 50); do [ "$(active)" = 0 ] && break; sleep 0.1; done
n=$(active)
if [ "$n" != 0 ]; then
  echo "FAIL: the server still runs the killed client's query 5 s after the kill"
  exit 1
fi
echo "ok: client_gone: the server stopped the killed client's query"
