-- DIALECT S8: REPLACE / INSERT OR REPLACE on tables with several unique constraints (an
-- INTEGER PRIMARY KEY and UNIQUE columns): every conflicting row is deleted, the new row
-- inserted with a new rowid; changes() counts the inserted row, last_insert_rowid() is its.
CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT, n INTEGER DEFAULT 7);
INSERT INTO users(email, name) VALUES ('a@x', 'ann'), ('b@x', 'bob'), ('c@x', 'cy');
INSERT OR REPLACE INTO users(email, name) VALUES ('a@x', 'ann2');
SELECT id, email, name, n FROM users ORDER BY id;
--! bind 1 int 2
--! bind 2 text c@x
--! bind 3 text both
REPLACE INTO users(id, email, name) VALUES (?, ?, ?);
SELECT id, email, name, n FROM users ORDER BY id;
INSERT OR REPLACE INTO users VALUES (10, NULL, 'no email', -1);
INSERT OR REPLACE INTO users VALUES (10, NULL, 'still none', -2);
INSERT OR REPLACE INTO users(email, name) VALUES ('new@x', 'fresh');
SELECT id, email, name, n FROM users ORDER BY id;
CREATE TABLE pair(a INTEGER, b INTEGER, c TEXT, UNIQUE(a, b), UNIQUE(c));
INSERT INTO pair VALUES (1, 1, 'x'), (1, 2, 'y'), (2, 1, 'z');
INSERT OR REPLACE INTO pair VALUES (1, 2, 'x');
SELECT a, b, c FROM pair ORDER BY a, b;
REPLACE INTO pair(a, b, c) VALUES (2, 1, 'w');
SELECT a, b, c FROM pair ORDER BY a, b;
BEGIN;
INSERT OR REPLACE INTO users(id, email, name) VALUES (1, 'b@x', 'in txn');
INSERT INTO users(id, email) VALUES (1, 'dup');
SELECT id, email, name FROM users ORDER BY id;
COMMIT;
SELECT id, email, name FROM users ORDER BY id;
