/*
 * connectors/pg/pg_tables.c: tables, columns, constraints and indexes.
 *
 * Four queries, each for every table at once. Texts are the server's own
 * deparsed forms (format_type, pg_get_expr, pg_get_constraintdef,
 * pg_get_indexdef) read under an empty search_path, so two databases built
 * from the same SQL give the same bytes. Constraints and indexes are
 * matched by name: PostgreSQL always names them, deterministically.
 *
 * Not yet: typed tables (OF type), per-column storage / compression /
 * statistics targets, column privileges.
 */
#include "connectors/pg/pg_internal.h"

#include <stdlib.h>
#include <string.h>

/* Q_TABLES' columns, in SELECT order. */
enum {
	TBL_OID,
	TBL_SCHEMA,
	TBL_NAME,
	TBL_KIND,
	TBL_PERSISTENCE,
	TBL_ROW_SECURITY,
	TBL_FORCE_ROW_SECURITY,
	TBL_COMMENT,
	TBL_PARTITION_BY,
	TBL_PARTITION_BOUND,
	TBL_PARENTS,
	TBL_RELOPTIONS,
	TBL_IS_PARTITION,
	TBL_REPLICA_IDENTITY,
	TBL_OWNER,
	TBL_GRANTS
};
static const char Q_TABLES[] =
	"SELECT c.oid, n.nspname, c.relname, c.relkind, c.relpersistence, c.relrowsecurity, "
	"c.relforcerowsecurity, d.description, "
	"CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, "
	"CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END, "
	"inh.parents, array_to_string(c.reloptions, ', '), c.relispartition, "
	/* DEFAULT is NULL; an identity index since dropped behaves as, and reads as, NOTHING */
	"CASE c.relreplident WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING' WHEN 'i' THEN "
	"coalesce((SELECT 'USING INDEX ' || " PG_QI("ri.relname") " FROM pg_catalog.pg_index x "
	"JOIN pg_catalog.pg_class ri ON ri.oid = x.indexrelid WHERE x.indrelid = c.oid AND "
	"x.indisreplident), 'NOTHING') END, "
	PG_OWNER("c.relowner") ", " PG_GRANTS("c.relacl", "c.relowner", "r") " "
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"LEFT JOIN " PG_COMMENT("d", "pg_class", "c.oid", "0") " "
	/* every table's parents in one grouped pass, not a lookup per table */
	"LEFT JOIN (SELECT i.inhrelid, string_agg(" PG_QI("pn.nspname") " || '.' || "
	PG_QI("p.relname") ", ', ' ORDER BY i.inhseqno) AS parents FROM pg_catalog.pg_inherits i "
	"JOIN pg_catalog.pg_class p ON p.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON "
	"pn.oid = p.relnamespace GROUP BY i.inhrelid) inh ON inh.inhrelid = c.oid "
	"WHERE c.relkind IN ('r', 'p') AND " PG_USER_NS("n") " AND " PG_NOT_EXT("pg_class", "c.oid");

/* Identity sequence options, in the form CREATE TABLE accepts after AS IDENTITY. */
#define IDENTITY_OPTIONS                                                                           \
	"(SELECT pg_catalog.format('START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE %s "       \
	"CACHE %s %s', s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, CASE WHEN "     \
	"s.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END) FROM pg_catalog.pg_depend d JOIN "           \
	"pg_catalog.pg_sequence s ON s.seqrelid = d.objid WHERE d.classid = 'pg_class'::regclass " \
	"AND d.refclassid = 'pg_class'::regclass AND d.refobjid = a.attrelid AND d.refobjsubid = " \
	"a.attnum AND d.deptype = 'i')"

static const char Q_COLUMNS[] =
	"SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
	"a.attnotnull, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attgenerated, "
	"a.attidentity, CASE WHEN a.attcollation <> t.typcollation THEN (SELECT " PG_QI("cn.nspname")
	" || '.' || " PG_QI("co.collname") " FROM pg_catalog.pg_collation co JOIN "
	"pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) "
	"END, d.description, a.attnum, a.attinhcount = 0, "
	"CASE WHEN a.attidentity <> '' THEN " IDENTITY_OPTIONS " END, "
	/* -1 (up to 16) or NULL (17) is the default target */
	"CASE WHEN a.attstattarget >= 0 THEN a.attstattarget END, "
	/* whether the deparser quotes the name (a keyword, a capital, ...): key texts */
	"pg_catalog.quote_ident(a.attname) <> a.attname "
	"FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
	"LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
	"LEFT JOIN " PG_COMMENT("d", "pg_class", "a.attrelid", "a.attnum") " "
	"WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND " PG_USER_NS("n")
	" AND " PG_NOT_EXT("pg_class", "c.oid");

#define ATTNAMES(rel, keys)                                                                        \
	"(SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(" keys ") WITH ORDINALITY "     \
	"k(num, ord) JOIN pg_catalog.pg_attribute a ON a.attrelid = " rel " AND a.attnum = k.num)"

/* Q_CONSTRAINTS' columns, in SELECT order. */
enum {
	CON_REL,
	CON_NAME,
	CON_TYPE,
	CON_DEF,
	CON_LOCAL,
	CON_KEY,
	CON_REF_SCHEMA,
	CON_REF_TABLE,
	CON_REF_NAMES,
	CON_COMMENT,
	CON_DEFERRABLE,
	CON_DEFERRED,
	CON_KEY_NAMES,
	CON_REF_OID,
	CON_REF_KEY,
	CON_REF_PRINTED,
	CON_MATCH,
	CON_ON_UPDATE,
	CON_ON_DELETE
};

/*
 * Key columns by number (conkey, confkey), named from the columns already
 * read; by name from the catalog only where those cannot say: a system
 * column in a CHECK (tableoid), a foreign key to a table not read (an
 * extension's).
 *
 * The definition is the server's pg_get_constraintdef, but for the plain
 * keys: a PRIMARY KEY, UNIQUE or FOREIGN KEY that is immediate and valid,
 * whose index has no INCLUDE, WITH or tablespace, and which references a
 * table read here. Their text is made in C (key_text) from the catalog
 * columns, byte for byte what the deparser prints (keytexts.sh checks it on
 * every major of the matrix): half of the constraints query's server time
 * at 5,000 tables, with nothing left to deparse. PLAIN_nn is the condition
 * from that major on: 15 added NULLS NOT DISTINCT and ON DELETE SET NULL
 * (columns), 18 temporal keys (WITHOUT OVERLAPS, PERIOD) and NOT ENFORCED.
 */
#define REF_READ PG_USER_NS("rn") " AND " PG_NOT_EXT("pg_class", "co.confrelid")
#define PLAIN_13                                                                                   \
	"NOT co.condeferrable AND co.convalidated AND (co.contype = 'f' AND " REF_READ " OR "       \
	"co.contype IN ('p', 'u') AND x.indnatts = x.indnkeyatts AND xi.reloptions IS NULL AND "  \
	"xi.reltablespace = 0)"
#define PLAIN_15                                                                                   \
	PLAIN_13 " AND co.confdelsetcols IS NULL AND NOT coalesce(x.indnullsnotdistinct, false)"
#define PLAIN_18 PLAIN_15 " AND NOT co.conperiod AND co.conenforced"
#define Q_CONSTRAINTS(plain)                                                                       \
	"SELECT co.conrelid, co.conname, co.contype, CASE WHEN (" plain ") IS NOT TRUE THEN "       \
	"pg_catalog.pg_get_constraintdef(co.oid) END, "                                            \
	"co.conislocal, co.conkey, rn.nspname, rc.relname, CASE WHEN co.contype = 'f' AND NOT ("   \
	REF_READ ") THEN " ATTNAMES("co.confrelid", "co.confkey") " END, d.description, "          \
	"co.condeferrable, co.condeferred, CASE WHEN 0 >= ANY (co.conkey) THEN "                   \
	ATTNAMES("co.conrelid", "co.conkey") " END, co.confrelid, co.confkey, "                    \
	"CASE WHEN co.contype = 'f' THEN pg_catalog.quote_ident(rn.nspname) || '.' || "            \
	"pg_catalog.quote_ident(rc.relname) END, co.confmatchtype, co.confupdtype, co.confdeltype " \
	"FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_class c ON c.oid = co.conrelid "      \
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "                                \
	"LEFT JOIN pg_catalog.pg_index x ON co.contype IN ('p', 'u') AND x.indexrelid = "          \
	"co.conindid LEFT JOIN pg_catalog.pg_class xi ON xi.oid = x.indexrelid "                   \
	"LEFT JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid "                               \
	"LEFT JOIN " PG_COMMENT("d", "pg_constraint", "co.oid", "0") " "                           \
	"LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace "                        \
	"WHERE co.contype IN ('p', 'u', 'f', 'c', 'x') AND c.relkind IN ('r', 'p') AND "           \
	PG_USER_NS("n") " AND " PG_NOT_EXT("pg_class", "c.oid")

static const char Q_CONSTRAINTS_13[] = Q_CONSTRAINTS(PLAIN_13);
static const char Q_CONSTRAINTS_15[] = Q_CONSTRAINTS(PLAIN_15);
static const char Q_CONSTRAINTS_18[] = Q_CONSTRAINTS(PLAIN_18);
/* A server newer than the matrix: its deparser may print keys differently. */
static const char Q_CONSTRAINTS_DEPARSED[] = Q_CONSTRAINTS("false");

static const char *
constraints_query(int version)
{
	if (version >= 190000)
		return Q_CONSTRAINTS_DEPARSED;
	if (version >= 180000)
		return Q_CONSTRAINTS_18;
	return version >= 150000 ? Q_CONSTRAINTS_15 : Q_CONSTRAINTS_13;
}

/*
 * The index of a key (PRIMARY KEY, UNIQUE, EXCLUDE) is not deparsed: its
 * constraint's text says its keys and INCLUDE (not a key's WITH nor any
 * tablespace: pg_get_constraintdef leaves them out; its storage parameters
 * are read as the column they are, and its comment as every index's), the
 * diff compares the constraint and those two, and pg_get_indexdef costs as much as the
 * rest of the read of an index (it builds the table's relcache entry and
 * looks up every key's default operator class). Partitioned tables and
 * partitions keep it: the plan matches and builds their index families by
 * the text. Matviews' index texts are ordered by name in C, not here: an
 * ORDER BY over the deparsed rows spills to disk at 5,000 tables.
 */
static const char Q_INDEXES[] =
	"SELECT i.indrelid, ic.relname, CASE WHEN k.conindid IS NULL OR c.relkind = 'p' OR "
	"c.relispartition THEN pg_catalog.pg_get_indexdef(i.indexrelid) END, i.indisunique, "
	"am.amname, k.conindid IS NOT NULL, "
	/* the partitioned index it is attached to (an index has one parent at most) */
	PG_QI("pn.nspname") " || '.' || " PG_QI("pc.relname") ", d.description, "
	"pg_catalog.pg_get_expr(i.indpred, i.indrelid), i.indisclustered, i.indnkeyatts, "
	/* per key (then INCLUDE) position: the column number, 0 for an expression */
	"i.indkey, "
	/* the expressions' texts, '' at column positions; only for an index that has some */
	"CASE WHEN 0 = ANY (i.indkey::pg_catalog.int2[]) THEN (SELECT array_agg(CASE WHEN "
	"i.indkey[k.n - 1] = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.n, true) ELSE '' "
	"END ORDER BY k.n) FROM generate_series(1, i.indnatts) k(n)) END, "
	/* a key's storage parameters: its constraint's text leaves them out (a column) */
	"CASE WHEN k.conindid IS NOT NULL THEN ic.reloptions END "
	"FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
	"JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
	/* an index backs one key of its table at most */
	"LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = "
	"i.indrelid AND k.contype IN ('p', 'u', 'x') "
	"LEFT JOIN pg_catalog.pg_inherits h ON h.inhrelid = i.indexrelid "
	"LEFT JOIN pg_catalog.pg_class pc ON pc.oid = h.inhparent "
	"LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace "
	"LEFT JOIN " PG_COMMENT("d", "pg_class", "i.indexrelid", "0") " "
	"WHERE c.relkind IN ('r', 'p', 'm') AND " PG_USER_NS("n") " AND " PG_NOT_EXT("pg_class", "c.oid");

/* ---- tables ---------------------------------------------------------- */

static void
prop(pg_reader *r, sd_props *p, const char *key, const char *value)
{
	if (value && *value)
		sd_props_set(r->a, p, key, value);
}

static int
table_row(pg_reader *r, PGresult *res, int i)
{
	sd_table t = {0};
	pg_rel rel = {0};

	t.schema = sd_pg__val(r, res, i, TBL_SCHEMA);
	t.name = sd_pg__val(r, res, i, TBL_NAME);
	t.comment = sd_pg__val(r, res, i, TBL_COMMENT);
	if (PQgetvalue(res, i, TBL_PERSISTENCE)[0] == 'u')
		prop(r, &t.props, "unlogged", "true");
	if (sd_pg__bool(res, i, TBL_ROW_SECURITY))
		prop(r, &t.props, "row_security", "enabled");
	if (sd_pg__bool(res, i, TBL_FORCE_ROW_SECURITY))
		prop(r, &t.props, "row_security_forced", "true");
	prop(r, &t.props, "partition_by", sd_pg__val(r, res, i, TBL_PARTITION_BY));
	prop(r, &t.props, "partition_bound", sd_pg__val(r, res, i, TBL_PARTITION_BOUND));
	/* A partition's parent is its bound's owner, not an INHERITS clause. */
	prop(r, &t.props, sd_pg__bool(res, i, TBL_IS_PARTITION) ? "partition_of" : "inherits",
	     sd_pg__val(r, res, i, TBL_PARENTS));
	prop(r, &t.props, "reloptions", sd_pg__val(r, res, i, TBL_RELOPTIONS));
	/* What logical replication sends of the old row: FULL, NOTHING, USING INDEX "i". */
	prop(r, &t.props, "replica_identity", sd_pg__val(r, res, i, TBL_REPLICA_IDENTITY));
	prop(r, &t.props, "owner", sd_pg__val(r, res, i, TBL_OWNER));
	prop(r, &t.props, "privileges", sd_pg__val(r, res, i, TBL_GRANTS));
	rel.oid = sd_pg__oid(res, i, TBL_OID);
	rel.idx = r->tables.len;
	sd_vec_push(&r->tables, t);
	sd_vec_push(&r->rels, rel);
	return SD_OK;
}

int
sd_pg__read_tables(pg_reader *r)
{
	return sd_pg__each_row(r, "tables", Q_TABLES, table_row);
}

/* ---- columns --------------------------------------------------------- */

static pg_rel *
table_of(pg_reader *r, PGresult *res, int i)
{
	pg_rel *rel = sd_pg__find_rel(r, sd_pg__oid(res, i, 0));

	return rel && !rel->is_view ? rel : NULL;
}

/* The position of rel's column number attnum; -1 when rel has no such column. */
static long
column_index(const pg_rel *rel, long attnum)
{
	size_t lo = 0, hi = rel->attnums.len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rel->attnums.ptr[mid] == attnum)
			return (long)mid;
		if (rel->attnums.ptr[mid] < attnum)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The name of rel's column number attnum; NULL when rel has no such column. */
static const char *
column_named(const pg_rel *rel, long attnum)
{
	long k = column_index(rel, attnum);

	return k < 0 ? NULL : rel->parts.cols.ptr[k].name;
}

/*
 * Column names for a list of column numbers, as an int2[] ("{1,3}") or an
 * int2vector ("1 3 0") prints it, from rel's columns already read; 0 (an
 * index expression) gives "". NULL, and *ok false, when a number is not
 * one of rel's columns; NULL for an empty list.
 */
static const char **
column_names(pg_reader *r, const pg_rel *rel, const char *nums, size_t *n_out, bool *ok)
{
	SD_VEC(const char *) v = {0};
	const char **out = NULL;
	char *end;

	*ok = true;
	for (const char *p = nums; *p;) {
		long num = strtol(p, &end, 10);
		const char *name = num == 0 ? "" : column_named(rel, num);
		if (end == p) {
			p++;
			continue;
		}
		p = end;
		if (!name) {
			*ok = false;
			break;
		}
		sd_vec_push(&v, name);
	}
	*n_out = *ok ? v.len : 0;
	if (*ok && v.len)
		out = sd_arena_memdup(r->a, v.ptr, v.len, sizeof(*v.ptr));
	sd_vec_dispose(&v);
	return out;
}

/* A name as the deparser's quote_identifier prints one it must quote. */
static const char *
quoted(pg_reader *r, const char *name)
{
	sd_str s;

	sd_str_init(&s);
	sd_pg_quote_ident(&s, name);
	return sd_pg__detach(r, &s);
}

static int
column_row(pg_reader *r, PGresult *res, int i)
{
	pg_rel *rel = table_of(r, res, i);
	sd_column c = {0};
	const char *gen, *ident;

	if (!rel)
		return SD_OK;
	c.name = sd_pg__val(r, res, i, 1);
	c.type = sd_pg__val(r, res, i, 2);
	c.not_null = sd_pg__bool(res, i, 3);
	gen = PQgetvalue(res, i, 5);
	if (*gen) {
		c.generated = sd_pg__val(r, res, i, 4);
		c.generated_stored = *gen == 's';
	} else {
		c.default_expr = sd_pg__val(r, res, i, 4);
	}
	ident = PQgetvalue(res, i, 6);
	c.identity = *ident == 'a' ? "always" : *ident == 'd' ? "by default" : NULL;
	c.collation = sd_pg__val(r, res, i, 7);
	c.comment = sd_pg__val(r, res, i, 8);
	/*
	 * Inherited from a parent (partition or INHERITS): created by the parent.
	 * Whether it is also declared locally is not compared: INHERIT on an
	 * existing table cannot make a column inherited-only.
	 */
	if (!sd_pg__bool(res, i, 10))
		prop(r, &c.props, "inherited", "true");
	prop(r, &c.props, "identity_options", sd_pg__val(r, res, i, 11));
	prop(r, &c.props, "statistics", sd_pg__val(r, res, i, 12));
	sd_vec_push(&rel->parts.cols, c);
	sd_vec_push(&rel->attnums, atoi(PQgetvalue(res, i, 9)));
	sd_vec_push(&rel->printed, sd_pg__bool(res, i, 13) ? quoted(r, c.name) : c.name);
	return SD_OK;
}

/* ---- constraints ----------------------------------------------------- */

static sd_con_type
con_type(char t)
{
	switch (t) {
	case 'p':
		return SD_CON_PRIMARY;
	case 'u':
		return SD_CON_UNIQUE;
	case 'f':
		return SD_CON_FOREIGN;
	case 'c':
		return SD_CON_CHECK;
	default:
		return SD_CON_EXCLUDE;
	}
}

/* A foreign key's referenced columns, named from the referenced table's columns. */
static const char **
ref_columns(pg_reader *r, PGresult *res, int i, size_t *n_out, bool *ok)
{
	pg_rel *ref = sd_pg__find_rel(r, sd_pg__oid(res, i, CON_REF_OID));

	if (!ref || ref->is_view) {
		*n_out = 0;
		*ok = false;
		return NULL;
	}
	return column_names(r, ref, PQgetvalue(res, i, CON_REF_KEY), n_out, ok);
}

/*
 * "(a, \"Select\")": the columns numbered in nums ("{1,3}") as
 * decompile_column_index_array prints them; false when one is not read.
 */
static bool
printed_columns(sd_str *s, const pg_rel *rel, const char *nums)
{
	const char *sep = "";
	char *end;

	sd_str_appendc(s, '(');
	for (const char *p = nums; *p;) {
		long num = strtol(p, &end, 10), k;
		if (end == p) {
			p++;
			continue;
		}
		p = end;
		if ((k = column_index(rel, num)) < 0)
			return false;
		sd_str_append(s, sep);
		sd_str_append(s, rel->printed.ptr[k]);
		sep = ", ";
	}
	sd_str_appendc(s, ')');
	return true;
}

/* A foreign key action as the deparser names it; NULL for NO ACTION, which it leaves out. */
static const char *
fk_action(char code)
{
	switch (code) {
	case 'r':
		return "RESTRICT";
	case 'c':
		return "CASCADE";
	case 'n':
		return "SET NULL";
	case 'd':
		return "SET DEFAULT";
	default:
		return NULL;
	}
}

/* What pg_get_constraintdef prints for a foreign key's MATCH and ON clauses. */
static void
fk_clauses(sd_str *s, char match, char on_update, char on_delete)
{
	const char *upd = fk_action(on_update), *del = fk_action(on_delete);

	if (match == 'f')
		sd_str_append(s, " MATCH FULL");
	else if (match == 'p')
		sd_str_append(s, " MATCH PARTIAL");
	if (upd)
		sd_str_appendf(s, " ON UPDATE %s", upd);
	if (del)
		sd_str_appendf(s, " ON DELETE %s", del);
}

/*
 * A plain key's definition, made here as pg_get_constraintdef prints it
 * (the query says which keys are plain); NULL when a column is not read.
 */
static const char *
key_text(pg_reader *r, const pg_rel *rel, PGresult *res, int i)
{
	char type = PQgetvalue(res, i, CON_TYPE)[0];
	const pg_rel *ref;
	sd_str s;
	bool ok;

	sd_str_init(&s);
	sd_str_append(&s, type == 'p' ? "PRIMARY KEY " : type == 'u' ? "UNIQUE " : "FOREIGN KEY ");
	ok = printed_columns(&s, rel, PQgetvalue(res, i, CON_KEY));
	if (ok && type == 'f') {
		ref = sd_pg__find_rel(r, sd_pg__oid(res, i, CON_REF_OID));
		sd_str_appendf(&s, " REFERENCES %s", PQgetvalue(res, i, CON_REF_PRINTED));
		ok = ref && !ref->is_view && printed_columns(&s, ref, PQgetvalue(res, i, CON_REF_KEY));
		fk_clauses(&s, PQgetvalue(res, i, CON_MATCH)[0], PQgetvalue(res, i, CON_ON_UPDATE)[0],
			   PQgetvalue(res, i, CON_ON_DELETE)[0]);
	}
	if (!ok) {
		sd_str_dispose(&s);
		return NULL;
	}
	return sd_pg__detach(r, &s);
}

static int
constraint_row(pg_reader *r, PGresult *res, int i)
{
	pg_rel *rel = table_of(r, res, i);
	sd_constraint c = {0};
	bool ok = true;

	if (!rel)
		return SD_OK;
	c.name = sd_pg__val(r, res, i, CON_NAME);
	c.type = con_type(PQgetvalue(res, i, CON_TYPE)[0]);
	/* The deparsed definition carries every detail: actions, MATCH, NOT VALID, ... */
	c.expr = PQgetisnull(res, i, CON_DEF) ? key_text(r, rel, res, i)
					      : sd_pg__val(r, res, i, CON_DEF);
	/* by name from the catalog when a key is a system column */
	if (!PQgetisnull(res, i, CON_KEY_NAMES))
		c.columns = sd_pg__array(r->a, PQgetvalue(res, i, CON_KEY_NAMES), &c.n_columns);
	else
		c.columns = column_names(r, rel, PQgetvalue(res, i, CON_KEY), &c.n_columns, &ok);
	c.ref_schema = sd_pg__val(r, res, i, CON_REF_SCHEMA);
	c.ref_table = sd_pg__val(r, res, i, CON_REF_TABLE);
	if (!PQgetisnull(res, i, CON_REF_NAMES))
		c.ref_columns = sd_pg__array(r->a, PQgetvalue(res, i, CON_REF_NAMES),
					     &c.n_ref_columns);
	else if (c.type == SD_CON_FOREIGN)
		c.ref_columns = ref_columns(r, res, i, &c.n_ref_columns, &ok);
	if (!ok || !c.expr)
		return sd_err_set(r->err, SD_EQUERY, "reading constraints: %s names a column "
				  "that was not read", c.name);
	c.deferrable = sd_pg__bool(res, i, CON_DEFERRABLE);
	c.initially_deferred = sd_pg__bool(res, i, CON_DEFERRED);
	if (!sd_pg__bool(res, i, CON_LOCAL))
		prop(r, &c.props, "inherited", "true");
	prop(r, &c.props, "comment", sd_pg__val(r, res, i, CON_COMMENT));
	sd_vec_push(&rel->parts.cons, c);
	return SD_OK;
}

/* ---- indexes --------------------------------------------------------- */

/* A materialized view's indexes are part of its definition (recreated with it). */
static void
matview_index(pg_reader *r, pg_rel *rel, PGresult *res, int i)
{
	const sd_object *o = &r->objs.ptr[rel->idx];
	pg_mv_index ix = {.name = sd_pg__val(r, res, i, 1)};
	sd_str s;

	sd_str_init(&s);
	sd_str_append(&s, ";\n");
	sd_str_append(&s, PQgetvalue(res, i, 2));
	if (!PQgetisnull(res, i, 7)) {
		sd_str_append(&s, ";\nCOMMENT ON INDEX ");
		sd_pg_quote_ident(&s, o->schema);
		sd_str_appendc(&s, '.');
		sd_pg_quote_ident(&s, ix.name);
		sd_str_append(&s, " IS ");
		sd_sql_string(&s, PQgetvalue(res, i, 7));
	}
	ix.text = sd_pg__detach(r, &s);
	sd_vec_push(&rel->mv_indexes, ix);
}

/*
 * Key columns and expressions, and INCLUDE columns, for reports and
 * snapshots; the compared truth stays the whole deparsed definition.
 */
static void
index_keys(pg_reader *r, const pg_rel *rel, sd_index *ix, PGresult *res, int i)
{
	size_t n_cols, n_texts;
	bool ok;
	const char **cols = column_names(r, rel, PQgetvalue(res, i, 11), &n_cols, &ok);
	/* NULL when no key is an expression */
	const char **texts = sd_pg__array(r->a, PQgetvalue(res, i, 12), &n_texts);
	size_t n_key = (size_t)strtoul(PQgetvalue(res, i, 10), NULL, 10);

	if (!ok || (texts && n_cols != n_texts) || n_key > n_cols)
		return;
	ix->keys = sd_arena_alloc(r->a, (n_key + 1) * sizeof(*ix->keys));
	for (size_t k = 0; k < n_key; k++) {
		if (*cols[k])
			ix->keys[k].column = cols[k];
		else if (texts)
			ix->keys[k].expr = texts[k];
	}
	ix->n_keys = n_key;
	if (n_cols > n_key) {
		ix->include = cols + n_key;
		ix->n_include = n_cols - n_key;
	}
}

/*
 * A key's index's storage parameters, "fillfactor=70, deduplicate_items=off"
 * as a table's reloptions read (array_to_string): joined here, not by the
 * server. NULL when it has none.
 */
static const char *
key_reloptions(pg_reader *r, PGresult *res, int i, int col)
{
	size_t n;
	const char **v;
	sd_str s;

	if (PQgetisnull(res, i, col))
		return NULL;
	v = sd_pg__array(r->a, PQgetvalue(res, i, col), &n);
	if (!v || !n)
		return NULL;
	sd_str_init(&s);
	for (size_t k = 0; k < n; k++)
		sd_str_appendf(&s, "%s%s", k ? ", " : "", v[k]);
	return sd_pg__detach(r, &s);
}

static int
index_row(pg_reader *r, PGresult *res, int i)
{
	pg_rel *rel = sd_pg__find_rel(r, sd_pg__oid(res, i, 0));
	sd_index ix = {0};

	if (!rel)
		return SD_OK;
	if (rel->is_view) {
		matview_index(r, rel, res, i);
		return SD_OK;
	}
	ix.name = sd_pg__val(r, res, i, 1);
	ix.definition = sd_pg__val(r, res, i, 2);
	ix.unique = sd_pg__bool(res, i, 3);
	ix.method = sd_pg__val(r, res, i, 4);
	ix.constraint_backed = sd_pg__bool(res, i, 5);
	ix.predicate = sd_pg__val(r, res, i, 8);
	/* The whole deparsed text is compared: keys, opclasses, order, INCLUDE. */
	prop(r, &ix.props, "definition", ix.definition);
	/* A partition's index attached to its parent's: which one is compared too. */
	prop(r, &ix.props, "inherited", sd_pg__val(r, res, i, 6));
	prop(r, &ix.props, "comment", sd_pg__val(r, res, i, 7));
	if (sd_pg__bool(res, i, 9))
		prop(r, &ix.props, "clustered", "true");
	prop(r, &ix.props, "reloptions", key_reloptions(r, res, i, 13));
	index_keys(r, rel, &ix, res, i);
	sd_vec_push(&rel->parts.idx, ix);
	return SD_OK;
}

/* ---- reading them all ------------------------------------------------ */

typedef struct pg_numbered_column {
	int attnum;
	sd_column col;
	const char *printed;
} pg_numbered_column;

static int
cmp_numbered(const void *a, const void *b)
{
	int x = ((const pg_numbered_column *)a)->attnum, y = ((const pg_numbered_column *)b)->attnum;

	return (x > y) - (x < y);
}

/*
 * Puts a table's columns in attnum order and numbers their positions.
 * They arrive in the server's order: an ORDER BY over every column of
 * every table made the server's plan slower than this sort.
 */
static void
order_columns(pg_rel *rel)
{
	size_t n = rel->parts.cols.len;
	bool sorted = true;

	for (size_t k = 1; k < n && sorted; k++)
		sorted = rel->attnums.ptr[k - 1] < rel->attnums.ptr[k];
	if (!sorted) {
		pg_numbered_column *v = sd_xmalloc(n * sizeof(*v));
		for (size_t k = 0; k < n; k++)
			v[k] = (pg_numbered_column){rel->attnums.ptr[k], rel->parts.cols.ptr[k],
						    rel->printed.ptr[k]};
		qsort(v, n, sizeof(*v), cmp_numbered);
		for (size_t k = 0; k < n; k++) {
			rel->attnums.ptr[k] = v[k].attnum;
			rel->parts.cols.ptr[k] = v[k].col;
			rel->printed.ptr[k] = v[k].printed;
		}
		free(v);
	}
	for (size_t k = 0; k < n; k++)
		rel->parts.cols.ptr[k].position = (int)k + 1;
}

static int
cmp_mv_index(const void *a, const void *b)
{
	return strcmp(((const pg_mv_index *)a)->name, ((const pg_mv_index *)b)->name);
}

static void
matview_append_indexes(pg_reader *r, pg_rel *rel)
{
	sd_object *o = &r->objs.ptr[rel->idx];
	sd_str s;

	qsort(rel->mv_indexes.ptr, rel->mv_indexes.len, sizeof(*rel->mv_indexes.ptr), cmp_mv_index);
	sd_str_init(&s);
	for (size_t k = 0; k < rel->mv_indexes.len; k++)
		sd_str_append(&s, rel->mv_indexes.ptr[k].text);
	o->definition = sd_arena_printf(r->a, "%s%s", o->definition, s.ptr);
	o->ddl = sd_arena_printf(r->a, "%s%s", o->ddl, s.ptr);
	sd_str_dispose(&s);
}

int
sd_pg__read_table_parts(pg_reader *r)
{
	int rc;

	if ((rc = sd_pg__each_row(r, "columns", Q_COLUMNS, column_row)))
		return rc;
	for (size_t k = 0; k < r->rels.len; k++)
		order_columns(&r->rels.ptr[k]);
	if ((rc = sd_pg__each_row(r, "constraints", constraints_query(r->version),
				  constraint_row)) ||
	    (rc = sd_pg__each_row(r, "indexes", Q_INDEXES, index_row)))
		return rc;
	/* Materialized views: their indexes join the compared definition, in byte order. */
	for (size_t k = 0; k < r->rels.len; k++)
		if (r->rels.ptr[k].is_view && r->rels.ptr[k].mv_indexes.len)
			matview_append_indexes(r, &r->rels.ptr[k]);
	return SD_OK;
}
