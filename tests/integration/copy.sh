#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# liteshift copy / verify against the fixture's PostgreSQL (issue 6).
#   copy.sh LITESHIFT corpus    sample databases: copy, verify, copy back, verify the round trip
#   copy.sh LITESHIFT dirty     one case per kind of dirty data SQLite accepts
#   copy.sh LITESHIFT schema    what the schema keeps: REAL, NOT NULL, partial index, view,
#                               generated column, sequences, liteshift.master
#   copy.sh LITESHIFT tamper    verify finds one value, row or rowid changed on PostgreSQL
#   copy.sh LITESHIFT typeless  columns declared without a type keep each value's storage
#                               class on PostgreSQL and back (D2)
#   copy.sh LITESHIFT typeless_shim
#                               ... and the shim reads them so, its writes coming back so
#   copy.sh LITESHIFT kill [N] [ROWS]
#                               SIGKILL the copy at N random moments of a ROWS-row copy; the
#                               target must be unchanged each time, then a rerun must verify
# Every check compares real outcomes; any failure exits 1.
set -uo pipefail
L=$1; mode=$2; shift 2
: "${DATABASE_URL:?no DATABASE_URL (run through with_env.sh)}"
CORPUS=${LS_CORPUS:-/work/shared/corpus/databases}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
psqlq() { psql -X -q -v ON_ERROR_STOP=1 -At "$DATABASE_URL" -c "$1"; }

# run copy expecting success, then back to SQLite, then strict SQLite-vs-SQLite verify
roundtrip() {   # name db schema [copy options...]
  local name=$1 db=$2 schema=$3; shift 3
  psqlq "DROP SCHEMA IF EXISTS \"$schema\" CASCADE" >/dev/null 2>&1
  if ! "$L" copy --quiet --schema "$schema" "$@" "$db" "$DATABASE_URL" 2>"$work/err"; then
    fail "$name: copy failed: $(cat "$work/err")"; return 1; fi
  if ! "$L" verify --quiet --schema "$schema" "$db" "$DATABASE_URL" 2>"$work/err"; then
    fail "$name: verify failed: $(cat "$work/err")"; return 1; fi
  rm -f "$work/back.db"
  if ! "$L" copy --quiet --schema "$schema" "$DATABASE_URL" "$work/back.db" 2>"$work/err"; then
    fail "$name: copy back failed: $(cat "$work/err")"; return 1; fi
  local ex=()
  for a in "$@"; do ex+=("$a"); done
  if ! "$L" verify --quiet "${ex[@]}" "$db" "$work/back.db" 2>"$work/err"; then
    fail "$name: round trip differs: $(cat "$work/err")"; return 1; fi
  ok "$name: copied, verified, copied back, round trip identical"
}

# run copy expecting refusal with every given word in the message, target schema absent
refused() {   # name db schema "words..." [copy options...]
  local name=$1 db=$2 schema=$3 words=$4; shift 4
  psqlq "DROP SCHEMA IF EXISTS \"$schema\" CASCADE" >/dev/null 2>&1
  "$L" copy --quiet --schema "$schema" "$@" "$db" "$DATABASE_URL" 2>"$work/err"
  local rc=$?
  if [ $rc -ne 1 ]; then fail "$name: exit $rc, expected 1"; return 1; fi
  for w in $words; do
    grep -qF -- "$w" "$work/err" || { fail "$name: message lacks '$w': $(cat "$work/err")"; return 1; }
  done
  local n; n=$(psqlq "SELECT count(*) FROM pg_namespace WHERE nspname = '$schema'")
  [ "$n" = 0 ] || { fail "$name: schema $schema was left behind"; return 1; }
  ok "$name: refused: $(head -1 "$work/err" | cut -c1-160)"
}

mkdb() { rm -f "$work/$1.db"; sqlite3 "$work/$1.db" "$2" || fail "building $1"; }

# D2: a column declared without a type, with values of every class (copy.sh typeless)
mk_ty() {
  mkdb ty "create table k(id integer primary key, v, d default 7, e default 'x', f default 2.5);
    insert into k(id, v) values (1, 5), (2, 0.1), (3, 1e300), (4, -0.0), (5, '5'), (6, x'00ff'),
      (7, NULL), (8, -9223372036854775808), (9, 'text'), (10, x''), (11, 9223372036854775807),
      (12, '1e300'), (13, x'5c78'), (14, ' 7'), (15, 1e999), (16, -1e999);
    insert into k values (17, 'é', NULL, 5, 'y');
    create table h(v, w text); insert into h values (1, '1'), ('1', 1), (1.0, 'x'), (x'41', 'y');
    create table wr(k text primary key, v) without rowid; insert into wr values ('a', 1), ('b', 'b'), ('c', x'ff'), ('d', 0.5);
    create table e(id integer primary key, at datetime); insert into e values (1, 1700000000), (2, '2024-01-01');"
}

case $mode in
corpus)
  roundtrip chinook "$CORPUS/chinook/Chinook_Sqlite.sqlite" c_chinook
  roundtrip chinook_autoinc "$CORPUS/chinook/Chinook_Sqlite_AutoIncrementPKs.sqlite" c_chinook2
  # five Northwind views do not translate (text compared with integers, text + text, a
  # view on a column that does not exist): each refused by name, the rest copies
  refused northwind_view "$CORPUS/northwind/northwind.db" c_nw 'view "ProductDetails_V" c.id'
  roundtrip northwind "$CORPUS/northwind/northwind.db" c_nw --exclude ProductDetails_V \
    --exclude "Products by Category" --exclude Invoices --exclude "Current Product List" \
    --exclude "Alphabetical list of products"
  for f in cli_with.db test_pk.db matviews-def-source.sqlite matviews.sqlite "my db.sqlite"; do
    roundtrip "pgloader/$f" "$CORPUS/pgloader/$f" c_pgl
  done
  refused pgloader/bad-utf8 "$CORPUS/pgloader/bad-utf8.db" c_pgl 'table "files" rowid 2 column "filename" BLOB'
  refused pgloader/collision "$CORPUS/pgloader/collision.db" c_pgl '63 bytes _aaax _aaay'
  refused pgloader/type-mismatch "$CORPUS/pgloader/type-mismatch.db" c_pgl \
    'table "products" rowid 2 column "qty" lots-of-it'
  roundtrip pgloader/type-mismatch_text "$CORPUS/pgloader/type-mismatch.db" c_pgl --on-bad-value text
  refused pgloader/storage "$CORPUS/pgloader/storage.sqlite" c_pgl 'table "files" rowid 1 column "file_data"'
  roundtrip pgloader/storage_text "$CORPUS/pgloader/storage.sqlite" c_pgl --on-bad-value text
  refused pgloader/sqlite.db "$CORPUS/pgloader/sqlite.db" c_pgl 'table "typenames"'
  ;;
dirty)
  mkdb t_int "create table m(id integer primary key, n integer); insert into m values (1, 5), (2, 'abc'), (3, '42');"
  refused text_in_integer "$work/t_int.db" d1 'table "m" rowid 2 column "n" abc'
  roundtrip text_in_integer_text "$work/t_int.db" d1 --on-bad-value text
  mkdb t_real "create table m(x real); insert into m values (0.5), ('n/a');"
  refused text_in_real "$work/t_real.db" d1 'table "m" rowid 2 column "x" n/a'
  roundtrip text_in_real_text "$work/t_real.db" d1 --on-bad-value text
  mkdb t_big "create table m(id integer primary key, n integer); insert into m values (1, 9223372036854775807), (2, 9223372036854775808);"
  refused int_beyond_2p63 "$work/t_big.db" d1 'table "m" rowid 2 column "n" 9.223372036854776e+18'
  roundtrip int_beyond_2p63_text "$work/t_big.db" d1 --on-bad-value text
  mkdb t_nul "create table m(s text); insert into m values ('ok'), ('a'||char(0)||'b');"
  refused nul_in_text "$work/t_nul.db" d1 'table "m" rowid 2 column "s" \x00'
  refused nul_in_text_textpolicy "$work/t_nul.db" d1 'rowid 2 column "s"' --on-bad-value text
  mkdb t_utf "create table m(s text); insert into m values ('é'), (cast(x'61ff62' as text));"
  refused invalid_utf8 "$work/t_utf.db" d1 'table "m" rowid 2 column "s" \xff'
  mkdb t_blob "create table m(s text); insert into m values ('x'), (x'0001');"
  refused blob_in_text "$work/t_blob.db" d1 'table "m" rowid 2 column "s" X'"'"'0001'
  mkdb t_names "create table \"user\"(\"Order\" integer, [my col] text, \`select\` real); insert into \"user\" values (1, 'a b', 2.5); create table \"Mixed Case\"(Id integer primary key, \"End\" text); insert into \"Mixed Case\" values (7, 'x'); create index \"idx Mixed\" on \"Mixed Case\"(\"End\");"
  roundtrip reserved_mixed_space_names "$work/t_names.db" d1
  long=$(printf 'c%.0s' $(seq 1 63))
  mkdb t_coll "create table m(${long}1 integer, ${long}2 integer);"
  refused names_collide_63 "$work/t_coll.db" d1 "${long}1 ${long}2 63 bytes"
  mkdb t_dt "create table e(id integer primary key, at datetime, d date); insert into e(at, d) values ('2024-01-01 10:00:00', '2024-01-01'), ('2024-01-01T10:00:00.123Z', '2024-02-30'), (1700000000, 2460000.5), ('garbage', NULL), ('2024-05-06 07:08:09+02:00', '');"
  roundtrip datetime_formats "$work/t_dt.db" d1
  mkdb t_bool "create table b(id integer primary key, f boolean); insert into b values (1, 0), (2, 1), (3, NULL);"
  roundtrip booleans_01 "$work/t_bool.db" d1
  mkdb t_bool2 "create table b(id integer primary key, f boolean); insert into b values (1, 0), (2, 't'), (3, 'true');"
  refused booleans_t_true "$work/t_bool2.db" d1 'table "b" rowid 2 column "f" '"'t'"
  roundtrip booleans_t_true_text "$work/t_bool2.db" d1 --on-bad-value text
  mkdb t_null "create table m(id integer primary key, n integer); insert into m values (1, 5), (2, 'abc');"
  psqlq 'DROP SCHEMA IF EXISTS d2 CASCADE' >/dev/null 2>&1
  if "$L" copy --quiet --no-verify --schema d2 --on-bad-value null "$work/t_null.db" "$DATABASE_URL" 2>"$work/err" \
     && grep -qF 'rowid 2 column "n"' "$work/err" && [ "$(psqlq 'SELECT count(*) FROM d2.m WHERE n IS NULL')" = 1 ]; then
    ok "on_bad_value_null: stored NULL and reported rowid 2"
  else fail "on_bad_value_null: $(cat "$work/err")"; fi
  # verification would catch that NULL: the default never loses a value silently
  "$L" verify --quiet --schema d2 "$work/t_null.db" "$DATABASE_URL" 2>"$work/err" \
    && fail "verify missed the NULLed value" || { grep -qF 'rowid 2 column "n"' "$work/err" \
    && ok "verify names the NULLed value" || fail "verify message: $(cat "$work/err")"; }
  # D2: numbers in a column declared without a type keep their class (copy.sh typeless); where
  # no class column could be added (a name too long for the ":class" suffix) they become text
  # on PostgreSQL: said, not silent
  c60=$(printf 'c%.0s' $(seq 1 60))
  mkdb t_typeless "create table kv(k text, v, $c60); insert into kv values ('a', 5, 5), ('b', 2.5, 2.5), ('c', 'x', 'x'), ('d', NULL, NULL), ('e', -7, -7); create table tx(s text, n integer); insert into tx values (5, 6);"
  psqlq 'DROP SCHEMA IF EXISTS d2 CASCADE' >/dev/null 2>&1
  if "$L" copy --quiet --schema d2 "$work/t_typeless.db" "$DATABASE_URL" 2>"$work/err" \
     && grep -qF "table \"kv\" column \"$c60\": 3 numbers (2 integer, 1 real) stored as text" "$work/err" \
     && ! grep -qF 'column "v"' "$work/err" && ! grep -qF '"tx"' "$work/err" \
     && [ "$(psqlq "SELECT v || ':' || \"v:class\" || ',' || $c60 FROM d2.kv WHERE k = 'b'")" = "2.5:2,2.5" ]; then
    ok "typeless_numbers_warned: classes kept where they can be; a column without one is warned about"
  else fail "typeless_numbers_warned: $(cat "$work/err")"; fi
  mkdb t_wr "create table kv(k text primary key, v blob, n integer) without rowid; insert into kv values ('b', x'01', 2), ('a', NULL, 1), ('B', x'', 3), ('é', x'ff', 4);"
  roundtrip without_rowid_text_key "$work/t_wr.db" d1
  mkdb t_orphan "create table p(id integer primary key); create table c(id integer primary key, p_id integer references p(id)); insert into p values (1); insert into c values (1, 1), (2, 7);"
  refused fk_orphans "$work/t_orphan.db" d1 'foreign key (p_id)=(7)'
  # integer keys are validated with a merge join, text keys with a hash join: both find orphans
  mkdb t_orphan_text "create table p(k text primary key); create table c(id integer primary key, p_k text references p(k)); insert into p values ('a'), ('b'); insert into c values (1, 'a'), (2, 'zz'), (3, NULL);"
  refused fk_orphans_text_key "$work/t_orphan_text.db" d1 'foreign key (p_k)=(zz)'
  mkdb t_orphan2 "create table p(a integer, b integer, primary key (a, b)); create table c(id integer primary key, x integer, y integer, foreign key (x, y) references p(a, b)); create index c_xy on c(x, y); insert into p values (1, 1), (1, 2); insert into c values (1, 1, 2), (2, 1, 3), (3, NULL, 3);"
  refused fk_orphans_two_columns "$work/t_orphan2.db" d1 'foreign key (x, y)=(1, 3)'
  mkdb t_real2 "create table r(x real, y double); insert into r values (0.1, 16777217.0), (1e300, -2.5e-300), (0.30000000000000004, 123456789012345678.0);"
  roundtrip real_stays_double "$work/t_real2.db" d1
  t=$(psqlq "SELECT string_agg(DISTINCT format_type(atttypid, -1), ',') FROM pg_attribute WHERE attrelid = 'd1.r'::regclass AND attnum > 0 AND attname <> 'rowid'")
  [ "$t" = "double precision" ] && ok "REAL is double precision" || fail "REAL became $t"
  ;;
schema)
  mkdb s "pragma user_version = 7; create table cat(id integer primary key autoincrement, name text not null unique, price real default 1.5 check (price >= 0), created text default (datetime('now')), total real generated always as (price * 2) stored);
          insert into cat(name, price) values ('a', 1.25), ('b', 2.5), ('c', 3.0);
          delete from cat where id = 3;
          update sqlite_sequence set seq = 41 where name = 'cat';
          create table item(id integer primary key, cat_id integer references cat(id), qty integer not null, note text);
          insert into item values (10, 1, 5, 'x'), (20, 2, 0, NULL);
          create table log(msg text);
          insert into log values ('one'), ('two');
          delete from log where msg = 'one';
          insert into log values ('three');
          create index item_live on item(cat_id) where qty > 0;
          create index cat_lower on cat(lower(name));
          create view v_item as select item.id, cat.name, item.qty from item join cat on cat.id = item.cat_id;
          create table audit(what text);
          create trigger cat_ins after insert on cat begin insert into audit values ('new ' || new.name); end;
          create trigger cat_neg after update of price on cat when new.price > 100 begin update cat set name = upper(name) where id = old.id; end;"
  roundtrip schema_db "$work/s.db" sc
  roundtrip schema_db_again "$work/s.db" sc
  [ "$(psqlq "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'sc.item'::regclass AND attname = 'qty'")" = t ] \
    && ok "NOT NULL kept" || fail "NOT NULL lost"
  [ "$(psqlq "SELECT pg_get_expr(indpred, indrelid) FROM pg_index WHERE indexrelid = 'sc.item_live'::regclass")" = "(qty > 0)" ] \
    && ok "partial index keeps its WHERE" || fail "partial index lost its WHERE"
  psqlq "SELECT 1 FROM pg_index WHERE indexrelid = 'sc.cat_lower'::regclass AND indexprs IS NOT NULL" | grep -q 1 \
    && ok "expression index kept" || fail "expression index lost"
  [ "$(psqlq "SELECT count(*) FROM sc.v_item")" = 2 ] && ok "view works" || fail "view"
  [ "$(psqlq "SELECT total FROM sc.cat WHERE id = 2")" = 5 ] && ok "generated column computed" || fail "generated column"
  [ "$(psqlq "SELECT count(*) FROM pg_constraint WHERE conrelid = 'sc.item'::regclass AND contype = 'f'")" = 1 ] \
    && ok "foreign key kept" || fail "foreign key lost"
  [ "$(psqlq "SELECT count(*) FROM pg_constraint WHERE conrelid = 'sc.cat'::regclass AND contype = 'c'")" = 1 ] \
    && ok "CHECK kept" || fail "CHECK lost"
  n=$(psqlq "INSERT INTO sc.cat(name) VALUES ('d') RETURNING id")
  psqlq "UPDATE sc.cat SET price = 150 WHERE id = 2" >/dev/null
  psqlq "UPDATE sc.cat SET price = 50 WHERE id = 1" >/dev/null
  [ "$(psqlq "SELECT string_agg(what, ',' ORDER BY rowid) FROM sc.audit")" = "new d" ] \
    && [ "$(psqlq "SELECT name FROM sc.cat WHERE id = 1")" = a ] \
    && [ "$(psqlq "SELECT name FROM sc.cat WHERE id = 2")" = B ] \
    && ok "triggers translated to PL/pgSQL fire (AFTER INSERT, AFTER UPDATE OF ... WHEN)" \
    || fail "triggers: $(psqlq "SELECT * FROM sc.audit"; psqlq "SELECT name FROM sc.cat")"
  mkdb trg_raise "create table t(x); create trigger t_no before delete on t begin select raise(abort, 'no'); end;"
  refused trigger_raise "$work/trg_raise.db" sr 'trigger "t_no" RAISE() --exclude'
  [ "$n" = 42 ] && ok "AUTOINCREMENT continues from sqlite_sequence (42)" || fail "AUTOINCREMENT next id $n, expected 42"
  n=$(psqlq "INSERT INTO sc.item(cat_id, qty) VALUES (1, 1) RETURNING id")
  [ "$n" = 21 ] && ok "INTEGER PRIMARY KEY continues after max (21)" || fail "next item id $n, expected 21"
  n=$(psqlq "INSERT INTO sc.log(msg) VALUES ('four') RETURNING rowid")
  [ "$n" = 4 ] && ok "hidden rowid kept and continues (4)" || fail "next hidden rowid $n, expected 4"
  [ "$(psqlq "SELECT string_agg(rowid::text, ',' ORDER BY rowid) FROM sc.log WHERE msg <> 'four'")" = "2,3" ] \
    && ok "rowids stable" || fail "rowids changed"
  [ "$(psqlq "SELECT sql FROM liteshift.master WHERE schemaname = 'sc' AND type = 'index' AND name = 'item_live'")" \
    = "CREATE INDEX item_live on item(cat_id) where qty > 0" ] && ok "original DDL in liteshift.master" \
    || fail "liteshift.master"
  # the way back after writes on PostgreSQL: the new rows come back, sequences too
  rm -f "$work/back.db"
  "$L" copy --quiet --schema sc "$DATABASE_URL" "$work/back.db" 2>"$work/err" || fail "back: $(cat "$work/err")"
  [ "$(sqlite3 "$work/back.db" "select cat.name, typeof(price), seq from cat, sqlite_sequence where id = 42 and sqlite_sequence.name = 'cat'")" = "d|real|42" ] \
    && ok "rows written on PostgreSQL come back, sqlite_sequence 42" || fail "back: $(sqlite3 "$work/back.db" "select * from cat; select * from sqlite_sequence")"
  [ "$(sqlite3 "$work/back.db" "select rowid, msg from log where msg = 'four'")" = "4|four" ] \
    && ok "hidden rowid comes back as the rowid" || fail "back rowid"
  [ "$(sqlite3 "$work/back.db" "select sql from sqlite_master where name = 'item_live'")" = "CREATE INDEX item_live on item(cat_id) where qty > 0" ] \
    && ok "original DDL back in sqlite_master" || fail "back DDL"
  [ "$(psqlq "SELECT value FROM liteshift.pragma WHERE db = 'sc' AND name = 'user_version'")" = 7 ] \
    && [ "$(sqlite3 "$work/back.db" "pragma user_version")" = 7 ] && ok "user_version there and back" \
    || fail "user_version"
  [ "$(sqlite3 "$work/back.db" "pragma integrity_check")" = ok ] && ok "back file integrity ok" || fail "integrity"
  # the journal mode: a rollback journal (s.db) stays one, WAL goes there and comes back
  [ "$(psqlq "SELECT value FROM liteshift.pragma WHERE db = 'sc' AND name = 'journal_mode'")" = 0 ] \
    && [ "$(sqlite3 "$work/back.db" "pragma journal_mode")" = delete ] \
    && ok "journal mode delete there and back" || fail "journal mode delete"
  mkdb w "create table t(x integer); insert into t values (1);"
  [ "$(sqlite3 "$work/w.db" "pragma journal_mode=wal")" = wal ] || fail "setting WAL"
  "$L" copy --quiet --schema sw "$work/w.db" "$DATABASE_URL" 2>"$work/err" || fail "wal copy: $(cat "$work/err")"
  "$L" copy --quiet --schema sw "$DATABASE_URL" "$work/wback.db" 2>"$work/err" || fail "wal back: $(cat "$work/err")"
  [ "$(psqlq "SELECT value FROM liteshift.pragma WHERE db = 'sw' AND name = 'journal_mode'")" = 1 ] \
    && [ "$(sqlite3 "$work/wback.db" "pragma journal_mode")" = wal ] \
    && [ "$(sqlite3 "$work/wback.db" "select x from t")" = 1 ] \
    && ok "journal mode WAL there and back" || fail "journal mode WAL"
  # --if-exists: fail by default, truncate loads into the existing tables
  "$L" copy --quiet --schema sc "$work/s.db" "$DATABASE_URL" 2>"$work/err" && fail "second copy without --if-exists succeeded"
  grep -qF 'already exists in schema "sc"' "$work/err" && ok "--if-exists fail names the object" || fail "$(cat "$work/err")"
  "$L" copy --quiet --schema sc --if-exists truncate --include log "$work/s.db" "$DATABASE_URL" 2>"$work/err" \
    && [ "$(psqlq "SELECT count(*) FROM sc.log")" = 2 ] && ok "--if-exists truncate" || fail "truncate: $(cat "$work/err")"
  # corrupt source refused
  cp "$work/s.db" "$work/bad.db"; printf 'garbage!garbage!garbage!' | dd of="$work/bad.db" bs=1 seek=4096 conv=notrunc 2>/dev/null
  refused corrupt_file "$work/bad.db" sbad 'integrity_check'
  # the check runs beside the copy (a second connection) only where the snapshot is the same
  sqlite3 "$work/big.db" "create table t(id integer primary key, x text); insert into t select value, printf('%0100d', value) from generate_series(1, 20000); create index tx on t(x);"
  cp "$work/big.db" "$work/bad2.db"; printf '\x0d\xff\xff\xff\xff' | dd of="$work/bad2.db" bs=1 seek=$((4096 * 300)) conv=notrunc 2>/dev/null
  refused corrupt_page_301 "$work/bad2.db" sbad 'integrity_check Page 301'
  sqlite3 "$work/big.db" "pragma journal_mode = wal" >/dev/null
  cp "$work/big.db" "$work/bad3.db"; printf '\x0d\xff\xff\xff\xff' | dd of="$work/bad3.db" bs=1 seek=$((4096 * 300)) conv=notrunc 2>/dev/null
  refused corrupt_page_301_wal "$work/bad3.db" sbad 'integrity_check Page 301'
  for f in big.db s.db; do
    psqlq 'DROP SCHEMA IF EXISTS sic CASCADE' >/dev/null 2>&1
    "$L" copy --quiet --schema sic --report "$work/ic.json" "$work/$f" "$DATABASE_URL" 2>"$work/err" || fail "$f: $(cat "$work/err")"
    mode=$(sqlite3 "$work/$f" "pragma journal_mode")
    want="beside the copy"; [ "$mode" = wal ] && want="before the copy"
    grep -qF "\"integrity_check\":\"$want\"" "$work/ic.json" \
      && ok "integrity check $want ($mode journal)" || fail "integrity check mode ($mode): $(cat "$work/ic.json")"
  done
  # --dry-run writes nothing
  "$L" copy --dry-run --schema sdry "$work/s.db" "$DATABASE_URL" >"$work/plan" 2>&1 \
    && grep -q 'GENERATED BY DEFAULT AS IDENTITY' "$work/plan" \
    && [ "$(psqlq "SELECT count(*) FROM pg_namespace WHERE nspname = 'sdry'")" = 0 ] \
    && ok "--dry-run prints the DDL and writes nothing" || fail "dry-run"
  ;;
kill)
  N=${1:-20}; ROWS=${2:-1000000}
  db=$work/big.db
  sqlite3 "$db" "create table t(id integer primary key, a text, b real, c blob, d integer);
                 insert into t(a, b, c, d) select 'row ' || value, value * 1.5, randomblob(16), value % 7 from generate_series(1, $ROWS);
                 create table u(id integer primary key autoincrement, t_id integer references t(id), s text);
                 insert into u(t_id, s) select value, 'u' || value from generate_series(1, 1000);
                 create index t_d on t(d) where d > 3;" || { fail "generating"; exit 1; }
  # the target before: an older copy of a small part of it
  sqlite3 "$work/old.db" "create table t(id integer primary key, a text); insert into t values (1, 'old'), (2, 'old');"
  psqlq 'DROP SCHEMA IF EXISTS k CASCADE' >/dev/null 2>&1
  "$L" copy --quiet --schema k "$work/old.db" "$DATABASE_URL" || fail "setup copy"
  # other tests run in parallel on the same server: look at what this copy may touch (its
  # schema and the compat schema, every relation in them, and its rows of liteshift.master)
  fingerprint() {
    psqlq "SELECT string_agg(n.nspname || '.' || c.relname || ':' || c.relkind::text, ' ' ORDER BY 1)
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname IN ('k', 'liteshift')" &&
    psqlq "SELECT count(*), string_agg(id || a, ',' ORDER BY id) FROM k.t" &&
    psqlq "SELECT count(*) FROM liteshift.master WHERE schemaname = 'k'"
  }
  before=$(fingerprint) || { fail "fingerprint query"; exit 1; }
  echo "target before: $(echo "$before" | tr '\n' ' ' | cut -c1-200)"
  case $before in *k.t:r*'2|1old,2old'*) ;; *) fail "fingerprint does not show the old copy"; exit 1 ;; esac
  # time a full run (into another schema) to spread the kills over it
  psqlq 'DROP SCHEMA IF EXISTS ktime CASCADE' >/dev/null 2>&1
  t0=$(date +%s%N); "$L" copy --quiet --schema ktime "$db" "$DATABASE_URL" || fail "timing run"
  t1=$(date +%s%N); full_ms=$(( (t1 - t0) / 1000000 )); psqlq 'DROP SCHEMA ktime CASCADE' >/dev/null
  echo "full copy of $ROWS rows with verification: ${full_ms} ms"
  for i in $(seq 1 "$N"); do
    if [ $((i % 4)) = 0 ]; then   # a row-count kill (inside the data stream)
      at=$((RANDOM * 32768 + RANDOM)); at=$((at % ROWS + 1))
      LITESHIFT_TEST_KILL_AFTER_ROWS=$at "$L" copy --quiet --schema k --if-exists drop "$db" "$DATABASE_URL" 2>/dev/null
      how="after $at rows"
    else                          # a time kill (any phase: DDL, COPY, keys, indexes, verify)
      ms=$(( (RANDOM * 32768 + RANDOM) % (full_ms * 7 / 10 + 1) ))
      "$L" copy --quiet --schema k --if-exists drop "$db" "$DATABASE_URL" 2>/dev/null &
      pid=$!
      sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
      kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
      how="at ${ms} ms"
    fi
    after=$(fingerprint) || fail "fingerprint query after kill $i"
    if [ -n "$after" ] && [ "$after" = "$before" ]; then ok "kill $i ($how): target unchanged"
    else
      # the copy may have committed just before the kill landed: only then is a change right
      if "$L" verify --quiet --schema k "$db" "$DATABASE_URL" 2>/dev/null; then
        ok "kill $i ($how): landed after COMMIT; complete and verified"
        "$L" copy --quiet --schema k --if-exists drop "$work/old.db" "$DATABASE_URL" || fail "restore"
        # the old copy replaced the big one; liteshift.master still lists the big copy's other objects
        psqlq "DELETE FROM liteshift.master WHERE schemaname = 'k' AND name <> 't'" >/dev/null
        before=$(fingerprint)
      else fail "kill $i ($how): target changed: $before -> $after"; fi
    fi
  done
  if "$L" copy --quiet --schema k --if-exists drop "$db" "$DATABASE_URL" 2>"$work/err" \
     && "$L" verify --quiet --schema k "$db" "$DATABASE_URL" 2>>"$work/err"; then
    ok "rerun after the kills copies and verifies"
  else fail "rerun: $(cat "$work/err")"; fi
  ;;
app)
  # acceptance 5: the app that used the SQLite file runs on PostgreSQL after the copy
  shim=${LS_SHIM:?LS_SHIM: path of libliteshift.so}
  app=$(dirname "$0")/copy_app.py
  python3 "$app" init "$work/app.db" || fail "app init"
  cp "$work/app.db" "$work/app_sqlite.db"
  python3 "$app" run "$work/app_sqlite.db" >"$work/on_sqlite.txt" 2>&1 || fail "app on SQLite"
  psqlq 'DROP SCHEMA IF EXISTS app CASCADE' >/dev/null 2>&1
  "$L" copy --quiet --schema app "$work/app.db" "$DATABASE_URL" 2>"$work/err" || fail "copy: $(cat "$work/err")"
  USE_POSTGRES=1 LITESHIFT_SCHEMA=app LD_PRELOAD=$shim python3 "$app" run "$work/app.db" \
    >"$work/on_pg.txt" 2>&1 || true
  if diff -u "$work/on_sqlite.txt" "$work/on_pg.txt"; then
    ok "app after copy: identical output on PostgreSQL ($(wc -l <"$work/on_pg.txt") lines)"
  else fail "app after copy differs (- SQLite, + PostgreSQL)"; fi
  grep -q "new ticket id 51" "$work/on_sqlite.txt" || fail "app baseline unexpected: $(cat "$work/on_sqlite.txt")"
  # and back: the rows the app wrote on PostgreSQL come back to SQLite
  "$L" copy --quiet --schema app "$DATABASE_URL" "$work/app_back.db" 2>"$work/err" || fail "back: $(cat "$work/err")"
  # the default datetime('now') differs between the two runs by construction; INSERT OR
  # REPLACE gives the replaced row a new rowid on SQLite and keeps it through the shim's
  # upsert (a shim deviation), so counter is compared by content
  for f in app_sqlite app_back; do sqlite3 "$work/$f.db" "update note set at = 'now' where id = 21"; done
  [ "$(sqlite3 "$work/app_sqlite.db" "select name, n from counter order by name")" \
    = "$(sqlite3 "$work/app_back.db" "select name, n from counter order by name")" ] \
    || fail "counter differs after the way back"
  "$L" verify --quiet --exclude counter "$work/app_sqlite.db" "$work/app_back.db" 2>"$work/err" \
    && ok "after the way back, the file equals the one the app wrote on SQLite" \
    || fail "way back differs from the SQLite run: $(cat "$work/err")"
  ;;
tamper)   # the verification notices one changed value, row or rowid on PostgreSQL
  mkdb t_tam "create table a(id integer primary key, r real, s text, b blob, f boolean, i integer);
    insert into a values (1, 1.5, 'x', x'0103', 0, 10), (2, 2.25, 'abcdefghi', NULL, 1, 20), (3, 0.1, 'abcdefgh', x'', NULL, NULL);
    create table h(x text, y real); insert into h values ('p', 0.0), ('q', 2.0), (NULL, NULL);
    create table q(id integer primary key, n numeric, s text); insert into q values (1, 1.25, 'u'), (2, 3, 'v');
    create table w(k text primary key, v integer) without rowid; insert into w values ('b', 1), ('a', 2);
    create table c(v); insert into c values (5), ('5'), (x'00ff'), (0.5), (-0.0);"
  fresh() {
    "$L" copy --quiet --schema vt --if-exists drop "$work/t_tam.db" "$DATABASE_URL" 2>"$work/err" \
      || fail "tamper: copy failed: $(cat "$work/err")"
  }
  fresh
  "$L" verify --quiet --schema vt "$work/t_tam.db" "$DATABASE_URL" 2>"$work/err" \
    && ok "tamper: untouched copy verifies" || fail "tamper: untouched copy: $(cat "$work/err")"
  while IFS='|' read -r what sql expect; do
    fresh
    psqlq "SET search_path = vt; $sql" >/dev/null || { fail "tamper $what: $sql"; continue; }
    "$L" verify --quiet --schema vt "$work/t_tam.db" "$DATABASE_URL" 2>"$work/err"
    rc=$?
    if [ $rc = 1 ] && grep -qF -- "$expect" "$work/err"; then ok "tamper: $what: found ($expect)"
    else fail "tamper: $what: exit $rc, expected 1 naming '$expect': $(cat "$work/err")"; fi
  done <<'CASES'
double's last bit|UPDATE a SET r = r + r * 2.220446049250313e-16 WHERE id = 3|table "a" rowid 3 column "r"
text's ninth byte|UPDATE a SET s = 'abcdefghj' WHERE id = 2|table "a" rowid 2 column "s"
values swapped between rows|UPDATE a SET i = CASE id WHEN 1 THEN 20 ELSE 10 END WHERE id IN (1, 2)|table "a" rowid 1 column "i"
blob byte|UPDATE a SET b = '\x0102' WHERE id = 1|table "a" rowid 1 column "b"
empty blob to NULL|UPDATE a SET b = NULL WHERE id = 3|table "a" rowid 3 column "b"
boolean|UPDATE a SET f = NOT f WHERE id = 2|table "a" rowid 2 column "f"
hidden rowid moved|UPDATE h SET "rowid" = 100 WHERE "rowid" = 2|table "h" rowid 2
0.0 to -0.0|UPDATE h SET y = '-0'::float8 WHERE "rowid" = 1|table "h" rowid 1 column "y"
numeric (a cast read)|UPDATE q SET n = n + 0.001 WHERE id = 2|table "q" rowid 2 column "n"
row added|INSERT INTO a VALUES (99, 1, 'x', NULL, true, 1)|table "a" rowid 99
row deleted|DELETE FROM q WHERE id = 1|table "q" rowid 1
WITHOUT ROWID value|UPDATE w SET v = v + 1 WHERE k = 'b'|table "w" row 2 column "v"
D2 integer's class made text|UPDATE c SET "v:class" = 3 WHERE rowid = 1|table "c" rowid 1 column "v"
D2 text's class made integer|UPDATE c SET "v:class" = 1 WHERE rowid = 2|table "c" rowid 2 column "v"
D2 blob's class made text|UPDATE c SET "v:class" = 3 WHERE rowid = 3|table "c" rowid 3 column "v"
D2 real's class made unknown|UPDATE c SET "v:class" = NULL WHERE rowid = 4|table "c" rowid 4 column "v"
D2 -0.0 made 0|UPDATE c SET v = '0' WHERE rowid = 5|table "c" rowid 5 column "v"
D2 a blob byte|UPDATE c SET v = '\x00fe' WHERE rowid = 3|table "c" rowid 3 column "v"
CASES
  ;;
typeless)   # D2: a column declared without a type keeps each value's storage class
  # the expectations are SQLite's (typeof, quote, hex of the original file) and the class
  # codes of the contract (1 integer, 2 real, 3 text, 4 blob as '\x' + hex, NULL for NULL)
  mk_ty
  want() { sqlite3 "$1" "select id, typeof(v), quote(v), hex(v), typeof(d), quote(d), typeof(e), quote(e), typeof(f), quote(f) from k order by id; select rowid, typeof(v), quote(v) from h order by rowid; select k, typeof(v), quote(v) from wr order by k"; }
  psqlq 'DROP SCHEMA IF EXISTS ty CASCADE' >/dev/null 2>&1
  if ! "$L" copy --schema ty "$work/ty.db" "$DATABASE_URL" >/dev/null 2>"$work/err"; then
    fail "typeless: copy failed: $(cat "$work/err")"
  else
    ok "typeless: copied (a blob in a column without a type is carried, not refused)"
    grep -F 'stored as text' "$work/err" | grep -qF '"k"' && fail "typeless: still warns numbers stored as text: $(cat "$work/err")" \
      || ok "typeless: no 'stored as text' warning for columns that keep their class"
    grep -qF 'table "e" column "at": 1 number (1 integer, 0 real) stored as text' "$work/err" \
      && ok "typeless: a DATETIME column holding numbers is still warned about" \
      || fail "typeless: DATETIME warning missing: $(cat "$work/err")"
  fi
  # on PostgreSQL: the value text and the class, row by row
  got=$(psqlq "SELECT id || ':' || coalesce(\"v:class\"::text, 'N') FROM ty.k ORDER BY id" | tr '\n' ' ')
  [ "$got" = "1:1 2:2 3:2 4:2 5:3 6:4 7:N 8:1 9:3 10:4 11:1 12:3 13:4 14:3 15:2 16:2 17:3 " ] \
    && ok "typeless: classes on PostgreSQL" || fail "typeless: classes on PostgreSQL: $got"
  got=$(psqlq "SELECT v FROM ty.k WHERE id IN (1, 6, 8, 10, 11, 13) ORDER BY id" | tr '\n' ' ')
  [ "$got" = '5 \x00ff -9223372036854775808 \x 9223372036854775807 \x5c78 ' ] \
    && ok "typeless: integers as decimal, blobs as \\x + lower-case hex" || fail "typeless: texts on PostgreSQL: $got"
  [ "$(psqlq "SELECT v::float8 = 0.1 AND (SELECT v::float8 = 1e300 FROM ty.k WHERE id = 3) AND (SELECT v LIKE '-%' AND v::float8 = 0 FROM ty.k WHERE id = 4) FROM ty.k WHERE id = 2")" = t ] \
    && ok "typeless: reals read back as the same doubles (-0.0 keeps its sign)" || fail "typeless: real texts: $(psqlq "SELECT v FROM ty.k WHERE id IN (2, 3, 4)")"
  [ "$(psqlq "SELECT d || ':' || \"d:class\" || ',' || e || ':' || \"e:class\" || ',' || f || ':' || \"f:class\" FROM ty.k WHERE id = 1")" = "7:1,x:3,2.5:2" ] \
    && ok "typeless: defaulted values copied with their classes" || fail "typeless: defaults"
  "$L" verify --quiet --schema ty "$work/ty.db" "$DATABASE_URL" 2>"$work/err" \
    && ok "typeless: verify SQLite against PostgreSQL" || fail "typeless: verify: $(cat "$work/err")"
  # rows written on PostgreSQL: a DEFAULT literal gives its class; an unknown (NULL) class and
  # a class that does not match its text come back as text
  psqlq "INSERT INTO ty.k(id) VALUES (100); INSERT INTO ty.k(id, v, \"v:class\") VALUES (101, '12', NULL), (102, 'abc', 1), (103, '\xzz', 4), (104, '99999999999999999999', 1), (105, '1.5x', 2), (106, '-12', 1), (107, '\x', 4), (108, 'NaN', 2); SELECT setval(pg_get_serial_sequence('ty.k', 'id'), 108)" >/dev/null \
    || fail "typeless: writing on PostgreSQL"
  rm -f "$work/ty_back.db"
  if "$L" copy --quiet --schema ty "$DATABASE_URL" "$work/ty_back.db" 2>"$work/err"; then
    ok "typeless: copied back and verified"
  else fail "typeless: copy back: $(cat "$work/err")"; fi
  got=$(sqlite3 "$work/ty_back.db" "select id, typeof(v), quote(v), typeof(d), quote(d), typeof(e), typeof(f) from k where id >= 100 order by id" | tr '\n' ' ')
  [ "$got" = "100|null|NULL|integer|7|text|real 101|text|'12'|integer|7|text|real 102|text|'abc'|integer|7|text|real 103|text|'\\xzz'|integer|7|text|real 104|text|'99999999999999999999'|integer|7|text|real 105|text|'1.5x'|integer|7|text|real 106|integer|-12|integer|7|text|real 107|blob|X''|integer|7|text|real 108|text|'NaN'|integer|7|text|real " ] \
    && ok "typeless: DEFAULT classes, unknown and unreadable classes on the way back" || fail "typeless: rows written on PostgreSQL: $got"
  sqlite3 "$work/ty_back.db" "delete from k where id >= 100"
  [ "$(want "$work/ty.db")" = "$(want "$work/ty_back.db")" ] \
    && ok "typeless: round trip: same typeof() and values ($(want "$work/ty.db" | wc -l) rows)" \
    || fail "typeless: round trip differs: $(diff <(want "$work/ty.db") <(want "$work/ty_back.db"))"
  "$L" verify --quiet "$work/ty.db" "$work/ty_back.db" 2>"$work/err" \
    && ok "typeless: verify of the two files" || fail "typeless: verify files: $(cat "$work/err")"
  [ "$(sqlite3 "$work/ty_back.db" "select sql from sqlite_master where name = 'h'")" = "$(sqlite3 "$work/ty.db" "select sql from sqlite_master where name = 'h'")" ] \
    && [ "$(sqlite3 "$work/ty_back.db" "select group_concat(name || ':' || type, ',') from pragma_table_info('h')")" = "v:,w:TEXT" ] \
    && ok "typeless: no class column in SQLite, the column still has no type" || fail "typeless: DDL back: $(sqlite3 "$work/ty_back.db" .schema)"
  # a table whose DDL is made from the catalog (its columns changed on PostgreSQL)
  psqlq "ALTER TABLE ty.h ADD COLUMN z text, ADD COLUMN \"z:class\" smallint; UPDATE ty.h SET z = '3', \"z:class\" = 1 WHERE rowid = 1" >/dev/null || fail "typeless: altering h"
  rm -f "$work/ty_back2.db"
  "$L" copy --quiet --schema ty --include h "$DATABASE_URL" "$work/ty_back2.db" 2>"$work/err" || fail "typeless: copy back (catalog DDL): $(cat "$work/err")"
  [ "$(sqlite3 "$work/ty_back2.db" "select group_concat(name || ':' || type, ',') from pragma_table_info('h'); select rowid, typeof(v), quote(v), typeof(z), quote(z) from h order by rowid")" \
    = "$(printf '%s\n' 'v:,w:TEXT,z:' "1|integer|1|integer|3" "2|text|'1'|null|NULL" "3|real|1.0|null|NULL" "4|blob|X'41'|null|NULL")" ] \
    && ok "typeless: DDL from the catalog keeps the columns typeless and the classes" \
    || fail "typeless: catalog DDL: $(sqlite3 "$work/ty_back2.db" ".schema h" "select rowid, typeof(v), quote(v), typeof(z), quote(z) from h")"
  # what cannot be carried is still refused by name
  mkdb ty_nul "create table n(v); insert into n values (1), ('a'||char(0)||'b');"
  refused typeless_nul "$work/ty_nul.db" tyn 'table "n" rowid 2 column "v" \x00'
  psqlq 'DROP SCHEMA IF EXISTS tyn CASCADE' >/dev/null 2>&1
  if "$L" copy --quiet --no-verify --on-bad-value null --schema tyn "$work/ty_nul.db" "$DATABASE_URL" 2>"$work/err" \
     && [ "$(psqlq "SELECT string_agg(coalesce(v, 'N') || ':' || coalesce(\"v:class\"::text, 'N'), ',' ORDER BY rowid) FROM tyn.n")" = "1:1,N:N" ]; then
    ok "typeless: --on-bad-value null stores NULL and a NULL class"
  else fail "typeless: on-bad-value null: $(cat "$work/err")"; fi
  ;;
typeless_shim)   # D2 with the shim: an app reads the copy, the way back reads the app's writes
  mk_ty
  # the shim reads what the copy wrote, and the way back reads what the shim wrote: Python's
  # types (int, float, str, bytes, None) show each value's storage class
  shim=${LS_SHIM:?LS_SHIM: path of libliteshift.so}
  cat >"$work/ty.py" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute("select id, v, d, e, f from k order by id"):
    print(repr(row))
if sys.argv[2:] == ["write"]:
    db.executemany("insert into k(id, v) values (?, ?)",
                   [(200, 42), (201, b"\x01\x00"), (202, 2.5), (203, "7"), (204, None)])
    db.commit()
PY
  psqlq 'DROP SCHEMA IF EXISTS tys CASCADE' >/dev/null 2>&1
  "$L" copy --quiet --schema tys "$work/ty.db" "$DATABASE_URL" 2>"$work/err" || fail "typeless: copy (shim): $(cat "$work/err")"
  python3 "$work/ty.py" "$work/ty.db" >"$work/ty_sqlite.txt" 2>&1 || fail "typeless: reading on SQLite"
  USE_POSTGRES=1 LITESHIFT_SCHEMA=tys LD_PRELOAD=$shim python3 "$work/ty.py" "$work/ty.db" write >"$work/ty_pg.txt" 2>&1
  diff -u "$work/ty_sqlite.txt" "$work/ty_pg.txt" >"$work/ty.diff" \
    && ok "typeless: an app reading the copy through the shim gets SQLite's types and values" \
    || fail "typeless: the shim reads the copy differently: $(cat "$work/ty.diff")"
  rm -f "$work/tys_back.db"
  "$L" copy --quiet --schema tys "$DATABASE_URL" "$work/tys_back.db" 2>"$work/err" || fail "typeless: copy back (shim): $(cat "$work/err")"
  [ "$(sqlite3 "$work/tys_back.db" "select id, typeof(v), quote(v) from k where id >= 200 order by id" | tr '\n' ' ')" \
    = "200|integer|42 201|blob|X'0100' 202|real|2.5 203|text|'7' 204|null|NULL " ] \
    && ok "typeless: values written through the shim come back in their classes" \
    || fail "typeless: shim writes back: $(sqlite3 "$work/tys_back.db" "select id, typeof(v), quote(v) from k where id >= 200")"
  ;;
*) echo "copy.sh: unknown mode $mode" >&2; exit 2 ;;
esac
[ $fails = 0 ] || { echo "$fails check(s) failed" >&2; exit 1; }
echo "all checks passed"
