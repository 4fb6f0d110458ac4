-- Hostile names on every object kind PostgreSQL has (tests/integration/hostile/postgres.sh).
-- Every name that, broken out of its quotes or comment, would run SQL holds
-- "CREATE TABLE pwned": the test asserts no table of that name appears.
CREATE SCHEMA "s""q
CREATE TABLE pwned(i int); --";
CREATE SCHEMA "Case";
CREATE SCHEMA "case";
CREATE TABLE "Case"."T" (id int PRIMARY KEY);
CREATE TABLE "case"."t" (id int PRIMARY KEY);
CREATE TYPE "s""q
CREATE TABLE pwned(i int); --"."mo'od*/ CREATE TABLE pwned(i int); /*" AS ENUM ('a''b', 'c\d', 'e
CREATE TABLE pwned(i int); --', '€');
CREATE DOMAIN public."dom;
CREATE TABLE pwned(i int); --" AS text CHECK (VALUE <> 'x\'';
CREATE TABLE pwned(i int); --');
CREATE TYPE public."comp\" AS ("a
--" int, "b\" text);
CREATE SEQUENCE public."seq
CREATE TABLE pwned(i int); --" START 5;
CREATE TABLE public."t'q""b\
CREATE TABLE pwned(i int); --" (
  "id" int PRIMARY KEY,
  "c
CREATE TABLE pwned(i int); --" text DEFAULT 'a\b''c' NOT NULL,
  "c*/ CREATE TABLE pwned(i int); /*" int CHECK ("c*/ CREATE TABLE pwned(i int); /*" > 0),
  "ünï€ 名前" int,
  "n234567890123456789012345678901234567890123456789012345678901x" int,
  "m" "s""q
CREATE TABLE pwned(i int); --"."mo'od*/ CREATE TABLE pwned(i int); /*",
  "s" int DEFAULT nextval('public."seq
CREATE TABLE pwned(i int); --"'),
  CONSTRAINT "u
CREATE TABLE pwned(i int); --" UNIQUE ("ünï€ 名前")
);
COMMENT ON TABLE public."t'q""b\
CREATE TABLE pwned(i int); --" IS 'tab\le''s
CREATE TABLE pwned(i int); --';
COMMENT ON COLUMN public."t'q""b\
CREATE TABLE pwned(i int); --"."c
CREATE TABLE pwned(i int); --" IS E'col\\umn\'s';
CREATE INDEX "i\
CREATE TABLE pwned(i int); --" ON public."t'q""b\
CREATE TABLE pwned(i int); --" (lower("c
CREATE TABLE pwned(i int); --")) WHERE "c
CREATE TABLE pwned(i int); --" <> 'x\';
CREATE TABLE public."t23456789012345678901234567890123456789012345678901234567890123" (
  id int PRIMARY KEY,
  ref int CONSTRAINT "fk;
CREATE TABLE pwned(i int); --" REFERENCES public."t'q""b\
CREATE TABLE pwned(i int); --" (id)
);
CREATE VIEW public."v$$
CREATE TABLE pwned(i int); --" AS
  SELECT id, 'a\b' AS "s\", $q$d$$'$q$ AS "d" FROM public."t'q""b\
CREATE TABLE pwned(i int); --";
CREATE MATERIALIZED VIEW public."mv'
CREATE TABLE pwned(i int); --" AS SELECT 1 AS "one;";
CREATE FUNCTION public."f$$
CREATE TABLE pwned(i int); --"("a\" text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $body$ SELECT 'x\' || "a\" || $$
CREATE TABLE pwned(i int); --$$ $body$;
CREATE PROCEDURE public."p'
CREATE TABLE pwned(i int); --"() LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'x\'; END $$;
CREATE FUNCTION public."trf*/"() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN NEW; END $f$;
CREATE TRIGGER "tr
CREATE TABLE pwned(i int); --" BEFORE INSERT ON public."t'q""b\
CREATE TABLE pwned(i int); --" FOR EACH ROW EXECUTE FUNCTION public."trf*/"();
COMMENT ON FUNCTION public."f$$
CREATE TABLE pwned(i int); --"(text) IS 'fn\';
