/*
 * connectors/mysql/my_url.c: parse mysql:// and mariadb:// source URLs.
 *
 *   mysql://user[:password]@host[:port]/db[?key=value&...]
 *
 * Keys: socket (unix socket path), ssl-mode (disabled, preferred, required,
 * verify-ca, verify-identity), ssl-ca, connect-timeout, statement-timeout
 * (seconds). User and password may be percent-encoded. Errors name the
 * URL with the password removed, never the password itself.
 */
#include "connectors/mysql/my_internal.h"

#include "connectors/sd_source.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Copies s[0..n) with %XX decoded; NULL when an escape is malformed. */
static char *
decode(const char *s, size_t n)
{
	char *out = sd_xmalloc(n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				free(out);
				return NULL;
			}
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static int
bad(sd_err *err, const char *url, const char *why)
{
	char *shown = sd_source_redact(url);
	int rc = sd_err_set(err, SD_ECONFIG, "%s: %s", shown, why);

	free(shown);
	return rc;
}

static bool
parse_uint(unsigned *out, const char *s, size_t n, unsigned max)
{
	unsigned long v = 0;

	if (n == 0 || n > 9)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

static int
parse_option(my_url *u, const char *url, const char *kv, size_t n, sd_err *err)
{
	const char *eq = memchr(kv, '=', n);
	size_t kn = eq ? (size_t)(eq - kv) : n;
	const char *v = eq ? eq + 1 : kv + n;
	size_t vn = (size_t)(kv + n - v);
	char **dst = NULL;

#define KEY(k) (kn == strlen(k) && strncmp(kv, k, kn) == 0)
	if (KEY("socket"))
		dst = &u->socket;
	else if (KEY("ssl-mode") || KEY("sslmode"))
		dst = &u->ssl_mode;
	else if (KEY("ssl-ca") || KEY("sslca"))
		dst = &u->ssl_ca;
	else if (KEY("connect-timeout") || KEY("connect_timeout")) {
		if (!parse_uint(&u->connect_timeout, v, vn, 86400))
			return bad(err, url, "connect-timeout must be a number of seconds");
		return SD_OK;
	} else if (KEY("statement-timeout") || KEY("statement_timeout")) {
		if (!parse_uint(&u->statement_timeout, v, vn, 86400))
			return bad(err, url, "statement-timeout must be a number of seconds");
		return SD_OK;
	} else
		return bad(err, url, "unknown URL parameter (expected socket, ssl-mode, ssl-ca, "
				     "connect-timeout, statement-timeout)");
#undef KEY
	free(*dst);
	*dst = decode(v, vn);
	if (!*dst)
		return bad(err, url, "malformed %-escape in a URL parameter");
	return SD_OK;
}

static int
parse_query(my_url *u, const char *url, const char *q, sd_err *err)
{
	int rc;

	while (*q) {
		const char *amp = strchr(q, '&');
		size_t n = amp ? (size_t)(amp - q) : strlen(q);
		if (n && (rc = parse_option(u, url, q, n, err)))
			return rc;
		q += n + (amp ? 1 : 0);
	}
	return SD_OK;
}

/* user[:password] */
static int
parse_userinfo(my_url *u, const char *url, const char *s, size_t n, sd_err *err)
{
	const char *colon = memchr(s, ':', n);
	size_t un = colon ? (size_t)(colon - s) : n;

	u->user = decode(s, un);
	if (colon)
		u->password = decode(colon + 1, n - un - 1);
	if (!u->user || (colon && !u->password))
		return bad(err, url, "malformed %-escape in user or password");
	return SD_OK;
}

/* host[:port], or [v6]:port */
static int
parse_hostport(my_url *u, const char *url, const char *s, size_t n, sd_err *err)
{
	const char *colon;
	size_t hn;

	if (n && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (!close)
			return bad(err, url, "unterminated [IPv6] host");
		u->host = decode(s + 1, (size_t)(close - s - 1));
		colon = close + 1 < s + n && close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = memchr(s, ':', n);
		hn = colon ? (size_t)(colon - s) : n;
		u->host = decode(s, hn);
	}
	if (!u->host)
		return bad(err, url, "malformed %-escape in host");
	if (colon && !parse_uint(&u->port, colon + 1, (size_t)(s + n - colon - 1), 65535))
		return bad(err, url, "port must be a number from 0 to 65535");
	return SD_OK;
}

int
sd_my__url_parse(my_url *out, const char *url, sd_err *err)
{
	const char *p, *auth_end, *path, *query;
	int rc;

	memset(out, 0, sizeof(*out));
	out->connect_timeout = 10;
	out->statement_timeout = 30;
	if (strncmp(url, "mysql://", 8) == 0)
		p = url + 8;
	else if (strncmp(url, "mariadb://", 10) == 0)
		p = url + 10;
	else
		return bad(err, url, "expected a mysql:// or mariadb:// URL");
	path = strchr(p, '/');
	query = strchr(p, '?');
	if (!path || (query && query < path))
		return bad(err, url, "no database name in the URL (mysql://user@host/db)");
	/* The last '@' before the path ends the user info: a password may hold '@'. */
	auth_end = NULL;
	for (const char *c = p; c < path; c++)
		if (*c == '@')
			auth_end = c;
	if (auth_end && (rc = parse_userinfo(out, url, p, (size_t)(auth_end - p), err)))
		goto fail;
	if (auth_end)
		p = auth_end + 1;
	if ((rc = parse_hostport(out, url, p, (size_t)(path - p), err)))
		goto fail;
	out->db = decode(path + 1, query ? (size_t)(query - path - 1) : strlen(path + 1));
	if (!out->db || !*out->db) {
		rc = bad(err, url, "no database name in the URL (mysql://user@host/db)");
		goto fail;
	}
	if (query && (rc = parse_query(out, url, query + 1, err)))
		goto fail;
	return SD_OK;
fail:
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
