CREATE TYPE e AS ENUM ('c', 'a');
CREATE TABLE t (id int PRIMARY KEY, category e DEFAULT 'a', history e[]);
CREATE VIEW v AS SELECT * FROM t;
CREATE VIEW v2 AS SELECT id, 'c'::e AS fixed FROM t;
