/* SPDX-License-Identifier: MIT
 *
 * Numbers between text and binary on the hot path of every row and every bind: PostgreSQL's
 * integer and float8 output read without strtoll/strtod in the common cases, and an
 * integer printed without snprintf.  Each reader answers exactly what the libc function
 * would, and hands the cases it does not cover to it (tests/unit/test_pg_num.c compares
 * them on millions of values).  Pure functions over NUL-terminated text.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "pg.h"

/* See pg.h.  Up to 18 digits cannot overflow; longer numbers and anything that is not an
 * optional '-' and digits (PostgreSQL prints nothing else for int2/4/8 and oid) go to
 * strtoll, whose clamping on overflow is kept. */
sqlite3_int64 ls_num_int64(const char *s)
{
    const char *p = s;
    bool neg = *p == '-';
    p += neg;
    uint64_t u = 0;
    int n = 0;
    while (*p >= '0' && *p <= '9' && n < 18) {
        u = u * 10 + (uint64_t)(*p - '0');
        p++;
        n++;
    }
    if (*p != '\0' || n == 0)
        return strtoll(s, NULL, 10);
    return neg ? -(sqlite3_int64)u : (sqlite3_int64)u;
}

/* The powers of ten that a double holds exactly. */
static const double exact_pow10[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* See pg.h.  A decimal whose digits, read as an integer m, are at most 2^53, scaled by
 * 10^k with |k| <= 22: m and 10^|k| are exact doubles, so one multiplication or division,
 * rounded once to nearest, is the correctly rounded value strtod gives (Clinger's fast
 * path).  Anything else (more digits, larger exponents, Infinity, NaN) goes to strtod. */
double ls_num_double(const char *s)
{
    const uint64_t max_exact = (uint64_t)1 << 53;
    const char *p = s;
    bool neg = *p == '-';
    p += neg;
    uint64_t m = 0;
    int digits = 0, scale = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        m = m * 10 + (uint64_t)(*p - '0');
        if (m > max_exact)
            return strtod(s, NULL);
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, digits++, scale--) {
            m = m * 10 + (uint64_t)(*p - '0');
            if (m > max_exact)
                return strtod(s, NULL);
        }
    }
    if (digits == 0)
        return strtod(s, NULL);
    if (*p == 'e' || *p == 'E') {
        p++;
        bool eneg = *p == '-';
        if (*p == '-' || *p == '+')
            p++;
        int e = 0, ed = 0;
        for (; *p >= '0' && *p <= '9' && ed < 4; p++, ed++)
            e = e * 10 + (*p - '0');
        if (ed == 0)
            return strtod(s, NULL);
        scale += eneg ? -e : e;
    }
    if (*p != '\0' || scale > 22 || scale < -22)
        return strtod(s, NULL);
    double d = (double)m;
    if (scale > 0)
        d *= exact_pow10[scale];
    else if (scale < 0)
        d /= exact_pow10[-scale];
    return neg ? -d : d;
}

/* See pg.h. */
int ls_num_format_int64(sqlite3_int64 v, char *buf)
{
    char tmp[20];
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n = 0;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    int len = 0;
    if (v < 0)
        buf[len++] = '-';
    while (n)
        buf[len++] = tmp[--n];
    buf[len] = '\0';
    return len;
}
