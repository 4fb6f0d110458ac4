-- Names in every position the key texts print them: schema, table and
-- column names with dots, quotes, a line break, non-ASCII, keywords only
-- some majors reserve (system_user from 16), names truncated to 63 bytes,
-- names that start with a digit; foreign keys to renamed tables and
-- columns, to a partitioned table in another schema (the server adds one
-- key per referenced partition), from a partitioned table, from an
-- inheritance child, to a unique index that is no constraint.
CREATE SCHEMA "a.b";
CREATE SCHEMA "new
line";
CREATE SCHEMA ñandú;
CREATE SCHEMA "user";
CREATE TABLE "a.b"."t.1" ("col.1" int, "Col""2" int, "new
line" int, "system_user" int, "merge" int, "json" int, "overlaps" int, "between" int,
 "x123456789012345678901234567890123456789012345678901234567890abcdef" int, "1abc" int, "_ok" int, "ok$" int,
 PRIMARY KEY ("Col""2", "col.1"), UNIQUE ("new
line", "system_user"), UNIQUE ("merge", "json"), UNIQUE ("overlaps", "between"), UNIQUE ("1abc", "_ok", "ok$"),
 UNIQUE ("x123456789012345678901234567890123456789012345678901234567890abcdef"));
CREATE TABLE "new
line"."Ref" (a int, b int, c int, d int, e int, f int, g int, h int, i int, j int, k int,
 FOREIGN KEY (b, a) REFERENCES "a.b"."t.1" ("Col""2", "col.1") MATCH FULL ON UPDATE SET DEFAULT ON DELETE RESTRICT,
 FOREIGN KEY (c, d) REFERENCES "a.b"."t.1" ("new
line", "system_user") ON DELETE SET NULL ON UPDATE CASCADE,
 FOREIGN KEY (e, f) REFERENCES "a.b"."t.1" ("merge", "json"),
 FOREIGN KEY (g, h) REFERENCES "a.b"."t.1" ("overlaps", "between") MATCH FULL,
 FOREIGN KEY (i, j, k) REFERENCES "a.b"."t.1" ("1abc", "_ok", "ok$") ON DELETE CASCADE);
CREATE TABLE ñandú.ñ (ü int PRIMARY KEY, "Ü" int UNIQUE, v int REFERENCES ñandú.ñ ("Ü"));
CREATE TABLE "user"."Part" (id int, k int, PRIMARY KEY (k, id)) PARTITION BY LIST (k);
CREATE TABLE "user"."Part 1" PARTITION OF "user"."Part" FOR VALUES IN (1);
CREATE TABLE "user"."Part 2" PARTITION OF "user"."Part" FOR VALUES IN (2) PARTITION BY LIST (id);
CREATE TABLE "user"."Part 2a" PARTITION OF "user"."Part 2" FOR VALUES IN (1);
CREATE TABLE pref (x int, y int, FOREIGN KEY (y, x) REFERENCES "user"."Part" (k, id) ON DELETE CASCADE);
CREATE TABLE pfrom (x int, y int, FOREIGN KEY (x, y) REFERENCES "user"."Part" (id, k)) PARTITION BY LIST (x);
CREATE TABLE pfrom1 PARTITION OF pfrom FOR VALUES IN (1);
CREATE TABLE ren (drop1 int, a int, drop2 int, b int, PRIMARY KEY (b, a));
ALTER TABLE ren DROP COLUMN drop1, DROP COLUMN drop2;
CREATE TABLE renref (z int, y int, FOREIGN KEY (z, y) REFERENCES ren);
ALTER TABLE ren RENAME COLUMN a TO "Select";
ALTER TABLE ren RENAME COLUMN b TO "from";
ALTER TABLE ren RENAME TO "Ren Amed";
CREATE TABLE inh_parent (id int PRIMARY KEY, u int UNIQUE, r int, r0 int,
 FOREIGN KEY (r, r0) REFERENCES "Ren Amed" ("from", "Select"));
CREATE TABLE inh_child (extra int PRIMARY KEY, FOREIGN KEY (r0, r) REFERENCES "Ren Amed") INHERITS (inh_parent);
CREATE TABLE uix (a int, b int);
CREATE UNIQUE INDEX uix_ab ON uix (b, a);
CREATE TABLE uixref (a int, b int, FOREIGN KEY (a, b) REFERENCES uix (b, a));
CREATE TABLE "table" ("table" int PRIMARY KEY, "column" int UNIQUE, "primary" int UNIQUE, "key" int UNIQUE,
 "references" int, CONSTRAINT "Weird ""Name"" ." FOREIGN KEY ("references") REFERENCES "table");
