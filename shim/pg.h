/* SPDX-License-Identifier: MIT
 *
 * The PostgreSQL backend's internal header: connections (ls_pgconn), statements (ls_pgstmt)
 * and values (ls_pgvalue) behind the sqlite3 handles an app holds when USE_POSTGRES=1, and
 * the functions the api_*.c entry points share.
 *
 * Ownership: a connection owns its libpq connection, its statements (a linked list, freed
 * by close_v2), its rewrite cache and its schema cache.  A statement owns its rewrite result,
 * its bound parameter copies and its current row (a PGresult, or a buffered block of rows).
 * Column text and blobs handed to the app point into the current row or into the
 * statement's conversion buffers and stay valid until the next step, reset or finalize on
 * that statement (SQLite's rule).  One connection runs one query at a time (DESIGN §3): a
 * statement that is streaming rows when another statement needs the connection has the
 * rest of its rows drained into memory first (pg_exec.c).
 */
#ifndef LS_PG_H
#define LS_PG_H

#include <libpq-fe.h>
#include <stdint.h>

#include "shim.h"
#include "rewrite.h"

typedef struct ls_pgstmt ls_pgstmt;

/* A value handed to the app (sqlite3_column_value, sqlite3_value_dup). */
typedef struct ls_pgvalue {
    ls_handle h;
    int type;           /* SQLITE_INTEGER, _FLOAT, _TEXT, _BLOB, _NULL */
    sqlite3_int64 i;
    double d;
    char *text;         /* TEXT: NUL-terminated; BLOB: the bytes; owned when owned is set */
    int bytes;
    bool owned;
    char *conv;         /* owned conversion buffer (text of a number) */
} ls_pgvalue;

typedef struct ls_schema_entry ls_schema_entry;
typedef struct ls_appfn ls_appfn;

/* A rewrite result shared by the rewrite cache and its statements (pg_rwcache.c). */
typedef struct ls_rw_shared ls_rw_shared;

/* A statement prepared on the server, shared by every ls_pgstmt with the same rewritten
 * text; owned by the connection's cache (pg_cache.c). */
typedef struct ls_prep ls_prep;

/* A database file this process created (pg_files.c). */
typedef struct ls_dbfile ls_dbfile;

/* Declared column types by table and column (pg_decltype.c). */
typedef struct ls_decl_entry ls_decl_entry;

typedef struct ls_pgconn {
    ls_conn base;               /* must be first: the handle */
    PGconn *pg;
    PGcancel *cancel;           /* for sqlite3_interrupt, usable from another thread; set and
                                 * freed under cancel_mu, which interrupt takes */
    pthread_mutex_t cancel_mu;
    char *filename;             /* as the app opened it */
    char *conninfo;             /* for reconnecting; never logged unredacted */
    unsigned id;                /* connection id in the log */
    ls_pgstmt *stmts;           /* every statement of this connection */
    ls_pgstmt *active;          /* the statement streaming rows, or NULL */
    bool in_txn;                /* an explicit transaction is open (SQLite's view) */
    bool txn_failed;            /* the server lost it (connection lost inside it) */
    int savepoint_depth;        /* app SAVEPOINTs open (a SAVEPOINT outside BEGIN opens one) */
    char (*savepoints)[64];     /* their names, outermost first (savepoint_depth of them, as
                                 * the rewriter gives them); owned, sp_cap allocated */
    int sp_cap;
    bool savepoint_began;       /* the outermost SAVEPOINT started the transaction */
    sqlite3_int64 last_rowid;
    sqlite3_int64 changes;
    sqlite3_int64 total_changes;
    int busy_timeout_ms;
    bool busy_timeout_dirty;    /* send SET lock_timeout before the next statement */
    bool busy_timeout_set;      /* lock_timeout is ours to set (else the server's) */
    int session_wait_ms;        /* the session's lock_timeout as last set, 0: unknown */
    int (*busy_handler)(void *, int);
    void *busy_arg;
    unsigned next_stmt_no;      /* server-side statement names ls_<n> */
    ls_schema_entry *schema;    /* per-table cache (uthash) */
    ls_rw_cache *rw_cache;      /* rewrites by statement text (pg_rwcache.c), or NULL */
    ls_prep *preps;             /* server-side statements by text (pg_cache.c) */
    ls_prep *stale_preps;       /* out of preps since DDL, still used by a statement */
    unsigned n_preps;
    char **dealloc;             /* evicted server statements to DEALLOCATE next exchange */
    int n_dealloc, cap_dealloc;
    int limits[12];             /* sqlite3_limit values */
    char key_text[2][24];       /* the keys, as parameter text, of the database's write lock
                                 * and of its readers' lock in the rollback-journal modes
                                 * (advisory locks, pg_exec.c, D11) */
    Oid lock_oid;               /* the compat pack's lock_key type: an autocommit write takes
                                 * the locks as its parameters are read (pg_exec.c); 0: not
                                 * known, the locks go as statements */
    char main_schema[132];      /* the app's schema, quoted ("x"), for `main.` (S33); ""
                                 * when not known */
    bool wal;                   /* journal_mode=WAL (persisted per database): readers
                                 * never block a COMMIT; else the rollback journal's */
    unsigned shared_txn;        /* the txn_no holding the readers' lock */
    int shared_depth;           /* the savepoint depth it was taken at */
    unsigned table_read_txn;    /* the txn_no that ran a statement naming a table
                                 * without the write lock (sqlite3_txn_state READ) */
    unsigned temp_write_txn;    /* the txn_no that wrote TEMP objects only, without the
                                 * lock (sqlite3_txn_state: temp WRITE) */
    bool lock_rows;             /* LITESHIFT_LOCKING=row: writes take no lock, as before */
    bool lock_prepared;         /* LS_LOCK_STMT exists in this session */
    bool lock_busy;             /* the last statement failed waiting for the write lock */
    unsigned timeout_txn;       /* the txn_no lock_timeout was last set in (a rollback may
                                 * undo it: set again), 0: set outside any transaction */
    unsigned txn_no;            /* transactions begun (SQLite's view), to date the lock */
    unsigned locked_txn;        /* the txn_no that holds the write lock, 0: none */
    unsigned read_txn;          /* the txn_no that ran a statement before taking it */
    bool begin_pending;         /* a deferred BEGIN not sent yet: it goes with the first
                                 * statement of the transaction (ls_pg_send_begin) */
    int lock_depth;             /* app savepoints open when it was taken (ROLLBACK TO) */
    int user_version;           /* cached PRAGMA user_version, -1 unknown */
    int foreign_keys;           /* PRAGMA foreign_keys as the app set it */
    char journal_mode[16];
    bool zombie;                /* closed by close_v2 with statements or blobs left: freed with
                                 * the last */
    int n_blobs;                /* incremental blob handles open (api_blob.c) */
    char private_schema[64];    /* a :memory: database on PostgreSQL: dropped at close */
    unsigned long round_trips;  /* pipelines sent (each ends in one Sync): logged at close */
    bool readonly;              /* SQLITE_OPEN_READONLY or mode=ro: read-only transactions */
    ls_appfn *appfns;           /* app-defined functions and collations (api_func.c) */
    sqlite3 *appfn_db;          /* the private SQLite database they run on, or NULL */
    /* sqlite3_trace_v2, sqlite3_trace and sqlite3_profile (api_stmt.c) */
    unsigned trace_mask;
    int (*trace_v2)(unsigned, void *, void *, void *);
    void *trace_ctx;
    void (*trace_legacy)(void *, const char *);
    void *trace_legacy_arg;
    void (*profile_legacy)(void *, const char *, sqlite3_uint64);
    void *profile_legacy_arg;
    bool pipeline;              /* LITESHIFT_PIPELINE=1: writes in transactions not waited for */
    int n_pipelined;            /* pipelined writes whose results are unread (pg_pipe.c) */
    int pipe_rc;                /* the failure that doomed the transaction, or 0 */
    char *pipe_msg;             /* its message; owned */
    struct ls_pipe_held *held;  /* the last pipelined INSERT, not sent yet (pg_pipe.c) */
    unsigned schema_gen;        /* counts ls_pg_schema_invalidate calls */
    bool sp_prepared;           /* LS_SP_STMT exists in this session (pg_exec.c) */
    bool rel_prepared;          /* LS_REL_STMT exists in this session */
    ls_dbfile *dbfile;          /* the file, when this process created it (pg_files.c) */
    bool ddl_skipped;           /* the server said "already exists, skipping" (42P07) */
    bool master_ins_prepared;   /* LS_MASTER_INS_STMT exists in this session (pg_script.c) */
    bool script_lock_prepared;  /* LS_SCRIPT_LOCK_STMT exists in this session (pg_script.c) */
    bool master_del_prepared;   /* LS_MASTER_DEL_STMT exists in this session */
    char last_sqlstate[6];      /* the SQLSTATE of the last server error (ls_pg_error) */
    bool master_apart;          /* a liteshift.master change failed with its DDL (no pack, no
                                 * privilege): later ones run apart (pg_exec.c ddl_end) */
    ls_decl_entry *decls;       /* declared column types (pg_decltype.c), uthash */
    int (*progress_cb)(void *); /* sqlite3_progress_handler (api_conn.c) */
    void *progress_arg;
    bool progress_armed;        /* an app's sqlite3_step is waiting: call it while waiting */
    bool progress_cancelled;    /* it asked to stop: the server query was cancelled */
    /* sqlite3_set_authorizer (pg_auth.c): the app's callback, the schema replica */
    int (*auth_cb)(void *, int, const char *, const char *, const char *, const char *);
    void *auth_arg;
    sqlite3 *auth_db;
    bool auth_ignored_read;
    bool temp_made;             /* this session ran a CREATE of a TEMP object (pg_temp.c) */
    unsigned temp_txn;          /* the txn_no of a DDL run since (the schema cache is dropped
                                 * once that transaction ended: it may have rolled back) */
    unsigned auth_gen;          /* counts sqlite3_set_authorizer calls */
    bool decls_loaded;
    /* the replay log (pg_replay.c): statement rollback without a savepoint per statement */
    bool replay_off;            /* LITESHIFT_STATEMENT_ROLLBACK=savepoint */
    unsigned base_txn;          /* the txn_no in which SAVEPOINT ls_base is open, 0: none */
    struct ls_replay_entry **replay; /* the writes run since ls_base was opened */
    int n_replay, replay_cap;
    size_t replay_bytes;        /* their parameters' bytes */
    bool replay_renew;          /* open ls_base again before the next statement logged */
    unsigned replay_gen;        /* counts the log's forgetting (ls_pgstmt.log_gen) */
    struct ls_replay_chunk *replay_chunk; /* the log's memory (pg_replay.c) */
    /* inserts sent without their RETURNING under the replay log (pg_lean.c): a run of
     * inserts drawing their rowids from one sequence, the first returned its rowid */
    struct {
        char seq[192];          /* the sequence (ls_rw_result.replay_seq) */
        sqlite3_int64 anchor;   /* the rowid the run's first insert returned */
        sqlite3_int64 n;        /* values drawn since by inserts sent lean */
        unsigned txn;           /* the txn_no of the run */
        bool active;            /* the next insert from seq may go lean */
        bool pending;           /* last_rowid is the run's last insert's: not read yet */
    } lean;
    struct ls_prep *rowid_from; /* the cache entry of the statement last_rowid is from */
} ls_pgconn;

/* A bound value this long (its NUL included) or shorter is copied without an allocation. */
#define LS_BIND_SMALL 32

struct ls_pgstmt {
    ls_handle h;
    ls_pgconn *conn;
    ls_pgstmt *next;            /* in conn->stmts */
    char *sql;                  /* the app's text of this one statement (sqlite3_sql) */
    size_t sql_len;
    ls_rw_result rw;            /* rewritten text, kind, parameter map */
    bool rw_ok;                 /* rw is filled */
    ls_rw_shared *rw_shared;    /* rw is a view of this shared result (a reference) */
    char name[24];              /* server-side prepared statement, "" until prepared */
    ls_prep *prep;              /* its cache entry (a reference), or NULL */
    bool described;             /* columns known (describe or first result) */
    int ncol;                   /* visible columns (the hidden RETURNING one excluded) */
    char **col_names;           /* owned */
    Oid *col_types;
    Oid *col_table;             /* the table of each column (PQftable), 0 for expressions */
    int *col_attnum;            /* its column number there (PQftablecol) */
    char **col_decl;            /* sqlite3_column_decltype answers, made at the first call */
    bool decl_done;
    int *col_field;             /* result field of each visible column (DIALECT T7 hides the
                                 * rowid column from *), or NULL for the identity; owned */
    int *col_class;             /* D2: the field holding each visible column's storage class
                                 * (a typeless column), -1 for none; NULL when none has one */
    /* parameters, indexed by SQLite index 1..sqlite_params ([0] unused) */
    int n_bind;
    char **bind_val;            /* owned copies; NULL = SQL NULL */
    int *bind_len;
    int *bind_fmt;              /* 0 text, 1 binary (blobs) */
    Oid *ptypes;                /* D17: the n_params types the server statement was prepared
                                 * with (pg_exec.c, bound_types), NULL untyped; owned */
    Oid *server_types;          /* D17: the n_params types the server gave the parameters (a
                                 * Describe), NULL until asked; owned */
    unsigned char *bind_cls;    /* SQLITE_INTEGER/FLOAT/TEXT/BLOB, 0 for NULL */
    char (*bind_small)[LS_BIND_SMALL]; /* per slot: where a short value is copied (bind_val
                                 * then points here, not to the heap); owned */
    /* execution state */
    enum { LS_ST_READY = 0, LS_ST_ROWS, LS_ST_DONE } state;
    PGresult *row;              /* result holding the current row, owned */
    int row_idx;                /* the current row within it */
    int nfields;                /* fields of the result (the hidden RETURNING one included) */
    PGresult **buffered;        /* rows not yet stepped: drained or built locally; owned */
    size_t n_buffered, buf_pos, buf_cap;
    int deferred_rc;            /* error met while draining, reported after the rows */
    char *deferred_msg;
    bool streaming;             /* rows still arriving on the connection */
    bool wrapped;               /* the running statement is inside SAVEPOINT ls_stmt */
    bool bind_locked;           /* ... takes the write lock as its parameters are read: its
                                 * SQLITE_BUSY is the lock's (pg_exec.c) */
    int logged;                 /* it runs under ls_base without a savepoint of its own
                                 * (pg_replay.c): 1 + its index in the replay log when it
                                 * writes, -1 when it only reads, 0: not */
    unsigned log_gen;           /* ls_pgconn.replay_gen when it was logged */
    const char *from_sql;       /* the rewrite from_has was found in (pg_exec.c) */
    bool from_has;              /* it names FROM */
    int step_err;               /* the error of its last sqlite3_step, 0: none (api_stmt.c) */
    signed char lean;           /* pg_lean.c: how this run was sent (LS_LEAN_*) */
    unsigned char replayed;     /* its failure was undone by the replay log: 1, or could not
                                 * be and the transaction was rolled back: 2; else 0 */
    unsigned auth_gen;          /* the connection's auth_gen when last authorized */
    struct ls_master_op *tail;  /* DDL outside a transaction: its liteshift.master change,
                                 * sent after it in the same pipeline (pg_exec.c); borrowed */
    bool tail_sent;             /* ... and its result not read yet */
    PGresult *tail_res;         /* ... its result once read; owned */
    ls_pgvalue *vals;           /* nfields column values of the current row */
    bool *val_ok;               /* vals[i] computed for the current row */
    bool busy;
    bool expired;
    unsigned temp_gen;          /* conn->schema_gen + 1 when temp_class was computed, 0 never */
    unsigned rw_gen;            /* conn->schema_gen when rw was made (rewrite_again) */
    unsigned char temp_class;   /* pg_temp.c: 0 takes the lock, 1 temp only, 2 and reads */
    uint64_t trace_t0;          /* when the traced run started (SQLITE_TRACE_PROFILE) */
    sqlite3_stmt *local;        /* evaluated in the app (pg_local.c): its statement on the
                                 * private SQLite database, owned; NULL for the server */
};

/* Session statements for the per-statement savepoint inside transactions (DIALECT S6). */
#define LS_SP_STMT "ls_sp"
#define LS_REL_STMT "ls_rel"

/* The liteshift.master changes of CREATE and DROP, prepared once per session by the DDL
 * scripts of sqlite3_exec (pg_script.c). */
#define LS_MASTER_INS_STMT "ls_mins"
#define LS_MASTER_DEL_STMT "ls_mdel"
#define LS_SCRIPT_LOCK_STMT "ls_slock"   /* a DDL script's write lock, tried (pg_script.c) */

/* SQLite's write lock (docs/compatibility.md D11): one transaction-scoped advisory lock per
 * database, $1 its key, waited for as long as the session's lock_timeout (LS_LOCK_SQL,
 * prepared once per session), or at most $2 ms with the transaction's lock_timeout left as
 * it was (LS_LOCK_TIMED_SQL: when the wait differs from the session's; each level is
 * evaluated before the one above it, OFFSET 0 keeping the subqueries and volatile columns
 * never being dropped).  The first costs the server about a third of the second. */
#define LS_LOCK_SHARED_SQL "SELECT pg_advisory_xact_lock_shared($1::bigint)"
#define LS_LOCK_SHARED_TIMED_SQL                                                           \
    "SELECT set_config('lock_timeout', l.prev, true) FROM "                                \
    "(SELECT t.prev, pg_advisory_xact_lock_shared($1::bigint) FROM "                       \
    "(SELECT p.prev, set_config('lock_timeout', $2, true) FROM "                           \
    "(SELECT current_setting('lock_timeout') AS prev OFFSET 0) p OFFSET 0) t OFFSET 0) l"
#define LS_LOCK_STMT "ls_lock"
#define LS_LOCK_SQL "SELECT pg_advisory_xact_lock($1::bigint)"
#define LS_LOCK_TIMED_SQL                                                                  \
    "SELECT set_config('lock_timeout', l.prev, true) FROM "                                \
    "(SELECT t.prev, pg_advisory_xact_lock($1::bigint) FROM "                              \
    "(SELECT p.prev, set_config('lock_timeout', $2, true) FROM "                           \
    "(SELECT current_setting('lock_timeout') AS prev OFFSET 0) p OFFSET 0) t OFFSET 0) l"

/* Whether the open transaction holds the database's write lock. */
static inline bool ls_pg_write_locked(const ls_pgconn *c)
{
    return c->in_txn && c->locked_txn == c->txn_no;
}

/* name as a PostgreSQL identifier, "quoted" with embedded quotes doubled, into out (cap
 * bytes).  False, out empty, when it does not fit (pg_conn.c). */
bool ls_pg_quote_ident(const char *name, char *out, size_t cap);

/* A deferred transaction's BEGIN (pg_exec.c), when it has not been sent yet: queued in the
 * exchange being built, before anything else of it (writes: whether the transaction's first
 * statement takes the write lock).  1 when queued (one more result, a command's, to read
 * first), 0 when there was nothing to send, -1 when libpq refused it. */
int ls_pg_send_begin(ls_pgconn *c, bool writes);

/* End the pipeline being sent: one round trip.  Returns PQpipelineSync's answer. */
static inline int ls_pg_sync(ls_pgconn *c)
{
    c->round_trips++;
    return PQpipelineSync(c->pg);
}

/* The next result of the pipeline being read, or NULL once its Sync has arrived (and been
 * consumed) or the connection is gone.  Callers loop: for (r; (r = ls_pg_next_result(c));). */
/* sqlite3_progress_handler while a step waits for the server (api_conn.c). */
void ls_pg_progress_wait(ls_pgconn *c);

/* rc of st's step: when it is SQLITE_INTERRUPT for an INSERT, UPDATE or DELETE inside an
 * explicit transaction, the whole transaction is rolled back, as SQLite does (pg_exec.c). */
int ls_pg_interrupted(ls_pgstmt *st, int rc);

/* sqlite3_set_authorizer (pg_auth.c): ls_pg_authorize compiles sql in the schema replica
 * with the app's callback and answers its verdict (SQLITE_OK, or the error set on c);
 * ls_pg_auth_invalidate drops the replica (after DDL, at close). */
int ls_pg_authorize(ls_pgconn *c, const char *sql, size_t len);

/* A query of the shim's own between the app's statements (catalog reads, liteshift.master):
 * the connection freed first, the query inside a savepoint when the app's transaction is
 * open, so that its failure leaves that transaction as it was.  *rows gets the first rows
 * result (the caller clears it) or NULL; a failure of the query itself is SQLITE_OK with its
 * message in err.  Another code when the connection could not be freed or reached
 * (pg_conn.c).  change: the query writes what belongs to the app's transaction
 * (liteshift.master), whose deferred BEGIN, not sent yet, goes first; a read (false) runs
 * outside such a transaction, which stays unbegun: its isolation is chosen by the app's first
 * statement (D11), and a catalog read of the authorizer or decltype must not choose it. */
int ls_pg_side_query(ls_pgconn *c, bool change, const char *sql, int np,
                     const char *const *params, PGresult **rows, char *err, size_t errcap);

/* The DDL text helpers of pg_master.c: the next significant token at or after *pos (off
 * set), a name token's text without its quotes into out, and whether t is the one-character
 * operator ch. */
bool ls_ddl_next_tok(const char *sql, size_t len, size_t *pos, ls_token *t);
bool ls_ddl_name(const char *sql, const ls_token *t, char *out, size_t cap);
static inline bool ls_ddl_is_op(const char *sql, const ls_token *t, char ch)
{
    return t->type == LS_TK_OPERATOR && t->len == 1 && sql[t->off] == ch;
}
void ls_pg_auth_invalidate(ls_pgconn *c);

/* PQgetResult, calling the app's progress handler while it waits. */
static inline PGresult *ls_pg_get_result(ls_pgconn *c)
{
    if (LS_UNLIKELY(c->progress_armed))
        ls_pg_progress_wait(c);
    return PQgetResult(c->pg);
}

static inline PGresult *ls_pg_next_result(ls_pgconn *c)
{
    for (;;) {
        PGresult *r = ls_pg_get_result(c);
        if (!r) {
            if (PQstatus(c->pg) != CONNECTION_OK)
                return NULL;
            continue;
        }
        if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            return NULL;
        }
        return r;
    }
}

/* ---- connections (pg_conn.c) ---- */
int ls_pg_open(const char *filename, sqlite3 **out, int flags);
/* Leave c's lock (lk, from ls_enter) after a statement or blob of c was freed; when c is a
 * zombie whose last statement and blob are now gone, free it.  Decided while the lock is
 * still held, so that one thread frees it (finalize and blob_close: the mutex goes with
 * the connection). */
void ls_pg_conn_leave_reap(ls_pgconn *c, ls_lock lk);
LS_MUSTCHECK int ls_pg_ensure_connected(ls_pgconn *c);

/* ---- original DDL text (pg_master.c) ---- */
/* One DDL statement's change to liteshift.master: the query and its parameters (pointing
 * into the op itself, which must not move), and what the files bookkeeping needs. */
/* Who makes an object, and in which file (pg_files.c, ls_files_origin). */
typedef struct ls_files_origin_t {
    char gen[80];        /* the file's generation */
    char me[160];        /* this process's identity */
    char lineage[2048];  /* it and its ancestors, a text[] literal */
    char start[24];      /* its start, clock ticks since boot */
    char born[24];       /* when it created the file, "" when it did not */
} ls_files_origin_t;

typedef struct ls_master_op {
    const char *query;          /* static text */
    const char *plain;          /* the same without the origin columns (compat pack < 28) */
    int np;
    const char *params[9];
    char *text;                 /* the statement's text; owned until ls_pg_master_done */
    const char *type;           /* "table", "index", "view", "trigger" */
    char name[256];
    char tbl[256];
    char extra[256];            /* RENAME TO, RENAME COLUMN: the new name */
    char col[256];              /* RENAME COLUMN, DROP COLUMN: the column */
    bool new_quoted;            /* RENAME COLUMN: the new name was written quoted */
    enum { M_NONE, M_CREATE, M_DROP, M_RENAME, M_ADDCOL, M_RENAMECOL, M_DROPCOL } op;
    bool temp;                  /* CREATE TEMP ..., or CREATE ... temp.name */
    bool unique;                /* CREATE UNIQUE INDEX */
    bool via_func;              /* query is liteshift.master_change (a TEMP object, or any
                                   but CREATE TABLE/VIEW once the session made one) */
    char qual[64];              /* the schema the statement named ("main", "temp"), or "" */
    size_t name_off;            /* CREATE: offset of the object's name (past a schema) */
    bool if_not_exists;         /* CREATE ... IF NOT EXISTS: a record found keeps its origin */
    bool if_exists;             /* DROP ... IF EXISTS */
    ls_files_origin_t origin;   /* CREATE TABLE/VIEW on a database file: who makes it */
    size_t coldef;              /* ADD COLUMN: offset of the column definition in text */
} ls_master_op;
/* The change the DDL text sql[0..len) makes to liteshift.master; false when none (or out of
 * memory).  After true, call ls_pg_master_done once. */
bool ls_pg_master_plan(ls_pgconn *c, const char *sql, size_t len, ls_master_op *m);
/* Whether the DDL text may run in one pipeline with the rest of its sqlite3_exec script
 * (pg_script.c): CREATE TABLE name (...), CREATE [UNIQUE] INDEX, DROP TABLE, DROP
 * INDEX, DROP VIEW, each with or without IF [NOT] EXISTS. */
bool ls_ddl_script_kind(const char *sql, size_t len);
/* Whether the DDL text is CREATE ... IF NOT EXISTS or DROP ... IF EXISTS. */
bool ls_ddl_conditional(const char *sql, size_t len);
/* The DDL and m->query ran (rows: the query's rows result, or NULL when it failed or did
 * not run): the files bookkeeping, then m's text is freed. */
void ls_pg_master_done(ls_pgconn *c, ls_master_op *m, const PGresult *rows);
/* Record a successful CREATE/DROP/ALTER's effect on liteshift.master (best effort, logged):
 * plan, ls_pg_side_query, done. */
void ls_pg_master_record(ls_pgconn *c, const char *sql, size_t len);

/* Database files this process had open (pg_files.c, docs/compatibility.md D1).
 * ls_files_created: the shim just created path (fd open on it): remember it, one handle.
 * ls_files_attach: an existing file; the remembered entry with its inode gains a handle, or
 * a new entry remembers it (NULL when out of memory).  ls_files_detach: a connection closed.
 * ls_files_track/untrack: a table or view created, dropped (new_name NULL) or renamed.
 * ls_files_origin: what liteshift.master records about an object created now through a
 * connection on f (false: nothing, f NULL or no lineage).
 * ls_files_collect: on a new connection, move aside (LITESHIFT_DELETED) what this process
 * and its descendants created in files that are gone and it no longer has open. */
struct stat;
ls_dbfile *ls_files_created(const char *path, int fd, const char *conninfo);
ls_dbfile *ls_files_attach(const char *path, const struct stat *sb, const char *conninfo);
bool ls_files_origin(const ls_dbfile *f, ls_files_origin_t *o);
void ls_files_detach(ls_dbfile *f);
void ls_files_track(ls_dbfile *f, const char *schema, const char *name, bool view);
void ls_files_untrack(ls_dbfile *f, const char *name, const char *new_name);
void ls_files_collect(ls_pgconn *c);

/* The declared type (as written in the kept CREATE TABLE) of column attnum of table, NULL
 * when declared without a type; *known is false when the table has no kept text
 * (pg_decltype.c).  ls_pg_decl_invalidate: after DDL and at close. */
const char *ls_pg_decl_lookup(ls_pgconn *c, Oid table, int attnum, bool *known);
void ls_pg_decl_invalidate(ls_pgconn *c);

/* ---- execution (pg_exec.c) ---- */
/* The session's lock_timeout, in ms, that the busy timeout or handler asks for now (sent
 * before the next statement when busy_timeout_dirty is set). */
int ls_pg_session_wait(const ls_pgconn *c);
/* Run one statement to completion or to its first row.  Returns SQLITE_ROW, SQLITE_DONE or
 * an error code with the connection's error set. */
LS_MUSTCHECK int ls_pg_exec_step(ls_pgstmt *st);
/* Release the statement's rows and, if it is the active stream, drain and finish it. */
void ls_pg_exec_reset(ls_pgstmt *st);
/* Finish the active stream (buffering its rows) so the connection is free. */
LS_MUSTCHECK int ls_pg_free_connection(ls_pgconn *c);
/* Whether the server statement was prepared with the parameter types the values bound now
 * need (D17: blobs as bytea, storage-class arguments by their class). */
bool ls_pg_types_current(const ls_pgstmt *st);
/* Whether every blob bound to an untyped parameter is known to go where PostgreSQL takes it
 * (a bytea or text parameter): only then may the execution be sent unchecked. */
bool ls_pg_blobs_known_ok(const ls_pgstmt *st);
/* Describe a statement without running it (column names before the first step). */
LS_MUSTCHECK int ls_pg_describe(ls_pgstmt *st);

/* ---- DDL scripts of sqlite3_exec in one pipeline (pg_script.c) ---- */
/* The most statements a script may have to run in one pipeline. */
#define LS_SCRIPT_MAX 64
/* Whether the script sql (NUL-terminated) is 2 to LS_SCRIPT_MAX statements that all
 * qualify (ls_ddl_script_kind) on a connection where the pipeline keeps SQLite's
 * semantics: outside a transaction, no authorizer, no app-defined functions. */
bool ls_pg_script_ddl(const ls_pgconn *c, const char *sql);
/* Run the n prepared statements sts (not stepped yet) in one pipeline and one transaction,
 * each with its liteshift.master change.  SQLITE_OK: all done (each statement is then
 * LS_ST_DONE; the caller frees them).  -1: nothing done, nothing set on c; the caller runs
 * them one at a time, which gives SQLite's partial result and error.  Another code: nothing
 * done, the error set on c (an interrupt, a connection that failed while sending). */
LS_MUSTCHECK int ls_pg_script_run(ls_pgconn *c, ls_pgstmt **sts, int n);

/* ---- statements (api_stmt.c) ---- */
/* sqlite3_expanded_sql: the app's text with each parameter replaced by its bound value as
 * an SQLite literal (expand.c); sqlite3_malloc'd, NULL on OOM. */
char *ls_pg_expand_sql(ls_pgstmt *st);
void ls_pgstmt_free(ls_pgstmt *st);
int ls_pg_prepare(ls_pgconn *c, const char *sql, int nbytes, ls_pgstmt **out, const char **tail);

/* ---- server-side statement cache (pg_cache.c) ---- */
/* The cached server statement for sql, with a reference taken, or NULL. */
ls_prep *ls_prep_lookup(ls_pgconn *c, const char *sql);
/* Record that st's statement now exists on the server under st->name; takes a reference. */
ls_prep *ls_prep_add(ls_pgconn *c, const char *sql, const char *name);
/* Drop a reference; evicts least recently used unreferenced entries past the bound. */
void ls_prep_release(ls_pgconn *c, ls_prep *p);
/* Forget every entry (the session is gone); nothing is sent. */
void ls_prep_forget_all(ls_pgconn *c);
const char *ls_prep_name(const ls_prep *p);
/* Deallocate a server statement with the next exchange. */
void ls_prep_dealloc_later(ls_pgconn *c, const char *name);
/* pg_pipe.c's knowledge of an INSERT ... RETURNING <rowid> entry: its twin prepared without
 * the RETURNING ("lean"), and whether a successful run always inserts a row.  Kept with the
 * entry; the twin is deallocated with it. */
typedef struct ls_prep_lean {
    char name[24];      /* the twin's server name, "" when it has none */
    signed char state;  /* 0 not looked at yet, 1 looked at, -1 no twin */
    unsigned char runs; /* pipelined runs in transaction txn before it was looked at */
    bool certain;       /* VALUES into a table nothing can make skip a row (as of gen) */
    unsigned gen;       /* ls_pgconn.schema_gen when certain was found */
    unsigned txn;       /* ls_pgconn.txn_no of the runs counted and of a certain verdict */
    /* the default mode (pg_lean.c): inserts under the replay log sent without RETURNING */
    signed char dm_shape; /* 0 not looked at, 1 one VALUES row, rowid drawn, -1 not (dm_gen) */
    bool dm_sure;       /* its table draws the rowid from an identity, nothing else runs
                         * (as of dm_txn) */
    bool read;          /* the app read last_insert_rowid() after one of its runs */
    char pending[24];   /* the twin's name while its Prepare is on its way */
    unsigned short dm_runs; /* its runs in transaction dm_txn */
    unsigned dm_gen, dm_txn;
} ls_prep_lean;
ls_prep_lean *ls_prep_lean_of(ls_prep *p);
/* pg_exec.c's twin of an entry with one or two parameters more, of the compat pack's
 * lock_key type: the write lock, and the readers' lock, taken as its parameters are read.
 * Deallocated with the entry. */
typedef struct ls_prep_locked {
    char name[24];      /* the twin's server name, "" when it has none */
    int m;              /* its parameters of type lock_key */
} ls_prep_locked;
ls_prep_locked *ls_prep_locked_of(ls_prep *p);

/* Whether st is an INSERT, UPDATE or DELETE. */
static inline bool ls_pg_writes_rows(const ls_pgstmt *st)
{
    return st->rw.kind == LS_RW_INSERT || st->rw.kind == LS_RW_UPDATE ||
           st->rw.kind == LS_RW_DELETE;
}

/* ---- values (pg_types.c) ---- */
/* Fill v from field of row of r, a text-format result that outlives v's use. */
void ls_pgvalue_set(ls_pgvalue *v, const PGresult *r, int row, int field);
void ls_pgvalue_clear(ls_pgvalue *v);
/* D2: v, the text of a typeless column, read with the storage class in field (1 INTEGER,
 * 2 REAL, 4 BLOB as \x<hex>); a NULL class, 3, or a text that is not what the class says
 * leaves v as it is. */
void ls_pgvalue_class(ls_pgvalue *v, const PGresult *r, int row, int field);
sqlite3_int64 ls_pgvalue_int64(const ls_pgvalue *v);
double ls_pgvalue_double(const ls_pgvalue *v);
const unsigned char *ls_pgvalue_text(ls_pgvalue *v);
const void *ls_pgvalue_blob(ls_pgvalue *v);
int ls_pgvalue_bytes(ls_pgvalue *v);
/* Numbers on the hot path (pg_num.c).  ls_num_int64 and ls_num_double answer exactly what
 * strtoll(s, NULL, 10) and strtod(s, NULL) answer, faster for PostgreSQL's own output;
 * ls_num_format_int64 writes v as "%lld" does into buf (21 bytes at least) and returns
 * the length. */
sqlite3_int64 ls_num_int64(const char *s);
double ls_num_double(const char *s);
int ls_num_format_int64(sqlite3_int64 v, char *buf);
/* snprintf(buf, cap, "%.17g", d), the same text (buf: 32 bytes at least for the fast
 * path), and its length. */
int ls_num_format_double17(double d, char *buf, size_t cap);
/* SQLite's storage class for a PostgreSQL type. */
int ls_pg_type_class(Oid oid);
/* SQLite's text for a double ("%!.15g": 1.0, 0.3, 1.0e+20). buf >= 32 bytes. */
void ls_pg_format_double(double d, char *buf, size_t cap);

/* ---- app-defined functions (api_func.c) ---- */
void ls_pg_appfn_free_all(ls_pgconn *c);
/* Whether name[0..len) is an app-defined function (any number of arguments), collation. */
bool ls_pg_appfn_known(const ls_pgconn *c, const char *name, size_t len);
bool ls_pg_appcoll_known(const ls_pgconn *c, const char *name, size_t len);
/* For an error message "no such collation sequence: NAME" where NAME is an app collation:
 * the explanation to append (static text), else "". */
const char *ls_pg_appcoll_note(const ls_pgconn *c, const char *msg);
/* The connection's private in-memory SQLite database with every app-defined function and
 * collation registered (opened at the first need); owned by c, NULL when it cannot be
 * opened (logged).  Use it through ls_real only. */
sqlite3 *ls_pg_appfn_db(ls_pgconn *c);

/* ---- statements evaluated in the app (pg_local.c, docs/compatibility.md D3) ---- */
/* After st's rewrite: when it calls an app-defined function (or collation) and reads no
 * table, compile it on the private database and set st->local.  SQLITE_OK when it goes to
 * the server or was compiled; else SQLite's error, set on c (an error SQLite reports at
 * prepare whatever the schema: a syntax error, a wrong number of arguments). */
LS_MUSTCHECK int ls_pg_local_prepare(ls_pgconn *c, ls_pgstmt *st);
/* The same for a statement the rewriter refused (st->rw empty): when it compiles on the
 * private database, st->rw gets SQLite's parameter map and st->local is set. */
LS_MUSTCHECK int ls_pg_local_unrewritten(ls_pgconn *c, ls_pgstmt *st);
/* sqlite3_step for a local statement: the parameters bound to st, then one row into
 * st->vals (SQLITE_ROW), SQLITE_DONE, or SQLite's error set on the connection. */
LS_MUSTCHECK int ls_pg_local_step(ls_pgstmt *st);
/* sqlite3_reset and finalize of the local statement (the row itself: ls_pg_exec_reset). */
void ls_pg_local_reset(ls_pgstmt *st);
void ls_pg_local_free(ls_pgstmt *st);
/* One step of st, on the server or in the app: every sqlite3_step goes through here. */
static inline int ls_pg_run_step(ls_pgstmt *st)
{
    return LS_UNLIKELY(st->local != NULL) ? ls_pg_local_step(st) : ls_pg_exec_step(st);
}

/* ---- errors ---- */
/* Record the error of a failed result (or of the connection) on c; returns the code. */
int ls_pg_error(ls_pgconn *c, const PGresult *res);

/* ---- pipelined writes (pg_pipe.c, LITESHIFT_PIPELINE=1) ---- */
/* Whether st's execution may be sent without waiting for its result. */
bool ls_pg_pipe_can(const ls_pgstmt *st);
/* Send st's execution, not waiting: SQLITE_DONE, an error when it could not be sent, or -1
 * when it must run the usual way after all (the transaction was found doomed or lost). */
LS_MUSTCHECK int ls_pg_pipe_send(ls_pgstmt *st);
/* Read the results of every pipelined write; a failure dooms the transaction (pipe_rc). */
void ls_pg_pipe_wait(ls_pgconn *c);
/* ls_pg_pipe_wait when anything is pending (changes, last_insert_rowid). */
void ls_pg_pipe_settle(ls_pgconn *c);
/* Record the failure that dooms the transaction (the first one only): the transaction is
 * lost on the server; every later statement returns this error, COMMIT rolls back. */
void ls_pg_pipe_doom(ls_pgconn *c, int rc);
/* Forget pending writes and the doom (the transaction ended or the session is gone). */
void ls_pg_pipe_reset(ls_pgconn *c);

/* ---- rewrite cache (pg_rwcache.c) ---- */
/* Fill st->rw with the rewrite of sql[0..n), from the cache when the same text was
 * rewritten before (st takes a reference; release with ls_pg_rewrite_release).  Returns
 * SQLITE_OK, or the rewriter's code with err filled. */
LS_MUSTCHECK int ls_pg_rewrite(ls_pgconn *c, const char *sql, size_t n, ls_pgstmt *st, ls_err *err);
void ls_pg_rewrite_release(ls_pgstmt *st);
/* Whether exactly sql[0..n) is in the cache (then it is one whole statement). */
bool ls_pg_rewrite_cached(ls_pgconn *c, const char *sql, size_t n);
/* Forget every cached rewrite (the schema changed); statements keep theirs. */
void ls_pg_rewrite_cache_clear(ls_pgconn *c);
void ls_pg_rewrite_cache_free(ls_pgconn *c);

/* ---- schema cache (pg_schema.c) ---- */
const ls_rw_schema *ls_pg_schema(ls_pgconn *c);
void ls_pg_schema_invalidate(ls_pgconn *c);
/* Whether name (canonical) resolves to a TEMP relation of kind ('r' table, 'v' view, 'i'
 * index) without triggers or rules; false when unknown or the catalog could not be read.
 * May cost a round trip. */
bool ls_pg_schema_temp(ls_pgconn *c, const char *name, char kind);

/* The schema cache forgets what a TEMP DDL of a transaction that has ended may have left
 * (a rolled-back temp table): before a rewrite consults it (D2 class columns, T7), and
 * before a write is classified. */
void ls_pg_temp_settle(ls_pgconn *c);
/* ---- writes to TEMP objects (pg_temp.c, docs/compatibility.md D11) ----
 * ls_pg_temp_write: whether st, a write, changes only TEMP objects (it then takes no write
 * lock); *reads false when it reads no table either (INSERT ... VALUES, CREATE TEMP TABLE
 * t(...)).  Cached per statement until the schema changes; false at once while the session
 * made no TEMP object.  ls_pg_temp_note: a DDL statement's text is about to run: note a
 * TEMP object made, and a DDL in a transaction once one was (ROLLBACK TO calls
 * ls_pg_temp_rolled_back: the schema cache is then dropped). */
bool ls_pg_temp_write(ls_pgstmt *st, bool *reads);
void ls_pg_temp_note(ls_pgconn *c, const char *sql, size_t len);
void ls_pg_temp_rolled_back(ls_pgconn *c);

/* Roll the whole open transaction back on the server (when it was begun there) and end it
 * for the app, as SQLite's automatic rollbacks do; the connection's error stays as it was
 * (pg_exec.c). */
void ls_pg_txn_rollback(ls_pgconn *c);

/* ---- the replay log (pg_replay.c) ---- */
/* Whether the table r (pg_class) has something that runs with a write to it and could write
 * differently when the write runs again: a trigger of its own or of a table its rows cascade
 * to, a rule, a default calling a function; or is no plain table.  SQL, r the alias. */
#define LS_REPLAY_UNSAFE_SQL                                                               \
    " r.relkind <> 'r' OR r.relhasrules"                                                   \
    "  OR EXISTS (SELECT FROM pg_trigger g WHERE g.tgrelid = r.oid AND NOT g.tgisinternal)" \
    "  OR EXISTS (SELECT FROM pg_constraint f JOIN pg_trigger g ON g.tgrelid = f.conrelid"  \
    "   AND NOT g.tgisinternal WHERE f.confrelid = r.oid AND f.contype = 'f')"              \
    "  OR EXISTS (SELECT FROM pg_attrdef d WHERE d.adrelid = r.oid"                         \
    "   AND pg_get_expr(d.adbin, d.adrelid) LIKE '%(%')"
/* The text to_regclass reads for a schema cache key (a canonical name, or LS_RW_MAIN_KEY and
 * one); false when it does not fit. */
bool ls_pg_schema_regname(const ls_pgconn *c, const char *key, char *out, size_t cap);
/* Whether st, about to run with nothing else to take first (lock, readers' lock, session
 * commands), may run under ls_base without a savepoint of its own. */
bool ls_replay_can(const ls_pgconn *c, const ls_pgstmt *st);
/* Whether SAVEPOINT ls_base is open in the transaction running now. */
bool ls_replay_base_open(ls_pgconn *c);
/* Queue RELEASE SAVEPOINT ls_base when it is open (the log is forgotten): 1 when queued (one
 * more result to read), 0 when not open, -1 when libpq could not queue it. */
int ls_replay_send_close(ls_pgconn *c);
/* Queue what st needs before it under ls_base (its renewal, or its opening) and log it with
 * the n parameters it is sent with; returns the number of results queued, -1 on failure. */
int ls_replay_send_open(ls_pgconn *c, ls_pgstmt *st, int n, const char *const *vals,
                        const int *lens, const int *fmts);
/* st, logged, failed or was never sent whole: out of the log. */
void ls_replay_drop(ls_pgconn *c, ls_pgstmt *st);
/* st, logged (a write, or a read: nothing to note), completed: r is its last result (the
 * changes, the rowid it returned). */
void ls_replay_done(ls_pgconn *c, ls_pgstmt *st, const PGresult *r);
/* st, logged, failed (its error set on the connection): roll back to ls_base and run the
 * writes logged before it again, so that only st is undone, as SQLite's statement
 * rollback.  When that cannot be done exactly the whole transaction is rolled back and the
 * error says so. */
void ls_replay_recover(ls_pgconn *c, ls_pgstmt *st);
/* The log's savepoint is no more (a rollback took it): forget it and the log. */
void ls_replay_gone(ls_pgconn *c);
/* Forget the log (the transaction ended, its savepoint went). */
void ls_replay_forget(ls_pgconn *c);
/* Forget it and give its memory back (the connection closes). */
void ls_replay_free(ls_pgconn *c);

/* ---- inserts without their RETURNING under the replay log (pg_lean.c) ---- */
/* Whether st is an INSERT of one VALUES row (no conflict clause, SQLite's ABORT, FAIL or
 * ROLLBACK) that does not name the rowid column and ends in " RETURNING <rowid>": the
 * length of its text without that, and where its table's name is (pg_pipe.c). */
bool ls_pg_lean_shape(const ls_pgstmt *st, size_t *lean_len, size_t *tab_off, size_t *tab_len);
/* Queue the Prepare of st's twin without its RETURNING (the first len bytes of its text)
 * under a new name, written to name (24 bytes, "" unless queued): 1 queued, 0 out of memory
 * (nothing queued), -1 libpq refused (pg_pipe.c). */
int ls_pg_send_lean_twin(ls_pgstmt *st, size_t len, char name[24]);
enum { LS_LEAN_NONE = 0, LS_LEAN_ANCHOR, LS_LEAN_LOOK, LS_LEAN_GO };
/* How st, an execution about to be sent (logged: under the replay log), goes: lean
 * (LS_LEAN_GO), with its RETURNING as a run's first insert (ANCHOR; LOOK: and its table
 * asked about first), or as any statement (NONE). */
int ls_lean_plan(ls_pgstmt *st, bool logged);
/* Queue what st's plan needs before it, from *pre on: the pending rowid asked (unless st
 * continues the run), the lean twin's Prepare and the table's question (LOOK).  The
 * indices of their results go to at[3] (-1: not queued).  False when libpq refused. */
bool ls_lean_send(ls_pgstmt *st, int *pre, int at[3]);
/* Queue the pending rowid's question unless *at says it is queued already (a renewal of
 * ls_base forgets the run's log entries): its result's index to *at.  False when libpq
 * refused. */
bool ls_lean_send_resolve(ls_pgconn *c, int *pre, int *at);
/* The result of the k-th queued command, at[] as ls_lean_send filled it. */
void ls_lean_take(ls_pgstmt *st, int k, const int at[3], const PGresult *r);
/* st, logged, completed with r: the run's bookkeeping; *predicted the rowid a lean insert
 * is given in the log (0 for none). */
void ls_lean_done(ls_pgstmt *st, const PGresult *r, sqlite3_int64 *predicted);
/* Ask the server for the pending rowid now (a round trip): before last_insert_rowid() is
 * read and before anything else uses the connection outside start(). */
void ls_lean_settle(ls_pgconn *c);
/* The run ends and its pending rowid is the one the log gave its last insert: the replay
 * log ran the run's writes again with those rowids (or rolled the transaction back), or the
 * session is gone. */
void ls_lean_reset(ls_pgconn *c);

#endif
