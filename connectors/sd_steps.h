/*
 * connectors/sd_steps.h: a plan's statements, as the appliers hold them.
 *
 * Each engine cuts its plan text into statements with its own lexer (see
 * sd_apply_opts in sd_engine.h for why the text is the input); what they
 * share is here: the list of statements, the blank/comment skipping the
 * three dialects agree on (whitespace, "-- " lines, slash-star blocks),
 * and the test for the transaction frame a plan spells out, which the
 * applier replaces with its own.
 */
#ifndef SD_STEPS_H
#define SD_STEPS_H

#include "util/sd_util.h"

typedef struct sd_step {
	const char *sql; /* into the plan text: not NUL-terminated */
	size_t len;      /* up to and excluding the statement's terminator */
	int phase;       /* the engine's own: before, inside or after its transaction */
} sd_step;

typedef SD_VEC(sd_step) sd_steps;

/* Past whitespace and comments from p (at most end). MySQL's slash-star-bang is code. */
const char *sd_steps_skip_blank(const char *p, const char *end);

/*
 * Adds [p, end) as a step unless it is only blank; leading comments are
 * dropped (the plan's reasons, not SQL) and trailing blanks trimmed.
 */
void sd_steps_add(sd_steps *steps, const char *p, const char *end, int phase);

/*
 * True when the statement is the words of frame, ignoring case, comments
 * and runs of blanks: sd_steps_is(s, "PRAGMA foreign_keys = OFF").
 */
bool sd_steps_is(const sd_step *s, const char *frame);

/* The statement as a C string, for messages and progress (caller frees). */
char *sd_steps_text(const sd_step *s);

#endif
