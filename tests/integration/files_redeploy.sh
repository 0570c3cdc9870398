#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The other side of docs/compatibility.md D1, on PostgreSQL only (SQLite would lose the data
# here, which is the point): a database file deleted by someone other than the process that
# filled it, as a redeploy does, never costs data; and what a process moves aside when it
# deletes a file it created is kept in a liteshift_deleted_* schema, rows and all.
#   files_redeploy.sh LIBLITESHIFT      (environment of tests/pg/harness.sh)
set -euo pipefail
shim=$(realpath "$1")
db="files_redeploy_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
export USE_POSTGRES=1 LD_PRELOAD="$shim"
export DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"
cd "$tmp"
fail() { echo "FAIL: $*"; exit 1; }

# 1. a first deployment creates the file and its tables, and writes
python3 - <<'PY'
import sqlite3
cx = sqlite3.connect("app.db")
cx.execute("create table users(id integer primary key, name text)")
cx.executemany("insert into users(name) values (?)", [("ann",), ("bob",)])
cx.commit()
cx.close()
PY
# 2. the redeploy replaces the file (here: removes it); the new process creates it again,
#    runs its migrations (CREATE TABLE IF NOT EXISTS), writes, and even deletes the file
#    and opens it once more: nothing it did not create itself is touched
rm app.db
out=$(python3 - <<'PY'
import os, sqlite3
cx = sqlite3.connect("app.db")
cx.execute("create table if not exists users(id integer primary key, name text)")
cx.execute("insert into users(name) values ('cy')")
cx.commit()
cx.close()
os.unlink("app.db")
cx = sqlite3.connect("app.db")
print(cx.execute("select name from users order by id").fetchall())
PY
)
[ "$out" = "[('ann',), ('bob',), ('cy',)]" ] || fail "after a redeploy the data must survive, got: $out"

# 3. a process that created a file itself and deletes it: its table is moved aside, rows kept
python3 - <<'PY'
import os, sqlite3
cx = sqlite3.connect("scratch.db")
cx.execute("create table scratch(x integer)")
cx.executemany("insert into scratch values (?)", [(1,), (2,), (3,)])
cx.commit()
cx.close()
os.unlink("scratch.db")
sqlite3.connect("scratch.db").close()
PY
arch=$(psql -d "$db" -Atc "select table_schema from information_schema.tables where table_name = 'scratch'")
case "$arch" in liteshift_deleted_*) ;; *) fail "scratch should be in a liteshift_deleted_* schema, is in '$arch'" ;; esac
rows=$(psql -d "$db" -Atc "select string_agg(x::text, ',' order by x) from \"$arch\".scratch")
[ "$rows" = "1,2,3" ] || fail "the moved table lost rows: '$rows'"
left=$(psql -d "$db" -Atc "select count(*) from public.users")
[ "$left" = 3 ] || fail "users has $left rows, expected 3"

# 4. LITESHIFT_DELETED=keep: the plain rule, the table stays where it was
LITESHIFT_DELETED=keep python3 - <<'PY'
import os, sqlite3
cx = sqlite3.connect("kept.db")
cx.execute("create table kept(x integer)")
cx.close()
os.unlink("kept.db")
cx = sqlite3.connect("kept.db")
assert cx.execute("select count(*) from kept").fetchone() == (0,)
PY
where=$(psql -d "$db" -Atc "select table_schema from information_schema.tables where table_name = 'kept'")
[ "$where" = public ] || fail "LITESHIFT_DELETED=keep moved the table to '$where'"
echo "ok: a redeploy keeps the data; a process's own deleted file is moved aside with its rows"
