/*
 * daemon/report.h: render a diff for people (text) and programs (JSON).
 */
#ifndef SD_REPORT_H
#define SD_REPORT_H

#include "diff/sd_diff.h"

#define SD_REPORT_FORMAT  "schemad.report"
#define SD_REPORT_VERSION 1

/* Appends the text report; colour adds ANSI escapes for a terminal. */
void sd_report_text(sd_str *out, const sd_diff *d, bool colour);
/* Appends the JSON report (documented in docs/report-schema.json). */
void sd_report_json(sd_str *out, const sd_diff *d);

/* The JSON report as a jansson value (owned by the caller), to embed. */
struct json_t;
struct json_t *sd_report_json_value(const sd_diff *d);

/*
 * Appends a Markdown report for a pull-request comment under the heading
 * "### TITLE" (NULL: "schemad: schema drift"); plan may be NULL.
 */
void sd_report_markdown(sd_str *out, const sd_diff *d, const char *plan, const char *title);

/* Appends the Markdown section of a pair that could not be checked. */
void sd_report_markdown_error(sd_str *out, const char *title, const char *error);

typedef enum sd_format {
	SD_FORMAT_TEXT,
	SD_FORMAT_JSON,
	SD_FORMAT_SQL,
	SD_FORMAT_MARKDOWN,
	SD_FORMAT_PLAN /* the reviewed plan document of daemon/plan_file.h */
} sd_format;

/* Parses "text", "json", "sql", "markdown" or "plan"; false when unknown. */
bool sd_format_parse(sd_format *out, const char *name);

/*
 * Appends the SQL a plan document (--format plan) holds for d: the
 * dialect's plan, MySQL ALTERs naming their algorithm. apply --plan makes
 * it again to check that a saved plan's SQL is still this.
 */
int sd_report_plan_sql(sd_str *out, const sd_diff *d, bool concurrently, sd_err *err);

/*
 * Appends d in format f (colour: text for a terminal; title: Markdown
 * heading, may be NULL). SQL needs both sides of one engine with a plan
 * writer; otherwise err says why and nothing is appended.
 */
int sd_report_render(sd_str *out, const sd_diff *d, sd_format f, const sd_plan_opts *opts,
		     bool colour, const char *title, sd_err *err);

#endif
