/* SPDX-License-Identifier: MIT
 *
 * Tests of rewriter/cache.c: exact-bytes keys, LRU eviction order, value ownership (every
 * stored value is released exactly once, counted by free_counted), and non-fatal out of
 * memory under injected allocation failures (fault_alloc.h).
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

static int freed;

static void free_counted(void *value)
{
    freed++;
    free(value);
}

static char *val(const char *s)
{
    char *v = strdup(s);
    assert_non_null(v);
    return v;
}

static void put_ok(ls_rw_cache *c, const char *key, const char *value)
{
    assert_int_equal(ls_rw_cache_put(c, key, strlen(key), val(value)), SQLITE_OK);
}

static const char *get(ls_rw_cache *c, const char *key)
{
    return ls_rw_cache_get(c, key, strlen(key));
}

static void test_ls_rw_cache_get_exact_bytes(void **state)
{
    (void)state;
    freed = 0;
    ls_rw_cache *c = ls_rw_cache_new(10, free_counted);
    assert_non_null(c);
    assert_null(get(c, "select 1"));
    put_ok(c, "select 1", "A");
    put_ok(c, "select 1 ", "B");
    put_ok(c, "SELECT 1", "C");
    assert_string_equal(get(c, "select 1"), "A");
    assert_string_equal(get(c, "select 1 "), "B");
    assert_string_equal(get(c, "SELECT 1"), "C");
    assert_null(get(c, "select  1"));
    assert_null(ls_rw_cache_get(c, "select 1", 7));
    /* Keys are bytes: embedded NULs and the empty key work. */
    assert_int_equal(ls_rw_cache_put(c, "a\0b", 3, val("N")), SQLITE_OK);
    assert_null(ls_rw_cache_get(c, "a\0c", 3));
    assert_string_equal(ls_rw_cache_get(c, "a\0b", 3), "N");
    assert_int_equal(ls_rw_cache_put(c, "", 0, val("E")), SQLITE_OK);
    assert_string_equal(ls_rw_cache_get(c, "", 0), "E");
    assert_int_equal(ls_rw_cache_count(c), 5);
    ls_rw_cache_free(c);
    assert_int_equal(freed, 5);
    ls_rw_cache_free(NULL);
}

static void test_ls_rw_cache_put_replaces(void **state)
{
    (void)state;
    freed = 0;
    ls_rw_cache *c = ls_rw_cache_new(4, free_counted);
    assert_non_null(c);
    put_ok(c, "k", "old");
    put_ok(c, "k", "new");
    assert_int_equal(freed, 1);
    assert_string_equal(get(c, "k"), "new");
    assert_int_equal(ls_rw_cache_count(c), 1);
    char *same = (char *)get(c, "k");
    assert_int_equal(ls_rw_cache_put(c, "k", 1, same), SQLITE_OK); /* same pointer: kept */
    assert_int_equal(freed, 1);
    assert_int_equal(ls_rw_cache_put(c, "k", 1, NULL), SQLITE_MISUSE);
    ls_rw_cache_free(c);
    assert_int_equal(freed, 2);
}

static void test_ls_rw_cache_put_evicts_lru(void **state)
{
    (void)state;
    freed = 0;
    ls_rw_cache *c = ls_rw_cache_new(3, free_counted);
    assert_non_null(c);
    put_ok(c, "a", "A");
    put_ok(c, "b", "B");
    put_ok(c, "c", "C");
    assert_non_null(get(c, "a"));      /* a is now the most recent; b the least */
    put_ok(c, "d", "D");
    assert_int_equal(freed, 1);
    assert_null(get(c, "b"));
    assert_non_null(get(c, "c"));      /* order now: a d c (c newest) */
    put_ok(c, "e", "E");               /* evicts a */
    assert_null(get(c, "a"));
    assert_non_null(get(c, "d"));
    assert_non_null(get(c, "e"));
    put_ok(c, "c", "C2");              /* replacing refreshes c */
    put_ok(c, "f", "F");               /* evicts d */
    assert_null(get(c, "d"));
    assert_string_equal(get(c, "c"), "C2");
    assert_int_equal(ls_rw_cache_count(c), 3);
    ls_rw_cache_free(c);
    assert_int_equal(freed, 7);
}

static void test_ls_rw_cache_new_capacity_one(void **state)
{
    (void)state;
    freed = 0;
    ls_rw_cache *c = ls_rw_cache_new(0, free_counted);  /* 0 counts as 1 */
    assert_non_null(c);
    put_ok(c, "a", "A");
    put_ok(c, "b", "B");
    assert_null(get(c, "a"));
    assert_string_equal(get(c, "b"), "B");
    assert_int_equal(ls_rw_cache_count(c), 1);
    ls_rw_cache_free(c);
    assert_int_equal(freed, 2);
}

static void test_ls_rw_cache_clear_all(void **state)
{
    (void)state;
    freed = 0;
    ls_rw_cache *c = ls_rw_cache_new(100, free_counted);
    assert_non_null(c);
    char key[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "select %d", i);
        put_ok(c, key, key);
    }
    assert_int_equal(ls_rw_cache_count(c), 100);
    assert_int_equal(freed, 900);
    assert_string_equal(get(c, "select 999"), "select 999");
    assert_null(get(c, "select 899"));
    ls_rw_cache_clear(c);
    assert_int_equal(ls_rw_cache_count(c), 0);
    assert_int_equal(freed, 1000);
    put_ok(c, "x", "X");                /* still usable */
    assert_string_equal(get(c, "x"), "X");
    ls_rw_cache_free(c);
    assert_int_equal(freed, 1001);
}

/* With no free function the caller keeps ownership of values entirely. */
static void test_ls_rw_cache_new_no_free_fn(void **state)
{
    (void)state;
    static int a = 1, b = 2;
    ls_rw_cache *c = ls_rw_cache_new(1, NULL);
    assert_non_null(c);
    assert_int_equal(ls_rw_cache_put(c, "a", 1, &a), SQLITE_OK);
    assert_int_equal(ls_rw_cache_put(c, "b", 1, &b), SQLITE_OK);
    assert_ptr_equal(ls_rw_cache_get(c, "b", 1), &b);
    ls_rw_cache_free(c);
}

/* Every allocation failing in turn, including uthash's table and bucket growth: puts
 * report SQLITE_NOMEM and the caller keeps the value; the cache stays consistent. */
static void test_ls_rw_cache_put_every_failure(void **state)
{
    (void)state;
    fault_alloc_arm(1, 0);
    ls_rw_cache *none = ls_rw_cache_new(10, free_counted);
    fault_alloc_arm(0, 0);
    assert_null(none);
    for (long n = 1; n < 400; n += 7) {
        freed = 0;
        ls_rw_cache *c = ls_rw_cache_new(200, free_counted);
        assert_non_null(c);
        int stored = 0, refused = 0;
        char key[32];
        fault_alloc_arm(n, 0);
        for (int i = 0; i < 300; i++) {
            snprintf(key, sizeof key, "select %d", i);
            char *v = strdup(key);
            if (!v)
                continue;                  /* the test's own allocation was the victim */
            int rc = ls_rw_cache_put(c, key, strlen(key), v);
            if (rc == SQLITE_OK) {
                stored++;
            } else {
                assert_int_equal(rc, SQLITE_NOMEM);
                refused++;
                free(v);
            }
        }
        fault_alloc_arm(0, 0);
        assert_true(ls_rw_cache_count(c) <= 200);
        assert_int_equal((size_t)stored, ls_rw_cache_count(c) + (size_t)freed);
        /* Everything still stored is found under its key. */
        size_t found = 0;
        for (int i = 0; i < 300; i++) {
            snprintf(key, sizeof key, "select %d", i);
            const char *v = get(c, key);
            if (v) {
                assert_string_equal(v, key);
                found++;
            }
        }
        assert_int_equal(found, ls_rw_cache_count(c));
        ls_rw_cache_free(c);
        assert_int_equal(freed, stored);
        (void)refused;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ls_rw_cache_get_exact_bytes),
        cmocka_unit_test(test_ls_rw_cache_put_replaces),
        cmocka_unit_test(test_ls_rw_cache_put_evicts_lru),
        cmocka_unit_test(test_ls_rw_cache_new_capacity_one),
        cmocka_unit_test(test_ls_rw_cache_clear_all),
        cmocka_unit_test(test_ls_rw_cache_new_no_free_fn),
        cmocka_unit_test(test_ls_rw_cache_put_every_failure),
    };
    return cmocka_run_group_tests_name("cache", tests, NULL, NULL);
}
