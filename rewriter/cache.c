/* SPDX-License-Identifier: MIT
 *
 * The rewrite cache: a bounded map from the exact bytes of an SQL text to an opaque value
 * (the shim stores its rewrite result there), so a repeated statement costs one hash
 * lookup.  A uthash table finds entries; a doubly linked list in recency order picks the
 * victim when the cache is full (least recently used first).  uthash runs in non-fatal
 * out-of-memory mode: a failed insert leaves the table intact and reports SQLITE_NOMEM.
 * What the values are, and when to invalidate them (after DDL), is the caller's business.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rewriter.h"

/* Keys are whole statements, so hash 8 bytes per step (a multiply-xorshift mix) rather
 * than uthash's byte-oriented default. */
static unsigned hash_key(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 0x9E3779B97F4A7C15u ^ len;
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, p, len);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    h ^= h >> 29;
    return (unsigned)h;
}
#define HASH_FUNCTION(keyptr, keylen, hashv) ((hashv) = hash_key((keyptr), (keylen)))
#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(entry) ((entry)->oom = true)
#include <uthash.h>

typedef struct cache_entry {
    UT_hash_handle hh;          /* uthash link, keyed by key[0..len) */
    struct cache_entry *newer;  /* recency list toward the most recently used */
    struct cache_entry *older;  /* ...and toward the least recently used */
    void *value;                /* owned, released with the cache's free_value */
    size_t len;                 /* key length in bytes */
    bool oom;                   /* set by uthash when inserting this entry failed */
    char key[];                 /* the SQL bytes, not NUL-terminated */
} cache_entry;

struct ls_rw_cache {
    cache_entry *table;          /* uthash head */
    cache_entry *newest;         /* most recently used */
    cache_entry *oldest;         /* least recently used: evicted first */
    size_t count;                /* entries */
    size_t capacity;             /* at most this many entries, at least 1 */
    ls_rw_cache_free_fn free_value;
};

static void unlink_entry(ls_rw_cache *cache, cache_entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        cache->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        cache->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void push_newest(ls_rw_cache *cache, cache_entry *e)
{
    e->older = cache->newest;
    e->newer = NULL;
    if (cache->newest)
        cache->newest->newer = e;
    else
        cache->oldest = e;
    cache->newest = e;
}

/* Remove e from the table and the list, releasing it and its value. */
static void drop_entry(ls_rw_cache *cache, cache_entry *e)
{
    HASH_DELETE(hh, cache->table, e);
    unlink_entry(cache, e);
    if (cache->free_value)
        cache->free_value(e->value);
    free(e);
    cache->count--;
}

/*
 * A new empty cache holding at most capacity entries (0 counts as 1); free_value (may be
 * NULL) releases a stored value when it is replaced, evicted or cleared.  Returns NULL when
 * out of memory.  Caller frees with ls_rw_cache_free.
 */
ls_rw_cache *ls_rw_cache_new(size_t capacity, ls_rw_cache_free_fn free_value)
{
    ls_rw_cache *cache = calloc(1, sizeof *cache);
    if (!cache)
        return NULL;
    cache->capacity = capacity ? capacity : 1;
    cache->free_value = free_value;
    return cache;
}

/* Release every entry and value, then the cache itself.  NULL does nothing. */
void ls_rw_cache_free(ls_rw_cache *cache)
{
    if (!cache)
        return;
    ls_rw_cache_clear(cache);
    free(cache);
}

/*
 * The value stored for exactly the bytes sql[0..len), or NULL.  A hit makes the entry the
 * most recently used.  The value stays owned by the cache and valid until the next
 * ls_rw_cache_put, ls_rw_cache_clear or ls_rw_cache_free on this cache.  Borrows sql.
 * One hash of the key and one comparison on a hit (tests/bench/bench_rewrite_core.c).
 */
void *ls_rw_cache_get(ls_rw_cache *cache, const char *sql, size_t len)
{
    cache_entry *e = NULL;
    if (len > UINT32_MAX)
        return NULL;
    HASH_FIND(hh, cache->table, sql, len, e);
    if (!e)
        return NULL;
    if (e != cache->newest) {
        unlink_entry(cache, e);
        push_newest(cache, e);
    }
    return e->value;
}

/*
 * Store value (not NULL) for the bytes sql[0..len), copying the key.  An existing entry
 * for the same bytes gets the new value (the old one is released unless it is the same
 * pointer); otherwise, when the cache is full, the least recently used entry is evicted
 * first.  Returns SQLITE_OK (the cache now owns value; it is the most recently used
 * entry), SQLITE_NOMEM (the caller still owns value; the cache stays consistent, possibly
 * one entry shorter), SQLITE_TOOBIG past 4 GiB of key or SQLITE_MISUSE for a NULL value
 * (the caller keeps value in both).  Borrows sql.
 */
int ls_rw_cache_put(ls_rw_cache *cache, const char *sql, size_t len, void *value)
{
    if (!value)
        return SQLITE_MISUSE;
    if (len > UINT32_MAX)
        return SQLITE_TOOBIG; /* uthash keys are at most 4 GiB */
    cache_entry *e = NULL;
    HASH_FIND(hh, cache->table, sql, len, e);
    if (e) {
        if (e->value != value && cache->free_value)
            cache->free_value(e->value);
        e->value = value;
        unlink_entry(cache, e);
        push_newest(cache, e);
        return SQLITE_OK;
    }
    e = malloc(sizeof *e + len);
    if (!e)
        return SQLITE_NOMEM;
    memset(e, 0, sizeof *e);
    memcpy(e->key, sql, len);
    e->len = len;
    e->value = value;
    while (cache->count >= cache->capacity)
        drop_entry(cache, cache->oldest);
    HASH_ADD_KEYPTR(hh, cache->table, e->key, e->len, e);
    if (e->oom) {
        free(e);
        return SQLITE_NOMEM;
    }
    push_newest(cache, e);
    cache->count++;
    return SQLITE_OK;
}

/* Release every entry and value (after DDL, say); the cache stays usable. */
void ls_rw_cache_clear(ls_rw_cache *cache)
{
    cache_entry *e, *tmp;
    HASH_ITER(hh, cache->table, e, tmp) {
        HASH_DELETE(hh, cache->table, e);
        if (cache->free_value)
            cache->free_value(e->value);
        free(e);
    }
    cache->table = NULL;
    cache->newest = cache->oldest = NULL;
    cache->count = 0;
}

/* Number of entries stored (at most the capacity). */
size_t ls_rw_cache_count(const ls_rw_cache *cache)
{
    return cache->count;
}
