/* SPDX-License-Identifier: MIT
 *
 * The output buffer: a growable, always NUL-terminated byte string with a sticky
 * out-of-memory flag, and the emission helpers that copy tokens and quote identifiers and
 * literals for PostgreSQL.  Callers append without checking and ask ls_buf_status once at
 * the end; after a failed allocation every append is a no-op, so a half-written statement
 * can never be mistaken for a complete one.  Quoting rules for PostgreSQL live here; which
 * token becomes what is the rules' business (rewrite.c and friends).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rewriter.h"

/* Make room for extra more bytes plus the NUL; false (and oom set) when impossible. */
static bool reserve(ls_buf *buf, size_t extra)
{
    if (buf->oom)
        return false;
    if (extra > SIZE_MAX - buf->len - 1) {
        buf->oom = true;
        return false;
    }
    size_t need = buf->len + extra + 1;
    if (need <= buf->cap)
        return true;
    size_t cap = buf->cap ? buf->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = realloc(buf->data, cap);
    if (!data) {
        buf->oom = true;
        return false;
    }
    data[buf->len] = 0; /* a fresh block must read as an empty string */
    buf->data = data;
    buf->cap = cap;
    return true;
}

/* Release the buffer's memory and make it empty and healthy again; a zeroed ls_buf is fine. */
void ls_buf_clear(ls_buf *buf)
{
    free(buf->data);
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
    buf->oom = false;
}

/* Empty the buffer but keep its memory for reuse; also clears the oom flag. */
void ls_buf_reset(ls_buf *buf)
{
    buf->len = 0;
    buf->oom = false;
    if (buf->data)
        buf->data[0] = 0;
}

/* Append s[0..n) (any bytes, NULs included).  On failure sets oom; never reports. */
void ls_buf_append(ls_buf *buf, const char *s, size_t n)
{
    if (n == 0 || !reserve(buf, n))
        return;
    memcpy(buf->data + buf->len, s, n);
    buf->len += n;
    buf->data[buf->len] = 0;
}

/* Append the NUL-terminated string s. */
void ls_buf_append_str(ls_buf *buf, const char *s)
{
    ls_buf_append(buf, s, strlen(s));
}

/* Append one byte. */
void ls_buf_append_char(ls_buf *buf, char c)
{
    if (!reserve(buf, 1))
        return;
    buf->data[buf->len++] = c;
    buf->data[buf->len] = 0;
}

/* Append printf-style formatted text.  A formatting error counts as out of memory. */
void ls_buf_appendf(ls_buf *buf, const char *fmt, ...)
{
    char small[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        buf->oom = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        ls_buf_append(buf, small, (size_t)n);
        return;
    }
    if (!reserve(buf, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
}

/* Append the text of tok, a token of sql (offsets as filled by ls_tok_scan), unchanged. */
void ls_buf_append_token(ls_buf *buf, const char *sql, const ls_token *tok)
{
    ls_buf_append(buf, sql + tok->off, tok->len);
}

/* Append s[0..n) with every quote byte doubled, between two quotes. */
static void append_quoted(ls_buf *buf, const char *s, size_t n, char quote)
{
    if (!reserve(buf, n + 2))
        return;
    ls_buf_append_char(buf, quote);
    for (const char *end = s + n, *q; s < end; s = q + 1) {
        q = memchr(s, quote, (size_t)(end - s));
        if (!q) {
            ls_buf_append(buf, s, (size_t)(end - s));
            break;
        }
        ls_buf_append(buf, s, (size_t)(q - s + 1));
        ls_buf_append_char(buf, quote);
    }
    ls_buf_append_char(buf, quote);
}

/*
 * Append name[0..n) as a PostgreSQL quoted identifier: "name" with each " doubled (DIALECT
 * L6).  The name is the identifier's value (already unquoted), case kept as given.
 */
void ls_buf_append_ident(ls_buf *buf, const char *name, size_t n)
{
    append_quoted(buf, name, n, '"');
}

/*
 * Append text[0..n) as a standard-conforming PostgreSQL string literal: 'text' with each '
 * doubled and no backslash escapes (DIALECT L11; valid while standard_conforming_strings is
 * on, PostgreSQL's default).
 */
void ls_buf_append_literal(ls_buf *buf, const char *text, size_t n)
{
    append_quoted(buf, text, n, '\'');
}

/*
 * Append the value of a quoted token text[0..n): 'x', "x" and `x` lose their delimiters and
 * have doubled delimiters undoubled; [x] loses its brackets (no escapes inside).  Text that
 * is not a complete quoted token (bare words, illegal tokens) is appended unchanged.
 */
void ls_buf_append_unquoted(ls_buf *buf, const char *text, size_t n)
{
    if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
        ls_buf_append(buf, text + 1, n - 2);
        return;
    }
    char q = n >= 2 ? text[0] : 0;
    if ((q != '\'' && q != '"' && q != '`') || text[n - 1] != q) {
        ls_buf_append(buf, text, n);
        return;
    }
    const char *s = text + 1, *end = text + n - 1;
    while (s < end) {
        const char *d = memchr(s, q, (size_t)(end - s));
        if (!d) {
            ls_buf_append(buf, s, (size_t)(end - s));
            break;
        }
        ls_buf_append(buf, s, (size_t)(d - s + 1));
        s = d + 2; /* skip the doubled delimiter's second byte */
    }
}

/* SQLITE_OK, or SQLITE_NOMEM when an append failed since the last clear or reset. */
int ls_buf_status(const ls_buf *buf)
{
    return buf->oom ? SQLITE_NOMEM : SQLITE_OK;
}

/*
 * Hand over the contents: returns the NUL-terminated text (caller frees with free()) and its
 * length in *len (when len is not NULL), leaving buf empty.  Returns NULL when the buffer is
 * out of memory (its memory is released) or an empty string cannot be allocated.
 */
char *ls_buf_take(ls_buf *buf, size_t *len)
{
    if (!buf->oom && !buf->data)
        reserve(buf, 0);
    if (buf->oom) {
        ls_buf_clear(buf);
        return NULL;
    }
    char *data = buf->data;
    if (len)
        *len = buf->len;
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
    return data;
}
