/* SPDX-License-Identifier: MIT
 *
 * The copy tool's internal interface: SQLite -> PostgreSQL (copy_fwd.c), PostgreSQL ->
 * SQLite (copy_back.c), value-by-value verification (copy_verify.c) and the small helpers
 * they share (copy_util.c: growable buffer, identifier quoting, UTF-8 check, exact double
 * text, PostgreSQL binary COPY encoding, JSON text, progress).
 *
 * Ownership: an ls_copy_opts is borrowed by every function; strings in it are argv's.
 * Errors are written once, where they are found, to stderr with the object named (table,
 * rowid, column, value); functions return 0 for success and 1 for failure (the exit code).
 */
#ifndef LS_COPY_H
#define LS_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libpq-fe.h>
#include <sqlite3.h>

typedef enum ls_bad_policy { LS_BAD_FAIL = 0, LS_BAD_NULL, LS_BAD_TEXT } ls_bad_policy;
typedef enum ls_if_exists { LS_IFX_FAIL = 0, LS_IFX_DROP, LS_IFX_TRUNCATE } ls_if_exists;

#define LS_COPY_MAX_FILTER 64

typedef struct ls_copy_opts {
    const char *src, *dst;
    const char *schema;          /* target (or source, backwards) PostgreSQL schema */
    const char *include[LS_COPY_MAX_FILTER];
    size_t n_include;
    const char *exclude[LS_COPY_MAX_FILTER];
    size_t n_exclude;
    ls_if_exists if_exists;
    ls_bad_policy on_bad;
    bool dry_run, no_verify, quiet;
    int jobs;
    const char *report;          /* JSON report path or NULL */
    long kill_after_rows;        /* test hook: SIGKILL self after this many rows (0: off) */
} ls_copy_opts;

/* ---- growable buffer (sticky out-of-memory flag, checked once) ---------------------- */
typedef struct ls_cb {
    char *p;
    size_t len, cap;
    bool oom;
} ls_cb;

void ls_cb_add(ls_cb *b, const void *s, size_t n);
void ls_cb_str(ls_cb *b, const char *s);
void ls_cb_printf(ls_cb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ls_cb_ident(ls_cb *b, const char *name);   /* "name" with " doubled */
void ls_cb_lit(ls_cb *b, const char *s);        /* 'text' with ' doubled (SQL literal) */
void ls_cb_json(ls_cb *b, const char *s, size_t n); /* JSON string, bytes escaped */
void ls_cb_free(ls_cb *b);
/* Room for n more bytes and the terminating NUL; false (and b->oom) when memory ran out. */
bool ls_cb_reserve(ls_cb *b, size_t n);

/* Big-endian integers (PostgreSQL's binary COPY), inline: several per value of every row. */
static inline unsigned char *ls_cb_room(ls_cb *b, size_t n)
{
    if (b->len + n + 1 > b->cap && !ls_cb_reserve(b, n))
        return NULL;
    unsigned char *p = (unsigned char *)b->p + b->len;
    b->len += n;
    p[n] = 0;
    return p;
}

static inline void ls_cb_u16(ls_cb *b, uint16_t v)
{
    unsigned char *p = ls_cb_room(b, 2);
    if (p)
        p[0] = (unsigned char)(v >> 8), p[1] = (unsigned char)v;
}

static inline void ls_cb_u32(ls_cb *b, uint32_t v)
{
    unsigned char *p = ls_cb_room(b, 4);
    if (p)
        p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16),
        p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

static inline void ls_cb_u64(ls_cb *b, uint64_t v)
{
    unsigned char *p = ls_cb_room(b, 8);
    if (p)
        for (int i = 0; i < 8; i++)
            p[i] = (unsigned char)(v >> (56 - 8 * i));
}

/* ---- values ---------------------------------------------------------------------- */
/* Valid UTF-8 (no overlongs, no surrogates) without NUL bytes: what PostgreSQL text holds. */
bool ls_copy_pg_text_ok(const unsigned char *s, size_t n);
/* Shortest %.Ng text (N = 15..17) that reads back as exactly d; out has 32 bytes. */
void ls_copy_dbl_text(double d, char out[32]);
/* PostgreSQL binary numeric from decimal text ("-12.5e3"); false when it is not one. */
bool ls_copy_numeric_bin(ls_cb *b, const char *s);
/* A short printable rendering of a SQLite value for error messages (static buffer). */
const char *ls_copy_show(sqlite3_value *v);

/* ---- D2: columns declared without a type (copy_class.c) --------------------------------- */
/* The codes of the smallint "<name>:class" column that follows such a column on PostgreSQL
 * (rewrite.h, LS_CLASS_SUFFIX): SQLite's storage class of the value beside it. */
#define LS_CLASS_INTEGER 1
#define LS_CLASS_REAL 2
#define LS_CLASS_TEXT 3
#define LS_CLASS_BLOB 4
/* The verification's column type for such a column: values compare in SQLite's own domain
 * (storage class and value), as on the SQLite-pair path. */
#define LS_COPY_OID_CLASSED 0u

/* '\x' and the lower-case hex of n bytes, appended to b: a BLOB in a class-4 text. */
void ls_copy_hex(ls_cb *b, const void *p, size_t n);

typedef struct ls_classed {
    int type;                  /* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT or SQLITE_BLOB */
    sqlite3_int64 i;           /* INTEGER */
    double d;                  /* FLOAT */
    const unsigned char *p;    /* TEXT: s itself; BLOB: the decoded bytes, in scratch */
    size_t n;
} ls_classed;

/* The value of a typeless column read from PostgreSQL: its text s (n bytes, not NUL-terminated,
 * never NULL here) with its class cls (0 for a NULL class).  Class 1 text that is not a 64-bit
 * integer, class 2 text that is not a number or is a NaN (SQLite has none; the shim reads it
 * as text too), class 4 text that is not '\x' + hex, and any other class come back as the
 * text itself.  Fills *out (pointers valid while s and scratch
 * are); false only when scratch ran out of memory. */
bool ls_copy_unclass(const unsigned char *s, size_t n, int cls, ls_cb *scratch,
                     ls_classed *out);

/* ---- PostgreSQL helpers --------------------------------------------------------------- */
/* Run sql; 0 when it returned commands-ok/tuples-ok, else print "what: server message". */
int ls_pg_exec(PGconn *pg, const char *sql, const char *what);
/* One text value of a one-row query, malloc'ed (caller frees), or NULL. */
char *ls_pg_value(PGconn *pg, const char *sql);
PGconn *ls_pg_open(const char *url);

/* ---- progress ---------------------------------------------------------------------- */
double ls_copy_now(void);
void ls_copy_progress(const ls_copy_opts *o, const char *table, long long done, long long total,
                      double started);

/* ---- triggers (copy_trigger.c) ---------------------------------------------------------- */
/* PL/pgSQL function + CREATE TRIGGER for one SQLite CREATE TRIGGER into out; 1 with the
 * reason in err when it cannot be translated. */
int ls_copy_trigger(const char *sql, const char *schema, ls_cb *out, char *err, size_t cap);

/* ---- the source's integrity check (copy_check.c) ------------------------------------------ */
/* Starts db's read transaction (the copy's snapshot) and PRAGMA integrity_check on that
 * snapshot: in a thread on a second connection when background is set and the file is not in
 * WAL mode (see copy_check.c), else at once on db.  *out is always set (free with
 * ls_icheck_free).  Returns 1 when the file is unreadable or (checked at once) corrupt, the
 * messages printed.  ls_icheck_failed: already known to have failed (never blocks);
 * ls_icheck_wait: the result (0 ok), printing the thread's messages once. */
typedef struct ls_icheck ls_icheck;
int ls_icheck_start(sqlite3 *db, const char *src, bool background, ls_icheck **out);
bool ls_icheck_failed(const ls_icheck *c);
bool ls_icheck_threaded(const ls_icheck *c);
int ls_icheck_wait(ls_icheck *c);
void ls_icheck_free(ls_icheck *c);

/* ---- directions ---------------------------------------------------------------------- */
int ls_copy_forward(const ls_copy_opts *o);     /* SQLite file -> PostgreSQL */
int ls_copy_backward(const ls_copy_opts *o);    /* PostgreSQL -> new SQLite file */

/* ---- reading PostgreSQL rows through binary COPY (copy_verify.c) ------------------------ */
typedef struct ls_pgrows {
    PGconn *pg;
    char *msg;       /* current CopyData message (PQfreemem) */
    const unsigned char *at, *end;
    bool done, failed;
} ls_pgrows;

/* Start "COPY (<select>) TO STDOUT (FORMAT binary)": select is "SELECT ..." without the
 * closing parenthesis.  0 or 1 (printed, naming what). */
int ls_pgrows_start(ls_pgrows *s, PGconn *pg, const char *select, const char *what);
/* Next row: fields[i]/lens[i] (len -1 = NULL) for the first n fields; false at the end
 * (s->failed on an error).  Field pointers live until the next call. */
bool ls_pgrows_next(ls_pgrows *s, const unsigned char **fields, int32_t *lens, size_t n);
void ls_pgrows_finish(ls_pgrows *s);
uint64_t ls_be(const unsigned char *p, int n);   /* big-endian integer of n bytes */

/* ---- verification ------------------------------------------------------------------- */
typedef struct ls_verify_table {
    char name[256];
    long long rows_src, rows_dst;
    uint64_t sum_src, sum_dst;
    bool ok;
} ls_verify_table;

typedef struct ls_verify_result {
    ls_verify_table *tables;
    size_t n_tables;
    long long orphans;           /* foreign-key orphans found on PostgreSQL */
    long long seq_behind;        /* identity sequences behind the max key */
    bool ok;
} ls_verify_result;

/* Compare the SQLite database db (inside the caller's read transaction) with PostgreSQL
 * schema o->schema on pg (inside the caller's transaction, if any).  Tables: those of the
 * SQLite file passing the include/exclude filter.  Fills *res (free with
 * ls_verify_result_clear); returns 0 when equal, 1 on a difference or error (printed). */
int ls_verify_run(const ls_copy_opts *o, sqlite3 *db, PGconn *pg, ls_verify_result *res);

/* Source-side counts and checksums computed while loading (copy_fwd.c), so the checksum
 * pass reads only PostgreSQL; a table without one is read from SQLite as usual. */
typedef struct ls_verify_pre {
    const char *table;
    long long rows;
    uint64_t sum;
} ls_verify_pre;
int ls_verify_run_pre(const ls_copy_opts *o, sqlite3 *db, PGconn *pg, const ls_verify_pre *pre,
                      size_t n_pre, ls_verify_result *res);
/* The row hash of the checksum (rowid = column 0 of st, values = columns 1..n in the
 * domains of PostgreSQL types oids[]). */
uint64_t ls_verify_hash_row(sqlite3_stmt *st, const unsigned *oids, size_t n);
/* Two SQLite files, value by value (type and value) in rowid order. */
int ls_verify_sqlite_pair(const ls_copy_opts *o, sqlite3 *a, sqlite3 *b, ls_verify_result *res);
void ls_verify_result_clear(ls_verify_result *res);
/* Append the result as a JSON object to b. */
void ls_verify_json(ls_cb *b, const ls_verify_result *res);

/* Is a table/view/index/trigger name selected by --include/--exclude? */
bool ls_copy_selected(const ls_copy_opts *o, const char *name);
bool ls_copy_excluded(const ls_copy_opts *o, const char *name);
/* A user object of sqlite_master (not sqlite_*). */
bool ls_copy_user_object(const char *name);

#endif
