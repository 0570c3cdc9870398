/* SPDX-License-Identifier: MIT
 *
 * Whether a write may go in the backend's replay log (DIALECT S6, docs/compatibility.md
 * "Statement rollback"): inside a transaction the backend runs writes without a savepoint
 * of their own and, when a statement fails, rolls back to a savepoint taken before the last
 * few and runs them again with the values they were bound.  That is only sound for a
 * statement that, run again on the same rows, writes the same thing: this pass says which.
 *
 * A write is replayable when
 *   - it reads no table but the one it writes (no subquery, FROM, JOIN or WITH: another
 *     table or a view may not answer the same);
 *   - it calls no function but those known to answer the same for the same arguments (no
 *     random(), no date or time function, which may read 'now', no function of the app's,
 *     no aggregate whose order is unspecified) and names no CURRENT_TIME/DATE/TIMESTAMP;
 *   - it has no LIMIT (which rows a LIMIT without ORDER BY picks is the plan's choice);
 *   - its table is known and the schema says nothing else runs with it (no trigger of its
 *     own, no rule, no default that calls a function: ls_rw_table.replay_unsafe);
 *   - an INSERT into a table with a rowid sequence adds at most one row and keeps its rowid
 *     visible (the backend pins the sequence to that rowid before running it again), and is
 *     no REPLACE (a delete and an insert).
 * Reads need no flag: they are never run again. */
#include <string.h>

#include "rules.h"

/* SQLite's functions whose answer depends on their arguments and the rows only. */
static const char *const deterministic[] = {
    "abs", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull",
    "iif", "instr", "length", "like", "likelihood", "likely", "lower", "ltrim", "max",
    "min", "nullif", "octet_length", "printf", "quote", "replace", "round", "rtrim", "sign",
    "substr", "substring", "trim", "typeof", "unhex", "unicode", "unlikely", "upper",
    "zeroblob", "count", "sum", "total", "avg",
    "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos",
    "cosh", "degrees", "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow",
    "power", "radians", "sin", "sinh", "sqrt", "tan", "tanh", "trunc",
    "json", "json_array", "json_array_length", "json_extract", "json_insert",
    "json_object", "json_patch", "json_quote", "json_remove", "json_replace", "json_set",
    "json_type", "json_valid",
};

static bool known(const char *name)
{
    for (size_t k = 0; k < sizeof deterministic / sizeof deterministic[0]; k++)
        if (strcmp(name, deterministic[k]) == 0)
            return true;
    return false;
}

/* See rules.h. */
void rw_replay_rules(rw_ctx *c)
{
    ls_rw_result *r = c->res;
    const ls_rw_table *t = c->target;
    if ((r->kind != LS_RW_INSERT && r->kind != LS_RW_UPDATE && r->kind != LS_RW_DELETE)
        || !t || t->replay_unsafe)
        return;
    if (rw_seen(c, LS_KW_CURRENT_TIMESTAMP) || rw_seen(c, LS_KW_CURRENT_DATE)
        || rw_seen(c, LS_KW_CURRENT_TIME) || rw_seen(c, LS_KW_LIMIT)
        || rw_kw(c, c->stmt_start, LS_KW_REPLACE) || r->onerr == LS_ONERR_REPLACE)
        return;
    /* it reads no table but its own (another table, a view, may change between the two
     * runs under a writer that does not take the lock, or not answer the same), and calls
     * only known functions (a quoted name "random"() is a call too) */
    if (c->stmt_start > 0 || rw_seen(c, LS_KW_SELECT) || rw_seen(c, LS_KW_JOIN)
        || rw_seen(c, LS_KW_USING))
        return;
    for (size_t i = 0; i < c->n; i++) {
        if (rw_kw(c, i, LS_KW_FROM) && !(r->kind == LS_RW_DELETE && i == c->stmt_start + 1))
            return;   /* UPDATE ... FROM */
        if (rw_kw(c, i, LS_KW_IN) && !rw_op(c, i + 1, "("))
            return;   /* x IN table (or view): a read of it */
        if (!rw_op(c, i + 1, "(") || !(c->t[i].t.type == LS_TK_ID || rw_is_name(c, i))
            || rw_kw(c, i, LS_KW_VALUES) || !rw_is_call(c, i))
            continue;
        char name[64];
        if ((i > 0 && rw_op(c, i - 1, ".")) || !rw_name(c, i, name, sizeof name))
            return;     /* schema.f(...): not one of SQLite's */
        for (char *p = name; *p; p++)
            *p = rw_lower(*p);
        if (!known(name))
            return;
    }
    if (r->kind == LS_RW_INSERT && t->rowid_seq) {
        if (!r->one_row || !r->returning_rowid)
            return;
        size_t n = strlen(t->rowid_seq);
        if (n >= sizeof r->replay_seq)
            return;
        memcpy(r->replay_seq, t->rowid_seq, n + 1);
    }
    if (!c->target_key[0])
        return;
    memcpy(r->replay_table, c->target_key, sizeof r->replay_table);
    r->replay_ok = true;
}
