-- SPDX-License-Identifier: MIT
-- ALTER TABLE forms PostgreSQL cannot say in one statement.  A column declared without a
-- type has a smallint "<name>:class" column right after it holding each value's SQLite
-- storage class (D2, rewriter/ddl.c); renaming the column renames that one too, but
-- PostgreSQL's ALTER TABLE takes one RENAME only, so the rewriter turns
-- ALTER TABLE t RENAME COLUMN a TO b of such a column into CALL liteshift.rename_column.

-- tbl: the table as the statement names it (an identifier, maybe schema-qualified, read as
-- the server reads ALTER TABLE's, through the search path); old, new: the column names as
-- the server spells them.  Errors are ALTER TABLE's own (no such table or column, a name
-- already taken), and nothing is renamed then.
CREATE OR REPLACE PROCEDURE liteshift.rename_column(tbl text, old text, new text)
LANGUAGE plpgsql AS $$
DECLARE
    rel regclass := tbl::regclass;
BEGIN
    EXECUTE format('ALTER TABLE %s RENAME COLUMN %I TO %I', rel, old, new);
    IF EXISTS (SELECT 1 FROM pg_attribute a
               WHERE a.attrelid = rel AND a.attname = old || ':class' AND NOT a.attisdropped
                 AND a.atttypid = 'int2'::regtype) THEN
        EXECUTE format('ALTER TABLE %s RENAME COLUMN %I TO %I', rel, old || ':class',
                       new || ':class');
    END IF;
END $$;
