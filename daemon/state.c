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
	"  error TEXT, changed INTEGER NOT NULL DEFAULT 1, reason TEXT);"
	"CREATE INDEX IF NOT EXISTS checks_by_pair ON checks (pair, id);"
	"CREATE TABLE IF NOT EXISTS pair_state ("
	"  pair TEXT PRIMARY KEY, reachable INTEGER NOT NULL, fingerprint TEXT NOT NULL,"
	"  status TEXT NOT NULL, since INTEGER NOT NULL, last_check INTEGER NOT NULL,"
	"  fail_since INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,"
	"  score INTEGER NOT NULL DEFAULT 0, last_success INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE IF NOT EXISTS silences ("
	"  id INTEGER PRIMARY KEY, pair TEXT NOT NULL, kind TEXT NOT NULL,"
	"  fingerprint TEXT NOT NULL, until_at INTEGER NOT NULL, who TEXT NOT NULL,"
	"  reason TEXT NOT NULL, created_at INTEGER NOT NULL,"
	"  cleared_at INTEGER NOT NULL DEFAULT 0, cleared_by TEXT);"
	"CREATE INDEX IF NOT EXISTS silences_by_pair ON silences (pair, id);"
	"CREATE TABLE IF NOT EXISTS applies ("
	"  id INTEGER PRIMARY KEY, pair TEXT NOT NULL, started_at INTEGER NOT NULL,"
	"  duration_ms INTEGER NOT NULL, who TEXT NOT NULL, outcome TEXT NOT NULL,"
	"  statements INTEGER NOT NULL, applied INTEGER NOT NULL,"
	"  rolled_back INTEGER NOT NULL, error TEXT);"
	"CREATE INDEX IF NOT EXISTS applies_by_pair ON applies (pair, id);"
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

/* Columns added after the first release, for stores made before them. */
static const struct {
	const char *table, *column, *ddl;
} ADDED[] = {
	{"checks", "changed", "ALTER TABLE checks ADD COLUMN changed INTEGER NOT NULL DEFAULT 1"},
	{"checks", "reason", "ALTER TABLE checks ADD COLUMN reason TEXT"},
	{"pair_state", "fail_since",
	 "ALTER TABLE pair_state ADD COLUMN fail_since INTEGER NOT NULL DEFAULT 0"},
	{"pair_state", "failures",
	 "ALTER TABLE pair_state ADD COLUMN failures INTEGER NOT NULL DEFAULT 0"},
	{"pair_state", "score", "ALTER TABLE pair_state ADD COLUMN score INTEGER NOT NULL DEFAULT 0"},
	{"pair_state", "last_success",
	 "ALTER TABLE pair_state ADD COLUMN last_success INTEGER NOT NULL DEFAULT 0;"
	 "UPDATE pair_state SET last_success = coalesce((SELECT max(started_at + duration_ms) FROM "
	 "checks WHERE checks.pair = pair_state.pair AND status IN ('ok', 'drift')), 0)"},
};

static bool
has_column(sqlite3 *db, const char *table, const char *column)
{
	sqlite3_stmt *st = NULL;
	bool found = false;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &st,
			       NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* Brings a store written by an older schemad up to this schema (user_version 1). */
static bool
migrate(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int version = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version >= 1)
		return true;
	for (size_t i = 0; i < sizeof(ADDED) / sizeof(*ADDED); i++)
		if (!has_column(db, ADDED[i].table, ADDED[i].column) &&
		    sqlite3_exec(db, ADDED[i].ddl, NULL, NULL, NULL) != SQLITE_OK)
			return false;
	return sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL) == SQLITE_OK;
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
	if (sqlite3_exec(s->db, SCHEMA, NULL, NULL, NULL) != SQLITE_OK || !migrate(s->db)) {
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

typedef struct prev_state {
	bool known, announced_down; /* announced_down: pair.unreachable was sent */
	char fingerprint[SD_FINGERPRINT_LEN + 1];
	char status[16];
	long long fail_since;
	int failures, score;
} prev_state;

static prev_state
load_prev(sd_state *s, const char *pair)
{
	prev_state p = {0};
	sqlite3_stmt *st = prepare(s,
				   "SELECT reachable, fingerprint, status, fail_since, failures, score "
				   "FROM pair_state WHERE pair = ?1",
				   "s", pair);

	if (st && sqlite3_step(st) == SQLITE_ROW) {
		p.known = true;
		p.announced_down = sqlite3_column_int(st, 0) == 0;
		snprintf(p.fingerprint, sizeof(p.fingerprint), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		snprintf(p.status, sizeof(p.status), "%s", (const char *)sqlite3_column_text(st, 2));
		p.fail_since = sqlite3_column_int64(st, 3);
		p.failures = sqlite3_column_int(st, 4);
		p.score = sqlite3_column_int(st, 5);
	}
	sqlite3_finalize(st);
	return p;
}

/* A check that changed the pair's state (status or drift) is kept by retention. */
static bool
is_state_change(const sd_check *c, const prev_state *prev)
{
	if (!prev->known || strcmp(prev->status, sd_check_status_name(c->status)) != 0)
		return true;
	return sd_check_status_read(c->status) && strcmp(prev->fingerprint, c->fingerprint) != 0;
}

static bool
insert_check(sd_state *s, const sd_check *c, bool changed)
{
	long long n[5] = {0};
	const sd_diff *d = c->diff;

	for (size_t i = 0; d && i < d->n_changes; i++)
		n[sd_risk_band(d->changes[i].risk)]++;
	return run(prepare(s,
			   "INSERT INTO checks (pair, started_at, duration_ms, status, fingerprint, "
			   "score, changes, low, medium, high, critical, error, changed, reason) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULLIF(?12, ''), "
			   "?13, NULLIF(?14, ''))",
			   "sddssddddddsds", c->pair->name, c->started_ms, c->duration_ms,
			   sd_check_status_name(c->status), c->fingerprint,
			   (long long)(d ? d->score : 0), (long long)(d ? d->n_changes : 0),
			   n[0] + n[1], n[2], n[3], n[4], c->error, (long long)changed,
			   c->reason ? sd_check_reason_name(c->reason) : ""));
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

/*
 * Why an event is silenced, or NULL: a mute (every event) or an
 * acknowledgement of exactly this drift (drift.detected, drift.changed).
 */
static const char *
silenced(sd_state *s, const sd_check *c, const char *type, long long now)
{
	bool drift_news = strcmp(type, "drift.detected") == 0 || strcmp(type, "drift.changed") == 0;
	sqlite3_stmt *st = prepare(s,
				   "SELECT kind FROM silences WHERE pair = ?1 AND cleared_at = 0 AND "
				   "(until_at = 0 OR until_at > ?2) AND (kind = 'mute' OR (?3 AND "
				   "kind = 'ack' AND fingerprint = ?4)) ORDER BY kind DESC LIMIT 1",
				   "sdds", c->pair->name, now, (long long)drift_news, c->fingerprint);
	const char *why = NULL;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		why = strcmp((const char *)sqlite3_column_text(st, 0), "mute") == 0 ? "muted"
										      : "acknowledged";
	sqlite3_finalize(st);
	return why;
}

/*
 * Whether sink hears of a drift event: the drift it is about (the new one,
 * the old one for drift.resolved, either for drift.changed) reaches the
 * sink's min_risk.
 */
static bool
risk_wanted(const sd_cfg_sink *sink, const char *type, const sd_check *c, int prev_score)
{
	sd_band now = sd_risk_band(c->diff ? c->diff->score : 0), before = sd_risk_band(prev_score);

	if (strncmp(type, "drift.", 6) != 0)
		return true;
	if (strcmp(type, "drift.resolved") == 0)
		return before >= sink->min_risk;
	if (strcmp(type, "drift.changed") == 0)
		return now >= sink->min_risk || before >= sink->min_risk;
	return now >= sink->min_risk;
}

/* Queues one event for every sink of the pair that wants it. */
static bool
enqueue(sd_state *s, const sd_check *c, const sd_config *cfg, const char *type,
	const prev_state *prev, long long now, sd_str *events_out)
{
	char id[33];
	char *payload;
	bool ok = true;
	const char *why = silenced(s, c, type, now);

	if (events_out)
		sd_str_appendf(events_out, "%s%s%s%s%s", events_out->len ? " " : "", type,
			       why ? " (silenced: " : "", why ? why : "", why ? ")" : "");
	if (why)
		return true;
	event_id(id, c, type, now);
	payload = sd_event_payload(type, c, cfg, prev->fingerprint, id);
	for (size_t i = 0; ok && i < c->pair->n_alerts; i++) {
		const sd_cfg_sink *sink = sd_cfg_find_sink(cfg, c->pair->alerts[i]);
		if (!sink || !sd_cfg_sink_wants(sink, type) || !risk_wanted(sink, type, c, prev->score))
			continue; /* the sink asked not to hear of it */
		ok = run(prepare(s,
				 "INSERT INTO outbox (event_id, pair, sink, type, payload, created_at, "
				 "next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
				 "sssssd", id, c->pair->name, sink->name, type, payload, now));
	}
	free(payload);
	return ok;
}

/*
 * A failed check: pair.unreachable once the pair has failed grace_checks
 * times in a row for at least grace (a lock held for a few seconds, one
 * lost packet, stay quiet). *announced tells whether it is now announced.
 */
static bool
fire_failure(sd_state *s, const sd_check *c, const sd_config *cfg, const prev_state *prev,
	     long long now, bool *announced, sd_str *events_out)
{
	long long since = prev->failures ? prev->fail_since : c->started_ms;
	int failures = prev->failures + 1;

	*announced = prev->announced_down;
	if (prev->announced_down || failures < c->pair->grace_checks ||
	    now - since < c->pair->grace_ms)
		return true;
	*announced = true;
	return enqueue(s, c, cfg, "pair.unreachable", prev, now, events_out);
}

/* Decides which events the transition from prev to c fires, and queues them. */
static bool
fire_events(sd_state *s, const sd_check *c, const sd_config *cfg, const prev_state *prev,
	    long long now, bool *announced, sd_str *events_out)
{
	const char *fp = prev->fingerprint;

	if (!sd_check_status_read(c->status))
		return fire_failure(s, c, cfg, prev, now, announced, events_out);
	*announced = false;
	if (prev->announced_down && !enqueue(s, c, cfg, "pair.recovered", prev, now, events_out))
		return false;
	if (!*fp && *c->fingerprint)
		return enqueue(s, c, cfg, "drift.detected", prev, now, events_out);
	if (*fp && *c->fingerprint && strcmp(fp, c->fingerprint) != 0)
		return enqueue(s, c, cfg, "drift.changed", prev, now, events_out);
	if (*fp && !*c->fingerprint)
		return enqueue(s, c, cfg, "drift.resolved", prev, now, events_out);
	return true;
}

static bool
save_pair_state(sd_state *s, const sd_check *c, const prev_state *prev, bool announced,
		long long now)
{
	bool read = sd_check_status_read(c->status);
	/* A failed read says nothing about drift: keep the last known fingerprint and score. */
	const char *fp = read ? c->fingerprint : prev->fingerprint;
	long long score = read ? (c->diff ? c->diff->score : 0) : prev->score;
	long long fail_since = read ? 0 : prev->failures ? prev->fail_since : c->started_ms;
	long long failures = read ? 0 : prev->failures + 1;
	bool changed = !prev->known || prev->announced_down != announced || strcmp(prev->fingerprint, fp);

	return run(prepare(s,
			   "INSERT INTO pair_state (pair, reachable, fingerprint, status, since, "
			   "last_check, fail_since, failures, score, last_success) VALUES (?1, ?2, ?3, "
			   "?4, ?5, ?5, ?6, ?7, ?8, CASE WHEN ?10 THEN ?5 ELSE 0 END) ON CONFLICT "
			   "(pair) DO UPDATE SET reachable = ?2, fingerprint = ?3, status = ?4, "
			   "since = CASE WHEN ?9 THEN ?5 ELSE since END, last_check = ?5, "
			   "fail_since = ?6, failures = ?7, score = ?8, "
			   "last_success = CASE WHEN ?10 THEN ?5 ELSE last_success END",
			   "sdssdddddd", c->pair->name, (long long)!announced, fp,
			   sd_check_status_name(c->status), now, fail_since, failures, score,
			   (long long)changed, (long long)read));
}

int
sd_state_record(sd_state *s, const sd_check *c, const sd_config *cfg, sd_str *events_out,
		sd_err *err)
{
	long long now = c->started_ms + c->duration_ms;
	prev_state prev;
	bool ok, announced = false;

	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(s, err, "begin");
	prev = load_prev(s, c->pair->name);
	ok = insert_check(s, c, is_state_change(c, &prev)) &&
	     fire_events(s, c, cfg, &prev, now, &announced, events_out) &&
	     save_pair_state(s, c, &prev, announced, now);
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

/* ---- retention ------------------------------------------------------- */

int
sd_state_prune(sd_state *s, long long retention_ms, long long now_ms, long long *deleted_out,
	       sd_err *err)
{
	long long cutoff = now_ms - retention_ms;

	*deleted_out = 0;
	if (retention_ms <= 0)
		return SD_OK;
	/* A pair's state changes and its latest check stay, however old. */
	if (!run(prepare(s,
			 "DELETE FROM checks WHERE started_at < ?1 AND changed = 0 AND id NOT IN "
			 "(SELECT max(id) FROM checks GROUP BY pair)",
			 "d", cutoff)))
		return db_error(s, err, "pruning checks");
	*deleted_out = sqlite3_changes(s->db);
	/* delivered alerts go; pending and failed ones never (failed ones are retried at start) */
	if (!run(prepare(s, "DELETE FROM outbox WHERE state = 'delivered' AND created_at < ?1", "d",
			 cutoff)))
		return db_error(s, err, "pruning the outbox");
	*deleted_out += sqlite3_changes(s->db);
	return SD_OK;
}

int
sd_state_outbox_counts(sd_state *s, int *pending_out, int *failed_out)
{
	sqlite3_stmt *st = prepare(s,
				   "SELECT count(*) FILTER (WHERE state = 'pending'), "
				   "count(*) FILTER (WHERE state = 'failed') FROM outbox",
				   "");
	int rc = SD_ERROR;

	*pending_out = *failed_out = 0;
	if (st && sqlite3_step(st) == SQLITE_ROW) {
		*pending_out = sqlite3_column_int(st, 0);
		*failed_out = sqlite3_column_int(st, 1);
		rc = SD_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- acknowledgements and mutes -------------------------------------- */

int
sd_state_silence(sd_state *s, const char *pair, const char *kind, long long until_ms,
		 const char *who, const char *reason, char fp_out[SD_FINGERPRINT_LEN + 1],
		 sd_err *err)
{
	prev_state p = load_prev(s, pair);
	bool ack = strcmp(kind, "ack") == 0;

	*fp_out = '\0';
	if (ack && !*p.fingerprint)
		return sd_err_set(err, SD_ECONFIG,
				  "pair %s has no recorded drift to acknowledge (status: %s)", pair,
				  p.known ? p.status : "never checked");
	snprintf(fp_out, SD_FINGERPRINT_LEN + 1, "%s", ack ? p.fingerprint : "");
	if (!run(prepare(s,
			 "INSERT INTO silences (pair, kind, fingerprint, until_at, who, reason, "
			 "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			 "sssdssd", pair, kind, fp_out, until_ms, who, reason, sd_now_ms())))
		return db_error(s, err, ack ? "acknowledging" : "muting");
	return SD_OK;
}

int
sd_state_record_apply(sd_state *s, const sd_apply_entry *e, sd_err *err)
{
	if (!run(prepare(s,
			 "INSERT INTO applies (pair, started_at, duration_ms, who, outcome, "
			 "statements, applied, rolled_back, error) "
			 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			 "sddssddds", e->pair, e->started_ms, e->duration_ms, e->who, e->outcome,
			 e->statements, e->applied, (long long)e->rolled_back, e->error)))
		return db_error(s, err, "recording an apply");
	return SD_OK;
}

int
sd_state_unsilence(sd_state *s, const char *pair, const char *kind, const char *who,
		   int *cleared_out, sd_err *err)
{
	if (!run(prepare(s,
			 "UPDATE silences SET cleared_at = ?3, cleared_by = ?4 WHERE pair = ?1 AND "
			 "kind = ?2 AND cleared_at = 0",
			 "ssds", pair, kind, sd_now_ms(), who)))
		return db_error(s, err, "clearing");
	*cleared_out = sqlite3_changes(s->db);
	return SD_OK;
}
