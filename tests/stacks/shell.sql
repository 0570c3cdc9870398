-- SPDX-License-Identifier: MIT
-- Client stack: the sqlite3 shell (tests/stacks/stack.sh runs it on both backends).  The
-- shell's own machinery is what is exercised: .changes (sqlite3_changes and
-- sqlite3_total_changes after each statement), output modes, headers, errors with their
-- result code, .bail off.  (.parameter needs the shell's temp.sqlite_parameters table and
-- SQL functions belong to the compat tests.)
.headers on
.mode list
.bail off
CREATE TABLE stack_item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, price REAL, qty INTEGER, note TEXT);
.changes on
BEGIN;
INSERT INTO stack_item (name, price, qty, note) VALUES ('apple', 1.25, 3, 'red');
INSERT INTO stack_item (name, price, qty, note) VALUES ('bread', 2.5, 1, NULL);
INSERT INTO stack_item (name, price, qty, note) VALUES ('cheese', 7.0, 2, 'aged');
COMMIT;
UPDATE stack_item SET qty = qty + 1 WHERE price > 2;
INSERT INTO stack_item (name) VALUES ('apple');
.changes off
SELECT id, name, price, qty, note FROM stack_item ORDER BY id;
.mode csv
SELECT count(*), sum(qty), avg(price) FROM stack_item;
.mode line
SELECT name, qty FROM stack_item WHERE qty = 2 ORDER BY id;
.mode list
BEGIN;
INSERT INTO stack_item (name) VALUES ('ghost');
ROLLBACK;
.changes on
DELETE FROM stack_item WHERE id = 2;
.changes off
.headers off
SELECT 'kept: ' || group_concat(name, ',') FROM (SELECT name FROM stack_item ORDER BY name);
