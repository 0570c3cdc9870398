-- Issue 7: statements the rewriter says return at most one row are read whole on PostgreSQL
-- (ls_rw_result.one_row, rewriter/dml.c); every other statement streams row by row.  Shapes
-- that look like a one-row statement but are not must still return all their rows: a key
-- equality on a column that is not unique, on a view, on a WITHOUT ROWID table, on a table
-- whose rowid is hidden; and the one-row shapes must keep rows, changes, last_insert_rowid
-- and errors, in autocommit and inside a transaction (where the savepoint surrounds them).
CREATE TABLE items(id INTEGER PRIMARY KEY, cat INTEGER NOT NULL, name TEXT);
INSERT INTO items(cat, name) VALUES (1, 'a');
INSERT INTO items(cat, name) VALUES (1, 'b');
INSERT INTO items VALUES (10, 2, 'c');
INSERT INTO items(id, cat, name) VALUES (10, 3, 'd') ON CONFLICT (id) DO UPDATE SET name = 'd2';
INSERT OR REPLACE INTO items(id, cat, name) VALUES (2, 5, 'b2');
INSERT INTO items(cat, name) VALUES (4, 'x'), (4, 'y');
INSERT INTO items(cat, name) SELECT cat + 10, name || '!' FROM items WHERE cat < 3 ORDER BY id;
-- an INSERT with its own RETURNING leaves last_insert_rowid alone on PostgreSQL (cases
-- ins-016): these run on a table without rowid, where SQLite leaves it alone too
CREATE TABLE wt(k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID;
INSERT INTO wt VALUES ('a', 1) RETURNING k, v;
INSERT INTO wt VALUES ('b', 2) RETURNING *;
INSERT INTO wt VALUES ('b', 3) ON CONFLICT (k) DO UPDATE SET v = 30 RETURNING k, v;
INSERT INTO wt VALUES ('b', 4) ON CONFLICT DO NOTHING RETURNING k;
INSERT INTO wt VALUES ('c', 5), ('d', 6) RETURNING k, v;
INSERT INTO wt SELECT k || k, v * 10 FROM wt WHERE v < 6 ORDER BY k RETURNING k, v;
SELECT v FROM wt WHERE k = 'b';
--! bind 1 int 2
SELECT id, cat, name FROM items WHERE id = ?;
--! bind 1 int 999
SELECT id, cat, name FROM items WHERE id = ?;
--! bind 1 null
SELECT id, cat, name FROM items WHERE id = ?;
SELECT name FROM items WHERE rowid = 10;
SELECT i.name FROM items AS i WHERE cat > 0 AND i.id = 1;
SELECT cat, count(*) FROM items WHERE id = 1 GROUP BY cat;
SELECT count(*), sum(cat), max(name), min(id) FROM items;
SELECT count(*), sum(cat) FROM items WHERE id > 1000;
SELECT count(*) FROM items HAVING count(*) > 100;
SELECT name FROM items ORDER BY id LIMIT 1;
SELECT name FROM items ORDER BY id LIMIT 1 OFFSET 2;
SELECT name FROM items LIMIT 0;
SELECT cat, count(*) FROM items GROUP BY cat ORDER BY cat;
-- a column called id that is not unique: every matching row
CREATE TABLE plain(id INTEGER, v TEXT);
INSERT INTO plain VALUES (1, 'p1'), (1, 'p2'), (1, 'p3'), (2, 'q');
SELECT v FROM plain WHERE id = 1 ORDER BY v;
SELECT v FROM plain WHERE rowid = 2;
-- a WITHOUT ROWID table keyed by an INTEGER PRIMARY KEY (PostgreSQL takes its key for
-- last_insert_rowid, SQLite does not: the last row inserted has the current value's key)
CREATE TABLE wr(id INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID;
INSERT INTO wr VALUES (1, 'w1'), (4, 'w4');
SELECT v FROM wr WHERE id = 4;
-- unique columns that are not the rowid: a text key, a NOCASE one, a pair that is unique
-- only together
CREATE TABLE uk(code TEXT UNIQUE, name TEXT COLLATE NOCASE UNIQUE, a INTEGER, b INTEGER,
  UNIQUE (a, b));
INSERT INTO uk VALUES ('x1', 'Alpha', 1, 1), ('x2', 'beta', 1, 2), ('x3', 'Gamma', 2, 1);
INSERT INTO uk VALUES ('x4', 'ALPHA', 3, 3);
SELECT name FROM uk WHERE code = 'x2';
SELECT code FROM uk WHERE name = 'alpha';
SELECT code FROM uk WHERE name = 'BETA' AND a = 1;
SELECT code FROM uk WHERE a = 1 ORDER BY code;
SELECT code FROM uk WHERE code = 'none';
-- a view with a column named id that repeats
CREATE VIEW vw AS SELECT p.id AS id, p.v AS v FROM plain p JOIN items i ON i.cat = 1;
SELECT v FROM vw WHERE id = 1 ORDER BY v;
SELECT count(*) FROM vw WHERE id = 1;
-- inside a transaction: the one-row shapes between the savepoint and its release
BEGIN;
INSERT INTO items(cat, name) VALUES (7, 'in txn');
SELECT name FROM items WHERE id = 3;
INSERT INTO items(id, cat, name) VALUES (1, 1, 'duplicate');
INSERT INTO wt VALUES ('a', 0) RETURNING k;
INSERT INTO wt VALUES ('e', 7) RETURNING k, v;
SELECT name FROM items WHERE id = 1;
SELECT count(*) FROM items;
INSERT INTO items(cat, name) VALUES (NULL, 'not null fails');
SELECT max(id) FROM items;
COMMIT;
SELECT id, cat, name FROM items ORDER BY id;
SELECT k, v FROM wt ORDER BY k;
