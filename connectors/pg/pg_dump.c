/*
 * connectors/pg/pg_dump.c: a pg_dump file as a source.
 *
 * The dump (plain format, e.g. pg_dump --schema-only) is loaded into a
 * scratch database created on the development server given by --dev-url,
 * read with the ordinary connector, and the scratch database is dropped on
 * every path, also when the load fails or Ctrl-C arrives (sd_scratch.h).
 * Statements are split here (quotes, dollar quotes, comments) and run one
 * by one, so a failure names the dump's line. psql meta-commands that
 * pg_dump writes (\connect, \restrict, \unrestrict) and COPY data blocks
 * are skipped: they are client commands or data, not schema.
 */
#include "connectors/pg/pg_internal.h"

#include "connectors/sd_scratch.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

/* Length of a $tag$ opener at p (0 when p is not one). */
static size_t
dollar_tag(const char *p)
{
	size_t n = 1;

	if (*p != '$')
		return 0;
	while (p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
	       (n > 1 && p[n] >= '0' && p[n] <= '9'))
		n++;
	return p[n] == '$' ? n + 1 : 0;
}

/* End of the statement starting at p: just past its ';', or the end of text. */
static const char *
statement_end(const char *p)
{
	while (*p) {
		size_t tag;
		if (*p == '\'' || *p == '"') {
			char q = *p++;
			while (*p && !(*p == q && p[1] != q))
				p += (*p == q) ? 2 : 1;
			if (*p)
				p++;
		} else if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			int depth = 0;
			do {
				if (p[0] == '/' && p[1] == '*')
					depth++, p += 2;
				else if (p[0] == '*' && p[1] == '/')
					depth--, p += 2;
				else
					p++;
			} while (*p && depth > 0);
		} else if ((tag = dollar_tag(p)) > 0) {
			const char *close = p + tag;
			while (*close && strncmp(close, p, tag) != 0)
				close++;
			p = *close ? close + tag : close;
		} else if (*p == ';') {
			return p + 1;
		} else {
			p++;
		}
	}
	return p;
}

/* Past any whitespace and comments at p. */
static const char *
skip_blank(const char *p)
{
	for (;;) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
		} else if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
		} else {
			return p;
		}
	}
}

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

/* Runs every statement of text on conn; a failure names path:line. */
static int
run_dump(PGconn *conn, const char *path, const char *text, sd_err *err)
{
	const char *p = text;

	while (*p) {
		const char *end, *skip;
		PGresult *res;
		sd_str one;
		int rc = SD_OK;
		/* Comments first: a meta-command is recognized only at a line's start. */
		p = skip_blank(p);
		if (!*p)
			break;
		if ((skip = skip_client_part(p))) {
			p = skip;
			continue;
		}
		end = statement_end(p);
		if (sd_scratch_interrupted())
			return sd_err_set(err, SD_ERROR, "%s: interrupted", path);
		sd_str_init(&one);
		sd_str_appendn(&one, p, (size_t)(end - p));
		res = PQexec(conn, one.ptr);
		sd_str_dispose(&one);
		if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
			const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
			rc = sd_err_set(err, SD_EINPUT, "%s:%d: %s", path, sd_text_line(text, p),
					msg ? msg : PQerrorMessage(conn));
		}
		PQclear(res);
		if (rc)
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

/* Loads the dump into the scratch database name; returns its schema or an error. */
static int
load_and_read(sd_schema **out, const char *path, const char *text, const sd_url *scratch,
	      const sd_conn_opts *o, sd_err *err)
{
	PGconn *conn = connect_to(scratch, o, err, "scratch database");
	PGcancel *cancel;
	int slot, rc;

	if (!conn)
		return SD_ECONNECT;
	cancel = PQgetCancel(conn);
	slot = sd_scratch_enter(pg_cancel, cancel);
	rc = run_dump(conn, path, text, err);
	sd_scratch_leave(slot);
	PQfreeCancel(cancel);
	PQfinish(conn);
	if (rc == SD_OK && sd_scratch_interrupted())
		rc = sd_err_set(err, SD_ERROR, "%s: interrupted", path);
	if (rc == SD_OK && (rc = sd_pg_introspect(out, scratch, o, err)) == SD_OK)
		(*out)->source = sd_arena_printf(&(*out)->arena, "pg_dump:%s", path);
	return rc;
}

int
sd_pg_load_dump(sd_schema **out, const char *path, const sd_url *dev, const sd_conn_opts *o,
		sd_err *err)
{
	char name[64], *text = NULL, scratch_path[66];
	sd_url scratch;
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
	/* template0: the scratch database starts empty whatever template1 holds. */
	if ((rc = admin_exec(admin, "CREATE DATABASE", name, " TEMPLATE template0", err))) {
		sd_err_prefix(err, "--dev-url: cannot create a scratch database: ");
		goto out;
	}
	/* the dev server's URL with the scratch database: a view, nothing to free */
	scratch = *dev;
	snprintf(scratch_path, sizeof(scratch_path), "/%s", name);
	scratch.path = scratch_path;
	rc = load_and_read(out, path, text, &scratch, o, err);
	/* Dropped whatever happened above; FORCE ends any session left behind. */
	if (admin_exec(admin, "DROP DATABASE IF EXISTS", name, " WITH (FORCE)", &drop_err) &&
	    admin_exec(admin, "DROP DATABASE IF EXISTS", name, "", &drop_err) && rc == SD_OK) {
		sd_schema_free(*out);
		*out = NULL;
		rc = sd_err_set(err, SD_ERROR, "cannot drop scratch database %s: %s", name,
				drop_err.msg);
	}
out:
	PQfinish(admin);
	free(text);
	return rc;
}

const char *
sd_pg__statement_end(const char *p)
{
	return statement_end(p);
}
