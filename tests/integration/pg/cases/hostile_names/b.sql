CREATE SCHEMA "we""ird schema";
CREATE TABLE "we""ird schema"."Tab le" ("Col""1" bigint PRIMARY KEY, "new ""col""" text DEFAULT 'it''s');
COMMENT ON TABLE "we""ird schema"."Tab le" IS 'a ''quoted'' comment';
CREATE TABLE "we""ird schema"."Child" (id int REFERENCES "we""ird schema"."Tab le" ("Col""1"));
