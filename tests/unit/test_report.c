/*
 * tests/unit/test_report.c: what a report shows of a changed definition,
 * and the unified diff it uses.
 *
 * Test organisation:
 *   textdiff__*   hunks, context, the line budget
 *   report__*     text, Markdown and JSON of a changed view; version note
 */
#include "daemon/report.h"
#include "daemon/textdiff.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static char *
textdiff(const char *a, const char *b, size_t max_lines)
{
	sd_str s;

	sd_str_init(&s);
	sd_textdiff(&s, a, b, "  ", max_lines);
	return s.ptr;
}

static void
test_textdiff__one_changed_line_with_context(void **state)
{
	char *out = textdiff("a\nb\nc\nd\ne\nf\ng", "a\nb\nc\nD\ne\nf\ng", 50);

	(void)state;
	assert_string_equal(out, "  @@ -2,5 +2,5 @@\n   b\n   c\n  -d\n  +D\n   e\n   f\n");
	free(out);
}

static void
test_textdiff__far_changes_make_two_hunks(void **state)
{
	char *out = textdiff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10", "x\n2\n3\n4\n5\n6\n7\n8\n9\ny", 50);

	(void)state;
	assert_string_equal(out, "  @@ -1,3 +1,3 @@\n  -1\n  +x\n   2\n   3\n"
	                         "  @@ -8,3 +8,3 @@\n   8\n   9\n  -10\n  +y\n");
	free(out);
}

static void
test_textdiff__budget_counts_what_is_left_out(void **state)
{
	char *out = textdiff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10", "x\n2\n3\n4\n5\n6\n7\n8\n9\ny", 5);

	(void)state;
	assert_string_equal(out, "  @@ -1,3 +1,3 @@\n  -1\n  +x\n   2\n   3\n"
	                         "  ... 2 more changed lines\n");
	free(out);
}

static void
test_textdiff__added_and_removed_text(void **state)
{
	char *out = textdiff("", "new", 50);

	(void)state;
	assert_string_equal(out, "  @@ -1,0 +1,1 @@\n  +new\n");
	free(out);
}

/* ---- reports --------------------------------------------------------- */

static sd_schema *
one_view(const char *def, const char *version)
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
	if (version)
		sd_props_set(&s->arena, &s->props, "server_version", version);
	sd_schema_sort(s);
	return s;
}

typedef struct pair {
	sd_schema *a, *b;
	sd_diff *d;
} pair;

static pair
changed_view(const char *va, const char *vb)
{
	pair p;

	p.a = one_view("CREATE VIEW v AS\n SELECT a,\n    b\n   FROM t\n  WHERE (a > 1)", va);
	p.b = one_view("CREATE VIEW v AS\n SELECT a,\n    b\n   FROM t\n  WHERE (a > 2)", vb);
	p.d = sd_diff_schemas(p.a, p.b, NULL);
	return p;
}

static void
pair_free(pair *p)
{
	sd_diff_free(p->d);
	sd_schema_free(p->a);
	sd_schema_free(p->b);
}

static void
test_report__text_shows_before_and_after(void **state)
{
	pair p = changed_view(NULL, NULL);
	sd_str s;

	(void)state;
	sd_str_init(&s);
	sd_report_text(&s, p.d, false);
	assert_non_null(strstr(s.ptr, "        @@ -3,3 +3,3 @@\n             b\n"
	                              "            FROM t\n        -  WHERE (a > 1)\n"
	                              "        +  WHERE (a > 2)\n"));
	assert_null(strstr(s.ptr, "Versions differ"));
	sd_str_dispose(&s);
	pair_free(&p);
}

static void
test_report__markdown_shows_a_diff_block(void **state)
{
	pair p = changed_view(NULL, NULL);
	sd_str s;

	(void)state;
	sd_str_init(&s);
	sd_report_markdown(&s, p.d, NULL, NULL);
	assert_non_null(strstr(s.ptr, "view public.v:\n\n```diff\n@@ -3,3 +3,3 @@\n"));
	assert_non_null(strstr(s.ptr, "-  WHERE (a > 1)\n+  WHERE (a > 2)\n```\n"));
	sd_str_dispose(&s);
	pair_free(&p);
}

static void
test_report__json_carries_both_texts(void **state)
{
	pair p = changed_view("15.18", "17.10");
	sd_str s;

	(void)state;
	sd_str_init(&s);
	sd_report_json(&s, p.d);
	assert_non_null(strstr(s.ptr, "\"aspect\": \"definition\""));
	assert_non_null(strstr(s.ptr, "\"before\": \"CREATE VIEW v AS\\n SELECT a,\\n    b\\n   "
	                              "FROM t\\n  WHERE (a > 1)\""));
	assert_non_null(strstr(s.ptr, "\"after\": \"CREATE VIEW v AS\\n SELECT a,\\n    b\\n   "
	                              "FROM t\\n  WHERE (a > 2)\""));
	assert_non_null(strstr(s.ptr, "\"server_version\": \"17.10\""));
	sd_str_dispose(&s);
	pair_free(&p);
}

static void
test_report__versions_that_differ_are_said(void **state)
{
	pair p = changed_view("15.18", "17.10");
	sd_str s;

	(void)state;
	sd_str_init(&s);
	sd_report_text(&s, p.d, false);
	assert_true(strncmp(s.ptr, "Versions differ: postgres 15.18 -> postgres 17.10\n", 50) == 0);
	sd_str_dispose(&s);
	pair_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_textdiff__one_changed_line_with_context),
	        cmocka_unit_test(test_textdiff__far_changes_make_two_hunks),
	        cmocka_unit_test(test_textdiff__budget_counts_what_is_left_out),
	        cmocka_unit_test(test_textdiff__added_and_removed_text),
	        cmocka_unit_test(test_report__text_shows_before_and_after),
	        cmocka_unit_test(test_report__markdown_shows_a_diff_block),
	        cmocka_unit_test(test_report__json_carries_both_texts),
	        cmocka_unit_test(test_report__versions_that_differ_are_said),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
