-- Two levels of partitions. A member's name and a mid-level key differ:
-- attached indexes cannot be dropped alone, the family is rebuilt.
CREATE TABLE ledger (id bigint NOT NULL, region text NOT NULL, at date NOT NULL, amount numeric)
  PARTITION BY LIST (region);
CREATE TABLE ledger_eu PARTITION OF ledger FOR VALUES IN ('eu') PARTITION BY RANGE (at);
CREATE TABLE ledger_eu_2024 PARTITION OF ledger_eu FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE ledger_us PARTITION OF ledger FOR VALUES IN ('us');
ALTER TABLE ledger ADD CONSTRAINT ledger_key UNIQUE (id, region, at);
CREATE INDEX ledger_at ON ledger (at);
CREATE INDEX ledger_amount ON ledger (amount);
