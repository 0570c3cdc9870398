/* SPDX-License-Identifier: MIT
 *
 * SQLite's JSON functions and operators (DIALECT F18-F20) as calls to the compat pack
 * (compat/sql/42_json.sql): json, json_valid, json_type, json_array_length, json_quote,
 * json_extract, json_object, json_array get each argument as liteshift.val(x), so the pack
 * sees SQLite's storage classes; X -> P and X ->> P become json_arrow / json_arrow2 calls
 * with SQLite's operand extents (the || tier: tighter than * and comparisons, looser than
 * unary operators and COLLATE, left to right).
 *
 * json_extract and ->> return a value whose storage class depends on the document, which a
 * PostgreSQL function cannot do.  The pack has three forms and the place of the call picks
 * one: a whole result column of the statement's own SELECT gets the jsonb form (_v, which
 * the shim reads back as INTEGER, REAL or TEXT per value), an argument of a compat function
 * that takes tagged values gets the tagged form (_t, not wrapped again), the argument of
 * typeof/quote/hex the jsonb form too (liteshift.val reads it), and everything else the
 * text form (comparisons with strings work; numbers are SQLite's text of them).
 */
#include <stdlib.h>
#include <string.h>

#include "rules.h"

#define COMPAT LS_COMPAT_SCHEMA "."
#define MAX_CHAIN 64

typedef enum jx {
    JX_TEXT,     /* plain text form */
    JX_TAGGED,   /* liteshift.val() text, read by another compat function */
    JX_TYPED,    /* jsonb carrying the SQL value (a result column, typeof/quote/hex) */
    JX_NUMERIC,  /* numeric: an operand of arithmetic, or compared with a number */
} jx;

/* The pack functions whose arguments are tagged values. */
static const char *const tagged_funcs[] = {
    "json", "json_valid", "json_type", "json_array_length", "json_quote", "json_extract",
    "json_object", "json_array", NULL,
};

static bool in_list(const char *name, const char *const *list)
{
    for (size_t k = 0; list[k]; k++)
        if (!strcmp(name, list[k]))
            return true;
    return false;
}

static bool in_list_ci(const rw_ctx *c, size_t i, const char *const *list)
{
    for (size_t k = 0; list[k]; k++)
        if (rw_is(c, i, list[k]))
            return true;
    return false;
}

static bool tier_op(const rw_ctx *c, size_t i)
{
    return rw_op(c, i, "||") || rw_op(c, i, "->") || rw_op(c, i, "->>");
}

/* True when token i names a function called at i + 1 (not a qualified name's tail). */
static bool is_call(const rw_ctx *c, size_t i)
{
    return i < c->n && c->t[i].t.type == LS_TK_ID && rw_op(c, i + 1, "(")
        && c->t[i + 1].match > 0 && !(i > 0 && rw_op(c, i - 1, "."));
}

/* [s, e) is exactly a json_extract(...) call. */
static bool extract_call(const rw_ctx *c, size_t s, size_t e)
{
    return is_call(c, s) && rw_is(c, s, "json_extract") && (size_t)c->t[s + 1].match + 1 == e;
}

/* [s, e) is exactly a || tier chain whose last operator is ->>. */
static bool arrow2_chain(const rw_ctx *c, size_t s, size_t e)
{
    size_t te = rw_term_end(c, s), last = 0;
    bool any = false;
    while (te < e && tier_op(c, te)) {
        last = te;
        any = true;
        size_t n = rw_term_end(c, te + 1);
        if (n <= te + 1)
            return false;
        te = n;
    }
    return any && te == e && rw_op(c, last, "->>");
}

/* Parentheses around [*s, *e) that are not a call's, removed. */
static void unwrap(const rw_ctx *c, size_t *s, size_t *e)
{
    while (*e >= *s + 2 && rw_op(c, *s, "(") && (size_t)c->t[*s].match == *e - 1) {
        (*s)++;
        (*e)--;
    }
}

/* See rules.h. */
bool rw_json_tagged(const rw_ctx *c, size_t s, size_t e)
{
    unwrap(c, &s, &e);
    return extract_call(c, s, e) || arrow2_chain(c, s, e);
}

/* The select list of the statement's own SELECT, when the statement is a plain query (no
 * UNION, INTERSECT or EXCEPT): [*a, *end).  False otherwise. */
static bool own_select_list(const rw_ctx *c, size_t *a, size_t *end)
{
    static const char *const stop[] = {"FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER",
                                       "LIMIT", NULL};
    size_t v = c->stmt_start;
    if (!(rw_kw(c, 0, LS_KW_SELECT) || rw_kw(c, 0, LS_KW_WITH)) || !rw_kw(c, v, LS_KW_SELECT)
        || c->t[v].depth != 0)
        return false;
    *a = v + 1;
    if (rw_kw(c, *a, LS_KW_DISTINCT) || rw_kw(c, *a, LS_KW_ALL))
        (*a)++;
    *end = c->n;
    for (size_t k = *a; k < c->n; k++) {
        if (c->t[k].depth != 0)
            continue;
        if (rw_kw(c, k, LS_KW_UNION) || rw_kw(c, k, LS_KW_INTERSECT) || rw_kw(c, k, LS_KW_EXCEPT))
            return false;
        if (*end == c->n && (rw_op(c, k, ";") || (c->t[k].t.type == LS_TK_KEYWORD
                                                  && in_list_ci(c, k, stop))))
            *end = k;
    }
    return true;
}

/* [s, e) is a whole item of the statement's own select list (alias aside), or of its GROUP
 * BY or ORDER BY (so that GROUP BY x matches SELECT x on PostgreSQL). */
static bool result_column(const rw_ctx *c, size_t s, size_t e)
{
    size_t a, end;
    if (s >= c->n || c->t[s].depth != 0 || !own_select_list(c, &a, &end) || s < a)
        return false;
    if (s < end) {
        if (e > end || (s != a && !rw_op(c, s - 1, ",")))
            return false;
        size_t f = e;
        if (rw_kw(c, f, LS_KW_AS))
            f += 2;
        else if (f < end && (rw_is_name(c, f) || c->t[f].t.type == LS_TK_STRING))
            f += 1;
        return f == end || rw_op(c, f, ",");
    }
    /* the clause the item is in: the nearest clause word before it at depth 0 */
    size_t k = s;
    while (k-- > end && !(c->t[k].depth == 0 && c->t[k].t.type == LS_TK_KEYWORD
                          && !rw_kw(c, k, LS_KW_ASC) && !rw_kw(c, k, LS_KW_DESC)
                          && !rw_kw(c, k, LS_KW_NULLS) && !rw_kw(c, k, LS_KW_FIRST)
                          && !rw_kw(c, k, LS_KW_LAST)))
        ;
    if (!(k > end && rw_kw(c, k, LS_KW_BY) && (rw_kw(c, k - 1, LS_KW_GROUP) || rw_kw(c, k - 1, LS_KW_ORDER))))
        return false;
    if (!(s == k + 1 || rw_op(c, s - 1, ",")))
        return false;
    return e >= c->n || rw_op(c, e, ",") || rw_op(c, e, ";") || rw_kw(c, e, LS_KW_ASC)
        || rw_kw(c, e, LS_KW_DESC) || rw_kw(c, e, LS_KW_NULLS) || rw_kw(c, e, LS_KW_HAVING)
        || rw_kw(c, e, LS_KW_ORDER) || rw_kw(c, e, LS_KW_LIMIT) || rw_kw(c, e, LS_KW_WINDOW);
}

static bool arith_op(const rw_ctx *c, size_t i)
{
    return rw_op(c, i, "+") || rw_op(c, i, "-") || rw_op(c, i, "*") || rw_op(c, i, "/")
        || rw_op(c, i, "%");
}

static bool cmp_op(const rw_ctx *c, size_t i)
{
    static const char *const ops[] = {"=", "==", "!=", "<>", "<", "<=", ">", ">=", NULL};
    for (size_t k = 0; ops[k]; k++)
        if (rw_op(c, i, ops[k]))
            return true;
    return false;
}

static bool number_token(const rw_ctx *c, size_t i)
{
    return i < c->n && (c->t[i].t.type == LS_TK_INTEGER || c->t[i].t.type == LS_TK_FLOAT);
}

/* [s, e) is an operand of + - * / %, or compared with a number literal (x > 5, 5 = x,
 * x BETWEEN 1 AND 9): the place where SQLite's numbers must stay numbers. */
static bool numeric_place(const rw_ctx *c, size_t s, size_t e)
{
    if (arith_op(c, e) || (s >= 2 && arith_op(c, s - 1) && rw_operand_end(c, s - 2)))
        return true;
    size_t n = e + 1;
    if (rw_op(c, n, "-") || rw_op(c, n, "+"))
        n++;
    if ((cmp_op(c, e) || rw_kw(c, e, LS_KW_BETWEEN)) && number_token(c, n))
        return true;
    return s >= 2 && cmp_op(c, s - 1) && number_token(c, s - 2);
}

/* Where the value of [s, e) goes. */
static jx json_context(const rw_ctx *c, size_t s, size_t e)
{
    while (s >= 1 && e < c->n && rw_op(c, s - 1, "(") && (size_t)c->t[s - 1].match == e
           && !(s >= 2 && is_call(c, s - 2))) {
        s--;   /* (x) goes where x would */
        e++;
    }
    /* the right operand of a JSON operator, or its whole left operand */
    if (s > 0 && (rw_op(c, s - 1, "->") || rw_op(c, s - 1, "->>")) && rw_term_end(c, s) == e)
        return JX_TAGGED;
    if ((rw_op(c, e, "->") || rw_op(c, e, "->>")) && rw_term_start(c, e - 1) == s
        && !(s > 0 && tier_op(c, s - 1)))
        return JX_TAGGED;
    /* an argument of a call */
    if (s > 0 && (rw_op(c, s - 1, "(") || rw_op(c, s - 1, ",")) && e < c->n
        && (rw_op(c, e, ")") || rw_op(c, e, ","))) {
        size_t open = s - 1;
        while (open > 0 && c->t[open].depth >= c->t[s].depth)
            open--;
        size_t close = (size_t)c->t[open].match;
        if (rw_op(c, open, "(") && c->t[open].depth < c->t[s].depth && open > 0
            && is_call(c, open - 1) && close >= e
            && (e == close || c->t[e].depth == c->t[s].depth)) {
            char name[32];
            size_t idx = 0;
            for (size_t k = open + 1; k < s; k++)
                if (c->t[k].depth == c->t[s].depth && rw_op(c, k, ","))
                    idx++;
            bool only = open + 1 == s && close == e;
            if (rw_name(c, open - 1, name, sizeof name)) {
                if (in_list(name, tagged_funcs))
                    return JX_TAGGED;
                if ((!strcmp(name, "printf") || !strcmp(name, "format")) && idx >= 1)
                    return JX_TAGGED;
                if ((!strcmp(name, "typeof") || !strcmp(name, "quote") || !strcmp(name, "hex"))
                    && only)
                    return JX_TYPED;
                if ((!strcmp(name, "sum") || !strcmp(name, "avg") || !strcmp(name, "total")
                     || !strcmp(name, "abs")) && only)
                    return JX_NUMERIC;
                if (!strcmp(name, "round") && idx == 0)
                    return JX_NUMERIC;
            }
        }
        return JX_TEXT;
    }
    if (numeric_place(c, s, e))
        return JX_NUMERIC;
    return result_column(c, s, e) ? JX_TYPED : JX_TEXT;
}

static const char *variant(rw_ctx *c, const char *fn, jx x)
{
    static const char *const suffix[] = {"", "_t", "_v", "_n"};
    return rw_printf(c, COMPAT "%s%s", fn, suffix[x]);
}

/* See rules.h. */
size_t rw_json_chain(rw_ctx *c, size_t i)
{
    if (i == 0)
        return 0;
    size_t start = rw_term_start(c, i - 1);
    size_t ops[MAX_CHAIN], ends[MAX_CHAIN], m = 0, e = i;
    bool json = false;
    while (m < MAX_CHAIN && tier_op(c, e)) {
        size_t te = rw_term_end(c, e + 1);
        if (te <= e + 1)
            break;
        json |= !rw_op(c, e, "||");
        ops[m] = e;
        ends[m++] = te;
        e = te;
    }
    if (!json)
        return 0;
    for (size_t k = 0; k < m; k++) {
        size_t o = ops[k], rs = o + 1, re = ends[k];
        if (rw_op(c, o, "||")) {
            if (k == 0)
                rw_concat_cast(c, start, o);   /* after -> or ->> the left side is text */
            rw_concat_cast(c, rs, re);
            continue;
        }
        const char *fn;
        if (rw_op(c, o, "->"))
            fn = COMPAT "json_arrow";
        else if (k + 1 < m)
            fn = rw_op(c, ops[k + 1], "||") ? COMPAT "json_arrow2" : COMPAT "json_arrow2_t";
        else
            fn = variant(c, "json_arrow2", json_context(c, start, re));
        bool wrap_left = k > 0 ? !rw_op(c, ops[k - 1], "->>") : !rw_json_tagged(c, start, o);
        bool wrap_right = !rw_json_tagged(c, rs, re);
        rw_pre(c, start, rw_printf(c, "%s(%s", fn, wrap_left ? COMPAT "val(" : ""), LS_R_JSON);
        if (wrap_left)
            rw_post(c, o - 1, ")", LS_R_JSON);
        rw_set(c, o, wrap_right ? ", " COMPAT "val(" : ", ", LS_R_JSON);
        rw_post(c, re - 1, wrap_right ? "))" : ")", LS_R_JSON);
    }
    bool concat = false;
    for (size_t k = 0; k < m; k++)
        concat |= rw_op(c, ops[k], "||");
    if (concat)
        rw_concat_group(c, start, e);
    return e;
}

/* One call of a pack function at i: its form, and its arguments as tagged values. */
static void json_call(rw_ctx *c, size_t i)
{
    char name[32];
    if (!rw_name(c, i, name, sizeof name) || !in_list(name, tagged_funcs))
        return;
    size_t open = i + 1, close = (size_t)c->t[open].match;
    if (!strcmp(name, "json_extract"))
        rw_set(c, i, variant(c, name, json_context(c, i, close + 1)), LS_R_JSON);
    else
        rw_set(c, i, rw_printf(c, COMPAT "%s", name), LS_R_JSON);
    size_t a = open + 1;
    while (a < close) {
        size_t ae = a;
        while (ae < close && !(rw_op(c, ae, ",") && c->t[ae].depth == c->t[a].depth)) {
            if ((rw_op(c, ae, "(") || rw_kw(c, ae, LS_KW_CASE)) && c->t[ae].match > (int)ae)
                ae = (size_t)c->t[ae].match;
            ae++;
        }
        if (ae > a && !rw_json_tagged(c, a, ae)) {
            rw_pre(c, a, COMPAT "val(", LS_R_JSON);
            rw_post(c, ae - 1, ")", LS_R_JSON);
        }
        a = ae + 1;
    }
}

/* See rules.h. */
void rw_json_calls(rw_ctx *c, size_t from, size_t to)
{
    for (size_t k = 0; k < c->n_calls; k++) {   /* calls: names followed by '(' */
        size_t i = c->calls[k];
        if (i >= from && i < to && is_call(c, i) && c->t[i].repl
            && !strncmp(c->t[i].repl, COMPAT "json", 14))
            json_call(c, i);
    }
}
