/* SPDX-License-Identifier: MIT
 *
 * last_insert_rowid(), changes() and total_changes() after runs of pipelined writes
 * (LITESHIFT_PIPELINE=1, shim/pg_pipe.c), compared with SQLite: pipeline_rowid.sh runs this
 * program on SQLite and on PostgreSQL through the shim in pipelined mode and compares the
 * transcripts.  Every statement is prepared once and run several times inside explicit
 * transactions, so that on PostgreSQL its later runs are pipelined, and the counters are read
 * only at the end of each run of writes (reading them after each write would wait for each).
 * The runs mix what can leave the rowid of an earlier insert as the answer: INSERT OR IGNORE
 * and ON CONFLICT DO NOTHING that ignored a row, a BEFORE trigger that skips rows
 * (RAISE(IGNORE)), an AFTER trigger inserting into another table, inserts into different
 * tables, multi-row VALUES, INSERT ... SELECT of no row, VALUES ... EXCEPT that took the row
 * away, REPLACE, UPDATE and DELETE between
 * inserts, last_insert_rowid() in SQL and sqlite3_set_last_insert_rowid().
 * Explicit ids wherever a row may be ignored or skipped: PostgreSQL's sequences are not
 * SQLite's max(rowid)+1 when a row took a number and was then not inserted.
 *   pipeline_rowid DBFILE     prints the transcript; exit 0 unless a call failed
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;
/* On SQLite total_changes() counts the rows the AFTER trigger inserts into alog; on
 * PostgreSQL the shim does not see what a PL/pgSQL trigger does.  Not this test's subject:
 * the SQLite run subtracts them. */
static bool on_sqlite;

static void die(const char *what)
{
    printf("FAIL %s: %d %s\n", what, sqlite3_extended_errcode(db), sqlite3_errmsg(db));
    exit(1);
}

static void exec(const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        printf("FAIL exec %s: %s\n", sql, err ? err : "");
        exit(1);
    }
}

static sqlite3_stmt *prep(const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(sql);
    return st;
}

/* Run st with its first n of four integer parameters; it must succeed. */
static void run(sqlite3_stmt *st, int n, long long a, long long b, long long c, long long d)
{
    long long v[4] = { a, b, c, d };
    for (int i = 0; i < n; i++)
        sqlite3_bind_int64(st, i + 1, v[i]);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        die(sqlite3_sql(st));
}

static long long scalar(const char *sql)
{
    sqlite3_stmt *st = prep(sql);
    if (sqlite3_step(st) != SQLITE_ROW)
        die(sql);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Rows the AFTER trigger inserted, counted by SQLite's total_changes() only. */
static long long trigger_rows(void)
{
    return on_sqlite ? scalar("SELECT count(*) FROM alog") : 0;
}

/* The counters, read here only (before any other statement, which would read them). */
static void show(const char *label)
{
    long long rowid = sqlite3_last_insert_rowid(db);
    int changes = sqlite3_changes(db);
    int total = sqlite3_total_changes(db);
    printf("%-44s rowid %lld changes %d total %lld\n", label, rowid, changes,
           total - trigger_rows());
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        printf("usage: pipeline_rowid DBFILE\n");
        return 2;
    }
    if (sqlite3_open(argv[1], &db) != SQLITE_OK)
        die("open");
    exec("DROP TABLE IF EXISTS a; DROP TABLE IF EXISTS b; DROP TABLE IF EXISTS t;"
         " DROP TABLE IF EXISTS alog; DROP TABLE IF EXISTS w;"
         "CREATE TABLE a(id INTEGER PRIMARY KEY, u INTEGER UNIQUE NOT NULL);"
         "CREATE TABLE b(id INTEGER PRIMARY KEY, v INTEGER NOT NULL);"
         "CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER NOT NULL);"
         "CREATE TABLE alog(id INTEGER PRIMARY KEY, bid INTEGER NOT NULL);"
         "CREATE TABLE w(id INTEGER PRIMARY KEY, x INTEGER NOT NULL)");
    /* the triggers: the shim does not translate CREATE TRIGGER yet, so on PostgreSQL the
     * script given creates their PL/pgSQL twins (pipeline_rowid.sh) */
    const char *pg_triggers = getenv("PIPELINE_ROWID_PG_TRIGGERS");
    on_sqlite = !pg_triggers;
    if (pg_triggers) {
        if (system(pg_triggers) != 0) {
            printf("FAIL %s\n", pg_triggers);
            return 1;
        }
    } else {
        exec("CREATE TRIGGER t_skip BEFORE INSERT ON t WHEN NEW.x < 0"
             " BEGIN SELECT RAISE(IGNORE); END;"
             "CREATE TRIGGER b_log AFTER INSERT ON b"
             " BEGIN INSERT INTO alog(bid) VALUES (NEW.id); END;");
    }
    sqlite3_stmt *ins_a = prep("INSERT INTO a(id, u) VALUES (?, ?)");
    sqlite3_stmt *ign_a = prep("INSERT OR IGNORE INTO a(id, u) VALUES (?, ?)");
    sqlite3_stmt *dn_a = prep("INSERT INTO a(id, u) VALUES (?, ?) ON CONFLICT DO NOTHING");
    sqlite3_stmt *rep_a = prep("REPLACE INTO a(id, u) VALUES (?, ?)");
    sqlite3_stmt *two_a = prep("INSERT INTO a(id, u) VALUES (?, ?), (?, ?)");
    sqlite3_stmt *sel_a = prep("INSERT INTO a(id, u) SELECT id + 100000, v + 100000 FROM b WHERE v = ?");
    sqlite3_stmt *exc_a = prep("INSERT INTO a(id, u)"
                               " VALUES (CAST(? AS INTEGER), CAST(? AS INTEGER))"
                               " EXCEPT SELECT CAST(? AS INTEGER), CAST(? AS INTEGER)");
    sqlite3_stmt *ins_b = prep("INSERT INTO b(v) VALUES (?)");
    sqlite3_stmt *ins_t = prep("INSERT INTO t(id, x) VALUES (?, ?)");
    sqlite3_stmt *upd_a = prep("UPDATE a SET u = u + 1000000 WHERE id >= ? AND id < ?");
    sqlite3_stmt *del_b = prep("DELETE FROM b WHERE v = ?");
    sqlite3_stmt *ins_w = prep("INSERT INTO w(id, x) VALUES (?, ?)");

    /* every statement's first run (on PostgreSQL: waited for, prepared on the server) and
     * the next ones, pipelined: at the ninth the shim asks the server about an INSERT,
     * reading every pending result first, which the runs below must not depend on */
    exec("BEGIN");
    for (int k = 0; k < 10; k++) {
        run(ins_a, 2, 1 + 20 * k, 1 + 20 * k, 0, 0);
        run(ign_a, 2, 2 + 20 * k, 2 + 20 * k, 0, 0);
        run(dn_a, 2, 3 + 20 * k, 3 + 20 * k, 0, 0);
        run(rep_a, 2, 4 + 20 * k, 4 + 20 * k, 0, 0);
        run(two_a, 4, 5 + 20 * k, 5 + 20 * k, 6 + 20 * k, 6 + 20 * k);
        run(sel_a, 1, -1, 0, 0, 0);
        run(exc_a, 4, 9 + 20 * k, 9 + 20 * k, 9 + 20 * k, 9 + 20 * k);
        run(ins_b, 1, 7 + k, 0, 0, 0);
        run(ins_t, 2, 8 + 20 * k, 8, 0, 0);
        run(upd_a, 2, 0, 0, 0, 0);
        run(del_b, 1, -1, 0, 0, 0);
    }
    exec("COMMIT");
    show("first runs");

    exec("BEGIN");
    for (int i = 0; i < 300; i++)
        run(ins_a, 2, 1000 + i, 1000 + i, 0, 0);
    show("300 inserts");
    run(ins_a, 2, 1300, 1300, 0, 0);
    run(ins_a, 2, 1301, 1301, 0, 0);
    run(ign_a, 2, 1302, 1300, 0, 0); /* u conflicts: ignored */
    show("inserts, then OR IGNORE ignored");
    run(ins_a, 2, 1303, 1303, 0, 0);
    run(ign_a, 2, 1304, 1304, 0, 0); /* inserted */
    show("insert, then OR IGNORE inserted");
    run(ins_a, 2, 1305, 1305, 0, 0);
    run(ign_a, 2, 1306, 1305, 0, 0); /* ignored */
    run(ign_a, 2, 1307, 1301, 0, 0); /* ignored */
    show("insert, then two ignored");
    run(ign_a, 2, 1308, 1308, 0, 0); /* inserted */
    run(ins_a, 2, 1309, 1309, 0, 0);
    run(ign_a, 2, 1310, 1310, 0, 0); /* inserted */
    run(ign_a, 2, 1311, 1309, 0, 0); /* ignored */
    show("OR IGNORE in and out");
    run(ins_a, 2, 1312, 1312, 0, 0);
    run(dn_a, 2, 1313, 1312, 0, 0); /* ignored */
    show("insert, then ON CONFLICT DO NOTHING ignored");
    run(dn_a, 2, 1314, 1314, 0, 0);
    show("ON CONFLICT DO NOTHING inserted");
    exec("COMMIT");

    exec("BEGIN");
    run(ins_a, 2, 2000, 2000, 0, 0);
    run(ins_t, 2, 2001, -1, 0, 0); /* skipped by the trigger */
    show("insert, then a row skipped by a trigger");
    run(ins_t, 2, 2002, 5, 0, 0);
    run(ins_t, 2, 2003, -5, 0, 0); /* skipped */
    run(ins_t, 2, 2004, -6, 0, 0); /* skipped */
    show("trigger table: kept, then two skipped");
    run(ins_t, 2, 2005, 6, 0, 0);
    run(ins_t, 2, 2006, 7, 0, 0);
    show("trigger table: two kept");
    exec("COMMIT");

    exec("BEGIN");
    for (int i = 0; i < 5; i++)
        run(ins_b, 1, 100 + i, 0, 0, 0);
    show("inserts with an AFTER INSERT trigger");
    run(ins_b, 1, 200, 0, 0, 0);
    run(ins_a, 2, 3000, 3000, 0, 0);
    show("table b, then table a");
    run(ins_a, 2, 3001, 3001, 0, 0);
    run(ins_b, 1, 201, 0, 0, 0);
    show("table a, then table b");
    run(ins_b, 1, 202, 0, 0, 0);
    run(ins_t, 2, 3002, 9, 0, 0);
    run(ins_a, 2, 3003, 3003, 0, 0);
    run(ins_b, 1, 203, 0, 0, 0);
    run(ins_t, 2, 3004, -9, 0, 0); /* skipped */
    show("b, t, a, b, then t skipped");
    exec("COMMIT");

    exec("BEGIN");
    run(ins_a, 2, 4000, 4000, 0, 0);
    run(two_a, 4, 4001, 4001, 4002, 4002);
    show("two rows in one insert");
    run(two_a, 4, 4003, 4003, 4004, 4004);
    run(ins_a, 2, 4005, 4005, 0, 0);
    show("then one row");
    run(ins_a, 2, 4006, 4006, 0, 0);
    run(sel_a, 1, -7, 0, 0, 0); /* selects no row */
    show("insert, then INSERT ... SELECT of nothing");
    run(sel_a, 1, 100, 0, 0, 0); /* one row */
    show("INSERT ... SELECT of one row");
    run(ins_a, 2, 4010, 4010, 0, 0);
    run(exc_a, 4, 4011, 4011, 4011, 4011); /* VALUES EXCEPT the same row: nothing */
    show("insert, then VALUES ... EXCEPT of nothing");
    run(exc_a, 4, 4012, 4012, 0, 0); /* one row */
    show("VALUES ... EXCEPT of one row");
    run(ins_a, 2, 4007, 4007, 0, 0);
    run(rep_a, 2, 4007, 4107, 0, 0); /* replaces 4007 */
    show("insert, then REPLACE of it");
    run(rep_a, 2, 4008, 4108, 0, 0); /* new */
    run(ins_a, 2, 4009, 4009, 0, 0);
    show("REPLACE new, then insert");
    exec("COMMIT");

    exec("BEGIN");
    run(ins_a, 2, 5000, 5000, 0, 0);
    run(upd_a, 2, 1000, 1010, 0, 0);
    show("insert, then UPDATE of 10 rows");
    run(ins_a, 2, 5001, 5001, 0, 0);
    run(ins_a, 2, 5002, 5002, 0, 0);
    run(del_b, 1, 100, 0, 0, 0);
    show("inserts, then DELETE of one row");
    run(ins_a, 2, 5003, 5003, 0, 0);
    run(upd_a, 2, 1, 0, 0, 0); /* no row */
    run(ins_a, 2, 5004, 5004, 0, 0);
    show("insert, UPDATE of nothing, insert");
    run(ins_a, 2, 5005, 5005, 0, 0);
    run(ins_a, 2, 5006, 5006, 0, 0);
    printf("%-44s %lld\n", "last_insert_rowid() in SQL", scalar("SELECT last_insert_rowid()"));
    run(ins_a, 2, 5007, 5007, 0, 0);
    run(ins_a, 2, 5008, 5008, 0, 0);
    long long both = scalar("SELECT changes() * 1000000 + total_changes()");
    printf("%-44s %lld\n", "changes(), total_changes() in SQL", both - trigger_rows());
    run(ins_a, 2, 5009, 5009, 0, 0);
    run(ins_a, 2, 5010, 5010, 0, 0);
    sqlite3_set_last_insert_rowid(db, 42);
    show("inserts, then set_last_insert_rowid(42)");
    run(ins_a, 2, 5011, 5011, 0, 0);
    run(ign_a, 2, 5012, 5011, 0, 0); /* ignored */
    exec("COMMIT");
    show("insert, OR IGNORE ignored, COMMIT");

    /* a run of inserts left for COMMIT to read */
    exec("BEGIN");
    for (int i = 0; i < 50; i++)
        run(ins_a, 2, 6000 + i, 6000 + i, 0, 0);
    run(ign_a, 2, 6050, 6000, 0, 0); /* ignored */
    exec("COMMIT");
    show("50 inserts and an ignored one, COMMIT");

    /* w is sure to insert until another connection gives it a trigger that skips rows,
     * between two transactions of this one: the verdict must not outlive it */
    exec("BEGIN");
    for (int i = 0; i < 20; i++)
        run(ins_w, 2, 1 + i, 1 + i, 0, 0);
    exec("COMMIT");
    show("w: 20 inserts, no trigger yet");
    const char *late = getenv("PIPELINE_ROWID_PG_LATE_TRIGGER");
    if (late) {
        if (system(late) != 0) {
            printf("FAIL %s\n", late);
            return 1;
        }
    } else {
        sqlite3 *other;
        if (sqlite3_open(argv[1], &other) != SQLITE_OK ||
            sqlite3_exec(other, "CREATE TRIGGER w_skip BEFORE INSERT ON w WHEN NEW.x < 0"
                                " BEGIN SELECT RAISE(IGNORE); END", NULL, NULL, NULL) != SQLITE_OK)
            die("the other connection's trigger");
        sqlite3_close(other);
    }
    exec("BEGIN");
    for (int i = 0; i < 20; i++)
        run(ins_w, 2, 100 + i, 5, 0, 0);
    run(ins_w, 2, 200, 5, 0, 0);
    run(ins_w, 2, 201, -1, 0, 0); /* skipped by the new trigger */
    show("w: insert, then skipped by a late trigger");
    exec("COMMIT");

    printf("%-44s %lld %lld %lld %lld\n", "rows a, b, t, alog", scalar("SELECT count(*) FROM a"),
           scalar("SELECT count(*) FROM b"), scalar("SELECT count(*) FROM t"),
           scalar("SELECT count(*) FROM alog"));
    printf("%-44s %lld %lld\n", "sums a", scalar("SELECT sum(id) FROM a"),
           scalar("SELECT sum(u) FROM a"));
    sqlite3_stmt *all[] = { ins_a, ign_a, dn_a, rep_a, two_a, sel_a, exc_a, ins_b, ins_t, upd_a,
                            del_b, ins_w };
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        sqlite3_finalize(all[i]);
    if (sqlite3_close(db) != SQLITE_OK)
        die("close");
    return 0;
}
