#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 7 benchmark (not a CI test; tests/bench/CMakeLists.txt registers a tiny-size smoke
# run).  Builds bench_workload (sqlite3 API) and bench_libpq (hand-written libpq), starts a
# throwaway PostgreSQL (tests/pg/harness.sh), and runs, interleaved, ROUNDS times:
#   native       bench_workload on libsqlite3
#   passthrough  bench_workload with libliteshift.so preloaded, USE_POSTGRES unset
#   shim         bench_workload with libliteshift.so preloaded, USE_POSTGRES=1
#   shimpipe     the same with LITESHIFT_PIPELINE=1 (docs/benchmarks.md, "pipelined writes")
#   libpq        bench_libpq
# then prints per-phase medians and the throughput ratios shim/libpq and passthrough/native.
# Fails when any two runs read back different checksums.
#   tests/bench/run.sh [BUILD_DIR [ROUNDS [N [B]]]]
# Environment: LS_BENCH_TCP=1 connects over TCP (default: the unix socket); LS_BENCH_PIN=0
# runs the server and every program on CPU 0 (pg_db.sh);
# LS_BENCH_PG=env uses the server of the PG* variables instead of starting one (its own
# database is created and dropped); LS_BENCH_NOBUILD=1 skips the build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-build}") rounds=${2:-5} n=${3:-20000} b=${4:-10000}
if [ "${LS_BENCH_NOBUILD:-0}" != 1 ]; then
  cmake --build "$build" -j2 --target bench_workload bench_libpq ls_shim >/dev/null
fi
work=$build/tests/bench/bench_workload libpq=$build/tests/bench/bench_libpq
shim=$build/shim/libliteshift.so
[ -x "$work" ] && [ -x "$libpq" ] && [ -r "$shim" ] || { echo "run.sh: build first" >&2; exit 1; }

# shellcheck source=pg_db.sh
. "$here/pg_db.sh"
bench_db ls_bench
if [ "${LS_BENCH_TCP:-0}" = 1 ]; then
  url="postgresql://$PGUSER@127.0.0.1:$PGPORT/$db"
else
  url="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"
fi

run_variant() {  # $1 variant, $2 round
  local out=$tmp/$1.$2
  case $1 in
    native) "${bench_pin[@]}" env -u USE_POSTGRES "$work" "$tmp/w.db" "$n" "$b" ;;
    passthrough) "${bench_pin[@]}" env -u USE_POSTGRES LD_PRELOAD="$shim" "$work" "$tmp/w.db" "$n" "$b" ;;
    shim) "${bench_pin[@]}" env USE_POSTGRES=1 DATABASE_URL="$url" LD_PRELOAD="$shim" "$work" "$tmp/w.db" "$n" "$b" ;;
    shimpipe) "${bench_pin[@]}" env USE_POSTGRES=1 LITESHIFT_PIPELINE=1 DATABASE_URL="$url" \
                LD_PRELOAD="$shim" "$work" "$tmp/w.db" "$n" "$b" ;;
    libpq) "${bench_pin[@]}" env DATABASE_URL="$url" "$libpq" "$n" "$b" ;;
  esac >"$out" 2>"$out.err" || { echo "run.sh: $1 failed:" >&2; cat "$out.err" >&2; exit 1; }
}

variants=(native passthrough shim shimpipe libpq)
echo "workload: N=$n rows, B=$b bulk inserts, $rounds rounds, $( [ "${LS_BENCH_TCP:-0}" = 1 ] && echo TCP || echo unix socket)${LS_BENCH_PIN:+, server and programs pinned to CPU $LS_BENCH_PIN}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 0; r < rounds; r++)); do
  # interleaved: each round in a rotated order
  for ((k = 0; k < ${#variants[@]}; k++)); do
    v=${variants[$(( (k + r) % ${#variants[@]} ))]}
    run_variant "$v" "$r"
  done
  echo "round $((r + 1))/$rounds done" >&2
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$tmp" "$rounds" "${variants[@]}" <<'PY'
import sys, statistics
tmp, rounds, variants = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
times, sums, splits = {}, {}, {}
for v in variants:
    for r in range(rounds):
        for line in open("%s/%s.%d" % (tmp, v, r)):
            f = line.split()
            if f[0] == "phase":
                times.setdefault((v, f[1]), []).append(float(f[3]))
                sums.setdefault(f[1] if f[1] != "bulkpipe" else "bulk", set()).add((f[4], v))
            elif f[0] == "split":
                splits.setdefault(v, []).append([float(x) for x in f[1:]])
bad = [p for p, s in sums.items() if len({c for c, _ in s}) != 1]
for p in bad:
    print("CHECKSUM MISMATCH in phase %s: %s" % (p, sorted(sums[p])))
med = {k: statistics.median(t) for k, t in times.items()}
phases = ["schema", "insert", "select", "range", "update", "join", "scan", "txn", "bulk", "prepare"]
def ms(v, p):
    return "%9.1f" % (med[(v, p)] * 1e3) if (v, p) in med else "%9s" % "-"
def ratio(a, b, p):  # throughput of a relative to b
    return "%6.3f" % (med[(b, p)] / med[(a, p)]) if (a, p) in med and (b, p) in med else "%6s" % "-"
print("median wall-clock ms per phase (%d rounds)" % rounds)
print("%-8s" % "phase" + "".join(" %9s" % v[:9] for v in variants) + "  shim/libpq  pass/native")
for p in phases:
    print("%-8s" % p + "".join(" " + ms(v, p) for v in variants) + "     " + ratio("shim", "libpq", p)
          + "       " + ratio("passthrough", "native", p))
print("%-8s" % "bulkpipe" + "".join(" " + ms(v, "bulkpipe") for v in variants))
best = {k: min(t) for k, t in times.items()}
print("best of %d rounds, shim/libpq: " % rounds + "  ".join(
    "%s %.3f" % (p, best[("libpq", p)] / best[("shim", p)]) for p in phases if ("libpq", p) in best))
if ("shimpipe", "bulk") in med and ("libpq", "bulkpipe") in med:
    sp, lp, ll = med[("shimpipe", "bulk")], med[("libpq", "bulkpipe")], med[("libpq", "bulk")]
    print("pipelined bulk insert: shim (LITESHIFT_PIPELINE=1) / libpq pipeline = %.3f; "
          "/ libpq one-round-trip loop = %.2f" % (lp / sp, ll / sp))
    print("txn phase under LITESHIFT_PIPELINE=1: shimpipe/libpq = %.3f" %
          (med[("libpq", "txn")] / med[("shimpipe", "txn")]))
for v in ("shim", "shimpipe", "libpq"):
    if v in splits:
        cols = list(zip(*splits[v]))
        print("bulk ms per 1000 statements, %-8s" % v + " ".join("%6.1f" % statistics.median(c) for c in cols))
if bad:
    sys.exit(1)
print("checksums: identical across %d runs" % (rounds * len(variants)))
PY
