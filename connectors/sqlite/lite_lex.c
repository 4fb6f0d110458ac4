/*
 * connectors/sqlite/lite_lex.c: SQLite tokenizer and canonical rendering.
 *
 * Canonical spelling: keywords and unquoted identifiers in lower case,
 * quoted identifiers unquoted when they are plain words that are not
 * keywords, `==` as `=` and `<>` as `!=`, and one fixed rule for spaces.
 * SQLite folds only ASCII case, and so do we.
 */
#include "connectors/sqlite/lite_lex.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static bool
is_ident_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static bool
is_ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Length of a quoted run starting at s (s[0] is the opening quote). */
static size_t
quoted_len(const char *s, char close)
{
	size_t i = 1;

	for (;;) {
		if (!s[i])
			return i;
		if (s[i] == close) {
			if (close != ']' && s[i + 1] == close) {
				i += 2;
				continue;
			}
			return i + 1;
		}
		i++;
	}
}

static size_t
number_len(const char *s)
{
	size_t i = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		i = 2;
		while (isxdigit((unsigned char)s[i]))
			i++;
		return i;
	}
	while (isdigit((unsigned char)s[i]) || s[i] == '_')
		i++;
	if (s[i] == '.') {
		i++;
		while (isdigit((unsigned char)s[i]))
			i++;
	}
	if ((s[i] == 'e' || s[i] == 'E') &&
	    (isdigit((unsigned char)s[i + 1]) ||
	     ((s[i + 1] == '+' || s[i + 1] == '-') && isdigit((unsigned char)s[i + 2])))) {
		i += 2;
		while (isdigit((unsigned char)s[i]))
			i++;
	}
	return i;
}

static size_t
op_len(const char *s)
{
	static const char *const two[] = {"||", "<<", ">>", "<=", ">=", "==", "!=", "<>", "->"};

	if (s[0] == '-' && s[1] == '>' && s[2] == '>')
		return 3;
	for (size_t i = 0; i < sizeof(two) / sizeof(*two); i++)
		if (s[0] == two[i][0] && s[1] == two[i][1])
			return 2;
	return 1;
}

/* Classifies the token at s; returns its length (0 for whitespace/comment skip). */
static size_t
scan(const char *s, lite_tok_type *type)
{
	unsigned char c = (unsigned char)s[0];

	if ((c == 'x' || c == 'X') && s[1] == '\'') {
		*type = LT_BLOB;
		return 1 + quoted_len(s + 1, '\'');
	}
	if (is_ident_start(c)) {
		size_t i = 1;
		while (is_ident_char((unsigned char)s[i]))
			i++;
		*type = LT_WORD;
		return i;
	}
	if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[1]))) {
		*type = LT_NUMBER;
		return number_len(s);
	}
	switch (c) {
	case '"':
		*type = LT_QIDENT;
		return quoted_len(s, '"');
	case '`':
		*type = LT_QIDENT;
		return quoted_len(s, '`');
	case '[':
		*type = LT_QIDENT;
		return quoted_len(s, ']');
	case '\'':
		*type = LT_STRING;
		return quoted_len(s, '\'');
	case '(':
	case ')':
	case ',':
	case ';':
	case '.':
		*type = LT_PUNCT;
		return 1;
	case '?':
	case ':':
	case '@':
	case '$': {
		size_t i = 1;
		while (is_ident_char((unsigned char)s[i]))
			i++;
		*type = LT_PARAM;
		return i;
	}
	default:
		*type = LT_OP;
		return op_len(s);
	}
}

void
sd_lite__lex(lite_toks *toks, const char *sql)
{
	SD_VEC(lite_tok) v = {0};
	const char *s = sql;

	while (*s) {
		lite_tok t;
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (s[0] == '-' && s[1] == '-') {
			while (*s && *s != '\n')
				s++;
			continue;
		}
		if (s[0] == '/' && s[1] == '*') {
			const char *end = strstr(s + 2, "*/");
			s = end ? end + 2 : s + strlen(s);
			continue;
		}
		t.p = s;
		t.n = scan(s, &t.type);
		s += t.n;
		sd_vec_push(&v, t);
	}
	toks->v = v.ptr;
	toks->n = v.len;
}

bool
sd_lite__is(const lite_tok *t, const char *w)
{
	return t->type == LT_WORD && strlen(w) == t->n && strncasecmp(t->p, w, t->n) == 0;
}

bool
sd_lite__is_punct(const lite_tok *t, char c)
{
	return t->type == LT_PUNCT && t->p[0] == c;
}

void
sd_lite__unquote(sd_str *out, const lite_tok *t)
{
	char q;

	if (t->type != LT_QIDENT && t->type != LT_STRING) {
		sd_str_appendn(out, t->p, t->n);
		return;
	}
	q = t->p[0] == '[' ? ']' : t->p[0];
	for (size_t i = 1; i < t->n; i++) {
		if (t->p[i] == q) {
			if (q != ']' && i + 1 < t->n && t->p[i + 1] == q) {
				sd_str_appendc(out, q);
				i++;
				continue;
			}
			break; /* the closing quote */
		}
		sd_str_appendc(out, t->p[i]);
	}
}

static void
ascii_lower(char *p)
{
	for (; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

char *
sd_lite__ident(sd_arena *a, const lite_tok *t)
{
	sd_str s;
	char *out;

	sd_str_init(&s);
	sd_lite__unquote(&s, t);
	ascii_lower(s.ptr);
	out = sd_arena_strndup(a, s.ptr, s.len);
	sd_str_dispose(&s);
	return out;
}

static bool
is_keyword(const char *p, size_t n)
{
	return sqlite3_keyword_check(p, (int)n) != 0;
}

static bool
plain_word(const char *p, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)p[0]) || p[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)p[i]) || p[i] == '_'))
			return false;
	return true;
}

static void
canon_token(sd_str *out, const lite_tok *t)
{
	size_t start = out->len;

	switch (t->type) {
	case LT_WORD:
		sd_str_appendn(out, t->p, t->n);
		ascii_lower(out->ptr + start);
		return;
	case LT_QIDENT: {
		sd_str raw;
		sd_str_init(&raw);
		sd_lite__unquote(&raw, t);
		ascii_lower(raw.ptr);
		if (plain_word(raw.ptr, raw.len) && !is_keyword(raw.ptr, raw.len)) {
			sd_str_append(out, raw.ptr);
		} else {
			sd_lite_quote_ident(out, raw.ptr);
		}
		sd_str_dispose(&raw);
		return;
	}
	case LT_OP:
		if (t->n == 2 && t->p[0] == '=' && t->p[1] == '=')
			sd_str_append(out, "=");
		else if (t->n == 2 && t->p[0] == '<' && t->p[1] == '>')
			sd_str_append(out, "!=");
		else
			sd_str_appendn(out, t->p, t->n);
		return;
	default:
		sd_str_appendn(out, t->p, t->n);
		return;
	}
}

static bool
wordish(const lite_tok *t)
{
	return t->type == LT_WORD || t->type == LT_QIDENT;
}

/* The one spacing rule: no space inside parentheses, before , . ( after words, after . */
static bool
needs_space(const lite_tok *prev, const lite_tok *t)
{
	if (sd_lite__is_punct(prev, '(') || sd_lite__is_punct(prev, '.'))
		return false;
	if (t->type == LT_PUNCT && t->p[0] != '(')
		return false;
	if (sd_lite__is_punct(t, '(') && wordish(prev) && !is_keyword(prev->p, prev->n))
		return false;
	return true;
}

void
sd_lite__canon(sd_str *out, const lite_tok *t, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (i > from && needs_space(&t[i - 1], &t[i]))
			sd_str_appendc(out, ' ');
		canon_token(out, &t[i]);
	}
}

char *
sd_lite__canon_dup(sd_arena *a, const lite_tok *t, size_t from, size_t to)
{
	sd_str s;
	char *out;

	sd_str_init(&s);
	sd_lite__canon(&s, t, from, to);
	out = sd_arena_strndup(a, s.ptr, s.len);
	sd_str_dispose(&s);
	return out;
}

size_t
sd_lite__skip_group(const lite_toks *toks, size_t i)
{
	int depth = 0;

	for (; i < toks->n; i++) {
		if (sd_lite__is_punct(&toks->v[i], '('))
			depth++;
		else if (sd_lite__is_punct(&toks->v[i], ')') && --depth == 0)
			return i + 1;
	}
	return toks->n;
}

void
sd_lite_quote_ident(sd_str *s, const char *id)
{
	sd_str_appendc(s, '"');
	for (; *id; id++) {
		if (*id == '"')
			sd_str_appendc(s, '"');
		sd_str_appendc(s, *id);
	}
	sd_str_appendc(s, '"');
}
