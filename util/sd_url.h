/*
 * util/sd_url.h: the one URL layer between the configuration, the command
 * line and the connectors.
 *
 * A URL is parsed once (RFC 3986 shape, percent-decoded parts) and every
 * other use works on the parsed form: connectors read its fields, the
 * scratch loader swaps its database, the config splices a password into
 * it, and every message, log line, report and alert shows it through
 * sd_url_redact, the one redaction rule.
 *
 * Passwords are not always percent-encoded in practice (libpq accepts
 * "postgres://u:p#1?x@host/db"), so the user info ends at the LAST '@'
 * of the whole text when the part after it still looks like a host.
 */
#ifndef SD_URL_H
#define SD_URL_H

#include "util/sd_util.h"

typedef struct sd_url_param {
	char *key;   /* decoded */
	char *value; /* decoded; "" when the parameter had no '=' */
} sd_url_param;

typedef struct sd_url {
	char *scheme;   /* lower case, without ':' */
	bool authority; /* "scheme://..." rather than "scheme:path" */
	char *user;     /* decoded; NULL when absent */
	char *password; /* decoded; NULL when absent */
	char *host;     /* decoded, brackets of an IPv6 literal removed; NULL when absent */
	char *port;     /* decoded text (libpq takes "5432,5433"); NULL when absent */
	char *path;     /* decoded, without the leading '/' of an authority URL; may be "" */
	sd_url_param *params;
	size_t n_params;
} sd_url;

/*
 * Parses text. On failure returns SD_ECONFIG with a reason that never
 * shows the password, and leaves *u empty (safe to sd_url_dispose).
 */
int sd_url_parse(sd_url *u, const char *text, sd_err *err);
void sd_url_dispose(sd_url *u);
/* True when text starts with "scheme:" (letters, then letters, digits, '+', '-', '.'). */
bool sd_url_has_scheme(const char *text);
/* The value of a query parameter (last one wins), or NULL. */
const char *sd_url_param_get(const sd_url *u, const char *key);

/* The URL written back, percent-encoding what needs it. Caller frees. */
char *sd_url_format(const sd_url *u);
/* The URL written back with any password and secret parameter as ***. Caller frees. */
char *sd_url_format_redacted(const sd_url *u);

/*
 * The one redaction rule, on text that may not even parse: any password
 * (user:***@host) and secret query parameter (password=***,
 * sslpassword=***) replaced. Caller frees.
 */
char *sd_url_redact(const char *text);
/* True when text holds a password in its user info or its query. */
bool sd_url_has_password(const char *text);

/*
 * Removes from a library's message every occurrence of the URL's
 * password and secret parameter values (in raw and percent-encoded form),
 * replacing them with ***: libpq and libmariadb quote what they were
 * given. Caller frees.
 */
char *sd_url_scrub(const sd_url *u, const char *message);

/* text with its database (path) replaced by db; query kept. Caller frees; NULL on a bad URL. */
char *sd_url_with_database(const char *text, const char *db);
/* text with password set in its user info; NULL when text has no user or already a password. */
char *sd_url_with_password(const char *text, const char *password);

#endif
