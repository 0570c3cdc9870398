-- Result column names (DIALECT R1), rowid of tables without INTEGER PRIMARY KEY (T7),
-- NULL and explicit values in an INTEGER PRIMARY KEY column (T4).
CREATE TABLE k(id INTEGER PRIMARY KEY, v TEXT);
CREATE TABLE h(a INTEGER, b TEXT);
INSERT INTO k VALUES (NULL, 'auto');
INSERT INTO k VALUES (10, 'explicit');
INSERT INTO k(v) VALUES ('after');
--! bind 1 null
--! bind 2 text bound null id
INSERT INTO k VALUES (?, ?);
--! bind 1 int 100
--! bind 2 text bound id
INSERT INTO k VALUES (?, ?);
INSERT INTO k(v) VALUES ('after bound');
INSERT INTO h VALUES (1, 'one');
INSERT INTO h(b, a) VALUES ('two', 2);
INSERT INTO h SELECT a + 10, b || '!' FROM h;
SELECT * FROM k ORDER BY id;
SELECT * FROM h ORDER BY a;
SELECT rowid, * FROM h ORDER BY rowid;
SELECT h.*, rowid AS r FROM h ORDER BY 3;
SELECT _rowid_, oid, a FROM h WHERE rowid = 2;
DELETE FROM h WHERE rowid = 1;
SELECT count(*), max(rowid), 'lit', 1 + 1 FROM h;
SELECT a + 1, -a, a AS "Alias", b bee, (a), upper(b) FROM h ORDER BY a;
SELECT k.*, h.* FROM k JOIN h ON h.a = k.id - 9 ORDER BY k.id;
SELECT 12 IN (SELECT a FROM h), 13 NOT IN (SELECT a FROM h);
SELECT DISTINCT a % 2 FROM h ORDER BY 1;
SELECT a FROM h UNION ALL SELECT id FROM k ORDER BY 1 LIMIT 3;
SELECT coalesce(NULL, 'x'), CAST(a AS TEXT), a || b, b COLLATE BINARY FROM h ORDER BY a LIMIT 1;
SELECT CAST(a AS TEXT) AS a FROM h ORDER BY a;
