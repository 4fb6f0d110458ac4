/*
 * connectors/source.c: dispatch a SOURCE to its engine (through the
 * registry) or the snapshot reader, name the input once in every error,
 * and record the (redacted) source in the schema.
 */
#include "connectors/sd_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Library messages may quote what they were given: take the secrets out. */
static void
scrub(sd_err *err, const sd_url *u)
{
	char *clean = sd_url_scrub(u, err->msg);

	snprintf(err->msg, sizeof(err->msg), "%s", clean);
	free(clean);
}

static int
load_url(sd_schema **out, const char *spec, const sd_conn_opts *conn, sd_err *err)
{
	char *shown = sd_url_redact(spec);
	const sd_engine *e;
	sd_url u;
	int rc;

	if ((rc = sd_url_parse(&u, spec, err))) {
		sd_err_prefix(err, "%s: ", shown);
		free(shown);
		return rc;
	}
	e = sd_engine_for_scheme(u.scheme);
	if (!e || !e->introspect)
		rc = sd_err_set(err, SD_ECONFIG,
		                "unknown source scheme \"%s\" (expected %s, or a "
		                "snapshot file)",
		                u.scheme, sd_engine_schemes_text());
	else if ((rc = e->introspect(out, &u, conn, err)) == SD_OK)
		(*out)->source = sd_arena_strdup(&(*out)->arena, shown);
	if (rc) {
		scrub(err, &u);
		sd_err_prefix(err, "%s: ", shown);
	}
	sd_url_dispose(&u);
	free(shown);
	return rc;
}

static int
load_dump(sd_schema **out, const char *path, const sd_source_opts *o, sd_err *err)
{
	const sd_engine *e = sd_engine_for_name(o->dialect);
	sd_url dev = {0};
	int rc;

	if (!o->dialect)
		return sd_err_set(err, SD_ECONFIG, "%s: a SQL dump needs --dialect %s", path,
		                  sd_engine_dialects_text());
	if (!e || !e->load_dump)
		return sd_err_set(err, SD_EUNSUPPORTED,
		                  "%s: dumps for dialect \"%s\" are not "
		                  "supported (expected %s)",
		                  path, o->dialect, sd_engine_dialects_text());
	if (o->dev_url && (rc = sd_url_parse(&dev, o->dev_url, err))) {
		char *shown = sd_url_redact(o->dev_url);
		sd_err_prefix(err, "--dev-url %s: ", shown);
		free(shown);
		return rc;
	}
	rc = e->load_dump(out, path, o->dev_url ? &dev : NULL, &o->conn, err);
	if (rc)
		scrub(err, &dev);
	sd_url_dispose(&dev);
	return rc;
}

/* A scheme is letters before ':' with no '/' ahead of it ("C:/x" aside, not a Debian case). */
static bool
looks_like_url(const char *spec)
{
	const char *colon = strchr(spec, ':'), *slash = strchr(spec, '/');

	return colon && colon > spec && (!slash || colon < slash);
}

int
sd_source_load(sd_schema **out, const char *spec, const sd_source_opts *opts, sd_err *err)
{
	static const sd_source_opts defaults = {.conn = SD_CONN_OPTS_DEFAULT};
	const sd_source_opts *o = opts ? opts : &defaults;
	int rc;

	*out = NULL;
	if (sd_source_is_dump(spec))
		rc = load_dump(out, spec, o, err);
	else if (looks_like_url(spec))
		rc = load_url(out, spec, &o->conn, err);
	else
		rc = load_snapshot(out, spec, err);
	/* Text that is not UTF-8 cannot go into JSON: refused, never dropped silently. */
	if (rc == SD_OK && (rc = sd_schema_check_text(*out, err))) {
		char *shown = sd_url_redact(spec);
		sd_err_prefix(err, "%s: ", shown);
		free(shown);
		sd_schema_free(*out);
		*out = NULL;
	}
	return rc;
}

bool
sd_source_is_dump(const char *spec)
{
	size_t n = strlen(spec);

	return n > 4 && strcmp(spec + n - 4, ".sql") == 0 && !strstr(spec, "://");
}
