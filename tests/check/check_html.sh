#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The HTML report of `liteshift check` in a real browser (issue 8): headless Chromium loads
# the page, runs its script and gives back the DOM; the chart it drew must hold one bar per
# outcome with the counts of the JSON report, and the page must list every failing
# statement.  Chromium is required (scripts/setup installs it): missing, the test fails.
#   check_html.sh LIBLITESHIFT LITESHIFT_BINARY      (environment of tests/pg/harness.sh)
set -euo pipefail
shim=$(realpath "$1") cli=$(realpath "$2")
here=$(dirname "$(realpath "$0")")
root=$(dirname "$(dirname "$here")")
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "FAIL: chromium is not installed (scripts/setup installs it)"; exit 1; }
db="t_check_html_$$"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
url="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"
env -u USE_POSTGRES LITESHIFT_CAPTURE="$tmp/cap" LD_PRELOAD="$shim" \
  python3 "$root/docs/example/notes.py" "$tmp/notes.db" >/dev/null
# a statement with markup in it, to see it escaped and not executed by the page
printf '1\tSELECT '"'"'</script><b id=injected>x</b>'"'"' AS "<i>"\n' >>"$tmp/cap"
# and two that fail (the sample app's statements all pass since last_insert_rowid() in SQL
# works): one the rewriter refuses, one PostgreSQL does not prepare
printf '1\tSELECT title FROM notes WHERE title REGEXP '"'"'milk'"'"'\n' >>"$tmp/cap"
printf '2\tSELECT no_such_column FROM notes\n' >>"$tmp/cap"
"$cli" copy --quiet "$tmp/notes.db" "$url"
"$cli" check --quiet --json "$tmp/report.json" --html "$tmp/report.html" "$tmp/cap" "$url" \
  >/dev/null || [ $? = 1 ]
HOME="$tmp" timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --no-first-run --user-data-dir="$tmp/profile" --virtual-time-budget=5000 \
  --dump-dom "file://$tmp/report.html" >"$tmp/dom.html" 2>"$tmp/browser.log" ||
  { echo "FAIL: chromium could not load the page"; tail -5 "$tmp/browser.log"; exit 1; }
python3 - "$tmp/report.json" "$tmp/dom.html" <<'PY'
import json, re, sys
rep = json.load(open(sys.argv[1], encoding="utf-8"))
dom = open(sys.argv[2], encoding="utf-8").read()
s = rep["summary"]
ok = True
def fail(msg):
    global ok
    print("FAIL: " + msg); ok = False
if not re.search(r'<html[^>]*data-chart="ready"', dom):
    fail("the page's script did not run to the end (no data-chart=ready)")
bars = {m.group(1): int(m.group(2)) for m in re.finditer(
    r'<rect class="bar" data-status="([a-z_]+)" data-count="(\d+)"', dom)}
want = {k: s[k] for k in ("ok", "translate_failed", "prepare_failed")}
if bars != want:
    fail("chart bars %r, report says %r" % (bars, want))
failing = [x for x in rep["statements"] if x["status"] != "ok"]
rows = len(re.findall(r'<tr class="(?:translate|prepare)_failed">', dom))
if rows != len(failing) or not failing:
    fail("%d failing rows on the page, %d in the report" % (rows, len(failing)))
if 'id="injected"' in dom or "&lt;/script&gt;&lt;b id=injected&gt;" not in dom:
    fail("SQL text was not escaped in the page")
if ok:
    print("ok: chromium drew the chart (%s) and listed %d failing statements"
          % (", ".join("%s=%d" % kv for kv in sorted(bars.items())), rows))
sys.exit(0 if ok else 1)
PY
