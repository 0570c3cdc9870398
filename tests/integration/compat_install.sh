#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 5, acceptance 4: the compat pack installs idempotently (twice: no error, the same
# objects), upgrades an older recorded version (keeping liteshift.master and the persisted
# pragmas), installs as a non-superuser owner of the database (by the CLI and by the shim on
# first connect), and when a role may not even create the schema the shim still works for
# plain SQL and says why in its log.
#   compat_install.sh LITESHIFT_CLI LIBLITESHIFT
set -euo pipefail
cli=$(realpath "$1") shim=$(realpath "$2")
db="t_compat_$$" owned="t_compat_own_$$" locked="t_compat_locked_$$"
owner="ls_owner_$$" guest="ls_guest_$$"
tmp=$(mktemp -d)
cleanup() {
  rm -rf "$tmp"
  for d in "$db" "$owned" "$locked"; do dropdb --if-exists "$d" >/dev/null 2>&1 || true; done
  for r in "$owner" "$guest"; do dropuser --if-exists "$r" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
url() { echo "postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$2"; }
fail() { echo "FAIL: $*"; exit 1; }
# objects of the pack: functions, relations, types, collations in schema liteshift
count() {
  psql -qAtX -d "$1" -c "SELECT (SELECT count(*) FROM pg_proc WHERE pronamespace = n.oid)
    || ' ' || (SELECT count(*) FROM pg_class WHERE relnamespace = n.oid)
    || ' ' || (SELECT count(*) FROM pg_type WHERE typnamespace = n.oid)
    || ' ' || (SELECT count(*) FROM pg_collation WHERE collnamespace = n.oid)
    FROM pg_namespace n WHERE nspname = 'liteshift'"
}

createdb "$db"
U=$(url "$db" "$PGUSER")
"$cli" compat install "$U" | tee "$tmp/out1"
grep -q "installed" "$tmp/out1" || fail "first install did not install"
first=$(count "$db")
"$cli" compat install "$U" | tee "$tmp/out2"
grep -q "already current" "$tmp/out2" || fail "second install was not a no-op"
second=$(count "$db")
echo "objects (functions relations types collations): after one install: $first, after two: $second"
[ -n "$first" ] && [ "$first" = "$second" ] || fail "a second install changed the objects"
"$cli" compat status "$U" | grep -q "(current)" || fail "status does not say current"

# an older pack recorded: the install upgrades it, keeps the data, restores what it lacks
cur=$("$cli" compat status "$U" | sed -E 's/.*this build ([0-9]+).*/\1/')
[ "$cur" -ge 2 ] || fail "this build's version $cur leaves no older version to simulate"
psql -qAtX -d "$db" -c "INSERT INTO liteshift.master VALUES ('public','table','kept','kept','CREATE TABLE kept(a)');
  INSERT INTO liteshift.pragma VALUES ('public','user_version',41);
  UPDATE liteshift.version SET version = $cur - 1 WHERE pack = 'compat';
  DROP FUNCTION liteshift.sqlite_version()" >/dev/null
"$cli" compat status "$U" | grep -q "older" || fail "status does not see the older version"
"$cli" compat install "$U" | tee "$tmp/out3"
grep -q "upgraded" "$tmp/out3" || fail "an older pack was not upgraded"
[ "$(count "$db")" = "$first" ] || fail "objects after the upgrade differ: $(count "$db") vs $first"
[ "$(psql -qAtX -d "$db" -c "SELECT count(*) FROM liteshift.master WHERE name = 'kept'")" = 1 ] \
  || fail "the upgrade lost liteshift.master rows"
[ "$(psql -qAtX -d "$db" -c "SELECT value FROM liteshift.pragma WHERE name = 'user_version'")" = 41 ] \
  || fail "the upgrade lost the persisted user_version"
[ "$(psql -qAtX -d "$db" -c "SELECT version FROM liteshift.version")" = "$cur" ] \
  || fail "the upgrade did not record version $cur"

# a non-superuser owner of its database: the CLI installs, and so does the shim by itself
createuser --no-superuser --no-createdb --no-createrole "$owner"
createdb -O "$owner" "$owned"
"$cli" compat install "$(url "$owned" "$owner")" | grep -q "installed" \
  || fail "the owner could not install"
[ "$(count "$owned")" = "$first" ] || fail "the owner's install has other objects"
"$cli" compat uninstall "$(url "$owned" "$owner")" | grep -q removed || fail "uninstall failed"
cat >"$tmp/app.py" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "set":
    con.execute("PRAGMA user_version = 7")
print(con.execute("PRAGMA user_version").fetchone()[0], con.execute("SELECT 1 + 1").fetchone()[0])
PY
shim_run() {
  USE_POSTGRES=1 DATABASE_URL="$1" LD_PRELOAD="$shim" LITESHIFT_LOG=info \
    LITESHIFT_LOG_FILE="$tmp/log" python3 "$tmp/app.py" "$tmp/app.db" "$2"
}
[ "$(shim_run "$(url "$owned" "$owner")" set)" = "7 2" ] || fail "shim as the owner: user_version"
[ "$(shim_run "$(url "$owned" "$owner")" get)" = "7 2" ] \
  || fail "user_version 7 not read back by a new process"
grep -q "compat pack version $cur installed" "$tmp/log" || fail "the shim did not install the pack"
[ "$(count "$owned")" = "$first" ] || fail "the shim's install has other objects"

# a role that may not create the schema: plain SQL still works, the log says why
createuser --no-superuser --no-createdb --no-createrole "$guest"
createdb "$locked"
psql -qAtX -d "$locked" -c "REVOKE CREATE ON DATABASE $locked FROM PUBLIC;
  GRANT CREATE ON SCHEMA public TO $guest" >/dev/null
: >"$tmp/log"
cat >"$tmp/plain.py" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("CREATE TABLE t(a INTEGER)")
con.execute("INSERT INTO t VALUES (1), (2)")
print(con.execute("SELECT sum(a) FROM t").fetchone()[0])
PY
out=$(USE_POSTGRES=1 DATABASE_URL="$(url "$locked" "$guest")" LD_PRELOAD="$shim" \
  LITESHIFT_LOG=error LITESHIFT_LOG_FILE="$tmp/log" python3 "$tmp/plain.py" "$tmp/p.db")
[ "$out" = 3 ] || fail "without the pack plain SQL failed: $out"
grep -q "permission denied.*liteshift compat install" "$tmp/log" \
  || { cat "$tmp/log"; fail "no clear message when the schema cannot be created"; }
echo "ok: idempotent ($first objects twice), upgraded from $((cur - 1)) to $cur, installed by a" \
  "non-superuser owner (CLI and shim), plain SQL works without the pack"
