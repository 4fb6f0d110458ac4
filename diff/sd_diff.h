/*
 * diff/sd_diff.h: model-versus-model comparison, risk, and the dialect
 * interface that turns a diff into a plan.
 *
 * sd_diff_schemas(from, to) lists what must change in FROM to make it
 * equal TO (the migra/Atlas convention). Each change carries a risk score
 * 0-100 and its reasons. diff/ does no I/O.
 */
#ifndef SD_DIFF_H
#define SD_DIFF_H

#include "model/sd_model.h"

typedef enum sd_change_op { SD_OP_ADD, SD_OP_DROP, SD_OP_ALTER } sd_change_op;

/* What a change is about. */
typedef enum sd_change_what {
	SD_WHAT_TABLE,
	SD_WHAT_COLUMN,
	SD_WHAT_CONSTRAINT,
	SD_WHAT_INDEX,
	SD_WHAT_OBJECT
} sd_change_what;

#define SD_MAX_REASONS 4

typedef struct sd_change {
	sd_change_op op;
	sd_change_what what;
	const char *kind;           /* risk rule id, e.g. "column.type_narrow" */
	const sd_table *old_table;  /* owning table on each side (NULL when absent) */
	const sd_table *new_table;
	const void *old_item;       /* sd_table / sd_column / sd_constraint / sd_index / sd_object */
	const void *new_item;
	const char *property;       /* for *.option and *.form changes: the property key */
	int risk;                   /* 0-100 */
	const char *reasons[SD_MAX_REASONS];
	size_t n_reasons;
} sd_change;

typedef enum sd_band { SD_BAND_NONE, SD_BAND_LOW, SD_BAND_MEDIUM, SD_BAND_HIGH, SD_BAND_CRITICAL } sd_band;

/*
 * What else to compare. Owners and privileges differ between environments
 * by design (a staging role is not a production role), so they are drift
 * only when asked for: `--compare privileges,owners`, pair key `compare:`.
 */
typedef struct sd_diff_opts {
	bool privileges;            /* "privileges" properties: privilege.grant / privilege.revoke */
	bool owners;                /* "owner" properties: owner.alter */
} sd_diff_opts;

typedef struct sd_diff {
	const sd_schema *from, *to; /* borrowed: must outlive the diff */
	sd_diff_opts opts;          /* what was compared beyond the schema */
	sd_change *changes;
	size_t n_changes;
	int score;                  /* highest change risk, 0 when none */
	sd_arena arena;             /* owns the change array and any strings made here */
} sd_diff;

struct sd_dialect;

/*
 * Compares two sorted schemas. from and to must outlive the result; the
 * dialect (may be NULL) adds engine-specific costs to the risk. Caller
 * frees with sd_diff_free. Never fails.
 */
sd_diff *sd_diff_schemas(const sd_schema *from, const sd_schema *to,
			 const struct sd_dialect *dialect);
/* The same, comparing owners and privileges too when opts asks (may be NULL). */
sd_diff *sd_diff_schemas_opts(const sd_schema *from, const sd_schema *to,
			      const struct sd_dialect *dialect, const sd_diff_opts *opts);
/*
 * Parses a comma-separated list of "privileges" and "owners" into opts;
 * returns false (and sets err) on anything else.
 */
bool sd_diff_opts_parse(sd_diff_opts *opts, const char *list, sd_err *err);
/* True for privilege.* and owner.* changes: property changes, never a redefinition. */
bool sd_change_is_access(const sd_change *c);
void sd_diff_free(sd_diff *d);

/* Human label of the object a change is about: "column users.email". */
char *sd_change_label(sd_arena *a, const sd_change *c);
/* Qualified name of the table or object: "users" or "public.users". */
const char *sd_change_object_name(sd_arena *a, const sd_change *c);
const char *sd_change_op_name(sd_change_op op); /* "add", "drop", "alter" */
/* Appends "-- [75 high] column.drop column users.phone: reason; reason\n". */
void sd_change_comment(sd_str *out, const sd_change *c);
/* Appends "-- text\n" with any line break in text replaced: names cannot escape. */
void sd_sql_comment(sd_str *out, const char *text);
/*
 * Appends text as a standard SQL string literal, quotes doubled ('it''s'),
 * NULL as NULL. Backslashes are plain characters: PostgreSQL plans pin
 * standard_conforming_strings, SQLite has no escapes; MySQL needs its own.
 */
void sd_sql_string(sd_str *out, const char *text);
/* sd_sql_comment of a formatted line: every comment a plan holds goes through these two. */
void sd_sql_commentf(sd_str *out, const char *fmt, ...) SD_PRINTF(2, 3);

/* ---- risk ------------------------------------------------------------ */

typedef struct sd_risk_rule {
	const char *kind;
	int score;
	const char *reason;
} sd_risk_rule;

/* The documented table of every change kind, NULL-terminated. */
extern const sd_risk_rule sd_risk_rules[];
const sd_risk_rule *sd_risk_rule_find(const char *kind);
const sd_risk_rule *sd_risk_rule_find_n(const char *kind, size_t n);
sd_band sd_risk_band(int score);
const char *sd_band_name(sd_band b); /* "none", "low", ... */
/* Adds a reason and raises c->risk to at least score. */
void sd_change_add_reason(sd_change *c, int score, const char *reason);

/*
 * Type widening: given two canonical type texts, returns +1 when to holds
 * every value of from (varchar(10) -> varchar(20), integer -> bigint), -1
 * when it narrows, 0 when unrelated or unknown.
 */
int sd_risk_type_direction(const char *from, const char *to);

/* ---- filters and overrides -------------------------------------------- */

typedef struct sd_risk_override {
	const char *kind; /* a change kind, e.g. "index.drop" */
	int score;        /* 0-100 */
} sd_risk_override;

/* What a team chose to see: borrowed strings, all optional. */
typedef struct sd_filter {
	const char *const *include; /* globs on object names ("public.*"); none = all */
	size_t n_include;
	const char *const *exclude; /* globs on object names, or TABLE.NAME of one index or constraint */
	size_t n_exclude;
	const char *const *ignore;  /* change kinds: "column.order", "trigger", "comment" */
	size_t n_ignore;
	const sd_risk_override *overrides;
	size_t n_overrides;
} sd_filter;

/*
 * Drops the changes f filters out, applies score overrides, and recomputes
 * d->score. Kinds to ignore match a whole kind ("column.order"), an object
 * family ("trigger" = trigger.*), or an aspect ("comment" = *.comment);
 * "comments" and "column-order" are accepted as aliases.
 */
void sd_diff_apply_filter(sd_diff *d, const sd_filter *f);

/*
 * Whether word names something sd_diff_apply_filter can ignore (it matches at
 * least one change kind); when not, err says so and lists the valid words.
 */
bool sd_ignore_word_valid(const char *word, sd_err *err);

/* Parses "KIND=SCORE"; returns false (and sets err) when malformed. */
bool sd_risk_override_parse(sd_risk_override *out, const char *text, sd_err *err);
/* Parses a band name; returns SD_BAND_NONE (0) when unknown. */
sd_band sd_band_from_name(const char *name);

/* ---- fingerprint ------------------------------------------------------ */

#define SD_FINGERPRINT_LEN 64

/*
 * SHA-256 hex digest of the change list: the same drift always gives the
 * same fingerprint. An empty diff gives "".
 */
void sd_diff_fingerprint(char out[SD_FINGERPRINT_LEN + 1], const sd_diff *d);

/*
 * SHA-256 hex digest of a schema's snapshot JSON, its source left out and
 * its header at version 1: two reads of an unchanged database give the same
 * fingerprint, also across format versions, and any change to what schemad
 * reads changes it (a saved plan is checked against it).
 */
void sd_schema_fingerprint(char out[SD_FINGERPRINT_LEN + 1], const sd_schema *s);

/* ---- dependency ordering ----------------------------------------------- */

/*
 * Orders objects (views, triggers...) so that each comes after the ones it
 * depends on (sd_object.depends); ties keep the given order. Cycles are
 * broken in the given order. out receives n indexes into objs.
 */
void sd_order_by_depends(size_t *out, const sd_object *const *objs, size_t n);

/* ---- dialects -------------------------------------------------------- */

typedef struct sd_plan_opts {
	bool concurrently;          /* PostgreSQL: CREATE INDEX CONCURRENTLY */
	/*
	 * MySQL/MariaDB: each ALTER TABLE names the algorithm its risk score
	 * assumed (ALGORITHM=INSTANT, or INPLACE with LOCK=NONE), so the server
	 * refuses rather than silently copying. Plans meant to be applied
	 * (apply, --format plan) ask for it.
	 */
	bool request_algorithm;
	/*
	 * The filter the diff went through, for the plan document (apply
	 * --plan verifies with it); NULL for none. Dialects do not read it.
	 */
	const sd_filter *filter;
} sd_plan_opts;

/* What a dialect's same_definition found. */
enum { SD_DEF_DIFFERENT = 0, SD_DEF_SAME = 1, SD_DEF_UNPARSED = -1 };

typedef struct sd_dialect {
	const char *name;
	void (*quote_ident)(sd_str *s, const char *id);
	/* Appends the SQL that turns d->from into d->to. */
	int (*plan)(sd_str *out, const sd_diff *d, const sd_plan_opts *opts, sd_err *err);
	/* Optional: adds engine-specific costs to one change's risk. */
	void (*adjust_risk)(sd_change *c, const sd_diff *d);
	/*
	 * True when the engine's ADD COLUMN can only append and its plan does
	 * not rebuild tables to move columns: column order is then not
	 * compared, or a plan that adds a column could never converge.
	 */
	bool ignore_column_order;
	/*
	 * Optional: called when two definitions the engine deparsed differ as
	 * text. what names the definition: an object kind ("view", "trigger",
	 * "policy", "function", ...), "column.default", "column.generated",
	 * "check", "exclude", "index.expr" or "index.predicate". Returns
	 * SD_DEF_SAME when both mean the same (two server versions spell one
	 * meaning differently), SD_DEF_DIFFERENT, or SD_DEF_UNPARSED when a side
	 * could not be parsed: the texts then decide, and the change says so.
	 */
	int (*same_definition)(const char *what, const char *a, const char *b);
} sd_dialect;

#endif
