/* SPDX-License-Identifier: MIT
 *
 * liteshift run: execute a program with libliteshift.so preloaded and the environment the
 * shim reads.  Also where the CLI finds the shim and its source tree.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"

static char shim_buf[PATH_MAX + 64];

static int exists(const char *p)
{
    return access(p, R_OK) == 0;
}

const char *ls_shim_path(void)
{
    const char *env = getenv("LITESHIFT_SHIM");
    if (env && *env)
        return exists(env) ? env : NULL;
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            snprintf(shim_buf, sizeof shim_buf, "%s/../lib/libliteshift.so", self);
            if (exists(shim_buf))
                return shim_buf;
            snprintf(shim_buf, sizeof shim_buf, "%s/libliteshift.so", self);
            if (exists(shim_buf))
                return shim_buf;
        }
    }
    snprintf(shim_buf, sizeof shim_buf, "%s/libliteshift.so", LS_BUILD_SHIM_DIR);
    return exists(shim_buf) ? shim_buf : NULL;
}

const char *ls_source_dir(void)
{
    const char *env = getenv("LITESHIFT_SOURCE_DIR");
    return env && *env ? env : LS_SOURCE_DIR;
}

static const char run_usage[] =
    "usage: liteshift run [--postgres[=URL]] [--sqlite] -- CMD [ARGS]\n"
    "  --postgres[=URL]  serve the program's databases from PostgreSQL (sets USE_POSTGRES=1,\n"
    "                    and DATABASE_URL when URL is given)\n"
    "  --sqlite          force the real SQLite (unsets USE_POSTGRES): the rollback path\n";

/* Contract: execs CMD on success (never returns); 2 on usage errors, 1 when the shim cannot
 * be found, 127 when CMD cannot be executed (as a shell does). */
int ls_cmd_run(int argc, char **argv)
{
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "--postgres") == 0) {
            setenv("USE_POSTGRES", "1", 1);
        } else if (strncmp(a, "--postgres=", 11) == 0) {
            setenv("USE_POSTGRES", "1", 1);
            setenv("DATABASE_URL", a + 11, 1);
        } else if (strcmp(a, "--sqlite") == 0) {
            unsetenv("USE_POSTGRES");
        } else if (strcmp(a, "--help") == 0) {
            fputs(run_usage, stdout);
            return 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "liteshift run: unknown option '%s'\n%s", a, run_usage);
            return 2;
        } else {
            break;
        }
    }
    if (i >= argc) {
        fputs(run_usage, stderr);
        return 2;
    }
    const char *shim = ls_shim_path();
    if (!shim) {
        fprintf(stderr, "liteshift run: libliteshift.so not found (set LITESHIFT_SHIM)\n");
        return 1;
    }
    const char *old = getenv("LD_PRELOAD");
    char *pre;
    if (old && *old) {
        size_t n = strlen(shim) + strlen(old) + 2;
        pre = malloc(n);
        if (!pre)
            return 1;
        snprintf(pre, n, "%s:%s", shim, old);
    } else {
        pre = strdup(shim);
        if (!pre)
            return 1;
    }
    setenv("LD_PRELOAD", pre, 1);
    free(pre);
    execvp(argv[i], argv + i);
    fprintf(stderr, "liteshift run: cannot execute '%s': %s\n", argv[i], strerror(errno));
    return 127;
}
