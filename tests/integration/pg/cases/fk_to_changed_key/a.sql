CREATE TABLE parent (a int, b int, CONSTRAINT parent_key UNIQUE (a));
CREATE TABLE child (a int CONSTRAINT child_fk REFERENCES parent (a));
