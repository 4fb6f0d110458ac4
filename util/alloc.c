/*
 * util/alloc.c: allocators that abort on out-of-memory.
 *
 * schemad is an application: a NULL check after every allocation buys
 * nothing, and systemd's Restart=on-failure is the safety net.
 */
#include "sd_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
oom(size_t n)
{
	fprintf(stderr, "schemad: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
sd_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *
sd_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		oom(nmemb * size);
	return p;
}

void *
sd_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

char *
sd_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(sd_xmalloc(n), s, n);
}

void
sd_vec__grow(void **ptr, size_t *cap, size_t elem, size_t need)
{
	size_t ncap = *cap ? *cap * 2 : 8;

	while (ncap < need)
		ncap *= 2;
	*ptr = sd_xrealloc(*ptr, ncap * elem);
	*cap = ncap;
}
