/*
 * fuzz/fuzz_quote.c: identifier quoting, string literals and comments of
 * every dialect (PostgreSQL, MySQL, SQLite, SQL Server). The input is a
 * name; in each dialect it is written as a quoted identifier, as a string
 * literal and in a comment, and the script is lexed the way that engine's
 * client lexes it (tests/lib/sql_residue.c):
 * what the client would run must be exactly what it runs for a harmless
 * name. A name that leaves its quotes or its comment fails here.
 */
#include "connectors/mysql/my_internal.h"
#include "connectors/pg/sd_pg.h"
#include "connectors/sqlite/lite_lex.h"
#include "connectors/sqlite/sd_sqlite.h"
#include "connectors/mssql/ms_lex.h"
#include "tests/lib/sql_residue.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct dialect {
	const char *name;
	void (*ident)(sd_str *, const char *);
	void (*string)(sd_str *, const char *);
} dialect;

static const dialect dialects[] = {
	{"postgres", sd_pg_quote_ident, sd_sql_string},
	{"mysql", sd_my_quote_ident, sd_my__quote_string},
	{"sqlite", sd_lite_quote_ident, sd_sql_string},
	{"tsql", sd_ms_quote_ident, sd_ms__quote_literal},
};

static char *
script_residue(const dialect *d, const char *name)
{
	sd_str s;
	char *r;

	sd_str_init(&s);
	sd_str_append(&s, "CREATE TABLE ");
	d->ident(&s, name);
	sd_str_append(&s, " (x int);\n");
	sd_sql_comment(&s, name);
	sd_str_append(&s, "COMMENT ON TABLE t IS ");
	d->string(&s, name);
	sd_str_append(&s, ";\n");
	sd_sql_commentf(&s, "destructive: drops %s", name);
	sd_str_append(&s, "SELECT 1;\n");
	r = sd_test_sql_residue(d->name, s.ptr);
	if (!r) {
		fprintf(stderr, "%s: script ends inside a quote or comment:\n%s\n", d->name, s.ptr);
		abort();
	}
	sd_str_dispose(&s);
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = malloc(size + 1);

	memcpy(name, data, size);
	name[size] = '\0'; /* a C string: names hold no NUL in any engine */
	for (size_t i = 0; i < sizeof(dialects) / sizeof(*dialects); i++) {
		char *want = script_residue(&dialects[i], "x");
		char *got = script_residue(&dialects[i], name);
		if (strcmp(want, got) != 0) {
			fprintf(stderr, "%s: the name changed what runs:\n%s\n", dialects[i].name, got);
			abort();
		}
		free(want);
		free(got);
	}
	free(name);
	return 0;
}
