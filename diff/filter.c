/*
 * diff/filter.c: include/exclude globs, ignored kinds and risk overrides.
 *
 * Applied after the diff so the differ stays one honest merge walk; the
 * change array is compacted in place, which keeps the order stable.
 */
#include "diff/sd_diff.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static const char *
alias(const char *pattern)
{
	if (strcmp(pattern, "comments") == 0)
		return "comment";
	if (strcmp(pattern, "column-order") == 0 || strcmp(pattern, "column_order") == 0)
		return "column.order";
	return pattern;
}

static bool
kind_matches(const char *kind, const char *pattern)
{
	size_t n, k = strlen(kind);

	pattern = alias(pattern);
	n = strlen(pattern);
	if (strcmp(kind, pattern) == 0)
		return true;
	if (strncmp(kind, pattern, n) == 0 && kind[n] == '.') /* family: "trigger" */
		return true;
	return k > n && kind[k - n - 1] == '.' && strcmp(kind + k - n, pattern) == 0; /* aspect */
}

static bool
any_glob(const char *name, const char *const *globs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(globs[i], name, 0) == 0)
			return true;
	return false;
}

/*
 * "TABLE.NAME" for a change to one named index or constraint ("users.users_email_idx",
 * "public.users.users_email_key"), so --exclude can name just that item; NULL for
 * anything else, and for names the engine generated (they differ between sides).
 */
static const char *
item_name(sd_arena *a, const sd_change *c)
{
	const void *item = c->new_item ? c->new_item : c->old_item;
	const char *name = NULL;

	if (c->what == SD_WHAT_INDEX) {
		const sd_index *ix = item;
		name = ix->name_generated ? NULL : ix->name;
	} else if (c->what == SD_WHAT_CONSTRAINT) {
		const sd_constraint *k = item;
		name = k->name_generated ? NULL : k->name;
	}
	return name ? sd_arena_printf(a, "%s.%s", sd_change_object_name(a, c), name) : NULL;
}

static bool
keep(sd_arena *a, const sd_change *c, const sd_filter *f)
{
	const char *name = sd_change_object_name(a, c), *item;

	if (f->n_include && !any_glob(name, f->include, f->n_include))
		return false;
	if (any_glob(name, f->exclude, f->n_exclude))
		return false;
	if (f->n_exclude && (item = item_name(a, c)) && any_glob(item, f->exclude, f->n_exclude))
		return false;
	for (size_t i = 0; i < f->n_ignore; i++)
		if (kind_matches(c->kind, f->ignore[i]))
			return false;
	return true;
}

static void
override(sd_diff *d, sd_change *c, const sd_filter *f)
{
	for (size_t i = 0; i < f->n_overrides; i++) {
		if (strcmp(f->overrides[i].kind, c->kind) != 0)
			continue;
		c->risk = f->overrides[i].score;
		/* The override is the score; the reasons stay, and say why it differs. */
		if (c->n_reasons < SD_MAX_REASONS)
			c->reasons[c->n_reasons++] = sd_arena_printf(
				&d->arena, "score set to %d by a risk override", c->risk);
	}
}

void
sd_diff_apply_filter(sd_diff *d, const sd_filter *f)
{
	size_t kept = 0;

	d->score = 0;
	for (size_t i = 0; i < d->n_changes; i++) {
		sd_change *c = &d->changes[i];
		if (!keep(&d->arena, c, f))
			continue;
		override(d, c, f);
		if (c->risk > d->score)
			d->score = c->risk;
		d->changes[kept++] = *c;
	}
	d->n_changes = kept;
}

/* Appends each distinct family (before the dot) or aspect (after it) once. */
static void
list_parts(sd_str *out, bool family)
{
	size_t n = 0;

	for (const sd_risk_rule *r = sd_risk_rules; r->kind; r++) {
		const char *dot = strchr(r->kind, '.');
		const char *part = family ? r->kind : dot + 1;
		size_t len = family ? (size_t)(dot - r->kind) : strlen(dot + 1);
		bool seen = false;
		for (const sd_risk_rule *q = sd_risk_rules; q < r && !seen; q++) {
			const char *qdot = strchr(q->kind, '.');
			const char *qpart = family ? q->kind : qdot + 1;
			size_t qlen = family ? (size_t)(qdot - q->kind) : strlen(qdot + 1);
			seen = qlen == len && strncmp(qpart, part, len) == 0;
		}
		if (!seen)
			sd_str_appendf(out, "%s%.*s", n++ ? ", " : "", (int)len, part);
	}
}

bool
sd_ignore_word_valid(const char *word, sd_err *err)
{
	sd_str valid;

	for (const sd_risk_rule *r = sd_risk_rules; r->kind; r++)
		if (kind_matches(r->kind, word))
			return true;
	sd_str_init(&valid);
	sd_str_append(&valid, "a change kind (like column.order), a family (");
	list_parts(&valid, true);
	sd_str_append(&valid, "), or an aspect (");
	list_parts(&valid, false);
	sd_str_append(&valid, "; \"comments\" = comment)");
	sd_err_set(err, SD_ECONFIG, "\"%s\" matches no change; expected %s", word, valid.ptr);
	sd_str_dispose(&valid);
	return false;
}

bool
sd_risk_override_parse(sd_risk_override *out, const char *text, sd_err *err)
{
	const char *eq = strchr(text, '=');
	char *end;
	long v;

	if (!eq || eq == text) {
		sd_err_set(err, SD_ECONFIG, "risk override \"%s\": expected KIND=SCORE", text);
		return false;
	}
	v = strtol(eq + 1, &end, 10);
	if (end == eq + 1 || *end || v < 0 || v > 100) {
		sd_err_set(err, SD_ECONFIG, "risk override \"%s\": the score must be 0-100", text);
		return false;
	}
	if (!sd_risk_rule_find_n(text, (size_t)(eq - text))) {
		sd_err_set(err, SD_ECONFIG, "risk override \"%s\": unknown change kind \"%.*s\"",
			   text, (int)(eq - text), text);
		return false;
	}
	out->kind = sd_risk_rule_find_n(text, (size_t)(eq - text))->kind;
	out->score = (int)v;
	return true;
}

sd_band
sd_band_from_name(const char *name)
{
	for (int b = SD_BAND_LOW; b <= SD_BAND_CRITICAL; b++)
		if (strcmp(sd_band_name((sd_band)b), name) == 0)
			return (sd_band)b;
	return SD_BAND_NONE;
}
