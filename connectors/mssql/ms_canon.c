/*
 * connectors/mssql/ms_canon.c: type names and expressions the way SQL
 * Server stores them, so that a hand-written script and an SSMS script of
 * the same database read the same.
 *
 * Types: synonyms folded (integer -> int, dec -> decimal, character
 * varying -> varchar, double precision -> float), default lengths and
 * precisions made explicit (varchar -> varchar(1), decimal -> decimal(18,0),
 * datetime2 -> datetime2(7)), float(1..24) -> real.
 *
 * Expressions (defaults, CHECK, computed columns, index filters): column
 * names bracketed, numbers in parentheses, no spaces around operators,
 * AND/OR/IS/NULL... upper case, x IN (a, b) spelled x=a OR x=b,
 * CURRENT_TIMESTAMP as getdate(), redundant parentheses dropped and one
 * pair around the whole: `DEFAULT 0` -> ((0)), `CHECK (qty >= 0)` ->
 * ([qty]>=(0)). Not done: SQL Server's rewriting of CAST to CONVERT and of
 * type names inside expressions.
 */
#include "connectors/mssql/ms_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- types ------------------------------------------------------------- */

typedef struct type_rule {
	const char *name;  /* as written, lower case */
	const char *canon; /* canonical base */
	const char *deflt; /* arguments when none are given, NULL when it takes none */
} type_rule;

static const type_rule type_rules[] = {
        {"bigint", "bigint", NULL},
        {"binary", "binary", "1"},
        {"bit", "bit", NULL},
        {"char", "char", "1"},
        {"character", "char", "1"},
        {"date", "date", NULL},
        {"datetime", "datetime", NULL},
        {"datetime2", "datetime2", "7"},
        {"datetimeoffset", "datetimeoffset", "7"},
        {"dec", "decimal", "18,0"},
        {"decimal", "decimal", "18,0"},
        {"float", "float", "53"},
        {"geography", "geography", NULL},
        {"geometry", "geometry", NULL},
        {"hierarchyid", "hierarchyid", NULL},
        {"image", "image", NULL},
        {"int", "int", NULL},
        {"integer", "int", NULL},
        {"money", "money", NULL},
        {"nchar", "nchar", "1"},
        {"ntext", "ntext", NULL},
        {"numeric", "numeric", "18,0"},
        {"nvarchar", "nvarchar", "1"},
        {"real", "real", NULL},
        {"rowversion", "timestamp", NULL},
        {"smalldatetime", "smalldatetime", NULL},
        {"smallint", "smallint", NULL},
        {"smallmoney", "smallmoney", NULL},
        {"sql_variant", "sql_variant", NULL},
        {"sysname", "sysname", NULL},
        {"text", "text", NULL},
        {"time", "time", "7"},
        {"timestamp", "timestamp", NULL},
        {"tinyint", "tinyint", NULL},
        {"uniqueidentifier", "uniqueidentifier", NULL},
        {"varbinary", "varbinary", "1"},
        {"varchar", "varchar", "1"},
        {"xml", "xml", NULL},
};

static const type_rule *
find_type(const char *name)
{
	for (size_t i = 0; i < sizeof(type_rules) / sizeof(*type_rules); i++)
		if (strcasecmp(type_rules[i].name, name) == 0)
			return &type_rules[i];
	return NULL;
}

/* Multi-word spellings: "character varying", "national char varying", "double precision". */
static const char *
multiword_type(const ms_tok *t, size_t from, size_t to, size_t *used)
{
	static const struct {
		const char *words[4];
		const char *name;
	} forms[] = {
	        {{"national", "character", "varying"}, "nvarchar"},
	        {{"national", "char", "varying"}, "nvarchar"},
	        {{"national", "character"}, "nchar"},
	        {{"national", "char"}, "nchar"},
	        {{"national", "text"}, "ntext"},
	        {{"character", "varying"}, "varchar"},
	        {{"char", "varying"}, "varchar"},
	        {{"binary", "varying"}, "varbinary"},
	        {{"double", "precision"}, "float"},
	};

	for (size_t f = 0; f < sizeof(forms) / sizeof(*forms); f++) {
		size_t k = 0;
		while (k < 4 && forms[f].words[k] && from + k < to &&
		       sd_ms__is(&t[from + k], forms[f].words[k]))
			k++;
		if (k >= 2 && (k == 4 || !forms[f].words[k])) {
			*used = k;
			return forms[f].name;
		}
	}
	return NULL;
}

/* "(10, 2)" -> "10,2"; "(MAX)" -> "max". */
static void
type_args(sd_str *s, const ms_tok *t, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (sd_ms__is_punct(&t[i], '(') || sd_ms__is_punct(&t[i], ')'))
			continue;
		if (sd_ms__is(&t[i], "max"))
			sd_str_append(s, "max");
		else if (!sd_ms__is_punct(&t[i], ',') || s->len)
			sd_str_appendn(s, t[i].p, t[i].n);
	}
}

static const char *
builtin_type(sd_arena *a, const type_rule *r, const char *args)
{
	if (strcmp(r->canon, "float") == 0) {
		int bits = *args ? atoi(args) : 53;
		return bits <= 24 ? "real" : "float";
	}
	if (!r->deflt)
		return sd_arena_strdup(a, r->canon);
	if (!*args)
		args = r->deflt;
	if ((strcmp(r->canon, "decimal") == 0 || strcmp(r->canon, "numeric") == 0) &&
	    !strchr(args, ','))
		return sd_arena_printf(a, "%s(%s,0)", r->canon, args);
	return sd_arena_printf(a, "%s(%s)", r->canon, args);
}

const char *
sd_ms__type(sd_arena *a, const ms_tok *t, size_t from, size_t to)
{
	size_t used = 1, args_at;
	const char *multi = multiword_type(t, from, to, &used);
	const type_rule *r;
	sd_str args, name;
	const char *out;

	sd_str_init(&args);
	sd_str_init(&name);
	args_at = from + used;
	if (!multi && from + 2 < to && sd_ms__is_punct(&t[from + 1], '.')) {
		args_at = from + 3; /* schema.type: a user type */
	}
	type_args(&args, t, args_at, to);
	if (multi) {
		out = builtin_type(a, find_type(multi), args.ptr);
	} else {
		sd_ms__unquote(&name, &t[from]);
		r = args_at == from + 1 ? find_type(name.ptr) : NULL;
		if (r) {
			out = builtin_type(a, r, args.ptr);
		} else {
			/* An alias type: [schema].[name], dbo when unqualified. */
			sd_str q;
			sd_str_init(&q);
			if (args_at == from + 3) {
				sd_str_clear(&name);
				sd_ms__unquote(&name, &t[from]);
				sd_ms_quote_ident(&q, name.ptr);
				sd_str_clear(&name);
				sd_ms__unquote(&name, &t[from + 2]);
			} else {
				sd_ms_quote_ident(&q, "dbo");
			}
			sd_str_appendc(&q, '.');
			sd_ms_quote_ident(&q, name.ptr);
			out = sd_arena_strndup(a, q.ptr, q.len);
			sd_str_dispose(&q);
		}
	}
	sd_str_dispose(&args);
	sd_str_dispose(&name);
	return out;
}

/* ---- system names -------------------------------------------------------- */

bool
sd_ms__is_system_name(const char *name)
{
	static const char *const prefixes[] = {"PK__", "UQ__", "FK__", "CK__", "DF__"};
	const char *tail;
	size_t hex = 0;
	bool prefixed = false;

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++)
		if (strncmp(name, prefixes[i], 4) == 0)
			prefixed = true;
	tail = strrchr(name, '_');
	if (!prefixed || !tail || tail - name < 5 || tail[-1] != '_')
		return false;
	for (tail++; isxdigit((unsigned char)tail[hex]); hex++)
		;
	return tail[hex] == '\0' && hex >= 8 && hex <= 16;
}

/* ---- stored expressions -------------------------------------------------- */

/* An expression token: a lexer token, or a synthetic one (signed number, expansion). */
typedef struct etok {
	ms_tok_type type;
	const char *p;
	size_t n;
} etok;

typedef SD_VEC(etok) etok_vec;

static bool
e_is(const etok *t, const char *w)
{
	return t->type == MT_WORD && strlen(w) == t->n && strncasecmp(t->p, w, t->n) == 0;
}

static bool
e_punct(const etok *t, char c)
{
	return t->type == MT_PUNCT && t->p[0] == c;
}

static const char *const expr_keywords[] = {
        "all",      "and",  "any",  "as",     "between", "case", "collate",
        "distinct", "else", "end",  "escape", "exists",  "in",   "is",
        "like",     "not",  "null", "or",     "some",    "then", "when",
};

static bool
e_keyword(const etok *t)
{
	for (size_t i = 0; i < sizeof(expr_keywords) / sizeof(*expr_keywords); i++)
		if (e_is(t, expr_keywords[i]))
			return true;
	return false;
}

/* Index past the group opening at i in v, or v->len. */
static size_t
e_skip_group(const etok_vec *v, size_t i)
{
	int depth = 0;

	for (; i < v->len; i++) {
		if (e_punct(&v->ptr[i], '('))
			depth++;
		else if (e_punct(&v->ptr[i], ')') && --depth == 0)
			return i + 1;
	}
	return v->len;
}

static bool
operand_start(const etok *prev)
{
	return !prev || prev->type == MT_OP || e_punct(prev, '(') || e_punct(prev, ',') ||
	       e_keyword(prev);
}

/* Lexer tokens -> expression tokens, unary minus folded into the number after it. */
static void
to_etoks(etok_vec *v, sd_arena *a, const ms_tok *t, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		etok e = {t[i].type, t[i].p, t[i].n};
		const etok *prev = v->len ? &v->ptr[v->len - 1] : NULL;
		if ((sd_ms__is_op(&t[i], "-") || sd_ms__is_op(&t[i], "+")) && i + 1 < to &&
		    t[i + 1].type == MT_NUMBER && operand_start(prev)) {
			e.type = MT_NUMBER;
			e.p = sd_ms__is_op(&t[i], "-")
			              ? sd_arena_printf(a, "-%.*s", (int)t[i + 1].n, t[i + 1].p)
			              : t[i + 1].p;
			e.n = t[i + 1].n + (sd_ms__is_op(&t[i], "-") ? 1 : 0);
			i++;
		}
		sd_vec_push(v, e);
	}
}

static bool
atom(const etok *t)
{
	return t->type == MT_NUMBER || t->type == MT_STRING || t->type == MT_QIDENT ||
	       t->type == MT_VAR || (t->type == MT_WORD && !e_keyword(t)) || e_is(t, "null");
}

static bool
literal(const etok *t)
{
	return t->type == MT_NUMBER || t->type == MT_STRING;
}

/*
 * x [NOT] IN (a, b) -> (x=a OR x=b) / (x<>a AND x<>b), when x is a column
 * and the list holds plain values: how SQL Server stores it.
 */
static void
expand_in(etok_vec *v)
{
	static const etok lp = {MT_PUNCT, "(", 1}, rp = {MT_PUNCT, ")", 1};
	static const etok eq = {MT_OP, "=", 1}, ne = {MT_OP, "<>", 2};
	static const etok or_ = {MT_WORD, "OR", 2}, and_ = {MT_WORD, "AND", 3};
	etok_vec out = {0};

	for (size_t i = 0; i < v->len; i++) {
		bool neg =
		        i + 2 < v->len && e_is(&v->ptr[i + 1], "not") && e_is(&v->ptr[i + 2], "in");
		size_t in_at = i + (neg ? 2 : 1), end;
		bool plain = true;
		if (!((v->ptr[i].type == MT_QIDENT ||
		       (v->ptr[i].type == MT_WORD && !e_keyword(&v->ptr[i]))) &&
		      in_at + 1 < v->len && e_is(&v->ptr[in_at], "in") &&
		      e_punct(&v->ptr[in_at + 1], '(')) ||
		    (i > 0 && e_punct(&v->ptr[i - 1], '.'))) {
			sd_vec_push(&out, v->ptr[i]);
			continue;
		}
		end = e_skip_group(v, in_at + 1);
		if (!e_punct(&v->ptr[end - 1], ')') || end - in_at < 4)
			plain = false;
		for (size_t k = in_at + 2; plain && k + 1 < end; k++)
			if (!(k % 2 == in_at % 2 ? literal(&v->ptr[k]) : e_punct(&v->ptr[k], ',')))
				plain = false;
		if (!plain) {
			sd_vec_push(&out, v->ptr[i]);
			continue;
		}
		sd_vec_push(&out, lp);
		for (size_t k = in_at + 2; k + 1 < end; k += 2) {
			if (k > in_at + 2)
				sd_vec_push(&out, neg ? and_ : or_);
			sd_vec_push(&out, v->ptr[i]);
			sd_vec_push(&out, neg ? ne : eq);
			sd_vec_push(&out, v->ptr[k]);
		}
		sd_vec_push(&out, rp);
		i = end - 1;
	}
	sd_vec_dispose(v);
	*v = out;
}

/* [from, to) with every pair of parentheses around all of it removed. */
static void
strip_outer(const etok_vec *v, size_t *from, size_t *to)
{
	while (*to - *from >= 2 && e_punct(&v->ptr[*from], '(') && e_skip_group(v, *from) == *to)
		(*from)++, (*to)--;
}

static bool
is_call(const etok_vec *v, size_t paren)
{
	const etok *prev = paren > 0 ? &v->ptr[paren - 1] : NULL;

	return prev && (prev->type == MT_QIDENT || (prev->type == MT_WORD && !e_keyword(prev)) ||
	                e_is(prev, "in") || e_is(prev, "exists"));
}

static void render(sd_str *s, const etok_vec *v, size_t from, size_t to);

/* The first argument of DATEADD and friends is a datepart keyword, never a column. */
static bool
datepart_at(const etok_vec *v, size_t i)
{
	static const char *const fns[] = {"dateadd",  "datediff",  "datediff_big", "datename",
	                                  "datepart", "datetrunc", "date_bucket"};

	if (i < 2 || !e_punct(&v->ptr[i - 1], '(') || v->ptr[i].type != MT_WORD)
		return false;
	for (size_t k = 0; k < sizeof(fns) / sizeof(*fns); k++)
		if (e_is(&v->ptr[i - 2], fns[k]))
			return true;
	return false;
}

static void
render_token(sd_str *s, const etok_vec *v, size_t i)
{
	const etok *t = &v->ptr[i];
	bool call = i + 1 < v->len && e_punct(&v->ptr[i + 1], '(');

	switch (t->type) {
	case MT_NUMBER:
		sd_str_appendf(s, "(%.*s)", (int)t->n, t->p);
		return;
	case MT_QIDENT:
	case MT_WORD: {
		sd_str raw;
		size_t at = s->len;
		ms_tok lt = {t->type, t->p, t->n, 0};
		if (t->type == MT_WORD && e_keyword(t)) {
			sd_str_appendn(s, t->p, t->n);
			for (char *c = s->ptr + at; *c; c++)
				*c = (char)toupper((unsigned char)*c);
			return;
		}
		if (t->type == MT_WORD &&
		    (call || e_is(t, "current_timestamp") || datepart_at(v, i))) {
			if (e_is(t, "current_timestamp")) {
				sd_str_append(s, "getdate()");
				return;
			}
			sd_str_appendn(s, t->p, t->n);
			for (char *c = s->ptr + at; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			return;
		}
		sd_str_init(&raw);
		sd_ms__unquote(&raw, &lt);
		sd_ms_quote_ident(s, raw.ptr);
		sd_str_dispose(&raw);
		return;
	}
	case MT_STRING:
		sd_str_appendn(s, t->p, t->n);
		if (s->ptr[s->len - t->n] == 'n')
			s->ptr[s->len - t->n] = 'N';
		return;
	case MT_OP:
		if (t->n == 2 && t->p[0] == '!' && t->p[1] == '=')
			sd_str_append(s, "<>");
		else
			sd_str_appendn(s, t->p, t->n);
		return;
	default:
		sd_str_appendn(s, t->p, t->n);
		return;
	}
}

/* Words that take spaces around them; everything else is written tight. */
static bool
spaced(const etok *t)
{
	return t->type == MT_WORD && e_keyword(t);
}

static void
render(sd_str *s, const etok_vec *v, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		const etok *t = &v->ptr[i];
		if (i > from && (spaced(t) || spaced(&v->ptr[i - 1])) && !e_punct(t, ')') &&
		    !e_punct(&v->ptr[i - 1], '('))
			sd_str_appendc(s, ' ');
		if (e_is(t, "next") && i + 2 < to && e_is(&v->ptr[i + 1], "value") &&
		    e_is(&v->ptr[i + 2], "for")) {
			sd_str_append(s, "NEXT VALUE FOR ");
			i += 2;
			continue;
		}
		if (e_punct(t, '(')) {
			size_t end = e_skip_group(v, i), in = i + 1, out = end - 1;
			if (is_call(v, i)) {
				sd_str_appendc(s, '(');
				render(s, v, in, out);
				sd_str_appendc(s, ')');
			} else {
				strip_outer(v, &in, &out);
				if (out - in == 1 && atom(&v->ptr[in]) &&
				    v->ptr[in].type != MT_NUMBER) {
					render(s, v, in, out);
				} else if (out - in == 1 && v->ptr[in].type == MT_NUMBER) {
					render(s, v, in, out); /* numbers carry their own () */
				} else {
					sd_str_appendc(s, '(');
					render(s, v, in, out);
					sd_str_appendc(s, ')');
				}
			}
			i = end - 1;
			continue;
		}
		render_token(s, v, i);
	}
}

const char *
sd_ms__stored_expr(sd_arena *a, const ms_tok *t, size_t from, size_t to)
{
	etok_vec v = {0};
	size_t in = 0, out;
	sd_str s;
	const char *text;

	to_etoks(&v, a, t, from, to);
	expand_in(&v);
	out = v.len;
	strip_outer(&v, &in, &out);
	sd_str_init(&s);
	sd_str_appendc(&s, '(');
	render(&s, &v, in, out);
	sd_str_appendc(&s, ')');
	text = sd_arena_strndup(a, s.ptr, s.len);
	sd_str_dispose(&s);
	sd_vec_dispose(&v);
	return text;
}

const char *
sd_ms__stored_text(sd_arena *a, const char *text)
{
	ms_toks toks;
	int bad;
	const char *out = NULL;

	if (sd_ms__lex(&toks, text, &bad))
		out = sd_ms__stored_expr(a, toks.v, 0, toks.n);
	free(toks.v);
	return out;
}
