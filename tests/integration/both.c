/* SPDX-License-Identifier: MIT
 *
 * Transcript printer for "both backends, same test": runs a SQL script through the sqlite3
 * API (statement by statement, with pzTail) and prints, per statement, the result code,
 * the message on error, every row with each value's storage class, changes(),
 * last_insert_rowid() and get_autocommit().  tests/integration/both.sh runs it once on
 * SQLite and once on PostgreSQL through the shim and compares the transcripts.
 *   both DBFILE SCRIPT.sql
 * Lines starting with "--! " in the script are directives:
 *   --! bind N TYPE VALUE   bind parameter N of the next statement (int, float, text, null,
 *                           blob-hex) before stepping it
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_value(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: printf("i:%lld", (long long)sqlite3_column_int64(st, i)); break;
    case SQLITE_FLOAT: printf("f:%s", (const char *)sqlite3_column_text(st, i)); break;
    case SQLITE_TEXT: printf("t:'%s'", (const char *)sqlite3_column_text(st, i)); break;
    case SQLITE_BLOB: {
        const unsigned char *b = sqlite3_column_blob(st, i);
        int n = sqlite3_column_bytes(st, i);
        printf("b:x'");
        for (int k = 0; k < n; k++)
            printf("%02x", b[k]);
        printf("'");
        break;
    }
    default: printf("null"); break;
    }
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

typedef struct { int n; char type[16]; char val[256]; } bindspec;

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: both DBFILE SCRIPT.sql\n");
        return 2;
    }
    char *script = slurp(argv[2]);
    if (!script) {
        perror(argv[2]);
        return 2;
    }
    sqlite3 *db = NULL;
    int rc = sqlite3_open(argv[1], &db);
    if (rc != SQLITE_OK) {
        printf("open failed: %d %s\n", rc, sqlite3_errmsg(db));
        return 1;
    }
    const char *p = script;
    bindspec binds[16];
    int nb = 0;
    while (*p) {
        /* directives and blank lines before the next statement */
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
            p++;
        if (strncmp(p, "--! bind ", 9) == 0) {
            if (nb < 16 && sscanf(p + 9, "%d %15s %255[^\n]", &binds[nb].n, binds[nb].type,
                                  binds[nb].val) >= 2)
                nb++;
            p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p);
            continue;
        }
        if (strncmp(p, "--", 2) == 0) {
            p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p);
            continue;
        }
        if (!*p)
            break;
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        rc = sqlite3_prepare_v2(db, p, -1, &st, &tail);
        int len = (int)((tail ? tail : p + strlen(p)) - p);
        if (rc == SQLITE_OK)
            printf("> %.*s\n", len, p);
        if (rc != SQLITE_OK) {
            /* SQLite reports parse errors at prepare, the PostgreSQL backend at the first
             * step (the Parse travels with the execution: docs/compatibility.md); the
             * transcript shows both the same way.  Skip to the end of the line holding the
             * statement's ';' (scripts hold one statement per line). */
            printf("> %.*s\n", (int)(strchr(p, '\n') ? strchr(p, '\n') - p : (long)strlen(p)), p);
            printf("  error rc=%d: %s\n", sqlite3_extended_errcode(db), sqlite3_errmsg(db));
            printf("  changes=%d last_rowid=%lld autocommit=%d\n", sqlite3_changes(db),
                   (long long)sqlite3_last_insert_rowid(db), sqlite3_get_autocommit(db));
            const char *nl = strchr(p, '\n');
            p = nl ? nl + 1 : p + strlen(p);
            nb = 0;
            continue;
        }
        p = tail;
        if (!st)
            continue;
        for (int k = 0; k < nb; k++) {
            const char *t = binds[k].type, *v = binds[k].val;
            if (strcmp(t, "int") == 0)
                sqlite3_bind_int64(st, binds[k].n, strtoll(v, NULL, 10));
            else if (strcmp(t, "float") == 0)
                sqlite3_bind_double(st, binds[k].n, strtod(v, NULL));
            else if (strcmp(t, "text") == 0)
                sqlite3_bind_text(st, binds[k].n, v, -1, SQLITE_TRANSIENT);
            else if (strcmp(t, "blob-hex") == 0) {
                unsigned char b[128];
                int n = 0;
                for (; v[2 * n] && v[2 * n + 1] && n < 128; n++) {
                    unsigned x;
                    sscanf(v + 2 * n, "%2x", &x);
                    b[n] = (unsigned char)x;
                }
                sqlite3_bind_blob(st, binds[k].n, b, n, SQLITE_TRANSIENT);
            } else
                sqlite3_bind_null(st, binds[k].n);
        }
        nb = 0;
        int ncol = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (!ncol) {
                ncol = sqlite3_column_count(st);
                printf("  cols:");
                for (int i = 0; i < ncol; i++)
                    printf(" %s", sqlite3_column_name(st, i));
                printf("\n");
            }
            printf("  row:");
            for (int i = 0; i < ncol; i++) {
                printf(" ");
                print_value(st, i);
            }
            printf("\n");
        }
        if (rc != SQLITE_DONE)
            printf("  error rc=%d: %s\n", sqlite3_extended_errcode(db), sqlite3_errmsg(db));
        sqlite3_finalize(st);
        printf("  changes=%d last_rowid=%lld autocommit=%d\n", sqlite3_changes(db),
               (long long)sqlite3_last_insert_rowid(db), sqlite3_get_autocommit(db));
    }
    printf("total_changes=%d\n", sqlite3_total_changes(db));
    rc = sqlite3_close(db);
    printf("close rc=%d\n", rc);
    free(script);
    return 0;
}
