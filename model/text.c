/*
 * model/text.c: every text of a schema is UTF-8.
 *
 * Snapshots and JSON reports are JSON, whose strings are Unicode: a name
 * that is not valid UTF-8 (SQLite stores bytes, PostgreSQL SQL_ASCII
 * databases too) was silently dropped from them, and the snapshot could not
 * be read back. A schema is checked once, when a source is read, and one
 * that holds such text is refused with the object and the field named.
 */
#include "model/sd_model.h"

#include <stdio.h>
#include <string.h>

/* RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool
valid_utf8(const unsigned char *s)
{
	while (*s) {
		unsigned char c = *s;
		size_t n;
		unsigned int cp;
		if (c < 0x80) {
			s++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		s += n + 1;
	}
	return true;
}

typedef struct checker {
	const char *what; /* "table t", "column t.c": for the message */
	sd_err *err;
	int rc;
} checker;

/* The bytes of text, printable: \xHH for what is not ASCII or not printable. */
static void
shown(char *out, size_t size, const char *text)
{
	size_t n = 0;

	for (const unsigned char *c = (const unsigned char *)text; *c && n + 5 < size; c++)
		n += (size_t)(*c >= 0x20 && *c < 0x7f ? snprintf(out + n, size - n, "%c", *c)
						       : snprintf(out + n, size - n, "\\x%02x", *c));
	out[n] = '\0';
}

static void
text(checker *k, const char *field, const char *v)
{
	char buf[96];

	if (k->rc || !v || valid_utf8((const unsigned char *)v))
		return;
	shown(buf, sizeof(buf), v);
	k->rc = sd_err_set(k->err, SD_EINPUT, "%s: %s \"%s\" is not valid UTF-8 (schemad reads "
					      "UTF-8 text only)",
			   k->what, field, buf);
}

static void
texts(checker *k, const char *field, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		text(k, field, v[i]);
}

static void
props(checker *k, const sd_props *p)
{
	for (size_t i = 0; i < p->n_items; i++) {
		text(k, "property name", p->items[i].key);
		text(k, "property value", p->items[i].value);
	}
}

static void
set_what(checker *k, char *buf, size_t size, const char *kind, const char *schema,
	 const char *name)
{
	char n[64], s[64];

	shown(s, sizeof(s), schema ? schema : "");
	shown(n, sizeof(n), name ? name : "");
	snprintf(buf, size, "%s %s%s%s", kind, s, *s ? "." : "", n);
	k->what = buf;
}

static void
table(checker *k, const sd_table *t)
{
	char what[160];

	set_what(k, what, sizeof(what), "table", t->schema, t->name);
	text(k, "schema", t->schema);
	text(k, "name", t->name);
	text(k, "comment", t->comment);
	text(k, "definition", t->definition);
	props(k, &t->props);
	for (size_t i = 0; i < t->n_columns; i++) {
		const sd_column *c = &t->columns[i];
		text(k, "column", c->name);
		text(k, "column type", c->type);
		text(k, "column default", c->default_expr);
		text(k, "column generation", c->generated);
		text(k, "column identity", c->identity);
		text(k, "column collation", c->collation);
		text(k, "column comment", c->comment);
		props(k, &c->props);
	}
	for (size_t i = 0; i < t->n_constraints; i++) {
		const sd_constraint *c = &t->constraints[i];
		text(k, "constraint", c->name);
		texts(k, "constraint column", c->columns, c->n_columns);
		text(k, "referenced schema", c->ref_schema);
		text(k, "referenced table", c->ref_table);
		texts(k, "referenced column", c->ref_columns, c->n_ref_columns);
		text(k, "constraint action", c->on_update);
		text(k, "constraint action", c->on_delete);
		text(k, "constraint match", c->match);
		text(k, "constraint expression", c->expr);
		props(k, &c->props);
	}
	for (size_t i = 0; i < t->n_indexes; i++) {
		const sd_index *x = &t->indexes[i];
		text(k, "index", x->name);
		text(k, "index method", x->method);
		texts(k, "index column", x->include, x->n_include);
		text(k, "index predicate", x->predicate);
		text(k, "index definition", x->definition);
		props(k, &x->props);
		for (size_t j = 0; j < x->n_keys; j++) {
			text(k, "index column", x->keys[j].column);
			text(k, "index expression", x->keys[j].expr);
			text(k, "index nulls", x->keys[j].nulls);
			text(k, "index collation", x->keys[j].collation);
			text(k, "index operator class", x->keys[j].opclass);
		}
	}
}

static void
object(checker *k, const sd_object *o)
{
	char what[160];

	set_what(k, what, sizeof(what), sd_obj_kind_name(o->kind), o->schema, o->name);
	text(k, "schema", o->schema);
	text(k, "name", o->name);
	text(k, "signature", o->signature);
	text(k, "table", o->table);
	text(k, "definition", o->definition);
	text(k, "CREATE text", o->ddl);
	texts(k, "dependency", o->depends, o->n_depends);
	props(k, &o->props);
}

int
sd_schema_check_text(const sd_schema *s, sd_err *err)
{
	checker k = {"schema", err, SD_OK};

	text(&k, "engine", s->engine);
	text(&k, "source", s->source);
	props(&k, &s->props);
	for (size_t i = 0; !k.rc && i < s->n_tables; i++)
		table(&k, &s->tables[i]);
	for (size_t i = 0; !k.rc && i < s->n_objects; i++)
		object(&k, &s->objects[i]);
	return k.rc;
}
