/*
 * daemon/cmd_check.c: `schemad check [PAIR...]`, the configured pairs once.
 *
 * However many pairs, the output is one document: text and Markdown get a
 * section per pair, SQL a comment header per pair (each plan stays whole,
 * engines never run together), JSON one object with a "pairs" array in
 * which every requested pair appears, checked or not. A pair that cannot
 * be checked also gets its one line on stderr. The exit code is the worst
 * pair's: 2 error, 1 drift (at --fail-on and above), 0.
 */
#include "daemon/cmd_check.h"
#include "daemon/pair.h"
#include "daemon/report.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK_FORMAT  "schemad.check"
#define CHECK_VERSION 1

enum { EXIT_NO_DRIFT = 0, EXIT_DRIFT = 1, EXIT_ERROR = 2, OPT_FAIL_ON = 256 };

static const char CHECK_USAGE[] =
        "usage: schemad check [PAIR...] [--config FILE] [--format text|json|markdown|sql]\n"
        "                     [--fail-on BAND]\n"
        "\n"
        "Runs the configured pairs once (all of them, or those named) and prints one\n"
        "report: a section per pair (text, markdown), a commented plan per pair (sql),\n"
        "or one JSON document with a \"pairs\" array. Exit 0 when no pair drifts, 1 when\n"
        "one does, 2 when one cannot be checked (the worst pair wins).\n"
        "\n"
        "  -c, --config FILE    the configuration (default /etc/schemad/schemad.yml)\n"
        "  -f, --format FORMAT  text (default), json, markdown, or sql\n"
        "      --fail-on BAND   exit 1 only when a change reaches BAND (low, medium,\n"
        "                       high, critical); 0 otherwise\n"
        "  -h, --help           this help\n";

typedef struct check_args {
	const char *config;
	sd_format format;
	sd_band fail_on;
	char **names; /* the pairs asked for; none = all */
	int n_names;
} check_args;

static int fail(const char *fmt, ...) SD_PRINTF(1, 2);

/* One line on stderr; returns the error exit code. */
static int
fail(const char *fmt, ...)
{
	va_list ap;

	fputs("schemad: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_ERROR;
}

/* Returns SD_OK, EXIT_ERROR, or -1 after printing help. */
static int
parse_args(check_args *a, int argc, char **argv)
{
	static const struct option longopts[] = {
	        {"config", required_argument, NULL, 'c'},
	        {"format", required_argument, NULL, 'f'},
	        {"fail-on", required_argument, NULL, OPT_FAIL_ON},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	int opt;

	optind = 1;
	opterr = 0; /* our own messages, one line each */
	a->config =
	        getenv("SCHEMAD_CONFIG") ? getenv("SCHEMAD_CONFIG") : "/etc/schemad/schemad.yml";
	while ((opt = getopt_long(argc, argv, "c:f:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(CHECK_USAGE, stdout);
			return -1;
		case 'c':
			a->config = optarg;
			break;
		case 'f':
			/* a plan document is one pair's: diff makes it */
			if (!sd_format_parse(&a->format, optarg) || a->format == SD_FORMAT_PLAN)
				return fail("check: unknown format \"%s\" (expected text, json, "
				            "markdown or sql)",
				            optarg);
			break;
		case OPT_FAIL_ON:
			if ((a->fail_on = sd_band_from_name(optarg)) == SD_BAND_NONE)
				return fail(
				        "check: --fail-on \"%s\": expected low, medium, high or "
				        "critical",
				        optarg);
			break;
		default:
			return fail("check: unknown option or missing value \"%s\" (see schemad "
			            "check --help)",
			            argv[optind - 1]);
		}
	}
	a->names = argv + optind;
	a->n_names = argc - optind;
	return SD_OK;
}

static bool
wanted(const check_args *a, const char *name)
{
	if (a->n_names == 0)
		return true;
	for (int i = 0; i < a->n_names; i++)
		if (strcmp(a->names[i], name) == 0)
			return true;
	return false;
}

static bool
failed(const sd_check *chk)
{
	return !sd_check_status_read(chk->status); /* unreachable, error or deferred */
}

/* The exit code of one read pair: drift, or only drift at fail_on and above. */
static int
drift_exit(const sd_diff *d, sd_band fail_on)
{
	for (size_t i = 0; i < d->n_changes; i++)
		if (sd_risk_band(d->changes[i].risk) >= fail_on)
			return EXIT_DRIFT;
	return EXIT_NO_DRIFT;
}

/* "pair prod: target production -> reference staging" */
static char *
pair_title(const sd_cfg_pair *p)
{
	sd_str t;

	sd_str_init(&t);
	sd_str_appendf(&t, "pair %s: target %s -> reference %s", p->name, p->target, p->reference);
	return sd_str_detach(&t);
}

/* The pair's entry in the JSON document: name, sides, status, report or error. */
static json_t *
pair_json(const sd_check *chk, const char *error)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(chk->pair->name));
	json_object_set_new(o, "target", json_string(chk->pair->target));
	json_object_set_new(o, "reference", json_string(chk->pair->reference));
	json_object_set_new(
	        o, "status",
	        json_string(error && !failed(chk) ? "error" : sd_check_status_name(chk->status)));
	if (error)
		json_object_set_new(o, "error", json_string(error));
	else
		json_object_set_new(o, "report", sd_report_json_value(chk->diff));
	return o;
}

/*
 * Appends one pair's section to out (text, Markdown, SQL) or its entry to
 * pairs (JSON); returns the pair's exit code.
 */
static int
report_pair(sd_str *out, json_t *pairs, const sd_check *chk, const check_args *a, bool many)
{
	char *title = pair_title(chk->pair);
	sd_err err = {0};
	const char *error = NULL;
	int rc;

	if (failed(chk))
		error = chk->error;
	if (a->format == SD_FORMAT_TEXT && many)
		sd_str_appendf(out, "%s== %s\n", out->len ? "\n" : "", title);
	/* A blank line ends the previous section (and any HTML block in Markdown). */
	if ((a->format == SD_FORMAT_SQL || a->format == SD_FORMAT_MARKDOWN) && out->len)
		sd_str_appendc(out, '\n');
	if (a->format == SD_FORMAT_SQL)
		sd_sql_comment(out, title);
	if (a->format == SD_FORMAT_MARKDOWN && error)
		sd_report_markdown_error(out, title, error);
	if (!error && a->format != SD_FORMAT_JSON &&
	    sd_report_render(out, chk->diff, a->format, &(sd_plan_opts){0},
	                     isatty(STDOUT_FILENO) && !getenv("NO_COLOR"), title, &err))
		error = err.msg;
	if (error && a->format == SD_FORMAT_SQL)
		sd_sql_comment(out, error);
	if (error && a->format == SD_FORMAT_TEXT && many)
		sd_str_appendf(out, "not checked: %s\n", error);
	if (a->format == SD_FORMAT_JSON)
		json_array_append_new(pairs, pair_json(chk, error));
	if (error)
		rc = fail("pair %s: %s%s", chk->pair->name,
		          chk->status == SD_CHECK_UNREACHABLE ? "unreachable: " : "", error);
	else
		rc = drift_exit(chk->diff, a->fail_on);
	free(title);
	return rc;
}

/* Appends the JSON document holding every pair's entry. */
static void
append_document(sd_str *out, json_t *pairs)
{
	json_t *root = json_object();
	char *text;

	json_object_set_new(root, "format", json_string(CHECK_FORMAT));
	json_object_set_new(root, "version", json_integer(CHECK_VERSION));
	json_object_set(root, "pairs", pairs);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text)
		abort();
	sd_str_append(out, text);
	sd_str_appendc(out, '\n');
	free(text);
	json_decref(root);
}

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

/* Runs the wanted pairs in configuration order; returns the worst exit code. */
static int
run_pairs(sd_str *out, json_t *pairs, const sd_config *c, const check_args *a)
{
	size_t n_wanted = 0;
	int worst = EXIT_NO_DRIFT;

	for (size_t i = 0; i < c->n_pairs; i++)
		n_wanted += wanted(a, c->pairs[i].name);
	for (size_t i = 0; i < c->n_pairs; i++) {
		sd_check chk;
		int rc;
		if (!wanted(a, c->pairs[i].name))
			continue;
		sd_check_run(&chk, c, &c->pairs[i]);
		rc = report_pair(out, pairs, &chk, a, n_wanted > 1);
		if (rc > worst)
			worst = rc;
		sd_check_dispose(&chk);
	}
	return worst;
}

int
sd_cmd_check(int argc, char **argv)
{
	check_args a = {.format = SD_FORMAT_TEXT, .fail_on = SD_BAND_NONE};
	sd_config *c = NULL;
	json_t *pairs = NULL;
	sd_str out;
	int rc;

	if ((rc = parse_args(&a, argc, argv)))
		return rc < 0 ? EXIT_NO_DRIFT : rc;
	if ((rc = load_config(&c, a.config)))
		return rc;
	/* log_level: debug shows each check's phases and timings here too, on stderr. */
	sd_log_set_level(c->log_level);
	sd_log_set_format(sd_streq(c->log_format, "json") ? SD_LOG_JSON : SD_LOG_TEXT);
	for (int i = 0; i < a.n_names; i++)
		if (!sd_cfg_find_pair(c, a.names[i])) {
			rc = fail("check: no pair named \"%s\" in %s", a.names[i], a.config);
			sd_cfg_free(c);
			return rc;
		}
	sd_str_init(&out);
	pairs = json_array();
	rc = run_pairs(&out, pairs, c, &a);
	if (a.format == SD_FORMAT_JSON)
		append_document(&out, pairs);
	if (fwrite(out.ptr, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
		rc = fail("cannot write to standard output: %s", strerror(errno));
	json_decref(pairs);
	sd_str_dispose(&out);
	sd_cfg_free(c);
	return rc;
}
