/* SPDX-License-Identifier: MIT
 *
 * Tests of rewriter/keywords.c against the real SQLite library: the keyword table must hold
 * exactly the words sqlite3_keyword_name() lists (147 in 3.40), each found case-insensitively,
 * and words SQLite does not reserve must not be found.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "rewriter.h"

static void test_ls_kw_lookup_matches_sqlite(void **state)
{
    (void)state;
    int n = sqlite3_keyword_count();
    assert_int_equal(n, LS_KW_COUNT);
    for (int i = 0; i < n; i++) {
        const char *name;
        int len;
        assert_int_equal(sqlite3_keyword_name(i, &name, &len), SQLITE_OK);
        int kw = ls_kw_lookup(name, (size_t)len);
        if (kw == LS_KW_NONE)
            fail_msg("SQLite keyword %.*s not found", len, name);
        assert_int_equal(strlen(ls_kw_name(kw)), (size_t)len);
        assert_memory_equal(ls_kw_name(kw), name, (size_t)len);
    }
}

static void test_ls_kw_name_all_known_to_sqlite(void **state)
{
    (void)state;
    for (int kw = 1; kw <= LS_KW_COUNT; kw++) {
        const char *name = ls_kw_name(kw);
        assert_non_null(name);
        assert_true(sqlite3_keyword_check(name, (int)strlen(name)));
        assert_int_equal(ls_kw_lookup(name, strlen(name)), kw);
    }
    assert_null(ls_kw_name(0));
    assert_null(ls_kw_name(-1));
    assert_null(ls_kw_name(LS_KW_COUNT + 1));
    assert_string_equal(ls_kw_name(LS_KW_SELECT), "SELECT");
    assert_string_equal(ls_kw_name(LS_KW_CURRENT_TIMESTAMP), "CURRENT_TIMESTAMP");
}

static void test_ls_kw_lookup_case_insensitive(void **state)
{
    (void)state;
    assert_int_equal(ls_kw_lookup("select", 6), LS_KW_SELECT);
    assert_int_equal(ls_kw_lookup("SeLeCt", 6), LS_KW_SELECT);
    assert_int_equal(ls_kw_lookup("current_timestamp", 17), LS_KW_CURRENT_TIMESTAMP);
    assert_int_equal(ls_kw_lookup("without", 7), LS_KW_WITHOUT);
    assert_int_equal(ls_kw_lookup("abort", 5), LS_KW_ABORT);
    assert_int_equal(ls_kw_lookup("selectx", 6), LS_KW_SELECT); /* only len bytes count */
}

static void test_ls_kw_lookup_non_keywords(void **state)
{
    (void)state;
    static const char *words[] = {
        "", "a", "selec", "selects", "rowid", "true", "false", "user", "current_timestampx",
        "s\xc3\xa9lect", "SELECT ", "oid", "strict", "returnin", "zzzzzz", "_select",
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        assert_int_equal(ls_kw_lookup(words[i], strlen(words[i])), LS_KW_NONE);
        assert_false(sqlite3_keyword_check(words[i], (int)strlen(words[i])));
    }
}

/* The tokenizer marks each keyword, in any case, as LS_TK_KEYWORD with its id. */
static void test_ls_kw_lookup_via_tokenizer(void **state)
{
    (void)state;
    for (int kw = 1; kw <= LS_KW_COUNT; kw++) {
        char lower[32];
        const char *name = ls_kw_name(kw);
        size_t n = strlen(name);
        for (size_t i = 0; i <= n; i++)
            lower[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
        ls_token t;
        assert_int_equal(ls_tok_next(lower, n, &t), n);
        assert_int_equal(t.type, LS_TK_KEYWORD);
        assert_int_equal(t.kw, kw);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ls_kw_lookup_matches_sqlite),
        cmocka_unit_test(test_ls_kw_name_all_known_to_sqlite),
        cmocka_unit_test(test_ls_kw_lookup_case_insensitive),
        cmocka_unit_test(test_ls_kw_lookup_non_keywords),
        cmocka_unit_test(test_ls_kw_lookup_via_tokenizer),
    };
    return cmocka_run_group_tests_name("keywords", tests, NULL, NULL);
}
