-- Issue 4, acceptance 1: inside an explicit transaction a failing statement fails alone
-- (SQLite), it does not abort the transaction (PostgreSQL's default).
CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT UNIQUE);
BEGIN;
INSERT INTO t(id, v) VALUES (1, 'one');
INSERT INTO t(id, v) VALUES (1, 'again');
INSERT INTO t(id, v) VALUES (7, 'one');
SELECT * FROM x;
INSERT INTO t(id, v) VALUES (2, 'two');
COMMIT;
SELECT id, v FROM t ORDER BY id;
