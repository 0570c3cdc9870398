/* SPDX-License-Identifier: MIT
 *
 * liteshift copy DATABASE_URL OUT.db: the way back.  One PostgreSQL schema (as a copy and
 * the shim left it, rows written after cutover included) becomes a new SQLite file, read in
 * one REPEATABLE READ snapshot.  Each table is created from its original SQLite DDL in
 * liteshift.master when that DDL still has the server's columns, else from the server's
 * types (bigint -> INTEGER, identity key -> INTEGER PRIMARY KEY, double -> REAL, numeric ->
 * NUMERIC, boolean -> BOOLEAN, bytea -> BLOB, the rest TEXT); the hidden "rowid" column
 * becomes the rowid again.  A text column followed by a smallint "<name>:class" column (D2:
 * declared without a type in SQLite) comes back without a type, each value in its storage
 * class (copy_class.c); the class column itself is not created.  Indexes, views and
 * triggers come back from liteshift.master; sqlite_sequence from the identity sequences.  The file is written under a temporary name,
 * verified against the server value by value (copy_verify.c), synced, then renamed into
 * place: a failure or a kill leaves no OUT.db (or the old one, with --if-exists drop).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "copy.h"
#include "rewrite.h"

typedef struct bcol {
    char name[128];
    unsigned oid;
    bool identity, generated, not_null, hidden_rowid;
    bool is_class;       /* D2: the smallint "<name>:class" column of the column before it */
    bool has_class;      /* D2: text whose next column is its class: typeless in SQLite */
} bcol;

typedef struct btab {
    char name[128];      /* relname on the server */
    char *orig;          /* original SQLite name (liteshift.master) or NULL */
    char *sql;           /* original DDL or NULL */
    bcol *cols;
    size_t n_cols;
    bool autoinc;
    long long rows;
} btab;

static PGresult *q1(PGconn *pg, const char *sql, const char *a)
{
    const char *params[1] = {a};
    PGresult *r = PQexecParams(pg, sql, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(stderr, "liteshift: reading the PostgreSQL catalog: %s", PQerrorMessage(pg));
        PQclear(r);
        return NULL;
    }
    return r;
}

static int load_columns(PGconn *pg, const char *schema, btab *t)
{
    ls_cb rel = {0};
    ls_cb_ident(&rel, schema);
    ls_cb_str(&rel, ".");
    ls_cb_ident(&rel, t->name);
    PGresult *r = q1(pg, "SELECT attname, atttypid, attidentity <> '', attgenerated <> '', "
                         "attnotnull FROM pg_attribute WHERE attrelid = $1::regclass "
                         "AND attnum > 0 AND NOT attisdropped ORDER BY attnum", rel.p);
    ls_cb_free(&rel);
    if (!r)
        return 1;
    t->n_cols = (size_t)PQntuples(r);
    t->cols = calloc(t->n_cols ? t->n_cols : 1, sizeof *t->cols);
    for (size_t i = 0; t->cols && i < t->n_cols; i++) {
        bcol *c = &t->cols[i];
        snprintf(c->name, sizeof c->name, "%s", PQgetvalue(r, (int)i, 0));
        c->oid = (unsigned)strtoul(PQgetvalue(r, (int)i, 1), NULL, 10);
        c->identity = PQgetvalue(r, (int)i, 2)[0] == 't';
        c->generated = PQgetvalue(r, (int)i, 3)[0] == 't';
        c->not_null = PQgetvalue(r, (int)i, 4)[0] == 't';
        c->hidden_rowid = c->identity && !strcmp(c->name, LS_HIDDEN_ROWID);
        /* D2: "<name>:class" smallint right after the text column <name> */
        char cn[sizeof c->name + 8];
        if (i > 0 && c->oid == 21 && c[-1].oid == 25 && !c[-1].generated) {
            snprintf(cn, sizeof cn, "%s" LS_CLASS_SUFFIX, c[-1].name);
            c->is_class = c[-1].has_class = strcmp(cn, c->name) == 0;
        }
    }
    PQclear(r);
    return t->cols ? 0 : 1;
}

static const char *sqlite_type(unsigned oid)
{
    switch (oid) {
    case 20: case 21: case 23: return "INTEGER";
    case 700: case 701: return "REAL";
    case 1700: return "NUMERIC";
    case 16: return "BOOLEAN";
    case 17: return "BLOB";
    default: return "TEXT";
    }
}

/* CREATE TABLE from the server's columns and primary key. */
static char *synthesize(PGconn *pg, const char *schema, btab *t)
{
    ls_cb rel = {0}, b = {0};
    ls_cb_ident(&rel, schema);
    ls_cb_str(&rel, ".");
    ls_cb_ident(&rel, t->name);
    PGresult *r = q1(pg, "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON "
                         "a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                         "WHERE i.indrelid = $1::regclass AND i.indisprimary "
                         "ORDER BY array_position(i.indkey, a.attnum)", rel.p);
    ls_cb_free(&rel);
    int n_pk = r ? PQntuples(r) : 0;
    ls_cb_str(&b, "CREATE TABLE ");
    ls_cb_ident(&b, t->name);
    ls_cb_str(&b, " (");
    bool first = true;
    for (size_t i = 0; i < t->n_cols; i++) {
        bcol *c = &t->cols[i];
        if (c->hidden_rowid || c->is_class)
            continue;
        ls_cb_str(&b, first ? "" : ", ");
        first = false;
        ls_cb_ident(&b, c->name);
        bool alias = n_pk == 1 && !strcmp(PQgetvalue(r, 0, 0), c->name)
                     && (c->oid == 20 || c->oid == 23 || c->oid == 21);
        if (alias)
            ls_cb_str(&b, " INTEGER PRIMARY KEY");
        else if (c->has_class)   /* declared without a type, as it was */
            ls_cb_str(&b, c->not_null ? " NOT NULL" : "");
        else
            ls_cb_printf(&b, " %s%s", sqlite_type(c->oid), c->not_null ? " NOT NULL" : "");
    }
    if (n_pk > 1 || (n_pk == 1 && !strstr(b.p ? b.p : "", "PRIMARY KEY"))) {
        ls_cb_str(&b, ", PRIMARY KEY (");
        for (int k = 0; k < n_pk; k++) {
            ls_cb_str(&b, k ? ", " : "");
            ls_cb_ident(&b, PQgetvalue(r, k, 0));
        }
        ls_cb_str(&b, ")");
    }
    ls_cb_str(&b, ")");
    PQclear(r);
    if (b.oom) {
        ls_cb_free(&b);
        return NULL;
    }
    return b.p;
}

static int exec_sqlite(sqlite3 *db, const char *sql, const char *what, const char *name)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "liteshift: %s \"%s\": %s\n", what, name, err ? err : "error");
        sqlite3_free(err);
        return 1;
    }
    return 0;
}

/* Do the SQLite table's columns (rowid aside) match the server's, by name? */
static bool same_columns(sqlite3 *db, const btab *t)
{
    ls_cb q = {0};
    ls_cb_str(&q, "SELECT lower(name) FROM pragma_table_xinfo(");
    ls_cb_lit(&q, t->orig);
    ls_cb_str(&q, ")");
    sqlite3_stmt *st;
    if (q.oom || sqlite3_prepare_v2(db, q.p, -1, &st, NULL) != SQLITE_OK) {
        ls_cb_free(&q);
        return false;
    }
    ls_cb_free(&q);
    size_t n = 0, expect = 0;
    bool ok = true;
    for (size_t i = 0; i < t->n_cols; i++)
        expect += !t->cols[i].hidden_rowid && !t->cols[i].is_class;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        bool found = false;
        for (size_t i = 0; i < t->n_cols; i++)
            found |= !t->cols[i].hidden_rowid && !t->cols[i].is_class
                     && strncmp(t->cols[i].name, name, 63) == 0;
        ok &= found;
        n++;
    }
    sqlite3_finalize(st);
    return ok && n == expect;
}

static int create_table(sqlite3 *db, PGconn *pg, const char *schema, btab *t)
{
    if (t->sql) {
        if (exec_sqlite(db, t->sql, "creating table", t->orig))
            return 1;
        if (same_columns(db, t)) {
            ls_ddl_result d;
            ls_err err;
            if (ls_ddl_translate(t->sql, strlen(t->sql), &d, &err) == SQLITE_OK) {
                for (size_t i = 0; i < d.n_cols; i++)
                    t->autoinc |= d.cols[i].autoincrement;
                ls_ddl_result_clear(&d);
            }
            return 0;
        }
        fprintf(stderr, "liteshift: table \"%s\": its columns changed since the copy; "
                "created from the PostgreSQL catalog instead of its original DDL\n", t->orig);
        ls_cb drop = {0};
        ls_cb_str(&drop, "DROP TABLE ");
        ls_cb_ident(&drop, t->orig);
        int rc = drop.oom || exec_sqlite(db, drop.p, "dropping", t->orig);
        ls_cb_free(&drop);
        if (rc)
            return 1;
        free(t->sql);
        t->sql = NULL;
    }
    char *sql = synthesize(pg, schema, t);
    if (!sql)
        return 1;
    int rc = exec_sqlite(db, sql, "creating table", t->name);
    free(sql);
    if (!t->orig)
        t->orig = strdup(t->name);
    return rc || !t->orig;
}

static int copy_rows(const ls_copy_opts *o, sqlite3 *db, PGconn *pg, btab *t)
{
    double started = ls_copy_now();
    ls_cb sel = {0}, ins = {0};
    ls_cb_str(&sel, "SELECT ");
    ls_cb_str(&ins, "INSERT INTO ");
    ls_cb_ident(&ins, t->orig);
    ls_cb_str(&ins, " (");
    size_t n = 0, nf = 0;   /* parameters of the INSERT, fields of the SELECT */
    bcol **sc = calloc(t->n_cols + 1, sizeof *sc);   /* the column of each field */
    for (size_t i = 0; sc && i < t->n_cols; i++) {
        bcol *c = &t->cols[i];
        if (c->generated && t->sql)
            continue;   /* SQLite computes it from the original DDL */
        ls_cb_str(&sel, nf ? ", " : "");
        ls_cb_ident(&sel, c->name);
        sc[nf++] = c;
        if (c->is_class)
            continue;   /* read with its column, not a column in SQLite */
        switch (c->oid) {
        case 20: case 21: case 23: case 16: case 17: case 25: case 701:
            break;
        case 700:
            ls_cb_str(&sel, "::float8");
            break;
        default:
            ls_cb_str(&sel, "::text");
        }
        ls_cb_str(&ins, n ? ", " : "");
        if (c->hidden_rowid)
            ls_cb_str(&ins, "rowid");
        else
            ls_cb_ident(&ins, c->name);
        n++;
    }
    ls_cb_str(&sel, " FROM ");
    ls_cb_ident(&sel, o->schema);
    ls_cb_str(&sel, ".");
    ls_cb_ident(&sel, t->name);
    ls_cb_str(&ins, ") VALUES (");
    for (size_t i = 0; i < n; i++)
        ls_cb_str(&ins, i ? ", ?" : "?");
    ls_cb_str(&ins, ")");
    sqlite3_stmt *st = NULL;
    int rc = !sc || sel.oom || ins.oom;
    if (!rc && sqlite3_prepare_v2(db, ins.p, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "liteshift: table \"%s\": %s\n", t->orig, sqlite3_errmsg(db));
        rc = 1;
    }
    ls_pgrows s;
    if (!rc && ls_pgrows_start(&s, pg, sel.p, t->name)) {
        rc = 1;
        sqlite3_finalize(st);
        st = NULL;
    }
    ls_cb_free(&sel);
    ls_cb_free(&ins);
    if (rc) {
        free(sc);
        return 1;
    }
    const unsigned char **f = calloc(nf + 1, sizeof *f);
    int32_t *l = calloc(nf + 1, sizeof *l);
    ls_cb scratch = {0};
    while (!rc && f && l && ls_pgrows_next(&s, f, l, nf)) {
        int col = 0;
        for (size_t i = 0; i < nf; i++) {
            if (sc[i]->is_class)
                continue;
            col++;
            if (l[i] < 0) {
                sqlite3_bind_null(st, col);
                continue;
            }
            if (sc[i]->has_class && i + 1 < nf && sc[i + 1]->is_class) {
                /* D2: the value in its storage class (a NULL class: text) */
                int cls = l[i + 1] == 2 ? (int16_t)ls_be(f[i + 1], 2) : 0;
                ls_classed v;
                if (!ls_copy_unclass(f[i], (size_t)l[i], cls, &scratch, &v)) {
                    fputs("liteshift: out of memory\n", stderr);
                    rc = 1;
                    break;
                }
                if (v.type == SQLITE_INTEGER)
                    sqlite3_bind_int64(st, col, v.i);
                else if (v.type == SQLITE_FLOAT)
                    sqlite3_bind_double(st, col, v.d);
                else if (v.type == SQLITE_BLOB)
                    sqlite3_bind_blob64(st, col, v.p, v.n, SQLITE_TRANSIENT);
                else
                    sqlite3_bind_text64(st, col, (const char *)v.p, v.n, SQLITE_STATIC,
                                        SQLITE_UTF8);
                continue;
            }
            switch (sc[i]->oid) {
            case 20:
                sqlite3_bind_int64(st, col, (sqlite3_int64)ls_be(f[i], 8));
                break;
            case 23:
                sqlite3_bind_int64(st, col, (int32_t)ls_be(f[i], 4));
                break;
            case 21:
                sqlite3_bind_int64(st, col, (int16_t)ls_be(f[i], 2));
                break;
            case 16:
                sqlite3_bind_int(st, col, f[i][0] ? 1 : 0);
                break;
            case 700: case 701: {
                uint64_t u = ls_be(f[i], 8);
                double d;
                memcpy(&d, &u, 8);
                sqlite3_bind_double(st, col, d);
                break;
            }
            case 17:
                sqlite3_bind_blob(st, col, f[i], l[i], SQLITE_STATIC);
                break;
            default:
                sqlite3_bind_text(st, col, (const char *)f[i], l[i], SQLITE_STATIC);
            }
        }
        if (rc)
            break;
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "liteshift: table \"%s\" row %lld: %s\n", t->orig, t->rows + 1,
                    sqlite3_errmsg(db));
            rc = 1;
        }
        sqlite3_reset(st);
        t->rows++;
        if ((t->rows & 0xffff) == 0)
            ls_copy_progress(o, t->orig, t->rows, t->rows, started);
    }
    ls_pgrows_finish(&s);
    if (s.failed || !f || !l)
        rc = 1;
    free(f), free(l), free(sc);
    ls_cb_free(&scratch);
    sqlite3_finalize(st);
    return rc;
}

/* sqlite_sequence for AUTOINCREMENT tables: the identity's last value (ids never reused). */
static int set_sequence(sqlite3 *db, PGconn *pg, const char *schema, btab *t)
{
    if (!t->autoinc)
        return 0;
    const char *key = NULL;
    for (size_t i = 0; i < t->n_cols; i++)
        if (t->cols[i].identity)
            key = t->cols[i].name;
    if (!key)
        return 0;
    ls_cb rel = {0};
    ls_cb_ident(&rel, schema);
    ls_cb_str(&rel, ".");
    ls_cb_ident(&rel, t->name);
    const char *params[2] = {rel.p, key};
    PGresult *r = PQexecParams(pg, "SELECT pg_get_serial_sequence($1, $2)", 2, NULL, params,
                               NULL, NULL, 0);
    long long last = 0;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && !PQgetisnull(r, 0, 0)) {
        ls_cb q = {0};
        ls_cb_printf(&q, "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM %s",
                     PQgetvalue(r, 0, 0));
        char *v = q.oom ? NULL : ls_pg_value(pg, q.p);
        last = v ? atoll(v) : 0;
        free(v);
        ls_cb_free(&q);
    }
    PQclear(r);
    ls_cb_free(&rel);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO sqlite_sequence (rowid, name, seq) "
                                "VALUES ((SELECT rowid FROM sqlite_sequence WHERE name = ?1), ?1, "
                                "max(?2, coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?1), 0)))",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, t->orig, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, last);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_finalize(st);
    }
    if (rc != SQLITE_OK)
        fprintf(stderr, "liteshift: table \"%s\": sqlite_sequence: %s\n", t->orig, sqlite3_errmsg(db));
    return rc != SQLITE_OK;
}

static int sync_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 1;
    int rc = fsync(fd);
    close(fd);
    return rc != 0;
}

int ls_copy_backward(const ls_copy_opts *o)
{
    double started = ls_copy_now();
    const char *out = o->dst;
    if (access(out, F_OK) == 0 && o->if_exists != LS_IFX_DROP) {
        fprintf(stderr, "liteshift: %s already exists (--if-exists drop replaces it)\n", out);
        return 1;
    }
    PGconn *pg = ls_pg_open(o->src);
    if (!pg)
        return 1;
    int rc = ls_pg_exec(pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "BEGIN");
    btab *t = NULL;
    size_t n_t = 0;
    PGresult *master = NULL;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.liteshift-tmp-%d", out, (int)getpid());
    unlink(tmp);
    sqlite3 *db = NULL;
    if (!rc) {
        char *has = ls_pg_value(pg, "SELECT to_regclass('liteshift.master') IS NOT NULL");
        if (has && has[0] == 't')
            master = q1(pg, "SELECT type, name, tbl_name, sql FROM liteshift.master "
                            "WHERE schemaname = $1 ORDER BY type = 'table' DESC, name", o->schema);
        free(has);
        PGresult *r = q1(pg, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON "
                             "n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN "
                             "('r', 'p') AND NOT c.relispartition ORDER BY c.relname", o->schema);
        rc = !r;
        for (int i = 0; r && i < PQntuples(r); i++) {
            const char *name = PQgetvalue(r, i, 0);
            if (!ls_copy_selected(o, name))
                continue;
            btab *n = realloc(t, sizeof *t * (n_t + 1));
            if (!n) {
                rc = 1;
                break;
            }
            t = n;
            btab *x = &t[n_t++];
            memset(x, 0, sizeof *x);
            snprintf(x->name, sizeof x->name, "%s", name);
            for (int k = 0; master && k < PQntuples(master); k++)
                if (!strcmp(PQgetvalue(master, k, 0), "table")
                    && !strncasecmp(PQgetvalue(master, k, 1), name, 63)
                    && strlen(PQgetvalue(master, k, 1)) >= strlen(name)) {
                    x->orig = strdup(PQgetvalue(master, k, 1));
                    x->sql = strdup(PQgetvalue(master, k, 3));
                }
            rc |= load_columns(pg, o->schema, x);
        }
        PQclear(r);
        if (!rc && n_t == 0) {
            fprintf(stderr, "liteshift: schema \"%s\" has no tables to copy\n", o->schema);
            rc = 1;
        }
    }
    if (!rc && o->dry_run) {
        for (size_t i = 0; i < n_t; i++)
            printf("-- table \"%s\" (%s)\n%s;\n", t[i].name,
                   t[i].sql ? "original DDL from liteshift.master" : "from the catalog",
                   t[i].sql ? t[i].sql : "(synthesized at copy time)");
        goto done;
    }
    if (!rc && sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
               != SQLITE_OK) {
        fprintf(stderr, "liteshift: cannot create %s: %s\n", tmp, sqlite3_errmsg(db));
        rc = 1;
    }
    if (!rc)
        rc = exec_sqlite(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN",
                         "setting up", tmp);
    for (size_t i = 0; i < n_t && !rc; i++)
        rc = create_table(db, pg, o->schema, &t[i]);
    for (size_t i = 0; i < n_t && !rc; i++)
        rc = copy_rows(o, db, pg, &t[i]);
    for (size_t i = 0; i < n_t && !rc; i++)
        rc = set_sequence(db, pg, o->schema, &t[i]);
    /* indexes, views, triggers as they were (views in rounds: a view may use a later one) */
    for (int round = 0; !rc && master && round < 20; round++) {
        int pending = 0, done = 0;
        for (int k = 0; k < PQntuples(master); k++) {
            const char *type = PQgetvalue(master, k, 0), *name = PQgetvalue(master, k, 1);
            const char *tbl = PQgetvalue(master, k, 2), *sql = PQgetvalue(master, k, 3);
            if (!strcmp(type, "table") || !ls_copy_selected(o, name))
                continue;
            bool have_tbl = !strcmp(type, "view");
            for (size_t i = 0; i < n_t; i++)
                have_tbl |= t[i].orig && !strcasecmp(t[i].orig, tbl);
            if (!have_tbl)
                continue;
            ls_cb q = {0};
            ls_cb_str(&q, "SELECT 1 FROM sqlite_master WHERE name = ");
            ls_cb_lit(&q, name);
            sqlite3_stmt *st;
            bool exists = false;
            if (!q.oom && sqlite3_prepare_v2(db, q.p, -1, &st, NULL) == SQLITE_OK) {
                exists = sqlite3_step(st) == SQLITE_ROW;
                sqlite3_finalize(st);
            }
            ls_cb_free(&q);
            if (exists)
                continue;
            char *err = NULL;
            if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK) {
                done++;
            } else if (round == 19 || (strcmp(type, "view") && strcmp(type, "trigger"))) {
                fprintf(stderr, "liteshift: %s \"%s\": %s\n", type, name, err ? err : "error");
                rc = 1;
            } else {
                pending++;
            }
            sqlite3_free(err);
        }
        if (!pending)
            break;
        if (!done) {
            fprintf(stderr, "liteshift: some views or triggers cannot be created\n");
            rc = 1;
        }
    }
    bool wal = false;
    if (!rc) {   /* user_version and application_id as the shim kept them */
        char *has = ls_pg_value(pg, "SELECT to_regclass('liteshift.pragma') IS NOT NULL");
        PGresult *r = has && has[0] == 't'
            ? q1(pg, "SELECT name, value FROM liteshift.pragma WHERE db = $1 AND name IN "
                     "('user_version', 'application_id', 'journal_mode')", o->schema) : NULL;
        for (int k = 0; r && k < PQntuples(r) && !rc; k++) {
            if (strcmp(PQgetvalue(r, k, 0), "journal_mode") == 0) {
                wal = strcmp(PQgetvalue(r, k, 1), "1") == 0; /* set after the COMMIT */
                continue;
            }
            char sql[96];
            snprintf(sql, sizeof sql, "PRAGMA %s = %lld", PQgetvalue(r, k, 0),
                     atoll(PQgetvalue(r, k, 1)));
            rc = exec_sqlite(db, sql, "setting", PQgetvalue(r, k, 0));
        }
        PQclear(r);
        free(has);
    }
    if (!rc)
        rc = exec_sqlite(db, "COMMIT", "committing", tmp);
    if (!rc && wal)   /* the database was in WAL mode on the server (docs/compatibility.md D11) */
        rc = exec_sqlite(db, "PRAGMA journal_mode=WAL", "setting WAL mode on", tmp);
    if (!rc && !o->no_verify) {
        ls_verify_result vr;
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        rc = ls_verify_run(o, db, pg, &vr);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        if (rc)
            fprintf(stderr, "liteshift: verification of %s failed\n", tmp);
        ls_verify_result_clear(&vr);
    }
done:
    if (db && sqlite3_close(db) != SQLITE_OK)
        rc = 1;
    if (!rc && !o->dry_run) {
        if (sync_file(tmp) || rename(tmp, out) != 0) {
            fprintf(stderr, "liteshift: cannot move %s to %s\n", tmp, out);
            rc = 1;
        }
    }
    if (rc || o->dry_run)
        unlink(tmp);
    long long rows = 0;
    for (size_t i = 0; i < n_t; i++)
        rows += t[i].rows;
    double sec = ls_copy_now() - started;
    if (!rc && !o->quiet && !o->dry_run)
        fprintf(stderr, "copied %lld rows in %zu tables to %s in %.2f s (%.0f rows/s), verified\n",
                rows, n_t, out, sec, sec > 0 ? (double)rows / sec : 0);
    if (o->report && !o->dry_run) {
        FILE *f = fopen(o->report, "w");
        if (f) {
            fprintf(f, "{\"command\":\"copy\",\"direction\":\"postgresql-to-sqlite\",\"ok\":%s,"
                    "\"rows\":%lld,\"tables\":%zu,\"seconds\":%.3f}\n", rc ? "false" : "true",
                    rows, n_t, sec);
            fclose(f);
        }
    }
    if (rc)
        fprintf(stderr, "liteshift: copy failed; %s was not written\n", out);
    for (size_t i = 0; i < n_t; i++) {
        free(t[i].orig);
        free(t[i].sql);
        free(t[i].cols);
    }
    free(t);
    PQclear(master);
    PQfinish(pg);
    return rc;
}
