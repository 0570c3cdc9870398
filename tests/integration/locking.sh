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
#  4. a DDL whose liteshift.master record failed runs again alone: when another connection took
#     the write lock in between, the app's busy handler is called (backend.c ddl_rerun).
#   locking.sh LIBLITESHIFT BACKEND_BINARY
set -euo pipefail
shim=$(realpath "$1") backend=$(realpath "$2")
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

echo "== 4. the DDL run again after its liteshift.master record failed finds the lock busy"
rdb="t_locking_rerun_$$"
createdb "$rdb"
trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true;
      dropdb --if-exists "$rdb" >/dev/null 2>&1 || true' EXIT
rurl="postgresql:///$rdb?host=$PGHOST&port=$PGPORT&user=$PGUSER"
# the shim's first connection installs the compat pack
(cd "$tmp" && USE_POSTGRES=1 DATABASE_URL="$rurl" LD_PRELOAD="$shim" \
   python3 -c 'import sqlite3; sqlite3.connect("rerun.db").execute("select 1")')
# The record's first try holds the DDL's implicit transaction, and the write lock in it, until
# another session waits for that lock; then it fails (as a role without privilege on
# liteshift.master would), which releases the lock to that session.  Later tries fail at once.
psql -X -q -v ON_ERROR_STOP=1 -d "$rdb" <<'SQL'
CREATE SEQUENCE public.record_tries;
CREATE FUNCTION public.refuse_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF nextval('public.record_tries') = 1 THEN
    FOR i IN 1..3000 LOOP
      EXIT WHEN EXISTS (SELECT FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                        WHERE l.locktype = 'advisory' AND NOT l.granted
                          AND d.datname = current_database());
      PERFORM pg_sleep(0.01);
    END LOOP;
  END IF;
  RAISE EXCEPTION 'liteshift.master record refused by locking.sh';
END $$;
CREATE TRIGGER refuse BEFORE INSERT OR UPDATE OR DELETE ON liteshift.master
  FOR EACH ROW EXECUTE FUNCTION public.refuse_record();
SQL
# The other session: waits for the DDL to hold the write lock, queues for it, holds it until
# the app's connection has waited for it 0.3 s without a break (its retry with a busy timeout:
# the busy handler's tries wait 1 ms each), then commits.
psql -X -q -v ON_ERROR_STOP=1 -d "$rdb" >"$tmp/holder.out" 2>&1 <<'SQL' &
DO $$
DECLARE k bigint; n int := 0;
BEGIN
  FOR i IN 1..3000 LOOP
    SELECT (l.classid::bigint << 32) | l.objid::bigint INTO k
      FROM pg_locks l JOIN pg_database d ON d.oid = l.database
      WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()
        AND l.pid <> pg_backend_pid() LIMIT 1;
    EXIT WHEN k IS NOT NULL;
    PERFORM pg_sleep(0.01);
  END LOOP;
  IF k IS NULL THEN RAISE EXCEPTION 'the DDL never held the write lock'; END IF;
  PERFORM pg_advisory_xact_lock(k);
  RAISE NOTICE 'holder: took the write lock';
  FOR i IN 1..3000 LOOP
    IF EXISTS (SELECT FROM pg_locks l JOIN pg_database d ON d.oid = l.database
               WHERE l.locktype = 'advisory' AND NOT l.granted
                 AND d.datname = current_database()) THEN
      n := n + 1;
    ELSE
      n := 0;
    END IF;
    EXIT WHEN n >= 30;
    PERFORM pg_sleep(0.01);
  END LOOP;
  RAISE NOTICE 'holder: releasing after % polls with a waiter', n;
END $$;
SQL
holder=$!
(cd "$tmp" && USE_POSTGRES=1 DATABASE_URL="$rurl" LD_PRELOAD="$shim" LITESHIFT_LOG=info \
  LITESHIFT_LOG_FILE="$tmp/rerun.log" "$backend" ddl_rerun "$tmp/rerun.db") || {
  cat "$tmp/holder.out" "$tmp/rerun.log"; fail "the DDL run again: busy handling"; }
wait "$holder" || { cat "$tmp/holder.out"; fail "the session holding the lock failed"; }
cat "$tmp/holder.out"
grep -q "took the write lock" "$tmp/holder.out" || fail "the holder never took the lock"
grep -q "failed with the DDL.*running the DDL alone" "$tmp/rerun.log" \
  || { cat "$tmp/rerun.log"; fail "the record did not fail with the DDL: no rerun"; }
echo ok
