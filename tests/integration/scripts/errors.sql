-- Issue 4, acceptance 4: error codes and messages as SQLite gives them.
PRAGMA foreign_keys = ON;
CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER CHECK (qty >= 0));
CREATE TABLE c(id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(id));
INSERT INTO p(id, name, qty) VALUES (1, 'a', 1);
INSERT INTO p(id, name, qty) VALUES (1, 'b', 1);
INSERT INTO p(id, name, qty) VALUES (2, 'a', 1);
INSERT INTO p(id, name, qty) VALUES (3, NULL, 1);
INSERT INTO c(pid) VALUES (99);
SELECT * FROM nosuch;
SELECT nosuchcol FROM p;
SELEC 1;
SELECT count(*) FROM p;
