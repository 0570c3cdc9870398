/* SPDX-License-Identifier: MIT
 *
 * D2: a column declared without a type keeps each value's storage class.  PostgreSQL stores
 * the value as text in the column and its class (1 INTEGER, 2 REAL, 3 TEXT, 4 BLOB) in the
 * smallint column "<name>:class" the DDL puts after it (ddl.c).  These rules fill the class
 * column wherever a statement writes the value column:
 *   INSERT ... VALUES      each row gets the class of each value written;
 *   INSERT ... SELECT      the class each select item gives (a typeless column's class
 *                          column, a literal's...; star.c, rw_class_of_item), NULL when
 *                          unknown (the value reads back as text), never the DEFAULT's;
 *   UPDATE ... SET x = v   and ON CONFLICT DO UPDATE SET x = v: "x:class" = class of v.
 * The class of a value is known for a literal, a parameter (a hidden parameter the backend
 * binds from the value bound: LS_HIDDEN_CLASS_OF), a typeless column of the table written
 * (its class column), excluded.x, CAST(v AS type) and a call of a function whose result has
 * one class (length, hex, datetime...: call_class); anything else gets NULL.
 * The parameter rules that share its operand scanning live here too: a blob compared with a
 * typeless column, and "? IS [NOT] NULL" (rw_param_null_rules), which PostgreSQL cannot type.
 */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* $n of the hidden parameter that carries the class of the value bound to the parameter
 * token at i, allocated on first use; 0 when none is left. */
static int class_param(rw_ctx *c, size_t i)
{
    int pg = c->t[i].param;
    if (pg <= 0 || pg > c->res->params.pg_count || !c->res->params.sqlite_of)
        return 0;
    int si = c->res->params.sqlite_of[pg];
    for (int k = 0; k < c->n_class; k++)
        if (c->class_si[k] == si)
            return c->class_pg[k];
    int n = c->res->params.pg_count + c->n_hidden + 1;
    if (c->n_class == RW_MAX_CLASS_PARAMS || n > LS_PARAM_PG_MAX)
        return 0;
    c->class_si[c->n_class] = si;
    c->class_pg[c->n_class++] = n;
    c->hidden_code[c->n_hidden++] = LS_HIDDEN_CLASS_OF(si);
    return n;
}

/* D2: the parameter token at i is the value written into a typeless column, or compared with
 * one, where a blob is its \x<hex> text: marked, and numbered once every rule has marked its
 * own (rw_class_params_finish), since a parameter used twice, as in "x = ?1 AND x = ?1",
 * may have only such uses (a hidden parameter for each then left ?1 itself unused, and the
 * server refused a parameter of no type). */
static void value_param(rw_ctx *c, size_t i)
{
    int pg = c->t[i].param;
    if (pg <= 0 || pg > c->res->params.pg_count || !c->res->params.sqlite_of)
        return;
    if (!c->value_tok && !(c->value_tok = calloc(c->n, sizeof(bool)))) {
        c->oom = true;
        return;
    }
    c->value_tok[i] = true;
}

/* See rules.h. */
void rw_class_params_finish(rw_ctx *c)
{
    if (!c->value_tok)
        return;
    for (size_t i = 0; i < c->n; i++) {
        if (!c->value_tok[i])
            continue;
        int pg = c->t[i].param, si = c->res->params.sqlite_of[pg], uses = 0, marked = 0;
        for (size_t k = 0; k < c->res->params.n_uses; k++)
            uses += c->res->params.uses[k].index == si;
        for (size_t k = i; k < c->n; k++)
            marked += c->value_tok[k] && c->t[k].param == pg;
        if (marked >= uses) {   /* its only uses: the backend sends a blob there as text */
            if (!c->blob_text
                && !(c->blob_text = calloc((size_t)c->res->params.pg_count + 1, sizeof(bool)))) {
                c->oom = true;
                return;
            }
            c->blob_text[pg] = true;
            for (size_t k = i; k < c->n; k++)
                if (c->t[k].param == pg)
                    c->value_tok[k] = false;
            continue;
        }
        int n = c->res->params.pg_count + c->n_hidden + 1;
        if (c->n_value == RW_MAX_CLASS_PARAMS || n > LS_PARAM_PG_MAX)
            return;
        int at = c->n_value++;
        c->value_si[at] = si;
        c->value_pg[at] = n;
        c->value_n[at] = marked;   /* uses of si no more (D17's count, rewrite.c) */
        c->hidden_code[c->n_hidden++] = LS_HIDDEN_VALUE_OF(si);
        for (size_t k = i; k < c->n; k++)
            if (c->value_tok[k] && c->t[k].param == pg) {
                c->value_tok[k] = false;
                rw_set(c, k, rw_printf(c, "$%d", n), LS_R_TYPELESS);
            }
    }
}

/* The class column of column name in t, as "qual"."name:class" (qual may be NULL), or NULL
 * when t has no such typeless column. */
static const char *class_column(rw_ctx *c, const ls_rw_table *t, const char *qual,
                                const char *name)
{
    for (size_t k = 0; t && k < t->n_cols; k++) {
        if (strcmp(t->cols[k].name, name) != 0 || t->cols[k].hidden)
            continue;
        if (!t->cols[k].has_class)
            return NULL;
        rw_sb b = {0};
        rw_sb_class_ref(&b, qual, name, false);
        const char *s = b.oom ? (c->oom = true, NULL) : rw_strdup(c, b.p, b.len);
        free(b.p);
        return s;
    }
    return NULL;
}

/* The class of CAST(... AS type) by the type's affinity, or NULL. */
static const char *cast_class(const rw_ctx *c, size_t open, size_t close)
{
    size_t as = close;
    for (size_t k = open + 1; k < close; k++)
        if (c->t[k].depth == c->t[open].depth + 1 && rw_kw(c, k, LS_KW_AS))
            as = k;
    if (as + 1 >= close)
        return NULL;
    const char *decl = c->sql + c->t[as + 1].t.off;
    size_t len = c->t[close - 1].t.off + c->t[close - 1].t.len - c->t[as + 1].t.off;
    switch (ls_ddl_affinity(decl, len)) {
    case LS_AFF_INTEGER: return "1";
    case LS_AFF_REAL: return "2";
    case LS_AFF_TEXT: return "3";
    case LS_AFF_BLOB: return "4";
    default: return NULL;   /* NUMERIC: integer or real after the value */
    }
}

/* The class of what SQLite's function fn returns whatever its arguments (NULL aside: a
 * NULL value's class is not read), or NULL when it depends on them. */
static const char *call_class(const char *fn)
{
    static const char *const fixed[][2] = {
        {"length", "1"}, {"octet_length", "1"}, {"instr", "1"}, {"unicode", "1"},
        {"random", "1"}, {"count", "1"}, {"changes", "1"}, {"total_changes", "1"},
        {"last_insert_rowid", "1"}, {"unixepoch", "1"}, {"sign", "1"},
        {"julianday", "2"}, {"total", "2"}, {"avg", "2"},
        {"hex", "3"}, {"lower", "3"}, {"upper", "3"}, {"trim", "3"}, {"ltrim", "3"},
        {"rtrim", "3"}, {"quote", "3"}, {"printf", "3"}, {"format", "3"}, {"char", "3"},
        {"replace", "3"}, {"datetime", "3"}, {"date", "3"}, {"time", "3"},
        {"strftime", "3"}, {"typeof", "3"}, {"group_concat", "3"}, {"string_agg", "3"},
        {"concat", "3"}, {"concat_ws", "3"}, {"sqlite_version", "3"},
        {"randomblob", "4"}, {"zeroblob", "4"}, {"unhex", "4"},
    };
    for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
        if (!strcmp(fixed[k][0], fn))
            return fixed[k][1];
    return NULL;
}

/* See rules.h: SQL text of the storage class of the value [a, b) written into a typeless
 * column.  t and qual: the table written and the name it goes by there (column references
 * resolve to it); upsert: excluded.x is the row proposed for insertion. */
const char *rw_value_class(rw_ctx *c, size_t a, size_t b, const ls_rw_table *t,
                           const char *qual, bool upsert)
{
    while (b > a + 1 && rw_op(c, a, "(") && c->t[a].match == (int)(b - 1))
        a++, b--;
    if (b == a + 2 && (rw_op(c, a, "-") || rw_op(c, a, "+"))
        && (c->t[a + 1].t.type == LS_TK_INTEGER || c->t[a + 1].t.type == LS_TK_FLOAT))
        a++;
    if (b == a + 1) {
        switch (c->t[a].t.type) {
        case LS_TK_INTEGER: return "1";
        case LS_TK_FLOAT: return "2";
        case LS_TK_STRING: return "3";
        case LS_TK_BLOB: return "4";
        case LS_TK_PARAM: {
            int n = class_param(c, a);
            if (n)
                value_param(c, a);
            return n ? rw_printf(c, "$%d", n) : "NULL";
        }
        case LS_TK_KEYWORD:
            if (rw_kw(c, a, LS_KW_NULL))
                return "NULL";
            if (rw_is(c, a, "TRUE") || rw_is(c, a, "FALSE"))
                return "1";
            if (rw_is(c, a, "CURRENT_TIMESTAMP") || rw_is(c, a, "CURRENT_DATE")
                || rw_is(c, a, "CURRENT_TIME"))
                return "3";
            break;
        default:
            break;
        }
        if (t && (rw_is_name(c, a) || c->t[a].t.type == LS_TK_KEYWORD)) {
            char name[64];
            const char *cc = rw_name(c, a, name, sizeof name)
                           ? class_column(c, t, upsert ? qual : NULL, name) : NULL;
            return cc ? cc : "NULL";
        }
        return "NULL";
    }
    if (b == a + 3 && t && rw_op(c, a + 1, ".") && rw_is_name(c, a + 2)) {
        char q[64], name[64];
        if (!rw_name(c, a, q, sizeof q) || !rw_name(c, a + 2, name, sizeof name))
            return "NULL";
        const char *cc = NULL;
        if (upsert && !strcmp(q, "excluded"))
            cc = class_column(c, t, "excluded", name);
        else if (qual && !strcmp(q, qual))
            cc = class_column(c, t, qual, name);
        return cc ? cc : "NULL";
    }
    if (rw_is_name(c, a) && rw_op(c, a + 1, "(") && c->t[a + 1].match == (int)(b - 1)) {
        char fn[32];
        const char *cc = rw_name(c, a, fn, sizeof fn) ? call_class(fn) : NULL;
        return cc ? cc : "NULL";
    }
    if (rw_kw(c, a, LS_KW_CAST) && rw_op(c, a + 1, "(") && c->t[a + 1].match == (int)(b - 1)) {
        const char *cc = cast_class(c, a + 1, b - 1);
        return cc ? cc : "NULL";
    }
    return "NULL";
}

/* See rules.h: after the values of each VALUES row, the classes of those written into
 * typeless columns, in the order of their columns (the column list got the class columns
 * in the same order: insert_rules). */
void rw_class_values(rw_ctx *c, const ls_rw_table *t, const size_t *colidx, size_t ncols,
                     size_t values)
{
    size_t i = values + 1;
    while (rw_op(c, i, "(") && c->t[i].match > 0) {
        size_t close = (size_t)c->t[i].match, k = i + 1, pos = 0;
        size_t from[256], to[256], nv = 0;
        while (k < close && nv < 256) {
            size_t e = rw_expr_end(c, k);
            if (e > close)
                e = close;
            from[nv] = k;
            to[nv++] = e;
            k = e + 1;
        }
        rw_sb b = {0};
        for (pos = 0; pos < ncols; pos++) {
            if (colidx[pos] >= t->n_cols || !t->cols[colidx[pos]].has_class)
                continue;
            rw_sb_str(&b, ", ");
            rw_sb_str(&b, pos < nv ? rw_value_class(c, from[pos], to[pos], NULL, NULL, false)
                                   : "NULL");
        }
        if (b.oom)
            c->oom = true;
        else if (b.p)
            rw_pre(c, close, rw_strdup(c, b.p, b.len), LS_R_TYPELESS);
        free(b.p);
        i = close + 1;
        if (!rw_op(c, i, ","))
            break;
        i++;
    }
}

/* A word that ends a select list at its own depth. */
static bool list_end(const rw_ctx *c, size_t k)
{
    return rw_kw(c, k, LS_KW_FROM) || rw_kw(c, k, LS_KW_WHERE) || rw_kw(c, k, LS_KW_GROUP)
        || rw_kw(c, k, LS_KW_HAVING) || rw_kw(c, k, LS_KW_ORDER) || rw_kw(c, k, LS_KW_LIMIT)
        || rw_kw(c, k, LS_KW_WINDOW) || rw_kw(c, k, LS_KW_UNION) || rw_kw(c, k, LS_KW_EXCEPT)
        || rw_kw(c, k, LS_KW_INTERSECT) || rw_kw(c, k, LS_KW_ON)
        || rw_kw(c, k, LS_KW_RETURNING);
}

/* See rules.h: INSERT ... SELECT: the classes of the values written into typeless columns
 * appended to the select list of every SELECT of [sel, end) at the depth of sel (each arm of
 * a compound), in the order of their columns (rw_class_of_item); a VALUES arm gets them
 * after each row (rw_class_values). */
void rw_class_select(rw_ctx *c, size_t sel, size_t end, const ls_rw_table *t,
                     const size_t *colidx, size_t ncols)
{
    int d = c->t[sel].depth;
    for (size_t k = sel; k < end && k < c->n; k++) {
        if (c->t[k].depth == d && rw_kw(c, k, LS_KW_VALUES)) {
            rw_class_values(c, t, colidx, ncols, k);   /* a VALUES arm of a compound */
            continue;
        }
        if (c->t[k].depth != d || !rw_kw(c, k, LS_KW_SELECT))
            continue;
        rw_sb b = {0};
        for (size_t p = 0; p < ncols; p++) {
            if (colidx[p] >= t->n_cols || !t->cols[colidx[p]].has_class)
                continue;
            rw_sb_str(&b, ", ");
            rw_sb_str(&b, rw_class_of_item(c, k, p));
        }
        size_t e = k + 1;
        while (e < end && !(c->t[e].depth == d && list_end(c, e)) && c->t[e].depth >= d)
            e++;
        if (b.oom)
            c->oom = true;
        else if (e < end && c->t[e].depth == d)
            rw_pre(c, e, rw_printf(c, "%s ", b.p), LS_R_TYPELESS);
        else
            rw_post(c, e - 1, rw_strdup(c, b.p, b.len), LS_R_TYPELESS);
        free(b.p);
        k = e;
    }
}

/* See rules.h: UPDATE ... SET and ON CONFLICT DO UPDATE SET: after each assignment to a
 * typeless column, its class column's.  A row assignment (a, b) = (...) sets NULL. */
void rw_class_set(rw_ctx *c, const ls_rw_table *t, const char *qual, size_t set, bool upsert)
{
    if (!t)
        return;
    bool any = false;
    for (size_t k = 0; k < t->n_cols && !any; k++)
        any = t->cols[k].has_class;
    if (!any)
        return;
    size_t i = set + 1;
    while (i < c->n) {
        size_t e = rw_expr_end(c, i);
        while (rw_op(c, e, "=") || rw_op(c, e, "=="))
            e = rw_expr_end(c, e + 1);
        if (!c->t[i].skip) {
            char name[64];
            if (rw_op(c, i, "(") && c->t[i].match > (int)i) {
                rw_sb b = {0};
                for (size_t k = i + 1; k < (size_t)c->t[i].match; k++) {
                    const char *cc = rw_name(c, k, name, sizeof name)
                                   ? class_column(c, t, NULL, name) : NULL;
                    if (cc) {
                        rw_sb_str(&b, ", ");
                        rw_sb_str(&b, cc);
                        rw_sb_str(&b, " = NULL");
                    }
                }
                if (b.oom)
                    c->oom = true;
                else if (b.p)
                    rw_post(c, e - 1, rw_strdup(c, b.p, b.len), LS_R_TYPELESS);
                free(b.p);
            } else if ((rw_op(c, i + 1, "=") || rw_op(c, i + 1, "=="))
                       && rw_name(c, i, name, sizeof name)) {
                const char *cc = class_column(c, t, NULL, name);
                if (cc) {
                    const char *v = rw_value_class(c, i + 2, e, t, qual, upsert);
                    rw_post(c, e - 1, rw_printf(c, ", %s = %s", cc, v), LS_R_TYPELESS);
                }
            }
        }
        if (!rw_op(c, e, ","))
            break;
        i = e + 1;
    }
}

/* A token that binds tighter than a comparison on the side of an operand (or makes the
 * name something else than a whole operand). */
static bool binds_tighter(const rw_ctx *c, size_t i)
{
    static const char *const ops[] = { "+", "-", "*", "/", "%", "||", "&", "|", "<<", ">>",
                                       "~", ".", "(", "->", "->>", NULL };
    if (i >= c->n)
        return false;
    for (size_t k = 0; ops[k]; k++)
        if (rw_op(c, i, ops[k]))
            return true;
    return rw_kw(c, i, LS_KW_COLLATE) || rw_kw(c, i, LS_KW_ESCAPE);
}

/* A numeric literal at [i, *end): an integer or real, with a sign. */
static bool numeric_literal(const rw_ctx *c, size_t i, size_t *end)
{
    size_t k = i + ((rw_op(c, i, "-") || rw_op(c, i, "+")) ? 1 : 0);
    if (k >= c->n || (c->t[k].t.type != LS_TK_INTEGER && c->t[k].t.type != LS_TK_FLOAT))
        return false;
    *end = k + 1;
    return true;
}

/* Is the name at i the target of a SET assignment (UPDATE, DO UPDATE), not a comparison?
 * The nearest word before it at its depth that starts a list or a condition tells. */
static bool assignment(const rw_ctx *c, size_t i)
{
    int d = c->t[i].depth;
    for (size_t k = i; k-- > 0;) {
        if (c->t[k].depth < d)
            return false;
        if (c->t[k].depth > d)
            continue;
        if (rw_kw(c, k, LS_KW_SET))
            return true;
        static const bool cond[LS_KW_END_] = {
            [LS_KW_WHERE] = true, [LS_KW_ON] = true, [LS_KW_HAVING] = true,
            [LS_KW_WHEN] = true, [LS_KW_THEN] = true, [LS_KW_ELSE] = true, [LS_KW_AND] = true,
            [LS_KW_OR] = true, [LS_KW_NOT] = true, [LS_KW_SELECT] = true, [LS_KW_CASE] = true,
            [LS_KW_RETURNING] = true, [LS_KW_FROM] = true, [LS_KW_VALUES] = true,
        };
        if (cond[c->t[k].t.kw])
            return false;
    }
    return false;
}

/* Is token i in a HAVING clause (where a class column outside an aggregate is refused)? */
static bool in_having(const rw_ctx *c, size_t i)
{
    int d = c->t[i].depth;
    for (size_t k = i; k-- > 0;) {
        if (c->t[k].depth < d) {
            d = c->t[k].depth;   /* out of a parenthesis: its clause decides */
            continue;
        }
        if (c->t[k].depth > d)
            continue;
        if (rw_kw(c, k, LS_KW_HAVING))
            return true;
        if (rw_kw(c, k, LS_KW_WHERE) || rw_kw(c, k, LS_KW_ON) || rw_kw(c, k, LS_KW_SELECT)
            || rw_kw(c, k, LS_KW_SET))
            return false;
    }
    return false;
}

/* The comparison operator at i, as PostgreSQL spells it, or NULL. */
static const char *cmp_op(const rw_ctx *c, size_t i)
{
    if (rw_op(c, i, "=") || rw_op(c, i, "=="))
        return "=";
    if (rw_op(c, i, "!=") || rw_op(c, i, "<>"))
        return "<>";
    static const char *const ops[] = { "<", "<=", ">", ">=", NULL };
    for (size_t k = 0; ops[k]; k++)
        if (rw_op(c, i, ops[k]))
            return ops[k];
    return NULL;
}

/* x = ? or x <> ? (or ? = x) where x is a typeless column: a blob bound there is compared
 * with the \x<hex> text a blob is kept as, so the parameter gets a hidden value parameter
 * of its own (value_param), which the backend sends as that text.  Whether it did. */
static bool blob_compare(rw_ctx *c, size_t i)
{
    size_t p, cf, ct;
    if (c->t[i + 1].t.type == LS_TK_PARAM && rw_is_name(c, i - 1)) {
        p = i + 1;
        ct = i;
        cf = rw_op(c, i - 2, ".") && i >= 3 ? i - 3 : i - 1;
        if ((cf > 0 && binds_tighter(c, cf - 1)) || binds_tighter(c, p + 1))
            return false;
    } else if (i > 0 && c->t[i - 1].t.type == LS_TK_PARAM && rw_is_name(c, i + 1)) {
        p = i - 1;
        cf = i + 1;
        ct = rw_op(c, i + 2, ".") && rw_is_name(c, i + 3) ? i + 4 : i + 2;
        if ((p > 0 && binds_tighter(c, p - 1)) || binds_tighter(c, ct))
            return false;
    } else {
        return false;
    }
    if ((p == i + 1 && assignment(c, cf)) || !rw_class_ref(c, cf, ct))
        return false;
    value_param(c, p);
    return true;
}

/* See rules.h: a typeless column compared with a number.  In SQLite a column without a type
 * applies no affinity, so the comparison follows the stored value's class: a number compares
 * as a number, and text or a blob is greater than any number.  PostgreSQL holds the value as
 * text ("operator does not exist: text = integer"), so the comparison becomes
 *   (CASE WHEN x IS NULL THEN NULL WHEN "x:class" = 1 THEN CAST(x AS numeric) op n
 *         WHEN "x:class" = 2 THEN CAST(x AS double precision) op n ELSE <text vs number> END)
 * (a value without a class is text).  Only x op n and n op x where x is a bare reference
 * rw_class_ref answers and n a numeric literal; an index on x is then not used. */
void rw_class_cmp_rules(rw_ctx *c)
{
    if (!c->schema || !c->schema->table)
        return;
    for (size_t i = c->stmt_start + 1; i + 1 < c->n; i++) {
        const char *op = cmp_op(c, i);
        if (!op)
            continue;
        size_t cf, ct, lf, lt, e;
        bool col_left;
        if ((!strcmp(op, "=") || !strcmp(op, "<>")) && blob_compare(c, i))
            continue;
        size_t a = rw_op(c, i - 2, ".") && i >= 3 ? i - 3 : i - 1;
        if (rw_is_name(c, i - 1) && numeric_literal(c, i + 1, &e)) {
            col_left = true;
            cf = a, ct = i, lf = i + 1, lt = e;
        } else if (numeric_literal(c, i - 1, &e) && e == i && rw_is_name(c, i + 1)) {
            col_left = false;
            /* a sign, not a - b = x (whose b binds tighter, below) */
            lf = i >= 2 && (rw_op(c, i - 2, "-") || rw_op(c, i - 2, "+"))
                 && !(i >= 3 && rw_operand_end(c, i - 3)) ? i - 2 : i - 1;
            lt = i;
            cf = i + 1;
            ct = rw_op(c, i + 2, ".") && rw_is_name(c, i + 3) ? i + 4 : i + 2;
        } else {
            continue;
        }
        size_t start = col_left ? cf : lf, end = col_left ? lt : ct;
        if (col_left && !strcmp(op, "=") && assignment(c, cf))
            continue;
        if ((start > 0 && binds_tighter(c, start - 1)) || binds_tighter(c, end)
            || c->t[start].depth != c->t[end - 1].depth)
            continue;
        const char *cls = rw_class_ref(c, cf, ct);
        if (!cls)
            continue;
        if (in_having(c, cf))   /* x is grouped there: its class column is not */
            cls = rw_printf(c, "min(%s)", cls);
        /* with the column on the left: text is greater than every number */
        const char *lop = op;
        if (!col_left)
            lop = !strcmp(op, "<") ? ">" : !strcmp(op, "<=") ? ">=" : !strcmp(op, ">") ? "<"
                : !strcmp(op, ">=") ? "<=" : op;
        bool text_result = !strcmp(lop, "<>") || !strcmp(lop, ">") || !strcmp(lop, ">=");
        const char *col = rw_render(c, cf, ct), *lit = rw_render(c, lf, lt);
        const char *num = col_left ? rw_printf(c, "CAST(%s AS numeric) %s %s", col, op, lit)
                                   : rw_printf(c, "%s %s CAST(%s AS numeric)", lit, op, col);
        const char *dbl = col_left
                        ? rw_printf(c, "CAST(%s AS double precision) %s %s", col, op, lit)
                        : rw_printf(c, "%s %s CAST(%s AS double precision)", lit, op, col);
        rw_replace(c, start, end,
                   rw_printf(c, "(CASE WHEN %s IS NULL THEN NULL WHEN %s = 1 THEN %s "
                                "WHEN %s = 2 THEN %s ELSE %s END)",
                             col, cls, num, cls, dbl, text_result ? "true" : "false"),
                   LS_R_TYPELESS);
        i = end - 1;
    }
}

/* Is [p, null] ("? IS [NOT] NULL") a whole operand of AND/OR/NOT, a select item, a WHEN...?
 * The comparison operators bind as tightly as IS in SQLite ("x = ? IS NULL" is
 * "(x = ?) IS NULL"), so only what surely binds looser may stand on either side. */
static bool null_test_alone(const rw_ctx *c, size_t p, size_t null)
{
    static const bool before[LS_KW_END_] = {
        [LS_KW_WHERE] = true, [LS_KW_AND] = true, [LS_KW_OR] = true, [LS_KW_NOT] = true,
        [LS_KW_WHEN] = true, [LS_KW_THEN] = true, [LS_KW_ELSE] = true, [LS_KW_SELECT] = true,
        [LS_KW_ON] = true, [LS_KW_HAVING] = true, [LS_KW_CASE] = true,
        [LS_KW_DISTINCT] = true, [LS_KW_ALL] = true, [LS_KW_RETURNING] = true,
    };
    static const bool after[LS_KW_END_] = {
        [LS_KW_AND] = true, [LS_KW_OR] = true, [LS_KW_THEN] = true, [LS_KW_ELSE] = true,
        [LS_KW_END] = true, [LS_KW_WHEN] = true, [LS_KW_FROM] = true, [LS_KW_WHERE] = true,
        [LS_KW_GROUP] = true, [LS_KW_ORDER] = true, [LS_KW_LIMIT] = true, [LS_KW_AS] = true,
        [LS_KW_HAVING] = true, [LS_KW_UNION] = true, [LS_KW_EXCEPT] = true,
        [LS_KW_INTERSECT] = true, [LS_KW_RETURNING] = true, [LS_KW_WINDOW] = true,
    };
    bool ok_before = p > 0 && (rw_op(c, p - 1, "(") || rw_op(c, p - 1, ",")
                               || (c->t[p - 1].t.type == LS_TK_KEYWORD && before[c->t[p - 1].t.kw]));
    size_t a = null + 1;
    bool ok_after = a >= c->n || rw_op(c, a, ")") || rw_op(c, a, ",") || rw_op(c, a, ";")
                  || (c->t[a].t.type == LS_TK_KEYWORD && after[c->t[a].t.kw]);
    /* BETWEEN x AND ? IS NULL: the AND is BETWEEN's */
    for (size_t k = p; ok_before && rw_kw(c, p - 1, LS_KW_AND) && k-- > 0;) {
        if (c->t[k].depth < c->t[p].depth || rw_kw(c, k, LS_KW_OR) || rw_kw(c, k, LS_KW_WHERE)
            || rw_kw(c, k, LS_KW_WHEN) || rw_kw(c, k, LS_KW_ON) || rw_kw(c, k, LS_KW_HAVING))
            break;
        if (c->t[k].depth == c->t[p].depth && rw_kw(c, k, LS_KW_BETWEEN))
            ok_before = false;
        if (c->t[k].depth == c->t[p].depth && k + 1 < p - 1 && rw_kw(c, k, LS_KW_AND))
            break;
    }
    return ok_before && ok_after;
}

/* See rules.h.  "? IS NULL" and "? IS NOT NULL": PostgreSQL cannot type a parameter from a
 * NULL test, and refuses the statement ("could not determine data type of parameter $1"),
 * even when another use of the same parameter types it (as in "(:v IS NULL OR y = :v)", the
 * usual optional filter).  The test becomes a hidden boolean parameter the backend binds
 * from the value bound (LS_HIDDEN_ISNULL_OF); a parameter left with no other use is
 * prepared as text (param_text, rewrite.c). */
void rw_param_null_rules(rw_ctx *c)
{
    for (size_t i = c->stmt_start; i + 2 < c->n; i++) {
        if (c->t[i].t.type != LS_TK_PARAM || c->t[i].repl || c->t[i].skip
            || !rw_kw(c, i + 1, LS_KW_IS))
            continue;
        bool not = rw_kw(c, i + 2, LS_KW_NOT);
        size_t null = i + 2 + (not ? 1 : 0);
        if (!rw_kw(c, null, LS_KW_NULL) || !null_test_alone(c, i, null))
            continue;
        int pg = c->t[i].param;
        if (pg <= 0 || pg > c->res->params.pg_count || !c->res->params.sqlite_of)
            continue;
        int si = c->res->params.sqlite_of[pg], at = -1;
        for (int k = 0; k < c->n_null; k++)
            if (c->null_si[k] == si)
                at = k;
        if (at < 0) {
            int n = c->res->params.pg_count + c->n_hidden + 1;
            if (c->n_null == RW_MAX_CLASS_PARAMS || n > LS_PARAM_PG_MAX)
                continue;
            at = c->n_null++;
            c->null_si[at] = si;
            c->null_pg[at] = n;
            c->null_n[at] = 0;
            c->hidden_code[c->n_hidden++] = LS_HIDDEN_ISNULL_OF(si);
        }
        c->null_n[at]++;
        rw_set(c, i, rw_printf(c, not ? "(NOT $%d::boolean)" : "($%d::boolean)", c->null_pg[at]),
               LS_R_PARAM);
        rw_skip(c, i + 1, null + 1, LS_R_PARAM);
        i = null;
    }
}
