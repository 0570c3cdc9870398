#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 4, acceptance 5: last_insert_rowid costs no extra round trip.  Python's sqlite3 reads
# lastrowid after every execute; 100 autocommit inserts and 100 inserts in a transaction
# must cost one round trip each (plus the CREATE, COMMIT, one schema lookup and the journal
# mode read at open, docs/compatibility.md D11: a deferred
# BEGIN goes with the transaction's first statement, and a transaction that runs nothing
# costs none), and the ids must be SQLite's.  The shim counts its round trips and logs them at close.
#   roundtrips.sh LIBLITESHIFT
set -euo pipefail
shim=$(realpath "$1")
db="t_roundtrips_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
cat >"$tmp/app.py" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("CREATE TABLE t(track_no INTEGER PRIMARY KEY, v TEXT)")
ids = []
for i in range(100):
    ids.append(con.execute("INSERT INTO t(v) VALUES (?)", (str(i),)).lastrowid)
con.execute("BEGIN")
for i in range(100):
    ids.append(con.execute("INSERT INTO t(v) VALUES (?)", (str(i),)).lastrowid)
con.execute("COMMIT")
con.execute("BEGIN")
con.execute("COMMIT")
con.execute("BEGIN")
con.execute("ROLLBACK")
con.close()
print("ids ok" if ids == list(range(1, 201)) else "ids wrong: %r" % ids[:5])
PY
USE_POSTGRES=1 DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
  LD_PRELOAD="$shim" LITESHIFT_LOG=info LITESHIFT_LOG_FILE="$tmp/log" \
  python3 "$tmp/app.py" "$tmp/app.db" | tee "$tmp/out"
grep -q '^ids ok$' "$tmp/out" || { echo "FAIL: last_insert_rowid values differ from SQLite's"; exit 1; }
n=$(grep -oE 'closed after [0-9]+ round trips' "$tmp/log" | grep -oE '[0-9]+' | tail -1)
# journal mode at open 1 + CREATE 1 (its original text goes into liteshift.master in the same
# pipeline, shim/pg_master.c)
# + schema lookup 1 + 100 inserts + 100 inserts (the first carries the BEGIN) + COMMIT 1;
# the empty transactions after it cost nothing
expected=204
echo "round trips: $n for 200 inserts reading lastrowid after each (expected $expected)"
[ "$n" -le "$expected" ] || { echo "FAIL: extra round trips"; exit 1; }
echo "ok"
