/*
 * connectors/pg/pg_internal.h: what the connector's files share.
 *
 * The reader holds one connection and one transaction; each catalog
 * query runs once for all objects and its rows are handed to a callback.
 * Tables are indexed by oid while reading, so the per-column, per-
 * constraint and per-index rows find their table by binary search.
 */
#ifndef PG_INTERNAL_H
#define PG_INTERNAL_H

#include "connectors/pg/sd_pg.h"

#include <libpq-fe.h>

typedef SD_VEC(sd_object) pg_object_vec;

/* A materialized view's index: its CREATE (and COMMENT) text, ";\n" first. */
typedef struct pg_mv_index {
	const char *name;
	const char *text;
} pg_mv_index;

/* A table (or a view / materialized view) while its parts are read. */
typedef struct pg_rel {
	unsigned oid;
	bool is_view;          /* object in objs (view, matview); else a table */
	size_t idx;            /* index in tables or objs */
	sd_table_parts parts;  /* a table's columns, constraints, indexes while read */
	SD_VEC(int) attnums;   /* each column's attnum, ascending: index and key numbers */
	SD_VEC(const char *) printed; /* each column's name as the deparser prints it */
	SD_VEC(pg_mv_index) mv_indexes; /* matview: its indexes, in the server's order */
} pg_rel;

typedef struct pg_reader {
	PGconn *conn;
	sd_schema *s;
	sd_arena *a;
	sd_err *err;
	SD_VEC(sd_table) tables;
	pg_object_vec objs;
	SD_VEC(pg_rel) rels;   /* sorted by oid once tables and views are read */
	int version;           /* the server's, as PQserverVersion gives it */
} pg_reader;

typedef int (*pg_row_fn)(pg_reader *r, PGresult *res, int row);

/* Opens a connection as u asks, with opts' connect timeout; NULL and err on failure. */
PGconn *sd_pg__connect(const sd_url *u, const sd_conn_opts *opts, sd_err *err);

/* Runs one catalog query and calls fn per row; clears the result on every path. */
int sd_pg__each_row(pg_reader *r, const char *what, const char *sql, pg_row_fn fn);

/* s's text as an arena string; s is disposed. */
const char *sd_pg__detach(pg_reader *r, sd_str *s);
/* Column i of row as an arena string; NULL for SQL NULL. */
const char *sd_pg__val(pg_reader *r, PGresult *res, int row, int col);
bool sd_pg__bool(PGresult *res, int row, int col);
/* A one-dimensional text[] literal {a,"b c"} into an arena vector. */
const char **sd_pg__array(sd_arena *a, const char *text, size_t *n_out);

pg_rel *sd_pg__find_rel(pg_reader *r, unsigned oid);
/* Sorts the relation index by oid; call once tables and views are read. */
void sd_pg__index_rels(pg_reader *r);
unsigned sd_pg__oid(PGresult *res, int row, int col);

/* Catalog reads, in pg_tables.c and pg_objects.c. */
int sd_pg__read_tables(pg_reader *r);
int sd_pg__read_table_parts(pg_reader *r);
int sd_pg__read_objects(pg_reader *r);
int sd_pg__read_views(pg_reader *r);
int sd_pg__read_late_objects(pg_reader *r);

/* pg_split.c: end of the SQL statement at p, just past its ';' (quoted text, comments,
 * parentheses and a BEGIN ATOMIC body skipped as psql skips them). */
const char *sd_pg__statement_end(const char *p);
/* Past any whitespace and comments at p. */
const char *sd_pg__skip_blank(const char *p);
/* word (letters, any case) starts at p, which is start or follows a non-word character */
bool sd_pg__word_at(const char *p, const char *start, const char *word);
/* Runs a plan on a live database (pg_apply.c): the engine's apply. */
int sd_pg__apply(const sd_url *u, const char *plan, const sd_apply_opts *o, sd_apply_result *res,
		 sd_err *err);
/* The server's casts, into the schema's "casts" property (pg_casts.c). */
int sd_pg__read_casts(pg_reader *r);
/*
 * Whether the server FROM was read from can cast old_type to new_type
 * (ALTER COLUMN TYPE ... USING col::new_type); true when not known.
 */
bool sd_pg__castable(const sd_schema *from, const char *old_type, const char *new_type);

/* PostgreSQL's costs on top of the generic risk table (pg_risk.c). */
void sd_pg__adjust_risk(sd_change *c, const sd_diff *d);
/* The dialect's same_definition: parse trees compared (pg_normalize.c). */
int sd_pg__same_definition(const char *what, const char *a, const char *b);
/*
 * libpg_query's parse tree of prefix + text + suffix as JSON (jansson; the
 * caller json_decref's it); NULL when it does not parse.
 */
struct json_t;
struct json_t *sd_pg__parse_tree(const char *prefix, const char *text, const char *suffix);

/*
 * Catalog filter shared by every query: user schemas only (no pg_catalog,
 * information_schema, toast or temporary schemas).
 */
#define PG_USER_NS(n)                                                                              \
	n ".nspname NOT IN ('pg_catalog', 'information_schema') AND " n                            \
	  ".nspname !~ '^pg_(toast|temp_)'"
/*
 * Objects that belong to an extension are the extension's, not the schema's.
 * NOT IN, not NOT EXISTS: the members are hashed once, not looked up per row
 * (objid is never NULL, so the two say the same). A member's dependency
 * always references its pg_extension row: asking by refclassid lets the
 * server find the few members by index instead of reading all of pg_depend
 * (120,000 rows at 5,000 tables, 7-10 ms, in a dozen queries).
 */
#define PG_NOT_EXT(cls, oid)                                                                       \
	oid " NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e WHERE e.refclassid = "            \
	"'pg_extension'::regclass AND e.classid = '" cls "'::regclass AND e.deptype = 'e')"
/*
 * The comment of an object, as a join instead of obj_description() per row
 * (a function call and its own lookup for each of tens of thousands of
 * rows): LEFT JOIN PG_COMMENT("d", "pg_class", "c.oid", "0"), then d.description.
 */
#define PG_COMMENT(d, cls, oid, subid)                                                             \
	"pg_catalog.pg_description " d " ON " d ".objoid = " oid " AND " d ".classoid = '" cls     \
	"'::regclass AND " d ".objsubid = " subid
/* Always-quoted identifier, the same spelling sd_pg_quote_ident gives. */
#define PG_QI(x) "('\"' || replace(" x ", '\"', '\"\"') || '\"')"
/*
 * The "privileges" property (model/sd_model.h): one grant per line,
 * "SELECT TO \"role\"", sorted; the default ACL when none was set, so an
 * untouched object and one granted back to its defaults read the same. The
 * owner's own privileges are left out (owners differ between environments
 * and are compared on their own). kind: acldefault's letter ('r', 's', 'f').
 * The default of a relation or sequence grants the owner alone: with no ACL
 * set (most rows) there is nothing to explode, and not exploding it per row
 * is a third of the tables query's time.
 */
#define PG_GRANTS(acl, owner, kind)                                                                \
	"CASE WHEN " acl " IS NOT NULL OR '" kind "' = 'f' THEN " PG_EXPLODED_GRANTS(acl, owner, kind) \
	" END"
#define PG_EXPLODED_GRANTS(acl, owner, kind)                                                       \
	"(SELECT string_agg(g, E'\\n' ORDER BY g COLLATE \"C\") FROM (SELECT x.privilege_type || "  \
	"' TO ' || CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE "                                    \
	PG_QI("pg_catalog.pg_get_userbyid(x.grantee)") " END || CASE WHEN x.is_grantable THEN "    \
	"' WITH GRANT OPTION' ELSE '' END AS g FROM pg_catalog.aclexplode(coalesce(" acl ", "       \
	"pg_catalog.acldefault('" kind "', " owner "))) x WHERE x.grantee <> " owner ") grants)"
#define PG_OWNER(owner) "pg_catalog.pg_get_userbyid(" owner ")"

#endif
