-- Keys whose text schemad writes itself (plain) and keys it leaves to the
-- server (deferrable, NOT VALID, INCLUDE, WITH, tablespace), with names
-- the deparser must quote: keywords, capitals, spaces, quotes, non-ASCII.
CREATE SCHEMA "My Schema";
CREATE SCHEMA "select";
CREATE TABLE "My Schema"."Parent" ("select" int, "User" text, "a b" int, "x""y" int, ключ int, plain int,
  PRIMARY KEY ("select", "User"), UNIQUE ("a b"), UNIQUE ("x""y"), UNIQUE (ключ), UNIQUE (plain));
CREATE TABLE "select"."from" (id int PRIMARY KEY, p_select int, p_user text, ab int, xy int, k int, q int,
  FOREIGN KEY (p_select, p_user) REFERENCES "My Schema"."Parent" ("select", "User"),
  CONSTRAINT fk_full FOREIGN KEY (p_select, p_user) REFERENCES "My Schema"."Parent" MATCH FULL
    ON UPDATE CASCADE ON DELETE SET NULL,
  CONSTRAINT fk_restrict FOREIGN KEY (ab) REFERENCES "My Schema"."Parent" ("a b") ON UPDATE RESTRICT ON DELETE CASCADE,
  CONSTRAINT fk_default FOREIGN KEY (xy) REFERENCES "My Schema"."Parent" ("x""y") ON DELETE SET DEFAULT,
  CONSTRAINT fk_noaction FOREIGN KEY (k) REFERENCES "My Schema"."Parent" (ключ) ON UPDATE NO ACTION,
  CONSTRAINT "Deferred FK" FOREIGN KEY (q) REFERENCES "My Schema"."Parent" (plain) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT fk_immediate_deferrable FOREIGN KEY (q) REFERENCES "My Schema"."Parent" (plain) DEFERRABLE);
CREATE TABLE self (id int PRIMARY KEY, parent int REFERENCES self, "Order" int UNIQUE DEFERRABLE);
ALTER TABLE self ADD CONSTRAINT self_not_valid FOREIGN KEY ("Order") REFERENCES self NOT VALID;
CREATE TABLE inc (id int, note text, CONSTRAINT inc_pkey PRIMARY KEY (id) INCLUDE (note),
  CONSTRAINT inc_with UNIQUE (note) WITH (fillfactor = 70));
CREATE TABLE wide (a int, b int, c int, d int, CONSTRAINT wide_pkey PRIMARY KEY (d, a, c, b));
CREATE TABLE refwide (a int, b int, c int, d int,
  CONSTRAINT refwide_fk FOREIGN KEY (a, b, c, d) REFERENCES wide (d, a, c, b));
-- a column dropped before the key: key numbers skip it
CREATE TABLE gap (gone int, id int, v text);
ALTER TABLE gap DROP COLUMN gone;
ALTER TABLE gap ADD PRIMARY KEY (id), ADD UNIQUE (v, id);
-- partitioned: keys on the parent and on a partition
CREATE TABLE part (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
CREATE TABLE part1 PARTITION OF part FOR VALUES IN (1);
CREATE TABLE part_ref (id int, k int, FOREIGN KEY (id, k) REFERENCES part);
