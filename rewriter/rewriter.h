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

/* Length and type of the token starting at sql[0], following SQLite's lexical rules
 * exactly (sqlite3GetToken).  len is the bytes available; returns at least 1 when len > 0. */
size_t ls_tok_next(const char *sql, size_t len, ls_token *out);

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

/* Set err (if not NULL) to code at offset with a printf-style message; returns code. */
int ls_err_set(ls_err *err, int code, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
