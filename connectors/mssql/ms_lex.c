/*
 * connectors/mssql/ms_lex.c: T-SQL tokenizer and canonical rendering.
 *
 * Canonical spelling (module bodies are compared in it): words, variables
 * and identifiers in lower case (SQL Server's default collation ignores
 * case), a quoted identifier unquoted when it is a plain word and not a
 * keyword, `!=` as `<>`, `INNER JOIN` as `JOIN`, `DECLARE @v AS t` as
 * `DECLARE @v t`, and one fixed rule for spaces. String literals are kept
 * as written.
 */
#include "connectors/mssql/ms_lex.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool
is_ident_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c == '#' || c >= 0x80;
}

static bool
is_ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c == '#' || c == '@' || c >= 0x80;
}

/* Length of a quoted run at s (s[0] opens it), doubled closers kept; 0 when unclosed. */
static size_t
quoted_len(const char *s, char close)
{
	for (size_t i = 1; s[i]; i++) {
		if (s[i] != close)
			continue;
		if (s[i + 1] == close) {
			i++;
			continue;
		}
		return i + 1;
	}
	return 0;
}

static size_t
number_len(const char *s)
{
	size_t i = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (i = 2; isxdigit((unsigned char)s[i]); i++)
			;
		return i;
	}
	while (isdigit((unsigned char)s[i]))
		i++;
	if (s[i] == '.')
		for (i++; isdigit((unsigned char)s[i]); i++)
			;
	if ((s[i] == 'e' || s[i] == 'E') &&
	    (isdigit((unsigned char)s[i + 1]) ||
	     ((s[i + 1] == '+' || s[i + 1] == '-') && isdigit((unsigned char)s[i + 2]))))
		for (i += 2; isdigit((unsigned char)s[i]); i++)
			;
	return i;
}

static size_t
op_len(const char *s)
{
	static const char *const two[] = {"<>", "!=", ">=", "<=", "!<", "!>", "+=", "-=",
	                                  "*=", "/=", "%=", "&=", "|=", "^=", "::"};

	for (size_t i = 0; i < sizeof(two) / sizeof(*two); i++)
		if (s[0] == two[i][0] && s[1] == two[i][1])
			return 2;
	return 1;
}

/* Classifies the token at s and returns its length; 0 for an unclosed quote. */
static size_t
scan(const char *s, ms_tok_type *type)
{
	unsigned char c = (unsigned char)s[0];

	if ((c == 'N' || c == 'n') && s[1] == '\'') {
		size_t n = quoted_len(s + 1, '\'');
		*type = MT_STRING;
		return n ? n + 1 : 0;
	}
	if (is_ident_start(c)) {
		size_t i = 1;
		while (is_ident_char((unsigned char)s[i]))
			i++;
		*type = MT_WORD;
		return i;
	}
	if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[1]))) {
		*type = MT_NUMBER;
		return number_len(s);
	}
	switch (c) {
	case '"':
		*type = MT_QIDENT;
		return quoted_len(s, '"');
	case '[':
		*type = MT_QIDENT;
		return quoted_len(s, ']');
	case '\'':
		*type = MT_STRING;
		return quoted_len(s, '\'');
	case '(':
	case ')':
	case ',':
	case ';':
	case '.':
		*type = MT_PUNCT;
		return 1;
	case '@': {
		size_t i = 1;
		while (is_ident_char((unsigned char)s[i]))
			i++;
		*type = MT_VAR;
		return i;
	}
	default:
		*type = MT_OP;
		return op_len(s);
	}
}

/* Skips a nested block comment at s ("/" "*"); NULL when it never closes. */
static const char *
skip_block_comment(const char *s, int *line)
{
	int depth = 0;

	for (; *s; s++) {
		if (s[0] == '/' && s[1] == '*') {
			depth++;
			s++;
		} else if (s[0] == '*' && s[1] == '/') {
			s++;
			if (--depth == 0)
				return s + 1;
		} else if (*s == '\n') {
			(*line)++;
		}
	}
	return NULL;
}

/* GO alone on its line (optionally "GO n" or a trailing comment) separates batches. */
static bool
is_go(const char *text, const char *s, size_t n)
{
	const char *p;

	if (n != 2 || strncasecmp(s, "go", 2) != 0)
		return false;
	for (p = s; p > text && (p[-1] == ' ' || p[-1] == '\t'); p--)
		;
	if (p > text && p[-1] != '\n' && p[-1] != '\r')
		return false;
	for (p = s + 2; *p == ' ' || *p == '\t'; p++)
		;
	while (isdigit((unsigned char)*p))
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	return !*p || *p == '\n' || *p == '\r' || (p[0] == '-' && p[1] == '-');
}

bool
sd_ms__lex(ms_toks *toks, const char *text, int *bad_line)
{
	SD_VEC(ms_tok) v = {0};
	const char *s = text;
	int line = 1;
	bool ok = true;

	while (*s) {
		ms_tok t;
		if (*s == '\n') {
			line++;
			s++;
			continue;
		}
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (s[0] == '-' && s[1] == '-') {
			s += strcspn(s, "\n");
			continue;
		}
		if (s[0] == '/' && s[1] == '*') {
			int start = line;
			if (!(s = skip_block_comment(s, &line))) {
				*bad_line = start;
				ok = false;
				break;
			}
			continue;
		}
		t.p = s;
		t.line = line;
		if (!(t.n = scan(s, &t.type))) {
			*bad_line = line;
			ok = false;
			break;
		}
		if (t.type == MT_WORD && is_go(text, s, t.n)) {
			t.type = MT_GO;
			t.n = strcspn(s, "\r\n"); /* GO n and any comment after it */
		}
		for (size_t i = 0; i < t.n; i++)
			if (s[i] == '\n')
				line++;
		s += t.n;
		sd_vec_push(&v, t);
	}
	toks->v = v.ptr;
	toks->n = v.len;
	return ok;
}

bool
sd_ms__is(const ms_tok *t, const char *w)
{
	return t->type == MT_WORD && strlen(w) == t->n && strncasecmp(t->p, w, t->n) == 0;
}

bool
sd_ms__is_punct(const ms_tok *t, char c)
{
	return t->type == MT_PUNCT && t->p[0] == c;
}

bool
sd_ms__is_op(const ms_tok *t, const char *op)
{
	return t->type == MT_OP && strlen(op) == t->n && strncmp(t->p, op, t->n) == 0;
}

/* Reserved words (SQL Server 2022 docs) and the words this reader parses as syntax. */
static const char *const keywords[] = {
        "action",
        "add",
        "after",
        "all",
        "alter",
        "and",
        "ansi_nulls",
        "ansi_padding",
        "ansi_warnings",
        "any",
        "arithabort",
        "as",
        "asc",
        "authorization",
        "begin",
        "between",
        "break",
        "browse",
        "bulk",
        "by",
        "cache",
        "cascade",
        "case",
        "check",
        "checkpoint",
        "close",
        "clustered",
        "coalesce",
        "collate",
        "column",
        "columnstore",
        "commit",
        "compute",
        "concat_null_yields_null",
        "constraint",
        "contains",
        "continue",
        "convert",
        "create",
        "cross",
        "current",
        "current_date",
        "current_time",
        "current_timestamp",
        "current_user",
        "cursor",
        "cycle",
        "database",
        "dbcc",
        "deallocate",
        "declare",
        "default",
        "delete",
        "deny",
        "desc",
        "disk",
        "distinct",
        "distributed",
        "double",
        "drop",
        "dump",
        "else",
        "encryption",
        "end",
        "errlvl",
        "escape",
        "except",
        "exec",
        "execute",
        "exists",
        "exit",
        "external",
        "fetch",
        "file",
        "filestream",
        "fillfactor",
        "for",
        "foreign",
        "freetext",
        "from",
        "full",
        "function",
        "goto",
        "grant",
        "group",
        "having",
        "holdlock",
        "identity",
        "identity_insert",
        "identitycol",
        "if",
        "in",
        "include",
        "increment",
        "index",
        "inner",
        "insert",
        "instead",
        "intersect",
        "into",
        "is",
        "join",
        "key",
        "kill",
        "left",
        "like",
        "lineno",
        "load",
        "maxvalue",
        "merge",
        "minvalue",
        "national",
        "next",
        "no",
        "nocheck",
        "nocount",
        "nonclustered",
        "not",
        "null",
        "nullif",
        "numeric_roundabort",
        "of",
        "off",
        "offsets",
        "on",
        "open",
        "openquery",
        "openrowset",
        "openxml",
        "option",
        "or",
        "order",
        "outer",
        "output",
        "over",
        "percent",
        "persisted",
        "pivot",
        "plan",
        "precision",
        "primary",
        "print",
        "proc",
        "procedure",
        "public",
        "quoted_identifier",
        "raiserror",
        "read",
        "readonly",
        "readtext",
        "recompile",
        "reconfigure",
        "references",
        "replication",
        "restore",
        "restrict",
        "return",
        "returns",
        "revert",
        "revoke",
        "right",
        "rollback",
        "rowcount",
        "rowguidcol",
        "rule",
        "save",
        "schema",
        "schemabinding",
        "securityaudit",
        "select",
        "sequence",
        "session_user",
        "set",
        "setuser",
        "shutdown",
        "some",
        "sparse",
        "start",
        "statistics",
        "system_user",
        "table",
        "tablesample",
        "textimage_on",
        "textsize",
        "then",
        "to",
        "top",
        "tran",
        "transaction",
        "trigger",
        "truncate",
        "try_convert",
        "tsequal",
        "type",
        "union",
        "unique",
        "unpivot",
        "update",
        "updatetext",
        "use",
        "user",
        "value",
        "values",
        "varying",
        "view",
        "waitfor",
        "when",
        "where",
        "while",
        "with",
        "within",
        "writetext",
        "xact_abort",
};

/* Of those, the words T-SQL lets a bare name be (not reserved), sorted. */
static const char *const contextual[] = {
        "action",
        "after",
        "ansi_nulls",
        "ansi_padding",
        "ansi_warnings",
        "arithabort",
        "cache",
        "columnstore",
        "concat_null_yields_null",
        "cycle",
        "encryption",
        "filestream",
        "include",
        "increment",
        "instead",
        "maxvalue",
        "minvalue",
        "next",
        "no",
        "nocount",
        "numeric_roundabort",
        "output",
        "persisted",
        "quoted_identifier",
        "readonly",
        "recompile",
        "returns",
        "schemabinding",
        "sequence",
        "sparse",
        "start",
        "textimage_on",
        "type",
        "value",
        "xact_abort",
};

static int
cmp_keyword(const void *key, const void *elem)
{
	return strcasecmp(key, *(const char *const *)elem);
}

static bool
in_list(const char *const *list, size_t n_list, const char *p, size_t n)
{
	char buf[32];

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return bsearch(buf, list, n_list, sizeof(*list), cmp_keyword) != NULL;
}

bool
sd_ms__is_keyword(const char *p, size_t n)
{
	return in_list(keywords, sizeof(keywords) / sizeof(*keywords), p, n);
}

bool
sd_ms__is_reserved(const char *p, size_t n)
{
	return sd_ms__is_keyword(p, n) &&
	       !in_list(contextual, sizeof(contextual) / sizeof(*contextual), p, n);
}

void
sd_ms__unquote(sd_str *out, const ms_tok *t)
{
	const char *p = t->p;
	size_t n = t->n;
	char close;

	if (t->type != MT_QIDENT && t->type != MT_STRING) {
		sd_str_appendn(out, p, n);
		return;
	}
	if (p[0] == 'N' || p[0] == 'n') {
		p++;
		n--;
	}
	close = p[0] == '[' ? ']' : p[0];
	for (size_t i = 1; i + 1 < n; i++) {
		sd_str_appendc(out, p[i]);
		if (p[i] == close)
			i++; /* a doubled closer stands for one */
	}
}

char *
sd_ms__ident(sd_arena *a, const ms_tok *t)
{
	sd_str s;
	char *out;

	sd_str_init(&s);
	sd_ms__unquote(&s, t);
	out = sd_arena_strndup(a, s.ptr, s.len);
	sd_str_dispose(&s);
	return out;
}

static void
ascii_lower(char *p)
{
	for (; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
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
canon_token(sd_str *out, const ms_tok *t)
{
	size_t start = out->len;

	switch (t->type) {
	case MT_WORD:
	case MT_VAR:
		sd_str_appendn(out, t->p, t->n);
		ascii_lower(out->ptr + start);
		return;
	case MT_QIDENT: {
		sd_str raw;
		sd_str_init(&raw);
		sd_ms__unquote(&raw, t);
		ascii_lower(raw.ptr);
		if (plain_word(raw.ptr, raw.len) && !sd_ms__is_reserved(raw.ptr, raw.len))
			sd_str_append(out, raw.ptr);
		else
			sd_ms_quote_ident(out, raw.ptr);
		sd_str_dispose(&raw);
		return;
	}
	case MT_STRING:
		sd_str_appendn(out, t->p, t->n);
		if (out->ptr[start] == 'n')
			out->ptr[start] = 'N';
		return;
	case MT_OP:
		if (sd_ms__is_op(t, "!="))
			sd_str_append(out, "<>");
		else
			sd_str_appendn(out, t->p, t->n);
		return;
	default:
		sd_str_appendn(out, t->p, t->n);
		return;
	}
}

static bool
wordish(const ms_tok *t)
{
	return t->type == MT_WORD || t->type == MT_QIDENT;
}

/* The one spacing rule: none inside parentheses, before , . ; ) or after "."; none before a call's
 * "(". */
static bool
needs_space(const ms_tok *prev, const ms_tok *t)
{
	if (sd_ms__is_punct(prev, '(') || sd_ms__is_punct(prev, '.'))
		return false;
	if (t->type == MT_PUNCT && t->p[0] != '(')
		return false;
	if (sd_ms__is_punct(t, '(') && wordish(prev) && !sd_ms__is_keyword(prev->p, prev->n))
		return false;
	return true;
}

/* Spellings that mean the same statement: returns how many tokens at i to skip. */
static size_t
redundant_at(const ms_tok *t, size_t i, size_t to)
{
	/* INNER JOIN is JOIN */
	if (sd_ms__is(&t[i], "inner") && i + 1 < to && sd_ms__is(&t[i + 1], "join"))
		return 1;
	/* DECLARE @v AS type is DECLARE @v type */
	if (sd_ms__is(&t[i], "as") && i >= 2 && t[i - 1].type == MT_VAR &&
	    sd_ms__is(&t[i - 2], "declare"))
		return 1;
	return 0;
}

void
sd_ms__canon(sd_str *out, const ms_tok *t, size_t from, size_t to)
{
	const ms_tok *prev = NULL;

	for (size_t i = from; i < to; i++) {
		size_t skip = redundant_at(t, i, to);
		if (skip) {
			i += skip - 1;
			continue;
		}
		if (t[i].type == MT_GO)
			continue;
		if (prev && needs_space(prev, &t[i]))
			sd_str_appendc(out, ' ');
		canon_token(out, &t[i]);
		prev = &t[i];
	}
}

char *
sd_ms__canon_dup(sd_arena *a, const ms_tok *t, size_t from, size_t to)
{
	sd_str s;
	char *out;

	sd_str_init(&s);
	sd_ms__canon(&s, t, from, to);
	out = sd_arena_strndup(a, s.ptr, s.len);
	sd_str_dispose(&s);
	return out;
}

size_t
sd_ms__skip_group(const ms_tok *t, size_t n, size_t i)
{
	int depth = 0;

	for (; i < n; i++) {
		if (sd_ms__is_punct(&t[i], '('))
			depth++;
		else if (sd_ms__is_punct(&t[i], ')') && --depth == 0)
			return i + 1;
	}
	return n;
}

void
sd_ms_quote_ident(sd_str *s, const char *id)
{
	sd_str_appendc(s, '[');
	for (; *id; id++) {
		if (*id == ']')
			sd_str_appendc(s, ']');
		sd_str_appendc(s, *id);
	}
	sd_str_appendc(s, ']');
}

void
sd_ms__quote_literal(sd_str *s, const char *text)
{
	sd_str_append(s, "N'");
	for (; *text; text++) {
		if (*text == '\'')
			sd_str_appendc(s, '\'');
		sd_str_appendc(s, *text);
	}
	sd_str_appendc(s, '\'');
}
