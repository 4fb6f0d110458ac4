/* util/err.c: the caller-owned error object. */
#include "sd_util.h"

#include <stdio.h>
#include <string.h>

/*
 * Errors are one line (a log line, a stderr line): libraries' multi-line
 * messages (libpq's "...failed: ...\n\tIs the server running...?") become
 * "...failed: ...; Is the server running...?", a trailing newline goes.
 */
static void
one_line(char *msg, size_t size)
{
	char copy[sizeof(((sd_err *)0)->msg)];
	size_t w = 0;

	if (!strpbrk(msg, "\r\n"))
		return;
	snprintf(copy, sizeof(copy), "%s", msg);
	for (const char *r = copy; *r && w + 1 < size;) {
		if (*r != '\n' && *r != '\r') {
			msg[w++] = *r++;
			continue;
		}
		while (w > 0 && (msg[w - 1] == ' ' || msg[w - 1] == '\t'))
			w--;
		while (*r == '\n' || *r == '\r' || *r == ' ' || *r == '\t')
			r++;
		if (*r && w > 0 && w + 3 < size) {
			msg[w++] = ';';
			msg[w++] = ' ';
		}
	}
	msg[w] = '\0';
}

int
sd_err_set(sd_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	one_line(err->msg, sizeof(err->msg));
	return code;
}

void
sd_err_prefix(sd_err *err, const char *fmt, ...)
{
	char prefix[256];
	size_t np, no, room;
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	np = strlen(prefix);
	no = strlen(err->msg);
	room = sizeof(err->msg) - 1 - np; /* np < 256 < sizeof(msg) */
	if (no > room)
		no = room;
	memmove(err->msg + np, err->msg, no);
	memcpy(err->msg, prefix, np);
	err->msg[np + no] = '\0';
}

void
sd_err_clear(sd_err *err)
{
	if (!err)
		return;
	err->code = SD_OK;
	err->msg[0] = '\0';
}
