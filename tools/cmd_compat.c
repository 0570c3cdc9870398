/* SPDX-License-Identifier: MIT
 *
 * liteshift compat install|uninstall|status DATABASE_URL: manage the compat pack (compat/)
 * in a PostgreSQL database by hand.  The shim installs it by itself on first connect; this
 * is for an owner installing it for roles that may not, for removing it, and for checking.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "compat.h"

static const char usage[] =
    "usage: liteshift compat install|uninstall|status DATABASE_URL\n"
    "  install    create or upgrade the pack (schema liteshift) to this build's version\n"
    "  uninstall  drop schema liteshift with everything in it (recorded DDL text and the\n"
    "             persisted user_version/application_id included); refused while objects\n"
    "             outside it use it\n"
    "  status     print the installed version and this build's version\n";

int ls_cmd_compat(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "install") && strcmp(argv[1], "uninstall") &&
                      strcmp(argv[1], "status"))) {
        fputs(usage, stderr);
        return 2;
    }
    const char *keys[] = { "dbname", "application_name", NULL };
    const char *vals[] = { argv[2], "liteshift compat", NULL };
    PGconn *pg = PQconnectdbParams(keys, vals, 1);
    if (!pg || PQstatus(pg) != CONNECTION_OK) {
        fprintf(stderr, "liteshift compat: cannot connect: %s",
                pg ? PQerrorMessage(pg) : "out of memory\n");
        PQfinish(pg);
        return 1;
    }
    PQclear(PQexec(pg, "SET client_min_messages = warning"));   /* no cascade notices */
    char err[2048] = "";
    int rc, status = 0;
    if (strcmp(argv[1], "install") == 0) {
        int action = 0;
        rc = ls_compat_install_ex(pg, &action, err, sizeof err);
        if (rc == SQLITE_OK)
            printf("compat pack version %d %s in database %s\n", ls_compat_version(),
                   action == 1 ? "installed" : action == 2 ? "upgraded" : "already current",
                   PQdb(pg));
    } else if (strcmp(argv[1], "uninstall") == 0) {
        rc = ls_compat_uninstall(pg, err, sizeof err);
        if (rc == SQLITE_OK)
            printf("compat pack removed from database %s\n", PQdb(pg));
    } else {
        int v = 0;
        rc = ls_compat_installed(pg, &v, err, sizeof err);
        if (rc == SQLITE_OK) {
            printf("database %s: installed version %d, this build %d (%s)\n", PQdb(pg), v,
                   ls_compat_version(),
                   v == 0 ? "not installed" : v < ls_compat_version() ? "older: install upgrades"
                   : v == ls_compat_version() ? "current" : "newer than this build");
        }
    }
    if (rc != SQLITE_OK) {
        fprintf(stderr, "liteshift compat %s: %s\n", argv[1], err);
        status = 1;
    }
    PQfinish(pg);
    return status;
}
