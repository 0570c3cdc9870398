/* SPDX-License-Identifier: MIT
 *
 * The pack's SQL text, generated at build time from compat/sql/NN_*.sql files (compat/embed.cmake),
 * in file name order; the list ends with a NULL name.  Static storage, never freed.
 */
#ifndef LS_COMPAT_SQL_H
#define LS_COMPAT_SQL_H

#include <stddef.h>

typedef struct {
    const char *name;   /* file base name, e.g. "00_core.sql" */
    const char *sql;    /* its whole text */
} ls_compat_sql_file;

extern const ls_compat_sql_file ls_compat_sql_files[];

#endif
