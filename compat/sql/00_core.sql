-- SPDX-License-Identifier: MIT
-- The compat pack's tables: its version, the original SQLite DDL text of each object the
-- shim or the copy tool created (read by the sqlite_master view), and the persistent
-- PRAGMA values (user_version, application_id) per database schema.  Every file in
-- compat/sql/ is run again on an upgrade, so each statement is idempotent; the schema
-- itself is created by compat/install.c.

CREATE TABLE IF NOT EXISTS liteshift.version(
    pack text PRIMARY KEY,
    version integer NOT NULL,
    installed_at timestamptz NOT NULL DEFAULT now());

CREATE TABLE IF NOT EXISTS liteshift.master(
    schemaname text NOT NULL,
    type text NOT NULL,
    name text NOT NULL,
    tbl_name text NOT NULL,
    sql text,
    PRIMARY KEY (schemaname, type, name));

-- shim/pg_exec.c (pragma_kv) reads and writes this table: keep its shape.
CREATE TABLE IF NOT EXISTS liteshift.pragma(
    db text,
    name text,
    value bigint NOT NULL,
    PRIMARY KEY (db, name));

-- SQLite's write lock taken as a statement's parameters are read (shim/pg_exec.c, D11): the
-- shim declares one more parameter of this type for an autocommit write, and PostgreSQL reads
-- its value, the lock's key, at Bind, before the statement's snapshot is taken, so a write
-- that waited sees what the lock's holder committed.  NULL takes nothing.  Kept, never
-- dropped: prepared statements hold the type's OID.
CREATE OR REPLACE FUNCTION liteshift.take_lock(k bigint) RETURNS boolean
LANGUAGE sql VOLATILE AS $$ SELECT pg_advisory_xact_lock(k) IS NOT NULL $$;

DO $$
BEGIN
    IF to_regtype('liteshift.lock_key') IS NULL THEN
        CREATE DOMAIN liteshift.lock_key AS bigint
            CHECK (VALUE IS NULL OR liteshift.take_lock(VALUE));
    END IF;
END $$;
