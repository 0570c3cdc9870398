/* SPDX-License-Identifier: MIT
 *
 * The PostgreSQL-side compatibility pack: SQL objects (sqlite_master, date/time functions,
 * PRAGMA answers) installed in their own schema.  This header is what the shim and the tools
 * may use.
 */
#ifndef LS_COMPAT_H
#define LS_COMPAT_H

/* Version of the SQL pack this build installs; a newer shim upgrades an older pack. */
int ls_compat_version(void);

#endif
