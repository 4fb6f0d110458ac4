CREATE TABLE item (id int NOT NULL, sku text NOT NULL, CONSTRAINT item_pkey PRIMARY KEY (id, sku) WITH (fillfactor = 90));
COMMENT ON INDEX item_pkey IS 'by id and sku';
CREATE TABLE batch (id int NOT NULL, CONSTRAINT batch_pkey PRIMARY KEY (id) WITH (fillfactor = 50),
  code text UNIQUE);
COMMENT ON INDEX batch_code_key IS 'batch codes';
CREATE TABLE event (id int NOT NULL, region int NOT NULL, CONSTRAINT event_pkey PRIMARY KEY (id, region))
  PARTITION BY LIST (region);
CREATE TABLE event_1 (id int NOT NULL, region int NOT NULL,
  CONSTRAINT event_1_key PRIMARY KEY (id, region) WITH (fillfactor = 65));
COMMENT ON INDEX event_1_key IS 'made before the attach';
ALTER TABLE event ATTACH PARTITION event_1 FOR VALUES IN (1);
