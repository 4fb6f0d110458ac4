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
