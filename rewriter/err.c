/* SPDX-License-Identifier: MIT
 *
 * Filling an ls_err: the one place rewriter errors are written.
 */
#include <stdarg.h>
#include <stdio.h>

#include "rewriter.h"

/* Set err (if not NULL) to code at offset with a printf-style message; returns code. */
int ls_err_set(ls_err *err, int code, size_t offset, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
        err->offset = offset;
    }
    return code;
}
