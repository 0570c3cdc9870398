# SPDX-License-Identifier: MIT
# Both backends: INSERT OR ROLLBACK and UPDATE OR ROLLBACK inside a transaction: a constraint
# failure rolls the whole transaction back (SQLite's ROLLBACK algorithm), the error staying
# the constraint's; the shim used to keep the transaction open (second review).
import sqlite3
cx = sqlite3.connect("or_rollback.db", isolation_level=None)
cx.execute("create table t(id integer primary key, k text unique)")
cx.execute("create table u(k text unique)")
q = "insert or rollback into t(k) values (?)"
cx.execute(q, ("warm",))
for mode in ("plain", "update"):
    cx.execute("begin")
    cx.execute("insert into u(k) values (?)", (mode,))
    cx.execute(q, (mode + "1",))
    try:
        if mode == "plain":
            cx.execute(q, (mode + "1",))
        else:
            cx.execute("update or rollback t set k = ? where k = ?", ("warm", mode + "1"))
    except sqlite3.Error as e:
        print(type(e).__name__, e, e.sqlite_errorcode)
    print("in transaction:", cx.in_transaction)
    try:
        cx.execute("commit")
    except sqlite3.Error as e:
        print("commit:", e)
    print(cx.execute("select k from t order by k").fetchall(), cx.execute("select k from u order by k").fetchall())
