/*
 * diff/risk.c: the risk table, bands, and type widening rules.
 *
 * A pure lookup plus a few rules, so it can be tested exhaustively. The
 * table below is the one documented in README.md ("Risk"); engine costs
 * are added on top by each dialect's adjust_risk hook.
 */
#include "diff/sd_diff.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const sd_risk_rule sd_risk_rules[] = {
	{"table.add", 5, "new table; nothing depends on it yet"},
	{"table.drop", 95, "drops the table and every row in it"},
	{"table.option", 35, "changes a table option; may rebuild the table"},
	{"table.comment", 0, "comment only"},
	{"column.add", 10, "new nullable or defaulted column; existing rows stay valid"},
	{"column.add_not_null", 45, "NOT NULL column without a default: fails on a table with rows"},
	{"column.drop", 75, "drops the column and its data; readers of it break"},
	{"column.type_widen", 30, "widens the type: every value still fits"},
	{"column.type_narrow", 70, "narrows the type: values that do not fit fail or are cut"},
	{"column.type_change", 60, "changes the type: values are converted or the change fails"},
	{"column.set_not_null", 55, "sets NOT NULL: fails while rows hold NULL"},
	{"column.drop_not_null", 15, "allows NULL: readers may meet NULL"},
	{"column.default", 25, "changes the default for new rows"},
	{"column.generated", 50, "changes a generated column's expression or storage"},
	{"column.identity", 40, "changes how key values are generated"},
	{"column.collation", 45, "changes comparison and ordering of the column"},
	{"column.comment", 0, "comment only"},
	{"column.order", 10, "reorders columns: SELECT * and INSERT without a column list change"},
	{"column.option", 20, "changes an engine-specific column attribute"},
	{"primary_key.add", 60, "adds a primary key: fails on duplicates or NULL, builds an index"},
	{"primary_key.drop", 90, "drops the primary key: rows lose their identity"},
	{"primary_key.alter", 90, "changes the primary key: rows change identity, index rebuilt"},
	{"primary_key.form", 0, "written another way, same meaning (cosmetic)"},
	{"foreign_key.add", 35, "adds a foreign key: fails on orphan rows, validates the table"},
	{"foreign_key.drop", 85, "drops a foreign key: referential integrity no longer enforced"},
	{"foreign_key.alter", 85, "changes a foreign key: integrity rules change"},
	{"foreign_key.form", 0, "written another way, same meaning (cosmetic)"},
	{"unique.add", 45, "adds a unique constraint: fails on duplicates"},
	{"unique.drop", 65, "drops a unique constraint: duplicates become possible"},
	{"unique.alter", 65, "changes a unique constraint"},
	{"unique.form", 0, "written another way, same meaning (cosmetic)"},
	{"check.add", 40, "adds a CHECK: fails on rows that violate it"},
	{"check.drop", 55, "drops a CHECK: invalid values become possible"},
	{"check.alter", 50, "changes a CHECK expression"},
	{"check.form", 0, "written another way, same meaning (cosmetic)"},
	{"exclude.add", 45, "adds an exclusion constraint: fails on conflicting rows"},
	{"exclude.drop", 65, "drops an exclusion constraint: conflicts become possible"},
	{"exclude.alter", 65, "changes an exclusion constraint"},
	{"exclude.form", 0, "written another way, same meaning (cosmetic)"},
	{"index.add", 10, "adds an index: builds it, slower writes"},
	{"index.drop", 60, "drops an index: queries using it slow down"},
	{"index.alter", 55, "rebuilds an index with another definition"},
	{"index.form", 0, "written another way, same meaning (cosmetic)"},
	{"index.option", 20, "changes a key's index storage parameters (fillfactor...): later writes follow them"},
	{"index.comment", 0, "comment only"},
	{"view.add", 5, "adds a view"},
	{"view.drop", 60, "drops a view: its readers break"},
	{"view.alter", 30, "changes what a view returns"},
	{"materialized_view.add", 10, "adds a materialized view and fills it"},
	{"materialized_view.drop", 60, "drops a materialized view: its readers break"},
	{"materialized_view.alter", 40, "rebuilds a materialized view"},
	{"trigger.add", 30, "adds a trigger: writes run new logic"},
	{"trigger.drop", 60, "drops a trigger: logic on writes no longer runs"},
	{"trigger.alter", 45, "changes a trigger's logic"},
	{"function.add", 5, "adds a function"},
	{"function.drop", 65, "drops a function: callers break"},
	{"function.alter", 40, "changes a function's behaviour"},
	{"sequence.add", 5, "adds a sequence"},
	{"sequence.drop", 60, "drops a sequence: defaults using it break"},
	{"sequence.alter", 30, "changes a sequence's options"},
	{"type.add", 5, "adds a type"},
	{"type.drop", 70, "drops a type: columns using it break"},
	{"type.alter", 45, "changes a type's definition"},
	{"schema.add", 0, "adds a schema"},
	{"schema.drop", 90, "drops a schema and everything in it"},
	{"schema.alter", 10, "changes a schema's attributes"},
	{"extension.add", 10, "installs an extension"},
	{"extension.drop", 75, "removes an extension: objects using it break"},
	{"extension.alter", 25, "changes an extension's version or schema"},
	{"policy.add", 40, "adds a row-level security policy: visible rows change"},
	{"policy.drop", 65, "drops a row-level security policy: visible rows change"},
	{"policy.alter", 55, "changes a row-level security policy"},
	{"event.add", 20, "adds a scheduled event"},
	{"event.drop", 40, "drops a scheduled event"},
	{"event.alter", 30, "changes a scheduled event"},
	/* compared only on request (--compare privileges,owners) */
	{"privilege.grant", 35, "grants privileges: more roles may read or change it"},
	{"privilege.revoke", 60, "revokes privileges: queries of the roles that lose them fail"},
	{"owner.alter", 40, "changes the owner: who may alter, drop and grant on it"},
	{NULL, 0, NULL},
};

const sd_risk_rule *
sd_risk_rule_find_n(const char *kind, size_t n)
{
	for (const sd_risk_rule *r = sd_risk_rules; r->kind; r++)
		if (strlen(r->kind) == n && strncmp(r->kind, kind, n) == 0)
			return r;
	return NULL;
}

const sd_risk_rule *
sd_risk_rule_find(const char *kind)
{
	return sd_risk_rule_find_n(kind, strlen(kind));
}

sd_band
sd_risk_band(int score)
{
	if (score <= 0)
		return SD_BAND_NONE;
	if (score <= 20)
		return SD_BAND_LOW;
	if (score <= 50)
		return SD_BAND_MEDIUM;
	if (score <= 80)
		return SD_BAND_HIGH;
	return SD_BAND_CRITICAL;
}

const char *
sd_band_name(sd_band b)
{
	static const char *const names[] = {"none", "low", "medium", "high", "critical"};

	return (unsigned)b <= SD_BAND_CRITICAL ? names[b] : "none";
}

void
sd_change_add_reason(sd_change *c, int score, const char *reason)
{
	if (c->n_reasons < SD_MAX_REASONS)
		c->reasons[c->n_reasons++] = reason;
	if (score > c->risk)
		c->risk = score > 100 ? 100 : score;
}

/* ---- type widening --------------------------------------------------- */

typedef struct type_parts {
	char base[64];
	long args[2];
	int n_args;
	bool ok;
} type_parts;

/* "character varying(255)" -> base "character varying", args {255}. */
static type_parts
split_type(const char *t)
{
	type_parts p = {{0}, {0, 0}, 0, true};
	const char *paren = strchr(t, '(');
	size_t n = paren ? (size_t)(paren - t) : strlen(t);

	while (n > 0 && isspace((unsigned char)t[n - 1]))
		n--;
	if (n >= sizeof(p.base)) {
		p.ok = false;
		return p;
	}
	for (size_t i = 0; i < n; i++)
		p.base[i] = (char)tolower((unsigned char)t[i]);
	if (!paren)
		return p;
	for (const char *s = paren + 1; p.n_args < 2;) {
		char *end;
		long v = strtol(s, &end, 10);
		if (end == s) {
			p.ok = false;
			return p;
		}
		p.args[p.n_args++] = v;
		while (isspace((unsigned char)*end))
			end++;
		if (*end == ')')
			break;
		if (*end != ',') {
			p.ok = false;
			return p;
		}
		s = end + 1;
	}
	return p;
}

/* Integer families ordered by width; same rank means same range. */
static int
int_rank(const char *base)
{
	static const struct {
		const char *name;
		int rank;
	} ranks[] = {
		{"tinyint", 1}, {"smallint", 2}, {"int2", 2},   {"mediumint", 3}, {"int", 4},
		{"integer", 4}, {"int4", 4},     {"bigint", 5}, {"int8", 5},
	};

	for (size_t i = 0; i < sizeof(ranks) / sizeof(*ranks); i++)
		if (strcmp(ranks[i].name, base) == 0)
			return ranks[i].rank;
	return 0;
}

static bool
is_text_family(const char *base)
{
	return strcmp(base, "varchar") == 0 || strcmp(base, "character varying") == 0 ||
	       strcmp(base, "char") == 0 || strcmp(base, "character") == 0 ||
	       strcmp(base, "nvarchar") == 0 || strcmp(base, "varbinary") == 0 ||
	       strcmp(base, "binary") == 0;
}

static bool
is_unbounded_text(const char *base)
{
	return strcmp(base, "text") == 0 || strcmp(base, "clob") == 0 ||
	       strcmp(base, "longtext") == 0;
}

static int
sign(long v)
{
	return (v > 0) - (v < 0);
}

int
sd_risk_type_direction(const char *from, const char *to)
{
	type_parts a, b;
	int ra, rb;

	if (!from || !to)
		return 0;
	a = split_type(from);
	b = split_type(to);
	if (!a.ok || !b.ok)
		return 0;
	ra = int_rank(a.base);
	rb = int_rank(b.base);
	if (ra && rb && !a.n_args && !b.n_args)
		return sign(rb - ra);
	if (is_text_family(a.base) && is_unbounded_text(b.base))
		return 1;
	if (is_unbounded_text(a.base) && is_text_family(b.base) && b.n_args)
		return -1;
	if (strcmp(a.base, b.base) != 0 || a.n_args != b.n_args || !a.n_args)
		return 0;
	if (a.n_args == 1)
		return sign(b.args[0] - a.args[0]);
	/* numeric(p,s): wider only when neither integer digits nor scale shrink. */
	{
		long ia = a.args[0] - a.args[1], ib = b.args[0] - b.args[1];
		if (ib >= ia && b.args[1] >= a.args[1])
			return (ib > ia || b.args[1] > a.args[1]) ? 1 : 0;
		if (ib <= ia && b.args[1] <= a.args[1])
			return -1;
		return 0;
	}
}
