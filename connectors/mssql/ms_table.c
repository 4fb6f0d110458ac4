/*
 * connectors/mssql/ms_table.c: CREATE TABLE, CREATE INDEX and ALTER TABLE.
 *
 * Columns (types with (max), IDENTITY, computed AS ... PERSISTED, COLLATE,
 * NULL/NOT NULL, ROWGUIDCOL, SPARSE, named and unnamed DEFAULT), PRIMARY
 * KEY / UNIQUE [NON]CLUSTERED, CHECK, FOREIGN KEY with actions, inline
 * INDEX; ALTER TABLE ADD / DROP / ALTER COLUMN / [NO]CHECK CONSTRAINT.
 * Storage clauses (WITH (...), ON [filegroup], TEXTIMAGE_ON) are skipped:
 * they place data, they do not shape the schema.
 *
 * The checks SQL Server makes when a script changes a schema are made
 * here too (a dropped column may not carry a default or be indexed, a
 * referenced key may not be dropped), so a plan in the wrong order fails
 * here as it would on a server. Not checked: that a FOREIGN KEY's target
 * exists when it is added (scripts list tables in any order; the target
 * must exist by the end of the script).
 */
#include "connectors/mssql/ms_internal.h"

#include <stdlib.h>
#include <string.h>

typedef SD_VEC(const char *) strv;

static int
name_list(ms_parser *p, strv *out, strv *desc)
{
	int rc;

	if (!sd_ms__is_punct(sd_ms__peek(p, 0), '('))
		return sd_ms__fail(p, sd_ms__peek(p, 0), "expected a column list");
	p->i++;
	for (;;) {
		const char *name;
		if ((rc = sd_ms__name(p, &name)))
			return rc;
		sd_vec_push(out, name);
		if (sd_ms__accept(p, "desc")) {
			if (!desc)
				return sd_ms__fail(p, sd_ms__peek(p, 0),
				                   "DESC is not allowed here");
			sd_vec_push(desc, name);
		} else {
			sd_ms__accept(p, "asc");
		}
		if (sd_ms__is_punct(sd_ms__peek(p, 0), ')'))
			break;
		if (!sd_ms__is_punct(sd_ms__peek(p, 0), ','))
			return sd_ms__fail(p, sd_ms__peek(p, 0),
			                   "expected , or ) in a column list");
		p->i++;
	}
	p->i++;
	return SD_OK;
}

static const char **
arena_list(ms_parser *p, const strv *v)
{
	return sd_arena_memdup(p->db->a, v->ptr, v->len, sizeof(*v->ptr));
}

/* "AD": A or D per key column (DESC ones are in desc); NULL when none is DESC. */
static const char *
key_order(ms_parser *p, const strv *cols, const strv *desc)
{
	char *out;

	if (!desc->len)
		return NULL;
	out = sd_arena_alloc(p->db->a, cols->len + 1);
	for (size_t i = 0; i < cols->len; i++) {
		out[i] = 'A';
		for (size_t k = 0; k < desc->len; k++)
			if (desc->ptr[k] == cols->ptr[i])
				out[i] = 'D';
	}
	return out;
}

static int
check_columns(ms_parser *p, ms_table *t, const char **cols, size_t n, const ms_tok *at)
{
	for (size_t i = 0; i < n; i++)
		if (!sd_ms__find_col(t, cols[i]))
			return sd_ms__fail(p, at, "table %s.%s has no column %s", t->schema,
			                   t->name, cols[i]);
	return SD_OK;
}

/* ---- expressions in DDL -------------------------------------------------- */

/* A DEFAULT value: (expr), a signed number, a literal, f(...), NEXT VALUE FOR seq. */
static int
default_value(ms_parser *p, const char **out)
{
	size_t from = p->i;
	const ms_tok *t = sd_ms__peek(p, 0);

	if (sd_ms__is_punct(t, '(')) {
		p->i = sd_ms__skip_group(p->t, p->batch_end, p->i);
	} else if ((sd_ms__is_op(t, "-") || sd_ms__is_op(t, "+")) &&
	           sd_ms__peek(p, 1)->type == MT_NUMBER) {
		p->i += 2;
	} else if (t->type == MT_WORD && sd_ms__is_punct(sd_ms__peek(p, 1), '(')) {
		p->i = sd_ms__skip_group(p->t, p->batch_end, p->i + 1);
	} else if (sd_ms__is(t, "next") && sd_ms__is(sd_ms__peek(p, 1), "value")) {
		const char *seq_schema, *seq_name;
		int rc;
		p->i += 2;
		if ((rc = sd_ms__expect(p, "for")) ||
		    (rc = sd_ms__qualname(p, &seq_schema, &seq_name)))
			return rc;
	} else if (t->type == MT_NUMBER || t->type == MT_STRING || t->type == MT_WORD) {
		p->i++;
	} else {
		return sd_ms__fail(p, t, "expected a default value, found %s",
		                   t->n ? "an operator" : "nothing");
	}
	*out = sd_ms__stored_expr(p->db->a, p->t, from, p->i);
	return SD_OK;
}

/* CHECK [NOT FOR REPLICATION] (expr) */
static int
check_expr(ms_parser *p, ms_con *c)
{
	size_t end;

	if (sd_ms__is(sd_ms__peek(p, 0), "not") && sd_ms__is(sd_ms__peek(p, 1), "for")) {
		p->i += 3;
		c->not_for_replication = true;
	}
	if (!sd_ms__is_punct(sd_ms__peek(p, 0), '('))
		return sd_ms__fail(p, sd_ms__peek(p, 0), "expected ( after CHECK");
	end = sd_ms__skip_group(p->t, p->batch_end, p->i);
	c->c.expr = sd_ms__stored_expr(p->db->a, p->t, p->i, end);
	p->i = end;
	return SD_OK;
}

static const char *
fk_action(ms_parser *p)
{
	if (sd_ms__accept(p, "cascade"))
		return "cascade";
	if (sd_ms__accept(p, "set")) {
		if (sd_ms__accept(p, "null"))
			return "set null";
		sd_ms__accept(p, "default");
		return "set default";
	}
	if (sd_ms__accept(p, "no"))
		sd_ms__accept(p, "action");
	return NULL;
}

/* REFERENCES t [(cols)] [ON DELETE a] [ON UPDATE a] [NOT FOR REPLICATION] */
static int
references(ms_parser *p, ms_con *c)
{
	strv cols = {0};
	int rc;

	if ((rc = sd_ms__expect(p, "references")) ||
	    (rc = sd_ms__qualname(p, &c->c.ref_schema, &c->c.ref_table)))
		return rc;
	if (sd_ms__is_punct(sd_ms__peek(p, 0), '(')) {
		if ((rc = name_list(p, &cols, NULL))) {
			sd_vec_dispose(&cols);
			return rc;
		}
		c->c.ref_columns = arena_list(p, &cols);
		c->c.n_ref_columns = cols.len;
		sd_vec_dispose(&cols);
	}
	for (;;) {
		if (sd_ms__is(sd_ms__peek(p, 0), "on") && sd_ms__is(sd_ms__peek(p, 1), "delete")) {
			p->i += 2;
			c->c.on_delete = fk_action(p);
		} else if (sd_ms__is(sd_ms__peek(p, 0), "on") &&
		           sd_ms__is(sd_ms__peek(p, 1), "update")) {
			p->i += 2;
			c->c.on_update = fk_action(p);
		} else if (sd_ms__is(sd_ms__peek(p, 0), "not") &&
		           sd_ms__is(sd_ms__peek(p, 1), "for")) {
			p->i += 3;
			c->not_for_replication = true;
		} else {
			return SD_OK;
		}
	}
}

/* [CLUSTERED | NONCLUSTERED]; unset when neither is written. */
static void
clustering(ms_parser *p, ms_con *c)
{
	c->clus_unset = false;
	if (sd_ms__accept(p, "clustered"))
		c->clustered = true;
	else if (sd_ms__accept(p, "nonclustered"))
		c->clustered = false;
	else
		c->clus_unset = true;
}

/* ---- constraints ----------------------------------------------------------- */

static void
add_con(ms_table *t, const ms_con *c)
{
	sd_vec_push(&t->cons, *c);
}

/* PRIMARY KEY / UNIQUE / CHECK / FOREIGN KEY after an optional CONSTRAINT name. */
static int
table_constraint(ms_parser *p, ms_table *t, const char *name, bool trusted)
{
	ms_con c = {0};
	strv cols = {0}, desc = {0};
	const ms_tok *at = sd_ms__peek(p, 0);
	int rc = SD_OK;

	c.c.name = name;
	c.line = at->line;
	c.not_trusted = !trusted;
	if (sd_ms__accept(p, "primary") || sd_ms__accept(p, "unique")) {
		c.c.type = sd_ms__is(at, "primary") ? SD_CON_PRIMARY : SD_CON_UNIQUE;
		if (c.c.type == SD_CON_PRIMARY && (rc = sd_ms__expect(p, "key")))
			goto out;
		clustering(p, &c);
		if ((rc = name_list(p, &cols, &desc)))
			goto out;
		sd_ms__skip_storage(p);
		c.not_trusted = false;
	} else if (sd_ms__accept(p, "check")) {
		c.c.type = SD_CON_CHECK;
		if ((rc = check_expr(p, &c)))
			goto out;
	} else if (sd_ms__accept(p, "foreign")) {
		c.c.type = SD_CON_FOREIGN;
		if ((rc = sd_ms__expect(p, "key")) || (rc = name_list(p, &cols, NULL)) ||
		    (rc = references(p, &c)))
			goto out;
	} else {
		rc = sd_ms__fail(p, at,
		                 "expected PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY, found '%.*s'",
		                 (int)at->n, at->p);
		goto out;
	}
	c.c.columns = arena_list(p, &cols);
	c.c.n_columns = cols.len;
	c.key_order = key_order(p, &cols, &desc);
	if ((rc = check_columns(p, t, c.c.columns, c.c.n_columns, at)))
		goto out;
	if (c.c.type == SD_CON_FOREIGN && c.c.n_ref_columns && c.c.n_ref_columns != cols.len) {
		rc = sd_ms__fail(p, at, "foreign key has %zu columns and references %zu", cols.len,
		                 c.c.n_ref_columns);
		goto out;
	}
	if (c.c.type == SD_CON_PRIMARY)
		for (size_t i = 0; i < t->cons.len; i++)
			if (t->cons.ptr[i].c.type == SD_CON_PRIMARY) {
				rc = sd_ms__fail(p, at, "table %s.%s already has a primary key",
				                 t->schema, t->name);
				goto out;
			}
	if (c.c.type == SD_CON_PRIMARY)
		for (size_t i = 0; i < cols.len; i++)
			sd_ms__find_col(t, cols.ptr[i])->not_null = true;
	add_con(t, &c);
out:
	sd_vec_dispose(&cols);
	sd_vec_dispose(&desc);
	return rc;
}

/* A PK is clustered unless another index of the table already is. */
static void
resolve_clustering(ms_table *t)
{
	bool taken = false;

	for (size_t i = 0; i < t->cons.len; i++)
		taken = taken || (!t->cons.ptr[i].clus_unset && t->cons.ptr[i].clustered);
	for (size_t i = 0; i < t->idx.len; i++)
		taken = taken ||
		        (t->idx.ptr[i].method && strcmp(t->idx.ptr[i].method, "clustered") == 0);
	for (size_t i = 0; i < t->cons.len; i++) {
		ms_con *c = &t->cons.ptr[i];
		if (!c->clus_unset)
			continue;
		c->clus_unset = false;
		c->clustered = c->c.type == SD_CON_PRIMARY && !taken;
		taken = taken || c->clustered;
	}
}

/* ---- columns --------------------------------------------------------------- */

static int
column_type(ms_parser *p, ms_col *col)
{
	size_t from = p->i;
	const ms_tok *t = sd_ms__peek(p, 0);

	if (t->type != MT_WORD && t->type != MT_QIDENT)
		return sd_ms__fail(p, t, "expected a type for column %s", col->name);
	p->i++;
	if (sd_ms__is_punct(sd_ms__peek(p, 0), '.'))
		p->i += 2;
	while (sd_ms__is(sd_ms__peek(p, 0), "varying") ||
	       sd_ms__is(sd_ms__peek(p, 0), "precision") ||
	       ((sd_ms__is(t, "national") &&
	         (sd_ms__is(sd_ms__peek(p, 0), "character") ||
	          sd_ms__is(sd_ms__peek(p, 0), "char") || sd_ms__is(sd_ms__peek(p, 0), "text")))))
		p->i++;
	if (sd_ms__is_punct(sd_ms__peek(p, 0), '('))
		p->i = sd_ms__skip_group(p->t, p->batch_end, p->i);
	col->type = sd_ms__type(p->db->a, p->t, from, p->i);
	return SD_OK;
}

/* AS expr [PERSISTED [NOT NULL]]: the expression runs to the next attribute or the end. */
static int
computed(ms_parser *p, ms_col *col)
{
	size_t from = p->i;

	while (p->i < p->batch_end) {
		const ms_tok *t = sd_ms__peek(p, 0);
		if (sd_ms__is_punct(t, '(')) {
			p->i = sd_ms__skip_group(p->t, p->batch_end, p->i);
			continue;
		}
		if (sd_ms__is_punct(t, ',') || sd_ms__is_punct(t, ')') ||
		    sd_ms__is(t, "persisted") || sd_ms__is(t, "constraint") ||
		    sd_ms__is(t, "primary") || sd_ms__is(t, "unique") || sd_ms__is(t, "not") ||
		    sd_ms__is(t, "null") || sd_ms__is(t, "check") || sd_ms__is(t, "references") ||
		    sd_ms__is(t, "foreign") || sd_ms__at_statement_end(p))
			break;
		p->i++;
	}
	if (p->i == from)
		return sd_ms__fail(p, sd_ms__peek(p, 0), "computed column %s has no expression",
		                   col->name);
	col->computed = sd_ms__stored_expr(p->db->a, p->t, from, p->i);
	col->persisted = sd_ms__accept(p, "persisted");
	return SD_OK;
}

static int
identity(ms_parser *p, ms_col *col)
{
	const char *seed = "1", *incr = "1";

	if (sd_ms__is_punct(sd_ms__peek(p, 0), '(')) {
		size_t end = sd_ms__skip_group(p->t, p->batch_end, p->i);
		sd_str s;
		sd_str_init(&s);
		sd_ms__canon(&s, p->t, p->i + 1, end - 1);
		/* "-100, -5" -> seed "-100", increment "-5" */
		{
			char *comma = strchr(s.ptr, ',');
			if (!comma) {
				sd_str_dispose(&s);
				return sd_ms__fail(p, sd_ms__peek(p, 0),
				                   "IDENTITY needs (seed, increment)");
			}
			*comma = '\0';
			seed = sd_arena_strdup(p->db->a, s.ptr);
			incr = sd_arena_strdup(p->db->a, comma + 1 + (comma[1] == ' '));
		}
		sd_str_dispose(&s);
		p->i = end;
	}
	/* "- 100" and "-100" are one number */
	col->identity = sd_arena_printf(p->db->a, "identity(%s,%s)", seed, incr);
	for (char *c = (char *)col->identity; *c; c++)
		if (*c == ' ')
			memmove(c, c + 1, strlen(c));
	if (sd_ms__is(sd_ms__peek(p, 0), "not") && sd_ms__is(sd_ms__peek(p, 1), "for")) {
		p->i += 3;
		col->identity_nfr = true;
	}
	return SD_OK;
}

/* PRIMARY KEY / UNIQUE / CHECK / [FOREIGN KEY] REFERENCES written on column col. */
static int
inline_constraint(ms_parser *p, ms_table *t, ms_col *col, const char *name)
{
	const ms_tok *at = sd_ms__peek(p, 0);
	ms_con c = {0};
	int rc;

	c.c.name = name;
	c.line = at->line;
	c.c.columns = sd_arena_alloc(p->db->a, sizeof(char *));
	c.c.columns[0] = col->name;
	c.c.n_columns = 1;
	if (sd_ms__accept(p, "primary") || sd_ms__accept(p, "unique")) {
		c.c.type = sd_ms__is(at, "primary") ? SD_CON_PRIMARY : SD_CON_UNIQUE;
		if (c.c.type == SD_CON_PRIMARY && (rc = sd_ms__expect(p, "key")))
			return rc;
		clustering(p, &c);
		sd_ms__skip_storage(p);
		if (c.c.type == SD_CON_PRIMARY)
			col->not_null = true;
	} else if (sd_ms__accept(p, "check")) {
		c.c.type = SD_CON_CHECK;
		c.c.columns = NULL;
		c.c.n_columns = 0;
		if ((rc = check_expr(p, &c)))
			return rc;
	} else {
		c.c.type = SD_CON_FOREIGN;
		if (sd_ms__accept(p, "foreign") && (rc = sd_ms__expect(p, "key")))
			return rc;
		if ((rc = references(p, &c)))
			return rc;
	}
	add_con(t, &c);
	return SD_OK;
}

/* The attributes after a column's type, its inline constraints included. */
static int
column_attributes(ms_parser *p, ms_table *t, ms_col *col)
{
	const char *con_name = NULL;
	int rc;

	for (;;) {
		const ms_tok *at = sd_ms__peek(p, 0);
		if (sd_ms__accept(p, "constraint")) {
			if ((rc = sd_ms__name(p, &con_name)))
				return rc;
			continue;
		}
		if (sd_ms__accept(p, "collate")) {
			if ((rc = sd_ms__name(p, &col->collation)))
				return rc;
			if (sd_ms__ieq(col->collation, "database_default"))
				col->collation = NULL;
		} else if (sd_ms__accept(p, "null")) {
			col->not_null = false;
		} else if (sd_ms__is(at, "not") && sd_ms__is(sd_ms__peek(p, 1), "null")) {
			p->i += 2;
			col->not_null = true;
		} else if (sd_ms__accept(p, "default")) {
			if ((rc = default_value(p, &col->default_expr)))
				return rc;
			col->default_name = con_name;
		} else if (sd_ms__accept(p, "identity")) {
			if ((rc = identity(p, col)))
				return rc;
		} else if (sd_ms__accept(p, "rowguidcol")) {
			col->rowguidcol = true;
		} else if (sd_ms__accept(p, "sparse")) {
			col->sparse = true;
		} else if (sd_ms__is(at, "primary") || sd_ms__is(at, "unique") ||
		           sd_ms__is(at, "check") || sd_ms__is(at, "references") ||
		           sd_ms__is(at, "foreign")) {
			if ((rc = inline_constraint(p, t, col, con_name)))
				return rc;
		} else {
			return SD_OK;
		}
		con_name = NULL;
	}
}

/* name type-or-AS attributes; appended to t. */
static int
column_def(ms_parser *p, ms_table *t)
{
	ms_col col = {0};
	const ms_tok *at = sd_ms__peek(p, 0);
	size_t n_cons = t->cons.len;
	int rc;

	if ((rc = sd_ms__name(p, &col.name)))
		return rc;
	if (sd_ms__find_col(t, col.name))
		return sd_ms__fail(p, at, "table %s.%s already has a column %s", t->schema, t->name,
		                   col.name);
	if (sd_ms__accept(p, "as"))
		rc = computed(p, &col);
	else
		rc = column_type(p, &col);
	/* The column exists before its inline constraints name it. */
	sd_vec_push(&t->cols, col);
	if (rc || (rc = column_attributes(p, t, &t->cols.ptr[t->cols.len - 1]))) {
		t->cols.len--;
		t->cons.len = n_cons;
	}
	return rc;
}

static bool
starts_table_constraint(ms_parser *p)
{
	const ms_tok *t = sd_ms__peek(p, 0);

	return sd_ms__is(t, "constraint") || sd_ms__is(t, "primary") || sd_ms__is(t, "unique") ||
	       sd_ms__is(t, "check") || sd_ms__is(t, "foreign");
}

static int create_index_on(ms_parser *p,
                           ms_table *t,
                           const char *name,
                           bool unique,
                           const char *method,
                           const ms_tok *at);

/* INDEX name [UNIQUE] [CLUSTERED|NONCLUSTERED] (cols) inside CREATE TABLE. */
static int
inline_index(ms_parser *p, ms_table *t)
{
	const ms_tok *at = sd_ms__peek(p, 0);
	const char *name, *method = NULL;
	bool unique;
	int rc;

	p->i++;
	if ((rc = sd_ms__name(p, &name)))
		return rc;
	unique = sd_ms__accept(p, "unique");
	if (sd_ms__accept(p, "clustered"))
		method = "clustered";
	else
		sd_ms__accept(p, "nonclustered");
	if (sd_ms__accept(p, "columnstore"))
		method = method ? "clustered columnstore" : "columnstore";
	return create_index_on(p, t, name, unique, method, at);
}

static ms_table *
new_table(ms_db *db, const char *schema, const char *name)
{
	ms_table *t = sd_xcalloc(1, sizeof(*t));

	t->schema = schema;
	t->name = name;
	sd_vec_push(&db->tables, t);
	sd_ms__map_put(&db->table_map, db->a, schema, name, t);
	return t;
}

int
sd_ms__create_table(ms_parser *p, const ms_tok *start)
{
	const char *schema, *name;
	const ms_tok *at = sd_ms__peek(p, 0);
	ms_table *t;
	int rc;

	(void)start;
	if ((rc = sd_ms__qualname(p, &schema, &name)))
		return rc;
	if (sd_ms__find_table(p->db, schema, name) || sd_ms__find_obj(p->db, schema, name))
		return sd_ms__fail(p, at, "there is already an object named %s.%s", schema, name);
	if (!sd_ms__is_punct(sd_ms__peek(p, 0), '('))
		return sd_ms__fail(p, sd_ms__peek(p, 0), "expected ( after CREATE TABLE %s", name);
	t = new_table(p->db, schema, name);
	p->i++;
	for (;;) {
		const char *con_name = NULL;
		if (sd_ms__is(sd_ms__peek(p, 0), "index")) {
			rc = inline_index(p, t);
		} else if (starts_table_constraint(p)) {
			if (sd_ms__accept(p, "constraint") && (rc = sd_ms__name(p, &con_name)))
				return rc;
			rc = table_constraint(p, t, con_name, true);
		} else {
			rc = column_def(p, t);
		}
		if (rc)
			return rc;
		if (sd_ms__is_punct(sd_ms__peek(p, 0), ')'))
			break;
		if (!sd_ms__is_punct(sd_ms__peek(p, 0), ','))
			return sd_ms__fail(p, sd_ms__peek(p, 0),
			                   "expected , or ) in CREATE TABLE %s, found %s", name,
			                   sd_ms__near(p, sd_ms__peek(p, 0)));
		p->i++;
		if (sd_ms__is_punct(sd_ms__peek(p, 0), ')'))
			break; /* a trailing comma: SQL Server accepts it */
	}
	p->i++;
	sd_ms__skip_storage(p);
	resolve_clustering(t);
	return SD_OK;
}

/* ---- indexes ----------------------------------------------------------------- */

static sd_index *
find_index(ms_table *t, const char *name)
{
	for (size_t i = 0; i < t->idx.len; i++)
		if (sd_ms__ieq(t->idx.ptr[i].name, name))
			return &t->idx.ptr[i];
	return NULL;
}

/* A filter: WHERE up to WITH (, ON filegroup, or the end of the statement. */
static const char *
filter(ms_parser *p)
{
	size_t from = p->i;

	while (!sd_ms__at_statement_end(p) &&
	       !(sd_ms__is(sd_ms__peek(p, 0), "with") && sd_ms__is_punct(sd_ms__peek(p, 1), '(')) &&
	       !sd_ms__is(sd_ms__peek(p, 0), "on")) {
		if (sd_ms__is_punct(sd_ms__peek(p, 0), '('))
			p->i = sd_ms__skip_group(p->t, p->batch_end, p->i);
		else
			p->i++;
	}
	return sd_ms__stored_expr(p->db->a, p->t, from, p->i);
}

static int
create_index_on(ms_parser *p,
                ms_table *t,
                const char *name,
                bool unique,
                const char *method,
                const ms_tok *at)
{
	sd_index ix = {0};
	strv cols = {0}, desc = {0}, inc = {0};
	int rc = SD_OK;

	if (find_index(t, name))
		return sd_ms__fail(p, at, "table %s.%s already has an index %s", t->schema, t->name,
		                   name);
	ix.name = name;
	ix.unique = unique;
	ix.method = method;
	/* A clustered columnstore index covers the whole table: no column list. */
	if (!(method && strcmp(method, "clustered columnstore") == 0) &&
	    (rc = name_list(p, &cols, &desc)))
		goto out;
	if (sd_ms__accept(p, "include") && (rc = name_list(p, &inc, NULL)))
		goto out;
	if (sd_ms__accept(p, "where"))
		ix.predicate = filter(p);
	sd_ms__skip_storage(p);
	if ((rc = check_columns(p, t, cols.ptr, cols.len, at)) ||
	    (rc = check_columns(p, t, inc.ptr, inc.len, at)))
		goto out;
	ix.keys = sd_arena_alloc(p->db->a, (cols.len + 1) * sizeof(*ix.keys));
	for (size_t i = 0; i < cols.len; i++) {
		ix.keys[i].column = cols.ptr[i];
		for (size_t k = 0; k < desc.len; k++)
			ix.keys[i].desc = ix.keys[i].desc || desc.ptr[k] == cols.ptr[i];
	}
	ix.n_keys = cols.len;
	ix.include = arena_list(p, &inc);
	ix.n_include = inc.len;
	sd_vec_push(&t->idx, ix);
out:
	sd_vec_dispose(&cols);
	sd_vec_dispose(&desc);
	sd_vec_dispose(&inc);
	return rc;
}

int
sd_ms__create_index(ms_parser *p, const ms_tok *start)
{
	const char *name, *schema, *table, *method = NULL;
	const ms_tok *at;
	bool unique = sd_ms__accept(p, "unique");
	ms_table *t;
	int rc;

	(void)start;
	if (sd_ms__accept(p, "clustered"))
		method = "clustered";
	else
		sd_ms__accept(p, "nonclustered");
	if (sd_ms__accept(p, "columnstore"))
		method = method ? "clustered columnstore" : "columnstore";
	if ((rc = sd_ms__expect(p, "index")) || (rc = sd_ms__name(p, &name)) ||
	    (rc = sd_ms__expect(p, "on")))
		return rc;
	at = sd_ms__peek(p, 0);
	if ((rc = sd_ms__qualname(p, &schema, &table)))
		return rc;
	if (!(t = sd_ms__find_table(p->db, schema, table)))
		return sd_ms__fail(p, at, "CREATE INDEX %s: no table %s.%s", name, schema, table);
	if ((rc = create_index_on(p, t, name, unique, method, at)))
		return rc;
	if (method && strcmp(method, "clustered") == 0)
		for (size_t i = 0; i < t->cons.len; i++)
			if (t->cons.ptr[i].clustered)
				return sd_ms__fail(p, at,
				                   "table %s.%s already has a clustered index",
				                   schema, table);
	return SD_OK;
}

/* ---- ALTER TABLE --------------------------------------------------------------- */

void
sd_ms__drop_con_at(ms_table *t, size_t k)
{
	memmove(&t->cons.ptr[k], &t->cons.ptr[k + 1], (t->cons.len - k - 1) * sizeof(*t->cons.ptr));
	t->cons.len--;
}

bool
sd_ms__drop_constraint(ms_table *t, const char *name)
{
	for (size_t k = 0; k < t->cons.len; k++)
		if (sd_ms__ieq(t->cons.ptr[k].c.name, name)) {
			sd_ms__drop_con_at(t, k);
			return true;
		}
	for (size_t k = 0; k < t->cols.len; k++)
		if (sd_ms__ieq(t->cols.ptr[k].default_name, name) && t->cols.ptr[k].default_expr) {
			t->cols.ptr[k].default_expr = NULL;
			t->cols.ptr[k].default_name = NULL;
			return true;
		}
	return false;
}

/* A PRIMARY KEY or UNIQUE that a foreign key (of any table) references: SQL Server refuses the
 * drop. */
static const char *
referencing_fk(ms_db *db, const ms_table *t, const ms_con *key)
{
	for (size_t i = 0; i < db->tables.len; i++) {
		const ms_table *o = db->tables.ptr[i];
		if (o->dropped)
			continue;
		for (size_t k = 0; k < o->cons.len; k++) {
			const sd_constraint *fk = &o->cons.ptr[k].c;
			if (fk->type != SD_CON_FOREIGN || !sd_ms__ieq(fk->ref_schema, t->schema) ||
			    !sd_ms__ieq(fk->ref_table, t->name))
				continue;
			if (!key)
				return fk->name ? fk->name : "(unnamed)";
			if (!fk->n_ref_columns ? key->c.type == SD_CON_PRIMARY
			                       : fk->n_ref_columns == key->c.n_columns)
				return fk->name ? fk->name : "(unnamed)";
		}
	}
	return NULL;
}

static int
drop_named_constraint(ms_parser *p, ms_table *t, const char *name, const ms_tok *at)
{
	for (size_t k = 0; k < t->cons.len; k++) {
		const char *fk;
		if (!sd_ms__ieq(t->cons.ptr[k].c.name, name))
			continue;
		if ((t->cons.ptr[k].c.type == SD_CON_PRIMARY ||
		     t->cons.ptr[k].c.type == SD_CON_UNIQUE) &&
		    (fk = referencing_fk(p->db, t, &t->cons.ptr[k])))
			return sd_ms__fail(p, at, "constraint %s is referenced by foreign key %s",
			                   name, fk);
	}
	if (!sd_ms__drop_constraint(t, name))
		return sd_ms__fail(p, at, "table %s.%s has no constraint %s", t->schema, t->name,
		                   name);
	return SD_OK;
}

static bool
mentions_column(const ms_table *t, const char *col, const char **what)
{
	for (size_t k = 0; k < t->cons.len; k++)
		for (size_t c = 0; c < t->cons.ptr[k].c.n_columns; c++)
			if (sd_ms__ieq(t->cons.ptr[k].c.columns[c], col)) {
				*what = t->cons.ptr[k].c.name ? t->cons.ptr[k].c.name
				                              : "an unnamed constraint";
				return true;
			}
	for (size_t k = 0; k < t->idx.len; k++) {
		for (size_t c = 0; c < t->idx.ptr[k].n_keys; c++)
			if (sd_ms__ieq(t->idx.ptr[k].keys[c].column, col)) {
				*what = t->idx.ptr[k].name;
				return true;
			}
		for (size_t c = 0; c < t->idx.ptr[k].n_include; c++)
			if (sd_ms__ieq(t->idx.ptr[k].include[c], col)) {
				*what = t->idx.ptr[k].name;
				return true;
			}
	}
	return false;
}

static int
drop_column(ms_parser *p, ms_table *t, const char *name, const ms_tok *at)
{
	ms_col *c = sd_ms__find_col(t, name);
	const char *what;

	if (!c)
		return sd_ms__fail(p, at, "table %s.%s has no column %s", t->schema, t->name, name);
	if (c->default_expr)
		return sd_ms__fail(p, at, "column %s still has a default constraint; drop it first",
		                   name);
	if (mentions_column(t, c->name, &what))
		return sd_ms__fail(p, at, "column %s is used by %s; drop it first", name, what);
	memmove(c, c + 1, (size_t)(t->cols.ptr + t->cols.len - (c + 1)) * sizeof(*c));
	t->cols.len--;
	return SD_OK;
}

static bool
has_constraint(const ms_table *t, const char *name)
{
	for (size_t k = 0; k < t->cons.len; k++)
		if (sd_ms__ieq(t->cons.ptr[k].c.name, name))
			return true;
	for (size_t k = 0; k < t->cols.len; k++)
		if (t->cols.ptr[k].default_expr && sd_ms__ieq(t->cols.ptr[k].default_name, name))
			return true;
	return false;
}

/* DROP [COLUMN | CONSTRAINT] [IF EXISTS] name [, ...] */
static int
alter_drop(ms_parser *p, ms_table *t)
{
	int rc;

	for (;;) {
		bool column = sd_ms__accept(p, "column"), if_exists;
		const ms_tok *at;
		const char *name;
		if (!column)
			sd_ms__accept(p, "constraint");
		if_exists = sd_ms__is(sd_ms__peek(p, 0), "if") &&
		            sd_ms__is(sd_ms__peek(p, 1), "exists");
		if (if_exists)
			p->i += 2;
		at = sd_ms__peek(p, 0);
		if ((rc = sd_ms__name(p, &name)))
			return rc;
		bool present = column ? sd_ms__find_col(t, name) != NULL : has_constraint(t, name);
		if ((present || !if_exists) &&
		    (rc = column ? drop_column(p, t, name, at)
		                 : drop_named_constraint(p, t, name, at)))
			return rc;
		if (!sd_ms__is_punct(sd_ms__peek(p, 0), ','))
			return SD_OK;
		p->i++;
	}
}

/* ADD item [, item]: a column, a table constraint, or [CONSTRAINT n] DEFAULT v FOR col. */
static int
alter_add(ms_parser *p, ms_table *t, bool trusted)
{
	int rc;

	for (;;) {
		const char *con_name = NULL;
		const ms_tok *at = sd_ms__peek(p, 0);
		if (starts_table_constraint(p) || sd_ms__is(at, "default")) {
			if (sd_ms__accept(p, "constraint") && (rc = sd_ms__name(p, &con_name)))
				return rc;
			if (sd_ms__accept(p, "default")) {
				const char *expr, *colname;
				ms_col *col;
				at = sd_ms__peek(p, 0);
				if ((rc = default_value(p, &expr)) ||
				    (rc = sd_ms__expect(p, "for")) ||
				    (rc = sd_ms__name(p, &colname)))
					return rc;
				if (!(col = sd_ms__find_col(t, colname)))
					return sd_ms__fail(p, at, "table %s.%s has no column %s",
					                   t->schema, t->name, colname);
				if (col->default_expr)
					return sd_ms__fail(p, at, "column %s already has a default",
					                   colname);
				col->default_expr = expr;
				col->default_name = con_name;
			} else if ((rc = table_constraint(p, t, con_name, trusted))) {
				return rc;
			}
			resolve_clustering(t);
		} else if ((rc = column_def(p, t))) {
			return rc;
		}
		if (!sd_ms__is_punct(sd_ms__peek(p, 0), ','))
			return SD_OK;
		p->i++;
	}
}

/* ALTER COLUMN name type [COLLATE c] [NULL | NOT NULL]: unspecified means NULL and the default
 * collation. */
static int
alter_column(ms_parser *p, ms_table *t)
{
	const ms_tok *at = sd_ms__peek(p, 0);
	const char *name, *what;
	ms_col *c, tmp = {0};
	int rc;

	if ((rc = sd_ms__name(p, &name)))
		return rc;
	if (!(c = sd_ms__find_col(t, name)))
		return sd_ms__fail(p, at, "table %s.%s has no column %s", t->schema, t->name, name);
	if (c->computed)
		return sd_ms__fail(p, at, "cannot ALTER computed column %s", name);
	/* SQL Server refuses while a default, key or index depends on the column. */
	if (c->default_expr)
		return sd_ms__fail(p, at, "column %s has a default constraint; drop it first",
		                   name);
	if (mentions_column(t, c->name, &what))
		return sd_ms__fail(p, at, "column %s is used by %s; drop it first", name, what);
	tmp.name = c->name;
	if ((rc = column_type(p, &tmp)))
		return rc;
	if (sd_ms__accept(p, "collate") && (rc = sd_ms__name(p, &tmp.collation)))
		return rc;
	if (sd_ms__accept(p, "not")) {
		if ((rc = sd_ms__expect(p, "null")))
			return rc;
		tmp.not_null = true;
	} else {
		sd_ms__accept(p, "null");
	}
	c->type = tmp.type;
	c->collation = sd_ms__ieq(tmp.collation, "database_default") ? NULL : tmp.collation;
	c->not_null = tmp.not_null;
	return SD_OK;
}

/* [WITH CHECK|NOCHECK] CHECK|NOCHECK CONSTRAINT name|ALL */
static int
enable_constraint(ms_parser *p, ms_table *t, bool enable, int with)
{
	const ms_tok *at;
	const char *name;
	int rc;

	if ((rc = sd_ms__expect(p, "constraint")))
		return rc;
	at = sd_ms__peek(p, 0);
	if (sd_ms__accept(p, "all"))
		name = NULL;
	else if ((rc = sd_ms__name(p, &name)))
		return rc;
	for (size_t k = 0; k < t->cons.len; k++) {
		ms_con *c = &t->cons.ptr[k];
		if (c->c.type != SD_CON_FOREIGN && c->c.type != SD_CON_CHECK)
			continue;
		if (name && !sd_ms__ieq(c->c.name, name))
			continue;
		c->disabled = !enable;
		if (!enable)
			c->not_trusted = true;
		else if (with == 1)
			c->not_trusted = false;
		if (name)
			return SD_OK;
	}
	return name ? sd_ms__fail(p, at, "table %s.%s has no FOREIGN KEY or CHECK named %s",
	                          t->schema, t->name, name)
	            : SD_OK;
}

int
sd_ms__alter_table(ms_parser *p, const ms_tok *start)
{
	const char *schema, *name;
	const ms_tok *at = sd_ms__peek(p, 0);
	ms_table *t;
	int with = 0; /* 1 WITH CHECK, -1 WITH NOCHECK */
	int rc;

	(void)start;
	if ((rc = sd_ms__qualname(p, &schema, &name)))
		return rc;
	if (!(t = sd_ms__find_table(p->db, schema, name)))
		return sd_ms__fail(p, at, "ALTER TABLE: no table %s.%s", schema, name);
	if (sd_ms__accept(p, "with")) {
		if (sd_ms__accept(p, "check"))
			with = 1;
		else if ((rc = sd_ms__expect(p, "nocheck")))
			return rc;
		else
			with = -1;
	}
	if (sd_ms__accept(p, "add"))
		return alter_add(p, t, with != -1);
	if (sd_ms__accept(p, "check"))
		return enable_constraint(p, t, true, with);
	if (sd_ms__accept(p, "nocheck"))
		return enable_constraint(p, t, false, with);
	if (with)
		return sd_ms__fail(p, sd_ms__peek(p, 0),
		                   "expected ADD or [NO]CHECK CONSTRAINT after WITH");
	if (sd_ms__accept(p, "drop"))
		return alter_drop(p, t);
	if (sd_ms__is(sd_ms__peek(p, 0), "alter") && sd_ms__is(sd_ms__peek(p, 1), "column")) {
		p->i += 2;
		return alter_column(p, t);
	}
	return sd_ms__fail(p, sd_ms__peek(p, 0), "ALTER TABLE %s: %s is not supported", name,
	                   sd_ms__peek(p, 0)->n ? "this change" : "an empty change");
}
