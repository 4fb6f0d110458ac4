/*
 * daemon/plan_file.c: the reviewed plan document (jansson).
 */
#include "daemon/plan_file.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void
sd_plan_file_render(sd_str *out, const sd_diff *d, const char *sql)
{
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
	if ((rc = load_changes(p, json_object_get(root, "changes"), path, err)))
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
