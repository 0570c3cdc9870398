-- Issue 5: last_insert_rowid(), changes() and total_changes() called inside SQL give what
-- the sqlite3_* functions give at that moment (DIALECT F15).  On PostgreSQL they are hidden
-- parameters the shim binds when each statement starts.
SELECT last_insert_rowid(), changes(), total_changes();
CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT UNIQUE, n INTEGER);
INSERT INTO t(a, n) VALUES ('one', 1);
SELECT last_insert_rowid(), changes(), total_changes();
INSERT INTO t(a, n) VALUES ('two', 2), ('three', 3), ('four', 4);
SELECT last_insert_rowid(), changes(), total_changes();
-- an INSERT OR IGNORE that ignored: the rowid stays, changes() is 0, the total does not move
-- (an explicit key: an ignored or failed insert that draws an automatic key leaves a gap on
-- PostgreSQL, docs/compatibility.md D13; the failure below is an UPDATE for the same reason)
INSERT OR IGNORE INTO t(id, a, n) VALUES (2, 'dup', 20);
SELECT last_insert_rowid(), changes(), total_changes();
-- changes() after an UPDATE of n rows, total_changes() across statements
UPDATE t SET n = n * 10 WHERE n >= 2;
SELECT changes(), total_changes(), total_changes() - changes();
-- read inside the statement that changes them: the values from before it
UPDATE t SET n = changes() + 100 * total_changes() WHERE id = 1;
SELECT id, n FROM t WHERE id = 1;
SELECT changes(), total_changes();
-- used as an inserted value, and in a WHERE clause
INSERT INTO t(a, n) VALUES ('prev', last_insert_rowid());
SELECT id, a, n FROM t WHERE id = last_insert_rowid();
SELECT a FROM t WHERE n = last_insert_rowid() - 1 OR id = changes() + 100 ORDER BY id;
DELETE FROM t WHERE id BETWEEN last_insert_rowid() - 3 AND last_insert_rowid() - 2;
SELECT changes(), total_changes(), last_insert_rowid();
SELECT count(*) FROM t WHERE id <= last_insert_rowid() AND changes() = 2;
-- mixed with the app's own parameters, which keep their numbers
--! bind 1 text five
--! bind 2 int 5
INSERT INTO t(a, n) VALUES (?, ? + last_insert_rowid());
--! bind 1 int 1
SELECT a, n, ?1 + changes(), typeof(last_insert_rowid()) FROM t WHERE id = last_insert_rowid();
-- in expressions and functions
SELECT 'rowid ' || last_insert_rowid(), max(changes(), 0), coalesce(total_changes(), -1);
-- in a transaction, after a statement that failed
BEGIN;
INSERT INTO t(a, n) VALUES ('six', 6);
UPDATE t SET a = 'six' WHERE a = 'five';
SELECT last_insert_rowid(), changes(), total_changes();
INSERT INTO t(a, n) SELECT 'seven', last_insert_rowid();
COMMIT;
SELECT id, a, n FROM t ORDER BY id;
-- a REPLACE counts one change
CREATE TABLE r(id INTEGER PRIMARY KEY, v INTEGER);
INSERT INTO r(v) VALUES (total_changes());
REPLACE INTO r(id, v) VALUES (1, last_insert_rowid() + changes());
SELECT id, v, changes(), total_changes(), last_insert_rowid() FROM r;
