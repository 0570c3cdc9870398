/* SPDX-License-Identifier: MIT
 *
 * Opening and closing PostgreSQL-backed connections: the routing decision per sqlite3_open*
 * call, the libpq connection with its session settings, transparent reconnection outside a
 * transaction, and close/close_v2 with SQLite's rules for unfinalized statements.
 *
 * Routing (DESIGN §2, docs/configuration.md): USE_POSTGRES unset, empty or "0" sends every
 * open to the real SQLite.  Otherwise a file database goes to PostgreSQL (DATABASE_URL, else
 * the PG* variables); ":memory:", "" (temporary) and in-memory URIs stay on SQLite unless
 * LITESHIFT_MEMORY=postgres.  Each file maps to a schema: LITESHIFT_SCHEMA_MAP="a.db=app;
 * cache.db=cache" by file base name, else LITESHIFT_SCHEMA, else the server's default
 * search_path.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "pg.h"
#include "compat.h"
#include "log.h"
#include "pg_api.h"

static atomic_uint conn_ids;

static bool use_postgres(void)
{
    const char *v = getenv("USE_POSTGRES");
    return v && *v && strcmp(v, "0") != 0 && strcasecmp(v, "false") != 0 &&
           strcasecmp(v, "no") != 0 && strcasecmp(v, "off") != 0;
}

static bool is_memory_db(const char *filename, int flags)
{
    if (flags & SQLITE_OPEN_MEMORY)
        return true;
    if (!filename || !*filename || strcmp(filename, ":memory:") == 0)
        return true;
    if (strncmp(filename, "file:", 5) == 0) {
        const char *q = strchr(filename, '?');
        size_t pathlen = q ? (size_t)(q - filename - 5) : strlen(filename + 5);
        if (pathlen == 0 || (pathlen == 8 && strncmp(filename + 5, ":memory:", 8) == 0))
            return true;
        if (q && strstr(q, "mode=memory"))
            return true;
    }
    return false;
}

/* True when this open goes to PostgreSQL. */
static bool route_pg(const char *filename, int flags)
{
    if (!use_postgres())
        return false;
    if (is_memory_db(filename, flags)) {
        const char *m = getenv("LITESHIFT_MEMORY");
        return m && strcasecmp(m, "postgres") == 0;
    }
    return true;
}

/* The schema for a database file, or NULL for the server default.  Caller frees. */
static char *schema_for(const char *filename)
{
    const char *map = getenv("LITESHIFT_SCHEMA_MAP");
    const char *base = filename ? strrchr(filename, '/') : NULL;
    base = base ? base + 1 : (filename ? filename : "");
    if (strncmp(base, "file:", 5) == 0)
        base += 5;
    if (map && *map) {
        const char *p = map;
        while (*p) {
            const char *end = strchr(p, ';');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            const char *eq = memchr(p, '=', n);
            if (eq && (size_t)(eq - p) == strlen(base) && strncmp(p, base, (size_t)(eq - p)) == 0)
                return strndup(eq + 1, n - (size_t)(eq - p) - 1);
            p += n + (end ? 1 : 0);
        }
    }
    const char *s = getenv("LITESHIFT_SCHEMA");
    return s && *s ? strdup(s) : NULL;
}

static bool valid_schema_name(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* FNV-1a of the text: an advisory lock key of this database, the write lock's (prefix
 * "liteshift:") or its readers' ("liteshift-read:", D11). */
static uint64_t key_for(const char *prefix, const char *schema)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = prefix; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    for (const char *p = schema ? schema : "public"; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h & 0x7fffffffffffffffULL;
}

static uint64_t lock_key_for(const char *schema)
{
    return key_for("liteshift:", schema);
}

static uint64_t read_key_for(const char *schema)
{
    return key_for("liteshift-read:", schema);
}

/* See pg.h. */
bool ls_pg_quote_ident(const char *name, char *out, size_t cap)
{
    size_t k = 0;
    if (cap < 3)
        return false;
    out[k++] = '"';
    for (const char *p = name; *p; p++) {
        if (k + (*p == '"') + 2 >= cap) {
            out[0] = '\0';
            return false;
        }
        if (*p == '"')
            out[k++] = '"';
        out[k++] = *p;
    }
    out[k++] = '"';
    out[k] = '\0';
    return true;
}

/* The texts of the connection's lock keys, for the database in schema. */
static void set_keys(ls_pgconn *c, const char *schema)
{
    ls_num_format_int64((sqlite3_int64)lock_key_for(schema), c->key_text[0]);
    ls_num_format_int64((sqlite3_int64)read_key_for(schema), c->key_text[1]);
}

/* What the connection reads once at open, in one query: its main schema, and its journal
 * mode as an app set it (PRAGMA journal_mode, pg_exec.c): WAL or one of the rollback
 * journal's, which lock differently (D11).  Without the compat pack the second is not
 * known: the rollback journal, SQLite's default (one more query for the schema).  And the
 * OID of the pack's lock_key type, with which an autocommit write takes the write lock as
 * its parameters are read (pg_exec.c); 0 without it: the lock goes as a statement. */
static void load_session(ls_pgconn *c)
{
    PGresult *res = NULL;
    bool both = ls_pg_side_query(c, false, "SELECT current_schema(), (SELECT value FROM "
                                 LS_COMPAT_SCHEMA ".pragma WHERE db = current_schema() AND "
                                 "name = 'journal_mode'), to_regtype('" LS_COMPAT_SCHEMA
                                 ".lock_key')::oid", 0, NULL, &res, NULL, 0) ==
                    SQLITE_OK && res && PQntuples(res) == 1;
    if (!both) {
        PQclear(res);
        res = NULL;
        if (ls_pg_side_query(c, false, "SELECT current_schema()", 0, NULL, &res, NULL, 0) !=
                SQLITE_OK || !res || PQntuples(res) != 1) {
            PQclear(res);
            return;
        }
    }
    if (!PQgetisnull(res, 0, 0))
        (void)ls_pg_quote_ident(PQgetvalue(res, 0, 0), c->main_schema,
                                sizeof c->main_schema); /* "" when too long: not known */
    if (both && !c->lock_rows)
        c->wal = strcmp(PQgetvalue(res, 0, 1), "1") == 0;
    if (both && !PQgetisnull(res, 0, 2))
        c->lock_oid = (Oid)strtoul(PQgetvalue(res, 0, 2), NULL, 10);
    PQclear(res);
}

static int make_private_schema(ls_pgconn *c);

/* The compat pack (compat/) is checked once per process per database: the first connection
 * to a DATABASE_URL reads the installed version (one query) and installs or upgrades the
 * pack when it is older.  A failure (a role without CREATE on the database) is logged once;
 * the connection works on without the pack. */
static pthread_mutex_t compat_lock = PTHREAD_MUTEX_INITIALIZER;
static char **compat_done;
static size_t n_compat_done;

static void ensure_compat(ls_pgconn *c)
{
    pthread_mutex_lock(&compat_lock);
    for (size_t i = 0; i < n_compat_done; i++)
        if (strcmp(compat_done[i], c->conninfo) == 0) {
            pthread_mutex_unlock(&compat_lock);
            return;
        }
    char err[1024];
    int action = 0;
    int rc = ls_compat_install_ex(c->pg, &action, err, sizeof err);
    if (rc != SQLITE_OK)
        ls_log(LS_LOG_ERROR, c->id, "%s", err);
    else if (action)
        ls_log(LS_LOG_INFO, c->id, "compat pack version %d %s", ls_compat_version(),
               action == 1 ? "installed" : "upgraded");
    char **grown = realloc(compat_done, (n_compat_done + 1) * sizeof *grown);
    if (grown) {   /* out of memory: check again next time, no harm */
        compat_done = grown;
        if ((compat_done[n_compat_done] = strdup(c->conninfo)))
            n_compat_done++;
    }
    pthread_mutex_unlock(&compat_lock);
}

/* Server notices (NOTICE: drop cascades...) go to our log, never to the app's stderr. */
static void notice_to_log(void *arg, const PGresult *res)
{
    ls_pgconn *c = arg;
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (state && strcmp(state, "42P07") == 0)   /* CREATE ... IF NOT EXISTS: it existed */
        c->ddl_skipped = true;
    ls_log(LS_LOG_INFO, c->id, "PostgreSQL notice: %s", PQresultErrorMessage(res));
}

/* The app's local time zone, for the compat pack's 'localtime' and 'utc' modifiers, which
 * run on the server but must use the client's zone as SQLite does: TZ (without a leading
 * ':'), else the zone /etc/localtime links to, else "" (the pack then uses UTC).  Only
 * names a startup option can carry (letters, digits, "/_+-.,:") are passed. */
static void local_zone(char *out, size_t cap)
{
    char buf[256] = "";
    const char *tz = getenv("TZ");
    if (tz) {
        snprintf(buf, sizeof buf, "%s", tz[0] == ':' ? tz + 1 : tz);
    } else {
        char link[256];
        ssize_t n = readlink("/etc/localtime", link, sizeof link - 1);
        if (n > 0) {
            link[n] = '\0';
            const char *z = strstr(link, "zoneinfo/");
            if (z)
                snprintf(buf, sizeof buf, "%s", z + 9);
        }
    }
    out[0] = '\0';
    for (const char *p = buf; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/_+-.,:", *p))
            return;
    snprintf(out, cap, "%s", buf);
}

/* Set once a server refused client_connection_check_interval (PostgreSQL before 14): the
 * process's later connections go without it. */
static atomic_bool no_check_interval;

static int connect_now(ls_pgconn *c, const char *schema)
{
    char options[768], zone[256];
    local_zone(zone, sizeof zone);
    for (;;) {
        /* client_connection_check_interval: a server backend whose client is gone (killed,
         * crashed) stops its query within a second instead of running it to the end
         * (tests/integration/client_gone.sh) */
        bool check = !atomic_load(&no_check_interval);
        snprintf(options, sizeof options,
                 "-c TimeZone=UTC -c DateStyle=ISO,YMD -c extra_float_digits=3 "
                 "-c standard_conforming_strings=on%s%s%s%s%s%s%s",
                 schema ? " -c search_path=" : "", schema ? schema : "",
                 schema ? ",public" : "",
                 c->readonly ? " -c default_transaction_read_only=on" : "",
                 check ? " -c client_connection_check_interval=1000" : "",
                 zone[0] ? " -c liteshift.tz=" : "", zone);
        const char *keys[] = { "dbname", "options", "client_encoding", "application_name",
                               "fallback_application_name", NULL };
        const char *vals[] = { c->conninfo, options, "UTF8", "liteshift", "liteshift", NULL };
        c->pg = PQconnectdbParams(keys, vals, 1);
        if (!c->pg)
            return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
        if (check && PQstatus(c->pg) != CONNECTION_OK &&
            strstr(PQerrorMessage(c->pg), "client_connection_check_interval")) {
            atomic_store(&no_check_interval, true);
            PQfinish(c->pg);
            c->pg = NULL;
            continue;
        }
        break;
    }
    if (PQstatus(c->pg) != CONNECTION_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(c->pg));
        size_t n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = '\0';
        char red[1024];
        ls_log_redact(c->conninfo, red, sizeof red);
        ls_log(LS_LOG_ERROR, c->id, "cannot connect to PostgreSQL (%s): %s", red, msg);
        return ls_conn_error(&c->base, SQLITE_CANTOPEN,
                             "unable to open database file: PostgreSQL: %s", msg);
    }
    PQsetNoticeReceiver(c->pg, notice_to_log, c);
    if (!c->readonly)   /* a read-only connection cannot install: it uses what is there */
        ensure_compat(c);
    if (PQenterPipelineMode(c->pg) != 1)
        return ls_conn_error(&c->base, SQLITE_CANTOPEN,
                             "unable to open database file: libpq pipeline mode unavailable");
    PGcancel *cancel = PQgetCancel(c->pg);
    pthread_mutex_lock(&c->cancel_mu);
    c->cancel = cancel;
    pthread_mutex_unlock(&c->cancel_mu);
    return SQLITE_OK;
}

/* Open a PostgreSQL-backed connection.  As sqlite3_open_v2: *out is set even on failure
 * (so the app can read the error and close it), SQLITE_CANTOPEN with the libpq reason
 * (password redacted) when the server cannot be reached.  tests/integration/test_backend.c. */
/* Percent-decode n bytes of a URI path into out (cap bytes).  False when it does not fit. */
static bool uri_decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1])
            && isxdigit((unsigned char)s[i + 2])) {
            char hex[3] = { s[i + 1], s[i + 2], 0 };
            ch = (char)strtol(hex, NULL, 16);
            i += 2;
        }
        if (k + 1 >= cap)
            return false;
        out[k++] = ch;
    }
    out[k] = '\0';
    return true;
}

/* The database file on disk (DIALECT K-series, docs/configuration.md LITESHIFT_FILE): on
 * PostgreSQL the data is on the server, but the app still sees the file SQLite would have:
 * opening with SQLITE_OPEN_CREATE creates it empty when it is missing (an empty file is an
 * empty SQLite database, so unsetting USE_POSTGRES stays coherent), and an open SQLite would
 * refuse (a directory, a missing parent directory, a missing file without CREATE) fails with
 * SQLITE_CANTOPEN.  mode=ro in a URI, or SQLITE_OPEN_READONLY, makes the connection
 * read-only.  LITESHIFT_FILE=ignore skips the file entirely. */
static int check_file(ls_pgconn *c, const char *filename, int flags)
{
    const char *path = filename;
    char decoded[4096];
    bool create = (flags & SQLITE_OPEN_CREATE) != 0;
    if (flags & SQLITE_OPEN_READONLY) {
        c->readonly = true;
        create = false;
    }
    if (strncmp(filename, "file:", 5) == 0 && (flags & SQLITE_OPEN_URI)) {
        const char *p = filename + 5;
        if (strncmp(p, "//", 2) == 0) {   /* file://localhost/path or file:///path */
            const char *slash = strchr(p + 2, '/');
            p = slash ? slash : p + strlen(p);
        }
        const char *q = strchr(p, '?');
        const char *h = strchr(p, '#');
        size_t n = q ? (size_t)(q - p) : h ? (size_t)(h - p) : strlen(p);
        if (!uri_decode(p, n, decoded, sizeof decoded))
            return ls_conn_error(&c->base, SQLITE_CANTOPEN, "unable to open database file");
        path = decoded;
        const char *mode = q ? strstr(q, "mode=") : NULL;
        if (mode && (mode[-1] == '?' || mode[-1] == '&')) {
            mode += 5;
            if (strncmp(mode, "ro", 2) == 0 && (mode[2] == '\0' || mode[2] == '&' || mode[2] == '#')) {
                c->readonly = true;
                create = false;
            } else if (strncmp(mode, "rw", 2) == 0
                       && (mode[2] == '\0' || mode[2] == '&' || mode[2] == '#')) {
                create = false;
            }
        }
    }
    const char *f = getenv("LITESHIFT_FILE");
    if (f && strcmp(f, "ignore") == 0)
        return SQLITE_OK;
    struct stat sb;
    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return ls_conn_error(&c->base, SQLITE_CANTOPEN, "unable to open database file");
        c->dbfile = ls_files_attach(path, &sb, c->conninfo);
        return SQLITE_OK;
    }
    if (!create)
        return ls_conn_error(&c->base, SQLITE_CANTOPEN, "unable to open database file");
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST)
        return ls_conn_error(&c->base, SQLITE_CANTOPEN, "unable to open database file");
    if (fd >= 0) {
        c->dbfile = ls_files_created(path, fd, c->conninfo);
        close(fd);
    } else if (stat(path, &sb) == 0) {
        c->dbfile = ls_files_attach(path, &sb, c->conninfo);
    }
    return SQLITE_OK;
}

int ls_pg_open(const char *filename, sqlite3 **out, int flags)
{
    *out = NULL;
    ls_pgconn *c = calloc(1, sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    ls_handle_init(&c->base.h, LS_KIND_CONN, &c->base);
    ls_conn_mutex_init(&c->base, flags);
    pthread_mutex_init(&c->cancel_mu, NULL);
    c->id = atomic_fetch_add(&conn_ids, 1) + 1;
    c->user_version = -1;
    c->base.extended_codes = (flags & SQLITE_OPEN_EXRESCODE) != 0;
    const char *pipe = getenv("LITESHIFT_PIPELINE");
    c->pipeline = pipe && strcmp(pipe, "1") == 0;
    const char *rollback = getenv("LITESHIFT_STATEMENT_ROLLBACK");
    c->replay_off = rollback && strcmp(rollback, "savepoint") == 0;
    const char *locking = getenv("LITESHIFT_LOCKING");
    c->lock_rows = locking && strcmp(locking, "row") == 0;
    /* SQLite's default busy timeout is none: lock waits fail at once (1 ms) unless the app
     * sets one; LITESHIFT_LOCKING=row leaves the server's lock_timeout until it does */
    c->busy_timeout_set = c->busy_timeout_dirty = !c->lock_rows;
    snprintf(c->journal_mode, sizeof c->journal_mode, "delete");
    c->filename = strdup(filename ? filename : "");
    const char *url = getenv("DATABASE_URL");
    c->conninfo = strdup(url ? url : "");
    for (int i = 0; i < 12; i++)
        c->limits[i] = -1;
    *out = (sqlite3 *)c;
    if (!c->filename || !c->conninfo)
        return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
    if (rollback && *rollback && !c->replay_off && strcmp(rollback, "replay") != 0)
        return ls_conn_error(&c->base, SQLITE_CANTOPEN,
                             "unable to open database file: LITESHIFT_STATEMENT_ROLLBACK must "
                             "be 'replay' or 'savepoint', not '%s'", rollback);
    if (locking && *locking && !c->lock_rows && strcmp(locking, "sqlite") != 0)
        return ls_conn_error(&c->base, SQLITE_CANTOPEN,
                             "unable to open database file: LITESHIFT_LOCKING must be "
                             "'sqlite' or 'row', not '%s'", locking);
    if (ls_pq_load() != 0) /* the first PostgreSQL open loads libpq (pq_lazy.h) */
        return ls_conn_error(&c->base, SQLITE_CANTOPEN,
                             "unable to open database file: libpq.so.5 could not be loaded");
    char *schema = schema_for(filename);
    if (schema && !valid_schema_name(schema)) {
        int rc = ls_conn_error(&c->base, SQLITE_CANTOPEN,
                               "unable to open database file: schema name '%s' must be lower "
                               "case letters, digits and underscores", schema);
        free(schema);
        return rc;
    }
    set_keys(c, schema);
    int rc = SQLITE_OK;
    if (!is_memory_db(filename, flags))
        rc = check_file(c, c->filename, flags);
    if (rc == SQLITE_OK)
        rc = connect_now(c, schema);
    free(schema);
    if (rc == SQLITE_OK && !c->readonly)
        ls_files_collect(c);
    if (rc == SQLITE_OK && is_memory_db(filename, flags)) {
        rc = make_private_schema(c);
        set_keys(c, c->private_schema);
        c->wal = true; /* private to the connection: no reader to wait for */
        (void)ls_pg_quote_ident(c->private_schema, c->main_schema,
                                sizeof c->main_schema);
        snprintf(c->journal_mode, sizeof c->journal_mode, "memory"); /* as SQLite's */
    } else if (rc == SQLITE_OK) {
        load_session(c);
    }
    if (rc == SQLITE_OK)
        ls_log(LS_LOG_INFO, c->id, "opened %s on PostgreSQL %d", c->filename,
               PQserverVersion(c->pg));
    (void)flags;
    return rc;
}

/* Reconnect when the connection was lost.  Outside a transaction this is transparent; inside
 * one the transaction is gone, which the app must hear about (SQLITE_IOERR), never a silent
 * retry.  Server-side prepared statements died with the old session. */
int ls_pg_ensure_connected(ls_pgconn *c)
{
    if (c->pg && PQstatus(c->pg) == CONNECTION_OK)
        return SQLITE_OK;
    if (!c->conninfo)   /* a detached connection (tests): no server to reach */
        return ls_conn_error(&c->base, SQLITE_CANTOPEN, "unable to open database file");
    if (c->in_txn) {
        c->txn_failed = true;
        return ls_conn_error(&c->base, SQLITE_IOERR,
                             "disk I/O error: the connection to PostgreSQL was lost inside a "
                             "transaction; it was rolled back");
    }
    if (c->private_schema[0]) {
        return ls_conn_error(&c->base, SQLITE_IOERR,
                             "disk I/O error: the connection to PostgreSQL was lost and this "
                             "in-memory database with it");
    }
    ls_log(LS_LOG_WARN, c->id, "connection lost; reconnecting");
    pthread_mutex_lock(&c->cancel_mu);   /* sqlite3_interrupt may be using it */
    if (c->cancel)
        PQfreeCancel(c->cancel);
    c->cancel = NULL;
    pthread_mutex_unlock(&c->cancel_mu);
    PQfinish(c->pg);
    c->pg = NULL;
    c->active = NULL;
    for (ls_pgstmt *s = c->stmts; s; s = s->next) {
        s->name[0] = '\0';
        s->prep = NULL;
        s->streaming = false;
    }
    ls_prep_forget_all(c);
    ls_pg_schema_invalidate(c);
    ls_pg_pipe_reset(c);
    c->sp_prepared = c->rel_prepared = c->lock_prepared = false;
    c->master_ins_prepared = c->master_del_prepared = c->script_lock_prepared = false;
    char *schema = schema_for(c->filename);
    int rc = connect_now(c, schema);
    free(schema);
    if (rc == SQLITE_OK)
        c->busy_timeout_dirty = c->busy_timeout_set;
    c->session_wait_ms = 0;
    c->timeout_txn = 0;
    return rc;
}

/* See pg.h. */
int ls_pg_side_query(ls_pgconn *c, bool change, const char *sql, int np,
                     const char *const *params, PGresult **rows, char *err, size_t errcap)
{
    if (rows)
        *rows = NULL;
    if (err && errcap)
        err[0] = '\0';
    int rc = ls_pg_free_connection(c);
    if (rc == SQLITE_OK)
        rc = ls_pg_ensure_connected(c);
    if (rc != SQLITE_OK)
        return rc;
    if (change && ls_pg_send_begin(c, false) < 0) { /* recorded in the app's transaction */
        if (err)
            snprintf(err, errcap, "%s", PQerrorMessage(c->pg));
        return SQLITE_OK;
    }
    bool wrap = c->in_txn && !c->begin_pending;
    if ((change && ls_replay_send_close(c) < 0) || /* the replay log would not hold it */
        (wrap && !PQsendQueryParams(c->pg, "SAVEPOINT ls_side", 0, NULL, NULL, NULL, NULL, 0)) ||
        !PQsendQueryParams(c->pg, sql, np, NULL, params, NULL, NULL, 0) ||
        (wrap && !PQsendQueryParams(c->pg, "RELEASE SAVEPOINT ls_side", 0, NULL, NULL, NULL,
                                    NULL, 0)) ||
        !ls_pg_sync(c)) {
        if (err)
            snprintf(err, errcap, "%s", PQerrorMessage(c->pg));
        return SQLITE_OK;
    }
    bool failed = false;
    for (PGresult *r; (r = ls_pg_next_result(c));) {
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_TUPLES_OK && rows && !*rows) {
            *rows = r;
            continue;
        }
        if (s == PGRES_FATAL_ERROR && !failed) {
            failed = true;
            if (err)
                snprintf(err, errcap, "%s", PQresultErrorMessage(r));
        }
        PQclear(r);
    }
    if (failed && wrap &&   /* put the app's transaction back as it was */
        PQsendQueryParams(c->pg, "ROLLBACK TO SAVEPOINT ls_side", 0, NULL, NULL, NULL, NULL, 0) &&
        PQsendQueryParams(c->pg, "RELEASE SAVEPOINT ls_side", 0, NULL, NULL, NULL, NULL, 0) &&
        ls_pg_sync(c))
        for (PGresult *r; (r = ls_pg_next_result(c));)
            PQclear(r);
    return SQLITE_OK;
}

static void conn_free(ls_pgconn *c)
{
    ls_files_detach(c->dbfile);
    c->dbfile = NULL;
    ls_pg_appfn_free_all(c);
    ls_pg_schema_invalidate(c);
    ls_pg_rewrite_cache_free(c);
    ls_pg_pipe_reset(c);
    ls_prep_forget_all(c);
    if (c->cancel)
        PQfreeCancel(c->cancel);
    if (c->pg)
        PQfinish(c->pg);
    ls_conn_clear_error(&c->base);
    free(c->filename);
    free(c->conninfo);
    ls_replay_free(c);
    free(c->savepoints);
    c->base.h.state = LS_STATE_DEAD;
    pthread_mutex_destroy(&c->base.mu);
    pthread_mutex_destroy(&c->cancel_mu);
    free(c);
}

void ls_pg_conn_leave_reap(ls_pgconn *c, ls_lock lk)
{
    bool reap = c->zombie && !c->stmts && c->n_blobs == 0;
    ls_leave(lk);
    if (reap)
        conn_free(c);
}

/* A :memory: database sent to PostgreSQL (LITESHIFT_MEMORY=postgres) is private to its
 * connection, as in SQLite: its own schema, first on the search_path, dropped at close. */
static int make_private_schema(ls_pgconn *c)
{
    snprintf(c->private_schema, sizeof c->private_schema, "liteshift_mem_%d_%u",
             PQbackendPID(c->pg), c->id);
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", c->private_schema);
    const char *q[] = { sql, NULL };
    char path[160];
    /* the private schema alone: an in-memory database sees none of the file databases'
     * tables (the compat pack is always schema-qualified) */
    snprintf(path, sizeof path, "SELECT set_config('search_path', '%s', false)",
             c->private_schema);
    q[1] = path;
    for (int i = 0; i < 2; i++)
        if (!PQsendQueryParams(c->pg, q[i], 0, NULL, NULL, NULL, NULL, 0))
            return SQLITE_CANTOPEN;
    if (!ls_pg_sync(c))
        return SQLITE_CANTOPEN;
    int rc = SQLITE_OK;
    for (;;) {
        PGresult *r = PQgetResult(c->pg);
        if (!r) {
            if (PQstatus(c->pg) != CONNECTION_OK)
                break;
            continue;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_FATAL_ERROR && rc == SQLITE_OK)
            rc = ls_conn_error(&c->base, SQLITE_CANTOPEN, "unable to open database file: %s",
                               PQresultErrorMessage(r));
        PQclear(r);
        if (st == PGRES_PIPELINE_SYNC)
            break;
    }
    if (rc != SQLITE_OK)
        c->private_schema[0] = '\0';
    return rc;
}

static void drop_private_schema(ls_pgconn *c)
{
    if (!c->private_schema[0] || !c->pg || PQstatus(c->pg) != CONNECTION_OK)
        return;
    if (ls_pg_free_connection(c) != SQLITE_OK)
        return;
    char sql[160];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", c->private_schema);
    if (c->in_txn) {
        (void)PQsendQueryParams(c->pg, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0);
    }
    if (PQsendQueryParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0) && ls_pg_sync(c)) {
        for (;;) {
            PGresult *r = PQgetResult(c->pg);
            if (!r) {
                if (PQstatus(c->pg) != CONNECTION_OK)
                    break;
                continue;
            }
            ExecStatusType st = PQresultStatus(r);
            PQclear(r);
            if (st == PGRES_PIPELINE_SYNC)
                break;
        }
    }
    c->private_schema[0] = '\0';
}

static int close_locked(ls_pgconn *c, bool v2)
{
    if ((c->stmts || c->n_blobs) && !v2)
        return ls_conn_error(&c->base, SQLITE_BUSY,
                             "unable to close due to unfinalized statements or unfinished "
                             "backups");
    drop_private_schema(c);
    ls_files_detach(c->dbfile);
    c->dbfile = NULL;
    ls_log(LS_LOG_INFO, c->id, "closed after %lu round trips", c->round_trips);
    if (c->stmts || c->n_blobs) {
        /* close_v2 with statements or blobs left (Python finalizes its cached statements
         * after closing): as SQLite, the connection becomes a zombie, unusable by the app,
         * and is freed with its last statement or blob.  The server session ends now. */
        for (ls_pgstmt *s = c->stmts; s; s = s->next)
            s->streaming = false;
        c->active = NULL;
        pthread_mutex_lock(&c->cancel_mu);
        if (c->cancel)
            PQfreeCancel(c->cancel);
        c->cancel = NULL;
        pthread_mutex_unlock(&c->cancel_mu);
        PQfinish(c->pg);
        c->pg = NULL;
        c->zombie = true;
        c->base.h.state = LS_STATE_DEAD;
    }
    return SQLITE_OK;
}

/* Close under the connection's mutex (not taken by the forwarder: the mutex goes with the
 * connection).  As in SQLite, another thread still using the connection is the app's bug. */
static int close_impl(sqlite3 *db, bool v2)
{
    ls_pgconn *c = (ls_pgconn *)db;
    if (!ls_handle_live(c))
        return SQLITE_MISUSE;
    if (c->base.h.kind != LS_KIND_CONN)
        return SQLITE_MISUSE;
    ls_lock lk = ls_enter(c);
    int rc = close_locked(c, v2);
    bool done = rc == SQLITE_OK && !c->zombie;
    ls_leave(lk);
    if (done)
        conn_free(c);
    return rc;
}

int ls_pg_sqlite3_close(sqlite3 *db)
{
    return close_impl(db, false);
}

int ls_pg_sqlite3_close_v2(sqlite3 *db)
{
    return close_impl(db, true);
}

/* ---- the open entry points: no handle to look at, so they always come here ---- */

int ls_pg_sqlite3_open_v2(const char *filename, sqlite3 **ppDb, int flags, const char *zVfs)
{
    if (!route_pg(filename, flags))
        return ls_real.sqlite3_open_v2(filename, ppDb, flags, zVfs);
    if (!ppDb)
        return SQLITE_MISUSE;
    return ls_pg_open(filename, ppDb, flags);
}

int ls_pg_sqlite3_open(const char *filename, sqlite3 **ppDb)
{
    if (!route_pg(filename, 0))
        return ls_real.sqlite3_open(filename, ppDb);
    if (!ppDb)
        return SQLITE_MISUSE;
    return ls_pg_open(filename, ppDb, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
}

/* UTF-16 (native byte order) to UTF-8; caller frees.  NULL on bad input or no memory. */
int ls_pg_sqlite3_open16(const void *filename, sqlite3 **ppDb)
{
    if (!use_postgres() || !filename)
        return ls_real.sqlite3_open16(filename, ppDb);
    size_t n = 0;
    while (((const uint16_t *)filename)[n])
        n++;
    char *name = ls_utf16_to_utf8(filename, n, NULL);
    if (!name)
        return SQLITE_NOMEM;
    int rc;
    if (!route_pg(name, 0))
        rc = ls_real.sqlite3_open16(filename, ppDb);
    else
        rc = ppDb ? ls_pg_open(name, ppDb, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
                  : SQLITE_MISUSE;
    free(name);
    return rc;
}
