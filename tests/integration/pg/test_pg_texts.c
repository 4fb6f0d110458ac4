/*
 * tests/integration/pg/test_pg_texts.c: the texts of TO a PostgreSQL plan
 * copies are checked (connectors/pg/pg_plan_texts.c), on models built in
 * memory: every kind of text, as the server's deparser writes it (and as
 * newer servers do, in syntax libpg_query's grammar does not know), passes;
 * with a second statement, a clause left open or closed early, a trailing
 * line comment, or a statement of another kind, it is refused, naming the
 * object and the field. (hostile/snapshot_pg.sh does the same end to end
 * on a real server.)
 *
 *   pg_texts__legit_*    inspect's texts, and newer servers' syntax
 *   pg_texts__hostile_*  texts that would smuggle or break a statement
 *   pg_texts__atomic_*   SQL-standard bodies (BEGIN ATOMIC ... END) in
 *                        syntax 15's grammar does not know, as 16-18
 *                        print them, and bodies that would end early
 */
#include "connectors/pg/pg_plan.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

/* Where a text goes in the model. */
typedef enum {
	AT_DEFAULT, AT_GENERATED, AT_TYPE, AT_COLLATION, AT_IDENTITY, AT_STATISTICS, AT_CONSTRAINT,
	AT_INDEX, AT_KEY_RELOPTIONS, AT_BOUND, AT_PARTITION_BY, AT_PARTITION_OF, AT_INHERITS, AT_RELOPTIONS,
	AT_REPLICA, AT_PRIVILEGES, AT_OBJECT_DDL, AT_SIGNATURE, AT_SEQUENCE_DEF, AT_OWNED_BY,
	AT_ATTRIBUTES
} place;

static sd_err err;

/* Checks a schema holding one table t (column c) and text at place; kind for objects. */
static int
check_one(place at, sd_obj_kind kind, const char *text)
{
	sd_schema *s = sd_schema_new("postgres");
	sd_arena *a = &s->arena;
	sd_table *t = sd_arena_alloc(a, sizeof(*t));
	sd_column *c = sd_arena_alloc(a, sizeof(*c));
	sd_object *o = sd_arena_alloc(a, sizeof(*o));
	int rc;

	memset(&err, 0, sizeof(err));
	t->schema = "public";
	t->name = "t";
	t->columns = c;
	t->n_columns = 1;
	c->name = "c";
	c->type = "integer";
	s->tables = t;
	s->n_tables = 1;
	o->kind = kind;
	o->schema = "public";
	o->name = "o";
	o->signature = "";
	switch (at) {
	case AT_DEFAULT: c->default_expr = text; break;
	case AT_GENERATED: c->generated = text; break;
	case AT_TYPE: c->type = text; break;
	case AT_COLLATION: c->collation = text; break;
	case AT_IDENTITY: sd_props_set(a, &c->props, "identity_options", text); break;
	case AT_STATISTICS: sd_props_set(a, &c->props, "statistics", text); break;
	case AT_CONSTRAINT:
		t->constraints = sd_arena_alloc(a, sizeof(*t->constraints));
		memset(t->constraints, 0, sizeof(*t->constraints));
		t->constraints[0].name = "k";
		t->constraints[0].expr = text;
		t->n_constraints = 1;
		break;
	case AT_INDEX:
		t->indexes = sd_arena_alloc(a, sizeof(*t->indexes));
		memset(t->indexes, 0, sizeof(*t->indexes));
		t->indexes[0].name = "i";
		t->indexes[0].definition = text;
		t->n_indexes = 1;
		break;
	case AT_KEY_RELOPTIONS:
		t->indexes = sd_arena_alloc(a, sizeof(*t->indexes));
		memset(t->indexes, 0, sizeof(*t->indexes));
		t->indexes[0].name = "i";
		t->indexes[0].constraint_backed = true;
		sd_props_set(a, &t->indexes[0].props, "reloptions", text);
		t->n_indexes = 1;
		break;
	case AT_BOUND: sd_props_set(a, &t->props, "partition_bound", text); break;
	case AT_PARTITION_BY: sd_props_set(a, &t->props, "partition_by", text); break;
	case AT_PARTITION_OF: sd_props_set(a, &t->props, "partition_of", text); break;
	case AT_INHERITS: sd_props_set(a, &t->props, "inherits", text); break;
	case AT_RELOPTIONS: sd_props_set(a, &t->props, "reloptions", text); break;
	case AT_REPLICA: sd_props_set(a, &t->props, "replica_identity", text); break;
	case AT_PRIVILEGES: sd_props_set(a, &t->props, "privileges", text); break;
	case AT_OBJECT_DDL: o->ddl = text; break;
	case AT_SIGNATURE: o->signature = text; break;
	case AT_SEQUENCE_DEF: o->definition = text; break;
	case AT_OWNED_BY: sd_props_set(a, &o->props, "owned_by", text); break;
	case AT_ATTRIBUTES: sd_props_set(a, &o->props, "attributes", text); break;
	}
	if (at >= AT_OBJECT_DDL) {
		s->objects = o;
		s->n_objects = 1;
	}
	rc = sd_pg__check_texts(s, &err);
	s->tables = NULL;
	s->objects = NULL;
	sd_schema_free(s);
	return rc;
}

#define PASSES(at, kind, text)                                                                     \
	do {                                                                                       \
		int rc_ = check_one(at, kind, text);                                               \
		if (rc_ != SD_OK)                                                                  \
			fail_msg("refused: %s\n  because %s", text, err.msg);                      \
	} while (0)

#define REFUSED(at, kind, text, words)                                                             \
	do {                                                                                       \
		int rc_ = check_one(at, kind, text);                                               \
		if (rc_ != SD_EINPUT)                                                              \
			fail_msg("passed: %s", text);                                              \
		if (!strstr(err.msg, words))                                                       \
			fail_msg("message lacks \"%s\": %s", words, err.msg);                      \
		if (!strstr(err.msg, "in the target (TO side"))                                    \
			fail_msg("message does not say the text is TO's: %s", err.msg);            \
	} while (0)

static void
test_pg_texts__legit_table_texts(void **state)
{
	(void)state;
	PASSES(AT_DEFAULT, 0, "nextval('public.s'::regclass)");
	PASSES(AT_DEFAULT, 0, "'x;y'::text");
	PASSES(AT_DEFAULT, 0, "$$a;b$$::text");
	PASSES(AT_DEFAULT, 0, "CURRENT_TIMESTAMP");
	PASSES(AT_DEFAULT, 0, "(ARRAY[1, 2])[1]");
	PASSES(AT_GENERATED, 0, "(a * 2)");
	PASSES(AT_TYPE, 0, "character varying(20)");
	PASSES(AT_TYPE, 0, "timestamp(3) with time zone");
	PASSES(AT_TYPE, 0, "\"My;Type\"[]");
	PASSES(AT_TYPE, 0, "public.mood");
	PASSES(AT_COLLATION, 0, "pg_catalog.\"C\"");
	PASSES(AT_IDENTITY, 0, "START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1 NO CYCLE");
	PASSES(AT_IDENTITY, 0, "START WITH -5 INCREMENT BY -1 MINVALUE -9 MAXVALUE -1 CACHE 1 CYCLE");
	PASSES(AT_STATISTICS, 0, "50");
	PASSES(AT_CONSTRAINT, 0, "CHECK ((a > 0)) NOT VALID");
	PASSES(AT_CONSTRAINT, 0, "FOREIGN KEY (a) REFERENCES public.u(id) ON DELETE CASCADE DEFERRABLE");
	PASSES(AT_CONSTRAINT, 0, "EXCLUDE USING gist (r WITH &&)");
	PASSES(AT_CONSTRAINT, 0, "PRIMARY KEY (id) INCLUDE (x)");
	PASSES(AT_CONSTRAINT, 0, "CHECK ((a > 0)) NOT ENFORCED"); /* 18: not in 15's grammar */
	PASSES(AT_INDEX, 0, "CREATE UNIQUE INDEX i ON public.t USING btree (lower(c)) WHERE (c > 0)");
	PASSES(AT_INDEX, 0, "CREATE INDEX i ON ONLY public.t USING btree (c)");
	PASSES(AT_KEY_RELOPTIONS, 0, "fillfactor=70, deduplicate_items=off");
	PASSES(AT_BOUND, 0, "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
	PASSES(AT_BOUND, 0, "FOR VALUES WITH (modulus 4, remainder 0)");
	PASSES(AT_BOUND, 0, "DEFAULT");
	PASSES(AT_PARTITION_BY, 0, "RANGE (at)");
	PASSES(AT_PARTITION_BY, 0, "LIST (lower(name))");
	PASSES(AT_PARTITION_OF, 0, "public.orders");
	PASSES(AT_PARTITION_OF, 0, "\"we;ird\".\"o\"\"x\"");
	PASSES(AT_INHERITS, 0, "public.base, \"s\".\"a\"\", \"\"b\"");
	PASSES(AT_RELOPTIONS, 0, "fillfactor=70, autovacuum_enabled=false");
	PASSES(AT_REPLICA, 0, "FULL");
	PASSES(AT_REPLICA, 0, "USING INDEX \"t;pkey\"");
	PASSES(AT_PRIVILEGES, 0, "SELECT TO \"bob\"\nINSERT TO PUBLIC WITH GRANT OPTION");
}

static void
test_pg_texts__legit_object_texts(void **state)
{
	(void)state;
	PASSES(AT_OBJECT_DDL, SD_OBJ_SCHEMA, "CREATE SCHEMA \"a;b\"");
	PASSES(AT_OBJECT_DDL, SD_OBJ_EXTENSION,
	       "CREATE EXTENSION IF NOT EXISTS \"hstore\" WITH SCHEMA \"public\" VERSION '1.8'");
	PASSES(AT_OBJECT_DDL, SD_OBJ_TYPE, "CREATE TYPE public.mood AS ENUM ('a;', 'b')");
	PASSES(AT_OBJECT_DDL, SD_OBJ_TYPE, "CREATE DOMAIN public.d AS integer CHECK (VALUE > 0)");
	PASSES(AT_OBJECT_DDL, SD_OBJ_TYPE, "CREATE TYPE public.p AS (x integer, y text)");
	PASSES(AT_OBJECT_DDL, SD_OBJ_TYPE, "CREATE TYPE public.r AS RANGE (subtype = integer)");
	PASSES(AT_OBJECT_DDL, SD_OBJ_TYPE, "CREATE COLLATION public.c (provider = icu, locale = 'und')");
	PASSES(AT_OBJECT_DDL, SD_OBJ_SEQUENCE, "CREATE SEQUENCE public.s AS integer START WITH 5");
	PASSES(AT_SEQUENCE_DEF, SD_OBJ_SEQUENCE,
	       "AS integer START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1");
	PASSES(AT_OWNED_BY, SD_OBJ_SEQUENCE, "public.t.\"c;d\"");
	PASSES(AT_OBJECT_DDL, SD_OBJ_FUNCTION,
	       "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer\n LANGUAGE plpgsql\n"
	       "AS $function$ BEGIN a := a + 1; RETURN a; END $function$\n");
	PASSES(AT_OBJECT_DDL, SD_OBJ_FUNCTION,
	       "CREATE OR REPLACE FUNCTION public.g(a integer)\n RETURNS integer\n LANGUAGE sql\n"
	       "BEGIN ATOMIC\n SELECT (a + 1);\n SELECT 2;\nEND");
	PASSES(AT_SIGNATURE, SD_OBJ_FUNCTION, "a integer, VARIADIC b text[]");
	PASSES(AT_OBJECT_DDL, SD_OBJ_VIEW, "CREATE VIEW public.v AS\n SELECT 1 AS one\n  WHERE ';' <> 'x'");
	/* 17's JSON_TABLE: not in 15's grammar, one statement all the same */
	PASSES(AT_OBJECT_DDL, SD_OBJ_VIEW,
	       "CREATE VIEW public.j AS\n SELECT jt.a FROM JSON_TABLE('[]'::jsonb, '$[*]' COLUMNS "
	       "(a integer PATH '$.a')) jt");
	PASSES(AT_OBJECT_DDL, SD_OBJ_MATVIEW,
	       "CREATE MATERIALIZED VIEW public.mv AS\n SELECT 1 AS id\nWITH DATA;\n"
	       "CREATE UNIQUE INDEX mv_id ON public.mv USING btree (id);\n"
	       "COMMENT ON INDEX \"public\".\"mv_id\" IS 'one; two'");
	PASSES(AT_OBJECT_DDL, SD_OBJ_TRIGGER,
	       "CREATE TRIGGER trg BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION tf();\n"
	       "ALTER TABLE \"public\".\"t\" DISABLE TRIGGER \"trg\"");
	PASSES(AT_OBJECT_DDL, SD_OBJ_POLICY,
	       "CREATE POLICY \"p\" ON \"public\".\"t\" AS PERMISSIVE FOR ALL TO public USING ((c > 0))");
	PASSES(AT_ATTRIBUTES, SD_OBJ_TYPE, "{\"\\\"x\\\" integer\",\"\\\"y;\\\" text COLLATE \\\"C\\\"\"}");
}

static void
test_pg_texts__hostile_expressions(void **state)
{
	(void)state;
	REFUSED(AT_DEFAULT, 0, "1); DELETE FROM users; SELECT (1", "column public.t.c: its default_expr");
	REFUSED(AT_DEFAULT, 0, "1; DELETE FROM users", "more than one statement");
	REFUSED(AT_DEFAULT, 0, "1 --", "ends in a line comment");
	REFUSED(AT_DEFAULT, 0, "1;", "a ';' follows");
	REFUSED(AT_DEFAULT, 0, "'x", "does not lex");
	REFUSED(AT_DEFAULT, 0, "$x$", "does not lex");
	REFUSED(AT_DEFAULT, 0, "1 /*", "does not lex");
	REFUSED(AT_DEFAULT, 0, "1, b integer", "column public.t.c: its default_expr");
	REFUSED(AT_DEFAULT, 0, "1 FROM users", "holds more than its kind may");
	REFUSED(AT_DEFAULT, 0, "1) , evil int DEFAULT (2", "parentheses do not balance");
	REFUSED(AT_GENERATED, 0, "a) STORED, x int GENERATED ALWAYS AS (1", "its generated");
	REFUSED(AT_TYPE, 0, "integer; DELETE FROM users", "its type");
	REFUSED(AT_TYPE, 0, "integer DEFAULT 1", "its type");
	REFUSED(AT_COLLATION, 0, "\"C\"; DELETE FROM users", "its collation");
	REFUSED(AT_IDENTITY, 0, "START WITH 1)); DELETE FROM users; --", "its identity_options");
	REFUSED(AT_STATISTICS, 0, "1; DELETE FROM users", "its statistics");
	REFUSED(AT_CONSTRAINT, 0, "CHECK (true); DELETE FROM users", "constraint public.t.k: its expr");
	REFUSED(AT_CONSTRAINT, 0, "CHECK (true), DROP COLUMN c", "constraint public.t.k: its expr");
	/* unknown to 15's grammar: the lexer still finds the second statement */
	REFUSED(AT_CONSTRAINT, 0, "CHECK (a > 0) NOT ENFORCED; DELETE FROM users", "its expr");
	REFUSED(AT_CONSTRAINT, 0, "CHECK (a > 0) NOT ENFORCED, DROP COLUMN c", "more than one item");
	REFUSED(AT_INDEX, 0, "CREATE INDEX i ON t (c); DELETE FROM users", "index public.t.i: its definition");
	REFUSED(AT_INDEX, 0, "DROP TABLE users", "CREATE INDEX");
	/* a key's index's parameters go into ALTER INDEX ... SET (...) */
	REFUSED(AT_KEY_RELOPTIONS, 0, "fillfactor=70); DELETE FROM users; SELECT (1",
	        "index public.t.i: its reloptions");
	REFUSED(AT_BOUND, 0, "DEFAULT; DELETE FROM users", "its partition_bound");
	REFUSED(AT_PARTITION_BY, 0, "RANGE (at); DELETE FROM users", "its partition_by");
	REFUSED(AT_PARTITION_OF, 0, "public.o ATTACH PARTITION x DEFAULT; DELETE FROM users --", "its partition_of");
	REFUSED(AT_INHERITS, 0, "public.a); DELETE FROM users; SELECT (1", "its inherits");
	REFUSED(AT_RELOPTIONS, 0, "fillfactor=70); DELETE FROM users; SELECT (1", "its reloptions");
	REFUSED(AT_REPLICA, 0, "FULL, DROP COLUMN c", "its replica_identity");
	REFUSED(AT_PRIVILEGES, 0, "SELECT TO \"bob\"; DELETE FROM users; --", "its privileges");
	REFUSED(AT_PRIVILEGES, 0, "ALL ON ALL TABLES IN SCHEMA public TO x, SELECT TO \"bob\"", "its privileges");
}

static void
test_pg_texts__hostile_objects(void **state)
{
	(void)state;
	REFUSED(AT_OBJECT_DDL, SD_OBJ_VIEW, "CREATE VIEW v AS SELECT 1; DELETE FROM users",
	        "view public.o: its ddl");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_VIEW, "CREATE VIEW v AS SELECT 1; COMMIT", "more than one statement");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_VIEW, "DELETE FROM users", "another kind of statement");
	/* new syntax with a second statement: the lexer cuts it */
	REFUSED(AT_OBJECT_DDL, SD_OBJ_VIEW,
	        "CREATE VIEW j AS SELECT * FROM JSON_TABLE('[]', '$' COLUMNS (a int PATH '$.a')) jt; "
	        "DELETE FROM users",
	        "its ddl");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_VIEW, "DELETE FROM users WHERE x IS JSON",
	        "does not start as its kind does");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_MATVIEW,
	        "CREATE MATERIALIZED VIEW mv AS SELECT 1 WITH DATA;\nDELETE FROM users",
	        "materialized view public.o: its ddl");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_MATVIEW, "CREATE VIEW mv AS SELECT 1", "another kind of statement");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_FUNCTION,
	        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$; DELETE FROM users",
	        "function public.o: its ddl");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_FUNCTION, "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ x",
	        "does not lex");
	REFUSED(AT_SIGNATURE, SD_OBJ_FUNCTION, "integer); DELETE FROM users; SELECT (1", "its signature");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_TRIGGER,
	        "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();\n"
	        "DELETE FROM users",
	        "trigger public.o: its ddl");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_POLICY, "CREATE POLICY p ON t USING (true); DELETE FROM users",
	        "policy public.o: its ddl");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_SCHEMA, "CREATE SCHEMA s CREATE TABLE pwned (x int)",
	        "schema public.o: its ddl");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_TYPE, "CREATE TYPE m AS ENUM ('a'); DELETE FROM users", "its ddl");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_SEQUENCE, "CREATE SEQUENCE s; DELETE FROM users", "its ddl");
	REFUSED(AT_SEQUENCE_DEF, SD_OBJ_SEQUENCE, "START WITH 1; DELETE FROM users", "its definition");
	REFUSED(AT_OWNED_BY, SD_OBJ_SEQUENCE, "public.t.c; DELETE FROM users", "its owned_by");
	REFUSED(AT_ATTRIBUTES, SD_OBJ_TYPE, "{\"\\\"x\\\" integer; DELETE FROM users\"}", "its attributes");
	REFUSED(AT_ATTRIBUTES, SD_OBJ_TYPE, "{\"x integer\"}", "its attributes");
}

/* What pg_get_functiondef prints on 16, 17 and 18 (hostile/snapshot_pg.sh creates them there). */
static void
test_pg_texts__atomic_legit(void **state)
{
	(void)state;
	PASSES(AT_OBJECT_DDL, SD_OBJ_FUNCTION,
	       "CREATE OR REPLACE FUNCTION public.j16(a integer)\n RETURNS boolean\n LANGUAGE sql\n"
	       "BEGIN ATOMIC\n SELECT\n         CASE\n             WHEN (j16.a > 1) THEN (t.x IS JSON)\n"
	       "             ELSE false\n         END AS \"case\"\n    FROM public.t;\n"
	       " SELECT (JSON_OBJECT('k' : a RETURNING json) IS JSON OBJECT);\nEND\n");
	PASSES(AT_OBJECT_DDL, SD_OBJ_FUNCTION,
	       "CREATE OR REPLACE FUNCTION public.j17(a integer)\n RETURNS SETOF integer\n LANGUAGE sql\n"
	       "BEGIN ATOMIC\n SELECT jt.v\n    FROM public.t,\n     LATERAL JSON_TABLE(\n"
	       "             t.j, '$[*]' AS json_table_path_0\n             COLUMNS (\n"
	       "                 v integer PATH '$'\n             )\n         ) jt\n   WHERE\n"
	       "         CASE\n             WHEN (j17.a > 0) THEN\n             CASE j17.a\n"
	       "                 WHEN 2 THEN true\n                 ELSE NULL::boolean\n"
	       "             END\n             ELSE NULL::boolean\n         END;\n SELECT 1;\nEND\n");
	PASSES(AT_OBJECT_DDL, SD_OBJ_FUNCTION,
	       "CREATE OR REPLACE PROCEDURE public.m(IN a integer)\n LANGUAGE sql\nBEGIN ATOMIC\n"
	       " UPDATE public.t SET x = CASE WHEN a > 0 THEN JSON_SCALAR(a) END, y = a * CASE a WHEN 1 "
	       "THEN 2 END\n   RETURNING CASE WHEN true THEN 1 END;\n"
	       " SELECT 1 ORDER BY CASE WHEN a IS JSON THEN 1 END;\nEND\n");
	PASSES(AT_OBJECT_DDL, SD_OBJ_FUNCTION,
	       "CREATE FUNCTION public.r(a integer) RETURNS integer LANGUAGE sql\nBEGIN ATOMIC\n"
	       " RETURN CASE WHEN JSON_EXISTS(a::text::jsonb, '$') THEN 1 END;\nEND");
}

static void
test_pg_texts__atomic_hostile(void **state)
{
	(void)state;
	/* "1 case" labels the column: the server's END after it ends the body, the DELETE runs */
	REFUSED(AT_OBJECT_DDL, SD_OBJ_FUNCTION,
	        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT x IS JSON case; "
	        "END; DELETE FROM users; END",
	        "column label");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_FUNCTION,
	        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT x IS JSON AS case; "
	        "END; DELETE FROM users; END",
	        "column label");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_FUNCTION,
	        "CREATE FUNCTION f() RETURNS SETOF int LANGUAGE sql BEGIN ATOMIC SELECT t.* case FROM t "
	        "WHERE x IS JSON; END; DELETE FROM users; END",
	        "column label");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_FUNCTION,
	        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1 WHERE x IS JSON; "
	        "END; DELETE FROM users",
	        "more than one statement");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_FUNCTION,
	        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1 WHERE x IS JSON; SELECT 2",
	        "left open");
	/* a view whose column is "begin", labelled "atomic": no body, the ';' ends it */
	REFUSED(AT_OBJECT_DDL, SD_OBJ_FUNCTION,
	        "CREATE VIEW v AS SELECT begin atomic FROM t WHERE x IS JSON; DELETE FROM users; "
	        "SELECT 1 end",
	        "does not start as its kind does");
	/* the first words decide the kind, not the first alone */
	REFUSED(AT_OBJECT_DDL, SD_OBJ_VIEW, "CREATE TABLE pwned AS SELECT x IS JSON FROM t",
	        "does not start as its kind does");
	REFUSED(AT_OBJECT_DDL, SD_OBJ_MATVIEW,
	        "CREATE MATERIALIZED VIEW mv AS SELECT x IS JSON FROM t;\n"
	        "CREATE TABLE pwned AS SELECT 1",
	        "a statement after the first is not one its kind may have");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pg_texts__legit_table_texts),
		cmocka_unit_test(test_pg_texts__legit_object_texts),
		cmocka_unit_test(test_pg_texts__hostile_expressions),
		cmocka_unit_test(test_pg_texts__hostile_objects),
		cmocka_unit_test(test_pg_texts__atomic_legit),
		cmocka_unit_test(test_pg_texts__atomic_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
