/*
 * connectors/sqlite/lite_dump.c: a SQL dump as a source.
 *
 * `sqlite3 db .schema` (or .dump) output is run statement by statement in
 * a private in-memory database, then read like a live one. Statements are
 * run one at a time so a failure names its line.
 */
#include "connectors/sqlite/sd_sqlite.h"

#include "connectors/sqlite/lite_parse.h"
#include "connectors/sd_scratch.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int
dump_authorizer(void *ud, int action, const char *a, const char *b, const char *c, const char *d)
{
	(void)ud;
	(void)a;
	(void)b;
	(void)c;
	(void)d;
	return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

/* The statement timeout of a dump load: each statement may run limit_ms. */
typedef struct deadline {
	long long limit_ms, until; /* monotonic ms */
} deadline;

/* SQLite's progress handler: a non-zero return interrupts the statement. */
static int
past_deadline(void *arg)
{
	return sd_mono_ms() > ((const deadline *)arg)->until;
}

static int
run_script(sqlite3 *db, deadline *dl, const char *path, const char *text, sd_err *err)
{
	const char *at = text;

	while (*at) {
		sqlite3_stmt *st = NULL;
		const char *tail = NULL;
		int rc;
		while (*at == ' ' || *at == '\n' || *at == '\t' || *at == '\r')
			at++;
		/*
		 * `.schema` prints the internal tables SQLite creates itself
		 * (sqlite_sequence, sqlite_stat1) and refuses to run: they come
		 * back on their own when a table that needs them is created.
		 */
		if (sqlite3_strnicmp(at, "CREATE TABLE sqlite_", 20) == 0) {
			const char *end = strchr(at, ';');
			at = end ? end + 1 : at + strlen(at);
			continue;
		}
		if (sqlite3_prepare_v2(db, at, -1, &st, &tail) != SQLITE_OK)
			return sd_err_set(err, SD_EINPUT, "%s:%d: %s", path, sd_text_line(text, at),
					  sqlite3_errmsg(db));
		if (!st) /* only whitespace or comments left */
			break;
		dl->until = sd_mono_ms() + dl->limit_ms;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		sqlite3_finalize(st);
		if (rc == SQLITE_INTERRUPT)
			return sd_err_set(err, SD_ETIMEOUT, "%s:%d: the statement ran longer than %lldms: stopped",
					  path, sd_text_line(text, at), dl->limit_ms);
		if (rc != SQLITE_DONE)
			return sd_err_set(err, SD_EINPUT, "%s:%d: %s", path, sd_text_line(text, at),
					  sqlite3_errmsg(db));
		at = tail;
	}
	return SD_OK;
}

int
sd_lite_load_dump(sd_schema **out, const char *path, long long limit_ms, sd_err *err)
{
	char *text = NULL;
	int rc;

	*out = NULL;
	if ((rc = sd_read_file(&text, NULL, path, err)))
		return rc;
	rc = sd_lite__load_dump_text(out, path, text, limit_ms, err);
	free(text);
	return rc;
}

int
sd_lite__load_dump_text(sd_schema **out, const char *path, const char *text, long long limit_ms,
			sd_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	deadline dl = {limit_ms > 0 ? limit_ms : 30000, 0};
	sqlite3 *db = NULL;
	int rc;

	*out = NULL;
	pthread_once(&once, sd_lite__configure);
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		rc = sd_err_set(err, SD_ERROR, "%s: cannot open an in-memory database", path);
		goto out;
	}
	/*
	 * A dump is input, maybe from an untrusted branch: it may build a schema
	 * and nothing else. No ATTACH (so no writing other files, no VACUUM
	 * INTO), no loading extensions.
	 */
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_set_authorizer(db, dump_authorizer, NULL);
	/* Nor run forever: a recursive CTE or a huge INSERT ... SELECT stops at the limit. */
	sqlite3_progress_handler(db, 1000, past_deadline, &dl);
	if ((rc = run_script(db, &dl, path, text, err)))
		goto out;
	/* A .dump ends inside its own transaction only when it was cut short. */
	if (!sqlite3_get_autocommit(db)) {
		rc = sd_err_set(err, SD_EINPUT, "%s: ends inside a transaction (truncated dump?)",
				path);
		goto out;
	}
	rc = sd_lite__introspect_db(out, db, path, err);
out:
	sqlite3_close(db);
	return rc;
}
