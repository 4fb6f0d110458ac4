/*
 * connectors/pg/sd_pg.h: the PostgreSQL connector (libpq) and dialect.
 */
#ifndef SD_PG_H
#define SD_PG_H

#include "connectors/sd_engine.h"
#include "diff/sd_diff.h"
#include "model/sd_model.h"

/*
 * Reads the schema of the PostgreSQL database named by url (a libpq URI,
 * postgres:// or postgresql://; libpq's environment and ~/.pgpass apply)
 * in one REPEATABLE READ READ ONLY transaction, with a constant number of
 * catalog queries whatever the number of tables. On success *out is a
 * sorted schema the caller frees with sd_schema_free; on failure returns
 * SD_ECONNECT, SD_EQUERY or SD_ETIMEOUT, *out is NULL and err holds a
 * message that never contains a password.
 */
int sd_pg_introspect(sd_schema **out, const sd_url *url, const sd_conn_opts *opts, sd_err *err);

/*
 * Loads a plain pg_dump file into a scratch database created on the server
 * at dev_url, reads its schema, and drops the scratch database on every
 * path (also on Ctrl-C). A failing statement gives "path:line: message"
 * (SD_EINPUT). Same ownership contract as sd_pg_introspect.
 */
int sd_pg_load_dump(sd_schema **out, const char *path, const sd_url *dev,
		    const sd_conn_opts *opts, sd_err *err);

/* The PostgreSQL dialect: quoting, plan rendering, engine risk costs. */
extern const sd_dialect sd_pg_dialect;
/* The registry row (connectors/registry.c). */
extern const sd_engine sd_pg_engine;

/* Appends id as a PostgreSQL quoted identifier: "a""b". Always quotes. */
void sd_pg_quote_ident(sd_str *s, const char *id);

#endif
