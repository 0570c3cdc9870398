/* SPDX-License-Identifier: MIT
 *
 * D2, the reading side of class columns: is an expression a bare reference to a column
 * declared without a type, and if so, how does PostgreSQL name its class column ("x:class",
 * rewriter/ddl.c)?  The statement's tables are found here from its own tokens (FROM and
 * JOIN items, the INSERT, UPDATE or DELETE target), so the answer does not depend on the
 * order the rule passes run in.
 *
 * Only references whose class column PostgreSQL will surely resolve to the same table are
 * answered: q.x where q is a table (or its alias, or excluded in an upsert) the schema knows;
 * x alone when every FROM item of the statement is a table the schema knows and every one
 * of them that has a column x has it without a type (then "x:class" is found wherever "x"
 * is).  A WITH clause, a subquery or table-valued function as a FROM item, or an unknown
 * name leaves the reference unanswered, and its caller keeps the old translation.
 */
#include <stdlib.h>
#include <string.h>

#include "rules.h"

#define CLASS_MAX_TABLES 16

typedef struct class_tab {
    char name[64];             /* canonical table name */
    char alias[64];            /* canonical alias, or "" */
    const ls_rw_table *info;   /* NULL: unknown to the schema */
} class_tab;

typedef struct class_scope {
    class_tab t[CLASS_MAX_TABLES];
    size_t n;
    bool opaque;               /* a FROM item that is no known table (or too many) */
} class_scope;

/* The FROM item at i: a table [AS alias] is added, anything else makes the scope opaque.
 * Returns the index after it. */
static size_t add_item(rw_ctx *c, class_scope *s, size_t i, bool target)
{
    if (!rw_is_name(c, i) && !(i < c->n && c->t[i].t.type == LS_TK_KEYWORD)) {
        s->opaque = true;   /* ( subquery ), or something unexpected */
        return i + 1;
    }
    size_t last = i;
    while (rw_op(c, last + 1, ".") && last + 2 < c->n)
        last += 2;
    if (rw_op(c, last + 1, "(") && !target) {
        s->opaque = true;   /* a table-valued function */
        return last + 1;
    }
    if (s->n == CLASS_MAX_TABLES) {
        s->opaque = true;
        return last + 1;
    }
    class_tab *t = &s->t[s->n++];
    memset(t, 0, sizeof *t);
    rw_name(c, last, t->name, sizeof t->name);
    t->info = rw_lookup(c, last, t->name);
    s->opaque |= t->info == NULL;
    size_t j = last + 1;
    if (rw_kw(c, j, LS_KW_AS))
        j++;
    if (rw_is_name(c, j))
        rw_name(c, j++, t->alias, sizeof t->alias);
    return j;
}

/* Every table the statement names as a FROM or JOIN item or as its target. */
static void collect(rw_ctx *c, class_scope *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < c->n; i++) {
        bool from = rw_kw(c, i, LS_KW_FROM) || rw_kw(c, i, LS_KW_JOIN);
        bool into = rw_kw(c, i, LS_KW_INTO);
        bool update = rw_kw(c, i, LS_KW_UPDATE) && i == c->stmt_start;
        if (!from && !into && !update)
            continue;
        size_t j = i + 1;
        if (update && rw_kw(c, j, LS_KW_OR))
            j += 2;   /* UPDATE OR <algorithm> */
        j = add_item(c, s, j, into || update);
        while (rw_kw(c, i, LS_KW_FROM) && rw_op(c, j, ","))
            j = add_item(c, s, j + 1, false);
    }
}

/* The column named col of table t, or NULL. */
static const ls_rw_column *column_of(const ls_rw_table *t, const char *col)
{
    for (size_t k = 0; t && k < t->n_cols; k++)
        if (!t->cols[k].hidden && !strcmp(t->cols[k].name, col))
            return &t->cols[k];
    return NULL;
}

/* The target of an INSERT (for excluded.x in its upsert), or NULL. */
static const class_tab *insert_target(const rw_ctx *c, const class_scope *s)
{
    for (size_t i = 0; i < c->n; i++)
        if (rw_kw(c, i, LS_KW_INTO) && i + 1 < c->n) {
            char name[64];
            size_t last = i + 1;
            while (rw_op(c, last + 1, ".") && last + 2 < c->n)
                last += 2;
            rw_name(c, last, name, sizeof name);
            for (size_t k = 0; k < s->n; k++)
                if (!strcmp(s->t[k].name, name))
                    return &s->t[k];
            return NULL;
        }
    return NULL;
}

/*
 * D2: when tokens [from, to) are a bare column reference, x or q.x, to a column declared
 * without a type, the PostgreSQL reference of its class column ("x:class" or "q"."x:class",
 * an arena string); NULL otherwise, or when it cannot be told for sure (see the file
 * comment).  Needs the schema; without one, always NULL.  tests/cases/func.case fn-090..
 */
const char *rw_class_ref(rw_ctx *c, size_t from, size_t to)
{
    if (!c->schema || !c->schema->table || rw_seen(c, LS_KW_WITH))
        return NULL;
    while (to > from + 2 && rw_op(c, from, "(") && c->t[from].match == (int)to - 1)
        from++, to--;   /* (x) is x */
    bool qualified = to == from + 3 && rw_op(c, from + 1, ".") && rw_is_name(c, from);
    if (!(to == from + 1 || qualified) || !rw_is_name(c, to - 1) || rw_op(c, to, "("))
        return NULL;
    char col[64], qual[64];
    if (!rw_name(c, to - 1, col, sizeof col))
        return NULL;
    class_scope s;
    collect(c, &s);
    const ls_rw_column *cd = NULL;
    const class_tab *upsert = NULL;
    if (qualified) {
        if (!rw_name(c, from, qual, sizeof qual))
            return NULL;
        const class_tab *hit = NULL;
        for (size_t k = 0; k < s.n && !hit; k++)
            if (s.t[k].alias[0] ? !strcmp(s.t[k].alias, qual) : !strcmp(s.t[k].name, qual))
                hit = &s.t[k];
        if (!hit && !strcmp(qual, "excluded"))
            hit = insert_target(c, &s);
        if (!hit || !hit->info)
            return NULL;
        cd = column_of(hit->info, col);
    } else {
        if (s.opaque || s.n == 0)
            return NULL;
        /* in an upsert's DO UPDATE (and the RETURNING after it) excluded has every column
         * too: qualified with the target, as dml.c qualifies the bare names there */
        for (size_t k = 0; k + 1 < from && !upsert; k++)
            if (rw_kw(c, k, LS_KW_DO) && rw_kw(c, k + 1, LS_KW_UPDATE))
                upsert = insert_target(c, &s);
        for (size_t k = from; upsert && k-- > 0 && !rw_kw(c, k, LS_KW_DO);)
            if (rw_kw(c, k, LS_KW_SELECT))
                return NULL;   /* a subquery there: not looked into */
        for (size_t k = 0; k < s.n; k++) {
            const ls_rw_column *here = column_of(s.t[k].info, col);
            if (here && !here->has_class)
                return NULL;   /* another table's typed x may be the one meant */
            cd = cd ? cd : here;
        }
    }
    if (!cd || !cd->has_class)
        return NULL;
    rw_sb b = {0};
    rw_sb_class_ref(&b, qualified ? qual : upsert ? (upsert->alias[0] ? upsert->alias : upsert->name)
                                              : NULL, col, false);
    const char *out = b.oom ? NULL : rw_strdup(c, b.p, b.len);
    if (b.oom)
        c->oom = true;
    free(b.p);
    return out;
}
