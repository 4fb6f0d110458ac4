-- Demo: staging, the schema as the migrations define it (release 2026.11).
CREATE TABLE customers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL COLLATE NOCASE,
  full_name TEXT NOT NULL,
  marketing_opt_in INTEGER NOT NULL DEFAULT 0 CHECK (marketing_opt_in IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT customers_email_key UNIQUE (email)
);
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  discontinued INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
  placed_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  total_cents INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX orders_customer_idx ON orders (customer_id, placed_at DESC);
CREATE INDEX orders_open_idx ON orders (status) WHERE status IN ('pending', 'paid');
CREATE TABLE order_items (
  order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id INTEGER NOT NULL REFERENCES products (id),
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
CREATE VIEW customer_totals AS
  SELECT c.id, c.email, count(o.id) AS orders, coalesce(sum(o.total_cents), 0) AS spent_cents
  FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
  GROUP BY c.id;
CREATE TRIGGER orders_audit AFTER UPDATE OF status ON orders
BEGIN
  INSERT INTO audit_log (entity, entity_id, action) VALUES ('order', NEW.id, 'status:' || NEW.status);
END;

INSERT INTO customers (email, full_name) VALUES ('ada@example.com', 'Ada Lovelace'), ('alan@example.com', 'Alan Turing');
INSERT INTO products (sku, name, price_cents) VALUES ('KB-01', 'Keyboard', 4900), ('MS-02', 'Mouse', 1900);
INSERT INTO orders (customer_id, status, total_cents) VALUES (1, 'paid', 6800);
INSERT INTO order_items VALUES (1, 1, 1, 4900), (1, 2, 1, 1900);
