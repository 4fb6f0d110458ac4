/*
 * daemon/page.h: the status page, server-rendered HTML with inline CSS.
 *
 * No JavaScript, no external resource: the page works in any browser and
 * behind any proxy. Every text that comes from a database, a
 * configuration or an error goes through sd_html_escape.
 */
#ifndef SD_PAGE_H
#define SD_PAGE_H

#include "diff/sd_diff.h"

#include <jansson.h>

/* Appends text with &, <, >, " and ' escaped. */
void sd_html_escape(sd_str *out, const char *text);

/* The overview: every pair of pairs (sd_status_pairs) in a table. */
void sd_page_index(sd_str *out, const json_t *pairs);

/*
 * One pair: its state, the changes of diff d grouped by object with their
 * risk (d may be NULL when nothing was read yet, with why), the plan
 * (may be NULL), and history (sd_status_history).
 */
void sd_page_pair(sd_str *out,
                  const json_t *pair,
                  const sd_diff *d,
                  const char *why,
                  const char *plan,
                  const json_t *history);

/* A small page for 404 and friends: title and message, escaped. */
void sd_page_message(sd_str *out, const char *title, const char *message);

#endif
