CREATE TYPE e AS ENUM ('a', 'b', 'c');
CREATE TABLE t (id int PRIMARY KEY, category e DEFAULT 'a', history e[]);
INSERT INTO t VALUES (1, 'a', '{a,c}'), (2, 'c', NULL);
CREATE VIEW v AS SELECT * FROM t;
CREATE VIEW v2 AS SELECT id, 'c'::e AS fixed FROM t;
