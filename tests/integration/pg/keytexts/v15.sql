-- 15: NULLS NOT DISTINCT, ON DELETE SET NULL (columns)
CREATE TABLE nnd (a int, b int, CONSTRAINT nnd_key UNIQUE NULLS NOT DISTINCT (a), CONSTRAINT nnd_pk PRIMARY KEY (b));
CREATE TABLE setcols (x int, a int, b text, FOREIGN KEY (a, b) REFERENCES "My Schema"."Parent" ("select", "User")
  ON DELETE SET NULL (a));
