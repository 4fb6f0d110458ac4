/*
 * daemon/plan_file.h: a reviewed plan, saved and loaded.
 *
 * `schemad diff FROM TO --format plan` writes one JSON document: the SQL a
 * reviewer reads, the changes with their risk (for apply's --allow gate),
 * the fingerprint of FROM's schema when the plan was made, and TO's
 * schema as a snapshot (what apply verifies against), and the filter the
 * diff went through (--include, --exclude, --ignore, --risk-override), so
 * that the verification leaves out what the plan was made to leave out,
 * and the options the SQL was made with (--concurrently, --compare).
 * `schemad apply --plan FILE FROM` runs that SQL only while FROM's schema
 * still has that fingerprint.
 */
#ifndef SD_PLAN_FILE_H
#define SD_PLAN_FILE_H

#include "diff/sd_diff.h"

#define SD_PLAN_FORMAT "schemad.plan"

typedef struct sd_plan_change {
	const char *kind;  /* "column.drop" */
	const char *label; /* "column users.phone" */
	int risk;
} sd_plan_change;

typedef struct sd_plan_file {
	sd_arena arena; /* owns every string and array here */
	const char *engine;
	const char *from_source; /* as recorded, credentials removed */
	char from_fingerprint[SD_FINGERPRINT_LEN + 1];
	const char *sql;
	sd_plan_change *changes;
	size_t n_changes;
	sd_schema *target;    /* TO's schema (owned: sd_schema_free) */
	sd_filter filter;     /* the diff's filter, empty when none (arrays in arena) */
	sd_diff_opts compare; /* what the diff compared beyond the schema */
	bool concurrently;    /* the SQL was made with --concurrently */
} sd_plan_file;

/*
 * Appends the plan document for d and its SQL (sd_report_plan_sql); opts
 * (may be NULL) holds the filter d went through and --concurrently, which
 * the document records so that apply --plan can make the same SQL again.
 */
void sd_plan_file_render(sd_str *out, const sd_diff *d, const char *sql, const sd_plan_opts *opts);

/* Reads a plan document; errors name path and what is wrong. */
int sd_plan_file_load(sd_plan_file **out, const char *path, sd_err *err);
void sd_plan_file_free(sd_plan_file *p);

#endif
