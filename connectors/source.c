/*
 * connectors/source.c: dispatch a SOURCE to its connector or the snapshot
 * reader, and name the input in every error.
 */
#include "connectors/sd_source.h"

#include "connectors/pg/sd_pg.h"
#include "connectors/mysql/sd_mysql.h"
#include "connectors/mssql/sd_mssql.h"
#include "connectors/sqlite/sd_sqlite.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const sd_dialect *
sd_dialect_for(const char *engine)
{
	if (engine && strcmp(engine, "sqlite") == 0)
		return &sd_lite_dialect;
	if (engine && strcmp(engine, "postgres") == 0)
		return &sd_pg_dialect;
	if (engine && strcmp(engine, "mysql") == 0)
		return &sd_my_dialect;
	if (engine && strcmp(engine, "mssql") == 0)
		return &sd_ms_dialect;
	return NULL;
}

/* user:password@host -> user:***@host; nothing after '@' is secret. */
/*
 * The user-info part of spec: [*start, *end) is "user[:password]", or both
 * NULL. Passwords are not always percent-encoded, so it may hold '@' or
 * '/': it ends at the last '@' before the query. Redacting too much beats
 * leaking a piece of a password.
 */
static void
userinfo(const char *spec, const char **start, const char **end)
{
	const char *scheme_end = strstr(spec, "://"), *q, *at = NULL;

	*start = *end = NULL;
	if (!scheme_end)
		return;
	q = scheme_end + 3 + strcspn(scheme_end + 3, "?#");
	for (const char *p = scheme_end + 3; p < q; p++)
		if (*p == '@')
			at = p;
	if (at) {
		*start = scheme_end + 3;
		*end = at;
	}
}

/* Query parameters that hold secrets in libpq and MySQL URLs. */
static bool
secret_param(const char *p)
{
	return strncasecmp(p, "password=", 9) == 0 || strncasecmp(p, "sslpassword=", 12) == 0;
}

bool
sd_source_has_password(const char *spec)
{
	const char *start, *end, *q;

	userinfo(spec, &start, &end);
	if (start && memchr(start, ':', (size_t)(end - start)))
		return true;
	for (q = strchr(spec, '?'); q; q = strchr(q + 1, '&'))
		if (secret_param(q + 1))
			return true;
	return false;
}

char *
sd_source_redact(const char *spec)
{
	const char *start, *end, *colon = NULL, *q;
	sd_str s;

	userinfo(spec, &start, &end);
	if (start)
		colon = memchr(start, ':', (size_t)(end - start));
	sd_str_init(&s);
	if (colon) {
		sd_str_appendn(&s, spec, (size_t)(colon - spec));
		sd_str_append(&s, ":***");
		spec = end;
	}
	q = strchr(spec, '?');
	if (!q) {
		sd_str_append(&s, spec);
		return sd_str_detach(&s);
	}
	sd_str_appendn(&s, spec, (size_t)(q - spec));
	for (const char *p = q; *p;) {
		size_t n = strcspn(p + 1, "&") + 1;
		if (secret_param(p + 1)) {
			sd_str_appendn(&s, p, (size_t)(strchr(p, '=') - p) + 1);
			sd_str_append(&s, "***");
		} else {
			sd_str_appendn(&s, p, n);
		}
		p += n;
	}
	return sd_str_detach(&s);
}

static bool
has_scheme(const char *spec, const char *scheme)
{
	size_t n = strlen(scheme);

	return strncmp(spec, scheme, n) == 0 && spec[n] == ':';
}

/* sqlite:///abs/path -> /abs/path; sqlite:rel/path -> rel/path; sqlite://path -> path */
static const char *
sqlite_path(const char *spec)
{
	const char *p = spec + strlen("sqlite:");

	if (strncmp(p, "///", 3) == 0)
		return p + 2;
	if (strncmp(p, "//", 2) == 0)
		return p + 2;
	return p;
}

static int
load_snapshot(sd_schema **out, const char *path, sd_err *err)
{
	char *text;
	size_t len;
	int rc;

	if ((rc = sd_read_file(&text, &len, path, err)))
		return rc;
	rc = sd_snapshot_read(out, text, len, err);
	free(text);
	if (rc)
		sd_err_prefix(err, "%s: not a valid snapshot: ", path);
	return rc;
}

int
sd_source_load(sd_schema **out, const char *spec, sd_err *err)
{
	const char *colon = strchr(spec, ':'), *slash = strchr(spec, '/');
	char *shown;
	int rc;

	*out = NULL;
	if (has_scheme(spec, "sqlite")) {
		const char *path = sqlite_path(spec);
		if (!*path)
			return sd_err_set(err, SD_ECONFIG, "%s: no database path in the URL", spec);
		rc = sd_lite_introspect(out, path, err);
		if (rc)
			sd_err_prefix(err, "%s: ", path);
		return rc;
	}
	if (has_scheme(spec, "postgres") || has_scheme(spec, "postgresql")) {
		rc = sd_pg_introspect(out, spec, err);
		if (rc) {
			shown = sd_source_redact(spec);
			sd_err_prefix(err, "%s: ", shown);
			free(shown);
		}
		return rc;
	}
	/* MySQL and MariaDB: the connector parses the URL and names it, password removed. */
	if (has_scheme(spec, "mysql") || has_scheme(spec, "mariadb"))
		return sd_my_introspect(out, spec, err);
	/* A scheme is letters before ':' with no '/' ahead of it. */
	if (colon && colon > spec && (!slash || colon < slash)) {
		shown = sd_source_redact(spec);
		rc = sd_err_set(err, SD_ECONFIG,
				"%s: unknown source scheme \"%.*s\" (expected sqlite:, mysql:, mariadb:, or a "
				"snapshot file)",
				shown, (int)(colon - spec), spec);
		free(shown);
		return rc;
	}
	return load_snapshot(out, spec, err);
}

bool
sd_source_is_dump(const char *spec)
{
	size_t n = strlen(spec);

	return n > 4 && strcmp(spec + n - 4, ".sql") == 0 && !strstr(spec, "://");
}

int
sd_source_load_dump(sd_schema **out, const char *path, const char *dialect, const char *dev_url,
		    sd_err *err)
{
	*out = NULL;
	if (!dialect)
		return sd_err_set(err, SD_ECONFIG,
				  "%s: a SQL dump needs --dialect postgres|mysql|sqlite|mssql", path);
	if (strcmp(dialect, "sqlite") == 0)
		return sd_lite_load_dump(out, path, err);
	if (strcmp(dialect, "postgres") == 0)
		return sd_pg_load_dump(out, path, dev_url, err);
	if (strcmp(dialect, "mysql") == 0)
		return sd_my_load_dump(out, path, dev_url, err);
	if (strcmp(dialect, "mssql") == 0) /* a T-SQL script: read, no server */
		return sd_ms_load_script(out, path, err);
	return sd_err_set(err, SD_EUNSUPPORTED, "%s: dumps for dialect \"%s\" are not supported",
			  path, dialect);
}
