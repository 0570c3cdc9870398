/* SPDX-License-Identifier: MIT
 *
 * The real libsqlite3: loaded with dlopen (never linked, or our own definitions would shadow
 * it), every export looked up once into ls_real.  Nothing else lives here.
 *
 * The library is named by LITESHIFT_SQLITE_LIB (default "libsqlite3.so.0").  Loading happens
 * in a constructor, so the forwarders normally find every slot filled; a call that arrives
 * earlier (another library's constructor) loads it through pthread_once.  When the library
 * or one function cannot be found, the slot stays NULL, the reason goes to stderr once, and
 * the forwarder returns its failure value instead of crashing.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "shim.h"
#include "log.h"

ls_real_table ls_real;

static const char *const names[LS_FN_COUNT] = { LS_REAL_NAMES };
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static void *lib;

static void load_all(void)
{
    const char *path = getenv("LITESHIFT_SQLITE_LIB");
    if (!path || !*path)
        path = "libsqlite3.so.0";
    lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "liteshift: cannot load the real SQLite library: %s\n", dlerror());
        return;
    }
    void **slots = (void **)&ls_real;
    int missing = 0;
    for (int i = 0; i < LS_FN_COUNT; i++) {
        slots[i] = dlsym(lib, names[i]);
        if (!slots[i])
            missing++;
    }
    if (missing)
        ls_log(LS_LOG_WARN, 0, "%s lacks %d of the %d sqlite3 functions liteshift exports",
               path, missing, LS_FN_COUNT);
    const char *use_pg = getenv("USE_POSTGRES");
    ls_log(LS_LOG_INFO, 0, "libliteshift loaded: real library %s (SQLite %s), USE_POSTGRES=%s",
           path, ls_real.sqlite3_libversion ? ls_real.sqlite3_libversion() : "?",
           use_pg ? use_pg : "(unset)");
}

/* See shim.h. */
void *ls_real_resolve(int index)
{
    pthread_once(&load_once, load_all);
    if (index < 0 || index >= LS_FN_COUNT)
        return NULL;
    return ((void **)&ls_real)[index];
}

__attribute__((constructor)) static void real_init(void)
{
    pthread_once(&load_once, load_all);
}
