/* SPDX-License-Identifier: MIT
 *
 * Statement splitting: where SQLite 3.40 ends one statement of a script (the pzTail of
 * sqlite3_prepare, the loop of sqlite3_exec) and whether a text is complete
 * (sqlite3_complete).  Both run the 8-state machine of SQLite's complete.c, which knows that
 * the semicolons inside CREATE [TEMP] TRIGGER ... BEGIN ... END do not end the statement;
 * they differ in their lexing, as SQLite's do: ls_split_complete scans with
 * sqlite3_complete's own simplified rules, ls_split_next with the real tokenizer
 * (tokenize.c), which is what the parser sees.  A NUL byte ends the input for both.
 * tests/unit/test_split_corpus.c checks both against the real library on whole corpora.
 */
#include <stdint.h>
#include <string.h>

#include "rewriter.h"

/* Token classes of the machine (complete.c's tk*). */
enum { T_SEMI, T_WS, T_OTHER, T_EXPLAIN, T_CREATE, T_TEMP, T_TRIGGER, T_END };

/* States: 0 nothing seen, 1 start (after a complete statement), 2 normal, 3 after
 * EXPLAIN, 4 after CREATE [TEMP], 5 in a trigger, 6 after a ';' in a trigger, 7 after
 * ";END" in a trigger. */
enum { S_NOTHING, S_START, S_NORMAL, S_EXPLAIN, S_CREATE, S_TRIGGER, S_SEMI, S_END };

static const unsigned char trans[8][8] = {
    /*              SEMI WS OTHER EXPLAIN CREATE TEMP TRIGGER END */
    /* NOTHING */ { 1, 0, 2, 3, 4, 2, 2, 2 },
    /* START   */ { 1, 1, 2, 3, 4, 2, 2, 2 },
    /* NORMAL  */ { 1, 2, 2, 2, 2, 2, 2, 2 },
    /* EXPLAIN */ { 1, 3, 3, 2, 4, 2, 2, 2 },
    /* CREATE  */ { 1, 4, 2, 2, 2, 4, 5, 2 },
    /* TRIGGER */ { 6, 5, 5, 5, 5, 5, 5, 5 },
    /* SEMI    */ { 6, 6, 5, 5, 5, 5, 5, 7 },
    /* END     */ { 1, 7, 5, 5, 5, 5, 5, 5 },
};

/* Byte i of the input, or 0 past its end. */
#define AT(i) ((size_t)(i) < n ? z[(i)] : 0)

/* SQLite's IdChar(): letters, digits, '_', '$' and every byte >= 0x80. */
static bool is_id_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '$' || c >= 0x80;
}

static bool word_is(const unsigned char *w, size_t n, const char *lower)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = w[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (lower[i] == 0 || c != (unsigned char)lower[i])
            return false;
    }
    return lower[n] == 0;
}

/* complete.c's classification of a bare word. */
static int classify_word(const unsigned char *w, size_t n)
{
    if (word_is(w, n, "create"))
        return T_CREATE;
    if (word_is(w, n, "trigger"))
        return T_TRIGGER;
    if (word_is(w, n, "temp") || word_is(w, n, "temporary"))
        return T_TEMP;
    if (word_is(w, n, "end"))
        return T_END;
    if (word_is(w, n, "explain"))
        return T_EXPLAIN;
    return T_OTHER;
}

/*
 * sqlite3_complete for sql[0..len), stopping early at a NUL byte: true when the text ends
 * with a complete statement (a ';' outside strings, comments and quoted names, and for
 * CREATE TRIGGER the ';' after END).  Its lexing is sqlite3_complete's, not the parser's:
 * an unterminated quote or slash-star comment means incomplete, a trailing "--" comment
 * keeps the state before it, and Tcl-style "$a(;)" ends at the ';'.  Borrows sql.
 * tests/unit/test_split.c and test_split_corpus.c compare it with the real library.
 */
bool ls_split_complete_n(const char *sql, size_t len)
{
    const unsigned char *z = (const unsigned char *)sql;
    size_t n = len;
    int state = S_NOTHING;

    for (size_t i = 0; i < n && z[i] != 0; i++) {
        int tok;
        switch (z[i]) {
        case ';':
            tok = T_SEMI;
            break;
        case ' ': case '\r': case '\t': case '\n': case '\f':
            tok = T_WS;
            break;
        case '/':
            if (AT(i + 1) != '*') {
                tok = T_OTHER;
                break;
            }
            i += 2;
            while (AT(i) != 0 && (AT(i) != '*' || AT(i + 1) != '/'))
                i++;
            if (AT(i) == 0)
                return false;
            i++;
            tok = T_WS;
            break;
        case '-':
            if (AT(i + 1) != '-') {
                tok = T_OTHER;
                break;
            }
            while (AT(i) != 0 && AT(i) != '\n')
                i++;
            if (AT(i) == 0)
                return state == S_START;
            tok = T_WS;
            break;
        case '[':
            i++;
            while (AT(i) != 0 && AT(i) != ']')
                i++;
            if (AT(i) == 0)
                return false;
            tok = T_OTHER;
            break;
        case '`': case '"': case '\'': {
            unsigned char q = z[i];
            i++;
            while (AT(i) != 0 && AT(i) != q)
                i++;
            if (AT(i) == 0)
                return false;
            tok = T_OTHER;
            break;
        }
        default:
            if (is_id_char(z[i])) {
                size_t w = 1;
                while (is_id_char(AT(i + w)))
                    w++;
                tok = classify_word(z + i, w);
                i += w - 1;
            } else {
                tok = T_OTHER;
            }
            break;
        }
        state = trans[state][tok];
    }
    return state == S_START;
}

/* sqlite3_complete(sql) for a NUL-terminated string: the same answer as the library. */
bool ls_split_complete(const char *sql)
{
    return ls_split_complete_n(sql, strlen(sql));
}

/* The machine's class of a real token. */
static int classify_token(const ls_token *t)
{
    switch (t->type) {
    case LS_TK_SEMI:
        return T_SEMI;
    case LS_TK_SPACE:
    case LS_TK_COMMENT:
        return T_WS;
    case LS_TK_KEYWORD:
        switch (t->kw) {
        case LS_KW_CREATE: return T_CREATE;
        case LS_KW_TEMP:
        case LS_KW_TEMPORARY: return T_TEMP;
        case LS_KW_TRIGGER: return T_TRIGGER;
        case LS_KW_END: return T_END;
        case LS_KW_EXPLAIN: return T_EXPLAIN;
        default: return T_OTHER;
        }
    default:
        return T_OTHER;
    }
}

/*
 * Length of the first statement of sql[0..len) as sqlite3_prepare finds it: through the ';'
 * that completes a statement (empty statements before it are absorbed, as the parser
 * skips them), or to the end of the input (a NUL byte ends it).  The rest is the pzTail;
 * calling again on it walks a script as sqlite3_exec does, until 0 is returned (empty
 * input, or a NUL at sql[0]).  A CREATE TRIGGER body's inner ';' does not end it.  For text
 * SQLite fails to parse, the parser stops at the error instead; this boundary then
 * follows the tokens.  Sets *complete (when not NULL) to sqlite3_complete's answer for the
 * returned prefix.  Borrows sql.  tests/unit/test_split_corpus.c compares it with
 * sqlite3_prepare_v2's pzTail on whole corpora.
 */
size_t ls_split_next(const char *sql, size_t len, bool *complete)
{
    int state = S_NOTHING;
    size_t pos = 0;
    /* CREATE VIRTUAL TABLE t USING m(args): the parser takes every token of the module's
     * arguments as they are, ';' included, up to the ')' that closes them */
    int vt = 0, vt_depth = 0;

    while (pos < len && sql[pos] != 0) {
        ls_token t;
        pos += ls_tok_next(sql + pos, len - pos, &t);
        int tok = classify_token(&t);
        if (tok != T_WS && vt_depth > 0) {
            const char ch = t.type == LS_TK_OPERATOR && t.len == 1 ? sql[pos - 1] : 0;
            vt_depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            if (tok == T_SEMI)
                tok = T_OTHER;
        } else if (tok != T_WS) {
            bool open = t.type == LS_TK_OPERATOR && t.len == 1 && sql[pos - 1] == '(';
            if (tok == T_CREATE && (state == S_NOTHING || state == S_START || state == S_EXPLAIN))
                vt = 1;
            else if (vt == 1)
                vt = t.type == LS_TK_KEYWORD && t.kw == LS_KW_VIRTUAL ? 2 : 0;
            else if (vt == 2)
                vt = t.type == LS_TK_KEYWORD && t.kw == LS_KW_TABLE ? 3 : 0;
            else if (vt == 3 && t.type == LS_TK_KEYWORD && t.kw == LS_KW_USING)
                vt = 4;
            else if (vt == 4)
                vt = 5;   /* the module's name */
            else if (vt == 5) {
                vt = 0;
                vt_depth = open ? 1 : 0;
            } else if (tok == T_SEMI)
                vt = 0;
        }
        int next = trans[state][tok];
        if (tok == T_SEMI && next == S_START && state != S_NOTHING && state != S_START)
            break;
        state = next;
    }
    if (complete)
        *complete = ls_split_complete_n(sql, pos);
    return pos;
}
