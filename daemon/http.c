/*
 * daemon/http.c: routes, authentication and /metrics over libmicrohttpd.
 *
 * libmicrohttpd runs one internal polling thread and every handler in it,
 * so the listener's state store connection needs no lock. Responses are
 * built in full, then handed over (MHD_RESPMEM_MUST_FREE). Pages and JSON
 * come from daemon/status.c, one reading of the store for every face.
 */
#include "daemon/http.h"

#include "connectors/sd_source.h"

#include "daemon/metrics.h"
#include "daemon/page.h"
#include "daemon/report.h"
#include "daemon/status.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct sd_http {
	struct MHD_Daemon *mhd;
	sd_http_host host;
	char *state_path;
	char *token;     /* NULL: no token asked */
	sd_state *state; /* opened by the listener thread on first use */
	int port;
};

typedef struct reply {
	unsigned status;
	const char *type;
	sd_str body;
} reply;

/* ---- helpers --------------------------------------------------------- */

static sd_state *
store(sd_http *h)
{
	sd_err err = {0};

	if (!h->state && sd_state_open(&h->state, h->state_path, &err))
		sd_log_error("http: %s", err.msg);
	return h->state;
}

/* Compares in constant time, so response times tell nothing about the token. */
static bool
token_ok(const char *given, const char *want)
{
	size_t n = strlen(want), m = given ? strlen(given) : 0;
	unsigned char diff = (unsigned char)(n != m);

	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(want[i] ^ (i < m ? given[i] : 0));
	return diff == 0;
}

static bool
authorized(sd_http *h, struct MHD_Connection *conn, const char *url)
{
	const char *auth;

	if (!h->token || strcmp(url, "/healthz") == 0 || strcmp(url, "/readyz") == 0)
		return true;
	auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	return auth && strncmp(auth, "Bearer ", 7) == 0 && token_ok(auth + 7, h->token);
}

static void
set_json(reply *r, json_t *o)
{
	char *text = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);

	r->type = "application/json";
	sd_str_append(&r->body, text ? text : "null");
	sd_str_appendc(&r->body, '\n');
	free(text);
}

static void
set_text(reply *r, unsigned status, const char *text)
{
	r->status = status;
	r->type = "text/plain; charset=utf-8";
	sd_str_clear(&r->body);
	sd_str_append(&r->body, text);
}

static void
not_found(reply *r, const char *what)
{
	set_text(r, 404, what);
	sd_str_appendc(&r->body, '\n');
}

/* ---- /metrics ---------------------------------------------------------- */

static const char *const STATES[] = {"ok", "drift", "unreachable", "error", "deferred", "pending"};

static void
gauge_head(sd_str *out, const char *name, const char *help)
{
	sd_str_appendf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void
pair_series(sd_str *out, const char *metric, const char *pair, const char *key, const char *v)
{
	sd_str_appendf(out, "%s{pair=\"", metric);
	sd_metrics_label(out, pair);
	if (key) {
		sd_str_appendf(out, "\",%s=\"", key);
		sd_metrics_label(out, v);
	}
	sd_str_append(out, "\"} ");
}

static void
pair_gauges(sd_str *out, const json_t *pairs)
{
	static const char *const bands[] = {"critical", "high", "medium", "low"};
	size_t i;
	const json_t *p;

	gauge_head(out, "schemad_pair_state", "1 for the pair's current state, 0 for the others.");
	json_array_foreach(pairs, i, p)
	{
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *state = json_string_value(json_object_get(p, "state"));
		for (size_t k = 0; k < sizeof(STATES) / sizeof(*STATES); k++) {
			pair_series(out, "schemad_pair_state", name, "state", STATES[k]);
			sd_str_appendf(out, "%d\n", state && strcmp(state, STATES[k]) == 0);
		}
	}
	gauge_head(out, "schemad_pair_changes", "Changes in the pair's last read drift, by band.");
	json_array_foreach(pairs, i, p)
	{
		const char *name = json_string_value(json_object_get(p, "name"));
		const json_t *counts = json_object_get(p, "counts");
		for (size_t k = 0; k < 4; k++) {
			pair_series(out, "schemad_pair_changes", name, "band", bands[k]);
			sd_str_appendf(
			        out, "%lld\n",
			        (long long)json_integer_value(json_object_get(counts, bands[k])));
		}
	}
	gauge_head(out, "schemad_pair_score", "Risk score (0-100) of the pair's last read drift.");
	json_array_foreach(pairs, i, p)
	{
		pair_series(out, "schemad_pair_score",
		            json_string_value(json_object_get(p, "name")), NULL, NULL);
		sd_str_appendf(out, "%lld\n",
		               (long long)json_integer_value(json_object_get(p, "score")));
	}
	gauge_head(out, "schemad_pair_silenced",
	           "1 while an acknowledgement (kind=ack) or a mute (kind=mute) is in force.");
	json_array_foreach(pairs, i, p)
	{
		const char *name = json_string_value(json_object_get(p, "name"));
		pair_series(out, "schemad_pair_silenced", name, "kind", "ack");
		sd_str_appendf(out, "%d\n", json_is_object(json_object_get(p, "acknowledged")));
		pair_series(out, "schemad_pair_silenced", name, "kind", "mute");
		sd_str_appendf(out, "%d\n", json_is_object(json_object_get(p, "muted")));
	}
}

/* Last successful check times and the outbox, straight from the store. */
static void
store_gauges(sd_str *out, sqlite3 *db, const sd_config *cfg)
{
	sqlite3_stmt *st = NULL;

	gauge_head(out, "schemad_pair_last_success_timestamp_seconds",
	           "When the pair's last successful check ended (Unix time).");
	if (sqlite3_prepare_v2(
	            db,
	            "SELECT pair, last_success FROM pair_state WHERE last_success > 0 ORDER BY pair",
	            -1, &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *pair = (const char *)sqlite3_column_text(st, 0);
			if (!sd_cfg_find_pair(cfg, pair))
				continue;
			pair_series(out, "schemad_pair_last_success_timestamp_seconds", pair, NULL,
			            NULL);
			sd_str_appendf(out, "%.3f\n", (double)sqlite3_column_int64(st, 1) / 1000.0);
		}
	sqlite3_finalize(st);
	gauge_head(out, "schemad_outbox_pending", "Alert events waiting for delivery, per sink.");
	for (size_t i = 0; i < cfg->n_sinks; i++) {
		long long n = 0;
		if (sqlite3_prepare_v2(
		            db, "SELECT count(*) FROM outbox WHERE state = 'pending' AND sink = ?1",
		            -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, cfg->sinks[i].name, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				n = sqlite3_column_int64(st, 0);
		}
		sqlite3_finalize(st);
		sd_str_append(out, "schemad_outbox_pending{sink=\"");
		sd_metrics_label(out, cfg->sinks[i].name);
		sd_str_appendf(out, "\"} %lld\n", n);
	}
}

static void
metrics(sd_http *h, const sd_config *cfg, reply *r)
{
	sd_state *st = store(h);
	json_t *pairs;

	if (!st) {
		set_text(r, 503, "state store unavailable\n");
		return;
	}
	r->type = "text/plain; version=0.0.4; charset=utf-8";
	gauge_head(&r->body, "schemad_build_info", "schemad's version; always 1.");
	sd_str_append(&r->body, "schemad_build_info{version=\"" SD_VERSION "\",sqlite=\"");
	sd_metrics_label(&r->body, sqlite3_libversion());
	sd_str_append(&r->body, "\"} 1\n");
	pairs = sd_status_pairs(st, cfg);
	pair_gauges(&r->body, pairs);
	json_decref(pairs);
	store_gauges(&r->body, sd_state_db(st), cfg);
	sd_metrics_render(&r->body);
}

/* ---- health ------------------------------------------------------------ */

/* Alive: the store answers and takes its write lock (then lets it go at once). */
static void
healthz(sd_http *h, reply *r)
{
	sd_state *st = store(h);

	if (st && sqlite3_exec(sd_state_db(st), "BEGIN IMMEDIATE; ROLLBACK", NULL, NULL, NULL) ==
	                  SQLITE_OK)
		set_text(r, 200, "ok\n");
	else {
		if (st)
			sqlite3_exec(sd_state_db(st), "ROLLBACK", NULL, NULL, NULL);
		set_text(r, 503, "state store not writable\n");
	}
}

/* Ready: the configuration is loaded and every pair was checked since the start. */
static void
readyz(const sd_config *cfg, reply *r)
{
	sd_str waiting;

	sd_str_init(&waiting);
	for (size_t i = 0; i < cfg->n_pairs; i++) {
		bool checked;
		sd_metrics_next_check(cfg->pairs[i].name, &checked);
		if (!checked)
			sd_str_appendf(&waiting, "%s%s", waiting.len ? ", " : "",
			               cfg->pairs[i].name);
	}
	if (waiting.len) {
		set_text(r, 503, "not ready: not checked yet: ");
		sd_str_append(&r->body, waiting.ptr);
		sd_str_appendc(&r->body, '\n');
	} else {
		set_text(r, 200, "ready\n");
	}
	sd_str_dispose(&waiting);
}

/* ---- pairs --------------------------------------------------------------- */

static long long
query_number(struct MHD_Connection *conn, const char *key, long long def)
{
	const char *v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, key);

	return v && *v ? strtoll(v, NULL, 10) : def;
}

/*
 * The pair of rest, NAME or NAME/history or NAME/report, and *what that
 * suffix ("" for none). A name may hold a '/' (sent as %2F, which arrives
 * decoded), so the suffix is looked for at the end; NULL when no pair fits.
 */
static const sd_cfg_pair *
pair_of_path(const sd_config *cfg, const char *rest, const char **what)
{
	static const char *const suffixes[] = {"history", "report"};
	size_t n = strlen(rest);
	const sd_cfg_pair *p;
	char name[256];

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++) {
		size_t k = strlen(suffixes[i]), len = n - k - 1;
		if (n <= k + 1 || len >= sizeof(name) || rest[len] != '/' ||
		    strcmp(rest + len + 1, suffixes[i]) != 0)
			continue;
		memcpy(name, rest, len);
		name[len] = '\0';
		if ((p = sd_cfg_find_pair(cfg, name))) {
			*what = suffixes[i];
			return p;
		}
	}
	*what = "";
	return sd_cfg_find_pair(cfg, rest);
}

static void
api_pair(sd_http *h, const sd_config *cfg, struct MHD_Connection *conn, const char *rest, reply *r)
{
	const char *what;
	const sd_cfg_pair *p = pair_of_path(cfg, rest, &what);
	const char *name = p ? p->name : NULL;
	sd_state *st = store(h);

	if (!p) {
		not_found(r, "no such pair");
	} else if (!st) {
		set_text(r, 503, "state store unavailable\n");
	} else if (!*what) {
		json_t *o = sd_status_pair(st, cfg, name);
		set_json(r, o);
		json_decref(o);
	} else if (strcmp(what, "history") == 0) {
		/* Applies and state changes are never pruned: a history is read in bounded pages. */
		long long limit = query_number(conn, "limit", 50);
		json_t *o;
		if (limit < 1 || limit > 1000) {
			set_text(r, 400, "limit: expected a number from 1 to 1000\n");
			return;
		}
		o = sd_status_history(st, name, (int)limit, query_number(conn, "since", 0) * 1000);
		set_json(r, o);
		json_decref(o);
	} else { /* report */
		sd_last last;
		sd_err err = {0};
		if (sd_status_last(&last, st, p, &err)) {
			not_found(r, err.msg);
		} else {
			r->type = "application/json";
			sd_report_json(&r->body, last.diff);
			sd_last_dispose(&last);
		}
	}
}

/* The plan for d, or NULL when its engines have none. Caller frees. */
static char *
plan_text(const sd_diff *d)
{
	const sd_dialect *dialect = sd_dialect_for(d->from->engine);
	sd_err err = {0};
	sd_str plan;

	if (!d->n_changes || !dialect || !dialect->plan ||
	    !sd_streq(d->from->engine, d->to->engine))
		return NULL;
	sd_str_init(&plan);
	if (dialect->plan(&plan, d, NULL, &err) != SD_OK) {
		sd_str_clear(&plan);
		sd_str_appendf(&plan, "-- no plan: %s\n", err.msg);
	}
	return sd_str_detach(&plan);
}

static void
page_pair(sd_http *h, const sd_config *cfg, const char *name, reply *r)
{
	const sd_cfg_pair *p = sd_cfg_find_pair(cfg, name);
	sd_state *st = store(h);
	json_t *pair, *history;
	sd_last last;
	sd_err err = {0};
	char *plan = NULL;
	bool have;

	r->type = "text/html; charset=utf-8";
	if (!p || !st) {
		r->status = p ? 503 : 404;
		sd_page_message(&r->body, p ? "unavailable" : "not found",
		                p ? "the state store cannot be read" : "no such pair");
		return;
	}
	pair = sd_status_pair(st, cfg, name);
	history = sd_status_history(st, name, 50, 0);
	have = sd_status_last(&last, st, p, &err) == SD_OK;
	if (have)
		plan = plan_text(last.diff);
	sd_page_pair(&r->body, pair, have ? last.diff : NULL, err.msg, plan, history);
	free(plan);
	if (have)
		sd_last_dispose(&last);
	json_decref(pair);
	json_decref(history);
}

/* ---- routing ------------------------------------------------------------- */

static void
route(sd_http *h, const sd_config *cfg, struct MHD_Connection *conn, const char *url, reply *r)
{
	sd_state *st;
	json_t *pairs;

	if (strcmp(url, "/metrics") == 0)
		metrics(h, cfg, r);
	else if (strcmp(url, "/healthz") == 0)
		healthz(h, r);
	else if (strcmp(url, "/readyz") == 0)
		readyz(cfg, r);
	else if (strncmp(url, "/api/pairs/", 11) == 0)
		api_pair(h, cfg, conn, url + 11, r);
	else if (strncmp(url, "/pairs/", 7) == 0)
		page_pair(h, cfg, url + 7, r);
	else if (strcmp(url, "/api/pairs") != 0 && strcmp(url, "/") != 0)
		not_found(r, "not found");
	else if (!(st = store(h)))
		set_text(r, 503, "state store unavailable\n");
	else {
		pairs = sd_status_pairs(st, cfg);
		if (url[1] == 'a') {
			set_json(r, pairs);
		} else {
			r->type = "text/html; charset=utf-8";
			sd_page_index(&r->body, pairs);
		}
		json_decref(pairs);
	}
}

static enum MHD_Result
handle(void *cls,
       struct MHD_Connection *conn,
       const char *url,
       const char *method,
       const char *version,
       const char *upload_data,
       size_t *upload_size,
       void **con_cls)
{
	sd_http *h = cls;
	struct MHD_Response *resp;
	const sd_config *cfg;
	reply r = {200, "text/plain; charset=utf-8", {0}};
	enum MHD_Result ret;
	size_t len;

	(void)version;
	(void)upload_data;
	(void)upload_size;
	(void)con_cls;
	sd_str_init(&r.body);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		set_text(&r, 405, "read-only: GET and HEAD only\n");
	} else if (!authorized(h, conn, url)) {
		set_text(&r, 401, "a bearer token is required\n");
	} else {
		void *hold;
		cfg = h->host.acquire(h->host.ctx, &hold);
		route(h, cfg, conn, url, &r);
		h->host.release(h->host.ctx, hold);
	}
	len = r.body.len;
	resp = MHD_create_response_from_buffer(len, sd_str_detach(&r.body), MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r.type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy",
	                        "default-src 'none'; style-src 'unsafe-inline'");
	if (r.status == 401)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	if (r.status == 405)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, r.status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- lifecycle ----------------------------------------------------------- */

int
sd_http_start(sd_http **out,
              const sd_cfg_http *http,
              const char *state_path,
              const sd_http_host *host,
              sd_err *err)
{
	struct sockaddr_storage addr = {0};
	char hostname[64];
	int port;
	bool loopback, v6;
	const char *why;
	sd_http *h;
	const union MHD_DaemonInfo *info;

	*out = NULL;
	if ((why = sd_cfg_parse_listen(http->listen, hostname, &port, &loopback)))
		return sd_err_set(err, SD_ECONFIG, "http.listen %s: %s", http->listen, why);
	v6 = strchr(hostname, ':') != NULL;
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&addr;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, hostname, &a->sin6_addr);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&addr;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, hostname, &a->sin_addr);
	}
	h = sd_xcalloc(1, sizeof(*h));
	h->host = *host;
	h->state_path = sd_xstrdup(state_path);
	h->token = http->token ? sd_xstrdup(http->token) : NULL;
	h->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
	                                  (v6 ? MHD_USE_IPv6 : 0),
	                          (uint16_t)port, NULL, NULL, handle, h, MHD_OPTION_SOCK_ADDR,
	                          &addr, MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
	                          MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_END);
	if (!h->mhd) {
		sd_http_stop(h);
		return sd_err_set(err, SD_ERROR,
		                  "http: cannot listen on %s (in use, or not allowed)",
		                  http->listen);
	}
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : port;
	*out = h;
	return SD_OK;
}

int
sd_http_port(const sd_http *h)
{
	return h->port;
}

void
sd_http_stop(sd_http *h)
{
	if (!h)
		return;
	if (h->mhd)
		MHD_stop_daemon(h->mhd); /* joins the listener thread: the store is ours again */
	sd_state_close(h->state);
	free(h->state_path);
	if (h->token)
		memset(h->token, 0, strlen(h->token));
	free(h->token);
	free(h);
}
