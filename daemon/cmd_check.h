/*
 * daemon/cmd_check.h: `schemad check`, the configured pairs once.
 */
#ifndef SD_CMD_CHECK_H
#define SD_CMD_CHECK_H

/* argv[0] is "check". Returns the exit code: 0 no drift, 1 drift, 2 error. */
int sd_cmd_check(int argc, char **argv);

#endif
