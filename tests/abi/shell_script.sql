-- Exercises the sqlite3 shell through the shim: schema, data, output modes, dump,
-- errors and multi-statement input.  Compared byte for byte with the native shell.
CREATE TABLE artist(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, born DATE);
CREATE TABLE album(id INTEGER PRIMARY KEY AUTOINCREMENT, artist_id INTEGER REFERENCES artist(id),
  title TEXT, price REAL DEFAULT 9.99, cover BLOB, released DATETIME DEFAULT '2000-01-01 00:00:00');
CREATE INDEX album_artist ON album(artist_id) WHERE artist_id IS NOT NULL;
CREATE VIEW cheap AS SELECT title, price FROM album WHERE price < 10;
CREATE TRIGGER album_ai AFTER INSERT ON album BEGIN UPDATE album SET title = upper(title) WHERE id = new.id AND title = 'shout'; END;
INSERT INTO artist VALUES (1, 'Ada', '1815-12-10'), (2, 'Grace', NULL); INSERT INTO artist(name) VALUES ('Édith Piaf');
INSERT INTO album(artist_id, title, price, cover) VALUES (1, 'Engines', 12.5, x'00ff10'), (2, 'shout', 3.25, NULL), (NULL, 'it''s "quoted"', 0.1 + 0.2, zeroblob(3));
.tables
.schema
.schema album
.indexes
.headers on
SELECT * FROM artist ORDER BY id;
.mode csv
SELECT id, title, price, hex(cover) FROM album ORDER BY id;
.mode column
SELECT a.name, count(b.id) AS n, total(b.price) FROM artist a LEFT JOIN album b ON b.artist_id = a.id GROUP BY a.id ORDER BY a.id;
.mode list
.nullvalue NULL
SELECT typeof(born), born FROM artist ORDER BY id;
.mode json
SELECT * FROM cheap ORDER BY title;
.mode insert album
SELECT * FROM album ORDER BY id;
.mode line
SELECT sqlite_version() AS v, 7/2 AS q, 1e20 AS big, length('héllo') AS l;
.headers off
.mode list
SELECT * FROM nosuchtable;
SELECT 1 FROM;
INSERT INTO artist VALUES (1, 'dup', NULL);
INSERT INTO artist(name) VALUES (NULL);
SELECT 'after errors', count(*) FROM artist; SELECT 'second statement on the line';
BEGIN; INSERT INTO artist(name) VALUES ('rolled back'); ROLLBACK;
SELECT count(*) FROM artist;
.print printed text
.sha3sum
.dump
.backup main backup_copy.db
.open backup_copy.db
SELECT count(*) FROM album;
.mode csv
.import --csv import.csv imported
SELECT * FROM imported;
