# SPDX-License-Identifier: MIT
# sqlite3_column_decltype: the type text of the column's CREATE TABLE, as SQLite gives it
# (docs/compatibility.md D9), read through the C API (ctypes, resolved in the global
# namespace, so through the shim) and through Python's detect_types=PARSE_DECLTYPES.
import ctypes
import datetime
import sqlite3

lib = ctypes.CDLL(None)
lib.sqlite3_column_decltype.restype = ctypes.c_char_p
lib.sqlite3_column_name.restype = ctypes.c_char_p
db = ctypes.c_void_p()
assert lib.sqlite3_open(b"decl.db", ctypes.byref(db)) == 0
ddl = (b'create table t(a unsigned   big  int, b VARCHAR( 10 ), c, "d d" timestamp not null, '
       b'e decimal(10,2) primary key, f "quoted type", h Integer default 3, '
       b'i double precision check (i > 0), j blob, k my_custom_type collate nocase, '
       b'l boolean, m date)')
assert lib.sqlite3_exec(db, ddl, None, None, None) == 0, "create failed"
for sql in (b'select * from t', b'select a, c, a + 1, upper(b), "d d" as renamed from t',
            b'select t.b, x.m from t join t as x on x.e = t.e'):
    st = ctypes.c_void_p()
    assert lib.sqlite3_prepare_v2(db, sql, -1, ctypes.byref(st), None) == 0
    n = lib.sqlite3_column_count(st)
    print(sql.decode(), [(lib.sqlite3_column_name(st, i).decode(),
                          (lib.sqlite3_column_decltype(st, i) or b"NULL").decode())
                         for i in range(n)])
    # still the same after stepping
    lib.sqlite3_step(st)
    print("  after step:", [(lib.sqlite3_column_decltype(st, i) or b"NULL").decode()
                            for i in range(n)])
    lib.sqlite3_finalize(st)
lib.sqlite3_close(db)

# what apps do with it: converters chosen by the declared type
sqlite3.register_converter("MONEYTEXT", lambda b: ("money", b.decode()))
sqlite3.register_converter("FLAG", lambda b: b == b"1")
cx = sqlite3.connect("conv.db", detect_types=sqlite3.PARSE_DECLTYPES)
cx.execute("create table ev(id integer primary key, at timestamp, day date, price moneytext, "
           "ok flag, note text)")
cx.execute("insert into ev(at, day, price, ok, note) values (?, ?, ?, ?, ?)",
           (datetime.datetime(2024, 2, 29, 23, 59, 58, 123456), datetime.date(2024, 2, 29),
            "12.50", 1, "plain"))
for row in cx.execute("select at, day, price, ok, note, id from ev"):
    print([(type(v).__name__, v) for v in row])
# DDL changes the answer
cx.execute("alter table ev add column extra moneytext")
cx.execute("update ev set extra = '1.25'")
print(cx.execute("select extra from ev").fetchall())
cx.close()

# a table made by another connection after this one first asked
a = sqlite3.connect("conv.db", detect_types=sqlite3.PARSE_DECLTYPES)
print(a.execute("select at from ev").fetchall())
b = sqlite3.connect("conv.db")
b.execute("create table later(x moneytext)")
b.execute("insert into later values ('7')")
b.commit()
print(a.execute("select x from later").fetchall())
