/* SPDX-License-Identifier: MIT
 *
 * SQLSTATE to SQLite extended result codes and SQLite-shaped messages: the one table the
 * PostgreSQL backend answers errors from (STYLE "Errors", DESIGN §4, DIALECT R12).  It owns
 * the choice of code and the wording; the caller owns the connection's error slot and the
 * log line carrying PostgreSQL's own text.  Pure: no I/O, no allocation, no globals written.
 * Invariant: every path writes a NUL-terminated message when cap > 0.
 *
 * Expectations come from SQLite 3.40.1 (Python's sqlite3 with sqlite_errorcode) and from
 * PostgreSQL 15 error fields, both observed on real engines; tests/unit/test_errmap.c names
 * the statements.  Decisions where no exact equivalent exists:
 *   - CHECK: SQLite names an unnamed check by its expression text ("CHECK constraint
 *     failed: a>0"), which PostgreSQL does not report; we give PostgreSQL's constraint name,
 *     generated ones included ("ck_a_check").  Named constraints match SQLite exactly.
 *   - UNIQUE on an expression index: SQLite says "index 'name'"; so do we, with the
 *     PostgreSQL index name.  Without a parsable detail we say the same.
 *   - 42P07 "relation x already exists" does not say whether x is a table, index or view:
 *     we say "table x already exists" (SQLite's wording for CREATE TABLE).
 *   - 42703 'column "c" of relation "t"' comes from INSERT column lists (and UPDATE SET):
 *     we give SQLite's INSERT wording "table t has no column named c".
 *   - 22003: integer/bigint/smallint out of range is SQLite's "integer overflow" (sum(),
 *     abs()), SQLITE_ERROR; other ranges (float, numeric) keep PostgreSQL's text.  SQLITE_RANGE
 *     is about bind indexes and SQLITE_TOOBIG about sizes, so neither fits.
 *   - 57014: a statement timeout, like a user cancel, is SQLITE_INTERRUPT; a lock timeout is
 *     SQLITE_BUSY (PostgreSQL 15 reports lock timeouts as 55P03, handled the same).
 *   - 42501: SQLite's authorizer denial, SQLITE_AUTH "not authorized".
 */
#include "errmap.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <string.h>

/* The fields of one PostgreSQL error; any may be NULL. */
typedef struct pgerr {
    const char *sqlstate;
    const char *primary;
    const char *detail;
    const char *schema;
    const char *table;
    const char *column;
    const char *constraint;
} pgerr;

/* ================================================================ message buffer ===== */

/* Bounded writer into the caller's buffer.  Once something did not fit, nothing more is
 * appended, so a message is a clean prefix of the full text. */
typedef struct out {
    char *p;      /* caller's buffer, NULL when cap is 0 */
    size_t cap;   /* bytes at p */
    size_t len;   /* bytes written, excluding the NUL */
    bool full;    /* something was cut */
} out;

static void put_n(out *o, const char *s, size_t n)
{
    if (o->cap == 0 || o->full || s == NULL)
        return;
    size_t room = o->cap - 1 - o->len;
    if (n > room) {
        /* cut before a UTF-8 continuation byte, never inside a character */
        n = room;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        o->full = true;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static void put(out *o, const char *s)
{
    if (s != NULL)
        put_n(o, s, strlen(s));
}

static void reset(out *o)
{
    o->len = 0;
    o->full = false;
    if (o->cap > 0)
        o->p[0] = '\0';
}

/* =========================================================== text pattern rules ===== */

/* A PostgreSQL message of the form <prefix>X1[<mid>X2]<suffix>, rewritten with template
 * (%1 and %2 stand for X1 and X2).  Without mid, a template without %1 requires X1 to be
 * empty (an exact message).  PostgreSQL does not escape the names inside, so the suffix is
 * matched at the very end and mid at its first occurrence. */
typedef struct pattern {
    const char *sqlstate;
    const char *prefix;
    const char *mid;       /* NULL: one capture */
    const char *suffix;
    const char *template;
} pattern;

static const pattern patterns[] = {
    /* select * from nosuch */
    {"42P01", "relation \"", NULL, "\" does not exist", "no such table: %1"},
    /* drop table nosuch; drop view nosuch; drop index nosuch */
    {"42P01", "table \"", NULL, "\" does not exist", "no such table: %1"},
    {"42P01", "view \"", NULL, "\" does not exist", "no such view: %1"},
    {"42704", "index \"", NULL, "\" does not exist", "no such index: %1"},
    /* insert into t2(zz) values(1) */
    {"42703", "column \"", "\" of relation \"", "\" does not exist",
     "table %2 has no column named %1"},
    /* select zz from t2 */
    {"42703", "column \"", NULL, "\" does not exist", "no such column: %1"},
    /* select t2.zz from t2 */
    {"42703", "column ", NULL, " does not exist", "no such column: %1"},
    /* select nofunc(1) */
    {"42883", "function ", "(", ") does not exist", "no such function: %1"},
    /* selec 1 */
    {"42601", "syntax error at or near \"", NULL, "\"", "near \"%1\": syntax error"},
    /* select * from */
    {"42601", "syntax error at end of input", NULL, "", "incomplete input"},
    /* select 'abc */
    {"42601", "unterminated quoted string at or near \"", NULL, "\"", "unrecognized token: \"%1\""},
    {"42601", "unterminated quoted identifier at or near \"", NULL, "\"",
     "unrecognized token: \"%1\""},
    {"42601", "unterminated dollar-quoted string at or near \"", NULL, "\"",
     "unrecognized token: \"%1\""},
    /* create table t2(a int), twice */
    {"42P07", "relation \"", NULL, "\" already exists", "table %1 already exists"},
    /* create trigger tr ..., twice */
    {"42710", "trigger \"", "\" for relation \"", "\" already exists", "trigger %1 already exists"},
    {"42710", "index \"", NULL, "\" already exists", "index %1 already exists"},
    /* create schema s, twice; schemas stand for attached databases */
    {"42P06", "schema \"", NULL, "\" already exists", "database %1 is already in use"},
    /* rollback to nosuch */
    {"3B001", "savepoint \"", NULL, "\" does not exist", "no such savepoint: %1"},
    /* 23514 without a constraint field */
    {"23514", "new row for relation \"", "\" violates check constraint \"", "\"",
     "CHECK constraint failed: %2"},
    {"23514", "value for domain ", " violates check constraint \"", "\"",
     "CHECK constraint failed: %2"},
    /* 23502 without table and column fields */
    {"23502", "null value in column \"", "\" of relation \"", "\" violates not-null constraint",
     "NOT NULL constraint failed: %2.%1"},
};

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return n <= len && memcmp(s + len - n, suffix, n) == 0;
}

/* Writes template with the captures of text into o and returns true when text has the
 * shape of pt; leaves o untouched otherwise. */
static bool apply_pattern(const pattern *pt, const char *text, out *o)
{
    size_t len = strlen(text), pre = strlen(pt->prefix), suf = strlen(pt->suffix);
    if (pre + suf > len || !starts_with(text, pt->prefix) || !ends_with(text, len, pt->suffix))
        return false;
    const char *x1 = text + pre, *x2 = NULL;
    size_t n1 = len - pre - suf, n2 = 0;
    if (pt->mid != NULL) {
        size_t m = strlen(pt->mid);
        const char *at = NULL;
        for (size_t i = 0; i + m <= n1 && at == NULL; i++)
            if (memcmp(x1 + i, pt->mid, m) == 0)
                at = x1 + i;
        if (at == NULL || at == x1)
            return false;
        x2 = at + m;
        n2 = (size_t)(x1 + n1 - x2);
        n1 = (size_t)(at - x1);
    }
    if (pt->mid == NULL && strstr(pt->template, "%1") == NULL && n1 > 0)
        return false;
    for (const char *t = pt->template; *t != '\0'; t++) {
        if (t[0] == '%' && t[1] == '1') {
            put_n(o, x1, n1);
            t++;
        } else if (t[0] == '%' && t[1] == '2') {
            put_n(o, x2, n2);
            t++;
        } else {
            put_n(o, t, 1);
        }
    }
    return true;
}

/* Rewrites e->primary with the first pattern of its SQLSTATE that fits; false if none. */
static bool apply_patterns(const pgerr *e, out *o)
{
    if (e->primary == NULL)
        return false;
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++)
        if (strcmp(patterns[i].sqlstate, e->sqlstate) == 0
            && apply_pattern(&patterns[i], e->primary, o))
            return true;
    return false;
}

/* ====================================================================== builders ===== */

struct rule;
/* Writes the message for e into o and returns the code, rule->code unless refined. */
typedef int build_fn(const pgerr *e, const struct rule *r, out *o);

typedef struct rule {
    const char *sqlstate;  /* five characters, or a two-character class */
    int code;              /* SQLite extended result code */
    const char *text;      /* fixed message, or the fallback when PostgreSQL gave none */
    build_fn *build;
} rule;

/* PostgreSQL's primary message unchanged; the rule's text when there is none. */
static int build_primary(const pgerr *e, const rule *r, out *o)
{
    put(o, e->primary != NULL && e->primary[0] != '\0' ? e->primary : r->text);
    return r->code;
}

/* The rule's fixed text, as SQLite words it. */
static int build_text(const pgerr *e, const rule *r, out *o)
{
    put(o, r->text);
    return r->code;
}

/* A pattern rewrite of the primary message, or the primary message. */
static int build_pattern(const pgerr *e, const rule *r, out *o)
{
    if (!apply_patterns(e, o))
        build_primary(e, r, o);
    return r->code;
}

/* Connection lost: SQLITE_IOERR naming it, with PostgreSQL's reason when there is one. */
static int build_lost(const pgerr *e, const rule *r, out *o)
{
    put(o, r->text);
    if (e->primary != NULL && e->primary[0] != '\0') {
        put(o, ": ");
        put(o, e->primary);
    }
    return r->code;
}

/* Reads one key of a unique-violation detail at *s: a plain name, a quoted name (with ""
 * for "), or an expression.  Writes the name (unquoted) into name, returns false for an
 * expression or malformed text.  Leaves *s after the key, at ", " or ")=(". */
static bool read_key(const char **s, char *name, size_t cap)
{
    const char *p = *s;
    size_t n = 0;
    if (*p == '"') {
        for (p++;; p++) {
            if (*p == '\0')
                return false;
            if (*p == '"') {
                if (p[1] != '"')
                    break;
                p++;
            }
            if (n + 1 < cap)
                name[n++] = *p;
        }
        p++;
    } else {
        while (*p != '\0' && *p != ',' && *p != ')' && *p != '(' && *p != ' ' && *p != '"') {
            if (n + 1 < cap)
                name[n++] = *p;
            p++;
        }
        if (n == 0)
            return false;
    }
    name[n] = '\0';
    *s = p;
    return (p[0] == ',' && p[1] == ' ') || starts_with(p, ")=(");
}

/* Writes "t.a, t.b" from a detail "Key (a, b)=(1, 2) already exists."; false, with o
 * untouched, when the key list is missing or holds an expression. */
static bool put_key_columns(const pgerr *e, out *o)
{
    char name[256];
    const char *p = e->detail;
    if (p == NULL || !starts_with(p, "Key ("))
        return false;
    p += strlen("Key (");
    /* a first pass proves every key is a name before anything is written */
    for (const char *q = p;;) {
        if (!read_key(&q, name, sizeof name))
            return false;
        if (starts_with(q, ")=("))
            break;
        q += 2;
    }
    for (bool first = true;; first = false) {
        if (!read_key(&p, name, sizeof name))
            return false;
        if (!first)
            put(o, ", ");
        if (e->table != NULL) {
            put(o, e->table);
            put(o, ".");
        }
        put(o, name);
        if (starts_with(p, ")=("))
            return true;
        p += 2;
    }
}

/* 23505: "UNIQUE constraint failed: t.a, t.b"; a primary key (PostgreSQL names it
 * <table>_pkey) gives SQLITE_CONSTRAINT_PRIMARYKEY with the same text, as SQLite does for
 * INTEGER PRIMARY KEY and other primary keys alike. */
static int build_unique(const pgerr *e, const rule *r, out *o)
{
    int code = r->code;
    const char *c = e->constraint;
    if (c != NULL && ends_with(c, strlen(c), "_pkey"))
        code = SQLITE_CONSTRAINT_PRIMARYKEY;
    put(o, r->text);
    put(o, ": ");
    if (put_key_columns(e, o))
        return code;
    if (c != NULL) {
        put(o, "index '");
        put(o, c);
        put(o, "'");
    } else if (e->table != NULL) {
        put(o, e->table);
    }
    return code;
}

/* 23502: "NOT NULL constraint failed: t.c" from the table and column fields. */
static int build_notnull(const pgerr *e, const rule *r, out *o)
{
    if (e->column != NULL) {
        put(o, r->text);
        put(o, ": ");
        if (e->table != NULL) {
            put(o, e->table);
            put(o, ".");
        }
        put(o, e->column);
    } else if (!apply_patterns(e, o)) {
        build_primary(e, r, o);
    }
    return r->code;
}

/* 23514: "CHECK constraint failed: <PostgreSQL's constraint name>". */
static int build_check(const pgerr *e, const rule *r, out *o)
{
    if (e->constraint != NULL) {
        put(o, r->text);
        put(o, ": ");
        put(o, e->constraint);
    } else if (!apply_patterns(e, o)) {
        build_primary(e, r, o);
    }
    return r->code;
}

/* 57014: a lock timeout is SQLITE_BUSY, any other cancel SQLITE_INTERRUPT. */
static int build_cancel(const pgerr *e, const rule *r, out *o)
{
    if (e->primary != NULL && strstr(e->primary, "lock timeout") != NULL) {
        put(o, "database is locked");
        return SQLITE_BUSY;
    }
    put(o, r->text);
    return r->code;
}

/* 22003: integer types out of range are SQLite's "integer overflow"; others keep their text. */
static int build_range(const pgerr *e, const rule *r, out *o)
{
    static const char *const ints[] = {"smallint out of range", "integer out of range",
                                       "bigint out of range"};
    static const char *const int_types[] = {"for type smallint", "for type integer",
                                            "for type bigint"};
    const char *p = e->primary;
    if (p != NULL) {
        size_t len = strlen(p);
        for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
            if (strcmp(p, ints[i]) == 0 || ends_with(p, len, int_types[i])) {
                put(o, r->text);
                return r->code;
            }
        }
    }
    put(o, p != NULL && p[0] != '\0' ? p : r->text);
    return r->code;
}

/* 54000: a NUL character in text is a datatype mismatch; the compat pack's "string or blob
 * too big" (zeroblob, randomblob past SQLITE_MAX_LENGTH) is SQLITE_TOOBIG, as in SQLite;
 * other limits keep their text. */
static int build_limit(const pgerr *e, const rule *r, out *o)
{
    if (e->primary != NULL && strstr(e->primary, "null character") != NULL) {
        put(o, r->text);
        return r->code;
    }
    if (e->primary != NULL && strcmp(e->primary, "string or blob too big") == 0) {
        put(o, e->primary);
        return SQLITE_TOOBIG;
    }
    put(o, e->primary != NULL && e->primary[0] != '\0' ? e->primary : "SQL logic error");
    return SQLITE_ERROR;
}

/* 22P02: a value that does not parse as its type is a datatype mismatch, except JSON text:
 * the compat pack's JSON functions let PostgreSQL's json parser reject a document
 * (compat/sql/42_json.sql), and SQLite says "malformed JSON", SQLITE_ERROR. */
static int build_mismatch(const pgerr *e, const rule *r, out *o)
{
    if (e->primary != NULL && starts_with(e->primary, "invalid input syntax for type json")) {
        put(o, "malformed JSON");
        return SQLITE_ERROR;
    }
    put(o, r->text);
    return r->code;
}

#define LOST "lost connection to PostgreSQL server"
#define CANTOPEN "unable to open database file"   /* sqlite3_errstr(SQLITE_CANTOPEN) */

/* The mapping.  First match wins: five-character SQLSTATEs, then classes. */
static const rule rules[] = {
    /* class 23: integrity constraints */
    {"23505", SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed", build_unique},
    {"23502", SQLITE_CONSTRAINT_NOTNULL, "NOT NULL constraint failed", build_notnull},
    {"23503", SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed", build_text},
    {"23001", SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed", build_text},
    {"23514", SQLITE_CONSTRAINT_CHECK, "CHECK constraint failed", build_check},
    {"23", SQLITE_CONSTRAINT, "constraint failed", build_primary},   /* 23P01 exclusion */
    /* concurrency: SQLite's writer lock */
    /* a write whose snapshot another writer's commit made stale (REPEATABLE READ, D11):
     * SQLite's WAL answer to the same write is SQLITE_BUSY_SNAPSHOT */
    {"40001", SQLITE_BUSY_SNAPSHOT, "database is locked", build_text},
    {"40P01", SQLITE_BUSY, "database is locked", build_text},
    {"55P03", SQLITE_BUSY, "database is locked", build_text},
    {"57014", SQLITE_INTERRUPT, "interrupted", build_cancel},
    /* the connection */
    {"57P01", SQLITE_IOERR, LOST, build_lost},   /* admin_shutdown */
    {"57P02", SQLITE_IOERR, LOST, build_lost},   /* crash_shutdown */
    {"57P04", SQLITE_IOERR, LOST, build_lost},   /* database_dropped */
    {"57P05", SQLITE_IOERR, LOST, build_lost},   /* idle_session_timeout */
    {"08", SQLITE_IOERR, LOST, build_lost},
    {"57P03", SQLITE_CANTOPEN, CANTOPEN, build_text},   /* cannot_connect_now */
    {"53300", SQLITE_CANTOPEN, CANTOPEN, build_text},   /* too_many_connections */
    {"3D000", SQLITE_CANTOPEN, CANTOPEN, build_text},   /* database does not exist */
    {"28", SQLITE_CANTOPEN, CANTOPEN, build_text},      /* authentication */
    /* names: SQLite's wording, from PostgreSQL's message */
    {"42P01", SQLITE_ERROR, "SQL logic error", build_pattern},
    {"42703", SQLITE_ERROR, "SQL logic error", build_pattern},
    {"42704", SQLITE_ERROR, "SQL logic error", build_pattern},
    {"42883", SQLITE_ERROR, "SQL logic error", build_pattern},
    {"42601", SQLITE_ERROR, "SQL logic error", build_pattern},
    {"42P07", SQLITE_ERROR, "SQL logic error", build_pattern},
    {"42710", SQLITE_ERROR, "SQL logic error", build_pattern},
    {"42P06", SQLITE_ERROR, "SQL logic error", build_pattern},
    {"3B001", SQLITE_ERROR, "SQL logic error", build_pattern},
    {"42501", SQLITE_AUTH, "not authorized", build_text},
    /* values */
    {"22P02", SQLITE_MISMATCH, "datatype mismatch", build_mismatch},
    {"22007", SQLITE_MISMATCH, "datatype mismatch", build_text},
    {"22008", SQLITE_MISMATCH, "datatype mismatch", build_text},
    {"22021", SQLITE_MISMATCH, "invalid UTF-8 in text value", build_text},
    {"22P05", SQLITE_MISMATCH, "text value has no equivalent in the database encoding",
     build_text},
    {"54000", SQLITE_MISMATCH, "NUL character not permitted in text value", build_limit},
    {"22003", SQLITE_ERROR, "integer overflow", build_range},
    /* resources and state */
    {"53100", SQLITE_FULL, "database or disk is full", build_text},
    {"53200", SQLITE_NOMEM, "out of memory", build_text},
    {"25006", SQLITE_READONLY, "attempt to write a readonly database", build_text},
    {"58030", SQLITE_IOERR, "disk I/O error", build_text},
    {"XX001", SQLITE_CORRUPT, "database disk image is malformed", build_text},
    {"XX002", SQLITE_CORRUPT, "database disk image is malformed", build_text},
    {"25P02", SQLITE_ERROR, "SQL logic error", build_primary},
    {"0A000", SQLITE_ERROR, "SQL logic error", build_primary},
};

/* The default: SQLITE_ERROR with PostgreSQL's text. */
static const rule fallback = {"", SQLITE_ERROR, "SQL logic error", build_primary};

static bool valid_sqlstate(const char *s)
{
    if (s == NULL)
        return false;
    for (int i = 0; i < 5; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return s[5] == '\0';
}

static const rule *find_rule(const char *sqlstate)
{
    if (!valid_sqlstate(sqlstate))
        return &fallback;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strlen(rules[i].sqlstate) == 5 && strcmp(rules[i].sqlstate, sqlstate) == 0)
            return &rules[i];
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strlen(rules[i].sqlstate) == 2 && strncmp(rules[i].sqlstate, sqlstate, 2) == 0)
            return &rules[i];
    return &fallback;
}

/* =================================================================== entry points ===== */

/*
 * Map one PostgreSQL error's fields to a SQLite extended code and message (see errmap.h).
 * Returns a non-zero SQLite code; msg always terminated when cap > 0.  Borrows everything.
 * Each row of rules[] has a test in tests/unit/test_errmap.c with the PostgreSQL fields and
 * the SQLite 3.40.1 message observed for the same statement.
 */
int ls_errmap_fields(const char *sqlstate, const char *primary, const char *detail,
                     const char *schema, const char *table, const char *column,
                     const char *constraint, char *msg, size_t cap)
{
    out o = {msg, msg != NULL ? cap : 0, 0, false};
    reset(&o);
    const rule *r = find_rule(sqlstate);
    pgerr e = {r == &fallback ? "" : sqlstate, primary, detail, schema, table, column, constraint};
    return r->build(&e, r, &o);
}

/* Writes LOST and the first line of reason (libpq's "ERROR:  "/"FATAL:  " prefix dropped). */
static int put_lost(const char *reason, out *o)
{
    put(o, LOST);
    if (reason == NULL)
        return SQLITE_IOERR;
    static const char *const prefixes[] = {"FATAL:  ", "ERROR:  "};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (starts_with(reason, prefixes[i]))
            reason += strlen(prefixes[i]);
    size_t n = strcspn(reason, "\r\n");
    if (n > 0) {
        put(o, ": ");
        put_n(o, reason, n);
    }
    return SQLITE_IOERR;
}

/*
 * Map a libpq result (see errmap.h): SQLITE_OK for a result that is not an error,
 * SQLITE_IOERR for a lost connection, else ls_errmap_fields on its fields.  Borrows res and
 * conn.  libpq's "server closed the connection unexpectedly" has no SQLSTATE and comes with
 * CONNECTION_BAD (observed after pg_terminate_backend); test_ls_errmap_result_* cover it.
 */
int ls_errmap_result(const PGresult *res, const PGconn *conn, char *msg, size_t cap)
{
    out o = {msg, msg != NULL ? cap : 0, 0, false};
    reset(&o);
    const char *conn_reason = conn != NULL ? PQerrorMessage(conn) : NULL;
    if (res == NULL)
        return put_lost(conn_reason, &o);
    switch (PQresultStatus(res)) {
    case PGRES_EMPTY_QUERY:
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_COPY_OUT:
    case PGRES_COPY_IN:
    case PGRES_COPY_BOTH:
    case PGRES_SINGLE_TUPLE:
        put(&o, "not an error");
        return SQLITE_OK;
#ifdef LIBPQ_HAS_PIPELINING
    case PGRES_PIPELINE_SYNC:
        put(&o, "not an error");
        return SQLITE_OK;
    case PGRES_PIPELINE_ABORTED:
        put(&o, "not executed: an earlier statement in the pipeline failed");
        return SQLITE_ERROR;
#endif
    default:
        break;
    }
    const char *sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    bool bad = conn != NULL && PQstatus(conn) == CONNECTION_BAD;
    if (bad || sqlstate == NULL || strncmp(sqlstate, "08", 2) == 0) {
        if (primary != NULL && primary[0] != '\0')
            return put_lost(primary, &o);
        const char *reason = PQresultErrorMessage(res);
        return put_lost(reason != NULL && reason[0] != '\0' ? reason : conn_reason, &o);
    }
    return ls_errmap_fields(sqlstate, primary, PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL),
                            PQresultErrorField(res, PG_DIAG_SCHEMA_NAME),
                            PQresultErrorField(res, PG_DIAG_TABLE_NAME),
                            PQresultErrorField(res, PG_DIAG_COLUMN_NAME),
                            PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME), msg, cap);
}
