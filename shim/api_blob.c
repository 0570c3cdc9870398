/* SPDX-License-Identifier: MIT
 *
 * Incremental blob I/O (sqlite3_blob_*) on PostgreSQL handles.  PostgreSQL has no handle on
 * one stored value, so a blob handle remembers table, column and rowid and each call is one
 * statement on the connection, through the same prepare/step path as the app's SQL (so
 * transactions, savepoints and error mapping are the app's):
 *
 *   open/reopen  SELECT octet_length(col), pg_typeof(col) ... WHERE rowid = ?
 *   read         SELECT substring(col, off + 1, n) ...          (bytes of the UTF-8 text
 *                                                                for a text value)
 *   write        UPDATE ... SET col = overlay(col, data, off + 1) (size never changes, as in
 *                                                                SQLite)
 *
 * As in SQLite: the size is fixed at open; reads and writes past it fail with SQLITE_ERROR;
 * writing a handle opened read-only is SQLITE_READONLY; a row deleted or resized behind the
 * handle makes it SQLITE_ABORT; only blob and text values can be opened.  Internal writes
 * leave changes(), total_changes() and last_insert_rowid() as they were (SQLite's blob
 * writes do not count).  Opening for writing takes the write lock (D11), as SQLite does.
 * Deviations: SQLite refuses to open an indexed column for writing; here the write goes
 * through (PostgreSQL updates the index).  Outside a transaction SQLite holds the lock from
 * open to close; here each write holds it for its own duration only.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "pg_api.h"

typedef struct ls_pgblob {
    ls_handle h;
    ls_pgconn *c;
    char *probe_sql, *read_sql, *write_sql;   /* SQLite-dialect text, names quoted */
    char table[128], col[128], rid[128];       /* canonical names */
    bool writable;
    bool dead;           /* reopen failed or the row went away: every call is SQLITE_ABORT */
    sqlite3_int64 row;
    int bytes;
} ls_pgblob;

#define BLOB(p) ((ls_pgblob *)(p))

/* "name" with " doubled, appended to a growing string. */
static bool add(char **s, size_t *len, size_t *cap, const char *text, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = (*cap ? *cap * 2 : 128) + n;
        char *p = realloc(*s, nc);
        if (!p)
            return false;
        *s = p;
        *cap = nc;
    }
    memcpy(*s + *len, text, n);
    *len += n;
    (*s)[*len] = '\0';
    return true;
}

static bool add_ident(char **s, size_t *len, size_t *cap, const char *name)
{
    bool ok = add(s, len, cap, "\"", 1);
    for (const char *p = name; ok && *p; p++)
        ok = add(s, len, cap, p, 1) && (*p != '"' || add(s, len, cap, "\"", 1));
    return ok && add(s, len, cap, "\"", 1);
}

/* fmt with %T (table), %C (column), %R (rowid column), %X (the value as bytes) replaced. */
static char *build(const char *fmt, const char *table, const char *col, const char *rid,
                   bool text)
{
    char *s = NULL;
    size_t len = 0, cap = 0;
    bool ok = true;
    for (const char *p = fmt; ok && *p; p++) {
        if (p[0] == '%' && p[1]) {
            p++;
            if (*p == 'T')
                ok = add_ident(&s, &len, &cap, table);
            else if (*p == 'C')
                ok = add_ident(&s, &len, &cap, col);
            else if (*p == 'R')
                ok = add_ident(&s, &len, &cap, rid);
            else if (*p == 'X' && text)
                ok = add(&s, &len, &cap, "convert_to(", 11) && add_ident(&s, &len, &cap, col)
                     && add(&s, &len, &cap, ", 'UTF8')", 9);
            else if (*p == 'X')
                ok = add_ident(&s, &len, &cap, col);
            continue;
        }
        ok = add(&s, &len, &cap, p, 1);
    }
    if (!ok) {
        free(s);
        return NULL;
    }
    return s;
}

/* Run sql with int64/blob parameters; *out gets the finalized state: SQLITE_ROW with the
 * statement left open in *stmt (caller finalizes), or the step's final code. */
typedef struct blob_arg {
    bool is_blob;
    sqlite3_int64 i;
    const void *p;
    int n;
} blob_arg;

static int run(ls_pgconn *c, const char *sql, const blob_arg *args, int nargs,
               sqlite3_stmt **stmt, sqlite3_int64 *changed)
{
    sqlite3 *db = (sqlite3 *)c;
    ls_lean_settle(c);   /* the rowid kept below is the one the app would read */
    sqlite3_int64 changes = c->changes, total = c->total_changes, rowid = c->last_rowid;
    sqlite3_stmt *st = NULL;
    int rc = ls_pg_sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    for (int k = 0; rc == SQLITE_OK && k < nargs; k++)
        rc = args[k].is_blob ? ls_pg_sqlite3_bind_blob(st, k + 1, args[k].p, args[k].n,
                                                       SQLITE_TRANSIENT)
                             : ls_pg_sqlite3_bind_int64(st, k + 1, args[k].i);
    if (rc == SQLITE_OK)
        rc = ls_pg_sqlite3_step(st);
    if (rc == SQLITE_ROW && stmt) {
        *stmt = st;
        return rc;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE && rc != SQLITE_OK) {
        /* keep the statement's error on the connection past finalize */
        char *msg = strdup(ls_pg_sqlite3_errmsg(db));
        int code = ls_pg_sqlite3_extended_errcode(db);
        ls_pg_sqlite3_finalize(st);
        ls_conn_error(&c->base, code, "%s", msg ? msg : "out of memory");
        free(msg);
    } else {
        ls_pg_sqlite3_finalize(st);
    }
    if (changed)
        *changed = c->changes;
    c->changes = changes;
    c->total_changes = total;
    c->last_rowid = rowid;
    return rc;
}

/* Look at the row: its value's type, then its size, or an error as SQLite words it. */
static int probe(ls_pgblob *b, sqlite3_int64 row)
{
    ls_pgconn *c = b->c;
    sqlite3_stmt *st = NULL;
    blob_arg a = { .i = row };
    int rc = run(c, b->probe_sql, &a, 1, &st, NULL);
    if (rc == SQLITE_DONE)
        return ls_conn_error(&c->base, SQLITE_ERROR, "no such rowid: %lld", (long long)row);
    if (rc != SQLITE_ROW)
        return rc;
    const char *type = (const char *)ls_pg_sqlite3_column_text(st, 0);
    const char *what = NULL;
    bool text = false;
    if (ls_pg_sqlite3_column_int(st, 1))
        what = "null";
    else if (type && !strcmp(type, "bytea"))
        text = false;
    else if (type && (!strcmp(type, "text") || !strcmp(type, "character varying")
                      || !strcmp(type, "character")))
        text = true;
    else
        what = type && (!strcmp(type, "double precision") || !strcmp(type, "real")
                        || !strcmp(type, "numeric")) ? "real" : "integer";
    ls_pg_sqlite3_finalize(st);
    if (what)
        return ls_conn_error(&c->base, SQLITE_ERROR, "cannot open value of type %s", what);
    if (!b->read_sql) {
        b->read_sql = build("SELECT octet_length(%X), \"substring\"(%X, ?, ?) FROM %T WHERE %R = ?",
                            b->table, b->col, b->rid, text);
        b->write_sql = text
            ? build("UPDATE %T SET %C = convert_from(overlay(%X, ?, ?), 'UTF8') WHERE %R = ? "
                    "AND octet_length(%X) = ?", b->table, b->col, b->rid, true)
            : build("UPDATE %T SET %C = overlay(%C, ?, ?) WHERE %R = ? AND octet_length(%C) = ?",
                    b->table, b->col, b->rid, false);
        if (!b->read_sql || !b->write_sql)
            return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
    }
    blob_arg r[3] = { { .i = 1 }, { .i = 0 }, { .i = row } };
    rc = run(c, b->read_sql, r, 3, &st, NULL);
    if (rc == SQLITE_DONE)
        return ls_conn_error(&c->base, SQLITE_ERROR, "no such rowid: %lld", (long long)row);
    if (rc != SQLITE_ROW)
        return rc;
    sqlite3_int64 n = ls_pg_sqlite3_column_int64(st, 0);
    ls_pg_sqlite3_finalize(st);
    if (n > 0x7fffffff)
        return ls_conn_error(&c->base, SQLITE_TOOBIG, "string or blob too big");
    b->row = row;
    b->bytes = (int)n;
    return SQLITE_OK;
}

static void blob_free(ls_pgblob *b)
{
    b->h.state = LS_STATE_DEAD;
    free(b->probe_sql);
    free(b->read_sql);
    free(b->write_sql);
    free(b);
}

int ls_pg_sqlite3_blob_open(sqlite3 *db, const char *zDb, const char *zTable,
                            const char *zColumn, sqlite3_int64 iRow, int flags,
                            sqlite3_blob **ppBlob)
{
    ls_pgconn *c = (ls_pgconn *)db;
    if (ppBlob)
        *ppBlob = NULL;
    if (!ls_handle_live(c) || !ppBlob || !zTable || !zColumn)
        return SQLITE_MISUSE;
    ls_conn_clear_error(&c->base);
    if (zDb && strcmp(zDb, "main") && strcmp(zDb, "temp"))
        return ls_conn_error(&c->base, SQLITE_ERROR, "no such table: %s.%s", zDb, zTable);
    char lower[128], lcol[128];
    snprintf(lower, sizeof lower, "%s", zTable);
    snprintf(lcol, sizeof lcol, "%s", zColumn);
    for (char *p = lower; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (char *p = lcol; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    const ls_rw_schema *s = ls_pg_schema(c);
    const ls_rw_table *t = s && s->table ? s->table(s->ctx, lower) : NULL;
    if (!t)
        return ls_conn_error(&c->base, SQLITE_ERROR, "no such table: %s.%s",
                             zDb ? zDb : "main", zTable);
    bool found = false;
    for (size_t k = 0; k < t->n_cols; k++)
        found |= !strcmp(t->cols[k].name, lcol) && !t->cols[k].hidden;
    if (!found)
        return ls_conn_error(&c->base, SQLITE_ERROR, "no such column: \"%s\"", zColumn);
    if (!t->rowid)
        return ls_conn_error(&c->base, SQLITE_ERROR, "cannot open table without rowid: %s",
                             zTable);
    ls_pgblob *b = calloc(1, sizeof *b);
    if (!b)
        return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
    ls_handle_init(&b->h, LS_KIND_BLOB, &c->base);
    b->c = c;
    b->writable = flags != 0;
    snprintf(b->table, sizeof b->table, "%s", lower);
    snprintf(b->col, sizeof b->col, "%s", lcol);
    snprintf(b->rid, sizeof b->rid, "%s", t->rowid);
    b->probe_sql = build("SELECT CAST(pg_typeof(%C) AS text), %C IS NULL FROM %T WHERE %R = ?",
                         lower, lcol, t->rowid, false);
    int rc = b->probe_sql ? SQLITE_OK : ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
    if (rc == SQLITE_OK && b->writable) {
        /* SQLite takes the write lock when it opens a blob for writing (its statement's
         * write transaction), before it looks at the row: a held lock is SQLITE_BUSY here,
         * after the busy timeout, rather than at the first sqlite3_blob_write.  An UPDATE
         * that changes no row takes it the way any write does (D11): in a transaction, to
         * its end; outside one, only for its own duration */
        char *lock_sql = build("UPDATE %T SET %C = %C WHERE %R IS NULL", lower, lcol, t->rowid,
                               false);
        rc = lock_sql ? run(c, lock_sql, NULL, 0, NULL, NULL)
                      : ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
        free(lock_sql);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    if (rc == SQLITE_OK)
        rc = probe(b, iRow);
    if (rc != SQLITE_OK) {
        blob_free(b);
        return rc;
    }
    c->n_blobs++;
    *ppBlob = (sqlite3_blob *)b;
    return SQLITE_OK;
}

int ls_pg_sqlite3_blob_bytes(sqlite3_blob *p)
{
    ls_pgblob *b = BLOB(p);
    return ls_handle_live(b) && !b->dead ? b->bytes : 0;
}

/* Under the connection's lock, taken here rather than by the forwarder: the last blob of
 * a connection closed by close_v2 frees the connection and its mutex, as its last
 * statement does (sqlite3_finalize). */
int ls_pg_sqlite3_blob_close(sqlite3_blob *p)
{
    ls_pgblob *b = BLOB(p);
    if (!ls_handle_live(b))
        return SQLITE_MISUSE;
    ls_pgconn *c = b->c;
    ls_lock lk = ls_enter(b);
    blob_free(b);
    c->n_blobs--;
    ls_pg_conn_leave_reap(c, lk);
    return SQLITE_OK;
}

/* The start of a read, write or reopen: the error slot cleared, and SQLITE_MISUSE once the
 * connection was closed by close_v2 (only blob_close is left). */
static int blob_begin(ls_pgblob *b)
{
    ls_conn_clear_error(&b->c->base);
    return b->c->zombie ? ls_conn_error(&b->c->base, SQLITE_MISUSE,
                                        "bad parameter or other API misuse")
                        : SQLITE_OK;
}

static int check_range(ls_pgblob *b, int n, int off)
{
    ls_pgconn *c = b->c;
    if (b->dead)
        return ls_conn_error(&c->base, SQLITE_ABORT, "query aborted");
    if (n < 0 || off < 0 || (sqlite3_int64)off + n > b->bytes)
        return ls_conn_error(&c->base, SQLITE_ERROR, "SQL logic error");
    return SQLITE_OK;
}

int ls_pg_sqlite3_blob_read(sqlite3_blob *p, void *z, int n, int off)
{
    ls_pgblob *b = BLOB(p);
    if (!ls_handle_live(b) || (!z && n > 0))
        return SQLITE_MISUSE;
    int rc = blob_begin(b);
    if (rc == SQLITE_OK)
        rc = check_range(b, n, off);
    if (rc != SQLITE_OK || n == 0)
        return rc;
    sqlite3_stmt *st = NULL;
    blob_arg a[3] = { { .i = (sqlite3_int64)off + 1 }, { .i = n }, { .i = b->row } };
    rc = run(b->c, b->read_sql, a, 3, &st, NULL);
    if (rc == SQLITE_DONE) {   /* the row went away behind the handle */
        b->dead = true;
        return ls_conn_error(&b->c->base, SQLITE_ABORT, "query aborted");
    }
    if (rc != SQLITE_ROW)
        return rc;
    const void *data = ls_pg_sqlite3_column_blob(st, 1);
    int got = ls_pg_sqlite3_column_bytes(st, 1);
    if (got != n || ls_pg_sqlite3_column_int64(st, 0) != b->bytes) {   /* resized behind us */
        ls_pg_sqlite3_finalize(st);
        b->dead = true;
        return ls_conn_error(&b->c->base, SQLITE_ABORT, "query aborted");
    }
    memcpy(z, data, (size_t)n);
    ls_pg_sqlite3_finalize(st);
    return SQLITE_OK;
}

int ls_pg_sqlite3_blob_write(sqlite3_blob *p, const void *z, int n, int off)
{
    ls_pgblob *b = BLOB(p);
    if (!ls_handle_live(b) || (!z && n > 0))
        return SQLITE_MISUSE;
    int rc = blob_begin(b);
    if (rc != SQLITE_OK)
        return rc;
    if (!b->writable)
        return ls_conn_error(&b->c->base, SQLITE_READONLY, "attempt to write a readonly database");
    rc = check_range(b, n, off);
    if (rc != SQLITE_OK || n == 0)
        return rc;
    blob_arg a[4] = { { .is_blob = true, .p = z, .n = n }, { .i = (sqlite3_int64)off + 1 },
                      { .i = b->row }, { .i = b->bytes } };
    sqlite3_int64 changed = 0;
    rc = run(b->c, b->write_sql, a, 4, NULL, &changed);
    if (rc != SQLITE_DONE)
        return rc;
    if (changed != 1) {   /* the row went away or changed size behind the handle */
        b->dead = true;
        return ls_conn_error(&b->c->base, SQLITE_ABORT, "query aborted");
    }
    return SQLITE_OK;
}

int ls_pg_sqlite3_blob_reopen(sqlite3_blob *p, sqlite3_int64 row)
{
    ls_pgblob *b = BLOB(p);
    if (!ls_handle_live(b))
        return SQLITE_MISUSE;
    int rc = blob_begin(b);
    if (rc != SQLITE_OK)
        return rc;
    if (b->dead)
        return ls_conn_error(&b->c->base, SQLITE_ABORT, "query aborted");
    rc = probe(b, row);
    if (rc != SQLITE_OK)
        b->dead = true;
    return rc;
}
