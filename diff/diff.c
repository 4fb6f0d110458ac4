/*
 * diff/diff.c: compare two sorted schemas with merge walks.
 *
 * Tables, constraints, indexes and objects are merge-joined on their sort
 * keys in O(n + m). A changed column yields one change per aspect (type,
 * nullability, default, ...) so each carries its own risk and reason.
 * Column order is drift only when common columns change their relative
 * order: a column added in the middle is an added column, since ALTER
 * TABLE ... ADD can only append on most engines. How a constraint or index
 * was written (its "form" property) is compared apart from its meaning.
 */
#include "diff/sd_diff.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef SD_VEC(sd_change) change_vec;

typedef struct differ {
	sd_diff *d;
	change_vec out;
	const sd_dialect *dialect;
	sd_diff_opts opts;
	bool unparsed; /* the last definition compared as text: the next change says so */
} differ;

/*
 * Equal texts, or deparsed definitions the dialect finds equal in meaning.
 * A definition the dialect could not parse is compared as text, and the
 * change emitted next carries that reason.
 */
static bool
same_def(differ *x, const char *what, const char *a, const char *b)
{
	int same;

	if (sd_streq(a, b))
		return true;
	if (!a || !b || !x->dialect || !x->dialect->same_definition)
		return false;
	same = x->dialect->same_definition(what, a, b);
	if (same == SD_DEF_UNPARSED)
		x->unparsed = true;
	return same == SD_DEF_SAME;
}

static sd_change *
emit(differ *x, sd_change_op op, sd_change_what what, const char *kind, const sd_table *ot,
     const sd_table *nt, const void *oi, const void *ni)
{
	sd_change c = {0};
	const sd_risk_rule *rule = sd_risk_rule_find(kind);

	c.op = op;
	c.what = what;
	c.kind = kind;
	c.old_table = ot;
	c.new_table = nt;
	c.old_item = oi;
	c.new_item = ni;
	if (rule)
		sd_change_add_reason(&c, rule->score, rule->reason);
	if (x->unparsed)
		sd_change_add_reason(&c, 0, "compared as text: a definition does not parse");
	x->unparsed = false;
	sd_vec_push(&x->out, c);
	return &x->out.ptr[x->out.len - 1];
}

/* Owners and privileges: compared only on request, as their own change kinds. */
static bool
access_key(const char *key)
{
	return strcmp(key, "owner") == 0 || strcmp(key, "privileges") == 0;
}

/* True when a line of text (one grant each) is not among the lines of other. */
static bool
has_line_missing_from(const char *text, const char *other)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");
		const char *o = other;
		bool found = false;
		while (o && *o && !found) {
			size_t m = strcspn(o, "\n");
			found = m == n && strncmp(o, text, n) == 0;
			o += m + (o[m] == '\n');
		}
		if (!found)
			return true;
		text += n + (text[n] == '\n');
	}
	return false;
}

static void
diff_access(differ *x, sd_change_what what, const sd_table *ot, const sd_table *nt, const void *oi,
	    const void *ni, const sd_props *a, const sd_props *b)
{
	const char *pa = sd_props_get(a, "privileges"), *pb = sd_props_get(b, "privileges");
	const char *oa = sd_props_get(a, "owner"), *ob = sd_props_get(b, "owner");

	if (x->opts.owners && oa && ob && strcmp(oa, ob) != 0)
		emit(x, SD_OP_ALTER, what, "owner.alter", ot, nt, oi, ni)->property = "owner";
	if (!x->opts.privileges || sd_streq(pa, pb))
		return;
	if (has_line_missing_from(pb, pa))
		emit(x, SD_OP_ALTER, what, "privilege.grant", ot, nt, oi, ni)->property = "privileges";
	if (has_line_missing_from(pa, pb))
		emit(x, SD_OP_ALTER, what, "privilege.revoke", ot, nt, oi, ni)->property = "privileges";
}

/* Emits one "<prefix>.option" change per property that differs. */
static void
diff_props(differ *x, const char *kind, sd_change_what what, const sd_table *ot,
	   const sd_table *nt, const void *oi, const void *ni, const sd_props *a, const sd_props *b)
{
	size_t i = 0, j = 0;

	while (i < a->n_items || j < b->n_items) {
		int c = i == a->n_items   ? 1
			: j == b->n_items ? -1
					  : strcmp(a->items[i].key, b->items[j].key);
		const char *key = c <= 0 ? a->items[i].key : b->items[j].key;
		if ((c != 0 || !sd_streq(a->items[i].value, b->items[j].value)) && !access_key(key))
			emit(x, SD_OP_ALTER, what, kind, ot, nt, oi, ni)->property = key;
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
}

static bool
skipped_key(const char *key, const char *const *skip)
{
	if (access_key(key))
		return true;
	for (; *skip; skip++)
		if (strcmp(key, *skip) == 0)
			return true;
	return false;
}

/*
 * Equal properties, owners and privileges aside (diff_access compares
 * those), and the keys of skip aside (NULL-terminated) when the caller
 * compares them itself.
 */
static bool
props_eq_but(const sd_props *a, const sd_props *b, const char *const *skip)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < a->n_items && skipped_key(a->items[i].key, skip))
			i++;
		while (j < b->n_items && skipped_key(b->items[j].key, skip))
			j++;
		if (i == a->n_items || j == b->n_items)
			return i == a->n_items && j == b->n_items;
		if (strcmp(a->items[i].key, b->items[j].key) != 0 ||
		    !sd_streq(a->items[i].value, b->items[j].value))
			return false;
		i++;
		j++;
	}
}

static bool
props_eq(const sd_props *a, const sd_props *b)
{
	static const char *const none[] = {NULL};

	return props_eq_but(a, b, none);
}

/*
 * "form": how a constraint or index was written, where the engine keeps a
 * spelling that does not change what it does (sd_model.h). Compared apart
 * from the meaning, as a cosmetic change of its own.
 */
static const char FORM[] = "form";

static bool
same_form(const sd_props *a, const sd_props *b)
{
	return sd_streq(sd_props_get(a, FORM), sd_props_get(b, FORM));
}

/* ---- columns --------------------------------------------------------- */

static int
cmp_column_ptr(const void *a, const void *b)
{
	return strcmp((*(const sd_column *const *)a)->name, (*(const sd_column *const *)b)->name);
}

static const sd_column **
sorted_columns(const sd_table *t)
{
	const sd_column **v = sd_xmalloc((t->n_columns + 1) * sizeof(*v));

	for (size_t i = 0; i < t->n_columns; i++)
		v[i] = &t->columns[i];
	qsort(v, t->n_columns, sizeof(*v), cmp_column_ptr);
	return v;
}

static bool
adds_not_null_without_value(const sd_column *c)
{
	return c->not_null && !c->default_expr && !c->generated && !c->identity;
}

static void
diff_column(differ *x, const sd_table *ot, const sd_table *nt, const sd_column *a,
	    const sd_column *b)
{
#define ALTER(kind) emit(x, SD_OP_ALTER, SD_WHAT_COLUMN, kind, ot, nt, a, b)
	if (!sd_streq(a->type, b->type)) {
		int dir = sd_risk_type_direction(a->type, b->type);
		ALTER(dir > 0 ? "column.type_widen" : dir < 0 ? "column.type_narrow"
							      : "column.type_change");
	}
	if (a->not_null != b->not_null)
		ALTER(b->not_null ? "column.set_not_null" : "column.drop_not_null");
	if (!same_def(x, "column.default", a->default_expr, b->default_expr))
		ALTER("column.default");
	if (!same_def(x, "column.generated", a->generated, b->generated) ||
	    a->generated_stored != b->generated_stored)
		ALTER("column.generated");
	if (!sd_streq(a->identity, b->identity))
		ALTER("column.identity");
	if (!sd_streq(a->collation, b->collation))
		ALTER("column.collation");
	if (!sd_streq(a->comment, b->comment))
		ALTER("column.comment");
#undef ALTER
	diff_props(x, "column.option", SD_WHAT_COLUMN, ot, nt, a, b, &a->props, &b->props);
}

/* True when the columns both sides share appear in a different relative order. */
static bool
common_order_differs(const sd_table *a, const sd_table *b)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < a->n_columns && !sd_table_find_column(b, a->columns[i].name))
			i++;
		while (j < b->n_columns && !sd_table_find_column(a, b->columns[j].name))
			j++;
		if (i == a->n_columns || j == b->n_columns)
			return false;
		if (strcmp(a->columns[i].name, b->columns[j].name) != 0)
			return true;
		i++;
		j++;
	}
}

static void
diff_columns(differ *x, const sd_table *ot, const sd_table *nt)
{
	const sd_column **a = sorted_columns(ot), **b = sorted_columns(nt);
	size_t i = 0, j = 0;

	while (i < ot->n_columns || j < nt->n_columns) {
		int c = i == ot->n_columns   ? 1
			: j == nt->n_columns ? -1
					     : strcmp(a[i]->name, b[j]->name);
		if (c < 0) {
			emit(x, SD_OP_DROP, SD_WHAT_COLUMN, "column.drop", ot, nt, a[i++], NULL);
		} else if (c > 0) {
			emit(x, SD_OP_ADD, SD_WHAT_COLUMN,
			     adds_not_null_without_value(b[j]) ? "column.add_not_null" : "column.add",
			     ot, nt, NULL, b[j]);
			j++;
		} else {
			diff_column(x, ot, nt, a[i++], b[j++]);
		}
	}
	free(a);
	free(b);
	if (!(x->dialect && x->dialect->ignore_column_order) && common_order_differs(ot, nt))
		emit(x, SD_OP_ALTER, SD_WHAT_TABLE, "column.order", ot, nt, ot, nt);
}

/* ---- constraints and indexes ----------------------------------------- */

static bool
constraint_eq(differ *x, const sd_constraint *a, const sd_constraint *b)
{
	/* A primary key is matched by position; its name matters only when both chose one. */
	if (a->type == SD_CON_PRIMARY && a->name && b->name && !a->name_generated &&
	    !b->name_generated && strcmp(a->name, b->name) != 0)
		return false;
	return sd_strv_eq(a->columns, a->n_columns, b->columns, b->n_columns) &&
	       sd_streq(a->ref_schema, b->ref_schema) && sd_streq(a->ref_table, b->ref_table) &&
	       sd_strv_eq(a->ref_columns, a->n_ref_columns, b->ref_columns, b->n_ref_columns) &&
	       sd_streq(a->on_update, b->on_update) && sd_streq(a->on_delete, b->on_delete) &&
	       sd_streq(a->match, b->match) && a->deferrable == b->deferrable &&
	       a->initially_deferred == b->initially_deferred &&
	       props_eq_but(&a->props, &b->props, (const char *const[]){FORM, NULL}) &&
	       same_def(x, a->type == SD_CON_EXCLUDE ? "exclude" : "check", a->expr, b->expr);
}

static const char *const con_kinds[SD_CON__COUNT][4] = {
	[SD_CON_PRIMARY] = {"primary_key.add", "primary_key.drop", "primary_key.alter",
			    "primary_key.form"},
	[SD_CON_UNIQUE] = {"unique.add", "unique.drop", "unique.alter", "unique.form"},
	[SD_CON_FOREIGN] = {"foreign_key.add", "foreign_key.drop", "foreign_key.alter",
			    "foreign_key.form"},
	[SD_CON_CHECK] = {"check.add", "check.drop", "check.alter", "check.form"},
	[SD_CON_EXCLUDE] = {"exclude.add", "exclude.drop", "exclude.alter", "exclude.form"},
};

static void
diff_constraints(differ *x, const sd_table *ot, const sd_table *nt)
{
	size_t i = 0, j = 0;

	while (i < ot->n_constraints || j < nt->n_constraints) {
		const sd_constraint *a = i < ot->n_constraints ? &ot->constraints[i] : NULL;
		const sd_constraint *b = j < nt->n_constraints ? &nt->constraints[j] : NULL;
		int c = !a ? 1 : !b ? -1 : sd_model_cmp_constraint(a, b);
		if (c < 0) {
			emit(x, SD_OP_DROP, SD_WHAT_CONSTRAINT, con_kinds[a->type][1], ot, nt, a, NULL);
			i++;
		} else if (c > 0) {
			emit(x, SD_OP_ADD, SD_WHAT_CONSTRAINT, con_kinds[b->type][0], ot, nt, NULL, b);
			j++;
		} else {
			/* A change of meaning rewrites the whole constraint, form included. */
			if (!constraint_eq(x, a, b))
				emit(x, SD_OP_ALTER, SD_WHAT_CONSTRAINT, con_kinds[a->type][2], ot,
				     nt, a, b);
			else if (!same_form(&a->props, &b->props))
				emit(x, SD_OP_ALTER, SD_WHAT_CONSTRAINT, con_kinds[a->type][3], ot,
				     nt, a, b)->property = FORM;
			i++;
			j++;
		}
	}
}

static bool
index_key_eq(differ *x, const sd_index_key *a, const sd_index_key *b)
{
	return sd_streq(a->column, b->column) && a->desc == b->desc &&
	       sd_streq(a->nulls, b->nulls) && sd_streq(a->collation, b->collation) &&
	       sd_streq(a->opclass, b->opclass) && same_def(x, "index.expr", a->expr, b->expr);
}

static bool
index_eq(differ *x, const sd_index *a, const sd_index *b)
{
	if (a->unique != b->unique || !sd_streq(a->method, b->method) || a->n_keys != b->n_keys ||
	    !sd_strv_eq(a->include, a->n_include, b->include, b->n_include) ||
	    !props_eq_but(&a->props, &b->props, (const char *const[]){"definition", FORM, NULL}) ||
	    /* an engine's whole index text (opclasses, options), by meaning across versions */
	    !same_def(x, "index", sd_props_get(&a->props, "definition"),
		      sd_props_get(&b->props, "definition")) ||
	    !same_def(x, "index.predicate", a->predicate, b->predicate))
		return false;
	for (size_t k = 0; k < a->n_keys; k++)
		if (!index_key_eq(x, &a->keys[k], &b->keys[k]))
			return false;
	return true;
}

/* Next index at or after *i that is not owned by a constraint. */
static const sd_index *
next_index(const sd_table *t, size_t *i)
{
	while (*i < t->n_indexes && t->indexes[*i].constraint_backed)
		(*i)++;
	return *i < t->n_indexes ? &t->indexes[*i] : NULL;
}

static void
diff_indexes(differ *x, const sd_table *ot, const sd_table *nt)
{
	size_t i = 0, j = 0;

	for (;;) {
		const sd_index *a = next_index(ot, &i), *b = next_index(nt, &j);
		int c;
		if (!a && !b)
			break;
		c = !a ? 1 : !b ? -1 : sd_model_cmp_index(a, b);
		if (c < 0) {
			emit(x, SD_OP_DROP, SD_WHAT_INDEX, "index.drop", ot, nt, a, NULL);
			i++;
		} else if (c > 0) {
			emit(x, SD_OP_ADD, SD_WHAT_INDEX, "index.add", ot, nt, NULL, b);
			j++;
		} else {
			if (!index_eq(x, a, b))
				emit(x, SD_OP_ALTER, SD_WHAT_INDEX, "index.alter", ot, nt, a, b);
			else if (!same_form(&a->props, &b->props))
				emit(x, SD_OP_ALTER, SD_WHAT_INDEX, "index.form", ot, nt, a, b)
					->property = FORM;
			i++;
			j++;
		}
	}
}

/*
 * A key's index (constraint_backed) is compared through its constraint,
 * but for what the constraint does not say: its comment and its storage
 * parameters ("reloptions"), each a change of its own, made in place.
 */
static void
diff_key_indexes(differ *x, const sd_table *ot, const sd_table *nt)
{
	static const char *const aspects[][2] = {{"comment", "index.comment"},
						 {"reloptions", "index.option"}};

	for (size_t i = 0; i < ot->n_indexes; i++) {
		const sd_index *a = &ot->indexes[i], *b = NULL;
		for (size_t j = 0; a->constraint_backed && j < nt->n_indexes && !b; j++)
			if (nt->indexes[j].constraint_backed &&
			    sd_streq(nt->indexes[j].name, a->name))
				b = &nt->indexes[j];
		for (size_t k = 0; b && k < sizeof(aspects) / sizeof(aspects[0]); k++) {
			const char *key = aspects[k][0];
			if (!sd_streq(sd_props_get(&a->props, key), sd_props_get(&b->props, key)))
				emit(x, SD_OP_ALTER, SD_WHAT_INDEX, aspects[k][1], ot, nt, a, b)
					->property = key;
		}
	}
}

static void
diff_table(differ *x, const sd_table *a, const sd_table *b)
{
	diff_props(x, "table.option", SD_WHAT_TABLE, a, b, a, b, &a->props, &b->props);
	diff_access(x, SD_WHAT_TABLE, a, b, a, b, &a->props, &b->props);
	if (!sd_streq(a->comment, b->comment))
		emit(x, SD_OP_ALTER, SD_WHAT_TABLE, "table.comment", a, b, a, b);
	diff_columns(x, a, b);
	diff_constraints(x, a, b);
	diff_indexes(x, a, b);
	diff_key_indexes(x, a, b);
}

static void
diff_tables(differ *x, const sd_schema *from, const sd_schema *to)
{
	size_t i = 0, j = 0;

	while (i < from->n_tables || j < to->n_tables) {
		const sd_table *a = i < from->n_tables ? &from->tables[i] : NULL;
		const sd_table *b = j < to->n_tables ? &to->tables[j] : NULL;
		int c = !a ? 1 : !b ? -1 : sd_model_cmp_table(a, b);
		if (c < 0) {
			emit(x, SD_OP_DROP, SD_WHAT_TABLE, "table.drop", a, NULL, a, NULL);
			i++;
		} else if (c > 0) {
			emit(x, SD_OP_ADD, SD_WHAT_TABLE, "table.add", NULL, b, NULL, b);
			j++;
		} else {
			diff_table(x, a, b);
			i++;
			j++;
		}
	}
}

/* ---- other objects --------------------------------------------------- */

static const char *const obj_ids[SD_OBJ__COUNT] = {
	[SD_OBJ_SCHEMA] = "schema",     [SD_OBJ_EXTENSION] = "extension",
	[SD_OBJ_TYPE] = "type",         [SD_OBJ_SEQUENCE] = "sequence",
	[SD_OBJ_FUNCTION] = "function", [SD_OBJ_VIEW] = "view",
	[SD_OBJ_MATVIEW] = "materialized_view", [SD_OBJ_TRIGGER] = "trigger",
	[SD_OBJ_POLICY] = "policy",     [SD_OBJ_EVENT] = "event",
};

static const char *
obj_kind(differ *x, const sd_object *o, const char *op)
{
	return sd_arena_printf(&x->d->arena, "%s.%s", obj_ids[o->kind], op);
}

static void
diff_objects(differ *x, const sd_schema *from, const sd_schema *to)
{
	size_t i = 0, j = 0;

	while (i < from->n_objects || j < to->n_objects) {
		const sd_object *a = i < from->n_objects ? &from->objects[i] : NULL;
		const sd_object *b = j < to->n_objects ? &to->objects[j] : NULL;
		int c = !a ? 1 : !b ? -1 : sd_model_cmp_object(a, b);
		if (c < 0) {
			emit(x, SD_OP_DROP, SD_WHAT_OBJECT, obj_kind(x, a, "drop"), NULL, NULL, a, NULL);
			i++;
		} else if (c > 0) {
			emit(x, SD_OP_ADD, SD_WHAT_OBJECT, obj_kind(x, b, "add"), NULL, NULL, NULL, b);
			j++;
		} else {
			if (!sd_streq(a->table, b->table) || !props_eq(&a->props, &b->props) ||
			    !same_def(x, obj_ids[a->kind], a->definition, b->definition))
				emit(x, SD_OP_ALTER, SD_WHAT_OBJECT, obj_kind(x, a, "alter"), NULL,
				     NULL, a, b);
			diff_access(x, SD_WHAT_OBJECT, NULL, NULL, a, b, &a->props, &b->props);
			i++;
			j++;
		}
	}
}

sd_diff *
sd_diff_schemas(const sd_schema *from, const sd_schema *to, const sd_dialect *dialect)
{
	return sd_diff_schemas_opts(from, to, dialect, NULL);
}

sd_diff *
sd_diff_schemas_opts(const sd_schema *from, const sd_schema *to, const sd_dialect *dialect,
		     const sd_diff_opts *opts)
{
	sd_diff *d = sd_xcalloc(1, sizeof(*d));
	differ x = {.d = d, .dialect = dialect};

	if (opts)
		x.opts = d->opts = *opts;
	sd_arena_init(&d->arena);
	d->from = from;
	d->to = to;
	diff_tables(&x, from, to);
	diff_objects(&x, from, to);
	d->changes = sd_arena_memdup(&d->arena, x.out.ptr, x.out.len, sizeof(*x.out.ptr));
	d->n_changes = x.out.len;
	sd_vec_dispose(&x.out);
	for (size_t k = 0; k < d->n_changes; k++) {
		if (dialect && dialect->adjust_risk)
			dialect->adjust_risk(&d->changes[k], d);
		if (d->changes[k].risk > d->score)
			d->score = d->changes[k].risk;
	}
	return d;
}

void
sd_diff_free(sd_diff *d)
{
	if (!d)
		return;
	sd_arena_dispose(&d->arena);
	free(d);
}

bool
sd_diff_opts_parse(sd_diff_opts *opts, const char *list, sd_err *err)
{
	while (*list) {
		size_t n = strcspn(list, ",");
		while (n && list[n - 1] == ' ')
			n--;
		if (n == 10 && strncmp(list, "privileges", n) == 0)
			opts->privileges = true;
		else if (n == 6 && strncmp(list, "owners", n) == 0)
			opts->owners = true;
		else {
			sd_err_set(err, SD_EINPUT, "compare: unknown aspect \"%.*s\" (privileges, owners)",
				   (int)n, list);
			return false;
		}
		list += strcspn(list, ",");
		while (*list == ',' || *list == ' ')
			list++;
	}
	return true;
}

bool
sd_change_is_access(const sd_change *c)
{
	return strncmp(c->kind, "privilege.", 10) == 0 || strncmp(c->kind, "owner.", 6) == 0;
}

const char *
sd_change_op_name(sd_change_op op)
{
	return op == SD_OP_ADD ? "add" : op == SD_OP_DROP ? "drop" : "alter";
}

static const char *
qualname(sd_arena *a, const char *schema, const char *name)
{
	return schema && *schema ? sd_arena_printf(a, "%s.%s", schema, name) : name;
}

const char *
sd_change_object_name(sd_arena *a, const sd_change *c)
{
	const sd_table *t = c->new_table ? c->new_table : c->old_table;
	const sd_object *o = c->new_item ? c->new_item : c->old_item;

	if (c->what == SD_WHAT_OBJECT)
		return qualname(a, o->schema, o->name);
	return qualname(a, t->schema, t->name);
}

static void
append_names(sd_str *s, const char *const *v, size_t n)
{
	sd_str_appendc(s, '(');
	for (size_t i = 0; i < n; i++)
		sd_str_appendf(s, "%s%s", i ? ", " : "", v[i]);
	sd_str_appendc(s, ')');
}

/* "unique users_email_key", or for an unnamed one its definition: "check (qty > 0)". */
static const char *
constraint_brief(sd_arena *a, const sd_constraint *k)
{
	sd_str s;
	const char *out;

	sd_str_init(&s);
	sd_str_append(&s, sd_con_type_name(k->type));
	if (k->name && !k->name_generated) {
		sd_str_appendf(&s, " %s", k->name);
	} else if (k->type == SD_CON_CHECK || k->type == SD_CON_EXCLUDE) {
		sd_str_appendf(&s, " (%s)", k->expr ? k->expr : "");
	} else {
		sd_str_appendc(&s, ' ');
		append_names(&s, k->columns, k->n_columns);
		if (k->type == SD_CON_FOREIGN) {
			sd_str_appendf(&s, " references %s%s%s", k->ref_schema && *k->ref_schema ? k->ref_schema : "",
				       k->ref_schema && *k->ref_schema ? "." : "", k->ref_table);
			append_names(&s, k->ref_columns, k->n_ref_columns);
		}
	}
	out = sd_arena_strndup(a, s.ptr, s.len);
	sd_str_dispose(&s);
	return out;
}

char *
sd_change_label(sd_arena *a, const sd_change *c)
{
	const void *item = c->new_item ? c->new_item : c->old_item;
	const char *table = sd_change_object_name(a, c);

	switch (c->what) {
	case SD_WHAT_TABLE:
		return sd_arena_printf(a, "table %s", table);
	case SD_WHAT_COLUMN:
		return sd_arena_printf(a, "column %s.%s", table, ((const sd_column *)item)->name);
	case SD_WHAT_CONSTRAINT:
		return sd_arena_printf(a, "%s on %s", constraint_brief(a, item), table);
	case SD_WHAT_INDEX: {
		const sd_index *ix = item;
		return sd_arena_printf(a, "index %s on %s",
				       ix->name && !ix->name_generated ? ix->name
								       : sd_index_signature(a, ix),
				       table);
	}
	case SD_WHAT_OBJECT:
		return sd_arena_printf(a, "%s %s", sd_obj_kind_name(((const sd_object *)item)->kind),
				       table);
	}
	return sd_arena_strdup(a, table);
}

/*
 * The one writer of comments in plans. A line comment ends at a line break
 * in every dialect's lexer (PostgreSQL's and psql's [\n\r], MySQL's and the
 * mysql client's \n, SQLite's \n), so text without one cannot leave it;
 * nothing else can end a "--" comment, and the mysql client reads no
 * backslash command once it saw "-- " at the start of a line.
 */
void
sd_sql_comment(sd_str *out, const char *text)
{
	sd_str_append(out, "-- ");
	for (; *text; text++)
		sd_str_appendc(out, *text == '\n' || *text == '\r' ? ' ' : *text);
	sd_str_appendc(out, '\n');
}

void
sd_sql_string(sd_str *out, const char *text)
{
	if (!text) {
		sd_str_append(out, "NULL");
		return;
	}
	sd_str_appendc(out, '\'');
	for (; *text; text++) {
		if (*text == '\'')
			sd_str_appendc(out, '\'');
		sd_str_appendc(out, *text);
	}
	sd_str_appendc(out, '\'');
}

void
sd_sql_commentf(sd_str *out, const char *fmt, ...)
{
	sd_str line;
	va_list ap;

	sd_str_init(&line);
	va_start(ap, fmt);
	sd_str_vappendf(&line, fmt, ap);
	va_end(ap);
	sd_sql_comment(out, line.ptr);
	sd_str_dispose(&line);
}

void
sd_change_comment(sd_str *out, const sd_change *c)
{
	sd_arena a;
	sd_str line;

	sd_arena_init(&a);
	sd_str_init(&line);
	sd_str_appendf(&line, "[%d %s] %s %s", c->risk, sd_band_name(sd_risk_band(c->risk)),
		       c->kind, sd_change_label(&a, c));
	for (size_t r = 0; r < c->n_reasons; r++)
		sd_str_appendf(&line, "%s%s", r ? "; " : ": ", c->reasons[r]);
	sd_sql_comment(out, line.ptr);
	sd_str_dispose(&line);
	sd_arena_dispose(&a);
}
