/*
 * tests/unit/test_diff.c: the differ, on models read from real SQLite files.
 *
 * Test organisation:
 *   diff__same_*        no false drift for equal or equivalently spelled schemas
 *   diff__detects_*     each kind of change, with its risk band
 *   diff__merge_*       merge walk over many tables, deterministic order
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

static sd_diff *
diff_sql(const char *a_sql, const char *b_sql, sd_schema **a, sd_schema **b)
{
	*a = tu_load(tu_db("a", a_sql));
	*b = tu_load(tu_db("b", b_sql));
	return sd_diff_schemas(*a, *b, &sd_lite_dialect);
}

static void
expect_changes(const char *a_sql, const char *b_sql, size_t n)
{
	sd_schema *a, *b;
	sd_diff *d = diff_sql(a_sql, b_sql, &a, &b);

	if (d->n_changes != n) {
		for (size_t i = 0; i < d->n_changes; i++)
			print_error("  change: %s\n", d->changes[i].kind);
		print_error("expected %zu changes, got %zu\n", n, d->n_changes);
		sd_diff_free(d);
		fail();
	}
	sd_diff_free(d);
	sd_schema_free(a);
	sd_schema_free(b);
}

/* A schema built in memory with the readers' own table builder, no engine involved. */
static sd_schema *
memory_schema(const char *const *columns, size_t n)
{
	sd_schema *s = sd_schema_new("test");
	sd_table_parts parts = {0};
	sd_table *t;

	s->tables = t = sd_arena_alloc(&s->arena, sizeof(*t));
	s->n_tables = 1;
	memset(t, 0, sizeof(*t));
	t->schema = "";
	t->name = "users";
	for (size_t i = 0; i < n; i++)
		sd_vec_push(&parts.cols, ((sd_column){.name = columns[i], .type = "text",
						      .position = (int)i + 1}));
	sd_table_parts_move(&parts, t, &s->arena);
	sd_schema_sort(s);
	return s;
}

static void
test_diff__detects_in_memory_models(void **state)
{
	static const char *const before[] = {"id", "email"}, *const after[] = {"id", "email", "phone"};
	sd_schema *a = memory_schema(before, 2), *b = memory_schema(after, 3);
	sd_diff *d = sd_diff_schemas(a, b, NULL);

	(void)state;
	assert_int_equal(d->n_changes, 1);
	assert_string_equal(d->changes[0].kind, "column.add");
	assert_string_equal(((const sd_column *)d->changes[0].new_item)->name, "phone");
	sd_diff_free(d);
	d = sd_diff_schemas(b, b, NULL);
	assert_int_equal(d->n_changes, 0);
	sd_diff_free(d);
	sd_schema_free(a);
	sd_schema_free(b);
}

/* s with table t: column a int, constraint c and index ix, whose one key is column a. */
static sd_schema *
one_table(sd_schema *s, sd_constraint c, sd_index ix)
{
	sd_table_parts parts = {0};
	sd_index_key *key = sd_arena_alloc(&s->arena, sizeof(*key));
	sd_table *t;

	memset(key, 0, sizeof(*key));
	key->column = "a";
	ix.keys = key;
	ix.n_keys = 1;
	s->tables = t = sd_arena_alloc(&s->arena, sizeof(*t));
	s->n_tables = 1;
	memset(t, 0, sizeof(*t));
	t->schema = "";
	t->name = "t";
	sd_vec_push(&parts.cols, ((sd_column){.name = "a", .type = "int", .position = 1}));
	sd_vec_push(&parts.cons, c);
	sd_vec_push(&parts.idx, ix);
	sd_table_parts_move(&parts, t, &s->arena);
	sd_table_parts_dispose(&parts);
	sd_schema_sort(s);
	return s;
}

/*
 * Table t with one CHECK chk (expr) and one index i on (a), each
 * with the given "form" property (NULL: none), built in memory.
 */
static sd_schema *
form_schema(const char *check_expr, const char *check_form, const char *index_form)
{
	sd_schema *s = sd_schema_new("test");
	sd_constraint c = {.type = SD_CON_CHECK, .name = "chk", .expr = check_expr};
	sd_index ix = {.name = "i"};

	if (check_form)
		sd_props_set(&s->arena, &c.props, "form", check_form);
	if (index_form)
		sd_props_set(&s->arena, &ix.props, "form", index_form);
	return one_table(s, c, ix);
}

/* How a constraint or index was written is a cosmetic change of its own, never silence. */
static void
test_diff__detects_form_as_cosmetic(void **state)
{
	sd_schema *a = form_schema("a > 0", "on column a", NULL);
	sd_schema *b = form_schema("a > 0", NULL, "USING BTREE");
	sd_schema *c = form_schema("a > 1", NULL, NULL);
	sd_diff *d = sd_diff_schemas(a, b, NULL);
	sd_filter ignore_form = {.ignore = (const char *const[]){"form"}, .n_ignore = 1};

	(void)state;
	assert_int_equal(d->n_changes, 2);
	assert_string_equal(d->changes[0].kind, "check.form");
	assert_string_equal(d->changes[0].property, "form");
	assert_string_equal(d->changes[1].kind, "index.form");
	assert_int_equal(d->score, 0);
	assert_int_equal(sd_risk_band(d->score), SD_BAND_NONE);
	sd_diff_apply_filter(d, &ignore_form);
	assert_int_equal(d->n_changes, 0);
	sd_diff_free(d);
	/* a change of meaning as well: one check.alter, scored as without the form */
	d = sd_diff_schemas(a, c, NULL);
	assert_int_equal(d->n_changes, 1);
	assert_string_equal(d->changes[0].kind, "check.alter");
	assert_int_equal(d->changes[0].risk, sd_risk_rule_find("check.alter")->score);
	sd_diff_free(d);
	sd_schema_free(a);
	sd_schema_free(b);
	sd_schema_free(c);
}

/* Table t with a primary key pk whose index has the given comment and reloptions (NULL: none). */
static sd_schema *
key_index_schema(const char *comment, const char *reloptions)
{
	sd_schema *s = sd_schema_new("test");
	const char **cols = sd_arena_alloc(&s->arena, sizeof(*cols));
	sd_constraint c = {.type = SD_CON_PRIMARY, .name = "pk", .expr = "PRIMARY KEY (a)",
			   .columns = cols, .n_columns = 1};
	sd_index ix = {.name = "pk", .unique = true, .constraint_backed = true};

	cols[0] = "a";
	if (comment)
		sd_props_set(&s->arena, &ix.props, "comment", comment);
	if (reloptions)
		sd_props_set(&s->arena, &ix.props, "reloptions", reloptions);
	return one_table(s, c, ix);
}

/* A key's index is compared through its key, but for its comment and storage parameters. */
static void
test_diff__detects_key_index_comment_and_options(void **state)
{
	sd_schema *a = key_index_schema("old", "fillfactor=80");
	sd_schema *b = key_index_schema("new", NULL);
	sd_schema *c = key_index_schema("old", "fillfactor=80");
	sd_diff *d = sd_diff_schemas(a, b, NULL);

	(void)state;
	assert_int_equal(d->n_changes, 2);
	assert_string_equal(d->changes[0].kind, "index.comment");
	assert_string_equal(d->changes[0].property, "comment");
	assert_string_equal(d->changes[1].kind, "index.option");
	assert_string_equal(d->changes[1].property, "reloptions");
	assert_int_equal(d->score, sd_risk_rule_find("index.option")->score);
	sd_diff_free(d);
	d = sd_diff_schemas(a, c, NULL);
	assert_int_equal(d->n_changes, 0);
	sd_diff_free(d);
	sd_schema_free(a);
	sd_schema_free(b);
	sd_schema_free(c);
}

static void
test_diff__same_schema_twice_has_no_drift(void **state)
{
	(void)state;
	expect_changes("CREATE TABLE t(a INT PRIMARY KEY, b TEXT UNIQUE); CREATE INDEX i ON t(b);",
		       "CREATE TABLE t(a INT PRIMARY KEY, b TEXT UNIQUE); CREATE INDEX i ON t(b);", 0);
}

static void
test_diff__same_ignores_spelling(void **state)
{
	(void)state;
	/* case, quotes, spacing, default parentheses, == vs = */
	expect_changes("CREATE TABLE Users(ID integer, Name VARCHAR (10) DEFAULT (0), CHECK(id==1));"
		       "CREATE VIEW V AS SELECT ID FROM Users WHERE id<>2;",
		       "CREATE TABLE \"users\"(id INTEGER, name varchar(10) DEFAULT 0, CHECK (id = 1));"
		       "CREATE VIEW v AS select id   from users where ID != 2;",
		       0);
	/* auto-named UNIQUE indexes match by definition whatever their number */
	expect_changes("CREATE TABLE t(a UNIQUE, b UNIQUE);",
		       "CREATE TABLE t(a, b, UNIQUE(b), UNIQUE(a));", 0);
	/* REFERENCES p means p's primary key */
	expect_changes("CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(x REFERENCES p);",
		       "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(x REFERENCES p(id));",
		       0);
}

static void
expect_kind(const char *a_sql, const char *b_sql, const char *kind, sd_band band)
{
	sd_schema *a, *b;
	sd_diff *d = diff_sql(a_sql, b_sql, &a, &b);
	const sd_change *c = tu_find_kind(d, kind);

	if (!c) {
		for (size_t i = 0; i < d->n_changes; i++)
			print_error("  change: %s\n", d->changes[i].kind);
		print_error("no %s change\n", kind);
		fail();
	}
	assert_int_equal(sd_risk_band(c->risk), band);
	assert_true(c->n_reasons >= 1);
	assert_true(d->score >= c->risk);
	sd_diff_free(d);
	sd_schema_free(a);
	sd_schema_free(b);
}

static void
test_diff__detects_each_change_with_its_band(void **state)
{
	(void)state;
	expect_kind("CREATE TABLE t(a);", "CREATE TABLE t(a); CREATE TABLE u(b);", "table.add",
		    SD_BAND_LOW);
	expect_kind("CREATE TABLE t(a); CREATE TABLE u(b);", "CREATE TABLE t(a);", "table.drop",
		    SD_BAND_CRITICAL);
	expect_kind("CREATE TABLE t(a);", "CREATE TABLE t(a, b TEXT);", "column.add", SD_BAND_LOW);
	expect_kind("CREATE TABLE t(a, b);", "CREATE TABLE t(a);", "column.drop", SD_BAND_HIGH);
	expect_kind("CREATE TABLE t(a, b NOT NULL);", "CREATE TABLE t(b NOT NULL, a);",
		    "column.order", SD_BAND_MEDIUM); /* 10 + the SQLite rebuild cost */
	expect_kind("CREATE TABLE t(a varchar(10));", "CREATE TABLE t(a varchar(5));",
		    "column.type_narrow", SD_BAND_HIGH);
	expect_kind("CREATE TABLE t(a varchar(10));", "CREATE TABLE t(a varchar(50));",
		    "column.type_widen", SD_BAND_MEDIUM);
	expect_kind("CREATE TABLE t(a);", "CREATE TABLE t(a NOT NULL);", "column.set_not_null",
		    SD_BAND_HIGH);
	expect_kind("CREATE TABLE t(a DEFAULT 1);", "CREATE TABLE t(a DEFAULT 2);", "column.default",
		    SD_BAND_MEDIUM);
	expect_kind("CREATE TABLE t(a TEXT);", "CREATE TABLE t(a TEXT COLLATE NOCASE);",
		    "column.collation", SD_BAND_MEDIUM);
	expect_kind("CREATE TABLE t(a PRIMARY KEY, b);", "CREATE TABLE t(a, b, PRIMARY KEY(a, b));",
		    "primary_key.alter", SD_BAND_CRITICAL);
	expect_kind("CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE t(a REFERENCES p(id));",
		    "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE t(a);", "foreign_key.drop",
		    SD_BAND_CRITICAL);
	expect_kind("CREATE TABLE t(a); CREATE INDEX i ON t(a);", "CREATE TABLE t(a);", "index.drop",
		    SD_BAND_HIGH);
	expect_kind("CREATE TABLE t(a); CREATE INDEX i ON t(a);",
		    "CREATE TABLE t(a); CREATE INDEX i ON t(a DESC);", "index.alter", SD_BAND_HIGH);
	expect_kind("CREATE TABLE t(a);", "CREATE TABLE t(a CHECK (a > 0));", "check.add",
		    SD_BAND_MEDIUM);
	expect_kind("CREATE TABLE t(a); CREATE VIEW v AS SELECT 1;",
		    "CREATE TABLE t(a); CREATE VIEW v AS SELECT 2;", "view.alter", SD_BAND_MEDIUM);
	expect_kind("CREATE TABLE t(a INT);", "CREATE TABLE t(a INT) STRICT;", "table.option",
		    SD_BAND_MEDIUM);
}

static void
test_diff__detects_rebuild_cost_only_when_sqlite_must_rebuild(void **state)
{
	sd_schema *a, *b;
	sd_diff *d = diff_sql("CREATE TABLE t(a);", "CREATE TABLE t(a, b DEFAULT CURRENT_TIMESTAMP, c);",
			      &a, &b);

	(void)state;
	assert_int_equal(d->n_changes, 2);
	/* b: ADD COLUMN cannot take a non-constant default -> rebuild cost; c: plain ADD */
	assert_int_equal(d->changes[0].n_reasons, 2);
	assert_int_equal(d->changes[1].n_reasons, 1);
	assert_int_equal(d->changes[1].risk, sd_risk_rule_find("column.add")->score);
	sd_diff_free(d);
	sd_schema_free(a);
	sd_schema_free(b);
}

static void
test_diff__merge_walk_over_many_tables(void **state)
{
	sd_str a, b;
	sd_schema *sa, *sb;
	sd_diff *d;

	(void)state;
	sd_str_init(&a);
	sd_str_init(&b);
	for (int i = 0; i < 1000; i++) {
		sd_str_appendf(&a, "CREATE TABLE t%04d(id INTEGER PRIMARY KEY, v TEXT);", i);
		if (i % 10)
			sd_str_appendf(&b, "CREATE TABLE t%04d(id INTEGER PRIMARY KEY, v TEXT);", i);
		else
			sd_str_appendf(&b, "CREATE TABLE x%04d(id INTEGER PRIMARY KEY);", i);
	}
	d = diff_sql(a.ptr, b.ptr, &sa, &sb);
	assert_int_equal(tu_count_kind(d, "table.drop"), 100);
	assert_int_equal(tu_count_kind(d, "table.add"), 100);
	assert_int_equal(d->n_changes, 200);
	/* deterministic order: drops of t* come before adds of x* (merge order by name) */
	assert_string_equal(d->changes[0].kind, "table.drop");
	assert_string_equal(((const sd_table *)d->changes[0].old_item)->name, "t0000");
	assert_string_equal(d->changes[199].kind, "table.add");
	sd_diff_free(d);
	sd_schema_free(sa);
	sd_schema_free(sb);
	sd_str_dispose(&a);
	sd_str_dispose(&b);
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
		cmocka_unit_test(test_diff__same_schema_twice_has_no_drift),
		cmocka_unit_test(test_diff__detects_in_memory_models),
		cmocka_unit_test(test_diff__detects_form_as_cosmetic),
		cmocka_unit_test(test_diff__detects_key_index_comment_and_options),
		cmocka_unit_test(test_diff__same_ignores_spelling),
		cmocka_unit_test(test_diff__detects_each_change_with_its_band),
		cmocka_unit_test(test_diff__detects_rebuild_cost_only_when_sqlite_must_rebuild),
		cmocka_unit_test(test_diff__merge_walk_over_many_tables),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
