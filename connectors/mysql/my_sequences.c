/*
 * connectors/mysql/my_sequences.c: MariaDB sequences (CREATE SEQUENCE,
 * 10.3+): read, checked, and planned.
 *
 * A sequence is a one-row table of TABLE_TYPE 'SEQUENCE'. Its options are
 * no catalog column: they are that row. All of them come in one query, a
 * UNION ALL of `SELECT 'name', start_value, ... FROM db.seq` over every
 * sequence the TABLES query listed, sent only when it listed one (MySQL
 * has no sequences: nothing more is sent there). Each SELECT's first
 * column is the sequence's position among the TABLES rows, not its name
 * as a string literal: a literal would be lexed under the server's
 * sql_mode (NO_BACKSLASH_ESCAPES changes what a backslash in a name
 * means), a number never is; names appear only as backtick-quoted
 * identifiers, which every mode reads alike. A SELECT reads the row
 * without taking a value (NEXTVAL would). next_not_cached_value and
 * cycle_count move with use: data, never read, as PostgreSQL's reader
 * ignores last_value.
 *
 * Model: an object of kind SD_OBJ_SEQUENCE, schema "", definition the
 * canonical option list "START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE
 * 9223372036854775806 CACHE 1000 NOCYCLE" (compared), ddl the CREATE text
 * (not compared), properties "engine" and "comment" (compared, as a
 * table's). The plan never copies the definition: it parses it back into
 * numbers (sd_my__parse_sequence, also what the TO-text check runs) and
 * writes them.
 */
#include "connectors/mysql/my_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The option columns, in the order of the query and of the definition. */
#define SEQ_COLUMNS "start_value, increment, minimum_value, maximum_value, cache_size, cycle_option"

bool
sd_my__is_sequence_row(const char **tables_row)
{
	return tables_row[5] && strcasecmp(tables_row[5], "SEQUENCE") == 0;
}

/* ---- reading --------------------------------------------------------- */

void
sd_my__sequence_options_sql(sd_str *sql, const my_rows *tables, const char *db)
{
	bool first = true;

	for (size_t i = 0; i < tables->len; i++) {
		const char *name = tables->ptr[i].v[0];
		if (!sd_my__is_sequence_row(tables->ptr[i].v))
			continue;
		sd_str_appendf(sql, "%sSELECT %zu, " SEQ_COLUMNS " FROM ", first ? "" : " UNION ALL ", i);
		first = false;
		sd_my_quote_ident(sql, db);
		sd_str_appendc(sql, '.');
		sd_my_quote_ident(sql, name);
	}
}

static void
append_definition(sd_str *s, const char *const *v)
{
	sd_str_appendf(s, "START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE %s CACHE %s %s", v[0],
		       v[1], v[2], v[3], v[4], v[5]);
}

/* CREATE SEQUENCE `name` <definition>[ ENGINE=e][ COMMENT '...'] */
static const char *
create_text(sd_arena *a, const char *name, const char *definition, const sd_props *props)
{
	const char *engine = sd_props_get(props, "engine"), *comment = sd_props_get(props, "comment");
	sd_str s;
	const char *out;

	sd_str_init(&s);
	sd_str_append(&s, "CREATE SEQUENCE ");
	sd_my_quote_ident(&s, name);
	sd_str_appendf(&s, " %s", definition);
	if (engine)
		sd_str_appendf(&s, " ENGINE=%s", engine);
	if (comment) {
		sd_str_append(&s, " COMMENT ");
		sd_my__quote_string(&s, comment);
	}
	out = sd_arena_strndup(a, s.ptr, s.len);
	sd_str_dispose(&s);
	return out;
}

int
sd_my__read_sequences(my_object_vec *out, sd_arena *a, const my_rows *tables, const my_rows *opts,
		      sd_err *err)
{
	/* options[i]: the options row of TABLES row i (the query's first column) */
	const char ***options = sd_xcalloc(tables->len + 1, sizeof(*options));

	for (size_t k = 0; k < opts->len; k++) {
		const char *pos = opts->ptr[k].v[0];
		size_t i = pos ? strtoul(pos, NULL, 10) : tables->len;
		if (i < tables->len)
			options[i] = opts->ptr[k].v;
	}
	for (size_t i = 0; i < tables->len; i++) {
		const char **t = tables->ptr[i].v, **v = options[i];
		sd_object o = {.kind = SD_OBJ_SEQUENCE, .schema = "", .name = t[0]};
		const char *def[6];
		sd_str s;
		if (!sd_my__is_sequence_row(t))
			continue;
		if (!v) {
			free(options);
			return sd_err_set(err, SD_EQUERY, "sequence %s: its options were not read", o.name);
		}
		for (int k = 0; k < 5; k++)
			def[k] = v[k + 1] ? v[k + 1] : "0";
		def[5] = v[6] && strcmp(v[6], "0") != 0 ? "CYCLE" : "NOCYCLE";
		sd_str_init(&s);
		append_definition(&s, def);
		o.definition = sd_arena_strndup(a, s.ptr, s.len);
		sd_str_dispose(&s);
		if (t[1])
			sd_props_set(a, &o.props, "engine", t[1]);
		if (t[4] && *t[4])
			sd_props_set(a, &o.props, "comment", t[4]);
		o.ddl = create_text(a, o.name, o.definition, &o.props);
		sd_vec_push(out, o);
	}
	free(options);
	return SD_OK;
}

/* ---- the definition, parsed back ------------------------------------- */

/* Past "WORD " at p (case as written by the reader), or NULL. */
static const char *
expect(const char *p, const char *word)
{
	size_t n = strlen(word);

	return strncmp(p, word, n) == 0 ? p + n : NULL;
}

/* An integer: an optional '-', then 1 to 20 digits (a bigint's), copied into buf. */
static const char *
integer(const char *p, char *buf)
{
	size_t n = 0, digits = 0;

	if (!p)
		return NULL;
	if (*p == '-')
		buf[n++] = *p++;
	for (; isdigit((unsigned char)*p); p++, digits++)
		if (digits < 20)
			buf[n++] = *p;
	buf[n] = '\0';
	return digits >= 1 && digits <= 20 ? p : NULL;
}

bool
sd_my__parse_sequence(my_sequence *s, const char *def)
{
	const char *p = def;

	memset(s, 0, sizeof(*s));
	if (!p)
		return false;
	p = integer(expect(p, "START WITH "), s->start);
	p = p ? integer(expect(p, " INCREMENT BY "), s->increment) : NULL;
	p = p ? integer(expect(p, " MINVALUE "), s->min) : NULL;
	p = p ? integer(expect(p, " MAXVALUE "), s->max) : NULL;
	p = p ? integer(expect(p, " CACHE "), s->cache) : NULL;
	if (!p)
		return false;
	if (strcmp(p, " CYCLE") == 0)
		s->cycle = true;
	else if (strcmp(p, " NOCYCLE") != 0)
		return false;
	return true;
}

/* ---- the plan -------------------------------------------------------- */

static void
write_options(sd_str *out, const my_sequence *s)
{
	sd_str_appendf(out, " START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE %s CACHE %s %s",
		       s->start, s->increment, s->min, s->max, s->cache,
		       s->cycle ? "CYCLE" : "NOCYCLE");
}

/* ENGINE= and COMMENT as the target has them; only those that differ when a is given. */
static void
write_table_options(sd_str *out, const sd_object *a, const sd_object *b)
{
	const char *eb = sd_props_get(&b->props, "engine"), *cb = sd_props_get(&b->props, "comment");

	if (eb && (!a || !sd_streq(sd_props_get(&a->props, "engine"), eb)))
		sd_str_appendf(out, " ENGINE=%s", eb);
	if (a ? !sd_streq(sd_props_get(&a->props, "comment"), cb) : cb != NULL) {
		sd_str_append(out, " COMMENT ");
		sd_my__quote_string(out, cb ? cb : "");
	}
}

static void
create_sequence(sd_str *out, const sd_object *b)
{
	my_sequence s;

	/* checked before planning (sd_my__check_texts) */
	if (!sd_my__parse_sequence(&s, b->definition))
		return;
	sd_str_append(out, "CREATE SEQUENCE ");
	sd_my_quote_ident(out, b->name);
	write_options(out, &s);
	write_table_options(out, NULL, b);
	sd_str_append(out, ";\n");
}

/*
 * MariaDB refuses bounds that leave out the next value ("out of range
 * value for options"): a higher MINVALUE of an ascending sequence, a lower
 * MAXVALUE of a descending one. SETVAL first moves the value to the new
 * bound; it only ever moves a sequence forward, so a value past the bound
 * stays and no value is handed out twice.
 */
static void
move_into_range(sd_str *out, const sd_object *b, const my_sequence *sa, const my_sequence *sb)
{
	long long inc = strtoll(sb->increment, NULL, 10);
	const char *bound = NULL;

	if (inc >= 0 && strtoll(sb->min, NULL, 10) > strtoll(sa->min, NULL, 10))
		bound = sb->min;
	else if (inc < 0 && strtoll(sb->max, NULL, 10) < strtoll(sa->max, NULL, 10))
		bound = sb->max;
	if (!bound)
		return;
	sd_str_append(out, "SELECT SETVAL(");
	sd_my_quote_ident(out, b->name);
	sd_str_appendf(out, ", %s, 0);\n", bound);
}

static void
alter_sequence(sd_str *out, const sd_object *a, const sd_object *b)
{
	my_sequence sa, sb;
	bool old_ok = sd_my__parse_sequence(&sa, a->definition);

	if (!sd_my__parse_sequence(&sb, b->definition))
		return;
	if (!sd_streq(a->definition, b->definition)) {
		if (old_ok)
			move_into_range(out, b, &sa, &sb);
		/* Every option, not only those that differ: the server checks them together. */
		sd_str_append(out, "ALTER SEQUENCE ");
		sd_my_quote_ident(out, b->name);
		write_options(out, &sb);
		sd_str_append(out, ";\n");
	}
	if (!sd_streq(sd_props_get(&a->props, "engine"), sd_props_get(&b->props, "engine")) ||
	    !sd_streq(sd_props_get(&a->props, "comment"), sd_props_get(&b->props, "comment"))) {
		sd_str_append(out, "ALTER TABLE ");
		sd_my_quote_ident(out, b->name);
		write_table_options(out, a, b);
		sd_str_append(out, ";\n");
	}
}

static bool
is_sequence_change(const sd_change *c)
{
	const sd_object *o = c->new_item ? c->new_item : c->old_item;

	return c->what == SD_WHAT_OBJECT && o && o->kind == SD_OBJ_SEQUENCE;
}

int
sd_my__check_sequences_plannable(const sd_diff *d, bool mariadb, sd_err *err)
{
	for (size_t i = 0; !mariadb && i < d->n_changes; i++) {
		const sd_change *c = &d->changes[i];
		if (is_sequence_change(c) && c->new_item)
			return sd_err_set(err, SD_EINPUT,
					  "sequence %s: the database the plan runs on is MySQL, which "
					  "has no sequences (MariaDB 10.3+ has); cannot plan",
					  ((const sd_object *)c->new_item)->name);
	}
	return SD_OK;
}

void
sd_my__plan_sequences(sd_str *out, const sd_diff *d)
{
	for (size_t i = 0; i < d->n_changes; i++) {
		const sd_change *c = &d->changes[i];
		if (!is_sequence_change(c) || c->op == SD_OP_DROP)
			continue;
		sd_change_comment(out, c);
		if (c->op == SD_OP_ADD)
			create_sequence(out, c->new_item);
		else
			alter_sequence(out, c->old_item, c->new_item);
	}
}

void
sd_my__drop_sequences(sd_str *out, const sd_diff *d)
{
	for (size_t i = 0; i < d->n_changes; i++) {
		const sd_change *c = &d->changes[i];
		if (!is_sequence_change(c) || c->op != SD_OP_DROP)
			continue;
		sd_change_comment(out, c);
		sd_sql_comment(out, "destructive: drops the sequence and its current value");
		sd_str_append(out, "DROP SEQUENCE IF EXISTS ");
		sd_my_quote_ident(out, ((const sd_object *)c->old_item)->name);
		sd_str_append(out, ";\n");
	}
}
