/* SPDX-License-Identifier: MIT
 * Tests for ls_rw_result.one_row (rewriter/dml.c): which statements the rewriter says return
 * at most one row, so that the backend reads them whole.  A "yes" that is wrong would only
 * cost memory (tests/integration/scripts/one_row.sql checks the rows on both backends),
 * so the "no" cases matter as much: every shape that can return several rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>

#include "case_file.h"
#include "rewrite.h"

static char *setup[] = {
    "CREATE TABLE items(id INTEGER PRIMARY KEY, cat INTEGER, name TEXT)",
    "CREATE TABLE plain(id INTEGER, v TEXT)",                 /* id not unique; hidden rowid */
    "CREATE TABLE wr(id INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID",
    "CREATE TABLE uq(id INTEGER UNIQUE, v TEXT)",             /* unique, but not the rowid */
    "CREATE TABLE tk(k TEXT PRIMARY KEY, a INTEGER, b INTEGER, UNIQUE (a, b))",
    "CREATE TABLE rowid_col(rowid INTEGER, v TEXT)",          /* a real column named rowid */
};

static const struct {
    const char *sql;
    bool one;
} cases[] = {
    /* key equality on a table whose rowid column is unique */
    { "SELECT name FROM items WHERE id = ?", true },
    { "SELECT * FROM items WHERE id = 5", true },
    { "SELECT name FROM items WHERE id == -5", true },
    { "SELECT name FROM items WHERE ? = id", true },
    { "SELECT name FROM items i WHERE i.id = ?", true },
    { "SELECT name FROM items AS i WHERE i.id = ? AND cat = 3", true },
    { "SELECT name FROM items WHERE cat > 2 AND id = :k ORDER BY name", true },
    { "SELECT name FROM items WHERE rowid = ?", true },
    { "SELECT name FROM items WHERE items.id = ?;", true },
    { "SELECT cat, count(*) FROM items WHERE id = ? GROUP BY cat", true },
    { "SELECT name FROM main.items WHERE id = ?", true },
    /* ... and what is not one */
    { "SELECT name FROM items WHERE id = ? OR cat = 1", false },
    { "SELECT name FROM items WHERE id = id", false },
    { "SELECT name FROM items WHERE id = cat", false },
    { "SELECT name FROM items WHERE id = ? + 1", false },
    { "SELECT name FROM items WHERE id = 1 IS NULL", false },
    { "SELECT name FROM items WHERE id > ?", false },
    { "SELECT name FROM items WHERE id IN (1, 2)", false },
    { "SELECT name FROM items WHERE NOT id = 1", false },
    { "SELECT name FROM items WHERE cat BETWEEN 1 AND id = 1", false },
    { "SELECT name FROM items WHERE CASE WHEN cat THEN 0 ELSE 1 AND id = 1 AND 1 END", false },
    { "SELECT name FROM items WHERE (id = 1 OR cat = 2)", false },
    { "SELECT name FROM items i WHERE x.id = ?", false },
    { "SELECT name FROM items, plain WHERE items.id = ?", false },
    { "SELECT name FROM items JOIN plain ON 1 WHERE items.id = ?", false },
    { "SELECT name FROM items WHERE id = ? UNION ALL SELECT name FROM items", false },
    { "SELECT v FROM plain WHERE id = ?", false },
    { "SELECT v FROM plain WHERE rowid = ?", false },
    { "SELECT v FROM uq WHERE id = ?", true },
    { "SELECT a FROM tk WHERE k = 'x'", true },
    { "SELECT a FROM tk WHERE k = ? AND a > 1", true },
    { "SELECT k FROM tk WHERE a = 1", false },
    { "SELECT k FROM tk WHERE a = 1 AND b = 2", false },
    { "SELECT k FROM tk WHERE k LIKE 'x'", false },
    { "SELECT name FROM items WHERE id = 1.5", true },
    { "SELECT v FROM rowid_col WHERE rowid = ?", false },
    { "SELECT v FROM wr WHERE id = ?", true },
    { "SELECT v FROM unknown_table WHERE id = ?", false },
    { "SELECT v FROM unknown_view WHERE id = ?", false },
    { "SELECT name FROM (SELECT * FROM items) WHERE id = ?", false },
    { "WITH x AS (SELECT 1) SELECT name FROM items WHERE id = ?", false },
    { "SELECT name FROM items", false },
    /* aggregates without GROUP BY */
    { "SELECT count(*), sum(cat), max(id) FROM items WHERE id BETWEEN ? AND ?", true },
    { "SELECT count(*) AS n FROM items", true },
    { "SELECT count(*) n, total(cat) FROM items i JOIN plain p ON p.id = i.id", true },
    { "SELECT DISTINCT avg(cat) FROM items HAVING count(*) > 1", true },
    { "SELECT group_concat(name, ',') FROM items", true },
    { "SELECT count(*) FROM items GROUP BY cat", false },
    { "SELECT max(id, cat) FROM items", false },
    { "SELECT count(*), cat FROM items", false },
    { "SELECT count(*) + 1 FROM items", false },
    { "SELECT count(*) OVER () FROM items", false },
    { "SELECT count(*) FILTER (WHERE cat > 1) FROM items", false },
    { "SELECT count(*) FROM items UNION ALL SELECT count(*) FROM plain", false },
    { "SELECT count(*) FROM (SELECT 1) GROUP BY 1", false },
    /* LIMIT 0 and 1 */
    { "SELECT name FROM items LIMIT 1", true },
    { "SELECT name FROM items ORDER BY name LIMIT 1 OFFSET ?", true },
    { "SELECT 1 UNION ALL SELECT 2 LIMIT 0", true },
    { "SELECT name FROM items LIMIT 2", false },
    { "SELECT name FROM items LIMIT 1, 5", false },
    { "SELECT name FROM items LIMIT ?", false },
    { "SELECT name FROM (SELECT name FROM items LIMIT 1) JOIN plain", false },
    /* INSERT of one row */
    { "INSERT INTO items(cat, name) VALUES (?, ?)", true },
    { "INSERT INTO items VALUES (NULL, 1, 'a') RETURNING id, name", true },
    { "INSERT INTO items(id, name) VALUES (1, 'a') ON CONFLICT (id) DO UPDATE SET name = 'b'", true },
    { "INSERT OR REPLACE INTO items(id, name) VALUES (?, ?)", true },
    { "INSERT INTO plain DEFAULT VALUES", true },
    { "INSERT INTO items(cat) VALUES (1), (2) RETURNING id", false },
    { "INSERT INTO items(cat) SELECT cat FROM items RETURNING id", false },
    { "INSERT INTO items(cat) SELECT * FROM (VALUES (1)) RETURNING id", false },
    { "WITH v(x) AS (VALUES (1)) INSERT INTO items(cat) SELECT x FROM v", false },
    /* UPDATE and DELETE without RETURNING: no rows */
    { "UPDATE items SET cat = 1 WHERE id = ?", true },
    { "UPDATE plain SET v = 'x'", true },
    { "DELETE FROM items WHERE cat > 1", true },
    { "DELETE FROM plain", true },
    { "WITH v(x) AS (VALUES (1)) DELETE FROM items WHERE id IN (SELECT x FROM v)", false },
    /* other statements stream, whatever they are */
    { "UPDATE items SET cat = 1 WHERE id = ? RETURNING name", false },
    { "UPDATE items SET cat = 1 WHERE id IN (SELECT id FROM plain) RETURNING id", false },
    { "DELETE FROM items WHERE id = ? RETURNING name", false },
    { "VALUES (1), (2)", false },
};

static void test_one_row_cases(void **state)
{
    (void)state;
    case_schema *cs = case_schema_new(setup, sizeof setup / sizeof setup[0]);
    assert_non_null(cs);
    int wrong = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ls_rw_result r;
        const char *sql = cases[i].sql;
        if (!case_rewrite(cs, sql, &r)) {
            wrong++;
            continue;
        }
        if (r.one_row != cases[i].one) {
            fprintf(stderr, "one_row %d, want %d: %s\n", r.one_row, cases[i].one, sql);
            wrong++;
        }
        ls_rw_result_clear(&r);
    }
    case_schema_free(cs);
    assert_int_equal(wrong, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_row_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
