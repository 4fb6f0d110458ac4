/*
 * tests/unit/test_source.c: SOURCE handling that needs no server.
 *
 * Test organisation:
 *   source__redact_*     passwords never survive redaction, whatever the URL's shape
 */
#include "testutil.h"

#include "connectors/sd_source.h"

#include <stdlib.h>
#include <string.h>

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
test_source__redact_passwords(void **state)
{
	(void)state;
	expect_redacted("postgres://app:s3cret@db.internal:5432/app?sslmode=require",
			"postgres://app:***@db.internal:5432/app?sslmode=require");
	/* unencoded '@' and '/' in a password: everything up to the last '@' goes */
	expect_redacted("postgres://u:p@ss/w@host/db", "postgres://u:***@host/db");
	expect_redacted("postgres://host/db?user=u&password=s3cret&sslmode=verify-full",
			"postgres://host/db?user=u&password=***&sslmode=verify-full");
	expect_redacted("mysql://root:pw@localhost/db?sslpassword=x&socket=/run/m.sock",
			"mysql://root:***@localhost/db?sslpassword=***&socket=/run/m.sock");
	expect_redacted("postgresql://u@h/db?PASSWORD=x", "postgresql://u@h/db?PASSWORD=***");
	/* nothing secret: unchanged */
	expect_redacted("postgres://u@h/db", "postgres://u@h/db");
	expect_redacted("sqlite:///srv/a@b.db", "sqlite:///srv/a@b.db");
	expect_redacted("snapshot.json", "snapshot.json");
}

static void
test_source__redact_detects_passwords(void **state)
{
	(void)state;
	assert_true(sd_url_has_password("postgres://u:p@h/db"));
	assert_true(sd_url_has_password("postgres://h/db?x=1&password=p"));
	assert_false(sd_url_has_password("postgres://u@h/db?sslmode=require"));
	assert_false(sd_url_has_password("sqlite:///srv/a@b.db"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source__redact_passwords),
		cmocka_unit_test(test_source__redact_detects_passwords),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
