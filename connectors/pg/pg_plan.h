/*
 * connectors/pg/pg_plan.h: what the two halves of the PostgreSQL plan
 * share. pg_plan.c orders the phases and handles non-table objects;
 * pg_plan_table.c handles tables, columns, constraints, indexes and
 * sequence ownership.
 */
#ifndef PG_PLAN_H
#define PG_PLAN_H

#include "connectors/pg/pg_internal.h"

#include <string.h>

typedef struct planner {
	const sd_diff *d;
	sd_str *out;
	sd_str pre;            /* statements that must precede BEGIN (enum ADD VALUE) */
	sd_str after;          /* statements that must follow COMMIT */
	const sd_plan_opts *opts;
	sd_arena arena;
	bool *drop_obj;        /* per FROM object: dropped in this plan */
	bool *drop_early;      /* per FROM object: dropped before the creates, not last */
	bool *create_obj;      /* per TO object: created in this plan */
	bool *drop_first;      /* per FROM object: names a dropped table's row type: goes first */
	bool *create_late;     /* per TO object: names a created table's row type, created after */
	SD_VEC(const char *) fam_drop;  /* partitioned index families dropped at their root */
	SD_VEC(const char *) fam_build; /* ... and those built or extended (pg_plan_partidx.c) */
	SD_VEC(const char *) made_early; /* members made before their partition's ATTACH */
} planner;


static inline void
q(sd_str *s, const char *id)
{
	sd_pg_quote_ident(s, id);
}

static inline void
qn(sd_str *s, const char *schema, const char *name)
{
	if (schema && *schema) {
		q(s, schema);
		sd_str_appendc(s, '.');
	}
	q(s, name);
}

static inline void
alter_table(planner *p, const sd_table *t)
{
	sd_str_append(p->out, "ALTER TABLE ");
	qn(p->out, t->schema, t->name);
	sd_str_appendc(p->out, ' ');
}

static inline bool
prop_true(const sd_props *props, const char *key)
{
	return sd_props_get(props, key) != NULL;
}

static inline void
comment_on(planner *p, const char *what_prefix, const char *comment)
{
	sd_str_appendf(p->out, "COMMENT ON %s IS ", what_prefix);
	sd_sql_string(p->out, comment);
	sd_str_append(p->out, ";\n");
}

static inline bool
is_kind(const sd_change *c, const char *kind)
{
	return strcmp(c->kind, kind) == 0;
}

/* "VIEW "s"."v"", "FUNCTION "s"."f"(integer)": how statements name an object. */
void sd_pg__obj_ref(sd_str *s, const sd_object *o);

/* ---- pg_plan_acl.c --------------------------------------------------- */

/* After CREATE of an object FROM had: its owner and grants as they were. */
void sd_pg__restore_access(planner *p, const sd_object *created);
/* owner.alter, privilege.revoke and privilege.grant changes, in that order. */
void sd_pg__access_changes(planner *p);

/* ---- pg_plan_table.c ------------------------------------------------- */

/* Renames the tables rebuilt for a new partitioning out of the way. */
void sd_pg__rebuild_rename(planner *p);
/* Copies the rows of rebuilt tables into their new shape and drops the old ones. */
void sd_pg__rebuild_copy(planner *p);
/* CREATE TABLE from TO's model, with comments and row security. */
void sd_pg__create_table(planner *p, const sd_table *t);
/* Tables the plan creates (or drops), parents first; returns the count. */
size_t sd_pg__table_order(planner *p, const sd_table **out, bool creating);
/* An upper bound for table_order's output. */
size_t sd_pg__count_table_changes(const sd_diff *d);
/* Drops changed or removed constraints; foreign keys first (foreign = true). */
void sd_pg__drop_constraints(planner *p, bool foreign);
/* Adds new and changed constraints; foreign keys last (foreign = true). */
void sd_pg__add_constraints(planner *p, bool foreign, const sd_table *const *created, size_t n_created);
/* Drops changed or removed indexes. */
void sd_pg__drop_indexes(planner *p);
/* Creates new and changed indexes (after COMMIT under --concurrently). */
void sd_pg__create_indexes(planner *p, const sd_table *const *created, size_t n_created);
/* A key's index comment and storage parameters: changed, or set on keys made here. */
void sd_pg__key_index_settings(planner *p, const sd_table *const *created, size_t n_created);
/* Leaves old parents (leave = true) or joins new ones. */
void sd_pg__reparent(planner *p, bool leave);
/* Column alterations, added columns and table options, in PostgreSQL's order. */
void sd_pg__table_changes(planner *p);
/* Drops removed columns. */
void sd_pg__drop_columns(planner *p);
/* REPLICA IDENTITY of new tables and changed ones, after their indexes. */
void sd_pg__replica_identity(planner *p, const sd_table *const *created, size_t n_created);
/* Releases sequence ownership before drops (before = true) or sets it after. */
void sd_pg__sequence_owners(planner *p, bool before);

/* The table is rebuilt because its partitioning changes. */
bool sd_pg__rebuilt(planner *p, const sd_table *t);

/* ---- pg_plan_partidx.c ------------------------------------------------ */

/* Finds the partitioned index families the plan drops or builds; call first. */
void sd_pg__index_families(planner *p);
/* Drops the families that must go, at their roots (their members go with them). */
void sd_pg__drop_families(planner *p);
/* Builds the families TO holds, bottom up, attaching each partition's index. */
void sd_pg__build_families(planner *p);
/* Before TO's partition t is attached: the members of built families it lacks. */
void sd_pg__attach_members(planner *p, const sd_table *t);
/* ix, on t of FROM (from = true) or TO, belongs to a family dropped / built here. */
bool sd_pg__in_dropped_family(planner *p, const sd_table *t, const sd_index *ix);
bool sd_pg__in_built_family(planner *p, const sd_table *t, const sd_index *ix);
/* A key (PRIMARY KEY / UNIQUE) family on FROM's table t is dropped: FKs to t must go first. */
bool sd_pg__key_family_dropped(planner *p, const sd_table *t);

/* ---- pg_plan_texts.c ------------------------------------------------- */

/*
 * Every text of TO the plan copies is exactly what it stands for (one
 * expression, one CREATE VIEW...): SD_EINPUT naming the object and the
 * field otherwise. TO may be a snapshot file, which can hold any text.
 */
int sd_pg__check_texts(const sd_schema *to, sd_err *err);

/* ---- pg_plan.c -------------------------------------------------------- */

/* Moves a sequence's value up to a higher MINVALUE before ALTER sets it. */
void sd_pg__raise_sequence_value(planner *p, const char *seq_sql, const char *def_a, const char *def_b);

#endif
