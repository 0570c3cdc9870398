/* SPDX-License-Identifier: MIT
 *
 * The three data symbols of the sqlite3 ABI.  The real library reaches its own copies through
 * its GOT (R_X86_64_GLOB_DAT), so under LD_PRELOAD and when an app links us instead of
 * -lsqlite3 the dynamic linker binds those references to these definitions: an app that sets
 * sqlite3_temp_directory sets it for the real library too (tests/unit/test_data.c).
 */
#include "shim.h"

LS_EXPORT const char sqlite3_version[] = SQLITE_VERSION;
LS_EXPORT char *sqlite3_temp_directory = 0;
LS_EXPORT char *sqlite3_data_directory = 0;
