/*
 * connectors/mssql/ms_lex.h: a tokenizer for T-SQL scripts.
 *
 * Splits a script into tokens with their line numbers, marks the batch
 * separator (GO alone on its line, as sqlcmd and SSMS read it), and
 * renders token ranges in a canonical spelling so that module bodies
 * written with other case, quoting and spacing compare equal.
 */
#ifndef SD_MS_LEX_H
#define SD_MS_LEX_H

#include "util/sd_util.h"

typedef enum ms_tok_type {
	MT_WORD,   /* bare identifier or keyword */
	MT_QIDENT, /* [x] or "x" */
	MT_STRING, /* 'x' or N'x' */
	MT_NUMBER, /* 12, 1.5, 1e3, 0x1F */
	MT_VAR,    /* @x, @@x */
	MT_PUNCT,  /* ( ) , ; . */
	MT_OP,     /* everything else: = <> >= + - * / % ... */
	MT_GO      /* the batch separator */
} ms_tok_type;

typedef struct ms_tok {
	ms_tok_type type;
	const char *p; /* into the source text */
	size_t n;
	int line; /* 1-based */
} ms_tok;

typedef struct ms_toks {
	ms_tok *v;
	size_t n;
} ms_toks;

/*
 * Tokenizes text (comments dropped). Caller frees toks->v. Returns false
 * with *bad_line set when a quote or comment is never closed.
 */
bool sd_ms__lex(ms_toks *toks, const char *text, int *bad_line);

/* True when t is the bare word w (ASCII case-insensitive). */
bool sd_ms__is(const ms_tok *t, const char *w);
bool sd_ms__is_punct(const ms_tok *t, char c);
bool sd_ms__is_op(const ms_tok *t, const char *op);
/* True for T-SQL reserved words and the words this reader treats as syntax. */
bool sd_ms__is_keyword(const char *p, size_t n);
/* True for the reserved ones only: those a bare name cannot be. */
bool sd_ms__is_reserved(const char *p, size_t n);

/* Appends the unquoted content of an identifier or string token, case kept. */
void sd_ms__unquote(sd_str *out, const ms_tok *t);
/* The identifier a token names, unquoted, case kept, in arena a. */
char *sd_ms__ident(sd_arena *a, const ms_tok *t);

/* Canonical spelling of tokens [from, to): case, quoting and spacing fixed. */
void sd_ms__canon(sd_str *out, const ms_tok *t, size_t from, size_t to);
char *sd_ms__canon_dup(sd_arena *a, const ms_tok *t, size_t from, size_t to);

/* Index just past the parenthesis group opening at i (t[i] is "("), or n. */
size_t sd_ms__skip_group(const ms_tok *t, size_t n, size_t i);

/* Appends id as a bracket-quoted T-SQL identifier: [a]]b]. */
void sd_ms_quote_ident(sd_str *s, const char *id);
/* Appends text as an N'...' literal with quotes doubled. */
void sd_ms__quote_literal(sd_str *s, const char *text);

#endif
