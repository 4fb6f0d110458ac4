/*
 * daemon/cmd_ack.c: `schemad ack` and `schemad mute`.
 *
 * ack accepts a pair's current drift, by its fingerprint: while the drift
 * stays exactly that no drift event is sent, and any other drift alerts
 * again. mute silences every event of a pair until an end time (a
 * maintenance window). Both are rows in the state store with who, when and
 * why; the daemon reads them at each check, so no reload is needed.
 */
#include "daemon/cmd.h"

#include "daemon/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char ACK_USAGE[] =
        "usage: schemad ack PAIR [--until WHEN] [--reason TEXT] [--config FILE]\n"
        "       schemad ack PAIR --clear\n"
        "       schemad mute PAIR --until WHEN [--reason TEXT] [--config FILE]\n"
        "       schemad mute PAIR --clear\n"
        "\n"
        "ack accepts PAIR's current drift (its fingerprint): no alert is sent while the\n"
        "drift stays exactly that; a different drift alerts again. mute sends no alert\n"
        "at all for PAIR until WHEN. Both are shown on the status page, in status and\n"
        "in history with who, when and why. WHEN is a date (2026-12-01T08:00:00Z) or\n"
        "a duration from now (2h, 7d).\n"
        "\n"
        "  -u, --until WHEN     the end (ack: optional, mute: required)\n"
        "  -r, --reason TEXT    why, for the history\n"
        "      --clear          end the pair's acknowledgements (or mutes) now\n"
        "  -c, --config FILE    the configuration (default " SD_CLI_DEFAULT_CONFIG ")\n"
        "  -h, --help           this help\n";

typedef struct ack_args {
	const char *config, *pair, *reason;
	long long until_ms;
	bool clear;
} ack_args;

static int
parse(ack_args *a, int argc, char **argv)
{
	static const struct option longopts[] = {
	        {"config", required_argument, NULL, 'c'}, {"until", required_argument, NULL, 'u'},
	        {"reason", required_argument, NULL, 'r'}, {"clear", no_argument, NULL, 'x'},
	        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	int opt;

	optind = 1;
	opterr = 0;
	a->reason = "";
	while ((opt = getopt_long(argc, argv, "c:u:r:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(ACK_USAGE, stdout);
			return -1;
		case 'c':
			a->config = optarg;
			break;
		case 'r':
			a->reason = optarg;
			break;
		case 'x':
			a->clear = true;
			break;
		case 'u':
			if (!sd_cli_parse_time(optarg, 1, &a->until_ms))
				return sd_cli_fail("%s: --until \"%s\": expected a date "
				                   "(2026-12-01T08:00:00Z) or a duration (2h)",
				                   argv[0], optarg);
			if (a->until_ms <= sd_now_ms())
				return sd_cli_fail("%s: --until \"%s\" is in the past", argv[0],
				                   optarg);
			break;
		default:
			return sd_cli_fail(
			        "%s: unknown option or missing value \"%s\" (see schemad "
			        "%s --help)",
			        argv[0], argv[optind - 1], argv[0]);
		}
	}
	if (optind < argc)
		a->pair = argv[optind++];
	if (!a->pair)
		return sd_cli_fail("%s: needs a PAIR (see schemad %s --help)", argv[0], argv[0]);
	if (optind < argc)
		return sd_cli_fail("%s: unexpected argument \"%s\"", argv[0], argv[optind]);
	return 0;
}

static int
silence(int argc, char **argv, const char *kind)
{
	ack_args a = {0};
	sd_config *cfg = NULL;
	sd_state *st = NULL;
	sd_err err = {0};
	char who[128], fp[SD_FINGERPRINT_LEN + 1];
	bool mute = strcmp(kind, "mute") == 0;
	int rc, cleared = 0;

	if ((rc = parse(&a, argc, argv)))
		return rc < 0 ? 0 : rc;
	if (mute && !a.clear && !a.until_ms)
		return sd_cli_fail("mute: needs --until (a mute always ends)");
	if ((rc = sd_cli_open(&cfg, &st, sd_cli_config_path(a.config))))
		return rc;
	sd_cli_who(who, sizeof(who));
	if (!sd_cfg_find_pair(cfg, a.pair))
		rc = sd_cli_fail("%s: no pair named \"%s\" in %s", argv[0], a.pair, cfg->path);
	else if (a.clear && sd_state_unsilence(st, a.pair, kind, who, &cleared, &err))
		rc = sd_cli_fail("%s", err.msg);
	else if (a.clear)
		printf("pair %s: %d %s cleared\n", a.pair, cleared,
		       mute ? "mute(s)" : "acknowledgement(s)");
	else if (sd_state_silence(st, a.pair, kind, a.until_ms, who, a.reason, fp, &err))
		rc = sd_cli_fail("%s: %s", argv[0], err.msg);
	else if (mute)
		printf("pair %s: muted by %s\n", a.pair, who);
	else
		printf("pair %s: drift %.12s acknowledged by %s\n", a.pair, fp, who);
	sd_state_close(st);
	sd_cfg_free(cfg);
	return rc;
}

int
sd_cmd_ack(int argc, char **argv)
{
	return silence(argc, argv, "ack");
}

int
sd_cmd_mute(int argc, char **argv)
{
	return silence(argc, argv, "mute");
}
