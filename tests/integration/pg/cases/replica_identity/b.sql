-- orders: DEFAULT -> FULL; audit: FULL -> DEFAULT; scratch: DEFAULT -> NOTHING;
-- devices: its identity index is replaced by a new one (created first, the
-- old one dropped after); moves: the identity index is redefined (dropped
-- and created again: the identity must be set again); "Odd ""Name""":
-- USING INDEX -> NOTHING; keyed: identity on the primary key's index;
-- fresh: a new table born with USING INDEX.
CREATE TABLE orders (id int PRIMARY KEY, total numeric);
ALTER TABLE orders REPLICA IDENTITY FULL;
CREATE TABLE audit (id int PRIMARY KEY, note text);
CREATE TABLE scratch (k int, v text);
ALTER TABLE scratch REPLICA IDENTITY NOTHING;
CREATE TABLE devices (serial text NOT NULL, mac text NOT NULL, label text);
CREATE UNIQUE INDEX devices_mac ON devices (mac);
ALTER TABLE devices REPLICA IDENTITY USING INDEX devices_mac;
CREATE TABLE moves (id int NOT NULL, at date NOT NULL);
CREATE UNIQUE INDEX moves_key ON moves (id, at);
ALTER TABLE moves REPLICA IDENTITY USING INDEX moves_key;
CREATE TABLE "Odd ""Name""" (id int NOT NULL, note text);
CREATE UNIQUE INDEX "odd idx" ON "Odd ""Name""" (id);
ALTER TABLE "Odd ""Name""" REPLICA IDENTITY NOTHING;
CREATE TABLE keyed (id int CONSTRAINT keyed_pk PRIMARY KEY, v text);
ALTER TABLE keyed REPLICA IDENTITY USING INDEX keyed_pk;
CREATE TABLE fresh (code text NOT NULL, v text);
CREATE UNIQUE INDEX fresh_code ON fresh (code);
ALTER TABLE fresh REPLICA IDENTITY USING INDEX fresh_code;
