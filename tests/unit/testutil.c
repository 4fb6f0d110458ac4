/* tests/unit/testutil.c: real SQLite files for the unit tests. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

static const char *
tmpdir(void)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/schemad-test-%ld-XXXXXX", (long)getpid());
		assert_non_null(mkdtemp(dir));
	}
	return dir;
}

void
tu_cleanup(void)
{
	char cmd[300];

	if (!dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	dir[0] = '\0';
}

void
tu_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		print_error("SQL failed on %s: %s\n%s\n", path, msg, sql);
		sqlite3_free(msg);
		sqlite3_close(db);
		fail();
	}
	sqlite3_close(db);
}

long
tu_scalar(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

const char *
tu_db(const char *name, const char *sql)
{
	static char paths[16][300];
	static int next;
	char *p = paths[next++ % 16];

	snprintf(p, 300, "%s/%s.db", tmpdir(), name);
	unlink(p);
	tu_exec(p, sql);
	return p;
}

sd_schema *
tu_load(const char *path)
{
	sd_schema *s = NULL;
	sd_err err = {0};

	if (sd_lite_introspect(&s, path, 5000, &err) != SD_OK) {
		print_error("introspect %s: %s\n", path, err.msg);
		fail();
	}
	return s;
}

size_t
tu_converge(const char *from, const char *to, char **plan_out)
{
	sd_schema *a = tu_load(from), *b = tu_load(to);
	sd_diff *d = sd_diff_schemas(a, b, &sd_lite_dialect);
	sd_err err = {0};
	sd_str plan;
	size_t left;

	sd_str_init(&plan);
	assert_int_equal(sd_lite_dialect.plan(&plan, d, NULL, &err), SD_OK);
	sd_diff_free(d);
	sd_schema_free(a);
	tu_exec(from, plan.ptr);
	a = tu_load(from);
	d = sd_diff_schemas(a, b, &sd_lite_dialect);
	left = d->n_changes;
	for (size_t i = 0; i < d->n_changes; i++)
		print_message("left after plan: %s\n", d->changes[i].kind);
	sd_diff_free(d);
	sd_schema_free(a);
	sd_schema_free(b);
	if (plan_out)
		*plan_out = sd_str_detach(&plan);
	else
		sd_str_dispose(&plan);
	return left;
}

const sd_change *
tu_find_kind(const sd_diff *d, const char *kind)
{
	for (size_t i = 0; i < d->n_changes; i++)
		if (strcmp(d->changes[i].kind, kind) == 0)
			return &d->changes[i];
	return NULL;
}

size_t
tu_count_kind(const sd_diff *d, const char *kind)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_changes; i++)
		n += strcmp(d->changes[i].kind, kind) == 0;
	return n;
}
