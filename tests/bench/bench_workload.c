/* SPDX-License-Identifier: MIT
 *
 * The issue-7 workload, written only against the sqlite3 API: run natively, through the
 * shim in pass-through, and through the shim on PostgreSQL (tests/bench/run.sh).  Its twin
 * against libpq is bench_libpq.c; both run the same phases on the same data and print the
 * same checksums, so a run that read back anything different is caught.
 *
 * Phases (N = rows):
 *   schema   drop and create two tables and an index
 *   insert   one transaction: 100 categories and N items, last_insert_rowid after each row
 *   select   N point selects by id, four columns read
 *   range    N/50 range aggregates (count, sum, max over 100 ids)
 *   update   N/4 autocommit single-row updates, changes() checked
 *   join     max(1, N/1000) joins with GROUP BY
 *   scan     5 full scans in id order
 *   txn      one transaction of N/4 point selects each followed by a single-row update
 *   bulk     one transaction of B inserts (default 10,000) not reading last_insert_rowid,
 *            with the time of every 1,000th statement (the 64-subtransaction cliff)
 *   prepare  N prepare_v2 + finalize of one statement (client-side prepare cost)
 * Output, one line per phase:  phase NAME OPS SECONDS CHECKSUM
 * and for bulk:                split MS_PER_1000 ...
 *   bench_workload DBFILE [N [B]]
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sqlite3 *db;

static void die(const char *what)
{
    fprintf(stderr, "bench_workload: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Order-sensitive checksum step. */
static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001B3u;
}

static void exec(const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(sql);
}

static sqlite3_stmt *prep(const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(sql);
    return st;
}

static void step_done(sqlite3_stmt *st, const char *what)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        die(what);
    sqlite3_reset(st);
}

static double t0;
static void begin_phase(void)
{
    t0 = now();
}
static void end_phase(const char *name, long ops, uint64_t sum)
{
    printf("phase %s %ld %.6f %016llx\n", name, ops, now() - t0, (unsigned long long)sum);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_workload DBFILE [N [B]]\n");
        return 2;
    }
    long n = argc > 2 ? atol(argv[2]) : 20000, nb = argc > 3 ? atol(argv[3]) : 10000;
    if (n < 100 || nb < 1) {
        fprintf(stderr, "bench_workload: N must be at least 100, B at least 1\n");
        return 2;
    }
    remove(argv[1]);
    if (sqlite3_open(argv[1], &db) != SQLITE_OK)
        die("open");
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF");
    uint64_t h;

    begin_phase();
    exec("DROP TABLE IF EXISTS items; DROP TABLE IF EXISTS cats; DROP TABLE IF EXISTS log;"
         "CREATE TABLE cats(id INTEGER PRIMARY KEY, label TEXT NOT NULL);"
         "CREATE TABLE items(id INTEGER PRIMARY KEY, cat INTEGER NOT NULL, name TEXT NOT NULL,"
         " price REAL NOT NULL, qty INTEGER NOT NULL);"
         "CREATE INDEX items_cat ON items(cat);"
         "CREATE TABLE log(id INTEGER PRIMARY KEY, item INTEGER NOT NULL, note TEXT NOT NULL)");
    end_phase("schema", 1, 0);

    sqlite3_stmt *ins_cat = prep("INSERT INTO cats(label) VALUES (?)");
    sqlite3_stmt *ins = prep("INSERT INTO items(cat, name, price, qty) VALUES (?, ?, ?, ?)");
    char buf[64];
    h = 0;
    begin_phase();
    exec("BEGIN");
    for (int i = 0; i < 100; i++) {
        int len = snprintf(buf, sizeof buf, "cat-%03d", i);
        sqlite3_bind_text(ins_cat, 1, buf, len, SQLITE_TRANSIENT);
        step_done(ins_cat, "insert cat");
        h = mix(h, (uint64_t)sqlite3_last_insert_rowid(db));
    }
    for (long i = 0; i < n; i++) {
        int len = snprintf(buf, sizeof buf, "item-%ld", i);
        sqlite3_bind_int64(ins, 1, 1 + i % 100);
        sqlite3_bind_text(ins, 2, buf, len, SQLITE_TRANSIENT);
        sqlite3_bind_double(ins, 3, (double)i * 0.25);
        sqlite3_bind_int64(ins, 4, i % 97);
        step_done(ins, "insert item");
        h = mix(h, (uint64_t)sqlite3_last_insert_rowid(db));
    }
    exec("COMMIT");
    end_phase("insert", n + 100, h);

    sqlite3_stmt *sel = prep("SELECT name, price, qty, cat FROM items WHERE id = ?");
    h = 0;
    begin_phase();
    for (long i = 0; i < n; i++) {
        sqlite3_bind_int64(sel, 1, 1 + (i * 7919) % n);
        int rows = 0, rc;
        while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
            const unsigned char *name = sqlite3_column_text(sel, 0);
            h = mix(h, (uint64_t)sqlite3_column_bytes(sel, 0) + name[5]);
            h = mix(h, (uint64_t)(sqlite3_column_double(sel, 1) * 4));
            h = mix(h, (uint64_t)sqlite3_column_int64(sel, 2));
            h = mix(h, (uint64_t)sqlite3_column_int64(sel, 3));
            rows++;
        }
        if (rows != 1 || rc != SQLITE_DONE)
            die("point select");
        sqlite3_reset(sel);
    }
    end_phase("select", n, h);

    sqlite3_stmt *agg = prep("SELECT count(*), sum(qty), max(price) FROM items WHERE id BETWEEN ? AND ?");
    h = 0;
    begin_phase();
    for (long i = 0; i < n / 50; i++) {
        long lo = 1 + (i * 104729) % n;
        sqlite3_bind_int64(agg, 1, lo);
        sqlite3_bind_int64(agg, 2, lo + 99);
        if (sqlite3_step(agg) != SQLITE_ROW)
            die("range");
        h = mix(h, (uint64_t)sqlite3_column_int64(agg, 0));
        h = mix(h, (uint64_t)sqlite3_column_int64(agg, 1));
        h = mix(h, (uint64_t)(sqlite3_column_double(agg, 2) * 4));
        sqlite3_reset(agg);
    }
    end_phase("range", n / 50, h);

    sqlite3_stmt *upd = prep("UPDATE items SET qty = qty + 1 WHERE id = ?");
    h = 0;
    begin_phase();
    for (long i = 0; i < n / 4; i++) {
        sqlite3_bind_int64(upd, 1, 1 + (i * 15485863) % n);
        step_done(upd, "update");
        if (sqlite3_changes(db) != 1)
            die("update changed no row");
        h = mix(h, (uint64_t)sqlite3_changes(db));
    }
    end_phase("update", n / 4, h);

    sqlite3_stmt *join = prep("SELECT c.label, count(*), sum(i.qty) FROM items i JOIN cats c ON c.id = i.cat"
                              " WHERE i.id > ? GROUP BY c.label ORDER BY c.label");
    long nj = n / 1000 > 0 ? n / 1000 : 1;
    h = 0;
    begin_phase();
    for (long i = 0; i < nj; i++) {
        sqlite3_bind_int64(join, 1, (i * 997) % n);
        int rc;
        while ((rc = sqlite3_step(join)) == SQLITE_ROW) {
            h = mix(h, (uint64_t)sqlite3_column_text(join, 0)[6]);
            h = mix(h, (uint64_t)sqlite3_column_int64(join, 1));
            h = mix(h, (uint64_t)sqlite3_column_int64(join, 2));
        }
        if (rc != SQLITE_DONE)
            die("join");
        sqlite3_reset(join);
    }
    end_phase("join", nj, h);

    sqlite3_stmt *scan = prep("SELECT id, name, price, qty FROM items ORDER BY id");
    h = 0;
    begin_phase();
    for (int k = 0; k < 5; k++) {
        int rc;
        while ((rc = sqlite3_step(scan)) == SQLITE_ROW) {
            h = mix(h, (uint64_t)sqlite3_column_int64(scan, 0));
            h = mix(h, (uint64_t)sqlite3_column_bytes(scan, 1));
            h = mix(h, (uint64_t)(sqlite3_column_double(scan, 2) * 4));
            h = mix(h, (uint64_t)sqlite3_column_int64(scan, 3));
        }
        if (rc != SQLITE_DONE)
            die("scan");
        sqlite3_reset(scan);
    }
    end_phase("scan", 5, h);

    sqlite3_stmt *upd2 = prep("UPDATE items SET price = price + 1 WHERE id = ?");
    h = 0;
    begin_phase();
    exec("BEGIN");
    for (long i = 0; i < n / 4; i++) {
        long id = 1 + (i * 7919) % n;
        sqlite3_bind_int64(sel, 1, id);
        if (sqlite3_step(sel) != SQLITE_ROW)
            die("txn select");
        h = mix(h, (uint64_t)(sqlite3_column_double(sel, 1) * 4));
        sqlite3_reset(sel);
        sqlite3_bind_int64(upd2, 1, id);
        step_done(upd2, "txn update");
        if (sqlite3_changes(db) != 1)
            die("txn update changed no row");
    }
    exec("COMMIT");
    end_phase("txn", n / 2, h);

    sqlite3_stmt *ins_log = prep("INSERT INTO log(item, note) VALUES (?, ?)");
    double *split = calloc((size_t)(nb / 1000 + 1), sizeof *split);
    if (!split)
        die("out of memory");
    begin_phase();
    exec("BEGIN");
    double ts = now();
    for (long i = 0; i < nb; i++) {
        int len = snprintf(buf, sizeof buf, "note %ld", i);
        sqlite3_bind_int64(ins_log, 1, 1 + i % n);
        sqlite3_bind_text(ins_log, 2, buf, len, SQLITE_TRANSIENT);
        step_done(ins_log, "bulk insert");
        if ((i + 1) % 1000 == 0) {
            double t = now();
            split[i / 1000] = (t - ts) * 1e3;
            ts = t;
        }
    }
    exec("COMMIT");
    double bulk_s = now() - t0;
    /* read back what the transaction wrote (not timed) */
    sqlite3_stmt *chk = prep("SELECT count(*), sum(item), sum(length(note)), max(id) FROM log");
    if (sqlite3_step(chk) != SQLITE_ROW)
        die("bulk check");
    h = 0;
    for (int k = 0; k < 4; k++)
        h = mix(h, (uint64_t)sqlite3_column_int64(chk, k));
    sqlite3_finalize(chk);
    printf("phase bulk %ld %.6f %016llx\n", nb, bulk_s, (unsigned long long)h);
    printf("split");
    for (long k = 0; k < nb / 1000; k++)
        printf(" %.2f", split[k]);
    printf("\n");
    free(split);

    h = 0;
    begin_phase();
    for (long i = 0; i < n; i++) {
        sqlite3_stmt *st = prep("SELECT name, price, qty, cat FROM items WHERE id = ?");
        h = mix(h, (uint64_t)sqlite3_bind_parameter_count(st));
        sqlite3_finalize(st);
    }
    end_phase("prepare", n, h);

    sqlite3_finalize(ins_cat);
    sqlite3_finalize(ins);
    sqlite3_finalize(sel);
    sqlite3_finalize(agg);
    sqlite3_finalize(upd);
    sqlite3_finalize(upd2);
    sqlite3_finalize(join);
    sqlite3_finalize(scan);
    sqlite3_finalize(ins_log);
    if (sqlite3_close(db) != SQLITE_OK)
        die("close");
    return 0;
}
