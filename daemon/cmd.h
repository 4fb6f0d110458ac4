/*
 * daemon/cmd.h: commands that live in their own files (daemon/cmd_*.c).
 * Each takes argv from the command's name on and returns the exit code.
 */
#ifndef SD_CMD_H
#define SD_CMD_H

int sd_cmd_status(int argc, char **argv);
int sd_cmd_history(int argc, char **argv);
int sd_cmd_show(int argc, char **argv);
int sd_cmd_ack(int argc, char **argv);
int sd_cmd_mute(int argc, char **argv);

#endif
