/* SPDX-License-Identifier: MIT
 *
 * Fuzz target over the rewriter's pure entry points: the tokenizer, the splitter, parameter
 * numbering, the output buffer and, when the build has it, ls_rw_rewrite.  Besides "no
 * crash, no leak, no read past the input" (ASan, UBSan), it checks invariants (tokens tile
 * the input; the buffer rebuilds it; the dense $n map is a bijection) and differs against
 * the real SQLite 3.40: ls_split_complete vs sqlite3_complete on every input and every
 * statement, and, whenever sqlite3_prepare_v2 accepts a statement, its pzTail and
 * sqlite3_bind_parameter_count/name vs ls_split_next and ls_params_scan.  Any violation
 * aborts.  Built for libFuzzer with LS_FUZZ=ON; always built as a corpus replay
 * (replay_main.c) that ctest runs over tests/fuzz/corpus.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rewriter.h"
#ifdef LS_FUZZ_HAVE_REWRITE
#include "rewrite.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "fuzz_rewrite: invariant failed at line %d: %s\n", __LINE__,   \
                    #cond);                                                                \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

enum { MAX_INPUT = 1 << 16, MAX_PREPARED = 8 };

static sqlite3 *db;

/* Statements are only prepared, never run; PRAGMA and ATTACH can act while preparing, so
 * they are refused. */
static int authorize(void *ctx, int action, const char *a, const char *b, const char *c,
                     const char *d)
{
    (void)ctx, (void)a, (void)b, (void)c, (void)d;
    return action == SQLITE_PRAGMA || action == SQLITE_ATTACH || action == SQLITE_DETACH
               ? SQLITE_DENY
               : SQLITE_OK;
}

static sqlite3 *reference_db(void)
{
    if (!db) {
        CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
        CHECK(sqlite3_exec(db, "create table t(a, b, c); create table u(n)", NULL, NULL,
                           NULL) == SQLITE_OK);
        sqlite3_set_authorizer(db, authorize, NULL);
    }
    return db;
}

#ifdef LS_FUZZ_HAVE_REWRITE
/* A schema for the rules that need one (RETURNING of the rowid, REPLACE's arbiters, booleans,
 * the hidden rowid): the tables the seed corpus names most, t, u and w, with an INTEGER
 * PRIMARY KEY, a hidden rowid, booleans, and one, two and three unique constraints.  Odd
 * inputs are rewritten with it, even ones without. */
#define FCOL(n) {n, false, false, false, false}
static const ls_rw_column fz_t[] = {FCOL("a"), FCOL("b"), {"c", true, false, false, false}, FCOL("id")};
static const ls_rw_column fz_u[] = {FCOL("k"), {"v", false, false, true, false},
                                    {"v" LS_CLASS_SUFFIX, false, true, false, true},
                                    {"flag", true, false, false, false},
                                    {"rowid", false, true, false, false}};
static const ls_rw_column fz_w[] = {FCOL("id"), FCOL("x"), FCOL("y"), FCOL("z")};
static const char *const fz_t_uniq[] = {"id", "a"};
static const char *const fz_u_uniq[] = {"rowid"};
static const char *const fz_w_uniq[] = {"id", "x,y", "z"};
static const struct {
    const char *name;
    ls_rw_table t;
} fz_tables[] = {
    {"t", {"id", "\"public\".\"t_id_seq\"", 4, fz_t, 2, fz_t_uniq, false}},
    {"u", {"rowid", "\"public\".\"u_rowid_seq\"", 4, fz_u, 1, fz_u_uniq, true}},
    {"w", {"id", "\"public\".\"w_id_seq\"", 4, fz_w, 3, fz_w_uniq, false}},
};

static const ls_rw_table *fz_lookup(void *ctx, const char *name)
{
    (void)ctx;
    for (size_t k = 0; k < sizeof fz_tables / sizeof fz_tables[0]; k++)
        if (!strcmp(fz_tables[k].name, name))
            return &fz_tables[k].t;
    return NULL;
}

static const ls_rw_schema fz_schema = {fz_lookup, NULL, "\"app\""};

/* LS_FUZZ_NO_REWRITE=1 in the environment leaves ls_rw_rewrite out, to fuzz the core alone
 * while a rules crash is being fixed. */
static bool rewrite_enabled(void)
{
    static int enabled = -1;
    if (enabled < 0) {
        const char *v = getenv("LS_FUZZ_NO_REWRITE");
        enabled = !(v && *v && strcmp(v, "0") != 0);
    }
    return enabled;
}
#endif

static void check_tokens(const char *sql, size_t size)
{
    ls_tokens toks = { 0 };
    if (ls_tok_scan(sql, size, &toks, NULL) != SQLITE_OK)
        return;
    ls_buf rebuilt = { 0 };
    size_t pos = 0;
    for (size_t i = 0; i < toks.n; i++) {
        const ls_token *t = &toks.v[i];
        CHECK(t->off == pos && t->len >= 1);
        CHECK(t->type >= LS_TK_SPACE && t->type <= LS_TK_ILLEGAL);
        CHECK((t->type == LS_TK_KEYWORD) == (t->kw != 0));
        if (t->kw)
            CHECK(ls_tok_text_is(sql, t, ls_kw_name(t->kw)));
        ls_buf_append_token(&rebuilt, sql, t);
        pos += t->len;
    }
    CHECK(pos == size);
    if (ls_buf_status(&rebuilt) == SQLITE_OK && size > 0)
        CHECK(rebuilt.len == size && memcmp(rebuilt.data, sql, size) == 0);
    ls_buf_clear(&rebuilt);
    ls_tokens_clear(&toks);
}

static void check_params(const char *sql, size_t n, ls_params *p)
{
    for (size_t i = 0; i < p->n_uses; i++) {
        const ls_param_use *u = &p->uses[i];
        CHECK(u->index >= 1 && u->index <= p->count);
        CHECK(u->off + u->len <= n && (i == 0 || u->off > p->uses[i - 1].off));
        int pg = p->pg_of[u->index];
        CHECK(pg >= 1 && pg <= p->pg_count && p->sqlite_of[pg] == u->index);
        CHECK(ls_params_pg_at(p, u->off) == pg);
        const char *name = ls_params_name(p, u->index);
        if (name)
            CHECK(ls_params_index(p, name) == u->index);
        if (sql[u->off] != '?')
            CHECK(name && strlen(name) == u->len && memcmp(name, sql + u->off, u->len) == 0);
    }
    for (int k = 1; k <= p->pg_count; k++)
        CHECK(k == 1 || p->sqlite_of[k] > p->sqlite_of[k - 1]);
}

/* The statement z[0..n) (z NUL-terminated further on) against sqlite3_prepare_v2. */
static void compare_with_prepare(const char *z, size_t avail, size_t n, const ls_params *p,
                                 int params_rc)
{
    sqlite3_stmt *stmt = NULL;
    const char *tail = NULL;
    if (sqlite3_prepare_v2(reference_db(), z, (int)avail, &stmt, &tail) != SQLITE_OK)
        return;
    CHECK((size_t)(tail - z) == n);
    if (stmt) {
        CHECK(params_rc == SQLITE_OK);
        CHECK(p->count == sqlite3_bind_parameter_count(stmt));
        for (int i = 1; i <= p->count; i++) {
            const char *want = sqlite3_bind_parameter_name(stmt, i);
            const char *got = ls_params_name(p, i);
            CHECK((want == NULL) == (got == NULL));
            CHECK(!want || strcmp(want, got) == 0);
        }
    }
    sqlite3_finalize(stmt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    const char *sql = (const char *)data;
    char *z = malloc(size + 1);
    if (!z)
        return 0;
    memcpy(z, data, size);
    z[size] = 0;

    check_tokens(sql, size);
    CHECK(ls_split_complete_n(sql, size) == (sqlite3_complete(z) != 0));
    CHECK(ls_split_complete(z) == ls_split_complete_n(sql, size));

    size_t end = strlen(z); /* SQLite stops at the first NUL; so does the splitter */
    size_t pos = 0;
    for (int count = 0; pos < end; count++) {
        bool complete;
        size_t n = ls_split_next(sql + pos, size - pos, &complete);
        CHECK(n >= 1 && pos + n <= end);
        char saved = z[pos + n];
        z[pos + n] = 0;
        CHECK(complete == (sqlite3_complete(z + pos) != 0));
        z[pos + n] = saved;

        ls_params p;
        ls_err err = { 0 };
        int rc = ls_params_scan(sql + pos, n, &p, &err);
        CHECK(rc == SQLITE_OK || rc == SQLITE_ERROR || rc == SQLITE_NOMEM);
        if (rc == SQLITE_OK)
            check_params(sql + pos, n, &p);
        else
            CHECK(err.code == rc && err.offset < n && p.count == 0);
        if (count < MAX_PREPARED)
            compare_with_prepare(z + pos, end - pos, n, &p, rc);
        ls_params_clear(&p);

#ifdef LS_FUZZ_HAVE_REWRITE
        if (rewrite_enabled()) {
            ls_rw_result res = { 0 };
            ls_err rerr = { 0 };
            const ls_rw_schema *sch = (size & 1) ? &fz_schema : NULL;
            if (ls_rw_rewrite(sql + pos, n, sch, &res, &rerr) == SQLITE_OK)
                CHECK(res.sql && strlen(res.sql) == res.len);
            ls_rw_result_clear(&res);
            char fn[32];
            CHECK(ls_rw_max_call_args(sql + pos, n, fn, sizeof fn) >= 0);
        }
#endif
        pos += n;
    }
    free(z);
    return 0;
}
