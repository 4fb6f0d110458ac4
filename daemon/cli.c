/*
 * daemon/cli.c: helpers of the state store commands (status, history,
 * show, ack, mute).
 */
#define _XOPEN_SOURCE 700 /* strptime */
#include "daemon/cli.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
sd_cli_fail(const char *fmt, ...)
{
	sd_str line;
	va_list ap;

	sd_str_init(&line);
	sd_str_append(&line, "schemad: ");
	va_start(ap, fmt);
	sd_str_vappendf(&line, fmt, ap);
	va_end(ap);
	sd_str_appendc(&line, '\n');
	fputs(line.ptr, stderr);
	sd_str_dispose(&line);
	return 2;
}

const char *
sd_cli_config_path(const char *given)
{
	if (given)
		return given;
	return getenv("SCHEMAD_CONFIG") ? getenv("SCHEMAD_CONFIG") : SD_CLI_DEFAULT_CONFIG;
}

int
sd_cli_open(sd_config **cfg_out, sd_state **state_out, const char *path)
{
	return sd_cli_open_as(cfg_out, state_out, path, false);
}

int
sd_cli_open_as(sd_config **cfg_out, sd_state **state_out, const char *path, bool reader)
{
	const char *store;
	sd_str errors, warnings;
	sd_err err = {0};
	int rc;

	*state_out = NULL;
	sd_str_init(&errors);
	sd_str_init(&warnings);
	rc = sd_cfg_load(cfg_out, path, &sd_cfg_registry, &errors, &warnings);
	fputs(warnings.ptr, stderr);
	fputs(errors.ptr, stderr);
	sd_str_dispose(&errors);
	sd_str_dispose(&warnings);
	if (rc)
		return 2;
	/* A reader never creates the store: before the daemon's first start, an empty one. */
	store = (*cfg_out)->state_path;
	if (reader && access(store, F_OK) != 0 && errno == ENOENT)
		store = ":memory:";
	if (sd_state_open(state_out, store, &err)) {
		sd_cfg_free(*cfg_out);
		*cfg_out = NULL;
		return sd_cli_fail("%s", err.msg);
	}
	return 0;
}

int
sd_cli_write(const char *text, size_t len)
{
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
		return sd_cli_fail("cannot write to standard output: %s", strerror(errno));
	return 0;
}

bool
sd_cli_parse_time(const char *text, int direction, long long *ms_out)
{
	struct tm tm = {0};
	long long ms;
	const char *end;

	if (sd_cfg_parse_duration(text, &ms)) {
		*ms_out = sd_now_ms() + direction * ms;
		return true;
	}
	end = strptime(text, "%Y-%m-%d", &tm);
	if (end && *end == 'T')
		end = strptime(end + 1, "%H:%M:%S", &tm);
	if (!end || (*end && strcmp(end, "Z") != 0))
		return false;
	*ms_out = (long long)timegm(&tm) * 1000;
	return true;
}

void
sd_cli_who(char *out, size_t n)
{
	const char *sudo = getenv("SUDO_USER");
	struct passwd pw, *found = NULL;
	char buf[1024];

	if (sudo && *sudo) {
		snprintf(out, n, "%s", sudo);
		return;
	}
	if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &found) == 0 && found)
		snprintf(out, n, "%s", found->pw_name);
	else
		snprintf(out, n, "uid %ld", (long)geteuid());
}

int
sd_cli_source_option(sd_source_opts *o, const char *cmd, int opt, const char *arg)
{
	const sd_engine *e;
	long long *ms = opt == SD_CLI_OPT_CONNECT_TIMEOUT     ? &o->conn.connect_timeout_ms
			: opt == SD_CLI_OPT_STATEMENT_TIMEOUT ? &o->conn.statement_timeout_ms
							      : &o->conn.lock_timeout_ms;

	switch (opt) {
	case SD_CLI_OPT_DIALECT:
		if (!(e = sd_engine_for_name(arg)) || !e->load_dump)
			return sd_cli_fail("%s: --dialect \"%s\": expected %s", cmd, arg,
					   sd_engine_dialects_text());
		o->dialect = arg;
		return 0;
	case SD_CLI_OPT_DEV_URL:
		o->dev_url = arg;
		return 0;
	case SD_CLI_OPT_CONNECT_TIMEOUT:
	case SD_CLI_OPT_STATEMENT_TIMEOUT:
	case SD_CLI_OPT_LOCK_TIMEOUT:
		if (!sd_cfg_parse_duration(arg, ms) || *ms <= 0)
			return sd_cli_fail("%s: timeout \"%s\": expected a duration such as 500ms, "
					   "4s or 1m",
					   cmd, arg);
		return 0;
	default:
		return sd_cli_fail("%s: see schemad %s --help", cmd, cmd);
	}
}
