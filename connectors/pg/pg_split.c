/*
 * connectors/pg/pg_split.c: where a PostgreSQL statement ends, as psql finds it.
 *
 * The dump loader and the applier cut SQL text into statements the same
 * way: at a ';' outside quoted text ('...', E'...' with its backslash
 * escapes, "...", $tag$...$tag$), comments (-- and nested block comments),
 * parentheses (a rule's action list holds ';') and a SQL-standard routine
 * body (BEGIN ATOMIC ... END, whose statements end in ';').
 */
#include "connectors/pg/pg_internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static bool
word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* True when word (letters) starts at p and ends there, ignoring case. */
bool
sd_pg__word_at(const char *p, const char *start, const char *word)
{
	size_t n = strlen(word);

	return (p == start || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
	       strncasecmp(p, word, n) == 0 && !(isalnum((unsigned char)p[n]) || p[n] == '_');
}

/* Length of a $tag$ opener at p (0 when p is not one). */
static size_t
dollar_tag(const char *p)
{
	size_t n = 1;

	if (*p != '$')
		return 0;
	while (p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
	       (n > 1 && p[n] >= '0' && p[n] <= '9'))
		n++;
	return p[n] == '$' ? n + 1 : 0;
}

/* Past the comment at p (block comments nest); p itself when none starts there. */
static const char *
skip_comment(const char *p)
{
	int depth = 0;

	if (p[0] == '-' && p[1] == '-')
		return p + strcspn(p, "\n");
	if (!(p[0] == '/' && p[1] == '*'))
		return p;
	do {
		if (p[0] == '/' && p[1] == '*')
			depth++, p += 2;
		else if (p[0] == '*' && p[1] == '/')
			depth--, p += 2;
		else
			p++;
	} while (*p && depth > 0);
	return p;
}

/*
 * Past the quoted text at p: '...' and "..." (a doubled quote stays inside),
 * E'...' (a backslash escapes the next character) or $tag$...$tag$; p itself
 * when none starts there. p is at a token's start.
 */
static const char *
skip_quoted(const char *p)
{
	bool escapes = (*p == 'E' || *p == 'e') && p[1] == '\'';
	size_t tag;

	if (escapes || *p == '\'' || *p == '"') {
		char q;
		p += escapes;
		q = *p++;
		while (*p && !(*p == q && p[1] != q)) {
			if (escapes && *p == '\\' && p[1])
				p += 2;
			else
				p += *p == q ? 2 : 1;
		}
		return *p ? p + 1 : p;
	}
	if ((tag = dollar_tag(p)) > 0) {
		const char *close = p + tag;
		while (*close && strncmp(close, p, tag) != 0)
			close++;
		return *close ? close + tag : close;
	}
	return p;
}

const char *
sd_pg__skip_blank(const char *p)
{
	for (;;) {
		const char *past = skip_comment(p);
		if (past != p)
			p = past;
		else if (isspace((unsigned char)*p))
			p++;
		else
			return p;
	}
}

/* Past the word at p, and the blanks after it. */
static const char *
next_word(const char *p)
{
	while (word_char(*p))
		p++;
	return sd_pg__skip_blank(p);
}

/* The statement at p creates a function or procedure: CREATE [OR REPLACE] FUNCTION|PROCEDURE. */
static bool
creates_routine(const char *p)
{
	p = sd_pg__skip_blank(p);
	if (!sd_pg__word_at(p, p, "CREATE"))
		return false;
	p = next_word(p);
	if (sd_pg__word_at(p, p, "OR")) {
		p = next_word(p);
		if (!sd_pg__word_at(p, p, "REPLACE"))
			return false;
		p = next_word(p);
	}
	return sd_pg__word_at(p, p, "FUNCTION") || sd_pg__word_at(p, p, "PROCEDURE");
}

/* The word at p names something (t.end, AS begin): it is no keyword there. */
static bool
is_name(const char *p, const char *start)
{
	while (p > start && isspace((unsigned char)p[-1]))
		p--;
	if (p > start && p[-1] == '.')
		return true;
	return p - start >= 2 && sd_pg__word_at(p - 2, start, "AS");
}

/*
 * Where a routine's body opens and closes, as psql counts them: BEGIN
 * ATOMIC opens it, then each CASE opens and each END closes, outside
 * parentheses. Returns how many stay open after the word at p.
 */
static int
count_block(const char *p, const char *start, int blocks)
{
	if (is_name(p, start))
		return blocks;
	if (blocks == 0)
		return sd_pg__word_at(p, start, "BEGIN") &&
		       sd_pg__word_at(next_word(p), start, "ATOMIC");
	if (sd_pg__word_at(p, start, "CASE"))
		return blocks + 1;
	if (sd_pg__word_at(p, start, "END"))
		return blocks - 1;
	return blocks;
}

/* End of the SQL statement at p: just past its ';', or the end of text. */
const char *
sd_pg__statement_end(const char *p)
{
	const char *start = p;
	bool routine = creates_routine(p);
	int parens = 0, blocks = 0;

	while (*p) {
		const char *past = skip_comment(p);
		if (past == p)
			past = skip_quoted(p);
		if (past != p) {
			p = past;
		} else if (word_char(*p)) {
			if (routine && parens == 0)
				blocks = count_block(p, start, blocks);
			while (word_char(*p))
				p++;
		} else if (*p == ';' && parens == 0 && blocks == 0) {
			return p + 1;
		} else {
			parens += *p == '(' ? 1 : *p == ')' && parens > 0 ? -1 : 0;
			p++;
		}
	}
	return p;
}
