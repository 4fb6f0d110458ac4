/*
 * model/schema.c: schema lifecycle, canonical ordering, lookups, and the
 * definition signatures that match auto-named constraints and indexes.
 */
#include "model/sd_model.h"

#include <stdlib.h>
#include <string.h>

sd_schema *
sd_schema_new(const char *engine)
{
	sd_schema *s = sd_xcalloc(1, sizeof(*s));

	sd_arena_init(&s->arena);
	s->engine = sd_arena_strdup(&s->arena, engine);
	return s;
}

void
sd_schema_free(sd_schema *s)
{
	if (!s)
		return;
	sd_arena_dispose(&s->arena);
	free(s);
}

int
sd_model_cmp_qualname(const char *schema_a, const char *name_a, const char *schema_b,
		      const char *name_b)
{
	int c = sd_strcmp_null(schema_a, schema_b);

	return c ? c : sd_strcmp_null(name_a, name_b);
}

int
sd_model_cmp_table(const void *a, const void *b)
{
	const sd_table *x = a, *y = b;

	return sd_model_cmp_qualname(x->schema, x->name, y->schema, y->name);
}

int
sd_model_cmp_object(const void *a, const void *b)
{
	const sd_object *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	c = sd_model_cmp_qualname(x->schema, x->name, y->schema, y->name);
	return c ? c : sd_strcmp_null(x->signature, y->signature);
}

int
sd_model_cmp_constraint(const void *a, const void *b)
{
	const sd_constraint *x = a, *y = b;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return sd_strcmp_null(x->key, y->key);
}

int
sd_model_cmp_index(const void *a, const void *b)
{
	const sd_index *x = a, *y = b;

	return sd_strcmp_null(x->key, y->key);
}

static int
cmp_prop(const void *a, const void *b)
{
	return strcmp(((const sd_prop *)a)->key, ((const sd_prop *)b)->key);
}

static void
append_list(sd_str *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			sd_str_appendc(s, ',');
		sd_str_append(s, v[i]);
	}
}

char *
sd_constraint_signature(sd_arena *a, const sd_constraint *c)
{
	sd_str s;
	char *out;

	sd_str_init(&s);
	sd_str_appendf(&s, "%s(", sd_con_type_id(c->type));
	append_list(&s, c->columns, c->n_columns);
	sd_str_append(&s, ")");
	if (c->type == SD_CON_FOREIGN) {
		if (c->ref_schema && *c->ref_schema)
			sd_str_appendf(&s, "->%s.%s(", c->ref_schema, c->ref_table);
		else
			sd_str_appendf(&s, "->%s(", c->ref_table);
		append_list(&s, c->ref_columns, c->n_ref_columns);
		sd_str_append(&s, ")");
	}
	if (c->expr)
		sd_str_appendf(&s, " %s", c->expr);
	out = sd_arena_strndup(a, s.ptr, s.len);
	sd_str_dispose(&s);
	return out;
}

char *
sd_index_signature(sd_arena *a, const sd_index *ix)
{
	sd_str s;
	char *out;

	sd_str_init(&s);
	sd_str_appendf(&s, "%s%s(", ix->unique ? "unique " : "", ix->method ? ix->method : "");
	for (size_t i = 0; i < ix->n_keys; i++) {
		const sd_index_key *k = &ix->keys[i];
		if (i)
			sd_str_appendc(&s, ',');
		sd_str_append(&s, k->column ? k->column : k->expr);
		if (k->collation)
			sd_str_appendf(&s, " collate %s", k->collation);
		if (k->desc)
			sd_str_append(&s, " desc");
	}
	sd_str_append(&s, ")");
	if (ix->predicate)
		sd_str_appendf(&s, " where %s", ix->predicate);
	out = sd_arena_strndup(a, s.ptr, s.len);
	sd_str_dispose(&s);
	return out;
}

static void
sort_props(sd_props *p)
{
	if (p->n_items > 1)
		qsort(p->items, p->n_items, sizeof(*p->items), cmp_prop);
}

static void
sort_table(sd_arena *a, sd_table *t)
{
	for (size_t i = 0; i < t->n_constraints; i++) {
		sd_constraint *c = &t->constraints[i];
		if (c->type == SD_CON_PRIMARY)
			c->key = "";
		else if (!c->key)
			c->key = (c->name && !c->name_generated) ? c->name
								 : sd_constraint_signature(a, c);
		sort_props(&c->props);
	}
	for (size_t i = 0; i < t->n_indexes; i++) {
		sd_index *ix = &t->indexes[i];
		if (!ix->key)
			ix->key = (ix->name && !ix->name_generated) ? ix->name
								    : sd_index_signature(a, ix);
		sort_props(&ix->props);
	}
	for (size_t i = 0; i < t->n_columns; i++)
		sort_props(&t->columns[i].props);
	if (t->n_constraints > 1)
		qsort(t->constraints, t->n_constraints, sizeof(*t->constraints),
		      sd_model_cmp_constraint);
	if (t->n_indexes > 1)
		qsort(t->indexes, t->n_indexes, sizeof(*t->indexes), sd_model_cmp_index);
	sort_props(&t->props);
}

void
sd_schema_sort(sd_schema *s)
{
	for (size_t i = 0; i < s->n_tables; i++)
		sort_table(&s->arena, &s->tables[i]);
	for (size_t i = 0; i < s->n_objects; i++) {
		sd_object *o = &s->objects[i];
		if (!o->signature)
			o->signature = "";
		sort_props(&o->props);
	}
	if (s->n_tables > 1)
		qsort(s->tables, s->n_tables, sizeof(*s->tables), sd_model_cmp_table);
	if (s->n_objects > 1)
		qsort(s->objects, s->n_objects, sizeof(*s->objects), sd_model_cmp_object);
	sort_props(&s->props);
}

const sd_table *
sd_schema_find_table(const sd_schema *s, const char *schema, const char *name)
{
	sd_table key = {.schema = schema, .name = name};

	if (!s->n_tables)
		return NULL; /* bsearch on a NULL array is undefined even for 0 items */
	return bsearch(&key, s->tables, s->n_tables, sizeof(*s->tables), sd_model_cmp_table);
}

const sd_object *
sd_schema_find_object(const sd_schema *s, sd_obj_kind kind, const char *schema, const char *name)
{
	sd_object key = {.kind = kind, .schema = schema, .name = name, .signature = ""};
	size_t lo = 0, hi = s->n_objects;

	/* Lower bound: functions share a name across signatures, "" sorts first. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sd_model_cmp_object(&s->objects[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n_objects && s->objects[lo].kind == kind &&
	    sd_streq(s->objects[lo].schema, schema) && sd_streq(s->objects[lo].name, name))
		return &s->objects[lo];
	return NULL;
}

/* One function among its overloads; signature NULL and "" are the same. */
const sd_object *
sd_schema_find_object_sig(const sd_schema *s, sd_obj_kind kind, const char *schema,
			  const char *name, const char *signature)
{
	const sd_object *o = sd_schema_find_object(s, kind, schema, name), *end;

	if (!o)
		return NULL; /* also when there are no objects (NULL + 0 is undefined) */
	end = s->objects + s->n_objects;
	for (; o < end && o->kind == kind && sd_streq(o->schema, schema) &&
	       sd_streq(o->name, name); o++)
		if (sd_streq(o->signature ? o->signature : "", signature ? signature : ""))
			return o;
	return NULL;
}

const sd_column *
sd_table_find_column(const sd_table *t, const char *name)
{
	for (size_t i = 0; i < t->n_columns; i++)
		if (strcmp(t->columns[i].name, name) == 0)
			return &t->columns[i];
	return NULL;
}

const char *
sd_props_get(const sd_props *p, const char *key)
{
	for (size_t i = 0; i < p->n_items; i++)
		if (strcmp(p->items[i].key, key) == 0)
			return p->items[i].value;
	return NULL;
}

void
sd_props_set(sd_arena *a, sd_props *p, const char *key, const char *value)
{
	sd_prop *items;

	for (size_t i = 0; i < p->n_items; i++) {
		if (strcmp(p->items[i].key, key) == 0) {
			p->items[i].value = sd_arena_strdup(a, value);
			return;
		}
	}
	/* Arena arrays cannot grow in place: copy (property lists are short). */
	items = sd_arena_alloc(a, (p->n_items + 1) * sizeof(*items));
	if (p->n_items)
		memcpy(items, p->items, p->n_items * sizeof(*items));
	items[p->n_items].key = sd_arena_strdup(a, key);
	items[p->n_items].value = sd_arena_strdup(a, value);
	p->items = items;
	p->n_items++;
}

const char **
sd_arena_strv(sd_arena *a, const char *const *v, size_t n)
{
	const char **out;

	if (n == 0)
		return NULL;
	out = sd_arena_alloc(a, n * sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = sd_arena_strdup(a, v[i]);
	return out;
}

bool
sd_strv_eq(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!sd_streq(a[i], b[i]))
			return false;
	return true;
}

static const char *const obj_kind_names[SD_OBJ__COUNT] = {
	[SD_OBJ_SCHEMA] = "schema",       [SD_OBJ_EXTENSION] = "extension",
	[SD_OBJ_TYPE] = "type",           [SD_OBJ_SEQUENCE] = "sequence",
	[SD_OBJ_FUNCTION] = "function",   [SD_OBJ_VIEW] = "view",
	[SD_OBJ_MATVIEW] = "materialized view", [SD_OBJ_TRIGGER] = "trigger",
	[SD_OBJ_POLICY] = "policy",       [SD_OBJ_EVENT] = "event",
};

const char *
sd_obj_kind_name(sd_obj_kind k)
{
	return (unsigned)k < SD_OBJ__COUNT ? obj_kind_names[k] : "object";
}

int
sd_obj_kind_from_name(const char *name)
{
	for (int k = 0; k < SD_OBJ__COUNT; k++)
		if (strcmp(obj_kind_names[k], name) == 0)
			return k;
	return -1;
}

static const char *const con_names[SD_CON__COUNT] = {
	[SD_CON_PRIMARY] = "primary key", [SD_CON_UNIQUE] = "unique",
	[SD_CON_FOREIGN] = "foreign key", [SD_CON_CHECK] = "check",
	[SD_CON_EXCLUDE] = "exclude",
};
static const char *const con_ids[SD_CON__COUNT] = {
	[SD_CON_PRIMARY] = "primary_key", [SD_CON_UNIQUE] = "unique",
	[SD_CON_FOREIGN] = "foreign_key", [SD_CON_CHECK] = "check",
	[SD_CON_EXCLUDE] = "exclude",
};

const char *
sd_con_type_name(sd_con_type t)
{
	return (unsigned)t < SD_CON__COUNT ? con_names[t] : "constraint";
}

const char *
sd_con_type_id(sd_con_type t)
{
	return (unsigned)t < SD_CON__COUNT ? con_ids[t] : "constraint";
}

int
sd_con_type_from_id(const char *id)
{
	for (int t = 0; t < SD_CON__COUNT; t++)
		if (strcmp(con_ids[t], id) == 0)
			return t;
	return -1;
}

void
sd_table_parts_move(sd_table_parts *p, sd_table *t, sd_arena *a)
{
	t->columns = sd_arena_memdup(a, p->cols.ptr, p->cols.len, sizeof(sd_column));
	t->n_columns = p->cols.len;
	t->constraints = sd_arena_memdup(a, p->cons.ptr, p->cons.len, sizeof(sd_constraint));
	t->n_constraints = p->cons.len;
	t->indexes = sd_arena_memdup(a, p->idx.ptr, p->idx.len, sizeof(sd_index));
	t->n_indexes = p->idx.len;
	sd_table_parts_dispose(p);
}

void
sd_table_parts_dispose(sd_table_parts *p)
{
	sd_vec_dispose(&p->cols);
	sd_vec_dispose(&p->cons);
	sd_vec_dispose(&p->idx);
}
