/*
 * daemon/main.c: the schemad command line.
 *
 *   schemad diff FROM TO [--format text|json|sql]
 *   schemad inspect SOURCE [-o FILE]
 *
 * Exit codes: 0 no drift, 1 drift, 2 error. Errors are one line on stderr
 * naming the input and the reason; nothing is written to stdout then.
 * Only this file calls exit().
 */
#include "connectors/sd_source.h"
#include "util/sd_file.h"
#include "daemon/alert.h"
#include "daemon/cli.h"
#include "daemon/cmd.h"
#include "daemon/cmd_apply.h"
#include "daemon/cmd_check.h"
#include "daemon/loop.h"
#include "daemon/pair.h"
#include "daemon/state.h"
#include "daemon/report.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SD_VERSION
#define SD_VERSION "0.1.0"
#endif

enum { EXIT_NO_DRIFT = 0, EXIT_DRIFT = 1, EXIT_ERROR = 2 };

static const char USAGE[] =
	"usage: schemad <command> [options]\n"
	"\n"
	"commands:\n"
	"  diff FROM TO [--format text|json|markdown|sql|plan] [--fail-on BAND]\n"
	"                                          compare two schemas; exit 0 none, 1 drift, 2 error\n"
	"  inspect SOURCE [-o FILE]                print the normalized schema as snapshot JSON\n"
	"  apply FROM TO | --plan FILE FROM | PAIR run the plan on FROM and verify; exit 0, 1 or 2\n"
	"  check [PAIR...] [--config FILE]         run configured pairs once; exit 0, 1 or 2\n"
	"  validate [--config FILE]                check a configuration file; exit 0 or 2\n"
	"  run [--config FILE]                     the daemon: check pairs on schedule\n"
	"  status [--config FILE] [--format json]  each pair's state, since when, last result\n"
	"  history PAIR [--since WHEN] [--format json]\n"
	"                                          a pair's recent checks, acks, mutes, applies\n"
	"  show PAIR [--format text|json|markdown|sql]\n"
	"                                          the pair's last report from the state store\n"
	"  ack PAIR [--until WHEN] [--reason TEXT] accept the pair's current drift: no alerts\n"
	"  mute PAIR --until WHEN [--reason TEXT]  no alerts for the pair until WHEN\n"
	"  alert test SINK [--config FILE]         send a sample event to an alert sink\n"
	"\n"
	"A SOURCE is a database URL (see below), a snapshot JSON file, or a SQL dump\n"
	"(*.sql, with --dialect).\n"
	"Run 'schemad <command> --help' for a command's options; 'schemad --version'.\n";

/* Appends the URL forms of every registered engine to a usage text. */
static void
print_usage(FILE *f, const char *usage)
{
	fputs(usage, f);
	fputs("\nsource URLs:\n", f);
	for (size_t i = 0; sd_engines[i]; i++)
		if (sd_engines[i]->introspect)
			fprintf(f, "  %-10s %s\n", sd_engines[i]->name, sd_engines[i]->url_example);
	fprintf(f, "dump and script dialects (--dialect): %s\n", sd_engine_dialects_text());
}

#define TIMEOUT_HELP                                                                               \
	"      --connect-timeout DURATION  reaching a server (default 10s)\n"                        \
	"      --statement-timeout DURATION  any one catalog query (default 30s)\n"                  \
	"      --lock-timeout DURATION  waiting on another session's lock (default 2s)\n"

static const char DIFF_USAGE[] =
	"usage: schemad diff FROM TO [options]\n"
	"\n"
	"Compares FROM with TO. --format sql prints the SQL that, run on FROM, makes its\n"
	"schema equal TO's. Exit 0 when there is no drift, 1 when there is, 2 on error.\n"
	"FROM and TO are database URLs (listed below), snapshot JSON files, or SQL dump\n"
	"files (*.sql, with --dialect).\n"
	"\n"
	"  -f, --format FORMAT        text (default), json, markdown, sql, or plan (a plan\n"
	"                             document to review, then run with schemad apply)\n"
	"  -o, --output FILE          write to FILE (atomically) instead of standard output\n"
	"      --fail-on BAND         exit 1 only when a change reaches BAND (low, medium,\n"
	"                             high, critical); 0 otherwise\n"
	"      --include GLOB         only objects whose name matches (repeatable)\n"
	"      --exclude GLOB         skip objects whose name matches, or one index or\n"
	"                             constraint named TABLE.NAME (repeatable)\n"
	"      --ignore KIND          skip a change kind: column.order, trigger, comment ...\n"
	"      --risk-override K=N    score change kind K as N (0-100) (repeatable)\n"
	"      --compare LIST         also compare privileges and/or owners (privileges,owners)\n"
	"      --dialect DIALECT      the dialect of .sql dump sources (listed below)\n"
	"      --concurrently         PostgreSQL plans: CREATE INDEX CONCURRENTLY, outside\n"
	"                             the transaction\n"
	"      --dev-url URL          a server where postgres/mysql dumps are loaded into a\n"
	"                             scratch database, dropped afterwards ($SCHEMAD_DEV_URL)\n"
	TIMEOUT_HELP
	"  -h, --help                 this help\n";

static const char INSPECT_USAGE[] =
	"usage: schemad inspect SOURCE [-o FILE]\n"
	"\n"
	"Reads SOURCE and prints its normalized schema as snapshot JSON (deterministic:\n"
	"the same schema gives the same bytes). Exit 0 on success, 2 on error.\n"
	"\n"
	"  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
	"      --dialect DIALECT, --dev-url URL   for a .sql dump SOURCE, as in diff\n"
	TIMEOUT_HELP
	"  -h, --help            this help\n";

/* One error line on stderr naming the input and the reason (cli.c). */
#define fail sd_cli_fail

static bool
is_help(const char *a)
{
	return strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0;
}

/* Writes all of buf to stdout; false on a write error (e.g. a closed pipe). */
static bool
write_stdout(const char *buf, size_t len)
{
	return fwrite(buf, 1, len, stdout) == len && fflush(stdout) == 0;
}

/* Prints the first failed side's error; EXIT_ERROR when one failed. */
static int
load_pair(sd_side *a, sd_side *b)
{
	sd_load_both(a, b);
	if (a->rc)
		return fail("%s", a->err.msg);
	if (b->rc)
		return fail("%s", b->err.msg);
	return SD_OK;
}

/* ---- commands -------------------------------------------------------- */

typedef struct diff_args {
	const char *from, *to, *output;
	sd_source_opts source; /* timeouts, dump dialect and scratch server */
	sd_format format;
	sd_band fail_on;
	bool concurrently;
	sd_diff_opts compare;
	SD_VEC(const char *) include, exclude, ignore;
	SD_VEC(sd_risk_override) overrides;
} diff_args;

static void
diff_args_dispose(diff_args *o)
{
	sd_vec_dispose(&o->include);
	sd_vec_dispose(&o->exclude);
	sd_vec_dispose(&o->ignore);
	sd_vec_dispose(&o->overrides);
}

/* Renders d; on failure prints the error and returns EXIT_ERROR. */
static int
render(sd_str *out, const sd_diff *d, sd_format format, const sd_plan_opts *opts)
{
	sd_err err = {0};

	if (sd_report_render(out, d, format, opts, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"),
			     NULL, &err))
		return fail("%s", err.msg);
	return SD_OK;
}

static int
parse_format(sd_format *out, const char *v)
{
	if (sd_format_parse(out, v))
		return SD_OK;
	return fail("diff: unknown format \"%s\" (expected text, json, markdown, sql or plan)", v);
}

enum {
	OPT_FAIL_ON = 256,
	OPT_INCLUDE,
	OPT_EXCLUDE,
	OPT_IGNORE,
	OPT_OVERRIDE,
	OPT_CONCURRENTLY,
	OPT_COMPARE
};

static int
parse_diff_option(diff_args *o, int opt, const char *arg)
{
	sd_risk_override ov;
	sd_err err = {0};

	switch (opt) {
	case 'f':
		return parse_format(&o->format, arg);
	case 'o':
		o->output = arg;
		return SD_OK;
	case OPT_FAIL_ON:
		if ((o->fail_on = sd_band_from_name(arg)) == SD_BAND_NONE)
			return fail("diff: --fail-on \"%s\": expected low, medium, high or critical",
				    arg);
		return SD_OK;
	case OPT_INCLUDE:
		sd_vec_push(&o->include, arg);
		return SD_OK;
	case OPT_EXCLUDE:
		sd_vec_push(&o->exclude, arg);
		return SD_OK;
	case OPT_IGNORE:
		if (!sd_ignore_word_valid(arg, &err))
			return fail("diff: --ignore %s", err.msg);
		sd_vec_push(&o->ignore, arg);
		return SD_OK;
	case OPT_OVERRIDE:
		if (!sd_risk_override_parse(&ov, arg, &err))
			return fail("diff: %s", err.msg);
		sd_vec_push(&o->overrides, ov);
		return SD_OK;
	case OPT_CONCURRENTLY:
		o->concurrently = true;
		return SD_OK;
	case OPT_COMPARE:
		if (!sd_diff_opts_parse(&o->compare, arg, &err))
			return fail("diff: --%s", err.msg);
		return SD_OK;
	default:
		return sd_cli_source_option(&o->source, "diff", opt, arg);
	}
}

/* Returns SD_OK, EXIT_ERROR, or -1 after printing help. */
static int
parse_diff_args(diff_args *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"fail-on", required_argument, NULL, OPT_FAIL_ON},
		{"include", required_argument, NULL, OPT_INCLUDE},
		{"exclude", required_argument, NULL, OPT_EXCLUDE},
		{"ignore", required_argument, NULL, OPT_IGNORE},
		{"risk-override", required_argument, NULL, OPT_OVERRIDE},
		{"concurrently", no_argument, NULL, OPT_CONCURRENTLY},
		{"compare", required_argument, NULL, OPT_COMPARE},
		SD_CLI_SOURCE_LONGOPTS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt, rc;

	optind = 1;
	opterr = 0; /* our own messages, one line each */
	while ((opt = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			print_usage(stdout, DIFF_USAGE);
			return -1;
		}
		if (opt == '?' || opt == ':')
			return fail("diff: unknown option or missing value \"%s\" (see schemad diff "
				    "--help)",
				    argv[optind - 1]);
		if ((rc = parse_diff_option(o, opt, optarg)))
			return rc;
	}
	if (argc - optind != 2)
		return fail("%s", "diff: needs FROM and TO (see schemad diff --help)");
	o->from = argv[optind];
	o->to = argv[optind + 1];
	return SD_OK;
}

/* The exit code of a finished diff: drift, or only drift at --fail-on and above. */
static int
drift_exit(const sd_diff *d, sd_band fail_on)
{
	if (fail_on == SD_BAND_NONE)
		return d->n_changes ? EXIT_DRIFT : EXIT_NO_DRIFT;
	for (size_t i = 0; i < d->n_changes; i++)
		if (sd_risk_band(d->changes[i].risk) >= fail_on)
			return EXIT_DRIFT;
	return EXIT_NO_DRIFT;
}

static int
cmd_diff(int argc, char **argv)
{
	diff_args o = {.source.conn = SD_CONN_OPTS_DEFAULT};
	sd_side a = {0}, b = {0};
	sd_filter filter = {0};
	sd_diff *d = NULL;
	sd_str out;
	int rc;

	if ((rc = parse_diff_args(&o, argc, argv)))
		goto out;
	a.spec = o.from;
	b.spec = o.to;
	if (!o.source.dev_url)
		o.source.dev_url = getenv("SCHEMAD_DEV_URL");
	a.opts = b.opts = o.source;
	if ((rc = load_pair(&a, &b)))
		goto out;
	d = sd_diff_schemas_opts(a.schema, b.schema, sd_dialect_for(a.schema->engine), &o.compare);
	filter = (sd_filter){o.include.ptr, o.include.len, o.exclude.ptr, o.exclude.len,
			     o.ignore.ptr,  o.ignore.len,  o.overrides.ptr, o.overrides.len};
	sd_diff_apply_filter(d, &filter);
	sd_str_init(&out);
	if ((rc = render(&out, d, o.format,
			 &(sd_plan_opts){.concurrently = o.concurrently, .filter = &filter})) == SD_OK) {
		sd_err err = {0};
		if (o.output && sd_file_write_atomic(o.output, out.ptr, out.len, &err))
			rc = fail("%s", err.msg);
		else if (!o.output && !write_stdout(out.ptr, out.len))
			rc = fail("cannot write to standard output: %s", strerror(errno));
		else
			rc = drift_exit(d, o.fail_on);
	}
	sd_str_dispose(&out);
out:
	sd_diff_free(d);
	sd_side_dispose(&a);
	sd_side_dispose(&b);
	diff_args_dispose(&o);
	return rc < 0 ? EXIT_NO_DRIFT : rc; /* -1: help was printed */
}

/* ---- configured pairs ------------------------------------------------- */

#define DEFAULT_CONFIG "/etc/schemad/schemad.yml"

static const char VALIDATE_USAGE[] =
	"usage: schemad validate [--config FILE]\n"
	"\n"
	"Checks a configuration file: syntax, keys, types, durations, references between\n"
	"environments, pairs and alert sinks, and readable *_file secrets. Every problem is\n"
	"printed as FILE:LINE:COLUMN: key: reason. Exit 0 when valid, 2 otherwise.\n"
	"\n"
	"  -c, --config FILE    the configuration (default " DEFAULT_CONFIG ")\n"
	"  -h, --help           this help\n";

/* Loads the configuration, printing warnings and every error. */
static int
load_config(sd_config **out, const char *path)
{
	sd_str errors, warnings;
	int rc;

	sd_str_init(&errors);
	sd_str_init(&warnings);
	rc = sd_cfg_load(out, path, &sd_cfg_registry, &errors, &warnings);
	fputs(warnings.ptr, stderr);
	fputs(errors.ptr, stderr);
	sd_str_dispose(&errors);
	sd_str_dispose(&warnings);
	return rc ? EXIT_ERROR : SD_OK;
}

/* Parses [-c FILE] [-h] and positionals into names. */
static int
parse_config_args(int argc, char **argv, const char *usage, const char **config,
		  int *first_positional)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;

	optind = 1;
	opterr = 0;
	*config = getenv("SCHEMAD_CONFIG") ? getenv("SCHEMAD_CONFIG") : DEFAULT_CONFIG;
	while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return -1;
		}
		if (opt == 'c')
			*config = optarg;
		else
			return fail("%s: unknown option or missing value \"%s\" (see schemad %s "
				    "--help)",
				    argv[0], argv[optind - 1], argv[0]);
	}
	*first_positional = optind;
	return SD_OK;
}

static int
cmd_validate(int argc, char **argv)
{
	const char *path;
	sd_config *c = NULL;
	int first, rc;

	if ((rc = parse_config_args(argc, argv, VALIDATE_USAGE, &path, &first)))
		return rc < 0 ? EXIT_NO_DRIFT : rc;
	if (first < argc)
		return fail("validate: unexpected argument \"%s\"", argv[first]);
	if ((rc = load_config(&c, path)))
		return rc;
	printf("%s: valid (%zu environment%s, %zu pair%s, %zu alert sink%s)\n", path, c->n_envs,
	       c->n_envs == 1 ? "" : "s", c->n_pairs, c->n_pairs == 1 ? "" : "s", c->n_sinks,
	       c->n_sinks == 1 ? "" : "s");
	sd_cfg_free(c);
	return EXIT_NO_DRIFT;
}

static const char RUN_USAGE[] =
	"usage: schemad run [--config FILE]\n"
	"\n"
	"Runs the daemon: every configured pair is checked on its interval, results go\n"
	"to the state store, alerts to the outbox. SIGHUP reloads the configuration\n"
	"(a bad one is logged and the old one kept); SIGTERM/SIGINT stop after the\n"
	"checks in flight. Logs go to stderr, one line per event.\n"
	"\n"
	"  -c, --config FILE    the configuration (default " DEFAULT_CONFIG ")\n"
	"  -h, --help           this help\n";

/* Set when `run` left threads behind: main then skips global teardown. */
static bool daemon_abandoned;

static int
cmd_run(int argc, char **argv)
{
	const char *path;
	int first, rc;

	if ((rc = parse_config_args(argc, argv, RUN_USAGE, &path, &first)))
		return rc < 0 ? EXIT_NO_DRIFT : rc;
	if (first < argc)
		return fail("run: unexpected argument \"%s\"", argv[first]);
	rc = sd_daemon_run(path, &daemon_abandoned);
	return rc;
}

static const char ALERT_USAGE[] =
	"usage: schemad alert test SINK [--config FILE]\n"
	"\n"
	"Sends a sample drift.detected event to the alert sink SINK, now, without the\n"
	"outbox or retries, and says whether it was accepted. Exit 0 when it was, 2\n"
	"otherwise.\n"
	"\n"
	"  -c, --config FILE    the configuration (default " DEFAULT_CONFIG ")\n"
	"  -h, --help           this help\n";

static int
cmd_alert(int argc, char **argv)
{
	const char *path;
	sd_config *c = NULL;
	const sd_cfg_sink *sink;
	sd_delivery d;
	char *payload, id[33];
	int first, rc;

	if ((rc = parse_config_args(argc, argv, ALERT_USAGE, &path, &first)))
		return rc < 0 ? EXIT_NO_DRIFT : rc;
	if (argc - first != 2 || strcmp(argv[first], "test") != 0)
		return fail("%s", "alert: usage: schemad alert test SINK [--config FILE]");
	if ((rc = load_config(&c, path)))
		return rc;
	if (!(sink = sd_cfg_find_sink(c, argv[first + 1]))) {
		rc = fail("alert: no alert sink named \"%s\" in %s", argv[first + 1], path);
		sd_cfg_free(c);
		return rc;
	}
	payload = sd_alert_sample_payload(sink->name, id);
	sd_alert_send(&d, sink, payload, id, "drift.detected", c->alert_timeout_ms);
	if (d.ok)
		printf("sink %s: test event accepted\n", sink->name);
	else
		rc = fail("alert: sink %s: %s", sink->name, d.error);
	free(payload);
	sd_cfg_free(c);
	return rc;
}

static int
parse_inspect_args(int argc, char **argv, const char **source, const char **output,
		   sd_source_opts *so)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		SD_CLI_SOURCE_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	int opt, rc;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			print_usage(stdout, INSPECT_USAGE);
			return -1;
		}
		if (opt == ':')
			return fail("inspect: %s needs a value", argv[optind - 1]);
		if (opt == '?')
			return fail("inspect: unknown option \"%s\" (see schemad inspect --help)",
				    argv[optind - 1]);
		if (opt == 'o')
			*output = optarg;
		else if ((rc = sd_cli_source_option(so, "inspect", opt, optarg)))
			return rc;
	}
	if (optind >= argc)
		return fail("%s", "inspect: needs a SOURCE (see schemad inspect --help)");
	if (optind + 1 < argc)
		return fail("inspect: unexpected argument \"%s\"", argv[optind + 1]);
	*source = argv[optind];
	return SD_OK;
}

static int
cmd_inspect(int argc, char **argv)
{
	const char *source = NULL, *output = NULL;
	sd_source_opts so = {.conn = SD_CONN_OPTS_DEFAULT};
	sd_schema *s = NULL;
	sd_err err = {0};
	char *json;
	int rc;

	if ((rc = parse_inspect_args(argc, argv, &source, &output, &so)))
		return rc < 0 ? EXIT_NO_DRIFT : rc;
	if (!so.dev_url)
		so.dev_url = getenv("SCHEMAD_DEV_URL");
	if (sd_source_load(&s, source, &so, &err))
		return fail("%s", err.msg);
	json = sd_snapshot_write(s);
	if (output) {
		if (sd_file_write_atomic(output, json, strlen(json), &err))
			rc = fail("%s", err.msg);
	} else if (!write_stdout(json, strlen(json))) {
		rc = fail("cannot write to standard output: %s", strerror(errno));
	}
	free(json);
	sd_schema_free(s);
	return rc;
}

static int
dispatch(int argc, char **argv)
{
	if (argc < 2) {
		print_usage(stderr, USAGE);
		return EXIT_ERROR;
	}
	if (is_help(argv[1])) {
		print_usage(stdout, USAGE);
		return EXIT_NO_DRIFT;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("schemad %s\n", SD_VERSION);
		return EXIT_NO_DRIFT;
	}
	if (strcmp(argv[1], "diff") == 0)
		return cmd_diff(argc - 1, argv + 1); /* argv[0] = "diff" for getopt */
	if (strcmp(argv[1], "apply") == 0)
		return sd_cmd_apply(argc - 1, argv + 1);
	if (strcmp(argv[1], "inspect") == 0)
		return cmd_inspect(argc - 1, argv + 1);
	if (strcmp(argv[1], "validate") == 0)
		return cmd_validate(argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0)
		return sd_cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "alert") == 0)
		return cmd_alert(argc - 1, argv + 1);
	if (strcmp(argv[1], "status") == 0)
		return sd_cmd_status(argc - 1, argv + 1);
	if (strcmp(argv[1], "history") == 0)
		return sd_cmd_history(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return sd_cmd_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "ack") == 0)
		return sd_cmd_ack(argc - 1, argv + 1);
	if (strcmp(argv[1], "mute") == 0)
		return sd_cmd_mute(argc - 1, argv + 1);
	return fail("unknown command \"%s\" (see schemad --help)", argv[1]);
}

int
main(int argc, char **argv)
{
	int rc;

	/* Once, before any thread: libcurl's global state is not thread-safe to set up. */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = dispatch(argc, argv);
	if (!daemon_abandoned)
		curl_global_cleanup();
	return rc;
}
