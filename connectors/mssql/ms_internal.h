/*
 * connectors/mssql/ms_internal.h: what the files of the SQL Server
 * connector share: the database a script builds up statement by statement
 * (mutable, unlike sd_schema), the statement parser's cursor, and the
 * normalizers.
 *
 * The reader is also the applier: it runs a script of CREATE, ALTER, DROP
 * and sp_rename statements against this state, so "FROM's script followed
 * by a plan" reads as the schema the plan leaves behind.
 */
#ifndef SD_MS_INTERNAL_H
#define SD_MS_INTERNAL_H

#include "connectors/mssql/ms_lex.h"
#include "model/sd_model.h"

typedef struct ms_col {
	const char *name;
	const char *type; /* canonical; NULL for a computed column */
	bool not_null;
	const char *default_expr; /* stored form: ((0)), ('x'), (getdate()) */
	const char *default_name; /* as written, NULL when unnamed */
	const char *computed;     /* stored form of AS (...) */
	bool persisted;
	const char *identity; /* "identity(1,1)" */
	const char *collation;
	const char *comment;
	bool rowguidcol, sparse, identity_nfr;
} ms_col;

/* A PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK, with SQL Server's extras. */
typedef struct ms_con {
	sd_constraint c;       /* name NULL when unnamed; ref_columns may be NULL until resolved */
	bool clustered;        /* PRIMARY KEY / UNIQUE */
	const char *key_order; /* "AD": ASC or DESC per key column, NULL when all ASC */
	bool not_trusted;      /* added WITH NOCHECK */
	bool disabled;         /* NOCHECK CONSTRAINT */
	bool not_for_replication;
	bool clus_unset; /* neither CLUSTERED nor NONCLUSTERED written yet */
	int line;        /* where it was declared, for late errors */
} ms_con;

typedef struct ms_table {
	const char *schema, *name;
	SD_VEC(ms_col) cols;
	SD_VEC(ms_con) cons;
	SD_VEC(sd_index) idx;
	const char *comment;
	bool dropped;
} ms_table;

typedef struct ms_obj {
	sd_object o;
	const char *module; /* "procedure" / "function" for SD_OBJ_FUNCTION */
	const char *comment;
	bool dropped;
} ms_obj;

/* Open-addressing map from a case-folded "schema.name" to a pointer. */
typedef struct ms_map {
	const char **keys;
	void **vals;
	size_t cap, used;
} ms_map;

/* An unnamed constraint a plan drops by catalog lookup (DECLARE ... EXEC). */
typedef struct ms_pending {
	const char *var;     /* the variable, lower case */
	const char *catalog; /* default_constraints, foreign_keys, ... */
	const char *schema, *table;
	const char *key; /* column name, column list or definition */
} ms_pending;

typedef struct ms_db {
	sd_arena *a; /* the result schema's arena: every string lives here */
	SD_VEC(ms_table *) tables;
	SD_VEC(ms_obj *) objs;
	ms_map table_map, obj_map, type_map;
	SD_VEC(ms_pending) pending;
} ms_db;

/* The statement parser's cursor over one script. */
typedef struct ms_parser {
	ms_db *db;
	const char *path; /* for messages */
	const char *text;
	ms_tok *t;
	size_t n, i;
	size_t batch_end; /* index of the GO (or n) ending the current batch */
	sd_err *err;
} ms_parser;

/* ---- ms_read.c --------------------------------------------------------- */

void sd_ms__db_init(ms_db *db, sd_arena *a);
void sd_ms__db_dispose(ms_db *db);
/* Runs a whole script against db; errors name path:line. */
int sd_ms__run(ms_db *db, const char *path, const char *text, sd_err *err);

const ms_tok *sd_ms__peek(ms_parser *p, size_t ahead);
bool sd_ms__accept(ms_parser *p, const char *word);
/* Steps over one token; returns SD_OK. */
int sd_ms__skip_one(ms_parser *p);
/* How a token is named in a message: 'x', or the end of the batch. */
const char *sd_ms__near(ms_parser *p, const ms_tok *t);
int sd_ms__expect(ms_parser *p, const char *word);
int sd_ms__fail(ms_parser *p, const ms_tok *at, const char *fmt, ...) SD_PRINTF(3, 4);
/* [db.][schema.]name; schema defaults to dbo. */
int sd_ms__qualname(ms_parser *p, const char **schema, const char **name);
int sd_ms__name(ms_parser *p, const char **out);
bool sd_ms__at_statement_end(ms_parser *p);
/* Skips WITH (...) options and ON/TEXTIMAGE_ON filegroups (storage, not schema). */
void sd_ms__skip_storage(ms_parser *p);

ms_table *sd_ms__find_table(ms_db *db, const char *schema, const char *name);
ms_obj *sd_ms__find_obj(ms_db *db, const char *schema, const char *name);
void sd_ms__map_put(ms_map *m, sd_arena *a, const char *schema, const char *name, void *val);
void *sd_ms__map_get(const ms_map *m, const char *schema, const char *name);
ms_col *sd_ms__find_col(ms_table *t, const char *name);
bool sd_ms__ieq(const char *a, const char *b);

/* ---- ms_objects.c ------------------------------------------------------ */

int sd_ms__create_module(ms_parser *p, const ms_tok *start, bool or_alter, bool alter);
int sd_ms__create_sequence(ms_parser *p, const ms_tok *start);
int sd_ms__create_type(ms_parser *p, const ms_tok *start);
int sd_ms__create_schema(ms_parser *p, const ms_tok *start);
int sd_ms__drop(ms_parser *p, const ms_tok *start);
int sd_ms__exec(ms_parser *p, const ms_tok *start);
int sd_ms__declare(ms_parser *p, const ms_tok *start);

/* ---- ms_sequence.c ----------------------------------------------------- */

/* CREATE SEQUENCE's options, SQL Server's defaults filled in, as T-SQL text. */
int sd_ms__sequence_options(ms_parser *p, const char **out);

/* ---- ms_table.c -------------------------------------------------------- */

int sd_ms__create_table(ms_parser *p, const ms_tok *start);
int sd_ms__create_index(ms_parser *p, const ms_tok *start);
int sd_ms__alter_table(ms_parser *p, const ms_tok *start);
/* Drops a PK/UNIQUE/FK/CHECK or DEFAULT constraint by name; false when absent. */
bool sd_ms__drop_constraint(ms_table *t, const char *name);
void sd_ms__drop_con_at(ms_table *t, size_t k);

/* ---- ms_canon.c -------------------------------------------------------- */

/* Canonical type of the type tokens [from, to); user types come back [schema].[name]. */
const char *sd_ms__type(sd_arena *a, const ms_tok *t, size_t from, size_t to);
/* SQL Server's stored form of an expression: ([qty]>=(0)), ((0)), (getdate()). */
const char *sd_ms__stored_expr(sd_arena *a, const ms_tok *t, size_t from, size_t to);
/* Same, for expression text (plans and unit tests). */
const char *sd_ms__stored_text(sd_arena *a, const char *text);
/* True for the names SQL Server makes up: PK__users__3213E83F1A2B3C4D. */
bool sd_ms__is_system_name(const char *name);

/* ---- ms_build.c -------------------------------------------------------- */

/* Fills s (engine "mssql") from db and sorts it; a dangling foreign key is an error. */
int sd_ms__build(sd_schema *s, ms_db *db, const char *path, sd_err *err);

#endif
