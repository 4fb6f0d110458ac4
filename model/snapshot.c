/*
 * model/snapshot.c: snapshot JSON, read with jansson and written in jansson's layout.
 *
 * Deterministic: keys are emitted in a fixed order, collections in the
 * model's canonical order, absent values omitted, so the same schema gives
 * the same bytes and snapshots diff cleanly in git. The reader is strict:
 * every wrong type names its JSON path.
 */
#include "model/sd_model.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writer ---------------------------------------------------------- */

/*
 * The writer streams: a jansson tree of a 5,000-table schema costs more
 * memory than the model and half of an inspect's CPU (a hash table per
 * object, then a dump). The bytes are exactly those of jansson's
 * json_dumps(JSON_INDENT(2) | JSON_PRESERVE_ORDER) on the whole document:
 * the same layout and the same escapes (test_model checks it against
 * jansson), and jansson still reads every snapshot.
 */
typedef struct writer {
	sd_str *out;
	int depth;
	bool empty[12]; /* the open container at each depth has no member yet */
	/* depth never passes 7 (root, tables, table, indexes, index, keys, key) */
} writer;

static void
escaped(sd_str *out, const char *v)
{
	const char *run = v;

	sd_str_appendc(out, '"');
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;
		const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b"
				: c == '\f' ? "\\f" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
				: c == '\t' ? "\\t" : NULL;
		if (!esc && c >= 0x20)
			continue;
		sd_str_appendn(out, run, (size_t)(v - run));
		if (esc)
			sd_str_append(out, esc);
		else
			sd_str_appendf(out, "\\u%04X", c);
		run = v + 1;
	}
	sd_str_appendn(out, run, (size_t)(v - run));
	sd_str_appendc(out, '"');
}

/* A line break and the current depth's indentation (two spaces a level). */
static void
newline(writer *w)
{
	static const char indent[] = "\n                        ";

	sd_str_appendn(w->out, indent, 1 + 2 * (size_t)w->depth);
}

/* Starts a member: its separator, its line and indentation, its key. */
static void
member(writer *w, const char *key)
{
	if (!w->empty[w->depth])
		sd_str_appendc(w->out, ',');
	w->empty[w->depth] = false;
	newline(w);
	if (key) {
		escaped(w->out, key);
		sd_str_append(w->out, ": ");
	}
}

static void
open_(writer *w, const char *key, char bracket)
{
	if (w->depth > 0)
		member(w, key);
	sd_str_appendc(w->out, bracket);
	w->empty[++w->depth] = true;
}

static void
close_(writer *w, char bracket)
{
	if (!w->empty[w->depth--])
		newline(w);
	sd_str_appendc(w->out, bracket);
}

static void
put_str(writer *w, const char *key, const char *v)
{
	if (v) {
		member(w, key);
		escaped(w->out, v);
	}
}

static void
put_bool(writer *w, const char *key, bool v)
{
	if (v) {
		member(w, key);
		sd_str_append(w->out, "true");
	}
}

static void
put_int(writer *w, const char *key, long long v)
{
	member(w, key);
	sd_str_appendf(w->out, "%lld", v);
}

static void
put_strv(writer *w, const char *key, const char *const *v, size_t n, bool even_empty)
{
	if (!n && !even_empty)
		return;
	open_(w, key, '[');
	for (size_t i = 0; i < n; i++)
		put_str(w, NULL, v[i]);
	close_(w, ']');
}

static void
put_props(writer *w, const sd_props *p)
{
	if (!p->n_items)
		return;
	open_(w, "properties", '{');
	for (size_t i = 0; i < p->n_items; i++)
		put_str(w, p->items[i].key, p->items[i].value);
	close_(w, '}');
}

static void
put_column(writer *w, const sd_column *c)
{
	open_(w, NULL, '{');
	put_str(w, "name", c->name);
	put_str(w, "type", c->type);
	put_bool(w, "not_null", c->not_null);
	put_str(w, "default", c->default_expr);
	put_str(w, "generated", c->generated);
	put_bool(w, "generated_stored", c->generated_stored);
	put_str(w, "identity", c->identity);
	put_str(w, "collation", c->collation);
	put_str(w, "comment", c->comment);
	put_int(w, "position", c->position);
	put_props(w, &c->props);
	close_(w, '}');
}

static void
put_constraint(writer *w, const sd_constraint *c)
{
	open_(w, NULL, '{');
	put_str(w, "type", sd_con_type_id(c->type));
	put_str(w, "name", c->name);
	put_bool(w, "name_generated", c->name_generated);
	put_strv(w, "columns", c->columns, c->n_columns, false);
	put_str(w, "ref_schema", c->ref_schema);
	put_str(w, "ref_table", c->ref_table);
	put_strv(w, "ref_columns", c->ref_columns, c->n_ref_columns, false);
	put_str(w, "on_update", c->on_update);
	put_str(w, "on_delete", c->on_delete);
	put_str(w, "match", c->match);
	put_bool(w, "deferrable", c->deferrable);
	put_bool(w, "initially_deferred", c->initially_deferred);
	put_str(w, "expr", c->expr);
	put_props(w, &c->props);
	close_(w, '}');
}

static void
put_index(writer *w, const sd_index *ix)
{
	open_(w, NULL, '{');
	put_str(w, "name", ix->name);
	put_bool(w, "name_generated", ix->name_generated);
	put_bool(w, "unique", ix->unique);
	put_bool(w, "constraint_backed", ix->constraint_backed);
	put_str(w, "method", ix->method);
	open_(w, "keys", '[');
	for (size_t i = 0; i < ix->n_keys; i++) {
		const sd_index_key *k = &ix->keys[i];
		open_(w, NULL, '{');
		put_str(w, "column", k->column);
		put_str(w, "expr", k->expr);
		put_bool(w, "desc", k->desc);
		put_str(w, "nulls", k->nulls);
		put_str(w, "collation", k->collation);
		put_str(w, "opclass", k->opclass);
		close_(w, '}');
	}
	close_(w, ']');
	put_strv(w, "include", ix->include, ix->n_include, false);
	put_str(w, "predicate", ix->predicate);
	put_str(w, "definition", ix->definition);
	put_props(w, &ix->props);
	close_(w, '}');
}

static void
put_table(writer *w, const sd_table *t)
{
	open_(w, NULL, '{');
	put_str(w, "schema", t->schema);
	put_str(w, "name", t->name);
	put_str(w, "comment", t->comment);
	put_str(w, "definition", t->definition);
	put_props(w, &t->props);
	open_(w, "columns", '[');
	for (size_t i = 0; i < t->n_columns; i++)
		put_column(w, &t->columns[i]);
	close_(w, ']');
	open_(w, "constraints", '[');
	for (size_t i = 0; i < t->n_constraints; i++)
		put_constraint(w, &t->constraints[i]);
	close_(w, ']');
	open_(w, "indexes", '[');
	for (size_t i = 0; i < t->n_indexes; i++)
		put_index(w, &t->indexes[i]);
	close_(w, ']');
	close_(w, '}');
}

static void
put_object(writer *w, const sd_object *ob)
{
	open_(w, NULL, '{');
	put_str(w, "kind", sd_obj_kind_name(ob->kind));
	put_str(w, "schema", ob->schema);
	put_str(w, "name", ob->name);
	if (ob->signature && *ob->signature)
		put_str(w, "signature", ob->signature);
	put_str(w, "table", ob->table);
	put_str(w, "definition", ob->definition);
	put_str(w, "ddl", ob->ddl);
	put_strv(w, "depends", ob->depends, ob->n_depends, false);
	/* reads: [] says "reads nothing", absent says "not known" */
	if (ob->reads_known)
		put_strv(w, "reads", ob->reads, ob->n_reads, true);
	put_props(w, &ob->props);
	close_(w, '}');
}

char *
sd_snapshot_write(const sd_schema *s)
{
	return sd_snapshot_write_as(s, SD_SNAPSHOT_VERSION);
}

char *
sd_snapshot_write_as(const sd_schema *s, int version)
{
	sd_str out;
	writer w = {.out = &out};

	sd_str_init(&out);
	open_(&w, NULL, '{');
	put_str(&w, "format", SD_SNAPSHOT_FORMAT);
	put_int(&w, "version", version);
	put_str(&w, "engine", s->engine);
	put_str(&w, "source", s->source);
	put_props(&w, &s->props);
	open_(&w, "tables", '[');
	for (size_t i = 0; i < s->n_tables; i++)
		put_table(&w, &s->tables[i]);
	close_(&w, ']');
	open_(&w, "objects", '[');
	for (size_t i = 0; i < s->n_objects; i++)
		put_object(&w, &s->objects[i]);
	close_(&w, ']');
	close_(&w, '}');
	sd_str_appendc(&out, '\n');
	return sd_str_detach(&out);
}

/* ---- reader ---------------------------------------------------------- */

/*
 * What each engine's planner needs beyond the engine-free model: a field
 * the engine always writes is required when read back, so a snapshot that
 * lacks one is refused here with its JSON path instead of reaching a
 * planner that relies on it. An engine not listed gets the engine-free
 * rules only (its dialect, if any, is looked up later and refuses it).
 */
typedef enum { SCHEMA_ANY, SCHEMA_REQUIRED, SCHEMA_NONE } schema_rule;

typedef struct engine_rules {
	const char *engine;
	bool column_type;        /* every column has a type */
	bool constraint_name;    /* every constraint is named... */
	bool primary_unnamed;    /* ...but the primary key (MySQL's is always PRIMARY) */
	bool constraint_expr;    /* constraints carry their definition */
	bool index_definition;   /* indexes carry their CREATE text */
	bool table_definition;   /* tables carry their CREATE text */
	schema_rule schema;      /* tables and objects: schema present, or always empty */
} engine_rules;

static const engine_rules rules_table[] = {
	{"postgres", true, true, false, true, true, false, SCHEMA_REQUIRED},
	{"mysql", true, true, true, false, false, false, SCHEMA_NONE},
	{"sqlite", false, false, false, false, false, true, SCHEMA_NONE},
};

static const engine_rules no_rules = {"", false, false, false, false, false, false, SCHEMA_ANY};

static const engine_rules *
rules_for(const char *engine)
{
	for (size_t i = 0; i < sizeof(rules_table) / sizeof(*rules_table); i++)
		if (strcmp(rules_table[i].engine, engine) == 0)
			return &rules_table[i];
	return &no_rules;
}

typedef struct reader {
	sd_arena *arena;
	sd_err *err;
	const engine_rules *rules;
	char path[256]; /* JSON path of the value being read, for messages */
} reader;

static int
bad(reader *r, const char *key, const char *what)
{
	return sd_err_set(r->err, SD_EINPUT, "%s%s%s: %s", r->path, *r->path && key ? "." : "",
			  key ? key : "", what);
}

static int
get_str(reader *r, json_t *o, const char *key, bool required, const char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return required ? bad(r, key, "missing") : SD_OK;
	if (!json_is_string(v))
		return bad(r, key, "expected a string");
	*out = sd_arena_strndup(r->arena, json_string_value(v), json_string_length(v));
	return SD_OK;
}

static int
get_bool(reader *r, json_t *o, const char *key, bool *out)
{
	json_t *v = json_object_get(o, key);

	*out = false;
	if (!v)
		return SD_OK;
	if (!json_is_boolean(v))
		return bad(r, key, "expected true or false");
	*out = json_is_true(v);
	return SD_OK;
}

static int
get_array(reader *r, json_t *o, const char *key, json_t **out)
{
	json_t *v = json_object_get(o, key);

	*out = v;
	if (!v)
		return SD_OK;
	if (!json_is_array(v))
		return bad(r, key, "expected an array");
	return SD_OK;
}

static int
get_strv(reader *r, json_t *o, const char *key, const char ***out, size_t *n_out)
{
	json_t *arr, *v;
	size_t i;
	int rc;

	*out = NULL;
	*n_out = 0;
	if ((rc = get_array(r, o, key, &arr)) || !arr)
		return rc;
	*out = sd_arena_alloc(r->arena, (json_array_size(arr) + 1) * sizeof(char *));
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v))
			return bad(r, key, "expected an array of strings");
		(*out)[i] = sd_arena_strndup(r->arena, json_string_value(v), json_string_length(v));
	}
	*n_out = json_array_size(arr);
	return SD_OK;
}

static int
get_props(reader *r, json_t *o, sd_props *p)
{
	json_t *m = json_object_get(o, "properties"), *v;
	const char *k;

	if (!m)
		return SD_OK;
	if (!json_is_object(m))
		return bad(r, "properties", "expected an object");
	json_object_foreach(m, k, v)
	{
		if (!json_is_string(v))
			return bad(r, "properties", "values must be strings");
		sd_props_set(r->arena, p, k, json_string_value(v));
	}
	return SD_OK;
}

/* Sets r->path to base[i] for the duration of one element. */
static void
enter(reader *r, const char *base, const char *key, size_t i)
{
	if (snprintf(r->path, sizeof(r->path), "%s%s%s[%zu]", base, *base ? "." : "", key, i) >=
	    (int)sizeof(r->path))
		r->path[sizeof(r->path) - 1] = '\0'; /* a deep path is cut, never overflows */
}

static int
need_object(reader *r, json_t *v)
{
	return json_is_object(v) ? SD_OK : bad(r, NULL, "expected an object");
}

static int
read_column(reader *r, json_t *o, sd_column *c)
{
	json_t *pos;
	int rc;

	if ((rc = need_object(r, o)) || (rc = get_str(r, o, "name", true, &c->name)) ||
	    (rc = get_str(r, o, "type", r->rules->column_type, &c->type)) ||
	    (rc = get_bool(r, o, "not_null", &c->not_null)) ||
	    (rc = get_str(r, o, "default", false, &c->default_expr)) ||
	    (rc = get_str(r, o, "generated", false, &c->generated)) ||
	    (rc = get_bool(r, o, "generated_stored", &c->generated_stored)) ||
	    (rc = get_str(r, o, "identity", false, &c->identity)) ||
	    (rc = get_str(r, o, "collation", false, &c->collation)) ||
	    (rc = get_str(r, o, "comment", false, &c->comment)) || (rc = get_props(r, o, &c->props)))
		return rc;
	pos = json_object_get(o, "position");
	if (pos && !json_is_integer(pos))
		return bad(r, "position", "expected an integer");
	c->position = pos ? (int)json_integer_value(pos) : 0;
	return SD_OK;
}

static int
read_constraint(reader *r, json_t *o, sd_constraint *c)
{
	const char *type;
	int rc, t;

	if ((rc = need_object(r, o)) || (rc = get_str(r, o, "type", true, &type)))
		return rc;
	if ((t = sd_con_type_from_id(type)) < 0)
		return bad(r, "type", "unknown constraint type");
	c->type = (sd_con_type)t;
	/* MySQL's introspection leaves its primary key unnamed: its writer omits the name */
	if ((rc = get_str(r, o, "name",
			  r->rules->constraint_name &&
				  !(c->type == SD_CON_PRIMARY && r->rules->primary_unnamed),
			  &c->name)) ||
	    (rc = get_bool(r, o, "name_generated", &c->name_generated)) ||
	    (rc = get_strv(r, o, "columns", &c->columns, &c->n_columns)) ||
	    (rc = get_str(r, o, "ref_schema", false, &c->ref_schema)) ||
	    (rc = get_str(r, o, "ref_table", false, &c->ref_table)) ||
	    (rc = get_strv(r, o, "ref_columns", &c->ref_columns, &c->n_ref_columns)) ||
	    (rc = get_str(r, o, "on_update", false, &c->on_update)) ||
	    (rc = get_str(r, o, "on_delete", false, &c->on_delete)) ||
	    (rc = get_str(r, o, "match", false, &c->match)) ||
	    (rc = get_bool(r, o, "deferrable", &c->deferrable)) ||
	    (rc = get_bool(r, o, "initially_deferred", &c->initially_deferred)) ||
	    (rc = get_str(r, o, "expr", r->rules->constraint_expr, &c->expr)) ||
	    (rc = get_props(r, o, &c->props)))
		return rc;
	if (c->type == SD_CON_FOREIGN && !c->ref_table)
		return bad(r, "ref_table", "missing for a foreign key");
	if (c->type == SD_CON_FOREIGN && (!c->n_columns || c->n_columns != c->n_ref_columns))
		return bad(r, "ref_columns", "a foreign key needs as many columns as it references");
	if ((c->type == SD_CON_PRIMARY || c->type == SD_CON_UNIQUE) && !c->n_columns &&
	    !c->expr)
		return bad(r, "columns", "missing for a key");
	if (c->type == SD_CON_CHECK && !c->expr)
		return bad(r, "expr", "missing for a check");
	return SD_OK;
}

static int
read_index_key(reader *r, json_t *o, sd_index_key *k)
{
	int rc;

	if ((rc = need_object(r, o)) || (rc = get_str(r, o, "column", false, &k->column)) ||
	    (rc = get_str(r, o, "expr", false, &k->expr)) || (rc = get_bool(r, o, "desc", &k->desc)) ||
	    (rc = get_str(r, o, "nulls", false, &k->nulls)) ||
	    (rc = get_str(r, o, "collation", false, &k->collation)) ||
	    (rc = get_str(r, o, "opclass", false, &k->opclass)))
		return rc;
	if (!k->column == !k->expr)
		return bad(r, NULL, "an index key needs exactly one of column and expr");
	return SD_OK;
}

static int
read_index(reader *r, json_t *o, sd_index *ix)
{
	json_t *keys, *v;
	char base[256];
	size_t i;
	int rc;

	if ((rc = need_object(r, o)) || (rc = get_str(r, o, "name", true, &ix->name)) ||
	    (rc = get_bool(r, o, "name_generated", &ix->name_generated)) ||
	    (rc = get_bool(r, o, "unique", &ix->unique)) ||
	    (rc = get_bool(r, o, "constraint_backed", &ix->constraint_backed)) ||
	    (rc = get_str(r, o, "method", false, &ix->method)) ||
	    (rc = get_strv(r, o, "include", &ix->include, &ix->n_include)) ||
	    (rc = get_str(r, o, "predicate", false, &ix->predicate)) ||
	    (rc = get_str(r, o, "definition", false, &ix->definition)) ||
	    (rc = get_props(r, o, &ix->props)) || (rc = get_array(r, o, "keys", &keys)))
		return rc;
	/* A key's index may go without: its constraint's text says it all. */
	if (!ix->definition && (r->rules->index_definition || r->rules->table_definition) &&
	    !ix->constraint_backed)
		return bad(r, "definition", "missing");
	if (!keys || json_array_size(keys) == 0)
		return bad(r, "keys", "an index needs at least one key");
	ix->n_keys = json_array_size(keys);
	ix->keys = sd_arena_alloc(r->arena, ix->n_keys * sizeof(*ix->keys));
	snprintf(base, sizeof(base), "%s", r->path);
	json_array_foreach(keys, i, v)
	{
		enter(r, base, "keys", i);
		if ((rc = read_index_key(r, v, &ix->keys[i])))
			return rc;
	}
	snprintf(r->path, sizeof(r->path), "%s", base);
	return SD_OK;
}

/* Reads array key of o into *out (element size elem) with fn per element. */
typedef int (*read_fn)(reader *, json_t *, void *);

static int
read_each(reader *r, json_t *o, const char *key, void **out, size_t *n_out, size_t elem,
	  read_fn fn)
{
	json_t *arr, *v;
	char base[256];
	size_t i;
	int rc;

	*out = NULL;
	*n_out = 0;
	if ((rc = get_array(r, o, key, &arr)) || !arr || !json_array_size(arr))
		return rc;
	*out = sd_arena_alloc(r->arena, json_array_size(arr) * elem);
	snprintf(base, sizeof(base), "%s", r->path);
	json_array_foreach(arr, i, v)
	{
		enter(r, base, key, i);
		if ((rc = fn(r, v, (char *)*out + i * elem)))
			return rc;
	}
	snprintf(r->path, sizeof(r->path), "%s", base);
	*n_out = json_array_size(arr);
	return SD_OK;
}

static int
read_column_v(reader *r, json_t *o, void *p)
{
	return read_column(r, o, p);
}

static int
read_constraint_v(reader *r, json_t *o, void *p)
{
	return read_constraint(r, o, p);
}

static int
read_index_v(reader *r, json_t *o, void *p)
{
	return read_index(r, o, p);
}

/* Empty when absent; then the engine's rule: a schema always, or never. */
static int
check_schema(reader *r, const char **schema)
{
	if (!*schema)
		*schema = "";
	if (r->rules->schema == SCHEMA_REQUIRED && !**schema)
		return bad(r, "schema", "missing");
	if (r->rules->schema == SCHEMA_NONE && **schema)
		return bad(r, "schema", "must be empty for this engine (it has no schemas)");
	return SD_OK;
}

static int
read_table(reader *r, json_t *o, void *p)
{
	sd_table *t = p;
	int rc;

	if ((rc = need_object(r, o)) || (rc = get_str(r, o, "schema", false, &t->schema)) ||
	    (rc = get_str(r, o, "name", true, &t->name)) ||
	    (rc = get_str(r, o, "comment", false, &t->comment)) ||
	    (rc = get_str(r, o, "definition", false, &t->definition)) ||
	    (rc = get_props(r, o, &t->props)) ||
	    (rc = read_each(r, o, "columns", (void **)&t->columns, &t->n_columns,
			    sizeof(*t->columns), read_column_v)) ||
	    (rc = read_each(r, o, "constraints", (void **)&t->constraints, &t->n_constraints,
			    sizeof(*t->constraints), read_constraint_v)) ||
	    (rc = read_each(r, o, "indexes", (void **)&t->indexes, &t->n_indexes,
			    sizeof(*t->indexes), read_index_v)))
		return rc;
	if (r->rules->table_definition && !t->definition)
		return bad(r, "definition", "missing");
	return check_schema(r, &t->schema);
}

static int
read_object(reader *r, json_t *o, void *p)
{
	sd_object *ob = p;
	const char *kind;
	int rc, k;

	if ((rc = need_object(r, o)) || (rc = get_str(r, o, "kind", true, &kind)))
		return rc;
	if ((k = sd_obj_kind_from_name(kind)) < 0)
		return bad(r, "kind", "unknown object kind");
	ob->kind = (sd_obj_kind)k;
	if ((rc = get_str(r, o, "schema", false, &ob->schema)) ||
	    (rc = get_str(r, o, "name", true, &ob->name)) ||
	    (rc = get_str(r, o, "signature", false, &ob->signature)) ||
	    (rc = get_str(r, o, "table", false, &ob->table)) ||
	    (rc = get_str(r, o, "definition", false, &ob->definition)) ||
	    (rc = get_str(r, o, "ddl", r->rules != &no_rules, &ob->ddl)) ||
	    (rc = get_strv(r, o, "depends", &ob->depends, &ob->n_depends)) ||
	    (rc = get_strv(r, o, "reads", &ob->reads, &ob->n_reads)) ||
	    (rc = get_props(r, o, &ob->props)))
		return rc;
	if (ob->kind == SD_OBJ_TRIGGER && !ob->table)
		return bad(r, "table", "missing for a trigger");
	ob->reads_known = json_object_get(o, "reads") != NULL;
	if (!ob->schema)
		ob->schema = "";
	/* PostgreSQL extensions and schemas are not inside a schema. */
	return r->rules->schema == SCHEMA_REQUIRED ? SD_OK : check_schema(r, &ob->schema);
}

static int
read_root(reader *r, json_t *root, sd_schema *s)
{
	const char *format, *engine;
	json_t *version;
	int rc;

	if (!json_is_object(root))
		return bad(r, NULL, "not a schemad snapshot (expected a JSON object)");
	if ((rc = get_str(r, root, "format", true, &format)))
		return rc;
	if (strcmp(format, SD_SNAPSHOT_FORMAT) != 0)
		return bad(r, "format", "not a schemad snapshot");
	version = json_object_get(root, "version");
	if (!json_is_integer(version))
		return bad(r, "version", "missing or not an integer");
	if (json_integer_value(version) < SD_SNAPSHOT_VERSION_MIN ||
	    json_integer_value(version) > SD_SNAPSHOT_VERSION)
		return sd_err_set(r->err, SD_EINPUT,
				  "snapshot version %lld is not supported (this schemad reads %d to %d)",
				  (long long)json_integer_value(version), SD_SNAPSHOT_VERSION_MIN,
				  SD_SNAPSHOT_VERSION);
	if ((rc = get_str(r, root, "engine", true, &engine)))
		return rc;
	r->rules = rules_for(engine);
	if ((rc = get_str(r, root, "source", false, &s->source)) ||
	    (rc = get_props(r, root, &s->props)) ||
	    (rc = read_each(r, root, "tables", (void **)&s->tables, &s->n_tables,
			    sizeof(*s->tables), read_table)) ||
	    (rc = read_each(r, root, "objects", (void **)&s->objects, &s->n_objects,
			    sizeof(*s->objects), read_object)))
		return rc;
	s->engine = engine;
	return SD_OK;
}

int
sd_snapshot_read(sd_schema **out, const char *text, size_t len, sd_err *err)
{
	json_error_t jerr;
	json_t *root;
	sd_schema *s;
	reader r = {.rules = &no_rules};
	int rc;

	*out = NULL;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return sd_err_set(err, SD_EINPUT, "line %d, column %d: %s", jerr.line, jerr.column,
				  jerr.text);
	s = sd_schema_new("");
	r.arena = &s->arena;
	r.err = err;
	rc = read_root(&r, root, s);
	json_decref(root);
	if (rc) {
		sd_schema_free(s);
		return rc;
	}
	sd_schema_sort(s);
	*out = s;
	return SD_OK;
}
