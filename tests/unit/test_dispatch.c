/* SPDX-License-Identifier: MIT
 * Tests for the generated forwarders (tools/gen_forwarders.c), shim/api_unsupported.c,
 * shim/api_variadic.c and shim/data.c: real handles pass through untouched, liteshift handles
 * never reach the real library and get a clean code and message, the data symbols are shared
 * with the real library.  Linked with the shim's objects, so this executable itself defines
 * the sqlite3 API, as an app relinked against libliteshift.so does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "shim.h"

static void test_ls_handle_ours_real_handles(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_false(ls_handle_ours(db));
    assert_false(ls_handle_ours(NULL));
    sqlite3_stmt *st = NULL;
    /* a value whose first word is our magic must still be recognised as real */
    char sql[128];
    /* little-endian: state "LIVE" in bytes 0..3, tag "LSHM" in bytes 4..7 */
    const unsigned long long magic = ((unsigned long long)LS_TAG << 32) | LS_STATE_LIVE;
    snprintf(sql, sizeof sql, "SELECT %lld", (long long)magic);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_false(ls_handle_ours(st));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    sqlite3_value *v = sqlite3_column_value(st, 0);
    assert_false(ls_handle_ours(v));
    assert_true((unsigned long long)sqlite3_value_int64(v) == magic);
    assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void test_forwarder_unsupported_on_pg_handle(void **state)
{
    (void)state;
    ls_conn *c = ls_conn_new_detached();
    assert_non_null(c);
    sqlite3 *pdb = (sqlite3 *)c;
    assert_true(ls_handle_ours(pdb));

    assert_int_equal(sqlite3_wal_autocheckpoint(pdb, 10), SQLITE_ERROR);
    assert_int_equal(sqlite3_errcode(pdb), SQLITE_ERROR);
    assert_string_equal(sqlite3_errmsg(pdb),
                        "sqlite3_wal_autocheckpoint is not supported on the PostgreSQL backend");
    /* blob_open has a PostgreSQL implementation: with no server it fails cleanly */
    sqlite3_blob *blob = (sqlite3_blob *)0x1;
    assert_int_not_equal(sqlite3_blob_open(pdb, "main", "t", "c", 1, 0, &blob), SQLITE_OK);
    assert_null(blob);
    assert_null(sqlite3_db_mutex(pdb));
    assert_null(sqlite3_next_stmt(pdb, NULL));
    assert_int_equal(sqlite3_db_config(pdb, SQLITE_DBCONFIG_ENABLE_FKEY, 1, NULL), SQLITE_ERROR);
    assert_string_equal(sqlite3_errmsg(pdb),
                        "sqlite3_db_config is not supported on the PostgreSQL backend");

    /* a handle in the second position: backup from a PostgreSQL source into a real db */
    sqlite3 *real = NULL;
    assert_int_equal(sqlite3_open(":memory:", &real), SQLITE_OK);
    assert_null(sqlite3_backup_init(real, "main", pdb, "main"));
    assert_string_equal(sqlite3_errmsg(pdb),
                        "sqlite3_backup_init is not supported on the PostgreSQL backend");
    assert_int_equal(sqlite3_errcode(real), SQLITE_OK);
    assert_int_equal(sqlite3_close(real), SQLITE_OK);
    assert_int_equal(sqlite3_close_v2(pdb), SQLITE_OK);
}

static void test_variadic_forwarders(void **state)
{
    (void)state;
    char *m = sqlite3_mprintf("%d|%q|%Q|%lld|%.2f", 7, "it's", NULL, 1LL << 40, 2.5);
    assert_string_equal(m, "7|it''s|NULL|1099511627776|2.50");
    sqlite3_free(m);
    char buf[8];
    sqlite3_snprintf(sizeof buf, buf, "%s", "truncate me");
    assert_string_equal(buf, "truncat");
    sqlite3_str *s = sqlite3_str_new(NULL);
    sqlite3_str_appendf(s, "%d-%s", 3, "x");
    char *t = sqlite3_str_finish(s);
    assert_string_equal(t, "3-x");
    sqlite3_free(t);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    int on = -1;
    assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, &on), SQLITE_OK);
    assert_int_equal(on, 0);
    assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &on), SQLITE_OK);
    assert_int_equal(on, 0);
    assert_int_equal(sqlite3_db_config(db, 99999), SQLITE_ERROR);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    /* a test-control op that answers without side effects */
    assert_int_equal(sqlite3_test_control(SQLITE_TESTCTRL_ISINIT), SQLITE_OK);
}

static void test_data_symbols_shared_with_real_library(void **state)
{
    (void)state;
    assert_string_equal(sqlite3_version, sqlite3_libversion());
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    sqlite3_temp_directory = sqlite3_mprintf("%s", "/tmp/liteshift-data-symbol");
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA temp_store_directory", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "/tmp/liteshift-data-symbol");
    sqlite3_finalize(st);
    sqlite3_free(sqlite3_temp_directory);
    sqlite3_temp_directory = NULL;
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ls_handle_ours_real_handles),
        cmocka_unit_test(test_forwarder_unsupported_on_pg_handle),
        cmocka_unit_test(test_variadic_forwarders),
        cmocka_unit_test(test_data_symbols_shared_with_real_library),
    };
    return cmocka_run_group_tests_name("dispatch", tests, NULL, NULL);
}
