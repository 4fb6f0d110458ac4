/*
 * connectors/sqlite/sd_sqlite.h: the SQLite connector and dialect.
 */
#ifndef SD_SQLITE_H
#define SD_SQLITE_H

#include "connectors/sd_engine.h"
#include "diff/sd_diff.h"
#include "model/sd_model.h"

/*
 * Reads the schema of the SQLite database at path, opened read-only, in
 * one read transaction with a constant number of statements, waiting up to
 * busy_timeout_ms for a writer's lock. On success
 * *out is a sorted schema the caller frees with sd_schema_free; on failure
 * returns SD_ECONNECT (cannot open, not a database) or SD_EQUERY and *out
 * is NULL.
 */
int sd_lite_introspect(sd_schema **out, const char *path, long long busy_timeout_ms, sd_err *err);

/*
 * Loads a SQL dump (sqlite3 .schema or .dump output) into an in-memory
 * database and reads its schema. A statement that fails gives
 * "path:line: message" and SD_EINPUT; one that runs longer than limit_ms
 * (a recursive CTE never ends) is stopped: SD_ETIMEOUT.
 */
int sd_lite_load_dump(sd_schema **out, const char *path, long long limit_ms, sd_err *err);

/* The catalog statements introspection runs, NULL-terminated (for bench/). */
const char *const *sd_lite_catalog_queries(void);

/* The SQLite dialect: quoting, plan rendering, engine risk costs. */
extern const sd_dialect sd_lite_dialect;
/* The registry row (connectors/registry.c). */
extern const sd_engine sd_lite_engine;

#endif
