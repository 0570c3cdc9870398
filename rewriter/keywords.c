/* SPDX-License-Identifier: MIT
 *
 * Keyword lookup: SQLite 3.40's 147 keywords, from the LS_KEYWORDS list in rewriter.h, to
 * their LS_KW_* ids and back.  The list is alphabetical, so the id order is the table order
 * and a lookup is one binary search over upper-cased text.  The tokenizer decides which
 * words are looked up (only words made of ASCII letters and '_'); this file only answers
 * whether a spelling is a keyword.  tests/unit/test_keywords.c checks the table against
 * sqlite3_keyword_name() of the real library.
 */
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

/* Compare the upper-cased word w[0..n) with entry e in (bytewise, then length) order. */
static int compare_entry(const char *w, size_t n, const kw_entry *e)
{
    size_t common = n < e->len ? n : e->len;
    int c = memcmp(w, e->name, common);
    if (c != 0)
        return c;
    return (n > e->len) - (n < e->len);
}

/*
 * Keyword id (LS_KW_*) of the word s[0..len), compared ASCII case-insensitively as SQLite's
 * keywordCode does, or 0 (LS_KW_NONE) when it is not one of SQLite 3.40's keywords.  Borrows
 * s.  Any bytes are accepted; only ASCII letters fold.  Tested by test_keywords.c.
 */
int ls_kw_lookup(const char *s, size_t len)
{
    char up[KW_MAX_LEN];
    if (len < 2 || len > KW_MAX_LEN)
        return LS_KW_NONE;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        up[i] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    size_t lo = 0, hi = sizeof kw_table / sizeof kw_table[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_entry(up, len, &kw_table[mid]);
        if (c == 0)
            return (int)mid + 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return LS_KW_NONE;
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
