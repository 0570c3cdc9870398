/* SPDX-License-Identifier: MIT
 *
 * Entry points with no PostgreSQL meaning, and the connection's error slot they write to.
 * A call on a liteshift handle that the backend does not implement lands here through the
 * generated forwarder: the connection records SQLITE_ERROR and
 * "<function> is not supported on the PostgreSQL backend" (SQLITE_MISUSE for a closed
 * handle), the forwarder returns its failure value, and nothing reaches the real library.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"
#include "log.h"

void ls_conn_clear_error(ls_conn *c)
{
    c->errcode = SQLITE_OK;
    free(c->errmsg);
    c->errmsg = NULL;
}

/* See shim.h.  On out of memory the message falls back to the code's standard text, which
 * sqlite3_errmsg supplies from a static string. */
int ls_conn_error(ls_conn *c, int code, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    free(c->errmsg);
    c->errmsg = strdup(buf);
    c->errcode = code;
    ls_log(LS_LOG_INFO, 0, "error %d: %s", code, buf);
    return code;
}

void ls_unsupported(const void *p, const char *fn)
{
    const ls_handle *h = p;
    if (!ls_handle_live(h)) {
        ls_log(LS_LOG_ERROR, 0, "%s called on a closed liteshift handle", fn);
        return;
    }
    if (h->conn)
        ls_conn_error(h->conn, SQLITE_ERROR, "%s is not supported on the PostgreSQL backend", fn);
}
