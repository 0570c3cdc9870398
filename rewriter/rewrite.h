/* SPDX-License-Identifier: MIT
 *
 * The rewrite entry point and DDL translation: one SQLite statement in, PostgreSQL text out,
 * plus what the backend needs to run it (statement kind, BEGIN mode, readonly, PRAGMA
 * classification, the rowid column appended as RETURNING, which rules fired).  Rules that
 * need the schema ask the caller through ls_rw_schema, so the rewriter stays pure.
 *
 * Ownership: every function borrows its input text and the schema, and keeps nothing after
 * returning.  An ls_rw_result or ls_ddl_result owns its text and arrays: release it with
 * ls_rw_result_clear / ls_ddl_result_clear (safe on a zeroed struct, and twice).  Canonical
 * spelling (docs/rewriter.md): every identifier is emitted double-quoted in ASCII lower case;
 * function names unquoted in lower case.
 */
#ifndef LS_REWRITE_H
#define LS_REWRITE_H

#include "rewriter.h"

/* Schema of the general-case compat functions (datetime, strftime, sqlite_substr...). */
#define LS_COMPAT_SCHEMA "liteshift"

/* ---------------------------------------------------------------------------------------
 * Schema lookup (supplied by the backend; a fake one in the unit tests)
 * ------------------------------------------------------------------------------------- */

typedef struct ls_rw_column {
    const char *name;      /* canonical (lower-case) name */
    bool is_bool;          /* PostgreSQL boolean: 0/1 literals compared or stored become false/true */
    bool hidden;           /* the rowid column added to a table without INTEGER PRIMARY KEY
                            * (DIALECT T7), or a class column (D2): not in INSERT without a
                            * column list, nor in * */
    bool has_class;        /* D2: declared without a type; the next column is its class,
                            * "<name>" LS_CLASS_SUFFIX */
    bool is_class;         /* D2: the class column of the column before it (also hidden) */
} ls_rw_column;

typedef struct ls_rw_table {
    const char *rowid;              /* the integer key (rowid alias) column, or NULL */
    const char *rowid_seq;          /* its identity sequence, qualified and quoted as
                                     * pg_get_serial_sequence gives it, or NULL */
    size_t n_cols;
    const ls_rw_column *cols;       /* in declaration order */
    size_t n_unique;                /* UNIQUE/PRIMARY KEY constraints, the REPLACE arbiters */
    const char *const *unique;      /* each a comma-separated column list: "id", "a,b" */
    bool replay_unsafe;             /* something else runs with a write to it (a trigger, a
                                     * rule, a default that calls a function): its writes
                                     * never go in the replay log (replay.c) */
} ls_rw_table;

typedef struct ls_rw_schema {
    /* Table by canonical name (schema prefix removed), or NULL when unknown.  The result
     * is borrowed and must stay valid until the rewrite returns. */
    const ls_rw_table *(*table)(void *ctx, const char *name);
    void *ctx;
    /* A table written `main.t` is asked for as LS_RW_MAIN_KEY "t" (a temp `t` may shadow
     * the bare name); the bare name otherwise.
     * The app's own schema (DIALECT S33: `main.t`), an identifier ready to print (quoted),
     * or NULL: `main.` is then dropped, and PostgreSQL's search path, which looks in pg_temp
     * first, may find a temp table of the same name. */
    const char *main_schema;
} ls_rw_schema;
#define LS_RW_MAIN_KEY "main\x1f"   /* a byte no canonical name holds */

/* ---------------------------------------------------------------------------------------
 * Rewrite results
 * ------------------------------------------------------------------------------------- */

typedef enum ls_rw_kind {
    LS_RW_OTHER = 0, LS_RW_SELECT, LS_RW_INSERT, LS_RW_UPDATE, LS_RW_DELETE,
    LS_RW_BEGIN, LS_RW_COMMIT, LS_RW_ROLLBACK, LS_RW_SAVEPOINT, LS_RW_RELEASE,
    LS_RW_ROLLBACK_TO, LS_RW_PRAGMA, LS_RW_DDL, LS_RW_VACUUM, LS_RW_EMPTY,
} ls_rw_kind;

typedef enum ls_rw_begin { /* for LS_RW_BEGIN: the lock SQLite would take (DIALECT S2) */
    LS_BEGIN_DEFERRED = 0, LS_BEGIN_IMMEDIATE, LS_BEGIN_EXCLUSIVE,
} ls_rw_begin;

typedef enum ls_rw_onerr { /* INSERT/UPDATE OR <algorithm> the backend must honour */
    LS_ONERR_ABORT = 0, LS_ONERR_ROLLBACK, LS_ONERR_FAIL, LS_ONERR_IGNORE, LS_ONERR_REPLACE,
} ls_rw_onerr;

typedef enum ls_pragma_class {
    LS_PRAGMA_FIXED = 1,   /* answer a fixed value (encoding, integrity_check...) */
    LS_PRAGMA_CATALOG,     /* sql holds a query on the compat schema (table_info...) */
    LS_PRAGMA_NOOP,        /* setting accepted and remembered (journal_mode, cache_size...) */
    LS_PRAGMA_STATE,       /* persisted or per-connection state (user_version, foreign_keys) */
    LS_PRAGMA_UNSUPPORTED, /* known to SQLite, no PostgreSQL meaning */
} ls_pragma_class;

typedef struct ls_rw_pragma {
    ls_pragma_class cls;
    char name[48];         /* lower case, schema prefix removed */
    char schema[48];       /* "main", "temp"... or "" */
    char arg[128];         /* argument text as written, quotes removed, or "" */
    bool has_arg;
    bool is_set;           /* PRAGMA x = v (true) vs PRAGMA x(v) or PRAGMA x */
    const char *answer;    /* LS_PRAGMA_FIXED/NOOP: SQLite's answer when read, or NULL (static) */
} ls_rw_pragma;

/* Rule bits for --explain and tests (ls_rw_rule_name gives the text). */
enum {
    LS_R_QUOTE = 1u << 0, LS_R_PARAM = 1u << 1, LS_R_BLOB = 1u << 2, LS_R_HEX = 1u << 3,
    LS_R_TXN = 1u << 4, LS_R_ONCONFLICT = 1u << 5, LS_R_LIMIT = 1u << 6, LS_R_IN = 1u << 7,
    LS_R_OPERATOR = 1u << 8, LS_R_IS = 1u << 9, LS_R_FUNC = 1u << 10, LS_R_LIKE = 1u << 11,
    LS_R_GLOB = 1u << 12, LS_R_DATETIME = 1u << 13, LS_R_UPDATE_SET = 1u << 14,
    LS_R_ALIAS = 1u << 15, LS_R_NULLS = 1u << 16, LS_R_DIVZERO = 1u << 17,
    LS_R_BIGINT = 1u << 18, LS_R_RETURNING = 1u << 19, LS_R_ROWID = 1u << 20,
    LS_R_BOOL = 1u << 21, LS_R_DDL = 1u << 22, LS_R_PRAGMA = 1u << 23, LS_R_CONCAT = 1u << 24,
    LS_R_CAST = 1u << 25, LS_R_BARECOL = 1u << 26, LS_R_DROPPED = 1u << 27,
    LS_R_LIMITDML = 1u << 28, LS_R_JSON = 1u << 29, LS_R_TYPELESS = 1u << 30,
    LS_R_COUNT = 31
};

typedef struct ls_rw_result {
    char *sql;             /* PostgreSQL text, NUL-terminated; owned, "" for no-op statements */
    size_t len;
    ls_rw_kind kind;
    ls_rw_begin begin;     /* LS_RW_BEGIN only */
    ls_rw_onerr onerr;     /* INSERT/UPDATE only */
    bool readonly;         /* no write: SELECT without side effects, PRAGMA reads... */
    bool returning_rowid;  /* " RETURNING <rowid_col>" was appended: hide it, keep its value */
    bool rowid_if_inserted; /* ... as "CASE WHEN xmax = 0 THEN <rowid_col> END": an upsert's
                            * row updated instead of inserted gives NULL, and SQLite's
                            * last_insert_rowid() does not change for it */
    bool one_row;          /* returns at most one row (a key equality, aggregates without
                            * GROUP BY, LIMIT 0/1, INSERT of one VALUES row, UPDATE and
                            * DELETE without RETURNING): the backend
                            * may read the result whole instead of row by row (dml.c) */
    char rowid_col[64];
    /* INSERT, UPDATE, DELETE: run again with the same values after a rollback to an earlier
     * savepoint, it writes the same (rewriter/replay.c); replay_seq: the rowid sequence an
     * INSERT's one row draws from, pinned to its rowid before running it again, or "" */
    bool replay_ok;
    char replay_seq[192];
    char replay_table[80]; /* the table written, as the schema lookup was asked for it */
    char savepoint[64];    /* SAVEPOINT/RELEASE/ROLLBACK TO: the canonical name */
    ls_rw_pragma pragma;   /* LS_RW_PRAGMA only */
    ls_params params;      /* SQLite numbering and the dense $n map (rewriter/params.c); owned */
    /* the same map, flattened for the shim's bind_parameter_* (kept for its callers): */
    int n_params;          /* distinct PostgreSQL parameters $1..$n (= params.pg_count) */
    const char **param_names; /* n_params entries: ":a", "?3", or NULL; strings in params */
    int *param_index;      /* n_params entries: SQLite's index of $k+1; owned */
    int sqlite_params;     /* sqlite3_bind_parameter_count (= params.count) */
    /* DIALECT F15: last_insert_rowid(), changes() and total_changes() called in the SQL
     * become trailing parameters $(pg_count+1).. that the backend binds from the
     * connection's state at each execution.  They are the last n_hidden of the n_params
     * entries above, with param_index LS_HIDDEN_* (negative) and no name, so the app's
     * bind_parameter_count/name/index never see them. */
    int n_hidden;
    /* D17: n_params entries, true for a parameter whose every use is a whole argument of a
     * function that answers by storage class (typeof, hex, quote, unicode, char, zeroblob,
     * randomblob, printf): the backend prepares it with the type of the value bound, which
     * the function then sees.  NULL when there is none.  Owned. */
    bool *param_by_class;
    /* D2: n_params entries, true for a parameter that is the value written into, or
     * compared with, a column declared without a type: a blob bound to it is sent as its
     * \x<hex> text, the form such a column keeps it in.  NULL when there is none.  Owned. */
    bool *param_blob_text;
    /* n_params entries, true for a parameter whose every use was a NULL test (turned into
     * LS_HIDDEN_ISNULL_OF): the backend prepares it as text, since nothing types it.  NULL
     * when there is none.  Owned. */
    bool *param_text;
    uint32_t rules;        /* LS_R_* bits of the rules that changed something */
    /* DIALECT R1, SELECT only: SQLite's name for each item of the first select list, in
     * order.  NULL: the server's name is SQLite's (a bare column); LS_RW_STAR: a * or t.*
     * item (the server's names for its columns).  n_col_names is 0 when unknown.  Owned. */
    char **col_names;
    size_t n_col_names;
    /* D2, SELECT only: the statement's last n_class_items result fields are the storage
     * classes (smallint, LS_CLASS_SUFFIX columns) of typeless columns among the select items;
     * class_of[k] is the result column whose class field k is.  Owned. */
    int *class_of;
    int n_class_items;
    /* the hidden parameters of DIALECT F15 among the n_hidden (the others are D2 classes:
     * param_index LS_HIDDEN_CLASS_OF(si), bound from the value bound to parameter si) */
    int n_state_hidden;
} ls_rw_result;

/* param_index of a hidden parameter: which connection value the backend binds (an int8). */
#define LS_HIDDEN_LAST_ROWID (-1)     /* sqlite3_last_insert_rowid() */
#define LS_HIDDEN_CHANGES (-2)        /* sqlite3_changes64() */
#define LS_HIDDEN_TOTAL_CHANGES (-3)  /* sqlite3_total_changes64() */
/* D2: the storage class (1..4, NULL for NULL) of the value bound to SQLite parameter si,
 * stored into the class column of a typeless column; si = LS_HIDDEN_CLASS_SI(code). */
#define LS_HIDDEN_CLASS_BASE (-16)
#define LS_HIDDEN_CLASS_OF(si) (LS_HIDDEN_CLASS_BASE - (si))
#define LS_HIDDEN_CLASS_SI(code) \
    ((code) < LS_HIDDEN_CLASS_BASE && (code) > LS_HIDDEN_VALUE_BASE ? LS_HIDDEN_CLASS_BASE - (code) : 0)
/* D2: the value bound to SQLite parameter si, as written into a typeless column where si is
 * also used elsewhere in the statement (a blob goes there as its \x<hex> text, and only
 * there); si = LS_HIDDEN_VALUE_SI(code). */
#define LS_HIDDEN_VALUE_BASE (-16 - 65536)
#define LS_HIDDEN_VALUE_OF(si) (LS_HIDDEN_VALUE_BASE - (si))
#define LS_HIDDEN_VALUE_SI(code) \
    ((code) < LS_HIDDEN_VALUE_BASE && (code) > LS_HIDDEN_ISNULL_BASE ? LS_HIDDEN_VALUE_BASE - (code) : 0)
/* Whether the value bound to SQLite parameter si is NULL ("t" or "f"): a parameter tested
 * with IS [NOT] NULL, which PostgreSQL cannot type; si = LS_HIDDEN_ISNULL_SI(code). */
#define LS_HIDDEN_ISNULL_BASE (-16 - 2 * 65536)
#define LS_HIDDEN_ISNULL_OF(si) (LS_HIDDEN_ISNULL_BASE - (si))
#define LS_HIDDEN_ISNULL_SI(code) ((code) < LS_HIDDEN_ISNULL_BASE ? LS_HIDDEN_ISNULL_BASE - (code) : 0)

/* The marker of a * item in ls_rw_result.col_names. */
extern char ls_rw_star[];
#define LS_RW_STAR (ls_rw_star)

/* Rewrite the one statement in sql[0..len) (a trailing ';' and comments allowed).  Returns
 * SQLITE_OK and fills *out (release with ls_rw_result_clear), or SQLITE_ERROR with err
 * naming the construct and its byte offset, or SQLITE_NOMEM.  schema may be NULL: rules
 * that need it then fail with an error rather than guess.  tests/cases/\*.case. */
LS_MUSTCHECK int ls_rw_rewrite(const char *sql, size_t len, const ls_rw_schema *schema,
                               ls_rw_result *out, ls_err *err);

void ls_rw_result_clear(ls_rw_result *res);

/* The number of arguments of the widest function call in sql[0..len), and its name (lower
 * case) in fn; 0 when there is none.  For SQLITE_LIMIT_FUNCTION_ARG, which an app rarely
 * lowers: the shim asks only then, so no rewrite pays for it. */
int ls_rw_max_call_args(const char *sql, size_t len, char *fn, size_t cap);

/* Name of one LS_R_* bit ("limit-offset"), "" for an unknown bit.  Static text. */
const char *ls_rw_rule_name(uint32_t bit);

/* ---------------------------------------------------------------------------------------
 * DDL translation, shared by the shim and the copy tool (rewriter/ddl.c)
 * ------------------------------------------------------------------------------------- */

typedef enum ls_affinity {
    LS_AFF_BLOB = 0, LS_AFF_TEXT, LS_AFF_NUMERIC, LS_AFF_INTEGER, LS_AFF_REAL,
} ls_affinity;

typedef struct ls_ddl_column {
    char name[64];         /* canonical name (lower case) */
    char decl[64];         /* declared type as written ("" for none), for decltype */
    const char *pg_type;   /* "bigint", "text", "double precision"... (static) */
    ls_affinity affinity;  /* SQLite's, from the declared type (DIALECT §3) */
    bool rowid_alias;      /* INTEGER PRIMARY KEY: becomes an identity column */
    bool autoincrement;
    bool not_null;
    bool unique;           /* a one-column UNIQUE or PRIMARY KEY */
    bool is_bool;
    bool class_col;        /* D2: declared without a type; "<name>:class" follows it */
} ls_ddl_column;

typedef struct ls_ddl_result {
    char *sql;             /* PostgreSQL DDL, owned */
    size_t len;
    char table[64];        /* the table created, canonical */
    size_t n_cols;
    ls_ddl_column *cols;   /* owned; CREATE TABLE only */
    bool without_rowid;
    bool strict;
    bool hidden_rowid;     /* a "rowid" identity column was appended (DIALECT T7) */
} ls_ddl_result;

/* D2: the suffix of the smallint column that follows a column declared without a type and
 * keeps each value's storage class (1 INTEGER, 2 REAL, 3 TEXT, 4 BLOB as "\\x<hex>" text;
 * NULL: unknown, the value is read as text). */
#define LS_CLASS_SUFFIX ":class"

/* Name of the column added to tables without INTEGER PRIMARY KEY (DIALECT T7). */
#define LS_HIDDEN_ROWID "rowid"

/* Translate one CREATE TABLE/INDEX/VIEW, ALTER TABLE or DROP statement.  Same code path as
 * ls_rw_rewrite uses for DDL.  Returns SQLITE_OK and fills *out (release with
 * ls_ddl_result_clear), or an error code with err set.  tests/unit/test_ddl.c. */
LS_MUSTCHECK int ls_ddl_translate(const char *sql, size_t len, ls_ddl_result *out,
                                  ls_err *err);

void ls_ddl_result_clear(ls_ddl_result *res);

/* SQLite's affinity for a declared type name (sqlite3AffinityType), len bytes. */
ls_affinity ls_ddl_affinity(const char *decl, size_t len);

#endif
