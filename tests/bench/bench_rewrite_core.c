/* SPDX-License-Identifier: MIT
 *
 * Benchmark of the rewriter's core on a typical 200-byte statement: a cached rewrite lookup
 * (ls_rw_cache_get on a 1000-entry cache), tokenization (ls_tok_scan), splitting and
 * parameter numbering, each in ns per call and as a ratio to an anchor measured in the
 * same run (sqlite3_complete on the same text, a plain scan by the real library).  Not a
 * ctest test: run build/tests/unit/bench_rewrite_core by hand.  The target for the cached
 * lookup is under 200 ns.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "rewriter.h"

static const char *stmt =
    "SELECT c.customer_id, c.first_name, c.last_name, SUM(p.amount) AS total "
    "FROM customer c JOIN payment p ON p.customer_id = c.customer_id "
    "WHERE c.store_id = ?1 AND p.payment_date >= :since GROUP BY 1 ORDER BY 4 DESC";

static volatile size_t sink;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Best of five runs of iters calls, in ns per call. */
#define MEASURE(result, iters, body)                                                       \
    do {                                                                                   \
        double best_ = 1e300;                                                              \
        for (int run_ = 0; run_ < 5; run_++) {                                             \
            double t0_ = now_ns();                                                         \
            for (long i_ = 0; i_ < (iters); i_++) {                                        \
                body;                                                                      \
            }                                                                              \
            double per_ = (now_ns() - t0_) / (double)(iters);                              \
            if (per_ < best_)                                                              \
                best_ = per_;                                                              \
        }                                                                                  \
        (result) = best_;                                                                  \
    } while (0)

int main(void)
{
    size_t len = strlen(stmt);
    long iters = 200000;

    ls_rw_cache *cache = ls_rw_cache_new(1000, free);
    if (!cache)
        return 1;
    char key[400];
    for (int i = 0; i < 999; i++) {
        int n = snprintf(key, sizeof key, "%s OFFSET %d", stmt, i);
        if (ls_rw_cache_put(cache, key, (size_t)n, strdup(key)) != SQLITE_OK)
            return 1;
    }
    if (ls_rw_cache_put(cache, stmt, len, strdup(stmt)) != SQLITE_OK)
        return 1;

    ls_tokens toks = { 0 };
    ls_params params;
    double anchor, lookup, miss, tokenize, split, scan_params;

    MEASURE(anchor, iters, sink += (size_t)sqlite3_complete(stmt));
    MEASURE(lookup, iters, sink += (size_t)ls_rw_cache_get(cache, stmt, len));
    MEASURE(miss, iters, sink += (size_t)ls_rw_cache_get(cache, stmt, len - 1));
    MEASURE(tokenize, iters, {
        if (ls_tok_scan(stmt, len, &toks, NULL) != SQLITE_OK)
            return 1;
        sink += toks.n;
    });
    MEASURE(split, iters, sink += ls_split_next(stmt, len, NULL));
    MEASURE(scan_params, iters, {
        if (ls_params_scan_tokens(stmt, &toks, &params, NULL) != SQLITE_OK)
            return 1;
        sink += (size_t)params.count;
        ls_params_clear(&params);
    });

    printf("statement: %zu bytes, %zu tokens\n", len, toks.n);
    printf("%-34s %8.1f ns  (anchor)\n", "sqlite3_complete", anchor);
    printf("%-34s %8.1f ns  %5.2fx anchor\n", "ls_rw_cache_get hit (1000 entries)", lookup,
           lookup / anchor);
    printf("%-34s %8.1f ns  %5.2fx anchor\n", "ls_rw_cache_get miss", miss, miss / anchor);
    printf("%-34s %8.1f ns  %5.2fx anchor\n", "ls_tok_scan", tokenize, tokenize / anchor);
    printf("%-34s %8.1f ns  %5.2fx anchor\n", "ls_split_next", split, split / anchor);
    printf("%-34s %8.1f ns  %5.2fx anchor\n", "ls_params_scan_tokens", scan_params,
           scan_params / anchor);
    ls_tokens_clear(&toks);
    ls_rw_cache_free(cache);
    return 0;
}
