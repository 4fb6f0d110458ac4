/*
 * connectors/pg/pg_plan_table.c: the table half of the PostgreSQL plan.
 *
 * CREATE TABLE from the model (parents before partitions and children),
 * column alterations in the order PostgreSQL accepts, constraints (foreign
 * keys dropped first and added last, and re-added around a key they
 * point at), indexes, table options, inheritance and partition
 * membership, sequence ownership, and the rebuild of a table whose
 * partitioning changes (rename, create, copy rows, drop old).
 *
 * Not yet: reordering columns; ALTER ATTRIBUTE TYPE of a composite in use.
 */
#include "connectors/pg/pg_plan.h"

#include <stdlib.h>
#include <string.h>

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

bool
sd_pg__rebuilt(planner *p, const sd_table *t)
{
	return rebuilt(p, t);
}

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

/*
 * The name a rebuilt table steps aside to. PostgreSQL cuts names at 63
 * bytes (NAMEDATALEN - 1): a long name keeps only as much of itself as
 * leaves room for the suffix, cut at a character boundary, or the cut
 * would land back on the original name.
 */
static const char *
old_name(planner *p, const sd_table *t)
{
	static const char suffix[] = "__schemad_old";
	size_t keep = strlen(t->name), room = 63 - (sizeof(suffix) - 1);

	if (keep > room) {
		keep = room;
		while (keep && ((unsigned char)t->name[keep] & 0xC0) == 0x80)
			keep--; /* not inside a UTF-8 sequence */
	}
	return sd_arena_printf(&p->arena, "%.*s%s", (int)keep, t->name, suffix);
}

/* Before the new tables exist: the old ones step aside under another name. */
void
sd_pg__rebuild_rename(planner *p)
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
void
sd_pg__rebuild_copy(planner *p)
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
		sd_sql_comment(p->out, "destructive: drops the old table once its rows are copied");
		sd_str_append(p->out, "DROP TABLE ");
		qn(p->out, a->schema, old_name(p, a));
		sd_str_append(p->out, ";\n");
		sd_str_dispose(&cols);
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

/* COMMENT ON COLUMN schema.table.column IS '...' */
static void
column_comment(planner *p, const sd_table *t, const sd_column *c)
{
	sd_str ref;

	sd_str_init(&ref);
	sd_str_append(&ref, "COLUMN ");
	qn(&ref, t->schema, t->name);
	sd_str_appendc(&ref, '.');
	q(&ref, c->name);
	comment_on(p, ref.ptr, c->comment);
	sd_str_dispose(&ref);
}

static void
column_comments(planner *p, const sd_table *t, bool all)
{
	for (size_t i = 0; i < t->n_columns; i++) {
		const sd_column *c = &t->columns[i];
		if (c->comment && (all || !prop_true(&c->props, "inherited")))
			column_comment(p, t, c);
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

void
sd_pg__create_table(planner *p, const sd_table *t)
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
		if (sd_props_get(&c->props, "statistics")) {
			alter_table(p, t);
			sd_str_append(p->out, "ALTER COLUMN ");
			q(p->out, c->name);
			sd_str_appendf(p->out, " SET STATISTICS %s;\n", sd_props_get(&c->props, "statistics"));
		}
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
size_t
sd_pg__table_order(planner *p, const sd_table **out, bool creating)
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

size_t
sd_pg__count_table_changes(const sd_diff *d)
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
		sd_sql_commentf(p->out, "destructive: drops %s %s", sd_con_type_name(k->type),
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

	if (ref && (rebuilt(p, ref) || sd_pg__key_family_dropped(p, ref)))
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

/*
 * A key whose index belongs to a partitioned index family that the plan
 * drops (from = true: FROM's key) or builds (TO's key): pg_plan_partidx.c
 * plans it. A partition's own key that TO attaches to its parent's (the
 * same key, now inherited) is kept as it is, to be attached there.
 */
static bool
key_of_family(planner *p, const sd_change *c, bool from)
{
	const sd_table *t = from ? c->old_table : c->new_table;
	const sd_constraint *k = from ? c->old_item : c->new_item;
	const sd_constraint *other = from ? c->new_item : c->old_item;

	if (k->type == SD_CON_FOREIGN || k->type == SD_CON_CHECK)
		return false;
	if (from && other && sd_streq(k->expr, other->expr) && prop_true(&other->props, "inherited"))
		return true;
	for (size_t i = 0; i < t->n_indexes; i++)
		if (t->indexes[i].constraint_backed && sd_streq(t->indexes[i].name, k->name))
			return from ? sd_pg__in_dropped_family(p, t, &t->indexes[i])
				    : sd_pg__in_built_family(p, t, &t->indexes[i]);
	return false;
}

/* Phase: drop constraints changing or going away; FKs (foreign=true) go first. */
void
sd_pg__drop_constraints(planner *p, bool foreign)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_constraint *k = c->old_item;
		if (c->what != SD_WHAT_CONSTRAINT || c->op == SD_OP_ADD ||
		    (k->type == SD_CON_FOREIGN) != foreign || prop_true(&k->props, "inherited"))
			continue;
		if ((c->op == SD_OP_ALTER && constraint_only_comment(k, c->new_item)) ||
		    (!foreign && (change_on_rebuilt(p, c) || key_of_family(p, c, true))))
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

void
sd_pg__add_constraints(planner *p, bool foreign, const sd_table *const *created, size_t n_created)
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
		if (!foreign && key_of_family(p, c, false) &&
		    !(c->op == SD_OP_ALTER && constraint_only_comment(c->old_item, k)))
			continue; /* sd_pg__build_families() */
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

/* Same CREATE INDEX text: only the comment or CLUSTER mark differs, changed in place. */
static bool
index_same_definition(const sd_index *a, const sd_index *b)
{
	return sd_streq(sd_props_get(&a->props, "definition"), sd_props_get(&b->props, "definition"));
}

static void
index_cluster(sd_str *dst, const sd_table *t, const sd_index *ix, bool on)
{
	sd_str_append(dst, "ALTER TABLE ");
	qn(dst, t->schema, t->name);
	if (on) {
		sd_str_append(dst, " CLUSTER ON ");
		q(dst, ix->name);
		sd_str_append(dst, ";\n");
	} else {
		sd_str_append(dst, " SET WITHOUT CLUSTER;\n");
	}
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
		sd_sql_string(dst, sd_props_get(&ix->props, "comment"));
		sd_str_append(dst, ";\n");
		sd_str_dispose(&ref);
	}
	if (prop_true(&ix->props, "clustered"))
		index_cluster(dst, t, ix, true);
}

void
sd_pg__drop_indexes(planner *p)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_index *ix = c->old_item;
		if (c->what != SD_WHAT_INDEX || c->op == SD_OP_ADD || prop_true(&ix->props, "inherited") ||
		    ix->constraint_backed || change_on_rebuilt(p, c) ||
		    sd_pg__in_dropped_family(p, c->old_table, ix))
			continue;
		if (c->op == SD_OP_ALTER && index_same_definition(ix, c->new_item)) {
			/* Before any CLUSTER ON of the create phase, which it would undo. */
			if (prop_true(&ix->props, "clustered") &&
			    !prop_true(&((const sd_index *)c->new_item)->props, "clustered"))
				index_cluster(p->out, c->old_table, ix, false);
			continue;
		}
		sd_str_append(p->out, "DROP INDEX IF EXISTS ");
		index_ref(p->out, c->old_table, ix);
		sd_str_append(p->out, ";\n");
	}
}

void
sd_pg__create_indexes(planner *p, const sd_table *const *created, size_t n_created)
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
		    ix->constraint_backed || change_on_rebuilt(p, c) ||
		    sd_pg__in_built_family(p, c->new_table, ix))
			continue;
		/* Same text, but dropped with the family it was attached to in FROM: made anew. */
		if (c->op == SD_OP_ALTER && index_same_definition(c->old_item, ix) &&
		    !sd_pg__in_dropped_family(p, c->old_table, c->old_item)) {
			const sd_index *old = c->old_item;
			sd_str ref;
			if (!sd_streq(sd_props_get(&old->props, "comment"), sd_props_get(&ix->props, "comment"))) {
				sd_str_init(&ref);
				sd_str_append(&ref, "INDEX ");
				index_ref(&ref, c->new_table, ix);
				comment_on(p, ref.ptr, sd_props_get(&ix->props, "comment"));
				sd_str_dispose(&ref);
			}
			if (prop_true(&ix->props, "clustered") && !prop_true(&old->props, "clustered"))
				index_cluster(p->out, c->new_table, ix, true);
		} else {
			create_index(p, c->new_table, ix);
		}
	}
}

/* ---- a key's index: comment and storage parameters --------------------- */

static void reloption_keys_missing(sd_str *s, const char *from, const char *to);

/* ALTER INDEX ... RESET the parameters from has that to lacks, SET to's. */
static void
key_index_reloptions(planner *p, const sd_table *t, const sd_index *ix, const char *from,
		     const char *to)
{
	sd_str keys;

	sd_str_init(&keys);
	reloption_keys_missing(&keys, from, to);
	if (keys.len) {
		sd_str_append(p->out, "ALTER INDEX ");
		index_ref(p->out, t, ix);
		sd_str_appendf(p->out, " RESET (%s);\n", keys.ptr);
	}
	if (to) {
		sd_str_append(p->out, "ALTER INDEX ");
		index_ref(p->out, t, ix);
		sd_str_appendf(p->out, " SET (%s);\n", to);
	}
	sd_str_dispose(&keys);
}

static void
key_index_comment(planner *p, const sd_table *t, const sd_index *ix)
{
	sd_str ref;

	sd_str_init(&ref);
	sd_str_append(&ref, "INDEX ");
	index_ref(&ref, t, ix);
	comment_on(p, ref.ptr, sd_props_get(&ix->props, "comment"));
	sd_str_dispose(&ref);
}

static const sd_index *
key_index_of(const sd_table *t, const char *name)
{
	for (size_t i = 0; t && i < t->n_indexes; i++)
		if (t->indexes[i].constraint_backed && strcmp(t->indexes[i].name, name) == 0)
			return &t->indexes[i];
	return NULL;
}

/*
 * A key's index the plan makes (ADD CONSTRAINT, CREATE TABLE, a family
 * member) is made without its comment and parameters: both set, and
 * FROM's own, if the same index had some, reset.
 */
static void
key_index_made(planner *p, const sd_table *t, const sd_index *ix)
{
	const sd_table *ta = counterpart(p->d->from, t);
	const sd_index *a = ix->constraint_backed ? key_index_of(ta, ix->name) : NULL;
	const char *from = a ? sd_props_get(&a->props, "reloptions") : NULL;
	const char *to = sd_props_get(&ix->props, "reloptions");

	if (!ix->constraint_backed)
		return;
	if (from || to)
		key_index_reloptions(p, t, ix, from, to);
	if (sd_props_get(&ix->props, "comment") || (a && sd_props_get(&a->props, "comment")))
		key_index_comment(p, t, ix);
}

/* The change adds (or re-adds) a key in sd_pg__add_constraints. */
static bool
key_added(planner *p, const sd_change *c)
{
	const sd_constraint *k = c->new_item;

	return c->what == SD_WHAT_CONSTRAINT && c->op != SD_OP_DROP && k->type != SD_CON_FOREIGN &&
	       k->type != SD_CON_CHECK && !prop_true(&k->props, "inherited") &&
	       !change_on_rebuilt(p, c) &&
	       !(c->op == SD_OP_ALTER && constraint_only_comment(c->old_item, k));
}

/* The plan makes t's key index ix anew: key_index_made sets it whole. */
static bool
key_remade(planner *p, const sd_table *t, const sd_index *ix)
{
	if (sd_pg__in_built_family(p, t, ix))
		return true;
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		if (c->new_table == t && key_added(p, c) &&
		    strcmp(((const sd_constraint *)c->new_item)->name, ix->name) == 0)
			return true;
	}
	return false;
}

/*
 * A key's index comment and storage parameters (its constraint's text
 * says neither), once every key exists: changed in place, and set on the
 * keys the plan makes, which are made without them (the tables it
 * creates, the keys it adds, the members of the index families it builds).
 */
void
sd_pg__key_index_settings(planner *p, const sd_table *const *created, size_t n_created)
{
	const sd_schema *B = p->d->to;

	for (size_t i = 0; i < n_created; i++)
		for (size_t k = 0; k < created[i]->n_indexes; k++)
			key_index_made(p, created[i], &created[i]->indexes[k]);
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_index *ix = key_added(p, c) ? key_index_of(c->new_table,
			((const sd_constraint *)c->new_item)->name) : NULL;
		if (ix && !sd_pg__in_built_family(p, c->new_table, ix))
			key_index_made(p, c->new_table, ix);
	}
	for (size_t i = 0; p->fam_build.len && i < B->n_tables; i++)
		for (size_t k = 0; k < B->tables[i].n_indexes; k++)
			if (sd_pg__in_built_family(p, &B->tables[i], &B->tables[i].indexes[k]))
				key_index_made(p, &B->tables[i], &B->tables[i].indexes[k]);
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_index *a = c->old_item, *b = c->new_item;
		if (c->what != SD_WHAT_INDEX || c->op != SD_OP_ALTER || !b->constraint_backed ||
		    change_on_rebuilt(p, c) || key_remade(p, c->new_table, b))
			continue;
		if (is_kind(c, "index.option"))
			key_index_reloptions(p, c->new_table, b,
					     sd_props_get(&a->props, "reloptions"),
					     sd_props_get(&b->props, "reloptions"));
		else if (is_kind(c, "index.comment"))
			key_index_comment(p, c->new_table, b);
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

/*
 * A type change the server cannot cast. migra and Atlas both print such a
 * plan for a person to finish rather than refuse it; but SQL known to fail
 * is not written: the step says what is missing and stops the plan, inside
 * its transaction (nothing applied), until a person puts the ALTER COLUMN
 * ... USING <expression> they choose in its place.
 */
static void
column_type_without_cast(planner *p, const sd_table *t, const sd_column *a, const sd_column *b)
{
	static const char prefix[] = "schemad: ";
	sd_str msg, body;

	sd_str_init(&msg);
	sd_str_init(&body);
	sd_str_appendf(&msg, "%scolumn ", prefix);
	qn(&msg, t->schema, t->name);
	sd_str_appendc(&msg, '.');
	q(&msg, a->name);
	sd_str_appendf(&msg, ": the server has no cast from %s to %s; replace this statement with "
			     "ALTER TABLE ... ALTER COLUMN ... TYPE %s USING <expression>",
		       a->type, b->type, b->type);
	sd_sql_comment(p->out, msg.ptr + sizeof(prefix) - 1);
	sd_str_append(&body, "BEGIN RAISE EXCEPTION '%', ");
	sd_sql_string(&body, msg.ptr);
	sd_str_append(&body, "; END");
	sd_str_append(p->out, "DO ");
	sd_sql_string(p->out, body.ptr);
	sd_str_append(p->out, ";\n");
	sd_str_dispose(&msg);
	sd_str_dispose(&body);
}

static void
column_type(planner *p, const sd_table *t, const sd_column *a, const sd_column *b)
{
	if (!sd_pg__castable(p->d->from, a->type, b->type)) {
		column_type_without_cast(p, t, a, b);
		return;
	}
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
column_statistics(planner *p, const sd_table *t, const sd_column *c)
{
	const char *target = sd_props_get(&c->props, "statistics");

	alter_column(p, t, c);
	sd_str_appendf(p->out, "SET STATISTICS %s;\n", target ? target : "-1");
}

static void
add_column(planner *p, const sd_table *t, const sd_column *c)
{
	alter_table(p, t);
	sd_str_append(p->out, "ADD COLUMN ");
	column_def(p->out, c);
	sd_str_append(p->out, ";\n");
	if (sd_props_get(&c->props, "statistics"))
		column_statistics(p, t, c);
	if (c->comment)
		column_comment(p, t, c);
}

static void
drop_column(planner *p, const sd_table *t, const sd_column *c)
{
	sd_sql_comment(p->out, "destructive: drops the column and its data");
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
	} else if (is_kind(c, "column.option") && sd_streq(c->property, "statistics")) {
		column_statistics(p, t, b);
	} else if (is_kind(c, "column.option") && sd_streq(c->property, "identity_options") &&
		   b->identity && a->identity) {
		sd_str seq;
		sd_str_init(&seq);
		sd_str_append(&seq, "pg_catalog.pg_get_serial_sequence(");
		{
			sd_str name;
			sd_str_init(&name);
			qn(&name, t->schema, t->name);
			sd_sql_string(&seq, name.ptr);
			sd_str_dispose(&name);
		}
		sd_str_append(&seq, ", ");
		sd_sql_string(&seq, b->name);
		sd_str_append(&seq, ")::regclass");
		sd_pg__raise_sequence_value(p, seq.ptr, sd_props_get(&a->props, "identity_options"),
					    sd_props_get(&b->props, "identity_options"));
		sd_str_dispose(&seq);
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
		return; /* sd_pg__reparent() */
	} else if (strcmp(key, "replica_identity") == 0) {
		return; /* sd_pg__replica_identity(), once its index exists */
	} else {
		sd_str line;
		sd_str_init(&line);
		sd_str_appendf(&line, "cannot change %s of ", key);
		qn(&line, b->schema, b->name);
		sd_str_append(&line, " in place: recreate the table");
		sd_sql_comment(p->out, line.ptr);
		sd_str_dispose(&line);
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
void
sd_pg__reparent(planner *p, bool leave)
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
			if (!leave)
				sd_pg__attach_members(p, t);
			sd_str_appendf(p->out, "ALTER TABLE %s %s PARTITION ", parent,
				       leave ? "DETACH" : "ATTACH");
			qn(p->out, t->schema, t->name);
			if (!leave)
				sd_str_appendf(p->out, " %s", sd_props_get(&t->props, "partition_bound"));
			sd_str_append(p->out, ";\n");
		}
	}
}

void
sd_pg__table_changes(planner *p)
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
				sd_str line;
				sd_str_init(&line);
				sd_str_append(&line, "cannot reorder the columns of ");
				qn(&line, c->new_table->schema, c->new_table->name);
				sd_str_append(&line, " in place: recreate the table to match");
				sd_sql_comment(p->out, line.ptr);
				sd_str_dispose(&line);
			}
		}
	}
}

void
sd_pg__drop_columns(planner *p)
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
void
sd_pg__sequence_owners(planner *p, bool before)
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


/* ---- replica identity ------------------------------------------------- */

/* The index a "USING INDEX \"name\"" identity names is created by this plan. */
static bool
identity_index_created(planner *p, const sd_table *t, const char *identity, bool *late)
{
	sd_str want;
	bool hit = false;

	*late = false;
	if (!identity || strncmp(identity, "USING INDEX ", 12) != 0)
		return false;
	sd_str_init(&want);
	for (size_t i = 0; i < p->d->n_changes && !hit; i++) {
		const sd_change *c = &p->d->changes[i];
		const char *name = NULL;
		if (c->op == SD_OP_DROP || c->new_table != t)
			continue;
		if (c->what == SD_WHAT_INDEX &&
		    !((const sd_index *)c->new_item)->constraint_backed &&
		    !(c->op == SD_OP_ALTER && index_same_definition(c->old_item, c->new_item)))
			name = ((const sd_index *)c->new_item)->name;
		else if (c->what == SD_WHAT_CONSTRAINT &&
			 !(c->op == SD_OP_ALTER && constraint_only_comment(c->old_item, c->new_item)))
			name = ((const sd_constraint *)c->new_item)->name;
		if (!name)
			continue;
		sd_str_clear(&want);
		q(&want, name);
		hit = strcmp(identity + 12, want.ptr) == 0;
		/* --concurrently builds a plain index after COMMIT: the identity follows it. */
		*late = hit && c->what == SD_WHAT_INDEX && p->opts && p->opts->concurrently;
	}
	sd_str_dispose(&want);
	return hit;
}

static void
set_replica_identity(sd_str *dst, const sd_table *t, const char *identity)
{
	sd_str_append(dst, "ALTER TABLE ");
	qn(dst, t->schema, t->name);
	sd_str_appendf(dst, " REPLICA IDENTITY %s;\n", identity ? identity : "DEFAULT");
}

/*
 * REPLICA IDENTITY, once every index and key exists. Dropping the index an
 * identity names is allowed (the table then behaves as NOTHING), so only
 * the new identity's index matters: it is set after that index is built,
 * and set again when the plan rebuilds that index.
 */
void
sd_pg__replica_identity(planner *p, const sd_table *const *created, size_t n_created)
{
	for (size_t i = 0; i < n_created; i++) {
		const char *identity = sd_props_get(&created[i]->props, "replica_identity");
		bool late = p->opts && p->opts->concurrently && strncmp(identity ? identity : "",
									"USING INDEX ", 12) == 0;
		if (identity)
			set_replica_identity(late ? &p->after : p->out, created[i], identity);
	}
	for (size_t i = 0; i < p->d->to->n_tables; i++) {
		const sd_table *b = &p->d->to->tables[i], *a = counterpart(p->d->from, b);
		const char *identity = sd_props_get(&b->props, "replica_identity");
		bool late;
		if (!a || rebuilt(p, b))
			continue; /* created above */
		if (identity_index_created(p, b, identity, &late) ||
		    !sd_streq(identity, sd_props_get(&a->props, "replica_identity")))
			set_replica_identity(late ? &p->after : p->out, b, identity);
	}
}
