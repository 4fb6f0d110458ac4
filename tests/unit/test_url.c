/*
 * tests/unit/test_url.c: the one URL layer (util/url.c).
 *
 * Test organisation:
 *   url__parse_*     parts, percent-decoding, libpq's unencoded passwords
 *   url__redact_*    no password survives, whatever the URL's shape
 *   url__scrub_*     library messages lose the secrets they quote
 *   url__rewrite_*   with_database / with_password / format
 */
#include "testutil.h"

#include "util/sd_url.h"

#include <stdlib.h>
#include <string.h>

static void
test_url__parse_parts(void **state)
{
	sd_url u;
	sd_err err = {0};

	(void)state;
	assert_int_equal(sd_url_parse(&u,
	                              "PostgreSQL://app%40x:s%2Fe@db.internal:5433/app%20db"
	                              "?sslmode=require&application_name=a%26b",
	                              &err),
	                 SD_OK);
	assert_string_equal(u.scheme, "postgresql");
	assert_true(u.authority);
	assert_string_equal(u.user, "app@x");
	assert_string_equal(u.password, "s/e");
	assert_string_equal(u.host, "db.internal");
	assert_string_equal(u.port, "5433");
	assert_string_equal(u.path, "/app db");
	assert_int_equal(u.n_params, 2);
	assert_string_equal(sd_url_param_get(&u, "application_name"), "a&b");
	sd_url_dispose(&u);

	assert_int_equal(sd_url_parse(&u, "sqlite:rel/x.db", &err), SD_OK);
	assert_false(u.authority);
	assert_null(u.host);
	assert_string_equal(u.path, "rel/x.db");
	sd_url_dispose(&u);

	assert_int_equal(sd_url_parse(&u, "postgres://postgres@/?host=/tmp/pg%20dir", &err), SD_OK);
	assert_null(u.host);
	assert_string_equal(u.path, "/");
	assert_string_equal(sd_url_param_get(&u, "host"), "/tmp/pg dir");
	sd_url_dispose(&u);

	/* libpq's host list: keywords host=h1,h2 port=5432,5433 */
	assert_int_equal(sd_url_parse(&u, "postgres://u@h1:5432,h2:5433,h3/db", &err), SD_OK);
	assert_string_equal(u.host, "h1,h2,h3");
	assert_string_equal(u.port, "5432,5433,");
	{
		char *back = sd_url_format(&u);
		assert_string_equal(back, "postgres://u@h1:5432,h2:5433,h3/db");
		free(back);
	}
	sd_url_dispose(&u);

	assert_int_equal(sd_url_parse(&u, "mysql://[::1]:3307/db", &err), SD_OK);
	assert_string_equal(u.host, "::1");
	assert_string_equal(u.port, "3307");
	sd_url_dispose(&u);
}

/* libpq takes '#' and '?' unencoded in a password: so does the parser. */
static void
test_url__parse_unencoded_password(void **state)
{
	sd_url u;
	sd_err err = {0};

	(void)state;
	assert_int_equal(sd_url_parse(&u, "postgres://u:p#1?x@h/db?sslmode=disable", &err), SD_OK);
	assert_string_equal(u.password, "p#1?x");
	assert_string_equal(u.host, "h");
	assert_string_equal(u.path, "/db");
	assert_string_equal(sd_url_param_get(&u, "sslmode"), "disable");
	sd_url_dispose(&u);
	assert_int_equal(sd_url_parse(&u, "mysql://u:a@b@h/db", &err), SD_OK);
	assert_string_equal(u.password, "a@b");
	sd_url_dispose(&u);
}

static void
test_url__parse_errors(void **state)
{
	static const char *const bad[] = {
	        "no scheme here",
	        "postgres://u:hunter2%zz@h/db",
	        "postgres://u:hunter2@h:port/db",
	        "postgres://u:hunter2@[::1/db",
	        "postgres://h/db?password=hunter2%0",
	        "postgres://u%00:hunter2@h/db",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		sd_url u;
		sd_err err = {0};
		assert_int_equal(sd_url_parse(&u, bad[i], &err), SD_ECONFIG);
		assert_null(strstr(err.msg, "hunter2"));
		assert_null(u.scheme); /* left empty */
	}
}

static void
expect_redacted(const char *url, const char *want)
{
	char *got = sd_url_redact(url);

	if (strcmp(got, want) != 0) {
		print_error("redact(%s) = %s, want %s\n", url, got, want);
		free(got);
		fail();
	}
	free(got);
}

static void
test_url__redact_shapes(void **state)
{
	(void)state;
	expect_redacted("postgres://u:p#1?x@h/db?sslmode=disable",
	                "postgres://u:***@h/db?sslmode=disable");
	expect_redacted("postgres://u:p@ss/w@host/db", "postgres://u:***@host/db");
	expect_redacted("postgres://u:pw@h/db?password=x&sslpassword=y&a=1",
	                "postgres://u:***@h/db?password=***&sslpassword=***&a=1");
	expect_redacted("postgres://u@h/db?application_name=a@b",
	                "postgres://u@h/db?application_name=a@b");
	expect_redacted("sqlite:///srv/a:b@c.db", "sqlite:///srv/a:b@c.db");
	expect_redacted("not a url:p@x", "not a url:p@x");
	assert_true(sd_url_has_password("postgres://u:p#1?x@h/db"));
	assert_false(sd_url_has_password("postgres://u@h/db?password="));
	assert_true(sd_url_has_password("mysql://h/db?sslpassword=s"));
}

static void
test_url__scrub_library_messages(void **state)
{
	sd_url u;
	sd_err err = {0};
	char *clean;

	(void)state;
	assert_int_equal(sd_url_parse(&u, "postgres://u:s%20cr%23t@h/db?sslpassword=k3y", &err),
	                 SD_OK);
	clean = sd_url_scrub(&u, "could not parse \"postgres://u:s%20cr%23t@h\" (s cr#t, k3y)");
	assert_null(strstr(clean, "s cr#t"));
	assert_null(strstr(clean, "s%20cr%23t"));
	assert_null(strstr(clean, "k3y"));
	assert_non_null(strstr(clean, "could not parse"));
	free(clean);
	sd_url_dispose(&u);
}

static void
test_url__rewrite(void **state)
{
	char *s;

	(void)state;
	s = sd_url_with_database("postgres://u:p%40@h:5432/old?sslmode=require", "schemad scratch");
	assert_string_equal(s, "postgres://u:p%40@h:5432/schemad%20scratch?sslmode=require");
	free(s);
	s = sd_url_with_database("mysql://root@/x?socket=/run/m.sock", "n");
	assert_string_equal(s, "mysql://root@/n?socket=/run/m.sock");
	free(s);
	s = sd_url_with_password("postgres://app@h/db", "a:b@c#?/");
	assert_string_equal(s, "postgres://app:a%3Ab%40c%23%3F%2F@h/db");
	free(s);
	assert_null(sd_url_with_password("postgres://app:x@h/db", "y")); /* already has one */
	assert_null(sd_url_with_password("postgres://h/db", "y"));       /* no user */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_url__parse_parts),
	        cmocka_unit_test(test_url__parse_unencoded_password),
	        cmocka_unit_test(test_url__parse_errors),
	        cmocka_unit_test(test_url__redact_shapes),
	        cmocka_unit_test(test_url__scrub_library_messages),
	        cmocka_unit_test(test_url__rewrite),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
