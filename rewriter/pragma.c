/* SPDX-License-Identifier: MIT
 *
 * PRAGMA classification (DIALECT K2-K12): parse PRAGMA [schema.]name [= value | (value)]
 * and say what the backend does with it: a fixed answer, a query on the compat schema's
 * pragma_* functions, a setting accepted and remembered (with SQLite's default answer), a
 * per-connection or persisted state, or unsupported.  The rewriter only classifies; the
 * backend answers.  SQLite ignores unknown PRAGMAs silently, and so do we (a no-op).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rules.h"

typedef struct pragma_def {
    const char *name;
    ls_pragma_class cls;
    const char *answer;    /* SQLite 3.40's answer when read on a file database, or NULL */
} pragma_def;

static const pragma_def pragmas[] = {
    /* fixed answers */
    {"encoding", LS_PRAGMA_FIXED, "UTF-8"},
    {"integrity_check", LS_PRAGMA_FIXED, "ok"},
    {"quick_check", LS_PRAGMA_FIXED, "ok"},
    {"freelist_count", LS_PRAGMA_FIXED, "0"},
    /* answered from the catalog by the compat schema */
    {"table_info", LS_PRAGMA_CATALOG, NULL},
    {"table_xinfo", LS_PRAGMA_CATALOG, NULL},
    {"index_list", LS_PRAGMA_CATALOG, NULL},
    {"index_info", LS_PRAGMA_CATALOG, NULL},
    {"index_xinfo", LS_PRAGMA_CATALOG, NULL},
    {"foreign_key_list", LS_PRAGMA_CATALOG, NULL},
    {"foreign_key_check", LS_PRAGMA_CATALOG, NULL},
    {"table_list", LS_PRAGMA_CATALOG, NULL},
    {"database_list", LS_PRAGMA_CATALOG, NULL},
    {"collation_list", LS_PRAGMA_CATALOG, NULL},
    {"function_list", LS_PRAGMA_CATALOG, NULL},
    {"compile_options", LS_PRAGMA_CATALOG, NULL},
    {"page_count", LS_PRAGMA_CATALOG, NULL},
    /* state the backend keeps */
    {"user_version", LS_PRAGMA_STATE, "0"},
    {"application_id", LS_PRAGMA_STATE, "0"},
    {"foreign_keys", LS_PRAGMA_STATE, "0"},
    {"schema_version", LS_PRAGMA_STATE, NULL},
    {"data_version", LS_PRAGMA_STATE, NULL},
    {"busy_timeout", LS_PRAGMA_STATE, "0"},
    {"case_sensitive_like", LS_PRAGMA_STATE, NULL},
    {"defer_foreign_keys", LS_PRAGMA_STATE, "0"},
    /* settings with no PostgreSQL meaning: accepted, SQLite's default answered */
    {"journal_mode", LS_PRAGMA_NOOP, "delete"},
    {"synchronous", LS_PRAGMA_NOOP, "2"},
    {"cache_size", LS_PRAGMA_NOOP, "-2000"},
    {"temp_store", LS_PRAGMA_NOOP, "0"},
    {"mmap_size", LS_PRAGMA_NOOP, "0"},
    {"page_size", LS_PRAGMA_NOOP, "4096"},
    {"locking_mode", LS_PRAGMA_NOOP, "normal"},
    {"auto_vacuum", LS_PRAGMA_NOOP, "0"},
    {"secure_delete", LS_PRAGMA_NOOP, "0"},
    {"wal_autocheckpoint", LS_PRAGMA_NOOP, "1000"},
    {"wal_checkpoint", LS_PRAGMA_NOOP, NULL},
    {"journal_size_limit", LS_PRAGMA_NOOP, "-1"},
    {"recursive_triggers", LS_PRAGMA_NOOP, "0"},
    {"legacy_alter_table", LS_PRAGMA_NOOP, "0"},
    {"optimize", LS_PRAGMA_NOOP, NULL},
    {"shrink_memory", LS_PRAGMA_NOOP, NULL},
    {"automatic_index", LS_PRAGMA_NOOP, "1"},
    {"cache_spill", LS_PRAGMA_NOOP, "1"},
    {"threads", LS_PRAGMA_NOOP, "0"},
    {"trusted_schema", LS_PRAGMA_NOOP, "1"},
    {"incremental_vacuum", LS_PRAGMA_NOOP, NULL},
    {"analysis_limit", LS_PRAGMA_NOOP, "0"},
    {"soft_heap_limit", LS_PRAGMA_NOOP, "0"},
    {"hard_heap_limit", LS_PRAGMA_NOOP, "0"},
    {"cell_size_check", LS_PRAGMA_NOOP, "0"},
    {"fullfsync", LS_PRAGMA_NOOP, "0"},
    {"checkpoint_fullfsync", LS_PRAGMA_NOOP, "0"},
    {"reverse_unordered_selects", LS_PRAGMA_NOOP, "0"},
    {"query_only", LS_PRAGMA_NOOP, "0"},
    {"read_uncommitted", LS_PRAGMA_NOOP, "0"},
    {"max_page_count", LS_PRAGMA_NOOP, "4294967294"},
    /* no PostgreSQL meaning and a result apps would rely on */
    {"ignore_check_constraints", LS_PRAGMA_UNSUPPORTED, NULL},
    {"writable_schema", LS_PRAGMA_UNSUPPORTED, NULL},
    {"key", LS_PRAGMA_UNSUPPORTED, NULL},
    {"rekey", LS_PRAGMA_UNSUPPORTED, NULL},
    {NULL, 0, NULL},
};

/* Argument text of tokens [from, to) into the result (quotes removed). */
static void take_arg(rw_ctx *c, size_t from, size_t to, ls_rw_pragma *p)
{
    size_t k = 0;
    for (size_t i = from; i < to; i++) {
        const ls_token *t = &c->t[i].t;
        const char *s = c->sql + t->off;
        size_t n = t->len;
        if ((t->type == LS_TK_STRING || t->type == LS_TK_QUOTED_ID) && n >= 2) {
            s++;
            n -= 2;
        }
        if (k + n >= sizeof p->arg)
            n = sizeof p->arg - 1 - k;
        memcpy(p->arg + k, s, n);
        k += n;
    }
    p->arg[k] = '\0';
    p->has_arg = to > from;
}

int rw_pragma(rw_ctx *c)
{
    ls_rw_result *r = c->res;
    ls_rw_pragma *p = &r->pragma;
    r->kind = LS_RW_PRAGMA;
    c->rules |= LS_R_PRAGMA;
    size_t i = 1;
    if (i >= c->n)
        return rw_fail(c, i, "incomplete input: PRAGMA needs a name");
    if (rw_op(c, i + 1, ".")) {
        rw_name(c, i, p->schema, sizeof p->schema);
        i += 2;
    }
    if (!rw_name(c, i, p->name, sizeof p->name))
        return rw_fail(c, i, "unknown PRAGMA name");
    i++;
    if (rw_op(c, i, "=")) {
        p->is_set = true;
        take_arg(c, i + 1, c->n, p);
        i = c->n;
    } else if (rw_op(c, i, "(") && c->t[i].match > 0) {
        size_t close = (size_t)c->t[i].match;
        take_arg(c, i + 1, close, p);
        i = close + 1;
    }
    if (i < c->n)
        return rw_fail(c, i, "near \"%.*s\": syntax error", (int)c->t[i].t.len,
                       c->sql + c->t[i].t.off);
    p->cls = LS_PRAGMA_NOOP;   /* unknown pragmas are ignored, as SQLite does */
    for (const pragma_def *d = pragmas; d->name; d++)
        if (!strcmp(d->name, p->name)) {
            p->cls = d->cls;
            p->answer = d->answer;
            break;
        }
    /* a "(value)" on a setting pragma sets it too: PRAGMA cache_size(100) */
    if (p->has_arg && p->cls != LS_PRAGMA_CATALOG)
        p->is_set = true;
    r->readonly = !(p->is_set && p->cls == LS_PRAGMA_STATE);
    if (p->cls == LS_PRAGMA_UNSUPPORTED)
        return rw_fail(c, 1, "PRAGMA %s has no PostgreSQL equivalent", p->name);
    if (p->cls == LS_PRAGMA_CATALOG) {
        /* DIALECT K3-K5, K12: the compat schema's table-valued pragma_<name>(arg) */
        rw_sb b = {0};
        rw_sb_str(&b, "SELECT * FROM " LS_COMPAT_SCHEMA ".pragma_");
        rw_sb_str(&b, p->name);
        rw_sb_str(&b, "(");
        if (p->has_arg) {
            rw_sb_str(&b, "'");
            for (const char *s = p->arg; *s; s++)
                rw_sb_add(&b, *s == '\'' ? "''" : s, *s == '\'' ? 2 : 1);
            rw_sb_str(&b, "'");
        }
        rw_sb_str(&b, ")");
        if (b.oom)
            c->oom = true;
        else
            c->t[0].repl = rw_strdup(c, b.p, b.len);
        free(b.p);
    }
    return SQLITE_OK;
}
