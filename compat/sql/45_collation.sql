-- SPDX-License-Identifier: MIT
-- COLLATE NOCASE (rewriter/ddl.c maps it to liteshift.nocase): equality that ignores case,
-- from ICU at strength 2.  SQLite folds ASCII letters only and orders the folded bytes;
-- ICU folds every script and orders by the Unicode collation algorithm (a documented
-- deviation, docs/compat-functions.md).  Without ICU in the server the collation is
-- missing and a NOCASE column fails to create, with PostgreSQL's message.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
                   WHERE n.nspname = 'liteshift' AND c.collname = 'nocase') THEN
        BEGIN
            CREATE COLLATION liteshift.nocase (provider = icu, locale = 'und-u-ks-level2',
                                               deterministic = false);
        EXCEPTION WHEN feature_not_supported OR invalid_parameter_value OR undefined_object THEN
            RAISE NOTICE 'liteshift: no ICU in this server: COLLATE NOCASE unavailable';
        END;
    END IF;
END $$;
