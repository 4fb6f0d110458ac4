/*
 * util/log.c: one line per event on stderr, in the shape its reader wants.
 *
 * - Under systemd (stderr is the journal stream JOURNAL_STREAM names), each
 *   line starts with its sd-daemon priority, "<6>", which journald turns
 *   into the entry's PRIORITY; the journal has its own timestamps.
 * - Anywhere else (a terminal, a file, a container log) a line starts with
 *   its time, "2026-11-30T13:55:02.123Z info: ...", and carries no "<6>".
 * - log_format: json writes one JSON object per line for log shippers:
 *   {"time", "level", "pair" (when the message is about one), "message"},
 *   still behind the priority prefix under journald.
 * Each line is one write, so concurrent workers never interleave mid-line.
 */
#include "sd_util.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Set on start and reload while workers log: atomics, read relaxed. */
static atomic_int log_level = SD_LOG_INFO;
static atomic_int log_format = SD_LOG_TEXT;
static pthread_once_t journal_once = PTHREAD_ONCE_INIT;
static bool to_journal;

/* systemd's documented test: JOURNAL_STREAM is "DEV:INODE" of our stderr. */
static void
detect_journal(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	to_journal = v && sscanf(v, "%llu:%llu", &dev, &ino) == 2 &&
	             fstat(STDERR_FILENO, &st) == 0 && (unsigned long long)st.st_dev == dev &&
	             (unsigned long long)st.st_ino == ino;
}

void
sd_log_set_level(int level)
{
	atomic_store_explicit(&log_level, level, memory_order_relaxed);
}

bool
sd_log_enabled(int level)
{
	return atomic_load_explicit(&log_level, memory_order_relaxed) >= level;
}

void
sd_log_set_format(int format)
{
	atomic_store_explicit(&log_format, format, memory_order_relaxed);
}

bool
sd_log_to_journal(void)
{
	pthread_once(&journal_once, detect_journal);
	return to_journal;
}

static const char *
level_name(int level)
{
	switch (level) {
	case SD_LOG_ERROR:
		return "error";
	case SD_LOG_WARN:
		return "warning";
	case SD_LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

/* "2026-11-30T13:55:02.123Z" (UTC: the same for every reader). */
static void
append_time(sd_str *line)
{
	struct timespec ts;
	struct tm tm;
	char buf[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	sd_str_appendf(line, "%s.%03ldZ", buf, ts.tv_nsec / 1000000);
}

/* text as a JSON string body: quotes, backslashes and control bytes escaped. */
static void
append_json_text(sd_str *line, const char *text, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (ch == '"' || ch == '\\')
			sd_str_appendf(line, "\\%c", ch);
		else if (ch < 0x20)
			sd_str_appendf(line, "\\u%04x", ch);
		else
			sd_str_appendc(line, (char)ch);
	}
}

static void
append_json(sd_str *line, int level, const char *msg)
{
	const char *end;

	sd_str_append(line, "{\"time\":\"");
	append_time(line);
	sd_str_appendf(line, "\",\"level\":\"%s\",", level_name(level));
	/* The daemon writes "[pair] ..." about one pair: a field to filter on. */
	if (msg[0] == '[' && (end = strstr(msg, "] ")) != NULL) {
		sd_str_append(line, "\"pair\":\"");
		append_json_text(line, msg + 1, (size_t)(end - msg - 1));
		sd_str_append(line, "\",");
	}
	sd_str_append(line, "\"message\":\"");
	append_json_text(line, msg, strlen(msg));
	sd_str_append(line, "\"}");
}

void
sd_log__emit(int level, const char *fmt, ...)
{
	sd_str msg, line;
	va_list ap;

	sd_str_init(&msg);
	va_start(ap, fmt);
	sd_str_vappendf(&msg, fmt, ap);
	va_end(ap);
	sd_str_init(&line);
	if (sd_log_to_journal())
		sd_str_appendf(&line, "<%d>", level);
	if (atomic_load_explicit(&log_format, memory_order_relaxed) == SD_LOG_JSON) {
		append_json(&line, level, msg.ptr);
	} else {
		if (!sd_log_to_journal()) {
			append_time(&line);
			sd_str_appendc(&line, ' ');
		}
		sd_str_appendf(&line, "%s: %s", level_name(level), msg.ptr);
	}
	sd_str_appendc(&line, '\n');
	fputs(line.ptr, stderr);
	sd_str_dispose(&line);
	sd_str_dispose(&msg);
}
