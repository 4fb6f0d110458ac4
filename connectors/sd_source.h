/*
 * connectors/sd_source.h: turn a SOURCE argument into a schema.
 *
 * A SOURCE is a URL whose scheme an engine of the registry answers to
 * (sd_engine.h), a SQL dump (*.sql, with a dialect), or a snapshot JSON
 * file. This is the one place that tells them apart.
 */
#ifndef SD_SOURCE_H
#define SD_SOURCE_H

#include "connectors/sd_engine.h"

typedef struct sd_source_opts {
	sd_conn_opts conn;   /* timeouts, applied by every engine */
	const char *dialect; /* engine name of .sql dump sources; NULL otherwise */
	const char *dev_url; /* scratch server for dumps of server engines; may be NULL */
} sd_source_opts;

/*
 * Reads spec into *out (caller frees with sd_schema_free); opts NULL means
 * the default timeouts and no dump settings. A live read records spec,
 * password removed, as the schema's source. On failure returns a negative
 * code, *out is NULL, and err holds one message that names the input
 * (credentials removed) and the reason.
 */
int sd_source_load(sd_schema **out, const char *spec, const sd_source_opts *opts, sd_err *err);

/* True when spec names a SQL dump file (ends in .sql) rather than a URL or snapshot. */
bool sd_source_is_dump(const char *spec);

#endif
