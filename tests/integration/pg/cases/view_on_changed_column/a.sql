CREATE TABLE orders (id int PRIMARY KEY, amount numeric(10,2), note varchar(20));
CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100;
CREATE VIEW big_orders_ids AS SELECT id FROM big_orders;
CREATE MATERIALIZED VIEW order_totals AS SELECT sum(amount) AS total FROM orders;
CREATE UNIQUE INDEX order_totals_idx ON order_totals (total);
