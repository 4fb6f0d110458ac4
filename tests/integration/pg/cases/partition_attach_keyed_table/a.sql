-- A table with keys of its own, attached as a partition by B: its keys'
-- indexes are attached to the parent's, not made again. The reader leaves
-- a plain table's key index text out (its constraint's text says it) and
-- keeps a partition's: the plan must see the same key on both sides.
CREATE TABLE account (id int NOT NULL, region int NOT NULL, code text NOT NULL,
  CONSTRAINT account_pkey PRIMARY KEY (id, region), CONSTRAINT account_code UNIQUE (code, region))
  PARTITION BY LIST (region);
CREATE TABLE account_eu PARTITION OF account FOR VALUES IN (1);
CREATE TABLE account_us (id int NOT NULL, region int NOT NULL, code text NOT NULL,
  CONSTRAINT account_us_pkey PRIMARY KEY (id, region), CONSTRAINT account_us_code_region_key UNIQUE (code, region));
INSERT INTO account_us VALUES (1, 2, 'a');
-- the way back: a partition detached, its keys kept as its own
CREATE TABLE ledger (id int NOT NULL, region int NOT NULL, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
CREATE TABLE ledger_eu PARTITION OF ledger FOR VALUES IN (1);
CREATE TABLE ledger_us PARTITION OF ledger FOR VALUES IN (2);
