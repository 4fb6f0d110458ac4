CREATE TABLE account (id int NOT NULL, code text NOT NULL,
  CONSTRAINT account_pkey PRIMARY KEY (id) WITH (fillfactor = 70), CONSTRAINT account_code_key UNIQUE (code));
COMMENT ON INDEX account_pkey IS 'new comment';
COMMENT ON INDEX account_code_key IS 'codes';
CREATE TABLE ledger (id int NOT NULL, CONSTRAINT ledger_pkey PRIMARY KEY (id) WITH (fillfactor = 60));
CREATE TABLE event (id int NOT NULL, region int NOT NULL, CONSTRAINT event_pkey PRIMARY KEY (id, region))
  PARTITION BY LIST (region);
CREATE TABLE event_1 PARTITION OF event FOR VALUES IN (1);
COMMENT ON INDEX event_pkey IS 'partitioned key';
COMMENT ON INDEX event_1_pkey IS 'partition key';
ALTER INDEX event_1_pkey SET (fillfactor = 75);
