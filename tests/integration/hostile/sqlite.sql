-- Hostile names on every object kind SQLite has (tests/integration/hostile/sqlite.sh).
CREATE TABLE "t'q""b`k]
CREATE TABLE pwned(i); --" (
  "id" INTEGER PRIMARY KEY,
  "c
CREATE TABLE pwned(i); --" TEXT DEFAULT 'a\b''c' NOT NULL,
  [c*/ CREATE TABLE pwned(i); /*] INT CHECK ([c*/ CREATE TABLE pwned(i); /*] > 0),
  `ünï€ 名前` INT,
  "back\slash\" INT,
  "n234567890123456789012345678901234567890123456789012345678901234567890123456789x" INT,
  CONSTRAINT "u;
CREATE TABLE pwned(i); --" UNIQUE (`ünï€ 名前`)
);
CREATE TABLE "Tw" (id INTEGER PRIMARY KEY, "Ref" INT CONSTRAINT "fk
-- pwned" REFERENCES "t'q""b`k]
CREATE TABLE pwned(i); --" (id));
CREATE INDEX "i\
CREATE TABLE pwned(i); --" ON "t'q""b`k]
CREATE TABLE pwned(i); --" (lower("c
CREATE TABLE pwned(i); --")) WHERE "c
CREATE TABLE pwned(i); --" <> 'x\';
CREATE VIEW "v'
CREATE TABLE pwned(i); --" AS SELECT id, 'a\b' AS "s\", '--' AS "d" FROM "t'q""b`k]
CREATE TABLE pwned(i); --";
CREATE TRIGGER "tr
CREATE TABLE pwned(i); --" AFTER INSERT ON "t'q""b`k]
CREATE TABLE pwned(i); --" BEGIN
  INSERT INTO "Tw" ("Ref") VALUES (NEW.id); -- ';
  SELECT '*/ ; CREATE TABLE pwned(i); --';
END;
