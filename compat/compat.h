/* SPDX-License-Identifier: MIT
 *
 * The PostgreSQL-side compatibility pack: SQL objects (sqlite_master, date/time functions,
 * PRAGMA answers) installed in their own schema, liteshift (LS_COMPAT_SCHEMA).  This header
 * is what the shim and the tools may use.
 *
 * Ownership: every function borrows its PGconn, which must be idle and not in pipeline
 * mode or inside a transaction; the error text goes into the caller's buffer (always
 * terminated when cap > 0).  Return values are SQLite result codes.
 */
#ifndef LS_COMPAT_H
#define LS_COMPAT_H

#include <stddef.h>
#include <libpq-fe.h>

/* Version of the SQL pack this build installs; a newer shim upgrades an older pack. */
int ls_compat_version(void);

/* Install the pack, or upgrade it when the version recorded in liteshift.version is older
 * than ls_compat_version(); when it is current this costs one query and changes nothing.
 * Concurrent installers serialise on an advisory lock; the install is one transaction.
 * Returns SQLITE_OK (current or installed), SQLITE_PERM when the role may not create the
 * schema or its objects (the message says which privilege is missing), SQLITE_ERROR
 * otherwise.  *action (may be NULL) gets 0 nothing done, 1 installed, 2 upgraded. */
int ls_compat_install_ex(PGconn *pg, int *action, char *errbuf, size_t cap);
int ls_compat_install(PGconn *pg, char *errbuf, size_t cap);

/* The installed version into *version: 0 when the pack is absent.  SQLITE_OK or an error. */
int ls_compat_installed(PGconn *pg, int *version, char *errbuf, size_t cap);

/* Remove the pack: the liteshift schema with everything in it, including the recorded DDL
 * text and the persisted user_version/application_id.  Refuses (SQLITE_CONSTRAINT, the
 * objects named in errbuf) when objects outside the schema depend on it, such as a column
 * with COLLATE liteshift.nocase or a view calling liteshift.datetime. */
int ls_compat_uninstall(PGconn *pg, char *errbuf, size_t cap);

#endif
