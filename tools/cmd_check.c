/* SPDX-License-Identifier: MIT
 *
 * `liteshift check CAPTURE_FILE [DATABASE_URL]`: before cutover, say which of the app's
 * statements (recorded by LITESHIFT_CAPTURE) would fail on PostgreSQL, and why.
 *
 * Each distinct statement is rewritten as the shim rewrites it (ls_rw_rewrite with a schema
 * callback on the target's catalog, tools/check_schema.c), then handled as the shim's
 * backend handles its kind (shim/pg_exec.c):
 *   - transaction control, VACUUM, and the PRAGMAs the shim answers itself never reach the
 *     server: they pass; an unsupported PRAGMA fails as it would in the app;
 *   - DDL is executed, and everything else is prepared (a Parse, exactly as the shim sends
 *     it: same text, parameter types left to the server), each inside a transaction that is
 *     rolled back, so the target is left as it was.
 * DDL that fails only because its object already exists in the target (the schema was
 * copied there) passes with a note.  What the rewriter did that relies on a documented
 * deviation is listed per statement, named by its id in docs/compatibility.md (D<n>) or in
 * the dialect notes (DIALECT <id>).  Errors that depend on the data (a
 * constraint, a bad cast of a stored value) show only when the statement runs: check cannot
 * see them.
 *
 * The session has the shim's settings (TimeZone=UTC, DateStyle=ISO,YMD...) and, with
 * --schema or LITESHIFT_SCHEMA, its search_path.  Exit status: 0 every statement passes,
 * 1 some fail (or the check could not run: the reason is on stderr), 2 usage.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sqlite3.h>

#include "cmds.h"
#include "check.h"

static const char usage[] =
    "usage: liteshift check [--json FILE] [--html FILE] [--schema NAME] [--quiet]\n"
    "                       CAPTURE_FILE [DATABASE_URL]\n"
    "  Rewrite every statement of CAPTURE_FILE (written by the shim with\n"
    "  LITESHIFT_CAPTURE=FILE) and prepare it on the PostgreSQL database that holds the\n"
    "  copied schema (DATABASE_URL, else the environment's DATABASE_URL or PG* variables),\n"
    "  inside a transaction that is rolled back.  Prints which statements fail and why.\n"
    "  --json FILE   the report as JSON      --html FILE  as a page with a summary chart\n"
    "  --schema NAME the schema the app's tables live in (as LITESHIFT_SCHEMA)\n"
    "  --quiet       print only the summary and the failures\n"
    "  exit status: 0 all pass, 1 some fail (or the check could not run), 2 usage\n";

/* ---- the capture file (format: shim/capture.c) ---- */

static int by_sql(const void *a, const void *b)
{
    return strcmp(((const ls_check_item *)a)->sql, ((const ls_check_item *)b)->sql);
}

static int by_report_order(const void *a, const void *b)
{
    const ls_check_item *x = a, *y = b;
    if (x->status != y->status) /* failures first: translate, prepare, then ok */
        return (x->status == LS_CHECK_OK) - (y->status == LS_CHECK_OK);
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->sql, y->sql);
}

/* Undo the capture escapes in place; false on a malformed escape. */
static bool unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r != '\\') {
            *w++ = *r;
            continue;
        }
        switch (*++r) {
        case '\\': *w++ = '\\'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        default: return false;
        }
    }
    *w = '\0';
    return true;
}

static int read_capture(const char *path, ls_check_run *run)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "liteshift check: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    char *line = NULL;
    size_t cap = 0, alloc = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t'), *end = NULL;
        errno = 0;
        unsigned long long count = tab ? strtoull(line, &end, 10) : 0;
        if (!tab || end != tab || errno || !unescape(tab + 1) || !tab[1]) {
            fprintf(stderr, "liteshift check: %s line %ld: not a capture record "
                    "(COUNT<TAB>STATEMENT)\n", path, lineno);
            rc = 1;
            break;
        }
        if (run->n_items == alloc) {
            alloc = alloc ? alloc * 2 : 64;
            ls_check_item *grown = realloc(run->items, alloc * sizeof *grown);
            if (!grown) {
                rc = 1;
                fprintf(stderr, "liteshift check: out of memory\n");
                break;
            }
            run->items = grown;
        }
        ls_check_item *it = &run->items[run->n_items];
        memset(it, 0, sizeof *it);
        if (!(it->sql = strdup(tab + 1))) {
            rc = 1;
            fprintf(stderr, "liteshift check: out of memory\n");
            break;
        }
        it->count = count;
        run->n_items++;
    }
    if (ferror(f) && rc == 0) {
        fprintf(stderr, "liteshift check: cannot read %s: %s\n", path, strerror(errno));
        rc = 1;
    }
    free(line);
    fclose(f);
    if (rc)
        return rc;
    /* merge the records of one statement (several processes, several flushes) */
    qsort(run->items, run->n_items, sizeof *run->items, by_sql);
    size_t w = 0;
    for (size_t r = 0; r < run->n_items; r++) {
        if (w > 0 && strcmp(run->items[w - 1].sql, run->items[r].sql) == 0) {
            run->items[w - 1].count += run->items[r].count;
            free(run->items[r].sql);
        } else {
            run->items[w++] = run->items[r];
        }
    }
    run->n_items = w;
    return 0;
}

/* See check.h. */
void ls_check_run_clear(ls_check_run *run)
{
    for (size_t i = 0; i < run->n_items; i++) {
        free(run->items[i].sql);
        free(run->items[i].rewritten);
        free(run->items[i].error);
        free(run->items[i].note);
    }
    free(run->items);
    memset(run, 0, sizeof *run);
}

/* ---- deviations the rewrite relies on (DIALECT.md ids) ---- */

static void add_dev(ls_check_item *it, const char *id, const char *text)
{
    for (int i = 0; i < it->n_dev; i++)
        if (strcmp(it->dev_id[i], id) == 0)
            return;
    if (it->n_dev < LS_CHECK_MAX_DEV) {
        it->dev_id[it->n_dev] = id;
        it->dev_text[it->n_dev++] = text;
    }
}

/* Does sql call the function name (case-insensitively, as a bare name before '(')? */
static bool calls(const char *sql, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = sql; (p = strcasestr(p, name)); p += n) {
        bool starts = p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' ||
                                    p[-1] == '.' || p[-1] == '"');
        const char *q = p + n;
        while (*q == ' ' || *q == '\t' || *q == '\n')
            q++;
        if (starts && *q == '(')
            return true;
    }
    return false;
}

static void find_deviations(ls_check_item *it, const ls_rw_result *r)
{
    if (r->rules & LS_R_LIKE)
        add_dev(it, "DIALECT E11",
                "LIKE became ILIKE: PostgreSQL also folds the case of non-ASCII "
                "letters, SQLite folds ASCII only");
    if (r->kind == LS_RW_BEGIN && r->begin == LS_BEGIN_EXCLUSIVE)
        add_dev(it, "DIALECT S2",
                "BEGIN EXCLUSIVE takes the write lock; readers are not blocked "
                "as in SQLite's rollback-journal mode");
    if (r->kind == LS_RW_INSERT && r->onerr == LS_ONERR_FAIL)
        add_dev(it, "DIALECT S10",
                "INSERT OR FAIL: PostgreSQL statements are atomic, rows before "
                "the failing one do not stay");
    if (r->rules & LS_R_DROPPED)
        add_dev(it, "DIALECT S35/T",
                "a clause with no PostgreSQL meaning was dropped (INDEXED BY, "
                "WITHOUT ROWID, STRICT...)");
    if (r->kind == LS_RW_VACUUM)
        add_dev(it, "DIALECT S30", "VACUUM is a no-op on the PostgreSQL backend");
    if (r->kind == LS_RW_PRAGMA && r->pragma.cls == LS_PRAGMA_NOOP)
        add_dev(it, "DIALECT K7",
                "this PRAGMA is accepted and answered, with no effect on PostgreSQL");
    if (r->kind == LS_RW_PRAGMA && strcmp(r->pragma.name, "foreign_keys") == 0 &&
        r->pragma.has_arg && (strcmp(r->pragma.arg, "0") == 0 ||
                              strcasecmp(r->pragma.arg, "off") == 0))
        add_dev(it, "DIALECT K6", "foreign_keys=OFF: PostgreSQL always enforces foreign keys");
    if (r->rules & LS_R_ROWID)
        add_dev(it, "D14", "rowid of a table without INTEGER PRIMARY KEY: a hidden identity "
                           "column on PostgreSQL (docs/compatibility.md)");
    if (r->rules & LS_R_TYPELESS)
        add_dev(it, "D2", "a column declared without a type: a value written from a literal, "
                          "a parameter or another such column keeps its storage class; one "
                          "written by another expression, INSERT ... SELECT or another "
                          "client reads back as text, and the server compares and sorts "
                          "them as text (docs/compatibility.md)");
    if (calls(it->sql, "typeof"))
        add_dev(it, "DIALECT F7", "typeof() follows the column's type, not each value (a "
                                  "column without a type: each value's class, when kept)");
    if (calls(it->sql, "upper") || calls(it->sql, "lower"))
        add_dev(it, "DIALECT F5",
                "upper()/lower() fold all of Unicode on PostgreSQL, ASCII only "
                "in SQLite");
}

/* ---- checking one statement ---- */

static char *dup_trimmed(const char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
        n--;
    return strndup(s, n);
}

static bool exec_ok(PGconn *pg, const char *sql)
{
    PGresult *r = PQexec(pg, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok;
}

/* A failure PostgreSQL reported: SQLSTATE and primary message into it. */
static void server_error(ls_check_item *it, const PGresult *r, PGconn *pg)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    snprintf(it->sqlstate, sizeof it->sqlstate, "%s", state ? state : "");
    it->error = msg ? strdup(msg) : dup_trimmed(PQerrorMessage(pg));
    it->status = LS_CHECK_PREPARE;
}

static bool duplicate_object(const char *state)
{
    /* duplicate table, schema, object (index, constraint...), function, column */
    return !strcmp(state, "42P07") || !strcmp(state, "42P06") || !strcmp(state, "42710") ||
           !strcmp(state, "42723") || !strcmp(state, "42701");
}

/* Prepare (or, for DDL, execute) the translation in a transaction that is rolled back.
 * Returns false when the connection itself failed. */
static bool try_on_server(PGconn *pg, ls_check_item *it, const ls_rw_result *r)
{
    if (!exec_ok(pg, "BEGIN"))
        return false;
    PGresult *res = PQprepare(pg, "", r->sql, r->n_params, NULL);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    snprintf(it->how, sizeof it->how, "prepared");
    if (ok && r->kind == LS_RW_DDL) {
        /* DDL is only parsed by a Parse: run it to find what the server would refuse */
        PQclear(res);
        res = PQexecPrepared(pg, "", 0, NULL, NULL, NULL, 0);
        ExecStatusType s = PQresultStatus(res);
        ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
        snprintf(it->how, sizeof it->how, "executed, rolled back");
    }
    if (!ok) {
        server_error(it, res, pg);
        if (r->kind == LS_RW_DDL && duplicate_object(it->sqlstate)) {
            it->note = it->error;
            it->error = NULL;
            it->sqlstate[0] = '\0';
            it->status = LS_CHECK_OK;
        }
    }
    PQclear(res);
    return exec_ok(pg, "ROLLBACK") || PQstatus(pg) == CONNECTION_OK;
}

static void rules_text(ls_check_item *it, uint32_t rules)
{
    size_t n = 0;
    for (int b = 0; b < LS_R_COUNT; b++) {
        if (!(rules & (1u << b)))
            continue;
        int k = snprintf(it->rules + n, sizeof it->rules - n, "%s%s", n ? "," : "",
                         ls_rw_rule_name(1u << b));
        if (k < 0 || (size_t)k >= sizeof it->rules - n)
            break;
        n += (size_t)k;
    }
}

static bool check_one(PGconn *pg, ls_catalog *cat, ls_check_item *it)
{
    ls_rw_result r = { 0 };
    ls_err err = { 0 };
    int rc = ls_rw_rewrite(it->sql, strlen(it->sql), ls_catalog_schema(cat), &r, &err);
    if (rc != SQLITE_OK) {
        it->status = LS_CHECK_TRANSLATE;
        it->error = strdup(err.msg[0] ? err.msg : rc == SQLITE_NOMEM ? "out of memory"
                                                   : "cannot translate this statement");
        snprintf(it->how, sizeof it->how, "rewriter");
        ls_rw_result_clear(&r);
        return true;
    }
    it->rewritten = strdup(r.sql);
    rules_text(it, r.rules);
    find_deviations(it, &r);
    bool alive = true;
    switch (r.kind) {
    case LS_RW_EMPTY:
    case LS_RW_VACUUM:
    case LS_RW_BEGIN:
    case LS_RW_COMMIT:
    case LS_RW_ROLLBACK:
    case LS_RW_SAVEPOINT:
    case LS_RW_RELEASE:
    case LS_RW_ROLLBACK_TO:
        snprintf(it->how, sizeof it->how, "run by the shim");
        break;
    case LS_RW_PRAGMA:
        if (r.pragma.cls == LS_PRAGMA_UNSUPPORTED) {
            it->status = LS_CHECK_TRANSLATE;
            snprintf(it->how, sizeof it->how, "shim");
            char msg[160];
            snprintf(msg, sizeof msg, "PRAGMA %s is not supported on the PostgreSQL backend",
                     r.pragma.name);
            it->error = strdup(msg);
        } else if (r.pragma.cls == LS_PRAGMA_CATALOG) {
            alive = try_on_server(pg, it, &r);
        } else {
            snprintf(it->how, sizeof it->how, "answered by the shim");
        }
        break;
    default:
        alive = try_on_server(pg, it, &r);
        break;
    }
    ls_rw_result_clear(&r);
    return alive;
}

/* ---- the command ---- */

static PGconn *connect_target(const char *url, const char *schema)
{
    char options[512];
    snprintf(options, sizeof options,
             "-c TimeZone=UTC -c DateStyle=ISO,YMD -c extra_float_digits=3 "
             "-c standard_conforming_strings=on -c lock_timeout=5s -c statement_timeout=60s"
             "%s%s%s", schema ? " -c search_path=" : "", schema ? schema : "",
             schema ? ",public" : "");
    const char *keys[] = { "dbname", "options", "client_encoding", "application_name", NULL };
    const char *vals[] = { url ? url : "", options, "UTF8", "liteshift check", NULL };
    PGconn *pg = PQconnectdbParams(keys, vals, 1);
    if (!pg || PQstatus(pg) != CONNECTION_OK) {
        char *msg = pg ? dup_trimmed(PQerrorMessage(pg)) : NULL;
        fprintf(stderr, "liteshift check: cannot connect to PostgreSQL: %s\n",
                msg ? msg : "out of memory");
        free(msg);
        PQfinish(pg);
        return NULL;
    }
    return pg;
}

static int write_report(const char *path, const ls_check_run *run,
                        int (*write)(FILE *, const ls_check_run *))
{
    FILE *f = fopen(path, "w");
    if (!f || write(f, run) != 0 || fclose(f) != 0) {
        fprintf(stderr, "liteshift check: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int ls_cmd_check(int argc, char **argv)
{
    const char *json = NULL, *html = NULL, *capture = NULL, *url = NULL;
    const char *schema = getenv("LITESHIFT_SCHEMA");
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--json") && i + 1 < argc) {
            json = argv[++i];
        } else if (!strcmp(a, "--html") && i + 1 < argc) {
            html = argv[++i];
        } else if (!strcmp(a, "--schema") && i + 1 < argc) {
            schema = argv[++i];
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "liteshift check: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (!capture) {
            capture = a;
        } else if (!url) {
            url = a;
        } else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!capture) {
        fputs(usage, stderr);
        return 2;
    }
    if (schema && !*schema)
        schema = NULL;
    if (!url) {
        url = getenv("DATABASE_URL");
        if (url && !*url)
            url = NULL;
    }
    ls_check_run run = { .capture = capture };
    if (read_capture(capture, &run) != 0)
        return 1;
    PGconn *pg = connect_target(url, schema);
    if (!pg) {
        ls_check_run_clear(&run);
        return 1;
    }
    ls_catalog *cat = ls_catalog_new(pg);
    int rc = cat ? 0 : 1;
    for (size_t i = 0; i < run.n_items && rc == 0; i++) {
        ls_check_item *it = &run.items[i];
        if (!check_one(pg, cat, it)) {
            fprintf(stderr, "liteshift check: lost the connection to PostgreSQL while "
                    "checking statement %zu: %s\n", i + 1, PQerrorMessage(pg));
            rc = 1;
        }
    }
    for (size_t i = 0; i < run.n_items; i++) {
        const ls_check_item *it = &run.items[i];
        run.executions += it->count;
        if (it->status == LS_CHECK_OK) {
            run.n_ok++;
            run.x_ok += it->count;
        } else {
            run.n_translate += it->status == LS_CHECK_TRANSLATE;
            run.n_prepare += it->status == LS_CHECK_PREPARE;
            run.x_fail += it->count;
        }
        run.n_dev += it->n_dev > 0;
    }
    qsort(run.items, run.n_items, sizeof *run.items, by_report_order);
    if (rc == 0) {
        if (quiet) {
            ls_check_run failures = run;
            failures.n_items = run.n_translate + run.n_prepare;
            ls_check_write_text(stdout, &failures);
        } else {
            ls_check_write_text(stdout, &run);
        }
        if (json)
            rc |= write_report(json, &run, ls_check_write_json);
        if (html)
            rc |= write_report(html, &run, ls_check_write_html);
        if (run.n_translate + run.n_prepare > 0)
            rc = 1;
    }
    ls_catalog_free(cat);
    PQfinish(pg);
    ls_check_run_clear(&run);
    return rc;
}
