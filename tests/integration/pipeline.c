/* SPDX-License-Identifier: MIT
 *
 * LITESHIFT_PIPELINE=1 (issue 7; semantics in docs/benchmarks.md and shim/pg_pipe.c), on
 * PostgreSQL through the shim.  The opt-in mode deviates from SQLite on purpose: a failing
 * pipelined write is reported late and dooms its transaction.  Checked here:
 *   1. bulk: 3,000 inserts in a transaction are all committed, in far fewer round trips
 *      than statements (pipeline.sh reads the count from the shim's log);
 *   2. changes() and last_insert_rowid() stay exact after pipelined writes;
 *   3. a statement's first execution is not pipelined: its failure is SQLite's (the
 *      statement fails at once, the transaction goes on);
 *   4. a failing pipelined write: the next statement returns its error (code and message),
 *      COMMIT returns it too and rolls back, nothing of the transaction is committed;
 *   5. ROLLBACK of a doomed transaction succeeds; the next transaction works;
 *   6. a failure found by changes() is reported by COMMIT;
 *   7. a statement whose result is waited for, already prepared, runs without the savepoint
 *      too: its failure is reported at once and dooms the transaction;
 *   8. more writes than results left unread (4,096): all committed, last_insert_rowid
 *      exact; a failure among the first ones is reported while the transaction is still
 *      being sent, one among the last ones by COMMIT; nothing of either is committed.
 *   pipeline DBFILE       exit 0 when every outcome is right (the reason on stdout otherwise)
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static sqlite3 *db;

#define CHECK(cond, what)                                                                  \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            printf("FAIL line %d: %s (%d: %s)\n", __LINE__, what,                          \
                   sqlite3_extended_errcode(db), sqlite3_errmsg(db));                      \
            return 1;                                                                      \
        }                                                                                  \
    } while (0)

static int exec(const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) & 0xff;
}

static long long scalar(const char *sql)
{
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Insert (u) with a prepared statement; returns the step's primary code (the shim's step
 * returns extended codes where SQLite returns primary ones: not what this test is about). */
static int insert(sqlite3_stmt *ins, long long u)
{
    sqlite3_bind_int64(ins, 1, u);
    int rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    return rc & 0xff;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: pipeline DBFILE\n");
        return 2;
    }
    CHECK(sqlite3_open(argv[1], &db) == SQLITE_OK, "open");
    CHECK(exec("DROP TABLE IF EXISTS p") == SQLITE_OK, "drop");
    CHECK(exec("CREATE TABLE p(id INTEGER PRIMARY KEY, u INTEGER UNIQUE NOT NULL)") == SQLITE_OK,
          "create");
    sqlite3_stmt *ins;
    CHECK(sqlite3_prepare_v2(db, "INSERT INTO p(u) VALUES (?)", -1, &ins, NULL) == SQLITE_OK,
          "prepare");

    /* 1. bulk */
    CHECK(exec("BEGIN") == SQLITE_OK, "begin");
    for (int i = 1; i <= 3000; i++)
        CHECK(insert(ins, i) == SQLITE_DONE, "bulk insert");
    CHECK(exec("COMMIT") == SQLITE_OK, "commit");
    CHECK(scalar("SELECT count(*) FROM p") == 3000, "3000 rows committed");
    CHECK(scalar("SELECT sum(u) FROM p") == 3000LL * 3001 / 2, "the rows' values");

    /* 2. changes() and last_insert_rowid() */
    CHECK(exec("BEGIN") == SQLITE_OK, "begin 2");
    CHECK(insert(ins, 3001) == SQLITE_DONE, "insert 3001");
    CHECK(sqlite3_last_insert_rowid(db) == 3001, "last_insert_rowid after a pipelined insert");
    CHECK(insert(ins, 3002) == SQLITE_DONE && insert(ins, 3003) == SQLITE_DONE, "inserts");
    CHECK(sqlite3_last_insert_rowid(db) == 3003, "last_insert_rowid after two more");
    sqlite3_stmt *upd;
    CHECK(sqlite3_prepare_v2(db, "UPDATE p SET u = u + 100000 WHERE u <= ?", -1, &upd, NULL) ==
              SQLITE_OK, "prepare update");
    sqlite3_bind_int64(upd, 1, 0);
    CHECK(sqlite3_step(upd) == SQLITE_DONE, "update (first run, waited)");
    sqlite3_reset(upd);
    CHECK(sqlite3_changes(db) == 0, "changes() of an update of no row");
    sqlite3_bind_int64(upd, 1, 10);
    CHECK(sqlite3_step(upd) == SQLITE_DONE, "update (pipelined)");
    sqlite3_reset(upd);
    CHECK(sqlite3_changes(db) == 10, "changes() after a pipelined update of 10 rows");
    int total = sqlite3_total_changes(db);
    CHECK(exec("COMMIT") == SQLITE_OK, "commit 2");
    CHECK(total >= 3013, "total_changes");

    /* 3. first execution: SQLite's semantics */
    CHECK(exec("BEGIN") == SQLITE_OK, "begin 3");
    sqlite3_stmt *ins2;
    CHECK(sqlite3_prepare_v2(db, "INSERT INTO p(u) VALUES (?1)", -1, &ins2, NULL) == SQLITE_OK,
          "prepare 2");
    CHECK(insert(ins2, 23) == SQLITE_CONSTRAINT, "a duplicate on a first execution fails at once");
    CHECK(sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE, "UNIQUE code");
    CHECK(insert(ins2, 4000) == SQLITE_DONE, "the transaction goes on");
    CHECK(exec("COMMIT") == SQLITE_OK, "commit 3");
    CHECK(scalar("SELECT count(*) FROM p WHERE u = 4000") == 1, "the row after the failure");

    /* 4. a failing pipelined write */
    CHECK(exec("BEGIN") == SQLITE_OK, "begin 4");
    CHECK(insert(ins, 5000) == SQLITE_DONE, "insert 5000");
    CHECK(insert(ins, 20) == SQLITE_DONE, "a pipelined duplicate is not waited for");
    CHECK(insert(ins, 5001) == SQLITE_DONE, "insert 5001");
    sqlite3_stmt *cnt;
    CHECK(sqlite3_prepare_v2(db, "SELECT count(*) FROM p", -1, &cnt, NULL) == SQLITE_OK,
          "prepare count");
    CHECK((sqlite3_step(cnt) & 0xff) == SQLITE_CONSTRAINT, "the next statement reports the failure");
    sqlite3_reset(cnt);
    CHECK(sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE, "with its code");
    CHECK(strstr(sqlite3_errmsg(db), "UNIQUE constraint failed") != NULL, "and its message");
    CHECK(sqlite3_get_autocommit(db) == 0, "the transaction is still open for the app");
    CHECK(insert(ins, 5002) == SQLITE_CONSTRAINT, "later statements report it too");
    CHECK(exec("COMMIT") == SQLITE_CONSTRAINT, "COMMIT reports it");
    CHECK(sqlite3_get_autocommit(db) == 1, "COMMIT ended the transaction");
    CHECK(scalar("SELECT count(*) FROM p WHERE u >= 5000 AND u < 10000") == 0, "nothing of it committed");

    /* 5. ROLLBACK of a doomed transaction */
    CHECK(exec("BEGIN") == SQLITE_OK, "begin 5");
    CHECK(insert(ins, 6000) == SQLITE_DONE && insert(ins, 21) == SQLITE_DONE, "doom it");
    CHECK(exec("ROLLBACK") == SQLITE_OK, "ROLLBACK succeeds");
    CHECK(exec("BEGIN") == SQLITE_OK, "begin 5b");
    CHECK(insert(ins, 6001) == SQLITE_DONE, "insert 6001");
    CHECK(exec("COMMIT") == SQLITE_OK, "the next transaction commits");
    CHECK(scalar("SELECT count(*) FROM p WHERE u >= 6000 AND u < 10000") == 1, "only its row");

    /* 6. a failure found by changes() */
    CHECK(exec("BEGIN") == SQLITE_OK, "begin 6");
    CHECK(insert(ins, 6500) == SQLITE_DONE, "the first write (waited: it takes the write lock)");
    CHECK(insert(ins, 22) == SQLITE_DONE, "a pipelined duplicate");
    CHECK(sqlite3_changes(db) == 0, "changes() of the failed write");
    CHECK(exec("COMMIT") == SQLITE_CONSTRAINT, "COMMIT reports it");
    CHECK(sqlite3_get_autocommit(db) == 1, "and ends the transaction");

    /* 7. a statement whose result is waited for (RETURNING), already prepared on the server,
     * also runs without a savepoint: its failure is reported at once and dooms the
     * transaction; its first execution keeps SQLite's semantics (case 3) */
    sqlite3_stmt *insr;
    CHECK(sqlite3_prepare_v2(db, "INSERT INTO p(u) VALUES (?) RETURNING u", -1, &insr, NULL) ==
              SQLITE_OK, "prepare returning");
    CHECK(exec("BEGIN") == SQLITE_OK, "begin 7");
    sqlite3_bind_int64(insr, 1, 24);
    CHECK(sqlite3_step(insr) != SQLITE_ROW, "a duplicate on the first execution fails");
    sqlite3_reset(insr);
    CHECK(sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE, "UNIQUE code (first)");
    sqlite3_bind_int64(insr, 1, 7000);
    CHECK(sqlite3_step(insr) == SQLITE_ROW && sqlite3_column_int64(insr, 0) == 7000,
          "the transaction went on");
    sqlite3_reset(insr);
    sqlite3_bind_int64(insr, 1, 25);
    CHECK((sqlite3_step(insr) & 0xff) == SQLITE_CONSTRAINT, "a later duplicate fails at once");
    sqlite3_reset(insr);
    CHECK(sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE, "UNIQUE code (later)");
    CHECK((sqlite3_step(cnt) & 0xff) == SQLITE_CONSTRAINT, "and dooms the transaction");
    sqlite3_reset(cnt);
    CHECK(exec("COMMIT") == SQLITE_CONSTRAINT, "COMMIT reports it");
    CHECK(sqlite3_get_autocommit(db) == 1, "COMMIT ended the transaction");
    CHECK(scalar("SELECT count(*) FROM p WHERE u = 7000") == 0, "nothing of it committed");
    CHECK(exec("BEGIN") == SQLITE_OK, "begin 7b");
    sqlite3_bind_int64(insr, 1, 7001);
    CHECK(sqlite3_step(insr) == SQLITE_ROW, "the next transaction works");
    sqlite3_reset(insr);
    CHECK(exec("COMMIT") == SQLITE_OK, "commit 7b");
    CHECK(scalar("SELECT count(*) FROM p WHERE u = 7001") == 1, "its row");
    sqlite3_finalize(insr);

    /* 8. past the bound of results left unread */
    CHECK(exec("BEGIN") == SQLITE_OK, "begin 8");
    for (int i = 0; i < 10000; i++)
        CHECK(insert(ins, 10000 + i) == SQLITE_DONE, "10,000 inserts");
    long long last = sqlite3_last_insert_rowid(db);
    CHECK(exec("COMMIT") == SQLITE_OK, "commit 8");
    CHECK(scalar("SELECT count(*) FROM p WHERE u >= 10000 AND u < 20000") == 10000,
          "10,000 rows committed");
    CHECK(last == scalar("SELECT id FROM p WHERE u = 19999"), "last_insert_rowid of the last");
    CHECK(exec("BEGIN") == SQLITE_OK, "begin 8b");
    int i = 0, rc = SQLITE_DONE;
    for (; i < 10000 && rc == SQLITE_DONE; i++)
        rc = insert(ins, i == 100 ? 20 : 20000 + i); /* the 101st is a duplicate */
    CHECK(rc == SQLITE_CONSTRAINT, "a duplicate among the first writes is reported");
    CHECK(sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE, "with its code");
    CHECK(i > 101 && i <= 101 + 4096, "by a step within 4,096 writes of it");
    CHECK(exec("COMMIT") == SQLITE_CONSTRAINT, "COMMIT reports it too");
    CHECK(exec("BEGIN") == SQLITE_OK, "begin 8c");
    for (i = 0; i < 10000; i++)
        CHECK(insert(ins, i == 9000 ? 21 : 30000 + i) == SQLITE_DONE, "a duplicate at 9,000");
    CHECK(exec("COMMIT") == SQLITE_CONSTRAINT, "is reported by COMMIT");
    CHECK(sqlite3_get_autocommit(db) == 1, "which ends the transaction");
    CHECK(scalar("SELECT count(*) FROM p WHERE u >= 20000 AND u < 40000") == 0,
          "nothing of either committed");

    sqlite3_finalize(ins);
    sqlite3_finalize(ins2);
    sqlite3_finalize(upd);
    sqlite3_finalize(cnt);
    CHECK(sqlite3_close(db) == SQLITE_OK, "close");
    printf("ok\n");
    return 0;
}
