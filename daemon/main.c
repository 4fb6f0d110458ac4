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
#include "daemon/report.h"

#include <errno.h>
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
	"  diff FROM TO [--format text|json|sql]   compare two schemas; exit 0 none, 1 drift, 2 "
	"error\n"
	"  inspect SOURCE [-o FILE]                print the normalized schema as snapshot JSON\n"
	"\n"
	"A SOURCE is sqlite:///abs/path.db, sqlite:relative/path.db, or a snapshot JSON file.\n"
	"Run 'schemad <command> --help' for a command's options; 'schemad --version'.\n";

static const char DIFF_USAGE[] =
	"usage: schemad diff FROM TO [--format text|json|sql]\n"
	"\n"
	"Compares FROM with TO. --format sql prints the SQL that, run on FROM, makes its\n"
	"schema equal TO's. Exit 0 when there is no drift, 1 when there is, 2 on error.\n"
	"\n"
	"  -f, --format FORMAT   text (default), json, or sql\n"
	"  -h, --help            this help\n";

static const char INSPECT_USAGE[] =
	"usage: schemad inspect SOURCE [-o FILE]\n"
	"\n"
	"Reads SOURCE and prints its normalized schema as snapshot JSON (deterministic:\n"
	"the same schema gives the same bytes). Exit 0 on success, 2 on error.\n"
	"\n"
	"  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
	"  -h, --help            this help\n";

static int fail(const char *fmt, ...) SD_PRINTF(1, 2);

/* Prints one error line on stderr and returns the error exit code. */
static int
fail(const char *fmt, ...)
{
	sd_str line;
	va_list ap;

	sd_str_init(&line);
	sd_str_append(&line, "schemad: ");
	va_start(ap, fmt);
	sd_str_vappendf(&line, fmt, ap);
	va_end(ap);
	sd_str_appendc(&line, '\n');
	fputs(line.ptr, stderr);
	sd_str_dispose(&line);
	return EXIT_ERROR;
}

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

/* Writes to path through a temporary file and rename: never half-written. */
static int
write_file_atomic(const char *path, const char *buf, size_t len, sd_err *err)
{
	sd_str tmp;
	FILE *f;
	int rc = SD_OK;

	sd_str_init(&tmp);
	sd_str_appendf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp.ptr, "wb");
	if (!f) {
		rc = sd_err_set(err, SD_ERROR, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (fwrite(buf, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		rc = sd_err_set(err, SD_ERROR, "%s: %s", path, strerror(errno));
		fclose(f);
		unlink(tmp.ptr);
		goto out;
	}
	if (fclose(f) != 0 || rename(tmp.ptr, path) != 0) {
		rc = sd_err_set(err, SD_ERROR, "%s: %s", path, strerror(errno));
		unlink(tmp.ptr);
	}
out:
	sd_str_dispose(&tmp);
	return rc;
}

/* ---- loading both sides in parallel ---------------------------------- */

typedef struct load_job {
	const char *spec;
	sd_schema *schema;
	sd_err err;
	int rc;
} load_job;

static void *
load_thread(void *arg)
{
	load_job *j = arg;

	j->rc = sd_source_load(&j->schema, j->spec, &j->err);
	return NULL;
}

/* Reads both sources at once: a pair costs its slower side, not the sum. */
static int
load_pair(load_job *a, load_job *b)
{
	pthread_t t;
	bool threaded = pthread_create(&t, NULL, load_thread, a) == 0;

	if (!threaded)
		load_thread(a);
	load_thread(b);
	if (threaded)
		pthread_join(t, NULL);
	if (a->rc)
		return fail("%s", a->err.msg);
	if (b->rc)
		return fail("%s", b->err.msg);
	return SD_OK;
}

/* ---- commands -------------------------------------------------------- */

typedef enum fmt { FMT_TEXT, FMT_JSON, FMT_SQL } fmt;

static int
render(sd_str *out, const sd_diff *d, fmt format)
{
	const sd_dialect *dialect;
	sd_plan_opts opts = {0};
	sd_err err = {0};

	if (format == FMT_TEXT) {
		sd_report_text(out, d, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
		return SD_OK;
	}
	if (format == FMT_JSON) {
		sd_report_json(out, d);
		return SD_OK;
	}
	dialect = sd_dialect_for(d->from->engine);
	if (!dialect || !dialect->plan)
		return fail("cannot write a plan for engine \"%s\"", d->from->engine);
	if (!sd_streq(d->from->engine, d->to->engine)) {
		return fail("cannot write a plan between different engines (%s and %s)",
			    d->from->engine, d->to->engine);
	}
	if (dialect->plan(out, d, &opts, &err))
		return fail("cannot write the plan: %s", err.msg);
	return SD_OK;
}

static int
cmd_diff(int argc, char **argv)
{
	const char *pos[2];
	int n_pos = 0, rc;
	fmt format = FMT_TEXT;
	load_job a = {0}, b = {0};
	sd_diff *d = NULL;
	sd_str out;

	for (int i = 0; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(DIFF_USAGE, stdout);
			return EXIT_NO_DRIFT;
		} else if (strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--format") == 0 ||
			   strncmp(argv[i], "--format=", 9) == 0) {
			const char *v = argv[i][8] == '=' ? argv[i] + 9 : (i + 1 < argc ? argv[++i] : "");
			if (strcmp(v, "text") == 0)
				format = FMT_TEXT;
			else if (strcmp(v, "json") == 0)
				format = FMT_JSON;
			else if (strcmp(v, "sql") == 0)
				format = FMT_SQL;
			else
				return fail("diff: unknown format \"%s\" (expected text, json or sql)", v);
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return fail("diff: unknown option \"%s\" (see schemad diff --help)", argv[i]);
		} else if (n_pos < 2) {
			pos[n_pos++] = argv[i];
		} else {
			return fail("diff: unexpected argument \"%s\" (diff takes FROM and TO)", argv[i]);
		}
	}
	if (n_pos != 2)
		return fail("%s", "diff: needs FROM and TO (see schemad diff --help)");
	a.spec = pos[0];
	b.spec = pos[1];
	if ((rc = load_pair(&a, &b)))
		goto out;
	d = sd_diff_schemas(a.schema, b.schema, sd_dialect_for(a.schema->engine));
	sd_str_init(&out);
	if ((rc = render(&out, d, format)) == SD_OK) {
		if (!write_stdout(out.ptr, out.len))
			rc = fail("cannot write to standard output: %s", strerror(errno));
		else
			rc = d->n_changes ? EXIT_DRIFT : EXIT_NO_DRIFT;
	}
	sd_str_dispose(&out);
out:
	sd_diff_free(d);
	sd_schema_free(a.schema);
	sd_schema_free(b.schema);
	return rc;
}

static int
cmd_inspect(int argc, char **argv)
{
	const char *source = NULL, *output = NULL;
	sd_schema *s = NULL;
	sd_err err = {0};
	char *json;
	int rc = EXIT_NO_DRIFT;

	for (int i = 0; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(INSPECT_USAGE, stdout);
			return EXIT_NO_DRIFT;
		} else if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
			if (i + 1 >= argc)
				return fail("%s", "inspect: -o needs a file name");
			output = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return fail("inspect: unknown option \"%s\" (see schemad inspect --help)",
				    argv[i]);
		} else if (!source) {
			source = argv[i];
		} else {
			return fail("inspect: unexpected argument \"%s\"", argv[i]);
		}
	}
	if (!source)
		return fail("%s", "inspect: needs a SOURCE (see schemad inspect --help)");
	if (sd_source_load(&s, source, &err))
		return fail("%s", err.msg);
	json = sd_snapshot_write(s);
	if (output) {
		if (write_file_atomic(output, json, strlen(json), &err))
			rc = fail("%s", err.msg);
	} else if (!write_stdout(json, strlen(json))) {
		rc = fail("cannot write to standard output: %s", strerror(errno));
	}
	free(json);
	sd_schema_free(s);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(USAGE, stderr);
		return EXIT_ERROR;
	}
	if (is_help(argv[1])) {
		fputs(USAGE, stdout);
		return EXIT_NO_DRIFT;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("schemad %s\n", SD_VERSION);
		return EXIT_NO_DRIFT;
	}
	if (strcmp(argv[1], "diff") == 0)
		return cmd_diff(argc - 2, argv + 2);
	if (strcmp(argv[1], "inspect") == 0)
		return cmd_inspect(argc - 2, argv + 2);
	return fail("unknown command \"%s\" (see schemad --help)", argv[1]);
}
