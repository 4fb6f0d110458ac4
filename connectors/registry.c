/*
 * connectors/registry.c: the table of engines. Adding an engine is one
 * folder under connectors/ and one line here (see HACKING.md).
 */
#include "connectors/sd_engine.h"

#include "connectors/mssql/sd_mssql.h"
#include "connectors/mysql/sd_mysql.h"
#include "connectors/pg/sd_pg.h"
#include "connectors/sqlite/sd_sqlite.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

const sd_engine *const sd_engines[] = {
        &sd_lite_engine,
        &sd_pg_engine,
        &sd_my_engine,
        &sd_ms_engine,
        NULL,
};

const sd_engine *
sd_engine_for_scheme(const char *scheme)
{
	for (size_t i = 0; scheme && sd_engines[i]; i++)
		for (const char *const *s = sd_engines[i]->schemes; *s; s++)
			if (strcmp(*s, scheme) == 0)
				return sd_engines[i];
	return NULL;
}

const sd_engine *
sd_engine_for_name(const char *name)
{
	for (size_t i = 0; name && sd_engines[i]; i++)
		if (strcmp(sd_engines[i]->name, name) == 0)
			return sd_engines[i];
	return NULL;
}

const char *
sd_engine_name_for_scheme(const char *scheme)
{
	const sd_engine *e = sd_engine_for_scheme(scheme);

	return e ? e->name : NULL;
}

const sd_dialect *
sd_dialect_for(const char *engine)
{
	const sd_engine *e = sd_engine_for_name(engine);

	return e ? e->dialect : NULL;
}

static char schemes_text[256], dialects_text[256];
static pthread_once_t texts_once = PTHREAD_ONCE_INIT;

/* "sqlite:, postgres://, ..." and "postgres|mysql|sqlite", built once. */
static void
build_texts(void)
{
	size_t n = 0, m = 0;

	for (size_t i = 0; sd_engines[i]; i++) {
		const sd_engine *e = sd_engines[i];
		if (e->load_dump)
			m += (size_t)snprintf(dialects_text + m, sizeof(dialects_text) - m, "%s%s",
			                      m ? "|" : "", e->name);
		for (const char *const *s = e->schemes; *s; s++)
			n += (size_t)snprintf(schemes_text + n, sizeof(schemes_text) - n, "%s%s%s",
			                      n ? ", " : "", *s, e->url_authority ? "://" : ":");
	}
}

const char *
sd_engine_schemes_text(void)
{
	pthread_once(&texts_once, build_texts);
	return schemes_text;
}

const char *
sd_engine_dialects_text(void)
{
	pthread_once(&texts_once, build_texts);
	return dialects_text;
}
