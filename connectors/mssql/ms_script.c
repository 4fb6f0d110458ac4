/*
 * connectors/mssql/ms_script.c: a T-SQL script file as a source.
 */
#include "connectors/mssql/sd_mssql.h"

#include "connectors/mssql/ms_internal.h"

#include <stdlib.h>

int
sd_ms_read_text(sd_schema **out, const char *text, const char *label, sd_err *err)
{
	sd_schema *s = sd_schema_new("mssql");
	ms_db db;
	int rc;

	*out = NULL;
	s->source = sd_arena_strdup(&s->arena, label);
	sd_ms__db_init(&db, &s->arena);
	rc = sd_ms__run(&db, label, text, err);
	if (rc == SD_OK)
		rc = sd_ms__build(s, &db, label, err);
	sd_ms__db_dispose(&db);
	if (rc) {
		sd_schema_free(s);
		return rc;
	}
	*out = s;
	return SD_OK;
}

int
sd_ms_load_script(sd_schema **out, const char *path, sd_err *err)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = sd_read_file(&text, &len, path, err)))
		return rc;
	rc = sd_ms_read_text(out, text, path, err);
	free(text);
	return rc;
}

/* A script needs no scratch server and no timeouts: it is read, not run. */
static int
load_dump(
        sd_schema **out, const char *path, const sd_url *dev, const sd_conn_opts *opts, sd_err *err)
{
	(void)dev;
	(void)opts;
	return sd_ms_load_script(out, path, err);
}

static const char *const no_schemes[] = {NULL};

/* No introspect: a live connection (FreeTDS) waits until a server can be tested. */
const sd_engine sd_ms_engine = {
        .name = "mssql",
        .schemes = no_schemes,
        .url_authority = false,
        .url_example = NULL,
        .dialect = &sd_ms_dialect,
        .introspect = NULL,
        .load_dump = load_dump,
};
