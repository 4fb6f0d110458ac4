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

/* The outcome of one delivery attempt. */
typedef struct sd_delivery {
	bool ok;
	long http_status;       /* 0 when no HTTP response */
	long long retry_after_ms; /* from a 429's Retry-After; -1 when absent */
	char error[256];        /* for logs: never holds a URL or a secret */
} sd_delivery;

/* Sends one event payload (schemad.event JSON) to sink, synchronously, within timeout_ms. */
void sd_alert_send(sd_delivery *out, const sd_cfg_sink *sink, const char *payload,
		   const char *event_id, const char *type, long long timeout_ms);

/*
 * The delivery policy (docs/events.md): at least once. A failed attempt is
 * retried with exponential backoff and full jitter from alert_retry_min to
 * alert_retry_max; a Retry-After answer can only lengthen the wait (a
 * Retry-After: 0 does not burn retries). An event is retried for
 * alert_give_up_after from its creation (or from its requeue); then it is
 * kept as 'failed', logged at error level, counted by `schemad status`, and
 * requeued for a new period at the next start (sd_alert_requeue_failed).
 *
 * Delivers every due outbox row once (pending, next attempt reached).
 * Stops early once *stop is set (may be NULL). Returns the ms until the
 * next row is due (or max_wait_ms).
 */
long long sd_alert_deliver_due(struct sqlite3 *db, const sd_config *cfg, long long max_wait_ms,
			       const atomic_bool *stop);

/*
 * At start: every 'failed' row is pending again, due now, with a new
 * give-up period (the sink may have been fixed meanwhile). Returns the
 * number requeued, or -1 when the store refused.
 */
int sd_alert_requeue_failed(struct sqlite3 *db, const sd_config *cfg);

/* A sample event for `schemad alert test SINK` with a fresh random id (also in id_out); caller frees. */
char *sd_alert_sample_payload(const char *sink_name, char id_out[33]);

/* Renders the Slack Block Kit message for an event payload; caller frees. */
char *sd_alert_slack_message(const char *payload);

#endif
