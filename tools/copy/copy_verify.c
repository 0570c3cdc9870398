/* SPDX-License-Identifier: MIT
 *
 * Verification of a copy, value by value.  For each table both sides are read in rowid order
 * (primary-key order for WITHOUT ROWID tables) -- SQLite by a statement, PostgreSQL by a
 * binary COPY TO STDOUT, so memory stays bounded -- and merged by rowid.  Each value is put in
 * a canonical form of the PostgreSQL column's domain ("i" integer, "f" + the 64 bits of a
 * double, "t" text bytes, "b" blob bytes, "N" NULL), computed independently on each side from
 * the raw values (never through printf('%.17g') or hex(), which lose information); the first
 * difference is named (table, rowid, column, both values).  A per-table checksum (sum of
 * 64-bit FNV-1a row hashes over rowid and canonical values: order-independent), the row
 * counts, and the identity sequences (ahead of max key and of sqlite_sequence) are reported.
 * Two SQLite files are compared the same way with SQLite's own types as the domain.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "copy.h"
#include "rewrite.h"

typedef struct vcol {
    char *name;
    unsigned oid;      /* PostgreSQL type (0 on the SQLite-pair path) */
} vcol;

typedef struct vtab {
    char *name, *sql;
    vcol *cols;
    size_t n_cols;
    char *rowid_col;   /* PostgreSQL column holding the rowid, or NULL */
    bool without_rowid, autoinc;
    char *order_pk;    /* WITHOUT ROWID: SQLite ORDER BY list */
    char *order_pk_pg;
} vtab;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Canonical forms are a tag byte and a payload: 'i' + int64, 'f' + double (8 raw bytes
 * each), 't'/'b' + bytes, 'N', '?' + SQLite type (a value that cannot equal anything). */
static void canon_bits(ls_cb *b, double d)
{
    char x[9] = "f";
    memcpy(x + 1, &d, 8);
    ls_cb_add(b, x, 9);
}

static void canon_int(ls_cb *b, long long v)
{
    char x[9] = "i";
    memcpy(x + 1, &v, 8);
    ls_cb_add(b, x, 9);
}

static void canon_bad(ls_cb *b, int type)
{
    char x[2] = {'?', (char)type};
    ls_cb_add(b, x, 2);
}

static bool fits_int(double d)
{
    return d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0;
}

/* The SQLite value in the domain of PostgreSQL type oid (0: SQLite's own domain). */
static void canon_sqlite(ls_cb *b, sqlite3_value *v, unsigned oid)
{
    int type = sqlite3_value_type(v);
    if (type == SQLITE_NULL) {
        ls_cb_str(b, "N");
        return;
    }
    sqlite3_int64 i = sqlite3_value_int64(v);
    double d = sqlite3_value_double(v);
    switch (oid) {
    case 0:
        if (type == SQLITE_INTEGER)
            canon_int(b, (long long)i);
        else if (type == SQLITE_FLOAT)
            canon_bits(b, d);
        else {
            ls_cb_str(b, type == SQLITE_TEXT ? "t" : "b");
            ls_cb_add(b, sqlite3_value_blob(v), (size_t)sqlite3_value_bytes(v));
        }
        return;
    case 20: case 21: case 23: case 16:
        if (type == SQLITE_INTEGER)
            canon_int(b, (long long)i);
        else
            canon_bad(b, type);
        return;
    case 700: case 701:
        if (type == SQLITE_FLOAT)
            canon_bits(b, d);
        else if (type == SQLITE_INTEGER && i >= -(1LL << 53) && i <= (1LL << 53))
            canon_bits(b, (double)i);
        else
            canon_bad(b, type);
        return;
    case 1700:
        if (type == SQLITE_INTEGER)
            canon_int(b, (long long)i);
        else if (type == SQLITE_FLOAT && fits_int(d))
            canon_int(b, (long long)d);
        else if (type == SQLITE_FLOAT)
            canon_bits(b, d);
        else
            canon_bad(b, type);
        return;
    case 17:
        if (type == SQLITE_BLOB) {
            ls_cb_str(b, "b");
            ls_cb_add(b, sqlite3_value_blob(v), (size_t)sqlite3_value_bytes(v));
        } else {
            canon_bad(b, type);
        }
        return;
    default:   /* text and everything PostgreSQL renders as text */
        if (type == SQLITE_BLOB) {
            canon_bad(b, type);
        } else if (type == SQLITE_FLOAT) {
            char t[32];
            ls_copy_dbl_text(d, t);
            ls_cb_printf(b, "t%s", t);
        } else {
            ls_cb_str(b, "t");
            ls_cb_add(b, sqlite3_value_text(v), (size_t)sqlite3_value_bytes(v));
        }
        return;
    }
}

uint64_t ls_be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* One PostgreSQL binary field (as read by the verify query) in the same domain. */
static void canon_pg(ls_cb *b, const unsigned char *p, int32_t len, unsigned oid)
{
    if (len < 0) {
        ls_cb_str(b, "N");
        return;
    }
    switch (oid) {
    case 20: case 21: case 23:
        canon_int(b, len == 8 ? (long long)(int64_t)ls_be(p, 8)
                  : len == 4 ? (long long)(int32_t)ls_be(p, 4) : (long long)(int16_t)ls_be(p, 2));
        return;
    case 16:
        canon_int(b, p[0] ? 1 : 0);
        return;
    case 700: case 701: {   /* float4 is read as float8 */
        uint64_t u = ls_be(p, 8);
        double d;
        memcpy(&d, &u, 8);
        canon_bits(b, d);
        return;
    }
    case 1700: {            /* read as text */
        char t[400];
        snprintf(t, sizeof t, "%.*s", len < 399 ? (int)len : 399, (const char *)p);
        char *end;
        errno = 0;
        long long ll = strtoll(t, &end, 10);
        if (*end == '\0' && end != t && errno == 0)
            canon_int(b, ll);
        else
            canon_bits(b, strtod(t, NULL));
        return;
    }
    case 17:
        ls_cb_str(b, "b");
        ls_cb_add(b, p, (size_t)len);
        return;
    default:
        ls_cb_str(b, "t");
        ls_cb_add(b, p, (size_t)len);
        return;
    }
}

static void show_canon(char *out, size_t cap, const char *c, size_t n)
{
    if (n == 9 && (c[0] == 'i' || c[0] == 'f')) {
        long long v;
        double d;
        memcpy(&v, c + 1, 8);
        memcpy(&d, c + 1, 8);
        if (c[0] == 'i')
            snprintf(out, cap, "%lld (integer)", v);
        else
            snprintf(out, cap, "%.17g (real)", d);
        return;
    }
    if (n == 2 && c[0] == '?') {
        snprintf(out, cap, "a %s value that the column type cannot hold",
                 c[1] == SQLITE_INTEGER ? "INTEGER" : c[1] == SQLITE_FLOAT ? "REAL"
                 : c[1] == SQLITE_TEXT ? "TEXT" : "BLOB");
        return;
    }
    if (n == 1 && c[0] == 'N') {
        snprintf(out, cap, "NULL");
        return;
    }
    size_t o = 0;
    bool blob = n && c[0] == 'b';
    o += (size_t)snprintf(out, cap, "%s", blob ? "X'" : "'");
    for (size_t i = 1; i < n && o + 8 < cap; i++) {
        unsigned char ch = (unsigned char)c[i];
        if (blob)
            o += (size_t)snprintf(out + o, cap - o, "%02X", ch);
        else if (ch >= 0x20 && ch < 0x7f)
            out[o++] = (char)ch;
        else
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", ch);
    }
    snprintf(out + o, cap - o, "'");
}

static char *xdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p) {
        fputs("liteshift: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static void vtab_free(vtab *t)
{
    for (size_t i = 0; i < t->n_cols; i++)
        free(t->cols[i].name);
    free(t->cols);
    free(t->name);
    free(t->sql);
    free(t->rowid_col);
    free(t->order_pk);
    free(t->order_pk_pg);
}

/* Table description from the SQLite side (and its DDL translation). */
static int describe(sqlite3 *db, const char *name, const char *sql, vtab *t)
{
    memset(t, 0, sizeof *t);
    t->name = xdup(name);
    t->sql = xdup(sql);
    ls_ddl_result d;
    ls_err err;
    if (ls_ddl_translate(sql, strlen(sql), &d, &err) != SQLITE_OK) {
        fprintf(stderr, "liteshift: table \"%s\" cannot be translated: %s\n", name, err.msg);
        return 1;
    }
    t->without_rowid = d.without_rowid;
    for (size_t i = 0; i < d.n_cols; i++) {
        if (d.cols[i].rowid_alias)
            t->rowid_col = xdup(d.cols[i].name);
        t->autoinc |= d.cols[i].autoincrement;
    }
    if (d.hidden_rowid)
        t->rowid_col = xdup(LS_HIDDEN_ROWID);
    ls_cb q = {0}, pk = {0}, pkpg = {0};
    ls_cb_str(&q, "SELECT name, pk FROM pragma_table_xinfo(");
    ls_cb_lit(&q, name);
    ls_cb_str(&q, ")");
    sqlite3_stmt *st;
    if (q.oom || sqlite3_prepare_v2(db, q.p, -1, &st, NULL) != SQLITE_OK) {
        ls_cb_free(&q);
        ls_ddl_result_clear(&d);
        return 1;
    }
    ls_cb_free(&q);
    size_t cap = 8;
    t->cols = calloc(cap, sizeof *t->cols);
    /* pk order: collect (pk index, name) then emit sorted */
    char *pks[64] = {0};
    while (t->cols && sqlite3_step(st) == SQLITE_ROW) {
        if (t->n_cols == cap) {
            vcol *n = realloc(t->cols, sizeof *n * cap * 2);
            if (!n)
                break;
            t->cols = n;
            cap *= 2;
        }
        vcol *c = &t->cols[t->n_cols++];
        c->name = xdup((const char *)sqlite3_column_text(st, 0));
        c->oid = 0;
        int k = sqlite3_column_int(st, 1);
        if (k > 0 && k <= 64)
            pks[k - 1] = c->name;
    }
    sqlite3_finalize(st);
    for (int k = 0; k < 64 && pks[k]; k++) {
        ls_cb_str(&pk, k ? ", " : "");
        ls_cb_ident(&pk, pks[k]);
        ls_cb_str(&pkpg, k ? ", " : "");
        char *l = xdup(pks[k]);
        for (char *c = l; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c + 32);
        ls_cb_ident(&pkpg, l);
        /* SQLite's BINARY order of text is "C"; other types take no collation (an integer
         * key of a WITHOUT ROWID table is a bigint: COLLATE would be an error) */
        for (size_t j = 0; j < d.n_cols; j++)
            if (strcmp(d.cols[j].name, l) == 0 && d.cols[j].pg_type &&
                strcmp(d.cols[j].pg_type, "text") == 0)
                ls_cb_str(&pkpg, " COLLATE \"C\"");
        free(l);
    }
    ls_ddl_result_clear(&d);
    t->order_pk = xdup(pk.p ? pk.p : "1");
    t->order_pk_pg = xdup(pkpg.p ? pkpg.p : "1");
    ls_cb_free(&pk);
    ls_cb_free(&pkpg);
    return t->cols ? 0 : 1;
}

static sqlite3_stmt *sqlite_rows(sqlite3 *db, const vtab *t, bool ordered)
{
    ls_cb q = {0};
    ls_cb_str(&q, t->without_rowid ? "SELECT NULL" : "SELECT rowid");
    for (size_t i = 0; i < t->n_cols; i++) {
        ls_cb_str(&q, ", ");
        ls_cb_ident(&q, t->cols[i].name);
    }
    ls_cb_str(&q, " FROM ");
    ls_cb_ident(&q, t->name);
    if (ordered)
        ls_cb_printf(&q, " ORDER BY %s", t->without_rowid ? t->order_pk : "rowid");
    sqlite3_stmt *st = NULL;
    if (q.oom || sqlite3_prepare_v2(db, q.p, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "liteshift: verify: table \"%s\": %s\n", t->name, sqlite3_errmsg(db));
        st = NULL;
    }
    ls_cb_free(&q);
    return st;
}

/* ---------------------------------------------------------------------------------------
 * PostgreSQL side: one binary COPY per table, parsed row by row
 * ------------------------------------------------------------------------------------- */


static int pg_types(PGconn *pg, const char *schema, vtab *t)
{
    char *pgname = xdup(t->name);
    for (char *c = pgname; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    const char *params[2] = {schema, pgname};
    PGresult *r = PQexecParams(pg,
        "SELECT a.attname, a.atttypid FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 "
        "AND c.relname = left($2, 63) AND a.attnum > 0 AND NOT a.attisdropped",
        2, NULL, params, NULL, NULL, 0);
    free(pgname);
    int rc = PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) == 0;
    if (rc)
        fprintf(stderr, "liteshift: verify: table \"%s\" is missing on PostgreSQL (schema "
                "\"%s\")\n", t->name, schema);
    for (size_t i = 0; i < t->n_cols && !rc; i++) {
        for (int k = 0; k < PQntuples(r); k++)
            if (strncasecmp(PQgetvalue(r, k, 0), t->cols[i].name, 63) == 0)
                t->cols[i].oid = (unsigned)strtoul(PQgetvalue(r, k, 1), NULL, 10);
        if (!t->cols[i].oid) {
            fprintf(stderr, "liteshift: verify: table \"%s\" column \"%s\" is missing on "
                    "PostgreSQL\n", t->name, t->cols[i].name);
            rc = 1;
        }
    }
    if (!rc && t->rowid_col) {
        bool found = false;
        for (int k = 0; k < PQntuples(r); k++)
            found |= strcmp(PQgetvalue(r, k, 0), t->rowid_col) == 0;
        if (!found) {
            free(t->rowid_col);
            t->rowid_col = NULL;
        }
    }
    PQclear(r);
    return rc;
}

static int pg_start(ls_pgrows *s, PGconn *pg, const char *schema, const vtab *t, bool ordered)
{
    memset(s, 0, sizeof *s);
    s->pg = pg;
    ls_cb q = {0};
    ls_cb_str(&q, "SELECT ");
    if (t->rowid_col)
        ls_cb_ident(&q, t->rowid_col);
    else
        ls_cb_str(&q, "NULL::bigint");
    for (size_t i = 0; i < t->n_cols; i++) {
        char *l = xdup(t->cols[i].name);
        for (char *c = l; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c + 32);
        ls_cb_str(&q, ", ");
        ls_cb_ident(&q, l);
        free(l);
        switch (t->cols[i].oid) {
        case 20: case 21: case 23: case 16: case 17: case 25: case 701:
            break;
        case 700:
            ls_cb_str(&q, "::float8");
            break;
        default:
            ls_cb_str(&q, "::text");
        }
    }
    ls_cb_str(&q, " FROM ");
    ls_cb_ident(&q, schema);
    ls_cb_str(&q, ".");
    char *l = xdup(t->name);
    for (char *c = l; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    ls_cb_ident(&q, l);
    free(l);
    if (ordered)
        ls_cb_printf(&q, " ORDER BY %s", t->rowid_col ? "1" : t->order_pk_pg);
    int rc = q.oom || ls_pgrows_start(s, pg, q.p, t->name);
    ls_cb_free(&q);
    return rc;
}

int ls_pgrows_start(ls_pgrows *s, PGconn *pg, const char *select, const char *what)
{
    memset(s, 0, sizeof *s);
    s->pg = pg;
    ls_cb q = {0};
    ls_cb_printf(&q, "COPY (%s) TO STDOUT (FORMAT binary)", select);
    PGresult *r = q.oom ? NULL : PQexec(pg, q.p);
    ls_cb_free(&q);
    int rc = PQresultStatus(r) != PGRES_COPY_OUT;
    if (rc)
        fprintf(stderr, "liteshift: table \"%s\": reading PostgreSQL: %s", what, PQerrorMessage(pg));
    PQclear(r);
    return rc;
}

/* Next row: fields[i]/lens[i] (len -1 = NULL), up to n fields; false at the end. */
bool ls_pgrows_next(ls_pgrows *s, const unsigned char **fields, int32_t *lens, size_t n)
{
    while (!s->done) {
        if (s->at == s->end) {
            if (s->msg)
                PQfreemem(s->msg);
            s->msg = NULL;
            int len = PQgetCopyData(s->pg, &s->msg, 0);
            if (len < 0) {
                s->done = true;
                PGresult *r;
                while ((r = PQgetResult(s->pg))) {
                    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                        s->failed = true;
                        fprintf(stderr, "liteshift: verify: %s", PQerrorMessage(s->pg));
                    }
                    PQclear(r);
                }
                return false;
            }
            s->at = (const unsigned char *)s->msg;
            s->end = s->at + len;
            if (len >= 19 && memcmp(s->at, "PGCOPY\n\377\r\n", 11) == 0)
                s->at += 19 + ls_be(s->at + 15, 4);
            continue;
        }
        if (s->end - s->at < 2)
            break;
        int16_t nf = (int16_t)ls_be(s->at, 2);
        s->at += 2;
        if (nf < 0) {
            s->at = s->end;
            continue;
        }
        for (int16_t i = 0; i < nf; i++) {
            if (s->end - s->at < 4)
                goto broken;
            int32_t len = (int32_t)ls_be(s->at, 4);
            s->at += 4;
            if ((size_t)i < n) {
                fields[i] = s->at;
                lens[i] = len;
            }
            if (len > 0) {
                if (s->end - s->at < len)
                    goto broken;
                s->at += len;
            }
        }
        return true;
    }
    return false;
broken:
    fprintf(stderr, "liteshift: verify: malformed COPY data\n");
    s->failed = true;
    s->done = true;
    return false;
}

void ls_pgrows_finish(ls_pgrows *s)
{
    const unsigned char *f[1];
    int32_t l[1];
    while (ls_pgrows_next(s, f, l, 0))
        ;
    if (s->msg)
        PQfreemem(s->msg);
    s->msg = NULL;
}

/* ---------------------------------------------------------------------------------------
 * Comparison
 * ------------------------------------------------------------------------------------- */

typedef struct side {
    bool has;
    long long rowid;
    uint64_t hash;
} side;

static int add_table(ls_verify_result *res, const char *name)
{
    ls_verify_table *n = realloc(res->tables, sizeof *n * (res->n_tables + 1));
    if (!n)
        return 1;
    res->tables = n;
    ls_verify_table *vt = &res->tables[res->n_tables++];
    memset(vt, 0, sizeof *vt);
    snprintf(vt->name, sizeof vt->name, "%s", name);
    vt->ok = true;
    return 0;
}

static void differ(ls_verify_table *vt, const vtab *t, long long rowid, long long rown,
                   const char *col, const char *a, size_t na, const char *b, size_t nb,
                   const char *sa, const char *sb)
{
    if (!vt->ok)
        return;
    vt->ok = false;
    char x[220], y[220];
    show_canon(x, sizeof x, a, na < 200 ? na : 200);
    show_canon(y, sizeof y, b, nb < 200 ? nb : 200);
    if (t->without_rowid)
        fprintf(stderr, "liteshift: verify: table \"%s\" row %lld column \"%s\" differs: %s %s, "
                "%s %s\n", t->name, rown, col, sa, x, sb, y);
    else
        fprintf(stderr, "liteshift: verify: table \"%s\" rowid %lld column \"%s\" differs: %s %s, "
                "%s %s\n", t->name, rowid, col, sa, x, sb, y);
}

static uint64_t row_hash(long long rowid, const ls_cb *c, const size_t *off, size_t n)
{
    uint64_t h = fnv(14695981039346656037ull, &rowid, sizeof rowid);
    for (size_t i = 0; i < n; i++) {
        uint32_t l = (uint32_t)(off[i + 1] - off[i]);
        h = fnv(fnv(h, &l, 4), c->p + off[i], l);
    }
    return h;
}

uint64_t ls_verify_hash_row(sqlite3_stmt *st, const unsigned *oids, size_t n, ls_cb *scratch)
{
    long long rowid = sqlite3_column_int64(st, 0);
    uint64_t h = fnv(14695981039346656037ull, &rowid, sizeof rowid);
    for (size_t i = 0; i < n; i++) {
        scratch->len = 0;
        canon_sqlite(scratch, sqlite3_column_value(st, (int)i + 1), oids[i]);
        uint32_t l = (uint32_t)scratch->len;
        h = fnv(fnv(h, &l, 4), scratch->p, l);
    }
    return h;
}

static const ls_verify_pre *g_pre;   /* ls_verify_run_pre's table, for checksum_pass */
static size_t g_n_pre;

/*
 * First pass: each side read in its natural order (no sort, no index scan), counted and
 * summed (order-independent).  Equal counts and sums end the table's verification; else the
 * ordered merge below names the first differing row.
 */
static int checksum_pass(const ls_copy_opts *o, sqlite3 *db, PGconn *pg, vtab *t,
                         ls_verify_table *vt)
{
    const ls_verify_pre *pre = NULL;
    for (size_t i = 0; i < g_n_pre; i++)
        if (strcmp(g_pre[i].table, t->name) == 0)
            pre = &g_pre[i];
    sqlite3_stmt *st = pre ? NULL : sqlite_rows(db, t, false);
    if (!st && !pre)
        return 1;
    if (pre) {
        vt->rows_src = pre->rows;
        vt->sum_src = pre->sum;
    }
    size_t n = t->n_cols + 1;
    size_t *off = calloc(n + 1, sizeof *off);
    const unsigned char **fields = calloc(n, sizeof *fields);
    int32_t *lens = calloc(n, sizeof *lens);
    ls_cb c = {0};
    int rc = !off || !fields || !lens;
    while (!rc && st && sqlite3_step(st) == SQLITE_ROW) {
        c.len = 0;
        for (size_t i = 0; i < t->n_cols; i++) {
            off[i] = c.len;
            canon_sqlite(&c, sqlite3_column_value(st, (int)i + 1), t->cols[i].oid);
        }
        off[t->n_cols] = c.len;
        vt->sum_src += row_hash(sqlite3_column_int64(st, 0), &c, off, t->n_cols);
        vt->rows_src++;
    }
    sqlite3_finalize(st);
    ls_pgrows s;
    if (!rc && pg_start(&s, pg, o->schema, t, false) == 0) {
        while (ls_pgrows_next(&s, fields, lens, n)) {
            c.len = 0;
            for (size_t i = 0; i < t->n_cols; i++) {
                off[i] = c.len;
                canon_pg(&c, fields[i + 1], lens[i + 1], t->cols[i].oid);
            }
            off[t->n_cols] = c.len;
            long long rp = lens[0] == 8 ? (long long)(int64_t)ls_be(fields[0], 8) : 0;
            vt->sum_dst += row_hash(rp, &c, off, t->n_cols);
            vt->rows_dst++;
        }
        ls_pgrows_finish(&s);
        rc = s.failed;
    } else {
        rc = 1;
    }
    rc |= c.oom;
    ls_cb_free(&c);
    free(off), free(fields), free(lens);
    return rc;
}

static int verify_table_pg(const ls_copy_opts *o, sqlite3 *db, PGconn *pg, vtab *t,
                           ls_verify_table *vt)
{
    if (pg_types(pg, o->schema, t))
        return 1;
    if (checksum_pass(o, db, pg, t, vt) == 0 && vt->rows_src == vt->rows_dst
        && vt->sum_src == vt->sum_dst)
        return 0;
    vt->rows_src = vt->rows_dst = 0;
    vt->sum_src = vt->sum_dst = 0;
    sqlite3_stmt *st = sqlite_rows(db, t, true);
    if (!st)
        return 1;
    ls_pgrows s;
    if (pg_start(&s, pg, o->schema, t, true)) {
        sqlite3_finalize(st);
        return 1;
    }
    size_t n = t->n_cols + 1;
    const unsigned char **fields = calloc(n, sizeof *fields);
    int32_t *lens = calloc(n, sizeof *lens);
    ls_cb a = {0}, b = {0};
    size_t *offa = calloc(n + 1, sizeof *offa), *offb = calloc(n + 1, sizeof *offb);
    if (!fields || !lens || !offa || !offb) {
        free(fields), free(lens), free(offa), free(offb);
        sqlite3_finalize(st);
        ls_pgrows_finish(&s);
        return 1;
    }
    bool have_s = sqlite3_step(st) == SQLITE_ROW;
    bool have_p = ls_pgrows_next(&s, fields, lens, n);
    long long rown = 0;
    while (have_s || have_p) {
        long long rs = have_s ? sqlite3_column_int64(st, 0) : 0;
        long long rp = have_p && lens[0] == 8 ? (long long)(int64_t)ls_be(fields[0], 8) : 0;
        bool keyed = t->rowid_col != NULL && !t->without_rowid;
        bool take_s = have_s && (!have_p || !keyed || rs <= rp);
        bool take_p = have_p && (!have_s || !keyed || rp <= rs);
        rown++;
        if (take_s) {
            a.len = 0;
            for (size_t i = 0; i < t->n_cols; i++) {
                offa[i] = a.len;
                canon_sqlite(&a, sqlite3_column_value(st, (int)i + 1), t->cols[i].oid);
            }
            offa[t->n_cols] = a.len;
            vt->rows_src++;
            vt->sum_src += row_hash(rs, &a, offa, t->n_cols);
        }
        if (take_p) {
            b.len = 0;
            for (size_t i = 0; i < t->n_cols; i++) {
                offb[i] = b.len;
                canon_pg(&b, fields[i + 1], lens[i + 1], t->cols[i].oid);
            }
            offb[t->n_cols] = b.len;
            vt->rows_dst++;
            vt->sum_dst += row_hash(rp, &b, offb, t->n_cols);
        }
        if (a.oom || b.oom) {
            fputs("liteshift: out of memory\n", stderr);
            vt->ok = false;
            break;
        }
        if (take_s && !take_p)
            differ(vt, t, rs, rown, "(row)", "tpresent", 8, "tmissing", 8, "SQLite", "PostgreSQL");
        else if (take_p && !take_s)
            differ(vt, t, rp, rown, "(row)", "tmissing", 8, "tpresent", 8, "SQLite", "PostgreSQL");
        else
            for (size_t i = 0; i < t->n_cols && vt->ok; i++) {
                size_t la = offa[i + 1] - offa[i], lb = offb[i + 1] - offb[i];
                if (la != lb || memcmp(a.p + offa[i], b.p + offb[i], la) != 0)
                    differ(vt, t, rs, rown, t->cols[i].name, a.p + offa[i], la,
                           b.p + offb[i], lb, "SQLite", "PostgreSQL");
            }
        if (take_s)
            have_s = sqlite3_step(st) == SQLITE_ROW;
        if (take_p)
            have_p = ls_pgrows_next(&s, fields, lens, n);
    }
    sqlite3_finalize(st);
    ls_pgrows_finish(&s);
    free(fields), free(lens), free(offa), free(offb);
    ls_cb_free(&a);
    ls_cb_free(&b);
    if (s.failed)
        vt->ok = false;
    if (vt->ok && (vt->rows_src != vt->rows_dst || vt->sum_src != vt->sum_dst)) {
        fprintf(stderr, "liteshift: verify: table \"%s\": checksums differ\n", t->name);
        vt->ok = false;
    }
    return vt->ok ? 0 : 1;
}

/* The identity sequence hands out ids above max(key) and above sqlite_sequence. */
static int check_sequence(const ls_copy_opts *o, sqlite3 *db, PGconn *pg, const vtab *t,
                          ls_verify_result *res)
{
    if (!t->rowid_col)
        return 0;
    long long seq = 0;
    if (t->autoinc) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "SELECT seq FROM sqlite_sequence WHERE name = ? COLLATE NOCASE",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW)
                seq = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
    }
    ls_cb rel = {0}, q = {0};
    char *l = xdup(t->name);
    for (char *c = l; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    ls_cb_ident(&rel, o->schema);
    ls_cb_str(&rel, ".");
    ls_cb_ident(&rel, l);
    free(l);
    char seqv[32];
    snprintf(seqv, sizeof seqv, "%lld", seq);
    const char *params[3] = {rel.p, t->rowid_col, seqv};
    ls_cb_str(&q, "SELECT pg_get_serial_sequence($1, $2)");
    PGresult *r = PQexecParams(pg, q.p, 2, NULL, params, NULL, NULL, 0);
    char *seqname = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1
                    && !PQgetisnull(r, 0, 0) ? xdup(PQgetvalue(r, 0, 0)) : NULL;
    PQclear(r);
    ls_cb_free(&q);
    int rc = 0;
    if (seqname) {
        ls_cb_printf(&q, "SELECT (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END "
                     "FROM %s) > greatest(coalesce((SELECT max(", seqname);
        ls_cb_ident(&q, t->rowid_col);
        ls_cb_printf(&q, ") FROM %s), 0), $1::bigint)", rel.p);
        const char *p1[1] = {seqv};
        r = PQexecParams(pg, q.p, 1, NULL, p1, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
            fprintf(stderr, "liteshift: verify: table \"%s\": identity sequence %s is not "
                    "ahead of the largest %s%s\n", t->name, seqname, t->rowid_col,
                    t->autoinc ? " and sqlite_sequence" : "");
            res->seq_behind++;
            rc = 1;
        }
        PQclear(r);
        free(seqname);
    }
    ls_cb_free(&q);
    ls_cb_free(&rel);
    return rc;
}

static long long count_orphans(PGconn *pg, const char *schema)
{
    /* foreign keys that PostgreSQL did not validate (NOT VALID) may hide orphans */
    const char *params[1] = {schema};
    PGresult *r = PQexecParams(pg,
        "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE n.nspname = $1 AND c.contype = 'f' AND NOT c.convalidated",
        1, NULL, params, NULL, NULL, 0);
    long long n = PQresultStatus(r) == PGRES_TUPLES_OK ? atoll(PQgetvalue(r, 0, 0)) : -1;
    PQclear(r);
    if (n > 0)
        fprintf(stderr, "liteshift: verify: %lld foreign keys in schema \"%s\" are NOT VALID "
                "(orphans possible)\n", n, schema);
    return n;
}

typedef int (*table_fn)(const ls_copy_opts *o, sqlite3 *db, void *other, vtab *t,
                        ls_verify_result *res);

static int each_table(const ls_copy_opts *o, sqlite3 *db, void *other, table_fn fn,
                      ls_verify_result *res)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                           "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "liteshift: verify: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    int rc = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!ls_copy_user_object(name) || !ls_copy_selected(o, name))
            continue;
        vtab t;
        if (describe(db, name, (const char *)sqlite3_column_text(st, 1), &t) == 0)
            rc |= fn(o, db, other, &t, res);
        else
            rc = 1;
        vtab_free(&t);
    }
    sqlite3_finalize(st);
    return rc;
}

static int one_pg(const ls_copy_opts *o, sqlite3 *db, void *other, vtab *t,
                  ls_verify_result *res)
{
    if (add_table(res, t->name))
        return 1;
    int rc = verify_table_pg(o, db, other, t, &res->tables[res->n_tables - 1]);
    if (!rc)
        rc = check_sequence(o, db, other, t, res);
    return rc;
}

int ls_verify_run(const ls_copy_opts *o, sqlite3 *db, PGconn *pg, ls_verify_result *res)
{
    return ls_verify_run_pre(o, db, pg, NULL, 0, res);
}

int ls_verify_run_pre(const ls_copy_opts *o, sqlite3 *db, PGconn *pg, const ls_verify_pre *pre,
                      size_t n_pre, ls_verify_result *res)
{
    memset(res, 0, sizeof *res);
    g_pre = pre;
    g_n_pre = n_pre;
    int rc = each_table(o, db, pg, one_pg, res);
    g_pre = NULL;
    g_n_pre = 0;
    res->orphans = count_orphans(pg, o->schema);
    if (res->orphans != 0)
        rc = 1;
    for (size_t i = 0; i < res->n_tables; i++)
        if (!res->tables[i].ok)
            rc = 1;
    res->ok = rc == 0;
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * Two SQLite files
 * ------------------------------------------------------------------------------------- */

static int one_pair(const ls_copy_opts *o, sqlite3 *a, void *other, vtab *t,
                    ls_verify_result *res)
{
    (void)o;
    sqlite3 *b = other;
    if (add_table(res, t->name))
        return 1;
    ls_verify_table *vt = &res->tables[res->n_tables - 1];
    sqlite3_stmt *sa = sqlite_rows(a, t, true), *sb = sqlite_rows(b, t, true);
    if (!sa || !sb) {
        sqlite3_finalize(sa);
        sqlite3_finalize(sb);
        vt->ok = false;
        return 1;
    }
    ls_cb x = {0}, y = {0};
    bool ha = sqlite3_step(sa) == SQLITE_ROW, hb = sqlite3_step(sb) == SQLITE_ROW;
    long long rown = 0;
    while (ha || hb) {
        long long ra = ha ? sqlite3_column_int64(sa, 0) : 0, rb = hb ? sqlite3_column_int64(sb, 0) : 0;
        bool keyed = !t->without_rowid;
        bool ta = ha && (!hb || !keyed || ra <= rb), tb = hb && (!ha || !keyed || rb <= ra);
        rown++;
        if (ta != tb)
            differ(vt, t, ta ? ra : rb, rown, "(row)", ta ? "tpresent" : "tmissing", 8,
                   tb ? "tpresent" : "tmissing", 8, "first", "second");
        for (size_t i = 0; i < t->n_cols; i++) {
            x.len = y.len = 0;
            uint64_t h;
            if (ta) {
                canon_sqlite(&x, sqlite3_column_value(sa, (int)i + 1), 0);
                h = fnv(fnv(14695981039346656037ull, &ra, 8), x.p, x.len);
                vt->sum_src += h * (i + 1);
            }
            if (tb) {
                canon_sqlite(&y, sqlite3_column_value(sb, (int)i + 1), 0);
                h = fnv(fnv(14695981039346656037ull, &rb, 8), y.p, y.len);
                vt->sum_dst += h * (i + 1);
            }
            if (ta && tb && (x.len != y.len || memcmp(x.p, y.p, x.len) != 0))
                differ(vt, t, ra, rown, t->cols[i].name, x.p, x.len, y.p, y.len, "first",
                       "second");
        }
        vt->rows_src += ta;
        vt->rows_dst += tb;
        if (ta)
            ha = sqlite3_step(sa) == SQLITE_ROW;
        if (tb)
            hb = sqlite3_step(sb) == SQLITE_ROW;
    }
    sqlite3_finalize(sa);
    sqlite3_finalize(sb);
    ls_cb_free(&x);
    ls_cb_free(&y);
    if (vt->rows_src != vt->rows_dst || vt->sum_src != vt->sum_dst)
        vt->ok = false;
    return vt->ok ? 0 : 1;
}

int ls_verify_sqlite_pair(const ls_copy_opts *o, sqlite3 *a, sqlite3 *b, ls_verify_result *res)
{
    memset(res, 0, sizeof *res);
    int rc = each_table(o, a, b, one_pair, res);
    /* sqlite_sequence must agree too (AUTOINCREMENT continues where it was) */
    sqlite3_stmt *sa, *sb;
    if (sqlite3_prepare_v2(a, "SELECT name, seq FROM sqlite_sequence ORDER BY name", -1, &sa,
                           NULL) == SQLITE_OK) {
        if (sqlite3_prepare_v2(b, "SELECT seq FROM sqlite_sequence WHERE name = ? COLLATE NOCASE",
                               -1, &sb, NULL) != SQLITE_OK) {
            fprintf(stderr, "liteshift: verify: the second file has no sqlite_sequence\n");
            rc = 1;
        } else {
            while (sqlite3_step(sa) == SQLITE_ROW) {
                const char *name = (const char *)sqlite3_column_text(sa, 0);
                if (!ls_copy_selected(o, name))
                    continue;
                sqlite3_bind_text(sb, 1, name, -1, SQLITE_TRANSIENT);
                long long va = sqlite3_column_int64(sa, 1);
                long long vb = sqlite3_step(sb) == SQLITE_ROW ? sqlite3_column_int64(sb, 0) : -1;
                sqlite3_reset(sb);
                if (vb < va) {
                    fprintf(stderr, "liteshift: verify: sqlite_sequence for \"%s\": %lld in the "
                            "first file, %lld in the second\n", name, va, vb);
                    res->seq_behind++;
                    rc = 1;
                }
            }
            sqlite3_finalize(sb);
        }
        sqlite3_finalize(sa);
    }
    res->ok = rc == 0;
    return rc;
}

void ls_verify_result_clear(ls_verify_result *res)
{
    free(res->tables);
    memset(res, 0, sizeof *res);
}

void ls_verify_json(ls_cb *b, const ls_verify_result *res)
{
    ls_cb_printf(b, "{\"ok\":%s,\"fk_not_validated\":%lld,\"sequences_behind\":%lld,\"tables\":[",
                 res->ok ? "true" : "false", res->orphans, res->seq_behind);
    for (size_t i = 0; i < res->n_tables; i++) {
        const ls_verify_table *t = &res->tables[i];
        ls_cb_str(b, i ? "," : "");
        ls_cb_str(b, "{\"name\":");
        ls_cb_json(b, t->name, strlen(t->name));
        ls_cb_printf(b, ",\"rows_source\":%lld,\"rows_target\":%lld,\"checksum_source\":\"%016"
                     PRIx64 "\",\"checksum_target\":\"%016" PRIx64 "\",\"ok\":%s}", t->rows_src,
                     t->rows_dst, t->sum_src, t->sum_dst, t->ok ? "true" : "false");
    }
    ls_cb_str(b, "]}");
}
