/* SPDX-License-Identifier: MIT
 *
 * The eight variadic sqlite3 functions, written by hand because a generated forwarder cannot
 * pass "..." on.  Where SQLite has a va_list twin (mprintf, snprintf, str_appendf) we call
 * it; sqlite3_log has none, so the message is formatted here and passed as "%s"; for
 * sqlite3_config, sqlite3_db_config, sqlite3_vtab_config and sqlite3_test_control the op code
 * decides the arguments, decoded from the tables below (SQLite 3.40's sqlite3.h and main.c),
 * and each is passed on with its own type.  Unknown op codes are passed on with no further
 * arguments: SQLite answers SQLITE_ERROR for them without reading any.
 */
#include <stdarg.h>
#include <stddef.h>

#include "shim.h"
#include "pg_api.h"

/* Variadic slots start NULL (they have no lazy stub); the others are always callable. */
#define REAL(fn) (ls_real.fn ? ls_real.fn : (__typeof__(ls_real.fn))ls_real_resolve(LS_FN_##fn))

/* One decoded argument list: up to four arguments of kinds I (int), L (sqlite3_int64),
 * P (pointer) and D (double), in the order of the pattern string. */
typedef struct {
    const char *pat;
    int i[4];
    sqlite3_int64 l[4];
    void *p[4];
    double d[4];
} args;

static void decode(args *a, const char *pat, va_list *ap)
{
    a->pat = pat;
    for (int k = 0; pat[k] && k < 4; k++) {
        switch (pat[k]) {
        case 'I': a->i[k] = va_arg(*ap, int); break;
        case 'L': a->l[k] = va_arg(*ap, sqlite3_int64); break;
        case 'P': a->p[k] = va_arg(*ap, void *); break;
        case 'D': a->d[k] = va_arg(*ap, double); break;
        }
    }
}

typedef int (*opfn_i)(int, ...);
typedef int (*opfn_db)(sqlite3 *, int, ...);

/* Call fn(op, args...) for every pattern the tables use. */
static int call_op(opfn_i fn, int op, const args *a)
{
    const char *s = a->pat;
#define IS(x) (__builtin_strcmp(s, x) == 0)
    if (IS(""))     return fn(op);
    if (IS("I"))    return fn(op, a->i[0]);
    if (IS("L"))    return fn(op, a->l[0]);
    if (IS("P"))    return fn(op, a->p[0]);
    if (IS("II"))   return fn(op, a->i[0], a->i[1]);
    if (IS("IP"))   return fn(op, a->i[0], a->p[1]);
    if (IS("PI"))   return fn(op, a->p[0], a->i[1]);
    if (IS("PP"))   return fn(op, a->p[0], a->p[1]);
    if (IS("LL"))   return fn(op, a->l[0], a->l[1]);
    if (IS("PII"))  return fn(op, a->p[0], a->i[1], a->i[2]);
    if (IS("PPII")) return fn(op, a->p[0], a->p[1], a->i[2], a->i[3]);
    if (IS("DPPP")) return fn(op, a->d[0], a->p[1], a->p[2], a->p[3]);
#undef IS
    return SQLITE_MISUSE;
}

static const char *config_pattern(int op)
{
    switch (op) {
    case SQLITE_CONFIG_SINGLETHREAD: case SQLITE_CONFIG_MULTITHREAD:
    case SQLITE_CONFIG_SERIALIZED:
        return "";
    case SQLITE_CONFIG_MALLOC: case SQLITE_CONFIG_GETMALLOC: case SQLITE_CONFIG_MUTEX:
    case SQLITE_CONFIG_GETMUTEX: case SQLITE_CONFIG_PCACHE: case SQLITE_CONFIG_GETPCACHE:
    case SQLITE_CONFIG_PCACHE2: case SQLITE_CONFIG_GETPCACHE2:
    case SQLITE_CONFIG_PCACHE_HDRSZ:
        return "P";
    case SQLITE_CONFIG_SCRATCH: case SQLITE_CONFIG_PAGECACHE: case SQLITE_CONFIG_HEAP:
        return "PII";
    case SQLITE_CONFIG_MEMSTATUS: case SQLITE_CONFIG_URI:
    case SQLITE_CONFIG_COVERING_INDEX_SCAN: case SQLITE_CONFIG_WIN32_HEAPSIZE:
    case SQLITE_CONFIG_PMASZ: case SQLITE_CONFIG_STMTJRNL_SPILL:
    case SQLITE_CONFIG_SMALL_MALLOC: case SQLITE_CONFIG_SORTERREF_SIZE:
    case 12: /* SQLITE_CONFIG_CHUNKALLOC, retired: one int */
        return "I";
    case SQLITE_CONFIG_LOOKASIDE:
        return "II";
    case SQLITE_CONFIG_LOG: case SQLITE_CONFIG_SQLLOG:
        return "PP";
    case SQLITE_CONFIG_MMAP_SIZE:
        return "LL";
    case SQLITE_CONFIG_MEMDB_MAXSIZE:
        return "L";
    default:
        return "";
    }
}

/* Pattern of each test-control op; 'H' marks a sqlite3* and 'C' a sqlite3_context*, both
 * passed as pointers after the handle check. */
static const char *testctrl_pattern(int op)
{
    switch (op) {
    case SQLITE_TESTCTRL_BITVEC_TEST: return "IP";
    case SQLITE_TESTCTRL_FAULT_INSTALL: return "P";
    case SQLITE_TESTCTRL_BENIGN_MALLOC_HOOKS: return "PP";
    case SQLITE_TESTCTRL_PENDING_BYTE: case SQLITE_TESTCTRL_ASSERT:
    case SQLITE_TESTCTRL_ALWAYS: case SQLITE_TESTCTRL_LOCALTIME_FAULT:
    case SQLITE_TESTCTRL_ONCE_RESET_THRESHOLD: case SQLITE_TESTCTRL_NEVER_CORRUPT:
    case SQLITE_TESTCTRL_EXTRA_SCHEMA_CHECKS:
        return "I";
    case SQLITE_TESTCTRL_OPTIMIZATIONS: return "HI";
    case SQLITE_TESTCTRL_INTERNAL_FUNCTIONS: return "H";
    case SQLITE_TESTCTRL_VDBE_COVERAGE: return "PP";
    case SQLITE_TESTCTRL_SORTER_MMAP: return "HI";
    case SQLITE_TESTCTRL_IMPOSTER: return "HPII";
    case SQLITE_TESTCTRL_PARSER_COVERAGE: return "P";
    case SQLITE_TESTCTRL_RESULT_INTREAL: return "C";
    case SQLITE_TESTCTRL_PRNG_SEED: return "IH";
    case SQLITE_TESTCTRL_SEEK_COUNT: return "HP";
    case SQLITE_TESTCTRL_TRACEFLAGS: case SQLITE_TESTCTRL_TUNE: return "IP";
    case SQLITE_TESTCTRL_LOGEST: return "DPPP";
    default: return "";
    }
}

LS_EXPORT int sqlite3_config(int op, ...)
{
    args a;
    va_list ap;
    va_start(ap, op);
    decode(&a, config_pattern(op), &ap);
    va_end(ap);
    opfn_i fn = (opfn_i)REAL(sqlite3_config);
    int rc = fn ? call_op(fn, op, &a) : SQLITE_ERROR;
    /* the threading mode also decides whether PostgreSQL connections take a mutex */
    if (rc == SQLITE_OK && (op == SQLITE_CONFIG_SINGLETHREAD || op == SQLITE_CONFIG_MULTITHREAD
                            || op == SQLITE_CONFIG_SERIALIZED))
        ls_config_threading = op;
    return rc;
}

LS_EXPORT int sqlite3_test_control(int op, ...)
{
    char pat[8];
    const char *spec = testctrl_pattern(op);
    size_t k;
    for (k = 0; spec[k] && k < sizeof pat - 1; k++)
        pat[k] = (spec[k] == 'H' || spec[k] == 'C') ? 'P' : spec[k];
    pat[k] = '\0';
    args a;
    va_list ap;
    va_start(ap, op);
    decode(&a, pat, &ap);
    va_end(ap);
    for (k = 0; spec[k]; k++)
        if ((spec[k] == 'H' || spec[k] == 'C') && ls_handle_ours(a.p[k])) {
            ls_lock lk = ls_enter(a.p[k]);
            ls_unsupported(a.p[k], "sqlite3_test_control");
            ls_leave(lk);
            return SQLITE_ERROR;
        }
    opfn_i fn = (opfn_i)REAL(sqlite3_test_control);
    return fn ? call_op(fn, op, &a) : SQLITE_ERROR;
}

LS_EXPORT int sqlite3_db_config(sqlite3 *db, int op, ...)
{
    const char *pat = op == SQLITE_DBCONFIG_MAINDBNAME ? "P"
                      : op == SQLITE_DBCONFIG_LOOKASIDE ? "PII"
                      : (op > SQLITE_DBCONFIG_LOOKASIDE && op <= SQLITE_DBCONFIG_MAX) ? "IP"
                                                                                     : "";
    args a;
    va_list ap;
    va_start(ap, op);
    decode(&a, pat, &ap);
    va_end(ap);
    if (LS_UNLIKELY(ls_handle_ours(db))) {
        ls_lock lk = ls_enter(db);
        ls_unsupported(db, "sqlite3_db_config");
        ls_leave(lk);
        return SQLITE_ERROR;
    }
    opfn_db fn = (opfn_db)REAL(sqlite3_db_config);
    if (!fn)
        return SQLITE_ERROR;
    if (!*pat)
        return fn(db, op);
    if (pat[0] == 'P' && !pat[1])
        return fn(db, op, a.p[0]);
    if (pat[0] == 'P')
        return fn(db, op, a.p[0], a.i[1], a.i[2]);
    return fn(db, op, a.i[0], a.p[1]);
}

LS_EXPORT int sqlite3_vtab_config(sqlite3 *db, int op, ...)
{
    int arg = 0;
    if (op == SQLITE_VTAB_CONSTRAINT_SUPPORT) {
        va_list ap;
        va_start(ap, op);
        arg = va_arg(ap, int);
        va_end(ap);
    }
    if (LS_UNLIKELY(ls_handle_ours(db))) {
        ls_lock lk = ls_enter(db);
        ls_unsupported(db, "sqlite3_vtab_config");
        ls_leave(lk);
        return SQLITE_ERROR;
    }
    opfn_db fn = (opfn_db)REAL(sqlite3_vtab_config);
    if (!fn)
        return SQLITE_ERROR;
    return op == SQLITE_VTAB_CONSTRAINT_SUPPORT ? fn(db, op, arg) : fn(db, op);
}

LS_EXPORT char *sqlite3_mprintf(const char *fmt, ...)
{
    __typeof__(sqlite3_vmprintf) *fn = REAL(sqlite3_vmprintf);
    if (!fn)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    char *r = fn(fmt, ap);
    va_end(ap);
    return r;
}

LS_EXPORT char *sqlite3_snprintf(int n, char *buf, const char *fmt, ...)
{
    __typeof__(sqlite3_vsnprintf) *fn = REAL(sqlite3_vsnprintf);
    if (!fn) {
        if (n > 0)
            buf[0] = '\0';
        return buf;
    }
    va_list ap;
    va_start(ap, fmt);
    char *r = fn(n, buf, fmt, ap);
    va_end(ap);
    return r;
}

LS_EXPORT void sqlite3_str_appendf(sqlite3_str *s, const char *fmt, ...)
{
    __typeof__(sqlite3_str_vappendf) *fn = REAL(sqlite3_str_vappendf);
    if (!fn)
        return;
    va_list ap;
    va_start(ap, fmt);
    fn(s, fmt, ap);
    va_end(ap);
}

/* sqlite3_log has no va_list twin: format with SQLite's own printf (so %q, %Q, %w and %z
 * behave as the caller expects) and pass the text through "%s". */
LS_EXPORT void sqlite3_log(int code, const char *fmt, ...)
{
    __typeof__(sqlite3_vmprintf) *vm = REAL(sqlite3_vmprintf);
    __typeof__(sqlite3_log) *lg = REAL(sqlite3_log);
    __typeof__(sqlite3_free) *fr = REAL(sqlite3_free);
    if (!vm || !lg || !fr)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = vm(fmt, ap);
    va_end(ap);
    lg(code, "%s", msg ? msg : "(out of memory)");
    fr(msg);
}
