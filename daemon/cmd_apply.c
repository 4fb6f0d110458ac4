/*
 * daemon/cmd_apply.c: `schemad apply`, the one command that writes.
 *
 *   schemad apply FROM TO            plan FROM -> TO, run it on FROM, verify
 *   schemad apply --plan FILE FROM   run a reviewed plan (diff --format plan)
 *   schemad apply PAIR --config FILE the pair's target aligned to its reference
 *
 * The plan runs through the engine's apply (sd_engine.h), on a connection
 * of its own; the result is then read back through the ordinary read-only
 * path and diffed against TO: exit 0 only when nothing remains. Gates come
 * first: a saved plan runs only on the schema it was made for, and changes
 * above --allow are confirmed on a terminal or refused without one.
 *
 * Exit codes: 0 FROM now matches TO (or nothing to do, or a dry run); 1
 * refused (a gate, a stale plan) or drift remains after applying; 2 error
 * (a statement failed, a source could not be read).
 */
#include "daemon/cmd_apply.h"

#include "connectors/sd_source.h"
#include "daemon/cli.h"
#include "daemon/pair.h"
#include "daemon/plan_file.h"
#include "daemon/report.h"
#include "daemon/state.h"

#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { EXIT_ALIGNED = 0, EXIT_REFUSED = 1, EXIT_ERROR = 2 };

static const char APPLY_USAGE[] =
        "usage: schemad apply FROM TO [options]\n"
        "       schemad apply --plan FILE FROM [options]\n"
        "       schemad apply PAIR --config FILE [options]\n"
        "\n"
        "Runs on FROM, a live database, the plan that makes its schema equal TO's (the\n"
        "SQL of `diff FROM TO --format sql`), then reads FROM again and compares it with\n"
        "TO. With --plan, runs a plan document saved by `diff FROM TO --format plan`, only\n"
        "while FROM's schema is still the one it was made for. With a PAIR, the pair's\n"
        "target is aligned to its reference (never written) and the run is recorded in\n"
        "the pair's history. Progress goes to stderr.\n"
        "Exit 0 when FROM now matches TO, 1 when refused or drift remains, 2 on error.\n"
        "\n"
        "      --plan FILE            a reviewed plan document (diff --format plan)\n"
        "      --dry-run              print the statements that would run; change nothing\n"
        "      --allow BAND           run changes up to BAND without asking: low (default),\n"
        "                             medium, high or critical; above it a terminal asks,\n"
        "                             anything else is refused\n"
        "      --auto-approve         run every change without asking (CI, after review)\n"
        "  -f, --format FORMAT        text (default) or json: the summary as a document\n"
        "      --concurrently         PostgreSQL: CREATE INDEX CONCURRENTLY, after the\n"
        "                             transaction; an index left invalid is dropped\n"
        "      --lock-retries N       PostgreSQL: tries after a lock timeout (default 3)\n"
        "      --allow-copy           MySQL: name no ALGORITHM (by default each ALTER names\n"
        "                             the one its risk assumed, and the server refuses to\n"
        "                             copy a table instead)\n"
        "  -c, --config FILE          the configuration, for a PAIR\n"
        "      --dialect, --dev-url   for a .sql dump TO, as in diff\n"
        "      --connect-timeout, --statement-timeout, --lock-timeout DURATION\n"
        "                             as in diff; each statement of the plan gets them\n"
        "  -h, --help                 this help\n";

/* One error line on stderr, "schemad: apply: ...": the CLI's one writer (cli.c). */
#define fail(...) sd_cli_fail("apply: " __VA_ARGS__)

/* ---- arguments ---------------------------------------------------------- */

typedef struct apply_args {
	const char *from, *to, *plan_path, *pair, *config;
	sd_source_opts source;
	sd_band allow;
	bool dry_run, auto_approve, json, concurrently;
	bool allow_copy; /* MySQL: name no ALGORITHM, the server may copy tables */
	int lock_retries;
	sd_filter filter; /* a pair's filters; none for FROM TO */
} apply_args;

enum {
	OPT_PLAN = 256,
	OPT_DRY_RUN,
	OPT_ALLOW,
	OPT_AUTO_APPROVE,
	OPT_CONCURRENTLY,
	OPT_LOCK_RETRIES,
	OPT_ALLOW_COPY
};

static int
parse_option(apply_args *o, int opt, const char *arg)
{
	char *end;

	switch (opt) {
	case OPT_PLAN:
		o->plan_path = arg;
		return SD_OK;
	case OPT_DRY_RUN:
		o->dry_run = true;
		return SD_OK;
	case OPT_ALLOW:
		if ((o->allow = sd_band_from_name(arg)) == SD_BAND_NONE)
			return fail("--allow \"%s\": expected low, medium, high or critical", arg);
		return SD_OK;
	case OPT_AUTO_APPROVE:
		o->auto_approve = true;
		return SD_OK;
	case 'f':
		if (strcmp(arg, "json") != 0 && strcmp(arg, "text") != 0)
			return fail("unknown format \"%s\" (expected text or json)", arg);
		o->json = strcmp(arg, "json") == 0;
		return SD_OK;
	case 'c':
		o->config = arg;
		return SD_OK;
	case OPT_CONCURRENTLY:
		o->concurrently = true;
		return SD_OK;
	case OPT_ALLOW_COPY:
		o->allow_copy = true;
		return SD_OK;
	case OPT_LOCK_RETRIES:
		o->lock_retries = (int)strtol(arg, &end, 10);
		if (*end || end == arg || o->lock_retries < 0 || o->lock_retries > 100)
			return fail("--lock-retries \"%s\": expected a number from 0 to 100", arg);
		return SD_OK;
	default:
		return sd_cli_source_option(&o->source, "apply", opt, arg);
	}
}

/*
 * True when a lone argument is a SOURCE rather than a pair name: a URL of
 * an engine's scheme, a snapshot or a dump. Said as such, instead of
 * looking it up as a pair in a configuration the user never meant to use.
 */
static bool
is_source(const char *arg)
{
	const char *colon = strchr(arg, ':');
	size_t n = strlen(arg);
	char scheme[32];

	if (colon && (size_t)(colon - arg) < sizeof(scheme)) {
		memcpy(scheme, arg, (size_t)(colon - arg));
		scheme[colon - arg] = '\0';
		if (sd_engine_for_scheme(scheme))
			return true;
	}
	return (n > 5 && strcmp(arg + n - 5, ".json") == 0) || sd_source_is_dump(arg);
}

/* Returns SD_OK, EXIT_ERROR, or -1 after printing help. */
static int
parse_args(apply_args *o, int argc, char **argv)
{
	static const struct option longopts[] = {
	        {"plan", required_argument, NULL, OPT_PLAN},
	        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
	        {"allow", required_argument, NULL, OPT_ALLOW},
	        {"auto-approve", no_argument, NULL, OPT_AUTO_APPROVE},
	        {"format", required_argument, NULL, 'f'},
	        {"config", required_argument, NULL, 'c'},
	        {"concurrently", no_argument, NULL, OPT_CONCURRENTLY},
	        {"lock-retries", required_argument, NULL, OPT_LOCK_RETRIES},
	        {"allow-copy", no_argument, NULL, OPT_ALLOW_COPY},
	        SD_CLI_SOURCE_LONGOPTS,
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	int opt, rc, n;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":f:c:h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(APPLY_USAGE, stdout);
			return -1;
		}
		if (opt == '?' || opt == ':')
			return fail(
			        "unknown option or missing value \"%s\" (see schemad apply --help)",
			        argv[optind - 1]);
		if ((rc = parse_option(o, opt, optarg)))
			return rc;
	}
	n = argc - optind;
	if (o->plan_path && n == 1)
		o->from = argv[optind];
	else if (!o->plan_path && n == 2)
		o->from = argv[optind], o->to = argv[optind + 1];
	else if (!o->plan_path && n == 1 && is_source(argv[optind]))
		return fail("%s is a SOURCE, not a pair: give FROM and TO, --plan FILE and FROM, "
		            "or the name of a configured pair (see schemad apply --help)",
		            argv[optind]);
	else if (!o->plan_path && n == 1)
		o->pair = argv[optind];
	else
		return fail("%s", "needs FROM and TO, --plan FILE and FROM, or a PAIR (see schemad "
		                  "apply --help)");
	if (!o->source.dev_url)
		o->source.dev_url = getenv("SCHEMAD_DEV_URL");
	return SD_OK;
}

/* ---- progress ------------------------------------------------------------ */

typedef struct step_rec {
	char *sql;
	const char *status; /* "planned", "running", "ok", "failed" */
	char *error;
	long long ms;
} step_rec;

typedef struct progress {
	bool dry_run;
	bool collecting; /* the statements listed before a real run: all "not run" */
	SD_VEC(step_rec) steps;
	SD_VEC(char *) notes;
	long long step_started;
} progress;

static step_rec *
step_at(progress *p, size_t i)
{
	while (p->steps.len < i)
		sd_vec_push(&p->steps, ((step_rec){NULL, "not run", NULL, 0}));
	return &p->steps.ptr[i - 1];
}

/* A statement on one line (runs of blanks as one space), cut at 120 characters. */
static void
one_line(sd_str *out, const char *sql)
{
	size_t n = 0;

	for (const char *p = sql; *p && n < 120; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
			while (p[1] == ' ' || p[1] == '\n' || p[1] == '\t' || p[1] == '\r')
				p++;
			sd_str_appendc(out, ' ');
		} else {
			sd_str_appendc(out, *p);
		}
		n++;
		if (n == 120 && p[1])
			sd_str_append(out, " ...");
	}
}

static void
on_start(void *ud, size_t i, size_t n, const char *sql)
{
	progress *p = ud;
	step_rec *r = step_at(p, i);
	sd_str line;

	free(r->sql);
	free(r->error);
	*r = (step_rec){sd_xstrdup(sql),
	                p->collecting ? "not run"
	                : p->dry_run  ? "planned"
	                              : "running",
	                NULL, 0};
	p->step_started = sd_mono_ms();
	if (p->dry_run || p->collecting)
		return;
	sd_str_init(&line);
	sd_str_appendf(&line, "[%zu/%zu] ", i, n);
	one_line(&line, sql);
	fprintf(stderr, "%s\n", line.ptr);
	sd_str_dispose(&line);
}

static void
on_end(void *ud, size_t i, size_t n, const char *error)
{
	progress *p = ud;
	step_rec *r = step_at(p, i);

	r->ms = sd_mono_ms() - p->step_started;
	r->status = error ? "failed" : "ok";
	if (error) {
		r->error = sd_xstrdup(error);
		fprintf(stderr, "[%zu/%zu] failed after %lld ms\n", i, n, r->ms);
	} else {
		fprintf(stderr, "[%zu/%zu] done in %lld ms\n", i, n, r->ms);
	}
}

static void
on_note(void *ud, const char *text)
{
	progress *p = ud;

	sd_vec_push(&p->notes, sd_xstrdup(text));
	fprintf(stderr, "schemad: apply: %s\n", text);
}

static void
progress_dispose(progress *p)
{
	for (size_t i = 0; i < p->steps.len; i++) {
		free(p->steps.ptr[i].sql);
		free(p->steps.ptr[i].error);
	}
	for (size_t i = 0; i < p->notes.len; i++)
		free(p->notes.ptr[i]);
	sd_vec_dispose(&p->steps);
	sd_vec_dispose(&p->notes);
}

/* ---- the run ---------------------------------------------------------- */

/* Everything one apply holds; every pointer is owned here. */
typedef struct apply_run {
	apply_args *args;
	const char *from_spec, *to_spec; /* borrowed: arguments or the configuration */
	const sd_engine *engine;
	sd_url url;
	sd_schema *from, *to; /* to borrowed from plan_file when one is used */
	sd_plan_file *plan_file;
	sd_diff *diff;
	sd_str sql;
	SD_VEC(sd_plan_change) changes; /* what the plan changes, for the gate */
	sd_arena arena;
	progress prog;
	sd_apply_result res;
	char error[600];
	const char *outcome; /* "aligned", "refused", "drift", "error", "dry-run" */
	size_t remaining;
	long long started, duration_ms;
	bool executed; /* the engine's apply was called */
} apply_run;

static void
run_init(apply_run *r, apply_args *a)
{
	*r = (apply_run){.args = a, .outcome = "error"};
	sd_str_init(&r->sql);
	sd_arena_init(&r->arena);
	r->prog.dry_run = a->dry_run;
	r->started = sd_mono_ms();
}

static void
run_dispose(apply_run *r)
{
	sd_diff_free(r->diff);
	sd_schema_free(r->from);
	if (!r->plan_file)
		sd_schema_free(r->to);
	sd_plan_file_free(r->plan_file);
	sd_url_dispose(&r->url);
	sd_str_dispose(&r->sql);
	sd_vec_dispose(&r->changes);
	sd_arena_dispose(&r->arena);
	progress_dispose(&r->prog);
}

static int set_error(apply_run *r, int code, const char *fmt, ...) SD_PRINTF(3, 4);

/* Records the run's error (printed once, at the end) and returns code. */
static int
set_error(apply_run *r, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	r->outcome = code == EXIT_REFUSED ? "refused" : "error";
	return code;
}

/* FROM must be a live database of an engine that applies. */
static int
resolve_engine(apply_run *r)
{
	sd_err err = {0};
	char *shown = sd_url_redact(r->from_spec);
	int rc = SD_OK;

	if (!sd_url_has_scheme(r->from_spec) || sd_url_parse(&r->url, r->from_spec, &err))
		rc = set_error(r, EXIT_ERROR, "%s: FROM must be a database URL (%s)", shown,
		               sd_engine_schemes_text());
	else if (!(r->engine = sd_engine_for_scheme(r->url.scheme)))
		rc = set_error(r, EXIT_ERROR, "%s: unknown scheme \"%s\" (expected %s)", shown,
		               r->url.scheme, sd_engine_schemes_text());
	else if (!r->engine->apply)
		rc = set_error(r, EXIT_ERROR, "%s: the %s engine cannot apply plans", shown,
		               r->engine->name);
	free(shown);
	return rc;
}

/* Reads FROM (and TO when no plan file is given) and makes the plan. */
static int
prepare_from_to(apply_run *r)
{
	sd_side a = {.spec = r->from_spec, .opts = r->args->source};
	sd_side b = {.spec = r->to_spec, .opts = r->args->source};
	sd_plan_opts po = {.concurrently = r->args->concurrently,
	                   .request_algorithm = !r->args->allow_copy};
	sd_err err = {0};
	int rc = SD_OK;

	sd_load_both(&a, &b);
	if (a.rc || b.rc) {
		rc = set_error(r, EXIT_ERROR, "%s", a.rc ? a.err.msg : b.err.msg);
		goto out;
	}
	r->from = a.schema, a.schema = NULL;
	r->to = b.schema, b.schema = NULL;
	if (!sd_streq(r->from->engine, r->to->engine)) {
		rc = set_error(r, EXIT_ERROR, "cannot apply between different engines (%s and %s)",
		               r->from->engine, r->to->engine);
		goto out;
	}
	r->diff = sd_diff_schemas(r->from, r->to, r->engine->dialect);
	sd_diff_apply_filter(r->diff, &r->args->filter);
	if (r->diff->n_changes && r->engine->dialect->plan(&r->sql, r->diff, &po, &err))
		rc = set_error(r, EXIT_ERROR, "cannot write the plan: %s", err.msg);
	for (size_t i = 0; i < r->diff->n_changes; i++) {
		const sd_change *c = &r->diff->changes[i];
		sd_vec_push(&r->changes,
		            ((sd_plan_change){c->kind, sd_change_label(&r->arena, c), c->risk}));
	}
out:
	sd_side_dispose(&a);
	sd_side_dispose(&b);
	return rc;
}

/*
 * A saved plan runs only as it was made: schemad makes the plan again from
 * FROM (same fingerprint), the saved TO and the recorded options, and the
 * document's SQL must be that, byte for byte. An edited SQL (a DROP slipped
 * in) or a document made by another version of schemad is refused; the
 * gate asks about the changes made again here, never about risks the
 * document claims.
 */
static int
check_plan_sql(apply_run *r)
{
	const sd_plan_file *pf = r->plan_file;
	sd_err err = {0};

	r->diff = sd_diff_schemas_opts(r->from, r->to, r->engine->dialect, &pf->compare);
	sd_diff_apply_filter(r->diff, &pf->filter);
	if (sd_report_plan_sql(&r->sql, r->diff, pf->concurrently, &err))
		return set_error(r, EXIT_ERROR, "%s", err.msg);
	if (strcmp(r->sql.ptr, pf->sql) != 0)
		return set_error(
		        r, EXIT_REFUSED,
		        "%s: its SQL is not the plan schemad makes for FROM and the plan's "
		        "target (edited after it was made, or made by another version of "
		        "schemad); make and review the plan again",
		        r->args->plan_path);
	for (size_t i = 0; i < r->diff->n_changes; i++) {
		const sd_change *c = &r->diff->changes[i];
		sd_vec_push(&r->changes,
		            ((sd_plan_change){c->kind, sd_change_label(&r->arena, c), c->risk}));
	}
	return SD_OK;
}

/* Loads a reviewed plan and checks that FROM is still the schema it was made for. */
static int
prepare_plan_file(apply_run *r)
{
	char now[SD_FINGERPRINT_LEN + 1];
	sd_err err = {0};

	if (sd_plan_file_load(&r->plan_file, r->args->plan_path, &err))
		return set_error(r, EXIT_ERROR, "%s", err.msg);
	if (!sd_streq(r->plan_file->engine, r->engine->name))
		return set_error(r, EXIT_ERROR, "%s is a %s plan; FROM is a %s database",
		                 r->args->plan_path, r->plan_file->engine, r->engine->name);
	if (sd_source_load(&r->from, r->from_spec, &r->args->source, &err))
		return set_error(r, EXIT_ERROR, "%s", err.msg);
	r->to = r->plan_file->target;
	sd_schema_fingerprint(now, r->from);
	if (strcmp(now, r->plan_file->from_fingerprint) != 0) {
		return set_error(r, EXIT_REFUSED,
		                 "%s was made for another schema: FROM's schema changed since "
		                 "(fingerprint %.12s, the plan's %.12s); make and review the plan "
		                 "again",
		                 r->args->plan_path, now, r->plan_file->from_fingerprint);
	}
	/* verify() leaves out what the plan was made to leave out */
	r->args->filter = r->plan_file->filter;
	return check_plan_sql(r);
}

/* ---- the gate ------------------------------------------------------------ */

static void
list_above(FILE *f, const apply_run *r, sd_band allow)
{
	for (size_t i = 0; i < r->changes.len; i++) {
		const sd_plan_change *c = &r->changes.ptr[i];
		if (sd_risk_band(c->risk) > allow)
			fprintf(f, "  [%d %s] %s %s\n", c->risk,
			        sd_band_name(sd_risk_band(c->risk)), c->kind, c->label);
	}
}

/* Asks on the terminal; true only for an explicit yes. */
static bool
confirm(void)
{
	char line[16];

	fputs("Apply these changes? Type yes to go on: ", stderr);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return strcmp(line, "yes") == 0 || strcmp(line, "y") == 0;
}

static sd_band
highest_band(const apply_run *r)
{
	sd_band b = SD_BAND_NONE;

	for (size_t i = 0; i < r->changes.len; i++)
		if (sd_risk_band(r->changes.ptr[i].risk) > b)
			b = sd_risk_band(r->changes.ptr[i].risk);
	return b;
}

/* Changes above --allow: asked for on a terminal, refused without one. */
static int
gate(apply_run *r)
{
	sd_band allow = r->args->allow;
	size_t above = 0;

	for (size_t i = 0; i < r->changes.len; i++)
		above += sd_risk_band(r->changes.ptr[i].risk) > allow;
	if (above == 0 || r->args->auto_approve || r->args->dry_run)
		return SD_OK;
	if (isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
		fprintf(stderr, "schemad: apply: %zu change%s above the allowed band (%s):\n",
		        above, above == 1 ? "" : "s", sd_band_name(allow));
		list_above(stderr, r, allow);
		if (confirm())
			return SD_OK;
		return set_error(r, EXIT_REFUSED, "not confirmed: nothing applied");
	}
	fprintf(stderr,
	        "schemad: apply: refused: %zu change%s above the allowed band (%s), and no "
	        "terminal "
	        "to confirm:\n",
	        above, above == 1 ? "" : "s", sd_band_name(allow));
	list_above(stderr, r, allow);
	return set_error(r, EXIT_REFUSED,
	                 "nothing applied; after review, pass --allow %s or --auto-approve",
	                 sd_band_name(highest_band(r)));
}

/* ---- apply and verify ------------------------------------------------- */

static int
execute(apply_run *r)
{
	sd_apply_opts o = {
	        .conn = r->args->source.conn,
	        .dry_run = r->args->dry_run,
	        .lock_retries = r->args->lock_retries,
	        .backoff_ms = 500,
	        .ud = &r->prog,
	        .on_start = on_start,
	        .on_end = on_end,
	        .on_note = on_note,
	};
	sd_err err = {0};
	char *clean;
	int rc;

	r->executed = true;
	if (!o.dry_run) {
		/* Every statement listed first, so a report can name those never reached. */
		sd_apply_opts list = o;
		list.dry_run = true;
		r->prog.collecting = true;
		r->engine->apply(&r->url, r->sql.ptr, &list, &r->res, &err);
		r->prog.collecting = false;
	}
	rc = r->engine->apply(&r->url, r->sql.ptr, &o, &r->res, &err);
	if (rc == SD_OK)
		return SD_OK;
	clean = sd_url_scrub(&r->url, err.msg);
	rc = set_error(r, EXIT_ERROR, "%s", clean);
	free(clean);
	return rc;
}

/* Reads FROM again (read-only) and diffs it against TO. */
static int
verify(apply_run *r)
{
	sd_schema *after = NULL;
	sd_diff *d;
	sd_err err = {0};
	sd_str text;

	if (sd_source_load(&after, r->from_spec, &r->args->source, &err))
		return set_error(r, EXIT_ERROR, "verifying: %s", err.msg);
	d = sd_diff_schemas(after, r->to, r->engine->dialect);
	sd_diff_apply_filter(d, &r->args->filter);
	r->remaining = d->n_changes;
	if (d->n_changes) {
		sd_str_init(&text);
		sd_report_text(&text, d, false);
		fprintf(stderr, "schemad: apply: drift remains after the plan:\n%s", text.ptr);
		sd_str_dispose(&text);
		r->outcome = "drift";
		snprintf(r->error, sizeof(r->error), "%zu %s after the plan", d->n_changes,
		         d->n_changes == 1 ? "change remains" : "changes remain");
	} else {
		r->outcome = "aligned";
	}
	sd_diff_free(d);
	sd_schema_free(after);
	return r->remaining ? EXIT_REFUSED : EXIT_ALIGNED;
}

/* A step's final status: a step that ran in a rolled-back transaction did not stay. */
static const char *
step_status(const apply_run *r, size_t i)
{
	const char *s = r->prog.steps.ptr[i].status;

	if (r->args->dry_run)
		return s;
	if (i < r->res.n_applied)
		return "applied";
	if (strcmp(s, "ok") == 0)
		return r->res.rolled_back ? "rolled back" : "applied";
	return s;
}

static void
summary_text(const apply_run *r)
{
	size_t skipped = r->res.n_steps - r->res.n_applied;

	if (r->error[0])
		fprintf(stderr, "schemad: apply: %s\n", r->error);
	if (!r->executed)
		return;
	if (r->args->dry_run) {
		fprintf(stderr,
		        "schemad: apply: dry run: %zu statement%s would run; nothing changed\n",
		        r->res.n_steps, r->res.n_steps == 1 ? "" : "s");
		return;
	}
	fprintf(stderr,
	        "schemad: apply: %zu of %zu statement%s applied, %zu not applied%s, in %.2f s; "
	        "verification: %s\n",
	        r->res.n_applied, r->res.n_steps, r->res.n_steps == 1 ? "" : "s", skipped,
	        r->res.rolled_back ? " (rolled back)" : "", (double)r->duration_ms / 1000.0,
	        strcmp(r->outcome, "aligned") == 0 ? "FROM matches TO"
	        : strcmp(r->outcome, "drift") == 0 ? "drift remains"
	                                           : "not done");
	/* Which statements ran and which did not, when a failure left a mix. */
	if (strcmp(r->outcome, "error") == 0 && r->res.n_applied &&
	    r->res.n_applied < r->res.n_steps)
		for (size_t i = 0; i < r->prog.steps.len; i++) {
			sd_str line;
			sd_str_init(&line);
			one_line(&line, r->prog.steps.ptr[i].sql ? r->prog.steps.ptr[i].sql : "");
			fprintf(stderr, "  %-11s [%zu] %s\n", step_status(r, i), i + 1, line.ptr);
			sd_str_dispose(&line);
		}
}

static char *
summary_json(const apply_run *r)
{
	json_t *root = json_object(), *steps = json_array(), *notes = json_array();
	char *text;

	json_object_set_new(root, "from",
	                    json_string(r->from && r->from->source ? r->from->source : ""));
	json_object_set_new(root, "engine", json_string(r->engine ? r->engine->name : ""));
	json_object_set_new(root, "dry_run", json_boolean(r->args->dry_run));
	json_object_set_new(root, "outcome", json_string(r->outcome));
	if (r->error[0])
		json_object_set_new(root, "error", json_string(r->error));
	for (size_t i = 0; i < r->prog.steps.len; i++) {
		const step_rec *s = &r->prog.steps.ptr[i];
		json_t *o = json_object();
		json_object_set_new(o, "sql", json_string(s->sql ? s->sql : ""));
		json_object_set_new(o, "status", json_string(step_status(r, i)));
		if (!r->args->dry_run)
			json_object_set_new(o, "duration_ms", json_integer(s->ms));
		if (s->error)
			json_object_set_new(o, "error", json_string(s->error));
		json_array_append_new(steps, o);
	}
	for (size_t i = 0; i < r->prog.notes.len; i++)
		json_array_append_new(notes, json_string(r->prog.notes.ptr[i]));
	json_object_set_new(root, "statements", steps);
	json_object_set_new(root, "notes", notes);
	json_object_set_new(root, "applied", json_integer((json_int_t)r->res.n_applied));
	json_object_set_new(root, "not_applied",
	                    json_integer((json_int_t)(r->res.n_steps - r->res.n_applied)));
	json_object_set_new(root, "rolled_back", json_boolean(r->res.rolled_back));
	json_object_set_new(root, "duration_ms", json_integer(r->duration_ms));
	json_object_set_new(root, "verified", json_boolean(strcmp(r->outcome, "aligned") == 0));
	json_object_set_new(root, "remaining_changes", json_integer((json_int_t)r->remaining));
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return text;
}

/* Dry run: the statements, as they would run, on stdout. */
static void
print_dry_run(const apply_run *r)
{
	for (size_t i = 0; i < r->prog.steps.len; i++)
		printf("-- statement %zu of %zu\n%s;\n", i + 1, r->prog.steps.len,
		       r->prog.steps.ptr[i].sql);
	if (r->args->allow < SD_BAND_CRITICAL && !r->args->auto_approve) {
		bool any = false;
		for (size_t i = 0; i < r->changes.len && !any; i++)
			any = sd_risk_band(r->changes.ptr[i].risk) > r->args->allow;
		if (any) {
			fprintf(stderr,
			        "schemad: apply: a real run would ask to confirm (above %s):\n",
			        sd_band_name(r->args->allow));
			list_above(stderr, r, r->args->allow);
		}
	}
}

/* The steps of one run, from arguments to summary; returns the exit code. */
static int
run(apply_run *r)
{
	int rc;

	if ((rc = resolve_engine(r)))
		return rc;
	if ((rc = r->args->plan_path ? prepare_plan_file(r) : prepare_from_to(r)))
		return rc;
	if (r->changes.len == 0 && r->sql.len == 0) {
		r->outcome = "aligned";
		fprintf(stderr, "schemad: apply: nothing to do: FROM already matches TO\n");
		return EXIT_ALIGNED;
	}
	if ((rc = gate(r)))
		return rc;
	if ((rc = execute(r)))
		return rc;
	if (r->args->dry_run) {
		r->outcome = "dry-run";
		if (!r->args->json)
			print_dry_run(r);
		return EXIT_ALIGNED;
	}
	return verify(r);
}

/* ---- configured pairs ------------------------------------------------- */

/* Each timeout the command line left unset (-1) from dflt: the defaults or a PAIR's. */
static void
fill_timeouts(sd_conn_opts *o, sd_conn_opts dflt)
{
	if (o->connect_timeout_ms < 0)
		o->connect_timeout_ms = dflt.connect_timeout_ms;
	if (o->statement_timeout_ms < 0)
		o->statement_timeout_ms = dflt.statement_timeout_ms;
	if (o->lock_timeout_ms < 0)
		o->lock_timeout_ms = dflt.lock_timeout_ms;
}

/* The pair's sides from the configuration: FROM is the target, TO the reference. */
static int
resolve_pair(apply_args *a,
             sd_config **cfg,
             const sd_cfg_pair **pair,
             const char **from,
             const char **to)
{
	sd_str errors, warnings;
	const sd_cfg_env *t, *ref;
	int rc;

	if (!a->config)
		a->config = getenv("SCHEMAD_CONFIG") ? getenv("SCHEMAD_CONFIG")
		                                     : "/etc/schemad/schemad.yml";
	sd_str_init(&errors);
	sd_str_init(&warnings);
	rc = sd_cfg_load(cfg, a->config, &sd_cfg_registry, &errors, &warnings);
	fputs(warnings.ptr, stderr);
	fputs(errors.ptr, stderr);
	sd_str_dispose(&errors);
	sd_str_dispose(&warnings);
	if (rc)
		return EXIT_ERROR;
	if (!(*pair = sd_cfg_find_pair(*cfg, a->pair)))
		return fail("no pair named \"%s\" in %s", a->pair, a->config);
	t = sd_cfg_find_env(*cfg, (*pair)->target);
	ref = sd_cfg_find_env(*cfg, (*pair)->reference);
	if (!t || !ref)
		return fail("pair %s: an environment is missing from %s", a->pair, a->config);
	*from = t->url;
	*to = ref->url;
	fill_timeouts(&a->source.conn,
	              (sd_conn_opts){(*cfg)->connect_timeout_ms, (*cfg)->statement_timeout_ms,
	                             (*cfg)->lock_timeout_ms});
	a->filter = (sd_filter){(*pair)->include,   (*pair)->n_include,  (*pair)->exclude,
	                        (*pair)->n_exclude, (*pair)->ignore,     (*pair)->n_ignore,
	                        (*pair)->overrides, (*pair)->n_overrides};
	return SD_OK;
}

/* A check of the pair, read now, into its history and state. */
static int
record_check(sd_state *st, const sd_config *cfg, const sd_cfg_pair *pair, sd_err *err)
{
	sd_check chk;
	sd_str events;
	int rc;

	sd_check_run(&chk, cfg, pair);
	sd_str_init(&events);
	rc = sd_state_record(st, &chk, cfg, &events, err);
	sd_str_dispose(&events);
	sd_check_dispose(&chk);
	return rc;
}

/*
 * Records the run in the pair's history: the apply itself (who, how many
 * statements, how it ended), and when it changed the target, a check of the
 * pair made after it, so the pair's state shows the drift gone.
 */
static void
record_pair(const sd_config *cfg, const sd_cfg_pair *pair, const apply_run *r)
{
	sd_state *st = NULL;
	sd_err err = {0};
	char who[128];
	sd_apply_entry e = {.pair = pair->name,
	                    .who = who,
	                    .outcome = r->outcome,
	                    .started_ms = sd_now_ms() - r->duration_ms,
	                    .duration_ms = r->duration_ms,
	                    .statements = (long long)r->res.n_steps,
	                    .applied = (long long)r->res.n_applied,
	                    .rolled_back = r->res.rolled_back,
	                    .error = r->error[0] ? r->error : NULL};

	sd_cli_who(who, sizeof(who));
	if (sd_state_open(&st, cfg->state_path, &err) || sd_state_record_apply(st, &e, &err) ||
	    (r->res.n_applied && record_check(st, cfg, pair, &err)))
		fprintf(stderr, "schemad: apply: pair %s: not recorded in the history: %s\n",
		        pair->name, err.msg);
	sd_state_close(st);
}

int
sd_cmd_apply(int argc, char **argv)
{
	apply_args a = {.source.conn = {-1, -1, -1}, .allow = SD_BAND_LOW, .lock_retries = 3};
	sd_config *cfg = NULL;
	const sd_cfg_pair *pair = NULL;
	apply_run r;
	int rc;

	if ((rc = parse_args(&a, argc, argv)))
		return rc < 0 ? EXIT_ALIGNED : rc;
	run_init(&r, &a);
	r.from_spec = a.from;
	r.to_spec = a.to;
	if (a.pair && (rc = resolve_pair(&a, &cfg, &pair, &r.from_spec, &r.to_spec)))
		goto out;
	fill_timeouts(&a.source.conn, (sd_conn_opts)SD_CONN_OPTS_DEFAULT);
	rc = run(&r);
	r.duration_ms = sd_mono_ms() - r.started;
	if (a.json) {
		char *doc = summary_json(&r);
		printf("%s\n", doc);
		free(doc);
		if (r.error[0])
			fprintf(stderr, "schemad: apply: %s\n", r.error);
	} else {
		summary_text(&r);
	}
	if (pair && !a.dry_run && r.executed)
		record_pair(cfg, pair, &r);
out:
	run_dispose(&r);
	sd_cfg_free(cfg);
	return rc;
}
