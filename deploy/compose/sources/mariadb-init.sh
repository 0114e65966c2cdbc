#!/bin/bash
# Runs once, on the first start of shop-mariadb: a small shop schema and a capture user with the
# replication grants Debezium needs (password from TARN_CDC_PASSWORD, never in a file).
set -euo pipefail
mariadb --user=root --password="$MARIADB_ROOT_PASSWORD" shop <<SQL
CREATE TABLE products (
  sku VARCHAR(64) PRIMARY KEY,
  title VARCHAR(255) NOT NULL,
  category VARCHAR(64) NOT NULL,
  price DECIMAL(12, 2) NOT NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
);
CREATE TABLE inventory (
  sku VARCHAR(64) NOT NULL,
  warehouse VARCHAR(32) NOT NULL,
  quantity INT NOT NULL,
  PRIMARY KEY (sku, warehouse)
);
INSERT INTO products (sku, title, category, price) VALUES
  ('book-1', 'A Book', 'books', 30.00),
  ('pen-7', 'A Pen', 'office', 4.17),
  ('mug-2', 'A Mug', 'kitchen', 10.00);
INSERT INTO inventory (sku, warehouse, quantity) VALUES
  ('book-1', 'ams', 12), ('pen-7', 'ams', 250), ('mug-2', 'ber', 40);

CREATE USER 'tarn_cdc'@'%' IDENTIFIED BY '${TARN_CDC_PASSWORD//\'/\'\'}';
GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, REPLICATION CLIENT
  ON *.* TO 'tarn_cdc'@'%';
FLUSH PRIVILEGES;
SQL
