/*
 * connectors/mysql/my_url.c: a parsed mysql:// or mariadb:// URL (util's
 * one URL layer) into the connection settings the client library takes.
 *
 *   mysql://user[:password]@host[:port]/db[?key=value&...]
 *
 * Keys: socket (unix socket path), ssl-mode (disabled, preferred, required,
 * verify-ca, verify-identity), ssl-ca, connect-timeout, statement-timeout
 * (seconds; they override the configured timeouts for this source).
 * Messages never show the password; the dispatcher names the URL.
 */
#include "connectors/mysql/my_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool
parse_seconds(long long *ms, const char *s)
{
	long long v = 0;

	if (!*s || strlen(s) > 6)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		v = v * 10 + (*s - '0');
	}
	*ms = v * 1000;
	return true;
}

static char *
dup_or_null(const char *s)
{
	return s ? sd_xstrdup(s) : NULL;
}

static int
take_param(my_url *out, const sd_url_param *p, sd_err *err)
{
	const char *k = p->key;

	if (strcmp(k, "socket") == 0) {
		free(out->socket);
		out->socket = sd_xstrdup(p->value);
	} else if (strcmp(k, "ssl-mode") == 0 || strcmp(k, "sslmode") == 0) {
		free(out->ssl_mode);
		out->ssl_mode = sd_xstrdup(p->value);
	} else if (strcmp(k, "ssl-ca") == 0 || strcmp(k, "sslca") == 0) {
		free(out->ssl_ca);
		out->ssl_ca = sd_xstrdup(p->value);
	} else if (strcmp(k, "connect-timeout") == 0 || strcmp(k, "connect_timeout") == 0) {
		if (!parse_seconds(&out->timeouts.connect_timeout_ms, p->value))
			return sd_err_set(err, SD_ECONFIG,
			                  "connect-timeout must be a number of seconds");
	} else if (strcmp(k, "statement-timeout") == 0 || strcmp(k, "statement_timeout") == 0) {
		if (!parse_seconds(&out->timeouts.statement_timeout_ms, p->value))
			return sd_err_set(err, SD_ECONFIG,
			                  "statement-timeout must be a number of seconds");
	} else {
		return sd_err_set(
		        err, SD_ECONFIG,
		        "unknown URL parameter \"%s\" (expected socket, ssl-mode, ssl-ca, "
		        "connect-timeout, statement-timeout)",
		        k);
	}
	return SD_OK;
}

int
sd_my__url_from(my_url *out, const sd_url *u, const sd_conn_opts *o, bool need_db, sd_err *err)
{
	const char *db = u->path && u->path[0] == '/' ? u->path + 1 : "";
	int rc = SD_OK;

	memset(out, 0, sizeof(*out));
	out->timeouts = *o;
	if (!u->authority || (need_db && !*db))
		return sd_err_set(err, SD_ECONFIG,
		                  "no database name in the URL (mysql://user@host/db)");
	if (u->port && (atol(u->port) > 65535 || strchr(u->port, ',')))
		return sd_err_set(err, SD_ECONFIG, "the port must be a number from 0 to 65535");
	out->user = dup_or_null(u->user);
	out->password = dup_or_null(u->password);
	out->host = dup_or_null(u->host);
	out->port = u->port ? (unsigned)atol(u->port) : 0;
	out->db = *db ? sd_xstrdup(db) : NULL;
	for (size_t i = 0; i < u->n_params && rc == SD_OK; i++)
		rc = take_param(out, &u->params[i], err);
	if (rc)
		sd_my__url_dispose(out);
	return rc;
}

void
sd_my__url_dispose(my_url *u)
{
	free(u->user);
	if (u->password) /* do not leave the secret in freed memory */
		memset(u->password, 0, strlen(u->password));
	free(u->password);
	free(u->host);
	free(u->db);
	free(u->socket);
	free(u->ssl_mode);
	free(u->ssl_ca);
	memset(u, 0, sizeof(*u));
}
