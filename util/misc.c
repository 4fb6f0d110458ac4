/* util/misc.c: small string and file helpers. */
#include "sd_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

long long
sd_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
