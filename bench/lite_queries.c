/*
 * bench/lite_queries.c: prints the exact catalog statements the SQLite
 * connector runs, so the benchmark can time the sqlite3 shell on them.
 */
#include "connectors/sqlite/sd_sqlite.h"

#include <stdio.h>

int
main(void)
{
	for (const char *const *q = sd_lite_catalog_queries(); *q; q++)
		printf("%s;\n", *q);
	return 0;
}
