/*
 * fuzz/fuzz_snapshot.c: the snapshot reader, and what it hands on.
 *
 * Any input is read; one that reads must write back to bytes that read
 * again to the same bytes (the writer is deterministic and the reader
 * keeps everything), and must diff and plan against an empty schema of
 * its engine in both directions without a crash: the reader is where a
 * planner's assumptions are checked.
 */
#include "connectors/sd_source.h"
#include "model/sd_model.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
plan_both_ways(const sd_schema *s)
{
	const sd_dialect *dialect = sd_dialect_for(s->engine);
	sd_schema *empty = sd_schema_new(s->engine);
	const sd_schema *pairs[2][2] = {{s, empty}, {empty, s}};

	for (int i = 0; i < 2 && dialect; i++) {
		sd_diff *d = sd_diff_schemas(pairs[i][0], pairs[i][1], dialect);
		sd_plan_opts opts = {0};
		sd_err err = {0};
		sd_str out;
		sd_str_init(&out);
		(void)dialect->plan(&out, d, &opts, &err);
		sd_str_dispose(&out);
		sd_diff_free(d);
	}
	sd_schema_free(empty);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sd_schema *s = NULL, *back = NULL;
	sd_err err = {0};
	char *json, *again;

	if (sd_snapshot_read(&s, (const char *)data, size, &err) != SD_OK)
		return 0;
	json = sd_snapshot_write(s);
	if (sd_snapshot_read(&back, json, strlen(json), &err) != SD_OK)
		abort(); /* what schemad writes, it must read */
	again = sd_snapshot_write(back);
	if (strcmp(json, again) != 0)
		abort(); /* a round trip loses or changes something */
	plan_both_ways(s);
	free(again);
	free(json);
	sd_schema_free(back);
	sd_schema_free(s);
	return 0;
}
