/* SPDX-License-Identifier: MIT
 *
 * One scenario through the sqlite3 C API, printed line by line.  Built twice: linked with
 * -lsqlite3 and linked with libliteshift.so instead (issue 2, point 4); tests/abi/relink.sh
 * compares the two outputs.  It touches the variadic functions, data symbols, prepare/bind/
 * step/column, exec with callbacks, get_table, user functions, collations, hooks, blobs,
 * backup, serialize, the session extension and error reporting.
 *   scenario DIR   (DIR: a fresh directory for the database files)
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;
static char path[4096];

#define CHECK(x)                                                                              \
    do {                                                                                      \
        int rc_ = (x);                                                                        \
        printf("%-60.60s -> %d %s\n", #x, rc_, rc_ ? sqlite3_errmsg(db) : "");               \
    } while (0)

static int print_row(void *tag, int n, char **vals, char **names)
{
    printf("  %s:", (const char *)tag);
    for (int i = 0; i < n; i++)
        printf(" %s=%s", names[i], vals[i] ? vals[i] : "NULL");
    printf("\n");
    return 0;
}

static void fn_twice(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_int64(ctx, 2 * sqlite3_value_int64(argv[0]));
}

static void agg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    long long *sum = sqlite3_aggregate_context(ctx, sizeof *sum);
    if (sum)
        *sum += sqlite3_value_int64(argv[0]);
}

static void agg_final(sqlite3_context *ctx)
{
    long long *sum = sqlite3_aggregate_context(ctx, 0);
    sqlite3_result_int64(ctx, sum ? *sum : 0);
}

static int coll_rev(void *arg, int n1, const void *a, int n2, const void *b)
{
    int n = n1 < n2 ? n1 : n2;
    int c = memcmp(a, b, (size_t)n);
    return -(c ? c : n1 - n2);
}

static int n_updates;
static void on_update(void *arg, int op, const char *dbname, const char *tbl, sqlite3_int64 rowid)
{
    n_updates++;
}

static void dump_stmt(const char *sql)
{
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
    printf("prepare [%s] -> %d tail=[%s]\n", sql, rc, tail ? tail : "");
    if (rc != SQLITE_OK) {
        printf("  error %d/%d: %s\n", sqlite3_errcode(db), sqlite3_extended_errcode(db),
               sqlite3_errmsg(db));
        return;
    }
    int ncol = sqlite3_column_count(st);
    printf("  readonly=%d params=%d cols=%d\n", sqlite3_stmt_readonly(st),
           sqlite3_bind_parameter_count(st), ncol);
    for (int i = 0; i < ncol; i++)
        printf("  col %d name=%s decltype=%s\n", i, sqlite3_column_name(st, i),
               sqlite3_column_decltype(st, i) ? sqlite3_column_decltype(st, i) : "NULL");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        printf("  row:");
        for (int i = 0; i < ncol; i++) {
            int t = sqlite3_column_type(st, i);
            switch (t) {
            case SQLITE_INTEGER: printf(" i:%lld", (long long)sqlite3_column_int64(st, i)); break;
            case SQLITE_FLOAT: printf(" f:%.17g", sqlite3_column_double(st, i)); break;
            case SQLITE_TEXT: printf(" t:%s(%d)", sqlite3_column_text(st, i), sqlite3_column_bytes(st, i)); break;
            case SQLITE_BLOB: {
                const unsigned char *b = sqlite3_column_blob(st, i);
                printf(" b:");
                for (int k = 0; k < sqlite3_column_bytes(st, i); k++)
                    printf("%02x", b[k]);
                break;
            }
            default: printf(" null"); break;
            }
        }
        printf("\n");
    }
    printf("  step -> %d, changes=%d\n", rc, sqlite3_changes(db));
    char *x = sqlite3_expanded_sql(st);
    printf("  expanded=%s\n", x ? x : "NULL");
    sqlite3_free(x);
    sqlite3_finalize(st);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: scenario DIR\n");
        return 2;
    }
    printf("version %s %d %s\n", sqlite3_libversion(), sqlite3_libversion_number(),
           strcmp(sqlite3_version, sqlite3_libversion()) == 0 ? "data-symbol-matches" : "MISMATCH");
    printf("threadsafe %d, compileoption ENABLE_FTS5=%d\n", sqlite3_threadsafe(),
           sqlite3_compileoption_used("ENABLE_FTS5"));
    CHECK(sqlite3_config(SQLITE_CONFIG_URI, 1));
    CHECK(sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1));
    CHECK(sqlite3_initialize());
    char *m = sqlite3_mprintf("%s|%q|%Q|%d|%lld|%.3f|%w", "a", "it's", NULL, 42, 1LL << 40, 3.14159, "x\"y");
    printf("mprintf %s\n", m);
    sqlite3_free(m);
    char buf[16];
    printf("snprintf %s\n", sqlite3_snprintf(sizeof buf, buf, "%d-%s-%c", 7, "truncated-long-text", 'z'));
    sqlite3_str *s = sqlite3_str_new(NULL);
    sqlite3_str_appendf(s, "%d+%d", 1, 2);
    sqlite3_str_appendall(s, "=3");
    char *ss = sqlite3_str_finish(s);
    printf("str %s\n", ss);
    sqlite3_free(ss);
    printf("strglob %d strlike %d stricmp %d\n", sqlite3_strglob("a*c", "abc"),
           sqlite3_strlike("A%", "abc", 0), sqlite3_stricmp("ABC", "abc"));

    snprintf(path, sizeof path, "%s/scenario.db", argv[1]);
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL));
    int on = -1;
    CHECK(sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, &on));
    printf("fkeys now %d\n", on);
    CHECK(sqlite3_busy_timeout(db, 1000));
    CHECK(sqlite3_extended_result_codes(db, 1));
    CHECK(sqlite3_create_function(db, "twice", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_twice, NULL, NULL));
    CHECK(sqlite3_create_function(db, "mysum", 1, SQLITE_UTF8, NULL, NULL, agg_step, agg_final));
    CHECK(sqlite3_create_collation(db, "rev", SQLITE_UTF8, NULL, coll_rev));
    sqlite3_update_hook(db, on_update, NULL);
    CHECK(sqlite3_exec(db,
                       "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, v REAL, b BLOB, d DATETIME);"
                       "CREATE TABLE c(id INTEGER PRIMARY KEY, tid INTEGER REFERENCES t(id));"
                       "INSERT INTO t(name, v) VALUES ('one', 1.5), ('two', 2.25), ('three', NULL);",
                       NULL, NULL, NULL));
    printf("last_insert_rowid %lld changes %d total %d updates %d\n",
           (long long)sqlite3_last_insert_rowid(db), sqlite3_changes(db), sqlite3_total_changes(db), n_updates);

    sqlite3_stmt *ins = NULL;
    CHECK(sqlite3_prepare_v3(db, "INSERT INTO t(name, v, b, d) VALUES (?1, :v, @b, $d)", -1,
                             SQLITE_PREPARE_PERSISTENT, &ins, NULL));
    printf("param names: %s %s %s %s, index(:v)=%d\n", sqlite3_bind_parameter_name(ins, 1),
           sqlite3_bind_parameter_name(ins, 2), sqlite3_bind_parameter_name(ins, 3),
           sqlite3_bind_parameter_name(ins, 4), sqlite3_bind_parameter_index(ins, ":v"));
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "row%d", i);
        CHECK(sqlite3_bind_text(ins, 1, name, -1, SQLITE_TRANSIENT));
        CHECK(sqlite3_bind_double(ins, 2, i / 3.0));
        unsigned char blob[3] = { (unsigned char)i, 0, 255 };
        CHECK(sqlite3_bind_blob(ins, 3, blob, 3, SQLITE_STATIC));
        CHECK(i % 2 ? sqlite3_bind_null(ins, 4) : sqlite3_bind_text64(ins, 4, "2024-01-31 10:00:00", 19, SQLITE_STATIC, SQLITE_UTF8));
        CHECK(sqlite3_step(ins));
        CHECK(sqlite3_reset(ins));
    }
    CHECK(sqlite3_bind_text(ins, 1, "one", -1, SQLITE_STATIC));
    CHECK(sqlite3_step(ins)); /* unique violation */
    printf("  extended %d errstr %s\n", sqlite3_extended_errcode(db), sqlite3_errstr(sqlite3_extended_errcode(db)));
    CHECK(sqlite3_reset(ins));
    CHECK(sqlite3_clear_bindings(ins));
    CHECK(sqlite3_finalize(ins));

    dump_stmt("SELECT id, name, v, b, d, twice(id), typeof(v) FROM t ORDER BY name COLLATE rev; SELECT 1");
    dump_stmt("SELECT mysum(id), count(*), group_concat(name, '|') FROM t");
    dump_stmt("SELECT * FROM nosuch");
    dump_stmt("SELEC 1");
    dump_stmt("UPDATE t SET v = v * 2 WHERE v IS NOT NULL");
    dump_stmt("INSERT INTO c(tid) VALUES (999)");
    CHECK(sqlite3_exec(db, "SELECT id, name FROM t WHERE id < 3 ORDER BY id", print_row, "exec", NULL));
    char *err = NULL;
    int rc = sqlite3_exec(db, "SELECT 1; SELECT * FROM missing_table", print_row, "exec2", &err);
    printf("exec with error -> %d [%s]\n", rc, err ? err : "");
    sqlite3_free(err);

    char **table = NULL;
    int nrow = 0, ncol = 0;
    CHECK(sqlite3_get_table(db, "SELECT id, v FROM t WHERE id <= 3 ORDER BY id", &table, &nrow, &ncol, NULL));
    for (int i = 0; i < (nrow + 1) * ncol; i++)
        printf("  table[%d]=%s\n", i, table[i] ? table[i] : "NULL");
    sqlite3_free_table(table);

    printf("autocommit %d\n", sqlite3_get_autocommit(db));
    CHECK(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
    printf("autocommit %d txn_state %d\n", sqlite3_get_autocommit(db), sqlite3_txn_state(db, "main"));
    CHECK(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL));
    CHECK(sqlite3_exec(db, "SAVEPOINT a; DELETE FROM t WHERE id = 1; ROLLBACK TO a; RELEASE a", NULL, NULL, NULL));
    CHECK(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL));
    CHECK(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL));

    sqlite3_blob *blob = NULL;
    CHECK(sqlite3_blob_open(db, "main", "t", "b", 4, 1, &blob));
    if (blob) {
        unsigned char bb[3];
        printf("blob bytes %d\n", sqlite3_blob_bytes(blob));
        CHECK(sqlite3_blob_read(blob, bb, 3, 0));
        printf("blob %02x%02x%02x\n", bb[0], bb[1], bb[2]);
        CHECK(sqlite3_blob_close(blob));
    }

    sqlite3 *mem = NULL;
    CHECK(sqlite3_open(":memory:", &mem));
    sqlite3_backup *bk = sqlite3_backup_init(mem, "main", db, "main");
    printf("backup init %s\n", bk ? "ok" : sqlite3_errmsg(mem));
    if (bk) {
        CHECK(sqlite3_backup_step(bk, -1));
        printf("backup remaining %d pagecount %d\n", sqlite3_backup_remaining(bk), sqlite3_backup_pagecount(bk) > 0);
        CHECK(sqlite3_backup_finish(bk));
    }
    sqlite3_int64 sz = 0;
    unsigned char *ser = sqlite3_serialize(mem, "main", &sz, 0);
    printf("serialize %s size>0 %d\n", ser ? "ok" : "failed", sz > 0);
    sqlite3_free(ser);

    sqlite3_session *sess = NULL;
    CHECK(sqlite3session_create(db, "main", &sess));
    if (sess) {
        CHECK(sqlite3session_attach(sess, "t"));
        CHECK(sqlite3_exec(db, "UPDATE t SET v = 100 WHERE id = 2; DELETE FROM t WHERE id = 3", NULL, NULL, NULL));
        int n = 0;
        void *cs = NULL;
        CHECK(sqlite3session_changeset(sess, &n, &cs));
        sqlite3_changeset_iter *it = NULL;
        CHECK(sqlite3changeset_start(&it, n, cs));
        while (it && sqlite3changeset_next(it) == SQLITE_ROW) {
            const char *tab;
            int ncols, op, ind;
            sqlite3changeset_op(it, &tab, &ncols, &op, &ind);
            printf("  change %s op=%d ncols=%d\n", tab, op, ncols);
        }
        CHECK(sqlite3changeset_finalize(it));
        sqlite3_free(cs);
        sqlite3session_delete(sess);
    }
    char *tmpdir = sqlite3_mprintf("%s", argv[1]);
    sqlite3_temp_directory = tmpdir;
    dump_stmt("PRAGMA temp_store_directory");
    sqlite3_temp_directory = NULL;
    sqlite3_free(tmpdir);

    CHECK(sqlite3_close(mem));
    printf("updates seen %d, memory used >0 %d\n", n_updates, sqlite3_memory_used() > 0);
    CHECK(sqlite3_close_v2(db));
    CHECK(sqlite3_shutdown());
    return 0;
}
