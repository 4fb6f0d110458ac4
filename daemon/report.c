/*
 * daemon/report.c: text and JSON reports of a diff.
 *
 * Text: a summary line (changes per band and the pair's score), then the
 * changes grouped by object, each with its score, band and reasons, and
 * for a changed definition (view, function, trigger, CHECK, index...) a
 * short unified diff of before and after. JSON: the same facts, versioned,
 * written with jansson, with both texts of a changed definition.
 */
#include "daemon/report.h"

#include "connectors/sd_source.h"
#include "daemon/plan_file.h"
#include "daemon/textdiff.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void
band_counts(const sd_diff *d, size_t counts[5])
{
	memset(counts, 0, 5 * sizeof(size_t));
	for (size_t i = 0; i < d->n_changes; i++)
		counts[sd_risk_band(d->changes[i].risk)]++;
}

/*
 * "9 changes, score 95 (critical): 1 critical, 2 high, 4 medium, 2 low", bold
 * in Markdown; ", 1 none" when changes score 0 (comments, an override to 0):
 * they are in no band, so counting them as low would contradict "score 0 (none)".
 */
static void
summary_line(sd_str *out, const sd_diff *d, bool markdown)
{
	size_t counts[5];

	band_counts(d, counts);
	sd_str_appendf(out, "%s%zu change%s, score %d (%s)%s: %zu critical, %zu high, %zu medium, %zu low",
		       markdown ? "**" : "Drift: ", d->n_changes, d->n_changes == 1 ? "" : "s",
		       d->score, sd_band_name(sd_risk_band(d->score)), markdown ? "**" : "",
		       counts[SD_BAND_CRITICAL], counts[SD_BAND_HIGH], counts[SD_BAND_MEDIUM],
		       counts[SD_BAND_LOW]);
	if (counts[SD_BAND_NONE])
		sd_str_appendf(out, ", %zu none", counts[SD_BAND_NONE]);
	sd_str_appendc(out, '\n');
}

/* "text -> varchar(10)" for an ALTER of one aspect; NULL when not applicable. */
static const char *
change_detail(sd_arena *a, const sd_change *c, const char **before, const char **after)
{
	const sd_column *x = c->old_item, *y = c->new_item;
	const char *k = c->kind;

	*before = *after = NULL;
	if (c->property) {
		const sd_props *pa = NULL, *pb = NULL;
		if (c->what == SD_WHAT_COLUMN) {
			pa = &x->props;
			pb = &y->props;
		} else if (c->what == SD_WHAT_TABLE) {
			pa = &((const sd_table *)c->old_item)->props;
			pb = &((const sd_table *)c->new_item)->props;
		} else if (c->what == SD_WHAT_OBJECT) {
			pa = &((const sd_object *)c->old_item)->props;
			pb = &((const sd_object *)c->new_item)->props;
		} else if (c->what == SD_WHAT_CONSTRAINT) {
			pa = &((const sd_constraint *)c->old_item)->props;
			pb = &((const sd_constraint *)c->new_item)->props;
		} else if (c->what == SD_WHAT_INDEX) {
			pa = &((const sd_index *)c->old_item)->props;
			pb = &((const sd_index *)c->new_item)->props;
		}
		if (pa) {
			*before = sd_props_get(pa, c->property);
			*after = sd_props_get(pb, c->property);
		}
		return c->property;
	}
	if (c->what != SD_WHAT_COLUMN || c->op != SD_OP_ALTER)
		return NULL;
	if (strncmp(k, "column.type", 11) == 0) {
		*before = x->type;
		*after = y->type;
		return "type";
	}
	if (strstr(k, "not_null")) {
		*before = x->not_null ? "NOT NULL" : "NULL";
		*after = y->not_null ? "NOT NULL" : "NULL";
		return "nullability";
	}
	if (strcmp(k, "column.default") == 0) {
		*before = x->default_expr;
		*after = y->default_expr;
		return "default";
	}
	if (strcmp(k, "column.generated") == 0) {
		*before = x->generated ? sd_arena_printf(a, "%s %s", x->generated,
							 x->generated_stored ? "stored" : "virtual")
				       : NULL;
		*after = y->generated ? sd_arena_printf(a, "%s %s", y->generated,
							y->generated_stored ? "stored" : "virtual")
				      : NULL;
		return "generated";
	}
	if (strcmp(k, "column.identity") == 0) {
		*before = x->identity;
		*after = y->identity;
		return "identity";
	}
	if (strcmp(k, "column.collation") == 0) {
		*before = x->collation;
		*after = y->collation;
		return "collation";
	}
	if (strcmp(k, "column.comment") == 0) {
		*before = x->comment;
		*after = y->comment;
		return "comment";
	}
	return NULL;
}

/* Lines of unified diff a report shows per changed definition. */
#define DEFINITION_DIFF_LINES 24

/*
 * The two texts of a changed definition: an object's, a CHECK's or
 * EXCLUDE's expression, an index's CREATE text. False for other changes.
 */
static bool
definition_texts(const sd_change *c, const char **before, const char **after)
{
	*before = *after = NULL;
	if (c->op != SD_OP_ALTER || c->property)
		return false;
	if (c->what == SD_WHAT_OBJECT) {
		*before = ((const sd_object *)c->old_item)->definition;
		*after = ((const sd_object *)c->new_item)->definition;
	} else if (c->what == SD_WHAT_CONSTRAINT) {
		*before = ((const sd_constraint *)c->old_item)->expr;
		*after = ((const sd_constraint *)c->new_item)->expr;
	} else if (c->what == SD_WHAT_INDEX) {
		*before = ((const sd_index *)c->old_item)->definition;
		*after = ((const sd_index *)c->new_item)->definition;
	}
	return (*before || *after) && !sd_streq(*before, *after);
}

/* Heading a change is listed under: "table users", "view active_users". */
static const char *
change_group(sd_arena *a, const sd_change *c)
{
	const void *item = c->new_item ? c->new_item : c->old_item;
	const char *kind = c->what == SD_WHAT_OBJECT ? sd_obj_kind_name(((const sd_object *)item)->kind)
						     : "table";

	return sd_arena_printf(a, "%s %s", kind, sd_change_object_name(a, c));
}

/*
 * "postgres 15.14 -> postgres 17.10" when the two sides run different
 * engines or server versions (their deparsers spell definitions
 * differently); NULL when they match or a side does not say.
 */
static const char *
version_note(sd_arena *a, const sd_diff *d)
{
	const char *va = sd_props_get(&d->from->props, "server_version");
	const char *vb = sd_props_get(&d->to->props, "server_version");

	if (sd_streq(d->from->engine, d->to->engine) && (!va || !vb || strcmp(va, vb) == 0))
		return NULL;
	return sd_arena_printf(a, "%s %s -> %s %s", d->from->engine, va ? va : "(version unknown)",
			       d->to->engine, vb ? vb : "(version unknown)");
}

static const char *
op_symbol(sd_change_op op)
{
	return op == SD_OP_ADD ? "+" : op == SD_OP_DROP ? "-" : "~";
}

static const char *
band_colour(sd_band b)
{
	static const char *const c[] = {"", "\033[32m", "\033[33m", "\033[31m", "\033[1;31m"};

	return c[b];
}

/*
 * Text as a terminal line may show it: names come from the databases, and
 * a newline or an escape sequence in one could print a fake "No drift" or
 * repaint the screen. Control characters (C0, DEL and UTF-8 C1) become
 * \n, \r, \t or \xHH, and a backslash \\, so the escaping is unambiguous.
 */
static const char *
shown(sd_arena *a, const char *text)
{
	sd_str s;
	const char *out;

	if (!text)
		return NULL;
	sd_str_init(&s);
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		if (*c == '\n')
			sd_str_append(&s, "\\n");
		else if (*c == '\r')
			sd_str_append(&s, "\\r");
		else if (*c == '\t')
			sd_str_append(&s, "\\t");
		else if (*c == '\\')
			sd_str_append(&s, "\\\\");
		else if (*c < 0x20 || *c == 0x7f)
			sd_str_appendf(&s, "\\x%02x", *c);
		else if (*c == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f)
			sd_str_appendf(&s, "\\x%02x", *++c); /* U+0080..U+009F: C1 controls */
		else
			sd_str_appendc(&s, (char)*c);
	}
	out = sd_arena_strndup(a, s.ptr, s.len);
	sd_str_dispose(&s);
	return out;
}

void
sd_report_text(sd_str *out, const sd_diff *d, bool colour)
{
	const char *group = NULL;
	sd_arena a;

	sd_arena_init(&a);
	if (version_note(&a, d))
		sd_str_appendf(out, "Versions differ: %s\n", version_note(&a, d));
	if (d->n_changes == 0) {
		sd_str_append(out, "No drift: the schemas match.\n");
		sd_arena_dispose(&a);
		return;
	}
	summary_line(out, d, false);
	for (size_t i = 0; i < d->n_changes; i++) {
		const sd_change *c = &d->changes[i];
		const char *obj = shown(&a, change_group(&a, c)), *before, *after, *what;
		sd_band band = sd_risk_band(c->risk);
		if (!group || strcmp(group, obj) != 0) {
			sd_str_appendf(out, "\n%s\n", obj);
			group = obj;
		}
		sd_str_appendf(out, "  %s %s %s", op_symbol(c->op), sd_change_op_name(c->op),
			       shown(&a, sd_change_label(&a, c)));
		what = change_detail(&a, c, &before, &after);
		if (what)
			sd_str_appendf(out, " %s: %s -> %s", shown(&a, what),
				       before ? shown(&a, before) : "(none)",
				       after ? shown(&a, after) : "(none)");
		sd_str_appendf(out, "\n      %s[%d %s]%s %s", colour ? band_colour(band) : "", c->risk,
			       sd_band_name(band), colour ? "\033[0m" : "", c->kind);
		for (size_t r = 0; r < c->n_reasons; r++)
			sd_str_appendf(out, "%s %s", r ? ";" : ":", shown(&a, c->reasons[r]));
		sd_str_append(out, "\n");
		if (definition_texts(c, &before, &after))
			sd_textdiff(out, before, after, "        ", DEFINITION_DIFF_LINES);
	}
	sd_arena_dispose(&a);
}

static json_t *
side_json(const sd_schema *s)
{
	json_t *o = json_object();
	const char *version = sd_props_get(&s->props, "server_version");

	json_object_set_new(o, "engine", json_string(s->engine ? s->engine : ""));
	json_object_set_new(o, "source", json_string(s->source ? s->source : ""));
	if (version)
		json_object_set_new(o, "server_version", json_string(version));
	return o;
}

static const char *const what_names[] = {"table", "column", "constraint", "index", "object"};

static json_t *
change_json(sd_arena *a, const sd_change *c)
{
	json_t *o = json_object(), *reasons = json_array();
	const char *before, *after, *what = change_detail(a, c, &before, &after);
	const void *item = c->new_item ? c->new_item : c->old_item;

	json_object_set_new(o, "kind", json_string(c->kind));
	json_object_set_new(o, "op", json_string(sd_change_op_name(c->op)));
	json_object_set_new(o, "object_type",
			    json_string(c->what == SD_WHAT_OBJECT
						? sd_obj_kind_name(((const sd_object *)item)->kind)
						: what_names[c->what]));
	json_object_set_new(o, "object", json_string(sd_change_object_name(a, c)));
	json_object_set_new(o, "label", json_string(sd_change_label(a, c)));
	json_object_set_new(o, "risk", json_integer(c->risk));
	json_object_set_new(o, "band", json_string(sd_band_name(sd_risk_band(c->risk))));
	for (size_t r = 0; r < c->n_reasons; r++)
		json_array_append_new(reasons, json_string(c->reasons[r]));
	json_object_set_new(o, "reasons", reasons);
	if (!what && definition_texts(c, &before, &after))
		what = "definition";
	if (what) {
		json_object_set_new(o, "aspect", json_string(what));
		json_object_set_new(o, "before", before ? json_string(before) : json_null());
		json_object_set_new(o, "after", after ? json_string(after) : json_null());
	}
	return o;
}

json_t *
sd_report_json_value(const sd_diff *d)
{
	json_t *root = json_object(), *changes = json_array(), *summary = json_object();
	size_t counts[5];
	sd_arena a;

	sd_arena_init(&a);
	band_counts(d, counts);
	json_object_set_new(root, "format", json_string(SD_REPORT_FORMAT));
	json_object_set_new(root, "version", json_integer(SD_REPORT_VERSION));
	json_object_set_new(root, "from", side_json(d->from));
	json_object_set_new(root, "to", side_json(d->to));
	json_object_set_new(root, "drift", json_boolean(d->n_changes > 0));
	json_object_set_new(root, "score", json_integer(d->score));
	json_object_set_new(root, "band", json_string(sd_band_name(sd_risk_band(d->score))));
	json_object_set_new(summary, "changes", json_integer((json_int_t)d->n_changes));
	for (int b = SD_BAND_NONE; b <= SD_BAND_CRITICAL; b++)
		json_object_set_new(summary, sd_band_name((sd_band)b), json_integer((json_int_t)counts[b]));
	json_object_set_new(root, "summary", summary);
	for (size_t i = 0; i < d->n_changes; i++)
		json_array_append_new(changes, change_json(&a, &d->changes[i]));
	json_object_set_new(root, "changes", changes);
	sd_arena_dispose(&a);
	return root;
}

void
sd_report_json(sd_str *out, const sd_diff *d)
{
	json_t *root = sd_report_json_value(d);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (!text)
		abort();
	sd_str_append(out, text);
	sd_str_appendc(out, '\n');
	free(text);
	json_decref(root);
}

/* Markdown table cells: a pipe or a line break would end the cell. */
static void
md_cell(sd_str *out, const char *text)
{
	for (; text && *text; text++) {
		if (*text == '\n' || *text == '\r')
			sd_str_appendc(out, ' ');
		else if (strchr("\\|`<>*_[]()!&~#", *text))
			sd_str_appendf(out, "\\%c", *text); /* backslash first: its own escape */
		else
			sd_str_appendc(out, *text);
	}
}

/* A fenced code block; a fence longer than any backtick run in text cannot be closed early. */
static void
md_fence(sd_str *out, const char *lang, const char *text)
{
	size_t run = 0, longest = 0, n;

	for (const char *p = text; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	n = longest < 3 ? 3 : longest + 1;
	for (size_t k = 0; k < n; k++)
		sd_str_appendc(out, '`');
	sd_str_appendf(out, "%s\n%s", lang, text);
	if (*text && text[strlen(text) - 1] != '\n')
		sd_str_appendc(out, '\n');
	for (size_t k = 0; k < n; k++)
		sd_str_appendc(out, '`');
	sd_str_appendc(out, '\n');
}

/* Each changed definition: its label, then a unified diff of before and after. */
static void
md_definition_diffs(sd_str *out, sd_arena *a, const sd_diff *d)
{
	for (size_t i = 0; i < d->n_changes; i++) {
		const sd_change *c = &d->changes[i];
		const char *before, *after;
		sd_str diff;
		if (!definition_texts(c, &before, &after))
			continue;
		sd_str_init(&diff);
		sd_textdiff(&diff, before, after, "", DEFINITION_DIFF_LINES);
		sd_str_append(out, "\n");
		md_cell(out, sd_change_label(a, c));
		sd_str_append(out, ":\n\n");
		md_fence(out, "diff", diff.ptr ? diff.ptr : "");
		sd_str_dispose(&diff);
	}
}

void
sd_report_markdown(sd_str *out, const sd_diff *d, const char *plan, const char *title)
{
	sd_arena a;

	sd_str_append(out, "### ");
	if (title)
		md_cell(out, title);
	else
		sd_str_append(out, "schemad: schema drift");
	sd_str_append(out, "\n\n");
	sd_arena_init(&a);
	if (version_note(&a, d)) {
		sd_str_append(out, "Versions differ: ");
		md_cell(out, version_note(&a, d));
		sd_str_append(out, "\n\n");
	}
	if (d->n_changes == 0) {
		sd_str_append(out, "No drift: the schemas match.\n");
		sd_arena_dispose(&a);
		return;
	}
	summary_line(out, d, true);
	sd_str_appendc(out, '\n');
	sd_str_append(out, "| risk | change | object | why |\n| ---: | --- | --- | --- |\n");
	for (size_t i = 0; i < d->n_changes; i++) {
		const sd_change *c = &d->changes[i];
		sd_str_appendf(out, "| %d %s | %s | ", c->risk, sd_band_name(sd_risk_band(c->risk)),
			       c->kind);
		md_cell(out, sd_change_label(&a, c));
		sd_str_append(out, " | ");
		for (size_t r = 0; r < c->n_reasons; r++) {
			if (r)
				sd_str_append(out, "; ");
			md_cell(out, c->reasons[r]);
		}
		sd_str_append(out, " |\n");
	}
	md_definition_diffs(out, &a, d);
	if (plan && *plan) {
		sd_str_append(out, "\n<details><summary>SQL plan</summary>\n\n");
		md_fence(out, "sql", plan);
		sd_str_append(out, "\n</details>\n");
	}
	sd_arena_dispose(&a);
}

void
sd_report_markdown_error(sd_str *out, const char *title, const char *error)
{
	sd_str_append(out, "### ");
	md_cell(out, title);
	sd_str_append(out, "\n\n**Not checked:** ");
	md_cell(out, error);
	sd_str_append(out, "\n");
}

bool
sd_format_parse(sd_format *out, const char *name)
{
	static const struct {
		const char *name;
		sd_format f;
	} formats[] = {{"text", SD_FORMAT_TEXT}, {"json", SD_FORMAT_JSON}, {"sql", SD_FORMAT_SQL},
		       {"markdown", SD_FORMAT_MARKDOWN}, {"plan", SD_FORMAT_PLAN}};

	for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++)
		if (strcmp(formats[i].name, name) == 0) {
			*out = formats[i].f;
			return true;
		}
	return false;
}

/* The plan SQL into out, or err saying why there is none. */
static int
render_plan(sd_str *out, const sd_diff *d, const sd_plan_opts *opts, sd_err *err)
{
	const sd_dialect *dialect = sd_dialect_for(d->from->engine);
	int rc;

	if (!dialect || !dialect->plan)
		return sd_err_set(err, SD_EUNSUPPORTED, "cannot write a plan for engine \"%s\"",
				  d->from->engine);
	if (!sd_streq(d->from->engine, d->to->engine))
		return sd_err_set(err, SD_EUNSUPPORTED,
				  "cannot write a plan between different engines (%s and %s)",
				  d->from->engine, d->to->engine);
	if ((rc = dialect->plan(out, d, opts, err)))
		sd_err_prefix(err, "cannot write the plan: ");
	return rc;
}

int
sd_report_plan_sql(sd_str *out, const sd_diff *d, bool concurrently, sd_err *err)
{
	/* A plan meant to run: MySQL ALTERs name the algorithm their risk assumed. */
	sd_plan_opts run = {.concurrently = concurrently, .request_algorithm = true};

	return render_plan(out, d, &run, err);
}

int
sd_report_render(sd_str *out, const sd_diff *d, sd_format f, const sd_plan_opts *opts,
		 bool colour, const char *title, sd_err *err)
{
	sd_str plan;
	sd_err ignored = {0};

	switch (f) {
	case SD_FORMAT_TEXT:
		sd_report_text(out, d, colour);
		return SD_OK;
	case SD_FORMAT_JSON:
		sd_report_json(out, d);
		return SD_OK;
	case SD_FORMAT_SQL:
		return render_plan(out, d, opts, err);
	case SD_FORMAT_MARKDOWN:
		/* The plan is a bonus in a comment: a report without it beats no report. */
		sd_str_init(&plan);
		if (d->n_changes && render_plan(&plan, d, opts, &ignored))
			sd_str_clear(&plan);
		sd_report_markdown(out, d, plan.ptr, title);
		sd_str_dispose(&plan);
		return SD_OK;
	case SD_FORMAT_PLAN: {
		int rc;
		sd_str_init(&plan);
		if ((rc = sd_report_plan_sql(&plan, d, opts && opts->concurrently, err)) == SD_OK)
			sd_plan_file_render(out, d, plan.ptr, opts);
		sd_str_dispose(&plan);
		return rc;
	}
	}
	return SD_OK;
}
