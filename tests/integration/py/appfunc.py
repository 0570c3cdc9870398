# SPDX-License-Identifier: MIT
# App-defined functions and collations: registration with SQLite's argument checks and
# destructor rules.  Calling one is where the backends differ (PostgreSQL cannot call back
# into the app): that part prints only whether the call failed, and the message class.
import gc
import sqlite3
import weakref

def attempt(what, fn):
    try:
        print(what, "->", repr(fn()))
    except Exception as e:
        print(what, "->", type(e).__name__)

class Holder:
    def __call__(self, *a):
        return 1

cx = sqlite3.connect("funcs.db")
h = Holder()
ref = weakref.ref(h)
cx.create_function("helper", 1, h)
del h
gc.collect()
print("callable kept alive by the registration:", ref() is not None)
cx.create_function("helper", 1, None)   # delete: SQLite runs the destructor
gc.collect()
print("released after delete:", ref() is None)
attempt("too many args", lambda: cx.create_function("f", 128, lambda *a: 1))
attempt("aggregate", lambda: cx.create_aggregate("agg", 1, type("A", (), {"step": lambda s, x: None, "finalize": lambda s: 0})))
attempt("collation", lambda: cx.create_collation("rev", lambda a, b: -1))
attempt("collation removed", lambda: cx.create_collation("rev", None))
cx.execute("create table t(x integer)")
cx.execute("insert into t values (1), (2)")
print("plain statements still run:", cx.execute("select sum(x) from t").fetchone())
h2 = Holder()
ref2 = weakref.ref(h2)
cx.create_function("other", -1, h2)
del h2
cx.close()
gc.collect()
print("released at close:", ref2() is None)
