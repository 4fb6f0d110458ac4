/*
 * connectors/pg/pg_plan_texts.c: every text of TO that the plan copies is
 * exactly what it stands for, before a plan is written.
 *
 * The plan copies TO's stored texts as they are: a view's CREATE VIEW, a
 * column's default, a constraint's definition, a table's partition bound.
 * Read from a live server they come out of its deparser; but TO may be a
 * snapshot file, which can hold any text, and a view whose text is
 * "CREATE VIEW v AS SELECT 1; DELETE FROM users" would put the DELETE into
 * the plan that schemad apply runs. So each text is checked with the
 * server's own lexer and grammar (libpg_query):
 *
 *  1. the lexer: it lexes to its end (no quote, dollar quote or comment
 *     left open, which would swallow the plan's next statements), holds
 *     as many statements as its kind allows (one, or a materialized
 *     view's CREATE followed by its indexes), and nothing but blanks
 *     follows its last statement (no ';', no line comment that would eat
 *     the ';' the plan writes);
 *  2. the grammar: wrapped the way the plan uses it (a default after
 *     "SELECT ", a constraint after "ALTER TABLE t ADD "), it parses as
 *     exactly the statement kind expected, in the shape expected (one
 *     expression, one ALTER TABLE subcommand...).
 *
 * libpg_query carries one major version's grammar; a newer server prints
 * syntax it does not know (SQL/JSON, NOT ENFORCED). A text that passes
 * the lexer but does not parse is accepted when its statements start with
 * the words its kind starts with: the lexer, which has not changed in the
 * ways that matter (quotes, dollar quotes, comments, ';'), already made
 * sure no second statement hides in it. A function's SQL-standard body
 * (BEGIN ATOMIC ... END, whose statements end in ';') is then followed
 * the way the server's grammar ends it (atomic_body below).
 *
 * Why here, when the plan is made, and not when a snapshot is read: the
 * plan is the one place that copies these texts into SQL, so the check
 * covers every way TO can be read, and reading a snapshot for a report or
 * the daemon's comparisons pays nothing for it.
 */
#include "connectors/pg/pg_plan.h"

#include <ctype.h>
#include <jansson.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* What a kind of text must be. */
typedef struct text_rule {
	const char *what;          /* "one expression", for the message */
	const char *prefix;        /* the statement the text completes */
	const char *suffix;
	const char *first[6];      /* node names its first statement may have */
	const char *rest[3];       /* ... and its later ones (none when empty) */
	bool (*shape)(json_t *node); /* the first statement's node body; NULL = any */
	/*
	 * When the grammar does not know the text (a newer server's syntax):
	 * "CREATE" when its statements start with their own head (the words
	 * statement_heads gives their node names), "" when the plan writes the
	 * statement's head, NULL when the text must parse.
	 */
	const char *lead;
} text_rule;

/* ---- shapes ---------------------------------------------------------- */

static bool
only_keys(json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value)
	{
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, key) == 0;
		if (!ok)
			return false;
	}
	return true;
}

/* "SELECT <one expression>": no FROM, no alias, nothing else. */
static bool
one_expression(json_t *sel)
{
	static const char *const keys[] = {"targetList", "limitOption", "op", NULL};
	json_t *targets = json_object_get(sel, "targetList");
	json_t *res = json_object_get(json_array_get(targets, 0), "ResTarget");

	return only_keys(sel, keys) && json_array_size(targets) == 1 && res &&
	       !json_object_get(res, "name") && json_object_get(res, "val");
}

/* "SELECT NULL::<type>": the one expression is a cast of NULL. */
static bool
one_type(json_t *sel)
{
	json_t *val, *cast, *arg;

	if (!one_expression(sel))
		return false;
	val = json_object_get(json_array_get(json_object_get(sel, "targetList"), 0), "ResTarget");
	cast = json_object_get(json_object_get(val, "val"), "TypeCast");
	arg = json_object_get(json_object_get(cast, "arg"), "A_Const");
	return arg && json_is_true(json_object_get(arg, "isnull"));
}

static bool
one_subcommand(json_t *alter)
{
	return json_array_size(json_object_get(alter, "cmds")) == 1;
}

static bool
one_column(json_t *create)
{
	return json_array_size(json_object_get(create, "tableElts")) == 1;
}

static bool
one_function(json_t *drop)
{
	return json_array_size(json_object_get(drop, "objects")) == 1;
}

/* CREATE SCHEMA s, without CREATE TABLE ... elements inside it. */
static bool
bare_schema(json_t *create)
{
	return !json_object_get(create, "schemaElts");
}

static bool
materialized(json_t *create)
{
	return sd_streq(json_string_value(json_object_get(create, "objtype")), "OBJECT_MATVIEW");
}

/* ---- the rules ------------------------------------------------------- */

static const text_rule EXPR = {"one expression", "SELECT ", "", {"SelectStmt"}, {NULL},
                               one_expression, ""};
static const text_rule TYPE = {"one type name", "SELECT NULL::", "", {"SelectStmt"}, {NULL},
                               one_type, NULL};
static const text_rule CONSTRAINT = {"one table constraint", "ALTER TABLE t ADD ", "",
                                     {"AlterTableStmt"}, {NULL}, one_subcommand, ""};
static const text_rule BOUND = {"one partition bound", "ALTER TABLE t ATTACH PARTITION p ", "",
                                {"AlterTableStmt"}, {NULL}, one_subcommand, ""};
static const text_rule RELOPTIONS = {"one storage parameter list", "ALTER TABLE t SET (", ")",
                                     {"AlterTableStmt"}, {NULL}, one_subcommand, NULL};
static const text_rule REPLICA = {"one replica identity", "ALTER TABLE t REPLICA IDENTITY ", "",
                                  {"AlterTableStmt"}, {NULL}, one_subcommand, NULL};
static const text_rule ATTRIBUTE = {"one attribute definition", "ALTER TYPE t ADD ATTRIBUTE ", "",
                                    {"AlterTableStmt"}, {NULL}, one_subcommand, NULL};
static const text_rule PARTITION_BY = {"one partitioning clause", "CREATE TABLE t () PARTITION BY ",
                                       "", {"CreateStmt"}, {NULL}, NULL, ""};
static const text_rule IDENTITY = {"one list of identity options",
                                   "CREATE TABLE t (c int GENERATED ALWAYS AS IDENTITY (", "))",
                                   {"CreateStmt"}, {NULL}, one_column, NULL};
static const text_rule SEQUENCE_OPTS = {"one list of sequence options", "ALTER SEQUENCE s ", "",
                                        {"AlterSeqStmt"}, {NULL}, NULL, NULL};
static const text_rule SIGNATURE = {"one argument type list", "DROP FUNCTION f(", ")",
                                    {"DropStmt"}, {NULL}, one_function, NULL};
static const text_rule GRANT = {"one privilege and grantee", "GRANT ", "", {"GrantStmt"}, {NULL},
                                NULL, NULL};
static const text_rule INDEX = {"one CREATE INDEX statement", "", "", {"IndexStmt"}, {NULL}, NULL,
                                "CREATE"};

/* The rule for an object's ddl, by kind. */
static const text_rule *
ddl_rule(const sd_object *o)
{
	static const text_rule schema = {"one CREATE SCHEMA statement", "", "",
	                                 {"CreateSchemaStmt"}, {NULL}, bare_schema, "CREATE"};
	static const text_rule extension = {"one CREATE EXTENSION statement", "", "",
	                                    {"CreateExtensionStmt"}, {NULL}, NULL, "CREATE"};
	static const text_rule type = {"one CREATE TYPE, DOMAIN or COLLATION statement", "", "",
	                               {"CreateEnumStmt", "CompositeTypeStmt", "CreateRangeStmt",
	                                "CreateDomainStmt", "DefineStmt"},
	                               {NULL}, NULL, "CREATE"};
	static const text_rule sequence = {"one CREATE SEQUENCE statement", "", "", {"CreateSeqStmt"},
	                                   {NULL}, NULL, "CREATE"};
	static const text_rule function = {"one CREATE FUNCTION or PROCEDURE statement", "", "",
	                                   {"CreateFunctionStmt"}, {NULL}, NULL, "CREATE"};
	static const text_rule view = {"one CREATE VIEW statement", "", "", {"ViewStmt"}, {NULL},
	                               NULL, "CREATE"};
	static const text_rule matview = {
		"one CREATE MATERIALIZED VIEW statement followed only by its CREATE INDEX and "
		"COMMENT ON INDEX statements",
		"", "", {"CreateTableAsStmt"}, {"IndexStmt", "CommentStmt"}, materialized, "CREATE"};
	static const text_rule trigger = {
		"one CREATE TRIGGER statement, followed at most by the ALTER TABLE that enables or "
		"disables it",
		"", "", {"CreateTrigStmt"}, {"AlterTableStmt"}, NULL, "CREATE"};
	static const text_rule policy = {"one CREATE POLICY statement", "", "", {"CreatePolicyStmt"},
	                                 {NULL}, NULL, "CREATE"};
	static const text_rule event = {"one CREATE EVENT TRIGGER statement", "", "",
	                                {"CreateEventTrigStmt"}, {NULL}, NULL, "CREATE"};

	switch (o->kind) {
	case SD_OBJ_SCHEMA:
		return &schema;
	case SD_OBJ_EXTENSION:
		return &extension;
	case SD_OBJ_TYPE:
		return &type;
	case SD_OBJ_SEQUENCE:
		return &sequence;
	case SD_OBJ_FUNCTION:
		return &function;
	case SD_OBJ_VIEW:
		return &view;
	case SD_OBJ_MATVIEW:
		return &matview;
	case SD_OBJ_TRIGGER:
		return &trigger;
	case SD_OBJ_POLICY:
		return &policy;
	default:
		return &event;
	}
}

/* ---- checking one text ----------------------------------------------- */

static bool
in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* The text's tokens (comments included), from the server's own lexer. */
typedef struct tokens {
	PgQueryScanResult scan;
	PgQuery__ScanResult *v;
} tokens;

static bool
lex(tokens *t, const char *text)
{
	t->scan = pg_query_scan(text);
	t->v = t->scan.error ? NULL
	                     : pg_query__scan_result__unpack(NULL, t->scan.pbuf.len,
	                                                     (const uint8_t *)t->scan.pbuf.data);
	return t->v != NULL;
}

static void
tokens_dispose(tokens *t)
{
	if (t->v)
		pg_query__scan_result__free_unpacked(t->v, NULL);
	pg_query_free_scan_result(t->scan);
}

static bool
is_token(const PgQuery__ScanToken *k, int token)
{
	return (int)k->token == token;
}

/*
 * Step 1, the lexer, whatever the grammar says later: the text lexes to
 * its end (a quote, dollar quote or comment left open would swallow the
 * plan's next statements), does not end in a line comment (which would
 * swallow the ';' the plan writes after it), does not end in ';', and
 * closes every parenthesis and bracket it opens and no other (a ')' of
 * its own would end the clause the plan wrote it into).
 */
static const char *
lex_check(const tokens *t)
{
	size_t n = t->v->n_tokens;
	long depth = 0;

	if (n == 0)
		return "it is empty";
	if (is_token(t->v->tokens[n - 1], PG_QUERY__TOKEN__SQL_COMMENT))
		return "it ends in a line comment";
	if (is_token(t->v->tokens[n - 1], ';'))
		return "a ';' follows its statement";
	for (size_t i = 0; i < n && depth >= 0; i++) {
		const PgQuery__ScanToken *k = t->v->tokens[i];
		depth += is_token(k, '(') || is_token(k, '[');
		depth -= is_token(k, ')') || is_token(k, ']');
	}
	return depth != 0 ? "its parentheses do not balance" : NULL;
}

/*
 * The words a statement of each node name starts with, when the grammar
 * does not know the text: its first word alone would let "CREATE TABLE x
 * AS SELECT f()" through as a view, or "CREATE VIEW v AS SELECT begin
 * atomic ..." be read as a function's body.
 */
static const struct {
	const char *node;
	const char *heads[5];
} statement_heads[] = {
	{"CreateFunctionStmt",
	 {"CREATE FUNCTION", "CREATE PROCEDURE", "CREATE OR REPLACE FUNCTION",
	  "CREATE OR REPLACE PROCEDURE"}},
	{"ViewStmt",
	 {"CREATE VIEW", "CREATE OR REPLACE VIEW", "CREATE RECURSIVE VIEW",
	  "CREATE OR REPLACE RECURSIVE VIEW"}},
	{"CreateTableAsStmt", {"CREATE MATERIALIZED VIEW"}},
	{"IndexStmt", {"CREATE INDEX", "CREATE UNIQUE INDEX"}},
	{"CommentStmt", {"COMMENT ON INDEX"}},
	{"CreateTrigStmt",
	 {"CREATE TRIGGER", "CREATE CONSTRAINT TRIGGER", "CREATE OR REPLACE TRIGGER",
	  "CREATE OR REPLACE CONSTRAINT TRIGGER"}},
	{"AlterTableStmt", {"ALTER TABLE"}},
	{"CreatePolicyStmt", {"CREATE POLICY"}},
	{"CreateEventTrigStmt", {"CREATE EVENT TRIGGER"}},
	{"CreateSchemaStmt", {"CREATE SCHEMA"}},
	{"CreateExtensionStmt", {"CREATE EXTENSION"}},
	{"CreateEnumStmt", {"CREATE TYPE"}},
	{"CompositeTypeStmt", {"CREATE TYPE"}},
	{"CreateRangeStmt", {"CREATE TYPE"}},
	{"CreateDomainStmt", {"CREATE DOMAIN"}},
	{"DefineStmt", {"CREATE TYPE", "CREATE COLLATION"}},
	{"CreateSeqStmt", {"CREATE SEQUENCE"}},
};

/* The first words (keywords or plain names) from token i, upper case, joined by ' '. */
static void
statement_head(char *head, size_t size, const char *text, const tokens *t, size_t i)
{
	size_t len = 0;

	head[0] = '\0';
	for (int words = 0; i < t->v->n_tokens && words < 5; i++) {
		const PgQuery__ScanToken *k = t->v->tokens[i];
		size_t n = (size_t)(k->end - k->start);
		if (is_token(k, PG_QUERY__TOKEN__SQL_COMMENT) || is_token(k, PG_QUERY__TOKEN__C_COMMENT))
			continue;
		if ((k->keyword_kind == PG_QUERY__KEYWORD_KIND__NO_KEYWORD &&
		     !is_token(k, PG_QUERY__TOKEN__IDENT)) ||
		    len + n + 2 > size)
			return;
		if (words++)
			head[len++] = ' ';
		for (size_t c = 0; c < n; c++)
			head[len++] = (char)toupper((unsigned char)text[k->start + c]);
		head[len] = '\0';
	}
}

/* The statement at token i starts as one of the node names in nodes does. */
static bool
head_allowed(const char *text, const tokens *t, size_t i, const char *const *nodes, size_t n_nodes)
{
	char head[128];

	statement_head(head, sizeof(head), text, t, i);
	for (size_t k = 0; k < sizeof(statement_heads) / sizeof(*statement_heads); k++) {
		if (!in_list(nodes, n_nodes, statement_heads[k].node))
			continue;
		for (const char *const *h = statement_heads[k].heads; h < statement_heads[k].heads + 5 && *h; h++) {
			size_t n = strlen(*h);
			if (strncmp(head, *h, n) == 0 && (head[n] == ' ' || head[n] == '\0'))
				return true;
		}
	}
	return false;
}

/*
 * A SQL-standard function body, BEGIN ATOMIC ... END, when the grammar
 * does not know the text: its statements end in ';', and the server ends
 * the body at the END that closes it. Outside parentheses (inside them a
 * CASE and its END pair up before any ';'), each CASE opens and each END
 * closes, as psql counts them, with one more care: a counted CASE must be
 * one the server reads as an expression, not as a column label ("SELECT
 * 1 case", "AS case", "t.case"), else a label counted as an opening would
 * keep the count up past the server's END and let a ';' after it through.
 * So a CASE counts only after a token that wants an operand (an operator,
 * ',', SELECT, WHERE, THEN, RETURN starting a statement...); any other
 * CASE is refused (the server prints such names quoted: "case"). An END
 * the server reads as a label only brings the count down early, which
 * refuses the text.
 */
typedef struct atomic_body {
	int depth;                               /* 0: not inside the body */
	bool closed;                             /* its END came */
	const PgQuery__ScanToken *prev, *prev2;  /* the two tokens before, comments aside */
} atomic_body;

static bool
token_in(const PgQuery__ScanToken *k, const int *list)
{
	for (; k && *list; list++)
		if (is_token(k, *list))
			return true;
	return false;
}

/* The token before a CASE wants an operand: the CASE starts an expression. */
static bool
case_opens(const atomic_body *b)
{
	static const int operand_next[] = {
		',', '+', '-', '/', '%', '^', '<', '>', '=', PG_QUERY__TOKEN__Op,
		PG_QUERY__TOKEN__LESS_EQUALS, PG_QUERY__TOKEN__GREATER_EQUALS,
		PG_QUERY__TOKEN__NOT_EQUALS, PG_QUERY__TOKEN__COLON_EQUALS,
		PG_QUERY__TOKEN__EQUALS_GREATER, PG_QUERY__TOKEN__SELECT, PG_QUERY__TOKEN__DISTINCT,
		PG_QUERY__TOKEN__ALL, PG_QUERY__TOKEN__WHERE, PG_QUERY__TOKEN__AND, PG_QUERY__TOKEN__OR,
		PG_QUERY__TOKEN__NOT, PG_QUERY__TOKEN__CASE, PG_QUERY__TOKEN__WHEN, PG_QUERY__TOKEN__THEN,
		PG_QUERY__TOKEN__ELSE, PG_QUERY__TOKEN__HAVING, PG_QUERY__TOKEN__ON,
		PG_QUERY__TOKEN__LIMIT, PG_QUERY__TOKEN__OFFSET, PG_QUERY__TOKEN__RETURNING, 0};
	static const int statement_end[] = {';', PG_QUERY__TOKEN__ATOMIC, 0};
	static const int order_group[] = {PG_QUERY__TOKEN__ORDER, PG_QUERY__TOKEN__GROUP_P, 0};

	if (token_in(b->prev, operand_next))
		return true;
	/* "t.* case" labels t.*; "a * case" multiplies */
	if (is_token(b->prev, '*'))
		return !is_token(b->prev2, '.');
	if (is_token(b->prev, PG_QUERY__TOKEN__BY))
		return token_in(b->prev2, order_group);
	/* RETURN, an unreserved word, is a keyword where a statement starts */
	return is_token(b->prev, PG_QUERY__TOKEN__RETURN) && token_in(b->prev2, statement_end);
}

/* Token k outside parentheses, inside or before the body: NULL, or why the text is refused. */
static const char *
atomic_step(atomic_body *b, const tokens *t, size_t i)
{
	const PgQuery__ScanToken *k = t->v->tokens[i];

	if (b->depth == 0 && !b->closed && is_token(k, PG_QUERY__TOKEN__BEGIN_P)) {
		for (size_t j = i + 1; j < t->v->n_tokens; j++) {
			const PgQuery__ScanToken *n = t->v->tokens[j];
			if (is_token(n, PG_QUERY__TOKEN__SQL_COMMENT) || is_token(n, PG_QUERY__TOKEN__C_COMMENT))
				continue;
			b->depth = is_token(n, PG_QUERY__TOKEN__ATOMIC);
			break;
		}
	} else if (b->depth > 0 && is_token(k, PG_QUERY__TOKEN__CASE)) {
		if (!case_opens(b))
			return "a CASE in its BEGIN ATOMIC body may be a column label (a name the server "
			       "prints quoted)";
		b->depth++;
	} else if (b->depth > 0 && is_token(k, PG_QUERY__TOKEN__END_P)) {
		b->closed = --b->depth == 0;
	}
	return NULL;
}

/*
 * Step 2 when the grammar does not know the text (a newer server's
 * syntax): split at ';' the way the server does, each statement must
 * start with a word its kind allows, and an expression or clause has no
 * ',' outside parentheses (that would add a column or an item).
 */
static const char *
lead_check(const text_rule *r, const char *text, const tokens *t)
{
	bool at_start = true;
	size_t n_stmts = 0;
	long depth = 0;
	atomic_body body = {0};
	bool function = in_list(r->first, 6, "CreateFunctionStmt"); /* may have such a body */
	const char *why;

	if (!r->lead)
		return "it does not parse";
	for (size_t i = 0; i < t->v->n_tokens; i++) {
		const PgQuery__ScanToken *k = t->v->tokens[i];
		if (is_token(k, PG_QUERY__TOKEN__SQL_COMMENT) || is_token(k, PG_QUERY__TOKEN__C_COMMENT))
			continue;
		if (function && depth == 0 && (why = atomic_step(&body, t, i)))
			return why;
		body.prev2 = body.prev;
		body.prev = k;
		if (body.depth > 0 && depth == 0 && is_token(k, ';'))
			continue; /* a statement of the body */
		if (at_start) {
			bool ok = n_stmts == 0 ? !*r->lead || head_allowed(text, t, i, r->first, 6)
			                       : head_allowed(text, t, i, r->rest, 3);
			if (!ok)
				return n_stmts == 0 ? "it does not start as its kind does"
				                    : "a statement after the first is not one its kind may have";
			at_start = false;
			n_stmts++;
		}
		depth += is_token(k, '(') || is_token(k, '[');
		depth -= is_token(k, ')') || is_token(k, ']');
		if (is_token(k, ';') && (depth != 0 || !r->rest[0]))
			return "it holds more than one statement";
		if (is_token(k, ';'))
			at_start = true;
		if (is_token(k, ',') && depth == 0 && !*r->lead)
			return "it holds more than one item";
	}
	return body.depth > 0 ? "its BEGIN ATOMIC body is left open" : NULL;
}

/* The one key of a {"NodeName": {...}} object. */
static const char *
node_name(json_t *node, json_t **body)
{
	void *it = json_object_iter(node);

	*body = it ? json_object_iter_value(it) : NULL;
	return it ? json_object_iter_key(it) : "";
}

/* Step 2, the grammar. Returns NULL, the reason, or "" when it does not parse. */
static const char *
parse_check(const text_rule *r, const char *text)
{
	json_t *tree = sd_pg__parse_tree(r->prefix, text, r->suffix), *stmts, *s;
	const char *why = NULL;
	size_t i;

	if (!tree)
		return "";
	stmts = json_object_get(tree, "stmts");
	json_array_foreach(stmts, i, s)
	{
		json_t *body;
		const char *name = node_name(json_object_get(s, "stmt"), &body);
		if (i == 0 && !in_list(r->first, 6, name))
			why = "it is another kind of statement";
		else if (i == 0 && r->shape && !r->shape(body))
			why = "it holds more than its kind may";
		else if (i > 0 && !r->rest[0])
			why = "it holds more than one statement";
		else if (i > 0 && !in_list(r->rest, 3, name))
			why = "a statement after the first is not one its kind may have";
		if (why)
			break;
	}
	if (!why && json_array_size(stmts) == 0)
		why = "it is empty";
	json_decref(tree);
	return why;
}

/* NULL when text is what rule r says, else the reason. */
static const char *
text_fault(const text_rule *r, const char *text)
{
	tokens t;
	const char *why = lex(&t, text) ? lex_check(&t)
	                                : "it does not lex (a quote, dollar quote or comment is left open)";

	if (!why && (why = parse_check(r, text)) && !*why)
		why = lead_check(r, text, &t);
	tokens_dispose(&t);
	return why;
}

/* ---- names and numbers ----------------------------------------------- */

/* Past one identifier at p ("quoted" or plain), or NULL. */
static const char *
identifier(const char *p)
{
	if (*p == '"') {
		for (p++; *p; p++)
			if (*p == '"' && *++p != '"')
				return p;
		return NULL;
	}
	if (!isalpha((unsigned char)*p) && *p != '_')
		return NULL;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '$')
		p++;
	return p;
}

/* Past a name of at most max_parts identifiers joined by '.', or NULL. */
static const char *
qualified_name(const char *p, int max_parts)
{
	for (int k = 0; k < max_parts; k++) {
		if (!(p = identifier(p)))
			return NULL;
		if (*p != '.')
			return p;
		p++;
	}
	return NULL;
}

static bool
is_name(const char *text, int max_parts)
{
	const char *end = qualified_name(text, max_parts);

	return end && !*end;
}

/* "a", "s"."b": what an INHERITS list holds. */
static bool
is_name_list(const char *text)
{
	for (const char *p = text;;) {
		if (!(p = qualified_name(p, 2)))
			return false;
		if (!*p)
			return true;
		if (strncmp(p, ", ", 2) != 0)
			return false;
		p += 2;
	}
}

static bool
is_integer(const char *text)
{
	const char *p = text + (*text == '-');

	if (!*p)
		return false;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

/* Words and numbers only: the plan cuts identity options at spaces. */
static bool
is_words(const char *text)
{
	for (const char *p = text; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != ' ' && !(*p == '-' && isdigit((unsigned char)p[1])))
			return false;
	return *text != '\0';
}

/* ---- the walk over TO ------------------------------------------------ */

/*
 * The texts already found good, with their rule: a schema repeats its
 * column types, defaults and simple keys from table to table, and each is
 * checked once (at 5,000 tables, most of the texts). Open addressing,
 * copies kept in an arena (a GRANT line is a temporary).
 */
typedef struct seen_text {
	const text_rule *rule;
	const char *text;
	size_t hash;
} seen_text;

typedef struct seen_set {
	seen_text *v;
	size_t cap, n;
	sd_arena arena;
} seen_set;

static size_t
text_hash(const text_rule *r, const char *text)
{
	size_t h = (size_t)14695981039346656037ULL ^ (size_t)(uintptr_t)r;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		h = (h ^ *p) * (size_t)1099511628211ULL;
	return h;
}

static seen_text *
seen_slot(seen_text *v, size_t cap, const text_rule *r, const char *text, size_t h)
{
	for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1))
		if (!v[i].text || (v[i].hash == h && v[i].rule == r && strcmp(v[i].text, text) == 0))
			return &v[i];
}

static bool
seen_has(const seen_set *s, const text_rule *r, const char *text, size_t h)
{
	return s->cap && seen_slot(s->v, s->cap, r, text, h)->text;
}

static void
seen_add(seen_set *s, const text_rule *r, const char *text, size_t h)
{
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		seen_text *v = sd_xcalloc(cap, sizeof(*v));
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i].text)
				*seen_slot(v, cap, s->v[i].rule, s->v[i].text, s->v[i].hash) = s->v[i];
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	*seen_slot(s->v, s->cap, r, text, h) = (seen_text){r, sd_arena_strdup(&s->arena, text), h};
	s->n++;
}

typedef struct checker {
	sd_err *err;
	sd_str where;   /* "view public.v", "column public.t.c" */
	int rc;
	seen_set seen;
} checker;

static void
where_table(checker *c, const char *what, const sd_table *t, const char *item)
{
	sd_str_clear(&c->where);
	sd_str_appendf(&c->where, "%s %s%s%s%s%s", what, t->schema, *t->schema ? "." : "", t->name,
	               item ? "." : "", item ? item : "");
}

static bool
refuse(checker *c, const char *field, const char *expected, const char *why)
{
	c->rc = sd_err_set(c->err, SD_EINPUT,
	                   "%s: its %s in the target (TO side, e.g. a snapshot file) is not %s: %s; "
	                   "cannot plan",
	                   c->where.ptr, field, expected, why);
	return false;
}

static bool
check(checker *c, const char *field, const text_rule *r, const char *text)
{
	size_t h;
	const char *why;

	if (!text || seen_has(&c->seen, r, text, h = text_hash(r, text)))
		return true;
	if ((why = text_fault(r, text)))
		return refuse(c, field, r->what, why);
	seen_add(&c->seen, r, text, h);
	return true;
}

static bool
check_name(checker *c, const char *field, const char *text, int max_parts)
{
	return !text || is_name(text, max_parts) ||
	       refuse(c, field, "a name", "it holds more than a (qualified) identifier");
}

/* Each "PRIVILEGE TO grantee" line the plan turns into a GRANT. */
static bool
check_privileges(checker *c, const char *lines)
{
	for (const char *l = lines; l && *l;) {
		size_t n = strcspn(l, "\n");
		const char *to = strstr(l, " TO ");
		if (to && (size_t)(to - l) < n) {
			char *grant = sd_xmalloc(n + 32);
			bool ok;
			snprintf(grant, n + 32, "%.*s ON TABLE t TO %.*s", (int)(to - l), l,
			         (int)(n - (size_t)(to - l) - 4), to + 4);
			ok = check(c, "privileges", &GRANT, grant);
			free(grant);
			if (!ok)
				return false;
		}
		l += n + (l[n] == '\n');
	}
	return true;
}

static bool
check_column(checker *c, const sd_table *t, const sd_column *col)
{
	const char *stats = sd_props_get(&col->props, "statistics");
	const char *ident = sd_props_get(&col->props, "identity_options");

	where_table(c, "column", t, col->name);
	if (stats && !is_integer(stats))
		return refuse(c, "statistics", "an integer", "it holds more than digits");
	if (ident && !is_words(ident))
		return refuse(c, "identity_options", IDENTITY.what, "it holds more than words and numbers");
	return check(c, "type", &TYPE, col->type) && check_name(c, "collation", col->collation, 2) &&
	       check(c, "default_expr", &EXPR, col->default_expr) &&
	       check(c, "generated", &EXPR, col->generated) &&
	       check(c, "identity_options", &IDENTITY, ident);
}

static bool
check_index(checker *c, const sd_table *t, const sd_index *ix)
{
	where_table(c, "index", t, ix->name);
	if (ix->definition && strncmp(ix->definition, "CREATE INDEX ", 13) != 0 &&
	    strncmp(ix->definition, "CREATE UNIQUE INDEX ", 20) != 0)
		return refuse(c, "definition", INDEX.what,
		              "it does not start with CREATE INDEX or CREATE UNIQUE INDEX");
	/* a key's index's parameters go into ALTER INDEX ... SET (...) */
	return check(c, "definition", &INDEX, ix->definition) &&
	       check(c, "reloptions", &RELOPTIONS, sd_props_get(&ix->props, "reloptions"));
}

static bool
check_table(checker *c, const sd_table *t)
{
	const sd_props *p = &t->props;
	const char *inherits = sd_props_get(p, "inherits");

	for (size_t i = 0; i < t->n_columns; i++)
		if (!check_column(c, t, &t->columns[i]))
			return false;
	for (size_t i = 0; i < t->n_constraints; i++) {
		where_table(c, "constraint", t, t->constraints[i].name);
		if (!check(c, "expr", &CONSTRAINT, t->constraints[i].expr))
			return false;
	}
	for (size_t i = 0; i < t->n_indexes; i++)
		if (!check_index(c, t, &t->indexes[i]))
			return false;
	where_table(c, "table", t, NULL);
	if (inherits && !is_name_list(inherits))
		return refuse(c, "inherits", "a list of names", "it holds more than names");
	return check_name(c, "partition_of", sd_props_get(p, "partition_of"), 2) &&
	       check(c, "partition_bound", &BOUND, sd_props_get(p, "partition_bound")) &&
	       check(c, "partition_by", &PARTITION_BY, sd_props_get(p, "partition_by")) &&
	       check(c, "reloptions", &RELOPTIONS, sd_props_get(p, "reloptions")) &&
	       check(c, "replica_identity", &REPLICA, sd_props_get(p, "replica_identity")) &&
	       check_privileges(c, sd_props_get(p, "privileges"));
}

static bool
check_attributes(checker *c, sd_arena *a, const char *list)
{
	size_t n;
	const char **v = sd_pg__array(a, list, &n);

	for (size_t i = 0; v && i < n; i++) {
		const char *end = identifier(v[i]);
		if (v[i][0] != '"' || !end || *end != ' ')
			return refuse(c, "attributes", ATTRIBUTE.what,
			              "it does not start with a quoted name and a space");
		if (!check(c, "attributes", &ATTRIBUTE, v[i]))
			return false;
	}
	return true;
}

static bool
check_object(checker *c, sd_arena *a, const sd_object *o)
{
	sd_str_clear(&c->where);
	sd_str_appendf(&c->where, "%s %s%s%s", sd_obj_kind_name(o->kind), o->schema,
	               *o->schema ? "." : "", o->name);
	if (o->kind == SD_OBJ_SEQUENCE && !check(c, "definition", &SEQUENCE_OPTS, o->definition))
		return false;
	if (o->kind == SD_OBJ_SEQUENCE && !check_name(c, "owned_by", sd_props_get(&o->props, "owned_by"), 3))
		return false;
	if (o->kind == SD_OBJ_FUNCTION && o->signature && *o->signature &&
	    !check(c, "signature", &SIGNATURE, o->signature))
		return false;
	if (o->kind == SD_OBJ_TYPE && !check_attributes(c, a, sd_props_get(&o->props, "attributes")))
		return false;
	return check(c, "ddl", ddl_rule(o), o->ddl) &&
	       check_privileges(c, sd_props_get(&o->props, "privileges"));
}

int
sd_pg__check_texts(const sd_schema *to, sd_err *err)
{
	checker c = {.err = err};
	sd_arena a;
	bool ok = true;

	sd_str_init(&c.where);
	sd_arena_init(&a);
	sd_arena_init(&c.seen.arena);
	for (size_t i = 0; ok && i < to->n_tables; i++)
		ok = check_table(&c, &to->tables[i]);
	for (size_t i = 0; ok && i < to->n_objects; i++)
		ok = check_object(&c, &a, &to->objects[i]);
	free(c.seen.v);
	sd_arena_dispose(&c.seen.arena);
	sd_arena_dispose(&a);
	sd_str_dispose(&c.where);
	return ok ? SD_OK : c.rc;
}
