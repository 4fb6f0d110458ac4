/*
 * daemon/state.c: the state store (SQLite, WAL).
 *
 * Writes happen in one transaction per check, so a crash leaves either
 * the whole result (check row, state, outbox events) or none of it. The
 * outbox row is written before any delivery is tried (daemon/alert.c), so
 * an event survives a restart.
 */
#include "daemon/state.h"

#include "daemon/event.h"

#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

struct sd_state {
	sqlite3 *db;
};

static const char SCHEMA[] =
	"PRAGMA journal_mode = WAL;"
	"PRAGMA synchronous = NORMAL;"
	"CREATE TABLE IF NOT EXISTS snapshots ("
	"  env TEXT PRIMARY KEY, taken_at INTEGER NOT NULL, digest TEXT NOT NULL,"
	"  body TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS checks ("
	"  id INTEGER PRIMARY KEY, pair TEXT NOT NULL, started_at INTEGER NOT NULL,"
	"  duration_ms INTEGER NOT NULL, status TEXT NOT NULL, fingerprint TEXT NOT NULL,"
	"  score INTEGER NOT NULL, changes INTEGER NOT NULL, low INTEGER NOT NULL,"
	"  medium INTEGER NOT NULL, high INTEGER NOT NULL, critical INTEGER NOT NULL,"
	"  error TEXT);"
	"CREATE INDEX IF NOT EXISTS checks_by_pair ON checks (pair, id);"
	"CREATE TABLE IF NOT EXISTS pair_state ("
	"  pair TEXT PRIMARY KEY, reachable INTEGER NOT NULL, fingerprint TEXT NOT NULL,"
	"  status TEXT NOT NULL, since INTEGER NOT NULL, last_check INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS outbox ("
	"  id INTEGER PRIMARY KEY, event_id TEXT NOT NULL, pair TEXT NOT NULL,"
	"  sink TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'pending',"
	"  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,"
	"  last_error TEXT);"
	"CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (state, next_attempt_at);";

static int
db_error(sd_state *s, sd_err *err, const char *what)
{
	return sd_err_set(err, SD_ERROR, "state store: %s: %s", what, sqlite3_errmsg(s->db));
}

int
sd_state_open(sd_state **out, const char *path, sd_err *err)
{
	sd_state *s = sd_xcalloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = sd_err_set(err, SD_ERROR, "state store %s: %s", path,
				s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sd_state_close(s);
		return rc;
	}
	sqlite3_busy_timeout(s->db, 10000);
	if (sqlite3_exec(s->db, SCHEMA, NULL, NULL, NULL) != SQLITE_OK) {
		rc = sd_err_set(err, SD_ERROR, "state store %s: %s", path, sqlite3_errmsg(s->db));
		sd_state_close(s);
		return rc;
	}
	*out = s;
	return SD_OK;
}

void
sd_state_close(sd_state *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	free(s);
}

sqlite3 *
sd_state_db(sd_state *s)
{
	return s->db;
}

/* ---- helpers --------------------------------------------------------- */

/* Prepares sql and binds "%s" text / "%d" int64 arguments described by types. */
static sqlite3_stmt *
prepare(sd_state *s, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	va_start(ap, types);
	for (int i = 0; types[i]; i++) {
		if (types[i] == 's')
			sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
	}
	va_end(ap);
	return st;
}

/* Runs a statement that returns no rows; finalizes it. */
static bool
run(sqlite3_stmt *st)
{
	int rc;

	if (!st)
		return false;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE;
}

static void
hex_digest(char out[65], const char *text, size_t len)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(text, len, d, &n, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* ---- recording a check ----------------------------------------------- */

/* Writes an environment's snapshot when it differs from the stored one. */
static bool
save_snapshot(sd_state *s, const char *env, const sd_schema *schema, long long now)
{
	char *json = sd_snapshot_write(schema), digest[65] = "";
	sqlite3_stmt *st;
	bool ok = true, same = false;

	hex_digest(digest, json, strlen(json));
	st = prepare(s, "SELECT digest = ?2 FROM snapshots WHERE env = ?1", "ss", env, digest);
	if (st && sqlite3_step(st) == SQLITE_ROW)
		same = sqlite3_column_int(st, 0) != 0;
	sqlite3_finalize(st);
	if (!same)
		ok = run(prepare(s,
				 "INSERT INTO snapshots (env, taken_at, digest, body) VALUES (?1, ?2, "
				 "?3, ?4) ON CONFLICT (env) DO UPDATE SET taken_at = ?2, digest = ?3, "
				 "body = ?4",
				 "sdss", env, now, digest, json));
	free(json);
	return ok;
}

static bool
insert_check(sd_state *s, const sd_check *c)
{
	long long n[5] = {0};
	const sd_diff *d = c->diff;

	for (size_t i = 0; d && i < d->n_changes; i++)
		n[sd_risk_band(d->changes[i].risk)]++;
	return run(prepare(s,
			   "INSERT INTO checks (pair, started_at, duration_ms, status, fingerprint, "
			   "score, changes, low, medium, high, critical, error) VALUES "
			   "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULLIF(?12, ''))",
			   "sddssdddddds", c->pair->name, c->started_ms,
			   c->duration_ms, sd_check_status_name(c->status), c->fingerprint,
			   (long long)(d ? d->score : 0), (long long)(d ? d->n_changes : 0),
			   n[0] + n[1], n[2], n[3], n[4], c->error));
}

typedef struct prev_state {
	bool known, reachable;
	char fingerprint[SD_FINGERPRINT_LEN + 1];
} prev_state;

static prev_state
load_prev(sd_state *s, const char *pair)
{
	prev_state p = {false, true, ""};
	sqlite3_stmt *st = prepare(s, "SELECT reachable, fingerprint FROM pair_state WHERE pair = ?1",
				   "s", pair);

	if (st && sqlite3_step(st) == SQLITE_ROW) {
		p.known = true;
		p.reachable = sqlite3_column_int(st, 0) != 0;
		snprintf(p.fingerprint, sizeof(p.fingerprint), "%s",
			 (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return p;
}

/* An event id stable for the same pair, event and drift: receivers deduplicate on it. */
static void
event_id(char out[33], const sd_check *c, const char *type, long long now)
{
	char buf[400], digest[65];

	snprintf(buf, sizeof(buf), "%s|%s|%s|%lld", c->pair->name, type, c->fingerprint, now);
	hex_digest(digest, buf, strlen(buf));
	memcpy(out, digest, 32);
	out[32] = '\0';
}

/* Queues one event for every sink of the pair that wants it. */
static bool
enqueue(sd_state *s, const sd_check *c, const sd_config *cfg, const char *type,
	const char *prev_fp, long long now, sd_str *events_out)
{
	char id[33];
	char *payload;
	bool ok = true;
	sd_band band = sd_risk_band(c->diff ? c->diff->score : 0);
	bool drift_event = strncmp(type, "drift.", 6) == 0 && strcmp(type, "drift.resolved") != 0;

	if (events_out)
		sd_str_appendf(events_out, "%s%s", events_out->len ? " " : "", type);
	event_id(id, c, type, now);
	payload = sd_event_payload(type, c, cfg, prev_fp, id);
	for (size_t i = 0; ok && i < c->pair->n_alerts; i++) {
		const sd_cfg_sink *sink = sd_cfg_find_sink(cfg, c->pair->alerts[i]);
		if (!sink || (drift_event && band < sink->min_risk))
			continue; /* below the sink's band: it asked not to hear of it */
		ok = run(prepare(s,
				 "INSERT INTO outbox (event_id, pair, sink, type, payload, created_at, "
				 "next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
				 "sssssd", id, c->pair->name, sink->name, type, payload, now));
	}
	free(payload);
	return ok;
}

/* Decides which events the transition from prev to c fires, and queues them. */
static bool
fire_events(sd_state *s, const sd_check *c, const sd_config *cfg, const prev_state *prev,
	    long long now, sd_str *events_out)
{
	bool reachable = c->status == SD_CHECK_OK || c->status == SD_CHECK_DRIFT;
	const char *fp = prev->fingerprint;

	if (!reachable)
		return prev->known && !prev->reachable
			       ? true
			       : enqueue(s, c, cfg, "pair.unreachable", fp, now, events_out);
	if (prev->known && !prev->reachable &&
	    !enqueue(s, c, cfg, "pair.recovered", fp, now, events_out))
		return false;
	if (!*fp && *c->fingerprint)
		return enqueue(s, c, cfg, "drift.detected", fp, now, events_out);
	if (*fp && *c->fingerprint && strcmp(fp, c->fingerprint) != 0)
		return enqueue(s, c, cfg, "drift.changed", fp, now, events_out);
	if (*fp && !*c->fingerprint)
		return enqueue(s, c, cfg, "drift.resolved", fp, now, events_out);
	return true;
}

static bool
save_pair_state(sd_state *s, const sd_check *c, const prev_state *prev, long long now)
{
	bool reachable = c->status == SD_CHECK_OK || c->status == SD_CHECK_DRIFT;
	/* An unreachable side says nothing about drift: keep the last known fingerprint. */
	const char *fp = reachable ? c->fingerprint : prev->fingerprint;
	bool changed = !prev->known || prev->reachable != reachable || strcmp(prev->fingerprint, fp);

	if (changed)
		return run(prepare(s,
				   "INSERT INTO pair_state (pair, reachable, fingerprint, status, since, "
				   "last_check) VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (pair) DO "
				   "UPDATE SET reachable = ?2, fingerprint = ?3, status = ?4, since = ?5, "
				   "last_check = ?5",
				   "sdssd", c->pair->name, (long long)reachable, fp,
				   sd_check_status_name(c->status), now));
	return run(prepare(s, "UPDATE pair_state SET status = ?2, last_check = ?3 WHERE pair = ?1",
			   "ssd", c->pair->name, sd_check_status_name(c->status), now));
}

int
sd_state_record(sd_state *s, const sd_check *c, const sd_config *cfg, sd_str *events_out,
		sd_err *err)
{
	long long now = c->started_ms + c->duration_ms;
	prev_state prev;
	bool ok;

	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(s, err, "begin");
	prev = load_prev(s, c->pair->name);
	ok = insert_check(s, c) && fire_events(s, c, cfg, &prev, now, events_out) &&
	     save_pair_state(s, c, &prev, now);
	if (ok && c->target.schema)
		ok = save_snapshot(s, c->pair->target, c->target.schema, now);
	if (ok && c->reference.schema)
		ok = save_snapshot(s, c->pair->reference, c->reference.schema, now);
	if (!ok) {
		int rc = db_error(s, err, "recording a check");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		/* A failed COMMIT leaves the transaction open: end it, or every later BEGIN fails. */
		int rc = db_error(s, err, "commit");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	return SD_OK;
}

/* ---- reading --------------------------------------------------------- */

static void
format_time(char *buf, size_t n, long long ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%SZ", &tm);
}

int
sd_state_status(sd_state *s, sd_str *out, sd_err *err)
{
	sqlite3_stmt *st = prepare(
		s,
		"SELECT p.pair, p.status, p.fingerprint, c.started_at, c.duration_ms, c.score, "
		"c.changes, c.error FROM pair_state p LEFT JOIN checks c ON c.id = "
		"(SELECT max(id) FROM checks WHERE pair = p.pair) ORDER BY p.pair",
		"");
	int rows = 0;

	if (!st)
		return db_error(s, err, "status");
	sd_str_appendf(out, "%-24s %-12s %5s %7s  %-20s %8s  %s\n", "PAIR", "STATUS", "SCORE",
		       "CHANGES", "LAST CHECK", "TOOK", "FINGERPRINT / ERROR");
	while (sqlite3_step(st) == SQLITE_ROW) {
		char when[40], took[32];
		const char *fp = (const char *)sqlite3_column_text(st, 2);
		const char *error = (const char *)sqlite3_column_text(st, 7);
		format_time(when, sizeof(when), sqlite3_column_int64(st, 3));
		snprintf(took, sizeof(took), "%lldms", (long long)sqlite3_column_int64(st, 4));
		sd_str_appendf(out, "%-24s %-12s %5d %7d  %-20s %8s  %s\n",
			       (const char *)sqlite3_column_text(st, 0),
			       (const char *)sqlite3_column_text(st, 1), sqlite3_column_int(st, 5),
			       sqlite3_column_int(st, 6), when, took,
			       error ? error : (fp && *fp ? fp : "-"));
		rows++;
	}
	sqlite3_finalize(st);
	if (!rows)
		sd_str_append(out, "(no checks recorded yet)\n");
	/* Undelivered alerts are never silent: pending retries and those that gave up. */
	st = prepare(s,
		     "SELECT count(*) FILTER (WHERE state = 'pending'), "
		     "count(*) FILTER (WHERE state = 'failed') FROM outbox",
		     "");
	if (st && sqlite3_step(st) == SQLITE_ROW &&
	    (sqlite3_column_int(st, 0) || sqlite3_column_int(st, 1)))
		sd_str_appendf(out, "alerts: %d waiting for a retry, %d failed (given up; retried "
				    "at the next start)\n",
			       sqlite3_column_int(st, 0), sqlite3_column_int(st, 1));
	sqlite3_finalize(st);
	return SD_OK;
}

int
sd_state_history(sd_state *s, const char *pair, int limit, sd_str *out, sd_err *err)
{
	sqlite3_stmt *st = prepare(s,
				   "SELECT started_at, duration_ms, status, score, changes, low, medium, "
				   "high, critical, fingerprint, error FROM checks WHERE pair = ?1 "
				   "ORDER BY id DESC LIMIT ?2",
				   "sd", pair, (long long)limit);
	int rows = 0;

	if (!st)
		return db_error(s, err, "history");
	sd_str_appendf(out, "%-20s %8s  %-12s %5s %7s  %-22s %s\n", "STARTED", "TOOK", "STATUS",
		       "SCORE", "CHANGES", "CRIT/HIGH/MED/LOW", "FINGERPRINT / ERROR");
	while (sqlite3_step(st) == SQLITE_ROW) {
		char when[40], took[32], bands[64];
		const char *fp = (const char *)sqlite3_column_text(st, 9);
		const char *error = (const char *)sqlite3_column_text(st, 10);
		format_time(when, sizeof(when), sqlite3_column_int64(st, 0));
		snprintf(took, sizeof(took), "%lldms", (long long)sqlite3_column_int64(st, 1));
		snprintf(bands, sizeof(bands), "%d/%d/%d/%d", sqlite3_column_int(st, 8),
			 sqlite3_column_int(st, 7), sqlite3_column_int(st, 6),
			 sqlite3_column_int(st, 5));
		sd_str_appendf(out, "%-20s %8s  %-12s %5d %7d  %-22s %s\n", when, took,
			       (const char *)sqlite3_column_text(st, 2), sqlite3_column_int(st, 3),
			       sqlite3_column_int(st, 4), bands,
			       error ? error : (fp && *fp ? fp : "-"));
		rows++;
	}
	sqlite3_finalize(st);
	if (!rows)
		sd_str_appendf(out, "(no checks recorded for pair %s)\n", pair);
	return SD_OK;
}
