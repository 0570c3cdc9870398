/* SPDX-License-Identifier: MIT
 *
 * The table behind shim/pq_lazy.h: libpq opened with dlopen on the first PostgreSQL
 * connection, never at load time.
 */
#include <dlfcn.h>
#include <pthread.h>

#include "log.h"

struct ls_pq_api ls_pq;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded = -1;

static void load(void)
{
    void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        ls_log(LS_LOG_ERROR, 0, "cannot load libpq.so.5: %s", dlerror());
        return;
    }
#define LS_PQ_SYM(f)                                                                       \
    if (!(*(void **)&ls_pq.fn_##f = dlsym(h, #f))) {                                       \
        ls_log(LS_LOG_ERROR, 0, "libpq.so.5 lacks %s", #f);                                \
        return;                                                                            \
    }
    LS_PQ_FUNCS(LS_PQ_SYM)
#undef LS_PQ_SYM
    loaded = 0;
}

/* See pq_lazy.h. */
int ls_pq_load(void)
{
    pthread_once(&once, load);
    return loaded;
}
