/* SPDX-License-Identifier: MIT
 *
 * The source's PRAGMA integrity_check, run beside the copy when that changes nothing it
 * checks.  The copy holds one SQLite read transaction from start to end; the check must see
 * that same snapshot.  In a rollback-journal database a second connection whose read
 * transaction starts while the first one's is open sees the same content (a writer needs an
 * EXCLUSIVE lock to commit, which no one gets while a SHARED lock is held), so the check runs
 * there, in a thread, while the main thread reads, encodes and sends rows and the server
 * builds keys and indexes.  In a WAL database another writer may commit between the two
 * read transactions, so the check runs first, on the copy's own connection, as before.  The
 * copy waits for the result before COMMIT: a corrupt file is refused either way.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "copy.h"

struct ls_icheck {
    sqlite3 *db;                 /* the second connection (thread mode), owned */
    const char *src;             /* borrowed: the file name, for messages */
    pthread_t thread;
    bool threaded, joined;
    atomic_int state;            /* 0 running, 1 ok, 2 failed */
    ls_cb msg;                   /* messages, printed by the main thread */
};

/* Run PRAGMA integrity_check on db (inside its read transaction); messages into out. */
static int run_check(sqlite3 *db, const char *src, ls_cb *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
        ls_cb_printf(out, "liteshift: %s is not a readable SQLite database: %s\n", src,
                     sqlite3_errmsg(db));
        return 1;
    }
    int rc = 0, n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        if (!m || strcmp(m, "ok") != 0) {
            if (n++ < 5)
                ls_cb_printf(out, "liteshift: %s fails PRAGMA integrity_check: %s\n", src,
                             m ? m : "(null)");
            rc = 1;
        }
    }
    if (sqlite3_finalize(st) != SQLITE_OK) {
        ls_cb_printf(out, "liteshift: %s: integrity check failed: %s\n", src, sqlite3_errmsg(db));
        rc = 1;
    }
    if (rc)
        ls_cb_str(out, "liteshift: refusing to copy a corrupt database\n");
    return rc;
}

static void *check_thread(void *arg)
{
    ls_icheck *c = arg;
    int rc = run_check(c->db, c->src, &c->msg);
    atomic_store(&c->state, rc ? 2 : 1);
    return NULL;
}

/* A read of the schema: starts the read transaction (BEGIN alone takes no lock). */
static int start_read(sqlite3 *db)
{
    return sqlite3_exec(db, "BEGIN; SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
}

static bool wal_mode(sqlite3 *db)
{
    sqlite3_stmt *st;
    bool wal = true;   /* when in doubt, the serial check */
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *m = (const char *)sqlite3_column_text(st, 0);
            wal = !m || strcasecmp(m, "wal") == 0;
        }
        sqlite3_finalize(st);
    }
    return wal;
}

int ls_icheck_start(sqlite3 *db, const char *src, bool background, ls_icheck **out)
{
    ls_icheck *c = calloc(1, sizeof *c);
    *out = c;
    if (!c) {
        fputs("liteshift: out of memory\n", stderr);
        return 1;
    }
    c->src = src;
    if (start_read(db) != SQLITE_OK) {
        fprintf(stderr, "liteshift: %s is not a readable SQLite database: %s\n", src,
                sqlite3_errmsg(db));
        atomic_store(&c->state, 2);
        c->joined = true;
        return 1;
    }
    if (background && !wal_mode(db)
        && sqlite3_open_v2(src, &c->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL)
           == SQLITE_OK
        && start_read(c->db) == SQLITE_OK   /* no busy wait: a waiting writer means serial */
        && pthread_create(&c->thread, NULL, check_thread, c) == 0) {
        c->threaded = true;
        return 0;
    }
    if (c->db) {
        sqlite3_close(c->db);
        c->db = NULL;
    }
    int rc = run_check(db, src, &c->msg);
    atomic_store(&c->state, rc ? 2 : 1);
    c->joined = true;
    if (c->msg.len)
        fwrite(c->msg.p, 1, c->msg.len, stderr);
    c->msg.len = 0;
    return rc;
}

bool ls_icheck_failed(const ls_icheck *c)
{
    return c && atomic_load(&c->state) == 2;
}

int ls_icheck_wait(ls_icheck *c)
{
    if (!c)
        return 1;
    if (!c->joined) {
        pthread_join(c->thread, NULL);
        c->joined = true;
        if (c->msg.oom)
            fputs("liteshift: out of memory\n", stderr);
        else if (c->msg.len)
            fwrite(c->msg.p, 1, c->msg.len, stderr);
        c->msg.len = 0;
    }
    return atomic_load(&c->state) == 1 ? 0 : 1;
}

bool ls_icheck_threaded(const ls_icheck *c)
{
    return c && c->threaded;
}

void ls_icheck_free(ls_icheck *c)
{
    if (!c)
        return;
    ls_icheck_wait(c);
    if (c->db) {
        sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(c->db);
    }
    ls_cb_free(&c->msg);
    free(c);
}
