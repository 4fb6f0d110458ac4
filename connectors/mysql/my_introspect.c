/*
 * connectors/mysql/my_introspect.c: read a live MySQL or MariaDB catalog.
 *
 * Twelve information_schema queries at most, whatever the table count, each
 * filtered to the one database by a bound parameter, and one more that
 * reads every MariaDB sequence's options when there is one
 * (my_sequences.c), inside one read-only transaction (my_conn.c). Rows
 * are sorted in C, never by the server's
 * ORDER BY, whose collations differ between servers.
 *
 * Model mapping: PRIMARY KEY is a constraint; UNIQUE, FULLTEXT, SPATIAL and
 * plain keys are indexes (MySQL keeps them as indexes, with prefix lengths
 * and comments a constraint cannot hold); foreign keys and CHECKs are
 * constraints. Engine facts are properties: table engine, collation and
 * CREATE_OPTIONS (row_format, ...), partitioning as its SQL clause; column
 * on_update and invisible; index invisible, comment and prefix lengths.
 * How MariaDB says a constraint was written, where it keeps a spelling that
 * means the same (a CHECK on a column, NO ACTION spelled out), is the
 * property "form" (docs/mysql.md, "forms"). AUTO_INCREMENT counters, row
 * counts and DEFINER are never read.
 *
 * Not yet: system-versioned history details, the
 * order of several triggers on one event (FOLLOWS/PRECEDES), FULLTEXT
 * parsers, tablespaces.
 */
#include "connectors/mysql/my_internal.h"


#include <ctype.h>
#include <mysql.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { Q_TABLES, Q_COLUMNS, Q_INDEXES, Q_FKEYS, Q_FKRULES, Q_CHECKS, Q_PARTS, Q_VIEWS,
       Q_TRIGGERS, Q_ROUTINES, Q_PARAMS, Q_EVENTS, Q__COUNT };

#define TABLES_SQL                                                                                 \
	"SELECT TABLE_NAME, ENGINE, TABLE_COLLATION, CREATE_OPTIONS, TABLE_COMMENT, TABLE_TYPE "  \
	"FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? "                                   \
	"AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED', 'SEQUENCE')"
#define COLUMNS_SQL                                                                                \
	"SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, "          \
	"COLUMN_TYPE, COLLATION_NAME, EXTRA, COLUMN_COMMENT, GENERATION_EXPRESSION, DATA_TYPE "    \
	"FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
#define INDEXES_SQL(hidden, expr)                                                                  \
	"SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, NON_UNIQUE, COLUMN_NAME, SUB_PART, "         \
	"COLLATION, INDEX_TYPE, INDEX_COMMENT, " hidden ", " expr " "                              \
	"FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
/*
 * Foreign keys in two queries joined in C: MariaDB evaluates the
 * KEY_COLUMN_USAGE x REFERENTIAL_CONSTRAINTS join table by table, eight
 * times slower than both reads together at 5,000 tables.
 */
#define FKEYS_SQL                                                                                  \
	"SELECT TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION, COLUMN_NAME, "                      \
	"REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME "                  \
	"FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? "                         \
	"AND REFERENCED_TABLE_NAME IS NOT NULL"
#define FKRULES_SQL                                                                                \
	"SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE "                            \
	"FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?"
#define PARTS_SQL                                                                                  \
	"SELECT TABLE_NAME, PARTITION_NAME, SUBPARTITION_NAME, PARTITION_ORDINAL_POSITION, "       \
	"SUBPARTITION_ORDINAL_POSITION, PARTITION_METHOD, SUBPARTITION_METHOD, "                   \
	"PARTITION_EXPRESSION, SUBPARTITION_EXPRESSION, PARTITION_DESCRIPTION "                    \
	"FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = ? AND PARTITION_NAME IS NOT NULL"
#define VIEWS_SQL(algorithm)                                                                       \
	"SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE, " algorithm " "          \
	"FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?"
#define TRIGGERS_SQL                                                                               \
	"SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_STATEMENT, "          \
	"ACTION_TIMING, ACTION_ORDER, SQL_MODE FROM information_schema.TRIGGERS "                   \
	"WHERE TRIGGER_SCHEMA = ?"
#define ROUTINES_SQL                                                                               \
	"SELECT ROUTINE_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, ROUTINE_DEFINITION, IS_DETERMINISTIC, " \
	"SQL_DATA_ACCESS, SECURITY_TYPE, ROUTINE_COMMENT, SQL_MODE "                               \
	"FROM information_schema.ROUTINES "                                                        \
	"WHERE ROUTINE_SCHEMA = ?"
#define PARAMS_SQL                                                                                 \
	"SELECT SPECIFIC_NAME, ROUTINE_TYPE, ORDINAL_POSITION, PARAMETER_MODE, PARAMETER_NAME, "   \
	"DTD_IDENTIFIER FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = ? "             \
	"AND ORDINAL_POSITION > 0"
#define EVENTS_SQL                                                                                 \
	"SELECT EVENT_NAME, EVENT_DEFINITION, EVENT_TYPE, INTERVAL_VALUE, INTERVAL_FIELD, ENDS, "  \
	"STATUS, ON_COMPLETION, EVENT_COMMENT, EXECUTE_AT, SQL_MODE FROM information_schema.EVENTS " \
	"WHERE EVENT_SCHEMA = ?"

/* MariaDB: CHECK_CONSTRAINTS has TABLE_NAME and LEVEL; index visibility is IGNORED. */
static const char *const maria_queries[] = {
	TABLES_SQL,
	COLUMNS_SQL,
	INDEXES_SQL("IGNORED", "NULL"),
	FKEYS_SQL,
	FKRULES_SQL,
	"SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, LEVEL FROM "
	"information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?",
	PARTS_SQL,
	VIEWS_SQL("ALGORITHM"),
	TRIGGERS_SQL,
	ROUTINES_SQL,
	PARAMS_SQL,
	EVENTS_SQL,
	NULL,
};

/* MySQL 8: checks are joined to their table; IS_VISIBLE and functional key parts. */
static const char *const mysql_queries[] = {
	TABLES_SQL,
	COLUMNS_SQL,
	INDEXES_SQL("IF(IS_VISIBLE = 'NO', 'YES', 'NO')", "EXPRESSION"),
	FKEYS_SQL,
	FKRULES_SQL,
	"SELECT t.TABLE_NAME, c.CONSTRAINT_NAME, c.CHECK_CLAUSE, 'Table' FROM "
	"information_schema.CHECK_CONSTRAINTS c JOIN information_schema.TABLE_CONSTRAINTS t "
	"ON t.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND t.CONSTRAINT_NAME = c.CONSTRAINT_NAME "
	"AND t.CONSTRAINT_TYPE = 'CHECK' WHERE c.CONSTRAINT_SCHEMA = ?",
	PARTS_SQL,
	VIEWS_SQL("NULL"),
	TRIGGERS_SQL,
	ROUTINES_SQL,
	PARAMS_SQL,
	EVENTS_SQL,
	NULL,
};

const char *const *
sd_my_catalog_queries(const char *flavor)
{
	return flavor && strcmp(flavor, "mysql") == 0 ? mysql_queries : maria_queries;
}


/* A table while it is being read; copied into the arena at the end. */
typedef struct tbuild {
	sd_table t;
	sd_table_parts parts;
} tbuild;

typedef struct reader {
	sd_schema *s;
	sd_arena *a;
	const char *db;
	bool mariadb;
	my_rows rows[Q__COUNT];
	my_rows sequences; /* the options of each sequence of rows[Q_TABLES] */
	tbuild *tables; /* sorted by name */
	size_t n_tables;
	my_object_vec objs;
} reader;

static int
cmp_tbuild(const void *a, const void *b)
{
	return strcmp(((const tbuild *)a)->t.name, ((const tbuild *)b)->t.name);
}

static tbuild *
find_table(reader *r, const char *name)
{
	tbuild key = {.t.name = name};

	if (!name)
		return NULL;
	return bsearch(&key, r->tables, r->n_tables, sizeof(*r->tables), cmp_tbuild);
}

static bool
is(const char *a, const char *b)
{
	return a && strcasecmp(a, b) == 0;
}

static const char *
nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

/* ---- tables ---------------------------------------------------------- */

/*
 * CREATE_OPTIONS: "row_format=DYNAMIC stats_persistent=0 partitioned
 * `page_compressed`=1" -> one property per option (key lower case, value
 * as printed). "partitioned" is read from PARTITIONS instead.
 */
static void
table_options(reader *r, sd_table *t, const char *opts)
{
	const char *p = opts;

	while (p && *p) {
		const char *start, *eq, *end;
		char quote = 0;
		while (*p == ' ')
			p++;
		start = p;
		for (end = p; *end && (quote || *end != ' '); end++)
			if (*end == '\'' || *end == '`')
				quote = quote == *end ? 0 : quote ? quote : *end;
		eq = memchr(start, '=', (size_t)(end - start));
		if (eq) {
			char *key = sd_arena_strndup(r->a, start, (size_t)(eq - start));
			char *k = key, *o = key;
			for (; *k; k++)
				if (*k != '`')
					*o++ = (char)tolower((unsigned char)*k);
			*o = '\0';
			sd_props_set(r->a, &t->props, key,
				     sd_arena_strndup(r->a, eq + 1, (size_t)(end - eq - 1)));
		}
		p = end;
	}
}

static void
read_tables(reader *r)
{
	my_rows *rows = &r->rows[Q_TABLES];

	r->tables = sd_xcalloc(rows->len + 1, sizeof(*r->tables));
	for (size_t i = 0; i < rows->len; i++) {
		const char **v = rows->ptr[i].v;
		sd_table *t = &r->tables[r->n_tables].t;
		/* A sequence is a table to the catalog; my_sequences.c reads it. */
		if (sd_my__is_sequence_row(v))
			continue;
		r->n_tables++;
		t->schema = "";
		t->name = v[0];
		t->comment = nonempty(v[4]);
		if (v[1])
			sd_props_set(r->a, &t->props, "engine", v[1]);
		if (v[2])
			sd_props_set(r->a, &t->props, "collation", v[2]);
		table_options(r, t, v[3]);
		if (is(v[5], "SYSTEM VERSIONED"))
			sd_props_set(r->a, &t->props, "system_versioning", "true");
	}
	if (r->n_tables > 1)
		qsort(r->tables, r->n_tables, sizeof(*r->tables), cmp_tbuild);
}

/* ---- columns --------------------------------------------------------- */

static void
column_row(reader *r, const char **v)
{
	tbuild *b = find_table(r, v[0]);
	const char *extra = v[7] ? v[7] : "", *coll = v[6], *on_update;
	sd_column c = {0};

	if (!b)
		return;
	c.name = v[1];
	c.position = atoi(v[2]);
	c.not_null = is(v[4], "NO");
	c.type = sd_my__canon_type(r->a, v[5]);
	if (strstr(extra, "GENERATED") && nonempty(v[9]) && !strstr(extra, "DEFAULT_GENERATED")) {
		c.generated = sd_my__canon_expr(r->a, v[9], r->db);
		c.generated_stored = strstr(extra, "STORED") != NULL;
	} else {
		c.default_expr = sd_my__canon_default(r->a, v[3], v[10], extra, r->mariadb, r->db);
	}
	/* Only a collation other than the table's is the column's own. */
	if (coll && !sd_streq(coll, sd_props_get(&b->t.props, "collation")))
		c.collation = coll;
	c.comment = nonempty(v[8]);
	if (strstr(extra, "auto_increment"))
		c.identity = "auto_increment";
	if ((on_update = sd_my__on_update(r->a, extra)))
		sd_props_set(r->a, &c.props, "on_update", on_update);
	if (strstr(extra, "INVISIBLE"))
		sd_props_set(r->a, &c.props, "invisible", "true");
	sd_vec_push(&b->parts.cols, c);
}

static void
read_columns(reader *r)
{
	my_rows *rows = &r->rows[Q_COLUMNS];

	for (size_t i = 0; i < rows->len; i++) {
		rows->ptr[i].k1 = rows->ptr[i].v[0];
		rows->ptr[i].n1 = atol(rows->ptr[i].v[2]);
	}
	sd_my__sort_rows(rows);
	for (size_t i = 0; i < rows->len; i++)
		column_row(r, rows->ptr[i].v);
}

/* ---- indexes and the primary key ------------------------------------- */

/* "10,,5": prefix lengths per key part, "" when none; NULL when no part has one. */
static const char *
prefix_lengths(reader *r, my_row *rows, size_t n)
{
	sd_str s;
	bool any = false;
	const char *out;

	sd_str_init(&s);
	for (size_t i = 0; i < n; i++) {
		const char *sub = rows[i].v[5];
		if (i)
			sd_str_appendc(&s, ',');
		if (sub) {
			sd_str_append(&s, sub);
			any = true;
		}
	}
	out = any ? sd_arena_strndup(r->a, s.ptr, s.len) : NULL;
	sd_str_dispose(&s);
	return out;
}

static void
primary_key(reader *r, tbuild *b, my_row *rows, size_t n)
{
	sd_constraint c = {0};
	const char **cols = sd_arena_alloc(r->a, n * sizeof(*cols));
	const char *lengths = prefix_lengths(r, rows, n);
	sd_str desc;

	sd_str_init(&desc);
	for (size_t i = 0; i < n; i++) {
		cols[i] = rows[i].v[4];
		if (is(rows[i].v[6], "D"))
			sd_str_appendf(&desc, "%s%zu", desc.len ? "," : "", i + 1);
	}
	c.type = SD_CON_PRIMARY;
	c.columns = cols;
	c.n_columns = n;
	if (lengths)
		sd_props_set(r->a, &c.props, "lengths", lengths);
	if (desc.len)
		sd_props_set(r->a, &c.props, "desc", desc.ptr);
	sd_str_dispose(&desc);
	sd_vec_push(&b->parts.cons, c);
}

/*
 * BTREE is the default of every engine but MEMORY, whose default is HASH:
 * there, BTREE is a method chosen by USING BTREE, and the plan must say so.
 * Elsewhere STATISTICS says BTREE whether USING BTREE was written or not
 * (only SHOW CREATE TABLE tells: docs/mysql.md).
 */
static const char *
index_method(const char *type, const char *engine)
{
	if (is(type, "BTREE") && (is(engine, "MEMORY") || is(engine, "HEAP")))
		return "btree";
	if (!type || is(type, "BTREE"))
		return NULL;
	if (is(type, "FULLTEXT"))
		return "fulltext";
	if (is(type, "SPATIAL"))
		return "spatial";
	if (is(type, "HASH"))
		return "hash";
	if (is(type, "RTREE"))
		return "spatial";
	return type;
}

/* rows: one index's key parts in SEQ_IN_INDEX order. */
static void
index_rows(reader *r, tbuild *b, my_row *rows, size_t n)
{
	const char **v = rows[0].v;
	sd_index ix = {0};
	const char *lengths;

	if (strcmp(v[1], "PRIMARY") == 0) {
		primary_key(r, b, rows, n);
		return;
	}
	ix.name = v[1];
	ix.unique = is(v[3], "0");
	ix.method = index_method(v[7], sd_props_get(&b->t.props, "engine"));
	ix.keys = sd_arena_alloc(r->a, n * sizeof(*ix.keys));
	ix.n_keys = n;
	for (size_t i = 0; i < n; i++) {
		ix.keys[i].column = rows[i].v[4];
		if (!ix.keys[i].column)
			ix.keys[i].expr = sd_my__canon_expr(r->a, rows[i].v[10], r->db);
		ix.keys[i].desc = is(rows[i].v[6], "D");
	}
	/* SPATIAL keys report a SUB_PART of 32 that no CREATE can state. */
	if (!sd_streq(ix.method, "spatial") && (lengths = prefix_lengths(r, rows, n)))
		sd_props_set(r->a, &ix.props, "lengths", lengths);
	if (nonempty(v[8]))
		sd_props_set(r->a, &ix.props, "comment", v[8]);
	if (is(v[9], "YES"))
		sd_props_set(r->a, &ix.props, "invisible", "true");
	sd_vec_push(&b->parts.idx, ix);
}

typedef void (*group_fn)(reader *r, tbuild *b, my_row *rows, size_t n);

/*
 * Sorts rows keyed (table, name, position) from their first three values
 * and calls fn once per (table, name) group: one index or foreign key.
 */
static void
each_group(reader *r, my_rows *rows, group_fn fn)
{
	size_t i = 0;

	for (size_t k = 0; k < rows->len; k++) {
		rows->ptr[k].k1 = rows->ptr[k].v[0];
		rows->ptr[k].k2 = rows->ptr[k].v[1];
		rows->ptr[k].n1 = atol(rows->ptr[k].v[2]);
	}
	sd_my__sort_rows(rows);
	while (i < rows->len) {
		size_t j = i + 1;
		tbuild *b = find_table(r, rows->ptr[i].k1);
		while (j < rows->len && sd_streq(rows->ptr[j].k1, rows->ptr[i].k1) &&
		       sd_streq(rows->ptr[j].k2, rows->ptr[i].k2))
			j++;
		if (b)
			fn(r, b, &rows->ptr[i], j - i);
		i = j;
	}
}

static void
read_indexes(reader *r)
{
	each_group(r, &r->rows[Q_INDEXES], index_rows);
}

/* ---- foreign keys and checks ----------------------------------------- */

/* RESTRICT and NO ACTION behave alike in InnoDB and each flavor prints its own default. */
static const char *
fk_action(reader *r, const char *rule)
{
	char *s;

	if (!rule || is(rule, "RESTRICT") || is(rule, "NO ACTION"))
		return NULL;
	s = sd_arena_strdup(r->a, rule);
	for (char *c = s; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return s;
}

/*
 * MariaDB reports an action left out, and RESTRICT, as RESTRICT (and shows
 * neither), but keeps and shows NO ACTION when it was written: the same
 * behaviour in InnoDB, another form. MySQL reports NO ACTION for one left
 * out, so only MariaDB's rule tells.
 */
static const char *
fk_form(reader *r, const char **rule)
{
	bool del = is(rule[3], "NO ACTION"), upd = is(rule[2], "NO ACTION");

	if (!r->mariadb || (!del && !upd))
		return NULL;
	/* SHOW CREATE TABLE's order: ON DELETE before ON UPDATE. */
	return del && upd ? "ON DELETE NO ACTION ON UPDATE NO ACTION"
	       : del      ? "ON DELETE NO ACTION"
			  : "ON UPDATE NO ACTION";
}

/* The REFERENTIAL_CONSTRAINTS row of (table, name), rows sorted by read_fkeys; NULL if none. */
static const char **
fk_rule(reader *r, const char *table, const char *name)
{
	my_rows *rules = &r->rows[Q_FKRULES];
	size_t lo = 0, hi = rules->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(rules->ptr[mid].k1, table);
		if (!c)
			c = strcmp(rules->ptr[mid].k2, name);
		if (!c)
			return rules->ptr[mid].v;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void
fkey_rows(reader *r, tbuild *b, my_row *rows, size_t n)
{
	const char **v = rows[0].v, **rule = fk_rule(r, v[0], v[1]);
	sd_constraint c = {0};
	const char **cols = sd_arena_alloc(r->a, n * sizeof(*cols));
	const char **refs = sd_arena_alloc(r->a, n * sizeof(*refs));

	for (size_t i = 0; i < n; i++) {
		cols[i] = rows[i].v[3];
		refs[i] = rows[i].v[6];
	}
	c.type = SD_CON_FOREIGN;
	c.name = v[1];
	c.columns = cols;
	c.n_columns = n;
	c.ref_columns = refs;
	c.n_ref_columns = n;
	/* Same-database references stay unqualified so two databases compare equal. */
	c.ref_schema = sd_streq(v[4], r->db) ? NULL : v[4];
	c.ref_table = v[5];
	c.on_update = rule ? fk_action(r, rule[2]) : NULL;
	c.on_delete = rule ? fk_action(r, rule[3]) : NULL;
	if (rule && fk_form(r, rule))
		sd_props_set(r->a, &c.props, "form", fk_form(r, rule));
	sd_vec_push(&b->parts.cons, c);
}

static void
read_fkeys(reader *r)
{
	my_rows *rules = &r->rows[Q_FKRULES];

	for (size_t k = 0; k < rules->len; k++) {
		rules->ptr[k].k1 = rules->ptr[k].v[0];
		rules->ptr[k].k2 = rules->ptr[k].v[1];
	}
	sd_my__sort_rows(rules);
	each_group(r, &r->rows[Q_FKEYS], fkey_rows);
}

/* MariaDB names unnamed checks CONSTRAINT_<n> (column checks after the
 * column), MySQL <table>_chk_<n>: such names are matched by expression. */
static bool
check_name_generated(const char *table, const char *name, const char *level)
{
	size_t tn = strlen(table);
	const char *p = NULL;

	if (is(level, "Column"))
		return true;
	if (strncmp(name, "CONSTRAINT_", 11) == 0)
		p = name + 11;
	else if (strncmp(name, table, tn) == 0 && strncmp(name + tn, "_chk_", 5) == 0)
		p = name + tn + 5;
	if (!p || !*p)
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/*
 * MariaDB's JSON is an alias: LONGTEXT COLLATE utf8mb4_bin plus a column
 * CHECK (json_valid(`c`)) named after the column. Read it back as json, as
 * MySQL reports it, so MODIFY COLUMN keeps the check and flavors compare.
 */
static bool
maria_json(reader *r, tbuild *b, const char **v)
{
	sd_str want;
	bool match;

	if (!r->mariadb || !is(v[3], "Column"))
		return false;
	sd_str_init(&want);
	sd_str_append(&want, "json_valid(");
	sd_my_quote_ident(&want, v[1]);
	sd_str_appendc(&want, ')');
	match = sd_streq(sd_my__canon_expr(r->a, v[2], r->db), want.ptr);
	sd_str_dispose(&want);
	if (!match)
		return false;
	for (size_t i = 0; i < b->parts.cols.len; i++) {
		sd_column *c = &b->parts.cols.ptr[i];
		if (strcmp(c->name, v[1]) == 0 && sd_streq(c->type, "longtext")) {
			c->type = "json";
			c->collation = NULL;
			return true;
		}
	}
	return false;
}

static void
read_checks(reader *r)
{
	my_rows *rows = &r->rows[Q_CHECKS];

	for (size_t i = 0; i < rows->len; i++) {
		const char **v = rows->ptr[i].v;
		tbuild *b = find_table(r, v[0]);
		sd_constraint c = {0};
		if (!b || maria_json(r, b, v))
			continue;
		c.type = SD_CON_CHECK;
		c.name = v[1];
		c.name_generated = check_name_generated(v[0], v[1], v[3]);
		c.expr = sd_my__canon_expr(r->a, v[2], r->db);
		/* MariaDB keeps a CHECK written on a column as the column's, named after it. */
		if (r->mariadb && is(v[3], "Column"))
			sd_props_set(r->a, &c.props, "form",
				     sd_arena_printf(r->a, MY_FORM_COLUMN_CHECK "%s", v[1]));
		sd_vec_push(&b->parts.cons, c);
	}
}

/* ---- partitioning ---------------------------------------------------- */

static void
part_by(sd_str *s, const char *method, const char *expr)
{
	/* "RANGE COLUMNS" takes a column list, KEY may have none: all get parentheses. */
	sd_str_appendf(s, "%s(%s)", method, expr ? expr : "");
}

/* One table's partitions in order -> "PARTITION BY ... (PARTITION `p0` VALUES ...)". */
static void
partition_rows(reader *r, tbuild *b, my_row *rows, size_t n)
{
	const char **v = rows[0].v;
	bool list = is(v[5], "LIST") || is(v[5], "LIST COLUMNS");
	bool range = is(v[5], "RANGE") || is(v[5], "RANGE COLUMNS");
	sd_str s;

	sd_str_init(&s);
	sd_str_append(&s, "PARTITION BY ");
	part_by(&s, v[5], sd_my__canon_expr(r->a, v[7], r->db));
	if (v[6]) {
		sd_str_append(&s, " SUBPARTITION BY ");
		part_by(&s, v[6], sd_my__canon_expr(r->a, v[8], r->db));
	}
	sd_str_append(&s, " (");
	for (size_t i = 0; i < n; i++) {
		const char **p = rows[i].v;
		bool first_sub = i == 0 || !sd_streq(rows[i - 1].v[1], p[1]);
		bool last_sub = i + 1 == n || !sd_streq(rows[i + 1].v[1], p[1]);
		if (first_sub) {
			sd_str_append(&s, i ? ", PARTITION " : "PARTITION ");
			sd_my_quote_ident(&s, p[1]);
			if (range)
				sd_str_appendf(&s, " VALUES LESS THAN (%s)", p[9] ? p[9] : "MAXVALUE");
			else if (list)
				sd_str_appendf(&s, " VALUES IN (%s)", p[9] ? p[9] : "");
		}
		if (p[2]) {
			sd_str_append(&s, first_sub ? " (SUBPARTITION " : ", SUBPARTITION ");
			sd_my_quote_ident(&s, p[2]);
			if (last_sub)
				sd_str_appendc(&s, ')');
		}
	}
	sd_str_appendc(&s, ')');
	sd_props_set(r->a, &b->t.props, "partition", s.ptr);
	sd_str_dispose(&s);
}

static void
read_partitions(reader *r)
{
	my_rows *rows = &r->rows[Q_PARTS];
	size_t i = 0;

	for (size_t k = 0; k < rows->len; k++) {
		rows->ptr[k].k1 = rows->ptr[k].v[0];
		rows->ptr[k].n1 = atol(rows->ptr[k].v[3]);
		rows->ptr[k].n2 = rows->ptr[k].v[4] ? atol(rows->ptr[k].v[4]) : 0;
	}
	sd_my__sort_rows(rows);
	while (i < rows->len) {
		size_t j = i + 1;
		tbuild *b = find_table(r, rows->ptr[i].k1);
		while (j < rows->len && sd_streq(rows->ptr[j].k1, rows->ptr[i].k1))
			j++;
		if (b)
			partition_rows(r, b, &rows->ptr[i], j - i);
		i = j;
	}
}

/* ---- assembly -------------------------------------------------------- */

static int
cmp_column_pos(const void *a, const void *b)
{
	return ((const sd_column *)a)->position - ((const sd_column *)b)->position;
}

static void
assemble(reader *r)
{
	sd_schema *s = r->s;

	s->tables = sd_arena_alloc(r->a, (r->n_tables + 1) * sizeof(*s->tables));
	s->n_tables = r->n_tables;
	for (size_t i = 0; i < r->n_tables; i++) {
		tbuild *b = &r->tables[i];
		sd_table *t = &s->tables[i];
		*t = b->t;
		/* Positions renumbered 1..n: gaps never appear, but stay dense regardless. */
		if (b->parts.cols.len > 1)
			qsort(b->parts.cols.ptr, b->parts.cols.len, sizeof(sd_column), cmp_column_pos);
		sd_table_parts_move(&b->parts, t, r->a);
	}
	s->objects = sd_arena_memdup(r->a, r->objs.ptr, r->objs.len, sizeof(sd_object));
	s->n_objects = r->objs.len;
}

static void
reader_dispose(reader *r)
{
	for (size_t i = 0; i < r->n_tables; i++)
		sd_table_parts_dispose(&r->tables[i].parts);
	free(r->tables);
	for (int q = 0; q < Q__COUNT; q++)
		sd_vec_dispose(&r->rows[q]);
	sd_vec_dispose(&r->sequences);
	sd_vec_dispose(&r->objs);
}

/* Whether a table of the TABLES rows is partitioned: CREATE_OPTIONS says "partitioned". */
static bool
any_partitioned(const my_rows *tables)
{
	for (size_t k = 0; k < tables->len; k++) {
		const char *opts = tables->ptr[k].v[3];
		for (const char *p = opts; p && (p = strstr(p, "partitioned")); p++)
			if ((p == opts || p[-1] == ' ') && (p[11] == '\0' || p[11] == ' '))
				return true;
	}
	return false;
}

/*
 * Whether query q has anything to say, given the rows already read: each
 * information_schema query over tables opens every table's definition, so
 * the ones that cannot return a row are not sent (PARTITIONS without a
 * partitioned table, REFERENTIAL_CONSTRAINTS without a foreign key).
 */
static bool
needed(const reader *r, int q)
{
	if (q == Q_PARTS)
		return any_partitioned(&r->rows[Q_TABLES]);
	if (q == Q_FKRULES)
		return r->rows[Q_FKEYS].len > 0;
	return true;
}

/*
 * One query for the options of every sequence TABLES listed, none when it
 * listed none (MySQL has no sequences). A sequence the user may not
 * SELECT from fails the read, named by the server's message.
 */
static int
read_sequence_options(reader *r, MYSQL *db, sd_err *err)
{
	sd_str sql;
	int rc = SD_OK;

	sd_str_init(&sql);
	sd_my__sequence_options_sql(&sql, &r->rows[Q_TABLES], r->db);
	if (sql.len && (rc = sd_my__query(&r->sequences, db, r->a, sql.ptr, "", err)))
		sd_err_prefix(err, "reading the options of the sequences (SELECT from each): ");
	sd_str_dispose(&sql);
	return rc;
}

static int
run_queries(reader *r, MYSQL *db, sd_err *err)
{
	const char *const *queries = sd_my_catalog_queries(r->mariadb ? "mariadb" : "mysql");
	int rc;

	for (int q = 0; q < Q__COUNT; q++)
		if (needed(r, q) && (rc = sd_my__query(&r->rows[q], db, r->a, queries[q], r->db, err)))
			return rc;
	if ((rc = read_sequence_options(r, db, err)))
		return rc;
	/* Bodies as written, not information_schema's decoded copies: one SHOW per object. */
	return sd_my__true_bodies(db, r->a, r->db, &r->rows[Q_TRIGGERS], &r->rows[Q_ROUTINES],
				  &r->rows[Q_EVENTS], err);
}

static int
introspect(sd_schema *s, const my_url *u, sd_err *err)
{
	reader r = {.s = s, .a = &s->arena};
	MYSQL *db = NULL;
	int rc;

	if ((rc = sd_my__connect(&db, &r.mariadb, u, err)))
		return rc;
	r.db = sd_arena_strdup(r.a, u->db);
	sd_props_set(r.a, &s->props, "flavor", r.mariadb ? "mariadb" : "mysql");
	sd_props_set(r.a, &s->props, "server_version", mysql_get_server_info(db));
	rc = run_queries(&r, db, err);
	/* Nothing was written; ending the read-only transaction cannot fail meaningfully. */
	if (!rc)
		rc = sd_my__exec(db, "ROLLBACK", err);
	mysql_close(db);
	if (rc)
		goto out;
	read_tables(&r);
	read_columns(&r);
	read_indexes(&r);
	read_fkeys(&r);
	read_checks(&r);
	read_partitions(&r);
	sd_my__read_objects(&r.objs, r.a, r.rows + Q_VIEWS, r.db);
	if ((rc = sd_my__read_sequences(&r.objs, r.a, &r.rows[Q_TABLES], &r.sequences, err)))
		goto out;
	assemble(&r);
	sd_schema_sort(s);
out:
	reader_dispose(&r);
	return rc;
}

int
sd_my__introspect_url(sd_schema **out, const my_url *u, sd_err *err)
{
	sd_schema *s = sd_schema_new("mysql");
	int rc = introspect(s, u, err);

	*out = NULL;
	if (rc) {
		sd_schema_free(s);
		return rc;
	}
	*out = s;
	return SD_OK;
}

int
sd_my_introspect(sd_schema **out, const sd_url *url, const sd_conn_opts *opts, sd_err *err)
{
	my_url u;
	int rc;

	*out = NULL;
	if ((rc = sd_my__url_from(&u, url, opts, true, err)))
		return rc;
	rc = sd_my__introspect_url(out, &u, err);
	sd_my__url_dispose(&u);
	return rc;
}

static const char *const my_schemes[] = {"mysql", "mariadb", NULL};

const sd_engine sd_my_engine = {
	.name = "mysql",
	.schemes = my_schemes,
	.url_authority = true,
	.url_example = "mysql://user@host:3306/db (or mariadb://; ?socket=/path)",
	.dialect = &sd_my_dialect,
	.introspect = sd_my_introspect,
	.load_dump = sd_my_load_dump,
	.apply = sd_my__apply,
};
