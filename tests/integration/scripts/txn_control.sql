-- Transaction control as SQLite answers it (DIALECT S4, S5).  Ids are explicit: rowids
-- taken by rolled-back inserts are not reused on PostgreSQL (docs/compatibility.md).
CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
COMMIT;
ROLLBACK;
BEGIN;
BEGIN;
INSERT INTO t VALUES (1, 'kept');
COMMIT;
BEGIN IMMEDIATE;
INSERT INTO t VALUES (2, 'rolled back');
ROLLBACK;
SAVEPOINT a;
INSERT INTO t VALUES (3, 'in savepoint');
RELEASE a;
BEGIN;
SAVEPOINT b;
INSERT INTO t VALUES (4, 'undone');
ROLLBACK TO b;
INSERT INTO t VALUES (5, 'after rollback to');
RELEASE b;
END;
SELECT id, v FROM t ORDER BY id;
