/* SPDX-License-Identifier: MIT
 *
 * Verification of a copy, value by value.  For each table both sides are read in rowid order
 * (primary-key order for WITHOUT ROWID tables) -- SQLite by a statement, PostgreSQL by a
 * binary COPY TO STDOUT, so memory stays bounded -- and merged by rowid.  Each value is put in
 * a canonical form of the PostgreSQL column's domain ("i" integer, "f" + the 64 bits of a
 * double, "t" text bytes, "b" blob bytes, "N" NULL), computed independently on each side from
 * the raw values (never through printf('%.17g') or hex(), which lose information); the first
 * difference is named (table, rowid, column, both values).  A per-table checksum (sum of
 * 64-bit row hashes over rowid and canonical values: order-independent), the row
 * counts, and the identity sequences (ahead of max key and of sqlite_sequence) are reported.
 * Two SQLite files are compared the same way with SQLite's own types as the domain, and so is
 * a column declared without a type that keeps each value's storage class on PostgreSQL (D2:
 * its text read with the "<name>:class" column beside it, copy_class.c).
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
    bool classed;      /* D2: text with a smallint "<name>:class" column after it */
} vcol;

/* The domain SQLite's values are compared in: the PostgreSQL type's, or SQLite's own for a
 * column that keeps storage classes. */
static unsigned sqlite_domain(const vcol *c)
{
    return c->classed ? LS_COPY_OID_CLASSED : c->oid;
}

typedef struct vtab {
    char *name, *sql;
    vcol *cols;
    size_t n_cols;
    char *rowid_col;   /* PostgreSQL column holding the rowid, or NULL */
    bool without_rowid, autoinc, hidden_rowid;
    bool generated;    /* a generated column on PostgreSQL (COPY of the table cannot read it) */
    char *order_pk;    /* WITHOUT ROWID: SQLite ORDER BY list */
    char *order_pk_pg;
} vtab;

/* ---------------------------------------------------------------------------------------
 * Canonical values and the row hash
 *
 * A canonical value is a tag and a payload: 'i' + int64, 'f' + double (8 raw bytes each),
 * 't'/'b' + bytes, 'N' (no payload), '?' + SQLite type (a value the column type cannot hold:
 * it equals nothing PostgreSQL can send).  Each side builds it from its own raw values; the
 * payload points into the value (text, blob) or into the cval's own buffer, so building one
 * copies nothing.  A row hashes as its rowid and then, per column, (tag, length) and the
 * payload 8 bytes per step; a final avalanche; the table's checksum is the sum of the row
 * hashes (order-independent).  Every step of the state is a bijection for a given input
 * word, so a row that differs in one word always hashes differently.
 * ------------------------------------------------------------------------------------- */

typedef struct cval {
    const unsigned char *p;   /* payload: into the value or into buf */
    size_t n;
    char tag;
    unsigned char buf[32];
} cval;

/* Odd multipliers from the fractional bits of sqrt(2), sqrt(3) and the golden ratio. */
#define RH_K1 0x6a09e667f3bcc909ull
#define RH_K2 0xbb67ae8584caa73bull
#define RH_SEED 0x9e3779b97f4a7c15ull

static inline uint64_t rh_step(uint64_t h, uint64_t w)
{
    h ^= w;
    h *= RH_K1;
    return h ^ (h >> 29);
}

static inline uint64_t rh_begin(long long rowid)
{
    return rh_step(RH_SEED, (uint64_t)rowid);
}

static inline uint64_t rh_value(uint64_t h, const cval *c)
{
    const unsigned char *p = c->p;
    size_t n = c->n;
    h = rh_step(h, (uint64_t)(unsigned char)c->tag | (uint64_t)n << 8);
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = rh_step(h, w);
    }
    if (n) {   /* the length is hashed: zero padding cannot collide */
        uint64_t w = 0;
        for (size_t i = 0; i < n; i++)
            w |= (uint64_t)p[i] << (8 * i);
        h = rh_step(h, w);
    }
    return h;
}

static inline uint64_t rh_end(uint64_t h)
{
    h ^= h >> 32;
    h *= RH_K2;
    h ^= h >> 29;
    h *= RH_K1;
    return h ^ (h >> 32);
}

static void cv_set(cval *c, char tag, const void *p, size_t n)
{
    c->tag = tag;
    c->p = p;
    c->n = p ? n : 0;
}

static void cv_bits(cval *c, double d)
{
    memcpy(c->buf, &d, 8);
    cv_set(c, 'f', c->buf, 8);
}

static void cv_int(cval *c, long long v)
{
    memcpy(c->buf, &v, 8);
    cv_set(c, 'i', c->buf, 8);
}

static void cv_bad(cval *c, int type)
{
    c->buf[0] = (unsigned char)type;
    cv_set(c, '?', c->buf, 1);
}

/* Tag and payload appended to b (the ordered comparison keeps a row's values side by side). */
static void canon_put(ls_cb *b, const cval *c)
{
    ls_cb_add(b, &c->tag, 1);
    if (c->n)
        ls_cb_add(b, c->p, c->n);
}

static bool fits_int(double d)
{
    return d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0;
}

/* The SQLite value in the domain of PostgreSQL type oid (0: SQLite's own domain).  The
 * payload may point into v: valid until v changes (the next step of its statement). */
static void canon_sqlite(cval *c, sqlite3_value *v, unsigned oid)
{
    int type = sqlite3_value_type(v);
    if (type == SQLITE_NULL) {
        cv_set(c, 'N', NULL, 0);
        return;
    }
    switch (oid) {
    case 0:
        if (type == SQLITE_INTEGER)
            cv_int(c, (long long)sqlite3_value_int64(v));
        else if (type == SQLITE_FLOAT)
            cv_bits(c, sqlite3_value_double(v));
        else if (type == SQLITE_TEXT) {
            const unsigned char *t = sqlite3_value_text(v);
            cv_set(c, 't', t, (size_t)sqlite3_value_bytes(v));
        } else {
            const void *b = sqlite3_value_blob(v);
            cv_set(c, 'b', b, (size_t)sqlite3_value_bytes(v));
        }
        return;
    case 20: case 21: case 23: case 16:
        if (type == SQLITE_INTEGER)
            cv_int(c, (long long)sqlite3_value_int64(v));
        else
            cv_bad(c, type);
        return;
    case 700: case 701: {
        if (type == SQLITE_FLOAT) {
            cv_bits(c, sqlite3_value_double(v));
            return;
        }
        sqlite3_int64 i = type == SQLITE_INTEGER ? sqlite3_value_int64(v) : 0;
        if (type == SQLITE_INTEGER && i >= -(1LL << 53) && i <= (1LL << 53))
            cv_bits(c, (double)i);
        else
            cv_bad(c, type);
        return;
    }
    case 1700: {
        double d = type == SQLITE_FLOAT ? sqlite3_value_double(v) : 0;
        if (type == SQLITE_INTEGER)
            cv_int(c, (long long)sqlite3_value_int64(v));
        else if (type == SQLITE_FLOAT && fits_int(d))
            cv_int(c, (long long)d);
        else if (type == SQLITE_FLOAT)
            cv_bits(c, d);
        else
            cv_bad(c, type);
        return;
    }
    case 17:
        if (type == SQLITE_BLOB) {
            const void *b = sqlite3_value_blob(v);
            cv_set(c, 'b', b, (size_t)sqlite3_value_bytes(v));
        } else {
            cv_bad(c, type);
        }
        return;
    default:   /* text and everything PostgreSQL renders as text */
        if (type == SQLITE_BLOB) {
            cv_bad(c, type);
        } else if (type == SQLITE_FLOAT) {
            char t[32];
            ls_copy_dbl_text(sqlite3_value_double(v), t);
            size_t n = strlen(t);
            memcpy(c->buf, t, n);
            cv_set(c, 't', c->buf, n);
        } else {
            const unsigned char *t = sqlite3_value_text(v);
            cv_set(c, 't', t, (size_t)sqlite3_value_bytes(v));
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

/* One PostgreSQL binary field (as read by the verify query) in the same domain; the
 * payload may point into p. */
static void canon_pg(cval *c, const unsigned char *p, int32_t len, unsigned oid)
{
    if (len < 0) {
        cv_set(c, 'N', NULL, 0);
        return;
    }
    switch (oid) {
    case 20: case 21: case 23:
        cv_int(c, len == 8 ? (long long)(int64_t)ls_be(p, 8)
               : len == 4 ? (long long)(int32_t)ls_be(p, 4) : (long long)(int16_t)ls_be(p, 2));
        return;
    case 16:
        cv_int(c, p[0] ? 1 : 0);
        return;
    case 700: case 701: {   /* float4 is read as float8 */
        uint64_t u = ls_be(p, 8);
        double d;
        memcpy(&d, &u, 8);
        cv_bits(c, d);
        return;
    }
    case 1700: {            /* read as text */
        char t[400];
        snprintf(t, sizeof t, "%.*s", len < 399 ? (int)len : 399, (const char *)p);
        char *end;
        errno = 0;
        long long ll = strtoll(t, &end, 10);
        if (*end == '\0' && end != t && errno == 0)
            cv_int(c, ll);
        else
            cv_bits(c, strtod(t, NULL));
        return;
    }
    case 17:
        cv_set(c, 'b', p, (size_t)len);
        return;
    default:
        cv_set(c, 't', p, (size_t)len);
        return;
    }
}

/* D2: a typeless column's text p (len -1: NULL) with its class field (clen -1: NULL), in
 * SQLite's own domain as canon_sqlite(.., 0) gives it; the payload may point into p or into
 * scratch (out of memory: scratch->oom, checked by the caller). */
static void canon_pg_classed(cval *c, const unsigned char *p, int32_t len,
                             const unsigned char *cp, int32_t clen, ls_cb *scratch)
{
    if (len < 0) {
        cv_set(c, 'N', NULL, 0);
        return;
    }
    int cls = clen == 2 ? (int16_t)ls_be(cp, 2) : 0;
    ls_classed v;
    if (!ls_copy_unclass(p, (size_t)len, cls, scratch, &v)) {
        cv_bad(c, 0);
        return;
    }
    switch (v.type) {
    case SQLITE_INTEGER: cv_int(c, (long long)v.i); return;
    case SQLITE_FLOAT: cv_bits(c, v.d); return;
    case SQLITE_BLOB: cv_set(c, 'b', v.p, v.n); return;
    default: cv_set(c, 't', v.p, v.n); return;
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
    t->hidden_rowid = d.hidden_rowid;
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


/* D2: does the server's table (r: attname, atttypid, ...) have the smallint "<name>:class"
 * column of column i, which the SQLite table does not have as a column of its own?  The same
 * rule as the copy's (copy_fwd.c). */
static bool has_class_column(const vtab *t, size_t i, const PGresult *r)
{
    char cn[80];
    if (strlen(t->cols[i].name) + strlen(LS_CLASS_SUFFIX) > 63)
        return false;
    snprintf(cn, sizeof cn, "%s" LS_CLASS_SUFFIX, t->cols[i].name);
    for (char *c = cn; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    for (size_t k = 0; k < t->n_cols; k++)
        if (strncasecmp(t->cols[k].name, cn, 63) == 0)
            return false;
    for (int k = 0; k < PQntuples(r); k++)
        if (!strcmp(PQgetvalue(r, k, 0), cn))
            return strtoul(PQgetvalue(r, k, 1), NULL, 10) == 21;
    return false;
}

static int pg_types(PGconn *pg, const char *schema, vtab *t)
{
    char *pgname = xdup(t->name);
    for (char *c = pgname; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    const char *params[2] = {schema, pgname};
    PGresult *r = PQexecParams(pg,
        "SELECT a.attname, a.atttypid, a.attgenerated <> '' FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relname = left($2, 63) AND a.attnum > 0 "
        "AND NOT a.attisdropped", 2, NULL, params, NULL, NULL, 0);
    free(pgname);
    int rc = PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) == 0;
    if (rc)
        fprintf(stderr, "liteshift: verify: table \"%s\" is missing on PostgreSQL (schema "
                "\"%s\")\n", t->name, schema);
    for (size_t i = 0; i < t->n_cols && !rc; i++) {
        for (int k = 0; k < PQntuples(r); k++)
            if (strncasecmp(PQgetvalue(r, k, 0), t->cols[i].name, 63) == 0) {
                t->cols[i].oid = (unsigned)strtoul(PQgetvalue(r, k, 1), NULL, 10);
                t->generated |= PQgetvalue(r, k, 2)[0] == 't';
            }
        if (!t->cols[i].oid) {
            fprintf(stderr, "liteshift: verify: table \"%s\" column \"%s\" is missing on "
                    "PostgreSQL\n", t->name, t->cols[i].name);
            rc = 1;
        }
        t->cols[i].classed = t->cols[i].oid == 25 && has_class_column(t, i, r);
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

static bool pg_raw_type(unsigned oid)   /* read as sent: no cast in the verify query */
{
    switch (oid) {
    case 20: case 21: case 23: case 16: case 17: case 25: case 701:
        return true;
    default:
        return false;
    }
}

static void ident_lower(ls_cb *q, const char *name)
{
    char *l = xdup(name);
    for (char *c = l; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    ls_cb_ident(q, l);
    free(l);
}

static int copy_out(ls_pgrows *s, PGconn *pg, const char *sql, const char *what)
{
    memset(s, 0, sizeof *s);
    s->pg = pg;
    PGresult *r = PQexec(pg, sql);
    int rc = PQresultStatus(r) != PGRES_COPY_OUT;
    if (rc)
        fprintf(stderr, "liteshift: table \"%s\": reading PostgreSQL: %s", what,
                PQerrorMessage(pg));
    PQclear(r);
    return rc;
}

/*
 * Start reading the table's rows from PostgreSQL.  Ordered (the merge): a query in rowid
 * (or primary-key) order.  Unordered (the checksum pass): the rowid is not sent twice when a
 * column holds it, and a table whose columns need no cast is read by COPY of the table itself
 * (no executor, no projection).  *rowid_field (-1: none, the rowid counts as 0), map[i] and
 * cmap[i] (n_cols entries each) say which field holds the rowid, column i and column i's
 * storage class (D2; -1: none); at most n_fields(t) fields.
 */
static int pg_start(ls_pgrows *s, PGconn *pg, const char *schema, const vtab *t, bool ordered,
                    int *map, int *cmap, int *rowid_field)
{
    bool cast = false;
    int alias = -1;
    for (size_t i = 0; i < t->n_cols; i++) {
        cast |= !pg_raw_type(t->cols[i].oid);
        if (t->rowid_col && !t->hidden_rowid && strncasecmp(t->cols[i].name, t->rowid_col, 63) == 0)
            alias = (int)i;
    }
    bool table_form = !ordered && !cast && !t->generated;
    ls_cb q = {0};
    int f = 0;
    *rowid_field = -1;
    if (table_form) {
        ls_cb_str(&q, "COPY ");
        ls_cb_ident(&q, schema);
        ls_cb_str(&q, ".");
        ident_lower(&q, t->name);
        ls_cb_str(&q, " (");
    } else {
        ls_cb_str(&q, "COPY (SELECT ");
    }
    if (ordered || (t->rowid_col && alias < 0)) {
        if (t->rowid_col)
            ls_cb_ident(&q, t->rowid_col);
        else
            ls_cb_str(&q, "NULL::bigint");
        *rowid_field = f++;
    }
    for (size_t i = 0; i < t->n_cols; i++) {
        ls_cb_str(&q, f ? ", " : "");
        ident_lower(&q, t->cols[i].name);
        if (!table_form && t->cols[i].oid == 700)
            ls_cb_str(&q, "::float8");
        else if (!table_form && !pg_raw_type(t->cols[i].oid))
            ls_cb_str(&q, "::text");
        if (!ordered && (int)i == alias)
            *rowid_field = f;
        map[i] = f++;
        cmap[i] = -1;
        if (t->cols[i].classed) {   /* a smallint: read as sent */
            char cn[80];
            snprintf(cn, sizeof cn, "%s" LS_CLASS_SUFFIX, t->cols[i].name);
            ls_cb_str(&q, ", ");
            ident_lower(&q, cn);
            cmap[i] = f++;
        }
    }
    if (!table_form) {
        ls_cb_str(&q, " FROM ");
        ls_cb_ident(&q, schema);
        ls_cb_str(&q, ".");
        ident_lower(&q, t->name);
        if (ordered)
            ls_cb_printf(&q, " ORDER BY %s", t->rowid_col ? "1" : t->order_pk_pg);
    }
    ls_cb_str(&q, ") TO STDOUT (FORMAT binary)");
    int rc = q.oom || copy_out(s, pg, q.p, t->name);
    ls_cb_free(&q);
    return rc;
}

/* Fields of a row as pg_start reads it, at most: the rowid, the columns, their classes. */
static size_t n_fields(const vtab *t)
{
    size_t n = t->n_cols + 1;
    for (size_t i = 0; i < t->n_cols; i++)
        n += t->cols[i].classed;
    return n;
}

/* Column i's canonical value from the row read by pg_start. */
static void canon_field(cval *c, const vtab *t, size_t i, const unsigned char **fields,
                        const int32_t *lens, const int *map, const int *cmap, ls_cb *scratch)
{
    if (cmap[i] >= 0)
        canon_pg_classed(c, fields[map[i]], lens[map[i]], fields[cmap[i]], lens[cmap[i]],
                         scratch);
    else
        canon_pg(c, fields[map[i]], lens[map[i]], t->cols[i].oid);
}

int ls_pgrows_start(ls_pgrows *s, PGconn *pg, const char *select, const char *what)
{
    ls_cb q = {0};
    ls_cb_printf(&q, "COPY (%s) TO STDOUT (FORMAT binary)", select);
    int rc = 1;
    if (q.oom)
        fputs("liteshift: out of memory\n", stderr);
    else
        rc = copy_out(s, pg, q.p, what);
    ls_cb_free(&q);
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

uint64_t ls_verify_hash_row(sqlite3_stmt *st, const unsigned *oids, size_t n)
{
    uint64_t h = rh_begin(sqlite3_column_int64(st, 0));
    cval c;
    for (size_t i = 0; i < n; i++) {
        canon_sqlite(&c, sqlite3_column_value(st, (int)i + 1), oids[i]);
        h = rh_value(h, &c);
    }
    return rh_end(h);
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
    size_t n = n_fields(t);
    int *map = calloc(n, sizeof *map), *cmap = calloc(n, sizeof *cmap);
    unsigned *oids = calloc(n, sizeof *oids);
    const unsigned char **fields = calloc(n, sizeof *fields);
    int32_t *lens = calloc(n, sizeof *lens);
    int rc = !map || !cmap || !oids || !fields || !lens;
    ls_cb scratch = {0};
    for (size_t i = 0; !rc && i < t->n_cols; i++)
        oids[i] = sqlite_domain(&t->cols[i]);
    while (!rc && st && sqlite3_step(st) == SQLITE_ROW) {
        vt->sum_src += ls_verify_hash_row(st, oids, t->n_cols);
        vt->rows_src++;
    }
    sqlite3_finalize(st);
    ls_pgrows s;
    int rf;
    if (!rc && pg_start(&s, pg, o->schema, t, false, map, cmap, &rf) == 0) {
        cval c;
        while (ls_pgrows_next(&s, fields, lens, n)) {
            long long rp = rf >= 0 && lens[rf] == 8 ? (long long)(int64_t)ls_be(fields[rf], 8) : 0;
            uint64_t h = rh_begin(rp);
            for (size_t i = 0; i < t->n_cols; i++) {
                canon_field(&c, t, i, fields, lens, map, cmap, &scratch);
                h = rh_value(h, &c);
            }
            vt->sum_dst += rh_end(h);
            vt->rows_dst++;
        }
        ls_pgrows_finish(&s);
        rc = s.failed;
    } else {
        rc = 1;
    }
    if (scratch.oom) {
        fputs("liteshift: out of memory\n", stderr);
        rc = 1;
    }
    ls_cb_free(&scratch);
    free(map), free(cmap), free(oids), free(fields), free(lens);
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
    size_t n = n_fields(t);
    int *map = calloc(n, sizeof *map), *cmap = calloc(n, sizeof *cmap), rf = 0;
    ls_pgrows s;
    if (!map || !cmap || pg_start(&s, pg, o->schema, t, true, map, cmap, &rf)) {
        free(map), free(cmap);
        sqlite3_finalize(st);
        return 1;
    }
    const unsigned char **fields = calloc(n, sizeof *fields);
    int32_t *lens = calloc(n, sizeof *lens);
    ls_cb a = {0}, b = {0}, scratch = {0};
    size_t *offa = calloc(n + 1, sizeof *offa), *offb = calloc(n + 1, sizeof *offb);
    if (!fields || !lens || !offa || !offb) {
        free(map), free(cmap), free(fields), free(lens), free(offa), free(offb);
        sqlite3_finalize(st);
        ls_pgrows_finish(&s);
        return 1;
    }
    bool have_s = sqlite3_step(st) == SQLITE_ROW;
    bool have_p = ls_pgrows_next(&s, fields, lens, n);
    long long rown = 0;
    cval c;
    while (have_s || have_p) {
        long long rs = have_s ? sqlite3_column_int64(st, 0) : 0;
        long long rp = have_p && lens[rf] == 8 ? (long long)(int64_t)ls_be(fields[rf], 8) : 0;
        bool keyed = t->rowid_col != NULL && !t->without_rowid;
        bool take_s = have_s && (!have_p || !keyed || rs <= rp);
        bool take_p = have_p && (!have_s || !keyed || rp <= rs);
        rown++;
        if (take_s) {
            a.len = 0;
            uint64_t h = rh_begin(rs);
            for (size_t i = 0; i < t->n_cols; i++) {
                offa[i] = a.len;
                canon_sqlite(&c, sqlite3_column_value(st, (int)i + 1), sqlite_domain(&t->cols[i]));
                h = rh_value(h, &c);
                canon_put(&a, &c);
            }
            offa[t->n_cols] = a.len;
            vt->rows_src++;
            vt->sum_src += rh_end(h);
        }
        if (take_p) {
            b.len = 0;
            uint64_t h = rh_begin(rp);
            for (size_t i = 0; i < t->n_cols; i++) {
                offb[i] = b.len;
                canon_field(&c, t, i, fields, lens, map, cmap, &scratch);
                h = rh_value(h, &c);
                canon_put(&b, &c);
            }
            offb[t->n_cols] = b.len;
            vt->rows_dst++;
            vt->sum_dst += rh_end(h);
        }
        if (a.oom || b.oom || scratch.oom) {
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
    free(map), free(cmap), free(fields), free(lens), free(offa), free(offb);
    ls_cb_free(&a);
    ls_cb_free(&b);
    ls_cb_free(&scratch);
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
        uint64_t hsa = rh_begin(ra), hsb = rh_begin(rb);
        for (size_t i = 0; i < t->n_cols; i++) {
            x.len = y.len = 0;
            cval c;
            if (ta) {
                canon_sqlite(&c, sqlite3_column_value(sa, (int)i + 1), 0);
                hsa = rh_value(hsa, &c);
                canon_put(&x, &c);
            }
            if (tb) {
                canon_sqlite(&c, sqlite3_column_value(sb, (int)i + 1), 0);
                hsb = rh_value(hsb, &c);
                canon_put(&y, &c);
            }
            if (ta && tb && (x.len != y.len || memcmp(x.p, y.p, x.len) != 0))
                differ(vt, t, ra, rown, t->cols[i].name, x.p, x.len, y.p, y.len, "first",
                       "second");
        }
        if (ta)
            vt->sum_src += rh_end(hsa);
        if (tb)
            vt->sum_dst += rh_end(hsb);
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
