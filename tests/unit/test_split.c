/* SPDX-License-Identifier: MIT
 *
 * Tests of rewriter/split.c on hand-picked cases: ls_split_complete against the real
 * sqlite3_complete, and ls_split_next against sqlite3_prepare_v2's pzTail (DIALECT L15).
 * The corpus-wide comparison is test_split_corpus.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "rewriter.h"

static sqlite3 *db;

static int setup(void **state)
{
    (void)state;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return -1;
    return sqlite3_exec(db, "create table t(a, b); create table u(n);", NULL, NULL, NULL);
}

static int teardown(void **state)
{
    (void)state;
    sqlite3_close(db);
    return 0;
}

static const char *complete_cases[] = {
    "", " ", ";", " ;", ";;", "select 1", "select 1;", "select 1 ;  ", "select 1; select 2",
    "select 1; -- x", "select 1 -- x", "select 1 -- x\n;", "select 1;/* x", "select 1;/* x */",
    "select 1 /* ; */", "select ';'", "select ';", "select \"a;\";", "select [a;];",
    "select [a;", "select `a;`;", "select `a;", "select 'it''s';", "select $a(;)",
    "select 1;\v", "select 1;\f", "/**/;", "/*/;", "-- only", "--\n;", "select x'00;'",
    "create trigger tr after insert on t begin update u set n=n+1; end;",
    "create trigger tr after insert on t begin update u set n=n+1; end",
    "create trigger tr after insert on t begin update u set n=n+1;",
    "create trigger tr after insert on t begin update u set n=n+1; end; select 1",
    "CREATE TEMP TRIGGER tr after insert on t begin select 1; END;",
    "create temporary trigger tr after insert on t begin select 1; end ;",
    "create temp table x(a); ",
    "create trigger tr after insert on t begin select case when 1 then 2 end; end;",
    "create trigger tr after insert on t begin select case when 1 then 2 end; end",
    "create trigger tr after insert on t begin select 1;end;",
    "create trigger tr after insert on t begin select 1;\nend\n;",
    "create trigger tr after insert on t begin select 1; -- c\n end; -- d",
    "create trigger tr after insert on t begin select 1; /* ; end; */ end;",
    "create /* c */ trigger tr after insert on t begin select 1; end;",
    "explain create trigger tr after insert on t begin select 1; end;",
    "explain create trigger tr after insert on t begin select 1;",
    "explain query plan create trigger tr after insert on t begin select 1;",
    "explain select 1;", "explain;", "create;", "create trigger;", "create trigger; end;",
    "createx trigger tr begin; end;", "\"create\" trigger x; ", "trigger; end;",
    "create trigger x begin select 'end;'; end;", "create trigger x begin select 1; end x;",
    "create trigger x begin select 1; endx;", "CrEaTe TrIgGeR x BeGiN select 1; EnD;",
    "select 1;\xc3\xa9", "select 1; \xef\xbb\xbf", "select a$b; ",
};

static void test_ls_split_complete_matches_sqlite(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof complete_cases / sizeof complete_cases[0]; i++) {
        const char *sql = complete_cases[i];
        bool want = sqlite3_complete(sql) != 0;
        if (ls_split_complete(sql) != want)
            fail_msg("[%s]: sqlite3_complete says %d", sql, want);
        /* Every prefix too. */
        size_t n = strlen(sql);
        char *copy = malloc(n + 1);
        assert_non_null(copy);
        for (size_t k = 0; k <= n; k++) {
            memcpy(copy, sql, k);
            copy[k] = 0;
            if (ls_split_complete(copy) != (sqlite3_complete(copy) != 0))
                fail_msg("prefix [%s]: sqlite3_complete says %d", copy, !want);
            assert_int_equal(ls_split_complete_n(sql, k), ls_split_complete(copy));
        }
        free(copy);
    }
}

static void test_ls_split_complete_n_stops_at_nul(void **state)
{
    (void)state;
    assert_true(ls_split_complete_n("select 1;\0select", 16));
    assert_false(ls_split_complete_n("select 1\0;", 10));
    assert_false(ls_split_complete_n("select 1;", 8));
    assert_true(ls_split_complete_n("select 1;", 9));
}

/* Compare ls_split_next with sqlite3_prepare_v2's pzTail, statement by statement. */
static void compare_with_prepare(const char *script)
{
    const char *p = script;
    while (*p) {
        sqlite3_stmt *stmt = NULL;
        const char *tail = NULL;
        if (sqlite3_prepare_v2(db, p, -1, &stmt, &tail) != SQLITE_OK)
            fail_msg("SQLite rejects [%s]: %s", p, sqlite3_errmsg(db));
        bool complete;
        size_t n = ls_split_next(p, strlen(p), &complete);
        if (n != (size_t)(tail - p))
            fail_msg("[%s]: boundary %zu, SQLite %zu", p, n, (size_t)(tail - p));
        char *prefix = strndup(p, n);
        assert_non_null(prefix);
        assert_int_equal(complete, sqlite3_complete(prefix) != 0);
        free(prefix);
        sqlite3_finalize(stmt);
        p += n;
    }
}

static void test_ls_split_next_matches_prepare(void **state)
{
    (void)state;
    static const char *scripts[] = {
        "select 1",
        "select 1;",
        "select 1; select 2;  ",
        "select 1;select 2",
        " ; ;; select 1; ; select 2",
        "-- c\nselect 1; -- d\n",
        "/* a; */ select ';' ; select \"a;b\" from (select 1 as \"a;b\");",
        "select [a;b] from (select 1 as [a;b]); select `x;` from (select 1 as `x;`)",
        "create trigger tr after insert on t begin update u set n=n+1; end; select 1;",
        "create temp trigger tr2 after insert on t begin select 1; select 2; end  ; select 3",
        "create trigger tr3 after insert on t begin select case when 1 then 2 end; end;",
        "create trigger tr4 after insert on t when new.a > 0 begin "
        "insert into u values (new.a); delete from u where n < 0; end;select 1",
        "explain select 1; explain query plan select 2;",
        "select 1 -- no newline at the end",
        "select 'x' || 'y' ; ",
        "   ",
        ";",
        "select $a(;); select 2",
        "select :a, @b, ?3; select x'00ff', 0x10, 1e5, .5",
    };
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++)
        compare_with_prepare(scripts[i]);
}

static void test_ls_split_next_lengths(void **state)
{
    (void)state;
    bool complete = true;
    assert_int_equal(ls_split_next("", 0, &complete), 0);
    assert_false(complete);
    assert_int_equal(ls_split_next("\0select 1;", 10, &complete), 0);
    assert_int_equal(ls_split_next("select 1\0; select 2", 19, &complete), 8);
    assert_false(complete);
    assert_int_equal(ls_split_next("select 1; x", 11, &complete), 9);
    assert_true(complete);
    assert_int_equal(ls_split_next("select 1; x", 11, NULL), 9);
    assert_int_equal(ls_split_next("select 1; x", 8, &complete), 8); /* only len bytes */
    assert_false(complete);
    /* A statement SQLite cannot parse still ends at its ';'. */
    assert_int_equal(ls_split_next("select 'a;b; select 2", 21, &complete), 21);
    assert_int_equal(ls_split_next("select ]; select 2", 18, &complete), 9);
    /* Tcl-style parameters may hold a ';' the parser never sees as one. */
    assert_int_equal(ls_split_next("select $a(;); select 2", 22, &complete), 13);
    assert_int_equal(complete, sqlite3_complete("select $a(;);") != 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ls_split_complete_matches_sqlite),
        cmocka_unit_test(test_ls_split_complete_n_stops_at_nul),
        cmocka_unit_test(test_ls_split_next_matches_prepare),
        cmocka_unit_test(test_ls_split_next_lengths),
    };
    return cmocka_run_group_tests_name("split", tests, setup, teardown);
}
