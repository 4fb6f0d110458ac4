-- Plain tables that B attaches as partitions of a parent whose keys and
-- index differ from their own: their keys are dropped, and ATTACH
-- PARTITION would make the parent's under names of its own choosing, so
-- the plan makes them first, under B's names, for ATTACH to adopt.
CREATE TABLE t (id int NOT NULL, created_at date NOT NULL, code text NOT NULL,
  CONSTRAINT t_pkey PRIMARY KEY (id, created_at), CONSTRAINT t_code UNIQUE (code, created_at))
  PARTITION BY RANGE (created_at);
CREATE INDEX t_created ON t (created_at);
CREATE TABLE t_2023 PARTITION OF t FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
-- the issue's case: a key on (id) where the parent's is (id, created_at)
CREATE TABLE t_2024 (id int NOT NULL, created_at date NOT NULL, code text NOT NULL,
  CONSTRAINT t_2024_pkey PRIMARY KEY (id));
INSERT INTO t_2024 VALUES (1, '2024-05-01', 'a');
-- B names its keys and index otherwise than ATTACH would
CREATE TABLE t_2025 (id int NOT NULL, created_at date NOT NULL, code text NOT NULL,
  CONSTRAINT t_2025_pk PRIMARY KEY (id), CONSTRAINT t_2025_code UNIQUE (code));
INSERT INTO t_2025 VALUES (2, '2025-05-01', 'b');
