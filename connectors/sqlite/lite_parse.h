/*
 * connectors/sqlite/lite_parse.h: what SQLite's pragmas do not tell,
 * read from the CREATE TABLE and CREATE INDEX text in sqlite_schema.
 */
#ifndef SD_LITE_PARSE_H
#define SD_LITE_PARSE_H

#include "connectors/sd_engine.h"
#include "model/sd_model.h"

typedef struct lite_coldef {
	const char *name;          /* folded */
	const char *collation;     /* upper case, NULL when not given */
	const char *generated;     /* canonical expression */
	bool stored;
	bool autoincrement;
	const char *not_null_conflict;
	const char *def_sql;       /* the column definition as written, for ADD COLUMN */
} lite_coldef;

typedef struct lite_condef {
	sd_con_type type;
	const char *name;          /* folded; NULL when unnamed */
	const char **columns;      /* folded */
	size_t n_columns;
	const char *expr;          /* CHECK, canonical */
	const char *ref_table;     /* folded */
	bool deferrable, initially_deferred;
	const char *conflict;      /* ON CONFLICT resolution, lower case */
	bool desc;                 /* column PRIMARY KEY DESC */
} lite_condef;

typedef struct lite_tabledef {
	lite_coldef *cols;
	size_t n_cols;
	lite_condef *cons;
	size_t n_cons;
} lite_tabledef;

/* Parses a CREATE TABLE statement; everything goes to arena a. */
void sd_lite__parse_table(lite_tabledef *out, sd_arena *a, const char *sql);

typedef struct lite_indexdef {
	const char **exprs;        /* canonical text of each key, ASC/DESC/COLLATE stripped */
	size_t n_exprs;
	const char *predicate;     /* canonical WHERE, NULL when not partial */
} lite_indexdef;

void sd_lite__parse_index(lite_indexdef *out, sd_arena *a, const char *sql);

/*
 * Appends sql (a CREATE TABLE statement) to out with the table's name
 * replaced by the quoted new_name. Returns false when no name is found.
 */
bool sd_lite__rename_create(sd_str *out, const char *sql, const char *new_name);
/* The table name a CREATE TABLE statement declares, unquoted, case kept. */
char *sd_lite__create_name(sd_arena *a, const char *sql);

/* True when text mentions the identifier name (ASCII case-insensitive). */
bool sd_lite__mentions(const char *text, const char *name);

/* Reads the schema of an open connection (lite_introspect.c). */
struct sqlite3;
int sd_lite__introspect_db(sd_schema **out, struct sqlite3 *db, const char *label, sd_err *err);
/* The file a sqlite: URL names into path; SD_ECONFIG when it names none. */
int sd_lite__url_path(sd_str *path, const sd_url *u, sd_err *err);
/* Runs a plan on the file (lite_apply.c): the engine's apply. */
int sd_lite__apply(const sd_url *u, const char *plan, const sd_apply_opts *o, sd_apply_result *res,
		   sd_err *err);
/* Process-wide SQLite settings, applied once before the first connection. */
void sd_lite__configure(void);
/* sd_lite_load_dump on text already read; path only names it in messages. */
int sd_lite__load_dump_text(sd_schema **out, const char *path, const char *text, long long limit_ms,
			    sd_err *err);

/* Canonical form of a whole expression or statement text. */
char *sd_lite__canon_sql(sd_arena *a, const char *sql);

#endif
