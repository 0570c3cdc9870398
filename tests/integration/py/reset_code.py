# SPDX-License-Identifier: MIT
# Both backends: sqlite3_reset and sqlite3_finalize answer the error of the statement's own
# last step, once (a second reset answers SQLITE_OK), not the connection's last error, which
# may be another statement's.  Through the C API (ctypes, in the process's global scope,
# where the preloaded shim comes first).  CPython throws away a cached statement whose reset fails,
# so an answer that was another statement's error cost every later execution a new prepare
# (and, inside a transaction, its place in the replay log).
import ctypes

lib = ctypes.CDLL(None)   # the global scope: the preloaded shim first
if not hasattr(lib, "sqlite3_open"):
    lib = ctypes.CDLL("libsqlite3.so.0")
lib.sqlite3_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
lib.sqlite3_exec.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p,
                             ctypes.c_void_p, ctypes.c_void_p]
lib.sqlite3_prepare_v2.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                   ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p]
for f in ("sqlite3_step", "sqlite3_reset", "sqlite3_finalize"):
    getattr(lib, f).argtypes = [ctypes.c_void_p]
lib.sqlite3_close.argtypes = [ctypes.c_void_p]

db = ctypes.c_void_p()
print("open", lib.sqlite3_open(b"reset_code.db", ctypes.byref(db)))
print("exec", lib.sqlite3_exec(db, b"create table u(y integer unique); insert into u values (1)",
                               None, None, None))


def prep(sql):
    st = ctypes.c_void_p()
    rc = lib.sqlite3_prepare_v2(db, sql, -1, ctypes.byref(st), None)
    assert rc == 0, rc
    return st


a = prep(b"select count(*) from u")
b = prep(b"insert into u values (1)")
c = prep(b"insert into u values (2)")
print("a step", lib.sqlite3_step(a), lib.sqlite3_step(a))
print("b step", lib.sqlite3_step(b))
print("reset a (ran fine, after b failed)", lib.sqlite3_reset(a))
print("reset b", lib.sqlite3_reset(b))
print("reset b again", lib.sqlite3_reset(b))
print("c step", lib.sqlite3_step(c))
print("b step again", lib.sqlite3_step(b))
print("finalize c (ran fine)", lib.sqlite3_finalize(c))
print("finalize b (failed last)", lib.sqlite3_finalize(b))
print("finalize a", lib.sqlite3_finalize(a))
print("close", lib.sqlite3_close(db))
