# SPDX-License-Identifier: MIT
# Sourced by the benchmark scripts (run.sh, ab.sh, bulkpipe.sh).  bench_db PREFIX makes
# $tmp, a temporary directory, and the database $db (PREFIX_PID) on a throwaway PostgreSQL
# started in $tmp/pg (tests/pg/harness.sh) or, with LS_BENCH_PG=env, on the server of the
# PG* variables; at exit the server is stopped (or the database dropped) and $tmp removed.
# LS_BENCH_PIN=CPUS (a taskset list, e.g. 0) pins the server it starts and, through
# "${bench_pin[@]}", the programs measured to those CPUs: on a small VM a round trip between
# processes on two CPUs costs a cross-CPU wakeup whose price depends on where the scheduler
# put each process (15 us or 65 us per insert here, by process), and pinned to one CPU the
# figures measure the CPU each side spends (docs/benchmarks.md).
bench_pg_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../pg" && pwd)

bench_db_cleanup() {
  if [ "${LS_BENCH_PG:-}" = env ]; then
    dropdb --if-exists "$db" >/dev/null 2>&1 || true
  else
    "$bench_pg_dir/harness.sh" stop "$tmp/pg" >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}

bench_pin=()
bench_db() {
  tmp=$(mktemp -d)
  chmod 755 "$tmp"  # the server may run as nobody (harness.sh)
  db=$1_$$
  trap bench_db_cleanup EXIT
  if [ "${LS_BENCH_PG:-}" != env ]; then
    "$bench_pg_dir/harness.sh" start "$tmp/pg" >/dev/null
    # shellcheck disable=SC1091
    . "$tmp/pg/env"
    if [ -n "${LS_BENCH_PIN:-}" ]; then
      taskset -p -c "$LS_BENCH_PIN" "$(head -1 "$tmp/pg/pgdata/postmaster.pid")" >/dev/null
    fi
  fi
  if [ -n "${LS_BENCH_PIN:-}" ]; then
    bench_pin=(taskset -c "$LS_BENCH_PIN")
  fi
  createdb "$db"
}
