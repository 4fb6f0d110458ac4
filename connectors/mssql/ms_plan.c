/*
 * connectors/mssql/ms_plan.c: the SQL Server dialect's plan (T-SQL).
 *
 * One transaction (SET XACT_ABORT ON; BEGIN TRANSACTION ... COMMIT), run
 * with `sqlcmd -b` so a failed batch stops the script. Order:
 *   1. drop triggers, views and modules that go away (dependents first);
 *   2. drop foreign keys that change, that leave with their table, or
 *      whose target key or columns change; drop changed indexes, keys,
 *      CHECKs and defaults (also around an ALTER COLUMN that needs them
 *      gone), then tables;
 *   3. create schemas, types and sequences; create tables (keys, CHECKs
 *      and defaults inline); add, alter and drop columns; add keys,
 *      CHECKs and indexes;
 *   4. add foreign keys (all tables exist by now);
 *   5. create or alter functions, procedures and views (dependency
 *      order), then triggers, each in its own batch (GO), as SQL Server
 *      requires; drop types, sequences and schemas that go away.
 * Every identifier is bracket-quoted, every literal N'...'. A constraint
 * SQL Server named itself is dropped through a catalog lookup (DECLARE ...
 * EXEC), since its name differs from server to server.
 *
 * Not done: renames (a renamed column is a drop and an add), ONLINE index
 * builds (the risk says when they would help), changing IDENTITY or a
 * computed column in place (SQL Server cannot: the column is dropped and
 * added again, which the plan says).
 */
#include "connectors/mssql/sd_mssql.h"

#include "connectors/mssql/ms_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct con_ref {
	const sd_table *t;
	const sd_constraint *c;
} con_ref;

typedef struct idx_ref {
	const sd_table *t;
	const sd_index *ix;
} idx_ref;

typedef SD_VEC(con_ref) con_vec;
typedef SD_VEC(idx_ref) idx_vec;
typedef SD_VEC(const sd_object *) obj_vec;

typedef struct planner {
	const sd_diff *d;
	sd_str *out;
	bool *from_dropped; /* per FROM table */
	bool *to_added;     /* per TO table */
	bool *from_altered; /* per FROM table: a column or table-level change on it */
	con_vec con_drop;   /* FROM constraints to drop (FROM side) */
	con_vec con_add;    /* TO constraints to add (TO side) */
	idx_vec idx_drop, idx_add;
	int n_lookups; /* numbers the DECLAREd variables */
} planner;

/* ---- writing names and literals ----------------------------------------- */

static void
q(sd_str *s, const char *id)
{
	sd_ms_quote_ident(s, id);
}

static void
qt(sd_str *s, const sd_table *t)
{
	q(s, t->schema);
	sd_str_appendc(s, '.');
	q(s, t->name);
}

static void
qo(sd_str *s, const sd_object *o)
{
	if (o->kind != SD_OBJ_SCHEMA) {
		q(s, o->schema);
		sd_str_appendc(s, '.');
	}
	q(s, o->name);
}

/* ([a], [b] DESC): order is a key_order ("AD"), NULL for all ASC. */
static void
names(sd_str *s, const char *const *v, size_t n, const char *order)
{
	sd_str_appendc(s, '(');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sd_str_append(s, ", ");
		q(s, v[i]);
		if (order && i < strlen(order) && order[i] == 'D')
			sd_str_append(s, " DESC");
	}
	sd_str_appendc(s, ')');
}

static bool
named(const sd_constraint *c)
{
	return c->name && !c->name_generated;
}

/* ---- lookups over the diff ------------------------------------------------ */

static size_t
table_index(const sd_schema *s, const sd_table *t)
{
	return (size_t)(t - s->tables);
}

static bool
from_dropped(planner *p, const sd_table *t)
{
	return p->from_dropped[table_index(p->d->from, t)];
}

static const sd_table *
from_table(planner *p, const char *schema, const char *name)
{
	return sd_schema_find_table(p->d->from, schema, name);
}

static const sd_constraint *
find_con(const sd_table *t, const sd_constraint *like)
{
	for (size_t i = 0; t && i < t->n_constraints; i++)
		if (sd_model_cmp_constraint(&t->constraints[i], like) == 0)
			return &t->constraints[i];
	return NULL;
}

static const sd_index *
find_idx(const sd_table *t, const sd_index *like)
{
	for (size_t i = 0; t && i < t->n_indexes; i++)
		if (sd_model_cmp_index(&t->indexes[i], like) == 0)
			return &t->indexes[i];
	return NULL;
}

static void
push_con(con_vec *v, const sd_table *t, const sd_constraint *c)
{
	for (size_t i = 0; i < v->len; i++)
		if (v->ptr[i].c == c)
			return;
	sd_vec_push(v, ((con_ref){t, c}));
}

static void
push_idx(idx_vec *v, const sd_table *t, const sd_index *ix)
{
	for (size_t i = 0; i < v->len; i++)
		if (v->ptr[i].ix == ix)
			return;
	sd_vec_push(v, ((idx_ref){t, ix}));
}

static bool
is_column_rewrite(const sd_change *c)
{
	return c->what == SD_WHAT_COLUMN && c->op == SD_OP_ALTER &&
	       (strncmp(c->kind, "column.type", 11) == 0 ||
	        strcmp(c->kind, "column.set_not_null") == 0 ||
	        strcmp(c->kind, "column.drop_not_null") == 0 ||
	        strcmp(c->kind, "column.collation") == 0);
}

/* Changes SQL Server cannot make in place: the column is dropped and added again. */
static bool
is_column_recreate(const sd_change *c)
{
	return c->what == SD_WHAT_COLUMN && c->op == SD_OP_ALTER &&
	       (strcmp(c->kind, "column.identity") == 0 ||
	        strcmp(c->kind, "column.generated") == 0 ||
	        (((const sd_column *)c->old_item)->generated != NULL) !=
	                (((const sd_column *)c->new_item)->generated != NULL));
}

static bool
has_column(const char *const *v, size_t n, const char *col)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], col) == 0)
			return true;
	return false;
}

static bool
index_uses(const sd_index *ix, const char *col)
{
	for (size_t i = 0; i < ix->n_keys; i++)
		if (ix->keys[i].column && strcmp(ix->keys[i].column, col) == 0)
			return true;
	return has_column(ix->include, ix->n_include, col);
}

/* Drops (and re-adds from TO) what would block an ALTER or DROP of column col of a. */
static void
release_column(planner *p, const sd_table *a, const sd_table *b, const char *col)
{
	const sd_schema *from = p->d->from;

	for (size_t i = 0; i < a->n_indexes; i++)
		if (index_uses(&a->indexes[i], col)) {
			const sd_index *again = find_idx(b, &a->indexes[i]);
			push_idx(&p->idx_drop, a, &a->indexes[i]);
			if (again && sd_table_find_column(b, col))
				push_idx(&p->idx_add, b, again);
		}
	for (size_t i = 0; i < a->n_constraints; i++) {
		const sd_constraint *c = &a->constraints[i], *again;
		if (!has_column(c->columns, c->n_columns, col))
			continue;
		push_con(&p->con_drop, a, c);
		if ((again = find_con(b, c)) && sd_table_find_column(b, col))
			push_con(&p->con_add, b, again);
	}
	/* Foreign keys of any table that point at this column. */
	for (size_t t = 0; t < from->n_tables; t++) {
		const sd_table *o = &from->tables[t];
		for (size_t i = 0; i < o->n_constraints; i++) {
			const sd_constraint *c = &o->constraints[i], *again;
			if (c->type != SD_CON_FOREIGN || !sd_streq(c->ref_table, a->name) ||
			    !sd_streq(c->ref_schema, a->schema) ||
			    !has_column(c->ref_columns, c->n_ref_columns, col))
				continue;
			push_con(&p->con_drop, o, c);
			if (!from_dropped(p, o) &&
			    (again = find_con(sd_schema_find_table(p->d->to, o->schema, o->name),
			                      c)))
				push_con(&p->con_add,
				         sd_schema_find_table(p->d->to, o->schema, o->name), again);
		}
	}
}

/* Foreign keys pointing at a's keys, when a key of a is dropped or changed. */
static void
release_key(planner *p, const sd_table *a, const sd_constraint *key)
{
	for (size_t i = 0; i < key->n_columns; i++)
		release_column(p, a, sd_schema_find_table(p->d->to, a->schema, a->name),
		               key->columns[i]);
}

static void
classify(planner *p)
{
	const sd_diff *d = p->d;

	p->from_dropped = sd_xcalloc(d->from->n_tables + 1, sizeof(bool));
	p->to_added = sd_xcalloc(d->to->n_tables + 1, sizeof(bool));
	p->from_altered = sd_xcalloc(d->from->n_tables + 1, sizeof(bool));
	for (size_t i = 0; i < d->n_changes; i++) {
		const sd_change *c = &d->changes[i];
		if (c->old_table && c->new_table &&
		    (c->what == SD_WHAT_COLUMN || c->what == SD_WHAT_TABLE))
			p->from_altered[table_index(d->from, c->old_table)] = true;
		if (c->what == SD_WHAT_TABLE && c->op == SD_OP_DROP)
			p->from_dropped[table_index(d->from, c->old_table)] = true;
		if (c->what == SD_WHAT_TABLE && c->op == SD_OP_ADD)
			p->to_added[table_index(d->to, c->new_table)] = true;
	}
	for (size_t i = 0; i < d->n_changes; i++) {
		const sd_change *c = &d->changes[i];
		if (c->what == SD_WHAT_CONSTRAINT) {
			if (c->old_item)
				push_con(&p->con_drop, c->old_table, c->old_item);
			if (c->new_item)
				push_con(&p->con_add, c->new_table, c->new_item);
			if (c->old_item &&
			    (((const sd_constraint *)c->old_item)->type == SD_CON_PRIMARY ||
			     ((const sd_constraint *)c->old_item)->type == SD_CON_UNIQUE))
				release_key(p, c->old_table, c->old_item);
		} else if (c->what == SD_WHAT_INDEX) {
			if (c->old_item)
				push_idx(&p->idx_drop, c->old_table, c->old_item);
			if (c->new_item)
				push_idx(&p->idx_add, c->new_table, c->new_item);
		} else if (c->what == SD_WHAT_COLUMN && c->old_item &&
		           (c->op == SD_OP_DROP || is_column_rewrite(c) || is_column_recreate(c))) {
			release_column(p, c->old_table, c->new_table,
			               ((const sd_column *)c->old_item)->name);
		}
	}
	/* A dropped table takes its foreign keys and those pointing at it: drop them first. */
	for (size_t t = 0; t < d->from->n_tables; t++) {
		const sd_table *o = &d->from->tables[t];
		for (size_t i = 0; i < o->n_constraints; i++) {
			const sd_constraint *c = &o->constraints[i];
			const sd_table *target;
			if (c->type != SD_CON_FOREIGN)
				continue;
			target = from_table(p, c->ref_schema, c->ref_table);
			if (p->from_dropped[t] || (target && from_dropped(p, target)))
				push_con(&p->con_drop, o, c);
		}
	}
	/* New tables' foreign keys are added once every table exists. */
	for (size_t t = 0; t < d->to->n_tables; t++)
		for (size_t i = 0; p->to_added[t] && i < d->to->tables[t].n_constraints; i++)
			if (d->to->tables[t].constraints[i].type == SD_CON_FOREIGN)
				push_con(&p->con_add, &d->to->tables[t],
				         &d->to->tables[t].constraints[i]);
}

/* ---- statements ------------------------------------------------------------ */

static void
alter_table(planner *p, const sd_table *t)
{
	sd_str_append(p->out, "ALTER TABLE ");
	qt(p->out, t);
	sd_str_appendc(p->out, ' ');
}

/* DECLARE @v ... = (SELECT N'ALTER TABLE t DROP CONSTRAINT ' + QUOTENAME(name) FROM ...); EXEC
 * (@v); */
static void
drop_by_lookup(planner *p, const sd_table *t, const char *from_where, const char *key)
{
	sd_str target;
	int n = ++p->n_lookups;

	sd_str_init(&target);
	qt(&target, t);
	sd_str_appendf(p->out, "DECLARE @schemad_drop_%d nvarchar(max) = (SELECT N'ALTER TABLE ",
	               n);
	/* the table name inside an N'' literal: its quotes doubled */
	for (const char *c = target.ptr; *c; c++) {
		if (*c == '\'')
			sd_str_appendc(p->out, '\'');
		sd_str_appendc(p->out, *c);
	}
	sd_str_append(p->out, " DROP CONSTRAINT ' + QUOTENAME(name) FROM ");
	sd_str_append(p->out, from_where);
	sd_str_append(p->out, "parent_object_id = OBJECT_ID(");
	sd_ms__quote_literal(p->out, target.ptr);
	sd_str_append(p->out, ")");
	sd_str_append(p->out, key);
	sd_str_appendf(p->out, ");\nEXEC (@schemad_drop_%d);\n", n);
	sd_str_dispose(&target);
}

static void
drop_constraint(planner *p, const sd_table *t, const sd_constraint *c)
{
	sd_str key;

	if (c->name) {
		alter_table(p, t);
		sd_str_append(p->out, "DROP CONSTRAINT ");
		q(p->out, c->name);
		sd_str_append(p->out, ";\n");
		return;
	}
	sd_str_init(&key);
	switch (c->type) {
	case SD_CON_PRIMARY:
		sd_str_append(&key, " AND type = 'PK'");
		drop_by_lookup(p, t, "sys.key_constraints WHERE ", key.ptr);
		break;
	case SD_CON_CHECK:
		sd_str_append(&key, " AND definition = ");
		sd_ms__quote_literal(&key, c->expr);
		drop_by_lookup(p, t, "sys.check_constraints WHERE ", key.ptr);
		break;
	default: {
		sd_str cols;
		sd_str_init(&cols);
		for (size_t i = 0; i < c->n_columns; i++)
			sd_str_appendf(&cols, "%s%s", i ? "," : "", c->columns[i]);
		if (c->type == SD_CON_FOREIGN) {
			sd_str ref;
			sd_str_init(&ref);
			q(&ref, c->ref_schema);
			sd_str_appendc(&ref, '.');
			q(&ref, c->ref_table);
			sd_str_append(&key, " AND referenced_object_id = OBJECT_ID(");
			sd_ms__quote_literal(&key, ref.ptr);
			sd_str_append(&key,
			              ") AND (SELECT STRING_AGG(COL_NAME(fc.parent_object_id, "
			              "fc.parent_column_id), N',') WITHIN GROUP (ORDER BY "
			              "fc.constraint_column_id) FROM sys.foreign_key_columns AS fc "
			              "WHERE fc.constraint_object_id = fk.object_id) = ");
			sd_str_dispose(&ref);
		} else {
			sd_str_append(
			        &key,
			        " AND type = 'UQ' AND (SELECT STRING_AGG(COL_NAME(ic.object_id, "
			        "ic.column_id), N',') WITHIN GROUP (ORDER BY ic.key_ordinal) "
			        "FROM sys.index_columns AS ic WHERE ic.object_id = "
			        "kc.parent_object_id AND ic.index_id = kc.unique_index_id) = ");
		}
		sd_ms__quote_literal(&key, cols.ptr);
		drop_by_lookup(p, t,
		               c->type == SD_CON_FOREIGN ? "sys.foreign_keys AS fk WHERE fk."
		                                         : "sys.key_constraints AS kc WHERE kc.",
		               key.ptr);
		sd_str_dispose(&cols);
	}
	}
	sd_str_dispose(&key);
}

/* The model's action ("set null") as T-SQL writes it. */
static const char *
action_word(const char *action)
{
	return strcmp(action, "cascade") == 0    ? "CASCADE"
	       : strcmp(action, "set null") == 0 ? "SET NULL"
	                                         : "SET DEFAULT";
}

/* The body of a constraint: PRIMARY KEY CLUSTERED ([a]) / CHECK (...) / FOREIGN KEY ... */
static void
constraint_body(sd_str *s, const sd_constraint *c)
{
	const char *clustered = sd_props_get(&c->props, "clustered");

	if (named(c)) {
		sd_str_append(s, "CONSTRAINT ");
		q(s, c->name);
		sd_str_appendc(s, ' ');
	}
	switch (c->type) {
	case SD_CON_PRIMARY:
	case SD_CON_UNIQUE:
		sd_str_append(s, c->type == SD_CON_PRIMARY ? "PRIMARY KEY " : "UNIQUE ");
		sd_str_append(s, sd_streq(clustered, "true") ? "CLUSTERED " : "NONCLUSTERED ");
		names(s, c->columns, c->n_columns, sd_props_get(&c->props, "key_order"));
		break;
	case SD_CON_CHECK:
		sd_str_append(s, "CHECK ");
		if (sd_props_get(&c->props, "not_for_replication"))
			sd_str_append(s, "NOT FOR REPLICATION ");
		sd_str_append(s, c->expr);
		break;
	case SD_CON_FOREIGN:
		sd_str_append(s, "FOREIGN KEY ");
		names(s, c->columns, c->n_columns, NULL);
		sd_str_append(s, " REFERENCES ");
		q(s, c->ref_schema);
		sd_str_appendc(s, '.');
		q(s, c->ref_table);
		sd_str_appendc(s, ' ');
		names(s, c->ref_columns, c->n_ref_columns, NULL);
		if (c->on_delete)
			sd_str_appendf(s, " ON DELETE %s", action_word(c->on_delete));
		if (c->on_update)
			sd_str_appendf(s, " ON UPDATE %s", action_word(c->on_update));
		if (sd_props_get(&c->props, "not_for_replication"))
			sd_str_append(s, " NOT FOR REPLICATION");
		break;
	default:
		break;
	}
}

static void
add_constraint(planner *p, const sd_table *t, const sd_constraint *c)
{
	bool nocheck =
	        sd_props_get(&c->props, "not_trusted") || sd_props_get(&c->props, "disabled");

	alter_table(p, t);
	if (c->type == SD_CON_FOREIGN || c->type == SD_CON_CHECK)
		sd_str_append(p->out, nocheck ? "WITH NOCHECK " : "WITH CHECK ");
	sd_str_append(p->out, "ADD ");
	constraint_body(p->out, c);
	sd_str_append(p->out, ";\n");
	if (sd_props_get(&c->props, "disabled") && named(c)) {
		alter_table(p, t);
		sd_str_append(p->out, "NOCHECK CONSTRAINT ");
		q(p->out, c->name);
		sd_str_append(p->out, ";\n");
	}
}

static void
column_def(sd_str *s, const sd_column *c, bool with_default)
{
	const char *dname = sd_props_get(&c->props, "default_name");

	q(s, c->name);
	if (c->generated) {
		sd_str_appendf(s, " AS %s%s%s", c->generated,
		               c->generated_stored ? " PERSISTED" : "",
		               c->generated_stored && c->not_null ? " NOT NULL" : "");
		return;
	}
	sd_str_appendf(s, " %s", c->type);
	if (c->collation)
		sd_str_appendf(s, " COLLATE %s", c->collation);
	if (sd_props_get(&c->props, "sparse"))
		sd_str_append(s, " SPARSE");
	sd_str_append(s, c->not_null ? " NOT NULL" : " NULL");
	if (c->identity) {
		sd_str_appendf(s, " IDENTITY%s", c->identity + strlen("identity"));
		if (sd_props_get(&c->props, "not_for_replication"))
			sd_str_append(s, " NOT FOR REPLICATION");
	}
	if (sd_props_get(&c->props, "rowguidcol"))
		sd_str_append(s, " ROWGUIDCOL");
	if (with_default && c->default_expr) {
		if (dname) {
			sd_str_append(s, " CONSTRAINT ");
			q(s, dname);
		}
		sd_str_appendf(s, " DEFAULT %s", c->default_expr);
	}
}

static void
drop_default(planner *p, const sd_table *t, const sd_column *c)
{
	const char *dname = sd_props_get(&c->props, "default_name");
	sd_str key;

	if (dname) {
		alter_table(p, t);
		sd_str_append(p->out, "DROP CONSTRAINT ");
		q(p->out, dname);
		sd_str_append(p->out, ";\n");
		return;
	}
	sd_str_init(&key);
	sd_str_append(&key, " AND COL_NAME(parent_object_id, parent_column_id) = ");
	sd_ms__quote_literal(&key, c->name);
	drop_by_lookup(p, t, "sys.default_constraints WHERE ", key.ptr);
	sd_str_dispose(&key);
}

static void
add_default(planner *p, const sd_table *t, const sd_column *c)
{
	const char *dname = sd_props_get(&c->props, "default_name");

	alter_table(p, t);
	sd_str_append(p->out, "ADD ");
	if (dname) {
		sd_str_append(p->out, "CONSTRAINT ");
		q(p->out, dname);
		sd_str_appendc(p->out, ' ');
	}
	sd_str_appendf(p->out, "DEFAULT %s FOR ", c->default_expr);
	q(p->out, c->name);
	sd_str_append(p->out, ";\n");
}

/* EXEC sys.sp_{add,update,drop}extendedproperty N'MS_Description' on a table, column or module. */
static void
description(planner *p,
            const char *verb,
            const char *value,
            const char *schema,
            const char *l1type,
            const char *l1,
            const char *column)
{
	sd_str *s = p->out;

	sd_str_appendf(s, "EXEC sys.sp_%sextendedproperty @name = N'MS_Description', ", verb);
	if (value) {
		sd_str_append(s, "@value = ");
		sd_ms__quote_literal(s, value);
		sd_str_append(s, ", ");
	}
	sd_str_append(s, "@level0type = N'SCHEMA', @level0name = ");
	sd_ms__quote_literal(s, schema);
	sd_str_appendf(s, ", @level1type = N'%s', @level1name = ", l1type);
	sd_ms__quote_literal(s, l1);
	if (column) {
		sd_str_append(s, ", @level2type = N'COLUMN', @level2name = ");
		sd_ms__quote_literal(s, column);
	}
	sd_str_append(s, ";\n");
}

static void
change_description(planner *p,
                   const char *old,
                   const char *now,
                   const char *schema,
                   const char *l1type,
                   const char *l1,
                   const char *column)
{
	if (sd_streq(old, now))
		return;
	if (!now)
		description(p, "drop", NULL, schema, l1type, l1, column);
	else
		description(p, old ? "update" : "add", now, schema, l1type, l1, column);
}

static void
create_index(planner *p, const sd_table *t, const sd_index *ix)
{
	sd_str *s = p->out;
	const char *m = ix->method;

	sd_str_appendf(s, "CREATE %s%s INDEX ", ix->unique ? "UNIQUE " : "",
	               !m                              ? "NONCLUSTERED"
	               : strcmp(m, "clustered") == 0   ? "CLUSTERED"
	               : strcmp(m, "columnstore") == 0 ? "NONCLUSTERED COLUMNSTORE"
	                                               : "CLUSTERED COLUMNSTORE");
	q(s, ix->name);
	sd_str_append(s, " ON ");
	qt(s, t);
	if (ix->n_keys) {
		sd_str_appendc(s, ' ');
		sd_str_appendc(s, '(');
		for (size_t i = 0; i < ix->n_keys; i++) {
			if (i)
				sd_str_append(s, ", ");
			q(s, ix->keys[i].column);
			if (ix->keys[i].desc)
				sd_str_append(s, " DESC");
		}
		sd_str_appendc(s, ')');
	}
	if (ix->n_include) {
		sd_str_append(s, " INCLUDE ");
		names(s, ix->include, ix->n_include, NULL);
	}
	if (ix->predicate)
		sd_str_appendf(s, " WHERE %s", ix->predicate);
	sd_str_append(s, ";\n");
}

static void
create_table(planner *p, const sd_table *t)
{
	sd_str *s = p->out;

	sd_str_append(s, "CREATE TABLE ");
	qt(s, t);
	sd_str_append(s, " (\n");
	for (size_t i = 0; i < t->n_columns; i++) {
		sd_str_append(s, i ? ",\n\t" : "\t");
		column_def(s, &t->columns[i], true);
	}
	for (size_t i = 0; i < t->n_constraints; i++) {
		if (t->constraints[i].type == SD_CON_FOREIGN)
			continue;
		sd_str_append(s, ",\n\t");
		constraint_body(s, &t->constraints[i]);
	}
	sd_str_append(s, "\n);\n");
	change_description(p, NULL, t->comment, t->schema, "TABLE", t->name, NULL);
	for (size_t i = 0; i < t->n_columns; i++)
		change_description(p, NULL, t->columns[i].comment, t->schema, "TABLE", t->name,
		                   t->columns[i].name);
	for (size_t i = 0; i < t->n_indexes; i++)
		create_index(p, t, &t->indexes[i]);
}

/* ---- column changes on a kept table ------------------------------------------ */

static void
drop_column(planner *p, const sd_table *t, const sd_column *c)
{
	sd_str_append(p->out, "-- destructive: drops the column and its data\n");
	alter_table(p, t);
	sd_str_append(p->out, "DROP COLUMN ");
	q(p->out, c->name);
	sd_str_append(p->out, ";\n");
}

static void
add_column(planner *p, const sd_table *t, const sd_column *c)
{
	alter_table(p, t);
	sd_str_append(p->out, "ADD ");
	column_def(p->out, c, true);
	sd_str_append(p->out, ";\n");
	change_description(p, NULL, c->comment, t->schema, "TABLE", t->name, c->name);
}

/* ALTER COLUMN spells type, collation and nullability in full: what it omits it resets. */
static void
alter_column(planner *p, const sd_table *t, const sd_column *c)
{
	alter_table(p, t);
	sd_str_append(p->out, "ALTER COLUMN ");
	q(p->out, c->name);
	sd_str_appendf(p->out, " %s", c->type);
	if (c->collation)
		sd_str_appendf(p->out, " COLLATE %s", c->collation);
	sd_str_append(p->out, c->not_null ? " NOT NULL;\n" : " NULL;\n");
}

/* Whether any change on column a/b of this kind set is present. */
typedef struct col_work {
	bool rewrite, recreate, deflt, option, comment;
} col_work;

static col_work
column_work(planner *p, const sd_column *a)
{
	col_work w = {0};

	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		if (c->what != SD_WHAT_COLUMN || c->old_item != a || c->op != SD_OP_ALTER)
			continue;
		w.rewrite = w.rewrite || is_column_rewrite(c);
		w.recreate = w.recreate || is_column_recreate(c);
		w.deflt = w.deflt || strcmp(c->kind, "column.default") == 0 ||
		          (strcmp(c->kind, "column.option") == 0 &&
		           sd_streq(c->property, "default_name"));
		w.option = w.option || (strcmp(c->kind, "column.option") == 0 &&
		                        !sd_streq(c->property, "default_name"));
		w.comment = w.comment || strcmp(c->kind, "column.comment") == 0;
	}
	return w;
}

/* Defaults that must go before the table work: changed, or on a column that is rewritten or
 * dropped. */
static void
drop_defaults(planner *p, const sd_table *a, const sd_table *b)
{
	for (size_t i = 0; i < a->n_columns; i++) {
		const sd_column *ca = &a->columns[i], *cb = sd_table_find_column(b, ca->name);
		col_work w = cb ? column_work(p, ca) : (col_work){0};
		if (ca->default_expr && (!cb || w.deflt || w.rewrite || w.recreate || w.option))
			drop_default(p, a, ca);
	}
}

static void
column_changes(planner *p, const sd_table *a, const sd_table *b)
{
	for (size_t i = 0; i < a->n_columns; i++) {
		const sd_column *ca = &a->columns[i], *cb = sd_table_find_column(b, ca->name);
		col_work w;
		if (!cb) {
			drop_column(p, a, ca);
			continue;
		}
		w = column_work(p, ca);
		if (w.recreate || w.option) {
			sd_str_append(p->out,
			              "-- SQL Server cannot change IDENTITY, a computed "
			              "expression, SPARSE or ROWGUIDCOL in place: the column is "
			              "dropped (with its data) and added again\n");
			alter_table(p, a);
			sd_str_append(p->out, "DROP COLUMN ");
			q(p->out, ca->name);
			sd_str_append(p->out, ";\n");
			add_column(p, b, cb);
			continue;
		}
		if (w.rewrite)
			alter_column(p, b, cb);
		if ((w.deflt || w.rewrite) && cb->default_expr)
			add_default(p, b, cb);
		if (w.comment)
			change_description(p, ca->comment, cb->comment, b->schema, "TABLE", b->name,
			                   cb->name);
	}
	for (size_t i = 0; i < b->n_columns; i++)
		if (!sd_table_find_column(a, b->columns[i].name))
			add_column(p, b, &b->columns[i]);
	change_description(p, a->comment, b->comment, b->schema, "TABLE", b->name, NULL);
}

/* ---- objects ---------------------------------------------------------------- */

static const char *
object_word(const sd_object *o)
{
	switch (o->kind) {
	case SD_OBJ_VIEW:
		return "VIEW";
	case SD_OBJ_TRIGGER:
		return "TRIGGER";
	case SD_OBJ_SEQUENCE:
		return "SEQUENCE";
	case SD_OBJ_TYPE:
		return "TYPE";
	case SD_OBJ_SCHEMA:
		return "SCHEMA";
	default:
		return sd_streq(sd_props_get(&o->props, "module"), "procedure") ? "PROCEDURE"
		                                                                : "FUNCTION";
	}
}

static bool
is_module(const sd_object *o)
{
	return o->kind == SD_OBJ_VIEW || o->kind == SD_OBJ_FUNCTION || o->kind == SD_OBJ_TRIGGER;
}

static void
drop_object(planner *p, const sd_object *o)
{
	sd_str_appendf(p->out, "DROP %s ", object_word(o));
	qo(p->out, o);
	sd_str_append(p->out, ";\n");
}

/* An object changes kind of module or table: CREATE OR ALTER cannot do that. */
static bool
needs_drop(const sd_change *c)
{
	const sd_object *a = c->old_item, *b = c->new_item;

	if (c->op == SD_OP_DROP)
		return true;
	if (c->op != SD_OP_ALTER)
		return false;
	return !is_module(a) || !sd_streq(a->table, b->table) ||
	       !sd_streq(sd_props_get(&a->props, "module"), sd_props_get(&b->props, "module"));
}

static void
collect_objects(planner *p, obj_vec *v, bool drops, bool modules, int only_op)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_object *o;
		if (c->what != SD_WHAT_OBJECT || (drops ? !needs_drop(c) : !c->new_item) ||
		    (only_op >= 0 && c->op != (sd_change_op)only_op))
			continue;
		o = drops ? c->old_item : c->new_item;
		if (is_module(o) == modules)
			sd_vec_push(v, o);
	}
}

/* Triggers of TO whose table this plan creates: a new table has none yet. */
static void
triggers_of_new_tables(planner *p, obj_vec *v)
{
	for (size_t i = 0; i < p->d->to->n_objects; i++) {
		const sd_object *o = &p->d->to->objects[i];
		const sd_table *t;
		bool listed = false;
		if (o->kind != SD_OBJ_TRIGGER)
			continue;
		t = sd_schema_find_table(p->d->to, o->schema, o->table);
		for (size_t k = 0; k < v->len; k++)
			listed = listed || v->ptr[k] == o;
		if (t && p->to_added[table_index(p->d->to, t)] && !listed)
			sd_vec_push(v, o);
	}
}

static void
emit_modules(planner *p)
{
	obj_vec v = {0};
	size_t *order;

	collect_objects(p, &v, false, true, -1);
	triggers_of_new_tables(p, &v);
	order = sd_xcalloc(v.len + 1, sizeof(size_t));
	sd_order_by_depends(order, v.ptr, v.len);
	for (int pass = 0; pass < 2; pass++) /* triggers after what they may call */
		for (size_t n = 0; n < v.len; n++) {
			const sd_object *o = v.ptr[order[n]], *old;
			if ((o->kind == SD_OBJ_TRIGGER) != (pass == 1))
				continue;
			old = sd_schema_find_object(p->d->from, o->kind, o->schema, o->name);
			if (old && o->kind == SD_OBJ_TRIGGER && !sd_streq(old->table, o->table))
				old = NULL;
			/* CREATE OR ALTER replaces what is there; CREATE needs it gone. */
			sd_str_appendf(p->out, "GO\nCREATE %s%s\nGO\n",
			               old && sd_streq(sd_props_get(&old->props, "module"),
			                               sd_props_get(&o->props, "module"))
			                       ? "OR ALTER "
			                       : "",
			               o->ddl);
			if (o->kind != SD_OBJ_TRIGGER)
				change_description(
				        p, old ? sd_props_get(&old->props, "comment") : NULL,
				        sd_props_get(&o->props, "comment"), o->schema,
				        object_word(o), o->name, NULL);
		}
	free(order);
	sd_vec_dispose(&v);
}

/* Drops of modules (or of other objects); only_op keeps only SD_OP_DROP or SD_OP_ALTER changes, -1
 * all. */
static void
emit_object_drops(planner *p, bool modules, int only_op)
{
	obj_vec v = {0};
	size_t *order;

	collect_objects(p, &v, true, modules, only_op);
	order = sd_xcalloc(v.len + 1, sizeof(size_t));
	sd_order_by_depends(order, v.ptr, v.len);
	for (int pass = 0; pass < 2; pass++)
		for (size_t n = v.len; n-- > 0;) {
			const sd_object *o = v.ptr[order[n]];
			/* triggers first, schemas last */
			if ((o->kind == (modules ? SD_OBJ_TRIGGER : SD_OBJ_SCHEMA)) !=
			    (pass == (modules ? 0 : 1)))
				continue;
			drop_object(p, o);
		}
	free(order);
	sd_vec_dispose(&v);
}

static void
emit_object_creates(planner *p)
{
	static const sd_obj_kind kinds[] = {SD_OBJ_SCHEMA, SD_OBJ_TYPE, SD_OBJ_SEQUENCE};

	for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds); k++)
		for (size_t i = 0; i < p->d->n_changes; i++) {
			const sd_change *c = &p->d->changes[i];
			const sd_object *o = c->new_item;
			if (c->what != SD_WHAT_OBJECT || !o || o->kind != kinds[k])
				continue;
			sd_str_appendf(p->out, "%sCREATE %s;\n%s",
			               o->kind == SD_OBJ_SCHEMA ? "GO\n" : "", o->ddl,
			               o->kind == SD_OBJ_SCHEMA ? "GO\n" : "");
		}
}

/* ---- the plan ---------------------------------------------------------------- */

static bool
in_dropped_table(planner *p, const sd_table *t)
{
	return from_dropped(p, t);
}

static void
drops(planner *p)
{
	const sd_diff *d = p->d;

	emit_object_drops(p, true, -1);
	/* a type or sequence that changes is dropped here and created again below */
	emit_object_drops(p, false, SD_OP_ALTER);
	/* Foreign keys first: nothing else can go while one points at it. */
	for (size_t i = 0; i < p->con_drop.len; i++)
		if (p->con_drop.ptr[i].c->type == SD_CON_FOREIGN)
			drop_constraint(p, p->con_drop.ptr[i].t, p->con_drop.ptr[i].c);
	for (size_t i = 0; i < p->idx_drop.len; i++) {
		const idx_ref *r = &p->idx_drop.ptr[i];
		if (in_dropped_table(p, r->t))
			continue;
		sd_str_append(p->out, "DROP INDEX ");
		q(p->out, r->ix->name);
		sd_str_append(p->out, " ON ");
		qt(p->out, r->t);
		sd_str_append(p->out, ";\n");
	}
	for (size_t pass = 0; pass < 2; pass++) /* UNIQUE and CHECK before the PRIMARY KEY */
		for (size_t i = 0; i < p->con_drop.len; i++) {
			const con_ref *r = &p->con_drop.ptr[i];
			if (r->c->type == SD_CON_FOREIGN || in_dropped_table(p, r->t) ||
			    (r->c->type == SD_CON_PRIMARY) != (pass == 1))
				continue;
			drop_constraint(p, r->t, r->c);
		}
	for (size_t t = 0; t < d->from->n_tables; t++) {
		const sd_table *a = &d->from->tables[t];
		const sd_table *b = sd_schema_find_table(d->to, a->schema, a->name);
		if (p->from_altered[t] && b)
			drop_defaults(p, a, b);
	}
	for (size_t t = 0; t < d->from->n_tables; t++) {
		if (!p->from_dropped[t])
			continue;
		sd_str_append(p->out,
		              "-- destructive: drops the table and every row in it\nDROP TABLE ");
		qt(p->out, &d->from->tables[t]);
		sd_str_append(p->out, ";\n");
	}
}

static void
creates(planner *p)
{
	const sd_diff *d = p->d;

	emit_object_creates(p);
	for (size_t t = 0; t < d->to->n_tables; t++)
		if (p->to_added[t])
			create_table(p, &d->to->tables[t]);
	for (size_t t = 0; t < d->from->n_tables; t++) {
		const sd_table *a = &d->from->tables[t];
		const sd_table *b = sd_schema_find_table(d->to, a->schema, a->name);
		if (p->from_altered[t] && b)
			column_changes(p, a, b);
	}
	for (size_t pass = 0; pass < 2;
	     pass++) /* the PRIMARY KEY first: it may be the clustered index */
		for (size_t i = 0; i < p->con_add.len; i++) {
			const con_ref *r = &p->con_add.ptr[i];
			if (r->c->type == SD_CON_FOREIGN || p->to_added[table_index(d->to, r->t)] ||
			    (r->c->type == SD_CON_PRIMARY) != (pass == 0))
				continue;
			add_constraint(p, r->t, r->c);
		}
	for (size_t i = 0; i < p->idx_add.len; i++)
		if (!p->to_added[table_index(d->to, p->idx_add.ptr[i].t)])
			create_index(p, p->idx_add.ptr[i].t, p->idx_add.ptr[i].ix);
	for (size_t i = 0; i < p->con_add.len; i++)
		if (p->con_add.ptr[i].c->type == SD_CON_FOREIGN)
			add_constraint(p, p->con_add.ptr[i].t, p->con_add.ptr[i].c);
}

static int
plan(sd_str *out, const sd_diff *d, const sd_plan_opts *opts, sd_err *err)
{
	planner p = {.d = d, .out = out};

	(void)opts;
	(void)err;
	if (d->n_changes == 0)
		return SD_OK;
	classify(&p);
	sd_str_append(out,
	              "-- schemad plan for SQL Server (T-SQL, SQL Server 2017 or later).\n"
	              "-- Run it with sqlcmd -b (stop at the first error): the batches form one "
	              "transaction.\n");
	for (size_t i = 0; i < d->n_changes; i++)
		sd_change_comment(out, &d->changes[i]);
	sd_str_append(out, "SET XACT_ABORT ON;\nBEGIN TRANSACTION;\n");
	drops(&p);
	creates(&p);
	emit_modules(&p);
	emit_object_drops(&p, false, SD_OP_DROP);
	sd_str_append(out, "COMMIT TRANSACTION;\nGO\n");
	free(p.from_dropped);
	free(p.to_added);
	free(p.from_altered);
	sd_vec_dispose(&p.con_drop);
	sd_vec_dispose(&p.con_add);
	sd_vec_dispose(&p.idx_drop);
	sd_vec_dispose(&p.idx_add);
	return SD_OK;
}

/* ---- risk ------------------------------------------------------------------- */

static void
adjust_risk(sd_change *c, const sd_diff *d)
{
	(void)d;
	if (c->what == SD_WHAT_COLUMN && c->op == SD_OP_ALTER &&
	    (strncmp(c->kind, "column.type", 11) == 0 || strcmp(c->kind, "column.collation") == 0))
		sd_change_add_reason(c, 0,
		                     "SQL Server: ALTER COLUMN is a size-of-data operation when "
		                     "the storage changes (every row rewritten under a schema-"
		                     "modification lock); dependent indexes and keys are dropped "
		                     "and rebuilt around it");
	if (c->what == SD_WHAT_COLUMN && strcmp(c->kind, "column.set_not_null") == 0)
		sd_change_add_reason(c, 0,
		                     "SQL Server: NOT NULL scans every row under a schema-"
		                     "modification lock");
	if (c->what == SD_WHAT_COLUMN && c->op == SD_OP_ADD &&
	    ((const sd_column *)c->new_item)->not_null &&
	    ((const sd_column *)c->new_item)->default_expr)
		sd_change_add_reason(c, 0,
		                     "SQL Server: a NOT NULL column with a constant default is "
		                     "metadata-only on Enterprise edition, a full rewrite "
		                     "elsewhere");
	if (c->what == SD_WHAT_COLUMN && c->op == SD_OP_ALTER &&
	    (strcmp(c->kind, "column.identity") == 0 || strcmp(c->kind, "column.generated") == 0))
		sd_change_add_reason(c, 80,
		                     "SQL Server cannot change this in place: the column is "
		                     "dropped and added again, its values are lost");
	if (c->what == SD_WHAT_INDEX && c->op != SD_OP_DROP)
		sd_change_add_reason(c, 0,
		                     "SQL Server: built offline (table locked for writes) unless "
		                     "run WITH (ONLINE = ON), which needs Enterprise edition or "
		                     "Azure SQL");
	if ((c->what == SD_WHAT_CONSTRAINT && c->op != SD_OP_ADD &&
	     sd_streq(sd_props_get(&((const sd_constraint *)c->old_item)->props, "clustered"),
	              "true")) ||
	    (c->what == SD_WHAT_INDEX && c->op != SD_OP_ADD &&
	     sd_streq(((const sd_index *)c->old_item)->method, "clustered")))
		sd_change_add_reason(c, 0,
		                     "SQL Server: the clustered index is the table: changing it "
		                     "rewrites the table and every nonclustered index");
}

const sd_dialect sd_ms_dialect = {
        .name = "mssql",
        .quote_ident = sd_ms_quote_ident,
        .plan = plan,
        .adjust_risk = adjust_risk,
        /* ALTER TABLE ADD only appends, and the plan does not rebuild tables to reorder. */
        .ignore_column_order = true,
};
