/*
 * config/sd_config.h: schemad.yml, loaded with libyaml and validated.
 *
 * Every mistake is reported GNU-style, "file:line:col: key: reason", all of
 * them in one pass (at most 20). Secrets come from ${ENV} interpolation or
 * *_file keys and are kept out of every message.
 */
#ifndef SD_CONFIG_H
#define SD_CONFIG_H

#include "diff/sd_diff.h"

typedef struct sd_cfg_env {
	const char *name;
	const char *engine;   /* sqlite, postgres, mysql: from the URL when not given */
	const char *url;      /* with the password inserted: never print it */
	const char *password; /* from password / password_file; never print it */
	const char *display;  /* the URL with any password replaced by *** */
	int line;
} sd_cfg_env;

typedef struct sd_cfg_pair {
	const char *name;
	const char *reference; /* environment names */
	const char *target;
	long long interval_ms;
	const char **include;
	size_t n_include;
	const char **exclude;
	size_t n_exclude;
	const char **ignore;
	size_t n_ignore;
	sd_risk_override *overrides;
	size_t n_overrides;
	const char **compare;  /* "privileges", "owners": compared beyond the schema */
	size_t n_compare;
	const char **alerts;   /* sink names */
	size_t n_alerts;
	long long grace_ms;    /* failing this long before pair.unreachable (global default) */
	int grace_checks;      /* and this many failed checks in a row (global default) */
	int line;
} sd_cfg_pair;

typedef struct sd_cfg_sink {
	const char *name;
	const char *type;      /* slack, webhook, command */
	const char *url;       /* slack and webhook; a secret */
	const char *secret;    /* webhook HMAC key */
	const char *command;   /* command sink */
	sd_band min_risk;
	const char **events;   /* event types this sink receives; none given = all */
	size_t n_events;
	int line;
} sd_cfg_sink;

/* The optional HTTP listener (daemon/http.c): off when listen is NULL. */
typedef struct sd_cfg_http {
	const char *listen;    /* "127.0.0.1:9187", "[::1]:9187", "localhost:0" */
	const char *token;     /* bearer token, from token_file; NULL when none */
} sd_cfg_http;

typedef struct sd_config {
	sd_arena arena;
	const char *path;
	const char *state_path;
	int workers;
	int log_level;             /* SD_LOG_* */
	const char *log_format;    /* "text" or "json" */
	long long connect_timeout_ms;
	long long statement_timeout_ms;
	long long lock_timeout_ms;
	long long jitter_ms;       /* the most a run starts late, spreading load */
	long long grace_ms;        /* default of pairs[].grace */
	int grace_checks;          /* default of pairs[].grace_checks */
	long long retention_ms;    /* checks older than this are pruned; 0 keeps all */
	sd_cfg_http http;
	/* Alert delivery (docs/events.md): retries back off from min to max, for give_up_after. */
	long long alert_retry_min_ms;
	long long alert_retry_max_ms;
	long long alert_give_up_after_ms;
	long long alert_timeout_ms; /* one HTTP request or command */
	sd_cfg_env *envs;
	size_t n_envs;
	sd_cfg_pair *pairs;
	size_t n_pairs;
	/* every pair by name, for sd_cfg_find_pair (a check looks its pair up) */
	const sd_cfg_pair **pairs_by_name;
	sd_cfg_sink *sinks;
	size_t n_sinks;
	bool holds_secrets;        /* a literal password or URL secret is written in the file */
} sd_config;

/*
 * What the configuration knows of the engines, supplied by the engine
 * registry: the configuration itself knows none (and links no database
 * client library).
 */
typedef struct sd_cfg_engines {
	const char *(*name_for_scheme)(const char *scheme); /* NULL when unknown */
	const char *(*schemes_text)(void);                  /* for messages */
} sd_cfg_engines;

/*
 * Loads and validates path; engines resolves each environment's URL. On success *out is the configuration (free
 * with sd_cfg_free) and warnings may hold lines to log. On failure returns
 * SD_ECONFIG, *out is NULL, and errors holds one line per problem.
 */
int sd_cfg_load(sd_config **out, const char *path, const sd_cfg_engines *engines,
		sd_str *errors, sd_str *warnings);
void sd_cfg_free(sd_config *c);

const sd_cfg_env *sd_cfg_find_env(const sd_config *c, const char *name);
const sd_cfg_pair *sd_cfg_find_pair(const sd_config *c, const char *name);
const sd_cfg_sink *sd_cfg_find_sink(const sd_config *c, const char *name);

/* Whether sink wants events of type (its `events` list, or every type). */
bool sd_cfg_sink_wants(const sd_cfg_sink *s, const char *type);

/* Every event type, NULL-terminated: drift.detected ... pair.recovered. */
extern const char *const sd_cfg_event_types[];

/*
 * Parses an http.listen value: an IP literal or "localhost", a colon and a
 * port (0 picks a free one), IPv6 in brackets; or a port alone, on 127.0.0.1. host_out (at least 64 bytes)
 * receives the numeric host. Returns NULL when valid, else the reason.
 */
const char *sd_cfg_parse_listen(const char *text, char *host_out, int *port_out,
				bool *loopback_out);

/* "5m", "30s", "1h30m", "250ms", "0s" -> milliseconds; false when malformed. */
bool sd_cfg_parse_duration(const char *text, long long *ms_out);

#endif
