#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The other side of docs/compatibility.md D1, on PostgreSQL only (SQLite would lose the data
# here, which is the point): a database file deleted by someone other than the process that
# filled it, as a redeploy does, never costs data; and what a process moves aside when it
# deletes a file it created is kept in a liteshift_deleted_* schema, rows and all.  Tables an
# unrelated process or a worker started before the file existed added to it are never moved.
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
# 5. an unrelated process (not a descendant) adds a table to a file another process created;
#    that process deletes the file and opens it again: its own table is moved aside, the
#    other process's table stays where it is, rows and all.  The unrelated process runs
#    while the creator waits (a sibling under this shell, not its child).
mkfifo go done
python3 - <<'PY' &
import os, sqlite3
cx = sqlite3.connect("shared.db")
cx.execute("create table creators_own(x integer)")
cx.commit()
cx.close()
open("go", "w").write("created\n")
open("done").read()            # the unrelated process has made its table
os.unlink("shared.db")
cx = sqlite3.connect("shared.db")
print(cx.execute("select name from sqlite_master order by name").fetchall())
PY
creator=$!
read -r _ <go
python3 - <<'PY'
import sqlite3
cx = sqlite3.connect("shared.db")
cx.execute("create table unrelated(x integer)")
cx.execute("insert into unrelated values (41), (42)")
cx.commit()
PY
echo finished >done
wait "$creator" || fail "the creator process failed"
where=$(psql -d "$db" -Atc "select table_schema from information_schema.tables where table_name = 'unrelated'")
[ "$where" = public ] || fail "an unrelated process's table was moved to '$where'"
rows=$(psql -d "$db" -Atc "select string_agg(x::text, ',' order by x) from public.unrelated")
[ "$rows" = "41,42" ] || fail "the unrelated process's table lost rows: '$rows'"
own=$(psql -d "$db" -Atc "select table_schema from information_schema.tables where table_name = 'creators_own'")
case "$own" in liteshift_deleted_*) ;; *) fail "creators_own should be moved aside, is in '$own'" ;; esac

# 6. a child started before its parent created the file (a long-lived worker): its table
#    stays; a child started after is the parent's session and its table is moved aside
python3 - <<'PY'
import os, sqlite3, subprocess, sys
early = subprocess.Popen([sys.executable, "-c",
    "import sqlite3, sys\n"
    "sys.stdin.readline()\n"
    "cx = sqlite3.connect('worker.db')\n"
    "cx.execute('create table early_worker(x integer)')\n"
    "cx.commit()\n"], stdin=subprocess.PIPE, text=True)
import time; time.sleep(0.1)   # start times have a 10 ms resolution
cx = sqlite3.connect("worker.db")
cx.execute("create table parents(x integer)")
cx.commit()
early.communicate("go\n")
assert early.returncode == 0
subprocess.run([sys.executable, "-c",
    "import sqlite3\n"
    "cx = sqlite3.connect('worker.db')\n"
    "cx.execute('create table late_child(x integer)')\n"
    "cx.commit()\n"], check=True)
cx.close()
os.unlink("worker.db")
sqlite3.connect("worker.db").close()
PY
for t in early_worker parents late_child; do
  eval "where_$t=\$(psql -d \"\$db\" -Atc \"select table_schema from information_schema.tables where table_name = '$t'\")"
done
[ "$where_early_worker" = public ] || fail "a child started before the file existed had its table moved to '$where_early_worker'"
case "$where_parents" in liteshift_deleted_*) ;; *) fail "parents should be moved aside, is in '$where_parents'" ;; esac
case "$where_late_child" in liteshift_deleted_*) ;; *) fail "late_child should be moved aside, is in '$where_late_child'" ;; esac

echo "ok: a redeploy keeps the data; a process's own deleted file is moved aside with its rows, with what its children made there; an unrelated process's and an older worker's tables stay"
