/*
 * daemon/pair.h: read two sources in parallel, and check a configured pair.
 */
#ifndef SD_PAIR_H
#define SD_PAIR_H

#include "config/sd_config.h"
#include "connectors/sd_source.h"
#include "diff/sd_diff.h"

/* The engine registry as the configuration loader asks it. */
extern const sd_cfg_engines sd_cfg_registry;

/* One side of a comparison. spec is borrowed; schema is owned (sd_schema_free). */
typedef struct sd_side {
	const char *spec;
	sd_source_opts opts; /* timeouts; dialect and scratch server for .sql dumps */
	sd_schema *schema;
	sd_err err;
	int rc;
	long long duration_ms; /* how long the read took */
} sd_side;

/* Reads both sides at once: a pair costs its slower side, not the sum. */
void sd_load_both(sd_side *a, sd_side *b);
void sd_side_dispose(sd_side *s);

typedef enum sd_check_status {
	SD_CHECK_OK,          /* read both sides, no drift */
	SD_CHECK_DRIFT,       /* read both sides, drift */
	SD_CHECK_UNREACHABLE, /* a side could not be reached or opened */
	SD_CHECK_ERROR,       /* anything else (a failed catalog query...) */
	SD_CHECK_DEFERRED     /* waited on another session's lock: retried soon */
} sd_check_status;

/* Whether both sides were read (ok or drift). */
bool sd_check_status_read(sd_check_status s);

/* Why a check failed: its label in the store, events and /metrics. */
typedef enum sd_check_reason {
	SD_REASON_NONE,        /* both sides were read */
	SD_REASON_UNREACHABLE, /* the server could not be reached, the file not opened */
	SD_REASON_AUTH,        /* the server refused the credentials */
	SD_REASON_LOCKED,      /* waited on another session's lock */
	SD_REASON_TIMEOUT,     /* a statement or connection timed out */
	SD_REASON_ERROR        /* anything else */
} sd_check_reason;
#define SD_REASON_LAST SD_REASON_ERROR

/* "unreachable", "auth", "locked", "timeout", "error"; NULL for SD_REASON_NONE. */
const char *sd_check_reason_name(sd_check_reason r);

const char *sd_check_status_name(sd_check_status s); /* "ok", "drift", ... */

typedef struct sd_check {
	const sd_cfg_pair *pair;
	sd_check_status status;
	sd_side target, reference; /* FROM = target, TO = reference */
	sd_diff *diff;             /* NULL unless both sides were read */
	char fingerprint[SD_FINGERPRINT_LEN + 1];
	long long started_ms;      /* wall clock, ms since the epoch */
	long long duration_ms;
	char error[600];           /* for unreachable / error: names the environment */
	sd_check_reason reason;    /* why it failed; SD_REASON_NONE when read */
} sd_check;

/*
 * Runs one check of pair p: the target is compared with the reference (the
 * plan would realign the target), filters and overrides applied. Never
 * fails: the outcome is in c->status. Dispose with sd_check_dispose.
 */
void sd_check_run(sd_check *c, const sd_config *cfg, const sd_cfg_pair *p);
void sd_check_dispose(sd_check *c);

/* The pair's diff of target against reference, its filters and overrides applied. */
sd_diff *sd_pair_diff(const sd_cfg_pair *p, const sd_schema *target, const sd_schema *reference);

long long sd_now_ms(void);

#endif
