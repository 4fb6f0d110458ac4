/*
 * daemon/status.h: what the state store says about pairs, as JSON.
 *
 * One reading of the store for every face of it: `schemad status`,
 * `history` and `show` with --format json, the HTTP API and the status
 * page all render these objects (documented in docs/operate.md). No
 * object holds a password: environments appear by name only.
 */
#ifndef SD_STATUS_H
#define SD_STATUS_H

#include "daemon/state.h"

#include <jansson.h>

/*
 * Every configured pair's state, in configuration order: state (ok,
 * drift, unreachable, deferred, error, or pending before its first
 * check), since, last and next check, score, band, counts, last error,
 * and any acknowledgement or mute in force. Caller json_decrefs.
 */
json_t *sd_status_pairs(sd_state *st, const sd_config *cfg);
/* One pair's object, or NULL when cfg has no such pair. */
json_t *sd_status_pair(sd_state *st, const sd_config *cfg, const char *pair);

/*
 * A pair's recent checks, acknowledgements/mutes and applies, newest first: at most
 * limit entries, none older than since_ms (0: no bound).
 */
json_t *sd_status_history(sd_state *st, const char *pair, int limit, long long since_ms);
/* A history "apply" entry's name: "applied" (the target now matches), "apply: drift", "apply failed". */
const char *sd_status_apply_label(const json_t *h);

/* The last stored snapshots of a pair's sides and their diff. */
typedef struct sd_last {
	sd_schema *target, *reference;
	sd_diff *diff;
	long long taken_ms; /* the older of the two snapshots */
} sd_last;

/*
 * Rebuilds the pair's last report from the snapshots its last successful
 * check stored. Fails (SD_EINPUT) when a side has none yet. Dispose with
 * sd_last_dispose.
 */
int sd_status_last(sd_last *out, sd_state *st, const sd_cfg_pair *p, sd_err *err);
void sd_last_dispose(sd_last *l);

/* "2026-11-30T14:00:00Z" for ms since the epoch; JSON null for 0. */
json_t *sd_status_time(long long ms);

#endif
