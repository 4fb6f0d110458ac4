/*
 * connectors/sqlite/lite_apply.c: running a plan on a SQLite file.
 *
 * Through the library, never a client that might carry on after an error:
 * foreign key enforcement off first (PRAGMA foreign_keys is a no-op inside
 * a transaction, and the rebuild procedure drops and renames tables that
 * others refer to), then one BEGIN IMMEDIATE transaction (the write lock
 * taken up front, waited on for the lock timeout), every statement, and
 * PRAGMA foreign_key_check: any violation, like any failed statement,
 * rolls everything back and the file is as it was. The plan's own frame
 * (PRAGMA foreign_keys, BEGIN, foreign_key_check, COMMIT) is recognized
 * and replaced by this one; any other statement that would begin, end or
 * roll back the transaction is refused before it runs. What the plan adds
 * for clients that carry on after errors (lite_plan.c: its TEMP guard
 * table, the guards, a SAVEPOINT per rebuild) runs as ordinary statements:
 * here a SAVEPOINT only nests, and a guard that fires fails its statement
 * like any other error.
 */
#include "connectors/sqlite/sd_sqlite.h"

#include "connectors/sd_steps.h"
#include "connectors/sqlite/lite_parse.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* The frame a SQLite plan spells out: replaced by the applier's own. */
static const char *const FRAME[] = {
        "PRAGMA foreign_keys = OFF",
        "PRAGMA foreign_keys = ON",
        "BEGIN",
        "BEGIN TRANSACTION",
        "BEGIN IMMEDIATE",
        "PRAGMA foreign_key_check",
        "COMMIT",
        "END",
        NULL,
};

static bool
is_frame(const sd_step *s)
{
	for (size_t i = 0; FRAME[i]; i++)
		if (sd_steps_is(s, FRAME[i]))
			return true;
	return false;
}

/*
 * Cuts the plan into statements. A ';' ends one only where sqlite3_complete
 * agrees (not inside a string, a comment or a trigger body); comments
 * between statements are skipped first so each test sees one statement.
 */
static void
split(sd_steps *out, const char *text)
{
	const char *end = text + strlen(text), *start = sd_steps_skip_blank(text, end);
	sd_str buf;

	sd_str_init(&buf);
	for (const char *p = start; p < end; p++) {
		if (*p != ';')
			continue;
		sd_str_clear(&buf);
		sd_str_appendn(&buf, start, (size_t)(p + 1 - start));
		if (!sqlite3_complete(buf.ptr))
			continue;
		sd_step s = {start, (size_t)(p - start), 0};
		if (!is_frame(&s))
			sd_steps_add(out, start, p, 0);
		start = sd_steps_skip_blank(p + 1, end);
		p = start - 1;
	}
	if (start < end) /* no final ';': still a statement (it fails if cut short) */
		sd_steps_add(out, start, end, 0);
	sd_str_dispose(&buf);
}

/*
 * What the authorizer lets a plan do. A plan may build a schema in this
 * file and nothing else: no ATTACH. Nor may it end the transaction: a
 * COMMIT (or END TRANSACTION) found only after it ran would already have
 * committed everything before it, so BEGIN, COMMIT and ROLLBACK are
 * refused at prepare, while the plan's statements run; the applier's own
 * run outside that window.
 */
typedef struct apply_guard {
	bool in_plan;     /* the plan's statements are running */
	bool refused_txn; /* the authorizer refused one of them: it ends the transaction */
	long long statement_ms, until; /* the statement timeout; the running step's deadline */
} apply_guard;

/*
 * SQLite's progress handler: past the step's deadline it interrupts the
 * statement, which then fails and the transaction rolls back. SQLite has no
 * statement timeout of its own; this is the one the other engines' servers keep.
 */
static int
past_deadline(void *ud)
{
	const apply_guard *g = ud;

	return g->until && sd_mono_ms() > g->until;
}

static void
start_clock(apply_guard *g)
{
	g->until = g->statement_ms > 0 ? sd_mono_ms() + g->statement_ms : 0;
}

static int
timed_out(const apply_guard *g, sd_err *err)
{
	return sd_err_set(err, SD_ETIMEOUT, "statement timeout (%lld ms) exceeded", g->statement_ms);
}

static int
apply_authorizer(void *ud, int action, const char *a, const char *b, const char *c, const char *d)
{
	apply_guard *g = ud;

	(void)a, (void)b, (void)c, (void)d;
	if (action == SQLITE_ATTACH || action == SQLITE_DETACH)
		return SQLITE_DENY;
	if (action == SQLITE_TRANSACTION && g->in_plan) {
		g->refused_txn = true;
		return SQLITE_DENY;
	}
	return SQLITE_OK;
}

static int
exec(sqlite3 *db, const char *sql, sd_err *err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sd_err_set(err, sqlite3_errcode(db) == SQLITE_BUSY ? SD_ETIMEOUT : SD_EQUERY,
		                  "%s: %s", sql, sqlite3_errmsg(db));
	return SD_OK;
}

/* Runs one statement to its end; rows (a SELECT in a plan) are read and ignored. */
static int
run_step(sqlite3 *db, apply_guard *g, const sd_step *s, sd_err *err)
{
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int rc;

	g->refused_txn = false;
	start_clock(g);
	if (sqlite3_prepare_v2(db, s->sql, (int)s->len, &st, &tail) != SQLITE_OK)
		return sd_err_set(err, SD_EQUERY, "%s",
		                  g->refused_txn ? "a plan may not begin, commit or roll back a "
		                                   "transaction on its own"
		                                 : sqlite3_errmsg(db));
	if (!st)
		return SD_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	if (rc == SQLITE_INTERRUPT && g->until)
		return timed_out(g, err);
	if (rc != SQLITE_DONE)
		return sd_err_set(err, rc == SQLITE_BUSY ? SD_ETIMEOUT : SD_EQUERY, "%s",
		                  sqlite3_errmsg(db));
	if (sqlite3_get_autocommit(db))
		return sd_err_set(err, SD_EQUERY,
		                  "the statement ended the transaction: a plan "
		                  "may not commit or roll back on its own");
	return SD_OK;
}

/* The first row PRAGMA foreign_key_check reports, as an error; SD_OK when none. */
static int
check_foreign_keys(sqlite3 *db, sd_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = SD_OK;

	if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
		return sd_err_set(err, SD_EQUERY, "PRAGMA foreign_key_check: %s",
		                  sqlite3_errmsg(db));
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		rc = sd_err_set(
		        err, SD_EQUERY,
		        "foreign key violation: a row of table \"%s\" (rowid %s) refers to a "
		        "missing row of \"%s\"",
		        (const char *)sqlite3_column_text(st, 0),
		        sqlite3_column_type(st, 1) == SQLITE_NULL
		                ? "none"
		                : (const char *)sqlite3_column_text(st, 1),
		        (const char *)sqlite3_column_text(st, 2));
		break;
	case SQLITE_DONE:
		break;
	default:
		rc = sd_err_set(err, SD_EQUERY, "PRAGMA foreign_key_check: %s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	return rc;
}

/* The transaction: every step, the foreign key check, COMMIT; rolled back on any failure. */
static int
run_steps(sqlite3 *db,
          apply_guard *g,
          const sd_steps *steps,
          const sd_apply_opts *o,
          sd_apply_result *res,
          sd_err *err)
{
	int rc;

	if ((rc = exec(db, "PRAGMA foreign_keys = OFF", err)) ||
	    (rc = exec(db, "BEGIN IMMEDIATE", err)))
		return rc;
	g->in_plan = true;
	for (size_t i = 0; i < steps->len && rc == SD_OK; i++) {
		const sd_step *s = &steps->ptr[i];
		char *sql = sd_steps_text(s);
		if (o->on_start)
			o->on_start(o->ud, i + 1, steps->len, sql);
		if ((rc = run_step(db, g, s, err)))
			sd_err_prefix(err, "statement %zu of %zu: ", i + 1, steps->len);
		if (o->on_end)
			o->on_end(o->ud, i + 1, steps->len, rc ? err->msg : NULL);
		free(sql);
	}
	g->in_plan = false;
	start_clock(g);
	if (rc == SD_OK && (rc = check_foreign_keys(db, err)) && sqlite3_errcode(db) == SQLITE_INTERRUPT)
		rc = timed_out(g, err);
	g->until = 0; /* COMMIT and ROLLBACK run to their end */
	if (rc == SD_OK)
		rc = exec(db, "COMMIT", err);
	if (rc) {
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		res->rolled_back = true;
		sd_err_prefix(err, "rolled back, nothing applied: ");
		return rc;
	}
	res->n_applied = steps->len;
	return SD_OK;
}

int
sd_lite__apply(const sd_url *u,
               const char *plan,
               const sd_apply_opts *o,
               sd_apply_result *res,
               sd_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	apply_guard guard = {.statement_ms = o->conn.statement_timeout_ms};
	sd_steps steps = {0};
	sqlite3 *db = NULL;
	sd_str path;
	int rc;

	*res = (sd_apply_result){0};
	sd_str_init(&path);
	split(&steps, plan);
	res->n_steps = steps.len;
	if (o->dry_run || steps.len == 0) {
		for (size_t i = 0; i < steps.len && o->on_start; i++) {
			char *sql = sd_steps_text(&steps.ptr[i]);
			o->on_start(o->ud, i + 1, steps.len, sql);
			free(sql);
		}
		rc = SD_OK;
		goto out;
	}
	if ((rc = sd_lite__url_path(&path, u, err)))
		goto out;
	pthread_once(&once, sd_lite__configure);
	/* read-write, never create: a plan is applied to a database that exists */
	if (sqlite3_open_v2(path.ptr, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		rc = sd_err_set(err, SD_ECONNECT, "cannot open for writing: %s",
		                db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	/* SQLite opens a file it may not write read-only, and fails only at the first write. */
	if (sqlite3_db_readonly(db, "main") == 1) {
		rc = sd_err_set(err, SD_ECONNECT, "cannot open for writing: the file is read-only");
		goto out;
	}
	sqlite3_extended_result_codes(db, 0);
	sqlite3_busy_timeout(
	        db, o->conn.lock_timeout_ms > INT32_MAX ? INT32_MAX : (int)o->conn.lock_timeout_ms);
	sqlite3_set_authorizer(db, apply_authorizer, &guard);
	sqlite3_progress_handler(db, 1000, past_deadline, &guard);
	rc = run_steps(db, &guard, &steps, o, res, err);
out:
	sqlite3_close(db);
	sd_vec_dispose(&steps);
	sd_str_dispose(&path);
	return rc;
}
