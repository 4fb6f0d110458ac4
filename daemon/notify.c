/*
 * daemon/notify.c: sd_notify(3) for Type=notify, with its failures logged.
 */
#include "daemon/notify.h"

#include "util/sd_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef SD_WITH_SYSTEMD
#include <systemd/sd-daemon.h>

static void
notify_send(const char *msg)
{
	int rc = sd_notify(0, msg);

	if (rc < 0)
		sd_log_warn("sd_notify failed: %d", rc);
}

void
sd_notify_init(void)
{
}

long long
sd_notify_watchdog_ms(void)
{
	uint64_t usec = 0;

	return sd_watchdog_enabled(0, &usec) > 0 ? (long long)(usec / 1000) : 0;
}
#else
static void
notify_send(const char *msg)
{
	(void)msg;
}

void
sd_notify_init(void)
{
	if (getenv("NOTIFY_SOCKET"))
		sd_log_warn("NOTIFY_SOCKET is set but this schemad was built without systemd "
			    "support: readiness will not be reported");
}

long long
sd_notify_watchdog_ms(void)
{
	return 0;
}
#endif

void
sd_notify_ready(void)
{
	notify_send("READY=1");
}

void
sd_notify_reloading(void)
{
	struct timespec ts;
	char msg[96];

	/* systemd >= 253 wants MONOTONIC_USEC with RELOADING=1; older ones ignore it. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
		 (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
	notify_send(msg);
}

void
sd_notify_stopping(void)
{
	notify_send("STOPPING=1");
}

void
sd_notify_watchdog(void)
{
	notify_send("WATCHDOG=1");
}

void
sd_notify_statusf(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "STATUS=");
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	notify_send(msg);
}
