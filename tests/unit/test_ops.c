/*
 * tests/unit/test_ops.c: the daemon's operating parts that need no server.
 *
 * Test organisation:
 *   ops__listen_*     http.listen: addresses, ports, loopback or not, mistakes
 *   ops__escape_*     HTML and Prometheus label escaping
 *   ops__grace_*      pair.unreachable only past the grace, pair.recovered only after it
 *   ops__ack_*        an acknowledged drift is silenced, another drift is not
 *   ops__mute_*       a mute silences every event until its end
 *   ops__retention_*  pruning keeps state changes and each pair's latest check
 *   ops__migrates_*   a store from before these columns is brought up to date
 *   ops__history_*    checks, silences and applies merged newest first, on the page too
 */
#include "testutil.h"

#include "daemon/metrics.h"
#include "daemon/page.h"
#include "daemon/state.h"
#include "daemon/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
expect_listen(const char *text, const char *host, int port, bool loopback)
{
	char h[64];
	int p = -1;
	bool lb = !loopback;
	const char *why = sd_cfg_parse_listen(text, h, &p, &lb);

	if (why || strcmp(h, host) != 0 || p != port || lb != loopback) {
		print_error("listen %s: %s %s %d %d\n", text, why ? why : "ok", why ? "" : h, p,
		            lb);
		fail();
	}
}

static void
test_ops__listen_addresses(void **state)
{
	char h[64];
	int p;
	bool lb;

	(void)state;
	expect_listen("127.0.0.1:9187", "127.0.0.1", 9187, true);
	expect_listen("127.1.2.3:80", "127.1.2.3", 80, true);
	expect_listen("localhost:0", "127.0.0.1", 0, true);
	expect_listen("9187", "127.0.0.1", 9187, true); /* a port alone: loopback */
	expect_listen("[::1]:9187", "::1", 9187, true);
	expect_listen("0.0.0.0:9187", "0.0.0.0", 9187, false);
	expect_listen("192.0.2.10:443", "192.0.2.10", 443, false);
	expect_listen("[::]:9187", "::", 9187, false);
	assert_non_null(sd_cfg_parse_listen("nowhere", h, &p, &lb));
	assert_non_null(sd_cfg_parse_listen("127.0.0.1:65536", h, &p, &lb));
	assert_non_null(sd_cfg_parse_listen("127.0.0.1:", h, &p, &lb));
	assert_non_null(sd_cfg_parse_listen("status.example:80", h, &p, &lb));
	assert_non_null(sd_cfg_parse_listen("[::1]9187", h, &p, &lb));
	assert_non_null(sd_cfg_parse_listen(":9187", h, &p, &lb));
}

static void
test_ops__escape_html_and_labels(void **state)
{
	sd_str s;

	(void)state;
	sd_str_init(&s);
	sd_html_escape(&s, "<script>alert('x')</script> & \"q\"");
	assert_string_equal(s.ptr,
	                    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
	sd_str_clear(&s);
	sd_metrics_label(&s, "a\"b\\c\nd");
	assert_string_equal(s.ptr, "a\\\"b\\\\c\\nd");
	sd_str_dispose(&s);
}

/* ---- the state store ------------------------------------------------------ */

typedef struct fixture {
	char path[64];
	sd_state *st;
	sd_config cfg;
	sd_cfg_pair pair;
	sd_cfg_sink sink;
	const char *alerts[1];
	long long now;
} fixture;

static fixture *
fixture_new(int grace_checks, long long grace_ms)
{
	fixture *f = calloc(1, sizeof(*f));
	sd_err err = {0};

	snprintf(f->path, sizeof(f->path), "/tmp/sd-test-ops-%ld.db", (long)getpid());
	unlink(f->path);
	assert_int_equal(sd_state_open(&f->st, f->path, &err), SD_OK);
	f->alerts[0] = "hook";
	f->sink = (sd_cfg_sink){
	        .name = "hook", .type = "command", .command = "true", .min_risk = SD_BAND_LOW};
	f->pair = (sd_cfg_pair){.name = "p",
	                        .reference = "a",
	                        .target = "b",
	                        .interval_ms = 1000,
	                        .alerts = f->alerts,
	                        .n_alerts = 1,
	                        .grace_ms = grace_ms,
	                        .grace_checks = grace_checks};
	f->cfg.pairs = &f->pair;
	f->cfg.n_pairs = 1;
	f->cfg.sinks = &f->sink;
	f->cfg.n_sinks = 1;
	f->now = 1700000000000LL;
	return f;
}

static void
fixture_free(fixture *f)
{
	sd_state_close(f->st);
	unlink(f->path);
	free(f);
}

/* Records a check of status (fingerprint fp for drift) 1 s after the last; returns its events. */
static char *
record(fixture *f, sd_check_status status, const char *fp)
{
	sd_check c;
	sd_err err = {0};
	sd_str events;

	memset(&c, 0, sizeof(c));
	c.pair = &f->pair;
	c.status = status;
	snprintf(c.fingerprint, sizeof(c.fingerprint), "%s", fp);
	c.started_ms = (f->now += 1000);
	c.duration_ms = 10;
	if (!sd_check_status_read(status)) {
		snprintf(c.error, sizeof(c.error), "environment b: cannot connect");
		c.reason = status == SD_CHECK_DEFERRED ? SD_REASON_LOCKED : SD_REASON_UNREACHABLE;
	}
	sd_str_init(&events);
	assert_int_equal(sd_state_record(f->st, &c, &f->cfg, &events, &err), SD_OK);
	return sd_str_detach(&events);
}

static void
expect_events(fixture *f, sd_check_status status, const char *fp, const char *want)
{
	char *got = record(f, status, fp);

	if (strcmp(got, want) != 0) {
		print_error("events [%s], want [%s]\n", got, want);
		free(got);
		fail();
	}
	free(got);
}

static void
test_ops__grace_checks(void **state)
{
	fixture *f = fixture_new(3, 0);

	(void)state;
	expect_events(f, SD_CHECK_OK, "", "");
	expect_events(f, SD_CHECK_DEFERRED, "", "");
	expect_events(f, SD_CHECK_UNREACHABLE, "", "");
	expect_events(f, SD_CHECK_OK, "", ""); /* two failures, under the grace: nothing at all */
	expect_events(f, SD_CHECK_UNREACHABLE, "", "");
	expect_events(f, SD_CHECK_DEFERRED, "", "");
	expect_events(f, SD_CHECK_UNREACHABLE, "", "pair.unreachable");
	expect_events(f, SD_CHECK_UNREACHABLE, "", ""); /* once */
	expect_events(f, SD_CHECK_OK, "", "pair.recovered");
	fixture_free(f);
}

static void
test_ops__grace_duration(void **state)
{
	fixture *f = fixture_new(1, 2500); /* checks are 1 s apart */

	(void)state;
	expect_events(f, SD_CHECK_OK, "", "");
	expect_events(f, SD_CHECK_DEFERRED, "", "");                 /* t=0 */
	expect_events(f, SD_CHECK_DEFERRED, "", "");                 /* t=1s */
	expect_events(f, SD_CHECK_DEFERRED, "", "");                 /* t=2s */
	expect_events(f, SD_CHECK_DEFERRED, "", "pair.unreachable"); /* t=3s > 2.5s */
	expect_events(f, SD_CHECK_OK, "", "pair.recovered");
	fixture_free(f);
}

#define FP_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FP_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static void
test_ops__ack_silences_that_drift_only(void **state)
{
	fixture *f = fixture_new(1, 0);
	char fp[SD_FINGERPRINT_LEN + 1];
	sd_err err = {0};
	int cleared = 0;

	(void)state;
	assert_int_not_equal(sd_state_silence(f->st, "p", "ack", 0, "ann", "", fp, &err), SD_OK);
	expect_events(f, SD_CHECK_DRIFT, FP_A, "drift.detected");
	assert_int_equal(sd_state_silence(f->st, "p", "ack", 0, "ann", "hotfix", fp, &err), SD_OK);
	assert_string_equal(fp, FP_A);
	expect_events(f, SD_CHECK_DRIFT, FP_B, "drift.changed");
	expect_events(f, SD_CHECK_DRIFT, FP_A, "drift.changed (silenced: acknowledged)");
	expect_events(f, SD_CHECK_OK, "", "drift.resolved");
	expect_events(f, SD_CHECK_DRIFT, FP_A, "drift.detected (silenced: acknowledged)");
	assert_int_equal(sd_state_unsilence(f->st, "p", "ack", "bob", &cleared, &err), SD_OK);
	assert_int_equal(cleared, 1);
	expect_events(f, SD_CHECK_DRIFT, FP_B, "drift.changed");
	fixture_free(f);
}

static void
test_ops__mute_ends(void **state)
{
	fixture *f = fixture_new(1, 0);
	char fp[SD_FINGERPRINT_LEN + 1];
	sd_err err = {0};

	(void)state;
	expect_events(f, SD_CHECK_OK, "", "");
	/* Muted until 2.5 s later on the checks' clock (they run 1 s apart, 10 ms each). */
	assert_int_equal(sd_state_silence(f->st, "p", "mute", f->now + 2500, "ann", "window", fp,
	                                  &err),
	                 SD_OK);
	expect_events(f, SD_CHECK_DRIFT, FP_A, "drift.detected (silenced: muted)");
	expect_events(f, SD_CHECK_UNREACHABLE, "", "pair.unreachable (silenced: muted)");
	expect_events(f, SD_CHECK_DRIFT, FP_A, "pair.recovered"); /* 3 s on: the mute is over */
	fixture_free(f);
}

static void
test_ops__retention_keeps_state_changes(void **state)
{
	fixture *f = fixture_new(1, 0);
	long long deleted = 0;
	sd_err err = {0};
	char *events;

	(void)state;
	for (int i = 0; i < 10; i++) {
		events = record(f, i < 5 ? SD_CHECK_OK : SD_CHECK_DRIFT, i < 5 ? "" : FP_A);
		free(events);
	}
	/* 10 checks, 2 of them state changes (the first, the drift); all older than 1 ms */
	assert_int_equal(sd_state_prune(f->st, 1, f->now + 100000, &deleted, &err), SD_OK);
	assert_int_equal(deleted, 7); /* the latest check stays too */
	assert_int_equal(tu_scalar(f->path, "SELECT count(*) FROM checks WHERE changed = 1"), 2);
	assert_int_equal(tu_scalar(f->path, "SELECT count(*) FROM checks"), 3);
	assert_int_equal(sd_state_prune(f->st, 0, f->now + 100000, &deleted, &err), SD_OK);
	assert_int_equal(deleted, 0); /* 0: keep everything */
	fixture_free(f);
}

/* An apply between two checks: the history has it in its place, by whom, and the page shows it. */
static void
test_ops__history_shows_applies(void **state)
{
	fixture *f = fixture_new(1, 0);
	sd_err err = {0};
	sd_str html;
	json_t *h, *a, *pair = json_pack("{s:s}", "name", "p");
	sd_apply_entry e = {.pair = "p",
	                    .who = "<ann>",
	                    .outcome = "error",
	                    .duration_ms = 42,
	                    .statements = 3,
	                    .applied = 0,
	                    .rolled_back = true,
	                    .error = "rolled back, nothing applied: x < y"};

	(void)state;
	free(record(f, SD_CHECK_DRIFT, FP_A));
	e.started_ms = f->now + 400;
	assert_int_equal(sd_state_record_apply(f->st, &e, &err), SD_OK);
	e.pair = "other"; /* another pair's apply is not in p's history */
	assert_int_equal(sd_state_record_apply(f->st, &e, &err), SD_OK);
	free(record(f, SD_CHECK_OK, ""));

	h = sd_status_history(f->st, "p", 50, 0);
	assert_int_equal(json_array_size(h), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 0), "status")), "ok");
	a = json_array_get(h, 1);
	assert_string_equal(json_string_value(json_object_get(a, "kind")), "apply");
	assert_string_equal(json_string_value(json_object_get(a, "who")), "<ann>");
	assert_string_equal(json_string_value(json_object_get(a, "outcome")), "error");
	assert_int_equal(json_integer_value(json_object_get(a, "statements")), 3);
	assert_int_equal(json_integer_value(json_object_get(a, "applied")), 0);
	assert_true(json_is_true(json_object_get(a, "rolled_back")));
	assert_string_equal(sd_status_apply_label(a), "apply failed");
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 2), "status")),
	                    "drift");

	sd_str_init(&html);
	sd_page_pair(&html, pair, NULL, "", NULL, h);
	assert_non_null(strstr(html.ptr, "apply failed</span> by &lt;ann&gt;"));
	assert_non_null(strstr(html.ptr, "0 of 3 statements, 42 ms, rolled back: rolled back, "
	                                 "nothing applied: x &lt; y"));
	sd_str_dispose(&html);
	json_decref(h);
	h = sd_status_history(f->st, "p", 2, 0); /* the limit holds across kinds */
	assert_int_equal(json_array_size(h), 2);
	json_decref(h);
	json_decref(pair);
	fixture_free(f);
}

/* A store written before this schema: its columns are added, last_success filled in. */
static void
test_ops__migrates_an_old_store(void **state)
{
	char path[64];
	sd_state *st = NULL;
	sd_err err = {0};

	(void)state;
	snprintf(path, sizeof(path), "/tmp/sd-test-ops-old-%ld.db", (long)getpid());
	unlink(path);
	tu_exec(path, "CREATE TABLE checks (id INTEGER PRIMARY KEY, pair TEXT NOT NULL, started_at "
	              "INTEGER NOT NULL, duration_ms INTEGER NOT NULL, status TEXT NOT NULL, "
	              "fingerprint TEXT NOT NULL, score INTEGER NOT NULL, changes INTEGER NOT NULL, "
	              "low INTEGER NOT NULL, medium INTEGER NOT NULL, high INTEGER NOT NULL, "
	              "critical INTEGER NOT NULL, error TEXT);"
	              "CREATE TABLE pair_state (pair TEXT PRIMARY KEY, reachable INTEGER NOT NULL, "
	              "fingerprint TEXT NOT NULL, status TEXT NOT NULL, since INTEGER NOT NULL, "
	              "last_check INTEGER NOT NULL);"
	              "INSERT INTO checks VALUES (1, 'p', 1000, 5, 'ok', '', 0, 0, 0, 0, 0, 0, NULL);"
	              "INSERT INTO checks VALUES (2, 'p', 2000, 5, 'unreachable', '', 0, 0, 0, 0, 0, "
	              "0, 'down');"
	              "INSERT INTO pair_state VALUES ('p', 1, '', 'unreachable', 1005, 2005);");
	assert_int_equal(sd_state_open(&st, path, &err), SD_OK);
	assert_int_equal(tu_scalar(path, "SELECT last_success FROM pair_state"), 1005);
	assert_int_equal(tu_scalar(path, "SELECT count(*) FROM checks WHERE changed = 1"), 2);
	assert_int_equal(tu_scalar(path, "PRAGMA user_version"), 1);
	sd_state_close(st);
	assert_int_equal(sd_state_open(&st, path, &err), SD_OK); /* twice: nothing left to do */
	sd_state_close(st);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_ops__listen_addresses),
	        cmocka_unit_test(test_ops__escape_html_and_labels),
	        cmocka_unit_test(test_ops__grace_checks),
	        cmocka_unit_test(test_ops__grace_duration),
	        cmocka_unit_test(test_ops__ack_silences_that_drift_only),
	        cmocka_unit_test(test_ops__mute_ends),
	        cmocka_unit_test(test_ops__retention_keeps_state_changes),
	        cmocka_unit_test(test_ops__migrates_an_old_store),
	        cmocka_unit_test(test_ops__history_shows_applies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
