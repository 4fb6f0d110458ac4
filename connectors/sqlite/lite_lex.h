/*
 * connectors/sqlite/lite_lex.h: a tokenizer for SQLite's SQL dialect.
 *
 * Used to read what the pragmas do not expose (CHECK constraints,
 * constraint names, collations, generation expressions, index
 * expressions) from the CREATE text kept in sqlite_schema, and to render
 * expressions in a canonical spelling so that `a+b`, `A + B` and
 * `"a" + b` compare equal.
 */
#ifndef SD_LITE_LEX_H
#define SD_LITE_LEX_H

#include "util/sd_util.h"

typedef enum lite_tok_type {
	LT_WORD,   /* bare identifier or keyword */
	LT_QIDENT, /* "x", [x] or `x` */
	LT_STRING, /* 'x' */
	LT_NUMBER,
	LT_BLOB,   /* x'..' */
	LT_PARAM,  /* ?, :x, @x, $x */
	LT_PUNCT,  /* ( ) , ; . */
	LT_OP      /* everything else */
} lite_tok_type;

typedef struct lite_tok {
	lite_tok_type type;
	const char *p; /* into the source text */
	size_t n;
} lite_tok;

typedef struct lite_toks {
	lite_tok *v;
	size_t n;
} lite_toks;

/* Tokenizes sql (comments dropped). Caller frees toks->v. Never fails. */
void sd_lite__lex(lite_toks *toks, const char *sql);

/* True when t is the bare word w, compared ASCII case-insensitively. */
bool sd_lite__is(const lite_tok *t, const char *w);
bool sd_lite__is_punct(const lite_tok *t, char c);

/* Appends the unquoted content of a token ("" undoubled), case kept. */
void sd_lite__unquote(sd_str *out, const lite_tok *t);

/* The identifier a token names (unquoted, "" undoubled, ASCII-lowercased). */
char *sd_lite__ident(sd_arena *a, const lite_tok *t);

/* Appends the canonical spelling of tokens [from, to) to out. */
void sd_lite__canon(sd_str *out, const lite_tok *t, size_t from, size_t to);
char *sd_lite__canon_dup(sd_arena *a, const lite_tok *t, size_t from, size_t to);

/* Index just past the parenthesis group opening at i (t[i] is "("). */
size_t sd_lite__skip_group(const lite_toks *toks, size_t i);

/* Appends id to s as a SQLite quoted identifier: "..." with " doubled. */
void sd_lite_quote_ident(sd_str *s, const char *id);

#endif
