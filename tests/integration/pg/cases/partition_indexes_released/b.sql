-- The way back: partitioned indexes and keys go, the partitions keep
-- (or regain) their own.
CREATE TABLE meter (id int NOT NULL, at date NOT NULL, kind text, site int) PARTITION BY RANGE (at);
CREATE TABLE meter_2024 PARTITION OF meter FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE meter_2025 PARTITION OF meter FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE meter_2026 PARTITION OF meter FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- a partition's own key, and a partition's own plain unique index
ALTER TABLE meter_2025 ADD CONSTRAINT meter_2025_own_key PRIMARY KEY (id, at);
CREATE UNIQUE INDEX meter_2024_ident ON meter_2024 (id, at);
-- a partition index that B attaches to its parent's index
CREATE INDEX meter_2024_site ON meter_2024 (site);
CREATE TABLE reading (id int, at date NOT NULL, v int) PARTITION BY LIST (at);
CREATE TABLE reading_a PARTITION OF reading FOR VALUES IN ('2024-01-01');
CREATE TABLE reading_b PARTITION OF reading FOR VALUES IN ('2024-01-02');
