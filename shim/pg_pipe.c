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
 * stays bounded.  An INSERT is held back until the next statement, which decides whether it
 * may go without its RETURNING <rowid> (below).
 */
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "log.h"

/* Results left unread at most; then the oldest half are read, the server working on. */
#define PIPE_MAX 4096

/* libpq sends what it buffered every 64 KiB (about a thousand statements); the first ones of
 * a batch are sent at this count, so the server does not wait for the thousandth. */
#define PIPE_EARLY_FLUSH 64

/* An INSERT's lean twin is prepared, and whether it is sure to insert asked, at its
 * statement's pipelined run past this many (one round trip): a statement run a few times
 * does not pay it. */
#define PIPE_LOOK_AFTER 8

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
           !c->begin_pending && /* its BEGIN goes with the first statement (start()) */
           (c->lock_rows || ls_pg_write_locked(c)) && /* the first write waits for the lock */
           c->pg && st->name[0] && st->described && st->ncol == 0 &&
           st->rw.n_hidden == 0 && /* last_insert_rowid() in SQL needs what precedes it; a
                                     * D2 class is bound by start() only */
           ls_pg_writes_rows(st) &&
           !c->busy_timeout_dirty && c->n_dealloc == 0 && PQstatus(c->pg) == CONNECTION_OK &&
           PQpipelineStatus(c->pg) == PQ_PIPELINE_ON && /* every reader turns it back on */
           ls_pg_types_current(st) && ls_pg_blobs_known_ok(st);
}

/* One pipelined statement's result: its rowid and row count, as a waited one would. */
static void take(ls_pgconn *c, const PGresult *r)
{
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && PQnfields(r) > 0) {
        /* the last row inserted: an upsert's updated rows return NULL (rewrite.c) */
        int row = PQntuples(r) - 1, k = PQnfields(r) - 1;
        while (row >= 0 && PQgetisnull(r, row, k))
            row--;
        if (row >= 0)
            c->last_rowid = ls_num_int64(PQgetvalue(r, row, k));
    }
    const char *t = PQcmdTuples((PGresult *)r);
    sqlite3_int64 n = (t && *t) ? ls_num_int64(t) : 0;
    c->changes = n;
    c->total_changes += n;
}

/* One result of a pipelined statement; a failure dooms the transaction. */
static void take_result(ls_pgconn *c, PGresult *r)
{
    switch (PQresultStatus(r)) {
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

/* Read the results of the m oldest statements sent (not the held one), the server asked to
 * send what it has produced: it keeps working on the rest meanwhile, where reading up to a
 * Sync would leave it idle until the client has sent the next batch. */
static void read_oldest(ls_pgconn *c, int m)
{
    if (!PQsendFlushRequest(c->pg) || PQflush(c->pg) != 0) {
        ls_pg_pipe_doom(c, ls_pg_error(c, NULL));
        c->txn_failed = PQstatus(c->pg) != CONNECTION_OK;
        return;
    }
    for (int k = 0; k < m; k++) {
        PGresult *r;
        while ((r = PQgetResult(c->pg)) != NULL)
            take_result(c, r);
        if (PQstatus(c->pg) != CONNECTION_OK) {
            ls_pg_pipe_doom(c, ls_pg_error(c, NULL));
            c->txn_failed = true;
            return;
        }
        c->n_pipelined--;
    }
}

/* ---- inserts sent without their RETURNING ----
 * An INSERT into a table with a rowid carries " RETURNING <rowid>" so that
 * last_insert_rowid() stays exact; a result row per insert costs the server a row
 * description and a data row, and the client a result to build and parse.  Only the rowid of
 * the last insert that inserted something is observable, and only when the app asks
 * (last_insert_rowid, changes..., or any statement not pipelined, which all read every
 * pending result first).  So the last pipelined INSERT is held back, parameters copied, and
 * sent when the next statement comes: without its RETURNING (through a "lean" twin prepared
 * once) when that next statement is an INSERT sure to insert a row if it succeeds (VALUES
 * or DEFAULT VALUES, no OR IGNORE/REPLACE or ON CONFLICT, into an ordinary table with no
 * BEFORE or INSTEAD OF row trigger on INSERT and no rule), since that insert's rowid then
 * replaces it; with its RETURNING otherwise, and always when it is the last one before
 * results are read.  An INSERT OR IGNORE that ignored, an INSERT ... SELECT of nothing or a
 * row a trigger skipped therefore never hides the rowid of the insert before it.
 * Sure-to-insert is asked of the server once per statement, schema generation and
 * transaction, from the statement's PIPE_LOOK_AFTER-th pipelined run in the transaction on
 * (the ones before are sent whole): another connection may give the table a trigger or a
 * rule between two transactions of this one (not during one that writes: it would need the
 * write lock), and this connection's schema generation does not see it. */

/* The held insert: its statements and a copy of its parameters. */
struct ls_pipe_held {
    bool on;
    char name[24];          /* the statement with its RETURNING */
    char lean[24];          /* its lean twin, or "" */
    int n;                  /* parameters */
    int cap;
    const char **vals;
    int *lens, *fmts;
    char *buf;              /* the parameters' bytes, each NUL-terminated */
    size_t cap_buf;
};

static void held_free(ls_pgconn *c)
{
    struct ls_pipe_held *h = c->held;
    if (!h)
        return;
    free(h->vals);
    free(h->lens);
    free(h->fmts);
    free(h->buf);
    free(h);
    c->held = NULL;
}

/* The shape of st's rewritten INSERT: where its " RETURNING <rowid>" starts (0: not found),
 * whether it inserts from VALUES with no conflict clause, and its target table's text. */
typedef struct {
    size_t lean_len;
    bool values;
    size_t tab_off, tab_len;
    bool rowid_listed;      /* no column list, or one naming the rowid column */
    int rows;               /* VALUES rows */
} insert_shape;

static bool is_kw(const ls_token *t, int kw)
{
    return t->type == LS_TK_KEYWORD && t->kw == kw;
}

/* What comes after the table name, its alias or its column list: the body's first token. */
static int body(const ls_token *t, bool *values)
{
    if (is_kw(t, LS_KW_VALUES)) {
        *values = true;
        return 1;
    }
    return is_kw(t, LS_KW_DEFAULT) ? 2 : 0; /* DEFAULT VALUES, or something else */
}

static void shape_of(const ls_pgstmt *st, insert_shape *s)
{
    const char *sql = st->rw.sql;
    size_t len = st->rw.len, pos = 0;
    memset(s, 0, sizeof *s);
    ls_token t, prev = { 0 }, prev2 = { 0 };
    int depth = 0, b;
    size_t extra = 0; /* where the body has more than rows */
    bool conflict = false, values = false;
    /* INSERT INTO name [. name] [AS alias] [( columns )] {VALUES ... | DEFAULT VALUES} */
    enum { S_INSERT, S_INTO, S_NAME, S_QUAL, S_AFTER_NAME, S_ALIAS, S_AFTER_ALIAS, S_COLS,
           S_AFTER_COLS, S_DEFAULT, S_BODY, S_OTHER } at = S_INSERT;
    while (ls_ddl_next_tok(sql, len, &pos, &t)) {
        if (is_kw(&prev, LS_KW_ON) && is_kw(&t, LS_KW_CONFLICT))
            conflict = true;
        switch (at) {
        case S_INSERT:
            at = is_kw(&t, LS_KW_INSERT) ? S_INTO : S_OTHER;
            break;
        case S_INTO:
            at = is_kw(&t, LS_KW_INTO) ? S_NAME : S_OTHER;
            break;
        case S_NAME:
        case S_QUAL:
            if (t.type != LS_TK_ID && t.type != LS_TK_QUOTED_ID) {
                at = S_OTHER;
                break;
            }
            if (at == S_NAME)
                s->tab_off = t.off;
            s->tab_len = t.off + t.len - s->tab_off;
            at = S_AFTER_NAME;
            break;
        case S_ALIAS:
            at = S_AFTER_ALIAS;
            break;
        case S_COLS: {
            char col[64];
            if (depth == 1 && ls_ddl_name(sql, &t, col, sizeof col) &&
                strcmp(col, st->rw.rowid_col) == 0)
                s->rowid_listed = true;
            depth += ls_ddl_is_op(sql, &t, '(') - ls_ddl_is_op(sql, &t, ')');
            if (depth == 0)
                at = S_AFTER_COLS;
            break;
        }
        case S_DEFAULT:
            at = is_kw(&t, LS_KW_VALUES) ? S_BODY : S_OTHER;
            values = at == S_BODY;
            break;
        case S_AFTER_NAME:
        case S_AFTER_ALIAS:
        case S_AFTER_COLS:
            if (at == S_AFTER_NAME && ls_ddl_is_op(sql, &t, '.'))
                at = S_QUAL;
            else if (at == S_AFTER_NAME && is_kw(&t, LS_KW_AS))
                at = S_ALIAS;
            else if (at != S_AFTER_COLS && ls_ddl_is_op(sql, &t, '(')) {
                at = S_COLS;
                depth = 1;
            } else {
                if (at != S_AFTER_COLS)
                    s->rowid_listed = true; /* no column list: a value for every column */
                at = (b = body(&t, &values)) == 1 ? S_BODY : b == 2 ? S_DEFAULT : S_OTHER;
                s->rows = 1;
                depth = 0;
            }
            break;
        case S_BODY:
            /* rows, and nothing else at the top (a UNION, EXCEPT, LIMIT... may take rows
             * away) but the final RETURNING */
            if (depth == 0 && !ls_ddl_is_op(sql, &t, '(') && !ls_ddl_is_op(sql, &t, ',') && !extra)
                extra = t.off;
            if (depth == 0 && ls_ddl_is_op(sql, &t, ',') && !extra)
                s->rows++;
            depth += ls_ddl_is_op(sql, &t, '(') - ls_ddl_is_op(sql, &t, ')');
            break;
        default:
            break;
        }
        prev2 = prev;
        prev = t;
    }
    /* the last two tokens: RETURNING and the rowid column */
    char col[64];
    if (is_kw(&prev2, LS_KW_RETURNING) && ls_ddl_name(sql, &prev, col, sizeof col) &&
        strcmp(col, st->rw.rowid_col) == 0 && prev.off + prev.len == len) {
        s->lean_len = prev2.off;
        while (s->lean_len > 0 && sql[s->lean_len - 1] == ' ')
            s->lean_len--;
    }
    s->values = values && at == S_BODY && !conflict && s->lean_len &&
                (!extra || extra >= s->lean_len) &&
                (st->rw.onerr == LS_ONERR_ABORT || st->rw.onerr == LS_ONERR_FAIL ||
                 st->rw.onerr == LS_ONERR_ROLLBACK);
}

/* See pg.h. */
int ls_pg_send_lean_twin(ls_pgstmt *st, size_t len, char name[24])
{
    ls_pgconn *c = st->conn;
    name[0] = '\0';
    char *lean = strndup(st->rw.sql, len);
    if (!lean)
        return 0;
    char n[24];
    snprintf(n, sizeof n, "ls_%u", ++c->next_stmt_no);
    bool ok = PQsendPrepare(c->pg, n, lean, st->rw.n_params, st->ptypes);
    free(lean);
    if (!ok)
        return -1;
    memcpy(name, n, sizeof n);
    return 1;
}

/* See pg.h. */
bool ls_pg_lean_shape(const ls_pgstmt *st, size_t *lean_len, size_t *tab_off, size_t *tab_len)
{
    insert_shape s;
    shape_of(st, &s);
    *lean_len = s.lean_len;
    *tab_off = s.tab_off;
    *tab_len = s.tab_len;
    return s.values && s.lean_len && !s.rowid_listed && s.rows == 1;
}

/* Whether an INSERT ... VALUES into the table named tab always inserts its rows when it
 * succeeds: an ordinary table, no rule, no BEFORE or INSTEAD OF row trigger on INSERT (one
 * may return NULL: SQLite's RAISE(IGNORE)). */
static const char sure_sql[] =
    "SELECT c.relkind = 'r' AND NOT c.relhasrules AND NOT EXISTS (SELECT FROM pg_trigger g"
    " WHERE g.tgrelid = c.oid AND (g.tgtype & 5) = 5 AND (g.tgtype & 66) <> 0)"
    " FROM pg_class c WHERE c.oid = to_regclass($1)";

/* Look at st's INSERT once per schema generation: prepare its lean twin (first time) and
 * ask whether it is sure to insert, in one exchange after the pending results are read.
 * False when that exchange failed (the transaction is then doomed or lost: st must run
 * the usual way, which reports it). */
static bool look_at(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    ls_prep_lean *L = ls_prep_lean_of(st->prep);
    insert_shape s;
    shape_of(st, &s);
    if (!s.lean_len) {
        L->state = -1;
        return true;
    }
    if (L->name[0] && !s.values) {
        L->state = 1;
        L->certain = false;
        L->gen = c->schema_gen;
        return true;
    }
    ls_pg_pipe_wait(c);
    if (c->pipe_rc || c->txn_failed || !c->pg || PQstatus(c->pg) != CONNECTION_OK || !st->prep)
        return false;
    char name[24] = "", *tab = NULL;
    if (s.values && !(tab = strndup(st->rw.sql + s.tab_off, s.tab_len)))
        return true; /* out of memory: not looked at this time, the statement is sent whole */
    int twin = L->name[0] ? 0 : ls_pg_send_lean_twin(st, s.lean_len, name);
    const char *p[1] = { tab };
    bool sent = twin >= 0 &&
                (!tab || PQsendQueryParams(c->pg, sure_sql, 1, NULL, p, NULL, NULL, 0)) &&
                ls_pg_sync(c);
    bool sure = false, failed = !sent;
    if (!sent)
        ls_pg_pipe_doom(c, ls_pg_error(c, NULL));
    for (PGresult *r; sent && (r = ls_pg_next_result(c));) {
        ExecStatusType rs = PQresultStatus(r);
        if (rs == PGRES_TUPLES_OK)
            sure = PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
        else if (rs != PGRES_COMMAND_OK && !failed) {
            failed = true;
            ls_pg_pipe_doom(c, ls_pg_error(c, r));
        }
        PQclear(r);
    }
    if (sent && PQstatus(c->pg) != CONNECTION_OK) {
        failed = true;
        ls_pg_pipe_doom(c, ls_pg_error(c, NULL));
    }
    c->txn_failed = c->txn_failed || PQstatus(c->pg) != CONNECTION_OK;
    ls_log(LS_LOG_DEBUG, c->id, "%s: lean twin %s, %s to insert a row: %s", st->name,
           name[0] ? name : L->name, sure ? "sure" : "not sure", st->rw.sql);
    free(tab);
    if (failed)
        return false;
    if (name[0])
        memcpy(L->name, name, sizeof name);
    L->state = 1;
    L->certain = sure;
    L->gen = c->schema_gen;
    return true;
}

/* Send the held insert, lean or with its RETURNING.  False when libpq refused. */
static bool send_held(ls_pgconn *c, bool lean)
{
    struct ls_pipe_held *h = c->held;
    h->on = false;
    const char *name = lean && h->lean[0] ? h->lean : h->name;
    ls_log(LS_LOG_DEBUG, c->id, "pipelined %s (%d parameters)%s", name, h->n,
           name == h->lean ? ", without RETURNING" : "");
    return PQsendQueryPrepared(c->pg, name, h->n, h->vals, h->lens, h->fmts, 0);
}

/* Hold st's execution back: its statement names and a copy of its parameters. */
static bool hold(ls_pgstmt *st, const ls_prep_lean *L)
{
    ls_pgconn *c = st->conn;
    int n = st->rw.n_params;
    if (!c->held && !(c->held = calloc(1, sizeof *c->held)))
        return false;
    struct ls_pipe_held *h = c->held;
    if (n > h->cap) {
        const char **v = realloc(h->vals, (size_t)n * sizeof *v);
        if (v)
            h->vals = v;
        int *l = realloc(h->lens, (size_t)n * sizeof *l);
        if (l)
            h->lens = l;
        int *f = realloc(h->fmts, (size_t)n * sizeof *f);
        if (f)
            h->fmts = f;
        if (!v || !l || !f)
            return false;
        h->cap = n;
    }
    size_t total = 0;
    for (int k = 0; k < n; k++) {
        int si = st->rw.param_index[k];
        if (si >= 1 && si <= st->n_bind && st->bind_val && st->bind_val[si])
            total += (size_t)st->bind_len[si] + 1;
    }
    if (total > h->cap_buf) {
        size_t cap = total < 256 ? 256 : total * 2;
        char *b = realloc(h->buf, cap);
        if (!b)
            return false;
        h->buf = b;
        h->cap_buf = cap;
    }
    char *at = h->buf;
    for (int k = 0; k < n; k++) {
        int si = st->rw.param_index[k];
        bool set = si >= 1 && si <= st->n_bind && st->bind_val && st->bind_val[si];
        h->vals[k] = NULL;
        h->lens[k] = 0;
        h->fmts[k] = set ? st->bind_fmt[si] : 0;
        if (set) {
            size_t len = (size_t)st->bind_len[si];
            memcpy(at, st->bind_val[si], len);
            at[len] = '\0';
            h->vals[k] = at;
            h->lens[k] = (int)len;
            at += len + 1;
        }
    }
    h->n = n;
    memcpy(h->name, st->name, sizeof h->name);
    memcpy(h->lean, L->name, sizeof h->lean);
    h->on = true;
    return true;
}

/* See pg.h. */
int ls_pg_pipe_send(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    /* an INSERT with a lean twin is held back; whether the one held before may go without
     * its RETURNING depends on this statement (see above) */
    ls_prep_lean *L = NULL;
    if (st->rw.kind == LS_RW_INSERT && st->rw.returning_rowid && st->prep) {
        L = ls_prep_lean_of(st->prep);
        if (L->txn != c->txn_no) { /* a "sure" holds for the transaction it was found in */
            L->txn = c->txn_no;
            L->runs = 0;
            if (L->state > 0 && L->certain)
                L->state = 0;
        }
        if (L->state == 0 && L->runs < PIPE_LOOK_AFTER) {
            L->runs++; /* not worth a round trip yet: sent whole */
            L = NULL;
        } else if (L->state == 0 || (L->state > 0 && L->gen != c->schema_gen)) {
            if (!look_at(st))
                return -1;
            L = st->prep ? ls_prep_lean_of(st->prep) : NULL;
        }
        if (L && (L->state < 0 || !L->name[0]))
            L = NULL;
    }
    int rc = SQLITE_DONE;
    if (c->held && c->held->on && !send_held(c, L && L->certain))
        goto send_failed;
    st->state = LS_ST_DONE;
    if (L && hold(st, L)) {
        ls_log(LS_LOG_DEBUG, c->id, "held %s: %s", st->name, st->rw.sql);
    } else {
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
        if (!ok)
            goto send_failed;
        ls_log(LS_LOG_DEBUG, c->id, "pipelined %s (%d parameters): %s", st->name, n, st->rw.sql);
    }
    if (++c->n_pipelined == PIPE_EARLY_FLUSH)
        (void)PQflush(c->pg); /* the server starts on the first ones (a failure shows later) */
    else if (c->n_pipelined >= PIPE_MAX)
        read_oldest(c, PIPE_MAX / 2);
    return rc;

send_failed:
    st->state = LS_ST_DONE;
    rc = ls_pg_error(c, NULL);
    c->txn_failed = PQstatus(c->pg) != CONNECTION_OK;
    /* libpq refused to queue a write with the session still up (out of memory): the held
     * insert, which the app was told was done, may not have reached the server, and libpq's
     * queue may hold part of a message.  The transaction must not commit: doom it (its
     * COMMIT returns this error and rolls back). */
    ls_pg_pipe_doom(c, rc);
    return rc;
}

/* See pg.h. */
void ls_pg_pipe_wait(ls_pgconn *c)
{
    if (!c->n_pipelined)
        return;
    c->n_pipelined = 0;
    if ((c->held && c->held->on && !send_held(c, false)) || !ls_pg_sync(c)) {
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
        if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            return;
        }
        take_result(c, r);
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
    held_free(c);
    c->n_pipelined = 0;
    c->pipe_rc = 0;
    free(c->pipe_msg);
    c->pipe_msg = NULL;
}
