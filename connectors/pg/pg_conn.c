/*
 * connectors/pg/pg_conn.c: connect, open the one read transaction, run
 * catalog queries, and assemble the schema.
 *
 * The session is made deterministic before anything is read: an empty
 * search_path makes the server's deparsers qualify every user name the
 * same way on both sides, and DateStyle / IntervalStyle / float digits
 * fix how constants in defaults and checks are printed, whatever the
 * server's configuration. The transaction is READ ONLY, REPEATABLE READ
 * (one snapshot for every query), with statement and lock timeouts so a
 * check never hangs behind a migration.
 *
 * Not yet: reading several databases per connection; server versions
 * below 12 (attgenerated, pg_sequence layout).
 */
#include "connectors/pg/pg_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * The read transaction. Timeouts are the caller's (config `timeouts:` or
 * the CLI flags), in milliseconds: statement_timeout bounds each query,
 * lock_timeout each wait for a lock a migration holds, and an idle
 * transaction is ended after the statement timeout.
 */
static const char SESSION_SQL[] =
	"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
	"SET LOCAL statement_timeout = %lld;"
	"SET LOCAL lock_timeout = %lld;"
	"SET LOCAL idle_in_transaction_session_timeout = %lld;"
	"SET LOCAL search_path = '';"
	"SET LOCAL datestyle = 'ISO, YMD';"
	"SET LOCAL intervalstyle = 'postgres';"
	"SET LOCAL extra_float_digits = 3;"
	"SET LOCAL bytea_output = 'hex';"
	/*
	 * Catalog queries are small: parallel workers (started for the hashed
	 * extension-member lists) cost more to launch than they save, and a
	 * monitor should not take the server's worker slots.
	 */
	"SET LOCAL max_parallel_workers_per_gather = 0;";

/*
 * The sessions holding ACCESS EXCLUSIVE on a relation: what a lock timeout
 * waited on. One row per session, oldest transaction first: its pid, the
 * relations, when its transaction began, and the start of its query.
 */
static const char LOCKED_SQL[] =
	"SELECT l.pid, string_agg(DISTINCT l.relation::regclass::text, ', ') AS relations, "
	"to_char(min(a.xact_start) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS since, "
	"left(regexp_replace(min(a.query), '\\s+', ' ', 'g'), 120) AS query "
	"FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
	"WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock' AND l.granted "
	"AND l.pid <> pg_catalog.pg_backend_pid() AND l.database = (SELECT oid FROM "
	"pg_catalog.pg_database WHERE datname = pg_catalog.current_database()) "
	"GROUP BY l.pid ORDER BY min(a.xact_start) NULLS LAST LIMIT 1";

void
sd_pg_quote_ident(sd_str *s, const char *id)
{
	sd_str_appendc(s, '"');
	for (const char *p = id; *p; p++) {
		if (*p == '"')
			sd_str_appendc(s, '"');
		sd_str_appendc(s, *p);
	}
	sd_str_appendc(s, '"');
}

const char *
sd_pg__val(pg_reader *r, PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return sd_arena_strdup(r->a, PQgetvalue(res, row, col));
}

const char *
sd_pg__detach(pg_reader *r, sd_str *s)
{
	const char *out = sd_arena_strndup(r->a, s->ptr, s->len);

	sd_str_dispose(s);
	return out;
}

bool
sd_pg__bool(PGresult *res, int row, int col)
{
	return !PQgetisnull(res, row, col) && PQgetvalue(res, row, col)[0] == 't';
}

unsigned
sd_pg__oid(PGresult *res, int row, int col)
{
	return (unsigned)strtoul(PQgetvalue(res, row, col), NULL, 10);
}

/* Length of one element of an array literal starting at p; copies it unquoted into out. */
static const char *
array_elem(sd_str *out, const char *p)
{
	if (*p != '"') {
		while (*p && *p != ',' && *p != '}')
			sd_str_appendc(out, *p++);
		return p;
	}
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		sd_str_appendc(out, *p);
	}
	return *p ? p + 1 : p;
}

const char **
sd_pg__array(sd_arena *a, const char *text, size_t *n_out)
{
	SD_VEC(const char *) v = {0};
	const char **out;
	sd_str e;

	*n_out = 0;
	if (!text || *text != '{')
		return NULL;
	sd_str_init(&e);
	for (const char *p = text + 1; *p && *p != '}';) {
		sd_str_clear(&e);
		p = array_elem(&e, p);
		sd_vec_push(&v, sd_arena_strndup(a, e.ptr, e.len));
		if (*p == ',')
			p++;
	}
	sd_str_dispose(&e);
	out = sd_arena_memdup(a, v.ptr, v.len, sizeof(*v.ptr));
	*n_out = v.len;
	sd_vec_dispose(&v);
	return out;
}

static int
cmp_rel(const void *a, const void *b)
{
	unsigned x = ((const pg_rel *)a)->oid, y = ((const pg_rel *)b)->oid;

	return (x > y) - (x < y);
}

pg_rel *
sd_pg__find_rel(pg_reader *r, unsigned oid)
{
	pg_rel key = {.oid = oid};

	if (r->rels.len == 0)
		return NULL;
	return bsearch(&key, r->rels.ptr, r->rels.len, sizeof(*r->rels.ptr), cmp_rel);
}

/* Drops trailing blanks and line breaks libpq leaves on its messages. */
static void
trim(char *msg)
{
	size_t len = strlen(msg);

	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
}

static bool
mentions_password(const char *text)
{
	for (; *text; text++)
		if (strncasecmp(text, "password", 8) == 0)
			return true;
	return false;
}

/*
 * Names the session a lock timeout most likely waited on (best effort):
 * "locked by pid 4242 since 2026-11-30T14:00:00Z (ALTER TABLE ...) on
 * public.accounts: ". A query that mentions a password is not quoted.
 */
static void
name_locked(pg_reader *r)
{
	PGresult *res;
	const char *query;

	PQclear(PQexec(r->conn, "ROLLBACK"));
	res = PQexec(r->conn, LOCKED_SQL);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		query = PQgetisnull(res, 0, PQfnumber(res, "query"))
				? "query not visible"
				: PQgetvalue(res, 0, PQfnumber(res, "query"));
		if (mentions_password(query))
			query = "query hidden: it mentions a password";
		sd_err_prefix(r->err, "locked by pid %s since %s (%s) on %s: ",
			      PQgetvalue(res, 0, PQfnumber(res, "pid")),
			      PQgetisnull(res, 0, PQfnumber(res, "since"))
				      ? "?"
				      : PQgetvalue(res, 0, PQfnumber(res, "since")),
			      query, PQgetvalue(res, 0, PQfnumber(res, "relations")));
	}
	PQclear(res);
}

int
sd_pg__each_row(pg_reader *r, const char *what, const char *sql, pg_row_fn fn)
{
	PGresult *res = PQexecParams(r->conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	int rc = SD_OK, n;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		/* 55P03 lock_not_available: lock_timeout; 57014 query_canceled: statement_timeout. */
		bool locked = state && strcmp(state, "55P03") == 0;
		bool timeout = locked || (state && strcmp(state, "57014") == 0);
		char *msg = sd_xstrdup(PQresultErrorMessage(res));
		trim(msg);
		rc = sd_err_set(r->err, locked ? SD_ELOCKED : timeout ? SD_ETIMEOUT : SD_EQUERY,
				"reading %s: %s", what,
				msg);
		free(msg);
		PQclear(res);
		if (timeout)
			name_locked(r);
		return rc;
	}
	n = PQntuples(res);
	for (int i = 0; i < n && rc == SD_OK; i++)
		rc = fn(r, res, i);
	PQclear(res);
	return rc;
}

PGconn *
sd_pg__connect(const sd_url *u, const sd_conn_opts *o, sd_err *err)
{
	/* authority parts, our defaults, then the URL's parameters: later keys win (libpq) */
	const char *keys[16 + 64], *vals[16 + 64];
	char timeout[24];
	size_t n = 0;
	PGconn *c;

	/* libpq's connect_timeout is whole seconds, and below 2 it means 2 */
	snprintf(timeout, sizeof(timeout), "%lld", (o->connect_timeout_ms + 999) / 1000);
	keys[n] = "connect_timeout", vals[n++] = timeout;
	keys[n] = "application_name", vals[n++] = "schemad";
	if (u->host)
		keys[n] = "host", vals[n++] = u->host;
	if (u->port)
		keys[n] = "port", vals[n++] = u->port;
	if (u->user)
		keys[n] = "user", vals[n++] = u->user;
	if (u->password)
		keys[n] = "password", vals[n++] = u->password;
	if (u->path && u->path[0] == '/' && u->path[1])
		keys[n] = "dbname", vals[n++] = u->path + 1;
	for (size_t i = 0; i < u->n_params && n < sizeof(keys) / sizeof(*keys) - 1; i++)
		keys[n] = u->params[i].key, vals[n++] = u->params[i].value;
	keys[n] = vals[n] = NULL;
	c = PQconnectdbParams(keys, vals, 0);
	if (PQstatus(c) == CONNECTION_OK)
		return c;
	sd_err_set(err, SD_ECONNECT, "cannot connect: %s", c ? PQerrorMessage(c) : "out of memory");
	trim(err->msg);
	/* libpq has no SQLSTATE for a failed connection: its message is all there is. */
	if (strstr(err->msg, "authentication failed") || strstr(err->msg, "no pg_hba.conf entry") ||
	    strstr(err->msg, "no password supplied"))
		err->code = SD_EAUTH;
	PQfinish(c);
	return NULL;
}

static int
begin(pg_reader *r, const sd_conn_opts *o)
{
	char sql[sizeof(SESSION_SQL) + 64];
	PGresult *res;
	int rc = SD_OK;

	snprintf(sql, sizeof(sql), SESSION_SQL, o->statement_timeout_ms, o->lock_timeout_ms,
		 o->statement_timeout_ms);
	res = PQexec(r->conn, sql);

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = sd_err_set(r->err, SD_EQUERY, "cannot start the read transaction: %s",
				PQresultErrorMessage(res));
	PQclear(res);
	r->version = PQserverVersion(r->conn);
	if (rc == SD_OK && r->version < 120000)
		rc = sd_err_set(r->err, SD_EUNSUPPORTED,
				"PostgreSQL %d is not supported (12 or later is needed)",
				r->version / 10000);
	/* Reports say when two sides run different versions (their deparsers differ). */
	if (rc == SD_OK && PQparameterStatus(r->conn, "server_version"))
		sd_props_set(r->a, &r->s->props, "server_version",
			     PQparameterStatus(r->conn, "server_version"));
	return rc;
}

/* Moves the vectors of every table into the schema's arena. */
static void
finish(pg_reader *r)
{
	for (size_t i = 0; i < r->rels.len; i++) {
		pg_rel *rel = &r->rels.ptr[i];
		if (!rel->is_view) {
			sd_table_parts_move(&rel->parts, &r->tables.ptr[rel->idx], r->a);
		}
	}
	r->s->tables = sd_arena_memdup(r->a, r->tables.ptr, r->tables.len, sizeof(sd_table));
	r->s->n_tables = r->tables.len;
	r->s->objects = sd_arena_memdup(r->a, r->objs.ptr, r->objs.len, sizeof(sd_object));
	r->s->n_objects = r->objs.len;
}

static void
reader_dispose(pg_reader *r)
{
	for (size_t i = 0; i < r->rels.len; i++) {
		sd_table_parts_dispose(&r->rels.ptr[i].parts);
		sd_vec_dispose(&r->rels.ptr[i].attnums);
		sd_vec_dispose(&r->rels.ptr[i].printed);
		sd_vec_dispose(&r->rels.ptr[i].mv_indexes);
	}
	sd_vec_dispose(&r->rels);
	sd_vec_dispose(&r->tables);
	sd_vec_dispose(&r->objs);
	if (r->conn)
		PQfinish(r->conn);
}

void
sd_pg__index_rels(pg_reader *r)
{
	if (r->rels.len > 1)
		qsort(r->rels.ptr, r->rels.len, sizeof(*r->rels.ptr), cmp_rel);
}

int
sd_pg_introspect(sd_schema **out, const sd_url *url, const sd_conn_opts *opts, sd_err *err)
{
	pg_reader r = {0};
	int rc;

	*out = NULL;
	r.err = err;
	r.s = sd_schema_new("postgres");
	r.a = &r.s->arena;
	if (!(r.conn = sd_pg__connect(url, opts, err))) {
		rc = err->code; /* SD_ECONNECT, or SD_EAUTH for refused credentials */
		goto out;
	}
	if ((rc = begin(&r, opts)))
		goto out;
	if ((rc = sd_pg__read_objects(&r)) || (rc = sd_pg__read_tables(&r)) ||
	    (rc = sd_pg__read_views(&r)))
		goto out;
	sd_pg__index_rels(&r);
	if ((rc = sd_pg__read_table_parts(&r)) || (rc = sd_pg__read_late_objects(&r)))
		goto out;
	/* The snapshot is read: end the transaction before the work in memory. */
	PQclear(PQexec(r.conn, "COMMIT"));
	finish(&r);
	sd_schema_sort(r.s);
	*out = r.s;
	r.s = NULL;
out:
	reader_dispose(&r);
	sd_schema_free(r.s);
	return rc;
}

static const char *const pg_schemes[] = {"postgres", "postgresql", NULL};

const sd_engine sd_pg_engine = {
	.name = "postgres",
	.schemes = pg_schemes,
	.url_authority = true,
	.url_example = "postgres://user@host:5432/db?sslmode=require",
	.dialect = &sd_pg_dialect,
	.introspect = sd_pg_introspect,
	.load_dump = sd_pg_load_dump,
	.apply = sd_pg__apply,
};
