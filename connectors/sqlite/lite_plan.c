/*
 * connectors/sqlite/lite_plan.c: the SQLite dialect's plan.
 *
 * ALTER TABLE where SQLite can express the change (ADD COLUMN within its
 * limits, DROP COLUMN where nothing refers to the column); otherwise the
 * rebuild of https://www.sqlite.org/lang_altertable.html#otheralter, in
 * the order that never puts rows at stake: foreign keys off, the old table
 * renamed aside, the new one created from TO's own CREATE text, the
 * surviving columns copied, a guard that every row arrived, the old table
 * dropped; then indexes, triggers and views recreated, PRAGMA
 * foreign_key_check, all in one transaction. Rows are copied, never
 * dropped: a copy that cannot succeed fails the transaction.
 *
 * A client that stops at the first error (schemad apply, sqlite3 -bail)
 * leaves the file as it was on any error. One that carries on (plain
 * sqlite3) cannot be stopped by SQL, but it can be made to lose nothing:
 * the guards are inserts of NULL into NOT NULL ON CONFLICT ROLLBACK
 * columns, which roll the transaction back in any client; what such a
 * client runs after a rollback fails harmlessly (the renamed table is back
 * under its own name) or runs in the transaction a SAVEPOINT starts, which
 * the plan's last guard rolls back. See plan_open().
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
	const char *check;   /* the guards' TEMP table: a name neither side uses */
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

/*
 * A virtual table is not rebuilt but dropped and created again (T_RECREATE):
 * whatever rows it holds itself (FTS, R*Tree) are gone, as with DROP TABLE.
 */
static void
adjust_risk(sd_change *c, const sd_diff *d)
{
	if ((c->what == SD_WHAT_COLUMN || c->what == SD_WHAT_CONSTRAINT ||
	     (c->what == SD_WHAT_TABLE && c->op == SD_OP_ALTER)) &&
	    change_needs_rebuild(d, c)) {
		if (c->old_table && sd_props_get(&c->old_table->props, "virtual"))
			sd_change_add_reason(c, 95,
					     "SQLite cannot ALTER a virtual table: it is dropped and "
					     "created again, and the rows it holds (FTS, R*Tree) "
					     "are lost");
		else
			sd_change_add_reason(c, 35,
					     "SQLite cannot ALTER this: the table is rebuilt (every "
					     "row copied, database locked meanwhile)");
	}
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
		const char *name = n ? sd_arena_printf(&p->arena, "_schemad_old_%s_%d", base, n)
				     : sd_arena_printf(&p->arena, "_schemad_old_%s", base);
		if (!name_taken(p->d->from, name) && !name_taken(p->d->to, name))
			return name;
	}
}

/*
 * The guards' TEMP table. An unqualified name looks in temp before main,
 * so a TEMP table called like one of the database's own tables, views or
 * indexes would stand in for it: DROP TABLE "schemad_check" would drop the
 * guards instead, and every guard after it would do nothing. Hence a name
 * that neither side uses.
 */
static const char *
guard_table_name(planner *p)
{
	for (int n = 0;; n++) {
		const char *name = n ? sd_arena_printf(&p->arena, "schemad_check_%d", n)
				     : "schemad_check";
		if (!name_taken(p->d->from, name) && !name_taken(p->d->to, name))
			return name;
	}
}

/* Starts an insert into the guards' table: INSERT INTO "temp"."schemad_check" */
static void
insert_guard(planner *p)
{
	sd_str_append(p->out, "INSERT INTO \"temp\".");
	q(p->out, p->check);
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
 * one: its high-water mark lives in sqlite_sequence. RENAME moved the old
 * table's mark (never below its highest id) to the old table's new name;
 * the new table gets a copy of it before the rows are copied, since the
 * copy only ever raises a mark it finds.
 */
static void
keep_autoincrement_mark(planner *p, const char *old, const char *name)
{
	sd_str_append(p->out, "INSERT INTO \"sqlite_sequence\" (\"name\", \"seq\") SELECT ");
	sd_sql_string(p->out, name);
	sd_str_append(p->out, ", \"seq\" FROM \"sqlite_sequence\" WHERE \"name\" = ");
	sd_sql_string(p->out, old);
	sd_str_append(p->out, ";\n");
}

/*
 * The copy into an empty table either copies every row or fails (or
 * skips rows: a target's ON CONFLICT IGNORE or REPLACE), so the new table
 * must hold as many rows as the old one. When it does not, or when the
 * rename or the CREATE failed, a NULL goes into a NOT NULL ON CONFLICT
 * ROLLBACK column: the whole transaction rolls back in any client, before
 * the old table is dropped. Two statements, because the count cannot be
 * prepared while one of the tables is missing, and a statement that cannot
 * be prepared does nothing.
 */
static void
copy_guard(planner *p, const char *old, const char *name)
{
	insert_guard(p);
	sd_str_append(p->out, " (\"every_row_copied\") SELECT NULL WHERE (SELECT count(*) FROM "
			      "\"main\".\"sqlite_master\" WHERE \"type\" = 'table' AND \"name\" IN (");
	sd_sql_string(p->out, old);
	sd_str_append(p->out, ", ");
	sd_sql_string(p->out, name);
	sd_str_append(p->out, ")) <> 2;\n");
	insert_guard(p);
	sd_str_append(p->out, " (\"every_row_copied\") SELECT NULL WHERE (SELECT count(*) FROM ");
	q(p->out, name);
	sd_str_append(p->out, ") <> (SELECT count(*) FROM ");
	q(p->out, old);
	sd_str_append(p->out, ");\n");
}

/*
 * The copy. With no column in common the rows still stay (as ADD COLUMN
 * and DROP COLUMN would keep them): their rowids are copied, the rest
 * takes its defaults. A WITHOUT ROWID side has no rowid to copy: then the
 * copy guard finds the rows missing and rolls back.
 */
static void
copy_rows(planner *p, const sd_table *a, const sd_table *b, const char *old, const char *name,
	  const sd_str *cols)
{
	bool rowids = !sd_props_get(&a->props, "without_rowid") &&
		      !sd_props_get(&b->props, "without_rowid");
	const char *list = cols->len ? cols->ptr : "\"rowid\"";

	if (!cols->len && !rowids)
		return;
	sd_str_append(p->out, "INSERT INTO ");
	q(p->out, name);
	sd_str_appendf(p->out, " (%s) SELECT %s FROM ", list, list);
	q(p->out, old);
	sd_str_append(p->out, ";\n");
}

/*
 * Rename first: the rows stay in the old table, under a temporary name,
 * until the copy guard has seen every one of them in the new table. With
 * legacy_alter_table on (and foreign keys off) the rename rewrites
 * nothing but the table's own CREATE text, its indexes and its triggers:
 * REFERENCES in other tables, views and trigger bodies keep naming the
 * table, which is the new one after the CREATE. The old table's indexes
 * keep their names until it is dropped (the new ones come after every
 * rebuild); its sqlite_autoindex_* follow the rename.
 *
 * A SAVEPOINT after the guard: within the transaction it changes nothing,
 * but after the guard rolled back (a client that carries on after errors)
 * it starts a new transaction, so the rest of the plan never runs in
 * autocommit; the plan's last guard rolls that one back too.
 */
static void
rebuild_table(planner *p, const sd_table *a, const sd_table *b)
{
	const char *old = temp_name(p, b->name);
	const char *declared = sd_lite__create_name(&p->arena, b->definition);
	const char *name = declared ? declared : b->name;
	sd_str cols, create;
	bool lost;

	sd_str_init(&cols);
	sd_str_init(&create);
	column_list(&cols, a, b, &lost);
	rebuild_comment(p, b, lost);
	sd_str_append(p->out, "ALTER TABLE ");
	q(p->out, a->name);
	sd_str_append(p->out, " RENAME TO ");
	q(p->out, old);
	sd_str_append(p->out, ";\n");
	if (!sd_lite__rename_create(&create, b->definition, name))
		sd_str_append(&create, b->definition);
	stored_statement(p->out, create.ptr);
	if (has_autoincrement(b))
		keep_autoincrement_mark(p, old, name);
	copy_rows(p, a, b, old, name, &cols);
	copy_guard(p, old, name);
	sd_str_append(p->out, "SAVEPOINT \"schemad_plan\";\nDROP TABLE ");
	q(p->out, old);
	sd_str_append(p->out, ";\n");
	sd_str_dispose(&create);
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

/*
 * True when sql is one statement and starts with CREATE. The plan runs
 * TO's stored CREATE texts as they are; a live database keeps one
 * statement per object, but TO may be a snapshot, which can hold any
 * text: "CREATE TABLE t(a); DELETE FROM users" would run its DELETE under
 * the risk of a table.add. A ";" ends the statement where sqlite3_complete
 * says so (not inside a trigger body); nothing may follow it.
 */
static bool
one_create(const char *sql)
{
	lite_toks toks;
	sd_str prefix;
	bool ok;

	sd_lite__lex(&toks, sql);
	ok = toks.n && sd_lite__is(&toks.v[0], "create");
	sd_str_init(&prefix);
	for (size_t i = 0; ok && i + 1 < toks.n; i++) {
		if (!sd_lite__is_punct(&toks.v[i], ';'))
			continue;
		sd_str_clear(&prefix);
		sd_str_appendn(&prefix, sql, (size_t)(toks.v[i].p + 1 - sql));
		ok = !sqlite3_complete(prefix.ptr);
	}
	sd_str_dispose(&prefix);
	free(toks.v);
	return ok;
}

/*
 * Every CREATE text of TO the plan may run is one CREATE statement, and a
 * table's declares that table: the copy guards count the rebuilt table by
 * its name, and a CREATE of another, existing table with as many rows
 * would pass them while the old table's rows are dropped.
 */
static int
check_texts(planner *p, const sd_schema *to, sd_err *err)
{
	for (size_t i = 0; i < to->n_tables; i++) {
		const sd_table *t = &to->tables[i];
		const char *declared;
		if (t->definition && !one_create(t->definition))
			return sd_err_set(err, SD_EINPUT,
					  "table %s: its CREATE text in the target is not one "
					  "CREATE statement; cannot plan",
					  t->name);
		declared = t->definition ? sd_lite__create_name(&p->arena, t->definition) : NULL;
		if (declared && sqlite3_stricmp(declared, t->name) != 0)
			return sd_err_set(err, SD_EINPUT,
					  "table %s: its CREATE text in the target creates table "
					  "%s; cannot plan",
					  t->name, declared);
		for (size_t k = 0; k < t->n_indexes; k++)
			if (t->indexes[k].definition && !one_create(t->indexes[k].definition))
				return sd_err_set(err, SD_EINPUT,
						  "index %s on %s: its CREATE text in the target is "
						  "not one CREATE statement; cannot plan",
						  t->indexes[k].name ? t->indexes[k].name : "?",
						  t->name);
	}
	for (size_t i = 0; i < to->n_objects; i++)
		if (to->objects[i].ddl && !one_create(to->objects[i].ddl))
			return sd_err_set(err, SD_EINPUT,
					  "%s: its CREATE text in the target is not one CREATE "
					  "statement; cannot plan",
					  to->objects[i].name);
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

/*
 * The plan's frame. Its header says what each kind of client does with
 * it; the guards it describes are columns of one TEMP table, created
 * before the transaction so that it outlives a rollback. Each column is
 * NOT NULL ON CONFLICT ROLLBACK: a guard inserts a NULL into it to roll
 * the whole transaction back, in any client, and the error names the
 * column, i.e. what did not hold.
 */
static void
plan_open(planner *p)
{
	sd_str_append(
		p->out,
		"-- schemad plan for SQLite: one transaction. Apply it with schemad apply or a\n"
		"-- client that stops at the first error (sqlite3 -bail DB < plan.sql): any error\n"
		"-- then leaves the database as it was.\n"
		"-- A client that carries on after errors (plain sqlite3) skips a failed\n"
		"-- statement and runs the rest, except where rows are at stake: a table rebuild\n"
		"-- renames the old table aside and drops it only once a guard has seen every\n"
		"-- row copied; that guard, and the foreign key guard at the end, roll the whole\n"
		"-- transaction back, and after such a rollback the plan's last guard makes\n"
		"-- sure nothing at all is committed.\n"
		"PRAGMA foreign_keys = OFF;\n"
		"-- renaming a table must not rewrite what refers to it (the new table)\n"
		"PRAGMA legacy_alter_table = ON;\n"
		"DROP TABLE IF EXISTS \"temp\".");
	q(p->out, p->check);
	sd_str_append(p->out, ";\nCREATE TEMP TABLE ");
	q(p->out, p->check);
	sd_str_append(
		p->out,
		" (\n"
		"  \"every_row_copied\" INTEGER NOT NULL ON CONFLICT ROLLBACK DEFAULT 1,\n"
		"  \"no_foreign_key_violation\" INTEGER NOT NULL ON CONFLICT ROLLBACK DEFAULT 1,\n"
		"  \"no_earlier_rollback\" INTEGER NOT NULL ON CONFLICT ROLLBACK DEFAULT 1);\n"
		"BEGIN;\n"
		"-- a row that vanishes with any rollback, for the last guard\n");
	insert_guard(p);
	sd_str_append(p->out, " DEFAULT VALUES;\n");
}

/*
 * foreign_key_check lists violations but does not fail: one NULL per
 * violation rolls back. The last guard rolls back when the marker row is
 * gone: a guard rolled back earlier and a carrying-on client ran the rest
 * in the transaction a SAVEPOINT started; none of it may be committed.
 */
static void
plan_close(planner *p)
{
	sd_str_append(p->out, "PRAGMA foreign_key_check;\n");
	insert_guard(p);
	sd_str_append(p->out, " (\"no_foreign_key_violation\") SELECT NULL FROM "
			      "\"pragma_foreign_key_check\";\n");
	insert_guard(p);
	sd_str_append(p->out, " (\"no_earlier_rollback\") SELECT NULL WHERE NOT EXISTS "
			      "(SELECT 1 FROM \"temp\".");
	q(p->out, p->check);
	sd_str_append(p->out, ");\nCOMMIT;\nDROP TABLE \"temp\".");
	q(p->out, p->check);
	sd_str_append(p->out, ";\n"
			      "PRAGMA legacy_alter_table = OFF;\n"
			      "PRAGMA foreign_keys = ON;\n");
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
	if ((rc = check_definitions(&p, err)) || (rc = check_texts(&p, d->to, err)))
		goto done;
	mark_objects(&p);
	p.check = guard_table_name(&p);
	plan_open(&p);
	emit_objects(&p, d->from, p.obj_drop, SD_OBJ_TRIGGER, true);
	emit_objects(&p, d->from, p.obj_drop, SD_OBJ_VIEW, true);
	index_changes(&p, true);
	if ((rc = table_work(&p, err)))
		goto done;
	index_changes(&p, false);
	emit_objects(&p, d->to, p.obj_create, SD_OBJ_VIEW, false);
	emit_objects(&p, d->to, p.obj_create, SD_OBJ_TRIGGER, false);
	plan_close(&p);
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
