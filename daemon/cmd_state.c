/*
 * daemon/cmd_state.c: `schemad status`, `history` and `show`: what the
 * state store knows, as text for people or JSON (daemon/status.c) for
 * programs. They read only, and may run beside the daemon.
 */
#include "daemon/cmd.h"

#include "connectors/sd_source.h"
#include "daemon/cli.h"
#include "daemon/report.h"
#include "daemon/status.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char STATUS_USAGE[] =
        "usage: schemad status [--config FILE] [--format text|json]\n"
        "\n"
        "Each pair's state from the state store: since when, its score, last check\n"
        "and last error, and any acknowledgement or mute.\n"
        "\n"
        "  -c, --config FILE    the configuration (default " SD_CLI_DEFAULT_CONFIG ")\n"
        "  -f, --format FORMAT  text (default) or json\n"
        "  -h, --help           this help\n";

static const char HISTORY_USAGE[] =
        "usage: schemad history PAIR [--config FILE] [--format text|json] [--limit N]\n"
        "                            [--since WHEN]\n"
        "\n"
        "A pair's recent checks, acknowledgements, mutes and applies (schemad apply\n"
        "PAIR) from the state store, newest first. WHEN is a date (2026-11-30,\n"
        "2026-11-30T14:00:00Z) or a duration ago (2h, 1d).\n"
        "\n"
        "  -c, --config FILE    the configuration (default " SD_CLI_DEFAULT_CONFIG ")\n"
        "  -f, --format FORMAT  text (default) or json\n"
        "  -n, --limit N        at most N entries (default 20)\n"
        "      --since WHEN     nothing older\n"
        "  -h, --help           this help\n";

static const char SHOW_USAGE[] =
        "usage: schemad show PAIR [--config FILE] [--format text|json|markdown|sql]\n"
        "\n"
        "The pair's last report, rebuilt from the snapshots its last successful check\n"
        "stored. Exit 0 no drift, 1 drift, 2 error.\n"
        "\n"
        "  -c, --config FILE    the configuration (default " SD_CLI_DEFAULT_CONFIG ")\n"
        "  -f, --format FORMAT  text (default), json, markdown or sql\n"
        "  -h, --help           this help\n";

typedef struct state_args {
	const char *config, *format, *pair;
	int limit;
	long long since_ms;
} state_args;

/* Returns 0, 2 after an error, or -1 after printing help. */
static int
parse(state_args *a, int argc, char **argv, const char *usage)
{
	/* history takes --limit and --since; status and show stop at --format. */
	static const struct option longopts[] = {
	        {"config", required_argument, NULL, 'c'}, {"format", required_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},         {"limit", required_argument, NULL, 'n'},
	        {"since", required_argument, NULL, 's'},  {NULL, 0, NULL, 0},
	};
	static const struct option shortopts[] = {
	        {"config", required_argument, NULL, 'c'},
	        {"format", required_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	bool history = usage == HISTORY_USAGE, want_pair = usage != STATUS_USAGE;
	int opt;
	long n;
	char *end;

	optind = 1;
	opterr = 0;
	a->format = "text";
	a->limit = 20;
	while ((opt = getopt_long(argc, argv, history ? "c:f:n:h" : "c:f:h",
	                          history ? longopts : shortopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage, stdout);
			return -1;
		case 'c':
			a->config = optarg;
			break;
		case 'f':
			a->format = optarg;
			break;
		case 'n':
			n = strtol(optarg, &end, 10);
			if (end == optarg || *end || n < 1 || n > 100000)
				return sd_cli_fail("%s: --limit \"%s\": expected a number from 1 to "
				                   "100000",
				                   argv[0], optarg);
			a->limit = (int)n;
			break;
		case 's':
			if (!sd_cli_parse_time(optarg, -1, &a->since_ms))
				return sd_cli_fail("%s: --since \"%s\": expected a date "
				                   "(2026-11-30T14:00:00Z) or a duration (2h)",
				                   argv[0], optarg);
			break;
		default:
			return sd_cli_fail(
			        "%s: unknown option or missing value \"%s\" (see schemad "
			        "%s --help)",
			        argv[0], argv[optind - 1], argv[0]);
		}
	}
	if (want_pair && optind < argc)
		a->pair = argv[optind++];
	if (want_pair && !a->pair)
		return sd_cli_fail("%s: needs a PAIR (see schemad %s --help)", argv[0], argv[0]);
	if (optind < argc)
		return sd_cli_fail("%s: unexpected argument \"%s\"", argv[0], argv[optind]);
	return 0;
}

static const char *
jstr(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "-";
}

static int
print_json(json_t *o)
{
	char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int rc = sd_cli_write(text, strlen(text));

	if (rc == 0)
		rc = sd_cli_write("\n", 1);
	free(text);
	return rc;
}

/* "drift (acknowledged)", "ok (muted)". */
static void
state_word(char *out, size_t n, const json_t *p)
{
	snprintf(out, n, "%s%s%s", jstr(p, "state"),
	         json_is_object(json_object_get(p, "acknowledged")) ? " (acked)" : "",
	         json_is_object(json_object_get(p, "muted")) ? " (muted)" : "");
}

static void
status_text(sd_str *out, const json_t *pairs)
{
	size_t i;
	const json_t *p;

	sd_str_appendf(out, "%-24s %-22s %-20s %5s %7s  %-20s  %s\n", "PAIR", "STATE", "SINCE",
	               "SCORE", "CHANGES", "LAST CHECK", "FINGERPRINT / ERROR");
	json_array_foreach(pairs, i, p)
	{
		char state[64];
		const char *error = json_string_value(json_object_get(p, "error"));
		const char *fp = json_string_value(json_object_get(p, "fingerprint"));
		state_word(state, sizeof(state), p);
		sd_str_appendf(out, "%-24s %-22s %-20s %5lld %7lld  %-20s  %.*s\n", jstr(p, "name"),
		               state, jstr(p, "since"),
		               (long long)json_integer_value(json_object_get(p, "score")),
		               (long long)json_integer_value(json_object_get(p, "changes")),
		               jstr(p, "last_check"), error ? 400 : 12,
		               error       ? error
		               : fp && *fp ? fp
		                           : "-");
	}
	if (!json_array_size(pairs))
		sd_str_append(out, "(no pairs configured)\n");
}

static void
apply_text(sd_str *out, const json_t *h)
{
	const char *error = json_string_value(json_object_get(h, "error"));

	sd_str_appendf(out, "%-20s %-14s %6lldms %5s %7lld  by %s: %lld of %lld statements%s%s%s\n",
	               jstr(h, "at"), sd_status_apply_label(h),
	               (long long)json_integer_value(json_object_get(h, "duration_ms")), "",
	               (long long)json_integer_value(json_object_get(h, "applied")), jstr(h, "who"),
	               (long long)json_integer_value(json_object_get(h, "applied")),
	               (long long)json_integer_value(json_object_get(h, "statements")),
	               json_is_true(json_object_get(h, "rolled_back")) ? ", rolled back" : "",
	               error ? ": " : "", error ? error : "");
}

static void
history_text(sd_str *out, const json_t *history, const char *pair)
{
	size_t i;
	const json_t *h;

	sd_str_appendf(out, "%-20s %-14s %8s %5s %7s  %s\n", "AT", "WHAT", "TOOK", "SCORE",
	               "CHANGES", "DETAIL");
	json_array_foreach(history, i, h)
	{
		if (strcmp(jstr(h, "kind"), "check") == 0) {
			const char *error = json_string_value(json_object_get(h, "error"));
			const char *fp = jstr(h, "fingerprint");
			sd_str_appendf(
			        out, "%-20s %-14s %6lldms %5lld %7lld  %.*s\n", jstr(h, "at"),
			        jstr(h, "status"),
			        (long long)json_integer_value(json_object_get(h, "duration_ms")),
			        (long long)json_integer_value(json_object_get(h, "score")),
			        (long long)json_integer_value(json_object_get(h, "changes")),
			        error ? 400 : 12,
			        error ? error
			        : *fp ? fp
			              : "-");
		} else if (strcmp(jstr(h, "kind"), "apply") == 0) {
			apply_text(out, h);
		} else {
			sd_str_appendf(
			        out, "%-20s %-14s %8s %5s %7s  by %s: %s%s%s%s%s\n", jstr(h, "at"),
			        strcmp(jstr(h, "kind"), "ack") == 0 ? "acknowledged" : "muted", "",
			        "", "", jstr(h, "who"), jstr(h, "reason"),
			        json_is_string(json_object_get(h, "until")) ? "; until " : "",
			        json_is_string(json_object_get(h, "until")) ? jstr(h, "until") : "",
			        json_is_string(json_object_get(h, "cleared_at")) ? "; cleared "
			                                                         : "",
			        json_is_string(json_object_get(h, "cleared_at"))
			                ? jstr(h, "cleared_at")
			                : "");
		}
	}
	if (!json_array_size(history))
		sd_str_appendf(out, "(nothing recorded for pair %s)\n", pair);
}

static bool
format_ok(const char *format, bool report)
{
	return strcmp(format, "text") == 0 || strcmp(format, "json") == 0 ||
	       (report && (strcmp(format, "markdown") == 0 || strcmp(format, "sql") == 0));
}

int
sd_cmd_status(int argc, char **argv)
{
	state_args a = {0};
	sd_config *cfg = NULL;
	sd_state *st = NULL;
	json_t *pairs;
	sd_str out;
	int rc;

	if ((rc = parse(&a, argc, argv, STATUS_USAGE)))
		return rc < 0 ? 0 : rc;
	if (!format_ok(a.format, false))
		return sd_cli_fail("status: unknown format \"%s\" (expected text or json)",
		                   a.format);
	if ((rc = sd_cli_open_as(&cfg, &st, sd_cli_config_path(a.config), true)))
		return rc;
	pairs = sd_status_pairs(st, cfg);
	if (strcmp(a.format, "json") == 0) {
		rc = print_json(pairs);
	} else {
		int pending, failed;
		sd_str_init(&out);
		status_text(&out, pairs);
		/* Undelivered alerts are never silent: pending retries and those that gave up. */
		if (sd_state_outbox_counts(st, &pending, &failed) == SD_OK && (pending || failed))
			sd_str_appendf(&out, "alerts: %d waiting for a retry, %d failed (given up; "
					     "retried at the next start)\n",
				       pending, failed);
		rc = sd_cli_write(out.ptr, out.len);
		sd_str_dispose(&out);
	}
	json_decref(pairs);
	sd_state_close(st);
	sd_cfg_free(cfg);
	return rc;
}

int
sd_cmd_history(int argc, char **argv)
{
	state_args a = {0};
	sd_config *cfg = NULL;
	sd_state *st = NULL;
	json_t *history;
	sd_str out;
	int rc;

	if ((rc = parse(&a, argc, argv, HISTORY_USAGE)))
		return rc < 0 ? 0 : rc;
	if (!format_ok(a.format, false))
		return sd_cli_fail("history: unknown format \"%s\" (expected text or json)",
		                   a.format);
	if ((rc = sd_cli_open_as(&cfg, &st, sd_cli_config_path(a.config), true)))
		return rc;
	if (!sd_cfg_find_pair(cfg, a.pair)) {
		rc = sd_cli_fail("history: no pair named \"%s\" in %s", a.pair, cfg->path);
		sd_state_close(st);
		sd_cfg_free(cfg);
		return rc;
	}
	history = sd_status_history(st, a.pair, a.limit, a.since_ms);
	if (strcmp(a.format, "json") == 0) {
		rc = print_json(history);
	} else {
		sd_str_init(&out);
		history_text(&out, history, a.pair);
		rc = sd_cli_write(out.ptr, out.len);
		sd_str_dispose(&out);
	}
	json_decref(history);
	sd_state_close(st);
	sd_cfg_free(cfg);
	return rc;
}

/* The last report of one pair in format; its exit code. */
static int
show_last(const sd_last *last, const char *pair, const char *format)
{
	const sd_diff *d = last->diff;
	const sd_dialect *dialect = sd_dialect_for(d->from->engine);
	sd_err err = {0};
	sd_str out;
	int rc = 0;

	sd_str_init(&out);
	if (strcmp(format, "json") == 0) {
		sd_report_json(&out, d);
	} else if (strcmp(format, "markdown") == 0) {
		/* The plan is a bonus in a comment: a report without it beats no report. */
		sd_str plan, title;
		sd_str_init(&plan);
		sd_str_init(&title);
		sd_str_appendf(&title, "pair %s", pair);
		if (dialect && dialect->plan && sd_streq(d->from->engine, d->to->engine) &&
		    d->n_changes && dialect->plan(&plan, d, NULL, &err))
			sd_str_clear(&plan);
		sd_report_markdown(&out, d, plan.len ? plan.ptr : NULL, title.ptr);
		sd_str_dispose(&plan);
		sd_str_dispose(&title);
	} else if (strcmp(format, "sql") == 0) {
		if (!dialect || !dialect->plan || !sd_streq(d->from->engine, d->to->engine))
			rc = sd_cli_fail("show: no plan between engines %s and %s", d->from->engine,
			                 d->to->engine);
		else if (dialect->plan(&out, d, NULL, &err))
			rc = sd_cli_fail("show: cannot write the plan: %s", err.msg);
	} else {
		sd_report_text(&out, d, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
	}
	if (rc == 0)
		rc = sd_cli_write(out.ptr, out.len);
	sd_str_dispose(&out);
	return rc ? rc : d->n_changes ? 1 : 0;
}

int
sd_cmd_show(int argc, char **argv)
{
	state_args a = {0};
	sd_config *cfg = NULL;
	sd_state *st = NULL;
	const sd_cfg_pair *p;
	sd_last last;
	sd_err err = {0};
	int rc;

	if ((rc = parse(&a, argc, argv, SHOW_USAGE)))
		return rc < 0 ? 0 : rc;
	if (!format_ok(a.format, true))
		return sd_cli_fail("show: unknown format \"%s\" (expected text, json, markdown or "
		                   "sql)",
		                   a.format);
	if ((rc = sd_cli_open_as(&cfg, &st, sd_cli_config_path(a.config), true)))
		return rc;
	if (!(p = sd_cfg_find_pair(cfg, a.pair)))
		rc = sd_cli_fail("show: no pair named \"%s\" in %s", a.pair, cfg->path);
	else if (sd_status_last(&last, st, p, &err))
		rc = sd_cli_fail("show: pair %s: %s", a.pair, err.msg);
	else {
		rc = show_last(&last, a.pair, a.format);
		sd_last_dispose(&last);
	}
	sd_state_close(st);
	sd_cfg_free(cfg);
	return rc;
}
