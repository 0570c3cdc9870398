#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run docs/guide.md (issue 8, acceptance 2): every ```sh block, in order, in one bash
session (set -e: a failing command fails the test), from the repository root; a block
followed by an ```output block must print exactly that.  A block preceded by
<!-- guide: needs CMD --> runs only when `liteshift CMD` exists in this build; otherwise the
test names it as not run (and says so on its last line), so a missing tool is visible, and
the block runs, and must pass, as soon as the tool lands.  The guide's `createdb notes` runs
against the test server (tests/pg/harness.sh environment); the database is dropped before
and after.

    guide_test.py GUIDE.md REPO_ROOT BUILD_DIR
"""
import os
import re
import subprocess
import sys


def blocks(text):
    """[(kind, body, needs)] for the sh and output blocks, in order."""
    out = []
    for m in re.finditer(r"(<!-- guide: needs (\w+) -->\s*)?```(\w+)\n(.*?)```", text, re.S):
        kind, body = m.group(3), m.group(4)
        if kind in ("sh", "output"):
            out.append((kind, body, m.group(2)))
    return out


def main(argv):
    guide, root, build = argv[1], os.path.realpath(argv[2]), os.path.realpath(argv[3])
    text = open(guide, encoding="utf-8").read()
    cli = os.path.join(build, "tools", "liteshift")
    usage = subprocess.run([cli, "--help"], capture_output=True, text=True).stdout
    have = set(re.findall(r"^  (\w+)\b", usage, re.M))
    items = blocks(text)
    script = ["set -euo pipefail"]
    expected, not_run, ran = {}, [], 0
    for i, (kind, body, needs) in enumerate(items):
        if kind == "output":
            prev = items[i - 1] if i else None
            if prev and prev[0] == "sh" and (i - 1) in ran_ids:
                expected[i - 1] = body
            continue
        if needs and needs not in have:
            not_run.append((i, needs, body.strip().splitlines()[0]))
            continue
        ran_ids.add(i)
        ran += 1
        script.append("echo '@@block %d@@'" % i)
        script.append(body)
    script.append("echo '@@end@@'")
    env = dict(os.environ)
    env.pop("USE_POSTGRES", None)
    env.pop("LITESHIFT_CAPTURE", None)
    env.pop("DATABASE_URL", None)
    # the guide puts $PWD/build/tools first on PATH; this build's tools come next
    env["PATH"] = os.path.join(build, "tools") + os.pathsep + env.get("PATH", "")
    subprocess.run(["dropdb", "--if-exists", "notes"], capture_output=True)
    try:
        r = subprocess.run(["bash", "-c", "\n".join(script)], cwd=root, env=env,
                           capture_output=True, text=True, timeout=600)
    finally:
        subprocess.run(["dropdb", "--if-exists", "notes"], capture_output=True)
    parts = re.split(r"^@@block (\d+)@@\n", r.stdout, flags=re.M)
    printed = {int(parts[k]): parts[k + 1] for k in range(1, len(parts) - 1, 2)}
    if r.returncode != 0 or "@@end@@" not in r.stdout:
        last = max(printed) if printed else None
        print("FAIL: the guide's commands failed (exit %d) in block %s:" % (r.returncode, last))
        if last is not None:
            print(items[last][1])
        print(r.stderr[-3000:])
        return 1
    ok = True
    for i, want in expected.items():
        got = printed.get(i, "").replace("@@end@@\n", "")
        if got != want:
            ok = False
            print("FAIL: block %d printed something else than the guide says:" % i)
            print(items[i][1])
            print("--- guide says\n%s--- printed\n%s" % (want, got))
    if not ok:
        return 1
    for i, needs, first in not_run:
        print("not run (no `liteshift %s` in this build): block %d: %s" % (needs, i, first))
    waiting = ", ".join(sorted({"liteshift " + n for _, n, _ in not_run}))
    print("ok: %d shell blocks of %s ran, %d outputs as the guide says%s"
          % (ran, os.path.basename(guide), len(expected),
             "; %d blocks NOT RUN, waiting for %s" % (len(not_run), waiting) if not_run else ""))
    return 0


ran_ids = set()

if __name__ == "__main__":
    sys.exit(main(sys.argv))
