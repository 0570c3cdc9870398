/* SPDX-License-Identifier: MIT
 *
 * Statement capture for `liteshift check` (LITESHIFT_CAPTURE=FILE).  Owns the in-memory
 * table of distinct statement texts and their counts, and the capture file.
 *
 * Cost.  Decided once, when the real library is loaded: with the variable unset nothing
 * changes (the forwarders call ls_real directly, as before).  With it set, the six prepare
 * slots of ls_real point at wrappers here that call the real function and then record the
 * text; on PostgreSQL handles shim/api_stmt.c records in ls_pg_prepare (which sqlite3_exec
 * uses too).  On SQLite, sqlite3_exec and sqlite3_get_table prepare through the real
 * library's own PLT; shim/real.c leaves those slots unbound while capture is on
 * (ls_capture_keeps_plt) so their statements come back here as well.
 *
 * What is counted: executions (the first sqlite3_step after a prepare or a reset), so a
 * statement the app keeps prepared and runs 1,000 times counts 1,000; a statement prepared
 * and never run is listed with 0.  The legacy sqlite3_prepare/sqlite3_prepare16 keep no
 * text to find at step time: for them the prepares are counted.  On PostgreSQL a statement
 * that cannot be translated counts each attempt to prepare it.
 *
 * File format (text, UTF-8), one record per line, appended:
 *     # liteshift capture 1 pid=<pid>
 *     <count><TAB><statement>
 * The statement is the text the app prepared, trimmed, without its final ';', with '\' as
 * "\\", newline as "\n", carriage return as "\r" and tab as "\t".  The same statement may
 * appear on several lines (several processes, periodic flushes): readers add the counts.
 * Each flush is one write(2) per 64 KiB batch under flock(LOCK_EX) on an O_APPEND
 * descriptor, so processes sharing a file never interleave records.  Bound values are
 * never seen here: the prepare functions do not receive them.
 *
 * Limits: at most LITESHIFT_CAPTURE_MAX distinct statements per process (default 10000);
 * past it, statements are counted as dropped and the flush says so in a comment line.
 * A process that ends without exit() (killed, _exit) loses what it recorded since the last
 * flush (at most 30 s of activity).  After fork() the child starts with an empty table.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#define uthash_nonfatal_oom(obj) ((void)(obj))
#include <uthash.h>

#include "shim.h"
#include "capture.h"
#include "log.h"
#include "rewriter.h"

bool ls_capture_on;

typedef struct entry {
    char *sql;            /* owned, the key */
    unsigned long count;  /* executions since the last flush */
    bool written;         /* already in the file once (a 0 count need not be repeated) */
    UT_hash_handle hh;
} entry;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static entry *table;            /* guarded by mu */
static size_t n_entries;        /* guarded by mu */
static unsigned long dropped;   /* guarded by mu: statements past the limit */
static size_t max_entries = 10000;
static char *path;              /* owned, the capture file */
static time_t last_flush;       /* CLOCK_MONOTONIC_COARSE seconds */

/* the real prepare family, saved when the slots are swapped */
static __typeof__(sqlite3_prepare) *real_prepare;
static __typeof__(sqlite3_prepare_v2) *real_prepare_v2;
static __typeof__(sqlite3_prepare_v3) *real_prepare_v3;
static __typeof__(sqlite3_prepare16) *real_prepare16;
static __typeof__(sqlite3_prepare16_v2) *real_prepare16_v2;
static __typeof__(sqlite3_prepare16_v3) *real_prepare16_v3;
static __typeof__(sqlite3_sql) *real_sql;
static __typeof__(sqlite3_step) *real_step;
static __typeof__(sqlite3_stmt_busy) *real_stmt_busy;
static __typeof__(sqlite3_exec) *real_exec;
static __typeof__(sqlite3_get_table) *real_get_table;

static time_t now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return ts.tv_sec;
}

/* ---- the table ---- */

static void table_clear_locked(void)
{
    entry *e, *tmp;
    HASH_ITER(hh, table, e, tmp) {
        HASH_DELETE(hh, table, e);
        free(e->sql);
        free(e);
    }
    n_entries = 0;
    dropped = 0;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* See capture.h. */
void ls_capture_note(const char *sql, size_t len, unsigned runs)
{
    if (!sql)
        return;
    while (len > 0 && is_space(*sql))
        sql++, len--;
    while (len > 0 && (is_space(sql[len - 1]) || sql[len - 1] == ';'))
        len--;
    if (len == 0)
        return;
    bool flush = false;
    pthread_mutex_lock(&mu);
    entry *e = NULL;
    HASH_FIND(hh, table, sql, len, e);
    if (e) {
        e->count += runs;
    } else if (n_entries >= max_entries) {
        dropped += runs ? runs : 1;
    } else if ((e = calloc(1, sizeof *e)) && (e->sql = strndup(sql, len))) {
        e->count = runs;
        HASH_ADD_KEYPTR(hh, table, e->sql, len, e);
        /* uthash out of memory leaves e unlinked: forget the statement, never crash */
        HASH_FIND(hh, table, sql, len, e);
        if (e)
            n_entries++;
    } else if (e) {
        free(e);
    }
    time_t t = now_s();
    if (t - last_flush >= 30)
        flush = true;
    pthread_mutex_unlock(&mu);
    if (flush)
        ls_capture_flush();
}

/* ---- the file ---- */

typedef struct outbuf {
    char data[65536];
    size_t len;
    int fd;
    bool failed;
} outbuf;

static void out_flush(outbuf *o)
{
    size_t off = 0;
    while (off < o->len && !o->failed) {
        ssize_t w = write(o->fd, o->data + off, o->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            o->failed = true;
        else
            off += (size_t)w;
    }
    o->len = 0;
}

static void out_put(outbuf *o, const char *s, size_t n)
{
    while (n > 0) {
        if (o->len == sizeof o->data)
            out_flush(o);
        size_t k = sizeof o->data - o->len;
        if (k > n)
            k = n;
        memcpy(o->data + o->len, s, k);
        o->len += k;
        s += k;
        n -= k;
    }
}

static void out_escaped(outbuf *o, const char *s)
{
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '\\': rep = "\\\\"; break;
        case '\n': rep = "\\n"; break;
        case '\r': rep = "\\r"; break;
        case '\t': rep = "\\t"; break;
        }
        if (rep)
            out_put(o, rep, 2);
        else
            out_put(o, s, 1);
    }
}

/* See capture.h. */
void ls_capture_flush(void)
{
    if (!ls_capture_on || !path)
        return;
    pthread_mutex_lock(&mu);
    last_flush = now_s();
    bool any = dropped > 0;
    for (entry *e = table; e && !any; e = e->hh.next)
        any = e->count > 0 || !e->written;
    if (!any) {
        pthread_mutex_unlock(&mu);
        return;
    }
    static outbuf o; /* guarded by mu; 64 KiB is too much for an app thread's stack */
    o.len = 0;
    o.failed = false;
    o.fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (o.fd < 0) {
        ls_log(LS_LOG_ERROR, 0, "capture: cannot open %s: %s", path, strerror(errno));
        pthread_mutex_unlock(&mu);
        return;
    }
    while (flock(o.fd, LOCK_EX) != 0 && errno == EINTR)
        ;
    char line[96];
    int n = snprintf(line, sizeof line, "# liteshift capture 1 pid=%ld\n", (long)getpid());
    out_put(&o, line, (size_t)n);
    for (entry *e = table; e; e = e->hh.next) {
        if (e->count == 0 && e->written)
            continue;
        n = snprintf(line, sizeof line, "%lu\t", e->count);
        out_put(&o, line, (size_t)n);
        out_escaped(&o, e->sql);
        out_put(&o, "\n", 1);
        e->count = 0;
        e->written = true;
    }
    if (dropped) {
        n = snprintf(line, sizeof line, "# dropped %lu statements past %zu distinct\n", dropped,
                     max_entries);
        out_put(&o, line, (size_t)n);
        dropped = 0;
    }
    out_flush(&o);
    if (o.failed)
        ls_log(LS_LOG_ERROR, 0, "capture: cannot write %s: %s", path, strerror(errno));
    flock(o.fd, LOCK_UN);
    close(o.fd);
    pthread_mutex_unlock(&mu);
}

/* ---- the wrappers installed in ls_real ---- */

/* Record the statement prepared from sql; stmt is the real statement or NULL.  Statements
 * that keep their text (all but the legacy sqlite3_prepare) are counted at each execution
 * by cap_step; the others count their prepares. */
static void note_utf8(sqlite3_stmt *stmt, const char *sql, const char *tail)
{
    if (!stmt)
        return; /* failed, or only spaces and comments */
    const char *saved = real_sql(stmt);
    if (saved)
        ls_capture_note(saved, strlen(saved), 0);
    else if (sql && tail && tail >= sql)
        ls_capture_note(sql, (size_t)(tail - sql), 1);
}

/* A step on a statement that is not running starts an execution: count it. */
static int cap_step(sqlite3_stmt *stmt)
{
    if (stmt && !real_stmt_busy(stmt)) {
        const char *saved = real_sql(stmt);
        if (saved)
            ls_capture_note(saved, strlen(saved), 1);
    }
    return real_step(stmt);
}

static int cap_prepare(sqlite3 *db, const char *sql, int n, sqlite3_stmt **pp, const char **tail)
{
    const char *t = NULL;
    int rc = real_prepare(db, sql, n, pp, &t);
    if (rc == SQLITE_OK && pp)
        note_utf8(*pp, sql, t);
    if (tail)
        *tail = t;
    return rc;
}

static int cap_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **pp,
                          const char **tail)
{
    int rc = real_prepare_v2(db, sql, n, pp, tail);
    if (rc == SQLITE_OK && pp)
        note_utf8(*pp, NULL, NULL);
    return rc;
}

static int cap_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned int flags,
                          sqlite3_stmt **pp, const char **tail)
{
    int rc = real_prepare_v3(db, sql, n, flags, pp, tail);
    if (rc == SQLITE_OK && pp)
        note_utf8(*pp, NULL, NULL);
    return rc;
}

/* The legacy UTF-16 prepare keeps no text (sqlite3_sql answers NULL): convert the
 * statement's bytes, host byte order as SQLite reads them, to UTF-8. */
static void note_utf16(const void *sql, const void *tail)
{
    const unsigned short *s = sql, *e = tail;
    if (!s || !e || e < s)
        return;
    size_t k;
    char *out = ls_utf16_to_utf8(s, (size_t)(e - s), &k);
    if (!out)
        return;
    ls_capture_note(out, k, 1);
    free(out);
}

static int cap_prepare16(sqlite3 *db, const void *sql, int n, sqlite3_stmt **pp,
                         const void **tail)
{
    const void *t = NULL;
    int rc = real_prepare16(db, sql, n, pp, &t);
    if (rc == SQLITE_OK && pp && *pp)
        note_utf16(sql, t);
    if (tail)
        *tail = t;
    return rc;
}

static int cap_prepare16_v2(sqlite3 *db, const void *sql, int n, sqlite3_stmt **pp,
                            const void **tail)
{
    int rc = real_prepare16_v2(db, sql, n, pp, tail);
    if (rc == SQLITE_OK && pp)
        note_utf8(*pp, NULL, NULL);
    return rc;
}

static int cap_prepare16_v3(sqlite3 *db, const void *sql, int n, unsigned int flags,
                            sqlite3_stmt **pp, const void **tail)
{
    int rc = real_prepare16_v3(db, sql, n, flags, pp, tail);
    if (rc == SQLITE_OK && pp)
        note_utf8(*pp, NULL, NULL);
    return rc;
}

/* Length of the leading space and comments of s[0..n). */
static size_t skip_space_comments(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (is_space(s[i])) {
            i++;
        } else if (s[i] == '-' && i + 1 < n && s[i + 1] == '-') {
            while (i < n && s[i] != '\n')
                i++;
        } else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
            i += 2;
            while (i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'))
                i++;
            i = i + 2 < n ? i + 2 : n;
        } else {
            break;
        }
    }
    return i;
}

/* The statements of sql, one at a time, through the real sqlite3_exec: the same callbacks,
 * the same stop at the first error, and each statement recorded once it was tried. */
static int cap_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **),
                    void *arg, char **errmsg)
{
    if (!sql)
        return real_exec(db, sql, cb, arg, errmsg);
    size_t len = strlen(sql), off = 0;
    int rc = SQLITE_OK;
    if (errmsg)
        *errmsg = NULL;
    while (off < len) {
        bool complete = false;
        size_t n = ls_split_next(sql + off, len - off, &complete);
        if (n == 0)
            break;
        const char *piece = sql + off;
        off += n;
        if (skip_space_comments(piece, n) == n)
            continue; /* nothing to run */
        char *one = strndup(piece, n);
        if (!one)
            return real_exec(db, piece, cb, arg, errmsg); /* the rest, unrecorded */
        ls_capture_note(one, n, 1);
        rc = real_exec(db, one, cb, arg, errmsg);
        free(one);
        if (rc != SQLITE_OK)
            break;
    }
    return rc;
}

static int cap_get_table(sqlite3 *db, const char *sql, char ***result, int *rows, int *cols,
                         char **errmsg)
{
    size_t len = sql ? strlen(sql) : 0, off = 0;
    while (off < len) {
        bool complete = false;
        size_t n = ls_split_next(sql + off, len - off, &complete);
        if (n == 0)
            break;
        if (skip_space_comments(sql + off, n) < n)
            ls_capture_note(sql + off, n, 1);
        off += n;
    }
    return real_get_table(db, sql, result, rows, cols, errmsg);
}

static void child_after_fork(void)
{
    /* the parent writes what it recorded; the child starts empty */
    pthread_mutex_init(&mu, NULL);
    table_clear_locked();
}

static void at_exit(void)
{
    ls_capture_flush();
}

/* See capture.h. */
void ls_capture_install(void)
{
    const char *file = getenv("LITESHIFT_CAPTURE");
    if (!file || !*file)
        return;
    if (!(path = strdup(file)))
        return;
    const char *max = getenv("LITESHIFT_CAPTURE_MAX");
    if (max && *max) {
        long v = strtol(max, NULL, 10);
        if (v > 0)
            max_entries = (size_t)v;
    }
    real_prepare = ls_real.sqlite3_prepare;
    real_prepare_v2 = ls_real.sqlite3_prepare_v2;
    real_prepare_v3 = ls_real.sqlite3_prepare_v3;
    real_prepare16 = ls_real.sqlite3_prepare16;
    real_prepare16_v2 = ls_real.sqlite3_prepare16_v2;
    real_prepare16_v3 = ls_real.sqlite3_prepare16_v3;
    real_sql = ls_real.sqlite3_sql;
    real_step = ls_real.sqlite3_step;
    real_stmt_busy = ls_real.sqlite3_stmt_busy;
    ls_real.sqlite3_step = cap_step;
    real_exec = ls_real.sqlite3_exec;
    real_get_table = ls_real.sqlite3_get_table;
    ls_real.sqlite3_exec = cap_exec;
    ls_real.sqlite3_get_table = cap_get_table;
    ls_real.sqlite3_prepare = cap_prepare;
    ls_real.sqlite3_prepare_v2 = cap_prepare_v2;
    ls_real.sqlite3_prepare_v3 = cap_prepare_v3;
    ls_real.sqlite3_prepare16 = cap_prepare16;
    ls_real.sqlite3_prepare16_v2 = cap_prepare16_v2;
    ls_real.sqlite3_prepare16_v3 = cap_prepare16_v3;
    last_flush = now_s();
    pthread_atfork(NULL, NULL, child_after_fork);
    atexit(at_exit);
    ls_capture_on = true;
    ls_log(LS_LOG_INFO, 0, "capture: recording prepared statements to %s", path);
}
