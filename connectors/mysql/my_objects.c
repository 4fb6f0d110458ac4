/*
 * connectors/mysql/my_objects.c: views, triggers, stored routines and
 * events, each compared by a canonical definition and recreated from a
 * CREATE text rendered here (DEFINER is environment noise: never read,
 * never written, so objects are created as the user running the plan).
 *
 * View text: the server prints every table qualified with its database
 * (`db`.`t`); the qualifier of the database being read is removed so two
 * databases built from the same SQL compare equal.
 *
 * Events: STARTS defaults to the creation time and AT is often computed
 * (CURRENT_TIMESTAMP + INTERVAL ...), so neither is compared; the CREATE
 * text keeps AT and ENDS.
 */
#include "connectors/mysql/my_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool
is(const char *a, const char *b)
{
	return a && strcasecmp(a, b) == 0;
}

static const char *
detach(sd_arena *a, sd_str *s)
{
	const char *out = sd_arena_strndup(a, s->ptr, s->len);

	sd_str_dispose(s);
	return out;
}

static const char *
lower(sd_arena *a, const char *s)
{
	char *p = sd_arena_strdup(a, s);

	for (char *c = p; c && *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return p;
}

/* ---- views ----------------------------------------------------------- */

static void
read_views(my_object_vec *out, sd_arena *a, my_rows *rows, const char *db)
{
	for (size_t i = 0; i < rows->len; i++) {
		const char **v = rows->ptr[i].v;
		sd_object o = {.kind = SD_OBJ_VIEW, .schema = "", .name = v[0]};
		sd_str ddl;
		o.definition = sd_my__canon_expr(a, v[1] ? v[1] : "", db);
		if (v[2] && !is(v[2], "NONE"))
			sd_props_set(a, &o.props, "check_option", lower(a, v[2]));
		if (v[3] && !is(v[3], "DEFINER"))
			sd_props_set(a, &o.props, "security", lower(a, v[3]));
		if (v[4] && !is(v[4], "UNDEFINED"))
			sd_props_set(a, &o.props, "algorithm", lower(a, v[4]));
		sd_str_init(&ddl);
		sd_str_appendf(&ddl, "CREATE OR REPLACE ALGORITHM=%s SQL SECURITY %s VIEW ",
			       v[4] ? v[4] : "UNDEFINED", v[3] ? v[3] : "DEFINER");
		sd_my_quote_ident(&ddl, o.name);
		sd_str_appendf(&ddl, " AS %s", o.definition);
		if (v[2] && !is(v[2], "NONE"))
			sd_str_appendf(&ddl, " WITH %s CHECK OPTION", v[2]);
		o.ddl = detach(a, &ddl);
		sd_vec_push(out, o);
	}
}

/* Views name the views they read: `other` anywhere in the text. */
static void
view_depends(my_object_vec *objs, sd_arena *a)
{
	for (size_t i = 0; i < objs->len; i++) {
		sd_object *o = &objs->ptr[i];
		SD_VEC(const char *) deps = {0};
		for (size_t j = 0; j < objs->len; j++) {
			sd_str q;
			if (i == j || objs->ptr[j].kind != SD_OBJ_VIEW)
				continue;
			sd_str_init(&q);
			sd_my_quote_ident(&q, objs->ptr[j].name);
			if (strstr(o->definition, q.ptr))
				sd_vec_push(&deps, objs->ptr[j].name);
			sd_str_dispose(&q);
		}
		o->depends = sd_arena_memdup(a, deps.ptr, deps.len, sizeof(*deps.ptr));
		o->n_depends = deps.len;
		sd_vec_dispose(&deps);
	}
}

/*
 * The sql_mode flags that change how a body's text is lexed: a body written
 * under them must be created under them. Kept as the "sql_mode" property
 * (compared: the same text means something else without them); other
 * modes are the server's defaults and not the object's.
 */
static void
lexing_modes(sd_arena *a, sd_object *o, const char *sql_mode)
{
	static const char *const flags[] = {"NO_BACKSLASH_ESCAPES", "ANSI_QUOTES"};
	sd_str modes;

	sd_str_init(&modes);
	for (size_t i = 0; sql_mode && i < sizeof(flags) / sizeof(*flags); i++) {
		const char *at = strstr(sql_mode, flags[i]);
		size_t n = strlen(flags[i]);
		if (at && (at == sql_mode || at[-1] == ',') && (at[n] == ',' || !at[n]))
			sd_str_appendf(&modes, "%s%s", modes.len ? "," : "", flags[i]);
	}
	if (modes.len)
		sd_props_set(a, &o->props, "sql_mode", modes.ptr);
	sd_str_dispose(&modes);
}

/* ---- triggers -------------------------------------------------------- */

static void
read_triggers(my_object_vec *out, sd_arena *a, my_rows *rows)
{
	for (size_t i = 0; i < rows->len; i++) {
		const char **v = rows->ptr[i].v;
		sd_object o = {.kind = SD_OBJ_TRIGGER, .schema = "", .name = v[0], .table = v[2]};
		sd_str def, ddl;
		sd_str_init(&def);
		sd_str_appendf(&def, "%s %s ON ", v[4], v[1]);
		sd_my_quote_ident(&def, v[2]);
		sd_str_appendf(&def, " FOR EACH ROW %s", v[3] ? v[3] : "");
		sd_str_init(&ddl);
		sd_str_append(&ddl, "CREATE TRIGGER ");
		sd_my_quote_ident(&ddl, o.name);
		sd_str_appendf(&ddl, " %s", def.ptr);
		o.definition = detach(a, &def);
		o.ddl = detach(a, &ddl);
		lexing_modes(a, &o, v[6]);
		sd_vec_push(out, o);
	}
}

/* ---- routines -------------------------------------------------------- */

/* params rows sorted by (name, type, ordinal); returns the first row of routine (name, type). */
static size_t
find_params(my_rows *params, const char *name, const char *type)
{
	size_t lo = 0, hi = params->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const my_row *r = &params->ptr[mid];
		int c = strcmp(r->k1, name);
		if (!c)
			c = strcmp(r->k2, type);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
routine_params(sd_str *s, sd_arena *a, my_rows *params, const char *name, const char *type)
{
	size_t i = find_params(params, name, type);
	bool first = true;

	sd_str_appendc(s, '(');
	for (; i < params->len && strcmp(params->ptr[i].k1, name) == 0 &&
	       strcmp(params->ptr[i].k2, type) == 0;
	     i++) {
		const char **p = params->ptr[i].v;
		if (!first)
			sd_str_append(s, ", ");
		first = false;
		if (p[3] && is(type, "PROCEDURE"))
			sd_str_appendf(s, "%s ", p[3]);
		sd_my_quote_ident(s, p[4] ? p[4] : "");
		sd_str_appendf(s, " %s", p[5] ? sd_my__canon_type(a, p[5]) : "");
	}
	sd_str_appendc(s, ')');
}

static void
read_routines(my_object_vec *out, sd_arena *a, my_rows *rows, my_rows *params)
{
	for (size_t i = 0; i < params->len; i++) {
		params->ptr[i].k1 = params->ptr[i].v[0];
		params->ptr[i].k2 = params->ptr[i].v[1];
		params->ptr[i].n1 = atol(params->ptr[i].v[2]);
	}
	sd_my__sort_rows(params);
	for (size_t i = 0; i < rows->len; i++) {
		const char **v = rows->ptr[i].v;
		bool fn = is(v[1], "FUNCTION");
		sd_object o = {.kind = SD_OBJ_FUNCTION, .schema = "", .name = v[0]};
		sd_str def, ddl;
		/* A function and a procedure may share a name: the type tells them apart. */
		o.signature = fn ? "function" : "procedure";
		sd_str_init(&def);
		sd_str_appendf(&def, "%s ", fn ? "FUNCTION" : "PROCEDURE");
		sd_my_quote_ident(&def, o.name);
		routine_params(&def, a, params, v[0], v[1]);
		if (fn && v[2])
			sd_str_appendf(&def, " RETURNS %s", sd_my__canon_type(a, v[2]));
		if (is(v[4], "YES"))
			sd_str_append(&def, " DETERMINISTIC");
		if (v[5] && !is(v[5], "CONTAINS SQL"))
			sd_str_appendf(&def, " %s", v[5]);
		if (is(v[6], "INVOKER"))
			sd_str_append(&def, " SQL SECURITY INVOKER");
		if (v[7] && *v[7]) {
			sd_str_append(&def, " COMMENT ");
			sd_my__quote_string(&def, v[7]);
		}
		sd_str_appendf(&def, "\n%s", v[3] ? v[3] : "");
		sd_str_init(&ddl);
		sd_str_appendf(&ddl, "CREATE %s", def.ptr);
		o.definition = detach(a, &def);
		o.ddl = detach(a, &ddl);
		sd_props_set(a, &o.props, "type", fn ? "function" : "procedure");
		lexing_modes(a, &o, v[8]);
		sd_vec_push(out, o);
	}
}

/* ---- events ---------------------------------------------------------- */

static void
read_events(my_object_vec *out, sd_arena *a, my_rows *rows)
{
	for (size_t i = 0; i < rows->len; i++) {
		const char **v = rows->ptr[i].v;
		sd_object o = {.kind = SD_OBJ_EVENT, .schema = "", .name = v[0]};
		bool once = is(v[2], "ONE TIME");
		sd_str def, ddl;
		sd_str_init(&def);
		if (!once) {
			sd_str_append(&def, "ON SCHEDULE EVERY ");
			sd_my__quote_string(&def, v[3] ? v[3] : "1");
			sd_str_appendf(&def, " %s", v[4] ? v[4] : "DAY");
			if (v[5]) {
				sd_str_append(&def, " ENDS ");
				sd_my__quote_string(&def, v[5]);
			}
		}
		sd_str_appendf(&def, "%sON COMPLETION %s %s", once ? "" : " ", v[7] ? v[7] : "NOT PRESERVE",
			       is(v[6], "ENABLED")    ? "ENABLE"
			       : is(v[6], "DISABLED") ? "DISABLE"
						      : "DISABLE ON SLAVE");
		if (v[8] && *v[8]) {
			sd_str_append(&def, " COMMENT ");
			sd_my__quote_string(&def, v[8]);
		}
		sd_str_appendf(&def, " DO %s", v[1] ? v[1] : "");
		sd_str_init(&ddl);
		sd_str_append(&ddl, "CREATE EVENT ");
		sd_my_quote_ident(&ddl, o.name);
		if (once) {
			sd_str_append(&ddl, " ON SCHEDULE AT ");
			sd_my__quote_string(&ddl, v[9] ? v[9] : "");
		}
		sd_str_appendf(&ddl, " %s", def.ptr);
		o.definition = detach(a, &def);
		o.ddl = detach(a, &ddl);
		lexing_modes(a, &o, v[10]);
		sd_vec_push(out, o);
	}
}

void
sd_my__read_objects(my_object_vec *out, sd_arena *a, my_rows *rows, const char *db)
{
	read_views(out, a, &rows[0], db);
	view_depends(out, a);
	read_triggers(out, a, &rows[1]);
	read_routines(out, a, &rows[2], &rows[3]);
	read_events(out, a, &rows[4]);
}
