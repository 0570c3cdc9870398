/* SPDX-License-Identifier: MIT
 *
 * Leveled logging for the shim: silent unless LITESHIFT_LOG=error|warn|info|debug, to stderr
 * or LITESHIFT_LOG_FILE.  One line per event: UTC time, level, connection id, message.
 * Callers never pass bound values or passwords; ls_log_redact() masks a connection string.
 */
#ifndef LS_LOG_H
#define LS_LOG_H

#include <stddef.h>

typedef enum ls_log_level {
    LS_LOG_OFF = 0,
    LS_LOG_ERROR,
    LS_LOG_WARN,
    LS_LOG_INFO,
    LS_LOG_DEBUG,
} ls_log_level;

/* The configured level, read from the environment on first use. */
ls_log_level ls_log_level_get(void);

#define ls_log(level, conn_id, ...)                                                           \
    do {                                                                                      \
        if ((level) <= ls_log_level_get())                                                    \
            ls_log_write((level), (conn_id), __VA_ARGS__);                                    \
    } while (0)

void ls_log_write(ls_log_level level, unsigned conn_id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copy a libpq connection string or URL into out (cap bytes, always terminated) with any
 * password replaced by "***": key=value form (password=...) and URL form (user:pw@host). */
void ls_log_redact(const char *conninfo, char *out, size_t cap);

#endif
