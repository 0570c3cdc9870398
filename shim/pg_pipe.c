/* SPDX-License-Identifier: MIT
 *
 * Pipelined writes (opt-in, LITESHIFT_PIPELINE=1; docs/benchmarks.md "Pipelined writes").
 * Inside an explicit transaction, an INSERT, UPDATE or DELETE that returns nothing to the
 * app, is already prepared on the server and does not read last_insert_rowid(), changes() or
 * total_changes() (they need every earlier result) is sent without waiting: sqlite3_step returns
 * SQLITE_DONE at once and the statement's result is read later, with everything else sent
 * since, at the next exchange that needs the connection (any other statement, COMMIT,
 * ROLLBACK, a schema lookup) or when the app asks for sqlite3_changes(),
 * sqlite3_total_changes() or sqlite3_last_insert_rowid(), which therefore stay exact.
 * Such statements run without the per-statement savepoint: the first one that fails dooms
 * the transaction.  Its error (SQLite's code and message) is returned by every statement
 * stepped afterwards and by COMMIT, which then rolls back; ROLLBACK succeeds.  The
 * transaction never commits partially.  At most PIPE_MAX results wait unread, so memory
 * stays bounded.
 */
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "log.h"

/* Results left unread at most; then one exchange reads them (one round trip per batch). */
#define PIPE_MAX 4096

/* Parameters of one execution, on the stack for the common case. */
#define PIPE_STACK_PARAMS 32

/* See pg.h. */
void ls_pg_pipe_doom(ls_pgconn *c, int rc)
{
    if (c->pipe_rc)
        return;
    c->pipe_rc = rc;
    free(c->pipe_msg);
    c->pipe_msg = strdup(c->base.errmsg ? c->base.errmsg : "");
    ls_log(LS_LOG_INFO, c->id, "pipelined write failed, transaction doomed: %s",
           c->pipe_msg ? c->pipe_msg : "");
}

/* See pg.h. */
bool ls_pg_pipe_can(const ls_pgstmt *st)
{
    const ls_pgconn *c = st->conn;
    return c->pipeline && c->in_txn && !c->pipe_rc && !c->txn_failed && !c->active &&
           c->pg && st->name[0] && st->described && st->ncol == 0 &&
           st->rw.n_hidden == 0 && /* last_insert_rowid() in SQL needs what precedes it */
           ls_pg_types_current(st) && ls_pg_blobs_known_ok(st) &&
           (st->rw.kind == LS_RW_INSERT || st->rw.kind == LS_RW_UPDATE ||
            st->rw.kind == LS_RW_DELETE) &&
           !c->busy_timeout_dirty && c->n_dealloc == 0 && PQstatus(c->pg) == CONNECTION_OK;
}

/* See pg.h. */
int ls_pg_pipe_send(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    int n = st->rw.n_params;
    const char *sv[PIPE_STACK_PARAMS] = { 0 };
    int sl[PIPE_STACK_PARAMS] = { 0 }, sf[PIPE_STACK_PARAMS] = { 0 };
    const char **vals = sv;
    int *lens = sl, *fmts = sf;
    if (n > PIPE_STACK_PARAMS) {
        vals = malloc((size_t)n * sizeof *vals);
        lens = malloc((size_t)n * sizeof *lens);
        fmts = malloc((size_t)n * sizeof *fmts);
        if (!vals || !lens || !fmts) {
            if (vals != sv) free(vals);
            if (lens != sl) free(lens);
            if (fmts != sf) free(fmts);
            return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
        }
    }
    for (int k = 0; k < n; k++) {
        int si = st->rw.param_index[k];
        bool set = si >= 1 && si <= st->n_bind && st->bind_val;
        vals[k] = set ? st->bind_val[si] : NULL;
        lens[k] = set ? st->bind_len[si] : 0;
        fmts[k] = set ? st->bind_fmt[si] : 0;
    }
    int ok = PQsendQueryPrepared(c->pg, st->name, n, vals, lens, fmts, 0);
    if (n > PIPE_STACK_PARAMS) {
        free(vals);
        free(lens);
        free(fmts);
    }
    st->state = LS_ST_DONE;
    if (!ok) {
        int rc = ls_pg_error(c, NULL);
        c->txn_failed = PQstatus(c->pg) != CONNECTION_OK;
        return rc;
    }
    ls_log(LS_LOG_DEBUG, c->id, "pipelined %s (%d parameters): %s", st->name, n, st->rw.sql);
    if (++c->n_pipelined >= PIPE_MAX)
        ls_pg_pipe_wait(c);
    return SQLITE_DONE;
}

/* One pipelined statement's result: its rowid and row count, as a waited one would. */
static void take(ls_pgconn *c, const PGresult *r)
{
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && PQnfields(r) > 0) {
        int row = PQntuples(r) - 1, k = PQnfields(r) - 1;
        if (!PQgetisnull(r, row, k))
            c->last_rowid = strtoll(PQgetvalue(r, row, k), NULL, 10);
    }
    const char *t = PQcmdTuples((PGresult *)r);
    sqlite3_int64 n = (t && *t) ? strtoll(t, NULL, 10) : 0;
    c->changes = n;
    c->total_changes += n;
}

/* See pg.h. */
void ls_pg_pipe_wait(ls_pgconn *c)
{
    if (!c->n_pipelined)
        return;
    c->n_pipelined = 0;
    if (!ls_pg_sync(c)) {
        ls_pg_pipe_doom(c, ls_pg_error(c, NULL));
        c->txn_failed = PQstatus(c->pg) != CONNECTION_OK;
        return;
    }
    for (;;) {
        PGresult *r = PQgetResult(c->pg);
        if (!r) {
            if (PQstatus(c->pg) != CONNECTION_OK) {
                ls_pg_pipe_doom(c, ls_pg_error(c, NULL));
                c->txn_failed = true;
                return;
            }
            continue; /* end of one statement's results */
        }
        switch (PQresultStatus(r)) {
        case PGRES_PIPELINE_SYNC:
            PQclear(r);
            return;
        case PGRES_TUPLES_OK:
        case PGRES_COMMAND_OK:
            take(c, r);
            break;
        case PGRES_PIPELINE_ABORTED: /* skipped after the failure */
            break;
        default:
            if (!c->pipe_rc) {
                c->changes = 0; /* as SQLite: the failed statement changed nothing */
                ls_pg_pipe_doom(c, ls_pg_error(c, r));
            }
            break;
        }
        PQclear(r);
    }
}

/* See pg.h. */
void ls_pg_pipe_settle(ls_pgconn *c)
{
    if (c->n_pipelined && c->pg)
        ls_pg_pipe_wait(c);
}

/* See pg.h. */
void ls_pg_pipe_reset(ls_pgconn *c)
{
    c->n_pipelined = 0;
    c->pipe_rc = 0;
    free(c->pipe_msg);
    c->pipe_msg = NULL;
}
