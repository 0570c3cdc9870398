/* SPDX-License-Identifier: MIT
 *
 * libliteshift-nodeepbind.so: a preload helper for hosts that load their SQLite bindings
 * with dlopen(RTLD_DEEPBIND), chiefly PHP (Debian's PHP 8.2 loads every extension so).
 * RTLD_DEEPBIND makes pdo_sqlite.so resolve sqlite3_* in its own dependency,
 * libsqlite3.so.0, before the global scope, so the preloaded libliteshift.so is never
 * called and the app silently stays on SQLite.  Preloaded next to libliteshift.so, this
 * dlopen drops RTLD_DEEPBIND and changes nothing else:
 *     LD_PRELOAD="libliteshift.so libliteshift-nodeepbind.so" php app.php
 * It owns nothing; it needs only the C library.  tests/stacks (the PHP stack) proves it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

__attribute__((visibility("default"))) void *dlopen(const char *file, int mode)
{
    static void *(*real_dlopen)(const char *, int);
    if (!real_dlopen)
        real_dlopen = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
    if (!real_dlopen)
        return NULL;
    return real_dlopen(file, mode & ~RTLD_DEEPBIND);
}
