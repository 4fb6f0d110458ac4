/* tests/unit/testutil.h: helpers shared by the unit tests (real SQLite files). */
#ifndef SD_TESTUTIL_H
#define SD_TESTUTIL_H

#include "connectors/sqlite/sd_sqlite.h"
#include "diff/sd_diff.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

/* A fresh SQLite file in a per-process temp folder, built from sql. */
const char *tu_db(const char *name, const char *sql);
/* Runs sql on an existing database file; fails the test on error. */
void tu_exec(const char *path, const char *sql);
/* Returns sql's single integer result on the database at path. */
long tu_scalar(const char *path, const char *sql);
/* Introspects path; fails the test on error. */
sd_schema *tu_load(const char *path);
/* Diffs two files, renders and applies the plan to from, and returns the diff after. */
size_t tu_converge(const char *from, const char *to, char **plan_out);
/* Number of changes of the given kind in d. */
size_t tu_count_kind(const sd_diff *d, const char *kind);
const sd_change *tu_find_kind(const sd_diff *d, const char *kind);
void tu_cleanup(void);

#endif
