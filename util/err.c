/* util/err.c: the caller-owned error object. */
#include "sd_util.h"

#include <stdio.h>
#include <string.h>

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
