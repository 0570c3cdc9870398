# SPDX-License-Identifier: MIT
# sqlite_master and sqlite_temp_master on both backends (docs/compatibility.md, the catalog
# tables).  What SQLite 3.40 does, and the PostgreSQL backend must match:
#   - the text kept for CREATE [TEMP] TABLE/INDEX/VIEW [IF NOT EXISTS] [main.|temp.]name is
#     "CREATE TABLE name..." from the name on: no TEMP, no IF NOT EXISTS, no qualifier;
#   - CREATE ... IF NOT EXISTS of an object that exists leaves its recorded text alone (the
#     start-up DDL of an older release run again must not show in sqlite_master);
#   - TEMP objects are listed in sqlite_temp_master (temp.sqlite_master) of their own
#     connection only, never in sqlite_master: a temp t hides a main t for unqualified names
#     but neither replaces its record nor takes it away when dropped;
#   - PRAGMA schema_version is 0 for an empty database and changes with the main schema only;
#   - VACUUM inside a transaction fails.
import sqlite3

DB = "master_temp.db"
c = sqlite3.connect(DB, isolation_level=None)
other = sqlite3.connect(DB, isolation_level=None)


def show(label, q, conn=c):
    try:
        rows = conn.execute(q).fetchall()
        print(label, rows)
    except sqlite3.Error as e:
        print(label, "error:", type(e).__name__, e)


def run(sql, conn=c):
    try:
        conn.execute(sql)
    except sqlite3.Error as e:
        print("error:", sql, "->", type(e).__name__, e)


cookie = [None]


def schema_version(label):
    row = c.execute("PRAGMA schema_version").fetchone()
    if row is None:
        print("schema_version", label, "no row")
        return
    v = row[0]
    state = "zero" if v == 0 else "same" if v == cookie[0] else "changed"
    cookie[0] = v
    print("schema_version", label, state, type(v).__name__)


schema_version("empty")

# 1. the kept text
for sql in [
    "CREATE TABLE IF NOT EXISTS a(x INTEGER)",
    "create   table  if  not  exists  b (x)",
    "CREATE TABLE main.c(x)",
    "CREATE TABLE IF NOT EXISTS main.d(x)",
    "  /* leading */ CREATE TABLE e(x) -- trailing",
    "CREATE UNIQUE INDEX IF NOT EXISTS a_x ON a(x)",
    "CREATE INDEX IF NOT EXISTS main.b_x ON b(x)",
    "CREATE INDEX c_x ON c(x) -- kept for an index",
    'CREATE TABLE IF NOT EXISTS "Q q"(x)',
]:
    run(sql)
show("master", "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
schema_version("after creates")

# 2. IF NOT EXISTS of what exists: nothing changes, text, cookie or rows
run("CREATE TABLE IF NOT EXISTS a(x INTEGER, added TEXT)")
run("CREATE TABLE IF NOT EXISTS A(y)")
run("CREATE INDEX IF NOT EXISTS b_x ON b(x, rowid)")
run("INSERT INTO a VALUES (1)")
show("a kept", "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'a' ORDER BY name")
show("b_x kept", "SELECT sql FROM sqlite_master WHERE name = 'b_x'")
show("a columns", "PRAGMA table_info(a)")
schema_version("after IF NOT EXISTS")

# 3. TEMP objects: their own catalog, their own connection
run("CREATE TABLE t(main_col INTEGER)")
schema_version("after main t")
for sql in [
    "CREATE TEMP TABLE t(temp_col TEXT UNIQUE)",
    "CREATE TEMPORARY TABLE IF NOT EXISTS u(x)",
    "CREATE TABLE temp.v(x)",
    "CREATE INDEX t_temp ON t(temp_col)",
    "CREATE TEMP VIEW tv AS SELECT 1 AS one",
]:
    run(sql)
schema_version("after temp objects")
show("master", "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
show("temp master", "SELECT type, name, tbl_name, sql FROM sqlite_temp_master ORDER BY name")
show("temp.sqlite_master", "SELECT name FROM temp.sqlite_master ORDER BY name")
show("temp rootpages", "SELECT name, rootpage > 0 FROM sqlite_temp_master ORDER BY name")
show("other's temp master", "SELECT name FROM sqlite_temp_master", other)
show("other's master", "SELECT name FROM sqlite_master ORDER BY name", other)
show("t is temp", "PRAGMA table_info(t)")
show("index_list t", "PRAGMA index_list(t)")
run("ALTER TABLE t ADD COLUMN more")
show("temp t altered", "SELECT sql FROM sqlite_temp_master WHERE name = 't'")
show("main t untouched", "SELECT sql FROM sqlite_master WHERE name = 't'")
run("DROP INDEX t_temp")
run("DROP TABLE t")   # the temp one: an unqualified name is the temp object's
show("after drop, master", "SELECT name, sql FROM sqlite_master WHERE name = 't'")
show("after drop, temp", "SELECT name FROM sqlite_temp_master ORDER BY name")
show("main t back", "PRAGMA table_info(t)")
run("DROP TABLE temp.v")
show("after drop temp.v", "SELECT name FROM sqlite_temp_master ORDER BY name")
schema_version("after temp drops")
run("DROP TABLE t")   # now the main one
show("main t dropped", "SELECT name FROM sqlite_master WHERE name = 't'")
schema_version("after main drop")

# the kept texts serve the declared types (D9) and the authorizer of a temp table
sqlite3.register_converter("MARKED", lambda b: "marked:" + b.decode())
d = sqlite3.connect(DB, isolation_level=None, detect_types=sqlite3.PARSE_DECLTYPES)
d.execute("CREATE TABLE k(v TEXT)")
d.execute("CREATE TEMP TABLE k(v MARKED)")
d.execute("INSERT INTO k VALUES ('x')")
show("declared type of temp k", "SELECT v FROM k", d)
seen = []


def auth(action, a1, a2, dbname, source):
    if action == sqlite3.SQLITE_READ:
        seen.append((a1, a2, dbname))
    return sqlite3.SQLITE_OK


d.set_authorizer(auth)
show("authorized read", "SELECT v FROM k", d)
print("authorizer saw", seen)
d.set_authorizer(None)
d.close()

# 4. VACUUM
run("BEGIN")
run("INSERT INTO a VALUES (2)")
run("VACUUM")
print("in transaction after VACUUM:", c.in_transaction)
run("COMMIT")
show("a rows", "SELECT x FROM a ORDER BY x")
run("VACUUM")
c.close()
other.close()
