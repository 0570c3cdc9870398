-- SPDX-License-Identifier: MIT
-- The copy benchmark's database (issue 6, acceptance 4): 1.6 million rows in four tables
-- (categories 1,000; users 100,000; orders 500,000; events 999,000) with text, REAL, blobs,
-- 0/1 booleans, text timestamps, nullable columns, foreign keys, unique and partial indexes
-- and a view.  Deterministic: every value is a function of the row number.
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
CREATE TABLE categories(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  parent_id INTEGER REFERENCES categories(id));
CREATE TABLE users(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE,
  name TEXT,
  active BOOLEAN NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL,
  score REAL,
  avatar BLOB);
CREATE TABLE orders(
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  category_id INTEGER REFERENCES categories(id),
  amount REAL NOT NULL,
  status TEXT NOT NULL,
  created_at DATETIME NOT NULL,
  shipped_at DATETIME,
  note TEXT);
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  user_id INTEGER REFERENCES users(id),
  order_id INTEGER REFERENCES orders(id),
  kind TEXT NOT NULL,
  at DATETIME NOT NULL,
  payload BLOB,
  flag BOOLEAN);
INSERT INTO categories SELECT value, 'category ' || value, CASE WHEN value > 10 THEN value % 10 + 1 END
  FROM generate_series(1, 1000);
INSERT INTO users SELECT value, 'user' || value || '@example.com',
  CASE WHEN value % 5 THEN 'User Number ' || value END, value % 3 <> 0,
  datetime(1600000000 + value * 37, 'unixepoch'), CASE WHEN value % 7 THEN value * 0.37 END,
  CASE WHEN value % 4 = 0 THEN zeroblob(64) END
  FROM generate_series(1, 100000);
INSERT INTO orders SELECT value, value % 100000 + 1, CASE WHEN value % 9 THEN value % 1000 + 1 END,
  round(value * 1.37 % 1000, 2) + 0.01, CASE value % 4 WHEN 0 THEN 'done' WHEN 1 THEN 'new'
  WHEN 2 THEN 'paid' ELSE 'shipped' END, datetime(1650000000 + value * 11, 'unixepoch'),
  CASE WHEN value % 4 IN (0, 3) THEN datetime(1650100000 + value * 11, 'unixepoch') END,
  CASE WHEN value % 10 = 0 THEN 'note for order ' || value END
  FROM generate_series(1, 500000);
INSERT INTO events SELECT value, value % 100000 + 1, CASE WHEN value % 2 THEN value % 500000 + 1 END,
  CASE value % 3 WHEN 0 THEN 'view' WHEN 1 THEN 'click' ELSE 'buy' END,
  datetime(1660000000 + value * 3, 'unixepoch'),
  CASE WHEN value % 3 = 0 THEN cast(printf('%024d', value) AS BLOB) END, value % 2
  FROM generate_series(1, 999000);
CREATE INDEX orders_user ON orders(user_id);
CREATE INDEX orders_open ON orders(status) WHERE status <> 'done';
CREATE INDEX events_user_at ON events(user_id, at);
CREATE VIEW order_totals AS SELECT user_id, count(*) AS n, sum(amount) AS total FROM orders GROUP BY user_id;
COMMIT;
