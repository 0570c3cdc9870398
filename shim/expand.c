/* SPDX-License-Identifier: MIT
 *
 * sqlite3_expanded_sql on PostgreSQL statements: the app's text of the statement with each
 * parameter token replaced by the value bound to it, written as SQLite writes it (NULL,
 * integers, reals with 17 significant digits as SQLite's %!.15g would round-trip, 'text'
 * with quotes doubled, x'hex' blobs).  The parameter tokens and their SQLite indexes come
 * from the rewriter's scan (ls_params.uses), so the text is never re-parsed here.
 */
#include <stdio.h>
#include <string.h>

#include "pg.h"

typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool oom;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t nc = (b->cap ? b->cap * 2 : 256) + n;
        char *q = ls_real.sqlite3_realloc64(b->p, nc);
        if (!q) {
            b->oom = true;
            return;
        }
        b->p = q;
        b->cap = nc;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void put_value(sbuf *b, const ls_pgstmt *st, int i)
{
    const char *v = i >= 1 && i <= st->n_bind ? st->bind_val[i] : NULL;
    int cls = i >= 1 && i <= st->n_bind ? st->bind_cls[i] : 0;
    if (!v) {
        put(b, "NULL", 4);
    } else if (cls == SQLITE_INTEGER || cls == SQLITE_FLOAT) {
        if (cls == SQLITE_FLOAT) {
            char buf[40];
            double d = 0;
            sscanf(v, "%lf", &d);
            ls_pg_format_double(d, buf, sizeof buf);
            put(b, buf, strlen(buf));
        } else {
            put(b, v, strlen(v));
        }
    } else if (cls == SQLITE_BLOB) {
        static const char hex[] = "0123456789abcdef";
        put(b, "x'", 2);
        for (int k = 0; k < st->bind_len[i]; k++) {
            unsigned char c = (unsigned char)v[k];
            char h[2] = { hex[c >> 4], hex[c & 15] };
            put(b, h, 2);
        }
        put(b, "'", 1);
    } else {
        put(b, "'", 1);
        for (const char *p = v; *p; p++) {
            put(b, p, 1);
            if (*p == '\'')
                put(b, "'", 1);   /* SQLite doubles a quote inside a literal */
        }
        put(b, "'", 1);
    }
}

char *ls_pg_expand_sql(ls_pgstmt *st)
{
    sbuf b = {0};
    const ls_params *pr = &st->rw.params;
    size_t at = 0;
    for (size_t k = 0; k < pr->n_uses; k++) {
        const ls_param_use *u = &pr->uses[k];
        if (u->off < at || u->off + u->len > st->sql_len)
            break;
        put(&b, st->sql + at, u->off - at);
        put_value(&b, st, u->index);
        at = u->off + u->len;
    }
    put(&b, st->sql + at, st->sql_len - at);
    if (b.oom) {
        ls_real.sqlite3_free(b.p);
        return NULL;
    }
    if (!b.p)
        put(&b, "", 0);
    return b.p;
}
