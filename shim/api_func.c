/* SPDX-License-Identifier: MIT
 *
 * App-defined functions and collations on PostgreSQL handles (sqlite3_create_function*,
 * sqlite3_create_window_function, sqlite3_create_collation*).  Their code lives in the app
 * and PostgreSQL cannot call back into it, so they cannot run in a statement.  Registration
 * still succeeds, with SQLite's argument checks and destructor rules, because frameworks
 * register helpers on every connection (Django registers dozens) and most apps never call
 * most of them; a statement that does call one fails with SQLITE_ERROR
 * "no such function: NAME (app-defined functions run in the app and cannot be called on the
 * PostgreSQL backend)", and one that uses an app collation fails at the server likewise.
 *
 * Ownership: the registry is the connection's; each entry's destructor (xDestroy) runs when
 * the entry is replaced or deleted and when the connection is freed, as SQLite runs it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg.h"
#include "pg_api.h"

struct ls_appfn {
    char *name;
    int n_arg;              /* -1 for any; -2 marks a collation */
    void *app;
    void (*destroy)(void *);
    ls_appfn *next;
};

#define COLLATION (-2)

static void entry_free(ls_appfn *f)
{
    if (f->destroy)
        f->destroy(f->app);
    free(f->name);
    free(f);
}

void ls_pg_appfn_free_all(ls_pgconn *c)
{
    while (c->appfns) {
        ls_appfn *f = c->appfns;
        c->appfns = f->next;
        entry_free(f);
    }
}

bool ls_pg_appfn_known(const ls_pgconn *c, const char *name, size_t len)
{
    for (const ls_appfn *f = c->appfns; f; f = f->next)
        if (f->n_arg != COLLATION && strlen(f->name) == len && !strncasecmp(f->name, name, len))
            return true;
    return false;
}

/* Add, replace or (when remove) delete the entry for name/n_arg.  The new destructor runs
 * at once when the call fails, as sqlite3_create_function_v2 documents. */
static int reg(sqlite3 *db, const char *name, int n_arg, bool remove, void *app,
               void (*destroy)(void *))
{
    ls_pgconn *c = (ls_pgconn *)db;
    if (!ls_handle_live(c) || c->base.h.kind != LS_KIND_CONN) {
        if (destroy)
            destroy(app);
        return SQLITE_MISUSE;
    }
    ls_conn_clear_error(&c->base);
    for (ls_appfn **pp = &c->appfns; *pp; pp = &(*pp)->next) {
        ls_appfn *f = *pp;
        if (f->n_arg == n_arg && !strcasecmp(f->name, name)) {
            *pp = f->next;
            entry_free(f);
            break;
        }
    }
    if (remove) {
        if (destroy)
            destroy(app);
        return SQLITE_OK;
    }
    ls_appfn *f = calloc(1, sizeof *f);
    if (!f || !(f->name = strdup(name))) {
        free(f);
        if (destroy)
            destroy(app);
        return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
    }
    f->n_arg = n_arg;
    f->app = app;
    f->destroy = destroy;
    f->next = c->appfns;
    c->appfns = f;
    return SQLITE_OK;
}

static int misuse(sqlite3 *db, void *app, void (*destroy)(void *))
{
    if (destroy)
        destroy(app);
    ls_pgconn *c = (ls_pgconn *)db;
    if (!ls_handle_live(c))
        return SQLITE_MISUSE;
    return ls_conn_error(&c->base, SQLITE_MISUSE, "bad parameter or other API misuse");
}

/* SQLite's checks (sqlite3CreateFunc): a name of at most 255 bytes, -1 <= nArg <= 127,
 * and either xFunc alone, or xStep with xFinal, or nothing (delete). */
static bool bad_args(const char *name, int n_arg, bool scalar, bool step, bool final)
{
    return !name || strlen(name) > 255 || n_arg < -1 || n_arg > 127 || (scalar && (step || final))
        || (!scalar && step != final);
}

int ls_pg_sqlite3_create_function_v2(sqlite3 *db, const char *name, int n_arg, int enc,
                                     void *app, void (*x_func)(sqlite3_context *, int, sqlite3_value **),
                                     void (*x_step)(sqlite3_context *, int, sqlite3_value **),
                                     void (*x_final)(sqlite3_context *), void (*destroy)(void *))
{
    (void)enc;
    if (bad_args(name, n_arg, x_func != NULL, x_step != NULL, x_final != NULL))
        return misuse(db, app, destroy);
    return reg(db, name, n_arg, !x_func && !x_step, app, destroy);
}

int ls_pg_sqlite3_create_function(sqlite3 *db, const char *name, int n_arg, int enc, void *app,
                                  void (*x_func)(sqlite3_context *, int, sqlite3_value **),
                                  void (*x_step)(sqlite3_context *, int, sqlite3_value **),
                                  void (*x_final)(sqlite3_context *))
{
    return ls_pg_sqlite3_create_function_v2(db, name, n_arg, enc, app, x_func, x_step, x_final,
                                            NULL);
}

int ls_pg_sqlite3_create_window_function(sqlite3 *db, const char *name, int n_arg, int enc,
                                         void *app,
                                         void (*x_step)(sqlite3_context *, int, sqlite3_value **),
                                         void (*x_final)(sqlite3_context *),
                                         void (*x_value)(sqlite3_context *),
                                         void (*x_inverse)(sqlite3_context *, int, sqlite3_value **),
                                         void (*destroy)(void *))
{
    (void)enc;
    bool all = x_step && x_final && x_value && x_inverse;
    bool none = !x_step && !x_final && !x_value && !x_inverse;
    if (!name || strlen(name) > 255 || n_arg < -1 || n_arg > 127 || (!all && !none))
        return misuse(db, app, destroy);
    return reg(db, name, n_arg, none, app, destroy);
}

int ls_pg_sqlite3_create_collation_v2(sqlite3 *db, const char *name, int enc, void *arg,
                                      int (*cmp)(void *, int, const void *, int, const void *),
                                      void (*destroy)(void *))
{
    (void)enc;
    if (!name)
        return misuse(db, arg, destroy);
    return reg(db, name, COLLATION, cmp == NULL, arg, destroy);
}

int ls_pg_sqlite3_create_collation(sqlite3 *db, const char *name, int enc, void *arg,
                                   int (*cmp)(void *, int, const void *, int, const void *))
{
    return ls_pg_sqlite3_create_collation_v2(db, name, enc, arg, cmp, NULL);
}
