/* SPDX-License-Identifier: MIT
 *
 * sqlite3_column_decltype on PostgreSQL handles: the type a table column was declared with,
 * as the app wrote it (docs/compatibility.md D9).  SQLite answers with the text of the
 * column's type in its CREATE TABLE ("timestamp", "VARCHAR( 10 )", "unsigned big int"), NULL
 * for a column declared without a type and for anything that is not a plain table column.
 * Apps depend on it: Python's detect_types=PARSE_DECLTYPES picks its converters by it.
 *
 * The CREATE TABLE text of every table the shim or `liteshift copy` made is kept in
 * liteshift.master (pg_master.c).  PostgreSQL reports, for each result column, the table and
 * column number it comes from (PQftable/PQftablecol); this file maps those to the declared
 * type by reading the kept texts once per connection (one round trip, at the first
 * decltype call, again after DDL) and parsing their column definitions with the rewriter's
 * tokenizer.  Tables without a kept text fall back to a name for their PostgreSQL type.
 * Nothing of this runs unless the app asks for a decltype.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define uthash_nonfatal_oom(obj) ((void)(obj))
#include <uthash.h>

#include "pg.h"
#include "log.h"

struct ls_decl_entry {
    uint64_t key;       /* table oid << 16 | attnum; attnum 0 marks a table as seen */
    char *decl;         /* declared type, or NULL when declared without one */
    UT_hash_handle hh;
};

static uint64_t key_of(Oid table, int attnum)
{
    return ((uint64_t)table << 16) | (uint64_t)(attnum & 0xffff);
}

/* See pg.h. */
void ls_pg_decl_invalidate(ls_pgconn *c)
{
    ls_decl_entry *e, *tmp;
    HASH_ITER(hh, c->decls, e, tmp) {
        HASH_DEL(c->decls, e);
        free(e->decl);
        free(e);
    }
    c->decls_loaded = false;
}

/* A keyword that ends a column's type: a column constraint begins. */
static bool ends_type(const ls_token *t)
{
    if (t->type != LS_TK_KEYWORD)
        return false;
    switch (t->kw) {
    case LS_KW_CONSTRAINT: case LS_KW_PRIMARY: case LS_KW_NOT: case LS_KW_NULL:
    case LS_KW_UNIQUE: case LS_KW_CHECK: case LS_KW_DEFAULT: case LS_KW_COLLATE:
    case LS_KW_REFERENCES: case LS_KW_GENERATED: case LS_KW_AS:
        return true;
    default:
        return false;
    }
}

/* A definition that is a table constraint, not a column. */
static bool table_constraint(const ls_token *t)
{
    return t->type == LS_TK_KEYWORD &&
           (t->kw == LS_KW_CONSTRAINT || t->kw == LS_KW_PRIMARY || t->kw == LS_KW_UNIQUE ||
            t->kw == LS_KW_CHECK || t->kw == LS_KW_FOREIGN);
}

typedef struct {
    char name[256];
    char *decl;   /* NULL: no type */
} coldecl;

/* The columns of a CREATE TABLE text and their declared types, as SQLite keeps them: the
 * text from the first to the last token of the type, or the name alone dequoted when the
 * type is one quoted token.  Returns the number of columns (at most cap). */
static int parse_columns(const char *sql, coldecl *cols, int cap)
{
    size_t len = strlen(sql), pos = 0;
    ls_token t;
    /* to the '(' that opens the definitions (CREATE TABLE AS SELECT has none: no types) */
    for (;;) {
        if (!ls_ddl_next_tok(sql, len, &pos, &t))
            return 0;
        if (t.type == LS_TK_KEYWORD && t.kw == LS_KW_AS)
            return 0;
        if (ls_ddl_is_op(sql, &t, '('))
            break;
    }
    int n = 0;
    for (;;) {
        if (!ls_ddl_next_tok(sql, len, &pos, &t) || table_constraint(&t))
            return n;
        if (t.type != LS_TK_ID && t.type != LS_TK_QUOTED_ID && t.type != LS_TK_KEYWORD &&
            t.type != LS_TK_STRING)
            return n;
        if (n == cap)
            return n;
        coldecl *cd = &cols[n];
        cd->decl = NULL;
        if (!ls_ddl_name(sql, &t, cd->name, sizeof cd->name))
            return n;
        n++;
        size_t first = 0, last = 0, ntok = 0;
        ls_token only = { 0 };
        int depth = 0;
        bool in_type = true;
        /* the type, then the rest of the definition up to the ',' or ')' at depth 0 */
        for (;;) {
            if (!ls_ddl_next_tok(sql, len, &pos, &t))
                return n;
            if (depth == 0 && (ls_ddl_is_op(sql, &t, ',') || ls_ddl_is_op(sql, &t, ')')))
                break;
            if (in_type && depth == 0 && ends_type(&t))
                in_type = false;
            if (ls_ddl_is_op(sql, &t, '('))
                depth++;
            else if (ls_ddl_is_op(sql, &t, ')'))
                depth--;
            if (in_type) {
                if (ntok++ == 0) {
                    first = t.off;
                    only = t;
                }
                last = t.off + t.len;
            }
        }
        char quoted[256];
        if (ntok == 1 && (only.type == LS_TK_QUOTED_ID || only.type == LS_TK_STRING))
            cd->decl = ls_ddl_name(sql, &only, quoted, sizeof quoted) ? strdup(quoted) : NULL;
        else if (ntok > 0)
            cd->decl = strndup(sql + first, last - first);
        /* SQLite 3.37+ keeps the six type names STRICT tables know in their canonical
         * spelling ("Integer" reads back as "INTEGER") */
        static const char *const std_types[] = { "INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY" };
        for (size_t k = 0; cd->decl && k < sizeof std_types / sizeof *std_types; k++)
            if (strcasecmp(cd->decl, std_types[k]) == 0)
                memcpy(cd->decl, std_types[k], strlen(std_types[k]));
        if (ls_ddl_is_op(sql, &t, ')'))
            return n;
    }
}

static int load(ls_pgconn *c)
{
    const char *q =
        "SELECT c.oid, a.attnum, a.attname, m.sql FROM (SELECT n.oid AS ns, x.type, x.name, "
        "x.sql FROM " LS_COMPAT_SCHEMA ".master x JOIN pg_namespace n ON n.nspname = "
        "x.schemaname UNION ALL SELECT pg_my_temp_schema(), t.type, t.name, t.sql FROM "
        LS_COMPAT_SCHEMA ".temp_master_rows() t) m "   /* TEMP tables' texts: pg_temp's */
        "JOIN pg_namespace n ON n.oid = m.ns "
        "JOIN pg_class c ON c.relnamespace = n.oid AND lower(c.relname) = lower(m.name) "
        "AND c.relkind IN ('r', 'p') "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "WHERE m.type = 'table' "
        "ORDER BY c.oid, a.attnum";
    PGresult *res = NULL;
    int rc = ls_pg_side_query(c, false, q, 0, NULL, &res, NULL, 0);
    if (rc != SQLITE_OK)
        return rc;
    c->decls_loaded = true;
    if (!res) {
        ls_log(LS_LOG_INFO, c->id, "declared column types unavailable (no liteshift.master)");
        return SQLITE_OK;
    }
    enum { MAX_COLS = 2000 };
    coldecl *cols = calloc(MAX_COLS, sizeof *cols);
    int ncols = 0;
    Oid parsed = InvalidOid;
    for (int i = 0; cols && i < PQntuples(res); i++) {
        Oid table = (Oid)strtoul(PQgetvalue(res, i, 0), NULL, 10);
        if (table != parsed) {
            for (int k = 0; k < ncols; k++)
                free(cols[k].decl);
            ncols = parse_columns(PQgetvalue(res, i, 3), cols, MAX_COLS);
            parsed = table;
        }
        const char *att = PQgetvalue(res, i, 2);
        ls_decl_entry *e = calloc(1, sizeof *e);
        if (!e)
            break;
        e->key = key_of(table, atoi(PQgetvalue(res, i, 1)));
        for (int k = 0; k < ncols; k++)
            if (strcasecmp(cols[k].name, att) == 0) {
                e->decl = cols[k].decl ? strdup(cols[k].decl) : NULL;
                break;
            }
        uint64_t mark = key_of(table, 0);
        ls_decl_entry *seen = NULL;
        HASH_FIND(hh, c->decls, &mark, sizeof mark, seen);
        if (!seen && (seen = calloc(1, sizeof *seen))) {
            seen->key = mark;
            HASH_ADD(hh, c->decls, key, sizeof seen->key, seen);
        }
        ls_decl_entry *old = NULL;
        HASH_FIND(hh, c->decls, &e->key, sizeof e->key, old);
        if (old) {
            free(e->decl);
            free(e);
            continue;
        }
        HASH_ADD(hh, c->decls, key, sizeof e->key, e);
    }
    for (int k = 0; cols && k < ncols; k++)
        free(cols[k].decl);
    free(cols);
    PQclear(res);
    return SQLITE_OK;
}

/* See pg.h. */
const char *ls_pg_decl_lookup(ls_pgconn *c, Oid table, int attnum, bool *known)
{
    *known = false;
    if (table == InvalidOid || attnum <= 0)
        return NULL;
    bool fresh = !c->decls_loaded;
    if (fresh && load(c) != SQLITE_OK)
        return NULL;
    uint64_t key = key_of(table, attnum), mark = key_of(table, 0);
    ls_decl_entry *e = NULL;
    HASH_FIND(hh, c->decls, &key, sizeof key, e);
    if (!e) {
        /* a table this connection has not seen: made since (perhaps by another connection),
         * so read the kept texts again, once; a table without one is then remembered */
        ls_decl_entry *seen = NULL;
        HASH_FIND(hh, c->decls, &mark, sizeof mark, seen);
        if (seen)
            return NULL;
        if (!fresh) {
            ls_pg_decl_invalidate(c);
            if (load(c) != SQLITE_OK)
                return NULL;
        }
        HASH_FIND(hh, c->decls, &key, sizeof key, e);
        HASH_FIND(hh, c->decls, &mark, sizeof mark, seen);
        if (!seen && (seen = calloc(1, sizeof *seen))) {
            seen->key = mark;
            HASH_ADD(hh, c->decls, key, sizeof seen->key, seen);
        }
        if (!e)
            return NULL;
    }
    *known = true;
    return e->decl;
}
