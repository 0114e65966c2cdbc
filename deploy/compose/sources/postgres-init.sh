#!/bin/bash
# Runs once, on the first start of shop-postgres: a small shop schema, full before-images for
# updates and deletes, and a capture user (password from TARN_CDC_PASSWORD, never in a file).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v cdc_password="$TARN_CDC_PASSWORD" <<'SQL'
CREATE TABLE customers (
  id BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT,
  country TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE orders (
  id BIGINT PRIMARY KEY,
  customer_id BIGINT NOT NULL REFERENCES customers (id),
  status TEXT NOT NULL,
  total NUMERIC(12, 2) NOT NULL,
  ordered_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE order_items (
  order_id BIGINT NOT NULL REFERENCES orders (id),
  line INT NOT NULL,
  sku TEXT NOT NULL,
  quantity INT NOT NULL,
  price NUMERIC(12, 2) NOT NULL,
  PRIMARY KEY (order_id, line)
);
ALTER TABLE customers REPLICA IDENTITY FULL;
ALTER TABLE orders REPLICA IDENTITY FULL;
ALTER TABLE order_items REPLICA IDENTITY FULL;

INSERT INTO customers (id, name, email, country) VALUES
  (1, 'Ada Example', 'ada@example.com', 'NL'),
  (2, 'Ben Example', 'ben@example.com', 'DE');
INSERT INTO orders (id, customer_id, status, total) VALUES
  (100, 1, 'paid', 42.50),
  (101, 2, 'created', 10.00);
INSERT INTO order_items (order_id, line, sku, quantity, price) VALUES
  (100, 1, 'book-1', 1, 30.00),
  (100, 2, 'pen-7', 3, 4.17),
  (101, 1, 'mug-2', 1, 10.00);

CREATE ROLE tarn_cdc WITH LOGIN REPLICATION PASSWORD :'cdc_password';
GRANT SELECT ON ALL TABLES IN SCHEMA public TO tarn_cdc;
-- created here by the owner, so the capture user needs no ownership (cdc-capture uses it as is)
CREATE PUBLICATION tarn_cdc FOR TABLE customers, orders, order_items;
SQL
