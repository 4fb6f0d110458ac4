/*
 * tests/unit/test_config.c: the configuration loader on its own.
 *
 * This binary links sd_config and nothing of connectors/: were the loader
 * to need a database client library (or the registry), it would not link.
 * The engines are what the caller says they are.
 *
 * Test organisation:
 *   config__engines_*   URL schemes resolved through the caller's lookup
 *   config__pairs_*     pairs looked up by name
 */
#include "config/sd_config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *
only_duckdb(const char *scheme)
{
	return strcmp(scheme, "duck") == 0 ? "duckdb" : NULL;
}

static const char *
duck_text(void)
{
	return "duck:";
}

static const sd_cfg_engines duck_engines = {only_duckdb, duck_text};

static char *
write_config(const char *url, const char *password)
{
	static char path[] = "/tmp/schemad-test-config.XXXXXX";
	int fd;
	FILE *f;

	strcpy(path, "/tmp/schemad-test-config.XXXXXX");
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fprintf(f,
	        "state_path: /tmp/x.db\nenvironments:\n  - {name: a, url: \"%s\"%s%s}\n"
	        "  - {name: b, url: \"duck:b\"}\npairs:\n  - {name: p, reference: a, target: b}\n",
	        url, password ? ", password: " : "", password ? password : "");
	fclose(f);
	return path;
}

static void
test_config__engines_from_the_caller(void **state)
{
	sd_config *c = NULL;
	sd_str errors, warnings;
	char *path;

	(void)state;
	sd_str_init(&errors);
	sd_str_init(&warnings);
	path = write_config("duck://app@h/db", "\"s#c?r@t\"");
	assert_int_equal(sd_cfg_load(&c, path, &duck_engines, &errors, &warnings), SD_OK);
	assert_string_equal(c->envs[0].engine, "duckdb");
	/* the password goes into the URL encoded, and never into what is shown */
	assert_string_equal(c->envs[0].url, "duck://app:s%23c%3Fr%40t@h/db");
	assert_string_equal(c->envs[0].display, "duck://app:***@h/db");
	sd_cfg_free(c);
	unlink(path);

	path = write_config("postgres://app:pw@h/db", NULL);
	assert_int_equal(sd_cfg_load(&c, path, &duck_engines, &errors, &warnings), SD_ECONFIG);
	assert_null(c);
	assert_non_null(strstr(errors.ptr, "unknown URL scheme (expected duck:)"));
	assert_null(strstr(errors.ptr, "pw@"));
	unlink(path);
	sd_str_dispose(&errors);
	sd_str_dispose(&warnings);
}

/*
 * A check looks its pair up by name (binary search over a sorted index):
 * every pair of a long list, in any order, is found as itself; a name that
 * differs in case or is absent is not.
 */
static void
test_config__pairs_found_by_name(void **state)
{
	static char path[] = "/tmp/schemad-test-config.XXXXXX";
	sd_config *c = NULL;
	sd_str errors, warnings;
	char name[32];
	FILE *f;

	(void)state;
	sd_str_init(&errors);
	sd_str_init(&warnings);
	strcpy(path, "/tmp/schemad-test-config.XXXXXX");
	f = fdopen(mkstemp(path), "w");
	fprintf(f, "state_path: /tmp/x.db\nenvironments:\n  - {name: a, url: \"duck:a\"}\n"
	           "  - {name: b, url: \"duck:b\"}\npairs:\n");
	/* 500 names, written in an order that is not their byte order */
	for (int i = 0; i < 500; i++)
		fprintf(f, "  - {name: \"P%03d-%s\", reference: a, target: b}\n", (i * 7) % 500,
		        i % 2 ? "odd" : "Even");
	fclose(f);
	assert_int_equal(sd_cfg_load(&c, path, &duck_engines, &errors, &warnings), SD_OK);
	assert_int_equal(c->n_pairs, 500);
	for (size_t i = 0; i < c->n_pairs; i++)
		assert_ptr_equal(sd_cfg_find_pair(c, c->pairs[i].name), &c->pairs[i]);
	snprintf(name, sizeof(name), "p%03d-odd", 7);
	assert_null(sd_cfg_find_pair(c, name));
	assert_null(sd_cfg_find_pair(c, "P999-odd"));
	assert_null(sd_cfg_find_pair(c, ""));
	sd_cfg_free(c);
	unlink(path);
	sd_str_dispose(&errors);
	sd_str_dispose(&warnings);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_config__engines_from_the_caller),
	        cmocka_unit_test(test_config__pairs_found_by_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
