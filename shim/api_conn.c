/* SPDX-License-Identifier: MIT
 *
 * Connection entry points on PostgreSQL handles: errors, exec and get_table, changes and
 * last_insert_rowid, transaction state, busy handling, interrupt, limits and file name.
 * Opening and closing live in pg_conn.c.  Error text follows SQLite's lifetime: valid until
 * the next call on the connection.
 */
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg.h"
#include "pg_api.h"

#define CONN(db) ((ls_pgconn *)(db))

/* A connection with no server behind it, for tests of the dispatch and error paths.
 * Caller closes it with sqlite3_close_v2. */
ls_conn *ls_conn_new_detached(void)
{
    ls_pgconn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    ls_handle_init(&c->base.h, LS_KIND_CONN, &c->base);
    ls_conn_mutex_init(&c->base, 0);
    pthread_mutex_init(&c->cancel_mu, NULL);
    return &c->base;
}

static bool live(sqlite3 *db)
{
    return ls_handle_live(db) && ((ls_handle *)db)->kind == LS_KIND_CONN;
}

int ls_pg_sqlite3_errcode(sqlite3 *db)
{
    /* as SQLite: masked to the primary code unless extended result codes are on */
    return live(db) ? ls_conn_rc(&CONN(db)->base, CONN(db)->base.errcode) : SQLITE_MISUSE;
}

int ls_pg_sqlite3_extended_errcode(sqlite3 *db)
{
    return live(db) ? CONN(db)->base.errcode : SQLITE_MISUSE;
}

const char *ls_pg_sqlite3_errmsg(sqlite3 *db)
{
    if (!live(db))
        return "bad parameter or other API misuse";
    ls_conn *c = &CONN(db)->base;
    return c->errmsg ? c->errmsg : ls_real.sqlite3_errstr(c->errcode);
}

int ls_pg_sqlite3_error_offset(sqlite3 *db)
{
    (void)db;
    return -1;
}

int ls_pg_sqlite3_extended_result_codes(sqlite3 *db, int onoff)
{
    if (!live(db))
        return SQLITE_MISUSE;
    CONN(db)->base.extended_codes = onoff != 0;
    return SQLITE_OK;
}

int ls_pg_sqlite3_system_errno(sqlite3 *db)
{
    (void)db;
    return 0;
}

typedef int (*exec_cb)(void *, int, char **, char **);

/* One statement of sqlite3_exec to its end, cb called per row; st is freed, the error of
 * its step kept on the connection.  SQLITE_OK or the error. */
static int run_one(ls_pgconn *c, ls_pgstmt *st, exec_cb cb, void *arg)
{
    int rc = SQLITE_OK;
    char **row = NULL;
    for (;;) {
        int s = ls_pg_run_step(st);
        if (s == SQLITE_ROW && cb) {
            int n = st->ncol;
            if (!row && !(row = calloc((size_t)n * 2 + 1, sizeof *row))) {
                rc = ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
                break;
            }
            for (int i = 0; i < n; i++) {
                row[i] = (char *)sqlite3_column_name((sqlite3_stmt *)st, i);
                row[n + i] = (char *)sqlite3_column_text((sqlite3_stmt *)st, i);
            }
            if (cb(arg, n, row + n, row)) {
                rc = ls_conn_error(&c->base, SQLITE_ABORT, "query aborted");
                break;
            }
            continue;
        }
        if (s == SQLITE_ROW)
            continue;
        if (s != SQLITE_DONE)
            rc = s;
        break;
    }
    free(row);
    int keep = c->base.errcode;
    char *msg = c->base.errmsg;
    c->base.errmsg = NULL;
    ls_pgstmt_free(st);
    c->base.errcode = keep;
    free(c->base.errmsg);
    c->base.errmsg = msg;
    return rc;
}

/* A script of DDL statements only (ls_pg_script_ddl): all prepared first, then run in one
 * pipeline (pg_script.c); when that fails, nothing was done and they run one at a time as
 * below, which gives SQLite's result.  A statement that fails to prepare stops the script
 * there, after the ones before it ran, as in SQLite (the rewrite of these statements does
 * not read the schema, so preparing them early changes nothing).  *rest advances past what
 * was prepared. */
static int run_script(ls_pgconn *c, const char **rest, exec_cb cb, void *arg)
{
    ls_pgstmt *sts[LS_SCRIPT_MAX];
    int n = 0, prc = SQLITE_OK;
    while (**rest && n < LS_SCRIPT_MAX) {
        ls_pgstmt *st = NULL;
        const char *tail = NULL;
        prc = ls_pg_prepare(c, *rest, -1, &st, &tail);
        if (prc != SQLITE_OK)
            break;
        *rest = tail;
        if (st)
            sts[n++] = st;
    }
    char *pmsg = NULL;
    int pcode = c->base.errcode;
    if (prc != SQLITE_OK) {   /* its error, reported once the statements before it ran */
        pmsg = c->base.errmsg;
        c->base.errmsg = NULL;
    }
    ls_conn_clear_error(&c->base);
    int rc = SQLITE_OK, i = 0;
    if (prc == SQLITE_OK) {
        int src = ls_pg_script_run(c, sts, n);
        if (src == SQLITE_OK) {
            for (; i < n; i++)
                ls_pgstmt_free(sts[i]);
        } else if (src > 0)
            rc = src;
        else
            ls_conn_clear_error(&c->base);
    }
    for (; i < n; i++) {
        if (rc == SQLITE_OK)
            rc = run_one(c, sts[i], cb, arg);
        else
            ls_pgstmt_free(sts[i]);
    }
    if (rc == SQLITE_OK && prc != SQLITE_OK) {
        c->base.errcode = pcode;
        free(c->base.errmsg);
        c->base.errmsg = pmsg;
        pmsg = NULL;
        rc = prc;
    }
    free(pmsg);
    return rc;
}

/* As sqlite3_exec: runs each statement of sql in turn, calling cb per row with text
 * values; stops at the first error (its message in *errmsg, freed with sqlite3_free) or
 * when cb returns nonzero (SQLITE_ABORT).  A script of DDL statements only, outside a
 * transaction, runs in one round trip (run_script). */
int ls_pg_sqlite3_exec(sqlite3 *db, const char *sql, exec_cb cb, void *arg, char **errmsg)
{
    if (errmsg)
        *errmsg = NULL;
    if (!live(db))
        return SQLITE_MISUSE;
    ls_pgconn *c = CONN(db);
    ls_conn_clear_error(&c->base);
    int rc = SQLITE_OK;
    const char *rest = sql ? sql : "";
    if (ls_pg_script_ddl(c, rest))
        rc = run_script(c, &rest, cb, arg);
    while (rc == SQLITE_OK && *rest) {
        ls_pgstmt *st = NULL;
        const char *tail = NULL;
        rc = ls_pg_prepare(c, rest, -1, &st, &tail);
        if (rc != SQLITE_OK)
            break;
        rest = tail;
        if (st)
            rc = run_one(c, st, cb, arg);
    }
    if (rc != SQLITE_OK && errmsg)
        *errmsg = ls_real.sqlite3_mprintf("%s", ls_pg_sqlite3_errmsg(db));
    if (rc == SQLITE_OK)
        ls_conn_clear_error(&c->base);
    return ls_conn_rc(&c->base, rc);
}

typedef struct {
    char **res;      /* res[0] holds the slot count, as sqlite3_free_table expects */
    int n_used, n_alloc;
    int nrow, ncol;
    int rc;
} table_acc;

static bool table_push(table_acc *t, const char *s)
{
    if (t->n_used == t->n_alloc) {
        int na = t->n_alloc ? t->n_alloc * 2 : 32;
        char **nr = ls_real.sqlite3_realloc64(t->res, (sqlite3_uint64)na * sizeof *nr);
        if (!nr)
            return false;
        t->res = nr;
        t->n_alloc = na;
    }
    char *copy = NULL;
    if (s && !(copy = ls_real.sqlite3_mprintf("%s", s)))
        return false;
    t->res[t->n_used++] = copy;
    return true;
}

static int table_cb(void *arg, int n, char **vals, char **names)
{
    table_acc *t = arg;
    if (t->nrow == 0 && t->ncol == 0) {
        t->ncol = n;
        for (int i = 0; i < n; i++)
            if (!table_push(t, names[i]))
                return (t->rc = SQLITE_NOMEM);
    }
    for (int i = 0; i < n; i++)
        if (!table_push(t, vals[i]))
            return (t->rc = SQLITE_NOMEM);
    t->nrow++;
    return 0;
}

/* As sqlite3_get_table; the result is freed by the real sqlite3_free_table. */
int ls_pg_sqlite3_get_table(sqlite3 *db, const char *sql, char ***result, int *nrow, int *ncol,
                            char **errmsg)
{
    if (result)
        *result = NULL;
    if (nrow)
        *nrow = 0;
    if (ncol)
        *ncol = 0;
    if (!live(db) || !result)
        return SQLITE_MISUSE;
    table_acc t = { 0 };
    if (!table_push(&t, NULL))
        return SQLITE_NOMEM;
    int rc = ls_pg_sqlite3_exec(db, sql, table_cb, &t, errmsg);
    if (rc == SQLITE_ABORT && t.rc)
        rc = t.rc;
    t.res[0] = (char *)(intptr_t)t.n_used;
    if (rc != SQLITE_OK) {
        ls_real.sqlite3_free_table(t.res + 1);
        return rc;
    }
    *result = t.res + 1;
    if (nrow)
        *nrow = t.nrow;
    if (ncol)
        *ncol = t.ncol;
    return SQLITE_OK;
}

/* Under LITESHIFT_PIPELINE=1 these read the results of pipelined writes first (pg_pipe.c),
 * so they stay exact. */
static ls_pgconn *settled(sqlite3 *db)
{
    if (!live(db))
        return NULL;
    ls_pg_pipe_settle(CONN(db));
    return CONN(db);
}
int ls_pg_sqlite3_changes(sqlite3 *db) { ls_pgconn *c = settled(db); return c ? (int)c->changes : 0; }
sqlite3_int64 ls_pg_sqlite3_changes64(sqlite3 *db) { ls_pgconn *c = settled(db); return c ? c->changes : 0; }
int ls_pg_sqlite3_total_changes(sqlite3 *db) { ls_pgconn *c = settled(db); return c ? (int)c->total_changes : 0; }
sqlite3_int64 ls_pg_sqlite3_total_changes64(sqlite3 *db) { ls_pgconn *c = settled(db); return c ? c->total_changes : 0; }
/* A rowid inserts sent without their RETURNING left pending is asked for (pg_lean.c); the
 * statement it came from keeps its RETURNING from now on, the app reads it. */
sqlite3_int64 ls_pg_sqlite3_last_insert_rowid(sqlite3 *db)
{
    ls_pgconn *c = settled(db);
    if (!c)
        return 0;
    if (c->rowid_from)
        ls_prep_lean_of(c->rowid_from)->read = true;
    ls_lean_settle(c);
    return c->last_rowid;
}

/* Pipelined inserts sent before it read their rowids first: they must not overwrite v. */
void ls_pg_sqlite3_set_last_insert_rowid(sqlite3 *db, sqlite3_int64 v)
{
    ls_pgconn *c = settled(db);
    if (c) {
        c->lean.pending = false;
        c->lean.active = false;
        c->last_rowid = v;
    }
}

/* SQLite's view: 1 outside an explicit transaction (DIALECT R7: Python decides whether to
 * send BEGIN from this). */
int ls_pg_sqlite3_get_autocommit(sqlite3 *db)
{
    return live(db) ? !CONN(db)->in_txn : 0;
}

/* As SQLite: NONE outside a transaction and in a deferred one that has not read a table yet
 * (its BEGIN not even sent), READ once it read one, WRITE once it holds the write lock.  With
 * LITESHIFT_LOCKING=row no lock tells writes apart: WRITE, as before.  The schema "temp" and
 * attached names are not told apart from "main"; an unknown name is -1. */
int ls_pg_sqlite3_txn_state(sqlite3 *db, const char *schema)
{
    if (!live(db))
        return -1;
    if (schema && strcasecmp(schema, "main") != 0 && strcasecmp(schema, "temp") != 0)
        return -1;
    const ls_pgconn *c = CONN(db);
    if (!c->in_txn || c->begin_pending)
        return SQLITE_TXN_NONE;
    /* temp: written (TEMP objects only, without the lock: pg_exec.c); main: the lock, or a
     * read of a table (a read of a TEMP table counts for main) */
    int temp = c->temp_write_txn == c->txn_no ? SQLITE_TXN_WRITE : SQLITE_TXN_NONE;
    if (schema && strcasecmp(schema, "temp") == 0)
        return temp;
    int in_main = ls_pg_write_locked(c) || c->lock_rows ? SQLITE_TXN_WRITE
               : c->table_read_txn == c->txn_no ? SQLITE_TXN_READ : SQLITE_TXN_NONE;
    return schema || in_main > temp ? in_main : temp;
}

int ls_pg_sqlite3_db_readonly(sqlite3 *db, const char *name)
{
    (void)name;
    return live(db) ? 0 : -1;
}

const char *ls_pg_sqlite3_db_filename(sqlite3 *db, const char *name)
{
    (void)name;
    return live(db) ? CONN(db)->filename : NULL;
}

const char *ls_pg_sqlite3_db_name(sqlite3 *db, int n)
{
    return live(db) && n == 0 ? "main" : NULL;
}

/* busy_timeout maps to PostgreSQL's lock_timeout, sent with the next statement (0: 1 ms,
 * PostgreSQL's 0 being no limit), and bounds the wait for the write lock (pg_exec.c). */
int ls_pg_sqlite3_busy_timeout(sqlite3 *db, int ms)
{
    if (!live(db))
        return SQLITE_MISUSE;
    ls_pgconn *c = CONN(db);
    c->busy_timeout_ms = ms > 0 ? ms : 0;
    c->busy_timeout_dirty = c->busy_timeout_set = true;
    c->busy_handler = NULL;
    return SQLITE_OK;
}

/* As SQLite's, a handler replaces the timeout: the write lock is then tried without
 * waiting and the handler called while it answers nonzero (pg_exec.c). */
int ls_pg_sqlite3_busy_handler(sqlite3 *db, int (*fn)(void *, int), void *arg)
{
    if (!live(db))
        return SQLITE_MISUSE;
    ls_pgconn *c = CONN(db);
    c->busy_handler = fn;
    c->busy_arg = arg;
    c->busy_timeout_ms = 0;
    c->busy_timeout_dirty = c->busy_timeout_set = true;
    return SQLITE_OK;
}

/* Cancel the running query on the server; safe from another thread. */
/* sqlite3_progress_handler: SQLite calls it every N virtual-machine instructions; there are
 * none here, so it is called when each sqlite3_step begins and every 10 ms while the step
 * waits for the server.  A nonzero answer stops the statement as sqlite3_interrupt does
 * (SQLITE_INTERRUPT): before it is sent, or by cancelling it on the server. */
void ls_pg_sqlite3_progress_handler(sqlite3 *db, int n, int (*fn)(void *), void *arg)
{
    if (!live(db))
        return;
    ls_pgconn *c = CONN(db);
    c->progress_cb = n > 0 ? fn : NULL;
    c->progress_arg = n > 0 ? arg : NULL;
}

/* See pg.h. */
void ls_pg_progress_wait(ls_pgconn *c)
{
    int fd = PQsocket(c->pg);
    while (fd >= 0 && !c->progress_cancelled) {
        if (!PQconsumeInput(c->pg) || !PQisBusy(c->pg))
            return;
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, 10) != 0)
            continue;   /* data, or an error PQconsumeInput will report */
        if (c->progress_cb && c->progress_cb(c->progress_arg) != 0) {
            c->progress_cancelled = true;
            if (c->cancel) {
                char err[256];
                PQcancel(c->cancel, err, sizeof err);
            }
        }
    }
}

/* Takes no connection lock (another thread may be inside the statement to stop), only the
 * small one that keeps the cancel object from being freed by a reconnect meanwhile. */
void ls_pg_sqlite3_interrupt(sqlite3 *db)
{
    if (!live(db))
        return;
    ls_pgconn *c = CONN(db);
    pthread_mutex_lock(&c->cancel_mu);
    if (c->cancel) {
        char err[256];
        PQcancel(c->cancel, err, sizeof err);
    }
    pthread_mutex_unlock(&c->cancel_mu);
}


int ls_pg_sqlite3_limit(sqlite3 *db, int id, int value)
{
    static const int defaults[12] = { 1000000000, 1000000000, 2000, 1000, 250, 250000000, 127,
                                      10, 50000, 250000, 1000, 1000 };
    if (!live(db) || id < 0 || id >= 12)
        return -1;
    ls_pgconn *c = CONN(db);
    int old = c->limits[id] >= 0 ? c->limits[id] : defaults[id];
    if (value >= 0)
        c->limits[id] = value;
    return old;
}

