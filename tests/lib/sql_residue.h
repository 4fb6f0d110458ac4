/*
 * tests/lib/sql_residue.h: what a SQL client executes of a script, as a
 * test sees it. The residue is the script with every comment removed and
 * every quoted identifier, string literal and dollar-quoted body replaced
 * by one '?', lexed the way each engine's own client lexes it (psql,
 * mariadb, sqlite3, sqlcmd). A name that reached a plan safely appears in no
 * residue; a name that broke out of its quotes or comment does.
 */
#ifndef SD_TEST_SQL_RESIDUE_H
#define SD_TEST_SQL_RESIDUE_H

#include "util/sd_util.h"

/* dialect: "postgres", "mysql", "sqlite" or "tsql". Returns a malloc'd string, or NULL
 * when the script ends inside a quote or comment (itself a broken plan). */
char *sd_test_sql_residue(const char *dialect, const char *script);

#endif
