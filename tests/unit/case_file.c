/* SPDX-License-Identifier: MIT
 *
 * Reading tests/cases/<topic>.case files and the fake schema built from a case's setup lines (see
 * case_file.h for the format).  Test support code: it prints to stderr and may exit.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case_file.h"

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

static void append(char **dst, const char *line)
{
    size_t a = *dst ? strlen(*dst) : 0, b = strlen(line);
    char *p = realloc(*dst, a + b + 2);
    if (!p)
        exit(1);
    if (a)
        p[a++] = '\n';
    memcpy(p + a, line, b + 1);
    *dst = p;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool load_file(const char *path, const char *base, case_set *out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        return false;
    }
    char line[8192];
    int lineno = 0, state = 0;   /* 0 none, 1 input, 2 expect */
    case_item *cur = NULL;
    bool ok = true;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (!strncmp(line, "##", 2))
            continue;
        if (!strncmp(line, "# id:", 5)) {
            case_item *v = realloc(out->v, (out->n + 1) * sizeof *v);
            if (!v)
                exit(1);
            out->v = v;
            cur = &out->v[out->n++];
            memset(cur, 0, sizeof *cur);
            cur->file = xstrdup(base);
            cur->line = lineno;
            const char *p = line + 5;
            while (*p == ' ')
                p++;
            size_t idlen = strcspn(p, " ");
            cur->id = strndup(p, idlen);
            p += idlen;
            while (*p == ' ')
                p++;
            cur->title = xstrdup(p);
            state = 1;
            continue;
        }
        if (!cur) {
            if (n) {
                fprintf(stderr, "%s:%d: text before the first '# id:'\n", path, lineno);
                ok = false;
            }
            continue;
        }
        if (state == 1 && !strcmp(line, "# exec")) {
            cur->exec = true;
        } else if (state == 1 && !strncmp(line, "# setup:", 8)) {
            char **s = realloc(cur->setup, (cur->n_setup + 1) * sizeof *s);
            if (!s)
                exit(1);
            cur->setup = s;
            cur->setup[cur->n_setup++] = xstrdup(line + 8 + (line[8] == ' '));
        } else if (!strcmp(line, "----") && state == 1) {
            state = 2;
            cur->expect = xstrdup("");   /* an empty expectation is a statement with no text */
        } else if (state == 1) {
            if (n || cur->input)
                append(&cur->input, line);
        } else if (state == 2) {
            if (!n)
                continue;
            if (!strncmp(line, "!error:", 7) && !*cur->expect) {
                free(cur->expect);
                cur->is_error = true;
                cur->expect = xstrdup(line + 7 + (line[7] == ' '));
            } else {
                append(&cur->expect, line);
            }
        }
    }
    fclose(f);
    for (size_t k = 0; k < out->n; k++) {
        case_item *c = &out->v[k];
        if (strcmp(c->file, base))
            continue;
        if (!c->input || !c->expect) {
            fprintf(stderr, "%s:%d: case %s lacks input or expected text\n", path, c->line, c->id);
            ok = false;
        }
    }
    return ok;
}

bool case_set_load(const char *dir, case_set *out)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "%s: cannot open directory\n", dir);
        return false;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 5 && !strcmp(e->d_name + l - 5, ".case")) {
            names = realloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    bool ok = n > 0;
    for (size_t k = 0; k < n; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        ok &= load_file(path, names[k], out);
        free(names[k]);
    }
    free(names);
    return ok;
}

void case_set_free(case_set *set)
{
    for (size_t k = 0; k < set->n; k++) {
        case_item *c = &set->v[k];
        free(c->file), free(c->id), free(c->title), free(c->input), free(c->expect);
        for (size_t s = 0; s < c->n_setup; s++)
            free(c->setup[s]);
        free(c->setup);
    }
    free(set->v);
    memset(set, 0, sizeof *set);
}

char *case_normalize(const char *sql)
{
    ls_tokens toks = {0};
    size_t len = strlen(sql);
    if (ls_tok_scan(sql, len, &toks, NULL) != 0)
        return NULL;
    char *out = malloc(len * 2 + 2);
    size_t k = 0;
    for (size_t i = 0; i < toks.n; i++) {
        const ls_token *t = &toks.v[i];
        if (t->type == LS_TK_SPACE || t->type == LS_TK_COMMENT || t->type == LS_TK_SEMI)
            continue;
        if (k)
            out[k++] = ' ';
        bool fold = t->type == LS_TK_KEYWORD || t->type == LS_TK_ID;
        for (size_t p = 0; p < t->len; p++) {
            char ch = sql[t->off + p];
            out[k++] = fold ? (char)tolower((unsigned char)ch) : ch;
        }
    }
    out[k] = '\0';
    ls_tokens_clear(&toks);
    return out;
}

/* ---------------------------------------------------------------------------------------
 * Fake schema
 * ------------------------------------------------------------------------------------- */

typedef struct fake_table {
    char name[64];
    ls_rw_table t;
    ls_rw_column cols[65];
    char colnames[65][64];
    const char *unique[64];
    char rowid[64];
    char seq[160];
} fake_table;

struct case_schema {
    fake_table tabs[16];
    size_t n;
    ls_rw_schema s;
};

static const ls_rw_table *lookup(void *ctx, const char *name)
{
    case_schema *cs = ctx;
    for (size_t k = 0; k < cs->n; k++)
        if (!strcmp(cs->tabs[k].name, name))
            return &cs->tabs[k].t;
    return NULL;
}

case_schema *case_schema_new(char **setup, size_t n)
{
    case_schema *cs = calloc(1, sizeof *cs);
    if (!cs)
        exit(1);
    cs->s.table = lookup;
    cs->s.ctx = cs;
    for (size_t k = 0; k < n && cs->n < 16; k++) {
        const char *sql = setup[k];
        while (*sql == ' ')
            sql++;
        if (strncasecmp(sql, "create table", 12))
            continue;
        ls_ddl_result d;
        ls_err err;
        if (ls_ddl_translate(sql, strlen(sql), &d, &err) != 0)
            continue;
        fake_table *ft = &cs->tabs[cs->n++];
        snprintf(ft->name, sizeof ft->name, "%s", d.table);
        for (size_t dc = 0; dc < d.n_cols && ft->t.n_cols < 63; dc++) {
            size_t c = ft->t.n_cols++;
            snprintf(ft->colnames[c], 64, "%s", d.cols[dc].name);
            ft->cols[c].name = ft->colnames[c];
            ft->cols[c].is_bool = d.cols[dc].is_bool;
            if (d.cols[dc].rowid_alias) {
                snprintf(ft->rowid, sizeof ft->rowid, "%s", d.cols[dc].name);
                ft->t.rowid = ft->rowid;
            }
            if (d.cols[dc].unique)
                ft->unique[ft->t.n_unique++] = ft->colnames[c];
            if (d.cols[dc].class_col) {   /* D2: its class column follows it */
                ft->cols[c].has_class = true;
                size_t q = ft->t.n_cols++;
                snprintf(ft->colnames[q], 64, "%.57s" LS_CLASS_SUFFIX, d.cols[dc].name);
                ft->cols[q].name = ft->colnames[q];
                ft->cols[q].hidden = ft->cols[q].is_class = true;
            }
        }
        if (d.hidden_rowid) {   /* DIALECT T7: the DDL appended a hidden rowid column */
            size_t c = ft->t.n_cols++;
            snprintf(ft->colnames[c], 64, "%s", LS_HIDDEN_ROWID);
            ft->cols[c].name = ft->colnames[c];
            ft->cols[c].hidden = true;
            snprintf(ft->rowid, sizeof ft->rowid, "%s", LS_HIDDEN_ROWID);
            ft->t.rowid = ft->rowid;
        }
        if (ft->t.rowid) {   /* PostgreSQL's name for an identity column's sequence */
            char seq[160];
            snprintf(seq, sizeof seq, "%s_%s_seq", d.table, ft->rowid);
            memcpy(ft->seq, seq, sizeof seq);
            ft->t.rowid_seq = ft->seq;
        }
        ft->t.cols = ft->cols;
        ft->t.unique = ft->unique;
        ls_ddl_result_clear(&d);
    }
    return cs;
}

void case_schema_free(case_schema *s)
{
    free(s);
}

const ls_rw_schema *case_schema_get(case_schema *s)
{
    return &s->s;
}

bool case_rewrite(case_schema *s, const char *sql, ls_rw_result *r)
{
    ls_err err;
    if (ls_rw_rewrite(sql, strlen(sql), case_schema_get(s), r, &err) != 0) {
        fprintf(stderr, "rewrite failed: %s: %s\n", sql, err.msg);
        return false;
    }
    return true;
}
