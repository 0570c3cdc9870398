/* SPDX-License-Identifier: MIT
 *
 * sqllogictest runner using only the sqlite3 C API, so that it runs unchanged on the real
 * SQLite and, with libliteshift.so preloaded and USE_POSTGRES=1, on PostgreSQL through the
 * shim.  To the application the shim is SQLite, so this runner is the engine "sqlite" for
 * skipif/onlyif.  One test file per run, in a fresh database (DBFILE is removed first; through
 * the shim the PostgreSQL database named by DATABASE_URL must be empty: tests/slt/run.sh
 * creates one per file).
 *
 *   slt [-v] [-l FAILLOG] DBFILE TESTFILE
 *
 * The format, as the reference runner implements it:
 *   - records are separated by blank lines; '#' lines outside results are comments;
 *   - "skipif E" / "onlyif E" lines before a record skip it for engine E / other engines;
 *   - "statement ok|error" then SQL: must succeed / must fail;
 *   - "query TYPES [nosort|rowsort|valuesort] [LABEL]" then SQL, "----", expected values one
 *     per line.  TYPES has one letter per column: I (printed "%lld" of the 64-bit integer
 *     value), R ("%.3f" of the double value), T (the text; "" is "(empty)", bytes outside
 *     ' '..'~' become '@').  NULL prints "NULL" whatever the type.  rowsort sorts rows,
 *     valuesort all values, both by strcmp.  A result of more values than the hash threshold
 *     is expected as "N values hashing to MD5", the MD5 of every value followed by "\n";
 *     queries with the same label must hash alike;
 *   - "hash-threshold N" sets the threshold (0: never hash); "halt" ends the file.
 *
 * Output: a human summary line and a tab-separated "RESULT" line on stdout; with -l, one
 * entry per failed record (file:line, cause, SQL on one line) appended to FAILLOG; with -v the
 * same entries on stderr.  Exit 0 when every record that ran passed, 1 when some failed,
 * 2 on usage or I/O error.  Records skipped by a directive are counted apart, never as passes.
 */
#include "md5.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ENGINE "sqlite"
#define MAX_TOKENS 8

typedef struct {
    const char *path;
    char *text;          /* the whole file, owned */
    char **lines;        /* NUL-terminated, trailing CR and spaces removed */
    int n_lines;
    int pos;             /* next line to read */
} script;

typedef struct {
    long stmt_pass, stmt_fail, query_pass, query_fail, skipped;
} counts;

typedef struct {
    char *label;
    char hash[33];
} label_entry;

static bool verbose;
static FILE *faillog;
static int hash_threshold = 8;
static label_entry *labels;
static int n_labels;
static long n_step_error_passes;

/* ---- script reading ---------------------------------------------------------------------- */

static int load_script(script *s, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        fclose(f);
        return -1;
    }
    fclose(f);
    text[size] = '\0';
    int cap = 1024;
    s->lines = malloc(sizeof(char *) * (size_t)cap);
    s->n_lines = 0;
    s->pos = 0;
    s->path = path;
    s->text = text;
    for (char *p = text; *p;) {
        char *nl = strchr(p, '\n');
        char *next = nl ? nl + 1 : p + strlen(p);
        if (nl)
            *nl = '\0';
        size_t len = strlen(p);
        while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
            p[--len] = '\0';
        if (s->n_lines == cap) {
            cap *= 2;
            s->lines = realloc(s->lines, sizeof(char *) * (size_t)cap);
        }
        s->lines[s->n_lines++] = p;
        p = next;
    }
    if (!s->lines)
        return -1;
    return 0;
}

static bool is_blank(const char *line) { return line[0] == '\0'; }

/* Splits a directive line into at most MAX_TOKENS whitespace-separated words, in place.
 * Stops at a word starting with '#' (a trailing comment). */
static int tokenize(char *line, char *tok[MAX_TOKENS])
{
    int n = 0;
    char *p = line;
    while (*p && n < MAX_TOKENS) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            break;
        tok[n++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

/* Joins lines [from, to) with '\n' into a new string. */
static char *join_lines(script *s, int from, int to)
{
    size_t len = 1;
    for (int i = from; i < to; i++)
        len += strlen(s->lines[i]) + 1;
    char *out = malloc(len), *q = out;
    for (int i = from; i < to; i++) {
        size_t l = strlen(s->lines[i]);
        memcpy(q, s->lines[i], l);
        q += l;
        if (i + 1 < to)
            *q++ = '\n';
    }
    *q = '\0';
    return out;
}

/* ---- failure reports --------------------------------------------------------------------- */

static void report(const script *s, int line, const char *sql, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report_to(FILE *out, const script *s, int line, const char *sql, const char *msg)
{
    fprintf(out, "%s:%d: %s\n  sql: ", s->path, line, msg);
    for (const char *p = sql; *p; p++)
        fputc(*p == '\n' ? ' ' : *p, out);
    fputc('\n', out);
}

static void report(const script *s, int line, const char *sql, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (faillog)
        report_to(faillog, s, line, sql, msg);
    if (verbose)
        report_to(stderr, s, line, sql, msg);
}

/* ---- value formatting -------------------------------------------------------------------- */

/* "%.3f" as SQLite's printf prints it: at most 16 significant digits, correctly rounded,
 * the rest zeros ("-9223372036854776000.000" for -2^63; libc prints every digit, and
 * SQLite 3.40's own printf rounds that one wrongly to ...775000). */
static void format_real(double v, char *buf, size_t size)
{
    snprintf(buf, size, "%.3f", v);
    int sig = 0;
    bool leading = true;
    for (const char *p = buf; *p; p++) {
        if (*p < '0' || *p > '9' || (leading && *p == '0'))
            continue;
        leading = false;
        sig++;
    }
    if (sig <= 16)
        return;
    char e[40];
    snprintf(e, sizeof e, "%.15e", v); /* [-]d.ddddddddddddddde+XX */
    const char *p = e;
    bool neg = *p == '-';
    if (neg)
        p++;
    char digits[16];
    int nd = 0;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[nd++] = *p;
    int exp10 = atoi(p + 1); /* |v| >= 1e13 here, so exp10 >= 13 */
    size_t k = 0;
    if (neg)
        buf[k++] = '-';
    for (int i = 0; i <= exp10 && k + 6 < size; i++)
        buf[k++] = i < nd ? digits[i] : '0';
    buf[k++] = '.';
    for (int i = exp10 + 1; i <= exp10 + 3; i++)
        buf[k++] = i < nd ? digits[i] : '0';
    buf[k] = '\0';
}

static char *format_value(sqlite3_stmt *st, int col, char type)
{
    char buf[64];
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return strdup("NULL");
    switch (type) {
    case 'I':
        sqlite3_snprintf(sizeof buf, buf, "%lld", (long long)sqlite3_column_int64(st, col));
        return strdup(buf);
    case 'R':
        format_real(sqlite3_column_double(st, col), buf, sizeof buf);
        return strdup(buf);
    default: {
        const unsigned char *t = sqlite3_column_text(st, col);
        if (!t)
            return strdup("NULL");
        if (!t[0])
            return strdup("(empty)");
        char *out = strdup((const char *)t);
        for (unsigned char *p = (unsigned char *)out; *p; p++)
            if (*p < ' ' || *p > '~')
                *p = '@';
        return out;
    }
    }
}

static int sort_cols;

static int cmp_value(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_row(const void *a, const void *b)
{
    char *const *ra = a, *const *rb = b;
    for (int i = 0; i < sort_cols; i++) {
        int c = strcmp(ra[i], rb[i]);
        if (c)
            return c;
    }
    return 0;
}

/* Row sort over a flat array of n values in rows of cols: sorts an array of row pointers,
 * then rewrites the flat array. */
static void sort_rows(char **vals, int n, int cols)
{
    int rows = n / cols;
    char **copy = malloc(sizeof(char *) * (size_t)(n ? n : 1));
    memcpy(copy, vals, sizeof(char *) * (size_t)n);
    /* qsort over fixed-size rows: element size is cols pointers */
    sort_cols = cols;
    qsort(copy, (size_t)rows, sizeof(char *) * (size_t)cols, cmp_row);
    memcpy(vals, copy, sizeof(char *) * (size_t)n);
    free(copy);
}

static void hash_values(char **vals, int n, char hex[33])
{
    slt_md5 m;
    slt_md5_init(&m);
    for (int i = 0; i < n; i++) {
        slt_md5_update(&m, vals[i], strlen(vals[i]));
        slt_md5_update(&m, "\n", 1);
    }
    slt_md5_final_hex(&m, hex);
}

/* ---- records ----------------------------------------------------------------------------- */

static bool run_statement(sqlite3 *db, script *s, int line, const char *sql, bool expect_ok)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    bool pass = expect_ok ? rc == SQLITE_OK : rc != SQLITE_OK;
    if (!pass) {
        if (expect_ok)
            report(s, line, sql, "statement ok failed: %s", err ? err : sqlite3_errstr(rc));
        else
            report(s, line, sql, "statement error succeeded");
    }
    sqlite3_free(err);
    return pass;
}

/* Runs SQL and returns its formatted values (*n_out of them) or NULL with *errmsg set. */
static char **run_query(sqlite3 *db, const char *sql, const char *types, int *n_out,
                        char **errmsg, bool *step_error)
{
    sqlite3_stmt *st = NULL;
    int ncols = (int)strlen(types), n = 0, cap = 64, rc;
    char **vals = NULL;
    *n_out = 0;
    *errmsg = NULL;
    *step_error = false;
    rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK || !st) {
        *errmsg = sqlite3_mprintf("prepare failed: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return NULL;
    }
    int got = sqlite3_column_count(st);
    if (got != ncols) {
        /* errmsg is read after the last call on the connection: its text lives until then */
        const char *why = sqlite3_errmsg(db);
        *errmsg = sqlite3_mprintf("query returns %d columns, type string has %d (%s)", got,
                                  ncols, why);
        sqlite3_finalize(st);
        return NULL;
    }
    vals = malloc(sizeof(char *) * (size_t)cap);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n + ncols > cap) {
            cap = 2 * cap + ncols;
            vals = realloc(vals, sizeof(char *) * (size_t)cap);
        }
        for (int i = 0; i < ncols; i++)
            vals[n++] = format_value(st, i, types[i]);
    }
    /* As in the reference runner, an error while stepping ends the result (a query expected
     * to overflow is written with an empty result); such records are counted apart. */
    if (rc != SQLITE_DONE)
        *step_error = true;
    sqlite3_finalize(st);
    *n_out = n;
    return vals;
}

static bool check_label(const char *label, const char *hash)
{
    for (int i = 0; i < n_labels; i++)
        if (strcmp(labels[i].label, label) == 0)
            return strcmp(labels[i].hash, hash) == 0;
    labels = realloc(labels, sizeof(label_entry) * (size_t)(n_labels + 1));
    labels[n_labels].label = strdup(label);
    memcpy(labels[n_labels].hash, hash, 33);
    n_labels++;
    return true;
}

/* The query record whose directive line is at 'line'; SQL lines [sql_from, sql_to), expected
 * lines [exp_from, exp_to). */
static bool run_query_record(sqlite3 *db, script *s, int line, char *tok[], int ntok,
                             int sql_from, int sql_to, int exp_from, int exp_to)
{
    const char *types = ntok > 1 ? tok[1] : "";
    const char *mode = ntok > 2 ? tok[2] : "nosort";
    const char *label = ntok > 3 ? tok[3] : NULL;
    char *sql = join_lines(s, sql_from, sql_to);
    char *err = NULL;
    int n = 0;
    bool pass = true;
    char hash[33];
    bool step_error = false;
    char **vals = run_query(db, sql, types, &n, &err, &step_error);
    if (!vals) {
        report(s, line, sql, "query failed: %s", err);
        sqlite3_free(err);
        free(sql);
        return false;
    }
    int ncols = (int)strlen(types);
    if (strcmp(mode, "rowsort") == 0 && ncols > 0)
        sort_rows(vals, n, ncols);
    else if (strcmp(mode, "valuesort") == 0)
        qsort(vals, (size_t)n, sizeof(char *), cmp_value);
    else if (strcmp(mode, "nosort") != 0) {
        report(s, line, sql, "unknown sort mode '%s'", mode);
        pass = false;
    }
    hash_values(vals, n, hash);
    if (pass && (hash_threshold == 0 || n <= hash_threshold)) {
        int n_exp = exp_to - exp_from;
        for (int i = 0; pass && i < n && i < n_exp; i++)
            if (strcmp(vals[i], s->lines[exp_from + i]) != 0) {
                report(s, line, sql, "value %d: expected '%s', got '%s'", i + 1,
                       s->lines[exp_from + i], vals[i]);
                pass = false;
            }
        if (pass && n != n_exp) {
            report(s, line, sql, "expected %d values, got %d", n_exp, n);
            pass = false;
        }
    } else if (pass) {
        char got[96];
        snprintf(got, sizeof got, "%d values hashing to %s", n, hash);
        const char *want = exp_from < exp_to ? s->lines[exp_from] : "";
        if (strcmp(got, want) != 0 || exp_to - exp_from != 1) {
            report(s, line, sql, "expected '%s', got '%s'", want, got);
            pass = false;
        }
    }
    if (pass && label && !check_label(label, hash)) {
        report(s, line, sql, "result differs from earlier queries labelled '%s'", label);
        pass = false;
    }
    if (pass && step_error) {
        n_step_error_passes++;
        report(s, line, sql, "note: passed with a result cut short by an error: %s",
               sqlite3_errmsg(db));
    }
    for (int i = 0; i < n; i++)
        free(vals[i]);
    free(vals);
    free(sql);
    return pass;
}

/* Runs every record of the script; returns false on a format error that stops the file. */
static bool run_script(sqlite3 *db, script *s, counts *c)
{
    while (s->pos < s->n_lines) {
        char *line = s->lines[s->pos];
        if (is_blank(line) || line[0] == '#') {
            s->pos++;
            continue;
        }
        /* the record runs to the next blank line */
        int start = s->pos, end = start;
        while (end < s->n_lines && !is_blank(s->lines[end]))
            end++;
        s->pos = end;
        bool skip = false;
        int i = start;
        char *tok[MAX_TOKENS];
        int ntok = 0;
        char copy[512];
        for (; i < end; i++) {
            if (s->lines[i][0] == '#')
                continue;
            snprintf(copy, sizeof copy, "%s", s->lines[i]);
            ntok = tokenize(copy, tok);
            if (ntok >= 2 && strcmp(tok[0], "skipif") == 0) {
                if (strcmp(tok[1], ENGINE) == 0)
                    skip = true;
            } else if (ntok >= 2 && strcmp(tok[0], "onlyif") == 0) {
                if (strcmp(tok[1], ENGINE) != 0)
                    skip = true;
            } else {
                break;
            }
        }
        if (i == end || ntok == 0)
            continue;
        int dline = i + 1; /* 1-based line of the directive */
        if (strcmp(tok[0], "halt") == 0) {
            if (!skip)
                return true;
            continue;
        }
        if (strcmp(tok[0], "hash-threshold") == 0) {
            if (ntok >= 2)
                hash_threshold = atoi(tok[1]);
            continue;
        }
        if (strcmp(tok[0], "statement") == 0) {
            if (skip) {
                c->skipped++;
                continue;
            }
            if (ntok < 2 || (strcmp(tok[1], "ok") != 0 && strcmp(tok[1], "error") != 0)) {
                fprintf(stderr, "%s:%d: unknown statement kind\n", s->path, dline);
                return false;
            }
            char *sql = join_lines(s, i + 1, end);
            if (run_statement(db, s, dline, sql, strcmp(tok[1], "ok") == 0))
                c->stmt_pass++;
            else
                c->stmt_fail++;
            free(sql);
            continue;
        }
        if (strcmp(tok[0], "query") == 0) {
            if (skip) {
                c->skipped++;
                continue;
            }
            int sep = i + 1;
            while (sep < end && strcmp(s->lines[sep], "----") != 0)
                sep++;
            int exp_from = sep < end ? sep + 1 : end;
            if (run_query_record(db, s, dline, tok, ntok, i + 1, sep, exp_from, end))
                c->query_pass++;
            else
                c->query_fail++;
            continue;
        }
        fprintf(stderr, "%s:%d: unknown record '%s'\n", s->path, dline, tok[0]);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    const char *log_path = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "vl:")) != -1) {
        switch (opt) {
        case 'v': verbose = true; break;
        case 'l': log_path = optarg; break;
        default: goto usage;
        }
    }
    if (argc - optind != 2)
        goto usage;
    const char *dbfile = argv[optind], *testfile = argv[optind + 1];
    script s;
    if (load_script(&s, testfile) != 0) {
        fprintf(stderr, "slt: cannot read %s\n", testfile);
        return 2;
    }
    if (log_path && !(faillog = fopen(log_path, "a"))) {
        fprintf(stderr, "slt: cannot open %s\n", log_path);
        return 2;
    }
    unlink(dbfile);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(dbfile, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        fprintf(stderr, "slt: cannot open %s: %s\n", dbfile, db ? sqlite3_errmsg(db) : "?");
        sqlite3_close(db);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    counts c = {0};
    bool ok = run_script(db, &s, &c);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (sqlite3_close(db) != SQLITE_OK)
        fprintf(stderr, "slt: close failed\n");
    long pass = c.stmt_pass + c.query_pass, fail = c.stmt_fail + c.query_fail;
    printf("%s: %ld records run, %ld passed, %ld failed (statements %ld/%ld, queries %ld/%ld), "
           "%ld skipped by skipif/onlyif, %ld passed with a result cut short by an error, "
           "%.1f s%s\n",
           testfile, pass + fail, pass, fail, c.stmt_pass, c.stmt_pass + c.stmt_fail,
           c.query_pass, c.query_pass + c.query_fail, c.skipped, n_step_error_passes, secs,
           ok ? "" : " (stopped on a format error)");
    printf("RESULT\t%s\t%ld\t%ld\t%ld\t%ld\t%ld\t%.1f\n", testfile, c.stmt_pass, c.stmt_fail,
           c.query_pass, c.query_fail, c.skipped, secs);
    if (faillog)
        fclose(faillog);
    free(s.text);
    free(s.lines);
    for (int i = 0; i < n_labels; i++)
        free(labels[i].label);
    free(labels);
    if (!ok)
        return 2;
    return fail ? 1 : 0;
usage:
    fprintf(stderr, "usage: slt [-v] [-l FAILLOG] DBFILE TESTFILE\n");
    return 2;
}
