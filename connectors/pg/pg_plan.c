/*
 * connectors/pg/pg_plan.c: the PostgreSQL dialect's plan: its phases, and
 * the objects that are not tables (pg_plan_table.c has those).
 *
 * The plan runs on FROM and makes it equal TO, in one transaction:
 *
 *   enum ADD VALUE (before BEGIN: a new label cannot be used in the
 *   transaction that adds it)
 *   BEGIN
 *   drops, dependents first: policies, triggers, views (those changed,
 *   those reading a table whose columns change or a recreated enum, and
 *   their dependents, recreated later), foreign keys, other constraints,
 *   partitioned index families (pg_plan_partidx.c), indexes, columns,
 *   functions and types naming the row type of a table dropped or
 *   rebuilt, tables, and the functions (callers first), sequences and
 *   types that are recreated
 *   creates, referenced objects first: schemas, extensions, types (those
 *   made of others after them), sequences, functions (check_function_bodies
 *   off, so bodies may name tables created later; SQL-standard bodies are
 *   parsed anyway, so callees first), tables (parents before partitions
 *   and children), functions and types naming a created table's row
 *   type, column changes, constraints, indexes, partitioned
 *   index families, keys' index comments and storage parameters,
 *   REPLICA IDENTITY, views in dependency order,
 *   triggers, policies, foreign keys last, sequence ownership, comments
 *   last, what goes away for good once nothing uses it: functions,
 *   sequences, types, extensions, schemas
 *   COMMIT
 *
 * Every identifier is quoted; statements that lose data carry a
 * "-- destructive:" comment. sd_plan_opts.concurrently moves CREATE INDEX
 * after COMMIT as CREATE INDEX CONCURRENTLY (not allowed in a transaction).
 *
 * Not yet: reordering columns (not compared for PostgreSQL), domains and
 * range types in use (recreated, which fails while columns use them), an
 * attribute type change of a composite type in use, extension downgrades.
 */
#include "connectors/pg/pg_plan.h"

#include <stdlib.h>
#include <string.h>

/* ---- object references ----------------------------------------------- */

static const char *
type_word(const sd_object *o)
{
	const char *t = sd_props_get(&o->props, "type");

	if (sd_streq(t, "domain"))
		return "DOMAIN";
	if (sd_streq(t, "collation"))
		return "COLLATION";
	return "TYPE";
}

/* "VIEW "s"."v"", "FUNCTION "s"."f"(integer)", "TRIGGER "t" ON "s"."tab"". */
static void
obj_ref(sd_str *s, const sd_object *o)
{
	switch (o->kind) {
	case SD_OBJ_SCHEMA:
		sd_str_append(s, "SCHEMA ");
		break;
	case SD_OBJ_EXTENSION:
		sd_str_append(s, "EXTENSION ");
		break;
	case SD_OBJ_TYPE:
		sd_str_appendf(s, "%s ", type_word(o));
		break;
	case SD_OBJ_SEQUENCE:
		sd_str_append(s, "SEQUENCE ");
		break;
	case SD_OBJ_FUNCTION:
		sd_str_append(s, sd_streq(sd_props_get(&o->props, "kind"), "procedure")
					 ? "PROCEDURE "
					 : "FUNCTION ");
		qn(s, o->schema, o->name);
		sd_str_appendf(s, "(%s)", o->signature);
		return;
	case SD_OBJ_VIEW:
		sd_str_append(s, "VIEW ");
		break;
	case SD_OBJ_MATVIEW:
		sd_str_append(s, "MATERIALIZED VIEW ");
		break;
	case SD_OBJ_TRIGGER:
	case SD_OBJ_POLICY:
		sd_str_append(s, o->kind == SD_OBJ_TRIGGER ? "TRIGGER " : "POLICY ");
		q(s, o->name);
		sd_str_append(s, " ON ");
		qn(s, o->schema, o->table);
		return;
	default:
		break;
	}
	qn(s, o->schema, o->name);
}

void
sd_pg__obj_ref(sd_str *s, const sd_object *o)
{
	obj_ref(s, o);
}

static void
comment_obj(planner *p, const sd_object *o)
{
	sd_str ref;

	sd_str_init(&ref);
	obj_ref(&ref, o);
	comment_on(p, ref.ptr, sd_props_get(&o->props, "comment"));
	sd_str_dispose(&ref);
}

static void
drop_obj(planner *p, const sd_object *o)
{
	sd_str_append(p->out, "DROP ");
	if (o->kind == SD_OBJ_TRIGGER || o->kind == SD_OBJ_POLICY) {
		sd_str_append(p->out, o->kind == SD_OBJ_TRIGGER ? "TRIGGER IF EXISTS " : "POLICY IF EXISTS ");
		q(p->out, o->name);
		sd_str_append(p->out, " ON ");
		qn(p->out, o->schema, o->table);
	} else {
		sd_str ref;
		sd_str_init(&ref);
		obj_ref(&ref, o);
		/* "VIEW x" -> "VIEW IF EXISTS x": the kind word(s) come first. */
		{
			const char *name = strchr(ref.ptr, '"');
			sd_str_appendn(p->out, ref.ptr, (size_t)(name - ref.ptr));
			sd_str_append(p->out, "IF EXISTS ");
			sd_str_append(p->out, name);
		}
		sd_str_dispose(&ref);
	}
	sd_str_append(p->out, ";\n");
}

static void
create_obj(planner *p, const sd_object *o)
{
	sd_str_appendf(p->out, "%s;\n", o->ddl);
	if (sd_props_get(&o->props, "comment"))
		comment_obj(p, o);
	sd_pg__restore_access(p, o);
}

/* ---- which objects are dropped and recreated ------------------------- */

static size_t
obj_index(const sd_schema *s, const sd_object *o)
{
	return (size_t)(o - s->objects);
}

/* "schema.name" reference matches table t. */
static bool
names_table(const char *dep, const sd_table *t)
{
	size_t n = strlen(t->schema);

	return strncmp(dep, t->schema, n) == 0 && dep[n] == '.' && strcmp(dep + n + 1, t->name) == 0;
}

/* Column changes that PostgreSQL refuses while a view reads the table. */
static bool
breaks_views(const sd_change *c)
{
	if (c->what == SD_WHAT_TABLE)
		return c->op == SD_OP_DROP || (c->op == SD_OP_ALTER && sd_streq(c->property, "partition_by"));
	if (c->what != SD_WHAT_COLUMN)
		return false;
	return c->op == SD_OP_DROP || strcmp(c->kind, "column.type_widen") == 0 ||
	       strcmp(c->kind, "column.type_narrow") == 0 ||
	       strcmp(c->kind, "column.type_change") == 0 ||
	       strcmp(c->kind, "column.collation") == 0 || strcmp(c->kind, "column.generated") == 0;
}

static bool enum_rebuilt(planner *p, const sd_object *a, const sd_object *b);
static void type_name_as_used(sd_str *s, const char *schema, const char *name);

/* "schema.name" names an enum this plan recreates, or a table with a column of one. */
static bool
names_rebuilt_enum(planner *p, const char *dep)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_object *e = c->old_item;
		const sd_table *t;
		sd_str used;
		bool hit = false;
		if (c->what != SD_WHAT_OBJECT || c->op != SD_OP_ALTER || e->kind != SD_OBJ_TYPE ||
		    !enum_rebuilt(p, e, c->new_item))
			continue;
		if (strncmp(dep, e->schema, strlen(e->schema)) == 0 && dep[strlen(e->schema)] == '.' &&
		    strcmp(dep + strlen(e->schema) + 1, e->name) == 0)
			return true;
		t = NULL;
		for (size_t k = 0; k < p->d->from->n_tables && !t; k++)
			if (names_table(dep, &p->d->from->tables[k]))
				t = &p->d->from->tables[k];
		if (!t)
			continue;
		sd_str_init(&used);
		type_name_as_used(&used, e->schema, e->name);
		for (size_t k = 0; k < t->n_columns && !hit; k++)
			hit = strncmp(t->columns[k].type, used.ptr, used.len) == 0 &&
			      (t->columns[k].type[used.len] == '\0' || t->columns[k].type[used.len] == '[');
		sd_str_dispose(&used);
		if (hit)
			return true;
	}
	return false;
}

/*
 * The column change c touches a column o reads. Without column-level
 * dependencies (an older snapshot) any reference to the table counts.
 */
static bool
reads_changed_column(const sd_object *o, const sd_change *c)
{
	const sd_table *t = c->old_table;
	const char *col = ((const sd_column *)c->old_item)->name;
	size_t ns = strlen(t->schema), nt = strlen(t->name);

	if (!o->reads_known) {
		for (size_t k = 0; k < o->n_depends; k++)
			if (names_table(o->depends[k], t))
				return true;
		return false;
	}
	for (size_t k = 0; k < o->n_reads; k++) {
		const char *r = o->reads[k];
		if (strncmp(r, t->schema, ns) == 0 && r[ns] == '.' && strncmp(r + ns + 1, t->name, nt) == 0 &&
		    r[ns + 1 + nt] == '.' && (strcmp(r + ns + nt + 2, col) == 0 || strcmp(r + ns + nt + 2, "*") == 0))
			return true;
	}
	return false;
}

static bool
reads_broken_table(planner *p, const sd_object *o)
{
	for (size_t k = 0; k < o->n_depends; k++)
		if (names_rebuilt_enum(p, o->depends[k]))
			return true;
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		if (!breaks_views(c))
			continue;
		if (c->what == SD_WHAT_COLUMN) {
			if (reads_changed_column(o, c))
				return true;
			continue;
		}
		for (size_t k = 0; k < o->n_depends; k++)
			if (names_table(o->depends[k], c->old_table))
				return true;
		if (o->table && sd_streq(o->table, c->old_table->name) &&
		    sd_streq(o->schema, c->old_table->schema) && c->what == SD_WHAT_TABLE)
			return true;
	}
	return false;
}

static bool
depends_on_obj(const sd_object *o, const sd_object *dep)
{
	for (size_t k = 0; k < o->n_depends; k++) {
		const char *d = o->depends[k];
		size_t n = strlen(dep->schema);
		if (strncmp(d, dep->schema, n) == 0 && d[n] == '.' && strcmp(d + n + 1, dep->name) == 0)
			return true;
	}
	/* A trigger or policy sits on its view. */
	return o->table && dep->kind != SD_OBJ_FUNCTION && sd_streq(o->table, dep->name) &&
	       sd_streq(o->schema, dep->schema);
}

static bool
function_replaced(const sd_change *c)
{
	const sd_object *a = c->old_item, *b = c->new_item;

	if (c->op == SD_OP_DROP)
		return true;
	return c->op == SD_OP_ALTER &&
	       (!sd_streq(sd_props_get(&a->props, "result"), sd_props_get(&b->props, "result")) ||
		!sd_streq(sd_props_get(&a->props, "kind"), sd_props_get(&b->props, "kind")));
}

/* Properties a redefinition does not change: COMMENT ON, GRANT, ALTER OWNER do. */
static bool
not_definition(const char *key)
{
	return strcmp(key, "comment") == 0 || strcmp(key, "owner") == 0 ||
	       strcmp(key, "privileges") == 0;
}

/* Only a comment (or an owner or grant) differs: no need to recreate. */
static bool
only_comment(const sd_object *a, const sd_object *b)
{
	if (!sd_streq(a->definition, b->definition) || !sd_streq(a->table, b->table))
		return false;
	for (size_t i = 0; i < a->props.n_items; i++)
		if (!not_definition(a->props.items[i].key) &&
		    !sd_streq(a->props.items[i].value, sd_props_get(&b->props, a->props.items[i].key)))
			return false;
	for (size_t i = 0; i < b->props.n_items; i++)
		if (!not_definition(b->props.items[i].key) &&
		    !sd_props_get(&a->props, b->props.items[i].key))
			return false;
	return true;
}

static bool
recreated_kind(sd_obj_kind k)
{
	return k == SD_OBJ_VIEW || k == SD_OBJ_MATVIEW || k == SD_OBJ_TRIGGER || k == SD_OBJ_POLICY;
}

static bool
is_enum_pair(const sd_object *a, const sd_object *b)
{
	return sd_streq(sd_props_get(&a->props, "type"), "enum") &&
	       sd_streq(sd_props_get(&b->props, "type"), "enum");
}

static bool
is_composite_pair(const sd_object *a, const sd_object *b)
{
	return sd_streq(sd_props_get(&a->props, "type"), "composite") &&
	       sd_streq(sd_props_get(&b->props, "type"), "composite");
}

/* Types changed in place rather than dropped and created (columns may use them). */
static bool
altered_in_place(const sd_object *a, const sd_object *b)
{
	return is_enum_pair(a, b) || is_composite_pair(a, b);
}

static bool
recreated_with_dependencies(sd_obj_kind k)
{
	return recreated_kind(k) || k == SD_OBJ_FUNCTION;
}

/*
 * Dropped objects that TO still has go early (they are recreated); those
 * that go for good go last, once no default or column uses them. A
 * function going for good that calls one dropped early must go before
 * it: early too (to a fixed point).
 */
static void
mark_early_drops(planner *p)
{
	const sd_schema *A = p->d->from;
	bool changed = true;

	p->drop_early = sd_xcalloc(A->n_objects + 1, sizeof(bool));
	for (size_t i = 0; i < A->n_objects; i++)
		p->drop_early[i] = p->drop_obj[i] &&
				   sd_schema_find_object(p->d->to, A->objects[i].kind, A->objects[i].schema,
							 A->objects[i].name) != NULL;
	while (changed) {
		changed = false;
		for (size_t i = 0; i < A->n_objects; i++) {
			if (!p->drop_obj[i] || p->drop_early[i] || A->objects[i].kind != SD_OBJ_FUNCTION)
				continue;
			for (size_t j = 0; j < A->n_objects && !p->drop_early[i]; j++)
				if (p->drop_early[j] && A->objects[j].kind == SD_OBJ_FUNCTION &&
				    depends_on_obj(&A->objects[i], &A->objects[j]))
					p->drop_early[i] = changed = true;
		}
	}
}

/* ---- objects that name a table's row type ----------------------------- */

/* "schema.name": the schema into schema[256], the name returned; NULL when it is not so. */
static const char *
split_ref(const char *dep, char *schema)
{
	const char *dot = strchr(dep, '.');

	if (!dot || (size_t)(dot - dep) >= 256)
		return NULL;
	memcpy(schema, dep, (size_t)(dot - dep));
	schema[dot - dep] = '\0';
	return dot + 1;
}

/* The table "schema.name" names in s, as an index into s->tables; -1 when none. */
static ptrdiff_t
named_table(const sd_schema *s, const char *dep)
{
	char schema[256];
	const char *name = split_ref(dep, schema);
	const sd_table *t = name ? sd_schema_find_table(s, schema, name) : NULL;

	return t ? t - s->tables : -1;
}

/*
 * Marks (in out) the functions and types of s that name a table of
 * s marked in tables (a function's argument or result, a composite's
 * attribute, a domain's base: the table's row type), directly or through
 * a function or type marked so, to a fixed point. Only candidates are
 * marked (NULL: every object).
 */
static bool
row_type_user(const sd_schema *s, const bool *candidate, size_t i)
{
	sd_obj_kind k = s->objects[i].kind;

	return (!candidate || candidate[i]) && (k == SD_OBJ_FUNCTION || k == SD_OBJ_TYPE);
}

static void
mark_row_type_users(const sd_schema *s, const bool *tables, const bool *candidate, bool *out)
{
	SD_VEC(size_t) marked = {0}; /* the indexes of out's marks: few, when any */
	bool changed = true;

	for (size_t i = 0; i < s->n_objects; i++) {
		const sd_object *o = &s->objects[i];
		if (!row_type_user(s, candidate, i))
			continue;
		for (size_t k = 0; k < o->n_depends && !out[i]; k++) {
			ptrdiff_t t = named_table(s, o->depends[k]);
			out[i] = t >= 0 && tables[t];
		}
		if (out[i])
			sd_vec_push(&marked, i);
	}
	while (changed && marked.len) {
		changed = false;
		for (size_t i = 0; i < s->n_objects; i++) {
			if (out[i] || !row_type_user(s, candidate, i))
				continue;
			for (size_t m = 0; m < marked.len && !out[i]; m++)
				out[i] = depends_on_obj(&s->objects[i], &s->objects[marked.ptr[m]]);
			if (out[i]) {
				sd_vec_push(&marked, i);
				changed = true;
			}
		}
	}
	sd_vec_dispose(&marked);
}

/* Marks the n tables of list (pointers into s->tables) in a new array over s->tables. */
static bool *
table_marks(const sd_schema *s, const sd_table *const *list, size_t n)
{
	bool *marks = sd_xcalloc(s->n_tables + 1, sizeof(bool));

	for (size_t i = 0; i < n; i++)
		if (list[i] >= s->tables && list[i] < s->tables + s->n_tables)
			marks[list[i] - s->tables] = true;
	return marks;
}

/*
 * A function or type that names a table's row type cannot outlive the
 * table, nor exist before it: those naming a table the plan drops (or
 * rebuilds) are dropped before it, and come back after the tables are
 * created if TO has them; those naming a table the plan creates are
 * created after it.
 */
static void
mark_drop_first(planner *p, const sd_table *const *dropped, size_t n_dropped)
{
	const sd_schema *A = p->d->from, *B = p->d->to;
	bool *gone = table_marks(A, dropped, n_dropped);

	for (size_t i = 0; i < A->n_tables; i++)
		gone[i] = gone[i] || sd_pg__rebuilt(p, &A->tables[i]);
	p->drop_first = sd_xcalloc(A->n_objects + 1, sizeof(bool));
	mark_row_type_users(A, gone, NULL, p->drop_first);
	for (size_t i = 0; i < A->n_objects; i++) {
		const sd_object *b;
		if (!p->drop_first[i])
			continue;
		p->drop_obj[i] = true;
		b = sd_schema_find_object_sig(B, A->objects[i].kind, A->objects[i].schema,
					      A->objects[i].name, A->objects[i].signature);
		if (b)
			p->create_obj[obj_index(B, b)] = true;
	}
	free(gone);
}

/* After every create_obj mark: TO's functions and types created after the tables they name. */
static void
mark_late_creates(planner *p, const sd_table *const *created, size_t n_created)
{
	const sd_schema *B = p->d->to;
	bool *made = table_marks(B, created, n_created);

	p->create_late = sd_xcalloc(B->n_objects + 1, sizeof(bool));
	mark_row_type_users(B, made, p->create_obj, p->create_late);
	free(made);
}

static void
mark_objects(planner *p, const sd_table *const *created, size_t n_created,
	     const sd_table *const *dropped, size_t n_dropped)
{
	const sd_schema *A = p->d->from, *B = p->d->to;
	bool changed = true;

	p->drop_obj = sd_xcalloc(A->n_objects + 1, sizeof(bool));
	p->create_obj = sd_xcalloc(B->n_objects + 1, sizeof(bool));
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_object *a = c->old_item, *b = c->new_item;
		if (c->what != SD_WHAT_OBJECT || sd_change_is_access(c))
			continue;
		if (c->op == SD_OP_ALTER && only_comment(a, b))
			continue;
		if (c->op == SD_OP_ALTER && !recreated_kind(a->kind) &&
		    !(a->kind == SD_OBJ_FUNCTION && function_replaced(c)) &&
		    !(a->kind == SD_OBJ_TYPE && !altered_in_place(a, b)))
			continue; /* altered in place */
		if (a)
			p->drop_obj[obj_index(A, a)] = true;
		if (b)
			p->create_obj[obj_index(B, b)] = true;
	}
	for (size_t i = 0; i < A->n_objects; i++)
		if (recreated_kind(A->objects[i].kind) && reads_broken_table(p, &A->objects[i]))
			p->drop_obj[i] = true;
	mark_drop_first(p, dropped, n_dropped);
	/*
	 * Whatever depends on a dropped view or function goes too (to a fixed
	 * point): trigger functions are named "schema.function" too, and a
	 * function with an SQL-standard body depends on the functions it calls.
	 */
	while (changed) {
		changed = false;
		for (size_t i = 0; i < A->n_objects; i++) {
			if (p->drop_obj[i] || !recreated_with_dependencies(A->objects[i].kind))
				continue;
			for (size_t j = 0; j < A->n_objects && !p->drop_obj[i]; j++)
				if (p->drop_obj[j] && depends_on_obj(&A->objects[i], &A->objects[j]) &&
				    (A->objects[i].kind != SD_OBJ_FUNCTION ||
				     A->objects[j].kind == SD_OBJ_FUNCTION))
					p->drop_obj[i] = changed = true;
		}
	}
	mark_early_drops(p);
	/* Whatever was dropped and still exists in TO comes back. */
	for (size_t i = 0; i < A->n_objects; i++) {
		const sd_object *o = &A->objects[i];
		if (!p->drop_obj[i] || !recreated_with_dependencies(o->kind))
			continue;
		for (size_t j = 0; j < B->n_objects; j++)
			if (sd_model_cmp_object(o, &B->objects[j]) == 0)
				p->create_obj[j] = true;
	}
	mark_late_creates(p, created, n_created);
}

typedef enum emit_mode {
	EMIT_CREATE,
	EMIT_CREATE_EARLY,  /* types that call no function (domain CHECKs may) */
	EMIT_CREATE_LATE,   /* types that do: after the functions */
	EMIT_DROP_ALL,
	EMIT_DROP_REPLACED,
	EMIT_DROP_GONE
} emit_mode;

/* The object "schema.name" names in s, of kind k; NULL when none. */
static const sd_object *
named_object(const sd_schema *s, sd_obj_kind k, const char *dep)
{
	char schema[256];
	const char *name = split_ref(dep, schema);

	return name ? sd_schema_find_object(s, k, schema, name) : NULL;
}

/*
 * A type whose domain CHECK calls a user function, directly or through
 * the types it is made of: created after the functions. depth stops a
 * cycle the catalog cannot hold but a hand-made snapshot could.
 */
static bool
type_calls_function(const sd_schema *s, const sd_object *o, int depth)
{
	for (size_t k = 0; k < o->n_depends && depth < 16; k++) {
		const sd_object *t = named_object(s, SD_OBJ_TYPE, o->depends[k]);
		if (named_object(s, SD_OBJ_FUNCTION, o->depends[k]) ||
		    (t && t != o && type_calls_function(s, t, depth + 1)))
			return true;
	}
	return false;
}

static bool
selected(planner *p, const sd_schema *s, size_t i, emit_mode mode)
{
	if (mode == EMIT_DROP_ALL)
		return true;
	if (mode == EMIT_CREATE)
		return !p->create_late[i];
	if (mode == EMIT_CREATE_EARLY || mode == EMIT_CREATE_LATE)
		return !p->create_late[i] &&
		       type_calls_function(s, &s->objects[i], 0) == (mode == EMIT_CREATE_LATE);
	if (p->drop_first[i])
		return false;
	return mode == EMIT_DROP_REPLACED ? p->drop_early[i] : !p->drop_early[i];
}

/* Emits DROP (reverse dependency order) or CREATE of objs. */
static void
emit_list(planner *p, const sd_object *const *objs, size_t n_objs, bool drop)
{
	size_t *order = sd_xcalloc(n_objs + 1, sizeof(size_t));

	sd_order_by_depends(order, objs, n_objs);
	for (size_t n = 0; n < n_objs; n++) {
		const sd_object *o = objs[order[drop ? n_objs - 1 - n : n]];
		if (!drop) {
			create_obj(p, o);
			continue;
		}
		if (o->kind == SD_OBJ_SCHEMA || o->kind == SD_OBJ_EXTENSION ||
		    o->kind == SD_OBJ_TYPE || o->kind == SD_OBJ_SEQUENCE ||
		    o->kind == SD_OBJ_FUNCTION)
			sd_sql_commentf(p->out, "destructive: drops %s %s%s%s",
					sd_obj_kind_name(o->kind), o->schema, *o->schema ? "." : "",
					o->name);
		drop_obj(p, o);
	}
	free(order);
}

/*
 * Emits DROP or CREATE of the marked objects of one kind. Objects that TO
 * still has are dropped early to be recreated; those that go away for
 * good are dropped last, once nothing uses them.
 */
static void
emit_objects(planner *p, const sd_schema *s, const bool *marked, sd_obj_kind kind, emit_mode mode)
{
	SD_VEC(const sd_object *) objs = {0};
	bool drop = mode != EMIT_CREATE && mode != EMIT_CREATE_EARLY && mode != EMIT_CREATE_LATE;

	for (size_t i = 0; i < s->n_objects; i++)
		if (marked[i] && s->objects[i].kind == kind && selected(p, s, i, mode))
			sd_vec_push(&objs, &s->objects[i]);
	emit_list(p, objs.ptr, objs.len, drop);
	sd_vec_dispose(&objs);
}

/*
 * The functions and types that name a table's row type (mark_drop_first,
 * mark_late_creates), of both kinds in one dependency order: a function
 * may take such a type, a domain's CHECK may call such a function.
 */
static void
emit_row_type_objects(planner *p, bool drop)
{
	const sd_schema *s = drop ? p->d->from : p->d->to;
	const bool *marked = drop ? p->drop_first : p->create_late;
	SD_VEC(const sd_object *) objs = {0};

	for (size_t i = 0; i < s->n_objects; i++)
		if (marked[i])
			sd_vec_push(&objs, &s->objects[i]);
	emit_list(p, objs.ptr, objs.len, drop);
	sd_vec_dispose(&objs);
}

/* ---- object alterations ---------------------------------------------- */

static void
alter_extension(planner *p, const sd_object *a, const sd_object *b)
{
	const char *va = sd_props_get(&a->props, "version"), *vb = sd_props_get(&b->props, "version");
	const char *sa = sd_props_get(&a->props, "schema"), *sb = sd_props_get(&b->props, "schema");

	if (!sd_streq(va, vb)) {
		/* No version in TO: the server's default version, what UPDATE alone goes to. */
		sd_str_append(p->out, "ALTER EXTENSION ");
		q(p->out, b->name);
		sd_str_append(p->out, " UPDATE");
		if (vb) {
			sd_str_append(p->out, " TO ");
			sd_sql_string(p->out, vb);
		}
		sd_str_append(p->out, ";\n");
	}
	if (!sd_streq(sa, sb) && sb) {
		sd_str_append(p->out, "ALTER EXTENSION ");
		q(p->out, b->name);
		sd_str_append(p->out, " SET SCHEMA ");
		q(p->out, sb);
		sd_str_append(p->out, ";\n");
	}
}

static bool
in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/*
 * An enum change PostgreSQL can make in place: every old label kept, in
 * the same relative order, new ones inserted. Writes the ADD VALUEs to dst.
 */
static bool
enum_additions(planner *p, sd_str *dst, const sd_object *a, const sd_object *b)
{
	size_t na, nb, k = 0;
	const char **la = sd_pg__array(&p->arena, sd_props_get(&a->props, "labels"), &na);
	const char **lb = sd_pg__array(&p->arena, sd_props_get(&b->props, "labels"), &nb);

	if (!sd_streq(sd_props_get(&a->props, "type"), "enum") ||
	    !sd_streq(sd_props_get(&b->props, "type"), "enum") || !lb)
		return false;
	for (size_t i = 0; i < nb && k < na; i++)
		if (strcmp(lb[i], la[k]) == 0)
			k++;
	if (k != na)
		return false;
	for (size_t i = 0; i < nb; i++) {
		if (in_list(la, na, lb[i]))
			continue;
		sd_str_append(dst, "ALTER TYPE ");
		qn(dst, b->schema, b->name);
		sd_str_append(dst, " ADD VALUE ");
		sd_sql_string(dst, lb[i]);
		if (i > 0) {
			sd_str_append(dst, " AFTER ");
			sd_sql_string(dst, lb[i - 1]);
		} else if (nb > 1) {
			sd_str_append(dst, " BEFORE ");
			sd_sql_string(dst, lb[1]);
		}
		sd_str_append(dst, ";\n");
	}
	return true;
}

static long long
seq_option(const char *def, const char *word)
{
	const char *at = strstr(def, word);

	return at ? strtoll(at + strlen(word), NULL, 10) : 0;
}

/*
 * A higher MINVALUE is refused while the sequence's current value is below
 * it: move the value up first (never down, so no key is handed out twice).
 * seq_sql is an SQL expression giving the sequence's regclass; a sequence
 * never used starts at TO's START WITH.
 */
void
sd_pg__raise_sequence_value(planner *p, const char *seq_sql, const char *def_a, const char *def_b)
{
	long long min_a = seq_option(def_a, "MINVALUE "), min_b = seq_option(def_b, "MINVALUE ");
	long long start_b = seq_option(def_b, "START WITH ");

	if (min_b <= min_a)
		return;
	sd_str_appendf(p->out,
		       "SELECT pg_catalog.setval(s, GREATEST(coalesce(pg_catalog.pg_sequence_last_value(s), "
		       "%lld), %lld), coalesce(pg_catalog.pg_sequence_last_value(s) >= %lld, false)) "
		       "FROM (SELECT %s AS s) AS seq;\n",
		       start_b, min_b, min_b, seq_sql);
}

static void
raise_sequence_value(planner *p, const sd_object *a, const sd_object *b)
{
	sd_str name, expr;

	sd_str_init(&name);
	sd_str_init(&expr);
	qn(&name, b->schema, b->name);
	sd_sql_string(&expr, name.ptr);
	sd_str_append(&expr, "::regclass");
	sd_pg__raise_sequence_value(p, expr.ptr, a->definition, b->definition);
	sd_str_dispose(&name);
	sd_str_dispose(&expr);
}

static void
alter_sequence(planner *p, const sd_object *a, const sd_object *b)
{
	if (sd_streq(a->definition, b->definition))
		return;
	raise_sequence_value(p, a, b);
	sd_str_append(p->out, "ALTER SEQUENCE ");
	qn(p->out, b->schema, b->name);
	sd_str_appendf(p->out, " %s;\n", b->definition);
	if (sd_props_get(&a->props, "unlogged") != sd_props_get(&b->props, "unlogged")) {
		sd_str_append(p->out, "ALTER SEQUENCE ");
		qn(p->out, b->schema, b->name);
		sd_str_append(p->out, sd_props_get(&b->props, "unlogged") ? " SET UNLOGGED;\n"
									   : " SET LOGGED;\n");
	}
}

/* The type name as format_type spells it in column types: quoted only when needed. */
static void
type_name_as_used(sd_str *s, const char *schema, const char *name)
{
	const char *parts[2] = {schema, name};

	for (int k = 0; k < 2; k++) {
		const char *id = parts[k];
		bool plain = (*id >= 'a' && *id <= 'z') || *id == '_';
		for (const char *c = id; *c && plain; c++)
			plain = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' ||
				*c == '$';
		if (k)
			sd_str_appendc(s, '.');
		if (plain)
			sd_str_append(s, id);
		else
			q(s, id);
	}
}

/*
 * An enum that lost or reordered labels: rename the old type, create the
 * new one, convert every column through text, drop the old type. Rows
 * holding a removed label make the conversion fail: no data is lost.
 */
static void
rebuild_enum(planner *p, const sd_object *a, const sd_object *b)
{
	const char *old = sd_arena_printf(&p->arena, "%s__schemad_old", a->name);
	sd_str used, arr;

	sd_str_init(&used);
	sd_str_init(&arr);
	type_name_as_used(&used, a->schema, a->name);
	sd_str_appendf(&arr, "%s[]", used.ptr);
	sd_sql_comment(p->out, "destructive: recreates the enum; rows holding a removed label fail");
	sd_str_append(p->out, "ALTER TYPE ");
	qn(p->out, a->schema, a->name);
	sd_str_append(p->out, " RENAME TO ");
	q(p->out, old);
	sd_str_append(p->out, ";\n");
	create_obj(p, b);
	for (size_t i = 0; i < p->d->from->n_tables; i++) {
		const sd_table *t = &p->d->from->tables[i];
		if (!sd_schema_find_table(p->d->to, t->schema, t->name))
			continue; /* dropped before */
		for (size_t k = 0; k < t->n_columns; k++) {
			const sd_column *c = &t->columns[k];
			bool is_arr = sd_streq(c->type, arr.ptr);
			if ((!sd_streq(c->type, used.ptr) && !is_arr) ||
			    prop_true(&c->props, "inherited"))
				continue;
			if (c->default_expr) {
				alter_table(p, t);
				sd_str_append(p->out, "ALTER COLUMN ");
				q(p->out, c->name);
				sd_str_append(p->out, " DROP DEFAULT;\n");
			}
			alter_table(p, t);
			sd_str_append(p->out, "ALTER COLUMN ");
			q(p->out, c->name);
			sd_str_appendf(p->out, " TYPE %s USING ", c->type);
			q(p->out, c->name);
			sd_str_appendf(p->out, "::text%s::%s;\n", is_arr ? "[]" : "", c->type);
			if (c->default_expr) {
				/* TO's default is set by the column pass; FROM's comes back otherwise. */
				const sd_table *bt = sd_schema_find_table(p->d->to, t->schema, t->name);
				const sd_column *bc = bt ? sd_table_find_column(bt, c->name) : NULL;
				if (bc && bc->default_expr && sd_streq(bc->default_expr, c->default_expr)) {
					alter_table(p, t);
					sd_str_append(p->out, "ALTER COLUMN ");
					q(p->out, c->name);
					sd_str_appendf(p->out, " SET DEFAULT %s;\n", bc->default_expr);
				}
			}
		}
	}
	sd_str_append(p->out, "DROP TYPE ");
	qn(p->out, a->schema, old);
	sd_str_append(p->out, ";\n");
	sd_str_dispose(&used);
	sd_str_dispose(&arr);
}

/* Length of the quoted attribute name that starts "\"a\"\"b\" integer". */
static size_t
attr_name_len(const char *def)
{
	size_t n = 1;

	while (def[n] && !(def[n] == '"' && def[n + 1] != '"'))
		n += def[n] == '"' ? 2 : 1;
	return def[n] ? n + 1 : n;
}

static const char *
find_attr(const char *const *v, size_t n, const char *def, size_t name_len)
{
	for (size_t i = 0; i < n; i++)
		if (strncmp(v[i], def, name_len) == 0 && v[i][name_len] == ' ')
			return v[i];
	return NULL;
}

static void
alter_attribute(planner *p, const sd_object *b, const char *verb, const char *text)
{
	sd_str_append(p->out, "ALTER TYPE ");
	qn(p->out, b->schema, b->name);
	sd_str_appendf(p->out, " %s ATTRIBUTE %s;\n", verb, text);
}

/* Composite types: DROP / ADD / ALTER ATTRIBUTE, which keeps columns using the type. */
static void
alter_composite(planner *p, const sd_object *a, const sd_object *b)
{
	size_t na, nb;
	const char **va = sd_pg__array(&p->arena, sd_props_get(&a->props, "attributes"), &na);
	const char **vb = sd_pg__array(&p->arena, sd_props_get(&b->props, "attributes"), &nb);

	for (size_t i = 0; i < na; i++) {
		size_t n = attr_name_len(va[i]);
		if (!find_attr(vb, nb, va[i], n)) {
			sd_sql_comment(p->out, "destructive: drops a composite type attribute");
			alter_attribute(p, b, "DROP", sd_arena_strndup(&p->arena, va[i], n));
		}
	}
	for (size_t i = 0; i < nb; i++) {
		size_t n = attr_name_len(vb[i]);
		const char *old = find_attr(va, na, vb[i], n);
		if (!old)
			alter_attribute(p, b, "ADD", vb[i]);
		else if (strcmp(old, vb[i]) != 0)
			alter_attribute(p, b, "ALTER",
					sd_arena_printf(&p->arena, "%.*s TYPE %s", (int)n, vb[i],
							vb[i] + n + 1));
	}
}

/* An enum change that ADD VALUE cannot make: the type is recreated. */
static bool
enum_rebuilt(planner *p, const sd_object *a, const sd_object *b)
{
	sd_str scratch;
	bool additive;

	if (!is_enum_pair(a, b) || only_comment(a, b))
		return false;
	sd_str_init(&scratch);
	additive = enum_additions(p, &scratch, a, b);
	sd_str_dispose(&scratch);
	return !additive;
}

/* Type alterations: enum labels added in place (before BEGIN) or the enum rebuilt. */
static void
alter_types(planner *p)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_object *a = c->old_item, *b = c->new_item;
		if (c->what != SD_WHAT_OBJECT || c->op != SD_OP_ALTER || b->kind != SD_OBJ_TYPE ||
		    sd_change_is_access(c) || only_comment(a, b) || !altered_in_place(a, b))
			continue;
		if (is_composite_pair(a, b))
			alter_composite(p, a, b);
		else if (!enum_additions(p, &p->pre, a, b))
			rebuild_enum(p, a, b);
	}
}

/* In-place alterations of extensions, sequences and functions, and comments. */
static void
alter_objects(planner *p, sd_obj_kind kind)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_object *a = c->old_item, *b = c->new_item;
		if (c->what != SD_WHAT_OBJECT || c->op != SD_OP_ALTER || b->kind != kind ||
		    sd_change_is_access(c))
			continue;
		if (!only_comment(a, b)) {
			if (kind == SD_OBJ_EXTENSION)
				alter_extension(p, a, b);
			else if (kind == SD_OBJ_SEQUENCE)
				alter_sequence(p, a, b);
			else if (kind == SD_OBJ_FUNCTION && !function_replaced(c) &&
				 !p->create_obj[obj_index(p->d->to, b)])
				sd_str_appendf(p->out, "%s;\n", b->ddl);
		}
		if (!p->create_obj[obj_index(p->d->to, b)] &&
		    !sd_streq(sd_props_get(&a->props, "comment"), sd_props_get(&b->props, "comment")))
			comment_obj(p, b);
	}
}

/* ---- the plan -------------------------------------------------------- */

static void
drops(planner *p, const sd_table *const *dropped, size_t n_dropped)
{
	const sd_schema *A = p->d->from;

	emit_objects(p, A, p->drop_obj, SD_OBJ_POLICY, EMIT_DROP_ALL);
	emit_objects(p, A, p->drop_obj, SD_OBJ_TRIGGER, EMIT_DROP_ALL);
	emit_objects(p, A, p->drop_obj, SD_OBJ_MATVIEW, EMIT_DROP_ALL);
	emit_objects(p, A, p->drop_obj, SD_OBJ_VIEW, EMIT_DROP_ALL);
	sd_pg__drop_constraints(p, true);
	sd_pg__drop_constraints(p, false);
	sd_pg__drop_families(p);
	sd_pg__drop_indexes(p);
	sd_pg__sequence_owners(p, true);
	sd_pg__reparent(p, true);
	sd_pg__drop_columns(p);
	emit_row_type_objects(p, true);
	sd_pg__rebuild_rename(p);
	for (size_t i = n_dropped; i-- > 0;) {
		sd_sql_comment(p->out, "destructive: drops the table and its rows");
		sd_str_append(p->out, "DROP TABLE IF EXISTS ");
		qn(p->out, dropped[i]->schema, dropped[i]->name);
		sd_str_append(p->out, ";\n");
	}
	emit_objects(p, A, p->drop_obj, SD_OBJ_FUNCTION, EMIT_DROP_REPLACED);
	emit_objects(p, A, p->drop_obj, SD_OBJ_SEQUENCE, EMIT_DROP_REPLACED);
	emit_objects(p, A, p->drop_obj, SD_OBJ_TYPE, EMIT_DROP_REPLACED);
}

/* Objects TO no longer has, once no default, column or trigger uses them. */
static void
final_drops(planner *p)
{
	const sd_schema *A = p->d->from;

	emit_objects(p, A, p->drop_obj, SD_OBJ_FUNCTION, EMIT_DROP_GONE);
	emit_objects(p, A, p->drop_obj, SD_OBJ_SEQUENCE, EMIT_DROP_GONE);
	emit_objects(p, A, p->drop_obj, SD_OBJ_TYPE, EMIT_DROP_GONE);
	emit_objects(p, A, p->drop_obj, SD_OBJ_EXTENSION, EMIT_DROP_ALL);
	emit_objects(p, A, p->drop_obj, SD_OBJ_SCHEMA, EMIT_DROP_ALL);
}

static void
creates(planner *p, const sd_table *const *created, size_t n_created)
{
	const sd_schema *B = p->d->to;

	emit_objects(p, B, p->create_obj, SD_OBJ_SCHEMA, EMIT_CREATE);
	alter_objects(p, SD_OBJ_SCHEMA);
	emit_objects(p, B, p->create_obj, SD_OBJ_EXTENSION, EMIT_CREATE);
	alter_objects(p, SD_OBJ_EXTENSION);
	emit_objects(p, B, p->create_obj, SD_OBJ_TYPE, EMIT_CREATE_EARLY);
	alter_types(p);
	alter_objects(p, SD_OBJ_TYPE);
	emit_objects(p, B, p->create_obj, SD_OBJ_SEQUENCE, EMIT_CREATE);
	alter_objects(p, SD_OBJ_SEQUENCE);
	emit_objects(p, B, p->create_obj, SD_OBJ_FUNCTION, EMIT_CREATE);
	emit_objects(p, B, p->create_obj, SD_OBJ_TYPE, EMIT_CREATE_LATE);
	alter_objects(p, SD_OBJ_FUNCTION);
	for (size_t i = 0; i < n_created; i++)
		sd_pg__create_table(p, created[i]);
	emit_row_type_objects(p, false);
	sd_pg__rebuild_copy(p);
	sd_pg__reparent(p, false);
	sd_pg__table_changes(p);
	sd_pg__add_constraints(p, false, created, n_created);
	sd_pg__create_indexes(p, created, n_created);
	sd_pg__build_families(p);
	sd_pg__key_index_settings(p, created, n_created);
	sd_pg__replica_identity(p, created, n_created);
	emit_objects(p, B, p->create_obj, SD_OBJ_VIEW, EMIT_CREATE);
	emit_objects(p, B, p->create_obj, SD_OBJ_MATVIEW, EMIT_CREATE);
	alter_objects(p, SD_OBJ_VIEW);
	alter_objects(p, SD_OBJ_MATVIEW);
	emit_objects(p, B, p->create_obj, SD_OBJ_TRIGGER, EMIT_CREATE);
	alter_objects(p, SD_OBJ_TRIGGER);
	emit_objects(p, B, p->create_obj, SD_OBJ_POLICY, EMIT_CREATE);
	alter_objects(p, SD_OBJ_POLICY);
	sd_pg__add_constraints(p, true, created, n_created);
	sd_pg__sequence_owners(p, false);
	sd_pg__access_changes(p);
}

static int
plan(sd_str *out, const sd_diff *d, const sd_plan_opts *opts, sd_err *err)
{
	planner p = {.d = d, .opts = opts};
	size_t n = sd_pg__count_table_changes(d) + 1;
	const sd_table **created = sd_xcalloc(n, sizeof(*created));
	const sd_table **dropped = sd_xcalloc(n, sizeof(*dropped));
	size_t n_created, n_dropped;
	sd_str body;
	int rc = SD_OK;

	if (d->n_changes == 0)
		goto done;
	/* TO may be a snapshot: no text of it may carry a statement of its own. */
	if ((rc = sd_pg__check_texts(d->to, err)))
		goto done;
	sd_arena_init(&p.arena);
	sd_str_init(&p.pre);
	sd_str_init(&p.after);
	sd_str_init(&body);
	p.out = &body;
	n_created = sd_pg__table_order(&p, created, true);
	n_dropped = sd_pg__table_order(&p, dropped, false);
	mark_objects(&p, created, n_created, dropped, n_dropped);
	sd_pg__index_families(&p);
	drops(&p, dropped, n_dropped);
	creates(&p, created, n_created);
	final_drops(&p);
	/* What the plan realizes and what each change risks, before any statement. */
	sd_sql_comment(out, "changes this plan makes, with their risk and reasons:");
	for (size_t i = 0; i < d->n_changes; i++)
		sd_change_comment(out, &d->changes[i]);
	/*
	 * The text below is written for these settings: string literals without
	 * backslash escapes (a '\' under standard_conforming_strings = off would
	 * end no literal and shift every quote after it) and UTF-8 names (a
	 * client encoding like SJIS reads some UTF-8 bytes as quotes). psql
	 * follows both for its own lexing once the server reports them.
	 */
	sd_str_append(out, "SET standard_conforming_strings = on;\nSET client_encoding = 'UTF8';\n");
	if (p.pre.len) {
		sd_str_append(out, "-- enum labels are added before the transaction: a label added "
				   "inside one cannot be used until it commits\n");
		sd_str_append(out, p.pre.ptr);
	}
	/* Function bodies may name tables created further down: check them at run time. */
	sd_str_append(out, "BEGIN;\nSET LOCAL check_function_bodies = false;\n");
	sd_str_append(out, body.ptr);
	sd_str_append(out, "COMMIT;\n");
	if (p.after.len) {
		sd_sql_comment(out, "CREATE INDEX CONCURRENTLY cannot run inside a transaction");
		sd_str_append(out, p.after.ptr);
	}
	free(p.drop_obj);
	free(p.drop_early);
	free(p.drop_first);
	free(p.create_late);
	sd_vec_dispose(&p.fam_drop);
	sd_vec_dispose(&p.fam_build);
	sd_vec_dispose(&p.made_early);
	free(p.create_obj);
	sd_str_dispose(&p.pre);
	sd_str_dispose(&p.after);
	sd_str_dispose(&body);
	sd_arena_dispose(&p.arena);
done:
	free(created);
	free(dropped);
	return rc;
}

const sd_dialect sd_pg_dialect = {
	.name = "postgres",
	.quote_ident = sd_pg_quote_ident,
	.plan = plan,
	.adjust_risk = sd_pg__adjust_risk,
	/* ALTER TABLE ADD COLUMN appends; PostgreSQL tools do not rebuild tables to reorder. */
	.ignore_column_order = true,
	.same_definition = sd_pg__same_definition,
};
