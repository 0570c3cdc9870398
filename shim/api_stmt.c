/* SPDX-License-Identifier: MIT
 *
 * Statement entry points on PostgreSQL handles: prepare (one statement, pzTail as SQLite
 * finds it), bind_* (copies, never spliced into SQL), step, reset, clear_bindings, finalize,
 * column_* and value_*, and the statement introspection calls.  Execution itself is in
 * pg_exec.c; value conversions in pg_types.c.
 *
 * Lifetimes follow SQLite: column text and blobs are valid until the next step, reset or
 * finalize of the statement (or a conversion of the same column); sqlite3_sql text until
 * finalize; error text until the next call on the connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "pg.h"
#include "errmap.h"
#include "log.h"
#include "capture.h"
#include "pg_api.h"

#define STMT(p) ((ls_pgstmt *)(p))

/* See pg.h: the error of res (or of the connection when res is NULL) on c. */
int ls_pg_error(ls_pgconn *c, const PGresult *res)
{
    char msg[1024];
    int code = ls_errmap_result(res, c->pg, msg, sizeof msg);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    snprintf(c->last_sqlstate, sizeof c->last_sqlstate, "%s", state ? state : "");
    if (res) {
        const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        ls_log(LS_LOG_INFO, c->id, "PostgreSQL error %s: %s",
               PQresultErrorField(res, PG_DIAG_SQLSTATE) ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : "?",
               primary ? primary : "?");
    }
    static const char nsf[] = "no such function: ";
    if (!strncmp(msg, nsf, sizeof nsf - 1) && c->appfns
        && ls_pg_appfn_known(c, msg + sizeof nsf - 1, strlen(msg + sizeof nsf - 1)))
        return ls_conn_error(&c->base, code, "%s (app-defined functions run in the app and cannot "
                             "be called on the PostgreSQL backend in a statement that reads a "
                             "table)", msg);
    return ls_conn_error(&c->base, code, "%s", msg);
}

static bool live_stmt(const void *p)
{
    const ls_pgstmt *st = p;
    return ls_handle_live(st) && st->h.kind == LS_KIND_STMT;
}

/* Forget the value bound to slot i (NULL after). */
static void bind_release(ls_pgstmt *st, int i)
{
    if (st->bind_val[i] != st->bind_small[i])
        free(st->bind_val[i]);
    st->bind_val[i] = NULL;
}

/* See pg.h: finalize. */
void ls_pgstmt_free(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    ls_pg_exec_reset(st);
    ls_pg_local_free(st);
    if (c->active == st)
        c->active = NULL;
    for (ls_pgstmt **pp = &c->stmts; *pp; pp = &(*pp)->next)
        if (*pp == st) {
            *pp = st->next;
            break;
        }
    if (st->prep)
        ls_prep_release(c, st->prep);
    else if (st->name[0])
        ls_prep_dealloc_later(c, st->name);
    st->prep = NULL;
    if (st->bind_val)
        for (int i = 0; i <= st->n_bind; i++)
            bind_release(st, i);
    free(st->bind_val);
    free(st->bind_small);
    free(st->bind_len);
    free(st->bind_fmt);
    free(st->bind_cls);
    for (int i = 0; i < st->ncol && st->col_names; i++)
        free(st->col_names[i]);
    free(st->col_names);
    free(st->col_types);
    free(st->col_field);
    free(st->col_class);
    free(st->col_table);
    free(st->col_attnum);
    for (int i = 0; i < st->ncol && st->col_decl; i++)
        free(st->col_decl[i]);
    free(st->col_decl);
    free(st->ptypes);
    free(st->server_types);
    free(st->vals);
    free(st->val_ok);
    free(st->buffered);
    free(st->deferred_msg);
    PQclear(st->tail_res);
    ls_pg_rewrite_release(st);
    free(st->sql);
    st->h.state = LS_STATE_DEAD;
    free(st);
}

/* Prepare the first statement of sql.  As sqlite3_prepare_v2: *out NULL for an empty
 * statement (comments, spaces), *tail after the statement.  Rewrite errors surface here
 * with SQLite's code and the construct named; PostgreSQL parse errors surface at the first
 * step (the Parse travels with the first execution: no extra round trip). */
int ls_pg_prepare(ls_pgconn *c, const char *sql, int nbytes, ls_pgstmt **out, const char **tail)
{
    *out = NULL;
    size_t len = nbytes < 0 ? strlen(sql) : strnlen(sql, (size_t)nbytes);
    bool complete = false;
    /* the whole text already rewritten is one statement: no need to split it again */
    size_t n = ls_pg_rewrite_cached(c, sql, len) ? len : ls_split_next(sql, len, &complete);
    if (tail)
        *tail = sql + n;
    ls_pgstmt *st = calloc(1, sizeof *st);
    if (!st)
        return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
    ls_handle_init(&st->h, LS_KIND_STMT, &c->base);
    st->conn = c;
    /* sqlite3_sql: the statement without leading space, with its ';' */
    size_t b = 0;
    while (b < n && (sql[b] == ' ' || sql[b] == '\t' || sql[b] == '\n' || sql[b] == '\r'))
        b++;
    st->sql = strndup(sql + b, n - b);
    st->sql_len = n - b;
    if (!st->sql) {
        free(st);
        return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
    }
    ls_err err = { 0 };
    int rc = ls_pg_rewrite(c, sql, n, st, &err);
    if (rc != SQLITE_OK && rc != SQLITE_NOMEM && LS_UNLIKELY(c->appfns != NULL)) {
        /* an app collation the rewriter refuses may still run in the app (pg_local.c) */
        int lrc = ls_pg_local_unrewritten(c, st);
        if (lrc != SQLITE_OK) {
            ls_pgstmt_free(st);   /* not linked yet */
            return lrc;
        }
        if (st->local)
            rc = SQLITE_OK;
    }
    if (ls_capture_on && (rc != SQLITE_OK || st->rw.kind != LS_RW_EMPTY))
        ls_capture_note(sql, n, rc != SQLITE_OK); /* executions are counted at step */
    if (rc != SQLITE_OK) {
        ls_log(LS_LOG_INFO, c->id, "cannot rewrite at byte %zu: %s", err.offset, err.msg);
        rc = ls_conn_error(&c->base, rc == SQLITE_NOMEM ? SQLITE_NOMEM : (err.code ? err.code : rc),
                           "%s%s", err.msg[0] ? err.msg : "cannot translate this statement",
                           ls_pg_appcoll_note(c, err.msg));
        free(st->sql);
        free(st);
        return rc;
    }
    st->rw_ok = true;
    st->prep = st->local ? NULL : ls_prep_lookup(c, st->rw.sql);
    if (st->prep)
        snprintf(st->name, sizeof st->name, "%s", ls_prep_name(st->prep));
    /* from here on a statement given up is freed whole (ls_pgstmt_free: its prepared-cache
     * reference, a statement compiled in the app and its columns too) */
    if (st->rw.kind == LS_RW_EMPTY) {
        ls_pgstmt_free_unlinked:
        ls_pgstmt_free(st);   /* not linked yet */
        return SQLITE_OK;
    }
    /* limits the app lowered with sqlite3_limit, checked as SQLite checks them at prepare */
    int lim_vars = c->limits[SQLITE_LIMIT_VARIABLE_NUMBER];
    int lim_len = c->limits[SQLITE_LIMIT_SQL_LENGTH];
    int lim_args = c->limits[SQLITE_LIMIT_FUNCTION_ARG];
    char fn[32] = "";
    if (lim_args >= 0 && ls_rw_max_call_args(st->sql, st->sql_len, fn, sizeof fn) > lim_args) {
        ls_pgstmt_free(st);
        if (tail)
            *tail = sql;
        return ls_conn_error(&c->base, SQLITE_ERROR, "too many arguments on function %s", fn);
    }
    if ((lim_vars >= 0 && st->rw.sqlite_params > lim_vars) || (lim_len >= 0 && n > (size_t)lim_len)) {
        bool vars = lim_vars >= 0 && st->rw.sqlite_params > lim_vars;
        ls_pgstmt_free(st);
        if (tail)
            *tail = sql;
        return vars ? ls_conn_error(&c->base, SQLITE_ERROR, "too many SQL variables")
                    : ls_conn_error(&c->base, SQLITE_TOOBIG, "statement too long");
    }
    if (LS_UNLIKELY(c->auth_cb != NULL) && ls_pg_authorize(c, st->sql, st->sql_len) != SQLITE_OK) {
        /* sqlite3_set_authorizer refused it, or could not judge it (pg_auth.c) */
        int code = c->base.errcode;
        ls_pgstmt_free(st);
        if (tail)
            *tail = sql;
        return code;
    }
    st->auth_gen = c->auth_gen;
    ls_log(LS_LOG_DEBUG, c->id, "prepare: %.*s  =>  %s", (int)n, sql, st->rw.sql);
    int np = st->rw.sqlite_params;
    if (np > 0) {
        st->n_bind = np;
        st->bind_val = calloc((size_t)np + 1, sizeof *st->bind_val);
        st->bind_len = calloc((size_t)np + 1, sizeof *st->bind_len);
        st->bind_fmt = calloc((size_t)np + 1, sizeof *st->bind_fmt);
        st->bind_cls = calloc((size_t)np + 1, sizeof *st->bind_cls);
        st->bind_small = malloc(((size_t)np + 1) * sizeof *st->bind_small);
        if (!st->bind_val || !st->bind_len || !st->bind_fmt || !st->bind_cls || !st->bind_small) {
            free(st->bind_val);
            free(st->bind_len);
            free(st->bind_fmt);
            free(st->bind_cls);
            free(st->bind_small);
            st->bind_val = NULL;
            st->bind_len = NULL;
            st->bind_fmt = NULL;
            st->bind_cls = NULL;
            st->bind_small = NULL;
            st->n_bind = 0;
            goto ls_pgstmt_free_unlinked;
        }
    }
    if (LS_UNLIKELY(c->appfns != NULL) && (rc = ls_pg_local_prepare(c, st)) != SQLITE_OK) {
        ls_pgstmt_free(st);   /* not linked yet */
        if (tail)
            *tail = sql;
        return rc;
    }
    st->next = c->stmts;
    c->stmts = st;
    *out = st;
    return SQLITE_OK;
}

static int prepare_common(sqlite3 *db, const char *sql, int n, sqlite3_stmt **pp, const char **tail)
{
    ls_pgconn *c = (ls_pgconn *)db;
    if (pp)
        *pp = NULL;
    if (!ls_handle_live(c) || !pp)
        return SQLITE_MISUSE;
    ls_conn_clear_error(&c->base);
    if (!sql)
        return ls_conn_error(&c->base, SQLITE_MISUSE, "bad parameter or other API misuse");
    ls_pgstmt *st = NULL;
    int rc = ls_pg_prepare(c, sql, n, &st, tail);
    *pp = (sqlite3_stmt *)st;
    return ls_conn_rc(&c->base, rc);
}

int ls_pg_sqlite3_prepare(sqlite3 *db, const char *sql, int n, sqlite3_stmt **pp, const char **tail)
{
    return prepare_common(db, sql, n, pp, tail);
}

int ls_pg_sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **pp, const char **tail)
{
    return prepare_common(db, sql, n, pp, tail);
}

int ls_pg_sqlite3_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned int flags,
                             sqlite3_stmt **pp, const char **tail)
{
    (void)flags;
    return prepare_common(db, sql, n, pp, tail);
}

/* ---- binding: values are copied; the destructor runs as SQLite would run it ---- */

static int bind_slot(sqlite3_stmt *p, int i, char **slot_out)
{
    ls_pgstmt *st = STMT(p);
    if (!live_stmt(st))
        return SQLITE_MISUSE;
    ls_conn_clear_error(&st->conn->base);
    if (st->state != LS_ST_READY)
        return ls_conn_error(&st->conn->base, SQLITE_MISUSE, "bad parameter or other API misuse");
    if (i < 1 || i > st->n_bind)
        return ls_conn_error(&st->conn->base, SQLITE_RANGE, "column index out of range");
    bind_release(st, i);
    st->bind_len[i] = 0;
    st->bind_fmt[i] = 0;
    st->bind_cls[i] = 0;   /* NULL */
    (void)slot_out;
    return SQLITE_OK;
}

static void run_destructor(const void *v, void (*del)(void *))
{
    if (del && del != SQLITE_STATIC && del != SQLITE_TRANSIENT && v)
        del((void *)v);
}

static int bind_copy(sqlite3_stmt *p, int i, const char *data, size_t n, int fmt, int cls)
{
    ls_pgstmt *st = STMT(p);
    char *copy = n < LS_BIND_SMALL ? st->bind_small[i] : malloc(n + 1);
    if (!copy)
        return ls_conn_error(&st->conn->base, SQLITE_NOMEM, "out of memory");
    memcpy(copy, data, n);
    copy[n] = '\0';
    st->bind_val[i] = copy;
    st->bind_len[i] = (int)n;
    st->bind_fmt[i] = fmt;
    st->bind_cls[i] = (unsigned char)cls;
    return SQLITE_OK;
}

int ls_pg_sqlite3_bind_null(sqlite3_stmt *p, int i)
{
    return bind_slot(p, i, NULL);
}

int ls_pg_sqlite3_bind_int64(sqlite3_stmt *p, int i, sqlite3_int64 v)
{
    int rc = bind_slot(p, i, NULL);
    if (rc != SQLITE_OK)
        return rc;
    char buf[32];
    int n = ls_num_format_int64(v, buf);
    return bind_copy(p, i, buf, (size_t)n, 0, SQLITE_INTEGER);
}

int ls_pg_sqlite3_bind_int(sqlite3_stmt *p, int i, int v)
{
    return ls_pg_sqlite3_bind_int64(p, i, v);
}

int ls_pg_sqlite3_bind_double(sqlite3_stmt *p, int i, double v)
{
    int rc = bind_slot(p, i, NULL);
    if (rc != SQLITE_OK)
        return rc;
    if (v != v) /* SQLite stores NaN as NULL */
        return SQLITE_OK;
    char buf[40];
    int n = ls_num_format_double17(v, buf, sizeof buf);
    if (v > 1.7976931348623157e308)
        n = snprintf(buf, sizeof buf, "Infinity");
    else if (v < -1.7976931348623157e308)
        n = snprintf(buf, sizeof buf, "-Infinity");
    return bind_copy(p, i, buf, (size_t)n, 0, SQLITE_FLOAT);
}

static int bind_text_common(sqlite3_stmt *p, int i, const char *v, sqlite3_int64 n,
                            void (*del)(void *))
{
    int rc = bind_slot(p, i, NULL);
    if (rc != SQLITE_OK) {
        run_destructor(v, del);
        return rc;
    }
    if (!v)
        return SQLITE_OK;
    size_t len = n < 0 ? strlen(v) : (size_t)n;
    if (!STMT(p)->local && memchr(v, '\0', len)) {
        /* a text parameter is a C string to libpq: a NUL inside would cut it silently (a
         * statement evaluated in the app takes it, as SQLite does) */
        run_destructor(v, del);
        return ls_conn_error(&STMT(p)->conn->base, SQLITE_MISMATCH,
                             "datatype mismatch: text parameter %d contains a NUL byte, which "
                             "PostgreSQL text cannot store", i);
    }
    rc = bind_copy(p, i, v, len, 0, SQLITE_TEXT);
    run_destructor(v, del);
    return rc;
}

int ls_pg_sqlite3_bind_text(sqlite3_stmt *p, int i, const char *v, int n, void (*del)(void *))
{
    return bind_text_common(p, i, v, n, del);
}

int ls_pg_sqlite3_bind_text64(sqlite3_stmt *p, int i, const char *v, sqlite3_uint64 n,
                              void (*del)(void *), unsigned char enc)
{
    if (enc != SQLITE_UTF8) {
        run_destructor(v, del);
        ls_pgstmt *st = STMT(p);
        return live_stmt(st) ? ls_conn_error(&st->conn->base, SQLITE_ERROR,
                                             "sqlite3_bind_text64 with a UTF-16 encoding is "
                                             "not supported on the PostgreSQL backend")
                             : SQLITE_MISUSE;
    }
    return bind_text_common(p, i, v, (sqlite3_int64)n, del);
}

static int bind_blob_common(sqlite3_stmt *p, int i, const void *v, sqlite3_uint64 n,
                            void (*del)(void *))
{
    int rc = bind_slot(p, i, NULL);
    if (rc != SQLITE_OK) {
        run_destructor(v, del);
        return rc;
    }
    if (!v) /* as SQLite: a NULL pointer binds NULL */
        return SQLITE_OK;
    rc = bind_copy(p, i, v, (size_t)n, 1, SQLITE_BLOB);
    run_destructor(v, del);
    return rc;
}

int ls_pg_sqlite3_bind_blob(sqlite3_stmt *p, int i, const void *v, int n, void (*del)(void *))
{
    return bind_blob_common(p, i, v, n < 0 ? 0 : (sqlite3_uint64)n, del);
}

int ls_pg_sqlite3_bind_blob64(sqlite3_stmt *p, int i, const void *v, sqlite3_uint64 n,
                              void (*del)(void *))
{
    return bind_blob_common(p, i, v, n, del);
}

int ls_pg_sqlite3_bind_zeroblob(sqlite3_stmt *p, int i, int n)
{
    int rc = bind_slot(p, i, NULL);
    if (rc != SQLITE_OK)
        return rc;
    size_t len = n < 0 ? 0 : (size_t)n;
    char *z = calloc(len + 1, 1);
    if (!z)
        return ls_conn_error(&STMT(p)->conn->base, SQLITE_NOMEM, "out of memory");
    STMT(p)->bind_val[i] = z;
    STMT(p)->bind_len[i] = (int)len;
    STMT(p)->bind_fmt[i] = 1;
    STMT(p)->bind_cls[i] = SQLITE_BLOB;
    return SQLITE_OK;
}

int ls_pg_sqlite3_bind_zeroblob64(sqlite3_stmt *p, int i, sqlite3_uint64 n)
{
    if (n > 0x7fffffff)
        return live_stmt(p) ? ls_conn_error(&STMT(p)->conn->base, SQLITE_TOOBIG,
                                            "string or blob too big")
                            : SQLITE_MISUSE;
    return ls_pg_sqlite3_bind_zeroblob(p, i, (int)n);
}

int ls_pg_sqlite3_bind_value(sqlite3_stmt *p, int i, const sqlite3_value *v)
{
    if (!ls_handle_ours(p))
        return SQLITE_MISUSE;
    sqlite3_value *val = (sqlite3_value *)v;
    switch (sqlite3_value_type(val)) {
    case SQLITE_INTEGER: return ls_pg_sqlite3_bind_int64(p, i, sqlite3_value_int64(val));
    case SQLITE_FLOAT: return ls_pg_sqlite3_bind_double(p, i, sqlite3_value_double(val));
    case SQLITE_TEXT:
        return ls_pg_sqlite3_bind_text(p, i, (const char *)sqlite3_value_text(val),
                                       sqlite3_value_bytes(val), SQLITE_TRANSIENT);
    case SQLITE_BLOB:
        return ls_pg_sqlite3_bind_blob(p, i, sqlite3_value_blob(val), sqlite3_value_bytes(val),
                                       SQLITE_TRANSIENT);
    default: return ls_pg_sqlite3_bind_null(p, i);
    }
}

int ls_pg_sqlite3_bind_pointer(sqlite3_stmt *p, int i, void *ptr, const char *type,
                               void (*del)(void *))
{
    (void)type;
    int rc = ls_pg_sqlite3_bind_null(p, i);
    run_destructor(ptr, del);
    return rc;
}

int ls_pg_sqlite3_bind_parameter_count(sqlite3_stmt *p)
{
    return live_stmt(p) ? STMT(p)->rw.sqlite_params : 0;
}

const char *ls_pg_sqlite3_bind_parameter_name(sqlite3_stmt *p, int i)
{
    ls_pgstmt *st = STMT(p);
    if (!live_stmt(st) || i < 1 || i > st->rw.sqlite_params)
        return NULL;
    for (int k = 0; k < st->rw.n_params; k++)
        if (st->rw.param_index[k] == i)
            return st->rw.param_names ? st->rw.param_names[k] : NULL;
    return NULL;
}

int ls_pg_sqlite3_bind_parameter_index(sqlite3_stmt *p, const char *name)
{
    ls_pgstmt *st = STMT(p);
    if (!live_stmt(st) || !name)
        return 0;
    for (int k = 0; k < st->rw.n_params; k++)
        if (st->rw.param_names && st->rw.param_names[k] &&
            strcmp(st->rw.param_names[k], name) == 0)
            return st->rw.param_index[k];
    return 0;
}

int ls_pg_sqlite3_clear_bindings(sqlite3_stmt *p)
{
    ls_pgstmt *st = STMT(p);
    if (!live_stmt(st))
        return SQLITE_MISUSE;
    for (int i = 1; i <= st->n_bind; i++) {
        bind_release(st, i);
        st->bind_len[i] = 0;
        st->bind_fmt[i] = 0;
        st->bind_cls[i] = 0;   /* NULL */
    }
    return SQLITE_OK;
}

/* ---- execution ---- */

/* ---- tracing: SQLite's events, fired from step ---- */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void trace_start(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    st->trace_t0 = now_ns();
    if ((c->trace_mask & SQLITE_TRACE_STMT) && c->trace_v2)
        c->trace_v2(SQLITE_TRACE_STMT, c->trace_ctx, st, st->sql);
    if (c->trace_legacy) {
        char *x = ls_pg_sqlite3_expanded_sql((sqlite3_stmt *)st);
        c->trace_legacy(c->trace_legacy_arg, x ? x : st->sql);
        sqlite3_free(x);
    }
}

static void trace_end(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    sqlite3_int64 ns = (sqlite3_int64)(now_ns() - st->trace_t0);
    if ((c->trace_mask & SQLITE_TRACE_PROFILE) && c->trace_v2)
        c->trace_v2(SQLITE_TRACE_PROFILE, c->trace_ctx, st, &ns);
    if (c->profile_legacy)
        c->profile_legacy(c->profile_legacy_arg, st->sql, (sqlite3_uint64)ns);
}

int ls_pg_sqlite3_trace_v2(sqlite3 *db, unsigned mask, int (*cb)(unsigned, void *, void *, void *),
                           void *ctx)
{
    ls_pgconn *c = (ls_pgconn *)db;
    if (!ls_handle_live(c))
        return SQLITE_MISUSE;
    c->trace_mask = cb ? mask : 0;
    c->trace_v2 = cb;
    c->trace_ctx = ctx;
    return SQLITE_OK;
}

void *ls_pg_sqlite3_trace(sqlite3 *db, void (*cb)(void *, const char *), void *arg)
{
    ls_pgconn *c = (ls_pgconn *)db;
    if (!ls_handle_live(c))
        return NULL;
    void *old = c->trace_legacy_arg;
    c->trace_legacy = cb;
    c->trace_legacy_arg = arg;
    return old;
}

void *ls_pg_sqlite3_profile(sqlite3 *db, void (*cb)(void *, const char *, sqlite3_uint64), void *arg)
{
    ls_pgconn *c = (ls_pgconn *)db;
    if (!ls_handle_live(c))
        return NULL;
    void *old = c->profile_legacy_arg;
    c->profile_legacy = cb;
    c->profile_legacy_arg = arg;
    return old;
}

int ls_pg_sqlite3_step(sqlite3_stmt *p)
{
    ls_pgstmt *st = STMT(p);
    if (!live_stmt(st))
        return SQLITE_MISUSE;
    ls_pgconn *c = st->conn;
    ls_conn_clear_error(&c->base);
    if (st->state == LS_ST_DONE) {
        /* as SQLite (3.6.23.1 and later): a statement stepped again after SQLITE_DONE or an
         * error is reset and runs again, its bindings kept; C code retries a busy write so
         * (backend_autoreset: the retried write was lost, a failing INSERT stepped again
         * answered SQLITE_DONE) */
        ls_pg_exec_reset(st);
        st->busy = false;
    }
    bool tracing = c->trace_mask || c->trace_legacy || c->profile_legacy;
    if (LS_UNLIKELY(tracing) && !st->busy)
        trace_start(st);
    int rc;
    if (LS_UNLIKELY(st->auth_gen != c->auth_gen) && st->state == LS_ST_READY) {
        /* sqlite3_set_authorizer was called since st was authorized: SQLite compiles it
         * again at this run, so the new authorizer judges it (pg_auth.c) */
        if (c->auth_cb && ls_pg_authorize(c, st->sql, st->sql_len) != SQLITE_OK)
            return c->base.errcode;
        st->auth_gen = c->auth_gen;
    }
    if (LS_UNLIKELY(c->progress_cb != NULL)) {
        /* sqlite3_progress_handler (api_conn.c): once now, then while waiting */
        if (c->progress_cb(c->progress_arg) != 0) {
            rc = ls_pg_interrupted(st, ls_conn_error(&c->base, SQLITE_INTERRUPT, "interrupted"));
        } else {
            c->progress_armed = true;
            c->progress_cancelled = false;
            rc = ls_pg_run_step(st);
            c->progress_armed = false;
            if (c->progress_cancelled && rc != SQLITE_ROW && rc != SQLITE_DONE &&
                (rc & 0xff) != SQLITE_INTERRUPT)
                rc = ls_pg_interrupted(st, ls_conn_error(&c->base, SQLITE_INTERRUPT,
                                                         "interrupted"));
            c->progress_cancelled = false;
        }
    } else {
        rc = ls_pg_run_step(st);
    }
    st->busy = rc == SQLITE_ROW;
    st->step_err = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : rc;
    if (LS_UNLIKELY(tracing)) {
        if (rc == SQLITE_ROW && (c->trace_mask & SQLITE_TRACE_ROW) && c->trace_v2)
            c->trace_v2(SQLITE_TRACE_ROW, c->trace_ctx, st, NULL);
        if (rc != SQLITE_ROW)
            trace_end(st);
    }
    return ls_conn_rc(&c->base, rc);
}

int ls_pg_sqlite3_reset(sqlite3_stmt *p)
{
    ls_pgstmt *st = STMT(p);
    if (!ls_handle_ours(st))
        return SQLITE_OK;
    if (!live_stmt(st))
        return SQLITE_MISUSE;
    /* as sqlite3_reset: the error of this statement's last step, if it failed (once: a
     * second reset answers SQLITE_OK), not the connection's last error, which may be another
     * statement's (CPython then threw away every statement reset after one failed) */
    int code = ls_conn_rc(&st->conn->base, st->step_err);
    st->step_err = 0;
    ls_pg_exec_reset(st);
    ls_pg_local_reset(st);
    st->busy = false;
    return code;
}

/* Under the connection's mutex, taken here rather than by the forwarder: the last
 * statement of a connection closed by close_v2 frees the connection and its mutex. */
int ls_pg_sqlite3_finalize(sqlite3_stmt *p)
{
    ls_pgstmt *st = STMT(p);
    if (!ls_handle_live(st))
        return SQLITE_MISUSE;
    ls_pgconn *c = st->conn;
    ls_lock lk = ls_enter(st);
    int code = ls_conn_rc(&c->base, st->step_err);   /* as reset */
    ls_pgstmt_free(st);
    ls_pg_conn_leave_reap(c, lk);
    return code;
}

/* ---- columns ---- */

static ls_pgvalue *col(sqlite3_stmt *p, int i)
{
    ls_pgstmt *st = STMT(p);
    if (!live_stmt(st) || !st->row || i < 0 || i >= st->ncol)
        return NULL;
    if (!st->val_ok[i]) {
        st->vals[i].h.conn = &st->conn->base;
        ls_pgvalue_set(&st->vals[i], st->row, st->row_idx, st->col_field ? st->col_field[i] : i);
        if (st->col_class && st->col_class[i] >= 0)
            ls_pgvalue_class(&st->vals[i], st->row, st->row_idx, st->col_class[i]);
        st->val_ok[i] = true;
    }
    return &st->vals[i];
}

int ls_pg_sqlite3_column_count(sqlite3_stmt *p)
{
    ls_pgstmt *st = STMT(p);
    if (!live_stmt(st))
        return 0;
    if (!st->described && ls_pg_describe(st) != SQLITE_OK)
        return 0;
    return st->ncol;
}

int ls_pg_sqlite3_data_count(sqlite3_stmt *p)
{
    ls_pgstmt *st = STMT(p);
    return live_stmt(st) && st->row ? st->ncol : 0;
}

const char *ls_pg_sqlite3_column_name(sqlite3_stmt *p, int i)
{
    ls_pgstmt *st = STMT(p);
    if (!live_stmt(st))
        return NULL;
    if (!st->described && ls_pg_describe(st) != SQLITE_OK)
        return NULL;
    return (i >= 0 && i < st->ncol) ? st->col_names[i] : NULL;
}

/* A name for a PostgreSQL type, for columns of tables whose CREATE TABLE text was not kept
 * (made outside liteshift). */
static const char *decl_from_pg_type(Oid type)
{
    switch (type) {
    case 20: case 21: case 23: return "INTEGER";
    case 700: case 701: return "REAL";
    case 1700: return "NUMERIC";
    case 17: return "BLOB";
    case 16: return "BOOLEAN";
    case 1114: case 1184: return "DATETIME";
    case 1082: return "DATE";
    case 25: case 1043: return "TEXT";
    default: return NULL;
    }
}

/* As SQLite: the type a table column was declared with, as written; NULL for a column
 * declared without one and for expressions (pg_decltype.c, compatibility D9). */
const char *ls_pg_sqlite3_column_decltype(sqlite3_stmt *p, int i)
{
    ls_pgstmt *st = STMT(p);
    if (!live_stmt(st))
        return NULL;
    if (!st->described && ls_pg_describe(st) != SQLITE_OK)
        return NULL;
    if (i < 0 || i >= st->ncol)
        return NULL;
    if (!st->col_table)   /* a PRAGMA answered by the shim */
        return NULL;
    if (!st->decl_done) {
        st->col_decl = calloc((size_t)st->ncol, sizeof *st->col_decl);
        if (!st->col_decl)
            return NULL;
        for (int k = 0; k < st->ncol; k++) {
            if (st->col_table[k] == InvalidOid)
                continue;   /* an expression */
            bool known;
            const char *d = ls_pg_decl_lookup(st->conn, st->col_table[k], st->col_attnum[k], &known);
            if (!known)
                d = decl_from_pg_type(st->col_types[k]);
            if (d && !(st->col_decl[k] = strdup(d)))
                return NULL;
        }
        st->decl_done = true;
    }
    return st->col_decl[i];
}

const char *ls_pg_sqlite3_column_database_name(sqlite3_stmt *p, int i)
{
    return (live_stmt(p) && i >= 0 && i < STMT(p)->ncol) ? "main" : NULL;
}

int ls_pg_sqlite3_column_type(sqlite3_stmt *p, int i)
{
    ls_pgvalue *v = col(p, i);
    return v ? v->type : SQLITE_NULL;
}

sqlite3_int64 ls_pg_sqlite3_column_int64(sqlite3_stmt *p, int i)
{
    ls_pgvalue *v = col(p, i);
    return v ? ls_pgvalue_int64(v) : 0;
}

int ls_pg_sqlite3_column_int(sqlite3_stmt *p, int i)
{
    return (int)ls_pg_sqlite3_column_int64(p, i);
}

double ls_pg_sqlite3_column_double(sqlite3_stmt *p, int i)
{
    ls_pgvalue *v = col(p, i);
    return v ? ls_pgvalue_double(v) : 0.0;
}

const unsigned char *ls_pg_sqlite3_column_text(sqlite3_stmt *p, int i)
{
    ls_pgvalue *v = col(p, i);
    return v ? ls_pgvalue_text(v) : NULL;
}

const void *ls_pg_sqlite3_column_blob(sqlite3_stmt *p, int i)
{
    ls_pgvalue *v = col(p, i);
    return v ? ls_pgvalue_blob(v) : NULL;
}

int ls_pg_sqlite3_column_bytes(sqlite3_stmt *p, int i)
{
    ls_pgvalue *v = col(p, i);
    return v ? ls_pgvalue_bytes(v) : 0;
}

sqlite3_value *ls_pg_sqlite3_column_value(sqlite3_stmt *p, int i)
{
    return (sqlite3_value *)col(p, i);
}

/* ---- values from PostgreSQL results ---- */

#define VAL(p) ((ls_pgvalue *)(p))

int ls_pg_sqlite3_value_type(sqlite3_value *v) { return ls_handle_live(v) ? VAL(v)->type : SQLITE_NULL; }
int ls_pg_sqlite3_value_numeric_type(sqlite3_value *v) { return ls_pg_sqlite3_value_type(v); }
sqlite3_int64 ls_pg_sqlite3_value_int64(sqlite3_value *v) { return ls_handle_live(v) ? ls_pgvalue_int64(VAL(v)) : 0; }
int ls_pg_sqlite3_value_int(sqlite3_value *v) { return (int)ls_pg_sqlite3_value_int64(v); }
double ls_pg_sqlite3_value_double(sqlite3_value *v) { return ls_handle_live(v) ? ls_pgvalue_double(VAL(v)) : 0.0; }
const unsigned char *ls_pg_sqlite3_value_text(sqlite3_value *v) { return ls_handle_live(v) ? ls_pgvalue_text(VAL(v)) : NULL; }
const void *ls_pg_sqlite3_value_blob(sqlite3_value *v) { return ls_handle_live(v) ? ls_pgvalue_blob(VAL(v)) : NULL; }
int ls_pg_sqlite3_value_bytes(sqlite3_value *v) { return ls_handle_live(v) ? ls_pgvalue_bytes(VAL(v)) : 0; }
int ls_pg_sqlite3_value_nochange(sqlite3_value *v) { (void)v; return 0; }
int ls_pg_sqlite3_value_frombind(sqlite3_value *v) { (void)v; return 0; }
unsigned int ls_pg_sqlite3_value_subtype(sqlite3_value *v) { (void)v; return 0; }

/* A protected copy the app owns (sqlite3_value_free). */
sqlite3_value *ls_pg_sqlite3_value_dup(const sqlite3_value *v)
{
    const ls_pgvalue *src = (const ls_pgvalue *)v;
    if (!ls_handle_live(src))
        return NULL;
    ls_pgvalue *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    *d = *src;
    d->h.self = &d->h;
    d->conv = NULL;
    d->owned = false;
    d->text = NULL;
    if ((src->type == SQLITE_TEXT || src->type == SQLITE_BLOB) && src->text) {
        d->text = malloc((size_t)src->bytes + 1);
        if (!d->text) {
            free(d);
            return NULL;
        }
        memcpy(d->text, src->text, (size_t)src->bytes);
        d->text[src->bytes] = '\0';
        d->owned = true;
    }
    return (sqlite3_value *)d;
}

void ls_pg_sqlite3_value_free(sqlite3_value *v)
{
    ls_pgvalue *d = VAL(v);
    ls_pgvalue_clear(d);
    d->h.state = LS_STATE_DEAD;
    free(d);
}

/* ---- introspection ---- */

const char *ls_pg_sqlite3_sql(sqlite3_stmt *p)
{
    return live_stmt(p) ? STMT(p)->sql : NULL;
}

/* The statement's text with its bound values in place of the parameters, as SQLite prints
 * it (for logs and debugging only: never sent to the server).  Caller frees with
 * sqlite3_free. */
char *ls_pg_sqlite3_expanded_sql(sqlite3_stmt *p)
{
    ls_pgstmt *st = STMT(p);
    if (!live_stmt(st))
        return NULL;
    return ls_pg_expand_sql(st);
}

int ls_pg_sqlite3_stmt_readonly(sqlite3_stmt *p)
{
    return live_stmt(p) ? STMT(p)->rw.readonly : 0;
}

int ls_pg_sqlite3_stmt_busy(sqlite3_stmt *p)
{
    return live_stmt(p) ? STMT(p)->busy : 0;
}

int ls_pg_sqlite3_stmt_isexplain(sqlite3_stmt *p)
{
    (void)p;
    return 0;
}

int ls_pg_sqlite3_stmt_status(sqlite3_stmt *p, int op, int reset)
{
    (void)p; (void)op; (void)reset;
    return 0;
}

sqlite3 *ls_pg_sqlite3_db_handle(sqlite3_stmt *p)
{
    return ls_handle_ours(p) ? (sqlite3 *)STMT(p)->conn : NULL;
}

sqlite3_stmt *ls_pg_sqlite3_next_stmt(sqlite3 *db, sqlite3_stmt *p)
{
    ls_pgconn *c = (ls_pgconn *)db;
    if (!ls_handle_live(c))
        return NULL;
    return (sqlite3_stmt *)(p ? STMT(p)->next : c->stmts);
}
