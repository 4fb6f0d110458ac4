/* util/misc.c: logging and small string/file helpers. */
#include "sd_util.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_int log_level = SD_LOG_INFO;

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
sd_log__emit(int level, const char *fmt, ...)
{
	static const char *names[] = {[SD_LOG_ERROR] = "error", [SD_LOG_WARN] = "warning",
				      [SD_LOG_INFO] = "info", [SD_LOG_DEBUG] = "debug"};
	va_list ap;
	sd_str line;

	/* One write per line so concurrent workers never interleave mid-line. */
	sd_str_init(&line);
	sd_str_appendf(&line, "<%d>schemad: %s: ", level, names[level] ? names[level] : "log");
	va_start(ap, fmt);
	sd_str_vappendf(&line, fmt, ap);
	va_end(ap);
	sd_str_appendc(&line, '\n');
	fputs(line.ptr, stderr);
	sd_str_dispose(&line);
}

bool
sd_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

int
sd_strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

int
sd_read_file(char **out, size_t *len_out, const char *path, sd_err *err)
{
	FILE *f = fopen(path, "rb");
	sd_str buf;
	char chunk[65536];
	size_t n;

	*out = NULL;
	if (!f)
		return sd_err_set(err, SD_EINPUT, "%s: %s", path, strerror(errno));
	sd_str_init(&buf);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sd_str_appendn(&buf, chunk, n);
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		sd_str_dispose(&buf);
		return sd_err_set(err, SD_EINPUT, "%s: %s", path, strerror(e));
	}
	fclose(f);
	if (len_out)
		*len_out = buf.len;
	*out = sd_str_detach(&buf);
	return SD_OK;
}
