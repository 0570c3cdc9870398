# A parameter tested with IS [NOT] NULL: the optional filter "(:v IS NULL OR col = :v)" and
# its kin.  PostgreSQL cannot type a parameter from a NULL test and refused these statements
# ("could not determine data type of parameter $1"); SQLite runs them.
import sqlite3

cx = sqlite3.connect("param_null.db", isolation_level=None)
cx.execute("create table t(id integer primary key, y integer, s text, r real)")
cx.execute("insert into t values (1, 5, 'a', 1.5), (2, 6, 'b', NULL), (3, NULL, NULL, 2.5)")


def show(sql, args):
    try:
        rows = cx.execute(sql, args).fetchall()
        print(sql, args, [tuple((type(x).__name__, x) for x in r) for r in rows])
    except sqlite3.Error as e:
        print(sql, args, "error:", type(e).__name__, e)


for args in [(None, None), (5, 5), (6, 6), (7, 7)]:
    show("select id from t where (? is null or y = ?) order by id", args)
for v in [None, "b", 2.5, b"x", 0]:
    show("select id from t where (:v is null or s = :v) order by id", {"v": v})
    show("select id from t where :v is not null and s = :v order by id", {"v": v})
    show("select ? is null, ? is not null, case when ? is null then 'n' else 'v' end",
         (v, v, v))
    show("select count(*) from t where ? is null", (v,))
    show("select id from t where not ? is null order by id", (v,))
    if v is None or isinstance(v, int):   # other classes against an INTEGER key differ (D17)
        show("select id from t where y > 0 and (?1 is null or id = ?1) order by id", (v,))
cx.execute("update t set s = 'z' where ?1 is null or id = ?1", (2,))
cx.execute("update t set r = 0 where (?1 is not null and y = ?1)", (5,))
show("select id, s, r from t order by id", ())
