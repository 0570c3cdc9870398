/* SPDX-License-Identifier: MIT
 *
 * The shim's internal header: the handle model shared by every entry point, the table of
 * real libsqlite3 functions, and the few helpers the generated forwarders call.
 *
 * Handles.  A handle the app holds is either a real SQLite object, passed through untouched,
 * or a liteshift object whose first two words are a magic number and a pointer to itself.
 * ls_handle_ours() tells them apart with two loads and no lookup; a real object never
 * matches, because its second word would have to hold its own address (DESIGN §2).  Closing
 * writes LS_MAGIC_DEAD before releasing, so a use after close is recognised as ours and
 * answered with SQLITE_MISUSE rather than sent to the real library.
 *
 * Ownership: every liteshift object is owned by its connection (ls_conn), which frees them
 * in sqlite3_close_v2.  Strings in ls_conn are owned by it.
 */
#ifndef LS_SHIM_H
#define LS_SHIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sqlite3.h>

#include "real_table.h"

#define LS_EXPORT __attribute__((visibility("default")))
#define LS_MUSTCHECK __attribute__((warn_unused_result))
#define LS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define LS_LIKELY(x) __builtin_expect(!!(x), 1)

#define LS_TAG 0x4c53484dU        /* "LSHM": bytes 4..7 of every liteshift object */
#define LS_STATE_LIVE 0x4c495645U /* "LIVE" */
#define LS_STATE_DEAD 0x44454144U /* "DEAD": written by close, before the memory is freed */

typedef enum ls_kind {
    LS_KIND_CONN = 1, /* sqlite3 */
    LS_KIND_STMT,     /* sqlite3_stmt */
    LS_KIND_VALUE,    /* sqlite3_value */
    LS_KIND_CONTEXT,  /* sqlite3_context */
    LS_KIND_BLOB,     /* sqlite3_blob */
} ls_kind;

struct ls_conn;

/* The first fields of every liteshift object. */
typedef struct ls_handle {
    uint32_t state;                /* LS_STATE_LIVE, or LS_STATE_DEAD once closed */
    uint32_t tag;                  /* LS_TAG: the cheap first test */
    const struct ls_handle *self;  /* its own address: the second, exact test */
    ls_kind kind;
    struct ls_conn *conn;          /* owning connection (itself for a connection) */
} ls_handle;

/* True when p is a liteshift object, live or closed.  NULL and real handles are false.
 * The fast path is one compare: bytes 4..7 of a real SQLite object are the upper half of a
 * pointer (never "LSHM") for every handle type except sqlite3_value, whose first word is the
 * value itself; the self-pointer test settles that case.  Real SQLite objects are all at
 * least 16 bytes, so the loads stay inside them. */
static inline bool ls_handle_ours(const void *p)
{
    const ls_handle *h = (const ls_handle *)p;
    if (!h || LS_LIKELY(h->tag != LS_TAG))
        return false;
    return h->self == h && (h->state == LS_STATE_LIVE || h->state == LS_STATE_DEAD);
}

/* Mark h as a live liteshift object of this kind, owned by conn (NULL: set later). */
static inline void ls_handle_init(ls_handle *h, ls_kind kind, struct ls_conn *conn)
{
    h->state = LS_STATE_LIVE;
    h->tag = LS_TAG;
    h->self = h;
    h->kind = kind;
    h->conn = conn;
}

static inline bool ls_handle_live(const void *p)
{
    return ((const ls_handle *)p)->state == LS_STATE_LIVE;
}

/* A PostgreSQL-backed connection.  The backend (shim/pg_*.c) extends it; this part is what
 * every entry point may rely on. */
typedef struct ls_conn {
    ls_handle h;
    int errcode;        /* extended result code of the last call */
    bool extended_codes; /* sqlite3_extended_result_codes(db, 1) or SQLITE_OPEN_EXRESCODE:
                          * API calls return extended codes; else primary ones, as SQLite */
    char *errmsg;       /* owned; NULL means the standard text of errcode */
    bool serialized;    /* SQLite's serialized threading mode: every entry point on the
                         * connection or its statements holds mu (ls_enter) */
    pthread_mutex_t mu; /* recursive: app callbacks may call the API on the same connection */
} ls_conn;

/* Which threading mode the app chose with sqlite3_config (SQLITE_CONFIG_SINGLETHREAD,
 * _MULTITHREAD or _SERIALIZED); 0 until it does, which is SQLite's default, serialized. */
extern int ls_config_threading;

/* Set up c's mutex for a connection opened with these sqlite3_open_v2 flags: serialized
 * unless SQLITE_OPEN_NOMUTEX or a single- or multi-thread sqlite3_config says otherwise,
 * as SQLite decides. */
void ls_conn_mutex_init(ls_conn *c, int open_flags);

/* The connection behind handle p (a connection, a statement or a blob), with its mutex
 * held; NULL when there is nothing to hold (a closed handle, a value or context, or a
 * connection opened without a mutex).  SQLite holds the same mutex in each of these calls
 * (sqlite3_mutex_enter(db->mutex)), so threads sharing one connection take turns.  Values
 * and contexts take none: SQLite's sqlite3_value_* do not either, and a context's calls
 * run inside a step that already holds it. */
static inline ls_conn *ls_enter(const void *p)
{
    const ls_handle *h = (const ls_handle *)p;
    if (h->state != LS_STATE_LIVE || h->kind == LS_KIND_VALUE || h->kind == LS_KIND_CONTEXT)
        return NULL;
    ls_conn *c = h->conn;
    if (!c || !c->serialized)
        return NULL;
    pthread_mutex_lock(&c->mu);
    return c;
}

static inline void ls_leave(ls_conn *c)
{
    if (c)
        pthread_mutex_unlock(&c->mu);
}

/* The real library.  Every non-variadic slot always holds a callable function: a lazy stub
 * that loads the library on first use, then the real function, or a stub that returns the
 * failure value when the library or that function is missing (tools/gen_forwarders.c). */
extern ls_real_table ls_real;

/* Failure stubs by slot index (NULL for the variadic functions). */
extern void *const ls_real_fail[LS_FN_COUNT];

/* Load the real library and fill ls_real, once. */
void ls_real_load(void);

/* Report, once per process, that the real library or fn is missing (stderr). */
void ls_real_missing(const char *fn);

/* Slot i of ls_real after loading.  NULL only for a variadic function the library lacks. */
void *ls_real_resolve(int index);

/* Record on h's connection that fn has no PostgreSQL meaning:
 * "<fn> is not supported on the PostgreSQL backend", code SQLITE_ERROR (SQLITE_MISUSE when
 * the handle was closed). */
void ls_unsupported(const void *h, const char *fn);

/* What an API call returns for rc on connection c: SQLite masks result codes to the
 * primary code unless extended result codes were turned on, and so does sqlite3_errcode
 * (sqlite3_extended_errcode never masks).  tests/stacks (the sqlite3 shell prints it);
 * tests/integration/appfn_local.c. */
static inline int ls_conn_rc(const ls_conn *c, int rc)
{
    return c->extended_codes ? rc : rc & 0xff;
}

/* Set the connection's error; fmt is printf-style.  Returns code. */
int ls_conn_error(ls_conn *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A connection with no server behind it (tests of dispatch and error paths); close it with
 * sqlite3_close_v2.  NULL when out of memory. */
ls_conn *ls_conn_new_detached(void);

/* Clear the error slot at the start of an entry point. */
void ls_conn_clear_error(ls_conn *c);

/* The code point cp written at out in UTF-8 (1 to 4 bytes; a surrogate as 3); the count. */
static inline int ls_utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* UTF-16 s[0..n) (native byte order, surrogate pairs joined) in UTF-8, NUL-terminated,
 * malloc'd (NULL when out of memory); *len its length when len is not NULL. */
static inline char *ls_utf16_to_utf8(const uint16_t *s, size_t n, size_t *len)
{
    char *out = malloc(n * 3 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = s[i];
        if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < n && s[i + 1] >= 0xdc00 && s[i + 1] < 0xe000)
            cp = 0x10000 + ((cp - 0xd800) << 10) + (s[++i] - 0xdc00);
        o += ls_utf8_put(o, cp);
    }
    *o = '\0';
    if (len)
        *len = (size_t)(o - out);
    return out;
}

#endif
