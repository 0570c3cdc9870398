/* SPDX-License-Identifier: MIT
 *
 * Connection entry points on PostgreSQL handles: errors and close.  The PostgreSQL backend
 * grows here (open, routing); for now a connection is the handle header plus its error slot,
 * enough for every entry point to answer cleanly.  Error text follows SQLite's lifetime: valid
 * until the next call on the connection.
 */
#include <stdlib.h>

#include "shim.h"
#include "pg_api.h"

/* A connection with no server behind it, for tests of the dispatch and error paths.
 * Caller closes it with sqlite3_close_v2. */
ls_conn *ls_conn_new_detached(void)
{
    ls_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->h.state = LS_STATE_LIVE;
    c->h.tag = LS_TAG;
    c->h.self = &c->h;
    c->h.kind = LS_KIND_CONN;
    c->h.conn = c;
    return c;
}

int ls_pg_sqlite3_errcode(sqlite3 *db)
{
    ls_conn *c = (ls_conn *)db;
    if (!ls_handle_live(c))
        return SQLITE_MISUSE;
    return c->errcode & 0xff;
}

int ls_pg_sqlite3_extended_errcode(sqlite3 *db)
{
    ls_conn *c = (ls_conn *)db;
    if (!ls_handle_live(c))
        return SQLITE_MISUSE;
    return c->errcode;
}

const char *ls_pg_sqlite3_errmsg(sqlite3 *db)
{
    ls_conn *c = (ls_conn *)db;
    if (!ls_handle_live(c))
        return "bad parameter or other API misuse";
    if (c->errmsg)
        return c->errmsg;
    return sqlite3_errstr(c->errcode);
}

int ls_pg_sqlite3_close_v2(sqlite3 *db)
{
    ls_conn *c = (ls_conn *)db;
    if (!ls_handle_live(c))
        return SQLITE_MISUSE;
    ls_conn_clear_error(c);
    c->h.state = LS_STATE_DEAD;
    free(c);
    return SQLITE_OK;
}

int ls_pg_sqlite3_close(sqlite3 *db)
{
    return ls_pg_sqlite3_close_v2(db);
}
