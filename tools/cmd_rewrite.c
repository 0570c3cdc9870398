/* SPDX-License-Identifier: MIT
 *
 * liteshift rewrite: show how SQLite SQL is rewritten for PostgreSQL, statement by
 * statement (split as sqlite3_prepare does).  With --explain each statement is followed by
 * a comment naming its kind and the rules that fired.  Uses only the rewriter's API and no
 * schema, so rules that need one (rowid, REPLACE) report that they cannot run.
 * Exit status: 0 every statement rewritten, 1 one failed, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "rewrite.h"

static const char *const kind_names[] = {
    "other", "select", "insert", "update", "delete", "begin", "commit", "rollback",
    "savepoint", "release", "rollback-to", "pragma", "ddl", "vacuum", "empty",
};

static const char *const pragma_classes[] = {
    "", "fixed", "catalog", "no-op", "state", "unsupported",
};

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *p = malloc(cap);
    while (p) {
        size_t r = fread(p + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
        if (n == cap) {
            char *q = realloc(p, cap *= 2);
            if (!q) {
                free(p);
                return NULL;
            }
            p = q;
        }
    }
    *len = n;
    return p;
}

static void explain(const ls_rw_result *r)
{
    printf("-- kind: %s", kind_names[r->kind]);
    if (r->kind == LS_RW_BEGIN)
        printf(" (%s)", r->begin == LS_BEGIN_IMMEDIATE ? "immediate"
                        : r->begin == LS_BEGIN_EXCLUSIVE ? "exclusive" : "deferred");
    if (r->kind == LS_RW_PRAGMA)
        printf(" %s, %s%s%s", r->pragma.name, pragma_classes[r->pragma.cls],
               r->pragma.answer ? ", answer " : "", r->pragma.answer ? r->pragma.answer : "");
    printf("%s\n", r->readonly ? ", readonly" : "");
    if (r->params.pg_count)
        printf("-- parameters: %d (SQLite count %d)\n", r->params.pg_count, r->params.count);
    printf("-- rules:");
    int n = 0;
    for (int k = 0; k < LS_R_COUNT; k++)
        if (r->rules & (1u << k))
            printf("%s %s", n++ ? "," : "", ls_rw_rule_name(1u << k));
    printf("%s\n", n ? "" : " none");
}

int ls_cmd_rewrite(int argc, char **argv)
{
    bool want_explain = false;
    const char *sql = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--explain") == 0) {
            want_explain = true;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: liteshift rewrite [--explain] [SQL]   (SQL from stdin when absent)\n");
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "liteshift rewrite: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (!sql) {
            sql = argv[i];
        } else {
            fprintf(stderr, "liteshift rewrite: give the SQL as one argument\n");
            return 2;
        }
    }
    size_t len;
    char *owned = NULL;
    if (sql) {
        len = strlen(sql);
    } else {
        owned = read_all(stdin, &len);
        if (!owned) {
            fprintf(stderr, "liteshift rewrite: cannot read stdin\n");
            return 1;
        }
        sql = owned;
    }
    int status = 0;
    size_t off = 0;
    while (off < len) {
        bool complete;
        size_t n = ls_split_next(sql + off, len - off, &complete);
        if (n == 0)
            break;
        ls_rw_result r;
        ls_err err;
        int rc = ls_rw_rewrite(sql + off, n, NULL, &r, &err);
        if (rc != 0) {
            fprintf(stderr, "liteshift rewrite: at byte %zu: %s\n", off + err.offset, err.msg);
            status = 1;
        } else if (r.kind != LS_RW_EMPTY) {
            if (r.len || want_explain)
                printf("%s;\n", r.sql);
            if (want_explain)
                explain(&r);
        }
        ls_rw_result_clear(&r);
        off += n;
    }
    free(owned);
    return status;
}
