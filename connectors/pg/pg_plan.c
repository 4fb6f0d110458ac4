/*
 * connectors/pg/pg_plan.c: the PostgreSQL dialect's plan.
 *
 * The plan runs on FROM and makes it equal TO, in one transaction:
 *
 *   enum ADD VALUE (before BEGIN: a new label cannot be used in the
 *   transaction that adds it)
 *   BEGIN
 *   drops, dependents first: triggers, policies, views (those changed and
 *   those reading a table whose columns change, recreated later), foreign
 *   keys, other constraints, indexes, columns, tables, functions,
 *   sequences, types, extensions, schemas
 *   creates, referenced objects first: schemas, extensions, types,
 *   sequences, functions (check_function_bodies off, so bodies may name
 *   tables created later), tables (parents before partitions and
 *   children), column changes, constraints, indexes, views in dependency
 *   order, triggers, policies, foreign keys last, sequence ownership,
 *   comments
 *   COMMIT
 *
 * Every identifier is quoted; statements that lose data carry a
 * "-- destructive:" comment. --concurrently moves CREATE INDEX after
 * COMMIT as CREATE INDEX CONCURRENTLY (it cannot run in a transaction).
 *
 * Not yet: reordering columns (reported, not planned), changing a
 * table's partition key, domains and composite types in use (recreated,
 * which fails while columns use them).
 */
#include "connectors/pg/pg_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct planner {
	const sd_diff *d;
	sd_str *out;
	sd_str pre;            /* statements that must precede BEGIN (enum ADD VALUE) */
	sd_str after;          /* statements that must follow COMMIT */
	const sd_plan_opts *opts;
	sd_arena arena;
	bool *drop_obj;        /* per FROM object: dropped in this plan */
	bool *create_obj;      /* per TO object: created in this plan */
} planner;

/* ---- text helpers ---------------------------------------------------- */

static void
q(sd_str *s, const char *id)
{
	sd_pg_quote_ident(s, id);
}

static void
qn(sd_str *s, const char *schema, const char *name)
{
	if (schema && *schema) {
		q(s, schema);
		sd_str_appendc(s, '.');
	}
	q(s, name);
}

static void
literal(sd_str *s, const char *text)
{
	if (!text) {
		sd_str_append(s, "NULL");
		return;
	}
	sd_str_appendc(s, '\'');
	for (const char *p = text; *p; p++) {
		if (*p == '\'')
			sd_str_appendc(s, '\'');
		sd_str_appendc(s, *p);
	}
	sd_str_appendc(s, '\'');
}

static void
alter_table(planner *p, const sd_table *t)
{
	sd_str_append(p->out, "ALTER TABLE ");
	qn(p->out, t->schema, t->name);
	sd_str_appendc(p->out, ' ');
}

static bool
prop_true(const sd_props *props, const char *key)
{
	return sd_props_get(props, key) != NULL;
}

/* ---- tables rebuilt (partitioning changed) ----------------------------- */

static const sd_table *
counterpart(const sd_schema *s, const sd_table *t)
{
	return t ? sd_schema_find_table(s, t->schema, t->name) : NULL;
}

static bool
same_quoted_name(const sd_table *t, const char *quoted)
{
	sd_str name;
	bool eq;

	sd_str_init(&name);
	qn(&name, t->schema, t->name);
	eq = sd_streq(name.ptr, quoted);
	sd_str_dispose(&name);
	return eq;
}

static bool
rebuilt(planner *p, const sd_table *t);

/* Its partitioning changes: no ALTER TABLE turns a table into a partitioned one or back. */
static bool
rebuild_root(planner *p, const sd_table *t)
{
	const sd_table *a = counterpart(p->d->from, t), *b = counterpart(p->d->to, t);

	(void)p;
	return a && b &&
	       !sd_streq(sd_props_get(&a->props, "partition_by"), sd_props_get(&b->props, "partition_by"));
}

/* Rebuilt: its partitioning changes, or it is a partition of a rebuilt table in FROM. */
static bool
rebuilt(planner *p, const sd_table *t)
{
	const sd_table *a = counterpart(p->d->from, t);
	const char *parent = a ? sd_props_get(&a->props, "partition_of") : NULL;

	if (!a || !counterpart(p->d->to, t))
		return false;
	if (rebuild_root(p, a))
		return true;
	for (size_t i = 0; parent && i < p->d->from->n_tables; i++)
		if (same_quoted_name(&p->d->from->tables[i], parent))
			return rebuilt(p, &p->d->from->tables[i]);
	return false;
}

static bool
change_on_rebuilt(planner *p, const sd_change *c)
{
	return c->what != SD_WHAT_OBJECT && rebuilt(p, c->old_table ? c->old_table : c->new_table);
}

static const char *
old_name(planner *p, const sd_table *t)
{
	return sd_arena_printf(&p->arena, "%s__schemad_old", t->name);
}

/* Before the new tables exist: the old ones step aside under another name. */
static void
rebuild_rename(planner *p)
{
	for (size_t i = 0; i < p->d->from->n_tables; i++) {
		const sd_table *a = &p->d->from->tables[i];
		if (!rebuilt(p, a))
			continue;
		alter_table(p, a);
		sd_str_append(p->out, "RENAME TO ");
		q(p->out, old_name(p, a));
		sd_str_append(p->out, ";\n");
	}
}

/*
 * Once the new tables exist: copy the rows (a partitioned table's rows
 * through its root, routed to the new partitions), then drop the old
 * table. A row that fits nowhere makes the INSERT fail: nothing is lost.
 */
static void
rebuild_copy(planner *p)
{
	for (size_t i = 0; i < p->d->from->n_tables; i++) {
		const sd_table *a = &p->d->from->tables[i], *b = counterpart(p->d->to, a);
		const char *parent = sd_props_get(&a->props, "partition_of");
		sd_str cols;
		if (!rebuilt(p, a) || (parent && !rebuild_root(p, a)))
			continue; /* partitions of a rebuilt table are copied through it */
		sd_str_init(&cols);
		for (size_t k = 0; k < b->n_columns; k++) {
			const sd_column *c = &b->columns[k];
			if (c->generated || !sd_table_find_column(a, c->name))
				continue;
			if (cols.len)
				sd_str_append(&cols, ", ");
			q(&cols, c->name);
		}
		if (cols.len) {
			sd_str_append(p->out, "INSERT INTO ");
			qn(p->out, b->schema, b->name);
			sd_str_appendf(p->out, " (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM ", cols.ptr, cols.ptr);
			qn(p->out, a->schema, old_name(p, a));
			sd_str_append(p->out, ";\n");
		}
		sd_str_append(p->out, "-- destructive: drops the old table once its rows are copied\nDROP TABLE ");
		qn(p->out, a->schema, old_name(p, a));
		sd_str_append(p->out, ";\n");
		sd_str_dispose(&cols);
	}
}

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

static void
comment_on(planner *p, const char *what_prefix, const char *comment)
{
	sd_str_appendf(p->out, "COMMENT ON %s IS ", what_prefix);
	literal(p->out, comment);
	sd_str_append(p->out, ";\n");
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

static bool
reads_broken_table(planner *p, const sd_object *o)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		if (!breaks_views(c))
			continue;
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

/* Only a comment differs: COMMENT ON is enough. */
static bool
only_comment(const sd_object *a, const sd_object *b)
{
	if (!sd_streq(a->definition, b->definition) || !sd_streq(a->table, b->table))
		return false;
	for (size_t i = 0; i < a->props.n_items; i++)
		if (strcmp(a->props.items[i].key, "comment") != 0 &&
		    !sd_streq(a->props.items[i].value, sd_props_get(&b->props, a->props.items[i].key)))
			return false;
	for (size_t i = 0; i < b->props.n_items; i++)
		if (strcmp(b->props.items[i].key, "comment") != 0 &&
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

static void
mark_objects(planner *p)
{
	const sd_schema *A = p->d->from, *B = p->d->to;
	bool changed = true;

	p->drop_obj = sd_xcalloc(A->n_objects + 1, sizeof(bool));
	p->create_obj = sd_xcalloc(B->n_objects + 1, sizeof(bool));
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_object *a = c->old_item, *b = c->new_item;
		if (c->what != SD_WHAT_OBJECT)
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
	/* Whatever depends on a dropped view or function goes too (to a fixed point). */
	while (changed) {
		changed = false;
		for (size_t i = 0; i < A->n_objects; i++) {
			if (p->drop_obj[i] || !recreated_kind(A->objects[i].kind))
				continue;
			for (size_t j = 0; j < A->n_objects && !p->drop_obj[i]; j++)
				if (p->drop_obj[j] && depends_on_obj(&A->objects[i], &A->objects[j]))
					p->drop_obj[i] = changed = true;
			/* trigger functions are named "schema.function" too */
		}
	}
	/* Whatever was dropped and still exists in TO comes back. */
	for (size_t i = 0; i < A->n_objects; i++) {
		const sd_object *o = &A->objects[i];
		if (!p->drop_obj[i] || !recreated_kind(o->kind))
			continue;
		for (size_t j = 0; j < B->n_objects; j++)
			if (sd_model_cmp_object(o, &B->objects[j]) == 0)
				p->create_obj[j] = true;
	}
}

typedef enum emit_mode { EMIT_CREATE, EMIT_DROP_ALL, EMIT_DROP_REPLACED, EMIT_DROP_GONE } emit_mode;

static bool
selected(planner *p, const sd_schema *s, size_t i, emit_mode mode)
{
	bool in_to;

	if (mode == EMIT_CREATE || mode == EMIT_DROP_ALL)
		return true;
	in_to = sd_schema_find_object(p->d->to, s->objects[i].kind, s->objects[i].schema,
				      s->objects[i].name) != NULL;
	return mode == EMIT_DROP_REPLACED ? in_to : !in_to;
}

/*
 * Emits DROP (reverse dependency order) or CREATE of the marked objects of
 * one kind. Objects that TO still has are dropped early to be recreated;
 * those that go away for good are dropped last, once nothing uses them.
 */
static void
emit_objects(planner *p, const sd_schema *s, const bool *marked, sd_obj_kind kind, emit_mode mode)
{
	SD_VEC(const sd_object *) objs = {0};
	bool drop = mode != EMIT_CREATE;
	size_t *order;

	for (size_t i = 0; i < s->n_objects; i++)
		if (marked[i] && s->objects[i].kind == kind && selected(p, s, i, mode))
			sd_vec_push(&objs, &s->objects[i]);
	order = sd_xcalloc(objs.len + 1, sizeof(size_t));
	sd_order_by_depends(order, objs.ptr, objs.len);
	for (size_t n = 0; n < objs.len; n++) {
		const sd_object *o = objs.ptr[order[drop ? objs.len - 1 - n : n]];
		if (!drop) {
			create_obj(p, o);
			continue;
		}
		if (kind == SD_OBJ_SCHEMA || kind == SD_OBJ_EXTENSION || kind == SD_OBJ_TYPE ||
		    kind == SD_OBJ_SEQUENCE || kind == SD_OBJ_FUNCTION)
			sd_str_appendf(p->out, "-- destructive: drops %s %s%s%s\n",
				       sd_obj_kind_name(kind), o->schema, *o->schema ? "." : "",
				       o->name);
		drop_obj(p, o);
	}
	free(order);
	sd_vec_dispose(&objs);
}

/* ---- object alterations ---------------------------------------------- */

static void
alter_extension(planner *p, const sd_object *a, const sd_object *b)
{
	const char *va = sd_props_get(&a->props, "version"), *vb = sd_props_get(&b->props, "version");
	const char *sa = sd_props_get(&a->props, "schema"), *sb = sd_props_get(&b->props, "schema");

	if (!sd_streq(va, vb) && vb) {
		sd_str_append(p->out, "ALTER EXTENSION ");
		q(p->out, b->name);
		sd_str_append(p->out, " UPDATE TO ");
		literal(p->out, vb);
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
		literal(dst, lb[i]);
		if (i > 0) {
			sd_str_append(dst, " AFTER ");
			literal(dst, lb[i - 1]);
		} else if (nb > 1) {
			sd_str_append(dst, " BEFORE ");
			literal(dst, lb[1]);
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
 */
static void
raise_sequence_value(planner *p, const sd_object *a, const sd_object *b)
{
	long long min_a = seq_option(a->definition, "MINVALUE "), min_b = seq_option(b->definition, "MINVALUE ");
	sd_str name;

	if (min_b <= min_a)
		return;
	sd_str_init(&name);
	qn(&name, b->schema, b->name);
	sd_str_append(p->out, "SELECT pg_catalog.setval(");
	literal(p->out, name.ptr);
	sd_str_appendf(p->out, ", GREATEST(last_value, %lld), last_value >= %lld AND is_called) FROM %s;\n",
		       min_b, min_b, name.ptr);
	sd_str_dispose(&name);
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
	sd_str_append(p->out, "-- destructive: recreates the enum; rows holding a removed label fail\n");
	sd_str_append(p->out, "ALTER TYPE ");
	qn(p->out, a->schema, a->name);
	sd_str_append(p->out, " RENAME TO ");
	q(p->out, old);
	sd_str_append(p->out, ";\n");
	create_obj(p, b);
	for (size_t i = 0; i < p->d->from->n_tables; i++) {
		const sd_table *t = &p->d->from->tables[i];
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
			sd_str_append(p->out, "-- destructive: drops a composite type attribute\n");
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

/* Type alterations: enum labels added in place (before BEGIN) or the enum rebuilt. */
static void
alter_types(planner *p)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_object *a = c->old_item, *b = c->new_item;
		if (c->what != SD_WHAT_OBJECT || c->op != SD_OP_ALTER || b->kind != SD_OBJ_TYPE ||
		    only_comment(a, b) || !altered_in_place(a, b))
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
		if (c->what != SD_WHAT_OBJECT || c->op != SD_OP_ALTER || b->kind != kind)
			continue;
		if (!only_comment(a, b)) {
			if (kind == SD_OBJ_EXTENSION)
				alter_extension(p, a, b);
			else if (kind == SD_OBJ_SEQUENCE)
				alter_sequence(p, a, b);
			else if (kind == SD_OBJ_FUNCTION && !function_replaced(c))
				sd_str_appendf(p->out, "%s;\n", b->ddl);
		}
		if (!p->create_obj[obj_index(p->d->to, b)] &&
		    !sd_streq(sd_props_get(&a->props, "comment"), sd_props_get(&b->props, "comment")))
			comment_obj(p, b);
	}
}

/* ---- tables: shapes -------------------------------------------------- */

static void
column_def(sd_str *s, const sd_column *c)
{
	const char *opts = sd_props_get(&c->props, "identity_options");

	q(s, c->name);
	sd_str_appendf(s, " %s", c->type);
	if (c->collation)
		sd_str_appendf(s, " COLLATE %s", c->collation);
	if (c->generated)
		sd_str_appendf(s, " GENERATED ALWAYS AS (%s) STORED", c->generated);
	if (c->identity)
		sd_str_appendf(s, " GENERATED %s AS IDENTITY%s%s%s",
			       strcmp(c->identity, "always") == 0 ? "ALWAYS" : "BY DEFAULT",
			       opts ? " (" : "", opts ? opts : "", opts ? ")" : "");
	if (c->default_expr)
		sd_str_appendf(s, " DEFAULT %s", c->default_expr);
	if (c->not_null)
		sd_str_append(s, " NOT NULL");
}

static void
column_comments(planner *p, const sd_table *t, bool all)
{
	for (size_t i = 0; i < t->n_columns; i++) {
		const sd_column *c = &t->columns[i];
		sd_str ref;
		if (!c->comment || (!all && prop_true(&c->props, "inherited")))
			continue;
		sd_str_init(&ref);
		sd_str_append(&ref, "COLUMN ");
		qn(&ref, t->schema, t->name);
		sd_str_appendc(&ref, '.');
		q(&ref, c->name);
		comment_on(p, ref.ptr, c->comment);
		sd_str_dispose(&ref);
	}
}

static void
table_comment(planner *p, const sd_table *t)
{
	sd_str ref;

	sd_str_init(&ref);
	sd_str_append(&ref, "TABLE ");
	qn(&ref, t->schema, t->name);
	comment_on(p, ref.ptr, t->comment);
	sd_str_dispose(&ref);
}

static void
row_security(planner *p, const sd_table *t, const sd_table *from)
{
	bool on = prop_true(&t->props, "row_security"), forced = prop_true(&t->props, "row_security_forced");
	bool was_on = from && prop_true(&from->props, "row_security");
	bool was_forced = from && prop_true(&from->props, "row_security_forced");

	if (on != was_on) {
		alter_table(p, t);
		sd_str_append(p->out, on ? "ENABLE ROW LEVEL SECURITY;\n" : "DISABLE ROW LEVEL SECURITY;\n");
	}
	if (forced != was_forced) {
		alter_table(p, t);
		sd_str_append(p->out, forced ? "FORCE ROW LEVEL SECURITY;\n" : "NO FORCE ROW LEVEL SECURITY;\n");
	}
}

static void
create_table(planner *p, const sd_table *t)
{
	const char *part_of = sd_props_get(&t->props, "partition_of");
	const char *by = sd_props_get(&t->props, "partition_by");
	const char *inherits = sd_props_get(&t->props, "inherits");
	const char *opts = sd_props_get(&t->props, "reloptions");
	bool first = true;

	sd_str_append(p->out, prop_true(&t->props, "unlogged") ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ");
	qn(p->out, t->schema, t->name);
	if (part_of) {
		sd_str_appendf(p->out, " PARTITION OF %s %s", part_of,
			       sd_props_get(&t->props, "partition_bound"));
	} else {
		sd_str_append(p->out, " (");
		for (size_t i = 0; i < t->n_columns; i++) {
			if (prop_true(&t->columns[i].props, "inherited"))
				continue;
			sd_str_append(p->out, first ? "\n\t" : ",\n\t");
			column_def(p->out, &t->columns[i]);
			first = false;
		}
		sd_str_append(p->out, first ? ")" : "\n)");
		if (inherits)
			sd_str_appendf(p->out, " INHERITS (%s)", inherits);
	}
	if (by)
		sd_str_appendf(p->out, " PARTITION BY %s", by);
	if (opts)
		sd_str_appendf(p->out, " WITH (%s)", opts);
	sd_str_append(p->out, ";\n");
	/* Inherited columns take the parent's definition: set this table's own defaults. */
	for (size_t i = 0; i < t->n_columns; i++) {
		const sd_column *c = &t->columns[i];
		if (!prop_true(&c->props, "inherited"))
			continue;
		if (c->default_expr && !c->identity) {
			alter_table(p, t);
			sd_str_append(p->out, "ALTER COLUMN ");
			q(p->out, c->name);
			sd_str_appendf(p->out, " SET DEFAULT %s;\n", c->default_expr);
		}
		if (c->not_null && !part_of) {
			alter_table(p, t);
			sd_str_append(p->out, "ALTER COLUMN ");
			q(p->out, c->name);
			sd_str_append(p->out, " SET NOT NULL;\n");
		}
	}
	if (t->comment)
		table_comment(p, t);
	column_comments(p, t, part_of != NULL);
	row_security(p, t, NULL);
}

/* Tables that this plan creates (or drops), parents before their partitions and children. */
static size_t
table_order(planner *p, const sd_table **out, bool creating)
{
	const sd_diff *d = p->d;
	SD_VEC(const sd_table *) v = {0};
	size_t n = 0;
	bool *done;

	for (size_t i = 0; i < d->n_changes; i++)
		if (d->changes[i].what == SD_WHAT_TABLE &&
		    d->changes[i].op == (creating ? SD_OP_ADD : SD_OP_DROP))
			sd_vec_push(&v, creating ? d->changes[i].new_table : d->changes[i].old_table);
	for (size_t i = 0; creating && i < d->to->n_tables; i++)
		if (rebuilt(p, &d->to->tables[i]))
			sd_vec_push(&v, &d->to->tables[i]);
	done = sd_xcalloc(v.len + 1, sizeof(bool));
	while (n < v.len) {
		size_t before = n;
		for (size_t i = 0; i < v.len; i++) {
			const char *parents = sd_props_get(&v.ptr[i]->props, "partition_of");
			bool ready = true;
			if (!parents)
				parents = sd_props_get(&v.ptr[i]->props, "inherits");
			for (size_t j = 0; parents && j < v.len && ready; j++) {
				sd_str name;
				if (j == i || done[j])
					continue;
				sd_str_init(&name);
				qn(&name, v.ptr[j]->schema, v.ptr[j]->name);
				ready = !strstr(parents, name.ptr);
				sd_str_dispose(&name);
			}
			if (!done[i] && ready) {
				done[i] = true;
				out[n++] = v.ptr[i];
			}
		}
		if (n == before) /* a cycle cannot happen in a catalog: keep the rest in order */
			for (size_t i = 0; i < v.len; i++)
				if (!done[i]) {
					done[i] = true;
					out[n++] = v.ptr[i];
				}
	}
	free(done);
	sd_vec_dispose(&v);
	return n;
}

static size_t
count_table_changes(const sd_diff *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_changes; i++)
		n += d->changes[i].what == SD_WHAT_TABLE;
	return n + d->to->n_tables; /* rebuilt tables are created too */
}

static bool
table_dropped(planner *p, const sd_table *t)
{
	return t && !sd_schema_find_table(p->d->to, t->schema, t->name);
}

/* ---- constraints and indexes ----------------------------------------- */

static void
drop_constraint(planner *p, const sd_table *t, const sd_constraint *k)
{
	if (k->type == SD_CON_PRIMARY || k->type == SD_CON_UNIQUE || k->type == SD_CON_FOREIGN)
		sd_str_appendf(p->out, "-- destructive: drops %s %s\n", sd_con_type_name(k->type),
			       k->name);
	alter_table(p, t);
	sd_str_append(p->out, "DROP CONSTRAINT IF EXISTS ");
	q(p->out, k->name);
	sd_str_append(p->out, ";\n");
}

static void
constraint_comment(planner *p, const sd_table *t, const sd_constraint *k)
{
	sd_str ref;

	sd_str_init(&ref);
	sd_str_append(&ref, "CONSTRAINT ");
	q(&ref, k->name);
	sd_str_append(&ref, " ON ");
	qn(&ref, t->schema, t->name);
	comment_on(p, ref.ptr, sd_props_get(&k->props, "comment"));
	sd_str_dispose(&ref);
}

static void
add_constraint(planner *p, const sd_table *t, const sd_constraint *k)
{
	alter_table(p, t);
	sd_str_append(p->out, "ADD CONSTRAINT ");
	q(p->out, k->name);
	sd_str_appendf(p->out, " %s;\n", k->expr);
	if (sd_props_get(&k->props, "comment"))
		constraint_comment(p, t, k);
}

static bool
constraint_only_comment(const sd_constraint *a, const sd_constraint *b)
{
	return sd_streq(a->expr, b->expr) &&
	       sd_streq(sd_props_get(&a->props, "inherited"), sd_props_get(&b->props, "inherited"));
}

/* FKs on unchanged tables that point at a key this plan drops and re-adds. */
static bool
fk_needs_rebuild(planner *p, const sd_constraint *fk)
{
	const sd_table *ref = sd_schema_find_table(p->d->from, fk->ref_schema, fk->ref_table);

	if (ref && rebuilt(p, ref))
		return true;
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_constraint *k = c->old_item;
		if (c->what != SD_WHAT_CONSTRAINT || !k || c->op == SD_OP_ADD ||
		    (k->type != SD_CON_PRIMARY && k->type != SD_CON_UNIQUE))
			continue;
		if (c->op == SD_OP_ALTER && constraint_only_comment(k, c->new_item))
			continue;
		if (sd_streq(fk->ref_schema, c->old_table->schema) &&
		    sd_streq(fk->ref_table, c->old_table->name))
			return true;
	}
	return false;
}

/* Drops (drop=true) or re-adds the unchanged FKs that fk_needs_rebuild names. */
static void
rebuild_fks(planner *p, bool drop)
{
	const sd_schema *S = drop ? p->d->from : p->d->to;
	const sd_schema *other = drop ? p->d->to : p->d->from;

	for (size_t i = 0; i < S->n_tables; i++) {
		const sd_table *t = &S->tables[i];
		const sd_table *o = sd_schema_find_table(other, t->schema, t->name);
		if (!o || rebuilt(p, t))
			continue;
		for (size_t k = 0; k < t->n_constraints; k++) {
			const sd_constraint *fk = &t->constraints[k], *ofk = NULL;
			if (fk->type != SD_CON_FOREIGN || prop_true(&fk->props, "inherited"))
				continue;
			for (size_t j = 0; j < o->n_constraints; j++)
				if (o->constraints[j].type == SD_CON_FOREIGN &&
				    sd_streq(o->constraints[j].name, fk->name))
					ofk = &o->constraints[j];
			/* Only FKs the diff leaves alone; changed ones are handled as changes. */
			if (!ofk || !sd_streq(ofk->expr, fk->expr) ||
			    !fk_needs_rebuild(p, drop ? fk : ofk))
				continue;
			if (drop)
				drop_constraint(p, t, fk);
			else
				add_constraint(p, t, fk);
		}
	}
}

/* Phase: drop constraints changing or going away; FKs (foreign=true) go first. */
static void
drop_constraints(planner *p, bool foreign)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_constraint *k = c->old_item;
		if (c->what != SD_WHAT_CONSTRAINT || c->op == SD_OP_ADD ||
		    (k->type == SD_CON_FOREIGN) != foreign || prop_true(&k->props, "inherited"))
			continue;
		if ((c->op == SD_OP_ALTER && constraint_only_comment(k, c->new_item)) ||
		    (!foreign && change_on_rebuilt(p, c)))
			continue;
		drop_constraint(p, c->old_table, k);
	}
	if (!foreign)
		return;
	/* A dropped table's FKs go before any table is dropped: they may point at each other. */
	for (size_t i = 0; i < p->d->from->n_tables; i++) {
		const sd_table *t = &p->d->from->tables[i];
		if (!table_dropped(p, t) && !rebuilt(p, t))
			continue;
		for (size_t k = 0; k < t->n_constraints; k++)
			if (t->constraints[k].type == SD_CON_FOREIGN &&
			    !prop_true(&t->constraints[k].props, "inherited")) {
				alter_table(p, t);
				sd_str_append(p->out, "DROP CONSTRAINT IF EXISTS ");
				q(p->out, t->constraints[k].name);
				sd_str_append(p->out, ";\n");
			}
	}
	rebuild_fks(p, true);
}

static void
add_constraints_of(planner *p, const sd_table *t, bool foreign)
{
	for (size_t k = 0; k < t->n_constraints; k++) {
		const sd_constraint *c = &t->constraints[k];
		if ((c->type == SD_CON_FOREIGN) == foreign && !prop_true(&c->props, "inherited"))
			add_constraint(p, t, c);
	}
}

static void
add_constraints(planner *p, bool foreign, const sd_table *const *created, size_t n_created)
{
	for (size_t i = 0; i < n_created; i++)
		add_constraints_of(p, created[i], foreign);
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_constraint *k = c->new_item;
		if (c->what != SD_WHAT_CONSTRAINT || c->op == SD_OP_DROP ||
		    (k->type == SD_CON_FOREIGN) != foreign || prop_true(&k->props, "inherited") ||
		    change_on_rebuilt(p, c))
			continue;
		if (c->op == SD_OP_ALTER && constraint_only_comment(c->old_item, k))
			constraint_comment(p, c->new_table, k);
		else
			add_constraint(p, c->new_table, k);
	}
	if (foreign)
		rebuild_fks(p, false);
}

static void
index_ref(sd_str *s, const sd_table *t, const sd_index *ix)
{
	qn(s, t->schema, ix->name);
}

static bool
index_only_comment(const sd_index *a, const sd_index *b)
{
	return sd_streq(sd_props_get(&a->props, "definition"), sd_props_get(&b->props, "definition"));
}

static void
create_index(planner *p, const sd_table *t, const sd_index *ix)
{
	const char *def = ix->definition, *only = strstr(def, " ON ONLY ");
	sd_str *dst = p->opts && p->opts->concurrently ? &p->after : p->out;
	sd_str ref;

	if (p->opts && p->opts->concurrently) {
		/* "CREATE [UNIQUE] INDEX" -> "... INDEX CONCURRENTLY": outside the transaction. */
		const char *at = strstr(def, "INDEX ");
		sd_str_appendn(dst, def, (size_t)(at - def) + 6);
		sd_str_append(dst, "CONCURRENTLY ");
		def = at + 6;
	}
	/* ON ONLY leaves partitions without the index: the plan builds it everywhere. */
	if (only) {
		sd_str_appendn(dst, def, (size_t)(only - def));
		sd_str_appendf(dst, " ON %s;\n", only + 9);
	} else {
		sd_str_appendf(dst, "%s;\n", def);
	}
	if (sd_props_get(&ix->props, "comment")) {
		sd_str_init(&ref);
		sd_str_append(&ref, "INDEX ");
		index_ref(&ref, t, ix);
		sd_str_appendf(dst, "COMMENT ON %s IS ", ref.ptr);
		literal(dst, sd_props_get(&ix->props, "comment"));
		sd_str_append(dst, ";\n");
		sd_str_dispose(&ref);
	}
}

static void
drop_indexes(planner *p)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_index *ix = c->old_item;
		if (c->what != SD_WHAT_INDEX || c->op == SD_OP_ADD || prop_true(&ix->props, "inherited") ||
		    change_on_rebuilt(p, c))
			continue;
		if (c->op == SD_OP_ALTER && index_only_comment(ix, c->new_item))
			continue;
		sd_str_append(p->out, "DROP INDEX IF EXISTS ");
		index_ref(p->out, c->old_table, ix);
		sd_str_append(p->out, ";\n");
	}
}

static void
create_indexes(planner *p, const sd_table *const *created, size_t n_created)
{
	for (size_t i = 0; i < n_created; i++)
		for (size_t k = 0; k < created[i]->n_indexes; k++) {
			const sd_index *ix = &created[i]->indexes[k];
			if (!ix->constraint_backed && !prop_true(&ix->props, "inherited"))
				create_index(p, created[i], ix);
		}
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_index *ix = c->new_item;
		if (c->what != SD_WHAT_INDEX || c->op == SD_OP_DROP || prop_true(&ix->props, "inherited") ||
		    change_on_rebuilt(p, c))
			continue;
		if (c->op == SD_OP_ALTER && index_only_comment(c->old_item, ix)) {
			sd_str ref;
			sd_str_init(&ref);
			sd_str_append(&ref, "INDEX ");
			index_ref(&ref, c->new_table, ix);
			comment_on(p, ref.ptr, sd_props_get(&ix->props, "comment"));
			sd_str_dispose(&ref);
		} else {
			create_index(p, c->new_table, ix);
		}
	}
}

/* ---- columns --------------------------------------------------------- */

static void
alter_column(planner *p, const sd_table *t, const sd_column *c)
{
	alter_table(p, t);
	sd_str_append(p->out, "ALTER COLUMN ");
	q(p->out, c->name);
	sd_str_appendc(p->out, ' ');
}

/* "START WITH 1 INCREMENT BY 1 ..." -> "SET START WITH 1 SET INCREMENT BY 1 ..." */
static void
identity_set_options(sd_str *s, const char *opts)
{
	static const char *const words[] = {"START", "INCREMENT", "MINVALUE", "MAXVALUE",
					    "CACHE", "NO", "CYCLE"};
	bool after_no = false;

	for (const char *w = opts; *w;) {
		size_t n = strcspn(w, " ");
		bool kw = false;
		for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
			kw |= strlen(words[k]) == n && strncmp(words[k], w, n) == 0;
		if (kw && !after_no)
			sd_str_append(s, " SET");
		after_no = n == 2 && strncmp(w, "NO", 2) == 0;
		sd_str_appendc(s, ' ');
		sd_str_appendn(s, w, n);
		w += n;
		while (*w == ' ')
			w++;
	}
}

static void
column_type(planner *p, const sd_table *t, const sd_column *a, const sd_column *b)
{
	/* A default may not cast to the new type: take it off, put TO's back after. */
	if (a->default_expr) {
		alter_column(p, t, a);
		sd_str_append(p->out, "DROP DEFAULT;\n");
	}
	alter_column(p, t, a);
	sd_str_appendf(p->out, "TYPE %s", b->type);
	if (b->collation)
		sd_str_appendf(p->out, " COLLATE %s", b->collation);
	sd_str_append(p->out, " USING ");
	q(p->out, a->name);
	/* User types (schema-qualified: enums, domains) have no cast to each other; text does. */
	sd_str_appendf(p->out, "%s::%s;\n", strchr(a->type, '.') || strchr(b->type, '.') ? "::text" : "",
		       b->type);
	if (b->default_expr) {
		alter_column(p, t, b);
		sd_str_appendf(p->out, "SET DEFAULT %s;\n", b->default_expr);
	}
}

static void
column_identity(planner *p, const sd_table *t, const sd_column *a, const sd_column *b)
{
	const char *opts = sd_props_get(&b->props, "identity_options");

	alter_column(p, t, b);
	if (!b->identity) {
		sd_str_append(p->out, "DROP IDENTITY IF EXISTS;\n");
	} else if (!a->identity) {
		sd_str_appendf(p->out, "ADD GENERATED %s AS IDENTITY%s%s%s;\n",
			       strcmp(b->identity, "always") == 0 ? "ALWAYS" : "BY DEFAULT",
			       opts ? " (" : "", opts ? opts : "", opts ? ")" : "");
	} else {
		sd_str_appendf(p->out, "SET GENERATED %s;\n",
			       strcmp(b->identity, "always") == 0 ? "ALWAYS" : "BY DEFAULT");
	}
}

static void
add_column(planner *p, const sd_table *t, const sd_column *c)
{
	alter_table(p, t);
	sd_str_append(p->out, "ADD COLUMN ");
	column_def(p->out, c);
	sd_str_append(p->out, ";\n");
	if (c->comment) {
		sd_str ref;
		sd_str_init(&ref);
		sd_str_append(&ref, "COLUMN ");
		qn(&ref, t->schema, t->name);
		sd_str_appendc(&ref, '.');
		q(&ref, c->name);
		comment_on(p, ref.ptr, c->comment);
		sd_str_dispose(&ref);
	}
}

static void
drop_column(planner *p, const sd_table *t, const sd_column *c)
{
	sd_str_append(p->out, "-- destructive: drops the column and its data\n");
	alter_table(p, t);
	sd_str_append(p->out, "DROP COLUMN IF EXISTS ");
	q(p->out, c->name);
	sd_str_append(p->out, ";\n");
}

static void
column_generated(planner *p, const sd_table *t, const sd_column *a, const sd_column *b)
{
	if (a->generated && !b->generated) {
		alter_column(p, t, a);
		sd_str_append(p->out, "DROP EXPRESSION;\n");
		return;
	}
	/* No ALTER turns a column into a generated one (or changes the expression). */
	drop_column(p, t, a);
	add_column(p, t, b);
}

static bool
is_kind(const sd_change *c, const char *kind)
{
	return strcmp(c->kind, kind) == 0;
}

/* DETACH PARTITION and NO INHERIT keep the columns, now local. */
static bool
leaves_parent(const sd_table *a, const sd_table *b)
{
	return !sd_streq(sd_props_get(&a->props, "partition_of"), sd_props_get(&b->props, "partition_of")) ||
	       !sd_streq(sd_props_get(&a->props, "inherits"), sd_props_get(&b->props, "inherits"));
}

static void
column_change(planner *p, const sd_change *c)
{
	const sd_table *t = c->new_table;
	const sd_column *a = c->old_item, *b = c->new_item;
	bool inherited = prop_true(&(b ? b : a)->props, "inherited");

	if (change_on_rebuilt(p, c))
		return;

	if (c->op == SD_OP_ADD) {
		if (!inherited)
			add_column(p, t, b);
	} else if (c->op == SD_OP_DROP) {
		if (!inherited)
			drop_column(p, c->old_table, a);
	} else if (is_kind(c, "column.type_widen") || is_kind(c, "column.type_narrow") ||
		   is_kind(c, "column.type_change") || is_kind(c, "column.collation")) {
		/* A type change also covers a collation change on the same column. */
		if (!inherited && !(is_kind(c, "column.collation") && !sd_streq(a->type, b->type)))
			column_type(p, t, a, b);
	} else if (is_kind(c, "column.set_not_null") || is_kind(c, "column.drop_not_null")) {
		alter_column(p, t, b);
		sd_str_append(p->out, b->not_null ? "SET NOT NULL;\n" : "DROP NOT NULL;\n");
	} else if (is_kind(c, "column.default")) {
		alter_column(p, t, b);
		if (b->default_expr)
			sd_str_appendf(p->out, "SET DEFAULT %s;\n", b->default_expr);
		else
			sd_str_append(p->out, "DROP DEFAULT;\n");
	} else if (is_kind(c, "column.generated")) {
		if (!inherited)
			column_generated(p, t, a, b);
	} else if (is_kind(c, "column.identity")) {
		column_identity(p, t, a, b);
	} else if (is_kind(c, "column.comment")) {
		sd_str ref;
		sd_str_init(&ref);
		sd_str_append(&ref, "COLUMN ");
		qn(&ref, t->schema, t->name);
		sd_str_appendc(&ref, '.');
		q(&ref, b->name);
		comment_on(p, ref.ptr, b->comment);
		sd_str_dispose(&ref);
	} else if (is_kind(c, "column.option") && sd_streq(c->property, "inherited") &&
		   !inherited && !leaves_parent(c->old_table, t)) {
		/* Inherited in FROM, local in TO: dropping the parent's column took it away. */
		alter_table(p, t);
		sd_str_append(p->out, "ADD COLUMN IF NOT EXISTS ");
		column_def(p->out, b);
		sd_str_append(p->out, ";\n");
	} else if (is_kind(c, "column.option") && sd_streq(c->property, "identity_options") &&
		   b->identity && a->identity) {
		alter_column(p, t, b);
		identity_set_options(p->out, sd_props_get(&b->props, "identity_options"));
		sd_str_append(p->out, ";\n");
	}
}

/* ---- table options --------------------------------------------------- */

/* "a=1, b=2" -> "a, b": the keys RESET needs. */
static void
reloption_keys_missing(sd_str *s, const char *from, const char *to)
{
	bool first = true;

	for (const char *k = from; k && *k;) {
		size_t n = strcspn(k, "="), len = strcspn(k, ",");
		sd_str key;
		sd_str_init(&key);
		sd_str_appendn(&key, k, n);
		sd_str_appendc(&key, '=');
		if (!to || !strstr(to, key.ptr)) {
			sd_str_append(s, first ? "" : ", ");
			sd_str_appendn(s, k, n);
			first = false;
		}
		sd_str_dispose(&key);
		k += len;
		while (*k == ',' || *k == ' ')
			k++;
	}
}

static void
table_option(planner *p, const sd_change *c)
{
	const sd_table *a = c->old_table, *b = c->new_table;
	const char *key = c->property, *vb = sd_props_get(&b->props, key);
	const char *va = sd_props_get(&a->props, key);

	if (strcmp(key, "unlogged") == 0) {
		alter_table(p, b);
		sd_str_append(p->out, vb ? "SET UNLOGGED;\n" : "SET LOGGED;\n");
	} else if (strcmp(key, "row_security") == 0 || strcmp(key, "row_security_forced") == 0) {
		if (strcmp(key, "row_security") == 0 || !sd_props_get(&b->props, "row_security") ||
		    sd_streq(sd_props_get(&a->props, "row_security"), sd_props_get(&b->props, "row_security")))
			row_security(p, b, a);
	} else if (strcmp(key, "reloptions") == 0) {
		sd_str keys;
		sd_str_init(&keys);
		reloption_keys_missing(&keys, va, vb);
		if (keys.len) {
			alter_table(p, b);
			sd_str_appendf(p->out, "RESET (%s);\n", keys.ptr);
		}
		if (vb) {
			alter_table(p, b);
			sd_str_appendf(p->out, "SET (%s);\n", vb);
		}
		sd_str_dispose(&keys);
	} else if (strcmp(key, "inherits") == 0 || strcmp(key, "partition_of") == 0 ||
		   strcmp(key, "partition_bound") == 0) {
		return; /* reparent() */
	} else {
		sd_str_appendf(p->out, "-- cannot change %s of ", key);
		qn(p->out, b->schema, b->name);
		sd_str_append(p->out, " in place: recreate the table\n");
	}
}

/*
 * The order PostgreSQL needs within one column: an identity goes before
 * DROP NOT NULL and comes after DROP DEFAULT and SET NOT NULL; the type
 * changes before a default of the new type is set.
 */
static int
column_rank(const sd_change *c)
{
	const sd_column *b = c->new_item;
	static const char *const kinds[] = {
		"column.type_widen", "column.type_narrow", "column.type_change", "column.collation",
		"column.default",    "column.generated",   "column.set_not_null", "column.drop_not_null",
	};

	if (is_kind(c, "column.identity"))
		return b->identity ? 6 : 0;
	for (int k = 0; k < (int)(sizeof(kinds) / sizeof(*kinds)); k++)
		if (is_kind(c, kinds[k]))
			return 1 + k / 2;
	return 7;
}

/* Each parent of a quoted list "s"."a", "s"."b": INHERIT and NO INHERIT take one. */
static void
each_parent(planner *p, const sd_table *t, const char *list, const char *verb)
{
	for (const char *at = list; at && *at;) {
		const char *sep = strstr(at, "\", \"");
		size_t n = sep ? (size_t)(sep - at) + 1 : strlen(at);
		alter_table(p, t);
		sd_str_appendf(p->out, "%s %.*s;\n", verb, (int)n, at);
		at = sep ? sep + 3 : NULL;
	}
}

/*
 * Inheritance and partition membership. Leaving a parent comes before any
 * column is dropped (a parent's DROP COLUMN would take the child's
 * inherited column with it); joining one comes once the parent exists.
 */
static void
reparent(planner *p, bool leave)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_table *a = c->old_table, *b = c->new_table;
		const char *key = c->property;
		if (c->what != SD_WHAT_TABLE || !is_kind(c, "table.option") || change_on_rebuilt(p, c))
			continue;
		if (strcmp(key, "inherits") == 0) {
			each_parent(p, b, sd_props_get(&(leave ? a : b)->props, key),
				    leave ? "NO INHERIT" : "INHERIT");
		} else if (strcmp(key, "partition_of") == 0 ||
			   (strcmp(key, "partition_bound") == 0 &&
			    sd_streq(sd_props_get(&a->props, "partition_of"),
				     sd_props_get(&b->props, "partition_of")))) {
			const sd_table *t = leave ? a : b;
			const char *parent = sd_props_get(&t->props, "partition_of");
			if (!parent)
				continue;
			sd_str_appendf(p->out, "ALTER TABLE %s %s PARTITION ", parent,
				       leave ? "DETACH" : "ATTACH");
			qn(p->out, t->schema, t->name);
			if (!leave)
				sd_str_appendf(p->out, " %s", sd_props_get(&t->props, "partition_bound"));
			sd_str_append(p->out, ";\n");
		}
	}
}

static void
table_changes(planner *p)
{
	for (int rank = 0; rank <= 7; rank++)
		for (size_t i = 0; i < p->d->n_changes; i++) {
			const sd_change *c = &p->d->changes[i];
			if (c->what == SD_WHAT_COLUMN && c->op == SD_OP_ALTER && column_rank(c) == rank)
				column_change(p, c);
		}
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		if (c->what == SD_WHAT_COLUMN && c->op == SD_OP_ADD)
			column_change(p, c);
		else if (c->what == SD_WHAT_TABLE && c->op == SD_OP_ALTER && !change_on_rebuilt(p, c)) {
			if (is_kind(c, "table.option"))
				table_option(p, c);
			else if (is_kind(c, "table.comment"))
				table_comment(p, c->new_table);
			else if (is_kind(c, "column.order")) {
				sd_str_append(p->out, "-- cannot reorder the columns of ");
				qn(p->out, c->new_table->schema, c->new_table->name);
				sd_str_append(p->out, " in place: recreate the table to match\n");
			}
		}
	}
}

static void
drop_columns(planner *p)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		if (c->what == SD_WHAT_COLUMN && c->op == SD_OP_DROP)
			column_change(p, c);
	}
}

/* ---- sequence ownership ---------------------------------------------- */

/* Owner text "s"."t"."c" refers to a table or column this plan removes. */
static bool
owner_goes_away(planner *p, const char *owner)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_table *t = c->old_table;
		sd_str name;
		bool hit;
		if (!(c->op == SD_OP_DROP && (c->what == SD_WHAT_TABLE || c->what == SD_WHAT_COLUMN)) &&
		    !change_on_rebuilt(p, c))
			continue;
		sd_str_init(&name);
		qn(&name, t->schema, t->name);
		sd_str_appendc(&name, '.');
		if (c->what == SD_WHAT_COLUMN && c->op == SD_OP_DROP)
			q(&name, ((const sd_column *)c->old_item)->name);
		hit = strncmp(owner, name.ptr, name.len) == 0;
		sd_str_dispose(&name);
		if (hit)
			return true;
	}
	return false;
}

static void
owned_by(planner *p, const sd_object *o, const char *owner)
{
	sd_str_append(p->out, "ALTER SEQUENCE ");
	qn(p->out, o->schema, o->name);
	sd_str_appendf(p->out, " OWNED BY %s;\n", owner ? owner : "NONE");
}

/* Before drops: release sequences that must outlive their owner. After: set owners. */
static void
sequence_owners(planner *p, bool before)
{
	const sd_schema *A = p->d->from, *B = p->d->to;

	/* Released first: dropping an owner drops the sequence, which defaults may still use. */
	for (size_t i = 0; before && i < A->n_objects; i++) {
		const sd_object *a = &A->objects[i], *b;
		const char *oa = sd_props_get(&a->props, "owned_by");
		if (a->kind != SD_OBJ_SEQUENCE || !oa)
			continue;
		b = sd_schema_find_object(B, SD_OBJ_SEQUENCE, a->schema, a->name);
		if (!b || owner_goes_away(p, oa) || !sd_streq(oa, sd_props_get(&b->props, "owned_by")))
			owned_by(p, a, NULL);
	}
	for (size_t i = 0; !before && i < B->n_objects; i++) {
		const sd_object *b = &B->objects[i], *a;
		const char *ob, *oa;
		if (b->kind != SD_OBJ_SEQUENCE)
			continue;
		a = sd_schema_find_object(A, SD_OBJ_SEQUENCE, b->schema, b->name);
		ob = sd_props_get(&b->props, "owned_by");
		oa = a ? sd_props_get(&a->props, "owned_by") : NULL;
		if (ob && (!sd_streq(oa, ob) || owner_goes_away(p, oa)))
			owned_by(p, b, ob);
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
	drop_constraints(p, true);
	drop_constraints(p, false);
	drop_indexes(p);
	sequence_owners(p, true);
	reparent(p, true);
	drop_columns(p);
	rebuild_rename(p);
	for (size_t i = n_dropped; i-- > 0;) {
		sd_str_append(p->out, "-- destructive: drops the table and its rows\nDROP TABLE IF EXISTS ");
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
	emit_objects(p, B, p->create_obj, SD_OBJ_TYPE, EMIT_CREATE);
	alter_types(p);
	alter_objects(p, SD_OBJ_TYPE);
	emit_objects(p, B, p->create_obj, SD_OBJ_SEQUENCE, EMIT_CREATE);
	alter_objects(p, SD_OBJ_SEQUENCE);
	emit_objects(p, B, p->create_obj, SD_OBJ_FUNCTION, EMIT_CREATE);
	alter_objects(p, SD_OBJ_FUNCTION);
	for (size_t i = 0; i < n_created; i++)
		create_table(p, created[i]);
	rebuild_copy(p);
	reparent(p, false);
	table_changes(p);
	add_constraints(p, false, created, n_created);
	create_indexes(p, created, n_created);
	emit_objects(p, B, p->create_obj, SD_OBJ_VIEW, EMIT_CREATE);
	emit_objects(p, B, p->create_obj, SD_OBJ_MATVIEW, EMIT_CREATE);
	alter_objects(p, SD_OBJ_VIEW);
	alter_objects(p, SD_OBJ_MATVIEW);
	emit_objects(p, B, p->create_obj, SD_OBJ_TRIGGER, EMIT_CREATE);
	alter_objects(p, SD_OBJ_TRIGGER);
	emit_objects(p, B, p->create_obj, SD_OBJ_POLICY, EMIT_CREATE);
	alter_objects(p, SD_OBJ_POLICY);
	add_constraints(p, true, created, n_created);
	sequence_owners(p, false);
}

static int
plan(sd_str *out, const sd_diff *d, const sd_plan_opts *opts, sd_err *err)
{
	planner p = {.d = d, .opts = opts};
	size_t n = count_table_changes(d) + 1;
	const sd_table **created = sd_xcalloc(n, sizeof(*created));
	const sd_table **dropped = sd_xcalloc(n, sizeof(*dropped));
	size_t n_created, n_dropped;
	sd_str body;

	(void)err;
	if (d->n_changes == 0)
		goto done;
	sd_arena_init(&p.arena);
	sd_str_init(&p.pre);
	sd_str_init(&p.after);
	sd_str_init(&body);
	p.out = &body;
	mark_objects(&p);
	n_created = table_order(&p, created, true);
	n_dropped = table_order(&p, dropped, false);
	drops(&p, dropped, n_dropped);
	creates(&p, created, n_created);
	final_drops(&p);
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
		sd_str_append(out, "-- CREATE INDEX CONCURRENTLY cannot run inside a transaction\n");
		sd_str_append(out, p.after.ptr);
	}
	free(p.drop_obj);
	free(p.create_obj);
	sd_str_dispose(&p.pre);
	sd_str_dispose(&p.after);
	sd_str_dispose(&body);
	sd_arena_dispose(&p.arena);
done:
	free(created);
	free(dropped);
	return SD_OK;
}

const sd_dialect sd_pg_dialect = {
	.name = "postgres",
	.quote_ident = sd_pg_quote_ident,
	.plan = plan,
	.adjust_risk = sd_pg__adjust_risk,
	/* ALTER TABLE ADD COLUMN appends; PostgreSQL tools do not rebuild tables to reorder. */
	.ignore_column_order = true,
};
