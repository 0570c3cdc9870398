/* SPDX-License-Identifier: MIT
 *
 * PostgreSQL values as SQLite sees them: type OIDs to storage classes (DESIGN §3), text-format
 * fields to INTEGER/FLOAT/TEXT/BLOB values (jsonb per value: the compat pack's typed JSON
 * results), and SQLite's own conversions between them when the app asks for another type
 * (sqlite3_column_int of a TEXT value takes its integer prefix, a FLOAT prints with 15
 * significant digits, and so on).  Pure functions over ls_pgvalue; the
 * only connection state used is the real library's printf, for SQLite's float format.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"

enum {
    OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_OID = 26,
    OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700, OID_TIMESTAMPTZ = 1184,
    OID_JSONB = 3802,
};

/* See pg.h.  int2/int4/int8/oid and bool are INTEGER, float4/8 FLOAT, numeric INTEGER or
 * FLOAT per value, bytea BLOB, everything else TEXT. */
int ls_pg_type_class(Oid oid)
{
    switch (oid) {
    case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID:
        return SQLITE_INTEGER;
    case OID_FLOAT4: case OID_FLOAT8:
        return SQLITE_FLOAT;
    case OID_NUMERIC:
        return SQLITE_FLOAT;
    case OID_BYTEA:
        return SQLITE_BLOB;
    default:
        return SQLITE_TEXT;
    }
}

/* See pg.h: SQLite's "%!.15g" through the real library, so 1.0 prints "1.0" and 1e20
 * prints "1.0e+20" exactly as SQLite does (DIALECT R3). */
void ls_pg_format_double(double d, char *buf, size_t cap)
{
    typedef char *(*snprintf_fn)(int, char *, const char *, ...);
    snprintf_fn fn = (snprintf_fn)ls_real_resolve(LS_FN_sqlite3_snprintf);
    if (fn)
        fn((int)cap, buf, "%!.15g", d);
    else
        snprintf(buf, cap, "%.15g", d);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* v's bytes from PostgreSQL's hex form "\\x0a1b..." (len bytes of text): owned, with a NUL
 * after them.  false when out of memory (v unchanged). */
static bool set_hex_blob(ls_pgvalue *v, const char *text, int len)
{
    int n = (len - 2) / 2;
    unsigned char *b = malloc((size_t)n + 1);
    if (!b)
        return false;
    for (int k = 0; k < n; k++)
        b[k] = (unsigned char)(hexval(text[2 + 2 * k]) << 4 | hexval(text[3 + 2 * k]));
    b[n] = '\0';
    v->text = (char *)b;
    v->bytes = n;
    v->owned = true;
    return true;
}

void ls_pgvalue_clear(ls_pgvalue *v)
{
    if (v->owned)
        free(v->text);
    if (v->conv)
        free(v->conv);
    v->text = NULL;
    v->conv = NULL;
    v->owned = false;
    v->bytes = 0;
    v->type = SQLITE_NULL;
}

/* A JSON string token [s, s + n) (quotes included, as jsonb prints it) decoded into an owned
 * buffer: TEXT, or NULL on out of memory. */
static void set_json_string(ls_pgvalue *v, const char *s, int n)
{
    char *out = malloc((size_t)n + 1);
    if (!out) {
        v->type = SQLITE_NULL;
        return;
    }
    int k = 0;
    for (int p = 1; p < n - 1; p++) {
        if (s[p] != '\\' || p + 1 >= n - 1) {
            out[k++] = s[p];
            continue;
        }
        char e = s[++p];
        switch (e) {
        case 'b': out[k++] = '\b'; break;
        case 'f': out[k++] = '\f'; break;
        case 'n': out[k++] = '\n'; break;
        case 'r': out[k++] = '\r'; break;
        case 't': out[k++] = '\t'; break;
        case 'u': {
            unsigned cp = 0;
            for (int q = 1; q <= 4 && p + q < n - 1; q++)
                cp = cp << 4 | (unsigned)hexval(s[p + q]);
            p += 4;
            if (cp >= 0xd800 && cp < 0xdc00 && p + 6 < n - 1 && s[p + 1] == '\\'
                && s[p + 2] == 'u') {
                unsigned lo = 0;
                for (int q = 3; q <= 6; q++)
                    lo = lo << 4 | (unsigned)hexval(s[p + q]);
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                p += 6;
            }
            k += ls_utf8_put(out + k, cp);
            break;
        }
        default: out[k++] = e; break;   /* \" \\ \/ */
        }
    }
    out[k] = '\0';
    v->type = SQLITE_TEXT;
    v->text = out;
    v->bytes = k;
    v->owned = true;
}

/* A decimal number's text as SQLite reads a number: INTEGER when it has no fraction, no
 * exponent, is not Infinity or NaN and fits in 64 bits, else FLOAT (NaN: NULL). */
static void set_decimal(ls_pgvalue *v, const char *text)
{
    if (!strpbrk(text, ".eEIN")) {
        if (strlen(text) <= 18) {   /* no overflow possible */
            v->type = SQLITE_INTEGER;
            v->i = ls_num_int64(text);
            return;
        }
        errno = 0;
        long long i = strtoll(text, NULL, 10);
        if (errno == 0) {
            v->type = SQLITE_INTEGER;
            v->i = i;
            return;
        }
    }
    v->d = ls_num_double(text);
    v->type = isnan(v->d) ? SQLITE_NULL : SQLITE_FLOAT;
}

/* A jsonb value as an SQL value: the compat pack's typed result form (json_extract and ->>
 * as result columns, compat/sql/42_json.sql).  A number is INTEGER, or FLOAT when it has a
 * '.' or an exponent or does not fit in 64 bits (the pack gives every real a '.'); a string
 * its decoded TEXT; true/false 1/0; null NULL; arrays and objects TEXT as printed. */
static void set_jsonb(ls_pgvalue *v, const char *text, int len)
{
    if (len > 0 && text[0] == '"') {
        set_json_string(v, text, len);
    } else if (len > 0 && (text[0] == '-' || (text[0] >= '0' && text[0] <= '9'))) {
        set_decimal(v, text);
    } else if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
        v->type = SQLITE_INTEGER;
        v->i = text[0] == 't';
    } else if (strcmp(text, "null") != 0) {
        v->type = SQLITE_TEXT;
        v->text = (char *)text;
        v->bytes = len;
    }
}

/* See pg.h.  The text stays in r, which outlives the value (the statement's current row);
 * bytea is decoded into an owned buffer.  Numbers are read without asking r for the
 * length, a NULL is asked only of an empty text: this runs for every column of every row. */
void ls_pgvalue_set(ls_pgvalue *v, const PGresult *r, int row, int field)
{
    ls_pgvalue_clear(v);
    ls_handle_init(&v->h, LS_KIND_VALUE, v->h.conn);
    const char *text = PQgetvalue(r, row, field);
    if (text[0] == '\0' && PQgetisnull(r, row, field))
        return;
    Oid oid = PQftype(r, field);
    switch (oid) {
    case OID_BOOL:
        v->type = SQLITE_INTEGER;
        v->i = text[0] == 't';
        return;
    case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID:
        v->type = SQLITE_INTEGER;
        v->i = ls_num_int64(text);
        return;
    case OID_FLOAT4: case OID_FLOAT8:
        v->d = ls_num_double(text);
        v->type = isnan(v->d) ? SQLITE_NULL : SQLITE_FLOAT;
        return;
    case OID_NUMERIC:
        set_decimal(v, text);
        return;
    default:
        break;
    }
    int len = PQgetlength(r, row, field);
    switch (oid) {
    case OID_BYTEA:
        v->type = SQLITE_BLOB;
        if (len >= 2 && text[0] == '\\' && text[1] == 'x') {
            if (!set_hex_blob(v, text, len))
                v->type = SQLITE_NULL;
        } else {
            v->text = (char *)text;
            v->bytes = len;
        }
        return;
    case OID_JSONB:
        set_jsonb(v, text, len);
        return;
    case OID_TIMESTAMPTZ:
        /* the session runs in UTC: drop the "+00" SQLite's text form never has */
        v->type = SQLITE_TEXT;
        v->text = (char *)text;
        v->bytes = len;
        if (len > 3 && strcmp(text + len - 3, "+00") == 0) {
            v->text = strndup(text, (size_t)len - 3);
            v->owned = v->text != NULL;
            v->bytes = len - 3;
            if (!v->text)
                v->type = SQLITE_NULL;
        }
        return;
    default:
        v->type = SQLITE_TEXT;
        v->text = (char *)text;
        v->bytes = len;
        return;
    }
}

/* See pg.h (D2). */
void ls_pgvalue_class(ls_pgvalue *v, const PGresult *r, int row, int field)
{
    if (v->type != SQLITE_TEXT || PQgetisnull(r, row, field))
        return;
    int cls = atoi(PQgetvalue(r, row, field));
    const char *t = v->text;
    int n = v->bytes;
    if (cls == SQLITE_INTEGER) {
        /* the decimal the shim or liteshift copy wrote: exact, or left as text */
        errno = 0;
        char *end;
        long long i = strtoll(t, &end, 10);
        if (n > 0 && end == t + n && errno == 0 && (t[0] == '-' || isdigit((unsigned char)t[0]))) {
            v->type = SQLITE_INTEGER;
            v->i = i;
        }
    } else if (cls == SQLITE_FLOAT) {
        char *end;
        double d = strtod(t, &end);
        if (n > 0 && end == t + n && !isnan(d) && !isspace((unsigned char)t[0])) {
            v->type = SQLITE_FLOAT;
            v->d = d;
        }
    } else if (cls == SQLITE_BLOB && n >= 2 && n % 2 == 0 && t[0] == '\\' && t[1] == 'x') {
        for (int k = 2; k < n; k++)
            if (hexval(t[k]) < 0)
                return;
        char *was = v->owned ? v->text : NULL;
        v->owned = false;
        if (set_hex_blob(v, t, n)) {   /* else left as its text: nothing lost */
            free(was);
            v->type = SQLITE_BLOB;
        } else {
            v->owned = was != NULL;
        }
    }
}

/* SQLite's integer prefix of a text (sqlite3Atoi64 as sqlite3_column_int64 uses it):
 * leading spaces, a sign, digits; clamps on overflow; 0 when there are no digits. */
static sqlite3_int64 text_to_int64(const char *s, int n)
{
    int i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    int neg = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    unsigned long long u = 0;
    bool over = false;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        if (u > (~0ULL - 9) / 10)
            over = true;
        u = u * 10 + (unsigned)(s[i] - '0');
    }
    if (neg)
        return (over || u > 9223372036854775808ULL) ? INT64_MIN : -(sqlite3_int64)u;
    return (over || u > 9223372036854775807ULL) ? INT64_MAX : (sqlite3_int64)u;
}

static double text_to_double(const char *s, int n)
{
    char buf[128];
    int i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    int k = 0;
    /* only SQLite's number syntax: sign, digits, '.', exponent (no inf/nan/hex) */
    while (i < n && k < (int)sizeof buf - 1 &&
           ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == 'e' || s[i] == 'E' ||
            ((s[i] == '-' || s[i] == '+') && (k == 0 || buf[k - 1] == 'e' || buf[k - 1] == 'E'))))
        buf[k++] = s[i++];
    buf[k] = '\0';
    return k ? strtod(buf, NULL) : 0.0;
}

sqlite3_int64 ls_pgvalue_int64(const ls_pgvalue *v)
{
    switch (v->type) {
    case SQLITE_INTEGER:
        return v->i;
    case SQLITE_FLOAT:
        if (v->d >= 9223372036854775807.0)
            return INT64_MAX;
        if (v->d <= -9223372036854775808.0)
            return INT64_MIN;
        return (sqlite3_int64)v->d;
    case SQLITE_TEXT: case SQLITE_BLOB:
        return text_to_int64(v->text, v->bytes);
    default:
        return 0;
    }
}

double ls_pgvalue_double(const ls_pgvalue *v)
{
    switch (v->type) {
    case SQLITE_INTEGER: return (double)v->i;
    case SQLITE_FLOAT: return v->d;
    case SQLITE_TEXT: case SQLITE_BLOB: return text_to_double(v->text, v->bytes);
    default: return 0.0;
    }
}

/* Text of the value, valid until the value changes; NULL for SQL NULL (as SQLite). */
const unsigned char *ls_pgvalue_text(ls_pgvalue *v)
{
    switch (v->type) {
    case SQLITE_TEXT:
        return (const unsigned char *)v->text;
    case SQLITE_BLOB:
        if (!v->owned && v->text) {
            /* not NUL-terminated inside a PGresult: copy */
            char *t = malloc((size_t)v->bytes + 1);
            if (!t)
                return NULL;
            memcpy(t, v->text, (size_t)v->bytes);
            t[v->bytes] = '\0';
            v->text = t;
            v->owned = true;
        }
        return (const unsigned char *)(v->text ? v->text : "");
    case SQLITE_INTEGER: case SQLITE_FLOAT:
        if (!v->conv) {
            v->conv = malloc(40);
            if (!v->conv)
                return NULL;
            if (v->type == SQLITE_INTEGER)
                snprintf(v->conv, 40, "%lld", (long long)v->i);
            else
                ls_pg_format_double(v->d, v->conv, 40);
        }
        return (const unsigned char *)v->conv;
    default:
        return NULL;
    }
}

const void *ls_pgvalue_blob(ls_pgvalue *v)
{
    if (v->type == SQLITE_NULL)
        return NULL;
    if (v->type == SQLITE_BLOB)
        return v->bytes ? v->text : NULL;
    return ls_pgvalue_text(v);
}

int ls_pgvalue_bytes(ls_pgvalue *v)
{
    switch (v->type) {
    case SQLITE_TEXT: case SQLITE_BLOB:
        return v->bytes;
    case SQLITE_INTEGER: case SQLITE_FLOAT: {
        const unsigned char *t = ls_pgvalue_text(v);
        return t ? (int)strlen((const char *)t) : 0;
    }
    default:
        return 0;
    }
}
