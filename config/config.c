/*
 * config/config.c: load schemad.yml with libyaml's document API.
 *
 * Keys are declared once per section in a table with their type, the
 * field they fill and a default; defaults go through the same setters as
 * the file's values, so they are validated too (pgbouncer's CfKey). Unknown
 * keys are errors. Every error names file:line:column (libyaml marks are
 * 0-based, printed +1) and the key's path, and loading goes on to report
 * up to MAX_ERRORS of them at once.
 */
#include "config/sd_config.h"

#include "util/sd_url.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#define MAX_ERRORS 20

typedef enum key_type {
	K_STRING,   /* ${ENV} interpolated */
	K_SECRET,   /* like K_STRING; marks the file as holding secrets when literal */
	K_FILE,     /* a path whose content (trailing newline cut) is the value */
	K_DURATION, /* long long milliseconds, more than 0 */
	K_DELAY,    /* long long milliseconds, 0 allowed */
	K_WORKERS,  /* int 1..64 */
	K_COUNT,    /* int 1..1000000 */
	K_LOGLEVEL, /* int SD_LOG_* */
	K_BAND,     /* sd_band */
	K_LIST,     /* const char ** + size_t count at off2 */
	K_OVERRIDES /* sd_risk_override * + size_t count at off2 */
} key_type;

typedef struct key {
	const char *name;
	key_type type;
	size_t off, off2;
	const char *def; /* default, or NULL */
	bool required;
	const char *same_as; /* K_FILE: the key it stands in for */
} cfg_key;

typedef struct loader {
	const char *path;
	yaml_document_t doc;
	sd_config *c;
	sd_str *errors, *warnings;
	const sd_cfg_engines *engines;
	int n_errors;
	char where[128]; /* "pairs[1]" */
} loader;

static void err_at(loader *L, const yaml_node_t *n, const char *key, const char *fmt, ...)
	SD_PRINTF(4, 5);

static void
err_at(loader *L, const yaml_node_t *n, const char *key, const char *fmt, ...)
{
	va_list ap;
	size_t start = L->errors->len;

	if (++L->n_errors > MAX_ERRORS)
		return;
	if (n)
		sd_str_appendf(L->errors, "%s:%lu:%lu: ", L->path, (unsigned long)n->start_mark.line + 1,
			       (unsigned long)n->start_mark.column + 1);
	else
		sd_str_appendf(L->errors, "%s: ", L->path);
	if (*L->where || key)
		sd_str_appendf(L->errors, "%s%s%s: ", L->where, *L->where && key ? "." : "",
			       key ? key : "");
	va_start(ap, fmt);
	sd_str_vappendf(L->errors, fmt, ap);
	va_end(ap);
	/* One error, one line: a key or value quoted from the file may hold line breaks. */
	for (size_t i = start; i < L->errors->len; i++)
		if (L->errors->ptr[i] == '\n' || L->errors->ptr[i] == '\r')
			L->errors->ptr[i] = ' ';
	sd_str_appendc(L->errors, '\n');
}

static const char *
node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

static const char *
scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* ---- values ---------------------------------------------------------- */

bool
sd_cfg_parse_duration(const char *text, long long *ms_out)
{
	static const struct {
		const char *unit;
		long long ms;
	} units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
	/* A year is plenty: anything longer is a typo, and would overflow below. */
	const long long limit = 366LL * 86400000;
	long long total = 0;
	const char *s = text;

	if (!*s)
		return false;
	while (*s) {
		char *end;
		long long v;
		size_t k;
		if (!isdigit((unsigned char)*s))
			return false;
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno || v > limit)
			return false;
		for (k = 0; k < sizeof(units) / sizeof(*units); k++)
			if (strncmp(end, units[k].unit, strlen(units[k].unit)) == 0)
				break;
		if (k == sizeof(units) / sizeof(*units))
			return false;
		total += v * units[k].ms; /* v <= limit and ms <= 1 day: no overflow */
		if (total > limit)
			return false;
		s = end + strlen(units[k].unit);
	}
	*ms_out = total;
	return true;
}

/* Replaces ${NAME} with the environment's value; "$$" is a literal "$". */
static const char *
interpolate(loader *L, const yaml_node_t *n, const char *key, const char *text, bool *used_env)
{
	sd_str s;
	const char *out;

	sd_str_init(&s);
	for (const char *p = text; *p; p++) {
		if (p[0] == '$' && p[1] == '$') {
			sd_str_appendc(&s, '$');
			p++;
		} else if (p[0] == '$' && p[1] == '{') {
			const char *end = strchr(p, '}'), *val;
			char name[128];
			if (!end || (size_t)(end - p - 2) >= sizeof(name) || end == p + 2) {
				err_at(L, n, key, "unterminated or empty ${...}");
				break;
			}
			memcpy(name, p + 2, (size_t)(end - p - 2));
			name[end - p - 2] = '\0';
			val = getenv(name);
			if (!val) {
				err_at(L, n, key, "environment variable %s is not set", name);
				break;
			}
			sd_str_append(&s, val);
			*used_env = true;
			p = end;
		} else {
			sd_str_appendc(&s, *p);
		}
	}
	out = sd_arena_strndup(&L->c->arena, s.ptr, s.len);
	sd_str_dispose(&s);
	return out;
}

static bool
want_scalar(loader *L, const yaml_node_t *n, const cfg_key *k)
{
	if (n->type == YAML_SCALAR_NODE)
		return true;
	err_at(L, n, k->name, "expected a %s, got %s",
	       k->type == K_DURATION || k->type == K_DELAY ? "duration"
	       : k->type == K_WORKERS || k->type == K_COUNT ? "number"
							  : "string",
	       node_kind(n));
	return false;
}

static const char *
read_secret_file(loader *L, const yaml_node_t *n, const cfg_key *k, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	sd_err e = {0};
	const char *out;

	if (sd_read_file(&text, &len, path, &e)) {
		err_at(L, n, k->name, "cannot read %s", e.msg); /* e.msg: "path: reason" */
		return NULL;
	}
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	out = sd_arena_strndup(&L->c->arena, text, len);
	free(text);
	return out;
}

static void
set_list(loader *L, const yaml_node_t *n, const cfg_key *k, char *base)
{
	const char ***v = (const char ***)(base + k->off);
	size_t *count = (size_t *)(base + k->off2);
	yaml_node_item_t *it;
	size_t i = 0;

	if (n->type == YAML_SCALAR_NODE) { /* one item may be written bare */
		*v = sd_arena_alloc(&L->c->arena, sizeof(char *));
		(*v)[0] = sd_arena_strdup(&L->c->arena, scalar(n));
		*count = 1;
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		err_at(L, n, k->name, "expected a list of strings, got %s", node_kind(n));
		return;
	}
	*count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	*v = sd_arena_alloc(&L->c->arena, (*count + 1) * sizeof(char *));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++, i++) {
		yaml_node_t *item = yaml_document_get_node(&L->doc, *it);
		if (item->type != YAML_SCALAR_NODE) {
			err_at(L, item, k->name, "expected a string, got %s", node_kind(item));
			continue;
		}
		(*v)[i] = sd_arena_strdup(&L->c->arena, scalar(item));
	}
}

static void
set_overrides(loader *L, const yaml_node_t *n, const cfg_key *k, char *base)
{
	sd_risk_override **v = (sd_risk_override **)(base + k->off);
	size_t *count = (size_t *)(base + k->off2);
	yaml_node_pair_t *p;

	if (n->type != YAML_MAPPING_NODE) {
		err_at(L, n, k->name, "expected a mapping of change kind to score, got %s",
		       node_kind(n));
		return;
	}
	*v = sd_arena_alloc(&L->c->arena,
			    (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start + 1) *
				    sizeof(**v));
	*count = 0;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(&L->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(&L->doc, p->value);
		sd_risk_override ov;
		sd_err e = {0};
		char text[160];
		if (kn->type != YAML_SCALAR_NODE || vn->type != YAML_SCALAR_NODE) {
			err_at(L, kn, k->name, "expected KIND: SCORE");
			continue;
		}
		snprintf(text, sizeof(text), "%s=%s", scalar(kn), scalar(vn));
		if (!sd_risk_override_parse(&ov, text, &e)) {
			err_at(L, kn, k->name, "%s", e.msg);
			continue;
		}
		(*v)[(*count)++] = ov;
	}
}

static int
log_level_from(const char *s)
{
	static const struct {
		const char *name;
		int level;
	} levels[] = {{"error", SD_LOG_ERROR}, {"warning", SD_LOG_WARN}, {"warn", SD_LOG_WARN},
		      {"info", SD_LOG_INFO},   {"debug", SD_LOG_DEBUG}};

	for (size_t i = 0; i < sizeof(levels) / sizeof(*levels); i++)
		if (strcmp(levels[i].name, s) == 0)
			return levels[i].level;
	return -1;
}

/* Whether a literal value written in the file is a secret worth protecting. */
/* Whether a literal value written in the file is a secret worth protecting. */
static bool
looks_secret(const char *key_name, const char *text)
{
	if (!*text)
		return false;
	if (strcmp(key_name, "password") == 0 || strcmp(key_name, "secret") == 0)
		return true;
	if (strncmp(text, "https://hooks.slack.com/", 24) == 0)
		return true; /* the URL is the credential */
	return sd_url_has_password(text);
}

/* Sets one key from a scalar text (a default, or the file's value). */
static void
set_text(loader *L, const yaml_node_t *n, const cfg_key *k, char *base, const char *raw)
{
	bool used_env = false;
	const char *text = interpolate(L, n, k->name, raw, &used_env);
	long long ms;
	char *end;
	long v;

	if (k->required && !*text && (k->type == K_STRING || k->type == K_SECRET)) {
		err_at(L, n, k->name, "must not be empty");
		return;
	}
	switch (k->type) {
	case K_SECRET:
		if (!used_env && looks_secret(k->name, text))
			L->c->holds_secrets = true;
		__attribute__((fallthrough)); /* a secret is stored as a string */
	case K_STRING:
		*(const char **)(base + k->off) = text;
		return;
	case K_FILE:
		*(const char **)(base + k->off) = read_secret_file(L, n, k, text);
		return;
	case K_DURATION:
	case K_DELAY:
		if (!sd_cfg_parse_duration(text, &ms))
			err_at(L, n, k->name, "\"%s\" is not a duration (like 30s, 5m, 1h)", text);
		else if (ms == 0 && k->type == K_DURATION)
			err_at(L, n, k->name, "must be longer than 0");
		else
			*(long long *)(base + k->off) = ms;
		return;
	case K_WORKERS:
		v = strtol(text, &end, 10);
		if (end == text || *end || v < 1 || v > 64)
			err_at(L, n, k->name, "expected a number from 1 to 64, got \"%s\"", text);
		else
			*(int *)(base + k->off) = (int)v;
		return;
	case K_COUNT:
		v = strtol(text, &end, 10);
		if (end == text || *end || v < 1 || v > 1000000)
			err_at(L, n, k->name, "expected a number from 1 to 1000000, got \"%s\"",
			       text);
		else
			*(int *)(base + k->off) = (int)v;
		return;
	case K_LOGLEVEL:
		if ((v = log_level_from(text)) < 0)
			err_at(L, n, k->name, "expected error, warning, info or debug, got \"%s\"",
			       text);
		else
			*(int *)(base + k->off) = (int)v;
		return;
	case K_BAND:
		if ((v = sd_band_from_name(text)) == SD_BAND_NONE)
			err_at(L, n, k->name, "expected low, medium, high or critical, got \"%s\"",
			       text);
		else
			*(sd_band *)(base + k->off) = (sd_band)v;
		return;
	case K_LIST:
	case K_OVERRIDES:
		return; /* structured: never from text */
	}
}

static void
set_value(loader *L, const yaml_node_t *n, const cfg_key *k, char *base)
{
	if (k->type == K_LIST)
		set_list(L, n, k, base);
	else if (k->type == K_OVERRIDES)
		set_overrides(L, n, k, base);
	else if (want_scalar(L, n, k))
		set_text(L, n, k, base, scalar(n));
}

/* ---- sections -------------------------------------------------------- */

/* Fills base from mapping n by the key table; reports unknown and missing keys. */
static void
load_mapping(loader *L, const yaml_node_t *n, const cfg_key *keys, char *base)
{
	bool seen[32] = {false};
	yaml_node_pair_t *p;

	for (size_t i = 0; keys[i].name; i++)
		if (keys[i].def)
			set_text(L, NULL, &keys[i], base, keys[i].def);
	if (n->type != YAML_MAPPING_NODE) {
		err_at(L, n, NULL, "expected a mapping, got %s", node_kind(n));
		return;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(&L->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(&L->doc, p->value);
		size_t i;
		if (kn->type != YAML_SCALAR_NODE) {
			err_at(L, kn, NULL, "keys must be strings");
			continue;
		}
		for (i = 0; keys[i].name && strcmp(keys[i].name, scalar(kn)) != 0; i++)
			;
		if (!keys[i].name) {
			err_at(L, kn, NULL, "unknown key \"%s\"", scalar(kn));
			continue;
		}
		if (seen[i]) {
			err_at(L, kn, NULL, "key \"%s\" given twice", scalar(kn));
			continue;
		}
		seen[i] = true;
		set_value(L, vn, &keys[i], base);
	}
	for (size_t i = 0; keys[i].name; i++) {
		bool given = seen[i];
		/* A *_file key stands in for the key it names. */
		for (size_t j = 0; keys[j].name; j++)
			if (keys[j].same_as && strcmp(keys[j].same_as, keys[i].name) == 0 && seen[j])
				given = true;
		if (keys[i].required && !given)
			err_at(L, n, NULL, "missing required key \"%s\"", keys[i].name);
	}
}

#define OFF(T, f) offsetof(T, f)

static const cfg_key env_keys[] = {
	{"name", K_STRING, OFF(sd_cfg_env, name), 0, NULL, true, NULL},
	{"engine", K_STRING, OFF(sd_cfg_env, engine), 0, NULL, false, NULL},
	{"url", K_SECRET, OFF(sd_cfg_env, url), 0, NULL, true, NULL},
	{"password", K_SECRET, OFF(sd_cfg_env, password), 0, NULL, false, NULL},
	{"password_file", K_FILE, OFF(sd_cfg_env, password), 0, NULL, false, "password"},
	{NULL, 0, 0, 0, NULL, false, NULL},
};

static const cfg_key pair_keys[] = {
	{"name", K_STRING, OFF(sd_cfg_pair, name), 0, NULL, true, NULL},
	{"reference", K_STRING, OFF(sd_cfg_pair, reference), 0, NULL, true, NULL},
	{"target", K_STRING, OFF(sd_cfg_pair, target), 0, NULL, true, NULL},
	{"interval", K_DURATION, OFF(sd_cfg_pair, interval_ms), 0, "5m", false, NULL},
	{"include", K_LIST, OFF(sd_cfg_pair, include), OFF(sd_cfg_pair, n_include), NULL, false, NULL},
	{"exclude", K_LIST, OFF(sd_cfg_pair, exclude), OFF(sd_cfg_pair, n_exclude), NULL, false, NULL},
	{"ignore", K_LIST, OFF(sd_cfg_pair, ignore), OFF(sd_cfg_pair, n_ignore), NULL, false, NULL},
	{"risk_overrides", K_OVERRIDES, OFF(sd_cfg_pair, overrides), OFF(sd_cfg_pair, n_overrides),
	 NULL, false, NULL},
	{"compare", K_LIST, OFF(sd_cfg_pair, compare), OFF(sd_cfg_pair, n_compare), NULL, false, NULL},
	{"alerts", K_LIST, OFF(sd_cfg_pair, alerts), OFF(sd_cfg_pair, n_alerts), NULL, false, NULL},
	/* No defaults: a pair without them takes the root's (resolve_pair_grace). */
	{"grace", K_DELAY, OFF(sd_cfg_pair, grace_ms), 0, NULL, false, NULL},
	{"grace_checks", K_COUNT, OFF(sd_cfg_pair, grace_checks), 0, NULL, false, NULL},
	{NULL, 0, 0, 0, NULL, false, NULL},
};

static const cfg_key sink_keys[] = {
	{"name", K_STRING, OFF(sd_cfg_sink, name), 0, NULL, true, NULL},
	{"type", K_STRING, OFF(sd_cfg_sink, type), 0, NULL, true, NULL},
	{"url", K_SECRET, OFF(sd_cfg_sink, url), 0, NULL, false, NULL},
	{"url_file", K_FILE, OFF(sd_cfg_sink, url), 0, NULL, false, "url"},
	{"secret", K_SECRET, OFF(sd_cfg_sink, secret), 0, NULL, false, NULL},
	{"secret_file", K_FILE, OFF(sd_cfg_sink, secret), 0, NULL, false, "secret"},
	{"command", K_STRING, OFF(sd_cfg_sink, command), 0, NULL, false, NULL},
	{"min_risk", K_BAND, OFF(sd_cfg_sink, min_risk), 0, "low", false, NULL},
	{"events", K_LIST, OFF(sd_cfg_sink, events), OFF(sd_cfg_sink, n_events), NULL, false, NULL},
	{NULL, 0, 0, 0, NULL, false, NULL},
};

static const cfg_key timeout_keys[] = {
	{"connect", K_DURATION, OFF(sd_config, connect_timeout_ms), 0, "10s", false, NULL},
	{"statement", K_DURATION, OFF(sd_config, statement_timeout_ms), 0, "30s", false, NULL},
	{"lock", K_DURATION, OFF(sd_config, lock_timeout_ms), 0, "2s", false, NULL},
	{NULL, 0, 0, 0, NULL, false, NULL},
};

/* Root keys whose values are sections are handled by name in load_root. */
static const cfg_key root_keys[] = {
	{"state_path", K_STRING, OFF(sd_config, state_path), 0, "/var/lib/schemad/state.db", false,
	 NULL},
	{"workers", K_WORKERS, OFF(sd_config, workers), 0, "4", false, NULL},
	{"log_level", K_LOGLEVEL, OFF(sd_config, log_level), 0, "info", false, NULL},
	{"log_format", K_STRING, OFF(sd_config, log_format), 0, "text", false, NULL},
	{"jitter", K_DELAY, OFF(sd_config, jitter_ms), 0, "5s", false, NULL},
	{"grace", K_DELAY, OFF(sd_config, grace_ms), 0, "0s", false, NULL},
	{"grace_checks", K_COUNT, OFF(sd_config, grace_checks), 0, "1", false, NULL},
	{"retention", K_DELAY, OFF(sd_config, retention_ms), 0, "30d", false, NULL},
	{"alert_retry_min", K_DURATION, OFF(sd_config, alert_retry_min_ms), 0, "2s", false, NULL},
	{"alert_retry_max", K_DURATION, OFF(sd_config, alert_retry_max_ms), 0, "10m", false, NULL},
	{"alert_give_up_after", K_DURATION, OFF(sd_config, alert_give_up_after_ms), 0, "24h", false,
	 NULL},
	{"alert_timeout", K_DURATION, OFF(sd_config, alert_timeout_ms), 0, "10s", false, NULL},
	{NULL, 0, 0, 0, NULL, false, NULL},
};

static const cfg_key http_keys[] = {
	{"listen", K_STRING, OFF(sd_config, http.listen), 0, NULL, true, NULL},
	{"token_file", K_FILE, OFF(sd_config, http.token), 0, NULL, false, NULL},
	{NULL, 0, 0, 0, NULL, false, NULL},
};

typedef void (*item_fn)(loader *L, yaml_node_t *n, void *item);

/* Loads a list section (environments, pairs, alerts) into an arena array. */
static void *
load_list(loader *L, yaml_node_t *n, const char *section, size_t elem, size_t line_off,
	  size_t *count, const cfg_key *keys)
{
	yaml_node_item_t *it;
	char *items;
	size_t i = 0;

	*count = 0;
	if (n->type != YAML_SEQUENCE_NODE) {
		err_at(L, n, section, "expected a list, got %s", node_kind(n));
		return NULL;
	}
	*count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	items = sd_arena_alloc(&L->c->arena, (*count + 1) * elem);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++, i++) {
		yaml_node_t *item = yaml_document_get_node(&L->doc, *it);
		snprintf(L->where, sizeof(L->where), "%s[%zu]", section, i);
		load_mapping(L, item, keys, items + i * elem);
		*(int *)(items + i * elem + line_off) = (int)item->start_mark.line + 1;
	}
	L->where[0] = '\0';
	return items;
}

static void
load_root(loader *L, yaml_node_t *root)
{
	sd_config *c = L->c;
	yaml_node_pair_t *p;
	SD_VEC(const char *) seen = {0};

	for (size_t i = 0; root_keys[i].name; i++)
		set_text(L, NULL, &root_keys[i], (char *)c, root_keys[i].def);
	for (size_t i = 0; timeout_keys[i].name; i++)
		set_text(L, NULL, &timeout_keys[i], (char *)c, timeout_keys[i].def);
	if (root->type != YAML_MAPPING_NODE) {
		err_at(L, root, NULL, "the configuration must be a mapping, got %s", node_kind(root));
		return;
	}
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(&L->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(&L->doc, p->value);
		const char *k = kn->type == YAML_SCALAR_NODE ? scalar(kn) : "";
		bool dup = false;
		size_t i;
		for (i = 0; i < seen.len; i++)
			dup = dup || strcmp(seen.ptr[i], k) == 0;
		if (dup) {
			err_at(L, kn, NULL, "key \"%s\" given twice", k);
			continue;
		}
		sd_vec_push(&seen, k);
		if (strcmp(k, "environments") == 0) {
			c->envs = load_list(L, vn, k, sizeof(sd_cfg_env), OFF(sd_cfg_env, line),
					   &c->n_envs, env_keys);
		} else if (strcmp(k, "pairs") == 0) {
			c->pairs = load_list(L, vn, k, sizeof(sd_cfg_pair), OFF(sd_cfg_pair, line),
					    &c->n_pairs, pair_keys);
		} else if (strcmp(k, "alerts") == 0) {
			c->sinks = load_list(L, vn, k, sizeof(sd_cfg_sink), OFF(sd_cfg_sink, line),
					    &c->n_sinks, sink_keys);
		} else if (strcmp(k, "timeouts") == 0) {
			snprintf(L->where, sizeof(L->where), "timeouts");
			load_mapping(L, vn, timeout_keys, (char *)c);
			L->where[0] = '\0';
		} else if (strcmp(k, "http") == 0) {
			snprintf(L->where, sizeof(L->where), "http");
			load_mapping(L, vn, http_keys, (char *)c);
			L->where[0] = '\0';
		} else {
			for (i = 0; root_keys[i].name && strcmp(root_keys[i].name, k) != 0; i++)
				;
			if (root_keys[i].name)
				set_value(L, vn, &root_keys[i], (char *)c);
			else
				err_at(L, kn, NULL, "unknown key \"%s\"", k);
		}
	}
	sd_vec_dispose(&seen);
}

/* ---- cross-checks ---------------------------------------------------- */

/* The node of list item i of a root section, for messages about the whole item. */
static yaml_node_t *
item_node(loader *L, const char *section, size_t i)
{
	yaml_node_t *root = yaml_document_get_root_node(&L->doc);
	yaml_node_pair_t *p;

	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(&L->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(&L->doc, p->value);
		if (kn->type == YAML_SCALAR_NODE && strcmp(scalar(kn), section) == 0 &&
		    vn->type == YAML_SEQUENCE_NODE &&
		    i < (size_t)(vn->data.sequence.items.top - vn->data.sequence.items.start))
			return yaml_document_get_node(&L->doc, vn->data.sequence.items.start[i]);
	}
	return root;
}

/* The value node of key inside mapping n (or n itself when absent). */
static yaml_node_t *
key_node(loader *L, yaml_node_t *n, const char *key)
{
	yaml_node_pair_t *p;

	if (n->type != YAML_MAPPING_NODE)
		return n;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(&L->doc, p->key);
		if (kn->type == YAML_SCALAR_NODE && strcmp(scalar(kn), key) == 0)
			return yaml_document_get_node(&L->doc, p->value);
	}
	return n;
}

/* Item k of sequence n (or n itself when it is no such sequence). */
static yaml_node_t *
seq_item(loader *L, yaml_node_t *n, size_t k)
{
	if (n->type != YAML_SEQUENCE_NODE ||
	    k >= (size_t)(n->data.sequence.items.top - n->data.sequence.items.start))
		return n;
	return yaml_document_get_node(&L->doc, n->data.sequence.items.start[k]);
}

static void
where(loader *L, const char *section, size_t i)
{
	snprintf(L->where, sizeof(L->where), "%s[%zu]", section, i);
}

/* Appends s percent-encoded for the userinfo part of a URL. */
/* Puts the password into the URL (user:password@host) in memory only. */
static void
resolve_env(loader *L, sd_cfg_env *e, size_t i)
{
	yaml_node_t *n = item_node(L, "environments", i);
	const char *engine;
	char *display;
	sd_url u;
	sd_err url_err = {0};

	where(L, "environments", i);
	if (!e->url || !e->name)
		goto out;
	engine = NULL;
	if (sd_url_has_scheme(e->url) && sd_url_parse(&u, e->url, &url_err)) {
		err_at(L, key_node(L, n, "url"), "url", "%s", url_err.msg);
		goto out;
	} else if (sd_url_has_scheme(e->url)) {
		engine = L->engines->name_for_scheme(u.scheme);
		sd_url_dispose(&u);
	}
	if (!engine) {
		err_at(L, key_node(L, n, "url"), "url", "unknown URL scheme (expected %s)",
		       L->engines->schemes_text());
		goto out;
	}
	if (e->engine && strcmp(e->engine, engine) != 0) {
		err_at(L, key_node(L, n, "engine"), "engine", "\"%s\" does not match the URL (%s)",
		       e->engine, engine);
		goto out;
	}
	e->engine = engine;
	if (e->password) {
		char *with = sd_url_with_password(e->url, e->password);
		if (!with) {
			err_at(L, key_node(L, n, "password"), "password",
			       "needs a URL with a user and no password in it (user@host)");
			goto out;
		}
		e->url = sd_arena_strdup(&L->c->arena, with);
		memset(with, 0, strlen(with));
		free(with);
	}
	display = sd_url_redact(e->url);
	e->display = sd_arena_strdup(&L->c->arena, display);
	free(display);
out:
	L->where[0] = '\0';
}

typedef struct named {
	const char *name;
	size_t i;
} named;

static int
cmp_named(const void *a, const void *b)
{
	const named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Each item of a section whose name an earlier item has: one sort, so a
 * configuration with thousands of pairs loads in n log n. Reported in item
 * order, at the later item's "name" key. */
static void
check_unique(loader *L, const char *section, const char *what, const void *items, size_t n,
	     size_t stride, size_t name_off)
{
	named *v = sd_xcalloc(n ? n : 1, sizeof(*v));
	bool *twice = sd_xcalloc(n ? n : 1, sizeof(*twice));
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		const char *name = *(const char *const *)((const char *)items + i * stride + name_off);
		if (name)
			v[m++] = (named){name, i};
	}
	qsort(v, m, sizeof(*v), cmp_named);
	for (size_t k = 1; k < m; k++)
		twice[v[k].i] = strcmp(v[k].name, v[k - 1].name) == 0;
	for (size_t i = 0; i < n; i++) {
		if (!twice[i])
			continue;
		where(L, section, i);
		err_at(L, key_node(L, item_node(L, section, i), "name"), "name",
		       "%s \"%s\" is defined twice", what,
		       *(const char *const *)((const char *)items + i * stride + name_off));
		L->where[0] = '\0';
	}
	free(twice);
	free(v);
}

static void
check_pair(loader *L, const sd_cfg_pair *p, size_t i)
{
	yaml_node_t *n = item_node(L, "pairs", i);

	where(L, "pairs", i);
	if (p->reference && !sd_cfg_find_env(L->c, p->reference))
		err_at(L, key_node(L, n, "reference"), "reference", "no environment named \"%s\"",
		       p->reference);
	if (p->target && !sd_cfg_find_env(L->c, p->target))
		err_at(L, key_node(L, n, "target"), "target", "no environment named \"%s\"",
		       p->target);
	/* Shorter would hammer both databases and the outbox for nothing. */
	if (p->interval_ms > 0 && p->interval_ms < 1000)
		err_at(L, key_node(L, n, "interval"), "interval", "must be at least 1s");
	if (p->reference && p->target && strcmp(p->reference, p->target) == 0)
		err_at(L, key_node(L, n, "target"), "target",
		       "a pair compares two different environments");
	for (size_t k = 0; k < p->n_ignore; k++) {
		sd_err e = {0};
		if (p->ignore[k] && !sd_ignore_word_valid(p->ignore[k], &e))
			err_at(L, seq_item(L, key_node(L, n, "ignore"), k), "ignore", "%s", e.msg);
	}
	for (size_t k = 0; k < p->n_alerts; k++)
		if (p->alerts[k] && !sd_cfg_find_sink(L->c, p->alerts[k]))
			err_at(L, key_node(L, n, "alerts"), "alerts", "no alert sink named \"%s\"",
			       p->alerts[k]);
	for (size_t k = 0; k < p->n_compare; k++) {
		sd_diff_opts opts = {0};
		sd_err e = {0};
		if (p->compare[k] && !sd_diff_opts_parse(&opts, p->compare[k], &e))
			err_at(L, key_node(L, n, "compare"), "compare",
			       "\"%s\": expected privileges or owners", p->compare[k]);
	}
	L->where[0] = '\0';
}

static void
check_sink(loader *L, const sd_cfg_sink *s, size_t i)
{
	yaml_node_t *n = item_node(L, "alerts", i);

	where(L, "alerts", i);
	if (!s->type) {
		/* reported as missing already */
	} else if (strcmp(s->type, "slack") == 0 || strcmp(s->type, "webhook") == 0) {
		/* An unreadable url_file has its own error already: no second one. */
		if (!s->url) {
			if (key_node(L, n, "url_file") == n)
				err_at(L, n, NULL, "a %s sink needs \"url\" (or \"url_file\")",
				       s->type);
		} else if (strncmp(s->url, "https://", 8) != 0 && strncmp(s->url, "http://", 7) != 0)
			err_at(L, key_node(L, n, "url"), "url", "expected an http:// or https:// URL");
	} else if (strcmp(s->type, "command") == 0) {
		if (!s->command)
			err_at(L, n, NULL, "a command sink needs \"command\"");
	} else {
		err_at(L, key_node(L, n, "type"), "type",
		       "unknown sink type \"%s\" (expected slack, webhook or command)", s->type);
	}
	for (size_t k = 0; k < s->n_events; k++) {
		size_t t = 0;
		while (sd_cfg_event_types[t] && !sd_streq(sd_cfg_event_types[t], s->events[k]))
			t++;
		if (s->events[k] && !sd_cfg_event_types[t])
			err_at(L, key_node(L, n, "events"), "events",
			       "unknown event type \"%s\" (expected drift.detected, drift.changed, "
			       "drift.resolved, pair.unreachable or pair.recovered)",
			       s->events[k]);
	}
	L->where[0] = '\0';
}

/* A pair that does not set grace / grace_checks takes the root's values. */
static void
resolve_pair_grace(loader *L, sd_cfg_pair *p, size_t i)
{
	yaml_node_t *n = item_node(L, "pairs", i);

	if (key_node(L, n, "grace") == n)
		p->grace_ms = L->c->grace_ms;
	if (key_node(L, n, "grace_checks") == n)
		p->grace_checks = L->c->grace_checks;
}

/* The listener must parse, and anything beyond loopback needs a token. */
static void
check_http(loader *L)
{
	yaml_node_t *root = yaml_document_get_root_node(&L->doc), *n;
	char host[64];
	int port;
	bool loopback;
	const char *why;

	if (!L->c->http.listen)
		return;
	n = key_node(L, key_node(L, root, "http"), "listen");
	snprintf(L->where, sizeof(L->where), "http");
	if ((why = sd_cfg_parse_listen(L->c->http.listen, host, &port, &loopback)))
		err_at(L, n, "listen", "%s", why);
	else if (!loopback && !L->c->http.token)
		err_at(L, n, "listen",
		       "%s is not a loopback address: set http.token_file, a bearer token every "
		       "request must carry",
		       host);
	else if (L->c->http.token && strlen(L->c->http.token) < 16)
		err_at(L, key_node(L, key_node(L, root, "http"), "token_file"), "token_file",
		       "the token is shorter than 16 characters");
	L->where[0] = '\0';
}

/* A sink no pair names never sends anything: likely a forgotten alerts: entry. */
static void
warn_if_unused(loader *L, const sd_cfg_sink *s, size_t i)
{
	const yaml_node_t *n = item_node(L, "alerts", i);

	if (!s->name)
		return;
	for (size_t p = 0; p < L->c->n_pairs; p++)
		for (size_t k = 0; k < L->c->pairs[p].n_alerts; k++)
			if (sd_streq(L->c->pairs[p].alerts[k], s->name))
				return;
	sd_str_appendf(L->warnings,
		       "%s:%lu:%lu: alerts[%zu]: warning: no pair sends to sink \"%s\" (add it to a "
		       "pair's alerts: list)\n",
		       L->path, (unsigned long)n->start_mark.line + 1,
		       (unsigned long)n->start_mark.column + 1, i, s->name);
}

static void
cross_check(loader *L)
{
	sd_config *c = L->c;

	if (c->log_format && strcmp(c->log_format, "text") != 0 && strcmp(c->log_format, "json") != 0)
		err_at(L, key_node(L, yaml_document_get_root_node(&L->doc), "log_format"), "log_format",
		       "expected text or json, got \"%s\"", c->log_format);

	for (size_t i = 0; i < c->n_envs; i++)
		resolve_env(L, &c->envs[i], i);
	check_unique(L, "environments", "environment", c->envs, c->n_envs, sizeof(*c->envs),
		     offsetof(sd_cfg_env, name));
	for (size_t i = 0; i < c->n_sinks; i++)
		check_sink(L, &c->sinks[i], i);
	check_unique(L, "alerts", "alert sink", c->sinks, c->n_sinks, sizeof(*c->sinks),
		     offsetof(sd_cfg_sink, name));
	check_http(L);
	for (size_t i = 0; i < c->n_pairs; i++) {
		resolve_pair_grace(L, &c->pairs[i], i);
		check_pair(L, &c->pairs[i], i);
	}
	check_unique(L, "pairs", "pair", c->pairs, c->n_pairs, sizeof(*c->pairs),
		     offsetof(sd_cfg_pair, name));
	for (size_t i = 0; L->n_errors == 0 && i < c->n_sinks; i++) /* errors first */
		warn_if_unused(L, &c->sinks[i], i);
}

/* ---- entry points ---------------------------------------------------- */

static bool
parse_document(loader *L, FILE *f)
{
	yaml_parser_t parser;
	bool ok;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	ok = yaml_parser_load(&parser, &L->doc);
	if (!ok) {
		sd_str_appendf(L->errors, "%s:%lu:%lu: %s%s%s\n", L->path,
			       (unsigned long)parser.problem_mark.line + 1,
			       (unsigned long)parser.problem_mark.column + 1,
			       parser.problem ? parser.problem : "syntax error",
			       parser.context ? " " : "", parser.context ? parser.context : "");
		L->n_errors++;
	}
	yaml_parser_delete(&parser);
	return ok;
}

static void
warn_if_exposed(loader *L, FILE *f)
{
	struct stat st;

	if (L->c->holds_secrets && fstat(fileno(f), &st) == 0 && (st.st_mode & S_IROTH))
		sd_str_appendf(L->warnings,
			       "%s: holds secrets and is readable by other users; chmod o-r it, or "
			       "move the secrets to ${ENV} or *_file keys\n",
			       L->path);
}

static int
cmp_pair_name(const void *a, const void *b)
{
	return strcmp((*(const sd_cfg_pair *const *)a)->name, (*(const sd_cfg_pair *const *)b)->name);
}

/* Valid pairs have names, all different (cross_check): one sorted index of them. */
static void
index_pairs(sd_config *c)
{
	if (!c->n_pairs)
		return;
	c->pairs_by_name = sd_arena_alloc(&c->arena, c->n_pairs * sizeof(*c->pairs_by_name));
	for (size_t i = 0; i < c->n_pairs; i++)
		c->pairs_by_name[i] = &c->pairs[i];
	qsort(c->pairs_by_name, c->n_pairs, sizeof(*c->pairs_by_name), cmp_pair_name);
}

int
sd_cfg_load(sd_config **out, const char *path, const sd_cfg_engines *engines, sd_str *errors,
	    sd_str *warnings)
{
	loader L = {.path = path, .errors = errors, .warnings = warnings, .engines = engines};
	yaml_node_t *root;
	FILE *f;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f) {
		sd_str_appendf(errors, "%s: %s\n", path, strerror(errno));
		return SD_ECONFIG;
	}
	L.c = sd_xcalloc(1, sizeof(*L.c));
	sd_arena_init(&L.c->arena);
	L.c->path = sd_arena_strdup(&L.c->arena, path);
	if (parse_document(&L, f)) {
		root = yaml_document_get_root_node(&L.doc);
		if (!root)
			err_at(&L, NULL, NULL, "the file is empty");
		else {
			load_root(&L, root);
			cross_check(&L); /* even after errors: one pass reports them all */
		}
		yaml_document_delete(&L.doc);
	}
	if (L.n_errors > MAX_ERRORS)
		sd_str_appendf(errors, "%s: %d more errors not shown\n", path, L.n_errors - MAX_ERRORS);
	if (!L.n_errors)
		warn_if_exposed(&L, f);
	fclose(f);
	if (L.n_errors) {
		sd_cfg_free(L.c);
		return SD_ECONFIG;
	}
	index_pairs(L.c);
	*out = L.c;
	return SD_OK;
}

void
sd_cfg_free(sd_config *c)
{
	if (!c)
		return;
	sd_arena_dispose(&c->arena);
	free(c);
}

const sd_cfg_env *
sd_cfg_find_env(const sd_config *c, const char *name)
{
	for (size_t i = 0; i < c->n_envs; i++)
		if (sd_streq(c->envs[i].name, name))
			return &c->envs[i];
	return NULL;
}

const sd_cfg_pair *
sd_cfg_find_pair(const sd_config *c, const char *name)
{
	sd_cfg_pair key = {.name = name};
	const sd_cfg_pair *kp = &key, **found;

	if (!name)
		return NULL;
	if (!c->pairs_by_name) { /* a configuration not made by sd_cfg_load */
		for (size_t i = 0; i < c->n_pairs; i++)
			if (sd_streq(c->pairs[i].name, name))
				return &c->pairs[i];
		return NULL;
	}
	found = bsearch(&kp, c->pairs_by_name, c->n_pairs, sizeof(*c->pairs_by_name),
			cmp_pair_name);
	return found ? *found : NULL;
}

const char *const sd_cfg_event_types[] = {"drift.detected",   "drift.changed",  "drift.resolved",
					  "pair.unreachable", "pair.recovered", NULL};

bool
sd_cfg_sink_wants(const sd_cfg_sink *s, const char *type)
{
	if (s->n_events == 0)
		return true;
	for (size_t i = 0; i < s->n_events; i++)
		if (sd_streq(s->events[i], type))
			return true;
	return false;
}

/* "localhost" and every IP literal, numerically; the loopback flag from the address. */
const char *
sd_cfg_parse_listen(const char *text, char *host_out, int *port_out, bool *loopback_out)
{
	const char *colon, *h = text, *port_text;
	size_t hl;
	char *end;
	long port;
	unsigned char buf[16];

	if (*text == '[') {
		const char *close = strchr(text, ']');
		if (!close || close[1] != ':')
			return "expected [IPv6]:PORT";
		h = text + 1;
		hl = (size_t)(close - h);
		colon = close + 1;
	} else if (!strchr(text, ':') && *text && strspn(text, "0123456789") == strlen(text)) {
		/* A port alone: loopback. */
		h = "127.0.0.1";
		hl = 9;
		colon = NULL;
	} else {
		if (!(colon = strrchr(text, ':')))
			return "expected HOST:PORT or a port, like 127.0.0.1:9187 or 9187";
		hl = (size_t)(colon - text);
	}
	if (hl == 0 || hl >= 64)
		return "expected HOST:PORT or a port, like 127.0.0.1:9187 or 9187";
	errno = 0;
	port_text = colon ? colon + 1 : text;
	port = strtol(port_text, &end, 10);
	if (!*port_text || *end || errno || port < 0 || port > 65535)
		return "the port must be a number from 0 to 65535";
	memcpy(host_out, h, hl);
	host_out[hl] = '\0';
	if (strcmp(host_out, "localhost") == 0)
		strcpy(host_out, "127.0.0.1");
	*port_out = (int)port;
	if (inet_pton(AF_INET, host_out, buf) == 1) {
		*loopback_out = buf[0] == 127;
		return NULL;
	}
	if (inet_pton(AF_INET6, host_out, buf) == 1) {
		static const unsigned char one[16] = {[15] = 1};
		*loopback_out = memcmp(buf, one, 16) == 0;
		return NULL;
	}
	return "the host must be an IP address or localhost (names are not resolved)";
}

const sd_cfg_sink *
sd_cfg_find_sink(const sd_config *c, const char *name)
{
	for (size_t i = 0; i < c->n_sinks; i++)
		if (sd_streq(c->sinks[i].name, name))
			return &c->sinks[i];
	return NULL;
}
