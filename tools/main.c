/* SPDX-License-Identifier: MIT
 *
 * The liteshift command: subcommand dispatch, --help, --version, exit codes (0 done,
 * 1 failed, 2 usage).  Subcommands live in cmd_*.c.
 */
#include <stdio.h>
#include <string.h>

#include "cmds.h"

static const char usage[] =
    "usage: liteshift [--help] [--version] COMMAND [ARGS]\n"
    "\n"
    "Move a SQLite application onto PostgreSQL without rewriting it.\n"
    "\n"
    "commands:\n"
    "  run [--postgres[=URL]] -- CMD [ARGS]\n"
    "                   run CMD with libliteshift.so preloaded; with --postgres every database\n"
    "                   it opens is served by PostgreSQL (USE_POSTGRES=1, DATABASE_URL=URL)\n"
    "  rewrite [--explain] [SQL]  show the PostgreSQL text for SQLite SQL (stdin without SQL)\n"
    "  check [--json F] [--html F] CAPTURE_FILE [DATABASE_URL]\n"
    "                   which captured statements (LITESHIFT_CAPTURE) would fail on\n"
    "                   PostgreSQL, and why: prepared in a transaction that is rolled back\n"
    "  copy [OPTIONS] SRC.db DATABASE_URL | DATABASE_URL OUT.db\n"
    "                   copy a SQLite file into PostgreSQL, all or nothing, verified; or back\n"
    "  verify [OPTIONS] SRC.db DATABASE_URL|OTHER.db\n"
    "                   compare a SQLite file with its copy, value by value\n"
    "  demo             start a throwaway PostgreSQL and show liteshift at work\n"
    "  compat install|uninstall|status URL\n"
    "                   manage the PostgreSQL-side compatibility pack (schema liteshift)\n"
    "\n"
    "environment (read by libliteshift.so):\n"
    "  USE_POSTGRES     unset or 0: pass every call to the real libsqlite3; 1: PostgreSQL\n"
    "  DATABASE_URL     libpq connection string or URL (else the PG* variables)\n"
    "  LITESHIFT_LOG    error|warn|info|debug (default: silent); LITESHIFT_LOG_FILE=path\n"
    "  LITESHIFT_SQLITE_LIB  the real library to load (default libsqlite3.so.0)\n"
    "  LITESHIFT_CAPTURE     record every distinct prepared SQL text, with counts, to this\n"
    "                   file (for liteshift check); LITESHIFT_CAPTURE_MAX caps the count\n"
    "\n"
    "exit status: 0 done, 1 failed, 2 usage.\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("liteshift %s\n", LS_VERSION);
        return 0;
    }
    if (strcmp(cmd, "run") == 0)
        return ls_cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "rewrite") == 0)
        return ls_cmd_rewrite(argc - 1, argv + 1);
    if (strcmp(cmd, "compat") == 0)
        return ls_cmd_compat(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return ls_cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "copy") == 0)
        return ls_cmd_copy(argc - 1, argv + 1);
    if (strcmp(cmd, "verify") == 0)
        return ls_cmd_verify(argc - 1, argv + 1);
    if (strcmp(cmd, "demo") == 0)
        return ls_cmd_demo(argc - 1, argv + 1);
    fprintf(stderr, "liteshift: unknown command '%s'\n\n%s", cmd, usage);
    return 2;
}
