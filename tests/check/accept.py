#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Issue 8, acceptance 1: `liteshift check` reports exactly the statements that then fail
when the app runs with USE_POSTGRES=1.

For each workload (the sample app docs/example/notes.py, and the Chinook queries of
tests/check/chinook_workload.sql):
  1. run it on SQLite through the shim with LITESHIFT_CAPTURE (it must not fail there);
  2. copy the database to a fresh PostgreSQL database with `liteshift copy`;
  3. `liteshift check CAPTURE URL --json`: the statements it says fail;
  4. run the workload on PostgreSQL through the shim (the sample app on a fresh database,
     where its migrations run too; Chinook on the copy): the statements that fail;
and compare the two sets.  Needs the environment of tests/pg/harness.sh.

    accept.py LIBLITESHIFT LITESHIFT_BINARY CHINOOK_SQLITE_FILE
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CHINOOK = None  # argv[3]


def norm(sql):
    return sql.strip().rstrip(";").strip()


def failures(stderr):
    out = set()
    for line in stderr.splitlines():
        if line.startswith("FAILED\t"):
            out.add(norm(line.split("\t")[1].replace("\\n", "\n")))
    return out


class Env:
    def __init__(self, shim, cli, tmp):
        self.shim, self.cli, self.tmp = shim, cli, tmp
        self.dbs = []

    def url(self, db):
        return "postgresql:///%s?host=%s&port=%s&user=%s" % (
            db, os.environ["PGHOST"], os.environ["PGPORT"], os.environ["PGUSER"])

    def createdb(self, name):
        db = "t_%s_%d" % (name, os.getpid())
        subprocess.run(["createdb", db], check=True)
        self.dbs.append(db)
        return db

    def run(self, argv, pg=None, capture=None, stdin=None):
        env = dict(os.environ, LD_PRELOAD=self.shim)
        env.pop("USE_POSTGRES", None)
        env.pop("LITESHIFT_CAPTURE", None)
        if pg:
            env.update(USE_POSTGRES="1", DATABASE_URL=self.url(pg))
        if capture:
            env["LITESHIFT_CAPTURE"] = capture
        return subprocess.run(argv, env=env, input=stdin, capture_output=True, text=True)

    def copy_db(self, sqlite_db, pg):
        r = subprocess.run([self.cli, "copy", "--quiet", sqlite_db, self.url(pg)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("FAIL: liteshift copy %s: %s" % (sqlite_db, r.stderr))

    def check(self, capture, pg, name):
        report = os.path.join(self.tmp, name + ".json")
        r = subprocess.run([self.cli, "check", "--quiet", "--json", report, capture, self.url(pg)],
                           capture_output=True, text=True)
        if r.returncode not in (0, 1) or not os.path.exists(report):
            sys.exit("FAIL: liteshift check exited %d: %s" % (r.returncode, r.stderr))
        rep = json.load(open(report, encoding="utf-8"))
        failed = {norm(s["sql"]) for s in rep["statements"] if s["status"] != "ok"}
        if (r.returncode == 1) != bool(failed):
            sys.exit("FAIL: exit status %d with %d failures" % (r.returncode, len(failed)))
        return rep, failed


def compare(name, rep, predicted, actual):
    n = rep["summary"]["statements"]
    if predicted != actual:
        print("FAIL: %s: check and the PostgreSQL run disagree" % name)
        for s in sorted(predicted - actual):
            print("  check says it fails, it ran:   %s" % s)
        for s in sorted(actual - predicted):
            print("  check says it passes, it failed: %s" % s)
        return False
    print("ok: %s: %d statements checked, the same %d fail in check and on PostgreSQL"
          % (name, n, len(actual)))
    for s in sorted(actual):
        print("    fails: %s" % s.replace("\n", " ")[:110])
    return True


def sample_app(e):
    app = os.path.join(ROOT, "docs", "example", "notes.py")
    db = os.path.join(e.tmp, "notes.db")
    cap = os.path.join(e.tmp, "notes.capture")
    r = e.run([sys.executable, app, db], capture=cap)
    if r.returncode != 0 or failures(r.stderr):
        sys.exit("FAIL: the sample app fails on SQLite: %s" % r.stderr)
    target = e.createdb("notes_copy")
    e.copy_db(db, target)
    rep, predicted = e.check(cap, target, "notes")
    if rep["summary"]["statements"] < 25:
        sys.exit("FAIL: only %d statements captured from the sample app" % rep["summary"]["statements"])
    fresh = e.createdb("notes_run")
    r = e.run([sys.executable, app, os.path.join(e.tmp, "ignored.db")], pg=fresh)
    if r.returncode != 0:
        sys.exit("FAIL: the sample app crashed on PostgreSQL: %s" % r.stderr)
    return compare("sample app (docs/example/notes.py)", rep, predicted, failures(r.stderr))


def chinook(e):
    db = os.path.join(e.tmp, "chinook.db")
    shutil.copyfile(CHINOOK, db)
    os.chmod(db, 0o644)
    work = os.path.join(HERE, "chinook_workload.sql")
    runner = os.path.join(HERE, "run_workload.py")
    cap = os.path.join(e.tmp, "chinook.capture")
    r = e.run([sys.executable, runner, db, work], capture=cap)
    if r.returncode != 0 or failures(r.stderr):
        sys.exit("FAIL: the Chinook workload fails on SQLite: %s" % r.stderr)
    target = e.createdb("chinook")
    e.copy_db(db, target)
    rep, predicted = e.check(cap, target, "chinook")
    if rep["summary"]["statements"] < 40:
        sys.exit("FAIL: only %d Chinook statements captured" % rep["summary"]["statements"])
    r = e.run([sys.executable, runner, db, work], pg=target)
    if r.returncode != 0:
        sys.exit("FAIL: the workload runner crashed on PostgreSQL: %s" % r.stderr)
    return compare("Chinook workload (tests/check/chinook_workload.sql)", rep, predicted,
                   failures(r.stderr))


def main(argv):
    global CHINOOK
    CHINOOK = argv[3]
    if not os.path.isfile(CHINOOK):
        sys.exit("FAIL: no Chinook database at %s" % CHINOOK)
    tmp = tempfile.mkdtemp()
    e = Env(os.path.realpath(argv[1]), os.path.realpath(argv[2]), tmp)
    try:
        ok = sample_app(e)
        ok = chinook(e) and ok
    finally:
        for db in e.dbs:
            subprocess.run(["dropdb", "--if-exists", db], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
