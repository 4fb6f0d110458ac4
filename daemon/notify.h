/*
 * daemon/notify.h: every systemd notification goes through here.
 *
 * Built without libsystemd (SD_WITH_SYSTEMD off) these are no-ops, and a
 * NOTIFY_SOCKET in the environment earns a warning at start.
 */
#ifndef SD_NOTIFY_H
#define SD_NOTIFY_H

void sd_notify_init(void);
void sd_notify_ready(void);
void sd_notify_reloading(void);
void sd_notify_stopping(void);
void sd_notify_statusf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sd_notify_watchdog(void);
/* The watchdog period systemd asked for, in ms; 0 when none. */
long long sd_notify_watchdog_ms(void);

#endif
