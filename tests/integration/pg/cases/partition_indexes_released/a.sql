CREATE TABLE meter (id int NOT NULL, at date NOT NULL, kind text, site int) PARTITION BY RANGE (at);
CREATE TABLE meter_2024 PARTITION OF meter FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE meter_2025 PARTITION OF meter FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE meter_2026 PARTITION OF meter FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE meter_2025 ADD CONSTRAINT meter_2025_own_key PRIMARY KEY (id, at);
CREATE UNIQUE INDEX meter_2024_ident ON meter_2024 (id, at);
CREATE INDEX meter_2024_site ON meter_2024 (site);
-- the key added on the parent: meter_2025's own key backs it, the others get new ones
ALTER TABLE meter ADD CONSTRAINT meter_key PRIMARY KEY (id, at);
-- an index on the parent only, its partitions' indexes attached one by one
CREATE INDEX meter_site ON ONLY meter (site);
ALTER INDEX meter_site ATTACH PARTITION meter_2024_site;
CREATE INDEX meter_2025_site_x ON meter_2025 (site);
ALTER INDEX meter_site ATTACH PARTITION meter_2025_site_x;
CREATE INDEX meter_2026_site_y ON meter_2026 (site);
ALTER INDEX meter_site ATTACH PARTITION meter_2026_site_y;
-- a parent index left INVALID: one partition never attached
CREATE INDEX meter_kind ON ONLY meter (kind);
CREATE INDEX meter_2024_kind ON meter_2024 (kind);
ALTER INDEX meter_kind ATTACH PARTITION meter_2024_kind;
CREATE TABLE reading (id int, at date NOT NULL, v int) PARTITION BY LIST (at);
CREATE TABLE reading_a PARTITION OF reading FOR VALUES IN ('2024-01-01');
CREATE TABLE reading_b PARTITION OF reading FOR VALUES IN ('2024-01-02');
-- a unique index on the parent, one partition's index named by hand
CREATE UNIQUE INDEX reading_b_by_hand ON reading_b (id, at);
CREATE UNIQUE INDEX reading_ident ON reading (id, at);
