/*
 * daemon/pair.c: one comparison, with both sides read in parallel.
 */
#include "daemon/pair.h"

#include "connectors/sd_source.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

long long
sd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const sd_cfg_engines sd_cfg_registry = {sd_engine_name_for_scheme, sd_engine_schemes_text};

static void
load_side(sd_side *s)
{
	long long start = sd_mono_ms();

	s->rc = sd_source_load(&s->schema, s->spec, &s->opts, &s->err);
	s->duration_ms = sd_mono_ms() - start;
}

static void *
load_thread(void *arg)
{
	load_side(arg);
	return NULL;
}

void
sd_load_both(sd_side *a, sd_side *b)
{
	pthread_t t;
	bool threaded = pthread_create(&t, NULL, load_thread, a) == 0;

	if (!threaded)
		load_side(a);
	load_side(b);
	if (threaded)
		pthread_join(t, NULL);
}

void
sd_side_dispose(sd_side *s)
{
	sd_schema_free(s->schema);
	s->schema = NULL;
}

const char *
sd_check_status_name(sd_check_status s)
{
	static const char *const names[] = {"ok", "drift", "unreachable", "error", "deferred"};

	return (unsigned)s <= SD_CHECK_DEFERRED ? names[s] : "error";
}

const char *
sd_check_reason_name(sd_check_reason r)
{
	static const char *const names[] = {NULL, "unreachable", "auth", "locked", "timeout", "error"};

	return (unsigned)r <= SD_REASON_LAST ? names[r] : "error";
}

bool
sd_check_status_read(sd_check_status s)
{
	return s == SD_CHECK_OK || s == SD_CHECK_DRIFT;
}

/*
 * A side that failed: "unreachable" when it could not be opened at all or
 * timed out, "deferred" when it waited on another session's lock; the
 * reason keeps a refused login apart from a network failure.
 */
static bool
side_failed(sd_check *c, const sd_side *s, const char *env)
{
	if (s->rc == SD_OK)
		return false;
	snprintf(c->error, sizeof(c->error), "environment %s: %s", env, s->err.msg);
	switch (s->rc) {
	case SD_ELOCKED:
		c->status = SD_CHECK_DEFERRED;
		c->reason = SD_REASON_LOCKED;
		break;
	case SD_EAUTH:
		c->status = SD_CHECK_UNREACHABLE;
		c->reason = SD_REASON_AUTH;
		break;
	case SD_ECONNECT:
		c->status = SD_CHECK_UNREACHABLE;
		c->reason = SD_REASON_UNREACHABLE;
		break;
	case SD_ETIMEOUT:
		c->status = SD_CHECK_UNREACHABLE;
		c->reason = SD_REASON_TIMEOUT;
		break;
	default:
		c->status = SD_CHECK_ERROR;
		c->reason = SD_REASON_ERROR;
	}
	return true;
}

/* debug: what one side's read took and found. */
static void
log_side(const sd_cfg_pair *p, const char *role, const sd_cfg_env *env, const sd_side *s)
{
	if (s->rc == SD_OK)
		sd_log_debug("[%s] %s %s read in %lldms: %zu tables, %zu other objects", p->name,
			     role, env->name, s->duration_ms, s->schema->n_tables,
			     s->schema->n_objects);
	else
		sd_log_debug("[%s] %s %s failed after %lldms", p->name, role, env->name,
			     s->duration_ms);
}

/* The pair's include/exclude/ignore filters and risk overrides, applied to d. */
static void
pair_filter(const sd_cfg_pair *p, sd_diff *d)
{
	sd_filter f = {(const char *const *)p->include, p->n_include,
		       (const char *const *)p->exclude, p->n_exclude,
		       (const char *const *)p->ignore,  p->n_ignore,
		       p->overrides,                    p->n_overrides};

	sd_diff_apply_filter(d, &f);
}

/* The diff of a pair, owners and privileges compared when its compare: asks. */
static sd_diff *
pair_compare(const sd_cfg_pair *p, const sd_schema *target, const sd_schema *reference)
{
	sd_diff_opts compare = {0};

	for (size_t k = 0; k < p->n_compare; k++)
		sd_diff_opts_parse(&compare, p->compare[k], &(sd_err){0}); /* validated at load */
	return sd_diff_schemas_opts(target, reference, sd_dialect_for(target->engine), &compare);
}

sd_diff *
sd_pair_diff(const sd_cfg_pair *p, const sd_schema *target, const sd_schema *reference)
{
	sd_diff *d = pair_compare(p, target, reference);

	pair_filter(p, d);
	return d;
}

void
sd_check_run(sd_check *c, const sd_config *cfg, const sd_cfg_pair *p)
{
	long long phase;
	const sd_cfg_env *target = sd_cfg_find_env(cfg, p->target);
	const sd_cfg_env *reference = sd_cfg_find_env(cfg, p->reference);

	memset(c, 0, sizeof(*c));
	c->pair = p;
	c->started_ms = sd_now_ms();
	c->target.spec = target->url;
	c->reference.spec = reference->url;
	c->target.opts.conn = c->reference.opts.conn = (sd_conn_opts){
		cfg->connect_timeout_ms, cfg->statement_timeout_ms, cfg->lock_timeout_ms};
	sd_log_debug("[%s] reading target %s (%s) and reference %s (%s) in parallel", p->name,
		     target->name, target->display, reference->name, reference->display);
	sd_load_both(&c->target, &c->reference);
	log_side(p, "target", target, &c->target);
	log_side(p, "reference", reference, &c->reference);
	if (side_failed(c, &c->target, target->name) ||
	    side_failed(c, &c->reference, reference->name))
		goto out;
	phase = sd_mono_ms();
	c->diff = pair_compare(p, c->target.schema, c->reference.schema);
	sd_log_debug("[%s] diff: %zu changes in %lldms", p->name, c->diff->n_changes,
		     sd_mono_ms() - phase);
	phase = sd_mono_ms();
	pair_filter(p, c->diff);
	sd_diff_fingerprint(c->fingerprint, c->diff);
	sd_log_debug("[%s] filters and overrides: %zu changes kept, score %d, fingerprint %.12s "
		     "in %lldms",
		     p->name, c->diff->n_changes, c->diff->score, c->fingerprint, sd_mono_ms() - phase);
	c->status = c->diff->n_changes ? SD_CHECK_DRIFT : SD_CHECK_OK;
out:
	c->duration_ms = sd_now_ms() - c->started_ms;
	sd_log_debug("[%s] check done: %s in %lldms", p->name, sd_check_status_name(c->status),
		     c->duration_ms);
}

void
sd_check_dispose(sd_check *c)
{
	sd_diff_free(c->diff);
	c->diff = NULL;
	sd_side_dispose(&c->target);
	sd_side_dispose(&c->reference);
}
