/*
 * connectors/pg/pg_risk.c: what a change costs on PostgreSQL.
 *
 * The generic table (diff/risk.c) scores what a change means for data
 * and readers; this adds what PostgreSQL does to run it: rewrites under
 * ACCESS EXCLUSIVE, full-table scans, index builds that block writes,
 * foreign keys validated in the same statement, volatile defaults, and
 * enum labels that cannot be dropped in place. Each is a reason with
 * its own score, so a report says why.
 */
#include "connectors/pg/pg_internal.h"

#include <string.h>

static bool
starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Type changes PostgreSQL makes without a rewrite (binary-coercible widening). */
static bool
type_change_is_free(const char *from, const char *to)
{
	bool vf = starts_with(from, "character varying"), vt = starts_with(to, "character varying");

	if (vf && (strcmp(to, "text") == 0 || (vt && strchr(from, '(') && !strchr(to, '('))))
		return true;
	if (vf && vt)
		return sd_risk_type_direction(from, to) > 0;
	if (starts_with(from, "numeric") && strcmp(to, "numeric") == 0)
		return true;
	if (starts_with(from, "numeric(") && starts_with(to, "numeric(")) {
		/* numeric(p,s) -> numeric(p2,s) with p2 >= p: same scale, no rewrite. */
		const char *cf = strchr(from, ','), *ct = strchr(to, ',');
		return cf && ct && strcmp(cf, ct) == 0 && sd_risk_type_direction(from, to) > 0;
	}
	return false;
}

/* Functions whose value differs per row: as a new column's default they rewrite the table. */
static bool
is_volatile_default(const char *expr)
{
	static const char *const volatile_fns[] = {
		"nextval(", "random(", "clock_timestamp(", "gen_random_uuid(", "uuid_generate_v",
		"timeofday(", "txid_current(", "statement_timestamp(",
	};

	for (size_t i = 0; expr && i < sizeof(volatile_fns) / sizeof(*volatile_fns); i++)
		if (strstr(expr, volatile_fns[i]))
			return true;
	return false;
}

static bool
is(const sd_change *c, const char *kind)
{
	return strcmp(c->kind, kind) == 0;
}

static bool
enum_loses_label(const sd_object *a, const sd_object *b)
{
	const char *la = sd_props_get(&a->props, "labels"), *lb = sd_props_get(&b->props, "labels");
	sd_arena arena;
	size_t na, nb, k = 0;
	const char **va, **vb;
	bool lost;

	if (!la || !lb)
		return false;
	sd_arena_init(&arena);
	va = sd_pg__array(&arena, la, &na);
	vb = sd_pg__array(&arena, lb, &nb);
	for (size_t i = 0; i < nb && k < na; i++)
		if (strcmp(vb[i], va[k]) == 0)
			k++;
	lost = k != na;
	sd_arena_dispose(&arena);
	return lost;
}

static bool
is_type_change(const sd_change *c)
{
	return is(c, "column.type_widen") || is(c, "column.type_narrow") || is(c, "column.type_change");
}

static void
column_costs(sd_change *c, const sd_diff *d)
{
	const sd_column *a = c->old_item, *b = c->new_item;

	if (is_type_change(c) && !sd_pg__castable(d->from, a->type, b->type)) {
		/* The diff is being built: its arena owns the reasons of its changes. */
		sd_arena *arena = (sd_arena *)&d->arena;
		sd_change_add_reason(c, 90,
				     sd_arena_printf(arena,
						     "the server has no cast from %s to %s: the plan "
						     "cannot apply it; an explicit USING expression is "
						     "needed",
						     a->type, b->type));
	} else if (is_type_change(c) && !type_change_is_free(a->type, b->type))
		sd_change_add_reason(c, 65,
				     "ALTER COLUMN TYPE rewrites the table and its indexes under an "
				     "ACCESS EXCLUSIVE lock");
	else if (is(c, "column.set_not_null"))
		sd_change_add_reason(c, 60,
				     "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE "
				     "lock (a validated CHECK (col IS NOT NULL) first avoids it)");
	else if ((is(c, "column.add") || is(c, "column.add_not_null")) &&
		 (is_volatile_default(b->default_expr) || (b->generated && b->generated_stored) ||
		  b->identity))
		sd_change_add_reason(c, 60,
				     "a volatile default, identity or stored generated column "
				     "rewrites the whole table under an ACCESS EXCLUSIVE lock");
	else if (is(c, "column.generated"))
		sd_change_add_reason(c, 60, "the column is dropped and added again: its values are "
					    "recomputed by a table rewrite");
}

/* REPLICA IDENTITY: what logical replication sends of an updated or deleted row. */
static void
replica_identity_costs(sd_change *c)
{
	const char *to = sd_props_get(&c->new_table->props, "replica_identity");

	if (sd_streq(to, "NOTHING"))
		sd_change_add_reason(c, 55,
				     "REPLICA IDENTITY NOTHING: UPDATE and DELETE fail on the table "
				     "while a publication publishes them");
	else
		sd_change_add_reason(c, 40,
				     "changes the old-row data logical replication sends for UPDATE "
				     "and DELETE: subscribers match rows differently");
}

void
sd_pg__adjust_risk(sd_change *c, const sd_diff *d)
{
	if (c->what == SD_WHAT_TABLE && is(c, "table.option") &&
	    sd_streq(c->property, "replica_identity")) {
		replica_identity_costs(c);
	} else if (c->what == SD_WHAT_COLUMN) {
		column_costs(c, d);
	} else if (c->what == SD_WHAT_INDEX && c->op != SD_OP_DROP &&
		   !((const sd_index *)c->new_item)->constraint_backed &&
		   !(c->op == SD_OP_ALTER &&
		     sd_streq(sd_props_get(&((const sd_index *)c->old_item)->props, "definition"),
			      sd_props_get(&((const sd_index *)c->new_item)->props, "definition")))) {
		sd_change_add_reason(c, 35,
				     "CREATE INDEX without CONCURRENTLY blocks writes to the table "
				     "while it builds");
	} else if (c->what == SD_WHAT_CONSTRAINT && c->op != SD_OP_DROP) {
		const sd_constraint *k = c->new_item;
		bool not_valid = k->expr && strstr(k->expr, "NOT VALID");
		if (k->type == SD_CON_FOREIGN && !not_valid)
			sd_change_add_reason(c, 50,
					     "a FOREIGN KEY added without NOT VALID checks every row "
					     "while holding SHARE ROW EXCLUSIVE on both tables");
		else if (k->type == SD_CON_CHECK && !not_valid)
			sd_change_add_reason(c, 45, "a CHECK added without NOT VALID scans the "
						    "table under an ACCESS EXCLUSIVE lock");
		else if (k->type == SD_CON_PRIMARY || k->type == SD_CON_UNIQUE ||
			 k->type == SD_CON_EXCLUDE)
			sd_change_add_reason(c, 50, "builds a unique index under an ACCESS "
						    "EXCLUSIVE lock: reads and writes wait");
	} else if (c->what == SD_WHAT_OBJECT && c->op == SD_OP_ALTER && is(c, "type.alter") &&
		   enum_loses_label(c->old_item, c->new_item)) {
		sd_change_add_reason(c, 75,
				     "drops or reorders an enum label: PostgreSQL cannot, so the "
				     "type is recreated and every column using it rewritten");
	} else if (c->what == SD_WHAT_OBJECT && is(c, "materialized_view.alter")) {
		sd_change_add_reason(c, 45, "the materialized view is dropped and refilled: "
					    "readers wait or see it missing");
	}
}
