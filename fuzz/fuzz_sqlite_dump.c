/*
 * fuzz/fuzz_sqlite_dump.c: the SQLite dump reader (statements run in a
 * private in-memory database under an authorizer and a time limit, then
 * read back with the SQLite introspection and parser), and the plan from
 * an empty database to what it read.
 */
#include "connectors/sqlite/lite_parse.h"
#include "connectors/sqlite/sd_sqlite.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	sd_schema *s = NULL;
	sd_err err = {0};

	memcpy(text, data, size);
	text[size] = '\0';
	/* 1 s: a slow input is reported as a timeout, not a hang. */
	if (sd_lite__load_dump_text(&s, "fuzz.sql", text, 1000, &err) == SD_OK) {
		sd_schema *empty = sd_schema_new("sqlite");
		sd_diff *d = sd_diff_schemas(empty, s, &sd_lite_dialect);
		sd_plan_opts opts = {0};
		sd_str out;
		char *json = sd_snapshot_write(s);
		sd_str_init(&out);
		(void)sd_lite_dialect.plan(&out, d, &opts, &err);
		sd_str_dispose(&out);
		sd_diff_free(d);
		free(json);
		sd_schema_free(empty);
		sd_schema_free(s);
	}
	free(text);
	return 0;
}
