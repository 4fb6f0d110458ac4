/*
 * daemon/event.c: the JSON payload of an alert event, written with jansson.
 */
#include "daemon/event.h"

#include "connectors/sd_source.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CHANGES 50 /* a payload names the riskiest changes, not thousands */

static json_t *
iso_time(long long ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char buf[40];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

static json_t *
env_json(const sd_config *cfg, const char *name)
{
	const sd_cfg_env *e = sd_cfg_find_env(cfg, name);
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(name));
	if (e) {
		json_object_set_new(o, "engine", json_string(e->engine));
		json_object_set_new(o, "url", json_string(e->display));
	}
	return o;
}

static int
by_risk_desc(const void *a, const void *b)
{
	const sd_change *x = *(const sd_change *const *)a, *y = *(const sd_change *const *)b;

	if (x->risk != y->risk)
		return y->risk > x->risk ? 1 : -1;
	return (x > y) - (x < y); /* equal risks keep the diff's order */
}

static json_t *
changes_json(const sd_diff *d)
{
	const sd_change **v = sd_xmalloc((d->n_changes + 1) * sizeof(*v));
	json_t *arr = json_array();
	sd_arena a;

	sd_arena_init(&a);
	for (size_t i = 0; i < d->n_changes; i++)
		v[i] = &d->changes[i];
	qsort(v, d->n_changes, sizeof(*v), by_risk_desc);
	for (size_t i = 0; i < d->n_changes && i < MAX_CHANGES; i++) {
		json_t *o = json_object(), *reasons = json_array();
		json_object_set_new(o, "kind", json_string(v[i]->kind));
		json_object_set_new(o, "object", json_string(sd_change_object_name(&a, v[i])));
		json_object_set_new(o, "label", json_string(sd_change_label(&a, v[i])));
		json_object_set_new(o, "risk", json_integer(v[i]->risk));
		json_object_set_new(o, "band", json_string(sd_band_name(sd_risk_band(v[i]->risk))));
		for (size_t r = 0; r < v[i]->n_reasons; r++)
			json_array_append_new(reasons, json_string(v[i]->reasons[r]));
		json_object_set_new(o, "reasons", reasons);
		json_array_append_new(arr, o);
	}
	free(v);
	sd_arena_dispose(&a);
	return arr;
}

static json_t *
counts_json(const sd_diff *d)
{
	size_t counts[5] = {0};
	json_t *o = json_object();

	for (size_t i = 0; d && i < d->n_changes; i++)
		counts[sd_risk_band(d->changes[i].risk)]++;
	json_object_set_new(o, "none", json_integer((json_int_t)counts[0])); /* score 0: no band */
	json_object_set_new(o, "low", json_integer((json_int_t)counts[1]));
	json_object_set_new(o, "medium", json_integer((json_int_t)counts[2]));
	json_object_set_new(o, "high", json_integer((json_int_t)counts[3]));
	json_object_set_new(o, "critical", json_integer((json_int_t)counts[4]));
	return o;
}

/* The first lines of the plan, for a glance in the alert. */
static json_t *
plan_excerpt(const sd_diff *d)
{
	const sd_dialect *dialect;
	sd_err err = {0};
	sd_str plan;
	json_t *out = json_null();

	if (!d || !d->n_changes || !sd_streq(d->from->engine, d->to->engine))
		return out;
	dialect = sd_dialect_for(d->from->engine);
	if (!dialect || !dialect->plan)
		return out;
	sd_str_init(&plan);
	if (dialect->plan(&plan, d, NULL, &err) == SD_OK) {
		size_t cut = plan.len > 1500 ? 1500 : plan.len;
		while (cut < plan.len && cut > 0 && plan.ptr[cut - 1] != '\n')
			cut--;
		out = json_stringn(plan.ptr, cut ? cut : plan.len);
	}
	sd_str_dispose(&plan);
	return out;
}

char *
sd_event_payload(const char *type, const sd_check *c, const sd_config *cfg,
		 const char *previous_fingerprint, const char *id)
{
	json_t *o = json_object();
	const sd_diff *d = c->diff;
	char *text;

	json_object_set_new(o, "format", json_string(SD_EVENT_FORMAT));
	json_object_set_new(o, "version", json_integer(SD_EVENT_VERSION));
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "type", json_string(type));
	json_object_set_new(o, "pair", json_string(c->pair->name));
	json_object_set_new(o, "reference", env_json(cfg, c->pair->reference));
	json_object_set_new(o, "target", env_json(cfg, c->pair->target));
	json_object_set_new(o, "detected_at", iso_time(c->started_ms + c->duration_ms));
	json_object_set_new(o, "status", json_string(sd_check_status_name(c->status)));
	json_object_set_new(o, "fingerprint", json_string(c->fingerprint));
	json_object_set_new(o, "previous_fingerprint", json_string(previous_fingerprint));
	json_object_set_new(o, "score", json_integer(d ? d->score : 0));
	json_object_set_new(o, "band", json_string(sd_band_name(sd_risk_band(d ? d->score : 0))));
	json_object_set_new(o, "change_count", json_integer(d ? (json_int_t)d->n_changes : 0));
	json_object_set_new(o, "counts", counts_json(d));
	json_object_set_new(o, "changes", d ? changes_json(d) : json_array());
	json_object_set_new(o, "plan_excerpt", plan_excerpt(d));
	json_object_set_new(o, "error", c->error[0] ? json_string(c->error) : json_null());
	json_object_set_new(o, "reason", c->reason ? json_string(sd_check_reason_name(c->reason))
						   : json_null());
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!text)
		abort();
	return text;
}
