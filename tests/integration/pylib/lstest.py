# SPDX-License-Identifier: MIT
# Helpers shared by the Python scenarios of tests/integration/py (on the path through
# PYTHONPATH, set by both_py.sh and asan_py.sh).
import sqlite3


def attempt(label, fn):
    """Run fn and print its outcome: ok (with what it returned), or the sqlite3 error."""
    try:
        r = fn()
        out = "ok" if r is None else "ok %s" % (r,)
    except sqlite3.Error as e:
        out = "%s: %s" % (type(e).__name__, e)
    print("%s: %s" % (label, out))


def write_while_held(holder, writer, sql, args, hold=0.4):
    """Run sql on writer in a thread while holder's transaction is open, commit holder after
    hold seconds, and return the write's rowcount and whether it finished after that commit
    (a write that waited for the holder)."""
    import threading
    import time
    out = {}

    def write():
        out["changes"] = writer.execute(sql, args).rowcount
        out["done"] = time.monotonic()

    th = threading.Thread(target=write)
    th.start()
    time.sleep(hold)
    ended = time.monotonic()
    holder.execute("commit")
    th.join()
    return out["changes"], out["done"] >= ended
