#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# last_insert_rowid(), changes() and total_changes() under LITESHIFT_PIPELINE=1 equal
# SQLite's (tests/integration/pipeline_rowid.c): the transcript on SQLite, on PostgreSQL
# without the mode and on PostgreSQL with it must be identical, and the pipelined run must
# have pipelined (fewer round trips than statements) and sent inserts without their
# RETURNING, but never those of the table whose trigger skips rows (shim/pg_pipe.c).
#   pipeline_rowid.sh PIPELINE_ROWID_BINARY LIBLITESHIFT
set -euo pipefail
bin=$1 shim=$(realpath "$2")
db="t_pipeline_rowid_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
url="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"
# the PostgreSQL twins of the SQLite triggers in pipeline_rowid.c
cat >"$tmp/triggers.sql" <<'SQL'
CREATE OR REPLACE FUNCTION t_skip() RETURNS trigger LANGUAGE plpgsql AS
  $$BEGIN IF NEW.x < 0 THEN RETURN NULL; END IF; RETURN NEW; END$$;
CREATE TRIGGER t_skip BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION t_skip();
CREATE OR REPLACE FUNCTION b_log() RETURNS trigger LANGUAGE plpgsql AS
  $$BEGIN INSERT INTO alog(bid) VALUES (NEW.id); RETURN NEW; END$$;
CREATE TRIGGER b_log AFTER INSERT ON b FOR EACH ROW EXECUTE FUNCTION b_log();
SQL
# added by another connection between two transactions of the program's
cat >"$tmp/late.sql" <<'SQL'
CREATE OR REPLACE FUNCTION w_skip() RETURNS trigger LANGUAGE plpgsql AS
  $$BEGIN IF NEW.x < 0 THEN RETURN NULL; END IF; RETURN NEW; END$$;
CREATE TRIGGER w_skip BEFORE INSERT ON w FOR EACH ROW EXECUTE FUNCTION w_skip();
SQL
export PIPELINE_ROWID_PG_LATE_TRIGGER="psql -X -q -v ON_ERROR_STOP=1 -d $db -f $tmp/late.sql"
export PIPELINE_ROWID_PG_TRIGGERS="psql -X -q -v ON_ERROR_STOP=1 -d $db -f $tmp/triggers.sql"
env -u USE_POSTGRES -u PIPELINE_ROWID_PG_TRIGGERS -u PIPELINE_ROWID_PG_LATE_TRIGGER LD_PRELOAD="$shim" "$bin" "$tmp/sqlite.db" >"$tmp/sqlite.txt" 2>&1 ||
  { cat "$tmp/sqlite.txt"; echo "FAIL: the SQLite run"; exit 1; }
USE_POSTGRES=1 DATABASE_URL="$url" LD_PRELOAD="$shim" "$bin" "$tmp/x.db" >"$tmp/pg.txt" 2>&1 || true
USE_POSTGRES=1 LITESHIFT_PIPELINE=1 DATABASE_URL="$url" LITESHIFT_LOG=debug \
  LITESHIFT_LOG_FILE="$tmp/log" LD_PRELOAD="$shim" "$bin" "$tmp/y.db" >"$tmp/pipe.txt" 2>&1 || true
fail=0
for v in pg pipe; do
  if ! diff -u "$tmp/sqlite.txt" "$tmp/$v.txt"; then
    echo "FAIL: PostgreSQL ($v) differs from SQLite (- sqlite, + $v)"
    fail=1
  fi
done
n=$(grep -oE 'closed after [0-9]+ round trips' "$tmp/log" | grep -oE '[0-9]+' | tail -1)
echo "pipelined run: $n round trips"
[ -n "$n" ] && [ "$n" -lt 200 ] || { echo "FAIL: the writes were not pipelined"; fail=1; }
lean=$(grep -c 'without RETURNING' "$tmp/log" || true)
echo "pipelined run: $lean inserts sent without RETURNING"
[ "$lean" -gt 300 ] || { echo "FAIL: no run of inserts went without RETURNING"; fail=1; }
grep -q 'not sure to insert a row: INSERT INTO "t"' "$tmp/log" ||
  { echo "FAIL: the table with a BEFORE trigger was taken as sure to insert"; fail=1; }
grep -q ', sure to insert a row: INSERT INTO "b"' "$tmp/log" ||
  { echo "FAIL: the table with an AFTER trigger was not taken as sure to insert"; fail=1; }
[ $fail = 0 ] || exit 1
echo "ok: $(wc -l <"$tmp/sqlite.txt") lines, identical on SQLite, PostgreSQL and PostgreSQL pipelined"
