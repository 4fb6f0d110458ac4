/*
 * connectors/sd_engine.h: the engine contract and its registry.
 *
 * An engine is one folder under connectors/ and one row here. The row names
 * the URL schemes it answers to, its dialect (the output side: quoting,
 * plans, engine-specific risk) and the functions of its input side. The
 * dispatcher (source.c), the CLI and the daemon ask the registry; nothing
 * else compares scheme strings. An engine never calls back into the
 * dispatcher: what it needs (a parsed URL, redaction, timeouts) comes in
 * through its arguments or from util/.
 */
#ifndef SD_ENGINE_H
#define SD_ENGINE_H

#include "diff/sd_diff.h"
#include "model/sd_model.h"
#include "util/sd_url.h"

/* Connection settings every engine applies (config `timeouts:`, CLI flags). */
typedef struct sd_conn_opts {
	long long connect_timeout_ms;   /* reaching the server */
	long long statement_timeout_ms; /* any one query */
	long long lock_timeout_ms;      /* waiting on another session's lock */
} sd_conn_opts;

/* The documented defaults: connect 10 s, statement 30 s, lock 2 s. */
#define SD_CONN_OPTS_DEFAULT {10000, 30000, 2000}

/*
 * Applying a plan (schemad apply, daemon/cmd_apply.c). The plan arrives as
 * the text `diff --format sql` prints and a reviewer read: the engine cuts
 * it into statements with its own lexer (the one its dump loader uses) and
 * runs them with the strongest execution it has. Why text rather than a
 * list of steps from the planner: the text is the reviewed artifact (a
 * saved plan file carries it), so what runs is byte for byte what was
 * approved; and the transaction frame the text spells out (BEGIN, COMMIT,
 * PRAGMA foreign_keys) is replaced by the engine's own, so a plan cannot
 * weaken it.
 */
typedef struct sd_apply_opts {
	sd_conn_opts conn;   /* statement and lock timeouts of every step */
	bool dry_run;        /* cut and report the steps; open no connection */
	int lock_retries;    /* attempts after a lock timeout (PostgreSQL) */
	long long backoff_ms; /* first wait before a retry, doubled each time */
	/*
	 * Progress, all optional: a step begins, a step ends (error NULL when
	 * it succeeded; the caller times it), or a note (a retry, an index
	 * dropped). i is 1-based. A dry run calls on_start only.
	 */
	void *ud;
	void (*on_start)(void *ud, size_t i, size_t n, const char *sql);
	void (*on_end)(void *ud, size_t i, size_t n, const char *error);
	void (*on_note)(void *ud, const char *text);
} sd_apply_opts;

typedef struct sd_apply_result {
	size_t n_steps;      /* statements the plan holds (frame excluded) */
	size_t n_applied;    /* statements whose effect is now committed */
	bool rolled_back;    /* the transaction was rolled back: nothing of it stays */
} sd_apply_result;

typedef struct sd_engine {
	const char *name;           /* "postgres": also the snapshot's engine and --dialect */
	const char *const *schemes; /* URL schemes, NULL-terminated; empty for script-only engines */
	bool url_authority;         /* URLs are scheme://host/... (else scheme:path) */
	const char *url_example;    /* shown in --help */
	const sd_dialect *dialect;
	/*
	 * Reads a live database. url is parsed and its scheme is one of
	 * schemes. On failure returns a negative code with a message that
	 * does not repeat the URL (the dispatcher prefixes the redacted URL
	 * once) and never holds a password.
	 */
	int (*introspect)(sd_schema **out, const sd_url *url, const sd_conn_opts *opts,
			  sd_err *err);
	/*
	 * Reads a SQL dump or schema script. dev is the scratch server for
	 * engines that load dumps into a real database (NULL when none was
	 * given). Errors name path and line; the dispatcher adds nothing.
	 */
	int (*load_dump)(sd_schema **out, const char *path, const sd_url *dev,
			 const sd_conn_opts *opts, sd_err *err);
	/*
	 * Runs plan (the dialect's SQL text) on the live database at url, on
	 * a connection of its own: the only writing path of schemad, never
	 * called by the daemon. Fills *res on every path. On failure returns
	 * a negative code and err says which statement failed and why (never
	 * the URL, never a password). NULL when the engine cannot apply.
	 */
	int (*apply)(const sd_url *url, const char *plan, const sd_apply_opts *opts,
		     sd_apply_result *res, sd_err *err);
} sd_engine;

/* Every registered engine, NULL-terminated, in the order --help lists them. */
extern const sd_engine *const sd_engines[];

/* The engine for a URL scheme ("postgresql") or a name ("postgres"); NULL when none. */
const sd_engine *sd_engine_for_scheme(const char *scheme);
const sd_engine *sd_engine_for_name(const char *name);
/* The engine name for a URL scheme, or NULL (what the configuration asks). */
const char *sd_engine_name_for_scheme(const char *scheme);
/* The dialect of an engine name (a schema's engine); NULL when unknown. */
const sd_dialect *sd_dialect_for(const char *engine);
/* "sqlite:, postgres://, mysql://, mariadb://": for messages and help. Static. */
const char *sd_engine_schemes_text(void);
/* "postgres|mysql|sqlite": every engine that reads dumps. Static. */
const char *sd_engine_dialects_text(void);

#endif
