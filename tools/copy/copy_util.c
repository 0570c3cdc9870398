/* SPDX-License-Identifier: MIT
 *
 * Helpers shared by the copy and verify commands: a growable buffer with a sticky
 * out-of-memory flag, SQL identifier/literal and JSON quoting, the UTF-8 check PostgreSQL
 * text needs, exact shortest text for doubles, PostgreSQL's binary numeric encoding, small
 * libpq wrappers and the terminal progress line.  No policy lives here.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "copy.h"

/* ---------------------------------------------------------------------------------------
 * Buffer
 * ------------------------------------------------------------------------------------- */

static bool grow(ls_cb *b, size_t need)
{
    if (b->oom)
        return false;
    if (b->len + need + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + need + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void ls_cb_add(ls_cb *b, const void *s, size_t n)
{
    if (!grow(b, n))
        return;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void ls_cb_str(ls_cb *b, const char *s)
{
    ls_cb_add(b, s, strlen(s));
}

void ls_cb_printf(ls_cb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !grow(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static void quoted(ls_cb *b, const char *s, char q)
{
    ls_cb_add(b, &q, 1);
    for (const char *p = s; *p; p++) {
        ls_cb_add(b, p, 1);
        if (*p == q)
            ls_cb_add(b, p, 1);
    }
    ls_cb_add(b, &q, 1);
}

void ls_cb_ident(ls_cb *b, const char *name)
{
    quoted(b, name, '"');
}

void ls_cb_lit(ls_cb *b, const char *s)
{
    quoted(b, s, '\'');
}

void ls_cb_json(ls_cb *b, const char *s, size_t n)
{
    ls_cb_str(b, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            ls_cb_printf(b, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            ls_cb_printf(b, "\\u%04x", c);   /* bytes, not characters: exact and ASCII */
        else
            ls_cb_add(b, s + i, 1);
    }
    ls_cb_str(b, "\"");
}

bool ls_cb_reserve(ls_cb *b, size_t n)
{
    return grow(b, n);
}

void ls_cb_free(ls_cb *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* ---------------------------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------------------------- */

bool ls_copy_pg_text_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c == 0)
                return false;
            i++;
            continue;
        }
        size_t len;
        uint32_t cp;
        if (c >= 0xc2 && c <= 0xdf)
            len = 2, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            len = 3, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            len = 4, cp = c & 0x07;
        else
            return false;
        if (i + len > n)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
            || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        i += len;
    }
    return true;
}

void ls_copy_dbl_text(double d, char out[32])
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, 32, "%.*g", prec, d);
        if (strtod(out, NULL) == d || prec == 17)
            return;
    }
}

/*
 * PostgreSQL's binary numeric: ndigits, weight (of the first base-10000 digit), sign,
 * dscale (decimal digits after the point), then the base-10000 digits.  The decimal text is
 * parsed to a digit string and the position of its decimal point, then regrouped by four
 * from the point.  Infinity and NaN are refused (no numeric from SQLite needs them).
 */
bool ls_copy_numeric_bin(ls_cb *b, const char *s)
{
    bool neg = false;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    char dig[400];
    size_t nd = 0;
    long point = -1;   /* digits before the decimal point */
    bool any = false;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s)) {
            if (nd >= sizeof dig - 8)
                return false;
            dig[nd++] = *s;
            any = true;
        } else if (*s == '.' && point < 0) {
            point = (long)nd;
        } else {
            break;
        }
    }
    if (!any)
        return false;
    if (point < 0)
        point = (long)nd;
    if (*s == 'e' || *s == 'E') {
        char *end;
        long e = strtol(s + 1, &end, 10);
        if (end == s + 1 || *end || e > 1000 || e < -1000)
            return false;
        point += e;
        s = end;
    }
    if (*s)
        return false;
    long dscale = (long)nd - point;
    if (dscale < 0)
        dscale = 0;
    /* digits as a number: value = 0.dig * 10^point; pad so that the point falls on a
     * multiple of 4 and the length too */
    long lead = ((point % 4) + 4) % 4;          /* digits before the first full group */
    long pad_front = lead ? 4 - lead : 0;
    long first_group_pos = point + pad_front;   /* digits before the point, padded */
    long weight = first_group_pos / 4 - 1;
    size_t total = (size_t)pad_front + nd;
    size_t groups = (total + 3) / 4;
    uint16_t g[110];
    if (groups > 100 || pad_front < 0)
        return false;
    size_t ng = 0;
    for (size_t k = 0; k < groups; k++) {
        int v = 0;
        for (size_t j = 0; j < 4; j++) {
            long idx = (long)(k * 4 + j) - pad_front;
            v = v * 10 + (idx >= 0 && (size_t)idx < nd ? dig[idx] - '0' : 0);
        }
        g[ng++] = (uint16_t)v;
    }
    /* strip leading and trailing zero groups */
    size_t start = 0;
    while (start < ng && g[start] == 0) {
        start++;
        weight--;
    }
    while (ng > start && g[ng - 1] == 0)
        ng--;
    if (start == ng) {   /* zero */
        ls_cb_u16(b, 0);
        ls_cb_u16(b, 0);
        ls_cb_u16(b, 0);
        ls_cb_u16(b, (uint16_t)dscale);
        return true;
    }
    ls_cb_u16(b, (uint16_t)(ng - start));
    ls_cb_u16(b, (uint16_t)(int16_t)weight);
    ls_cb_u16(b, neg ? 0x4000 : 0);
    ls_cb_u16(b, (uint16_t)dscale);
    for (size_t k = start; k < ng; k++)
        ls_cb_u16(b, g[k]);
    return true;
}

const char *ls_copy_show(sqlite3_value *v)
{
    static char out[200];
    switch (sqlite3_value_type(v)) {
    case SQLITE_NULL:
        return "NULL";
    case SQLITE_INTEGER:
        snprintf(out, sizeof out, "%lld (integer)", (long long)sqlite3_value_int64(v));
        return out;
    case SQLITE_FLOAT: {
        char t[32];
        ls_copy_dbl_text(sqlite3_value_double(v), t);
        snprintf(out, sizeof out, "%s (real)", t);
        return out;
    }
    default: {
        bool text = sqlite3_value_type(v) == SQLITE_TEXT;
        const unsigned char *p = text ? sqlite3_value_text(v) : sqlite3_value_blob(v);
        int n = sqlite3_value_bytes(v);
        size_t o = 0;
        o += (size_t)snprintf(out, sizeof out, "%s", text ? "'" : "X'");
        for (int i = 0; i < n && o < sizeof out - 40; i++) {
            unsigned char c = p[i];
            if (!text)
                o += (size_t)snprintf(out + o, sizeof out - o, "%02X", c);
            else if (c >= 0x20 && c < 0x7f && c != '\\')
                out[o++] = (char)c;
            else
                o += (size_t)snprintf(out + o, sizeof out - o, "\\x%02x", c);
        }
        snprintf(out + o, sizeof out - o, "'%s (%s, %d bytes)", o >= sizeof out - 40 ? "..." : "",
                 text ? "text" : "blob", n);
        return out;
    }
    }
}

/* ---------------------------------------------------------------------------------------
 * PostgreSQL
 * ------------------------------------------------------------------------------------- */

int ls_pg_exec(PGconn *pg, const char *sql, const char *what)
{
    PGresult *r = PQexec(pg, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : 1;
    if (rc)
        fprintf(stderr, "liteshift: %s: %s", what, PQerrorMessage(pg));
    PQclear(r);
    return rc;
}

char *ls_pg_value(PGconn *pg, const char *sql)
{
    PGresult *r = PQexec(pg, sql);
    char *v = NULL;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
        v = strdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

PGconn *ls_pg_open(const char *url)
{
    PGconn *pg = PQconnectdb(url);
    if (PQstatus(pg) != CONNECTION_OK) {
        /* libpq's message names host and port, never the password */
        fprintf(stderr, "liteshift: cannot connect to PostgreSQL: %s", PQerrorMessage(pg));
        PQfinish(pg);
        return NULL;
    }
    if (ls_pg_exec(pg, "SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'; "
                       "SET DateStyle = 'ISO'; SET extra_float_digits = 3; "
                       "SET client_min_messages = warning; "
                       "SET application_name = 'liteshift copy'", "session settings")) {
        PQfinish(pg);
        return NULL;
    }
    return pg;
}

/* ---------------------------------------------------------------------------------------
 * Selection and progress
 * ------------------------------------------------------------------------------------- */

bool ls_copy_user_object(const char *name)
{
    return strncasecmp(name, "sqlite_", 7) != 0;
}

bool ls_copy_excluded(const ls_copy_opts *o, const char *name)
{
    for (size_t i = 0; i < o->n_exclude; i++)
        if (strcasecmp(o->exclude[i], name) == 0)
            return true;
    return false;
}

bool ls_copy_selected(const ls_copy_opts *o, const char *name)
{
    if (ls_copy_excluded(o, name))
        return false;
    if (!o->n_include)
        return true;
    for (size_t i = 0; i < o->n_include; i++)
        if (strcasecmp(o->include[i], name) == 0)
            return true;
    return false;
}

double ls_copy_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ls_copy_progress(const ls_copy_opts *o, const char *table, long long done, long long total,
                      double started)
{
    static int tty = -1;
    if (tty < 0)
        tty = isatty(2);
    if (!tty || o->quiet)
        return;
    double el = ls_copy_now() - started;
    double rate = el > 0 ? (double)done / el : 0;
    double eta = rate > 0 && total > done ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\r\033[K%-30.30s %12lld / %-12lld rows %10.0f rows/s  ETA %5.0fs",
            table, done, total, rate, eta);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}
