/*
 * connectors/mysql/my_plan.c: the MySQL/MariaDB dialect's plan and costs.
 *
 * MySQL commits every DDL statement on its own, so the plan is ordered so
 * that stopping after any statement leaves each table whole and usable:
 *
 *   1. drop routines, triggers, events and views that go or change;
 *   2. drop foreign keys that go, change, or sit on a column whose type
 *      changes (MySQL refuses to retype a column a foreign key uses);
 *   3. create and alter sequences (MariaDB), then create new tables
 *      (their foreign keys come in step 6);
 *   4. one ALTER TABLE per changed table, combining all of its changes (one
 *      rebuild, not five): drops, then columns in TO's order with FIRST /
 *      AFTER, then keys, checks and options; REMOVE PARTITIONING before it,
 *      PARTITION BY after it (keys must suit the partitioning). A MariaDB
 *      CHECK written on a column is the column's: MODIFY / ADD COLUMN write
 *      it, and every MODIFY restates it (the server drops it otherwise);
 *   5. drop tables that go, then sequences that go (a DEFAULT of a table
 *      dropped or altered above may have read them);
 *   6. add foreign keys, validated against the rows now present;
 *   7. create routines, views (in dependency order), triggers, events.
 *
 * Every identifier is quoted with backticks (` doubled); string literals
 * double quotes and escape backslashes. Bodies holding ';' are wrapped in
 * DELIMITER $$ for the mysql/mariadb client that runs the plan.
 */
#include "connectors/mysql/my_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void
sd_my_quote_ident(sd_str *s, const char *id)
{
	sd_str_appendc(s, '`');
	for (const char *c = id; *c; c++) {
		if (*c == '`')
			sd_str_appendc(s, '`');
		sd_str_appendc(s, *c);
	}
	sd_str_appendc(s, '`');
}

void
sd_my__quote_string(sd_str *s, const char *text)
{
	sd_str_appendc(s, '\'');
	for (const char *c = text; *c; c++) {
		if (*c == '\'' || *c == '\\')
			sd_str_appendc(s, *c);
		sd_str_appendc(s, *c);
	}
	sd_str_appendc(s, '\'');
}

static void
q(sd_str *s, const char *id)
{
	sd_my_quote_ident(s, id);
}

typedef enum tmode { T_ALTER, T_ADD, T_DROP } tmode;

/* A table change, keyed for grouping: changes of one table sort together. */
typedef struct tchange {
	const char *table;
	size_t index; /* into d->changes */
} tchange;

/* Per table with changes: what the plan does, and its changes order[first..end). */
typedef struct tplan {
	const sd_table *a, *b;
	tmode mode;
	size_t first, end;
} tplan;

typedef struct planner {
	const sd_diff *d;
	sd_str *out;
	bool mariadb;
	bool request_algorithm; /* sd_plan_opts.request_algorithm */
	tchange *order;  /* table changes sorted by (table, index) */
	tplan *tables;   /* sorted by name */
	size_t n_tables;
} planner;

static const char *
tname(const tplan *tp)
{
	return tp->a ? tp->a->name : tp->b->name;
}

static int
cmp_tchange(const void *x, const void *y)
{
	const tchange *a = x, *b = y;
	int c = strcmp(a->table, b->table);

	return c ? c : (a->index > b->index) - (a->index < b->index);
}

static int
cmp_tplan_name(const void *key, const void *elem)
{
	return strcmp(key, tname(elem));
}

static tplan *
find_plan(planner *p, const char *name)
{
	return bsearch(name, p->tables, p->n_tables, sizeof(*p->tables), cmp_tplan_name);
}

static const sd_change *
change_at(const planner *p, size_t k)
{
	return &p->d->changes[p->order[k].index];
}

/*
 * Groups the changes by table in O(n log n) (whatever order the diff's
 * changes come in) and decides per table: create, drop, or one ALTER.
 */
static void
classify_tables(planner *p)
{
	SD_VEC(tplan) v = {0};
	size_t n = 0;

	p->order = sd_xcalloc(p->d->n_changes + 1, sizeof(*p->order));
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_table *t = c->new_table ? c->new_table : c->old_table;
		if (c->what != SD_WHAT_OBJECT)
			p->order[n++] = (tchange){t->name, i};
	}
	qsort(p->order, n, sizeof(*p->order), cmp_tchange);
	for (size_t k = 0; k < n; k++) {
		const sd_change *c = change_at(p, k);
		tplan *tp = v.len ? &v.ptr[v.len - 1] : NULL;
		if (!tp || strcmp(tname(tp), p->order[k].table) != 0) {
			tplan fresh = {c->old_table, c->new_table, T_ALTER, k, k};
			sd_vec_push(&v, fresh);
			tp = &v.ptr[v.len - 1];
		}
		tp->end = k + 1;
		if (c->what == SD_WHAT_TABLE && c->op == SD_OP_ADD)
			tp->mode = T_ADD;
		else if (c->what == SD_WHAT_TABLE && c->op == SD_OP_DROP)
			tp->mode = T_DROP;
	}
	p->tables = v.ptr;
	p->n_tables = v.len;
}

/* ---- rendering pieces ------------------------------------------------ */

static bool
is_char_type(const char *type)
{
	static const char *const prefixes[] = {"char", "varchar", "tinytext", "text", "mediumtext",
					       "longtext", "enum", "set", NULL};

	for (const char *const *it = prefixes; *it; it++) {
		size_t n = strlen(*it);
		if (strncmp(type, *it, n) == 0 && (type[n] == '\0' || type[n] == '(' || type[n] == ' '))
			return true;
	}
	return false;
}

/* The collation a column really has: its own, else its table's. */
static const char *
effective_collation(const sd_table *t, const sd_column *c)
{
	if (!c->type || !is_char_type(c->type))
		return NULL;
	return c->collation ? c->collation : sd_props_get(&t->props, "collation");
}

/* Literals and current_timestamp print bare; other expressions need parentheses on MySQL. */
static bool
bare_default(const char *d)
{
	return d[0] == '\'' || isdigit((unsigned char)d[0]) || d[0] == '-' || d[0] == '+' ||
	       d[0] == '.' || strncmp(d, "b'", 2) == 0 || strncmp(d, "x'", 2) == 0 ||
	       strncmp(d, "0x", 2) == 0 || strncasecmp(d, "current_timestamp", 17) == 0 ||
	       strcasecmp(d, "null") == 0 || strcasecmp(d, "true") == 0 ||
	       strcasecmp(d, "false") == 0;
}

/*
 * `name` type [COLLATE] [AS (...)] NULL|NOT NULL [DEFAULT] [ON UPDATE] ...
 * [CHECK (...)]: check, when not NULL, is the CHECK written on the column
 * (MariaDB keeps it as the column's; column_check).
 */
static void
column_def(sd_str *s, const sd_table *t, const sd_column *c, bool explicit_collation,
	   const sd_constraint *check)
{
	const char *coll = explicit_collation ? effective_collation(t, c) : c->collation;
	const char *on_update = sd_props_get(&c->props, "on_update");

	q(s, c->name);
	sd_str_appendf(s, " %s", c->type);
	if (coll)
		sd_str_appendf(s, " COLLATE %s", coll);
	if (c->generated) {
		sd_str_appendf(s, " AS (%s) %s", c->generated,
			       c->generated_stored ? "STORED" : "VIRTUAL");
	} else {
		sd_str_append(s, c->not_null ? " NOT NULL" : " NULL");
		if (c->default_expr)
			sd_str_appendf(s, bare_default(c->default_expr) ? " DEFAULT %s"
									: " DEFAULT (%s)",
				       c->default_expr);
		if (on_update)
			sd_str_appendf(s, " ON UPDATE %s", on_update);
		if (c->identity)
			sd_str_append(s, " AUTO_INCREMENT");
	}
	if (sd_props_get(&c->props, "invisible"))
		sd_str_append(s, " INVISIBLE");
	if (c->comment) {
		sd_str_append(s, " COMMENT ");
		sd_my__quote_string(s, c->comment);
	}
	if (check)
		sd_str_appendf(s, " CHECK (%s)", check->expr ? check->expr : "");
}

/* Key part i: `col`(len) DESC or (expr) DESC. */
static void
key_part(sd_str *s, const char *column, const char *expr, const char *lengths, size_t i,
	 bool desc)
{
	const char *l = lengths;

	if (column)
		q(s, column);
	else
		sd_str_appendf(s, "(%s)", expr ? expr : "");
	/* lengths is "10,,5": skip to the i-th field. */
	for (size_t k = 0; l && k < i; k++)
		l = strchr(l, ',') ? strchr(l, ',') + 1 : NULL;
	if (l && isdigit((unsigned char)*l))
		sd_str_appendf(s, "(%ld)", strtol(l, NULL, 10));
	if (desc)
		sd_str_append(s, " DESC");
}

static bool
pk_part_desc(const sd_constraint *c, size_t i)
{
	const char *d = sd_props_get(&c->props, "desc");
	char want[24];
	size_t n;

	if (!d)
		return false;
	n = (size_t)snprintf(want, sizeof(want), "%zu", i + 1);
	for (const char *p = d; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, want, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

static void
primary_key_def(sd_str *s, const sd_constraint *c)
{
	sd_str_append(s, "PRIMARY KEY (");
	for (size_t i = 0; i < c->n_columns; i++) {
		if (i)
			sd_str_append(s, ", ");
		key_part(s, c->columns[i], NULL, sd_props_get(&c->props, "lengths"), i,
			 pk_part_desc(c, i));
	}
	sd_str_appendc(s, ')');
}

static void
index_def(sd_str *s, const sd_index *ix, bool mariadb)
{
	const char *comment = sd_props_get(&ix->props, "comment");

	if (ix->method && strcmp(ix->method, "fulltext") == 0)
		sd_str_append(s, "FULLTEXT ");
	else if (ix->method && strcmp(ix->method, "spatial") == 0)
		sd_str_append(s, "SPATIAL ");
	else if (ix->unique)
		sd_str_append(s, "UNIQUE ");
	sd_str_append(s, "INDEX ");
	q(s, ix->name);
	sd_str_append(s, " (");
	for (size_t i = 0; i < ix->n_keys; i++) {
		if (i)
			sd_str_append(s, ", ");
		key_part(s, ix->keys[i].column, ix->keys[i].expr, sd_props_get(&ix->props, "lengths"),
			 i, ix->keys[i].desc);
	}
	sd_str_appendc(s, ')');
	if (ix->method && strcmp(ix->method, "hash") == 0)
		sd_str_append(s, " USING HASH");
	else if (ix->method && strcmp(ix->method, "btree") == 0)
		sd_str_append(s, " USING BTREE"); /* MEMORY: not its default */
	if (comment) {
		sd_str_append(s, " COMMENT ");
		sd_my__quote_string(s, comment);
	}
	if (sd_props_get(&ix->props, "invisible"))
		sd_str_append(s, mariadb ? " IGNORED" : " INVISIBLE");
}

/* The column a CHECK was written on (MariaDB's form "on column c"); NULL for a table's. */
static const char *
check_column(const sd_constraint *c)
{
	const char *form = sd_props_get(&c->props, "form");
	size_t n = strlen(MY_FORM_COLUMN_CHECK);

	if (c->type != SD_CON_CHECK || !form || strncmp(form, MY_FORM_COLUMN_CHECK, n) != 0)
		return NULL;
	return form + n;
}

/*
 * The CHECK written on column `column` of t, which the plan writes in the
 * column's definition; NULL when none. Only MariaDB keeps that form; on
 * MySQL such a check is written as the table's.
 */
static const sd_constraint *
column_check(const planner *p, const sd_table *t, const char *column)
{
	for (size_t i = 0; p->mariadb && t && i < t->n_constraints; i++)
		if (sd_streq(check_column(&t->constraints[i]), column))
			return &t->constraints[i];
	return NULL;
}

/* Whether CHECK c of t is written in a column's definition (column_check). */
static bool
inline_check(const planner *p, const sd_table *t, const sd_constraint *c)
{
	const char *column = check_column(c);

	return column && column_check(p, t, column) == c;
}

static void
check_def(sd_str *s, const sd_constraint *c)
{
	if (c->name && !c->name_generated) {
		sd_str_append(s, "CONSTRAINT ");
		q(s, c->name);
		sd_str_appendc(s, ' ');
	}
	sd_str_appendf(s, "CHECK (%s)", c->expr ? c->expr : "");
}

static void
name_list(sd_str *s, const char *const *v, size_t n)
{
	sd_str_appendc(s, '(');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sd_str_append(s, ", ");
		q(s, v[i]);
	}
	sd_str_appendc(s, ')');
}

/* The model keeps actions in lower case ("set null"); SQL shows them in capitals. */
static void
action(sd_str *s, const char *prefix, const char *words)
{
	sd_str_append(s, prefix);
	for (const char *c = words; *c; c++)
		sd_str_appendc(s, (char)toupper((unsigned char)*c));
}

/*
 * ON DELETE / ON UPDATE: the action, or NO ACTION when the form says it was
 * written (MariaDB keeps it; the same behaviour as one left out).
 */
static void
fk_action_clause(sd_str *s, const char *prefix, const char *words, const char *form)
{
	char written[32];

	snprintf(written, sizeof(written), "%sNO ACTION", prefix + 1);
	if (words)
		action(s, prefix, words);
	else if (form && strstr(form, written))
		sd_str_appendf(s, " %s", written);
}

static void
foreign_key_def(sd_str *s, const sd_constraint *c)
{
	const char *form = sd_props_get(&c->props, "form");

	sd_str_append(s, "CONSTRAINT ");
	q(s, c->name);
	sd_str_append(s, " FOREIGN KEY ");
	name_list(s, c->columns, c->n_columns);
	sd_str_append(s, " REFERENCES ");
	if (c->ref_schema) {
		q(s, c->ref_schema);
		sd_str_appendc(s, '.');
	}
	q(s, c->ref_table);
	sd_str_appendc(s, ' ');
	name_list(s, c->ref_columns, c->n_ref_columns);
	fk_action_clause(s, " ON DELETE ", c->on_delete, form);
	fk_action_clause(s, " ON UPDATE ", c->on_update, form);
}

/* Properties rendered as table options; engine and collation first. */
static bool
option_key(const char *key)
{
	return strcmp(key, "partition") != 0 && strcmp(key, "system_versioning") != 0;
}

static void
table_option(sd_str *s, const char *key, const char *value)
{
	char up[64];
	size_t n = 0;

	for (; key[n] && n < sizeof(up) - 1; n++)
		up[n] = (char)toupper((unsigned char)key[n]);
	up[n] = '\0';
	if (strcmp(key, "collation") == 0)
		sd_str_appendf(s, "COLLATE=%s", value ? value : "DEFAULT");
	else
		sd_str_appendf(s, "%s=%s", up, value ? value : "DEFAULT");
}

static void
create_table(planner *p, const sd_table *b)
{
	sd_str *s = p->out;
	const char *part = sd_props_get(&b->props, "partition");

	sd_str_append(s, "CREATE TABLE ");
	q(s, b->name);
	sd_str_append(s, " (\n");
	for (size_t i = 0; i < b->n_columns; i++) {
		sd_str_append(s, i ? ",\n  " : "  ");
		column_def(s, b, &b->columns[i], false, column_check(p, b, b->columns[i].name));
	}
	for (size_t i = 0; i < b->n_constraints; i++) {
		const sd_constraint *c = &b->constraints[i];
		if (c->type == SD_CON_PRIMARY) {
			sd_str_append(s, ",\n  ");
			primary_key_def(s, c);
		} else if (c->type == SD_CON_CHECK && !inline_check(p, b, c)) {
			sd_str_append(s, ",\n  ");
			check_def(s, c);
		}
	}
	for (size_t i = 0; i < b->n_indexes; i++) {
		sd_str_append(s, ",\n  ");
		index_def(s, &b->indexes[i], p->mariadb);
	}
	sd_str_append(s, "\n)");
	for (size_t i = 0; i < b->props.n_items; i++) {
		const sd_prop *o = &b->props.items[i];
		if (!option_key(o->key))
			continue;
		sd_str_appendc(s, ' ');
		table_option(s, o->key, o->value);
	}
	if (b->comment) {
		sd_str_append(s, " COMMENT=");
		sd_my__quote_string(s, b->comment);
	}
	if (sd_props_get(&b->props, "system_versioning"))
		sd_str_append(s, " WITH SYSTEM VERSIONING");
	if (part)
		sd_str_appendf(s, "\n%s", part);
	sd_str_append(s, ";\n");
}

/* ---- comments -------------------------------------------------------- */

/* The comment lines of a table's changes: its foreign keys only, or all the rest. */
static void
comment_table(planner *p, const char *name, bool fk_only)
{
	const tplan *tp = find_plan(p, name);

	for (size_t k = tp ? tp->first : 0; tp && k < tp->end; k++) {
		const sd_change *c = change_at(p, k);
		const void *item = c->new_item ? c->new_item : c->old_item;
		bool fk = c->what == SD_WHAT_CONSTRAINT &&
			  ((const sd_constraint *)item)->type == SD_CON_FOREIGN;
		if (fk == fk_only)
			sd_change_comment(p->out, c);
	}
}

/* ---- foreign keys ---------------------------------------------------- */

static bool
column_type_changes(planner *p, const char *table, const char *column)
{
	const sd_table *a = sd_schema_find_table(p->d->from, "", table);
	const sd_table *b = sd_schema_find_table(p->d->to, "", table);
	const sd_column *ca = a ? sd_table_find_column(a, column) : NULL;
	const sd_column *cb = b ? sd_table_find_column(b, column) : NULL;

	if (!ca || !cb)
		return false;
	return !sd_streq(ca->type, cb->type) ||
	       !sd_streq(effective_collation(a, ca), effective_collation(b, cb));
}

/* An unchanged foreign key is dropped and re-added when a column it ties changes type. */
static bool
fk_columns_retyped(planner *p, const sd_table *a, const sd_constraint *c)
{
	for (size_t i = 0; i < c->n_columns; i++)
		if (column_type_changes(p, a->name, c->columns[i]))
			return true;
	for (size_t i = 0; !c->ref_schema && i < c->n_ref_columns; i++)
		if (column_type_changes(p, c->ref_table, c->ref_columns[i]))
			return true;
	return false;
}

static bool
fk_eq(const sd_constraint *a, const sd_constraint *b)
{
	return sd_streq(a->name, b->name) && sd_strv_eq(a->columns, a->n_columns, b->columns, b->n_columns) &&
	       sd_streq(a->ref_schema, b->ref_schema) && sd_streq(a->ref_table, b->ref_table) &&
	       sd_strv_eq(a->ref_columns, a->n_ref_columns, b->ref_columns, b->n_ref_columns) &&
	       sd_streq(a->on_update, b->on_update) && sd_streq(a->on_delete, b->on_delete) &&
	       sd_streq(sd_props_get(&a->props, "form"), sd_props_get(&b->props, "form"));
}

/* Whether the plan drops foreign key c of A's table a (it goes, changes, or is in the way). */
static bool
fk_dropped(planner *p, const sd_table *a, const sd_constraint *c)
{
	const sd_table *b = sd_schema_find_table(p->d->to, "", a->name);

	/* A table that goes loses its foreign keys first: tables it references may go before it. */
	if (!b)
		return true;
	for (size_t i = 0; i < b->n_constraints; i++) {
		const sd_constraint *n = &b->constraints[i];
		if (n->type == SD_CON_FOREIGN && sd_streq(n->key, c->key))
			return !fk_eq(c, n) || fk_columns_retyped(p, a, c);
	}
	return true;
}

/* And the foreign keys of TO's table that the plan adds. */
static bool
fk_added(planner *p, const sd_table *b, const sd_constraint *c)
{
	const sd_table *a = sd_schema_find_table(p->d->from, "", b->name);

	if (!a)
		return true;
	for (size_t i = 0; i < a->n_constraints; i++) {
		const sd_constraint *o = &a->constraints[i];
		if (o->type == SD_CON_FOREIGN && sd_streq(o->key, c->key))
			return fk_dropped(p, a, o);
	}
	return true;
}

/* Foreign keys the diff does not list, moved out of the way of a column retype: say why. */
static void
comment_retyped(planner *p, const sd_table *a)
{
	const sd_table *b = a ? sd_schema_find_table(p->d->to, "", a->name) : NULL;

	for (size_t i = 0; b && i < a->n_constraints; i++) {
		const sd_constraint *c = &a->constraints[i];
		sd_str line;
		if (c->type != SD_CON_FOREIGN || !fk_columns_retyped(p, a, c))
			continue;
		for (size_t k = 0; k < b->n_constraints; k++) {
			if (b->constraints[k].type != SD_CON_FOREIGN || !fk_eq(c, &b->constraints[k]))
				continue;
			sd_str_init(&line);
			sd_str_append(&line, "foreign key ");
			q(&line, c->name);
			sd_str_append(&line, " dropped and re-added unchanged: a column it ties changes type");
			sd_sql_comment(p->out, line.ptr);
			sd_str_dispose(&line);
		}
	}
}

static void
drop_foreign_keys(planner *p)
{
	const sd_schema *A = p->d->from;

	for (size_t t = 0; t < A->n_tables; t++) {
		const sd_table *a = &A->tables[t];
		bool any = false;
		for (size_t i = 0; i < a->n_constraints; i++) {
			const sd_constraint *c = &a->constraints[i];
			if (c->type != SD_CON_FOREIGN || !fk_dropped(p, a, c))
				continue;
			if (!any) {
				comment_table(p, a->name, true);
				comment_retyped(p, a);
				sd_str_append(p->out, "ALTER TABLE ");
				q(p->out, a->name);
			}
			sd_str_append(p->out, any ? ",\n  DROP FOREIGN KEY " : "\n  DROP FOREIGN KEY ");
			q(p->out, c->name);
			any = true;
		}
		if (any)
			sd_str_append(p->out, ";\n");
	}
}

/*
 * MariaDB and MySQL drop an index they created implicitly for a foreign
 * key and make another named after the constraint when a foreign key is
 * added later. Recreating the index TO has for these columns in the same
 * statement makes it an ordinary index that the new key then uses.
 */
static void
keep_fk_index(planner *p, const sd_table *b, const sd_constraint *c, bool *any)
{
	const sd_table *a = sd_schema_find_table(p->d->from, "", b->name);

	if (!a)
		return;
	for (size_t i = 0; i < b->n_indexes; i++) {
		const sd_index *ix = &b->indexes[i];
		bool covers = ix->n_keys >= c->n_columns && !sd_streq(ix->name, c->name) &&
			      !ix->method && !sd_props_get(&ix->props, "lengths");
		for (size_t k = 0; covers && k < c->n_columns; k++)
			covers = ix->keys[k].column && strcmp(ix->keys[k].column, c->columns[k]) == 0;
		if (!covers)
			continue;
		for (size_t k = 0; k < a->n_indexes; k++) {
			if (!sd_streq(a->indexes[k].key, ix->key))
				continue;
			sd_str_append(p->out, *any ? ",\n  DROP INDEX " : "\n  DROP INDEX ");
			q(p->out, ix->name);
			sd_str_append(p->out, ",\n  ADD ");
			index_def(p->out, ix, p->mariadb);
			*any = true;
			return;
		}
		return;
	}
}

static void
add_foreign_keys(planner *p)
{
	const sd_schema *B = p->d->to;

	for (size_t t = 0; t < B->n_tables; t++) {
		const sd_table *b = &B->tables[t];
		bool any = false;
		for (size_t i = 0; i < b->n_constraints; i++) {
			const sd_constraint *c = &b->constraints[i];
			if (c->type != SD_CON_FOREIGN || !fk_added(p, b, c))
				continue;
			if (!any) {
				if (sd_schema_find_table(p->d->from, "", b->name))
					comment_table(p, b->name, true);
				comment_retyped(p, sd_schema_find_table(p->d->from, "", b->name));
				sd_str_append(p->out, "ALTER TABLE ");
				q(p->out, b->name);
			}
			keep_fk_index(p, b, c, &any);
			sd_str_append(p->out, any ? ",\n  ADD " : "\n  ADD ");
			foreign_key_def(p->out, c);
			any = true;
		}
		if (any)
			sd_str_append(p->out, ";\n");
	}
}

/* ---- one ALTER TABLE per table --------------------------------------- */

typedef struct clauses {
	sd_str s;
	size_t n;
} clauses;

static sd_str *
clause(clauses *c)
{
	sd_str_append(&c->s, c->n++ ? ",\n  " : "\n  ");
	return &c->s;
}

static bool
column_changed(const sd_table *ta, const sd_column *a, const sd_table *tb, const sd_column *b)
{
	if (!sd_streq(a->type, b->type) || a->not_null != b->not_null ||
	    !sd_streq(a->default_expr, b->default_expr) || !sd_streq(a->generated, b->generated) ||
	    a->generated_stored != b->generated_stored || !sd_streq(a->identity, b->identity) ||
	    !sd_streq(a->comment, b->comment) ||
	    !sd_streq(effective_collation(ta, a), effective_collation(tb, b)) ||
	    a->props.n_items != b->props.n_items)
		return true;
	for (size_t i = 0; i < a->props.n_items; i++)
		if (strcmp(a->props.items[i].key, b->props.items[i].key) != 0 ||
		    !sd_streq(a->props.items[i].value, b->props.items[i].value))
			return true;
	return false;
}

/* MySQL cannot MODIFY a column between stored, virtual and plain: drop and add it. */
static bool
must_recreate(const sd_column *a, const sd_column *b)
{
	return a && b && ((a->generated != NULL) != (b->generated != NULL) ||
			  (a->generated && a->generated_stored != b->generated_stored));
}

/* Properties of p other than "invisible" all hold the same value in q. */
static bool
props_eq_but_visibility(const sd_props *p, const sd_props *q)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_items; i++) {
		const char *k = p->items[i].key;
		if (strcmp(k, "invisible") == 0)
			continue;
		if (!sd_streq(p->items[i].value, sd_props_get(q, k)))
			return false;
		n++;
	}
	return n + (sd_props_get(q, "invisible") != NULL) == q->n_items;
}

/* True when an index.alter change differs only in visibility: ALTER INDEX, no rebuild. */
static bool
visibility_only(const sd_change *ch)
{
	const sd_index *a = ch->old_item, *b = ch->new_item;

	if (ch->what != SD_WHAT_INDEX || ch->op != SD_OP_ALTER || a->unique != b->unique ||
	    !sd_streq(a->method, b->method) || a->n_keys != b->n_keys ||
	    !props_eq_but_visibility(&a->props, &b->props) ||
	    !props_eq_but_visibility(&b->props, &a->props))
		return false;
	for (size_t k = 0; k < a->n_keys; k++)
		if (!sd_streq(a->keys[k].column, b->keys[k].column) ||
		    !sd_streq(a->keys[k].expr, b->keys[k].expr) || a->keys[k].desc != b->keys[k].desc)
			return false;
	return true;
}

static void
drop_clauses(planner *p, clauses *c, const tplan *tp)
{
	const sd_table *a = tp->a, *b = tp->b;

	for (size_t k = tp->first; k < tp->end; k++) {
		const sd_change *ch = change_at(p, k);
		if (!ch->old_item)
			continue;
		if (visibility_only(ch)) {
			bool hide = sd_props_get(&((const sd_index *)ch->new_item)->props, "invisible");
			sd_str_append(clause(c), "ALTER INDEX ");
			q(&c->s, ((const sd_index *)ch->old_item)->name);
			if (p->mariadb)
				sd_str_append(&c->s, hide ? " IGNORED" : " NOT IGNORED");
			else
				sd_str_append(&c->s, hide ? " INVISIBLE" : " VISIBLE");
		} else if (ch->what == SD_WHAT_INDEX) {
			sd_str_append(clause(c), "DROP INDEX ");
			q(&c->s, ((const sd_index *)ch->old_item)->name);
		} else if (ch->what == SD_WHAT_CONSTRAINT) {
			const sd_constraint *con = ch->old_item;
			if (con->type == SD_CON_PRIMARY) {
				sd_str_append(clause(c), "DROP PRIMARY KEY");
			} else if (con->type == SD_CON_CHECK && !inline_check(p, a, con)) {
				/* A column's own CHECK goes with its MODIFY or DROP COLUMN. */
				sd_str_append(clause(c), p->mariadb ? "DROP CONSTRAINT " : "DROP CHECK ");
				q(&c->s, con->name);
			}
		}
	}
	for (size_t i = 0; i < a->n_columns; i++) {
		const sd_column *col = &a->columns[i], *cb = sd_table_find_column(b, col->name);
		if (cb && !must_recreate(col, cb))
			continue;
		sd_str_append(clause(c), "DROP COLUMN ");
		q(&c->s, col->name);
	}
}

/* Whether the CHECK written on column `column` differs between A's table and B's. */
static bool
column_check_changed(const planner *p, const sd_table *a, const sd_table *b, const char *column)
{
	const sd_constraint *x = column_check(p, a, column), *y = column_check(p, b, column);

	return !x != !y || (x && !sd_streq(x->expr, y->expr));
}

/*
 * Walks TO's columns in order over a simulation of the table as the
 * clauses so far leave it: a column out of place is moved with FIRST /
 * AFTER the previous one, so the final order is exactly TO's.
 */
static void
column_clauses(const planner *p, clauses *c, const sd_table *a, const sd_table *b)
{
	const char **order = sd_xcalloc(a->n_columns + b->n_columns + 1, sizeof(*order));
	size_t n = 0;

	for (size_t i = 0; i < a->n_columns; i++) {
		const sd_column *cb = sd_table_find_column(b, a->columns[i].name);
		if (cb && !must_recreate(&a->columns[i], cb))
			order[n++] = a->columns[i].name;
	}
	for (size_t i = 0; i < b->n_columns; i++) {
		const sd_column *cb = &b->columns[i], *ca = sd_table_find_column(a, cb->name);
		if (must_recreate(ca, cb))
			ca = NULL;
		bool in_place = i < n && strcmp(order[i], cb->name) == 0;
		if (in_place && !column_changed(a, ca, b, cb) &&
		    !column_check_changed(p, a, b, cb->name))
			continue;
		sd_str_append(clause(c), ca ? "MODIFY COLUMN " : "ADD COLUMN ");
		column_def(&c->s, b, cb, true, column_check(p, b, cb->name));
		if (in_place)
			continue;
		if (i == 0) {
			sd_str_append(&c->s, " FIRST");
		} else {
			sd_str_append(&c->s, " AFTER ");
			q(&c->s, b->columns[i - 1].name);
		}
		/* Move (or insert) the column to slot i. */
		for (size_t k = i; k < n; k++)
			if (strcmp(order[k], cb->name) == 0) {
				memmove(&order[k], &order[k + 1], (n - k - 1) * sizeof(*order));
				n--;
				break;
			}
		memmove(&order[i + 1], &order[i], (n - i) * sizeof(*order));
		order[i] = cb->name;
		n++;
	}
	free(order);
}

static void
add_clauses(planner *p, clauses *c, const tplan *tp)
{
	for (size_t k = tp->first; k < tp->end; k++) {
		const sd_change *ch = change_at(p, k);
		if (!ch->new_item || visibility_only(ch))
			continue;
		if (ch->what == SD_WHAT_INDEX) {
			sd_str_append(clause(c), "ADD ");
			index_def(&c->s, ch->new_item, p->mariadb);
		} else if (ch->what == SD_WHAT_CONSTRAINT) {
			const sd_constraint *con = ch->new_item;
			if (con->type == SD_CON_PRIMARY) {
				sd_str_append(clause(c), "ADD ");
				primary_key_def(&c->s, con);
			} else if (con->type == SD_CON_CHECK && !inline_check(p, tp->b, con)) {
				sd_str_append(clause(c), "ADD ");
				check_def(&c->s, con);
			}
		}
	}
}

static void
option_clauses(planner *p, clauses *c, const tplan *tp)
{
	const sd_table *b = tp->b;

	for (size_t k = tp->first; k < tp->end; k++) {
		const sd_change *ch = change_at(p, k);
		if (ch->what != SD_WHAT_TABLE)
			continue;
		if (strcmp(ch->kind, "table.option") == 0 && option_key(ch->property))
			table_option(clause(c), ch->property, sd_props_get(&b->props, ch->property));
		else if (strcmp(ch->kind, "table.comment") == 0) {
			sd_str_append(clause(c), "COMMENT=");
			sd_my__quote_string(&c->s, b->comment ? b->comment : "");
		}
	}
}

/* Names the columns whose data the ALTER discards (dropped, or generated and re-added). */
static void
destructive_comment(planner *p, const sd_table *a, const sd_table *b)
{
	sd_str line;
	size_t n = 0;

	sd_str_init(&line);
	sd_str_append(&line, "destructive: drops the data of column(s)");
	for (size_t i = 0; i < a->n_columns; i++) {
		const sd_column *ca = &a->columns[i], *cb = sd_table_find_column(b, ca->name);
		if (cb && !must_recreate(ca, cb))
			continue;
		sd_str_append(&line, n++ ? ", " : " ");
		q(&line, ca->name);
	}
	if (n)
		sd_sql_comment(p->out, line.ptr);
	sd_str_dispose(&line);
}

/* The algorithms adjust_risk scores, cheapest first; ALGO_ANY: a copy, or not modelled. */
typedef enum algo { ALGO_INSTANT, ALGO_INPLACE, ALGO_ANY } algo;

static algo assumed_algorithm(const sd_change *c);

/*
 * The ALGORITHM clause for a table's ALTER: the most expensive algorithm its
 * changes were scored with (foreign keys are statements of their own), or
 * none when one of them was scored as a copy or is not modelled.
 */
static const char *
algorithm_clause(const planner *p, const tplan *tp)
{
	algo worst = ALGO_INSTANT;

	for (size_t k = tp->first; k < tp->end; k++) {
		const sd_change *ch = change_at(p, k);
		algo a;
		if (strncmp(ch->kind, "foreign_key.", 12) == 0)
			continue;
		if ((a = assumed_algorithm(ch)) > worst)
			worst = a;
	}
	return worst == ALGO_INSTANT   ? ",\n  ALGORITHM=INSTANT"
	       : worst == ALGO_INPLACE ? ",\n  ALGORITHM=INPLACE, LOCK=NONE"
				       : "";
}

static void
alter_table(planner *p, const tplan *tp)
{
	const sd_table *a = tp->a, *b = tp->b;
	const char *pa = sd_props_get(&a->props, "partition");
	const char *pb = sd_props_get(&b->props, "partition");
	clauses c = {.n = 0};

	sd_str_init(&c.s);
	comment_table(p, a->name, false);
	if (pa && !pb) {
		sd_str_append(p->out, "ALTER TABLE ");
		q(p->out, a->name);
		sd_str_append(p->out, " REMOVE PARTITIONING;\n");
	}
	drop_clauses(p, &c, tp);
	column_clauses(p, &c, a, b);
	add_clauses(p, &c, tp);
	option_clauses(p, &c, tp);
	if (c.n) {
		destructive_comment(p, a, b);
		sd_str_append(p->out, "ALTER TABLE ");
		q(p->out, a->name);
		sd_str_appendf(p->out, "%s%s;\n", c.s.ptr,
			       p->request_algorithm ? algorithm_clause(p, tp) : "");
	}
	/* MariaDB: history on or off is a statement of its own. */
	if (!sd_props_get(&a->props, "system_versioning") !=
	    !sd_props_get(&b->props, "system_versioning")) {
		sd_str_append(p->out, "ALTER TABLE ");
		q(p->out, a->name);
		sd_str_appendf(p->out, " %s SYSTEM VERSIONING;\n",
			       sd_props_get(&b->props, "system_versioning") ? "ADD" : "DROP");
	}
	if (pb && !sd_streq(pa, pb)) {
		sd_str_append(p->out, "ALTER TABLE ");
		q(p->out, a->name);
		sd_str_appendf(p->out, " %s;\n", pb);
	}
	sd_str_dispose(&c.s);
}

/* ---- other objects --------------------------------------------------- */

static const char *
drop_word(const sd_object *o)
{
	switch (o->kind) {
	case SD_OBJ_VIEW:
		return "VIEW";
	case SD_OBJ_TRIGGER:
		return "TRIGGER";
	case SD_OBJ_EVENT:
		return "EVENT";
	default:
		return strcmp(o->signature, "procedure") == 0 ? "PROCEDURE" : "FUNCTION";
	}
}

static void
drop_objects(planner *p, sd_obj_kind kind)
{
	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_object *o = c->old_item;
		if (c->what != SD_WHAT_OBJECT || !o || o->kind != kind)
			continue;
		/* A changed view is replaced in place (CREATE OR REPLACE): its grants survive. */
		if (c->op == SD_OP_ALTER && kind == SD_OBJ_VIEW)
			continue;
		sd_change_comment(p->out, c);
		sd_str_appendf(p->out, "DROP %s IF EXISTS ", drop_word(o));
		q(p->out, o->name);
		sd_str_append(p->out, ";\n");
	}
}

static void create_statement(planner *p, const sd_object *o);

static void
create_object(planner *p, const sd_object *o)
{
	const char *modes = sd_props_get(&o->props, "sql_mode");

	if (modes) {
		/* Written under these modes, so created under them; the client lexes by them too. */
		sd_str_append(p->out, "SET @schemad_sql_mode = @@SESSION.sql_mode;\n"
				      "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), ");
		sd_my__quote_string(p->out, modes);
		sd_str_append(p->out, ");\n");
	}
	create_statement(p, o);
	if (modes)
		sd_str_append(p->out, "SET SESSION sql_mode = @schemad_sql_mode;\n");
}

static void
create_statement(planner *p, const sd_object *o)
{
	if (!strchr(o->ddl, ';')) {
		sd_str_appendf(p->out, "%s;\n", o->ddl);
		return;
	}
	/*
	 * The client would split the body at its ';': give it a delimiter the
	 * text does not hold, on a line of its own (a body may end in a comment).
	 */
	char delim[32] = "$$";
	for (int n = 1; strstr(o->ddl, delim); n++)
		snprintf(delim, sizeof(delim), "$$%d$$", n);
	sd_str_appendf(p->out, "DELIMITER %s\n%s\n%s\nDELIMITER ;\n", delim, o->ddl, delim);
}

static void
create_objects(planner *p, sd_obj_kind kind)
{
	SD_VEC(const sd_object *) objs = {0};
	SD_VEC(const sd_change *) chs = {0};
	size_t *order;

	for (size_t i = 0; i < p->d->n_changes; i++) {
		const sd_change *c = &p->d->changes[i];
		const sd_object *o = c->new_item;
		if (c->what != SD_WHAT_OBJECT || !o || o->kind != kind)
			continue;
		sd_vec_push(&objs, o);
		sd_vec_push(&chs, c);
	}
	order = sd_xcalloc(objs.len + 1, sizeof(*order));
	sd_order_by_depends(order, objs.ptr, objs.len);
	for (size_t i = 0; i < objs.len; i++) {
		const sd_change *c = chs.ptr[order[i]];
		if (c->op == SD_OP_ADD || kind == SD_OBJ_VIEW)
			sd_change_comment(p->out, c);
		create_object(p, objs.ptr[order[i]]);
	}
	free(order);
	sd_vec_dispose(&objs);
	sd_vec_dispose(&chs);
}

static void
table_work(planner *p)
{
	for (size_t i = 0; i < p->n_tables; i++) {
		const tplan *tp = &p->tables[i];
		if (tp->mode == T_ADD) {
			comment_table(p, tp->b->name, false);
			create_table(p, tp->b);
		}
	}
	for (size_t i = 0; i < p->n_tables; i++)
		if (p->tables[i].mode == T_ALTER)
			alter_table(p, &p->tables[i]);
	for (size_t i = 0; i < p->n_tables; i++) {
		const tplan *tp = &p->tables[i];
		if (tp->mode != T_DROP)
			continue;
		comment_table(p, tp->a->name, false);
		sd_sql_comment(p->out, "destructive: drops the table and its rows");
		sd_str_append(p->out, "DROP TABLE ");
		q(p->out, tp->a->name);
		sd_str_append(p->out, ";\n");
	}
}

/*
 * The text below is written for a session without NO_BACKSLASH_ESCAPES
 * (string literals escape backslashes; view text from the server holds \')
 * and with UTF-8 names (a client character set like GBK or SJIS reads some
 * UTF-8 bytes as quotes or backslashes). The mysql client follows both for
 * its own lexing once the server reports them. Only NO_BACKSLASH_ESCAPES
 * leaves sql_mode: the other modes decide what the DDL means, and stay the
 * DBA's. These two statements hold no backslash, so they read the same
 * under either mode.
 */
static void
pin_session(sd_str *out)
{
	sd_str_append(out, "SET NAMES utf8mb4;\n"
			   "SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', "
			   "@@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','));\n");
}

static int
plan(sd_str *out, const sd_diff *d, const sd_plan_opts *opts, sd_err *err)
{
	planner p = {.d = d, .out = out, .request_algorithm = opts && opts->request_algorithm};

	int rc;

	if (d->n_changes == 0)
		return SD_OK;
	/* TO may be a snapshot: no text of it may carry a statement of its own. */
	if ((rc = sd_my__check_texts(d->to, err)))
		return rc;
	p.mariadb = !sd_streq(sd_props_get(&d->from->props, "flavor"), "mysql");
	if ((rc = sd_my__check_sequences_plannable(d, p.mariadb, err)))
		return rc;
	pin_session(out);
	classify_tables(&p);
	drop_objects(&p, SD_OBJ_EVENT);
	drop_objects(&p, SD_OBJ_TRIGGER);
	drop_objects(&p, SD_OBJ_VIEW);
	drop_objects(&p, SD_OBJ_FUNCTION);
	drop_foreign_keys(&p);
	/* Before the tables whose DEFAULT reads them (NEXT VALUE FOR), dropped after them. */
	sd_my__plan_sequences(out, d);
	table_work(&p);
	sd_my__drop_sequences(out, d);
	add_foreign_keys(&p);
	create_objects(&p, SD_OBJ_FUNCTION);
	create_objects(&p, SD_OBJ_VIEW);
	create_objects(&p, SD_OBJ_TRIGGER);
	create_objects(&p, SD_OBJ_EVENT);
	free(p.tables);
	free(p.order);
	return SD_OK;
}

/* ---- engine costs ---------------------------------------------------- */

enum { COST_COPY = 50, COST_REBUILD = 35 };

static const char COPY_REASON[] =
	"MySQL/MariaDB copy the table (ALGORITHM=COPY): writes blocked for the whole copy";
static const char REBUILD_REASON[] =
	"InnoDB rebuilds the table in place (ALGORITHM=INPLACE): long on big tables, "
	"writes allowed";

static bool
kind_is(const sd_change *c, const char *kind)
{
	return strcmp(c->kind, kind) == 0;
}

/* Bytes per character of a collation's charset, for VARCHAR length-byte limits. */
static int
char_bytes(const char *collation)
{
	if (!collation)
		return 4; /* unknown: assume the widest */
	if (strncmp(collation, "utf8mb4", 7) == 0 || strncmp(collation, "utf16", 5) == 0 ||
	    strncmp(collation, "utf32", 5) == 0)
		return 4;
	if (strncmp(collation, "utf8", 4) == 0)
		return 3;
	if (strncmp(collation, "ucs2", 4) == 0)
		return 2;
	return 1;
}

/*
 * VARCHAR(n) -> VARCHAR(m), m > n, is an in-place metadata change while
 * both lengths need the same 1- or 2-byte length prefix (under 256 bytes,
 * or both at or over it); otherwise the table is copied.
 */
static bool
varchar_grows_in_place(const sd_change *c)
{
	const sd_column *a = c->old_item, *b = c->new_item;
	long n, m;
	int bytes;

	if (!kind_is(c, "column.type_widen") || sscanf(a->type, "varchar(%ld)", &n) != 1 ||
	    sscanf(b->type, "varchar(%ld)", &m) != 1)
		return false;
	bytes = char_bytes(effective_collation(c->new_table, b));
	return (n * bytes < 256) == (m * bytes < 256);
}

/* The algorithm adjust_risk assumed for c (the same cases, in the same order). */
static algo
assumed_algorithm(const sd_change *c)
{
	if (varchar_grows_in_place(c) || (kind_is(c, "index.alter") && visibility_only(c)))
		return ALGO_INPLACE;
	if (kind_is(c, "column.generated") && c->new_item &&
	    ((const sd_column *)c->new_item)->generated_stored)
		return ALGO_ANY;
	if (kind_is(c, "column.set_not_null") || kind_is(c, "column.drop_not_null") ||
	    kind_is(c, "column.order") || kind_is(c, "primary_key.add") ||
	    kind_is(c, "primary_key.alter"))
		return ALGO_INPLACE;
	/* A stored generated or auto-increment column is computed for every row: a copy. */
	if (kind_is(c, "column.add") && c->new_item &&
	    (((const sd_column *)c->new_item)->generated_stored ||
	     ((const sd_column *)c->new_item)->identity))
		return ALGO_ANY;
	if (kind_is(c, "column.add") || kind_is(c, "column.drop") || kind_is(c, "column.default"))
		return ALGO_INSTANT;
	/* Only B-tree indexes build in place: FULLTEXT rebuilds, a long UNIQUE ... USING
	 * HASH (MariaDB) adds a hidden virtual column, which needs a copy. */
	if (kind_is(c, "index.add") || kind_is(c, "index.drop")) {
		const sd_index *ix = c->new_item ? c->new_item : c->old_item;
		if (ix && (!ix->method || sd_streq(ix->method, "btree")))
			return ALGO_INPLACE;
	}
	return ALGO_ANY;
}

static void
adjust_risk(sd_change *c, const sd_diff *d)
{
	(void)d;
	if (varchar_grows_in_place(c))
		sd_change_add_reason(c, 0,
				     "VARCHAR grows in place (ALGORITHM=INPLACE, metadata only): "
				     "same length-prefix size");
	else if (kind_is(c, "index.alter") && visibility_only(c))
		sd_change_add_reason(c, 0, "only visibility changes: ALTER INDEX, metadata only");
	else if (kind_is(c, "column.type_widen") || kind_is(c, "column.type_narrow") ||
	    kind_is(c, "column.type_change") || kind_is(c, "column.collation") ||
	    kind_is(c, "column.identity") || kind_is(c, "foreign_key.add") ||
	    kind_is(c, "foreign_key.alter") || kind_is(c, "check.add") ||
	    kind_is(c, "check.alter"))
		sd_change_add_reason(c, COST_COPY, COPY_REASON);
	else if (kind_is(c, "column.generated") && c->new_item &&
		 ((const sd_column *)c->new_item)->generated_stored)
		sd_change_add_reason(c, COST_COPY, COPY_REASON);
	else if (kind_is(c, "column.set_not_null") || kind_is(c, "column.drop_not_null") ||
		 kind_is(c, "column.order") || kind_is(c, "primary_key.add") ||
		 kind_is(c, "primary_key.alter"))
		sd_change_add_reason(c, COST_REBUILD, REBUILD_REASON);
	else if (kind_is(c, "table.option") && c->property &&
		 (strcmp(c->property, "engine") == 0 || strcmp(c->property, "partition") == 0))
		sd_change_add_reason(c, COST_COPY + 10, COPY_REASON);
	else if (kind_is(c, "table.option") && c->property &&
		 strcmp(c->property, "collation") != 0)
		sd_change_add_reason(c, COST_REBUILD, REBUILD_REASON);
	else if (kind_is(c, "column.add") || kind_is(c, "column.drop") ||
		 kind_is(c, "column.default"))
		sd_change_add_reason(c, 0,
				     "INSTANT on MySQL 8.0.29+ and MariaDB 10.4+ (metadata only); "
				     "older servers rebuild the table");
	else if (kind_is(c, "check.form"))
		sd_change_add_reason(c, 0, "the plan realigns it by writing the CHECK again, "
					   "which copies the table (ALGORITHM=COPY)");
	else if (kind_is(c, "foreign_key.form"))
		sd_change_add_reason(c, 0, "the plan realigns it by dropping and adding the foreign "
					   "key again, which copies the table (ALGORITHM=COPY)");
	else if (kind_is(c, "index.add") && c->new_item &&
		 sd_streq(((const sd_index *)c->new_item)->method, "fulltext"))
		sd_change_add_reason(c, COST_REBUILD,
				     "the first FULLTEXT index rebuilds the table and blocks writes");
}

const sd_dialect sd_my_dialect = {
	.name = "mysql",
	.quote_ident = sd_my_quote_ident,
	.plan = plan,
	.adjust_risk = adjust_risk,
};
