/*
 * connectors/sqlite/lite_introspect.c: read a live SQLite catalog.
 *
 * Five statements whatever the table count: sqlite_schema joined with the
 * pragma table-valued functions (table_list, table_xinfo, index_list,
 * index_xinfo, foreign_key_list), inside one read transaction on a
 * read-only connection. The CREATE text supplies what the pragmas lack
 * (lite_parse.c).
 *
 * SQLite identifiers are case-insensitive for ASCII, so names are folded
 * to lower case: USERS and users are one table, as SQLite sees them. The
 * plan reuses each side's own CREATE text, so declared spelling survives.
 * Auto-generated objects (sqlite_autoindex_*) are never matched by name:
 * UNIQUE and PRIMARY KEY are read as constraints, matched by definition.
 *
 * Not yet: attached databases (only "main" is read); virtual table module
 * arguments are compared as CREATE text only.
 */
#include "connectors/sqlite/sd_sqlite.h"

#include "connectors/sqlite/lite_lex.h"
#include "connectors/sqlite/lite_parse.h"

#include <pthread.h>
#include <stdint.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define NOT_INTERNAL "m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"

/*
 * No ORDER BY: a pragma function takes its argument from the row before it
 * (m.name, il.name), so SQLite can only run these joins as nested loops in
 * that order, and the rows arrive grouped by table (then by index or
 * foreign key) with each pragma's own order inside (columns by cid, keys
 * by seqno, foreign key columns by seq). Sorting 50,000 rows by name cost
 * a sixth of the read at 5,000 tables, and the model is sorted anyway.
 */
/*
 * pragma_table_list walks the whole schema on every call, whatever its
 * argument: joined per table it made the read quadratic (98 s for 20,000
 * tables with 20,000 views). Materialized, it runs once; views_compiled()
 * makes that once linear too.
 */
static const char Q_TABLES[] =
	"WITH l AS MATERIALIZED (SELECT name, type, wr, strict FROM pragma_table_list "
	"WHERE schema = 'main' AND type IN ('table', 'virtual')) "
	"SELECT m.name, m.sql, l.type, l.wr, l.strict FROM sqlite_schema m "
	"JOIN l ON l.name = m.name WHERE m.type = 'table' AND " NOT_INTERNAL;

static const char Q_COLUMNS[] =
	"SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden "
	"FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p "
	"WHERE m.type = 'table' AND " NOT_INTERNAL;

static const char Q_INDEXES[] =
	"SELECT m.name, il.name, il.\"unique\", il.origin, ix.seqno, ix.cid, ix.name, "
	"ix.\"desc\", ix.coll, s.sql FROM sqlite_schema m "
	"JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) ix "
	"LEFT JOIN sqlite_schema s ON s.type = 'index' AND s.name = il.name "
	"WHERE m.type = 'table' AND ix.key = 1 AND " NOT_INTERNAL;

static const char Q_FOREIGN_KEYS[] =
	"SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, "
	"f.on_delete, f.\"match\" FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f "
	"WHERE m.type = 'table' AND " NOT_INTERNAL;

static const char Q_OBJECTS[] = "SELECT m.type, m.name, m.tbl_name, m.sql FROM sqlite_schema m "
				"WHERE m.type IN ('view', 'trigger') AND " NOT_INTERNAL;

static const char *const catalog_queries[] = {Q_TABLES, Q_COLUMNS, Q_INDEXES, Q_FOREIGN_KEYS,
					      Q_OBJECTS, NULL};

const char *const *
sd_lite_catalog_queries(void)
{
	return catalog_queries;
}

typedef SD_VEC(const char *) str_vec;

/* A table while it is being read; folded into the arena at the end. */
typedef struct tbuild {
	const char *name;
	size_t table_index; /* into sd_schema.tables, which is not yet sorted */
	lite_tabledef def;
	sd_table_parts parts;
	SD_VEC(int) pk_rank; /* per column: rank in the PRIMARY KEY, 0 when not in it */
	bool *con_used;      /* parsed constraints already matched to a pragma row */
} tbuild;

typedef struct reader {
	sqlite3 *db;
	sd_schema *s;
	sd_arena *a;
	tbuild *tables; /* sorted by name */
	size_t n_tables;
	tbuild *last;   /* the table of the last row read (row_table) */
	sd_err *err;
} reader;

/* SQLite folds names in ASCII only. */
static char
fold_ascii(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static const char *
fold(sd_arena *a, const char *s)
{
	char *p = sd_arena_strdup(a, s);

	for (char *c = p; c && *c; c++)
		*c = fold_ascii(*c);
	return p;
}

static const char *
col_text(reader *r, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? sd_arena_strdup(r->a, (const char *)t) : NULL;
}

static const char *
col_folded(reader *r, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? fold(r->a, (const char *)t) : NULL;
}

static int
cmp_tbuild(const void *a, const void *b)
{
	return strcmp(((const tbuild *)a)->name, ((const tbuild *)b)->name);
}

/* Whether raw, folded as fold() does, is folded. */
static bool
folded_eq(const char *folded, const char *raw)
{
	for (; *folded && *raw; folded++, raw++)
		if (*folded != fold_ascii(*raw))
			return false;
	return *folded == *raw;
}

static tbuild *
find_table(reader *r, const char *folded)
{
	tbuild key = {.name = folded};

	if (!r->n_tables || !folded)
		return NULL; /* bsearch on a NULL array is undefined even for 0 items */
	return bsearch(&key, r->tables, r->n_tables, sizeof(*r->tables), cmp_tbuild);
}

/*
 * The table named in column i of the row: rows arrive grouped by table, so
 * the last one found usually is it (no copy of the name, no search).
 */
static tbuild *
row_table(reader *r, sqlite3_stmt *st, int i)
{
	const char *raw = (const char *)sqlite3_column_text(st, i);

	if (!raw)
		return NULL;
	if (!r->last || !folded_eq(r->last->name, raw))
		r->last = find_table(r, fold(r->a, raw));
	return r->last;
}

typedef int (*row_fn)(reader *r, sqlite3_stmt *st);

/* Runs sql and calls fn per row; finalizes on every path. */
static int
each_row(reader *r, const char *sql, row_fn fn)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(r->db, sql, -1, &st, NULL), out = SD_OK;

	if (rc != SQLITE_OK) {
		out = sd_err_set(r->err, SD_EQUERY, "%s", sqlite3_errmsg(r->db));
		goto done;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((out = fn(r, st)))
			goto done;
	if (rc != SQLITE_DONE)
		out = sd_err_set(r->err, SD_EQUERY, "%s", sqlite3_errmsg(r->db));
done:
	sqlite3_finalize(st);
	return out;
}

/* ---- tables ---------------------------------------------------------- */

typedef SD_VEC(tbuild) tbuild_vec;
typedef SD_VEC(sd_table) table_vec;

/*
 * Compiles every view once, so each knows its columns. pragma_table_list
 * works them out itself, but starts its walk of the schema over after each
 * view it compiles: quadratic in views (4.9 s for 10,000, 0.9 s this way).
 * A view that does not compile is left to the pragma, as before.
 */
static void
views_compiled(reader *r)
{
	sqlite3_stmt *views = NULL;
	sd_str sql;

	if (sqlite3_prepare_v2(r->db, "SELECT name FROM sqlite_schema WHERE type = 'view'", -1,
	                       &views, NULL) != SQLITE_OK)
		return;
	sd_str_init(&sql);
	while (sqlite3_step(views) == SQLITE_ROW) {
		sqlite3_stmt *view = NULL;
		sd_str_clear(&sql);
		sd_str_append(&sql, "SELECT * FROM ");
		sd_lite_quote_ident(&sql, (const char *)sqlite3_column_text(views, 0));
		sqlite3_prepare_v2(r->db, sql.ptr, -1, &view, NULL);
		sqlite3_finalize(view);
	}
	sqlite3_finalize(views);
	sd_str_dispose(&sql);
}

static int
read_tables(reader *r)
{
	sqlite3_stmt *st = NULL;
	tbuild_vec v = {0};
	table_vec meta = {0};
	int rc, out = SD_OK;

	views_compiled(r);
	if (sqlite3_prepare_v2(r->db, Q_TABLES, -1, &st, NULL) != SQLITE_OK) {
		out = sd_err_set(r->err, SD_EQUERY, "%s", sqlite3_errmsg(r->db));
		goto done;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tbuild b = {0};
		sd_table t = {0};
		const char *sql = col_text(r, st, 1);
		b.name = col_folded(r, st, 0);
		t.schema = "";
		t.name = b.name;
		t.definition = sql;
		if (sql)
			sd_lite__parse_table(&b.def, r->a, sql);
		if (sqlite3_column_int(st, 3))
			sd_props_set(r->a, &t.props, "without_rowid", "true");
		if (sqlite3_column_int(st, 4))
			sd_props_set(r->a, &t.props, "strict", "true");
		if (strcmp((const char *)sqlite3_column_text(st, 2), "virtual") == 0)
			sd_props_set(r->a, &t.props, "virtual", "true");
		b.con_used = sd_arena_alloc(r->a, b.def.n_cons + 1);
		b.table_index = meta.len;
		sd_vec_push(&v, b);
		sd_vec_push(&meta, t);
	}
	if (rc != SQLITE_DONE) {
		out = sd_err_set(r->err, SD_EQUERY, "%s", sqlite3_errmsg(r->db));
		goto done;
	}
	r->s->tables = sd_arena_memdup(r->a, meta.ptr, meta.len, sizeof(*meta.ptr));
	r->s->n_tables = meta.len;
	r->tables = v.ptr;
	r->n_tables = v.len;
	v.ptr = NULL;
	if (r->n_tables > 1)
		qsort(r->tables, r->n_tables, sizeof(*r->tables), cmp_tbuild);
done:
	sqlite3_finalize(st);
	free(v.ptr);
	sd_vec_dispose(&meta);
	return out;
}

/* ---- columns --------------------------------------------------------- */

/* Strips one pair of parentheses around a whole expression: DEFAULT (0) is DEFAULT 0. */
static const char *
canon_default(reader *r, const char *text)
{
	const char *c;
	size_t n;

	if (!text)
		return NULL;
	c = sd_lite__canon_sql(r->a, text);
	n = strlen(c);
	while (n >= 2 && c[0] == '(' && c[n - 1] == ')') {
		/* only when the first "(" closes at the very end */
		int depth = 0;
		size_t i;
		for (i = 0; i < n; i++) {
			if (c[i] == '\'') {
				while (++i < n && c[i] != '\'')
					;
				continue;
			}
			if (c[i] == '(')
				depth++;
			else if (c[i] == ')' && --depth == 0)
				break;
		}
		if (i != n - 1)
			break;
		c = sd_arena_strndup(r->a, c + 1, n - 2);
		n -= 2;
	}
	return c;
}

static const char *
canon_type(reader *r, const char *declared)
{
	if (!declared || !*declared)
		return NULL;
	return sd_lite__canon_sql(r->a, declared);
}

static const lite_coldef *
parsed_column(const tbuild *b, const char *name)
{
	for (size_t i = 0; i < b->def.n_cols; i++)
		if (strcmp(b->def.cols[i].name, name) == 0)
			return &b->def.cols[i];
	return NULL;
}

static int
column_row(reader *r, sqlite3_stmt *st)
{
	tbuild *b = row_table(r, st, 0);
	const lite_coldef *pc;
	sd_column c = {0};
	int hidden;

	if (!b)
		return SD_OK;
	c.position = sqlite3_column_int(st, 1) + 1;
	c.name = col_folded(r, st, 2);
	c.type = canon_type(r, col_text(r, st, 3));
	c.not_null = sqlite3_column_int(st, 4) != 0;
	c.default_expr = canon_default(r, col_text(r, st, 5));
	hidden = sqlite3_column_int(st, 7);
	pc = parsed_column(b, c.name);
	if (pc) {
		c.collation = pc->collation;
		if (pc->autoincrement)
			c.identity = "autoincrement";
		if (pc->not_null_conflict)
			sd_props_set(r->a, &c.props, "not_null_conflict", pc->not_null_conflict);
	}
	if (hidden == 2 || hidden == 3) {
		c.generated = pc && pc->generated ? pc->generated : "?";
		c.generated_stored = hidden == 3;
	}
	if (hidden == 1)
		sd_props_set(r->a, &c.props, "hidden", "true");
	/* The pragma's pk rank is kept to build the PRIMARY KEY afterwards. */
	sd_vec_push(&b->pk_rank, sqlite3_column_int(st, 6));
	sd_vec_push(&b->parts.cols, c);
	return SD_OK;
}

/* ---- constraints and indexes ----------------------------------------- */

/* The first parsed constraint of type with these columns not yet claimed. */
static const lite_condef *
claim_parsed(tbuild *b, sd_con_type type, const char *const *cols, size_t n, const char *ref)
{
	for (size_t i = 0; i < b->def.n_cons; i++) {
		const lite_condef *d = &b->def.cons[i];
		if (b->con_used[i] || d->type != type)
			continue;
		if (type != SD_CON_PRIMARY && !sd_strv_eq(d->columns, d->n_columns, cols, n))
			continue;
		if (ref && !sd_streq(d->ref_table, ref))
			continue;
		b->con_used[i] = true;
		return d;
	}
	return NULL;
}

static void
apply_parsed(reader *r, sd_constraint *c, const lite_condef *d)
{
	if (!d)
		return;
	c->name = d->name;
	c->deferrable = d->deferrable;
	c->initially_deferred = d->initially_deferred;
	if (d->conflict)
		sd_props_set(r->a, &c->props, "on_conflict", d->conflict);
	if (d->desc)
		sd_props_set(r->a, &c->props, "desc", "true");
}

/* One index being assembled from its xinfo rows. */
typedef struct ibuild {
	tbuild *table;
	const char *name;
	char origin;
	bool unique;
	const char *sql;
	lite_indexdef def;
	SD_VEC(sd_index_key) keys;
} ibuild;

static void
finish_index(reader *r, ibuild *ib)
{
	tbuild *b = ib->table;
	sd_index ix = {0};

	if (!b || !ib->name)
		goto reset;
	if (ib->origin != 'c') {
		/* Backs a PRIMARY KEY or UNIQUE constraint: read as the constraint. */
		sd_constraint c = {0};
		const char **cols = sd_arena_alloc(r->a, ib->keys.len * sizeof(char *));
		for (size_t i = 0; i < ib->keys.len; i++)
			cols[i] = ib->keys.ptr[i].column ? ib->keys.ptr[i].column : ib->keys.ptr[i].expr;
		if (ib->origin == 'p')
			goto reset; /* PRIMARY KEY comes from table_xinfo's pk ranks */
		c.type = SD_CON_UNIQUE;
		c.columns = cols;
		c.n_columns = ib->keys.len;
		apply_parsed(r, &c, claim_parsed(b, SD_CON_UNIQUE, cols, c.n_columns, NULL));
		sd_vec_push(&b->parts.cons, c);
		goto reset;
	}
	ix.name = ib->name;
	ix.unique = ib->unique;
	ix.definition = ib->sql;
	ix.predicate = ib->def.predicate;
	ix.n_keys = ib->keys.len;
	ix.keys = sd_arena_memdup(r->a, ib->keys.ptr, ib->keys.len, sizeof(*ib->keys.ptr));
	sd_vec_push(&b->parts.idx, ix);
reset:
	sd_vec_dispose(&ib->keys);
	memset(ib, 0, sizeof(*ib));
}

static int
index_rows(reader *r)
{
	sqlite3_stmt *st = NULL;
	ibuild cur = {0};
	int rc, out = SD_OK;

	if (sqlite3_prepare_v2(r->db, Q_INDEXES, -1, &st, NULL) != SQLITE_OK) {
		out = sd_err_set(r->err, SD_EQUERY, "%s", sqlite3_errmsg(r->db));
		goto done;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tbuild *table = row_table(r, st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1), *coll;
		sd_index_key k = {0};
		int seqno = sqlite3_column_int(st, 4), cid = sqlite3_column_int(st, 5);

		if (!cur.name || !folded_eq(cur.name, name) || cur.table != table) {
			finish_index(r, &cur);
			cur.table = table;
			cur.name = col_folded(r, st, 1);
			cur.unique = sqlite3_column_int(st, 2) != 0;
			cur.origin = ((const char *)sqlite3_column_text(st, 3))[0];
			cur.sql = col_text(r, st, 9);
			if (cur.sql)
				sd_lite__parse_index(&cur.def, r->a, cur.sql);
		}
		if (cid == -2)
			k.expr = (size_t)seqno < cur.def.n_exprs ? cur.def.exprs[seqno] : "?";
		else if (cid == -1)
			k.column = "rowid";
		else
			k.column = col_folded(r, st, 6);
		k.desc = sqlite3_column_int(st, 7) != 0;
		coll = (const char *)sqlite3_column_text(st, 8);
		if (coll && sqlite3_stricmp(coll, "BINARY") != 0)
			k.collation = fold(r->a, coll);
		sd_vec_push(&cur.keys, k);
	}
	if (rc != SQLITE_DONE)
		out = sd_err_set(r->err, SD_EQUERY, "%s", sqlite3_errmsg(r->db));
	finish_index(r, &cur);
done:
	sd_vec_dispose(&cur.keys);
	sqlite3_finalize(st);
	return out;
}

static const char *
fk_action(reader *r, sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);

	if (!t || sqlite3_stricmp(t, "NO ACTION") == 0 || sqlite3_stricmp(t, "NONE") == 0)
		return NULL;
	return fold(r->a, t);
}

/* Foreign keys arrive as one row per column, grouped by (table, id). */
static int
foreign_key_rows(reader *r)
{
	sqlite3_stmt *st = NULL;
	tbuild *b = NULL;
	str_vec from = {0}, to = {0};
	sd_constraint c = {0};
	int rc, out = SD_OK, id = -1;

	if (sqlite3_prepare_v2(r->db, Q_FOREIGN_KEYS, -1, &st, NULL) != SQLITE_OK) {
		out = sd_err_set(r->err, SD_EQUERY, "%s", sqlite3_errmsg(r->db));
		goto done;
	}
	for (;;) {
		tbuild *table = NULL;
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			table = row_table(r, st, 0);
		if (b && (rc != SQLITE_ROW || sqlite3_column_int(st, 1) != id || table != b)) {
			c.columns = sd_arena_memdup(r->a, from.ptr, from.len, sizeof(char *));
			c.n_columns = from.len;
			c.ref_columns = sd_arena_memdup(r->a, to.ptr, to.len, sizeof(char *));
			c.n_ref_columns = to.len;
			apply_parsed(r, &c, claim_parsed(b, SD_CON_FOREIGN, c.columns, c.n_columns,
							 c.ref_table));
			sd_vec_push(&b->parts.cons, c);
			from.len = to.len = 0;
			b = NULL;
		}
		if (rc != SQLITE_ROW)
			break;
		if (!b) {
			memset(&c, 0, sizeof(c));
			b = table;
			if (!b)
				continue;
			id = sqlite3_column_int(st, 1);
			c.type = SD_CON_FOREIGN;
			c.ref_schema = "";
			c.ref_table = col_folded(r, st, 3);
			c.on_update = fk_action(r, st, 6);
			c.on_delete = fk_action(r, st, 7);
			c.match = fk_action(r, st, 8);
		}
		sd_vec_push(&from, col_folded(r, st, 4));
		/* NULL "to": the parent's primary key, resolved once all tables are read. */
		sd_vec_push(&to, col_folded(r, st, 5));
	}
	if (rc != SQLITE_DONE)
		out = sd_err_set(r->err, SD_EQUERY, "%s", sqlite3_errmsg(r->db));
done:
	sd_vec_dispose(&from);
	sd_vec_dispose(&to);
	sqlite3_finalize(st);
	return out;
}

/* ---- views and triggers ---------------------------------------------- */

typedef SD_VEC(sd_object) object_vec;

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* views: the view names, sorted (a search per word of every view and trigger) */
static bool
is_relation(reader *r, const str_vec *views, const char *name)
{
	return find_table(r, name) ||
	       (views->len && bsearch(&name, views->ptr, views->len, sizeof(*views->ptr), cmp_str));
}

/* Names of tables and views the object's SQL mentions: the plan orders by them. */
static void
object_depends(reader *r, const str_vec *views, sd_object *o)
{
	lite_toks toks;
	str_vec deps = {0};

	sd_lite__lex(&toks, o->ddl);
	for (size_t i = 0; i < toks.n; i++) {
		const lite_tok *t = &toks.v[i];
		const char *id;
		bool seen = false;
		if (t->type != LT_WORD && t->type != LT_QIDENT)
			continue;
		id = sd_lite__ident(r->a, t);
		if (strcmp(id, o->name) == 0 || !is_relation(r, views, id))
			continue;
		for (size_t j = 0; j < deps.len; j++)
			seen = seen || strcmp(deps.ptr[j], id) == 0;
		if (!seen)
			sd_vec_push(&deps, id);
	}
	o->depends = sd_arena_memdup(r->a, deps.ptr, deps.len, sizeof(char *));
	o->n_depends = deps.len;
	sd_vec_dispose(&deps);
	free(toks.v);
}

static int
read_objects(reader *r)
{
	sqlite3_stmt *st = NULL;
	object_vec objs = {0};
	str_vec views = {0};
	int rc, out = SD_OK;

	if (sqlite3_prepare_v2(r->db, Q_OBJECTS, -1, &st, NULL) != SQLITE_OK) {
		out = sd_err_set(r->err, SD_EQUERY, "%s", sqlite3_errmsg(r->db));
		goto done;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sd_object o = {0};
		const char *type = (const char *)sqlite3_column_text(st, 0);
		o.kind = strcmp(type, "view") == 0 ? SD_OBJ_VIEW : SD_OBJ_TRIGGER;
		o.schema = "";
		o.name = col_folded(r, st, 1);
		if (o.kind == SD_OBJ_TRIGGER)
			o.table = col_folded(r, st, 2);
		o.ddl = col_text(r, st, 3);
		o.definition = sd_lite__canon_sql(r->a, o.ddl ? o.ddl : "");
		sd_vec_push(&objs, o);
	}
	if (rc != SQLITE_DONE) {
		out = sd_err_set(r->err, SD_EQUERY, "%s", sqlite3_errmsg(r->db));
		goto done;
	}
	for (size_t i = 0; i < objs.len; i++)
		if (objs.ptr[i].kind == SD_OBJ_VIEW)
			sd_vec_push(&views, objs.ptr[i].name);
	if (views.len > 1)
		qsort(views.ptr, views.len, sizeof(*views.ptr), cmp_str);
	for (size_t i = 0; i < objs.len; i++)
		object_depends(r, &views, &objs.ptr[i]);
	r->s->objects = sd_arena_memdup(r->a, objs.ptr, objs.len, sizeof(*objs.ptr));
	r->s->n_objects = objs.len;
done:
	sd_vec_dispose(&objs);
	sd_vec_dispose(&views);
	sqlite3_finalize(st);
	return out;
}

/* ---- assembly -------------------------------------------------------- */

static void
add_primary_key(reader *r, tbuild *b)
{
	sd_constraint c = {0};
	const char **cols;
	size_t n = 0;

	for (size_t i = 0; i < b->pk_rank.len; i++)
		if (b->pk_rank.ptr[i] > 0)
			n++;
	if (!n)
		return;
	cols = sd_arena_alloc(r->a, n * sizeof(char *));
	for (size_t i = 0; i < b->pk_rank.len; i++)
		if (b->pk_rank.ptr[i] > 0 && (size_t)b->pk_rank.ptr[i] <= n)
			cols[b->pk_rank.ptr[i] - 1] = b->parts.cols.ptr[i].name;
	c.type = SD_CON_PRIMARY;
	c.columns = cols;
	c.n_columns = n;
	apply_parsed(r, &c, claim_parsed(b, SD_CON_PRIMARY, cols, n, NULL));
	sd_vec_push(&b->parts.cons, c);
}

static void
add_checks(tbuild *b)
{
	for (size_t i = 0; i < b->def.n_cons; i++) {
		const lite_condef *d = &b->def.cons[i];
		sd_constraint c = {0};
		if (d->type != SD_CON_CHECK)
			continue;
		c.type = SD_CON_CHECK;
		c.name = d->name;
		c.expr = d->expr;
		sd_vec_push(&b->parts.cons, c);
	}
}

/* REFERENCES parent without columns means the parent's primary key. */
static void
resolve_fk_targets(reader *r, tbuild *b)
{
	for (size_t i = 0; i < b->parts.cons.len; i++) {
		sd_constraint *c = &b->parts.cons.ptr[i];
		tbuild *parent;
		if (c->type != SD_CON_FOREIGN || c->n_ref_columns == 0 || c->ref_columns[0])
			continue;
		parent = find_table(r, c->ref_table);
		for (size_t j = 0; parent && j < parent->parts.cons.len; j++) {
			const sd_constraint *pk = &parent->parts.cons.ptr[j];
			if (pk->type == SD_CON_PRIMARY && pk->n_columns == c->n_ref_columns) {
				c->ref_columns = pk->columns;
				break;
			}
		}
		if (!c->ref_columns[0]) /* parent missing: keep it visible, not NULL */
			c->ref_columns = NULL, c->n_ref_columns = 0;
	}
}

static void
finish_tables(reader *r)
{
	for (size_t i = 0; i < r->n_tables; i++) {
		add_primary_key(r, &r->tables[i]);
		add_checks(&r->tables[i]);
	}
	for (size_t i = 0; i < r->n_tables; i++) {
		tbuild *b = &r->tables[i];
		sd_table *t = &r->s->tables[b->table_index];
		resolve_fk_targets(r, b);
		sd_table_parts_move(&b->parts, t, r->a);
	}
}

static void
reader_dispose(reader *r)
{
	for (size_t i = 0; i < r->n_tables; i++) {
		sd_table_parts_dispose(&r->tables[i].parts);
		sd_vec_dispose(&r->tables[i].pk_rank);
	}
	free(r->tables);
}

static int
read_all(reader *r)
{
	int rc;

	if ((rc = read_tables(r)) || (rc = each_row(r, Q_COLUMNS, column_row)) ||
	    (rc = index_rows(r)) || (rc = foreign_key_rows(r)) || (rc = read_objects(r)))
		return rc;
	finish_tables(r);
	return SD_OK;
}

void
sd_lite__configure(void)
{
	/*
	 * Memory statistics take a global mutex on every allocation: with both
	 * sides of a pair read in parallel that lock is contended for nothing.
	 * Only possible before SQLite initializes; harmless if it already has.
	 */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int
sd_lite__introspect_db(sd_schema **out, sqlite3 *db, const char *label, sd_err *err)
{
	reader r = {0};
	int rc;

	*out = NULL;
	r.err = err;
	r.db = db;
	/* One read transaction: every statement sees the same snapshot. */
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return sd_err_set(err, SD_ECONNECT, "%s", sqlite3_errmsg(db));
	r.s = sd_schema_new("sqlite");
	r.a = &r.s->arena;
	r.s->source = sd_arena_printf(r.a, "sqlite:%s", label);
	rc = read_all(&r);
	/* "file is not a database" surfaces at the first read: it is an open failure. */
	if (rc && (sqlite3_errcode(db) & 0xff) == SQLITE_NOTADB)
		rc = sd_err_set(err, SD_ECONNECT, "%s", sqlite3_errmsg(db));
	/* A read-only reader of a WAL database that must create -wal/-shm and cannot. */
	else if (rc && (sqlite3_errcode(db) & 0xff) == SQLITE_READONLY)
		rc = sd_err_set(err, SD_ECONNECT,
				"%s: a database in WAL mode needs its -wal and -shm files, and "
				"they cannot be created in its folder (see docs/install.md, "
				"\"SQLite databases in WAL mode\")",
				sqlite3_errmsg(db));
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	reader_dispose(&r);
	if (rc) {
		sd_schema_free(r.s);
		return rc;
	}
	sd_schema_sort(r.s);
	*out = r.s;
	return SD_OK;
}

int
sd_lite_introspect(sd_schema **out, const char *path, long long busy_timeout_ms, sd_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	sqlite3 *db = NULL;
	int rc;

	*out = NULL;
	pthread_once(&once, sd_lite__configure);
	/*
	 * Read-only, no URI flag (sd_lite__url_path keeps a "file:" name from
	 * being read as one), no creating a missing file. NOMUTEX: the
	 * connection never leaves this function's thread.
	 */
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		rc = sd_err_set(err, SD_ECONNECT, "%s", db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return rc;
	}
	/* a writer's lock is waited on for the lock timeout, like a server's */
	sqlite3_busy_timeout(db, busy_timeout_ms > INT32_MAX ? INT32_MAX : (int)busy_timeout_ms);
	sqlite3_extended_result_codes(db, 1);
	rc = sd_lite__introspect_db(out, db, path, err);
	sqlite3_close(db);
	return rc;
}

/* sqlite:///abs/path, sqlite://rel/path and sqlite:rel/path: the file, not a SQLite URI. */
int
sd_lite__url_path(sd_str *path, const sd_url *u, sd_err *err)
{
	if (u->n_params)
		return sd_err_set(err, SD_ECONFIG, "sqlite: URLs take no parameters (\"?%s\")",
				  u->params[0].key);
	if (u->host)
		sd_str_append(path, u->host);
	/*
	 * SQLite built with SQLITE_USE_URI (Debian's is) reads a name that
	 * starts with "file:" as a URI, whatever the open flags: sqlite:file:x.db
	 * names the file "file:x.db", as any other relative path.
	 */
	if (!u->host && strncmp(u->path, "file:", 5) == 0)
		sd_str_append(path, "./");
	sd_str_append(path, u->path);
	if (path->len == 0)
		return sd_err_set(err, SD_ECONFIG, "no database path in the URL");
	return SD_OK;
}

static int
introspect_url(sd_schema **out, const sd_url *u, const sd_conn_opts *o, sd_err *err)
{
	sd_str path;
	int rc;

	*out = NULL;
	sd_str_init(&path);
	if ((rc = sd_lite__url_path(&path, u, err)) == SD_OK)
		rc = sd_lite_introspect(out, path.ptr, o->lock_timeout_ms, err);
	sd_str_dispose(&path);
	return rc;
}

static int
load_dump(sd_schema **out, const char *path, const sd_url *dev, const sd_conn_opts *o,
	  sd_err *err)
{
	(void)dev; /* an in-memory database: no server */
	/* Each statement of the dump may run as long as a catalog query may. */
	return sd_lite_load_dump(out, path, o->statement_timeout_ms, err);
}

static const char *const lite_schemes[] = {"sqlite", NULL};

const sd_engine sd_lite_engine = {
	.name = "sqlite",
	.schemes = lite_schemes,
	.url_authority = false,
	.url_example = "sqlite:///absolute/path.db or sqlite:relative/path.db",
	.dialect = &sd_lite_dialect,
	.introspect = introspect_url,
	.load_dump = load_dump,
	.apply = sd_lite__apply,
};
