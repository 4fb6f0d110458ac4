-- The tables of a.sql's comment: created before what names their row
-- types, a view over such a function after it; the rebuilt table's
-- function dropped before the old table goes and made again after.
CREATE TABLE event (id int NOT NULL, region int NOT NULL) PARTITION BY LIST (region);
CREATE TABLE event_1 PARTITION OF event FOR VALUES IN (1);
CREATE TABLE event_2 PARTITION OF event FOR VALUES IN (2);
CREATE FUNCTION events_in(r int) RETURNS SETOF event LANGUAGE sql STABLE AS 'SELECT * FROM event WHERE region = r';
GRANT EXECUTE ON FUNCTION events_in(int) TO PUBLIC;
CREATE TABLE customer (id int PRIMARY KEY, name text NOT NULL);
CREATE FUNCTION rewards_report(min_id int) RETURNS SETOF customer LANGUAGE plpgsql STABLE AS
$$BEGIN RETURN QUERY SELECT * FROM customer WHERE id >= min_id; END$$;
CREATE FUNCTION customer_names(c customer[]) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$SELECT string_agg((x).name, ', ') FROM unnest(c) x$$;
CREATE VIEW rewarded AS SELECT id, name FROM rewards_report(10);
CREATE TYPE customer_pair AS (a customer, b customer);
CREATE DOMAIN known_customer AS customer CHECK ((VALUE).id > 0);
CREATE FUNCTION pair_first(p customer_pair) RETURNS known_customer LANGUAGE sql AS 'SELECT (p).a';
CREATE TABLE account (id int PRIMARY KEY, holder text);
CREATE TYPE account_ref AS (acct account, since date);
