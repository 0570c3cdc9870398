/* SPDX-License-Identifier: MIT
 * Tests for shim/pg_num.c: the integer and float readers answer bit for bit what strtoll and
 * strtod answer, and the integer printer what "%lld" prints, on edge cases and on millions of
 * random values in the forms PostgreSQL prints and in forms it never prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void same_int(const char *s)
{
    long long want = strtoll(s, NULL, 10);
    long long got = ls_num_int64(s);
    if (got != want)
        fail_msg("ls_num_int64(\"%s\") = %lld, strtoll says %lld", s, got, want);
}

static void same_double(const char *s)
{
    double want = strtod(s, NULL), got = ls_num_double(s);
    if (isnan(want) && isnan(got))
        return;
    if (memcmp(&want, &got, sizeof want) != 0)
        fail_msg("ls_num_double(\"%s\") = %.17g, strtod says %.17g", s, got, want);
}

static void test_int_edges(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "", "-", "0", "-0", "007", "+5", " 5", "5 ", "12a", "-12", "1", "-1",
        "123456789012345678", "-123456789012345678", "999999999999999999",
        "1234567890123456789", "-1234567890123456789", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999", "0000000000000000000000012", "--1", "1-", "4294967295",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        same_int(cases[i]);
}

static void test_int_random(void **state)
{
    (void)state;
    char buf[40];
    for (int i = 0; i < 1000000; i++) {
        uint64_t r = next();
        long long v = (long long)(r >> (r % 64));  /* every magnitude */
        if (i & 1)
            v = -v;
        snprintf(buf, sizeof buf, "%lld", v);
        same_int(buf);
        assert_int_equal(ls_num_int64(buf), v);
    }
}

static void test_format_int(void **state)
{
    (void)state;
    static const long long edges[] = { 0, 1, -1, 9, 10, -10, INT64_MAX, INT64_MIN, INT64_MIN + 1,
                                       1000000000000000000LL, -999999999999999999LL };
    char want[32], got[32];
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        int n = snprintf(want, sizeof want, "%lld", edges[i]);
        assert_int_equal(ls_num_format_int64(edges[i], got), n);
        assert_string_equal(got, want);
    }
    for (int i = 0; i < 1000000; i++) {
        uint64_t r = next();
        long long v = (long long)(r >> (r % 64));
        if (i & 1)
            v = -v;
        int n = snprintf(want, sizeof want, "%lld", v);
        assert_int_equal(ls_num_format_int64(v, got), n);
        assert_string_equal(got, want);
    }
}

static void test_double_edges(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "0", "-0", "0.0", "-0.0", "1", "-1", "0.1", "0.25", "5.", ".5", "-.5", "1e", "1e+",
        "1e-", "e5", ".", "-", "", "+1.5", " 1.5", "1.5 ", "1.5x", "NaN", "Infinity",
        "-Infinity", "inf", "nan", "0x1p3", "1e22", "1e23", "-1e22", "1e-22", "1e-23",
        "9007199254740992", "9007199254740993", "9007199254740994", "90071992547409921",
        "4.9406564584124654e-324", "2.2250738585072014e-308", "1.7976931348623157e+308",
        "1.7976931348623159e+308", "1e-400", "1e400", "1e0022", "1e00022", "1.0e+20",
        "123456789012345678901234567890", "0.000000000000000000000000000001",
        "3.141592653589793", "2.718281828459045", "0.30000000000000004", "1e+5", "1E5",
        "12345.678e-3", "0.1e23", "100e-24", "1.5e-7",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        same_double(cases[i]);
}

static double random_double(void)
{
    uint64_t r = next();
    switch (r % 4) {
    case 0: {   /* any bit pattern */
        double d;
        uint64_t b = next();
        memcpy(&d, &b, sizeof d);
        return d;
    }
    case 1:     /* money-like: cents and quarters */
        return (double)(int64_t)(next() % 100000000) / (r & 4 ? 100.0 : 4.0);
    case 2:     /* a few significant digits at every scale */
        return (double)(next() % 100000) * pow(10.0, (double)(int)(next() % 60) - 30);
    default:    /* uniform in [0, 1e6) */
        return (double)(next() >> 11) / 9007199254740992.0 * 1e6;
    }
}

static void test_double_random(void **state)
{
    (void)state;
    char buf[512];
    for (int i = 0; i < 100000; i++) {
        double d = random_double();
        if (i & 1)
            d = -d;
        for (int f = 0; f < 7; f++) {
            switch (f) {
            case 0: snprintf(buf, sizeof buf, "%.17g", d); break;
            case 1: snprintf(buf, sizeof buf, "%.15g", d); break;
            case 2: snprintf(buf, sizeof buf, "%.6g", d); break;
            case 3: snprintf(buf, sizeof buf, "%g", d); break;
            case 4: snprintf(buf, sizeof buf, "%.3f", d); break;
            case 5: snprintf(buf, sizeof buf, "%e", d); break;
            default: snprintf(buf, sizeof buf, "%.1f", d); break;
            }
            same_double(buf);
        }
        /* PostgreSQL's float8 output: the shortest text that reads back as d */
        for (int p = 1; p <= 17; p++) {
            snprintf(buf, sizeof buf, "%.*g", p, d);
            if (strtod(buf, NULL) == d || p == 17) {
                same_double(buf);
                break;
            }
        }
    }
    /* decimal strings of up to 20 digits with exponents around the fast path's bounds */
    for (int i = 0; i < 1000000; i++) {
        char digits[24];
        int nd = 1 + (int)(next() % 20), pt = (int)(next() % (uint64_t)(nd + 1));
        for (int k = 0; k < nd; k++)
            digits[k] = (char)('0' + next() % 10);
        int e = (int)(next() % 61) - 30;
        int len = snprintf(buf, sizeof buf, "%s%.*s.%.*s", i & 1 ? "-" : "", pt, digits,
                           nd - pt, digits + pt);
        if (next() & 1)
            snprintf(buf + len, sizeof buf - (size_t)len, "e%d", e);
        same_double(buf);
    }
}

static void same_format(double d)
{
    char want[64], got[64];
    int n = snprintf(want, sizeof want, "%.17g", d);
    int k = ls_num_format_double17(d, got, sizeof got);
    if (k != n || strcmp(got, want) != 0)
        fail_msg("ls_num_format_double17(%a) = \"%s\", snprintf says \"%s\"", d, got, want);
}

static void test_format_double(void **state)
{
    (void)state;
    static const double edges[] = {
        0.0, -0.0, 1.0, -1.0, 0.1, 0.25, 1e-4, 1e-5, 9.9999999999999991e-5, 1e15, 1e15 - 0.125,
        999999999999999.9, 1e14, 123456789012345.67, 0.30000000000000004, 1.0 / 3, 2.0 / 3,
        1234.25, 5e-324, 1.7976931348623157e308, 0.5, 0.125, 0.0001220703125, 1e16, 9.5, 99.5,
        0.99999999999999989, 9.9999999999999982, 1e-3, 1e-2, 1e-1, 1e1, 1e2, 1e3,
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        same_format(edges[i]);
        same_format(-edges[i]);
    }
    /* dyadic fractions: their decimal expansions end in 5, where rounding ties come from */
    for (int j = 1; j <= 62; j++)
        for (int64_t k = 1; k < 4000; k += 1 + (int64_t)(next() % 7))
            same_format(ldexp((double)k, -j) * (double)(1 + next() % 1000));
    for (int i = 0; i < 300000; i++) {
        double d = random_double();
        same_format(d);
        same_format(-d);
        /* every power of ten's neighbourhood, where the exponent is decided */
        double p = pow(10.0, (double)(int)(next() % 24) - 6);
        same_format(nextafter(p, 0.0));
        same_format(p);
        same_format(nextafter(p, 1e300));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_edges),
        cmocka_unit_test(test_int_random),
        cmocka_unit_test(test_format_int),
        cmocka_unit_test(test_double_edges),
        cmocka_unit_test(test_double_random),
        cmocka_unit_test(test_format_double),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
