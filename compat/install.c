/* SPDX-License-Identifier: MIT
 *
 * Installing, upgrading and removing the compat pack (compat/sql/NN_*.sql files) in schema liteshift.
 * The installed version is the row ('compat', N) of liteshift.version.  Checking costs one
 * query; installing or upgrading runs every SQL file again (each is idempotent) inside one
 * transaction serialised by an advisory lock, so two processes connecting at once do not
 * trip over each other and a failure leaves the previous pack as it was.
 *
 * Privileges: a role that owns the database (or has CREATE on it) can install; a role that
 * may not create the schema gets SQLITE_PERM and a message saying what to do, and callers
 * carry on without the pack (the shim logs it once).
 */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "compat_sql.h"

#define SCHEMA "liteshift"
/* pg_advisory_xact_lock key for installs: "lscompat" in ASCII */
#define INSTALL_LOCK "7814994536853254516"

static void say(char *errbuf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(char *errbuf, size_t cap, const char *fmt, ...)
{
    if (!errbuf || cap == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errbuf, cap, fmt, ap);
    va_end(ap);
    size_t n = strlen(errbuf);
    while (n && (errbuf[n - 1] == '\n' || errbuf[n - 1] == ' '))
        errbuf[--n] = '\0';
}

static const char *state_of(const PGresult *r)
{
    const char *s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    return s ? s : "";
}

/* SQLITE_PERM for insufficient_privilege, SQLITE_ERROR otherwise; the server's message
 * (with what) into errbuf. */
static int fail(PGconn *pg, PGresult *r, const char *what, char *errbuf, size_t cap)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(pg));
    for (char *p = msg; *p; p++)
        if (*p == '\n')
            *p = p[1] ? ' ' : '\0';
    bool perm = strcmp(state_of(r), "42501") == 0;
    if (perm)
        say(errbuf, cap, "compat pack: %s: %s (the role needs CREATE on the database, or an "
            "owner can run `liteshift compat install`); SQLite functions, sqlite_master and "
            "catalog PRAGMAs are unavailable", what, msg);
    else
        say(errbuf, cap, "compat pack: %s: %s", what, msg);
    return perm ? SQLITE_PERM : SQLITE_ERROR;
}

static bool ready(PGconn *pg, char *errbuf, size_t cap)
{
    if (!pg || PQstatus(pg) != CONNECTION_OK) {
        say(errbuf, cap, "compat pack: no connection to PostgreSQL");
        return false;
    }
    if (PQpipelineStatus(pg) != PQ_PIPELINE_OFF || PQtransactionStatus(pg) != PQTRANS_IDLE) {
        say(errbuf, cap, "compat pack: the connection must be idle, outside a transaction "
            "and out of pipeline mode");
        return false;
    }
    return true;
}

/* Run one command; SQLITE_OK or fail()'s code. */
static int run(PGconn *pg, const char *sql, const char *what, char *errbuf, size_t cap)
{
    PGresult *r = PQexec(pg, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) ? SQLITE_OK
                                                             : fail(pg, r, what, errbuf, cap);
    PQclear(r);
    return rc;
}

/* The version row, read with one query.  A missing schema or table reads as 0. */
static int read_version(PGconn *pg, int *version, char *errbuf, size_t cap)
{
    *version = 0;
    PGresult *r = PQexec(pg, "SELECT version FROM " SCHEMA ".version WHERE pack = 'compat'");
    int rc = SQLITE_OK;
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        if (PQntuples(r) == 1)
            *version = atoi(PQgetvalue(r, 0, 0));
    } else if (strcmp(state_of(r), "42P01") != 0 && strcmp(state_of(r), "3F000") != 0) {
        rc = fail(pg, r, "reading " SCHEMA ".version", errbuf, cap);
    }
    PQclear(r);
    return rc;
}

/* Inside the install transaction: the version, read without risking an error that would
 * abort the transaction when the table is absent. */
static int read_version_txn(PGconn *pg, int *version, char *errbuf, size_t cap)
{
    *version = 0;
    PGresult *r = PQexec(pg, "SELECT to_regclass('" SCHEMA ".version') IS NOT NULL");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = fail(pg, r, "reading " SCHEMA ".version", errbuf, cap);
        PQclear(r);
        return rc;
    }
    bool present = PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return present ? read_version(pg, version, errbuf, cap) : SQLITE_OK;
}

static int ensure_schema(PGconn *pg, char *errbuf, size_t cap)
{
    /* CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege even when the schema exists,
     * so look first: a role that cannot create schemas can still use an installed pack. */
    PGresult *r = PQexec(pg, "SELECT 1 FROM pg_namespace WHERE nspname = '" SCHEMA "'");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = fail(pg, r, "looking for schema " SCHEMA, errbuf, cap);
        PQclear(r);
        return rc;
    }
    bool exists = PQntuples(r) == 1;
    PQclear(r);
    return exists ? SQLITE_OK
                  : run(pg, "CREATE SCHEMA " SCHEMA, "creating schema " SCHEMA, errbuf, cap);
}

/* See compat.h. */
int ls_compat_installed(PGconn *pg, int *version, char *errbuf, size_t cap)
{
    *version = 0;
    if (!ready(pg, errbuf, cap))
        return SQLITE_MISUSE;
    return read_version(pg, version, errbuf, cap);
}

/* See compat.h. */
int ls_compat_install_ex(PGconn *pg, int *action, char *errbuf, size_t cap)
{
    int dummy;
    if (!action)
        action = &dummy;
    *action = 0;
    if (errbuf && cap)
        errbuf[0] = '\0';
    if (!ready(pg, errbuf, cap))
        return SQLITE_MISUSE;
    int have = 0;
    int rc = read_version(pg, &have, errbuf, cap);
    if (rc != SQLITE_OK || have >= ls_compat_version())
        return rc;   /* current, or newer than this build: never downgrade */

    rc = run(pg, "BEGIN", "BEGIN", errbuf, cap);
    if (rc != SQLITE_OK)
        return rc;
    rc = run(pg, "SELECT pg_advisory_xact_lock(" INSTALL_LOCK ")", "waiting for the install lock",
             errbuf, cap);
    if (rc == SQLITE_OK)
        rc = read_version_txn(pg, &have, errbuf, cap);   /* another process may have won */
    if (rc == SQLITE_OK && have >= ls_compat_version()) {
        PQclear(PQexec(pg, "ROLLBACK"));
        return SQLITE_OK;
    }
    if (rc == SQLITE_OK)
        rc = ensure_schema(pg, errbuf, cap);
    for (size_t i = 0; rc == SQLITE_OK && ls_compat_sql_files[i].name; i++) {
        char what[96];
        snprintf(what, sizeof what, "running compat/sql/%s", ls_compat_sql_files[i].name);
        rc = run(pg, ls_compat_sql_files[i].sql, what, errbuf, cap);
    }
    if (rc == SQLITE_OK) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "INSERT INTO " SCHEMA ".version(pack, version) VALUES ('compat', %d) "
                 "ON CONFLICT (pack) DO UPDATE SET version = excluded.version, "
                 "installed_at = now()", ls_compat_version());
        rc = run(pg, sql, "recording the version", errbuf, cap);
    }
    if (rc == SQLITE_OK)
        rc = run(pg, "COMMIT", "COMMIT", errbuf, cap);
    if (rc != SQLITE_OK) {
        PQclear(PQexec(pg, "ROLLBACK"));
        return rc;
    }
    *action = have == 0 ? 1 : 2;
    return SQLITE_OK;
}

/* See compat.h. */
int ls_compat_install(PGconn *pg, char *errbuf, size_t cap)
{
    return ls_compat_install_ex(pg, NULL, errbuf, cap);
}

/* Objects outside the schema that depend on something inside it (a column's collation, a
 * view's function call, a default), described by the server, comma separated.  A table's
 * constraint belongs to its table, a domain's to its type. */
static const char dependents[] =
    "WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = '" SCHEMA "'), "
    "inside AS ("
    " SELECT 'pg_proc'::regclass AS cls, oid FROM pg_proc WHERE pronamespace = (TABLE ns)"
    " UNION ALL SELECT 'pg_class'::regclass, oid FROM pg_class WHERE relnamespace = (TABLE ns)"
    " UNION ALL SELECT 'pg_type'::regclass, oid FROM pg_type WHERE typnamespace = (TABLE ns)"
    " UNION ALL SELECT 'pg_collation'::regclass, oid FROM pg_collation"
    "  WHERE collnamespace = (TABLE ns)), "
    "dep AS ("
    " SELECT d.classid, d.objid, d.objsubid,"
    "  CASE d.classid WHEN 'pg_rewrite'::regclass"
    "   THEN (SELECT ev_class FROM pg_rewrite WHERE oid = d.objid)"
    "   WHEN 'pg_attrdef'::regclass THEN (SELECT adrelid FROM pg_attrdef WHERE oid = d.objid)"
    "   WHEN 'pg_constraint'::regclass"
    "   THEN (SELECT conrelid FROM pg_constraint WHERE oid = d.objid)"
    "   WHEN 'pg_class'::regclass THEN d.objid END AS rel,"
    "  CASE d.classid WHEN 'pg_constraint'::regclass"   /* a domain's CHECK */
    "   THEN (SELECT contypid FROM pg_constraint WHERE oid = d.objid) END AS typ"
    " FROM pg_depend d JOIN inside i ON d.refclassid = i.cls AND d.refobjid = i.oid"
    " WHERE d.deptype = 'n') "
    "SELECT string_agg(DISTINCT pg_describe_object(classid, objid, objsubid), ', ') FROM dep"
    " WHERE NOT EXISTS (SELECT 1 FROM inside WHERE (cls = classid AND oid = objid)"
    "  OR (cls = 'pg_class'::regclass AND oid = rel) OR (cls = 'pg_type'::regclass AND oid = typ))";

/* See compat.h. */
int ls_compat_uninstall(PGconn *pg, char *errbuf, size_t cap)
{
    if (errbuf && cap)
        errbuf[0] = '\0';
    if (!ready(pg, errbuf, cap))
        return SQLITE_MISUSE;
    int rc = run(pg, "BEGIN", "BEGIN", errbuf, cap);
    if (rc != SQLITE_OK)
        return rc;
    rc = run(pg, "SELECT pg_advisory_xact_lock(" INSTALL_LOCK ")", "waiting for the install lock",
             errbuf, cap);
    if (rc == SQLITE_OK) {
        PGresult *r = PQexec(pg, dependents);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            rc = fail(pg, r, "listing dependent objects", errbuf, cap);
        } else if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
            say(errbuf, cap, "compat pack: not removed: objects outside schema " SCHEMA
                " use it: %s", PQgetvalue(r, 0, 0));
            rc = SQLITE_CONSTRAINT;
        }
        PQclear(r);
    }
    if (rc == SQLITE_OK)
        rc = run(pg, "DROP SCHEMA IF EXISTS " SCHEMA " CASCADE", "dropping schema " SCHEMA,
                 errbuf, cap);
    if (rc == SQLITE_OK)
        rc = run(pg, "COMMIT", "COMMIT", errbuf, cap);
    if (rc != SQLITE_OK)
        PQclear(PQexec(pg, "ROLLBACK"));
    return rc;
}
