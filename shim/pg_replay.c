/* SPDX-License-Identifier: MIT
 *
 * The replay log: SQLite's statement rollback without a savepoint per statement (DIALECT
 * S6, docs/compatibility.md "Statement rollback").
 *
 * In SQLite a statement that fails inside a transaction undoes only itself; in PostgreSQL it
 * aborts the whole transaction.  Wrapping every statement in SAVEPOINT/RELEASE keeps
 * SQLite's behaviour but costs the server two more commands per statement, about a tenth of
 * a single-row statement's time (docs/benchmarks.md).  Instead, once a transaction holds
 * the write lock, statements run inside one savepoint, ls_base, opened with the first of
 * them and renewed every LS_REPLAY_MAX statements, and the writes among them are logged
 * here with the values they were bound.  When one fails, the transaction rolls back to
 * ls_base and the logged writes run again, in one exchange, before the failure is
 * reported: the transaction is where SQLite's would be, minus the failed statement.
 *
 * Running a write again writes the same only if its rows and its values are the same:
 *   - the rows: the transaction holds SQLite's write lock, taken before ls_base and kept
 *     through the rollback, so no other liteshift connection wrote meanwhile; reads do not
 *     go in the log (they change nothing);
 *   - the values: only writes the rewriter marked replayable go in the log
 *     (rewriter/replay.c: no random() or clock, no trigger, no LIMIT...);
 *   - the rowids: a sequence does not roll back, so before an INSERT runs again its rowid
 *     sequence is pinned to the rowid the INSERT returned the first time, and afterwards
 *     set back where it was.
 * Each write run again must report the changes and the rowid it reported the first time.
 * When it does not, or when the rollback or a write fails, the transaction cannot be put
 * back as SQLite's would be: it is rolled back whole, and the error says so (never a
 * silent difference).  Other statements, and all of them with LITESHIFT_STATEMENT_ROLLBACK=
 * savepoint, keep a savepoint of their own (pg_exec.c); before such a statement ls_base is
 * released, since the log would not hold it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "log.h"

/* The most statements between renewals of ls_base: what a failure may have to run again,
 * and what the log holds.  A 10,000-statement transaction without failures takes 40
 * subtransactions, under PostgreSQL's 64 cached per backend (docs/benchmarks.md); each
 * failure renews ls_base once more. */
#define LS_REPLAY_MAX 256
/* The savepoint's name: one no app would give its own (an app's "ROLLBACK TO" names the
 * innermost savepoint of its name). */
#define LS_BASE_SP "liteshift_base"
/* The most bytes of parameters the log holds before ls_base is renewed. */
#define LS_REPLAY_BYTES (4u << 20)

typedef struct ls_replay_entry {
    char name[24];          /* the server statement */
    int n;                  /* its parameters */
    bool done;              /* completed: changes (and rowid) known */
    bool has_rowid;
    long long changes, rowid;
    const char *seq;        /* the rowid sequence to pin before it runs again, or NULL */
    const char *table;      /* the table it writes, as the schema cache knows it */
    size_t size;            /* its bytes, counted in replay_bytes */
    const char **vals;      /* the parameters as sent; storage follows the entry */
    int *lens, *fmts;
} ls_replay_entry;

_Static_assert(sizeof ((ls_replay_entry *)0)->name == sizeof ((ls_pgstmt *)0)->name,
               "an entry keeps a statement's server name whole");
_Static_assert(sizeof ((ls_rw_result *)0)->replay_table >= 80,
               "a table key as the rewriter's target_key holds it");

/* The log's memory: entries are carved from chunks of at least LS_REPLAY_CHUNK bytes, all
 * given back at once when the log is forgotten (no allocation per statement). */
#define LS_REPLAY_CHUNK (64u << 10)

struct ls_replay_chunk {
    struct ls_replay_chunk *next;
    size_t used, cap;
    _Alignas(16) char data[];
};

static void *arena_alloc(ls_pgconn *c, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    struct ls_replay_chunk *k = c->replay_chunk;
    if (!k || k->cap - k->used < size) {
        size_t cap = size > LS_REPLAY_CHUNK ? size : LS_REPLAY_CHUNK;
        if (!(k = malloc(sizeof *k + cap)))
            return NULL;
        k->next = c->replay_chunk;
        k->used = 0;
        k->cap = cap;
        c->replay_chunk = k;
    }
    void *p = k->data + k->used;
    k->used += size;
    return p;
}

/* See pg.h. */
void ls_replay_forget(ls_pgconn *c)
{
    c->n_replay = 0;
    c->replay_bytes = 0;
    c->replay_gen++;
    struct ls_replay_chunk *k = c->replay_chunk;
    if (k) {   /* the newest chunk stays, empty, unless it is an outsize one */
        while (k->next) {
            struct ls_replay_chunk *old = k->next;
            k->next = old->next;
            free(old);
        }
        k->used = 0;
        if (k->cap > LS_REPLAY_CHUNK) {
            free(k);
            c->replay_chunk = NULL;
        }
    }
    if (c->replay_cap > 2 * LS_REPLAY_MAX) {
        free(c->replay);
        c->replay = NULL;
        c->replay_cap = 0;
    }
}

/* See pg.h. */
void ls_replay_free(ls_pgconn *c)
{
    ls_replay_forget(c);
    free(c->replay_chunk);
    c->replay_chunk = NULL;
    free(c->replay);
    c->replay = NULL;
    c->replay_cap = 0;
}

/* See pg.h. */
void ls_replay_gone(ls_pgconn *c)
{
    c->base_txn = 0;
    ls_replay_forget(c);
}

/* See pg.h. */
bool ls_replay_base_open(ls_pgconn *c)
{
    if (c->base_txn && c->in_txn && c->base_txn == c->txn_no)
        return true;
    if (c->n_replay || c->base_txn)
        ls_replay_gone(c);   /* the transaction ended: its log went with it */
    return false;
}

/* See pg.h. */
bool ls_replay_can(const ls_pgconn *c, const ls_pgstmt *st)
{
    if (c->replay_off || c->pipeline || c->lock_rows || !c->in_txn || c->begin_pending
        || !st->name[0] || !st->described || st->tail || c->n_dealloc)
        return false;
    if (st->rw.kind == LS_RW_SELECT)
        return st->rw.readonly;
    return ls_pg_writes_rows(st) && st->rw.replay_ok && ls_pg_write_locked(c);
}

/* See pg.h. */
int ls_replay_send_close(ls_pgconn *c)
{
    if (!ls_replay_base_open(c))
        return 0;
    if (PQtransactionStatus(c->pg) == PQTRANS_INERROR)
        return 0;   /* a RELEASE would fail: what rolls back first (a savepoint inside
                     * ls_base, or the whole transaction) decides */
    ls_replay_gone(c);
    return PQsendQueryParams(c->pg, "RELEASE SAVEPOINT " LS_BASE_SP, 0, NULL, NULL, NULL, NULL, 0)
               ? 1 : -1;
}

/* Parameters whose lengths an entry finds once (more are measured twice). */
#define LS_REPLAY_LENS 32

/* The bytes an entry for st's execution takes; the text parameters' lengths go to vl (the
 * first LS_REPLAY_LENS). */
static size_t entry_size(const ls_pgstmt *st, int n, const char *const *vals, const int *lens,
                         const int *fmts, size_t *vl)
{
    size_t data = (st->rw.replay_seq[0] ? strlen(st->rw.replay_seq) + 1 : 0)
                + strlen(st->rw.replay_table) + 1;
    for (int k = 0; k < n; k++) {
        size_t len = !vals[k] ? 0 : fmts && fmts[k] ? (size_t)lens[k] : strlen(vals[k]);
        if (k < LS_REPLAY_LENS)
            vl[k] = len;
        data += vals[k] ? len + 1 : 0;
    }
    return sizeof(ls_replay_entry) + (size_t)n * (sizeof(char *) + 2 * sizeof(int)) + data;
}

/* A name an entry keeps: the one of the entry before it when the same (a run of writes to
 * one table copies it once), else copied to *p. */
static const char *entry_name(const char *name, const char *before, char **p)
{
    if (before && strcmp(before, name) == 0)
        return before;
    size_t len = strlen(name) + 1;
    memcpy(*p, name, len);
    const char *at = *p;
    *p += len;
    return at;
}

/* A copy of the parameters of st's execution, in the log's memory, or NULL. */
static ls_replay_entry *entry_new(ls_pgconn *c, const ls_pgstmt *st, int n,
                                  const char *const *vals, const int *lens, const int *fmts,
                                  size_t size, const size_t *vl)
{
    const ls_replay_entry *before = c->n_replay ? c->replay[c->n_replay - 1] : NULL;
    ls_replay_entry *e = arena_alloc(c, size);
    if (!e)
        return NULL;
    memset(e, 0, sizeof *e);
    memcpy(e->name, st->name, sizeof e->name);   /* same size, NUL-terminated */
    e->n = n;
    e->vals = (const char **)(e + 1);
    e->lens = (int *)(e->vals + n);
    e->fmts = e->lens + n;
    char *p = (char *)(e->fmts + n);
    for (int k = 0; k < n; k++) {
        e->fmts[k] = fmts ? fmts[k] : 0;
        e->lens[k] = 0;
        e->vals[k] = NULL;
        if (!vals[k])
            continue;
        size_t len = k < LS_REPLAY_LENS ? vl[k]
                   : e->fmts[k] ? (size_t)lens[k] : strlen(vals[k]);
        memcpy(p, vals[k], len);
        p[len] = '\0';
        e->vals[k] = p;
        e->lens[k] = (int)len;
        p += len + 1;
    }
    if (st->rw.replay_seq[0])
        e->seq = entry_name(st->rw.replay_seq, before ? before->seq : NULL, &p);
    e->table = entry_name(st->rw.replay_table, before ? before->table : NULL, &p);
    return e;
}

/* See pg.h. */
int ls_replay_send_open(ls_pgconn *c, ls_pgstmt *st, int n, const char *const *vals,
                        const int *lens, const int *fmts)
{
    int q = 0;
    bool open = ls_replay_base_open(c);
    st->logged = 0;
    bool reads = st->rw.kind == LS_RW_SELECT;
    size_t vl[LS_REPLAY_LENS];
    size_t bytes = reads ? 0 : entry_size(st, n, vals, lens, fmts, vl);
    if (open && (c->replay_renew || c->n_replay >= LS_REPLAY_MAX ||
                 c->replay_bytes + bytes > LS_REPLAY_BYTES)) {
        /* renewed: what ran so far is kept whatever fails next */
        int released = ls_replay_send_close(c);
        if (released < 0)
            return -1;
        q += released;
        open = false;
    }
    if (!open) {
        if (!PQsendQueryParams(c->pg, "SAVEPOINT " LS_BASE_SP, 0, NULL, NULL, NULL, NULL, 0))
            return -1;
        q++;
        c->base_txn = c->txn_no;
        c->replay_renew = false;
    }
    ls_replay_entry *e = reads ? NULL : entry_new(c, st, n, vals, lens, fmts, bytes, vl);
    if (!reads && !e)
        return -1;
    if (!e) {
        st->logged = -1;   /* a read: nothing to run again */
        return q;
    }
    if (c->n_replay == c->replay_cap) {
        int cap = c->replay_cap ? c->replay_cap * 2 : 64;
        ls_replay_entry **nr = realloc(c->replay, (size_t)cap * sizeof *nr);
        if (!nr)
            return -1;
        c->replay = nr;
        c->replay_cap = cap;
    }
    e->size = bytes;
    c->replay[c->n_replay++] = e;
    c->replay_bytes += bytes;
    st->logged = c->n_replay;
    st->log_gen = c->replay_gen;
    return q;
}

/* The entry of st, or NULL when the log no longer holds it. */
static ls_replay_entry *entry_of(ls_pgconn *c, const ls_pgstmt *st)
{
    if (st->logged <= 0 || st->log_gen != c->replay_gen || st->logged > c->n_replay)
        return NULL;
    return c->replay[st->logged - 1];
}

/* See pg.h. */
void ls_replay_drop(ls_pgconn *c, ls_pgstmt *st)
{
    ls_replay_entry *e = entry_of(c, st);
    if (e) {   /* its memory goes with the log's */
        int i = st->logged - 1;
        c->replay_bytes -= e->size;
        memmove(&c->replay[i], &c->replay[i + 1], (size_t)(c->n_replay - i - 1) * sizeof *c->replay);
        c->n_replay--;
    }
    st->logged = 0;
}

/* See pg.h. */
void ls_replay_done(ls_pgconn *c, ls_pgstmt *st, const PGresult *r)
{
    ls_replay_entry *e = entry_of(c, st);
    st->logged = 0;
    sqlite3_int64 predicted;
    ls_lean_done(st, r, &predicted);
    if (!e)
        return;
    const char *t = PQcmdTuples((PGresult *)r);
    e->changes = t && *t ? ls_num_int64(t) : 0;
    int rows = PQntuples(r);
    if (st->rw.returning_rowid && rows > 0 && !PQgetisnull(r, rows - 1, PQnfields(r) - 1)) {
        e->rowid = ls_num_int64(PQgetvalue(r, rows - 1, PQnfields(r) - 1));
        e->has_rowid = true;
    } else if (predicted) {   /* sent lean: the rowid the run's proof vouches for */
        e->rowid = predicted;
        e->has_rowid = true;
    }
    e->done = true;
}

/* Read the results up to the Sync into rs (at most cap; the rest are freed); returns how
 * many, or -1 when the connection failed. */
static int read_all(ls_pgconn *c, PGresult **rs, int cap)
{
    int got = 0;
    for (PGresult *r; (r = ls_pg_next_result(c));) {
        if (got < cap)
            rs[got++] = r;
        else
            PQclear(r);
    }
    return got;
}

static void clear_all(PGresult **rs, int n)
{
    for (int i = 0; i < n; i++)
        PQclear(rs[i]);
}

/* The transaction cannot be put back: rolled back whole, the statement's error kept and the
 * reason added. */
static void give_up(ls_pgconn *c, const char *keep, const char *why)
{
    ls_log(LS_LOG_ERROR, c->id, "statement rollback by replay failed (%s): transaction "
           "rolled back", why);
    if (PQstatus(c->pg) != CONNECTION_OK) {
        ls_replay_gone(c);
        c->txn_failed = true;   /* as for any lost connection: only ROLLBACK succeeds */
    } else {
        ls_pg_txn_rollback(c);
    }
    /* SQLITE_ABORT_ROLLBACK, not the statement's own code: an app that shrugs off a
     * constraint error must not go on as if its transaction were still open */
    ls_conn_error(&c->base, SQLITE_ABORT_ROLLBACK, "%s (liteshift rolled the transaction back: "
                  "%s)", keep, why);
}

/* Whether e's rowid sequence is pinned before it runs again: it returned a rowid a
 * sequence can hold (one below 1 was given explicitly, and drew nothing). */
static bool pinned(const ls_replay_entry *e)
{
    return e->seq && e->has_rowid && e->rowid >= 1;
}

/* See pg.h. */
void ls_replay_recover(ls_pgconn *c, ls_pgstmt *st)
{
    char keep[1024];
    snprintf(keep, sizeof keep, "%s", c->base.errmsg ? c->base.errmsg : "");
    int code = c->base.errcode ? c->base.errcode : SQLITE_ERROR;
    ls_replay_drop(c, st);   /* the failed write (the last logged) is what is undone */
    ls_lean_reset(c);        /* rows sent lean run again with the rowids the log gave them */
    if (PQstatus(c->pg) != CONNECTION_OK)
        return;   /* the connection's loss is the error */
    if (!ls_replay_base_open(c)) {
        st->replayed = 2;
        give_up(c, keep, "its savepoint was not open");
        return;
    }
    if (c->timeout_txn)
        c->busy_timeout_dirty = true;   /* a lock_timeout set under ls_base is undone */
    /* the distinct sequences to pin, and where each stands now (sequences do not roll back) */
    int n = c->n_replay, nseq = 0, ntab = 0;
    const char **seqs = calloc((size_t)n + 1, sizeof *seqs);
    const char **tabs = calloc((size_t)n + 1, sizeof *tabs);
    long long *maxr = calloc((size_t)n + 1, sizeof *maxr);
    PGresult **rs = calloc((size_t)(2 * n + 2), sizeof *rs);
    if (!seqs || !tabs || !maxr || !rs) {
        free(seqs);
        free(tabs);
        free(maxr);
        free(rs);
        st->replayed = 2;
        give_up(c, keep, "out of memory");
        return;
    }
    /* every sequence an entry may draw from (an ignored INSERT draws too), and the largest
     * rowid pinned in each (0: none) */
    for (int i = 0; i < n; i++) {
        ls_replay_entry *e = c->replay[i];
        int t = 0;
        while (t < ntab && strcmp(tabs[t], e->table) != 0)
            t++;
        if (t == ntab)
            tabs[ntab++] = e->table;
        if (!e->seq)
            continue;
        int k = 0;
        while (k < nseq && strcmp(seqs[k], e->seq) != 0)
            k++;
        if (k == nseq)
            seqs[nseq++] = e->seq;
        if (pinned(e) && maxr[k] < e->rowid)
            maxr[k] = e->rowid;
    }
    /* one exchange: the rollback, where each sequence stands (sequences do not roll back;
     * kept in a setting of the transaction), the writes again, each INSERT's sequence
     * pinned to the rowid it returned, and the sequences set back */
    const char *why = NULL;
    char rowid[24], setting[48];
    int nq = 0, *entry_at = calloc((size_t)(2 * n + 2 * nseq + ntab + 1), sizeof *entry_at);
    bool sent = entry_at && PQsendQueryParams(c->pg, "ROLLBACK TO SAVEPOINT " LS_BASE_SP, 0, NULL,
                                              NULL, NULL, NULL, 0);
    if (entry_at)
        entry_at[nq++] = -1;
    /* the tables written are still as the schema cache saw them when the writes were logged:
     * a trigger, rule or default another client added since would run again too (a table
     * under this transaction's writes cannot change: its lock is held) */
    for (int t = 0; sent && t < ntab; t++) {
        char reg[400];
        const char *p[1] = { reg };
        sent = ls_pg_schema_regname(c, tabs[t], reg, sizeof reg) &&
               PQsendQueryParams(c->pg, "SELECT" LS_REPLAY_UNSAFE_SQL " FROM pg_class r"
                                 " WHERE r.oid = to_regclass($1)", 1, NULL, p, NULL, NULL, 0);
        entry_at[nq++] = -2;
    }
    for (int k = 0; sent && k < nseq; k++) {
        snprintf(setting, sizeof setting, "liteshift.replay_seq_%d", k);
        const char *p[2] = { setting, seqs[k] };
        sent = PQsendQueryParams(c->pg, "SELECT set_config($1, coalesce(pg_sequence_last_value("
                                 "$2::regclass)::text, ''), true)", 2, NULL, p, NULL, NULL, 0);
        entry_at[nq++] = -1;
    }
    for (int i = 0; sent && i < n; i++) {
        ls_replay_entry *e = c->replay[i];
        if (pinned(e)) {
            ls_num_format_int64(e->rowid, rowid);
            const char *p[2] = { e->seq, rowid };
            sent = PQsendQueryParams(c->pg, "SELECT setval($1::regclass, $2::bigint, false)", 2,
                                     NULL, p, NULL, NULL, 0);
            entry_at[nq++] = -1;
        }
        sent = sent && PQsendQueryPrepared(c->pg, e->name, e->n, e->vals, e->lens, e->fmts, 0);
        entry_at[nq++] = i;
    }
    for (int k = 0; sent && k < nseq; k++) {
        snprintf(setting, sizeof setting, "liteshift.replay_seq_%d", k);
        ls_num_format_int64(maxr[k], rowid);
        const char *p[3] = { seqs[k], setting, maxr[k] ? rowid : NULL };
        sent = PQsendQueryParams(c->pg, "SELECT setval($1::regclass, greatest(nullif("
                                 "current_setting($2), '')::bigint, $3::bigint))", 3, NULL, p,
                                 NULL, NULL, 0);
        entry_at[nq++] = -1;
    }
    PGresult **rr = sent ? realloc(rs, (size_t)(nq + 1) * sizeof *rr) : NULL;
    if (rr)
        rs = rr;
    int got = rr && ls_pg_sync(c) ? read_all(c, rs, nq) : -1;
    if (PQstatus(c->pg) != CONNECTION_OK)
        why = "the connection was lost";
    else if (got != nq || PQresultStatus(rs[0]) != PGRES_COMMAND_OK)
        why = got < 1 || PQresultStatus(rs[0]) != PGRES_COMMAND_OK
            ? "the rollback to its savepoint failed"
            : "the writes before it could not be run again";
    for (int q = 1; !why && q < nq; q++) {
        ExecStatusType s = PQresultStatus(rs[q]);
        if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
            why = entry_at[q] == -2 ? "a table it wrote could not be looked up"
                : entry_at[q] < 0 ? "its rowid sequence could not be pinned"
                                  : "a write before it failed when run again";
            break;
        }
        if (entry_at[q] == -2 && (PQntuples(rs[q]) != 1 || strcmp(PQgetvalue(rs[q], 0, 0), "f"))) {
            why = "a table it wrote has a trigger, rule or default added since it was read";
            break;
        }
        if (entry_at[q] < 0)
            continue;
        ls_replay_entry *e = c->replay[entry_at[q]];
        if (!e->done)
            continue;   /* its outcome was never read: nothing to compare */
        const char *t = PQcmdTuples(rs[q]);
        long long ch = t && *t ? strtoll(t, NULL, 10) : 0;
        int rows = PQntuples(rs[q]);
        bool rowid_same = !e->has_rowid ||
            (rows > 0 && !PQgetisnull(rs[q], rows - 1, PQnfields(rs[q]) - 1) &&
             ls_num_int64(PQgetvalue(rs[q], rows - 1, PQnfields(rs[q]) - 1)) == e->rowid);
        if (ch != e->changes || !rowid_same)
            why = "a write before it changed other rows when run again";
    }
    clear_all(rs, got > 0 ? got : 0);
    free(seqs);
    free(tabs);
    free(maxr);
    free(rs);
    free(entry_at);
    if (why) {
        st->replayed = 2;
        give_up(c, keep, why);
        return;
    }
    st->replayed = 1;
    c->replay_renew = true;   /* what ran is kept whatever fails next */
    ls_log(LS_LOG_DEBUG, c->id, "statement rolled back: %d writes run again", n);
    ls_conn_error(&c->base, code, "%s", keep);
}
