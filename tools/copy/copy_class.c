/* SPDX-License-Identifier: MIT
 *
 * The storage classes of a column declared without a type (docs/compatibility.md D2), as the
 * copy tool writes and reads them.  On PostgreSQL such a column is text and is followed by a
 * smallint "<name>:class" column (rewriter/ddl.c, LS_CLASS_SUFFIX) holding SQLite's storage
 * class: 1 INTEGER (the text is its decimal), 2 REAL (the shortest text that reads back as
 * the same double), 3 TEXT, 4 BLOB ('\x' and lower-case hex).  A NULL class beside a value
 * means "unknown" and reads as text; so does a class whose text does not parse as that class
 * (the reader is robust: whatever an app wrote on PostgreSQL comes back, as text at worst).
 * Which columns have a class column is decided by each caller from the catalog.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "copy.h"

void ls_copy_hex(ls_cb *b, const void *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char *o = ls_cb_room(b, 2 + 2 * n);
    if (!o)
        return;
    const unsigned char *s = p;
    *o++ = '\\';
    *o++ = 'x';
    for (size_t i = 0; i < n; i++) {
        *o++ = (unsigned char)digits[s[i] >> 4];
        *o++ = (unsigned char)digits[s[i] & 15];
    }
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* s as a NUL-terminated copy in scratch (at offset 0), or NULL when memory ran out. */
static const char *terminated(ls_cb *scratch, const unsigned char *s, size_t n)
{
    scratch->len = 0;
    ls_cb_add(scratch, s, n);
    return scratch->oom ? NULL : scratch->p;
}

/* A 64-bit integer in decimal, the whole text: an optional '-', then digits. */
static bool parse_int(const char *t, size_t n, sqlite3_int64 *out)
{
    const char *d = t + (t[0] == '-');
    if (*d < '0' || *d > '9')
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(t, &end, 10);
    if (errno != 0 || end != t + n)
        return false;
    *out = (sqlite3_int64)v;
    return true;
}

/* A double, the whole text, no leading space (strtod would skip it), not a NaN: SQLite has
 * no NaN (binding one stores NULL), and the shim reads a class-2 'NaN' as its text. */
static bool parse_real(const char *t, size_t n, double *out)
{
    if (n == 0 || t[0] == ' ' || (t[0] >= '\t' && t[0] <= '\r'))
        return false;
    char *end;
    double d = strtod(t, &end);
    if (end != t + n || isnan(d))
        return false;
    *out = d;
    return true;
}

bool ls_copy_unclass(const unsigned char *s, size_t n, int cls, ls_cb *scratch,
                     ls_classed *out)
{
    out->type = SQLITE_TEXT;
    out->p = s;
    out->n = n;
    if (cls == LS_CLASS_INTEGER || cls == LS_CLASS_REAL) {
        if (n == 0 || n > 400 || memchr(s, 0, n))
            return true;
        const char *t = terminated(scratch, s, n);
        if (!t)
            return false;
        if (cls == LS_CLASS_INTEGER && parse_int(t, n, &out->i))
            out->type = SQLITE_INTEGER;
        else if (cls == LS_CLASS_REAL && parse_real(t, n, &out->d))
            out->type = SQLITE_FLOAT;
    } else if (cls == LS_CLASS_BLOB) {
        if (n < 2 || s[0] != '\\' || s[1] != 'x' || n % 2 != 0)
            return true;
        scratch->len = 0;
        unsigned char *o = ls_cb_room(scratch, (n - 2) / 2);
        if (!o)
            return false;
        for (size_t i = 2; i < n; i += 2) {
            int hi = hexval(s[i]), lo = hexval(s[i + 1]);
            if (hi < 0 || lo < 0)
                return true;   /* not hex: the text as it is */
            *o++ = (unsigned char)(hi << 4 | lo);
        }
        out->type = SQLITE_BLOB;
        out->p = (const unsigned char *)scratch->p;
        out->n = (n - 2) / 2;
    }
    return true;
}
