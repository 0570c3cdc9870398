/* SPDX-License-Identifier: MIT
 *
 * Private to the rule files (rewrite.c, dml.c, expr.c, json.c, star.c, datetime.c, pragma.c,
 * ddl.c, dropview.c): the token array a statement is rewritten on, the edits rules attach
 * to tokens, and the scanning helpers they share.  Rules never touch text: they mark tokens
 * (replace, skip, insert before/after) and rewrite.c emits the result once.
 *
 * Ownership: everything hangs off one rw_ctx and its arena, released by rw_ctx_clear.
 * Edit strings are either static or arena copies; tokens point into the caller's SQL.
 */
#ifndef LS_RULES_H
#define LS_RULES_H

#include "rewrite.h"

typedef struct rw_tok {
    ls_token t;
    bool space;            /* white space or a comment came before it */
    bool skip;             /* not emitted (its pre/post still are) */
    int match;             /* ( <-> ), CASE <-> END: index of the partner, else -1 */
    int depth;             /* parenthesis depth (0 at top) */
    int param;             /* PARAM tokens: the PostgreSQL number, else 0 */
    const char *pre;       /* emitted before the token */
    const char *repl;      /* emitted instead of the token, when not NULL */
    const char *post;      /* emitted after the token */
} rw_tok;

typedef struct rw_chunk rw_chunk;

/* D2: parameters whose storage class a statement binds, select items given a class. */
#define RW_MAX_CLASS_PARAMS 64
#define RW_MAX_CLASS_ITEMS 64

/* Tokens (white space included) of a statement whose rule tokens live in the context. */
#define RW_LOCAL_TOKENS 128

/* A growable string with a sticky out-of-memory flag (checked once, at the end). */
typedef struct rw_sb {
    char *p;
    size_t len, cap;
    bool oom;
} rw_sb;

typedef struct rw_ctx {
    const char *sql;       /* borrowed input */
    size_t len;
    rw_tok *t;             /* tokens without white space and comments; owned */
    size_t n;
    rw_chunk *arena;       /* edit strings; owned */
    const ls_rw_schema *schema;
    ls_rw_result *res;
    ls_err *err;
    int rc;                /* first error (SQLITE_OK while none) */
    bool oom;
    uint32_t rules;        /* LS_R_* fired */
    size_t stmt_start;     /* first token of the statement proper (after WITH ...) */
    const ls_rw_table *target; /* the table an INSERT, UPDATE or DELETE writes, when known */
    char target_key[80];   /* ... the name it was asked for by (rw_set_target) */
    int n_alias;           /* counter for generated subquery aliases */
    int hidden[3];         /* $n of last_insert_rowid(), changes(), total_changes(), 0 unused */
    int hidden_code[3 + 3 * RW_MAX_CLASS_PARAMS]; /* LS_HIDDEN_* of the k-th hidden parameter,
                                               * in $n order */
    int n_hidden;
    int class_si[RW_MAX_CLASS_PARAMS];  /* D2: SQLite parameters whose class is bound ... */
    int class_pg[RW_MAX_CLASS_PARAMS];  /* ... as these $n */
    int n_class;
    int value_si[RW_MAX_CLASS_PARAMS];  /* D2: SQLite parameters written into a typeless
                                         * column and used elsewhere too ... */
    int value_pg[RW_MAX_CLASS_PARAMS];  /* ... as these $n there, */
    int value_n[RW_MAX_CLASS_PARAMS];   /* ... in so many of its tokens */
    int null_si[RW_MAX_CLASS_PARAMS];   /* parameters tested with IS [NOT] NULL ... */
    int null_pg[RW_MAX_CLASS_PARAMS];   /* ... answered by these hidden $n, */
    int null_n[RW_MAX_CLASS_PARAMS];    /* ... in so many of its tokens */
    int n_null;
    int n_value;
    int class_of[RW_MAX_CLASS_ITEMS];   /* D2: select items whose class field was appended */
    int n_class_items;
    int *class_uses;       /* [1..pg_count]: uses as a storage-class argument (D17); owned */
    bool *blob_text;       /* [1..pg_count]: D2, a blob bound there goes as \x<hex> text (a
                            * typeless column's value or comparand); owned */
    bool *value_tok;       /* [0..n): D2, parameter tokens that are such a value or comparand,
                            * numbered by rw_class_params_finish; owned */
    /* what the statement holds, noted by rw_ctx_init, so a pass whose trigger is absent
     * is skipped: keyword ids (rw_seen) and RW_SEEN_* token kinds */
    uint64_t kw_seen[(LS_KW_COUNT + 1 + 63) / 64];
    unsigned seen;
    /* the calls: indexes of the bare names followed by '(', in order (arena), for the
     * passes that act on calls only */
    uint32_t *calls;
    size_t n_calls;
    /* the arena's first bytes, in the context itself: a typical statement's edits fit, so
     * they cost no allocation (rw_ctx is never copied; it lives until rw_ctx_clear) */
    size_t local_used;
    _Alignas(8) char local[1024];
    /* the token array of a statement of up to RW_LOCAL_TOKENS tokens (t points here) */
    rw_tok t_local[RW_LOCAL_TOKENS];
} rw_ctx;

/* Token kinds noted in rw_ctx.seen. */
enum {
    RW_SEEN_STAR = 1u << 0,   /* the operator * */
    RW_SEEN_DIV = 1u << 1,    /* / or % */
    RW_SEEN_CALL = 1u << 2,   /* a bare name followed by '(' */
};

/* Does the statement hold keyword kw anywhere (LS_KW_*)? */
static inline bool rw_seen(const rw_ctx *c, int kw)
{
    return (c->kw_seen[kw / 64] >> (kw % 64)) & 1;
}

/* --- context and edits (rewrite.c) --- */
int rw_ctx_init(rw_ctx *c, const char *sql, size_t len, const ls_rw_schema *schema,
                ls_rw_result *res, ls_err *err);
void rw_ctx_clear(rw_ctx *c);
char *rw_strdup(rw_ctx *c, const char *s, size_t n);          /* arena copy, NUL-terminated */
char *rw_printf(rw_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rw_set(rw_ctx *c, size_t i, const char *text, uint32_t rule);   /* replace token i */
void rw_skip(rw_ctx *c, size_t from, size_t to, uint32_t rule);      /* skip [from, to) */
/* The `main` of `main.` at token i (DIALECT S33): the app's schema when the caller named it
 * (ls_rw_schema.main_schema), else `main.` dropped. */
void rw_main_schema(rw_ctx *c, size_t i, uint32_t rule);
/* The schema's table whose name token is last (name: its canonical text), asked for as
 * LS_RW_MAIN_KEY name when written `main.name`; NULL when unknown or no schema. */
const ls_rw_table *rw_lookup(const rw_ctx *c, size_t last, const char *name);
/* The table an INSERT, UPDATE or DELETE writes: c->target and c->target_key, as rw_lookup. */
void rw_set_target(rw_ctx *c, size_t last, const char *name);
/* Replace [from, to) by text, dropping the edits inside (they were rendered into text). */
void rw_replace(rw_ctx *c, size_t from, size_t to, const char *text, uint32_t rule);
void rw_pre(rw_ctx *c, size_t i, const char *text, uint32_t rule);   /* outermost before */
void rw_post(rw_ctx *c, size_t i, const char *text, uint32_t rule);  /* outermost after */
int rw_fail(rw_ctx *c, size_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Emit the whole statement with its edits: *out is malloc'd (caller frees). */
int rw_emit(rw_ctx *c, char **out, size_t *len);
/* Render tokens [from, to) with their edits into an arena string. */
char *rw_render(rw_ctx *c, size_t from, size_t to);
/* Canonical identifier text of token i ("x" for [X], `x`, "X" and X), arena string. */
char *rw_ident(rw_ctx *c, size_t i);
/* Lower-case unquoted name of token i into buf (quotes removed), false if too long. */
bool rw_name(const rw_ctx *c, size_t i, char *buf, size_t cap);

/* ASCII lower case of one byte (SQLite folds names for ASCII only). */
static inline char rw_lower(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

/* --- token tests (rewrite.c) --- */
/* The rules ask these questions hundreds of times per statement: the length and type
 * checks are inline, so a literal word's length is a constant and most tokens are
 * rejected without a call; only a candidate of the right length compares its text. */

/* Keyword or identifier token i spelled word (ASCII case-insensitively). */
static inline bool rw_is(const rw_ctx *c, size_t i, const char *word)
{
    if (i >= c->n)
        return false;
    const ls_token *t = &c->t[i].t;
    if ((t->type != LS_TK_KEYWORD && t->type != LS_TK_ID) || t->len != __builtin_strlen(word)
        || rw_lower(c->sql[t->off]) != rw_lower(word[0]))
        return false;
    return ls_text_ieq(c->sql + t->off, word, t->len);
}

/* Keyword token i with id kw (LS_KW_*).  The same answer as rw_is with the keyword's
 * spelling: the tokenizer makes every word spelled like a keyword that keyword. */
static inline bool rw_kw(const rw_ctx *c, size_t i, int kw)
{
    return i < c->n && c->t[i].t.kw == kw;
}

/* Operator or ';' token i spelled op (1 to 3 bytes, exactly). */
static inline bool rw_op(const rw_ctx *c, size_t i, const char *op)
{
    if (i >= c->n)
        return false;
    const ls_token *t = &c->t[i].t;
    size_t n = __builtin_strlen(op);
    if ((t->type != LS_TK_OPERATOR && t->type != LS_TK_SEMI) || t->len != n)
        return false;
    const char *s = c->sql + t->off;
    for (size_t k = 0; k < n; k++)
        if (s[k] != op[k])
            return false;
    return true;
}

bool rw_is_name(const rw_ctx *c, size_t i);                /* ID or quoted ID */
/* Is the name at i, followed by '(', a function call (not a table or CTE with columns)? */
bool rw_is_call(const rw_ctx *c, size_t i);
bool rw_operand_end(const rw_ctx *c, size_t i);            /* token can end an operand */
size_t rw_term_end(const rw_ctx *c, size_t i);             /* index after the term at i */
size_t rw_term_start(const rw_ctx *c, size_t last);        /* first index of term ending at last */
size_t rw_cmp_end(const rw_ctx *c, size_t i);              /* end of a comparison operand */
size_t rw_expr_end(const rw_ctx *c, size_t i);             /* end of a list item / clause */
size_t rw_concat_end(const rw_ctx *c, size_t i);           /* term ( || term )* */

/* --- rule passes --- */
void rw_expr_rules(rw_ctx *c, size_t from, size_t to);      /* expr.c: operators, functions */
void rw_datetime_rules(rw_ctx *c, size_t from, size_t to);  /* datetime.c */
void rw_late_rules(rw_ctx *c, size_t from, size_t to);      /* expr.c: render-based, last */
void rw_concat_cast(rw_ctx *c, size_t pos, size_t e);       /* expr.c: || operand as text */
void rw_concat_group(rw_ctx *c, size_t start, size_t end);  /* expr.c: parenthesise a || tier */
/* json.c: the || tier chain whose first operator is at i, when it holds -> or ->>; returns
 * the index after the chain, 0 when the chain has no JSON operator (nothing done). */
size_t rw_json_chain(rw_ctx *c, size_t i);
void rw_json_calls(rw_ctx *c, size_t from, size_t to);      /* json.c: json_* calls, late */
/* json.c: [s, e) is a json_extract call or a chain ending in ->>, which yields a tagged
 * value where another compat function reads one (so it is not wrapped in val()). */
bool rw_json_tagged(const rw_ctx *c, size_t s, size_t e);
void rw_star_rules(rw_ctx *c, size_t from, size_t to);      /* star.c: * without the hidden rowid */
/* star.c, D2: the class fields of the top-level SELECT at v's typeless column items */
void rw_class_items(rw_ctx *c, size_t v);
/* typeless.c, D2: storage classes written into typeless columns */
const char *rw_value_class(rw_ctx *c, size_t a, size_t b, const ls_rw_table *t,
                           const char *qual, bool upsert);
void rw_class_values(rw_ctx *c, const ls_rw_table *t, const size_t *colidx, size_t ncols,
                     size_t values);
void rw_class_select(rw_ctx *c, size_t sel, size_t end, const ls_rw_table *t,
                     const size_t *colidx, size_t ncols);
const char *rw_class_of_item(rw_ctx *c, size_t sel, size_t pos);   /* star.c */
void rw_class_set(rw_ctx *c, const ls_rw_table *t, const char *qual, size_t set, bool upsert);
void rw_class_cmp_rules(rw_ctx *c);   /* a typeless column compared with a number */
/* D2: the parameter tokens marked as a typeless column's value or comparand: when they are
 * every use of their SQLite parameter, a blob bound to it goes as \x<hex> text
 * (param_blob_text); else they become a hidden parameter of its own (LS_HIDDEN_VALUE_OF),
 * so that the other uses keep the value as it is.  After the rules that mark them. */
void rw_class_params_finish(rw_ctx *c);
void rw_param_null_rules(rw_ctx *c);   /* ? IS [NOT] NULL: a hidden boolean parameter */
/* classref.c, D2: the class column's reference ("x:class", "q"."x:class") when [from, to)
 * is a bare reference to a column declared without a type, else NULL */
const char *rw_class_ref(rw_ctx *c, size_t from, size_t to);
int rw_dml(rw_ctx *c);                                      /* dml.c: statement rules */
int rw_query(rw_ctx *c, size_t from);                       /* dml.c: a SELECT body */
int rw_pragma(rw_ctx *c);                                   /* pragma.c */
int rw_ddl(rw_ctx *c, ls_ddl_result *ddl);                  /* ddl.c: CREATE/ALTER/DROP */
void rw_collate(rw_ctx *c, size_t i);                       /* ddl.c: COLLATE name at i */
bool rw_drop_view(rw_ctx *c);                              /* dropview.c: DROP VIEW v */

/* --- string builder (rewrite.c) --- */
void rw_sb_add(rw_sb *b, const char *s, size_t n);
void rw_sb_str(rw_sb *b, const char *s);
void rw_sb_ident(rw_sb *b, const char *name);              /* "name" with " doubled */
/* D2: the class column of column col, "qual"."col:class" (qual may be NULL), in min() when
 * grouped (a GROUP BY on col does not group its class column). */
void rw_sb_class_ref(rw_sb *b, const char *qual, const char *col, bool grouped);

/* Whether the INSERT, UPDATE or DELETE may go in the backend's replay log (replay.c): sets
 * ls_rw_result.replay_ok and replay_seq. */
void rw_replay_rules(rw_ctx *c);

#endif
