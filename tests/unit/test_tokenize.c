/* SPDX-License-Identifier: MIT
 *
 * Tests of rewriter/tokenize.c: SQLite 3.40's lexical rules, case by case.  Each table row is
 * an input and its expected tokens, written as <type code><text> (see type_code); the
 * expectations follow sqlite3GetToken and were checked against the sqlite3 3.40.1 library
 * where a difference is observable (error texts "unrecognized token: ..." show where SQLite
 * cuts an illegal token).
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

#include "rewriter.h"

typedef struct tok_case {
    const char *sql;
    const char *expect;
} tok_case;

static char type_code(ls_tok_type t)
{
    switch (t) {
    case LS_TK_SPACE: return '_';
    case LS_TK_COMMENT: return 'C';
    case LS_TK_ID: return 'I';
    case LS_TK_QUOTED_ID: return 'Q';
    case LS_TK_KEYWORD: return 'K';
    case LS_TK_STRING: return 'S';
    case LS_TK_BLOB: return 'B';
    case LS_TK_INTEGER: return 'N';
    case LS_TK_FLOAT: return 'F';
    case LS_TK_PARAM: return 'P';
    case LS_TK_OPERATOR: return 'O';
    case LS_TK_SEMI: return ';';
    case LS_TK_ILLEGAL: return '!';
    }
    return '?';
}

/* Tokens of sql[0..len) as "K<select> _< > N<1>". */
static void describe(const char *sql, size_t len, char *out, size_t cap)
{
    ls_tokens toks = { 0 };
    ls_err err = { 0 };
    assert_int_equal(ls_tok_scan(sql, len, &toks, &err), SQLITE_OK);
    size_t used = 0;
    out[0] = 0;
    for (size_t i = 0; i < toks.n; i++) {
        const ls_token *t = &toks.v[i];
        int w = snprintf(out + used, cap - used, "%s%c<%.*s>", i ? " " : "", type_code(t->type),
                         (int)t->len, sql + t->off);
        assert_true(w > 0 && (size_t)w < cap - used);
        used += (size_t)w;
    }
    ls_tokens_clear(&toks);
}

static void check_cases(const tok_case *cases, size_t n)
{
    char got[1024];
    for (size_t i = 0; i < n; i++) {
        describe(cases[i].sql, strlen(cases[i].sql), got, sizeof got);
        if (strcmp(got, cases[i].expect) != 0)
            fail_msg("input [%s]\n  expected %s\n  got      %s", cases[i].sql, cases[i].expect,
                     got);
    }
}

#define CHECK(table) check_cases(table, sizeof table / sizeof table[0])

static void test_ls_tok_next_words(void **state)
{
    (void)state;
    static const tok_case cases[] = {
        { "select 1", "K<select> _< > N<1>" },
        { "SeLeCt", "K<SeLeCt>" },
        { "abc1 _x a$b Y x xyz", "I<abc1> _< > I<_x> _< > I<a$b> _< > I<Y> _< > I<x> _< > I<xyz>" },
        { "select1 select_ from$", "I<select1> _< > I<select_> _< > I<from$>" },
        { "current_timestamp rowid true", "K<current_timestamp> _< > I<rowid> _< > I<true>" },
        { "\xc3\xa9t\xc3\xa9 a\xc3\xa9", "I<\xc3\xa9t\xc3\xa9> _< > I<a\xc3\xa9>" },
        { "\xef\xbb\xbfselect", "_<\xef\xbb\xbf> K<select>" },
        { "\xef" "a \xef\xbb", "I<\xef" "a> _< > I<\xef\xbb>" },
        { "from\xc3\xa9", "I<from\xc3\xa9>" },
    };
    CHECK(cases);
}

static void test_ls_tok_next_space_and_comments(void **state)
{
    (void)state;
    static const tok_case cases[] = {
        { " \t\n\f\r x", "_< \t\n\f\r > I<x>" },
        { " \v x", "_< \v > I<x>" },                 /* \v continues a space run */
        { "\vx", "!<\v> I<x>" },                      /* ...but cannot start one */
        { "-- x\nselect", "C<-- x> _<\n> K<select>" },
        { "--", "C<-->" },
        { "1--x", "N<1> C<--x>" },
        { "/* a */1", "C</* a */> N<1>" },
        { "/**/", "C</**/>" },
        { "/* unterminated", "C</* unterminated>" },
        { "/*/", "C</*/>" },
        { "/**", "C</**>" },
        { "/*", "O</> O<*>" },                        /* slash-star at the very end */
        { "1/ *2", "N<1> O</> _< > O<*> N<2>" },
        { "/* a ; b */;", "C</* a ; b */> ;<;>" },
    };
    CHECK(cases);
}

static void test_ls_tok_next_strings_and_quoted(void **state)
{
    (void)state;
    static const tok_case cases[] = {
        { "'it''s'", "S<'it''s'>" },
        { "''", "S<''>" },
        { "''''", "S<''''>" },
        { "'abc", "!<'abc>" },
        { "'a'b'", "S<'a'> I<b> !<'>" },
        { "'a;b'", "S<'a;b'>" },
        { "\"a\"\"b\"", "Q<\"a\"\"b\">" },
        { "\"abc", "!<\"abc>" },
        { "[a b]", "Q<[a b]>" },
        { "[a", "!<[a>" },
        { "[a]]", "Q<[a]> !<]>" },
        { "[a\"b]", "Q<[a\"b]>" },
        { "`a``b`", "Q<`a``b`>" },
        { "`a", "!<`a>" },
    };
    CHECK(cases);
}

static void test_ls_tok_next_blobs(void **state)
{
    (void)state;
    static const tok_case cases[] = {
        { "x'00ff'", "B<x'00ff'>" },
        { "X'AbCd'", "B<X'AbCd'>" },
        { "x''", "B<x''>" },
        { "x'0'", "!<x'0'>" },
        { "x'0g' 1", "!<x'0g'> _< > N<1>" },
        { "x'00", "!<x'00>" },
        { "x'0", "!<x'0>" },
        { "x'zz", "!<x'zz>" },
        { "xy'a'", "I<xy> S<'a'>" },
    };
    CHECK(cases);
}

static void test_ls_tok_next_numbers(void **state)
{
    (void)state;
    static const tok_case cases[] = {
        { "1 123", "N<1> _< > N<123>" },
        { "1.5 .5 1.", "F<1.5> _< > F<.5> _< > F<1.>" },
        { "1e5 1E+5 1e-5 1.e5 .5e3", "F<1e5> _< > F<1E+5> _< > F<1e-5> _< > F<1.e5> _< > F<.5e3>" },
        { "1e", "!<1e>" },
        { "1e+", "!<1e> O<+>" },
        { "1ex 12abc 1$", "!<1ex> _< > !<12abc> _< > !<1$>" },
        { "1.5e+3x", "!<1.5e+3x>" },
        { "1.x .5e", "!<1.x> _< > !<.5e>" },
        { "0x1F 0X1f", "N<0x1F> _< > N<0X1f>" },
        { "0x", "!<0x>" },
        { "0x1g", "N<0x1> I<g>" },           /* 3.40: a hex integer ends at its last digit */
        { "0x1.5", "N<0x1> F<.5>" },
        { "0x1$", "N<0x1> !<$>" },
        { "1..2", "F<1.> F<.2>" },
        { "a.b", "I<a> O<.> I<b>" },
        { "t.5", "I<t> F<.5>" },
    };
    CHECK(cases);
}

static void test_ls_tok_next_params(void **state)
{
    (void)state;
    static const tok_case cases[] = {
        { "? ?12 ?1a", "P<?> _< > P<?12> _< > P<?1> I<a>" },
        { ":a @a $a #a :1", "P<:a> _< > P<@a> _< > P<$a> _< > P<#a> _< > P<:1>" },
        { "$a::b", "P<$a::b>" },
        { ":a::b", "P<:a::b>" },
        { "$a(b)c", "P<$a(b)> I<c>" },
        { "$a(b c)", "!<$a(b> _< > I<c> O<)>" },
        { "$a(b", "!<$a(b>" },
        { "$a(;)", "P<$a(;)>" },
        { "$ : @ #", "!<$> _< > !<:> _< > !<@> _< > !<#>" },
        { "$::", "!<$::>" },
        { "$::a", "P<$::a>" },
        { "$a::", "P<$a::>" },
        { ":a:b", "P<:a> P<:b>" },
        { "$(x)", "!<$> O<(> I<x> O<)>" },
        { "@a\xc3\xa9$", "P<@a\xc3\xa9$>" },
        { "?::a", "P<?> !<:> P<:a>" },
    };
    CHECK(cases);
}

static void test_ls_tok_next_operators(void **state)
{
    (void)state;
    static const tok_case cases[] = {
        { "a||b", "I<a> O<||> I<b>" },
        { "a|b&c~d", "I<a> O<|> I<b> O<&> I<c> O<~> I<d>" },
        { "a->b->>c", "I<a> O<->> I<b> O<->>> I<c>" },
        { "a->>>b", "I<a> O<->>> O<>> I<b>" },
        { "a=b==c", "I<a> O<=> I<b> O<==> I<c>" },
        { "a!=b<>c", "I<a> O<!=> I<b> O<<>> I<c>" },
        { "a<=b>=c<<d>>e<f>g", "I<a> O<<=> I<b> O<>=> I<c> O<<<> I<d> O<>>> I<e> O<<> I<f> O<>> I<g>" },
        { "(a,b);", "O<(> I<a> O<,> I<b> O<)> ;<;>" },
        { "1+2-3*4/5%6", "N<1> O<+> N<2> O<-> N<3> O<*> N<4> O</> N<5> O<%> N<6>" },
        { "!a", "!<!> I<a>" },
        { "\\^{}]\x01\x7f", "!<\\> !<^> !<{> !<}> !<]> !<\x01> !<\x7f>" },
    };
    CHECK(cases);
}

/* Every token read stays inside len: inputs copied to exact-size heap blocks, so ASan
 * reports any read past the end. */
static void test_ls_tok_next_bounded(void **state)
{
    (void)state;
    static const char *inputs[] = {
        "'abc", "\"ab", "[ab", "`a", "x'0", "x'", "/*", "/* x *", "--", "0x", "0x1", "1e",
        "1e+", "1.", "?", "?1", "$a(", "$a(b", "$a::", ":", "->", "<", ">", "=", "!", "|",
        "\xef", "\xef\xbb", "abc", "select",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        size_t n = strlen(inputs[i]);
        for (size_t cut = 1; cut <= n; cut++) {
            char *copy = malloc(cut);
            assert_non_null(copy);
            memcpy(copy, inputs[i], cut);
            size_t pos = 0;
            while (pos < cut) {
                ls_token t;
                size_t step = ls_tok_next(copy + pos, cut - pos, &t);
                assert_true(step >= 1 && step <= cut - pos);
                assert_int_equal(t.len, step);
                pos += step;
            }
            free(copy);
        }
    }
}

static void test_ls_tok_next_nul_and_empty(void **state)
{
    (void)state;
    ls_token t;
    assert_int_equal(ls_tok_next("", 0, &t), 0);
    /* A NUL is one illegal byte; a string or comment stops before it, as SQLite's do. */
    assert_int_equal(ls_tok_next("\0a", 2, &t), 1);
    assert_int_equal(t.type, LS_TK_ILLEGAL);
    assert_int_equal(ls_tok_next("'a\0'", 4, &t), 2);
    assert_int_equal(t.type, LS_TK_ILLEGAL);
    assert_int_equal(ls_tok_next("-- a\0b", 6, &t), 4);
    assert_int_equal(t.type, LS_TK_COMMENT);
    assert_int_equal(ls_tok_next("/*\0*/", 5, &t), 1);
    assert_int_equal(t.type, LS_TK_OPERATOR);
}

static void test_ls_tok_scan_offsets(void **state)
{
    (void)state;
    const char *sql = "select a, 'x' from t;";
    ls_tokens toks = { 0 };
    ls_err err = { 0 };
    assert_int_equal(ls_tok_scan(sql, strlen(sql), &toks, &err), SQLITE_OK);
    size_t pos = 0;
    for (size_t i = 0; i < toks.n; i++) {
        assert_int_equal(toks.v[i].off, pos);
        pos += toks.v[i].len;
    }
    assert_int_equal(pos, strlen(sql));
    assert_int_equal(toks.v[0].kw, LS_KW_SELECT);
    assert_int_equal(toks.v[toks.n - 1].type, LS_TK_SEMI);
    /* Rescanning reuses the array. */
    assert_int_equal(ls_tok_scan("x", 1, &toks, &err), SQLITE_OK);
    assert_int_equal(toks.n, 1);
    assert_int_equal(ls_tok_scan("", 0, &toks, &err), SQLITE_OK);
    assert_int_equal(toks.n, 0);
    ls_tokens_clear(&toks);
    ls_tokens_clear(&toks);
    assert_null(toks.v);
}

static void test_ls_tok_scan_long_input(void **state)
{
    (void)state;
    size_t n = 100000;
    char *sql = malloc(n);
    assert_non_null(sql);
    for (size_t i = 0; i < n; i += 2) {
        sql[i] = 'a';
        sql[i + 1] = ' ';
    }
    ls_tokens toks = { 0 };
    assert_int_equal(ls_tok_scan(sql, n, &toks, NULL), SQLITE_OK);
    assert_int_equal(toks.n, n);
    ls_tokens_clear(&toks);
    free(sql);
}

static void test_ls_tok_text_is_case(void **state)
{
    (void)state;
    const char *sql = "SeLeCt x";
    ls_token t;
    ls_tok_next(sql, strlen(sql), &t);
    assert_true(ls_tok_text_is(sql, &t, "select"));
    assert_true(ls_tok_text_is(sql, &t, "SELECT"));
    assert_false(ls_tok_text_is(sql, &t, "selec"));
    assert_false(ls_tok_text_is(sql, &t, "selects"));
    assert_false(ls_tok_text_is(sql, &t, ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ls_tok_next_words),
        cmocka_unit_test(test_ls_tok_next_space_and_comments),
        cmocka_unit_test(test_ls_tok_next_strings_and_quoted),
        cmocka_unit_test(test_ls_tok_next_blobs),
        cmocka_unit_test(test_ls_tok_next_numbers),
        cmocka_unit_test(test_ls_tok_next_params),
        cmocka_unit_test(test_ls_tok_next_operators),
        cmocka_unit_test(test_ls_tok_next_bounded),
        cmocka_unit_test(test_ls_tok_next_nul_and_empty),
        cmocka_unit_test(test_ls_tok_scan_offsets),
        cmocka_unit_test(test_ls_tok_scan_long_input),
        cmocka_unit_test(test_ls_tok_text_is_case),
    };
    return cmocka_run_group_tests_name("tokenize", tests, NULL, NULL);
}
