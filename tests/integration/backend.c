/* SPDX-License-Identifier: MIT
 *
 * Behaviour tests of the PostgreSQL backend that a transcript cannot express: concurrency,
 * memory use, interleaved statements and a server restart.  Written only against the sqlite3
 * API, so each runs on SQLite (USE_POSTGRES unset) and on PostgreSQL through the shim with
 * the same code and the same expected outcome; tests/integration/backend.sh runs both.
 *   backend lost_update DBFILE PROCS ITERS    -> prints the final counter (PROCS*ITERS)
 *   backend busy DBFILE                       -> SQLITE_BUSY, busy timeout and handler
 *   backend ddl_rerun DBFILE                  -> (PostgreSQL, locking.sh) a DDL run again busy
 *   backend interleave DBFILE ROWS            -> updates each row while stepping a SELECT
 *   backend scan DBFILE ROWS MAX_RSS_MIB      -> full scan with peak RSS under the bound
 *   backend restart DBFILE RESTART_CMD        -> statements across a server restart
 *   backend row_mode DBFILE                   -> writes and PRAGMA reads after a select run
 *                                                alone outside a transaction
 *   backend ddl_script DBFILE                 -> sqlite3_exec of DDL scripts: prints a
 *                                                transcript (ddl_script.sh compares the two)
 *   backend threads DBFILE THREADS ITERS      -> one connection shared by THREADS threads at
 *                                                once (SQLite's default serialized mode)
 *   backend blob_close DBFILE                 -> close and close_v2 with a blob open
 * Exit 0 when the outcome is right, 1 otherwise (the reason on stdout).
 */
#include <pthread.h>
#include <sched.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int fail(sqlite3 *db, const char *what)
{
    printf("FAIL: %s: %d %s\n", what, db ? sqlite3_extended_errcode(db) : -1,
           db ? sqlite3_errmsg(db) : "");
    return 1;
}

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* BEGIN IMMEDIATE; read n; write n+1 computed in the client; COMMIT.  SQLITE_BUSY (from
 * the busy timeout) is retried, as applications do. */
static int worker(const char *path, int iters)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return fail(db, "open");
    sqlite3_busy_timeout(db, 60000);
    sqlite3_stmt *sel, *upd;
    if (sqlite3_prepare_v2(db, "SELECT n FROM counter WHERE id = 1", -1, &sel, NULL) ||
        sqlite3_prepare_v2(db, "UPDATE counter SET n = ? WHERE id = 1", -1, &upd, NULL))
        return fail(db, "prepare");
    for (int i = 0; i < iters; i++) {
        int rc;
        while ((rc = exec(db, "BEGIN IMMEDIATE")) == SQLITE_BUSY)
            usleep(1000);
        if (rc != SQLITE_OK)
            return fail(db, "begin immediate");
        if (sqlite3_step(sel) != SQLITE_ROW)
            return fail(db, "select");
        long long n = sqlite3_column_int64(sel, 0);
        sqlite3_reset(sel);
        usleep(100); /* widen the race window */
        sqlite3_bind_int64(upd, 1, n + 1);
        if (sqlite3_step(upd) != SQLITE_DONE)
            return fail(db, "update");
        sqlite3_reset(upd);
        while ((rc = exec(db, "COMMIT")) == SQLITE_BUSY)
            usleep(1000);
        if (rc != SQLITE_OK)
            return fail(db, "commit");
    }
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    sqlite3_close(db);
    return 0;
}

static int lost_update(const char *path, int procs, int iters)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return fail(db, "open");
    if (exec(db, "DROP TABLE IF EXISTS counter") ||
        exec(db, "CREATE TABLE counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)") ||
        exec(db, "INSERT INTO counter VALUES (1, 0)"))
        return fail(db, "setup");
    for (int p = 0; p < procs; p++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(worker(path, iters));
        if (pid < 0)
            return fail(NULL, "fork");
    }
    int bad = 0, status;
    while (wait(&status) > 0)
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            bad++;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT n FROM counter WHERE id = 1", -1, &st, NULL) ||
        sqlite3_step(st) != SQLITE_ROW)
        return fail(db, "final select");
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    printf("lost_update: %d processes x %d iterations: n = %lld (expected %d), %d workers failed\n",
           procs, iters, n, procs * iters, bad);
    return (n == (long long)procs * iters && bad == 0) ? 0 : 1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int busy_calls;

static int busy_three_times(void *arg, int n)
{
    (void)arg;
    if (n != busy_calls)
        printf("FAIL: busy handler called with %d after %d calls\n", n, busy_calls);
    busy_calls++;
    return n < 3;
}

/* One statement's outcome: its code, its extended code, its message, and whether it took
 * between lo and hi seconds. */
static int expect(sqlite3 *db, const char *sql, int code, const char *msg, double lo, double hi)
{
    double t0 = now_s();
    int rc = exec(db, sql);
    double took = now_s() - t0;
    bool ok = rc == code && sqlite3_extended_errcode(db) == code &&
              (!msg || strcmp(sqlite3_errmsg(db), msg) == 0) && took >= lo && took < hi;
    printf("%s: %s: %d/%d \"%s\" in %.3f s (expected %d in [%.2f, %.2f))\n",
           ok ? "ok" : "FAIL", sql, rc, sqlite3_extended_errcode(db),
           rc ? sqlite3_errmsg(db) : "", took, code, lo, hi);
    return ok ? 0 : 1;
}

/* The integer a one-column query answers, or -1 (the reason printed). */
static long long query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fail(db, sql);
        return -1;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    else
        fail(db, sql);
    sqlite3_finalize(st);
    return v;
}

static int expect_int(sqlite3 *db, const char *sql, long long want)
{
    long long v = query_int(db, sql);
    printf("%s: %s: %lld (expected %lld)\n", v == want ? "ok" : "FAIL", sql, v, want);
    return v != want;
}

/* SQLite's write lock through the C API (docs/compatibility.md D11): no busy timeout set
 * (SQLite's default: none) and BEGIN IMMEDIATE against a held lock returns SQLITE_BUSY at
 * once, never waiting; a busy handler is called until it answers 0, with its count; a
 * timeout of N ms waits about N; a read-first transaction does not wait.  PRAGMA user_version
 * and application_id = N are writes like the others. */
static int busy(const char *path)
{
    alarm(60); /* a wait that never ends kills the test instead of hanging it */
    sqlite3 *a, *b;
    if (sqlite3_open(path, &a) != SQLITE_OK || sqlite3_open(path, &b) != SQLITE_OK)
        return fail(NULL, "open");
    int bad = 0;
    if (exec(a, "PRAGMA journal_mode=wal") ||
        exec(a, "DROP TABLE IF EXISTS t") || exec(a, "CREATE TABLE t(x INTEGER)"))
        return fail(a, "setup");
    const char *busy_msg = "database is locked";
    bad += expect(a, "BEGIN IMMEDIATE", SQLITE_OK, NULL, 0, 2);
    bad += expect(b, "BEGIN IMMEDIATE", SQLITE_BUSY, busy_msg, 0, 1);
    bad += expect(b, "INSERT INTO t VALUES (1)", SQLITE_BUSY, busy_msg, 0, 1);
    bad += expect(b, "PRAGMA user_version = 5", SQLITE_BUSY, busy_msg, 0, 1);
    sqlite3_busy_timeout(b, 0);
    bad += expect(b, "PRAGMA user_version = 5", SQLITE_BUSY, busy_msg, 0, 1);
    sqlite3_busy_timeout(b, 200);
    bad += expect(b, "PRAGMA user_version = 5", SQLITE_BUSY, busy_msg, 0.17, 5);
    bad += expect(b, "PRAGMA application_id = 6", SQLITE_BUSY, busy_msg, 0.17, 5);
    bad += expect_int(b, "PRAGMA user_version", 0);
    sqlite3_busy_timeout(b, 0);
    bad += expect(b, "BEGIN EXCLUSIVE", SQLITE_BUSY, busy_msg, 0, 1);
    sqlite3_busy_handler(b, busy_three_times, NULL);
    busy_calls = 0;
    bad += expect(b, "INSERT INTO t VALUES (2)", SQLITE_BUSY, busy_msg, 0, 2);
    printf("%s: busy handler calls for the insert: %d (expected 4)\n",
           busy_calls == 4 ? "ok" : "FAIL", busy_calls);
    bad += busy_calls != 4;
    busy_calls = 0;
    bad += expect(b, "PRAGMA user_version = 5", SQLITE_BUSY, busy_msg, 0, 2);
    printf("%s: busy handler calls for PRAGMA user_version = 5: %d (expected 4)\n",
           busy_calls == 4 ? "ok" : "FAIL", busy_calls);
    bad += busy_calls != 4;
    busy_calls = 0;
    bad += expect(b, "BEGIN IMMEDIATE", SQLITE_BUSY, busy_msg, 0, 2);
    printf("%s: busy handler calls for BEGIN IMMEDIATE: %d (expected 4)\n",
           busy_calls == 4 ? "ok" : "FAIL", busy_calls);
    bad += busy_calls != 4;
    /* read first: SQLITE_BUSY at once, the handler not called */
    busy_calls = 0;
    bad += expect(b, "BEGIN", SQLITE_OK, NULL, 0, 2);
    bad += expect(b, "SELECT count(*) FROM t", SQLITE_OK, NULL, 0, 2);
    bad += expect(b, "DELETE FROM t", SQLITE_BUSY, busy_msg, 0, 1);
    printf("%s: busy handler calls after a read: %d (expected 0)\n",
           busy_calls == 0 ? "ok" : "FAIL", busy_calls);
    bad += busy_calls != 0;
    bad += expect(b, "ROLLBACK", SQLITE_OK, NULL, 0, 2);
    sqlite3_busy_timeout(b, 300);
    bad += expect(b, "UPDATE t SET x = 3", SQLITE_BUSY, busy_msg, 0.25, 5);
    bad += expect(b, "PRAGMA busy_timeout = 0", SQLITE_OK, NULL, 0, 2);
    bad += expect(b, "BEGIN IMMEDIATE", SQLITE_BUSY, busy_msg, 0, 1);
    bad += expect(a, "PRAGMA user_version = 3", SQLITE_OK, NULL, 0, 2);
    bad += expect(a, "COMMIT", SQLITE_OK, NULL, 0, 2);
    bad += expect_int(b, "PRAGMA user_version", 3);
    bad += expect(b, "PRAGMA user_version = 5", SQLITE_OK, NULL, 0, 2);
    bad += expect_int(a, "PRAGMA user_version", 5);
    /* in a deferred transaction, setting it takes the lock: the other writer is then busy */
    bad += expect(b, "BEGIN", SQLITE_OK, NULL, 0, 2);
    bad += expect(b, "PRAGMA application_id = 6", SQLITE_OK, NULL, 0, 2);
    bad += expect(a, "INSERT INTO t VALUES (5)", SQLITE_BUSY, busy_msg, 0, 1);
    bad += expect(a, "PRAGMA user_version = 9", SQLITE_BUSY, busy_msg, 0, 1);
    bad += expect(b, "COMMIT", SQLITE_OK, NULL, 0, 2);
    bad += expect_int(a, "PRAGMA application_id", 6);
    bad += expect_int(a, "PRAGMA user_version", 5);
    bad += expect(b, "INSERT INTO t VALUES (4)", SQLITE_OK, NULL, 0, 2);
    bad += expect(b, "BEGIN IMMEDIATE", SQLITE_OK, NULL, 0, 2);
    bad += expect(b, "COMMIT", SQLITE_OK, NULL, 0, 2);
    sqlite3_close(a);
    sqlite3_close(b);
    return bad ? 1 : 0;
}

/* PostgreSQL only, staged by locking.sh: a DDL whose liteshift.master record fails (a trigger
 * there refuses it) runs again alone; the write lock its first run held went with the failed
 * record, and another session, queued for it meanwhile, holds it now.  The rerun is a write
 * that finds the lock busy: the busy handler is called as for any write, then SQLITE_BUSY;
 * with a busy timeout the same DDL waits for the lock and succeeds. */
static int ddl_rerun(const char *path)
{
    alarm(60);
    sqlite3 *b;
    if (sqlite3_open(path, &b) != SQLITE_OK)
        return fail(NULL, "open");
    int bad = 0;
    sqlite3_busy_handler(b, busy_three_times, NULL);
    busy_calls = 0;
    bad += expect(b, "CREATE TABLE rerun(x INTEGER)", SQLITE_BUSY, "database is locked", 0, 30);
    printf("%s: busy handler calls for the DDL run again: %d (expected 4)\n",
           busy_calls == 4 ? "ok" : "FAIL", busy_calls);
    bad += busy_calls != 4;
    sqlite3_busy_timeout(b, 30000);
    bad += expect(b, "CREATE TABLE rerun(x INTEGER)", SQLITE_OK, NULL, 0.25, 30);
    bad += expect_int(b, "SELECT count(*) FROM rerun", 0);
    sqlite3_close(b);
    return bad ? 1 : 0;
}

static int interleave(const char *path, int rows)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return fail(db, "open");
    char sql[256];
    snprintf(sql, sizeof sql,
             "CREATE TABLE items(id INTEGER PRIMARY KEY, v INTEGER NOT NULL);"
             "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %d)"
             " INSERT INTO items SELECT x, x FROM c;", rows);
    if (exec(db, "DROP TABLE IF EXISTS items") || exec(db, sql))
        return fail(db, "setup");
    sqlite3_stmt *sel, *upd;
    if (sqlite3_prepare_v2(db, "SELECT id, v FROM items ORDER BY id", -1, &sel, NULL) ||
        sqlite3_prepare_v2(db, "UPDATE items SET v = ? WHERE id = ?", -1, &upd, NULL))
        return fail(db, "prepare");
    int seen = 0, rc;
    if (exec(db, "BEGIN"))
        return fail(db, "begin");
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        sqlite3_bind_int64(upd, 1, -sqlite3_column_int64(sel, 1));
        sqlite3_bind_int64(upd, 2, sqlite3_column_int64(sel, 0));
        if (sqlite3_step(upd) != SQLITE_DONE)
            return fail(db, "update between rows");
        sqlite3_reset(upd);
        seen++;
    }
    if (rc != SQLITE_DONE)
        return fail(db, "select");
    if (exec(db, "COMMIT"))
        return fail(db, "commit");
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    sqlite3_stmt *chk;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM items WHERE v < 0", -1, &chk, NULL) ||
        sqlite3_step(chk) != SQLITE_ROW)
        return fail(db, "check");
    long long neg = sqlite3_column_int64(chk, 0);
    sqlite3_finalize(chk);
    sqlite3_close(db);
    printf("interleave: %d rows stepped, %lld updated between rows (expected %d)\n", seen, neg,
           rows);
    return (seen == rows && neg == rows) ? 0 : 1;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int scan(const char *path, int rows, int max_mib)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return fail(db, "open");
    char sql[320];
    snprintf(sql, sizeof sql,
             "CREATE TABLE big(id INTEGER PRIMARY KEY, name TEXT, x REAL);"
             "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d)"
             " INSERT INTO big SELECT i, 'row number ' || i, i * 0.5 FROM c;", rows);
    if (exec(db, "DROP TABLE IF EXISTS big") || exec(db, sql))
        return fail(db, "setup");
    long before = peak_rss_kib();
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id, name, x FROM big", -1, &st, NULL))
        return fail(db, "prepare");
    long long n = 0, sum = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        n++;
        sum += sqlite3_column_int64(st, 0) + sqlite3_column_bytes(st, 1);
    }
    if (rc != SQLITE_DONE)
        return fail(db, "scan");
    sqlite3_finalize(st);
    sqlite3_close(db);
    long peak = peak_rss_kib();
    printf("scan: %lld rows, checksum %lld, peak RSS %ld KiB (%ld KiB before the scan), bound %d MiB\n",
           n, sum, peak, before, max_mib);
    return (n == rows && peak < (long)max_mib * 1024) ? 0 : 1;
}

static int restart(const char *path, const char *restart_cmd)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return fail(db, "open");
    if (exec(db, "DROP TABLE IF EXISTS r") || exec(db, "CREATE TABLE r(id INTEGER PRIMARY KEY, v TEXT)") ||
        exec(db, "INSERT INTO r VALUES (1, 'before')"))
        return fail(db, "setup");
    /* 1. restart between statements outside a transaction: transparent */
    if (system(restart_cmd) != 0)
        return fail(NULL, "restart command");
    if (exec(db, "INSERT INTO r VALUES (2, 'after restart')"))
        return fail(db, "statement after a restart outside a transaction");
    /* 2. restart inside a transaction: an error, then ROLLBACK, then work goes on */
    if (exec(db, "BEGIN") || exec(db, "INSERT INTO r VALUES (3, 'lost with the transaction')"))
        return fail(db, "begin");
    if (system(restart_cmd) != 0)
        return fail(NULL, "restart command");
    int rc = exec(db, "INSERT INTO r VALUES (4, 'inside the broken transaction')");
    printf("restart: statement inside the lost transaction -> %d (%s)\n", rc, sqlite3_errmsg(db));
    int rb = exec(db, "ROLLBACK");
    printf("restart: ROLLBACK -> %d, autocommit %d\n", rb, sqlite3_get_autocommit(db));
    if (exec(db, "INSERT INTO r VALUES (5, 'after rollback')"))
        return fail(db, "statement after rollback");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT group_concat(id, ',') FROM (SELECT id FROM r ORDER BY id)", -1, &st, NULL) ||
        sqlite3_step(st) != SQLITE_ROW)
        return fail(db, "final select");
    char ids[64];
    snprintf(ids, sizeof ids, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    printf("restart: rows %s\n", ids);
    /* SQLite has no server to restart: its run shows the same rows with rc 0 inside */
    return (strcmp(ids, "1,2,5") == 0 || strcmp(ids, "1,2,3,4,5") == 0) && rb == SQLITE_OK ? 0 : 1;
}

/* Bound values are copied in place when short and to the heap when long (api_stmt.c): the
 * same slot rebound short, long, NULL, short again, and sqlite3_clear_bindings after a blob
 * (its class must go with it: a NULL is not a blob), read back as SQLite stores them. */
static int bindings(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        exec(db, "CREATE TABLE b(id INTEGER PRIMARY KEY, n INTEGER, s TEXT)") != SQLITE_OK)
        return fail(db, "setup");
    static const char long_text[] = "a text longer than the thirty-two bytes kept in place";
    static const char *const texts[] = { "short", long_text, NULL, "x", long_text + 1, "" };
    sqlite3_stmt *ins;
    if (sqlite3_prepare_v2(db, "INSERT INTO b(n, s) VALUES (?, ?)", -1, &ins, NULL) != SQLITE_OK)
        return fail(db, "prepare insert");
    for (int k = 0; k < 6; k++) {
        sqlite3_bind_int64(ins, 1, k % 2 ? -1234567890123456789LL : k);
        if (texts[k])
            sqlite3_bind_text(ins, 2, texts[k], -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(ins, 2);
        if (sqlite3_step(ins) != SQLITE_DONE)
            return fail(db, "insert");
        sqlite3_reset(ins);
    }
    /* a blob bound to the INTEGER column, then cleared: NULLs are inserted */
    static const unsigned char blob[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    sqlite3_bind_blob(ins, 1, blob, sizeof blob, SQLITE_STATIC);
    sqlite3_clear_bindings(ins);
    if (sqlite3_step(ins) != SQLITE_DONE)
        return fail(db, "insert after clear_bindings");
    sqlite3_finalize(ins);
    sqlite3_stmt *sel;
    if (sqlite3_prepare_v2(db, "SELECT n, s FROM b ORDER BY id", -1, &sel, NULL) != SQLITE_OK)
        return fail(db, "prepare select");
    for (int k = 0; k < 7; k++) {
        if (sqlite3_step(sel) != SQLITE_ROW)
            return fail(db, "select");
        long long want_n = k % 2 ? -1234567890123456789LL : k;
        const char *want_s = k < 6 ? texts[k] : NULL;
        const char *s = (const char *)sqlite3_column_text(sel, 1);
        bool n_ok = k < 6 ? sqlite3_column_int64(sel, 0) == want_n
                          : sqlite3_column_type(sel, 0) == SQLITE_NULL;
        if (!n_ok || (want_s ? !s || strcmp(s, want_s) != 0 : s != NULL)) {
            printf("FAIL: row %d: n=%lld s=%s\n", k, (long long)sqlite3_column_int64(sel, 0),
                   s ? s : "NULL");
            return 1;
        }
    }
    sqlite3_finalize(sel);
    sqlite3_close(db);
    printf("ok: bindings\n");
    return 0;
}

/* sqlite3_open16 with a name outside the BMP (a surrogate pair in UTF-16): the database
 * opens under the name's UTF-8 spelling, which sqlite3_db_filename gives back, and works. */
static int utf16(const char *path)
{
    char name[4096];
    const char *slash = strrchr(path, '/');
    int dir = slash ? (int)(slash - path + 1) : 0;
    snprintf(name, sizeof name, "%.*st\xc3\xa9\xf0\x9f\x98\x80.db", dir, path);  /* "té😀.db" */
    uint16_t wide[4096];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && n + 2 < 4096;) {
        uint32_t cp;
        if (*p < 0x80) cp = *p++;
        else if (*p < 0xe0) { cp = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f); p += 2; }
        else if (*p < 0xf0) { cp = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f); p += 3; }
        else { cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 | (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f); p += 4; }
        if (cp >= 0x10000) {
            wide[n++] = (uint16_t)(0xd800 + ((cp - 0x10000) >> 10));
            wide[n++] = (uint16_t)(0xdc00 + ((cp - 0x10000) & 0x3ff));
        } else {
            wide[n++] = (uint16_t)cp;
        }
    }
    wide[n] = 0;
    sqlite3 *db;
    if (sqlite3_open16(wide, &db) != SQLITE_OK)
        return fail(db, "open16");
    const char *got = sqlite3_db_filename(db, "main");
    size_t gl = got ? strlen(got) : 0, tl = strlen("t\xc3\xa9\xf0\x9f\x98\x80.db");
    if (!got || gl < tl || strcmp(got + gl - tl, "t\xc3\xa9\xf0\x9f\x98\x80.db") != 0) {
        printf("FAIL: db_filename after open16: %s\n", got ? got : "NULL");
        return 1;
    }
    if (exec(db, "CREATE TABLE u(s TEXT)") != SQLITE_OK ||
        exec(db, "INSERT INTO u VALUES ('caf\xc3\xa9 \xf0\x9f\x98\x80')") != SQLITE_OK)
        return fail(db, "write");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT s FROM u", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        return fail(db, "read");
    const char *s = (const char *)sqlite3_column_text(st, 0);
    if (!s || strcmp(s, "caf\xc3\xa9 \xf0\x9f\x98\x80") != 0) {
        printf("FAIL: read back %s\n", s ? s : "NULL");
        return 1;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    printf("ok: utf16\n");
    return 0;
}

/* A value's text stays valid until its own statement steps again (SQLite's rule), even when
 * another statement needs the connection meanwhile and the rest of the first one's rows are
 * read into memory (pg_exec.c ls_pg_free_connection).  Meant to run under ASan too: the
 * text of an integer and a blob, both made on demand, are read after the other statement. */
static int kept_text(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        exec(db, "CREATE TABLE k(id INTEGER PRIMARY KEY, v INTEGER, b BLOB);"
                 "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100)"
                 " INSERT INTO k SELECT x, x * 1000, x'00ff10' FROM c;") != SQLITE_OK)
        return fail(db, "setup");
    sqlite3_stmt *sel, *other;
    if (sqlite3_prepare_v2(db, "SELECT id, v, b FROM k ORDER BY id", -1, &sel, NULL) ||
        sqlite3_prepare_v2(db, "SELECT count(*) FROM k", -1, &other, NULL))
        return fail(db, "prepare");
    if (sqlite3_step(sel) != SQLITE_ROW)
        return fail(db, "first row");
    const char *text = (const char *)sqlite3_column_text(sel, 1);
    const unsigned char *blob = sqlite3_column_blob(sel, 2);
    int blob_len = sqlite3_column_bytes(sel, 2);
    if (sqlite3_step(other) != SQLITE_ROW || sqlite3_column_int64(other, 0) != 100)
        return fail(db, "the other statement");
    sqlite3_reset(other);
    if (!text || strcmp(text, "1000") != 0 || blob_len != 3 || !blob || blob[0] != 0 ||
        blob[1] != 0xff || blob[2] != 0x10) {
        printf("FAIL: the first row's values changed under the other statement\n");
        return 1;
    }
    int rows = 1, rc;
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW)
        if (sqlite3_column_int64(sel, 1) != ++rows * 1000LL)
            return fail(db, "a later row");
    if (rc != SQLITE_DONE || rows != 100)
        return fail(db, "rows");
    sqlite3_finalize(sel);
    sqlite3_finalize(other);
    sqlite3_close(db);
    printf("ok: kept_text\n");
    return 0;
}

/* Step sql to its end: SQLITE_DONE expected, the rows counted into *rows (may be NULL). */
static bool run_done(sqlite3 *db, const char *sql, int *rows)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        n++;
    sqlite3_finalize(st);
    if (rows)
        *rows = n;
    if (rc != SQLITE_DONE)
        printf("FAIL: %s: step answered %d, not SQLITE_DONE\n", sql, rc);
    return rc == SQLITE_DONE;
}

/* A select of several rows (or none), run a second time (prepared on the server: sent
 * alone), then a write and a PRAGMA read: each write's step ends in SQLITE_DONE with its
 * rowid, and user_version reads what was set.  The PostgreSQL backend once sent such a
 * select outside libpq's pipeline mode in single-row mode, which libpq 15 kept for the next
 * pipeline's first query: the INSERT's step answered 0 with last_insert_rowid stale, and
 * PRAGMA user_version read 0. */
static int row_mode(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER);"
                 "INSERT INTO t(x) VALUES (1), (1), (1)") != SQLITE_OK)
        return fail(db, "setup");
    int bad = 0, rows;
    static const char *const sels[2] = { "SELECT x FROM t WHERE x = 5",
                                         "SELECT x FROM t WHERE x = 1" };
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < 2; i++)
            bad |= !run_done(db, sels[k], &rows);
        if (rows != (k ? 3 : 0)) {
            printf("FAIL: %s: %d rows\n", sels[k], rows);
            bad = 1;
        }
        bad |= !run_done(db, "INSERT INTO t(x) VALUES (2)", NULL);
        if (sqlite3_last_insert_rowid(db) != 4 + k || sqlite3_changes(db) != 1) {
            printf("FAIL: after the select of %s: last_insert_rowid %lld, changes %d\n",
                   k ? "rows" : "no row", (long long)sqlite3_last_insert_rowid(db),
                   sqlite3_changes(db));
            bad = 1;
        }
        for (int i = 0; i < 2; i++)
            bad |= !run_done(db, sels[k], NULL);
        bad |= !run_done(db, "UPDATE t SET x = x WHERE x = 2", NULL);
        if (sqlite3_changes(db) != 1 + k) {
            printf("FAIL: UPDATE after the select: changes %d\n", sqlite3_changes(db));
            bad = 1;
        }
        char set[40];
        snprintf(set, sizeof set, "PRAGMA user_version = %d", 7 + k);
        bad |= !run_done(db, set, NULL);
        for (int i = 0; i < 2; i++)
            bad |= !run_done(db, sels[k], NULL);
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_ROW)
            return fail(db, "PRAGMA user_version");
        if (sqlite3_column_int(st, 0) != 7 + k) {
            printf("FAIL: PRAGMA user_version read %d, not %d\n", sqlite3_column_int(st, 0),
                   7 + k);
            bad = 1;
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    printf("%s: row_mode\n", bad ? "FAIL" : "ok");
    return bad;
}

/* The objects of the database, as sqlite_master lists them, onto stdout. */
static int print_master(sqlite3 *db, const char *when)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_master "
                               "ORDER BY type, name", -1, &st, NULL) != SQLITE_OK)
        return fail(db, "sqlite_master");
    printf("sqlite_master %s:\n", when);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        printf("  %s|%s|%s|%s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
               sqlite3_column_text(st, 2), sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fail(db, "sqlite_master rows");
}

/* Whether table or index name exists (sqlite_master). */
static bool exists(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st;
    bool found = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE name = ?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    return found;
}

/* sqlite3_exec of sql: prints its code, sqlite3_errmsg and *errmsg; true when they are
 * code and msg (msg NULL: success, no message). */
static bool exec_expect(sqlite3 *db, const char *what, const char *sql, int code,
                        const char *msg, int (*cb)(void *, int, char **, char **), void *arg)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, cb, arg, &err);
    printf("%s: rc %d, errmsg \"%s\", *errmsg \"%s\"\n", what, rc,
           rc ? sqlite3_errmsg(db) : "", err ? err : "(null)");
    bool ok = rc == code && (msg ? err && strcmp(err, msg) == 0 &&
                                   strcmp(sqlite3_errmsg(db), msg) == 0 : !err);
    if (!ok)
        printf("FAIL: %s: expected rc %d \"%s\"\n", what, code, msg ? msg : "");
    sqlite3_free(err);
    return ok;
}

static int count_rows(void *arg, int n, char **vals, char **names)
{
    (void)n, (void)vals, (void)names;
    ++*(int *)arg;
    return 0;
}

/* sqlite3_exec of scripts made only of DDL, which the PostgreSQL backend runs in one
 * pipeline outside a transaction (shim/pg_script.c): the outcome must be SQLite's, the
 * statements before a failure done and those after it not; a script with an INSERT and one
 * inside BEGIN keep working.  Each check holds on SQLite by SQLite's documented behaviour;
 * ddl_script.sh compares the transcripts of the two backends and counts round trips. */
static int ddl_script(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return fail(db, "open");
    int bad = 0;
    /* the 3rd of 5 fails: 1 and 2 stay, 4 and 5 never run */
    bad |= !exec_expect(db, "third of five fails",
                        "CREATE TABLE a(x INTEGER); CREATE INDEX a_x ON a(x);"
                        " CREATE TABLE a(y); CREATE TABLE d(z); CREATE INDEX d_z ON d(z);",
                        SQLITE_ERROR, "table a already exists", NULL, NULL);
    printf("exists: a %d, a_x %d, d %d, d_z %d\n", exists(db, "a"), exists(db, "a_x"),
           exists(db, "d"), exists(db, "d_z"));
    if (!exists(db, "a") || !exists(db, "a_x") || exists(db, "d") || exists(db, "d_z")) {
        printf("FAIL: after the failed script\n");
        bad = 1;
    }
    /* the 2nd of 3 fails to compile (a lowered limit): the 1st ran, the 3rd did not */
    int old_args = sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 2);
    bad |= !exec_expect(db, "second of three does not compile",
                        "CREATE TABLE f1(x); CREATE TABLE f2(x DEFAULT (max(1, 2, 3)));"
                        " CREATE TABLE f3(x);", SQLITE_ERROR,
                        "too many arguments on function max", NULL, NULL);
    sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, old_args);
    printf("exists: f1 %d, f2 %d, f3 %d\n", exists(db, "f1"), exists(db, "f2"), exists(db, "f3"));
    if (!exists(db, "f1") || exists(db, "f2") || exists(db, "f3")) {
        printf("FAIL: after the script that did not compile\n");
        bad = 1;
    }
    if (exec(db, "INSERT INTO a VALUES (1), (2)") != SQLITE_OK)
        return fail(db, "insert");
    sqlite3_int64 total = sqlite3_total_changes64(db);
    /* success, with a callback that has no row to be called for */
    int calls = 0;
    bad |= !exec_expect(db, "all DDL",
                        "DROP TABLE IF EXISTS a; DROP TABLE IF EXISTS gone;\n"
                        "CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
                        "CREATE TABLE q(id INTEGER PRIMARY KEY, p INTEGER REFERENCES p(id),"
                        " note TEXT);\n"
                        "CREATE UNIQUE INDEX q_p ON q(p);\n"
                        "CREATE INDEX q_note ON q(note);\n"
                        "CREATE TABLE IF NOT EXISTS scratch(x);\n"
                        "CREATE INDEX IF NOT EXISTS scratch_x ON scratch(x);\n"
                        "DROP INDEX scratch_x; DROP TABLE scratch;\n"
                        "DROP INDEX IF EXISTS nothing_here;", SQLITE_OK, NULL,
                        count_rows, &calls);
    printf("callback calls %d, changes %d, total_changes delta %lld\n", calls,
           sqlite3_changes(db), (long long)(sqlite3_total_changes64(db) - total));
    if (calls != 0 || sqlite3_changes(db) != 2 || sqlite3_total_changes64(db) != total) {
        printf("FAIL: the DDL script touched the callback or the change counts\n");
        bad = 1;
    }
    if (print_master(db, "after the DDL script"))
        return 1;
    if (exists(db, "a") || !exists(db, "p") || !exists(db, "q_note") || exists(db, "scratch")) {
        printf("FAIL: objects after the DDL script\n");
        bad = 1;
    }
    /* DDL and an INSERT: statement by statement, as before */
    bad |= !exec_expect(db, "DDL and INSERT",
                        "CREATE TABLE m(v TEXT); INSERT INTO m VALUES ('x'), ('y');"
                        " CREATE INDEX m_v ON m(v);", SQLITE_OK, NULL, NULL, NULL);
    printf("changes %d, m_v %d\n", sqlite3_changes(db), exists(db, "m_v"));
    if (sqlite3_changes(db) != 2 || !exists(db, "m_v")) {
        printf("FAIL: the mixed script\n");
        bad = 1;
    }
    /* inside BEGIN: the failure leaves the transaction open with the first two in it */
    if (exec(db, "BEGIN") != SQLITE_OK)
        return fail(db, "begin");
    bad |= !exec_expect(db, "in a transaction, rolled back",
                        "CREATE TABLE t1(x); CREATE TABLE t2(x); CREATE TABLE p(y);"
                        " CREATE TABLE t4(x);", SQLITE_ERROR, "table p already exists",
                        NULL, NULL);
    printf("autocommit %d, t1 %d, t2 %d, t4 %d\n", sqlite3_get_autocommit(db),
           exists(db, "t1"), exists(db, "t2"), exists(db, "t4"));
    if (sqlite3_get_autocommit(db) || !exists(db, "t2") || exists(db, "t4")) {
        printf("FAIL: inside the transaction\n");
        bad = 1;
    }
    if (exec(db, "ROLLBACK") != SQLITE_OK)
        return fail(db, "rollback");
    if (exists(db, "t1") || exists(db, "t2")) {
        printf("FAIL: rolled back, yet t1 or t2 exists\n");
        bad = 1;
    }
    if (exec(db, "BEGIN") != SQLITE_OK)
        return fail(db, "begin");
    bad |= !exec_expect(db, "in a transaction, committed",
                        "CREATE TABLE t1(x); CREATE TABLE t2(x); CREATE TABLE p(y);"
                        " CREATE TABLE t4(x);", SQLITE_ERROR, "table p already exists",
                        NULL, NULL);
    if (exec(db, "COMMIT") != SQLITE_OK)
        return fail(db, "commit");
    printf("committed: t1 %d, t2 %d, t4 %d\n", exists(db, "t1"), exists(db, "t2"),
           exists(db, "t4"));
    if (!exists(db, "t1") || !exists(db, "t2") || exists(db, "t4")) {
        printf("FAIL: after COMMIT\n");
        bad = 1;
    }
    /* another connection holds the write lock: a script that creates fails on its first
     * statement with SQLITE_BUSY (busy timeout 0), one that changes nothing runs (not
     * CREATE ... IF NOT EXISTS that creates: it takes no lock, docs/compatibility.md D11) */
    if (exec(db, "CREATE TABLE sh(x)") != SQLITE_OK)
        return fail(db, "create sh");
    sqlite3 *other;
    if (sqlite3_open(path, &other) != SQLITE_OK || exec(other, "BEGIN IMMEDIATE") != SQLITE_OK)
        return fail(other, "the other connection");
    bad |= !exec_expect(db, "write lock held elsewhere",
                        "CREATE TABLE w1(x); CREATE TABLE w2(x);", SQLITE_BUSY,
                        "database is locked", NULL, NULL);
    bad |= !exec_expect(db, "write lock held elsewhere, IF EXISTS only",
                        "DROP TABLE IF EXISTS w1; DROP INDEX IF EXISTS w2;", SQLITE_OK, NULL,
                        NULL, NULL);
    /* TEMP objects are written without the lock (D11): a script that makes one runs one
     * statement at a time, and one whose DDL touches TEMP objects only takes no lock */
    bad |= !exec_expect(db, "write lock held elsewhere, TEMP",
                        "CREATE TEMP TABLE tt(x); CREATE INDEX tt_x ON tt(x);", SQLITE_OK,
                        NULL, NULL, NULL);
    bad |= !exec_expect(db, "write lock held elsewhere, index on a TEMP table",
                        "DROP TABLE IF EXISTS w1; CREATE INDEX tt_y ON tt(x);"
                        " DROP INDEX tt_x;", SQLITE_OK, NULL, NULL, NULL);
    bad |= !exec_expect(db, "write lock held elsewhere, TEMP dropped",
                        "DROP INDEX tt_y; DROP TABLE tt;", SQLITE_OK, NULL, NULL, NULL);
    /* a TEMP table dropped, then what its name names after it: the main table it hid, which
     * the database's lock guards (the first DROP takes none, the second fails) */
    bad |= !exec_expect(db, "write lock held elsewhere, a TEMP sh hides the main one",
                        "CREATE TEMP TABLE sh(x);", SQLITE_OK, NULL, NULL, NULL);
    bad |= !exec_expect(db, "write lock held elsewhere, TEMP sh dropped, then main sh",
                        "DROP TABLE sh; DROP TABLE sh;", SQLITE_BUSY, "database is locked",
                        NULL, NULL);
    bad |= !exec_expect(db, "write lock held elsewhere, a TEMP sh again",
                        "CREATE TEMP TABLE sh(x);", SQLITE_OK, NULL, NULL, NULL);
    bad |= !exec_expect(db, "write lock held elsewhere, TEMP sh dropped, index on main sh",
                        "DROP TABLE IF EXISTS sh; CREATE INDEX sh_x ON sh(x);", SQLITE_BUSY,
                        "database is locked", NULL, NULL);
    printf("sh %d, sh_x %d\n", exists(db, "sh"), exists(db, "sh_x"));
    if (!exists(db, "sh") || exists(db, "sh_x")) {
        printf("FAIL: the main sh was changed without the lock\n");
        bad = 1;
    }
    printf("w1 %d, w2 %d\n", exists(db, "w1"), exists(db, "w2"));
    if (exec(other, "COMMIT") != SQLITE_OK)
        return fail(other, "commit elsewhere");
    sqlite3_close(other);
    bad |= !exec_expect(db, "write lock free again",
                        "CREATE TABLE w1(x); CREATE TABLE w2(x);", SQLITE_OK, NULL, NULL, NULL);
    if (exists(db, "w1") + exists(db, "w2") != 2) {
        printf("FAIL: w1 and w2 after the lock was released\n");
        bad = 1;
    }
    if (print_master(db, "at the end"))
        return 1;
    sqlite3_close(db);
    /* for ddl_script.sh's round trip count: a connection that only opens and closes, then
     * one that runs a DDL script of four statements (their difference is the script's) */
    for (int k = 0; k < 2; k++) {
        if (sqlite3_open(path, &db) != SQLITE_OK)
            return fail(db, "open again");
        if (k == 1 && !exec_expect(db, "four DDL", "DROP TABLE IF EXISTS r1;"
                                   " CREATE TABLE r1(x INTEGER); CREATE INDEX r1_x ON r1(x);"
                                   " CREATE TABLE r2(y TEXT);", SQLITE_OK, NULL, NULL, NULL))
            bad = 1;
        sqlite3_close(db);
    }
    printf("%s: ddl_script\n", bad ? "FAIL" : "ok");
    return bad;
}

/* sqlite3_txn_state through a transaction's life, as SQLite reports it: NONE after a
 * deferred BEGIN and after a statement that reads no table, READ after a read, WRITE after a
 * write or BEGIN IMMEDIATE, NONE after COMMIT or ROLLBACK; -1 for a schema that is not there.
 * The expected states are SQLite's documented ones: the same scenario runs on SQLite first. */
static int txn_state(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return fail(db, "open");
    if (exec(db, "CREATE TABLE t(x INTEGER)") || exec(db, "INSERT INTO t VALUES (1)"))
        return fail(db, "setup");
    static const struct {
        const char *sql;
        int want;
    } steps[] = {
        {NULL, SQLITE_TXN_NONE},
        {"BEGIN", SQLITE_TXN_NONE},
        {"SELECT 1", SQLITE_TXN_NONE},
        {"SELECT count(*) FROM t", SQLITE_TXN_READ},
        {"INSERT INTO t VALUES (2)", SQLITE_TXN_WRITE},
        {"SELECT count(*) FROM t", SQLITE_TXN_WRITE},
        {"COMMIT", SQLITE_TXN_NONE},
        {"BEGIN", SQLITE_TXN_NONE},
        {"COMMIT", SQLITE_TXN_NONE},
        {"BEGIN IMMEDIATE", SQLITE_TXN_WRITE},
        {"ROLLBACK", SQLITE_TXN_NONE},
        {"BEGIN", SQLITE_TXN_NONE},
        {"UPDATE t SET x = x + 1", SQLITE_TXN_WRITE},
        {"ROLLBACK", SQLITE_TXN_NONE},
        {"SAVEPOINT a", SQLITE_TXN_NONE},
        {"SELECT x FROM t WHERE x = 1", SQLITE_TXN_READ},
        {"RELEASE a", SQLITE_TXN_NONE},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (steps[i].sql && exec(db, steps[i].sql) != SQLITE_OK)
            return fail(db, steps[i].sql);
        int got = sqlite3_txn_state(db, NULL), main_got = sqlite3_txn_state(db, "main");
        if (got != steps[i].want || main_got != steps[i].want) {
            printf("FAIL: txn_state after %s: %d (main %d), SQLite's is %d\n",
                   steps[i].sql ? steps[i].sql : "open", got, main_got, steps[i].want);
            bad = 1;
        }
    }
    if (sqlite3_txn_state(db, "nosuch") != -1) {
        printf("FAIL: txn_state of an unknown schema is not -1\n");
        bad = 1;
    }
    sqlite3_close(db);
    printf("txn_state: %zu steps %s\n", sizeof steps / sizeof steps[0], bad ? "FAILED" : "ok");
    return bad;
}

/* sqlite3_txn_state per schema when a transaction writes TEMP objects only: SQLite's temp
 * database is then in a write transaction and main in none, and the whole connection (NULL)
 * reports the highest; a read of a main table makes main READ and leaves temp alone. */
static int txn_state_temp(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return fail(db, "open");
    if (exec(db, "CREATE TABLE t(x INTEGER)") || exec(db, "CREATE TEMP TABLE tt(x INTEGER)"))
        return fail(db, "setup");
    static const struct {
        const char *sql;
        int all, main, temp;
    } steps[] = {
        {"BEGIN", SQLITE_TXN_NONE, SQLITE_TXN_NONE, SQLITE_TXN_NONE},
        {"INSERT INTO tt VALUES (1)", SQLITE_TXN_WRITE, SQLITE_TXN_NONE, SQLITE_TXN_WRITE},
        {"ROLLBACK", SQLITE_TXN_NONE, SQLITE_TXN_NONE, SQLITE_TXN_NONE},
        {"SAVEPOINT a", SQLITE_TXN_NONE, SQLITE_TXN_NONE, SQLITE_TXN_NONE},
        {"SELECT count(*) FROM t", SQLITE_TXN_READ, SQLITE_TXN_READ, SQLITE_TXN_NONE},
        {"UPDATE tt SET x = 2", SQLITE_TXN_WRITE, SQLITE_TXN_READ, SQLITE_TXN_WRITE},
        {"INSERT INTO t VALUES (1)", SQLITE_TXN_WRITE, SQLITE_TXN_WRITE, SQLITE_TXN_WRITE},
        {"RELEASE a", SQLITE_TXN_NONE, SQLITE_TXN_NONE, SQLITE_TXN_NONE},
        {"BEGIN", SQLITE_TXN_NONE, SQLITE_TXN_NONE, SQLITE_TXN_NONE},
        {"INSERT INTO t VALUES (2)", SQLITE_TXN_WRITE, SQLITE_TXN_WRITE, SQLITE_TXN_NONE},
        {"COMMIT", SQLITE_TXN_NONE, SQLITE_TXN_NONE, SQLITE_TXN_NONE},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (exec(db, steps[i].sql) != SQLITE_OK)
            return fail(db, steps[i].sql);
        int all = sqlite3_txn_state(db, NULL), m = sqlite3_txn_state(db, "main"),
            t = sqlite3_txn_state(db, "temp");
        if (all != steps[i].all || m != steps[i].main || t != steps[i].temp) {
            printf("FAIL: txn_state after %s: %d/%d/%d (all/main/temp), SQLite's is %d/%d/%d\n",
                   steps[i].sql, all, m, t, steps[i].all, steps[i].main, steps[i].temp);
            bad = 1;
        }
    }
    sqlite3_close(db);
    printf("txn_state_temp: %zu steps %s\n", sizeof steps / sizeof steps[0],
           bad ? "FAILED" : "ok");
    return bad;
}

/* The rollback journal's readers' lock through the C API (docs/compatibility.md D11), in
 * SQLite's default journal mode: a writer's COMMIT, a write outside a transaction and the
 * RELEASE that commits, against a transaction that read, call the busy handler until it
 * answers 0 (4 calls), then SQLITE_BUSY with the writer's transaction open and WRITE; a
 * reader's failed first read (no such table) leaves it NONE; once the reader ends the
 * writer commits. */
static int journal_busy(const char *path)
{
    alarm(60);
    sqlite3 *a, *b;
    if (sqlite3_open(path, &a) != SQLITE_OK || sqlite3_open(path, &b) != SQLITE_OK)
        return fail(NULL, "open");
    if (exec(a, "CREATE TABLE t(x INTEGER)") || exec(a, "INSERT INTO t VALUES (1)"))
        return fail(a, "setup");
    const char *busy_msg = "database is locked";
    int bad = 0;
    sqlite3_busy_handler(b, busy_three_times, NULL);
    bad += expect(a, "BEGIN", SQLITE_OK, NULL, 0, 2);
    bad += expect(a, "SELECT * FROM nosuch", SQLITE_ERROR, "no such table: nosuch", 0, 2);
    printf("%s: txn_state after a read that did not compile: %d (expected %d)\n",
           sqlite3_txn_state(a, NULL) == SQLITE_TXN_NONE ? "ok" : "FAIL",
           sqlite3_txn_state(a, NULL), SQLITE_TXN_NONE);
    bad += sqlite3_txn_state(a, NULL) != SQLITE_TXN_NONE;
    bad += expect(a, "SELECT count(*) FROM t", SQLITE_OK, NULL, 0, 2);
    static const struct {
        const char *sql, *then;
    } writes[] = {
        {"INSERT INTO t VALUES (2)", NULL},
        {"COMMIT", "BEGIN; INSERT INTO t VALUES (3)"},
        {"RELEASE s", "SAVEPOINT s; INSERT INTO t VALUES (4)"},
    };
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
        if (writes[i].then && exec(b, writes[i].then) != SQLITE_OK)
            return fail(b, writes[i].then);
        busy_calls = 0;
        bad += expect(b, writes[i].sql, SQLITE_BUSY, busy_msg, 0, 2);
        int autoc = sqlite3_get_autocommit(b), ts = sqlite3_txn_state(b, NULL);
        bool want_open = writes[i].then != NULL;
        bool ok = busy_calls == 4 && autoc == !want_open &&
                  ts == (want_open ? SQLITE_TXN_WRITE : SQLITE_TXN_NONE);
        printf("%s: %s: busy handler calls %d (expected 4), autocommit %d, txn_state %d\n",
               ok ? "ok" : "FAIL", writes[i].sql, busy_calls, autoc, ts);
        bad += !ok;
        if (i == 1 && exec(b, "ROLLBACK") != SQLITE_OK) /* its row 3 undone */
            return fail(b, "ROLLBACK");
    }
    bad += expect(a, "COMMIT", SQLITE_OK, NULL, 0, 2);
    bad += expect(b, "RELEASE s", SQLITE_OK, NULL, 0, 2);
    bad += expect_int(a, "SELECT count(*) FROM t", 2);
    sqlite3_close(a);
    sqlite3_close(b);
    printf("journal_busy: %s\n", bad ? "FAILED" : "ok");
    return bad ? 1 : 0;
}

/* ---- threads: one connection used by several threads at once ----
 * SQLite's default threading mode is serialized: any number of threads may call the API on
 * one connection at the same time, each call done whole before the next.  Python's
 * check_same_thread=False and C servers with a shared handle rely on it.  Each thread runs
 * its own statements on the shared connection: point selects checked against the row they
 * ask for, inserts, an atomic counter update through sqlite3_exec, and a full scan stepped
 * row by row while the other threads run statements between its steps.  Per-connection
 * state (errmsg, changes) is not checked: it belongs to whichever call came last. */
typedef struct thr_arg {
    sqlite3 *db;
    int id, iters, rows;
    atomic_int *bad;
} thr_arg;

static void thr_fail(thr_arg *a, const char *what, int rc)
{
    if (atomic_fetch_add(a->bad, 1) < 10)
        printf("FAIL: thread %d: %s: %d (%s)\n", a->id, what, rc, sqlite3_errstr(rc));
}

static void *thr_main(void *p)
{
    thr_arg *a = p;
    unsigned seed = (unsigned)a->id * 7919u + 1u;
    for (int i = 0; i < a->iters; i++) {
        sqlite3_stmt *st;
        int rc, id = (int)(rand_r(&seed) % (unsigned)a->rows) + 1;
        /* a point select: the row asked for, and only it */
        if ((rc = sqlite3_prepare_v2(a->db, "SELECT v, id * 2 FROM t WHERE id = ?", -1, &st,
                                     NULL)) != SQLITE_OK) {
            thr_fail(a, "prepare select", rc);
            continue;
        }
        sqlite3_bind_int(st, 1, id);
        char want[32];
        snprintf(want, sizeof want, "row-%d", id);
        if ((rc = sqlite3_step(st)) != SQLITE_ROW)
            thr_fail(a, "step select", rc);
        else if (!sqlite3_column_text(st, 0) || strcmp((const char *)sqlite3_column_text(st, 0), want)
                 || sqlite3_column_int(st, 1) != id * 2)
            thr_fail(a, "wrong row", SQLITE_ROW);
        else if ((rc = sqlite3_step(st)) != SQLITE_DONE)
            thr_fail(a, "second step", rc);
        sqlite3_finalize(st);
        /* an insert with bound values */
        if ((rc = sqlite3_prepare_v2(a->db, "INSERT INTO log(th, i, v) VALUES (?, ?, ?)", -1, &st,
                                     NULL)) != SQLITE_OK) {
            thr_fail(a, "prepare insert", rc);
            continue;
        }
        sqlite3_bind_int(st, 1, a->id);
        sqlite3_bind_int(st, 2, i);
        sqlite3_bind_text(st, 3, want, -1, SQLITE_TRANSIENT);
        if ((rc = sqlite3_step(st)) != SQLITE_DONE)
            thr_fail(a, "step insert", rc);
        sqlite3_finalize(st);
        /* a read-modify-write in one statement */
        if ((rc = sqlite3_exec(a->db, "UPDATE cnt SET n = n + 1 WHERE k = 1", NULL, NULL, NULL))
            != SQLITE_OK)
            thr_fail(a, "exec update", rc);
        /* now and then a full scan, stepped while the other threads go on */
        if (i % 10 == a->id % 10) {
            if ((rc = sqlite3_prepare_v2(a->db, "SELECT id, v FROM t ORDER BY id", -1, &st, NULL))
                != SQLITE_OK) {
                thr_fail(a, "prepare scan", rc);
                continue;
            }
            int n = 0;
            while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                n++;
                snprintf(want, sizeof want, "row-%d", n);
                if (sqlite3_column_int(st, 0) != n || !sqlite3_column_text(st, 1)
                    || strcmp((const char *)sqlite3_column_text(st, 1), want)) {
                    thr_fail(a, "wrong scan row", SQLITE_ROW);
                    break;
                }
                if (n % 16 == 0)
                    sched_yield();
            }
            if (rc != SQLITE_DONE && rc != SQLITE_ROW)
                thr_fail(a, "step scan", rc);
            else if (rc == SQLITE_DONE && n != a->rows)
                thr_fail(a, "scan row count", n);
            sqlite3_finalize(st);
        }
    }
    return NULL;
}

/* ---- blob_close: a connection closed while an incremental blob is open ----
 * As SQLite: sqlite3_close refuses (SQLITE_BUSY) and the blob still reads; sqlite3_close_v2
 * succeeds and the connection lives on until the blob (and a statement) are closed. */
static int blob_close(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return fail(db, "open");
    if (exec(db, "DROP TABLE IF EXISTS bl; CREATE TABLE bl(id INTEGER PRIMARY KEY, x BLOB);"
                 "INSERT INTO bl VALUES (1, x'0102030405')"))
        return fail(db, "setup");
    sqlite3_blob *b;
    sqlite3_stmt *st;
    if (sqlite3_blob_open(db, "main", "bl", "x", 1, 0, &b) != SQLITE_OK)
        return fail(db, "blob_open");
    int busy = sqlite3_close(db);
    unsigned char buf[5] = { 0 };
    int rd = sqlite3_blob_read(b, buf, 5, 0);
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM bl", -1, &st, NULL) != SQLITE_OK)
        return fail(db, "prepare");
    int v2 = sqlite3_close_v2(db);          /* a zombie: a blob and a statement left */
    int fin = sqlite3_finalize(st);         /* the blob still keeps it */
    int bc = sqlite3_blob_close(b);         /* the last: the connection goes */
    bool ok = busy == SQLITE_BUSY && rd == SQLITE_OK && buf[0] == 1 && buf[4] == 5
              && v2 == SQLITE_OK && fin == SQLITE_OK && bc == SQLITE_OK;
    printf("%s: close with a blob open %d (expected %d), blob read %d [%d..%d], close_v2 %d, "
           "finalize %d, blob_close %d\n", ok ? "ok" : "FAIL", busy, SQLITE_BUSY, rd, buf[0],
           buf[4], v2, fin, bc);
    return ok ? 0 : 1;
}

static void *finalize_one(void *st)
{
    return (void *)(intptr_t)sqlite3_finalize(st);
}

static int threads(const char *path, int nthreads, int iters)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return fail(db, "open");
    sqlite3_busy_timeout(db, 10000);
    enum { ROWS = 200 };
    char sql[512];
    snprintf(sql, sizeof sql,
             "DROP TABLE IF EXISTS t; DROP TABLE IF EXISTS log; DROP TABLE IF EXISTS cnt;"
             "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL);"
             "CREATE TABLE log(th INTEGER, i INTEGER, v TEXT);"
             "CREATE TABLE cnt(k INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
             "INSERT INTO cnt VALUES (1, 0);"
             "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %d)"
             " INSERT INTO t SELECT x, 'row-' || x FROM c;", ROWS);
    if (exec(db, sql))
        return fail(db, "setup");
    if (nthreads > 64)
        nthreads = 64;
    pthread_t tid[64];
    thr_arg args[64];
    atomic_int bad = 0;
    /* the opening thread is worker 1: its calls overlap the others' from the start */
    for (int k = 0; k < nthreads; k++) {
        args[k] = (thr_arg){ db, k + 1, iters, ROWS, &bad };
        if (k > 0 && pthread_create(&tid[k], NULL, thr_main, &args[k]) != 0)
            return fail(NULL, "pthread_create");
    }
    thr_main(&args[0]);
    for (int k = 1; k < nthreads; k++)
        pthread_join(tid[k], NULL);
    /* hand-overs: 50 fresh connections, each used at once by the thread that opened it
     * and by a second thread (the first call from another thread is where a per-thread
     * fast path would have to give way) */
    int handovers = 0;
    for (int r = 0; r < 50; r++) {
        sqlite3 *db2;
        if (sqlite3_open(path, &db2) != SQLITE_OK)
            return fail(db2, "open for a hand-over");
        sqlite3_busy_timeout(db2, 10000);
        thr_arg h[2] = { { db2, 101 + r, 20, ROWS, &bad }, { db2, 201 + r, 20, ROWS, &bad } };
        pthread_t t2;
        if (pthread_create(&t2, NULL, thr_main, &h[1]) != 0)
            return fail(NULL, "pthread_create");
        thr_main(&h[0]);
        pthread_join(t2, NULL);
        if (sqlite3_close(db2) == SQLITE_OK)
            handovers++;
    }
    /* closed by close_v2 with two statements left, whose finalizes then race on two
     * threads: exactly one of them frees the connection */
    int zombies = 0;
    for (int r = 0; r < 100; r++) {
        sqlite3 *db3;
        sqlite3_stmt *s1, *s2;
        if (sqlite3_open(path, &db3) != SQLITE_OK
            || sqlite3_prepare_v2(db3, "SELECT v FROM t WHERE id = 1", -1, &s1, NULL) != SQLITE_OK
            || sqlite3_prepare_v2(db3, "SELECT v FROM t WHERE id = 2", -1, &s2, NULL) != SQLITE_OK
            || sqlite3_step(s1) != SQLITE_ROW)
            return fail(db3, "zombie setup");
        if (sqlite3_close_v2(db3) != SQLITE_OK)
            return fail(NULL, "close_v2 with statements left");
        pthread_t t1, t2;
        void *r1, *r2;
        pthread_create(&t1, NULL, finalize_one, s1);
        pthread_create(&t2, NULL, finalize_one, s2);
        pthread_join(t1, &r1);
        pthread_join(t2, &r2);
        if ((intptr_t)r1 == SQLITE_OK && (intptr_t)r2 == SQLITE_OK)
            zombies++;
    }
    sqlite3_stmt *st;
    long long logged = -1, distinct = -1, n = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*), count(DISTINCT th * 1000000 + i),"
                           " (SELECT n FROM cnt WHERE k = 1) FROM log", -1, &st, NULL) == SQLITE_OK
        && sqlite3_step(st) == SQLITE_ROW) {
        logged = sqlite3_column_int64(st, 0);
        distinct = sqlite3_column_int64(st, 1);
        n = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    int rc = sqlite3_close(db);
    long long want = (long long)nthreads * iters + 50 * 2 * 20;
    printf("threads: %d threads x %d iterations on one connection, then 50 connections "
           "handed between two threads: %lld rows logged (%lld distinct), counter %lld "
           "(expected %lld each), %d failures, %d hand-overs closed, %d/100 closed connections "
           "whose last two statements were finalized at once, close %d\n",
           nthreads, iters, logged, distinct, n, want, atomic_load(&bad), handovers, zombies, rc);
    return (logged == want && distinct == want && n == want && atomic_load(&bad) == 0
            && handovers == 50 && zombies == 100 && rc == SQLITE_OK) ? 0 : 1;
}

/* SQLite (3.6.23.1 and later) resets a statement stepped again after SQLITE_DONE or an error
 * and runs it again; C code retries a busy write that way (while (sqlite3_step(st) ==
 * SQLITE_BUSY) ...).  The shim answered SQLITE_DONE without running it: a retried write was
 * lost, and a failing INSERT stepped again reported success. */
static int autoreset(const char *path)
{
    sqlite3 *a, *b;
    sqlite3_stmt *upd, *sel, *ins, *upd2;
    if (sqlite3_open(path, &a) != SQLITE_OK || sqlite3_open(path, &b) != SQLITE_OK)
        return fail(NULL, "open");
    if (exec(a, "PRAGMA journal_mode=WAL") != SQLITE_OK ||
        exec(a, "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER);"
                "INSERT INTO t VALUES (1, 0), (2, 0)") != SQLITE_OK)
        return fail(a, "setup");
    if (sqlite3_prepare_v2(a, "UPDATE t SET v = v + 1 WHERE id = 1", -1, &upd, NULL) ||
        sqlite3_prepare_v2(a, "SELECT v FROM t ORDER BY id", -1, &sel, NULL) ||
        sqlite3_prepare_v2(a, "INSERT INTO t VALUES (1, 5)", -1, &ins, NULL) ||
        sqlite3_prepare_v2(b, "UPDATE t SET v = v + 10 WHERE id = 2", -1, &upd2, NULL))
        return fail(a, "prepare");
    int bad = 0;
    int r1 = sqlite3_step(upd), r2 = sqlite3_step(upd), r3 = sqlite3_step(upd);
    long long v1 = query_int(a, "SELECT v FROM t WHERE id = 1");
    printf("an UPDATE stepped three times without a reset: %d %d %d, v = %lld\n", r1, r2, r3,
           v1);
    bad += r1 != SQLITE_DONE || r2 != SQLITE_DONE || r3 != SQLITE_DONE || v1 != 3;
    int rows = 0, rc;
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW)
        rows++;
    int again = sqlite3_step(sel);
    long long first = again == SQLITE_ROW ? sqlite3_column_int64(sel, 0) : -1;
    printf("a SELECT read to its end (%d rows, %d), stepped again: %d, v = %lld\n", rows, rc,
           again, first);
    bad += rows != 2 || rc != SQLITE_DONE || again != SQLITE_ROW || first != 3;
    sqlite3_reset(sel);
    r1 = sqlite3_step(ins);
    r2 = sqlite3_step(ins);
    printf("a failing INSERT stepped twice: %d %d\n", r1, r2);
    bad += r1 != SQLITE_CONSTRAINT || r2 != SQLITE_CONSTRAINT;
    for (int run = 0; run < 3; run++) {   /* cold, then prepared before */
        if (exec(a, "BEGIN IMMEDIATE") != SQLITE_OK)
            return fail(a, "begin immediate");
        r1 = sqlite3_step(upd2);
        if (exec(a, "COMMIT") != SQLITE_OK)
            return fail(a, "commit");
        r2 = sqlite3_step(upd2);   /* retried without a reset */
        int ch = sqlite3_changes(b);
        printf("run %d: a write while locked: %d, retried without a reset: %d, changes %d\n",
               run, r1, r2, ch);
        bad += r1 != SQLITE_BUSY || r2 != SQLITE_DONE || ch != 1;
        sqlite3_reset(upd2);
    }
    long long v2 = query_int(a, "SELECT v FROM t WHERE id = 2");
    printf("the retried writes: v = %lld\n", v2);
    bad += v2 != 30;
    sqlite3_finalize(upd);
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    sqlite3_finalize(upd2);
    sqlite3_close(b);
    sqlite3_close(a);
    return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "autoreset") == 0)
        return autoreset(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "journal_busy") == 0)
        return journal_busy(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "txn_state") == 0)
        return txn_state(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "txn_state_temp") == 0)
        return txn_state_temp(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "row_mode") == 0)
        return row_mode(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "ddl_script") == 0)
        return ddl_script(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "utf16") == 0)
        return utf16(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "kept_text") == 0)
        return kept_text(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "bindings") == 0)
        return bindings(argv[2]);
    if (argc >= 5 && strcmp(argv[1], "lost_update") == 0)
        return lost_update(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (argc >= 3 && strcmp(argv[1], "ddl_rerun") == 0)
        return ddl_rerun(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "busy") == 0)
        return busy(argv[2]);
    if (argc >= 4 && strcmp(argv[1], "interleave") == 0)
        return interleave(argv[2], atoi(argv[3]));
    if (argc >= 5 && strcmp(argv[1], "scan") == 0)
        return scan(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (argc >= 3 && strcmp(argv[1], "blob_close") == 0)
        return blob_close(argv[2]);
    if (argc >= 5 && strcmp(argv[1], "threads") == 0)
        return threads(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (argc >= 4 && strcmp(argv[1], "restart") == 0)
        return restart(argv[2], argv[3]);
    fprintf(stderr, "usage: see the header of tests/integration/backend.c\n");
    return 2;
}
