/* SPDX-License-Identifier: MIT
 *
 * Expression rules: operators (IS, ISNULL, unary +, IN (), x IN table, /, %, ||), function
 * renames and reshapes (ifnull, instr, group_concat, total, round, iif, likely, substr,
 * scalar max/min, compat functions), LIKE and GLOB, CAST types, NULLS FIRST/LAST and
 * 64-bit integer literals.  Date and time functions are in datetime.c.
 *
 * Each rule looks at one token and its neighbours and leaves edits; only the "late" rules
 * (scalar max/min) render ranges, after every local edit is in place.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "rules.h"

#define COMPAT LS_COMPAT_SCHEMA "."

/* Top-level commas of the call whose '(' is at open: fills args[] with argument start
 * indexes (args[k] .. next comma), returns the count (0 for f()). */
static size_t call_args(const rw_ctx *c, size_t open, size_t *args, size_t cap)
{
    size_t close = (size_t)c->t[open].match, n = 0;
    if (close == open + 1)
        return 0;
    size_t i = open + 1;
    if (n < cap)
        args[n] = i;
    n++;
    while (i < close) {
        if ((rw_op(c, i, "(") || rw_kw(c, i, LS_KW_CASE)) && c->t[i].match > (int)i) {
            i = (size_t)c->t[i].match + 1;
            continue;
        }
        if (rw_op(c, i, ",")) {
            if (n < cap)
                args[n] = i + 1;
            n++;
        }
        i++;
    }
    return n;
}

static bool is_int_literal(const rw_ctx *c, size_t i)
{
    return i < c->n && c->t[i].t.type == LS_TK_INTEGER;
}

static bool is_number(const rw_ctx *c, size_t i)
{
    return i < c->n && (c->t[i].t.type == LS_TK_INTEGER || c->t[i].t.type == LS_TK_FLOAT);
}

/* Value of a decimal integer literal token, false when hex or past 64 bits. */
static bool int_value(const rw_ctx *c, size_t i, long long *v)
{
    if (!is_int_literal(c, i))
        return false;
    const char *s = c->sql + c->t[i].t.off;
    size_t n = c->t[i].t.len;
    if (n > 18 || (n > 1 && (s[1] == 'x' || s[1] == 'X')))
        return false;
    long long x = 0;
    for (size_t k = 0; k < n; k++)
        x = x * 10 + (s[k] - '0');
    *v = x;
    return true;
}

/* ---------------------------------------------------------------------------------------
 * Operators
 * ------------------------------------------------------------------------------------- */

static void rule_is(rw_ctx *c, size_t i)
{
    /* DIALECT E2: IS / IS NOT between values; IS [NOT] NULL and IS [NOT] DISTINCT stay */
    size_t j = rw_kw(c, i + 1, LS_KW_NOT) ? i + 2 : i + 1;
    if (rw_kw(c, j, LS_KW_NULL) || rw_kw(c, j, LS_KW_DISTINCT) || rw_is(c, j, "TRUE")
        || rw_is(c, j, "FALSE"))
        return;
    if (j == i + 2) {
        rw_set(c, i, "IS DISTINCT FROM", LS_R_IS);
        rw_skip(c, i + 1, i + 2, LS_R_IS);
    } else {
        rw_set(c, i, "IS NOT DISTINCT FROM", LS_R_IS);
    }
}

static void rule_in(rw_ctx *c, size_t i)
{
    size_t open = i + 1;
    bool neg = i > 0 && rw_kw(c, i - 1, LS_KW_NOT);
    if (rw_op(c, open, "(") && c->t[open].match == (int)open + 1) {
        /* DIALECT S20: x IN () is false and x NOT IN () true, NULL x included, which is
         * what comparing with every element of an empty array gives */
        if (neg) {
            rw_set(c, i - 1, "<> ALL", LS_R_IN);
            rw_skip(c, i, i + 1, LS_R_IN);
        } else {
            rw_set(c, i, "= ANY", LS_R_IN);
        }
        rw_set(c, open, "('{}'", LS_R_IN);
        return;
    }
    if (open >= c->n)
        return;
    if (rw_is_name(c, open) || (c->t[open].t.type == LS_TK_KEYWORD && rw_op(c, open + 1, "."))) {
        /* DIALECT S21: x IN table (or schema.table, or a table-valued function) */
        size_t last = open;
        while (rw_op(c, last + 1, ".") && last + 2 < c->n)
            last += 2;
        if (rw_op(c, last + 1, "(") && c->t[last + 1].match > 0)
            last = (size_t)c->t[last + 1].match;
        const char *what = "*";
        if (!rw_op(c, last, ")") && c->schema && c->schema->table) {
            /* the table's one column by name: * would also bring the hidden rowid (T7) */
            char name[64];
            rw_name(c, last, name, sizeof name);
            const ls_rw_table *t = rw_lookup(c, last, name);
            for (size_t k = 0; t && k < t->n_cols; k++)
                if (!t->cols[k].hidden) {
                    rw_sb b = {0};
                    rw_sb_ident(&b, t->cols[k].name);
                    what = b.oom ? (c->oom = true, "*") : rw_strdup(c, b.p, b.len);
                    free(b.p);
                    break;
                }
        }
        rw_pre(c, open, rw_printf(c, "(SELECT %s FROM ", what), LS_R_IN);
        rw_post(c, last, ")", LS_R_IN);
    }
}

/* DIALECT E6: % converts both operands to INTEGER; a real literal operand is truncated. */
static void truncate_real(rw_ctx *c, size_t i)
{
    if (i >= c->n || c->t[i].t.type != LS_TK_FLOAT || c->t[i].repl)
        return;
    double v = strtod(c->sql + c->t[i].t.off, NULL);
    if (v > 9e18 || v < -9e18)
        return;
    rw_set(c, i, rw_printf(c, "%lld", (long long)v), LS_R_OPERATOR);
}

/* DIALECT E5: x / 0 and x % 0 are NULL in SQLite, an error in PostgreSQL. */
static void rule_divzero(rw_ctx *c, size_t i)
{
    if (i == 0 || !rw_operand_end(c, i - 1))
        return;
    if (rw_op(c, i, "%")) {
        if (i < 2 || !rw_op(c, i - 2, "."))
            truncate_real(c, i - 1);
        if (rw_concat_end(c, i + 1) == i + 2)
            truncate_real(c, i + 1);
    }
    size_t e = rw_concat_end(c, i + 1);
    if (e <= i + 1)
        return;
    long long v;
    if (e == i + 2 && ((int_value(c, i + 1, &v) && v != 0)
                       || (c->t[i + 1].t.type == LS_TK_FLOAT && !c->t[i + 1].repl
                           && strtod(c->sql + c->t[i + 1].t.off, NULL) != 0)
                       || (c->t[i + 1].repl && strcmp(c->t[i + 1].repl, "0"))))
        return;
    rw_pre(c, i + 1, "NULLIF(", LS_R_DIVZERO);
    rw_post(c, e - 1, ", 0)", LS_R_DIVZERO);
}

static bool arith(const rw_ctx *c, size_t i)
{
    return rw_op(c, i, "+") || rw_op(c, i, "-") || rw_op(c, i, "*")
        || rw_op(c, i, "<<") || rw_op(c, i, ">>") || rw_op(c, i, "&") || rw_op(c, i, "|");
}

/* DIALECT T2/T3: SQLite integer literals are 64-bit, PostgreSQL's int4 until they do not
 * fit, so 2147483647 + 1 overflows there (and 1 << 63 wraps at 32 bits).  A literal next to a
 * binary + - * << >> & | becomes bigint
 * unless its partner is a column (bigint already, by the DDL rules). */
static void rule_bigint(rw_ctx *c, size_t i)
{
    long long v = 0;
    const char *s = c->sql + c->t[i].t.off;
    bool hex = c->t[i].t.len > 2 && (s[1] == 'x' || s[1] == 'X');
    if (!hex && (!int_value(c, i, &v) || v > 2147483647LL))
        return;
    if (hex && c->t[i].t.len > 10)
        return;   /* past 32 bits PostgreSQL reads the decimal as bigint already */
    bool left_bin = i >= 2 && arith(c, i - 1) && rw_operand_end(c, i - 2);
    bool right_bin = arith(c, i + 1) && rw_operand_end(c, i);
    if (left_bin && (rw_op(c, i - 1, "<<") || rw_op(c, i - 1, ">>")))
        left_bin = false;   /* a shift count stays int4: PostgreSQL has bigint << int only */
    if (!left_bin && !right_bin)
        return;
    if (rw_op(c, i + 1, "||") || (i >= 1 && rw_op(c, i - 1, "||")))
        return;   /* an operand of || is text (rule_concat) */
    size_t other = left_bin ? i - 2 : i + 2;
    if (rw_is_name(c, other) && !rw_op(c, other + 1, "(") && !(left_bin && right_bin))
        return;
    if (i >= 1 && rw_op(c, i - 1, "-") && !left_bin) {
        rw_post(c, i, "::bigint", LS_R_BIGINT);   /* -(5::bigint) is still bigint */
        return;
    }
    rw_post(c, i, "::bigint", LS_R_BIGINT);
}

/* DIALECT E8: an operand [pos, e) of || as text: an integer literal quoted, a string or blob
 * literal as it is, anything else cast. */
void rw_concat_cast(rw_ctx *c, size_t pos, size_t e)
{
    if (e == pos + 1 && c->t[pos].t.type == LS_TK_INTEGER && !c->t[pos].repl
        && !c->t[pos].post) {
        rw_set(c, pos, rw_printf(c, "'%.*s'", (int)c->t[pos].t.len,
                                 c->sql + c->t[pos].t.off), LS_R_CONCAT);
    } else if (!(e == pos + 1 && (c->t[pos].t.type == LS_TK_STRING
                                  || (c->t[pos].t.type == LS_TK_BLOB
                                      && c->res->kind == LS_RW_DDL)))) {
        if (c->res->kind != LS_RW_DDL) {
            /* SQLite's text of the value: reals "%!.15g", blobs' bytes, booleans 1/0 (the
             * compat sqlite_str; a text is itself, inlined).  DDL keeps ::text, so that no
             * table or view depends on the pack. */
            rw_pre(c, pos, COMPAT "sqlite_str(", LS_R_CONCAT);
            rw_post(c, e - 1, ")", LS_R_CONCAT);
        } else if (e > pos + 1) {
            rw_pre(c, pos, "(", LS_R_CONCAT);
            rw_post(c, e - 1, ")::text", LS_R_CONCAT);
        } else {
            rw_post(c, pos, "::text", LS_R_CONCAT);
        }
    }
}

/* DIALECT E9: the || tier [start, end) binds tighter than * and + in SQLite, looser in
 * PostgreSQL: parenthesised when an arithmetic operator stands next to it. */
void rw_concat_group(rw_ctx *c, size_t start, size_t end)
{
    bool before = start >= 1 && (rw_op(c, start - 1, "*") || rw_op(c, start - 1, "/")
                                 || rw_op(c, start - 1, "%") || rw_op(c, start - 1, "+")
                                 || rw_op(c, start - 1, "-"));
    bool after = rw_op(c, end, "*") || rw_op(c, end, "/") || rw_op(c, end, "%")
              || rw_op(c, end, "+") || rw_op(c, end, "-");
    if ((before || after) && end > start) {
        rw_pre(c, start, "(", LS_R_CONCAT);
        rw_post(c, end - 1, ")", LS_R_CONCAT);
    }
}

/* DIALECT E8/E9: || turns numbers into text and binds tighter than * and +.  Handles the
 * chain whose first || is at i; returns the index after the chain. */
static size_t rule_concat(rw_ctx *c, size_t i)
{
    if (i == 0)
        return i + 1;
    size_t start = rw_term_start(c, i - 1);
    size_t pos = start, end = start;
    for (;;) {
        size_t e = pos == start ? i : rw_term_end(c, pos);
        if (e <= pos)
            break;
        rw_concat_cast(c, pos, e);
        end = e;
        if (!rw_op(c, e, "||"))
            break;
        pos = e + 1;
    }
    rw_concat_group(c, start, end);
    return end;
}

/* ---------------------------------------------------------------------------------------
 * LIKE and GLOB
 * ------------------------------------------------------------------------------------- */

static void rule_like(rw_ctx *c, size_t i)
{
    if (rw_op(c, i + 1, "(")) {
        /* like(pattern, x[, escape]): the function form, the compat function (PostgreSQL's
         * own like(text, text) takes the other order, is case-sensitive and escapes with \) */
        if (!(i && rw_op(c, i - 1, ".")))
            rw_set(c, i, COMPAT "like", LS_R_LIKE);
        return;
    }
    /* DIALECT E11: case-insensitive for ASCII only (ILIKE under the "C" collation folds
     * A-Z alone: 'é' LIKE 'É' is 0 as in SQLite, and a column's nondeterministic NOCASE
     * collation no longer refuses ILIKE), and no escape character by default */
    rw_set(c, i, "ILIKE", LS_R_LIKE);
    size_t e = rw_cmp_end(c, i + 1);
    rw_post(c, e - 1, rw_kw(c, e, LS_KW_ESCAPE) ? " COLLATE \"C\"" : " COLLATE \"C\" ESCAPE ''",
            LS_R_LIKE);
    /* DIALECT E12: a number on the left is compared as text */
    size_t left = i >= 1 && rw_kw(c, i - 1, LS_KW_NOT) ? i - 2 : i - 1;
    if (i >= 1 && is_number(c, left))
        rw_post(c, left, "::text", LS_R_LIKE);
    else if (i >= 1 && left < i && c->res->kind != LS_RW_DDL) {
        /* a column or call on the left: SQLite's text of its value whatever its class
         * (integers, reals as "%!.15g", blobs' bytes; a text is itself, the call inlined so
         * an index on the column still serves).  The whole left operand only: after '(',
         * ',' or a keyword (WHERE, AND, NOT...), never inside arithmetic or a view's DDL. */
        size_t ls = rw_term_start(c, left);
        bool whole = ls == 0 || rw_op(c, ls - 1, "(") || rw_op(c, ls - 1, ",")
                  || c->t[ls - 1].t.type == LS_TK_KEYWORD;
        bool plain = ls == left && (c->t[ls].t.type == LS_TK_STRING
                                    || c->t[ls].t.type == LS_TK_PARAM
                                    || rw_kw(c, ls, LS_KW_NULL));
        if (whole && !plain) {
            rw_pre(c, ls, COMPAT "sqlite_text(", LS_R_LIKE);
            rw_post(c, left, ")", LS_R_LIKE);
        }
    }
}

/* A GLOB pattern as a POSIX regular expression anchored at both ends, into b.  False when
 * the pattern has an unterminated [ (which SQLite never matches). */
static bool glob_to_regex(const char *s, size_t n, rw_sb *b)
{
    rw_sb_str(b, "'^");
    for (size_t p = 0; p < n; p++) {
        char ch = s[p];
        if (ch == '\'' && p + 1 < n && s[p + 1] == '\'') {
            rw_sb_str(b, "''");
            p++;
        } else if (ch == '*') {
            rw_sb_str(b, ".*");
        } else if (ch == '?') {
            rw_sb_str(b, ".");
        } else if (ch == '[') {
            size_t q = p + 1;
            rw_sb_str(b, "[");
            if (q < n && s[q] == '^') {
                rw_sb_str(b, "^");
                q++;
            }
            if (q < n && s[q] == ']') {
                rw_sb_str(b, "\\]");
                q++;
            }
            while (q < n && s[q] != ']') {
                if (s[q] == '\\' || s[q] == '[')
                    rw_sb_str(b, "\\");
                if (s[q] == '\'' && q + 1 < n)
                    rw_sb_str(b, "'"), q++;
                rw_sb_add(b, &s[q], 1);
                q++;
            }
            if (q >= n)
                return false;
            rw_sb_str(b, "]");
            p = q;
        } else {
            if (strchr(".^$+(){}|\\", ch))
                rw_sb_str(b, "\\");
            rw_sb_add(b, &ch, 1);
        }
    }
    rw_sb_str(b, "$'");
    return true;
}

static void rule_glob(rw_ctx *c, size_t i)
{
    if (rw_op(c, i + 1, "("))
        return;
    bool neg = i >= 1 && rw_kw(c, i - 1, LS_KW_NOT);
    size_t e = rw_cmp_end(c, i + 1);
    if (e == i + 2 && c->t[i + 1].t.type == LS_TK_STRING) {
        /* DIALECT E13: a literal pattern becomes an anchored, case-sensitive regex */
        rw_sb b = {0};
        bool ok = glob_to_regex(c->sql + c->t[i + 1].t.off + 1, c->t[i + 1].t.len - 2, &b);
        if (ok && !b.oom) {
            rw_set(c, i + 1, rw_strdup(c, b.p, b.len), LS_R_GLOB);
            rw_set(c, i, neg ? "!~" : "~", LS_R_GLOB);
            if (neg)
                rw_skip(c, i - 1, i, LS_R_GLOB);
            free(b.p);
            return;
        }
        free(b.p);
    }
    /* general case: the compat function, with SQLite's argument order glob(pattern, x) */
    size_t lend = neg ? i - 1 : i;
    if (lend == 0)
        return;
    size_t ls = rw_term_start(c, lend - 1);
    char *pat = rw_render(c, i + 1, e);
    rw_pre(c, ls, rw_printf(c, "%s" COMPAT "glob(%s, ", neg ? "NOT " : "", pat), LS_R_GLOB);
    rw_post(c, lend - 1, ")", LS_R_GLOB);
    rw_replace(c, lend, e, "", LS_R_GLOB);
}

/* ---------------------------------------------------------------------------------------
 * Functions
 * ------------------------------------------------------------------------------------- */

/* SQLite functions PostgreSQL lacks or answers differently: the compat schema has them
 * under the same name (DIALECT §10). */
static const char *const compat_funcs[] = {
    "printf", "format", "typeof", "hex", "unhex", "quote", "char", "unicode", "zeroblob",
    "randomblob", "random", "sqlite_version", "sqlite_source_id", "json_extract",
    "json_object", "json_array", "json_type", "json_valid", "json_group_array",
    "json_group_object", "json_array_length", "json_set", "json_insert", "json_replace",
    "json_remove", "json_patch", "json_quote", "json", "soundex", "glob", "like",
    "sqlite_compileoption_used", "sqlite_compileoption_get", "sign",
    /* DIALECT K3: the PRAGMAs' table-valued forms, FROM pragma_table_info('t') */
    "pragma_table_info", "pragma_table_xinfo", "pragma_index_list", "pragma_index_info",
    "pragma_index_xinfo", "pragma_foreign_key_list", "pragma_table_list",
    "pragma_database_list", "pragma_compile_options", NULL,
};

/* DIALECT F15: last_insert_rowid(), changes() and total_changes() read the connection's
 * state, which lives in the shim, not on the server.  Each becomes a trailing parameter
 * ($pg_count+1...; one per function however often it is called) that the backend binds with
 * the value sqlite3_last_insert_rowid()/changes64()/total_changes64() has when the statement
 * starts: no round trip, nothing spliced into the text.  A view or trigger cannot take
 * parameters: refused by name.  tests/cases/func.case fn-023..; both_conn_state. */
static void rule_conn_state(rw_ctx *c, size_t i, size_t close, int slot, const char *name)
{
    static const int codes[3] = {
        LS_HIDDEN_LAST_ROWID, LS_HIDDEN_CHANGES, LS_HIDDEN_TOTAL_CHANGES,
    };
    if (c->res->kind == LS_RW_DDL) {
        rw_fail(c, i, "%s() in a view, trigger or default is not supported on PostgreSQL", name);
        return;
    }
    if (!c->hidden[slot]) {
        int n = c->res->params.pg_count + c->n_hidden + 1;
        if (n > LS_PARAM_PG_MAX) {
            rw_fail(c, i, "too many SQL variables");
            return;
        }
        c->hidden[slot] = n;
        c->hidden_code[c->n_hidden++] = codes[slot];
    }
    rw_set(c, i, rw_printf(c, "$%d::int8", c->hidden[slot]), LS_R_PARAM);
    rw_skip(c, i + 1, close + 1, LS_R_PARAM);
}

/* A real literal is REAL in SQLite whatever its digits; PostgreSQL reads 1.0 as numeric,
 * which the compat functions must take for INTEGER when integral (a NUMERIC column's 42).
 * For the functions that answer by storage class, a real literal argument (with its sign)
 * is cast to float8: typeof(1.0) is 'real', hex(100.0) is the hex of '100.0'.  A lone
 * parameter argument is counted, to be typed by its bound value (D17). */
static void real_literal_args(rw_ctx *c, const char *name, size_t open)
{
    static const char *const by_class[] = {
        "typeof", "hex", "quote", "unicode", "char", "zeroblob", "randomblob", "printf",
        "format", "sign", "round", "abs", "instr", "trim", "ltrim", "rtrim", NULL,
    };
    size_t k = 0;
    while (by_class[k] && strcmp(by_class[k], name))
        k++;
    if (!by_class[k])
        return;
    size_t args[64], close = (size_t)c->t[open].match;
    size_t n = call_args(c, open, args, 64);
    for (size_t a = 0; a < n && n <= 64; a++) {
        size_t end = a + 1 < n ? args[a + 1] - 1 : close, f = args[a];
        if (f + 2 == end && (rw_op(c, f, "-") || rw_op(c, f, "+")))
            f++;
        if (f + 1 == end && c->t[f].t.type == LS_TK_FLOAT && !c->t[f].repl)
            rw_post(c, f, "::float8", LS_R_FUNC);
        /* D17: a lone parameter, typed by the value bound (rewrite.c, by_class_params) */
        int pg = c->t[args[a]].param;
        if (args[a] + 1 == end && c->t[args[a]].t.type == LS_TK_PARAM && pg >= 1
            && pg <= c->res->params.pg_count) {
            if (!c->class_uses)
                c->class_uses = calloc((size_t)c->res->params.pg_count + 1, sizeof(int));
            if (!c->class_uses) {
                c->oom = true;
                return;
            }
            c->class_uses[pg]++;
        }
    }
}

/* True when the tokens [from, to) are a comparison or a logical expression at their own
 * level (a = b, x IS NULL, NOT y, EXISTS (...)), or a lone integer literal (E4 compares it
 * with 0): a boolean on PostgreSQL.  Anything else may be a plain value. */
static bool looks_boolean(const rw_ctx *c, size_t from, size_t to)
{
    static const char *const ops[] = { "=", "==", "!=", "<>", "<", "<=", ">", ">=", NULL };
    static const int kws[] = {
        LS_KW_AND, LS_KW_OR, LS_KW_NOT, LS_KW_IS, LS_KW_IN, LS_KW_LIKE, LS_KW_GLOB,
        LS_KW_REGEXP, LS_KW_MATCH, LS_KW_BETWEEN, LS_KW_EXISTS, LS_KW_ISNULL, LS_KW_NOTNULL,
    };
    if (from >= to || to > c->n)
        return true;
    if (from + 1 == to && is_int_literal(c, from))
        return true;
    for (size_t k = from; k < to; k++) {
        if (c->t[k].depth != c->t[from].depth)
            continue;
        for (size_t o = 0; ops[o]; o++)
            if (rw_op(c, k, ops[o]))
                return true;
        for (size_t w = 0; w < sizeof kws / sizeof kws[0]; w++)
            if (rw_kw(c, k, kws[w]))
                return true;
    }
    return false;
}

static void rule_function(rw_ctx *c, size_t i)
{
    char name[32];
    size_t open = i + 1, close = (size_t)c->t[open].match;
    if (!rw_name(c, i, name, sizeof name) || c->t[i].t.type == LS_TK_QUOTED_ID)
        return;
    if (!rw_is_call(c, i) || (i > 0 && rw_kw(c, i - 1, LS_KW_AS)))
        return;   /* INSERT INTO hex(a), WITH char(x) AS (...), CAST(x AS char(10)): names */
    size_t args[4];
    size_t n = call_args(c, open, args, 4);
    const char *cls;
    static const char *const state_funcs[3] = { "last_insert_rowid", "changes", "total_changes" };
    for (int k = 0; k < 3; k++)
        if (!strcmp(name, state_funcs[k])) {
            if (n == 0)   /* with arguments: a table or CTE of that name, or an error */
                rule_conn_state(c, i, close, k, state_funcs[k]);
            return;
        }
    if (!strcmp(name, "ifnull") && n == 2) {
        rw_set(c, i, "coalesce", LS_R_FUNC);                       /* F1 */
    } else if (!strcmp(name, "instr") && n == 2) {
        /* F2: the compat instr, each argument by its storage class (val(): late); blobs
         * by bytes, numbers as SQLite's text; instr(?, x) typed by the bound value */
        rw_set(c, i, COMPAT "instr", LS_R_FUNC);
        real_literal_args(c, name, open);
    } else if ((!strcmp(name, "trim") || !strcmp(name, "ltrim") || !strcmp(name, "rtrim"))
               && (n == 1 || n == 2)) {
        /* numbers and blobs trimmed as SQLite's text of them (compat sqlite_trim...) */
        rw_set(c, i, rw_printf(c, COMPAT "sqlite_%s", name), LS_R_FUNC);
        real_literal_args(c, name, open);
    } else if (!strcmp(name, "group_concat") && (n == 1 || n == 2)) {
        size_t a = args[0];                                        /* F8 */
        if (rw_kw(c, a, LS_KW_DISTINCT))
            a++;
        size_t ae = n == 2 ? args[1] - 1 : close;
        rw_set(c, i, "string_agg", LS_R_FUNC);   /* the ::text cast: rw_late_rules */
        (void)a, (void)ae;
        if (n == 1)
            rw_pre(c, close, ", ','", LS_R_FUNC);
    } else if (!strcmp(name, "total") && n == 1) {
        rw_set(c, i, "coalesce(sum", LS_R_FUNC);                   /* F9 */
        if (rw_kw(c, args[0], LS_KW_DISTINCT)) {
            rw_post(c, close, "::float8, 0)", LS_R_FUNC);   /* distinct values, exact sum */
        } else {
            /* SQLite adds doubles: total(2^63-1, -2^63) is 0.0, not the exact -1.0; a text
             * or blob is read as a number (compat real_of).  The call goes after '(' so
             * that a CAST the schema rules add stays inside */
            rw_post(c, open, COMPAT "real_of(", LS_R_FUNC);
            rw_pre(c, close, ")", LS_R_FUNC);
            rw_post(c, close, ", 0)", LS_R_FUNC);
        }
    } else if (!strcmp(name, "round") && (n == 1 || n == 2)) {
        rw_set(c, i, COMPAT "sqlite_round", LS_R_FUNC);            /* F11; val(): late */
        real_literal_args(c, name, open);   /* round(?, 2): typed by the bound value */
    } else if (!strcmp(name, "iif") && n == 3) {
        rw_set(c, i, "CASE WHEN ", LS_R_FUNC);                     /* F14 */
        if (!looks_boolean(c, args[0], args[1] - 1)) {
            /* a bare value as the condition (iif(v, ...)): SQLite's truth of it */
            rw_pre(c, args[0], COMPAT "truth(", LS_R_FUNC);
            rw_pre(c, args[1] - 1, ")", LS_R_FUNC);
        }
        rw_skip(c, open, open + 1, LS_R_FUNC);
        rw_set(c, args[1] - 1, " THEN ", LS_R_FUNC);
        rw_set(c, args[2] - 1, " ELSE ", LS_R_FUNC);
        rw_set(c, close, " END", LS_R_FUNC);
    } else if (!strcmp(name, "abs") && n == 1) {
        /* SQLite's abs by storage class (compat abs): an integer stays one (abs(?) bound with
         * 1 is 1), a real keeps -0.0, a text or blob is read as a number.  abs of an integer
         * literal is PostgreSQL's own (the same integer, the same overflow error). */
        size_t f = args[0];
        if (rw_op(c, f, "-") || rw_op(c, f, "+"))
            f++;
        if (!(f + 1 == close && is_int_literal(c, f))) {
            rw_set(c, i, COMPAT "abs", LS_R_FUNC);
            real_literal_args(c, name, open);
        }
    } else if ((!strcmp(name, "likely") || !strcmp(name, "unlikely")) && n == 1) {
        rw_skip(c, i, i + 1, LS_R_FUNC);
    } else if (!strcmp(name, "likelihood") && n == 2) {
        rw_skip(c, i, i + 1, LS_R_FUNC);
        rw_skip(c, args[1] - 1, close, LS_R_FUNC);
    } else if ((!strcmp(name, "substr") || !strcmp(name, "substring")) && (n == 2 || n == 3)) {
        long long v, l;                                            /* F3 */
        bool plain = int_value(c, args[1], &v) && v > 0
                  && (n == 2 ? args[1] + 1 == close
                             : args[1] + 1 == args[2] - 1 && int_value(c, args[2], &l)
                                   && args[2] + 1 == close);
        if (!plain)
            rw_set(c, i, COMPAT "sqlite_substr", LS_R_FUNC);
    } else if (!strcmp(name, "length") && n == 1 && args[0] + 1 == close
               && is_int_literal(c, args[0])) {
        rw_set(c, args[0], rw_printf(c, "'%.*s'", (int)c->t[args[0]].t.len,
                                     c->sql + c->t[args[0]].t.off), LS_R_FUNC);  /* F4 */
    } else if (!strcmp(name, "typeof") && n == 1 && (cls = rw_class_ref(c, args[0], close))) {
        /* D2: a column declared without a type answers from its class column; a value
         * without one (written by another expression or client) keeps the old answer */
        rw_set(c, i, COMPAT "typeof", LS_R_FUNC);
        rw_pre(c, i, rw_printf(c, "CASE %s WHEN 1 THEN 'integer' WHEN 2 THEN 'real' WHEN 3 "
                               "THEN 'text' WHEN 4 THEN 'blob' ELSE ", cls), LS_R_TYPELESS);
        rw_post(c, close, " END", LS_R_TYPELESS);
    } else {
        for (size_t k = 0; compat_funcs[k]; k++)
            if (compat_funcs[k][0] == name[0] && !strcmp(name, compat_funcs[k])) {
                rw_set(c, i, rw_printf(c, COMPAT "%s", name), LS_R_FUNC);
                real_literal_args(c, name, open);
                return;
            }
    }
}

/* True when the AND at index i is the second half of "x BETWEEN lo AND hi", found by walking
 * back at the same parenthesis depth, pairing each BETWEEN with the nearest AND after it. */
static bool and_of_between(const rw_ctx *c, size_t i)
{
    int ands = 0;
    for (size_t k = i; k-- > 0;) {
        if (rw_op(c, k, ")") && c->t[k].match >= 0) {
            k = (size_t)c->t[k].match;
            continue;
        }
        if (rw_op(c, k, "(") || rw_op(c, k, ",") || rw_op(c, k, ";") || rw_kw(c, k, LS_KW_OR)
            || rw_kw(c, k, LS_KW_WHERE) || rw_kw(c, k, LS_KW_WHEN) || rw_kw(c, k, LS_KW_THEN)
            || rw_kw(c, k, LS_KW_ELSE) || rw_kw(c, k, LS_KW_HAVING) || rw_kw(c, k, LS_KW_ON)
            || rw_kw(c, k, LS_KW_SELECT) || rw_kw(c, k, LS_KW_CASE))
            return false;
        if (rw_kw(c, k, LS_KW_AND))
            ands++;
        else if (rw_kw(c, k, LS_KW_BETWEEN)) {
            if (ands == 0)
                return true;
            ands--;
        }
    }
    return false;
}

/* True when the WHEN at index w belongs to a simple CASE (CASE x WHEN 1 THEN ...), whose
 * WHEN operands are values compared with x, not truths. */
static bool when_of_simple_case(const rw_ctx *c, size_t w)
{
    for (size_t k = w; k-- > 0;) {
        if ((rw_op(c, k, ")") || rw_kw(c, k, LS_KW_END)) && c->t[k].match >= 0
            && (size_t)c->t[k].match < k) {
            k = (size_t)c->t[k].match;
            continue;
        }
        if (rw_op(c, k, "("))
            return false;
        if (rw_kw(c, k, LS_KW_CASE))
            return !rw_kw(c, k + 1, LS_KW_WHEN);
    }
    return false;
}

/* DIALECT E4: an integer literal where PostgreSQL wants a boolean (WHERE 0, CASE WHEN 1,
 * iif(1, ...), AND 2) is compared with 0.  Columns and expressions need the schema.  The upper
 * bound of BETWEEN (x BETWEEN 1 AND 2) is a value, not a truth. */
static void rule_truth(rw_ctx *c, size_t i)
{
    if (c->t[i].t.type != LS_TK_INTEGER || c->t[i].repl || c->t[i].post)
        return;
    if (i > 0 && rw_kw(c, i - 1, LS_KW_AND) && and_of_between(c, i - 1))
        return;
    if (i > 0 && rw_kw(c, i - 1, LS_KW_WHEN) && when_of_simple_case(c, i - 1))
        return;
    bool before = i > 0 && (rw_kw(c, i - 1, LS_KW_WHERE) || rw_kw(c, i - 1, LS_KW_WHEN)
                            || rw_kw(c, i - 1, LS_KW_HAVING) || rw_kw(c, i - 1, LS_KW_AND)
                            || rw_kw(c, i - 1, LS_KW_OR)
                            || (rw_kw(c, i - 1, LS_KW_NOT) && !(i > 1 && rw_kw(c, i - 2, LS_KW_IS)))
                            || (i > 1 && rw_op(c, i - 1, "(") && rw_is(c, i - 2, "iif")));
    bool after = i + 1 >= c->n || rw_kw(c, i + 1, LS_KW_THEN) || rw_kw(c, i + 1, LS_KW_AND)
              || rw_kw(c, i + 1, LS_KW_OR) || rw_op(c, i + 1, ")") || rw_op(c, i + 1, ",")
              || rw_kw(c, i + 1, LS_KW_GROUP) || rw_kw(c, i + 1, LS_KW_ORDER) || rw_kw(c, i + 1, LS_KW_LIMIT)
              || rw_kw(c, i + 1, LS_KW_UNION) || rw_kw(c, i + 1, LS_KW_EXCEPT)
              || rw_kw(c, i + 1, LS_KW_INTERSECT) || rw_kw(c, i + 1, LS_KW_WINDOW);
    if (rw_op(c, i + 1, ",") && !(i > 1 && rw_op(c, i - 1, "(") && rw_is(c, i - 2, "iif")))
        return;
    if (before && after)
        rw_set(c, i, rw_printf(c, "(%.*s <> 0)", (int)c->t[i].t.len, c->sql + c->t[i].t.off),
               LS_R_OPERATOR);
}

/* DIALECT E20: max(a, b, ...) and min(...) with several arguments are NULL when any
 * argument is; GREATEST/LEAST ignore NULLs.  Renders the arguments, so it runs last. */
static void rule_minmax(rw_ctx *c, size_t i)
{
    size_t open = i + 1, close = (size_t)c->t[open].match;
    size_t args[64];
    size_t n = call_args(c, open, args, 64);
    if (n < 2 || n > 64)
        return;
    bool is_max = rw_is(c, i, "max");
    rw_sb b = {0};
    rw_sb_str(&b, "CASE WHEN ");
    for (size_t k = 0; k < n; k++) {
        size_t e = k + 1 < n ? args[k + 1] - 1 : close;
        rw_sb_str(&b, k ? " OR (" : "(");
        rw_sb_str(&b, rw_render(c, args[k], e));
        rw_sb_str(&b, ") IS NULL");
    }
    rw_sb_str(&b, is_max ? " THEN NULL ELSE GREATEST(" : " THEN NULL ELSE LEAST(");
    if (b.oom) {
        c->oom = true;
        free(b.p);
        return;
    }
    rw_set(c, i, rw_strdup(c, b.p, b.len), LS_R_FUNC);
    rw_skip(c, open, open + 1, LS_R_FUNC);
    rw_post(c, close, " END", LS_R_FUNC);
    free(b.p);
}

/* CAST(x AS type): SQLite's type name by affinity to a PostgreSQL type (DIALECT T2, T10). */
static void rule_cast(rw_ctx *c, size_t i)
{
    size_t open = i + 1, close = (size_t)c->t[open].match, as = close;
    for (size_t k = close; k > open; k--)
        if (rw_kw(c, k, LS_KW_AS) && c->t[k].depth == c->t[open].depth + 1) {
            as = k;
            break;
        }
    if (as == close || as + 1 >= close)
        return;
    size_t t0 = as + 1;
    const ls_token *a = &c->t[t0].t, *z = &c->t[close - 1].t;
    ls_affinity aff = ls_ddl_affinity(c->sql + a->off, z->off + z->len - a->off);
    const char *pg = "numeric";
    switch (aff) {
    case LS_AFF_INTEGER:
        /* truncation toward zero, as SQLite does (PostgreSQL rounds): DIALECT E18 */
        rw_pre(c, i, "trunc(", LS_R_CAST);
        rw_post(c, close, ")::bigint", LS_R_CAST);
        break;
    case LS_AFF_REAL: pg = "double precision"; break;
    case LS_AFF_TEXT: pg = "text"; break;
    case LS_AFF_BLOB: pg = "bytea"; break;
    case LS_AFF_NUMERIC: pg = "numeric"; break;
    }
    rw_set(c, t0, pg, LS_R_CAST);
    rw_skip(c, t0 + 1, close, LS_R_CAST);
}

/* ---------------------------------------------------------------------------------------
 * ORDER BY: DIALECT E16, NULLs first ascending and last descending
 * ------------------------------------------------------------------------------------- */

static void rule_order_by(rw_ctx *c, size_t i)
{
    size_t j = i + 2;
    while (j < c->n) {
        size_t e = rw_expr_end(c, j);
        if (e == j)
            return;
        size_t last = e - 1;
        bool desc = false;
        if (rw_kw(c, e, LS_KW_ASC) || rw_kw(c, e, LS_KW_DESC)) {
            desc = rw_kw(c, e, LS_KW_DESC);
            last = e;
            e++;
        }
        if (rw_kw(c, e, LS_KW_NULLS)) {
            e += 2;
        } else {
            rw_post(c, last, desc ? " NULLS LAST" : " NULLS FIRST", LS_R_NULLS);
        }
        if (!rw_op(c, e, ","))
            return;
        j = e + 1;
    }
}

/* ---------------------------------------------------------------------------------------
 * Drivers
 * ------------------------------------------------------------------------------------- */

/* SQLite's catalog tables are views in the compat schema (compat/sql/50_master.sql):
 * sqlite_master, sqlite_schema, their temp variants and sqlite_sequence, bare or qualified
 * by main/temp. */
static void rule_catalog(rw_ctx *c, size_t i)
{
    static const char *const names[] = {
        "sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema",
        "sqlite_sequence", NULL,
    };
    char name[32];
    bool quoted = c->t[i].t.type == LS_TK_QUOTED_ID;
    /* the names are 13, 15 and 18 bytes long and hold no quote character */
    size_t len = c->t[i].t.len - (quoted ? 2 : 0);
    if (len != 13 && len != 15 && len != 18)
        return;
    if (quoted && !(i >= 1 && (rw_kw(c, i - 1, LS_KW_FROM) || rw_kw(c, i - 1, LS_KW_JOIN)
                               || rw_op(c, i - 1, "."))))
        return;   /* a quoted name elsewhere may be a column or a string (DIALECT L7) */
    if (!rw_name(c, i, name, sizeof name))
        return;
    for (size_t k = 0; names[k]; k++) {
        if (strcmp(name, names[k]))
            continue;
        /* temp.sqlite_master is the temp database's catalog, sqlite_temp_master */
        bool temp = i >= 2 && rw_op(c, i - 1, ".") && rw_kw(c, i - 2, LS_KW_TEMP) && k < 2;
        if (i >= 2 && rw_op(c, i - 1, ".") && (rw_is(c, i - 2, "main") || rw_kw(c, i - 2, LS_KW_TEMP)))
            rw_skip(c, i - 2, i, LS_R_FUNC);
        else if (i >= 1 && rw_op(c, i - 1, "."))
            return;   /* a column or another schema's object */
        rw_set(c, i, rw_printf(c, LS_COMPAT_SCHEMA ".%s", names[temp ? k + 2 : k]), LS_R_FUNC);
        return;
    }
}

/* The || / -> / ->> at i is the first operator of its chain (a || b -> c is one chain, left
 * to right; the rules handle a chain when they meet its first operator). */
static bool tier_start(const rw_ctx *c, size_t i)
{
    if (i == 0)
        return false;
    size_t s = rw_term_start(c, i - 1);
    return !(s > 0 && (rw_op(c, s - 1, "||") || rw_op(c, s - 1, "->") || rw_op(c, s - 1, "->>")));
}

void rw_expr_rules(rw_ctx *c, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < c->n; i++) {
        const rw_tok *t = &c->t[i];
        switch (t->t.type) {
        case LS_TK_KEYWORD:
            if (rw_kw(c, i, LS_KW_IS))
                rule_is(c, i);
            else if (rw_kw(c, i, LS_KW_ISNULL))
                rw_set(c, i, "IS NULL", LS_R_IS);
            else if (rw_kw(c, i, LS_KW_NOTNULL))
                rw_set(c, i, "IS NOT NULL", LS_R_IS);
            else if (rw_kw(c, i, LS_KW_NOT) && rw_kw(c, i + 1, LS_KW_NULL) && i > 0
                     && rw_operand_end(c, i - 1))
                rw_set(c, i, "IS NOT", LS_R_IS);               /* DIALECT E3 */
            else if (rw_kw(c, i, LS_KW_IN))
                rule_in(c, i);
            else if (rw_kw(c, i, LS_KW_LIKE))
                rule_like(c, i);
            else if (rw_kw(c, i, LS_KW_GLOB) && rw_op(c, i + 1, "(") && c->t[i + 1].match > 0
                     && (i == 0 || !rw_operand_end(c, i - 1)))
                rw_set(c, i, COMPAT "glob", LS_R_FUNC);   /* glob(pattern, text) */
            else if (rw_kw(c, i, LS_KW_GLOB))
                rule_glob(c, i);
            else if (rw_kw(c, i, LS_KW_CAST) && rw_op(c, i + 1, "("))
                rule_cast(c, i);
            else if (rw_kw(c, i, LS_KW_INDEXED) && rw_kw(c, i + 1, LS_KW_BY) && i + 2 < to)
                rw_skip(c, i, i + 3, LS_R_DROPPED);            /* DIALECT S35 */
            else if (rw_kw(c, i, LS_KW_NOT) && rw_kw(c, i + 1, LS_KW_INDEXED))
                rw_skip(c, i, i + 2, LS_R_DROPPED);
            else if (rw_kw(c, i, LS_KW_COLLATE) && i + 1 < to)
                rw_collate(c, i);
            else if (rw_kw(c, i, LS_KW_REGEXP))
                rw_fail(c, i, "REGEXP needs an application-defined function");
            else if (rw_kw(c, i, LS_KW_MATCH))
                rw_fail(c, i, "MATCH needs a virtual table (full-text search)");
            break;
        case LS_TK_ID:
            if (rw_op(c, i + 1, "(") && c->t[i + 1].match > 0)
                rule_function(c, i);
            else
                rule_catalog(c, i);
            break;
        case LS_TK_QUOTED_ID:
            rule_catalog(c, i);   /* FROM "sqlite_master" (Python's iterdump) */
            break;
        case LS_TK_INTEGER:
            rule_bigint(c, i);
            rule_truth(c, i);
            break;
        case LS_TK_OPERATOR:
            if (rw_op(c, i, "/") || rw_op(c, i, "%"))
                ;   /* rule_divzero below, once the divisor's own rewrites are in place */
            else if (rw_op(c, i, "||") || rw_op(c, i, "->") || rw_op(c, i, "->>")) {
                if (tier_start(c, i) && !rw_json_chain(c, i) && rw_op(c, i, "||"))
                    rule_concat(c, i);   /* a || tier with -> or ->> in it: json.c */
            }
            else if (rw_op(c, i, "+") && (i == 0 || !rw_operand_end(c, i - 1)))
                rw_skip(c, i, i + 1, LS_R_OPERATOR);           /* DIALECT E10 */
            break;
        default:
            break;
        }
    }
    /* The NULLIF around a divisor must enclose what the rules above did inside it
     * (x / CAST(y AS INTEGER) -> x / NULLIF(trunc(CAST(y AS numeric))::bigint, 0)): both
     * append to the divisor's last token, so the division guard comes last. */
    for (size_t i = from; i < to && i < c->n && (c->seen & RW_SEEN_DIV); i++)
        if (c->t[i].t.type == LS_TK_OPERATOR && (rw_op(c, i, "/") || rw_op(c, i, "%")))
            rule_divzero(c, i);
    rw_datetime_rules(c, from, to);
    /* NULLS FIRST/LAST after the last token of a sort key, outside what the rules above
     * wrapped around it (ORDER BY a / b, ORDER BY j ->> 'k') */
    for (size_t i = from; i + 1 < to && i + 1 < c->n && rw_seen(c, LS_KW_ORDER); i++)
        if (rw_kw(c, i, LS_KW_ORDER) && rw_kw(c, i + 1, LS_KW_BY))
            rule_order_by(c, i);
}

/* Casts around whole arguments, outermost so they wrap what other rules did inside. */
static void wrap_args(rw_ctx *c, size_t i)
{
    char name[16];
    size_t open = i + 1, close = (size_t)c->t[open].match, args[4];
    rw_name(c, i, name, sizeof name);
    size_t n = call_args(c, open, args, 4);
    if (!strcmp(name, "group_concat") && (n == 1 || n == 2)) {
        /* each value as SQLite's text of it: reals "%!.15g", blobs their bytes (compat) */
        size_t a = args[0] + (rw_kw(c, args[0], LS_KW_DISTINCT) ? 1 : 0);
        rw_pre(c, a, COMPAT "sqlite_str(", LS_R_FUNC);
        rw_post(c, (n == 2 ? args[1] - 1 : close) - 1, ")", LS_R_FUNC);
    } else if (!strcmp(name, "printf") || !strcmp(name, "format") || !strcmp(name, "char")) {
        /* the compat printf and char need each value's storage class: liteshift.val(x)
         * carries it (printf's format, its first argument, is text already) */
        size_t all[64];
        size_t m = call_args(c, open, all, 64);
        for (size_t k = name[0] == 'c' ? 0 : 1; k < m && m <= 64; k++) {
            if (rw_json_tagged(c, all[k], (k + 1 < m ? all[k + 1] - 1 : close)))
                continue;   /* json_extract_t / json_arrow2_t give a tagged value already */
            rw_pre(c, all[k], LS_COMPAT_SCHEMA ".val(", LS_R_FUNC);
            rw_post(c, (k + 1 < m ? all[k + 1] - 1 : close) - 1, ")", LS_R_FUNC);
        }
    } else if ((!strcmp(name, "instr") && n == 2)
               || ((!strcmp(name, "trim") || !strcmp(name, "ltrim") || !strcmp(name, "rtrim"))
                   && (n == 1 || n == 2))) {
        for (size_t k = 0; k < n; k++) {   /* the compat instr and trims: val(x) */
            size_t e = k + 1 < n ? args[k + 1] - 1 : close;
            if (rw_json_tagged(c, args[k], e))
                continue;
            rw_pre(c, args[k], LS_COMPAT_SCHEMA ".val(", LS_R_FUNC);
            rw_post(c, e - 1, ")", LS_R_FUNC);
        }
    } else if (!strcmp(name, "round") && (n == 1 || n == 2)) {
        /* SQLite's algorithm reads each argument by its storage class (compat sqlite_round) */
        rw_pre(c, args[0], LS_COMPAT_SCHEMA ".val(", LS_R_FUNC);
        rw_post(c, (n == 2 ? args[1] - 1 : close) - 1, ")", LS_R_FUNC);
        if (n == 2) {
            rw_pre(c, args[1], LS_COMPAT_SCHEMA ".val(", LS_R_FUNC);
            rw_post(c, close - 1, ")", LS_R_FUNC);
        }
    }
}

void rw_late_rules(rw_ctx *c, size_t from, size_t to)
{
    /* the three rules act on calls (c->calls: names followed by '(') */
    rw_json_calls(c, from, to);
    for (size_t k = 0; k < c->n_calls; k++) {
        size_t i = c->calls[k];
        if (i >= from && i < to && i < c->n
            && (rw_is(c, i, "group_concat") || rw_is(c, i, "round") || rw_is(c, i, "printf")
                || rw_is(c, i, "format") || rw_is(c, i, "char")
                || ((rw_is(c, i, "instr") || rw_is(c, i, "trim") || rw_is(c, i, "ltrim")
                     || rw_is(c, i, "rtrim"))
                    && c->t[i].repl && !strncmp(c->t[i].repl, COMPAT, strlen(COMPAT))))
            && !(rw_is(c, i, "char") && !(c->t[i].repl && !strcmp(c->t[i].repl, COMPAT "char")))
            && c->t[i + 1].match > 0 && !(i && rw_op(c, i - 1, ".")))
            wrap_args(c, i);
    }
    /* right to left, so an inner call is rendered before the call that contains it */
    for (size_t k = c->n_calls; k-- > 0;) {
        size_t i = c->calls[k];
        if (i >= from && i < to && i < c->n && (rw_is(c, i, "max") || rw_is(c, i, "min"))
            && c->t[i + 1].match > 0 && !(i && rw_op(c, i - 1, ".")))
            rule_minmax(c, i);
    }
}
