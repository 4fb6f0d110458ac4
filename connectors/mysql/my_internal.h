/*
 * connectors/mysql/my_internal.h: shared between the MySQL connector's
 * files (connection, catalog reading, normalization, plan). Not public.
 */
#ifndef SD_MY_INTERNAL_H
#define SD_MY_INTERNAL_H

#include "connectors/mysql/sd_mysql.h"
#include "connectors/sd_steps.h"

/* Connection settings from a URL; strings are heap copies (sd_my__url_dispose). */
typedef struct my_url {
	char *user, *password, *host, *db, *socket;
	unsigned port;
	char *ssl_mode, *ssl_ca;
	sd_conn_opts timeouts; /* the caller's, overridden by the URL's parameters */
} my_url;

/*
 * Takes the settings of a parsed mysql:// URL; need_db: the URL must name a
 * database. On failure SD_ECONFIG with a message that never shows the password.
 */
int sd_my__url_from(my_url *out, const sd_url *u, const sd_conn_opts *o, bool need_db,
		    sd_err *err);
void sd_my__url_dispose(my_url *u);

/*
 * The lexer the dump loader and the plan share (my_dump.c): past the
 * quoted string or identifier, or the comment, that starts at p; p itself
 * when none starts there, NULL when it is left open (a line comment runs
 * to the end of its line or text). escapes lists the quote characters in which a backslash escapes
 * the next character: "'\"" by default, "" under NO_BACKSLASH_ESCAPES,
 * "'" under ANSI_QUOTES (where "..." is an identifier).
 */
#define MY_ESCAPES_DEFAULT "'\""
const char *sd_my__skip_quoted(const char *p, const char *escapes);
/* Cuts SQL text into statements as the dump loader does (DELIMITER understood). */
void sd_my__split(sd_steps *out, const char *text);
/*
 * Every text of TO the plan copies is one statement or one expression
 * with nothing after it (my_plan_texts.c): SD_EINPUT naming the object
 * and the field otherwise. TO may be a snapshot file, which can hold any
 * text.
 */
int sd_my__check_texts(const sd_schema *to, sd_err *err);
/* Runs a plan on a live database (my_apply.c): the engine's apply. */
int sd_my__apply(const sd_url *u, const char *plan, const sd_apply_opts *o, sd_apply_result *res,
		 sd_err *err);

/*
 * The "form" property (model/sd_model.h) of a MariaDB CHECK written on a
 * column: this prefix, then the column's name ("on column qty"; the check
 * may read other columns too). The check is then the column's, named after
 * it: a MODIFY COLUMN that does not restate it drops it, and only ADD or
 * MODIFY COLUMN can write it.
 */
#define MY_FORM_COLUMN_CHECK "on column "

/* ---- normalization (my_canon.c) -------------------------------------- */

/* "int(11) unsigned" -> "int unsigned"; keeps tinyint(1) and zerofill widths. */
const char *sd_my__canon_type(sd_arena *a, const char *column_type);
/* The catalog's COLUMN_DEFAULT in one spelling for both flavors; NULL = none. */
const char *sd_my__canon_default(sd_arena *a, const char *raw, const char *data_type,
				 const char *extra, bool mariadb, const char *db);
/*
 * Appends text without the qualifier `db`. outside quotes and comments
 * (a default's nextval(`db`.`seq`), a dump's references to its own
 * database).
 */
void sd_my__strip_qualifier(sd_str *out, const char *text, const char *db);
/* "on update CURRENT_TIMESTAMP(3)" in EXTRA -> "current_timestamp(3)"; NULL if none. */
const char *sd_my__on_update(sd_arena *a, const char *extra);
/* A CHECK, generation or view expression: outer parentheses, MySQL's escapes
 * and charset introducers removed, and `db`. qualifiers of db stripped. */
const char *sd_my__canon_expr(sd_arena *a, const char *expr, const char *db);
/* True when data_type's values are numbers (defaults print unquoted). */
bool sd_my__numeric_type(const char *data_type);


/* ---- connection and queries (my_conn.c) ------------------------------ */

typedef struct st_mysql MYSQL;

/* One result row: values as arena strings (NULL for SQL NULL) plus sort keys. */
typedef struct my_row {
	const char **v;
	const char *k1, *k2; /* string sort keys (table, item) */
	long n1, n2;         /* numeric sort keys (ordinal positions) */
} my_row;

typedef struct my_rows {
	my_row *ptr;
	size_t len, cap;
} my_rows;

/*
 * Connects as u asks, with connect/read timeouts, utf8mb4, and sets the
 * session read-only with statement and lock-wait timeouts. *mariadb_out
 * tells the flavor. Caller closes with mysql_close.
 */
int sd_my__connect(MYSQL **out, bool *mariadb_out, const my_url *u, sd_err *err);
/* The same with only the timeouts set: the session of `schemad apply`, which writes. */
int sd_my__connect_writer(MYSQL **out, bool *mariadb_out, const my_url *u, sd_err *err);
/* Reads the database u->db through a fresh read-only connection (my_introspect.c). */
int sd_my__introspect_url(sd_schema **out, const my_url *u, sd_err *err);

/* Initializes the client library once per process (it is not thread-safe). */
void sd_my__lib_init(void);

/* Runs one statement without result (session setup). */
int sd_my__exec(MYSQL *db, const char *sql, sd_err *err);

/*
 * Runs sql as a prepared statement with param bound to every '?', and
 * copies every row into rows (values in arena a). Every driver object is
 * released before it returns, on every path.
 */
int sd_my__query(my_rows *rows, MYSQL *db, sd_arena *a, const char *sql, const char *param,
		 sd_err *err);

/* Sorts rows by (k1, k2, n1, n2): never the server's ORDER BY (collations differ). */
void sd_my__sort_rows(my_rows *rows);

/*
 * Replaces the body and sql_mode columns of each row of the TRIGGERS,
 * ROUTINES and EVENTS queries with what SHOW CREATE gives: the text as
 * written, not information_schema's copy with its string escapes decoded.
 * One statement per object (my_bodies.c).
 */
int sd_my__true_bodies(MYSQL *db, sd_arena *a, const char *dbname, my_rows *triggers,
		       my_rows *routines, my_rows *events, sd_err *err);

/* Appends 'text' as a string literal: quotes doubled, backslashes escaped. */
void sd_my__quote_string(sd_str *s, const char *text);

/* ---- views, triggers, routines, events (my_objects.c) ---------------- */

typedef SD_VEC(sd_object) my_object_vec;

/*
 * Builds objects from the rows of the views, triggers, routines,
 * parameters and events queries (rows[0..4], in that order).
 */
void sd_my__read_objects(my_object_vec *out, sd_arena *a, my_rows *rows, const char *db);

/* ---- sequences (my_sequences.c) ------------------------------------- */

/* Whether a row of the TABLES query (TABLE_TYPE in column 5) is a MariaDB sequence. */
bool sd_my__is_sequence_row(const char **tables_row);
/*
 * Appends the one query that reads every listed sequence's options: a
 * UNION ALL of SELECT i, options FROM `db`.`name`, i the sequence's
 * position among the TABLES rows. Empty when the TABLES rows hold no
 * sequence (then nothing is sent).
 */
void sd_my__sequence_options_sql(sd_str *sql, const my_rows *tables, const char *db);
/* Builds a sequence object per sequence of the TABLES rows, from the options rows. */
int sd_my__read_sequences(my_object_vec *out, sd_arena *a, const my_rows *tables,
			  const my_rows *opts, sd_err *err);

/* A sequence's definition read back: each number as its digits. */
#define MY_SEQ_NUM 24
typedef struct my_sequence {
	char start[MY_SEQ_NUM], increment[MY_SEQ_NUM], min[MY_SEQ_NUM], max[MY_SEQ_NUM],
		cache[MY_SEQ_NUM];
	bool cycle;
} my_sequence;
/*
 * Parses the canonical definition the reader writes ("START WITH n
 * INCREMENT BY n MINVALUE n MAXVALUE n CACHE n CYCLE|NOCYCLE", n an
 * integer): false for any other text.
 */
bool sd_my__parse_sequence(my_sequence *s, const char *def);
/* SD_EINPUT naming a sequence to create or alter when the plan runs on MySQL (none there). */
int sd_my__check_sequences_plannable(const sd_diff *d, bool mariadb, sd_err *err);
/* The plan's sequence statements: CREATE and ALTER (before the tables), DROP (after them). */
void sd_my__plan_sequences(sd_str *out, const sd_diff *d);
void sd_my__drop_sequences(sd_str *out, const sd_diff *d);

#endif
