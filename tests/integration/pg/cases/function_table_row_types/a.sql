-- Functions and types that name a table's row type (an argument, a result,
-- a composite's attribute, a domain's base) cannot exist before the table
-- nor outlive it. A: a table that goes away with the function and type
-- that name it, and a plain table B partitions (rebuilt) with a function
-- that returns its rows; B adds tables with functions and types on them.
CREATE TABLE gone (id int PRIMARY KEY);
CREATE TYPE gone_pair AS (a gone, b gone);
CREATE FUNCTION gone_ids(g gone[]) RETURNS SETOF int LANGUAGE sql AS 'SELECT (x).id FROM unnest(g) x';
CREATE FUNCTION gone_first(p gone_pair) RETURNS gone LANGUAGE sql AS 'SELECT (p).a';
CREATE TABLE event (id int NOT NULL, region int NOT NULL);
CREATE FUNCTION events_in(r int) RETURNS SETOF event LANGUAGE sql STABLE AS 'SELECT * FROM event WHERE region = r';
GRANT EXECUTE ON FUNCTION events_in(int) TO PUBLIC;
INSERT INTO event VALUES (1, 1), (2, 2);
