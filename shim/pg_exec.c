/* SPDX-License-Identifier: MIT
 *
 * Running statements on PostgreSQL with SQLite's semantics, one round trip per statement.
 *
 * The connection stays in libpq pipeline mode.  A statement's first step sends, in one
 * pipeline: any pending session setting, "SAVEPOINT ls_stmt" when an explicit transaction is
 * open (SQLite fails only the statement, PostgreSQL would abort the transaction: DIALECT S6),
 * the Parse of the rewritten text when the server does not have it yet, the Bind/Execute,
 * "RELEASE ls_stmt", and a Sync.  Rows stream in single-row mode, so memory stays bounded
 * whatever the result size.  When a failure aborts the pipeline inside a transaction, one
 * more exchange rolls back to the savepoint: errors cost a round trip, successes do not.
 *
 * One connection, one active query (DESIGN §3): a statement still streaming when another
 * statement needs the connection has its remaining rows drained into memory first.
 *
 * Transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE) follows SQLite: BEGIN
 * inside a transaction and COMMIT outside one are errors; BEGIN IMMEDIATE and EXCLUSIVE take
 * SQLite's write lock, a transaction-scoped advisory lock, so read-modify-write loses no
 * update (DIALECT S2), and so do the first write of a deferred transaction and every write
 * outside one (below, "SQLite's write lock"); a SAVEPOINT outside a transaction starts one,
 * and releasing that outermost savepoint commits (DIALECT S5).
 *
 * last_insert_rowid(), changes() and total_changes() called in the SQL arrive from the
 * rewriter as hidden trailing parameters (DIALECT F15): each execution binds the values
 * sqlite3_last_insert_rowid()/changes64()/total_changes64() return when it starts.
 */
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "log.h"
#include "capture.h"

/* Back to pipeline mode after a statement sent outside it (start(): one command alone),
 * once its results are read. */
static void repipe(ls_pgconn *c)
{
    if (c->pg && PQpipelineStatus(c->pg) == PQ_PIPELINE_OFF)
        (void)PQenterPipelineMode(c->pg);
}

/* Read results until the pipeline's Sync (outside pipeline mode: until the end of the one
 * command's results); returns the first error result (owned by the caller, PQclear it) or
 * NULL when every result was fine. */
static PGresult *drain_to_sync_seeing(ls_pgconn *c, bool *rolled_back);

static PGresult *drain_to_sync(ls_pgconn *c)
{
    return drain_to_sync_seeing(c, NULL);
}

/* As drain_to_sync; *rolled_back (when not NULL) is set when a command answered ROLLBACK:
 * the tag PostgreSQL gives a COMMIT of a transaction it had already aborted. */
static PGresult *drain_to_sync_seeing(ls_pgconn *c, bool *rolled_back)
{
    PGresult *first_err = NULL;
    for (;;) {
        PGresult *r = ls_pg_get_result(c);
        if (!r) {
            if (PQstatus(c->pg) != CONNECTION_OK || PQpipelineStatus(c->pg) == PQ_PIPELINE_OFF)
                break;
            continue; /* end of one query's results */
        }
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (rolled_back && s == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "ROLLBACK") == 0)
            *rolled_back = true;
        if ((s == PGRES_FATAL_ERROR || s == PGRES_NONFATAL_ERROR) && !first_err)
            first_err = r;
        else
            PQclear(r);
    }
    return first_err;
}

/* Run fixed commands (no parameters but those given) in one pipeline and wait for them.
 * Returns SQLITE_OK or the mapped error of the first failure. */
static int run_commands(ls_pgconn *c, const char *const *sqls, int n, const char *param)
{
    if (ls_pg_send_begin(c, false) < 0 || /* SAVEPOINT, RELEASE... of a transaction not
                                           * begun yet on the server */
        ls_replay_send_close(c) < 0)      /* what they do is not in the replay log */
        return ls_pg_error(c, NULL);
    for (int i = 0; i < n; i++) {
        const char *p[1] = { param };
        int np = (param && strstr(sqls[i], "$1")) ? 1 : 0;
        if (!PQsendQueryParams(c->pg, sqls[i], np, NULL, np ? p : NULL, NULL, NULL, 0))
            return ls_pg_error(c, NULL);
    }
    if (!ls_pg_sync(c))
        return ls_pg_error(c, NULL);
    PGresult *err = drain_to_sync(c);
    if (PQstatus(c->pg) != CONNECTION_OK && !err)
        return ls_pg_error(c, NULL);
    if (err) {
        int rc = ls_pg_error(c, err);
        PQclear(err);
        return rc;
    }
    return SQLITE_OK;
}

static void clear_row(ls_pgstmt *st)
{
    if (st->vals)
        for (int i = 0; i < st->nfields; i++)
            if (st->val_ok[i])
                ls_pgvalue_clear(&st->vals[i]);
    if (st->val_ok)
        memset(st->val_ok, 0, sizeof(bool) * (size_t)st->nfields);
    PQclear(st->row);
    st->row = NULL;
}

/* The select items' star range: *first is the index of the first * item, *after the
 * number of items after the last one.  False when there is no * (or no names). */
static bool star_range(const ls_rw_result *rw, size_t *first, size_t *after)
{
    size_t n = rw->n_col_names, f = n, l = n;
    for (size_t k = 0; k < n; k++)
        if (rw->col_names[k] == LS_RW_STAR) {
            if (f == n)
                f = k;
            l = k;
        }
    *first = f;
    *after = f == n ? 0 : n - l - 1;
    return f < n;
}

/* SQLite's name for result column i of ncol (DIALECT R1), from the rewriter's names of the
 * select items: the items before the first * map from the left, those after the last *
 * from the right.  NULL: the server's name is SQLite's. */
static const char *sqlite_col_name(const ls_rw_result *rw, int i, int ncol)
{
    size_t n = rw->n_col_names, first, after;
    if (n == 0)
        return NULL;
    if (!star_range(rw, &first, &after))   /* no star: one item per column */
        return (size_t)ncol == n ? rw->col_names[i] : NULL;
    if ((size_t)i < first)
        return rw->col_names[i];
    if ((size_t)ncol >= first + after && (size_t)i >= (size_t)ncol - after)
        return rw->col_names[n - after + ((size_t)i - ((size_t)ncol - after))];
    return NULL;
}

/* Forget the result columns (the table changed shape): described again from the next
 * result. */
static void forget_description(ls_pgstmt *st)
{
    for (int i = 0; i < st->ncol && st->col_names; i++)
        free(st->col_names[i]);
    free(st->col_names);
    free(st->col_types);
    free(st->col_field);
    free(st->col_table);
    free(st->col_attnum);
    free(st->col_class);
    st->col_class = NULL;
    for (int i = 0; i < st->ncol && st->col_decl; i++)
        free(st->col_decl[i]);
    free(st->col_decl);
    st->col_names = NULL;
    st->col_types = NULL;
    st->col_field = NULL;
    st->col_table = NULL;
    st->col_attnum = NULL;
    st->col_decl = NULL;
    st->decl_done = false;
    st->ncol = 0;
    st->described = false;
}

static int set_fields(ls_pgstmt *st, const PGresult *r)
{
    int nf = PQnfields(r);
    if (nf != st->nfields || !st->vals) {
        free(st->vals);
        free(st->val_ok);
        st->vals = calloc((size_t)(nf ? nf : 1), sizeof *st->vals);
        st->val_ok = calloc((size_t)(nf ? nf : 1), sizeof *st->val_ok);
        st->nfields = nf;
        if (!st->vals || !st->val_ok)
            return SQLITE_NOMEM;
    }
    if (!st->described) {
        int fields = nf - (st->rw.returning_rowid ? 1 : 0);
        if (fields < 0)
            fields = 0;
        size_t sz = (size_t)(fields ? fields : 1);
        st->col_names = calloc(sz, sizeof *st->col_names);
        st->col_types = calloc(sz, sizeof *st->col_types);
        st->col_field = calloc(sz, sizeof *st->col_field);
        st->col_table = calloc(sz, sizeof *st->col_table);
        st->col_attnum = calloc(sz, sizeof *st->col_attnum);
        if (!st->col_names || !st->col_types || !st->col_field || !st->col_table ||
            !st->col_attnum)
            return SQLITE_NOMEM;
        /* D2: the class fields the rewriter appended for typeless columns (class_of) */
        int n_cls = st->rw.kind == LS_RW_SELECT ? st->rw.n_class_items : 0;
        for (int k = 0; k < n_cls; k++)
            if (fields - n_cls + k < 0 || PQftype(r, fields - n_cls + k) != 21)
                n_cls = 0;   /* not the shape the rewriter made: no classes */
        fields -= n_cls;
        /* DIALECT T7: a * does not show the hidden rowid column of a table, nor (D2) the
         * class column after a typeless column */
        size_t first, after;
        bool star = star_range(&st->rw, &first, &after);
        int ncol = 0, n_inline = 0;
        for (int f = 0; f < fields; f++) {
            if (star && (size_t)f >= first && (size_t)f + after < (size_t)fields
                && PQftable(r, f) != InvalidOid) {
                const char *fn = PQfname(r, f);
                size_t fl = strlen(fn), sl = sizeof LS_CLASS_SUFFIX - 1;
                if (!strcmp(fn, LS_HIDDEN_ROWID))
                    continue;
                if (PQftype(r, f) == 21 && fl > sl && !strcmp(fn + fl - sl, LS_CLASS_SUFFIX)
                    && ncol > 0 && PQftable(r, st->col_field[ncol - 1]) == PQftable(r, f)
                    && PQftablecol(r, st->col_field[ncol - 1]) + 1 == PQftablecol(r, f)) {
                    n_inline++;
                    continue;   /* the class of the column just before */
                }
            }
            st->col_field[ncol++] = f;
        }
        st->ncol = ncol;
        if (n_cls || n_inline) {
            if (!(st->col_class = malloc(sizeof *st->col_class * (size_t)(ncol ? ncol : 1))))
                return SQLITE_NOMEM;
            for (int i = 0; i < ncol; i++)
                st->col_class[i] = -1;
            for (int k = 0; k < n_cls; k++)
                if (st->rw.class_of[k] >= 0 && st->rw.class_of[k] < ncol)
                    st->col_class[st->rw.class_of[k]] = fields + k;
            for (int i = 0; n_inline && i < ncol; i++) {
                int f = st->col_field[i];
                if (f + 1 < fields && (i + 1 == ncol || st->col_field[i + 1] != f + 1)
                    && PQftype(r, f + 1) == 21 && PQftable(r, f) == PQftable(r, f + 1)
                    && PQftable(r, f) != InvalidOid
                    && PQftablecol(r, f) + 1 == PQftablecol(r, f + 1))
                    st->col_class[i] = f + 1;
            }
        }
        for (int i = 0; i < ncol; i++) {
            int f = st->col_field[i];
            const char *sqlite_name = sqlite_col_name(&st->rw, i, ncol);
            st->col_names[i] = strdup(sqlite_name ? sqlite_name : PQfname(r, f));
            st->col_types[i] = PQftype(r, f);
            st->col_table[i] = PQftable(r, f);
            st->col_attnum[i] = PQftablecol(r, f);
            if (!st->col_names[i])
                return SQLITE_NOMEM;
        }
        st->described = true;
    }
    return SQLITE_OK;
}

/* The result of the liteshift.master change sent after st (start()) into st->tail_res; its
 * failure is not the statement's (the caller runs the DDL again without it). */
static void read_tail(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    st->tail_sent = false;
    PGresult *r;
    while (!(r = ls_pg_get_result(c)) && PQstatus(c->pg) == CONNECTION_OK)
        ;   /* the NULL that ends the statement's own results */
    st->tail_res = r;
    if (r)
        PQclear(ls_pg_get_result(c));   /* the NULL that ends the change's */
}

/* The statement's results end: consume what follows the main query (RELEASE, Sync). */
static int finish_stream(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    st->streaming = false;
    if (c->active == st)
        c->active = NULL;
    if (st->tail_sent)
        read_tail(st);
    PGresult *err = drain_to_sync(c);
    repipe(c);
    if (err) {
        int rc = ls_pg_error(c, err);
        PQclear(err);
        return rc;
    }
    return SQLITE_OK;
}

/* After a failure inside the pipeline: the rest was skipped; bring the transaction back to
 * where it was before this statement. */
static void recover_savepoint(ls_pgconn *c, bool wrapped)
{
    if (!wrapped && c->in_txn && c->pipeline && PQstatus(c->pg) == CONNECTION_OK) {
        /* LITESHIFT_PIPELINE=1 ran it without a savepoint: the transaction is lost */
        ls_pg_pipe_doom(c, c->base.errcode ? c->base.errcode : SQLITE_ERROR);
        return;
    }
    if (!wrapped || PQstatus(c->pg) != CONNECTION_OK)
        return;
    static const char *const undo[] = { "ROLLBACK TO SAVEPOINT ls_stmt",
                                        "RELEASE SAVEPOINT ls_stmt" };
    char keep[1024];
    snprintf(keep, sizeof keep, "%s", c->base.errmsg ? c->base.errmsg : "");
    int code = c->base.errcode;
    if (run_commands(c, undo, 2, NULL) != SQLITE_OK)
        ls_log(LS_LOG_ERROR, c->id, "could not roll back to the statement savepoint");
    ls_conn_error(&c->base, code, "%s", keep);
}

/* After a failure of st inside the pipeline (rc, its error): undo it alone, by its own
 * savepoint or by the replay log.  Returns the code to report: rc, or SQLITE_ABORT_ROLLBACK
 * when the replay log had to roll the whole transaction back. */
static int recover(ls_pgconn *c, ls_pgstmt *st, int rc)
{
    if (!st->logged) {
        recover_savepoint(c, st->wrapped);
        return rc;
    }
    ls_replay_recover(c, st);
    return st->replayed == 2 ? c->base.errcode : rc;
}

/* After a failure of the statement that carried its transaction's BEGIN (ls_pg_send_begin),
 * before it took the write lock it needed (busy, or a statement the server refused): nothing
 * of the transaction holds, so it is rolled back on the server and its BEGIN goes with the
 * next statement, whose isolation is chosen then.  Kept open at READ COMMITTED without the
 * lock, a read after it would see other connections' commits, and a write computed from it
 * would overwrite them where SQLite fails with SQLITE_BUSY_SNAPSHOT (py/deferred_begin.py).
 * The error reported stays the statement's. */
static void unbegin(ls_pgconn *c)
{
    if (PQstatus(c->pg) != CONNECTION_OK || !c->in_txn)
        return;
    static const char *const q[] = { "ROLLBACK" };
    char keep[1024];
    snprintf(keep, sizeof keep, "%s", c->base.errmsg ? c->base.errmsg : "");
    int code = c->base.errcode;
    if (run_commands(c, q, 1, NULL) == SQLITE_OK) {
        c->begin_pending = true;
        if (c->timeout_txn == c->txn_no)
            c->busy_timeout_dirty = true; /* the rollback undid the lock_timeout set in it */
    } else {
        ls_log(LS_LOG_ERROR, c->id, "could not roll back a transaction begun for nothing");
    }
    ls_conn_error(&c->base, code, "%s", keep);
}

static void note_changes(ls_pgstmt *st, const PGresult *r)
{
    ls_pgconn *c = st->conn;
    if (st->rw.kind != LS_RW_INSERT && st->rw.kind != LS_RW_UPDATE &&
        st->rw.kind != LS_RW_DELETE)
        return;
    const char *t = PQcmdTuples((PGresult *)r);
    sqlite3_int64 n = (t && *t) ? ls_num_int64(t) : 0;
    c->changes = n;
    c->total_changes += n;
}

/* Rows arrived for st (one, or a whole result): keep the hidden rowid of the last, expose
 * them unless they hold only that.  True: st->row owns r now; false: r is still the
 * caller's. */
static bool take_row(ls_pgstmt *st, PGresult *r)
{
    if (st->rw.returning_rowid && PQntuples(r) > 0) {
        int k = PQnfields(r) - 1;
        if (!PQgetisnull(r, PQntuples(r) - 1, k)) {
            st->conn->last_rowid = ls_num_int64(PQgetvalue(r, PQntuples(r) - 1, k));
            st->conn->rowid_from = st->prep;
        }
    }
    if (st->ncol == 0)
        return false;
    /* Without a current row the values are cleared already, or they are those of the row
     * ls_pg_free_connection keeps aside while it buffers the rest: the app may still hold
     * their text (valid until this statement's next step), so they stay. */
    if (st->row)
        clear_row(st);
    st->row = r;
    st->row_idx = 0;
    return true;
}

/* Next row from the stream on the connection.  SQLITE_ROW, SQLITE_DONE or an error. */
static int next_streamed(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    for (;;) {
        PGresult *r = ls_pg_get_result(c);
        if (!r) {
            int rc = ls_pg_error(c, NULL);
            st->streaming = false;
            c->active = NULL;
            repipe(c);
            return rc;
        }
        switch (PQresultStatus(r)) {
        case PGRES_SINGLE_TUPLE:
            if (set_fields(st, r) != SQLITE_OK) {
                PQclear(r);
                return SQLITE_NOMEM;
            }
            if (take_row(st, r))
                return SQLITE_ROW;
            PQclear(r);
            continue;
        case PGRES_TUPLES_OK:
        case PGRES_COMMAND_OK: {
            if (set_fields(st, r) != SQLITE_OK) {
                PQclear(r);
                return SQLITE_NOMEM;
            }
            note_changes(st, r);
            if (st->logged)
                ls_replay_done(c, st, r);
            /* a whole result (start() did not ask for single rows): its rows are stepped
             * from st->row */
            bool rows = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 &&
                        take_row(st, r);
            if (!rows)
                PQclear(r);
            int rc = finish_stream(st);
            return rc != SQLITE_OK ? rc : rows ? SQLITE_ROW : SQLITE_DONE;
        }
        case PGRES_EMPTY_QUERY:
            PQclear(r);
            return finish_stream(st) == SQLITE_OK ? SQLITE_DONE : st->conn->base.errcode;
        default: {
            int rc = ls_pg_error(c, r);
            if (ls_pg_writes_rows(st))
                c->changes = 0; /* as SQLite: a failed statement changed nothing */
            if (st->bind_locked) /* its locks were its parameters (bind_lock) */
                c->lock_busy = (rc & 0xff) == SQLITE_BUSY;
            PQclear(r);
            PGresult *more = drain_to_sync(c);
            PQclear(more);
            repipe(c);
            st->streaming = false;
            c->active = NULL;
            return recover(c, st, rc);
        }
        }
    }
}

/* See pg.h. */
int ls_pg_free_connection(ls_pgconn *c)
{
    ls_pg_pipe_settle(c); /* pipelined writes first: their results come before anything */
    ls_pgstmt *st = c->active;
    if (!st)
        return SQLITE_OK;
    /* keep the current row; buffer the rest */
    PGresult *cur = st->row;
    st->row = NULL;
    for (;;) {
        int rc = next_streamed(st);
        if (rc == SQLITE_ROW) {
            if (st->n_buffered == st->buf_cap) {
                size_t cap = st->buf_cap ? st->buf_cap * 2 : 64;
                PGresult **nb = realloc(st->buffered, cap * sizeof *nb);
                if (!nb)
                    return SQLITE_NOMEM;
                st->buffered = nb;
                st->buf_cap = cap;
            }
            st->buffered[st->n_buffered++] = st->row;
            st->row = NULL;
            continue;
        }
        if (rc != SQLITE_DONE) {
            st->deferred_rc = rc;
            free(st->deferred_msg);
            st->deferred_msg = c->base.errmsg ? strdup(c->base.errmsg) : NULL;
        }
        break;
    }
    st->row = cur;
    ls_conn_clear_error(&c->base);
    return SQLITE_OK;
}

/* A result built here, not by the server (PRAGMA answers): one text or integer column. */
static int local_result(ls_pgstmt *st, const char *colname, const char *value, bool integer)
{
    ls_pgconn *c = st->conn;
    PGresult *r = PQmakeEmptyPGresult(c->pg, PGRES_TUPLES_OK);
    if (!r)
        return SQLITE_NOMEM;
    PGresAttDesc att = { 0 };
    att.name = (char *)colname;
    att.typid = integer ? 20 : 25;
    att.typlen = -1;
    att.atttypmod = -1;
    if (!PQsetResultAttrs(r, 1, &att) ||
        (value && !PQsetvalue(r, 0, 0, (char *)value, (int)strlen(value)))) {
        PQclear(r);
        return SQLITE_NOMEM;
    }
    if (set_fields(st, r) != SQLITE_OK) {
        PQclear(r);
        return SQLITE_NOMEM;
    }
    if (!value) {
        PQclear(r);
        return SQLITE_DONE;
    }
    clear_row(st);
    st->row = r;
    st->row_idx = 0;
    st->state = LS_ST_ROWS;
    return SQLITE_ROW;
}

/* ---- SQLite's write lock (docs/compatibility.md D11) ----
 * SQLite lets one connection write a database at a time: BEGIN IMMEDIATE/EXCLUSIVE take the
 * lock at once, a deferred transaction at its first write (SQLite's RESERVED lock), and a
 * write outside any transaction for its own duration; a connection that finds it held waits
 * up to its busy timeout, then fails with SQLITE_BUSY, its transaction intact.  Here the lock
 * is one transaction-scoped advisory lock per database (LS_LOCK_SQL, which waits at most the
 * busy timeout), sent in the same pipeline as the write that needs it: no round trip of its
 * own.  LITESHIFT_LOCKING=row leaves writes to PostgreSQL's row locks (BEGIN IMMEDIATE still
 * takes the lock). */

/* Whether a write run now takes the write lock first: SQLite's locking, a connection that may
 * write, and a transaction that does not hold the lock yet. */
static bool write_lock_due(const ls_pgconn *c)
{
    return !c->lock_rows && !c->readonly && !ls_pg_write_locked(c);
}

/* Whether st, run now, needs the write lock first: INSERT, UPDATE, DELETE, DDL, and ANALYZE
 * (LS_RW_OTHER, not read-only: SQLite writes sqlite_stat1 under the lock).  CREATE ... IF NOT
 * EXISTS and DROP ... IF EXISTS do not: SQLite takes no lock when it finds they change
 * nothing, which is the start-up DDL every process of an app runs while another may be
 * writing; when they do change something, PostgreSQL's own locks on the object keep the DDL
 * safe (D11).  Nor does a write to TEMP objects only (pg_temp.c): SQLite writes its temp
 * database without the lock.  *reads: whether st counts as a read of the transaction when it
 * takes no lock (a temp-only write that reads no table does not). */
static bool needs_write_lock(ls_pgstmt *st, bool *reads, bool *temp)
{
    ls_pgconn *c = st->conn;
    *reads = true;
    *temp = false;
    return write_lock_due(c) &&
           (ls_pg_writes_rows(st) || (st->rw.kind == LS_RW_OTHER && !st->rw.readonly) ||
            (st->rw.kind == LS_RW_DDL && !ls_ddl_conditional(st->sql, st->sql_len))) &&
           !(*temp = ls_pg_temp_write(st, reads));
}

/* Whether the connection keeps the rollback journal's locks (docs/compatibility.md D11): in
 * SQLite's default journal modes (DELETE, TRUNCATE, PERSIST, MEMORY, OFF) a transaction that
 * reads holds a SHARED lock until it ends, and a writer's COMMIT needs every reader gone: it
 * waits up to the busy timeout, then fails with SQLITE_BUSY, its transaction intact.  Here the
 * readers' lock is a second advisory lock per database (key_text[1]), shared by a transaction
 * from its first read (start()), exclusive at the COMMIT of a transaction that wrote
 * (commit_now()) and for a write outside any transaction.  journal_mode=WAL, persisted per
 * database as SQLite persists it, turns them off: readers never block a writer.  Not with
 * LITESHIFT_LOCKING=row. */
static bool journal_locks(const ls_pgconn *c)
{
    return !c->wal && !c->lock_rows;
}

/* Whether sql has the word FROM: a statement without one reads no table (SELECT 1, VALUES),
 * and SQLite then takes no SHARED lock.  One inside a literal only costs a lock. */
static bool names_from(const char *sql)
{
    for (const char *p = sql; (p = strcasestr(p, "from")) != NULL; p += 4) {
        bool before = p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
        bool after = !(isalnum((unsigned char)p[4]) || p[4] == '_');
        if (before && after)
            return true;
    }
    return false;
}

/* names_from of st's text, found once per rewrite (every write of a transaction asks). */
static bool st_names_from(ls_pgstmt *st)
{
    if (st->from_sql != st->rw.sql) {
        st->from_sql = st->rw.sql;
        st->from_has = names_from(st->rw.sql);
    }
    return st->from_has;
}

/* Whether the open transaction already read: SQLite then does not wait for the lock (its
 * snapshot would be stale once the other writer commits), SQLITE_BUSY at once. */
static bool read_first(const ls_pgconn *c)
{
    return c->in_txn && c->read_txn == c->txn_no && !ls_pg_write_locked(c);
}

/* The BEGIN of a deferred transaction that reads first, or that SAVEPOINT opens: REPEATABLE
 * READ, but with LITESHIFT_LOCKING=row (ls_pg_send_begin below). */
static const char *begin_deferred(const ls_pgconn *c)
{
    return c->lock_rows ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ";
}

/* A deferred transaction (D11).  Its BEGIN is not sent when the app runs it, as SQLite's
 * BEGIN touches nothing either: it goes with the transaction's first statement, in that
 * statement's exchange (no round trip of its own), and a transaction that runs nothing
 * commits or rolls back without the server.  Its isolation is chosen then:
 *   - it reads first: REPEATABLE READ.  It then reads one snapshot, as SQLite's read
 *     transaction does, and its first write after another connection changed and committed
 *     the rows it writes fails with SQLITE_BUSY_SNAPSHOT (PostgreSQL's serialization
 *     failure) instead of overwriting that change;
 *   - it writes first: READ COMMITTED.  The write lock, a SELECT, would take a REPEATABLE
 *     READ snapshot before waiting for another writer, whose changes the transaction would
 *     then not see; holding the lock from its first statement on, no other writer commits
 *     while it runs.
 * LITESHIFT_LOCKING=row keeps PostgreSQL's READ COMMITTED throughout (chosen).  SAVEPOINT
 * outside a transaction begins one at REPEATABLE READ at once. */
int ls_pg_send_begin(ls_pgconn *c, bool writes)
{
    if (!c->begin_pending || !c->in_txn) {
        c->begin_pending = false; /* a transaction ended another way (interrupt, lost) */
        return 0;
    }
    const char *sql = writes ? "BEGIN" : begin_deferred(c);
    if (!PQsendQueryParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0))
        return -1;
    c->begin_pending = false;
    return 1;
}

/* The longest wait for a lock, in ms, as lock_timeout's text: the busy timeout, or 1 ms when
 * it is 0 (SQLite does not wait then; PostgreSQL's 0 would wait forever), when a busy
 * handler decides whether to try again, or when the transaction already read. */
static int lock_wait(const ls_pgconn *c, bool for_lock)
{
    bool now = c->busy_handler || c->busy_timeout_ms <= 0 || (for_lock && read_first(c));
    return now ? 1 : c->busy_timeout_ms;
}

/* See pg.h. */
int ls_pg_session_wait(const ls_pgconn *c)
{
    return lock_wait(c, false);
}

/* Whether the session's lock_timeout is ms now: the write lock then needs no timeout of its
 * own (LS_LOCK_SQL rather than LS_LOCK_TIMED_SQL). */
static bool session_waits(const ls_pgconn *c, int ms)
{
    return !c->busy_timeout_dirty && c->session_wait_ms == ms &&
           (!c->timeout_txn || (c->in_txn && c->timeout_txn == c->txn_no));
}

/* Whether to try the lock again after SQLITE_BUSY: the app's busy handler says so
 * (called with the number of earlier calls for this lock, as SQLite does; not when the
 * transaction already read, as SQLite). */
static bool busy_again(ls_pgconn *c, int rc, int *calls)
{
    if ((rc & 0xff) != SQLITE_BUSY || !c->lock_busy || !c->busy_handler || read_first(c))
        return false;
    return c->busy_handler(c->busy_arg, (*calls)++) != 0;
}

/* A lock on key (its text) sent, exclusive or shared, waited for at most wait ms: with the session's
 * lock_timeout when it is that long (the exclusive one prepared once per session, LS_LOCK_STMT:
 * *prepared says it was prepared in this exchange, which may_prepare false forbids, as it
 * already was), else with a timeout of its own. */
static bool send_lock_on(ls_pgconn *c, const char *key, bool shared, int wait, bool may_prepare,
                         bool *prepared)
{
    char ms[24];
    ls_num_format_int64(wait, ms);
    const char *p[2] = { key, ms };
    *prepared = false;
    if (!session_waits(c, wait))
        return PQsendQueryParams(c->pg, shared ? LS_LOCK_SHARED_TIMED_SQL : LS_LOCK_TIMED_SQL,
                                 2, NULL, p, NULL, NULL, 0);
    if (shared)
        return PQsendQueryParams(c->pg, LS_LOCK_SHARED_SQL, 1, NULL, p, NULL, NULL, 0);
    if (!c->lock_prepared && may_prepare) {
        if (!PQsendPrepare(c->pg, LS_LOCK_STMT, LS_LOCK_SQL, 0, NULL))
            return false;
        *prepared = true;
    }
    return PQsendQueryPrepared(c->pg, LS_LOCK_STMT, 1, p, NULL, NULL, 0);
}

/* Queue the write lock's query in the pipeline being sent: the prepared LS_LOCK_STMT when the
 * session's lock_timeout is the wait (its Prepare first when the session lacks it: *prepared
 * is then true, one more result to read before the lock's), else LS_LOCK_TIMED_SQL.  Returns
 * false when libpq could not queue it. */
static bool send_lock(ls_pgconn *c, bool *prepared)
{
    return send_lock_on(c, c->key_text[0], false, lock_wait(c, true), true, prepared);
}

/* The lock's result arrived: note what it says (held by this transaction, or busy). */
static void lock_result(ls_pgconn *c, ExecStatusType s, int rc)
{
    if (s == PGRES_TUPLES_OK && c->in_txn) {
        c->locked_txn = c->txn_no;
        c->lock_depth = c->savepoint_depth;
    } else if (s != PGRES_TUPLES_OK) {
        c->lock_busy = (rc & 0xff) == SQLITE_BUSY;
    }
}

static int pragma_kv(ls_pgconn *c, const char *name, const char *set, long long *out);

/* PRAGMA journal_mode = arg (NULL: only read).  WAL and the rollback journal's modes change
 * the locking (journal_locks); the choice between them persists per database in
 * liteshift.pragma ("journal_mode": 1 WAL, 0 not), as SQLite keeps WAL in the file.  A name
 * SQLite does not know leaves the mode as it was; changing into or out of WAL inside a
 * transaction fails as in SQLite. */
static int journal_mode(ls_pgconn *c, const char *arg)
{
    static const char *const modes[] = { "delete", "truncate", "persist", "memory", "off",
                                         "wal" };
    if (!arg)
        return SQLITE_OK;
    char m[16];
    size_t n = 0;
    for (; arg[n] && n + 1 < sizeof m; n++)
        m[n] = (char)(arg[n] >= 'A' && arg[n] <= 'Z' ? arg[n] + 32 : arg[n]);
    m[n] = '\0';
    size_t k = 0;
    while (k < sizeof modes / sizeof modes[0] && strcmp(m, modes[k]) != 0)
        k++;
    if (k == sizeof modes / sizeof modes[0])
        return SQLITE_OK; /* unknown */
    if (c->private_schema[0]) { /* in memory: MEMORY or OFF, as SQLite's, never persisted */
        if (strcmp(m, "memory") == 0 || strcmp(m, "off") == 0)
            snprintf(c->journal_mode, sizeof c->journal_mode, "%s", m);
        return SQLITE_OK;
    }
    bool wal = strcmp(m, "wal") == 0;
    if (wal != c->wal && c->in_txn)
        return ls_conn_error(&c->base, SQLITE_ERROR, "cannot change %s wal mode from within a "
                             "transaction", wal ? "into" : "out of");
    if (wal != c->wal) { /* also out of WAL into MEMORY or OFF: SQLite's file leaves WAL */
        long long out = 0;
        int rc = pragma_kv(c, "journal_mode", wal ? "1" : "0", &out);
        if (rc != SQLITE_OK)
            return rc;
    }
    c->wal = wal;
    if (!wal)
        snprintf(c->journal_mode, sizeof c->journal_mode, "%s", m);
    return SQLITE_OK;
}

/* user_version and application_id persist per database (schema) in liteshift.pragma, so an
 * app that runs its migrations once on user_version does not run them again after a
 * restart (DIALECT K2).  The table belongs to the compat pack (compat/sql/00_core.sql),
 * installed when the connection opened; *out gets the value read.  Setting one is a write,
 * as in SQLite: it takes the write lock first, in the same pipeline (D11). */
static int pragma_kv(ls_pgconn *c, const char *name, const char *set, long long *out)
{
    static const char upsert[] =
        "INSERT INTO " LS_COMPAT_SCHEMA ".pragma VALUES (current_schema(), $1, $2::bigint) "
        "ON CONFLICT (db, name) DO UPDATE SET value = excluded.value";
    static const char read[] =
        "SELECT coalesce(max(value), 0) FROM " LS_COMPAT_SCHEMA ".pragma "
        "WHERE db = current_schema() AND name = $1";
    static const char sp[] = "SAVEPOINT ls_stmt", rel[] = "RELEASE SAVEPOINT ls_stmt";
    bool lock = set && write_lock_due(c), lock_prep = false;
    int began = ls_pg_send_begin(c, lock); /* a transaction's first statement */
    int closed = began < 0 ? -1 : ls_replay_send_close(c);
    if (began < 0 || closed < 0)
        return ls_pg_error(c, NULL);
    bool wrap = c->in_txn;
    const char *p2[2] = { name, set };
    int q = began + closed, lock_at = -1, prep_at = -1; /* which query of the pipeline is
                                                         * the lock's */
    c->lock_busy = false;
    if (wrap && !lock)
        c->read_txn = c->txn_no; /* as start(): a statement without the lock to take reads */
    if (wrap && !PQsendQueryParams(c->pg, sp, 0, NULL, NULL, NULL, NULL, 0))
        return ls_pg_error(c, NULL);
    q += wrap;
    if (lock) {
        /* inside the savepoint, so that a busy lock fails only this statement; released and
         * taken again after it, so that the lock outlives a failed write, as in start() */
        if (!send_lock(c, &lock_prep))
            return ls_pg_error(c, NULL);
        prep_at = lock_prep ? q++ : -1;
        lock_at = q++;
        if (wrap && (!PQsendQueryParams(c->pg, rel, 0, NULL, NULL, NULL, NULL, 0) ||
                     !PQsendQueryParams(c->pg, sp, 0, NULL, NULL, NULL, NULL, 0)))
            return ls_pg_error(c, NULL);
    }
    if ((set && !PQsendQueryParams(c->pg, upsert, 2, NULL, p2, NULL, NULL, 0)) ||
        !PQsendQueryParams(c->pg, read, 1, NULL, p2, NULL, NULL, 0) ||
        (wrap && !PQsendQueryParams(c->pg, rel, 0, NULL, NULL, NULL, NULL, 0)) ||
        !ls_pg_sync(c))
        return ls_pg_error(c, NULL);
    int rc = SQLITE_OK;
    for (q = 0;;) {
        PGresult *r = ls_pg_get_result(c);
        if (!r) {
            if (PQstatus(c->pg) != CONNECTION_OK) {
                rc = ls_pg_error(c, NULL);
                break;
            }
            q++; /* the end of one query's results */
            continue;
        }
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        int qrc = SQLITE_OK;
        if (s == PGRES_FATAL_ERROR && rc == SQLITE_OK)
            rc = qrc = ls_pg_error(c, r);
        if (q == prep_at && s == PGRES_COMMAND_OK)
            c->lock_prepared = true;
        if (q == lock_at && s != PGRES_PIPELINE_ABORTED)
            lock_result(c, s, qrc);
        if (q != lock_at && s == PGRES_TUPLES_OK && PQntuples(r) == 1)
            *out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
    }
    if (rc != SQLITE_OK && began > 0 && lock && !ls_pg_write_locked(c))
        unbegin(c); /* its BEGIN goes with the next statement (as start()) */
    else if (rc != SQLITE_OK)
        recover_savepoint(c, wrap);
    return rc;
}

static int pragma_step(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    const ls_rw_pragma *p = &st->rw.pragma;
    char buf[64];
    switch (p->cls) {
    case LS_PRAGMA_UNSUPPORTED:
        return ls_conn_error(&c->base, SQLITE_ERROR,
                             "PRAGMA %s is not supported on the PostgreSQL backend", p->name);
    case LS_PRAGMA_STATE:
        if (strcmp(p->name, "foreign_keys") == 0) {
            if (p->is_set || p->has_arg) {
                const char *a = p->arg;
                c->foreign_keys = (strcmp(a, "1") == 0 || strcasecmp(a, "on") == 0 ||
                                   strcasecmp(a, "true") == 0 || strcasecmp(a, "yes") == 0);
                return SQLITE_DONE;
            }
            snprintf(buf, sizeof buf, "%d", c->foreign_keys);
            return local_result(st, "foreign_keys", buf, true);
        }
        if (strcmp(p->name, "user_version") == 0 || strcmp(p->name, "application_id") == 0) {
            long long v = 0;
            char val[32];
            if (p->has_arg)
                snprintf(val, sizeof val, "%lld", (long long)strtoll(p->arg, NULL, 0));
            int rc;
            for (int calls = 0;;) {   /* the app's busy handler, as for any write */
                rc = pragma_kv(c, p->name, p->has_arg ? val : NULL, &v);
                if (!busy_again(c, rc, &calls))
                    break;
                ls_conn_clear_error(&c->base);
            }
            if (rc != SQLITE_OK)
                return rc;
            if (p->has_arg)
                return SQLITE_DONE;
            snprintf(buf, sizeof buf, "%lld", v);
            return local_result(st, p->name, buf, true);
        }
        if (strcmp(p->name, "schema_version") == 0 && !p->has_arg) {
            /* SQLite's schema cookie: an integer that changes when the schema does, 0 for
             * an empty database; here derived from sqlite_master (compat schema_cookie),
             * read when asked, so DDL pays nothing for it */
            PGresult *rows = NULL;
            char err[256];
            int rc = ls_pg_side_query(c, false, "SELECT " LS_COMPAT_SCHEMA ".schema_cookie()",
                                      0, NULL, &rows, err, sizeof err);
            bool ok = rc == SQLITE_OK && !err[0] && rows && PQntuples(rows) == 1;
            if (ok)
                snprintf(buf, sizeof buf, "%s", PQgetvalue(rows, 0, 0));
            PQclear(rows);
            if (rc != SQLITE_OK)
                return rc;
            if (!ok)
                return ls_conn_error(&c->base, SQLITE_ERROR, "PRAGMA schema_version: %s",
                                     err[0] ? err : "no answer from the server");
            return local_result(st, "schema_version", buf, true);
        }
        if (strcmp(p->name, "busy_timeout") == 0) {
            if (p->has_arg) { /* sqlite3_busy_timeout's effect */
                int ms = atoi(p->arg);
                c->busy_timeout_ms = ms > 0 ? ms : 0;
                c->busy_timeout_dirty = c->busy_timeout_set = true;
                c->busy_handler = NULL;
            }
            snprintf(buf, sizeof buf, "%d", c->busy_timeout_ms);
            return local_result(st, "timeout", buf, true);
        }
        break;
    case LS_PRAGMA_NOOP:
        if (strcmp(p->name, "journal_mode") == 0) {
            int jrc = journal_mode(c, p->has_arg ? p->arg : NULL);
            if (jrc != SQLITE_OK)
                return jrc;
            return local_result(st, "journal_mode",
                                c->wal && !c->private_schema[0] ? "wal" : c->journal_mode,
                                false);
        }
        if (p->has_arg && p->is_set)
            return SQLITE_DONE;
        return p->answer ? local_result(st, p->name, p->answer, p->answer[0] == '-' ||
                                        (p->answer[0] >= '0' && p->answer[0] <= '9'))
                         : SQLITE_DONE;
    case LS_PRAGMA_FIXED:
        return p->answer ? local_result(st, p->name, p->answer,
                                        p->answer[0] >= '0' && p->answer[0] <= '9')
                         : SQLITE_DONE;
    case LS_PRAGMA_CATALOG:
        return -1; /* run st->rw.sql on the server */
    }
    return -1;
}

/* BEGIN IMMEDIATE or EXCLUSIVE: BEGIN and the write lock in one exchange.  When the lock
 * is busy the transaction is rolled back (SQLITE_BUSY, no transaction, as SQLite). */
static int begin_locked(ls_pgconn *c)
{
    char ms[16];
    int wait = lock_wait(c, true);
    snprintf(ms, sizeof ms, "%d", wait);
    const char *p[2] = { c->key_text[0], ms };
    bool timed = !session_waits(c, wait);
    for (int calls = 0;;) {
        c->lock_busy = false;
        if (!PQsendQueryParams(c->pg, "BEGIN", 0, NULL, NULL, NULL, NULL, 0) ||
            !PQsendQueryParams(c->pg, timed ? LS_LOCK_TIMED_SQL : LS_LOCK_SQL, timed ? 2 : 1,
                               NULL, p, NULL, NULL, 0) ||
            !ls_pg_sync(c))
            return ls_pg_error(c, NULL);
        PGresult *err = drain_to_sync(c);
        if (!err && PQstatus(c->pg) != CONNECTION_OK)
            return ls_pg_error(c, NULL);
        if (!err)
            return SQLITE_OK;
        int rc = ls_pg_error(c, err);
        PQclear(err);
        c->lock_busy = (rc & 0xff) == SQLITE_BUSY;
        char keep[256];
        snprintf(keep, sizeof keep, "%s", c->base.errmsg ? c->base.errmsg : "");
        static const char *const rb[] = { "ROLLBACK" };
        (void)run_commands(c, rb, 1, NULL);
        ls_conn_error(&c->base, rc, "%s", keep);
        if (!busy_again(c, rc, &calls))
            return rc;
        ls_conn_clear_error(&c->base);
    }
}

/* ROLLBACK TO in a transaction that took the write lock (write) or the readers' lock (read,
 * D11) inside a savepoint: PostgreSQL releases a lock taken in a subtransaction rolled back
 * (tests/integration/locking.sh shows it), SQLite keeps its locks to the end of the
 * transaction.  The locks are tried again in the same exchange; should another connection
 * have taken one meanwhile, the next write waits for the write lock, the next read for the
 * readers' lock. */
static int rollback_to_locked(ls_pgconn *c, const char *sql, bool write, bool read)
{
    const char *p[1] = { c->key_text[0] }, *rp[1] = { c->key_text[1] };
    if (!PQsendQueryParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0) ||
        (write && !PQsendQueryParams(c->pg, "SELECT pg_try_advisory_xact_lock($1::bigint)", 1,
                                     NULL, p, NULL, NULL, 0)) ||
        (read && !PQsendQueryParams(c->pg, "SELECT pg_try_advisory_xact_lock_shared($1::bigint)",
                                    1, NULL, rp, NULL, NULL, 0)) ||
        !ls_pg_sync(c))
        return ls_pg_error(c, NULL);
    int rc = SQLITE_OK, q = 0;
    bool held = true, rheld = true;
    for (PGresult *r; (r = ls_pg_next_result(c)); q++) {
        ExecStatusType s = PQresultStatus(r);
        if ((s == PGRES_FATAL_ERROR || s == PGRES_NONFATAL_ERROR) && rc == SQLITE_OK)
            rc = ls_pg_error(c, r);
        bool t = s == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
                 strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        if (q == 1 && write)
            held = t;
        else if (q >= 1)
            rheld = t;
        PQclear(r);
    }
    if (rc == SQLITE_OK && PQstatus(c->pg) != CONNECTION_OK)
        rc = ls_pg_error(c, NULL);
    if (rc == SQLITE_OK && write && !held) {
        c->locked_txn = 0;
        ls_log(LS_LOG_INFO, c->id, "write lock taken by another connection at ROLLBACK TO");
    }
    if (rc == SQLITE_OK && read && !rheld) {
        c->shared_txn = 0;
        ls_log(LS_LOG_INFO, c->id, "a writer committed at ROLLBACK TO: readers' lock lost");
    }
    return rc == SQLITE_OK ? SQLITE_DONE : rc;
}

/* The app's savepoints, by name, as SQLite keeps them: RELEASE and ROLLBACK TO name the
 * innermost savepoint so called (names compare without case, as SQLite's), and one that
 * names none fails with "no such savepoint" before reaching the server, where its failure
 * would abort the whole transaction (and a later COMMIT would silently roll it back).
 * Returns the index of the savepoint named, or -1. */
static int find_savepoint(const ls_pgconn *c, const char *name)
{
    for (int i = c->savepoint_depth - 1; i >= 0; i--)
        if (strcasecmp(c->savepoints[i], name) == 0)
            return i;
    return -1;
}

/* Room for one more savepoint name; false on out of memory. */
static bool savepoint_room(ls_pgconn *c)
{
    if (c->savepoint_depth < c->sp_cap)
        return true;
    int cap = c->sp_cap ? c->sp_cap * 2 : 8;
    char (*n)[64] = realloc(c->savepoints, (size_t)cap * sizeof *n);
    if (!n)
        return false;
    c->savepoints = n;
    c->sp_cap = cap;
    return true;
}

/* COMMIT of the open transaction.  In the rollback journal's modes (journal_locks) one that
 * wrote first waits for the readers' lock, exclusive, up to the busy timeout (calling the
 * busy handler as SQLite does): inside a savepoint, in COMMIT's exchange, so that when
 * readers keep it the COMMIT does not run, the savepoint is rolled back and the transaction
 * stays open: SQLITE_BUSY, *open true, as SQLite (the app may COMMIT again or roll back). */
static int commit_now(ls_pgconn *c, bool *open)
{
    *open = false;
    bool readers = journal_locks(c) && ls_pg_write_locked(c);
    for (int calls = 0;;) {
        bool prepared = false, rolled_back = false;
        c->lock_busy = false;
        /* the replay log's savepoint first: the busy path below rolls back to ls_commit */
        if (ls_replay_send_close(c) < 0)
            return ls_pg_error(c, NULL);
        if ((readers &&
             (!PQsendQueryParams(c->pg, "SAVEPOINT ls_commit", 0, NULL, NULL, NULL, NULL, 0) ||
              !send_lock_on(c, c->key_text[1], false, lock_wait(c, false), true, &prepared) ||
              !PQsendQueryParams(c->pg, "RELEASE SAVEPOINT ls_commit", 0, NULL, NULL, NULL,
                                 NULL, 0))) ||
            !PQsendQueryParams(c->pg, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) || !ls_pg_sync(c))
            return ls_pg_error(c, NULL);
        PGresult *err = drain_to_sync_seeing(c, &rolled_back);
        if (prepared && PQstatus(c->pg) == CONNECTION_OK)
            c->lock_prepared = true; /* a Prepare stays whatever follows it */
        if (!err && rolled_back) /* never silently: the app's COMMIT did not commit */
            return ls_conn_error(&c->base, SQLITE_ABORT_ROLLBACK,
                                 "cannot commit: PostgreSQL had already rolled the transaction "
                                 "back");
        if (!err)
            return PQstatus(c->pg) == CONNECTION_OK ? SQLITE_OK : ls_pg_error(c, NULL);
        int rc = ls_pg_error(c, err);
        PQclear(err);
        if (!readers || PQtransactionStatus(c->pg) != PQTRANS_INERROR)
            return rc; /* COMMIT itself failed (a deferred constraint...): the end */
        /* the readers' lock failed (busy, or its wait interrupted): COMMIT did not run */
        char keep[256];
        snprintf(keep, sizeof keep, "%s", c->base.errmsg ? c->base.errmsg : "");
        static const char *const undo[] = { "ROLLBACK TO SAVEPOINT ls_commit",
                                            "RELEASE SAVEPOINT ls_commit" };
        int urc = run_commands(c, undo, 2, NULL);
        if (urc != SQLITE_OK)
            return urc;
        *open = true;
        c->lock_busy = (rc & 0xff) == SQLITE_BUSY;
        ls_conn_error(&c->base, rc, "%s", keep);
        if (!busy_again(c, rc, &calls))
            return rc;
        ls_conn_clear_error(&c->base);
    }
}

static int txn_step(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    int rc;
    switch (st->rw.kind) {
    case LS_RW_BEGIN: {
        if (c->in_txn)
            return ls_conn_error(&c->base, SQLITE_ERROR,
                                 "cannot start a transaction within a transaction");
        if (st->rw.begin == LS_BEGIN_DEFERRED)
            rc = SQLITE_OK; /* sent with the first statement (ls_pg_send_begin) */
        else
            rc = begin_locked(c);
        if (rc == SQLITE_OK) {
            c->in_txn = true;
            c->txn_failed = false;
            c->savepoint_depth = 0;
            c->savepoint_began = false;
            c->txn_no++;
            c->lock_depth = 0;
            if (st->rw.begin != LS_BEGIN_DEFERRED)
                c->locked_txn = c->txn_no;
            c->begin_pending = st->rw.begin == LS_BEGIN_DEFERRED;
        }
        return rc == SQLITE_OK ? SQLITE_DONE : rc;
    }
    case LS_RW_COMMIT: {
        if (!c->in_txn)
            return ls_conn_error(&c->base, SQLITE_ERROR,
                                 "cannot commit - no transaction is active");
        bool open = false;
        rc = c->begin_pending ? SQLITE_OK : commit_now(c, &open); /* none begun */
        if (open)
            return rc; /* readers keep the database: still in the transaction (D11) */
        c->begin_pending = false;
        c->in_txn = false; /* PostgreSQL ends the transaction even when COMMIT fails */
        c->savepoint_depth = 0;
        return rc == SQLITE_OK ? SQLITE_DONE : rc;
    }
    case LS_RW_ROLLBACK: {
        if (!c->in_txn)
            return ls_conn_error(&c->base, SQLITE_ERROR,
                                 "cannot rollback - no transaction is active");
        c->in_txn = false;
        c->savepoint_depth = 0;
        bool sent = !c->begin_pending;
        c->begin_pending = false;
        if (c->txn_failed || PQstatus(c->pg) != CONNECTION_OK) {
            c->txn_failed = false;
            return ls_pg_ensure_connected(c) == SQLITE_OK ? SQLITE_DONE : c->base.errcode;
        }
        if (!sent) /* nothing was sent: nothing to undo */
            return SQLITE_DONE;
        static const char *const q[] = { "ROLLBACK" };
        rc = run_commands(c, q, 1, NULL);
        return rc == SQLITE_OK ? SQLITE_DONE : rc;
    }
    case LS_RW_SAVEPOINT: {
        if (!savepoint_room(c))
            return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
        if (!c->in_txn) {
            const char *q[] = { begin_deferred(c), st->rw.sql };
            rc = run_commands(c, q, 2, NULL);
            if (rc == SQLITE_OK) {
                c->in_txn = true;
                c->savepoint_began = true;
                c->savepoint_depth = 0;
                c->txn_no++;
            }
        } else {
            const char *q[] = { st->rw.sql };
            rc = run_commands(c, q, 1, NULL);
        }
        if (rc == SQLITE_OK)
            snprintf(c->savepoints[c->savepoint_depth++], sizeof *c->savepoints, "%s",
                     st->rw.savepoint);
        return rc == SQLITE_OK ? SQLITE_DONE : rc;
    }
    case LS_RW_RELEASE: {
        int at = c->in_txn ? find_savepoint(c, st->rw.savepoint) : -1;
        if (at < 0)
            return ls_conn_error(&c->base, SQLITE_ERROR, "no such savepoint: %s",
                                 st->rw.savepoint);
        if (at == 0 && c->savepoint_began) {
            /* the transaction's COMMIT, without releasing on the server first: when readers
             * keep the database (D11) the transaction goes on with every savepoint, as in
             * SQLite, where the RELEASE may be run again or rolled back to */
            bool open = false;
            rc = commit_now(c, &open);
            if (open)
                return rc;
            c->savepoint_depth = 0;
            c->in_txn = false;
            c->savepoint_began = false;
            return rc == SQLITE_OK ? SQLITE_DONE : rc;
        }
        const char *q[] = { st->rw.sql };
        rc = run_commands(c, q, 1, NULL);
        if (rc != SQLITE_OK)
            return rc;
        c->savepoint_depth = at; /* it and every savepoint opened after it */
        return SQLITE_DONE;
    }
    case LS_RW_ROLLBACK_TO: {
        int at = c->in_txn ? find_savepoint(c, st->rw.savepoint) : -1;
        if (at < 0)
            return ls_conn_error(&c->base, SQLITE_ERROR, "no such savepoint: %s",
                                 st->rw.savepoint);
        if (c->timeout_txn)
            c->busy_timeout_dirty = true; /* the rollback may have undone lock_timeout */
        ls_pg_temp_rolled_back(c); /* and a TEMP table the schema cache knows */
        bool relock = ls_pg_write_locked(c) && c->lock_depth > 0;
        bool reread = c->shared_txn == c->txn_no && c->shared_depth > 0;
        if (relock || reread) {
            ls_replay_gone(c);   /* the replay log's savepoint, opened after it, goes too */
            rc = rollback_to_locked(c, st->rw.sql, relock, reread);
        } else {
            const char *q[] = { st->rw.sql };
            rc = run_commands(c, q, 1, NULL);
            rc = rc == SQLITE_OK ? SQLITE_DONE : rc;
        }
        if (rc == SQLITE_DONE)
            c->savepoint_depth = at + 1; /* it stays; those opened after it go */
        return rc;
    }
    default:
        return -1;
    }
}

/* A pipelined write failed (pg_pipe.c): the transaction is lost on the server.  ROLLBACK
 * proceeds (SQLITE_OK); COMMIT, or releasing the savepoint that began the transaction,
 * rolls back and returns the write's error; any other statement returns it unrun. */
static int doomed_step(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    if (!c->in_txn || st->rw.kind == LS_RW_ROLLBACK) {
        ls_pg_pipe_reset(c);
        return SQLITE_OK;
    }
    int code = c->pipe_rc;
    char *msg = c->pipe_msg;
    c->pipe_msg = NULL;
    bool ends = st->rw.kind == LS_RW_COMMIT ||
                (st->rw.kind == LS_RW_RELEASE && c->savepoint_began &&
                 find_savepoint(c, st->rw.savepoint) == 0);
    if (ends) {
        static const char *const q[] = { "ROLLBACK" };
        (void)run_commands(c, q, 1, NULL);
        c->in_txn = false;
        c->savepoint_depth = 0;
        c->savepoint_began = false;
        ls_pg_pipe_reset(c);
        st->state = LS_ST_DONE;
    } else {
        c->pipe_msg = msg ? strdup(msg) : NULL;
    }
    ls_conn_error(&c->base, code, "%s", msg ? msg : "");
    free(msg);
    return code;
}

/* Parameters passed from the stack (more are allocated). */
#define START_STACK_PARAMS 32

/* ---- parameter types (D17) ----
 * Parameters are sent untyped and PostgreSQL gives each the type its context asks for.  A
 * function that answers by storage class (typeof, hex, quote...) must see the bound value's
 * class instead: the rewriter marks the parameters used only as such arguments
 * (param_by_class), and they are prepared as int8, float8, text or bytea after what is
 * bound.  The server statement is prepared again when the types needed change, under a
 * cache key that carries them.  Other parameters stay untyped (typing a blob as bytea would
 * turn it into '\x..' text in a TEXT column, through an assignment cast): blobs bound to
 * them are checked against the types the server inferred (check_blobs, below). */

/* The type each of the n parameters needs for the values bound now (0: PostgreSQL infers
 * it); false when none needs one. */
static bool bound_types(const ls_pgstmt *st, Oid *types, int n)
{
    bool any = false;
    for (int k = 0; k < n; k++) {
        int si = st->rw.param_index[k];
        int cls = si >= 1 && si <= st->n_bind && st->bind_cls ? st->bind_cls[si] : 0;
        Oid t = 0;
        if (st->rw.param_by_class && st->rw.param_by_class[k])
            t = cls == SQLITE_INTEGER ? 20 : cls == SQLITE_FLOAT ? 701
              : cls == SQLITE_TEXT ? 25 : cls == SQLITE_BLOB ? 17 : 0;  /* int8 ... bytea */
        else if (st->rw.param_text && st->rw.param_text[k])
            t = 25;   /* only NULL-tested: nothing else types it (rw_param_null_rules) */
        types[k] = t;
        any = any || t != 0;
    }
    return any;
}

static bool types_equal(const Oid *a, const Oid *b, int n)
{
    if (!a || !b)
        return a == b;
    return memcmp(a, b, (size_t)n * sizeof *a) == 0;
}

/* Whether the types the values bound now need (bound_types) differ from st->ptypes: 1 when
 * they do, 0 when not, -1 on out of memory.  When they differ and out is not NULL, *out gets
 * them (allocated; NULL when none needs a type).  No allocation while they are the same. */
static int types_differ(const ls_pgstmt *st, Oid **out)
{
    if (out)
        *out = NULL;
    if (!st->rw.param_by_class && !st->rw.param_text)   /* bound_types: only zeros */
        return st->ptypes != NULL;
    int n = st->rw.n_params;
    Oid stack[START_STACK_PARAMS];
    Oid *types = n > START_STACK_PARAMS ? malloc((size_t)n * sizeof *types) : stack;
    if (!types)
        return -1;
    bool typed = n > 0 && bound_types(st, types, n);
    int differ = !types_equal(st->ptypes, typed ? types : NULL, n);
    if (differ && out && typed) {
        if ((*out = malloc((size_t)n * sizeof *types)) != NULL)
            memcpy(*out, types, (size_t)n * sizeof *types);
        else
            differ = -1;
    }
    if (types != stack)
        free(types);
    return differ;
}

/* See pg.h. */
bool ls_pg_types_current(const ls_pgstmt *st)
{
    return types_differ(st, NULL) == 0;
}

/* A blob bound to a parameter left untyped is sent in binary; PostgreSQL reads it as the
 * binary form of the type it inferred, so a blob meant for an INTEGER column of 8 bytes
 * became the integer they spell.  Such a parameter's type is asked of the server (a Describe,
 * one round trip the first time) and a blob goes only where bytea or text is taken; anywhere
 * else the statement is refused with SQLITE_MISMATCH, naming the parameter and the type,
 * before anything runs.  Text keeps the former behaviour (the bytes as text when they are
 * UTF-8): docs/compatibility.md D17. */
static bool untyped_blob(const ls_pgstmt *st, int k)
{
    int si = st->rw.param_index[k];
    return si >= 1 && si <= st->n_bind && st->bind_cls && st->bind_cls[si] == SQLITE_BLOB &&
           !(st->ptypes && st->ptypes[k]);
}

static bool blob_takes(Oid t)
{
    return t == 17 || t == 25 || t == 1043 || t == 1042 || t == 19 || t == 705 || t == 0;
}

static const char *type_name(Oid t)
{
    switch (t) {
    case 16: return "boolean";
    case 20: return "bigint";
    case 21: return "smallint";
    case 23: return "integer";
    case 700: return "real";
    case 701: return "double precision";
    case 1082: return "date";
    case 1114: return "timestamp";
    case 1184: return "timestamptz";
    case 1700: return "numeric";
    default: return NULL;
    }
}

/* See pg.h. */
bool ls_pg_blobs_known_ok(const ls_pgstmt *st)
{
    for (int k = 0; k < st->rw.n_params; k++)
        if (untyped_blob(st, k) && (!st->server_types || !blob_takes(st->server_types[k])))
            return false;
    return true;
}

/* The check above, asking the server when its answer is not known yet.  SQLITE_OK, or the
 * error (connection error set). */
static int check_blobs(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    int n = st->rw.n_params, k;
    for (k = 0; k < n && !untyped_blob(st, k); k++)
        ;
    if (k == n)
        return SQLITE_OK;
    if (!st->server_types) {
        forget_description(st);    /* described again, with the parameters' types */
        int rc = ls_pg_describe(st);
        if (rc != SQLITE_OK)
            return rc;
        if (!st->server_types)
            return SQLITE_OK;      /* nothing prepared on the server (a PRAGMA...) */
    }
    for (k = 0; k < n; k++) {
        Oid t = st->server_types[k];
        if (!untyped_blob(st, k) || blob_takes(t))
            continue;
        const char *name = type_name(t);
        char oid[24];
        snprintf(oid, sizeof oid, "type %u", (unsigned)t);
        return ls_conn_error(&c->base, SQLITE_MISMATCH,
                             "datatype mismatch: parameter %d is a BLOB where PostgreSQL "
                             "expects %s (SQLite would store the blob as it is)",
                             st->rw.param_index[k], name ? name : oid);
    }
    return SQLITE_OK;
}

/* Give up the server statement (it was prepared with other parameter types): the next
 * execution prepares it again, and the result columns are described again. */
static void drop_prepared(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    free(st->server_types);
    st->server_types = NULL;
    if (st->prep)
        ls_prep_release(c, st->prep);
    else if (st->name[0])
        ls_prep_dealloc_later(c, st->name);
    st->prep = NULL;
    st->name[0] = '\0';
    forget_description(st);
}

/* Before an execution: keep in st->ptypes the types the values bound now need (NULL when
 * none does), giving up a server statement prepared with other types.  No allocation
 * unless the types change.  SQLITE_OK or SQLITE_NOMEM. */
static int choose_types(ls_pgstmt *st)
{
    Oid *types;
    int differ = types_differ(st, &types);
    if (differ < 0)
        return SQLITE_NOMEM;
    if (differ) {
        if (st->name[0])
            drop_prepared(st);
        free(st->ptypes);
        st->ptypes = types;
    }
    return SQLITE_OK;
}

/* The prepared-statement cache key of a typed statement: its text and the types (the same
 * text prepared untyped is another entry).  Caller frees; NULL on out of memory. */
static char *typed_key(const ls_pgstmt *st)
{
    int n = st->rw.n_params;
    size_t cap = strlen(st->rw.sql) + 16 + (size_t)n * 11;
    char *k = malloc(cap);
    if (!k)
        return NULL;
    size_t o = (size_t)snprintf(k, cap, "%s\n-- types", st->rw.sql);
    for (int i = 0; i < n && o < cap; i++)
        o += (size_t)snprintf(k + o, cap - o, " %u", (unsigned)st->ptypes[i]);
    return k;
}

/* D2: the blob bound to SQLite parameter si goes into a typeless column, which holds text:
 * every PostgreSQL parameter whose param_index is at (si itself when that is its only use,
 * else its LS_HIDDEN_VALUE_OF) is sent as the text \x<hex> (format 0).  The strings are
 * appended to *hexed (NULL-terminated; the caller frees them). */
static int hex_blob_params(ls_pgstmt *st, int si, int at, const char **vals, int *lens,
                           int *fmts, char ***hexed)
{
    static const char digits[] = "0123456789abcdef";
    size_t len = (size_t)st->bind_len[si];
    const unsigned char *b = (const unsigned char *)st->bind_val[si];
    char *h = malloc(2 * len + 3);
    size_t nh = 0;
    while (*hexed && (*hexed)[nh])
        nh++;
    char **grown = h ? realloc(*hexed, (nh + 2) * sizeof *grown) : NULL;
    if (!grown) {
        free(h);
        return ls_conn_error(&st->conn->base, SQLITE_NOMEM, "out of memory");
    }
    grown[nh] = h;
    grown[nh + 1] = NULL;
    *hexed = grown;
    h[0] = '\\';
    h[1] = 'x';
    for (size_t i = 0; i < len; i++) {
        h[2 + 2 * i] = digits[b[i] >> 4];
        h[3 + 2 * i] = digits[b[i] & 15];
    }
    h[2 + 2 * len] = '\0';
    for (int k = 0; k < st->rw.n_params; k++)
        if (st->rw.param_index[k] == at) {
            vals[k] = h;
            lens[k] = (int)(2 * len + 2);
            fmts[k] = 0;
        }
    return SQLITE_OK;
}

/* The schema changed (DDL here) since st was rewritten: rewrite it again, as SQLite
 * re-prepares a statement after a schema change (SQLITE_SCHEMA, transparently).  The
 * rewrite depends on the schema (D2 class columns, T7's rowid, booleans): a statement
 * prepared when t(v) had no type must stop asking for "v:class" once t is recreated with
 * one (py/typeless_returning.py).  When the text comes out the same nothing changes; else
 * the server statement and the result columns are given up and made again.  A failed
 * rewrite keeps the old one (the server then says what is wrong). */
static void rewrite_again(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    ls_rw_result old = st->rw;
    ls_rw_shared *old_shared = st->rw_shared;
    ls_err err = { 0 };
    st->rw_shared = NULL;
    memset(&st->rw, 0, sizeof st->rw);
    if (ls_pg_rewrite(c, st->sql, st->sql_len, st, &err) != SQLITE_OK) {
        st->rw = old;
        st->rw_shared = old_shared;
        st->rw_gen = c->schema_gen;
        return;
    }
    bool same = st->rw.kind == old.kind && st->rw.n_params == old.n_params
             && !strcmp(st->rw.sql, old.sql);
    ls_rw_result now = st->rw;
    ls_rw_shared *now_shared = st->rw_shared;
    unsigned gen = st->rw_gen;
    /* release the one not kept */
    if (same) {
        ls_pg_rewrite_release(st);
        st->rw = old;
        st->rw_shared = old_shared;
        /* the same text, but the server typed its parameters against the old tables */
        if (st->name[0] && st->rw.n_params > 0) {
            drop_prepared(st);
            free(st->ptypes);
            st->ptypes = NULL;
        }
    } else {
        st->rw = old;
        st->rw_shared = old_shared;
        ls_pg_rewrite_release(st);
        st->rw = now;
        st->rw_shared = now_shared;
        ls_log(LS_LOG_INFO, c->id, "statement rewritten again after a schema change");
        drop_prepared(st);
        free(st->ptypes);
        st->ptypes = NULL;
        st->prep = ls_prep_lookup(c, st->rw.sql);
        if (st->prep)
            snprintf(st->name, sizeof st->name, "%s", ls_prep_name(st->prep));
    }
    st->rw_gen = gen;
}

/* How many locks st, run now, takes as its parameters are read rather than by statements
 * before it (0: by statements), lock and excl saying which it takes (start()).  A lock
 * statement costs the server a portal and an executor of its own, about a tenth of a point
 * UPDATE's time (docs/benchmarks.md, "The write lock as a parameter").  Here the statement's
 * twin declares one more parameter per lock, of the compat pack's type lock_key, whose CHECK
 * takes the advisory lock keyed by the value: PostgreSQL reads parameters at Bind, before
 * the statement's snapshot (taken at Execute in READ COMMITTED), so a write that waited for
 * the lock sees what its holder committed, as after a lock statement.  Only outside a
 * transaction (inside one the lock must outlive the statement's savepoint), for an INSERT,
 * UPDATE or DELETE prepared before and kept in the statement cache (the twin lives with the
 * entry), when the lock waits the session's lock_timeout. */
static int bind_lock(const ls_pgstmt *st, bool lock, bool excl)
{
    const ls_pgconn *c = st->conn;
    if (!lock || c->in_txn || !c->lock_oid || !st->name[0] || !st->prep || st->tail ||
        !ls_pg_writes_rows(st) || !session_waits(c, lock_wait(c, true)))
        return 0;
    return excl ? 2 : 1;
}

/* Whether the last error says that the lock_key type a twin was prepared with is gone (an
 * internal error, whose text PostgreSQL never translates).  It shows at Bind: the Prepare of
 * a statement whose unused parameter has a type that no longer exists succeeds. */
static bool lock_type_gone(const ls_pgconn *c)
{
    return strcmp(c->last_sqlstate, "XX000") == 0 && c->base.errmsg &&
           strncmp(c->base.errmsg, "cache lookup failed for type ", 29) == 0;
}

/* Queue the Prepare of st's twin (bind_lock) as name: its text and parameter types, and m
 * more of type lock_key.  False when libpq could not queue it. */
static bool send_twin(ls_pgstmt *st, const char *name, int m)
{
    ls_pgconn *c = st->conn;
    int n = st->rw.n_params;
    Oid *types = calloc((size_t)n + 2, sizeof *types);
    if (!types)
        return false;
    for (int k = 0; k < n; k++)
        types[k] = st->ptypes ? st->ptypes[k] : 0;
    for (int k = 0; k < m; k++)
        types[n + k] = c->lock_oid;
    bool ok = PQsendPrepare(c->pg, name, st->rw.sql, n + m, types) != 0;
    free(types);
    return ok;
}

/* Send the statement and read up to its first row. */
static int start(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    int rc;
    int n = st->rw.n_params;
    /* parameter arrays on the stack for the common case: no allocation per execution */
    const char *sv[START_STACK_PARAMS] = { 0 };
    int sl[START_STACK_PARAMS] = { 0 }, sf[START_STACK_PARAMS] = { 0 };
    const char **vals = sv;
    int *lens = sl, *fmts = sf;
    int sp_at = -1; /* index among the commands before the statement of Prepare ls_sp */
    int lock_prep_at = -1, lock_at = -1, fresh_at = -1, own_sync_at = -1; /* and others' */
    int twin_at = -1;       /* ... of the Prepare of the twin that takes the locks */
    char *key = st->rw.sql; /* the prepared-statement cache key */
    char **hexed = NULL;    /* D2: blobs sent as text, NULL-terminated; freed at out */
    st->replayed = 0;
    repipe(c);   /* a failed return to pipeline mode is retried here */
    if (c->lean.pending && st->rw.n_hidden)
        ls_lean_settle(c);   /* last_insert_rowid() in SQL: the rowid before it is built */
    if (choose_types(st) != SQLITE_OK)
        return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
    if ((rc = check_blobs(st)) != SQLITE_OK)
        return rc;
    if (!st->name[0] && st->ptypes) {
        if (!(key = typed_key(st)))
            return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
        if ((st->prep = ls_prep_lookup(c, key)) != NULL)
            snprintf(st->name, sizeof st->name, "%s", ls_prep_name(st->prep));
    }
    if (n + 2 > START_STACK_PARAMS) { /* two more: the lock_key parameters (bind_lock) */
        vals = calloc((size_t)n + 2, sizeof *vals);
        lens = calloc((size_t)n + 2, sizeof *lens);
        fmts = calloc((size_t)n + 2, sizeof *fmts);
        if (!vals || !lens || !fmts) {
            rc = ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
            goto out;
        }
    }
    char hidden[3][24]; /* DIALECT F15: the connection's values, as of this execution */
    static const char *const class_text[5] = { NULL, "1", "2", "3", "4" };
    if (n > 0) {
        for (int k = 0; k < n; k++) {
            int si = st->rw.param_index[k];
            if (si >= 1 && si <= st->n_bind && st->bind_val) {
                vals[k] = st->bind_val[si];
                lens[k] = st->bind_len[si];
                fmts[k] = st->bind_fmt[si];
                if (st->rw.param_blob_text && st->rw.param_blob_text[k] && vals[k]
                    && st->bind_cls[si] == SQLITE_BLOB
                    && (rc = hex_blob_params(st, si, si, vals, lens, fmts, &hexed)) != SQLITE_OK)
                    goto out;   /* D2: a typeless column keeps a blob as its \x<hex> text */
            } else if (si < 0 && si >= -3) {
                sqlite3_int64 v = si == LS_HIDDEN_LAST_ROWID ? c->last_rowid
                                : si == LS_HIDDEN_CHANGES ? c->changes : c->total_changes;
                ls_num_format_int64(v, hidden[-si - 1]);
                vals[k] = hidden[-si - 1];
            } else if (LS_HIDDEN_VALUE_SI(si) > 0) {
                /* D2: the value of a parameter written into a typeless column and used
                 * elsewhere too: here a blob goes as its \x<hex> text */
                int vi = LS_HIDDEN_VALUE_SI(si);
                bool set = vi <= st->n_bind && st->bind_val;
                vals[k] = set ? st->bind_val[vi] : NULL;
                lens[k] = set ? st->bind_len[vi] : 0;
                fmts[k] = set ? st->bind_fmt[vi] : 0;
                if (set && vals[k] && st->bind_cls[vi] == SQLITE_BLOB
                    && (rc = hex_blob_params(st, vi, si, vals, lens, fmts, &hexed)) != SQLITE_OK)
                    goto out;
            } else if (LS_HIDDEN_ISNULL_SI(si) > 0) {
                /* whether the value bound to a parameter tested with IS [NOT] NULL is NULL */
                int vi = LS_HIDDEN_ISNULL_SI(si);
                vals[k] = vi <= st->n_bind && st->bind_val && st->bind_val[vi] ? "f" : "t";
            } else if (LS_HIDDEN_CLASS_SI(si) > 0) {
                /* D2: the class of the value bound to a parameter a typeless column takes */
                int vi = LS_HIDDEN_CLASS_SI(si);
                int cls = vi <= st->n_bind && st->bind_cls && st->bind_val && st->bind_val[vi]
                        ? st->bind_cls[vi] : 0;
                vals[k] = cls >= 1 && cls <= 4 ? class_text[cls] : NULL;
            }
        }
    }
    int pre = 0;
    bool reads, temp;
    if (st->rw.kind == LS_RW_DDL)
        ls_pg_temp_note(c, st->sql, st->sql_len);
    bool lock = needs_write_lock(st, &reads, &temp);
    int began = ls_pg_send_begin(c, lock);
    if (began < 0)
        goto send_failed;
    pre += began;
    if (c->timeout_txn && (!c->in_txn || c->timeout_txn != c->txn_no))
        c->busy_timeout_dirty = true; /* set in a transaction that may have rolled back */
    c->lock_busy = false;
    char ms[24];   /* printed only when sent: every statement passes here */
    int session_ms = lock_wait(c, false);
    /* the rollback journal's readers' lock (journal_locks): shared by a transaction from its
     * first read, exclusive for a write outside any transaction (its COMMIT) */
    bool shared = c->in_txn && !lock && journal_locks(c) && !ls_pg_write_locked(c) &&
                  c->shared_txn != c->txn_no && reads && st_names_from(st);
    bool excl = lock && !c->in_txn && journal_locks(c);
    unsigned read_was = c->read_txn, table_was = c->table_read_txn,
             temp_was = c->temp_write_txn;
    int jl_at = -1;
    if (c->in_txn && temp)
        c->temp_write_txn = c->txn_no; /* SQLite's temp database in a write transaction */
    if (c->in_txn && !lock && reads) {
        c->read_txn = c->txn_no; /* a write without the lock to take reads too */
        if (c->table_read_txn != c->txn_no && (shared || st_names_from(st)))
            c->table_read_txn = c->txn_no;
    }
    if (c->busy_timeout_dirty) {
        /* the session's lock_timeout (row and table locks): outside a transaction in an
         * exchange of its own, so that this statement's failure cannot undo it (a Sync
         * that is not waited for: no round trip) */
        const char *p[1] = { ms };
        ls_num_format_int64(session_ms, ms);
        if (!PQsendQueryParams(c->pg, "SELECT set_config('lock_timeout', $1, false)", 1, NULL,
                               p, NULL, NULL, 0))
            goto send_failed;
        if (!c->in_txn) {
            if (!PQpipelineSync(c->pg))
                goto send_failed;
            own_sync_at = pre;
        }
        c->timeout_txn = c->in_txn ? c->txn_no : 0;
        c->busy_timeout_dirty = false;
        c->session_wait_ms = session_ms;
        pre++;
    }
    /* The locks taken as the statement's parameters are read, by its twin with one more
     * parameter of the compat pack's lock_key type per lock (bind_lock), in place of a lock
     * statement before it. */
    int lock_params = bind_lock(st, lock, excl);
    ls_prep_locked *twin = lock_params ? ls_prep_locked_of(st->prep) : NULL;
    st->bind_locked = lock_params > 0;
    /* the replay log (pg_replay.c): a statement with nothing to take first runs under
     * ls_base, without a savepoint of its own; decided before the deallocations below,
     * which a statement the log holds must outlive */
    bool logged = !lock && !shared && !excl && ls_replay_can(c, st);
    st->logged = 0;
    /* an INSERT under the log may go without its RETURNING (pg_lean.c); anything else asks
     * for the rowid such inserts left pending first */
    int lean_at[3];
    ls_lean_plan(st, logged);
    if (!ls_lean_send(st, &pre, lean_at))
        goto send_failed;
    for (int k = 0; k < c->n_dealloc; k++) {
        char q[64];
        snprintf(q, sizeof q, "DEALLOCATE %s", c->dealloc[k]);
        if (!PQsendQueryParams(c->pg, q, 0, NULL, NULL, NULL, NULL, 0))
            goto send_failed;
        free(c->dealloc[k]);
        pre++;
    }
    c->n_dealloc = 0;
    /* SQLite's statement-level rollback (DIALECT S6): each statement in a transaction runs
     * inside its own savepoint.  With LITESHIFT_PIPELINE=1 a statement this handle has run
     * before (prepared on the server and described, as ls_pg_pipe_can asks) runs without
     * one, as pipelined writes do: its failure dooms the transaction (docs/benchmarks.md,
     * "Pipelined writes").  A first execution keeps it: a statement that cannot run fails
     * alone, and so does one that takes the write lock: a busy lock is SQLITE_BUSY with the
     * transaction intact, as SQLite (it may be tried again). */
    st->wrapped = c->in_txn && !logged &&
                  (lock || shared || !(c->pipeline && st->name[0] && st->described));
    if (logged) {
        unsigned gen = c->replay_gen;
        int q = ls_replay_send_open(c, st, n, vals, lens, fmts);
        if (q < 0)
            goto send_failed;
        pre += q;
        /* a renewal forgot the run's entries: its pending rowid is asked now */
        if (gen != c->replay_gen && st->lean == LS_LEAN_GO &&
            !ls_lean_send_resolve(c, &pre, &lean_at[0]))
            goto send_failed;
    } else if (c->in_txn) {
        int q = ls_replay_send_close(c);   /* the log would not hold this statement */
        if (q < 0)
            goto send_failed;
        pre += q;
    }
    if (st->wrapped) {
        /* SAVEPOINT and RELEASE as statements prepared once per session: each execution
         * then costs the server a Bind/Execute, not a parse (docs/benchmarks.md) */
        if (!c->sp_prepared || !c->rel_prepared) {
            sp_at = pre;
            if ((!c->sp_prepared &&
                 !PQsendPrepare(c->pg, LS_SP_STMT, "SAVEPOINT ls_stmt", 0, NULL)) ||
                (!c->rel_prepared &&
                 !PQsendPrepare(c->pg, LS_REL_STMT, "RELEASE SAVEPOINT ls_stmt", 0, NULL)))
                goto send_failed;
            pre += !c->sp_prepared + !c->rel_prepared;
        }
        if (!PQsendQueryPrepared(c->pg, LS_SP_STMT, 0, NULL, NULL, NULL, 0))
            goto send_failed;
        pre++;
    }
    bool fresh = !st->name[0];
    if (fresh) {
        snprintf(st->name, sizeof st->name, "ls_%u", ++c->next_stmt_no);
        if (!PQsendPrepare(c->pg, st->name, st->rw.sql, n, st->ptypes))
            goto send_failed;
        fresh_at = pre++;
    }
    const char *exec_name = st->lean == LS_LEAN_GO ? ls_prep_lean_of(st->prep)->name : st->name;
    int exec_n = n;
    char twin_name[sizeof twin->name]; /* a twin prepared in this exchange: recorded in the
                                        * cache entry once its Prepare succeeded */
    if (twin) {
        exec_name = twin->name;
        if (twin->m != lock_params || !twin->name[0]) {
            if (twin->name[0])
                ls_prep_dealloc_later(c, twin->name);
            twin->name[0] = '\0';
            snprintf(twin_name, sizeof twin_name, "ls_%u", ++c->next_stmt_no);
            if (!send_twin(st, twin_name, lock_params))
                goto send_failed;
            twin_at = pre++;
            exec_name = twin_name;
        }
        for (int k = 0; k < lock_params; k++) {
            vals[n + k] = c->key_text[k];
            lens[n + k] = 0;
            fmts[n + k] = 0;
        }
        exec_n = n + lock_params;
    } else if (lock) {
        /* after the statement's Parse, so that a statement SQLite would not compile takes
         * no lock; inside the savepoint, so that a busy lock fails only this statement */
        bool prepared;
        if (!send_lock(c, &prepared))
            goto send_failed;
        if (prepared)
            lock_prep_at = pre++;
        lock_at = pre++;
        /* the lock outlives a failure of the statement, as SQLite's RESERVED lock does */
        if (st->wrapped && (!PQsendQueryPrepared(c->pg, LS_REL_STMT, 0, NULL, NULL, NULL, 0) ||
                            !PQsendQueryPrepared(c->pg, LS_SP_STMT, 0, NULL, NULL, NULL, 0)))
            goto send_failed;
        pre += st->wrapped ? 2 : 0;
    }
    if ((shared || excl) && !twin) {
        /* after the write lock: a writer waits for readers only once it may write; in the
         * savepoint, so that a busy lock fails only this statement */
        bool prepared;
        if (!send_lock_on(c, c->key_text[1], shared, session_ms, lock_prep_at < 0, &prepared))
            goto send_failed;
        if (prepared)
            lock_prep_at = pre++;
        jl_at = pre++;
        /* the readers' lock outlives a failure of the statement, as SQLite's read
         * transaction does (released with the savepoint rolled back otherwise) */
        if (shared && st->wrapped &&
            (!PQsendQueryPrepared(c->pg, LS_REL_STMT, 0, NULL, NULL, NULL, 0) ||
             !PQsendQueryPrepared(c->pg, LS_SP_STMT, 0, NULL, NULL, NULL, 0)))
            goto send_failed;
        pre += shared && st->wrapped ? 2 : 0;
    }
    PQclear(st->tail_res);
    st->tail_res = NULL;
    st->tail_sent = false;
    if (pre == 0 && !st->wrapped && !st->tail && st->rw.one_row &&
        PQexitPipelineMode(c->pg) == 1) {
        /* The statement alone, prepared before, outside a transaction: sent outside
         * pipeline mode, where libpq ends it with its own Sync and has no
         * PGRES_PIPELINE_SYNC result to make and free (docs/benchmarks.md).  The results
         * read the same; repipe() returns to pipeline mode after them.  Only a result read
         * whole (one_row): libpq (15) keeps the single-row mode of a statement sent outside
         * pipeline mode for the first query sent after it returns to pipeline mode, whose
         * reader, expecting a whole result, then got one row at a time (the schema cache
         * found a table without columns; py/single_row_after.py) */
        c->round_trips++;
        if (!PQsendQueryPrepared(c->pg, exec_name, exec_n, vals, lens, fmts, 0)) {
            rc = ls_pg_error(c, NULL);
            repipe(c);
            goto out;
        }
    } else {
        if (!PQsendQueryPrepared(c->pg, exec_name, exec_n, vals, lens, fmts, 0))
            goto send_failed;
        if (st->wrapped && !PQsendQueryPrepared(c->pg, LS_REL_STMT, 0, NULL, NULL, NULL, 0))
            goto send_failed;
        if (st->tail && !st->wrapped) {
            /* DDL: its liteshift.master change in the same implicit transaction */
            if (!PQsendQueryParams(c->pg, st->tail->query, st->tail->np, NULL,
                                   st->tail->params, NULL, NULL, 0))
                goto send_failed;
            st->tail_sent = true;
        }
        if (!ls_pg_sync(c))
            goto send_failed;
    }
    ls_log(LS_LOG_DEBUG, c->id, "execute %s (%d parameters): %s", exec_name, exec_n,
           st->rw.sql);

    /* results of what precedes the statement */
    bool sp_was = c->sp_prepared;
    for (int k = 0; k < pre; k++) {
        PGresult *r = ls_pg_get_result(c);
        ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (sp_at >= 0 && s == PGRES_COMMAND_OK) { /* the session's savepoint statements */
            if (k == sp_at && !sp_was)
                c->sp_prepared = true;
            else if (k == sp_at + !sp_was)
                c->rel_prepared = true;
        }
        if (k == lock_prep_at && s == PGRES_COMMAND_OK)
            c->lock_prepared = true;
        if (k == lock_at && s == PGRES_TUPLES_OK)
            lock_result(c, s, SQLITE_OK);
        if (k == jl_at && s == PGRES_TUPLES_OK && shared) {
            c->shared_txn = c->txn_no;
            c->shared_depth = c->savepoint_depth;
        }
        if (k == own_sync_at && r && s != PGRES_TUPLES_OK) {
            /* the rest is another exchange and runs all the same: go on, set it later */
            ls_log(LS_LOG_WARN, c->id, "could not set lock_timeout: %s",
                   PQresultErrorMessage(r));
            PQclear(r);
            PQclear(drain_to_sync(c));
            c->busy_timeout_dirty = true;
            c->session_wait_ms = 0;
            continue;
        }
        if (k == lean_at[0] || k == lean_at[1] || k == lean_at[2])
            ls_lean_take(st, k, lean_at, r);
        if (k == twin_at && s == PGRES_COMMAND_OK) {
            snprintf(twin->name, sizeof twin->name, "%s", twin_name);
            twin->m = lock_params;
        }
        if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
            rc = ls_pg_error(c, r);
            PQclear(r);
            PQclear(drain_to_sync(c));
            if (k == lock_at)
                lock_result(c, s, rc);
            if ((k == lock_at || k == jl_at) && ls_pg_writes_rows(st))
                c->changes = 0; /* as SQLite: a write that found the database locked */
            /* refused when prepared (no such table...) or its readers' lock busy: it did
             * not read, as SQLite's statement that does not compile or finds the database
             * locked: SQLite's busy handler applies to the next write */
            bool unread = k == jl_at || (fresh && k == fresh_at);
            if (k == jl_at)
                c->lock_busy = (rc & 0xff) == SQLITE_BUSY;
            if (unread) {
                c->read_txn = read_was;
                c->table_read_txn = table_was;
                c->temp_write_txn = temp_was;
            }
            if (fresh && k > fresh_at) /* prepared all the same: keep it */
                st->prep = ls_prep_add(c, key, st->name);
            else if (fresh)
                st->name[0] = '\0';
            if (began > 0 && ((lock && !ls_pg_write_locked(c)) || unread))
                unbegin(c); /* the first statement, without its lock or refused: not begun
                             * yet (a snapshot taken before a busy readers' lock would
                             * hide the commit it waited for) */
            else
                rc = recover(c, st, rc);
            goto out;
        }
        PQclear(r);
        r = ls_pg_get_result(c); /* the NULL that ends this query's results */
        PQclear(r);
        if (k == own_sync_at) /* its own exchange's end */
            PQclear(ls_pg_get_result(c));
    }
    if (fresh)
        st->prep = ls_prep_add(c, key, st->name);
    if (!st->rw.one_row)   /* else read whole: one result instead of two (dml.c) */
        PQsetSingleRowMode(c->pg);
    st->streaming = true;
    c->active = st;
    st->state = LS_ST_ROWS;
    rc = next_streamed(st);
    if (st->bind_locked && rc != SQLITE_ROW && rc != SQLITE_DONE && lock_type_gone(c)) {
        /* the twin's lock_key type was dropped while the session ran: its Bind found no
         * type, nothing ran.  The locks go as statements from now on (py/lock_type_gone.py) */
        ls_log(LS_LOG_WARN, c->id, "locks taken by statements: %s", c->base.errmsg);
        c->lock_oid = 0;
        clear_row(st);
        st->state = LS_ST_READY;
        ls_conn_clear_error(&c->base);
        rc = start(st);
    }

    goto out;

send_failed:
    rc = ls_pg_error(c, NULL);
    if (st->logged > 0)
        ls_replay_drop(c, st);   /* it never ran: nothing to run again */
out:
    if (key != st->rw.sql)
        free(key);
    if (vals != sv) {
        free(vals);
        free(lens);
        free(fmts);
    }
    for (char **h = hexed; h && *h; h++)
        free(*h);
    free(hexed);
    return rc;
}

/* See pg.h. */
void ls_pg_txn_rollback(ls_pgconn *c)
{
    static const char *const rollback[] = { "ROLLBACK" };
    char keep[1024];
    snprintf(keep, sizeof keep, "%s", c->base.errmsg ? c->base.errmsg : "");
    int code = c->base.errcode;
    ls_replay_gone(c);   /* its savepoint goes with the transaction */
    if (!c->begin_pending && PQstatus(c->pg) == CONNECTION_OK &&
        run_commands(c, rollback, 1, NULL) != SQLITE_OK)
        ls_log(LS_LOG_ERROR, c->id, "could not roll the transaction back");
    c->in_txn = false;
    c->begin_pending = false;
    c->savepoint_depth = 0;
    c->savepoint_began = false;
    ls_conn_error(&c->base, code, "%s", keep);
}

/* See pg.h. */
int ls_pg_interrupted(ls_pgstmt *st, int rc)
{
    ls_pgconn *c = st->conn;
    if ((rc & 0xff) == SQLITE_INTERRUPT && c->in_txn &&
        ls_pg_writes_rows(st) && PQstatus(c->pg) == CONNECTION_OK) {
        /* as SQLite (sqlite3_interrupt): an INSERT, UPDATE or DELETE interrupted inside an
         * explicit transaction rolls the whole transaction back */
        char keep[256];
        snprintf(keep, sizeof keep, "%s", c->base.errmsg ? c->base.errmsg : "interrupted");
        ls_pg_txn_rollback(c);
        rc = ls_conn_error(&c->base, SQLITE_INTERRUPT, "%s", keep);
    }
    return rc;
}

/* INSERT OR ROLLBACK, UPDATE OR ROLLBACK (DIALECT S9-S12): a constraint failure inside a
 * transaction rolls the whole transaction back, as SQLite's ROLLBACK algorithm does; the
 * error stays the constraint's.  Outside one it is ABORT, which the statement already had. */
static int or_rollback(ls_pgstmt *st, int rc)
{
    ls_pgconn *c = st->conn;
    if ((rc & 0xff) == SQLITE_CONSTRAINT && st->rw.onerr == LS_ONERR_ROLLBACK && c->in_txn &&
        PQstatus(c->pg) == CONNECTION_OK)
        ls_pg_txn_rollback(c);
    return rc;
}

/* rc is st's start(): while the write lock was busy and the app's busy handler asks to try
 * again, start st again (SQLite calls the handler with the count of earlier calls). */
static int start_again_while_busy(ls_pgstmt *st, int rc)
{
    ls_pgconn *c = st->conn;
    for (int calls = 0; !st->row && busy_again(c, rc, &calls);) {
        clear_row(st);
        st->state = LS_ST_READY;
        ls_conn_clear_error(&c->base);
        rc = start(st);
    }
    return rc;
}

/* A DDL statement ran outside a transaction with its liteshift.master change m after it, in
 * one implicit transaction (start()); rc is the DDL's outcome.  When the change failed (no
 * compat pack, no privilege...) it took the DDL with it: the DDL runs again alone and the
 * change is tried as a separate query, best effort, as inside a transaction; so are the
 * session's later changes (master_apart). */
static int ddl_end(ls_pgstmt *st, ls_master_op *m, int rc)
{
    ls_pgconn *c = st->conn;
    PGresult *r = st->tail_res;
    st->tail_res = NULL;
    st->tail_sent = false;
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        PQclear(r);   /* the DDL failed: nothing changed, nothing to record */
        free(m->text);
        return rc;
    }
    ls_pg_schema_invalidate(c);
    if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
        ls_pg_master_done(c, m, s == PGRES_TUPLES_OK ? r : NULL);
        PQclear(r);
        return rc;
    }
    const char *why = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    ls_log(LS_LOG_INFO, c->id, "liteshift.master change for %s %s failed with the DDL (%s): "
           "running the DDL alone", m->type, m->name, why ? why : "no result");
    PQclear(r);
    free(m->text);
    c->master_apart = true;   /* it would fail again: no DDL of this session pays twice */
    clear_row(st);
    st->state = LS_ST_READY;
    /* the lock was released with the failed change: another connection may hold it now, and
     * the app's busy handler is then called as for the first run */
    rc = start_again_while_busy(st, start(st));
    if (rc != SQLITE_ROW)
        st->state = LS_ST_DONE;
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
        ls_pg_schema_invalidate(c);
        ls_pg_master_record(c, st->sql, st->sql_len);
    }
    return rc;
}

/* See pg.h. */
int ls_pg_exec_step(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    if (st->state == LS_ST_DONE)
        return SQLITE_DONE;
    if (st->state == LS_ST_ROWS) {
        if (st->row && st->row_idx + 1 < PQntuples(st->row)) {
            st->row_idx++;
            memset(st->val_ok, 0, sizeof(bool) * (size_t)st->nfields);
            return SQLITE_ROW;
        }
        if (st->buf_pos < st->n_buffered) {
            clear_row(st);
            st->row = st->buffered[st->buf_pos];
            st->buffered[st->buf_pos++] = NULL;
            st->row_idx = 0;
            return SQLITE_ROW;
        }
        clear_row(st);
        if (st->deferred_rc) {
            int rc = ls_conn_error(&c->base, st->deferred_rc, "%s",
                                   st->deferred_msg ? st->deferred_msg : "");
            st->deferred_rc = 0;
            st->state = LS_ST_DONE;
            return rc;
        }
        if (!st->streaming) {
            st->state = LS_ST_DONE;
            return SQLITE_DONE;
        }
        int rc = next_streamed(st);
        if (rc != SQLITE_ROW)
            st->state = LS_ST_DONE;
        return rc;
    }

    /* LS_ST_READY: a fresh execution.  last_insert_rowid() read after it (Python reads it
     * after every execute) does not make an INSERT run before keep its RETURNING
     * (pg_lean.c) */
    c->rowid_from = NULL;
    if (ls_capture_on)
        ls_capture_note(st->sql, st->sql_len, 1);
    c->changes = c->changes; /* changes() keeps the last DML's count until the next one */
    switch (st->rw.kind) {
    case LS_RW_VACUUM:
        st->state = LS_ST_DONE;
        if (c->in_txn)   /* as SQLite; outside one it has nothing to do here (S30) */
            return ls_conn_error(&c->base, SQLITE_ERROR,
                                 "cannot VACUUM from within a transaction");
        return SQLITE_DONE;
    case LS_RW_EMPTY:
        st->state = LS_ST_DONE;
        return SQLITE_DONE;
    default:
        break;
    }
    if (st->rw.kind == LS_RW_ROLLBACK && c->in_txn &&
        (c->txn_failed || !c->pg || PQstatus(c->pg) != CONNECTION_OK)) {
        /* the server already lost the transaction with the connection: ROLLBACK succeeds
         * and the next statement gets a fresh session */
        c->in_txn = false;
        c->txn_failed = false;
        c->savepoint_depth = 0;
        st->state = LS_ST_DONE;
        int rc = ls_pg_ensure_connected(c);
        return rc == SQLITE_OK ? SQLITE_DONE : rc;
    }
    if (st->rw_gen != c->schema_gen && st->rw_ok && !st->local && st->rw.kind != LS_RW_DDL)
        rewrite_again(st);
    int rc;
    if (ls_pg_pipe_can(st) && (rc = ls_pg_pipe_send(st)) >= 0)
        return rc;
    rc = ls_pg_free_connection(c);
    if (rc != SQLITE_OK)
        return rc;
    rc = ls_pg_ensure_connected(c);
    if (rc != SQLITE_OK)
        return rc;
    if (c->txn_failed)
        return ls_conn_error(&c->base, SQLITE_IOERR,
                             "disk I/O error: the connection to PostgreSQL was lost inside a "
                             "transaction; ROLLBACK to continue");
    if (c->pipe_rc && (rc = doomed_step(st)) != SQLITE_OK)
        return rc;
    if (st->rw.kind == LS_RW_PRAGMA) {
        rc = pragma_step(st);
        if (rc >= 0) {
            if (rc != SQLITE_ROW)
                st->state = LS_ST_DONE;
            return rc;
        }
    }
    rc = txn_step(st);
    if (rc >= 0) {
        st->state = LS_ST_DONE;
        return rc;
    }
    /* DDL outside a transaction: its liteshift.master change goes with it (ddl_end) */
    ls_master_op master;
    bool tail = st->rw.kind == LS_RW_DDL && !c->in_txn && !c->master_apart &&
                ls_pg_master_plan(c, st->sql, st->sql_len, &master);
    st->tail = tail ? &master : NULL;
    bool reused = st->name[0] != '\0';   /* prepared on the server before this execution */
    c->last_sqlstate[0] = '\0';
    rc = start(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE && !c->in_txn && !st->row && st->replayed != 2 &&
        PQstatus(c->pg) != CONNECTION_OK) {
        /* The session was gone before this statement reached it (server restart, idle
         * connection killed): nothing ran, so outside a transaction reconnect and run it
         * once more.  Inside a transaction this is the app's error to see. */
        ls_log(LS_LOG_WARN, c->id, "connection lost before the statement ran: reconnecting");
        clear_row(st);
        st->state = LS_ST_READY;
        if (ls_pg_ensure_connected(c) == SQLITE_OK) {
            ls_conn_clear_error(&c->base);
            rc = start(st);
        }
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE && !st->row && c->base.errmsg && st->replayed != 2
        && strstr(c->base.errmsg, "cached plan must not change result type")) {
        /* The table changed shape since this statement was prepared on the server (DDL
         * here or elsewhere).  SQLite re-prepares transparently (SQLITE_SCHEMA): so do we,
         * once, under a new server name; the failed attempt ran nothing (its savepoint or
         * implicit transaction was rolled back). */
        ls_log(LS_LOG_INFO, c->id, "statement %s: table changed shape, preparing again", st->name);
        ls_prep_release(c, st->prep);
        st->prep = NULL;
        st->name[0] = '\0';
        forget_description(st);
        clear_row(st);
        st->state = LS_ST_READY;
        ls_pg_schema_invalidate(c);
        ls_conn_clear_error(&c->base);
        rc = start(st);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE && !st->row && reused && !tail && st->replayed != 2 &&
        (!c->in_txn || st->wrapped || st->replayed == 1) && /* else it doomed the txn */
        !strcmp(c->last_sqlstate, "42804")) {
        /* datatype_mismatch from a statement prepared earlier: another connection may have
         * made its table again with other column types, and the server typed the
         * parameters against the old one.  SQLite re-prepares (SQLITE_SCHEMA): the schema
         * is read again and the statement prepared again, once (rewrite_again); the failed
         * attempt ran nothing.  An app's own mismatch fails the same way the second time. */
        ls_log(LS_LOG_INFO, c->id, "statement %s: parameter types refused, preparing again",
               st->name);
        clear_row(st);
        st->state = LS_ST_READY;
        ls_pg_schema_invalidate(c);
        ls_conn_clear_error(&c->base);
        rewrite_again(st);   /* gives up the server statement (its text may be the same) */
        rc = start(st);
    }
    rc = start_again_while_busy(st, rc);
    st->tail = NULL;
    if (rc != SQLITE_ROW)
        st->state = LS_ST_DONE;
    rc = ls_pg_interrupted(st, rc);
    rc = or_rollback(st, rc);
    if (tail)
        rc = ddl_end(st, &master, rc);
    else if (st->rw.kind == LS_RW_DDL && (rc == SQLITE_DONE || rc == SQLITE_ROW)) {
        ls_pg_schema_invalidate(c);
        ls_pg_master_record(c, st->sql, st->sql_len);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE && PQstatus(c->pg) != CONNECTION_OK &&
        c->in_txn)
        c->txn_failed = true;
    return rc;
}

/* See pg.h. */
void ls_pg_exec_reset(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    if (c->active == st && c->pg) {
        /* discard the rest of the stream */
        for (;;) {
            int rc = next_streamed(st);
            if (rc != SQLITE_ROW)
                break;
        }
        ls_conn_clear_error(&c->base);
    }
    clear_row(st);
    for (size_t i = st->buf_pos; i < st->n_buffered; i++)
        PQclear(st->buffered[i]);
    st->n_buffered = st->buf_pos = 0;
    st->deferred_rc = 0;
    free(st->deferred_msg);
    st->deferred_msg = NULL;
    st->streaming = false;
    st->state = LS_ST_READY;
}

/* See pg.h.  Prepares on the server (if needed) and asks for the row description: one
 * round trip, only when the app asks for columns before the first step. */
int ls_pg_describe(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    if (st->described)
        return SQLITE_OK;
    if (st->rw.kind != LS_RW_SELECT && st->rw.kind != LS_RW_INSERT &&
        st->rw.kind != LS_RW_UPDATE && st->rw.kind != LS_RW_DELETE &&
        st->rw.kind != LS_RW_OTHER && !(st->rw.kind == LS_RW_PRAGMA &&
                                         st->rw.pragma.cls == LS_PRAGMA_CATALOG)) {
        /* answered here, not by the server: one column named after the pragma, as
         * SQLite names it (busy_timeout's column is "timeout") */
        const ls_rw_pragma *pr = &st->rw.pragma;
        bool one = st->rw.kind == LS_RW_PRAGMA && !pr->is_set &&
                   (pr->answer || pr->cls == LS_PRAGMA_STATE || pr->cls == LS_PRAGMA_NOOP);
        st->ncol = 0;
        if (one) {
            st->col_names = calloc(1, sizeof *st->col_names);
            st->col_types = calloc(1, sizeof *st->col_types);
            if (!st->col_names || !st->col_types ||
                !(st->col_names[0] = strdup(strcmp(pr->name, "busy_timeout") == 0 ? "timeout"
                                                                                    : pr->name)))
                return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
            st->col_types[0] = 25;
            st->ncol = 1;
        }
        st->described = true;
        return SQLITE_OK;
    }
    int rc = ls_pg_free_connection(c);
    if (rc == SQLITE_OK)
        rc = ls_pg_ensure_connected(c);
    if (rc != SQLITE_OK)
        return rc;
    if (choose_types(st) != SQLITE_OK)
        return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
    /* a Parse and a Describe need no transaction: one not begun yet stays so */
    bool wrapped = c->in_txn && !c->begin_pending;
    bool fresh = !st->name[0];
    if (fresh)
        snprintf(st->name, sizeof st->name, "ls_%u", ++c->next_stmt_no);
    if ((wrapped && ls_replay_send_close(c) < 0) || /* its failure is undone by ls_stmt */
        (wrapped && !PQsendQueryParams(c->pg, "SAVEPOINT ls_stmt", 0, NULL, NULL, NULL, NULL, 0)) ||
        (fresh && !PQsendPrepare(c->pg, st->name, st->rw.sql, st->rw.n_params, st->ptypes)) ||
        !PQsendDescribePrepared(c->pg, st->name) ||
        (wrapped && !PQsendQueryParams(c->pg, "RELEASE SAVEPOINT ls_stmt", 0, NULL, NULL, NULL, NULL, 0)) ||
        !ls_pg_sync(c))
        return ls_pg_error(c, NULL);
    PGresult *desc = NULL, *err = NULL;
    for (PGresult *r; (r = ls_pg_next_result(c));) {
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_FATAL_ERROR && !err) {
            err = r;
            continue;
        }
        int np = st->rw.n_params;
        if (s == PGRES_COMMAND_OK && np > 0 && PQnparams(r) == np) {
            /* the Describe: the types the server gave the parameters (check_blobs) */
            Oid *t = malloc((size_t)np * sizeof *t);
            for (int k = 0; t && k < np; k++)
                t[k] = PQparamtype(r, k);
            free(st->server_types);
            st->server_types = t;
        }
        if (s == PGRES_COMMAND_OK && PQnfields(r) > 0 && (!desc || PQnfields(desc) == 0)) {
            PQclear(desc); /* a fresh Prepare's own result came first: the Describe wins */
            desc = r;
            continue;
        }
        if (s == PGRES_COMMAND_OK && !desc && PQnparams(r) >= 0 && PQnfields(r) == 0 &&
            strcmp(PQcmdStatus(r), "") == 0) {
            desc = r; /* describe of a statement without result columns */
            continue;
        }
        PQclear(r);
    }
    if (err) {
        rc = ls_pg_error(c, err);
        PQclear(err);
        PQclear(desc);
        if (fresh)
            st->name[0] = '\0';
        if (wrapped) /* else it ran outside any transaction: nothing to bring back (a
                      * doomed pipelined one, as recover_savepoint has it, would be wrong) */
            recover_savepoint(c, true);
        return rc;
    }
    if (desc) {
        rc = set_fields(st, desc);
        PQclear(desc);
        return rc;
    }
    st->described = true;
    st->ncol = 0;
    return SQLITE_OK;
}
