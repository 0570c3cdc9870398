/* SPDX-License-Identifier: MIT
 *
 * App-defined functions in statements without a table, at the C API (docs/compatibility.md
 * D3): what a function sees of its context (sqlite3_user_data, sqlite3_context_db_handle,
 * which SQLite documents as the connection the function was registered on, so a query run
 * on it inside the function sees the app's tables), aggregate contexts and auxiliary data,
 * the codes and messages of sqlite3_result_error*, destructors, and the statement's columns
 * and parameters.  Prints a transcript; appfn_local.sh runs it on SQLite and on PostgreSQL
 * through the shim and compares.
 *   appfn_local DBFILE
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static sqlite3 *app_db;
static int tag_a, tag_b;
static int destroyed_a, destroyed_b;

static void destroy_a(void *p) { destroyed_a += p == &tag_a; }
static void destroy_b(void *p) { destroyed_b += p == &tag_b; }

static int count_cb(void *arg, int n, char **vals, char **names)
{
    (void)n; (void)names;
    snprintf(arg, 64, "%s", vals[0] ? vals[0] : "NULL");
    return 0;
}

/* what the function sees of its context */
static void fn_ctx(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc; (void)argv;
    char rows[64] = "?";
    sqlite3 *db = sqlite3_context_db_handle(ctx);
    char *err = NULL;
    if (sqlite3_exec(db, "select count(*) from t", count_cb, rows, &err) != SQLITE_OK)
        snprintf(rows, sizeof rows, "error %s", err ? err : "?");
    sqlite3_free(err);
    char out[256];
    void *ud = sqlite3_user_data(ctx);
    snprintf(out, sizeof out, "user_data %s, db_handle %s, rows of t seen through it: %s",
             ud == &tag_a ? "a" : ud == &tag_b ? "b" : "WRONG",
             db == app_db ? "is the app's" : "WRONG", rows);
    sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

/* sqlite3_result_error and friends: argv[0] says which */
static void fn_fail(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *how = (const char *)sqlite3_value_text(argv[0]);
    if (!strcmp(how, "error"))
        sqlite3_result_error(ctx, "custom failure", -1);
    else if (!strcmp(how, "code")) {
        sqlite3_result_error(ctx, "check failed here", -1);
        sqlite3_result_error_code(ctx, SQLITE_CONSTRAINT_CHECK);
    } else if (!strcmp(how, "nomem"))
        sqlite3_result_error_nomem(ctx);
    else if (!strcmp(how, "toobig"))
        sqlite3_result_error_toobig(ctx);
    else
        sqlite3_result_int(ctx, 0);
}

/* auxiliary data kept for a constant argument across rows */
static int aux_made;
static void aux_free(void *p) { (void)p; }
static void fn_aux(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc; (void)argv;
    if (!sqlite3_get_auxdata(ctx, 0)) {
        aux_made++;
        sqlite3_set_auxdata(ctx, 0, &aux_made, aux_free);
    }
    sqlite3_result_int(ctx, aux_made);
}

/* an aggregate: product of its arguments, in an aggregate context */
static void prod_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    sqlite3_int64 *p = sqlite3_aggregate_context(ctx, sizeof *p);
    if (!p)
        return;
    if (*p == 0)
        *p = 1;
    *p *= sqlite3_value_int64(argv[0]);
}
static void prod_final(sqlite3_context *ctx)
{
    sqlite3_int64 *p = sqlite3_aggregate_context(ctx, 0);
    sqlite3_result_int64(ctx, p ? *p : 0);
}

static void run(const char *sql)
{
    sqlite3_stmt *st = NULL;
    printf("> %s\n", sql);
    int rc = sqlite3_prepare_v2(app_db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        printf("  prepare rc=%d ext=%d msg=%s\n", rc, sqlite3_extended_errcode(app_db),
               sqlite3_errmsg(app_db));
        return;
    }
    int n = sqlite3_column_count(st);
    printf("  columns %d, parameters %d, readonly %d:", n, sqlite3_bind_parameter_count(st),
           sqlite3_stmt_readonly(st));
    for (int i = 0; i < n; i++) {
        const char *d = sqlite3_column_decltype(st, i);
        printf(" [%s decl %s]", sqlite3_column_name(st, i), d ? d : "NULL");
    }
    printf("\n");
    for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        printf("  parameter %d name %s\n", i, name ? name : "NULL");
        sqlite3_bind_int(st, i, 10 * i);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        printf("  row:");
        for (int i = 0; i < n; i++)
            printf(" %d:%s", sqlite3_column_type(st, i),
                   sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i) : "NULL");
        printf("\n");
    }
    if (rc != SQLITE_DONE)
        printf("  step rc=%d errcode=%d ext=%d msg=%s\n", rc, sqlite3_errcode(app_db),
               sqlite3_extended_errcode(app_db), sqlite3_errmsg(app_db));
    printf("  finalize rc=%d\n", sqlite3_finalize(st));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: appfn_local DBFILE\n");
        return 2;
    }
    if (sqlite3_open(argv[1], &app_db) != SQLITE_OK) {
        fprintf(stderr, "open: %s\n", sqlite3_errmsg(app_db));
        return 1;
    }
    sqlite3_extended_result_codes(app_db, 1);
    sqlite3_exec(app_db, "create table t(x integer); insert into t values (1), (2), (3)", NULL,
                 NULL, NULL);
    printf("register ctx: %d\n", sqlite3_create_function_v2(app_db, "ctx", 0, SQLITE_UTF8, &tag_a,
                                                           fn_ctx, NULL, NULL, destroy_a));
    printf("register fail: %d\n", sqlite3_create_function(app_db, "fail", 1, SQLITE_UTF8, NULL,
                                                          fn_fail, NULL, NULL));
    printf("register aux: %d\n", sqlite3_create_function(app_db, "aux", 1, SQLITE_UTF8, NULL,
                                                         fn_aux, NULL, NULL));
    printf("register prod: %d\n", sqlite3_create_function(app_db, "prod", 1, SQLITE_UTF8, NULL,
                                                          NULL, prod_step, prod_final));
    run("select ctx()");
    run("select fail('error')");
    run("select fail('code')");
    run("select fail('nomem')");
    run("select fail('toobig')");
    run("select fail('none') as ok");
    run("select aux('k') from (values (1), (2), (3))");
    run("select prod(column1) from (values (2), (3), (7))");
    run("select prod(?1) + ?2, ?1 as first, :named from (values (1))");
    /* destructors: replacing runs the old one, close runs the last */
    printf("replace ctx: %d, destroyed a %d\n",
           sqlite3_create_function_v2(app_db, "ctx", 0, SQLITE_UTF8, &tag_b, fn_ctx, NULL, NULL,
                                      destroy_b), destroyed_a);
    run("select ctx()");
    sqlite3_close(app_db);
    printf("after close: destroyed a %d, b %d\n", destroyed_a, destroyed_b);
    return 0;
}
