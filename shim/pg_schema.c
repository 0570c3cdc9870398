/* SPDX-License-Identifier: MIT
 *
 * The per-connection schema cache behind the rewriter's schema callback (rewriter/rewrite.h):
 * for a table, its columns (with booleans marked), its rowid column (a single-column integer
 * primary key: what INTEGER PRIMARY KEY became), its unique constraints, and whether the name
 * resolves to a TEMP table or view (the write lock, D11).  Loaded from
 * pg_catalog on first use, one round trip per table, absent tables remembered too; the whole
 * cache is dropped after any DDL and after a reconnection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define uthash_nonfatal_oom(obj) ((void)(obj))
#include <uthash.h>

#include "pg.h"
#include "log.h"

struct ls_schema_entry {
    char *name;                /* canonical table name: the key */
    bool exists;
    ls_rw_table table;
    ls_rw_column *cols;
    char **col_names;
    char **uniques;
    char *rowid;
    char *rowid_seq;
    char relkind;              /* pg_class.relkind of what the name resolves to: 'r', 'v'... */
    bool temp;                 /* ... a TEMP relation (pg_temp, first on the search_path)
                                * without triggers or rules, which could write elsewhere */
    UT_hash_handle hh;
};

static void entry_free(ls_schema_entry *e)
{
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

void ls_pg_schema_invalidate(ls_pgconn *c)
{
    c->schema_gen++;
    ls_pg_rewrite_cache_clear(c); /* rewrites were made against this schema */
    ls_pg_decl_invalidate(c);
    ls_pg_auth_invalidate(c);
    ls_schema_entry *e, *tmp;
    HASH_ITER(hh, c->schema, e, tmp) {
        HASH_DELETE(hh, c->schema, e);
        entry_free(e);
    }
}

static const char cols_sql[] =
    "SELECT a.attname, t.typname = 'bool',"
    " coalesce((SELECT array_length(i.indkey, 1) = 1 FROM pg_index i"
    "  WHERE i.indrelid = a.attrelid AND i.indisprimary AND i.indkey[0] = a.attnum), false)"
    "  AND t.typname IN ('int8', 'int4', 'int2'),"
    " a.attidentity <> '',"
    " CASE WHEN a.attidentity <> '' THEN pg_get_serial_sequence($1, a.attname) END,"
    " r.relkind, r.relpersistence = 't' AND NOT r.relhastriggers"
    "  AND (r.relkind = 'v' OR NOT r.relhasrules),"   /* a view's rule is its body */
    " t.typname = 'int2',"
    /* the replay log (pg_replay.c): what else may run with a write to the table, which
     * could write differently when the write runs again: a trigger of its own or of a table
     * its rows cascade to, a rule, a default calling a function */
    LS_REPLAY_UNSAFE_SQL
    " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
    " JOIN pg_class r ON r.oid = a.attrelid"
    " WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped"
    " ORDER BY a.attnum";
static const char uniq_sql[] =
    "SELECT string_agg(a.attname, ',' ORDER BY k.ord)"
    " FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
    " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
    " WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indpred IS NULL"
    " GROUP BY i.indexrelid ORDER BY i.indexrelid";

/* See pg.h: the name as PostgreSQL reads it, quoted, and qualified by the app's schema when
 * the statement wrote main.name (LS_RW_MAIN_KEY). */
bool ls_pg_schema_regname(const ls_pgconn *c, const char *key, char *out, size_t cap)
{
    bool main_q = strncmp(key, LS_RW_MAIN_KEY, sizeof LS_RW_MAIN_KEY - 1) == 0;
    const char *bare = main_q ? key + sizeof LS_RW_MAIN_KEY - 1 : key;
    char qname[260];
    if (!ls_pg_quote_ident(bare, qname, sizeof qname))
        return false;
    int n = snprintf(out, cap, "%s%s%s", main_q ? c->main_schema : "",
                     main_q && c->main_schema[0] ? "." : "", qname);
    return n > 0 && (size_t)n < cap;
}

/* Load one table; NULL on failure (the rewrite then proceeds as if it were unknown). */
static ls_schema_entry *load(ls_pgconn *c, const char *name)
{
    if (ls_pg_free_connection(c) != SQLITE_OK || ls_pg_ensure_connected(c) != SQLITE_OK)
        return NULL;
    char reg[400];
    if (!ls_pg_schema_regname(c, name, reg, sizeof reg))
        return NULL;
    const char *p[1] = { reg };
    if (!PQsendQueryParams(c->pg, cols_sql, 1, NULL, p, NULL, NULL, 0) ||
        !PQsendQueryParams(c->pg, uniq_sql, 1, NULL, p, NULL, NULL, 0) || !ls_pg_sync(c))
        return NULL;
    PGresult *res[2] = { NULL, NULL };
    int got = 0;
    bool failed = false;
    for (PGresult *r; (r = ls_pg_next_result(c));) {
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_TUPLES_OK && got < 2)
            res[got++] = r;
        else {
            failed |= s == PGRES_FATAL_ERROR;
            PQclear(r);
        }
    }
    ls_schema_entry *e = NULL;
    if (failed || got < 2)
        goto out;
    e = calloc(1, sizeof *e);
    if (!e || !(e->name = strdup(name)))
        goto fail;
    int n = PQntuples(res[0]);
    e->exists = n > 0;
    if (n > 0) {
        e->relkind = PQgetvalue(res[0], 0, 5)[0];
        e->temp = PQgetvalue(res[0], 0, 6)[0] == 't';
        e->table.replay_unsafe = PQgetvalue(res[0], 0, 8)[0] == 't';
    }
    bool hidden_rowid = false;
    e->cols = calloc((size_t)n + 1, sizeof *e->cols);
    e->col_names = calloc((size_t)n + 1, sizeof *e->col_names);
    if (!e->cols || !e->col_names)
        goto fail;
    for (int i = 0; i < n; i++) {
        if (!(e->col_names[i] = strdup(PQgetvalue(res[0], i, 0))))
            goto fail;
        e->table.n_cols++;
        e->cols[i].name = e->col_names[i];
        e->cols[i].is_bool = PQgetvalue(res[0], i, 1)[0] == 't';
        bool identity = PQgetvalue(res[0], i, 3)[0] == 't';
        /* the rowid: the hidden identity column of DIALECT T7 when there is one (the DDL adds
         * it only when no column is a rowid alias), else a one-column integer primary key */
        bool key = PQgetvalue(res[0], i, 2)[0] == 't';
        bool hidden = identity && !strcmp(e->col_names[i], LS_HIDDEN_ROWID);
        e->cols[i].hidden = hidden;
        /* D2: "<name>:class" smallint right after the column <name> keeps its classes */
        if (i > 0 && PQgetvalue(res[0], i, 7)[0] == 't' && !e->cols[i - 1].hidden) {
            size_t pl = strlen(e->col_names[i - 1]);
            if (!strncmp(e->col_names[i], e->col_names[i - 1], pl)
                && !strcmp(e->col_names[i] + pl, LS_CLASS_SUFFIX)) {
                e->cols[i].hidden = e->cols[i].is_class = true;
                e->cols[i - 1].has_class = true;
            }
        }
        if ((hidden && !hidden_rowid) || (key && !e->rowid)) {
            free(e->rowid);
            free(e->rowid_seq);
            e->rowid_seq = NULL;
            hidden_rowid |= hidden;
            if (!(e->rowid = strdup(e->col_names[i])))
                goto fail;
            if (identity && !PQgetisnull(res[0], i, 4)
                && !(e->rowid_seq = strdup(PQgetvalue(res[0], i, 4))))
                goto fail;
        }
    }
    int u = PQntuples(res[1]);
    e->uniques = calloc((size_t)u + 1, sizeof *e->uniques);
    if (!e->uniques)
        goto fail;
    for (int i = 0; i < u; i++) {
        /* the hidden rowid's own UNIQUE (DIALECT T7) is the rowid, which the rewriter knows
         * as such: not one of the app's keys (REPLACE and upsert plan with those) */
        if (hidden_rowid && !strcmp(PQgetvalue(res[1], i, 0), e->rowid))
            continue;
        if (!(e->uniques[e->table.n_unique] = strdup(PQgetvalue(res[1], i, 0))))
            goto fail;
        e->table.n_unique++;
    }
    e->table.cols = e->cols;
    e->table.unique = (const char *const *)e->uniques;
    e->table.rowid = e->rowid;
    e->table.rowid_seq = e->rowid_seq;
    goto out;
fail:
    if (e)
        entry_free(e);
    e = NULL;
out:
    PQclear(res[0]);
    PQclear(res[1]);
    return e;
}

/* The cache entry of name, loaded when missing; NULL when it could not be loaded. */
static ls_schema_entry *entry(ls_pgconn *c, const char *name)
{
    ls_schema_entry *e = NULL;
    HASH_FIND_STR(c->schema, name, e);
    if (!e) {
        e = load(c, name);
        if (!e)
            return NULL;
        HASH_ADD_KEYPTR(hh, c->schema, e->name, strlen(e->name), e);
        ls_log(LS_LOG_DEBUG, c->id, "schema: %s %s, rowid %s, %zu unique", name,
               e->exists ? "loaded" : "absent", e->rowid ? e->rowid : "-", e->table.n_unique);
    }
    return e;
}

static const ls_rw_table *lookup(void *ctx, const char *name)
{
    ls_schema_entry *e = entry(ctx, name);
    return e && e->exists && e->relkind != 'i' ? &e->table : NULL;   /* not an index's */
}

/* See pg.h. */
bool ls_pg_schema_temp(ls_pgconn *c, const char *name, char kind)
{
    ls_schema_entry *e = entry(c, name);
    return e && e->exists && e->temp && e->relkind == kind;
}

/* See pg.h: the callback the rewriter consults, bound to this connection. */
const ls_rw_schema *ls_pg_schema(ls_pgconn *c)
{
    static __thread ls_rw_schema s;
    ls_pg_temp_settle(c);
    s.table = lookup;
    s.ctx = c;
    s.main_schema = c->main_schema[0] ? c->main_schema : NULL;
    return &s;
}
