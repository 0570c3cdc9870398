/* SPDX-License-Identifier: MIT
 *
 * What the connection lock costs a call (shim/conn_lock.c): sqlite3_column_int64 on one
 * row, called N times, by the thread that opened the connection (the biased lock), then
 * again after another thread has called once on the connection (the bias revoked: the
 * mutex).  Run through the shim on PostgreSQL and on SQLite (pass-through: SQLite's own
 * db->mutex), by lock.sh.  Prints nanoseconds per call, the best of 5 rounds each.
 *   bench_lock DBFILE N
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double best_ns(sqlite3_stmt *st, int n, long long *sum)
{
    double best = 1e9;
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        for (int i = 0; i < n; i++)
            *sum += sqlite3_column_int64(st, 0);
        double ns = (now() - t0) / n * 1e9;
        if (ns < best)
            best = ns;
    }
    return best;
}

static void *other_thread(void *db)
{
    /* one call from a second thread: on PostgreSQL this revokes the opener's bias */
    sqlite3_exec(db, "SELECT 1", NULL, NULL, NULL);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_lock DBFILE N\n");
        return 2;
    }
    int n = atoi(argv[2]);
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK
        || sqlite3_prepare_v2(db, "SELECT 42", -1, &st, NULL) != SQLITE_OK
        || sqlite3_step(st) != SQLITE_ROW) {
        fprintf(stderr, "bench_lock: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    long long sum = 0;
    double opener = best_ns(st, n, &sum);
    pthread_t t;
    pthread_create(&t, NULL, other_thread, db);
    pthread_join(t, NULL);
    double shared = best_ns(st, n, &sum);
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (sum != 42LL * n * 10) {
        fprintf(stderr, "bench_lock: wrong sum %lld\n", sum);
        return 1;
    }
    printf("%.2f %.2f\n", opener, shared);
    return 0;
}
