-- The keys a plan makes (a new table's, a key re-added on other columns,
-- a partition's key made for its parent's) are made without their index's
-- comment and storage parameters: the plan sets them after.
CREATE TABLE item (id int NOT NULL, sku text NOT NULL, CONSTRAINT item_pkey PRIMARY KEY (id) WITH (fillfactor = 80));
COMMENT ON INDEX item_pkey IS 'by id';
CREATE TABLE event (id int NOT NULL, region int NOT NULL, CONSTRAINT event_pkey PRIMARY KEY (id, region))
  PARTITION BY LIST (region);
CREATE TABLE event_1 (id int NOT NULL, region int NOT NULL);
