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
