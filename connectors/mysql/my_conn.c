/*
 * connectors/mysql/my_conn.c: connect, set the session up, and run the
 * catalog queries as prepared statements with the schema bound.
 *
 * The session is read-only (SET SESSION TRANSACTION READ ONLY, then START
 * TRANSACTION ... READ ONLY), with max_statement_time (MariaDB, seconds)
 * or max_execution_time (MySQL, milliseconds, SELECT only) and a short
 * lock_wait_timeout so a check never hangs behind a migration's metadata
 * lock. Client-side read/write timeouts back them up.
 */
#include "connectors/mysql/my_internal.h"

#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

/* mysql_library_init is not thread-safe and both sides connect in parallel. */
static void
lib_init(void)
{
	mysql_library_init(0, NULL, NULL);
}

void
sd_my__lib_init(void)
{
	pthread_once(&lib_once, lib_init);
}

static int
code_for(unsigned errnum)
{
	switch (errnum) {
	case 1969: /* ER_STATEMENT_TIMEOUT (MariaDB max_statement_time) */
	case 3024: /* ER_QUERY_TIMEOUT (MySQL max_execution_time) */
	case CR_SERVER_LOST:
		return SD_ETIMEOUT;
	case ER_LOCK_WAIT_TIMEOUT:
		return SD_ELOCKED;
	default:
		return SD_EQUERY;
	}
}

int
sd_my__exec(MYSQL *db, const char *sql, sd_err *err)
{
	MYSQL_RES *res;

	if (mysql_real_query(db, sql, (unsigned long)strlen(sql)))
		return sd_err_set(err, code_for(mysql_errno(db)), "%s", mysql_error(db));
	/* A statement without rows returns none; free anything just in case. */
	res = mysql_store_result(db);
	if (res)
		mysql_free_result(res);
	return SD_OK;
}

static int
set_tls(MYSQL *db, const my_url *u, sd_err *err)
{
	my_bool on = 1;

	if (u->ssl_ca)
		mysql_optionsv(db, MYSQL_OPT_SSL_CA, u->ssl_ca);
	if (!u->ssl_mode || strcmp(u->ssl_mode, "preferred") == 0 ||
	    strcmp(u->ssl_mode, "disabled") == 0)
		return SD_OK;
	if (strcmp(u->ssl_mode, "required") == 0) {
		mysql_optionsv(db, MYSQL_OPT_SSL_ENFORCE, &on);
		return SD_OK;
	}
	if (strcmp(u->ssl_mode, "verify-ca") == 0 || strcmp(u->ssl_mode, "verify-identity") == 0 ||
	    strcmp(u->ssl_mode, "verify_ca") == 0 || strcmp(u->ssl_mode, "verify_identity") == 0) {
		mysql_optionsv(db, MYSQL_OPT_SSL_ENFORCE, &on);
		mysql_optionsv(db, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
		return SD_OK;
	}
	return sd_err_set(err, SD_ECONFIG,
			  "ssl-mode \"%s\" unknown (disabled, preferred, required, verify-ca, "
			  "verify-identity)",
			  u->ssl_mode);
}

/* Whole seconds, rounded up, at least 1: what lock_wait_timeout and the client options take. */
static unsigned
seconds(long long ms)
{
	long long s = (ms + 999) / 1000;

	return s < 1 ? 1u : s > 31536000 ? 31536000u : (unsigned)s;
}

static int open_session(MYSQL **out, bool *mariadb_out, const my_url *u, bool read_only,
			sd_err *err);

/*
 * Statement time limit (MariaDB: max_statement_time in seconds, fractions
 * allowed; MySQL: max_execution_time in ms, SELECT only) and the wait for
 * metadata locks (lock_wait_timeout, whole seconds).
 */
static int
set_timeouts(MYSQL *db, bool mariadb, const sd_conn_opts *t, sd_err *err)
{
	char sql[160];
	int rc;

	if (mariadb)
		snprintf(sql, sizeof(sql), "SET SESSION max_statement_time = %lld.%03lld",
			 t->statement_timeout_ms / 1000, t->statement_timeout_ms % 1000);
	else
		snprintf(sql, sizeof(sql), "SET SESSION max_execution_time = %lld",
			 t->statement_timeout_ms);
	if ((rc = sd_my__exec(db, sql, err)))
		return rc;
	snprintf(sql, sizeof(sql), "SET SESSION lock_wait_timeout = %u",
		 seconds(t->lock_timeout_ms));
	return sd_my__exec(db, sql, err);
}

static int
setup_session(MYSQL *db, bool mariadb, const sd_conn_opts *t, sd_err *err)
{
	int rc;

	if ((rc = set_timeouts(db, mariadb, t, err)) ||
	    (rc = sd_my__exec(db, "SET SESSION TRANSACTION READ ONLY", err)) ||
	    (rc = sd_my__exec(db, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", err)))
		return rc;
	return sd_my__exec(db, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", err);
}

int
sd_my__connect(MYSQL **out, bool *mariadb_out, const my_url *u, sd_err *err)
{
	return open_session(out, mariadb_out, u, true, err);
}

int
sd_my__connect_writer(MYSQL **out, bool *mariadb_out, const my_url *u, sd_err *err)
{
	return open_session(out, mariadb_out, u, false, err);
}

static int
open_session(MYSQL **out, bool *mariadb_out, const my_url *u, bool read_only, sd_err *err)
{
	MYSQL *db;
	/* the client's read timeout backs up the server's statement limit */
	unsigned connect_timeout = seconds(u->timeouts.connect_timeout_ms);
	unsigned rw_timeout = seconds(u->timeouts.statement_timeout_ms) + 5;
	int rc;

	*out = NULL;
	sd_my__lib_init();
	db = mysql_init(NULL);
	if (!db)
		return sd_err_set(err, SD_ECONNECT, "cannot allocate a connection");
	mysql_optionsv(db, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
	mysql_optionsv(db, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
	mysql_optionsv(db, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
	mysql_optionsv(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if ((rc = set_tls(db, u, err)))
		goto fail;
	if (!mysql_real_connect(db, u->host && *u->host ? u->host : NULL, u->user, u->password,
				u->db, u->port, u->socket, 0)) {
		/* The server's message names user and host, never the password. */
		unsigned no = mysql_errno(db);
		/* Access denied (1045, 1044, 1698): the credentials, not the network. */
		rc = sd_err_set(err, no == 1045 || no == 1044 || no == 1698 ? SD_EAUTH : SD_ECONNECT,
				"cannot connect: %s", mysql_error(db));
		goto fail;
	}
	*mariadb_out = strstr(mysql_get_server_info(db), "MariaDB") != NULL;
	if ((rc = read_only ? setup_session(db, *mariadb_out, &u->timeouts, err)
			    : set_timeouts(db, *mariadb_out, &u->timeouts, err))) {
		sd_err_prefix(err, "session setup: ");
		goto fail;
	}
	*out = db;
	return SD_OK;
fail:
	mysql_close(db);
	return rc;
}

/* Binds every result column as a string buffer sized by max_length. */
typedef struct binds {
	MYSQL_BIND *b;
	unsigned long *len;
	my_bool *null;
	char **buf;
	unsigned n;
} binds;

static void
binds_dispose(binds *x)
{
	for (unsigned i = 0; x->buf && i < x->n; i++)
		free(x->buf[i]);
	free(x->b);
	free(x->len);
	free(x->null);
	free(x->buf);
}

static void
binds_init(binds *x, MYSQL_RES *meta)
{
	MYSQL_FIELD *f = mysql_fetch_fields(meta);

	x->n = mysql_num_fields(meta);
	x->b = sd_xcalloc(x->n + 1, sizeof(*x->b));
	x->len = sd_xcalloc(x->n + 1, sizeof(*x->len));
	x->null = sd_xcalloc(x->n + 1, sizeof(*x->null));
	x->buf = sd_xcalloc(x->n + 1, sizeof(*x->buf));
	for (unsigned i = 0; i < x->n; i++) {
		unsigned long size = (f[i].max_length > 64 ? f[i].max_length : 64) + 1;
		x->buf[i] = sd_xmalloc(size);
		x->b[i].buffer_type = MYSQL_TYPE_STRING;
		x->b[i].buffer = x->buf[i];
		x->b[i].buffer_length = size;
		x->b[i].length = &x->len[i];
		x->b[i].is_null = &x->null[i];
	}
}

static int
stmt_fail(MYSQL_STMT *st, sd_err *err)
{
	return sd_err_set(err, code_for(mysql_stmt_errno(st)), "%s", mysql_stmt_error(st));
}

static int
fetch_all(my_rows *rows, MYSQL_STMT *st, binds *x, sd_arena *a, sd_err *err)
{
	int f;

	if (mysql_stmt_bind_result(st, x->b))
		return stmt_fail(st, err);
	while ((f = mysql_stmt_fetch(st)) == 0) {
		my_row r = {0};
		r.v = sd_arena_alloc(a, (x->n + 1) * sizeof(*r.v));
		for (unsigned i = 0; i < x->n; i++)
			r.v[i] = x->null[i] ? NULL : sd_arena_strndup(a, x->buf[i], x->len[i]);
		sd_vec_push(rows, r);
	}
	if (f == MYSQL_DATA_TRUNCATED)
		return sd_err_set(err, SD_EQUERY, "a catalog value did not fit its buffer");
	if (f != MYSQL_NO_DATA)
		return stmt_fail(st, err);
	return SD_OK;
}

int
sd_my__query(my_rows *rows, MYSQL *db, sd_arena *a, const char *sql, const char *param,
	     sd_err *err)
{
	MYSQL_STMT *st = mysql_stmt_init(db);
	MYSQL_RES *meta = NULL;
	MYSQL_BIND pb[8];
	binds x = {0};
	my_bool update_max = 1;
	unsigned long plen = (unsigned long)strlen(param);
	int rc = SD_OK;

	if (!st)
		return sd_err_set(err, SD_EQUERY, "%s", mysql_error(db));
	if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql))) {
		rc = stmt_fail(st, err);
		goto out;
	}
	memset(pb, 0, sizeof(pb));
	for (unsigned i = 0; i < mysql_stmt_param_count(st) && i < 8; i++) {
		pb[i].buffer_type = MYSQL_TYPE_STRING;
		pb[i].buffer = (void *)(uintptr_t)param; /* the driver only reads it */
		pb[i].buffer_length = plen;
		pb[i].length = &plen;
	}
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
	if (mysql_stmt_bind_param(st, pb) || mysql_stmt_execute(st) || mysql_stmt_store_result(st)) {
		rc = stmt_fail(st, err);
		goto out;
	}
	meta = mysql_stmt_result_metadata(st);
	if (!meta) {
		rc = stmt_fail(st, err);
		goto out;
	}
	binds_init(&x, meta);
	rc = fetch_all(rows, st, &x, a, err);
out:
	binds_dispose(&x);
	if (meta)
		mysql_free_result(meta);
	mysql_stmt_free_result(st);
	mysql_stmt_close(st);
	return rc;
}

static int
cmp_row(const void *pa, const void *pb)
{
	const my_row *a = pa, *b = pb;
	int c;

	if ((c = sd_strcmp_null(a->k1, b->k1)) || (c = sd_strcmp_null(a->k2, b->k2)))
		return c;
	if (a->n1 != b->n1)
		return a->n1 < b->n1 ? -1 : 1;
	return a->n2 < b->n2 ? -1 : a->n2 > b->n2;
}

void
sd_my__sort_rows(my_rows *rows)
{
	if (rows->len > 1)
		qsort(rows->ptr, rows->len, sizeof(*rows->ptr), cmp_row);
}
