CREATE TABLE t (id int PRIMARY KEY, a int DEFAULT 1, b int UNIQUE, c int CHECK (c > 0), d int)
