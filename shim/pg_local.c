/* SPDX-License-Identifier: MIT
 *
 * Statements evaluated in the app: a SELECT on a PostgreSQL handle that calls an app-defined
 * function (or names an app collation) and reads no table runs on the connection's private
 * in-memory SQLite database (api_func.c), where the app's functions are registered with
 * their own callbacks and user data, instead of on the server, which cannot call back into
 * the app (docs/compatibility.md D3).  `select wait();`, `select f(?, 2)`, `select
 * agg(x) from (values (1), (2))` run here; a statement that also reads a table goes to the
 * server and gets the clear refusal there.
 *
 * The decision, at prepare: the rewriter says SELECT without hidden parameters; a token
 * scan finds a call of a registered function or a COLLATE of a registered collation and no
 * name of SQLite's own tables (sqlite_*, pragma_*); the real SQLite compiles the text on the
 * empty private database under an authorizer that allows nothing but SELECT, function calls
 * and recursive CTEs, so any table (the app's tables are not there: "no such table") sends
 * the statement to the server.  A statement the rewriter refuses (an app collation has no
 * PostgreSQL equivalent) is tried here too, its parameter map taken from SQLite.  Parameters are bound to the private statement from the
 * values bound to the app's (never spliced), by their SQLite class; columns and their names
 * and declared types are that statement's; an error a function raises (sqlite3_result_error)
 * is SQLite's code and message on the app's connection.
 *
 * Ownership: st->local is the statement's, finalized with it.  Row values are copied into
 * st->vals (owned there) at each step, so column text and blobs follow SQLite's lifetimes.
 * st->row holds an empty PGresult while a row is current: the column accessors and
 * ls_pg_exec_reset treat the row like a server row.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg.h"
#include "log.h"

/* The text of name token t, unquoted, into out; false for other tokens. */
static bool token_name(const char *sql, const ls_token *t, char *out, size_t cap)
{
    if (t->type != LS_TK_ID && t->type != LS_TK_QUOTED_ID && t->type != LS_TK_KEYWORD)
        return false;
    return ls_ddl_name(sql, t, out, cap);
}

/* Whether sql calls a registered function or names a registered collation, and names none
 * of SQLite's own tables (they exist in the private database too). */
static bool calls_app(const ls_pgconn *c, const char *sql, size_t len)
{
    size_t pos = 0;
    ls_token t, prev = { 0 };
    char name[256], pname[256];
    bool found = false, have_prev = false;
    while (ls_ddl_next_tok(sql, len, &pos, &t)) {
        bool named = t.type != LS_TK_KEYWORD && token_name(sql, &t, name, sizeof name);
        if (named && (!strncasecmp(name, "sqlite_", 7) || !strncasecmp(name, "pragma_", 7)))
            return false;
        if (have_prev && ls_ddl_is_op(sql, &t, '(') && token_name(sql, &prev, pname, sizeof pname)
            && ls_pg_appfn_known(c, pname, strlen(pname)))
            found = true;
        if (have_prev && prev.type == LS_TK_KEYWORD && prev.kw == LS_KW_COLLATE && named
            && ls_pg_appcoll_known(c, name, strlen(name)))
            found = true;
        prev = t;
        have_prev = true;
    }
    return found;
}

/* The private database's authorizer while a statement compiles: a query, function calls
 * and recursive CTEs; anything else (a table read, a write, a PRAGMA) refuses it, and the
 * statement goes to the server. */
static int only_select(void *arg, int action, const char *a, const char *b, const char *db,
                       const char *trigger)
{
    (void)arg; (void)a; (void)b; (void)db; (void)trigger;
    return action == SQLITE_SELECT || action == SQLITE_FUNCTION || action == SQLITE_RECURSIVE
               ? SQLITE_OK : SQLITE_DENY;
}

/* Whether the private statement numbers and names its parameters as the rewriter did (the
 * app binds by those). */
static bool same_params(const ls_pgstmt *st, sqlite3_stmt *s)
{
    int n = ls_real.sqlite3_bind_parameter_count(s);
    if (n != st->rw.sqlite_params)
        return false;
    for (int i = 1; i <= n; i++) {
        const char *mine = NULL;
        for (int k = 0; k < st->rw.n_params; k++)
            if (st->rw.param_index[k] == i)
                mine = st->rw.param_names ? st->rw.param_names[k] : NULL;
        const char *real = ls_real.sqlite3_bind_parameter_name(s, i);
        bool anon = !real || real[0] == '?';
        bool mine_anon = !mine || mine[0] == '?';
        if (anon != mine_anon || (!anon && strcmp(real, mine) != 0))
            return false;
    }
    return true;
}

/* Columns of the private statement onto st: names, declared types, value slots. */
static int take_columns(ls_pgstmt *st, sqlite3_stmt *s)
{
    int n = ls_real.sqlite3_column_count(s);
    size_t m = n > 0 ? (size_t)n : 1;
    st->col_names = calloc(m, sizeof *st->col_names);
    st->col_types = calloc(m, sizeof *st->col_types);
    st->col_table = calloc(m, sizeof *st->col_table);
    st->col_attnum = calloc(m, sizeof *st->col_attnum);
    st->col_decl = calloc(m, sizeof *st->col_decl);
    st->vals = calloc(m, sizeof *st->vals);
    st->val_ok = calloc(m, sizeof *st->val_ok);
    st->ncol = st->nfields = n;   /* the arrays are freed by ncol: set even on failure */
    if (!st->col_names || !st->col_types || !st->col_table || !st->col_attnum || !st->col_decl
        || !st->vals || !st->val_ok)
        return SQLITE_NOMEM;
    for (int i = 0; i < n; i++) {
        const char *name = ls_real.sqlite3_column_name(s, i);
        const char *decl = ls_real.sqlite3_column_decltype(s, i);
        if (!(st->col_names[i] = strdup(name ? name : "")) || (decl && !(st->col_decl[i] = strdup(decl))))
            return SQLITE_NOMEM;
        st->vals[i].h.conn = &st->conn->base;
    }
    st->described = true;
    st->decl_done = true;
    return SQLITE_OK;
}

/* st's text compiled on the private database when it qualifies (see the file comment):
 * SQLITE_OK with *out set, or NULL when it goes to the server; an error (set on c) that
 * SQLite reports at prepare whatever the schema. */
static int compile(ls_pgconn *c, ls_pgstmt *st, sqlite3_stmt **out)
{
    *out = NULL;
    if (!calls_app(c, st->sql, st->sql_len))
        return SQLITE_OK;
    sqlite3 *db = ls_pg_appfn_db(c);
    if (!db)
        return SQLITE_OK;   /* logged: the server's refusal follows */
    sqlite3_stmt *s = NULL;
    ls_real.sqlite3_set_authorizer(db, only_select, NULL);
    int rc = ls_real.sqlite3_prepare_v3(db, st->sql, (int)st->sql_len, 0, &s, NULL);
    ls_real.sqlite3_set_authorizer(db, NULL, NULL);
    if (rc != SQLITE_OK) {
        const char *msg = ls_real.sqlite3_errmsg(db);
        static const char wrong[] = "wrong number of arguments to function ";
        static const char syntax[] = ": syntax error";
        size_t n = strlen(msg);
        if (rc == SQLITE_NOMEM || !strncmp(msg, wrong, sizeof wrong - 1)
            || (n >= sizeof syntax - 1 && !strcmp(msg + n - (sizeof syntax - 1), syntax)))
            return ls_conn_error(&c->base, rc, "%s", msg);   /* whatever the schema */
        ls_log(LS_LOG_DEBUG, c->id, "not evaluated in the app (%s): to the server", msg);
        return SQLITE_OK;
    }
    if (s && !ls_real.sqlite3_stmt_readonly(s)) {
        ls_real.sqlite3_finalize(s);
        s = NULL;
    }
    *out = s;
    return SQLITE_OK;
}

static int adopt(ls_pgconn *c, ls_pgstmt *st, sqlite3_stmt *s)
{
    st->local = s;
    if (take_columns(st, s) != SQLITE_OK)
        return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
    ls_log(LS_LOG_DEBUG, c->id, "evaluated in the app (app-defined function, no table)");
    return SQLITE_OK;
}

/* See pg.h. */
int ls_pg_local_prepare(ls_pgconn *c, ls_pgstmt *st)
{
    if (st->local || st->rw.kind != LS_RW_SELECT || st->rw.n_hidden > 0)
        return SQLITE_OK;
    sqlite3_stmt *s;
    int rc = compile(c, st, &s);
    if (rc != SQLITE_OK || !s)
        return rc;
    if (!same_params(st, s)) {
        ls_log(LS_LOG_DEBUG, c->id, "not evaluated in the app (parameters numbered "
               "differently): to the server");
        ls_real.sqlite3_finalize(s);
        return SQLITE_OK;
    }
    return adopt(c, st, s);
}

/* See pg.h. */
int ls_pg_local_unrewritten(ls_pgconn *c, ls_pgstmt *st)
{
    sqlite3_stmt *s;
    int rc = compile(c, st, &s);
    if (rc != SQLITE_OK || !s)
        return rc;
    /* the parameter map the bind functions read, from SQLite's own numbering.  The names
     * are copied after the pointers, in the same block (freed with it): SQLite's own go
     * with the statement's program, which a re-prepare replaces (a function registered
     * again, the authorizer set at the next compile, expire it) */
    ls_rw_result *rw = &st->rw;
    int n = ls_real.sqlite3_bind_parameter_count(s);
    size_t bytes = 0;
    for (int i = 1; i <= n; i++) {
        const char *name = ls_real.sqlite3_bind_parameter_name(s, i);
        bytes += name ? strlen(name) + 1 : 0;
    }
    rw->kind = LS_RW_SELECT;
    rw->readonly = true;
    rw->sql = strdup("");
    rw->param_names = calloc(1, ((size_t)n + 1) * sizeof *rw->param_names + bytes);
    rw->param_index = calloc((size_t)n + 1, sizeof *rw->param_index);
    if (!rw->sql || !rw->param_names || !rw->param_index) {
        ls_real.sqlite3_finalize(s);
        ls_rw_result_clear(rw);
        return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
    }
    char *names = (char *)(rw->param_names + n + 1);
    for (int i = 1; i <= n; i++) {
        const char *name = ls_real.sqlite3_bind_parameter_name(s, i);
        if (name) {
            size_t len = strlen(name) + 1;
            memcpy(names, name, len);
            rw->param_names[i - 1] = names;
            names += len;
        }
        rw->param_index[i - 1] = i;
    }
    rw->n_params = rw->sqlite_params = n;
    return adopt(c, st, s);
}

/* The values bound to st onto the private statement, by their SQLite class. */
static int bind_all(ls_pgstmt *st, sqlite3_stmt *s)
{
    int rc = SQLITE_OK;
    for (int i = 1; i <= st->n_bind && rc == SQLITE_OK; i++) {
        const char *v = st->bind_val[i];
        int n = st->bind_len[i];
        switch (v ? st->bind_cls[i] : 0) {
        case SQLITE_INTEGER: rc = ls_real.sqlite3_bind_int64(s, i, strtoll(v, NULL, 10)); break;
        case SQLITE_FLOAT: rc = ls_real.sqlite3_bind_double(s, i, strtod(v, NULL)); break;
        case SQLITE_TEXT: rc = ls_real.sqlite3_bind_text(s, i, v, n, SQLITE_TRANSIENT); break;
        case SQLITE_BLOB: rc = ls_real.sqlite3_bind_blob(s, i, v, n, SQLITE_TRANSIENT); break;
        default: rc = ls_real.sqlite3_bind_null(s, i); break;
        }
    }
    return rc;
}

static void clear_values(ls_pgstmt *st)
{
    for (int i = 0; i < st->ncol; i++)
        if (st->val_ok[i]) {
            ls_pgvalue_clear(&st->vals[i]);
            st->val_ok[i] = false;
        }
}

/* The current row of s into st->vals, copied. */
static int take_row(ls_pgstmt *st, sqlite3_stmt *s)
{
    if (!st->row && !(st->row = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK)))
        return SQLITE_NOMEM;
    for (int i = 0; i < st->ncol; i++) {
        ls_pgvalue *v = &st->vals[i];
        ls_handle_init(&v->h, LS_KIND_VALUE, &st->conn->base);
        v->type = ls_real.sqlite3_column_type(s, i);
        switch (v->type) {
        case SQLITE_INTEGER: v->i = ls_real.sqlite3_column_int64(s, i); break;
        case SQLITE_FLOAT: v->d = ls_real.sqlite3_column_double(s, i); break;
        case SQLITE_TEXT:
        case SQLITE_BLOB: {
            const void *p = v->type == SQLITE_TEXT ? (const void *)ls_real.sqlite3_column_text(s, i)
                                                   : ls_real.sqlite3_column_blob(s, i);
            int n = ls_real.sqlite3_column_bytes(s, i);
            if (!(v->text = malloc((size_t)n + 1))) {
                v->type = SQLITE_NULL;
                return SQLITE_NOMEM;
            }
            if (n > 0)
                memcpy(v->text, p, (size_t)n);
            v->text[n] = '\0';
            v->bytes = n;
            v->owned = true;
            break;
        }
        default: v->type = SQLITE_NULL; break;
        }
        st->val_ok[i] = true;
    }
    return SQLITE_OK;
}

/* See pg.h. */
int ls_pg_local_step(ls_pgstmt *st)
{
    ls_pgconn *c = st->conn;
    sqlite3_stmt *s = st->local;
    sqlite3 *db = ls_real.sqlite3_db_handle(s);
    if (st->state == LS_ST_DONE)
        ls_pg_exec_reset(st);   /* SQLite resets a statement stepped again after its end */
    if (st->state == LS_ST_READY) {
        ls_real.sqlite3_reset(s);
        int rc = bind_all(st, s);
        if (rc != SQLITE_OK)
            return ls_conn_error(&c->base, rc, "%s", ls_real.sqlite3_errmsg(db));
        st->state = LS_ST_ROWS;
    }
    clear_values(st);
    int rc = ls_real.sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (take_row(st, s) == SQLITE_OK)
            return SQLITE_ROW;
        rc = SQLITE_NOMEM;
    }
    clear_values(st);
    PQclear(st->row);
    st->row = NULL;
    st->state = LS_ST_DONE;
    if (rc == SQLITE_DONE)
        return SQLITE_DONE;
    /* the function's error (sqlite3_result_error...), SQLite's code and message */
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", rc == SQLITE_NOMEM ? "out of memory" : ls_real.sqlite3_errmsg(db));
    if (rc != SQLITE_NOMEM)
        rc = ls_real.sqlite3_extended_errcode(db);
    ls_real.sqlite3_reset(s);
    return ls_conn_error(&c->base, rc, "%s", msg);
}

/* See pg.h. */
void ls_pg_local_reset(ls_pgstmt *st)
{
    if (st->local)
        ls_real.sqlite3_reset(st->local);
}

/* See pg.h. */
void ls_pg_local_free(ls_pgstmt *st)
{
    if (st->local)
        ls_real.sqlite3_finalize(st->local);
    st->local = NULL;
}
