CREATE SCHEMA "we""ird schema";
CREATE TABLE "we""ird schema"."Tab le" ("Col""1" integer PRIMARY KEY, "x; DROP TABLE t; --" text);
CREATE INDEX "idx ""q""" ON "we""ird schema"."Tab le" ("x; DROP TABLE t; --");
