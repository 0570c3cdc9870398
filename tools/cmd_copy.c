/* SPDX-License-Identifier: MIT
 *
 * liteshift copy: option parsing and the choice of direction.  SRC.db DATABASE_URL copies a
 * SQLite file into PostgreSQL (tools/copy/copy_fwd.c); DATABASE_URL OUT.db writes a new
 * SQLite file from PostgreSQL (tools/copy/copy_back.c).  A PostgreSQL argument is a URL
 * (postgres:// or postgresql://) or a libpq "key=value" string.
 * Exit status: 0 copied and verified, 1 failed (target unchanged), 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "copy/copy.h"

static const char copy_usage[] =
    "usage: liteshift copy [OPTIONS] SRC.db DATABASE_URL     SQLite -> PostgreSQL\n"
    "       liteshift copy [OPTIONS] DATABASE_URL OUT.db     PostgreSQL -> new SQLite file\n"
    "\n"
    "options:\n"
    "  --schema NAME            PostgreSQL schema to write (or read) (default public)\n"
    "  --include NAME           copy only this table or view (repeatable)\n"
    "  --exclude NAME           leave this table, view, index or trigger out (repeatable)\n"
    "  --if-exists fail|drop|truncate\n"
    "                           an object of the same name exists on the target: refuse\n"
    "                           (default), drop it first, or (tables) empty it and load into it;\n"
    "                           backwards: drop replaces an existing OUT.db\n"
    "  --on-bad-value fail|null|text\n"
    "                           a value PostgreSQL's column type cannot hold exactly: refuse\n"
    "                           naming table/rowid/column/value (default), store NULL (reported),\n"
    "                           or make the column text\n"
    "  --dry-run                print the plan and the translated DDL; write nothing\n"
    "  --jobs N                 parallel workers for index and key builds (default 1)\n"
    "  --report FILE.json       write a JSON report (tables, rows, rows/s, verification)\n"
    "  --no-verify              skip the value-by-value verification before commit\n"
    "  --quiet                  no progress or summary on stderr\n"
    "\n"
    "exit status: 0 copied and verified, 1 failed (the target is unchanged), 2 usage.\n";

bool ls_is_pg_url(const char *s)
{
    return strncmp(s, "postgres://", 11) == 0 || strncmp(s, "postgresql://", 13) == 0
        || strchr(s, '=') != NULL;
}

/* Options shared by copy and verify; returns the index of the first positional argument
 * (or -1 after printing an error, -2 for --help). */
int ls_copy_parse(int argc, char **argv, ls_copy_opts *o, const char **pos, int max_pos,
                  const char *cmd)
{
    int n_pos = 0;
    memset(o, 0, sizeof *o);
    o->schema = "public";
    o->jobs = 1;
    const char *kill = getenv("LITESHIFT_TEST_KILL_AFTER_ROWS");
    if (kill)
        o->kill_after_rows = atol(kill);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = !strcmp(a, "--schema") || !strcmp(a, "--include") || !strcmp(a, "--exclude")
                  || !strcmp(a, "--if-exists") || !strcmp(a, "--on-bad-value")
                  || !strcmp(a, "--jobs") || !strcmp(a, "--report");
        if (takes && !val) {
            fprintf(stderr, "liteshift %s: %s needs a value\n", cmd, a);
            return -1;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            return -2;
        } else if (!strcmp(a, "--schema")) {
            o->schema = val;
        } else if (!strcmp(a, "--include") || !strcmp(a, "--exclude")) {
            bool inc = !strcmp(a, "--include");
            size_t *n = inc ? &o->n_include : &o->n_exclude;
            if (*n == LS_COPY_MAX_FILTER) {
                fprintf(stderr, "liteshift %s: too many %s options\n", cmd, a);
                return -1;
            }
            (inc ? o->include : o->exclude)[(*n)++] = val;
        } else if (!strcmp(a, "--if-exists")) {
            if (!strcmp(val, "fail"))
                o->if_exists = LS_IFX_FAIL;
            else if (!strcmp(val, "drop"))
                o->if_exists = LS_IFX_DROP;
            else if (!strcmp(val, "truncate"))
                o->if_exists = LS_IFX_TRUNCATE;
            else {
                fprintf(stderr, "liteshift %s: --if-exists takes fail, drop or truncate\n", cmd);
                return -1;
            }
        } else if (!strcmp(a, "--on-bad-value")) {
            if (!strcmp(val, "fail"))
                o->on_bad = LS_BAD_FAIL;
            else if (!strcmp(val, "null"))
                o->on_bad = LS_BAD_NULL;
            else if (!strcmp(val, "text"))
                o->on_bad = LS_BAD_TEXT;
            else {
                fprintf(stderr, "liteshift %s: --on-bad-value takes fail, null or text\n", cmd);
                return -1;
            }
        } else if (!strcmp(a, "--jobs")) {
            char *end;
            long j = strtol(val, &end, 10);
            if (*end || j < 1 || j > 64) {
                fprintf(stderr, "liteshift %s: --jobs takes 1..64\n", cmd);
                return -1;
            }
            o->jobs = (int)j;
        } else if (!strcmp(a, "--report")) {
            o->report = val;
        } else if (!strcmp(a, "--dry-run")) {
            o->dry_run = true;
        } else if (!strcmp(a, "--no-verify")) {
            o->no_verify = true;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            o->quiet = true;
        } else if (a[0] == '-' && a[1] == '-' && a[2]) {
            fprintf(stderr, "liteshift %s: unknown option '%s'\n", cmd, a);
            return -1;
        } else {
            if (n_pos == max_pos) {
                fprintf(stderr, "liteshift %s: unexpected argument '%s'\n", cmd, a);
                return -1;
            }
            pos[n_pos++] = a;
            continue;
        }
        if (takes)
            i++;
    }
    if (n_pos != max_pos) {
        fprintf(stderr, "liteshift %s: expected %d arguments\n", cmd, max_pos);
        return -1;
    }
    return 0;
}

int ls_cmd_copy(int argc, char **argv)
{
    ls_copy_opts o;
    const char *pos[2];
    int r = ls_copy_parse(argc, argv, &o, pos, 2, "copy");
    if (r == -2) {
        fputs(copy_usage, stdout);
        return 0;
    }
    if (r < 0) {
        fputs(copy_usage, stderr);
        return 2;
    }
    o.src = pos[0];
    o.dst = pos[1];
    bool src_pg = ls_is_pg_url(o.src), dst_pg = ls_is_pg_url(o.dst);
    if (src_pg == dst_pg) {
        fprintf(stderr, "liteshift copy: one argument must be a SQLite file and the other a "
                "PostgreSQL URL (postgresql://... or key=value)\n");
        return 2;
    }
    if (src_pg && o.if_exists == LS_IFX_TRUNCATE) {
        fprintf(stderr, "liteshift copy: --if-exists truncate is for PostgreSQL targets\n");
        return 2;
    }
    /* Each SQLite connection of the copy is used by one thread (copy_check.c runs the
     * integrity check on its own connection): no per-call connection mutex
     * (SQLITE_OPEN_NOMUTEX), and no global lock around every allocation for statistics
     * nobody reads (both threads would contend for it on each row). */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return src_pg ? ls_copy_backward(&o) : ls_copy_forward(&o);
}
