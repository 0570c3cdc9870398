/* SPDX-License-Identifier: MIT
 *
 * The table-driven rewrite cases: every tests/cases/<topic>.case entry rewritten (with a fake
 * schema from its setup lines) and compared token-wise with the expected PostgreSQL text,
 * or with the expected error.  Also: ids are unique, there are at least 300 cases, and
 * every DIALECT.md entry whose kind contains S is named by some case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "case_file.h"

static case_set cases;

static int run_case(const case_item *c)
{
    case_schema *schema = case_schema_new(c->setup, c->n_setup);
    ls_rw_result r;
    ls_err err;
    int rc = ls_rw_rewrite(c->input, strlen(c->input), case_schema_get(schema), &r, &err);
    int bad = 0;
    if (c->is_error) {
        if (rc == 0) {
            fprintf(stderr, "%s:%d %s: expected error '%s', got: %s\n", c->file, c->line, c->id,
                    c->expect, r.sql);
            bad = 1;
        } else if (!strstr(err.msg, c->expect)) {
            fprintf(stderr, "%s:%d %s: expected error '%s', got error: %s\n", c->file, c->line,
                    c->id, c->expect, err.msg);
            bad = 1;
        }
    } else if (rc != 0) {
        fprintf(stderr, "%s:%d %s: error %d at %zu: %s\n", c->file, c->line, c->id, rc,
                err.offset, err.msg);
        bad = 1;
    } else {
        char *got = case_normalize(r.sql), *want = case_normalize(c->expect);
        if (!got || !want || strcmp(got, want)) {
            fprintf(stderr, "%s:%d %s:\n  want: %s\n  got:  %s\n", c->file, c->line, c->id,
                    want ? want : "?", got ? got : "?");
            bad = 1;
        }
        free(got);
        free(want);
    }
    if (rc == 0)
        ls_rw_result_clear(&r);
    case_schema_free(schema);
    return bad;
}

static void test_cases_all(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t k = 0; k < cases.n; k++)
        failed += run_case(&cases.v[k]);
    fprintf(stderr, "%zu cases, %d failed\n", cases.n, failed);
    assert_int_equal(failed, 0);
}

static void test_cases_ids_unique(void **state)
{
    (void)state;
    int dup = 0;
    for (size_t a = 0; a < cases.n; a++)
        for (size_t b = a + 1; b < cases.n; b++)
            if (!strcmp(cases.v[a].id, cases.v[b].id)) {
                fprintf(stderr, "duplicate case id %s (%s, %s)\n", cases.v[a].id,
                        cases.v[a].file, cases.v[b].file);
                dup++;
            }
    assert_int_equal(dup, 0);
    assert_true(cases.n >= 300);
}

/* Does some case mention DIALECT id (as a whole word) in its id or title? */
static bool covered(const char *id)
{
    size_t n = strlen(id);
    for (size_t k = 0; k < cases.n; k++) {
        const char *texts[2] = {cases.v[k].id, cases.v[k].title};
        for (int t = 0; t < 2; t++)
            for (const char *p = strstr(texts[t], id); p; p = strstr(p + 1, id)) {
                bool left = p == texts[t] || !((p[-1] >= 'A' && p[-1] <= 'Z')
                                               || (p[-1] >= '0' && p[-1] <= '9'));
                bool right = !(p[n] >= '0' && p[n] <= '9');
                if (left && right)
                    return true;
            }
    }
    return false;
}

static void test_cases_dialect_coverage(void **state)
{
    (void)state;
    FILE *f = fopen(LS_DIALECT_MD, "r");
    assert_non_null(f);
    char line[8192];
    int n_s = 0, missing = 0;
    while (fgets(line, sizeof line, f)) {
        /* a table row: | ID | form | equivalent | kind | test | */
        if (line[0] != '|' || line[1] != ' ')
            continue;
        char *cells[8];
        int nc = 0;
        for (char *p = line; *p && nc < 8; p++)
            if (*p == '|' && (p == line || p[-1] != '\\'))
                cells[nc++] = p + 1;
        if (nc < 6)
            continue;
        char id[16];
        if (sscanf(cells[0], " %15[A-Z0-9] ", id) != 1 || !(id[0] >= 'A' && id[0] <= 'Z'))
            continue;
        bool digit1 = id[1] >= '0' && id[1] <= '9';
        bool digit2 = id[1] >= 'A' && id[1] <= 'Z' && id[2] >= '0' && id[2] <= '9';
        if (!digit1 && !digit2)
            continue;
        /* the kind is the 4th cell; it counts when it has an S as a whole code */
        char kind[64] = "";
        size_t kl = (size_t)(cells[4] - cells[3] - 1);
        snprintf(kind, sizeof kind, "%.*s", (int)(kl < 63 ? kl : 63), cells[3]);
        bool s = false;
        for (char *p = kind; *p; p++)
            if (*p == 'S' && (p == kind || !(p[-1] >= 'A' && p[-1] <= 'Z'))
                && !(p[1] >= 'A' && p[1] <= 'Z'))
                s = true;
        if (!s)
            continue;
        n_s++;
        if (!covered(id)) {
            fprintf(stderr, "DIALECT %s (kind %s) has no case\n", id, kind);
            missing++;
        }
    }
    fclose(f);
    fprintf(stderr, "DIALECT entries with kind S: %d, without a case: %d\n", n_s, missing);
    assert_true(n_s > 50);
    assert_int_equal(missing, 0);
}

/* DIALECT F15: the map the shim binds from.  The app's parameters keep their SQLite
 * numbering and names; the hidden ones follow, one per function, named NULL, with their
 * LS_HIDDEN_* code, and sqlite_params (bind_parameter_count) does not count them. */
static void test_ls_rw_rewrite_hidden_params(void **state)
{
    (void)state;
    static const char sql[] = "select ?2, total_changes(), :a, last_insert_rowid(), "
                              "total_changes(), changes()";
    ls_rw_result r;
    ls_err err;
    assert_int_equal(ls_rw_rewrite(sql, strlen(sql), NULL, &r, &err), 0);   /* SQLITE_OK */
    assert_int_equal(r.sqlite_params, 3);        /* ?2 and :a (index 3) */
    assert_int_equal(r.params.pg_count, 2);
    assert_int_equal(r.n_hidden, 3);
    assert_int_equal(r.n_params, 5);
    assert_int_equal(r.param_index[0], 2);
    assert_int_equal(r.param_index[1], 3);
    assert_string_equal(r.param_names[1], ":a");
    assert_int_equal(r.param_index[2], LS_HIDDEN_TOTAL_CHANGES);
    assert_int_equal(r.param_index[3], LS_HIDDEN_LAST_ROWID);
    assert_int_equal(r.param_index[4], LS_HIDDEN_CHANGES);
    for (int k = 2; k < 5; k++)
        assert_null(r.param_names[k]);
    assert_non_null(strstr(r.sql, "$3::int8, $2, $4::int8, $3::int8, $5::int8"));
    ls_rw_result_clear(&r);

    /* none: no hidden parameter, the map is the app's alone */
    assert_int_equal(ls_rw_rewrite("select ?", 8, NULL, &r, &err), 0);   /* SQLITE_OK */
    assert_int_equal(r.n_hidden, 0);
    assert_int_equal(r.n_params, 1);
    ls_rw_result_clear(&r);
}

/* D17: parameters used only as whole arguments of storage-class functions are marked, so
 * the shim prepares them with the bound value's type; a parameter also used elsewhere (?2
 * in arithmetic) keeps PostgreSQL's inferred type. */
static void test_ls_rw_rewrite_param_by_class(void **state)
{
    (void)state;
    static const char sql[] = "select typeof(?1), hex(?2), ?2 + 1, printf('%d', ?3), "
                              "quote(?1), char(65, ?4), ?5, zeroblob(?6 + 1)";
    ls_rw_result r;
    ls_err err;
    assert_int_equal(ls_rw_rewrite(sql, strlen(sql), NULL, &r, &err), 0);
    assert_int_equal(r.n_params, 6);
    assert_non_null(r.param_by_class);
    bool want[6] = { true, false, true, true, false, false };
    for (int k = 0; k < 6; k++)
        assert_int_equal(r.param_by_class[k], want[k]);
    ls_rw_result_clear(&r);
    assert_int_equal(ls_rw_rewrite("select ? + 1", 12, NULL, &r, &err), 0);
    assert_null(r.param_by_class);
    ls_rw_result_clear(&r);
}

int main(void)
{
    if (!case_set_load(LS_CASES_DIR, &cases))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases_all),
        cmocka_unit_test(test_cases_ids_unique),
        cmocka_unit_test(test_cases_dialect_coverage),
        cmocka_unit_test(test_ls_rw_rewrite_hidden_params),
        cmocka_unit_test(test_ls_rw_rewrite_param_by_class),
    };
    int rc = cmocka_run_group_tests_name("rewrite cases", tests, NULL, NULL);
    case_set_free(&cases);
    return rc;
}
