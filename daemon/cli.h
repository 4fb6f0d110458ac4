/*
 * daemon/cli.h: what the commands that read the state store share.
 *
 * The commands in daemon/cmd_*.c print one error line on stderr and return
 * exit code 2 on failure (main.c exits with it).
 */
#ifndef SD_CLI_H
#define SD_CLI_H

#include "connectors/sd_source.h"
#include "daemon/state.h"

#include <getopt.h>

#define SD_CLI_DEFAULT_CONFIG "/etc/schemad/schemad.yml"

/* Prints "schemad: MESSAGE" on stderr; returns 2. */
int sd_cli_fail(const char *fmt, ...) SD_PRINTF(1, 2);

/* --config, else $SCHEMAD_CONFIG, else the default. */
const char *sd_cli_config_path(const char *given);

/*
 * Loads the configuration at path (warnings and errors printed) and opens
 * its state store. Returns 0, or 2 after printing why. Caller frees both.
 */
int sd_cli_open(sd_config **cfg_out, sd_state **state_out, const char *path);
/* The same for commands that only read (status, history, show): a missing store is not created. */
int sd_cli_open_as(sd_config **cfg_out, sd_state **state_out, const char *path, bool reader);

/* Writes all of text to stdout; 0, or 2 after printing why. */
int sd_cli_write(const char *text, size_t len);

/*
 * A point in time for --since and --until: an ISO date ("2026-11-30",
 * "2026-11-30T14:00:00Z", UTC) or a duration from now, backwards when
 * direction is -1 ("2h" ago), forwards when +1 ("2h" from now). False
 * when text is neither.
 */
bool sd_cli_parse_time(const char *text, int direction, long long *ms_out);

/* Who runs the command, for the history: $SUDO_USER, else the login name. */
void sd_cli_who(char *out, size_t n);

/* getopt codes of the options every command that reads a SOURCE takes. */
enum {
	SD_CLI_OPT_DIALECT = 1000,
	SD_CLI_OPT_DEV_URL,
	SD_CLI_OPT_CONNECT_TIMEOUT,
	SD_CLI_OPT_STATEMENT_TIMEOUT,
	SD_CLI_OPT_LOCK_TIMEOUT
};

#define SD_CLI_SOURCE_LONGOPTS                                                                     \
	{"dialect", required_argument, NULL, SD_CLI_OPT_DIALECT},                                  \
	{"dev-url", required_argument, NULL, SD_CLI_OPT_DEV_URL},                                  \
	{"connect-timeout", required_argument, NULL, SD_CLI_OPT_CONNECT_TIMEOUT},                  \
	{"statement-timeout", required_argument, NULL, SD_CLI_OPT_STATEMENT_TIMEOUT},              \
	{"lock-timeout", required_argument, NULL, SD_CLI_OPT_LOCK_TIMEOUT}

/*
 * --dialect, --dev-url and the timeouts into o, for command cmd. Returns 0,
 * or 2 after printing why (an unknown opt included).
 */
int sd_cli_source_option(sd_source_opts *o, const char *cmd, int opt, const char *arg);

#endif
