/*
 * daemon/alert.c: alert sinks (webhook, slack, command) and outbox delivery.
 *
 * Webhook: the event JSON as is, with X-Schemad-Event, X-Schemad-Delivery
 * (the event id, for idempotency), X-Schemad-Timestamp (Unix seconds of the
 * attempt) and, when a secret is configured, X-Schemad-Signature:
 * sha256=<hex HMAC-SHA256 of "TIMESTAMP.BODY">. Slack: a Block Kit message
 * built from the same event. Command: the event JSON on the program's
 * standard input, SCHEMAD_EVENT_TYPE/_ID and SCHEMAD_PAIR in its
 * environment, killed after the timeout.
 *
 * Logs and stored errors name the sink, never its URL: Slack URLs and
 * webhook URLs with credentials are secrets.
 */
#include "daemon/alert.h"

#include "daemon/event.h"
#include "daemon/metrics.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ; /* the command sink's environment starts from ours */

#define BATCH             32
#define MAX_RETRY_AFTER_S 600
#define COMMAND_TIMEOUT_S 30

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- HTTP ------------------------------------------------------------ */

static size_t
discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

/* Retry-After: delay-seconds or an HTTP date (RFC 9110 10.2.3). */
static size_t
header_cb(char *line, size_t size, size_t n, void *ud)
{
	sd_delivery *d = ud;
	size_t len = size * n;

	if (len > 12 && strncasecmp(line, "Retry-After:", 12) == 0) {
		char buf[128];
		const char *v = line + 12;
		size_t k = len - 12 < sizeof(buf) - 1 ? len - 12 : sizeof(buf) - 1;
		memcpy(buf, v, k);
		buf[k] = '\0';
		buf[strcspn(buf, "\r\n")] = '\0';
		v = buf + strspn(buf, " \t");
		if (*v >= '0' && *v <= '9') {
			long long secs = strtoll(v, NULL, 10);
			d->retry_after_ms = secs > MAX_RETRY_AFTER_S ? MAX_RETRY_AFTER_S * 1000LL
								     : secs * 1000;
		} else {
			time_t t = curl_getdate(v, NULL);
			if (t > 0)
				d->retry_after_ms = (t - time(NULL)) * 1000LL;
		}
		/* Clamped: a receiver cannot park an event for days, or in the past. */
		if (d->retry_after_ms < 0)
			d->retry_after_ms = 0;
		if (d->retry_after_ms > MAX_RETRY_AFTER_S * 1000LL)
			d->retry_after_ms = MAX_RETRY_AFTER_S * 1000LL;
	}
	return len;
}

/*
 * Hex HMAC-SHA256 of "TIMESTAMP.BODY": the timestamp is signed with the body,
 * so a receiver that rejects old timestamps rejects replayed requests too.
 */
static void
hmac_hex(char out[65], const char *key, long long timestamp, const char *body)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	sd_str signed_text;

	sd_str_init(&signed_text);
	sd_str_appendf(&signed_text, "%lld.%s", timestamp, body);
	HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)signed_text.ptr,
	     signed_text.len, mac, &n);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
	sd_str_dispose(&signed_text);
}

static void
http_post(sd_delivery *out, const char *url, const char *body, struct curl_slist *headers,
	  long long timeout_ms)
{
	CURL *curl = curl_easy_init();
	char errbuf[CURL_ERROR_SIZE] = "";
	CURLcode rc;

	if (!curl) {
		snprintf(out->error, sizeof(out->error), "cannot start an HTTP request");
		return;
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)(timeout_ms < 5000 ? timeout_ms : 5000));
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect could leak the body */
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); /* worker threads: no SIGALRM */
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "schemad/" SD_VERSION);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(curl);
	if (rc != CURLE_OK) {
		/* curl's message may quote the URL: keep only the generic text. */
		snprintf(out->error, sizeof(out->error), "%s", curl_easy_strerror(rc));
	} else {
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->http_status);
		out->ok = out->http_status >= 200 && out->http_status < 300;
		if (!out->ok)
			snprintf(out->error, sizeof(out->error), "HTTP %ld", out->http_status);
	}
	curl_easy_cleanup(curl);
}

static void
send_webhook(sd_delivery *out, const sd_cfg_sink *sink, const char *payload, const char *id,
	     const char *type, long long timeout_ms)
{
	struct curl_slist *h = NULL;
	char line[200], mac[65] = "";
	long long now = (long long)time(NULL); /* each attempt is signed anew */

	h = curl_slist_append(h, "Content-Type: application/json");
	snprintf(line, sizeof(line), "X-Schemad-Event: %s", type);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "X-Schemad-Delivery: %s", id);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "X-Schemad-Timestamp: %lld", now);
	h = curl_slist_append(h, line);
	if (sink->secret && *sink->secret) {
		hmac_hex(mac, sink->secret, now, payload);
		snprintf(line, sizeof(line), "X-Schemad-Signature: sha256=%s", mac);
		h = curl_slist_append(h, line);
	}
	http_post(out, sink->url, payload, h, timeout_ms);
	curl_slist_free_all(h);
}

/* ---- Slack ----------------------------------------------------------- */

/* Slack mrkdwn needs &, < and > escaped; everything else is literal. */
static void
mrkdwn(sd_str *s, const char *text)
{
	for (; text && *text; text++) {
		if (*text == '&')
			sd_str_append(s, "&amp;");
		else if (*text == '<')
			sd_str_append(s, "&lt;");
		else if (*text == '>')
			sd_str_append(s, "&gt;");
		else
			sd_str_appendc(s, *text);
	}
}

static const char *
jstr(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

/* Cuts s to at most max bytes on a UTF-8 boundary, marking the cut with "…". */
static void
clip(sd_str *s, size_t max)
{
	size_t n;

	if (s->len <= max)
		return;
	n = max - 3;
	while (n > 0 && ((unsigned char)s->ptr[n] & 0xC0) == 0x80)
		n--;
	s->len = n;
	s->ptr[n] = '\0';
	sd_str_append(s, "…");
}

static json_t *
text_block(const char *type, const char *text)
{
	json_t *t = json_object(), *b = json_object();

	json_object_set_new(t, "type", json_string(type));
	json_object_set_new(t, "text", json_string(text));
	json_object_set_new(b, "type", json_string("section"));
	json_object_set_new(b, "text", t);
	return b;
}

static const char *
headline(const char *type)
{
	if (strcmp(type, "drift.detected") == 0)
		return "Schema drift detected";
	if (strcmp(type, "drift.changed") == 0)
		return "Schema drift changed";
	if (strcmp(type, "drift.resolved") == 0)
		return "Schema drift resolved";
	if (strcmp(type, "pair.unreachable") == 0)
		return "Database unreachable";
	if (strcmp(type, "pair.recovered") == 0)
		return "Database reachable again";
	return "schemad event";
}

static json_t *
summary_fields(json_t *ev)
{
	json_t *fields = json_array(), *counts = json_object_get(ev, "counts");
	sd_str s;

	sd_str_init(&s);
	sd_str_append(&s, "*Pair*\n");
	mrkdwn(&s, jstr(ev, "pair"));
	json_array_append_new(fields, json_pack("{s:s,s:s}", "type", "mrkdwn", "text", s.ptr));
	sd_str_clear(&s);
	sd_str_append(&s, "*Environments*\n");
	mrkdwn(&s, jstr(json_object_get(ev, "target"), "name"));
	sd_str_append(&s, " → ");
	mrkdwn(&s, jstr(json_object_get(ev, "reference"), "name"));
	json_array_append_new(fields, json_pack("{s:s,s:s}", "type", "mrkdwn", "text", s.ptr));
	sd_str_clear(&s);
	sd_str_appendf(&s, "*Risk*\n%s (%lld)", jstr(ev, "band"),
		       (long long)json_integer_value(json_object_get(ev, "score")));
	json_array_append_new(fields, json_pack("{s:s,s:s}", "type", "mrkdwn", "text", s.ptr));
	sd_str_clear(&s);
	sd_str_appendf(&s, "*Changes*\n%lld critical, %lld high, %lld medium, %lld low",
		       (long long)json_integer_value(json_object_get(counts, "critical")),
		       (long long)json_integer_value(json_object_get(counts, "high")),
		       (long long)json_integer_value(json_object_get(counts, "medium")),
		       (long long)json_integer_value(json_object_get(counts, "low")));
	json_array_append_new(fields, json_pack("{s:s,s:s}", "type", "mrkdwn", "text", s.ptr));
	sd_str_dispose(&s);
	return json_pack("{s:s,s:o}", "type", "section", "fields", fields);
}

static json_t *
riskiest(json_t *ev)
{
	json_t *changes = json_object_get(ev, "changes"), *c;
	size_t i;
	sd_str s;
	json_t *b;

	sd_str_init(&s);
	sd_str_append(&s, "*Riskiest changes*");
	json_array_foreach(changes, i, c)
	{
		json_t *reasons = json_object_get(c, "reasons");
		if (i == 5)
			break;
		sd_str_appendf(&s, "\n• [%lld %s] ", (long long)json_integer_value(json_object_get(c, "risk")),
			       jstr(c, "band"));
		mrkdwn(&s, jstr(c, "label"));
		sd_str_append(&s, ": ");
		mrkdwn(&s, json_string_value(json_array_get(reasons, 0)));
	}
	clip(&s, 3000);
	b = text_block("mrkdwn", s.ptr);
	sd_str_dispose(&s);
	return b;
}

char *
sd_alert_slack_message(const char *payload)
{
	json_t *ev = json_loads(payload, 0, NULL), *msg, *blocks;
	const char *type;
	sd_str s;
	char *out;

	if (!ev)
		return NULL;
	type = jstr(ev, "type");
	blocks = json_array();
	sd_str_init(&s);
	sd_str_appendf(&s, "%s: %s", headline(type), jstr(ev, "pair"));
	clip(&s, 150); /* Slack's limit for a header */
	json_array_append_new(blocks, json_pack("{s:s,s:{s:s,s:s}}", "type", "header", "text", "type",
						"plain_text", "text", s.ptr));
	msg = json_pack("{s:s}", "text", s.ptr); /* the notification's fallback text */
	json_array_append_new(blocks, summary_fields(ev));
	if (json_array_size(json_object_get(ev, "changes")))
		json_array_append_new(blocks, riskiest(ev));
	if (json_is_string(json_object_get(ev, "error"))) {
		sd_str_clear(&s);
		sd_str_append(&s, "*Error*\n");
		mrkdwn(&s, jstr(ev, "error"));
		clip(&s, 3000);
		json_array_append_new(blocks, text_block("mrkdwn", s.ptr));
	}
	if (json_is_string(json_object_get(ev, "plan_excerpt"))) {
		sd_str_clear(&s);
		sd_str_append(&s, "*Plan (start)*\n```");
		mrkdwn(&s, jstr(ev, "plan_excerpt"));
		clip(&s, 2990); /* a section's text holds 3000 */
		sd_str_append(&s, "```");
		json_array_append_new(blocks, text_block("mrkdwn", s.ptr));
	}
	sd_str_clear(&s);
	sd_str_appendf(&s, "Detected %s · fingerprint %.12s", jstr(ev, "detected_at"),
		       *jstr(ev, "fingerprint") ? jstr(ev, "fingerprint") : "-");
	json_array_append_new(blocks, json_pack("{s:s,s:[{s:s,s:s}]}", "type", "context", "elements",
						"type", "mrkdwn", "text", s.ptr));
	json_object_set_new(msg, "blocks", blocks);
	out = json_dumps(msg, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(msg);
	json_decref(ev);
	sd_str_dispose(&s);
	return out;
}

static void
send_slack(sd_delivery *out, const sd_cfg_sink *sink, const char *payload, long long timeout_ms)
{
	char *msg = sd_alert_slack_message(payload);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");

	if (!msg)
		snprintf(out->error, sizeof(out->error), "malformed event payload");
	else
		http_post(out, sink->url, msg, h, timeout_ms);
	curl_slist_free_all(h);
	free(msg);
}

/* ---- command --------------------------------------------------------- */

/* Writes payload to fd without blocking past deadline; false when time ran out. */
static bool
write_until(int fd, const char *payload, size_t len, time_t deadline)
{
	size_t done = 0;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (done < len) {
		struct pollfd pfd = {fd, POLLOUT, 0};
		long long left = (long long)(deadline - time(NULL)) * 1000;
		ssize_t n;
		if (left <= 0)
			return false;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = write(fd, payload + done, len - done);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			break; /* the program stopped reading: its exit status decides */
		done += (size_t)n;
	}
	return true;
}

/* "NAME=value", malloc'd. */
static char *
env_entry(const char *name_eq, const char *value)
{
	sd_str v;

	sd_str_init(&v);
	sd_str_appendf(&v, "%s%s", name_eq, value);
	return sd_str_detach(&v);
}

/*
 * The program's environment: ours, with SCHEMAD_EVENT_TYPE, SCHEMAD_EVENT_ID
 * and SCHEMAD_PAIR (from the payload) set, so a script can route without
 * parsing JSON. Built before fork: the child of a threaded process may only
 * call async-signal-safe functions. Free with free_env.
 */
static char **
command_env(const char *payload, const char *id, const char *type)
{
	static const char *const ours[] = {"SCHEMAD_EVENT_TYPE=", "SCHEMAD_EVENT_ID=",
					   "SCHEMAD_PAIR="};
	json_t *event = json_loads(payload, 0, NULL);
	const char *pair = json_string_value(json_object_get(event, "pair"));
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = sd_xcalloc(n + 4, sizeof(*env));
	for (size_t i = 0; i < n; i++) {
		bool replaced = false;
		for (size_t j = 0; j < 3; j++)
			replaced = replaced || strncmp(environ[i], ours[j], strlen(ours[j])) == 0;
		if (!replaced)
			env[k++] = sd_xstrdup(environ[i]);
	}
	env[k++] = env_entry(ours[0], type);
	env[k++] = env_entry(ours[1], id);
	env[k++] = env_entry(ours[2], pair ? pair : "");
	json_decref(event);
	return env;
}

static void
free_env(char **env)
{
	for (size_t i = 0; env[i]; i++)
		free(env[i]);
	free(env);
}

static void
send_command(sd_delivery *out, const sd_cfg_sink *sink, const char *payload, const char *id,
	     const char *type)
{
	int in[2];
	pid_t pid;
	int status = 0;
	time_t deadline = time(NULL) + COMMAND_TIMEOUT_S;
	bool in_time;
	char **env;

	if (pipe(in) != 0) {
		snprintf(out->error, sizeof(out->error), "pipe: %s", strerror(errno));
		return;
	}
	env = command_env(payload, id, type);
	pid = fork();
	if (pid < 0) {
		snprintf(out->error, sizeof(out->error), "fork: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		free_env(env);
		return;
	}
	if (pid == 0) {
		sigset_t none;
		/* The daemon blocks its signals and ignores SIGPIPE; the program must not. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		dup2(in[0], STDIN_FILENO);
		close(in[0]);
		close(in[1]);
		execle("/bin/sh", "sh", "-c", sink->command, (char *)NULL, env);
		_exit(127);
	}
	free_env(env);
	close(in[0]);
	in_time = write_until(in[1], payload, strlen(payload), deadline);
	close(in[1]);
	while (in_time && waitpid(pid, &status, WNOHANG) == 0) {
		if (time(NULL) > deadline)
			in_time = false;
		else
			usleep(20000);
	}
	if (!in_time) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		snprintf(out->error, sizeof(out->error), "command timed out after %ds",
			 COMMAND_TIMEOUT_S);
		return;
	}
	out->ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (!out->ok)
		snprintf(out->error, sizeof(out->error), "command exited with status %d",
			 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

void
sd_alert_send(sd_delivery *out, const sd_cfg_sink *sink, const char *payload,
	      const char *event_id, const char *type, long long timeout_ms)
{
	memset(out, 0, sizeof(*out));
	out->retry_after_ms = -1;
	if (timeout_ms <= 0)
		timeout_ms = 10000;
	if (strcmp(sink->type, "webhook") == 0)
		send_webhook(out, sink, payload, event_id, type, timeout_ms);
	else if (strcmp(sink->type, "slack") == 0)
		send_slack(out, sink, payload, timeout_ms);
	else
		send_command(out, sink, payload, event_id, type);
}

/* ---- the outbox ------------------------------------------------------ */

typedef struct row {
	long long id;
	char *event_id, *sink, *type, *payload, *pair;
	int attempts;
	long long give_up_at; /* epoch ms: retry_until, or created_at + alert_give_up_after */
} row;

/*
 * Exponential backoff with full jitter: min, 2 min, 4 min ... capped at
 * max, each wait drawn from the upper half of its step.
 */
static long long
backoff_ms(const sd_config *cfg, int attempts, unsigned int *seed)
{
	long long cap = cfg->alert_retry_min_ms > 0 ? cfg->alert_retry_min_ms : 2000;
	long long max = cfg->alert_retry_max_ms > cap ? cfg->alert_retry_max_ms : cap;

	for (int i = 0; i < attempts && cap < max; i++)
		cap *= 2;
	if (cap > max)
		cap = max;
	return cap / 2 + (long long)(rand_r(seed) % (unsigned long long)(cap / 2 + 1));
}

/* Returns false when the row could not be updated (the store is busy...). */
static bool
update_row(sqlite3 *db, const row *r, const char *state, long long next, const char *error)
{
	sqlite3_stmt *st = NULL;
	bool ok;

	if (sqlite3_prepare_v2(db,
			       "UPDATE outbox SET state = ?2, attempts = attempts + 1, "
			       "next_attempt_at = ?3, last_error = ?4 WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, next);
	if (error)
		sqlite3_bind_text(st, 4, error, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 4);
	ok = sqlite3_step(st) == SQLITE_DONE;
	if (!ok)
		sd_log_error("outbox: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return ok;
}

/* Sends one row and records the outcome; false when the store could not record it. */
static bool
deliver_row(sqlite3 *db, const sd_config *cfg, const row *r, unsigned int *seed)
{
	const sd_cfg_sink *sink = sd_cfg_find_sink(cfg, r->sink);
	sd_delivery d;
	long long next, now;

	if (!sink) {
		sd_log_error("[%s] %s %.12s to sink %s: failed: the sink is no longer configured "
			     "(requeued at the next start)",
			     r->pair, r->type, r->event_id, r->sink);
		sd_metrics_delivery(r->sink, SD_DELIVERY_FAILED);
		return update_row(db, r, "failed", 0, "the sink is no longer configured");
	}
	sd_alert_send(&d, sink, r->payload, r->event_id, r->type, cfg->alert_timeout_ms);
	if (d.ok) {
		sd_metrics_delivery(r->sink, SD_DELIVERY_DELIVERED);
		sd_log_info("[%s] %s %.12s delivered to %s", r->pair, r->type, r->event_id, r->sink);
		return update_row(db, r, "delivered", 0, NULL);
	}
	now = now_ms();
	next = backoff_ms(cfg, r->attempts, seed);
	/* Retry-After (429 and 503, RFC 9110 10.2.3) may lengthen the wait, never shorten it. */
	if ((d.http_status == 429 || d.http_status == 503) && d.retry_after_ms > next)
		next = d.retry_after_ms;
	if (now + next > r->give_up_at) {
		sd_metrics_delivery(r->sink, SD_DELIVERY_FAILED);
		sd_log_error("[%s] %s %.12s to %s: giving up after %d attempts over %llds: %s; "
			     "kept as failed, requeued at the next start",
			     r->pair, r->type, r->event_id, r->sink, r->attempts + 1,
			     (now - (r->give_up_at - cfg->alert_give_up_after_ms)) / 1000, d.error);
		return update_row(db, r, "failed", 0, d.error);
	}
	sd_metrics_delivery(r->sink, SD_DELIVERY_RETRY);
	sd_log_warn("[%s] %s %.12s to %s: %s; attempt %d in %lldms", r->pair, r->type, r->event_id,
		    r->sink, d.error, r->attempts + 2, next);
	return update_row(db, r, "pending", now + next, d.error);
}

/* The column retry_until (added to older stores): when a requeued row gives up. */
static bool
ensure_retry_until(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	bool found = false;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('outbox') WHERE name = 'retry_until'",
			       -1, &st, NULL) != SQLITE_OK)
		return false;
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found ||
	       sqlite3_exec(db, "ALTER TABLE outbox ADD COLUMN retry_until INTEGER", NULL, NULL, NULL) ==
		       SQLITE_OK;
}

int
sd_alert_requeue_failed(sqlite3 *db, const sd_config *cfg)
{
	sqlite3_stmt *st = NULL;
	int n = -1;

	if (!ensure_retry_until(db) ||
	    sqlite3_prepare_v2(db,
			       "UPDATE outbox SET state = 'pending', next_attempt_at = ?1, "
			       "retry_until = ?1 + ?2 WHERE state = 'failed'",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, now_ms());
	sqlite3_bind_int64(st, 2, cfg->alert_give_up_after_ms);
	if (sqlite3_step(st) == SQLITE_DONE)
		n = sqlite3_changes(db);
	sqlite3_finalize(st);
	return n;
}

static char *
col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return sd_xstrdup(t ? (const char *)t : "");
}

long long
sd_alert_deliver_due(sqlite3 *db, const sd_config *cfg, long long max_wait_ms,
		     const atomic_bool *stop)
{
	static __thread unsigned int seed;
	sqlite3_stmt *st = NULL;
	SD_VEC(row) rows = {0};
	long long now = now_ms(), wait = max_wait_ms;
	bool stuck = false;

	if (!seed)
		seed = (unsigned int)now ^ (unsigned int)getpid();
	if (!ensure_retry_until(db) ||
	    sqlite3_prepare_v2(db,
			       "SELECT id, event_id, sink, type, payload, pair, attempts, "
			       "coalesce(retry_until, created_at + ?3) FROM outbox "
			       "WHERE state = 'pending' AND next_attempt_at <= ?1 ORDER BY id LIMIT ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return max_wait_ms;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, BATCH);
	sqlite3_bind_int64(st, 3, cfg->alert_give_up_after_ms);
	while (sqlite3_step(st) == SQLITE_ROW) {
		row r = {sqlite3_column_int64(st, 0), col(st, 1), col(st, 2), col(st, 3),
			 col(st, 4), col(st, 5), sqlite3_column_int(st, 6), sqlite3_column_int64(st, 7)};
		sd_vec_push(&rows, r);
	}
	sqlite3_finalize(st);
	/* Rows are read first, then sent: no statement stays open across HTTP calls. */
	for (size_t i = 0; i < rows.len; i++) {
		/* Stopping: the rest stay pending for the next start. */
		if (!(stop && atomic_load(stop)) && !deliver_row(db, cfg, &rows.ptr[i], &seed))
			stuck = true;
		free(rows.ptr[i].event_id);
		free(rows.ptr[i].sink);
		free(rows.ptr[i].type);
		free(rows.ptr[i].payload);
		free(rows.ptr[i].pair);
	}
	if (stuck)
		return 1000; /* the store refused an update: do not resend in a tight loop */
	if (rows.len == BATCH)
		wait = 0; /* more are due */
	sd_vec_dispose(&rows);
	if (wait && sqlite3_prepare_v2(db,
				       "SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'",
				       -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
			long long next = sqlite3_column_int64(st, 0) - now_ms();
			if (next < wait)
				wait = next < 0 ? 0 : next;
		}
		sqlite3_finalize(st);
	}
	return wait;
}

char *
sd_alert_sample_payload(const char *sink_name, char id_out[33])
{
	json_t *o = json_object(), *changes = json_array(), *counts = json_object();
	unsigned char raw[16];
	char *text;

	/* A fresh id per test: receivers that de-duplicate by id see each one. */
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		abort();
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(id_out + 2 * i, 3, "%02x", raw[i]);
	json_object_set_new(o, "format", json_string(SD_EVENT_FORMAT));
	json_object_set_new(o, "version", json_integer(SD_EVENT_VERSION));
	json_object_set_new(o, "id", json_string(id_out));
	json_object_set_new(o, "type", json_string("drift.detected"));
	json_object_set_new(o, "pair", json_string("schemad-alert-test"));
	json_object_set_new(o, "reference", json_pack("{s:s,s:s,s:s}", "name", "staging", "engine",
						      "sqlite", "url", "sqlite:staging.db"));
	json_object_set_new(o, "target", json_pack("{s:s,s:s,s:s}", "name", "production", "engine",
						   "sqlite", "url", "sqlite:production.db"));
	json_object_set_new(o, "detected_at", json_string("2026-01-01T00:00:00Z"));
	json_object_set_new(o, "status", json_string("drift"));
	json_object_set_new(o, "fingerprint", json_string("0000000000000000000000000000000000000000000000000000000000000000"));
	json_object_set_new(o, "previous_fingerprint", json_string(""));
	json_object_set_new(o, "score", json_integer(75));
	json_object_set_new(o, "band", json_string("high"));
	json_object_set_new(o, "change_count", json_integer(1));
	json_object_set_new(counts, "none", json_integer(0));
	json_object_set_new(counts, "low", json_integer(0));
	json_object_set_new(counts, "medium", json_integer(0));
	json_object_set_new(counts, "high", json_integer(1));
	json_object_set_new(counts, "critical", json_integer(0));
	json_object_set_new(o, "counts", counts);
	json_array_append_new(changes,
			      json_pack("{s:s,s:s,s:s,s:i,s:s,s:[s]}", "kind", "column.drop", "object",
					"users", "label", "column users.phone", "risk", 75, "band",
					"high", "reasons",
					"this is a test event from `schemad alert test`"));
	json_object_set_new(o, "changes", changes);
	json_object_set_new(o, "plan_excerpt", json_string("ALTER TABLE \"users\" DROP COLUMN \"phone\";\n"));
	json_object_set_new(o, "error", json_null());
	json_object_set_new(o, "reason", json_null());
	json_object_set_new(o, "test", json_string(sink_name));
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}
