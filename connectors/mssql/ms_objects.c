/*
 * connectors/mssql/ms_objects.c: views, procedures, functions, triggers,
 * sequences, alias types and schemas; DROP of anything; EXEC of
 * sp_rename and the extended-property procedures; the lookup a plan uses
 * to drop a constraint SQL Server named itself.
 *
 * Module bodies are kept as text: the definition compared is the
 * canonical spelling of everything after the name (after the table for a
 * trigger), and the DDL a plan replays is the header rebuilt with
 * bracketed names plus the body as written. A view's body ends at ";" or
 * the end of the batch; a procedure's, function's or trigger's at the end
 * of the batch, as in SQL Server.
 */
#include "connectors/mssql/ms_internal.h"

#include <stdlib.h>
#include <string.h>

/* The source text of tokens [from, to). */
static const char *
source_text(ms_parser *p, size_t from, size_t to)
{
	if (from >= to)
		return "";
	return sd_arena_strndup(p->db->a, p->t[from].p,
	                        (size_t)(p->t[to - 1].p + p->t[to - 1].n - p->t[from].p));
}

/* [schema].[name], or [name] when schema is NULL. */
static const char *
qualified(ms_parser *p, const char *schema, const char *name)
{
	sd_str s;
	const char *out;

	sd_str_init(&s);
	if (schema) {
		sd_ms_quote_ident(&s, schema);
		sd_str_appendc(&s, '.');
	}
	sd_ms_quote_ident(&s, name);
	out = sd_arena_strndup(p->db->a, s.ptr, s.len);
	sd_str_dispose(&s);
	return out;
}

/* Names a body mentions, for dependency order: "name" or "schema.name". */
static void
body_depends(ms_parser *p, sd_object *o, size_t from, size_t to)
{
	SD_VEC(const char *) v = {0};

	for (size_t i = from; i < to; i++) {
		const ms_tok *t = &p->t[i];
		if (t->type != MT_QIDENT && !(t->type == MT_WORD && !sd_ms__is_keyword(t->p, t->n)))
			continue;
		if (i + 2 < to && sd_ms__is_punct(&p->t[i + 1], '.') &&
		    (p->t[i + 2].type == MT_QIDENT || p->t[i + 2].type == MT_WORD)) {
			sd_vec_push(&v,
			            sd_arena_printf(p->db->a, "%s.%s", sd_ms__ident(p->db->a, t),
			                            sd_ms__ident(p->db->a, &p->t[i + 2])));
			i += 2;
			continue;
		}
		sd_vec_push(&v, sd_ms__ident(p->db->a, t));
	}
	o->depends = sd_arena_memdup(p->db->a, v.ptr, v.len, sizeof(*v.ptr));
	o->n_depends = v.len;
	sd_vec_dispose(&v);
}

static ms_obj *
new_obj(ms_db *db, sd_obj_kind kind, const char *schema, const char *name)
{
	ms_obj *o = sd_xcalloc(1, sizeof(*o));

	o->o.kind = kind;
	o->o.schema = schema;
	o->o.name = name;
	o->o.signature = "";
	sd_vec_push(&db->objs, o);
	sd_ms__map_put(kind == SD_OBJ_TYPE ? &db->type_map : &db->obj_map, db->a, schema, name, o);
	return o;
}

static void
drop_obj(ms_db *db, ms_obj *o)
{
	o->dropped = true;
	sd_ms__map_put(o->o.kind == SD_OBJ_TYPE ? &db->type_map : &db->obj_map, db->a, o->o.schema,
	               o->o.name, NULL);
}

static const char *
module_word(const ms_tok *t)
{
	if (sd_ms__is(t, "view"))
		return "VIEW";
	if (sd_ms__is(t, "proc") || sd_ms__is(t, "procedure"))
		return "PROCEDURE";
	if (sd_ms__is(t, "function"))
		return "FUNCTION";
	return "TRIGGER";
}

/* Where a module's body ends: the batch end, or for a view the first top-level ";". */
static size_t
body_end(ms_parser *p, bool view)
{
	size_t end = p->i;

	while (end < p->batch_end && !(view && sd_ms__is_punct(&p->t[end], ';'))) {
		if (sd_ms__is_punct(&p->t[end], '('))
			end = sd_ms__skip_group(p->t, p->batch_end, end);
		else
			end++;
	}
	return end;
}

int
sd_ms__create_module(ms_parser *p, const ms_tok *start, bool or_alter, bool alter)
{
	const ms_tok *kw = sd_ms__peek(p, 0), *at;
	const char *word = module_word(kw), *schema, *name, *tschema = NULL, *tname = NULL;
	bool view = strcmp(word, "VIEW") == 0, trigger = strcmp(word, "TRIGGER") == 0;
	size_t from, end, stop;
	ms_obj *o;
	int rc;

	(void)start;
	p->i++;
	at = sd_ms__peek(p, 0);
	if ((rc = sd_ms__qualname(p, &schema, &name)))
		return rc;
	if (trigger) {
		const ms_tok *on = sd_ms__peek(p, 0);
		if ((rc = sd_ms__expect(p, "on")))
			return rc;
		if (sd_ms__is(sd_ms__peek(p, 0), "database") || sd_ms__is(sd_ms__peek(p, 0), "all"))
			return sd_ms__fail(
			        p, on, "DDL triggers (ON DATABASE / ALL SERVER) are not supported");
		if ((rc = sd_ms__qualname(p, &tschema, &tname)))
			return rc;
		if (!sd_ms__find_table(p->db, tschema, tname) &&
		    !sd_ms__find_obj(p->db, tschema, tname))
			return sd_ms__fail(p, on, "trigger %s: no table or view %s.%s", name,
			                   tschema, tname);
		schema = tschema; /* a trigger lives in its table's schema */
	}
	from = p->i;
	end = body_end(p, view);
	stop = end;
	while (stop > from && sd_ms__is_punct(&p->t[stop - 1], ';'))
		stop--;
	if (stop == from)
		return sd_ms__fail(p, at, "%s %s has no body", word, name);
	o = sd_ms__find_obj(p->db, schema, name);
	if (o && !or_alter && !alter)
		return sd_ms__fail(p, at, "there is already an object named %s.%s", schema, name);
	if (!o && alter)
		return sd_ms__fail(p, at, "ALTER %s: no %s.%s", word, schema, name);
	if (o && (o->o.kind != (view ? SD_OBJ_VIEW : trigger ? SD_OBJ_TRIGGER : SD_OBJ_FUNCTION)))
		return sd_ms__fail(p, at, "%s.%s is not a %s", schema, name, word);
	if (sd_ms__find_table(p->db, schema, name))
		return sd_ms__fail(p, at, "there is already a table named %s.%s", schema, name);
	if (!o)
		o = new_obj(p->db,
		            view      ? SD_OBJ_VIEW
		            : trigger ? SD_OBJ_TRIGGER
		                      : SD_OBJ_FUNCTION,
		            schema, name);
	o->module = view || trigger                  ? NULL
	            : strcmp(word, "PROCEDURE") == 0 ? "procedure"
	                                             : "function";
	o->o.table = tname;
	o->o.definition = sd_ms__canon_dup(p->db->a, p->t, from, stop);
	o->o.ddl = trigger ? sd_arena_printf(
	                             p->db->a, "TRIGGER %s ON %s %s", qualified(p, schema, name),
	                             qualified(p, tschema, tname), source_text(p, from, stop))
	                   : sd_arena_printf(p->db->a, "%s %s %s", word, qualified(p, schema, name),
	                                     source_text(p, from, stop));
	body_depends(p, &o->o, from, stop);
	p->i = end;
	return SD_OK;
}

int
sd_ms__create_sequence(ms_parser *p, const ms_tok *start)
{
	const ms_tok *at = sd_ms__peek(p, 0);
	const char *schema, *name, *options;
	ms_obj *o;
	int rc;

	(void)start;
	if ((rc = sd_ms__qualname(p, &schema, &name)))
		return rc;
	if (sd_ms__find_obj(p->db, schema, name) || sd_ms__find_table(p->db, schema, name))
		return sd_ms__fail(p, at, "there is already an object named %s.%s", schema, name);
	if ((rc = sd_ms__sequence_options(p, &options)))
		return rc;
	o = new_obj(p->db, SD_OBJ_SEQUENCE, schema, name);
	o->o.definition = options;
	o->o.ddl = sd_arena_printf(p->db->a, "SEQUENCE %s %s", qualified(p, schema, name), options);
	return SD_OK;
}

/* CREATE TYPE t FROM base [NULL | NOT NULL] | AS TABLE (...) */
int
sd_ms__create_type(ms_parser *p, const ms_tok *start)
{
	const ms_tok *at = sd_ms__peek(p, 0);
	const char *schema, *name;
	ms_obj *o;
	int rc;

	(void)start;
	if ((rc = sd_ms__qualname(p, &schema, &name)))
		return rc;
	if (sd_ms__map_get(&p->db->type_map, schema, name))
		return sd_ms__fail(p, at, "there is already a type named %s.%s", schema, name);
	if (sd_ms__accept(p, "from")) {
		size_t from = p->i;
		const char *type;
		bool not_null = false;
		p->i++;
		if (sd_ms__is_punct(sd_ms__peek(p, 0), '.'))
			p->i += 2;
		if (sd_ms__is_punct(sd_ms__peek(p, 0), '('))
			p->i = sd_ms__skip_group(p->t, p->batch_end, p->i);
		type = sd_ms__type(p->db->a, p->t, from, p->i);
		if (sd_ms__is(sd_ms__peek(p, 0), "not") && sd_ms__is(sd_ms__peek(p, 1), "null")) {
			p->i += 2;
			not_null = true;
		} else {
			sd_ms__accept(p, "null");
		}
		o = new_obj(p->db, SD_OBJ_TYPE, schema, name);
		o->o.definition =
		        sd_arena_printf(p->db->a, "%s%s", type, not_null ? " NOT NULL" : "");
		o->o.ddl = sd_arena_printf(p->db->a, "TYPE %s FROM %s", qualified(p, schema, name),
		                           o->o.definition);
		return SD_OK;
	}
	if (sd_ms__is(sd_ms__peek(p, 0), "as") && sd_ms__is(sd_ms__peek(p, 1), "table")) {
		size_t from = p->i, end;
		p->i += 2;
		if (!sd_ms__is_punct(sd_ms__peek(p, 0), '('))
			return sd_ms__fail(p, sd_ms__peek(p, 0), "expected ( after AS TABLE");
		end = sd_ms__skip_group(p->t, p->batch_end, p->i);
		o = new_obj(p->db, SD_OBJ_TYPE, schema, name);
		o->o.definition = sd_ms__canon_dup(p->db->a, p->t, from, end);
		o->o.ddl = sd_arena_printf(p->db->a, "TYPE %s %s", qualified(p, schema, name),
		                           source_text(p, from, end));
		p->i = end;
		sd_ms__skip_storage(p);
		return SD_OK;
	}
	return sd_ms__fail(p, sd_ms__peek(p, 0), "expected FROM or AS TABLE in CREATE TYPE %s",
	                   name);
}

/* CREATE SCHEMA s [AUTHORIZATION owner]: owners are environment, not schema. */
int
sd_ms__create_schema(ms_parser *p, const ms_tok *start)
{
	const ms_tok *at = sd_ms__peek(p, 0);
	const char *name, *owner;
	ms_obj *o;
	int rc;

	(void)start;
	if ((rc = sd_ms__name(p, &name)))
		return rc;
	if (sd_ms__accept(p, "authorization") && (rc = sd_ms__name(p, &owner)))
		return rc;
	if (sd_ms__ieq(name, "dbo") || sd_ms__find_obj(p->db, "", name))
		return sd_ms__fail(p, at, "there is already a schema named %s", name);
	o = new_obj(p->db, SD_OBJ_SCHEMA, "", name);
	o->o.definition = "";
	o->o.ddl = sd_arena_printf(p->db->a, "SCHEMA %s", qualified(p, NULL, name));
	return SD_OK;
}

/* ---- DROP ------------------------------------------------------------------- */

static int
drop_table(ms_parser *p, const char *schema, const char *name, bool if_exists, const ms_tok *at)
{
	ms_table *t = sd_ms__find_table(p->db, schema, name);

	if (!t)
		return if_exists ? SD_OK
		                 : sd_ms__fail(p, at, "DROP TABLE: no table %s.%s", schema, name);
	t->dropped = true; /* its own foreign keys go with it */
	for (size_t i = 0; i < p->db->tables.len; i++) {
		ms_table *o = p->db->tables.ptr[i];
		for (size_t k = 0; !o->dropped && k < o->cons.len; k++)
			if (o->cons.ptr[k].c.type == SD_CON_FOREIGN &&
			    sd_ms__ieq(o->cons.ptr[k].c.ref_schema, schema) &&
			    sd_ms__ieq(o->cons.ptr[k].c.ref_table, name)) {
				t->dropped = false;
				return sd_ms__fail(
				        p, at, "table %s.%s is referenced by foreign key %s on %s",
				        schema, name,
				        o->cons.ptr[k].c.name ? o->cons.ptr[k].c.name : "(unnamed)",
				        o->name);
			}
	}
	sd_ms__map_put(&p->db->table_map, p->db->a, schema, name, NULL);
	/* Its triggers go with it. */
	for (size_t i = 0; i < p->db->objs.len; i++) {
		ms_obj *o = p->db->objs.ptr[i];
		if (!o->dropped && o->o.kind == SD_OBJ_TRIGGER && sd_ms__ieq(o->o.schema, schema) &&
		    sd_ms__ieq(o->o.table, name))
			drop_obj(p->db, o);
	}
	return SD_OK;
}

/* DROP INDEX name ON table | table.name | schema.table.name */
static int
drop_index(ms_parser *p, bool if_exists)
{
	const ms_tok *at = sd_ms__peek(p, 0);
	const char *parts[3], *schema = "dbo", *table, *name;
	size_t n = 0;
	ms_table *t;
	int rc;

	for (;;) {
		if ((rc = sd_ms__name(p, &parts[n++])))
			return rc;
		if (n == 3 || !sd_ms__is_punct(sd_ms__peek(p, 0), '.'))
			break;
		p->i++;
	}
	if (sd_ms__accept(p, "on")) {
		if (n != 1)
			return sd_ms__fail(
			        p, at, "DROP INDEX name ON table: the index name is not qualified");
		name = parts[0];
		if ((rc = sd_ms__qualname(p, &schema, &table)))
			return rc;
	} else if (n >= 2) {
		name = parts[n - 1];
		table = parts[n - 2];
		if (n == 3)
			schema = parts[0];
	} else {
		return sd_ms__fail(p, at, "DROP INDEX %s: which table? (DROP INDEX name ON table)",
		                   parts[0]);
	}
	sd_ms__skip_storage(p);
	if (!(t = sd_ms__find_table(p->db, schema, table)))
		return if_exists ? SD_OK
		                 : sd_ms__fail(p, at, "DROP INDEX: no table %s.%s", schema, table);
	for (size_t i = 0; i < t->idx.len; i++)
		if (sd_ms__ieq(t->idx.ptr[i].name, name)) {
			memmove(&t->idx.ptr[i], &t->idx.ptr[i + 1],
			        (t->idx.len - i - 1) * sizeof(*t->idx.ptr));
			t->idx.len--;
			return SD_OK;
		}
	return if_exists ? SD_OK
	                 : sd_ms__fail(p, at, "DROP INDEX: table %s.%s has no index %s", schema,
	                               table, name);
}

static int
drop_object(ms_parser *p, sd_obj_kind kind, const char *word, bool if_exists)
{
	const ms_tok *at = sd_ms__peek(p, 0);
	const char *schema = "", *name;
	ms_obj *o;
	int rc;

	rc = kind == SD_OBJ_SCHEMA ? sd_ms__name(p, &name) : sd_ms__qualname(p, &schema, &name);
	if (rc)
		return rc;
	o = kind == SD_OBJ_TYPE ? sd_ms__map_get(&p->db->type_map, schema, name)
	                        : sd_ms__find_obj(p->db, schema, name);
	if (!o || o->o.kind != kind)
		return if_exists ? SD_OK
		                 : sd_ms__fail(p, at, "DROP %s: no %s %s%s%s", word, word, schema,
		                               *schema ? "." : "", name);
	if (kind == SD_OBJ_FUNCTION &&
	    !sd_ms__ieq(o->module, strcmp(word, "FUNCTION") == 0 ? "function" : "procedure"))
		return sd_ms__fail(p, at, "DROP %s: %s.%s is a %s", word, schema, name, o->module);
	drop_obj(p->db, o);
	return SD_OK;
}

int
sd_ms__drop(ms_parser *p, const ms_tok *start)
{
	static const struct {
		const char *word;
		sd_obj_kind kind;
		const char *shown;
	} kinds[] = {
	        {"view", SD_OBJ_VIEW, "VIEW"},
	        {"proc", SD_OBJ_FUNCTION, "PROCEDURE"},
	        {"procedure", SD_OBJ_FUNCTION, "PROCEDURE"},
	        {"function", SD_OBJ_FUNCTION, "FUNCTION"},
	        {"trigger", SD_OBJ_TRIGGER, "TRIGGER"},
	        {"sequence", SD_OBJ_SEQUENCE, "SEQUENCE"},
	        {"type", SD_OBJ_TYPE, "TYPE"},
	        {"schema", SD_OBJ_SCHEMA, "SCHEMA"},
	};
	const ms_tok *what = sd_ms__peek(p, 0);
	bool if_exists;
	int rc;

	(void)start;
	p->i++;
	if_exists = sd_ms__is(sd_ms__peek(p, 0), "if") && sd_ms__is(sd_ms__peek(p, 1), "exists");
	if (if_exists)
		p->i += 2;
	for (;;) {
		if (sd_ms__is(what, "table")) {
			const ms_tok *at = sd_ms__peek(p, 0);
			const char *schema, *name;
			if ((rc = sd_ms__qualname(p, &schema, &name)) ||
			    (rc = drop_table(p, schema, name, if_exists, at)))
				return rc;
		} else if (sd_ms__is(what, "index")) {
			if ((rc = drop_index(p, if_exists)))
				return rc;
		} else {
			size_t k = 0;
			while (k < sizeof(kinds) / sizeof(*kinds) &&
			       !sd_ms__is(what, kinds[k].word))
				k++;
			if (k == sizeof(kinds) / sizeof(*kinds))
				return sd_ms__fail(p, what, "DROP %.*s is not supported",
				                   (int)what->n, what->p);
			if ((rc = drop_object(p, kinds[k].kind, kinds[k].shown, if_exists)))
				return rc;
		}
		if (!sd_ms__is_punct(sd_ms__peek(p, 0), ','))
			return SD_OK;
		p->i++;
	}
}

/* ---- EXEC ------------------------------------------------------------------- */

typedef struct exec_arg {
	const char *name;  /* @objname, lower case without @; NULL when positional */
	const char *value; /* unquoted string, or the token text; NULL for NULL */
	const ms_tok *at;
} exec_arg;

typedef SD_VEC(exec_arg) arg_vec;

static int
exec_args(ms_parser *p, arg_vec *out)
{
	while (!sd_ms__at_statement_end(p)) {
		exec_arg a = {0};
		const ms_tok *t;
		if (sd_ms__peek(p, 0)->type == MT_VAR && sd_ms__is_op(sd_ms__peek(p, 1), "=")) {
			a.name = sd_ms__ident(p->db->a, sd_ms__peek(p, 0)) + 1;
			p->i += 2;
		}
		t = sd_ms__peek(p, 0);
		a.at = t;
		if (t->type == MT_STRING || t->type == MT_QIDENT)
			a.value = sd_ms__ident(p->db->a, t);
		else if (t->type == MT_WORD || t->type == MT_NUMBER)
			a.value = sd_ms__is(t, "null") ? NULL : sd_ms__ident(p->db->a, t);
		else
			return sd_ms__fail(p, t, "expected a procedure argument");
		p->i++;
		sd_vec_push(out, a);
		if (!sd_ms__is_punct(sd_ms__peek(p, 0), ','))
			break;
		p->i++;
	}
	return SD_OK;
}

/* The argument called name, else the one at position pos; NULL when absent. */
static const exec_arg *
arg(const arg_vec *v, const char *name, size_t pos)
{
	for (size_t i = 0; i < v->len; i++)
		if (v->ptr[i].name && sd_ms__ieq(v->ptr[i].name, name))
			return &v->ptr[i];
	return pos < v->len && !v->ptr[pos].name ? &v->ptr[pos] : NULL;
}

static const char *
arg_value(const arg_vec *v, const char *name, size_t pos)
{
	const exec_arg *a = arg(v, name, pos);

	return a ? a->value : NULL;
}

/*
 * Splits "[dbo].[users].[name]" or "users.e mail" (a string argument) into up
 * to 3 parts as PARSENAME does: at dots outside [] and "", each part
 * unquoted, bare parts kept as written.
 */
static size_t
split_name(ms_parser *p, const char *text, const char **parts)
{
	size_t n = 0;
	sd_str part;

	sd_str_init(&part);
	for (const char *c = text;; c++) {
		if (*c == '[' || *c == '"') {
			char close = *c == '[' ? ']' : '"';
			for (c++; *c && !(*c == close && c[1] != close); c++) {
				if (*c == close)
					c++; /* a doubled closer */
				sd_str_appendc(&part, *c);
			}
			if (!*c)
				break;
			continue;
		}
		if (*c == '.' || !*c) {
			if (n < 3)
				parts[n++] = sd_arena_strndup(p->db->a, part.ptr, part.len);
			sd_str_clear(&part);
			if (!*c)
				break;
			continue;
		}
		sd_str_appendc(&part, *c);
	}
	sd_str_dispose(&part);
	return n;
}

static void
rename_in_list(const char **v, size_t n, const char *from, const char *to)
{
	for (size_t i = 0; i < n; i++)
		if (sd_ms__ieq(v[i], from))
			v[i] = to;
}

static void
rename_column(ms_db *db, ms_table *t, ms_col *c, const char *to)
{
	const char *from = c->name;

	for (size_t k = 0; k < t->cons.len; k++)
		rename_in_list(t->cons.ptr[k].c.columns, t->cons.ptr[k].c.n_columns, from, to);
	for (size_t k = 0; k < t->idx.len; k++) {
		for (size_t i = 0; i < t->idx.ptr[k].n_keys; i++)
			if (sd_ms__ieq(t->idx.ptr[k].keys[i].column, from))
				t->idx.ptr[k].keys[i].column = to;
		rename_in_list(t->idx.ptr[k].include, t->idx.ptr[k].n_include, from, to);
	}
	for (size_t i = 0; i < db->tables.len; i++) {
		ms_table *o = db->tables.ptr[i];
		for (size_t k = 0; !o->dropped && k < o->cons.len; k++)
			if (o->cons.ptr[k].c.type == SD_CON_FOREIGN &&
			    sd_ms__ieq(o->cons.ptr[k].c.ref_schema, t->schema) &&
			    sd_ms__ieq(o->cons.ptr[k].c.ref_table, t->name))
				rename_in_list(o->cons.ptr[k].c.ref_columns,
				               o->cons.ptr[k].c.n_ref_columns, from, to);
	}
	c->name = to;
}

static void
rename_table(ms_db *db, ms_table *t, const char *to)
{
	for (size_t i = 0; i < db->tables.len; i++) {
		ms_table *o = db->tables.ptr[i];
		for (size_t k = 0; !o->dropped && k < o->cons.len; k++)
			if (o->cons.ptr[k].c.type == SD_CON_FOREIGN &&
			    sd_ms__ieq(o->cons.ptr[k].c.ref_schema, t->schema) &&
			    sd_ms__ieq(o->cons.ptr[k].c.ref_table, t->name))
				o->cons.ptr[k].c.ref_table = to;
	}
	for (size_t i = 0; i < db->objs.len; i++)
		if (!db->objs.ptr[i]->dropped && db->objs.ptr[i]->o.kind == SD_OBJ_TRIGGER &&
		    sd_ms__ieq(db->objs.ptr[i]->o.schema, t->schema) &&
		    sd_ms__ieq(db->objs.ptr[i]->o.table, t->name))
			db->objs.ptr[i]->o.table = to;
	sd_ms__map_put(&db->table_map, db->a, t->schema, t->name, NULL);
	t->name = to;
	sd_ms__map_put(&db->table_map, db->a, t->schema, t->name, t);
}

/* sp_rename 'old', 'new' [, 'COLUMN' | 'INDEX' | 'OBJECT'] */
static int
sp_rename(ms_parser *p, const ms_tok *at, const arg_vec *args)
{
	const char *old = arg_value(args, "objname", 0), *to = arg_value(args, "newname", 1);
	const char *type = arg_value(args, "objtype", 2), *parts[3];
	size_t n = old ? split_name(p, old, parts) : 0;
	const char *schema = n == 3 || (n == 2 && !type) ? parts[0] : "dbo";
	ms_table *t;

	if (!n || !to)
		return sd_ms__fail(p, at, "sp_rename needs the old and the new name");
	if (type && (sd_ms__ieq(type, "column") || sd_ms__ieq(type, "index"))) {
		if (n < 2)
			return sd_ms__fail(p, at, "sp_rename: name the %s as table.%s", type, type);
		if (!(t = sd_ms__find_table(p->db, n == 3 ? parts[0] : "dbo", parts[n - 2])))
			return sd_ms__fail(p, at, "sp_rename: no table %s", parts[n - 2]);
		if (sd_ms__ieq(type, "column")) {
			ms_col *c = sd_ms__find_col(t, parts[n - 1]);
			if (!c || sd_ms__find_col(t, to))
				return sd_ms__fail(p, at,
				                   "sp_rename: cannot rename column %s to %s",
				                   parts[n - 1], to);
			rename_column(p->db, t, c, to);
			return SD_OK;
		}
		for (size_t i = 0; i < t->idx.len; i++)
			if (sd_ms__ieq(t->idx.ptr[i].name, parts[n - 1])) {
				t->idx.ptr[i].name = to;
				return SD_OK;
			}
		return sd_ms__fail(p, at, "sp_rename: table %s has no index %s", t->name,
		                   parts[n - 1]);
	}
	if (type && !sd_ms__ieq(type, "object"))
		return sd_ms__fail(p, at, "sp_rename of a %s is not supported", type);
	if ((t = sd_ms__find_table(p->db, schema, parts[n - 1]))) {
		if (sd_ms__find_table(p->db, schema, to))
			return sd_ms__fail(p, at, "sp_rename: %s.%s already exists", schema, to);
		rename_table(p->db, t, to);
		return SD_OK;
	}
	/* A constraint (OBJECT): look in every table of the schema. */
	for (size_t i = 0; i < p->db->tables.len; i++) {
		ms_table *o = p->db->tables.ptr[i];
		for (size_t k = 0; !o->dropped && k < o->cons.len; k++)
			if (sd_ms__ieq(o->schema, schema) &&
			    sd_ms__ieq(o->cons.ptr[k].c.name, parts[n - 1])) {
				o->cons.ptr[k].c.name = to;
				return SD_OK;
			}
	}
	return sd_ms__fail(p, at, "sp_rename: no table or constraint %s.%s", schema, parts[n - 1]);
}

/* sp_add/update/dropextendedproperty N'MS_Description' on a table, column or module. */
static int
extended_property(ms_parser *p, const ms_tok *at, const arg_vec *args, bool drop)
{
	const char *prop = arg_value(args, "name", 0),
	           *value = drop ? NULL : arg_value(args, "value", 1);
	size_t base = drop ? 1 : 2;
	const char *l0 = arg_value(args, "level0type", base),
	           *schema = arg_value(args, "level0name", base + 1);
	const char *l1 = arg_value(args, "level1type", base + 2),
	           *name = arg_value(args, "level1name", base + 3);
	const char *l2 = arg_value(args, "level2type", base + 4),
	           *sub = arg_value(args, "level2name", base + 5);
	ms_table *t;
	ms_obj *o;

	if (!prop || !sd_ms__ieq(prop, "MS_Description"))
		return sd_ms__fail(p, at,
		                   "extended property %s is not supported (only MS_Description)",
		                   prop ? prop : "NULL");
	if (!l0 || !sd_ms__ieq(l0, "schema") || !schema || !l1 || !name)
		return sd_ms__fail(p, at,
		                   "MS_Description: only on a table, column, view or module");
	if (sd_ms__ieq(l1, "table") && (t = sd_ms__find_table(p->db, schema, name))) {
		if (!l2) {
			t->comment = value;
			return SD_OK;
		}
		if (sd_ms__ieq(l2, "column") && sub) {
			ms_col *c = sd_ms__find_col(t, sub);
			if (!c)
				return sd_ms__fail(p, at,
				                   "MS_Description: table %s has no column %s",
				                   name, sub);
			c->comment = value;
			return SD_OK;
		}
	} else if (!l2 &&
	           (sd_ms__ieq(l1, "view") || sd_ms__ieq(l1, "procedure") ||
	            sd_ms__ieq(l1, "function")) &&
	           (o = sd_ms__find_obj(p->db, schema, name))) {
		o->comment = value;
		return SD_OK;
	}
	return sd_ms__fail(p, at, "MS_Description: no %s %s.%s%s%s", l1, schema, name,
	                   sub ? "." : "", sub ? sub : "");
}

/* The constraint a plan's catalog lookup names, removed; false when none matches. */
static bool
run_pending(ms_db *db, const ms_pending *pd)
{
	ms_table *t = sd_ms__find_table(db, pd->schema, pd->table);

	if (!t)
		return false;
	if (strcmp(pd->catalog, "default_constraints") == 0) {
		ms_col *c = sd_ms__find_col(t, pd->key);
		if (!c || !c->default_expr)
			return false;
		c->default_expr = c->default_name = NULL;
		return true;
	}
	for (size_t k = 0; k < t->cons.len; k++) {
		const ms_con *c = &t->cons.ptr[k];
		sd_str cols;
		bool hit;
		sd_str_init(&cols);
		for (size_t i = 0; i < c->c.n_columns; i++)
			sd_str_appendf(&cols, "%s%s", i ? "," : "", c->c.columns[i]);
		if (strcmp(pd->catalog, "check_constraints") == 0)
			hit = c->c.type == SD_CON_CHECK && sd_streq(c->c.expr, pd->key);
		else if (strcmp(pd->catalog, "foreign_keys") == 0)
			hit = c->c.type == SD_CON_FOREIGN && sd_ms__ieq(cols.ptr, pd->key);
		else if (strcmp(pd->catalog, "key_constraints/PK") == 0)
			hit = c->c.type == SD_CON_PRIMARY;
		else
			hit = c->c.type == SD_CON_UNIQUE && sd_ms__ieq(cols.ptr, pd->key);
		sd_str_dispose(&cols);
		if (hit) {
			sd_ms__drop_con_at(t, k);
			return true;
		}
	}
	return false;
}

int
sd_ms__exec(ms_parser *p, const ms_tok *start)
{
	const ms_tok *at = sd_ms__peek(p, 0);
	const char *proc;
	arg_vec args = {0};
	int rc;

	/* EXEC (@v): the second half of a plan's DECLARE lookup. */
	if (sd_ms__is_punct(at, '(') && sd_ms__peek(p, 1)->type == MT_VAR &&
	    sd_ms__is_punct(sd_ms__peek(p, 2), ')')) {
		const char *var = sd_ms__ident(p->db->a, sd_ms__peek(p, 1));
		for (size_t i = p->db->pending.len; i-- > 0;)
			if (sd_ms__ieq(p->db->pending.ptr[i].var, var)) {
				ms_pending pd = p->db->pending.ptr[i];
				p->db->pending.ptr[i].var = "";
				p->i += 3;
				if (!run_pending(p->db, &pd))
					return sd_ms__fail(
					        p, at,
					        "no constraint on %s.%s matches the lookup in %s",
					        pd.schema, pd.table, var);
				return SD_OK;
			}
		return sd_ms__fail(p, at, "EXEC of %s: it holds no statement this reader built",
		                   var);
	}
	(void)start;
	/* sys.sp_rename and dbo.sp_rename are the same procedure: the schema does not matter */
	if ((rc = sd_ms__qualname(p, &(const char *){NULL}, &proc)) || (rc = exec_args(p, &args)))
		goto out;
	if (sd_ms__ieq(proc, "sp_rename"))
		rc = sp_rename(p, at, &args);
	else if (sd_ms__ieq(proc, "sp_addextendedproperty") ||
	         sd_ms__ieq(proc, "sp_updateextendedproperty"))
		rc = extended_property(p, at, &args, false);
	else if (sd_ms__ieq(proc, "sp_dropextendedproperty"))
		rc = extended_property(p, at, &args, true);
	else
		rc = sd_ms__fail(p, at, "EXEC %s is not supported", proc);
out:
	sd_vec_dispose(&args);
	return rc;
}

/*
 * DECLARE @v nvarchar(max) = (SELECT N'ALTER TABLE ... DROP CONSTRAINT ' +
 * QUOTENAME(name) FROM sys.<catalog> WHERE parent_object_id =
 * OBJECT_ID(N'[s].[t]') AND ... = N'<key>'): the lookup a plan writes to drop
 * a constraint SQL Server named itself (ms_plan.c writes it). Remembered
 * until EXEC (@v) runs it. Other DECLAREs are errors.
 */
int
sd_ms__declare(ms_parser *p, const ms_tok *start)
{
	ms_pending pd = {0};
	size_t end, i;
	const char *parts[3];

	if (sd_ms__peek(p, 0)->type != MT_VAR)
		return sd_ms__fail(p, start, "expected a variable after DECLARE");
	pd.var = sd_ms__ident(p->db->a, sd_ms__peek(p, 0));
	for (i = p->i; i < p->batch_end && !sd_ms__is_op(&p->t[i], "="); i++)
		;
	if (i + 1 >= p->batch_end || !sd_ms__is_punct(&p->t[i + 1], '('))
		return sd_ms__fail(p, start, "DECLARE is only read as a plan's constraint lookup");
	end = sd_ms__skip_group(p->t, p->batch_end, i + 1);
	for (size_t k = i + 1; k < end; k++) {
		const ms_tok *t = &p->t[k];
		if (sd_ms__is(t, "sys") && k + 2 < end && sd_ms__is_punct(&p->t[k + 1], '.') &&
		    !pd.catalog)
			pd.catalog = sd_ms__ident(p->db->a, &p->t[k + 2]);
		if (sd_ms__is(t, "object_id") && k + 2 < end && p->t[k + 2].type == MT_STRING &&
		    !pd.table) {
			size_t n = split_name(p, sd_ms__ident(p->db->a, &p->t[k + 2]), parts);
			if (n) {
				pd.table = parts[n - 1];
				pd.schema = n >= 2 ? parts[n - 2] : "dbo";
			}
		}
		if (t->type == MT_STRING && pd.catalog) {
			pd.key = sd_ms__ident(p->db->a, t);
			if (strcmp(pd.key, "PK") == 0 && strcmp(pd.catalog, "key_constraints") == 0)
				pd.catalog = "key_constraints/PK";
		}
	}
	if (!pd.catalog || !pd.table || !pd.key)
		return sd_ms__fail(p, start, "DECLARE is only read as a plan's constraint lookup");
	sd_vec_push(&p->db->pending, pd);
	p->i = end;
	return SD_OK;
}
