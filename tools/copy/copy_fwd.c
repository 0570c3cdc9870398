/* SPDX-License-Identifier: MIT
 *
 * liteshift copy SRC.db DATABASE_URL: one SQLite file into one PostgreSQL schema, all or
 * nothing.  The source is read inside one read transaction (a snapshot) after PRAGMA
 * integrity_check; the target is written inside ONE PostgreSQL transaction: tables created
 * with the rewriter's DDL translation (ls_ddl_translate, the shim's code path), keys and
 * foreign keys set aside while binary COPY streams the rows, then keys, foreign keys,
 * indexes, views and triggers, identity sequences (sqlite_sequence for AUTOINCREMENT, else
 * the max rowid), the original DDL in liteshift.master, and the value-by-value verification
 * (copy_verify.c) -- and only then COMMIT.  A kill at any moment leaves the target exactly as
 * it was, because the server rolls back a transaction whose client vanished.
 *
 * Values that PostgreSQL's column type cannot hold exactly (text in an INTEGER column, a
 * REAL beyond 2^63, NUL bytes or invalid UTF-8 in text, a blob in a text column, 2 in a
 * BOOLEAN...) follow --on-bad-value: fail (default: refuse, naming table, rowid, column and
 * value), null (store NULL, each one reported), text (the column becomes text).
 *
 * A column declared without a type keeps each value's storage class (docs/compatibility.md
 * D2): it is text on PostgreSQL, followed by a smallint "<name>:class" column that the copy
 * fills with SQLite's class (copy_class.c), blobs written as '\x' + hex.
 */
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "copy.h"
#include "rewrite.h"

#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_VARCHAR 1043
#define OID_NUMERIC 1700

typedef struct fcol {
    char *name;        /* as declared in SQLite */
    char *pgname;      /* canonical: ASCII lower case */
    unsigned oid;      /* PostgreSQL type after CREATE */
    bool generated;    /* computed by PostgreSQL: not copied */
    bool to_text;      /* --on-bad-value text: altered to text */
    bool classed;      /* D2: a smallint "<pgname>:class" column follows it on PostgreSQL */
    long long num_int, num_real;   /* numbers the copy wrote as text (D2): warned about */
} fcol;

typedef struct ftable {
    char *name, *pgname, *sql;
    ls_ddl_result ddl;
    fcol *cols;
    size_t n_cols;
    bool without_rowid, hidden_rowid, autoinc, exists;
    char *rowid_col;     /* PostgreSQL identity column (alias or hidden), or NULL */
    long long rows, bad;
    uint64_t sum;        /* checksum of the source rows (ls_verify_hash_row) */
    bool hashed;
    double seconds;
    int order;           /* creation order (foreign keys first) */
} ftable;

typedef struct fobj {    /* index, view or trigger */
    char *type, *name, *tbl, *sql;
} fobj;

typedef struct fplan {
    const ls_copy_opts *o;
    sqlite3 *db;
    PGconn *pg;
    ftable *t;
    size_t n_t;
    fobj *x;
    size_t n_x;
    long long total_rows, copied_rows, bad_values;
    ls_cb deferred;      /* ALTER TABLE ... ADD CONSTRAINT: primary keys, unique constraints */
    ls_cb deferred_fk;   /* ... and foreign keys, restored after the indexes */
    ls_icheck *icheck;   /* the source's integrity check, maybe still running */
    struct { const char *name; double seconds, cpu; } phase[12];   /* for the report */
    size_t n_phase;
    double phase_start, phase_cpu;
} fplan;

static double thread_cpu(void)   /* this thread's CPU seconds (user + system) */
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The phase that just ended took the time (and the main thread's CPU) since the previous
 * mark (report "phases" and "phases_cpu"). */
static void mark(fplan *p, const char *name)
{
    double now = ls_copy_now(), cpu = thread_cpu();
    if (p->n_phase < sizeof p->phase / sizeof p->phase[0]) {
        p->phase[p->n_phase].name = name;
        p->phase[p->n_phase].cpu = cpu - p->phase_cpu;
        p->phase[p->n_phase++].seconds = now - p->phase_start;
    }
    p->phase_start = now;
    p->phase_cpu = cpu;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p) {
        fputs("liteshift: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static char *lower(const char *s)
{
    char *p = xstrdup(s);
    for (char *q = p; *q; q++)
        if (*q >= 'A' && *q <= 'Z')
            *q = (char)(*q + 32);
    return p;
}

/* PostgreSQL's identifier truncation: at most 63 bytes, cut on a character boundary. */
static size_t pg_name_len(const char *s)
{
    size_t n = strlen(s);
    if (n <= 63)
        return n;
    n = 63;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    return n;
}

static bool same_pg_name(const char *a, const char *b)
{
    size_t na = pg_name_len(a), nb = pg_name_len(b);
    return na == nb && strncasecmp(a, b, na) == 0;
}

/* ---------------------------------------------------------------------------------------
 * Reading the source's schema
 * ------------------------------------------------------------------------------------- */

static int src_open(fplan *p)
{
    const ls_copy_opts *o = p->o;
    if (access(o->src, R_OK) != 0) {
        fprintf(stderr, "liteshift: cannot read %s\n", o->src);
        return 1;
    }
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;   /* one thread per connection */
    if (sqlite3_open_v2(o->src, &p->db, flags, NULL) != SQLITE_OK) {
        fprintf(stderr, "liteshift: cannot open %s: %s\n", o->src, sqlite3_errmsg(p->db));
        return 1;
    }
    sqlite3_busy_timeout(p->db, 10000);
    /* the snapshot: one read transaction for integrity check, schema, data and verify; the
     * check runs beside the copy when it can (copy_check.c), never for a dry run */
    return ls_icheck_start(p->db, o->src, !o->dry_run, &p->icheck);
}

static int load_columns(fplan *p, ftable *t)
{
    ls_cb q = {0};
    ls_cb_str(&q, "SELECT name, hidden FROM pragma_table_xinfo(");
    ls_cb_lit(&q, t->name);
    ls_cb_str(&q, ")");
    sqlite3_stmt *st;
    if (q.oom || sqlite3_prepare_v2(p->db, q.p, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "liteshift: table \"%s\": %s\n", t->name, sqlite3_errmsg(p->db));
        ls_cb_free(&q);
        return 1;
    }
    ls_cb_free(&q);
    size_t cap = 16;
    t->cols = calloc(cap, sizeof *t->cols);
    while (t->cols && sqlite3_step(st) == SQLITE_ROW) {
        if (t->n_cols == cap) {
            fcol *c = realloc(t->cols, sizeof *c * cap * 2);
            if (!c)
                break;
            t->cols = c;
            cap *= 2;
        }
        fcol *c = &t->cols[t->n_cols++];
        memset(c, 0, sizeof *c);
        c->name = xstrdup((const char *)sqlite3_column_text(st, 0));
        c->pgname = lower(c->name);
        c->generated = sqlite3_column_int(st, 1) >= 2;
    }
    sqlite3_finalize(st);
    if (!t->cols)
        return 1;
    /* DIALECT L10: PostgreSQL cuts names at 63 bytes; two that agree there would collide */
    for (size_t i = 0; i < t->n_cols; i++)
        for (size_t j = i + 1; j < t->n_cols; j++)
            if (same_pg_name(t->cols[i].name, t->cols[j].name)) {
                fprintf(stderr, "liteshift: table \"%s\": columns \"%s\" and \"%s\" are the "
                        "same name in PostgreSQL (identifiers are cut at 63 bytes)\n",
                        t->name, t->cols[i].name, t->cols[j].name);
                return 1;
            }
    return 0;
}

static int load_schema(fplan *p)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT type, name, tbl_name, sql FROM sqlite_master "
                      "WHERE sql IS NOT NULL ORDER BY rowid";
    if (sqlite3_prepare_v2(p->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "liteshift: %s: %s\n", p->o->src, sqlite3_errmsg(p->db));
        return 1;
    }
    size_t cap_t = 16, cap_x = 16;
    p->t = calloc(cap_t, sizeof *p->t);
    p->x = calloc(cap_x, sizeof *p->x);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *tbl = (const char *)sqlite3_column_text(st, 2);
        const char *text = (const char *)sqlite3_column_text(st, 3);
        if (!ls_copy_user_object(name))
            continue;
        bool is_table = strcmp(type, "table") == 0;
        if (is_table ? !ls_copy_selected(p->o, name)
                     : ls_copy_excluded(p->o, name) || (!ls_copy_selected(p->o, tbl)
                                                        && !ls_copy_selected(p->o, name)))
            continue;
        if (is_table) {
            if (p->n_t == cap_t) {
                ftable *n = realloc(p->t, sizeof *n * cap_t * 2);
                if (!n)
                    return 1;
                p->t = n;
                cap_t *= 2;
            }
            ftable *t = &p->t[p->n_t++];
            memset(t, 0, sizeof *t);
            t->name = xstrdup(name);
            t->pgname = lower(name);
            t->sql = xstrdup(text);
            ls_err err;
            if (ls_ddl_translate(text, strlen(text), &t->ddl, &err) != SQLITE_OK) {
                fprintf(stderr, "liteshift: table \"%s\" cannot be translated: %s\n", name,
                        err.msg);
                rc = 1;
                break;
            }
            t->without_rowid = t->ddl.without_rowid;
            t->hidden_rowid = t->ddl.hidden_rowid;
            for (size_t i = 0; i < t->ddl.n_cols; i++) {
                if (t->ddl.cols[i].rowid_alias)
                    t->rowid_col = xstrdup(t->ddl.cols[i].name);
                t->autoinc |= t->ddl.cols[i].autoincrement;
            }
            if (t->hidden_rowid)
                t->rowid_col = xstrdup(LS_HIDDEN_ROWID);
            rc = load_columns(p, t);
        } else {
            if (p->n_x == cap_x) {
                fobj *n = realloc(p->x, sizeof *n * cap_x * 2);
                if (!n)
                    return 1;
                p->x = n;
                cap_x *= 2;
            }
            fobj *x = &p->x[p->n_x++];
            x->type = xstrdup(type);
            x->name = xstrdup(name);
            x->tbl = xstrdup(tbl);
            x->sql = xstrdup(text);
        }
    }
    sqlite3_finalize(st);
    if (rc)
        return rc;
    for (size_t i = 0; i < p->o->n_include; i++) {
        bool found = false;
        for (size_t k = 0; k < p->n_t; k++)
            found |= strcasecmp(p->t[k].name, p->o->include[i]) == 0;
        for (size_t k = 0; k < p->n_x; k++)
            found |= strcasecmp(p->x[k].name, p->o->include[i]) == 0;
        if (!found) {
            fprintf(stderr, "liteshift: --include %s: no such table or view in %s\n",
                    p->o->include[i], p->o->src);
            return 1;
        }
    }
    /* relations share one namespace in a PostgreSQL schema (DIALECT L10) */
    size_t n = p->n_t + p->n_x;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const char *a = i < p->n_t ? p->t[i].name : p->x[i - p->n_t].name;
            const char *b = j < p->n_t ? p->t[j].name : p->x[j - p->n_t].name;
            bool trig = (i >= p->n_t && !strcmp(p->x[i - p->n_t].type, "trigger"))
                     || (j >= p->n_t && !strcmp(p->x[j - p->n_t].type, "trigger"));
            if (!trig && same_pg_name(a, b)) {
                fprintf(stderr, "liteshift: \"%s\" and \"%s\" are the same name in PostgreSQL "
                        "(identifiers are cut at 63 bytes)\n", a, b);
                return 1;
            }
        }
    return 0;
}

/* Tables in an order where every table comes after those its foreign keys reference. */
static int order_tables(fplan *p)
{
    int next = 0;
    for (size_t i = 0; i < p->n_t; i++)
        p->t[i].order = -1;
    for (size_t round = 0; round <= p->n_t; round++) {
        bool progress = false;
        for (size_t i = 0; i < p->n_t; i++) {
            ftable *t = &p->t[i];
            if (t->order >= 0)
                continue;
            ls_cb q = {0};
            ls_cb_str(&q, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(");
            ls_cb_lit(&q, t->name);
            ls_cb_str(&q, ")");
            sqlite3_stmt *st;
            bool ready = true;
            if (!q.oom && sqlite3_prepare_v2(p->db, q.p, -1, &st, NULL) == SQLITE_OK) {
                while (sqlite3_step(st) == SQLITE_ROW) {
                    const char *ref = (const char *)sqlite3_column_text(st, 0);
                    for (size_t k = 0; k < p->n_t; k++)
                        if (k != i && strcasecmp(p->t[k].name, ref) == 0 && p->t[k].order < 0)
                            ready = false;
                }
                sqlite3_finalize(st);
            }
            ls_cb_free(&q);
            if (ready) {
                t->order = next++;
                progress = true;
            }
        }
        if (!progress)
            break;
    }
    for (size_t i = 0; i < p->n_t; i++)
        if (p->t[i].order < 0) {
            fprintf(stderr, "liteshift: table \"%s\" is part of a foreign-key cycle between "
                    "tables; not supported\n", p->t[i].name);
            return 1;
        }
    return 0;
}

static int cmp_order(const void *a, const void *b)
{
    return ((const ftable *)a)->order - ((const ftable *)b)->order;
}

static int count_rows(fplan *p)
{
    for (size_t i = 0; i < p->n_t; i++) {
        ls_cb q = {0};
        ls_cb_str(&q, "SELECT count(*) FROM ");
        ls_cb_ident(&q, p->t[i].name);
        sqlite3_stmt *st;
        if (q.oom || sqlite3_prepare_v2(p->db, q.p, -1, &st, NULL) != SQLITE_OK) {
            fprintf(stderr, "liteshift: table \"%s\": %s\n", p->t[i].name, sqlite3_errmsg(p->db));
            ls_cb_free(&q);
            return 1;
        }
        ls_cb_free(&q);
        if (sqlite3_step(st) == SQLITE_ROW)
            p->t[i].rows = sqlite3_column_int64(st, 0);
        p->total_rows += p->t[i].rows;
        sqlite3_finalize(st);
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Target: conflicts, creation, deferred constraints
 * ------------------------------------------------------------------------------------- */

static bool pg_relation_exists(fplan *p, const char *pgname, char *kind)
{
    const char *params[2] = {p->o->schema, pgname};
    PGresult *r = PQexecParams(p->pg,
        "SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relname = left($2, 63)", 2, NULL, params, NULL, NULL, 0);
    bool found = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;
    if (found && kind)
        *kind = PQgetvalue(r, 0, 0)[0];
    PQclear(r);
    return found;
}

static int prepare_target(fplan *p)
{
    ls_cb q = {0};
    ls_cb_str(&q, "CREATE SCHEMA IF NOT EXISTS ");
    ls_cb_ident(&q, p->o->schema);
    ls_cb_str(&q, "; SET LOCAL search_path = ");
    ls_cb_ident(&q, p->o->schema);
    ls_cb_str(&q, ", liteshift");
    int rc = q.oom || ls_pg_exec(p->pg, q.p, "target schema");
    ls_cb_free(&q);
    if (rc)
        return 1;
    /* one copy at a time into a schema: a transaction-scoped advisory lock */
    const char *params[1] = {p->o->schema};
    PGresult *r = PQexecParams(p->pg, "SELECT pg_advisory_xact_lock(hashtext('liteshift copy ' || $1))",
                               1, NULL, params, NULL, NULL, 0);
    PQclear(r);
    ls_cb drop = {0}, trunc = {0};
    for (size_t i = 0; i < p->n_t + p->n_x; i++) {
        bool is_t = i < p->n_t;
        const char *name = is_t ? p->t[i].name : p->x[i - p->n_t].name;
        if (!is_t && !strcmp(p->x[i - p->n_t].type, "trigger"))
            continue;
        char *pgname = lower(name);
        char kind = 0;
        bool exists = pg_relation_exists(p, pgname, &kind);
        if (exists && p->o->if_exists == LS_IFX_FAIL) {
            fprintf(stderr, "liteshift: \"%s\" already exists in schema \"%s\" (use "
                    "--if-exists drop or truncate)\n", pgname, p->o->schema);
            free(pgname);
            rc = 1;
            continue;
        }
        if (exists && is_t && p->o->if_exists == LS_IFX_TRUNCATE && kind == 'r') {
            p->t[i].exists = true;
            ls_cb_str(&trunc, trunc.len ? ", " : "TRUNCATE ");
            ls_cb_ident(&trunc, pgname);
        } else if (exists && p->o->if_exists != LS_IFX_FAIL) {
            const char *what = kind == 'v' ? "VIEW" : kind == 'i' ? "INDEX" : kind == 'm'
                               ? "MATERIALIZED VIEW" : kind == 'S' ? "SEQUENCE" : "TABLE";
            ls_cb_printf(&drop, "DROP %s IF EXISTS ", what);
            ls_cb_ident(&drop, pgname);
            ls_cb_str(&drop, " CASCADE;");
        }
        free(pgname);
    }
    if (!rc && drop.len)
        rc = ls_pg_exec(p->pg, drop.p, "dropping the existing objects (--if-exists drop)");
    if (!rc && trunc.len)
        rc = ls_pg_exec(p->pg, trunc.p, "truncating the existing tables (--if-exists truncate)");
    ls_cb_free(&drop);
    ls_cb_free(&trunc);
    return rc;
}

/* D2: does the server's table (r: attname, atttypid) have the smallint "<name>:class" column
 * of text column c, which the SQLite table does not have as a column of its own?  Decided
 * from the catalog, so a table created by an older copy (--if-exists truncate) is loaded as
 * it was made: text without classes. */
static bool has_class_column(const ftable *t, const fcol *c, const PGresult *r)
{
    char cn[80];
    if (strlen(c->pgname) + strlen(LS_CLASS_SUFFIX) > 63)
        return false;
    snprintf(cn, sizeof cn, "%s" LS_CLASS_SUFFIX, c->pgname);
    for (size_t i = 0; i < t->n_cols; i++)
        if (same_pg_name(t->cols[i].name, cn))
            return false;
    for (int k = 0; k < PQntuples(r); k++)
        if (!strcmp(PQgetvalue(r, k, 0), cn))
            return strtoul(PQgetvalue(r, k, 1), NULL, 10) == OID_INT2;
    return false;
}

/* Type OIDs of the table's columns on the server, by name. */
static int load_pg_types(fplan *p, ftable *t)
{
    const char *params[2] = {p->o->schema, t->pgname};
    PGresult *r = PQexecParams(p->pg,
        "SELECT a.attname, a.atttypid FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 "
        "AND c.relname = left($2, 63) AND a.attnum > 0 AND NOT a.attisdropped",
        2, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(stderr, "liteshift: table \"%s\": %s", t->name, PQerrorMessage(p->pg));
        PQclear(r);
        return 1;
    }
    int rc = 0;
    for (size_t i = 0; i < t->n_cols; i++) {
        fcol *c = &t->cols[i];
        c->oid = 0;
        for (int k = 0; k < PQntuples(r); k++)
            if (same_pg_name(PQgetvalue(r, k, 0), c->pgname))
                c->oid = (unsigned)strtoul(PQgetvalue(r, k, 1), NULL, 10);
        if (!c->oid && !c->generated) {
            fprintf(stderr, "liteshift: table \"%s\": column \"%s\" is missing on PostgreSQL\n",
                    t->name, c->name);
            rc = 1;
        }
        c->classed = c->oid == OID_TEXT && !c->generated && has_class_column(t, c, r);
    }
    if (t->rowid_col && t->hidden_rowid) {
        bool found = false;
        for (int k = 0; k < PQntuples(r); k++)
            found |= !strcmp(PQgetvalue(r, k, 0), LS_HIDDEN_ROWID);
        if (!found) {   /* an existing table without the hidden rowid (--if-exists truncate) */
            free(t->rowid_col);
            t->rowid_col = NULL;
        }
    }
    PQclear(r);
    return rc;
}

/* Move foreign keys, then primary keys and unique constraints, out of the way of the load
 * (a sorted index build after the load is much faster than one maintained row by row); the
 * ALTER statements that bring them back go to p->deferred (keys) and p->deferred_fk.
 *
 * A foreign key on integer columns is validated with hash joins off: with the indexes built
 * first, PostgreSQL's orphan check becomes a merge anti join over the child's index (or a
 * sort of integers) and the parent's key, 2-4 times faster here than probing a hash table
 * of the whole parent table.  Text keys keep the hash join (sorting text costs more). */
static int defer_constraints(fplan *p)
{
    ls_cb keys = {0}, fks = {0}, fks_int = {0}, dropk = {0}, dropf = {0};
    for (size_t i = 0; i < p->n_t; i++) {
        ftable *t = &p->t[i];
        if (t->exists)
            continue;
        ls_cb rel = {0};
        ls_cb_ident(&rel, p->o->schema);
        ls_cb_str(&rel, ".");
        ls_cb_ident(&rel, t->pgname);
        const char *params[1] = {rel.p};
        PGresult *r = PQexecParams(p->pg,
            "SELECT conname, contype, pg_get_constraintdef(oid), NOT EXISTS (SELECT FROM "
            "unnest(conkey) k JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k "
            "WHERE a.atttypid NOT IN (20, 21, 23)) FROM pg_constraint "
            "WHERE conrelid = $1::regclass AND contype IN ('p','u','f') ORDER BY oid",
            1, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            fprintf(stderr, "liteshift: table \"%s\": %s", t->name, PQerrorMessage(p->pg));
            PQclear(r);
            ls_cb_free(&rel);
            return 1;
        }
        for (int k = 0; k < PQntuples(r); k++) {
            bool fk = PQgetvalue(r, k, 1)[0] == 'f';
            bool ints = PQgetvalue(r, k, 3)[0] == 't';
            ls_cb *add = !fk ? &keys : ints ? &fks_int : &fks, *drop = fk ? &dropf : &dropk;
            ls_cb_printf(add, "ALTER TABLE %s ADD CONSTRAINT ", rel.p);
            ls_cb_ident(add, PQgetvalue(r, k, 0));
            ls_cb_printf(add, " %s;\n", PQgetvalue(r, k, 2));
            ls_cb_printf(drop, "ALTER TABLE %s DROP CONSTRAINT ", rel.p);
            ls_cb_ident(drop, PQgetvalue(r, k, 0));
            ls_cb_str(drop, ";");
        }
        PQclear(r);
        ls_cb_free(&rel);
    }
    int rc = keys.oom || fks.oom || fks_int.oom || dropk.oom || dropf.oom;
    if (!rc && dropf.len)
        rc = ls_pg_exec(p->pg, dropf.p, "setting foreign keys aside for the load");
    if (!rc && dropk.len)
        rc = ls_pg_exec(p->pg, dropk.p, "setting keys aside for the load");
    ls_cb_add(&p->deferred, keys.p ? keys.p : "", keys.len);
    ls_cb_add(&p->deferred_fk, fks.p ? fks.p : "", fks.len);
    if (fks_int.len) {
        ls_cb_str(&p->deferred_fk, "SET LOCAL enable_hashjoin = off;\n");
        ls_cb_add(&p->deferred_fk, fks_int.p, fks_int.len);
        ls_cb_str(&p->deferred_fk, "SET LOCAL enable_hashjoin TO DEFAULT;\n");
    }
    rc |= p->deferred.oom || p->deferred_fk.oom;
    ls_cb_free(&keys);
    ls_cb_free(&fks);
    ls_cb_free(&fks_int);
    ls_cb_free(&dropk);
    ls_cb_free(&dropf);
    return rc;
}

static int create_tables(fplan *p)
{
    for (size_t i = 0; i < p->n_t; i++) {
        ftable *t = &p->t[i];
        if (!t->exists) {
            char what[300];
            snprintf(what, sizeof what, "creating table \"%s\"", t->name);
            if (ls_pg_exec(p->pg, t->ddl.sql, what))
                return 1;
        }
        if (load_pg_types(p, t))
            return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Values into PostgreSQL's binary COPY format
 * ------------------------------------------------------------------------------------- */

typedef enum vres { V_OK, V_BAD, V_BAD_TEXTABLE } vres;

static void field(ls_cb *b, const void *p, size_t n)
{
    ls_cb_u32(b, (uint32_t)n);
    ls_cb_add(b, p, n);
}

static bool exact_int_double(sqlite3_int64 i)
{
    return i >= -(1LL << 53) && i <= (1LL << 53);
}

/* One value for a column of type oid; V_BAD_TEXTABLE when a text column could hold it. */
static vres encode(ls_cb *b, sqlite3_value *v, unsigned oid, const char **why)
{
    int type = sqlite3_value_type(v);
    if (type == SQLITE_NULL) {
        ls_cb_u32(b, 0xffffffffu);
        return V_OK;
    }
    bool textable = type == SQLITE_INTEGER || type == SQLITE_FLOAT
                 || (type == SQLITE_TEXT && ls_copy_pg_text_ok(sqlite3_value_text(v),
                                                               (size_t)sqlite3_value_bytes(v)));
    vres bad = textable ? V_BAD_TEXTABLE : V_BAD;
    switch (oid) {
    case OID_INT8: case OID_INT4: case OID_INT2: {
        if (type != SQLITE_INTEGER) {
            *why = type == SQLITE_FLOAT ? "a REAL in an integer column (beyond 64 bits or "
                   "fractional)" : "not an integer";
            return bad;
        }
        sqlite3_int64 i = sqlite3_value_int64(v);
        if (oid == OID_INT8) {
            ls_cb_u32(b, 8);
            ls_cb_u64(b, (uint64_t)i);
        } else if (oid == OID_INT4 && i >= INT32_MIN && i <= INT32_MAX) {
            ls_cb_u32(b, 4);
            ls_cb_u32(b, (uint32_t)(int32_t)i);
        } else if (oid == OID_INT2 && i >= INT16_MIN && i <= INT16_MAX) {
            ls_cb_u32(b, 2);
            ls_cb_u16(b, (uint16_t)(int16_t)i);
        } else {
            *why = "out of range for the column's integer type";
            return bad;
        }
        return V_OK;
    }
    case OID_FLOAT8: case OID_FLOAT4: {
        double d;
        if (type == SQLITE_FLOAT)
            d = sqlite3_value_double(v);
        else if (type == SQLITE_INTEGER && exact_int_double(sqlite3_value_int64(v)))
            d = (double)sqlite3_value_int64(v);
        else {
            *why = type == SQLITE_INTEGER ? "an integer a double cannot hold exactly" : "not a number";
            return bad;
        }
        if (oid == OID_FLOAT4) {
            float f = (float)d;
            if ((double)f != d) {
                *why = "a double that real (float4) cannot hold exactly";
                return bad;
            }
            uint32_t u;
            memcpy(&u, &f, 4);
            ls_cb_u32(b, 4);
            ls_cb_u32(b, u);
        } else {
            uint64_t u;
            memcpy(&u, &d, 8);
            ls_cb_u32(b, 8);
            ls_cb_u64(b, u);
        }
        return V_OK;
    }
    case OID_NUMERIC: {
        char txt[32];
        if (type == SQLITE_INTEGER)
            snprintf(txt, sizeof txt, "%lld", (long long)sqlite3_value_int64(v));
        else if (type == SQLITE_FLOAT && isfinite(sqlite3_value_double(v)))
            ls_copy_dbl_text(sqlite3_value_double(v), txt);
        else {
            *why = "not a number";
            return bad;
        }
        size_t at = b->len;
        ls_cb_u32(b, 0);   /* length, patched */
        if (!ls_copy_numeric_bin(b, txt)) {
            b->len = at;
            *why = "not a number";
            return bad;
        }
        uint32_t n = (uint32_t)(b->len - at - 4);
        if (!b->oom) {
            unsigned char *l = (unsigned char *)b->p + at;
            l[0] = (unsigned char)(n >> 24), l[1] = (unsigned char)(n >> 16);
            l[2] = (unsigned char)(n >> 8), l[3] = (unsigned char)n;
        }
        return V_OK;
    }
    case OID_BOOL: {
        sqlite3_int64 i = type == SQLITE_INTEGER ? sqlite3_value_int64(v) : -1;
        if (i != 0 && i != 1) {
            *why = "a BOOLEAN column value other than 0 or 1";
            return bad;
        }
        unsigned char c = (unsigned char)i;
        field(b, &c, 1);
        return V_OK;
    }
    case OID_TEXT: case OID_VARCHAR: {
        /* a number in a text column: SQLite keeps it a number where the column was declared
         * without a type (BLOB affinity); *why tells the caller, which warns (D2) */
        if (type == SQLITE_INTEGER) {
            char txt[32];
            int n = snprintf(txt, sizeof txt, "%lld", (long long)sqlite3_value_int64(v));
            field(b, txt, (size_t)n);
            *why = "integer";
        } else if (type == SQLITE_FLOAT) {
            char txt[32];
            ls_copy_dbl_text(sqlite3_value_double(v), txt);
            field(b, txt, strlen(txt));
            *why = "real";
        } else if (type == SQLITE_TEXT && textable) {
            field(b, sqlite3_value_text(v), (size_t)sqlite3_value_bytes(v));
        } else {
            *why = type == SQLITE_BLOB ? "a BLOB in a text column"
                 : "text PostgreSQL cannot hold (a NUL byte or invalid UTF-8)";
            return V_BAD;
        }
        return V_OK;
    }
    case OID_BYTEA:
        if (type != SQLITE_BLOB) {
            *why = "not a BLOB in a BLOB column";
            return bad;
        }
        field(b, sqlite3_value_blob(v), (size_t)sqlite3_value_bytes(v));
        return V_OK;
    default:
        *why = "a column type liteshift copy does not write";
        return V_BAD;
    }
}

/* D2: one value of a column declared without a type and its class, two fields: the text (an
 * integer's decimal, a real's shortest exact text as for any text column, the text, a blob's
 * '\x' + lower-case hex) and the smallint class; NULL and NULL for NULL.  V_BAD, nothing
 * written, for text PostgreSQL cannot hold (a NUL byte, invalid UTF-8). */
static vres encode_classed(ls_cb *b, sqlite3_value *v, const char **why)
{
    int type = sqlite3_value_type(v), cls;
    char txt[32];
    switch (type) {
    case SQLITE_NULL:
        ls_cb_u32(b, 0xffffffffu);
        ls_cb_u32(b, 0xffffffffu);
        return V_OK;
    case SQLITE_INTEGER: {
        int n = snprintf(txt, sizeof txt, "%lld", (long long)sqlite3_value_int64(v));
        field(b, txt, (size_t)n);
        cls = LS_CLASS_INTEGER;
        break;
    }
    case SQLITE_FLOAT:
        ls_copy_dbl_text(sqlite3_value_double(v), txt);
        field(b, txt, strlen(txt));
        cls = LS_CLASS_REAL;
        break;
    case SQLITE_TEXT: {
        const unsigned char *s = sqlite3_value_text(v);
        size_t n = (size_t)sqlite3_value_bytes(v);
        if (!ls_copy_pg_text_ok(s, n)) {
            *why = "text PostgreSQL cannot hold (a NUL byte or invalid UTF-8)";
            return V_BAD;
        }
        field(b, s, n);
        cls = LS_CLASS_TEXT;
        break;
    }
    default: {
        const void *p = sqlite3_value_blob(v);
        size_t n = (size_t)sqlite3_value_bytes(v);
        if (2 + 2 * n > 0x3fffffff) {   /* PostgreSQL's largest field, 1 GiB - 1 */
            *why = "a BLOB over 512 MiB, too large for a text column as hex";
            return V_BAD;
        }
        ls_cb_u32(b, (uint32_t)(2 + 2 * n));
        ls_copy_hex(b, p, n);
        cls = LS_CLASS_BLOB;
        break;
    }
    }
    ls_cb_u32(b, 2);
    ls_cb_u16(b, (uint16_t)cls);
    return V_OK;
}

static const char *type_name(unsigned oid)
{
    switch (oid) {
    case OID_INT8: return "bigint";
    case OID_INT4: return "integer";
    case OID_INT2: return "smallint";
    case OID_FLOAT8: return "double precision";
    case OID_FLOAT4: return "real";
    case OID_NUMERIC: return "numeric";
    case OID_BOOL: return "boolean";
    case OID_TEXT: return "text";
    case OID_VARCHAR: return "varchar";
    case OID_BYTEA: return "bytea";
    default: return "another type";
    }
}

static void report_bad(const ftable *t, sqlite3_int64 rowid, bool has_rowid, long long rown,
                       const fcol *c, sqlite3_value *v, const char *why, const char *action)
{
    if (has_rowid)
        fprintf(stderr, "liteshift: table \"%s\" rowid %lld column \"%s\": value %s cannot be "
                "stored as %s: %s%s\n", t->name, (long long)rowid, c->name, ls_copy_show(v),
                type_name(c->oid), why, action);
    else
        fprintf(stderr, "liteshift: table \"%s\" row %lld column \"%s\": value %s cannot be "
                "stored as %s: %s%s\n", t->name, rown, c->name, ls_copy_show(v),
                type_name(c->oid), why, action);
}

static sqlite3_stmt *select_rows(fplan *p, ftable *t)
{
    ls_cb q = {0};
    ls_cb_str(&q, t->without_rowid ? "SELECT NULL" : "SELECT rowid");
    for (size_t i = 0; i < t->n_cols; i++) {   /* generated ones too: for the checksum */
        ls_cb_str(&q, ", ");
        ls_cb_ident(&q, t->cols[i].name);
    }
    ls_cb_str(&q, " FROM ");
    ls_cb_ident(&q, t->name);
    sqlite3_stmt *st = NULL;
    if (q.oom || sqlite3_prepare_v2(p->db, q.p, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "liteshift: table \"%s\": %s\n", t->name, sqlite3_errmsg(p->db));
        st = NULL;
    }
    ls_cb_free(&q);
    return st;
}

/* --on-bad-value text: find the columns holding values only text can carry; alter them. */
static int retype_columns(fplan *p, ftable *t)
{
    sqlite3_stmt *st = select_rows(p, t);
    if (!st)
        return 1;
    ls_cb scratch = {0};
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (size_t i = 0; i < t->n_cols; i++) {
            fcol *c = &t->cols[i];
            if (c->generated)
                continue;
            const char *why = "";
            scratch.len = 0;
            if (!c->to_text && !c->classed
                && encode(&scratch, sqlite3_column_value(st, (int)i + 1), c->oid, &why)
                   == V_BAD_TEXTABLE)
                c->to_text = true;
        }
    }
    sqlite3_finalize(st);
    ls_cb_free(&scratch);
    int rc = 0;
    for (size_t i = 0; i < t->n_cols && !rc; i++) {
        fcol *c = &t->cols[i];
        if (!c->to_text)
            continue;
        ls_cb q = {0};
        ls_cb_str(&q, "ALTER TABLE ");
        ls_cb_ident(&q, t->pgname);
        ls_cb_str(&q, " ALTER COLUMN ");
        ls_cb_ident(&q, c->pgname);
        ls_cb_str(&q, " TYPE text");
        fprintf(stderr, "liteshift: table \"%s\" column \"%s\": %s becomes text "
                "(--on-bad-value text)\n", t->name, c->name, type_name(c->oid));
        rc = q.oom || ls_pg_exec(p->pg, q.p, "--on-bad-value text");
        c->oid = OID_TEXT;
        ls_cb_free(&q);
    }
    return rc;
}

static int put(fplan *p, ls_cb *b)
{
    if (b->oom) {
        fputs("liteshift: out of memory\n", stderr);
        return 1;
    }
    if (b->len && PQputCopyData(p->pg, b->p, (int)b->len) != 1) {
        fprintf(stderr, "liteshift: COPY: %s", PQerrorMessage(p->pg));
        return 1;
    }
    b->len = 0;
    return 0;
}

static int copy_table(fplan *p, ftable *t)
{
    double started = ls_copy_now();
    if (p->o->on_bad == LS_BAD_TEXT && retype_columns(p, t))
        return 1;
    ls_cb q = {0};
    ls_cb_str(&q, "COPY ");
    ls_cb_ident(&q, t->pgname);
    ls_cb_str(&q, " (");
    bool first = true;
    for (size_t i = 0; i < t->n_cols; i++) {
        if (t->cols[i].generated)
            continue;
        ls_cb_str(&q, first ? "" : ", ");
        ls_cb_ident(&q, t->cols[i].pgname);
        if (t->cols[i].classed) {   /* D2: its class right after it */
            ls_cb_str(&q, ", ");
            char cn[80];
            snprintf(cn, sizeof cn, "%s" LS_CLASS_SUFFIX, t->cols[i].pgname);
            ls_cb_ident(&q, cn);
        }
        first = false;
    }
    if (t->hidden_rowid && t->rowid_col) {
        ls_cb_str(&q, first ? "" : ", ");
        ls_cb_ident(&q, LS_HIDDEN_ROWID);
    }
    /* FREEZE: the table was created in this transaction, no later hint-bit writes */
    ls_cb_str(&q, t->exists ? ") FROM STDIN (FORMAT binary)" : ") FROM STDIN (FORMAT binary, FREEZE)");
    sqlite3_stmt *st = select_rows(p, t);
    if (!st || q.oom) {
        ls_cb_free(&q);
        sqlite3_finalize(st);
        return 1;
    }
    PGresult *r = PQexec(p->pg, q.p);
    ls_cb_free(&q);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        fprintf(stderr, "liteshift: table \"%s\": COPY: %s", t->name, PQerrorMessage(p->pg));
        PQclear(r);
        sqlite3_finalize(st);
        return 1;
    }
    PQclear(r);
    ls_cb b = {0};
    ls_cb_add(&b, "PGCOPY\n\377\r\n\0", 11);
    ls_cb_u32(&b, 0);
    ls_cb_u32(&b, 0);
    uint16_t nf = 0;
    for (size_t i = 0; i < t->n_cols; i++)
        nf += !t->cols[i].generated + t->cols[i].classed;
    nf += t->hidden_rowid && t->rowid_col;
    int rc = 0, src;
    long long n = 0;
    /* the source side of the verification's checksum, computed on the way */
    unsigned *oids = p->o->no_verify ? NULL : calloc(t->n_cols ? t->n_cols : 1, sizeof *oids);
    for (size_t i = 0; oids && i < t->n_cols; i++)
        oids[i] = t->cols[i].classed ? LS_COPY_OID_CLASSED : t->cols[i].oid;
    while (rc == 0 && (src = sqlite3_step(st)) == SQLITE_ROW) {
        ls_cb_u16(&b, nf);
        sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
        for (size_t i = 0; i < t->n_cols && rc == 0; i++) {
            fcol *c = &t->cols[i];
            if (c->generated)
                continue;
            sqlite3_value *v = sqlite3_column_value(st, (int)i + 1);
            const char *why = "";
            if (c->classed ? encode_classed(&b, v, &why) == V_OK
                           : encode(&b, v, c->oid, &why) == V_OK) {
                if (*why) /* a number written as text */
                    *why == 'i' ? c->num_int++ : c->num_real++;
                continue;
            }
            if (p->o->on_bad == LS_BAD_NULL) {
                if (t->bad++ < 20)
                    report_bad(t, rowid, !t->without_rowid, n + 1, c, v, why,
                               "; stored as NULL (--on-bad-value null)");
                ls_cb_u32(&b, 0xffffffffu);
                if (c->classed)   /* and its class */
                    ls_cb_u32(&b, 0xffffffffu);
                p->bad_values++;
                continue;
            }
            report_bad(t, rowid, !t->without_rowid, n + 1, c, v, why,
                       p->o->on_bad == LS_BAD_FAIL ? " (nothing was copied; --on-bad-value "
                       "null or text choose another policy)" : " (nothing was copied)");
            rc = 1;
        }
        if (t->hidden_rowid && t->rowid_col) {
            ls_cb_u32(&b, 8);
            ls_cb_u64(&b, (uint64_t)rowid);
        }
        if (oids)
            t->sum += ls_verify_hash_row(st, oids, t->n_cols);
        n++;
        p->copied_rows++;
        if (p->o->kill_after_rows && p->copied_rows >= p->o->kill_after_rows) {
            put(p, &b);
            raise(SIGKILL);   /* test hook (LITESHIFT_TEST_KILL_AFTER_ROWS) */
        }
        if (b.len >= 256 * 1024 && put(p, &b))
            rc = 1;
        if ((n & 0xffff) == 0)
            ls_copy_progress(p->o, t->name, n, t->rows, started);
    }
    if (rc == 0 && src != SQLITE_DONE) {
        fprintf(stderr, "liteshift: table \"%s\": reading: %s\n", t->name, sqlite3_errmsg(p->db));
        rc = 1;
    }
    sqlite3_finalize(st);
    free(oids);
    t->hashed = oids != NULL && rc == 0;
    ls_cb_u16(&b, 0xffff);
    if (rc == 0)
        rc = put(p, &b);
    ls_cb_free(&b);
    if (PQputCopyEnd(p->pg, rc ? "liteshift: copy abandoned" : NULL) != 1)
        rc = 1;
    r = PQgetResult(p->pg);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == 0) {
        fprintf(stderr, "liteshift: table \"%s\": COPY: %s", t->name, PQerrorMessage(p->pg));
        rc = 1;
    }
    PQclear(r);
    while ((r = PQgetResult(p->pg)))
        PQclear(r);
    t->seconds = ls_copy_now() - started;
    for (size_t i = 0; rc == 0 && i < t->n_cols; i++) {
        const fcol *c = &t->cols[i];
        long long k = c->num_int + c->num_real;
        if (k && !c->to_text) /* --on-bad-value text said so already */
            fprintf(stderr, "liteshift: warning: table \"%s\" column \"%s\": %lld number%s "
                    "(%lld integer, %lld real) stored as text: the column is text on PostgreSQL "
                    "and keeps no storage class, so an app reading it there gets text where "
                    "SQLite gave a number (docs/compatibility.md D2); declare the column "
                    "INTEGER, REAL or NUMERIC in SQLite before copying to keep them numbers\n",
                    t->name, c->name, k, k == 1 ? "" : "s", c->num_int, c->num_real);
    }
    if (rc == 0) {
        t->rows = n;
        ls_copy_progress(p->o, t->name, n, n, started);
    }
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * After the load: keys, indexes, views, triggers, sequences, liteshift.master
 * ------------------------------------------------------------------------------------- */

static int create_objects(fplan *p)
{
    if (p->deferred.len && ls_pg_exec(p->pg, p->deferred.p,
                                      "restoring primary keys and unique constraints after "
                                      "the load (duplicate keys in the source?)"))
        return 1;
    mark(p, "keys");

    /* indexes, then views in rounds (a view may use a view created after it) */
    for (int round = 0, pending = 1; pending; round++) {
        pending = 0;
        int done = 0;
        const char *last_err_obj = NULL;
        char last_err[600] = "";
        for (size_t i = 0; i < p->n_x; i++) {
            fobj *x = &p->x[i];
            if (!x->type[0] || strcmp(x->type, "trigger") == 0)
                continue;
            if (round > 0 && strcmp(x->type, "view") != 0)
                continue;
            ls_ddl_result d;
            ls_err err;
            if (ls_ddl_translate(x->sql, strlen(x->sql), &d, &err) != SQLITE_OK) {
                fprintf(stderr, "liteshift: %s \"%s\" cannot be translated: %s; --exclude %s "
                        "copies without it\n", x->type, x->name, err.msg, x->name);
                return 1;
            }
            ls_pg_exec(p->pg, "SAVEPOINT ls_obj", "savepoint");
            PGresult *r = PQexec(p->pg, d.sql);
            bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
            if (!ok) {
                snprintf(last_err, sizeof last_err, "%s", PQerrorMessage(p->pg));
                last_err_obj = x->name;
            }
            PQclear(r);
            ls_ddl_result_clear(&d);
            ls_pg_exec(p->pg, ok ? "RELEASE SAVEPOINT ls_obj" : "ROLLBACK TO SAVEPOINT ls_obj",
                       "savepoint");
            if (ok) {
                x->type[0] = x->type[0] == 'v' ? 'V' : 'I';   /* done */
                done++;
            } else if (strcmp(x->type, "view") == 0 && round < 50) {
                pending++;
            } else {
                fprintf(stderr, "liteshift: %s \"%s\" cannot be created on PostgreSQL: %s"
                        "liteshift: --exclude %s copies without it\n", x->type, x->name,
                        last_err, x->name);
                return 1;
            }
        }
        if (pending && !done) {
            fprintf(stderr, "liteshift: view \"%s\" cannot be created on PostgreSQL: %s"
                    "liteshift: --exclude %s copies without it\n", last_err_obj, last_err,
                    last_err_obj);
            return 1;
        }
    }
    mark(p, "indexes_views");
    /* foreign keys after the indexes: see defer_constraints */
    if (p->deferred_fk.len && ls_pg_exec(p->pg, p->deferred_fk.p,
                                         "restoring foreign keys after the load (orphan rows "
                                         "in the source?)"))
        return 1;
    mark(p, "foreign_keys");
    /* triggers last, as PL/pgSQL functions (copy_trigger.c), after the data is in */
    for (size_t i = 0; i < p->n_x; i++) {
        fobj *x = &p->x[i];
        if (strcmp(x->type, "trigger") != 0)
            continue;
        ls_cb q = {0};
        char err[300] = "";
        if (ls_copy_trigger(x->sql, p->o->schema, &q, err, sizeof err)) {
            fprintf(stderr, "liteshift: trigger \"%s\" on \"%s\" cannot be translated to "
                    "PL/pgSQL: %s; --exclude %s copies without it\n", x->name, x->tbl, err,
                    x->name);
            ls_cb_free(&q);
            return 1;
        }
        char what[300];
        snprintf(what, sizeof what, "trigger \"%s\" (--exclude %s copies without it)", x->name,
                 x->name);
        int rc = ls_pg_exec(p->pg, q.p, what);
        ls_cb_free(&q);
        if (rc)
            return 1;
    }
    for (size_t i = 0; i < p->n_x; i++)   /* restore the names of the types */
        if (p->x[i].type[0] == 'V' || p->x[i].type[0] == 'I')
            p->x[i].type[0] = (char)(p->x[i].type[0] + 32);
    return 0;
}

static long long sqlite_sequence(fplan *p, const char *table)
{
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(p->db, "SELECT seq FROM sqlite_sequence WHERE name = ? COLLATE NOCASE",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int set_sequences(fplan *p)
{
    for (size_t i = 0; i < p->n_t; i++) {
        ftable *t = &p->t[i];
        if (!t->rowid_col)
            continue;
        long long seq = t->autoinc ? sqlite_sequence(p, t->name) : -1, max = 0;
        ls_cb rel = {0}, q = {0};
        /* max(rowid) from the snapshot: SQLite answers from the b-tree's last page */
        ls_cb_str(&q, "SELECT max(rowid) FROM ");
        ls_cb_ident(&q, t->name);
        sqlite3_stmt *st;
        if (!q.oom && sqlite3_prepare_v2(p->db, q.p, -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                max = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
        q.len = 0;
        ls_cb_ident(&rel, p->o->schema);
        ls_cb_str(&rel, ".");
        ls_cb_ident(&rel, t->pgname);
        char seqv[32], maxv[32];
        snprintf(seqv, sizeof seqv, "%lld", seq);
        snprintf(maxv, sizeof maxv, "%lld", max);
        const char *params[4] = {rel.p, t->rowid_col, seqv, maxv};
        /* the next id is max(rowid, sqlite_sequence)+1, as in SQLite */
        ls_cb_str(&q, "SELECT setval(pg_get_serial_sequence($1, $2), greatest($3::bigint, "
                      "$4::bigint, 1), greatest($3::bigint, $4::bigint) > 0)");
        PGresult *r = q.oom ? NULL : PQexecParams(p->pg, q.p, 4, NULL, params, NULL, NULL, 0);
        int rc = PQresultStatus(r) != PGRES_TUPLES_OK;
        if (rc)
            fprintf(stderr, "liteshift: table \"%s\": setting the identity sequence: %s",
                    t->name, PQerrorMessage(p->pg));
        PQclear(r);
        ls_cb_free(&rel);
        ls_cb_free(&q);
        if (rc)
            return 1;
    }
    return 0;
}

static int record_master(fplan *p)
{
    /* PRAGMA user_version and application_id persist in liteshift.pragma (the shim's), and
     * so does the journal mode, WAL (1) or a rollback journal (0), which the shim's locking
     * follows (docs/compatibility.md D11) */
    static const char *const kv[] = {"user_version", "application_id", "journal_mode"};
    for (int i = 0; i < 3; i++) {
        char q[64], val[32];
        snprintf(q, sizeof q, "PRAGMA %s", kv[i]);
        sqlite3_stmt *st;
        long long v = 0;
        if (sqlite3_prepare_v2(p->db, q, -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                v = i < 2 ? sqlite3_column_int64(st, 0)
                          : sqlite3_column_text(st, 0) &&
                                strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
            sqlite3_finalize(st);
        }
        snprintf(val, sizeof val, "%lld", v);
        const char *params[3] = {p->o->schema, kv[i], val};
        PGresult *r = PQexecParams(p->pg, "INSERT INTO liteshift.pragma VALUES ($1, $2, "
                                   "$3::bigint) ON CONFLICT (db, name) DO UPDATE SET "
                                   "value = excluded.value", 3, NULL, params, NULL, NULL, 0);
        int rc = PQresultStatus(r) != PGRES_COMMAND_OK;
        if (rc)
            fprintf(stderr, "liteshift: liteshift.pragma: %s", PQerrorMessage(p->pg));
        PQclear(r);
        if (rc)
            return 1;
    }
    const char *ins = "INSERT INTO liteshift.master (schemaname, type, name, tbl_name, sql) "
                      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (schemaname, type, name) "
                      "DO UPDATE SET tbl_name = excluded.tbl_name, sql = excluded.sql";
    for (size_t i = 0; i < p->n_t + p->n_x; i++) {
        const char *v[5];
        v[0] = p->o->schema;
        if (i < p->n_t) {
            v[1] = "table", v[2] = p->t[i].name, v[3] = p->t[i].name, v[4] = p->t[i].sql;
        } else {
            fobj *x = &p->x[i - p->n_t];
            v[1] = x->type, v[2] = x->name, v[3] = x->tbl, v[4] = x->sql;
        }
        PGresult *r = PQexecParams(p->pg, ins, 5, NULL, v, NULL, NULL, 0);
        int rc = PQresultStatus(r) != PGRES_COMMAND_OK;
        if (rc)
            fprintf(stderr, "liteshift: liteshift.master: %s", PQerrorMessage(p->pg));
        PQclear(r);
        if (rc)
            return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Plan output, report, driver
 * ------------------------------------------------------------------------------------- */

static void dry_run(fplan *p)
{
    printf("-- liteshift copy --dry-run: %s -> schema \"%s\" (%lld rows in %zu tables)\n",
           p->o->src, p->o->schema, p->total_rows, p->n_t);
    for (size_t i = 0; i < p->n_t; i++)
        printf("-- table \"%s\": %lld rows%s%s\n%s;\n", p->t[i].name, p->t[i].rows,
               p->t[i].autoinc ? ", AUTOINCREMENT (sequence from sqlite_sequence)" : "",
               p->t[i].hidden_rowid ? ", rowid kept in the hidden \"rowid\" column" : "",
               p->t[i].ddl.sql);
    for (size_t i = 0; i < p->n_x; i++) {
        ls_ddl_result d;
        ls_err err;
        if (ls_ddl_translate(p->x[i].sql, strlen(p->x[i].sql), &d, &err) == SQLITE_OK) {
            printf("-- %s \"%s\"\n%s;\n", p->x[i].type, p->x[i].name, d.sql);
            ls_ddl_result_clear(&d);
        } else {
            printf("-- %s \"%s\": REFUSED: %s\n", p->x[i].type, p->x[i].name, err.msg);
        }
    }
}

static int write_report(fplan *p, int rc, double seconds, const ls_verify_result *vr)
{
    if (!p->o->report)
        return 0;
    ls_cb b = {0};
    ls_cb_str(&b, "{\"command\":\"copy\",\"direction\":\"sqlite-to-postgresql\",\"source\":");
    ls_cb_json(&b, p->o->src, strlen(p->o->src));
    ls_cb_str(&b, ",\"schema\":");
    ls_cb_json(&b, p->o->schema, strlen(p->o->schema));
    ls_cb_printf(&b, ",\"ok\":%s,\"seconds\":%.3f,\"rows\":%lld,\"rows_per_second\":%.0f,"
                 "\"bad_values\":%lld,\"tables\":[", rc ? "false" : "true", seconds,
                 p->copied_rows, seconds > 0 ? (double)p->copied_rows / seconds : 0,
                 p->bad_values);
    for (size_t i = 0; i < p->n_t; i++) {
        ls_cb_str(&b, i ? "," : "");
        ls_cb_str(&b, "{\"name\":");
        ls_cb_json(&b, p->t[i].name, strlen(p->t[i].name));
        ls_cb_printf(&b, ",\"rows\":%lld,\"seconds\":%.3f,\"bad_values\":%lld}", p->t[i].rows,
                     p->t[i].seconds, p->t[i].bad);
    }
    ls_cb_printf(&b, "],\"integrity_check\":\"%s\"", ls_icheck_threaded(p->icheck)
                 ? "beside the copy" : "before the copy");
    ls_cb_str(&b, ",\"phases\":{");
    for (size_t i = 0; i < p->n_phase; i++)
        ls_cb_printf(&b, "%s\"%s\":%.3f", i ? "," : "", p->phase[i].name, p->phase[i].seconds);
    ls_cb_str(&b, "},\"phases_cpu\":{");
    for (size_t i = 0; i < p->n_phase; i++)
        ls_cb_printf(&b, "%s\"%s\":%.3f", i ? "," : "", p->phase[i].name, p->phase[i].cpu);
    ls_cb_str(&b, "},\"objects\":[");
    for (size_t i = 0; i < p->n_x; i++) {
        ls_cb_str(&b, i ? "," : "");
        ls_cb_printf(&b, "{\"type\":\"%s\",\"name\":", p->x[i].type);
        ls_cb_json(&b, p->x[i].name, strlen(p->x[i].name));
        ls_cb_str(&b, "}");
    }
    ls_cb_str(&b, "],\"verify\":");
    if (vr && vr->tables)
        ls_verify_json(&b, vr);
    else
        ls_cb_str(&b, "null");
    ls_cb_str(&b, "}\n");
    FILE *f = fopen(p->o->report, "w");
    int wrc = !f || b.oom || fwrite(b.p, 1, b.len, f) != b.len;
    if (f && fclose(f) != 0)
        wrc = 1;
    if (wrc)
        fprintf(stderr, "liteshift: cannot write the report %s\n", p->o->report);
    ls_cb_free(&b);
    return wrc;
}

static void summary(fplan *p, double seconds)
{
    if (p->o->quiet)
        return;
    fprintf(stderr, "%-32s %12s %10s %12s\n", "table", "rows", "seconds", "rows/s");
    for (size_t i = 0; i < p->n_t; i++)
        fprintf(stderr, "%-32.32s %12lld %10.2f %12.0f\n", p->t[i].name, p->t[i].rows,
                p->t[i].seconds, p->t[i].seconds > 0 ? (double)p->t[i].rows / p->t[i].seconds : 0);
    fprintf(stderr, "%-32s %12lld %10.2f %12.0f\n", "total (with keys, indexes, verify)",
            p->copied_rows, seconds, seconds > 0 ? (double)p->copied_rows / seconds : 0);
}

static void plan_free(fplan *p)
{
    for (size_t i = 0; i < p->n_t; i++) {
        ftable *t = &p->t[i];
        for (size_t k = 0; k < t->n_cols; k++) {
            free(t->cols[k].name);
            free(t->cols[k].pgname);
        }
        free(t->cols);
        free(t->name);
        free(t->pgname);
        free(t->sql);
        free(t->rowid_col);
        ls_ddl_result_clear(&t->ddl);
    }
    for (size_t i = 0; i < p->n_x; i++) {
        free(p->x[i].type);
        free(p->x[i].name);
        free(p->x[i].tbl);
        free(p->x[i].sql);
    }
    free(p->t);
    free(p->x);
    ls_cb_free(&p->deferred);
    ls_cb_free(&p->deferred_fk);
}

int ls_copy_forward(const ls_copy_opts *o)
{
    double started = ls_copy_now();
    fplan p;
    memset(&p, 0, sizeof p);
    p.o = o;
    p.phase_start = started;
    p.phase_cpu = thread_cpu();
    ls_verify_result vr;
    memset(&vr, 0, sizeof vr);
    int rc = src_open(&p);
    if (!rc)
        rc = load_schema(&p);
    if (!rc)
        rc = order_tables(&p);
    if (!rc) {
        qsort(p.t, p.n_t, sizeof *p.t, cmp_order);
        rc = count_rows(&p);
    }
    mark(&p, "source_check");
    if (!rc && o->dry_run) {
        dry_run(&p);
        goto done;
    }
    if (!rc && !(p.pg = ls_pg_open(o->dst)))
        rc = 1;
    if (!rc) {
        /* the compat pack (liteshift.master, the date functions translated DDL may call);
         * installed in its own transaction, idempotent, before ours */
        char err[512] = "";
        if (ls_compat_install(p.pg, err, sizeof err) != SQLITE_OK) {
            fprintf(stderr, "liteshift: installing the compat pack: %s\n", err);
            rc = 1;
        }
    }
    if (!rc)
        rc = ls_pg_exec(p.pg, "BEGIN", "BEGIN");
    if (!rc)   /* sorts for the key and index builds after the load (server memory) */
        rc = ls_pg_exec(p.pg, "SET LOCAL maintenance_work_mem = '256MB'", "settings");
    if (!rc && o->jobs > 1) {
        char set[80];
        snprintf(set, sizeof set, "SET LOCAL max_parallel_maintenance_workers = %d", o->jobs - 1);
        rc = ls_pg_exec(p.pg, set, "--jobs");
    }
    if (!rc)
        rc = prepare_target(&p);
    if (!rc)
        rc = create_tables(&p);
    if (!rc)
        rc = defer_constraints(&p);
    mark(&p, "schema");
    for (size_t i = 0; i < p.n_t && !rc; i++)
        rc = ls_icheck_failed(p.icheck) || copy_table(&p, &p.t[i]);
    mark(&p, "load");
    if (!rc)
        rc = create_objects(&p);
    mark(&p, "triggers");
    if (!rc)
        rc = set_sequences(&p);
    if (!rc)
        rc = record_master(&p);
    mark(&p, "sequences_master");
    if (!rc && ls_icheck_failed(p.icheck))
        rc = 1;
    if (!rc && !o->no_verify) {
        /* the same snapshot on both sides: SQLite's read transaction and ours */
        ls_verify_pre *pre = calloc(p.n_t ? p.n_t : 1, sizeof *pre);
        size_t n_pre = 0;
        for (size_t i = 0; pre && i < p.n_t; i++)
            if (p.t[i].hashed && p.bad_values == 0)
                pre[n_pre++] = (ls_verify_pre){p.t[i].name, p.t[i].rows, p.t[i].sum};
        rc = ls_verify_run_pre(o, p.db, p.pg, pre, n_pre, &vr);
        free(pre);
        if (rc)
            fprintf(stderr, "liteshift: verification failed: nothing was copied\n");
        mark(&p, "verify");
    }
    if (!rc) {   /* never COMMIT before the source passed its integrity check */
        rc = ls_icheck_wait(p.icheck);
        mark(&p, "integrity_wait");
    }
    if (!rc) {
        rc = ls_pg_exec(p.pg, "COMMIT", "COMMIT");
        mark(&p, "commit");
    } else if (p.pg) {
        ls_pg_exec(p.pg, "ROLLBACK", "ROLLBACK");
    }
    if (!rc)
        summary(&p, ls_copy_now() - started);
done:
    if (p.icheck && ls_icheck_wait(p.icheck))   /* its messages, if it failed */
        rc = 1;
    if (write_report(&p, rc, ls_copy_now() - started, &vr))
        rc = 1;
    if (rc && !o->dry_run)
        fprintf(stderr, "liteshift: copy failed; the target is unchanged\n");
    ls_verify_result_clear(&vr);
    if (p.pg)
        PQfinish(p.pg);
    ls_icheck_free(p.icheck);
    if (p.db) {
        sqlite3_exec(p.db, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(p.db);
    }
    plan_free(&p);
    return rc;
}
