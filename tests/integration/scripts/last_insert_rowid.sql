-- Issue 4, acceptance 5: last_insert_rowid from the table's real integer key.
CREATE TABLE a(track_no INTEGER PRIMARY KEY, title TEXT UNIQUE);
CREATE TABLE b(code TEXT PRIMARY KEY, n INTEGER);
INSERT INTO a(title) VALUES ('first');
INSERT INTO a(title) VALUES ('second');
INSERT OR IGNORE INTO a(title) VALUES ('first');
INSERT INTO a(track_no, title) VALUES (40, 'explicit');
INSERT INTO a(title) VALUES ('after explicit');
INSERT INTO a(title) VALUES ('x'), ('y');
SELECT track_no, title FROM a ORDER BY track_no;
