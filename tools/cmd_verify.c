/* SPDX-License-Identifier: MIT
 *
 * liteshift verify SRC.db DATABASE_URL (or SRC.db OTHER.db): value-by-value comparison of a
 * SQLite file with the PostgreSQL schema a copy wrote, or with another SQLite file (the round
 * trip), by tools/copy/copy_verify.c.  Prints the first difference per table (table, rowid,
 * column, both values), a summary table, and with --report a JSON file.
 * Exit status: 0 equal, 1 a difference or an error, 2 usage.
 */
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "copy/copy.h"

int ls_copy_parse(int argc, char **argv, ls_copy_opts *o, const char **pos, int max_pos,
                  const char *cmd);
bool ls_is_pg_url(const char *s);

static const char verify_usage[] =
    "usage: liteshift verify [--schema NAME] [--include T] [--exclude T] [--report FILE.json]\n"
    "                        [--quiet] SRC.db DATABASE_URL|OTHER.db\n"
    "Row counts, an order-independent checksum and a value-by-value comparison per table\n"
    "(rowid order), identity sequences ahead of the keys and of sqlite_sequence, foreign keys\n"
    "validated.  Exit status: 0 equal, 1 different or failed, 2 usage.\n";

static sqlite3 *open_ro(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK
        || sqlite3_exec(db, "BEGIN; SELECT count(*) FROM sqlite_master", NULL, NULL, NULL)
           != SQLITE_OK) {
        fprintf(stderr, "liteshift verify: cannot read %s: %s\n", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

int ls_cmd_verify(int argc, char **argv)
{
    ls_copy_opts o;
    const char *pos[2];
    int r = ls_copy_parse(argc, argv, &o, pos, 2, "verify");
    if (r == -2) {
        fputs(verify_usage, stdout);
        return 0;
    }
    if (r < 0) {
        fputs(verify_usage, stderr);
        return 2;
    }
    o.src = pos[0];
    o.dst = pos[1];
    if (ls_is_pg_url(o.src)) {
        fprintf(stderr, "liteshift verify: the first argument is the SQLite file\n");
        return 2;
    }
    sqlite3 *db = open_ro(o.src);
    if (!db)
        return 1;
    ls_verify_result res;
    int rc;
    if (ls_is_pg_url(o.dst)) {
        PGconn *pg = ls_pg_open(o.dst);
        if (!pg) {
            sqlite3_close(db);
            return 1;
        }
        ls_pg_exec(pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "BEGIN");
        rc = ls_verify_run(&o, db, pg, &res);
        PQfinish(pg);
    } else {
        sqlite3 *other = open_ro(o.dst);
        if (!other) {
            sqlite3_close(db);
            return 1;
        }
        rc = ls_verify_sqlite_pair(&o, db, other, &res);
        sqlite3_close(other);
    }
    sqlite3_close(db);
    if (!o.quiet) {
        fprintf(stderr, "%-32s %12s %12s %18s  %s\n", "table", "rows source", "rows target",
                "checksum", "result");
        for (size_t i = 0; i < res.n_tables; i++)
            fprintf(stderr, "%-32.32s %12lld %12lld %018llx  %s\n", res.tables[i].name,
                    res.tables[i].rows_src, res.tables[i].rows_dst,
                    (unsigned long long)res.tables[i].sum_src,
                    res.tables[i].ok ? "ok" : "DIFFERENT");
        fprintf(stderr, "verify: %s (%zu tables)\n", rc ? "DIFFERENCES FOUND" : "identical",
                res.n_tables);
    }
    if (o.report) {
        ls_cb b = {0};
        ls_cb_str(&b, "{\"command\":\"verify\",\"result\":");
        ls_verify_json(&b, &res);
        ls_cb_str(&b, "}\n");
        FILE *f = fopen(o.report, "w");
        if (!f || b.oom || fwrite(b.p, 1, b.len, f) != b.len || fclose(f) != 0) {
            fprintf(stderr, "liteshift verify: cannot write %s\n", o.report);
            rc = 1;
        }
        ls_cb_free(&b);
    }
    ls_verify_result_clear(&res);
    return rc ? 1 : 0;
}
