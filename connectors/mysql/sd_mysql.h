/*
 * connectors/mysql/sd_mysql.h: the MySQL / MariaDB connector and dialect.
 */
#ifndef SD_MYSQL_H
#define SD_MYSQL_H

#include "connectors/sd_engine.h"
#include "diff/sd_diff.h"
#include "model/sd_model.h"

/*
 * Reads the schema named by url (mysql://user[:password]@host[:port]/db or
 * mariadb://..., with ?socket=/path, ?ssl-mode=required|verify-ca|
 * verify-identity, ?ssl-ca=/path, ?connect-timeout=S, ?statement-timeout=S)
 * in one read-only transaction, with a constant number of information_schema
 * queries filtered to that database. On success *out is a sorted schema the
 * caller frees with sd_schema_free. On failure returns SD_ECONFIG (bad URL),
 * SD_ECONNECT, SD_ETIMEOUT or SD_EQUERY, *out is NULL, and err never holds
 * the password.
 */
int sd_my_introspect(sd_schema **out, const sd_url *url, const sd_conn_opts *opts, sd_err *err);

/* The catalog statements introspection runs, NULL-terminated, for a flavor
 * ("mariadb" or "mysql"); each takes the schema name as its one parameter. */
const char *const *sd_my_catalog_queries(const char *flavor);

/*
 * Loads a mysqldump file into a scratch database created on the server at
 * dev_url, reads its schema, and drops the scratch database on every path
 * (also on Ctrl-C). A failing statement gives "path:line: message"
 * (SD_EINPUT). Same ownership contract as sd_my_introspect.
 */
int sd_my_load_dump(sd_schema **out, const char *path, const sd_url *dev,
		    const sd_conn_opts *opts, sd_err *err);

/* The MySQL/MariaDB dialect: backtick quoting, plan rendering, engine costs. */
extern const sd_dialect sd_my_dialect;
/* The registry row (connectors/registry.c). */
extern const sd_engine sd_my_engine;

/* Appends id quoted with backticks, any backtick doubled. */
void sd_my_quote_ident(sd_str *s, const char *id);

#endif
