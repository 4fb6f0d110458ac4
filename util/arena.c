/*
 * util/arena.c: a bump allocator for data that lives as long as one
 * schema snapshot. Blocks are chained and released together.
 */
#include "sd_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sd_arena_block {
	sd_arena_block *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

#define BLOCK_SIZE (64 * 1024)

void
sd_arena_init(sd_arena *a)
{
	a->head = NULL;
}

void
sd_arena_dispose(sd_arena *a)
{
	sd_arena_block *b = a->head, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

static sd_arena_block *
new_block(sd_arena *a, size_t cap)
{
	sd_arena_block *b = sd_xmalloc(sizeof(*b) + cap);

	b->used = 0;
	b->cap = cap;
	b->next = a->head;
	a->head = b;
	return b;
}

void *
sd_arena_alloc(sd_arena *a, size_t n)
{
	sd_arena_block *b = a->head;
	void *p;

	n = (n + 15) & ~(size_t)15;
#ifdef SD_ARENA_DEBUG
	b = NULL;
#endif
	if (!b || b->cap - b->used < n) {
#ifdef SD_ARENA_DEBUG
		b = new_block(a, n);
#else
		if (n > BLOCK_SIZE / 4) {
			/* A large request gets its own block, kept behind the current one. */
			sd_arena_block *cur = a->head;
			b = new_block(a, n);
			if (cur) {
				a->head = cur;
				b->next = cur->next;
				cur->next = b;
			}
		} else {
			b = new_block(a, BLOCK_SIZE);
		}
#endif
	}
	p = b->data + b->used;
	b->used += n;
	return memset(p, 0, n);
}

char *
sd_arena_strndup(sd_arena *a, const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	p = sd_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
sd_arena_strdup(sd_arena *a, const char *s)
{
	return s ? sd_arena_strndup(a, s, strlen(s)) : NULL;
}

char *
sd_arena_printf(sd_arena *a, const char *fmt, ...)
{
	va_list ap;
	sd_str s;
	char *p;

	sd_str_init(&s);
	va_start(ap, fmt);
	sd_str_vappendf(&s, fmt, ap);
	va_end(ap);
	p = sd_arena_strndup(a, s.ptr, s.len);
	sd_str_dispose(&s);
	return p;
}

void *
sd_arena_memdup(sd_arena *a, const void *p, size_t n, size_t elem)
{
	if (n == 0)
		return NULL;
	return memcpy(sd_arena_alloc(a, n * elem), p, n * elem);
}
