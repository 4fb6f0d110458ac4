-- B: new tables, and functions whose bodies read and write them, one of
-- them in another schema reading a table of public.
CREATE SCHEMA reports;
CREATE TABLE orders (id int PRIMARY KEY, total numeric NOT NULL);
CREATE TABLE audit (id serial PRIMARY KEY, what text NOT NULL);
CREATE FUNCTION order_total(oid int) RETURNS numeric LANGUAGE sql STABLE
RETURN (SELECT total FROM orders WHERE id = oid);
CREATE PROCEDURE note(w text) LANGUAGE sql BEGIN ATOMIC INSERT INTO audit (what) VALUES (w); END;
CREATE FUNCTION reports.big_orders(min numeric) RETURNS SETOF int LANGUAGE sql STABLE
BEGIN ATOMIC SELECT id FROM public.orders WHERE total >= min; END;
