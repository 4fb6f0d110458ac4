/*
 * daemon/loop.h: `schemad run`, the scheduler.
 */
#ifndef SD_LOOP_H
#define SD_LOOP_H

#include <stdbool.h>

/*
 * Runs the daemon on the configuration at path until SIGTERM or SIGINT.
 * Returns the process exit code: 0 after a stop, 2 when the first
 * configuration or the state store cannot be loaded. *abandoned is true
 * when a second stop signal left threads running: the caller must exit
 * without tearing down what they may still use.
 */
int sd_daemon_run(const char *config_path, bool *abandoned);

#endif
