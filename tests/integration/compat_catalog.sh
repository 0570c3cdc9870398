#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 5, acceptance 2: the Chinook schema is created through the shim from its own
# sqlite_master DDL on SQLite and on PostgreSQL; PRAGMA table_info, index_list,
# foreign_key_list (and index_info of every index, table_xinfo, sqlite_master itself) must
# answer the same rows on both.  Then PRAGMA user_version = 7 set by one process is read by
# a new process on PostgreSQL.
#   compat_catalog.sh BOTH_BINARY LIBLITESHIFT CHINOOK.sqlite
set -euo pipefail
both=$(realpath "$1") shim=$(realpath "$2") src=$(realpath "$3")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
script="$tmp/chinook_catalog.sql"
{
  # tables in an order where each table's referenced tables exist first (PostgreSQL refuses
  # a foreign key to a table not yet created, SQLite does not check), then the rest
  done_list=" "
  tables=$(sqlite3 "$src" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
  while :; do
    progress=0
    for t in $tables; do
      case "$done_list" in *" $t "*) continue ;; esac
      ok=1
      for r in $(sqlite3 "$src" "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list('$t')"); do
        [ "$r" = "$t" ] && continue
        case "$done_list" in *" $r "*) ;; *) ok=0 ;; esac
      done
      if [ $ok = 1 ]; then
        sqlite3 "$src" "SELECT sql || ';' FROM sqlite_master WHERE name = '$t'"
        done_list="$done_list$t "; progress=1
      fi
    done
    [ $progress = 1 ] || break
  done
  sqlite3 "$src" "SELECT sql || ';' FROM sqlite_master WHERE sql IS NOT NULL AND type <> 'table' ORDER BY rowid"
  for t in $(sqlite3 "$src" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"); do
    echo "PRAGMA table_info($t);"
    echo "PRAGMA table_xinfo($t);"
    echo "PRAGMA index_list($t);"
    echo "PRAGMA foreign_key_list($t);"
    echo "PRAGMA table_info('$(echo "$t" | tr 'A-Z' 'a-z')');"
  done
  for i in $(sqlite3 "$src" "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name"); do
    echo "PRAGMA index_info($i);"
  done
  echo "SELECT type, name, tbl_name, sql FROM sqlite_master;"
  echo "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name;"
  echo "SELECT count(*) FROM sqlite_temp_master;"
  echo "PRAGMA table_list(Album);"
  echo "CREATE TABLE seqtest(id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);"
  echo "SELECT * FROM sqlite_sequence;"
  echo "INSERT INTO seqtest(v) VALUES ('a'), ('b');"
  echo "SELECT name, seq FROM sqlite_sequence;"
  echo "ALTER TABLE seqtest RENAME TO seqtest2;"
  echo "ALTER TABLE seqtest2 ADD COLUMN w INTEGER NOT NULL DEFAULT 5;"
  echo "PRAGMA table_info(seqtest2);"
  echo "SELECT name, tbl_name FROM sqlite_master WHERE name LIKE 'seqtest%';"
  echo "DROP TABLE seqtest2;"
  echo "SELECT count(*) FROM sqlite_master WHERE name LIKE 'seqtest%';"
} >"$script"
n=$(grep -c '^PRAGMA' "$script")
echo "$n PRAGMA statements over $(sqlite3 "$src" "SELECT count(*) FROM sqlite_master WHERE type='table'") Chinook tables"
"$here/both.sh" "$both" "$shim" "$script"

# user_version persists across processes on PostgreSQL
db="t_uv_$$"; createdb "$db"; trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
printf 'PRAGMA user_version = 7;\n' >"$tmp/set.sql"
printf 'PRAGMA user_version;\n' >"$tmp/get.sql"
url="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"
USE_POSTGRES=1 DATABASE_URL="$url" LD_PRELOAD="$shim" "$both" "$tmp/a.db" "$tmp/set.sql" >/dev/null
USE_POSTGRES=1 DATABASE_URL="$url" LD_PRELOAD="$shim" "$both" "$tmp/a.db" "$tmp/get.sql" >"$tmp/get.txt"
grep -q "row: i:7" "$tmp/get.txt" || { echo "FAIL: a new process reads user_version:"; cat "$tmp/get.txt"; exit 1; }
echo "ok: PRAGMA user_version = 7 in one process, 7 read by the next"
