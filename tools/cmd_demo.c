/* SPDX-License-Identifier: MIT
 *
 * liteshift demo: the main job on a throwaway PostgreSQL, end to end, in one command:
 *   1. starts a private PostgreSQL (tests/pg/harness.sh), removed on exit;
 *   2. builds a small SQLite app database (AUTOINCREMENT, DEFAULT datetime('now'), REAL,
 *      BOOLEAN, a foreign key);
 *   3. copies it into PostgreSQL and verifies the copy value by value (liteshift copy);
 *   4. runs the same queries with the sqlite3 shell on the file and, through the shim with
 *      USE_POSTGRES=1, on PostgreSQL, and shows the outputs are identical;
 *   5. writes on PostgreSQL through the shim (the app after cutover);
 *   6. rolls back: copies PostgreSQL back into a new SQLite file and shows the shell, with
 *      USE_POSTGRES unset, sees the rows written on PostgreSQL.
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

/* Run cmd through the shell, print its output indented, return its exit status. */
static int step(const char *cmd, char *out, size_t cap)
{
    int rc = run_capture(cmd, out, cap);
    for (char *line = out; *line;) {
        char *nl = strchr(line, '\n');
        printf("   | %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
        line = nl ? nl + 1 : line + strlen(line);
    }
    return rc;
}

int ls_cmd_demo(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const char *url = getenv("DATABASE_URL");
    char self[4096];
    ssize_t sn = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sn <= 0)
        return 1;
    self[sn] = '\0';
    if (!getenv("LS_DEMO_INSIDE")) {
        /* Re-run ourselves inside a throwaway server. */
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
    char dbpath[4200], backpath[4200];
    snprintf(dbpath, sizeof dbpath, "%s/shop.db", dir);
    snprintf(backpath, sizeof backpath, "%s/shop-back.db", dir);
    printf("== 2. a SQLite app database: %s\n", dbpath);
    if (make_sample(dbpath))
        return 1;
    const char *shim = ls_shim_path();
    if (!shim) {
        fprintf(stderr, "demo: libliteshift.so not found\n");
        return 1;
    }
    static char out1[65536], out2[65536];
    char cmd[16384];
    int ok = 1;

    printf("== 3. copy it into PostgreSQL, verified value by value\n");
    printf("   $ liteshift copy shop.db $DATABASE_URL\n");
    snprintf(cmd, sizeof cmd, "'%s' copy --quiet --report '%s/report.json' '%s' \"$DATABASE_URL\" 2>&1 "
             "&& echo copied and verified", self, dir, dbpath);
    ok &= step(cmd, out1, sizeof out1) == 0;

    const char *query =
        "select c.name, count(o.id) as orders, total(o.amount) as total, sum(o.paid) as paid"
        " from customers c left join orders o on o.customer_id = c.id"
        " group by c.id order by c.id;";
    printf("== 4. the same query on the SQLite file and, through the shim, on PostgreSQL\n");
    printf("   $ sqlite3 shop.db \"%s\"\n", query);
    snprintf(cmd, sizeof cmd, "env -u USE_POSTGRES sqlite3 -header -column '%s' \"%s\" 2>&1",
             dbpath, query);
    ok &= step(cmd, out1, sizeof out1) == 0;
    printf("   $ USE_POSTGRES=1 LD_PRELOAD=libliteshift.so sqlite3 shop.db \"...\"\n");
    snprintf(cmd, sizeof cmd, "USE_POSTGRES=1 LD_PRELOAD='%s' sqlite3 -header -column '%s' \"%s\" 2>&1",
             shim, dbpath, query);
    ok &= step(cmd, out2, sizeof out2) == 0;
    int same = strcmp(out1, out2) == 0;
    printf("   the outputs are %s\n", same ? "identical" : "DIFFERENT");
    ok &= same;

    printf("== 5. the app after cutover writes on PostgreSQL (AUTOINCREMENT continues)\n");
    const char *write =
        "insert into customers(name, email) values ('Barbara', 'barbara@example.org');"
        " insert into orders(customer_id, amount, paid)"
        " select id, 42.5, 1 from customers where name = 'Barbara';"
        " select id, name from customers order by id;";
    snprintf(cmd, sizeof cmd, "USE_POSTGRES=1 LD_PRELOAD='%s' sqlite3 '%s' \"%s\" 2>&1", shim,
             dbpath, write);
    ok &= step(cmd, out1, sizeof out1) == 0;

    printf("== 6. roll back: copy PostgreSQL into a new SQLite file, unset USE_POSTGRES\n");
    printf("   $ liteshift copy $DATABASE_URL shop-back.db\n");
    snprintf(cmd, sizeof cmd, "'%s' copy --quiet \"$DATABASE_URL\" '%s' 2>&1 "
             "&& echo copied back and verified", self, backpath);
    ok &= step(cmd, out1, sizeof out1) == 0;
    snprintf(cmd, sizeof cmd, "env -u USE_POSTGRES sqlite3 -header -column '%s' \"%s\" 2>&1",
             backpath, query);
    printf("   $ sqlite3 shop-back.db \"...\"   (USE_POSTGRES unset: plain SQLite)\n");
    ok &= step(cmd, out1, sizeof out1) == 0;
    snprintf(cmd, sizeof cmd, "USE_POSTGRES=1 LD_PRELOAD='%s' sqlite3 -header -column '%s' \"%s\" 2>&1",
             shim, dbpath, query);
    ok &= run_capture(cmd, out2, sizeof out2) == 0;
    same = strcmp(out1, out2) == 0 && strstr(out1, "Barbara") != NULL;
    printf("   the rolled-back file %s what PostgreSQL holds, the row written after cutover "
           "included\n", same ? "shows exactly" : "DOES NOT show");
    ok &= same;

    unlink(dbpath);
    unlink(backpath);
    char rep[4300];
    snprintf(rep, sizeof rep, "%s/report.json", dir);
    unlink(rep);
    rmdir(dir);
    printf("== %s\n", ok ? "demo complete: copy, run on PostgreSQL, roll back: nothing lost"
                         : "demo FAILED (see above)");
    return ok ? 0 : 1;
}
