/* SPDX-License-Identifier: MIT
 *
 * The shim's one logging module (see log.h).  The level is read once; formatting happens only
 * when the level lets the line through.  Writes are single fprintf calls on an unbuffered
 * stream so lines from several threads do not interleave mid-line.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "log.h"

static ls_log_level level = LS_LOG_OFF;
static FILE *sink;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void log_init(void)
{
    const char *v = getenv("LITESHIFT_LOG");
    static const char *const names[] = { "off", "error", "warn", "info", "debug" };
    if (v)
        for (int i = 0; i < 5; i++)
            if (strcasecmp(v, names[i]) == 0)
                level = (ls_log_level)i;
    sink = stderr;
    const char *path = getenv("LITESHIFT_LOG_FILE");
    if (level != LS_LOG_OFF && path && *path) {
        FILE *f = fopen(path, "a");
        if (f) {
            setvbuf(f, NULL, _IOLBF, 0);
            sink = f;
        }
    }
}

ls_log_level ls_log_level_get(void)
{
    pthread_once(&once, log_init);
    return level;
}

void ls_log_write(ls_log_level lv, unsigned conn_id, const char *fmt, ...)
{
    static const char *const tags[] = { "", "ERROR", "WARN", "INFO", "DEBUG" };
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    fprintf(sink, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ liteshift %s conn=%u %s\n",
            tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
            ts.tv_nsec / 1000000, tags[lv], conn_id, msg);
}

/* See log.h.  Tested by tests/unit/test_log.c. */
void ls_log_redact(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    if (cap == 0)
        return;
    const char *scheme = strstr(in, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    for (const char *p = in; *p && o + 1 < cap;) {
        if (scheme && at && p == scheme + 3) {
            /* URL userinfo: keep the user, mask what follows the first ':' */
            const char *colon = memchr(p, ':', (size_t)(at - p));
            const char *end = colon ? colon : at;
            while (p < end && o + 1 < cap)
                out[o++] = *p++;
            if (colon) {
                for (const char *m = ":***"; *m && o + 1 < cap; m++)
                    out[o++] = *m;
                p = at;
            }
            continue;
        }
        if (strncasecmp(p, "password", 8) == 0 && (p == in || p[-1] == ' ' || p[-1] == '&' ||
                                                   p[-1] == '?')) {
            const char *q = p + 8;
            while (*q == ' ')
                q++;
            if (*q == '=') {
                for (const char *m = "password=***"; *m && o + 1 < cap; m++)
                    out[o++] = *m;
                q++;
                while (*q == ' ')
                    q++;
                if (*q == '\'') {
                    for (q++; *q && *q != '\''; q++)
                        if (*q == '\\' && q[1])
                            q++;
                    if (*q)
                        q++;
                } else {
                    while (*q && *q != ' ' && *q != '&')
                        q++;
                }
                p = q;
                continue;
            }
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
}
