/* SPDX-License-Identifier: MIT
 *
 * Which writes change only TEMP objects, so that they take no write lock (docs/compatibility.md
 * D11): SQLite keeps TEMP objects in a database of the connection's own and writes it without
 * the main database's lock, so CREATE TEMP TABLE, or an INSERT into a temp table, neither
 * waits for nor fails on another connection's write.  Here a TEMP object lives in the
 * session's pg_temp schema, which no other session sees; an unqualified name resolves there
 * first, in PostgreSQL as in SQLite.
 *
 * The statement's own SQLite text names its target; the schema cache (pg_schema.c) says
 * whether that name resolves to a temp table.  In doubt the answer is no, and the write takes
 * the lock: a target qualified with main (the rewriter drops main., and PostgreSQL would then
 * resolve the name to a temp table of the same name first), a WITH before the verb, a temp
 * table with triggers or rules (they may write a main table), a write into a view (PostgreSQL
 * writes through a simple view to its base table), CREATE and DROP TRIGGER.  Nothing here
 * allocates; the answer is kept per statement until the schema changes.
 */
#include <string.h>
#include <strings.h>

#include "pg.h"

static bool is_kw(const ls_token *t, int kw)
{
    return t->type == LS_TK_KEYWORD && t->kw == kw;
}

/* The target name at *t, possibly qualified: its last part, lower case, into out; *temp
 * true when qualified with temp, *other when qualified with anything else (main).  False when it
 * is not a name. */
static bool target(const char *sql, size_t len, size_t *pos, ls_token *t, char *out,
                   size_t cap, bool *temp, bool *other)
{
    *temp = *other = false;
    if (!ls_ddl_name(sql, t, out, cap))
        return false;
    size_t save = *pos;
    ls_token dot;
    if (ls_ddl_next_tok(sql, len, pos, &dot) && ls_ddl_is_op(sql, &dot, '.')) {
        *temp = strcasecmp(out, "temp") == 0;
        *other = !*temp;
        if (!ls_ddl_next_tok(sql, len, pos, t) || !ls_ddl_name(sql, t, out, cap))
            return false;
    } else {
        *pos = save;
    }
    for (char *p = out; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + ('a' - 'A'));
    return true;
}

/* Whether the rest of the text from *pos reads a table: a SELECT (INSERT ... SELECT, a
 * subquery, CREATE TEMP TABLE ... AS SELECT, a view's body) or a FROM (UPDATE ... FROM). */
static bool reads_rest(const char *sql, size_t len, size_t pos)
{
    ls_token t;
    while (ls_ddl_next_tok(sql, len, &pos, &t))
        if (is_kw(&t, LS_KW_SELECT) || is_kw(&t, LS_KW_FROM))
            return true;
    return false;
}

/* The statement's answer, computed: 0 no (take the lock), 1 a temp-only write that reads
 * no table, 2 one that may read one. */
static int classify(ls_pgconn *c, const char *sql, size_t len)
{
    size_t pos = 0;
    ls_token t;
    char name[128];
    bool temp, other;
    if (!ls_ddl_next_tok(sql, len, &pos, &t))
        return 0;
    if (is_kw(&t, LS_KW_INSERT) || is_kw(&t, LS_KW_REPLACE) || is_kw(&t, LS_KW_UPDATE) ||
        is_kw(&t, LS_KW_DELETE)) {
        bool del = is_kw(&t, LS_KW_DELETE), upd = is_kw(&t, LS_KW_UPDATE);
        if (!ls_ddl_next_tok(sql, len, &pos, &t))
            return 0;
        if (is_kw(&t, LS_KW_OR) && (!ls_ddl_next_tok(sql, len, &pos, &t) ||  /* OR <algorithm> */
                                    !ls_ddl_next_tok(sql, len, &pos, &t)))
            return 0;
        if (!upd) {   /* INSERT/REPLACE INTO, DELETE FROM */
            if (!is_kw(&t, del ? LS_KW_FROM : LS_KW_INTO) ||
                !ls_ddl_next_tok(sql, len, &pos, &t))
                return 0;
        }
        if (!target(sql, len, &pos, &t, name, sizeof name, &temp, &other) || other ||
            !ls_pg_schema_temp(c, name, 'r'))
            return 0;
        return reads_rest(sql, len, pos) ? 2 : 1;
    }
    if (is_kw(&t, LS_KW_CREATE)) {
        bool temp_kw = false;
        if (!ls_ddl_next_tok(sql, len, &pos, &t))
            return 0;
        if (is_kw(&t, LS_KW_TEMP) || is_kw(&t, LS_KW_TEMPORARY)) {
            temp_kw = true;
            if (!ls_ddl_next_tok(sql, len, &pos, &t))
                return 0;
        }
        if (is_kw(&t, LS_KW_UNIQUE) && !ls_ddl_next_tok(sql, len, &pos, &t))
            return 0;
        bool table = is_kw(&t, LS_KW_TABLE), view = is_kw(&t, LS_KW_VIEW);
        bool index = is_kw(&t, LS_KW_INDEX);
        if ((!table && !view && !index) || !ls_ddl_next_tok(sql, len, &pos, &t))
            return 0;   /* TRIGGER (a temp trigger may be on a main table), VIRTUAL... */
        if (is_kw(&t, LS_KW_IF) && (!ls_ddl_next_tok(sql, len, &pos, &t) ||  /* IF NOT EXISTS */
                                    !ls_ddl_next_tok(sql, len, &pos, &t) ||
                                    !ls_ddl_next_tok(sql, len, &pos, &t)))
            return 0;
        if (!target(sql, len, &pos, &t, name, sizeof name, &temp, &other))
            return 0;
        if (!index)
            return (temp_kw && !other) || temp ? (reads_rest(sql, len, pos) ? 2 : 1) : 0;
        /* CREATE INDEX name ON table: temp when the table is (SQLite puts it there too) */
        if (other && !temp)
            return 0;
        if (!ls_ddl_next_tok(sql, len, &pos, &t) || !is_kw(&t, LS_KW_ON) ||
            !ls_ddl_next_tok(sql, len, &pos, &t) ||
            !target(sql, len, &pos, &t, name, sizeof name, &temp, &other) || other ||
            !ls_pg_schema_temp(c, name, 'r'))
            return 0;
        return 1;
    }
    if (is_kw(&t, LS_KW_DROP) || is_kw(&t, LS_KW_ALTER)) {
        bool drop = is_kw(&t, LS_KW_DROP);
        if (!ls_ddl_next_tok(sql, len, &pos, &t))
            return 0;
        /* the kind of relation named: DROP TRIGGER's table is not in the text */
        char kind = is_kw(&t, LS_KW_TABLE) ? 'r' : !drop ? 0 : is_kw(&t, LS_KW_VIEW) ? 'v'
                  : is_kw(&t, LS_KW_INDEX) ? 'i' : 0;
        if (!kind || !ls_ddl_next_tok(sql, len, &pos, &t))
            return 0;
        if (drop && is_kw(&t, LS_KW_IF) && (!ls_ddl_next_tok(sql, len, &pos, &t) ||
                                            !ls_ddl_next_tok(sql, len, &pos, &t)))
            return 0;
        if (!target(sql, len, &pos, &t, name, sizeof name, &temp, &other) || other ||
            !ls_pg_schema_temp(c, name, kind))
            return 0;
        return 1;
    }
    return 0;
}

/* See pg.h. */
void ls_pg_temp_settle(ls_pgconn *c)
{
    if (c->temp_txn && (!c->in_txn || c->temp_txn != c->txn_no)) {
        /* DDL ran in a transaction that has ended, maybe rolled back: a temp table the
         * cache knows may be gone, and its name may now be a main table's */
        ls_pg_schema_invalidate(c);
        c->temp_txn = 0;
    }
}

/* See pg.h. */
bool ls_pg_temp_write(ls_pgstmt *st, bool *reads)
{
    ls_pgconn *c = st->conn;
    *reads = true;
    if (!c->temp_made)
        return false;   /* no TEMP object made in this session: nothing to look up */
    ls_pg_temp_settle(c);
    if (st->temp_gen != c->schema_gen + 1) {
        st->temp_class = (unsigned char)classify(c, st->sql, st->sql_len);
        st->temp_gen = c->schema_gen + 1;   /* + 1: a zeroed statement has computed nothing */
    }
    *reads = st->temp_class != 1;
    return st->temp_class != 0;
}

/* See pg.h. */
void ls_pg_temp_note(ls_pgconn *c, const char *sql, size_t len)
{
    size_t pos = 0;
    ls_token t;
    if (!c->temp_made && ls_ddl_next_tok(sql, len, &pos, &t) && is_kw(&t, LS_KW_CREATE)) {
        /* TEMP before the body: CREATE TEMP ..., or a name qualified with temp */
        while (ls_ddl_next_tok(sql, len, &pos, &t) && !ls_ddl_is_op(sql, &t, '(') &&
               !is_kw(&t, LS_KW_AS))
            if (is_kw(&t, LS_KW_TEMP) || is_kw(&t, LS_KW_TEMPORARY))
                c->temp_made = true;
    }
    if (c->temp_made && c->in_txn)
        c->temp_txn = c->txn_no;   /* a rollback would undo it: see ls_pg_temp_write */
}

/* See pg.h. */
void ls_pg_temp_rolled_back(ls_pgconn *c)
{
    if (c->temp_txn && c->temp_txn == c->txn_no)
        ls_pg_schema_invalidate(c);
}
