/*
 * connectors/sd_scratch.h: throwaway databases for loading SQL dumps.
 *
 * A dump of a server engine is loaded into a scratch database created for
 * the purpose on a development server, read like a live database, and
 * dropped, on every path. Ctrl-C (SIGINT) and SIGTERM during a load cancel
 * it and still drop the scratch database: while a load is active they are
 * handled here, then the previous handlers come back.
 */
#ifndef SD_SCRATCH_H
#define SD_SCRATCH_H

#include "util/sd_util.h"

/* A name no one else uses: schemad_scratch_<pid>_<random>. */
void sd_scratch_name(char out[64]);

/* Called from the signal handler: must be async-signal-safe (PQcancel is). */
typedef void (*sd_scratch_cancel_fn)(void *arg);

/* Registers a load in progress; returns a slot for sd_scratch_leave. */
int sd_scratch_enter(sd_scratch_cancel_fn cancel, void *arg);
void sd_scratch_leave(int slot);
/* True once SIGINT or SIGTERM arrived during a load. */
bool sd_scratch_interrupted(void);

/* The 1-based line of position pos in text. */
int sd_text_line(const char *text, const char *pos);

#endif
