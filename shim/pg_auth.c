/* SPDX-License-Identifier: MIT
 *
 * sqlite3_set_authorizer on PostgreSQL handles (docs/compatibility.md D16).
 *
 * SQLite calls the authorizer while it compiles a statement, once per table, column, function
 * and operation the statement touches, and refuses the statement when the callback says
 * SQLITE_DENY.  Those calls come from SQLite's own compiler, so the shim does not imitate
 * them: it keeps, per connection, a replica of the schema in an in-memory SQLite database
 * (the real library), built from the CREATE texts liteshift keeps in liteshift.master, and
 * prepares each statement there, with the app's callback installed, before the statement is
 * accepted.  The app therefore sees exactly SQLite's calls, arguments and errors ("access to
 * t.c is prohibited", "not authorized").
 *
 * It fails closed: a statement the replica cannot compile (a table liteshift did not create
 * and so has no text for, a syntax error) is refused with the replica's error, and a
 * SQLITE_IGNORE on a column read (SQLite would read NULL there) is refused rather than
 * ignored.  Nothing of this runs unless an authorizer is set; the replica is rebuilt after
 * DDL (one round trip).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "log.h"

/* The app's callback, called by the replica's compiler. */
static int trampoline(void *arg, int action, const char *a, const char *b, const char *d,
                      const char *t)
{
    ls_pgconn *c = arg;
    int r = c->auth_cb ? c->auth_cb(c->auth_arg, action, a, b, d, t) : SQLITE_OK;
    if (r == SQLITE_IGNORE && action == SQLITE_READ)
        c->auth_ignored_read = true;
    return r;
}

/* See pg.h. */
void ls_pg_auth_invalidate(ls_pgconn *c)
{
    if (c->auth_db)
        ls_real.sqlite3_close_v2(c->auth_db);
    c->auth_db = NULL;
}

/* The replica: every table, view, index and trigger of the connection's schema, from their
 * kept texts; objects whose text SQLite cannot run are left out (logged). */
static int build_replica(ls_pgconn *c)
{
    /* the session's TEMP objects too (kept apart, compat/sql/50_master.sql), made TEMP in
     * the replica: their text is SQLite's, without TEMP */
    const char *q = "SELECT type, name, sql FROM (SELECT type, name, sql FROM "
                    LS_COMPAT_SCHEMA ".master WHERE schemaname = current_schema() "
                    "UNION ALL SELECT type, name, CASE WHEN type <> 'index' "
                    "THEN 'CREATE TEMP ' || substr(sql, 8) ELSE sql END "
                    "FROM " LS_COMPAT_SCHEMA ".temp_master_rows()) m WHERE sql IS NOT NULL "
                    "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'view' THEN 1 "
                    "WHEN 'index' THEN 2 ELSE 3 END, name";
    PGresult *res = NULL;
    int rc = ls_pg_side_query(c, false, q, 0, NULL, &res, NULL, 0);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3 *db = NULL;
    if (ls_real.sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                NULL) != SQLITE_OK) {
        ls_real.sqlite3_close_v2(db);
        PQclear(res);
        return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
    }
    for (int i = 0; res && i < PQntuples(res); i++) {
        char *err = NULL;
        if (ls_real.sqlite3_exec(db, PQgetvalue(res, i, 2), NULL, NULL, &err) != SQLITE_OK)
            ls_log(LS_LOG_INFO, c->id, "authorizer replica: %s %s left out: %s",
                   PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), err ? err : "");
        ls_real.sqlite3_free(err);
    }
    PQclear(res);
    c->auth_db = db;
    return SQLITE_OK;
}

/* See pg.h. */
int ls_pg_authorize(ls_pgconn *c, const char *sql, size_t len)
{
    if (!c->auth_db) {
        int rc = build_replica(c);
        if (rc != SQLITE_OK)
            return rc;
    }
    ls_real.sqlite3_set_authorizer(c->auth_db, trampoline, c);
    c->auth_ignored_read = false;
    sqlite3_stmt *st = NULL;
    int rc = ls_real.sqlite3_prepare_v2(c->auth_db, sql, (int)len, &st, NULL);
    ls_real.sqlite3_finalize(st);
    ls_real.sqlite3_set_authorizer(c->auth_db, NULL, NULL);
    if (rc != SQLITE_OK)
        return ls_conn_error(&c->base, rc, "%s", ls_real.sqlite3_errmsg(c->auth_db));
    if (c->auth_ignored_read)
        return ls_conn_error(&c->base, SQLITE_AUTH,
                             "not authorized: the authorizer answered SQLITE_IGNORE for a column "
                             "read, which cannot be honoured on PostgreSQL");
    return SQLITE_OK;
}

/* See pg_api.h. */
int ls_pg_sqlite3_set_authorizer(sqlite3 *db,
                                 int (*fn)(void *, int, const char *, const char *, const char *,
                                           const char *),
                                 void *arg)
{
    ls_pgconn *c = (ls_pgconn *)db;
    if (!ls_handle_live(c))
        return SQLITE_MISUSE;
    c->auth_cb = fn;
    c->auth_arg = fn ? arg : NULL;
    c->auth_gen++; /* as SQLite expires every statement: each meets fn at its next run */
    if (!fn)
        ls_pg_auth_invalidate(c);
    return SQLITE_OK;
}
