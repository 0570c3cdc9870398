/* SPDX-License-Identifier: MIT
 * Tests for ls_rw_result.replay_ok and replay_seq (rewriter/replay.c): which writes the
 * backend may run again after a rollback to its savepoint ls_base (shim/pg_replay.c), the
 * statement rollback of DIALECT S6.  A wrong "yes" would let a failure elsewhere in the
 * transaction change what an earlier write wrote (a new random(), a new clock reading, other
 * rows under a LIMIT, a rowid it cannot pin), so the "no" cases are the point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "case_file.h"
#include "rewrite.h"

static char *setup[] = {
    "CREATE TABLE items(id INTEGER PRIMARY KEY, cat INTEGER, name TEXT UNIQUE)",
    "CREATE TABLE plain(id INTEGER, v TEXT)",                 /* hidden rowid */
    "CREATE TABLE wr(id INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID",
};

static const struct {
    const char *sql;
    bool ok;
    bool seq;   /* replay_seq set: the INSERT's rowid is pinned before it runs again */
} cases[] = {
    { "INSERT INTO items(cat, name) VALUES (?, ?)", true, true },
    { "INSERT INTO items(id, cat, name) VALUES (?, ?, ?)", true, true },
    { "INSERT INTO items(cat, name) VALUES (?, upper(?))", true, true },
    { "INSERT INTO plain(id, v) VALUES (?, coalesce(?, 'x'))", true, true },
    { "INSERT INTO wr(id, v) VALUES (?, ?)", true, false },
    { "INSERT INTO wr(id, v) VALUES (1, 'a'), (2, 'b')", true, false },
    { "INSERT OR IGNORE INTO items(cat, name) VALUES (?, ?)", true, true },
    { "INSERT INTO items(cat, name) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET cat = cat + 1",
      true, true },
    { "UPDATE items SET cat = cat + 1 WHERE id = ?", true, false },
    { "UPDATE items SET name = lower(name) || ? WHERE cat IN (1, 2, ?)", true, false },
    { "DELETE FROM items WHERE id = ?", true, false },
    { "DELETE FROM plain WHERE v LIKE ?", true, false },
    /* not replayable: reads another table or a view, whose rows may not be the same */
    { "UPDATE items SET name = lower(name) || ? WHERE cat IN (SELECT id FROM plain)", false, false },
    { "UPDATE items SET cat = plain.id FROM plain WHERE plain.v = items.name", false, false },
    { "DELETE FROM items WHERE EXISTS (SELECT 1 FROM plain WHERE plain.id = items.cat)", false,
      false },
    { "WITH x AS (SELECT 1 AS v) UPDATE items SET cat = 1", false, false },
    { "UPDATE items SET cat = cat + 1 WHERE id IN plain", false, false },
    { "DELETE FROM items WHERE cat NOT IN main.plain", false, false },
    /* ... calls what may answer differently */
    { "INSERT INTO items(cat, name) VALUES (\"random\"(), ?)", false, false },
    { "INSERT INTO items(cat, name) VALUES (1, date('now'))", false, false },
    { "INSERT INTO items(cat, name) VALUES (julianday('now'), time('now'))", false, false },
    { "INSERT INTO items(cat, name) VALUES (random(), ?)", false, false },
    { "INSERT INTO items(cat, name) VALUES (1, hex(randomblob(4)))", false, false },
    { "INSERT INTO items(cat, name) VALUES (1, datetime('now'))", false, false },
    { "INSERT INTO items(cat, name) VALUES (1, CURRENT_TIMESTAMP)", false, false },
    { "UPDATE items SET name = strftime('%s', 'now') WHERE id = 1", false, false },
    { "UPDATE items SET name = my_app_function(name)", false, false },
    { "UPDATE items SET name = (SELECT v FROM plain LIMIT 1)", false, false },
    { "UPDATE items SET name = (SELECT group_concat(v) FROM plain)", false, false },
    { "DELETE FROM items WHERE id IN (SELECT id FROM items ORDER BY cat LIMIT 2)", false, false },
    { "INSERT INTO items(cat, name) VALUES (1, 'a'), (2, 'b')", false, false },
    { "INSERT INTO items(cat, name) SELECT id, v FROM plain", false, false },
    { "INSERT INTO items(cat, name) VALUES (?, ?) RETURNING id", false, false },
    { "INSERT OR REPLACE INTO items(id, name) VALUES (?, ?)", false, false },
    { "REPLACE INTO items(id, name) VALUES (?, ?)", false, false },
    { "INSERT INTO unknown_table(a) VALUES (?)", false, false },
    { "UPDATE unknown_table SET a = 1", false, false },
    { "INSERT INTO items(cat, name) VALUES (changes(), ?)", false, false },
    /* reads are never run again: no flag */
    { "SELECT name FROM items WHERE id = ?", false, false },
};

static void test_replay_cases(void **state)
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
        if (r.replay_ok != cases[i].ok || (r.replay_seq[0] != '\0') != cases[i].seq) {
            fprintf(stderr, "replay_ok %d seq '%s', want %d %s: %s\n", r.replay_ok,
                    r.replay_seq, cases[i].ok, cases[i].seq ? "a sequence" : "none", sql);
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
        cmocka_unit_test(test_replay_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
