/* SPDX-License-Identifier: MIT
 *
 * Acceptance test of rewriter/split.c against SQLite itself on real SQL: the 29
 * sqllogictest files and the Chinook and Sakila scripts of /work/shared/corpus (path in
 * argv[1]; a missing corpus is a failure, never a skip).
 *
 * (a) ls_split_complete must equal sqlite3_complete on every statement, on the statement
 *     with ";" appended, and on every prefix of it that ends at a ';'.
 * (b) Splitting a whole script with ls_split_next must give the boundaries of a
 *     sqlite3_prepare_v2/pzTail loop.  Each sqllogictest file becomes one script (its
 *     records for SQLite, in order, each followed by "\n;\n", so empty statements are
 *     exercised too); Chinook and Sakila are used as they are.  Every statement that
 *     changes the database is stepped in a fresh :memory: database so that later ones
 *     prepare.  Where prepare fails (records expected to fail, errors stop the parser
 *     mid-statement), the reference boundary is the shortest prefix that sqlite3_complete
 *     accepts and that holds a statement; those are counted separately.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "rewriter.h"

typedef struct stats {
    long files;
    long statements;        /* statements whose completeness was checked (a) */
    long complete_checks;   /* ls_split_complete calls compared (a) */
    long prepare_bounds;    /* boundaries compared with pzTail (b) */
    long fallback_bounds;   /* boundaries compared with sqlite3_complete (b) */
    long failures;
} stats;

static stats st;

static void failure(const char *where, const char *fmt, const char *text, size_t n)
{
    st.failures++;
    if (st.failures <= 20)
        fprintf(stderr, "FAIL %s: %s: [%.*s]\n", where, fmt, (int)(n > 300 ? 300 : n), text);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        *len = n;
    }
    return buf;
}

/* (a) on one statement sql[0..n). */
static void check_complete(const char *where, const char *sql, size_t n)
{
    char *copy = malloc(n + 2);
    if (!copy) {
        failure(where, "out of memory", "", 0);
        return;
    }
    st.statements++;
    for (size_t k = 0; k <= n + 1; k++) {
        bool whole = k == n, plus = k == n + 1;
        if (!whole && !plus && sql[k] != ';')
            continue;
        size_t m = plus ? n + 1 : whole ? n : k + 1;
        memcpy(copy, sql, m < n ? m : n);
        if (plus)
            copy[n] = ';';
        copy[m] = 0;
        st.complete_checks++;
        if (ls_split_complete(copy) != (sqlite3_complete(copy) != 0))
            failure(where, "ls_split_complete differs from sqlite3_complete", copy, m);
    }
    free(copy);
}

/* Reference boundary where prepare fails: the shortest prefix through a ';' that
 * sqlite3_complete accepts and that is not only empty statements; else the whole text. */
static size_t complete_boundary(sqlite3 *db, char *p)
{
    size_t n = strlen(p);
    for (size_t k = 0; k < n; k++) {
        if (p[k] != ';')
            continue;
        char saved = p[k + 1];
        p[k + 1] = 0;
        bool done = sqlite3_complete(p) != 0;
        if (done) {
            sqlite3_stmt *stmt = NULL;
            int rc = sqlite3_prepare_v2(db, p, -1, &stmt, NULL);
            done = !(rc == SQLITE_OK && stmt == NULL); /* only ';' and comments: go on */
            sqlite3_finalize(stmt);
        }
        p[k + 1] = saved;
        if (done)
            return k + 1;
    }
    return n;
}

/* (b) on a whole script (modified temporarily, restored), in a fresh database. */
static void check_script(const char *where, char *script)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        failure(where, "cannot open :memory:", "", 0);
        return;
    }
    char *p = script;
    while (*p) {
        sqlite3_stmt *stmt = NULL;
        const char *tail = NULL;
        size_t ours = ls_split_next(p, strlen(p), NULL);
        size_t want;
        int rc = sqlite3_prepare_v2(db, p, -1, &stmt, &tail);
        if (rc == SQLITE_OK) {
            want = (size_t)(tail - p);
            st.prepare_bounds++;
            if (stmt && !sqlite3_stmt_readonly(stmt))
                while (sqlite3_step(stmt) == SQLITE_ROW) {
                }
            sqlite3_finalize(stmt);
        } else {
            want = complete_boundary(db, p);
            st.fallback_bounds++;
        }
        if (ours != want) {
            char msg[120];
            snprintf(msg, sizeof msg, "ls_split_next ends at %zu, SQLite at %zu (%s)", ours,
                     want, rc == SQLITE_OK ? "pzTail" : "sqlite3_complete");
            failure(where, msg, p, want > ours ? want : ours);
        }
        if (want == 0)
            break;
        p += want;
    }
    sqlite3_close(db);
}

static void append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 4096;
        while (*len + n + 1 > c)
            c *= 2;
        char *b = realloc(*buf, c);
        if (!b) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = 0;
}

/* One sqllogictest file: records separated by blank lines; in a statement or query record
 * the SQL runs from the line after the header to a "----" line or the record's end. */
static void check_slt_file(const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    if (!text) {
        failure(path, "cannot read", "", 0);
        return;
    }
    st.files++;
    char *script = NULL, *sql = NULL;
    size_t script_len = 0, script_cap = 0, sql_len = 0, sql_cap = 0;
    bool in_sql = false, for_sqlite = true, halted = false;
    char *line = text;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        if (n > 0 && line[n - 1] == '\r')
            n--;
        bool blank = n == 0;
        if (in_sql && (blank || (n >= 4 && strncmp(line, "----", 4) == 0))) {
            check_complete(path, sql, sql_len);
            if (for_sqlite && !halted) {
                append(&script, &script_len, &script_cap, sql, sql_len);
                append(&script, &script_len, &script_cap, "\n;\n", 3);
            }
            in_sql = false;
            sql_len = 0;
            if (blank)
                for_sqlite = true;
        } else if (in_sql) {
            if (sql_len)
                append(&sql, &sql_len, &sql_cap, "\n", 1);
            append(&sql, &sql_len, &sql_cap, line, n);
        } else if (blank) {
            for_sqlite = true;
        } else if (strncmp(line, "skipif sqlite", 13) == 0) {
            for_sqlite = false;
        } else if (strncmp(line, "onlyif ", 7) == 0 && strncmp(line + 7, "sqlite", 6) != 0) {
            for_sqlite = false;
        } else if (strncmp(line, "halt", 4) == 0 && for_sqlite) {
            halted = true;
        } else if (strncmp(line, "statement ", 10) == 0 || strncmp(line, "query ", 6) == 0) {
            in_sql = true;
            sql_len = 0;
        }
        line = nl ? nl + 1 : NULL;
    }
    if (in_sql && sql_len) {
        check_complete(path, sql, sql_len);
        if (for_sqlite && !halted)
            append(&script, &script_len, &script_cap, sql, sql_len);
    }
    if (script)
        check_script(path, script);
    free(script);
    free(sql);
    free(text);
}

/* A whole SQL script: (b) on it, and (a) on each statement it splits into. */
static void check_sql_script(const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    if (!text) {
        failure(path, "cannot read", "", 0);
        return;
    }
    st.files++;
    check_script(path, text);
    for (size_t pos = 0; pos < len;) {
        size_t n = ls_split_next(text + pos, len - pos, NULL);
        if (n == 0)
            break;
        check_complete(path, text + pos, n);
        pos += n;
    }
    free(text);
}

static char **slt_paths;
static size_t n_slt;

static int collect(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    size_t n = strlen(path);
    if (type == FTW_F && n > 5 && strcmp(path + n - 5, ".test") == 0) {
        char **v = realloc(slt_paths, (n_slt + 1) * sizeof *v);
        if (!v)
            return 1;
        slt_paths = v;
        slt_paths[n_slt++] = strdup(path);
    }
    return 0;
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_split_corpus <corpus dir>\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/sqllogictest", argv[1]);
    if (nftw(path, collect, 16, FTW_PHYS) != 0 || n_slt == 0) {
        fprintf(stderr, "FAIL: no sqllogictest files under %s\n", path);
        return 1;
    }
    qsort(slt_paths, n_slt, sizeof *slt_paths, compare_paths);
    for (size_t i = 0; i < n_slt; i++) {
        check_slt_file(slt_paths[i]);
        free(slt_paths[i]);
    }
    free(slt_paths);
    static const char *scripts[] = {
        "databases/chinook/Chinook_Sqlite.sql",
        "databases/sakila/sqlite-sakila-schema.sql",
    };
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", argv[1], scripts[i]);
        check_sql_script(path);
    }
    printf("%ld files (%zu sqllogictest); %ld statements checked with sqlite3_complete "
           "(%ld comparisons); %ld boundaries compared with sqlite3_prepare_v2 pzTail, "
           "%ld with sqlite3_complete where prepare failed; %ld failures\n",
           st.files, n_slt, st.statements, st.complete_checks, st.prepare_bounds,
           st.fallback_bounds, st.failures);
    if (n_slt != 29)
        fprintf(stderr, "note: expected 29 sqllogictest files, found %zu\n", n_slt);
    return st.failures == 0 && st.files == (long)n_slt + 2 ? 0 : 1;
}
