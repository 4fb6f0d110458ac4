/*
 * diff/fingerprint.c: a stable digest of a drift.
 *
 * SHA-256 (OpenSSL) over one line per change: kind, label and, for an
 * altered attribute, its before and after. The change list is in canonical
 * order, so the same drift gives the same fingerprint across runs and
 * restarts; alerting keys on it to fire once per change of state.
 */
#include "diff/sd_diff.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
append_item(sd_str *s, sd_arena *a, const sd_change *c)
{
	sd_str_appendf(s, "%s\t%s\t%d", c->kind, sd_change_label(a, c), c->risk);
	if (c->property)
		sd_str_appendf(s, "\t%s", c->property);
	sd_str_appendc(s, '\n');
}

static void
hex_digest(char out[SD_FINGERPRINT_LEN + 1], const char *text, size_t len)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(text, len, digest, &n, EVP_sha256(), NULL);
	out[0] = '\0';
	for (unsigned int i = 0; i < n && 2 * i + 2 <= SD_FINGERPRINT_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

void
sd_schema_fingerprint(char out[SD_FINGERPRINT_LEN + 1], const sd_schema *s)
{
	sd_schema unsourced = *s; /* a shallow view: the arena stays s's */
	char *json;

	unsourced.source = NULL;
	/* As version 1 wrote it, whatever the format's version now: the schema
	 * is the same, and a plan saved by an earlier schemad must still match. */
	json = sd_snapshot_write_as(&unsourced, 1);
	hex_digest(out, json, strlen(json));
	free(json);
}

void
sd_diff_fingerprint(char out[SD_FINGERPRINT_LEN + 1], const sd_diff *d)
{
	sd_arena a;
	sd_str s;

	out[0] = '\0';
	if (d->n_changes == 0)
		return;
	sd_arena_init(&a);
	sd_str_init(&s);
	for (size_t i = 0; i < d->n_changes; i++)
		append_item(&s, &a, &d->changes[i]);
	hex_digest(out, s.ptr, s.len);
	sd_str_dispose(&s);
	sd_arena_dispose(&a);
}
