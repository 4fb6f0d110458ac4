CREATE TABLE account (id int NOT NULL, region int NOT NULL, code text NOT NULL,
  CONSTRAINT account_pkey PRIMARY KEY (id, region), CONSTRAINT account_code UNIQUE (code, region))
  PARTITION BY LIST (region);
CREATE TABLE account_eu PARTITION OF account FOR VALUES IN (1);
CREATE TABLE account_us (id int NOT NULL, region int NOT NULL, code text NOT NULL,
  CONSTRAINT account_us_pkey PRIMARY KEY (id, region), CONSTRAINT account_us_code_region_key UNIQUE (code, region));
ALTER TABLE account ATTACH PARTITION account_us FOR VALUES IN (2);
CREATE TABLE ledger (id int NOT NULL, region int NOT NULL, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
CREATE TABLE ledger_eu PARTITION OF ledger FOR VALUES IN (1);
CREATE TABLE ledger_us (id int NOT NULL, region int NOT NULL, PRIMARY KEY (id, region));
