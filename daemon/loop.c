/*
 * daemon/loop.c: the scheduler of `schemad run`.
 *
 * One main thread owns the schedule and the signals; a bounded pool of
 * workers runs checks. Signals are blocked in every thread and read from a
 * signalfd, so handlers run in loop context with no async-signal traps;
 * workers wake the loop through an eventfd when a check ends.
 *
 * Each pair runs on its interval, its first run spread by a little jitter.
 * A pair whose side is
 * unreachable is retried with backoff, and a slow pair delays only itself:
 * it is never queued twice. SIGHUP loads and validates a new configuration
 * and swaps it in only when valid; in-flight checks keep the configuration
 * they started with (reference counted). The first SIGTERM/SIGINT stops
 * scheduling and waits for in-flight checks; a second one returns at once.
 */
#include "daemon/loop.h"

#include "daemon/alert.h"
#include "daemon/http.h"
#include "daemon/metrics.h"
#include "daemon/guard.h"
#include "daemon/notify.h"
#include "daemon/state.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

/* A configuration shared by the loop and the checks that started under it. */
typedef struct holder {
	sd_config *cfg;
	int refs;
} holder;

typedef struct slot {
	char *name;
	long long due;      /* monotonic ms */
	bool running, gone; /* gone: removed by a reload while running */
	int failures;       /* consecutive unreachable checks, for backoff */
	int last;           /* sd_check_status of the last check, -1 before the first */
} slot;

typedef struct daemon {
	pthread_mutex_t mu;
	pthread_cond_t work;
	holder *current;
	SD_VEC(slot) slots;
	SD_VEC(size_t) queue; /* indexes into slots */
	bool stopping;
	int active;
	int wake_fd; /* eventfd: a check ended */
	pthread_cond_t outbox; /* an event was queued, or stopping */
	bool outbox_dirty;
	atomic_bool stop_delivery; /* read between deliveries, without the lock */
	atomic_llong last_prune;   /* wall ms of the last retention pass */
	int threads_left;          /* workers and deliverer not yet returned */
	unsigned int seed;
} daemon_t;

/* Up to a tenth of the interval, and never more than the configured jitter. */
static long long
jitter(daemon_t *d, const sd_config *c, long long interval)
{
	long long cap = interval / 10 < c->jitter_ms ? interval / 10 : c->jitter_ms;

	return cap > 0 ? (long long)(rand_r(&d->seed) % (unsigned)(cap + 1)) : 0;
}

static void
release(daemon_t *d, holder *h)
{
	/* called with d->mu held */
	if (--h->refs == 0 && h != d->current) {
		sd_cfg_free(h->cfg);
		free(h);
	}
}

/* ---- workers --------------------------------------------------------- */

static void
log_check(const sd_check *c, const sd_str *events)
{
	const sd_diff *d = c->diff;

	if (!sd_check_status_read(c->status))
		sd_log_warn("[%s] %s: %s (%lldms)%s%s", c->pair->name,
			    sd_check_status_name(c->status), c->error, c->duration_ms,
			    events->len ? "; events: " : "", events->ptr);
	else
		sd_log_info("[%s] %s: %zu changes, score %d (%s), fingerprint %.12s (%lldms)%s%s",
			    c->pair->name, sd_check_status_name(c->status), d->n_changes, d->score,
			    sd_band_name(sd_risk_band(d->score)), *c->fingerprint ? c->fingerprint : "-",
			    c->duration_ms, events->len ? "; events: " : "", events->ptr);
}

static void
run_one(sd_state *state, const sd_config *cfg, const char *name, int *status,
	long long *interval, bool *fired)
{
	const sd_cfg_pair *p = sd_cfg_find_pair(cfg, name);
	sd_check c;
	sd_err err = {0};
	sd_str events;

	*status = SD_CHECK_OK;
	*fired = false;
	if (!p)
		return;
	*interval = p->interval_ms;
	sd_check_run(&c, cfg, p);
	*status = (int)c.status;
	sd_str_init(&events);
	if (state && sd_state_record(state, &c, cfg, &events, &err))
		sd_log_error("[%s] %s", p->name, err.msg);
	*fired = events.len > 0;
	sd_metrics_check(p->name, c.status, c.reason, c.duration_ms);
	log_check(&c, &events);
	sd_str_dispose(&events);
	sd_check_dispose(&c);
}

/*
 * Retention: at most every quarter of the retention period (1 s to 1 min),
 * whichever worker gets there first deletes old checks.
 */
static void
maybe_prune(daemon_t *d, sd_state *state, const sd_config *cfg)
{
	long long now = sd_now_ms(), last = atomic_load(&d->last_prune);
	long long every = cfg->retention_ms / 4, deleted = 0;
	sd_err err = {0};

	if (!state || cfg->retention_ms <= 0)
		return;
	every = every < 1000 ? 1000 : every > 60000 ? 60000 : every;
	if (now - last < every || !atomic_compare_exchange_strong(&d->last_prune, &last, now))
		return;
	if (sd_state_prune(state, cfg->retention_ms, now, &deleted, &err))
		sd_log_warn("retention: %s", err.msg);
	else if (deleted)
		sd_log_debug("retention: %lld old rows deleted", deleted);
}

static void
finish(daemon_t *d, size_t idx, holder *h, int status, long long interval, bool fired)
{
	/* Unreachable and deferred checks retry on a backoff, sooner than the interval. */
	bool reachable = status != SD_CHECK_UNREACHABLE && status != SD_CHECK_DEFERRED;
	slot *s;
	long long now = sd_mono_ms(), wait;
	uint64_t one = 1;

	pthread_mutex_lock(&d->mu);
	s = &d->slots.ptr[idx];
	s->last = status;
	s->running = false;
	s->failures = reachable ? 0 : s->failures + 1;
	wait = interval;
	if (!reachable) {
		/* 5s, 10s, 20s ... but never later than the pair's own interval */
		long long backoff = 5000LL << (s->failures > 10 ? 10 : s->failures - 1);
		wait = backoff < interval ? backoff : interval;
	}
	if (reachable) {
		/*
		 * Keep the cadence: the next run is one interval after this one was
		 * due, not after it ended, so check time does not accumulate. Jitter
		 * only spreads the first runs. A check that overran runs again now.
		 */
		s->due = s->due + interval;
		if (s->due < now)
			s->due = now;
	} else {
		s->due = now + wait + jitter(d, h->cfg, wait);
	}
	sd_metrics_scheduled(s->name, sd_now_ms() + (s->due - now));
	d->active--;
	release(d, h);
	if (fired) {
		d->outbox_dirty = true;
		pthread_cond_signal(&d->outbox);
	}
	pthread_mutex_unlock(&d->mu);
	if (write(d->wake_fd, &one, sizeof(one)) < 0)
		sd_log_debug("wake write failed: %s", strerror(errno));
}

/* Each thread has its own state store connection; NULL (logged) when it cannot open. */
static sd_state *
open_state(daemon_t *d, const char *purpose)
{
	sd_state *state = NULL;
	sd_err err = {0};
	char *path;

	pthread_mutex_lock(&d->mu);
	path = sd_xstrdup(d->current->cfg->state_path); /* fixed for the process's life */
	pthread_mutex_unlock(&d->mu);
	if (sd_state_open(&state, path, &err))
		sd_log_error("%s: %s", purpose, err.msg);
	free(path);
	return state;
}

/* Wakes the main loop, which waits for every thread to return before joining. */
static void
thread_done(daemon_t *d)
{
	uint64_t one = 1;

	if (write(d->wake_fd, &one, sizeof(one)) < 0)
		sd_log_debug("wake write failed: %s", strerror(errno));
}

static void *
worker(void *arg)
{
	daemon_t *d = arg;
	/* Without a store checks still run and log; nothing is stored. */
	sd_state *state = open_state(d, "checks will not be recorded");

	pthread_mutex_lock(&d->mu);
	for (;;) {
		size_t idx;
		holder *h;
		char *name;
		bool fired;
		int status;
		long long interval = 60000;
		while (!d->stopping && d->queue.len == 0)
			pthread_cond_wait(&d->work, &d->mu);
		if (d->stopping)
			break;
		idx = d->queue.ptr[0];
		memmove(d->queue.ptr, d->queue.ptr + 1, (d->queue.len - 1) * sizeof(size_t));
		d->queue.len--;
		h = d->current;
		h->refs++;
		name = sd_xstrdup(d->slots.ptr[idx].name);
		pthread_mutex_unlock(&d->mu);
		run_one(state, h->cfg, name, &status, &interval, &fired);
		maybe_prune(d, state, h->cfg);
		free(name);
		finish(d, idx, h, status, interval, fired);
		pthread_mutex_lock(&d->mu);
	}
	d->threads_left--;
	pthread_mutex_unlock(&d->mu);
	sd_state_close(state);
	thread_done(d);
	return NULL;
}

/*
 * The deliverer: sends due outbox rows, sleeps until the next retry or a new
 * event. Pending rows left by an earlier run are sent at start.
 */
static void *
deliverer(void *arg)
{
	daemon_t *d = arg;
	sd_state *state = open_state(d, "alert delivery disabled");

	if (!state) {
		pthread_mutex_lock(&d->mu);
		d->threads_left--;
		pthread_mutex_unlock(&d->mu);
		thread_done(d);
		return NULL;
	}
	pthread_mutex_lock(&d->mu);
	{
		/* Events that gave up in an earlier run get a new period: the sink may be fixed. */
		int n = sd_alert_requeue_failed(sd_state_db(state), d->current->cfg);
		if (n > 0)
			sd_log_warn("requeued %d alert events that had failed before this start", n);
	}
	while (!d->stopping) {
		holder *h = d->current;
		long long wait;
		struct timespec until;
		h->refs++;
		d->outbox_dirty = false;
		pthread_mutex_unlock(&d->mu);
		wait = sd_alert_deliver_due(sd_state_db(state), h->cfg, 5000, &d->stop_delivery);
		pthread_mutex_lock(&d->mu);
		release(d, h);
		if (d->outbox_dirty || d->stopping)
			continue;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += wait / 1000;
		until.tv_nsec += (wait % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&d->outbox, &d->mu, &until);
	}
	d->threads_left--;
	pthread_mutex_unlock(&d->mu);
	sd_state_close(state);
	thread_done(d);
	return NULL;
}

/* ---- schedule -------------------------------------------------------- */

/* Rebuilds the slots for cfg, keeping the timing of pairs that stay. Called with mu held. */
static void
sync_slots(daemon_t *d, const sd_config *cfg)
{
	long long now = sd_mono_ms();

	for (size_t i = 0; i < d->slots.len; i++)
		d->slots.ptr[i].gone = !sd_cfg_find_pair(cfg, d->slots.ptr[i].name);
	for (size_t k = 0; k < cfg->n_pairs; k++) {
		const sd_cfg_pair *p = &cfg->pairs[k];
		bool found = false;
		for (size_t i = 0; i < d->slots.len && !found; i++)
			found = strcmp(d->slots.ptr[i].name, p->name) == 0;
		if (!found) {
			/* First runs spread over the jitter window rather than all at once. */
			slot s = {sd_xstrdup(p->name), now + jitter(d, cfg, p->interval_ms), false,
				  false, 0, -1};
			sd_metrics_scheduled(s.name, sd_now_ms() + (s.due - now));
			sd_vec_push(&d->slots, s);
		}
	}
}

/*
 * Per-pair fairness: a pair whose side is unreachable (a blackholed host
 * holds a worker until the connect timeout) may never take the last free
 * worker, so as many unreachable pairs as workers cannot starve the
 * healthy ones. Queued and running unreachable pairs count alike.
 */
static bool
may_start_failing(daemon_t *d)
{
	int busy = 0, workers = d->current->cfg->workers;

	for (size_t i = 0; i < d->slots.len; i++)
		busy += d->slots.ptr[i].running && d->slots.ptr[i].failures > 0;
	return workers <= 1 || busy < workers - 1;
}

static void
start_slot(daemon_t *d, size_t i)
{
	d->slots.ptr[i].running = true;
	d->active++;
	sd_vec_push(&d->queue, i);
	pthread_cond_signal(&d->work);
}

/*
 * Queues due pairs, healthy ones first; returns ms until the next one is
 * due. Called with mu held.
 */
static long long
enqueue_due(daemon_t *d)
{
	long long now = sd_mono_ms(), next = 1000;

	for (int failing = 0; failing <= 1; failing++) {
		for (size_t i = 0; i < d->slots.len; i++) {
			slot *s = &d->slots.ptr[i];
			if (s->gone || s->running || (s->failures > 0) != failing)
				continue;
			if (s->due > now) {
				if (s->due - now < next)
					next = s->due - now;
			} else if (!failing || may_start_failing(d)) {
				start_slot(d, i);
			} else if (next > 200) {
				next = 200; /* waits for a worker a healthy pair cannot need */
			}
		}
	}
	return next;
}

/* ---- configuration --------------------------------------------------- */

static sd_config *
load(const char *path)
{
	sd_config *c = NULL;
	sd_str errors, warnings;

	sd_str_init(&errors);
	sd_str_init(&warnings);
	if (sd_cfg_load(&c, path, &sd_cfg_registry, &errors, &warnings) == SD_OK) {
		for (char *line = strtok(warnings.ptr, "\n"); line; line = strtok(NULL, "\n"))
			sd_log_warn("%s", line);
	} else {
		for (char *line = strtok(errors.ptr, "\n"); line; line = strtok(NULL, "\n"))
			sd_log_error("%s", line);
	}
	sd_str_dispose(&errors);
	sd_str_dispose(&warnings);
	return c;
}

static void
reload(daemon_t *d, const char *path)
{
	sd_config *c;
	holder *h;

	sd_notify_reloading();
	sd_log_info("reloading %s", path);
	c = load(path);
	if (!c) {
		sd_log_error("reload failed, keeping the previous configuration");
		sd_notify_ready();
		return;
	}
	pthread_mutex_lock(&d->mu);
	if (strcmp(c->state_path, d->current->cfg->state_path) != 0) {
		/* Workers hold the store open: a new path needs a restart. */
		sd_log_warn("state_path cannot change on reload; keeping %s",
			    d->current->cfg->state_path);
		c->state_path = sd_arena_strdup(&c->arena, d->current->cfg->state_path);
	}
	h = sd_xcalloc(1, sizeof(*h));
	h->cfg = c;
	h->refs = 1;
	if (c->workers != d->current->cfg->workers) {
		/* The pool is sized at start; resizing it under running checks is not worth it. */
		sd_log_warn("workers cannot change on reload (restart schemad to apply %d); keeping %d",
			    c->workers, d->current->cfg->workers);
		c->workers = d->current->cfg->workers;
	}
	if (!sd_streq(c->http.listen, d->current->cfg->http.listen) ||
	    !sd_streq(c->http.token, d->current->cfg->http.token)) {
		/* The listener is bound at start; it keeps its address and token. */
		const sd_cfg_http *old = &d->current->cfg->http;
		sd_log_warn("http cannot change on reload (restart schemad to apply it)");
		c->http.listen = old->listen ? sd_arena_strdup(&c->arena, old->listen) : NULL;
		c->http.token = old->token ? sd_arena_strdup(&c->arena, old->token) : NULL;
	}
	sd_log_set_level(c->log_level);
	sd_log_set_format(sd_streq(c->log_format, "json") ? SD_LOG_JSON : SD_LOG_TEXT);
	sync_slots(d, c);
	{
		holder *old = d->current;
		d->current = h;
		release(d, old);
	}
	pthread_mutex_unlock(&d->mu);
	sd_log_info("reloaded: %zu pairs", c->n_pairs);
	sd_notify_ready();
}

/* ---- the loop -------------------------------------------------------- */

static int
signal_fd(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	/* Blocked before any thread starts, so every thread inherits the mask. */
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, set, SFD_CLOEXEC);
}

/* Waits up to ms for a signal or a wake-up; returns the signal number or 0. */
static int
wait_event(daemon_t *d, int sfd, long long ms)
{
	struct pollfd fds[2] = {{sfd, POLLIN, 0}, {d->wake_fd, POLLIN, 0}};
	struct signalfd_siginfo si;
	uint64_t n;

	if (poll(fds, 2, (int)(ms < 0 ? 0 : ms)) <= 0)
		return 0;
	if ((fds[1].revents & POLLIN) && read(d->wake_fd, &n, sizeof(n)) < 0)
		sd_log_debug("wake read failed: %s", strerror(errno));
	if ((fds[0].revents & POLLIN) && read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		return (int)si.ssi_signo;
	return 0;
}

/* Sends STATUS= when the counts changed since the last one sent. */
static void
status_line(daemon_t *d)
{
	static size_t last[3] = {SIZE_MAX, 0, 0};
	size_t running = 0, drifted = 0, unreachable = 0, pairs;

	pthread_mutex_lock(&d->mu);
	for (size_t i = 0; i < d->slots.len; i++) {
		const slot *s = &d->slots.ptr[i];
		if (s->gone)
			continue;
		running += s->running;
		drifted += s->last == SD_CHECK_DRIFT;
		unreachable += s->last == SD_CHECK_UNREACHABLE || s->last == SD_CHECK_ERROR;
	}
	pairs = d->current->cfg->n_pairs;
	pthread_mutex_unlock(&d->mu);
	/* "checking now" flickers every second: it alone does not warrant a message. */
	if (last[0] == pairs && last[1] == drifted && last[2] == unreachable)
		return;
	last[0] = pairs;
	last[1] = drifted;
	last[2] = unreachable;
	sd_notify_statusf("watching %zu pairs: %zu drifted, %zu unreachable, %zu checking now", pairs,
			  drifted, unreachable, running);
}

/*
 * Stops the workers: nothing new starts, queued checks are dropped, and
 * in-flight ones finish (every external call has a timeout). A second
 * SIGTERM/SIGINT stops waiting. Returns true when all workers ended.
 */
static bool
stop_workers(daemon_t *d, int sfd, pthread_t *threads, int n)
{
	pthread_mutex_lock(&d->mu);
	d->stopping = true;
	atomic_store(&d->stop_delivery, true);
	d->active -= (int)d->queue.len; /* queued, never started */
	d->queue.len = 0;
	pthread_cond_broadcast(&d->work);
	pthread_cond_broadcast(&d->outbox);
	pthread_mutex_unlock(&d->mu);
	/* Joins happen only once every thread returned, so this wait stays interruptible. */
	for (;;) {
		int left, sig;
		pthread_mutex_lock(&d->mu);
		left = d->threads_left;
		pthread_mutex_unlock(&d->mu);
		if (left <= 0)
			break;
		sig = wait_event(d, sfd, 200);
		if (sig == SIGTERM || sig == SIGINT) {
			sd_log_warn("second stop signal: exiting without waiting for %d threads", left);
			return false;
		}
	}
	for (int i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	return true;
}

static void
serve(daemon_t *d, int sfd, const char *path)
{
	long long watchdog = sd_notify_watchdog_ms(), last_ping = 0;

	for (;;) {
		long long next, now;
		int sig;
		pthread_mutex_lock(&d->mu);
		next = enqueue_due(d);
		pthread_mutex_unlock(&d->mu);
		now = sd_mono_ms();
		if (watchdog && now - last_ping >= watchdog / 2) {
			sd_notify_watchdog();
			last_ping = now;
		}
		status_line(d);
		if (watchdog && next > watchdog / 2)
			next = watchdog / 2;
		sig = wait_event(d, sfd, next);
		if (sig == SIGHUP) {
			reload(d, path);
		} else if (sig == SIGTERM || sig == SIGINT) {
			sd_log_info("%s: stopping after in-flight checks",
				    sig == SIGTERM ? "SIGTERM" : "SIGINT");
			sd_notify_stopping();
			return;
		}
	}
}

/* ---- the HTTP listener's view of the configuration -------------------- */

static const sd_config *
http_acquire(void *ctx, void **hold_out)
{
	daemon_t *d = ctx;
	holder *h;

	pthread_mutex_lock(&d->mu);
	h = d->current;
	h->refs++;
	pthread_mutex_unlock(&d->mu);
	*hold_out = h;
	return h->cfg;
}

static void
http_release(void *ctx, void *hold)
{
	daemon_t *d = ctx;

	pthread_mutex_lock(&d->mu);
	release(d, hold);
	pthread_mutex_unlock(&d->mu);
}

/* Starts the listener when configured; NULL (logged) when off or failed. */
static sd_http *
start_http(daemon_t *d)
{
	const sd_config *c = d->current->cfg;
	sd_http_host host = {http_acquire, http_release, d};
	sd_http *h = NULL;
	sd_err err = {0};

	if (!c->http.listen)
		return NULL;
	if (sd_http_start(&h, &c->http, c->state_path, &host, &err)) {
		sd_log_error("%s", err.msg);
		return NULL;
	}
	sd_log_info("http: listening on %s (port %d)%s", c->http.listen, sd_http_port(h),
		    c->http.token ? ", bearer token required" : "");
	return h;
}

/* Static: after a second stop signal, detached workers may still run while main exits. */
static daemon_t the_daemon = {.mu = PTHREAD_MUTEX_INITIALIZER,
			       .work = PTHREAD_COND_INITIALIZER,
			       .outbox = PTHREAD_COND_INITIALIZER};

int
sd_daemon_run(const char *config_path, bool *abandoned)
{
	daemon_t *d = &the_daemon;
	sigset_t set;
	pthread_t *threads;
	sd_state *probe = NULL;
	sd_err err = {0};
	int sfd, n_workers, started = 0, lock_fd = -1; /* lock_fd: held for the process's life */
	sd_http *http;
	bool clean;

	sd_notify_init();
	sfd = signal_fd(&set);
	d->current = sd_xcalloc(1, sizeof(holder));
	d->current->refs = 1;
	*abandoned = false;
	if (!(d->current->cfg = load(config_path))) {
		sd_log_error("cannot start: %s is not a valid configuration", config_path);
		free(d->current);
		return 2;
	}
	sd_log_set_level(d->current->cfg->log_level);
	sd_log_set_format(sd_streq(d->current->cfg->log_format, "json") ? SD_LOG_JSON : SD_LOG_TEXT);
	/* One daemon per store, and never on a damaged one: both before anything writes to it. */
	if (sd_guard_lock(&lock_fd, d->current->cfg->state_path, &err) ||
	    sd_guard_check(d->current->cfg->state_path, &err) ||
	    /* Open the store once here so a bad state_path fails the start, not each worker. */
	    sd_state_open(&probe, d->current->cfg->state_path, &err)) {
		if (lock_fd >= 0)
			close(lock_fd);
		sd_log_error("cannot start: %s", err.msg);
		sd_cfg_free(d->current->cfg);
		free(d->current);
		return 2;
	}
	sd_state_close(probe);
	d->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	d->seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	sync_slots(d, d->current->cfg);
	n_workers = d->current->cfg->workers;
	threads = sd_xcalloc((size_t)n_workers + 1, sizeof(*threads));
	pthread_mutex_lock(&d->mu);
	for (int i = 0; i < n_workers; i++)
		if (pthread_create(&threads[started], NULL, worker, d) == 0)
			started++;
	if (pthread_create(&threads[started], NULL, deliverer, d) == 0)
		started++;
	d->threads_left = started;
	pthread_mutex_unlock(&d->mu);
	sd_log_info("schemad %s up: %zu pairs, %d workers, state %s, sqlite %s", SD_VERSION,
		    d->current->cfg->n_pairs, started, d->current->cfg->state_path,
		    sqlite3_libversion());
	http = start_http(d);
	sd_notify_ready();
	serve(d, sfd, config_path);
	sd_http_stop(http); /* first: its requests hold configurations */
	clean = stop_workers(d, sfd, threads, started);
	sd_log_info("stopped");
	if (clean) {
		for (size_t i = 0; i < d->slots.len; i++)
			free(d->slots.ptr[i].name);
		sd_vec_dispose(&d->slots);
		sd_vec_dispose(&d->queue);
		sd_cfg_free(d->current->cfg);
		free(d->current);
		free(threads);
		sd_metrics_reset();
	}
	if (clean) {
		/* Threads left running after a second signal may still use these. */
		close(d->wake_fd);
		close(sfd);
	}
	*abandoned = !clean;
	return 0;
}
