/*
 * daemon/alert.h: delivery of queued alert events to their sinks.
 *
 * Events are written to the state store's outbox first (daemon/state.c);
 * delivery reads them from there, so nothing is lost when an endpoint is
 * down or the daemon restarts. Webhooks and Slack go through libcurl
 * (timeouts, TLS verification on, redirects off), the command sink pipes
 * the event JSON to a program.
 */
#ifndef SD_ALERT_H
#define SD_ALERT_H

#include "config/sd_config.h"

#include <stdatomic.h>

struct sqlite3;

#define SD_ALERT_MAX_ATTEMPTS 8

/* The outcome of one delivery attempt. */
typedef struct sd_delivery {
	bool ok;
	long http_status;       /* 0 when no HTTP response */
	long long retry_after_ms; /* from a 429's Retry-After; -1 when absent */
	char error[256];        /* for logs: never holds a URL or a secret */
} sd_delivery;

/* Sends one event payload (schemad.event JSON) to sink, synchronously. */
void sd_alert_send(sd_delivery *out, const sd_cfg_sink *sink, const char *payload,
		   const char *event_id, const char *type);

/*
 * Delivers every due outbox row once (pending, next attempt reached),
 * scheduling retries with exponential backoff and jitter, and honouring
 * Retry-After. Stops early once *stop is set (may be NULL). Returns the ms
 * until the next row is due (or max_wait_ms).
 */
long long sd_alert_deliver_due(struct sqlite3 *db, const sd_config *cfg, long long max_wait_ms,
			       const atomic_bool *stop);

/* A sample event for `schemad alert test SINK` with a fresh random id (also in id_out); caller frees. */
char *sd_alert_sample_payload(const char *sink_name, char id_out[33]);

/* Renders the Slack Block Kit message for an event payload; caller frees. */
char *sd_alert_slack_message(const char *payload);

#endif
