/*
 * connectors/pg/pg_casts.c: which column type changes the server can cast.
 *
 * ALTER COLUMN ... TYPE needs a cast from the old type to the new one
 * (the plan writes USING col::newtype). The casts a server knows are in
 * pg_cast, read once with the catalog and kept as the schema's "casts"
 * property ("bigint>numeric;..."), so a plan made from a snapshot knows
 * its server's casts too. Casts pg_cast does not list are the ones every
 * server has: to and from string types (I/O conversion), between two
 * typmods of one type, and between arrays whose elements cast.
 */
#include "connectors/pg/pg_internal.h"

#include <string.h>

static const char Q_CASTS[] =
	"SELECT string_agg(c, ';' ORDER BY c COLLATE \"C\") FROM (SELECT "
	"pg_catalog.format_type(k.castsource, NULL) || '>' || "
	"pg_catalog.format_type(k.casttarget, NULL) AS c FROM pg_catalog.pg_cast k "
	"WHERE k.castsource <> k.casttarget) s";

static int
casts_row(pg_reader *r, PGresult *res, int i)
{
	const char *casts = sd_pg__val(r, res, i, 0);

	if (casts)
		sd_props_set(r->a, &r->s->props, "casts", casts);
	return SD_OK;
}

int
sd_pg__read_casts(pg_reader *r)
{
	return sd_pg__each_row(r, "casts", Q_CASTS, casts_row);
}

/*
 * The name pg_cast knows a type by: "numeric(12,2)" -> "numeric",
 * "timestamp(3) with time zone" -> "timestamp with time zone",
 * "interval year to month" -> "interval".
 */
static void
base_type(sd_str *out, const char *type, size_t n)
{
	int depth = 0;

	if (n >= 8 && strncmp(type, "interval", 8) == 0) {
		sd_str_append(out, "interval");
		return;
	}
	for (size_t k = 0; k < n; k++) {
		if (type[k] == '(')
			depth++;
		else if (type[k] == ')')
			depth--;
		else if (depth == 0)
			sd_str_appendc(out, type[k]);
	}
}

static bool
is_string_type(const char *base)
{
	return strcmp(base, "text") == 0 || strcmp(base, "character varying") == 0 ||
	       strcmp(base, "character") == 0 || strcmp(base, "name") == 0;
}

static bool
listed(const char *casts, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to);

	for (const char *at = casts; at && *at;) {
		size_t n = strcspn(at, ";");
		if (n == nf + 1 + nt && strncmp(at, from, nf) == 0 && at[nf] == '>' &&
		    strncmp(at + nf + 1, to, nt) == 0)
			return true;
		at += n;
		if (*at == ';')
			at++;
	}
	return false;
}

static bool
is_array(const char *type, size_t n)
{
	return n > 2 && strncmp(type + n - 2, "[]", 2) == 0;
}

bool
sd_pg__castable(const sd_schema *from, const char *old_type, const char *new_type)
{
	const char *casts = sd_props_get(&from->props, "casts");
	size_t no = strlen(old_type), nn = strlen(new_type);
	sd_str a, b;
	bool ok;

	/* Unknown (no casts read) or user types, which the plan converts through text. */
	if (!casts || strchr(old_type, '.') || strchr(new_type, '.'))
		return true;
	if (is_array(old_type, no) && is_array(new_type, nn)) {
		no -= 2; /* an array casts element by element */
		nn -= 2;
	}
	sd_str_init(&a);
	sd_str_init(&b);
	base_type(&a, old_type, no);
	base_type(&b, new_type, nn);
	ok = strcmp(a.ptr, b.ptr) == 0 || is_string_type(a.ptr) || is_string_type(b.ptr) ||
	     (!is_array(a.ptr, a.len) && !is_array(b.ptr, b.len) && listed(casts, a.ptr, b.ptr));
	sd_str_dispose(&a);
	sd_str_dispose(&b);
	return ok;
}
