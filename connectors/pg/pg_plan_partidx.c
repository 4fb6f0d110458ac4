/*
 * connectors/pg/pg_plan_partidx.c: the indexes of partitioned tables, and
 * the partitions' indexes attached to them.
 *
 * An index (or PRIMARY KEY / UNIQUE / EXCLUDE key) of a partitioned table
 * is a family: the parent's index and, attached to it, one index per
 * partition (ALTER INDEX ... ATTACH PARTITION), level by level when
 * partitions are partitioned in turn. The parent's index stays INVALID
 * until every partition has one attached. PostgreSQL never drops or
 * detaches an attached index on its own ("cannot drop index X because
 * index Y requires it"), and CREATE INDEX on the parent names the
 * partitions' new indexes itself. So a family is planned as a whole:
 *
 *   - a family of FROM whose root, or one of whose members, TO does not
 *     hold as it is (missing, redefined, detached, attached elsewhere) is
 *     dropped at its root, which takes every member with it;
 *   - a family of TO that FROM does not hold exactly is built bottom up,
 *     as pg_dump does: each index that does not exist (or no longer, after
 *     the drops) is created, a partitioned table's with ON ONLY (ALTER
 *     TABLE ONLY for a key), then its partitions' indexes are attached one
 *     by one. Only the partitions TO attaches are, so a parent TO leaves
 *     INVALID stays so, and an index a partition already has (its own key,
 *     an index made before the parent's) is attached rather than rebuilt.
 *
 * The generic index and constraint passes (pg_plan_table.c) leave the
 * members of these families to this file. Tables the plan creates or
 * rebuilds are not planned here: their CREATE statements make the whole
 * family, and a partition created under an unchanged parent index gets
 * its index from CREATE TABLE ... PARTITION OF.
 */
#include "connectors/pg/pg_plan.h"

#include <stdlib.h>
#include <string.h>

/* Depth limit of a partition tree, against a hand-made snapshot's cycle. */
#define MAX_LEVELS 32

static const sd_table *
counterpart(const sd_schema *s, const sd_table *t)
{
	return t ? sd_schema_find_table(s, t->schema, t->name) : NULL;
}

static const char *
attached_to(const sd_index *ix)
{
	return sd_props_get(&ix->props, "inherited");
}

static bool
partitioned(const sd_table *t)
{
	return sd_props_get(&t->props, "partition_by") != NULL;
}

/* "schema"."name": how pg_inherits-derived names are spelled in the model. */
static const char *
quoted(planner *p, const char *schema, const char *name)
{
	sd_str s;
	const char *out;

	sd_str_init(&s);
	qn(&s, schema, name);
	out = sd_arena_strndup(&p->arena, s.ptr, s.len);
	sd_str_dispose(&s);
	return out;
}

static const sd_index *
find_index(const sd_table *t, const char *name)
{
	for (size_t i = 0; t && i < t->n_indexes; i++)
		if (strcmp(t->indexes[i].name, name) == 0)
			return &t->indexes[i];
	return NULL;
}

/* One "quoted" identifier at *at into out, unescaped; advances *at. */
static bool
unquote_ident(sd_str *out, const char **at)
{
	const char *c = *at;

	if (*c++ != '"')
		return false;
	for (; *c; c++) {
		if (*c == '"' && c[1] != '"')
			break;
		if (*c == '"')
			c++;
		sd_str_appendc(out, *c);
	}
	if (*c != '"')
		return false;
	*at = c + 1;
	return true;
}

/* "schema"."name" into its two parts. */
static bool
split_qname(const char *text, sd_str *schema, sd_str *name)
{
	const char *at = text;

	sd_str_clear(schema);
	sd_str_clear(name);
	return unquote_ident(schema, &at) && *at++ == '.' && unquote_ident(name, &at) && !*at;
}

/* A partition's parent table, by binary search: no scan per index. */
static const sd_table *
parent_table(const sd_schema *s, const sd_table *t, sd_str *schema, sd_str *name)
{
	const char *parent = sd_props_get(&t->props, "partition_of");

	if (!parent || !split_qname(parent, schema, name))
		return NULL;
	return sd_schema_find_table(s, schema->ptr, name->ptr);
}

/*
 * The root of ix's family in s: the top index it is attached to, level
 * by level; ix itself when it is a partitioned table's own index; NULL
 * when it belongs to no family. *depth_out counts the levels climbed.
 */
static const sd_index *
family_root(const sd_schema *s, const sd_table *t, const sd_index *ix,
	    const sd_table **table_out, int *depth_out)
{
	const sd_index *root = NULL;
	sd_str schema, name;

	sd_str_init(&schema);
	sd_str_init(&name);
	for (int depth = 0; depth < MAX_LEVELS && t && ix; depth++) {
		const char *up = attached_to(ix);
		if (!up) {
			if (partitioned(t)) {
				root = ix;
				if (table_out)
					*table_out = t;
				if (depth_out)
					*depth_out = depth;
			}
			break;
		}
		/* The parent index lives in its table's schema: only its name is needed. */
		t = parent_table(s, t, &schema, &name);
		ix = t && split_qname(up, &schema, &name) ? find_index(t, name.ptr) : NULL;
	}
	sd_str_dispose(&schema);
	sd_str_dispose(&name);
	return root;
}

static const char *
family_key(planner *p, const sd_schema *s, const sd_table *t, const sd_index *ix)
{
	const sd_table *rt = NULL;
	const sd_index *root = family_root(s, t, ix, &rt, NULL);

	return root ? quoted(p, rt->schema, root->name) : NULL;
}

static bool
listed(const char *const *v, size_t n, const char *key)
{
	for (size_t i = 0; key && i < n; i++)
		if (strcmp(v[i], key) == 0)
			return true;
	return false;
}

static void
mark(planner *p, bool drop, const char *key)
{
	if (drop && !listed(p->fam_drop.ptr, p->fam_drop.len, key))
		sd_vec_push(&p->fam_drop, key);
	if (!listed(p->fam_build.ptr, p->fam_build.len, key))
		sd_vec_push(&p->fam_build, key);
}

static const sd_constraint *
backing_constraint(const sd_table *t, const sd_index *ix)
{
	for (size_t i = 0; ix->constraint_backed && i < t->n_constraints; i++)
		if (sd_streq(t->constraints[i].name, ix->name))
			return &t->constraints[i];
	return NULL;
}

/*
 * Same CREATE INDEX text, and the same key for a key's index. The reader
 * leaves a key's index text out on a table that is neither partitioned nor
 * a partition (its key's text says it), so a table the plan attaches or
 * detaches has it on one side only: the keys' texts decide. What a key's
 * text does not say of its index, its comment and storage parameters, is
 * changed in place (sd_pg__key_index_settings), not by a rebuild.
 */
static bool
same_definition(const sd_table *ta, const sd_index *a, const sd_table *tb, const sd_index *b)
{
	const sd_constraint *ka = backing_constraint(ta, a), *kb = backing_constraint(tb, b);

	if (!ka != !kb)
		return false;
	if (ka)
		return sd_streq(ka->expr, kb->expr);
	return sd_streq(sd_props_get(&a->props, "definition"),
			sd_props_get(&b->props, "definition"));
}

/* The same index, attached to the same parent index. */
static bool
same_index(const sd_table *ta, const sd_index *a, const sd_table *tb, const sd_index *b)
{
	return same_definition(ta, a, tb, b) && sd_streq(attached_to(a), attached_to(b));
}

/* Tables both sides hold and the plan alters in place. */
static const sd_table *
kept(planner *p, const sd_schema *other, const sd_table *t)
{
	const sd_table *o = counterpart(other, t);

	return o && !sd_pg__rebuilt(p, t) ? o : NULL;
}

void
sd_pg__index_families(planner *p)
{
	const sd_schema *A = p->d->from, *B = p->d->to;

	/* FROM's families that lose a root or member, or hold one otherwise: dropped. */
	for (size_t i = 0; i < A->n_tables; i++) {
		const sd_table *ta = &A->tables[i], *tb = kept(p, B, ta);
		for (size_t k = 0; tb && k < ta->n_indexes; k++) {
			const sd_index *ia = &ta->indexes[k], *ib = find_index(tb, ia->name);
			const char *key = family_key(p, A, ta, ia);
			if (key && (!ib || !same_index(ta, ia, tb, ib)))
				mark(p, true, key);
		}
	}
	/* TO's families with a root or member FROM lacks as it is: built or extended. */
	for (size_t i = 0; i < B->n_tables; i++) {
		const sd_table *tb = &B->tables[i], *ta = kept(p, A, tb);
		for (size_t k = 0; ta && k < tb->n_indexes; k++) {
			const sd_index *ib = &tb->indexes[k], *ia = find_index(ta, ib->name);
			const char *key = family_key(p, B, tb, ib);
			if (key && (!ia || !same_index(ta, ia, tb, ib)))
				mark(p, false, key);
		}
	}
}

bool
sd_pg__in_dropped_family(planner *p, const sd_table *t, const sd_index *ix)
{
	return p->fam_drop.len && listed(p->fam_drop.ptr, p->fam_drop.len,
					 family_key(p, p->d->from, t, ix));
}

/* Planned here: the family is built and its root's table exists on both sides. */
bool
sd_pg__in_built_family(planner *p, const sd_table *t, const sd_index *ix)
{
	const sd_table *rt = NULL;
	const sd_index *root;

	if (!p->fam_build.len)
		return false;
	root = family_root(p->d->to, t, ix, &rt, NULL);
	return root && kept(p, p->d->from, rt) &&
	       listed(p->fam_build.ptr, p->fam_build.len, quoted(p, rt->schema, root->name));
}

/* ---- drops ------------------------------------------------------------- */

bool
sd_pg__key_family_dropped(planner *p, const sd_table *t)
{
	for (size_t k = 0; p->fam_drop.len && k < t->n_indexes; k++)
		if (t->indexes[k].constraint_backed &&
		    listed(p->fam_drop.ptr, p->fam_drop.len, quoted(p, t->schema, t->indexes[k].name)))
			return true;
	return false;
}

void
sd_pg__drop_families(planner *p)
{
	const sd_schema *A = p->d->from;

	for (size_t i = 0; p->fam_drop.len && i < A->n_tables; i++) {
		const sd_table *t = &A->tables[i];
		for (size_t k = 0; k < t->n_indexes; k++) {
			const sd_index *ix = &t->indexes[k];
			const sd_constraint *key = backing_constraint(t, ix);
			if (attached_to(ix) || !partitioned(t) ||
			    !listed(p->fam_drop.ptr, p->fam_drop.len, quoted(p, t->schema, ix->name)))
				continue;
			if (key) {
				sd_str_appendf(p->out, "-- destructive: drops %s %s and its partitions' keys\n",
					       sd_con_type_name(key->type), key->name);
				alter_table(p, t);
				sd_str_append(p->out, "DROP CONSTRAINT IF EXISTS ");
				q(p->out, key->name);
			} else {
				sd_str_append(p->out, "DROP INDEX IF EXISTS ");
				qn(p->out, t->schema, ix->name);
			}
			sd_str_append(p->out, ";\n");
		}
	}
}

/* ---- builds ------------------------------------------------------------ */

typedef struct member {
	const sd_table *t;
	const sd_index *ix;
	const char *name; /* "schema"."index" */
	int depth;        /* levels below the root */
} member;

typedef SD_VEC(member) member_vec;

/*
 * FROM holds ix as TO does, and still does once the drops have run. A
 * partition the plan creates has it when the root was kept: PARTITION OF
 * gave the partition an index of its own, attached.
 */
static bool
exists_after_drops(planner *p, const member *m, const member *root)
{
	const sd_table *ta = counterpart(p->d->from, m->t);
	const sd_index *ia = find_index(ta, m->ix->name);

	if (!ta)
		return m != root && exists_after_drops(p, root, root);
	if (listed(p->made_early.ptr, p->made_early.len, m->name))
		return true; /* sd_pg__attach_members() */
	return ia && same_definition(ta, ia, m->t, m->ix) && !sd_pg__in_dropped_family(p, ta, ia);
}

static bool
attached_after_drops(planner *p, const member *m, const member *root)
{
	const sd_table *ta = counterpart(p->d->from, m->t);
	const sd_index *ia = find_index(ta, m->ix->name);

	if (!exists_after_drops(p, m, root))
		return false;
	if (ta && !ia)
		return false; /* made before its table's ATTACH: attaching it again is harmless */
	return !ta || sd_streq(attached_to(ia), attached_to(m->ix));
}

static void
create_member(planner *p, const member *m)
{
	const sd_constraint *key = backing_constraint(m->t, m->ix);
	const char *comment = sd_props_get(&m->ix->props, "comment");
	sd_str ref;

	sd_str_init(&ref);
	if (key) {
		/* ONLY: the partitions' keys are attached below, not made anew. */
		sd_str_append(p->out, partitioned(m->t) ? "ALTER TABLE ONLY " : "ALTER TABLE ");
		qn(p->out, m->t->schema, m->t->name);
		sd_str_append(p->out, " ADD CONSTRAINT ");
		q(p->out, key->name);
		sd_str_appendf(p->out, " %s;\n", key->expr);
		comment = sd_props_get(&key->props, "comment");
		sd_str_append(&ref, "CONSTRAINT ");
		q(&ref, key->name);
		sd_str_append(&ref, " ON ");
		qn(&ref, m->t->schema, m->t->name);
	} else {
		/* The catalog's text: ON ONLY for a partitioned table's index. */
		sd_str_appendf(p->out, "%s;\n", m->ix->definition);
		sd_str_append(&ref, "INDEX ");
		qn(&ref, m->t->schema, m->ix->name);
	}
	if (comment)
		comment_on(p, ref.ptr, comment);
	sd_str_dispose(&ref);
}

/*
 * Before TO's partition t is attached (ALTER TABLE ... ATTACH PARTITION):
 * the indexes and keys it must hold for its parent's families and does
 * not, made under TO's names. ATTACH adopts a partition's index that
 * matches its parent's and makes each missing one itself, under a name of
 * its own choosing; made later, the plan's own would fail ("multiple
 * primary keys", "already exists") or duplicate it. A partitioned t is
 * left to sd_pg__build_families (its own partitions need their members
 * first, and its ATTACH makes theirs).
 */
void
sd_pg__attach_members(planner *p, const sd_table *t)
{
	for (size_t k = 0; !partitioned(t) && k < t->n_indexes; k++) {
		member m = {.t = t, .ix = &t->indexes[k]};
		if (!attached_to(m.ix) || !sd_pg__in_built_family(p, t, m.ix))
			continue;
		m.name = quoted(p, t->schema, m.ix->name);
		if (exists_after_drops(p, &m, &m))
			continue;
		create_member(p, &m);
		sd_vec_push(&p->made_early, m.name);
	}
}

static int
deepest_first(const void *a, const void *b)
{
	const member *x = a, *y = b;

	return (x->depth < y->depth) - (x->depth > y->depth);
}

/* Every index of TO in the family rooted at key, deepest first (qsort: ties in any order). */
static void
collect(planner *p, member_vec *out, const char *key)
{
	const sd_schema *B = p->d->to;

	for (size_t i = 0; i < B->n_tables; i++)
		for (size_t k = 0; k < B->tables[i].n_indexes; k++) {
			member m = {.t = &B->tables[i], .ix = &B->tables[i].indexes[k]};
			const sd_table *rt = NULL;
			const sd_index *root = family_root(B, m.t, m.ix, &rt, &m.depth);
			if (!root || strcmp(quoted(p, rt->schema, root->name), key) != 0)
				continue;
			m.name = quoted(p, m.t->schema, m.ix->name);
			sd_vec_push(out, m);
		}
	if (out->len > 1)
		qsort(out->ptr, out->len, sizeof(*out->ptr), deepest_first);
}

static void
build_family(planner *p, const char *key)
{
	member_vec v = {0};

	collect(p, &v, key);
	for (size_t i = 0; i < v.len; i++) {
		const member *m = &v.ptr[i], *root = &v.ptr[v.len - 1];
		if (!exists_after_drops(p, m, root))
			create_member(p, m);
		/* Its partitions' indexes are made by now: the deeper levels came first. */
		for (size_t j = 0; j < v.len; j++) {
			const member *c = &v.ptr[j];
			if (!sd_streq(attached_to(c->ix), m->name) || attached_after_drops(p, c, root))
				continue;
			sd_str_appendf(p->out, "ALTER INDEX %s ATTACH PARTITION %s;\n", m->name, c->name);
		}
	}
	sd_vec_dispose(&v);
}

void
sd_pg__build_families(planner *p)
{
	const sd_schema *B = p->d->to;

	for (size_t i = 0; p->fam_build.len && i < B->n_tables; i++) {
		const sd_table *t = &B->tables[i];
		if (!partitioned(t) || !kept(p, p->d->from, t))
			continue;
		for (size_t k = 0; k < t->n_indexes; k++) {
			const char *key = quoted(p, t->schema, t->indexes[k].name);
			if (!attached_to(&t->indexes[k]) && listed(p->fam_build.ptr, p->fam_build.len, key))
				build_family(p, key);
		}
	}
}
