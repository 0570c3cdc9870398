/* SPDX-License-Identifier: MIT
 *
 * A DDL script given to sqlite3_exec outside a transaction, run in one pipeline: the schema
 * scripts apps run at start-up (DROP ... IF EXISTS, CREATE TABLE, CREATE INDEX) cost one
 * round trip and one transaction instead of one per statement.
 *
 * SQLite runs such a script one statement at a time, each in its own transaction, and stops
 * at the first failure with the statements before it done.  Here the whole script and each
 * statement's liteshift.master change (pg_master.c) go in one pipeline, one implicit
 * transaction: when everything succeeds the outcome is SQLite's; when anything fails
 * nothing was committed, and api_conn.c runs the same prepared statements again one at a
 * time (pg_exec.c), which gives SQLite's partial result and its error.  A failure costs
 * that one extra round trip.  Which statements qualify is ls_ddl_script_kind's (pg_master.c)
 * and ls_pg_script_ddl's decision; docs/benchmarks.md ("Schema") has the figures.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "log.h"
#include "capture.h"

/* See pg.h.  The connection must be one whose statements take today's path unchanged
 * in everything but the round trips: no transaction (each statement then autocommits on
 * SQLite), no authorizer (SQLite calls it at each statement's prepare, after the ones before
 * ran, with their objects in the schema), no app-defined functions (pg_local.c), not
 * read-only, and a liteshift.master that takes changes in the DDL's transaction. */
bool ls_pg_script_ddl(const ls_pgconn *c, const char *sql)
{
    if (c->in_txn || c->master_apart || c->auth_cb || c->appfns || c->readonly || !c->pg ||
        !sql)
        return false;
    size_t len = strlen(sql), pos = 0;
    int n = 0;
    while (pos < len) {
        bool complete;
        size_t k = ls_split_next(sql + pos, len - pos, &complete);
        if (k == 0)
            break;
        size_t p = 0;
        ls_token t;
        if (ls_ddl_next_tok(sql + pos, k, &p, &t) && !ls_ddl_is_op(sql + pos, &t, ';')) {
            if (!ls_ddl_script_kind(sql + pos, k) || ++n > LS_SCRIPT_MAX)
                return false;
        }
        pos += k;
    }
    return n >= 2;
}

/* Whether st may go in the pipeline as it was prepared: rewritten, a DDL statement, no
 * parameter (PostgreSQL takes none in DDL), run on the server. */
static bool fits(const ls_pgstmt *st)
{
    return st->rw_ok && st->rw.kind == LS_RW_DDL && st->rw.n_params == 0 && !st->local &&
           st->state == LS_ST_READY;
}

/* The session's lock_timeout in an exchange of its own before the script, as start() sends
 * it (pg_exec.c): a failure of the script cannot undo it.  Sent, not waited for. */
static bool send_session(ls_pgconn *c, bool *sent)
{
    *sent = false;
    if (c->timeout_txn)
        c->busy_timeout_dirty = true; /* set in a transaction that may have rolled back */
    if (!c->busy_timeout_dirty)
        return true;
    char ms[24];
    int wait = ls_pg_session_wait(c);
    ls_num_format_int64(wait, ms);
    const char *p[1] = { ms };
    if (!PQsendQueryParams(c->pg, "SELECT set_config('lock_timeout', $1, false)", 1, NULL, p,
                           NULL, NULL, 0) ||
        !PQpipelineSync(c->pg))
        return false;
    c->timeout_txn = 0;
    c->busy_timeout_dirty = false;
    c->session_wait_ms = wait;
    *sent = true;
    return true;
}

/* The answer to send_session's exchange. */
static void read_session(ls_pgconn *c)
{
    for (PGresult *r; (r = ls_pg_next_result(c));) {
        ExecStatusType s = PQresultStatus(r);
        if (s != PGRES_TUPLES_OK && s != PGRES_SINGLE_TUPLE) {   /* single: see below */
            ls_log(LS_LOG_WARN, c->id, "could not set lock_timeout: %s",
                   PQresultErrorMessage(r));
            c->busy_timeout_dirty = true;
            c->session_wait_ms = 0;
        }
        PQclear(r);
    }
}

/* The liteshift.master query of the planned changes of kind op (one text per kind). */
static const char *query_of(const ls_master_op *ms, const bool *planned, int n, int op)
{
    for (int i = 0; i < n; i++)
        if (planned[i] && (int)ms[i].op == op)
            return ms[i].query;
    return "";
}

/* See pg.h. */
int ls_pg_script_run(ls_pgconn *c, ls_pgstmt **sts, int n)
{
    if (n < 2 || n > LS_SCRIPT_MAX || c->in_txn)
        return -1;
    for (int i = 0; i < n; i++)
        if (!fits(sts[i]))
            return -1;
    int rc = ls_pg_free_connection(c);
    if (rc == SQLITE_OK)
        rc = ls_pg_ensure_connected(c);
    if (rc != SQLITE_OK || c->master_apart)
        return -1;
    /* A script that writes a TEMP object runs statement by statement: what its names resolve
     * to is known only before the script, from the schema cache, and once a statement has
     * dropped a TEMP object a name after it may be the main object the TEMP one hid (DROP
     * TABLE t; DROP TABLE t), which needs the write lock and its liteshift.master change */
    for (int i = 0; i < n; i++) {
        bool reads;
        if (ls_pg_temp_write(sts[i], &reads))
            return -1;
    }
    ls_master_op *ms = calloc((size_t)n, sizeof *ms);
    PGresult **rows = calloc((size_t)n, sizeof *rows);
    bool *skipped = calloc((size_t)n, sizeof *skipped);
    bool *planned = calloc((size_t)n, sizeof *planned);
    if (!ms || !rows || !skipped || !planned) {
        free(ms);
        free(rows);
        free(skipped);
        free(planned);
        return -1;
    }
    bool lock = false, creates = false, drops = false;
    for (int i = 0; i < n; i++) {
        planned[i] = ls_pg_master_plan(c, sts[i]->sql, sts[i]->sql_len, &ms[i]);
        creates = creates || (planned[i] && ms[i].op == M_CREATE);
        drops = drops || (planned[i] && ms[i].op == M_DROP);
        lock = lock || (!c->lock_rows && !ls_ddl_conditional(sts[i]->sql, sts[i]->sql_len));
    }
    bool apart = false;   /* a change that may concern TEMP objects: not one text per kind */
    for (int i = 0; i < n; i++)
        apart = apart || (planned[i] && ms[i].via_func);
    if (apart) {
        for (int i = 0; i < n; i++)
            if (planned[i])
                free(ms[i].text);
        free(ms);
        free(rows);
        free(skipped);
        free(planned);
        return -1;
    }

    /* send: [lock_timeout, Sync] [Parse of the master changes] [write lock] DDL...
     * master change... Sync.  The changes go after every DDL: interleaved, each one pays for
     * the catalog changes before it (in one process, alternating: 9.19 ms against 8.83 ms
     * for the benchmark's seven statements), and as statements prepared once per session
     * each execution costs a Bind, not a parse (8.40 ms; docs/benchmarks.md) */
    enum { Q_PARSE_INS = -1, Q_PARSE_DEL = -2, Q_LOCK = -3, Q_PARSE_LOCK = -4 };
    int *slot = malloc(((size_t)n * 2 + 4) * sizeof *slot), nq = 0;
    bool session = false, sent = slot && send_session(c, &session);
    if (sent && creates && !c->master_ins_prepared) {
        sent = PQsendPrepare(c->pg, LS_MASTER_INS_STMT, query_of(ms, planned, n, M_CREATE), 0, NULL);
        slot[nq++] = Q_PARSE_INS;
    }
    if (sent && drops && !c->master_del_prepared) {
        sent = PQsendPrepare(c->pg, LS_MASTER_DEL_STMT, query_of(ms, planned, n, M_DROP), 0, NULL);
        slot[nq++] = Q_PARSE_DEL;
    }
    if (sent && lock) {
        /* SQLite's write lock (D11) for the whole script, tried without waiting: when
         * another connection holds it the division by zero fails the pipeline and the
         * script runs statement by statement, which waits the busy timeout or calls the
         * busy handler exactly as for one statement.  (The lock with a 1 ms lock_timeout,
         * LS_LOCK_TIMED_SQL, costs the server a parse of 0.19 ms, a tenth of the gap.) */
        const char *lp[1] = { c->key_text[0] };
        if (!c->script_lock_prepared) {   /* prepared once per session: no parse per script */
            sent = PQsendPrepare(c->pg, LS_SCRIPT_LOCK_STMT,
                                 "SELECT 1 / pg_try_advisory_xact_lock($1::bigint)::int", 1, NULL);
            slot[nq++] = Q_PARSE_LOCK;
        }
        sent = sent && PQsendQueryPrepared(c->pg, LS_SCRIPT_LOCK_STMT, 1, lp, NULL, NULL, 0);
        slot[nq++] = Q_LOCK;
    }
    for (int i = 0; sent && i < n; i++) {
        sent = PQsendQueryParams(c->pg, sts[i]->rw.sql, 0, NULL, NULL, NULL, NULL, 0);
        slot[nq++] = i;
        ls_log(LS_LOG_DEBUG, c->id, "execute (script, %d of %d): %s", i + 1, n, sts[i]->rw.sql);
    }
    for (int i = 0; sent && i < n; i++) {
        if (!planned[i])
            continue;
        sent = PQsendQueryPrepared(c->pg, ms[i].op == M_CREATE ? LS_MASTER_INS_STMT
                                   : LS_MASTER_DEL_STMT, ms[i].np, ms[i].params, NULL, NULL, 0);
        slot[nq++] = n + i;
    }
    sent = sent && ls_pg_sync(c);

    /* read, in the same order */
    if (session)
        read_session(c);
    bool ok = sent;
    const char *state = NULL;
    PGresult *err = NULL;
    int q = 0;
    c->ddl_skipped = false;
    for (PGresult *r; sent && (r = ls_pg_next_result(c));) {
        ExecStatusType s = PQresultStatus(r);
        int at = q < nq ? slot[q] : INT_MIN;
        if (s == PGRES_SINGLE_TUPLE) {
            /* single-row mode left over by libpq from a query sent outside pipeline mode
             * (pg_exec.c start() no longer sends one that way): the rows one by one, then
             * their end as a result of no row */
            if (at >= n && !rows[at - n])
                rows[at - n] = r;
            else
                PQclear(r);
            continue;
        }
        q++;
        /* an error, or a query skipped after one: the implicit transaction rolled back */
        bool good = s != PGRES_FATAL_ERROR && s != PGRES_PIPELINE_ABORTED &&
                    s != PGRES_BAD_RESPONSE;
        if (!good && ok) {
            ok = false;
            err = r;
            state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        }
        if (s == PGRES_COMMAND_OK && at == Q_PARSE_INS)
            c->master_ins_prepared = true;   /* a statement outlives a failed transaction */
        else if (s == PGRES_COMMAND_OK && at == Q_PARSE_DEL)
            c->master_del_prepared = true;
        else if (s == PGRES_COMMAND_OK && at == Q_PARSE_LOCK)
            c->script_lock_prepared = true;
        if (at >= 0 && at < n) {
            skipped[at] = c->ddl_skipped;    /* its notice came before its result */
            c->ddl_skipped = false;
        } else if (at >= n && s == PGRES_TUPLES_OK && !rows[at - n]) {
            rows[at - n] = r;
            r = NULL;
        }
        if (r != err)
            PQclear(r);
    }
    bool lost = PQstatus(c->pg) != CONNECTION_OK;
    if (ok && !lost && q != nq)
        ls_log(LS_LOG_WARN, c->id, "DDL script: %d results for %d queries", q, nq);
    c->ddl_skipped = false;

    if (sent && lost) {
        /* whether the server committed is unknown: running the script again could run a
         * statement twice, so this is the script's error, as a connection lost during one
         * statement is that statement's */
        ok = false;
        rc = ls_pg_error(c, err);
    } else if (ok) {
        ls_pg_schema_invalidate(c);
        for (int i = 0; i < n; i++) {
            if (ls_capture_on)
                ls_capture_note(sts[i]->sql, sts[i]->sql_len, 1);
            sts[i]->state = LS_ST_DONE;
            if (planned[i]) {
                c->ddl_skipped = skipped[i];
                ls_pg_master_done(c, &ms[i], rows[i]);
            }
        }
        rc = SQLITE_OK;
    } else if (state && strcmp(state, "57014") == 0) {
        /* sqlite3_interrupt: as an interrupt during the first statement, nothing done */
        rc = ls_pg_error(c, err);
    } else if (sent) {
        ls_log(LS_LOG_INFO, c->id, "DDL script in one pipeline failed (%s): running it "
               "statement by statement", err ? PQresultErrorMessage(err) : "no result");
        rc = -1;
    } else {   /* as start(): the connection's error, nothing waited for */
        rc = ls_pg_error(c, NULL);
    }
    for (int i = 0; i < n; i++) {
        if (!ok && planned[i])
            free(ms[i].text);
        PQclear(rows[i]);
    }
    PQclear(err);
    free(slot);
    free(ms);
    free(rows);
    free(skipped);
    free(planned);
    return rc;
}
