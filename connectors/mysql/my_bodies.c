/*
 * connectors/mysql/my_bodies.c: trigger and routine bodies as written.
 *
 * information_schema decodes the string escapes of a body (ACTION_STATEMENT
 * and ROUTINE_DEFINITION give 'a\b' for 'a\\b'), so a body rebuilt from
 * it means something else, and a crafted one shifts the mysql client's
 * quote tracking until text after a DELIMITER runs as a statement. SHOW
 * CREATE TRIGGER/PROCEDURE/FUNCTION return the text the server parsed;
 * the body is cut from it here.
 *
 * Cost: SHOW CREATE answers for one object, so reading a database runs one
 * statement per trigger, routine and event on top of the constant catalog
 * queries (documented in docs/mysql.md). The server offers no set-wise
 * source of the true text a read-only user may query.
 */
#include "connectors/mysql/my_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Skips one token of MySQL text at p (quoted as a whole); returns its end. */
static const char *
skip_token(const char *p)
{
	char q = *p;

	if (q == '\'' || q == '"' || q == '`') {
		for (p++; *p; p++) {
			if (*p == '\\' && q != '`' && p[1]) {
				p++;
			} else if (*p == q) {
				if (p[1] != q)
					return p + 1;
				p++;
			}
		}
		return p;
	}
	if (isalnum((unsigned char)q) || q == '_' || q == '$' || (unsigned char)q >= 0x80) {
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '$' || (unsigned char)*p >= 0x80)
			p++;
		return p;
	}
	return *p ? p + 1 : p;
}

/* Skips whitespace and comments. */
static const char *
skip_space(const char *p)
{
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (p[0] == '/' && p[1] == '*' && p[2] != '!') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
		} else if (*p == '#' || (p[0] == '-' && p[1] == '-' && isspace((unsigned char)p[2]))) {
			while (*p && *p != '\n')
				p++;
		} else {
			return p;
		}
	}
}

static bool
word_is(const char *p, const char *end, const char *word)
{
	return (size_t)(end - p) == strlen(word) && strncasecmp(p, word, (size_t)(end - p)) == 0;
}

/* CREATE ... TRIGGER name BEFORE INSERT ON t FOR EACH ROW [FOLLOWS|PRECEDES x] body */
static const char *
trigger_body(const char *text)
{
	const char *p = skip_space(text), *end;
	int matched = 0;
	static const char *const seq[] = {"FOR", "EACH", "ROW"};

	while (*p && matched < 3) {
		end = skip_token(p);
		matched = word_is(p, end, seq[matched]) ? matched + 1 : word_is(p, end, "FOR");
		p = skip_space(end);
	}
	if (matched < 3)
		return NULL;
	end = skip_token(p);
	if (word_is(p, end, "FOLLOWS") || word_is(p, end, "PRECEDES")) {
		p = skip_space(end);
		p = skip_space(skip_token(p));
	}
	return *p ? p : NULL;
}

/* CREATE ... EVENT name ON SCHEDULE ... DO body: the first DO outside quotes. */
static const char *
event_body(const char *text)
{
	const char *p = skip_space(text), *end;

	while (*p) {
		end = skip_token(p);
		if (word_is(p, end, "DO"))
			return *skip_space(end) ? skip_space(end) : NULL;
		p = skip_space(end);
	}
	return NULL;
}

/*
 * The server prints a routine as "CREATE ... PROCEDURE `p`(params)[ RETURNS
 * type]\n", one line of four spaces per characteristic, then the body.
 */
static const char *
routine_body(const char *text)
{
	const char *p = text;
	int depth = 0;

	while (*p && *p != '(')
		p = skip_token(p);
	for (; *p; p = skip_token(p)) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			break;
	}
	p = strchr(p, '\n');
	while (p && strncmp(p + 1, "    ", 4) == 0)
		p = strchr(p + 1, '\n');
	return p && p[1] ? p + 1 : NULL;
}

/* SHOW CREATE kind `db`.`name`; the body cut from its CREATE text into *body. */
static int
show_create(const char **body, const char **sql_mode, MYSQL *db, sd_arena *a, const char *kind,
	    const char *dbname, const char *name, sd_err *err)
{
	/* SHOW CREATE EVENT has time_zone before the text. */
	int col = strcmp(kind, "EVENT") == 0 ? 3 : 2;
	my_rows rows = {0};
	sd_str sql;
	int rc;

	sd_str_init(&sql);
	sd_str_appendf(&sql, "SHOW CREATE %s ", kind);
	sd_my_quote_ident(&sql, dbname);
	sd_str_appendc(&sql, '.');
	sd_my_quote_ident(&sql, name);
	rc = sd_my__query(&rows, db, a, sql.ptr, "", err);
	sd_str_dispose(&sql);
	if (rc)
		return rc;
	if (rows.len != 1 || !rows.ptr[0].v[col]) {
		/* NULL text: the user may not read this routine's source. */
		rc = sd_err_set(err, SD_EQUERY,
				"SHOW CREATE %s %s gives no text (the user lacks the privilege "
				"to read its source)",
				kind, name);
	} else {
		const char *text = rows.ptr[0].v[col];
		*body = kind[0] == 'T' ? trigger_body(text)
			: kind[0] == 'E' ? event_body(text)
					 : routine_body(text);
		*sql_mode = rows.ptr[0].v[1];
		if (!*body)
			rc = sd_err_set(err, SD_EQUERY, "SHOW CREATE %s %s: cannot find the body",
					kind, name);
	}
	sd_vec_dispose(&rows);
	return rc;
}

int
sd_my__true_bodies(MYSQL *db, sd_arena *a, const char *dbname, my_rows *triggers,
		   my_rows *routines, my_rows *events, sd_err *err)
{
	int rc;

	for (size_t i = 0; i < triggers->len; i++) {
		const char **v = triggers->ptr[i].v;
		if ((rc = show_create(&v[3], &v[6], db, a, "TRIGGER", dbname, v[0], err)))
			return rc;
	}
	for (size_t i = 0; i < routines->len; i++) {
		const char **v = routines->ptr[i].v;
		const char *kind = strcasecmp(v[1], "FUNCTION") == 0 ? "FUNCTION" : "PROCEDURE";
		if ((rc = show_create(&v[3], &v[8], db, a, kind, dbname, v[0], err)))
			return rc;
	}
	for (size_t i = 0; i < events->len; i++) {
		const char **v = events->ptr[i].v;
		if ((rc = show_create(&v[1], &v[10], db, a, "EVENT", dbname, v[0], err)))
			return rc;
	}
	return SD_OK;
}
