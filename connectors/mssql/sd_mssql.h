/*
 * connectors/mssql/sd_mssql.h: SQL Server as T-SQL schema scripts.
 *
 * No live connection: SQL Server schemas are read from the scripts SSMS
 * "Generate Scripts", sqlpackage /a:Script or mssql-scripter write (or by
 * hand), and plans are T-SQL. A FreeTDS connector waits until a server
 * can be tested here.
 */
#ifndef SD_MSSQL_H
#define SD_MSSQL_H

#include "connectors/sd_engine.h"
#include "diff/sd_diff.h"
#include "model/sd_model.h"

/*
 * Reads the T-SQL script at path into *out (engine "mssql"), which the
 * caller frees with sd_schema_free. Statements that change a schema
 * (ALTER, DROP, sp_rename) apply to what the script created before them.
 * On failure returns SD_EINPUT (or the read error) with "path:line:
 * reason", and *out is NULL.
 */
int sd_ms_load_script(sd_schema **out, const char *path, sd_err *err);

/* The same for script text in memory; label names it in messages. */
int sd_ms_read_text(sd_schema **out, const char *text, const char *label, sd_err *err);

/* The SQL Server dialect: bracket quoting, T-SQL plans, engine risk costs. */
extern const sd_dialect sd_ms_dialect;

/* The registry row: name "mssql", no URL schemes, scripts only. */
extern const sd_engine sd_ms_engine;

/* Appends id as [id] with ] doubled. */
void sd_ms_quote_ident(sd_str *s, const char *id);

#endif
