-- DROP VIEW of a view that other views use (sqllogictest index/view): SQLite drops it and
-- keeps the views built on it; they can still be dropped, and their names stay taken until
-- then.  A * in a subquery or under DISTINCT sees no hidden rowid (T7).
CREATE TABLE t(a INTEGER, b TEXT);
INSERT INTO t VALUES (1, 'x'), (2, 'y');
CREATE VIEW v1 AS SELECT a, b FROM t WHERE a > 0;
CREATE VIEW v2 AS SELECT a FROM v1;
CREATE VIEW v3 AS SELECT a FROM v2 UNION ALL SELECT a FROM v1;
SELECT count(*) FROM v3;
DROP VIEW v1;
DROP VIEW v3;
DROP VIEW IF EXISTS v2;
DROP VIEW IF EXISTS v2;
CREATE VIEW v1 AS SELECT a FROM t;
CREATE VIEW v2 AS SELECT a FROM v1;
SELECT a FROM v2 ORDER BY a;
DROP VIEW v2;
DROP VIEW v1;
SELECT 2 IN (SELECT * FROM (SELECT a FROM t) AS s);
SELECT DISTINCT * FROM t ORDER BY a;
SELECT count(*) FROM (SELECT * FROM t) AS s;
INSERT INTO t SELECT * FROM t WHERE a = 1;
SELECT a, b FROM t ORDER BY a, b;
