/*
 * connectors/pg/pg_plan_acl.c: owners and privileges in the plan.
 *
 * Two jobs. An object the plan drops and creates again (a view that reads
 * a column whose type changes, a function whose result type changes) comes
 * back with what the drop took away: its owner and its grants as FROM had
 * them, right after its CREATE, in the same transaction (its comment is
 * written with the CREATE). And when owners or privileges are compared
 * (sd_diff_opts), their changes become ALTER ... OWNER TO, REVOKE and
 * GRANT, after every object exists.
 *
 * A "privileges" property holds one grant per line, "SELECT TO \"role\""
 * or "UPDATE TO PUBLIC WITH GRANT OPTION" (PG_GRANTS in pg_internal.h).
 */
#include "connectors/pg/pg_plan.h"

#define GRANT_OPTION " WITH GRANT OPTION"

/* "TABLE "s"."v"" for GRANT: views and materialized views are granted on as tables. */
static void
grant_target(sd_str *s, const sd_table *t, const sd_object *o)
{
	if (t) {
		sd_str_append(s, "TABLE ");
		qn(s, t->schema, t->name);
	} else if (o->kind == SD_OBJ_VIEW || o->kind == SD_OBJ_MATVIEW) {
		sd_str_append(s, "TABLE ");
		qn(s, o->schema, o->name);
	} else {
		sd_pg__obj_ref(s, o);
	}
}

/* One grant line as GRANT (grant = true) or REVOKE. */
static void
grant_line(planner *p, const char *target, const char *line, size_t n, bool grant)
{
	const char *to = strstr(line, " TO ");
	size_t priv, who_len;
	bool option;

	if (!to || (size_t)(to - line) >= n)
		return; /* not a line PG_GRANTS writes */
	priv = (size_t)(to - line);
	who_len = n - priv - 4;
	/* A quoted role name ends in '"': a suffix after it is the grant option. */
	option = who_len > strlen(GRANT_OPTION) &&
	         strncmp(to + 4 + who_len - strlen(GRANT_OPTION), GRANT_OPTION,
	                 strlen(GRANT_OPTION)) == 0 &&
	         (to[4 + who_len - strlen(GRANT_OPTION) - 1] == '"' ||
	          strncmp(to + 4, "PUBLIC ", 7) == 0);
	if (option)
		who_len -= strlen(GRANT_OPTION);
	sd_str_appendf(p->out, "%s %.*s ON %s %s %.*s%s;\n", grant ? "GRANT" : "REVOKE", (int)priv,
	               line, target, grant ? "TO" : "FROM", (int)who_len, to + 4,
	               grant && option ? GRANT_OPTION : "");
}

/* True when line (n bytes) is one of the lines of list. */
static bool
has_line(const char *list, const char *line, size_t n)
{
	while (list && *list) {
		size_t m = strcspn(list, "\n");
		if (m == n && strncmp(list, line, n) == 0)
			return true;
		list += m + (list[m] == '\n');
	}
	return false;
}

/* GRANT (grant = true) or REVOKE each line of from that is not in unless. */
static void
grant_lines(planner *p, const char *target, const char *from, const char *unless, bool grant)
{
	while (from && *from) {
		size_t n = strcspn(from, "\n");
		if (!has_line(unless, from, n))
			grant_line(p, target, from, n, grant);
		from += n + (from[n] == '\n');
	}
}

static void
owner_to(planner *p, const sd_table *t, const sd_object *o, const char *owner)
{
	sd_str_append(p->out, "ALTER ");
	if (t) {
		sd_str_append(p->out, "TABLE ");
		qn(p->out, t->schema, t->name);
	} else {
		sd_pg__obj_ref(p->out, o);
	}
	sd_str_append(p->out, " OWNER TO ");
	q(p->out, owner);
	sd_str_append(p->out, ";\n");
}

void
sd_pg__restore_access(planner *p, const sd_object *created)
{
	/* The same object (an overload with other arguments is another function). */
	const sd_object *was = sd_schema_find_object_sig(p->d->from, created->kind, created->schema,
							 created->name, created->signature);
	const char *owner, *grants;
	sd_str target;

	if (!was || created->kind == SD_OBJ_TRIGGER || created->kind == SD_OBJ_POLICY)
		return;
	owner = sd_props_get(&was->props, "owner");
	grants = sd_props_get(&was->props, "privileges");
	if (!owner && !grants)
		return;
	sd_str_init(&target);
	grant_target(&target, NULL, was);
	sd_sql_comment(p->out, "recreated: its owner and privileges as they were");
	if (owner)
		owner_to(p, NULL, created, owner);
	/* A new object starts from the default grants: PUBLIC's go unless it had them. */
	if (created->kind == SD_OBJ_FUNCTION || created->kind == SD_OBJ_TYPE)
		sd_str_appendf(p->out, "REVOKE ALL ON %s FROM PUBLIC;\n", target.ptr);
	grant_lines(p, target.ptr, grants, NULL, true);
	sd_str_dispose(&target);
}

/* One owner.alter, privilege.revoke or privilege.grant change. */
static void
access_change(planner *p, const sd_change *c)
{
	const sd_table *t = c->what == SD_WHAT_TABLE ? c->new_table : NULL;
	const sd_object *o = t ? NULL : c->new_item;
	const sd_props *pa = t ? &c->old_table->props : &((const sd_object *)c->old_item)->props;
	const sd_props *pb = t ? &t->props : &o->props;
	sd_str target;

	if (is_kind(c, "owner.alter")) {
		owner_to(p, t, o, sd_props_get(pb, "owner"));
		return;
	}
	sd_str_init(&target);
	grant_target(&target, t, o);
	if (is_kind(c, "privilege.revoke"))
		grant_lines(p, target.ptr, sd_props_get(pa, "privileges"),
		            sd_props_get(pb, "privileges"), false);
	else
		grant_lines(p, target.ptr, sd_props_get(pb, "privileges"),
		            sd_props_get(pa, "privileges"), true);
	sd_str_dispose(&target);
}

void
sd_pg__access_changes(planner *p)
{
	/* Revokes before grants: a grant option that goes is revoked, then the grant made again. */
	static const char *const order[] = {"owner.alter", "privilege.revoke", "privilege.grant"};

	for (size_t k = 0; k < sizeof(order) / sizeof(*order); k++)
		for (size_t i = 0; i < p->d->n_changes; i++)
			if (is_kind(&p->d->changes[i], order[k]))
				access_change(p, &p->d->changes[i]);
}
