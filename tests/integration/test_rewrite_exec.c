/* SPDX-License-Identifier: MIT
 *
 * Execution test of the rewrite rules (issue 3, acceptance 2): every case marked "# exec" in
 * tests/cases runs as written on a real SQLite :memory: database and, rewritten, on the real
 * PostgreSQL of the pg fixture; both must return the same rows.  Setup lines run first on
 * both sides (on PostgreSQL through the rewriter too, so the DDL translation is exercised).
 * Each case gets a fresh schema in a database of its own, so the test runs in parallel with
 * others.  Values compare as text, numbers numerically, booleans as 0/1, blobs as hex.
 *   test_rewrite_exec CASES_DIR      (needs PGHOST/PGPORT from the fixture)
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "case_file.h"
#include "compat.h"

#define BOOLOID 16
#define BYTEAOID 17

typedef struct rows {
    char **v;
    size_t n;
} rows;

static void rows_add(rows *r, const char *s)
{
    r->v = realloc(r->v, (r->n + 1) * sizeof *r->v);
    r->v[r->n++] = strdup(s);
}

static void rows_free(rows *r)
{
    for (size_t k = 0; k < r->n; k++)
        free(r->v[k]);
    free(r->v);
    r->v = NULL;
    r->n = 0;
}

static void cell(char *row, size_t cap, const char *val, bool first)
{
    size_t l = strlen(row);
    snprintf(row + l, cap - l, "%s%s", first ? "" : "|", val);
}

/* Rows of sql on SQLite; false with *msg on an error. */
static bool run_sqlite(const case_item *c, rows *out, char *msg, size_t cap)
{
    sqlite3 *db;
    sqlite3_open(":memory:", &db);
    bool ok = true;
    for (size_t k = 0; k < c->n_setup && ok; k++) {
        char *e = NULL;
        if (sqlite3_exec(db, c->setup[k], NULL, NULL, &e) != SQLITE_OK) {
            snprintf(msg, cap, "sqlite setup: %s", e);
            ok = false;
        }
        sqlite3_free(e);
    }
    sqlite3_stmt *st = NULL;
    if (ok && sqlite3_prepare_v2(db, c->input, -1, &st, NULL) != SQLITE_OK) {
        snprintf(msg, cap, "sqlite: %s", sqlite3_errmsg(db));
        ok = false;
    }
    int rc;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char row[4096] = "";
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            char hex[1024];
            const char *v;
            if (sqlite3_column_type(st, i) == SQLITE_NULL) {
                v = "NULL";
            } else if (sqlite3_column_type(st, i) == SQLITE_BLOB) {
                const unsigned char *b = sqlite3_column_blob(st, i);
                int n = sqlite3_column_bytes(st, i);
                strcpy(hex, "\\x");
                for (int k = 0; k < n && k < 500; k++)
                    sprintf(hex + 2 + 2 * k, "%02x", b[k]);
                v = hex;
            } else {
                v = (const char *)sqlite3_column_text(st, i);
            }
            cell(row, sizeof row, v, i == 0);
        }
        rows_add(out, row);
    }
    if (ok && rc != SQLITE_DONE) {
        snprintf(msg, cap, "sqlite step: %s", sqlite3_errmsg(db));
        ok = false;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ok;
}

static bool pg_exec(PGconn *pg, const char *sql, PGresult **res, char *msg, size_t cap)
{
    PGresult *r = PQexec(pg, sql);
    ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        snprintf(msg, cap, "pg: %s  [%s]", PQresultErrorMessage(r), sql);
        PQclear(r);
        return false;
    }
    if (res)
        *res = r;
    else
        PQclear(r);
    return true;
}

/* Set when the rewrite appended RETURNING of the rowid: the backend keeps that row for
 * last_insert_rowid and shows the app none, so the test does the same. */
static bool hidden_returning;
/* D2: the class fields of typeless columns the rewrite appended to a SELECT; the backend
 * reads the values with them and shows the app none. */
static int class_fields;

static bool rewrite(const case_item *c, const char *sql, case_schema *schema, char **out,
                    char *msg, size_t cap)
{
    ls_rw_result r;
    ls_err err;
    if (ls_rw_rewrite(sql, strlen(sql), case_schema_get(schema), &r, &err) != 0) {
        snprintf(msg, cap, "rewrite of '%s': %s", sql, err.msg);
        return false;
    }
    (void)c;
    *out = strdup(r.sql);
    hidden_returning = r.returning_rowid;
    class_fields = r.kind == LS_RW_SELECT ? r.n_class_items : 0;
    ls_rw_result_clear(&r);
    return true;
}

static bool run_pg(PGconn *pg, const case_item *c, rows *out, char *msg, size_t cap)
{
    if (!pg_exec(pg, "DROP SCHEMA IF EXISTS rwcase CASCADE; CREATE SCHEMA rwcase; "
                     "SET search_path = rwcase", NULL, msg, cap))
        return false;
    case_schema *schema = case_schema_new(c->setup, c->n_setup);
    bool ok = true;
    for (size_t k = 0; k < c->n_setup && ok; k++) {
        char *sql = NULL;
        ok = rewrite(c, c->setup[k], schema, &sql, msg, cap);
        if (ok && *sql)
            ok = pg_exec(pg, sql, NULL, msg, cap);
        free(sql);
    }
    char *sql = NULL;
    PGresult *res = NULL;
    if (ok)
        ok = rewrite(c, c->input, schema, &sql, msg, cap);
    if (ok)
        ok = pg_exec(pg, sql, &res, msg, cap);
    for (int r = 0; ok && !hidden_returning && r < PQntuples(res); r++) {
        char row[4096] = "";
        for (int i = 0; i < PQnfields(res) - class_fields; i++) {
            const char *v = PQgetisnull(res, r, i) ? "NULL" : PQgetvalue(res, r, i);
            if (PQftype(res, i) == BOOLOID && !PQgetisnull(res, r, i))
                v = v[0] == 't' ? "1" : "0";
            cell(row, sizeof row, v, i == 0);
        }
        rows_add(out, row);
    }
    PQclear(res);
    free(sql);
    case_schema_free(schema);
    return ok;
}

/* Same value: equal text, or both numbers within a relative 1e-12. */
static bool same_value(const char *a, size_t na, const char *b, size_t nb)
{
    if (na == nb && !memcmp(a, b, na))
        return true;
    char x[128], y[128];
    if (na >= sizeof x || nb >= sizeof y)
        return false;
    memcpy(x, a, na), x[na] = '\0';
    memcpy(y, b, nb), y[nb] = '\0';
    char *ex, *ey;
    double dx = strtod(x, &ex), dy = strtod(y, &ey);
    if (ex == x || ey == y || *ex || *ey)
        return false;
    return fabs(dx - dy) <= 1e-12 * fmax(1.0, fmax(fabs(dx), fabs(dy)));
}

static bool same_row(const char *a, const char *b)
{
    for (;;) {
        size_t na = strcspn(a, "|"), nb = strcspn(b, "|");
        if (!same_value(a, na, b, nb))
            return false;
        if (!a[na] || !b[nb])
            return !a[na] && !b[nb];
        a += na + 1;
        b += nb + 1;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ordered(const char *sql)
{
    for (const char *p = sql; *p; p++)
        if (!strncasecmp(p, "order by", 8))
            return true;
    return false;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_rewrite_exec CASES_DIR\n");
        return 2;
    }
    case_set cases;
    if (!case_set_load(argv[1], &cases))
        return 1;
    PGconn *admin = PQconnectdb("dbname=postgres");
    if (PQstatus(admin) != CONNECTION_OK) {
        fprintf(stderr, "test_rewrite_exec: no PostgreSQL: %s", PQerrorMessage(admin));
        return 1;
    }
    char db[64], msg[2048], conninfo[128];
    snprintf(db, sizeof db, "rw_exec_%d", (int)getpid());
    snprintf(msg, sizeof msg, "DROP DATABASE IF EXISTS %s", db);
    PQclear(PQexec(admin, msg));
    snprintf(msg, sizeof msg, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' "
                              "LC_COLLATE 'C' LC_CTYPE 'C'", db);
    if (!pg_exec(admin, msg, NULL, msg, sizeof msg)) {
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    snprintf(conninfo, sizeof conninfo, "dbname=%s", db);
    PGconn *pg = PQconnectdb(conninfo);
    pg_exec(pg, "SET TimeZone = 'UTC'; SET client_min_messages = warning", NULL, msg,
            sizeof msg);
    /* the compat pack, as the shim installs it: rewritten SQL may call liteshift.* */
    if (ls_compat_install(pg, msg, sizeof msg) != 0) {
        fprintf(stderr, "test_rewrite_exec: compat pack: %s\n", msg);
        return 1;
    }
    int run = 0, failed = 0;
    for (size_t k = 0; k < cases.n; k++) {
        const case_item *c = &cases.v[k];
        if (!c->exec)
            continue;
        run++;
        rows a = {0}, b = {0};
        msg[0] = '\0';
        bool ok = run_sqlite(c, &a, msg, sizeof msg) && run_pg(pg, c, &b, msg, sizeof msg);
        if (ok && !ordered(c->input)) {
            qsort(a.v, a.n, sizeof *a.v, cmp_str);
            qsort(b.v, b.n, sizeof *b.v, cmp_str);
        }
        if (ok && a.n != b.n)
            ok = false, snprintf(msg, sizeof msg, "%zu rows on SQLite, %zu on PostgreSQL", a.n, b.n);
        for (size_t r = 0; ok && r < a.n; r++)
            if (!same_row(a.v[r], b.v[r]))
                ok = false, snprintf(msg, sizeof msg, "row %zu: SQLite '%s', PostgreSQL '%s'", r,
                                     a.v[r], b.v[r]);
        if (!ok) {
            failed++;
            fprintf(stderr, "FAIL %s (%s:%d): %s\n", c->id, c->file, c->line, msg);
            pg_exec(pg, "ROLLBACK", NULL, msg, sizeof msg);
        }
        rows_free(&a);
        rows_free(&b);
    }
    PQfinish(pg);
    snprintf(msg, sizeof msg, "DROP DATABASE IF EXISTS %s", db);
    PQclear(PQexec(admin, msg));
    PQfinish(admin);
    printf("executed %d cases on SQLite and PostgreSQL, %d failed\n", run, failed);
    case_set_free(&cases);
    return failed || run == 0 ? 1 : 0;
}
