# SPDX-License-Identifier: MIT
# A deferred BEGIN's statements stay in its transaction on both backends, under every
# setting that changes how a statement is sent (docs/compatibility.md D11): the shim sends a
# deferred BEGIN with the transaction's first statement, so any statement that reaches the
# server another way before it would run outside the transaction, autocommitted, and
# survive the ROLLBACK.  Each write below is prepared in an earlier transaction (Python
# caches it), which is what LITESHIFT_PIPELINE=1 sends without waiting.
import os
import sqlite3

DB = "deferred_begin.db"


def attempt(label, fn):
    try:
        r = fn()
        out = "ok" if r is None or isinstance(r, sqlite3.Cursor) else "ok %r" % (r,)
    except sqlite3.Error as e:
        out = "%s: %s" % (type(e).__name__, e)
    print("%s: %s" % (label, out))


setup = sqlite3.connect(DB, isolation_level=None)
setup.execute("create table t(id integer primary key, v text)")
setup.close()

for pipeline in ("0", "1"):
    for locking in ("sqlite", "row"):
        os.environ["LITESHIFT_PIPELINE"] = pipeline
        os.environ["LITESHIFT_LOCKING"] = locking
        mode = "pipeline=%s locking=%s" % (pipeline, locking)
        cx = sqlite3.connect(DB, isolation_level=None)
        cx.execute("delete from t")
        ins, upd, dele = ("insert into t(v) values (?)", "update t set v = ? where v = ?",
                          "delete from t where v = ?")
        # the statements run once in a committed transaction: prepared and described
        cx.execute("begin")
        cx.execute(ins, ("kept",))
        cx.execute(ins, ("x",))
        cx.execute(upd, ("y", "x"))
        cx.execute(dele, ("y",))
        cx.execute("commit")
        # the same statements first in new transactions, rolled back
        for label, sql, args in (("insert", ins, ("rolled back",)),
                                 ("update", upd, ("changed", "kept")),
                                 ("delete", dele, ("kept",))):
            cx.execute("begin")
            attempt("%s: %s in a deferred transaction" % (mode, label),
                    lambda: cx.execute(sql, args))
            attempt("%s: rollback" % mode, lambda: cx.execute("rollback"))
            print("%s: after %s and rollback:" % (mode, label),
                  cx.execute("select v from t order by id").fetchall())
        # and once more with a savepoint around it
        cx.execute("begin")
        cx.execute("savepoint s")
        attempt("%s: insert in a savepoint" % mode, lambda: cx.execute(ins, ("sp",)))
        cx.execute("release s")
        cx.execute("rollback")
        print("%s: after savepoint and rollback:" % mode,
              cx.execute("select v from t order by id").fetchall())
        cx.close()
