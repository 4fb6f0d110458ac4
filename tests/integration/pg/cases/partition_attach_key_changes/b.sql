CREATE TABLE t (id int NOT NULL, created_at date NOT NULL, code text NOT NULL,
  CONSTRAINT t_pkey PRIMARY KEY (id, created_at), CONSTRAINT t_code UNIQUE (code, created_at))
  PARTITION BY RANGE (created_at);
CREATE INDEX t_created ON t (created_at);
CREATE TABLE t_2023 PARTITION OF t FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE t_2024 PARTITION OF t FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE t_2025 (id int NOT NULL, created_at date NOT NULL, code text NOT NULL,
  CONSTRAINT t_2025_pk PRIMARY KEY (id, created_at), CONSTRAINT t_2025_code UNIQUE (code, created_at));
CREATE INDEX t_2025_created ON t_2025 (created_at);
ALTER TABLE t ATTACH PARTITION t_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
