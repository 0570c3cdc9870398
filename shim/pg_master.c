/* SPDX-License-Identifier: MIT
 *
 * The original SQLite DDL text of what the app creates, kept in liteshift.master (the
 * compat pack's table, compat/sql/00_core.sql) so that sqlite_master and the catalog
 * PRAGMAs answer with the app's own text, as SQLite does.  After a CREATE TABLE/INDEX/
 * VIEW/TRIGGER succeeded on the server the text is recorded; DROP removes the object (a
 * table takes its indexes and triggers with it); ALTER TABLE ... RENAME TO renames it and
 * ALTER TABLE ... ADD COLUMN appends the column to the recorded text, as SQLite rewrites
 * its own.  Recording is best effort: a failure (no pack installed) is logged and never
 * fails the app's statement.  Costs one round trip per DDL statement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "log.h"

/* See pg.h. */
bool ls_ddl_next_tok(const char *sql, size_t len, size_t *pos, ls_token *t)
{
    while (*pos < len) {
        size_t n = ls_tok_next(sql + *pos, len - *pos, t);
        t->off = (uint32_t)*pos;
        *pos += n;
        if (t->type != LS_TK_SPACE && t->type != LS_TK_COMMENT)
            return true;
    }
    return false;
}

static bool is_kw(const ls_token *t, int kw)
{
    return t->type == LS_TK_KEYWORD && t->kw == kw;
}

/* "table", "index", "view" or "trigger" for the keyword after CREATE/DROP, else NULL. */
static const char *object_kind(const ls_token *t)
{
    return is_kw(t, LS_KW_TABLE) ? "table" : is_kw(t, LS_KW_INDEX) ? "index"
         : is_kw(t, LS_KW_VIEW) ? "view" : is_kw(t, LS_KW_TRIGGER) ? "trigger" : NULL;
}

/* See pg.h. */
bool ls_ddl_name(const char *sql, const ls_token *t, char *out, size_t cap)
{
    const char *s = sql + t->off;
    size_t n = t->len;
    if (t->type == LS_TK_QUOTED_ID || t->type == LS_TK_STRING) {
        s++;
        n -= 2;
    } else if (t->type != LS_TK_ID && t->type != LS_TK_KEYWORD) {
        return false;
    }
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        out[k++] = s[i];
        if ((t->type == LS_TK_QUOTED_ID || t->type == LS_TK_STRING) && i + 1 < n &&
            s[i] == s[i + 1] && (s[i] == '"' || s[i] == '\'' || s[i] == '`'))
            i++;   /* doubled quote */
    }
    out[k] = '\0';
    return k > 0;
}

/* A possibly schema-qualified name: the last part into out. */
static bool qualified_name(const char *sql, size_t len, size_t *pos, ls_token *t, char *out,
                           size_t cap)
{
    if (!ls_ddl_name(sql, t, out, cap))
        return false;
    size_t save = *pos;
    ls_token dot;
    if (ls_ddl_next_tok(sql, len, pos, &dot) && dot.type == LS_TK_OPERATOR && dot.len == 1 &&
        sql[dot.off] == '.') {
        if (!ls_ddl_next_tok(sql, len, pos, t) || !ls_ddl_name(sql, t, out, cap))
            return false;
    } else {
        *pos = save;
    }
    return true;
}

typedef struct {
    const char *type;
    char name[256];
    char tbl[256];
    char extra[256];   /* RENAME TO: the new name */
    enum { M_NONE, M_CREATE, M_DROP, M_RENAME, M_ADDCOL } op;
    bool temp;         /* CREATE TEMP ... */
    size_t coldef;     /* ADD COLUMN: offset of the column definition */
} ddl_info;

static void parse(const char *sql, size_t len, ddl_info *d)
{
    size_t pos = 0;
    ls_token t;
    memset(d, 0, sizeof *d);
    if (!ls_ddl_next_tok(sql, len, &pos, &t))
        return;
    if (is_kw(&t, LS_KW_CREATE)) {
        if (!ls_ddl_next_tok(sql, len, &pos, &t))
            return;
        if (is_kw(&t, LS_KW_TEMP) || is_kw(&t, LS_KW_TEMPORARY) || is_kw(&t, LS_KW_UNIQUE)) {
            d->temp = !is_kw(&t, LS_KW_UNIQUE);
            if (!ls_ddl_next_tok(sql, len, &pos, &t))
                return;
        }
        d->type = object_kind(&t);
        if (!d->type || !ls_ddl_next_tok(sql, len, &pos, &t))
            return;
        if (is_kw(&t, LS_KW_IF)) {   /* IF NOT EXISTS */
            if (!ls_ddl_next_tok(sql, len, &pos, &t) || !ls_ddl_next_tok(sql, len, &pos, &t) ||
                !ls_ddl_next_tok(sql, len, &pos, &t))
                return;
        }
        if (!qualified_name(sql, len, &pos, &t, d->name, sizeof d->name))
            return;
        snprintf(d->tbl, sizeof d->tbl, "%s", d->name);
        if (!strcmp(d->type, "index") || !strcmp(d->type, "trigger")) {
            /* the table follows the first top-level ON */
            int depth = 0;
            for (;;) {
                if (!ls_ddl_next_tok(sql, len, &pos, &t))
                    return;
                if (t.type == LS_TK_OPERATOR && sql[t.off] == '(')
                    depth++;
                else if (t.type == LS_TK_OPERATOR && sql[t.off] == ')')
                    depth--;
                else if (depth == 0 && is_kw(&t, LS_KW_ON))
                    break;
            }
            if (!ls_ddl_next_tok(sql, len, &pos, &t) ||
                !qualified_name(sql, len, &pos, &t, d->tbl, sizeof d->tbl))
                return;
        }
        d->op = M_CREATE;
    } else if (is_kw(&t, LS_KW_DROP)) {
        if (!ls_ddl_next_tok(sql, len, &pos, &t))
            return;
        d->type = object_kind(&t);
        if (!d->type || !ls_ddl_next_tok(sql, len, &pos, &t))
            return;
        if (is_kw(&t, LS_KW_IF) &&
            (!ls_ddl_next_tok(sql, len, &pos, &t) || !ls_ddl_next_tok(sql, len, &pos, &t)))
            return;
        if (qualified_name(sql, len, &pos, &t, d->name, sizeof d->name))
            d->op = M_DROP;
    } else if (is_kw(&t, LS_KW_ALTER)) {
        if (!ls_ddl_next_tok(sql, len, &pos, &t) || !is_kw(&t, LS_KW_TABLE) ||
            !ls_ddl_next_tok(sql, len, &pos, &t) ||
            !qualified_name(sql, len, &pos, &t, d->name, sizeof d->name) ||
            !ls_ddl_next_tok(sql, len, &pos, &t))
            return;
        d->type = "table";
        if (is_kw(&t, LS_KW_RENAME)) {
            if (!ls_ddl_next_tok(sql, len, &pos, &t) || !is_kw(&t, LS_KW_TO) ||
                !ls_ddl_next_tok(sql, len, &pos, &t) || !ls_ddl_name(sql, &t, d->extra, sizeof d->extra))
                return;   /* RENAME COLUMN keeps the names; its text is left as it was */
            d->op = M_RENAME;
        } else if (is_kw(&t, LS_KW_ADD)) {
            size_t save = pos;
            if (!ls_ddl_next_tok(sql, len, &pos, &t))
                return;
            if (!is_kw(&t, LS_KW_COLUMN))
                pos = save;
            while (pos < len && (sql[pos] == ' ' || sql[pos] == '\t' || sql[pos] == '\n' ||
                                 sql[pos] == '\r'))
                pos++;
            d->coldef = pos;
            d->op = M_ADDCOL;
        }
    }
}

/* See pg.h. */
void ls_pg_master_record(ls_pgconn *c, const char *sql, size_t len)
{
    ddl_info d;
    parse(sql, len, &d);
    bool skipped = c->ddl_skipped;
    c->ddl_skipped = false;
    if (d.op == M_NONE)
        return;
    /* a table or view made in a database file this process created (pg_files.c) */
    bool track = c->dbfile && d.op == M_CREATE && !d.temp && !skipped &&
                 (!strcmp(d.type, "table") || !strcmp(d.type, "view"));
    if (d.op == M_DROP && (!strcmp(d.type, "table") || !strcmp(d.type, "view")))
        ls_files_untrack(c->dbfile, d.name, NULL);
    else if (d.op == M_RENAME)
        ls_files_untrack(c->dbfile, d.name, d.extra);
    /* the statement's own text, without a trailing ';' and space */
    while (len && (sql[len - 1] == ';' || sql[len - 1] == ' ' || sql[len - 1] == '\n' ||
                   sql[len - 1] == '\t' || sql[len - 1] == '\r'))
        len--;
    char *text = strndup(sql, len);
    if (!text)
        return;
    const char *q = NULL;
    const char *p[4] = { d.type, d.name, d.tbl, text };
    int np = 0;
    switch (d.op) {
    case M_CREATE:
        q = "INSERT INTO " LS_COMPAT_SCHEMA ".master VALUES (current_schema(), $1, $2, $3, $4) "
            "ON CONFLICT (schemaname, type, name) DO UPDATE SET tbl_name = excluded.tbl_name, "
            "sql = excluded.sql RETURNING schemaname";
        np = 4;
        break;
    case M_DROP:
        q = "DELETE FROM " LS_COMPAT_SCHEMA ".master WHERE schemaname = current_schema() AND "
            "(lower(name) = lower($2) AND type = $1 OR $1 = 'table' AND lower(tbl_name) = "
            "lower($2))";
        np = 2;
        break;
    case M_RENAME:
        p[2] = d.extra;
        q = "UPDATE " LS_COMPAT_SCHEMA ".master SET "
            "name = CASE WHEN type = 'table' THEN $3 ELSE name END, tbl_name = $3, "
            "sql = CASE WHEN type = 'table' THEN regexp_replace(sql, "
            "'^(\\s*CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?)"
            "(\"[^\"]*\"|\\[[^]]*\\]|`[^`]*`|[^\\s(]+)', '\\1\"' || replace($3, '\"', '\"\"') "
            "|| '\"', 'i') ELSE sql END "
            "WHERE schemaname = current_schema() AND lower(tbl_name) = lower($2) AND $1 = 'table'";
        np = 3;
        break;
    case M_ADDCOL:
        p[2] = text + d.coldef;
        q = "UPDATE " LS_COMPAT_SCHEMA ".master SET sql = regexp_replace(sql, '\\)(\\s*"
            "(WITHOUT\\s+ROWID|STRICT|,|\\s)*)$', ', ' || $3 || ')\\1', 'i') "
            "WHERE schemaname = current_schema() AND type = $1 AND lower(name) = lower($2)";
        np = 3;
        break;
    default:
        break;
    }
    PGresult *rows = NULL;
    char err[512];
    if (ls_pg_side_query(c, q, np, p, &rows, err, sizeof err) != SQLITE_OK || err[0])
        ls_log(LS_LOG_WARN, c->id, "liteshift.master not updated for %s %s: %s", d.type, d.name,
               err[0] ? err : "no connection");
    if (rows && track && PQntuples(rows) == 1)
        ls_files_track(c->dbfile, PQgetvalue(rows, 0, 0), d.name, !strcmp(d.type, "view"));
    PQclear(rows);
    free(text);
}
