/* SPDX-License-Identifier: MIT
 *
 * liteshift demo: the main job on a throwaway PostgreSQL, end to end, in one command.
 * It grows as the backend lands.  Today it:
 *   1. starts a private PostgreSQL (tests/pg/harness.sh) and shows that libpq reaches it;
 *   2. builds a small SQLite database with an app-like schema;
 *   3. runs the sqlite3 shell on it natively and through libliteshift.so in pass-through
 *      mode (USE_POSTGRES unset) and shows the outputs are byte-identical: the rollback path.
 * Exit 0 when every step worked, 1 otherwise.
 */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"

static int run_capture(const char *cmd, char *out, size_t cap)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    return pclose(p);
}

static int make_sample(const char *path)
{
    sqlite3 *db = NULL;
    unlink(path);
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "demo: cannot create %s: %s\n", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }
    const char *sql =
        "CREATE TABLE customers(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,"
        " email TEXT UNIQUE, created DATETIME DEFAULT (datetime('now')));"
        "CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES"
        " customers(id), amount REAL, paid BOOLEAN DEFAULT 0);"
        "INSERT INTO customers(name, email) VALUES ('Ada','ada@example.org'),"
        " ('Grace','grace@example.org'), ('Edsger', NULL);"
        "INSERT INTO orders(customer_id, amount, paid) VALUES (1, 19.99, 1), (1, 5.25, 0),"
        " (2, 120.0, 1);";
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fprintf(stderr, "demo: %s\n", err);
    sqlite3_free(err);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : 1;
}

int ls_cmd_demo(int argc, char **argv)
{
    const char *url = getenv("DATABASE_URL");
    if (!getenv("LS_DEMO_INSIDE")) {
        /* Re-run ourselves inside a throwaway server. */
        char self[4096];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0)
            return 1;
        self[n] = '\0';
        char cmd[8192];
        snprintf(cmd, sizeof cmd, "LS_DEMO_INSIDE=1 '%s/tests/pg/harness.sh' run -- '%s' demo",
                 ls_source_dir(), self);
        int rc = system(cmd);
        return rc == 0 ? 0 : 1;
    }
    printf("== 1. a throwaway PostgreSQL\n");
    PGconn *pg = PQconnectdb(url ? url : "");
    if (PQstatus(pg) != CONNECTION_OK) {
        fprintf(stderr, "demo: cannot connect: %s", PQerrorMessage(pg));
        PQfinish(pg);
        return 1;
    }
    printf("   connected: PostgreSQL %d.%d, database %s\n", PQserverVersion(pg) / 10000,
           PQserverVersion(pg) % 10000, PQdb(pg));
    PQfinish(pg);

    char dir[] = "/tmp/liteshift-demo.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char dbpath[4200];
    snprintf(dbpath, sizeof dbpath, "%s/shop.db", dir);
    printf("== 2. a SQLite app database: %s\n", dbpath);
    if (make_sample(dbpath))
        return 1;

    const char *shim = ls_shim_path();
    if (!shim) {
        fprintf(stderr, "demo: libliteshift.so not found\n");
        return 1;
    }
    const char *query = "select c.name, count(o.id), total(o.amount) from customers c left join"
                        " orders o on o.customer_id = c.id group by c.id order by c.id;";
    char cmd[9000], native[8192], shimmed[8192];
    snprintf(cmd, sizeof cmd, "sqlite3 -header -column '%s' \"%s\" 2>&1", dbpath, query);
    int rc1 = run_capture(cmd, native, sizeof native);
    snprintf(cmd, sizeof cmd, "env -u USE_POSTGRES LD_PRELOAD='%s' sqlite3 -header -column '%s' \"%s\" 2>&1",
             shim, dbpath, query);
    int rc2 = run_capture(cmd, shimmed, sizeof shimmed);
    printf("== 3. the sqlite3 shell, natively and through %s (USE_POSTGRES unset)\n%s", shim,
           native);
    int same = rc1 == 0 && rc2 == 0 && strcmp(native, shimmed) == 0;
    printf("   pass-through output %s the native output\n",
           same ? "is byte-identical to" : "DIFFERS from");
    printf("== next: the PostgreSQL backend (USE_POSTGRES=1) is not in this build yet;\n"
           "   this demo grows with it.\n");
    unlink(dbpath);
    rmdir(dir);
    return same ? 0 : 1;
}
