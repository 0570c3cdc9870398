/* SPDX-License-Identifier: MIT
 * Tests for shim/log.c: password redaction in connection strings and URLs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "log.h"

static void check(const char *in, const char *want)
{
    char out[256];
    ls_log_redact(in, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_ls_log_redact_keyvalue(void **state)
{
    (void)state;
    check("host=db user=app password=s3cret dbname=x", "host=db user=app password=*** dbname=x");
    check("password = 's3 cr\\'et' host=db", "password=*** host=db");
    check("host=db", "host=db");
}

static void test_ls_log_redact_url(void **state)
{
    (void)state;
    check("postgresql://app:s3cret@db:5432/x", "postgresql://app:***@db:5432/x");
    check("postgresql://app@db/x", "postgresql://app@db/x");
    check("postgres://db/x?user=app&password=s3cret&sslmode=off",
          "postgres://db/x?user=app&password=***&sslmode=off");
}

static void test_ls_log_redact_truncates_safely(void **state)
{
    (void)state;
    char out[8];
    ls_log_redact("password=abcdefgh", out, sizeof out);
    assert_int_equal(strlen(out), 7);
    assert_null(strstr(out, "abc"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ls_log_redact_keyvalue),
        cmocka_unit_test(test_ls_log_redact_url),
        cmocka_unit_test(test_ls_log_redact_truncates_safely),
    };
    return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
