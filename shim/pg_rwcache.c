/* SPDX-License-Identifier: MIT
 *
 * The per-connection rewrite cache (DESIGN §5: a repeated statement costs a hash lookup):
 * rewrite results keyed by the exact bytes of the app's statement, in the rewriter's LRU
 * (rewriter/cache.c).  A result is shared, not copied: the cache and every statement that
 * uses it hold a reference, and the last one to let go frees it, so evicting or clearing
 * the cache never pulls a result from under a live statement.  Results depend on the schema
 * (the RETURNING rowid column, hidden columns, booleans), so the cache is cleared whenever
 * the connection's schema cache is (after DDL, after a reconnection).  Failed rewrites are
 * not cached.
 */
#include <stdlib.h>
#include <string.h>

#include "pg.h"

/* How many distinct statement texts a connection keeps rewritten. */
#define RW_CACHE_SIZE 256

struct ls_rw_shared {
    ls_rw_result rw;
    unsigned refs;
};

static void unref(void *p)
{
    ls_rw_shared *s = p;
    if (s && --s->refs == 0) {
        ls_rw_result_clear(&s->rw);
        free(s);
    }
}

/* See pg.h. */
int ls_pg_rewrite(ls_pgconn *c, const char *sql, size_t n, ls_pgstmt *st, ls_err *err)
{
    ls_pg_temp_settle(c);   /* a rolled-back TEMP table's rewrites are forgotten first */
    if (!c->rw_cache)
        c->rw_cache = ls_rw_cache_new(RW_CACHE_SIZE, unref);
    ls_rw_shared *s = c->rw_cache ? ls_rw_cache_get(c->rw_cache, sql, n) : NULL;
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s)
            return SQLITE_NOMEM;
        int rc = ls_rw_rewrite(sql, n, ls_pg_schema(c), &s->rw, err);
        if (rc != SQLITE_OK) {
            ls_rw_result_clear(&s->rw);
            free(s);
            return rc;
        }
        s->refs = 1; /* the cache's, or ours when it cannot be cached */
        if (!c->rw_cache || ls_rw_cache_put(c->rw_cache, sql, n, s) != SQLITE_OK) {
            st->rw = s->rw;
            st->rw_shared = s;
            st->rw_gen = c->schema_gen;
            return SQLITE_OK;
        }
    }
    s->refs++;
    st->rw = s->rw; /* a view: never modified, never cleared through st */
    st->rw_shared = s;
    st->rw_gen = c->schema_gen;
    return SQLITE_OK;
}

/* See pg.h.  Keys are whole statements as ls_split_next cut them, and a statement cut
 * from a longer text is cut the same way on its own, so a hit on the app's whole text
 * means that text is exactly one statement. */
bool ls_pg_rewrite_cached(ls_pgconn *c, const char *sql, size_t n)
{
    return c->rw_cache && ls_rw_cache_get(c->rw_cache, sql, n) != NULL;
}

/* See pg.h. */
void ls_pg_rewrite_release(ls_pgstmt *st)
{
    if (st->rw_shared)
        unref(st->rw_shared);
    else
        ls_rw_result_clear(&st->rw);
    st->rw_shared = NULL;
    memset(&st->rw, 0, sizeof st->rw);
}

/* See pg.h. */
void ls_pg_rewrite_cache_clear(ls_pgconn *c)
{
    if (c->rw_cache)
        ls_rw_cache_clear(c->rw_cache);
}

/* See pg.h. */
void ls_pg_rewrite_cache_free(ls_pgconn *c)
{
    ls_rw_cache_free(c->rw_cache);
    c->rw_cache = NULL;
}
