/* SPDX-License-Identifier: MIT
 *
 * App-defined functions and collations on PostgreSQL handles (sqlite3_create_function*,
 * sqlite3_create_window_function, sqlite3_create_collation*).  Their code lives in the app
 * and PostgreSQL cannot call back into it.  Registration succeeds, with SQLite's argument
 * checks and destructor rules, because frameworks register helpers on every connection
 * (Django registers dozens) and most apps never call most of them.  The registry keeps each
 * entry's callbacks: a statement that calls one and reads no table runs in the app, on a
 * private in-memory SQLite database the connection owns (ls_pg_appfn_db; pg_local.c decides
 * and runs), where every entry is registered with the app's own callbacks and user data.
 * A statement that calls one and reads a table goes to the server and fails with
 * SQLITE_ERROR "no such function: NAME (app-defined functions run in the app and cannot be
 * called on the PostgreSQL backend)"; one that uses an app collation fails there likewise.
 *
 * Ownership: the registry is the connection's; each entry's destructor (xDestroy) runs when
 * the entry is replaced or deleted and when the connection is freed, as SQLite runs it.  The
 * private database registers the callbacks without a destructor (the registry owns the user
 * data) and is closed before the entries are destroyed.
 *
 * sqlite3_context_db_handle: SQLite documents it as the connection the function was
 * registered on, so for a context of the private database it answers the app's handle (the
 * real function's slot is wrapped once the first private database exists).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg.h"
#include "log.h"
#include "pg_api.h"

typedef void (*ls_xfunc)(sqlite3_context *, int, sqlite3_value **);
typedef void (*ls_xfinal)(sqlite3_context *);
typedef int (*ls_xcmp)(void *, int, const void *, int, const void *);

struct ls_appfn {
    char *name;
    int n_arg;              /* -1 for any; -2 marks a collation */
    int enc;                /* eTextRep with its flags (SQLITE_DETERMINISTIC...) */
    void *app;
    void (*destroy)(void *);
    ls_xfunc x_func, x_step, x_inverse;   /* scalar; aggregate and window */
    ls_xfinal x_final, x_value;
    ls_xcmp cmp;            /* a collation */
    ls_appfn *next;
};

#define COLLATION (-2)

/* ---- the private databases and sqlite3_context_db_handle ---- */

/* Every connection with a private database, for the wrapped sqlite3_context_db_handle. */
static pthread_mutex_t privates_lock = PTHREAD_MUTEX_INITIALIZER;
static ls_pgconn **privates;
static size_t n_privates, cap_privates;
static sqlite3 *(*real_context_db_handle)(sqlite3_context *);
static pthread_once_t wrap_once = PTHREAD_ONCE_INIT;

/* As SQLite documents: the connection the function was registered on.  For a function
 * running on a private database that is the app's PostgreSQL handle. */
static sqlite3 *context_db_handle(sqlite3_context *ctx)
{
    sqlite3 *db = real_context_db_handle(ctx);
    if (!db || __atomic_load_n(&n_privates, __ATOMIC_ACQUIRE) == 0)
        return db;
    pthread_mutex_lock(&privates_lock);
    for (size_t k = 0; k < n_privates; k++)
        if (privates[k]->appfn_db == db) {
            db = (sqlite3 *)privates[k];
            break;
        }
    pthread_mutex_unlock(&privates_lock);
    return db;
}

static void wrap_context_db_handle(void)
{
    real_context_db_handle = ls_real.sqlite3_context_db_handle;
    __atomic_store_n(&ls_real.sqlite3_context_db_handle, context_db_handle, __ATOMIC_RELEASE);
}

static bool privates_add(ls_pgconn *c)
{
    pthread_once(&wrap_once, wrap_context_db_handle);
    pthread_mutex_lock(&privates_lock);
    bool ok = true;
    if (n_privates == cap_privates) {
        size_t cap = cap_privates ? cap_privates * 2 : 8;
        ls_pgconn **v = realloc(privates, cap * sizeof *v);
        if (v) {
            privates = v;
            cap_privates = cap;
        } else {
            ok = false;
        }
    }
    if (ok) {
        privates[n_privates] = c;
        __atomic_store_n(&n_privates, n_privates + 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&privates_lock);
    return ok;
}

static void privates_remove(ls_pgconn *c)
{
    pthread_mutex_lock(&privates_lock);
    for (size_t k = 0; k < n_privates; k++)
        if (privates[k] == c) {
            privates[k] = privates[n_privates - 1];
            __atomic_store_n(&n_privates, n_privates - 1, __ATOMIC_RELEASE);
            break;
        }
    if (n_privates == 0) {
        free(privates);
        privates = NULL;
        cap_privates = 0;
    }
    pthread_mutex_unlock(&privates_lock);
}

/* Register f on the private database db (deleted when remove).  SQLite's code; its message
 * stays on db. */
static int mirror(sqlite3 *db, const ls_appfn *f, bool remove)
{
    if (f->n_arg == COLLATION)
        return ls_real.sqlite3_create_collation_v2(db, f->name, f->enc, remove ? NULL : f->app,
                                                   remove ? NULL : f->cmp, NULL);
    if (remove)
        return ls_real.sqlite3_create_function_v2(db, f->name, f->n_arg, f->enc, NULL, NULL, NULL,
                                                  NULL, NULL);
    if (f->x_inverse)
        return ls_real.sqlite3_create_window_function(db, f->name, f->n_arg, f->enc, f->app,
                                                      f->x_step, f->x_final, f->x_value,
                                                      f->x_inverse, NULL);
    return ls_real.sqlite3_create_function_v2(db, f->name, f->n_arg, f->enc, f->app, f->x_func,
                                              f->x_step, f->x_final, NULL);
}

/* See pg.h. */
sqlite3 *ls_pg_appfn_db(ls_pgconn *c)
{
    if (c->appfn_db)
        return c->appfn_db;
    sqlite3 *db = NULL;
    int rc = ls_real.sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                     NULL);
    if (rc != SQLITE_OK) {
        ls_log(LS_LOG_WARN, c->id, "cannot open the private SQLite database for app-defined "
               "functions: %s", db ? ls_real.sqlite3_errmsg(db) : "out of memory");
        ls_real.sqlite3_close(db);
        return NULL;
    }
    ls_real.sqlite3_extended_result_codes(db, 1);
    /* the app's entries, oldest first: a later registration of a name wins, as it did */
    size_t n = 0;
    for (const ls_appfn *f = c->appfns; f; f = f->next)
        n++;
    const ls_appfn **v = n ? malloc(n * sizeof *v) : NULL;
    if (n && !v) {
        ls_real.sqlite3_close(db);
        return NULL;
    }
    size_t k = n;
    for (const ls_appfn *f = c->appfns; f; f = f->next)
        v[--k] = f;
    for (k = 0; k < n && rc == SQLITE_OK; k++)
        rc = mirror(db, v[k], false);
    free(v);
    /* set before the registry publishes c: context_db_handle reads it under privates_lock,
     * on any thread */
    c->appfn_db = db;
    if (rc != SQLITE_OK || !privates_add(c)) {
        ls_log(LS_LOG_WARN, c->id, "cannot register app-defined functions on the private SQLite "
               "database: %s", ls_real.sqlite3_errmsg(db));
        c->appfn_db = NULL;
        ls_real.sqlite3_close(db);
        return NULL;
    }
    ls_log(LS_LOG_DEBUG, c->id, "private SQLite database for app-defined functions opened "
           "(%zu entries)", n);
    return db;
}

/* ---- the registry ---- */

static void entry_free(ls_appfn *f)
{
    if (f->destroy)
        f->destroy(f->app);
    free(f->name);
    free(f);
}

void ls_pg_appfn_free_all(ls_pgconn *c)
{
    if (c->appfn_db) {
        /* every statement is finalized by now: the connection is freed with its last one */
        privates_remove(c);
        ls_real.sqlite3_close_v2(c->appfn_db);
        c->appfn_db = NULL;
    }
    while (c->appfns) {
        ls_appfn *f = c->appfns;
        c->appfns = f->next;
        entry_free(f);
    }
}

/* See pg.h. */
bool ls_pg_appfn_known(const ls_pgconn *c, const char *name, size_t len)
{
    for (const ls_appfn *f = c->appfns; f; f = f->next)
        if (f->n_arg != COLLATION && strlen(f->name) == len && !strncasecmp(f->name, name, len))
            return true;
    return false;
}

/* See pg.h. */
bool ls_pg_appcoll_known(const ls_pgconn *c, const char *name, size_t len)
{
    for (const ls_appfn *f = c->appfns; f; f = f->next)
        if (f->n_arg == COLLATION && strlen(f->name) == len && !strncasecmp(f->name, name, len))
            return true;
    return false;
}

/* See pg.h. */
const char *ls_pg_appcoll_note(const ls_pgconn *c, const char *msg)
{
    static const char nsc[] = "no such collation sequence: ";
    if (c->appfns && !strncmp(msg, nsc, sizeof nsc - 1)
        && ls_pg_appcoll_known(c, msg + sizeof nsc - 1, strlen(msg + sizeof nsc - 1)))
        return " (app-defined collations run in the app and cannot be used on the PostgreSQL "
               "backend in a statement that reads a table)";
    return "";
}

/* Add, replace or (when the entry has no callback) delete the entry for tmpl's name/n_arg,
 * and the same on the private database when it exists (SQLite refuses it with SQLITE_BUSY
 * while one of its statements runs; then nothing changes).  The new destructor runs at once
 * when the call fails, as sqlite3_create_function_v2 documents. */
static int reg(sqlite3 *db, const ls_appfn *tmpl)
{
    ls_pgconn *c = (ls_pgconn *)db;
    bool remove = !tmpl->x_func && !tmpl->x_step && !tmpl->cmp;
    if (!ls_handle_live(c) || c->base.h.kind != LS_KIND_CONN) {
        if (tmpl->destroy)
            tmpl->destroy(tmpl->app);
        return SQLITE_MISUSE;
    }
    ls_conn_clear_error(&c->base);
    ls_appfn *f = NULL;
    if (!remove && (!(f = malloc(sizeof *f)) || (*f = *tmpl, !(f->name = strdup(tmpl->name))))) {
        free(f);
        if (tmpl->destroy)
            tmpl->destroy(tmpl->app);
        return ls_conn_error(&c->base, SQLITE_NOMEM, "out of memory");
    }
    if (c->appfn_db) {
        int rc = mirror(c->appfn_db, tmpl, remove);
        if (rc != SQLITE_OK) {
            int code = ls_conn_error(&c->base, rc, "%s", ls_real.sqlite3_errmsg(c->appfn_db));
            if (f)
                free(f->name);
            free(f);
            if (tmpl->destroy)
                tmpl->destroy(tmpl->app);
            return code;
        }
    }
    for (ls_appfn **pp = &c->appfns; *pp; pp = &(*pp)->next) {
        ls_appfn *old = *pp;
        if (old->n_arg == tmpl->n_arg && !strcasecmp(old->name, tmpl->name)) {
            *pp = old->next;
            entry_free(old);
            break;
        }
    }
    if (remove) {
        if (tmpl->destroy)
            tmpl->destroy(tmpl->app);
        return SQLITE_OK;
    }
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
    if (bad_args(name, n_arg, x_func != NULL, x_step != NULL, x_final != NULL))
        return misuse(db, app, destroy);
    ls_appfn f = { .name = (char *)name, .n_arg = n_arg, .enc = enc, .app = app,
                   .destroy = destroy, .x_func = x_func, .x_step = x_step, .x_final = x_final };
    return reg(db, &f);
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
    bool all = x_step && x_final && x_value && x_inverse;
    bool none = !x_step && !x_final && !x_value && !x_inverse;
    if (!name || strlen(name) > 255 || n_arg < -1 || n_arg > 127 || (!all && !none))
        return misuse(db, app, destroy);
    ls_appfn f = { .name = (char *)name, .n_arg = n_arg, .enc = enc, .app = app,
                   .destroy = destroy, .x_step = x_step, .x_final = x_final, .x_value = x_value,
                   .x_inverse = x_inverse };
    return reg(db, &f);
}

int ls_pg_sqlite3_create_collation_v2(sqlite3 *db, const char *name, int enc, void *arg,
                                      int (*cmp)(void *, int, const void *, int, const void *),
                                      void (*destroy)(void *))
{
    if (!name)
        return misuse(db, arg, destroy);
    ls_appfn f = { .name = (char *)name, .n_arg = COLLATION, .enc = enc, .app = arg,
                   .destroy = destroy, .cmp = cmp };
    return reg(db, &f);
}

int ls_pg_sqlite3_create_collation(sqlite3 *db, const char *name, int enc, void *arg,
                                   int (*cmp)(void *, int, const void *, int, const void *))
{
    return ls_pg_sqlite3_create_collation_v2(db, name, enc, arg, cmp, NULL);
}
