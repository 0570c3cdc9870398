/* SPDX-License-Identifier: MIT
 *
 * Statement capture (LITESHIFT_CAPTURE=FILE): every distinct SQL text the app prepares, with
 * how often, for `liteshift check`.  Never bound values: only the text the app passed to
 * prepare, which holds parameters as ?, :name...  See shim/capture.c for the file format.
 *
 * Ownership: the capture table is owned by shim/capture.c; callers pass borrowed text.
 */
#ifndef LS_CAPTURE_H
#define LS_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>

/* True once ls_capture_install() found LITESHIFT_CAPTURE set.  Read without a lock: it is
 * written once, while the real library is loaded, before any app call completes. */
extern bool ls_capture_on;

/* Called once by shim/real.c after the real library's table is filled: when
 * LITESHIFT_CAPTURE names a file, swaps the prepare family, step, exec and get_table in
 * ls_real for capturing wrappers (so the unset case costs nothing) and arranges the flush
 * at exit. */
void ls_capture_install(void);

/* Record one statement: the text sql[0..len), trimmed of surrounding space and a final
 * ';', and add runs to its count (0 when it was only prepared).  Does nothing for empty
 * text.  Thread-safe. */
void ls_capture_note(const char *sql, size_t len, unsigned runs);

/* Append what was recorded since the last flush to the capture file (locked, O_APPEND),
 * then start counting from zero.  Called at exit and every 30 s of activity. */
void ls_capture_flush(void);

#endif
