CREATE TABLE ledger (id bigint NOT NULL, region text NOT NULL, at date NOT NULL, amount numeric)
  PARTITION BY LIST (region);
CREATE TABLE ledger_eu PARTITION OF ledger FOR VALUES IN ('eu') PARTITION BY RANGE (at);
CREATE TABLE ledger_eu_2024 PARTITION OF ledger_eu FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE ledger_us PARTITION OF ledger FOR VALUES IN ('us');
-- the leaf's key made first, under its own name, then the parents' keys
ALTER TABLE ledger_eu_2024 ADD CONSTRAINT eu_2024_by_hand UNIQUE (id, region, at);
ALTER TABLE ledger ADD CONSTRAINT ledger_key UNIQUE (id, region, at);
-- the mid level's index named by hand and attached level by level
CREATE INDEX ledger_at ON ONLY ledger (at);
CREATE INDEX ledger_eu_at_mid ON ONLY ledger_eu (at);
CREATE INDEX ledger_eu_2024_at_leaf ON ledger_eu_2024 (at);
ALTER INDEX ledger_eu_at_mid ATTACH PARTITION ledger_eu_2024_at_leaf;
ALTER INDEX ledger_at ATTACH PARTITION ledger_eu_at_mid;
CREATE INDEX ledger_us_at ON ledger_us (at);
ALTER INDEX ledger_at ATTACH PARTITION ledger_us_at;
-- unchanged: the plan leaves it alone
CREATE INDEX ledger_amount ON ledger (amount);
-- a new partition under unchanged parents: PARTITION OF gives it their indexes
CREATE TABLE ledger_ap PARTITION OF ledger FOR VALUES IN ('ap');
