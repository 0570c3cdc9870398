-- DROP of objects that do not exist: SQLite's messages (no such table/view/index: name)
CREATE TABLE t(a INTEGER);
DROP TABLE nope;
DROP VIEW nope;
DROP INDEX nope;
DROP TABLE IF EXISTS nope;
DROP INDEX IF EXISTS nope;
DROP TABLE t;
DROP TABLE t;
