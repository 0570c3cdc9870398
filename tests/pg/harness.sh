#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A throwaway PostgreSQL for tests, benchmarks and the demo.
#
#   harness.sh start STATE_DIR     initdb + start; writes STATE_DIR/env (sourceable)
#   harness.sh stop STATE_DIR      stop the server and remove STATE_DIR
#   harness.sh restart STATE_DIR   restart it (tests of lost connections)
#   harness.sh run -- CMD [ARGS]   start in a temporary dir, run CMD with the environment,
#                                  stop and remove everything on exit, even on failure
#
# The server runs as the calling user, or as 'nobody' when called as root (initdb refuses
# root).  Trust auth, UTF8, C.UTF-8 locale, fsync off; a unix socket in STATE_DIR plus a free
# loopback port.  Exported to clients: PGHOST, PGPORT, PGUSER, PGDATABASE, DATABASE_URL.
set -euo pipefail

die() { echo "harness: $*" >&2; exit 1; }

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  d=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  die "initdb/pg_ctl not found: install the 'postgresql' package (scripts/setup does)"
}

as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
  else
    "$@"
  fi
}

start() {
  local state=$1 bindir port tries=0
  bindir=$(find_bindir)
  [ -e "$state/pgdata/postmaster.pid" ] && stop_server "$state" || true
  mkdir -p "$state"
  chmod 755 "$state"
  [ "$(id -u)" = 0 ] && chown nobody:nogroup "$state"
  as_server_user "$bindir/initdb" -D "$state/pgdata" -U postgres -A trust -E UTF8 \
      --locale=C.UTF-8 --no-sync >"$state/initdb.log" 2>&1 \
    || { cat "$state/initdb.log" >&2; die "initdb failed"; }
  cat >>"$state/pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$state'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_preload_libraries = 'pg_stat_statements'
log_min_messages = warning
CONF
  while :; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    if as_server_user "$bindir/pg_ctl" -D "$state/pgdata" -l "$state/server.log" -w -t 60 \
         -o "-p $port" start >/dev/null 2>&1; then
      break
    fi
    tries=$((tries + 1))
    [ $tries -ge 8 ] && { cat "$state/server.log" >&2 || true; die "server did not start"; }
  done
  cat >"$state/env" <<ENV
export PGHOST='$state'
export PGPORT='$port'
export PGUSER=postgres
export PGDATABASE=postgres
export DATABASE_URL='postgresql://postgres@127.0.0.1:$port/postgres'
export LS_PG_BINDIR='$bindir'
ENV
  # wait until a real connection succeeds, not only the postmaster
  for _ in $(seq 1 100); do
    "$bindir/pg_isready" -q -h "$state" -p "$port" && break
    sleep 0.1
  done
  "$bindir/pg_isready" -q -h "$state" -p "$port" || die "server not accepting connections"
  echo "harness: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on port $port, socket in $state" >&2
}

stop_server() {
  local state=$1 bindir
  bindir=$(find_bindir)
  if [ -e "$state/pgdata/postmaster.pid" ]; then
    as_server_user "$bindir/pg_ctl" -D "$state/pgdata" -m immediate -w stop >/dev/null 2>&1 || true
  fi
}

stop() {
  local state=$1
  [ -d "$state" ] || return 0
  stop_server "$state"
  rm -rf "$state"
}

restart() {
  local state=$1 bindir
  bindir=$(find_bindir)
  as_server_user "$bindir/pg_ctl" -D "$state/pgdata" -m fast -w -t 60 restart \
      -l "$state/server.log" >/dev/null 2>&1 || die "restart failed"
}

cmd=${1:-}
case "$cmd" in
  restart) [ $# -eq 2 ] || die "usage: harness.sh restart STATE_DIR"; restart "$(realpath -m "$2")" ;;
  start) [ $# -eq 2 ] || die "usage: harness.sh start STATE_DIR"; start "$(realpath -m "$2")" ;;
  stop)  [ $# -eq 2 ] || die "usage: harness.sh stop STATE_DIR"; stop "$(realpath -m "$2")" ;;
  run)
    shift; [ "${1:-}" = "--" ] && shift
    [ $# -ge 1 ] || die "usage: harness.sh run -- CMD [ARGS]"
    state=$(mktemp -d /tmp/liteshift-pg.XXXXXX)
    trap 'stop "$state"' EXIT
    trap 'exit 130' INT TERM
    start "$state"
    # shellcheck disable=SC1091
    . "$state/env"
    set +e
    "$@"
    exit $?
    ;;
  *) die "usage: harness.sh start|stop STATE_DIR | run -- CMD [ARGS]" ;;
esac
