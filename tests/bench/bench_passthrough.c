/* SPDX-License-Identifier: MIT
 *
 * Pass-through workload (issue 2, point 5): prepares, binds, steps and column reads against a
 * file database, written only against the sqlite3 API.  Linked with -lsqlite3; run natively
 * and with LD_PRELOAD=libliteshift.so (USE_POSTGRES unset) by tests/bench/passthrough.sh,
 * which compares instruction counts (callgrind) and wall-clock time.  Prints a checksum so
 * both runs can be shown to have done the same work.
 *   bench_passthrough DBFILE [ROWS]
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_passthrough: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_passthrough DBFILE [ROWS]\n");
        return 2;
    }
    int rows = argc > 2 ? atoi(argv[2]) : 20000;
    sqlite3 *db;
    remove(argv[1]);
    if (sqlite3_open(argv[1], &db) != SQLITE_OK)
        die(db, "open");
    if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
                         "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER);",
                     NULL, NULL, NULL) != SQLITE_OK)
        die(db, "schema");
    unsigned long long sum = 0;
    sqlite3_stmt *ins, *sel, *agg;
    if (sqlite3_prepare_v2(db, "INSERT INTO items(name, price, qty) VALUES (?, ?, ?)", -1, &ins, NULL) ||
        sqlite3_prepare_v2(db, "SELECT name, price, qty FROM items WHERE id = ?", -1, &sel, NULL) ||
        sqlite3_prepare_v2(db, "SELECT count(*), sum(qty), max(price) FROM items WHERE id BETWEEN ? AND ?", -1, &agg, NULL))
        die(db, "prepare");
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    char name[32];
    for (int i = 0; i < rows; i++) {
        int n = snprintf(name, sizeof name, "item-%d", i);
        sqlite3_bind_text(ins, 1, name, n, SQLITE_TRANSIENT);
        sqlite3_bind_double(ins, 2, i * 0.25);
        sqlite3_bind_int(ins, 3, i % 97);
        if (sqlite3_step(ins) != SQLITE_DONE)
            die(db, "insert");
        sqlite3_reset(ins);
        sum += (unsigned long long)sqlite3_last_insert_rowid(db);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    for (int i = 0; i < rows * 2; i++) {
        sqlite3_bind_int64(sel, 1, 1 + (i * 7919) % rows);
        while (sqlite3_step(sel) == SQLITE_ROW) {
            sum += (unsigned long long)sqlite3_column_bytes(sel, 0);
            sum += (unsigned long long)sqlite3_column_double(sel, 1);
            sum += (unsigned long long)sqlite3_column_int(sel, 2);
            sum += sqlite3_column_text(sel, 0)[5];
        }
        sqlite3_reset(sel);
    }
    for (int i = 0; i < rows / 100; i++) {
        sqlite3_bind_int(agg, 1, i * 50);
        sqlite3_bind_int(agg, 2, i * 50 + 200);
        if (sqlite3_step(agg) == SQLITE_ROW)
            sum += (unsigned long long)sqlite3_column_int64(agg, 0) + (unsigned long long)sqlite3_column_int64(agg, 1);
        sqlite3_reset(agg);
    }
    for (int i = 0; i < rows / 20; i++) { /* prepare cost too: fresh statements */
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "SELECT qty FROM items WHERE id = ?1 OR id = ?1 + 1", -1, &st, NULL))
            die(db, "prepare2");
        sqlite3_bind_int(st, 1, i + 1);
        while (sqlite3_step(st) == SQLITE_ROW)
            sum += (unsigned long long)sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(sel);
    sqlite3_finalize(agg);
    sqlite3_close(db);
    printf("checksum %llu\n", sum);
    return 0;
}
