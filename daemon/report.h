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

/* Appends a Markdown report for a pull-request comment; plan may be NULL. */
void sd_report_markdown(sd_str *out, const sd_diff *d, const char *plan);

#endif
