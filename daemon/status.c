/*
 * daemon/status.c: read pairs, history and last reports from the state store.
 *
 * Reads only, on the caller's connection; every query is one SELECT, so a
 * reader never blocks the daemon's writers (WAL).
 */
#include "daemon/status.h"

#include "daemon/metrics.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

json_t *
sd_status_time(long long ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char buf[40];

	if (ms <= 0)
		return json_null();
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

static json_t *
text_or_null(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? json_string((const char *)t) : json_null();
}

static sqlite3_stmt *
prepare_text(sqlite3 *db, const char *sql, const char *a, const char *b)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
	return st;
}

/* {who, at, reason, until} of the newest active silence of kind, or null. */
static json_t *
silence_json(sqlite3 *db, const char *pair, const char *kind, const char *fingerprint)
{
	sqlite3_stmt *st =
	        prepare_text(db,
	                     "SELECT who, created_at, reason, until_at, fingerprint FROM silences "
	                     "WHERE pair = ?1 "
	                     "AND kind = ?2 AND cleared_at = 0 AND (until_at = 0 OR until_at > ?3) "
	                     "ORDER BY id DESC LIMIT 1",
	                     pair, kind);
	json_t *o = json_null();

	if (!st)
		return o;
	sqlite3_bind_int64(st, 3, sd_now_ms());
	/* An acknowledgement holds only while the drift is exactly the one acknowledged. */
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (strcmp(kind, "ack") != 0 ||
	     strcmp((const char *)sqlite3_column_text(st, 4), fingerprint) == 0))
		o = json_pack("{s:s,s:o,s:s,s:o}", "who", (const char *)sqlite3_column_text(st, 0),
		              "at", sd_status_time(sqlite3_column_int64(st, 1)), "reason",
		              (const char *)sqlite3_column_text(st, 2), "until",
		              sd_status_time(sqlite3_column_int64(st, 3)));
	sqlite3_finalize(st);
	return o;
}

static const char PAIR_SQL[] =
        "SELECT p.status, p.since, p.last_check, p.fingerprint, p.reachable, p.fail_since, "
        "p.failures, c.duration_ms, c.score, c.changes, c.critical, c.high, c.medium, c.low, "
        "c.error, c.reason, p.last_success FROM pair_state p LEFT JOIN checks c ON c.id = "
        "(SELECT max(id) FROM checks WHERE pair = p.pair) WHERE p.pair = ?1";
enum {
	P_STATUS,
	P_SINCE,
	P_LAST,
	P_FP,
	P_REACHABLE,
	P_FAIL_SINCE,
	P_FAILURES,
	P_DURATION,
	P_SCORE,
	P_CHANGES,
	P_CRITICAL,
	P_HIGH,
	P_MEDIUM,
	P_LOW,
	P_ERROR,
	P_REASON,
	P_LAST_OK
};

/* The parts of a pair's object that come from its stored state. */
static void
stored_state(json_t *o, sqlite3 *db, const sd_cfg_pair *p)
{
	sqlite3_stmt *st = prepare_text(db, PAIR_SQL, p->name, NULL);
	char fp[SD_FINGERPRINT_LEN + 1];
	bool failing;

	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		json_object_set_new(o, "state", json_string("pending"));
		sqlite3_finalize(st);
		return;
	}
	/* Copied: the column's text dies with the statement. */
	snprintf(fp, sizeof(fp), "%s", (const char *)sqlite3_column_text(st, P_FP));
	failing = sqlite3_column_int(st, P_FAILURES) > 0;
	json_object_set_new(o, "state", text_or_null(st, P_STATUS));
	/* A failing pair has been failing since its first failed check; else since its last change.
	 */
	json_object_set_new(
	        o, "since",
	        sd_status_time(sqlite3_column_int64(st, failing ? P_FAIL_SINCE : P_SINCE)));
	json_object_set_new(o, "last_check", sd_status_time(sqlite3_column_int64(st, P_LAST)));
	json_object_set_new(o, "last_success", sd_status_time(sqlite3_column_int64(st, P_LAST_OK)));
	json_object_set_new(o, "duration_ms", json_integer(sqlite3_column_int64(st, P_DURATION)));
	json_object_set_new(o, "failures", json_integer(sqlite3_column_int(st, P_FAILURES)));
	json_object_set_new(o, "announced_unreachable",
	                    json_boolean(sqlite3_column_int(st, P_REACHABLE) == 0));
	json_object_set_new(o, "fingerprint", json_string(fp));
	if (failing) {
		/* The drift last read is still the best knowledge of it. */
		json_object_set_new(o, "error", text_or_null(st, P_ERROR));
		json_object_set_new(o, "reason", text_or_null(st, P_REASON));
	} else {
		json_object_set_new(o, "error", json_null());
		json_object_set_new(o, "reason", json_null());
	}
	sqlite3_finalize(st);
	/* Score and counts of the last successful read. */
	st = prepare_text(db,
	                  "SELECT score, changes, critical, high, medium, low FROM checks WHERE "
	                  "pair = ?1 AND status IN ('ok', 'drift') ORDER BY id DESC LIMIT 1",
	                  p->name, NULL);
	if (st && sqlite3_step(st) == SQLITE_ROW) {
		int score = sqlite3_column_int(st, 0);
		json_object_set_new(o, "score", json_integer(score));
		json_object_set_new(
		        o, "band", json_string(score ? sd_band_name(sd_risk_band(score)) : "none"));
		json_object_set_new(o, "changes", json_integer(sqlite3_column_int(st, 1)));
		json_object_set_new(
		        o, "counts",
		        json_pack("{s:i,s:i,s:i,s:i}", "critical", sqlite3_column_int(st, 2),
		                  "high", sqlite3_column_int(st, 3), "medium",
		                  sqlite3_column_int(st, 4), "low", sqlite3_column_int(st, 5)));
	}
	sqlite3_finalize(st);
	json_object_set_new(o, "acknowledged", silence_json(db, p->name, "ack", fp));
	json_object_set_new(o, "muted", silence_json(db, p->name, "mute", ""));
}

static json_t *
pair_json(sqlite3 *db, const sd_cfg_pair *p)
{
	json_t *o = json_object();
	bool checked;
	long long next = sd_metrics_next_check(p->name, &checked);

	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "target", json_string(p->target));
	json_object_set_new(o, "reference", json_string(p->reference));
	json_object_set_new(o, "interval_s", json_real((double)p->interval_ms / 1000.0));
	json_object_set_new(o, "state", json_string("pending"));
	json_object_set_new(o, "since", json_null());
	json_object_set_new(o, "last_check", json_null());
	json_object_set_new(o, "last_success", json_null());
	json_object_set_new(o, "next_check", sd_status_time(next));
	json_object_set_new(o, "score", json_integer(0));
	json_object_set_new(o, "band", json_string("none"));
	json_object_set_new(o, "changes", json_integer(0));
	json_object_set_new(
	        o, "counts",
	        json_pack("{s:i,s:i,s:i,s:i}", "critical", 0, "high", 0, "medium", 0, "low", 0));
	json_object_set_new(o, "error", json_null());
	json_object_set_new(o, "acknowledged", json_null());
	json_object_set_new(o, "muted", json_null());
	stored_state(o, db, p);
	return o;
}

json_t *
sd_status_pairs(sd_state *st, const sd_config *cfg)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < cfg->n_pairs; i++)
		json_array_append_new(arr, pair_json(sd_state_db(st), &cfg->pairs[i]));
	return arr;
}

json_t *
sd_status_pair(sd_state *st, const sd_config *cfg, const char *pair)
{
	const sd_cfg_pair *p = sd_cfg_find_pair(cfg, pair);

	return p ? pair_json(sd_state_db(st), p) : NULL;
}

/* ---- history --------------------------------------------------------- */

static json_t *
check_entry(sqlite3_stmt *st)
{
	json_t *o = json_object();

	json_object_set_new(o, "at", sd_status_time(sqlite3_column_int64(st, 0)));
	json_object_set_new(o, "kind", json_string("check"));
	json_object_set_new(o, "status", text_or_null(st, 1));
	json_object_set_new(o, "duration_ms", json_integer(sqlite3_column_int64(st, 2)));
	json_object_set_new(o, "score", json_integer(sqlite3_column_int(st, 3)));
	json_object_set_new(o, "changes", json_integer(sqlite3_column_int(st, 4)));
	json_object_set_new(o, "counts",
	                    json_pack("{s:i,s:i,s:i,s:i}", "critical", sqlite3_column_int(st, 5),
	                              "high", sqlite3_column_int(st, 6), "medium",
	                              sqlite3_column_int(st, 7), "low", sqlite3_column_int(st, 8)));
	json_object_set_new(o, "fingerprint", text_or_null(st, 9));
	json_object_set_new(o, "error", text_or_null(st, 10));
	json_object_set_new(o, "reason", text_or_null(st, 11));
	json_object_set_new(o, "state_change", json_boolean(sqlite3_column_int(st, 12) != 0));
	return o;
}

static json_t *
silence_entry(sqlite3_stmt *st)
{
	json_t *o = json_object();

	json_object_set_new(o, "at", sd_status_time(sqlite3_column_int64(st, 0)));
	json_object_set_new(o, "kind", text_or_null(st, 1)); /* ack or mute */
	json_object_set_new(o, "who", text_or_null(st, 2));
	json_object_set_new(o, "reason", text_or_null(st, 3));
	json_object_set_new(o, "fingerprint", text_or_null(st, 4));
	json_object_set_new(o, "until", sd_status_time(sqlite3_column_int64(st, 5)));
	json_object_set_new(o, "cleared_at", sd_status_time(sqlite3_column_int64(st, 6)));
	json_object_set_new(o, "cleared_by", text_or_null(st, 7));
	return o;
}

static sqlite3_stmt *
history_query(sqlite3 *db, const char *sql, const char *pair, long long since_ms, int limit)
{
	sqlite3_stmt *st = prepare_text(db, sql, pair, NULL);

	if (st) {
		sqlite3_bind_int64(st, 2, since_ms);
		sqlite3_bind_int(st, 3, limit);
	}
	return st;
}

static json_t *
apply_entry(sqlite3_stmt *st)
{
	json_t *o = json_object();

	json_object_set_new(o, "at", sd_status_time(sqlite3_column_int64(st, 0)));
	json_object_set_new(o, "kind", json_string("apply"));
	json_object_set_new(o, "who", text_or_null(st, 1));
	json_object_set_new(o, "outcome", text_or_null(st, 2));
	json_object_set_new(o, "duration_ms", json_integer(sqlite3_column_int64(st, 3)));
	json_object_set_new(o, "statements", json_integer(sqlite3_column_int64(st, 4)));
	json_object_set_new(o, "applied", json_integer(sqlite3_column_int64(st, 5)));
	json_object_set_new(o, "rolled_back", json_boolean(sqlite3_column_int(st, 6) != 0));
	json_object_set_new(o, "error", text_or_null(st, 7));
	return o;
}

/* "applied" when the target now matches, "apply: drift" when some remains, "apply failed". */
const char *
sd_status_apply_label(const json_t *h)
{
	const char *outcome = json_string_value(json_object_get(h, "outcome"));

	return !outcome                          ? "apply"
	       : strcmp(outcome, "aligned") == 0 ? "applied"
	       : strcmp(outcome, "drift") == 0   ? "apply: drift"
	                                         : "apply failed";
}

/* One kind of history row, read newest first. */
typedef struct history_stream {
	sqlite3_stmt *st;
	json_t *(*entry)(sqlite3_stmt *st);
	bool has; /* st is on a row */
} history_stream;

/* The stream whose row is newest (the first listed on a tie); NULL when all are done. */
static history_stream *
newest(history_stream *v, size_t n)
{
	history_stream *best = NULL;

	for (size_t i = 0; i < n; i++)
		if (v[i].has && (!best || sqlite3_column_int64(v[i].st, 0) >
		                                  sqlite3_column_int64(best->st, 0)))
			best = &v[i];
	return best;
}

json_t *
sd_status_history(sd_state *s, const char *pair, int limit, long long since_ms)
{
	sqlite3 *db = sd_state_db(s);
	history_stream v[] = {
	        {history_query(db,
	                       "SELECT started_at, status, duration_ms, score, "
	                       "changes, critical, high, medium, low, "
	                       "fingerprint, error, reason, changed FROM checks "
	                       "WHERE pair = ?1 AND started_at >= ?2 "
	                       "ORDER BY id DESC LIMIT ?3",
	                       pair, since_ms, limit),
	         check_entry, false},
	        {history_query(db,
	                       "SELECT created_at, kind, who, reason, fingerprint, until_at, "
	                       "cleared_at, cleared_by "
	                       "FROM silences WHERE pair = ?1 AND created_at >= ?2 "
	                       "ORDER BY id DESC LIMIT ?3",
	                       pair, since_ms, limit),
	         silence_entry, false},
	        {history_query(db,
	                       "SELECT started_at, who, outcome, duration_ms, statements, "
	                       "applied, rolled_back, error FROM applies "
	                       "WHERE pair = ?1 AND started_at >= ?2 ORDER BY id DESC LIMIT ?3",
	                       pair, since_ms, limit),
	         apply_entry, false},
	};
	size_t n = sizeof(v) / sizeof(*v);
	json_t *arr = json_array();
	history_stream *h;

	for (size_t i = 0; i < n; i++)
		v[i].has = v[i].st && sqlite3_step(v[i].st) == SQLITE_ROW;
	/* Each is newest first: merge them on time. */
	while ((h = newest(v, n)) && json_array_size(arr) < (size_t)limit) {
		json_array_append_new(arr, h->entry(h->st));
		h->has = sqlite3_step(h->st) == SQLITE_ROW;
	}
	for (size_t i = 0; i < n; i++)
		sqlite3_finalize(v[i].st);
	return arr;
}

/* ---- the last report ----------------------------------------------------- */

static int
load_snapshot(sd_schema **out, long long *taken, sqlite3 *db, const char *env, sd_err *err)
{
	sqlite3_stmt *st =
	        prepare_text(db, "SELECT body, taken_at FROM snapshots WHERE env = ?1", env, NULL);
	int rc;

	*out = NULL;
	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return sd_err_set(err, SD_EINPUT,
		                  "no snapshot of environment %s yet (its pair has not been read)",
		                  env);
	}
	rc = sd_snapshot_read(out, (const char *)sqlite3_column_text(st, 0),
	                      (size_t)sqlite3_column_bytes(st, 0), err);
	if (sqlite3_column_int64(st, 1) < *taken || !*taken)
		*taken = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	if (rc)
		sd_err_prefix(err, "stored snapshot of %s: ", env);
	return rc;
}

int
sd_status_last(sd_last *out, sd_state *st, const sd_cfg_pair *p, sd_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = load_snapshot(&out->target, &out->taken_ms, sd_state_db(st), p->target, err)) ||
	    (rc = load_snapshot(&out->reference, &out->taken_ms, sd_state_db(st), p->reference,
	                        err))) {
		sd_last_dispose(out);
		return rc;
	}
	out->diff = sd_pair_diff(p, out->target, out->reference);
	return SD_OK;
}

void
sd_last_dispose(sd_last *l)
{
	sd_diff_free(l->diff);
	sd_schema_free(l->target);
	sd_schema_free(l->reference);
	memset(l, 0, sizeof(*l));
}
