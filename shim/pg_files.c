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
 * Descendants.  Test suites also start child processes (subprocess, fork and exec) that
 * create the file or tables in it, and the parent deletes the file afterwards: CPython's
 * own suite does.  Those objects are collected too, by the ancestor, on this rule:
 *   - a process's identity is boot_id/pid-namespace/pid/start-time (clock ticks since boot,
 *     from /proc), unique on a host across pid reuse; its lineage is its identity followed
 *     by its parent's, grandparent's... as /proc shows them when it records an object;
 *   - every table or view created through a connection on a database file is recorded in
 *     liteshift.master with the file's generation (device, inode and modification time at
 *     open: a file created again under the same name is another generation), the creating
 *     process's lineage and start time, and, when that process created the file itself, the
 *     file's creation time (a CREATE ... IF NOT EXISTS whose object is already recorded
 *     keeps the old record: a migration run again does not adopt an object);
 *   - the process remembers every file it had open (created or found), and when one is gone
 *     and it no longer has it open, it asks the server, once, for the objects recorded on
 *     that generation whose lineage contains it, provided the generation was created by it
 *     or by one of its descendants (a record says so), and moves those made by the file's
 *     creator, by itself, or by a descendant that started at or after the file's creation.
 * So an unrelated process (not a descendant: a redeploy, a cron job, another worker) never
 * has an object moved by another, nor does a descendant that was already running when the
 * file was created (a long-lived worker; start times have a clock tick, 10 ms, of
 * resolution), nor anything in a file none of the process's tree created.  Nor does a
 * descendant still running when the file is collected (it may still have the file open:
 * SQLite lets it go on reading the deleted file): its objects stay, for good.  A process whose
 * parent died before it recorded anything has no lineage to it (the chain stops at the
 * reaper): its objects stay.  Without /proc (or without the compat pack's columns) only the
 * process's own objects, remembered in memory, are moved.
 *
 * Costs nothing on the hot path: a stat() per remembered file at open; a file found gone
 * costs two round trips (whether liteshift.master exists with this process's own objects
 * looked up, then its tree's objects), and the moves (two more) only when something is to
 * be collected; the lineage is read from /proc once per process, at its first recorded
 * object.
 */
#include <inttypes.h>
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
    char *path;          /* absolute, resolved when the shim created or first opened it */
    char *conninfo;      /* the server the objects live on */
    dev_t dev;
    ino_t ino;
    char gen[80];        /* the generation: "dev:ino:mtime" at creation or first open */
    bool created;        /* this process created it (else it found it) */
    long long born;      /* when it created it, in clock ticks since boot; 0 unknown */
    int handles;         /* open connections of this process on it */
    bool dead;           /* the file was found deleted or replaced */
    ls_fobj *objs;       /* what this process created there (created files only) */
    struct ls_dbfile *next;
};

static pthread_mutex_t files_mu = PTHREAD_MUTEX_INITIALIZER;
static ls_dbfile *files;
static unsigned archive_seq;

/* ---- the process's identity and lineage ---- */

static pthread_mutex_t self_mu = PTHREAD_MUTEX_INITIALIZER;
static pid_t self_pid;          /* whose lineage is cached (a fork child recomputes) */
static char self_lineage[2048]; /* "{id,parent id,...}", a text[] literal; "" unknown */
static char self_id[160];
static long long self_start;

/* Clock ticks since boot, as /proc/PID/stat counts a process's start. */
static long long now_ticks(void)
{
    struct timespec ts;
    long hz = sysconf(_SC_CLK_TCK);
    if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0 || hz <= 0)
        return 0;
    return (long long)ts.tv_sec * hz + (long long)ts.tv_nsec / (1000000000L / hz);
}

/* The parent and start time of process pid, from /proc/PID/stat (fields 4 and 22; the
 * command name, field 2, may hold spaces and parentheses: parse after its last ')'). */
static bool proc_stat(pid_t pid, pid_t *ppid, long long *start)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p)
        return false;
    /* after ") ": state(3) ppid(4) ... starttime(22) */
    int field = 2;
    long long v4 = -1, v22 = -1;
    char *save = NULL;
    for (char *tok = strtok_r(p + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        field++;
        if (field == 4)
            v4 = strtoll(tok, NULL, 10);
        else if (field == 22) {
            v22 = strtoll(tok, NULL, 10);
            break;
        }
    }
    if (v4 < 0 || v22 < 0)
        return false;
    *ppid = (pid_t)v4;
    *start = v22;
    return true;
}

/* Fill the cache for this process: false when /proc cannot tell. */
static bool compute_lineage(void)
{
    char boot[64] = "", ns[64] = "";
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
    if (f) {
        if (!fgets(boot, sizeof boot, f))
            boot[0] = '\0';
        fclose(f);
    }
    boot[strcspn(boot, "\n")] = '\0';
    ssize_t k = readlink("/proc/self/ns/pid", ns, sizeof ns - 1);
    ns[k > 0 ? k : 0] = '\0';
    /* "pid:[4026531836]": the digits only */
    char nsnum[32] = "";
    const char *d = strchr(ns, '[');
    snprintf(nsnum, sizeof nsnum, "%.*s", d ? (int)strcspn(d + 1, "]") : 0, d ? d + 1 : "");
    if (!boot[0] || !nsnum[0])
        return false;
    size_t len = 0;
    self_lineage[len++] = '{';
    pid_t pid = getpid();
    for (int depth = 0; pid > 0 && depth < 16; depth++) {
        pid_t ppid;
        long long start;
        if (!proc_stat(pid, &ppid, &start))
            break;
        char id[160];
        snprintf(id, sizeof id, "%s/%s/%d/%lld", boot, nsnum, (int)pid, start);
        if (depth == 0) {
            snprintf(self_id, sizeof self_id, "%s", id);
            self_start = start;
        }
        if (len + strlen(id) + 3 >= sizeof self_lineage)
            break;
        len += (size_t)snprintf(self_lineage + len, sizeof self_lineage - len, "%s%s",
                                depth ? "," : "", id);
        pid = ppid;
    }
    if (!self_id[0])
        return false;
    self_lineage[len++] = '}';
    self_lineage[len] = '\0';
    return true;
}

/* This process's identity, lineage (a text[] literal) and start tick into the caller's
 * buffers; false when /proc cannot tell (then nothing is recorded). */
static bool lineage(char *id, size_t idcap, char *lin, size_t lincap, long long *start)
{
    pthread_mutex_lock(&self_mu);
    if (self_pid != getpid()) {
        self_pid = getpid();
        self_id[0] = self_lineage[0] = '\0';
        if (!compute_lineage())
            self_id[0] = self_lineage[0] = '\0';
    }
    bool ok = self_id[0] != '\0';
    snprintf(id, idcap, "%s", self_id);
    snprintf(lin, lincap, "%s", self_lineage);
    *start = self_start;
    pthread_mutex_unlock(&self_mu);
    return ok;
}

/* A file's generation: "dev:ino:mtime" into out (80 bytes). */
static void gen_of(const struct stat *sb, char *out, size_t cap)
{
    snprintf(out, cap, "%ju:%ju:%lld.%09ld", (uintmax_t)sb->st_dev,
             (uintmax_t)sb->st_ino, (long long)sb->st_mtim.tv_sec, (long)sb->st_mtim.tv_nsec);
}

/* See pg.h. */
bool ls_files_origin(const ls_dbfile *f, ls_files_origin_t *o)
{
    if (!f || !f->gen[0])
        return false;
    long long start;
    if (!lineage(o->me, sizeof o->me, o->lineage, sizeof o->lineage, &start))
        return false;
    snprintf(o->gen, sizeof o->gen, "%s", f->gen);
    snprintf(o->start, sizeof o->start, "%lld", start);
    if (f->created && f->born > 0)
        snprintf(o->born, sizeof o->born, "%lld", f->born);
    else
        o->born[0] = '\0';
    return true;
}

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

/* A new entry for the file at path, one handle, not on the list yet; NULL when out of
 * memory (or path cannot be resolved). */
static ls_dbfile *new_file(const char *path, const struct stat *sb, const char *conninfo)
{
    ls_dbfile *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->path = realpath(path, NULL);
    f->conninfo = strdup(conninfo ? conninfo : "");
    if (!f->path || !f->conninfo) {
        free_file(f);
        return NULL;
    }
    f->dev = sb->st_dev;
    f->ino = sb->st_ino;
    gen_of(sb, f->gen, sizeof f->gen);
    f->handles = 1;
    return f;
}

/* See pg.h. */
ls_dbfile *ls_files_created(const char *path, int fd, const char *conninfo)
{
    struct stat sb;
    ls_dbfile *f = fstat(fd, &sb) == 0 ? new_file(path, &sb, conninfo) : NULL;
    if (!f)
        return NULL;
    f->created = true;
    f->born = now_ticks();
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
ls_dbfile *ls_files_attach(const char *path, const struct stat *sb, const char *conninfo)
{
    /* the same generation: a deleted file's inode is often reused at once by the next file
     * created, which has another modification time */
    char gen[80];
    gen_of(sb, gen, sizeof gen);
    pthread_mutex_lock(&files_mu);
    ls_dbfile *f = files;
    while (f && (f->dead || f->dev != sb->st_dev || f->ino != sb->st_ino
                 || strcmp(f->gen, gen) != 0
                 || strcmp(f->conninfo, conninfo ? conninfo : "") != 0))
        f = f->next;
    if (f)
        f->handles++;
    pthread_mutex_unlock(&files_mu);
    if (f)
        return f;
    /* a file this process found: remembered so that, once it is gone, what this process's
     * descendants made in it can be collected (when one of them created it) */
    if (!(f = new_file(path, sb, conninfo)))
        return NULL;
    pthread_mutex_lock(&files_mu);
    f->next = files;
    files = f;
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
    if (!f || !f->created || !schema || !name)
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

/* The objects recorded on the dead file's generation by this process's tree, as the file
 * comment's rule has them (one round trip): rows of (schema, name, is_view), or NULL when
 * there is nothing to ask or the server cannot answer (no compat pack columns: logged). */
static PGresult *tree_objects(ls_pgconn *c, const ls_dbfile *f)
{
    ls_files_origin_t o;
    if (!ls_files_origin(f, &o))
        return NULL;
    const char *p[3] = { o.gen, o.me, o.born[0] ? o.born : NULL };
    if (!PQsendQueryParams(c->pg,
            "WITH born AS ("
            " SELECT made_by[1] AS creator, file_born FROM " LS_COMPAT_SCHEMA ".master"
            "  WHERE file_gen = $1 AND file_born IS NOT NULL AND $2 = ANY(made_by)"
            " UNION ALL SELECT $2, $3::bigint WHERE $3::bigint IS NOT NULL"
            " LIMIT 1) "
            "SELECT n.nspname, c.relname, c.relkind = 'v', m.made_by[1] "
            "FROM " LS_COMPAT_SCHEMA ".master m CROSS JOIN born b "
            "JOIN pg_namespace n ON n.nspname = m.schemaname "
            "JOIN pg_class c ON c.relnamespace = n.oid AND lower(c.relname) = lower(m.name) "
            " AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
            "WHERE m.file_gen = $1 AND m.type IN ('table', 'view') AND $2 = ANY(m.made_by) "
            " AND (m.made_by[1] = b.creator OR m.made_by[1] = $2 OR m.made_tick >= b.file_born)",
            3, NULL, p, NULL, NULL, 0) || !ls_pg_sync(c))
        return NULL;
    char err[512] = "";
    PGresult *rows = NULL;
    drain(c, err, sizeof err, &rows, 1);
    if (err[0])
        ls_log(LS_LOG_INFO, c->id, "objects of %s made by this process's descendants not "
               "looked up (compat pack older than the shim?): %s", f->path, err);
    return rows;
}

typedef struct {
    const char *schema, *name;   /* point into the results they came from */
    bool view;
} found_obj;

/* Whether the process of identity id ("boot/pidns/pid/start", as lineage() writes it) is
 * another process still running: a descendant that may still use its tables (SQLite lets
 * it read a deleted file it has open), whose objects therefore stay. */
static bool running_other(const char *id)
{
    char me[160], lin[8];
    long long start;
    if (!lineage(me, sizeof me, lin, sizeof lin, &start) || strcmp(id, me) == 0)
        return false;
    const char *s = strrchr(id, '/');
    const char *p = s ? s : id;
    while (p > id && p[-1] != '/')
        p--;
    /* the same boot and pid namespace: the prefix before the pid matches ours */
    size_t pre = (size_t)(p - id);
    if (!s || pre == 0 || strncmp(id, me, pre) != 0)
        return false;
    pid_t ppid;
    long long now_start;
    return proc_stat((pid_t)strtol(p, NULL, 10), &ppid, &now_start) &&
           now_start == strtoll(s + 1, NULL, 10);
}

/* Move (or drop) one dead file's objects.  Returns true when done or nothing to do. */
static bool collect_one(ls_pgconn *c, ls_dbfile *f, bool drop)
{
    enum { MAX_OBJS = 256 };
    PGresult *found[MAX_OBJS + 1] = { 0 };
    PGresult *tree = NULL;
    found_obj objs[2 * MAX_OBJS];
    int n = 0, n_objs = 0;
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
    if (have_master && !err[0])
        tree = tree_objects(c, f);
    /* one list, each object once: this process's own, then its tree's */
    for (int i = 0; i < n; i++)
        if (found[i] && PQntuples(found[i]) == 1)
            objs[n_objs++] = (found_obj){ PQgetvalue(found[i], 0, 0), PQgetvalue(found[i], 0, 1),
                                          PQgetvalue(found[i], 0, 2)[0] == 't' };
    for (int r = 0; tree && r < PQntuples(tree) && n_objs < 2 * MAX_OBJS; r++) {
        found_obj t = { PQgetvalue(tree, r, 0), PQgetvalue(tree, r, 1),
                        PQgetvalue(tree, r, 2)[0] == 't' };
        if (running_other(PQgetvalue(tree, r, 3))) {
            ls_log(LS_LOG_INFO, c->id, "database file %s was deleted; %s stays: the process "
                   "that made it is still running", f->path, t.name);
            continue;
        }
        bool dup = false;
        for (int k = 0; k < n_objs && !dup; k++)
            dup = !strcmp(objs[k].schema, t.schema) && !strcmp(objs[k].name, t.name);
        if (!dup)
            objs[n_objs++] = t;
    }
    char arch[64], qarch[80];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    unsigned seq = __atomic_add_fetch(&archive_seq, 1, __ATOMIC_RELAXED);
    snprintf(arch, sizeof arch, "liteshift_deleted_%04d%02d%02d%02d%02d%02d_%d_%u",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (int)getpid(), seq);
    ls_pg_quote_ident(arch, qarch, sizeof qarch);
    int moved = 0;
    char names[512] = "";
    if (ok && n_objs > 0) {
        ok = PQsendQueryParams(c->pg, "BEGIN", 0, NULL, NULL, NULL, NULL, 0);
        if (ok && !drop) {
            char sql[128];
            snprintf(sql, sizeof sql, "CREATE SCHEMA %s", qarch);
            ok = PQsendQueryParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0);
        }
        /* views first: dropping a table would take a view made on it along anyway */
        for (int pass = 0; pass < 2 && ok; pass++)
            for (int i = 0; i < n_objs && ok; i++) {
                const found_obj *ob = &objs[i];
                if (ob->view != (pass == 0))
                    continue;
                char qs[160], qn[600], sql[1024];
                ls_pg_quote_ident(ob->schema, qs, sizeof qs);
                ls_pg_quote_ident(ob->name, qn, sizeof qn);
                const char *kind = pass == 0 ? "VIEW" : "TABLE";
                if (drop)
                    snprintf(sql, sizeof sql, "DROP %s IF EXISTS %s.%s CASCADE", kind, qs, qn);
                else
                    snprintf(sql, sizeof sql, "ALTER %s IF EXISTS %s.%s SET SCHEMA %s", kind, qs,
                             qn, qarch);
                ok = PQsendQueryParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0);
                if (have_master && ok) {
                    const char *p[3] = { ob->schema, ob->name, arch };
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
                snprintf(names + k, sizeof names - k, "%s%s", moved ? ", " : "", ob->name);
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
    PQclear(tree);
    if (!ok || err[0]) {
        ls_log(LS_LOG_WARN, c->id,
               "database file %s was deleted; its tables could not be moved aside: %s",
               f->path, err[0] ? err : PQerrorMessage(c->pg));
        return false;
    }
    if (moved && drop)
        ls_log(LS_LOG_WARN, c->id, "database file %s was deleted; this process or one it "
               "started had created it: dropped what they created there (%s)", f->path, names);
    else if (moved)
        ls_log(LS_LOG_WARN, c->id, "database file %s was deleted; this process or one it "
               "started had created it: moved what they created there (%s) to schema %s",
               f->path, names, arch);
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
        if (!keep)
            collect_one(c, f, drop);
        free_file(f);
    }
}
