/*
 * connectors/mssql/ms_build.c: the state a script left behind, as the
 * common model.
 *
 * SQL Server's extras travel as properties: a column's user-given default
 * name, ROWGUIDCOL, SPARSE; a key's CLUSTERED / NONCLUSTERED and ASC /
 * DESC per column (key_order "AD"); a constraint added WITH NOCHECK (not
 * trusted), disabled, or NOT FOR REPLICATION; whether a module is a procedure or a function; the
 * MS_Description of a module. Names SQL Server made up (PK__t__1A2B...)
 * are kept for the plan but marked generated, so such constraints match
 * by definition.
 */
#include "connectors/mssql/ms_internal.h"

#include <string.h>

static void
build_column(sd_arena *a, sd_column *out, const ms_col *c, int position)
{
	out->name = c->name;
	out->type = c->type;
	out->not_null = c->not_null;
	out->default_expr = c->default_expr;
	out->generated = c->computed;
	out->generated_stored = c->persisted;
	out->identity = c->identity;
	out->collation = c->collation;
	out->comment = c->comment;
	out->position = position;
	if (c->default_name && !sd_ms__is_system_name(c->default_name))
		sd_props_set(a, &out->props, "default_name", c->default_name);
	if (c->rowguidcol)
		sd_props_set(a, &out->props, "rowguidcol", "true");
	if (c->sparse)
		sd_props_set(a, &out->props, "sparse", "true");
	if (c->identity_nfr)
		sd_props_set(a, &out->props, "not_for_replication", "true");
}

/* A foreign key without a column list references the target's primary key. */
static int
resolve_ref_columns(ms_db *db, const char *path, sd_constraint *fk, int line, sd_err *err)
{
	ms_table *target = sd_ms__find_table(db, fk->ref_schema, fk->ref_table);

	if (!target)
		return sd_err_set(
		        err, SD_EINPUT,
		        "%s:%d: foreign key references %s.%s, which the script never creates", path,
		        line, fk->ref_schema, fk->ref_table);
	/* The target's own spelling: [items] and [Items] are one table. */
	fk->ref_schema = target->schema;
	fk->ref_table = target->name;
	if (fk->n_ref_columns)
		return SD_OK;
	for (size_t k = 0; k < target->cons.len; k++)
		if (target->cons.ptr[k].c.type == SD_CON_PRIMARY) {
			fk->ref_columns = target->cons.ptr[k].c.columns;
			fk->n_ref_columns = target->cons.ptr[k].c.n_columns;
			return SD_OK;
		}
	return sd_err_set(err, SD_EINPUT,
	                  "%s:%d: foreign key references %s.%s, which has no primary key", path,
	                  line, fk->ref_schema, fk->ref_table);
}

static int
build_constraint(ms_db *db, const char *path, sd_constraint *out, const ms_con *c, sd_err *err)
{
	sd_arena *a = db->a;

	*out = c->c;
	out->name_generated = !c->c.name || sd_ms__is_system_name(c->c.name);
	out->key = NULL;
	out->props = (sd_props){0};
	if (c->c.type == SD_CON_FOREIGN) {
		int rc;
		/* The target's columns may be renamed later in the script: copy, do not share. */
		if ((rc = resolve_ref_columns(db, path, out, c->line, err)))
			return rc;
		out->ref_columns = sd_arena_strv(a, out->ref_columns, out->n_ref_columns);
	}
	if (c->c.type == SD_CON_PRIMARY || c->c.type == SD_CON_UNIQUE)
		sd_props_set(a, &out->props, "clustered", c->clustered ? "true" : "false");
	if (c->key_order)
		sd_props_set(a, &out->props, "key_order", c->key_order);
	if (c->disabled)
		sd_props_set(a, &out->props, "disabled", "true");
	else if (c->not_trusted && (c->c.type == SD_CON_FOREIGN || c->c.type == SD_CON_CHECK))
		sd_props_set(a, &out->props, "not_trusted", "true");
	if (c->not_for_replication)
		sd_props_set(a, &out->props, "not_for_replication", "true");
	return SD_OK;
}

/* One table through the model's builder (sd_table_parts), arrays in the schema's arena. */
static int
build_table(ms_db *db, const char *path, sd_table *out, const ms_table *t, sd_err *err)
{
	sd_table_parts parts = {0};
	int rc = SD_OK;

	out->schema = t->schema;
	out->name = t->name;
	out->comment = t->comment;
	for (size_t i = 0; i < t->cols.len; i++) {
		sd_column c = {0};
		build_column(db->a, &c, &t->cols.ptr[i], (int)i + 1);
		sd_vec_push(&parts.cols, c);
	}
	for (size_t i = 0; i < t->cons.len && rc == SD_OK; i++) {
		sd_constraint c;
		if ((rc = build_constraint(db, path, &c, &t->cons.ptr[i], err)) == SD_OK)
			sd_vec_push(&parts.cons, c);
	}
	for (size_t i = 0; i < t->idx.len; i++) {
		sd_index ix = t->idx.ptr[i];
		ix.key = NULL; /* filled by sd_schema_sort: the name */
		sd_vec_push(&parts.idx, ix);
	}
	if (rc == SD_OK)
		sd_table_parts_move(&parts, out, db->a);
	sd_table_parts_dispose(&parts);
	return rc;
}

int
sd_ms__build(sd_schema *s, ms_db *db, const char *path, sd_err *err)
{
	size_t n = 0;
	int rc;

	for (size_t i = 0; i < db->tables.len; i++)
		n += !db->tables.ptr[i]->dropped;
	s->tables = sd_arena_alloc(&s->arena, (n + 1) * sizeof(*s->tables));
	for (size_t i = 0; i < db->tables.len; i++)
		if (!db->tables.ptr[i]->dropped &&
		    (rc = build_table(db, path, &s->tables[s->n_tables++], db->tables.ptr[i], err)))
			return rc;
	n = 0;
	for (size_t i = 0; i < db->objs.len; i++)
		n += !db->objs.ptr[i]->dropped;
	s->objects = sd_arena_alloc(&s->arena, (n + 1) * sizeof(*s->objects));
	for (size_t i = 0; i < db->objs.len; i++) {
		const ms_obj *o = db->objs.ptr[i];
		sd_object *out;
		if (o->dropped)
			continue;
		out = &s->objects[s->n_objects++];
		*out = o->o;
		out->props = (sd_props){0};
		if (o->module)
			sd_props_set(&s->arena, &out->props, "module", o->module);
		if (o->comment)
			sd_props_set(&s->arena, &out->props, "comment", o->comment);
	}
	sd_schema_sort(s);
	return SD_OK;
}
