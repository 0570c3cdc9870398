/* SPDX-License-Identifier: MIT
 *
 * Database files this process created itself, and what happens when it deletes one
 * (docs/compatibility.md D1, docs/configuration.md LITESHIFT_DELETED).
 *
 * On PostgreSQL the data outlives the file: a redeploy that replaces or removes app.db must
 * not lose anything, so by default opening a missing file sees the tables already on the
 * server.  One case is different, and test suites hit it constantly: a process creates a
 * database file, creates tables in it, closes it, deletes the file and opens the same name
 * again.  On SQLite it gets a new, empty database, and nothing of value can be lost, because
 * everything in the old one was made by this very process since it created the file.
 *
 * So the shim remembers, per process, each database file it created (it was missing at
 * open and the shim made it) and the tables and views created through connections opened
 * on that file.  When such a file is gone (deleted, or replaced by a file the shim then
 * created again) and no connection of this process has it open, its objects are moved out
 * of the way at the next open: into a new schema liteshift_deleted_<time>_<pid>_<n>
 * (LITESHIFT_DELETED=archive, the default: nothing is ever dropped), or dropped
 * (LITESHIFT_DELETED=drop), or left alone (LITESHIFT_DELETED=keep, the plain D1 rule).
 * Objects that existed before this process created the file, or that any other process
 * created, are never touched: a process that starts after a redeploy created nothing.
 *
 * Costs nothing on the hot path: a stat() per remembered file at open, and the moves (two
 * round trips) only when something is to be collected.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pg.h"
#include "log.h"

typedef struct ls_fobj {
    char schema[64];
    char name[256];
    bool view;
    struct ls_fobj *next;
} ls_fobj;

struct ls_dbfile {
    char *path;          /* absolute, resolved when the shim created the file */
    char *conninfo;      /* the server the objects live on */
    dev_t dev;
    ino_t ino;
    int handles;         /* open connections of this process on it */
    bool dead;           /* the file was found deleted or replaced */
    ls_fobj *objs;
    struct ls_dbfile *next;
};

static pthread_mutex_t files_mu = PTHREAD_MUTEX_INITIALIZER;
static ls_dbfile *files;
static unsigned archive_seq;

static void free_file(ls_dbfile *f)
{
    for (ls_fobj *o = f->objs, *n; o; o = n) {
        n = o->next;
        free(o);
    }
    free(f->path);
    free(f->conninfo);
    free(f);
}

/* See pg.h. */
ls_dbfile *ls_files_created(const char *path, int fd, const char *conninfo)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0)
        return NULL;
    ls_dbfile *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->path = realpath(path, NULL);
    f->conninfo = strdup(conninfo ? conninfo : "");
    if (!f->path || !f->conninfo) {
        free_file(f);
        return NULL;
    }
    f->dev = sb.st_dev;
    f->ino = sb.st_ino;
    f->handles = 1;
    pthread_mutex_lock(&files_mu);
    /* a file this process created earlier under the same name, or whose inode the new file
     * reuses, is gone: the new file replaces it */
    for (ls_dbfile *o = files; o; o = o->next)
        if (strcmp(o->path, f->path) == 0 || (o->dev == f->dev && o->ino == f->ino))
            o->dead = true;
    f->next = files;
    files = f;
    pthread_mutex_unlock(&files_mu);
    return f;
}

/* See pg.h. */
ls_dbfile *ls_files_attach(const struct stat *sb)
{
    pthread_mutex_lock(&files_mu);
    ls_dbfile *f = files;
    while (f && (f->dead || f->dev != sb->st_dev || f->ino != sb->st_ino))
        f = f->next;
    if (f)
        f->handles++;
    pthread_mutex_unlock(&files_mu);
    return f;
}

/* See pg.h. */
void ls_files_detach(ls_dbfile *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&files_mu);
    f->handles--;
    pthread_mutex_unlock(&files_mu);
}

/* See pg.h. */
void ls_files_track(ls_dbfile *f, const char *schema, const char *name, bool view)
{
    if (!f || !schema || !name)
        return;
    pthread_mutex_lock(&files_mu);
    bool known = false;
    for (ls_fobj *o = f->objs; o && !known; o = o->next)
        known = strcmp(o->schema, schema) == 0 && strcasecmp(o->name, name) == 0;
    ls_fobj *o = known ? NULL : calloc(1, sizeof *o);
    if (o) {
        snprintf(o->schema, sizeof o->schema, "%s", schema);
        snprintf(o->name, sizeof o->name, "%s", name);
        o->view = view;
        o->next = f->objs;
        f->objs = o;
    }
    pthread_mutex_unlock(&files_mu);
}

/* See pg.h. */
void ls_files_untrack(ls_dbfile *f, const char *name, const char *new_name)
{
    if (!f || !name)
        return;
    pthread_mutex_lock(&files_mu);
    for (ls_fobj **p = &f->objs; *p;) {
        ls_fobj *o = *p;
        if (strcasecmp(o->name, name) != 0) {
            p = &o->next;
            continue;
        }
        if (new_name) {   /* ALTER TABLE ... RENAME TO */
            snprintf(o->name, sizeof o->name, "%s", new_name);
            p = &o->next;
        } else {
            *p = o->next;
            free(o);
        }
    }
    pthread_mutex_unlock(&files_mu);
}

/* "name" with embedded quotes doubled, into out. */
static void quote_ident(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    if (cap < 3)
        return;
    out[k++] = '"';
    for (; *s && k + 3 < cap; s++) {
        if (*s == '"')
            out[k++] = '"';
        out[k++] = *s;
    }
    out[k++] = '"';
    out[k] = '\0';
}

/* Read every result up to the Sync; the first error's message into err (when given).
 * Returns false when the connection failed. */
static bool drain(ls_pgconn *c, char *err, size_t cap, PGresult **rows, int nrows)
{
    int i = 0;
    bool first_error = true;
    for (PGresult *r; (r = ls_pg_next_result(c));) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_FATAL_ERROR && first_error && err) {
            snprintf(err, cap, "%s", PQresultErrorMessage(r));
            first_error = false;
        }
        if (st == PGRES_TUPLES_OK && rows && i < nrows) {
            rows[i++] = r;
            continue;
        }
        PQclear(r);
    }
    return PQstatus(c->pg) == CONNECTION_OK;
}

/* Move (or drop) one dead file's objects.  Returns true when done or nothing to do. */
static bool collect_one(ls_pgconn *c, ls_dbfile *f, bool drop)
{
    enum { MAX_OBJS = 256 };
    PGresult *found[MAX_OBJS + 1] = { 0 };
    int n = 0;
    /* the objects as they are named on the server now (SQLite names are case-insensitive) */
    for (ls_fobj *o = f->objs; o && n < MAX_OBJS; o = o->next, n++) {
        const char *p[2] = { o->schema, o->name };
        if (!PQsendQueryParams(c->pg,
                               "SELECT n.nspname, c.relname, c.relkind = 'v' FROM pg_class c "
                               "JOIN pg_namespace n ON n.oid = c.relnamespace "
                               "WHERE n.nspname = $1 AND lower(c.relname) = lower($2) "
                               "AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
                               2, NULL, p, NULL, NULL, 0))
            return false;
    }
    if (!PQsendQueryParams(c->pg, "SELECT to_regclass('" LS_COMPAT_SCHEMA ".master') IS NOT NULL",
                           0, NULL, NULL, NULL, NULL, 0) ||
        !ls_pg_sync(c))
        return false;
    char err[512] = "";
    bool ok = drain(c, err, sizeof err, found, n + 1);
    bool have_master = ok && found[n] && PQntuples(found[n]) == 1
                       && PQgetvalue(found[n], 0, 0)[0] == 't';
    char arch[64], qarch[80];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    unsigned seq = __atomic_add_fetch(&archive_seq, 1, __ATOMIC_RELAXED);
    snprintf(arch, sizeof arch, "liteshift_deleted_%04d%02d%02d%02d%02d%02d_%d_%u",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (int)getpid(), seq);
    quote_ident(arch, qarch, sizeof qarch);
    int moved = 0;
    char names[512] = "";
    if (ok) {
        ok = PQsendQueryParams(c->pg, "BEGIN", 0, NULL, NULL, NULL, NULL, 0);
        if (ok && !drop) {
            char sql[128];
            snprintf(sql, sizeof sql, "CREATE SCHEMA %s", qarch);
            ok = PQsendQueryParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0);
        }
        /* views first: dropping a table would take a view made on it along anyway */
        for (int pass = 0; pass < 2 && ok; pass++)
            for (int i = 0; i < n && ok; i++) {
                PGresult *r = found[i];
                if (!r || PQntuples(r) != 1 || (PQgetvalue(r, 0, 2)[0] == 't') != (pass == 0))
                    continue;
                char qs[160], qn[600], sql[1024];
                quote_ident(PQgetvalue(r, 0, 0), qs, sizeof qs);
                quote_ident(PQgetvalue(r, 0, 1), qn, sizeof qn);
                const char *kind = pass == 0 ? "VIEW" : "TABLE";
                if (drop)
                    snprintf(sql, sizeof sql, "DROP %s IF EXISTS %s.%s CASCADE", kind, qs, qn);
                else
                    snprintf(sql, sizeof sql, "ALTER %s IF EXISTS %s.%s SET SCHEMA %s", kind, qs,
                             qn, qarch);
                ok = PQsendQueryParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0);
                if (have_master && ok) {
                    const char *p[3] = { PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), arch };
                    ok = drop ? PQsendQueryParams(c->pg,
                                                  "DELETE FROM " LS_COMPAT_SCHEMA ".master "
                                                  "WHERE schemaname = $1 AND "
                                                  "lower(tbl_name) = lower($2)",
                                                  2, NULL, p, NULL, NULL, 0)
                              : PQsendQueryParams(c->pg,
                                                  "UPDATE " LS_COMPAT_SCHEMA ".master "
                                                  "SET schemaname = $3 WHERE schemaname = $1 "
                                                  "AND lower(tbl_name) = lower($2)",
                                                  3, NULL, p, NULL, NULL, 0);
                }
                size_t k = strlen(names);
                snprintf(names + k, sizeof names - k, "%s%s", moved ? ", " : "",
                         PQgetvalue(r, 0, 1));
                moved++;
            }
        if (ok)
            ok = PQsendQueryParams(c->pg, moved ? "COMMIT" : "ROLLBACK", 0, NULL, NULL, NULL,
                                   NULL, 0) && ls_pg_sync(c);
        if (ok)
            ok = drain(c, err, sizeof err, NULL, 0);
        if (PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
            /* an error left the transaction open: undo everything */
            if (PQsendQueryParams(c->pg, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0) &&
                ls_pg_sync(c))
                drain(c, NULL, 0, NULL, 0);
            ok = false;
        }
    }
    for (int i = 0; i <= n; i++)
        PQclear(found[i]);
    if (!ok || err[0]) {
        ls_log(LS_LOG_WARN, c->id,
               "database file %s was deleted; its tables could not be moved aside: %s",
               f->path, err[0] ? err : PQerrorMessage(c->pg));
        return false;
    }
    if (moved && drop)
        ls_log(LS_LOG_WARN, c->id, "database file %s was deleted by this process, which had "
               "created it: dropped what it created there (%s)", f->path, names);
    else if (moved)
        ls_log(LS_LOG_WARN, c->id, "database file %s was deleted by this process, which had "
               "created it: moved what it created there (%s) to schema %s", f->path, names,
               arch);
    return true;
}

/* See pg.h. */
void ls_files_collect(ls_pgconn *c)
{
    if (!__atomic_load_n(&files, __ATOMIC_ACQUIRE))
        return;
    const char *mode = getenv("LITESHIFT_DELETED");
    bool keep = mode && strcmp(mode, "keep") == 0;
    bool drop = mode && strcmp(mode, "drop") == 0;
    for (;;) {
        /* take one dead, unused file off the list, then work without the lock */
        pthread_mutex_lock(&files_mu);
        ls_dbfile **p = &files, *f = NULL;
        for (; *p; p = &(*p)->next) {
            ls_dbfile *o = *p;
            if (o->handles > 0 || strcmp(o->conninfo, c->conninfo) != 0)
                continue;
            if (!o->dead) {
                struct stat sb;
                o->dead = stat(o->path, &sb) != 0 || sb.st_dev != o->dev || sb.st_ino != o->ino;
            }
            if (o->dead) {
                f = o;
                *p = o->next;
                break;
            }
        }
        pthread_mutex_unlock(&files_mu);
        if (!f)
            return;
        if (f->objs && !keep)
            collect_one(c, f, drop);
        free_file(f);
    }
}
