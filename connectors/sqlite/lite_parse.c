/*
 * connectors/sqlite/lite_parse.c: a shallow parser of SQLite CREATE text.
 *
 * It only extracts what the pragma table-valued functions leave out:
 * constraint names, CHECK expressions, ON CONFLICT clauses, DEFERRABLE,
 * column collations, generation expressions, AUTOINCREMENT, and index key
 * expressions and WHERE clauses. Column types, nullability, defaults, key
 * columns and foreign key targets come from the pragmas, which are
 * authoritative. Unknown syntax is skipped token by token, never fatal.
 */
#include "connectors/sqlite/lite_parse.h"

#include "connectors/sqlite/lite_lex.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef SD_VEC(lite_condef) condef_vec;
typedef SD_VEC(lite_coldef) coldef_vec;

typedef struct parser {
	lite_toks toks;
	sd_arena *a;
	size_t i;
} parser;

static const lite_tok *
peek(parser *p, size_t ahead)
{
	static const lite_tok eof = {LT_PUNCT, "", 0};

	return p->i + ahead < p->toks.n ? &p->toks.v[p->i + ahead] : &eof;
}

static bool
accept(parser *p, const char *word)
{
	if (!sd_lite__is(peek(p, 0), word))
		return false;
	p->i++;
	return true;
}

static const char *
upper_dup(sd_arena *a, const char *s)
{
	char *u = sd_arena_strdup(a, s);

	for (char *c = u; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	return u;
}

/* Parses "( a, b DESC, ... )" into folded column names; p->i at "(". */
static void
column_list(parser *p, const char ***out, size_t *n_out)
{
	size_t end = sd_lite__skip_group(&p->toks, p->i);
	SD_VEC(const char *) v = {0};
	bool expect_name = true;

	for (p->i++; p->i + 1 < end; p->i++) {
		const lite_tok *t = peek(p, 0);
		if (sd_lite__is_punct(t, ',')) {
			expect_name = true;
		} else if (expect_name && (t->type == LT_WORD || t->type == LT_QIDENT ||
					   t->type == LT_STRING)) {
			sd_vec_push(&v, sd_lite__ident(p->a, t));
			expect_name = false;
		}
	}
	p->i = end;
	*out = sd_arena_memdup(p->a, v.ptr, v.len, sizeof(*v.ptr));
	*n_out = v.len;
	sd_vec_dispose(&v);
}

/* Inner canonical text of a "( ... )" group at p->i; advances past it. */
static const char *
group_expr(parser *p)
{
	size_t end = sd_lite__skip_group(&p->toks, p->i);
	const char *e = sd_lite__canon_dup(p->a, p->toks.v, p->i + 1, end > 0 ? end - 1 : end);

	p->i = end;
	return e;
}

static const char *
conflict_clause(parser *p)
{
	if (sd_lite__is(peek(p, 0), "on") && sd_lite__is(peek(p, 1), "conflict")) {
		const char *r = sd_lite__ident(p->a, peek(p, 2));
		p->i += 3;
		return r;
	}
	return NULL;
}

/* REFERENCES t [(cols)] then ON/MATCH/DEFERRABLE clauses. */
static void
fk_clause(parser *p, lite_condef *c)
{
	const char **ref_cols;
	size_t n_ref;

	c->ref_table = sd_lite__ident(p->a, peek(p, 0));
	p->i++;
	if (sd_lite__is_punct(peek(p, 0), '('))
		column_list(p, &ref_cols, &n_ref);
	for (;;) {
		if (sd_lite__is(peek(p, 0), "on") &&
		    (sd_lite__is(peek(p, 1), "delete") || sd_lite__is(peek(p, 1), "update"))) {
			/* The action itself comes from the pragma: skip its one or two words. */
			p->i += 2;
			if (accept(p, "set") || accept(p, "no"))
				p->i++;
			else
				p->i++;
		} else if (accept(p, "match")) {
			p->i++;
		} else if (sd_lite__is(peek(p, 0), "not") && sd_lite__is(peek(p, 1), "deferrable")) {
			p->i += 2;
			c->deferrable = false;
			if (accept(p, "initially"))
				p->i++;
		} else if (accept(p, "deferrable")) {
			c->deferrable = true;
			if (accept(p, "initially")) {
				c->initially_deferred = sd_lite__is(peek(p, 0), "deferred");
				p->i++;
			}
		} else {
			return;
		}
	}
}

static bool
starts_constraint(const lite_tok *t)
{
	static const char *const words[] = {"constraint", "primary",    "not",       "null",
					    "unique",     "check",      "default",   "collate",
					    "references", "generated",  "as"};

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (sd_lite__is(t, words[i]))
			return true;
	return false;
}

static void
column_def(parser *p, size_t end, coldef_vec *cols, condef_vec *cons)
{
	lite_coldef col = {0};
	const char *pending_name = NULL;
	const lite_tok *first = peek(p, 0), *last = &p->toks.v[end - 1];

	col.def_sql = sd_arena_strndup(p->a, first->p, (size_t)(last->p + last->n - first->p));
	col.name = sd_lite__ident(p->a, peek(p, 0));
	p->i++;
	while (p->i < end && !starts_constraint(peek(p, 0))) {
		if (sd_lite__is_punct(peek(p, 0), '('))
			p->i = sd_lite__skip_group(&p->toks, p->i);
		else
			p->i++;
	}
	while (p->i < end) {
		lite_condef c = {0};
		if (accept(p, "constraint")) {
			pending_name = sd_lite__ident(p->a, peek(p, 0));
			p->i++;
			continue;
		}
		c.name = pending_name;
		c.columns = sd_arena_alloc(p->a, sizeof(char *));
		c.columns[0] = col.name;
		c.n_columns = 1;
		if (accept(p, "primary")) {
			accept(p, "key");
			c.type = SD_CON_PRIMARY;
			c.desc = accept(p, "desc");
			accept(p, "asc");
			c.conflict = conflict_clause(p);
			col.autoincrement = accept(p, "autoincrement");
			sd_vec_push(cons, c);
		} else if (accept(p, "not")) {
			accept(p, "null");
			col.not_null_conflict = conflict_clause(p);
		} else if (accept(p, "unique")) {
			c.type = SD_CON_UNIQUE;
			c.conflict = conflict_clause(p);
			sd_vec_push(cons, c);
		} else if (accept(p, "check")) {
			c.type = SD_CON_CHECK;
			c.n_columns = 0;
			c.expr = group_expr(p);
			sd_vec_push(cons, c);
		} else if (accept(p, "collate")) {
			col.collation = upper_dup(p->a, sd_lite__ident(p->a, peek(p, 0)));
			p->i++;
		} else if (accept(p, "references")) {
			c.type = SD_CON_FOREIGN;
			fk_clause(p, &c);
			sd_vec_push(cons, c);
		} else if (accept(p, "generated")) {
			accept(p, "always");
		} else if (accept(p, "as")) {
			col.generated = group_expr(p);
			col.stored = accept(p, "stored");
			accept(p, "virtual");
		} else if (accept(p, "default")) {
			if (sd_lite__is_punct(peek(p, 0), '('))
				p->i = sd_lite__skip_group(&p->toks, p->i);
			else if (peek(p, 0)->type == LT_OP) /* signed number */
				p->i += 2;
			else
				p->i++;
		} else {
			p->i++;
		}
		pending_name = NULL;
	}
	sd_vec_push(cols, col);
}

static void
table_constraint(parser *p, size_t end, condef_vec *cons)
{
	lite_condef c = {0};

	if (accept(p, "constraint")) {
		c.name = sd_lite__ident(p->a, peek(p, 0));
		p->i++;
	}
	if (accept(p, "primary")) {
		accept(p, "key");
		c.type = SD_CON_PRIMARY;
		column_list(p, &c.columns, &c.n_columns);
		c.conflict = conflict_clause(p);
	} else if (accept(p, "unique")) {
		c.type = SD_CON_UNIQUE;
		column_list(p, &c.columns, &c.n_columns);
		c.conflict = conflict_clause(p);
	} else if (accept(p, "check")) {
		c.type = SD_CON_CHECK;
		c.expr = group_expr(p);
	} else if (accept(p, "foreign")) {
		accept(p, "key");
		c.type = SD_CON_FOREIGN;
		column_list(p, &c.columns, &c.n_columns);
		accept(p, "references");
		fk_clause(p, &c);
	} else {
		p->i = end;
		return;
	}
	sd_vec_push(cons, c);
	p->i = end;
}

static bool
starts_table_constraint(const lite_tok *t)
{
	return sd_lite__is(t, "constraint") || sd_lite__is(t, "primary") ||
	       sd_lite__is(t, "unique") || sd_lite__is(t, "check") || sd_lite__is(t, "foreign");
}

/* End of the element starting at i: the next top-level comma or the group end. */
static size_t
element_end(const lite_toks *toks, size_t i, size_t group_end)
{
	while (i < group_end) {
		if (sd_lite__is_punct(&toks->v[i], '('))
			i = sd_lite__skip_group(toks, i);
		else if (sd_lite__is_punct(&toks->v[i], ','))
			return i;
		else
			i++;
	}
	return group_end;
}

void
sd_lite__parse_table(lite_tabledef *out, sd_arena *a, const char *sql)
{
	parser p = {.a = a};
	coldef_vec cols = {0};
	condef_vec cons = {0};
	size_t group_end;

	memset(out, 0, sizeof(*out));
	sd_lite__lex(&p.toks, sql);
	while (p.i < p.toks.n && !sd_lite__is_punct(&p.toks.v[p.i], '('))
		p.i++;
	if (p.i == p.toks.n)
		goto out; /* CREATE TABLE ... AS SELECT: columns come from the pragma */
	group_end = sd_lite__skip_group(&p.toks, p.i) - 1;
	p.i++;
	while (p.i < group_end) {
		size_t end = element_end(&p.toks, p.i, group_end);
		if (end == p.i) { /* an empty element: "( , a)" */
			p.i = end + 1;
			continue;
		}
		if (starts_table_constraint(&p.toks.v[p.i]))
			table_constraint(&p, end, &cons);
		else
			column_def(&p, end, &cols, &cons);
		p.i = end + 1;
	}
out:
	out->cols = sd_arena_memdup(a, cols.ptr, cols.len, sizeof(*cols.ptr));
	out->n_cols = cols.len;
	out->cons = sd_arena_memdup(a, cons.ptr, cons.len, sizeof(*cons.ptr));
	out->n_cons = cons.len;
	sd_vec_dispose(&cols);
	sd_vec_dispose(&cons);
	free(p.toks.v);
}

void
sd_lite__parse_index(lite_indexdef *out, sd_arena *a, const char *sql)
{
	lite_toks toks;
	SD_VEC(const char *) exprs = {0};
	size_t i = 0, group_end;

	memset(out, 0, sizeof(*out));
	sd_lite__lex(&toks, sql);
	while (i < toks.n && !sd_lite__is(&toks.v[i], "on"))
		i++;
	while (i < toks.n && !sd_lite__is_punct(&toks.v[i], '('))
		i++;
	if (i == toks.n)
		goto out;
	group_end = sd_lite__skip_group(&toks, i) - 1;
	for (i++; i < group_end;) {
		size_t end = element_end(&toks, i, group_end), stop = end;
		/* Strip trailing ASC/DESC and COLLATE x: the pragma reports those. */
		if (stop > i && (sd_lite__is(&toks.v[stop - 1], "asc") ||
				 sd_lite__is(&toks.v[stop - 1], "desc")))
			stop--;
		if (stop > i + 1 && sd_lite__is(&toks.v[stop - 2], "collate"))
			stop -= 2;
		sd_vec_push(&exprs, sd_lite__canon_dup(a, toks.v, i, stop));
		i = end + 1;
	}
	if (group_end + 1 < toks.n && sd_lite__is(&toks.v[group_end + 1], "where")) {
		size_t stop = toks.n;
		if (stop > 0 && sd_lite__is_punct(&toks.v[stop - 1], ';'))
			stop--;
		out->predicate = sd_lite__canon_dup(a, toks.v, group_end + 2, stop);
	}
out:
	out->exprs = sd_arena_memdup(a, exprs.ptr, exprs.len, sizeof(*exprs.ptr));
	out->n_exprs = exprs.len;
	sd_vec_dispose(&exprs);
	free(toks.v);
}

char *
sd_lite__canon_sql(sd_arena *a, const char *sql)
{
	lite_toks toks;
	size_t n;
	char *out;

	sd_lite__lex(&toks, sql);
	n = toks.n;
	if (n > 0 && sd_lite__is_punct(&toks.v[n - 1], ';'))
		n--;
	out = sd_lite__canon_dup(a, toks.v, 0, n);
	free(toks.v);
	return out;
}

/* Index of the name token in CREATE [TEMP] TABLE [IF NOT EXISTS] [schema.]name. */
static size_t
create_name_at(const lite_toks *toks)
{
	size_t i = 0;

	while (i < toks->n && !sd_lite__is(&toks->v[i], "table"))
		i++;
	i++;
	if (i + 2 < toks->n && sd_lite__is(&toks->v[i], "if"))
		i += 3;
	if (i + 2 < toks->n && sd_lite__is_punct(&toks->v[i + 1], '.'))
		i += 2;
	return i;
}

bool
sd_lite__rename_create(sd_str *out, const char *sql, const char *new_name)
{
	lite_toks toks;
	size_t i;
	bool ok;

	sd_lite__lex(&toks, sql);
	i = create_name_at(&toks);
	ok = i < toks.n;
	if (ok) {
		const lite_tok *start = &toks.v[i];
		/* Drop a schema qualifier too: the new table lives where the plan runs. */
		if (i >= 2 && sd_lite__is_punct(&toks.v[i - 1], '.'))
			start = &toks.v[i - 2];
		sd_str_appendn(out, sql, (size_t)(start->p - sql));
		sd_lite_quote_ident(out, new_name);
		sd_str_append(out, toks.v[i].p + toks.v[i].n);
	}
	free(toks.v);
	return ok;
}

char *
sd_lite__create_name(sd_arena *a, const char *sql)
{
	lite_toks toks;
	size_t i;
	char *name = NULL;

	sd_lite__lex(&toks, sql);
	i = create_name_at(&toks);
	if (i < toks.n) {
		sd_str s;
		const lite_tok *t = &toks.v[i];
		sd_str_init(&s);
		sd_lite__unquote(&s, t);
		name = sd_arena_strndup(a, s.ptr, s.len);
		sd_str_dispose(&s);
	}
	free(toks.v);
	return name;
}

bool
sd_lite__mentions(const char *text, const char *name)
{
	lite_toks toks;
	sd_arena a;
	bool found = false;

	if (!text)
		return false;
	sd_arena_init(&a);
	sd_lite__lex(&toks, text);
	for (size_t i = 0; i < toks.n && !found; i++)
		if ((toks.v[i].type == LT_WORD || toks.v[i].type == LT_QIDENT) &&
		    strcmp(sd_lite__ident(&a, &toks.v[i]), name) == 0)
			found = true;
	free(toks.v);
	sd_arena_dispose(&a);
	return found;
}
