/* SPDX-License-Identifier: MIT
 *
 * Tests of rewriter/buf.c: appends, quoting for PostgreSQL, unquoting SQLite tokens, and
 * the sticky out-of-memory flag under injected allocation failures (fault_alloc.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "fault_alloc.h"
#include "rewriter.h"

static void test_ls_buf_append_basic(void **state)
{
    (void)state;
    ls_buf b = { 0 };
    assert_int_equal(ls_buf_status(&b), SQLITE_OK);
    ls_buf_append(&b, "sel", 3);
    ls_buf_append_str(&b, "ect");
    ls_buf_append_char(&b, ' ');
    ls_buf_appendf(&b, "$%d", 12);
    ls_buf_append(&b, "", 0);
    assert_string_equal(b.data, "select $12");
    assert_int_equal(b.len, 10);
    ls_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    ls_buf_append_str(&b, "x");
    assert_string_equal(b.data, "x");
    ls_buf_clear(&b);
    assert_null(b.data);
    ls_buf_clear(&b);
}

static void test_ls_buf_appendf_long(void **state)
{
    (void)state;
    ls_buf b = { 0 };
    char big[1000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    ls_buf_append_str(&b, "<");
    ls_buf_appendf(&b, "%s|%s", big, big);
    ls_buf_append_str(&b, ">");
    assert_int_equal(b.len, 2 + 2 * 999 + 1);
    assert_int_equal(b.data[1000], '|');
    assert_int_equal(b.data[b.len - 1], '>');
    assert_int_equal(strlen(b.data), b.len);
    ls_buf_clear(&b);
}

static void test_ls_buf_append_token_text(void **state)
{
    (void)state;
    const char *sql = "select [my col]";
    ls_tokens toks = { 0 };
    assert_int_equal(ls_tok_scan(sql, strlen(sql), &toks, NULL), SQLITE_OK);
    ls_buf b = { 0 };
    ls_buf_append_token(&b, sql, &toks.v[2]);
    assert_string_equal(b.data, "[my col]");
    ls_buf_reset(&b);
    ls_buf_append_unquoted(&b, sql + toks.v[2].off, toks.v[2].len);
    assert_string_equal(b.data, "my col");
    ls_buf_clear(&b);
    ls_tokens_clear(&toks);
}

static void check_unquoted(const char *in, const char *want)
{
    ls_buf b = { 0 };
    ls_buf_append_unquoted(&b, in, strlen(in));
    assert_string_equal(b.data ? b.data : "", want);
    ls_buf_clear(&b);
}

static void test_ls_buf_append_unquoted_forms(void **state)
{
    (void)state;
    check_unquoted("'it''s'", "it's");
    check_unquoted("''", "");
    check_unquoted("''''", "'");
    check_unquoted("\"a\"\"b\"", "a\"b");
    check_unquoted("`a``b`", "a`b");
    check_unquoted("[a]", "a");
    check_unquoted("[a\"\"b]", "a\"\"b");   /* no escapes inside brackets */
    check_unquoted("abc", "abc");            /* not quoted: unchanged */
    check_unquoted("'abc", "'abc");
    check_unquoted("'", "'");
    check_unquoted("\"a'", "\"a'");
}

static void test_ls_buf_append_ident_quotes(void **state)
{
    (void)state;
    ls_buf b = { 0 };
    ls_buf_append_ident(&b, "user", 4);
    ls_buf_append_char(&b, ' ');
    ls_buf_append_ident(&b, "a\"b", 3);
    ls_buf_append_char(&b, ' ');
    ls_buf_append_ident(&b, "", 0);
    ls_buf_append_char(&b, ' ');
    ls_buf_append_literal(&b, "it's", 4);
    ls_buf_append_char(&b, ' ');
    ls_buf_append_literal(&b, "a\\n''", 5);
    assert_string_equal(b.data, "\"user\" \"a\"\"b\" \"\" 'it''s' 'a\\n'''''");
    ls_buf_clear(&b);
}

static void test_ls_buf_status_sticky_oom(void **state)
{
    (void)state;
    ls_buf b = { 0 };
    ls_buf_append_str(&b, "abc");
    fault_alloc_arm(1, 1);
    char big[200];
    memset(big, 'x', sizeof big);
    ls_buf_append(&b, big, sizeof big);       /* needs to grow: fails */
    fault_alloc_arm(0, 0);
    assert_int_equal(ls_buf_status(&b), SQLITE_NOMEM);
    ls_buf_append_str(&b, "def");             /* would fit, but the flag is sticky */
    ls_buf_append_char(&b, 'g');
    ls_buf_appendf(&b, "%d", 1);
    assert_int_equal(ls_buf_status(&b), SQLITE_NOMEM);
    assert_string_equal(b.data, "abc");
    size_t len = 99;
    assert_null(ls_buf_take(&b, &len));
    assert_null(b.data);
    assert_int_equal(ls_buf_status(&b), SQLITE_OK);
    ls_buf_clear(&b);
}

static void test_ls_buf_take_ownership(void **state)
{
    (void)state;
    ls_buf b = { 0 };
    size_t len = 99;
    char *s = ls_buf_take(&b, &len);           /* empty: a fresh "" */
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);
    ls_buf_append_str(&b, "select 1");
    s = ls_buf_take(&b, &len);
    assert_string_equal(s, "select 1");
    assert_int_equal(len, 8);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    free(s);
    ls_buf_clear(&b);
}

/* Every allocation failing in turn: never a crash or leak, always reported. */
static void test_ls_buf_append_every_failure(void **state)
{
    (void)state;
    for (long n = 1; n < 20; n++) {
        ls_buf b = { 0 };
        fault_alloc_arm(n, 0);
        for (int i = 0; i < 100; i++)
            ls_buf_appendf(&b, "%d:%s,", i, "abcdefghij");
        long failed = fault_alloc_failures();
        fault_alloc_arm(0, 0);
        assert_int_equal(ls_buf_status(&b), failed ? SQLITE_NOMEM : SQLITE_OK);
        if (!failed)
            assert_int_equal(strlen(b.data), b.len);
        ls_buf_clear(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ls_buf_append_basic),
        cmocka_unit_test(test_ls_buf_appendf_long),
        cmocka_unit_test(test_ls_buf_append_token_text),
        cmocka_unit_test(test_ls_buf_append_unquoted_forms),
        cmocka_unit_test(test_ls_buf_append_ident_quotes),
        cmocka_unit_test(test_ls_buf_status_sticky_oom),
        cmocka_unit_test(test_ls_buf_take_ownership),
        cmocka_unit_test(test_ls_buf_append_every_failure),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
