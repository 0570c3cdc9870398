-- Values come back with SQLite's storage classes (DESIGN §3, DIALECT R3, R4, F10).
CREATE TABLE v(i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC);
INSERT INTO v VALUES (42, 1.5, 'héllo', x'00ff', 7);
INSERT INTO v VALUES (-9223372036854775808, 0.1, '', x'', NULL);
--! bind 1 int 9007199254740993
--! bind 2 float 2.5
--! bind 3 text bound text
--! bind 4 blob-hex 0a0b0c
--! bind 5 null
INSERT INTO v VALUES (?, ?, ?, ?, ?);
SELECT i, r, t, b, n FROM v ORDER BY i;
SELECT 1 + 1, 7 / 2, 1.0, 'x' || 'y';
SELECT sum(i), count(*) FROM v WHERE i > 0;
