/* SPDX-License-Identifier: MIT
 *
 * `liteshift check` internals shared by its three files: the catalog-backed schema callback
 * (check_schema.c), the checking itself (cmd_check.c) and the JSON and HTML reports
 * (check_report.c).
 *
 * Ownership: a ls_check_run owns its items and their strings; ls_check_run_clear frees them.
 * A ls_catalog owns its cached tables and borrows the PGconn it was given.
 */
#ifndef LS_CHECK_H
#define LS_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <libpq-fe.h>

#include "rewrite.h"

typedef enum ls_check_status {
    LS_CHECK_OK = 0,        /* translates, and PostgreSQL accepts it (or the shim answers it) */
    LS_CHECK_TRANSLATE,     /* the rewriter (or the shim) refuses it */
    LS_CHECK_PREPARE,       /* translated, but PostgreSQL rejects the translation */
} ls_check_status;

#define LS_CHECK_MAX_DEV 6

typedef struct ls_check_item {
    char *sql;                  /* the captured statement, owned */
    unsigned long long count;   /* executions recorded in the capture */
    ls_check_status status;
    char *rewritten;            /* PostgreSQL text, owned, NULL when not translated */
    char *error;                /* why it fails, owned, NULL when it does not */
    char sqlstate[6];           /* PostgreSQL's code for LS_CHECK_PREPARE, else "" */
    char how[24];               /* "prepared", "executed", "answered by the shim"... */
    char *note;                 /* owned, NULL or a remark ("already exists in the target") */
    char rules[256];            /* comma-separated rewrite rules that fired */
    int n_dev;
    const char *dev_id[LS_CHECK_MAX_DEV];   /* DIALECT.md entries (static text) */
    const char *dev_text[LS_CHECK_MAX_DEV]; /* what differs (static text) */
} ls_check_item;

typedef struct ls_check_run {
    const char *capture;        /* the capture file name, borrowed */
    ls_check_item *items;       /* owned */
    size_t n_items;
    unsigned long long executions;
    size_t n_ok, n_translate, n_prepare, n_dev;
    unsigned long long x_ok, x_fail;   /* executions of passing and failing statements */
} ls_check_run;

void ls_check_run_clear(ls_check_run *run);

/* A schema callback answered from pg_catalog through pg (one query per table, cached). */
typedef struct ls_catalog ls_catalog;
ls_catalog *ls_catalog_new(PGconn *pg);   /* NULL when out of memory */
void ls_catalog_free(ls_catalog *cat);
const ls_rw_schema *ls_catalog_schema(ls_catalog *cat);  /* owned by cat */

/* Reports.  Each returns 0 or -1 with errno set (the file could not be written). */
int ls_check_write_text(FILE *out, const ls_check_run *run);
int ls_check_write_json(FILE *out, const ls_check_run *run);
int ls_check_write_html(FILE *out, const ls_check_run *run);

#endif
