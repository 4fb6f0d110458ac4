/*
 * connectors/pg/pg_normalize.c: do two deparsed definitions mean the same?
 *
 * Views, triggers, policies, defaults, CHECK and index expressions and
 * function bodies come out of the server's deparser (ruleutils.c), whose
 * spelling changes between major versions while the meaning does not. The
 * best known case: up to 15 a view's query kept the OLD and NEW entries in
 * its range table, so the deparser qualified every column (SELECT t.a
 * FROM t); from 16 on a query over one relation is printed unqualified
 * (SELECT a FROM t).
 *
 * So when two texts differ, both are parsed with libpg_query (the server's
 * own grammar, as a library) and the parse trees are compared after
 * normalization: token and statement offsets removed, and in the top-level SELECT of a
 * view over exactly one FROM item, column references qualified by that
 * item's name made bare (that item is the only thing they can name: the
 * deparser qualifies columns of sub-queries on every version). A text that
 * does not parse leaves the comparison to the text, and the caller says so.
 */
#include "connectors/pg/pg_internal.h"

#include <jansson.h>
#include <pg_query.h>
#include <string.h>

/* The SQL that makes a definition of this kind one parsable statement. */
static const char *
wrapper(const char *what)
{
	if (strcmp(what, "column.default") == 0 || strcmp(what, "column.generated") == 0 ||
	    strcmp(what, "index.expr") == 0 || strcmp(what, "index.predicate") == 0 ||
	    strcmp(what, "partition.bound") == 0)
		return "SELECT ";
	if (strcmp(what, "check") == 0 || strcmp(what, "exclude") == 0)
		return "ALTER TABLE t ADD ";
	if (strcmp(what, "view") == 0 || strcmp(what, "materialized_view") == 0 ||
	    strcmp(what, "trigger") == 0 || strcmp(what, "policy") == 0 ||
	    strcmp(what, "function") == 0 || strcmp(what, "index") == 0)
		return "";
	return NULL;
}

static void
drop_locations(json_t *node)
{
	const char *key;
	json_t *value;
	void *tmp;
	size_t i;

	if (json_is_object(node)) {
		json_object_del(node, "location");
		json_object_foreach_safe(node, tmp, key, value) drop_locations(value);
	} else if (json_is_array(node)) {
		json_array_foreach(node, i, value) drop_locations(value);
	}
}

/* The name a lone FROM item goes by: its alias, or a table's own name. */
static const char *
from_item_name(json_t *item)
{
	static const char *const kinds[] = {"RangeVar", "RangeSubselect", "RangeFunction",
	                                    "RangeTableFunc"};

	for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
		json_t *body = json_object_get(item, kinds[k]);
		const char *alias;
		if (!body)
			continue;
		alias = json_string_value(
		        json_object_get(json_object_get(body, "alias"), "aliasname"));
		return alias || k > 0 ? alias : json_string_value(json_object_get(body, "relname"));
	}
	return NULL;
}

static const char *
string_node(json_t *n)
{
	return json_string_value(json_object_get(json_object_get(n, "String"), "sval"));
}

/*
 * Makes "name.col" references bare in node, without entering sub-queries
 * (a SubLink's or any nested SELECT), where every version qualifies; the
 * left side of "x IN (SELECT ...)" belongs to the outer query and is made
 * bare too.
 */
static void
unqualify(json_t *node, const char *name)
{
	const char *key;
	json_t *value;
	size_t i;

	if (json_is_array(node)) {
		json_array_foreach(node, i, value) unqualify(value, name);
		return;
	}
	if (!json_is_object(node))
		return;
	json_object_foreach(node, key, value)
	{
		json_t *fields;
		if (strcmp(key, "SelectStmt") == 0)
			continue;
		fields = strcmp(key, "ColumnRef") == 0 ? json_object_get(value, "fields") : NULL;
		if (json_array_size(fields) == 2 &&
		    sd_streq(string_node(json_array_get(fields, 0)), name))
			json_array_remove(fields, 0);
		else
			unqualify(value, name);
	}
}

/* arg's TypeCast removed: its inner expression takes its place in args. */
static void
uncast(json_t *args, size_t i)
{
	json_t *arg = json_object_get(json_array_get(args, i), "TypeCast");

	if (arg)
		json_array_set(args, i, json_object_get(arg, "arg"));
}

/*
 * One function call, as every version would print it:
 *  - from 16 on, functions with SQL syntax print in it: timezone('utc', t)
 *    as t AT TIME ZONE 'utc', which parses to pg_catalog.timezone marked as
 *    SQL syntax; under the empty search_path the deparser runs with, a bare
 *    function name is a pg_catalog one: the qualifier and the format go;
 *  - (a, b) OVERLAPS (c, d): up to 15 printed as "overlaps"(...) with the
 *    implicit casts of its arguments spelled out, from 16 without them;
 *  - EXTRACT(f FROM x): up to 13 printed as date_part('f'::text, x), from
 *    14 on as EXTRACT (whose result is numeric there, double before: the
 *    server's own EXTRACT either way).
 */
static void
normalize_call(json_t *call)
{
	json_t *name = json_object_get(call, "funcname"), *args = json_object_get(call, "args");
	const char *fn;

	if (json_array_size(name) == 2 &&
	    sd_streq(string_node(json_array_get(name, 0)), "pg_catalog"))
		json_array_remove(name, 0);
	json_object_del(call, "funcformat");
	fn = json_array_size(name) == 1 ? string_node(json_array_get(name, 0)) : NULL;
	if (sd_streq(fn, "overlaps"))
		for (size_t i = 0; i < json_array_size(args); i++)
			uncast(args, i);
	if (sd_streq(fn, "date_part") && json_array_size(args) == 2) {
		uncast(args, 0);
		json_object_set_new(json_object_get(json_array_get(name, 0), "String"), "sval",
		                    json_string("extract"));
	}
}

static void
normalize_calls(json_t *node)
{
	const char *key;
	json_t *value;
	size_t i;

	if (json_is_array(node)) {
		json_array_foreach(node, i, value) normalize_calls(value);
		return;
	}
	if (!json_is_object(node))
		return;
	json_object_foreach(node, key, value)
	{
		normalize_calls(value);
		if (strcmp(key, "FuncCall") == 0)
			normalize_call(value);
	}
}

/* The top-level SELECT of a view: strip what 16 and later no longer print. */
static void
normalize_view(json_t *stmt)
{
	json_t *view = json_object_get(stmt, "ViewStmt");
	json_t *create = json_object_get(stmt, "CreateTableAsStmt");
	json_t *sel = json_object_get(json_object_get(view ? view : create, "query"), "SelectStmt");
	json_t *from = json_object_get(sel, "fromClause");
	const char *name;
	const char *key;
	json_t *value;

	if (json_array_size(from) != 1 || !(name = from_item_name(json_array_get(from, 0))))
		return;
	json_object_foreach(sel, key, value)
	{
		if (strcmp(key, "fromClause") != 0 && strcmp(key, "withClause") != 0)
			unqualify(value, name);
	}
}

json_t *
sd_pg__parse_tree(const char *prefix, const char *text, const char *suffix)
{
	size_t n = strlen(prefix) + strlen(text) + strlen(suffix) + 1;
	char *sql = sd_xmalloc(n);
	PgQueryParseResult res;
	json_t *tree = NULL;

	snprintf(sql, n, "%s%s%s", prefix, text, suffix);
	res = pg_query_parse(sql);
	free(sql);
	if (!res.error)
		tree = json_loads(res.parse_tree, 0, NULL);
	pg_query_free_parse_result(res);
	return tree;
}

/* The normalized parse tree of text, NULL when it does not parse. */
static json_t *
parse(const char *prefix, const char *text)
{
	json_t *tree = sd_pg__parse_tree(prefix, text, ""), *stmts;
	size_t i;
	json_t *s;

	if (!tree)
		return NULL;
	drop_locations(tree);
	stmts = json_object_get(tree, "stmts");
	json_array_foreach(stmts, i, s)
	{
		json_object_del(s, "stmt_len");
		json_object_del(s, "stmt_location");
		normalize_view(json_object_get(s, "stmt"));
		normalize_calls(json_object_get(s, "stmt"));
	}
	return tree;
}

int
sd_pg__same_definition(const char *what, const char *a, const char *b)
{
	const char *prefix = wrapper(what);
	json_t *ta, *tb;
	int same;

	if (!prefix)
		return SD_DEF_UNPARSED;
	ta = parse(prefix, a);
	tb = ta ? parse(prefix, b) : NULL;
	same = !ta || !tb ? SD_DEF_UNPARSED : json_equal(ta, tb) ? SD_DEF_SAME : SD_DEF_DIFFERENT;
	json_decref(ta);
	json_decref(tb);
	return same;
}
