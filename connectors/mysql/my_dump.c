/*
 * connectors/mysql/my_dump.c: a mysqldump file as a source.
 *
 * The dump (e.g. mysqldump --no-data) is loaded into a scratch database
 * created on the development server given by --dev-url, read with the
 * ordinary connector, and dropped on every path, also when the load fails
 * or Ctrl-C arrives (sd_scratch.h). Statements are split here the way the
 * mysql client does: quotes with backslash escapes, comments, and the
 * client-side DELIMITER command mysqldump uses around triggers and
 * routines; each runs alone so a failure names the dump's line.
 */
#include "connectors/mysql/my_internal.h"
#include "connectors/mysql/sd_mysql.h"

#include "connectors/sd_scratch.h"

#include <ctype.h>
#include <mysql.h>
#include <stdlib.h>
#include <string.h>

/* "DELIMITER x" at the start of a line: sets *delim and returns the next line. */
static const char *
delimiter_command(const char *p, char *delim, size_t size)
{
	const char *end = p + strcspn(p, "\n"), *arg;
	size_t n;

	if (strncasecmp(p, "DELIMITER", 9) != 0 || !isspace((unsigned char)p[9]))
		return NULL;
	arg = p + 9 + strspn(p + 9, " \t");
	n = strcspn(arg, " \t\r\n");
	if (n == 0 || n >= size)
		return NULL;
	memcpy(delim, arg, n);
	delim[n] = '\0';
	return *end ? end + 1 : end;
}

/* End of the statement at p (its delimiter excluded) and *next past it. */
static const char *
statement_end(const char *p, const char *delim, const char **next)
{
	size_t dn = strlen(delim);

	while (*p) {
		if (*p == '\'' || *p == '"' || *p == '`') {
			char q = *p++;
			while (*p && *p != q) {
				if (*p == '\\' && q != '`' && p[1])
					p++;
				p++;
			}
			if (*p)
				p++;
		} else if ((p[0] == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == '\t')) || *p == '#') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
		} else if (strncmp(p, delim, dn) == 0) {
			*next = p + dn;
			return p;
		} else {
			p++;
		}
	}
	*next = p;
	return p;
}

/* Only whitespace and plain comments; an executable comment (slash-star-bang) is code. */
static bool
blank(const char *p, const char *end)
{
	while (p < end) {
		if (isspace((unsigned char)*p)) {
			p++;
		} else if ((p[0] == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == '\t')) || *p == '#') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*' && p[2] != '!' && p[2] != 'M') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : end;
		} else {
			return false;
		}
	}
	return true;
}

static void
no_cancel(void *arg)
{
	(void)arg; /* statements are short: the load stops before the next one */
}

static int
run_dump(MYSQL *db, const char *path, const char *text, sd_err *err)
{
	char delim[16] = ";";
	const char *p = text;

	while (*p) {
		const char *end, *next, *after;
		p += strspn(p, " \t\r\n");
		if ((after = delimiter_command(p, delim, sizeof(delim)))) {
			p = after;
			continue;
		}
		end = statement_end(p, delim, &next);
		if (!blank(p, end)) {
			if (sd_scratch_interrupted())
				return sd_err_set(err, SD_ERROR, "%s: interrupted", path);
			if (mysql_real_query(db, p, (unsigned long)(end - p)) != 0)
				return sd_err_set(err, SD_EINPUT, "%s:%d: %s", path, sd_text_line(text, p),
						  mysql_error(db));
			/* Drain any result (SELECTs in a dump): the connection must be idle. */
			do {
				MYSQL_RES *res = mysql_store_result(db);
				mysql_free_result(res);
			} while (mysql_next_result(db) == 0);
		}
		p = next;
	}
	return SD_OK;
}

/* A plain connection for loading: the connector's own session is read-only. */
static MYSQL *
connect_admin(const my_url *u, sd_err *err)
{
	MYSQL *db;
	unsigned timeout = (unsigned)((u->timeouts.connect_timeout_ms + 999) / 1000);

	/* A live source may be connecting in the other thread: initialize once. */
	sd_my__lib_init();
	db = mysql_init(NULL);
	if (!db) {
		sd_err_set(err, SD_ECONNECT, "cannot allocate a connection");
		return NULL;
	}
	mysql_optionsv(db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_optionsv(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (!mysql_real_connect(db, u->host && *u->host ? u->host : NULL, u->user, u->password,
				NULL, u->port, u->socket, 0)) {
		sd_err_set(err, SD_ECONNECT, "--dev-url: cannot connect: %s", mysql_error(db));
		mysql_close(db);
		return NULL;
	}
	return db;
}

static int
admin_exec(MYSQL *db, const char *verb, const char *name, sd_err *err)
{
	sd_str sql;
	int rc = SD_OK;

	sd_str_init(&sql);
	sd_str_appendf(&sql, "%s ", verb);
	sd_my_quote_ident(&sql, name);
	if (mysql_real_query(db, sql.ptr, (unsigned long)sql.len) != 0)
		rc = sd_err_set(err, SD_ERROR, "%s", mysql_error(db));
	sd_str_dispose(&sql);
	return rc;
}

static int
load_and_read(sd_schema **out, MYSQL *db, const char *path, const char *text, const char *name,
	      my_url *u, sd_err *err)
{
	int slot, rc;

	if (mysql_select_db(db, name) != 0)
		return sd_err_set(err, SD_ERROR, "scratch database: %s", mysql_error(db));
	slot = sd_scratch_enter(no_cancel, NULL);
	rc = run_dump(db, path, text, err);
	sd_scratch_leave(slot);
	if (rc == SD_OK && sd_scratch_interrupted())
		rc = sd_err_set(err, SD_ERROR, "%s: interrupted", path);
	if (rc)
		return rc;
	free(u->db);
	u->db = sd_xstrdup(name);
	if ((rc = sd_my__introspect_url(out, u, err)) == SD_OK)
		(*out)->source = sd_arena_printf(&(*out)->arena, "mysqldump:%s", path);
	return rc;
}

int
sd_my_load_dump(sd_schema **out, const char *path, const sd_url *dev, const sd_conn_opts *o,
		sd_err *err)
{
	my_url u = {0};
	MYSQL *db = NULL;
	char name[64], *text = NULL;
	sd_err drop_err = {0};
	int rc;

	*out = NULL;
	if (!dev)
		return sd_err_set(err, SD_ECONFIG,
				  "%s: a MySQL dump needs a scratch server: --dev-url mysql://...", path);
	if ((rc = sd_read_file(&text, NULL, path, err)))
		return rc;
	if ((rc = sd_my__url_from(&u, dev, o, false, err))) {
		sd_err_prefix(err, "--dev-url: ");
		goto out;
	}
	if (!(db = connect_admin(&u, err))) {
		rc = SD_ECONNECT;
		goto out;
	}
	sd_scratch_name(name);
	if ((rc = admin_exec(db, "CREATE DATABASE", name, err))) {
		sd_err_prefix(err, "--dev-url: cannot create a scratch database: ");
		goto out;
	}
	rc = load_and_read(out, db, path, text, name, &u, err);
	/* Dropped whatever happened above; the dump may have changed the session. */
	mysql_select_db(db, "mysql");
	if (admin_exec(db, "DROP DATABASE IF EXISTS", name, &drop_err) && rc == SD_OK) {
		sd_schema_free(*out);
		*out = NULL;
		rc = sd_err_set(err, SD_ERROR, "cannot drop scratch database %s: %s", name,
				drop_err.msg);
	}
out:
	if (db)
		mysql_close(db);
	sd_my__url_dispose(&u);
	free(text);
	return rc;
}

void
sd_my__split(sd_steps *out, const char *text)
{
	char delim[16] = ";";
	const char *p = text, *text_end = text + strlen(text);

	while (*p) {
		const char *end, *next, *after;
		/* comments too: a plan writes its reasons just before a DELIMITER line */
		p = sd_steps_skip_blank(p, text_end);
		if ((after = delimiter_command(p, delim, sizeof(delim)))) {
			p = after;
			continue;
		}
		end = statement_end(p, delim, &next);
		if (!blank(p, end))
			sd_steps_add(out, p, end, 0);
		p = next;
	}
}
