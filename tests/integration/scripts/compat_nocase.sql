-- Issue 5: COLLATE NOCASE columns (liteshift.nocase, compat/sql/45_collation.sql): equality
-- ignoring case, on both backends.
CREATE TABLE nc(a TEXT COLLATE NOCASE, b INTEGER);
INSERT INTO nc VALUES ('Abc', 1), ('abc', 2), ('XYZ', 3);
SELECT b FROM nc WHERE a = 'ABC' ORDER BY b;
SELECT count(DISTINCT a) FROM nc;
