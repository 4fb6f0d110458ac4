/*
 * tests/unit/test_err.c: the error object (util/err.c). An error is one
 * line, whatever the library that wrote it: libpq ends its messages with a
 * newline and puts hints on a tab-indented second line.
 */
#include "util/sd_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static void
test_err__libpq_message_is_one_line(void **state)
{
	sd_err err = {0};

	(void)state;
	assert_int_equal(sd_err_set(&err, SD_ECONNECT, "cannot connect: %s",
	                            "connection to server at \"127.0.0.1\", port 1 failed: "
	                            "Connection refused\n\tIs the server running on that host "
	                            "and accepting TCP/IP connections?\n"),
	                 SD_ECONNECT);
	assert_string_equal(err.msg, "cannot connect: connection to server at \"127.0.0.1\", port 1 "
	                             "failed: Connection refused; Is the server running on that "
	                             "host and accepting TCP/IP connections?");
}

static void
test_err__line_breaks_folded(void **state)
{
	sd_err err = {0};

	(void)state;
	sd_err_set(&err, SD_ERROR, "%s", "a\nb");
	assert_string_equal(err.msg, "a; b");
	sd_err_set(&err, SD_ERROR, "%s", "a  \r\n\r\n  b\n");
	assert_string_equal(err.msg, "a; b");
	sd_err_set(&err, SD_ERROR, "%s", "\n\nonly\n\n");
	assert_string_equal(err.msg, "only");
	sd_err_set(&err, SD_ERROR, "%s", "plain, untouched  ");
	assert_string_equal(err.msg, "plain, untouched  ");
	sd_err_prefix(&err, "ctx: ");
	assert_string_equal(err.msg, "ctx: plain, untouched  ");
}

static void
test_err__long_message_stays_terminated(void **state)
{
	sd_err err = {0};
	char big[2000];

	(void)state;
	for (size_t i = 0; i < sizeof(big) - 1; i++)
		big[i] = i % 3 == 0 ? '\n' : 'x';
	big[sizeof(big) - 1] = '\0';
	sd_err_set(&err, SD_ERROR, "%s", big);
	assert_true(strlen(err.msg) < sizeof(err.msg));
	assert_null(strchr(err.msg, '\n'));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_err__libpq_message_is_one_line),
	        cmocka_unit_test(test_err__line_breaks_folded),
	        cmocka_unit_test(test_err__long_message_stays_terminated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
