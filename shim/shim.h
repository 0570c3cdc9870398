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
#include <stdatomic.h>
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
                         * connection or its statements holds it (ls_enter) */
    /* The connection's lock (shim/conn_lock.c).  A biased lock: the thread that opened the
     * connection takes it with plain loads and stores, no atomic read-modify-write, for as
     * long as no other thread calls; the first call from another thread revokes the bias
     * for good, and from then on every call takes mu. */
    _Atomic(uintptr_t) bias;   /* the opening thread's id while biased, 0 after */
    _Atomic int bias_depth;    /* the owner's nesting depth in biased calls */
    _Atomic bool revoking;     /* set by the thread revoking the bias */
    pthread_mutex_t mu;        /* recursive: app callbacks may call the API again */
} ls_conn;

/* Which threading mode the app chose with sqlite3_config (SQLITE_CONFIG_SINGLETHREAD,
 * _MULTITHREAD or _SERIALIZED); 0 until it does, which is SQLite's default, serialized. */
extern int ls_config_threading;

/* Set up c's mutex for a connection opened with these sqlite3_open_v2 flags: serialized
 * unless SQLITE_OPEN_NOMUTEX or a single- or multi-thread sqlite3_config says otherwise,
 * as SQLite decides. */
void ls_conn_mutex_init(ls_conn *c, int open_flags);

/* This thread's id for the biased lock: the thread pointer (one instruction) where the
 * compiler offers it, else pthread_self(). */
static inline uintptr_t ls_thread_id(void)
{
#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(__aarch64__))
    return (uintptr_t)__builtin_thread_pointer();
#else
    return (uintptr_t)pthread_self();
#endif
}

/* Take c's lock the slow way: its mutex, revoking another thread's bias (conn_lock.c). */
void ls_conn_lock_slow(ls_conn *c);

/* What ls_enter took, for ls_leave: the connection (NULL: nothing), and the owner's depth
 * before this call when it entered biased (-1: it holds the mutex). */
typedef struct ls_lock {
    ls_conn *c;
    int depth;
} ls_lock;

/* Take the lock of the connection behind handle p (a connection, a statement or a blob);
 * nothing for a closed handle, a value or context, or a connection opened without a mutex.
 * SQLite holds db->mutex in each of these calls, so threads sharing one connection take
 * turns.  Values and contexts take none: SQLite's sqlite3_value_* do not either, and a
 * context's calls run inside a step that already holds it.
 * The biased fast path (the opening thread, no other thread ever called): the depth is
 * raised with a plain store, then the revoking flag is read with only a compiler barrier
 * between; the revoking thread's membarrier() (conn_lock.c) is the other half of that
 * Dekker pair, so either this thread sees the flag or the revoker sees the depth.  No
 * atomic read-modify-write, and ls_leave stores the depth back without reading it. */
static inline __attribute__((always_inline)) ls_lock ls_enter(const void *p)
{
    const ls_handle *h = (const ls_handle *)p;
    if (h->state != LS_STATE_LIVE || h->kind == LS_KIND_VALUE || h->kind == LS_KIND_CONTEXT)
        return (ls_lock){ NULL, -1 };
    ls_conn *c = h->conn;
    if (!c || !c->serialized)
        return (ls_lock){ NULL, -1 };
    if (LS_LIKELY(atomic_load_explicit(&c->bias, memory_order_relaxed) == ls_thread_id())) {
        int d = atomic_load_explicit(&c->bias_depth, memory_order_relaxed);
        atomic_store_explicit(&c->bias_depth, d + 1, memory_order_relaxed);
        if (d > 0)
            return (ls_lock){ c, d };   /* nested (an app callback): ours until we leave */
        atomic_signal_fence(memory_order_seq_cst);
        if (LS_LIKELY(!atomic_load_explicit(&c->revoking, memory_order_relaxed)))
            return (ls_lock){ c, 0 };
        atomic_store_explicit(&c->bias_depth, 0, memory_order_release);
    }
    ls_conn_lock_slow(c);
    return (ls_lock){ c, -1 };
}

/* Release what ls_enter took.  The bias goes only while its owner is outside every call,
 * so a call that entered biased leaves biased.  The release store publishes the call's
 * writes to a revoker that sees the depth fall to 0. */
static inline __attribute__((always_inline)) void ls_leave(ls_lock k)
{
    if (!k.c)
        return;
    if (k.depth >= 0)
        atomic_store_explicit(&k.c->bias_depth, k.depth, memory_order_release);
    else
        pthread_mutex_unlock(&k.c->mu);
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
