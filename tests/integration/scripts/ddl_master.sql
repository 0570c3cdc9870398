-- Issue 7: outside a transaction a DDL statement and its liteshift.master change run in one
-- pipeline and one implicit transaction (shim/pg_exec.c ddl_end).  sqlite_master must show
-- what SQLite shows: the text of what succeeded, nothing of what failed, and the same
-- inside a transaction, where the change runs apart.
CREATE TABLE t(a INTEGER, b TEXT);
CREATE TABLE t(c INTEGER);
CREATE TABLE u(x);
CREATE INDEX t_a ON t(a);
CREATE VIEW v AS SELECT a FROM t;
SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name;
ALTER TABLE t ADD COLUMN d REAL;
ALTER TABLE u RENAME TO w;
DROP VIEW v;
CREATE TABLE w(y);
SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name;
BEGIN;
CREATE TABLE x(k INTEGER PRIMARY KEY);
CREATE TABLE x(k);
DROP INDEX t_a;
COMMIT;
SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name;
DROP TABLE t;
SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name;
