/* SPDX-License-Identifier: MIT
 *
 * Inserts sent without their RETURNING under the replay log (docs/benchmarks.md, "Bulk:
 * inserts without their RETURNING").
 *
 * An INSERT into a table with a rowid carries " RETURNING <rowid>": last_insert_rowid()
 * must be exact after any step, and the replay log (pg_replay.c) runs an insert again with
 * the rowid it was given.  A result row per insert costs the server and the client about a
 * tenth of a single-row insert.  Yet a sequence hands one session increasing values, and
 * currval() tells the session the last of them.  So, inside a transaction whose writes run
 * under ls_base, a run of executions of one INSERT drawing its rowid from the table's
 * identity sequence goes like this:
 *   - the first (the anchor) is sent with its RETURNING: rowid a;
 *   - the next ones are sent through a twin without it (the "lean" twin of pg_pipe.c); the
 *     k-th of them is given, in the log, the rowid a + k;
 *   - before anything else is sent on the connection, and before last_insert_rowid() is
 *     read, currval() of the sequence is asked (with the next statement, in its exchange,
 *     or alone when nothing follows).  Its answer c is the rowid of the run's last insert:
 *     nothing else in the session drew from the sequence meanwhile.  It is also a proof:
 *     when c = a + k, the k values drawn, all above a and none above c, are a + 1 .. a + k,
 *     so the log's rowids are the ones the rows were given.  When c differs (another
 *     session drew from the sequence in between), the log is renewed after that statement
 *     (c->replay_renew): rows whose rowid the log does not know are never run again, and a
 *     statement that saw them is never undone without them.
 * A statement whose run fails before anything read its rows' rowids is undone by the log
 * as any other: the rows it runs again are given the log's rowids (pinned), which nothing
 * has seen.
 * Only executions of a statement whose rowid the app has never read go lean (Python's
 * execute() reads lastrowid after every statement; executemany() does not), and only from
 * its LEAN_LOOK_AT-th run in a transaction, when the server has said (in that run's
 * exchange, no round trip of its own) that the table draws its rowid from an identity
 * column and runs nothing with an insert that could draw from it or skip the row: no
 * trigger, no rule (LS_REPLAY_UNSAFE_SQL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "log.h"

/* The run of an INSERT, in a transaction, at which its table is asked about: a statement run
 * fewer times keeps its RETURNING.  The question is planned each time it is asked (0.4 to
 * 1.5 ms of the server's time, once per statement and transaction): asked at the 16th run,
 * transactions of 200 inserts ran at 0.78 to 0.83 of libpq's speed instead of 0.86 to 0.91
 * (ab.sh bulk). */
#define LEAN_LOOK_AT 256

/* Whether the table (to_regclass($1)) draws the rowid column ($2) from an identity, with
 * nothing that runs with an insert. */
static const char sure_sql[] =
    "SELECT NOT (" LS_REPLAY_UNSAFE_SQL ") AND EXISTS (SELECT FROM pg_attribute a"
    " WHERE a.attrelid = r.oid AND a.attname = $2 AND a.attidentity <> '')"
    " FROM pg_class r WHERE r.oid = to_regclass($1)";

/* The pending rowid: the sequence's currval, no row when it is gone. */
static const char currval_sql[] =
    "SELECT currval(s.oid) FROM pg_class s WHERE s.oid = to_regclass($1)";

static bool shape_ok(ls_pgstmt *st, ls_prep_lean *L)
{
    ls_pgconn *c = st->conn;
    if (L->dm_shape == 0 || L->dm_gen != c->schema_gen) {
        size_t len, off, tlen;
        L->dm_shape = ls_pg_lean_shape(st, &len, &off, &tlen) ? 1 : -1;
        L->dm_gen = c->schema_gen;
    }
    return L->dm_shape > 0;
}

/* See pg.h. */
int ls_lean_plan(ls_pgstmt *st, bool logged)
{
    ls_pgconn *c = st->conn;
    st->lean = LS_LEAN_NONE;
    if (!logged || !st->prep || st->rw.kind != LS_RW_INSERT || !st->rw.returning_rowid ||
        st->rw.rowid_if_inserted || !st->rw.replay_seq[0] || st->rw.n_hidden)
        return LS_LEAN_NONE;
    ls_prep_lean *L = ls_prep_lean_of(st->prep);
    if (L->read || !shape_ok(st, L))
        return LS_LEAN_NONE;
    if (L->dm_txn != c->txn_no) {
        L->dm_txn = c->txn_no;
        L->dm_runs = 0;
        L->dm_sure = false;
    }
    if (L->dm_runs < 0xffff)
        L->dm_runs++;
    if (!L->dm_sure)
        st->lean = L->dm_runs == LEAN_LOOK_AT ? LS_LEAN_LOOK : LS_LEAN_ANCHOR;
    else if (L->name[0] && c->lean.active && c->lean.txn == c->txn_no &&
             strcmp(c->lean.seq, st->rw.replay_seq) == 0)
        st->lean = LS_LEAN_GO;
    else
        st->lean = LS_LEAN_ANCHOR;
    return st->lean;
}

/* See pg.h. */
bool ls_lean_send_resolve(ls_pgconn *c, int *pre, int *at)
{
    if (!c->lean.pending || *at >= 0)
        return true;
    const char *p[1] = { c->lean.seq };
    if (!PQsendQueryParams(c->pg, currval_sql, 1, NULL, p, NULL, NULL, 0))
        return false;
    *at = (*pre)++;
    return true;
}

/* See pg.h. */
bool ls_lean_send(ls_pgstmt *st, int *pre, int at[3])
{
    ls_pgconn *c = st->conn;
    at[0] = at[1] = at[2] = -1;
    if (st->lean != LS_LEAN_GO) {
        c->lean.active = false;   /* whatever runs now may draw from the sequence */
        if (!ls_lean_send_resolve(c, pre, &at[0]))
            return false;
    }
    if (st->lean != LS_LEAN_LOOK)
        return true;
    ls_prep_lean *L = ls_prep_lean_of(st->prep);
    size_t len, off, tlen;
    ls_pg_lean_shape(st, &len, &off, &tlen);
    char tab[300];
    if (tlen >= sizeof tab)
        return true;   /* not asked: the statement keeps its RETURNING */
    memcpy(tab, st->rw.sql + off, tlen);
    tab[tlen] = '\0';
    if (!L->name[0]) {   /* named once its Prepare succeeded (ls_lean_take) */
        int twin = ls_pg_send_lean_twin(st, len, L->pending);
        if (twin < 0)
            return false;
        if (twin == 0)
            return true;   /* out of memory: not asked, the statement keeps its RETURNING */
        at[1] = (*pre)++;
    }
    const char *p[2] = { tab, st->rw.rowid_col };
    if (!PQsendQueryParams(c->pg, sure_sql, 2, NULL, p, NULL, NULL, 0))
        return false;
    at[2] = (*pre)++;
    return true;
}

/* The pending rowid is c: the run's last insert's, and the proof of the log's rowids. */
static void resolved(ls_pgconn *c, sqlite3_int64 v)
{
    if (v != c->lean.anchor + c->lean.n) {
        /* another session drew from the sequence during the run: the log does not know
         * which rowids its lean inserts were given.  Renewed after what runs now, it never
         * runs them again */
        ls_log(LS_LOG_DEBUG, c->id, "lean run: rowid %lld, not %lld: log renewed",
               (long long)v, (long long)(c->lean.anchor + c->lean.n));
        c->replay_renew = true;
    }
    c->last_rowid = v;
    c->lean.pending = false;
    c->lean.anchor = v;   /* drawn by this session, the latest: the run may go on from it */
    c->lean.n = 0;
}

/* The pending rowid could not be asked (the sequence is gone): the one the log gave. */
static void unresolved(ls_pgconn *c)
{
    c->last_rowid = c->lean.anchor + c->lean.n;
    c->lean.pending = false;
    c->lean.active = false;
}

/* See pg.h. */
void ls_lean_take(ls_pgstmt *st, int k, const int at[3], const PGresult *r)
{
    ls_pgconn *c = st->conn;
    ExecStatusType s = PQresultStatus(r);
    if (k == at[0]) {
        if (s == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
            resolved(c, ls_num_int64(PQgetvalue(r, 0, 0)));
        else
            unresolved(c);
    } else if (k == at[1] && s == PGRES_COMMAND_OK && st->prep) {
        ls_prep_lean *L = ls_prep_lean_of(st->prep);
        memcpy(L->name, L->pending, sizeof L->name);
    } else if (k == at[2] && st->prep) {
        ls_prep_lean *L = ls_prep_lean_of(st->prep);
        L->dm_sure = s == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
                     PQgetvalue(r, 0, 0)[0] == 't' && L->name[0];
        ls_log(LS_LOG_DEBUG, c->id, "%s: %s without RETURNING in this transaction",
               st->name, L->dm_sure ? "may go" : "may not go");
    }
}

/* See pg.h. */
void ls_lean_done(ls_pgstmt *st, const PGresult *r, sqlite3_int64 *predicted)
{
    ls_pgconn *c = st->conn;
    *predicted = 0;
    if (st->lean == LS_LEAN_GO) {
        const char *t = PQcmdTuples((PGresult *)r);
        sqlite3_int64 n = t && *t ? ls_num_int64(t) : 0;
        c->lean.n += n;
        c->lean.pending = true;
        c->rowid_from = st->prep;
        if (n == 1)
            *predicted = c->lean.anchor + c->lean.n;
        else
            c->replay_renew = true;   /* not the one row its shape promised: not run again */
    } else if (st->lean != LS_LEAN_NONE) {
        int rows = PQntuples(r);
        if (rows == 1 && !PQgetisnull(r, 0, PQnfields(r) - 1)) {
            snprintf(c->lean.seq, sizeof c->lean.seq, "%s", st->rw.replay_seq);
            c->lean.anchor = ls_num_int64(PQgetvalue(r, 0, PQnfields(r) - 1));
            c->lean.n = 0;
            c->lean.txn = c->txn_no;
            c->lean.active = true;
        }
    }
}

/* See pg.h. */
void ls_lean_settle(ls_pgconn *c)
{
    if (!c->lean.pending)
        return;
    c->lean.active = false;
    if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
        unresolved(c);
        return;
    }
    if (c->active && ls_pg_free_connection(c) != SQLITE_OK) {
        unresolved(c);
        return;
    }
    const char *p[1] = { c->lean.seq };
    bool got = false;
    if (PQsendQueryParams(c->pg, currval_sql, 1, NULL, p, NULL, NULL, 0) && ls_pg_sync(c)) {
        for (PGresult *r; (r = ls_pg_next_result(c));) {
            if (!got && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
                !PQgetisnull(r, 0, 0)) {
                resolved(c, ls_num_int64(PQgetvalue(r, 0, 0)));
                got = true;
            }
            PQclear(r);
        }
    }
    if (!got)
        unresolved(c);
}

/* See pg.h. */
void ls_lean_reset(ls_pgconn *c)
{
    if (c->lean.pending)
        unresolved(c);
    c->lean.active = false;
}
