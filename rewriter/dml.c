/* SPDX-License-Identifier: MIT
 *
 * Statement rules: transaction control (BEGIN modes, END, SAVEPOINT forms), VACUUM,
 * SELECT/INSERT/UPDATE/DELETE shapes (LIMIT a, b and negative limits, subqueries without
 * alias, main./temp. qualifiers, INSERT OR <algorithm>, REPLACE, RETURNING of the rowid,
 * last assignment wins in UPDATE, DELETE/UPDATE ... LIMIT) and the schema rules (rowid,
 * boolean columns compared or stored as 0/1).  Expression rules are in expr.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "rules.h"

#define MAX_SCOPE 16

typedef struct scope_tab {
    char name[64];         /* canonical table name */
    char alias[64];        /* canonical alias, or "" */
    const ls_rw_table *info;   /* from the schema callback, or NULL */
    unsigned from;         /* the FROM clause it was named in (tables joined share it) */
} scope_tab;

typedef struct scope {
    scope_tab t[MAX_SCOPE];
    size_t n;
} scope;

/* ---------------------------------------------------------------------------------------
 * Transactions
 * ------------------------------------------------------------------------------------- */

static void set_savepoint(rw_ctx *c, size_t i)
{
    char name[64];
    rw_name(c, i, name, sizeof name);
    snprintf(c->res->savepoint, sizeof c->res->savepoint, "%s", name);
}

static int txn(rw_ctx *c)
{
    ls_rw_result *r = c->res;
    size_t i = 1;
    r->readonly = true;
    c->rules |= LS_R_TXN;
    if (rw_kw(c, 0, LS_KW_BEGIN)) {
        r->kind = LS_RW_BEGIN;
        if (rw_kw(c, 1, LS_KW_IMMEDIATE))
            r->begin = LS_BEGIN_IMMEDIATE, i++;
        else if (rw_kw(c, 1, LS_KW_EXCLUSIVE))
            r->begin = LS_BEGIN_EXCLUSIVE, i++;
        else if (rw_kw(c, 1, LS_KW_DEFERRED))
            i++;
        if (rw_kw(c, i, LS_KW_TRANSACTION))
            i++;
        if (rw_is_name(c, i))
            i++;
        rw_set(c, 0, "BEGIN", 0);
    } else if (rw_kw(c, 0, LS_KW_END) || rw_kw(c, 0, LS_KW_COMMIT)) {
        r->kind = LS_RW_COMMIT;
        if (rw_kw(c, i, LS_KW_TRANSACTION))
            i++;
        if (rw_is_name(c, i))
            i++;
        rw_set(c, 0, "COMMIT", 0);
    } else if (rw_kw(c, 0, LS_KW_ROLLBACK)) {
        r->kind = LS_RW_ROLLBACK;
        if (rw_kw(c, i, LS_KW_TRANSACTION))
            i++;
        if (rw_is_name(c, i) && !rw_kw(c, i, LS_KW_TO))
            i++;
        if (rw_kw(c, i, LS_KW_TO)) {
            i++;
            if (rw_kw(c, i, LS_KW_SAVEPOINT))
                i++;
            if (i >= c->n)
                return rw_fail(c, i, "incomplete input: ROLLBACK TO needs a savepoint name");
            r->kind = LS_RW_ROLLBACK_TO;
            set_savepoint(c, i);
            rw_set(c, 0, rw_printf(c, "ROLLBACK TO SAVEPOINT %s", rw_ident(c, i)), 0);
            i++;
        } else {
            rw_set(c, 0, "ROLLBACK", 0);
        }
    } else if (rw_kw(c, 0, LS_KW_SAVEPOINT)) {
        if (c->n < 2)
            return rw_fail(c, 1, "incomplete input: SAVEPOINT needs a name");
        r->kind = LS_RW_SAVEPOINT;
        set_savepoint(c, 1);
        rw_set(c, 0, rw_printf(c, "SAVEPOINT %s", rw_ident(c, 1)), 0);
        i = 2;
    } else {   /* RELEASE [SAVEPOINT] name */
        if (rw_kw(c, 1, LS_KW_SAVEPOINT))
            i++;
        if (i >= c->n)
            return rw_fail(c, i, "incomplete input: RELEASE needs a savepoint name");
        r->kind = LS_RW_RELEASE;
        set_savepoint(c, i);
        rw_set(c, 0, rw_printf(c, "RELEASE SAVEPOINT %s", rw_ident(c, i)), 0);
        i++;
    }
    if (i < c->n)
        return rw_fail(c, i, "near \"%.*s\": syntax error", (int)c->t[i].t.len,
                       c->sql + c->t[i].t.off);
    rw_skip(c, 1, c->n, 0);
    return SQLITE_OK;
}

/* ---------------------------------------------------------------------------------------
 * Tables in scope
 * ------------------------------------------------------------------------------------- */

/* Table reference at i (schema.name [AS alias]); returns the index after it. */
static size_t add_table(rw_ctx *c, scope *s, size_t i, unsigned from)
{
    if (i >= c->n || (!rw_is_name(c, i) && c->t[i].t.type != LS_TK_KEYWORD))
        return i + 1;
    size_t last = i;
    while (rw_op(c, last + 1, ".") && last + 2 < c->n)
        last += 2;
    /* a table-valued function, except INSERT INTO t(columns) */
    if (rw_op(c, last + 1, "(") && !(i > 0 && rw_kw(c, i - 1, LS_KW_INTO)))
        return last + 1;
    if (s->n == MAX_SCOPE)
        return last + 1;
    scope_tab *t = &s->t[s->n++];
    memset(t, 0, sizeof *t);
    rw_name(c, last, t->name, sizeof t->name);
    size_t j = last + 1;
    if (rw_kw(c, j, LS_KW_AS))
        j++;
    if (rw_is_name(c, j))
        rw_name(c, j++, t->alias, sizeof t->alias);
    t->info = rw_lookup(c, last, t->name);
    t->from = from;
    return j;
}

/* The tables the statement names, subqueries included, each with the FROM clause it was
 * named in: a JOIN's table shares the clause of the last FROM at its depth. */
static void collect_tables(rw_ctx *c, scope *s)
{
    unsigned clauses = 0, at_depth[32] = { 0 };
    for (size_t i = 0; i < c->n; i++) {
        if (rw_kw(c, i, LS_KW_FROM) || rw_kw(c, i, LS_KW_JOIN) || rw_kw(c, i, LS_KW_INTO)
            || (rw_kw(c, i, LS_KW_UPDATE) && (i == c->stmt_start || rw_kw(c, i - 1, LS_KW_DO)))) {
            size_t j = i + 1;
            if (rw_kw(c, i, LS_KW_UPDATE) && rw_kw(c, j, LS_KW_OR))
                j += 2;
            if (rw_kw(c, i, LS_KW_UPDATE) && rw_kw(c, i - 1, LS_KW_DO))
                continue;
            unsigned d = c->t[i].depth < 32 ? (unsigned)c->t[i].depth : 31;
            unsigned from = ++clauses;
            if (rw_kw(c, i, LS_KW_JOIN) && at_depth[d])
                from = at_depth[d];
            else if (rw_kw(c, i, LS_KW_FROM))
                at_depth[d] = from;
            j = add_table(c, s, j, from);
            /* FROM a, b, c */
            while (rw_kw(c, i, LS_KW_FROM) && rw_op(c, j, ","))
                j = add_table(c, s, j + 1, from);
        }
    }
}

static const ls_rw_table *find_table(const scope *s, const char *qual, const char **name)
{
    for (size_t k = 0; k < s->n; k++) {
        if (!qual || !strcmp(s->t[k].alias, qual) || (!s->t[k].alias[0] && !strcmp(s->t[k].name, qual))) {
            if (name)
                *name = s->t[k].name;
            return s->t[k].info;
        }
    }
    return NULL;
}

static const ls_rw_column *find_column(const ls_rw_table *t, const char *col)
{
    for (size_t k = 0; t && k < t->n_cols; k++)
        if (!strcmp(t->cols[k].name, col))
            return &t->cols[k];
    return NULL;
}

/* The column word (rowid, _rowid_, oid) names in table t: a column of that name (a real
 * one, or the hidden rowid of DIALECT T7, which is called rowid), else its rowid alias;
 * NULL when t is not known or has neither. */
static const char *rowid_of(const ls_rw_table *t, const char *word)
{
    if (!t)
        return NULL;
    return find_column(t, word) ? word : t->rowid;
}

/* Whether every table in scope (the statement's, subqueries included: the scope is flat)
 * names word the same column, and no two of them are joined in one FROM clause (SQLite
 * then has no rowid: "no such column").  An unqualified rowid then rewrites to that name
 * wherever it stands, and PostgreSQL resolves it to the innermost table as SQLite does
 * (SELECT x FROM h WHERE rowid = (SELECT max(rowid) FROM h)). */
static bool same_rowid(const scope *s, const char *word)
{
    const char *first = s->n > 0 ? rowid_of(s->t[0].info, word) : NULL;
    for (size_t k = 1; first && k < s->n; k++) {
        const char *r = rowid_of(s->t[k].info, word);
        if (!r || strcmp(r, first))
            return false;
        for (size_t m = 0; m < k; m++)
            if (s->t[m].from == s->t[k].from)
                return false;
    }
    return first != NULL;
}

/* DIALECT T7: rowid, _rowid_ and oid name the INTEGER PRIMARY KEY column. */
static void rule_rowid(rw_ctx *c, const scope *s, size_t i)
{
    char qual[64] = "";
    bool qualified = i >= 2 && rw_op(c, i - 1, ".");
    if (qualified)
        rw_name(c, i - 2, qual, sizeof qual);
    const ls_rw_table *t = NULL;
    char name[16];
    rw_name(c, i, name, sizeof name);
    if (qualified) {
        t = find_table(s, qual, NULL);
    } else if (s->n == 1 || same_rowid(s, name)) {
        t = s->t[0].info;
    } else {
        rw_fail(c, i, "ambiguous rowid: qualify it with a table name");
        return;
    }
    if (t && find_column(t, name))
        return;   /* a real column named rowid */
    if (!t) {
        rw_fail(c, i, "rowid needs the table's schema");
        return;
    }
    if (!t->rowid) {
        rw_fail(c, i, "rowid of a table without INTEGER PRIMARY KEY is not supported");
        return;
    }
    rw_sb b = {0};
    rw_sb_ident(&b, t->rowid);
    if (!b.oom)
        rw_set(c, i, rw_strdup(c, b.p, b.len), LS_R_ROWID);
    free(b.p);
}

/* Booleans: a bool column compared with the literal 0 or 1 (col = 1, 1 <> col). */
static void rule_bool_cmp(rw_ctx *c, const scope *s, size_t op)
{
    size_t name = op - 1, lit = op + 1;
    if (!rw_is_name(c, name) || lit >= c->n || c->t[lit].t.type != LS_TK_INTEGER) {
        name = op + 1;
        lit = op - 1;
        if (!rw_is_name(c, name) || c->t[lit].t.type != LS_TK_INTEGER
            || rw_op(c, name + 1, ".") || rw_op(c, name + 1, "("))
            return;
    }
    char col[64], qual[64];
    rw_name(c, name, col, sizeof col);
    bool qualified = name >= 2 && rw_op(c, name - 1, ".");
    if (qualified)
        rw_name(c, name - 2, qual, sizeof qual);
    for (size_t k = 0; k < s->n; k++) {
        if (qualified && strcmp(s->t[k].alias, qual) && strcmp(s->t[k].name, qual))
            continue;
        const ls_rw_column *cd = find_column(s->t[k].info, col);
        if (cd && cd->is_bool && c->t[lit].t.len == 1) {
            char v = c->sql[c->t[lit].t.off];
            if (v == '0' || v == '1')
                rw_set(c, lit, v == '1' ? "true" : "false", LS_R_BOOL);
            return;
        }
    }
}

/* Is the ORDER BY term [j, e) a rowid (INTEGER PRIMARY KEY or hidden rowid) column of a
 * table in scope?  Such a column is never NULL. */
static bool term_is_rowid(rw_ctx *c, const scope *s, size_t j, size_t e)
{
    size_t name = e - 1;
    char qual[64] = "", col[64];
    if (e == j + 3 && rw_op(c, j + 1, "."))
        rw_name(c, j, qual, sizeof qual);
    else if (e != j + 1)
        return false;
    if (!rw_is_name(c, name) && c->t[name].t.type != LS_TK_ID)
        return false;
    rw_name(c, name, col, sizeof col);
    bool rowid_word = !strcmp(col, "rowid") || !strcmp(col, "_rowid_") || !strcmp(col, "oid");
    for (size_t k = 0; k < s->n; k++) {
        const ls_rw_table *t = s->t[k].info;
        if (!t || !t->rowid)
            continue;
        if (qual[0] && strcmp(s->t[k].alias, qual) && strcmp(s->t[k].name, qual))
            continue;
        if (rowid_word || !strcmp(t->rowid, col))
            return s->n == 1 || qual[0];
    }
    return false;
}

/* DIALECT E16 puts NULLS FIRST on ascending keys (SQLite's order).  A rowid column is never
 * NULL, and the clause would stop PostgreSQL from reading its primary key index in order:
 * drop it there. */
static void order_by_keys(rw_ctx *c, const scope *s)
{
    for (size_t i = c->stmt_start; i + 1 < c->n; i++) {
        if (!rw_kw(c, i, LS_KW_ORDER) || !rw_kw(c, i + 1, LS_KW_BY))
            continue;
        size_t j = i + 2;
        while (j < c->n) {
            size_t e = rw_expr_end(c, j);
            if (e == j)
                break;
            size_t last = e - 1, term_end = e;
            if (rw_kw(c, e, LS_KW_ASC) || rw_kw(c, e, LS_KW_DESC)) {
                last = e;
                e++;
            }
            const char *post = c->t[last].post;
            if (post && (!strcmp(post, " NULLS FIRST") || !strcmp(post, " NULLS LAST"))
                && term_is_rowid(c, s, j, term_end))
                c->t[last].post = NULL;
            if (rw_kw(c, e, LS_KW_NULLS))
                e += 2;
            if (!rw_op(c, e, ","))
                break;
            j = e + 1;
        }
    }
}

/* Booleans are 0/1 integers in SQLite: sum(), total() and avg() of a bool column count
 * the true ones.  PostgreSQL has no sum(boolean): the column is cast to integer there. */
static void bool_aggregates(rw_ctx *c, const scope *s)
{
    for (size_t q = 0; q < c->n_calls; q++) {   /* calls: names followed by '(' */
        size_t i = c->calls[q];
        if (i < c->stmt_start || i + 3 >= c->n
            || !(rw_is(c, i, "sum") || rw_is(c, i, "total") || rw_is(c, i, "avg"))
            || c->t[i + 1].match < 0)
            continue;
        size_t a = i + 2, b = (size_t)c->t[i + 1].match;
        if (rw_kw(c, a, LS_KW_DISTINCT))
            a++;
        char qual[64] = "", col[64];
        if (b == a + 3 && rw_op(c, a + 1, "."))
            rw_name(c, a, qual, sizeof qual);
        else if (b != a + 1)
            continue;
        if (!rw_is_name(c, b - 1))
            continue;
        rw_name(c, b - 1, col, sizeof col);
        for (size_t k = 0; k < s->n; k++) {
            if (qual[0] && strcmp(s->t[k].alias, qual) && strcmp(s->t[k].name, qual))
                continue;
            const ls_rw_column *cd = find_column(s->t[k].info, col);
            if (cd && cd->is_bool) {
                rw_pre(c, a, "CAST(", LS_R_BOOL);
                rw_post(c, b - 1, " AS integer)", LS_R_BOOL);
                break;
            }
        }
    }
}

static void schema_rules(rw_ctx *c, const scope *s)
{
    /* the ORDER BY, aggregate and comparison rules only act on columns of tables the schema
     * knows: without one in scope they would change nothing (rowid still needs checking) */
    bool known = false;
    for (size_t k = 0; k < s->n; k++)
        known |= s->t[k].info != NULL;
    if (known && rw_seen(c, LS_KW_ORDER))
        order_by_keys(c, s);
    if (known)
        bool_aggregates(c, s);
    for (size_t i = c->stmt_start; i < c->n; i++) {
        if (c->t[i].t.type == LS_TK_ID
            && (rw_is(c, i, "rowid") || rw_is(c, i, "_rowid_") || rw_is(c, i, "oid"))
            && !rw_op(c, i + 1, "(") && !rw_op(c, i + 1, "."))
            rule_rowid(c, s, i);
        else if (known && i > 0 && (rw_op(c, i, "=") || rw_op(c, i, "==") || rw_op(c, i, "!=")
                                    || rw_op(c, i, "<>")))
            rule_bool_cmp(c, s, i);
    }
}

/* ---------------------------------------------------------------------------------------
 * SELECT shapes
 * ------------------------------------------------------------------------------------- */

static bool negative_literal(const rw_ctx *c, size_t from, size_t to)
{
    return to == from + 2 && rw_op(c, from, "-") && c->t[from + 1].t.type == LS_TK_INTEGER
        && !(c->t[from + 1].t.len == 1 && c->sql[c->t[from + 1].t.off] == '0');
}

/* Negative LIMIT is no limit, negative OFFSET is 0 (DIALECT S16). */
static void fix_limit_value(rw_ctx *c, size_t from, size_t to, bool offset)
{
    if (negative_literal(c, from, to)) {
        rw_set(c, from, offset ? "0" : "ALL", LS_R_LIMIT);
        rw_skip(c, from + 1, to, LS_R_LIMIT);
    } else if (to == from + 1 && c->t[from].t.type == LS_TK_PARAM) {
        int p = c->t[from].param;
        rw_set(c, from, offset ? rw_printf(c, "GREATEST($%d::bigint, 0)", p)
                               : rw_printf(c, "CASE WHEN $%d::bigint < 0 THEN NULL "
                                              "ELSE $%d::bigint END", p, p), LS_R_LIMIT);
    }
}

static void rule_limit(rw_ctx *c, size_t i)
{
    size_t a = i + 1, ae = rw_expr_end(c, a);
    if (rw_op(c, ae, ",")) {
        /* DIALECT S15: LIMIT offset, count */
        size_t b = ae + 1, be = rw_expr_end(c, b);
        fix_limit_value(c, a, ae, true);
        fix_limit_value(c, b, be, false);
        char *ta = rw_render(c, a, ae), *tb = rw_render(c, b, be);
        rw_replace(c, a, ae, tb, LS_R_LIMIT);
        rw_set(c, ae, " OFFSET", LS_R_LIMIT);
        rw_replace(c, b, be, ta, LS_R_LIMIT);
        return;
    }
    fix_limit_value(c, a, ae, false);
    if (rw_kw(c, ae, LS_KW_OFFSET))
        fix_limit_value(c, ae + 1, rw_expr_end(c, ae + 1), true);
}

/* Is the '(' at i a subquery in a FROM clause (after FROM, JOIN, or a comma of one)? */
static bool from_subquery(const rw_ctx *c, size_t i)
{
    if (!(rw_kw(c, i + 1, LS_KW_SELECT) || rw_kw(c, i + 1, LS_KW_VALUES) || rw_kw(c, i + 1, LS_KW_WITH)))
        return false;
    if (i == 0)
        return false;
    if (rw_kw(c, i - 1, LS_KW_FROM) || rw_kw(c, i - 1, LS_KW_JOIN))
        return true;
    if (!rw_op(c, i - 1, ","))
        return false;
    for (size_t k = i - 1; k-- > 0;) {
        if (rw_op(c, k, ")") && c->t[k].match >= 0) {
            k = (size_t)c->t[k].match;
            continue;
        }
        if (c->t[k].depth < c->t[i].depth || rw_op(c, k, "("))
            return false;
        if (rw_kw(c, k, LS_KW_FROM))
            return true;
        if (rw_kw(c, k, LS_KW_SELECT) || rw_kw(c, k, LS_KW_WHERE) || rw_kw(c, k, LS_KW_SET)
            || rw_kw(c, k, LS_KW_VALUES) || rw_kw(c, k, LS_KW_BY))
            return false;
    }
    return false;
}

/* Whether token i names one of SQLite's own tables (sqlite_master, sqlite_sequence...). */
static bool catalog_name(const rw_ctx *c, size_t i)
{
    char name[32];
    return rw_name(c, i, name, sizeof name) && strncmp(name, "sqlite_", 7) == 0;
}

/* Token i begins a table reference: after FROM, JOIN, INTO, IN, UPDATE [OR x], or a comma of a
 * FROM list.  Elsewhere `main.x` is column x of a table called main, not a schema. */
static bool table_start(const rw_ctx *c, size_t i)
{
    if (i == 0)
        return false;
    if (rw_kw(c, i - 1, LS_KW_FROM) || rw_kw(c, i - 1, LS_KW_JOIN) || rw_kw(c, i - 1, LS_KW_INTO)
        || rw_kw(c, i - 1, LS_KW_IN)   /* x IN main.t */
        || rw_kw(c, i - 1, LS_KW_UPDATE) || (i >= 3 && rw_kw(c, i - 3, LS_KW_UPDATE)
                                             && rw_kw(c, i - 2, LS_KW_OR)))
        return true;
    /* FROM a [AS x], (SELECT ...) [AS] y, main.t: back over the list to its FROM */
    size_t k = i - 1;
    while (rw_op(c, k, ",") && k > 0) {
        k--;
        if (rw_is_name(c, k) && k > 0 && (rw_is_name(c, k - 1) || rw_op(c, k - 1, ")")
                                          || rw_kw(c, k - 1, LS_KW_AS)))
            k--;   /* an alias */
        if (rw_kw(c, k, LS_KW_AS) && k > 0)
            k--;
        if (rw_op(c, k, ")")) {
            if (c->t[k].match < 0)
                return false;
            k = (size_t)c->t[k].match;
        } else {
            if (!rw_is_name(c, k) && c->t[k].t.type != LS_TK_KEYWORD)
                return false;
            while (k >= 2 && rw_op(c, k - 1, ".") && rw_is_name(c, k - 2))
                k -= 2;
        }
        if (k == 0)
            return false;
        k--;
        if (rw_kw(c, k, LS_KW_FROM))
            return true;
    }
    return false;
}

static void select_rules(rw_ctx *c)
{
    for (size_t i = 0; i < c->n; i++) {
        if (rw_kw(c, i, LS_KW_LIMIT)) {
            rule_limit(c, i);
        } else if (rw_op(c, i, "(") && from_subquery(c, i)) {
            size_t m = (size_t)c->t[i].match;
            if (!rw_kw(c, m + 1, LS_KW_AS) && !rw_is_name(c, m + 1))   /* DIALECT S22 */
                rw_post(c, m, rw_printf(c, " AS \"subquery_%d\"", ++c->n_alias), LS_R_ALIAS);
        } else if (rw_is(c, i, "main") && rw_op(c, i + 1, ".") && i + 2 < c->n
                   && (i == 0 || !rw_op(c, i - 1, ".")) && rw_op(c, i + 3, ".")
                   && rw_is_name(c, i + 4) && !rw_op(c, i + 5, ".")) {
            rw_main_schema(c, i, LS_R_DROPPED);   /* main.t.col: a column of main.t */
        } else if ((rw_is(c, i, "main") || rw_kw(c, i, LS_KW_TEMP)) && rw_op(c, i + 1, ".")
                   && i + 2 < c->n && !rw_op(c, i + 3, ".") && (i == 0 || !rw_op(c, i - 1, "."))
                   && (!rw_op(c, i + 3, "(") || (i > 0 && rw_kw(c, i - 1, LS_KW_INTO)))
                   && !catalog_name(c, i + 2) && (!rw_is(c, i, "main") || table_start(c, i))) {
            /* DIALECT S33: main is the app's schema, temp is pg_temp (the catalog's
             * qualifier is rule_catalog's, rewriter/expr.c) */
            if (rw_is(c, i, "main"))
                rw_main_schema(c, i, LS_R_DROPPED);
            else
                rw_set(c, i, "pg_temp", LS_R_DROPPED);
        }
    }
}


/* ---------------------------------------------------------------------------------------
 * Result column names (DIALECT R1)
 * ------------------------------------------------------------------------------------- */

/* The text of token i as a name, case kept, quotes removed ('' "" `` doubled quotes
 * undone): malloc'd, NULL on OOM. */
static char *name_text(const rw_ctx *c, size_t i)
{
    const ls_token *t = &c->t[i].t;
    const char *s = c->sql + t->off;
    size_t n = t->len;
    char q = 0;
    if ((t->type == LS_TK_QUOTED_ID || t->type == LS_TK_STRING) && n >= 2) {
        q = s[0] == '[' ? ']' : s[0];
        s++;
        n -= 2;
    }
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t p = 0; p < n; p++) {
        if (q && q != ']' && s[p] == q && p + 1 < n && s[p + 1] == q)
            p++;
        out[k++] = s[p];
    }
    out[k] = '\0';
    return out;
}

static bool name_like(const rw_ctx *c, size_t i)
{
    if (rw_is_name(c, i))
        return true;
    /* keywords SQLite accepts as column names (t.key, SELECT key FROM ...) */
    return i < c->n && c->t[i].t.type == LS_TK_KEYWORD && !rw_operand_end(c, i)
        && !rw_kw(c, i, LS_KW_CASE) && !rw_kw(c, i, LS_KW_NOT) && !rw_kw(c, i, LS_KW_EXISTS)
        && !rw_kw(c, i, LS_KW_CAST) && !rw_kw(c, i, LS_KW_SELECT);
}

/* A column reference: name, t.name, s.t.name, or one of those in parentheses.  true/false
 * are values in SQLite, not columns. */
static bool bare_column(const rw_ctx *c, size_t a, size_t b)
{
    while (b - a >= 3 && rw_op(c, a, "(") && c->t[a].match == (int)(b - 1)) {
        a++;
        b--;
    }
    if (b - a == 1)
        return name_like(c, a) && !rw_is(c, a, "TRUE") && !rw_is(c, a, "FALSE");
    if (b - a == 3 || b - a == 5) {
        for (size_t k = a; k < b; k++)
            if ((k - a) % 2 ? !rw_op(c, k, ".") : !name_like(c, k))
                return false;
        return true;
    }
    return false;
}

/* SQLite's name of the select item [a, b): the alias, the server's (NULL) for a column,
 * or the expression's text as written.  *oom set on allocation failure. */
static char *item_name(const rw_ctx *c, size_t a, size_t b, bool *oom)
{
    char *name = NULL;
    if (b - a >= 3 && rw_kw(c, b - 2, LS_KW_AS)) {
        name = name_text(c, b - 1);
    } else if (b - a >= 2 && (rw_is_name(c, b - 1) || c->t[b - 1].t.type == LS_TK_STRING)
               && rw_operand_end(c, b - 2) && !rw_op(c, b - 2, ".")) {
        name = name_text(c, b - 1);   /* implicit alias: expr name */
    } else if (bare_column(c, a, b)) {
        return NULL;
    } else {
        const ls_token *ta = &c->t[a].t, *tb = &c->t[b - 1].t;
        size_t n = tb->off + tb->len - ta->off;
        name = malloc(n + 1);
        if (name) {
            memcpy(name, c->sql + ta->off, n);
            name[n] = '\0';
        }
    }
    if (!name)
        *oom = true;
    return name;
}

/* PostgreSQL names an unaliased CAST(x AS t) or x COLLATE c after the column x, and its
 * ORDER BY then takes x for that output column, where SQLite sorts by the column itself:
 * such an item [a, b) without an alias gets a neutral one. */
static bool implicit_name_is_column(const rw_ctx *c, size_t a, size_t b)
{
    if (b - a >= 3 && rw_kw(c, b - 2, LS_KW_AS))
        return false;
    if (b - a >= 2 && (rw_is_name(c, b - 1) || c->t[b - 1].t.type == LS_TK_STRING)
        && rw_operand_end(c, b - 2) && !rw_op(c, b - 2, "."))
        return false;   /* an alias without AS: CAST(x AS INTEGER) n */
    if (rw_kw(c, a, LS_KW_CAST) && rw_op(c, a + 1, "(")) {
        size_t k = a + 2;
        while (k < b && !rw_kw(c, k, LS_KW_AS))
            k++;
        return k < b && k > a + 2 && bare_column(c, a + 2, k);
    }
    for (size_t k = a + 1; k < b; k++)
        if (c->t[k].depth == c->t[a].depth && rw_kw(c, k, LS_KW_COLLATE))
            return bare_column(c, a, k);
    return false;
}

/* Fill res->col_names from the first select list, the SELECT at v. */
static void select_names(rw_ctx *c, size_t v)
{
    ls_rw_result *r = c->res;
    int d = c->t[v].depth;
    size_t a = v + 1;
    if (rw_kw(c, a, LS_KW_DISTINCT) || rw_kw(c, a, LS_KW_ALL))
        a++;
    size_t cap = 8, n = 0;
    char **names = malloc(cap * sizeof *names);
    if (!names) {
        c->oom = true;
        return;
    }
    static const bool stop[LS_KW_END_] = {
        [LS_KW_FROM] = true, [LS_KW_WHERE] = true, [LS_KW_GROUP] = true, [LS_KW_HAVING] = true,
        [LS_KW_WINDOW] = true, [LS_KW_ORDER] = true, [LS_KW_LIMIT] = true, [LS_KW_UNION] = true,
        [LS_KW_INTERSECT] = true, [LS_KW_EXCEPT] = true,
    };
    bool oom = false, bad = false;
    size_t k = a;
    for (;; k++) {
        bool end = k >= c->n || rw_op(c, k, ";");
        if (!end && c->t[k].depth == d && stop[c->t[k].t.kw])
            end = true;
        bool comma = !end && c->t[k].depth == d && rw_op(c, k, ",");
        if (!end && !comma)
            continue;
        if (k == a) {
            bad = true;   /* empty item: leave the names unknown */
            break;
        }
        if (n == cap) {
            char **nn = realloc(names, 2 * cap * sizeof *names);
            if (!nn) {
                oom = true;
                break;
            }
            names = nn;
            cap *= 2;
        }
        if (rw_op(c, k - 1, "*") && (k - 1 == a || rw_op(c, k - 2, "."))) {
            names[n++] = LS_RW_STAR;
        } else {
            names[n++] = item_name(c, a, k, &oom);
            if (names[n - 1] && implicit_name_is_column(c, a, k))
                rw_post(c, k - 1, " AS \"?column?\"", LS_R_ALIAS);
        }
        a = k + 1;
        if (end || oom)
            break;
    }
    if (oom || bad || n == 0) {
        if (oom)
            c->oom = true;
        for (size_t i = 0; i < n; i++)
            if (names[i] != LS_RW_STAR)
                free(names[i]);
        free(names);
        return;
    }
    r->col_names = names;
    r->n_col_names = n;
}

/* ---------------------------------------------------------------------------------------
 * INSERT, UPDATE, DELETE
 * ------------------------------------------------------------------------------------- */

/* The keyword kw (LS_KW_*) at or after i at the depth of i, or c->n. */
static size_t find_top(const rw_ctx *c, size_t i, int kw)
{
    int d = i < c->n ? c->t[i].depth : 0;
    for (size_t k = i; k < c->n; k++)
        if (c->t[k].depth == d && c->t[k].t.kw == kw)
            return k;
    return c->n;
}

/* ON CONFLICT ... DO UPDATE SET ... [WHERE ...], from set to end (RETURNING, or the end): a
 * bare column of the target table there is the existing row in SQLite; PostgreSQL finds it
 * ambiguous ("column reference is ambiguous", the excluded row has it too), so it is
 * qualified with the table's name or alias (token qual).  Assignment targets, qualified
 * names, calls and subqueries are left as they are. */
static void qualify_upsert(rw_ctx *c, const ls_rw_table *t, size_t qual, size_t set,
                           size_t end)
{
    int top = c->t[set].depth;
    bool in_list = true, target = true;  /* the next top-level name is an assignment's */
    const char *q = NULL;
    for (size_t k = set + 1; k < end && k < c->n; k++) {
        bool at_top = c->t[k].depth == top;
        if (at_top && rw_op(c, k, ",")) {
            target = in_list;
            continue;
        }
        if (at_top && rw_kw(c, k, LS_KW_WHERE)) {
            in_list = target = false;
            continue;
        }
        if (rw_op(c, k, "(") && c->t[k].match > (int)k) {
            bool sub = rw_kw(c, k + 1, LS_KW_SELECT) || rw_kw(c, k + 1, LS_KW_WITH) ||
                       rw_kw(c, k + 1, LS_KW_VALUES);
            if ((at_top && target) || sub) {  /* a (a, b) = ... target, or a subquery */
                k = (size_t)c->t[k].match;
                target = false;
            }
            continue;
        }
        /* a keyword may be a column's name too (last, key...): only a column's name counts */
        if (!rw_is_name(c, k) && c->t[k].t.type != LS_TK_KEYWORD)
            continue;
        if (at_top && target) {
            target = false;
            continue;
        }
        if (rw_op(c, k - 1, ".") || rw_op(c, k + 1, ".") || rw_op(c, k + 1, "(") ||
            rw_kw(c, k - 1, LS_KW_AS) || rw_kw(c, k - 1, LS_KW_COLLATE))
            continue;   /* qualified, a call, a CAST's type, a collation */
        char name[64];
        if (!rw_name(c, k, name, sizeof name))
            continue;
        bool column = false;
        for (size_t m = 0; m < t->n_cols && !column; m++)
            column = strcasecmp(t->cols[m].name, name) == 0;
        if (!column && t->rowid && c->t[k].t.type == LS_TK_ID &&
            (!strcmp(name, "rowid") || !strcmp(name, "_rowid_") || !strcmp(name, "oid"))) {
            /* the rowid rule (T7) names the key column in its place: the qualifier before */
            if (!q)
                q = rw_printf(c, "%s.", rw_ident(c, qual));
            if (q)
                rw_pre(c, k, q, LS_R_ONCONFLICT);
            continue;
        }
        for (size_t m = 0; column && m < t->n_cols; m++)
            if (strcasecmp(t->cols[m].name, name) == 0) {
                if (!q)
                    q = rw_printf(c, "%s.", rw_ident(c, qual));
                /* the name itself qualified: whatever wraps it (sqlite_str...) stays outside */
                const char *own = c->t[k].repl ? c->t[k].repl : rw_ident(c, k);
                const char *both = q && own ? rw_printf(c, "%s%s", q, own) : NULL;
                if (both)
                    rw_set(c, k, both, LS_R_ONCONFLICT);
                break;
            }
    }
}

/* OR <algorithm> after INSERT/UPDATE at i: which one, and skip it. */
static ls_rw_onerr or_clause(rw_ctx *c, size_t i)
{
    if (!rw_kw(c, i, LS_KW_OR))
        return LS_ONERR_ABORT;
    ls_rw_onerr e = LS_ONERR_ABORT;
    if (rw_kw(c, i + 1, LS_KW_IGNORE))
        e = LS_ONERR_IGNORE;
    else if (rw_kw(c, i + 1, LS_KW_REPLACE))
        e = LS_ONERR_REPLACE;
    else if (rw_kw(c, i + 1, LS_KW_FAIL))
        e = LS_ONERR_FAIL;
    else if (rw_kw(c, i + 1, LS_KW_ROLLBACK))
        e = LS_ONERR_ROLLBACK;
    rw_skip(c, i, i + 2, LS_R_ONCONFLICT);
    return e;
}

/* Last assignment wins (DIALECT S18): drop earlier SET items of the same column. */
static void dedup_set(rw_ctx *c, size_t set)
{
    size_t items[256], ends[256], n = 0;
    size_t i = set + 1;
    while (i < c->n && n < 256) {
        size_t e = rw_expr_end(c, i);
        while (rw_op(c, e, "=") || rw_op(c, e, "=="))
            e = rw_expr_end(c, e + 1);
        items[n] = i;
        ends[n++] = e;
        if (!rw_op(c, e, ","))
            break;
        i = e + 1;
    }
    for (size_t a = 0; a < n; a++) {
        if (!rw_is_name(c, items[a]) && c->t[items[a]].t.type != LS_TK_KEYWORD)
            continue;
        if (!rw_op(c, items[a] + 1, "=") && !rw_op(c, items[a] + 1, "=="))
            continue;
        char na[64], nb[64];
        bool have_na = false;
        const ls_token *ta = &c->t[items[a]].t;
        for (size_t b = a + 1; b < n; b++) {
            if (!rw_op(c, items[b] + 1, "=") && !rw_op(c, items[b] + 1, "=="))
                continue;
            const ls_token *tb = &c->t[items[b]].t;
            bool same;
            if (ta->type != LS_TK_QUOTED_ID && tb->type != LS_TK_QUOTED_ID) {
                /* what comparing their rw_name texts (63 bytes at most) answers, uncopied */
                size_t la = ta->len < 63 ? ta->len : 63, lb = tb->len < 63 ? tb->len : 63;
                same = la == lb && ls_text_ieq(c->sql + ta->off, c->sql + tb->off, la);
            } else {
                if (!have_na)
                    rw_name(c, items[a], na, sizeof na);
                have_na = true;
                rw_name(c, items[b], nb, sizeof nb);
                same = !strcmp(na, nb);
            }
            if (same) {
                rw_skip(c, items[a], ends[a] + 1, LS_R_UPDATE_SET);   /* item and its comma */
                break;
            }
        }
    }
}

/* D2: ", \"a:class\", \"b:class\"": the class columns of the typeless columns among the
 * columns written, in their order (rw_class_values gives the values in the same order). */
static void class_names(rw_sb *b, const ls_rw_table *t, const size_t *colidx, size_t ncols)
{
    for (size_t p = 0; p < ncols; p++) {
        if (colidx[p] >= t->n_cols || !t->cols[colidx[p]].has_class)
            continue;
        rw_sb_str(b, ", ");
        rw_sb_class_ref(b, NULL, t->cols[colidx[p]].name, false);
    }
}

/* Bool columns of an INSERT's VALUES rows: literal 0/1 become false/true. */
static void insert_bools(rw_ctx *c, const ls_rw_table *t, const size_t *colidx, size_t ncols,
                         size_t values)
{
    size_t i = values + 1;
    while (rw_op(c, i, "(") && c->t[i].match > 0) {
        size_t close = (size_t)c->t[i].match, k = i + 1, pos = 0;
        while (k < close) {
            size_t e = rw_expr_end(c, k);
            if (e == k + 1 && pos < ncols && colidx[pos] < t->n_cols
                && t->cols[colidx[pos]].is_bool && c->t[k].t.type == LS_TK_INTEGER
                && c->t[k].t.len == 1 && (c->sql[c->t[k].t.off] == '0'
                                          || c->sql[c->t[k].t.off] == '1'))
                rw_set(c, k, c->sql[c->t[k].t.off] == '1' ? "true" : "false", LS_R_BOOL);
            pos++;
            k = e + 1;
        }
        i = close + 1;
        if (!rw_op(c, i, ","))
            break;
        i++;
    }
}

/* DIALECT T4: the rowid column's value in each VALUES row.  NULL asks for the next key
 * (DEFAULT: PostgreSQL refuses NULL in an identity column); any other value is stored as
 * given and moves the identity sequence past it, so later keys do not collide. */
static void insert_rowid_values(rw_ctx *c, const ls_rw_table *t, const size_t *colidx,
                                size_t ncols, size_t values)
{
    size_t rpos = ncols;
    for (size_t p = 0; p < ncols; p++)
        if (colidx[p] < t->n_cols && !strcmp(t->cols[colidx[p]].name, t->rowid))
            rpos = p;
    if (rpos == ncols)
        return;
    rw_sb q = {0};   /* the sequence as a regclass literal */
    rw_sb_str(&q, "'");
    for (const char *p = t->rowid_seq; *p; p++)
        rw_sb_add(&q, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1);
    rw_sb_str(&q, "'::regclass");
    if (q.oom) {
        c->oom = true;
        free(q.p);
        return;
    }
    size_t i = values + 1;
    while (rw_op(c, i, "(") && c->t[i].match > 0) {
        size_t close = (size_t)c->t[i].match, k = i + 1, pos = 0;
        while (k < close) {
            size_t e = rw_expr_end(c, k);
            if (pos == rpos) {
                if (e == k + 1 && rw_kw(c, k, LS_KW_NULL)) {
                    rw_set(c, k, "DEFAULT", LS_R_ROWID);
                } else if (!(e == k + 1 && rw_kw(c, k, LS_KW_DEFAULT))) {
                    const char *v = rw_render(c, k, e);
                    rw_replace(c, k, e,
                               rw_printf(c, "(SELECT CASE WHEN v IS NULL THEN nextval(%s) "
                                            "WHEN v > coalesce(pg_sequence_last_value(%s), 0) "
                                            "THEN setval(%s, v) ELSE v END "
                                            "FROM (SELECT CAST((%s) AS bigint) AS v) AS ls_rowid)",
                                         q.p, q.p, q.p, v),
                               LS_R_ROWID);
                }
                break;
            }
            pos++;
            k = e + 1;
        }
        i = close + 1;
        if (!rw_op(c, i, ","))
            break;
        i++;
    }
    free(q.p);
}

/* Bool columns filled by INSERT ... SELECT: literal 0/1 items of the select list become
 * false/true (PostgreSQL will not assign an integer to a boolean). */
static void insert_select_bools(rw_ctx *c, const ls_rw_table *t, const size_t *colidx,
                                size_t ncols, size_t sel)
{
    int d = c->t[sel].depth;
    size_t k = sel + 1, pos = 0;
    if (rw_kw(c, k, LS_KW_DISTINCT) || rw_kw(c, k, LS_KW_ALL))
        k++;
    while (k < c->n && pos < ncols) {
        size_t e = k;
        while (e < c->n && !(c->t[e].depth == d && (rw_op(c, e, ",") || rw_kw(c, e, LS_KW_FROM)
                                                     || rw_kw(c, e, LS_KW_WHERE)
                                                     || rw_kw(c, e, LS_KW_UNION))))
            e++;
        if (e == k + 1 && colidx[pos] < t->n_cols && t->cols[colidx[pos]].is_bool
            && c->t[k].t.type == LS_TK_INTEGER && c->t[k].t.len == 1
            && (c->sql[c->t[k].t.off] == '0' || c->sql[c->t[k].t.off] == '1'))
            rw_set(c, k, c->sql[c->t[k].t.off] == '1' ? "true" : "false", LS_R_BOOL);
        if (!rw_op(c, e, ","))
            break;
        pos++;
        k = e + 1;
    }
}

/* The text of a value the DELETE of replace_several may repeat: a parameter or a literal
 * (SQLite's text of it; a parameter keeps its $n), else NULL.  Edits on the value (the
 * rowid rule's sequence call) are deliberately not rendered: the DELETE only compares. */
static const char *replace_value(rw_ctx *c, size_t from, size_t to)
{
    size_t k = from;
    const char *sign = "";
    if (to == from + 2 && (rw_op(c, k, "-") || rw_op(c, k, "+"))) {
        sign = rw_op(c, k, "-") ? "-" : "";
        k++;
    } else if (to != from + 1) {
        return NULL;
    }
    const rw_tok *rt = &c->t[k];
    const ls_token *t = &rt->t;
    const char *s = c->sql + t->off;
    switch (t->type) {
    case LS_TK_PARAM:
        return *sign ? NULL : rw_printf(c, "$%d", rt->param);
    case LS_TK_INTEGER:
        if (t->len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
            return NULL;   /* SQLite's hex form */
        return rw_printf(c, "%s%.*s", sign, (int)t->len, s);
    case LS_TK_FLOAT:
        return rw_printf(c, "%s%.*s", sign, (int)t->len, s);
    case LS_TK_STRING:
        return *sign ? NULL : rw_strdup(c, s, t->len);
    case LS_TK_KEYWORD:
        return !*sign && t->kw == LS_KW_NULL ? "NULL" : NULL;
    default:
        return NULL;
    }
}

/* DIALECT S8 on a table with several unique constraints (an INTEGER PRIMARY KEY and a
 * UNIQUE column, say): SQLite deletes every row the new one conflicts with, on any of
 * them, then inserts.  PostgreSQL's ON CONFLICT takes one arbiter, so the rows are deleted
 * first by a data-modifying WITH of the same statement, which the INSERT reads so that it
 * runs first:
 *   WITH ls_replace AS (DELETE FROM t WHERE (k1 = v1) OR (a = v2 AND b = v3) RETURNING 1)
 *   INSERT INTO t (...) SELECT v1, v2, ... FROM (SELECT count(*) FROM ls_replace) AS ls_guard
 * (the unique check of the INSERT does not see rows its own transaction deleted).  One row of
 * VALUES whose key values are parameters or literals; a key column left out must be the
 * rowid (a new rowid conflicts with nothing).  changes() counts the inserted row only and
 * last_insert_rowid() is the new row's, as in SQLite. */
static int replace_several(rw_ctx *c, size_t i, const ls_rw_table *t, const char *table,
                           size_t tn, const size_t *colidx, size_t ncols, size_t j)
{
    if (c->stmt_start != 0 || i != 0)
        return rw_fail(c, i, "REPLACE after WITH on a table with several UNIQUE constraints is "
                             "not supported");
    if (!rw_kw(c, j, LS_KW_VALUES) || !rw_op(c, j + 1, "(")
        || rw_op(c, (size_t)c->t[j + 1].match + 1, ","))
        return rw_fail(c, i, "REPLACE on table \"%s\" (several UNIQUE constraints) needs one "
                             "row of VALUES", table);
    /* the value of each listed column: [vfrom[q], vto[q]) */
    size_t vfrom[256], vto[256], nv = 0, end = (size_t)c->t[j + 1].match;
    for (size_t k = j + 2, start = k, depth = 0; k <= end && nv < 256; k++) {
        if (k < end && (rw_op(c, k, "(") || rw_op(c, k, ")"))) {
            depth += rw_op(c, k, "(") ? 1 : (size_t)-1;
            continue;
        }
        if (k == end || (depth == 0 && rw_op(c, k, ","))) {
            vfrom[nv] = start;
            vto[nv++] = k;
            start = k + 1;
        }
    }
    if (nv != ncols)
        return rw_fail(c, j, "REPLACE: %zu values for %zu columns", nv, ncols);
    rw_sb w = {0};
    size_t nconds = 0;
    for (size_t u = 0; u < t->n_unique; u++) {
        rw_sb one = {0};
        bool skip = false, fail = false;
        char failcol[64] = "";
        const char *k = t->unique[u];
        for (size_t part = 0; *k && !skip && !fail; part++) {
            const char *e = strchr(k, ',');
            size_t len = e ? (size_t)(e - k) : strlen(k);
            char col[64];
            snprintf(col, sizeof col, "%.*s", (int)len, k);
            k += len + (e ? 1 : 0);
            size_t q = ncols;
            for (size_t p = 0; p < ncols; p++)
                if (colidx[p] < t->n_cols && !strcmp(t->cols[colidx[p]].name, col))
                    q = p;
            if (q == ncols) {
                /* left out: its default.  A new rowid conflicts with nothing. */
                if (t->rowid && !strcmp(t->rowid, col))
                    skip = true;
                else {
                    fail = true;
                    snprintf(failcol, sizeof failcol, "%s", col);
                }
                break;
            }
            const char *v = replace_value(c, vfrom[q], vto[q]);
            if (!v) {
                fail = true;
                snprintf(failcol, sizeof failcol, "%s", col);
                break;
            }
            if (!strcmp(v, "NULL")) {   /* NULLs never conflict */
                skip = true;
                break;
            }
            rw_sb_str(&one, part ? " AND " : "(");
            rw_sb_ident(&one, col);
            rw_sb_str(&one, " = ");
            rw_sb_str(&one, v);
        }
        if (fail) {
            free(one.p);
            free(w.p);
            return rw_fail(c, i, "REPLACE on table \"%s\" (several UNIQUE constraints): the "
                                 "value of key column \"%s\" must be a parameter or a literal",
                           table, failcol);
        }
        if (!skip && one.p) {
            rw_sb_str(&w, nconds++ ? " OR " : "");
            rw_sb_add(&w, one.p, one.len);
            rw_sb_str(&w, ")");
        }
        free(one.p);
    }
    if (nconds) {
        char *name = rw_render(c, (size_t)tn - (rw_op(c, tn - 1, ".") ? 2 : 0), tn + 1);
        rw_sb b = {0};
        rw_sb_str(&b, "WITH ls_replace AS (DELETE FROM ");
        rw_sb_str(&b, name);
        rw_sb_str(&b, " WHERE ");
        rw_sb_add(&b, w.p, w.len);
        rw_sb_str(&b, " RETURNING 1) ");
        if (b.oom || w.oom)
            c->oom = true;
        else
            rw_pre(c, i, rw_strdup(c, b.p, b.len), LS_R_ONCONFLICT);
        free(b.p);
        /* A WITH that nothing reads runs after the main statement: the row is read from it,
         * so the DELETE is complete before the INSERT (VALUES (...) becomes SELECT ... FROM;
         * the parameters still take the target columns' types) */
        rw_set(c, j, "SELECT", LS_R_ONCONFLICT);
        rw_set(c, j + 1, "", LS_R_ONCONFLICT);
        rw_set(c, end, " FROM (SELECT count(*) FROM ls_replace) AS ls_guard", LS_R_ONCONFLICT);
    }
    free(w.p);
    return SQLITE_OK;
}

static int insert_rules(rw_ctx *c, size_t i)
{
    ls_rw_result *r = c->res;
    bool replace = rw_kw(c, i, LS_KW_REPLACE);
    bool upsert_update = false;   /* ON CONFLICT ... DO UPDATE, the app's upsert */
    r->kind = LS_RW_INSERT;
    r->onerr = replace ? LS_ONERR_REPLACE : or_clause(c, i + 1);
    if (replace)
        rw_set(c, i, "INSERT", LS_R_ONCONFLICT);
    size_t into = find_top(c, i, LS_KW_INTO);
    if (into >= c->n)
        return rw_fail(c, i, "incomplete input: INSERT needs INTO");
    size_t tn = into + 1;
    while (rw_op(c, tn + 1, ".") && tn + 2 < c->n)
        tn += 2;
    /* the schema now (select_rules' later), as the REPLACE's DELETE renders it (S33) */
    if (tn == into + 3 && rw_is(c, into + 1, "main"))
        rw_main_schema(c, into + 1, LS_R_DROPPED);
    else if (tn == into + 3 && rw_kw(c, into + 1, LS_KW_TEMP))
        rw_set(c, into + 1, "pg_temp", LS_R_DROPPED);
    char table[64];
    rw_name(c, tn, table, sizeof table);
    rw_set_target(c, tn, table);
    const ls_rw_table *t = c->target;
    size_t j = tn + 1;
    if (rw_kw(c, j, LS_KW_AS))
        j += 2;
    /* the column list, as indexes into t->cols */
    size_t colidx[256], ncols = 0;
    size_t list = j;
    bool has_list = rw_op(c, j, "(") && !rw_kw(c, j + 1, LS_KW_SELECT) && !rw_kw(c, j + 1, LS_KW_WITH);
    if (has_list) {
        for (size_t k = j + 1; k < (size_t)c->t[j].match && ncols < 256; k += 2) {
            char col[64];
            rw_name(c, k, col, sizeof col);
            size_t idx = (size_t)-1;
            for (size_t m = 0; t && m < t->n_cols; m++)
                if (!strcmp(t->cols[m].name, col))
                    idx = m;
            colidx[ncols++] = idx;
        }
        j = (size_t)c->t[j].match + 1;
    } else if (t) {
        bool hidden = false;
        for (size_t m = 0; m < t->n_cols && m < 256; m++) {
            if (t->cols[m].hidden)
                hidden = true;
            else
                colidx[ncols++] = m;
        }
        /* DIALECT T7: the hidden rowid column takes no value from a list without names */
        if (hidden && (rw_kw(c, j, LS_KW_VALUES) || rw_kw(c, j, LS_KW_SELECT) || rw_kw(c, j, LS_KW_WITH)
                       || rw_op(c, j, "("))) {
            rw_sb b = {0};
            rw_sb_str(&b, "(");
            for (size_t p = 0; p < ncols; p++) {
                if (p)
                    rw_sb_str(&b, ", ");
                rw_sb_ident(&b, t->cols[colidx[p]].name);
            }
            class_names(&b, t, colidx, ncols);
            rw_sb_str(&b, ") ");
            if (b.oom)
                c->oom = true;
            else
                rw_pre(c, j, rw_strdup(c, b.p, b.len), LS_R_ROWID);
            free(b.p);
        }
    }
    if (t && rw_kw(c, j, LS_KW_VALUES))
        insert_bools(c, t, colidx, ncols, j);
    else if (t && rw_kw(c, j, LS_KW_SELECT))
        insert_select_bools(c, t, colidx, ncols, j);
    size_t n_class = 0;   /* D2: the class columns of the typeless columns written */
    for (size_t p = 0; t && p < ncols; p++)
        n_class += colidx[p] < t->n_cols && t->cols[colidx[p]].has_class;
    if (n_class && has_list) {
        rw_sb b = {0};
        class_names(&b, t, colidx, ncols);
        if (b.oom)
            c->oom = true;
        else
            rw_pre(c, (size_t)c->t[list].match, rw_strdup(c, b.p, b.len), LS_R_TYPELESS);
        free(b.p);
    }
    if (t && t->rowid && t->rowid_seq && rw_kw(c, j, LS_KW_VALUES))
        insert_rowid_values(c, t, colidx, ncols, j);
    size_t on = find_top(c, j, LS_KW_ON), ret = find_top(c, j, LS_KW_RETURNING);
    while (on < c->n && !rw_kw(c, on + 1, LS_KW_CONFLICT))
        on = find_top(c, on + 1, LS_KW_ON);
    if (n_class && (rw_kw(c, j, LS_KW_SELECT) || rw_kw(c, j, LS_KW_WITH)
                    || rw_kw(c, j, LS_KW_VALUES) || rw_op(c, j, "("))) {
        /* each arm of a compound: VALUES (1) UNION SELECT 2 */
        size_t src = rw_op(c, j, "(") ? j + 1 : j;
        size_t send = rw_op(c, j, "(") ? (size_t)c->t[j].match : on < ret ? on : ret;
        rw_class_select(c, src, send, t, colidx, ncols);
    }
    if (on < c->n) {
        /* DIALECT S13: PostgreSQL takes one ON CONFLICT, and DO UPDATE needs a target */
        size_t second = find_top(c, on + 2, LS_KW_ON);
        if (second < c->n && rw_kw(c, second + 1, LS_KW_CONFLICT))
            return rw_fail(c, second, "several ON CONFLICT clauses are not supported");
        if (rw_kw(c, on + 2, LS_KW_DO) && rw_kw(c, on + 3, LS_KW_UPDATE))
            return rw_fail(c, on, "ON CONFLICT DO UPDATE without a conflict target");
        size_t set = find_top(c, on, LS_KW_SET);
        upsert_update = set < c->n;
        if (set < c->n)
            dedup_set(c, set);
        if (set < c->n && t) {
            size_t qt = rw_kw(c, tn + 1, LS_KW_AS) ? tn + 2 : tn;
            char qn[64];
            rw_name(c, qt, qn, sizeof qn);
            rw_class_set(c, t, qn, set, true);   /* before the names are qualified */
            qualify_upsert(c, t, qt, set, ret < c->n ? ret : c->n);
        }
        if (r->onerr == LS_ONERR_IGNORE || r->onerr == LS_ONERR_REPLACE)
            return rw_fail(c, i, "INSERT OR %s with an ON CONFLICT clause is not supported",
                           r->onerr == LS_ONERR_IGNORE ? "IGNORE" : "REPLACE");
    }
    size_t tail = ret < c->n ? ret : c->n;   /* where ON CONFLICT goes */
    if (r->onerr == LS_ONERR_IGNORE) {
        /* DIALECT S7: unique and primary key conflicts (NOT NULL/CHECK: the backend) */
        if (tail < c->n)
            rw_pre(c, tail, "ON CONFLICT DO NOTHING ", LS_R_ONCONFLICT);
        else
            rw_post(c, c->n - 1, " ON CONFLICT DO NOTHING", LS_R_ONCONFLICT);
    } else if (r->onerr == LS_ONERR_REPLACE) {
        /* DIALECT S8: one arbiter, every column set from the new row */
        if (!t)
            return rw_fail(c, i, "REPLACE needs the schema of table \"%s\"", table);
        if (t->n_unique > 1 && replace_several(c, i, t, table, tn, colidx, ncols, j) != SQLITE_OK)
            return c->rc;
        if (t->n_unique == 1) {
            rw_sb b = {0};
            rw_sb_str(&b, " ON CONFLICT (");
            const char *k = t->unique[0];
            while (*k) {
                const char *e = strchr(k, ',');
                size_t len = e ? (size_t)(e - k) : strlen(k);
                char col[64];
                snprintf(col, sizeof col, "%.*s", (int)len, k);
                rw_sb_ident(&b, col);
                k += len;
                if (*k == ',') {
                    rw_sb_str(&b, ", ");
                    k++;
                }
            }
            rw_sb_str(&b, ") DO UPDATE SET ");
            for (size_t m = 0; m < t->n_cols; m++) {
                bool given = false;
                /* a class column (D2) is given with its value column, just before it */
                size_t vm = t->cols[m].is_class && m > 0 ? m - 1 : m;
                for (size_t q = 0; q < ncols; q++)
                    given |= colidx[q] == vm;
                if (m)
                    rw_sb_str(&b, ", ");
                rw_sb_ident(&b, t->cols[m].name);
                rw_sb_str(&b, given ? " = excluded." : " = DEFAULT");
                if (given)
                    rw_sb_ident(&b, t->cols[m].name);
            }
            if (b.oom)
                c->oom = true;
            else if (tail < c->n)
                rw_pre(c, tail, rw_printf(c, "%s ", b.p + 1), LS_R_ONCONFLICT);
            else
                rw_post(c, c->n - 1, rw_strdup(c, b.p, b.len), LS_R_ONCONFLICT);
            free(b.p);
        }
    } else if (r->onerr == LS_ONERR_FAIL) {
        /* a single row fails the same way under FAIL and ABORT */
        size_t values = rw_kw(c, j, LS_KW_VALUES) ? j : c->n;
        if (values < c->n && rw_op(c, values + 1, "(")
            && rw_op(c, (size_t)c->t[values + 1].match + 1, ","))
            return rw_fail(c, i, "INSERT OR FAIL of several rows is not supported");
    }
    (void)list;
    if (t && t->rowid && ret >= c->n) {
        r->returning_rowid = true;
        r->rowid_if_inserted = upsert_update;
        snprintf(r->rowid_col, sizeof r->rowid_col, "%s", t->rowid);
        c->rules |= LS_R_RETURNING;
    }
    return SQLITE_OK;
}

/* DIALECT S17: DELETE/UPDATE ... [ORDER BY] LIMIT through the rows' ctid. */
static int dml_limit(rw_ctx *c, size_t table, size_t table_end)
{
    size_t order = find_top(c, table_end, LS_KW_ORDER), limit = find_top(c, table_end, LS_KW_LIMIT);
    size_t tail = order < limit ? order : limit;
    if (tail >= c->n)
        return SQLITE_OK;
    if (find_top(c, table_end, LS_KW_RETURNING) < c->n)
        return rw_fail(c, tail, "RETURNING with ORDER BY/LIMIT is not supported");
    size_t where = find_top(c, table_end, LS_KW_WHERE);
    size_t from = find_top(c, table_end, LS_KW_FROM);
    if (from < tail)
        return rw_fail(c, tail, "UPDATE ... FROM with ORDER BY/LIMIT is not supported");
    char *ref = rw_render(c, table, table_end);
    size_t start = where < tail ? where : tail;
    rw_pre(c, start, rw_printf(c, "WHERE ctid IN (SELECT ctid FROM %s ", ref), LS_R_LIMITDML);
    rw_post(c, c->n - 1, ")", LS_R_LIMITDML);
    return SQLITE_OK;
}

static int update_rules(rw_ctx *c, size_t i)
{
    ls_rw_result *r = c->res;
    r->kind = LS_RW_UPDATE;
    r->onerr = or_clause(c, i + 1);
    if (r->onerr == LS_ONERR_IGNORE || r->onerr == LS_ONERR_REPLACE)
        return rw_fail(c, i + 1, "UPDATE OR %s is not supported",
                       r->onerr == LS_ONERR_IGNORE ? "IGNORE" : "REPLACE");
    size_t set = find_top(c, i, LS_KW_SET);
    if (set >= c->n)
        return rw_fail(c, c->n, "incomplete input: UPDATE needs SET");
    dedup_set(c, set);
    size_t table = i + 1 + (rw_kw(c, i + 1, LS_KW_OR) ? 2 : 0);
    /* D2: the class columns of typeless columns assigned */
    size_t last = table;
    while (rw_op(c, last + 1, ".") && last + 2 < set)
        last += 2;
    char name[64], alias[64] = "";
    if (rw_name(c, last, name, sizeof name)) {
        size_t a = last + 1 + (rw_kw(c, last + 1, LS_KW_AS) ? 1 : 0);
        if (a < set && rw_is_name(c, a))
            rw_name(c, a, alias, sizeof alias);
        rw_set_target(c, last, name);
        rw_class_set(c, c->target, alias[0] ? alias : name, set, false);
    }
    return dml_limit(c, table, set);
}

static int delete_rules(rw_ctx *c, size_t i)
{
    c->res->kind = LS_RW_DELETE;
    size_t table = i + 1 + (rw_kw(c, i + 1, LS_KW_FROM) ? 1 : 0), e = table + 1;
    while (rw_op(c, e, ".") && e + 1 < c->n)
        e += 2;
    char name[64];
    if (rw_name(c, e - 1, name, sizeof name))
        rw_set_target(c, e - 1, name);
    if (rw_kw(c, e, LS_KW_AS))
        e++;
    if (rw_is_name(c, e))
        e++;
    return dml_limit(c, table, e);
}

/* ---------------------------------------------------------------------------------------
 * Result size: statements that return at most one row (ls_rw_result.one_row)
 *
 * The backend streams rows one by one so that memory stays bounded; a statement known to
 * return at most one row is read whole, which saves libpq a result per execution.  Only
 * shapes whose size the text and the schema decide are recognised; a wrong "yes" would
 * cost memory, never rows (the backend steps a whole result too).
 * ------------------------------------------------------------------------------------- */

/* Is there a token of keyword kw at depth 0 in [from, to)? */
static bool top_kw(const rw_ctx *c, size_t from, size_t to, int kw)
{
    for (size_t k = from; k < to && k < c->n; k++)
        if (c->t[k].depth == 0 && c->t[k].t.kw == kw)
            return true;
    return false;
}

/* LIMIT 0 or LIMIT 1 ends the statement (an OFFSET may follow). */
static bool limit_one(const rw_ctx *c)
{
    size_t l = find_top(c, 0, LS_KW_LIMIT);
    if (l + 1 >= c->n || c->t[l + 1].t.type != LS_TK_INTEGER || c->t[l + 1].t.len != 1)
        return false;
    char d = c->sql[c->t[l + 1].t.off];
    return (d == '0' || d == '1') && (l + 2 == c->n || rw_kw(c, l + 2, LS_KW_OFFSET));
}

/* Every item of the select list [a, from) is one aggregate call (no FILTER, no OVER),
 * optionally named: with no GROUP BY the query has one row. */
static bool only_aggregates(const rw_ctx *c, size_t a, size_t from)
{
    static const char *const aggs[] = { "count", "sum", "total", "avg", "min", "max",
                                        "group_concat", "string_agg" };
    if (rw_kw(c, a, LS_KW_DISTINCT) || rw_kw(c, a, LS_KW_ALL))
        a++;
    while (a < from) {
        bool agg = false;
        for (size_t k = 0; k < sizeof aggs / sizeof aggs[0] && !agg; k++)
            agg = rw_is(c, a, aggs[k]);
        if (!agg || !rw_op(c, a + 1, "(") || c->t[a + 1].match < 0)
            return false;
        size_t close = (size_t)c->t[a + 1].match;
        if (rw_is(c, a, "min") || rw_is(c, a, "max"))   /* min(a, b) is not an aggregate */
            for (size_t k = a + 2; k < close; k++)
                if (c->t[k].depth == 1 && rw_op(c, k, ","))
                    return false;
        size_t e = close + 1;
        if (rw_kw(c, e, LS_KW_AS))
            e++;
        if (e < from && rw_is_name(c, e))
            e++;
        if (e == from)
            return true;
        if (!rw_op(c, e, ","))
            return false;
        a = e + 1;
    }
    return false;
}

/* Is column col of t the whole of one of its unique constraints (PRIMARY KEY, UNIQUE)? */
static bool unique_column(const ls_rw_table *t, const char *col)
{
    for (size_t u = 0; u < t->n_unique; u++)
        if (!strcmp(t->unique[u], col))
            return true;
    return false;
}

/* Is [k, k + 1) or [k, k + 3) (qual . col) a column of the table named name or alias that
 * is a unique key by itself, and how many tokens does it take (0: not one)?  rowid,
 * _rowid_ and oid name the rowid column unless a column has that name. */
static size_t key_ref(rw_ctx *c, size_t k, const ls_rw_table *t, const char *name,
                      const char *alias)
{
    char word[64];
    size_t n = 1;
    if (rw_op(c, k + 1, ".")) {
        if (!rw_name(c, k, word, sizeof word) || strcmp(word, alias[0] ? alias : name) != 0)
            return 0;
        k += 2;
        n = 3;
    }
    if (!rw_is_name(c, k) || !rw_name(c, k, word, sizeof word))
        return 0;
    if (find_column(t, word))
        return unique_column(t, word) ? n : 0;
    bool rowid_word = !strcmp(word, "rowid") || !strcmp(word, "_rowid_") || !strcmp(word, "oid");
    return rowid_word && t->rowid && unique_column(t, t->rowid) ? n : 0;
}

/* A constant operand: a parameter, a number, a string, or a negative number; its token
 * count. */
static size_t const_operand(const rw_ctx *c, size_t k)
{
    if (k < c->n && (c->t[k].t.type == LS_TK_PARAM || c->t[k].t.type == LS_TK_INTEGER ||
                     c->t[k].t.type == LS_TK_FLOAT || c->t[k].t.type == LS_TK_STRING))
        return 1;
    return rw_op(c, k, "-") && k + 1 < c->n &&
           (c->t[k + 1].t.type == LS_TK_INTEGER || c->t[k + 1].t.type == LS_TK_FLOAT) ? 2 : 0;
}

/* FROM one table WHERE ... key = constant AND ...: the key a column that is a unique
 * constraint by itself in the server's catalog (so views, columns that are not unique and
 * a hidden rowid do not count; a unique column holds one row per value, or a few where
 * PostgreSQL's index tells apart what a NOCASE comparison does not).  The WHERE clause is
 * a plain conjunction at the top (no OR, BETWEEN or CASE there) and the equality one of
 * its terms. */
static bool key_equality(rw_ctx *c, size_t from)
{
    size_t k = from + 1, last = k;
    if (!rw_is_name(c, k))
        return false;
    while (rw_op(c, last + 1, ".") && rw_is_name(c, last + 2))
        last += 2;
    char name[64], alias[64] = "";
    if (!rw_name(c, last, name, sizeof name))
        return false;
    size_t w = last + 1;
    if (rw_kw(c, w, LS_KW_AS))
        w++;
    if (rw_is_name(c, w) && !rw_name(c, w++, alias, sizeof alias))
        return false;
    if (!rw_kw(c, w, LS_KW_WHERE) || !c->schema || !c->schema->table)
        return false;
    const ls_rw_table *t = rw_lookup(c, last, name);
    if (!t || t->n_unique == 0)
        return false;
    size_t end = w + 1;
    while (end < c->n && !(c->t[end].depth == 0 &&
                           (rw_kw(c, end, LS_KW_GROUP) || rw_kw(c, end, LS_KW_ORDER) ||
                            rw_kw(c, end, LS_KW_LIMIT) || rw_kw(c, end, LS_KW_WINDOW) ||
                            rw_kw(c, end, LS_KW_HAVING))))
        end++;
    if (top_kw(c, w, end, LS_KW_OR) || top_kw(c, w, end, LS_KW_BETWEEN) ||
        top_kw(c, w, end, LS_KW_CASE))
        return false;
    for (size_t a = w + 1; a < end; a++) {
        if (c->t[a].depth != 0 || !(a == w + 1 || rw_kw(c, a - 1, LS_KW_AND)))
            continue;
        size_t n, op, m;
        if ((n = key_ref(c, a, t, name, alias)) != 0) {          /* key = constant */
            op = a + n;
            m = const_operand(c, op + 1);
        } else if ((n = const_operand(c, a)) != 0) {             /* constant = key */
            op = a + n;
            m = key_ref(c, op + 1, t, name, alias);
        } else {
            continue;
        }
        if (m && (rw_op(c, op, "=") || rw_op(c, op, "==")) &&
            (op + 1 + m == end || rw_kw(c, op + 1 + m, LS_KW_AND)))
            return true;
    }
    return false;
}

/* INSERT ... VALUES with one row (or DEFAULT VALUES), whatever follows (ON CONFLICT,
 * RETURNING). */
static bool insert_one(const rw_ctx *c, size_t v)
{
    if (top_kw(c, v, c->n, LS_KW_SELECT))
        return false;
    size_t values = find_top(c, v, LS_KW_VALUES);
    if (values >= c->n)
        return false;
    if (rw_kw(c, values - 1, LS_KW_DEFAULT))
        return true;
    if (!rw_op(c, values + 1, "(") || c->t[values + 1].match < 0)
        return false;
    size_t after = (size_t)c->t[values + 1].match + 1;
    return after == c->n || rw_kw(c, after, LS_KW_ON) || rw_kw(c, after, LS_KW_RETURNING);
}

static bool one_row(rw_ctx *c, size_t v)
{
    if (v != 0)   /* a WITH clause: not looked into */
        return false;
    if (c->res->kind == LS_RW_INSERT)
        return insert_one(c, v);
    if (c->res->kind == LS_RW_UPDATE || c->res->kind == LS_RW_DELETE)
        return !top_kw(c, v, c->n, LS_KW_RETURNING); /* no rows at all */
    if (c->res->kind != LS_RW_SELECT)
        return false;
    if (limit_one(c))
        return true;
    if (!rw_kw(c, v, LS_KW_SELECT) || top_kw(c, v, c->n, LS_KW_UNION) ||
        top_kw(c, v, c->n, LS_KW_INTERSECT) || top_kw(c, v, c->n, LS_KW_EXCEPT))
        return false;
    size_t from = find_top(c, v, LS_KW_FROM);
    if (!top_kw(c, v, c->n, LS_KW_GROUP) && from < c->n && only_aggregates(c, v + 1, from))
        return true;
    return from < c->n && key_equality(c, from);
}

/* ---------------------------------------------------------------------------------------
 * Entry
 * ------------------------------------------------------------------------------------- */

int rw_query(rw_ctx *c, size_t from)
{
    size_t save = c->stmt_start;
    c->stmt_start = from;
    rw_expr_rules(c, from, c->n);
    if (c->rc != SQLITE_OK)
        return c->rc;
    scope s;
    s.n = 0;
    collect_tables(c, &s);
    schema_rules(c, &s);
    select_rules(c);
    rw_late_rules(c, from, c->n);
    c->stmt_start = save;
    return c->rc;
}

/* Index of the statement verb after a WITH clause. */
static size_t skip_with(const rw_ctx *c)
{
    if (!rw_kw(c, 0, LS_KW_WITH))
        return 0;
    size_t i = 1;
    if (rw_kw(c, i, LS_KW_RECURSIVE))
        i++;
    while (i < c->n) {
        if (rw_op(c, i, "(") && c->t[i].match > 0) {
            i = (size_t)c->t[i].match + 1;
            if (rw_op(c, i, ","))
                i++;
            else if (!rw_kw(c, i, LS_KW_AS))
                return i;
            continue;
        }
        i++;
    }
    return i;
}

int rw_dml(rw_ctx *c)
{
    ls_rw_result *r = c->res;
    if (rw_kw(c, 0, LS_KW_BEGIN) || rw_kw(c, 0, LS_KW_END) || rw_kw(c, 0, LS_KW_COMMIT)
        || rw_kw(c, 0, LS_KW_ROLLBACK) || rw_kw(c, 0, LS_KW_SAVEPOINT) || rw_kw(c, 0, LS_KW_RELEASE))
        return txn(c);
    if (rw_kw(c, 0, LS_KW_VACUUM)) {
        if (find_top(c, 0, LS_KW_INTO) < c->n)
            return rw_fail(c, find_top(c, 0, LS_KW_INTO),
                           "VACUUM INTO has no PostgreSQL equivalent (use liteshift copy)");
        r->kind = LS_RW_VACUUM;   /* DIALECT S30: autovacuum manages space */
        c->rules |= LS_R_DROPPED;
        return SQLITE_OK;
    }
    size_t v = c->stmt_start = skip_with(c);
    int rc = SQLITE_OK;
    rw_expr_rules(c, 0, c->n);
    if (c->rc != SQLITE_OK)
        return c->rc;
    scope s;
    s.n = 0;
    collect_tables(c, &s);
    schema_rules(c, &s);
    rw_star_rules(c, 0, c->n);
    if (rw_kw(c, v, LS_KW_SELECT) || rw_kw(c, v, LS_KW_VALUES)) {
        r->kind = LS_RW_SELECT;
        r->readonly = true;
        if (rw_kw(c, v, LS_KW_SELECT)) {
            select_names(c, v);
            rw_class_items(c, v);
        }
    } else if (rw_kw(c, v, LS_KW_INSERT) || rw_kw(c, v, LS_KW_REPLACE)) {
        rc = insert_rules(c, v);
    } else if (rw_kw(c, v, LS_KW_UPDATE)) {
        rc = update_rules(c, v);
    } else if (rw_kw(c, v, LS_KW_DELETE)) {
        rc = delete_rules(c, v);
    } else {
        return rw_fail(c, v, "near \"%.*s\": syntax error", v < c->n ? (int)c->t[v].t.len : 0,
                       v < c->n ? c->sql + c->t[v].t.off : "");
    }
    if (rc != SQLITE_OK || c->rc != SQLITE_OK)
        return rc != SQLITE_OK ? rc : c->rc;
    /* RETURNING *: the shim hides the hidden columns a * shows (the rowid, DIALECT T7, and
     * the class columns, D2) by the names of the items, as for a SELECT */
    size_t ret = r->kind == LS_RW_SELECT ? c->n : find_top(c, v, LS_KW_RETURNING);
    if (ret < c->n && (c->seen & RW_SEEN_STAR))
        select_names(c, ret);
    r->one_row = one_row(c, v);
    select_rules(c);
    rw_class_cmp_rules(c);
    rw_class_params_finish(c);
    rw_param_null_rules(c);
    rw_late_rules(c, 0, c->n);
    rw_replay_rules(c);
    return c->rc;
}
