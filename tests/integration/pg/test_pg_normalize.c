/*
 * tests/integration/pg/test_pg_normalize.c: deparsed definitions compared
 * by meaning (the PostgreSQL dialect's same_definition, libpg_query), and
 * the differ's use of it. The texts are what PostgreSQL 15 and 17 print
 * for the same objects (measured on both servers). The cross-version run
 * on real servers is pg_versions' job.
 *
 * Test organisation:
 *   pg_normalize__view_*     PostgreSQL 16 dropped the column qualification
 *   pg_normalize__expr_*     defaults, CHECKs and index expressions
 *   pg_normalize__unparsed_* text that does not parse: compared as text, said so
 */
#include "connectors/pg/sd_pg.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static int
same(const char *what, const char *a, const char *b)
{
	return sd_pg_dialect.same_definition(what, a, b);
}

static const char V15[] = "CREATE VIEW \"public\".\"v\" AS\n SELECT t.a,\n    t.b AS bee\n   FROM "
                          "t\n  WHERE (t.a > 1)";
static const char V17[] =
        "CREATE VIEW \"public\".\"v\" AS\n SELECT a,\n    b AS bee\n   FROM t\n  WHERE (a > 1)";

static void
test_pg_normalize__view_qualification_is_not_meaning(void **state)
{
	(void)state;
	assert_int_equal(same("view", V15, V17), SD_DEF_SAME);
	assert_int_equal(same("materialized_view", V17, V15), SD_DEF_SAME);
	/* A materialized view's definition carries its indexes: statement offsets move. */
	assert_int_equal(same("materialized_view",
	                      "CREATE MATERIALIZED VIEW mv AS\n SELECT v.id\n   FROM public.v;\n"
	                      "CREATE UNIQUE INDEX mv_id_idx ON public.mv USING btree (id)",
	                      "CREATE MATERIALIZED VIEW mv AS\n SELECT id\n   FROM public.v;\n"
	                      "CREATE UNIQUE INDEX mv_id_idx ON public.mv USING btree (id)"),
	                 SD_DEF_SAME);
	/* An alias is the name the columns are qualified with. */
	assert_int_equal(same("view", "CREATE VIEW v AS SELECT x.a FROM t x",
	                      "CREATE VIEW v AS SELECT a FROM t x"),
	                 SD_DEF_SAME);
}

static void
test_pg_normalize__view_in_subquery_left_side_is_outer(void **state)
{
	(void)state;
	/* x IN (SELECT ...): x belongs to the outer query (PostgreSQL 15 and 17 texts). */
	assert_int_equal(
	        same("materialized_view",
	             "CREATE MATERIALIZED VIEW v AS\n SELECT points.id\n   FROM public.points\n"
	             "  WHERE (points.id IN ( SELECT max(points_1.id) AS id\n"
	             "           FROM public.points points_1))",
	             "CREATE MATERIALIZED VIEW v AS\n SELECT id\n   FROM public.points\n"
	             "  WHERE (id IN ( SELECT max(points_1.id) AS id\n"
	             "           FROM public.points points_1))"),
	        SD_DEF_SAME);
}

static void
test_pg_normalize__expr_sql_syntax_functions(void **state)
{
	(void)state;
	/* 16 prints timezone() in its SQL syntax (PostgreSQL 13 and 18 texts). */
	assert_int_equal(same("index",
	                      "CREATE INDEX i ON public.events USING btree (timezone('utc'::text, at))",
	                      "CREATE INDEX i ON public.events USING btree ((at AT TIME ZONE 'utc'::text))"),
	                 SD_DEF_SAME);
	assert_int_equal(same("index", "CREATE INDEX i ON public.e USING btree (a) WITH (fillfactor='70')",
	                      "CREATE INDEX i ON public.e USING btree (a)"),
	                 SD_DEF_DIFFERENT);
	assert_int_equal(same("check", "CHECK ((timezone('utc'::text, created_at) < now()))",
	                      "CHECK (((created_at AT TIME ZONE 'utc'::text) < now()))"),
	                 SD_DEF_SAME);
	assert_int_equal(same("column.default", "(timezone('utc'::text, now()))::text",
	                      "((now() AT TIME ZONE 'utc'::text))::text"),
	                 SD_DEF_SAME);
	assert_int_equal(same("column.default", "(timezone('utc'::text, now()))::text",
	                      "((now() AT TIME ZONE 'cet'::text))::text"),
	                 SD_DEF_DIFFERENT);
	/* 13 spells out OVERLAPS' casts and EXTRACT as date_part (13 and 18 texts). */
	assert_int_equal(
	        same("check",
	             "CHECK (\"overlaps\"((s)::timestamp with time zone, (e)::timestamp with "
	             "time zone, (s)::timestamp with time zone, (e)::timestamp with time zone))",
	             "CHECK (((s, e) OVERLAPS (s, e)))"),
	        SD_DEF_SAME);
	assert_int_equal(same("view",
	                      "CREATE VIEW v AS SELECT date_part('year'::text, t.x) AS y FROM t",
	                      "CREATE VIEW v AS SELECT EXTRACT(year FROM x) AS y FROM t"),
	                 SD_DEF_SAME);
	assert_int_equal(same("view",
	                      "CREATE VIEW v AS SELECT date_part('year'::text, t.x) AS y FROM t",
	                      "CREATE VIEW v AS SELECT EXTRACT(month FROM x) AS y FROM t"),
	                 SD_DEF_DIFFERENT);
	/* A user's function of the same name is schema-qualified: never the same. */
	assert_int_equal(same("column.default", "public.timezone('utc'::text, now())",
	                      "timezone('utc'::text, now())"),
	                 SD_DEF_DIFFERENT);
}

static void
test_pg_normalize__view_change_is_seen(void **state)
{
	(void)state;
	assert_int_equal(same("view", V15,
	                      "CREATE VIEW \"public\".\"v\" AS\n SELECT a,\n    b AS bee\n   FROM "
	                      "t\n  WHERE (a > 2)"),
	                 SD_DEF_DIFFERENT);
	/* Two relations: a qualifier says which one, it is never dropped. */
	assert_int_equal(same("view", "CREATE VIEW v AS SELECT t.a FROM t JOIN u ON true",
	                      "CREATE VIEW v AS SELECT u.a FROM t JOIN u ON true"),
	                 SD_DEF_DIFFERENT);
	assert_int_equal(same("view", "CREATE VIEW v AS SELECT t.a FROM t, u",
	                      "CREATE VIEW v AS SELECT a FROM t, u"),
	                 SD_DEF_DIFFERENT);
}

static void
test_pg_normalize__view_subquery_keeps_its_qualifiers(void **state)
{
	(void)state;
	/* Every version qualifies inside a sub-query: there it is meaning. */
	assert_int_equal(same("view",
	                      "CREATE VIEW v AS SELECT t.a FROM t WHERE EXISTS (SELECT 1 FROM u "
	                      "WHERE u.a = t.a)",
	                      "CREATE VIEW v AS SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u "
	                      "WHERE u.a = t.a)"),
	                 SD_DEF_SAME);
	assert_int_equal(same("view",
	                      "CREATE VIEW v AS SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u "
	                      "WHERE u.a = t.a)",
	                      "CREATE VIEW v AS SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u "
	                      "WHERE a = t.a)"),
	                 SD_DEF_DIFFERENT);
}

static void
test_pg_normalize__expr_spacing_and_constants(void **state)
{
	(void)state;
	assert_int_equal(
	        same("column.default", "(now() + '1 day'::interval)", "(now()+'1 day'::interval)"),
	        SD_DEF_SAME);
	assert_int_equal(same("column.default", "0", "1"), SD_DEF_DIFFERENT);
	assert_int_equal(same("check", "CHECK ((qty > 0))", "CHECK (qty > 0)"), SD_DEF_SAME);
	assert_int_equal(same("check", "CHECK ((qty > 0))", "CHECK ((qty >= 0))"),
	                 SD_DEF_DIFFERENT);
	assert_int_equal(same("index.predicate", "(deleted_at IS NULL)", "deleted_at IS NULL"),
	                 SD_DEF_SAME);
}

static void
test_pg_normalize__unparsed_is_text(void **state)
{
	(void)state;
	assert_int_equal(same("view", "CREATE VIEW v AS SELECT 1", "not sql at all"),
	                 SD_DEF_UNPARSED);
	assert_int_equal(same("column.default", "((", "1"), SD_DEF_UNPARSED);
}

/* ---- the differ ------------------------------------------------------ */

static sd_schema *
one_view(const char *def)
{
	sd_schema *s = sd_schema_new("postgres");
	sd_object *o = sd_arena_alloc(&s->arena, sizeof(*o));

	o->kind = SD_OBJ_VIEW;
	o->schema = "public";
	o->name = "v";
	o->signature = "";
	o->definition = sd_arena_strdup(&s->arena, def);
	o->ddl = o->definition;
	s->objects = o;
	s->n_objects = 1;
	sd_schema_sort(s);
	return s;
}

static void
test_pg_normalize__differ_uses_the_dialect(void **state)
{
	sd_schema *a = one_view(V15), *b = one_view(V17),
	          *c = one_view("CREATE VIEW v AS SELECT )");
	sd_diff *d;

	(void)state;
	d = sd_diff_schemas(a, b, &sd_pg_dialect);
	assert_int_equal(d->n_changes, 0);
	sd_diff_free(d);
	/* Without the dialect the texts decide. */
	d = sd_diff_schemas(a, b, NULL);
	assert_int_equal(d->n_changes, 1);
	sd_diff_free(d);
	d = sd_diff_schemas(a, c, &sd_pg_dialect);
	assert_int_equal(d->n_changes, 1);
	assert_int_equal(d->changes[0].n_reasons, 2);
	assert_string_equal(d->changes[0].reasons[1],
	                    "compared as text: a definition does not parse");
	sd_diff_free(d);
	sd_schema_free(a);
	sd_schema_free(b);
	sd_schema_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_pg_normalize__view_qualification_is_not_meaning),
	        cmocka_unit_test(test_pg_normalize__view_in_subquery_left_side_is_outer),
	        cmocka_unit_test(test_pg_normalize__expr_sql_syntax_functions),
	        cmocka_unit_test(test_pg_normalize__view_change_is_seen),
	        cmocka_unit_test(test_pg_normalize__view_subquery_keeps_its_qualifiers),
	        cmocka_unit_test(test_pg_normalize__expr_spacing_and_constants),
	        cmocka_unit_test(test_pg_normalize__unparsed_is_text),
	        cmocka_unit_test(test_pg_normalize__differ_uses_the_dialect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
