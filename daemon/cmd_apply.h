/*
 * daemon/cmd_apply.h: `schemad apply` (cmd_apply.c).
 */
#ifndef SD_CMD_APPLY_H
#define SD_CMD_APPLY_H

/* argv[0] is "apply". Returns the exit code: 0 aligned, 1 refused or drift left, 2 error. */
int sd_cmd_apply(int argc, char **argv);

#endif
