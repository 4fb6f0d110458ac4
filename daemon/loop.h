/*
 * daemon/loop.h: `schemad run`, the scheduler.
 */
#ifndef SD_LOOP_H
#define SD_LOOP_H

/*
 * Runs the daemon on the configuration at path until SIGTERM or SIGINT.
 * Returns the process exit code: 0 after a clean stop, 2 when the first
 * configuration or the state store cannot be loaded.
 */
int sd_daemon_run(const char *config_path);

#endif
