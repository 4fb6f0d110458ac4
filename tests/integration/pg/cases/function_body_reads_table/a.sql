-- A SQL-standard body (BEGIN ATOMIC, RETURN) is parsed when the function is
-- created, so the tables it reads must exist first, and it must go before
-- them. A: a table that goes away with the function reading it.
CREATE TABLE old_log (id int PRIMARY KEY, msg text);
CREATE FUNCTION old_count() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM old_log; END;
