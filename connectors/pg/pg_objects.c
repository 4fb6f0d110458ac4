/*
 * connectors/pg/pg_objects.c: everything that is not a table.
 *
 * One query per kind: schemas, extensions, types (enum, domain, composite,
 * range), collations, sequences, functions and procedures, views and
 * materialized views, triggers, policies. Each becomes an sd_object whose
 * definition is the server's deparsed text (compared) and whose ddl is
 * the statement that creates it (used by the plan). Comments travel as
 * the "comment" property so a comment change is not a redefinition.
 *
 * Dependencies the plan orders by are columns of these queries: the user
 * types a type is made of, the functions an SQL-standard body calls.
 *
 * Not yet (docs/postgres.md says why): aggregates, operators, casts as
 * objects (pg_casts.c reads them as the server's capabilities), event
 * triggers, foreign tables, publications, statistics objects, owners and
 * privileges.
 */
#include "connectors/pg/pg_internal.h"

#include <stdlib.h>
#include <string.h>

static const char Q_SCHEMAS[] =
	"SELECT n.nspname, pg_catalog.obj_description(n.oid, 'pg_namespace') "
	"FROM pg_catalog.pg_namespace n WHERE " PG_USER_NS("n") " AND "
	PG_NOT_EXT("pg_namespace", "n.oid");

/*
 * An extension at its server's default version has no version of its own:
 * CREATE EXTENSION without VERSION on a 13 and on an 18 installs different
 * versions (hstore 1.7, 1.8), and the schema is the same. Another version
 * is kept and compared.
 */
static const char Q_EXTENSIONS[] =
	"SELECT e.extname, n.nspname, CASE WHEN e.extversion IS DISTINCT FROM a.default_version "
	"THEN e.extversion END, pg_catalog.obj_description(e.oid, 'pg_extension') FROM "
	"pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace "
	"LEFT JOIN pg_catalog.pg_available_extensions a ON a.name = e.extname";

#define COLLATION_OF(oid)                                                                          \
	"(SELECT " PG_QI("cn.nspname") " || '.' || " PG_QI("co.collname")                          \
	" FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = "            \
	"co.collnamespace WHERE co.oid = " oid ")"

static const char Q_TYPES[] =
	"SELECT n.nspname, t.typname, t.typtype, CASE t.typtype "
	"WHEN 'e' THEN (SELECT 'AS ENUM (' || coalesce(string_agg(pg_catalog.quote_literal("
	"e.enumlabel), ', ' ORDER BY e.enumsortorder), '') || ')' FROM pg_catalog.pg_enum e "
	"WHERE e.enumtypid = t.oid) "
	"WHEN 'c' THEN (SELECT 'AS (' || coalesce(string_agg(" PG_QI("a.attname") " || ' ' || "
	"pg_catalog.format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attcollation <> "
	"at.typcollation THEN ' COLLATE ' || " COLLATION_OF("a.attcollation") " ELSE '' END, "
	"', ' ORDER BY a.attnum), '') || ')' FROM pg_catalog.pg_attribute a JOIN "
	"pg_catalog.pg_type at ON at.oid = a.atttypid WHERE a.attrelid = t.typrelid AND "
	"a.attnum > 0 AND NOT a.attisdropped) "
	"WHEN 'd' THEN 'AS ' || pg_catalog.format_type(t.typbasetype, t.typtypmod) || "
	"CASE WHEN t.typcollation <> bt.typcollation THEN ' COLLATE ' || "
	COLLATION_OF("t.typcollation") " ELSE '' END || coalesce(' DEFAULT ' || t.typdefault, '') "
	"|| CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END || coalesce((SELECT ' ' || "
	"string_agg('CONSTRAINT ' || " PG_QI("k.conname") " || ' ' || "
	"pg_catalog.pg_get_constraintdef(k.oid), ' ' ORDER BY k.conname COLLATE \"C\") FROM "
	"pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c'), '') "
	"WHEN 'r' THEN (SELECT 'AS RANGE (SUBTYPE = ' || pg_catalog.format_type(g.rngsubtype, "
	"NULL) || CASE WHEN g.rngcollation <> 0 AND g.rngcollation <> st.typcollation THEN "
	"', COLLATION = ' || " COLLATION_OF("g.rngcollation") " ELSE '' END || ')' FROM "
	"pg_catalog.pg_range g JOIN pg_catalog.pg_type st ON st.oid = g.rngsubtype "
	"WHERE g.rngtypid = t.oid) END, "
	"pg_catalog.obj_description(t.oid, 'pg_type'), "
	/* functions a domain's CHECKs call: the plan creates the domain after them */
	"(SELECT array_agg(DISTINCT pn.nspname || '.' || p.proname) FROM pg_catalog.pg_constraint k "
	"JOIN pg_catalog.pg_depend d ON d.classid = 'pg_constraint'::regclass AND d.objid = k.oid "
	"AND d.refclassid = 'pg_proc'::regclass JOIN pg_catalog.pg_proc p ON p.oid = d.refobjid "
	"JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace WHERE k.contypid = t.oid AND "
	"pn.nspname <> 'pg_catalog'), (SELECT array_agg(e.enumlabel ORDER BY "
	"e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid), "
	"(SELECT array_agg(" PG_QI("a.attname") " || ' ' || pg_catalog.format_type(a.atttypid, "
	"a.atttypmod) ORDER BY a.attnum) FROM pg_catalog.pg_attribute a WHERE a.attrelid = "
	"t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), "
	/* user types it is made of (attributes, domain base, range subtype; arrays by element) */
	"(SELECT array_agg(DISTINCT dn.nspname || '.' || dt.typname) FROM (SELECT a.atttypid AS "
	"ref FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT "
	"a.attisdropped UNION ALL SELECT t.typbasetype UNION ALL SELECT g.rngsubtype FROM "
	"pg_catalog.pg_range g WHERE g.rngtypid = t.oid) r JOIN pg_catalog.pg_type rt ON rt.oid = "
	"r.ref JOIN pg_catalog.pg_type dt ON dt.oid = CASE WHEN rt.typcategory = 'A' AND "
	"rt.typelem <> 0 THEN rt.typelem ELSE rt.oid END JOIN pg_catalog.pg_namespace dn ON dn.oid "
	"= dt.typnamespace WHERE dt.oid <> t.oid AND " PG_USER_NS("dn") ") "
	"FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
	"LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype "
	/* a table's row type is the table's: stand-alone composites only (a join, not a lookup per type) */
	"LEFT JOIN pg_catalog.pg_class tr ON tr.oid = t.typrelid "
	"WHERE " PG_USER_NS("n") " AND " PG_NOT_EXT("pg_type", "t.oid") " AND (t.typtype IN ('e', "
	"'d', 'r') OR (t.typtype = 'c' AND tr.relkind = 'c'))";

/* to_jsonb reads the locale column under its name on every version (15: colliculocale). */
static const char Q_COLLATIONS[] =
	"SELECT n.nspname, c.collname, 'AS (provider = ' || CASE c.collprovider WHEN 'i' THEN "
	"'icu, locale = ' || pg_catalog.quote_literal(coalesce(to_jsonb(c) ->> 'colllocale', "
	"to_jsonb(c) ->> 'colliculocale', c.collcollate)) ELSE 'libc, lc_collate = ' || "
	"pg_catalog.quote_literal(c.collcollate) || ', lc_ctype = ' || "
	"pg_catalog.quote_literal(c.collctype) END || CASE WHEN c.collisdeterministic THEN '' "
	"ELSE ', deterministic = false' END || ')', pg_catalog.obj_description(c.oid, "
	"'pg_collation') FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid "
	"= c.collnamespace WHERE " PG_USER_NS("n") " AND " PG_NOT_EXT("pg_collation", "c.oid");

static const char Q_SEQUENCES[] =
	"SELECT n.nspname, c.relname, pg_catalog.format('AS %s START WITH %s INCREMENT BY %s "
	"MINVALUE %s MAXVALUE %s CACHE %s %s', pg_catalog.format_type(s.seqtypid, NULL), "
	"s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, CASE WHEN s.seqcycle THEN "
	"'CYCLE' ELSE 'NO CYCLE' END), (SELECT " PG_QI("tn.nspname") " || '.' || "
	PG_QI("tc.relname") " || '.' || " PG_QI("a.attname") " FROM pg_catalog.pg_depend d JOIN "
	"pg_catalog.pg_class tc ON tc.oid = d.refobjid JOIN pg_catalog.pg_namespace tn ON tn.oid "
	"= tc.relnamespace JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND "
	"a.attnum = d.refobjsubid WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND "
	"d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' LIMIT 1), "
	"pg_catalog.obj_description(c.oid, 'pg_class'), c.relpersistence, "
	PG_OWNER("c.relowner") ", " PG_GRANTS("c.relacl", "c.relowner", "s") " "
	"FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid "
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE " PG_USER_NS("n")
	" AND " PG_NOT_EXT("pg_class", "c.oid") " AND NOT EXISTS (SELECT 1 FROM "
	"pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND "
	"d.deptype = 'i')";

/* Q_FUNCTIONS' columns, in SELECT order. */
enum {
	FN_SCHEMA,
	FN_NAME,
	FN_ARGS,
	FN_KIND,
	FN_DEF,
	FN_COMMENT,
	FN_RESULT,
	FN_DEPENDS,
	FN_OWNER,
	FN_GRANTS
};
static const char Q_FUNCTIONS[] =
	"SELECT n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid), "
	"p.prokind, pg_catalog.pg_get_functiondef(p.oid), pg_catalog.obj_description(p.oid, "
	"'pg_proc'), pg_catalog.pg_get_function_result(p.oid), "
	/*
	 * the functions an SQL-standard body calls, the user types its
	 * arguments and result name (a table's row type by the table's name;
	 * arrays by element) and the tables its body reads or writes (the
	 * server parses such a body at CREATE): created before it, dropped
	 * after it
	 */
	"(SELECT array_agg(DISTINCT r.dep) FROM (SELECT rn.nspname || '.' || rp.proname AS dep "
	"FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_proc rp ON rp.oid = d.refobjid JOIN "
	"pg_catalog.pg_namespace rn ON rn.oid = rp.pronamespace WHERE d.classid = "
	"'pg_proc'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_proc'::regclass AND "
	"d.deptype = 'n' AND rp.oid <> p.oid AND " PG_USER_NS("rn") " UNION ALL SELECT "
	"tn.nspname || '.' || et.typname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_type dt "
	"ON dt.oid = d.refobjid JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN dt.typcategory = "
	"'A' AND dt.typelem <> 0 THEN dt.typelem ELSE dt.oid END JOIN pg_catalog.pg_namespace tn "
	"ON tn.oid = et.typnamespace WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid "
	"AND d.refclassid = 'pg_type'::regclass AND d.deptype = 'n' AND " PG_USER_NS("tn")
	" UNION ALL SELECT cn.nspname || '.' || c.relname FROM pg_catalog.pg_depend d JOIN "
	"pg_catalog.pg_class c ON c.oid = d.refobjid JOIN pg_catalog.pg_namespace cn ON cn.oid = "
	"c.relnamespace WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND "
	"d.refclassid = 'pg_class'::regclass AND d.deptype = 'n' AND c.relkind IN ('r', 'p', 'f') "
	"AND " PG_USER_NS("cn") ") r), " PG_OWNER("p.proowner") ", "
	PG_GRANTS("p.proacl", "p.proowner", "f") " "
	"FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
	"WHERE p.prokind IN ('f', 'p', 'w') AND " PG_USER_NS("n") " AND "
	PG_NOT_EXT("pg_proc", "p.oid") " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
	/* a range type's constructors are the type's own (created and dropped with it) */
	"WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')";

/*
 * The columns an object reads ("schema.table.column", "schema.table.*"
 * for a whole row): its normal dependencies on relation columns, as
 * ALTER COLUMN TYPE and DROP COLUMN check them.
 */
#define PG_READS(cls, objids)                                                                      \
	"(SELECT coalesce(array_agg(DISTINCT rn.nspname || '.' || rc.relname || '.' || "           \
	"coalesce(ra.attname, '*')), '{}') FROM pg_catalog.pg_depend rd JOIN pg_catalog.pg_class " \
	"rc ON rc.oid = rd.refobjid JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace "  \
	"LEFT JOIN pg_catalog.pg_attribute ra ON rd.refobjsubid > 0 AND ra.attrelid = "            \
	"rd.refobjid AND ra.attnum = rd.refobjsubid WHERE rd.classid = '" cls "'::regclass AND "   \
	"rd.objid " objids " AND rd.refclassid = 'pg_class'::regclass AND rd.deptype = 'n')"

/* A view depends on the relations its rewrite rule reads and the user types it names. */
static const char Q_VIEWS[] =
	"SELECT c.oid, n.nspname, c.relname, c.relkind, pg_catalog.pg_get_viewdef(c.oid), "
	"array_to_string(c.reloptions, ', '), pg_catalog.obj_description(c.oid, 'pg_class'), "
	"(SELECT array_agg(DISTINCT rn.nspname || '.' || coalesce(rc.relname, ty.typname)) FROM "
	"pg_catalog.pg_rewrite w JOIN pg_catalog.pg_depend d ON d.classid = "
	"'pg_rewrite'::regclass AND d.objid = w.oid "
	"LEFT JOIN pg_catalog.pg_class rc ON d.refclassid = 'pg_class'::regclass AND rc.oid = "
	"d.refobjid LEFT JOIN pg_catalog.pg_type ty ON d.refclassid = 'pg_type'::regclass AND "
	"ty.oid = d.refobjid JOIN pg_catalog.pg_namespace rn ON rn.oid = coalesce(rc.relnamespace, "
	"ty.typnamespace) WHERE w.ev_class = c.oid AND d.refobjid <> c.oid AND "
	"rn.nspname <> 'pg_catalog'), "
	PG_READS("pg_rewrite", "IN (SELECT w.oid FROM pg_catalog.pg_rewrite w WHERE w.ev_class = "
			       "c.oid) AND rd.refobjid <> c.oid") ", "
	PG_OWNER("c.relowner") ", " PG_GRANTS("c.relacl", "c.relowner", "r") " "
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"WHERE c.relkind IN ('v', 'm') AND " PG_USER_NS("n") " AND " PG_NOT_EXT("pg_class", "c.oid");

/* Triggers cloned onto partitions belong to the parent's trigger (deptype P). */
static const char Q_TRIGGERS[] =
	"SELECT n.nspname, c.relname, t.tgname, pg_catalog.pg_get_triggerdef(t.oid), "
	"t.tgenabled, pg_catalog.obj_description(t.oid, 'pg_trigger'), pn.nspname || '.' || "
	"p.proname, " PG_READS("pg_trigger", "= t.oid") " FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_proc p ON "
	"p.oid = t.tgfoid JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace "
	"WHERE NOT t.tgisinternal AND " PG_USER_NS("n") " AND " PG_NOT_EXT("pg_class", "c.oid")
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
	"'pg_trigger'::regclass AND d.objid = t.oid AND d.deptype = 'P')";

static const char Q_POLICIES[] =
	"SELECT n.nspname, c.relname, p.polname, p.polpermissive, p.polcmd, CASE WHEN p.polroles "
	"= '{0}' THEN 'PUBLIC' ELSE (SELECT string_agg(" PG_QI("r.rolname") ", ', ' ORDER BY "
	"r.rolname COLLATE \"C\") FROM pg_catalog.pg_roles r WHERE r.oid = ANY (p.polroles)) END, "
	"pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, "
	"p.polrelid), " PG_READS("pg_policy", "= p.oid") " FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid "
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE " PG_USER_NS("n");

static void
qname(sd_str *s, const char *schema, const char *name)
{
	if (schema && *schema) {
		sd_pg_quote_ident(s, schema);
		sd_str_appendc(s, '.');
	}
	sd_pg_quote_ident(s, name);
}


static sd_object *
push(pg_reader *r, sd_obj_kind kind, const char *schema, const char *name)
{
	sd_object o = {0};

	o.kind = kind;
	o.schema = schema ? schema : "";
	o.name = name;
	o.signature = "";
	sd_vec_push(&r->objs, o);
	return &r->objs.ptr[r->objs.len - 1];
}

static void
prop(pg_reader *r, sd_object *o, const char *key, const char *value)
{
	if (value && *value)
		sd_props_set(r->a, &o->props, key, value);
}

/* ---- schemas, extensions, types -------------------------------------- */

static int
schema_row(pg_reader *r, PGresult *res, int i)
{
	sd_object *o = push(r, SD_OBJ_SCHEMA, "", sd_pg__val(r, res, i, 0));
	sd_str s;

	sd_str_init(&s);
	sd_str_append(&s, "CREATE SCHEMA ");
	sd_pg_quote_ident(&s, o->name);
	o->ddl = sd_pg__detach(r, &s);
	o->definition = "schema";
	prop(r, o, "comment", sd_pg__val(r, res, i, 1));
	return SD_OK;
}

static int
extension_row(pg_reader *r, PGresult *res, int i)
{
	sd_object *o = push(r, SD_OBJ_EXTENSION, "", sd_pg__val(r, res, i, 0));
	const char *nsp = sd_pg__val(r, res, i, 1), *version = sd_pg__val(r, res, i, 2);
	sd_str s;

	sd_str_init(&s);
	sd_str_append(&s, "CREATE EXTENSION IF NOT EXISTS ");
	sd_pg_quote_ident(&s, o->name);
	sd_str_append(&s, " WITH SCHEMA ");
	sd_pg_quote_ident(&s, nsp);
	if (version) {
		sd_str_append(&s, " VERSION '");
		for (const char *c = version; *c; c++)
			sd_str_appendf(&s, *c == '\'' ? "''" : "%c", *c);
		sd_str_appendc(&s, '\'');
	}
	o->ddl = sd_pg__detach(r, &s);
	o->definition = "extension";
	o->depends = sd_arena_alloc(r->a, sizeof(*o->depends));
	o->depends[0] = nsp;
	o->n_depends = 1;
	prop(r, o, "schema", nsp);
	prop(r, o, "version", version);
	prop(r, o, "comment", sd_pg__val(r, res, i, 3));
	return SD_OK;
}

/* Two text[] literals as one vector (either may be empty). */
static const char **
concat(pg_reader *r, const char *first, const char *second, size_t *n_out)
{
	size_t n1, n2;
	const char **v1 = sd_pg__array(r->a, first, &n1), **v2 = sd_pg__array(r->a, second, &n2);
	const char **v = sd_arena_alloc(r->a, (n1 + n2 + 1) * sizeof(*v));

	for (size_t k = 0; k < n1; k++)
		v[k] = v1[k];
	for (size_t k = 0; k < n2; k++)
		v[n1 + k] = v2[k];
	*n_out = n1 + n2;
	return v;
}

static int
type_row(pg_reader *r, PGresult *res, int i)
{
	sd_object *o = push(r, SD_OBJ_TYPE, sd_pg__val(r, res, i, 0), sd_pg__val(r, res, i, 1));
	char tt = PQgetvalue(res, i, 2)[0];
	sd_str s;

	o->definition = sd_pg__val(r, res, i, 3);
	sd_str_init(&s);
	sd_str_append(&s, tt == 'd' ? "CREATE DOMAIN " : "CREATE TYPE ");
	qname(&s, o->schema, o->name);
	sd_str_appendf(&s, " %s", o->definition ? o->definition : "");
	o->ddl = sd_pg__detach(r, &s);
	prop(r, o, "type", tt == 'e' ? "enum" : tt == 'd' ? "domain" : tt == 'c' ? "composite"
										 : "range");
	prop(r, o, "comment", sd_pg__val(r, res, i, 4));
	/* Not compared (the definition holds the same labels): used to plan ADD VALUE. */
	if (tt == 'e')
		prop(r, o, "labels", sd_pg__val(r, res, i, 6));
	/* Likewise for a composite type's attributes: used to plan ALTER TYPE ... ATTRIBUTE. */
	if (tt == 'c')
		prop(r, o, "attributes", sd_pg__val(r, res, i, 7));
	o->depends = concat(r, PQgetvalue(res, i, 5), PQgetvalue(res, i, 8), &o->n_depends);
	return SD_OK;
}

static int
collation_row(pg_reader *r, PGresult *res, int i)
{
	sd_object *o = push(r, SD_OBJ_TYPE, sd_pg__val(r, res, i, 0), sd_pg__val(r, res, i, 1));
	sd_str s;

	o->definition = sd_pg__val(r, res, i, 2);
	sd_str_init(&s);
	sd_str_append(&s, "CREATE COLLATION ");
	qname(&s, o->schema, o->name);
	/* The stored form is "AS (...)"; CREATE COLLATION takes the list bare. */
	sd_str_appendf(&s, " %s", o->definition + 3);
	o->ddl = sd_pg__detach(r, &s);
	prop(r, o, "type", "collation");
	prop(r, o, "comment", sd_pg__val(r, res, i, 3));
	return SD_OK;
}

static int
sequence_row(pg_reader *r, PGresult *res, int i)
{
	sd_object *o = push(r, SD_OBJ_SEQUENCE, sd_pg__val(r, res, i, 0), sd_pg__val(r, res, i, 1));
	bool unlogged = PQgetvalue(res, i, 5)[0] == 'u';
	sd_str s;

	o->definition = sd_pg__val(r, res, i, 2);
	sd_str_init(&s);
	sd_str_append(&s, unlogged ? "CREATE UNLOGGED SEQUENCE " : "CREATE SEQUENCE ");
	qname(&s, o->schema, o->name);
	sd_str_appendf(&s, " %s", o->definition);
	o->ddl = sd_pg__detach(r, &s);
	prop(r, o, "owned_by", sd_pg__val(r, res, i, 3));
	prop(r, o, "comment", sd_pg__val(r, res, i, 4));
	if (unlogged)
		prop(r, o, "unlogged", "true");
	prop(r, o, "owner", sd_pg__val(r, res, i, 6));
	prop(r, o, "privileges", sd_pg__val(r, res, i, 7));
	return SD_OK;
}

static int
function_row(pg_reader *r, PGresult *res, int i)
{
	sd_object *o = push(r, SD_OBJ_FUNCTION, sd_pg__val(r, res, i, FN_SCHEMA),
			    sd_pg__val(r, res, i, FN_NAME));

	o->signature = sd_pg__val(r, res, i, FN_ARGS);
	o->definition = sd_pg__val(r, res, i, FN_DEF);
	o->ddl = o->definition;
	prop(r, o, "kind", PQgetvalue(res, i, FN_KIND)[0] == 'p' ? "procedure" : "function");
	prop(r, o, "comment", sd_pg__val(r, res, i, FN_COMMENT));
	prop(r, o, "result", sd_pg__val(r, res, i, FN_RESULT));
	o->depends = sd_pg__array(r->a, PQgetvalue(res, i, FN_DEPENDS), &o->n_depends);
	prop(r, o, "owner", sd_pg__val(r, res, i, FN_OWNER));
	prop(r, o, "privileges", sd_pg__val(r, res, i, FN_GRANTS));
	return SD_OK;
}

int
sd_pg__read_objects(pg_reader *r)
{
	int rc;

	if ((rc = sd_pg__each_row(r, "schemas", Q_SCHEMAS, schema_row)) ||
	    (rc = sd_pg__each_row(r, "extensions", Q_EXTENSIONS, extension_row)) ||
	    (rc = sd_pg__each_row(r, "types", Q_TYPES, type_row)) ||
	    (rc = sd_pg__each_row(r, "collations", Q_COLLATIONS, collation_row)) ||
	    (rc = sd_pg__each_row(r, "sequences", Q_SEQUENCES, sequence_row)) ||
	    (rc = sd_pg__each_row(r, "functions", Q_FUNCTIONS, function_row)) ||
	    (rc = sd_pg__read_casts(r)))
		return rc;
	return SD_OK;
}

/* ---- views ----------------------------------------------------------- */

static void
reads(pg_reader *r, sd_object *o, PGresult *res, int i, int col)
{
	o->reads = sd_pg__array(r->a, PQgetvalue(res, i, col), &o->n_reads);
	o->reads_known = true;
}

static int
view_row(pg_reader *r, PGresult *res, int i)
{
	bool mat = PQgetvalue(res, i, 3)[0] == 'm';
	sd_object *o = push(r, mat ? SD_OBJ_MATVIEW : SD_OBJ_VIEW, sd_pg__val(r, res, i, 1),
			    sd_pg__val(r, res, i, 2));
	const char *def = PQgetvalue(res, i, 4), *opts = sd_pg__val(r, res, i, 5);
	size_t n = strlen(def);
	pg_rel rel = {0};
	sd_str s;

	/* pg_get_viewdef ends the query with ';': the statements add their own. */
	while (n && (def[n - 1] == ';' || def[n - 1] == ' ' || def[n - 1] == '\n'))
		n--;
	sd_str_init(&s);
	sd_str_append(&s, mat ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ");
	qname(&s, o->schema, o->name);
	if (opts)
		sd_str_appendf(&s, " WITH (%s)", opts);
	sd_str_append(&s, " AS\n");
	sd_str_appendn(&s, def, n);
	o->definition = sd_arena_strndup(r->a, s.ptr, s.len);
	if (mat)
		sd_str_append(&s, "\nWITH DATA");
	o->ddl = sd_pg__detach(r, &s);
	o->depends = sd_pg__array(r->a, PQgetvalue(res, i, 7), &o->n_depends);
	reads(r, o, res, i, 8);
	prop(r, o, "comment", sd_pg__val(r, res, i, 6));
	prop(r, o, "owner", sd_pg__val(r, res, i, 9));
	prop(r, o, "privileges", sd_pg__val(r, res, i, 10));
	rel.oid = sd_pg__oid(res, i, 0);
	rel.is_view = true;
	rel.idx = r->objs.len - 1;
	sd_vec_push(&r->rels, rel);
	return SD_OK;
}

int
sd_pg__read_views(pg_reader *r)
{
	return sd_pg__each_row(r, "views", Q_VIEWS, view_row);
}

/* ---- triggers and policies ------------------------------------------- */

static const char **
two(pg_reader *r, const char *a, const char *b)
{
	const char **v = sd_arena_alloc(r->a, 2 * sizeof(*v));

	v[0] = a;
	v[1] = b;
	return v;
}

static int
trigger_row(pg_reader *r, PGresult *res, int i)
{
	const char *schema = sd_pg__val(r, res, i, 0), *table = sd_pg__val(r, res, i, 1);
	sd_object *o = push(r, SD_OBJ_TRIGGER, schema, sd_pg__val(r, res, i, 2));
	char enabled = PQgetvalue(res, i, 4)[0];
	sd_str s;

	/* Trigger names are unique per table: the table is part of the key. */
	o->signature = table;
	o->table = table;
	o->definition = sd_pg__val(r, res, i, 3);
	sd_str_init(&s);
	sd_str_append(&s, o->definition);
	if (enabled != 'O') {
		sd_str_append(&s, ";\nALTER TABLE ");
		qname(&s, schema, table);
		sd_str_append(&s, enabled == 'D'   ? " DISABLE TRIGGER "
				  : enabled == 'R' ? " ENABLE REPLICA TRIGGER "
						   : " ENABLE ALWAYS TRIGGER ");
		sd_pg_quote_ident(&s, o->name);
	}
	o->ddl = sd_pg__detach(r, &s);
	prop(r, o, "enabled", enabled == 'O'   ? NULL
			      : enabled == 'D' ? "disabled"
			      : enabled == 'R' ? "replica"
					       : "always");
	prop(r, o, "comment", sd_pg__val(r, res, i, 5));
	o->depends = two(r, sd_arena_printf(r->a, "%s.%s", schema, table), sd_pg__val(r, res, i, 6));
	o->n_depends = 2;
	reads(r, o, res, i, 7);
	return SD_OK;
}

static const char *
policy_cmd(char c)
{
	switch (c) {
	case 'r':
		return "SELECT";
	case 'a':
		return "INSERT";
	case 'w':
		return "UPDATE";
	case 'd':
		return "DELETE";
	default:
		return "ALL";
	}
}

static int
policy_row(pg_reader *r, PGresult *res, int i)
{
	const char *schema = sd_pg__val(r, res, i, 0), *table = sd_pg__val(r, res, i, 1);
	sd_object *o = push(r, SD_OBJ_POLICY, schema, sd_pg__val(r, res, i, 2));
	sd_str s;

	o->signature = table;
	o->table = table;
	sd_str_init(&s);
	sd_str_append(&s, "CREATE POLICY ");
	sd_pg_quote_ident(&s, o->name);
	sd_str_append(&s, " ON ");
	qname(&s, schema, table);
	sd_str_appendf(&s, " AS %s FOR %s TO %s",
		       sd_pg__bool(res, i, 3) ? "PERMISSIVE" : "RESTRICTIVE",
		       policy_cmd(PQgetvalue(res, i, 4)[0]), PQgetvalue(res, i, 5));
	if (!PQgetisnull(res, i, 6))
		sd_str_appendf(&s, " USING (%s)", PQgetvalue(res, i, 6));
	if (!PQgetisnull(res, i, 7))
		sd_str_appendf(&s, " WITH CHECK (%s)", PQgetvalue(res, i, 7));
	o->ddl = sd_pg__detach(r, &s);
	o->definition = o->ddl;
	o->depends = two(r, sd_arena_printf(r->a, "%s.%s", schema, table), "");
	o->n_depends = 1;
	reads(r, o, res, i, 8);
	return SD_OK;
}

int
sd_pg__read_late_objects(pg_reader *r)
{
	int rc;

	if ((rc = sd_pg__each_row(r, "triggers", Q_TRIGGERS, trigger_row)) ||
	    (rc = sd_pg__each_row(r, "policies", Q_POLICIES, policy_row)))
		return rc;
	return SD_OK;
}
