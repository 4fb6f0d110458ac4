-- Demo: production, drifted from staging the way real databases drift:
--  * the 2026.11 migration failed half way: orders.total_cents and
--    orders_open_idx never arrived, and the view still has its old body;
--  * customers.email lost COLLATE NOCASE in an old table rebuild;
--  * a phone column was added by hand during an incident;
--  * a hotfix index exists only here;
--  * the foreign key from order_items to products was dropped by hand;
--  * a leftover import table was never cleaned up;
--  * the audit trigger was never created.
CREATE TABLE customers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL,
  full_name TEXT NOT NULL,
  marketing_opt_in INTEGER NOT NULL DEFAULT 0 CHECK (marketing_opt_in IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  phone TEXT,
  CONSTRAINT customers_email_key UNIQUE (email)
);
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  discontinued INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX products_name_hotfix ON products (name);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
  placed_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX orders_customer_idx ON orders (customer_id, placed_at DESC);
CREATE TABLE order_items (
  order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id INTEGER NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_cents INTEGER NOT NULL,
  PRIMARY KEY (order_id, product_id)
) WITHOUT ROWID;
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  action TEXT NOT NULL
);
CREATE TABLE tmp_import_2024 (line INTEGER, payload TEXT);
CREATE VIEW customer_totals AS
  SELECT c.id, c.email, count(o.id) AS orders
  FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
  GROUP BY c.id;

INSERT INTO customers (email, full_name, phone) VALUES ('ada@example.com', 'Ada Lovelace', NULL), ('alan@example.com', 'Alan Turing', '+44 20 7946 0000');
INSERT INTO products (sku, name, price_cents) VALUES ('KB-01', 'Keyboard', 4900), ('MS-02', 'Mouse', 1900);
INSERT INTO orders (customer_id, status) VALUES (1, 'paid'), (2, 'pending');
INSERT INTO order_items VALUES (1, 1, 1, 4900), (1, 2, 1, 1900), (2, 2, 3, 1900);
INSERT INTO tmp_import_2024 VALUES (1, 'legacy row');
