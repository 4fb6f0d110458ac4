/*
 * connectors/pg/pg_apply.c: running a plan on a live PostgreSQL database.
 *
 * The plan text has three phases (pg_plan.c): statements before its BEGIN
 * (enum labels added: they cannot be used in the transaction that adds
 * them), the transaction, and statements after its COMMIT (CREATE INDEX
 * CONCURRENTLY, which no transaction may hold). Each runs on a connection
 * of our own with the session's statement_timeout and lock_timeout.
 *
 * The transaction is all or nothing. When a statement waits on a lock
 * longer than lock_timeout (SQLSTATE 55P03), everything is rolled back and
 * tried again after a backoff (doubled each time); after the last try the
 * run stops, nothing of the transaction applied, naming the session that
 * held the lock. That session is seen while the statement still waits:
 * halfway through the lock timeout, a second, read-only connection asks
 * pg_blocking_pids() and pg_stat_activity who blocks us.
 *
 * A statement after COMMIT that fails may leave its index INVALID (a
 * failed or cancelled CREATE INDEX CONCURRENTLY): every invalid index that
 * was not there before is dropped, concurrently, and reported.
 */
#include "connectors/pg/pg_internal.h"

#include "connectors/sd_steps.h"

#include <ctype.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum { PHASE_BEFORE, PHASE_TX, PHASE_AFTER };

/* The sessions that block pid, one line each. */
static const char BLOCKERS_SQL[] =
        "SELECT a.pid, coalesce(a.state, ''), coalesce(a.xact_start::text, a.backend_start::text), "
        "date_trunc('second', now() - coalesce(a.xact_start, a.backend_start))::text, "
        "left(coalesce(a.query, ''), 200) FROM pg_catalog.pg_stat_activity a "
        "WHERE a.pid = ANY (pg_catalog.pg_blocking_pids($1::int)) ORDER BY a.pid";

/* Indexes left INVALID (by a failed CREATE INDEX CONCURRENTLY), qualified and quoted. */
static const char INVALID_SQL[] =
        "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) "
        "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid "
        "ORDER BY 1";

typedef struct applier {
	PGconn *conn, *monitor;
	const sd_url *url;
	const sd_apply_opts *o;
	sd_steps steps;
	sd_str blockers; /* who blocked the last statement that waited */
	size_t n_tx;     /* statements of the transaction phase */
} applier;

static void note(applier *ap, const char *fmt, ...) SD_PRINTF(2, 3);

static void
note(applier *ap, const char *fmt, ...)
{
	sd_str s;
	va_list va;

	if (!ap->o->on_note)
		return;
	sd_str_init(&s);
	va_start(va, fmt);
	sd_str_vappendf(&s, fmt, va);
	va_end(va);
	ap->o->on_note(ap->o->ud, s.ptr);
	sd_str_dispose(&s);
}

/*
 * Cuts the plan into statements and phases: before its BEGIN, inside,
 * after its COMMIT. A plan without BEGIN is one transaction. Only the
 * first BEGIN and the COMMIT after it are the frame: a second one stays a
 * statement, which check_no_transaction_control refuses.
 */
static void
split(applier *ap, const char *text)
{
	int phase = PHASE_BEFORE;
	bool saw_begin = false;

	for (const char *p = text; *p;) {
		const char *end = sd_pg__statement_end(p);
		sd_step s = {p, (size_t)(end - p), phase};
		if ((sd_steps_is(&s, "BEGIN") || sd_steps_is(&s, "BEGIN TRANSACTION")) &&
		    phase == PHASE_BEFORE) {
			saw_begin = true;
			phase = PHASE_TX;
		} else if ((sd_steps_is(&s, "COMMIT") || sd_steps_is(&s, "END")) &&
		           phase == PHASE_TX) {
			phase = PHASE_AFTER;
		} else {
			sd_steps_add(&ap->steps, p, end > p && end[-1] == ';' ? end - 1 : end,
			             phase);
		}
		p = end;
	}
	for (size_t i = 0; i < ap->steps.len; i++) {
		if (!saw_begin)
			ap->steps.ptr[i].phase = PHASE_TX;
		ap->n_tx += ap->steps.ptr[i].phase == PHASE_TX;
	}
}

/*
 * The transaction statement a step starts with, or NULL. The plan's own
 * BEGIN and COMMIT are its frame (split); any other COMMIT, END, ROLLBACK,
 * ABORT, BEGIN, START TRANSACTION or PREPARE TRANSACTION would end the
 * applier's transaction half way (what ran before it committed, what runs
 * after it outside any transaction) or open one nobody commits.
 */
static const char *
transaction_word(const sd_step *s)
{
	static const char *const words[] = {"COMMIT", "END",   "ROLLBACK", "ABORT",
	                                    "BEGIN",  "START", NULL};
	const char *p = sd_steps_skip_blank(s->sql, s->sql + s->len), *q;

	for (size_t i = 0; words[i]; i++)
		if (sd_pg__word_at(p, p, words[i]))
			return words[i];
	if (!sd_pg__word_at(p, p, "PREPARE"))
		return NULL;
	for (q = p + 7; isspace((unsigned char)*q); q++)
		;
	return sd_pg__word_at(q, q, "TRANSACTION") ? "PREPARE TRANSACTION" : NULL;
}

/* Refuses a plan with a transaction statement of its own, before anything runs. */
static int
check_no_transaction_control(const applier *ap, sd_err *err)
{
	for (size_t i = 0; i < ap->steps.len; i++) {
		const char *word = transaction_word(&ap->steps.ptr[i]);
		if (word)
			return sd_err_set(err, SD_EINPUT,
			                  "statement %zu of %zu (%s ...): a plan may not begin, "
			                  "commit or roll back a transaction on its own; nothing "
			                  "applied",
			                  i + 1, ap->steps.len, word);
	}
	return SD_OK;
}

static void
trim(char *msg)
{
	size_t len = strlen(msg);

	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
}

/* Runs sql and returns SD_OK, or the error with its SQLSTATE in *state. */
static int
exec_simple(PGconn *c, const char *sql, char state[6], sd_err *err)
{
	PGresult *res = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = SD_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state)
			snprintf(state, 6, "%s", s ? s : "");
		rc = sd_err_set(err, SD_EQUERY, "%s", PQresultErrorMessage(res));
		trim(err->msg);
	}
	PQclear(res);
	return rc;
}

/* Who blocks our connection now, into ap->blockers; best effort. */
static void
probe_blockers(applier *ap)
{
	char pid[16];
	const char *params[1] = {pid};
	PGresult *res;
	sd_err err = {0};

	if (!ap->monitor) {
		ap->monitor = sd_pg__connect(ap->url, &ap->o->conn, &err);
		if (!ap->monitor ||
		    exec_simple(ap->monitor, "SET default_transaction_read_only = on", NULL, &err))
			return;
	}
	snprintf(pid, sizeof(pid), "%d", PQbackendPID(ap->conn));
	res = PQexecParams(ap->monitor, BLOCKERS_SQL, 1, NULL, params, NULL, NULL, 0);
	sd_str_clear(&ap->blockers);
	for (int i = 0; PQresultStatus(res) == PGRES_TUPLES_OK && i < PQntuples(res); i++)
		sd_str_appendf(
		        &ap->blockers,
		        "%sblocked by pid %s (%s, its transaction open for %s, since %s): \"%s\"",
		        i ? ", " : "", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		        PQgetvalue(res, i, 3), PQgetvalue(res, i, 2), PQgetvalue(res, i, 4));
	PQclear(res);
}

/*
 * Runs one statement. While it is still running halfway through the lock
 * timeout, the blocking sessions are recorded (a lock timeout then names
 * them). Returns the first error result, or the last result.
 */
static PGresult *
run_watched(applier *ap, const char *sql)
{
	long long wait = ap->o->conn.lock_timeout_ms / 2, deadline;
	struct pollfd pfd = {.fd = PQsocket(ap->conn), .events = POLLIN};
	PGresult *res = NULL, *next;
	bool probed = false;

	sd_str_clear(&ap->blockers);
	if (!PQsendQuery(ap->conn, sql))
		return NULL;
	deadline = sd_mono_ms() + (wait < 20 ? 20 : wait);
	while (PQconsumeInput(ap->conn) && PQisBusy(ap->conn)) {
		long long left = deadline - sd_mono_ms();
		if (poll(&pfd, 1, probed ? -1 : (int)(left > 0 ? left : 0)) == 0 && !probed) {
			probe_blockers(ap);
			probed = true;
		}
	}
	while ((next = PQgetResult(ap->conn))) {
		if (res && PQresultStatus(res) == PGRES_FATAL_ERROR) {
			PQclear(next);
			continue;
		}
		PQclear(res);
		res = next;
	}
	return res;
}

/* Runs step i (0-based) with progress; *lock_timeout set when it waited too long on a lock. */
static int
run_step(applier *ap, size_t i, bool *lock_timeout, sd_err *err)
{
	const sd_apply_opts *o = ap->o;
	char *sql = sd_steps_text(&ap->steps.ptr[i]);
	PGresult *res;
	ExecStatusType st;
	int rc = SD_OK;

	*lock_timeout = false;
	if (o->on_start)
		o->on_start(o->ud, i + 1, ap->steps.len, sql);
	res = run_watched(ap, sql);
	st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
		const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		*lock_timeout = state && strcmp(state, "55P03") == 0;
		rc = sd_err_set(err, *lock_timeout ? SD_ETIMEOUT : SD_EQUERY,
		                "statement %zu of %zu: %s", i + 1, ap->steps.len,
		                res ? PQresultErrorMessage(res) : PQerrorMessage(ap->conn));
		trim(err->msg);
	}
	if (o->on_end)
		o->on_end(o->ud, i + 1, ap->steps.len, rc ? err->msg : NULL);
	PQclear(res);
	free(sql);
	return rc;
}

/* The statements of one phase outside any transaction; stops at the first failure. */
static int
run_autocommit(applier *ap, int phase, sd_apply_result *res, sd_err *err)
{
	bool lock_timeout;
	int rc;

	for (size_t i = 0; i < ap->steps.len; i++) {
		if (ap->steps.ptr[i].phase != phase)
			continue;
		if ((rc = run_step(ap, i, &lock_timeout, err)))
			return rc;
		res->n_applied++;
	}
	return SD_OK;
}

/* One try of the transaction. */
static int
try_transaction(applier *ap, bool *lock_timeout, sd_err *err)
{
	int rc;

	*lock_timeout = false;
	if ((rc = exec_simple(ap->conn, "BEGIN", NULL, err)))
		return rc;
	for (size_t i = 0; i < ap->steps.len && rc == SD_OK; i++)
		if (ap->steps.ptr[i].phase == PHASE_TX)
			rc = run_step(ap, i, lock_timeout, err);
	if (rc == SD_OK && (rc = exec_simple(ap->conn, "COMMIT", NULL, err)))
		sd_err_prefix(err, "COMMIT: ");
	if (rc)
		PQclear(PQexec(ap->conn, "ROLLBACK"));
	return rc;
}

/* The transaction, tried again with a growing backoff after each lock timeout. */
static int
run_transaction(applier *ap, sd_apply_result *res, sd_err *err)
{
	long long backoff = ap->o->backoff_ms > 0 ? ap->o->backoff_ms : 500;
	bool lock_timeout;
	int rc;

	if (ap->n_tx == 0)
		return SD_OK;
	for (int attempt = 0;; attempt++) {
		if ((rc = try_transaction(ap, &lock_timeout, err)) == SD_OK) {
			res->n_applied += ap->n_tx;
			return SD_OK;
		}
		res->rolled_back = true;
		if (!lock_timeout)
			return rc;
		if (attempt >= ap->o->lock_retries) {
			if (ap->blockers.len)
				sd_err_prefix(err, "%s; ", ap->blockers.ptr);
			sd_err_prefix(err,
			              "gave up after %d tr%s, nothing of the transaction applied: ",
			              attempt + 1, attempt ? "ies" : "y");
			return rc;
		}
		note(ap, "lock timeout, rolled back%s%s; trying again in %lld ms (%d of %d)",
		     ap->blockers.len ? ": " : "", ap->blockers.ptr, backoff, attempt + 1,
		     ap->o->lock_retries);
		nanosleep(&(struct timespec){backoff / 1000, (backoff % 1000) * 1000000}, NULL);
		backoff *= 2;
	}
}

/* The invalid indexes, one per line, into out. */
static void
list_invalid(applier *ap, sd_str *out)
{
	PGresult *res = PQexec(ap->conn, INVALID_SQL);

	sd_str_clear(out);
	for (int i = 0; PQresultStatus(res) == PGRES_TUPLES_OK && i < PQntuples(res); i++)
		sd_str_appendf(out, "%s\n", PQgetvalue(res, i, 0));
	PQclear(res);
}

/* True when text (lines) holds line as one of them. */
static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p += n)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

/* Drops every invalid index not in before (a failed CREATE INDEX CONCURRENTLY's). */
static void
drop_new_invalid(applier *ap, const char *before)
{
	sd_str now, sql;
	sd_err err = {0};

	sd_str_init(&now);
	sd_str_init(&sql);
	list_invalid(ap, &now);
	for (char *line = now.ptr, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		if (has_line(before, line))
			continue;
		sd_str_clear(&sql);
		sd_str_appendf(&sql, "DROP INDEX CONCURRENTLY IF EXISTS %s", line);
		if (exec_simple(ap->conn, sql.ptr, NULL, &err))
			note(ap, "index %s was left INVALID and could not be dropped: %s", line,
			     err.msg);
		else
			note(ap, "index %s was left INVALID by the failed statement: dropped",
			     line);
	}
	sd_str_dispose(&now);
	sd_str_dispose(&sql);
}

/* The statements after COMMIT, each checked: an index it leaves invalid is dropped. */
static int
run_after(applier *ap, sd_apply_result *res, sd_err *err)
{
	sd_str before;
	int rc;

	sd_str_init(&before);
	list_invalid(ap, &before);
	if ((rc = run_autocommit(ap, PHASE_AFTER, res, err)))
		drop_new_invalid(ap, before.ptr);
	sd_str_dispose(&before);
	return rc;
}

/* The session every statement runs in: the caller's timeouts, our name. */
static int
open_session(applier *ap, sd_err *err)
{
	char sql[160];
	int rc;

	if (!(ap->conn = sd_pg__connect(ap->url, &ap->o->conn, err)))
		return SD_ECONNECT;
	snprintf(sql, sizeof(sql),
	         "SET statement_timeout = %lld; SET lock_timeout = %lld; "
	         "SET application_name = 'schemad apply'",
	         ap->o->conn.statement_timeout_ms, ap->o->conn.lock_timeout_ms);
	if ((rc = exec_simple(ap->conn, sql, NULL, err)))
		sd_err_prefix(err, "cannot set up the session: ");
	return rc;
}

int
sd_pg__apply(const sd_url *u,
             const char *plan,
             const sd_apply_opts *o,
             sd_apply_result *res,
             sd_err *err)
{
	applier ap = {.url = u, .o = o};
	int rc = SD_OK;

	*res = (sd_apply_result){0};
	sd_str_init(&ap.blockers);
	split(&ap, plan);
	res->n_steps = ap.steps.len;
	if ((rc = check_no_transaction_control(&ap, err)))
		goto out;
	if (o->dry_run || ap.steps.len == 0) {
		for (size_t i = 0; i < ap.steps.len && o->on_start; i++) {
			char *sql = sd_steps_text(&ap.steps.ptr[i]);
			o->on_start(o->ud, i + 1, ap.steps.len, sql);
			free(sql);
		}
		goto out;
	}
	if ((rc = open_session(&ap, err)) || (rc = run_autocommit(&ap, PHASE_BEFORE, res, err)) ||
	    (rc = run_transaction(&ap, res, err)) || (rc = run_after(&ap, res, err)))
		goto out;
out:
	PQfinish(ap.conn);
	PQfinish(ap.monitor);
	sd_str_dispose(&ap.blockers);
	sd_vec_dispose(&ap.steps);
	return rc;
}
