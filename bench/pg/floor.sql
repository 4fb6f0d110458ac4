-- bench/pg/floor.sql: the independent floor of a PostgreSQL catalog read.
--
-- The least a reader must ask the server for the facts schemad compares,
-- written from the PostgreSQL documentation (chapters "System Catalogs"
-- and "System Information and Functions"), not from schemad's queries:
-- one query per catalog, one row per object, and one deparse call per
-- object only where the catalog holds a parse tree the client cannot print
-- itself (pg_get_expr for defaults, partition bounds and index predicates,
-- pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef, pg_get_triggerdef,
-- pg_get_functiondef). Names, flags, key column numbers (indkey, conkey)
-- and comments are plain catalog columns; matching them up is the
-- client's work. Run by bench/pg/bench.sh as
--   psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -f bench/pg/floor.sql DB
-- and checked against a live server by the test pg_floor_sql.
--
-- Every query is limited to user schemas: not pg_catalog, not
-- information_schema, not toast or temporary schemas.

-- One snapshot; deparsed names schema-qualified the same way everywhere.
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET LOCAL search_path = '';

-- schemas
SELECT n.oid, n.nspname FROM pg_catalog.pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)';

-- objects owned by an extension (they belong to it, not to the schema)
SELECT d.classid, d.objid FROM pg_catalog.pg_depend d WHERE d.deptype = 'e';

-- extensions
SELECT e.extname, e.extnamespace, e.extversion FROM pg_catalog.pg_extension e;

-- comments, every kind at once (pg_description: objoid, classoid, objsubid)
SELECT d.objoid, d.classoid, d.objsubid, d.description FROM pg_catalog.pg_description d
WHERE d.objoid >= 16384;

-- relations: tables, partitioned tables, views, materialized views, sequences
SELECT c.oid, c.relnamespace, c.relname, c.relkind, c.relpersistence, c.relrowsecurity,
	c.relforcerowsecurity, c.relreplident, c.reloptions, c.relispartition,
	CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
	CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
	CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
	AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)';

-- inheritance and partition parents (tables and indexes)
SELECT i.inhrelid, i.inhparent, i.inhseqno FROM pg_catalog.pg_inherits i;

-- columns, with their default or generation expression
SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
	a.attnotnull, a.attgenerated, a.attidentity, a.attcollation, a.attinhcount,
	a.attstattarget, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
	AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)';

-- constraints of tables and domains
SELECT co.oid, co.conrelid, co.contypid, co.conname, co.contype, co.conkey, co.confrelid,
	co.confkey, co.condeferrable, co.condeferred, co.conislocal, co.conindid,
	pg_catalog.pg_get_constraintdef(co.oid)
FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_namespace n ON n.oid = co.connamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)';

-- indexes: key column numbers from indkey (0 = an expression), one definition each
SELECT i.indexrelid, i.indrelid, ic.relname, ic.relam, i.indnatts, i.indnkeyatts, i.indkey,
	i.indisunique, i.indisclustered, i.indisreplident,
	pg_catalog.pg_get_indexdef(i.indexrelid),
	CASE WHEN i.indpred IS NOT NULL THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid) END
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)';

-- what views and materialized views read (their rewrite rules' dependencies)
SELECT w.ev_class, d.refclassid, d.refobjid FROM pg_catalog.pg_rewrite w
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
	AND d.objid = w.oid
WHERE w.ev_class >= 16384 AND d.refobjid >= 16384;

-- sequences
SELECT s.seqrelid, s.seqtypid, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
	s.seqcycle FROM pg_catalog.pg_sequence s;

-- user types: enums, domains, composites, ranges
SELECT t.oid, t.typnamespace, t.typname, t.typtype, t.typrelid, t.typbasetype, t.typtypmod,
	t.typcollation, t.typnotnull, t.typdefault
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_class r ON r.oid = t.typrelid
-- a table's own row type is not a type of its own: stand-alone composites only
WHERE t.typtype IN ('e', 'd', 'c', 'r') AND (r.oid IS NULL OR r.relkind = 'c')
	AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)';
SELECT e.enumtypid, e.enumsortorder, e.enumlabel FROM pg_catalog.pg_enum e;
SELECT r.rngtypid, r.rngsubtype, r.rngcollation FROM pg_catalog.pg_range r;

-- collations
SELECT c.oid, c.collnamespace, c.collname, c.collprovider, c.collisdeterministic,
	c.collcollate, c.collctype
FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)';

-- functions and procedures, one definition each
SELECT p.oid, p.pronamespace, p.proname, p.prokind,
	pg_catalog.pg_get_function_identity_arguments(p.oid), pg_catalog.pg_get_functiondef(p.oid)
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p', 'w')
	AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)';

-- triggers, one definition each
SELECT t.oid, t.tgrelid, t.tgname, t.tgenabled, t.tgfoid, pg_catalog.pg_get_triggerdef(t.oid)
FROM pg_catalog.pg_trigger t WHERE NOT t.tgisinternal;

-- row security policies
SELECT p.polrelid, p.polname, p.polpermissive, p.polcmd, p.polroles,
	pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)
FROM pg_catalog.pg_policy p;

COMMIT;
