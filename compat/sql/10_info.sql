-- SPDX-License-Identifier: MIT
-- Version and build information as SQLite reports it to SQL: sqlite_version(),
-- sqlite_source_id(), sqlite_compileoption_used/get().  The shim answers as the SQLite
-- 3.40 it stands in for (Debian 12's libsqlite3).

CREATE OR REPLACE FUNCTION liteshift.sqlite_version() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT '3.40.1' $$;

CREATE OR REPLACE FUNCTION liteshift.sqlite_source_id() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT '2022-12-28 14:03:47 df5c253c0b3dd24916e4ec7cf77d3db5294cc9fd45ae7b9c5e82ad8197f3alt1' $$;
