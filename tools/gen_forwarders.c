/* SPDX-License-Identifier: MIT
 *
 * Build-time generator: turns shim/exports.txt (the reviewed ABI, one named prototype per
 * line) into three files in the build tree:
 *
 *   real_table.h  the table of pointers into the real libsqlite3 (one typed slot per export,
 *                 typed with __typeof__ of the <sqlite3.h> declaration) and an index enum;
 *   forwarders.c  one exported definition per non-variadic function: if any handle argument
 *                 is a liteshift handle the call goes to the PostgreSQL backend (ls_pg_<name>
 *                 when shim/pg_api.txt lists it, else a clean "not supported" answer);
 *                 otherwise it jumps to the real function;
 *   exports.map   the linker version script: exactly these names, the data symbols and
 *                 liteshift_*; everything else local;
 *   pg_api.h      declarations of the ls_pg_<name> implementations, typed from <sqlite3.h>.
 *
 * It reads text and writes text, nothing else: usage
 *   gen_forwarders EXPORTS.txt PG_API.txt OUTDIR
 * Exit 0 on success, 1 on a malformed line (named on stderr), 2 on usage.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FUNCS 1024
#define MAX_PARAMS 16

typedef struct {
    char ret[96];                 /* return type text, e.g. "const char *" */
    char name[96];                /* function name */
    int n_params;
    char ptext[MAX_PARAMS][256];  /* each parameter declaration as written */
    char pname[MAX_PARAMS][64];   /* each parameter's name */
    bool phandle[MAX_PARAMS];     /* parameter is a handle we must check */
    bool variadic;
    bool pg;                      /* listed in pg_api.txt */
    bool unlocked;                /* marked "unlocked" there: takes no connection mutex */
} func;

static func funcs[MAX_FUNCS];
static int n_funcs;

/* Handle types whose objects may be liteshift objects.  Mutexes, VFS objects and sqlite3_str
 * are never ours (a no-op mutex may even be a fake pointer), so they are not read. */
static const char *const handle_types[] = {
    "sqlite3", "sqlite3_stmt", "sqlite3_value", "sqlite3_context", "sqlite3_blob",
    "sqlite3_backup", "sqlite3_session", "sqlite3_changeset_iter", "sqlite3_changegroup",
    "sqlite3_rebaser", NULL,
};

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* True when decl (a parameter without its name) is "T *" or "const T *" for a handle T. */
static bool is_handle_decl(const char *decl)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", decl);
    char *p = trim(buf);
    if (strncmp(p, "const ", 6) == 0)
        p = trim(p + 6);
    size_t n = strlen(p);
    if (n < 2 || p[n - 1] != '*' || strchr(p, '(') || strchr(p, '['))
        return false;
    p[n - 1] = '\0';
    p = trim(p);
    if (strchr(p, '*'))
        return false;
    for (int i = 0; handle_types[i]; i++)
        if (strcmp(p, handle_types[i]) == 0)
            return true;
    return false;
}

/* Name of one parameter: after "(*" for a function pointer, else the last identifier.
 * Fills decl_without_name with the parameter text minus the name, for handle detection. */
static bool param_name(const char *p, char *name, size_t cap, char *rest, size_t rcap)
{
    const char *fp = strstr(p, "(*");
    const char *s, *e;
    if (fp) {
        s = fp + 2;
        e = s;
        while (isalnum((unsigned char)*e) || *e == '_')
            e++;
    } else {
        e = p + strlen(p);
        while (e > p && isspace((unsigned char)e[-1]))
            e--;
        s = e;
        while (s > p && (isalnum((unsigned char)s[-1]) || s[-1] == '_'))
            s--;
    }
    if (e == s || (size_t)(e - s) >= cap)
        return false;
    memcpy(name, s, (size_t)(e - s));
    name[e - s] = '\0';
    snprintf(rest, rcap, "%.*s%s", (int)(s - p), p, e);
    return true;
}

static bool parse_line(char *line, func *f, int lineno)
{
    char *open = strchr(line, '(');
    char *close = strrchr(line, ')');
    if (!open || !close || close < open) {
        fprintf(stderr, "exports.txt:%d: not a prototype\n", lineno);
        return false;
    }
    /* name: identifier just before '(' */
    char *ne = open;
    while (ne > line && isspace((unsigned char)ne[-1]))
        ne--;
    char *ns = ne;
    while (ns > line && (isalnum((unsigned char)ns[-1]) || ns[-1] == '_'))
        ns--;
    if (ns == ne || (size_t)(ne - ns) >= sizeof f->name) {
        fprintf(stderr, "exports.txt:%d: no function name\n", lineno);
        return false;
    }
    snprintf(f->name, sizeof f->name, "%.*s", (int)(ne - ns), ns);
    snprintf(f->ret, sizeof f->ret, "%.*s", (int)(ns - line), line);
    char *r = trim(f->ret);
    memmove(f->ret, r, strlen(r) + 1);

    /* parameters: split the text between the outer parentheses at top-level commas */
    *close = '\0';
    char *p = open + 1;
    int depth = 0;
    char *start = p;
    f->n_params = 0;
    for (;; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')')
            depth--;
        if ((*p == ',' && depth == 0) || *p == '\0') {
            char save = *p;
            *p = '\0';
            char *param = trim(start);
            if (*param) {
                if (f->n_params == MAX_PARAMS) {
                    fprintf(stderr, "exports.txt:%d: too many parameters\n", lineno);
                    return false;
                }
                int k = f->n_params++;
                if (strcmp(param, "...") == 0) {
                    f->variadic = true;
                    snprintf(f->ptext[k], sizeof f->ptext[k], "...");
                } else {
                    char rest[256];
                    if (!param_name(param, f->pname[k], sizeof f->pname[k], rest, sizeof rest)) {
                        fprintf(stderr, "exports.txt:%d: parameter '%s' has no name\n", lineno,
                                param);
                        return false;
                    }
                    snprintf(f->ptext[k], sizeof f->ptext[k], "%s", param);
                    f->phandle[k] = is_handle_decl(rest);
                }
            }
            if (save == '\0')
                break;
            start = p + 1;
        }
    }
    return true;
}

/* The value an entry point returns when it cannot do its job: an error code for int results
 * (SQLITE_ERROR), NULL for pointers, zero otherwise. */
static const char *fail_value(const func *f)
{
    if (strcmp(f->ret, "void") == 0)
        return "";
    if (strchr(f->ret, '*'))
        return "NULL";
    if (strcmp(f->ret, "int") == 0)
        return "SQLITE_ERROR";
    return "0";
}

static void emit_call_args(FILE *out, const func *f)
{
    for (int k = 0; k < f->n_params; k++)
        fprintf(out, "%s%s", k ? ", " : "", f->pname[k]);
}

static void emit_forwarder(FILE *out, const func *f)
{
    bool is_void = strcmp(f->ret, "void") == 0;
    const char *fv = fail_value(f);
    fprintf(out, "LS_EXPORT %s%s%s(", f->ret, strchr(f->ret, '*') ? "" : " ", f->name);
    if (f->n_params == 0)
        fprintf(out, "void");
    for (int k = 0; k < f->n_params; k++)
        fprintf(out, "%s%s", k ? ", " : "", f->ptext[k]);
    fprintf(out, ")\n{\n");
    bool has_handle = false;
    for (int k = 0; k < f->n_params; k++)
        has_handle |= f->phandle[k];
    if (f->pg && !has_handle) {
        /* no handle to look at (sqlite3_open...): the backend decides, and calls the real
         * function itself when the answer is SQLite */
        fprintf(out, "    %sls_pg_%s(", is_void ? "" : "return ", f->name);
        emit_call_args(out, f);
        fprintf(out, ");\n}\n\n");
        return;
    }
    for (int k = 0; k < f->n_params; k++) {
        if (!f->phandle[k])
            continue;
        fprintf(out, "    if (LS_UNLIKELY(ls_handle_ours(%s))) {\n", f->pname[k]);
        if (f->pg && !f->unlocked) {
            /* the connection's mutex around the call, as SQLite's serialized mode */
            fprintf(out, "        ls_lock lk_ = ls_enter(%s);\n", f->pname[k]);
            if (is_void)
                fprintf(out, "        ls_pg_%s(", f->name);
            else
                fprintf(out, "        %s%sr_ = ls_pg_%s(", f->ret, strchr(f->ret, '*') ? "" : " ",
                        f->name);
            emit_call_args(out, f);
            fprintf(out, ");\n        ls_leave(lk_);\n        return%s;\n", is_void ? "" : " r_");
        } else if (f->pg) {
            fprintf(out, "        %sls_pg_%s(", is_void ? "" : "return ", f->name);
            emit_call_args(out, f);
            fprintf(out, ");\n%s", is_void ? "        return;\n" : "");
        } else {
            /* the error slot is the connection's: written under its lock */
            fprintf(out, "        ls_lock lk_ = ls_enter(%s);\n", f->pname[k]);
            fprintf(out, "        ls_unsupported(%s, \"%s\");\n", f->pname[k], f->name);
            fprintf(out, "        ls_leave(lk_);\n");
            fprintf(out, "        return %s;\n", fv);
        }
        fprintf(out, "    }\n");
    }
    fprintf(out, "    %sls_real.%s(", is_void ? "" : "return ", f->name);
    emit_call_args(out, f);
    fprintf(out, ");\n}\n\n");
}

static void emit_signature(FILE *out, const func *f, const char *prefix)
{
    fprintf(out, "static %s%s%s%s(", f->ret, strchr(f->ret, '*') ? "" : " ", prefix, f->name);
    if (f->n_params == 0)
        fprintf(out, "void");
    for (int k = 0; k < f->n_params; k++)
        fprintf(out, "%s%s", k ? ", " : "", f->ptext[k]);
    fprintf(out, ")\n");
}

/* lazy_<name>: the slot's first value; loads the library, then calls through the slot.
 * fail_<name>: the slot's value when the library or the function is missing. */
static void emit_stubs(FILE *out, const func *f)
{
    bool is_void = strcmp(f->ret, "void") == 0;
    emit_signature(out, f, "fail_");
    fprintf(out, "{\n");
    for (int k = 0; k < f->n_params; k++)
        fprintf(out, "    (void)%s;\n", f->pname[k]);
    fprintf(out, "    ls_real_missing(\"%s\");\n", f->name);
    fprintf(out, "    return %s;\n}\n\n", fail_value(f));
    emit_signature(out, f, "lazy_");
    fprintf(out, "{\n    ls_real_load();\n    %sls_real.%s(", is_void ? "" : "return ", f->name);
    emit_call_args(out, f);
    fprintf(out, ");\n}\n\n");
}

static bool read_pg_api(const char *path)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        perror(path);
        return false;
    }
    char line[256];
    int lineno = 0;
    while (fgets(line, sizeof line, in)) {
        lineno++;
        char *s = trim(line);
        if (*s == '\0' || *s == '#')
            continue;
        bool unlocked = false;
        char *sp = strchr(s, ' ');
        if (sp) {
            *sp = '\0';
            char *word = trim(sp + 1);
            if (strcmp(word, "unlocked") != 0) {
                fprintf(stderr, "%s:%d: unknown marker '%s'\n", path, lineno, word);
                fclose(in);
                return false;
            }
            unlocked = true;
        }
        bool found = false;
        for (int i = 0; i < n_funcs; i++)
            if (strcmp(funcs[i].name, s) == 0) {
                funcs[i].pg = true;
                funcs[i].unlocked = unlocked;
                found = true;
            }
        if (!found) {
            fprintf(stderr, "%s:%d: '%s' is not in exports.txt\n", path, lineno, s);
            fclose(in);
            return false;
        }
    }
    fclose(in);
    return true;
}

static FILE *open_out(const char *dir, const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    if (!f)
        perror(path);
    return f;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: gen_forwarders EXPORTS.txt PG_API.txt OUTDIR\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    char line[4096];
    int lineno = 0;
    while (fgets(line, sizeof line, in)) {
        lineno++;
        char *s = trim(line);
        if (*s == '\0' || *s == '#')
            continue;
        if (n_funcs == MAX_FUNCS) {
            fprintf(stderr, "exports.txt: too many functions\n");
            return 1;
        }
        if (!parse_line(s, &funcs[n_funcs], lineno))
            return 1;
        n_funcs++;
    }
    fclose(in);
    if (!read_pg_api(argv[2]))
        return 1;

    FILE *h = open_out(argv[3], "real_table.h");
    FILE *c = open_out(argv[3], "forwarders.c");
    FILE *m = open_out(argv[3], "exports.map");
    FILE *g = open_out(argv[3], "pg_api.h");
    if (!h || !c || !m || !g)
        return 1;

    fprintf(g, "/* Generated by tools/gen_forwarders.c from shim/pg_api.txt: do not edit.\n"
               " * The PostgreSQL implementations, each with the exact type of its sqlite3 twin. */\n"
               "#ifndef LS_PG_API_H\n#define LS_PG_API_H\n#include <sqlite3.h>\n\n");
    for (int i = 0; i < n_funcs; i++)
        if (funcs[i].pg)
            fprintf(g, "__typeof__(%s) ls_pg_%s;\n", funcs[i].name, funcs[i].name);
    fprintf(g, "\n#endif\n");

    fprintf(h, "/* Generated by tools/gen_forwarders.c from shim/exports.txt: do not edit. */\n"
               "#ifndef LS_REAL_TABLE_H\n#define LS_REAL_TABLE_H\n#include <sqlite3.h>\n\n"
               "enum ls_fn_index {\n");
    for (int i = 0; i < n_funcs; i++)
        fprintf(h, "    LS_FN_%s,\n", funcs[i].name);
    fprintf(h, "    LS_FN_COUNT\n};\n\n/* One typed slot per export, filled by shim/real.c. */\n"
               "typedef struct ls_real_table {\n");
    for (int i = 0; i < n_funcs; i++)
        fprintf(h, "    __typeof__(%s) *%s;\n", funcs[i].name, funcs[i].name);
    fprintf(h, "} ls_real_table;\n\n#define LS_REAL_NAMES \\\n");
    for (int i = 0; i < n_funcs; i++)
        fprintf(h, "    \"%s\",%s\n", funcs[i].name, i + 1 < n_funcs ? " \\" : "");
    fprintf(h, "\n#endif\n");

    fprintf(c, "/* Generated by tools/gen_forwarders.c from shim/exports.txt: do not edit.\n"
               " * One exported definition per sqlite3 function: liteshift handles go to the\n"
               " * PostgreSQL backend, everything else to the real libsqlite3. */\n"
               "#include \"shim.h\"\n#include \"pg_api.h\"\n\n"
               "#pragma GCC diagnostic ignored \"-Wdeprecated-declarations\"\n\n");
    for (int i = 0; i < n_funcs; i++)
        if (!funcs[i].variadic)
            emit_stubs(c, &funcs[i]);
    fprintf(c, "ls_real_table ls_real = {\n");
    for (int i = 0; i < n_funcs; i++)
        fprintf(c, "    .%s = %s%s,\n", funcs[i].name, funcs[i].variadic ? "NULL" : "lazy_",
                funcs[i].variadic ? "" : funcs[i].name);
    fprintf(c, "};\n\nvoid *const ls_real_fail[LS_FN_COUNT] = {\n");
    for (int i = 0; i < n_funcs; i++)
        fprintf(c, "    %s%s,\n", funcs[i].variadic ? "NULL" : "(void *)fail_",
                funcs[i].variadic ? "" : funcs[i].name);
    fprintf(c, "};\n\n");
    for (int i = 0; i < n_funcs; i++)
        if (!funcs[i].variadic)
            emit_forwarder(c, &funcs[i]);

    fprintf(m, "/* Generated by tools/gen_forwarders.c: do not edit. */\n{\n  global:\n");
    for (int i = 0; i < n_funcs; i++)
        fprintf(m, "    %s;\n", funcs[i].name);
    fprintf(m, "    sqlite3_version;\n    sqlite3_temp_directory;\n    sqlite3_data_directory;\n"
               "    liteshift_*;\n  local:\n    *;\n};\n");

    int rc = 0;
    if (fclose(h) | fclose(c) | fclose(m) | fclose(g)) {
        perror("write");
        rc = 1;
    }
    return rc;
}
