# SPDX-License-Identifier: MIT
# Statement rollback under concurrency, on both backends (docs/compatibility.md D19, D11):
# four worker processes share one database file and each runs many short transactions
# (BEGIN IMMEDIATE or deferred, with a busy timeout, the whole transaction tried again on
# "database is locked"), mixing inserts, updates by key, and failures caught inside the
# transaction (a duplicate key, a CHECK violation) after several writes, sometimes inside an
# app savepoint that is then rolled back to or released, sometimes rolling the whole
# transaction back; in both journal modes.  On PostgreSQL the writes before each failure are
# in the replay log (pg_replay.c): a failing statement is one this connection ran before in
# the same transaction (described, kept in Python's statement cache), its text unique to the
# transaction because Python does not reuse a cached statement once it failed (sqlite3_reset
# answered its error).  About 3,800 failures are undone by the replay log per run, up to 16
# writes run again for one (LITESHIFT_LOG=debug); CTest runs it with
# LITESHIFT_STATEMENT_ROLLBACK=savepoint as well.
#
# Every choice a worker makes is drawn from a generator seeded by (worker, transaction), and
# a worker's own accounts are touched by no other worker, so what commits does not depend on
# the interleaving: the parent prints each worker's tallies and the database's aggregates,
# identical on SQLite and PostgreSQL, and the invariants (money is only moved, every fee
# reaches the house account, every row the workers report committed is there, no other).
import hashlib
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time

signal.alarm(300)  # a wait that never ends fails the test instead of hanging it

DB = "replay_stress.db"
WORKERS = 4
TXNS = 250         # per worker
ACCOUNTS = 4       # per worker, ids 1 + w * ACCOUNTS + i; id 0 is the house's
START = 1000
BIG = 10 ** 9      # a debit no balance covers: the CHECK fails


def connect():
    return sqlite3.connect(DB, timeout=20, isolation_level=None)


def acct(w, i):
    return 1 + w * ACCOUNTS + i


# statements every transaction runs, kept in Python's statement cache
DEBIT = "update accounts set balance = balance - ? where id = ?"
CREDIT = "update accounts set balance = balance + ? where id = ?"
ITEM = "insert into items(worker, k, v) values (?, ?, ?)"
BUMP = "update items set v = v + ? where k = ?"
COUNT = "update counters set n = n + 1, last = ? where worker = ?"
READ = "select balance from accounts where id = ?"


class Locked(Exception):
    pass


def run(cx, sql, args=()):
    try:
        return cx.execute(sql, args)
    except sqlite3.OperationalError as e:
        if "database is locked" in str(e):
            raise Locked()
        raise


def expect_failure(cx, sql, args, kind):
    """A statement that must fail with an integrity error and leave the transaction open."""
    try:
        cx.execute(sql, args)
    except sqlite3.IntegrityError as e:
        assert kind in str(e), (kind, str(e))
        assert cx.in_transaction, "the failed statement ended the transaction: %s" % e
        return
    raise AssertionError("no failure: %s %r" % (sql, args))


def transaction(cx, w, j, bal, tally):
    """Transaction j of worker w.  bal: the worker's committed balances (updated on commit)."""
    rng = random.Random(w * 100003 + j)
    tag = "w%d-t%d" % (w, j)
    tb = dict(bal)               # this transaction's view of the worker's balances
    t = {"items": 0, "fees": 0, "journal": 0, "bumps": 0, "dup": 0, "check": 0,
         "sp_undone": 0, "sp_kept": 0}
    items = []                   # keys inserted by this transaction (kept so far)

    def transfer(view, counts):
        a, b = rng.sample(range(ACCOUNTS), 2)
        amount = rng.randint(1, 5)
        if view[a] < amount + 1:
            amount = 0
        run(cx, DEBIT, (amount + 1, acct(w, a)))     # the amount and a fee of 1
        run(cx, CREDIT, (amount, acct(w, b)))
        run(cx, CREDIT, (1, 0))                      # the house
        view[a] -= amount + 1
        view[b] += amount
        counts["fees"] += 1

    made = [0]                   # item keys drawn, kept or not

    def insert_items(counts, keys, n):
        for _ in range(n):
            k = "%s-%d" % (tag, made[0])
            made[0] += 1
            run(cx, ITEM, (w, k, rng.randint(1, 100)))
            keys.append(k)
            counts["items"] += 1

    # the texts this transaction fails with: its own, so that Python's cached statement for
    # them has never failed (a failed one is never reused, and a statement run for the first
    # time has a savepoint of its own, not the replay log)
    journal = "insert into journal(tx, worker, kind) values (?, ?, ?) -- %s" % tag
    overdraw = "update accounts set balance = balance - ? where id = ? -- %s" % tag
    deferred = rng.random() < 0.4
    if deferred:
        run(cx, "begin")
        run(cx, READ, (acct(w, 0),)).fetchall()      # reads first: a later BUSY is at once
    else:
        run(cx, "begin immediate")
    run(cx, journal, (tag, w, "txn"))                # the first write: the write lock
    t["journal"] += 1
    run(cx, overdraw, (0, acct(w, 0)))               # changes nothing, described
    # several logged writes, then the failures
    for _ in range(rng.randint(2, 4)):
        transfer(tb, t)
    insert_items(t, items, rng.randint(1, 3))
    run(cx, COUNT, (tag, w))
    expect_failure(cx, journal, (tag, w, "again"), "UNIQUE")
    t["dup"] += 1
    if items and rng.random() < 0.5:
        run(cx, BUMP, (rng.randint(1, 9), rng.choice(items)))
        t["bumps"] += 1
    transfer(tb, t)
    expect_failure(cx, overdraw, (BIG, acct(w, rng.randrange(ACCOUNTS))), "CHECK")
    t["check"] += 1
    insert_items(t, items, 1)
    # an app savepoint, rolled back to or released, with a failure inside
    if rng.random() < 0.5:
        run(cx, "savepoint sp")
        sv = dict(tb)
        st = {"items": 0, "fees": 0}
        sp_items = []
        transfer(sv, st)
        insert_items(st, sp_items, rng.randint(1, 2))
        if rng.random() < 0.6:
            expect_failure(cx, journal, (tag, w, "sp"), "UNIQUE")
            t["dup"] += 1
        transfer(sv, st)
        if rng.random() < 0.5:
            run(cx, "rollback to sp")
            run(cx, "release sp")
            t["sp_undone"] += 1
        else:
            run(cx, "release sp")
            tb = sv
            items += sp_items
            t["items"] += st["items"]
            t["fees"] += st["fees"]
            t["sp_kept"] += 1
    if rng.random() < 0.15:
        run(cx, "rollback")
        tally["rolled_back"] += 1
        return
    run(cx, "commit")
    tally["committed"] += 1
    for key in ("items", "fees", "journal", "bumps", "dup", "check", "sp_undone", "sp_kept"):
        tally[key] += t[key]
    bal.update(tb)


def worker(w):
    cx = connect()
    bal = {i: START for i in range(ACCOUNTS)}
    tally = {"committed": 0, "rolled_back": 0, "items": 0, "fees": 0, "journal": 0,
             "bumps": 0, "dup": 0, "check": 0, "sp_undone": 0, "sp_kept": 0}
    for j in range(TXNS):
        while True:
            try:
                transaction(cx, w, j, bal, tally)
                break
            except Locked:
                # SQLite's own answer to a deferred transaction that read first, or a wait
                # longer than the timeout: the whole transaction again
                if cx.in_transaction:
                    cx.execute("rollback")
                time.sleep(0.001 * (1 + w))
    cx.close()
    tally["balances"] = [bal[i] for i in range(ACCOUNTS)]
    print(json.dumps(tally))


def check(label, got, want):
    print("%s: %s" % (label, "ok" if got == want else "WRONG: %r, expected %r" % (got, want)))


if len(sys.argv) > 1:
    worker(int(sys.argv[1]))
    sys.exit(0)

for mode in ("delete", "wal"):
    s = connect()
    print("mode:", s.execute("pragma journal_mode=%s" % mode).fetchone()[0])
    for t in ("accounts", "items", "journal", "counters"):
        s.execute("drop table if exists %s" % t)
    s.execute("create table accounts(id integer primary key, owner integer, "
              "balance integer not null check (balance >= 0))")
    s.execute("create table items(id integer primary key, worker integer not null, "
              "k text not null unique, v integer not null)")
    s.execute("create table journal(id integer primary key, tx text not null unique, "
              "worker integer not null, kind text not null)")
    s.execute("create table counters(worker integer primary key, n integer not null, last text)")
    s.execute("insert into accounts(id, owner, balance) values (0, -1, 0)")
    for w in range(WORKERS):
        for i in range(ACCOUNTS):
            s.execute("insert into accounts(id, owner, balance) values (?, ?, ?)",
                      (acct(w, i), w, START))
        s.execute("insert into counters(worker, n) values (?, 0)", (w,))
    procs = [subprocess.Popen([sys.executable, __file__, str(w)], stdout=subprocess.PIPE,
                              text=True) for w in range(WORKERS)]
    outs = [p.communicate()[0] for p in procs]
    print("exit codes:", [p.returncode for p in procs])
    tallies = [json.loads(o) for o in outs]
    for w, t in enumerate(tallies):
        print("worker %d: %d committed, %d rolled back; %d items, %d fees, %d bumps; failures "
              "caught: %d duplicate, %d check; savepoints: %d undone, %d kept"
              % (w, t["committed"], t["rolled_back"], t["items"], t["fees"], t["bumps"],
                 t["dup"], t["check"], t["sp_undone"], t["sp_kept"]))
    total = s.execute("select sum(balance) from accounts").fetchone()[0]
    check("money is only moved", total, WORKERS * ACCOUNTS * START)
    check("the house holds every committed fee",
          s.execute("select balance from accounts where id = 0").fetchone()[0],
          sum(t["fees"] for t in tallies))
    for w, t in enumerate(tallies):
        rows = s.execute("select balance from accounts where owner = ? order by id",
                         (w,)).fetchall()
        check("worker %d balances" % w, [r[0] for r in rows], t["balances"])
        check("worker %d items" % w,
              s.execute("select count(*) from items where worker = ?", (w,)).fetchone()[0],
              t["items"])
        check("worker %d journal" % w,
              s.execute("select count(*), count(distinct tx) from journal where worker = ?",
                        (w,)).fetchone(), (t["journal"], t["journal"]))
        check("worker %d counter" % w,
              s.execute("select n from counters where worker = ?", (w,)).fetchone()[0],
              t["committed"])
    check("no failed statement's row", s.execute(
        "select count(*) from journal where kind <> 'txn'").fetchone()[0], 0)
    h = hashlib.sha256()
    for row in s.execute("select worker, k, v from items order by k"):
        h.update(repr(row).encode())
    for row in s.execute("select tx, worker, kind from journal order by tx"):
        h.update(repr(row).encode())
    for row in s.execute("select id, owner, balance from accounts order by id"):
        h.update(repr(row).encode())
    print("content:", h.hexdigest()[:16])
    s.close()
