/*
 * connectors/steps.c: the plan statement list the appliers share.
 */
#include "connectors/sd_steps.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *
sd_steps_skip_blank(const char *p, const char *end)
{
	while (p < end) {
		if (isspace((unsigned char)*p)) {
			p++;
		} else if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
			while (p < end && *p != '\n')
				p++;
		} else if (end - p >= 3 && p[0] == '/' && p[1] == '*' && p[2] != '!') {
			const char *q = p + 2;
			while (q + 1 < end && !(q[0] == '*' && q[1] == '/'))
				q++;
			p = q + 1 < end ? q + 2 : end;
		} else {
			break;
		}
	}
	return p;
}

void
sd_steps_add(sd_steps *steps, const char *p, const char *end, int phase)
{
	p = sd_steps_skip_blank(p, end);
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (end > p)
		sd_vec_push(steps, ((sd_step){p, (size_t)(end - p), phase}));
}

/* Appends the letters of [p, end) uppercased, comments and blanks left out. */
static size_t
squeeze(char *out, size_t cap, const char *p, const char *end)
{
	size_t n = 0;

	while ((p = sd_steps_skip_blank(p, end)) < end) {
		if (n + 1 >= cap)
			return cap; /* longer than any frame statement */
		out[n++] = (char)toupper((unsigned char)*p++);
	}
	out[n] = '\0';
	return n;
}

bool
sd_steps_is(const sd_step *s, const char *frame)
{
	char a[64], b[64];
	const char *end = s->sql + s->len;

	while (end > s->sql && (end[-1] == ';' || isspace((unsigned char)end[-1])))
		end--;
	if (squeeze(a, sizeof(a), s->sql, end) >= sizeof(a))
		return false;
	squeeze(b, sizeof(b), frame, frame + strlen(frame));
	return strcmp(a, b) == 0;
}

char *
sd_steps_text(const sd_step *s)
{
	char *t = sd_xmalloc(s->len + 1);

	memcpy(t, s->sql, s->len);
	t[s->len] = '\0';
	return t;
}
