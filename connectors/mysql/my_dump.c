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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

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

const char *
sd_my__skip_quoted(const char *p, const char *escapes)
{
	if (*p == '\'' || *p == '"' || *p == '`') {
		char q = *p++;
		bool escaped = strchr(escapes, q) != NULL;
		while (*p && *p != q) {
			if (*p == '\\' && escaped && p[1])
				p++;
			p++;
		}
		return *p ? p + 1 : NULL;
	}
	if ((p[0] == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == '\t')) || *p == '#')
		return p + strcspn(p, "\n");
	if (p[0] == '/' && p[1] == '*') {
		const char *e = strstr(p + 2, "*/");
		return e ? e + 2 : NULL;
	}
	return p;
}

/* End of the statement at p (its delimiter excluded) and *next past it. */
static const char *
statement_end(const char *p, const char *delim, const char **next)
{
	size_t dn = strlen(delim);

	while (*p) {
		const char *past = sd_my__skip_quoted(p, MY_ESCAPES_DEFAULT);
		if (!past) {
			p += strlen(p); /* left open: runs to the end */
		} else if (past != p) {
			p = past;
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

/*
 * A dump is input, maybe from an untrusted branch: it runs in a session of
 * a throwaway user granted every privilege on the scratch database and
 * nothing else (no FILE, so no INTO OUTFILE or LOAD_FILE; no SUPER), with
 * LOCAL INFILE off on our side, and each statement stops at the time
 * limit: the client stops waiting and the dev user's session kills it, so
 * a dump's SET max_statement_time = 0 does not lift it. DEFINER clauses
 * are removed (the user may not create objects as another; DEFINER is
 * environment noise, never compared).
 *
 * mysqldump and mariadb-dump name the dumped database in their header
 * ("-- Host: h    Database: shop") and MariaDB qualifies a default's
 * sequence with it (DEFAULT nextval(`shop`.`ids`)): the scratch database
 * stands for that one, so that qualifier is removed from every statement
 * (otherwise the table would read another database's sequence, or fail to
 * load for want of privileges on it).
 */
typedef struct loader {
	MYSQL *conn;  /* the throwaway user's session: runs the dump */
	MYSQL *admin; /* the dev user's session: kills a statement past the limit */
	long long limit_ms;
	char *own_db; /* the dumped database, from the header; NULL when not named */
} loader;

/* The database a dump's header names ("-- Host: h    Database: shop"); NULL when none. */
static char *
dumped_database(const char *text)
{
	const char *line = text;

	/* The header: the leading comment and blank lines only. */
	while (*line == '-' || *line == '/' || *line == '\n' || *line == '\r') {
		const char *end = line + strcspn(line, "\n");
		const char *at = strncmp(line, "-- Host: ", 9) == 0 ? strstr(line, "Database: ") : NULL;
		if (at && at < end) {
			at += 10;
			while (end > at && isspace((unsigned char)end[-1]))
				end--;
			if (end > at) {
				char *db = sd_xmalloc((size_t)(end - at) + 1);
				memcpy(db, at, (size_t)(end - at));
				db[end - at] = '\0';
				return db;
			}
		}
		line = *end ? end + 1 : end;
	}
	return NULL;
}

/* End of a user or host in a DEFINER clause: quoted, or a bare word. */
static const char *
account_part_end(const char *p)
{
	char q = *p;

	if (q == '`' || q == '\'' || q == '"') {
		for (p++; *p && *p != q; p++)
			if (*p == '\\' && q != '`' && p[1])
				p++;
		return *p ? p + 1 : p;
	}
	while (isalnum((unsigned char)*p) || strchr("_$.-%()", *p))
		p++;
	return p;
}

/* The statement [p, end) without its DEFINER = user@host clauses (outside quotes). */
static void
strip_definer(sd_str *out, const char *p, const char *end)
{
	const char *begin = p;

	while (p < end) {
		if (*p == '\'' || *p == '"' || *p == '`') {
			const char *e = account_part_end(p);
			sd_str_appendn(out, p, (size_t)((e < end ? e : end) - p));
			p = e;
		} else if (strncasecmp(p, "DEFINER", 7) == 0 &&
			   (p == begin || (!isalnum((unsigned char)p[-1]) && p[-1] != '_'))) {
			const char *q = p + 7;
			while (isspace((unsigned char)*q))
				q++;
			if (*q != '=') {
				sd_str_appendc(out, *p++);
				continue;
			}
			q++;
			while (isspace((unsigned char)*q))
				q++;
			q = account_part_end(q);
			if (*q == '@')
				q = account_part_end(q + 1);
			p = q < end ? q : end;
		} else {
			sd_str_appendc(out, *p++);
		}
	}
}

/* Runs one statement; a failure names path:line, a statement past the limit is killed. */
static int
run_statement(loader *l, const char *path, const char *text, const char *p, const char *end,
	      sd_err *err)
{
	long long started = sd_mono_ms();
	sd_str one;
	int rc = SD_OK;

	sd_str_init(&one);
	strip_definer(&one, p, end);
	if (l->own_db) {
		sd_str unqualified;
		sd_str_init(&unqualified);
		sd_my__strip_qualifier(&unqualified, one.ptr, l->own_db);
		sd_str_dispose(&one);
		one = unqualified;
	}
	if (mysql_real_query(l->conn, one.ptr, (unsigned long)one.len) != 0) {
		if (sd_mono_ms() - started >= l->limit_ms) {
			char kill[64];
			/* The client stopped waiting; the server must stop too. */
			snprintf(kill, sizeof(kill), "KILL %lu", mysql_thread_id(l->conn));
			mysql_real_query(l->admin, kill, (unsigned long)strlen(kill));
			rc = sd_err_set(err, SD_ETIMEOUT,
					"%s:%d: the statement ran longer than %lldms: stopped", path,
					sd_text_line(text, p), l->limit_ms);
		} else {
			rc = sd_err_set(err, SD_EINPUT, "%s:%d: %s", path, sd_text_line(text, p),
					mysql_error(l->conn));
		}
	} else {
		/* Drain any result (SELECTs in a dump): the connection must be idle. */
		do {
			MYSQL_RES *res = mysql_store_result(l->conn);
			mysql_free_result(res);
		} while (mysql_next_result(l->conn) == 0);
	}
	sd_str_dispose(&one);
	return rc;
}

static int
run_dump(loader *l, const char *path, const char *text, sd_err *err)
{
	char delim[16] = ";";
	const char *p = text;

	while (*p) {
		const char *end, *next, *after;
		int rc;
		p += strspn(p, " \t\r\n");
		if ((after = delimiter_command(p, delim, sizeof(delim)))) {
			p = after;
			continue;
		}
		end = statement_end(p, delim, &next);
		if (!blank(p, end)) {
			if (sd_scratch_interrupted())
				return sd_err_set(err, SD_ERROR, "%s: interrupted", path);
			if ((rc = run_statement(l, path, text, p, end, err)))
				return rc;
		}
		p = next;
	}
	return SD_OK;
}

/*
 * A plain connection for loading (the connector's own session is
 * read-only): as the dev URL's user, or as user/password when given, on
 * database db when given. LOCAL INFILE is off: a dump never reads our files.
 */
static MYSQL *
connect_as(const my_url *u, const char *user, const char *password, const char *db,
	   unsigned read_timeout, sd_err *err)
{
	MYSQL *conn;
	unsigned timeout = (unsigned)((u->timeouts.connect_timeout_ms + 999) / 1000);
	unsigned int off = 0; /* libmariadb reads an unsigned int for MYSQL_OPT_LOCAL_INFILE */

	/* A live source may be connecting in the other thread: initialize once. */
	sd_my__lib_init();
	conn = mysql_init(NULL);
	if (!conn) {
		sd_err_set(err, SD_ECONNECT, "cannot allocate a connection");
		return NULL;
	}
	mysql_optionsv(conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_optionsv(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_optionsv(conn, MYSQL_OPT_LOCAL_INFILE, &off);
	if (read_timeout)
		mysql_optionsv(conn, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
	if (!mysql_real_connect(conn, u->host && *u->host ? u->host : NULL, user ? user : u->user,
				user ? password : u->password, db, u->port, u->socket, 0)) {
		sd_err_set(err, SD_ECONNECT, "cannot connect: %s", mysql_error(conn));
		mysql_close(conn);
		return NULL;
	}
	return conn;
}

static MYSQL *
connect_admin(const my_url *u, sd_err *err)
{
	MYSQL *db = connect_as(u, NULL, NULL, NULL, 0, err);

	if (!db)
		sd_err_prefix(err, "--dev-url: ");
	return db;
}

static int
admin_sql(MYSQL *db, const char *sql, sd_err *err)
{
	if (mysql_real_query(db, sql, (unsigned long)strlen(sql)) != 0)
		return sd_err_set(err, SD_ERROR, "%s", mysql_error(db));
	return SD_OK;
}

static int
admin_exec(MYSQL *db, const char *verb, const char *name, sd_err *err)
{
	sd_str sql;
	int rc;

	sd_str_init(&sql);
	sd_str_appendf(&sql, "%s ", verb);
	sd_my_quote_ident(&sql, name);
	rc = admin_sql(db, sql.ptr, err);
	sd_str_dispose(&sql);
	return rc;
}

/* Both hosts: '%' alone would lose to an anonymous ''@'localhost' on socket logins. */
static const char *const user_hosts[] = {"%", "localhost"};

/* "CREATE USER 'user'@'host'..." for each host, ending with tail. */
static int
each_host(MYSQL *admin, const char *verb, const char *user, const char *tail, sd_err *err)
{
	int rc = SD_OK;

	for (size_t i = 0; i < sizeof(user_hosts) / sizeof(*user_hosts); i++) {
		sd_str sql;
		int one;
		sd_str_init(&sql);
		sd_str_appendf(&sql, "%s ", verb);
		sd_my__quote_string(&sql, user);
		sd_str_appendc(&sql, '@');
		sd_my__quote_string(&sql, user_hosts[i]);
		sd_str_append(&sql, tail);
		one = admin_sql(admin, sql.ptr, err);
		rc = rc ? rc : one;
		sd_str_dispose(&sql);
	}
	return rc;
}

/* The throwaway user: every privilege on the scratch database db, nothing else. */
static int
create_user(MYSQL *admin, const char *user, const char *db, char password[33], sd_err *err)
{
	unsigned char rnd[16];
	sd_str tail;
	int rc;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return sd_err_set(err, SD_ERROR, "no random bytes for the scratch user's password");
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(password + 2 * i, 3, "%02x", rnd[i]);
	sd_str_init(&tail);
	sd_str_appendf(&tail, " IDENTIFIED BY '%s'", password);
	rc = each_host(admin, "CREATE USER", user, tail.ptr, err);
	sd_str_clear(&tail);
	sd_str_append(&tail, "GRANT ALL PRIVILEGES ON ");
	sd_my_quote_ident(&tail, db);
	sd_str_append(&tail, ".* TO");
	if (rc == SD_OK)
		rc = each_host(admin, tail.ptr, user, "", err);
	sd_str_dispose(&tail);
	if (rc)
		sd_err_prefix(err, "--dev-url: cannot create the user a dump is loaded as "
				   "(the user needs CREATE USER and GRANT OPTION): ");
	return rc;
}

static int
load_and_read(sd_schema **out, MYSQL *admin, const char *path, const char *text, const char *name,
	      const char *user, const char *password, my_url *u, sd_err *err)
{
	long long limit = u->timeouts.statement_timeout_ms > 0 ? u->timeouts.statement_timeout_ms : 30000;
	loader l = {NULL, admin, limit, NULL};
	int slot, rc;

	/* The client stops waiting at the limit (whole seconds, rounded up). */
	if (!(l.conn = connect_as(u, user, password, name, (unsigned)((limit + 999) / 1000), err))) {
		sd_err_prefix(err, "scratch database, as its restricted user: ");
		return SD_ECONNECT;
	}
	l.own_db = dumped_database(text);
	slot = sd_scratch_enter(no_cancel, NULL);
	rc = run_dump(&l, path, text, err);
	sd_scratch_leave(slot);
	mysql_close(l.conn);
	free(l.own_db);
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
	char name[64], user[32], password[33], *text = NULL;
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
	/* MySQL user names end at 32 characters: the name's unique tail. */
	snprintf(user, sizeof(user), "schemad_%s", name + strlen(name) - 8);
	if ((rc = admin_exec(db, "CREATE DATABASE", name, err))) {
		sd_err_prefix(err, "--dev-url: cannot create a scratch database: ");
		goto out;
	}
	if ((rc = create_user(db, user, name, password, err)) == SD_OK)
		rc = load_and_read(out, db, path, text, name, user, password, &u, err);
	/* Dropped whatever happened above. */
	each_host(db, "DROP USER IF EXISTS", user, "", &drop_err);
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
