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
