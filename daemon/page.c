/*
 * daemon/page.c: HTML for the status page and the pair page.
 *
 * The page refreshes itself every 30 seconds (a meta refresh, not a
 * script). States are words and colours both, so the page reads in any
 * rendering. Not yet: paging through long histories (the newest 50 show).
 */
#include "daemon/page.h"

#include "daemon/status.h"

#include <stdlib.h>
#include <string.h>

static const char CSS[] =
        "body{font:15px/1.4 system-ui,sans-serif;margin:2rem;color:#222;background:#fafafa}"
        "h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}"
        "table{border-collapse:collapse;width:100%;background:#fff}"
        "th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid "
        "#ddd;vertical-align:top}"
        "th{background:#eee;font-weight:600}"
        ".state{font-weight:600;padding:.1rem .4rem;border-radius:3px;white-space:nowrap}"
        ".ok{background:#d8f0d8;color:#175c17}.drift{background:#fde2c4;color:#8a4200}"
        ".unreachable,.error{background:#f8d0d0;color:#8a1010}"
        ".deferred,.pending{background:#e4e4f4;color:#333a80}"
        ".apply{background:#eee3f7;color:#4b2266}"
        ".ack{background:#dde8f8;color:#1a3f78}.muted{background:#e8e8e8;color:#444}"
        ".critical{color:#8a1010;font-weight:600}.high{color:#a04000;font-weight:600}"
        ".medium{color:#7a6000}.low,.none{color:#446}"
        "pre{background:#fff;border:1px solid #ddd;padding:.8rem;overflow:auto}"
        ".nw{white-space:nowrap}.err{color:#8a1010;font-size:.9em;overflow-wrap:anywhere;min-width:"
        "20rem}"
        ".sub{color:#777;font-size:.85em;font-weight:normal}footer{margin-top:2rem;color:#777;font-"
        "size:.85em}";

static void
escape_char(sd_str *out, char c)
{
	switch (c) {
	case '&':
		sd_str_append(out, "&amp;");
		break;
	case '<':
		sd_str_append(out, "&lt;");
		break;
	case '>':
		sd_str_append(out, "&gt;");
		break;
	case '"':
		sd_str_append(out, "&quot;");
		break;
	case '\'':
		sd_str_append(out, "&#39;");
		break;
	default:
		sd_str_appendc(out, c);
	}
}

void
sd_html_escape(sd_str *out, const char *text)
{
	for (; text && *text; text++)
		escape_char(out, *text);
}

/* Appends text percent-encoded for a URL path segment. */
static void
url_escape(sd_str *out, const char *text)
{
	for (; *text; text++) {
		unsigned char c = (unsigned char)*text;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~", c))
			sd_str_appendc(out, (char)c);
		else
			sd_str_appendf(out, "%%%02X", c);
	}
}

static const char *
str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

static void
head(sd_str *out, const char *title, bool refresh)
{
	sd_str_append(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	                   "<meta name=\"viewport\" content=\"width=device-width\">");
	if (refresh)
		sd_str_append(out, "<meta http-equiv=\"refresh\" content=\"30\">");
	sd_str_append(out, "<title>");
	sd_html_escape(out, title);
	sd_str_appendf(out, "</title><style>%s</style></head><body>\n", CSS);
}

static void
foot(sd_str *out)
{
	sd_str_append(out, "<footer>schemad " SD_VERSION
	                   " &middot; <a href=\"/metrics\">metrics</a> &middot; "
	                   "<a href=\"/api/pairs\">JSON</a></footer></body></html>\n");
}

/* The state badge, with acknowledged / muted beside it. */
static void
badges(sd_str *out, const json_t *p)
{
	const char *state = str(p, "state");
	const json_t *ack = json_object_get(p, "acknowledged"), *mute = json_object_get(p, "muted");

	sd_str_append(out, "<span class=\"state ");
	sd_html_escape(out, state);
	sd_str_append(out, "\">");
	sd_html_escape(out, state);
	sd_str_append(out, "</span>");
	if (json_is_object(ack)) {
		sd_str_append(out, " <span class=\"state ack\" title=\"");
		sd_html_escape(out, str(ack, "reason"));
		sd_str_append(out, "\">acknowledged by ");
		sd_html_escape(out, str(ack, "who"));
		sd_str_append(out, "</span>");
	}
	if (json_is_object(mute)) {
		sd_str_append(out, " <span class=\"state muted\">muted until ");
		sd_html_escape(out, json_is_string(json_object_get(mute, "until"))
		                            ? str(mute, "until")
		                            : "cleared");
		sd_str_append(out, "</span>");
	}
}

/* A time, on one line: "2026-11-30 14:00:00Z". */
static void
time_cell(sd_str *out, const char *iso)
{
	sd_str_append(out, "<td class=\"nw\">");
	if (!iso || !*iso)
		sd_str_append(out, "-");
	for (; iso && *iso; iso++)
		if (*iso == 'T')
			sd_str_appendc(out, ' ');
		else
			escape_char(out, *iso);
	sd_str_append(out, "</td>");
}

static void
score_cell(sd_str *out, const json_t *p)
{
	sd_str_append(out, "<td class=\"nw ");
	sd_html_escape(out, str(p, "band"));
	sd_str_appendf(out, "\">%lld ", (long long)json_integer_value(json_object_get(p, "score")));
	sd_html_escape(out, str(p, "band"));
	sd_str_appendf(out, " <span class=\"sub\">%lld changes</span></td>",
	               (long long)json_integer_value(json_object_get(p, "changes")));
}

void
sd_page_index(sd_str *out, const json_t *pairs)
{
	size_t i;
	const json_t *p;

	head(out, "schemad: status", true);
	sd_str_appendf(out,
	               "<h1>schemad: %zu pairs</h1>\n<table><thead><tr><th>pair</th>"
	               "<th>target &rarr; reference</th><th>state</th><th>since</th>"
	               "<th>score</th><th>last check</th><th>next check</th>"
	               "<th>last error</th></tr></thead><tbody>\n",
	               json_array_size(pairs));
	json_array_foreach(pairs, i, p)
	{
		sd_str_append(out, "<tr class=\"pair\"><td><a href=\"/pairs/");
		url_escape(out, str(p, "name"));
		sd_str_append(out, "\">");
		sd_html_escape(out, str(p, "name"));
		sd_str_append(out, "</a></td><td class=\"nw\">");
		sd_html_escape(out, str(p, "target"));
		sd_str_append(out, " &rarr; ");
		sd_html_escape(out, str(p, "reference"));
		sd_str_append(out, "</td><td>");
		badges(out, p);
		sd_str_append(out, "</td>");
		time_cell(out, str(p, "since"));
		score_cell(out, p);
		time_cell(out, str(p, "last_check"));
		time_cell(out, str(p, "next_check"));
		sd_str_append(out, "<td class=\"err\">");
		sd_html_escape(out, str(p, "error"));
		sd_str_append(out, "</td></tr>\n");
	}
	sd_str_append(out, "</tbody></table>\n");
	foot(out);
}

/* ---- the pair page ------------------------------------------------------ */

typedef struct item {
	const char *object;
	const sd_change *c;
} item;

static int
by_object_then_risk(const void *a, const void *b)
{
	const item *x = a, *y = b;
	int k = strcmp(x->object, y->object);

	if (k)
		return k;
	if (x->c->risk != y->c->risk)
		return y->c->risk - x->c->risk;
	return (x->c > y->c) - (x->c < y->c);
}

/* One table, one header row per object, its changes riskiest first. */
static void
changes_table(sd_str *out, const sd_diff *d)
{
	item *v = sd_xcalloc(d->n_changes + 1, sizeof(*v));
	sd_arena a;

	sd_arena_init(&a);
	for (size_t i = 0; i < d->n_changes; i++)
		v[i] = (item){sd_change_object_name(&a, &d->changes[i]), &d->changes[i]};
	qsort(v, d->n_changes, sizeof(*v), by_object_then_risk);
	sd_str_append(out, "<table class=\"changes\"><thead><tr><th>change</th><th>risk</th>"
	                   "<th>reasons</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < d->n_changes; i++) {
		const sd_change *c = v[i].c;
		const char *band = sd_band_name(sd_risk_band(c->risk));
		if (i == 0 || strcmp(v[i].object, v[i - 1].object) != 0) {
			sd_str_append(out, "<tr class=\"object\"><th colspan=\"3\">");
			sd_html_escape(out, v[i].object);
			sd_str_append(out, "</th></tr>\n");
		}
		sd_str_append(out, "<tr><td>");
		sd_html_escape(out, c->kind);
		sd_str_append(out, " ");
		sd_html_escape(out, sd_change_label(&a, c));
		sd_str_appendf(out, "</td><td class=\"%s\">%d %s</td><td>", band, c->risk, band);
		for (size_t r = 0; r < c->n_reasons; r++) {
			sd_str_append(out, r ? "; " : "");
			sd_html_escape(out, c->reasons[r]);
		}
		sd_str_append(out, "</td></tr>\n");
	}
	sd_str_append(out, "</tbody></table>\n");
	free(v);
	sd_arena_dispose(&a);
}

/* The cells after "at" of a check: its state, score and changes (or error). */
static void
check_cells(sd_str *out, const json_t *h)
{
	sd_str_append(out, "<td><span class=\"state ");
	sd_html_escape(out, str(h, "status"));
	sd_str_append(out, "\">");
	sd_html_escape(out, str(h, "status"));
	sd_str_appendf(out, "</span></td><td>%lld</td><td>",
	               (long long)json_integer_value(json_object_get(h, "score")));
	if (json_is_string(json_object_get(h, "error")))
		sd_html_escape(out, str(h, "error"));
	else
		sd_str_appendf(out, "%lld changes, %lld ms",
		               (long long)json_integer_value(json_object_get(h, "changes")),
		               (long long)json_integer_value(json_object_get(h, "duration_ms")));
	sd_str_append(out, "</td>");
}

/* ... of an acknowledgement or a mute: who, why, until when, cleared by whom. */
static void
silence_cells(sd_str *out, const json_t *h)
{
	sd_str_append(out, "<td><span class=\"state ack\">");
	sd_html_escape(out, strcmp(str(h, "kind"), "ack") == 0 ? "acknowledged" : "muted");
	sd_str_append(out, "</span> by ");
	sd_html_escape(out, str(h, "who"));
	sd_str_append(out, "</td><td></td><td>");
	sd_html_escape(out, str(h, "reason"));
	if (json_is_string(json_object_get(h, "until"))) {
		sd_str_append(out, " (until ");
		sd_html_escape(out, str(h, "until"));
		sd_str_append(out, ")");
	}
	if (json_is_string(json_object_get(h, "cleared_at"))) {
		sd_str_append(out, "; cleared by ");
		sd_html_escape(out, str(h, "cleared_by"));
		sd_str_append(out, " at ");
		sd_html_escape(out, str(h, "cleared_at"));
	}
	sd_str_append(out, "</td>");
}

/* ... of an apply: who ran it, how many statements ran, how it ended. */
static void
apply_cells(sd_str *out, const json_t *h)
{
	sd_str_append(out, "<td><span class=\"state apply\">");
	sd_html_escape(out, sd_status_apply_label(h));
	sd_str_append(out, "</span> by ");
	sd_html_escape(out, str(h, "who"));
	sd_str_appendf(out, "</td><td></td><td>%lld of %lld statements, %lld ms%s",
	               (long long)json_integer_value(json_object_get(h, "applied")),
	               (long long)json_integer_value(json_object_get(h, "statements")),
	               (long long)json_integer_value(json_object_get(h, "duration_ms")),
	               json_is_true(json_object_get(h, "rolled_back")) ? ", rolled back" : "");
	if (json_is_string(json_object_get(h, "error"))) {
		sd_str_append(out, ": ");
		sd_html_escape(out, str(h, "error"));
	}
	sd_str_append(out, "</td>");
}

static void
history_table(sd_str *out, const json_t *history)
{
	size_t i;
	const json_t *h;

	sd_str_append(out, "<table class=\"history\"><thead><tr><th>at</th><th>what</th>"
	                   "<th>score</th><th>detail</th></tr></thead><tbody>\n");
	json_array_foreach(history, i, h)
	{
		sd_str_append(out, "<tr>");
		time_cell(out, str(h, "at"));
		if (strcmp(str(h, "kind"), "check") == 0)
			check_cells(out, h);
		else if (strcmp(str(h, "kind"), "apply") == 0)
			apply_cells(out, h);
		else
			silence_cells(out, h);
		sd_str_append(out, "</tr>\n");
	}
	sd_str_append(out, "</tbody></table>\n");
}

void
sd_page_pair(sd_str *out,
             const json_t *pair,
             const sd_diff *d,
             const char *why,
             const char *plan,
             const json_t *history)
{
	sd_str title;

	sd_str_init(&title);
	sd_str_appendf(&title, "schemad: %s", str(pair, "name"));
	head(out, title.ptr, true);
	sd_str_dispose(&title);
	sd_str_append(out, "<p><a href=\"/\">&larr; all pairs</a></p>\n<h1>");
	sd_html_escape(out, str(pair, "name"));
	sd_str_append(out, "</h1>\n<table class=\"summary\"><tbody><tr><th>state</th><td>");
	badges(out, pair);
	sd_str_append(out, "</td></tr><tr><th>target &rarr; reference</th><td>");
	sd_html_escape(out, str(pair, "target"));
	sd_str_append(out, " &rarr; ");
	sd_html_escape(out, str(pair, "reference"));
	sd_str_append(out, "</td></tr><tr><th>since</th>");
	time_cell(out, str(pair, "since"));
	sd_str_append(out, "</tr><tr><th>score</th>");
	score_cell(out, pair);
	sd_str_append(out, "</tr><tr><th>last check</th>");
	time_cell(out, str(pair, "last_check"));
	sd_str_append(out, "</tr><tr><th>next check</th>");
	time_cell(out, str(pair, "next_check"));
	sd_str_append(out, "</tr><tr><th>last error</th><td class=\"err\">");
	sd_html_escape(out, str(pair, "error"));
	sd_str_append(out, "</td></tr></tbody></table>\n<h2>Changes</h2>\n");
	if (!d) {
		sd_str_append(out, "<p>");
		sd_html_escape(out, why);
		sd_str_append(out, "</p>\n");
	} else if (!d->n_changes)
		sd_str_append(out, "<p>No drift: the target matches the reference.</p>\n");
	else
		changes_table(out, d);
	if (plan && *plan) {
		sd_str_append(out, "<h2>Plan: run on the target to match the reference</h2>\n<pre "
		                   "class=\"plan\">");
		sd_html_escape(out, plan);
		sd_str_append(out, "</pre>\n");
	}
	sd_str_append(out, "<h2>History</h2>\n");
	history_table(out, history);
	foot(out);
}

void
sd_page_message(sd_str *out, const char *title, const char *message)
{
	head(out, title, false);
	sd_str_append(out, "<h1>");
	sd_html_escape(out, title);
	sd_str_append(out, "</h1><p>");
	sd_html_escape(out, message);
	sd_str_append(out, "</p><p><a href=\"/\">all pairs</a></p>");
	foot(out);
}
