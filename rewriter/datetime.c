/* SPDX-License-Identifier: MIT
 *
 * Date and time rules (DIALECT DT1-DT7): CURRENT_TIMESTAMP/DATE/TIME in SQLite's text form,
 * and datetime/date/time/julianday/unixepoch/strftime whose arguments are all literals
 * that PostgreSQL computes identically (a valid 'YYYY-MM-DD[ HH:MM[:SS[.f]]]' or 'now',
 * day, hour, minute and second offsets, 'start of day|month|year', month and year offsets
 * only where the day of month cannot overflow).  Everything else calls the compat
 * function of the same name in LS_COMPAT_SCHEMA, which implements SQLite's algorithm.
 *
 * 'now' is the statement's time in UTC (statement_timestamp(), as SQLite fixes 'now' per
 * statement); the session's TimeZone does not matter.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

#define NOW_UTC "statement_timestamp() AT TIME ZONE 'UTC'"
#define FMT_DATETIME "YYYY-MM-DD HH24:MI:SS"
#define FMT_DATE "YYYY-MM-DD"
#define FMT_TIME "HH24:MI:SS"

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static bool digits(const char *s, size_t n, int *v)
{
    int x = 0;
    for (size_t k = 0; k < n; k++) {
        if (!isdigit((unsigned char)s[k]))
            return false;
        x = x * 10 + (s[k] - '0');
    }
    *v = x;
    return true;
}

/* A time value SQLite and PostgreSQL read the same way: into the canonical
 * 'YYYY-MM-DD HH:MM:SS[.f]' text (out), with its day of month.  Years stay within
 * 1000-8999 so that the offsets time_expr accepts cannot leave PostgreSQL's or SQLite's
 * range (year 0, negative years, 10000); at most 3 fractional digits, as SQLite rounds
 * to milliseconds where PostgreSQL keeps microseconds; "" and other texts SQLite reads
 * as NULL or as a number go to the compat function. */
static bool parse_time_value(const char *s, size_t n, char *out, size_t cap, int *day)
{
    int y = 2000, mo = 1, d = 1, h = 0, mi = 0, sec = 0;
    size_t p = 0;
    if (n < 5)
        return false;
    if (n >= 10 && s[4] == '-' && s[7] == '-') {
        if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d))
            return false;
        if (mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo) || y < 1000 || y > 8999)
            return false;
        p = 10;
        if (p < n && (s[p] == ' ' || s[p] == 'T'))
            p++;
        else if (p != n)
            return false;
    }
    const char *frac = "";
    size_t nfrac = 0;
    if (p < n) {
        if (n - p < 5 || s[p + 2] != ':' || !digits(s + p, 2, &h) || !digits(s + p + 3, 2, &mi))
            return false;
        p += 5;
        if (p < n) {
            if (n - p < 3 || s[p] != ':' || !digits(s + p + 1, 2, &sec))
                return false;
            p += 3;
            if (p < n) {
                if (s[p] != '.' || p + 1 == n)
                    return false;
                frac = s + p;
                nfrac = n - p;
                if (nfrac > 4)
                    return false;
                for (size_t k = 1; k < nfrac; k++)
                    if (!isdigit((unsigned char)frac[k]))
                        return false;
            }
        }
        if (h > 23 || mi > 59 || sec > 59)
            return false;
    }
    *day = d;
    int k = snprintf(out, cap, "%04d-%02d-%02d %02d:%02d:%02d%.*s", y, mo, d, h, mi, sec,
                     (int)nfrac, frac);
    return k > 0 && (size_t)k < cap;
}

/* The text of string literal token i without its quotes into buf (lower case when fold);
 * false when it is not a plain string literal or is too long. */
static bool literal(const rw_ctx *c, size_t i, char *buf, size_t cap, bool fold)
{
    if (i >= c->n || c->t[i].t.type != LS_TK_STRING)
        return false;
    const char *s = c->sql + c->t[i].t.off + 1;
    size_t n = c->t[i].t.len - 2, k = 0;
    for (size_t p = 0; p < n; p++) {
        if (s[p] == '\'')
            return false;   /* no quotes inside: keeps the generated SQL simple */
        if (k + 1 >= cap)
            return false;
        buf[k++] = fold ? (char)tolower((unsigned char)s[p]) : s[p];
    }
    buf[k] = '\0';
    return true;
}

/* Build the timestamp expression for value token v and modifier tokens mods[0..n):
 * arena text, or NULL when the compat function must do it. */
static char *time_expr(rw_ctx *c, size_t v, const size_t *mods, size_t n)
{
    char buf[96], text[64];
    char *t;
    int day = 31;           /* worst case for month arithmetic */
    size_t m = 0;
    if (v == (size_t)-1) {
        t = NOW_UTC;
    } else if (literal(c, v, buf, sizeof buf, true) && !strcmp(buf, "now")) {
        t = NOW_UTC;
    } else if (literal(c, v, buf, sizeof buf, false)
               && parse_time_value(buf, strlen(buf), text, sizeof text, &day)) {
        t = rw_printf(c, "TIMESTAMP '%s'", text);
    } else if ((c->t[v].t.type == LS_TK_INTEGER || c->t[v].t.type == LS_TK_FLOAT) && n > 0
               && literal(c, mods[0], buf, sizeof buf, true) && !strcmp(buf, "unixepoch")
               && (c->t[v].t.len < 2 || c->sql[c->t[v].t.off + 1] != 'x')) {
        t = rw_printf(c, "(to_timestamp(%.*s) AT TIME ZONE 'UTC')", (int)c->t[v].t.len,
                      c->sql + c->t[v].t.off);
        m = 1;
    } else {
        return NULL;
    }
    double shift = 0;   /* days moved so far, at most: keeps years within 1..9999 */
    for (; m < n; m++) {
        if (!literal(c, mods[m], buf, sizeof buf, true))
            return NULL;
        if (!strcmp(buf, "start of day")) {
            t = rw_printf(c, "date_trunc('day', %s)", t);
        } else if (!strcmp(buf, "start of month")) {
            t = rw_printf(c, "date_trunc('month', %s)", t);
            day = 1;
        } else if (!strcmp(buf, "start of year")) {
            t = rw_printf(c, "date_trunc('year', %s)", t);
            day = 1;
        } else {
            char *end;
            double num = strtod(buf, &end);
            if (end == buf || (buf[0] != '+' && buf[0] != '-' && !isdigit((unsigned char)buf[0])))
                return NULL;
            int nlen = (int)(end - buf);
            while (*end == ' ')
                end++;
            size_t ul = strlen(end);
            if (ul > 1 && end[ul - 1] == 's')
                end[--ul] = '\0';
            static const struct { const char *unit; double days; } span[] = {
                { "year", 366 }, { "month", 31 }, { "day", 1 }, { "hour", 1.0 / 24 },
                { "minute", 1.0 / 1440 }, { "second", 1.0 / 86400 },
            };
            for (size_t k = 0; k < sizeof span / sizeof span[0]; k++)
                if (!strcmp(end, span[k].unit))
                    shift += (num < 0 ? -num : num) * span[k].days;
            if (shift > 250000)
                return NULL;
            if (!strcmp(end, "second") && strchr(buf, '.') && end - strchr(buf, '.') > 4)
                return NULL;   /* SQLite rounds offsets to milliseconds */
            if (!strcmp(end, "month") || !strcmp(end, "year")) {
                /* PostgreSQL clamps Jan 31 + 1 month to Feb 29, SQLite normalises to
                 * Mar 2: same answer only when the day cannot overflow (DIALECT DT4) */
                if (num != (double)(long long)num || day > 28)
                    return NULL;
            } else if (!strcmp(end, "day") || !strcmp(end, "hour") || !strcmp(end, "minute")
                       || !strcmp(end, "second")) {
                day = 31;
            } else {
                return NULL;
            }
            t = rw_printf(c, "%s + INTERVAL '%.*s %ss'", t, nlen, buf, end);
        }
    }
    return t;
}

/* strftime format to an expression over timestamp text t; NULL for the compat function. */
static char *strftime_expr(rw_ctx *c, const char *fmt, const char *t)
{
    rw_sb out = {0}, pat = {0};
    int pieces = 0;
    bool ok = true;
#define FLUSH()                                                                      \
    do {                                                                             \
        if (pat.len) {                                                               \
            if (pieces++)                                                            \
                rw_sb_str(&out, " || ");                                             \
            rw_sb_str(&out, "to_char(");                                             \
            rw_sb_str(&out, t);                                                      \
            rw_sb_str(&out, ", '");                                                  \
            rw_sb_add(&out, pat.p, pat.len);                                         \
            rw_sb_str(&out, "')");                                                   \
            pat.len = 0;                                                             \
        }                                                                            \
    } while (0)
    for (const char *p = fmt; *p && ok; p++) {
        if (*p != '%') {
            if (*p == '"' || *p == '\\')
                ok = false;
            rw_sb_str(&pat, "\"");
            rw_sb_add(&pat, p, 1);
            rw_sb_str(&pat, "\"");
            continue;
        }
        p++;
        const char *code = NULL, *expr = NULL, *cast = NULL;
        switch (*p) {
        case 'd': code = "DD"; break;
        case 'H': code = "HH24"; break;
        case 'm': code = "MM"; break;
        case 'M': code = "MI"; break;
        case 'S': code = "SS"; break;
        case 'Y': code = "YYYY"; break;
        case 'j': code = "DDD"; break;
        case 'f': code = "SS.MS"; break;
        case '%': code = "\"%\""; break;
        case 's': expr = "floor(extract(epoch from "; cast = "))::bigint::text"; break;
        case 'w': expr = "extract(dow from "; cast = ")::int::text"; break;
        default: ok = false; break;
        }
        if (code) {
            /* adjacent codes would merge (SS then SS reads as SSSS): one piece each */
            if (pat.len && pat.p[pat.len - 1] != '"' && code[0] != '"')
                FLUSH();
            rw_sb_str(&pat, code);
        } else if (expr) {
            FLUSH();
            if (pieces++)
                rw_sb_str(&out, " || ");
            rw_sb_str(&out, expr);
            rw_sb_str(&out, t);
            rw_sb_str(&out, cast);
        }
    }
    FLUSH();
#undef FLUSH
    char *res = NULL;
    if (ok && !out.oom && !pat.oom && pieces > 0)
        res = pieces > 1 ? rw_printf(c, "(%s)", out.p) : rw_strdup(c, out.p, out.len);
    else if (ok && pieces == 0)
        res = "''";
    free(out.p);
    free(pat.p);
    return res;
}

static void rule_datefunc(rw_ctx *c, size_t i, const char *name)
{
    size_t open = i + 1, close = (size_t)c->t[open].match;
    size_t args[16], n = 0;
    for (size_t k = open + 1; k < close; k++) {
        if (n == 16)
            goto compat;
        args[n++] = k;
        if (k + 1 < close && !rw_op(c, k + 1, ","))
            goto compat;   /* an argument of more than one token */
        k++;
    }
    char *expr = NULL;
    if (!strcmp(name, "strftime")) {
        char fmt[96];
        if (n < 1 || !literal(c, args[0], fmt, sizeof fmt, false))
            goto compat;
        char *t = time_expr(c, n > 1 ? args[1] : (size_t)-1, args + 2, n > 2 ? n - 2 : 0);
        if (!t || !(expr = strftime_expr(c, fmt, t)))
            goto compat;
    } else {
        char *t = time_expr(c, n ? args[0] : (size_t)-1, args + 1, n ? n - 1 : 0);
        if (!t)
            goto compat;
        if (!strcmp(name, "datetime"))
            expr = rw_printf(c, "to_char(%s, '" FMT_DATETIME "')", t);
        else if (!strcmp(name, "date"))
            expr = rw_printf(c, "to_char(%s, '" FMT_DATE "')", t);
        else if (!strcmp(name, "time"))
            expr = rw_printf(c, "to_char(%s, '" FMT_TIME "')", t);
        else if (!strcmp(name, "julianday"))
            expr = rw_printf(c, "(extract(epoch from %s) / 86400.0 + 2440587.5)::float8", t);
        else
            expr = rw_printf(c, "floor(extract(epoch from %s))::bigint", t);
    }
    rw_set(c, i, expr, LS_R_DATETIME);
    rw_skip(c, open, close + 1, LS_R_DATETIME);
    return;
compat:
    rw_set(c, i, rw_printf(c, LS_COMPAT_SCHEMA ".%s", name), LS_R_DATETIME);
}

/* The call whose name is token i (a bare name followed by '('). */
static void datetime_call(rw_ctx *c, size_t i)
{
    static const char *const funcs[] = {
        "datetime", "date", "time", "julianday", "unixepoch", "strftime", NULL,
    };
    if (c->t[i + 1].match < 0 || (i && rw_op(c, i - 1, ".")) || c->t[i].repl)
        return;
    for (size_t k = 0; funcs[k]; k++)
        if (rw_is(c, i, funcs[k])) {
            rule_datefunc(c, i, funcs[k]);
            return;
        }
}

void rw_datetime_rules(rw_ctx *c, size_t from, size_t to)
{
    if (!rw_seen(c, LS_KW_CURRENT_TIMESTAMP) && !rw_seen(c, LS_KW_CURRENT_DATE)
        && !rw_seen(c, LS_KW_CURRENT_TIME)) {
        for (size_t k = 0; k < c->n_calls; k++)   /* only calls to look at */
            if (c->calls[k] >= from && c->calls[k] < to && c->calls[k] < c->n)
                datetime_call(c, c->calls[k]);
        return;
    }
    for (size_t i = from; i < to && i < c->n; i++) {
        const ls_token *t = &c->t[i].t;
        if (t->type == LS_TK_KEYWORD) {
            /* DIALECT DT2: text in SQLite's form, UTC, not a timestamptz */
            const char *now = t->kw == LS_KW_CURRENT_TIMESTAMP
                                  ? "to_char(" NOW_UTC ", '" FMT_DATETIME "')"
                              : t->kw == LS_KW_CURRENT_DATE
                                  ? "to_char(" NOW_UTC ", '" FMT_DATE "')"
                              : t->kw == LS_KW_CURRENT_TIME
                                  ? "to_char(" NOW_UTC ", '" FMT_TIME "')" : NULL;
            if (now && !rw_op(c, i + 1, "(") && !rw_op(c, i + 1, ".")
                && !(i && rw_op(c, i - 1, ".")))
                rw_set(c, i, now, LS_R_DATETIME);
            continue;
        }
        if (t->type == LS_TK_ID && rw_op(c, i + 1, "("))
            datetime_call(c, i);
    }
}
