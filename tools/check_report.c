/* SPDX-License-Identifier: MIT
 *
 * The three forms of the `liteshift check` report: readable text for the terminal, JSON for
 * tools, and one self-contained HTML page (no network, no external script) with a summary
 * chart for sharing with the team.  The page carries the JSON report in a script element
 * and draws the chart from it in the browser (an SVG with one bar per outcome, each bar
 * tagged with its status and count); the tables of statements are plain escaped HTML, so
 * the page reads the same without scripts.  tests/integration/check_html.sh opens it in a
 * headless Chromium and reads the drawn chart back.
 *
 * Strings from the capture are the app's SQL: in JSON every control character, quote and
 * backslash is escaped, '<', '>' and '&' too (so the JSON can sit inside HTML), and bytes
 * that are not UTF-8 become U+FFFD; in HTML text they are entity-escaped.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"

static const char *status_name(ls_check_status s)
{
    switch (s) {
    case LS_CHECK_OK: return "ok";
    case LS_CHECK_TRANSLATE: return "translate_failed";
    case LS_CHECK_PREPARE: return "prepare_failed";
    }
    return "?";
}

/* ---- text ---- */

static void text_sql(FILE *out, const char *sql)
{
    for (const char *p = sql; *p; p++) {
        fputc(*p, out);
        if (*p == '\n')
            fputs("        ", out);
    }
}

/* See check.h. */
int ls_check_write_text(FILE *out, const ls_check_run *run)
{
    fprintf(out, "liteshift check: %s: %zu statements, %llu executions\n", run->capture,
            run->n_ok + run->n_translate + run->n_prepare, run->executions);
    fprintf(out, "  pass: %zu statements (%llu executions)\n", run->n_ok, run->x_ok);
    fprintf(out, "  fail: %zu statements (%llu executions): %zu cannot be translated, "
            "%zu rejected by PostgreSQL\n", run->n_translate + run->n_prepare, run->x_fail,
            run->n_translate, run->n_prepare);
    fprintf(out, "  rely on documented deviations: %zu statements\n", run->n_dev);
    for (size_t i = 0; i < run->n_items; i++) {
        const ls_check_item *it = &run->items[i];
        fputc('\n', out);
        if (it->status == LS_CHECK_TRANSLATE)
            fprintf(out, "FAIL translate  x%llu  ", it->count);
        else if (it->status == LS_CHECK_PREPARE)
            fprintf(out, "FAIL prepare    x%llu  ", it->count);
        else
            fprintf(out, "ok   %-10s x%llu  ", it->how[0] == 'p' ? "prepared" :
                    it->how[0] == 'e' ? "executed" : "shim", it->count);
        text_sql(out, it->sql);
        fputc('\n', out);
        if (it->error)
            fprintf(out, "        why: %s%s%s%s\n", it->sqlstate[0] ? "PostgreSQL " : "",
                    it->sqlstate, it->sqlstate[0] ? ": " : "", it->error);
        if (it->status == LS_CHECK_PREPARE && it->rewritten) {
            fputs("        sent: ", out);
            text_sql(out, it->rewritten);
            fputc('\n', out);
        }
        if (it->note)
            fprintf(out, "        note: %s\n", it->note);
        for (int d = 0; d < it->n_dev; d++)
            fprintf(out, "        deviation %s: %s\n", it->dev_id[d], it->dev_text[d]);
    }
    return ferror(out) ? -1 : 0;
}

/* ---- JSON ---- */

/* Length of the valid UTF-8 sequence at s, or 0. */
static int utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 2 && c < 0xC2)
        return 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0)))
        return 0; /* overlong, surrogate */
    if (n == 4 && ((c == 0xF0 && s[1] < 0x90) || c > 0xF4 || (c == 0xF4 && s[1] >= 0x90)))
        return 0;
    return n;
}

static void json_str(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        if (c == '"' || c == '\\') {
            fprintf(out, "\\%c", c);
        } else if (c == '\n') {
            fputs("\\n", out);
        } else if (c == '\t') {
            fputs("\\t", out);
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            fprintf(out, "\\u%04x", c);
        } else if (c >= 0x80) {
            int n = utf8_len(p);
            if (n == 0) {
                fputs("\\ufffd", out);
                p++;
                continue;
            }
            fwrite(p, 1, (size_t)n, out);
            p += n;
            continue;
        } else {
            fputc((int)c, out);
        }
        p++;
    }
    fputc('"', out);
}

/* See check.h. */
int ls_check_write_json(FILE *out, const ls_check_run *run)
{
    fputs("{\"capture\": ", out);
    json_str(out, run->capture);
    fprintf(out, ",\n \"summary\": {\"statements\": %zu, \"executions\": %llu, \"ok\": %zu, "
            "\"translate_failed\": %zu, \"prepare_failed\": %zu, \"deviations\": %zu, "
            "\"ok_executions\": %llu, \"failed_executions\": %llu},\n \"statements\": [",
            run->n_ok + run->n_translate + run->n_prepare, run->executions, run->n_ok,
            run->n_translate, run->n_prepare, run->n_dev, run->x_ok, run->x_fail);
    for (size_t i = 0; i < run->n_items; i++) {
        const ls_check_item *it = &run->items[i];
        fputs(i ? ",\n  {" : "\n  {", out);
        fputs("\"sql\": ", out);
        json_str(out, it->sql);
        fprintf(out, ", \"count\": %llu, \"status\": \"%s\", \"how\": ", it->count,
                status_name(it->status));
        json_str(out, it->how);
        fputs(", \"rewritten\": ", out);
        json_str(out, it->rewritten);
        fputs(", \"error\": ", out);
        json_str(out, it->error);
        fputs(", \"sqlstate\": ", out);
        json_str(out, it->sqlstate[0] ? it->sqlstate : NULL);
        fputs(", \"note\": ", out);
        json_str(out, it->note);
        fputs(", \"rules\": [", out);
        const char *r = it->rules;
        for (bool first = true; *r; first = false) {
            size_t n = strcspn(r, ",");
            fprintf(out, "%s\"%.*s\"", first ? "" : ", ", (int)n, r);
            r += n + (r[n] == ',');
        }
        fputs("], \"deviations\": [", out);
        for (int d = 0; d < it->n_dev; d++) {
            fputs(d ? ", {\"id\": " : "{\"id\": ", out);
            json_str(out, it->dev_id[d]);
            fputs(", \"text\": ", out);
            json_str(out, it->dev_text[d]);
            fputc('}', out);
        }
        fputs("]}", out);
    }
    fputs("\n ]}\n", out);
    return ferror(out) ? -1 : 0;
}

/* ---- HTML ---- */

static void html_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

static const char page_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>liteshift check</title>\n<style>\n"
    "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}\n"
    "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;"
    "padding:.3em .5em;text-align:left;vertical-align:top}\n"
    "pre{margin:0;white-space:pre-wrap;font:13px/1.35 ui-monospace,monospace}\n"
    ".fail{color:#a00}.ok{color:#070}.n{text-align:right}\n"
    "</style>\n</head>\n<body>\n";

/* The chart, drawn from the embedded report: one bar per outcome, by statements and by
 * executions.  Sets data-chart="ready" on <html> when done (the browser test waits for
 * it). */
static const char page_script[] =
    "<script>\n"
    "(function () {\n"
    "  var r = JSON.parse(document.getElementById('report').textContent);\n"
    "  var s = r.summary, ns = 'http://www.w3.org/2000/svg';\n"
    "  var rows = [['ok', 'pass', s.ok, s.ok_executions, '#2a8a2a'],\n"
    "              ['translate_failed', 'cannot be translated', s.translate_failed, null, '#c0392b'],\n"
    "              ['prepare_failed', 'rejected by PostgreSQL', s.prepare_failed, null, '#e67e22']];\n"
    "  var svg = document.getElementById('chart');\n"
    "  var max = Math.max(1, s.ok, s.translate_failed, s.prepare_failed);\n"
    "  rows.forEach(function (row, i) {\n"
    "    var w = Math.round(400 * row[2] / max), y = 10 + i * 34;\n"
    "    var bar = document.createElementNS(ns, 'rect');\n"
    "    bar.setAttribute('class', 'bar'); bar.setAttribute('data-status', row[0]);\n"
    "    bar.setAttribute('data-count', String(row[2]));\n"
    "    bar.setAttribute('x', 190); bar.setAttribute('y', y);\n"
    "    bar.setAttribute('width', Math.max(w, 1)); bar.setAttribute('height', 24);\n"
    "    bar.setAttribute('fill', row[4]); svg.appendChild(bar);\n"
    "    var label = document.createElementNS(ns, 'text');\n"
    "    label.setAttribute('x', 0); label.setAttribute('y', y + 17);\n"
    "    label.textContent = row[1]; svg.appendChild(label);\n"
    "    var n = document.createElementNS(ns, 'text');\n"
    "    n.setAttribute('x', 196 + Math.max(w, 1)); n.setAttribute('y', y + 17);\n"
    "    n.textContent = row[2] + ' statements'; svg.appendChild(n);\n"
    "  });\n"
    "  document.documentElement.setAttribute('data-chart', 'ready');\n"
    "})();\n"
    "</script>\n";

static void html_rows(FILE *out, const ls_check_run *run, bool failures)
{
    fputs("<table>\n<tr><th>runs</th><th>statement</th><th>result</th></tr>\n", out);
    for (size_t i = 0; i < run->n_items; i++) {
        const ls_check_item *it = &run->items[i];
        if ((it->status != LS_CHECK_OK) != failures)
            continue;
        fprintf(out, "<tr class=\"%s\"><td class=\"n\">%llu</td><td><pre>",
                status_name(it->status), it->count);
        html_text(out, it->sql);
        fputs("</pre>", out);
        if (failures && it->rewritten) {
            fputs("<pre>&rarr; ", out);
            html_text(out, it->rewritten);
            fputs("</pre>", out);
        }
        fputs("</td><td>", out);
        if (it->error) {
            fputs("<span class=\"fail\">", out);
            if (it->sqlstate[0])
                fprintf(out, "PostgreSQL %s: ", it->sqlstate);
            html_text(out, it->error);
            fputs("</span>", out);
        } else {
            fputs("<span class=\"ok\">", out);
            html_text(out, it->how);
            fputs("</span>", out);
        }
        if (it->note) {
            fputs("<br>", out);
            html_text(out, it->note);
        }
        for (int d = 0; d < it->n_dev; d++) {
            fprintf(out, "<br>deviation %s: ", it->dev_id[d]);
            html_text(out, it->dev_text[d]);
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

/* See check.h. */
int ls_check_write_html(FILE *out, const ls_check_run *run)
{
    fputs(page_head, out);
    fputs("<h1>liteshift check</h1>\n<p>Capture <code>", out);
    html_text(out, run->capture);
    fprintf(out, "</code>: %zu statements, %llu executions. <b class=\"fail\">%zu fail</b> "
            "(%llu executions), <span class=\"ok\">%zu pass</span>, %zu rely on documented "
            "deviations.</p>\n",
            run->n_ok + run->n_translate + run->n_prepare, run->executions,
            run->n_translate + run->n_prepare, run->x_fail, run->n_ok, run->n_dev);
    fputs("<svg id=\"chart\" width=\"720\" height=\"112\" role=\"img\" "
          "aria-label=\"statements by outcome\"></svg>\n", out);
    fputs("<h2>Statements that fail on PostgreSQL</h2>\n", out);
    html_rows(out, run, true);
    fputs("<h2>Statements that pass</h2>\n", out);
    html_rows(out, run, false);
    fputs("<script type=\"application/json\" id=\"report\">", out);
    ls_check_write_json(out, run);
    fputs("</script>\n", out);
    fputs(page_script, out);
    fputs("</body>\n</html>\n", out);
    return ferror(out) ? -1 : 0;
}
