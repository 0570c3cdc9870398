/* SPDX-License-Identifier: MIT
 *
 * SQLite triggers as PL/pgSQL, for the copy tool: CREATE TRIGGER name BEFORE|AFTER
 * INSERT|DELETE|UPDATE [OF cols] ON table [FOR EACH ROW] [WHEN expr] BEGIN stmt; ... END
 * becomes a trigger function whose body runs each statement as the rewriter translates it
 * (ls_rw_rewrite, no schema: a statement that needs one is refused), then the trigger.
 * Refused, with the reason: INSTEAD OF triggers, RAISE(), and any statement or WHEN clause
 * the rewriter cannot translate.  The caller names the trigger in the message.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "copy.h"
#include "rewrite.h"

static bool is(const char *sql, const ls_token *t, const char *w)
{
    return ls_tok_text_is(sql, t, w);
}

static void name_of(const char *sql, const ls_token *t, char *out, size_t cap)
{
    const char *s = sql + t->off;
    size_t n = t->len;
    if (t->type == LS_TK_QUOTED_ID || t->type == LS_TK_STRING)
        s++, n -= 2;
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[n] = '\0';
}

/* One statement through the rewriter; NULL and err set when it cannot be translated. */
static char *rewrite(const char *s, size_t n, char *err, size_t cap)
{
    ls_rw_result r;
    ls_err e;
    memset(&r, 0, sizeof r);
    if (ls_rw_rewrite(s, n, NULL, &r, &e) != SQLITE_OK) {
        snprintf(err, cap, "%s", e.msg);
        ls_rw_result_clear(&r);
        return NULL;
    }
    char *out = strdup(r.sql);
    ls_rw_result_clear(&r);
    return out;
}

int ls_copy_trigger(const char *sql, const char *schema, ls_cb *out, char *err, size_t cap)
{
    ls_tokens all = {0};
    ls_err e;
    if (ls_tok_scan(sql, strlen(sql), &all, &e) != SQLITE_OK) {
        snprintf(err, cap, "cannot read the trigger");
        return 1;
    }
    ls_token *t = calloc(all.n + 1, sizeof *t);
    size_t n = 0;
    for (size_t i = 0; t && i < all.n; i++)
        if (all.v[i].type != LS_TK_SPACE && all.v[i].type != LS_TK_COMMENT)
            t[n++] = all.v[i];
    ls_tokens_clear(&all);
    int rc = 1;
    char name[64] = "", tbl[64] = "", when_err[200] = "";
    ls_cb cols = {0}, body = {0};
    char *when = NULL;
    size_t k = 1;
    if (!t)
        goto done;
    if (k < n && (is(sql, &t[k], "TEMP") || is(sql, &t[k], "TEMPORARY")))
        k++;
    k++;   /* TRIGGER */
    if (k + 2 < n && is(sql, &t[k], "IF"))
        k += 3;
    while (k + 2 < n && t[k + 1].type == LS_TK_OPERATOR && sql[t[k + 1].off] == '.')
        k += 2;
    name_of(sql, &t[k++], name, sizeof name);
    const char *timing = "BEFORE";
    if (k < n && is(sql, &t[k], "INSTEAD")) {
        snprintf(err, cap, "INSTEAD OF triggers are not translated");
        goto done;
    }
    if (k < n && (is(sql, &t[k], "BEFORE") || is(sql, &t[k], "AFTER")))
        timing = is(sql, &t[k++], "AFTER") ? "AFTER" : "BEFORE";
    if (k >= n)
        goto done;
    const char *event = is(sql, &t[k], "INSERT") ? "INSERT" : is(sql, &t[k], "DELETE") ? "DELETE"
                      : is(sql, &t[k], "UPDATE") ? "UPDATE" : NULL;
    if (!event) {
        snprintf(err, cap, "unknown trigger event");
        goto done;
    }
    k++;
    if (!strcmp(event, "UPDATE") && k < n && is(sql, &t[k], "OF")) {
        k++;
        while (k < n && !is(sql, &t[k], "ON")) {
            if (t[k].type != LS_TK_OPERATOR) {
                char c[64];
                name_of(sql, &t[k], c, sizeof c);
                ls_cb_str(&cols, cols.len ? ", " : " OF ");
                ls_cb_ident(&cols, c);
            }
            k++;
        }
    }
    k++;   /* ON */
    while (k + 2 < n && t[k + 1].type == LS_TK_OPERATOR && sql[t[k + 1].off] == '.')
        k += 2;
    if (k >= n)
        goto done;
    name_of(sql, &t[k++], tbl, sizeof tbl);
    if (k + 2 < n && is(sql, &t[k], "FOR"))
        k += 3;
    if (k < n && is(sql, &t[k], "WHEN")) {
        size_t w = ++k;
        while (k < n && !(t[k].type == LS_TK_KEYWORD && t[k].kw == LS_KW_BEGIN))
            k++;
        if (k >= n)
            goto done;
        ls_cb q = {0};
        ls_cb_str(&q, "SELECT 1 WHERE ");
        ls_cb_add(&q, sql + t[w].off, t[k - 1].off + t[k - 1].len - t[w].off);
        char *r = q.oom ? NULL : rewrite(q.p, q.len, when_err, sizeof when_err);
        ls_cb_free(&q);
        char *where = r ? strstr(r, " WHERE ") : NULL;
        if (!where) {
            snprintf(err, cap, "WHEN clause: %s", when_err[0] ? when_err : "not translated");
            free(r);
            goto done;
        }
        when = strdup(where + 7);
        free(r);
    }
    if (k >= n || !(t[k].type == LS_TK_KEYWORD && t[k].kw == LS_KW_BEGIN))
        goto done;
    size_t end = n;
    while (end > k && !is(sql, &t[end - 1], "END"))
        end--;
    /* the body's statements, split at top-level semicolons */
    size_t s = k + 1;
    int depth = 0;
    for (size_t i = k + 1; i + 1 < end + 1 && i < end; i++) {
        if (t[i].type == LS_TK_OPERATOR && sql[t[i].off] == '(')
            depth++;
        else if (t[i].type == LS_TK_OPERATOR && sql[t[i].off] == ')')
            depth--;
        if (t[i].type == LS_TK_KEYWORD && t[i].kw == LS_KW_RAISE) {
            snprintf(err, cap, "RAISE() is not translated");
            goto done;
        }
        if (t[i].type != LS_TK_SEMI || depth != 0)
            continue;
        if (i > s) {
            char e2[200] = "";
            char *r = rewrite(sql + t[s].off, t[i - 1].off + t[i - 1].len - t[s].off, e2, sizeof e2);
            if (!r) {
                snprintf(err, cap, "statement %.40s...: %s", sql + t[s].off, e2);
                goto done;
            }
            bool select = strncasecmp(r, "SELECT", 6) == 0;
            ls_cb_printf(&body, "  %s%s;\n", select ? "PERFORM" : "", select ? r + 6 : r);
            free(r);
        }
        s = i + 1;
    }
    const char *ret = !strcmp(timing, "AFTER") ? "NULL" : !strcmp(event, "DELETE") ? "OLD" : "NEW";
    char fn[64];
    snprintf(fn, sizeof fn, "ls_trg_%.55s", name);
    ls_cb_str(out, "CREATE FUNCTION ");
    ls_cb_ident(out, schema);
    ls_cb_str(out, ".");
    ls_cb_ident(out, fn);
    ls_cb_printf(out, "() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $ls_trg$\nBEGIN\n%s  RETURN %s;\n"
                 "END\n$ls_trg$;\nCREATE TRIGGER ", body.p ? body.p : "", ret);
    ls_cb_ident(out, name);
    ls_cb_printf(out, " %s %s%s ON ", timing, event, cols.p ? cols.p : "");
    ls_cb_ident(out, tbl);
    ls_cb_str(out, " FOR EACH ROW");
    if (when)
        ls_cb_printf(out, " WHEN (%s)", when);
    ls_cb_str(out, " EXECUTE FUNCTION ");
    ls_cb_ident(out, schema);
    ls_cb_str(out, ".");
    ls_cb_ident(out, fn);
    ls_cb_str(out, "()");
    rc = out->oom;
done:
    if (rc && !err[0])
        snprintf(err, cap, "unexpected trigger syntax");
    free(t);
    free(when);
    ls_cb_free(&cols);
    ls_cb_free(&body);
    return rc;
}
