#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The copy benchmark (issue 6, acceptance 4), all three in one run on the same server and the
# same generated database (gen.sql, 1.6 million rows):
#   liteshift   liteshift copy, verification included (the default); also --no-verify
#   pgloader    the Debian package, default SQLite settings (its own schema translation)
#   raw floor   sqlite3 CSV export piped into psql \copy, then keys, indexes and foreign
#               keys by hand: what a careful script does, with no checks at all
# Each gets a fresh database; wall time, rows/s, peak RSS (GNU time) and the 1-minute load
# average at the start are printed as a Markdown table.  Round r runs the four in an order
# rotated by r-1, so that none always goes first while the machine's load drifts.  Usage: run.sh LITESHIFT [REPEAT]  (with DATABASE_URL/PG* set, or it starts a
# throwaway server through tests/pg/harness.sh).
set -euo pipefail
L=$(realpath "$1"); REPEAT=${2:-1}
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${DATABASE_URL:-}" ]; then
  exec "$here/../../pg/harness.sh" run -- "$0" "$@"
fi
work=$(mktemp -d /tmp/ls-copy-bench.XXXXXX); trap 'rm -rf "$work"' EXIT
db=$work/bench.db
sqlite3 "$db" < "$here/gen.sql" >/dev/null
rows=$(sqlite3 "$db" "select (select count(*) from categories) + (select count(*) from users) + (select count(*) from orders) + (select count(*) from events)")
echo "database: $rows rows, $(du -k "$db" | cut -f1) KiB" >&2
base=${DATABASE_URL%/*}
fresh() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -d "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null; echo "$base/$1"; }
measure() {   # name cmd... : prints "name seconds rss_kib"
  local name=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
    echo "$name failed:" >&2; tail -5 "$work/$name.err" >&2; return 1; }
  t1=$(date +%s%N)
  echo "$name $(( (t1 - t0) / 1000000 )) $(tail -1 "$work/rss")"
}
raw() {   # the raw floor, as one shell pipeline per table
  local url=$1
  psql -X -q -v ON_ERROR_STOP=1 -d "$url" <<'SQL'
CREATE TABLE categories(id bigint, name text NOT NULL, parent_id bigint);
CREATE TABLE users(id bigint, email text NOT NULL, name text, active boolean NOT NULL, created_at text NOT NULL, score double precision, avatar bytea);
CREATE TABLE orders(id bigint, user_id bigint NOT NULL, category_id bigint, amount double precision NOT NULL, status text NOT NULL, created_at text NOT NULL, shipped_at text, note text);
CREATE TABLE events(id bigint, user_id bigint, order_id bigint, kind text NOT NULL, at text NOT NULL, payload bytea, flag boolean);
SQL
  sqlite3 -csv "$db" "select id, name, parent_id from categories" | psql -X -q -d "$url" -c "\copy categories from stdin csv"
  sqlite3 -csv "$db" "select id, email, name, active, created_at, score, case when avatar is not null then '\\x' || hex(avatar) end from users" | psql -X -q -d "$url" -c "\copy users from stdin csv"
  sqlite3 -csv "$db" "select id, user_id, category_id, amount, status, created_at, shipped_at, note from orders" | psql -X -q -d "$url" -c "\copy orders from stdin csv"
  sqlite3 -csv "$db" "select id, user_id, order_id, kind, at, case when payload is not null then '\\x' || hex(payload) end, flag from events" | psql -X -q -d "$url" -c "\copy events from stdin csv"
  psql -X -q -v ON_ERROR_STOP=1 -d "$url" <<'SQL'
ALTER TABLE categories ADD PRIMARY KEY (id), ADD UNIQUE (name);
ALTER TABLE users ADD PRIMARY KEY (id), ADD UNIQUE (email);
ALTER TABLE orders ADD PRIMARY KEY (id);
ALTER TABLE events ADD PRIMARY KEY (id);
ALTER TABLE categories ADD FOREIGN KEY (parent_id) REFERENCES categories(id);
ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users(id), ADD FOREIGN KEY (category_id) REFERENCES categories(id);
ALTER TABLE events ADD FOREIGN KEY (user_id) REFERENCES users(id), ADD FOREIGN KEY (order_id) REFERENCES orders(id);
CREATE INDEX orders_user ON orders(user_id);
CREATE INDEX orders_open ON orders(status) WHERE status <> 'done';
CREATE INDEX events_user_at ON events(user_id, at);
CREATE VIEW order_totals AS SELECT user_id, count(*) AS n, sum(amount) AS total FROM orders GROUP BY user_id;
SQL
}
export -f raw; export db
echo "| run | tool | seconds | rows/s | peak RSS (MiB) | load |"
echo "|---|---|---:|---:|---:|---:|"
tools=(liteshift liteshift-noverify pgloader raw)
declare -A T
for r in $(seq 1 "$REPEAT"); do
  for k in 0 1 2 3; do
    tool=${tools[$(( (k + r - 1) % 4 ))]}
    load=$(cut -d' ' -f1 /proc/loadavg)
    url=$(fresh "bench_${tool//-/_}")
    case $tool in
      liteshift) line=$(measure liteshift "$L" copy --quiet "$db" "$url") ;;
      liteshift-noverify) line=$(measure liteshift-noverify "$L" copy --quiet --no-verify "$db" "$url") ;;
      pgloader)  line=$(measure pgloader pgloader "sqlite://$db" "$url") || line="pgloader 0 0" ;;
      raw)       line=$(measure raw bash -c "raw '$url'") ;;
    esac
    set -- $line
    ms=$2; rss=$3; T[$r,$tool]=$ms
    awk -v r="$r" -v t="$tool" -v ms="$ms" -v rows="$rows" -v rss="$rss" -v load="$load" 'BEGIN {
      printf "| %d | %s | %.2f | %.0f | %.1f | %s |\n", r, t, ms / 1000, (ms > 0 ? rows / (ms / 1000) : 0), rss / 1024, load }'
  done
done
# throughput ratios within each round (time of the other / time of liteshift: above 1 means
# liteshift is faster)
echo
echo "| run | pgloader / liteshift | raw / liteshift | pgloader / liteshift-noverify | raw / liteshift-noverify |"
echo "|---|---:|---:|---:|---:|"
for r in $(seq 1 "$REPEAT"); do
  awk -v r="$r" -v l="${T[$r,liteshift]}" -v n="${T[$r,liteshift-noverify]}" -v p="${T[$r,pgloader]}" \
      -v w="${T[$r,raw]}" 'BEGIN { printf "| %d | %.2f | %.2f | %.2f | %.2f |\n", r, p / l, w / l, p / n, w / n }'
done
# what each one left behind (row counts and column types), for docs/benchmarks.md
for tool in liteshift pgloader raw; do
  echo "$tool: $(psql -X -At -d "$base/bench_$tool" -c "SELECT string_agg(c.relname || '=' || c.reltuples::bigint, ' ' ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'liteshift')")" >&2
  echo "$tool orders.amount: $(psql -X -At -d "$base/bench_$tool" -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relname = 'orders' AND a.attname = 'amount'")" >&2
done
