/* SPDX-License-Identifier: MIT
 *
 * Keyword lookup: SQLite 3.40's 147 keywords, from the LS_KEYWORDS list in rewriter.h, to
 * their LS_KW_* ids and back.  The list is alphabetical, so the id order is the table order;
 * a lookup upper-cases the word and probes a small hash index built from the table once.  The tokenizer decides which
 * words are looked up (only words made of ASCII letters and '_'); this file only answers
 * whether a spelling is a keyword.  tests/unit/test_keywords.c checks the table against
 * sqlite3_keyword_name() of the real library.
 */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "rewriter.h"

/* The longest keyword, CURRENT_TIMESTAMP, has 17 bytes. */
#define KW_MAX_LEN 17

typedef struct kw_entry {
    const char *name;  /* upper case, static */
    unsigned char len; /* strlen(name) */
} kw_entry;

#define KW_ENTRY_(name) { #name, (unsigned char)(sizeof #name - 1) },
static const kw_entry kw_table[] = { LS_KEYWORDS(KW_ENTRY_) };
#undef KW_ENTRY_

_Static_assert(sizeof kw_table / sizeof kw_table[0] == 147, "SQLite 3.40 has 147 keywords");

/* Open-addressing index over kw_table: slot -> keyword id, 0 when empty.  Built once, on
 * first use (pthread_once), from the table itself; at most 147/512 full.  index_ready is
 * set (release) when it is complete, so later lookups skip the pthread_once call. */
#define KW_SLOTS 512
static unsigned char kw_index[KW_SLOTS];
static pthread_once_t kw_index_once = PTHREAD_ONCE_INIT;
static int index_ready;

_Static_assert(LS_KW_COUNT < 256, "keyword ids fit in a byte");

/* Upper case of a letter or '_' (the only bytes of a keyword): bit 5 cleared. */
#define KW_UP(c) ((unsigned char)(c) & 0xDF)

/* Hash of a word of 2 or more letters and '_', case-insensitively: its length and three of
 * its bytes, which tell SQLite's keywords apart well enough for a short probe, in constant
 * time (the probe compares whole words). */
static unsigned hash_word(const char *s, size_t len)
{
    unsigned h = (unsigned)len * 40503u + KW_UP(s[0]) * 961u + KW_UP(s[1]) * 31u
               + KW_UP(s[len - 1]);
    return h ^ (h >> 7);
}

static void build_index(void)
{
    for (size_t k = 0; k < sizeof kw_table / sizeof kw_table[0]; k++) {
        unsigned slot = hash_word(kw_table[k].name, kw_table[k].len) % KW_SLOTS;
        while (kw_index[slot] != 0)
            slot = (slot + 1) % KW_SLOTS;
        kw_index[slot] = (unsigned char)(k + 1);
    }
    __atomic_store_n(&index_ready, 1, __ATOMIC_RELEASE);
}

static inline bool is_kw_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/*
 * Keyword id of s[0..len), a word made only of ASCII letters and '_' (the caller checked),
 * or 0.  For the tokenizer, which knows the word's bytes already: no copy, no check.
 */
int ls_kw_lookup_word(const char *s, size_t len)
{
    if (len < 2 || len > KW_MAX_LEN)
        return LS_KW_NONE;
    if (!__atomic_load_n(&index_ready, __ATOMIC_ACQUIRE))
        pthread_once(&kw_index_once, build_index);
    for (unsigned slot = hash_word(s, len) % KW_SLOTS; kw_index[slot] != 0;
         slot = (slot + 1) % KW_SLOTS) {
        const kw_entry *e = &kw_table[kw_index[slot] - 1];
        if (e->len != len)
            continue;
        size_t i = 0;
        while (i < len && KW_UP(s[i]) == (unsigned char)e->name[i])
            i++;
        if (i == len)
            return kw_index[slot];
    }
    return LS_KW_NONE;
}

/*
 * Keyword id (LS_KW_*) of the word s[0..len), compared ASCII case-insensitively as SQLite's
 * keywordCode does, or 0 (LS_KW_NONE) when it is not one of SQLite 3.40's keywords.  Borrows
 * s.  Any bytes are accepted; only ASCII letters fold (a keyword is made of letters and '_',
 * so a word with any other byte is none).  Thread-safe.  Tested by test_keywords.c.
 */
int ls_kw_lookup(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_kw_char((unsigned char)s[i]))
            return LS_KW_NONE;
    return ls_kw_lookup_word(s, len);
}

/*
 * Upper-case name of keyword id kw ("SELECT" for LS_KW_SELECT), in static storage valid for
 * the life of the process, or NULL when kw is not a keyword id (0 included).
 */
const char *ls_kw_name(int kw)
{
    if (kw < 1 || kw > LS_KW_COUNT)
        return NULL;
    return kw_table[kw - 1].name;
}
