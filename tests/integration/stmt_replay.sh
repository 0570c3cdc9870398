#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Statement-level rollback without a savepoint per statement (PostgreSQL only; the semantics
# on both backends are py/stmt_replay.py).  By default the shim runs a transaction's writes
# inside one long savepoint (ls_base, renewed every 256 statements) and replays them after
# a failure; LITESHIFT_STATEMENT_ROLLBACK=savepoint keeps a savepoint around each statement.
# A row's xmin is the (sub)transaction that wrote it: 100 inserts in one transaction must
# share at most 3 by default, and have 100 with a savepoint each.
#   stmt_replay.sh LIBLITESHIFT      (environment of tests/pg/harness.sh)
set -euo pipefail
shim=$(realpath "$1")
db="stmt_replay_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
cat >"$tmp/app.py" <<'PY'
import sqlite3, sys
cx = sqlite3.connect(sys.argv[1], isolation_level=None)
t = sys.argv[2]
cx.execute("create table %s(id integer primary key, v text)" % t)
cx.execute("begin")
ids = [cx.execute("insert into %s(v) values (?)" % t, (str(i),)).lastrowid for i in range(100)]
cx.execute("commit")
assert ids == list(range(1, 101)), ids
PY
fail() { echo "FAIL: $*"; exit 1; }
# run TABLE [VAR=VALUE]: the app through the shim, then "rows distinct-xmins" from psql
run() {
  local table=$1; shift
  (cd "$tmp" && env -u LITESHIFT_STATEMENT_ROLLBACK "$@" USE_POSTGRES=1 LD_PRELOAD="$shim" \
     DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
     python3 app.py app.db "$table") >&2 || { echo "FAIL: the app failed ($table)" >&2; exit 1; }
  psql -d "$db" -AtXF' ' -c "select count(*), count(distinct xmin::text) from $table"
}
out=$(run t_default); read -r rows xmins <<<"$out"
echo "default: $rows rows, $xmins distinct xmin"
[ "$rows" = 100 ] || fail "default: $rows rows, expected 100"
[ "$xmins" -le 3 ] || fail "default: $xmins distinct xmin for 100 inserts in one transaction (a savepoint per statement?), expected at most 3"
out=$(run t_savepoint LITESHIFT_STATEMENT_ROLLBACK=savepoint); read -r rows xmins <<<"$out"
echo "LITESHIFT_STATEMENT_ROLLBACK=savepoint: $rows rows, $xmins distinct xmin"
[ "$rows" = 100 ] || fail "savepoint: $rows rows, expected 100"
[ "$xmins" = 100 ] || fail "savepoint: $xmins distinct xmin, expected 100 (one savepoint per statement)"
echo "ok: the replay log runs a transaction's statements without a savepoint each; LITESHIFT_STATEMENT_ROLLBACK=savepoint keeps one each"
