/*
 * tests/unit/test_sqlite.c: the SQLite connector and plan on real files.
 *
 * Test organisation:
 *   sqlite__canon_*       canonical spelling of expressions
 *   sqlite__quote_*       identifier quoting, hostile names end to end
 *   sqlite__plan_*        ALTER vs rebuild, rows kept, ordering, convergence
 *   sqlite__read_*        read-only access and input errors
 */
#include "testutil.h"

#include "connectors/sqlite/lite_lex.h"
#include "connectors/sqlite/lite_parse.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
test_sqlite__canon_expressions(void **state)
{
	sd_arena a;

	(void)state;
	sd_arena_init(&a);
	assert_string_equal(sd_lite__canon_sql(&a, "SELECT  A+b FROM \"T\" WHERE x==1 -- c\n;"),
			    "select a + b from t where x = 1");
	assert_string_equal(sd_lite__canon_sql(&a, "lower( \"Name\" ) <> 'MiXeD'"),
			    "lower(name) != 'MiXeD'");
	/* a quoted keyword stays quoted; a plain quoted word does not */
	assert_string_equal(sd_lite__canon_sql(&a, "\"order\" + [col] + `x y`"),
			    "\"order\" + col + \"x y\"");
	assert_string_equal(sd_lite__canon_sql(&a, "/* c */ x IN (1,2 , 3)"), "x in (1, 2, 3)");
	sd_arena_dispose(&a);
}

static void
test_sqlite__quote_identifiers(void **state)
{
	sd_str s;

	(void)state;
	sd_str_init(&s);
	sd_lite_quote_ident(&s, "x\"; DROP TABLE y; --");
	assert_string_equal(s.ptr, "\"x\"\"; DROP TABLE y; --\"");
	sd_str_clear(&s);
	sd_lite_quote_ident(&s, "");
	assert_string_equal(s.ptr, "\"\"");
	sd_str_dispose(&s);
}

/* Names that break naive SQL: quotes, spaces, unicode, reserved words, injection. */
static const char HOSTILE_B[] =
	"CREATE TABLE y(id INTEGER PRIMARY KEY);"
	"CREATE TABLE \"x\"\"; DROP TABLE y; --\"(\"select\" INTEGER PRIMARY KEY, \"a b\" TEXT,"
	" \"ünï\"\"cødé\" TEXT NOT NULL DEFAULT 'q''uote');"
	"CREATE TABLE \"order\"(\"group\" INTEGER REFERENCES \"x\"\"; DROP TABLE y; --\"(\"select\"),"
	" \"where\" TEXT);"
	"CREATE INDEX \"idx \"\"evil\"\"\" ON \"order\"(\"where\");"
	"CREATE VIEW \"view; DROP TABLE y\" AS SELECT \"group\" FROM \"order\";"
	"CREATE TRIGGER \"trg'\" AFTER INSERT ON \"order\" BEGIN SELECT 1; END;"
	"CREATE TABLE \"nl\nDROP TABLE y;--\"(a INT, b INT NOT NULL DEFAULT 1);";

static void
test_sqlite__quote_hostile_names_end_to_end(void **state)
{
	/* A has the same tables with other columns: forces rebuilds and ADD COLUMN on them. */
	const char *a = tu_db("hostile_a",
			      "CREATE TABLE y(id INTEGER PRIMARY KEY);"
			      "CREATE TABLE \"x\"\"; DROP TABLE y; --\"(\"select\" INTEGER PRIMARY KEY,"
			      " \"a b\" INTEGER);"
			      "CREATE TABLE \"order\"(\"group\" INTEGER);"
			      "CREATE TABLE \"nl\nDROP TABLE y;--\"(b INT, a INT);"
			      "INSERT INTO y VALUES (1), (2);"
			      /* B's foreign key from "order" needs its parent row */
			      "INSERT INTO \"x\"\"; DROP TABLE y; --\" VALUES (7, 0);"
			      "INSERT INTO \"order\" VALUES (7);");
	const char *b = tu_db("hostile_b", HOSTILE_B);
	char *plan = NULL;

	(void)state;
	assert_int_equal(tu_converge(a, b, &plan), 0);
	/* the injection text never ran as SQL: y and its rows are still there */
	assert_int_equal(tu_scalar(a, "SELECT count(*) FROM y"), 2);
	assert_int_equal(tu_scalar(a, "SELECT \"group\" FROM \"order\""), 7);
	free(plan);
}

static const char *
rows_db(const char *name, const char *schema)
{
	sd_str sql;
	const char *path;

	sd_str_init(&sql);
	sd_str_append(&sql, schema);
	sd_str_append(&sql, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
			    " INSERT INTO t(id, name, qty) SELECT i, 'row' || i, i % 7 FROM n;");
	path = tu_db(name, sql.ptr);
	sd_str_dispose(&sql);
	return path;
}

static void
test_sqlite__plan_rebuild_keeps_every_row(void **state)
{
	const char *a = rows_db("rows_a", "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, qty "
					  "INT, legacy TEXT);"
					  "CREATE INDEX t_name ON t(name);"
					  "CREATE VIEW v AS SELECT id, qty FROM t;"
					  "CREATE TRIGGER tr AFTER DELETE ON t BEGIN SELECT 1; END;");
	const char *b = tu_db("rows_b",
			      "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE,"
			      " flag INT NOT NULL DEFAULT 1, qty INTEGER CHECK (qty >= 0));"
			      "CREATE INDEX t_name ON t(name DESC);"
			      "CREATE VIEW v AS SELECT id, qty FROM t;"
			      "CREATE VIEW v2 AS SELECT count(*) FROM v;"
			      "CREATE TRIGGER tr AFTER DELETE ON t BEGIN SELECT 1; END;");
	long before = tu_scalar(a, "SELECT sum(id * 3 + qty + length(name)) FROM t");
	char *plan = NULL;

	(void)state;
	assert_int_equal(tu_converge(a, b, &plan), 0);
	assert_non_null(strstr(plan, "ALTER TABLE \"t\" RENAME TO \"_schemad_old_t\""));
	assert_non_null(strstr(plan, "-- rebuild"));
	assert_non_null(strstr(plan, "PRAGMA foreign_key_check;"));
	assert_int_equal(tu_scalar(a, "SELECT count(*) FROM t"), 500);
	assert_int_equal(tu_scalar(a, "SELECT sum(id * 3 + qty + length(name)) FROM t"), before);
	assert_int_equal(tu_scalar(a, "SELECT count(*) FROM t WHERE flag = 1"), 500);
	assert_int_equal(tu_scalar(a, "SELECT count(*) FROM v2"), 1);
	free(plan);
}

static void
test_sqlite__plan_uses_alter_where_sqlite_can(void **state)
{
	const char *a = rows_db("alter_a", "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, qty INT,"
					   " junk TEXT);");
	const char *b = tu_db("alter_b", "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, qty INT,"
					 " note TEXT DEFAULT 'n/a', n2 INT NOT NULL DEFAULT 0);");
	char *plan = NULL;

	(void)state;
	assert_int_equal(tu_converge(a, b, &plan), 0);
	assert_non_null(strstr(plan, "ADD COLUMN note TEXT DEFAULT 'n/a'"));
	assert_non_null(strstr(plan, "DROP COLUMN \"junk\""));
	assert_null(strstr(plan, "-- rebuild"));
	assert_int_equal(tu_scalar(a, "SELECT count(*) FROM t WHERE note = 'n/a'"), 500);
	free(plan);
}

static void
test_sqlite__plan_that_cannot_keep_rows_fails_whole(void **state)
{
	/* A NOT NULL column without default cannot be filled: the copy fails, nothing changes. */
	const char *a = rows_db("fail_a", "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, qty INT);");
	const char *b = tu_db("fail_b", "CREATE TABLE t(id INTEGER PRIMARY KEY, must TEXT NOT NULL,"
					" name TEXT, qty INT);");
	sd_schema *sa = tu_load(a), *sb = tu_load(b);
	sd_diff *d = sd_diff_schemas(sa, sb, &sd_lite_dialect);
	sd_err err = {0};
	sd_str plan;
	sqlite3 *db;

	(void)state;
	sd_str_init(&plan);
	assert_int_equal(sd_lite_dialect.plan(&plan, d, NULL, &err), SD_OK);
	assert_int_equal(sqlite3_open(a, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, plan.ptr, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db); /* closing rolls the open transaction back */
	assert_int_equal(tu_scalar(a, "SELECT count(*) FROM t"), 500);
	assert_int_equal(tu_scalar(a, "SELECT count(*) FROM pragma_table_info('t')"), 3);
	sd_str_dispose(&plan);
	sd_diff_free(d);
	sd_schema_free(sa);
	sd_schema_free(sb);
}

static void
test_sqlite__plan_orders_views_by_dependency(void **state)
{
	const char *a = tu_db("views_a", "CREATE TABLE t(a INT, b INT);");
	/* created out of name order: v_top depends on v_mid depends on a_base */
	const char *b = tu_db("views_b", "CREATE TABLE t(a INT, b INT);"
					 "CREATE VIEW a_base AS SELECT a FROM t;"
					 "CREATE VIEW v_mid AS SELECT a FROM a_base;"
					 "CREATE VIEW b_top AS SELECT a FROM v_mid;");
	char *plan = NULL;

	(void)state;
	assert_int_equal(tu_converge(a, b, &plan), 0);
	assert_true(strstr(plan, "VIEW a_base") < strstr(plan, "VIEW v_mid"));
	assert_true(strstr(plan, "VIEW v_mid") < strstr(plan, "VIEW b_top"));
	free(plan);
	/* and back: drops go dependents first */
	assert_int_equal(tu_converge(b, tu_db("views_c", "CREATE TABLE t(a INT, b INT);"), &plan), 0);
	assert_true(strstr(plan, "\"b_top\"") < strstr(plan, "\"v_mid\""));
	assert_true(strstr(plan, "\"v_mid\"") < strstr(plan, "\"a_base\""));
	free(plan);
}

static void
test_sqlite__plan_is_empty_without_drift(void **state)
{
	const char *a = tu_db("same_a", HOSTILE_B), *b = tu_db("same_b", HOSTILE_B);
	char *plan = NULL;

	(void)state;
	assert_int_equal(tu_converge(a, b, &plan), 0);
	assert_string_equal(plan, "");
	free(plan);
}

/* Pairs that once broke the plan (found by review and a convergence fuzzer). */
static void
test_sqlite__plan_edge_cases_converge(void **state)
{
	static const char *const pairs[][2] = {
		/* an index name moves from one rebuilt table to another */
		{"CREATE TABLE a(x, y); CREATE TABLE z(x, y); CREATE INDEX ix ON z(x);",
		 "CREATE TABLE a(x NOT NULL, y); CREATE TABLE z(x NOT NULL, y); CREATE INDEX ix ON a(x);"},
		/* every column replaced: SQLite refuses to drop the last one */
		{"CREATE TABLE t(a);", "CREATE TABLE t(b);"},
		/* stored SQL ending in a line comment must not swallow the ";" */
		{"CREATE TABLE t(a);",
		 "CREATE TABLE t(a); CREATE VIEW v AS SELECT a FROM t -- trailing\n;"
		 "CREATE INDEX i ON t(a) -- c\n; CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END -- x\n;"},
		/* the rebuild's temporary name is taken by a view */
		{"CREATE TABLE t(a); CREATE VIEW _schemad_old_t AS SELECT 1;",
		 "CREATE TABLE t(a NOT NULL); CREATE VIEW _schemad_old_t AS SELECT 1;"},
	};
	char name[32];

	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(*pairs); i++) {
		snprintf(name, sizeof(name), "edge_a%zu", i);
		const char *a = tu_db(name, pairs[i][0]);
		snprintf(name, sizeof(name), "edge_b%zu", i);
		assert_int_equal(tu_converge(a, tu_db(name, pairs[i][1]), NULL), 0);
	}
}

static void
test_sqlite__plan_keeps_values_of_a_formerly_generated_column(void **state)
{
	const char *a = tu_db("gen_a", "CREATE TABLE t(a INT, b INT AS (a * 2)); INSERT INTO t(a) VALUES (5);");
	const char *b = tu_db("gen_b", "CREATE TABLE t(a INT, b INT);");

	(void)state;
	assert_int_equal(tu_converge(a, b, NULL), 0);
	assert_int_equal(tu_scalar(a, "SELECT b FROM t"), 10);
}

/*
 * A virtual table cannot be rebuilt: the plan drops and recreates it, and
 * the rows an FTS table holds go with it. The risk says so (critical, like
 * table.drop), never "every row copied" at a medium score the default gate
 * of a pipeline that allows medium would let through.
 */
static void
test_sqlite__plan_virtual_table_recreate_is_critical(void **state)
{
	const char *a = tu_db("vt_a", "CREATE VIRTUAL TABLE docs USING fts5(title, body);"
				      "INSERT INTO docs VALUES ('t', 'hello');");
	const char *b = tu_db("vt_b", "CREATE VIRTUAL TABLE docs USING fts5(title, body, tags);");
	sd_schema *sa = tu_load(a), *sb = tu_load(b);
	sd_diff *d = sd_diff_schemas(sa, sb, &sd_lite_dialect);
	bool lost = false;

	(void)state;
	assert_int_equal(d->n_changes, 1);
	assert_true(d->changes[0].risk >= 81);
	for (size_t i = 0; i < d->changes[0].n_reasons; i++) {
		assert_null(strstr(d->changes[0].reasons[i], "every row copied"));
		lost = lost || strstr(d->changes[0].reasons[i], "are lost");
	}
	assert_true(lost);
	sd_diff_free(d);
	sd_schema_free(sa);
	sd_schema_free(sb);
}

/*
 * The applier refuses a statement that would end its transaction before it
 * runs: END TRANSACTION found only after it ran had committed what came
 * before it, while the summary said "rolled back, nothing applied".
 */
static void
test_sqlite__apply_refuses_ending_the_transaction(void **state)
{
	static const char *const enders[] = {"END TRANSACTION", "COMMIT TRANSACTION", "ROLLBACK"};
	char name[32], plan[256], url_text[4200];

	(void)state;
	for (size_t i = 0; i < sizeof(enders) / sizeof(*enders); i++) {
		sd_apply_result res;
		sd_err err = {0};
		sd_url url;
		snprintf(name, sizeof(name), "ender%zu", i);
		const char *a = tu_db(name, "CREATE TABLE t(a); INSERT INTO t VALUES (1);");
		snprintf(plan, sizeof(plan),
			 "BEGIN;\nCREATE TABLE early(x);\n%s;\nDROP TABLE t;\nCOMMIT;\n", enders[i]);
		snprintf(url_text, sizeof(url_text), "sqlite://%s", a);
		assert_int_equal(sd_url_parse(&url, url_text, &err), SD_OK);
		assert_int_not_equal(sd_lite_engine.apply(&url, plan, &(sd_apply_opts){0}, &res, &err),
				     SD_OK);
		assert_non_null(strstr(err.msg, "may not begin, commit or roll back"));
		assert_int_equal(tu_scalar(a, "SELECT count(*) FROM sqlite_master WHERE name = 'early'"), 0);
		assert_int_equal(tu_scalar(a, "SELECT count(*) FROM t"), 1);
		sd_url_dispose(&url);
	}
}

static void
test_sqlite__read_never_writes(void **state)
{
	const char *a = tu_db("ro", HOSTILE_B);
	struct stat before, after;
	sd_schema *s;

	(void)state;
	assert_int_equal(stat(a, &before), 0);
	sleep(1);
	s = tu_load(a);
	sd_schema_free(s);
	assert_int_equal(stat(a, &after), 0);
	assert_int_equal(before.st_mtime, after.st_mtime);
	assert_int_equal(before.st_size, after.st_size);
}

static void
test_sqlite__read_errors_name_the_reason(void **state)
{
	sd_schema *s = NULL;
	sd_err err = {0};
	FILE *f;

	(void)state;
	assert_int_equal(sd_lite_introspect(&s, "/nonexistent/dir/x.db", 5000, &err), SD_ECONNECT);
	assert_null(s);
	assert_non_null(strstr(err.msg, "unable to open"));
	assert_int_equal(access("/nonexistent/dir/x.db", F_OK), -1);
	f = fopen("/tmp/schemad-not-a-db.txt", "w");
	assert_non_null(f);
	fputs("this is not a database, just text that is long enough to be read as a header\n", f);
	fclose(f);
	assert_int_equal(sd_lite_introspect(&s, "/tmp/schemad-not-a-db.txt", 5000, &err), SD_ECONNECT);
	assert_non_null(strstr(err.msg, "not a database"));
	unlink("/tmp/schemad-not-a-db.txt");
}

static int
teardown(void **state)
{
	(void)state;
	tu_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqlite__canon_expressions),
		cmocka_unit_test(test_sqlite__quote_identifiers),
		cmocka_unit_test(test_sqlite__quote_hostile_names_end_to_end),
		cmocka_unit_test(test_sqlite__plan_rebuild_keeps_every_row),
		cmocka_unit_test(test_sqlite__plan_uses_alter_where_sqlite_can),
		cmocka_unit_test(test_sqlite__plan_that_cannot_keep_rows_fails_whole),
		cmocka_unit_test(test_sqlite__plan_orders_views_by_dependency),
		cmocka_unit_test(test_sqlite__plan_is_empty_without_drift),
		cmocka_unit_test(test_sqlite__plan_edge_cases_converge),
		cmocka_unit_test(test_sqlite__plan_keeps_values_of_a_formerly_generated_column),
		cmocka_unit_test(test_sqlite__plan_virtual_table_recreate_is_critical),
		cmocka_unit_test(test_sqlite__apply_refuses_ending_the_transaction),
		cmocka_unit_test(test_sqlite__read_never_writes),
		cmocka_unit_test(test_sqlite__read_errors_name_the_reason),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
