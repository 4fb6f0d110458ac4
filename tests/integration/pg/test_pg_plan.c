/*
 * tests/integration/pg/test_pg_plan.c: the PostgreSQL plan and risk, on
 * models built in memory (no server: the convergence of these plans on a
 * real server is pg_cases' and pg_corpus' job).
 *
 * Test organisation:
 *   pg_plan__quotes_*        every identifier double-quoted, quotes doubled
 *   pg_plan__order_*         referenced objects first, FKs last, enums before BEGIN
 *   pg_plan__destructive_*   drops carry a comment
 *   pg_plan__hostile_*       names never leave their quotes or comments
 *   pg_risk__*               PostgreSQL costs added to the generic score
 *   pg_cast__*               which type changes the server can cast
 *   pg_redact__*             passwords removed from URLs
 */
#include "connectors/pg/pg_internal.h"
#include "connectors/pg/sd_pg.h"
#include "connectors/sd_source.h"
#include "tests/lib/sql_residue.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

/* ---- model builders -------------------------------------------------- */

static sd_table *
add_table(sd_schema *s, const char *schema, const char *name, size_t n_cols)
{
	sd_table *t;

	s->tables = realloc(s->tables, (s->n_tables + 1) * sizeof(*s->tables));
	t = &s->tables[s->n_tables++];
	memset(t, 0, sizeof(*t));
	t->schema = sd_arena_strdup(&s->arena, schema);
	t->name = sd_arena_strdup(&s->arena, name);
	t->columns = sd_arena_alloc(&s->arena, (n_cols + 1) * sizeof(sd_column));
	return t;
}

static void
add_column(sd_schema *s, sd_table *t, const char *name, const char *type, bool not_null)
{
	sd_column *c = &t->columns[t->n_columns++];

	c->name = sd_arena_strdup(&s->arena, name);
	c->type = sd_arena_strdup(&s->arena, type);
	c->not_null = not_null;
	c->position = (int)t->n_columns;
}

static void
add_constraint(sd_schema *s, sd_table *t, sd_con_type type, const char *name, const char *def,
	       const char *ref_table)
{
	sd_constraint *c;

	c = sd_arena_alloc(&s->arena, (t->n_constraints + 1) * sizeof(*c));
	if (t->n_constraints)
		memcpy(c, t->constraints, t->n_constraints * sizeof(*c));
	t->constraints = c;
	c = &t->constraints[t->n_constraints++];
	c->type = type;
	c->name = sd_arena_strdup(&s->arena, name);
	c->expr = sd_arena_strdup(&s->arena, def);
	if (ref_table) {
		c->ref_schema = "public";
		c->ref_table = sd_arena_strdup(&s->arena, ref_table);
	}
}

static sd_object *
add_object(sd_schema *s, sd_obj_kind kind, const char *name, const char *def)
{
	sd_object *o;

	s->objects = realloc(s->objects, (s->n_objects + 1) * sizeof(*s->objects));
	o = &s->objects[s->n_objects++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->schema = "public";
	o->name = sd_arena_strdup(&s->arena, name);
	o->definition = sd_arena_strdup(&s->arena, def);
	o->ddl = sd_arena_printf(&s->arena, "CREATE TYPE \"public\".\"%s\" %s", name, def);
	return o;
}

/* The builders realloc with malloc: move the arrays into the arena, then sort. */
static void
finish(sd_schema *s)
{
	sd_table *t = sd_arena_memdup(&s->arena, s->tables, s->n_tables, sizeof(*t));
	sd_object *o = sd_arena_memdup(&s->arena, s->objects, s->n_objects, sizeof(*o));

	free(s->tables);
	free(s->objects);
	s->tables = t;
	s->objects = o;
	sd_schema_sort(s);
}

static char *
plan_of(const sd_schema *a, const sd_schema *b, sd_diff **d_out)
{
	sd_diff *d = sd_diff_schemas(a, b, &sd_pg_dialect);
	sd_plan_opts opts = {0};
	sd_err err = {0};
	sd_str out;

	sd_str_init(&out);
	assert_int_equal(sd_pg_dialect.plan(&out, d, &opts, &err), SD_OK);
	if (d_out)
		*d_out = d;
	else
		sd_diff_free(d);
	return sd_str_detach(&out);
}

static const char *
must_find(const char *hay, const char *needle)
{
	const char *at = strstr(hay, needle);

	if (!at)
		fail_msg("plan lacks \"%s\":\n%s", needle, hay);
	return at;
}

/* ---- tests ----------------------------------------------------------- */

static void
test_pg_plan__quotes_every_identifier(void **state)
{
	sd_schema *a = sd_schema_new("postgres"), *b = sd_schema_new("postgres");
	sd_table *t;
	char *plan;

	(void)state;
	t = add_table(a, "we\"ird", "Tab; DROP", 1);
	add_column(a, t, "id", "integer", false);
	t = add_table(b, "we\"ird", "Tab; DROP", 2);
	add_column(b, t, "id", "integer", false);
	add_column(b, t, "x\"y", "text", false);
	finish(a);
	finish(b);
	plan = plan_of(a, b, NULL);
	must_find(plan, "ALTER TABLE \"we\"\"ird\".\"Tab; DROP\" ADD COLUMN \"x\"\"y\" text;");
	free(plan);
	sd_schema_free(a);
	sd_schema_free(b);
}

static void
test_pg_plan__order_fk_after_referenced_key(void **state)
{
	sd_schema *a = sd_schema_new("postgres"), *b = sd_schema_new("postgres");
	sd_table *child, *parent;
	const char *pk, *fk, *create_child, *create_parent;
	char *plan;

	(void)state;
	child = add_table(b, "public", "a_child", 1);
	add_column(b, child, "pid", "integer", false);
	add_constraint(b, child, SD_CON_FOREIGN, "a_child_pid_fkey",
		       "FOREIGN KEY (pid) REFERENCES public.z_parent(id)", "z_parent");
	parent = add_table(b, "public", "z_parent", 1);
	add_column(b, parent, "id", "integer", true);
	add_constraint(b, parent, SD_CON_PRIMARY, "z_parent_pkey", "PRIMARY KEY (id)", NULL);
	finish(a);
	finish(b);
	plan = plan_of(a, b, NULL);
	create_child = must_find(plan, "CREATE TABLE \"public\".\"a_child\"");
	create_parent = must_find(plan, "CREATE TABLE \"public\".\"z_parent\"");
	pk = must_find(plan, "ADD CONSTRAINT \"z_parent_pkey\" PRIMARY KEY (id)");
	fk = must_find(plan, "ADD CONSTRAINT \"a_child_pid_fkey\" FOREIGN KEY");
	assert_true(create_child < fk && create_parent < fk && pk < fk);
	{
		/* the risk comments come first; the first statement opens the transaction */
		const char *first = plan;
		while (strncmp(first, "-- ", 3) == 0)
			first = strchr(first, '\n') + 1;
		assert_true(strncmp(first, "SET standard_conforming_strings = on;\n"
					   "SET client_encoding = 'UTF8';\nBEGIN;\n", 75) == 0);
		assert_non_null(strstr(plan, "-- [5 low] table.add table public.z_parent"));
	}
	assert_non_null(strstr(plan, "COMMIT;\n"));
	free(plan);
	sd_schema_free(a);
	sd_schema_free(b);
}

/*
 * A function whose result names a table's row type, and a composite type
 * made of it, come after the table, whatever the snapshot's order; with
 * the table dropped, before its DROP TABLE.
 */
static void
test_pg_plan__order_row_type_users_around_their_table(void **state)
{
	sd_schema *a = sd_schema_new("postgres"), *b = sd_schema_new("postgres");
	const char **on_customer = sd_arena_alloc(&b->arena, sizeof(*on_customer));
	sd_object *fn, *pair;
	sd_table *t;
	char *plan;

	(void)state;
	on_customer[0] = "public.customer";
	t = add_table(b, "public", "customer", 1);
	add_column(b, t, "id", "integer", true);
	fn = add_object(b, SD_OBJ_FUNCTION, "a_rewards", "");
	fn->signature = "";
	fn->ddl = "CREATE FUNCTION public.a_rewards() RETURNS SETOF public.customer LANGUAGE sql "
		  "AS 'SELECT * FROM customer'";
	fn->depends = on_customer;
	fn->n_depends = 1;
	pair = add_object(b, SD_OBJ_TYPE, "a_pair", "AS (a public.customer)");
	pair->depends = on_customer;
	pair->n_depends = 1;
	finish(a);
	finish(b);
	plan = plan_of(a, b, NULL);
	assert_true(must_find(plan, "CREATE TABLE \"public\".\"customer\"") <
		    must_find(plan, "CREATE FUNCTION public.a_rewards()"));
	assert_true(must_find(plan, "CREATE TABLE \"public\".\"customer\"") <
		    must_find(plan, "CREATE TYPE \"public\".\"a_pair\""));
	free(plan);
	/* the way back: both go before the table */
	plan = plan_of(b, a, NULL);
	assert_true(must_find(plan, "DROP FUNCTION IF EXISTS \"public\".\"a_rewards\"") <
		    must_find(plan, "DROP TABLE IF EXISTS \"public\".\"customer\""));
	assert_true(must_find(plan, "DROP TYPE IF EXISTS \"public\".\"a_pair\"") <
		    must_find(plan, "DROP TABLE IF EXISTS \"public\".\"customer\""));
	free(plan);
	sd_schema_free(a);
	sd_schema_free(b);
}

static void
test_pg_plan__order_enum_label_before_begin(void **state)
{
	sd_schema *a = sd_schema_new("postgres"), *b = sd_schema_new("postgres");
	sd_object *o;
	const char *add, *begin;
	char *plan;

	(void)state;
	o = add_object(a, SD_OBJ_TYPE, "mood", "AS ENUM ('sad', 'happy')");
	sd_props_set(&a->arena, &o->props, "type", "enum");
	sd_props_set(&a->arena, &o->props, "labels", "{sad,happy}");
	o = add_object(b, SD_OBJ_TYPE, "mood", "AS ENUM ('meh', 'sad', 'ok', 'happy')");
	sd_props_set(&b->arena, &o->props, "type", "enum");
	sd_props_set(&b->arena, &o->props, "labels", "{meh,sad,ok,happy}");
	finish(a);
	finish(b);
	plan = plan_of(a, b, NULL);
	add = must_find(plan, "ALTER TYPE \"public\".\"mood\" ADD VALUE 'meh' BEFORE 'sad';");
	must_find(plan, "ALTER TYPE \"public\".\"mood\" ADD VALUE 'ok' AFTER 'sad';");
	begin = must_find(plan, "BEGIN;");
	assert_true(add < begin);
	assert_null(strstr(plan, "DROP TYPE"));
	free(plan);
	sd_schema_free(a);
	sd_schema_free(b);
}

static void
test_pg_plan__destructive_drops_are_commented(void **state)
{
	sd_schema *a = sd_schema_new("postgres"), *b = sd_schema_new("postgres");
	sd_table *t;
	const char *drop_t, *drop_c;
	char *plan;

	(void)state;
	t = add_table(a, "public", "gone", 1);
	add_column(a, t, "x", "integer", false);
	t = add_table(a, "public", "kept", 2);
	add_column(a, t, "x", "integer", false);
	add_column(a, t, "y", "integer", false);
	t = add_table(b, "public", "kept", 1);
	add_column(b, t, "x", "integer", false);
	finish(a);
	finish(b);
	plan = plan_of(a, b, NULL);
	drop_t = must_find(plan, "DROP TABLE IF EXISTS \"public\".\"gone\";");
	drop_c = must_find(plan, "DROP COLUMN IF EXISTS \"y\";");
	assert_non_null(strstr(plan, "-- destructive: drops the table and its rows\nDROP TABLE"));
	assert_non_null(strstr(plan, "-- destructive: drops the column and its data\nALTER TABLE"));
	assert_true(drop_c < drop_t || drop_t < drop_c); /* both present */
	free(plan);
	sd_schema_free(a);
	sd_schema_free(b);
}

/* A name that left its quotes or comment shows in what psql would execute. */
static void
assert_contained(const char *plan, const char *marker)
{
	char *residue = sd_test_sql_residue("postgres", plan);

	if (!residue)
		fail_msg("plan ends inside a quote or comment:\n%s", plan);
	if (strstr(residue, marker))
		fail_msg("\"%s\" escaped into the SQL psql runs:\n%s", marker, plan);
	free(residue);
}

static void
test_pg_plan__hostile_names_stay_in_comments(void **state)
{
	static const char *const names[] = {
		"u\nCREATE TABLE pwned(x int); --", "u\rCREATE TABLE pwned(x int); --",
		"u*/ CREATE TABLE pwned(x int); /*", "u'; CREATE TABLE pwned(x int); --",
		"u\\'; CREATE TABLE pwned(x int); --"};
	sd_schema *a = sd_schema_new("postgres"), *b = sd_schema_new("postgres");
	sd_table *t;
	char *plan;

	(void)state;
	t = add_table(a, "public", "t\nCREATE TABLE pwned(x int); --", 2);
	add_column(a, t, "id", "integer", true);
	add_column(a, t, "v", "integer", false);
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		add_constraint(a, t, SD_CON_UNIQUE, names[i], "UNIQUE (id)", NULL);
	add_object(a, SD_OBJ_SEQUENCE, "s\nCREATE TABLE pwned(x int); --", "");
	add_object(a, SD_OBJ_SCHEMA, "n\nCREATE TABLE pwned(x int); --", "");
	/* b: the same table without its constraints */
	t = add_table(b, "public", "t\nCREATE TABLE pwned(x int); --", 2);
	add_column(b, t, "id", "integer", true);
	add_column(b, t, "v", "integer", false);
	finish(a);
	finish(b);
	plan = plan_of(a, b, NULL);
	assert_contained(plan, "pwned");
	must_find(plan, "-- destructive: drops unique u CREATE TABLE pwned(x int); --\n");
	must_find(plan, "-- destructive: drops sequence public.s CREATE TABLE pwned");
	free(plan);
	sd_schema_free(a);
	sd_schema_free(b);
}

static int
risk_of_type_change(const char *from, const char *to)
{
	sd_schema *a = sd_schema_new("postgres"), *b = sd_schema_new("postgres");
	sd_table *t;
	sd_diff *d;
	int risk;

	t = add_table(a, "public", "t", 1);
	add_column(a, t, "c", from, false);
	t = add_table(b, "public", "t", 1);
	add_column(b, t, "c", to, false);
	finish(a);
	finish(b);
	d = sd_diff_schemas(a, b, &sd_pg_dialect);
	assert_int_equal(d->n_changes, 1);
	risk = d->changes[0].risk;
	sd_diff_free(d);
	sd_schema_free(a);
	sd_schema_free(b);
	return risk;
}

static void
test_pg_risk__type_rewrite_costs_more_than_coercible_widening(void **state)
{
	(void)state;
	/* varchar widening is binary-coercible: the generic widen score stays. */
	assert_int_equal(risk_of_type_change("character varying(10)", "character varying(20)"), 30);
	assert_int_equal(risk_of_type_change("character varying(10)", "text"), 30);
	/* integer -> bigint widens too, but PostgreSQL rewrites the table. */
	assert_int_equal(risk_of_type_change("integer", "bigint"), 65);
	assert_int_equal(risk_of_type_change("numeric(10,2)", "numeric(12,3)"), 65);
}

static void
test_pg_cast__known_casts_typmods_strings_and_arrays(void **state)
{
	sd_schema *s = sd_schema_new("postgres");

	(void)state;
	/* Nothing read: not known, so never refused. */
	assert_true(sd_pg__castable(s, "bigint", "timestamp without time zone"));
	sd_props_set(&s->arena, &s->props, "casts",
		     "bigint>integer;integer>bigint;interval>time without time zone;"
		     "timestamp without time zone>timestamp with time zone");
	assert_false(sd_pg__castable(s, "bigint", "timestamp without time zone"));
	assert_true(sd_pg__castable(s, "integer", "bigint"));
	/* Only the listed direction. */
	assert_false(sd_pg__castable(s, "time without time zone", "interval"));
	/* Typmods and interval fields are one type to pg_cast. */
	assert_true(sd_pg__castable(s, "numeric(10,2)", "numeric(12,3)"));
	assert_true(sd_pg__castable(s, "interval year to month", "interval(3)"));
	assert_true(sd_pg__castable(s, "timestamp(0) without time zone",
				    "timestamp(3) with time zone"));
	/* Every type converts to and from a string type. */
	assert_true(sd_pg__castable(s, "bigint", "character varying(20)"));
	assert_true(sd_pg__castable(s, "text", "timestamp without time zone"));
	/* Arrays cast element by element; an array and a scalar do not mix. */
	assert_true(sd_pg__castable(s, "integer[]", "bigint[]"));
	assert_false(sd_pg__castable(s, "bigint[]", "timestamp without time zone[]"));
	assert_false(sd_pg__castable(s, "integer", "text[]"));
	/* User types go through text in the plan. */
	assert_true(sd_pg__castable(s, "bigint", "public.mood"));
	sd_schema_free(s);
}

static void
test_pg_redact__password_in_userinfo_and_query(void **state)
{
	char *r;

	(void)state;
	r = sd_url_redact("postgres://u:s3cret@h:5432/db?sslmode=require");
	assert_string_equal(r, "postgres://u:***@h:5432/db?sslmode=require");
	free(r);
	r = sd_url_redact("postgresql://u@h/db?sslmode=require&password=s3cret&x=1");
	assert_string_equal(r, "postgresql://u@h/db?sslmode=require&password=***&x=1");
	free(r);
	r = sd_url_redact("postgres://u:a@b@h/db?password=p");
	assert_null(strstr(r, "p&"));
	assert_null(strstr(r, ":a@b"));
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pg_plan__quotes_every_identifier),
		cmocka_unit_test(test_pg_plan__order_fk_after_referenced_key),
		cmocka_unit_test(test_pg_plan__order_row_type_users_around_their_table),
		cmocka_unit_test(test_pg_plan__order_enum_label_before_begin),
		cmocka_unit_test(test_pg_plan__destructive_drops_are_commented),
		cmocka_unit_test(test_pg_plan__hostile_names_stay_in_comments),
		cmocka_unit_test(test_pg_risk__type_rewrite_costs_more_than_coercible_widening),
		cmocka_unit_test(test_pg_cast__known_casts_typmods_strings_and_arrays),
		cmocka_unit_test(test_pg_redact__password_in_userinfo_and_query),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
