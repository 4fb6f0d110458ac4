-- A key's index has a comment and storage parameters its constraint's
-- text does not say (pg_get_constraintdef leaves WITH out): compared on
-- their own and changed in place (ALTER INDEX ... SET / RESET, COMMENT ON
-- INDEX). Nothing else differs: a binary that does not compare them sees
-- no drift, which fails the case.
CREATE TABLE account (id int NOT NULL, code text NOT NULL,
  CONSTRAINT account_pkey PRIMARY KEY (id), CONSTRAINT account_code_key UNIQUE (code) WITH (fillfactor = 80));
COMMENT ON INDEX account_pkey IS 'old comment';
CREATE TABLE ledger (id int NOT NULL, CONSTRAINT ledger_pkey PRIMARY KEY (id) WITH (fillfactor = 60, deduplicate_items = off));
-- partitioned: the parent's key and its partition's (whose index text is
-- read): changed in place, not rebuilt with its family
CREATE TABLE event (id int NOT NULL, region int NOT NULL, CONSTRAINT event_pkey PRIMARY KEY (id, region))
  PARTITION BY LIST (region);
CREATE TABLE event_1 PARTITION OF event FOR VALUES IN (1);
