/* SPDX-License-Identifier: MIT
 *
 * The liteshift subcommands.  Each takes the arguments after its own name (argv[0] is the
 * subcommand) and returns the process exit code: 0 done, 1 failed, 2 usage.
 */
#ifndef LS_CMDS_H
#define LS_CMDS_H

int ls_cmd_run(int argc, char **argv);
int ls_cmd_demo(int argc, char **argv);
int ls_cmd_rewrite(int argc, char **argv);
int ls_cmd_compat(int argc, char **argv);
int ls_cmd_check(int argc, char **argv);
int ls_cmd_copy(int argc, char **argv);
int ls_cmd_verify(int argc, char **argv);

/* Path of libliteshift.so for this liteshift binary: $LITESHIFT_SHIM, else next to the
 * binary (../lib/ when installed), else the build tree.  NULL when none exists. */
const char *ls_shim_path(void);

/* Directory holding tests/pg/harness.sh and the sample data (the source tree). */
const char *ls_source_dir(void);

#endif
