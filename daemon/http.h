/*
 * daemon/http.h: the daemon's optional HTTP listener (libmicrohttpd).
 *
 *   /metrics         Prometheus text format
 *   /healthz         200 while the state store takes writes
 *   /readyz          200 once every configured pair was checked
 *   /api/pairs[/NAME[/report|/history]]   JSON
 *   /, /pairs/NAME   the status page
 *
 * Off unless http.listen is configured. With http.token_file every request
 * but /healthz and /readyz must carry "Authorization: Bearer TOKEN"; the
 * configuration refuses a non-loopback address without one. Read-only:
 * GET and HEAD only. No response holds a password.
 */
#ifndef SD_HTTP_H
#define SD_HTTP_H

#include "config/sd_config.h"

typedef struct sd_http sd_http;

/* How the listener reaches the daemon's current configuration. */
typedef struct sd_http_host {
	/* Returns the configuration in force, held (*hold_out) until release. */
	const sd_config *(*acquire)(void *ctx, void **hold_out);
	void (*release)(void *ctx, void *hold);
	void *ctx;
} sd_http_host;

/*
 * Starts listening as http configures, in a thread of its own; requests
 * read the store at state_path with their own connection. Caller stops
 * with sd_http_stop.
 */
int sd_http_start(sd_http **out,
                  const sd_cfg_http *http,
                  const char *state_path,
                  const sd_http_host *host,
                  sd_err *err);
/* The port actually bound (http.listen may ask for port 0). */
int sd_http_port(const sd_http *h);
void sd_http_stop(sd_http *h);

#endif
