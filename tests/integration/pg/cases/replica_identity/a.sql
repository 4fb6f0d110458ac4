-- Every REPLICA IDENTITY form, on both sides, and the index it may name.
CREATE TABLE orders (id int PRIMARY KEY, total numeric);
CREATE TABLE audit (id int PRIMARY KEY, note text);
ALTER TABLE audit REPLICA IDENTITY FULL;
CREATE TABLE scratch (k int, v text);
CREATE TABLE devices (serial text NOT NULL, mac text NOT NULL, label text);
CREATE UNIQUE INDEX devices_serial ON devices (serial);
ALTER TABLE devices REPLICA IDENTITY USING INDEX devices_serial;
CREATE TABLE moves (id int NOT NULL, at date NOT NULL);
CREATE UNIQUE INDEX moves_key ON moves (id);
ALTER TABLE moves REPLICA IDENTITY USING INDEX moves_key;
CREATE TABLE "Odd ""Name""" (id int NOT NULL, note text);
CREATE UNIQUE INDEX "odd idx" ON "Odd ""Name""" (id);
ALTER TABLE "Odd ""Name""" REPLICA IDENTITY USING INDEX "odd idx";
CREATE TABLE keyed (id int CONSTRAINT keyed_pk PRIMARY KEY, v text);
