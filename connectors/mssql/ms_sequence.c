/*
 * connectors/mssql/ms_sequence.c: CREATE SEQUENCE options with SQL Server's
 * defaults filled in, so `CREATE SEQUENCE s` and SSMS's `CREATE SEQUENCE
 * [dbo].[s] AS [bigint] START WITH -9223372036854775808 INCREMENT BY 1
 * MINVALUE -9223372036854775808 MAXVALUE 9223372036854775807 CACHE` read the
 * same. Defaults: AS bigint, INCREMENT BY 1, MINVALUE and MAXVALUE the
 * type's range, START WITH MINVALUE (MAXVALUE when counting down), NO
 * CYCLE, CACHE (size chosen by the server).
 */
#include "connectors/mssql/ms_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct seq_opts {
	const char *type, *start, *increment, *min, *max, *cache;
	bool cycle;
} seq_opts;

/* A signed number: "-5", "+5" or "5". */
static int
number(ms_parser *p, const char **out)
{
	const ms_tok *t = sd_ms__peek(p, 0);
	const char *sign = "";

	if (sd_ms__is_op(t, "-") || sd_ms__is_op(t, "+")) {
		sign = sd_ms__is_op(t, "-") ? "-" : "";
		p->i++;
		t = sd_ms__peek(p, 0);
	}
	if (t->type != MT_NUMBER)
		return sd_ms__fail(p, t, "expected a number in CREATE SEQUENCE, found %s",
		                   sd_ms__near(p, t));
	*out = sd_arena_printf(p->db->a, "%s%.*s", sign, (int)t->n, t->p);
	p->i++;
	return SD_OK;
}

/* The range of the sequence's type; decimal(p, 0) and numeric(p, 0) hold +-(10^p - 1). */
static void
type_range(sd_arena *a, const char *type, const char **min, const char **max)
{
	static const struct {
		const char *type, *min, *max;
	} ranges[] = {
	        {"tinyint", "0", "255"},
	        {"smallint", "-32768", "32767"},
	        {"int", "-2147483648", "2147483647"},
	        {"bigint", "-9223372036854775808", "9223372036854775807"},
	};
	const char *paren = strchr(type, '(');

	for (size_t i = 0; i < sizeof(ranges) / sizeof(*ranges); i++)
		if (strcmp(type, ranges[i].type) == 0) {
			*min = ranges[i].min;
			*max = ranges[i].max;
			return;
		}
	if (paren) {
		int digits = atoi(paren + 1);
		char nines[40];
		if (digits < 1 || digits > 38)
			digits = 18;
		memset(nines, '9', (size_t)digits);
		nines[digits] = '\0';
		*max = sd_arena_strdup(a, nines);
		*min = sd_arena_printf(a, "-%s", nines);
	}
}

static int
option(ms_parser *p, seq_opts *o)
{
	const ms_tok *t = sd_ms__peek(p, 0);

	if (sd_ms__accept(p, "as")) {
		size_t from = p->i;
		p->i++;
		if (sd_ms__is_punct(sd_ms__peek(p, 0), '('))
			p->i = sd_ms__skip_group(p->t, p->batch_end, p->i);
		o->type = sd_ms__type(p->db->a, p->t, from, p->i);
		return SD_OK;
	}
	if (sd_ms__accept(p, "start"))
		return sd_ms__expect(p, "with") ? SD_EINPUT : number(p, &o->start);
	if (sd_ms__accept(p, "increment"))
		return sd_ms__expect(p, "by") ? SD_EINPUT : number(p, &o->increment);
	if (sd_ms__accept(p, "minvalue"))
		return number(p, &o->min);
	if (sd_ms__accept(p, "maxvalue"))
		return number(p, &o->max);
	if (sd_ms__accept(p, "cycle")) {
		o->cycle = true;
		return SD_OK;
	}
	if (sd_ms__accept(p, "cache")) {
		o->cache = "CACHE";
		return sd_ms__peek(p, 0)->type == MT_NUMBER ? number(p, &o->cache) : SD_OK;
	}
	if (sd_ms__accept(p, "no")) {
		if (sd_ms__accept(p, "cache"))
			o->cache = NULL;
		else if (!sd_ms__accept(p, "cycle") && !sd_ms__accept(p, "minvalue") &&
		         !sd_ms__accept(p, "maxvalue"))
			return sd_ms__fail(p, t, "NO what? (CACHE, CYCLE, MINVALUE, MAXVALUE)");
		return SD_OK;
	}
	return sd_ms__fail(p, t, "CREATE SEQUENCE: unexpected %s", sd_ms__near(p, t));
}

int
sd_ms__sequence_options(ms_parser *p, const char **out)
{
	seq_opts o = {.type = "bigint", .increment = "1", .cache = "CACHE"};
	const char *min = NULL, *max = NULL;
	int rc;

	while (!sd_ms__at_statement_end(p))
		if ((rc = option(p, &o)))
			return rc;
	type_range(p->db->a, o.type, &min, &max);
	if (!o.min)
		o.min = min ? min : "0";
	if (!o.max)
		o.max = max ? max : "0";
	if (!o.start)
		o.start = o.increment[0] == '-' ? o.max : o.min;
	*out = sd_arena_printf(
	        p->db->a, "AS %s START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE %s %s %s%s%s",
	        o.type, o.start, o.increment, o.min, o.max, o.cycle ? "CYCLE" : "NO CYCLE",
	        o.cache ? "" : "NO CACHE", o.cache && strcmp(o.cache, "CACHE") != 0 ? "CACHE " : "",
	        o.cache ? o.cache : "");
	return SD_OK;
}
