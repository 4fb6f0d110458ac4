/*
 * tests/unit/test_steps.c: how each engine's apply cuts a plan into
 * statements (connectors/sd_steps.h and the engines' splitters), seen
 * through the registry's apply in dry-run mode: no server needed.
 *
 * Test organisation:
 *   steps__frame_*      the transaction frame is recognized, whatever its spelling
 *   steps__<engine>_*   statements stay whole (quotes, bodies, comments, a rule's
 *                       parentheses), the plan's frame is left out
 */
#include "testutil.h"

#include "connectors/sd_engine.h"
#include "connectors/sd_steps.h"

#include <stdlib.h>
#include <string.h>

typedef SD_VEC(char *) texts;

static void
collect(void *ud, size_t i, size_t n, const char *sql)
{
	(void)i, (void)n;
	sd_vec_push((texts *)ud, sd_xstrdup(sql));
}

/* The statements engine's apply would run for plan, in order. */
static texts
dry_run(const char *engine, const char *url_text, const char *plan)
{
	texts out = {0};
	sd_apply_opts o = {.dry_run = true, .ud = &out, .on_start = collect};
	sd_apply_result res;
	sd_err err = {0};
	sd_url url;

	assert_int_equal(sd_url_parse(&url, url_text, &err), SD_OK);
	assert_int_equal(sd_engine_for_name(engine)->apply(&url, plan, &o, &res, &err), SD_OK);
	assert_int_equal(res.n_steps, out.len);
	sd_url_dispose(&url);
	return out;
}

static void
texts_free(texts *t)
{
	for (size_t i = 0; i < t->len; i++)
		free(t->ptr[i]);
	sd_vec_dispose(t);
}

static void
test_steps__frame_spellings(void **state)
{
	const char *a = "  pragma\tFOREIGN_KEYS=off ; ", *b = "-- why\nBEGIN;";
	sd_step s1 = {a, strlen(a), 0}, s2 = {b, strlen(b), 0};

	(void)state;
	assert_true(sd_steps_is(&s1, "PRAGMA foreign_keys = OFF"));
	assert_false(sd_steps_is(&s1, "PRAGMA foreign_keys = ON"));
	assert_true(sd_steps_is(&s2, "BEGIN"));
	assert_false(sd_steps_is(&s2, "BEGIN TRANSACTION"));
}

static void
test_steps__sqlite_bodies_and_frame(void **state)
{
	texts t =
	        dry_run("sqlite", "sqlite:x.db",
	                "-- schemad plan; with a ';' in a comment\n"
	                "PRAGMA foreign_keys = OFF;\nBEGIN;\n"
	                "CREATE TABLE \"a;b\" (x TEXT DEFAULT 'it''s; fine');\n"
	                "-- [5 low] trigger.add: reasons; more\n"
	                "CREATE TRIGGER t AFTER INSERT ON \"a;b\" BEGIN SELECT 1; SELECT 2; END;\n"
	                "PRAGMA foreign_key_check;\nCOMMIT;\nPRAGMA foreign_keys = ON;\n");

	(void)state;
	assert_int_equal(t.len, 2);
	assert_string_equal(t.ptr[0], "CREATE TABLE \"a;b\" (x TEXT DEFAULT 'it''s; fine')");
	assert_string_equal(
	        t.ptr[1], "CREATE TRIGGER t AFTER INSERT ON \"a;b\" BEGIN SELECT 1; SELECT 2; END");
	texts_free(&t);
}

static void
test_steps__pg_dollar_bodies_and_frame(void **state)
{
	texts t = dry_run("postgres", "postgres://u@h/db",
	                  "-- changes this plan makes:\n-- [10 low] x: a; b\n"
	                  "ALTER TYPE \"e\" ADD VALUE 'x;y';\n"
	                  "BEGIN;\nSET LOCAL check_function_bodies = false;\n"
	                  "CREATE FUNCTION \"f;\"() RETURNS int AS $body$ SELECT 1; $body$ "
	                  "LANGUAGE sql;\n"
	                  "COMMIT;\n-- CREATE INDEX CONCURRENTLY cannot run inside a transaction\n"
	                  "CREATE INDEX CONCURRENTLY \"i\" ON \"t\" (\"c\");\n");

	(void)state;
	assert_int_equal(t.len, 4);
	assert_string_equal(t.ptr[0], "ALTER TYPE \"e\" ADD VALUE 'x;y'");
	assert_string_equal(t.ptr[1], "SET LOCAL check_function_bodies = false");
	assert_string_equal(t.ptr[2], "CREATE FUNCTION \"f;\"() RETURNS int AS $body$ SELECT 1; "
	                              "$body$ LANGUAGE sql");
	assert_string_equal(t.ptr[3], "CREATE INDEX CONCURRENTLY \"i\" ON \"t\" (\"c\")");
	texts_free(&t);
}

static void
test_steps__pg_begin_atomic_body(void **state)
{
	texts t =
	        dry_run("postgres", "postgres://u@h/db",
	                "BEGIN;\nCREATE FUNCTION f(x int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
	                "  SELECT CASE WHEN x > 0 THEN 1 END;\n  SELECT x;\nEND;\n"
	                "CREATE TABLE \"end\" (x int);\nCOMMIT;\n");

	(void)state;
	assert_int_equal(t.len, 2);
	assert_string_equal(t.ptr[0], "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql\nBEGIN "
	                              "ATOMIC\n  SELECT CASE WHEN x > 0 THEN 1 END;\n  SELECT "
	                              "x;\nEND");
	assert_string_equal(t.ptr[1], "CREATE TABLE \"end\" (x int)");
	texts_free(&t);
}

/* Each statement whole, however its text hides a ';' or an END from a naive count. */
static void
test_steps__pg_statements_psql_keeps_whole(void **state)
{
	static const char *const stmts[] = {
	        /* a rule's action list: its ';' are inside parentheses */
	        "CREATE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES (new.x); "
	        "INSERT INTO c VALUES (new.x))",
	        /* a column named begin, in parentheses, qualified or as a label: no block */
	        "CREATE FUNCTION f1() RETURNS bigint LANGUAGE sql\nBEGIN ATOMIC\n "
	        "SELECT count(t.begin) AS begin FROM t;\n SELECT t.begin FROM t;\nEND",
	        /* block comments nest; END and ';' inside one are not counted */
	        "CREATE FUNCTION f2() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n "
	        "/* outer /* inner */ END; still a comment */ SELECT 1;\nEND",
	        /* E'' strings escape a quote with a backslash */
	        "CREATE FUNCTION f3() RETURNS text LANGUAGE sql\nBEGIN ATOMIC\n "
	        "SELECT E'it\\'s END; ' || $x$ END; $x$ || t.end FROM t;\nEND",
	        "COMMENT ON TABLE t IS E'a \\' b; c'",
	        /* a procedure, nested CASE, OR REPLACE */
	        "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t "
	        "SELECT CASE WHEN 1 > 0 THEN CASE WHEN 2 > 1 THEN 1 END END; DELETE FROM t; END",
	        /* BEGIN ATOMIC quoted or in a comment opens nothing */
	        "COMMENT ON FUNCTION f1() IS 'BEGIN ATOMIC'",
	        "CREATE FUNCTION f4() RETURNS int LANGUAGE sql -- BEGIN ATOMIC\n"
	        "AS $$ BEGIN ATOMIC $$ /* BEGIN ATOMIC */",
	        /* begin atomic outside a routine: a column and its type, not a body */
	        "ALTER TABLE t ADD COLUMN begin atomic",
	        "CREATE TABLE \"x$y\" (a$b$ int, begin atomic)",
	        "SELECT 1",
	};
	size_t n = sizeof(stmts) / sizeof(*stmts);
	sd_str plan;
	texts t;

	(void)state;
	sd_str_init(&plan);
	for (size_t i = 0; i < n; i++)
		sd_str_appendf(&plan, "%s;\n", stmts[i]);
	t = dry_run("postgres", "postgres://u@h/db", plan.ptr);
	assert_int_equal(t.len, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(t.ptr[i], stmts[i]);
	texts_free(&t);
	sd_str_dispose(&plan);
}

static void
test_steps__mysql_delimiter_after_comment(void **state)
{
	texts t = dry_run("mysql", "mysql://u@h/db",
	                  "-- [5 low] table.add table `a;b`: new table; nothing depends on it\n"
	                  "CREATE TABLE `a;b` (`x` int DEFAULT NULL COMMENT 'c; d');\n"
	                  "-- [30 medium] trigger.add trigger tr: adds a trigger; writes run it\n"
	                  "DELIMITER $$\n"
	                  "CREATE TRIGGER `tr` AFTER INSERT ON `a;b` FOR EACH ROW BEGIN\n"
	                  "  SET @n = 1; SET @m = 2;\nEND$$\nDELIMITER ;\n"
	                  "ALTER TABLE `a;b`\n  ADD COLUMN `y` int NULL,\n  ALGORITHM=INSTANT;\n");

	(void)state;
	assert_int_equal(t.len, 3);
	assert_string_equal(t.ptr[0], "CREATE TABLE `a;b` (`x` int DEFAULT NULL COMMENT 'c; d')");
	assert_string_equal(t.ptr[1], "CREATE TRIGGER `tr` AFTER INSERT ON `a;b` FOR EACH ROW "
	                              "BEGIN\n  SET @n = 1; SET @m = 2;\nEND");
	assert_string_equal(t.ptr[2], "ALTER TABLE `a;b`\n  ADD COLUMN `y` int NULL,\n  "
	                              "ALGORITHM=INSTANT");
	texts_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_steps__frame_spellings),
	        cmocka_unit_test(test_steps__sqlite_bodies_and_frame),
	        cmocka_unit_test(test_steps__pg_dollar_bodies_and_frame),
	        cmocka_unit_test(test_steps__pg_begin_atomic_body),
	        cmocka_unit_test(test_steps__pg_statements_psql_keeps_whole),
	        cmocka_unit_test(test_steps__mysql_delimiter_after_comment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
