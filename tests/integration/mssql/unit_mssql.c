/*
 * tests/integration/mssql/unit_mssql.c: the SQL Server reader's pure parts.
 *
 * Test organisation:
 *   mssql__lex_*      batches (GO), comments, literals, unclosed input
 *   mssql__type_*     type names as SQL Server stores them
 *   mssql__expr_*     defaults, CHECKs and filters in stored form
 *   mssql__read_*     what a script means: defaults, keys, trust, renames
 *   mssql__error_*    input the reader refuses, with file:line
 *   mssql__plan_*     quoting and the shape of a plan
 */
#include "connectors/mssql/ms_internal.h"
#include "connectors/mssql/sd_mssql.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

static void
test_mssql__lex_batches_and_literals(void **state)
{
	ms_toks toks;
	int bad = 0;

	(void)state;
	assert_true(sd_ms__lex(&toks,
	                       "SELECT 'go' /* GO\n /* nested */ GO */ AS go\nGO\n"
	                       "  go 2 -- twice\nN'it''s' [a]]b] \"q\"",
	                       &bad));
	/* SELECT 'go' AS go GO go N'..' [..] ".." */
	assert_int_equal(toks.n, 9);
	assert_int_equal(toks.v[1].type, MT_STRING);
	assert_int_equal(toks.v[3].type, MT_WORD); /* go after AS is a name, not GO */
	assert_int_equal(toks.v[4].type, MT_GO);
	assert_int_equal(toks.v[4].line, 3);
	assert_int_equal(toks.v[5].type, MT_GO);
	assert_int_equal(toks.v[6].type, MT_STRING);
	assert_int_equal(toks.v[7].type, MT_QIDENT);
	free(toks.v);
	assert_false(sd_ms__lex(&toks, "SELECT 1\nSELECT 'never closed\n", &bad));
	assert_int_equal(bad, 2);
	free(toks.v);
	assert_false(sd_ms__lex(&toks, "/* /* */", &bad));
	free(toks.v);
}

static const char *
type_of(sd_arena *a, const char *text)
{
	ms_toks toks;
	int bad;
	const char *out;

	assert_true(sd_ms__lex(&toks, text, &bad));
	out = sd_ms__type(a, toks.v, 0, toks.n);
	free(toks.v);
	return out;
}

static void
test_mssql__type_synonyms_and_defaults(void **state)
{
	sd_arena a;

	(void)state;
	sd_arena_init(&a);
	assert_string_equal(type_of(&a, "integer"), "int");
	assert_string_equal(type_of(&a, "[int]"), "int");
	assert_string_equal(type_of(&a, "DEC"), "decimal(18,0)");
	assert_string_equal(type_of(&a, "decimal(10)"), "decimal(10,0)");
	assert_string_equal(type_of(&a, "numeric(15, 4)"), "numeric(15,4)");
	assert_string_equal(type_of(&a, "varchar"), "varchar(1)");
	assert_string_equal(type_of(&a, "[nvarchar](MAX)"), "nvarchar(max)");
	assert_string_equal(type_of(&a, "character varying(10)"), "varchar(10)");
	assert_string_equal(type_of(&a, "national character varying(10)"), "nvarchar(10)");
	assert_string_equal(type_of(&a, "float"), "float");
	assert_string_equal(type_of(&a, "float(53)"), "float");
	assert_string_equal(type_of(&a, "float(24)"), "real");
	assert_string_equal(type_of(&a, "double precision"), "float");
	assert_string_equal(type_of(&a, "datetime2"), "datetime2(7)");
	assert_string_equal(type_of(&a, "rowversion"), "timestamp");
	assert_string_equal(type_of(&a, "Phone"), "[dbo].[Phone]");
	assert_string_equal(type_of(&a, "[hr].[Phone]"), "[hr].[Phone]");
	sd_arena_dispose(&a);
}

static void
test_mssql__expr_stored_form(void **state)
{
	static const char *const cases[][2] = {
	        {"0", "((0))"},
	        {"((0))", "((0))"},
	        {"-20", "((-20))"},
	        {"- 20", "((-20))"},
	        {"'active'", "('active')"},
	        {"N'x'", "(N'x')"},
	        {"GETDATE()", "(getdate())"},
	        {"CURRENT_TIMESTAMP", "(getdate())"},
	        {"qty >= 0", "([qty]>=(0))"},
	        {"(([qty]>=(0)))", "([qty]>=(0))"},
	        {"status IN ('a', 'b')", "([status]='a' OR [status]='b')"},
	        {"x NOT IN (1, 2)", "([x]<>(1) AND [x]<>(2))"},
	        {"a > 0 AND b IN (1, 2)", "([a]>(0) AND ([b]=(1) OR [b]=(2)))"},
	        {"TerminatedOn IS NULL OR TerminatedOn >= HiredOn",
	         "([TerminatedOn] IS NULL OR [TerminatedOn]>=[HiredOn])"},
	        {"DATEADD(day, 30, IssuedOn)", "(dateadd(day,(30),[IssuedOn]))"},
	        {"NEXT VALUE FOR sales.seq", "(NEXT VALUE FOR [sales].[seq])"},
	        {"a != b", "([a]<>[b])"},
	};
	sd_arena a;

	(void)state;
	sd_arena_init(&a);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *once = sd_ms__stored_text(&a, cases[i][0]);
		assert_string_equal(once, cases[i][1]);
		/* what SQL Server gives back reads the same again */
		assert_string_equal(sd_ms__stored_text(&a, once), once);
	}
	sd_arena_dispose(&a);
}

static void
test_mssql__expr_system_names(void **state)
{
	(void)state;
	assert_true(sd_ms__is_system_name("PK__users__3213E83F1A2B3C4D"));
	assert_true(sd_ms__is_system_name("DF__users__status__3B75D760"));
	assert_false(sd_ms__is_system_name("PK_users"));
	assert_false(sd_ms__is_system_name("DF__users__status"));
	assert_false(sd_ms__is_system_name("XX__users__3B75D760"));
}

static sd_schema *
read_ok(const char *text)
{
	sd_schema *s = NULL;
	sd_err err = {0};

	if (sd_ms_read_text(&s, text, "t.sql", &err) != SD_OK)
		fail_msg("%s", err.msg);
	return s;
}

static void
expect_error(const char *text, const char *msg)
{
	sd_schema *s = NULL;
	sd_err err = {0};

	assert_int_equal(sd_ms_read_text(&s, text, "t.sql", &err), SD_EINPUT);
	assert_null(s);
	if (!strstr(err.msg, msg))
		fail_msg("expected \"%s\" in \"%s\"", msg, err.msg);
}

static const sd_constraint *
con(const sd_table *t, sd_con_type type)
{
	for (size_t i = 0; i < t->n_constraints; i++)
		if (t->constraints[i].type == type)
			return &t->constraints[i];
	fail_msg("no constraint of type %d", type);
	return NULL;
}

static void
test_mssql__read_defaults_keys_trust(void **state)
{
	sd_schema *s = read_ok(
	        "CREATE TABLE t (id int NOT NULL, code varchar(10) NOT NULL,\n"
	        "  a int CONSTRAINT DF_t_a DEFAULT 1, b int DEFAULT (2),\n"
	        "  c int CONSTRAINT DF__t__c__3B75D760 DEFAULT 3,\n"
	        "  CONSTRAINT uq UNIQUE CLUSTERED (code), PRIMARY KEY (id DESC))\n"
	        "GO\nCREATE TABLE u (id int PRIMARY KEY, t_id int)\n"
	        "ALTER TABLE u WITH NOCHECK ADD CONSTRAINT fk FOREIGN KEY (t_id) REFERENCES t\n");
	const sd_table *t = sd_schema_find_table(s, "dbo", "t"),
	               *u = sd_schema_find_table(s, "dbo", "u");
	const sd_constraint *pk = con(t, SD_CON_PRIMARY), *fk = con(u, SD_CON_FOREIGN);

	(void)state;
	assert_non_null(t);
	assert_string_equal(sd_table_find_column(t, "a")->default_expr, "((1))");
	assert_string_equal(sd_props_get(&sd_table_find_column(t, "a")->props, "default_name"),
	                    "DF_t_a");
	assert_null(sd_props_get(&sd_table_find_column(t, "b")->props, "default_name"));
	/* a name SQL Server made up is no name: it differs from server to server */
	assert_null(sd_props_get(&sd_table_find_column(t, "c")->props, "default_name"));
	/* the UNIQUE took the clustered index, so the key is nonclustered */
	assert_string_equal(sd_props_get(&pk->props, "clustered"), "false");
	assert_string_equal(sd_props_get(&pk->props, "key_order"), "D");
	assert_string_equal(sd_props_get(&con(u, SD_CON_PRIMARY)->props, "clustered"), "true");
	/* no column list: the target's primary key */
	assert_int_equal(fk->n_ref_columns, 1);
	assert_string_equal(fk->ref_columns[0], "id");
	assert_string_equal(sd_props_get(&fk->props, "not_trusted"), "true");
	sd_schema_free(s);
}

static void
test_mssql__read_applies_changes(void **state)
{
	sd_schema *s = read_ok(
	        "CREATE TABLE [Users] (id int, [e mail] nvarchar(100))\n"
	        "CREATE INDEX ix ON users ([e mail])\n"
	        "EXEC sp_rename 'users.e mail', 'email', 'COLUMN'\n"
	        "EXEC sp_rename N'[dbo].[USERS]', N'people'\n"
	        "EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'who', "
	        "@level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', "
	        "@level1name = N'people', @level2type = N'COLUMN', @level2name = N'email'\n"
	        "ALTER TABLE people ALTER COLUMN id bigint NOT NULL\n"
	        "ALTER TABLE people ADD CONSTRAINT pk PRIMARY KEY (id)\n"
	        "ALTER TABLE people DROP CONSTRAINT pk\n");
	const sd_table *t = sd_schema_find_table(s, "dbo", "people");

	(void)state;
	assert_non_null(t);
	assert_int_equal(s->n_tables, 1);
	assert_string_equal(t->indexes[0].keys[0].column, "email");
	assert_string_equal(sd_table_find_column(t, "email")->comment, "who");
	assert_string_equal(sd_table_find_column(t, "id")->type, "bigint");
	assert_true(sd_table_find_column(t, "id")->not_null);
	assert_int_equal(t->n_constraints, 0);
	sd_schema_free(s);
}

static void
test_mssql__read_module_bodies(void **state)
{
	/* a trigger's body runs to GO: the CREATE TABLE after it is part of it */
	sd_schema *a =
	        read_ok("CREATE TABLE t (id int)\nGO\nCREATE TRIGGER tr ON t AFTER INSERT AS\n"
	                "  SET NOCOUNT ON\n  INSERT INTO t SELECT id FROM inserted;\nGO\n"
	                "CREATE VIEW v AS SELECT [id] FROM dbo.t;\n");
	sd_schema *b =
	        read_ok("create table [dbo].[t] ([id] [int])\ngo\n"
	                "create trigger [dbo].[tr] on [dbo].[t] after insert as set nocount on "
	                "insert into t select id from inserted\nGO\n"
	                "create view [dbo].[v] as select id from dbo.t\n");
	sd_diff *d = sd_diff_schemas(a, b, &sd_ms_dialect);

	(void)state;
	assert_int_equal(a->n_objects, 2);
	assert_string_equal(sd_schema_find_object(a, SD_OBJ_TRIGGER, "dbo", "tr")->table, "t");
	assert_int_equal(d->n_changes, 0);
	sd_diff_free(d);
	sd_schema_free(a);
	sd_schema_free(b);
}

static void
test_mssql__error_names_file_and_line(void **state)
{
	(void)state;
	expect_error("CREATE TABLE t (id int)\nGO\nIF 1 = 1 SELECT 1\n",
	             "t.sql:3: 'IF' does not start");
	expect_error("CREATE TABLE t (id int)\nALTER TABLE x ADD y int\n",
	             "t.sql:2: ALTER TABLE: no table dbo.x");
	expect_error("CREATE TABLE t (id int) WHAT\n", "t.sql:1: unexpected 'WHAT'");
	expect_error("SET QUOTED_IDENTIFIER OFF\n",
	             "t.sql:1: SET QUOTED_IDENTIFIER OFF is not supported");
	expect_error(
	        "CREATE TABLE t (id int CONSTRAINT d DEFAULT 0)\nALTER TABLE t DROP COLUMN id\n",
	        "t.sql:2: column id still has a default constraint");
	expect_error("CREATE TABLE t (id int PRIMARY KEY)\nCREATE TABLE u (t int REFERENCES t)\n"
	             "DROP TABLE t\n",
	             "t.sql:3: table dbo.t is referenced by foreign key");
	expect_error("CREATE TABLE u (t int REFERENCES nowhere (id))\n",
	             "t.sql:1: foreign key references dbo.nowhere");
	expect_error("EXEC sp_who\n", "t.sql:1: EXEC sp_who is not supported");
	expect_error("CREATE TABLE t (a int)\nCREATE TABLE T (b int)\n",
	             "t.sql:2: there is already");
	expect_error("CREATE TABLE t (a int)\nSELECT 'unclosed\n",
	             "t.sql:2: a quote or comment is never closed");
}

static void
test_mssql__plan_quotes_and_frames(void **state)
{
	sd_schema *a = read_ok("CREATE TABLE [we]]ird] (id int, [x'y] int CHECK ([x'y] > 0))\n");
	sd_schema *b = read_ok("CREATE TABLE [we]]ird] (id int)\nCREATE TABLE [new] (id int)\n");
	sd_diff *d = sd_diff_schemas(a, b, &sd_ms_dialect);
	sd_str plan;
	sd_err err = {0};
	sd_str q;

	(void)state;
	sd_str_init(&q);
	sd_ms_quote_ident(&q, "a]b");
	assert_string_equal(q.ptr, "[a]]b]");
	sd_str_dispose(&q);
	sd_str_init(&plan);
	assert_int_equal(sd_ms_dialect.plan(&plan, d, NULL, &err), SD_OK);
	assert_non_null(strstr(plan.ptr, "SET XACT_ABORT ON;\nBEGIN TRANSACTION;\n"));
	assert_non_null(strstr(plan.ptr, "CREATE TABLE [dbo].[new]"));
	/* the unnamed CHECK goes through the catalog lookup, names doubled inside N'' */
	assert_non_null(strstr(plan.ptr, "N'ALTER TABLE [dbo].[we]]ird] DROP CONSTRAINT '"));
	assert_non_null(strstr(plan.ptr, "definition = N'([x''y]>(0))'"));
	assert_non_null(strstr(plan.ptr, "ALTER TABLE [dbo].[we]]ird] DROP COLUMN [x'y];"));
	assert_non_null(strstr(plan.ptr, "COMMIT TRANSACTION;\nGO\n"));
	sd_str_dispose(&plan);
	sd_diff_free(d);
	sd_schema_free(a);
	sd_schema_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_mssql__lex_batches_and_literals),
	        cmocka_unit_test(test_mssql__type_synonyms_and_defaults),
	        cmocka_unit_test(test_mssql__expr_stored_form),
	        cmocka_unit_test(test_mssql__expr_system_names),
	        cmocka_unit_test(test_mssql__read_defaults_keys_trust),
	        cmocka_unit_test(test_mssql__read_applies_changes),
	        cmocka_unit_test(test_mssql__read_module_bodies),
	        cmocka_unit_test(test_mssql__error_names_file_and_line),
	        cmocka_unit_test(test_mssql__plan_quotes_and_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
