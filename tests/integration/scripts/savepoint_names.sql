-- Savepoints by name as SQLite keeps them (DIALECT S5): RELEASE or ROLLBACK TO of a name
-- no savepoint has fails alone, the transaction and its rows intact (PostgreSQL aborts the
-- whole transaction on that failure, and its COMMIT then rolls back without an error);
-- RELEASE of an outer savepoint releases those inside it, and when that savepoint began the
-- transaction, commits (get_autocommit 1 after it); names compare without case; the
-- innermost of two savepoints with one name is the one named.  Ids are explicit.
CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
BEGIN;
INSERT INTO t VALUES (1, 'before a bad release');
RELEASE nosuch;
INSERT INTO t VALUES (2, 'after a bad release');
ROLLBACK TO nosuch;
INSERT INTO t VALUES (3, 'after a bad rollback to');
COMMIT;
SELECT id, v FROM t ORDER BY id;
BEGIN;
RELEASE nosuch;
ROLLBACK TO nosuch;
COMMIT;
SAVEPOINT outer_sp;
SAVEPOINT inner_sp;
INSERT INTO t VALUES (4, 'released with the outer savepoint');
RELEASE outer_sp;
RELEASE inner_sp;
ROLLBACK;
SELECT id, v FROM t ORDER BY id;
BEGIN;
SAVEPOINT a;
SAVEPOINT b;
INSERT INTO t VALUES (5, 'rolled back to a');
ROLLBACK TO a;
RELEASE b;
INSERT INTO t VALUES (6, 'after rollback to a');
RELEASE a;
RELEASE a;
COMMIT;
SELECT id, v FROM t ORDER BY id;
SAVEPOINT Mixed;
INSERT INTO t VALUES (7, 'names without case');
RELEASE mIXED;
SELECT id, v FROM t ORDER BY id;
BEGIN;
SAVEPOINT s;
INSERT INTO t VALUES (8, 'in the outer s');
SAVEPOINT s;
INSERT INTO t VALUES (9, 'in the inner s');
ROLLBACK TO s;
RELEASE s;
RELEASE s;
RELEASE s;
COMMIT;
SELECT id, v FROM t ORDER BY id;
