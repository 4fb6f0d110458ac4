/*
 * connectors/sd_source.h: turn a SOURCE argument into a schema.
 *
 * A SOURCE is a URL (sqlite:///abs/path.db, sqlite:relative/path.db) or a
 * snapshot JSON file. Each engine's knowledge stays in its own folder; this
 * file only dispatches on the scheme.
 */
#ifndef SD_SOURCE_H
#define SD_SOURCE_H

#include "diff/sd_diff.h"
#include "model/sd_model.h"

/*
 * Reads spec into *out (caller frees with sd_schema_free). On failure
 * returns a negative code, *out is NULL, and err holds a message that
 * names the input (credentials removed) and the reason.
 */
int sd_source_load(sd_schema **out, const char *spec, sd_err *err);

/*
 * Reads a SQL dump written for dialect: "sqlite" loads into an in-memory
 * database; "postgres" and "mysql" load into a scratch database created on
 * the server at dev_url and dropped afterwards. Same contract as
 * sd_source_load; a statement that fails to load names file and line.
 */
int sd_source_load_dump(sd_schema **out, const char *path, const char *dialect,
			const char *dev_url, sd_err *err);

/* True when spec names a SQL dump file (ends in .sql) rather than a URL or snapshot. */
bool sd_source_is_dump(const char *spec);

/* The dialect for an engine name ("sqlite", ...); NULL when unknown. */
const sd_dialect *sd_dialect_for(const char *engine);

/*
 * spec with any password replaced by *** (user:***@host, ?password=***),
 * for messages, logs and alerts. Caller frees.
 */
char *sd_source_redact(const char *spec);
/* True when spec holds a password (in its user info or its query). */
bool sd_source_has_password(const char *spec);

#endif
