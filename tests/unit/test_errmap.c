/* SPDX-License-Identifier: MIT
 * Tests for shim/errmap.c: PostgreSQL error fields to SQLite extended codes and messages.
 *
 * Each case gives the fields PostgreSQL 15.18 returned for a statement (run through libpq on
 * the throwaway server of tests/pg/harness.sh, read with PQresultErrorField) and expects the
 * code and message SQLite 3.40.1 gave for the equivalent statement (Python's sqlite3 on this
 * machine: sqlite_errorcode and str(error)).  Both statements are quoted above each case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <string.h>

#include "errmap.h"

/* Fields of one PostgreSQL error, in ls_errmap_fields order. */
typedef struct pgfields {
    const char *sqlstate, *primary, *detail, *schema, *table, *column, *constraint;
} pgfields;

static void expect(pgfields f, int want_code, const char *want_msg)
{
    char msg[256];
    memset(msg, 'x', sizeof msg);
    int code = ls_errmap_fields(f.sqlstate, f.primary, f.detail, f.schema, f.table, f.column,
                                f.constraint, msg, sizeof msg);
    assert_string_equal(msg, want_msg);
    assert_int_equal(code, want_code);
}

/* ======================================================================= class 23 ===== */

/* PG:     create table t(a int, b int, unique(a,b)); insert (1,2) twice
 * SQLite: same -> 2067 "UNIQUE constraint failed: t.a, t.b" */
static void test_ls_errmap_fields_unique_two_columns(void **state)
{
    (void)state;
    expect((pgfields){"23505", "duplicate key value violates unique constraint \"t_a_b_key\"",
                      "Key (a, b)=(1, 2) already exists.", "public", "t", NULL, "t_a_b_key"},
           SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: t.a, t.b");
}

/* PG:     create table "MyT"("Col A" int unique, "x""y" int unique); insert (1,1), (1,2), (2,1)
 * SQLite: same -> "UNIQUE constraint failed: MyT.Col A", then "... MyT.x"y" */
static void test_ls_errmap_fields_unique_quoted_identifiers(void **state)
{
    (void)state;
    expect((pgfields){"23505", "duplicate key value violates unique constraint \"MyT_Col A_key\"",
                      "Key (\"Col A\")=(1) already exists.", "public", "MyT", NULL,
                      "MyT_Col A_key"},
           SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: MyT.Col A");
    expect((pgfields){"23505", "duplicate key value violates unique constraint \"MyT_x\"y_key\"",
                      "Key (\"x\"\"y\")=(1) already exists.", "public", "MyT", NULL,
                      "MyT_x\"y_key"},
           SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: MyT.x\"y");
}

/* PG:     create table kw("order" int unique); insert 1 twice (a keyword, quoted in detail)
 * SQLite: same -> "UNIQUE constraint failed: kw.order" */
static void test_ls_errmap_fields_unique_keyword_column(void **state)
{
    (void)state;
    expect((pgfields){"23505", "duplicate key value violates unique constraint \"kw_order_key\"",
                      "Key (\"order\")=(1) already exists.", "public", "kw", NULL, "kw_order_key"},
           SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: kw.order");
}

/* PG:     create unique index ex_lower on ex(lower(a)); insert 'A' then 'a'
 *         create unique index ex2_mix on ex2(a, lower(a)); insert 'b' twice
 * SQLite: same -> "UNIQUE constraint failed: index 'ex_lower'", "... index 'ex_mix'" */
static void test_ls_errmap_fields_unique_expression_index(void **state)
{
    (void)state;
    expect((pgfields){"23505", "duplicate key value violates unique constraint \"ex_lower\"",
                      "Key (lower(a))=(a) already exists.", "public", "ex", NULL, "ex_lower"},
           SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: index 'ex_lower'");
    expect((pgfields){"23505", "duplicate key value violates unique constraint \"ex2_mix\"",
                      "Key (a, lower(a))=(b, b) already exists.", "public", "ex2", NULL,
                      "ex2_mix"},
           SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: index 'ex2_mix'");
}

/* No detail (PostgreSQL omits it when the role may not read the columns): the index name. */
static void test_ls_errmap_fields_unique_without_detail(void **state)
{
    (void)state;
    expect((pgfields){"23505", "duplicate key value violates unique constraint \"t_a_b_key\"",
                      NULL, "public", "t", NULL, "t_a_b_key"},
           SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: index 't_a_b_key'");
    expect((pgfields){"23505", NULL, "Key (a, b", NULL, "t", NULL, NULL},
           SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: t");
}

/* PG:     create table u1(id integer primary key, ...); insert id 1 twice
 * SQLite: same (INTEGER PRIMARY KEY, a rowid alias) -> 1555 "UNIQUE constraint failed: u1.id" */
static void test_ls_errmap_fields_unique_integer_primary_key(void **state)
{
    (void)state;
    expect((pgfields){"23505", "duplicate key value violates unique constraint \"u1_pkey\"",
                      "Key (id)=(1) already exists.", "public", "u1", NULL, "u1_pkey"},
           SQLITE_CONSTRAINT_PRIMARYKEY, "UNIQUE constraint failed: u1.id");
}

/* PG:     create table u2(a text, b text, primary key(a,b)); insert ('x','y') twice
 * SQLite: same -> 1555 "UNIQUE constraint failed: u2.a, u2.b" (also 1555 for INT and TEXT
 *         PRIMARY KEY and WITHOUT ROWID tables: u3.id, u4.id, u5.id) */
static void test_ls_errmap_fields_unique_composite_primary_key(void **state)
{
    (void)state;
    expect((pgfields){"23505", "duplicate key value violates unique constraint \"u2_pkey\"",
                      "Key (a, b)=(x, y) already exists.", "public", "u2", NULL, "u2_pkey"},
           SQLITE_CONSTRAINT_PRIMARYKEY, "UNIQUE constraint failed: u2.a, u2.b");
}

/* PG:     insert into u1 values(2,null) -- name text not null
 * SQLite: same -> 1299 "NOT NULL constraint failed: u1.name" */
static void test_ls_errmap_fields_not_null(void **state)
{
    (void)state;
    expect((pgfields){"23502",
                      "null value in column \"name\" of relation \"u1\" violates not-null "
                      "constraint",
                      "Failing row contains (2, null).", "public", "u1", "name", NULL},
           SQLITE_CONSTRAINT_NOTNULL, "NOT NULL constraint failed: u1.name");
    /* without the column fields, from the primary message */
    expect((pgfields){"23502",
                      "null value in column \"name\" of relation \"u1\" violates not-null "
                      "constraint",
                      NULL, NULL, NULL, NULL, NULL},
           SQLITE_CONSTRAINT_NOTNULL, "NOT NULL constraint failed: u1.name");
    /* PG: select null::dnn -- create domain dnn as int not null; no SQLite equivalent */
    expect((pgfields){"23502", "domain dnn does not allow null values", NULL, "public", NULL,
                      NULL, NULL},
           SQLITE_CONSTRAINT_NOTNULL, "domain dnn does not allow null values");
}

/* PG:     insert into c values(5) -- pid int references p(id); then delete from p
 * SQLite: same with foreign_keys=on -> 787 "FOREIGN KEY constraint failed", both */
static void test_ls_errmap_fields_foreign_key(void **state)
{
    (void)state;
    expect((pgfields){"23503",
                      "insert or update on table \"c\" violates foreign key constraint "
                      "\"c_pid_fkey\"",
                      "Key (pid)=(5) is not present in table \"p\".", "public", "c", NULL,
                      "c_pid_fkey"},
           SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed");
    expect((pgfields){"23503",
                      "update or delete on table \"p\" violates foreign key constraint "
                      "\"c_pid_fkey\" on table \"c\"",
                      "Key (id)=(1) is still referenced from table \"c\".", "public", "c",
                      NULL, "c_pid_fkey"},
           SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed");
    /* 23001 restrict_violation (ON DELETE RESTRICT) is a foreign key too */
    expect((pgfields){"23001", "update or delete on table \"p\" violates RESTRICT setting of "
                      "foreign key constraint \"c_pid_fkey\" on table \"c\"",
                      NULL, "public", "c", NULL, "c_pid_fkey"},
           SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed");
}

/* PG:     create table ck2(a int, constraint named check(a>0)); insert 0
 * SQLite: same -> 275 "CHECK constraint failed: named" */
static void test_ls_errmap_fields_check_named(void **state)
{
    (void)state;
    expect((pgfields){"23514", "new row for relation \"ck2\" violates check constraint \"named\"",
                      "Failing row contains (0).", "public", "ck2", NULL, "named"},
           SQLITE_CONSTRAINT_CHECK, "CHECK constraint failed: named");
}

/* PG:     create table ck(a int check (a>0), ...); insert (-1,5) -> constraint "ck_a_check"
 * SQLite: same -> 275 "CHECK constraint failed: a>0" (the expression text, which PostgreSQL
 *         does not report): we give PostgreSQL's generated name instead (errmap.c header). */
static void test_ls_errmap_fields_check_unnamed(void **state)
{
    (void)state;
    expect((pgfields){"23514", "new row for relation \"ck\" violates check constraint "
                      "\"ck_a_check\"",
                      "Failing row contains (-1, 5).", "public", "ck", NULL, "ck_a_check"},
           SQLITE_CONSTRAINT_CHECK, "CHECK constraint failed: ck_a_check");
    /* without the constraint field, from the primary message */
    expect((pgfields){"23514", "new row for relation \"ck\" violates check constraint "
                      "\"ck_check\"",
                      NULL, NULL, NULL, NULL, NULL},
           SQLITE_CONSTRAINT_CHECK, "CHECK constraint failed: ck_check");
    /* PG: select (-1)::dpos -- create domain dpos as int check (value > 0) */
    expect((pgfields){"23514", "value for domain dpos violates check constraint \"dpos_check\"",
                      NULL, "public", NULL, NULL, NULL},
           SQLITE_CONSTRAINT_CHECK, "CHECK constraint failed: dpos_check");
}

/* PG:     create table exc(r int4range, exclude using gist (r with &&)); overlapping insert
 * SQLite: no exclusion constraints; plain SQLITE_CONSTRAINT with PostgreSQL's text */
static void test_ls_errmap_fields_exclusion(void **state)
{
    (void)state;
    expect((pgfields){"23P01",
                      "conflicting key value violates exclusion constraint \"exc_r_excl\"",
                      "Key (r)=([2,3)) conflicts with existing key (r)=([1,5)).", "public",
                      "exc", NULL, "exc_r_excl"},
           SQLITE_CONSTRAINT,
           "conflicting key value violates exclusion constraint \"exc_r_excl\"");
    expect((pgfields){"23000", NULL, NULL, NULL, NULL, NULL, NULL}, SQLITE_CONSTRAINT,
           "constraint failed");
}

/* ================================================================== concurrency ===== */

/* PG:     repeatable read: select, another session updates id 1, update id 1 -> 40001;
 *         serializable write skew -> 40001 at commit
 * SQLite: a write in a WAL read transaction whose snapshot another writer's commit made
 *         stale -> 517 SQLITE_BUSY_SNAPSHOT "database is locked" */
static void test_ls_errmap_fields_serialization_failure(void **state)
{
    (void)state;
    expect((pgfields){"40001", "could not serialize access due to concurrent update", NULL,
                      NULL, NULL, NULL, NULL},
           SQLITE_BUSY_SNAPSHOT, "database is locked");
    expect((pgfields){"40001",
                      "could not serialize access due to read/write dependencies among "
                      "transactions",
                      "Reason code: Canceled on identification as a pivot, during commit "
                      "attempt.",
                      NULL, NULL, NULL, NULL},
           SQLITE_BUSY_SNAPSHOT, "database is locked");
}

/* PG:     two sessions update rows 1,2 in opposite orders -> 40P01 */
static void test_ls_errmap_fields_deadlock(void **state)
{
    (void)state;
    expect((pgfields){"40P01", "deadlock detected",
                      "Process 13854 waits for ShareLock on transaction 760; blocked by "
                      "process 13855.",
                      NULL, NULL, NULL, NULL},
           SQLITE_BUSY, "database is locked");
}

/* PG:     set lock_timeout=100; update a row another session locked -> 55P03 (PostgreSQL 15
 *         reports lock timeouts with 55P03, not 57014); lock table ... nowait gives 55P03 too */
static void test_ls_errmap_fields_lock_not_available(void **state)
{
    (void)state;
    expect((pgfields){"55P03", "canceling statement due to lock timeout", NULL, NULL, NULL,
                      NULL, NULL},
           SQLITE_BUSY, "database is locked");
    expect((pgfields){"55P03", "could not obtain lock on relation \"bz\"", NULL, NULL, NULL,
                      NULL, NULL},
           SQLITE_BUSY, "database is locked");
}

/* 57014 with "lock timeout" in the message (older servers) is SQLITE_BUSY as well. */
static void test_ls_errmap_fields_cancel_lock_timeout(void **state)
{
    (void)state;
    expect((pgfields){"57014", "canceling statement due to lock timeout", NULL, NULL, NULL,
                      NULL, NULL},
           SQLITE_BUSY, "database is locked");
}

/* PG:     select pg_sleep(5), PQcancel from the app -> 57014 user request;
 *         set statement_timeout=100; select pg_sleep(2) -> 57014 statement timeout
 * SQLite: sqlite3_interrupt -> 9 "interrupted" */
static void test_ls_errmap_fields_query_canceled(void **state)
{
    (void)state;
    expect((pgfields){"57014", "canceling statement due to user request", NULL, NULL, NULL,
                      NULL, NULL},
           SQLITE_INTERRUPT, "interrupted");
    expect((pgfields){"57014", "canceling statement due to statement timeout", NULL, NULL,
                      NULL, NULL, NULL},
           SQLITE_INTERRUPT, "interrupted");
}

/* ======================================================================== names ===== */

/* PG:     select * from nosuch; select * from public.nosuch; select * from "no""pe"
 * SQLite: select * from nosuch -> "no such table: nosuch"; main.nosuch -> "no such table:
 *         main.nosuch"; "no""pe" -> "no such table: no"pe" */
static void test_ls_errmap_fields_undefined_table(void **state)
{
    (void)state;
    expect((pgfields){"42P01", "relation \"nosuch\" does not exist", NULL, NULL, NULL, NULL,
                      NULL},
           SQLITE_ERROR, "no such table: nosuch");
    expect((pgfields){"42P01", "relation \"public.nosuch\" does not exist", NULL, NULL, NULL,
                      NULL, NULL},
           SQLITE_ERROR, "no such table: public.nosuch");
    expect((pgfields){"42P01", "relation \"no\"pe\" does not exist", NULL, NULL, NULL, NULL,
                      NULL},
           SQLITE_ERROR, "no such table: no\"pe");
    /* PG: select nosuch.zz from t2 (SQLite: "no such column: nosuch.zz"; the column is not
     * in PostgreSQL's message, so its text stays) */
    expect((pgfields){"42P01", "missing FROM-clause entry for table \"nosuch\"", NULL, NULL,
                      NULL, NULL, NULL},
           SQLITE_ERROR, "missing FROM-clause entry for table \"nosuch\"");
}

/* PG:     drop table nope; drop view nope; drop index nope
 * SQLite: "no such table: nope", "no such view: nope", "no such index: nope" (sqlite3 3.40) */
static void test_ls_errmap_fields_drop_missing(void **state)
{
    (void)state;
    expect((pgfields){"42P01", "table \"nope\" does not exist", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "no such table: nope");
    expect((pgfields){"42P01", "view \"nope\" does not exist", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "no such view: nope");
    expect((pgfields){"42704", "index \"nope\" does not exist", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "no such index: nope");
}

/* PG:     select zz from t2; select t2.zz from t2; select x.zz from t2 x;
 *         insert into t2(zz) values(1)
 * SQLite: "no such column: zz", "no such column: t2.zz", "no such column: x.zz",
 *         "table t2 has no column named zz" */
static void test_ls_errmap_fields_undefined_column(void **state)
{
    (void)state;
    expect((pgfields){"42703", "column \"zz\" does not exist", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "no such column: zz");
    expect((pgfields){"42703", "column t2.zz does not exist", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "no such column: t2.zz");
    expect((pgfields){"42703", "column x.zz does not exist", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "no such column: x.zz");
    expect((pgfields){"42703", "column \"zz\" of relation \"t2\" does not exist", NULL, NULL,
                      NULL, NULL, NULL},
           SQLITE_ERROR, "table t2 has no column named zz");
}

/* PG:     select nofunc(1); select nofunc(); select nofunc(1,'a')
 * SQLite: select nofunc(1) -> "no such function: nofunc" */
static void test_ls_errmap_fields_undefined_function(void **state)
{
    (void)state;
    expect((pgfields){"42883", "function nofunc(integer) does not exist", NULL, NULL, NULL,
                      NULL, NULL},
           SQLITE_ERROR, "no such function: nofunc");
    expect((pgfields){"42883", "function nofunc() does not exist", NULL, NULL, NULL, NULL,
                      NULL},
           SQLITE_ERROR, "no such function: nofunc");
    expect((pgfields){"42883", "function nofunc(integer, unknown) does not exist", NULL, NULL,
                      NULL, NULL, NULL},
           SQLITE_ERROR, "no such function: nofunc");
    /* PG: select 1 + 'a'::text; SQLite has no such error: PostgreSQL's text */
    expect((pgfields){"42883", "operator does not exist: integer + text", NULL, NULL, NULL,
                      NULL, NULL},
           SQLITE_ERROR, "operator does not exist: integer + text");
}

/* PG:     selec 1; select * from; select 'abc; select "abc
 * SQLite: near "selec": syntax error; incomplete input; unrecognized token: "'abc";
 *         unrecognized token: ""abc" */
static void test_ls_errmap_fields_syntax_error(void **state)
{
    (void)state;
    expect((pgfields){"42601", "syntax error at or near \"selec\"", NULL, NULL, NULL, NULL,
                      NULL},
           SQLITE_ERROR, "near \"selec\": syntax error");
    expect((pgfields){"42601", "syntax error at end of input", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "incomplete input");
    expect((pgfields){"42601", "unterminated quoted string at or near \"'abc\"", NULL, NULL,
                      NULL, NULL, NULL},
           SQLITE_ERROR, "unrecognized token: \"'abc\"");
    expect((pgfields){"42601", "unterminated quoted identifier at or near \"\"abc\"", NULL,
                      NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "unrecognized token: \"\"abc\"");
    /* PG: select U&'\0000' -- no SQLite equivalent: PostgreSQL's text */
    expect((pgfields){"42601", "invalid Unicode escape value", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "invalid Unicode escape value");
}

/* PG:     create table t2(a int) twice; create index i on t2(a) twice (also 42P07 with
 *         "relation", so also "table": errmap.c header)
 * SQLite: "table t already exists"; "index i already exists" */
static void test_ls_errmap_fields_duplicate_table(void **state)
{
    (void)state;
    expect((pgfields){"42P07", "relation \"t2\" already exists", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "table t2 already exists");
    expect((pgfields){"42P07", "relation \"i\" already exists", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "table i already exists");
}

/* PG:     create trigger tr ... twice; create type ty twice
 * SQLite: trigger twice -> "trigger tr already exists" */
static void test_ls_errmap_fields_duplicate_object(void **state)
{
    (void)state;
    expect((pgfields){"42710", "trigger \"tr\" for relation \"tt\" already exists", NULL, NULL,
                      NULL, NULL, NULL},
           SQLITE_ERROR, "trigger tr already exists");
    expect((pgfields){"42710", "index \"i\" already exists", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "index i already exists");
    expect((pgfields){"42710", "type \"ty\" already exists", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "type \"ty\" already exists");
}

/* PG:     create schema s twice
 * SQLite: attach ':memory:' as aux twice -> "database aux is already in use" */
static void test_ls_errmap_fields_duplicate_schema(void **state)
{
    (void)state;
    expect((pgfields){"42P06", "schema \"s\" already exists", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "database s is already in use");
}

/* PG:     begin; rollback to nosuch
 * SQLite: same -> "no such savepoint: nosuch" */
static void test_ls_errmap_fields_undefined_savepoint(void **state)
{
    (void)state;
    expect((pgfields){"3B001", "savepoint \"nosuch\" does not exist", NULL, NULL, NULL, NULL,
                      NULL},
           SQLITE_ERROR, "no such savepoint: nosuch");
}

/* ======================================================================= values ===== */

/* PG:     select 'abc'::int; select 'x'::date; select '2020-13-45'::date
 * SQLite: create table m(id integer primary key); insert into m values('x') -> 20
 *         "datatype mismatch" */
static void test_ls_errmap_fields_datatype_mismatch(void **state)
{
    (void)state;
    expect((pgfields){"22P02", "invalid input syntax for type integer: \"abc\"", NULL, NULL,
                      NULL, NULL, NULL},
           SQLITE_MISMATCH, "datatype mismatch");
    /* SQLite: select json_extract('{"a":1', '$') -> "malformed JSON"; PG through the
     * compat pack: its json parser's error */
    expect((pgfields){"22P02", "invalid input syntax for type json", NULL, NULL, NULL, NULL,
                      NULL},
           SQLITE_ERROR, "malformed JSON");
    expect((pgfields){"22007", "invalid input syntax for type date: \"x\"", NULL, NULL, NULL,
                      NULL, NULL},
           SQLITE_MISMATCH, "datatype mismatch");
    expect((pgfields){"22008", "date/time field value out of range: \"2020-13-45\"", NULL,
                      NULL, NULL, NULL, NULL},
           SQLITE_MISMATCH, "datatype mismatch");
}

/* PG:     select 9223372036854775807::bigint + 1; select 2147483647::int + 1;
 *         select '99999999999'::int; select '1e400'::float8
 * SQLite: select sum(a) from (select 9223372036854775807 a union all select 1) -> 1
 *         "integer overflow" (abs(-9223372036854775808) too); no float overflow error */
static void test_ls_errmap_fields_numeric_out_of_range(void **state)
{
    (void)state;
    expect((pgfields){"22003", "bigint out of range", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "integer overflow");
    expect((pgfields){"22003", "integer out of range", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "integer overflow");
    expect((pgfields){"22003", "smallint out of range", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "integer overflow");
    expect((pgfields){"22003", "value \"99999999999\" is out of range for type integer", NULL,
                      NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "integer overflow");
    expect((pgfields){"22003", "\"1e400\" is out of range for type double precision", NULL,
                      NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "\"1e400\" is out of range for type double precision");
}

/* PG:     select E'\xff' -> 22021; select convert_to('€','LATIN1') -> 22P05;
 *         select chr(0) -> 54000.  SQLite stores such text; errors of our own wording. */
static void test_ls_errmap_fields_bad_text(void **state)
{
    (void)state;
    expect((pgfields){"22021", "invalid byte sequence for encoding \"UTF8\": 0xff", NULL, NULL,
                      NULL, NULL, NULL},
           SQLITE_MISMATCH, "invalid UTF-8 in text value");
    expect((pgfields){"22P05",
                      "character with byte sequence 0xe2 0x82 0xac in encoding \"UTF8\" has no "
                      "equivalent in encoding \"LATIN1\"",
                      NULL, NULL, NULL, NULL, NULL},
           SQLITE_MISMATCH, "text value has no equivalent in the database encoding");
    expect((pgfields){"54000", "null character not permitted", NULL, NULL, NULL, NULL, NULL},
           SQLITE_MISMATCH, "NUL character not permitted in text value");
    /* PG: select repeat('x', 1<<30) -- another 54000 limit keeps its text */
    expect((pgfields){"54000", "requested length too large", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "requested length too large");
    /* compat pack: select liteshift.zeroblob(2000000000); SQLite: select zeroblob(2e9) ->
     * 18 "string or blob too big" */
    expect((pgfields){"54000", "string or blob too big", NULL, NULL, NULL, NULL, NULL},
           SQLITE_TOOBIG, "string or blob too big");
}

/* ============================================================ resources and state ===== */

/* PG:     set role nopriv; select * from tt
 * SQLite: an authorizer returning SQLITE_DENY -> 23 "not authorized" */
static void test_ls_errmap_fields_insufficient_privilege(void **state)
{
    (void)state;
    expect((pgfields){"42501", "permission denied for table tt", NULL, NULL, NULL, NULL, NULL},
           SQLITE_AUTH, "not authorized");
}

/* PG:     set default_transaction_read_only=on; insert into tt values(1)
 * SQLite: insert on a mode=ro connection -> 8 "attempt to write a readonly database" */
static void test_ls_errmap_fields_read_only(void **state)
{
    (void)state;
    expect((pgfields){"25006", "cannot execute INSERT in a read-only transaction", NULL, NULL,
                      NULL, NULL, NULL},
           SQLITE_READONLY, "attempt to write a readonly database");
}

/* 53100, 53200 (not reproduced: from PostgreSQL's errcodes.txt) and 53300 (psql "user=r" with
 * connection limit 0: 'too many connections for role "r"'); texts are sqlite3_errstr's. */
static void test_ls_errmap_fields_resources(void **state)
{
    (void)state;
    expect((pgfields){"53100", "could not extend file: No space left on device", NULL, NULL,
                      NULL, NULL, NULL},
           SQLITE_FULL, "database or disk is full");
    expect((pgfields){"53200", "out of memory", NULL, NULL, NULL, NULL, NULL}, SQLITE_NOMEM,
           "out of memory");
    expect((pgfields){"53300", "too many connections for role \"r\"", NULL, NULL, NULL, NULL,
                      NULL},
           SQLITE_CANTOPEN, "unable to open database file");
    /* psql "dbname=nodb": database "nodb" does not exist */
    expect((pgfields){"3D000", "database \"nodb\" does not exist", NULL, NULL, NULL, NULL,
                      NULL},
           SQLITE_CANTOPEN, "unable to open database file");
}

/* PG:     begin; select 1/0; select 1 -> 25P02, kept visible */
static void test_ls_errmap_fields_in_failed_transaction(void **state)
{
    (void)state;
    expect((pgfields){"25P02",
                      "current transaction is aborted, commands ignored until end of "
                      "transaction block",
                      NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR,
           "current transaction is aborted, commands ignored until end of transaction block");
}

/* PG:     select count(*) from tt for update -> 0A000 */
static void test_ls_errmap_fields_feature_not_supported(void **state)
{
    (void)state;
    expect((pgfields){"0A000", "FOR UPDATE is not allowed with aggregate functions", NULL,
                      NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "FOR UPDATE is not allowed with aggregate functions");
}

/* PG:     select 1/0 -> 22012 (SQLite returns NULL); anything unmapped keeps its text. */
static void test_ls_errmap_fields_other(void **state)
{
    (void)state;
    expect((pgfields){"22012", "division by zero", NULL, NULL, NULL, NULL, NULL}, SQLITE_ERROR,
           "division by zero");
    expect((pgfields){"42704", "type \"xyz\" does not exist", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "type \"xyz\" does not exist");
}

/* PG:     pg_terminate_backend on the session -> 57P01 when libpq reads it before EOF */
static void test_ls_errmap_fields_admin_shutdown(void **state)
{
    (void)state;
    expect((pgfields){"57P01", "terminating connection due to administrator command", NULL,
                      NULL, NULL, NULL, NULL},
           SQLITE_IOERR,
           "lost connection to PostgreSQL server: terminating connection due to administrator "
           "command");
    expect((pgfields){"08006", NULL, NULL, NULL, NULL, NULL, NULL}, SQLITE_IOERR,
           "lost connection to PostgreSQL server");
}

/* ================================================================ robustness ===== */

static void test_ls_errmap_fields_null_everything(void **state)
{
    (void)state;
    expect((pgfields){NULL, NULL, NULL, NULL, NULL, NULL, NULL}, SQLITE_ERROR,
           "SQL logic error");
    /* every mapped state with nothing else */
    static const char *const states[] = {"23505", "23502", "23503", "23514", "23P01", "40001",
                                         "57014", "42P01", "42703", "42883", "42601", "42P07",
                                         "42710", "42P06", "22003", "54000", "08006", "57P01",
                                         "3B001", "22P02"};
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        char msg[64];
        int code = ls_errmap_fields(states[i], NULL, NULL, NULL, NULL, NULL, NULL, msg,
                                    sizeof msg);
        assert_int_not_equal(code, SQLITE_OK);
        assert_true(strlen(msg) > 0);
    }
    assert_int_equal(ls_errmap_fields("23505", NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0),
                     SQLITE_CONSTRAINT_UNIQUE);
}

static void test_ls_errmap_fields_odd_text(void **state)
{
    (void)state;
    /* malformed SQLSTATEs take the default */
    expect((pgfields){"2350", "x", NULL, NULL, NULL, NULL, NULL}, SQLITE_ERROR, "x");
    expect((pgfields){"235055", "x", NULL, NULL, NULL, NULL, NULL}, SQLITE_ERROR, "x");
    expect((pgfields){"", "", NULL, NULL, NULL, NULL, NULL}, SQLITE_ERROR, "SQL logic error");
    /* a prefix that overlaps the suffix, unterminated keys, empty names */
    expect((pgfields){"42P01", "relation \" does not exist", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "relation \" does not exist");
    expect((pgfields){"42883", "function (integer) does not exist", NULL, NULL, NULL, NULL,
                      NULL},
           SQLITE_ERROR, "function (integer) does not exist");
    expect((pgfields){"42601", "syntax error at end of input!", NULL, NULL, NULL, NULL, NULL},
           SQLITE_ERROR, "syntax error at end of input!");
    expect((pgfields){"23505", NULL, "Key (\"a", NULL, "t", NULL, "k"},
           SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: index 'k'");
    expect((pgfields){"23505", NULL, "Key ()=() already exists.", NULL, "t", NULL, "k"},
           SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: index 'k'");
    expect((pgfields){"23505", NULL, "Key (a, )=(1) already exists.", NULL, "t", NULL, "k"},
           SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: index 'k'");
    expect((pgfields){"23505", NULL, "Key (a)=(1) already exists.", NULL, NULL, NULL, NULL},
           SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: a");
}

static void test_ls_errmap_fields_truncates(void **state)
{
    (void)state;
    char msg[8];
    int code = ls_errmap_fields("23505", NULL, "Key (a, b)=(1, 2) already exists.", "public",
                                "t", NULL, "t_a_b_key", msg, sizeof msg);
    assert_int_equal(code, SQLITE_CONSTRAINT_UNIQUE);
    assert_string_equal(msg, "UNIQUE ");
    code = ls_errmap_fields("40001", NULL, NULL, NULL, NULL, NULL, NULL, msg, sizeof msg);
    assert_int_equal(code, SQLITE_BUSY_SNAPSHOT);
    assert_string_equal(msg, "databas");
    code = ls_errmap_fields("42P01", "relation \"\xc3\xa9t\xc3\xa9\" does not exist", NULL,
                            NULL, NULL, NULL, NULL, msg, sizeof msg);
    assert_int_equal(code, SQLITE_ERROR);
    assert_string_equal(msg, "no such");
    char small[16];
    code = ls_errmap_fields("42P01", "relation \"\xc3\xa9t\xc3\xa9\" does not exist", NULL,
                            NULL, NULL, NULL, NULL, small, sizeof small);
    assert_string_equal(small, "no such table: ");
    char one[1] = {'x'};
    code = ls_errmap_fields("42P01", "relation \"x\" does not exist", NULL, NULL, NULL, NULL,
                            NULL, one, sizeof one);
    assert_int_equal(code, SQLITE_ERROR);
    assert_int_equal(one[0], '\0');
    char two[17];
    code = ls_errmap_fields("42P01", "relation \"\xc3\xa9t\" does not exist", NULL, NULL, NULL,
                            NULL, NULL, two, sizeof two);
    assert_string_equal(two, "no such table: ");   /* 15 bytes + half of é: cut before it */
}

/* ================================================================== results ===== */

static void test_ls_errmap_result_null(void **state)
{
    (void)state;
    char msg[128];
    assert_int_equal(ls_errmap_result(NULL, NULL, msg, sizeof msg), SQLITE_IOERR);
    assert_string_equal(msg, "lost connection to PostgreSQL server");
    char small[8];
    assert_int_equal(ls_errmap_result(NULL, NULL, small, sizeof small), SQLITE_IOERR);
    assert_string_equal(small, "lost co");
}

/* A connection that never came up: CONNECTION_BAD, libpq's reason, never the password. */
static void test_ls_errmap_result_connection_bad(void **state)
{
    (void)state;
    PGconn *conn = PQconnectdb("host=/nonexistent/liteshift port=1 user=bob password=sekrit "
                               "connect_timeout=2");
    assert_int_equal(PQstatus(conn), CONNECTION_BAD);
    char msg[256];
    assert_int_equal(ls_errmap_result(NULL, conn, msg, sizeof msg), SQLITE_IOERR);
    assert_true(strncmp(msg, "lost connection to PostgreSQL server: ", 38) == 0);
    assert_null(strstr(msg, "sekrit"));
    assert_null(strchr(msg, '\n'));
    /* a result handed back with the bad connection: still the connection */
    PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_FATAL_ERROR);
    assert_non_null(res);
    assert_int_equal(ls_errmap_result(res, conn, msg, sizeof msg), SQLITE_IOERR);
    assert_null(strstr(msg, "sekrit"));
    PQclear(res);
    PQfinish(conn);
}

/* libpq's own errors carry no SQLSTATE ("server closed the connection unexpectedly", observed
 * after pg_terminate_backend): a lost connection even without conn. */
static void test_ls_errmap_result_no_sqlstate(void **state)
{
    (void)state;
    char msg[128];
    PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_FATAL_ERROR);
    assert_non_null(res);
    assert_int_equal(ls_errmap_result(res, NULL, msg, sizeof msg), SQLITE_IOERR);
    assert_string_equal(msg, "lost connection to PostgreSQL server");
    PQclear(res);
    res = PQmakeEmptyPGresult(NULL, PGRES_BAD_RESPONSE);
    assert_int_equal(ls_errmap_result(res, NULL, msg, sizeof msg), SQLITE_IOERR);
    PQclear(res);
}

static void test_ls_errmap_result_not_an_error(void **state)
{
    (void)state;
    char msg[64];
    PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_COMMAND_OK);
    assert_int_equal(ls_errmap_result(res, NULL, msg, sizeof msg), SQLITE_OK);
    assert_string_equal(msg, "not an error");
    PQclear(res);
    res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    assert_int_equal(ls_errmap_result(res, NULL, msg, sizeof msg), SQLITE_OK);
    PQclear(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ls_errmap_fields_unique_two_columns),
        cmocka_unit_test(test_ls_errmap_fields_unique_quoted_identifiers),
        cmocka_unit_test(test_ls_errmap_fields_unique_keyword_column),
        cmocka_unit_test(test_ls_errmap_fields_unique_expression_index),
        cmocka_unit_test(test_ls_errmap_fields_unique_without_detail),
        cmocka_unit_test(test_ls_errmap_fields_unique_integer_primary_key),
        cmocka_unit_test(test_ls_errmap_fields_unique_composite_primary_key),
        cmocka_unit_test(test_ls_errmap_fields_not_null),
        cmocka_unit_test(test_ls_errmap_fields_foreign_key),
        cmocka_unit_test(test_ls_errmap_fields_check_named),
        cmocka_unit_test(test_ls_errmap_fields_check_unnamed),
        cmocka_unit_test(test_ls_errmap_fields_exclusion),
        cmocka_unit_test(test_ls_errmap_fields_serialization_failure),
        cmocka_unit_test(test_ls_errmap_fields_drop_missing),
        cmocka_unit_test(test_ls_errmap_fields_deadlock),
        cmocka_unit_test(test_ls_errmap_fields_lock_not_available),
        cmocka_unit_test(test_ls_errmap_fields_cancel_lock_timeout),
        cmocka_unit_test(test_ls_errmap_fields_query_canceled),
        cmocka_unit_test(test_ls_errmap_fields_undefined_table),
        cmocka_unit_test(test_ls_errmap_fields_undefined_column),
        cmocka_unit_test(test_ls_errmap_fields_undefined_function),
        cmocka_unit_test(test_ls_errmap_fields_syntax_error),
        cmocka_unit_test(test_ls_errmap_fields_duplicate_table),
        cmocka_unit_test(test_ls_errmap_fields_duplicate_object),
        cmocka_unit_test(test_ls_errmap_fields_duplicate_schema),
        cmocka_unit_test(test_ls_errmap_fields_undefined_savepoint),
        cmocka_unit_test(test_ls_errmap_fields_datatype_mismatch),
        cmocka_unit_test(test_ls_errmap_fields_numeric_out_of_range),
        cmocka_unit_test(test_ls_errmap_fields_bad_text),
        cmocka_unit_test(test_ls_errmap_fields_insufficient_privilege),
        cmocka_unit_test(test_ls_errmap_fields_read_only),
        cmocka_unit_test(test_ls_errmap_fields_resources),
        cmocka_unit_test(test_ls_errmap_fields_in_failed_transaction),
        cmocka_unit_test(test_ls_errmap_fields_feature_not_supported),
        cmocka_unit_test(test_ls_errmap_fields_other),
        cmocka_unit_test(test_ls_errmap_fields_admin_shutdown),
        cmocka_unit_test(test_ls_errmap_fields_null_everything),
        cmocka_unit_test(test_ls_errmap_fields_odd_text),
        cmocka_unit_test(test_ls_errmap_fields_truncates),
        cmocka_unit_test(test_ls_errmap_result_null),
        cmocka_unit_test(test_ls_errmap_result_connection_bad),
        cmocka_unit_test(test_ls_errmap_result_no_sqlstate),
        cmocka_unit_test(test_ls_errmap_result_not_an_error),
    };
    return cmocka_run_group_tests_name("errmap", tests, NULL, NULL);
}
