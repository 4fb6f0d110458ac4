/*
 * model/sd_model.h: the normalized schema model, shared by every engine.
 *
 * One sd_schema is one catalog snapshot. All of its strings and arrays live
 * in its arena and are released by sd_schema_free. The model knows no
 * engine: engine-specific facts travel as sorted key/value properties
 * (sd_prop), which the differ compares generically and each dialect reads.
 *
 * Collections are kept sorted (sd_schema_sort) with the same comparators
 * the differ merge-walks with, so a diff is O(n + m).
 */
#ifndef SD_MODEL_H
#define SD_MODEL_H

#include "util/sd_util.h"

#define SD_SNAPSHOT_FORMAT  "schemad.snapshot"
/* Version 2: a PostgreSQL key's index may come without its definition (the
 * constraint's text says it all). Version 1 files are read as they were. */
#define SD_SNAPSHOT_VERSION     2
#define SD_SNAPSHOT_VERSION_MIN 1

/*
 * Engine-specific attribute, e.g. {"strict","true"} or {"engine","InnoDB"}.
 * Two keys are environment facts, compared only on request (sd_diff_opts):
 * "owner" (a role name) and "privileges" (one grant per line, sorted, in
 * the engine's words: "SELECT TO \"app\"", "UPDATE TO PUBLIC WITH GRANT
 * OPTION"). A third, "form" on a constraint or an index, says how it was
 * written where the engine keeps and shows a spelling that does not change
 * what it does (MariaDB: "on column qty" for a CHECK written on a column,
 * "ON DELETE NO ACTION" spelled out on a foreign key); absent means the
 * engine's plain form. The differ reports it as a cosmetic change of its
 * own (*.form), never as a change of meaning.
 */
typedef struct sd_prop {
	const char *key;
	const char *value;
} sd_prop;

typedef struct sd_props {
	sd_prop *items; /* sorted by key, keys unique */
	size_t n_items;
} sd_props;

typedef struct sd_column {
	const char *name;
	const char *type;          /* canonical type text (connector-normalized) */
	bool not_null;
	const char *default_expr;  /* canonical expression; NULL when none */
	const char *generated;     /* generation expression; NULL when not generated */
	bool generated_stored;     /* STORED (true) or VIRTUAL (false) */
	const char *identity;      /* "always", "by default", "autoincrement"...; NULL when none */
	const char *collation;     /* NULL when the default */
	const char *comment;
	int position;              /* 1-based, in table order */
	sd_props props;
} sd_column;

typedef enum sd_con_type {
	SD_CON_PRIMARY,
	SD_CON_UNIQUE,
	SD_CON_FOREIGN,
	SD_CON_CHECK,
	SD_CON_EXCLUDE,
	SD_CON__COUNT
} sd_con_type;

typedef struct sd_constraint {
	const char *key;           /* match key: the name, or the definition when auto-named */
	const char *name;          /* as in the catalog; NULL when the engine keeps none */
	bool name_generated;       /* the engine picked the name: match by definition */
	sd_con_type type;
	const char **columns;
	size_t n_columns;
	const char *ref_schema;    /* FOREIGN KEY target */
	const char *ref_table;
	const char **ref_columns;
	size_t n_ref_columns;
	const char *on_update;     /* canonical action words, NULL = engine default */
	const char *on_delete;
	const char *match;
	bool deferrable, initially_deferred;
	const char *expr;          /* CHECK expression or EXCLUDE definition */
	sd_props props;
} sd_constraint;

typedef struct sd_index_key {
	const char *column;        /* column name, or NULL for an expression */
	const char *expr;          /* canonical expression when column is NULL */
	bool desc;
	const char *nulls;         /* "first" / "last" when not the default */
	const char *collation;
	const char *opclass;
} sd_index_key;

typedef struct sd_index {
	const char *key;           /* match key (see sd_constraint.key) */
	const char *name;
	bool name_generated;
	bool unique;
	bool constraint_backed;    /* owned by a PRIMARY KEY / UNIQUE constraint */
	const char *method;        /* NULL = engine default (btree) */
	sd_index_key *keys;
	size_t n_keys;
	const char **include;
	size_t n_include;
	const char *predicate;     /* partial index WHERE, canonical */
	const char *definition;    /* the engine's own CREATE INDEX text, for the plan */
	sd_props props;
} sd_index;

typedef struct sd_table {
	const char *schema;        /* "" for engines without schemas */
	const char *name;
	sd_column *columns;        /* in position order */
	size_t n_columns;
	sd_constraint *constraints;/* sorted by (type, key) */
	size_t n_constraints;
	sd_index *indexes;         /* sorted by key */
	size_t n_indexes;
	const char *comment;
	const char *definition;    /* the engine's CREATE TABLE text, for the plan */
	sd_props props;
} sd_table;

/* Kinds of objects other than tables, in creation rank order. */
typedef enum sd_obj_kind {
	SD_OBJ_SCHEMA,
	SD_OBJ_EXTENSION,
	SD_OBJ_TYPE,
	SD_OBJ_SEQUENCE,
	SD_OBJ_FUNCTION,
	SD_OBJ_VIEW,
	SD_OBJ_MATVIEW,
	SD_OBJ_TRIGGER,
	SD_OBJ_POLICY,
	SD_OBJ_EVENT,
	SD_OBJ__COUNT
} sd_obj_kind;

/* An object compared by its canonical definition (views, triggers, ...). */
typedef struct sd_object {
	sd_obj_kind kind;
	const char *schema;
	const char *name;
	const char *signature;     /* function argument types; "" otherwise */
	const char *table;         /* owning table for triggers and policies; NULL otherwise */
	const char *definition;    /* canonical text, compared */
	const char *ddl;           /* the engine's CREATE text, for the plan (not compared) */
	const char **depends;      /* names of objects it references (same schema unless dotted) */
	size_t n_depends;
	/*
	 * Columns it reads, "schema.table.column" ("schema.table.*" for a whole
	 * row), when the engine records them (reads_known): a plan recreates a
	 * view, trigger or policy only when a column it reads changes. Not
	 * compared.
	 */
	const char **reads;
	size_t n_reads;
	bool reads_known;
	sd_props props;
} sd_object;

typedef struct sd_schema {
	sd_arena arena;            /* owns every string and array below */
	const char *engine;        /* "sqlite", "postgres", "mysql" */
	const char *source;        /* where it was read, credentials removed */
	sd_table *tables;          /* sorted by (schema, name) */
	size_t n_tables;
	sd_object *objects;        /* sorted by (kind, schema, name, signature) */
	size_t n_objects;
	sd_props props;
} sd_schema;

/*
 * A table's parts while a reader collects them (every connector, and tests
 * that build schemas in memory): growable vectors, moved into the schema's
 * arena once complete.
 */
typedef struct sd_table_parts {
	SD_VEC(sd_column) cols;
	SD_VEC(sd_constraint) cons;
	SD_VEC(sd_index) idx;
} sd_table_parts;

/* Copies the parts into t (in a) and empties them; they stay usable. */
void sd_table_parts_move(sd_table_parts *p, sd_table *t, sd_arena *a);
void sd_table_parts_dispose(sd_table_parts *p);

/* Returns an empty schema for engine; caller frees with sd_schema_free. */
sd_schema *sd_schema_new(const char *engine);
void sd_schema_free(sd_schema *s);

/*
 * Puts every collection in canonical order and fills missing match keys.
 * Connectors call it once after filling a schema; idempotent.
 */
void sd_schema_sort(sd_schema *s);

/* Lookups by binary search in a sorted schema; NULL when absent. */
const sd_table *sd_schema_find_table(const sd_schema *s, const char *schema, const char *name);
const sd_object *sd_schema_find_object(const sd_schema *s, sd_obj_kind kind, const char *schema,
				       const char *name);
const sd_object *sd_schema_find_object_sig(const sd_schema *s, sd_obj_kind kind, const char *schema,
					   const char *name, const char *signature);
const sd_column *sd_table_find_column(const sd_table *t, const char *name);
const char *sd_props_get(const sd_props *p, const char *key);

/* Comparators used by both sd_schema_sort and the differ. */
int sd_model_cmp_qualname(const char *schema_a, const char *name_a, const char *schema_b,
			  const char *name_b);
int sd_model_cmp_table(const void *a, const void *b);
int sd_model_cmp_object(const void *a, const void *b);
int sd_model_cmp_constraint(const void *a, const void *b);
int sd_model_cmp_index(const void *a, const void *b);

/* Builders: copy into the schema's arena. */
void sd_props_set(sd_arena *a, sd_props *p, const char *key, const char *value);
const char **sd_arena_strv(sd_arena *a, const char *const *v, size_t n);
/* Two string arrays hold the same strings in the same order (NULL-safe items). */
bool sd_strv_eq(const char *const *a, size_t na, const char *const *b, size_t nb);

/* Stable names for printing and JSON. */
const char *sd_obj_kind_name(sd_obj_kind k);        /* "view", "trigger", ... */
int sd_obj_kind_from_name(const char *name);        /* -1 when unknown */
const char *sd_con_type_name(sd_con_type t);        /* "primary key", "unique", ... */
const char *sd_con_type_id(sd_con_type t);          /* "primary_key", "unique", ... */
int sd_con_type_from_id(const char *id);

/* Canonical text of a constraint / index, used as match key when auto-named. */
char *sd_constraint_signature(sd_arena *a, const sd_constraint *c);
char *sd_index_signature(sd_arena *a, const sd_index *ix);

/* ---- snapshot JSON (jansson) ----------------------------------------- */

/*
 * Serializes s as deterministic snapshot JSON: the same schema always
 * gives the same bytes. Returns a heap string the caller frees.
 */
char *sd_snapshot_write(const sd_schema *s);
/* The same, its header saying version (the schema fingerprint hashes version 1). */
char *sd_snapshot_write_as(const sd_schema *s, int version);

/*
 * Parses snapshot JSON. On success *out is a sorted schema the caller frees
 * with sd_schema_free. On failure returns SD_EINPUT, sets err naming the
 * reason (with line/column for syntax errors), and *out is NULL.
 */
int sd_snapshot_read(sd_schema **out, const char *text, size_t len, sd_err *err);

/*
 * Every text of s is valid UTF-8 (JSON, snapshots and reports hold nothing
 * else). Otherwise SD_EINPUT naming the object and the field, bytes shown
 * as \xHH (model/text.c).
 */
int sd_schema_check_text(const sd_schema *s, sd_err *err);

#endif
