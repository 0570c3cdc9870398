/* SPDX-License-Identifier: MIT
 *
 * Cost of an uncached rewrite (issue 3, acceptance 5: under 10 us for a typical 200-byte
 * statement), with the tokenizer alone as the anchor measured in the same run, and of a
 * cached one (issue 7, acceptance 5: under 0.2 us): what the shim's prepare does on a hit
 * (shim/pg_rwcache.c), one lookup in the rewriter's LRU keyed by the statement text.
 * Built, not a test: build/tests/unit/bench_rewrite [iterations].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rewrite.h"

static const char *const stmts[] = {
    /* typical application statements, about 200 bytes each */
    "SELECT id, name, email, created_at FROM users WHERE email LIKE ? AND status == 1 "
    "AND deleted_at IS NULL ORDER BY created_at DESC, name LIMIT ?, ?",
    "INSERT OR IGNORE INTO events (user_id, kind, payload, created_at) VALUES (?, ?, ?, "
    "datetime('now')) /* audit trail entry for the user */",
    "UPDATE sessions SET last_seen = CURRENT_TIMESTAMP, hits = hits + 1, token = :token "
    "WHERE id = :id AND expires_at > datetime('now', '-7 days')",
    "SELECT u.id, ifnull(p.nick, u.name) AS nick, group_concat(t.tag, ', ') FROM users u "
    "LEFT JOIN profiles p ON p.user_id = u.id JOIN tags t ON t.uid = u.id GROUP BY u.id",
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long iters = argc > 1 ? atol(argv[1]) : 200000;
    size_t n = sizeof stmts / sizeof stmts[0], bytes = 0;
    for (size_t k = 0; k < n; k++)
        bytes += strlen(stmts[k]);
    /* anchor: tokenizing the same text */
    double t0 = now();
    for (long i = 0; i < iters; i++) {
        ls_tokens toks = {0};
        const char *s = stmts[i % n];
        if (ls_tok_scan(s, strlen(s), &toks, NULL) != 0)
            return 1;
        ls_tokens_clear(&toks);
    }
    double tok = (now() - t0) / iters * 1e6;
    t0 = now();
    for (long i = 0; i < iters; i++) {
        ls_rw_result r;
        ls_err err;
        const char *s = stmts[i % n];
        if (ls_rw_rewrite(s, strlen(s), NULL, &r, &err) != 0) {
            fprintf(stderr, "rewrite failed: %s\n", err.msg);
            return 1;
        }
        ls_rw_result_clear(&r);
    }
    double rw = (now() - t0) / iters * 1e6;
    /* cached: the texts looked up in a cache holding them (plus 200 other statements) */
    ls_rw_cache *cache = ls_rw_cache_new(256, free);
    if (!cache)
        return 1;
    char other[64];
    for (int k = 0; k < 200; k++) {
        int len = snprintf(other, sizeof other, "SELECT * FROM t%d WHERE id = ?", k);
        if (ls_rw_cache_put(cache, other, (size_t)len, strdup(other)) != 0)
            return 1;
    }
    size_t lens[sizeof stmts / sizeof stmts[0]];
    for (size_t k = 0; k < n; k++) {
        ls_rw_result *r = calloc(1, sizeof *r);
        ls_err err;
        lens[k] = strlen(stmts[k]);
        if (!r || ls_rw_rewrite(stmts[k], lens[k], NULL, r, &err) != 0)
            return 1;
        ls_rw_result_clear(r);
        if (ls_rw_cache_put(cache, stmts[k], lens[k], r) != 0)
            return 1;
    }
    long hits = 0;
    t0 = now();
    for (long i = 0; i < iters * 10; i++)
        hits += ls_rw_cache_get(cache, stmts[i % n], lens[i % n]) != NULL;
    double cached = (now() - t0) / (iters * 10) * 1e6;
    ls_rw_cache_free(cache);
    if (hits != iters * 10)
        return 1;
    printf("statements: %zu, average %zu bytes, %ld iterations\n", n, bytes / n, iters);
    printf("tokenize only:      %.2f us/statement\n", tok);
    printf("uncached rewrite:   %.2f us/statement (%.1fx the tokenizer; target < 10 us)\n", rw,
           rw / tok);
    printf("cached rewrite:     %.3f us/statement (one LRU lookup; target < 0.2 us)\n", cached);
    return 0;
}
