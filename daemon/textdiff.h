/*
 * daemon/textdiff.h: a short unified diff of two texts, for reports.
 */
#ifndef SD_TEXTDIFF_H
#define SD_TEXTDIFF_H

#include "util/sd_util.h"

/*
 * Appends the unified diff of before -> after (line based, "@@ -l,n +l,n
 * @@" hunks with two lines of context), each line prefixed by indent, at
 * most max_lines lines; a last line counts the changed lines left out.
 * NULL texts are empty. Returns the number of lines written.
 */
size_t sd_textdiff(
        sd_str *out, const char *before, const char *after, const char *indent, size_t max_lines);

#endif
