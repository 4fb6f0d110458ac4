/*
 * util/sd_util.h: the few helpers everything uses.
 *
 * Error type (caller-owned, no globals), aborting allocators, a string
 * builder that never fails, a typed vector, an arena for snapshot-lifetime
 * data, and level-gated logging. Depends on nothing but libc.
 */
#ifndef SD_UTIL_H
#define SD_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* ---- errors ---------------------------------------------------------- */

enum {
	SD_OK = 0,
	SD_ERROR = -1,       /* generic failure */
	SD_ECONFIG = -2,     /* bad configuration or arguments */
	SD_ECONNECT = -3,    /* cannot open / reach a source */
	SD_EQUERY = -4,      /* a catalog read failed */
	SD_EUNSUPPORTED = -5,/* valid but not handled */
	SD_ETIMEOUT = -6,    /* a timeout fired */
	SD_EALERT = -7,      /* alert delivery failed */
	SD_EINPUT = -8,      /* malformed input file (snapshot, SQL) */
	SD_ELOCKED = -9,     /* waited too long on another session's lock: try again soon */
	SD_EAUTH = -10       /* the server refused the credentials */
};

/* Set by the innermost failing site; outer layers only prefix context. */
typedef struct sd_err {
	int code;
	char msg[512];
} sd_err;

/* Formats the message into err (if non-NULL) and returns code. */
int sd_err_set(sd_err *err, int code, const char *fmt, ...) SD_PRINTF(3, 4);
/* Prepends "context" to the existing message: "env prod: " + msg. */
void sd_err_prefix(sd_err *err, const char *fmt, ...) SD_PRINTF(2, 3);
void sd_err_clear(sd_err *err);

/* ---- allocation: out of memory aborts -------------------------------- */

void *sd_xmalloc(size_t n);
void *sd_xcalloc(size_t nmemb, size_t size);
void *sd_xrealloc(void *p, size_t n);
char *sd_xstrdup(const char *s);

/* ---- string builder -------------------------------------------------- */

/* Caller-owned; ptr is never NULL after sd_str_init, always NUL-terminated. */
typedef struct sd_str {
	char *ptr;
	size_t len, cap;
} sd_str;

void sd_str_init(sd_str *s);
void sd_str_dispose(sd_str *s);
void sd_str_clear(sd_str *s);
void sd_str_append(sd_str *s, const char *text);
void sd_str_appendn(sd_str *s, const char *text, size_t n);
void sd_str_appendc(sd_str *s, char c);
void sd_str_appendf(sd_str *s, const char *fmt, ...) SD_PRINTF(2, 3);
void sd_str_vappendf(sd_str *s, const char *fmt, va_list ap) SD_PRINTF(2, 0);
/* Returns the buffer (caller frees); s is left disposed (sd_str_init to reuse). */
char *sd_str_detach(sd_str *s);

/* ---- typed vector ---------------------------------------------------- */

#define SD_VEC(T)                                                                                  \
	struct {                                                                                   \
		T *ptr;                                                                            \
		size_t len, cap;                                                                   \
	}

void sd_vec__grow(void **ptr, size_t *cap, size_t elem, size_t need);

#define sd_vec_push(v, value)                                                                      \
	do {                                                                                       \
		if ((v)->len == (v)->cap)                                                          \
			sd_vec__grow((void **)&(v)->ptr, &(v)->cap, sizeof(*(v)->ptr),             \
				     (v)->len + 1);                                                \
		(v)->ptr[(v)->len++] = (value);                                                    \
	} while (0)

#define sd_vec_dispose(v)                                                                          \
	do {                                                                                       \
		free((v)->ptr);                                                                    \
		(v)->ptr = NULL;                                                                   \
		(v)->len = (v)->cap = 0;                                                           \
	} while (0)

#define sd_vec_foreach(v, it) for ((it) = (v)->ptr; (it) && (it) < (v)->ptr + (v)->len; (it)++)

/* ---- arena ----------------------------------------------------------- */

/*
 * Bump allocator: everything one snapshot owns lives here and is released
 * in one sd_arena_dispose. Built with SD_ARENA_DEBUG every allocation is a
 * separate malloc so AddressSanitizer stays precise.
 */
typedef struct sd_arena_block sd_arena_block;
typedef struct sd_arena {
	sd_arena_block *head;
} sd_arena;

void sd_arena_init(sd_arena *a);
void sd_arena_dispose(sd_arena *a);
void *sd_arena_alloc(sd_arena *a, size_t n); /* zeroed, 16-byte aligned */
char *sd_arena_strdup(sd_arena *a, const char *s); /* NULL stays NULL */
char *sd_arena_strndup(sd_arena *a, const char *s, size_t n);
char *sd_arena_printf(sd_arena *a, const char *fmt, ...) SD_PRINTF(2, 3);
/* Copies n elements of size elem into the arena (n == 0 gives NULL). */
void *sd_arena_memdup(sd_arena *a, const void *p, size_t n, size_t elem);

/* ---- logging --------------------------------------------------------- */

/* util/log.c: priority prefixes under journald, timestamps elsewhere, or JSON. */
enum { SD_LOG_ERROR = 3, SD_LOG_WARN = 4, SD_LOG_INFO = 6, SD_LOG_DEBUG = 7 };
/* The level is set on start and reload while workers log: an atomic, read relaxed. */
void sd_log_set_level(int level);
bool sd_log_enabled(int level);
enum { SD_LOG_TEXT, SD_LOG_JSON };
void sd_log_set_format(int format); /* SD_LOG_TEXT (default) or SD_LOG_JSON */
bool sd_log_to_journal(void);       /* stderr is the journal stream systemd named */
void sd_log__emit(int level, const char *fmt, ...) SD_PRINTF(2, 3);

#define sd_log_at(lvl, ...)                                                                        \
	do {                                                                                       \
		if (sd_log_enabled(lvl))                                                           \
			sd_log__emit((lvl), __VA_ARGS__);                                          \
	} while (0)
#define sd_log_error(...) sd_log_at(SD_LOG_ERROR, __VA_ARGS__)
#define sd_log_warn(...)  sd_log_at(SD_LOG_WARN, __VA_ARGS__)
#define sd_log_info(...)  sd_log_at(SD_LOG_INFO, __VA_ARGS__)
#define sd_log_debug(...) sd_log_at(SD_LOG_DEBUG, __VA_ARGS__)

/* ---- small helpers --------------------------------------------------- */

/* NULL-safe string equality and ordering (NULL sorts first). */
bool sd_streq(const char *a, const char *b);
int sd_strcmp_null(const char *a, const char *b);
/* Milliseconds on a clock no one sets (CLOCK_MONOTONIC): for durations and deadlines only. */
long long sd_mono_ms(void);
/* Reads a whole file into a NUL-terminated heap buffer (caller frees). */
int sd_read_file(char **out, size_t *len_out, const char *path, sd_err *err);

#endif
