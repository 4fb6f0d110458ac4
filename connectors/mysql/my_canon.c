/*
 * connectors/mysql/my_canon.c: one spelling for what MariaDB and MySQL
 * print differently in information_schema.
 *
 * Handled (MariaDB 10.2.7+ versus MySQL 8.0/8.4):
 *  - integer display widths: MariaDB prints int(11), MySQL 8.0.19+ int;
 *    widths are dropped except tinyint(1) (a boolean by convention, printed
 *    by both) and zerofill columns (where the width is meaningful);
 *  - COLUMN_DEFAULT: MariaDB quotes string literals ('0'), prints 'NULL' for
 *    DEFAULT NULL and expressions as written; MySQL prints literals raw and
 *    flags expressions with EXTRA DEFAULT_GENERATED. Canonical: string
 *    literals quoted, numbers bare, DEFAULT NULL is no default;
 *  - current_timestamp() (MariaDB) versus CURRENT_TIMESTAMP (MySQL), also
 *    with a precision and in ON UPDATE;
 *  - CHECK_CLAUSE and GENERATION_EXPRESSION: MySQL escapes quotes (\') and
 *    adds charset introducers (_utf8mb4'x') and outer parentheses.
 */
#include "connectors/mysql/my_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const int_types[] = {"tinyint", "smallint", "mediumint", "int", "bigint",
					"year", NULL};

static size_t
word_len(const char *s)
{
	size_t n = 0;

	while (isalpha((unsigned char)s[n]) || s[n] == '_')
		n++;
	return n;
}

const char *
sd_my__canon_type(sd_arena *a, const char *column_type)
{
	char *t = sd_arena_strdup(a, column_type);
	size_t n = word_len(t);
	char *paren = t + n, *close;

	for (char *c = t; *c && c < paren; c++)
		*c = (char)tolower((unsigned char)*c);
	if (*paren != '(' || strstr(t, "zerofill"))
		return t;
	for (const char *const *it = int_types; *it; it++) {
		if (strlen(*it) != n || strncmp(t, *it, n) != 0)
			continue;
		if (strncmp(t, "tinyint(1)", 10) == 0)
			return t;
		close = strchr(paren, ')');
		if (close)
			memmove(paren, close + 1, strlen(close + 1) + 1);
		return t;
	}
	return t;
}

bool
sd_my__numeric_type(const char *data_type)
{
	static const char *const numeric[] = {"tinyint", "smallint", "mediumint", "int",
					      "integer", "bigint", "decimal", "numeric",
					      "float", "double", "real", "year", NULL};

	for (const char *const *it = numeric; *it; it++)
		if (strcasecmp(data_type, *it) == 0)
			return true;
	return false;
}

/* "CURRENT_TIMESTAMP", "now()", "now(3)" -> "current_timestamp()", "current_timestamp(3)". */
static const char *
canon_now(sd_arena *a, const char *s)
{
	static const char *const names[] = {"current_timestamp", "now", "localtimestamp",
					    "localtime", NULL};
	size_t n = word_len(s);

	for (const char *const *it = names; *it; it++) {
		if (strlen(*it) != n || strncasecmp(s, *it, n) != 0)
			continue;
		if (s[n] == '\0' || strcmp(s + n, "()") == 0)
			return "current_timestamp()";
		if (s[n] == '(' && isdigit((unsigned char)s[n + 1]) && s[n + 2] == ')' && !s[n + 3])
			return sd_arena_printf(a, "current_timestamp(%c)", s[n + 1]);
	}
	return NULL;
}

/* 'text' as an SQL literal, quotes doubled. */
static const char *
quote_literal(sd_arena *a, const char *raw)
{
	sd_str s;
	const char *out;

	sd_str_init(&s);
	sd_str_appendc(&s, '\'');
	for (const char *c = raw; *c; c++) {
		if (*c == '\'')
			sd_str_appendc(&s, '\'');
		if (*c == '\\')
			sd_str_appendc(&s, '\\');
		sd_str_appendc(&s, *c);
	}
	sd_str_appendc(&s, '\'');
	out = sd_arena_strndup(a, s.ptr, s.len);
	sd_str_dispose(&s);
	return out;
}

/* True when s is one '...' literal (quotes doubled inside). */
static bool
is_quoted_literal(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || s[0] != '\'' || s[n - 1] != '\'')
		return false;
	for (size_t i = 1; i < n - 1; i++) {
		if (s[i] == '\\' && i + 1 < n - 1) {
			i++;
			continue;
		}
		if (s[i] == '\'') {
			if (s[i + 1] != '\'' || i + 1 == n - 1)
				return false;
			i++;
		}
	}
	return true;
}

/* A number as MariaDB prints a numeric default: strip quotes when the content is numeric. */
static const char *
bare_number(sd_arena *a, const char *s)
{
	size_t n = strlen(s);
	const char *p = s;

	if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'') {
		p = s + 1;
		n -= 2;
	}
	if (n == 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]) && !strchr("+-.eE", p[i]))
			return NULL;
	return sd_arena_strndup(a, p, n);
}

void
sd_my__strip_qualifier(sd_str *out, const char *text, const char *db)
{
	sd_str qual;

	sd_str_init(&qual);
	sd_my_quote_ident(&qual, db);
	sd_str_appendc(&qual, '.');
	for (const char *c = text; *c;) {
		const char *past = sd_my__skip_quoted(c, MY_ESCAPES_DEFAULT);
		/* Not the second half of a doubled `` nor a name's last part. */
		if (strncmp(c, qual.ptr, qual.len) == 0 && (c == text || (c[-1] != '`' && c[-1] != '.'))) {
			c += qual.len;
			continue;
		}
		if (!past) { /* left open: kept as it is */
			sd_str_append(out, c);
			break;
		}
		if (past == c)
			past = c + 1;
		sd_str_appendn(out, c, (size_t)(past - c));
		c = past;
	}
	sd_str_dispose(&qual);
}

/*
 * MariaDB prints a sequence a default reads with its database:
 * nextval(`shop`.`order_ids`) for NEXT VALUE FOR order_ids. The qualifier
 * of the database being read is removed (outside quotes), as in view text,
 * so two databases built from the same SQL compare equal and the plan's
 * DEFAULT names the target's own sequence.
 */
static const char *
unqualify(sd_arena *a, const char *raw, const char *db)
{
	sd_str s;
	const char *out;

	if (!db || raw[0] == '\'' || !strchr(raw, '`'))
		return sd_arena_strdup(a, raw);
	sd_str_init(&s);
	sd_my__strip_qualifier(&s, raw, db);
	out = sd_arena_strndup(a, s.ptr ? s.ptr : "", s.len);
	sd_str_dispose(&s);
	return out;
}

const char *
sd_my__canon_default(sd_arena *a, const char *raw, const char *data_type, const char *extra,
		     bool mariadb, const char *db)
{
	const char *now, *num;

	if (!raw || strcmp(raw, "NULL") == 0)
		return NULL;
	if ((now = canon_now(a, raw)))
		return now;
	if (sd_my__numeric_type(data_type) && (num = bare_number(a, raw)))
		return num;
	if (mariadb)
		return unqualify(a, raw, db); /* already a literal or an expression */
	/* MySQL: literals come raw; expressions are flagged DEFAULT_GENERATED. */
	if (extra && strstr(extra, "DEFAULT_GENERATED"))
		return sd_my__canon_expr(a, raw, NULL);
	if (strncmp(raw, "b'", 2) == 0 || strncmp(raw, "0x", 2) == 0 || is_quoted_literal(raw))
		return sd_arena_strdup(a, raw);
	return quote_literal(a, raw);
}

const char *
sd_my__on_update(sd_arena *a, const char *extra)
{
	const char *p;
	char buf[64];
	size_t n = 0;

	if (!extra)
		return NULL;
	for (p = extra; *p; p++)
		if (strncasecmp(p, "on update ", 10) == 0)
			break;
	if (!*p)
		return NULL;
	p += 10;
	while (p[n] && p[n] != ' ' && n < sizeof(buf) - 1) {
		buf[n] = p[n];
		n++;
	}
	buf[n] = '\0';
	return canon_now(a, buf) ? canon_now(a, buf) : sd_arena_strdup(a, buf);
}

/* Whether the '(' at s[0] closes at s[n-1]. */
static bool
wraps_whole(const char *s, size_t n)
{
	int depth = 0;
	char quote = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (quote) {
			if (c == '\\' && quote != '`') /* a backslash escapes in strings, not in names */
				i++;
			else if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '\'' || c == '"' || c == '`')
			quote = c;
		else if (c == '(')
			depth++;
		else if (c == ')' && --depth == 0)
			return i == n - 1;
	}
	return false;
}

/* _utf8mb4'..', _latin1'..', _binary'..': *len is the introducer's length. */
static bool
is_introducer_at(const char *s, size_t *len)
{
	size_t n = 1;

	if (s[0] != '_')
		return false;
	while (isalnum((unsigned char)s[n]))
		n++;
	if (n < 3 || s[n] != '\'')
		return false;
	*len = n;
	return true;
}

/*
 * MySQL prints CHECK_CLAUSE with every quote escaped: (`c` = _utf8mb4\'x\').
 * Such text has no bare quote; it is unescaped first. Returns NULL when the
 * text is not in that form.
 */
static char *
mysql_unescaped(const char *expr)
{
	sd_str s;

	if (!strstr(expr, "\\'"))
		return NULL;
	for (const char *c = expr; *c; c++) {
		if (*c == '\\' && c[1])
			c++;
		else if (*c == '\'')
			return NULL;
	}
	sd_str_init(&s);
	for (const char *c = expr; *c; c++) {
		if (*c == '\\' && (c[1] == '\'' || c[1] == '\\'))
			c++;
		sd_str_appendc(&s, *c);
	}
	return sd_str_detach(&s);
}

const char *
sd_my__canon_expr(sd_arena *a, const char *expr, const char *db)
{
	sd_str s, qual;
	const char *out;
	char *unescaped;
	size_t n, qn = 0;
	char quote = 0;

	if (!expr)
		return NULL;
	unescaped = mysql_unescaped(expr);
	if (unescaped)
		expr = unescaped;
	sd_str_init(&s);
	sd_str_init(&qual);
	if (db) {
		sd_my_quote_ident(&qual, db);
		sd_str_appendc(&qual, '.');
		qn = qual.len;
	}
	for (const char *c = expr; *c; c++) {
		size_t skip;
		if (!quote && is_introducer_at(c, &skip) &&
		    (c == expr || !isalnum((unsigned char)c[-1]))) {
			c += skip - 1;
			continue;
		}
		if (!quote && qn && c[0] == '`' && strncmp(c, qual.ptr, qn) == 0) {
			c += qn - 1;
			continue;
		}
		if (quote) {
			if (c[0] == '\\' && c[1] && quote != '`') {
				sd_str_appendn(&s, c, 2);
				c++;
				continue;
			}
			if (c[0] == quote)
				quote = 0;
		} else if (c[0] == '\'' || c[0] == '"' || c[0] == '`') {
			quote = c[0];
		}
		sd_str_appendc(&s, *c);
	}
	out = s.ptr;
	n = s.len;
	while (n >= 2 && out[0] == '(' && wraps_whole(out, n)) {
		out++;
		n -= 2;
	}
	out = sd_arena_strndup(a, out, n);
	sd_str_dispose(&s);
	sd_str_dispose(&qual);
	free(unescaped);
	return out;
}
