/* SPDX-License-Identifier: MIT
 *
 * liteshift rewrite: show how SQLite SQL is rewritten for PostgreSQL.
 */
#include <stdio.h>

#include "cmds.h"

int ls_cmd_rewrite(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "liteshift rewrite: not available in this build yet\n");
    return 1;
}
