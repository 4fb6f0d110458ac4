/*
 * tests/integration/mysql/test_my_texts.c: the texts of TO a MySQL/MariaDB
 * plan copies are checked (connectors/mysql/my_plan_texts.c), on models
 * built in memory. The texts inspect writes pass, bodies with BEGIN ...
 * END, handlers, labels, CASE, IF, LOOP, REPEAT and WHILE included; a
 * second statement, one hidden from the lexer (an executable comment, a
 * client command, a quote escaped only under NO_BACKSLASH_ESCAPES, a
 * "begin" or "case" that starts no block), or a clause left open is
 * refused, naming the object and the field. (hostile/snapshot_mysql.sh
 * does the same end to end on a real server.)
 *
 *   my_texts__legit_*    inspect's texts
 *   my_texts__hostile_*  texts that would smuggle or break a statement
 */
#include "connectors/mysql/my_internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#define SEQ_DEF "START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775806 CACHE 1000 NOCYCLE"

typedef enum { AT_DEFAULT, AT_GENERATED, AT_TYPE, AT_COLLATION, AT_ON_UPDATE, AT_CHECK, AT_ACTION,
	       AT_KEY_EXPR, AT_OPTION, AT_PARTITION, AT_DDL, AT_SEQ_DEF, AT_SEQ_ENGINE } place;

static sd_err err;

/* Checks a schema holding table t (column c) and text at place; kind and sql_mode for objects. */
static int
check_one(place at, sd_obj_kind kind, const char *mode, const char *text)
{
	sd_schema *s = sd_schema_new("mysql");
	sd_arena *a = &s->arena;
	sd_table *t = sd_arena_alloc(a, sizeof(*t));
	sd_column *c = sd_arena_alloc(a, sizeof(*c));
	sd_object *o = sd_arena_alloc(a, sizeof(*o));
	sd_constraint *k = sd_arena_alloc(a, sizeof(*k));
	sd_index *ix = sd_arena_alloc(a, sizeof(*ix));
	sd_index_key *key = sd_arena_alloc(a, sizeof(*key));
	int rc;

	memset(&err, 0, sizeof(err));
	memset(k, 0, sizeof(*k));
	memset(ix, 0, sizeof(*ix));
	memset(key, 0, sizeof(*key));
	t->schema = "";
	t->name = "t";
	t->columns = c;
	t->n_columns = 1;
	c->name = "c";
	c->type = "int";
	k->name = "k";
	ix->name = "i";
	ix->keys = key;
	ix->n_keys = 1;
	key->column = "c";
	s->tables = t;
	s->n_tables = 1;
	o->kind = kind;
	o->schema = "";
	o->name = "o";
	o->signature = "";
	if (mode)
		sd_props_set(a, &o->props, "sql_mode", mode);
	switch (at) {
	case AT_DEFAULT: c->default_expr = text; break;
	case AT_GENERATED: c->generated = text; break;
	case AT_TYPE: c->type = text; break;
	case AT_COLLATION: c->collation = text; break;
	case AT_ON_UPDATE: sd_props_set(a, &c->props, "on_update", text); break;
	case AT_CHECK: k->expr = text; break;
	case AT_ACTION: k->on_delete = text; break;
	case AT_KEY_EXPR: key->column = NULL; key->expr = text; break;
	case AT_OPTION: sd_props_set(a, &t->props, "row_format", text); break;
	case AT_PARTITION: sd_props_set(a, &t->props, "partition", text); break;
	case AT_DDL: o->ddl = text; break;
	case AT_SEQ_DEF: o->definition = text; break;
	case AT_SEQ_ENGINE:
		o->definition = SEQ_DEF;
		sd_props_set(a, &o->props, "engine", text);
		break;
	}
	if (at == AT_CHECK || at == AT_ACTION) {
		t->constraints = k;
		t->n_constraints = 1;
	}
	if (at == AT_KEY_EXPR) {
		t->indexes = ix;
		t->n_indexes = 1;
	}
	if (at == AT_SEQ_DEF || at == AT_SEQ_ENGINE) {
		o->kind = SD_OBJ_SEQUENCE;
		o->ddl = "CREATE SEQUENCE `o` ; DROP TABLE t"; /* never copied: not checked */
	}
	if (at == AT_DDL || at == AT_SEQ_DEF || at == AT_SEQ_ENGINE) {
		s->objects = o;
		s->n_objects = 1;
	}
	rc = sd_my__check_texts(s, &err);
	s->tables = NULL;
	s->objects = NULL;
	sd_schema_free(s);
	return rc;
}

#define PASSES(at, kind, mode, text)                                                               \
	do {                                                                                       \
		if (check_one(at, kind, mode, text) != SD_OK)                                      \
			fail_msg("refused: %s\n  because %s", text, err.msg);                      \
	} while (0)

#define REFUSED(at, kind, mode, text, words)                                                       \
	do {                                                                                       \
		if (check_one(at, kind, mode, text) != SD_EINPUT)                                  \
			fail_msg("passed: %s", text);                                              \
		if (!strstr(err.msg, words))                                                       \
			fail_msg("message lacks \"%s\": %s", words, err.msg);                      \
		if (!strstr(err.msg, "in the target (TO side"))                                    \
			fail_msg("message does not say the text is TO's: %s", err.msg);            \
	} while (0)

#define PROC_HEAD "CREATE PROCEDURE `p`(IN `n` int)\n"

static void
test_my_texts__legit_table_texts(void **state)
{
	(void)state;
	PASSES(AT_DEFAULT, 0, NULL, "'a\\\\b''c;'");
	PASSES(AT_DEFAULT, 0, NULL, "current_timestamp(3)");
	PASSES(AT_DEFAULT, 0, NULL, "(`a` + 1)");
	PASSES(AT_GENERATED, 0, NULL, "`id` * 2");
	PASSES(AT_TYPE, 0, NULL, "enum('a;','b,c')");
	PASSES(AT_TYPE, 0, NULL, "decimal(10,2) unsigned");
	PASSES(AT_TYPE, 0, NULL, "text /*!100301 COMPRESSED*/"); /* MariaDB's compressed column */
	PASSES(AT_TYPE, 0, NULL, "blob /*M!100301 COMPRESSED=zlib*/");
	PASSES(AT_COLLATION, 0, NULL, "utf8mb4_bin");
	PASSES(AT_ON_UPDATE, 0, NULL, "current_timestamp()");
	PASSES(AT_CHECK, 0, NULL, "char_length(`c*/ x; y`) < 100 or `c` is null");
	PASSES(AT_ACTION, 0, NULL, "set null");
	PASSES(AT_KEY_EXPR, 0, NULL, "lower(`c`)");
	PASSES(AT_OPTION, 0, NULL, "DYNAMIC");
	PASSES(AT_OPTION, 0, NULL, "'zlib'");
	PASSES(AT_PARTITION, 0, NULL,
	       "PARTITION BY RANGE (`at`) (PARTITION `p0` VALUES LESS THAN (10), "
	       "PARTITION `p1` VALUES LESS THAN MAXVALUE)");
}

static void
test_my_texts__legit_objects(void **state)
{
	(void)state;
	PASSES(AT_DDL, SD_OBJ_VIEW, NULL,
	       "CREATE OR REPLACE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v;` AS select "
	       "`id` AS `id`, 'a\\'b;' AS `s` from `t` where `c` <> ';'");
	PASSES(AT_DDL, SD_OBJ_VIEW, "NO_BACKSLASH_ESCAPES",
	       "CREATE OR REPLACE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 'a\\' AS `s`");
	PASSES(AT_DDL, SD_OBJ_TRIGGER, NULL,
	       "CREATE TRIGGER `trg` BEFORE INSERT ON `t` FOR EACH ROW BEGIN\n"
	       "  IF NEW.id < 0 THEN SET NEW.id = 0; ELSEIF NEW.id > 9 THEN SET NEW.id = 9; END IF;\n"
	       "  SET NEW.name = CASE WHEN NEW.name = '' THEN 'x' ELSE NEW.name END;\nEND");
	PASSES(AT_DDL, SD_OBJ_TRIGGER, NULL,
	       "CREATE TRIGGER `trg` BEFORE INSERT ON `t` FOR EACH ROW SET NEW.`c` = CONCAT('\\\\', ';')");
	PASSES(AT_DDL, SD_OBJ_FUNCTION, NULL,
	       PROC_HEAD "BEGIN\n"
	       "  DECLARE i int DEFAULT 0;\n"
	       "  DECLARE c CURSOR FOR SELECT 1;\n"
	       "  DECLARE CONTINUE HANDLER FOR SQLSTATE '23000', NOT FOUND BEGIN SET i = -1; END;\n"
	       "  DECLARE EXIT HANDLER FOR SQLEXCEPTION SET i = -2;\n"
	       "  outer_loop: LOOP\n    SET i = i + 1;\n"
	       "    IF i >= n THEN LEAVE outer_loop; END IF;\n  END LOOP outer_loop;\n"
	       "  `lbl`: BEGIN SELECT 1; END `lbl`;\n"
	       "  REPEAT SET i = i - 1; UNTIL i <= CASE WHEN n > 0 THEN 0 ELSE 1 END END REPEAT;\n"
	       "  CASE n WHEN 1 THEN SELECT 'one;'; ELSE BEGIN SELECT 'many'; END; END CASE;\n"
	       "  WHILE i < 2 DO SET i = i + 1; END WHILE;\n"
	       "  SELECT t.begin, @end FROM t; -- a comment; with ';'\n"
	       "END");
	PASSES(AT_DDL, SD_OBJ_FUNCTION, NULL,
	       "CREATE FUNCTION `f*/`(`x\\` varchar(10)) RETURNS varchar(40) CHARSET utf8mb4 "
	       "COLLATE utf8mb4_bin DETERMINISTIC READS SQL DATA COMMENT 'it''s; x'\n"
	       "RETURN CONCAT('\\\\', `x\\`, '\\\\')");
	PASSES(AT_DDL, SD_OBJ_FUNCTION, NULL,
	       "CREATE FUNCTION `f`(`x` int) RETURNS decimal(10,2) unsigned\nBEGIN\n  RETURN x;\nEND");
	PASSES(AT_DDL, SD_OBJ_FUNCTION, NULL, "CREATE PROCEDURE `p`()\nBEGIN NOT ATOMIC SELECT 1; END");
	/* a body holding ';' is written in DELIMITER, its delimiter on the next line */
	PASSES(AT_DDL, SD_OBJ_FUNCTION, NULL, "CREATE PROCEDURE `p`()\nBEGIN SELECT 1; END -- done");
	PASSES(AT_DDL, SD_OBJ_EVENT, NULL,
	       "CREATE EVENT `e` ON SCHEDULE EVERY '1' DAY ENDS '2030-01-01 00:00:00' ON COMPLETION NOT "
	       "PRESERVE DISABLE COMMENT 'x;' DO BEGIN DELETE FROM t; DELETE FROM u; END");
	PASSES(AT_DDL, SD_OBJ_EVENT, NULL,
	       "CREATE EVENT `e` ON SCHEDULE AT '2030-01-01 00:00:00' ON COMPLETION PRESERVE ENABLE DO "
	       "SELECT 1");
}

static void
test_my_texts__hostile_table_texts(void **state)
{
	(void)state;
	REFUSED(AT_DEFAULT, 0, NULL, "1); DELETE FROM users; SELECT (1", "column t.c: its default_expr");
	REFUSED(AT_DEFAULT, 0, NULL, "1; DELETE FROM users", "more than one statement");
	REFUSED(AT_DEFAULT, 0, NULL, "'x', evil int", "more than one item");
	REFUSED(AT_DEFAULT, 0, NULL, "'x", "left open");
	REFUSED(AT_DEFAULT, 0, NULL, "1 -- x", "ends in a line comment");
	REFUSED(AT_DEFAULT, 0, NULL, "1 # x", "ends in a line comment");
	REFUSED(AT_DEFAULT, 0, NULL, "1 /*!; DELETE FROM users */", "executable comment");
	REFUSED(AT_DEFAULT, 0, NULL, "1 \\g DELETE FROM users", "backslash");
	/* ANSI_QUOTES, which the plan's session may keep: "..." is an identifier without escapes */
	REFUSED(AT_DEFAULT, 0, NULL, "\"a\\\"; DELETE FROM users; -- \"", "column t.c: its default_expr");
	REFUSED(AT_GENERATED, 0, NULL, "a) VIRTUAL, x int AS (1", "its generated");
	REFUSED(AT_TYPE, 0, NULL, "int; DELETE FROM users", "its type");
	REFUSED(AT_COLLATION, 0, NULL, "utf8mb4_bin; DELETE FROM users", "its collation");
	REFUSED(AT_ON_UPDATE, 0, NULL, "now(); DELETE FROM users", "its on_update");
	REFUSED(AT_CHECK, 0, NULL, "1); DELETE FROM users; SELECT (1", "constraint t.k: its expr");
	REFUSED(AT_ACTION, 0, NULL, "cascade; DELETE FROM users", "its on_delete");
	REFUSED(AT_KEY_EXPR, 0, NULL, "c); DELETE FROM users; SELECT (1", "index t.i: its expr");
	REFUSED(AT_OPTION, 0, NULL, "DYNAMIC; DELETE FROM users", "its row_format");
	REFUSED(AT_PARTITION, 0, NULL, "PARTITION BY HASH (c); DELETE FROM users", "its partition");
	REFUSED(AT_PARTITION, 0, NULL, "ENGINE=MEMORY", "PARTITION BY");
}

static void
test_my_texts__hostile_objects(void **state)
{
	(void)state;
	REFUSED(AT_DDL, SD_OBJ_VIEW, NULL, "CREATE VIEW `v` AS select 1; DELETE FROM users",
	        "view o: its ddl");
	REFUSED(AT_DDL, SD_OBJ_VIEW, NULL, "DELETE FROM users", "CREATE");
	REFUSED(AT_DDL, SD_OBJ_VIEW, NULL, "CREATE VIEW `v` AS select 1 /*!; DELETE FROM users */",
	        "executable comment");
	REFUSED(AT_DDL, SD_OBJ_VIEW, NULL, "CREATE VIEW `v` AS select 1 /*M!100000 ; DROP TABLE t */",
	        "executable comment");
	/* one string by default, "'a\'" then a DELETE under NO_BACKSLASH_ESCAPES */
	REFUSED(AT_DDL, SD_OBJ_VIEW, "NO_BACKSLASH_ESCAPES",
	        "CREATE VIEW `v` AS select 'a\\'; DELETE FROM users; -- '", "view o: its ddl");
	REFUSED(AT_DDL, SD_OBJ_VIEW, "ANSI_QUOTES",
	        "CREATE VIEW `v` AS select \"a\\\"; DELETE FROM users; -- \"", "view o: its ddl");
	REFUSED(AT_DDL, SD_OBJ_TRIGGER, NULL,
	        "CREATE TRIGGER `t` BEFORE INSERT ON `t` FOR EACH ROW BEGIN SET NEW.c = 1; END; "
	        "DELETE FROM users",
	        "trigger o: its ddl");
	REFUSED(AT_DDL, SD_OBJ_TRIGGER, NULL,
	        "CREATE TRIGGER `t` BEFORE INSERT ON `t` FOR EACH ROW SET NEW.c = 1; DELETE FROM users",
	        "more than one statement");
	/* "begin" and "case" here start no block: the server ends the body at the first ';' */
	REFUSED(AT_DDL, SD_OBJ_FUNCTION, NULL,
	        PROC_HEAD "SELECT id FROM t begin; DELETE FROM users; END", "function o: its ddl");
	REFUSED(AT_DDL, SD_OBJ_FUNCTION, NULL,
	        PROC_HEAD "SELECT CASE WHEN 1 THEN begin END FROM t; DELETE FROM users; END",
	        "function o: its ddl");
	REFUSED(AT_DDL, SD_OBJ_FUNCTION, NULL, PROC_HEAD "DO begin; DELETE FROM users; END",
	        "function o: its ddl");
	REFUSED(AT_DDL, SD_OBJ_FUNCTION, NULL, PROC_HEAD "BEGIN SELECT 1; END; DELETE FROM users",
	        "more than one statement");
	REFUSED(AT_DDL, SD_OBJ_FUNCTION, NULL,
	        PROC_HEAD "BEGIN IF 1 THEN SELECT 1; END; DELETE FROM users; END IF; END",
	        "do not match");
	/* the header must be schemad's: a body hidden in it cannot move where the body starts */
	REFUSED(AT_DDL, SD_OBJ_FUNCTION, NULL,
	        "CREATE PROCEDURE `p`() SELECT 1 FROM t\nbegin; DELETE FROM users; END",
	        "its header holds a word");
	REFUSED(AT_DDL, SD_OBJ_FUNCTION, NULL, "CREATE PROCEDURE begin() SELECT 1; DELETE FROM users; END",
	        "function o: its ddl");
	REFUSED(AT_DDL, SD_OBJ_FUNCTION, NULL, PROC_HEAD "BEGIN SELECT 1;", "block open");
	REFUSED(AT_DDL, SD_OBJ_FUNCTION, NULL, "CREATE FUNCTION `f`()\nRETURN 1 -- x",
	        "ends in a line comment");
	REFUSED(AT_DDL, SD_OBJ_EVENT, NULL,
	        "CREATE EVENT `e` ON SCHEDULE EVERY '1' DAY DO BEGIN SELECT 1; END; DELETE FROM users",
	        "event o: its ddl");
	REFUSED(AT_DDL, SD_OBJ_EVENT, NULL,
	        "CREATE EVENT `e` ON SCHEDULE EVERY '1' DAY COMMENT 'x' SELECT 1 DO BEGIN SELECT 1; END",
	        "its header holds a word");
}

/* A sequence's numbers are parsed, never copied: anything but the reader's option list is refused. */
static void
test_my_texts__sequences(void **state)
{
	(void)state;
	PASSES(AT_SEQ_DEF, 0, NULL, SEQ_DEF);
	PASSES(AT_SEQ_DEF, 0, NULL,
	       "START WITH -1 INCREMENT BY -5 MINVALUE -9223372036854775807 MAXVALUE -1 CACHE 0 CYCLE");
	PASSES(AT_SEQ_ENGINE, 0, NULL, "Aria");
	REFUSED(AT_SEQ_DEF, 0, NULL, SEQ_DEF "; DROP TABLE t", "sequence o: its definition");
	REFUSED(AT_SEQ_DEF, 0, NULL,
	        "START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 1e3 CACHE 1 NOCYCLE", "not an integer");
	REFUSED(AT_SEQ_DEF, 0, NULL,
	        "START WITH (SELECT 1) INCREMENT BY 1 MINVALUE 1 MAXVALUE 9 CACHE 1 NOCYCLE",
	        "sequence o: its definition");
	REFUSED(AT_SEQ_DEF, 0, NULL, "START WITH - INCREMENT BY 1 MINVALUE 1 MAXVALUE 9 CACHE 1 NOCYCLE",
	        "sequence o: its definition");
	REFUSED(AT_SEQ_DEF, 0, NULL,
	        "START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 123456789012345678901234 CACHE 1 NOCYCLE",
	        "sequence o: its definition");
	REFUSED(AT_SEQ_DEF, 0, NULL, "START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 9 CACHE 1",
	        "sequence o: its definition");
	REFUSED(AT_SEQ_DEF, 0, NULL, " " SEQ_DEF, "sequence o: its definition");
	REFUSED(AT_SEQ_DEF, 0, NULL, "", "sequence o: its definition");
	REFUSED(AT_SEQ_ENGINE, 0, NULL, "InnoDB; DROP TABLE t", "sequence o: its engine");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_my_texts__legit_table_texts),
		cmocka_unit_test(test_my_texts__legit_objects),
		cmocka_unit_test(test_my_texts__hostile_table_texts),
		cmocka_unit_test(test_my_texts__hostile_objects),
		cmocka_unit_test(test_my_texts__sequences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
