/*
 * connectors/sqlite/lite_plan.c: the SQLite dialect's plan.
 *
 * ALTER TABLE where SQLite can express the change (ADD COLUMN within its
 * limits, DROP COLUMN where nothing refers to the column); otherwise the
 * rebuild of https://www.sqlite.org/lang_altertable.html#otheralter:
 * foreign keys off, create the new table from TO's own CREATE text, copy
 * the surviving columns, drop, rename, recreate indexes, triggers and
 * views, PRAGMA foreign_key_check, all in one transaction. Rows are copied,
 * never dropped: a copy that cannot succeed fails the transaction.
 *
 * Views and triggers that refer to a rebuilt or dropped table are dropped
 * first and recreated from TO's text afterwards, in dependency order.
 */
#include "connectors/sqlite/sd_sqlite.h"

#include "connectors/sqlite/lite_lex.h"
#include "connectors/sqlite/lite_parse.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

typedef enum tmode { T_SAME, T_ALTER, T_REBUILD, T_ADD, T_DROP, T_RECREATE } tmode;

/* Per table name (either side): what the plan does with it. */
typedef struct tplan {
	const sd_table *a, *b;
	tmode mode;
	bool indexes_touched;
} tplan;

typedef struct planner {
	const sd_diff *d;
	sd_str *out;
	sd_arena arena;
	tplan *tables;
	size_t n_tables;
	bool *obj_drop;      /* per FROM object: dropped before the table work */
	bool *obj_create;    /* per TO object: created after it */
} planner;

static void
q(sd_str *s, const char *id)
{
	sd_lite_quote_ident(s, id);
}

/*
 * Appends stored CREATE text as a statement. SQLite keeps the text as
 * written, so it may end in a "-- comment": the ";" then goes on a line of
 * its own, or it would be commented out.
 */
static void
stored_statement(sd_str *out, const char *sql)
{
	lite_toks toks;
	const char *tail = sql;

	sd_lite__lex(&toks, sql);
	if (toks.n)
		tail = toks.v[toks.n - 1].p + toks.v[toks.n - 1].n;
	free(toks.v);
	sd_str_append(out, sql);
	sd_str_append(out, tail[strspn(tail, " \t\r\n")] ? "\n;\n" : ";\n");
}

static tplan *
find_plan(planner *p, const char *schema, const char *name)
{
	for (size_t i = 0; i < p->n_tables; i++) {
		const sd_table *t = p->tables[i].a ? p->tables[i].a : p->tables[i].b;
		if (strcmp(t->name, name) == 0 && sd_streq(t->schema, schema))
			return &p->tables[i];
	}
	return NULL;
}

/* ---- deciding ALTER versus rebuild ----------------------------------- */

static bool
is_literal_default(const char *expr)
{
	lite_toks toks;
	bool ok;

	if (!expr)
		return true;
	sd_lite__lex(&toks, expr);
	ok = (toks.n == 1 && (toks.v[0].type == LT_NUMBER || toks.v[0].type == LT_STRING ||
			      toks.v[0].type == LT_BLOB || sd_lite__is(&toks.v[0], "null") ||
			      sd_lite__is(&toks.v[0], "true") || sd_lite__is(&toks.v[0], "false"))) ||
	     (toks.n == 2 && toks.v[0].type == LT_OP &&
	      (toks.v[0].p[0] == '-' || toks.v[0].p[0] == '+') && toks.v[1].type == LT_NUMBER);
	free(toks.v);
	return ok;
}

static bool
in_constraint(const sd_table *t, const char *col, bool any_type)
{
	for (size_t i = 0; i < t->n_constraints; i++) {
		const sd_constraint *c = &t->constraints[i];
		if (!any_type && c->type != SD_CON_PRIMARY && c->type != SD_CON_UNIQUE)
			continue;
		for (size_t k = 0; k < c->n_columns; k++)
			if (strcmp(c->columns[k], col) == 0)
				return true;
		if (c->expr && sd_lite__mentions(c->expr, col))
			return true;
	}
	return false;
}

/* SQLite's ADD COLUMN limits (lang_altertable.html#altertabaddcol). */
static bool
can_add_column(const sd_table *b, const sd_column *c)
{
	if (in_constraint(b, c->name, false))
		return false;
	if (c->generated && c->generated_stored)
		return false;
	if (!is_literal_default(c->default_expr))
		return false;
	if (c->not_null && (!c->default_expr || strcmp(c->default_expr, "null") == 0) &&
	    !c->generated)
		return false;
	return true;
}

/*
 * ADD COLUMN appends: it matches TO only when every column after the new
 * one in TO is new as well. Otherwise the rebuild puts it in its place.
 */
static bool
appended_last(const sd_table *a, const sd_table *b, const sd_column *c)
{
	for (size_t i = 0; i < b->n_columns; i++)
		if (b->columns[i].position > c->position && sd_table_find_column(a, b->columns[i].name))
			return false;
	return true;
}

/* SQLite refuses DROP COLUMN on a column anything else refers to. */
static bool
can_drop_column(const sd_diff *d, const sd_table *a, const sd_column *c)
{
	if (in_constraint(a, c->name, true))
		return false;
	for (size_t i = 0; i < a->n_indexes; i++) {
		const sd_index *ix = &a->indexes[i];
		if (sd_lite__mentions(ix->definition, c->name))
			return false;
	}
	for (size_t i = 0; i < a->n_columns; i++)
		if (sd_lite__mentions(a->columns[i].generated, c->name))
			return false;
	for (size_t i = 0; i < d->from->n_objects; i++)
		if (sd_lite__mentions(d->from->objects[i].ddl, c->name))
			return false;
	for (size_t i = 0; i < d->from->n_tables; i++) {
		const sd_table *t = &d->from->tables[i];
		for (size_t k = 0; k < t->n_constraints; k++)
			if (t->constraints[k].type == SD_CON_FOREIGN &&
			    sd_streq(t->constraints[k].ref_table, a->name))
				return false;
	}
	return true;
}

/* Whether change c, on its own, needs the table rebuilt. */
static bool
change_needs_rebuild(const sd_diff *d, const sd_change *c)
{
	switch (c->what) {
	case SD_WHAT_COLUMN:
		if (c->op == SD_OP_ADD)
			return !can_add_column(c->new_table, c->new_item) ||
			       !appended_last(c->old_table, c->new_table, c->new_item);
		if (c->op == SD_OP_DROP)
			return !can_drop_column(d, c->old_table, c->old_item);
		return true;
	case SD_WHAT_CONSTRAINT:
		return true;
	case SD_WHAT_TABLE:
		return c->op == SD_OP_ALTER; /* options, column order */
	default:
		return false;
	}
}

static void
adjust_risk(sd_change *c, const sd_diff *d)
{
	if ((c->what == SD_WHAT_COLUMN || c->what == SD_WHAT_CONSTRAINT ||
	     (c->what == SD_WHAT_TABLE && c->op == SD_OP_ALTER)) &&
	    change_needs_rebuild(d, c))
		sd_change_add_reason(c, 35,
				     "SQLite cannot ALTER this: the table is rebuilt (every row "
				     "copied, database locked meanwhile)");
}

/* The comment lines for every change on table name (old or new side). */
static void
comment_table(planner *p, const char *name, bool indexes)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_table *t = c->new_table ? c->new_table : c->old_table;
		if (c->what == SD_WHAT_OBJECT || (c->what == SD_WHAT_INDEX) != indexes)
			continue;
		if (strcmp(t->name, name) == 0)
			sd_change_comment(p->out, c);
	}
}

static void
comment_object(planner *p, const sd_object *o)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		if (c->what == SD_WHAT_OBJECT && (c->old_item == o || c->new_item == o))
			sd_change_comment(p->out, c);
	}
}

static void
classify_tables(planner *p)
{
	const sd_diff *d = p->d;
	SD_VEC(tplan) v = {0};

	for (size_t i = 0; i < d->n_changes; i++) {
		const sd_change *c = &d->changes[i];
		const sd_table *t = c->new_table ? c->new_table : c->old_table;
		tplan *tp;
		if (c->what == SD_WHAT_OBJECT)
			continue;
		p->tables = v.ptr;
		p->n_tables = v.len;
		tp = find_plan(p, t->schema, t->name);
		if (!tp) {
			tplan n = {c->old_table, c->new_table, T_SAME, false};
			sd_vec_push(&v, n);
			tp = &v.ptr[v.len - 1];
		}
		if (c->what == SD_WHAT_TABLE && c->op == SD_OP_ADD)
			tp->mode = T_ADD;
		else if (c->what == SD_WHAT_TABLE && c->op == SD_OP_DROP)
			tp->mode = T_DROP;
		else if (c->what == SD_WHAT_INDEX)
			tp->indexes_touched = true;
		else if (change_needs_rebuild(d, c))
			tp->mode = T_REBUILD;
		else if (tp->mode == T_SAME)
			tp->mode = T_ALTER;
	}
	for (size_t i = 0; i < v.len; i++) {
		/* Virtual tables hold no rows of their own to copy: recreate them. */
		const sd_table *a = v.ptr[i].a;
		if (v.ptr[i].mode == T_REBUILD && a && sd_props_get(&a->props, "virtual"))
			v.ptr[i].mode = T_RECREATE;
	}
	p->tables = v.ptr;
	p->n_tables = v.len;
}

/* ---- views and triggers that must be dropped and recreated ------------ */

static bool
table_goes_away(planner *p, const char *schema, const char *name)
{
	tplan *tp = find_plan(p, schema, name);

	return tp && (tp->mode == T_REBUILD || tp->mode == T_DROP || tp->mode == T_RECREATE);
}

static bool
object_touched(planner *p, const sd_object *o)
{
	for (size_t k = 0; k < o->n_depends; k++)
		if (table_goes_away(p, o->schema, o->depends[k]))
			return true;
	return o->table && table_goes_away(p, o->schema, o->table);
}

static size_t
object_index(const sd_schema *s, const sd_object *o)
{
	return (size_t)(o - s->objects);
}

static void
mark_objects(planner *p)
{
	const sd_diff *d = p->d;
	const sd_schema *A = d->from, *B = d->to;
	bool changed = true;

	p->obj_drop = sd_xcalloc(A->n_objects + 1, sizeof(bool));
	p->obj_create = sd_xcalloc(B->n_objects + 1, sizeof(bool));
	for (size_t i = 0; i < d->n_changes; i++) {
		const sd_change *c = &d->changes[i];
		if (c->what != SD_WHAT_OBJECT)
			continue;
		if (c->old_item)
			p->obj_drop[object_index(A, c->old_item)] = true;
		if (c->new_item)
			p->obj_create[object_index(B, c->new_item)] = true;
	}
	for (size_t i = 0; i < A->n_objects; i++)
		if (object_touched(p, &A->objects[i]))
			p->obj_drop[i] = true;
	/* A view that depends on a dropped view must go too (to a fixed point). */
	while (changed) {
		changed = false;
		for (size_t i = 0; i < A->n_objects; i++) {
			const sd_object *o = &A->objects[i];
			for (size_t k = 0; !p->obj_drop[i] && k < o->n_depends; k++) {
				const sd_object *dep = sd_schema_find_object(A, SD_OBJ_VIEW, o->schema,
									     o->depends[k]);
				if (dep && p->obj_drop[object_index(A, dep)])
					p->obj_drop[i] = changed = true;
			}
		}
	}
	/* Whatever was dropped and still exists in TO comes back. */
	for (size_t i = 0; i < A->n_objects; i++) {
		const sd_object *o = &A->objects[i], *n;
		if (!p->obj_drop[i])
			continue;
		n = sd_schema_find_object(B, o->kind, o->schema, o->name);
		if (n)
			p->obj_create[object_index(B, n)] = true;
	}
	/* Triggers on rebuilt or new tables: dropping the table dropped them. */
	for (size_t i = 0; i < B->n_objects; i++) {
		const sd_object *o = &B->objects[i];
		if (o->table && table_goes_away(p, o->schema, o->table))
			p->obj_create[i] = true;
	}
}

/* Emits the DROP or CREATE of the marked objects of one kind, dependency ordered. */
static void
emit_objects(planner *p, const sd_schema *s, const bool *marked, sd_obj_kind kind, bool drop)
{
	SD_VEC(const sd_object *) objs = {0};
	size_t *order;

	for (size_t i = 0; i < s->n_objects; i++)
		if (marked[i] && s->objects[i].kind == kind)
			sd_vec_push(&objs, &s->objects[i]);
	order = sd_xcalloc(objs.len + 1, sizeof(size_t));
	sd_order_by_depends(order, objs.ptr, objs.len);
	for (size_t n = 0; n < objs.len; n++) {
		/* Drops go in reverse: dependents before what they depend on. */
		const sd_object *o = objs.ptr[order[drop ? objs.len - 1 - n : n]];
		comment_object(p, o);
		if (drop) {
			sd_str_appendf(p->out, "DROP %s IF EXISTS ",
				       kind == SD_OBJ_VIEW ? "VIEW" : "TRIGGER");
			q(p->out, o->name);
			sd_str_append(p->out, ";\n");
		} else {
			stored_statement(p->out, o->ddl);
		}
	}
	free(order);
	sd_vec_dispose(&objs);
}

/* ---- tables ---------------------------------------------------------- */

static void
create_indexes(planner *p, const sd_table *b)
{
	for (size_t i = 0; i < b->n_indexes; i++)
		if (!b->indexes[i].constraint_backed && b->indexes[i].definition)
			stored_statement(p->out, b->indexes[i].definition);
}

/* SQLite keeps tables, indexes, views and triggers in one namespace. */
static bool
name_taken(const sd_schema *s, const char *name)
{
	if (sd_schema_find_table(s, "", name))
		return true;
	for (size_t i = 0; i < s->n_objects; i++)
		if (sqlite3_stricmp(s->objects[i].name, name) == 0)
			return true;
	for (size_t i = 0; i < s->n_tables; i++)
		for (size_t k = 0; k < s->tables[i].n_indexes; k++)
			if (s->tables[i].indexes[k].name &&
			    sqlite3_stricmp(s->tables[i].indexes[k].name, name) == 0)
				return true;
	return false;
}

static const char *
temp_name(planner *p, const char *base)
{
	for (int n = 0;; n++) {
		const char *name = n ? sd_arena_printf(&p->arena, "_schemad_new_%s_%d", base, n)
				     : sd_arena_printf(&p->arena, "_schemad_new_%s", base);
		if (!name_taken(p->d->from, name) && !name_taken(p->d->to, name))
			return name;
	}
}

static void
column_list(sd_str *s, const sd_table *a, const sd_table *b, bool *lost)
{
	bool first = true;

	*lost = false;
	for (size_t i = 0; i < a->n_columns; i++) {
		const sd_column *ca = &a->columns[i], *cb = sd_table_find_column(b, ca->name);
		if (!cb) {
			*lost = true;
			continue;
		}
		/*
		 * The target's generated and hidden columns are computed, not
		 * inserted; a column generated in FROM is read like any other, so a
		 * formerly generated column keeps its values.
		 */
		if (cb->generated || sd_props_get(&cb->props, "hidden"))
			continue;
		if (!first)
			sd_str_append(s, ", ");
		q(s, ca->name);
		first = false;
	}
}

static void
rebuild_comment(planner *p, const sd_table *b, bool lost)
{
	sd_str line;

	sd_str_init(&line);
	sd_str_append(&line, "rebuild ");
	q(&line, b->name);
	if (lost)
		sd_str_append(&line, " (destructive: drops columns absent from the target)");
	sd_sql_comment(p->out, line.ptr);
	sd_str_dispose(&line);
}

/* Appends text as an SQL string literal: 'it''s'. */
static void
literal(sd_str *s, const char *text)
{
	sd_str_appendc(s, '\'');
	for (; *text; text++) {
		if (*text == '\'')
			sd_str_appendc(s, '\'');
		sd_str_appendc(s, *text);
	}
	sd_str_appendc(s, '\'');
}

static bool
has_autoincrement(const sd_table *t)
{
	for (size_t i = 0; i < t->n_columns; i++)
		if (sd_streq(t->columns[i].identity, "autoincrement"))
			return true;
	return false;
}

/*
 * AUTOINCREMENT promises never to hand out an id again, even a deleted
 * one: its high-water mark lives in sqlite_sequence, which DROP TABLE
 * clears and the copy sets only to the highest id still present. The old
 * table's mark (never below its highest id) moves to the new table before
 * the old one is dropped; RENAME carries it to the final name.
 */
static void
keep_autoincrement_mark(planner *p, const sd_table *a, const char *tmp)
{
	sd_str_append(p->out, "DELETE FROM \"sqlite_sequence\" WHERE \"name\" = ");
	literal(p->out, tmp);
	sd_str_append(p->out, ";\nINSERT INTO \"sqlite_sequence\" (\"name\", \"seq\") SELECT ");
	literal(p->out, tmp);
	sd_str_append(p->out, ", \"seq\" FROM \"sqlite_sequence\" WHERE \"name\" = ");
	literal(p->out, a->name);
	sd_str_append(p->out, ";\n");
}

static void
rebuild_table(planner *p, const sd_table *a, const sd_table *b)
{
	const char *tmp = temp_name(p, b->name);
	const char *declared = sd_lite__create_name(&p->arena, b->definition);
	sd_str cols;
	bool lost;

	sd_str_init(&cols);
	column_list(&cols, a, b, &lost);
	rebuild_comment(p, b, lost);
	{
		sd_str create;
		sd_str_init(&create);
		sd_lite__rename_create(&create, b->definition, tmp);
		stored_statement(p->out, create.ptr);
		sd_str_dispose(&create);
	}
	if (cols.len) {
		sd_str_append(p->out, "INSERT INTO ");
		q(p->out, tmp);
		sd_str_appendf(p->out, " (%s) SELECT %s FROM ", cols.ptr, cols.ptr);
		q(p->out, a->name);
		sd_str_append(p->out, ";\n");
	}
	if (has_autoincrement(b))
		keep_autoincrement_mark(p, a, tmp);
	sd_str_append(p->out, "DROP TABLE ");
	q(p->out, a->name);
	sd_str_append(p->out, ";\nALTER TABLE ");
	q(p->out, tmp);
	sd_str_append(p->out, " RENAME TO ");
	q(p->out, declared ? declared : b->name);
	sd_str_append(p->out, ";\n");
	sd_str_dispose(&cols);
}

static void
drop_column(planner *p, const sd_table *a, const sd_column *c)
{
	sd_sql_comment(p->out, "destructive: drops the column and its data");
	sd_str_append(p->out, "ALTER TABLE ");
	q(p->out, a->name);
	sd_str_append(p->out, " DROP COLUMN ");
	q(p->out, c->name);
	sd_str_append(p->out, ";\n");
}

/*
 * Adds in TO's column order (appended_last made sure they belong at the
 * end), then drops: SQLite refuses to drop a table's last column.
 */
static int
alter_table(planner *p, const tplan *tp, sd_err *err)
{
	lite_tabledef def;

	sd_lite__parse_table(&def, &p->arena, tp->b->definition);
	for (size_t i = 0; i < tp->b->n_columns; i++) {
		const sd_column *c = &tp->b->columns[i];
		const lite_coldef *cd = NULL;
		if (sd_table_find_column(tp->a, c->name))
			continue;
		for (size_t k = 0; k < def.n_cols && !cd; k++)
			if (strcmp(def.cols[k].name, c->name) == 0)
				cd = &def.cols[k];
		if (!cd)
			return sd_err_set(err, SD_EUNSUPPORTED,
					  "cannot find the definition of column %s in table %s",
					  c->name, tp->b->name);
		sd_str_append(p->out, "ALTER TABLE ");
		q(p->out, tp->a->name);
		sd_str_appendf(p->out, " ADD COLUMN %s;\n", cd->def_sql);
	}
	for (size_t i = 0; i < tp->a->n_columns; i++)
		if (!sd_table_find_column(tp->b, tp->a->columns[i].name))
			drop_column(p, tp->a, &tp->a->columns[i]);
	return SD_OK;
}

/* Index changes on tables that keep existing (not rebuilt, added or dropped). */
static void
index_changes(planner *p, bool drops)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const tplan *tp;
		if (c->what != SD_WHAT_INDEX)
			continue;
		tp = find_plan(p, c->old_table->schema, c->old_table->name);
		if (tp && tp->mode != T_SAME && tp->mode != T_ALTER)
			continue;
		if ((drops && c->old_item) || (!drops && c->new_item && !c->old_item))
			sd_change_comment(p->out, c);
		if (drops && c->old_item) {
			sd_str_append(p->out, "DROP INDEX IF EXISTS ");
			q(p->out, ((const sd_index *)c->old_item)->name);
			sd_str_append(p->out, ";\n");
		} else if (!drops && c->new_item) {
			stored_statement(p->out, ((const sd_index *)c->new_item)->definition);
		}
	}
}

static int
check_definitions(planner *p, sd_err *err)
{
	for (size_t i = 0; i < p->n_tables; i++) {
		const sd_table *b = p->tables[i].b;
		if (b && p->tables[i].mode != T_SAME && p->tables[i].mode != T_DROP && !b->definition)
			return sd_err_set(err, SD_EUNSUPPORTED,
					  "table %s has no CREATE text in the target; cannot plan",
					  b->name);
	}
	return SD_OK;
}

static int
table_work(planner *p, sd_err *err)
{
	int rc;

	for (size_t i = 0; i < p->n_tables; i++) {
		const tplan *tp = &p->tables[i];
		if (tp->mode == T_DROP || tp->mode == T_RECREATE) {
			comment_table(p, tp->a->name, false);
			sd_sql_comment(p->out, "destructive: drops the table and its rows");
			sd_str_append(p->out, "DROP TABLE ");
			q(p->out, tp->a->name);
			sd_str_append(p->out, ";\n");
		}
	}
	for (size_t i = 0; i < p->n_tables; i++) {
		const tplan *tp = &p->tables[i];
		if (tp->mode == T_ADD || tp->mode == T_REBUILD || tp->mode == T_ALTER)
			comment_table(p, tp->b->name, false);
		if (tp->mode == T_ADD || tp->mode == T_RECREATE) {
			stored_statement(p->out, tp->b->definition);
		} else if (tp->mode == T_REBUILD) {
			rebuild_table(p, tp->a, tp->b);
		} else if (tp->mode == T_ALTER && (rc = alter_table(p, tp, err))) {
			return rc;
		}
	}
	/*
	 * Indexes of new and rebuilt tables last: an index name may move from
	 * one rebuilt table to another, and the old one must be gone first.
	 */
	for (size_t i = 0; i < p->n_tables; i++) {
		const tplan *tp = &p->tables[i];
		if (tp->mode == T_ADD || tp->mode == T_RECREATE || tp->mode == T_REBUILD)
			create_indexes(p, tp->b);
	}
	return SD_OK;
}

static int
plan(sd_str *out, const sd_diff *d, const sd_plan_opts *opts, sd_err *err)
{
	planner p = {.d = d, .out = out};
	int rc;

	(void)opts;
	if (d->n_changes == 0)
		return SD_OK;
	sd_arena_init(&p.arena);
	classify_tables(&p);
	if ((rc = check_definitions(&p, err)))
		goto done;
	mark_objects(&p);
	/*
	 * Plain SQL cannot stop a client that carries on after an error, and a
	 * client that does would commit a half-applied rebuild: say so first.
	 */
	sd_str_append(out, "-- schemad plan for SQLite. Apply with a client that stops at the first "
			   "error,\n-- e.g. sqlite3 -bail DB < plan.sql: the statements form one "
			   "transaction\n-- (a foreign key violation rolls it back in any client).\n");
	sd_str_append(out, "PRAGMA foreign_keys = OFF;\nBEGIN;\n");
	emit_objects(&p, d->from, p.obj_drop, SD_OBJ_TRIGGER, true);
	emit_objects(&p, d->from, p.obj_drop, SD_OBJ_VIEW, true);
	index_changes(&p, true);
	if ((rc = table_work(&p, err)))
		goto done;
	index_changes(&p, false);
	emit_objects(&p, d->to, p.obj_create, SD_OBJ_VIEW, false);
	emit_objects(&p, d->to, p.obj_create, SD_OBJ_TRIGGER, false);
	/*
	 * foreign_key_check lists violations but does not fail: a NULL per
	 * violation into a NOT NULL ON CONFLICT ROLLBACK column rolls the whole
	 * plan back in any client, also one that carries on after errors (the
	 * COMMIT then finds no transaction).
	 */
	sd_str_append(out, "PRAGMA foreign_key_check;\n"
			   "CREATE TEMP TABLE \"schemad_foreign_key_check\" (\"violation\" INTEGER NOT NULL "
			   "ON CONFLICT ROLLBACK);\n"
			   "INSERT INTO \"schemad_foreign_key_check\" SELECT NULL FROM "
			   "\"pragma_foreign_key_check\";\n"
			   "DROP TABLE \"temp\".\"schemad_foreign_key_check\";\n"
			   "COMMIT;\nPRAGMA foreign_keys = ON;\n");
done:
	free(p.tables);
	free(p.obj_drop);
	free(p.obj_create);
	sd_arena_dispose(&p.arena);
	return rc;
}

const sd_dialect sd_lite_dialect = {
	.name = "sqlite",
	.quote_ident = sd_lite_quote_ident,
	.plan = plan,
	.adjust_risk = adjust_risk,
};
