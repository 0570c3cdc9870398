/* SPDX-License-Identifier: MIT
 *
 * DIALECT T7, the * side: a table without INTEGER PRIMARY KEY carries a hidden rowid column on
 * PostgreSQL.  The shim hides it from the columns of a top-level SELECT *, but inside a
 * subquery (x IN (SELECT * FROM t)), under GROUP BY or DISTINCT, in INSERT ... SELECT * or in
 * a compound SELECT the server itself sees the extra column.  So a select-list * (or t.*)
 * whose FROM tables are all known to the schema, one of them with a hidden column, becomes
 * the list of their visible columns, qualified: "cor0"."col0", "cor0"."col1".  A plain
 * top-level SELECT * stays (see top_level_needs).
 *
 * Left alone (the shim's top-level hiding still applies): FROM items that are subqueries,
 * table-valued functions or unknown names (views, CTEs), and NATURAL/USING joins, whose *
 * merges the shared columns.
 */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define STAR_MAX_TABLES 16

typedef struct {
    char name[64];
    char alias[64];
    const ls_rw_table *info;
} star_tab;

/* A word that ends a FROM clause or a table reference. */
static bool clause_word(const rw_ctx *c, size_t i)
{
    static const bool words[LS_KW_END_] = {
        [LS_KW_WHERE] = true, [LS_KW_GROUP] = true, [LS_KW_HAVING] = true,
        [LS_KW_ORDER] = true, [LS_KW_LIMIT] = true, [LS_KW_WINDOW] = true,
        [LS_KW_UNION] = true, [LS_KW_EXCEPT] = true, [LS_KW_INTERSECT] = true,
        [LS_KW_ON] = true, [LS_KW_USING] = true, [LS_KW_JOIN] = true, [LS_KW_LEFT] = true,
        [LS_KW_RIGHT] = true, [LS_KW_FULL] = true, [LS_KW_INNER] = true, [LS_KW_CROSS] = true,
        [LS_KW_OUTER] = true, [LS_KW_NATURAL] = true, [LS_KW_INDEXED] = true,
        [LS_KW_NOT] = true, [LS_KW_RETURNING] = true,
    };
    return i < c->n && words[c->t[i].t.kw];
}

/* A token that ends a join condition: the next FROM item, join or clause. */
static bool on_end(const rw_ctx *c, size_t i)
{
    static const bool words[LS_KW_END_] = {
        [LS_KW_WHERE] = true, [LS_KW_GROUP] = true, [LS_KW_HAVING] = true,
        [LS_KW_ORDER] = true, [LS_KW_LIMIT] = true, [LS_KW_WINDOW] = true,
        [LS_KW_UNION] = true, [LS_KW_EXCEPT] = true, [LS_KW_INTERSECT] = true,
        [LS_KW_JOIN] = true, [LS_KW_LEFT] = true, [LS_KW_RIGHT] = true, [LS_KW_FULL] = true,
        [LS_KW_INNER] = true, [LS_KW_CROSS] = true, [LS_KW_NATURAL] = true,
        [LS_KW_RETURNING] = true,
    };
    if (rw_op(c, i, ",") || rw_op(c, i, ")") || rw_op(c, i, ";"))
        return true;
    return i < c->n && words[c->t[i].t.kw];
}

/* Index of the FROM of the SELECT whose select list holds token i, or c->n. */
static size_t find_from(const rw_ctx *c, size_t i)
{
    int d = c->t[i].depth;
    for (size_t k = i + 1; k < c->n; k++) {
        if (c->t[k].depth < d || rw_op(c, k, ";"))
            return c->n;
        if (c->t[k].depth == d && rw_kw(c, k, LS_KW_FROM))
            return k;
    }
    return c->n;
}

/* Is name one of the statement's common table expressions (WITH [RECURSIVE] name [(...)]
 * AS [NOT] [MATERIALIZED] (...), ...)?  Such a FROM item is not the table of that name. */
static bool cte_name(const rw_ctx *c, const char *name)
{
    if (!rw_seen(c, LS_KW_WITH))
        return false;
    for (size_t i = 0; i < c->n; i++) {
        if (!rw_kw(c, i, LS_KW_WITH))
            continue;
        size_t k = i + 1;
        if (rw_is(c, k, "RECURSIVE"))
            k++;
        while (k < c->n) {
            char cte[64];
            if (rw_name(c, k, cte, sizeof cte) && !strcmp(cte, name))
                return true;
            k++;
            if (rw_op(c, k, "(") && c->t[k].match > (int)k)
                k = (size_t)c->t[k].match + 1;   /* the column names */
            if (!rw_kw(c, k, LS_KW_AS))
                break;
            k++;
            if (rw_kw(c, k, LS_KW_NOT))
                k++;
            if (rw_is(c, k, "MATERIALIZED"))
                k++;
            if (!rw_op(c, k, "(") || c->t[k].match <= (int)k)
                break;
            k = (size_t)c->t[k].match + 1;
            if (!rw_op(c, k, ","))
                break;
            k++;
        }
    }
    return false;
}

/* Reads the FROM list after index from; false when it holds something this rule leaves
 * alone (see the header). */
static bool read_from(const rw_ctx *c, size_t from, star_tab *tabs, size_t *n_tabs)
{
    int d = c->t[from].depth;
    size_t k = from + 1, n = 0;
    for (;;) {
        /* temp.t: temp is a keyword, the only one that can qualify a table */
        bool temp = rw_kw(c, k, LS_KW_TEMP) && rw_op(c, k + 1, ".") && rw_is_name(c, k + 2);
        if (!(rw_is_name(c, k) || temp) || n == STAR_MAX_TABLES)
            return false;      /* a subquery, a join group in parentheses, a keyword */
        size_t last = k;
        while (rw_op(c, last + 1, ".") && rw_is_name(c, last + 2))
            last += 2;
        if (rw_op(c, last + 1, "("))
            return false;      /* table-valued function */
        star_tab *t = &tabs[n++];
        memset(t, 0, sizeof *t);
        rw_name(c, last, t->name, sizeof t->name);
        k = last + 1;
        if (rw_kw(c, k, LS_KW_AS))
            k++;
        if (rw_is_name(c, k) && !clause_word(c, k))
            rw_name(c, k++, t->alias, sizeof t->alias);
        if ((!rw_op(c, last - 1, ".") && cte_name(c, t->name))
            || !(t->info = rw_lookup(c, last, t->name)))
            return false;      /* a CTE of that name hides the table */
        if (rw_kw(c, k, LS_KW_INDEXED) && rw_kw(c, k + 1, LS_KW_BY))
            k += 3;
        else if (rw_kw(c, k, LS_KW_NOT) && rw_kw(c, k + 1, LS_KW_INDEXED))
            k += 2;
        if (rw_kw(c, k, LS_KW_ON)) {   /* skip the join condition at this depth */
            k++;
            while (k < c->n && !(c->t[k].depth == d && on_end(c, k))) {
                if (rw_op(c, k, "(") && c->t[k].match > (int)k)
                    k = (size_t)c->t[k].match;   /* over a parenthesised operand */
                k++;
            }
        }
        if (rw_kw(c, k, LS_KW_USING) || rw_kw(c, k, LS_KW_NATURAL))
            return false;
        if (rw_op(c, k, ",")) {
            k++;
            continue;
        }
        bool join = false;
        while (rw_kw(c, k, LS_KW_LEFT) || rw_kw(c, k, LS_KW_RIGHT) || rw_kw(c, k, LS_KW_FULL)
               || rw_kw(c, k, LS_KW_INNER) || rw_kw(c, k, LS_KW_CROSS) || rw_kw(c, k, LS_KW_OUTER))
            k++;
        if (rw_kw(c, k, LS_KW_JOIN)) {
            k++;
            join = true;
        }
        if (join)
            continue;
        break;                     /* WHERE, GROUP BY, ')', end ... */
    }
    *n_tabs = n;
    return true;
}

static bool has_hidden(const ls_rw_table *t)
{
    for (size_t k = 0; k < t->n_cols; k++)
        if (t->cols[k].hidden)
            return true;
    return false;
}

/* Appends the visible columns of t, qualified, to b; returns how many. */
static size_t add_columns(rw_sb *b, const star_tab *t, size_t written)
{
    const char *q = t->alias[0] ? t->alias : t->name;
    for (size_t k = 0; k < t->info->n_cols; k++) {
        if (t->info->cols[k].hidden)
            continue;
        if (written++)
            rw_sb_str(b, ", ");
        rw_sb_ident(b, q);
        rw_sb_str(b, ".");
        rw_sb_ident(b, t->info->cols[k].name);
    }
    return written;
}

/* The star at i (after 'qual.' when qual is not NULL, whose first token is at first). */
static void expand(rw_ctx *c, size_t first, size_t i, const char *qual)
{
    size_t from = find_from(c, i);
    star_tab tabs[STAR_MAX_TABLES];
    size_t n = 0;
    if (from >= c->n || !read_from(c, from, tabs, &n))
        return;
    bool hidden = false;
    for (size_t k = 0; k < n; k++)
        if ((!qual || !strcasecmp(qual, tabs[k].alias[0] ? tabs[k].alias : tabs[k].name))
            && has_hidden(tabs[k].info))
            hidden = true;
    if (!hidden)
        return;
    rw_sb b = {0};
    size_t written = 0;
    for (size_t k = 0; k < n; k++)
        if (!qual || !strcasecmp(qual, tabs[k].alias[0] ? tabs[k].alias : tabs[k].name))
            written = add_columns(&b, &tabs[k], written);
    if (b.oom) {
        c->oom = true;
    } else if (written > 0) {
        char *text = rw_strdup(c, b.p, b.len);
        rw_replace(c, first, i + 1, text, LS_R_ROWID);
    }
    free(b.p);
}

static bool list_start(const rw_ctx *c, size_t i)
{
    return rw_kw(c, i, LS_KW_SELECT) || rw_kw(c, i, LS_KW_DISTINCT) || rw_kw(c, i, LS_KW_ALL)
        || rw_op(c, i, ",");
}

/* Whether a top-level * must be expanded: the server sees the hidden column in a compound
 * SELECT, under DISTINCT or GROUP BY, or in INSERT ... SELECT.  A plain top-level SELECT * is
 * left to the shim, which hides the column from the result and so keeps the statement
 * following the table when it changes shape (ALTER TABLE ... ADD COLUMN, then re-prepare). */
static bool top_level_needs(const rw_ctx *c)
{
    if (rw_kw(c, c->stmt_start, LS_KW_INSERT) || rw_kw(c, c->stmt_start, LS_KW_REPLACE))
        return true;
    for (size_t k = c->stmt_start; k < c->n; k++)
        if (c->t[k].depth == 0
            && (rw_kw(c, k, LS_KW_DISTINCT) || rw_kw(c, k, LS_KW_GROUP) || rw_kw(c, k, LS_KW_UNION)
                || rw_kw(c, k, LS_KW_EXCEPT) || rw_kw(c, k, LS_KW_INTERSECT)))
            return true;
    return false;
}

void rw_star_rules(rw_ctx *c, size_t from, size_t to)
{
    int top = -1;   /* top_level_needs, computed on first use */
    if (!(c->seen & RW_SEEN_STAR))
        return;
    for (size_t i = from; i < to && i < c->n; i++) {
        if (!rw_op(c, i, "*") || c->t[i].repl || c->t[i].skip || i == 0)
            continue;
        if (c->t[i].depth == 0) {
            if (top < 0)
                top = top_level_needs(c);
            if (!top)
                continue;
        }
        if (!(rw_op(c, i + 1, ",") || rw_kw(c, i + 1, LS_KW_FROM)))
            continue;
        if (list_start(c, i - 1)) {
            expand(c, i, i, NULL);
        } else if (i >= 3 && rw_op(c, i - 1, ".") && rw_is_name(c, i - 2)
                   && list_start(c, i - 3)) {
            char qual[64];
            rw_name(c, i - 2, qual, sizeof qual);
            expand(c, i - 2, i, qual);
        }
    }
}

/* ---------------------------------------------------------------------------------------
 * D2: the class of typeless columns read by a top-level SELECT
 * ------------------------------------------------------------------------------------- */


/* The table of tabs[0..n) a column reference [a, b) (name or qual.name) names, with the
 * column's index there in *col; NULL when none or several. */
static const star_tab *resolve(const rw_ctx *c, size_t a, size_t b, const star_tab *tabs,
                               size_t n, size_t *col)
{
    char qual[64] = "", name[64];
    if (b == a + 3) {
        if (!rw_name(c, a, qual, sizeof qual))
            return NULL;
        a += 2;
    }
    if (!rw_name(c, a, name, sizeof name))
        return NULL;
    const star_tab *found = NULL;
    for (size_t k = 0; k < n; k++) {
        const char *q = tabs[k].alias[0] ? tabs[k].alias : tabs[k].name;
        if (qual[0] && strcmp(qual, q) != 0)
            continue;
        for (size_t m = 0; m < tabs[k].info->n_cols; m++) {
            if (tabs[k].info->cols[m].hidden || strcmp(tabs[k].info->cols[m].name, name) != 0)
                continue;
            if (found)
                return NULL;   /* ambiguous: the server says so */
            found = &tabs[k];
            *col = m;
        }
    }
    return found;
}

/* See rules.h.  Each select item that is a bare column of a typeless column gets its class
 * column appended to the select list (min() of it under GROUP BY), and the result records
 * which item it belongs to: the shim reads the value with that class and hides the field.
 * Left alone: compound SELECTs, select lists with a *, FROM items other than known tables
 * (read_from), and anything but a bare column (an expression reads back as text). */
void rw_class_items(rw_ctx *c, size_t v)
{
    if (!c->schema || !c->schema->table)
        return;
    int d = c->t[v].depth;
    bool group = false;
    for (size_t k = v + 1; k < c->n; k++) {
        if (c->t[k].depth != d)
            continue;
        if (rw_kw(c, k, LS_KW_UNION) || rw_kw(c, k, LS_KW_EXCEPT) || rw_kw(c, k, LS_KW_INTERSECT))
            return;
        group |= rw_kw(c, k, LS_KW_GROUP);
    }
    size_t from = find_from(c, v);
    star_tab tabs[STAR_MAX_TABLES];
    size_t n = 0;
    if (from >= c->n || !read_from(c, from, tabs, &n))
        return;
    bool any = false;
    for (size_t k = 0; k < n && !any; k++)
        for (size_t m = 0; m < tabs[k].info->n_cols && !any; m++)
            any = tabs[k].info->cols[m].has_class;
    if (!any)
        return;
    size_t a = v + 1;
    if (rw_kw(c, a, LS_KW_DISTINCT) || rw_kw(c, a, LS_KW_ALL))
        a++;
    rw_sb b = {0};
    int item = 0, n_items = 0, of[RW_MAX_CLASS_ITEMS];
    while (a < from) {
        size_t e = a;
        while (e < from && !(c->t[e].depth == d && rw_op(c, e, ",")))
            e++;
        if (rw_op(c, e - 1, "*")) {   /* the shim finds the classes inside a * itself */
            free(b.p);
            return;
        }
        /* the column part: name or qual.name, then nothing, AS alias, or alias */
        size_t ce = rw_op(c, a + 1, ".") ? a + 3 : a + 1;
        bool bare = ce <= e && (ce == e || (rw_kw(c, ce, LS_KW_AS) && ce + 2 == e)
                                || (ce + 1 == e && rw_is_name(c, ce)))
                    && (rw_is_name(c, a) || c->t[a].t.type == LS_TK_KEYWORD)
                    && (ce == a + 1 || rw_is_name(c, a + 2) || c->t[a + 2].t.type == LS_TK_KEYWORD)
                    && !rw_op(c, a + 1, "(");
        size_t col;
        const star_tab *t = bare ? resolve(c, a, ce, tabs, n, &col) : NULL;
        if (t && t->info->cols[col].has_class && n_items < RW_MAX_CLASS_ITEMS) {
            rw_sb_str(&b, ", ");
            rw_sb_class_ref(&b, t->alias[0] ? t->alias : t->name, t->info->cols[col].name, group);
            of[n_items++] = item;
        }
        item++;
        a = e + 1;
    }
    if (b.oom) {
        c->oom = true;
    } else if (n_items) {
        rw_pre(c, from, rw_printf(c, "%s ", b.p), LS_R_TYPELESS);
        memcpy(c->class_of, of, sizeof of[0] * (size_t)n_items);
        c->n_class_items = n_items;
    }
    free(b.p);
}

/* See rules.h: D2, INSERT ... SELECT into typeless columns: the class of the value the
 * select item at position pos (a * counts each of its columns) of the SELECT at sel gives:
 * a typeless column's class column (min() of it under GROUP BY), a literal's, a parameter's
 * or a CAST's class; "NULL" (unknown: read back as text) otherwise. */
const char *rw_class_of_item(rw_ctx *c, size_t sel, size_t pos)
{
    int d = c->t[sel].depth;
    size_t from = find_from(c, sel);
    star_tab tabs[STAR_MAX_TABLES];
    size_t n = 0;
    bool known = from < c->n && read_from(c, from, tabs, &n);
    bool group = false;
    for (size_t k = from; known && k < c->n && c->t[k].depth >= d; k++) {
        if (c->t[k].depth == d && (rw_kw(c, k, LS_KW_UNION) || rw_kw(c, k, LS_KW_EXCEPT)
                                   || rw_kw(c, k, LS_KW_INTERSECT)))
            break;
        group |= c->t[k].depth == d && rw_kw(c, k, LS_KW_GROUP);
    }
    size_t a = sel + 1, at = 0;
    if (rw_kw(c, a, LS_KW_DISTINCT) || rw_kw(c, a, LS_KW_ALL))
        a++;
    for (;;) {
        size_t e = a;
        while (e < c->n && c->t[e].depth >= d && !(c->t[e].depth == d && (rw_op(c, e, ",")
               || rw_kw(c, e, LS_KW_FROM) || rw_kw(c, e, LS_KW_WHERE) || rw_kw(c, e, LS_KW_GROUP)
               || rw_kw(c, e, LS_KW_ORDER) || rw_kw(c, e, LS_KW_LIMIT)
               || rw_kw(c, e, LS_KW_UNION) || rw_kw(c, e, LS_KW_EXCEPT)
               || rw_kw(c, e, LS_KW_INTERSECT) || rw_kw(c, e, LS_KW_ON)
               || rw_kw(c, e, LS_KW_RETURNING))))
            e++;
        if (e == a)
            return "NULL";
        const star_tab *t = NULL;
        size_t col = 0;
        if (rw_op(c, e - 1, "*")) {   /* *, or q.*: each visible column in turn */
            char qual[64] = "";
            if (e - a == 3 && !rw_name(c, a, qual, sizeof qual))
                return "NULL";
            if (!known)
                return "NULL";
            for (size_t k = 0; k < n && !t; k++) {
                const char *q = tabs[k].alias[0] ? tabs[k].alias : tabs[k].name;
                if (qual[0] && strcmp(q, qual) != 0)
                    continue;
                for (size_t m = 0; m < tabs[k].info->n_cols && !t; m++)
                    if (!tabs[k].info->cols[m].hidden && at++ == pos) {
                        t = &tabs[k];
                        col = m;
                    }
            }
            if (!t) {
                if (!rw_op(c, e, ","))
                    return "NULL";
                a = e + 1;
                continue;
            }
        } else if (at++ == pos) {
            size_t ce = rw_op(c, a + 1, ".") ? a + 3 : a + 1;
            if (known && ce == e && (rw_is_name(c, a) || c->t[a].t.type == LS_TK_KEYWORD)
                && !rw_op(c, a + 1, "("))
                t = resolve(c, a, ce, tabs, n, &col);
            if (!t)
                return rw_value_class(c, a, e, NULL, NULL, false);
        } else {
            if (!rw_op(c, e, ","))
                return "NULL";
            a = e + 1;
            continue;
        }
        if (!t->info->cols[col].has_class)
            return "NULL";
        rw_sb b = {0};
        rw_sb_class_ref(&b, t->alias[0] ? t->alias : t->name, t->info->cols[col].name, group);
        const char *s = b.oom ? (c->oom = true, "NULL") : rw_strdup(c, b.p, b.len);
        free(b.p);
        return s;
    }
}
