/*
 * connectors/pg/pg_dump.c: a pg_dump file as a source.
 *
 * The dump (plain format, e.g. pg_dump --schema-only) is loaded into a
 * scratch database created on the development server given by --dev-url,
 * read with the ordinary connector, and the scratch database is dropped on
 * every path, also when the load fails or Ctrl-C arrives (sd_scratch.h).
 * Statements are split as psql splits them (pg_split.c) and run one
 * by one, so a failure names the dump's line. psql meta-commands that
 * pg_dump writes (\connect, \restrict, \unrestrict) and COPY data blocks
 * are skipped: they are client commands or data, not schema.
 */
#include "connectors/pg/pg_internal.h"

#include "connectors/sd_scratch.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <sys/random.h>
#include <time.h>

/* Skips a psql meta-command line, or a COPY ... FROM stdin block with its data. */
static const char *
skip_client_part(const char *p)
{
	const char *line_end = p + strcspn(p, "\n");

	if (*p == '\\')
		return *line_end ? line_end + 1 : line_end;
	if (strncmp(p, "COPY ", 5) == 0 && strstr(p, "FROM stdin;") &&
	    strstr(p, "FROM stdin;") < line_end) {
		const char *q = strstr(line_end, "\n\\.");
		if (!q)
			return p + strlen(p);
		q += 3;
		return *q ? q + 1 : q;
	}
	return NULL;
}

static void
pg_cancel(void *arg)
{
	char buf[256];

	PQcancel(arg, buf, sizeof(buf)); /* async-signal-safe by libpq's contract */
}

/*
 * A dump is input, maybe from an untrusted branch: it runs in a session of
 * a throwaway role that owns the scratch database and nothing else (no
 * superuser, so no COPY ... TO PROGRAM, no server files, no untrusted
 * languages), and each statement has a time limit the dump cannot lift
 * (the client cancels it). Two kinds of statement are not the dump's to
 * run: CREATE/ALTER/COMMENT ON EXTENSION run in the dev user's own session
 * on the scratch database, one statement each (the extension's scripts are
 * the server's, installed by its administrator; the dump only names them),
 * and ALTER ... OWNER TO is skipped (owners are environment noise, never
 * compared; the role may not give objects away).
 */
typedef struct loader {
	PGconn *conn;  /* the scratch role's session: runs the dump */
	PGconn *owner; /* the dev user's session on the scratch database: extensions */
	long long limit_ms;
} loader;

/* Whether the statement at p starts with the words of prefix (case-insensitive, any blanks). */
static bool
starts_with_words(const char *p, const char *prefix)
{
	while (*prefix) {
		if (*prefix == ' ') {
			if (!strchr(" \t\r\n", *p))
				return false;
			while (*p && strchr(" \t\r\n", *p))
				p++;
			prefix++;
		} else if (tolower((unsigned char)*p++) != tolower((unsigned char)*prefix++)) {
			return false;
		}
	}
	return true;
}

static bool
extension_statement(const char *p)
{
	return starts_with_words(p, "CREATE EXTENSION ") || starts_with_words(p, "ALTER EXTENSION ") ||
	       starts_with_words(p, "COMMENT ON EXTENSION ");
}

/* "ALTER <kind> <name> OWNER TO <role>;": the last words before the ';'. */
static bool
owner_statement(const char *p, const char *end)
{
	const char *q = end;

	if (!starts_with_words(p, "ALTER "))
		return false;
	while (q > p && strchr(" \t\r\n;", q[-1]))
		q--;
	if (q > p && q[-1] == '"') /* a quoted role name */
		for (q--; q > p && q[-1] != '"'; q--)
			;
	if (q > p)
		q--;
	while (q > p && !strchr(" \t\r\n", q[-1]))
		q--;
	return q - p >= 10 && strncasecmp(q - 10, " OWNER TO ", 10) == 0;
}

/*
 * Runs sql with a time limit the session cannot lift: past limit_ms the
 * client cancels it. Returns the last result (NULL when the connection
 * failed); *timed_out tells a cancel from an ordinary error.
 */
static PGresult *
exec_limited(PGconn *c, const char *sql, long long limit_ms, bool *timed_out)
{
	long long until = sd_mono_ms() + limit_ms;
	PGresult *res, *last = NULL;

	*timed_out = false;
	if (!PQsendQuery(c, sql))
		return NULL;
	while (PQisBusy(c)) {
		struct pollfd pfd = {PQsocket(c), POLLIN, 0};
		long long left = until - sd_mono_ms();
		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			char buf[256];
			PGcancel *cancel = PQgetCancel(c);
			if (*timed_out || !cancel) { /* cancelled and still busy: give up on it */
				PQfreeCancel(cancel);
				return NULL;
			}
			PQcancel(cancel, buf, sizeof(buf));
			PQfreeCancel(cancel);
			*timed_out = true;
			until = sd_mono_ms() + 5000;
			continue;
		}
		if (!PQconsumeInput(c))
			return NULL;
	}
	while ((res = PQgetResult(c))) {
		ExecStatusType st = PQresultStatus(res);
		PQclear(last);
		last = res;
		/* A COPY to or from the client has no data here: stop, the load fails. */
		if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH)
			break;
	}
	return last;
}

/* Runs one statement of the dump where it belongs; a failure names path:line. */
static int
run_statement(loader *l, const char *path, const char *text, const char *p, const char *end,
	      sd_err *err)
{
	PGresult *res;
	bool timed_out = false;
	sd_str one;
	int rc = SD_OK;

	if (owner_statement(p, end))
		return SD_OK;
	sd_str_init(&one);
	sd_str_appendn(&one, p, (size_t)(end - p));
	/* PQexecParams: one statement only, whatever the text holds after it. */
	res = extension_statement(p) ? PQexecParams(l->owner, one.ptr, 0, NULL, NULL, NULL, NULL, 0)
				     : exec_limited(l->conn, one.ptr, l->limit_ms, &timed_out);
	sd_str_dispose(&one);
	if (timed_out) {
		rc = sd_err_set(err, SD_ETIMEOUT, "%s:%d: the statement ran longer than %lldms: stopped",
				path, sd_text_line(text, p), l->limit_ms);
	} else if (PQresultStatus(res) == PGRES_COPY_IN || PQresultStatus(res) == PGRES_COPY_OUT ||
		   PQresultStatus(res) == PGRES_COPY_BOTH) {
		rc = sd_err_set(err, SD_EINPUT, "%s:%d: COPY to or from the client: not in a dump",
				path, sd_text_line(text, p));
	} else if (PQresultStatus(res) != PGRES_COMMAND_OK &&
		   PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
		rc = sd_err_set(err, SD_EINPUT, "%s:%d: %s", path, sd_text_line(text, p),
				msg ? msg : PQerrorMessage(l->conn));
		err->msg[strcspn(err->msg, "\n")] = '\0';
	}
	PQclear(res);
	return rc;
}

/* Runs every statement of text; a failure names path:line. */
static int
run_dump(loader *l, const char *path, const char *text, sd_err *err)
{
	const char *p = text;

	while (*p) {
		const char *end, *skip;
		int rc;
		/* Comments first: a meta-command is recognized only at a line's start. */
		p = sd_pg__skip_blank(p);
		if (!*p)
			break;
		if ((skip = skip_client_part(p))) {
			p = skip;
			continue;
		}
		end = sd_pg__statement_end(p);
		if (sd_scratch_interrupted())
			return sd_err_set(err, SD_ERROR, "%s: interrupted", path);
		if ((rc = run_statement(l, path, text, p, end, err)))
			return rc;
		p = end;
	}
	return SD_OK;
}

static PGconn *
connect_to(const sd_url *u, const sd_conn_opts *o, sd_err *err, const char *what)
{
	PGconn *c = sd_pg__connect(u, o, err);

	if (!c)
		sd_err_prefix(err, "%s: ", what);
	return c;
}

static int
admin_exec(PGconn *admin, const char *verb, const char *name, const char *tail, sd_err *err)
{
	sd_str sql;
	PGresult *res;
	int rc = SD_OK;

	sd_str_init(&sql);
	sd_str_appendf(&sql, "%s ", verb);
	sd_pg_quote_ident(&sql, name);
	sd_str_append(&sql, tail);
	res = PQexec(admin, sql.ptr);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = sd_err_set(err, SD_ERROR, "%s", PQresultErrorMessage(res));
		err->msg[strcspn(err->msg, "\n")] = '\0';
	}
	PQclear(res);
	sd_str_dispose(&sql);
	return rc;
}

/* Runs sql on admin; an error keeps the server's first line. */
static int
admin_sql(PGconn *admin, const char *sql, sd_err *err)
{
	PGresult *res = PQexec(admin, sql);
	int rc = SD_OK;

	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = sd_err_set(err, SD_ERROR, "%s", PQresultErrorMessage(res));
		err->msg[strcspn(err->msg, "\n")] = '\0';
	}
	PQclear(res);
	return rc;
}

/*
 * The throwaway role the dump runs as: it may log in (with a random
 * password) and own the scratch database, nothing more. The dev user is
 * made a member so it may create the database for it and drop both.
 */
static int
create_role(PGconn *admin, const char *name, char password[33], sd_err *err)
{
	unsigned char rnd[16];
	sd_str sql;
	int rc;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return sd_err_set(err, SD_ERROR, "no random bytes for the scratch role's password");
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(password + 2 * i, 3, "%02x", rnd[i]);
	sd_str_init(&sql);
	sd_str_append(&sql, "CREATE ROLE ");
	sd_pg_quote_ident(&sql, name);
	sd_str_appendf(&sql, " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
			     "CONNECTION LIMIT 2 PASSWORD '%s'",
		       password);
	rc = admin_sql(admin, sql.ptr, err);
	sd_str_clear(&sql);
	sd_str_append(&sql, "GRANT ");
	sd_pg_quote_ident(&sql, name);
	sd_str_append(&sql, " TO CURRENT_USER");
	if (rc == SD_OK && (rc = admin_sql(admin, sql.ptr, err)))
		admin_exec(admin, "DROP ROLE IF EXISTS", name, "", &(sd_err){0});
	sd_str_dispose(&sql);
	if (rc)
		sd_err_prefix(err, "--dev-url: cannot create the role a dump is loaded as "
				   "(the user needs CREATEROLE): ");
	return rc;
}

/* The scratch database's URL as the role: the dev URL's server and options, its own credentials. */
static void
role_url(sd_url *out, const sd_url *dev, const char *db_path, const char *role, const char *password,
	 char *options, size_t options_size, const sd_conn_opts *o)
{
	*out = *dev;
	out->path = (char *)db_path;
	out->user = (char *)role;
	out->password = (char *)password;
	out->params = sd_xcalloc(dev->n_params + 1, sizeof(*out->params));
	out->n_params = 0;
	for (size_t i = 0; i < dev->n_params; i++) {
		const char *k = dev->params[i].key;
		if (strcmp(k, "user") && strcmp(k, "password") && strcmp(k, "passfile") &&
		    strcmp(k, "options") && strcmp(k, "dbname") && strcmp(k, "service"))
			out->params[out->n_params++] = dev->params[i];
	}
	/* The server's own limit too, in case the client's cancel cannot reach it. */
	snprintf(options, options_size, "-c statement_timeout=%lld", o->statement_timeout_ms);
	out->params[out->n_params++] = (sd_url_param){"options", options};
}

/* Loads the dump into the scratch database as the role; returns its schema or an error. */
static int
load_and_read(sd_schema **out, const char *path, const char *text, const sd_url *scratch,
	      const sd_url *as_role, const sd_conn_opts *o, sd_err *err)
{
	loader l = {.limit_ms = o->statement_timeout_ms > 0 ? o->statement_timeout_ms : 30000};
	PGcancel *cancel = NULL;
	int slot = -1, rc = SD_OK;

	if (!(l.owner = connect_to(scratch, o, err, "scratch database")) ||
	    !(l.conn = connect_to(as_role, o, err, "scratch database, as its restricted role"))) {
		rc = SD_ECONNECT;
		goto out;
	}
	cancel = PQgetCancel(l.conn);
	slot = sd_scratch_enter(pg_cancel, cancel);
	rc = run_dump(&l, path, text, err);
	sd_scratch_leave(slot);
	if (rc == SD_OK && sd_scratch_interrupted())
		rc = sd_err_set(err, SD_ERROR, "%s: interrupted", path);
	PQfinish(l.conn);
	l.conn = NULL;
	if (rc == SD_OK && (rc = sd_pg_introspect(out, scratch, o, err)) == SD_OK)
		(*out)->source = sd_arena_printf(&(*out)->arena, "pg_dump:%s", path);
out:
	PQfreeCancel(cancel);
	PQfinish(l.conn);
	PQfinish(l.owner);
	return rc;
}

int
sd_pg_load_dump(sd_schema **out, const char *path, const sd_url *dev, const sd_conn_opts *o,
		sd_err *err)
{
	char name[64], *text = NULL, scratch_path[66], password[33], options[64];
	sd_url scratch, as_role;
	sd_str tail;
	PGconn *admin = NULL;
	sd_err drop_err = {0};
	int rc;

	*out = NULL;
	if (!dev)
		return sd_err_set(err, SD_ECONFIG,
				  "%s: a PostgreSQL dump needs a scratch server: --dev-url "
				  "postgres://...",
				  path);
	if ((rc = sd_read_file(&text, NULL, path, err)))
		return rc;
	if (!(admin = connect_to(dev, o, err, "--dev-url"))) {
		rc = SD_ECONNECT;
		goto out;
	}
	sd_scratch_name(name);
	if ((rc = create_role(admin, name, password, err)))
		goto out;
	/* template0: the scratch database starts empty whatever template1 holds. */
	sd_str_init(&tail);
	sd_str_append(&tail, " OWNER ");
	sd_pg_quote_ident(&tail, name);
	sd_str_append(&tail, " TEMPLATE template0");
	rc = admin_exec(admin, "CREATE DATABASE", name, tail.ptr, err);
	sd_str_dispose(&tail);
	if (rc) {
		sd_err_prefix(err, "--dev-url: cannot create a scratch database: ");
		goto drop_role;
	}
	/* the dev server's URL with the scratch database: a view, nothing to free */
	scratch = *dev;
	snprintf(scratch_path, sizeof(scratch_path), "/%s", name);
	scratch.path = scratch_path;
	role_url(&as_role, dev, scratch_path, name, password, options, sizeof(options), o);
	rc = load_and_read(out, path, text, &scratch, &as_role, o, err);
	free(as_role.params);
	/* Dropped whatever happened above; FORCE ends any session left behind. */
	if (admin_exec(admin, "DROP DATABASE IF EXISTS", name, " WITH (FORCE)", &drop_err) &&
	    admin_exec(admin, "DROP DATABASE IF EXISTS", name, "", &drop_err) && rc == SD_OK) {
		sd_schema_free(*out);
		*out = NULL;
		rc = sd_err_set(err, SD_ERROR, "cannot drop scratch database %s: %s", name,
				drop_err.msg);
	}
drop_role:
	if (admin_exec(admin, "DROP ROLE IF EXISTS", name, "", &drop_err) && rc == SD_OK) {
		sd_schema_free(*out);
		*out = NULL;
		rc = sd_err_set(err, SD_ERROR, "cannot drop scratch role %s: %s", name, drop_err.msg);
	}
out:
	PQfinish(admin);
	free(text);
	return rc;
}
