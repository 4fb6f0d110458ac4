/*
 * util/url.c: parse, write back, redact and scrub source URLs.
 *
 * One splitter finds the parts of a URL's text; parsing, redaction and
 * every rewrite use it, so what is treated as the password is the same
 * everywhere. Its rules follow what libpq accepts:
 *   scheme:path?query                      (sqlite:relative/file.db)
 *   scheme://[userinfo@]host[:port][/path][?query]
 * The user info ends at the last '@' before the first '/' of the
 * authority: passwords in the wild hold unencoded '@', '#' and '?' (libpq
 * takes '#' and '?'). A '#' is literal (no fragments in data source
 * URLs). Redaction masks at least what parsing takes as the password: from
 * its start to the text's last '@'.
 */
#include "util/sd_url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct span {
	const char *p;
	size_t n;
} span;

typedef struct url_parts {
	span scheme;
	bool authority;
	bool has_userinfo, has_password;
	span user, password, hostport, path, query; /* path keeps its leading '/' */
} url_parts;

static bool
scheme_char(char c, bool first)
{
	return isalpha((unsigned char)c) ||
	       (!first && (isdigit((unsigned char)c) || c == '+' || c == '-' || c == '.'));
}

/* False when text has no "scheme:" prefix. */
static bool
split(url_parts *u, const char *text)
{
	const char *p = text, *end = text + strlen(text), *auth, *slash, *at = NULL, *hp_end;

	memset(u, 0, sizeof(*u));
	while (p < end && scheme_char(*p, p == text))
		p++;
	if (p == text || p == end || *p != ':')
		return false;
	u->scheme = (span){text, (size_t)(p - text)};
	p++;
	if (end - p >= 2 && p[0] == '/' && p[1] == '/') {
		u->authority = true;
		auth = p + 2;
		slash = memchr(auth, '/', (size_t)(end - auth));
		for (const char *c = auth; c < (slash ? slash : end); c++)
			if (*c == '@')
				at = c;
		if (at) {
			const char *colon = memchr(auth, ':', (size_t)(at - auth));
			u->has_userinfo = true;
			u->user = (span){auth, (size_t)((colon ? colon : at) - auth)};
			if (colon) {
				u->has_password = true;
				u->password = (span){colon + 1, (size_t)(at - colon - 1)};
			}
			auth = at + 1;
		}
		hp_end = auth + strcspn(auth, "/?");
		u->hostport = (span){auth, (size_t)(hp_end - auth)};
		p = hp_end;
	}
	u->path = (span){p, strcspn(p, "?")};
	if (p[u->path.n] == '?')
		u->query = (span){p + u->path.n + 1, (size_t)(end - (p + u->path.n + 1))};
	return true;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* s decoded, or NULL when an escape is malformed or decodes to NUL. */
static char *
decode(span s)
{
	char *out = sd_xmalloc(s.n + 1), *o = out;

	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] != '%') {
			*o++ = s.p[i];
			continue;
		}
		int hi = i + 2 < s.n ? hexval(s.p[i + 1]) : -1;
		int lo = i + 2 < s.n ? hexval(s.p[i + 2]) : -1;
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			free(out);
			return NULL;
		}
		*o++ = (char)(hi * 16 + lo);
		i += 2;
	}
	*o = '\0';
	return out;
}

static bool
secret_key(span k)
{
	return (k.n == 8 && strncasecmp(k.p, "password", 8) == 0) ||
	       (k.n == 11 && strncasecmp(k.p, "sslpassword", 11) == 0);
}

/* Runs body for each key=value of a query (no `continue` in body); val.p is NULL without '='. */
#define EACH_PARAM(q, key, val, body)                                                              \
	/* no query: p is NULL, and NULL + 0 is undefined behaviour (found by fuzz_config) */      \
	for (const char *it_ = (q).p, *qend_ = (q).p ? (q).p + (q).n : NULL; it_ < qend_;) {      \
		size_t len_ = strcspn(it_, "&");                                                   \
		if (it_ + len_ > qend_)                                                            \
			len_ = (size_t)(qend_ - it_);                                              \
		const char *eq_ = memchr(it_, '=', len_);                                          \
		span key = {it_, eq_ ? (size_t)(eq_ - it_) : len_};                                \
		span val = {eq_ ? eq_ + 1 : NULL, eq_ ? (size_t)(it_ + len_ - eq_ - 1) : 0};       \
		body;                                                                              \
		it_ += len_ + 1;                                                                   \
	}

static int
bad(sd_err *err, const char *why)
{
	return sd_err_set(err, SD_ECONFIG, "%s", why);
}

static bool
all_digits(span s)
{
	for (size_t i = 0; i < s.n; i++)
		if (!isdigit((unsigned char)s.p[i]))
			return false;
	return true;
}

/*
 * "h1:5432,h2:5433" (libpq's host list) becomes host "h1,h2" and port
 * "5432,5433", the way libpq's own keywords take them.
 */
static int
parse_host_list(sd_url *u, span hp, sd_err *err)
{
	sd_str hosts, ports;
	bool any_port = false;
	int rc = SD_OK;

	sd_str_init(&hosts);
	sd_str_init(&ports);
	for (const char *p = hp.p, *end = hp.p + hp.n; p <= end && rc == SD_OK;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		span one = {p, (size_t)((comma ? comma : end) - p)};
		const char *colon = memchr(one.p, ':', one.n);
		span port = {colon ? colon + 1 : one.p + one.n,
		             colon ? (size_t)(one.p + one.n - colon - 1) : 0};
		if (!all_digits(port))
			rc = bad(err, "the port must be a number");
		sd_str_appendf(&hosts, "%s%.*s", p == hp.p ? "" : ",",
		               (int)(colon ? (size_t)(colon - one.p) : one.n), one.p);
		sd_str_appendf(&ports, "%s%.*s", p == hp.p ? "" : ",", (int)port.n, port.p);
		any_port = any_port || port.n;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (rc == SD_OK && (!(u->host = decode((span){hosts.ptr, hosts.len}))))
		rc = bad(err, "malformed %-escape in the host");
	if (rc == SD_OK && any_port)
		u->port = sd_xstrdup(ports.ptr);
	sd_str_dispose(&hosts);
	sd_str_dispose(&ports);
	return rc;
}

static int
parse_hostport(sd_url *u, span hp, sd_err *err)
{
	const char *colon;
	span host = hp;

	if (memchr(hp.p, ',', hp.n))
		return parse_host_list(u, hp, err);
	if (hp.n && hp.p[0] == '[') {
		const char *close = memchr(hp.p, ']', hp.n);
		if (!close)
			return bad(err, "unterminated [IPv6] host");
		host = (span){hp.p + 1, (size_t)(close - hp.p - 1)};
		colon = close + 1 < hp.p + hp.n && close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = memchr(hp.p, ':', hp.n);
		if (colon)
			host.n = (size_t)(colon - hp.p);
	}
	if (host.n && !(u->host = decode(host)))
		return bad(err, "malformed %-escape in the host");
	if (colon) {
		span port = {colon + 1, (size_t)(hp.p + hp.n - colon - 1)};
		if (!all_digits(port))
			return bad(err, "the port must be a number");
		if (port.n && !(u->port = decode(port)))
			return bad(err, "malformed port");
	}
	return SD_OK;
}

static int
parse_query(sd_url *u, span q, sd_err *err)
{
	size_t n = 0;

	EACH_PARAM(q, k, v, {
		(void)v;
		n += k.n > 0;
	});
	u->params = sd_xcalloc(n ? n : 1, sizeof(*u->params));
	EACH_PARAM(q, k, v, {
		if (k.n) {
			sd_url_param *p = &u->params[u->n_params++];
			p->key = decode(k);
			p->value = v.p ? decode(v) : sd_xstrdup("");
			if (!p->key || !p->value)
				return bad(err, "malformed %-escape in a URL parameter");
		}
	});
	return SD_OK;
}

bool
sd_url_has_scheme(const char *text)
{
	url_parts parts;

	return split(&parts, text);
}

int
sd_url_parse(sd_url *u, const char *text, sd_err *err)
{
	url_parts parts;
	int rc;

	memset(u, 0, sizeof(*u));
	if (!split(&parts, text))
		return bad(err, "not a URL (expected scheme:...)");
	u->scheme = sd_xmalloc(parts.scheme.n + 1);
	for (size_t i = 0; i < parts.scheme.n; i++)
		u->scheme[i] = (char)tolower((unsigned char)parts.scheme.p[i]);
	u->scheme[parts.scheme.n] = '\0';
	u->authority = parts.authority;
	rc = SD_OK;
	if (parts.has_userinfo && !(u->user = decode(parts.user)))
		rc = bad(err, "malformed %-escape in the user name");
	else if (parts.has_password && !(u->password = decode(parts.password)))
		rc = bad(err, "malformed %-escape in the password");
	else if (parts.authority && (rc = parse_hostport(u, parts.hostport, err)))
		;
	else if (!(u->path = decode(parts.path)))
		rc = bad(err, "malformed %-escape in the path");
	else if (parts.query.p)
		rc = parse_query(u, parts.query, err);
	if (rc)
		sd_url_dispose(u);
	return rc;
}

static void
wipe_free(char *s)
{
	if (s) /* do not leave a secret in freed memory */
		memset(s, 0, strlen(s));
	free(s);
}

void
sd_url_dispose(sd_url *u)
{
	free(u->scheme);
	free(u->user);
	wipe_free(u->password);
	free(u->host);
	free(u->port);
	free(u->path);
	for (size_t i = 0; i < u->n_params; i++) {
		free(u->params[i].key);
		wipe_free(u->params[i].value);
	}
	free(u->params);
	memset(u, 0, sizeof(*u));
}

const char *
sd_url_param_get(const sd_url *u, const char *key)
{
	const char *found = NULL;

	for (size_t i = 0; i < u->n_params; i++)
		if (strcmp(u->params[i].key, key) == 0)
			found = u->params[i].value;
	return found;
}

/* Percent-encodes s, leaving unreserved characters and those in keep. */
static void
encode(sd_str *out, const char *s, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || strchr("-._~", *p) || (*p && strchr(keep, *p)))
			sd_str_appendc(out, (char)*p);
		else
			sd_str_appendf(out, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

static bool
secret_param_name(const char *key)
{
	return secret_key((span){key, strlen(key)});
}

/* "h1,h2" with ports "5432,5433" written back as h1:5432,h2:5433. */
static void
format_host_list(sd_str *s, const sd_url *u)
{
	const char *h = u->host, *p = u->port ? u->port : "";

	for (bool first = true; *h || first; first = false) {
		size_t hn = strcspn(h, ","), pn = strcspn(p, ",");
		char *one = sd_xmalloc(hn + 1);
		memcpy(one, h, hn);
		one[hn] = '\0';
		if (!first)
			sd_str_appendc(s, ',');
		encode(s, one, ":");
		free(one);
		if (pn)
			sd_str_appendf(s, ":%.*s", (int)pn, p);
		h += hn + (h[hn] == ',');
		p += pn + (p[pn] == ',');
		if (!*h)
			break;
	}
}

static char *
format(const sd_url *u, bool redacted)
{
	sd_str s;

	sd_str_init(&s);
	sd_str_append(&s, u->scheme);
	sd_str_append(&s, u->authority ? "://" : ":");
	if (u->authority) {
		if (u->user) {
			encode(&s, u->user, "");
			if (u->password) {
				sd_str_appendc(&s, ':');
				if (redacted)
					sd_str_append(&s, "***");
				else
					encode(&s, u->password, "");
			}
			sd_str_appendc(&s, '@');
		}
		if (u->host && strchr(u->host, ',')) {
			format_host_list(&s, u);
		} else if (u->host && strchr(u->host, ':')) {
			sd_str_appendc(&s, '[');
			sd_str_append(&s, u->host);
			sd_str_appendc(&s, ']');
		} else if (u->host) {
			encode(&s, u->host, ",:");
		}
		if (u->port && !(u->host && strchr(u->host, ',')))
			sd_str_appendf(&s, ":%s", u->port);
	}
	encode(&s, u->path, "/:");
	for (size_t i = 0; i < u->n_params; i++) {
		sd_str_appendc(&s, i ? '&' : '?');
		encode(&s, u->params[i].key, "");
		sd_str_appendc(&s, '=');
		if (redacted && secret_param_name(u->params[i].key))
			sd_str_append(&s, "***");
		else
			encode(&s, u->params[i].value, "/:");
	}
	return sd_str_detach(&s);
}

char *
sd_url_format(const sd_url *u)
{
	return format(u, false);
}

char *
sd_url_format_redacted(const sd_url *u)
{
	return format(u, true);
}

/* Appends text[from, to) to s and returns to. */
static const char *
copy_to(sd_str *s, const char *from, const char *to)
{
	sd_str_appendn(s, from, (size_t)(to - from));
	return to;
}

char *
sd_url_redact(const char *text)
{
	url_parts u;
	const char *done = text;
	sd_str s;

	sd_str_init(&s);
	if (!split(&u, text)) {
		sd_str_append(&s, text);
		return sd_str_detach(&s);
	}
	if (u.has_password) {
		/*
		 * Up to the text's last '@', which may lie past the parsed password
		 * ("u:p@ss/w@host"): redacting too much beats leaking a piece.
		 */
		done = copy_to(&s, done, u.password.p);
		sd_str_append(&s, "***");
		done = strrchr(text, '@');
	}
	EACH_PARAM(u.query, k, v, {
		if (v.p && v.p >= done && secret_key(k)) {
			done = copy_to(&s, done, v.p);
			sd_str_append(&s, "***");
			done += v.n;
		}
	});
	sd_str_append(&s, done);
	return sd_str_detach(&s);
}

bool
sd_url_has_password(const char *text)
{
	url_parts u;
	bool found = false;

	if (!split(&u, text))
		return false;
	EACH_PARAM(u.query, k, v, found = found || (v.p && v.n && secret_key(k)));
	return found || (u.has_password && u.password.n);
}

/* Replaces every occurrence of needle in *text by ***. */
static void
scrub_one(sd_str *text, const char *needle)
{
	size_t n = strlen(needle);
	const char *p = text->ptr, *hit;
	sd_str out;

	if (!n || !strstr(p, needle))
		return;
	sd_str_init(&out);
	for (; (hit = strstr(p, needle)); p = hit + n) {
		copy_to(&out, p, hit);
		sd_str_append(&out, "***");
	}
	sd_str_append(&out, p);
	sd_str_dispose(text);
	*text = out;
}

static void
scrub_secret(sd_str *text, const char *secret)
{
	sd_str enc;

	if (!secret || !*secret)
		return;
	scrub_one(text, secret);
	sd_str_init(&enc);
	encode(&enc, secret, "");
	scrub_one(text, enc.ptr);
	sd_str_dispose(&enc);
}

char *
sd_url_scrub(const sd_url *u, const char *message)
{
	sd_str s;

	sd_str_init(&s);
	sd_str_append(&s, message);
	scrub_secret(&s, u->password);
	for (size_t i = 0; i < u->n_params; i++)
		if (secret_param_name(u->params[i].key))
			scrub_secret(&s, u->params[i].value);
	return sd_str_detach(&s);
}

char *
sd_url_with_database(const char *text, const char *db)
{
	sd_url u;
	sd_err err = {0};
	char *out;

	if (sd_url_parse(&u, text, &err) || !u.authority) {
		sd_url_dispose(&u);
		return NULL;
	}
	free(u.path);
	u.path = sd_xmalloc(strlen(db) + 2);
	u.path[0] = '/';
	strcpy(u.path + 1, db);
	out = sd_url_format(&u);
	sd_url_dispose(&u);
	return out;
}

char *
sd_url_with_password(const char *text, const char *password)
{
	sd_url u;
	sd_err err = {0};
	char *out = NULL;

	if (sd_url_parse(&u, text, &err) == SD_OK && u.authority && u.user && !u.password) {
		u.password = sd_xstrdup(password);
		out = sd_url_format(&u);
	}
	sd_url_dispose(&u);
	return out;
}
