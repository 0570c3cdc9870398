# SPDX-License-Identifier: MIT
# D2 on both backends: typeof() of a column declared without a type answers each value's
# storage class, as SQLite does, wherever the reference is plain: the select list, WHERE,
# a join's ON, an alias or table qualifier, parentheses, UPDATE and DELETE, a view, and
# excluded.x in an upsert.  Values come from literals of each class, parameters of each
# class and another typeless column (the writes that keep a class on PostgreSQL).
import sqlite3

c = sqlite3.connect("typeof_class.db", isolation_level=None)


def show(label, sql, args=()):
    try:
        print(label, c.execute(sql, args).fetchall())
    except sqlite3.Error as e:
        print(label, "error:", type(e).__name__, e)


show("create", "create table t(k integer primary key, v, n integer)")
show("create u", "create table u(k integer primary key, w, w2)")
show("literals", "insert into t(k, v, n) values (1, 42, 0), (2, 4.5, 0), (3, 'txt', 0), "
     "(4, x'00ff', 0), (5, null, 0), (6, -7, 0), (7, '12', 0)")
for k, v in [(8, 9), (9, 0.25), (10, "p"), (11, b"\x01"), (12, None), (13, 2 ** 62)]:
    show("param %r" % (v,), "insert into t(k, v, n) values (?, ?, 0)", (k, v))
show("u", "insert into u(k, w) values (1, 42), (2, 4.5), (3, 'txt'), (4, x'00ff')")
show("copied", "update u set w2 = w")
show("select", "select k, v, typeof(v) from t order by k")
show("qualified", "select t.k, typeof(t.v), typeof(x.v) from t join t x on x.k = t.k "
     "where t.k < 5 order by t.k")
show("parenthesised", "select k, typeof((v)) from t where k in (1, 2) order by k")
show("where", "select k from t where typeof(v) = 'integer' order by k")
show("join on", "select t.k, u.k from t join u on typeof(u.w) = typeof(t.v) and u.k = t.k "
     "order by t.k")
show("copied classes", "select k, w2, typeof(w2) from u order by k")
show("group", "select typeof(v), count(*) from t group by typeof(v) order by 1")
show("update", "update t set n = length(typeof(v)) where typeof(v) <> 'null'")
show("after update", "select k, n from t order by k")
show("delete", "delete from t where typeof(v) = 'blob'")
show("left", "select k, typeof(v) from t where k in (4, 11, 12) order by k")
show("view", "create view tv as select k, typeof(v) as tv from t")
show("view rows", "select * from tv order by k")
show("upsert", "insert into u(k, w) values (1, 2.5) on conflict(k) do update set "
     "w = typeof(excluded.w) || '/' || typeof(w)")
show("upserted", "select k, w, typeof(w) from u where k = 1")
show("typed beside", "select typeof(n), typeof(k) from t where k = 1")
