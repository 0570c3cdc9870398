/* SPDX-License-Identifier: MIT
 *
 * PostgreSQL errors to SQLite result codes and messages (DESIGN §4, DIALECT R12).  One table
 * in errmap.c maps a SQLSTATE (or its two-character class) to a SQLite extended result code
 * and to a message in the shape SQLite 3.40 gives for the equivalent failure, such as
 * "UNIQUE constraint failed: t.a" or "database is locked", because apps match on those.
 * The mapping is pure: no I/O, no allocation, no logging.  Logging PostgreSQL's own text is
 * the caller's job.
 *
 * Ownership: these functions borrow every pointer argument and keep none.  The message goes
 * into the caller's buffer: cap bytes at most, always NUL-terminated when cap > 0, cut on a
 * UTF-8 character boundary when it does not fit.  msg may be NULL only when cap is 0.
 *
 * Codes are extended codes (SQLITE_CONSTRAINT_UNIQUE, not SQLITE_CONSTRAINT); a caller
 * answering a connection without sqlite3_extended_result_codes() masks them with 0xff, as
 * SQLite does.
 */
#ifndef LS_ERRMAP_H
#define LS_ERRMAP_H

#include <libpq-fe.h>
#include <stddef.h>

#ifndef LS_MUSTCHECK
#define LS_MUSTCHECK __attribute__((warn_unused_result))
#endif

/*
 * From the fields of one PostgreSQL error, any of them NULL: returns the SQLite extended
 * result code (never SQLITE_OK) and writes SQLite's message into msg.  A NULL or malformed
 * SQLSTATE is not taken as connection loss here (ls_errmap_result does that); it gives
 * SQLITE_ERROR with the primary message.  The table with each mapping and the SQLite
 * behaviour it copies is at the top of errmap.c; tests/unit/test_errmap.c proves each.
 */
LS_MUSTCHECK int ls_errmap_fields(const char *sqlstate,   /* PG_DIAG_SQLSTATE */
                                  const char *primary,    /* PG_DIAG_MESSAGE_PRIMARY */
                                  const char *detail,     /* PG_DIAG_MESSAGE_DETAIL */
                                  const char *schema,     /* PG_DIAG_SCHEMA_NAME */
                                  const char *table,      /* PG_DIAG_TABLE_NAME */
                                  const char *column,     /* PG_DIAG_COLUMN_NAME */
                                  const char *constraint, /* PG_DIAG_CONSTRAINT_NAME */
                                  char *msg,              /* out: SQLite's message */
                                  size_t cap);            /* bytes at msg */

/*
 * Same, reading the fields from res with PQresultErrorField.  res == NULL, conn in
 * CONNECTION_BAD, an error without SQLSTATE (libpq's own, such as "server closed the
 * connection unexpectedly") or SQLSTATE class 08 give SQLITE_IOERR with "lost connection to
 * PostgreSQL server" and the first line of libpq's reason, never the conninfo.  A result
 * that is not an error (PGRES_COMMAND_OK, PGRES_TUPLES_OK, ...) gives SQLITE_OK and "not an
 * error".  conn may be NULL.
 */
LS_MUSTCHECK int ls_errmap_result(const PGresult *res, const PGconn *conn, char *msg, size_t cap);

#endif
