/* SPDX-License-Identifier: MIT
 *
 * Numbers between text and binary on the hot path of every row and every bind: PostgreSQL's
 * integer and float8 output read without strtoll/strtod in the common cases, and integers
 * and doubles printed without snprintf.  Each function answers exactly what the libc
 * function would, and hands the cases it does not cover to it (tests/unit/test_pg_num.c
 * compares them on millions of values).  Pure functions over NUL-terminated text.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The 17 significant digits of |d| with its decimal exponent x (d = 0.N x 10^(x+1)): N the
 * exact value of |d| * 10^(16 - x) rounded to nearest, ties to even, as printf rounds.
 * |d| = m 2^e exactly, so |d| 10^k = m 5^k 2^(e+k): m < 2^53 and 5^k < 2^47 (k <= 20) fit
 * 128 bits.  False when x is not the exponent of the result (the caller tries x +- 1). */
static bool digits17(uint64_t m, int e, int x, uint64_t *out)
{
    static const uint64_t pow5[21] = {
        1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125,
        244140625, 1220703125, 6103515625, 30517578125, 152587890625, 762939453125,
        3814697265625, 19073486328125, 95367431640625,
    };
    int k = 16 - x;
    if (k < 0 || k > 20)
        return false;
    unsigned __int128 v = (unsigned __int128)m * pow5[k];
    int s = e + k;   /* v 2^s */
    uint64_t n;
    if (s >= 0) {
        if (s > 60 || (v >> (64 - s)) != 0)
            return false;
        n = (uint64_t)(v << s);
    } else {
        s = -s;
        if (s > 120)
            return false;
        unsigned __int128 q = v >> s, r = v - (q << s), half = (unsigned __int128)1 << (s - 1);
        if (r > half || (r == half && (q & 1)))
            q++;
        if (q >> 64)
            return false;
        n = (uint64_t)q;
    }
    *out = n;
    return n >= 10000000000000000ULL && n < 100000000000000000ULL;
}

/* See pg.h.  Computed by hand for |d| in [1e-4, 1e15) (printf's fixed notation at 17
 * digits); snprintf for the rest (exponents, zero, infinities, NaN). */
int ls_num_format_double17(double d, char *buf, size_t cap)
{
    double a = d < 0 ? -d : d;
    if (!(a >= 1e-4 && a < 1e15) || cap < 32)
        return snprintf(buf, cap, "%.17g", d);
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int be = (int)(bits >> 52);                         /* a normal number here */
    uint64_t m = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
    int e = be - 1075;                                  /* a = m 2^e */
    /* floor(log10 a) is floor(L log10 2) or one more, L = floor(log2 a) = be - 1023
     * (78913 / 2^18 is log10 2 to 6 digits) */
    int t = (be - 1023) * 78913;
    int x = t >= 0 ? t >> 18 : -((-t + (1 << 18) - 1) >> 18);
    uint64_t n = 0;
    if (!digits17(m, e, x, &n) && !digits17(m, e, ++x, &n) && !digits17(m, e, x -= 2, &n))
        return snprintf(buf, cap, "%.17g", d);
    char dig[17];
    for (int i = 16; i >= 0; i--, n /= 10)
        dig[i] = (char)('0' + n % 10);
    int last = 16;   /* trailing zeros go, as %g drops them */
    while (last > 0 && dig[last] == '0' && last > x)
        last--;
    size_t o = 0;
    if (d < 0)
        buf[o++] = '-';
    if (x >= 0) {
        for (int i = 0; i <= x; i++)
            buf[o++] = dig[i];
        if (last > x) {
            buf[o++] = '.';
            for (int i = x + 1; i <= last; i++)
                buf[o++] = dig[i];
        }
    } else {
        buf[o++] = '0';
        buf[o++] = '.';
        for (int i = 0; i < -x - 1; i++)
            buf[o++] = '0';
        for (int i = 0; i <= last; i++)
            buf[o++] = dig[i];
    }
    buf[o] = '\0';
    return (int)o;
}
