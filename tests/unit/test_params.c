/* SPDX-License-Identifier: MIT
 *
 * Tests of rewriter/params.c.  SQLite numbering and names are checked against the real
 * library (sqlite3_bind_parameter_count/name/index after sqlite3_prepare_v2 of the same
 * text); the dense PostgreSQL renumbering against hand-written expectations (DIALECT L1-L3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "fault_alloc.h"
#include "rewriter.h"

static sqlite3 *db;

static int setup(void **state)
{
    (void)state;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return -1;
    return sqlite3_exec(db, "create table t(a, b, c)", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sqlite3_close(db);
    return 0;
}

/* Scan sql with ls_params_scan and compare count, names and index lookups with SQLite. */
static void compare_with_sqlite(const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
        fail_msg("SQLite rejects [%s]: %s", sql, sqlite3_errmsg(db));
    ls_params p;
    ls_err err = { 0 };
    assert_int_equal(ls_params_scan(sql, strlen(sql), &p, &err), SQLITE_OK);
    int count = sqlite3_bind_parameter_count(stmt);
    if (p.count != count)
        fail_msg("[%s]: count %d, SQLite %d", sql, p.count, count);
    for (int i = 0; i <= count + 1; i++) {
        const char *want = sqlite3_bind_parameter_name(stmt, i);
        const char *got = ls_params_name(&p, i);
        if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
            fail_msg("[%s]: name of %d is %s, SQLite %s", sql, i, got ? got : "NULL",
                     want ? want : "NULL");
        if (want)
            assert_int_equal(ls_params_index(&p, want), sqlite3_bind_parameter_index(stmt, want));
    }
    static const char *probes[] = { ":a", "@a", "$a", "?1", "?01", ":A", "a", "", "?" };
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
        assert_int_equal(ls_params_index(&p, probes[i]),
                         sqlite3_bind_parameter_index(stmt, probes[i]));
    ls_params_clear(&p);
    sqlite3_finalize(stmt);
}

static void test_ls_params_scan_matches_sqlite(void **state)
{
    (void)state;
    static const char *cases[] = {
        "select 1",
        "select ?",
        "select ?, ?, ?",
        "select ?2, ?, ?1, ?",                  /* DIALECT L1: 4 parameters */
        "select ?1, ?1",                        /* L2: count 1 */
        "select ?3",
        "select ?, ?3, ?",
        "select :a, @a, $a",                    /* L3: three parameters */
        "select :a, :a, :b, :a",
        "select :a, ?1",
        "select ?1, :a",
        "select ?, ?1",
        "select ?01, ?1",
        "select ?1, ?01",
        "select ?2, ?02, ?",
        "select $a::b",                         /* L4 */
        "select $a(b)c",
        "select $a(xy)",
        "select #a, #a, :a",
        "select :A, :a",
        "select :1, ?1",
        "select @x\xc3\xa9, $y$",
        "select ?250000",
        "select ?, ?250000",
        "select a from t where a = :a and b = ? and c = ?5",
        "insert into t values (?, ?, ?)",
        "insert into t values (:a, :b, :a)",
        "update t set a = ?2 where b = ?1",
        "select '?', 1 as \"?\", 2 as [:a], 3 as `$b` from t -- ?\n",
        "select /* ? :a */ ?",
        "create virtual table f using fts5(a ? b, :c)",   /* module arguments: raw text */
        "CREATE /* x */ VIRTUAL TABLE IF NOT EXISTS f USING fts5(?1, ?0)",
        "select ?1 from t limit ?2 offset ?3",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        compare_with_sqlite(cases[i]);
}

static void test_ls_params_scan_pg_dense(void **state)
{
    (void)state;
    ls_params p;
    ls_err err = { 0 };
    const char *sql = "select ?3, ?1, ?3";
    assert_int_equal(ls_params_scan(sql, strlen(sql), &p, &err), SQLITE_OK);
    assert_int_equal(p.count, 3);
    assert_int_equal(p.pg_count, 2);
    assert_int_equal(p.pg_of[1], 1);
    assert_int_equal(p.pg_of[2], 0);
    assert_int_equal(p.pg_of[3], 2);
    assert_int_equal(p.sqlite_of[1], 1);
    assert_int_equal(p.sqlite_of[2], 3);
    assert_int_equal(p.n_uses, 3);
    assert_int_equal(ls_params_pg_at(&p, 7), 2);   /* ?3 */
    assert_int_equal(ls_params_pg_at(&p, 11), 1);  /* ?1 */
    assert_int_equal(ls_params_pg_at(&p, 15), 2);  /* ?3 again */
    assert_int_equal(ls_params_pg_at(&p, 0), 0);   /* not a parameter */
    assert_int_equal(ls_params_pg_at(&p, 8), 0);
    ls_params_clear(&p);

    sql = "select ?2, ?, ?1, ?"; /* 4 SQLite parameters, 3 used */
    assert_int_equal(ls_params_scan(sql, strlen(sql), &p, &err), SQLITE_OK);
    assert_int_equal(p.count, 4);
    assert_int_equal(p.pg_count, 4);
    assert_int_equal(p.uses[1].index, 3);
    assert_int_equal(p.uses[3].index, 4);
    assert_int_equal(ls_params_pg_at(&p, 7), 2);
    assert_int_equal(ls_params_pg_at(&p, 11), 3);
    ls_params_clear(&p);

    sql = "select ?250000";
    assert_int_equal(ls_params_scan(sql, strlen(sql), &p, &err), SQLITE_OK);
    assert_int_equal(p.count, 250000);
    assert_int_equal(p.pg_count, 1);
    assert_int_equal(p.sqlite_of[1], 250000);
    assert_int_equal(ls_params_pg_at(&p, 7), 1);
    ls_params_clear(&p);

    sql = "select :b, :a, :b";
    assert_int_equal(ls_params_scan(sql, strlen(sql), &p, &err), SQLITE_OK);
    assert_int_equal(p.count, 2);
    assert_int_equal(p.pg_count, 2);
    assert_string_equal(ls_params_name(&p, 1), ":b");
    assert_int_equal(ls_params_pg_at(&p, 15), 1);
    ls_params_clear(&p);
}

static void test_ls_params_scan_none(void **state)
{
    (void)state;
    ls_params p;
    assert_int_equal(ls_params_scan("select 1", 8, &p, NULL), SQLITE_OK);
    assert_int_equal(p.count, 0);
    assert_int_equal(p.pg_count, 0);
    assert_null(ls_params_name(&p, 0));
    assert_null(ls_params_name(&p, 1));
    assert_int_equal(ls_params_index(&p, ":a"), 0);
    assert_int_equal(ls_params_index(&p, NULL), 0);
    assert_int_equal(ls_params_pg_at(&p, 0), 0);
    ls_params_clear(&p);
    ls_params_clear(&p);
}

/* The same error text as SQLite's, at the offending token. */
static void expect_error(const char *sql, size_t offset)
{
    sqlite3_stmt *stmt = NULL;
    assert_int_not_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    ls_params p;
    ls_err err = { 0 };
    assert_int_equal(ls_params_scan(sql, strlen(sql), &p, &err), SQLITE_ERROR);
    assert_int_equal(err.code, SQLITE_ERROR);
    assert_string_equal(err.msg, sqlite3_errmsg(db));
    assert_int_equal(err.offset, offset);
    assert_int_equal(p.count, 0);
    assert_null(p.uses);
}

static void test_ls_params_scan_errors(void **state)
{
    (void)state;
    expect_error("select ?0", 7);
    expect_error("select 1, ?250001", 10);
    expect_error("select ?99999999999999999999999", 7);
    expect_error("select :a, ?0", 11);
    expect_error("select #1", 7);
    expect_error("select ?250000, ?", 16);
    expect_error("select ?250000, :a", 16);
}

static void test_ls_params_scan_many(void **state)
{
    (void)state;
    /* 3000 distinct named parameters and 3000 anonymous ones, checked against SQLite. */
    size_t cap = 3000 * 16 + 64, used = 0;
    char *sql = malloc(cap);
    assert_non_null(sql);
    used += (size_t)snprintf(sql + used, cap - used, "select 0 where 0 in (0");
    for (int i = 0; i < 3000; i++)
        used += (size_t)snprintf(sql + used, cap - used, ", :p%d, ?", i);
    used += (size_t)snprintf(sql + used, cap - used, ")");
    compare_with_sqlite(sql);
    ls_params p;
    assert_int_equal(ls_params_scan(sql, used, &p, NULL), SQLITE_OK);
    assert_int_equal(p.count, 6000);
    assert_int_equal(ls_params_index(&p, ":p2999"), 5999);
    ls_params_clear(&p);
    free(sql);
}

static void test_ls_params_scan_pg_limit(void **state)
{
    (void)state;
    size_t n = 65536, cap = n * 3 + 16, used = 0;
    char *sql = malloc(cap);
    assert_non_null(sql);
    used += (size_t)snprintf(sql + used, cap - used, "select ?");
    for (size_t i = 1; i < n; i++)
        used += (size_t)snprintf(sql + used, cap - used, ",?");
    ls_params p;
    ls_err err = { 0 };
    assert_int_equal(ls_params_scan(sql, used, &p, &err), SQLITE_ERROR);
    assert_non_null(strstr(err.msg, "PostgreSQL"));
    assert_int_equal(ls_params_scan(sql, used - 2, &p, &err), SQLITE_OK); /* 65535 fit */
    assert_int_equal(p.pg_count, 65535);
    ls_params_clear(&p);
    free(sql);
}

/* Every allocation failing in turn: SQLITE_NOMEM with nothing left allocated (ASan checks). */
static void test_ls_params_scan_every_failure(void **state)
{
    (void)state;
    const char *sql = "select :a, ?, $b::c, ?7, :a, @d, ?2, #e, :f, :g, :h, :i, :j, :k, :l";
    for (long n = 1; n < 60; n++) {
        ls_params p;
        ls_err err = { 0 };
        fault_alloc_arm(n, 0);
        int rc = ls_params_scan(sql, strlen(sql), &p, &err);
        long failed = fault_alloc_failures();
        fault_alloc_arm(0, 0);
        if (failed) {
            assert_int_equal(rc, SQLITE_NOMEM);
            assert_int_equal(err.code, SQLITE_NOMEM);
            assert_int_equal(p.count, 0);
            assert_null(p.names);
        } else {
            assert_int_equal(rc, SQLITE_OK);
            assert_int_equal(p.count, 16);
        }
        ls_params_clear(&p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ls_params_scan_matches_sqlite),
        cmocka_unit_test(test_ls_params_scan_pg_dense),
        cmocka_unit_test(test_ls_params_scan_none),
        cmocka_unit_test(test_ls_params_scan_errors),
        cmocka_unit_test(test_ls_params_scan_many),
        cmocka_unit_test(test_ls_params_scan_pg_limit),
        cmocka_unit_test(test_ls_params_scan_every_failure),
    };
    return cmocka_run_group_tests_name("params", tests, setup, teardown);
}
