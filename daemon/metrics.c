/*
 * daemon/metrics.c: in-memory counters and check duration histograms.
 *
 * One small registry behind one mutex: a few dozen pairs and sinks, each
 * found by a linear scan, updated once per check or delivery. Names and
 * label sets follow the Prometheus conventions (_total counters, _seconds
 * units) so `promtool check metrics` passes.
 */
#include "daemon/metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Check duration buckets, seconds: catalog reads take milliseconds to a minute. */
static const double BUCKETS[] = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
#define N_BUCKETS (sizeof(BUCKETS) / sizeof(*BUCKETS))

/* Label values: the names of sd_check_status, sd_check_reason and sd_delivery_result. */
#define N_STATUSES (SD_CHECK_DEFERRED + 1)
#define N_REASONS  (SD_REASON_LAST + 1) /* [0], SD_REASON_NONE, stays unused */
static const char *const RESULTS[] = {"delivered", "retry", "failed"};
#define N_RESULTS (sizeof(RESULTS) / sizeof(*RESULTS))

typedef struct pair_metrics {
	char *name;
	unsigned long long checks[N_STATUSES], errors[N_REASONS];
	unsigned long long buckets[N_BUCKETS], count; /* buckets: cumulative at render */
	double sum_s;
	long long due_ms;
	bool checked;
} pair_metrics;

typedef struct sink_metrics {
	char *name;
	unsigned long long results[N_RESULTS];
} sink_metrics;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static SD_VEC(pair_metrics) pairs;
static SD_VEC(sink_metrics) sinks;

/*
 * pairs is kept sorted by name: every check looks its pair up, and a scan
 * made each check cost more as pairs grow. Called with mu held. Sets *at to
 * the pair's position, or to where it goes; true when it is there.
 */
static bool
pair_at(const char *name, size_t *at)
{
	size_t lo = 0, hi = pairs.len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(pairs.ptr[mid].name, name);
		if (c == 0) {
			*at = mid;
			return true;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return false;
}

/* Called with mu held. */
static pair_metrics *
pair_for(const char *name)
{
	pair_metrics p = {0};
	size_t at;

	if (pair_at(name, &at))
		return &pairs.ptr[at];
	p.name = sd_xstrdup(name);
	sd_vec_push(&pairs, p);
	memmove(&pairs.ptr[at + 1], &pairs.ptr[at], (pairs.len - 1 - at) * sizeof(*pairs.ptr));
	pairs.ptr[at] = p;
	return &pairs.ptr[at];
}

void
sd_metrics_check(const char *pair,
                 sd_check_status status,
                 sd_check_reason reason,
                 long long duration_ms)
{
	double s = (double)duration_ms / 1000.0;
	pair_metrics *p;
	size_t k;

	pthread_mutex_lock(&mu);
	p = pair_for(pair);
	p->checked = true;
	if ((unsigned)status < N_STATUSES)
		p->checks[status]++;
	if (reason != SD_REASON_NONE && (unsigned)reason < N_REASONS)
		p->errors[reason]++;
	for (k = 0; k < N_BUCKETS && s > BUCKETS[k]; k++)
		;
	if (k < N_BUCKETS)
		p->buckets[k]++;
	p->count++;
	p->sum_s += s;
	pthread_mutex_unlock(&mu);
}

void
sd_metrics_delivery(const char *sink, sd_delivery_result result)
{
	sink_metrics *m = NULL;

	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < sinks.len && !m; i++)
		if (strcmp(sinks.ptr[i].name, sink) == 0)
			m = &sinks.ptr[i];
	if (!m) {
		sink_metrics fresh = {sd_xstrdup(sink), {0}};
		sd_vec_push(&sinks, fresh);
		m = &sinks.ptr[sinks.len - 1];
	}
	if ((unsigned)result < N_RESULTS)
		m->results[result]++;
	pthread_mutex_unlock(&mu);
}

void
sd_metrics_scheduled(const char *pair, long long due_ms)
{
	pthread_mutex_lock(&mu);
	pair_for(pair)->due_ms = due_ms;
	pthread_mutex_unlock(&mu);
}

long long
sd_metrics_next_check(const char *pair, bool *checked_out)
{
	long long due = 0;
	size_t at;

	*checked_out = false;
	pthread_mutex_lock(&mu);
	if (pair_at(pair, &at)) {
		due = pairs.ptr[at].due_ms;
		*checked_out = pairs.ptr[at].checked;
	}
	pthread_mutex_unlock(&mu);
	return due;
}

void
sd_metrics_label(sd_str *out, const char *value)
{
	for (; *value; value++) {
		if (*value == '\\')
			sd_str_append(out, "\\\\");
		else if (*value == '"')
			sd_str_append(out, "\\\"");
		else if (*value == '\n')
			sd_str_append(out, "\\n");
		else
			sd_str_appendc(out, *value);
	}
}

static void
series(sd_str *out,
       const char *metric,
       const char *name_label,
       const char *name,
       const char *key,
       const char *value)
{
	sd_str_appendf(out, "%s{%s=\"", metric, name_label);
	sd_metrics_label(out, name);
	if (key) {
		sd_str_appendf(out, "\",%s=\"", key);
		sd_metrics_label(out, value);
	}
	sd_str_append(out, "\"} ");
}

static void
render_histogram(sd_str *out, const pair_metrics *p)
{
	unsigned long long cumulative = 0;
	char le[32];

	for (size_t k = 0; k < N_BUCKETS; k++) {
		cumulative += p->buckets[k];
		snprintf(le, sizeof(le), "%g", BUCKETS[k]);
		series(out, "schemad_check_duration_seconds_bucket", "pair", p->name, "le", le);
		sd_str_appendf(out, "%llu\n", cumulative);
	}
	series(out, "schemad_check_duration_seconds_bucket", "pair", p->name, "le", "+Inf");
	sd_str_appendf(out, "%llu\n", p->count);
	series(out, "schemad_check_duration_seconds_sum", "pair", p->name, NULL, NULL);
	sd_str_appendf(out, "%.3f\n", p->sum_s);
	series(out, "schemad_check_duration_seconds_count", "pair", p->name, NULL, NULL);
	sd_str_appendf(out, "%llu\n", p->count);
}

void
sd_metrics_render(sd_str *out)
{
	pthread_mutex_lock(&mu);
	sd_str_append(out, "# HELP schemad_checks_total Checks finished since the daemon started, "
	                   "by outcome.\n# TYPE schemad_checks_total counter\n");
	for (size_t i = 0; i < pairs.len; i++)
		for (size_t k = 0; k < N_STATUSES; k++) {
			series(out, "schemad_checks_total", "pair", pairs.ptr[i].name, "status",
			       sd_check_status_name((sd_check_status)k));
			sd_str_appendf(out, "%llu\n", pairs.ptr[i].checks[k]);
		}
	sd_str_append(out, "# HELP schemad_check_errors_total Failed checks since the daemon "
	                   "started, by reason.\n# TYPE schemad_check_errors_total counter\n");
	for (size_t i = 0; i < pairs.len; i++)
		for (size_t k = SD_REASON_NONE + 1; k < N_REASONS; k++) {
			series(out, "schemad_check_errors_total", "pair", pairs.ptr[i].name,
			       "reason", sd_check_reason_name((sd_check_reason)k));
			sd_str_appendf(out, "%llu\n", pairs.ptr[i].errors[k]);
		}
	sd_str_append(out,
	              "# HELP schemad_check_duration_seconds How long a check took, both "
	              "sides read and diffed.\n# TYPE schemad_check_duration_seconds histogram\n");
	for (size_t i = 0; i < pairs.len; i++)
		render_histogram(out, &pairs.ptr[i]);
	sd_str_append(out, "# HELP schemad_alert_deliveries_total Alert delivery attempts since "
	                   "the daemon started, by result.\n# TYPE schemad_alert_deliveries_total "
	                   "counter\n");
	for (size_t i = 0; i < sinks.len; i++)
		for (size_t k = 0; k < N_RESULTS; k++) {
			series(out, "schemad_alert_deliveries_total", "sink", sinks.ptr[i].name,
			       "result", RESULTS[k]);
			sd_str_appendf(out, "%llu\n", sinks.ptr[i].results[k]);
		}
	pthread_mutex_unlock(&mu);
}

void
sd_metrics_reset(void)
{
	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < pairs.len; i++)
		free(pairs.ptr[i].name);
	for (size_t i = 0; i < sinks.len; i++)
		free(sinks.ptr[i].name);
	sd_vec_dispose(&pairs);
	sd_vec_dispose(&sinks);
	pthread_mutex_unlock(&mu);
}
