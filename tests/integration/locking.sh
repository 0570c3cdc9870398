#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SQLite's write lock on PostgreSQL (docs/compatibility.md D11), what py/locking.py and the
# backend busy scenario cannot show on both backends:
#  1. PostgreSQL itself: a transaction-scoped advisory lock taken inside a savepoint that is
#     rolled back is released (why the shim takes the lock again at ROLLBACK TO);
#  2. py/locking.py with LITESHIFT_PIPELINE=1 still matches SQLite (a pipelined first write
#     takes the lock);
#  3. LITESHIFT_LOCKING=row gives back PostgreSQL's row locking: two writers of different rows
#     proceed together; BEGIN IMMEDIATE still serializes; an unknown value refuses the open.
#   locking.sh LIBLITESHIFT
set -euo pipefail
shim=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
db="t_locking_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
url="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"
fail() { echo "FAIL: $*"; exit 1; }

echo "== 1. PostgreSQL releases an xact lock taken in a subtransaction rolled back"
out=$(psql -X -At -v ON_ERROR_STOP=1 -d "$db" <<SQL
BEGIN;
SAVEPOINT a;
SAVEPOINT s;
SELECT pg_advisory_xact_lock(4242);
RELEASE s;
\! psql -X -At -d "$db" -c "SELECT 'while held: ' || pg_try_advisory_xact_lock(4242)"
ROLLBACK TO a;
\! psql -X -At -d "$db" -c "SELECT 'after ROLLBACK TO: ' || pg_try_advisory_xact_lock(4242)"
COMMIT;
SQL
)
echo "$out"
grep -qx 'while held: false' <<<"$out" || fail "the lock was not held"
grep -qx 'after ROLLBACK TO: true' <<<"$out" || fail "ROLLBACK TO kept the lock"

echo "== 2. py/locking.py pipelined"
LITESHIFT_PIPELINE=1 "$here/both_py.sh" "$shim" "$here/py/locking.py"

echo "== 3. LITESHIFT_LOCKING=row"
cat >"$tmp/row.py" <<'PY'
import signal, sqlite3, time
signal.alarm(60)
s = sqlite3.connect("row.db", isolation_level=None)
s.execute("create table t(id integer primary key, v integer)")
s.execute("insert into t values (1, 0), (2, 0)")
a, b = sqlite3.connect("row.db", timeout=0), sqlite3.connect("row.db", timeout=0)
a.execute("update t set v = 1 where id = 1")
b.execute("update t set v = 2 where id = 2")      # another row: proceeds
b.execute("insert into t values (3, 3)")
b.commit()
a.commit()
print("rows:", s.execute("select id, v from t order by id").fetchall())
a.execute("update t set v = 10 where id = 1")
t = time.monotonic()
try:
    b.execute("update t set v = 20 where id = 1")  # the same row: its lock, timeout 0
    print("same row: ok")
except sqlite3.OperationalError as e:
    print("same row:", e, "within 1 s:", time.monotonic() - t < 1)
a.rollback()
b.rollback()
x, y = (sqlite3.connect("row.db", timeout=0, isolation_level=None) for _ in range(2))
x.execute("begin immediate")
try:
    y.execute("begin immediate")
    print("begin immediate: ok")
except sqlite3.OperationalError as e:
    print("begin immediate:", e)
x.execute("commit")
PY
(cd "$tmp" && USE_POSTGRES=1 LITESHIFT_LOCKING=row DATABASE_URL="$url" LD_PRELOAD="$shim" \
  python3 "$tmp/row.py") | tee "$tmp/row.out"
diff -u - "$tmp/row.out" <<'EOF' || fail "LITESHIFT_LOCKING=row"
rows: [(1, 1), (2, 2), (3, 3)]
same row: database is locked within 1 s: True
begin immediate: database is locked
EOF
(cd "$tmp" && USE_POSTGRES=1 LITESHIFT_LOCKING=rows DATABASE_URL="$url" LD_PRELOAD="$shim" \
  python3 -c 'import sqlite3; sqlite3.connect("x.db")' 2>&1 || true) | tee "$tmp/bad.out"
grep -q "LITESHIFT_LOCKING must be 'sqlite' or 'row', not 'rows'" "$tmp/bad.out" \
  || fail "an unknown LITESHIFT_LOCKING was not refused"
echo ok
