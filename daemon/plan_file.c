/*
 * daemon/plan_file.c: the reviewed plan document (jansson).
 */
#include "daemon/plan_file.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *
string_array(const char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* The filter as an object of its non-empty parts; NULL when there is none. */
static json_t *
filter_json(const sd_filter *f)
{
	json_t *o, *overrides;

	if (!f || !(f->n_include || f->n_exclude || f->n_ignore || f->n_overrides))
		return NULL;
	o = json_object();
	if (f->n_include)
		json_object_set_new(o, "include", string_array(f->include, f->n_include));
	if (f->n_exclude)
		json_object_set_new(o, "exclude", string_array(f->exclude, f->n_exclude));
	if (f->n_ignore)
		json_object_set_new(o, "ignore", string_array(f->ignore, f->n_ignore));
	if (f->n_overrides) {
		overrides = json_object();
		for (size_t i = 0; i < f->n_overrides; i++)
			json_object_set_new(overrides, f->overrides[i].kind,
			                    json_integer(f->overrides[i].score));
		json_object_set_new(o, "risk_overrides", overrides);
	}
	return o;
}

/* The options the SQL was made with, as an object; NULL when all are off. */
static json_t *
options_json(const sd_diff *d, const sd_plan_opts *opts)
{
	json_t *o, *compare;

	if (!(opts && opts->concurrently) && !d->opts.privileges && !d->opts.owners)
		return NULL;
	o = json_object();
	if (opts && opts->concurrently)
		json_object_set_new(o, "concurrently", json_true());
	if (d->opts.privileges || d->opts.owners) {
		compare = json_array();
		if (d->opts.privileges)
			json_array_append_new(compare, json_string("privileges"));
		if (d->opts.owners)
			json_array_append_new(compare, json_string("owners"));
		json_object_set_new(o, "compare", compare);
	}
	return o;
}

void
sd_plan_file_render(sd_str *out, const sd_diff *d, const char *sql, const sd_plan_opts *opts)
{
	json_t *filter_doc = filter_json(opts ? opts->filter : NULL);
	json_t *options_doc = options_json(d, opts);
	char fp_from[SD_FINGERPRINT_LEN + 1], fp_to[SD_FINGERPRINT_LEN + 1];
	json_t *root = json_object(), *changes = json_array(), *side;
	char *target = sd_snapshot_write(d->to), *text;
	sd_arena a;

	sd_arena_init(&a);
	sd_schema_fingerprint(fp_from, d->from);
	sd_schema_fingerprint(fp_to, d->to);
	json_object_set_new(root, "format", json_string(SD_PLAN_FORMAT));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "engine", json_string(d->from->engine));
	side = json_object();
	json_object_set_new(side, "source", json_string(d->from->source ? d->from->source : ""));
	json_object_set_new(side, "fingerprint", json_string(fp_from));
	json_object_set_new(root, "from", side);
	side = json_object();
	json_object_set_new(side, "source", json_string(d->to->source ? d->to->source : ""));
	json_object_set_new(side, "fingerprint", json_string(fp_to));
	json_object_set_new(root, "to", side);
	json_object_set_new(root, "score", json_integer(d->score));
	json_object_set_new(root, "band", json_string(sd_band_name(sd_risk_band(d->score))));
	if (filter_doc)
		json_object_set_new(root, "filter", filter_doc);
	if (options_doc)
		json_object_set_new(root, "options", options_doc);
	for (size_t i = 0; i < d->n_changes; i++) {
		const sd_change *c = &d->changes[i];
		json_t *o = json_object(), *reasons = json_array();
		json_object_set_new(o, "kind", json_string(c->kind));
		json_object_set_new(o, "object", json_string(sd_change_label(&a, c)));
		json_object_set_new(o, "risk", json_integer(c->risk));
		json_object_set_new(o, "band", json_string(sd_band_name(sd_risk_band(c->risk))));
		for (size_t k = 0; k < c->n_reasons; k++)
			json_array_append_new(reasons, json_string(c->reasons[k]));
		json_object_set_new(o, "reasons", reasons);
		json_array_append_new(changes, o);
	}
	json_object_set_new(root, "changes", changes);
	json_object_set_new(root, "sql", json_string(sql));
	json_object_set_new(root, "target", json_loads(target, 0, NULL));
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	sd_str_append(out, text);
	sd_str_appendc(out, '\n');
	free(text);
	free(target);
	json_decref(root);
	sd_arena_dispose(&a);
}

static const char *
get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int
load_changes(sd_plan_file *p, json_t *arr, const char *path, sd_err *err)
{
	size_t i;
	json_t *c;

	if (!json_is_array(arr))
		return sd_err_set(err, SD_EINPUT, "%s: \"changes\" is not an array", path);
	p->changes = sd_arena_alloc(&p->arena, (json_array_size(arr) + 1) * sizeof(*p->changes));
	json_array_foreach(arr, i, c)
	{
		json_t *risk = json_object_get(c, "risk");
		const char *kind = get_str(c, "kind"), *label = get_str(c, "object");
		if (!kind || !label || !json_is_integer(risk))
			return sd_err_set(
			        err, SD_EINPUT,
			        "%s: changes[%zu] needs \"kind\", \"object\" and \"risk\"", path,
			        i);
		p->changes[i] = (sd_plan_change){sd_arena_strdup(&p->arena, kind),
		                                 sd_arena_strdup(&p->arena, label),
		                                 (int)json_integer_value(risk)};
	}
	p->n_changes = json_array_size(arr);
	return SD_OK;
}

/* A list of strings into the arena; SD_OK and nothing when absent. */
static int
load_strings(sd_plan_file *p,
             json_t *f,
             const char *key,
             const char *const **out,
             size_t *n_out,
             const char *path,
             sd_err *err)
{
	json_t *arr = json_object_get(f, key), *v;
	const char **list;
	size_t i;

	if (!arr)
		return SD_OK;
	if (!json_is_array(arr))
		return sd_err_set(err, SD_EINPUT, "%s: \"filter\".\"%s\" is not a list", path, key);
	list = sd_arena_alloc(&p->arena, (json_array_size(arr) + 1) * sizeof(*list));
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v))
			return sd_err_set(err, SD_EINPUT,
			                  "%s: \"filter\".\"%s\"[%zu] is not a string", path, key,
			                  i);
		list[i] = sd_arena_strdup(&p->arena, json_string_value(v));
	}
	*out = list;
	*n_out = json_array_size(arr);
	return SD_OK;
}

/* The diff's filter, when the plan was made with one. */
static int
load_filter(sd_plan_file *p, json_t *f, const char *path, sd_err *err)
{
	json_t *overrides, *score;
	sd_risk_override *list;
	const char *kind;
	size_t n = 0;
	int rc;

	if (!f)
		return SD_OK;
	if (!json_is_object(f))
		return sd_err_set(err, SD_EINPUT, "%s: \"filter\" is not an object", path);
	if ((rc = load_strings(p, f, "include", &p->filter.include, &p->filter.n_include, path,
	                       err)) ||
	    (rc = load_strings(p, f, "exclude", &p->filter.exclude, &p->filter.n_exclude, path,
	                       err)) ||
	    (rc = load_strings(p, f, "ignore", &p->filter.ignore, &p->filter.n_ignore, path, err)))
		return rc;
	if (!(overrides = json_object_get(f, "risk_overrides")))
		return SD_OK;
	if (!json_is_object(overrides))
		return sd_err_set(err, SD_EINPUT,
		                  "%s: \"filter\".\"risk_overrides\" is not an object", path);
	list = sd_arena_alloc(&p->arena, (json_object_size(overrides) + 1) * sizeof(*list));
	json_object_foreach(overrides, kind, score)
	{
		if (!json_is_integer(score) || json_integer_value(score) < 0 ||
		    json_integer_value(score) > 100)
			return sd_err_set(err, SD_EINPUT,
			                  "%s: \"filter\".\"risk_overrides\".\"%s\" is not a score "
			                  "from 0 to 100",
			                  path, kind);
		list[n++] = (sd_risk_override){sd_arena_strdup(&p->arena, kind),
		                               (int)json_integer_value(score)};
	}
	p->filter.overrides = list;
	p->filter.n_overrides = n;
	return SD_OK;
}

/* The options the SQL was made with, when any was on. */
static int
load_options(sd_plan_file *p, json_t *o, const char *path, sd_err *err)
{
	json_t *compare, *v;
	size_t i;

	if (!o)
		return SD_OK;
	if (!json_is_object(o))
		return sd_err_set(err, SD_EINPUT, "%s: \"options\" is not an object", path);
	p->concurrently = json_is_true(json_object_get(o, "concurrently"));
	if (!(compare = json_object_get(o, "compare")))
		return SD_OK;
	if (!json_is_array(compare))
		return sd_err_set(err, SD_EINPUT, "%s: \"options\".\"compare\" is not a list",
		                  path);
	json_array_foreach(compare, i, v)
	{
		const char *what = json_string_value(v);
		if (sd_streq(what, "privileges"))
			p->compare.privileges = true;
		else if (sd_streq(what, "owners"))
			p->compare.owners = true;
		else
			return sd_err_set(
			        err, SD_EINPUT,
			        "%s: \"options\".\"compare\"[%zu]: expected \"privileges\" or "
			        "\"owners\"",
			        path, i);
	}
	return SD_OK;
}

static int
load_doc(sd_plan_file *p, json_t *root, const char *path, sd_err *err)
{
	const char *format = get_str(root, "format"), *engine = get_str(root, "engine");
	const char *fp = get_str(json_object_get(root, "from"), "fingerprint");
	const char *sql = get_str(root, "sql");
	json_t *target = json_object_get(root, "target");
	char *snap;
	int rc;

	if (!sd_streq(format, SD_PLAN_FORMAT))
		return sd_err_set(err, SD_EINPUT,
		                  "%s: not a schemad plan (\"format\" is not \"%s\")", path,
		                  SD_PLAN_FORMAT);
	if (!engine || !sql || !fp || strlen(fp) != SD_FINGERPRINT_LEN || !json_is_object(target))
		return sd_err_set(err, SD_EINPUT,
		                  "%s: a plan needs \"engine\", \"sql\", \"from\".\"fingerprint\" "
		                  "and \"target\"",
		                  path);
	p->engine = sd_arena_strdup(&p->arena, engine);
	p->sql = sd_arena_strdup(&p->arena, sql);
	p->from_source =
	        sd_arena_strdup(&p->arena, get_str(json_object_get(root, "from"), "source"));
	memcpy(p->from_fingerprint, fp, SD_FINGERPRINT_LEN + 1);
	if ((rc = load_changes(p, json_object_get(root, "changes"), path, err)) ||
	    (rc = load_filter(p, json_object_get(root, "filter"), path, err)) ||
	    (rc = load_options(p, json_object_get(root, "options"), path, err)))
		return rc;
	snap = json_dumps(target, JSON_COMPACT);
	rc = sd_snapshot_read(&p->target, snap, strlen(snap), err);
	free(snap);
	if (rc)
		sd_err_prefix(err, "%s: \"target\": ", path);
	return rc;
}

int
sd_plan_file_load(sd_plan_file **out, const char *path, sd_err *err)
{
	sd_plan_file *p = sd_xcalloc(1, sizeof(*p));
	json_error_t jerr;
	json_t *root = NULL;
	char *text = NULL;
	size_t len;
	int rc;

	*out = NULL;
	sd_arena_init(&p->arena);
	/* Read first: jansson reads a directory as an empty file ("'[' or '{' expected"). */
	rc = sd_read_file(&text, &len, path, err);
	if (rc == SD_OK && !(root = json_loadb(text, len, 0, &jerr)))
		rc = sd_err_set(err, SD_EINPUT, "%s:%d:%d: %s", path, jerr.line, jerr.column,
		                jerr.text);
	if (rc == SD_OK)
		rc = load_doc(p, root, path, err);
	json_decref(root);
	free(text);
	if (rc) {
		sd_plan_file_free(p);
		return rc;
	}
	*out = p;
	return SD_OK;
}

void
sd_plan_file_free(sd_plan_file *p)
{
	if (!p)
		return;
	sd_schema_free(p->target);
	sd_arena_dispose(&p->arena);
	free(p);
}
