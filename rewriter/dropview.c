/* SPDX-License-Identifier: MIT
 *
 * DROP VIEW over views that other views use.  SQLite drops the view and leaves the views built
 * on it in the schema, broken: selecting from them fails, DROP VIEW and sqlite_master still
 * see them, and CREATE VIEW of their name fails.  PostgreSQL refuses the DROP ("other objects
 * depend on it").  So DROP VIEW [IF EXISTS] v becomes one DO block that lists the views
 * depending on v (recursively), drops v with CASCADE, and puts back each dependent as a
 * placeholder view of the same name whose every read fails with SQLite's message, cast to an
 * integer at run time (random() keeps the server from folding it at CREATE): "invalid input
 * syntax ... no such table: main.v", a datatype mismatch where SQLite reports "no such table"
 * (docs/sqllogictest.md).  Without dependents it is a plain DROP VIEW.
 * Only the one-name form is handled; anything else passes through unchanged.
 */
#include "rules.h"

#include <stdlib.h>
#include <string.h>

/* Appends s with every ' doubled (inside a standard string literal). */
static void add_quoted(rw_sb *b, const char *s)
{
    for (; *s; s++)
        rw_sb_add(b, *s == '\'' ? "''" : s, 1 + (*s == '\''));
}

bool rw_drop_view(rw_ctx *c)
{
    size_t k = 2;
    bool if_exists = rw_kw(c, k, LS_KW_IF) && rw_kw(c, k + 1, LS_KW_EXISTS);
    if (if_exists)
        k += 2;
    if (rw_is(c, k, "main") && rw_op(c, k + 1, "."))
        k += 2;
    if (!rw_is_name(c, k) || (k + 1 < c->n && !rw_op(c, k + 1, ";")))
        return false;
    char name[128];
    if (!rw_name(c, k, name, sizeof name) || strchr(name, '$'))
        return false;
    rw_sb id = {0}, b = {0};
    rw_sb_ident(&id, name);
    rw_sb_add(&id, "", 0);
    if (id.oom) {
        c->oom = true;
        free(id.p);
        return true;
    }
    rw_sb_str(&b, "DO $ls$DECLARE v regclass := to_regclass('");
    add_quoted(&b, id.p);
    rw_sb_str(&b, "'); d record; deps text[] := '{}'; q text; BEGIN "
                  "IF v IS NOT NULL THEN FOR d IN WITH RECURSIVE dep(oid) AS ("
                  "SELECT rw.ev_class FROM pg_depend pd JOIN pg_rewrite rw ON rw.oid = pd.objid "
                  "WHERE pd.classid = 'pg_rewrite'::regclass AND pd.refobjid = v "
                  "AND rw.ev_class <> v "
                  "UNION SELECT rw.ev_class FROM dep JOIN pg_depend pd ON pd.refobjid = dep.oid "
                  "JOIN pg_rewrite rw ON rw.oid = pd.objid "
                  "WHERE pd.classid = 'pg_rewrite'::regclass AND rw.ev_class <> dep.oid) "
                  "SELECT format('%I.%I', n.nspname, cl.relname) AS q FROM dep "
                  "JOIN pg_class cl ON cl.oid = dep.oid "
                  "JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE cl.relkind = 'v' "
                  "LOOP deps := deps || d.q; END LOOP; END IF; DROP VIEW ");
    if (if_exists)
        rw_sb_str(&b, "IF EXISTS ");
    rw_sb_str(&b, id.p);
    rw_sb_str(&b, " CASCADE; FOREACH q IN ARRAY deps LOOP EXECUTE format("
                  "'CREATE VIEW %s AS SELECT CAST(CASE WHEN random() >= 0 THEN %L END AS integer) AS broken', q, "
                  "'no such table: main.");
    add_quoted(&b, name);
    rw_sb_str(&b, "'); END LOOP; END$ls$");
    free(id.p);
    if (b.oom) {
        c->oom = true;
    } else {
        rw_replace(c, 0, k + 1, rw_strdup(c, b.p, b.len), LS_R_DDL);
    }
    free(b.p);
    return true;
}
