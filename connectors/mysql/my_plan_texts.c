/*
 * connectors/mysql/my_plan_texts.c: every text of TO that the plan copies
 * is one statement or one expression, with nothing after it.
 *
 * The plan copies TO's stored texts as they are: a view's, trigger's,
 * routine's or event's CREATE, a column's type, default and generation
 * expression, a CHECK, a table's PARTITION BY clause; a sequence's numbers
 * are parsed, never copied (check_sequence). TO may be a snapshot
 * file, which can hold any text: "CREATE ... VIEW v AS select 1; DELETE
 * FROM users" would put the DELETE into the plan. Each text is read with
 * the lexer the dump loader and the plan share (sd_my__skip_quoted), the
 * way the server will lex it: an object's text under the lexing modes of
 * its sql_mode property (the plan creates it under them, and they come
 * from TO as well: NO_BACKSLASH_ESCAPES, ANSI_QUOTES); a table's texts
 * both with and without ANSI_QUOTES, which the plan's session leaves as
 * the DBA has it. It must:
 *
 *  - close every quote and comment it opens, and not end in a line
 *    comment (that would swallow the ';' the plan writes after it);
 *  - hold no executable comment (slash-star-bang: the server runs what it
 *    holds, ';' included) with more than words in it, and no backslash
 *    outside quotes (the mysql client reads \g, \! ... there as its own
 *    commands);
 *  - close every parenthesis it opens and no other;
 *  - hold no ';' outside quotes, except inside the BEGIN ... END (and IF,
 *    CASE, LOOP, WHILE, REPEAT, FOR) blocks of a trigger's, routine's or
 *    event's body; the header before that body must be the one schemad
 *    writes (its words known), so that where the body starts is certain;
 *  - an expression or a type holds no ',' outside parentheses (that would
 *    add a column or an item to the statement it is written into).
 *
 * A block is counted only where the server starts a statement, and a
 * doubt counts against the text: a text refused wrongly is an error to
 * read; a block counted wrongly would let a ';' end the statement early.
 */
#include "connectors/mysql/my_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * The ways the server may lex a text the plan writes: the plan turns
 * NO_BACKSLASH_ESCAPES off for its session but leaves ANSI_QUOTES as the
 * DBA has it ("..." then an identifier, without escapes); an object is
 * created under the lexing modes it was written under (its sql_mode).
 */
static const char *const session_lexings[] = {MY_ESCAPES_DEFAULT, "'", NULL};
static const char *const default_lexing[] = {MY_ESCAPES_DEFAULT, NULL};
static const char *const ansi_quotes_lexing[] = {"'", NULL};
static const char *const no_escapes_lexing[] = {"", NULL};

/* ---- words ----------------------------------------------------------- */

static bool
word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$';
}

static bool
is_word(const char *w, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(w, word, n) == 0;
}

static bool
in_words(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (is_word(w, n, *list))
			return true;
	return false;
}

/* ---- the walk -------------------------------------------------------- */

typedef enum { B_BLOCK, B_CASE, B_IF, B_LOOP, B_WHILE, B_REPEAT, B_FOR, B_CASE_EXPR } block;

/* What a text is, for the walk. */
typedef enum { T_EXPR, T_LIST, T_VIEW, T_TRIGGER, T_ROUTINE, T_EVENT } text_kind;

typedef struct walker {
	const char *text, *escapes;
	text_kind kind;
	const char *why;
	long parens;
	bool in_body;      /* past the header of a trigger, routine or event */
	bool stmt_start;   /* the next word starts a statement of the body */
	bool first_word;   /* the last word started a statement (a label may follow) */
	bool in_declare;   /* a DECLARE statement (its HANDLER FOR ... runs a statement) */
	bool until;        /* REPEAT ... UNTIL: its END comes without a ';' */
	const char *prev;  /* the previous word */
	size_t prev_n;
	block stack[64];
	size_t depth;
} walker;

static bool
fail(walker *w, const char *why)
{
	if (!w->why)
		w->why = why;
	return false;
}

/* Words a routine's header may hold between its parameters and its body. */
static const char *const routine_words[] = {
	"RETURNS", "DETERMINISTIC", "NOT", "CONTAINS", "NO", "READS", "MODIFIES", "SQL", "DATA",
	"SECURITY", "INVOKER", "DEFINER", "COMMENT", "LANGUAGE", "UNSIGNED", "SIGNED", "ZEROFILL",
	"CHARSET", "CHARACTER", "SET", "COLLATE", "BINARY", "ASCII", "UNICODE", "PRECISION",
	"VARYING", "NATIONAL",
	/* the types a function returns */
	"TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "DECIMAL", "DEC", "NUMERIC",
	"FIXED", "FLOAT", "DOUBLE", "REAL", "BIT", "BOOL", "BOOLEAN", "SERIAL", "DATE", "DATETIME",
	"TIMESTAMP", "TIME", "YEAR", "CHAR", "VARCHAR", "NCHAR", "NVARCHAR", "VARBINARY", "TINYBLOB",
	"BLOB", "MEDIUMBLOB", "LONGBLOB", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT", "LONG", "ENUM",
	"JSON", "GEOMETRY", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING",
	"MULTIPOLYGON", "GEOMETRYCOLLECTION", "UUID", "INET4", "INET6", "ROW", "TYPE", "OF",
	"SYS_REFCURSOR", NULL};
static const char *const trigger_words[] = {"CREATE", "TRIGGER", "BEFORE", "AFTER", "INSERT",
                                            "UPDATE", "DELETE", "ON", "FOR", "EACH", "ROW", NULL};
static const char *const event_words[] = {
	"CREATE", "EVENT", "ON", "SCHEDULE", "AT", "EVERY", "STARTS", "ENDS", "COMPLETION", "NOT",
	"PRESERVE", "ENABLE", "DISABLE", "SLAVE", "COMMENT", "DO", "YEAR", "QUARTER", "MONTH", "DAY",
	"HOUR", "MINUTE", "WEEK", "SECOND", "MICROSECOND", "YEAR_MONTH", "DAY_HOUR", "DAY_MINUTE",
	"DAY_SECOND", "HOUR_MINUTE", "HOUR_SECOND", "MINUTE_SECOND", "DAY_MICROSECOND",
	"HOUR_MICROSECOND", "MINUTE_MICROSECOND", "SECOND_MICROSECOND", NULL};

static bool
push(walker *w, block b)
{
	if (w->depth == sizeof(w->stack) / sizeof(*w->stack))
		return fail(w, "its blocks nest too deep");
	w->stack[w->depth++] = b;
	return true;
}

static bool
top_is(const walker *w, block b)
{
	return w->depth && w->stack[w->depth - 1] == b;
}

/* The word after p (blanks skipped), its length in *n; NULL when none. */
static const char *
next_word(const char *p, size_t *n)
{
	while (isspace((unsigned char)*p))
		p++;
	for (*n = 0; word_char(p[*n]); (*n)++)
		;
	return *n ? p : NULL;
}

/*
 * END at the start of a statement closes the block on top, named by the
 * word after it (END IF closes an IF...); returns where the walk goes on.
 */
static const char *
end_block(walker *w, const char *after)
{
	static const struct {
		const char *word;
		block b;
	} named[] = {{"CASE", B_CASE},   {"IF", B_IF},         {"LOOP", B_LOOP},
	             {"WHILE", B_WHILE}, {"REPEAT", B_REPEAT}, {"FOR", B_FOR}};
	size_t n;
	const char *next = next_word(after, &n);
	block want = B_BLOCK;

	for (size_t k = 0; next && k < sizeof(named) / sizeof(*named); k++)
		if (is_word(next, n, named[k].word)) {
			want = named[k].b;
			after = next + n;
		}
	if (!top_is(w, want)) {
		fail(w, "its BEGIN ... END blocks do not match");
		return after;
	}
	w->depth--;
	w->until = false;
	return after;
}

/* A word at the start of a statement of the body. */
static const char *
statement_word(walker *w, const char *word, size_t n)
{
	const char *after = word + n;
	size_t m;
	const char *next;

	w->first_word = true;
	if (is_word(word, n, "BEGIN")) {
		push(w, B_BLOCK);
		next = next_word(after, &m);
		/* MariaDB's BEGIN NOT ATOMIC */
		if (next && is_word(next, m, "NOT") && (next = next_word(next + m, &m)) &&
		    is_word(next, m, "ATOMIC"))
			after = next + m;
		w->stmt_start = true;
		w->first_word = false;
	} else if (is_word(word, n, "END")) {
		after = end_block(w, after);
	} else if (is_word(word, n, "CASE")) {
		push(w, B_CASE);
	} else if (is_word(word, n, "IF")) {
		push(w, B_IF);
	} else if (is_word(word, n, "LOOP") || is_word(word, n, "REPEAT")) {
		push(w, is_word(word, n, "LOOP") ? B_LOOP : B_REPEAT);
		w->stmt_start = true;
	} else if (is_word(word, n, "WHILE") || is_word(word, n, "FOR")) {
		push(w, is_word(word, n, "WHILE") ? B_WHILE : B_FOR);
	} else if (is_word(word, n, "ELSE")) {
		if (!top_is(w, B_IF) && !top_is(w, B_CASE))
			fail(w, "its ELSE belongs to no IF or CASE");
		w->stmt_start = true;
	} else if (is_word(word, n, "UNTIL")) {
		w->until = top_is(w, B_REPEAT);
	} else if (is_word(word, n, "DECLARE")) {
		w->in_declare = true;
	}
	return after;
}

/*
 * Past the condition list of DECLARE ... HANDLER FOR: SQLEXCEPTION,
 * SQLWARNING, NOT FOUND, SQLSTATE [VALUE] 'xxxxx', error numbers and
 * condition names, separated by ','. NULL when it is not one.
 */
static const char *
handler_conditions(walker *w, const char *p)
{
	for (;;) {
		size_t n;
		const char *word = next_word(p, &n);
		if (!word)
			return NULL;
		p = word + n;
		if (is_word(word, n, "NOT") && (word = next_word(p, &n)) && is_word(word, n, "FOUND")) {
			p = word + n;
		} else if (is_word(word, n, "SQLSTATE")) {
			const char *value = next_word(p, &n);
			if (value && is_word(value, n, "VALUE"))
				p = value + n;
			while (isspace((unsigned char)*p))
				p++;
			if (*p != '\'' || !(p = sd_my__skip_quoted(p, w->escapes)))
				return NULL;
		}
		while (isspace((unsigned char)*p))
			p++;
		if (*p != ',')
			return p;
		p++;
	}
}

/* A word of the body; returns where the walk goes on. */
static const char *
body_word(walker *w, const char *word, size_t n)
{
	const char *after = word + n;
	bool qualified = word > w->text && (word[-1] == '.' || word[-1] == '@');

	if (w->stmt_start && !qualified) {
		w->stmt_start = false;
		return statement_word(w, word, n);
	}
	w->stmt_start = false;
	w->first_word = false;
	if (qualified)
		return after;
	if (is_word(word, n, "CASE")) {
		push(w, B_CASE_EXPR);
	} else if (is_word(word, n, "END")) {
		if (top_is(w, B_CASE_EXPR))
			w->depth--;
		else if (w->until && top_is(w, B_REPEAT))
			after = end_block(w, after); /* REPEAT ... UNTIL cond END REPEAT */
		else
			fail(w, "its BEGIN ... END blocks do not match");
	} else if (is_word(word, n, "THEN")) {
		w->stmt_start = top_is(w, B_IF) || top_is(w, B_CASE);
	} else if (is_word(word, n, "DO")) {
		w->stmt_start = top_is(w, B_WHILE) || top_is(w, B_FOR);
	} else if (is_word(word, n, "FOR") && w->in_declare && is_word(w->prev, w->prev_n, "HANDLER")) {
		if (!(after = handler_conditions(w, after))) {
			fail(w, "its HANDLER FOR has no condition list");
			return word + n;
		}
		w->stmt_start = true;
		w->in_declare = false;
	}
	return after;
}

/* A word of the header of a trigger, routine or event; the body may start after it. */
static void
header_word(walker *w, const char *word, size_t n)
{
	const char *const *known = w->kind == T_TRIGGER ? trigger_words
	                           : w->kind == T_EVENT ? event_words
	                                                : routine_words;
	bool name_after = w->prev && (is_word(w->prev, w->prev_n, "CHARSET") ||
	                              is_word(w->prev, w->prev_n, "COLLATE") ||
	                              is_word(w->prev, w->prev_n, "SET"));

	if (w->parens > 0)
		return; /* a routine's parameters, a type's arguments */
	if (w->kind == T_ROUTINE && w->prev == NULL) {
		/* "CREATE FUNCTION|PROCEDURE `name`(...)": the parameters follow the name */
		if (!is_word(word, n, "CREATE"))
			fail(w, "it does not start with CREATE");
		return;
	}
	if (w->kind == T_ROUTINE && is_word(w->prev, w->prev_n, "CREATE")) {
		if (!is_word(word, n, "FUNCTION") && !is_word(word, n, "PROCEDURE"))
			fail(w, "it is not a CREATE FUNCTION or CREATE PROCEDURE");
		return;
	}
	if (!name_after && !in_words(word, n, known) && !isdigit((unsigned char)*word)) {
		fail(w, "its header holds a word schemad does not write there");
		return;
	}
	if ((w->kind == T_TRIGGER && is_word(word, n, "ROW")) ||
	    (w->kind == T_EVENT && is_word(word, n, "DO"))) {
		w->in_body = true;
		w->stmt_start = true;
	}
}

static void
word(walker *w, const char *word, size_t n, const char **next)
{
	if (w->in_body)
		*next = body_word(w, word, n);
	else if (w->kind == T_TRIGGER || w->kind == T_ROUTINE || w->kind == T_EVENT)
		header_word(w, word, n);
	w->prev = word;
	w->prev_n = n;
}

/*
 * An executable comment (slash-star-bang, MariaDB's slash-star-M-bang) is
 * code to the server: MariaDB writes one in a compressed column's type
 * ("text /" "*!100301 COMPRESSED*" "/"). Only words, numbers, blanks and
 * '=' may be in it: no ';', quote, parenthesis or comment of its own.
 */
static bool
plain_words_if_executable(const char *p, const char *past)
{
	const char *body = strncmp(p, "/*!", 3) == 0 ? p + 3 : strncmp(p, "/*M!", 4) == 0 ? p + 4 : NULL;

	for (const char *c = body; c && c < past - 2; c++)
		if (!word_char(*c) && *c != ' ' && *c != '=')
			return false;
	return true;
}

/* A quoted string or identifier, or a comment, at p: checks it, returns past it. */
static const char *
quoted(walker *w, const char *p, const char *past)
{
	bool comment = *p == '#' || *p == '-' || *p == '/';

	if (!past) {
		fail(w, "a quote or comment is left open");
		return p + strlen(p);
	}
	if (comment && !plain_words_if_executable(p, past))
		fail(w, "it holds an executable comment with more than words in it (the server runs "
		        "what it holds)");
	if (comment && memchr(p, '\\', (size_t)(past - p)))
		fail(w, "a comment holds a backslash (a mysql client command)");
	/* an object's text holding a ';' is written in DELIMITER, the delimiter on a line of its own */
	if (comment && *p != '/' && !*past && (w->kind < T_VIEW || !strchr(w->text, ';')))
		fail(w, "it ends in a line comment");
	if (!comment) {
		/* a `label`: may start a statement like a word */
		w->first_word = w->stmt_start && *p == '`';
		w->stmt_start = false;
	}
	return past;
}

/* One character that is neither a quote, a comment nor a word. */
static void
punct(walker *w, const char *p)
{
	bool first_word = w->first_word;

	w->first_word = false;
	if (isspace((unsigned char)*p)) {
		w->first_word = first_word;
		/* a routine's body starts on the line after its header */
		if (*p == '\n' && w->kind == T_ROUTINE && !w->in_body && w->parens == 0 && w->prev) {
			w->in_body = true;
			w->stmt_start = true;
		}
		return;
	}
	w->stmt_start = false;
	if (*p == '\\') {
		fail(w, "it holds a backslash outside quotes (a mysql client command)");
	} else if (*p == '(') {
		w->parens++;
	} else if (*p == ')') {
		if (--w->parens < 0)
			fail(w, "it closes a parenthesis it did not open");
	} else if (*p == ',' && w->parens == 0 && w->kind == T_EXPR) {
		fail(w, "it holds more than one item");
	} else if (*p == ';') {
		if (w->parens != 0 || !w->in_body || w->depth == 0)
			fail(w, "it holds more than one statement");
		w->stmt_start = true;
		w->in_declare = false;
	} else if (*p == ':' && p[1] != '=') {
		w->stmt_start = first_word; /* a label: its block follows */
	}
}

/* NULL when text passes under the lexing escapes, else the reason. */
static const char *
walk(const char *text, text_kind kind, const char *escapes)
{
	walker w = {.text = text, .escapes = escapes, .kind = kind};

	for (const char *p = text; *p && !w.why;) {
		const char *past = sd_my__skip_quoted(p, escapes);
		if (past != p) {
			p = quoted(&w, p, past);
		} else if (word_char(*p)) {
			const char *next = p;
			size_t n = 0;
			while (word_char(p[n]))
				n++;
			next = p + n;
			word(&w, p, n, &next);
			p = next;
		} else {
			punct(&w, p);
			p++;
		}
	}
	if (!w.why && w.parens != 0)
		fail(&w, "it leaves a parenthesis open");
	if (!w.why && w.depth != 0)
		fail(&w, "it leaves a BEGIN ... END block open");
	if (!w.why && (kind == T_VIEW || kind == T_TRIGGER || kind == T_ROUTINE || kind == T_EVENT) &&
	    strncasecmp(text, "CREATE ", 7) != 0)
		fail(&w, "it does not start with CREATE");
	return w.why;
}

/* NULL when text passes under every lexing in lexings, else the reason. */
static const char *
text_fault(const char *text, text_kind kind, const char *const *lexings)
{
	for (; *lexings; lexings++) {
		const char *why = walk(text, kind, *lexings);
		if (why)
			return why;
	}
	return NULL;
}

/* ---- the walk over TO ------------------------------------------------ */

typedef struct checker {
	sd_err *err;
	char where[320];
	int rc;
} checker;

static bool
refuse(checker *c, const char *field, const char *expected, const char *why)
{
	c->rc = sd_err_set(c->err, SD_EINPUT,
	                   "%s: its %s in the target (TO side, e.g. a snapshot file) is not %s: %s; "
	                   "cannot plan",
	                   c->where, field, expected, why);
	return false;
}

static bool
check_lexed(checker *c, const char *field, text_kind kind, const char *text,
            const char *const *lexings)
{
	static const char *const expected[] = {"one expression", "one clause", "one statement",
	                                       "one CREATE TRIGGER statement",
	                                       "one CREATE FUNCTION or PROCEDURE statement",
	                                       "one CREATE EVENT statement"};
	const char *why = text ? text_fault(text, kind, lexings) : NULL;

	return !why || refuse(c, field, expected[kind], why);
}

static bool
check(checker *c, const char *field, text_kind kind, const char *text)
{
	return check_lexed(c, field, kind, text, session_lexings);
}

/* A bare word: a collation name, a table option's name. */
static bool
check_word(checker *c, const char *field, const char *text)
{
	for (const char *p = text; p && *p; p++)
		if (!word_char(*p))
			return refuse(c, field, "one word", "it holds more than letters, digits and '_'");
	return true;
}

/* ON DELETE / ON UPDATE: the model's action words. */
static bool
check_action(checker *c, const char *field, const char *text)
{
	static const char *const actions[] = {"restrict", "cascade", "set null", "no action",
	                                      "set default", NULL};

	return !text || in_words(text, strlen(text), actions) ||
	       refuse(c, field, "a referential action", "it is not one of its words");
}

/* A table option's value: one word or number, or one quoted string. */
static bool
check_option_value(checker *c, const char *field, const char *text)
{
	const char *past;

	if (!text)
		return true;
	past = sd_my__skip_quoted(text, "");
	if (*text == '\'' && past && !*past && !strchr(text, '\\'))
		return true;
	for (const char *p = text; *p; p++)
		if (!word_char(*p) && *p != '.' && *p != '-')
			return refuse(c, field, "one word, number or quoted string",
			              "it holds more than that");
	return true;
}

static bool
check_table(checker *c, const sd_table *t)
{
	snprintf(c->where, sizeof(c->where), "table %s", t->name);
	for (size_t i = 0; i < t->props.n_items; i++) {
		const sd_prop *o = &t->props.items[i];
		if (strcmp(o->key, "partition") == 0) {
			if (strncmp(o->value, "PARTITION BY ", 13) != 0)
				return refuse(c, "partition", "one PARTITION BY clause",
				              "it does not start with PARTITION BY");
			if (!check(c, "partition", T_LIST, o->value))
				return false;
		} else if (!check_word(c, "option name", o->key) ||
		           !check_option_value(c, o->key, o->value)) {
			return false;
		}
	}
	for (size_t i = 0; i < t->n_columns; i++) {
		const sd_column *col = &t->columns[i];
		snprintf(c->where, sizeof(c->where), "column %s.%s", t->name, col->name);
		if (!check(c, "type", T_EXPR, col->type) || !check_word(c, "collation", col->collation) ||
		    !check(c, "default_expr", T_EXPR, col->default_expr) ||
		    !check(c, "generated", T_EXPR, col->generated) ||
		    !check(c, "on_update", T_EXPR, sd_props_get(&col->props, "on_update")))
			return false;
	}
	for (size_t i = 0; i < t->n_constraints; i++) {
		const sd_constraint *k = &t->constraints[i];
		snprintf(c->where, sizeof(c->where), "constraint %s.%s", t->name, k->name ? k->name : "?");
		if (!check(c, "expr", T_EXPR, k->expr) || !check_action(c, "on_delete", k->on_delete) ||
		    !check_action(c, "on_update", k->on_update))
			return false;
	}
	for (size_t i = 0; i < t->n_indexes; i++) {
		const sd_index *ix = &t->indexes[i];
		snprintf(c->where, sizeof(c->where), "index %s.%s", t->name, ix->name ? ix->name : "?");
		for (size_t k = 0; k < ix->n_keys; k++)
			if (!check(c, "expr", T_EXPR, ix->keys[k].expr))
				return false;
	}
	return true;
}

/* text holds word, case aside (the server reads sql_mode's names so). */
static bool
mentions(const char *text, const char *word)
{
	for (const char *p = text; p && *p; p++)
		if (strncasecmp(p, word, strlen(word)) == 0)
			return true;
	return false;
}

/*
 * A sequence's CREATE text is not copied: the plan writes the numbers of
 * its definition, which must be the reader's option list with an integer
 * for each, and its engine, which must be one word.
 */
static bool
check_sequence(checker *c, const sd_object *o)
{
	my_sequence s;

	if (!sd_my__parse_sequence(&s, o->definition))
		return refuse(c, "definition",
		              "the option list START WITH n INCREMENT BY n MINVALUE n MAXVALUE n "
		              "CACHE n CYCLE|NOCYCLE",
		              "it holds something else, or a number that is not an integer");
	return check_word(c, "engine", sd_props_get(&o->props, "engine"));
}

static bool
check_object(checker *c, const sd_object *o)
{
	text_kind kind = o->kind == SD_OBJ_VIEW      ? T_VIEW
	                 : o->kind == SD_OBJ_TRIGGER ? T_TRIGGER
	                 : o->kind == SD_OBJ_EVENT   ? T_EVENT
	                                             : T_ROUTINE;

	const char *modes = sd_props_get(&o->props, "sql_mode");

	snprintf(c->where, sizeof(c->where), "%s %s", sd_obj_kind_name(o->kind), o->name);
	if (o->kind == SD_OBJ_SEQUENCE)
		return check_sequence(c, o);
	/* the plan creates it under these modes: its text was written under them */
	return check_lexed(c, "ddl", kind, o->ddl,
	                   mentions(modes, "NO_BACKSLASH_ESCAPES") ? no_escapes_lexing
	                   : mentions(modes, "ANSI_QUOTES")        ? ansi_quotes_lexing
	                                                           : default_lexing);
}

int
sd_my__check_texts(const sd_schema *to, sd_err *err)
{
	checker c = {.err = err};

	for (size_t i = 0; i < to->n_tables; i++)
		if (!check_table(&c, &to->tables[i]))
			return c.rc;
	for (size_t i = 0; i < to->n_objects; i++)
		if (!check_object(&c, &to->objects[i]))
			return c.rc;
	return SD_OK;
}
