/* SPDX-License-Identifier: MIT
 *
 * Parameters: numbers every parameter token of one statement exactly as SQLite 3.40 does
 * (sqlite3ExprAssignVarNumber: `?` takes the next number after the largest so far, `?NNN`
 * its own, each distinct named spelling one number), records the names that
 * sqlite3_bind_parameter_name/index report, and renumbers the used indexes densely for
 * PostgreSQL, which cannot type a `$k` no expression uses (DIALECT L1-L3).  It reads
 * tokens only; emitting `$n` is the rules' job, using ls_params_pg_at.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rewriter.h"

/* Scratch state of one scan: a name -> index hash (open addressing, 0 = empty slot). */
typedef struct scan_state {
    ls_params *out;
    int *slots;            /* SQLite indexes of named parameters, by hash of the name */
    size_t n_slots;        /* power of two */
    size_t n_named;        /* distinct names in slots */
    size_t names_cap;      /* bytes allocated for out->names */
    size_t index_cap;      /* entries allocated for out->name_off */
    size_t uses_cap;       /* entries allocated for out->uses */
} scan_state;

static uint32_t hash_name(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static const char *name_of(const ls_params *p, int index)
{
    if (index < 1 || index > p->count || p->name_off[index] == 0)
        return NULL;
    return p->names + p->name_off[index] - 1;
}

static bool name_is(const ls_params *p, int index, const char *s, size_t n)
{
    const char *name = name_of(p, index);
    return name && strncmp(name, s, n) == 0 && name[n] == 0;
}

/* Slot of name s[0..n): the one holding it, or the empty one where it belongs. */
static size_t find_slot(const scan_state *st, const char *s, size_t n)
{
    size_t mask = st->n_slots - 1;
    size_t i = hash_name(s, n) & mask;
    while (st->slots[i] != 0 && !name_is(st->out, st->slots[i], s, n))
        i = (i + 1) & mask;
    return i;
}

/* Keep the hash at most half full.  False on out of memory. */
static bool grow_slots(scan_state *st)
{
    if (st->n_slots && (st->n_named + 1) * 2 <= st->n_slots)
        return true;
    size_t n_slots = st->n_slots ? st->n_slots * 2 : 64;
    int *old = st->slots;
    size_t n_old = st->n_slots;
    st->slots = calloc(n_slots, sizeof *st->slots);
    if (!st->slots) {
        st->slots = old;
        return false;
    }
    st->n_slots = n_slots;
    for (size_t i = 0; i < n_old; i++) {
        if (old[i] == 0)
            continue;
        const char *name = name_of(st->out, old[i]);
        st->slots[find_slot(st, name, strlen(name))] = old[i];
    }
    free(old);
    return true;
}

/* Raise out->count to index, growing the per-index name table.  False on out of memory. */
static bool raise_count(scan_state *st, int index)
{
    ls_params *p = st->out;
    if (index <= p->count)
        return true;
    if ((size_t)index >= st->index_cap) {
        size_t cap = st->index_cap ? st->index_cap : 16;
        while (cap <= (size_t)index)
            cap *= 2;
        uint32_t *off = realloc(p->name_off, cap * sizeof *off);
        if (!off)
            return false;
        memset(off + st->index_cap, 0, (cap - st->index_cap) * sizeof *off);
        p->name_off = off;
        st->index_cap = cap;
    }
    p->count = index;
    return true;
}

/* Record s[0..n) as the name of index (which has none yet).  False on out of memory. */
static bool add_name(scan_state *st, int index, const char *s, size_t n)
{
    ls_params *p = st->out;
    if (p->names_len + n + 1 > st->names_cap) {
        size_t cap = st->names_cap ? st->names_cap : 64;
        while (cap < p->names_len + n + 1)
            cap *= 2;
        char *names = realloc(p->names, cap);
        if (!names)
            return false;
        p->names = names;
        st->names_cap = cap;
    }
    memcpy(p->names + p->names_len, s, n);
    p->names[p->names_len + n] = 0;
    p->name_off[index] = (uint32_t)p->names_len + 1;
    p->names_len += n + 1;
    return true;
}

static bool add_use(scan_state *st, const ls_token *tok, int index)
{
    ls_params *p = st->out;
    if (p->n_uses == st->uses_cap) {
        size_t cap = st->uses_cap ? st->uses_cap * 2 : 16;
        ls_param_use *uses = realloc(p->uses, cap * sizeof *uses);
        if (!uses)
            return false;
        p->uses = uses;
        st->uses_cap = cap;
    }
    p->uses[p->n_uses++] = (ls_param_use){ .off = tok->off, .len = tok->len, .index = index };
    return true;
}

/* ?NNN: the number, or 0 when it is outside 1..LS_PARAM_MAX (including "?0" and overflow). */
static int parse_number(const char *s, size_t n)
{
    long v = 0;
    for (size_t i = 1; i < n; i++) {
        v = v * 10 + (s[i] - '0');
        if (v > LS_PARAM_MAX)
            return 0;
    }
    return (int)v;
}

/* Assign the SQLite index of one parameter token; SQLITE_OK or an error code in err. */
static int assign(scan_state *st, const char *sql, const ls_token *tok, ls_err *err)
{
    ls_params *p = st->out;
    const char *s = sql + tok->off;
    size_t n = tok->len;
    int index;

    if (s[0] == '?' && n == 1) {
        index = p->count + 1;
        if (index > LS_PARAM_MAX)
            return ls_err_set(err, SQLITE_ERROR, tok->off, "too many SQL variables");
        if (!raise_count(st, index))
            goto nomem;
    } else if (s[0] == '?') {
        index = parse_number(s, n);
        if (index == 0)
            return ls_err_set(err, SQLITE_ERROR, tok->off,
                              "variable number must be between ?1 and ?%d", LS_PARAM_MAX);
        if (!raise_count(st, index))
            goto nomem;
        if (p->name_off[index] == 0 && !add_name(st, index, s, n))
            goto nomem;
    } else if (s[0] == '#' && n > 1 && s[1] >= '0' && s[1] <= '9') {
        /* #NNN names a register in SQLite's nested parses; apps get a syntax error. */
        return ls_err_set(err, SQLITE_ERROR, tok->off, "near \"%.*s\": syntax error", (int)n, s);
    } else {
        if (!grow_slots(st))
            goto nomem;
        size_t slot = find_slot(st, s, n);
        index = st->slots[slot];
        if (index == 0) {
            index = p->count + 1;
            if (index > LS_PARAM_MAX)
                return ls_err_set(err, SQLITE_ERROR, tok->off, "too many SQL variables");
            if (!raise_count(st, index) || !add_name(st, index, s, n))
                goto nomem;
            st->slots[slot] = index;
            st->n_named++;
        }
    }
    if (!add_use(st, tok, index))
        goto nomem;
    return SQLITE_OK;
nomem:
    return ls_err_set(err, SQLITE_NOMEM, tok->off, "out of memory");
}

/* Dense PostgreSQL numbering: used indexes in ascending order become $1, $2, ... */
static int renumber(ls_params *p, ls_err *err)
{
    if (p->count == 0)
        return SQLITE_OK;
    p->pg_of = calloc((size_t)p->count + 1, sizeof *p->pg_of);
    if (!p->pg_of)
        return ls_err_set(err, SQLITE_NOMEM, 0, "out of memory");
    for (size_t i = 0; i < p->n_uses; i++)
        p->pg_of[p->uses[i].index] = 1;
    for (int i = 1; i <= p->count; i++)
        if (p->pg_of[i])
            p->pg_of[i] = ++p->pg_count;
    if (p->pg_count > LS_PARAM_PG_MAX)
        return ls_err_set(err, SQLITE_ERROR, 0,
                          "too many SQL variables for PostgreSQL (%d, at most %d)", p->pg_count,
                          LS_PARAM_PG_MAX);
    p->sqlite_of = calloc((size_t)p->pg_count + 1, sizeof *p->sqlite_of);
    if (!p->sqlite_of)
        return ls_err_set(err, SQLITE_NOMEM, 0, "out of memory");
    for (int i = 1; i <= p->count; i++)
        if (p->pg_of[i])
            p->sqlite_of[p->pg_of[i]] = i;
    return SQLITE_OK;
}

/*
 * Number the parameters of one statement, given its tokens (from ls_tok_scan over sql).
 * Fills out (cleared first; caller releases it with ls_params_clear) and returns SQLITE_OK,
 * or returns SQLITE_ERROR with SQLite's message at the offending token ("variable number
 * must be between ?1 and ?250000" for ?0, "too many SQL variables", "near \"#1\": syntax
 * error"; more than 65535 used parameters cannot be sent to PostgreSQL) or SQLITE_NOMEM; on
 * error out is left empty.  Matches sqlite3_bind_parameter_count/name/index of SQLite 3.40
 * (tests/unit/test_params.c compares with the real library).  Borrows sql and toks.
 */
/* Whether the statement is CREATE VIRTUAL TABLE: its module arguments are raw text to
 * SQLite, where a ? or :name is no parameter (the fuzzer's comparison with SQLite found it:
 * tests/fuzz/findings/params-virtual-table-args.sql). */
static bool virtual_table(const ls_tokens *toks)
{
    static const int want[] = { LS_KW_CREATE, LS_KW_VIRTUAL, LS_KW_TABLE };
    size_t k = 0;
    for (size_t i = 0; i < toks->n && k < 3; i++) {
        const ls_token *t = &toks->v[i];
        if (t->type == LS_TK_SPACE || t->type == LS_TK_COMMENT)
            continue;
        if (t->type != LS_TK_KEYWORD || t->kw != want[k])
            return false;
        k++;
    }
    return k == 3;
}

int ls_params_scan_tokens(const char *sql, const ls_tokens *toks, ls_params *out, ls_err *err)
{
    scan_state st = { .out = out };
    int rc = SQLITE_OK;

    memset(out, 0, sizeof *out);
    if (virtual_table(toks))
        return SQLITE_OK;
    for (size_t i = 0; i < toks->n && rc == SQLITE_OK; i++)
        if (toks->v[i].type == LS_TK_PARAM)
            rc = assign(&st, sql, &toks->v[i], err);
    if (rc == SQLITE_OK)
        rc = renumber(out, err);
    free(st.slots);
    if (rc != SQLITE_OK)
        ls_params_clear(out);
    return rc;
}

/*
 * Tokenize sql[0..len) and number its parameters: ls_tok_scan then ls_params_scan_tokens,
 * with the same results and ownership.  For one statement (split first with ls_split_next).
 */
int ls_params_scan(const char *sql, size_t len, ls_params *out, ls_err *err)
{
    ls_tokens toks = { 0 };
    int rc = ls_tok_scan(sql, len, &toks, err);
    if (rc == SQLITE_OK)
        rc = ls_params_scan_tokens(sql, &toks, out, err);
    else
        memset(out, 0, sizeof *out);
    ls_tokens_clear(&toks);
    return rc;
}

/* Release everything params owns and leave it empty; a zeroed ls_params is fine. */
void ls_params_clear(ls_params *params)
{
    free(params->pg_of);
    free(params->sqlite_of);
    free(params->name_off);
    free(params->names);
    free(params->uses);
    memset(params, 0, sizeof *params);
}

/*
 * sqlite3_bind_parameter_name: the name of SQLite index (1-based) as first written (":a",
 * "$a::b", "?3"), or NULL for an anonymous `?`, an index no token uses, or one out of
 * range.  Owned by params, valid until ls_params_clear.
 */
const char *ls_params_name(const ls_params *params, int index)
{
    return name_of(params, index);
}

/*
 * sqlite3_bind_parameter_index: the index whose name is exactly name (case-sensitive,
 * prefix included), or 0.  Linear in the number of parameters, like SQLite's.
 */
int ls_params_index(const ls_params *params, const char *name)
{
    if (!name)
        return 0;
    for (int i = 1; i <= params->count; i++) {
        const char *n = name_of(params, i);
        if (n && strcmp(n, name) == 0)
            return i;
    }
    return 0;
}

/*
 * PostgreSQL number ($n) of the parameter token that starts at byte off of the statement,
 * or 0 when no parameter token starts there.  Binary search over the uses.
 */
int ls_params_pg_at(const ls_params *params, size_t off)
{
    size_t lo = 0, hi = params->n_uses;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (params->uses[mid].off == off)
            return params->pg_of[params->uses[mid].index];
        if (params->uses[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}
