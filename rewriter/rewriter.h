/* SPDX-License-Identifier: MIT
 *
 * The rewriter's internal header: SQLite SQL in, PostgreSQL SQL out, libc only, no I/O.
 * What other folders may use: tokens (ls_tok_*), statement splitting (ls_split_*),
 * parameters (ls_params_*), the rewrite entry point (ls_rw_*) and DDL translation
 * (ls_ddl_*).  Everything else in rewriter/ is private to it.
 *
 * Ownership: functions borrow their input text and keep no pointer into it after returning.
 * Results that own memory say so and come with a _clear/_free function; _free(NULL) and
 * _clear on a zeroed struct do nothing.  Errors go into a caller's ls_err, never to a log.
 */
#ifndef LS_REWRITER_H
#define LS_REWRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LS_MUSTCHECK __attribute__((warn_unused_result))

/* ---------------------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------------------- */

/* A rewriter error: an SQLite result code (SQLITE_ERROR for what cannot be translated,
 * SQLITE_NOMEM, SQLITE_RANGE...), the byte offset of the offending token in the input, and
 * a short message naming the construct ("VACUUM INTO has no PostgreSQL equivalent"). */
typedef struct ls_err {
    int code;
    size_t offset;
    char msg[200];
} ls_err;

/* ---------------------------------------------------------------------------------------
 * Tokens (rewriter/tokenize.c, rewriter/keywords.c)
 * ------------------------------------------------------------------------------------- */

typedef enum ls_tok_type {
    LS_TK_SPACE = 1,   /* white space */
    LS_TK_COMMENT,     /* -- to end of line, or slash-star to star-slash (or end of input) */
    LS_TK_ID,          /* bare identifier that is not a keyword */
    LS_TK_QUOTED_ID,   /* "x", [x] or `x` (a "x" may still be a string: DIALECT L7) */
    LS_TK_KEYWORD,     /* one of SQLite's keywords; kw says which */
    LS_TK_STRING,      /* 'text' */
    LS_TK_BLOB,        /* x'00ff' */
    LS_TK_INTEGER,     /* decimal or 0x hex integer */
    LS_TK_FLOAT,       /* 1.5, .5, 1e10 */
    LS_TK_PARAM,       /* ?, ?NNN, :name, @name, $name (Tcl form included) */
    LS_TK_OPERATOR,    /* punctuation and operators: ( ) , ; . || -> ->> == != <> ... */
    LS_TK_SEMI,        /* ; */
    LS_TK_ILLEGAL,     /* a character SQLite rejects, or an unterminated string/identifier */
} ls_tok_type;

typedef struct ls_token {
    ls_tok_type type;
    int kw;            /* keyword id (LS_KW_*) for LS_TK_KEYWORD, else 0 */
    uint32_t off;      /* byte offset in the input */
    uint32_t len;      /* length in bytes */
} ls_token;

/* SQLite 3.40's 147 keywords (sqlite3_keyword_name), alphabetical; LS_KW_<NAME> is the id,
 * 0 means "not a keyword".  Checked against the real library by tests/unit/test_keywords.c. */
#define LS_KEYWORDS(X) \
    X(ABORT) X(ACTION) X(ADD) X(AFTER) X(ALL) X(ALTER) X(ALWAYS) X(ANALYZE) X(AND) X(AS) \
    X(ASC) X(ATTACH) X(AUTOINCREMENT) X(BEFORE) X(BEGIN) X(BETWEEN) X(BY) X(CASCADE) X(CASE) \
    X(CAST) X(CHECK) X(COLLATE) X(COLUMN) X(COMMIT) X(CONFLICT) X(CONSTRAINT) X(CREATE) \
    X(CROSS) X(CURRENT) X(CURRENT_DATE) X(CURRENT_TIME) X(CURRENT_TIMESTAMP) X(DATABASE) \
    X(DEFAULT) X(DEFERRABLE) X(DEFERRED) X(DELETE) X(DESC) X(DETACH) X(DISTINCT) X(DO) \
    X(DROP) X(EACH) X(ELSE) X(END) X(ESCAPE) X(EXCEPT) X(EXCLUDE) X(EXCLUSIVE) X(EXISTS) \
    X(EXPLAIN) X(FAIL) X(FILTER) X(FIRST) X(FOLLOWING) X(FOR) X(FOREIGN) X(FROM) X(FULL) \
    X(GENERATED) X(GLOB) X(GROUP) X(GROUPS) X(HAVING) X(IF) X(IGNORE) X(IMMEDIATE) X(IN) \
    X(INDEX) X(INDEXED) X(INITIALLY) X(INNER) X(INSERT) X(INSTEAD) X(INTERSECT) X(INTO) \
    X(IS) X(ISNULL) X(JOIN) X(KEY) X(LAST) X(LEFT) X(LIKE) X(LIMIT) X(MATCH) X(MATERIALIZED) \
    X(NATURAL) X(NO) X(NOT) X(NOTHING) X(NOTNULL) X(NULL) X(NULLS) X(OF) X(OFFSET) X(ON) \
    X(OR) X(ORDER) X(OTHERS) X(OUTER) X(OVER) X(PARTITION) X(PLAN) X(PRAGMA) X(PRECEDING) \
    X(PRIMARY) X(QUERY) X(RAISE) X(RANGE) X(RECURSIVE) X(REFERENCES) X(REGEXP) X(REINDEX) \
    X(RELEASE) X(RENAME) X(REPLACE) X(RESTRICT) X(RETURNING) X(RIGHT) X(ROLLBACK) X(ROW) \
    X(ROWS) X(SAVEPOINT) X(SELECT) X(SET) X(TABLE) X(TEMP) X(TEMPORARY) X(THEN) X(TIES) \
    X(TO) X(TRANSACTION) X(TRIGGER) X(UNBOUNDED) X(UNION) X(UNIQUE) X(UPDATE) X(USING) \
    X(VACUUM) X(VALUES) X(VIEW) X(VIRTUAL) X(WHEN) X(WHERE) X(WINDOW) X(WITH) X(WITHOUT)

#define LS_KW_ENUM_(name) LS_KW_##name,
typedef enum ls_kw { LS_KW_NONE = 0, LS_KEYWORDS(LS_KW_ENUM_) LS_KW_END_ } ls_kw;
#undef LS_KW_ENUM_
#define LS_KW_COUNT ((int)LS_KW_END_ - 1)   /* 147 */

/* Length and type of the token starting at sql[0], following SQLite's lexical rules
 * exactly (sqlite3GetToken).  len is the bytes available; returns at least 1 when len > 0
 * (a NUL byte is a 1-byte LS_TK_ILLEGAL token; SQLite would stop there).  out->off is 0. */
size_t ls_tok_next(const char *sql, size_t len, ls_token *out);

/* A token array; zero-initialised is empty.  v is owned, released by ls_tokens_clear. */
typedef struct ls_tokens {
    ls_token *v;       /* tokens in input order, covering every byte of the input */
    size_t n;          /* tokens used */
    size_t cap;        /* tokens allocated */
} ls_tokens;

/* Tokenize all of sql[0..len) into out (emptied first).  SQLITE_OK, SQLITE_NOMEM, or
 * SQLITE_TOOBIG past 4 GiB.  Illegal tokens are not an error here. */
LS_MUSTCHECK int ls_tok_scan(const char *sql, size_t len, ls_tokens *out, ls_err *err);
void ls_tokens_clear(ls_tokens *toks);
/* The same tokens into the caller's v[0..cap), for len <= UINT32_MAX: returns how many, or
 * cap + 1 when they do not fit. */
size_t ls_tok_scan_into(const char *sql, size_t len, ls_token *v, size_t cap);

/* Keyword id (LS_KW_*) of the word s[0..len), ASCII case-insensitive, or 0. */
int ls_kw_lookup(const char *s, size_t len);
/* The same for a word known to hold only ASCII letters and '_' (the tokenizer's case). */
int ls_kw_lookup_word(const char *s, size_t len);
/* Upper-case name of keyword id kw (static storage), or NULL when kw is not an id. */
const char *ls_kw_name(int kw);
/* True when a[0..n) equals b[0..n), ASCII case-insensitively. */
bool ls_text_ieq(const char *a, const char *b, size_t n);
/* True when the token's text equals word, ASCII case-insensitively (word is NUL-terminated). */
bool ls_tok_text_is(const char *sql, const ls_token *tok, const char *word);

/* ---------------------------------------------------------------------------------------
 * Statement splitting (rewriter/split.c)
 * ------------------------------------------------------------------------------------- */

/* Bytes of the first statement of sql[0..len), including its terminating ';' when there is
 * one, as sqlite3_prepare finds it (a CREATE TRIGGER body's inner ';' does not end it).
 * What follows is the pzTail.  *complete is set as sqlite3_complete would answer for that
 * prefix. */
size_t ls_split_next(const char *sql, size_t len, bool *complete);

/* Same answer as sqlite3_complete(sql) for a NUL-terminated string. */
bool ls_split_complete(const char *sql);
/* Same answer as sqlite3_complete would give for sql[0..len) (stopping at a NUL byte). */
bool ls_split_complete_n(const char *sql, size_t len);

/* ---------------------------------------------------------------------------------------
 * Output buffer (rewriter/buf.c)
 * ------------------------------------------------------------------------------------- */

/* A growable byte buffer; zero-initialised is empty.  Appends never fail loudly: an
 * allocation failure sets the sticky oom flag and later appends do nothing, so callers
 * check once (ls_buf_status) at the end.  data is NUL-terminated whenever it is not NULL. */
typedef struct ls_buf {
    char *data;        /* owned; NULL until the first append */
    size_t len;        /* bytes used, excluding the terminating NUL */
    size_t cap;        /* bytes allocated */
    bool oom;          /* sticky: an append failed, contents are incomplete */
} ls_buf;

void ls_buf_clear(ls_buf *buf);
void ls_buf_reset(ls_buf *buf);
void ls_buf_append(ls_buf *buf, const char *s, size_t n);
void ls_buf_append_str(ls_buf *buf, const char *s);
void ls_buf_append_char(ls_buf *buf, char c);
void ls_buf_appendf(ls_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ls_buf_append_token(ls_buf *buf, const char *sql, const ls_token *tok);
void ls_buf_append_ident(ls_buf *buf, const char *name, size_t n);
void ls_buf_append_literal(ls_buf *buf, const char *text, size_t n);
void ls_buf_append_unquoted(ls_buf *buf, const char *text, size_t n);
LS_MUSTCHECK int ls_buf_status(const ls_buf *buf);
LS_MUSTCHECK char *ls_buf_take(ls_buf *buf, size_t *len);

/* ---------------------------------------------------------------------------------------
 * Parameters (rewriter/params.c)
 * ------------------------------------------------------------------------------------- */

#define LS_PARAM_MAX 250000    /* SQLITE_MAX_VARIABLE_NUMBER of Debian's SQLite 3.40 */
#define LS_PARAM_PG_MAX 65535  /* parameters one PostgreSQL Bind message can carry */

/* One parameter token in the statement, in input order. */
typedef struct ls_param_use {
    uint32_t off;      /* byte offset of the token */
    uint32_t len;      /* token length in bytes */
    int index;         /* SQLite parameter index, 1..count */
} ls_param_use;

/* The parameters of one statement as SQLite numbers them, and their dense PostgreSQL
 * renumbering.  Zero-initialised is empty; everything is owned, freed by ls_params_clear. */
typedef struct ls_params {
    int count;             /* sqlite3_bind_parameter_count: the largest index used */
    int pg_count;          /* PostgreSQL parameters: distinct indexes actually used */
    int *pg_of;            /* [1..count]: $n for SQLite index i, 0 when unused ([0] unused) */
    int *sqlite_of;        /* [1..pg_count]: SQLite index of $n ([0] unused) */
    uint32_t *name_off;    /* [1..count]: 1 + offset of the name in names, 0 for none */
    char *names;           /* NUL-terminated names back to back */
    size_t names_len;      /* bytes used in names */
    ls_param_use *uses;    /* every parameter token, in input order */
    size_t n_uses;         /* entries in uses */
} ls_params;

LS_MUSTCHECK int ls_params_scan(const char *sql, size_t len, ls_params *out, ls_err *err);
LS_MUSTCHECK int ls_params_scan_tokens(const char *sql, const ls_tokens *toks, ls_params *out,
                                       ls_err *err);
void ls_params_clear(ls_params *params);
const char *ls_params_name(const ls_params *params, int index);
int ls_params_index(const ls_params *params, const char *name);
int ls_params_pg_at(const ls_params *params, size_t off);

/* ---------------------------------------------------------------------------------------
 * Rewrite cache (rewriter/cache.c)
 * ------------------------------------------------------------------------------------- */

/* A bounded map from exact SQL bytes to an opaque value, evicting the least recently used
 * entry when full.  The cache owns its keys and stored values (released with free_value);
 * a value returned by ls_rw_cache_get is owned by the cache and valid until the next put,
 * clear or free on the same cache.  Not thread-safe: one cache per connection. */
typedef struct ls_rw_cache ls_rw_cache;
typedef void (*ls_rw_cache_free_fn)(void *value);

LS_MUSTCHECK ls_rw_cache *ls_rw_cache_new(size_t capacity, ls_rw_cache_free_fn free_value);
void ls_rw_cache_free(ls_rw_cache *cache);
void *ls_rw_cache_get(ls_rw_cache *cache, const char *sql, size_t len);
LS_MUSTCHECK int ls_rw_cache_put(ls_rw_cache *cache, const char *sql, size_t len, void *value);
void ls_rw_cache_clear(ls_rw_cache *cache);
size_t ls_rw_cache_count(const ls_rw_cache *cache);

/* Set err (if not NULL) to code at offset with a printf-style message; returns code. */
int ls_err_set(ls_err *err, int code, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
