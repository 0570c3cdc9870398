/* SPDX-License-Identifier: MIT
 *
 * The original SQLite DDL text of what the app creates, kept in liteshift.master (the
 * compat pack's table, compat/sql/00_core.sql) so that sqlite_master and the catalog
 * PRAGMAs answer with the app's own text, as SQLite does.  After a CREATE TABLE/INDEX/
 * VIEW/TRIGGER succeeded on the server the text is recorded; DROP removes the object (a
 * table takes its indexes and triggers with it); ALTER TABLE ... RENAME TO renames it,
 * ALTER TABLE ... ADD COLUMN appends the column to the recorded text, and RENAME COLUMN and
 * DROP COLUMN rewrite it and its indexes' (liteshift.master_alter_column), as SQLite rewrites
 * its own.  Recording is best effort: a failure (no pack installed) is logged and never
 * fails the app's statement.  Outside a transaction the change goes in the DDL's own
 * pipeline and implicit transaction (pg_exec.c), at no extra round trip; inside one it
 * costs a round trip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* A possibly schema-qualified name: the last part into out, the schema (or "") into qual
 * when qual is not NULL, the offset of the last part's token into *off. */
static bool qualified_name(const char *sql, size_t len, size_t *pos, ls_token *t, char *out,
                           size_t cap, char *qual, size_t qcap, size_t *off)
{
    if (!ls_ddl_name(sql, t, out, cap))
        return false;
    if (qual)
        qual[0] = '\0';
    if (off)
        *off = t->off;
    size_t save = *pos;
    ls_token dot;
    if (ls_ddl_next_tok(sql, len, pos, &dot) && ls_ddl_is_op(sql, &dot, '.')) {
        if (qual)
            snprintf(qual, qcap, "%s", out);
        if (!ls_ddl_next_tok(sql, len, pos, t) || !ls_ddl_name(sql, t, out, cap))
            return false;
        if (off)
            *off = t->off;
    } else {
        *pos = save;
    }
    return true;
}

typedef ls_master_op ddl_info;

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
            d->unique = is_kw(&t, LS_KW_UNIQUE);
            if (!ls_ddl_next_tok(sql, len, &pos, &t))
                return;
        }
        d->type = object_kind(&t);
        if (!d->type || !ls_ddl_next_tok(sql, len, &pos, &t))
            return;
        if (is_kw(&t, LS_KW_IF)) {   /* IF NOT EXISTS */
            d->if_not_exists = true;
            if (!ls_ddl_next_tok(sql, len, &pos, &t) || !ls_ddl_next_tok(sql, len, &pos, &t) ||
                !ls_ddl_next_tok(sql, len, &pos, &t))
                return;
        }
        if (!qualified_name(sql, len, &pos, &t, d->name, sizeof d->name, d->qual,
                            sizeof d->qual, &d->name_off))
            return;
        d->temp = d->temp || strcasecmp(d->qual, "temp") == 0;
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
                !qualified_name(sql, len, &pos, &t, d->tbl, sizeof d->tbl, NULL, 0, NULL))
                return;
        }
        d->op = M_CREATE;
    } else if (is_kw(&t, LS_KW_DROP)) {
        if (!ls_ddl_next_tok(sql, len, &pos, &t))
            return;
        d->type = object_kind(&t);
        if (!d->type || !ls_ddl_next_tok(sql, len, &pos, &t))
            return;
        if (is_kw(&t, LS_KW_IF)) {   /* IF EXISTS */
            d->if_exists = true;
            if (!ls_ddl_next_tok(sql, len, &pos, &t) || !ls_ddl_next_tok(sql, len, &pos, &t))
                return;
        }
        if (qualified_name(sql, len, &pos, &t, d->name, sizeof d->name, d->qual,
                           sizeof d->qual, NULL))
            d->op = M_DROP;
    } else if (is_kw(&t, LS_KW_ALTER)) {
        if (!ls_ddl_next_tok(sql, len, &pos, &t) || !is_kw(&t, LS_KW_TABLE) ||
            !ls_ddl_next_tok(sql, len, &pos, &t) ||
            !qualified_name(sql, len, &pos, &t, d->name, sizeof d->name, d->qual,
                            sizeof d->qual, NULL) ||
            !ls_ddl_next_tok(sql, len, &pos, &t))
            return;
        d->type = "table";
        if (is_kw(&t, LS_KW_RENAME)) {
            if (!ls_ddl_next_tok(sql, len, &pos, &t))
                return;
            if (!is_kw(&t, LS_KW_TO)) {
                /* RENAME [COLUMN] old TO new: the recorded text follows (55_alter.sql) */
                if (is_kw(&t, LS_KW_COLUMN) && !ls_ddl_next_tok(sql, len, &pos, &t))
                    return;
                if (!ls_ddl_name(sql, &t, d->col, sizeof d->col) ||
                    !ls_ddl_next_tok(sql, len, &pos, &t) || !is_kw(&t, LS_KW_TO) ||
                    !ls_ddl_next_tok(sql, len, &pos, &t) ||
                    !ls_ddl_name(sql, &t, d->extra, sizeof d->extra))
                    return;
                d->new_quoted = t.type != LS_TK_ID && t.type != LS_TK_KEYWORD;
                d->op = M_RENAMECOL;
                return;
            }
            if (!ls_ddl_next_tok(sql, len, &pos, &t) || !ls_ddl_name(sql, &t, d->extra, sizeof d->extra))
                return;
            d->op = M_RENAME;
        } else if (is_kw(&t, LS_KW_DROP)) {
            if (!ls_ddl_next_tok(sql, len, &pos, &t))
                return;
            if (is_kw(&t, LS_KW_COLUMN) && !ls_ddl_next_tok(sql, len, &pos, &t))
                return;
            if (ls_ddl_name(sql, &t, d->col, sizeof d->col))
                d->op = M_DROPCOL;
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
bool ls_ddl_conditional(const char *sql, size_t len)
{
    ddl_info d;
    parse(sql, len, &d);
    return d.if_not_exists || d.if_exists;
}

/* See pg.h.  CREATE VIEW and CREATE TRIGGER are left out because their bodies are queries
 * the rewriter reads the schema for (star expansion, the rowid column, booleans), and in a
 * script the schema they need may be made by an earlier statement, not run yet when the
 * whole script is prepared; CREATE TABLE ... AS SELECT for the same reason; DROP TRIGGER
 * because the rewriter refuses it; CREATE TEMP because whether the statements after it
 * write TEMP objects only (and take no write lock, D11) depends on it having run. */
bool ls_ddl_script_kind(const char *sql, size_t len)
{
    ddl_info d;
    parse(sql, len, &d);
    if (d.op == M_DROP)
        return strcmp(d.type, "trigger") != 0;
    if (d.op != M_CREATE || d.temp ||
        (strcmp(d.type, "table") != 0 && strcmp(d.type, "index") != 0))
        return false;
    size_t pos = 0;
    ls_token t;
    bool body = false;   /* past the first '(': TEMP before it, as in temp.name, is TEMP */
    while (ls_ddl_next_tok(sql, len, &pos, &t)) {
        if (is_kw(&t, LS_KW_SELECT) ||
            (!body && (is_kw(&t, LS_KW_TEMP) || is_kw(&t, LS_KW_TEMPORARY))))
            return false;
        body = body || ls_ddl_is_op(sql, &t, '(');
    }
    return true;
}

/* The text SQLite keeps for CREATE sql[0..len), parsed into m: "CREATE [UNIQUE] KIND "
 * then the statement from the object's name on, whatever came before it (TEMP, IF NOT
 * EXISTS, a main. or temp. qualifier, comments, the words' case and spacing), as SQLite 3.40
 * stores it; a table's and a trigger's text ends with its last token, trailing comments
 * dropped, a view's and an index's keeps them (tests/integration/scripts/master_text.sql).
 * Caller frees. */
static char *create_text(const char *sql, size_t len, const ls_master_op *m)
{
    if (!strcmp(m->type, "table") || !strcmp(m->type, "trigger")) {
        size_t pos = m->name_off, end = m->name_off;
        ls_token t;
        while (ls_ddl_next_tok(sql, len, &pos, &t))
            if (!ls_ddl_is_op(sql, &t, ';'))
                end = t.off + t.len;
        len = end;
    }
    const char *kind = !strcmp(m->type, "table") ? "TABLE" : !strcmp(m->type, "index")
                     ? "INDEX" : !strcmp(m->type, "view") ? "VIEW" : "TRIGGER";
    size_t n = len > m->name_off ? len - m->name_off : 0;
    char *text = malloc(n + 32);
    if (text)
        snprintf(text, n + 32, "CREATE %s%s %.*s", m->unique ? "UNIQUE " : "", kind, (int)n,
                 sql + m->name_off);
    return text;
}

/* See pg.h. */
bool ls_pg_master_plan(ls_pgconn *c, const char *sql, size_t len, ls_master_op *m)
{
    parse(sql, len, m);
    if (m->op == M_NONE)
        return false;
    /* the statement's own text, without a trailing ';' and space */
    while (len && (sql[len - 1] == ';' || sql[len - 1] == ' ' || sql[len - 1] == '\n' ||
                   sql[len - 1] == '\t' || sql[len - 1] == '\r'))
        len--;
    m->text = m->op == M_CREATE ? create_text(sql, len, m) : strndup(sql, len);
    if (!m->text)
        return false;
    m->params[0] = m->type;
    m->params[1] = m->name;
    m->params[2] = m->tbl;
    m->params[3] = m->text;
    /* what may concern SQLite's temp database goes through the pack's function, which
     * records TEMP objects apart, per session (compat/sql/50_master.sql): a TEMP object, and
     * once the session made one, anything but CREATE TABLE/VIEW (an unqualified name may be
     * a temp object's; CREATE TABLE/VIEW without TEMP never makes one) */
    bool main_tv = m->op == M_CREATE && !m->temp &&
                   (!strcmp(m->type, "table") || !strcmp(m->type, "view"));
    if (m->op == M_RENAMECOL || m->op == M_DROPCOL) {
        /* the table's recorded text and its indexes' (a temp table's in the session's
         * records: an unqualified name is the temp table's when there is one) */
        m->query = "SELECT " LS_COMPAT_SCHEMA ".master_alter_column($1, $2, $3, $4, $5::bool, $6)";
        m->params[0] = m->name;
        m->params[1] = m->op == M_RENAMECOL ? "rename" : "drop";
        m->params[2] = m->col;
        m->params[3] = m->op == M_RENAMECOL ? m->extra : NULL;
        m->params[4] = m->new_quoted ? "true" : "false";
        m->params[5] = m->qual;
        m->np = 6;
        return true;
    }
    if (m->temp || (c->temp_made && !main_tv && strcasecmp(m->qual, "main") != 0)) {
        static const char *const ops[] = { "", "create", "drop", "rename", "addcol" };
        m->via_func = true;
        m->query = "SELECT " LS_COMPAT_SCHEMA ".master_change($1, $2, $3, $4, $5, $6, "
                   "$7::bool, $8::bool)";
        m->params[0] = ops[m->op];
        m->params[1] = m->type;
        m->params[2] = m->name;
        m->params[3] = m->op == M_RENAME ? m->extra : m->tbl;
        m->params[4] = m->op == M_ADDCOL ? m->text + m->coldef : m->text;
        m->params[5] = m->qual;
        m->params[6] = m->if_not_exists ? "true" : "false";
        m->params[7] = m->temp ? "true" : "false";
        m->np = 8;
        return true;
    }
    switch (m->op) {
    case M_CREATE: {
        /* CREATE ... IF NOT EXISTS that finds a record leaves it as it is, text and
         * origin: SQLite keeps the existing object's text (start-up DDL run again, perhaps
         * an older version of it, must not replace it) */
        m->plain = m->if_not_exists
            ? "INSERT INTO " LS_COMPAT_SCHEMA ".master SELECT current_schema(), $1::text, "
              "$2::text, $3::text, $4::text WHERE NOT EXISTS (SELECT 1 FROM " LS_COMPAT_SCHEMA
              ".master x WHERE x.schemaname = current_schema() AND x.type = $1 AND "
              "lower(x.name) = lower($2)) ON CONFLICT DO NOTHING RETURNING schemaname"
            : "INSERT INTO " LS_COMPAT_SCHEMA ".master VALUES (current_schema(), $1, $2, $3, "
              "$4) ON CONFLICT (schemaname, type, name) DO UPDATE SET tbl_name = "
              "excluded.tbl_name, sql = excluded.sql RETURNING schemaname";
        /* who makes it, in which generation of which file (pg_files.c: what a process and
         * its descendants made in a file one of them created is theirs to move aside) */
        bool known = !m->temp && (!strcmp(m->type, "table") || !strcmp(m->type, "view"))
                     && ls_files_origin(c->dbfile, &m->origin);
        m->query = "INSERT INTO " LS_COMPAT_SCHEMA ".master AS m (schemaname, type, name, "
            "tbl_name, sql, file_gen, made_by, made_tick, file_born) SELECT current_schema(), "
            "$1::text, $2::text, $3::text, $4::text, $5::text, $6::text[], $7::bigint, "
            "$8::bigint WHERE NOT ($9::bool AND EXISTS (SELECT 1 FROM " LS_COMPAT_SCHEMA
            ".master x WHERE x.schemaname = current_schema() AND x.type = $1 AND "
            "lower(x.name) = lower($2))) "
            "ON CONFLICT (schemaname, type, name) DO UPDATE SET tbl_name = excluded.tbl_name, "
            "sql = excluded.sql, file_gen = excluded.file_gen, made_by = excluded.made_by, "
            "made_tick = excluded.made_tick, file_born = excluded.file_born "
            "RETURNING schemaname";
        m->params[4] = known ? m->origin.gen : NULL;
        m->params[5] = known ? m->origin.lineage : NULL;
        m->params[6] = known ? m->origin.start : NULL;
        m->params[7] = known && m->origin.born[0] ? m->origin.born : NULL;
        m->params[8] = m->if_not_exists ? "true" : "false";
        m->np = 9;
        break;
    }
    case M_DROP:
        m->query = "DELETE FROM " LS_COMPAT_SCHEMA ".master WHERE schemaname = current_schema() AND "
                   "(lower(name) = lower($2) AND type = $1 OR $1 = 'table' AND lower(tbl_name) = "
                   "lower($2))";
        m->np = 2;
        break;
    case M_RENAME:
        m->params[2] = m->extra;
        m->query = "UPDATE " LS_COMPAT_SCHEMA ".master SET "
            "name = CASE WHEN type = 'table' THEN $3 ELSE name END, tbl_name = $3, "
            "sql = CASE WHEN type = 'table' THEN regexp_replace(sql, "
            "'^(\\s*CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?)"
            "(\"[^\"]*\"|\\[[^]]*\\]|`[^`]*`|[^\\s(]+)', '\\1\"' || replace($3, '\"', '\"\"') "
            "|| '\"', 'i') ELSE sql END "
            "WHERE schemaname = current_schema() AND lower(tbl_name) = lower($2) AND $1 = 'table'";
        m->np = 3;
        break;
    case M_ADDCOL:
        m->params[2] = m->text + m->coldef;
        m->query = "UPDATE " LS_COMPAT_SCHEMA ".master SET sql = regexp_replace(sql, '\\)(\\s*"
            "(WITHOUT\\s+ROWID|STRICT|,|\\s)*)$', ', ' || $3 || ')\\1', 'i') "
            "WHERE schemaname = current_schema() AND type = $1 AND lower(name) = lower($2)";
        m->np = 3;
        break;
    default:
        break;
    }
    return true;
}

/* See pg.h. */
void ls_pg_master_done(ls_pgconn *c, ls_master_op *m, const PGresult *rows)
{
    bool skipped = c->ddl_skipped;
    c->ddl_skipped = false;
    /* a table or view made in a database file this process created (pg_files.c) */
    bool track = c->dbfile && m->op == M_CREATE && !m->temp && !skipped &&
                 (!strcmp(m->type, "table") || !strcmp(m->type, "view"));
    /* master_change answers whether the object was a temp one: nothing of the file's */
    bool temp = m->via_func && (!rows || PQntuples(rows) != 1 || PQgetvalue(rows, 0, 0)[0] == 't');
    if (!temp && m->op == M_DROP && (!strcmp(m->type, "table") || !strcmp(m->type, "view")))
        ls_files_untrack(c->dbfile, m->name, NULL);
    else if (!temp && m->op == M_RENAME)
        ls_files_untrack(c->dbfile, m->name, m->extra);
    if (rows && track && PQntuples(rows) == 1)
        ls_files_track(c->dbfile, PQgetvalue(rows, 0, 0), m->name, !strcmp(m->type, "view"));
    free(m->text);
    m->text = NULL;
}

/* See pg.h. */
void ls_pg_master_record(ls_pgconn *c, const char *sql, size_t len)
{
    ls_master_op m;
    if (!ls_pg_master_plan(c, sql, len, &m)) {
        c->ddl_skipped = false;
        return;
    }
    PGresult *rows = NULL;
    char err[512];
    int rc = ls_pg_side_query(c, true, m.query, m.np, m.params, &rows, err, sizeof err);
    if (rc == SQLITE_OK && err[0] && m.plain) {
        ls_log(LS_LOG_DEBUG, c->id, "liteshift.master without origin columns (%s)", err);
        PQclear(rows);
        rows = NULL;
        rc = ls_pg_side_query(c, true, m.plain, 4, m.params, &rows, err, sizeof err);
    }
    if (rc != SQLITE_OK || err[0])
        ls_log(LS_LOG_WARN, c->id, "liteshift.master not updated for %s %s: %s", m.type, m.name,
               err[0] ? err : "no connection");
    ls_pg_master_done(c, &m, rows);
    PQclear(rows);
}
