/* SPDX-License-Identifier: MIT
 *
 * The rewrite driver: SQLite text to a token array, statement dispatch to the rule files,
 * then one emission pass that applies the edits rules left on tokens.  The lexical rules
 * (identifier quoting and case folding, blob and hex literals, parameters, ==) live here,
 * in the emission of each token, so every other rule sees the original tokens.
 *
 * Invariants: tokens are never reordered, only replaced, skipped or wrapped (rw_render
 * copies a rendered range where a rule must move text); parameters are numbered once,
 * before any rule runs, so a range rendered twice names the same $n.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "rules.h"


/* =======================================================================================
 * Arena and string builder
 * ===================================================================================== */

struct rw_chunk {
    rw_chunk *next;
    size_t used, cap;
    char mem[];
};

static void *arena_alloc(rw_ctx *c, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (n <= sizeof c->local - c->local_used) {
        void *p = c->local + c->local_used;
        c->local_used += n;
        return p;
    }
    if (!c->arena || c->arena->cap - c->arena->used < n) {
        size_t cap = n > 4000 ? n : 4000;
        rw_chunk *k = malloc(sizeof *k + cap);
        if (!k) {
            c->oom = true;
            return NULL;
        }
        k->next = c->arena;
        k->used = 0;
        k->cap = cap;
        c->arena = k;
    }
    void *p = c->arena->mem + c->arena->used;
    c->arena->used += n;
    return p;
}

char *rw_strdup(rw_ctx *c, const char *s, size_t n)
{
    char *p = arena_alloc(c, n + 1);
    if (!p)
        return "";
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* The conversions the rules use (%s, %.*s, %d, %lld, %%) into buf, as vsnprintf writes
 * them; false when fmt has any other, a NULL string, or the text does not fit in cap. */
static bool format_simple(char *buf, size_t cap, size_t *len, const char *fmt, va_list ap)
{
    size_t n = 0;
    for (const char *p = fmt; *p; p++) {
        const char *s = NULL;
        size_t sn = 0;
        char num[24];
        if (*p != '%') {   /* a run of literal text */
            s = p;
            while (p[sn] && p[sn] != '%')
                sn++;
            p += sn - 1;
        } else if (p[1] == 's') {
            p++;
            s = va_arg(ap, const char *);
            if (!s)
                return false;
            sn = strlen(s);
        } else if (p[1] == '.' && p[2] == '*' && p[3] == 's') {
            p += 3;
            int prec = va_arg(ap, int);
            s = va_arg(ap, const char *);
            if (!s)
                return false;
            sn = prec < 0 ? strlen(s) : strnlen(s, (size_t)prec);
        } else if (p[1] == 'd' || (p[1] == 'l' && p[2] == 'l' && p[3] == 'd')) {
            long long v = p[1] == 'd' ? va_arg(ap, int) : va_arg(ap, long long);
            p += p[1] == 'd' ? 1 : 3;
            unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
            size_t k = sizeof num;
            do {
                num[--k] = (char)('0' + u % 10);
                u /= 10;
            } while (u);
            if (v < 0)
                num[--k] = '-';
            s = num + k;
            sn = sizeof num - k;
        } else if (p[1] == '%') {
            p++;
            s = p;
            sn = 1;
        } else {
            return false;
        }
        if (sn >= cap - n)
            return false;
        memcpy(buf + n, s, sn);
        n += sn;
    }
    buf[n] = '\0';
    *len = n;
    return true;
}

char *rw_printf(rw_ctx *c, const char *fmt, ...)
{
    char small[256];
    size_t len;
    va_list ap;
    va_start(ap, fmt);
    bool done = format_simple(small, sizeof small, &len, fmt, ap);
    va_end(ap);
    if (done)
        return rw_strdup(c, small, len);
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return "";
    if ((size_t)n < sizeof small)
        return rw_strdup(c, small, (size_t)n);
    char *p = arena_alloc(c, (size_t)n + 1);
    if (!p)
        return "";
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* Room for n more bytes and the NUL; false (oom set) when there is none. */
static bool sb_grow(rw_sb *b, size_t n)
{
    if (b->oom)
        return false;
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

static inline bool sb_room(rw_sb *b, size_t n)
{
    return (!b->oom && b->len + n + 1 <= b->cap) || sb_grow(b, n);
}

/* Append s[0..n): the emission's append, short pieces copied without a call. */
static inline void sb_put(rw_sb *b, const char *s, size_t n)
{
    if (!sb_room(b, n))
        return;
    char *o = b->p + b->len;
    if (n <= 16) {
        for (size_t k = 0; k < n; k++)
            o[k] = s[k];
    } else {
        memcpy(o, s, n);
    }
    b->len += n;
    b->p[b->len] = '\0';
}

static inline void sb_puts(rw_sb *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

void rw_sb_add(rw_sb *b, const char *s, size_t n)
{
    sb_put(b, s, n);
}

void rw_sb_str(rw_sb *b, const char *s)
{
    rw_sb_add(b, s, strlen(s));
}

void rw_sb_ident(rw_sb *b, const char *name)
{
    size_t n = strlen(name);
    if (!sb_room(b, 2 * n + 2))
        return;
    char *o = b->p + b->len;
    *o++ = '"';
    for (size_t k = 0; k < n; k++) {
        if (name[k] == '"')
            *o++ = '"';
        *o++ = name[k];
    }
    *o++ = '"';
    *o = '\0';
    b->len = (size_t)(o - b->p);
}

/* See rules.h: "qual"."col:class" (D2), min() of it when grouped. */
void rw_sb_class_ref(rw_sb *b, const char *qual, const char *col, bool grouped)
{
    char cn[80];
    snprintf(cn, sizeof cn, "%s" LS_CLASS_SUFFIX, col);
    rw_sb_str(b, grouped ? "min(" : "");
    if (qual) {
        rw_sb_ident(b, qual);
        rw_sb_str(b, ".");
    }
    rw_sb_ident(b, cn);
    rw_sb_str(b, grouped ? ")" : "");
}

/* =======================================================================================
 * Edits
 * ===================================================================================== */

void rw_set(rw_ctx *c, size_t i, const char *text, uint32_t rule)
{
    if (i >= c->n)
        return;
    c->t[i].repl = text;
    c->t[i].skip = false;
    c->rules |= rule;
}

void rw_replace(rw_ctx *c, size_t from, size_t to, const char *text, uint32_t rule)
{
    for (size_t i = from; i < to && i < c->n; i++) {
        c->t[i].pre = c->t[i].post = NULL;
        c->t[i].repl = NULL;
        c->t[i].skip = i > from;
    }
    if (from < to)
        rw_set(c, from, text, rule);
}

void rw_skip(rw_ctx *c, size_t from, size_t to, uint32_t rule)
{
    for (size_t i = from; i < to && i < c->n; i++)
        c->t[i].skip = true;
    c->rules |= rule;
}

void rw_main_schema(rw_ctx *c, size_t i, uint32_t rule)
{
    if (c->schema && c->schema->main_schema)
        rw_set(c, i, c->schema->main_schema, rule);
    else
        rw_skip(c, i, i + 2, rule);
}

/* The name the schema is asked for the table whose name token is last: LS_RW_MAIN_KEY and
 * the name when the statement wrote main.name and the app's schema is known (a temp table
 * may shadow the bare name), else the name; false when it does not fit key. */
static bool lookup_key(const rw_ctx *c, size_t last, const char *name, char *key, size_t cap)
{
    bool main_q = last >= 2 && rw_op(c, last - 1, ".") && rw_is(c, last - 2, "main") &&
                  c->schema && c->schema->main_schema;
    int n = snprintf(key, cap, "%s%s", main_q ? LS_RW_MAIN_KEY : "", name);
    return n >= 0 && (size_t)n < cap;
}

const ls_rw_table *rw_lookup(const rw_ctx *c, size_t last, const char *name)
{
    if (!c->schema || !c->schema->table)
        return NULL;
    char key[80];
    return c->schema->table(c->schema->ctx,
                            lookup_key(c, last, name, key, sizeof key) ? key : name);
}

void rw_set_target(rw_ctx *c, size_t last, const char *name)
{
    c->target = rw_lookup(c, last, name);
    if (!lookup_key(c, last, name, c->target_key, sizeof c->target_key))
        c->target_key[0] = '\0';
}

static const char *concat(rw_ctx *c, const char *a, const char *b)
{
    if (!a || !*a)
        return b;
    if (!b || !*b)
        return a;
    return rw_printf(c, "%s%s", a, b);
}

void rw_pre(rw_ctx *c, size_t i, const char *text, uint32_t rule)
{
    if (i >= c->n)
        return;
    c->t[i].pre = concat(c, text, c->t[i].pre);
    c->rules |= rule;
}

void rw_post(rw_ctx *c, size_t i, const char *text, uint32_t rule)
{
    if (i >= c->n)
        return;
    c->t[i].post = concat(c, c->t[i].post, text);
    c->rules |= rule;
}

int rw_fail(rw_ctx *c, size_t i, const char *fmt, ...)
{
    if (c->rc != SQLITE_OK)
        return c->rc;
    c->rc = SQLITE_ERROR;
    if (c->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
        va_end(ap);
        c->err->code = SQLITE_ERROR;
        c->err->offset = i < c->n ? c->t[i].t.off : c->len;
    }
    return c->rc;
}

/* =======================================================================================
 * Token tests
 * ===================================================================================== */

bool rw_is_name(const rw_ctx *c, size_t i)
{
    return i < c->n && (c->t[i].t.type == LS_TK_ID || c->t[i].t.type == LS_TK_QUOTED_ID);
}

bool rw_operand_end(const rw_ctx *c, size_t i)
{
    if (i >= c->n)
        return false;
    switch (c->t[i].t.type) {
    case LS_TK_ID: case LS_TK_QUOTED_ID: case LS_TK_STRING: case LS_TK_BLOB:
    case LS_TK_INTEGER: case LS_TK_FLOAT: case LS_TK_PARAM:
        return true;
    case LS_TK_OPERATOR:
        return rw_op(c, i, ")");
    case LS_TK_KEYWORD:
        return rw_kw(c, i, LS_KW_NULL) || rw_kw(c, i, LS_KW_END) || rw_kw(c, i, LS_KW_CURRENT_TIMESTAMP)
            || rw_kw(c, i, LS_KW_CURRENT_DATE) || rw_kw(c, i, LS_KW_CURRENT_TIME);
    default:
        return false;
    }
}

/* A keyword that can only start a primary expression in front of '(' (CAST, EXISTS) or a
 * name used as a function. */
static bool callable(const rw_ctx *c, size_t i)
{
    if (rw_is_name(c, i))
        return true;
    return c->t[i].t.type == LS_TK_KEYWORD
        && (rw_kw(c, i, LS_KW_CAST) || rw_kw(c, i, LS_KW_EXISTS) || rw_kw(c, i, LS_KW_REPLACE)
            || rw_kw(c, i, LS_KW_LIKE) || rw_kw(c, i, LS_KW_GLOB) || rw_kw(c, i, LS_KW_IF));
}

size_t rw_term_end(const rw_ctx *c, size_t i)
{
    if (i >= c->n)
        return i;
    if (rw_op(c, i, "-") || rw_op(c, i, "+") || rw_op(c, i, "~"))
        return rw_term_end(c, i + 1);
    if (rw_kw(c, i, LS_KW_NOT))
        return rw_term_end(c, i + 1);
    size_t j;
    if (rw_op(c, i, "(") && c->t[i].match > 0) {
        j = (size_t)c->t[i].match + 1;
    } else if (rw_kw(c, i, LS_KW_CASE) && c->t[i].match > 0) {
        j = (size_t)c->t[i].match + 1;
    } else if (callable(c, i) && rw_op(c, i + 1, "(") && c->t[i + 1].match > 0) {
        j = (size_t)c->t[i + 1].match + 1;
        if (rw_kw(c, j, LS_KW_FILTER) && rw_op(c, j + 1, "(") && c->t[j + 1].match > 0)
            j = (size_t)c->t[j + 1].match + 1;
        if (rw_kw(c, j, LS_KW_OVER)) {
            if (rw_op(c, j + 1, "(") && c->t[j + 1].match > 0)
                j = (size_t)c->t[j + 1].match + 1;
            else
                j += 2;
        }
    } else {
        j = i + 1;
        while (rw_op(c, j, ".") && j + 1 < c->n) {
            if (rw_op(c, j + 2, "(") && c->t[j + 2].match > 0) {
                j = (size_t)c->t[j + 2].match + 1;
                break;
            }
            j += 2;
        }
    }
    while (rw_kw(c, j, LS_KW_COLLATE) && j + 1 < c->n)
        j += 2;
    return j;
}

size_t rw_term_start(const rw_ctx *c, size_t last)
{
    size_t s = last;
    if (rw_kw(c, s, LS_KW_COLLATE) || (s >= 1 && rw_kw(c, s - 1, LS_KW_COLLATE)))
        return s >= 2 ? rw_term_start(c, s - 2) : 0;
    if ((rw_op(c, s, ")") || rw_kw(c, s, LS_KW_END)) && c->t[s].match >= 0) {
        s = (size_t)c->t[s].match;
        if (s >= 1 && rw_kw(c, s - 1, LS_KW_OVER))
            return s >= 2 ? rw_term_start(c, s - 2) : 0;
        if (s >= 1 && rw_kw(c, s - 1, LS_KW_FILTER))
            return s >= 2 ? rw_term_start(c, s - 2) : 0;
        if (rw_op(c, s, "(") && s >= 1 && callable(c, s - 1))
            s--;
    } else if (s >= 1 && rw_kw(c, s - 1, LS_KW_OVER)) {
        return s >= 2 ? rw_term_start(c, s - 2) : 0;
    }
    while (s >= 2 && rw_op(c, s - 1, ".") && (rw_is_name(c, s - 2) || c->t[s - 2].t.type
                                               == LS_TK_KEYWORD))
        s -= 2;
    while (s >= 1 && (rw_op(c, s - 1, "-") || rw_op(c, s - 1, "+") || rw_op(c, s - 1, "~"))
           && (s < 2 || !rw_operand_end(c, s - 2)))
        s--;
    return s;
}

size_t rw_concat_end(const rw_ctx *c, size_t i)
{
    size_t j = rw_term_end(c, i);
    while (rw_op(c, j, "||") || rw_op(c, j, "->") || rw_op(c, j, "->>"))
        j = rw_term_end(c, j + 1);
    return j;
}

/* Keywords that end an expression item (rw_expr_end), by id. */
static const bool clause_kw[LS_KW_END_] = {
    [LS_KW_FROM] = true, [LS_KW_WHERE] = true, [LS_KW_GROUP] = true, [LS_KW_HAVING] = true,
    [LS_KW_ORDER] = true, [LS_KW_LIMIT] = true, [LS_KW_OFFSET] = true, [LS_KW_UNION] = true,
    [LS_KW_INTERSECT] = true, [LS_KW_EXCEPT] = true, [LS_KW_WINDOW] = true,
    [LS_KW_RETURNING] = true, [LS_KW_ON] = true, [LS_KW_USING] = true, [LS_KW_JOIN] = true,
    [LS_KW_INNER] = true, [LS_KW_LEFT] = true, [LS_KW_RIGHT] = true, [LS_KW_CROSS] = true,
    [LS_KW_NATURAL] = true, [LS_KW_FULL] = true, [LS_KW_SET] = true, [LS_KW_VALUES] = true,
    [LS_KW_DO] = true, [LS_KW_THEN] = true, [LS_KW_WHEN] = true, [LS_KW_ELSE] = true,
    [LS_KW_END] = true, [LS_KW_AS] = true, [LS_KW_ASC] = true, [LS_KW_DESC] = true,
    [LS_KW_NULLS] = true, [LS_KW_SELECT] = true, [LS_KW_ROWS] = true, [LS_KW_RANGE] = true,
    [LS_KW_GROUPS] = true, [LS_KW_PARTITION] = true, [LS_KW_INTO] = true,
    [LS_KW_FILTER] = true, [LS_KW_OVER] = true, [LS_KW_DEFAULT] = true,
};

/* Keywords that also end a comparison operand (rw_cmp_end), by id. */
static const bool cmp_kw[LS_KW_END_] = {
    [LS_KW_AND] = true, [LS_KW_OR] = true, [LS_KW_IS] = true, [LS_KW_IN] = true,
    [LS_KW_LIKE] = true, [LS_KW_GLOB] = true, [LS_KW_REGEXP] = true, [LS_KW_MATCH] = true,
    [LS_KW_BETWEEN] = true, [LS_KW_ESCAPE] = true, [LS_KW_NOT] = true, [LS_KW_ISNULL] = true,
    [LS_KW_NOTNULL] = true, [LS_KW_COLLATE] = true,
};

/* Walk from i at the current nesting level until a token ends the item. */
static size_t scan(const rw_ctx *c, size_t i, bool cmp)
{
    size_t j = i;
    while (j < c->n) {
        const rw_tok *t = &c->t[j];
        if (t->t.type == LS_TK_SEMI || rw_op(c, j, ",") || rw_op(c, j, ")"))
            return j;
        if ((rw_op(c, j, "(") || rw_kw(c, j, LS_KW_CASE)) && t->match > (int)j) {
            j = (size_t)t->match + 1;
            continue;
        }
        if (j > i && clause_kw[t->t.kw])
            return j;
        if (cmp && j > i) {
            if (rw_op(c, j, "=") || rw_op(c, j, "==") || rw_op(c, j, "!=") || rw_op(c, j, "<>")
                || rw_op(c, j, "<") || rw_op(c, j, ">") || rw_op(c, j, "<=") || rw_op(c, j, ">="))
                return j;
            if (cmp_kw[t->t.kw])
                return j;
        }
        j++;
    }
    return j;
}

size_t rw_cmp_end(const rw_ctx *c, size_t i)
{
    return scan(c, i, true);
}

size_t rw_expr_end(const rw_ctx *c, size_t i)
{
    return scan(c, i, false);
}

/* =======================================================================================
 * Identifiers
 * ===================================================================================== */

/* Unquoted name text of token i (brackets, backticks, double quotes removed and doubled
 * quote characters undone), lower-cased for ASCII only, as SQLite compares names
 * (sqlite3UpperToLower), whatever the application's locale. */
static size_t unquote(const rw_ctx *c, size_t i, char *buf, size_t cap)
{
    const ls_token *t = &c->t[i].t;
    const char *s = c->sql + t->off;
    size_t n = t->len, k = 0;
    char q = 0;
    if (t->type == LS_TK_QUOTED_ID && n >= 2) {
        q = s[0] == '[' ? ']' : s[0];
        s++;
        n -= 2;
    }
    for (size_t p = 0; p < n; p++) {
        if (q && q != ']' && s[p] == q && p + 1 < n && s[p + 1] == q)
            p++;
        if (k + 1 < cap)
            buf[k] = rw_lower(s[p]);
        k++;
    }
    if (cap)
        buf[k < cap ? k : cap - 1] = '\0';
    return k;
}

/* Token i as a canonical identifier, appended to b: what rw_ident returns, without the
 * copies (the emission does this for every name of the statement). */
static void sb_ident_tok(rw_sb *b, const rw_ctx *c, size_t i)
{
    const ls_token *t = &c->t[i].t;
    const char *s = c->sql + t->off;
    size_t n = t->len;
    char q = 0;
    if (t->type == LS_TK_QUOTED_ID && n >= 2) {
        q = s[0] == '[' ? ']' : s[0];
        s++;
        n -= 2;
    }
    if (!sb_room(b, 2 * n + 2))
        return;
    char *o = b->p + b->len;
    *o++ = '"';
    if (t->type == LS_TK_ID || t->type == LS_TK_KEYWORD) {   /* identifier bytes, no quote */
        for (size_t p = 0; p < n; p++)
            *o++ = rw_lower(s[p]);
    } else {
        for (size_t p = 0; p < n; p++) {
            if (q && q != ']' && s[p] == q && p + 1 < n && s[p + 1] == q)
                p++;
            char ch = rw_lower(s[p]);
            if (ch == '"')
                *o++ = '"';
            *o++ = ch;
        }
    }
    *o++ = '"';
    *o = '\0';
    b->len = (size_t)(o - b->p);
}

bool rw_name(const rw_ctx *c, size_t i, char *buf, size_t cap)
{
    if (i >= c->n) {
        if (cap)
            buf[0] = '\0';
        return false;
    }
    return unquote(c, i, buf, cap) < cap;
}

char *rw_ident(rw_ctx *c, size_t i)
{
    rw_sb b = {0};
    sb_ident_tok(&b, c, i);
    char *out = b.oom ? (c->oom = true, "") : rw_strdup(c, b.p, b.len);
    free(b.p);
    return out;
}

/* =======================================================================================
 * Tokenizing and parameters
 * ===================================================================================== */

/* Append token t; the array has room (rw_ctx_init sizes it for every token). */
static void push_tok(rw_ctx *c, const ls_token *t, bool space)
{
    rw_tok *r = &c->t[c->n++];
    memset(r, 0, sizeof *r);
    r->t = *t;
    r->space = space;
    r->match = -1;
}

static int pair_tokens(rw_ctx *c)
{
    int stack[256];
    int top = 0, depth = 0;
    for (size_t i = 0; i < c->n; i++) {
        rw_tok *t = &c->t[i];
        if (rw_op(c, i, ")")) {
            depth--;
            while (top > 0 && rw_kw(c, (size_t)stack[top - 1], LS_KW_CASE))
                top--;   /* an unterminated CASE inside parentheses */
            if (top == 0 || depth < 0)
                return rw_fail(c, i, "unbalanced ')'");
            t->match = stack[--top];
            c->t[t->match].match = (int)i;
        }
        t->depth = depth;
        if (rw_op(c, i, "(") || rw_kw(c, i, LS_KW_CASE)) {
            if (top == (int)(sizeof stack / sizeof stack[0]))
                return rw_fail(c, i, "expression nested too deeply");
            stack[top++] = (int)i;
            if (rw_op(c, i, "("))
                depth++;
        } else if (rw_kw(c, i, LS_KW_END) && top > 0 && rw_kw(c, (size_t)stack[top - 1], LS_KW_CASE)) {
            t->match = stack[--top];
            c->t[t->match].match = (int)i;
        }
    }
    if (depth != 0)
        return rw_fail(c, c->n, "incomplete input: unbalanced '('");
    return SQLITE_OK;
}

int rw_ctx_init(rw_ctx *c, const char *sql, size_t len, const ls_rw_schema *schema,
                ls_rw_result *res, ls_err *err)
{
    memset(c, 0, offsetof(rw_ctx, local));   /* local is free space, never read unset */
    c->sql = sql;
    c->len = len;
    c->schema = schema;
    c->res = res;
    c->err = err;
    bool space = false, ended = false;
    /* a typical statement's tokens fit on the stack (toks.v == local, never freed); a longer
     * one is scanned again into an allocated array */
    ls_token local[256];
    uint32_t call_pos[32];   /* the first calls, noted while the tokens are copied */
    ls_tokens toks = {0};
    int rc = SQLITE_OK;
    size_t n_local = len <= UINT32_MAX ? ls_tok_scan_into(sql, len, local, 256) : 257;
    if (n_local <= 256) {
        toks.v = local;
        toks.n = toks.cap = n_local;
    } else {
        rc = ls_tok_scan(sql, len, &toks, err);
    }
    if (rc == SQLITE_OK)
        rc = ls_params_scan_tokens(sql, &toks, &res->params, err);
    if (rc == SQLITE_OK) {
        /* every token, plus the two inert ones: in the context or in one allocation */
        c->t = toks.n + 2 <= RW_LOCAL_TOKENS ? c->t_local : malloc((toks.n + 2) * sizeof *c->t);
        if (!c->t)
            rc = SQLITE_NOMEM;
    }
    if (rc != SQLITE_OK) {
        if (toks.v != local)
            ls_tokens_clear(&toks);
        if (rc == SQLITE_NOMEM)
            c->oom = true;
        return c->rc = rc;
    }
    for (size_t k = 0; k < toks.n && rc == SQLITE_OK; k++) {
        const ls_token *t = &toks.v[k];
        if (t->type == LS_TK_SPACE || t->type == LS_TK_COMMENT ||
            (t->type == LS_TK_SEMI && c->n == 0)) {
            /* an empty statement before this one (ls_split_next absorbs it, as SQLite's
             * parser skips it): `a; ; b` is three statements for sqlite3_exec */
            space = true;
            continue;
        }
        if (ended) {
            rc = rw_fail(c, c->n, "more than one statement: split the text first");
            if (c->err)
                c->err->offset = t->off;
            break;
        }
        if (t->type == LS_TK_ILLEGAL) {
            rc = rw_fail(c, c->n, "unrecognized token: \"%.*s\"",
                         (int)(t->len > 40 ? 40 : t->len), sql + t->off);
            if (c->err)
                c->err->offset = t->off;
            break;
        }
        push_tok(c, t, space);
        if (t->type == LS_TK_PARAM)
            c->t[c->n - 1].param = ls_params_pg_at(&res->params, t->off);
        else if (t->type == LS_TK_KEYWORD)
            c->kw_seen[t->kw / 64] |= (uint64_t)1 << (t->kw % 64);
        else if (t->type == LS_TK_OPERATOR && t->len == 1) {
            char op = sql[t->off];
            if (op == '*')
                c->seen |= RW_SEEN_STAR;
            else if (op == '/' || op == '%')
                c->seen |= RW_SEEN_DIV;
            else if (op == '(' && c->n >= 2 && c->t[c->n - 2].t.type == LS_TK_ID) {
                c->seen |= RW_SEEN_CALL;
                if (c->n_calls < sizeof call_pos / sizeof call_pos[0])
                    call_pos[c->n_calls] = (uint32_t)(c->n - 2);
                c->n_calls++;
            }
        }
        if (t->type == LS_TK_SEMI && !(c->n > 2 && rw_kw(c, 0, LS_KW_CREATE)
                                       && (rw_kw(c, 1, LS_KW_TRIGGER) || rw_kw(c, 2, LS_KW_TRIGGER)
                                           || rw_kw(c, 3, LS_KW_TRIGGER))))
            ended = true;
        space = false;
    }
    if (toks.v != local)
        ls_tokens_clear(&toks);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_NOMEM)
            c->oom = true;
        return rc;
    }
    if (c->n_calls) {
        c->calls = arena_alloc(c, c->n_calls * sizeof *c->calls);
        if (!c->calls)
            return SQLITE_NOMEM;
        if (c->n_calls <= sizeof call_pos / sizeof call_pos[0]) {
            memcpy(c->calls, call_pos, c->n_calls * sizeof *c->calls);
        } else {   /* more than call_pos holds: found again */
            size_t k = 0;
            for (size_t i = 0; i + 1 < c->n; i++)
                if (c->t[i].t.type == LS_TK_ID && c->t[i + 1].t.type == LS_TK_OPERATOR
                    && c->t[i + 1].t.len == 1 && sql[c->t[i + 1].t.off] == '(')
                    c->calls[k++] = (uint32_t)i;
        }
    }
    /* two inert tokens after the last one (no type, no partner): a rule that looks one or
     * two tokens past the end of a truncated statement reads these, never past the array */
    memset(&c->t[c->n], 0, 2 * sizeof *c->t);
    c->t[c->n].match = c->t[c->n + 1].match = -1;
    /* the rules see the statement without its ';' */
    if (c->n && c->t[c->n - 1].t.type == LS_TK_SEMI)
        c->n--;
    return pair_tokens(c);
}

void rw_ctx_clear(rw_ctx *c)
{
    free(c->class_uses);
    c->class_uses = NULL;
    free(c->blob_text);
    c->blob_text = NULL;
    free(c->value_tok);
    c->value_tok = NULL;
    if (c->t != c->t_local)
        free(c->t);
    while (c->arena) {
        rw_chunk *k = c->arena;
        c->arena = k->next;
        free(k);
    }
    c->t = NULL;
    c->n = 0;
}

/* =======================================================================================
 * Emission
 * ===================================================================================== */

static void emit_integer(rw_sb *b, const char *s, size_t n)
{
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        /* DIALECT L13: a 64-bit two's complement value, as SQLite reads it */
        unsigned long long v = 0;
        for (size_t p = 2; p < n; p++) {
            int d = isdigit((unsigned char)s[p]) ? s[p] - '0'
                                                 : tolower((unsigned char)s[p]) - 'a' + 10;
            v = (v << 4) | (unsigned)d;
        }
        char num[32];
        int k = snprintf(num, sizeof num, "%lld", (long long)v);
        rw_sb_add(b, num, (size_t)k);
        return;
    }
    rw_sb_add(b, s, n);
}

/* See rules.h. */
bool rw_is_call(const rw_ctx *c, size_t i)
{
    if (i == 0)
        return true;
    if (rw_op(c, i - 1, "."))
        return false;
    if (rw_kw(c, i - 1, LS_KW_TABLE) || rw_kw(c, i - 1, LS_KW_INTO) || rw_kw(c, i - 1, LS_KW_REFERENCES)
        || rw_kw(c, i - 1, LS_KW_EXISTS) || rw_kw(c, i - 1, LS_KW_VIEW) || rw_kw(c, i - 1, LS_KW_INDEX)
        || rw_kw(c, i - 1, LS_KW_TRIGGER))
        return false;
    if (rw_kw(c, i - 1, LS_KW_ON) && rw_kw(c, 0, LS_KW_CREATE))
        return false;   /* CREATE INDEX i ON t(...) */
    int m = c->t[i + 1].match;
    if (m > 0 && rw_kw(c, (size_t)m + 1, LS_KW_AS)
        && (rw_kw(c, i - 1, LS_KW_WITH) || rw_kw(c, i - 1, LS_KW_RECURSIVE) || rw_op(c, i - 1, ","))
        && (rw_op(c, (size_t)m + 2, "(") || rw_kw(c, (size_t)m + 2, LS_KW_MATERIALIZED)
            || rw_kw(c, (size_t)m + 2, LS_KW_NOT)))
        return false;   /* WITH x(a) AS (...), not a select item f(x) AS name */
    return true;
}

static void emit_token(rw_ctx *c, rw_sb *b, size_t i)
{
    const rw_tok *t = &c->t[i];
    const char *s = c->sql + t->t.off;
    size_t n = t->t.len;
    char num[16];
    switch (t->t.type) {
    case LS_TK_ID:
        if (rw_op(c, i + 1, "(") && rw_is_call(c, i)) {
            if (!sb_room(b, n))   /* function name: unquoted, lower case */
                return;
            for (size_t p = 0; p < n; p++)
                b->p[b->len + p] = rw_lower(s[p]);
            b->len += n;
            b->p[b->len] = '\0';
            return;
        }
        if ((rw_is(c, i, "TRUE") || rw_is(c, i, "FALSE")) && !rw_op(c, i + 1, ".")
            && !rw_op(c, i - 1, ".")) {
            sb_puts(b, rw_is(c, i, "TRUE") ? "TRUE" : "FALSE");
            return;
        }
        /* fall through */
    case LS_TK_QUOTED_ID:
        sb_ident_tok(b, c, i);
        c->rules |= LS_R_QUOTE;
        return;
    case LS_TK_KEYWORD:
        if ((i > 0 && rw_op(c, i - 1, ".")) || rw_op(c, i + 1, ".")) {
            sb_ident_tok(b, c, i);   /* a keyword used as a name: t.key, end.x */
            return;
        }
        sb_put(b, s, n);
        return;
    case LS_TK_BLOB:   /* DIALECT L12: x'..' is a bit string in PostgreSQL */
        sb_put(b, "'\\x", 3);
        sb_put(b, s + 2, n - 3);
        sb_put(b, "'::bytea", 8);
        c->rules |= LS_R_BLOB;
        return;
    case LS_TK_INTEGER:
        if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
            c->rules |= LS_R_HEX;
        emit_integer(b, s, n);
        return;
    case LS_TK_PARAM: {   /* "$%d" (a number from 1 to 65535), without a formatting call */
        char digits[10];
        size_t k = 0, m = 0;
        unsigned v = (unsigned)t->param;
        do {
            digits[k++] = (char)('0' + v % 10);
            v /= 10;
        } while (v && k < sizeof digits);
        num[m++] = '$';
        while (k > 0)
            num[m++] = digits[--k];
        sb_put(b, num, m);
        c->rules |= LS_R_PARAM;
        return;
    }
    case LS_TK_OPERATOR:
        if (n == 2 && s[0] == '=' && s[1] == '=') {   /* DIALECT E1 */
            sb_put(b, "=", 1);
            c->rules |= LS_R_OPERATOR;
            return;
        }
        sb_put(b, s, n);
        return;
    default:
        sb_put(b, s, n);
        return;
    }
}

static void emit_range(rw_ctx *c, rw_sb *b, size_t from, size_t to)
{
    bool pending = false;   /* a space owed to the next token that emits something */
    for (size_t i = from; i < to && i < c->n; i++) {
        const rw_tok *t = &c->t[i];
        if (t->space && i > from)
            pending = true;
        bool pre = t->pre && *t->pre, post = t->post && *t->post;
        if (t->skip && !pre && !post)
            continue;
        if (pending && b->len && b->p[b->len - 1] != ' ')
            sb_put(b, " ", 1);
        pending = false;
        if (pre)
            sb_puts(b, t->pre);
        if (!t->skip) {
            if (t->repl)
                sb_puts(b, t->repl);
            else
                emit_token(c, b, i);
        }
        if (post)
            sb_puts(b, t->post);
    }
}

int rw_emit(rw_ctx *c, char **out, size_t *len)
{
    rw_sb b = {0};
    emit_range(c, &b, 0, c->n);
    rw_sb_add(&b, "", 0);
    if (b.oom || c->oom) {
        free(b.p);
        return SQLITE_NOMEM;
    }
    *out = b.p;
    *len = b.len;
    return SQLITE_OK;
}

char *rw_render(rw_ctx *c, size_t from, size_t to)
{
    rw_sb b = {0};
    emit_range(c, &b, from, to);
    char *s = b.oom ? (c->oom = true, "") : rw_strdup(c, b.p ? b.p : "", b.len);
    free(b.p);
    return s;
}

/* =======================================================================================
 * Entry point
 * ===================================================================================== */

char ls_rw_star[] = "*";

void ls_rw_result_clear(ls_rw_result *res)
{
    if (!res)
        return;
    free(res->param_by_class);
    free(res->param_blob_text);
    free(res->param_text);
    free(res->class_of);
    free(res->sql);
    free(res->param_names);
    free(res->param_index);
    for (size_t i = 0; i < res->n_col_names; i++)
        if (res->col_names[i] != LS_RW_STAR)
            free(res->col_names[i]);
    free(res->col_names);
    ls_params_clear(&res->params);
    memset(res, 0, sizeof *res);
}

/* D17: a parameter is typed by its bound value when every one of its uses is a storage-class
 * argument (a use elsewhere, as in "typeof(?1), ?1 + 1", keeps it untyped: its context's
 * type is what the other use needs).  Returns SQLITE_OK or SQLITE_NOMEM. */
static int by_class_params(rw_ctx *c, ls_rw_result *out, int n)
{
    int app = out->params.pg_count;
    int *uses = calloc((size_t)app + 1, sizeof *uses);
    if (!uses)
        return SQLITE_NOMEM;
    for (size_t i = 0; i < c->n; i++)
        if (c->t[i].t.type == LS_TK_PARAM && c->t[i].param >= 1 && c->t[i].param <= app)
            uses[c->t[i].param]++;
    for (int k = 0; k < c->n_value; k++) {   /* D2: tokens now a hidden parameter of their own */
        int pg = out->params.pg_of ? out->params.pg_of[c->value_si[k]] : 0;
        if (pg >= 1 && pg <= app)
            uses[pg] -= c->value_n[k];
    }
    for (int k = 0; k < c->n_null; k++) {    /* NULL tests now a hidden parameter */
        int pg = out->params.pg_of ? out->params.pg_of[c->null_si[k]] : 0;
        if (pg >= 1 && pg <= app)
            uses[pg] -= c->null_n[k];
    }
    int rc = SQLITE_OK;
    for (int k = 1; k <= app; k++) {
        if (!c->class_uses[k] || c->class_uses[k] != uses[k])
            continue;
        if (!out->param_by_class && !(out->param_by_class = calloc((size_t)n, sizeof(bool)))) {
            rc = SQLITE_NOMEM;
            break;
        }
        out->param_by_class[k - 1] = true;
    }
    free(uses);
    return rc;
}

static int dispatch(rw_ctx *c)
{
    ls_rw_result *r = c->res;
    if (c->n == 0) {
        r->kind = LS_RW_EMPTY;
        r->readonly = true;
        return SQLITE_OK;
    }
    if (rw_kw(c, 0, LS_KW_EXPLAIN))
        return rw_fail(c, 0, "EXPLAIN has no PostgreSQL equivalent with SQLite's output");
    if (rw_kw(c, 0, LS_KW_PRAGMA))
        return rw_pragma(c);
    if (rw_kw(c, 0, LS_KW_CREATE) || rw_kw(c, 0, LS_KW_ALTER) || rw_kw(c, 0, LS_KW_DROP)) {
        r->kind = LS_RW_DDL;
        return rw_ddl(c, NULL);
    }
    if (rw_kw(c, 0, LS_KW_ATTACH) || rw_kw(c, 0, LS_KW_DETACH))
        return rw_fail(c, 0, "%s DATABASE is not supported on PostgreSQL",
                       rw_kw(c, 0, LS_KW_ATTACH) ? "ATTACH" : "DETACH");
    if (rw_kw(c, 0, LS_KW_REINDEX))
        return rw_fail(c, 0, "REINDEX needs the schema to tell an index from a table");
    if (rw_kw(c, 0, LS_KW_ANALYZE)) {
        r->kind = LS_RW_OTHER;
        if (c->n > 1 && rw_is(c, 1, "sqlite_master"))
            return rw_fail(c, 1, "ANALYZE of sqlite_master is not supported");
        return SQLITE_OK;
    }
    return rw_dml(c);
}

int ls_rw_rewrite(const char *sql, size_t len, const ls_rw_schema *schema,
                  ls_rw_result *out, ls_err *err)
{
    rw_ctx c;
    memset(out, 0, sizeof *out);
    if (err) {
        err->code = SQLITE_OK;
        err->offset = 0;
        err->msg[0] = '\0';
    }
    int rc = rw_ctx_init(&c, sql, len, schema, out, err);
    if (rc == SQLITE_OK)
        rc = dispatch(&c);
    if (rc == SQLITE_OK && c.rc != SQLITE_OK)
        rc = c.rc;
    rw_sb b = {0};
    if (rc == SQLITE_OK)
        sb_grow(&b, 2 * len + 128);   /* the rewrite is rarely twice the input: one allocation */
    if (rc == SQLITE_OK && out->kind == LS_RW_PRAGMA) {
        if (out->pragma.cls == LS_PRAGMA_CATALOG && c.t[0].repl)
            rw_sb_str(&b, c.t[0].repl);
    } else if (rc == SQLITE_OK && out->kind != LS_RW_VACUUM && out->kind != LS_RW_EMPTY) {
        emit_range(&c, &b, 0, c.n);
        if (out->returning_rowid) {
            /* an upsert's updated row: a row PostgreSQL updated, not inserted, carries the
             * updating transaction in xmax (its lock), an inserted one none */
            rw_sb_str(&b, out->rowid_if_inserted ? " RETURNING CASE WHEN xmax = 0 THEN "
                                                 : " RETURNING ");
            rw_sb_ident(&b, out->rowid_col);
            if (out->rowid_if_inserted)
                rw_sb_str(&b, " END");
        }
    }
    rw_sb_add(&b, "", 0);
    if (b.oom || c.oom)
        rc = SQLITE_NOMEM;
    int app = out->params.pg_count;
    if (rc == SQLITE_OK && app + c.n_hidden > 0) {
        int n = app + c.n_hidden;
        out->param_names = calloc((size_t)n, sizeof *out->param_names);
        out->param_index = calloc((size_t)n, sizeof *out->param_index);
        if (!out->param_names || !out->param_index)
            rc = SQLITE_NOMEM;
        for (int k = 0; k < app && rc == SQLITE_OK; k++) {
            out->param_index[k] = out->params.sqlite_of[k + 1];
            out->param_names[k] = ls_params_name(&out->params, out->param_index[k]);
        }
        for (int k = 0; k < c.n_hidden && rc == SQLITE_OK; k++)
            out->param_index[app + k] = c.hidden_code[k];   /* no name: hidden from the app */
        if (rc == SQLITE_OK && c.class_uses)
            rc = by_class_params(&c, out, n);
        for (int k = 0; rc == SQLITE_OK && k < c.n_null; k++) {
            /* a parameter whose every use was a NULL test: nothing types it any more */
            int pg = out->params.pg_of ? out->params.pg_of[c.null_si[k]] : 0, left = 0;
            for (size_t i = 0; i < c.n; i++)
                left += c.t[i].t.type == LS_TK_PARAM && c.t[i].param == pg && !c.t[i].repl
                        && !c.t[i].skip;
            if (pg < 1 || pg > app || left > 0)
                continue;
            if (!out->param_text && !(out->param_text = calloc((size_t)n, sizeof(bool))))
                rc = SQLITE_NOMEM;
            else
                out->param_text[pg - 1] = true;
        }
        for (int k = 1; rc == SQLITE_OK && c.blob_text && k <= app; k++) {
            if (!c.blob_text[k])
                continue;
            if (!out->param_blob_text
                && !(out->param_blob_text = calloc((size_t)n, sizeof(bool))))
                rc = SQLITE_NOMEM;
            else
                out->param_blob_text[k - 1] = true;
        }
        out->n_params = rc == SQLITE_OK ? n : 0;
        out->n_hidden = rc == SQLITE_OK ? c.n_hidden : 0;
        for (int k = 0; k < out->n_hidden; k++)
            out->n_state_hidden += c.hidden_code[k] > LS_HIDDEN_CLASS_BASE;
    }
    if (rc == SQLITE_OK && c.n_class_items > 0) {
        if (!(out->class_of = malloc(sizeof *out->class_of * (size_t)c.n_class_items)))
            rc = SQLITE_NOMEM;
        else {
            memcpy(out->class_of, c.class_of, sizeof *out->class_of * (size_t)c.n_class_items);
            out->n_class_items = c.n_class_items;
        }
    }
    out->sqlite_params = out->params.count;
    if (rc == SQLITE_OK) {
        out->sql = b.p ? b.p : strdup("");
        out->len = b.p ? b.len : 0;
        out->rules = c.rules;
        if (!out->sql)
            rc = SQLITE_NOMEM;
    } else {
        free(b.p);
    }
    if (rc == SQLITE_NOMEM)
        ls_err_set(err, SQLITE_NOMEM, 0, "out of memory");
    rw_ctx_clear(&c);
    if (rc != SQLITE_OK) {
        ls_rw_result_clear(out);
        if (err && err->code == SQLITE_OK)
            ls_err_set(err, rc, 0, "rewrite failed");
    }
    return rc;
}

static const char *const rule_names[LS_R_COUNT] = {
    "quote-identifiers", "parameters", "blob-literal", "hex-integer", "transaction",
    "insert-or-conflict", "limit-offset", "in-list", "operator", "is-distinct",
    "function", "like-ilike", "glob", "date-time", "update-last-assignment",
    "subquery-alias", "nulls-order", "division-by-zero", "bigint-literal",
    "returning-rowid", "rowid", "boolean", "ddl", "pragma", "concat-text", "cast-type",
    "bare-column", "dropped-clause", "dml-limit", "json-operator", "typeless-column",
};

const char *ls_rw_rule_name(uint32_t bit)
{
    for (int k = 0; k < LS_R_COUNT; k++)
        if (bit == 1u << k)
            return rule_names[k];
    return "";
}

/* See rewrite.h.  One pass with a stack of open parentheses: a comma counts for the innermost
 * one, a call's argument count is known at its ')'.  Nesting past 64 levels is not counted. */
int ls_rw_max_call_args(const char *sql, size_t len, char *fn, size_t cap)
{
    ls_tokens toks = {0};
    if (ls_tok_scan(sql, len, &toks, NULL) != SQLITE_OK) {
        ls_tokens_clear(&toks);
        return 0;
    }
    struct { size_t name; bool call, any, star_only; int commas; } st[64];
    int depth = 0, best = 0;
    size_t prev = (size_t)-1;   /* the last significant token */
    for (size_t i = 0; i < toks.n; i++) {
        const ls_token *t = &toks.v[i];
        if (t->type == LS_TK_SPACE || t->type == LS_TK_COMMENT)
            continue;
        bool op = t->type == LS_TK_OPERATOR && t->len == 1;
        char ch = op ? sql[t->off] : 0;
        if (depth > 0 && depth <= 64 && ch != ')' && ch != ',') {
            st[depth - 1].star_only = !st[depth - 1].any && ch == '*';
            st[depth - 1].any = true;
        }
        if (ch == '(') {
            if (depth < 64) {
                int pt = prev != (size_t)-1 ? toks.v[prev].type : 0;
                st[depth].call = pt == LS_TK_ID || pt == LS_TK_KEYWORD;
                st[depth].name = prev;
                st[depth].any = st[depth].star_only = false;
                st[depth].commas = 0;
            }
            depth++;
        } else if (ch == ',' && depth > 0 && depth <= 64) {
            st[depth - 1].commas++;
        } else if (ch == ')' && depth > 0) {
            depth--;
            if (depth < 64 && st[depth].call && st[depth].any && !st[depth].star_only) {
                int n = st[depth].commas + 1;
                if (n > best) {
                    best = n;
                    const ls_token *nt = &toks.v[st[depth].name];
                    size_t k = 0;
                    for (; cap && k + 1 < cap && k < nt->len; k++)
                        fn[k] = (char)tolower((unsigned char)sql[nt->off + k]);
                    if (cap)
                        fn[k] = '\0';
                }
            }
        }
        prev = i;
    }
    ls_tokens_clear(&toks);
    return best;
}
