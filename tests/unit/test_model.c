/*
 * tests/unit/test_model.c: the normalized model and snapshot JSON.
 *
 * Test organisation:
 *   model__sort_*        canonical order and lookups
 *   model__snapshot_*    deterministic JSON, round trip, strict reader errors
 */
#include "testutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char RICH_SCHEMA[] =
	"CREATE TABLE parent(id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL UNIQUE "
	"COLLATE NOCASE, note TEXT DEFAULT 'x''y');"
	"CREATE TABLE child(a INT, b TEXT, g INT GENERATED ALWAYS AS (a * 2) STORED,"
	" CONSTRAINT ck_a CHECK (a > 0), CHECK (length(b) < 10),"
	" FOREIGN KEY (a) REFERENCES parent(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,"
	" PRIMARY KEY (a, b)) WITHOUT ROWID, STRICT;"
	"CREATE INDEX child_expr ON child(lower(b) DESC, a) WHERE a > 1;"
	"CREATE VIEW v AS SELECT * FROM parent;"
	"CREATE VIEW w AS SELECT id FROM v;"
	"CREATE TRIGGER tr AFTER INSERT ON parent BEGIN SELECT 1; END;";

static void
test_model__sort_orders_tables_and_objects(void **state)
{
	sd_schema *s = tu_load(tu_db("sort", RICH_SCHEMA));

	(void)state;
	assert_int_equal(s->n_tables, 2);
	assert_string_equal(s->tables[0].name, "child");
	assert_string_equal(s->tables[1].name, "parent");
	assert_int_equal(s->n_objects, 3);
	/* kind rank first (views before triggers), then name */
	assert_int_equal(s->objects[0].kind, SD_OBJ_VIEW);
	assert_string_equal(s->objects[0].name, "v");
	assert_string_equal(s->objects[1].name, "w");
	assert_int_equal(s->objects[2].kind, SD_OBJ_TRIGGER);
	assert_non_null(sd_schema_find_table(s, "", "parent"));
	assert_null(sd_schema_find_table(s, "", "nope"));
	assert_non_null(sd_schema_find_object(s, SD_OBJ_TRIGGER, "", "tr"));
	assert_null(sd_schema_find_object(s, SD_OBJ_VIEW, "", "tr"));
	sd_schema_free(s);
}

static void
test_model__sort_reads_every_table_feature(void **state)
{
	sd_schema *s = tu_load(tu_db("features", RICH_SCHEMA));
	const sd_table *child = sd_schema_find_table(s, "", "child");
	const sd_table *parent = sd_schema_find_table(s, "", "parent");
	const sd_column *g = sd_table_find_column(child, "g");
	size_t n_check = 0, n_fk = 0, n_pk = 0;

	(void)state;
	assert_string_equal(sd_props_get(&child->props, "strict"), "true");
	assert_string_equal(sd_props_get(&child->props, "without_rowid"), "true");
	assert_string_equal(g->generated, "a * 2");
	assert_true(g->generated_stored);
	assert_string_equal(sd_table_find_column(parent, "id")->identity, "autoincrement");
	assert_string_equal(sd_table_find_column(parent, "code")->collation, "NOCASE");
	assert_string_equal(sd_table_find_column(parent, "note")->default_expr, "'x''y'");
	for (size_t i = 0; i < child->n_constraints; i++) {
		const sd_constraint *c = &child->constraints[i];
		n_check += c->type == SD_CON_CHECK;
		n_pk += c->type == SD_CON_PRIMARY;
		if (c->type == SD_CON_FOREIGN) {
			n_fk++;
			assert_string_equal(c->on_delete, "cascade");
			assert_true(c->deferrable);
			assert_true(c->initially_deferred);
			assert_string_equal(c->ref_columns[0], "id");
		}
		if (c->type == SD_CON_CHECK && c->name)
			assert_string_equal(c->name, "ck_a");
	}
	assert_int_equal(n_check, 2);
	assert_int_equal(n_fk, 1);
	assert_int_equal(n_pk, 1);
	assert_int_equal(child->n_indexes, 1);
	assert_string_equal(child->indexes[0].keys[0].expr, "lower(b)");
	assert_true(child->indexes[0].keys[0].desc);
	assert_string_equal(child->indexes[0].keys[1].column, "a");
	assert_string_equal(child->indexes[0].predicate, "a > 1");
	sd_schema_free(s);
}

static void
test_model__snapshot_round_trip_is_identical(void **state)
{
	sd_schema *s = tu_load(tu_db("rt", RICH_SCHEMA)), *back = NULL;
	char *json = sd_snapshot_write(s), *again;
	sd_err err = {0};
	sd_diff *d;

	(void)state;
	assert_int_equal(sd_snapshot_read(&back, json, strlen(json), &err), SD_OK);
	again = sd_snapshot_write(back);
	assert_string_equal(json, again);
	d = sd_diff_schemas(s, back, NULL);
	assert_int_equal(d->n_changes, 0);
	sd_diff_free(d);
	free(json);
	free(again);
	sd_schema_free(s);
	sd_schema_free(back);
}

/* The snapshot of s, byte for byte what jansson writes for the same document. */
static char *
assert_janssons_layout(sd_schema *s)
{
	char *ours = sd_snapshot_write(s), *theirs;
	json_error_t jerr;
	json_t *doc = json_loads(ours, 0, &jerr);

	assert_non_null(doc);
	theirs = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	assert_non_null(theirs);
	assert_int_equal(strlen(ours), strlen(theirs) + 1);
	assert_memory_equal(ours, theirs, strlen(theirs));
	assert_int_equal(ours[strlen(theirs)], '\n');
	json_decref(doc);
	free(theirs);
	return ours;
}

static void
test_model__snapshot_bytes_are_janssons_layout(void **state)
{
	/*
	 * The writer streams; its bytes must be what jansson writes for the
	 * same document (JSON_INDENT(2), key order kept): every escape, empty
	 * arrays, nesting. Names carry each character class jansson escapes.
	 */
	sd_schema *s = tu_load(tu_db(
		"layout", "CREATE TABLE \"q\"\"b\\s/l \x01\x1f\x7f \xc3\xa9 \xe2\x98\x83 \xf0\x9d\x84\x9e"
			  "\b\f\r\n\t\"(\"c\"\"\" TEXT DEFAULT 'x\"\\y\n', n INT);"
			  "CREATE TABLE bare(x);"
			  "CREATE INDEX \"i\ti\" ON bare(x DESC);"
			  "CREATE VIEW v AS SELECT 1 AS one;"));
	sd_schema *rich = tu_load(tu_db("layout_rich", RICH_SCHEMA));
	char *json = assert_janssons_layout(s);

	(void)state;
	assert_non_null(strstr(json, "\\u0001\\u001F\x7f"));
	assert_non_null(strstr(json, "\"constraints\": []"));
	free(json);
	free(assert_janssons_layout(rich));
	sd_schema_free(s);
	sd_schema_free(rich);
}

static void
test_model__snapshot_is_deterministic(void **state)
{
	/* The same schema built in another statement order gives the same bytes. */
	sd_schema *a = tu_load(tu_db("det1", "CREATE TABLE b(x); CREATE TABLE a(y); CREATE INDEX "
					     "i1 ON a(y); CREATE INDEX i0 ON b(x);"));
	sd_schema *b = tu_load(tu_db("det2", "CREATE TABLE a(y); CREATE TABLE b(x); CREATE INDEX "
					     "i0 ON b(x); CREATE INDEX i1 ON a(y);"));
	char *ja = sd_snapshot_write(a), *jb = sd_snapshot_write(b);
	char *pa = strstr(ja, "\"tables\""), *pb = strstr(jb, "\"tables\"");

	(void)state;
	/* the source line differs by file name; everything from tables on is equal */
	assert_non_null(pa);
	assert_non_null(pb);
	assert_string_equal(pa, pb);
	free(ja);
	free(jb);
	sd_schema_free(a);
	sd_schema_free(b);
}

static void
expect_read_error(const char *json, const char *fragment)
{
	sd_schema *s = (sd_schema *)1;
	sd_err err = {0};

	assert_int_equal(sd_snapshot_read(&s, json, strlen(json), &err), SD_EINPUT);
	assert_null(s);
	if (!strstr(err.msg, fragment)) {
		print_error("message \"%s\" lacks \"%s\"\n", err.msg, fragment);
		fail();
	}
}

static void
test_model__snapshot_rejects_bad_input(void **state)
{
	sd_schema *s = tu_load(tu_db("bad", RICH_SCHEMA));
	char *json = sd_snapshot_write(s);

	(void)state;
	json[strlen(json) / 2] = '\0'; /* truncated */
	expect_read_error(json, "line ");
	expect_read_error("[]", "not a schemad snapshot");
	expect_read_error("{\"format\":\"other\",\"version\":1}", "not a schemad snapshot");
	expect_read_error("{\"format\":\"schemad.snapshot\",\"version\":99,\"engine\":\"sqlite\"}",
			  "version 99 is not supported");
	expect_read_error("{\"format\":\"schemad.snapshot\",\"version\":1,\"engine\":\"sqlite\","
			  "\"tables\":[{\"name\":\"t\",\"columns\":[{\"name\":\"a\"},{\"name\":5}]}]}",
			  "tables[0].columns[1].name: expected a string");
	expect_read_error("{\"format\":\"schemad.snapshot\",\"version\":1,\"engine\":\"sqlite\","
			  "\"tables\":[{\"name\":\"t\",\"constraints\":[{\"type\":\"bogus\"}]}]}",
			  "tables[0].constraints[0].type: unknown constraint type");
	expect_read_error("{\"format\":\"schemad.snapshot\",\"version\":1,\"engine\":\"sqlite\","
			  "\"objects\":[{\"kind\":\"view\"}]}",
			  "objects[0].name: missing");
	expect_read_error("{\"format\":\"schemad.snapshot\",\"version\":1,\"engine\":\"sqlite\","
			  "\"tables\":[],\"tables\":[]}",
			  "duplicate");
	/* MySQL: a unique key needs its name (DROP INDEX name); the primary key has none */
	expect_read_error("{\"format\":\"schemad.snapshot\",\"version\":1,\"engine\":\"mysql\","
			  "\"tables\":[{\"name\":\"t\",\"columns\":[{\"name\":\"a\",\"type\":\"int\"}],"
			  "\"constraints\":[{\"type\":\"unique\",\"columns\":[\"a\"]}]}]}",
			  "tables[0].constraints[0].name: missing");
	free(json);
	sd_schema_free(s);
}

/*
 * What inspect writes for a MySQL table with a primary key (MySQL's
 * introspection leaves it unnamed) reads back: the reader required a name,
 * so no MariaDB snapshot with a primary key could be a SOURCE.
 */
static void
test_model__snapshot_mysql_primary_key_reads_back(void **state)
{
	static const char json[] =
		"{\"format\":\"schemad.snapshot\",\"version\":1,\"engine\":\"mysql\","
		"\"tables\":[{\"name\":\"t\",\"columns\":[{\"name\":\"id\",\"type\":\"bigint\","
		"\"not_null\":true,\"position\":1}],"
		"\"constraints\":[{\"type\":\"primary_key\",\"columns\":[\"id\"]}]}]}";
	sd_schema *s = NULL;
	sd_err err = {0};

	(void)state;
	assert_int_equal(sd_snapshot_read(&s, json, strlen(json), &err), SD_OK);
	assert_int_equal(s->tables[0].n_constraints, 1);
	assert_null(s->tables[0].constraints[0].name);
	sd_schema_free(s);
}

/*
 * PostgreSQL: a key's index needs no CREATE text (its constraint's says
 * it all, and the reader no longer asks the server for it); any other
 * index does.
 */
#define PG_SNAPSHOT(index)                                                                         \
	"{\"format\":\"schemad.snapshot\",\"version\":1,\"engine\":\"postgres\",\"tables\":[{"       \
	"\"schema\":\"public\",\"name\":\"t\",\"columns\":[{\"name\":\"id\",\"type\":\"bigint\","   \
	"\"position\":1}],\"constraints\":[{\"name\":\"t_pkey\",\"type\":\"primary_key\","          \
	"\"columns\":[\"id\"],\"expr\":\"PRIMARY KEY (id)\"}],\"indexes\":[" index "]}]}"

static void
test_model__snapshot_pg_key_index_needs_no_definition(void **state)
{
	static const char key[] = PG_SNAPSHOT(
		"{\"name\":\"t_pkey\",\"unique\":true,\"constraint_backed\":true,"
		"\"method\":\"btree\",\"keys\":[{\"column\":\"id\"}]}");
	static const char plain[] = PG_SNAPSHOT(
		"{\"name\":\"t_id_idx\",\"method\":\"btree\",\"keys\":[{\"column\":\"id\"}]}");
	sd_schema *s = NULL;
	sd_err err = {0};

	(void)state;
	assert_int_equal(sd_snapshot_read(&s, key, strlen(key), &err), SD_OK);
	assert_true(s->tables[0].indexes[0].constraint_backed);
	assert_null(s->tables[0].indexes[0].definition);
	sd_schema_free(s);
	expect_read_error(plain, "tables[0].indexes[0].definition: missing");
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
		cmocka_unit_test(test_model__sort_orders_tables_and_objects),
		cmocka_unit_test(test_model__sort_reads_every_table_feature),
		cmocka_unit_test(test_model__snapshot_round_trip_is_identical),
		cmocka_unit_test(test_model__snapshot_bytes_are_janssons_layout),
		cmocka_unit_test(test_model__snapshot_is_deterministic),
		cmocka_unit_test(test_model__snapshot_rejects_bad_input),
		cmocka_unit_test(test_model__snapshot_mysql_primary_key_reads_back),
		cmocka_unit_test(test_model__snapshot_pg_key_index_needs_no_definition),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
