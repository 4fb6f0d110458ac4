/*
 * tests/integration/mysql/unit_mysql.c: the MySQL connector's pure parts,
 * no server needed (the live paths are in corpus.sh and features.sh).
 *
 * Test organisation:
 *   mysql__url_*      source URLs: fields, escapes, errors without the password
 *   mysql__canon_*    one spelling for MariaDB's and MySQL's catalog text
 *   mysql__quote_*    identifiers and string literals in generated SQL
 *   mysql__plan_*     column order by FIRST/AFTER, one ALTER per table, column CHECKs
 */
#include "connectors/mysql/my_internal.h"
#include "connectors/sd_source.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

/* text through the URL layer into the connector's settings, default timeouts */
static int
url_from(my_url *u, const char *text, sd_err *err)
{
	static const sd_conn_opts defaults = SD_CONN_OPTS_DEFAULT;
	sd_url parsed;
	int rc;

	if ((rc = sd_url_parse(&parsed, text, err)))
		return rc;
	rc = sd_my__url_from(u, &parsed, &defaults, true, err);
	sd_url_dispose(&parsed);
	return rc;
}

static void
test_mysql__url_fields(void **state)
{
	my_url u;
	sd_err err = {0};

	(void)state;
	assert_int_equal(url_from(&u,
				  "mysql://app%40x:p%3Ass@w@db.example:3307/shop%2Dprod"
				  "?socket=/run/my.sock&ssl-mode=verify-ca&statement-timeout=7",
				  &err),
			 SD_OK);
	assert_string_equal(u.user, "app@x");
	assert_string_equal(u.password, "p:ss@w"); /* the last '@' ends the user info */
	assert_string_equal(u.host, "db.example");
	assert_int_equal(u.port, 3307);
	assert_string_equal(u.db, "shop-prod");
	assert_string_equal(u.socket, "/run/my.sock");
	assert_string_equal(u.ssl_mode, "verify-ca");
	assert_int_equal(u.timeouts.statement_timeout_ms, 7000); /* the URL's own wins */
	assert_int_equal(u.timeouts.connect_timeout_ms, 10000);
	assert_int_equal(u.timeouts.lock_timeout_ms, 2000);
	sd_my__url_dispose(&u);

	assert_int_equal(url_from(&u, "mariadb://localhost/db", &err), SD_OK);
	assert_null(u.user);
	assert_null(u.password);
	assert_int_equal(u.port, 0);
	sd_my__url_dispose(&u);
}

static void
test_mysql__url_errors_hide_password(void **state)
{
	static const char *const bad[] = {
		"mysql://root:hunter2@host",              /* no database */
		"mysql://root:hunter2@host:99999/db",     /* port out of range */
		"mysql://root:hunter2@host/db?bogus=1",   /* unknown parameter */
		"mysql://root:hunter2@host/db?statement-timeout=soon",
		"mysql://root:hunter2@host/",
		"mysql://root:hunter2%zz@host/db",        /* bad escape */
	};
	sd_schema *s;

	(void)state;
	/* each fails before connecting; the dispatcher names the URL, redacted */
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		sd_err err = {0};
		assert_int_equal(sd_source_load(&s, bad[i], NULL, &err), SD_ECONFIG);
		assert_null(s);
		assert_null(strstr(err.msg, "hunter2"));
		assert_non_null(strstr(err.msg, "root:***@host"));
	}
}

static void
test_mysql__canon_types(void **state)
{
	sd_arena a;

	(void)state;
	sd_arena_init(&a);
	assert_string_equal(sd_my__canon_type(&a, "int(11)"), "int");
	assert_string_equal(sd_my__canon_type(&a, "bigint(20) unsigned"), "bigint unsigned");
	assert_string_equal(sd_my__canon_type(&a, "tinyint(1)"), "tinyint(1)");
	assert_string_equal(sd_my__canon_type(&a, "tinyint(4)"), "tinyint");
	assert_string_equal(sd_my__canon_type(&a, "int(5) unsigned zerofill"),
			    "int(5) unsigned zerofill");
	assert_string_equal(sd_my__canon_type(&a, "year(4)"), "year");
	assert_string_equal(sd_my__canon_type(&a, "varchar(10)"), "varchar(10)");
	assert_string_equal(sd_my__canon_type(&a, "enum('a','b')"), "enum('a','b')");
	sd_arena_dispose(&a);
}

static void
test_mysql__canon_defaults(void **state)
{
	sd_arena a;

	(void)state;
	sd_arena_init(&a);
	/* MariaDB: quoted literals, 'NULL' for DEFAULT NULL, current_timestamp(). */
	assert_null(sd_my__canon_default(&a, "NULL", "varchar", "", true, NULL));
	assert_null(sd_my__canon_default(&a, NULL, "int", "", true, NULL));
	assert_string_equal(sd_my__canon_default(&a, "'abc'", "varchar", "", true, NULL), "'abc'");
	assert_string_equal(sd_my__canon_default(&a, "'0'", "int", "", true, NULL), "0");
	assert_string_equal(sd_my__canon_default(&a, "10.00", "decimal", "", true, NULL), "10.00");
	assert_string_equal(sd_my__canon_default(&a, "current_timestamp()", "timestamp", "", true, NULL),
			    "current_timestamp()");
	/* MySQL 8: raw literals, expressions flagged DEFAULT_GENERATED. */
	assert_string_equal(sd_my__canon_default(&a, "abc", "varchar", "", false, NULL), "'abc'");
	assert_string_equal(sd_my__canon_default(&a, "it's", "varchar", "", false, NULL), "'it''s'");
	assert_string_equal(sd_my__canon_default(&a, "0", "int", "", false, NULL), "0");
	assert_string_equal(sd_my__canon_default(&a, "CURRENT_TIMESTAMP", "timestamp",
						 "DEFAULT_GENERATED", false, NULL),
			    "current_timestamp()");
	assert_string_equal(sd_my__canon_default(&a, "CURRENT_TIMESTAMP(3)", "datetime",
						 "DEFAULT_GENERATED", false, NULL),
			    "current_timestamp(3)");
	assert_string_equal(sd_my__canon_default(&a, "(uuid())", "varchar", "DEFAULT_GENERATED",
						 false, NULL),
			    "uuid()");
	/* MariaDB names the sequence a default reads with its database: the own one is removed. */
	assert_string_equal(sd_my__canon_default(&a, "nextval(`shop`.`ids`)", "int", "", true, "shop"),
			    "nextval(`ids`)");
	assert_string_equal(sd_my__canon_default(&a, "nextval(`x``shop`.`ids`)", "int", "", true,
						 "shop"),
			    "nextval(`x``shop`.`ids`)");
	assert_string_equal(sd_my__canon_default(&a, "nextval(`other`.`ids`)", "int", "", true, "shop"),
			    "nextval(`other`.`ids`)");
	assert_string_equal(sd_my__canon_default(&a, "'`shop`.x'", "varchar", "", true, "shop"),
			    "'`shop`.x'");
	assert_string_equal(sd_my__canon_default(&a, "concat('`shop`.', `shop`.`f`())", "varchar", "",
						 true, "shop"),
			    "concat('`shop`.', `f`())");
	sd_arena_dispose(&a);
}

static void
test_mysql__canon_on_update_and_expressions(void **state)
{
	sd_arena a;

	(void)state;
	sd_arena_init(&a);
	assert_string_equal(sd_my__on_update(&a, "on update current_timestamp(3)"),
			    "current_timestamp(3)");
	assert_string_equal(sd_my__on_update(&a, "DEFAULT_GENERATED on update CURRENT_TIMESTAMP"),
			    "current_timestamp()");
	assert_null(sd_my__on_update(&a, "auto_increment"));
	assert_string_equal(sd_my__canon_expr(&a, "(`a` > 0)", NULL), "`a` > 0");
	/* (a) + (b) is not wrapped as a whole: its parentheses stay. */
	assert_string_equal(sd_my__canon_expr(&a, "(`a`) + (`b`)", NULL), "(`a`) + (`b`)");
	/* MySQL 8 CHECK_CLAUSE: escaped quotes, charset introducer. */
	assert_string_equal(sd_my__canon_expr(&a, "(`c` = _utf8mb4\\'x\\')", NULL), "`c` = 'x'");
	assert_string_equal(sd_my__canon_expr(&a, "(`c` in (_utf8mb4\\'a\\',_latin1\\'b_c\\'))", NULL),
			    "`c` in ('a','b_c')");
	/* MariaDB text keeps its own escapes: a bare quote means nothing is escaped. */
	assert_string_equal(sd_my__canon_expr(&a, "`c` <> 'it\\'s'", NULL), "`c` <> 'it\\'s'");
	/* View text: the database's own qualifier goes, others stay. */
	assert_string_equal(sd_my__canon_expr(&a, "select `d1`.`t`.`id` from `d1`.`t` join `o`.`u`",
					      "d1"),
			    "select `t`.`id` from `t` join `o`.`u`");
	/* a qualifier-like text inside a literal is data, not a name */
	assert_string_equal(sd_my__canon_expr(&a, "'`d1`.x'", "d1"), "'`d1`.x'");
	sd_arena_dispose(&a);
}

static void
test_mysql__quote_identifiers_and_strings(void **state)
{
	sd_str s;

	(void)state;
	sd_str_init(&s);
	sd_my_quote_ident(&s, "a`; DROP TABLE x; --");
	assert_string_equal(s.ptr, "`a``; DROP TABLE x; --`");
	sd_str_clear(&s);
	sd_my__quote_string(&s, "it's \\ done");
	assert_string_equal(s.ptr, "'it''s \\\\ done'");
	sd_str_dispose(&s);
}

/* A table with columns names[] (type int), in order, into schema s. */
static void
add_table(sd_schema *s, const char *name, const char *const *cols, size_t n)
{
	sd_table *t;

	s->tables = sd_arena_alloc(&s->arena, sizeof(*t));
	s->n_tables = 1;
	t = &s->tables[0];
	t->schema = "";
	t->name = name;
	t->columns = sd_arena_alloc(&s->arena, n * sizeof(*t->columns));
	t->n_columns = n;
	for (size_t i = 0; i < n; i++) {
		t->columns[i].name = cols[i];
		t->columns[i].type = "int";
		t->columns[i].position = (int)i + 1;
	}
	sd_schema_sort(s);
}

static char *
plan_of(const char *const *a_cols, size_t na, const char *const *b_cols, size_t nb)
{
	sd_schema *a = sd_schema_new("mysql"), *b = sd_schema_new("mysql");
	sd_diff *d;
	sd_str out;
	sd_err err = {0};

	add_table(a, "t", a_cols, na);
	add_table(b, "t", b_cols, nb);
	d = sd_diff_schemas(a, b, &sd_my_dialect);
	sd_str_init(&out);
	assert_int_equal(sd_my_dialect.plan(&out, d, NULL, &err), SD_OK);
	sd_diff_free(d);
	sd_schema_free(a);
	sd_schema_free(b);
	return sd_str_detach(&out);
}

static void
test_mysql__plan_column_order(void **state)
{
	static const char *const a[] = {"a", "b", "c", "d"};
	static const char *const b[] = {"d", "a", "x", "c", "b"};
	char *plan = plan_of(a, 4, b, 5);

	(void)state;
	/* One statement; d moves first, x lands after a, c after x; b then is last already. */
	assert_non_null(strstr(plan, "ALTER TABLE `t`\n"
				     "  MODIFY COLUMN `d` int NULL FIRST,\n"
				     "  ADD COLUMN `x` int NULL AFTER `a`,\n"
				     "  MODIFY COLUMN `c` int NULL AFTER `x`;\n"));
	assert_null(strstr(plan, "`b` int"));
	free(plan);
}

static void
test_mysql__plan_nothing_to_do(void **state)
{
	static const char *const a[] = {"a", "b"};
	char *plan = plan_of(a, 2, a, 2);

	(void)state;
	assert_string_equal(plan, "");
	free(plan);
}

/* Table t (a int) of flavor, with CHECK (`a` > 0) written as form says (NULL: none, no CHECK). */
static sd_schema *
check_schema(const char *flavor, const char *form)
{
	static const char *const cols[] = {"a"};
	sd_schema *s = sd_schema_new("mysql");
	sd_constraint *c;

	sd_props_set(&s->arena, &s->props, "flavor", flavor);
	add_table(s, "t", cols, 1);
	if (!form)
		return s;
	c = sd_arena_alloc(&s->arena, sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->type = SD_CON_CHECK;
	c->name = strcmp(form, "table") == 0 ? "CONSTRAINT_1" : "a";
	c->name_generated = true;
	c->expr = "`a` > 0";
	if (strcmp(form, "table") != 0)
		sd_props_set(&s->arena, &c->props, "form", form);
	s->tables[0].constraints = c;
	s->tables[0].n_constraints = 1;
	sd_schema_sort(s);
	return s;
}

static char *
check_plan(const char *flavor, const char *form_a, const char *form_b)
{
	sd_schema *a = check_schema(flavor, form_a), *b = check_schema(flavor, form_b);
	sd_diff *d = sd_diff_schemas(a, b, &sd_my_dialect);
	sd_str out;
	sd_err err = {0};

	sd_str_init(&out);
	assert_int_equal(sd_my_dialect.plan(&out, d, NULL, &err), SD_OK);
	sd_diff_free(d);
	sd_schema_free(a);
	sd_schema_free(b);
	return sd_str_detach(&out);
}

/* MariaDB: a column's CHECK lives in its definition; MySQL keeps only the table's. */
static void
test_mysql__plan_column_check(void **state)
{
	char *plan;

	(void)state;
	plan = check_plan("mariadb", "table", "on column a");
	assert_non_null(strstr(plan, "ALTER TABLE `t`\n"
				     "  DROP CONSTRAINT `CONSTRAINT_1`,\n"
				     "  MODIFY COLUMN `a` int NULL CHECK (`a` > 0);\n"));
	free(plan);
	plan = check_plan("mariadb", "on column a", "table");
	assert_non_null(strstr(plan, "ALTER TABLE `t`\n"
				     "  MODIFY COLUMN `a` int NULL,\n"
				     "  ADD CHECK (`a` > 0);\n"));
	free(plan);
	plan = check_plan("mariadb", NULL, "on column a");
	assert_non_null(strstr(plan, "  MODIFY COLUMN `a` int NULL CHECK (`a` > 0);\n"));
	assert_null(strstr(plan, "ADD CHECK"));
	free(plan);
	/* MySQL: the column form cannot be kept; the CHECK is the table's */
	plan = check_plan("mysql", NULL, "on column a");
	assert_non_null(strstr(plan, "  ADD CHECK (`a` > 0);\n"));
	assert_null(strstr(plan, "MODIFY COLUMN"));
	free(plan);
}

/* TABLES rows (name, engine, collation, options, comment, type) for the sequence query. */
static void
tables_row(my_rows *rows, const char *name, const char *type)
{
	static const char *vals[8][6];
	my_row r = {0};
	const char **v = vals[rows->len];

	v[0] = name;
	v[1] = "InnoDB";
	v[5] = type;
	r.v = v;
	sd_vec_push(rows, r);
}

/* The one query of every sequence's options: quoted names, none without a sequence (MySQL). */
static void
test_mysql__sequence_options_query(void **state)
{
	my_rows rows = {0};
	sd_str sql;

	(void)state;
	sd_str_init(&sql);
	tables_row(&rows, "t", "BASE TABLE");
	tables_row(&rows, "v", "SYSTEM VERSIONED");
	sd_my__sequence_options_sql(&sql, &rows, "shop");
	assert_int_equal(sql.len, 0);
	tables_row(&rows, "s1", "SEQUENCE");
	tables_row(&rows, "we`ird 'q' ä", "SEQUENCE");
	sd_my__sequence_options_sql(&sql, &rows, "d`b");
	/* each row says which TABLES row it is: a number, never a literal lexed by sql_mode */
	assert_string_equal(sql.ptr,
			    "SELECT 2, start_value, increment, minimum_value, maximum_value, "
			    "cache_size, cycle_option FROM `d``b`.`s1` UNION ALL SELECT 3, "
			    "start_value, increment, minimum_value, maximum_value, cache_size, "
			    "cycle_option FROM `d``b`.`we``ird 'q' ä`");
	sd_str_dispose(&sql);
	sd_vec_dispose(&rows);
}

/* The definition read back: the reader's option list with integers, nothing else. */
static void
test_mysql__sequence_definition_parsed(void **state)
{
	my_sequence q;

	(void)state;
	assert_true(sd_my__parse_sequence(&q, "START WITH -5 INCREMENT BY -1 MINVALUE "
					      "-9223372036854775807 MAXVALUE -5 CACHE 0 CYCLE"));
	assert_string_equal(q.start, "-5");
	assert_string_equal(q.increment, "-1");
	assert_string_equal(q.min, "-9223372036854775807");
	assert_string_equal(q.max, "-5");
	assert_string_equal(q.cache, "0");
	assert_true(q.cycle);
	assert_true(sd_my__parse_sequence(&q, "START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE "
					      "9223372036854775806 CACHE 1000 NOCYCLE"));
	assert_false(q.cycle);
	assert_false(sd_my__parse_sequence(&q, NULL));
	assert_false(sd_my__parse_sequence(&q, "START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2 "
					       "CACHE 1 NOCYCLE "));
	assert_false(sd_my__parse_sequence(&q, "START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2 "
					       "CACHE 1 NO CYCLE"));
	assert_false(sd_my__parse_sequence(&q, "START WITH 1.5 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2 "
					       "CACHE 1 NOCYCLE"));
	assert_false(sd_my__parse_sequence(&q, "START WITH -- INCREMENT BY 1 MINVALUE 1 MAXVALUE 2 "
					       "CACHE 1 NOCYCLE"));
	assert_false(sd_my__parse_sequence(&q, "START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE "
					       "99999999999999999999999 CACHE 1 NOCYCLE"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mysql__url_fields),
		cmocka_unit_test(test_mysql__url_errors_hide_password),
		cmocka_unit_test(test_mysql__canon_types),
		cmocka_unit_test(test_mysql__canon_defaults),
		cmocka_unit_test(test_mysql__canon_on_update_and_expressions),
		cmocka_unit_test(test_mysql__quote_identifiers_and_strings),
		cmocka_unit_test(test_mysql__plan_column_order),
		cmocka_unit_test(test_mysql__plan_nothing_to_do),
		cmocka_unit_test(test_mysql__plan_column_check),
		cmocka_unit_test(test_mysql__sequence_options_query),
		cmocka_unit_test(test_mysql__sequence_definition_parsed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
