/* SPDX-License-Identifier: MIT
 *
 * The tokenizer: SQLite 3.40's lexical rules (sqlite3GetToken) over a length-bounded buffer.
 * One character-class table and one switch; each branch returns a length and a type.  It
 * owns the token boundaries and kinds every other rewriter pass relies on; keyword identity
 * comes from keywords.c, parameter numbering from params.c.  Invariants: every call consumes
 * at least one byte of non-empty input, tokens tile the input exactly, and bytes past len
 * are never read (they read as the NUL that ends SQLite's strings).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rewriter.h"

/* Character classes of a token's first byte. */
enum {
    C_ILLEGAL = 0, /* a byte SQLite rejects outside strings and identifiers */
    C_SPACE,       /* space, \t, \n, \f, \r (not \v, which only continues a space run) */
    C_MINUS,       /* - -- -> ->> */
    C_SLASH,       /* / and slash-star comments */
    C_LT,          /* < <= <> << */
    C_GT,          /* > >= >> */
    C_EQ,          /* = == */
    C_BANG,        /* != (a lone ! is illegal) */
    C_PIPE,        /* | || */
    C_SINGLE,      /* ( ) + * % , & ~ : one-byte operators */
    C_SEMI,        /* ; */
    C_QUOTE,       /* ' " ` */
    C_BRACKET,     /* [ ] identifiers */
    C_DOT,         /* . or the start of .5 */
    C_DIGIT,       /* 0-9 */
    C_QMARK,       /* ? and ?NNN */
    C_VAR,         /* $ @ # : named parameters */
    C_X,           /* x X: blob literal or identifier */
    C_WORD,        /* other ASCII letters and _: keyword or identifier */
    C_HIGH,        /* bytes >= 0x80: identifier characters */
    C_BOM,         /* 0xEF, first byte of a UTF-8 byte-order mark */
    C_NUL,         /* 0x00 */
};

static const unsigned char char_class[256] = {
    [0x00] = C_NUL,
    ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE, [' '] = C_SPACE,
    ['-'] = C_MINUS, ['/'] = C_SLASH, ['<'] = C_LT, ['>'] = C_GT, ['='] = C_EQ,
    ['!'] = C_BANG, ['|'] = C_PIPE,
    ['('] = C_SINGLE, [')'] = C_SINGLE, ['+'] = C_SINGLE, ['*'] = C_SINGLE,
    ['%'] = C_SINGLE, [','] = C_SINGLE, ['&'] = C_SINGLE, ['~'] = C_SINGLE,
    [';'] = C_SEMI,
    ['\''] = C_QUOTE, ['"'] = C_QUOTE, ['`'] = C_QUOTE,
    ['['] = C_BRACKET, ['.'] = C_DOT,
    ['0' ... '9'] = C_DIGIT,
    ['?'] = C_QMARK,
    ['$'] = C_VAR, ['@'] = C_VAR, ['#'] = C_VAR, [':'] = C_VAR,
    ['x'] = C_X, ['X'] = C_X,
    ['a' ... 'w'] = C_WORD, ['y'] = C_WORD, ['z'] = C_WORD,
    ['A' ... 'W'] = C_WORD, ['Y'] = C_WORD, ['Z'] = C_WORD, ['_'] = C_WORD,
    [0x80 ... 0xEE] = C_HIGH, [0xEF] = C_BOM, [0xF0 ... 0xFF] = C_HIGH,
};

/* Byte i of the input, or 0 past its end: the view SQLite has of a NUL-terminated copy. */
#define AT(i) ((size_t)(i) < n ? z[(i)] : 0)

/* SQLite's IdChar(): letters, digits, '_', '$' and every byte >= 0x80. */
static inline bool is_id_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '$' || c >= 0x80;
}

static inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static inline bool is_xdigit(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* sqlite3Isspace(): the five space characters plus \v. */
static inline bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Slash-star comment at z[0..1]: through the closing star-slash, or to the end of input. */
static size_t scan_block_comment(const unsigned char *z, size_t n)
{
    size_t i = 2;
    while (AT(i) != 0) {
        if (AT(i) == '*' && AT(i + 1) == '/')
            return i + 2;
        i++;
    }
    return i;
}

/* 'x', "x" or `x`: a doubled delimiter stands for itself; unterminated is illegal. */
static size_t scan_quoted(const unsigned char *z, size_t n, ls_tok_type *type)
{
    unsigned char delim = z[0];
    size_t i = 1;
    for (; AT(i) != 0; i++) {
        if (AT(i) != delim)
            continue;
        if (AT(i + 1) != delim) {
            *type = delim == '\'' ? LS_TK_STRING : LS_TK_QUOTED_ID;
            return i + 1;
        }
        i++;
    }
    *type = LS_TK_ILLEGAL;
    return i;
}

/* Numbers from a digit or from '.' followed by a digit.  A hex integer ends at its last hex
 * digit (3.40 has no check after it); a decimal number glued to identifier characters
 * ("1e", "12abc") is one illegal token, as in SQLite. */
static size_t scan_number(const unsigned char *z, size_t n, ls_tok_type *type)
{
    size_t i = 0;
    *type = LS_TK_INTEGER;
    if (z[0] == '0' && (AT(1) == 'x' || AT(1) == 'X') && is_xdigit(AT(2))) {
        for (i = 3; is_xdigit(AT(i)); i++) {
        }
        return i;
    }
    while (is_digit(AT(i)))
        i++;
    if (AT(i) == '.') {
        *type = LS_TK_FLOAT;
        for (i++; is_digit(AT(i)); i++) {
        }
    }
    if ((AT(i) == 'e' || AT(i) == 'E') &&
        (is_digit(AT(i + 1)) ||
         ((AT(i + 1) == '+' || AT(i + 1) == '-') && is_digit(AT(i + 2))))) {
        *type = LS_TK_FLOAT;
        for (i += 2; is_digit(AT(i)); i++) {
        }
    }
    while (is_id_char(AT(i))) {
        *type = LS_TK_ILLEGAL;
        i++;
    }
    return i;
}

/* $name, @name, #name, :name, with Tcl's "::" separators and one "(...)" suffix that ends
 * at ')' (illegal when a space or the end comes first).  Needs one identifier character. */
static size_t scan_named_param(const unsigned char *z, size_t n, ls_tok_type *type)
{
    size_t i = 1;
    int id_chars = 0;
    *type = LS_TK_PARAM;
    for (unsigned char c; (c = AT(i)) != 0; i++) {
        if (is_id_char(c)) {
            id_chars++;
        } else if (c == '(' && id_chars > 0) {
            do {
                i++;
                c = AT(i);
            } while (c != 0 && !is_space(c) && c != ')');
            if (c == ')')
                i++;
            else
                *type = LS_TK_ILLEGAL;
            break;
        } else if (c == ':' && AT(i + 1) == ':') {
            i++;
        } else {
            break;
        }
    }
    if (id_chars == 0)
        *type = LS_TK_ILLEGAL;
    return i;
}

/* x'hex': an even number of hex digits between quotes, else one illegal token that runs to
 * the next quote (included) or the end. */
static size_t scan_blob(const unsigned char *z, size_t n, ls_tok_type *type)
{
    size_t i = 2;
    while (is_xdigit(AT(i)))
        i++;
    *type = LS_TK_BLOB;
    if (AT(i) != '\'' || i % 2 != 0) {
        *type = LS_TK_ILLEGAL;
        while (AT(i) != 0 && AT(i) != '\'')
            i++;
    }
    if (AT(i) != 0)
        i++;
    return i;
}

/* Bytes that continue an identifier (SQLite's IdChar), and those of them a keyword can
 * hold (letters and '_'). */
enum { ID_CHAR = 1, KW_CHAR = 2 };
static const unsigned char word_class[256] = {
    ['a' ... 'z'] = ID_CHAR | KW_CHAR, ['A' ... 'Z'] = ID_CHAR | KW_CHAR,
    ['_'] = ID_CHAR | KW_CHAR, ['0' ... '9'] = ID_CHAR, ['$'] = ID_CHAR,
    [0x80 ... 0xFF] = ID_CHAR,
};

/* An identifier from z[0]; a word made only of letters and '_' may be a keyword. */
static size_t scan_word(const unsigned char *z, size_t n, ls_token *out)
{
    size_t i = 1;
    unsigned all = word_class[z[0]];
    for (unsigned w; i < n && ((w = word_class[z[i]]) & ID_CHAR); i++)
        all &= w;
    int kw = (all & KW_CHAR) ? ls_kw_lookup_word((const char *)z, i) : LS_KW_NONE;
    out->type = kw ? LS_TK_KEYWORD : LS_TK_ID;
    out->kw = kw;
    return i;
}

static size_t scan_token(const unsigned char *z, size_t n, ls_token *out)
{
    ls_tok_type type = LS_TK_OPERATOR;
    size_t i = 1;
    unsigned char c1 = AT(1);

    out->kw = LS_KW_NONE;
    switch (char_class[z[0]]) {
    case C_SPACE:
        while (is_space(AT(i)))
            i++;
        type = LS_TK_SPACE;
        break;
    case C_MINUS:
        if (c1 == '-') {
            while (AT(i) != 0 && AT(i) != '\n')
                i++;
            type = LS_TK_COMMENT;
        } else if (c1 == '>') {
            i = AT(2) == '>' ? 3 : 2;
        }
        break;
    case C_SLASH:
        /* "/" + "*" at the very end is a slash and a star, not an empty comment. */
        if (c1 == '*' && AT(2) != 0) {
            i = scan_block_comment(z, n);
            type = LS_TK_COMMENT;
        }
        break;
    case C_LT:
        i = (c1 == '=' || c1 == '>' || c1 == '<') ? 2 : 1;
        break;
    case C_GT:
        i = (c1 == '=' || c1 == '>') ? 2 : 1;
        break;
    case C_EQ:
        i = c1 == '=' ? 2 : 1;
        break;
    case C_BANG:
        if (c1 == '=')
            i = 2;
        else
            type = LS_TK_ILLEGAL;
        break;
    case C_PIPE:
        i = c1 == '|' ? 2 : 1;
        break;
    case C_SINGLE:
        break;
    case C_SEMI:
        type = LS_TK_SEMI;
        break;
    case C_QUOTE:
        i = scan_quoted(z, n, &type);
        break;
    case C_BRACKET:
        while (AT(i) != 0 && AT(i) != ']')
            i++;
        if (AT(i) == ']') {
            i++;
            type = LS_TK_QUOTED_ID;
        } else {
            type = LS_TK_ILLEGAL;
        }
        break;
    case C_DOT:
        if (is_digit(c1))
            i = scan_number(z, n, &type);
        break;
    case C_DIGIT:
        i = scan_number(z, n, &type);
        break;
    case C_QMARK:
        while (is_digit(AT(i)))
            i++;
        type = LS_TK_PARAM;
        break;
    case C_VAR:
        i = scan_named_param(z, n, &type);
        break;
    case C_BOM:
        if (c1 == 0xBB && AT(2) == 0xBF) {
            i = 3;
            type = LS_TK_SPACE;
            break;
        }
        return scan_word(z, n, out);
    case C_X:
        if (c1 == '\'') {
            i = scan_blob(z, n, &type);
            break;
        }
        return scan_word(z, n, out);
    case C_WORD:
    case C_HIGH:
        return scan_word(z, n, out);
    case C_NUL:
    default:
        type = LS_TK_ILLEGAL;
        break;
    }
    out->type = type;
    return i;
}

/*
 * Length and type of the token at sql[0], following sqlite3GetToken of SQLite 3.40: the
 * same character classes, comments, quoting, numbers, blobs, the five parameter forms and
 * multi-byte operators.  Returns 0 only when len is 0; a NUL byte is a one-byte
 * LS_TK_ILLEGAL token (SQLite ends its input there).  Fills out (off is 0, len the result
 * clamped to UINT32_MAX); bytes past len are never read.  Borrows sql.  Tested by
 * tests/unit/test_tokenize.c.
 */
size_t ls_tok_next(const char *sql, size_t len, ls_token *out)
{
    out->type = LS_TK_ILLEGAL;
    out->kw = LS_KW_NONE;
    out->off = 0;
    out->len = 0;
    if (len == 0)
        return 0;
    size_t n = scan_token((const unsigned char *)sql, len, out);
    out->len = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    return n;
}

/*
 * Tokenize sql[0..len) (at most UINT32_MAX bytes) into v[0..cap): returns the number of
 * tokens, the same ls_tok_scan finds, or cap + 1 when they do not fit (v then holds the
 * first cap).  For callers with a buffer of their own (rw_ctx_init, on its stack).
 */
size_t ls_tok_scan_into(const char *sql, size_t len, ls_token *v, size_t cap)
{
    size_t pos = 0, n = 0;
    while (pos < len) {
        if (n == cap)
            return cap + 1;
        ls_token *tok = &v[n++];
        size_t step = scan_token((const unsigned char *)sql + pos, len - pos, tok);
        tok->off = (uint32_t)pos;
        tok->len = (uint32_t)step;
        pos += step;
    }
    return n;
}

/*
 * Tokenize all of sql[0..len) into out, replacing its previous contents (its storage is
 * reused).  Tokens tile the input with absolute offsets; illegal tokens are kept, not
 * reported.  Returns SQLITE_OK, SQLITE_NOMEM (out emptied), or SQLITE_TOOBIG for inputs
 * over UINT32_MAX bytes, with err filled.  Borrows sql; out owns its array (ls_tokens_clear).
 */
int ls_tok_scan(const char *sql, size_t len, ls_tokens *out, ls_err *err)
{
    out->n = 0;
    if (len > UINT32_MAX)
        return ls_err_set(err, SQLITE_TOOBIG, 0, "statement too long");
    size_t pos = 0;
    while (pos < len) {
        if (out->n == out->cap) {
            /* about one token in two or three bytes (spaces included): one allocation for a
             * statement of a few KiB, doubling beyond */
            size_t cap = out->cap ? out->cap * 2 : (len < 4096 ? len / 2 + 16 : 2064);
            ls_token *v = realloc(out->v, cap * sizeof *v);
            if (!v) {
                out->n = 0;
                return ls_err_set(err, SQLITE_NOMEM, pos, "out of memory");
            }
            out->v = v;
            out->cap = cap;
        }
        ls_token *tok = &out->v[out->n++];
        size_t step = ls_tok_next(sql + pos, len - pos, tok);
        tok->off = (uint32_t)pos;
        pos += step;
    }
    return SQLITE_OK;
}

/* Release a token array's storage and leave it empty; a zeroed ls_tokens is fine. */
void ls_tokens_clear(ls_tokens *toks)
{
    free(toks->v);
    toks->v = NULL;
    toks->n = 0;
    toks->cap = 0;
}

/* True when a[0..n) and b[0..n) are equal ignoring ASCII case (bytes, NULs included). */
bool ls_text_ieq(const char *a, const char *b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        unsigned char x = (unsigned char)a[k], y = (unsigned char)b[k];
        if (x != y) {
            if (x >= 'A' && x <= 'Z')
                x = (unsigned char)(x - 'A' + 'a');
            if (y >= 'A' && y <= 'Z')
                y = (unsigned char)(y - 'A' + 'a');
            if (x != y)
                return false;
        }
    }
    return true;
}

/*
 * True when the text of tok (a token of sql) equals the NUL-terminated word, ignoring ASCII
 * case, as SQLite compares keywords and function names.  Borrows both.
 */
bool ls_tok_text_is(const char *sql, const ls_token *tok, const char *word)
{
    size_t n = strlen(word);
    return tok->len == n && ls_text_ieq(sql + tok->off, word, n);
}
