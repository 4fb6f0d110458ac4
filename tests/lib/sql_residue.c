/*
 * tests/lib/sql_residue.c: see sql_residue.h. The rules follow the
 * clients' lexers: PostgreSQL (standard_conforming_strings on, as plans
 * pin it): '...' with '' , E'...' with backslash escapes, "..." with "",
 * $tag$...$tag$, nested block comments, -- to end of line. MySQL (backslash escapes
 * on, as plans pin it): '...' and "..." with doubling and backslash
 * escapes, `...` with ``, # and "-- " to end of line, block comments (an
 * executable one, slash-star-bang, is code: only its marker is dropped).
 * SQLite: '...', "...", `...`, [...], -- and block comments. SQL Server
 * (T-SQL, QUOTED_IDENTIFIER on): '...' and N'...' with '', "..." with "",
 * [...] with ]], -- to end of line, nested block comments.
 */
#include "tests/lib/sql_residue.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct lexer {
	const char *s;
	size_t i;
	char dialect; /* 'p', 'm', 's', 't' (T-SQL) */
	sd_str out;
} lexer;

/* Skips a quoted token opened by q at s[i]; returns false when it never closes. */
static bool
skip_quoted(lexer *l, char q, bool backslash)
{
	l->i++;
	for (; l->s[l->i]; l->i++) {
		if (backslash && l->s[l->i] == '\\' && l->s[l->i + 1]) {
			l->i++;
			continue;
		}
		if (l->s[l->i] == q) {
			if (l->s[l->i + 1] == q) {
				l->i++;
				continue;
			}
			l->i++;
			sd_str_appendc(&l->out, '?');
			return true;
		}
	}
	return false;
}

static bool
skip_block_comment(lexer *l)
{
	int depth = 0;

	for (; l->s[l->i]; l->i++) {
		if (l->s[l->i] == '/' && l->s[l->i + 1] == '*' &&
		    (depth == 0 || l->dialect == 'p' || l->dialect == 't')) {
			depth++;
			l->i++;
		} else if (l->s[l->i] == '*' && l->s[l->i + 1] == '/') {
			l->i += 2;
			if (--depth == 0) {
				sd_str_appendc(&l->out, ' ');
				return true;
			}
			l->i--;
		}
	}
	return false;
}

static void
skip_line_comment(lexer *l)
{
	/* PostgreSQL ends a comment at \n or \r; MySQL and SQLite at \n. */
	while (l->s[l->i] && l->s[l->i] != '\n' && !(l->dialect == 'p' && l->s[l->i] == '\r'))
		l->i++;
	sd_str_appendc(&l->out, '\n');
}

/* PostgreSQL $tag$ ... $tag$; false when it is not a dollar quote or never closes. */
static bool
skip_dollar(lexer *l, bool *unclosed)
{
	size_t j = l->i + 1;
	char tag[128];
	const char *end;

	while (isalnum((unsigned char)l->s[j]) || l->s[j] == '_' || (unsigned char)l->s[j] >= 0x80)
		j++;
	if (l->s[j] != '$' || j - l->i + 1 >= sizeof(tag) || isdigit((unsigned char)l->s[l->i + 1]))
		return false;
	memcpy(tag, l->s + l->i, j - l->i + 1);
	tag[j - l->i + 1] = '\0';
	end = strstr(l->s + j + 1, tag);
	if (!end) {
		*unclosed = true;
		return false;
	}
	l->i = (size_t)(end - l->s) + strlen(tag);
	sd_str_appendc(&l->out, '?');
	return true;
}

static bool
step(lexer *l)
{
	const char *s = l->s;
	char c = s[l->i];
	bool unclosed = false;

	if (c == '-' && s[l->i + 1] == '-' &&
	    (l->dialect != 'm' || isspace((unsigned char)s[l->i + 2]) || !s[l->i + 2])) {
		skip_line_comment(l);
		return true;
	}
	if (c == '#' && l->dialect == 'm') {
		skip_line_comment(l);
		return true;
	}
	if (c == '/' && s[l->i + 1] == '*') {
		if (l->dialect == 'm' && s[l->i + 2] == '!') { /* executable comment: code */
			l->i += 3;
			while (isdigit((unsigned char)s[l->i]))
				l->i++;
			return true;
		}
		return skip_block_comment(l);
	}
	if (c == '\'')
		return skip_quoted(l, '\'', l->dialect == 'm');
	if (c == '"')
		return skip_quoted(l, '"', l->dialect == 'm');
	if (c == '`' && l->dialect != 'p')
		return skip_quoted(l, '`', false);
	if (c == '[' && (l->dialect == 's' || l->dialect == 't'))
		return skip_quoted(l, ']', false);
	if ((c == 'N' || c == 'n') && s[l->i + 1] == '\'' && l->dialect == 't' &&
	    (l->i == 0 || !isalnum((unsigned char)s[l->i - 1]))) {
		l->i++;
		return skip_quoted(l, '\'', false);
	}
	if ((c == 'E' || c == 'e') && s[l->i + 1] == '\'' && l->dialect == 'p' &&
	    (l->i == 0 || !isalnum((unsigned char)s[l->i - 1]))) {
		l->i++;
		return skip_quoted(l, '\'', true);
	}
	if (c == '$' && l->dialect == 'p' && (l->i == 0 || !isalnum((unsigned char)s[l->i - 1]))) {
		if (skip_dollar(l, &unclosed))
			return true;
		if (unclosed)
			return false;
	}
	sd_str_appendc(&l->out, c);
	l->i++;
	return true;
}

char *
sd_test_sql_residue(const char *dialect, const char *script)
{
	lexer l = {.s = script, .dialect = strcmp(dialect, "tsql") == 0 ? 't' : dialect[0]};

	sd_str_init(&l.out);
	while (script[l.i]) {
		if (!step(&l)) {
			sd_str_dispose(&l.out);
			return NULL;
		}
	}
	return sd_str_detach(&l.out);
}
