/*
 * daemon/state.h: the state store, an SQLite database in WAL mode.
 *
 * It holds the last snapshot of each environment, every check's result,
 * each pair's current state (reachability and drift fingerprint), and the
 * outbox of alert events waiting for delivery. One connection per thread.
 */
#ifndef SD_STATE_H
#define SD_STATE_H

#include "daemon/pair.h"

typedef struct sd_state sd_state;

/* Opens (creating if needed) the store at path. Caller closes with sd_state_close. */
int sd_state_open(sd_state **out, const char *path, sd_err *err);
void sd_state_close(sd_state *s);

/*
 * Records a finished check in one transaction: the check row, changed
 * snapshots, the pair's new state, and one outbox row per event and sink
 * when the state changed (drift.detected, drift.changed, drift.resolved,
 * pair.unreachable, pair.recovered). events_out (may be NULL) receives the
 * fired event names separated by spaces.
 */
int sd_state_record(sd_state *s, const sd_check *c, const sd_config *cfg, sd_str *events_out,
		    sd_err *err);


/*
 * Deletes checks older than retention_ms that changed nothing (a pair's
 * state changes and its latest check stay) and delivered outbox rows as
 * old (pending and failed ones stay). retention_ms 0 keeps everything.
 * *deleted_out: rows deleted.
 */
int sd_state_prune(sd_state *s, long long retention_ms, long long now_ms, long long *deleted_out,
		   sd_err *err);

/*
 * Records an acknowledgement (kind "ack": the pair's current drift, whose
 * fingerprint lands in fp_out; fails when the pair has none) or a mute
 * (kind "mute": every event) until until_ms (0: no end), by who, for
 * reason. Events so silenced are not queued; the history shows them.
 */
int sd_state_silence(sd_state *s, const char *pair, const char *kind, long long until_ms,
		     const char *who, const char *reason, char fp_out[SD_FINGERPRINT_LEN + 1],
		     sd_err *err);
/*
 * One run of `schemad apply PAIR` that ran statements on the target, however
 * it ended: kept in the pair's history (never pruned, like silences).
 */
typedef struct sd_apply_entry {
	const char *pair, *who;
	const char *outcome; /* aligned, drift (remains after it) or error */
	long long started_ms, duration_ms, statements, applied;
	bool rolled_back;
	const char *error; /* NULL when none */
} sd_apply_entry;
int sd_state_record_apply(sd_state *s, const sd_apply_entry *e, sd_err *err);

/* Ends every active silence of kind on pair; *cleared_out counts them. */
int sd_state_unsilence(sd_state *s, const char *pair, const char *kind, const char *who,
		       int *cleared_out, sd_err *err);

/* The raw connection, for the alert deliverer in the same thread. */
struct sqlite3 *sd_state_db(sd_state *s);

/* Alerts waiting for a retry and alerts given up on (retried at the next start). */
int sd_state_outbox_counts(sd_state *s, int *pending_out, int *failed_out);

#endif
