-- Issue 5: COLLATE NOCASE columns (liteshift.nocase, compat/sql/45_collation.sql) and
-- GLOB with a column pattern (liteshift.glob), on both backends.
CREATE TABLE nc(a TEXT COLLATE NOCASE, b INTEGER);
INSERT INTO nc VALUES ('Abc', 1), ('abc', 2), ('XYZ', 3);
SELECT b FROM nc WHERE a = 'ABC' ORDER BY b;
SELECT count(DISTINCT a) FROM nc;
CREATE TABLE gl(s TEXT, p TEXT);
INSERT INTO gl VALUES ('abc', 'a*'), ('abc', 'b*'), ('a.c', 'a?c'), (NULL, '*'), ('x', NULL);
SELECT s, p, s GLOB p, glob(p, s) FROM gl ORDER BY rowid;
SELECT count(*) FROM gl WHERE s GLOB p;
SELECT count(*) FROM gl WHERE s NOT GLOB p;
