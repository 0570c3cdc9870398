# SPDX-License-Identifier: MIT
# D2 on both backends: ALTER TABLE on columns declared without a type.  On PostgreSQL such a
# column has a "<name>:class" column beside it keeping each value's storage class; RENAME
# COLUMN and DROP COLUMN must take it along (one RENAME per ALTER TABLE there: the rewriter
# calls liteshift.rename_column), ADD COLUMN must add one, and the values written before
# and after keep their classes.  Typed columns beside them keep PostgreSQL's own ALTER.
import sqlite3

c = sqlite3.connect("alter_class.db", isolation_level=None)


def show(label, sql, args=()):
    try:
        print(label, c.execute(sql, args).fetchall())
    except sqlite3.Error as e:
        print(label, "error:", type(e).__name__, e)


show("create", "create table t(a, b integer, c)")
show("insert", "insert into t values (1, 2, 'x'), (2.5, 3, x'01'), ('s', 4, null)")
show("before", "select a, typeof(a), b, c, typeof(c) from t order by b")
show("rename", "alter table t rename column a to a2")
show("after rename", "select a2, typeof(a2), b from t order by b")
show("star", "select * from t order by b")
show("insert renamed", "insert into t(a2, b, c) values (?, 5, ?)", (7, 8.25))
show("rename typed", "alter table t rename b to b2")
show("rows", "select a2, typeof(a2), b2, c, typeof(c) from t order by b2")
show("rename back", "alter table t rename a2 to a")
show("drop", "alter table t drop column c")
show("star after drop", "select * from t order by b2")
show("dropped gone", "select c from t")
show("add", "alter table t add column d")
show("insert added", "insert into t values (?, 6, ?)", (b"\x00\xff", -3))
show("insert default", "insert into t(a, b2) values (9, 7)")
show("rows after add", "select a, typeof(a), b2, d, typeof(d) from t order by b2")
show("add with default", "alter table t add column e default 4.5")
show("defaults", "select b2, e, typeof(e) from t order by b2")
show("drop typed", "alter table t drop column b2")
show("final", "select * from t order by rowid")
# the recorded text after ADD COLUMN (RENAME/DROP COLUMN leave it as it was: not D2's)
show("create u", "create table u(k integer primary key, v)")
show("add to u", "alter table u add w default 'z'")
show("pragma", "pragma table_info(u)")
show("xinfo", "select cid, name, type, hidden from pragma_table_xinfo('u')")
show("insert u", "insert into u(v) values (?)", (1.5,))
show("u rows", "select k, v, typeof(v), w, typeof(w) from u")
