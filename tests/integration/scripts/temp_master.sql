-- A TEMP object named like a main object leaves the main object's record in sqlite_master
-- alone, and TEMP objects are not listed there: created, altered and dropped outside a
-- transaction and inside one, committed or rolled back, and an index on a TEMP table (which
-- SQLite puts in temp too).
CREATE TABLE t(x INTEGER);
CREATE INDEX ti ON t(x);
CREATE VIEW v AS SELECT x FROM t;
CREATE TEMP TABLE t(y TEXT, z TEXT);
CREATE TEMP VIEW v AS SELECT y FROM t;
CREATE INDEX tyi ON t(y);
CREATE TEMP TABLE only_temp(a);
SELECT type, name, tbl_name, sql FROM sqlite_temp_master ORDER BY type, name;
SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name;
ALTER TABLE t ADD COLUMN w TEXT;
SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name;
DROP INDEX tyi;
DROP VIEW v;
DROP TABLE t;
SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name;
BEGIN;
CREATE TEMP TABLE t(q);
ALTER TABLE t RENAME TO t_renamed;
CREATE TEMP TABLE t(r);
DROP TABLE t;
COMMIT;
SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name;
BEGIN;
DROP TABLE t_renamed;
CREATE TEMP TABLE t(s);
ROLLBACK;
SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name;
DROP TABLE t_renamed;
DROP TABLE only_temp;
DROP VIEW v;
SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name;
DROP TABLE t;
SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name;
