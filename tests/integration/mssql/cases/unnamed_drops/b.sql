CREATE TABLE t (id int, d int)
