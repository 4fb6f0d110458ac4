/* util/str.c: the growable string builder. Appends cannot fail (OOM aborts). */
#include "sd_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sd_str_init(sd_str *s)
{
	s->cap = 64;
	s->len = 0;
	s->ptr = sd_xmalloc(s->cap);
	s->ptr[0] = '\0';
}

void
sd_str_dispose(sd_str *s)
{
	free(s->ptr);
	s->ptr = NULL;
	s->len = s->cap = 0;
}

void
sd_str_clear(sd_str *s)
{
	s->len = 0;
	s->ptr[0] = '\0';
}

static void
reserve(sd_str *s, size_t extra)
{
	size_t need = s->len + extra + 1;

	if (need <= s->cap)
		return;
	while (s->cap < need)
		s->cap *= 2;
	s->ptr = sd_xrealloc(s->ptr, s->cap);
}

void
sd_str_appendn(sd_str *s, const char *text, size_t n)
{
	reserve(s, n);
	memcpy(s->ptr + s->len, text, n);
	s->len += n;
	s->ptr[s->len] = '\0';
}

void
sd_str_append(sd_str *s, const char *text)
{
	sd_str_appendn(s, text, strlen(text));
}

void
sd_str_appendc(sd_str *s, char c)
{
	sd_str_appendn(s, &c, 1);
}

void
sd_str_vappendf(sd_str *s, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(s->ptr + s->len, s->cap - s->len, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	if ((size_t)n >= s->cap - s->len) {
		reserve(s, (size_t)n);
		vsnprintf(s->ptr + s->len, s->cap - s->len, fmt, ap);
	}
	s->len += (size_t)n;
}

void
sd_str_appendf(sd_str *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sd_str_vappendf(s, fmt, ap);
	va_end(ap);
}

char *
sd_str_detach(sd_str *s)
{
	char *p = s->ptr;

	s->ptr = NULL;
	s->len = s->cap = 0;
	return p;
}
