/* SPDX-License-Identifier: MIT
 *
 * DDL translation, one code path for the shim (through ls_rw_rewrite) and the copy tool
 * (ls_ddl_translate): CREATE TABLE (types by SQLite's affinity rules, INTEGER PRIMARY KEY
 * as an identity, defaults, constraints, generated columns, table options), CREATE INDEX
 * (expressions, partial indexes, NULLS order), CREATE VIEW (body through the query rules),
 * ALTER TABLE and DROP.  Decisions are in docs/rewriter.md: DATETIME/DATE/TIMESTAMP stay
 * text (DIALECT T14, fidelity), a column without a type or with an unrecognised name is text,
 * BOOLEAN is boolean with 0/1 defaults translated.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "rules.h"

#define MAX_COLS 2000   /* SQLITE_MAX_COLUMN */

/* Does decl[0..len) contain word (ASCII case-insensitive)? */
static bool has(const char *decl, size_t len, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= len; i++)
        if (strncasecmp(decl + i, word, w) == 0)
            return true;
    return false;
}

/*
 * SQLite's affinity for a declared type (sqlite3AffinityType, DIALECT §3): INT anywhere is
 * INTEGER; else CHAR, CLOB or TEXT is TEXT; else BLOB or no type is BLOB; else REAL, FLOA or
 * DOUB is REAL; else NUMERIC.  "FLOATING POINT" is INTEGER, as in SQLite.
 */
ls_affinity ls_ddl_affinity(const char *decl, size_t len)
{
    if (has(decl, len, "INT"))
        return LS_AFF_INTEGER;
    if (has(decl, len, "CHAR") || has(decl, len, "CLOB") || has(decl, len, "TEXT"))
        return LS_AFF_TEXT;
    if (len == 0 || has(decl, len, "BLOB"))
        return LS_AFF_BLOB;
    if (has(decl, len, "REAL") || has(decl, len, "FLOA") || has(decl, len, "DOUB"))
        return LS_AFF_REAL;
    return LS_AFF_NUMERIC;
}

static bool starts(const char *decl, size_t len, const char *word)
{
    size_t w = strlen(word);
    return len >= w && strncasecmp(decl, word, w) == 0
        && (len == w || !isalnum((unsigned char)decl[w]));
}

/* The PostgreSQL type for a declared type (see the file comment for the decisions). */
static const char *pg_type(const char *decl, size_t len, ls_affinity aff, bool *is_bool)
{
    *is_bool = false;
    if (starts(decl, len, "BOOLEAN") || starts(decl, len, "BOOL")) {
        *is_bool = true;
        return "boolean";
    }
    if (starts(decl, len, "DATETIME") || starts(decl, len, "DATE")
        || starts(decl, len, "TIMESTAMP") || starts(decl, len, "TIME"))
        return "text";
    switch (aff) {
    case LS_AFF_INTEGER: return "bigint";
    case LS_AFF_TEXT: return "text";
    case LS_AFF_BLOB: return len ? "bytea" : "text";
    case LS_AFF_REAL: return "double precision";
    case LS_AFF_NUMERIC:
        return has(decl, len, "NUM") || has(decl, len, "DEC") ? "numeric" : "text";
    }
    return "text";
}

static bool constraint_word(const rw_ctx *c, size_t i)
{
    static const bool words[LS_KW_END_] = {
        [LS_KW_CONSTRAINT] = true, [LS_KW_PRIMARY] = true, [LS_KW_NOT] = true,
        [LS_KW_NULL] = true, [LS_KW_UNIQUE] = true, [LS_KW_CHECK] = true,
        [LS_KW_DEFAULT] = true, [LS_KW_COLLATE] = true, [LS_KW_REFERENCES] = true,
        [LS_KW_GENERATED] = true, [LS_KW_AS] = true,
    };
    return i < c->n && words[c->t[i].t.kw];
}

/* ON CONFLICT <algorithm> inside a constraint: only ABORT (the default) means nothing. */
static size_t conflict_clause(rw_ctx *c, size_t i)
{
    if (!rw_kw(c, i, LS_KW_ON) || !rw_kw(c, i + 1, LS_KW_CONFLICT))
        return i;
    if (!rw_kw(c, i + 2, LS_KW_ABORT)) {
        char alg[16];
        rw_name(c, i + 2, alg, sizeof alg);
        for (char *p = alg; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        rw_fail(c, i, "ON CONFLICT %s in a table constraint is not supported", alg);
        return i + 3;
    }
    rw_skip(c, i, i + 3, LS_R_DROPPED);
    return i + 3;
}

/* A parenthesised column list of PRIMARY KEY/UNIQUE: ASC/DESC and COLLATE dropped. */
static void key_list(rw_ctx *c, size_t open)
{
    size_t close = (size_t)c->t[open].match;
    for (size_t k = open + 1; k < close; k++) {
        if (rw_kw(c, k, LS_KW_ASC) || rw_kw(c, k, LS_KW_DESC))
            rw_skip(c, k, k + 1, LS_R_DROPPED);
        else if (rw_kw(c, k, LS_KW_COLLATE))
            rw_skip(c, k, k + 2, LS_R_DROPPED);
    }
}

/* COLLATE name in a column definition or an index: BINARY is "C", NOCASE the compat
 * collation, RTRIM has none (DIALECT T16); any other name is unknown to SQLite too. */
void rw_collate(rw_ctx *c, size_t i)
{
    char name[32];
    rw_name(c, i + 1, name, sizeof name);
    if (!strcmp(name, "binary"))
        rw_set(c, i + 1, "\"C\"", LS_R_DDL);
    else if (!strcmp(name, "nocase"))
        rw_set(c, i + 1, LS_COMPAT_SCHEMA ".nocase", LS_R_DDL);
    else if (!strcmp(name, "rtrim"))
        rw_fail(c, i + 1, "collation %s has no PostgreSQL equivalent", name);
    else   /* SQLite's message; an app collation runs in the app when no table is read */
        rw_fail(c, i + 1, "no such collation sequence: %s", name);
}

typedef struct col_parse {
    size_t name, type_from, type_to;   /* token indexes */
    bool pk, pk_desc, autoinc, generated;
    int default_class;                 /* D2: storage class of a literal DEFAULT, or 0 */
} col_parse;

/* D2: the storage class (SQLITE_INTEGER..SQLITE_BLOB) of the literal at k, or 0. */
static int literal_class(const rw_ctx *c, size_t k)
{
    if (rw_op(c, k, "-") || rw_op(c, k, "+"))
        k++;
    if (k >= c->n)
        return 0;
    switch (c->t[k].t.type) {
    case LS_TK_INTEGER: return 1;
    case LS_TK_FLOAT: return 2;
    case LS_TK_STRING: return 3;
    case LS_TK_BLOB: return 4;
    default: return 0;
    }
}

/* One column definition at [i, end): fills info, leaves edits; returns SQLITE_OK. */
static int column_def(rw_ctx *c, size_t i, size_t end, ls_ddl_column *info, col_parse *cp,
                      bool table_pk_alias, bool alter)
{
    memset(cp, 0, sizeof *cp);
    cp->name = i;
    if (c->t[i].t.type == LS_TK_STRING) {   /* 'name' is a column name in SQLite */
        char nm[64];
        size_t n = c->t[i].t.len - 2;
        snprintf(nm, sizeof nm, "%.*s", (int)(n < 63 ? n : 63), c->sql + c->t[i].t.off + 1);
        for (char *p = nm; *p; p++)
            *p = rw_lower(*p);
        rw_sb b = {0};
        rw_sb_ident(&b, nm);
        rw_set(c, i, rw_strdup(c, b.p ? b.p : "", b.len), LS_R_QUOTE);
        free(b.p);
        snprintf(info->name, sizeof info->name, "%s", nm);
    } else {
        rw_name(c, i, info->name, sizeof info->name);
        if (c->t[i].t.type == LS_TK_KEYWORD)
            rw_set(c, i, rw_ident(c, i), LS_R_QUOTE);   /* a keyword SQLite accepts as name */
    }
    size_t k = i + 1;
    cp->type_from = k;
    while (k < end && !constraint_word(c, k)) {
        if (rw_op(c, k, "(") && c->t[k].match > 0)
            k = (size_t)c->t[k].match;
        k++;
    }
    cp->type_to = k;
    const char *decl = "";
    size_t dlen = 0;
    if (k > cp->type_from) {
        decl = c->sql + c->t[cp->type_from].t.off;
        const ls_token *z = &c->t[k - 1].t;
        dlen = z->off + z->len - c->t[cp->type_from].t.off;
    }
    snprintf(info->decl, sizeof info->decl, "%.*s", (int)(dlen < 63 ? dlen : 63), decl);
    info->affinity = ls_ddl_affinity(decl, dlen);
    info->pg_type = pg_type(decl, dlen, info->affinity, &info->is_bool);
    /* constraints */
    while (k < end && c->rc == SQLITE_OK) {
        if (rw_kw(c, k, LS_KW_CONSTRAINT)) {
            k += 2;
        } else if (rw_kw(c, k, LS_KW_PRIMARY) && rw_kw(c, k + 1, LS_KW_KEY)) {
            cp->pk = true;
            k += 2;
            if (rw_kw(c, k, LS_KW_ASC) || rw_kw(c, k, LS_KW_DESC)) {
                cp->pk_desc = rw_kw(c, k, LS_KW_DESC);
                rw_skip(c, k, k + 1, LS_R_DROPPED);
                k++;
            }
            k = conflict_clause(c, k);
            if (rw_kw(c, k, LS_KW_AUTOINCREMENT)) {
                cp->autoinc = true;
                rw_skip(c, k, k + 1, LS_R_DDL);
                k++;
            }
        } else if (rw_kw(c, k, LS_KW_NOT) && rw_kw(c, k + 1, LS_KW_NULL)) {
            info->not_null = true;
            k = conflict_clause(c, k + 2);
        } else if (rw_kw(c, k, LS_KW_NULL)) {
            k++;
        } else if (rw_kw(c, k, LS_KW_UNIQUE)) {
            info->unique = true;
            k = conflict_clause(c, k + 1);
        } else if (rw_kw(c, k, LS_KW_CHECK) && rw_op(c, k + 1, "(")) {
            size_t close = (size_t)c->t[k + 1].match;
            rw_expr_rules(c, k + 2, close);
            k = close + 1;
        } else if (rw_kw(c, k, LS_KW_DEFAULT)) {
            k++;
            cp->default_class = literal_class(c, k);
            if (rw_op(c, k, "(") && c->t[k].match > 0) {
                size_t close = (size_t)c->t[k].match;
                rw_expr_rules(c, k + 1, close);
                k = close + 1;
            } else if (rw_op(c, k, "-") || rw_op(c, k, "+")) {
                if (rw_op(c, k, "+"))
                    rw_skip(c, k, k + 1, LS_R_DDL);
                k += 2;
            } else if (c->t[k].t.type == LS_TK_QUOTED_ID || (c->t[k].t.type == LS_TK_ID
                       && !rw_is(c, k, "TRUE") && !rw_is(c, k, "FALSE"))) {
                /* DIALECT T15: DEFAULT "x" (or a bare word) is the string 'x' */
                cp->default_class = 3;
                const char *s = c->sql + c->t[k].t.off;
                size_t n = c->t[k].t.len;
                if (c->t[k].t.type == LS_TK_QUOTED_ID)
                    s++, n -= 2;
                rw_sb b = {0};
                rw_sb_str(&b, "'");
                for (size_t p = 0; p < n; p++)
                    rw_sb_add(&b, s[p] == '\'' ? "''" : s + p, s[p] == '\'' ? 2 : 1);
                rw_sb_str(&b, "'");
                rw_set(c, k, rw_strdup(c, b.p ? b.p : "''", b.len), LS_R_DDL);
                free(b.p);
                k++;
            } else {
                if (info->is_bool && c->t[k].t.type == LS_TK_INTEGER && c->t[k].t.len == 1
                    && (c->sql[c->t[k].t.off] == '0' || c->sql[c->t[k].t.off] == '1'))
                    rw_set(c, k, c->sql[c->t[k].t.off] == '1' ? "true" : "false", LS_R_BOOL);
                else
                    rw_expr_rules(c, k, k + 1);
                k++;
            }
        } else if (rw_kw(c, k, LS_KW_COLLATE)) {
            rw_collate(c, k);
            k += 2;
        } else if (rw_kw(c, k, LS_KW_REFERENCES)) {
            k += 2;
            if (rw_op(c, k, "(") && c->t[k].match > 0)
                k = (size_t)c->t[k].match + 1;
            while (k < end && !constraint_word(c, k)) {
                if (rw_kw(c, k, LS_KW_MATCH)) {   /* parsed and ignored by SQLite */
                    rw_skip(c, k, k + 2, LS_R_DROPPED);
                    k += 2;
                } else {
                    k++;
                }
            }
        } else if (rw_kw(c, k, LS_KW_GENERATED) || rw_kw(c, k, LS_KW_AS)) {
            /* DIALECT T18: PostgreSQL 15 has STORED generated columns only */
            cp->generated = true;
            size_t as = rw_kw(c, k, LS_KW_AS) ? k : k + 2;
            if (!rw_kw(c, as, LS_KW_AS) || !rw_op(c, as + 1, "(") || c->t[as + 1].match < 0)
                return rw_fail(c, k, "malformed generated column");
            if (as == k)
                rw_pre(c, as, "GENERATED ALWAYS ", LS_R_DDL);
            size_t close = (size_t)c->t[as + 1].match;
            rw_expr_rules(c, as + 2, close);
            k = close + 1;
            if (rw_kw(c, k, LS_KW_VIRTUAL) || rw_is(c, k, "STORED")) {
                rw_set(c, k, "STORED", LS_R_DDL);
                k++;
            } else {
                rw_post(c, close, " STORED", LS_R_DDL);
            }
        } else {
            return rw_fail(c, k, "near \"%.*s\": syntax error in column definition",
                           (int)c->t[k].t.len, c->sql + c->t[k].t.off);
        }
    }
    /* DIALECT T4: exactly "INTEGER", PRIMARY KEY not DESC, or the table's PRIMARY KEY(col) */
    bool integer = cp->type_to == cp->type_from + 1 && rw_is(c, cp->type_from, "INTEGER");
    info->rowid_alias = integer && ((cp->pk && !cp->pk_desc) || table_pk_alias);
    info->unique |= cp->pk || table_pk_alias;
    info->autoincrement = cp->autoinc;
    const char *pg = info->rowid_alias ? "bigint GENERATED BY DEFAULT AS IDENTITY"
                                       : info->pg_type;
    if (cp->type_to > cp->type_from) {
        rw_set(c, cp->type_from, pg, LS_R_DDL);
        rw_skip(c, cp->type_from + 1, cp->type_to, LS_R_DDL);
    } else {
        rw_post(c, cp->name, rw_printf(c, " %s", pg), LS_R_DDL);
    }
    /* D2: a column without a type keeps each value's storage class in a smallint column
     * after it, "<name>:class" (SQLITE_INTEGER..SQLITE_BLOB; NULL: unknown, read as text) */
    size_t last = end;
    while (last > i + 1 && (c->t[last - 1].t.type == LS_TK_SEMI || rw_op(c, last - 1, ";")))
        last--;
    if (dlen == 0 && !info->rowid_alias && !cp->generated && last > i
        && strlen(info->name) + sizeof LS_CLASS_SUFFIX - 1 <= 63) {
        rw_sb b = {0};
        rw_sb_str(&b, alter ? ", ADD COLUMN " : ", ");
        rw_sb_class_ref(&b, NULL, info->name, false);
        rw_sb_str(&b, " smallint");
        if (cp->default_class) {
            char d[24];
            snprintf(d, sizeof d, " DEFAULT %d", cp->default_class);
            rw_sb_str(&b, d);
        }
        if (b.oom)
            c->oom = true;
        else
            rw_post(c, last - 1, rw_strdup(c, b.p, b.len), LS_R_TYPELESS);
        free(b.p);
        info->class_col = true;
    }
    return c->rc;
}

/* Items of the parenthesised list at open: start indexes at top level. */
static size_t list_items(const rw_ctx *c, size_t open, size_t *items, size_t cap)
{
    size_t close = (size_t)c->t[open].match, n = 0, i = open + 1;
    if (close == open + 1)
        return 0;
    items[n++] = i;
    while (i < close) {
        if (rw_op(c, i, "(") && c->t[i].match > (int)i) {
            i = (size_t)c->t[i].match + 1;
            continue;
        }
        if (rw_op(c, i, ",") && n < cap)
            items[n++] = i + 1;
        i++;
    }
    return n;
}

static bool table_constraint(const rw_ctx *c, size_t i)
{
    return rw_kw(c, i, LS_KW_CONSTRAINT) || (rw_kw(c, i, LS_KW_PRIMARY) && rw_kw(c, i + 1, LS_KW_KEY))
        || (rw_kw(c, i, LS_KW_UNIQUE) && rw_op(c, i + 1, "(")) || (rw_kw(c, i, LS_KW_CHECK) && rw_op(c, i + 1, "("))
        || (rw_kw(c, i, LS_KW_FOREIGN) && rw_kw(c, i + 1, LS_KW_KEY));
}

static int create_table(rw_ctx *c, size_t i, ls_ddl_result *ddl)
{
    /* i: the TABLE keyword */
    size_t k = i + 1;
    if (rw_kw(c, k, LS_KW_IF))
        k += 3;
    size_t name = k;
    while (rw_op(c, name + 1, ".") && name + 2 < c->n)
        name += 2;
    if (ddl)
        rw_name(c, name, ddl->table, sizeof ddl->table);
    k = name + 1;
    if (rw_kw(c, k, LS_KW_AS))
        return rw_query(c, k + 1);
    if (!rw_op(c, k, "(") || c->t[k].match < 0)
        return rw_fail(c, k, "incomplete input: CREATE TABLE needs a column list");
    size_t open = k, close = (size_t)c->t[open].match;
    /* table options: WITHOUT ROWID, STRICT (DIALECT T17) */
    bool without_rowid = false;
    for (size_t o = close + 1; o < c->n; o++) {
        if (rw_kw(c, o, LS_KW_WITHOUT) && rw_is(c, o + 1, "ROWID"))
            without_rowid = true;
        else if (rw_is(c, o, "STRICT") && ddl)
            ddl->strict = true;
    }
    if (close + 1 < c->n)
        rw_skip(c, close + 1, c->n, LS_R_DROPPED);
    if (ddl)
        ddl->without_rowid = without_rowid;
    size_t *items = malloc(sizeof *items * (MAX_COLS + 64));
    if (!items)
        return SQLITE_NOMEM;
    size_t n = list_items(c, open, items, MAX_COLS + 64);
    size_t n_cols = 0;
    while (n_cols < n && !table_constraint(c, items[n_cols]))
        n_cols++;
    /* a table-level PRIMARY KEY(col) on one column: that column may be the rowid alias */
    char pk_col[64] = "";
    for (size_t m = n_cols; m < n; m++) {
        size_t t = items[m];
        if (rw_kw(c, t, LS_KW_CONSTRAINT))
            t += 2;
        if (rw_kw(c, t, LS_KW_PRIMARY) && rw_op(c, t + 2, "(")) {
            size_t o = t + 2, cl = (size_t)c->t[o].match;
            size_t e = o + 2;
            if (rw_kw(c, e, LS_KW_ASC) || rw_kw(c, e, LS_KW_DESC))
                e++;
            if (e == cl)
                rw_name(c, o + 1, pk_col, sizeof pk_col);
        }
    }
    ls_ddl_column *cols = calloc(n_cols ? n_cols : 1, sizeof *cols);
    if (!cols) {
        free(items);
        return SQLITE_NOMEM;
    }
    int rc = SQLITE_OK;
    for (size_t m = 0; m < n_cols && rc == SQLITE_OK; m++) {
        size_t end = m + 1 < n ? items[m + 1] - 1 : close;
        col_parse cp;
        char nm[64];
        rw_name(c, items[m], nm, sizeof nm);
        rc = column_def(c, items[m], end, &cols[m], &cp, pk_col[0] && !strcmp(pk_col, nm),
                        false);
        if (without_rowid && cols[m].rowid_alias) {
            /* no rowid: an INTEGER PRIMARY KEY is an ordinary key */
            cols[m].rowid_alias = false;
            rw_set(c, cp.type_from, "bigint", LS_R_DDL);
        }
        if (cp.autoinc && !cols[m].rowid_alias)
            rc = rw_fail(c, items[m], "AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY");
    }
    for (size_t m = n_cols; m < n && rc == SQLITE_OK; m++) {
        size_t t = items[m], end = m + 1 < n ? items[m + 1] - 1 : close;
        if (rw_kw(c, t, LS_KW_CONSTRAINT))
            t += 2;
        if ((rw_kw(c, t, LS_KW_PRIMARY) || rw_kw(c, t, LS_KW_UNIQUE))) {
            size_t o = rw_kw(c, t, LS_KW_PRIMARY) ? t + 2 : t + 1;
            if (rw_op(c, o, "(") && c->t[o].match > 0) {
                key_list(c, o);
                size_t after = conflict_clause(c, (size_t)c->t[o].match + 1);
                if (rw_kw(c, after, LS_KW_AUTOINCREMENT))
                    rw_fail(c, after, "AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY");
            }
        } else if (rw_kw(c, t, LS_KW_CHECK)) {
            rw_expr_rules(c, t + 2, (size_t)c->t[t + 1].match);
        } else if (rw_kw(c, t, LS_KW_FOREIGN)) {
            for (size_t q = t; q < end; q++)
                if (rw_kw(c, q, LS_KW_MATCH))
                    rw_skip(c, q, q + 2, LS_R_DROPPED);
        }
        rc = c->rc;
    }
    free(items);
    /* DIALECT T7: a table without INTEGER PRIMARY KEY still has a rowid; PostgreSQL gets it
     * as a last identity column, hidden from * and from INSERT without a column list.  It is
     * UNIQUE, as SQLite's rowid is its table's key: a rowid given twice fails instead of
     * making two rows answer to it, and WHERE rowid = ? reads an index, not every row */
    bool has_alias = false, named_rowid = false;
    for (size_t m = 0; m < n_cols; m++) {
        has_alias |= cols[m].rowid_alias;
        named_rowid |= !strcmp(cols[m].name, "rowid") || !strcmp(cols[m].name, "_rowid_")
                       || !strcmp(cols[m].name, "oid");
    }
    if (rc == SQLITE_OK && !without_rowid && !has_alias && !named_rowid) {
        rw_pre(c, close, ", \"" LS_HIDDEN_ROWID "\" bigint GENERATED BY DEFAULT AS IDENTITY UNIQUE",
               LS_R_ROWID);
        if (ddl)
            ddl->hidden_rowid = true;
    }
    if (rc == SQLITE_OK)
        rw_late_rules(c, 0, c->n);
    if (rc == SQLITE_OK && ddl) {
        ddl->cols = cols;
        ddl->n_cols = n_cols;
    } else {
        free(cols);
    }
    return rc != SQLITE_OK ? rc : c->rc;
}

static int create_index(rw_ctx *c, size_t i)
{
    size_t on = i + 1;
    while (on < c->n && !rw_kw(c, on, LS_KW_ON))
        on++;
    size_t open = on + 2;
    while (rw_op(c, open, ".") && open + 2 < c->n)
        open += 2;
    if (!rw_op(c, open, "(") || c->t[open].match < 0)
        return rw_fail(c, open, "incomplete input: CREATE INDEX needs a column list");
    for (size_t k = i + 1; k < on; k++)   /* CREATE INDEX main.i: no schema on an index name */
        if (rw_is(c, k, "main") && rw_op(c, k + 1, "."))
            rw_skip(c, k, k + 2, LS_R_DROPPED);
    size_t close = (size_t)c->t[open].match;
    size_t items[256];
    size_t n = list_items(c, open, items, 256);
    rw_expr_rules(c, open + 1, close);
    for (size_t m = 0; m < n && m < 256; m++) {
        size_t s = items[m], e = m + 1 < n ? items[m + 1] - 1 : close;
        size_t x = e;   /* end of the expression: before COLLATE/ASC/DESC */
        bool desc = false;
        if (rw_kw(c, x - 1, LS_KW_ASC) || rw_kw(c, x - 1, LS_KW_DESC)) {
            desc = rw_kw(c, x - 1, LS_KW_DESC);
            x--;
        }
        if (x >= 2 && rw_kw(c, x - 2, LS_KW_COLLATE)) {
            rw_collate(c, x - 2);
            x -= 2;
        }
        bool simple = (x == s + 1 && rw_is_name(c, s))
                   || (rw_is_name(c, s) && rw_op(c, s + 1, "(") && c->t[s + 1].match == (int)x - 1
                       && !c->t[s].repl);
        if (!simple) {   /* PostgreSQL wants an expression in parentheses */
            rw_pre(c, s, "(", LS_R_DDL);
            rw_post(c, x - 1, ")", LS_R_DDL);
        }
        rw_post(c, e - 1, desc ? " NULLS LAST" : " NULLS FIRST", LS_R_NULLS);
    }
    if (rw_kw(c, close + 1, LS_KW_WHERE))
        rw_expr_rules(c, close + 2, c->n);   /* partial index keeps its WHERE */
    rw_late_rules(c, 0, c->n);
    return c->rc;
}

/* SQLite views are read-only (without INSTEAD OF triggers, which are not translated); a
 * simple PostgreSQL view is automatically updatable, so DELETE FROM v would succeed.  A
 * top-level LIMIT ALL changes no result and makes the view not automatically updatable
 * ("cannot delete from view"): added unless the body has a LIMIT already. */
static void read_only_view(rw_ctx *c, size_t from)
{
    size_t last = c->n;
    for (size_t k = from; k < c->n; k++) {
        if (c->t[k].depth == 0 && rw_kw(c, k, LS_KW_LIMIT))
            return;
        if (!rw_op(c, k, ";"))
            last = k;
    }
    if (last < c->n)
        rw_post(c, last, " LIMIT ALL", LS_R_DDL);
}

/* The schema's column of the table whose name token is last, or NULL. */
static const ls_rw_column *table_column(const rw_ctx *c, size_t last, size_t col)
{
    char tname[64], cname[64];
    if (!rw_name(c, last, tname, sizeof tname) || !rw_name(c, col, cname, sizeof cname))
        return NULL;
    const ls_rw_table *t = rw_lookup(c, last, tname);
    for (size_t k = 0; t && k < t->n_cols; k++)
        if (!strcmp(t->cols[k].name, cname))
            return &t->cols[k];
    return NULL;
}

/*
 * D2: ALTER TABLE t RENAME [COLUMN] a TO b and DROP [COLUMN] a, where the schema says a was
 * declared without a type (has_class), take its class column "a:class" along.  DROP adds
 * ", DROP COLUMN "a:class"" to the same statement; PostgreSQL renames one column per ALTER
 * TABLE, so RENAME becomes CALL liteshift.rename_column(table, a, b), which renames both
 * (compat/sql/50_master.sql).  k is the RENAME or DROP, last the table name's last token.
 * Other columns, an unknown table and RENAME TO keep PostgreSQL's own statement.
 * tests/cases/ddl.case ddl-069..; tests/integration/py/alter_class.py.
 */
static int alter_classed(rw_ctx *c, size_t last, size_t k)
{
    size_t col = k + 1;
    if (rw_kw(c, col, LS_KW_COLUMN))
        col++;
    if (rw_kw(c, k, LS_KW_RENAME) && (rw_kw(c, k + 1, LS_KW_TO) || !rw_kw(c, col + 1, LS_KW_TO)))
        return SQLITE_OK;   /* RENAME TO: the table */
    const ls_rw_column *cd = table_column(c, last, col);
    if (!cd || !cd->has_class)
        return SQLITE_OK;
    char old[64], cls[80];
    rw_name(c, col, old, sizeof old);
    snprintf(cls, sizeof cls, "%s" LS_CLASS_SUFFIX, old);
    rw_sb b = {0};
    if (rw_kw(c, k, LS_KW_DROP)) {
        rw_sb_str(&b, ", DROP COLUMN ");
        rw_sb_ident(&b, cls);
        if (!b.oom)
            rw_post(c, col, rw_strdup(c, b.p, b.len), LS_R_TYPELESS);
    } else {
        char new[64];
        if (!rw_name(c, col + 2, new, sizeof new))
            return rw_fail(c, col + 2, "incomplete input: RENAME COLUMN needs a new name");
        if (strlen(new) + sizeof LS_CLASS_SUFFIX - 1 > 63)
            return rw_fail(c, col + 2, "RENAME COLUMN %s: its new name may have at most %d bytes "
                           "on PostgreSQL (a column without a type keeps its classes in "
                           "\"<name>" LS_CLASS_SUFFIX "\")", old,
                           (int)(63 - (sizeof LS_CLASS_SUFFIX - 1)));
        if (col + 3 < c->n && !rw_op(c, col + 3, ";"))
            return SQLITE_OK;   /* not the statement's end: left for the server to refuse */
        /* each name a string literal: the table as the statement names it, rendered with
         * its main./temp. edits, and the canonical column names */
        const char *texts[3] = { rw_render(c, 2, last + 1), old, new };
        rw_sb_str(&b, "CALL " LS_COMPAT_SCHEMA ".rename_column(");
        for (int q = 0; q < 3; q++) {
            rw_sb_str(&b, q ? ", '" : "'");
            for (const char *p = texts[q]; *p; p++)
                rw_sb_add(&b, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1);
            rw_sb_str(&b, "'");
        }
        rw_sb_str(&b, ")");
        if (!b.oom) {
            rw_set(c, 0, rw_strdup(c, b.p, b.len), LS_R_TYPELESS);
            rw_skip(c, 1, c->n, LS_R_TYPELESS);
        }
    }
    if (b.oom)
        c->oom = true;
    free(b.p);
    return c->rc;
}

int rw_ddl(rw_ctx *c, ls_ddl_result *ddl)
{
    c->rules |= LS_R_DDL;
    if (rw_kw(c, 0, LS_KW_DROP)) {
        if (rw_kw(c, 1, LS_KW_TRIGGER))
            return rw_fail(c, 1, "DROP TRIGGER needs the trigger's table (not supported yet)");
        if (!rw_kw(c, 1, LS_KW_TABLE) && !rw_kw(c, 1, LS_KW_VIEW) && !rw_kw(c, 1, LS_KW_INDEX))
            return rw_fail(c, 1, "near \"%.*s\": syntax error", c->n > 1 ? (int)c->t[1].t.len : 0,
                           c->n > 1 ? c->sql + c->t[1].t.off : "");
        if (rw_kw(c, 1, LS_KW_VIEW) && rw_drop_view(c))
            return SQLITE_OK;   /* views built on it stay, broken, as in SQLite */
        for (size_t k = 2; k + 1 < c->n; k++)
            if (rw_is(c, k, "main") && rw_op(c, k + 1, "."))
                rw_main_schema(c, k, LS_R_DROPPED);
            else if (rw_kw(c, k, LS_KW_TEMP) && rw_op(c, k + 1, "."))
                rw_set(c, k, "pg_temp", LS_R_DROPPED);   /* S33: temp is pg_temp */
        return SQLITE_OK;
    }
    if (rw_kw(c, 0, LS_KW_ALTER)) {
        if (!rw_kw(c, 1, LS_KW_TABLE))
            return rw_fail(c, 1, "near \"ALTER\": syntax error");
        size_t k = 2;
        if (rw_kw(c, k, LS_KW_TEMP) && rw_op(c, k + 1, "."))
            rw_set(c, k, "pg_temp", LS_R_DROPPED);   /* S33: temp is pg_temp */
        else if (rw_is(c, k, "main") && rw_op(c, k + 1, "."))
            rw_main_schema(c, k, LS_R_DROPPED);      /* main is the app's schema */
        while (rw_op(c, k + 1, ".") && k + 2 < c->n)
            k += 2;
        k++;
        if (rw_kw(c, k, LS_KW_ADD)) {
            size_t col = k + 1;
            if (rw_kw(c, col, LS_KW_COLUMN))
                col++;
            else
                rw_post(c, k, " COLUMN", LS_R_DDL);
            ls_ddl_column info;
            col_parse cp;
            memset(&info, 0, sizeof info);
            return column_def(c, col, c->n, &info, &cp, false, true);
        }
        if (rw_kw(c, k, LS_KW_RENAME) || rw_kw(c, k, LS_KW_DROP))
            return alter_classed(c, k - 1, k);
        return SQLITE_OK;   /* RENAME TO, RENAME [COLUMN] a TO b, DROP [COLUMN] x (T21) */
    }
    /* CREATE: main. before the object's name is the app's schema, temp. is pg_temp (DIALECT
     * S33), where PostgreSQL makes a temp table or view; an index is made in its table's
     * schema and takes none before its name */
    bool index = false, on = false;   /* a body after AS is rw_query's (main.x a column) */
    for (size_t q = 1; q + 1 < c->n && !rw_op(c, q, "(") && !rw_kw(c, q, LS_KW_AS); q++) {
        index = index || rw_kw(c, q, LS_KW_INDEX);
        on = on || rw_kw(c, q, LS_KW_ON);
        if (rw_is(c, q, "main") && rw_op(c, q + 1, ".") && index && !on)
            rw_skip(c, q, q + 2, LS_R_DROPPED);   /* an index takes its table's schema */
        else if (rw_is(c, q, "main") && rw_op(c, q + 1, "."))
            rw_main_schema(c, q, LS_R_DROPPED);
        else if (rw_kw(c, q, LS_KW_TEMP) && rw_op(c, q + 1, ".") && index && !on)
            rw_skip(c, q, q + 2, LS_R_DROPPED);
        else if (rw_kw(c, q, LS_KW_TEMP) && rw_op(c, q + 1, "."))
            rw_set(c, q, "pg_temp", LS_R_DROPPED);
    }
    size_t k = 1;
    if (rw_kw(c, k, LS_KW_TEMP) || rw_kw(c, k, LS_KW_TEMPORARY))
        k++;
    if (rw_kw(c, k, LS_KW_UNIQUE))
        k++;
    if (rw_kw(c, k, LS_KW_VIRTUAL)) {
        size_t u = k;
        while (u < c->n && !rw_kw(c, u, LS_KW_USING))
            u++;
        char mod[32] = "";
        rw_name(c, u + 1, mod, sizeof mod);
        return rw_fail(c, k, "CREATE VIRTUAL TABLE ... USING %s has no PostgreSQL equivalent",
                       mod[0] ? mod : "?");
    }
    if (rw_kw(c, k, LS_KW_TRIGGER))
        return rw_fail(c, k, "CREATE TRIGGER is not supported yet (needs a PL/pgSQL function)");
    if (rw_kw(c, k, LS_KW_TABLE))
        return create_table(c, k, ddl);
    if (rw_kw(c, k, LS_KW_INDEX))
        return create_index(c, k);
    if (rw_kw(c, k, LS_KW_VIEW)) {
        size_t as = k + 1;
        if (rw_kw(c, as, LS_KW_IF))
            return rw_fail(c, as, "CREATE VIEW IF NOT EXISTS has no PostgreSQL equivalent");
        while (as < c->n && !rw_kw(c, as, LS_KW_AS))
            as++;
        int rc = rw_query(c, as + 1);
        if (rc == SQLITE_OK)
            read_only_view(c, as + 1);
        return rc;
    }
    return rw_fail(c, k, "near \"%.*s\": syntax error", k < c->n ? (int)c->t[k].t.len : 0,
                   k < c->n ? c->sql + c->t[k].t.off : "");
}

void ls_ddl_result_clear(ls_ddl_result *res)
{
    if (!res)
        return;
    free(res->sql);
    free(res->cols);
    memset(res, 0, sizeof *res);
}

/*
 * Translate one DDL statement for the copy tool; the shim reaches the same rw_ddl through
 * ls_rw_rewrite, so both write identical PostgreSQL DDL.  Returns SQLITE_OK with *out
 * filled (release with ls_ddl_result_clear), or an error code with err set.
 * tests/unit/test_ddl.c, tests/cases/ddl*.case.
 */
int ls_ddl_translate(const char *sql, size_t len, ls_ddl_result *out, ls_err *err)
{
    rw_ctx c;
    ls_rw_result res;
    memset(out, 0, sizeof *out);
    memset(&res, 0, sizeof res);
    if (err) {
        err->code = SQLITE_OK;
        err->offset = 0;
        err->msg[0] = '\0';
    }
    int rc = rw_ctx_init(&c, sql, len, NULL, &res, err);
    if (rc == SQLITE_OK && !(rw_kw(&c, 0, LS_KW_CREATE) || rw_kw(&c, 0, LS_KW_ALTER)
                             || rw_kw(&c, 0, LS_KW_DROP)))
        rc = rw_fail(&c, 0, "not a CREATE, ALTER or DROP statement");
    if (rc == SQLITE_OK)
        rc = rw_ddl(&c, out);
    if (rc == SQLITE_OK)
        rc = rw_emit(&c, &out->sql, &out->len);
    if (rc == SQLITE_NOMEM)
        ls_err_set(err, SQLITE_NOMEM, 0, "out of memory");
    rw_ctx_clear(&c);
    ls_rw_result_clear(&res);
    if (rc != SQLITE_OK)
        ls_ddl_result_clear(out);
    return rc;
}
