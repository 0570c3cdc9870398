# SPDX-License-Identifier: MIT
# One connection shared by several Python threads (check_same_thread=False).  Python's
# sqlite3 lets go of the GIL while SQLite prepares and steps, so the threads really call the
# C API on one connection at the same time; SQLite's serialized mode makes each call whole.
# Each thread runs its own cursors: point selects checked against the row asked for,
# inserts, an increment in one statement, and now and then a full scan fetched in small
# batches, so its steps interleave with the other threads' statements.
import sqlite3
import threading

THREADS, ITERS, ROWS = 4, 250, 150

con = sqlite3.connect("shared_threads.db", check_same_thread=False, isolation_level=None,
                      timeout=10)
con.executescript("""
    CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL);
    CREATE TABLE log(th INTEGER, i INTEGER, v TEXT);
    CREATE TABLE cnt(k INTEGER PRIMARY KEY, n INTEGER NOT NULL);
    INSERT INTO cnt VALUES (1, 0);
""")
con.executemany("INSERT INTO t VALUES (?, ?)", [(i, "row-%d" % i) for i in range(1, ROWS + 1)])

failures = []


def work(th):
    try:
        cur = con.cursor()
        for i in range(ITERS):
            k = (th * 7919 + i * 31) % ROWS + 1
            got = cur.execute("SELECT v, id * 2 FROM t WHERE id = ?", (k,)).fetchall()
            if got != [("row-%d" % k, k * 2)]:
                failures.append("thread %d: row %d read as %r" % (th, k, got))
            cur.execute("INSERT INTO log(th, i, v) VALUES (?, ?, ?)", (th, i, "row-%d" % k))
            cur.execute("UPDATE cnt SET n = n + 1 WHERE k = 1")
            if i % 25 == th:
                scan = con.cursor()
                scan.arraysize = 7
                scan.execute("SELECT id, v FROM t ORDER BY id")
                n = 0
                while True:
                    batch = scan.fetchmany()
                    if not batch:
                        break
                    for rid, v in batch:
                        n += 1
                        if rid != n or v != "row-%d" % n:
                            failures.append("thread %d: scan row %d read as %r" % (th, n, (rid, v)))
                if n != ROWS:
                    failures.append("thread %d: scan saw %d rows" % (th, n))
    except sqlite3.Error as e:
        failures.append("thread %d: %s: %s" % (th, type(e).__name__, e))


threads = [threading.Thread(target=work, args=(th,)) for th in range(1, THREADS + 1)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("failures:", len(failures))
for f in failures[:10]:
    print(" ", f)
print("logged rows, distinct (th, i):",
      con.execute("SELECT count(*), count(DISTINCT th * 100000 + i) FROM log").fetchone())
print("per thread:", con.execute("SELECT th, count(*) FROM log GROUP BY th ORDER BY th").fetchall())
print("counter:", con.execute("SELECT n FROM cnt").fetchone()[0], "expected", THREADS * ITERS)
con.close()
