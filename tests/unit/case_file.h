/* SPDX-License-Identifier: MIT
 *
 * Reading tests/cases/<topic>.case files, shared by tests/unit/test_cases.c (expected text)
 * and tests/integration/test_rewrite_exec.c (same rows on SQLite and PostgreSQL), plus the
 * fake schema both build from a case's "# setup:" CREATE TABLE lines.
 *
 * Format, per case:
 *   # id: lex-001 L6 what it shows       (stable id, DIALECT ids in the text)
 *   # exec                               (optional: run on both engines)
 *   # setup: create table t(a)           (optional, repeatable: run first on both sides)
 *   SQLite input (one or more lines)
 *   ----
 *   expected PostgreSQL text, or "!error: <substring of the message>"
 * A case ends at the next "# id:" line or the end of the file.  Lines starting "##" are
 * comments.  Ownership: a case_set owns all its strings; free it with case_set_free.
 */
#ifndef LS_CASE_FILE_H
#define LS_CASE_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "rewrite.h"

typedef struct case_item {
    char *file;            /* base name of the .case file */
    int line;              /* line of the "# id:" */
    char *id;              /* "lex-001" */
    char *title;           /* the rest of the id line */
    bool exec;
    char **setup;
    size_t n_setup;
    char *input;
    char *expect;          /* expected text, or the error substring when is_error */
    bool is_error;
} case_item;

typedef struct case_set {
    case_item *v;
    size_t n;
} case_set;

/* Read every *.case file of dir; false (with a message on stderr) on a malformed file. */
bool case_set_load(const char *dir, case_set *out);
void case_set_free(case_set *set);

/* Token-wise normal form: tokens separated by one space, white space and comments
 * dropped, keywords and bare identifiers in lower case.  Caller frees. */
char *case_normalize(const char *sql);

/* A fake schema from the CREATE TABLE statements of setup (through ls_ddl_translate). */
typedef struct case_schema case_schema;
case_schema *case_schema_new(char **setup, size_t n);
void case_schema_free(case_schema *s);
const ls_rw_schema *case_schema_get(case_schema *s);

/* Rewrite sql against the fake schema into *r; false (the reason on stderr) when the
 * rewriter refuses it.  The caller clears *r after a true answer. */
bool case_rewrite(case_schema *s, const char *sql, ls_rw_result *r);

#endif
