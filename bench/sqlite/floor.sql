-- bench/sqlite/floor.sql: the independent floor of a SQLite catalog read.
--
-- The least a reader must ask SQLite for the facts schemad compares,
-- written from the SQLite documentation ("The Schema Table" and "Pragma
-- statements": the table-valued pragma functions), not from schemad's
-- statements: the schema table once (names and CREATE texts, which alone
-- hold CHECKs, collations and view/trigger bodies), then one statement per
-- pragma, each over every table at once: columns (table_xinfo, hidden and
-- generated columns included), indexes and their key parts (index_list,
-- index_xinfo), foreign keys (foreign_key_list), and table flags
-- (table_list: WITHOUT ROWID, STRICT). No ORDER BY: ordering is the
-- client's work. Run by bench/sqlite/bench.sh as
--   sqlite3 -readonly DB <bench/sqlite/floor.sql >/dev/null

BEGIN;

SELECT type, name, tbl_name, sql FROM sqlite_schema;

SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main';

SELECT m.name, c.cid, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden
FROM sqlite_schema m, pragma_table_xinfo(m.name) c WHERE m.type = 'table';

SELECT m.name, l.name, l."unique", l.origin, l.partial, x.seqno, x.cid, x.name, x."desc", x.coll
FROM sqlite_schema m, pragma_index_list(m.name) l, pragma_index_xinfo(l.name) x
WHERE m.type = 'table' AND x.key;

SELECT m.name, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete, f."match"
FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table';

COMMIT;
