-- SPDX-License-Identifier: MIT
-- SQLite's write lock (docs/compatibility.md D11) as the shim takes it when the database's
-- lock table exists: an empty table per database, liteshift.wl_<key in hex>, <key> being the
-- database's write-lock key (shim/pg_conn.c).
--   - A transaction that takes the write lock (BEGIN IMMEDIATE, a transaction's first write,
--     a write outside a transaction that is not a point write) holds the advisory lock of
--     the key, as before, and the lock table in EXCLUSIVE mode: liteshift.write_lock.
--   - A point write outside a transaction (one row by its rowid, or one VALUES row, that
--     reads no other table: rewriter/replay.c) takes no lock statement: its text starts with
--     WITH ls_wl AS (DELETE FROM liteshift.wl_<key> WHERE false), and PostgreSQL locks that
--     table in ROW EXCLUSIVE mode while it plans the statement, before the statement's
--     snapshot.  It therefore waits for a transaction that holds the write lock (and sees
--     what that transaction committed), and such a transaction waits for it.  Point writes
--     do not wait for each other: PostgreSQL's row locks order two writes of one row.

-- The lock table's name for a key.
CREATE OR REPLACE FUNCTION liteshift.write_lock_name(key bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'wl_' || lpad(to_hex(key), 16, '0')
$$;

-- Make the lock table of a key unless it exists (every connection asks once, at open);
-- true when it exists now.  A role that may not create it gets false, and its connection
-- keeps to the advisory lock alone.
CREATE OR REPLACE FUNCTION liteshift.write_lock_table(key bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    rel text := 'liteshift.' || liteshift.write_lock_name(key);
BEGIN
    IF to_regclass(rel) IS NOT NULL THEN
        RETURN true;
    END IF;
    BEGIN
        EXECUTE 'CREATE TABLE ' || rel || ' ()';
        EXECUTE 'GRANT ALL ON ' || rel || ' TO PUBLIC';
    EXCEPTION
        WHEN duplicate_table OR unique_violation THEN
            NULL;   -- another connection made it first
        WHEN insufficient_privilege THEN
            RETURN false;
    END;
    RETURN true;
END
$$;

-- Take the write lock, waiting as long as lock_timeout says.  The lock table is locked when
-- it exists, which a connection that may not create it (write_lock_table false) looks up
-- each time: point writes of other connections then wait for it all the same.
CREATE OR REPLACE FUNCTION liteshift.write_lock(key bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    rel regclass;
BEGIN
    PERFORM pg_advisory_xact_lock(key);
    rel := to_regclass('liteshift.' || liteshift.write_lock_name(key));
    IF rel IS NOT NULL THEN
        EXECUTE 'LOCK TABLE ' || rel::text || ' IN EXCLUSIVE MODE';
    END IF;
END
$$;

-- Take the write lock only if no one holds it: an error (55P03) otherwise.
CREATE OR REPLACE FUNCTION liteshift.write_lock_nowait(key bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock(key) THEN
        RAISE EXCEPTION 'the write lock is held by another connection'
            USING ERRCODE = 'lock_not_available';
    END IF;
    IF to_regclass('liteshift.' || liteshift.write_lock_name(key)) IS NOT NULL THEN
        EXECUTE 'LOCK TABLE liteshift.' || liteshift.write_lock_name(key)
            || ' IN EXCLUSIVE MODE NOWAIT';
    END IF;
END
$$;

-- Take the write lock if no one holds it, without failing: whether it is held now.  (An
-- exception block: for the rare paths, never per statement.)
CREATE OR REPLACE FUNCTION liteshift.try_write_lock(key bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock(key) THEN
        RETURN false;
    END IF;
    IF to_regclass('liteshift.' || liteshift.write_lock_name(key)) IS NULL THEN
        RETURN true;
    END IF;
    BEGIN
        EXECUTE 'LOCK TABLE liteshift.' || liteshift.write_lock_name(key)
            || ' IN EXCLUSIVE MODE NOWAIT';
    EXCEPTION WHEN lock_not_available THEN
        RETURN false;
    END;
    RETURN true;
END
$$;
