/*
 * connectors/mssql/ms_read.c: the statement loop of the T-SQL reader.
 *
 * A script is split into batches at GO; each batch into statements,
 * which need no ";" (T-SQL's own rule): a statement ends where its grammar
 * ends, and what follows must be ";", the end of the batch, or the start
 * of a statement. Anything else is an error naming file:line, never
 * skipped. Names are looked up case-insensitively, as SQL Server's
 * default collation does, and kept as written.
 *
 * Read and ignored on purpose: SET options (session state), USE (one
 * database per script), BEGIN TRANSACTION / COMMIT, PRINT.
 */
#include "connectors/mssql/ms_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- names and the map --------------------------------------------------- */

bool
sd_ms__ieq(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

static void
fold_key(sd_str *s, const char *schema, const char *name)
{
	sd_str_clear(s);
	sd_str_append(s, schema ? schema : "");
	sd_str_appendc(s, '\x1f');
	sd_str_append(s, name);
	for (char *c = s->ptr; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
}

static size_t
hash(const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t
slot(const ms_map *m, const char *key)
{
	size_t i = hash(key) & (m->cap - 1);

	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void
map_grow(ms_map *m)
{
	ms_map old = *m;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->keys = sd_xcalloc(m->cap, sizeof(*m->keys));
	m->vals = sd_xcalloc(m->cap, sizeof(*m->vals));
	for (size_t i = 0; i < old.cap; i++) {
		if (old.keys[i]) {
			size_t s = slot(m, old.keys[i]);
			m->keys[s] = old.keys[i];
			m->vals[s] = old.vals[i];
		}
	}
	free(old.keys);
	free(old.vals);
}

void
sd_ms__map_put(ms_map *m, sd_arena *a, const char *schema, const char *name, void *val)
{
	sd_str key;
	size_t s;

	if ((m->used + 1) * 2 > m->cap)
		map_grow(m);
	sd_str_init(&key);
	fold_key(&key, schema, name);
	s = slot(m, key.ptr);
	if (!m->keys[s]) {
		m->keys[s] = sd_arena_strndup(a, key.ptr, key.len);
		m->used++;
	}
	m->vals[s] = val;
	sd_str_dispose(&key);
}

void *
sd_ms__map_get(const ms_map *m, const char *schema, const char *name)
{
	sd_str key;
	void *val;

	if (!m->cap)
		return NULL;
	sd_str_init(&key);
	fold_key(&key, schema, name);
	val = m->vals[slot(m, key.ptr)];
	sd_str_dispose(&key);
	return val;
}

ms_table *
sd_ms__find_table(ms_db *db, const char *schema, const char *name)
{
	return sd_ms__map_get(&db->table_map, schema, name);
}

ms_obj *
sd_ms__find_obj(ms_db *db, const char *schema, const char *name)
{
	return sd_ms__map_get(&db->obj_map, schema, name);
}

ms_col *
sd_ms__find_col(ms_table *t, const char *name)
{
	for (size_t i = 0; i < t->cols.len; i++)
		if (sd_ms__ieq(t->cols.ptr[i].name, name))
			return &t->cols.ptr[i];
	return NULL;
}

void
sd_ms__db_init(ms_db *db, sd_arena *a)
{
	memset(db, 0, sizeof(*db));
	db->a = a;
}

static void
map_dispose(ms_map *m)
{
	free(m->keys);
	free(m->vals);
}

void
sd_ms__db_dispose(ms_db *db)
{
	for (size_t i = 0; i < db->tables.len; i++) {
		ms_table *t = db->tables.ptr[i];
		sd_vec_dispose(&t->cols);
		sd_vec_dispose(&t->cons);
		sd_vec_dispose(&t->idx);
		free(t);
	}
	for (size_t i = 0; i < db->objs.len; i++)
		free(db->objs.ptr[i]);
	sd_vec_dispose(&db->tables);
	sd_vec_dispose(&db->objs);
	sd_vec_dispose(&db->pending);
	map_dispose(&db->table_map);
	map_dispose(&db->obj_map);
	map_dispose(&db->type_map);
}

/* ---- the cursor ---------------------------------------------------------- */

const ms_tok *
sd_ms__peek(ms_parser *p, size_t ahead)
{
	static ms_tok eof = {MT_GO, "", 0, 0};

	if (p->i + ahead < p->batch_end)
		return &p->t[p->i + ahead];
	eof.line = p->batch_end < p->n ? p->t[p->batch_end].line : (p->n ? p->t[p->n - 1].line : 1);
	return &eof;
}

int
sd_ms__skip_one(ms_parser *p)
{
	p->i++;
	return SD_OK;
}

/* "'x'" for a token, "the end of the batch" at its end, cut short. */
const char *
sd_ms__near(ms_parser *p, const ms_tok *t)
{
	if (t->type == MT_GO && !t->n)
		return "the end of the batch";
	return sd_arena_printf(p->db->a, "'%.*s'", (int)(t->n > 40 ? 40 : t->n), t->p);
}

bool
sd_ms__accept(ms_parser *p, const char *word)
{
	if (!sd_ms__is(sd_ms__peek(p, 0), word))
		return false;
	p->i++;
	return true;
}

int
sd_ms__fail(ms_parser *p, const ms_tok *at, const char *fmt, ...)
{
	va_list ap;
	sd_str s;
	int rc;

	sd_str_init(&s);
	va_start(ap, fmt);
	sd_str_vappendf(&s, fmt, ap);
	va_end(ap);
	rc = sd_err_set(p->err, SD_EINPUT, "%s:%d: %s", p->path, at->line, s.ptr);
	sd_str_dispose(&s);
	return rc;
}

int
sd_ms__expect(ms_parser *p, const char *word)
{
	const ms_tok *t = sd_ms__peek(p, 0);

	if (sd_ms__accept(p, word))
		return SD_OK;
	return sd_ms__fail(p, t, "expected %s, found %s", word, sd_ms__near(p, t));
}

int
sd_ms__name(ms_parser *p, const char **out)
{
	const ms_tok *t = sd_ms__peek(p, 0);

	if (t->type == MT_QIDENT || (t->type == MT_WORD && !sd_ms__is_reserved(t->p, t->n))) {
		*out = sd_ms__ident(p->db->a, t);
		p->i++;
		return SD_OK;
	}
	return sd_ms__fail(p, t, "expected a name, found %s", sd_ms__near(p, t));
}

int
sd_ms__qualname(ms_parser *p, const char **schema, const char **name)
{
	const char *parts[3];
	size_t n = 0;
	int rc;

	for (;;) {
		if ((rc = sd_ms__name(p, &parts[n++])))
			return rc;
		if (n == 3 || !sd_ms__is_punct(sd_ms__peek(p, 0), '.'))
			break;
		p->i++;
	}
	*name = parts[n - 1];
	*schema = n >= 2 ? parts[n - 2] : "dbo";
	return SD_OK;
}

static bool
starts_statement(const ms_tok *t)
{
	static const char *const words[] = {"create", "alter", "drop",    "exec",   "execute",
	                                    "set",    "use",   "begin",   "commit", "declare",
	                                    "print",  "grant", "rollback"};

	if (t->type == MT_GO || sd_ms__is_punct(t, ';'))
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (sd_ms__is(t, words[i]))
			return true;
	return false;
}

bool
sd_ms__at_statement_end(ms_parser *p)
{
	return starts_statement(sd_ms__peek(p, 0));
}

void
sd_ms__skip_storage(ms_parser *p)
{
	for (;;) {
		const ms_tok *t = sd_ms__peek(p, 0), *next = sd_ms__peek(p, 1);
		if (sd_ms__is(t, "with") && sd_ms__is_punct(next, '(')) {
			p->i = sd_ms__skip_group(p->t, p->batch_end, p->i + 1);
		} else if (sd_ms__is(t, "with") && sd_ms__is(next, "fillfactor")) {
			p->i += 4; /* WITH FILLFACTOR = n */
		} else if ((sd_ms__is(t, "on") && !sd_ms__is(next, "delete") &&
		            !sd_ms__is(next, "update")) ||
		           sd_ms__is(t, "textimage_on") || sd_ms__is(t, "filestream_on")) {
			p->i += 2; /* a filegroup or partition scheme */
			if (sd_ms__is_punct(sd_ms__peek(p, 0), '('))
				p->i = sd_ms__skip_group(p->t, p->batch_end, p->i);
		} else {
			return;
		}
	}
}

/* ---- statements ---------------------------------------------------------- */

/* SET options that only shape the session: read and ignored. */
static int
set_option(ms_parser *p, const ms_tok *start)
{
	static const char *const known[] = {"ansi_nulls",
	                                    "ansi_padding",
	                                    "ansi_warnings",
	                                    "arithabort",
	                                    "concat_null_yields_null",
	                                    "numeric_roundabort",
	                                    "quoted_identifier",
	                                    "nocount",
	                                    "xact_abort",
	                                    "ansi_null_dflt_on",
	                                    "implicit_transactions",
	                                    "cursor_close_on_commit",
	                                    "ansi_defaults",
	                                    "noexec",
	                                    "dateformat",
	                                    "language",
	                                    "deadlock_priority",
	                                    "lock_timeout",
	                                    "transaction",
	                                    "statistics",
	                                    "showplan_all",
	                                    "textsize"};
	bool quoted_identifier = false;

	for (;;) {
		const ms_tok *t = sd_ms__peek(p, 0);
		bool ok = false;
		for (size_t i = 0; i < sizeof(known) / sizeof(*known) && !ok; i++)
			ok = sd_ms__is(t, known[i]);
		if (!ok)
			return sd_ms__fail(p, t, "SET %s is not a session option this reader knows",
			                   sd_ms__near(p, t));
		quoted_identifier = quoted_identifier || sd_ms__is(t, "quoted_identifier");
		p->i++;
		if (!sd_ms__is_punct(sd_ms__peek(p, 0), ','))
			break;
		p->i++;
	}
	if (quoted_identifier && sd_ms__is(sd_ms__peek(p, 0), "off"))
		return sd_ms__fail(p, start, "SET QUOTED_IDENTIFIER OFF is not supported");
	/* ON, OFF, a value, or ISOLATION LEVEL ...: up to the end of the statement. */
	while (!sd_ms__at_statement_end(p))
		p->i++;
	return SD_OK;
}

static int
create(ms_parser *p, const ms_tok *start)
{
	bool or_alter = false;
	const ms_tok *t;

	if (sd_ms__is(sd_ms__peek(p, 0), "or") && sd_ms__is(sd_ms__peek(p, 1), "alter")) {
		or_alter = true;
		p->i += 2;
	}
	t = sd_ms__peek(p, 0);
	if (sd_ms__is(t, "view") || sd_ms__is(t, "proc") || sd_ms__is(t, "procedure") ||
	    sd_ms__is(t, "function") || sd_ms__is(t, "trigger"))
		return sd_ms__create_module(p, start, or_alter, false);
	if (or_alter)
		return sd_ms__fail(p, t, "CREATE OR ALTER %s is not supported", sd_ms__near(p, t));
	if (sd_ms__accept(p, "table"))
		return sd_ms__create_table(p, start);
	if (sd_ms__is(t, "index") || sd_ms__is(t, "unique") || sd_ms__is(t, "clustered") ||
	    sd_ms__is(t, "nonclustered") || sd_ms__is(t, "columnstore"))
		return sd_ms__create_index(p, start);
	if (sd_ms__accept(p, "sequence"))
		return sd_ms__create_sequence(p, start);
	if (sd_ms__accept(p, "type"))
		return sd_ms__create_type(p, start);
	if (sd_ms__accept(p, "schema"))
		return sd_ms__create_schema(p, start);
	return sd_ms__fail(p, t, "CREATE %s is not supported", sd_ms__near(p, t));
}

static int
alter(ms_parser *p, const ms_tok *start)
{
	const ms_tok *t = sd_ms__peek(p, 0);

	if (sd_ms__accept(p, "table"))
		return sd_ms__alter_table(p, start);
	if (sd_ms__is(t, "view") || sd_ms__is(t, "proc") || sd_ms__is(t, "procedure") ||
	    sd_ms__is(t, "function") || sd_ms__is(t, "trigger"))
		return sd_ms__create_module(p, start, false, true);
	return sd_ms__fail(p, t, "ALTER %s is not supported", sd_ms__near(p, t));
}

/* BEGIN TRAN[SACTION] [name] / COMMIT [TRAN[SACTION]] [name]: the plan's frame. */
static int
transaction(ms_parser *p, const ms_tok *start, bool begin)
{
	if (!sd_ms__accept(p, "tran") && !sd_ms__accept(p, "transaction") && begin)
		return sd_ms__fail(p, start, "BEGIN blocks outside a module are not supported");
	if (!sd_ms__at_statement_end(p))
		p->i++; /* a transaction name */
	return SD_OK;
}

static int
statement(ms_parser *p)
{
	const ms_tok *start = sd_ms__peek(p, 0);
	int rc;

	if (sd_ms__is_punct(start, ';')) {
		p->i++;
		return SD_OK;
	}
	p->i++;
	if (sd_ms__is(start, "create"))
		rc = create(p, start);
	else if (sd_ms__is(start, "alter"))
		rc = alter(p, start);
	else if (sd_ms__is(start, "drop"))
		rc = sd_ms__drop(p, start);
	else if (sd_ms__is(start, "exec") || sd_ms__is(start, "execute"))
		rc = sd_ms__exec(p, start);
	else if (sd_ms__is(start, "set"))
		rc = set_option(p, start);
	else if (sd_ms__is(start, "use"))
		rc = sd_ms__name(p, &(const char *){NULL});
	else if (sd_ms__is(start, "begin") || sd_ms__is(start, "commit"))
		rc = transaction(p, start, sd_ms__is(start, "begin"));
	else if (sd_ms__is(start, "declare"))
		rc = sd_ms__declare(p, start);
	else if (sd_ms__is(start, "print") && sd_ms__peek(p, 0)->type == MT_STRING)
		rc = sd_ms__skip_one(p);
	else
		return sd_ms__fail(p, start, "%s does not start a statement this reader knows",
		                   sd_ms__near(p, start));
	if (rc)
		return rc;
	if (!sd_ms__at_statement_end(p))
		return sd_ms__fail(p, sd_ms__peek(p, 0), "unexpected %s",
		                   sd_ms__near(p, sd_ms__peek(p, 0)));
	return SD_OK;
}

int
sd_ms__run(ms_db *db, const char *path, const char *text, sd_err *err)
{
	ms_toks toks;
	ms_parser p = {.db = db, .path = path, .text = text, .err = err};
	int bad_line = 0, rc = SD_OK;

	if (!sd_ms__lex(&toks, text, &bad_line)) {
		free(toks.v);
		return sd_err_set(err, SD_EINPUT, "%s:%d: a quote or comment is never closed", path,
		                  bad_line);
	}
	p.t = toks.v;
	p.n = toks.n;
	while (p.i < p.n && rc == SD_OK) {
		p.batch_end = p.i;
		while (p.batch_end < p.n && p.t[p.batch_end].type != MT_GO)
			p.batch_end++;
		while (p.i < p.batch_end && rc == SD_OK)
			rc = statement(&p);
		p.i = p.batch_end + 1;
	}
	free(toks.v);
	return rc;
}
