/*
 * tests/integration/mssql/respell.c: writes a T-SQL script again with other
 * spelling, for the false-drift check: keywords change case, [bracket] and
 * "double" quotes swap, bare names get brackets, and the spacing changes
 * (every other token starts a new, indented line). Comments are dropped;
 * GO stays alone on its line. The schema must read the same.
 *
 * usage: ms_respell IN.sql > OUT.sql
 */
#include "connectors/mssql/ms_lex.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void
flip_case(const ms_tok *t)
{
	bool lower = false;

	for (size_t i = 0; i < t->n; i++)
		lower = lower || islower((unsigned char)t->p[i]);
	for (size_t i = 0; i < t->n; i++)
		putchar(lower ? toupper((unsigned char)t->p[i]) : tolower((unsigned char)t->p[i]));
}

/* [x] -> "x" and "x" -> [x], unless the name holds the other quote. */
static void
swap_quotes(const ms_tok *t)
{
	sd_str raw;

	sd_str_init(&raw);
	sd_ms__unquote(&raw, t);
	if (t->p[0] == '[' && !strchr(raw.ptr, '"'))
		printf("\"%s\"", raw.ptr);
	else if (t->p[0] == '"' && !strchr(raw.ptr, ']'))
		printf("[%s]", raw.ptr);
	else
		fwrite(t->p, 1, t->n, stdout);
	sd_str_dispose(&raw);
}

/* The first argument of DATEADD, DATEDIFF...: a datepart, which brackets would break. */
static bool
datepart(const ms_tok *t, size_t i)
{
	return i >= 2 && t[i - 1].type == MT_PUNCT && t[i - 1].p[0] == '(' &&
	       t[i - 2].type == MT_WORD && t[i - 2].n >= 4 &&
	       strncasecmp(t[i - 2].p, "date", 4) == 0;
}

static void
respell(const ms_tok *t, size_t i, size_t n)
{
	bool call = i + 1 < n && t[i + 1].type == MT_PUNCT && t[i + 1].p[0] == '(';

	switch (t[i].type) {
	case MT_GO:
		fputs("\nGO\n", stdout);
		return;
	case MT_WORD:
		if (sd_ms__is_reserved(t[i].p, t[i].n))
			flip_case(&t[i]);
		else if (sd_ms__is_keyword(t[i].p, t[i].n))
			fwrite(t[i].p, 1, t[i].n, stdout); /* a keyword here, maybe a name there */
		else if (call || sd_ms__is(&t[i], "max") || t[i].p[0] == '#' || datepart(t, i))
			fwrite(t[i].p, 1, t[i].n, stdout);
		else
			printf("[%.*s]", (int)t[i].n, t[i].p);
		return;
	case MT_QIDENT:
		swap_quotes(&t[i]);
		return;
	default:
		fwrite(t[i].p, 1, t[i].n, stdout);
		return;
	}
}

int
main(int argc, char **argv)
{
	char *text;
	size_t len;
	ms_toks toks;
	sd_err err = {0};
	int bad;

	if (argc != 2) {
		fputs("usage: ms_respell IN.sql\n", stderr);
		return 2;
	}
	if (sd_read_file(&text, &len, argv[1], &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	if (!sd_ms__lex(&toks, text, &bad)) {
		fprintf(stderr, "%s:%d: unclosed quote or comment\n", argv[1], bad);
		return 2;
	}
	for (size_t i = 0; i < toks.n; i++) {
		if (i && toks.v[i].type != MT_GO && toks.v[i - 1].type != MT_GO)
			fputs(i % 2 ? "\n\t  " : "  ", stdout);
		respell(toks.v, i, toks.n);
	}
	putchar('\n');
	free(toks.v);
	free(text);
	return 0;
}
