/*
 * daemon/metrics.h: the daemon's counters since it started, for /metrics.
 *
 * Checks and deliveries are counted here as they happen (a counter must
 * never go down, so it cannot be read back from a store that retention
 * prunes); what the store knows (each pair's state, the outbox) is read
 * from it at scrape time. Thread-safe: workers, the deliverer and the HTTP
 * thread all call in.
 */
#ifndef SD_METRICS_H
#define SD_METRICS_H

#include "daemon/pair.h"

#include <stdbool.h>

/* The outcome of one delivery attempt. */
typedef enum sd_delivery_result {
	SD_DELIVERY_DELIVERED,
	SD_DELIVERY_RETRY, /* failed, will be tried again */
	SD_DELIVERY_FAILED /* failed for good, or the sink is gone */
} sd_delivery_result;

/* A finished check: its status, why it failed, how long it took. */
void sd_metrics_check(const char *pair,
                      sd_check_status status,
                      sd_check_reason reason,
                      long long duration_ms);
/* A delivery attempt to sink and its result. */
void sd_metrics_delivery(const char *sink, sd_delivery_result result);
/* When the pair's next check is due (wall clock ms); 0 while it runs. */
void sd_metrics_scheduled(const char *pair, long long due_ms);
/* The pair's next due time (0 when unknown) and whether it was checked since start. */
long long sd_metrics_next_check(const char *pair, bool *checked_out);
/* Appends the counters and histograms in the Prometheus text format. */
void sd_metrics_render(sd_str *out);
/* Appends a label value escaped for the Prometheus text format. */
void sd_metrics_label(sd_str *out, const char *value);
/* Frees everything (at exit, so leak checkers stay quiet). */
void sd_metrics_reset(void);

#endif
