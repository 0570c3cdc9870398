/* SPDX-License-Identifier: MIT
 *
 * The rewriter's schema callback for `liteshift check`, answered from pg_catalog of the
 * target database: per table its columns (booleans and the hidden rowid column marked), its
 * rowid column (the hidden identity column of DIALECT T7, else a one-column integer primary
 * key) with its identity sequence, and its unique constraints (the REPLACE arbiters).  The
 * same facts the shim's per-connection cache gives its rewrites, so a statement is rewritten
 * here exactly as the shim would rewrite it against that database.  Tables are looked up on
 * the session's search_path, loaded on first use and kept (absent ones too) for the run.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"

typedef struct cat_entry {
    struct cat_entry *next;
    char *name;          /* canonical name, the key */
    bool exists;
    ls_rw_table table;
    ls_rw_column *cols;  /* owned, names in col_names */
    char **col_names;
    char **uniques;
    char *rowid;
    char *rowid_seq;
} cat_entry;

struct ls_catalog {
    PGconn *pg;          /* borrowed */
    cat_entry *entries;  /* owned, a list: a capture touches few tables */
    ls_rw_schema schema;
};

static const char columns_query[] =
    "SELECT a.attname, t.typname = 'bool', a.attidentity <> '',"
    " t.typname IN ('int2', 'int4', 'int8') AND EXISTS (SELECT 1 FROM pg_index i"
    "   WHERE i.indrelid = a.attrelid AND i.indisprimary AND i.indnatts = 1"
    "   AND i.indkey[0] = a.attnum),"
    " CASE WHEN a.attidentity <> '' THEN pg_get_serial_sequence(quote_ident($1), a.attname) END,"
    " t.typname = 'int2'"
    " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
    " WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped"
    " ORDER BY a.attnum";

static const char uniques_query[] =
    "SELECT (SELECT string_agg(a.attname, ',' ORDER BY k.n)"
    "   FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
    "   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)"
    " FROM pg_index i WHERE i.indrelid = to_regclass(quote_ident($1)) AND i.indisunique"
    " AND i.indpred IS NULL ORDER BY i.indexrelid";

static void entry_free(cat_entry *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->table.n_cols; i++)
        free(e->col_names[i]);
    for (size_t i = 0; i < e->table.n_unique; i++)
        free(e->uniques[i]);
    free(e->col_names);
    free(e->uniques);
    free(e->cols);
    free(e->rowid);
    free(e->rowid_seq);
    free(e->name);
    free(e);
}

/* One table from the catalog; NULL when out of memory or the queries fail (the rewrite then
 * goes on as if the table were unknown, as in the shim). */
static cat_entry *load(PGconn *pg, const char *name)
{
    const char *params[1] = { name };
    PGresult *cols = PQexecParams(pg, columns_query, 1, NULL, params, NULL, NULL, 0);
    PGresult *uniq = PQexecParams(pg, uniques_query, 1, NULL, params, NULL, NULL, 0);
    cat_entry *e = NULL;
    if (PQresultStatus(cols) != PGRES_TUPLES_OK || PQresultStatus(uniq) != PGRES_TUPLES_OK)
        goto out;
    if (!(e = calloc(1, sizeof *e)) || !(e->name = strdup(name)))
        goto fail;
    int n = PQntuples(cols);
    e->exists = n > 0;
    e->cols = calloc((size_t)n + 1, sizeof *e->cols);
    e->col_names = calloc((size_t)n + 1, sizeof *e->col_names);
    if (!e->cols || !e->col_names)
        goto fail;
    bool hidden_found = false;
    for (int i = 0; i < n; i++) {
        if (!(e->col_names[i] = strdup(PQgetvalue(cols, i, 0))))
            goto fail;
        e->table.n_cols++;
        e->cols[i].name = e->col_names[i];
        e->cols[i].is_bool = PQgetvalue(cols, i, 1)[0] == 't';
        bool identity = PQgetvalue(cols, i, 2)[0] == 't';
        bool int_key = PQgetvalue(cols, i, 3)[0] == 't';
        bool hidden = identity && strcmp(e->col_names[i], LS_HIDDEN_ROWID) == 0;
        e->cols[i].hidden = hidden;
        /* D2, as the shim's schema cache reads it: a smallint "<name>:class" right after the
         * column <name> (declared without a type) keeps that column's storage classes */
        size_t pl = i > 0 ? strlen(e->col_names[i - 1]) : 0;
        if (i > 0 && PQgetvalue(cols, i, 5)[0] == 't' && !e->cols[i - 1].hidden &&
            strncmp(e->col_names[i], e->col_names[i - 1], pl) == 0 &&
            strcmp(e->col_names[i] + pl, LS_CLASS_SUFFIX) == 0) {
            e->cols[i].hidden = e->cols[i].is_class = true;
            e->cols[i - 1].has_class = true;
        }
        /* the hidden rowid column wins over an integer key; the first key otherwise */
        if ((hidden && !hidden_found) || (int_key && !e->rowid)) {
            free(e->rowid);
            free(e->rowid_seq);
            e->rowid_seq = NULL;
            hidden_found |= hidden;
            if (!(e->rowid = strdup(e->col_names[i])))
                goto fail;
            if (identity && !PQgetisnull(cols, i, 4) &&
                !(e->rowid_seq = strdup(PQgetvalue(cols, i, 4))))
                goto fail;
        }
    }
    int u = PQntuples(uniq);
    if (!(e->uniques = calloc((size_t)u + 1, sizeof *e->uniques)))
        goto fail;
    for (int i = 0; i < u; i++) {
        if (!(e->uniques[i] = strdup(PQgetvalue(uniq, i, 0))))
            goto fail;
        e->table.n_unique++;
    }
    e->table.cols = e->cols;
    e->table.unique = (const char *const *)e->uniques;
    e->table.rowid = e->rowid;
    e->table.rowid_seq = e->rowid_seq;
    goto out;
fail:
    entry_free(e);
    e = NULL;
out:
    PQclear(cols);
    PQclear(uniq);
    return e;
}

static const ls_rw_table *lookup(void *ctx, const char *name)
{
    ls_catalog *cat = ctx;
    cat_entry *e = cat->entries;
    while (e && strcmp(e->name, name) != 0)
        e = e->next;
    if (!e) {
        if (!(e = load(cat->pg, name)))
            return NULL;
        e->next = cat->entries;
        cat->entries = e;
    }
    return e->exists ? &e->table : NULL;
}

/* See check.h. */
ls_catalog *ls_catalog_new(PGconn *pg)
{
    ls_catalog *cat = calloc(1, sizeof *cat);
    if (!cat)
        return NULL;
    cat->pg = pg;
    cat->schema.table = lookup;
    cat->schema.ctx = cat;
    return cat;
}

/* See check.h. */
void ls_catalog_free(ls_catalog *cat)
{
    if (!cat)
        return;
    while (cat->entries) {
        cat_entry *e = cat->entries;
        cat->entries = e->next;
        entry_free(e);
    }
    free(cat);
}

/* See check.h. */
const ls_rw_schema *ls_catalog_schema(ls_catalog *cat)
{
    return &cat->schema;
}
