/* SPDX-License-Identifier: MIT
 *
 * Client stack: a C program linked against libliteshift.so instead of -lsqlite3 (no
 * LD_PRELOAD); tests/stacks/stack.sh runs it on both backends and compares.  Plain sqlite3
 * API use: prepare/bind/step/column with types, changes, last_insert_rowid, explicit
 * transactions, a constraint error with its codes and message, sqlite3_exec with a callback.
 */
#include <stdio.h>
#include <sqlite3.h>

static sqlite3 *db;

static void must(int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        printf("%s: %d %s\n", what, rc, sqlite3_errmsg(db));
    }
}

static void exec(const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        printf("exec error %d (extended %d): %s\n", rc, sqlite3_extended_errcode(db), err);
    sqlite3_free(err);
}

static int print_row(void *arg, int n, char **vals, char **names)
{
    (void)arg;
    for (int i = 0; i < n; i++)
        printf("%s%s=%s", i ? " " : "cb: ", names[i], vals[i] ? vals[i] : "NULL");
    printf("\n");
    return 0;
}

int main(void)
{
    must(sqlite3_open("stack.db", &db), "open");
    exec("CREATE TABLE stack_item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
         " price REAL, qty INTEGER, note TEXT)");
    exec("BEGIN");
    sqlite3_stmt *ins = NULL;
    must(sqlite3_prepare_v2(db, "INSERT INTO stack_item (name, price, qty, note)"
                            " VALUES (?1, ?2, ?3, ?4)", -1, &ins, NULL), "prepare");
    const char *names[] = { "apple", "bread", "cheese" };
    const double prices[] = { 1.25, 2.5, 7.0 };
    const int qtys[] = { 3, 1, 2 };
    const char *notes[] = { "red", NULL, "aged" };
    for (int i = 0; i < 3; i++) {
        sqlite3_bind_text(ins, 1, names[i], -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(ins, 2, prices[i]);
        sqlite3_bind_int(ins, 3, qtys[i]);
        if (notes[i])
            sqlite3_bind_text(ins, 4, notes[i], -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(ins, 4);
        must(sqlite3_step(ins), "insert");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    exec("COMMIT");
    printf("last id: %lld, autocommit %d\n", (long long)sqlite3_last_insert_rowid(db),
           sqlite3_get_autocommit(db));
    exec("UPDATE stack_item SET qty = qty + 1 WHERE price > 2");
    printf("updated: %d, total %d\n", sqlite3_changes(db), sqlite3_total_changes(db));
    sqlite3_stmt *dup = NULL;
    must(sqlite3_prepare_v2(db, "INSERT INTO stack_item (name) VALUES ('apple')", -1, &dup, NULL),
         "prepare dup");
    int rc = sqlite3_step(dup);
    printf("dup: step %d, errcode %d, extended %d, %s\n", rc, sqlite3_errcode(db),
           sqlite3_extended_errcode(db), sqlite3_errmsg(db));
    printf("dup: finalize %d\n", sqlite3_finalize(dup));
    sqlite3_stmt *q = NULL;
    must(sqlite3_prepare_v2(db, "SELECT id, name, price, qty, note FROM stack_item ORDER BY id",
                            -1, &q, NULL), "prepare select");
    while (sqlite3_step(q) == SQLITE_ROW) {
        printf("row:");
        for (int i = 0; i < sqlite3_column_count(q); i++)
            printf(" %s:%d:%s", sqlite3_column_name(q, i), sqlite3_column_type(q, i),
                   sqlite3_column_text(q, i) ? (const char *)sqlite3_column_text(q, i) : "NULL");
        printf("\n");
    }
    sqlite3_finalize(q);
    char *err = NULL;
    sqlite3_exec(db, "SELECT count(*) AS n, sum(qty) AS qty FROM stack_item", print_row, NULL, &err);
    sqlite3_free(err);
    exec("BEGIN");
    exec("INSERT INTO stack_item (name) VALUES ('ghost')");
    exec("ROLLBACK");
    exec("DELETE FROM stack_item WHERE id = 2");
    printf("deleted: %d\n", sqlite3_changes(db));
    printf("kept: ");
    sqlite3_prepare_v2(db, "SELECT name FROM stack_item ORDER BY name", -1, &q, NULL);
    for (int first = 1; sqlite3_step(q) == SQLITE_ROW; first = 0)
        printf("%s%s", first ? "" : ",", (const char *)sqlite3_column_text(q, 0));
    printf("\n");
    sqlite3_finalize(q);
    printf("close: %d\n", sqlite3_close(db));
    return 0;
}
