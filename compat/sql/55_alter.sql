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

-- The recorded CREATE text of a table (liteshift.master, 50_master.sql) after ALTER TABLE
-- RENAME COLUMN or DROP COLUMN, rewritten as SQLite rewrites its own, so that sqlite_master
-- and PRAGMA table_info follow: RENAME renames every use of the column's name in the
-- table's text (its definition, constraints, CHECK and generated expressions; not the
-- column list of a REFERENCES, which names the other table's columns) and in the text of
-- the table's indexes; DROP removes the column's definition and the comma before it (after
-- it, for the first).  A bare name is replaced by new_name bare when the statement wrote it
-- bare, else by it double-quoted.  Tokens: SQLite's strings, quoted names ("x", [x], `x`),
-- comments, words and single punctuation.
CREATE OR REPLACE FUNCTION liteshift.sqlite_tokens(s text)
RETURNS TABLE(p int, n int, k "char") LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    i int := 1;
    len int := length(s);
    ch text;
    j int;
    closer text;
BEGIN
    WHILE i <= len LOOP
        ch := substr(s, i, 1);
        IF ch ~ '\s' THEN
            i := i + 1;
            CONTINUE;
        ELSIF substr(s, i, 2) = '--' THEN
            j := strpos(substr(s, i), E'\n');
            i := CASE WHEN j = 0 THEN len + 1 ELSE i + j END;
            CONTINUE;
        ELSIF substr(s, i, 2) = '/*' THEN
            j := strpos(substr(s, i + 2), '*/');
            i := CASE WHEN j = 0 THEN len + 1 ELSE i + j + 3 END;
            CONTINUE;
        ELSIF ch IN ('''', '"', '`', '[') THEN
            closer := CASE ch WHEN '[' THEN ']' ELSE ch END;
            j := i + 1;
            LOOP
                EXIT WHEN j > len;
                IF substr(s, j, 1) = closer THEN
                    IF closer <> ']' AND substr(s, j + 1, 1) = closer THEN
                        j := j + 2;   -- a doubled quote inside
                        CONTINUE;
                    END IF;
                    EXIT;
                END IF;
                j := j + 1;
            END LOOP;
            p := i; n := least(j, len) - i + 1; k := CASE ch WHEN '''' THEN 's' ELSE 'q' END;
            RETURN NEXT;
            i := j + 1;
        ELSIF ch ~ '[A-Za-z0-9_$\u0080-\uffff]' THEN
            j := i;
            WHILE j <= len AND substr(s, j, 1) ~ '[A-Za-z0-9_$\u0080-\uffff]' LOOP
                j := j + 1;
            END LOOP;
            p := i; n := j - i; k := CASE WHEN ch ~ '[0-9]' THEN 'n' ELSE 'w' END;
            RETURN NEXT;
            i := j;
        ELSE
            p := i; n := 1; k := 'p';
            RETURN NEXT;
            i := i + 1;
        END IF;
    END LOOP;
END $$;


DROP FUNCTION IF EXISTS liteshift.master_alter_column(text, text, text, text, bool);
-- qual: the statement's qualifier ('main', 'temp' or ''): an unqualified name is the temp
-- table's when the session has one of that name (SQLite's temp database first), whose
-- records are the session's (pg_temp.liteshift_temp_master, 50_master.sql)
CREATE OR REPLACE FUNCTION liteshift.master_alter_column(tbl text, op text, old text,
                                                        new_name text, new_quoted bool,
                                                        qual text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    tmp bool := lower(qual) = 'temp'
                OR (lower(qual) <> 'main' AND liteshift.master_is_temp('table', tbl));
    r record;
    t record;
    s text;
    out_text text;
    last int;
    depth int;
    opened bool;
    refs int;          -- > 0: the depth of a REFERENCES clause's column list
    after_refs bool;
    ref_name text;     -- the table a REFERENCES clause names
    ref_self bool;     -- its column list is this table's columns
    own bool;          -- the record is the table's or one of its indexes (else: another
                       -- table, whose REFERENCES to this one follow the rename)
    prev_comma int;    -- the comma before the current column-list item, or NULL (first)
    first_tok bool;    -- the next token begins a column-list item
    cut_from int;
    cut_first bool;
    cut_to int;
    renames bool;
BEGIN
    FOR r IN SELECT m.type, m.name, m.tbl_name, m.sql FROM liteshift.master m
             WHERE NOT tmp AND m.schemaname = current_schema()
               AND (lower(m.tbl_name) = lower(tbl)
                    OR (op = 'rename' AND m.type = 'table' AND m.sql ~* 'references'))
               AND m.sql IS NOT NULL AND m.type IN ('table', 'index')
             UNION ALL
             SELECT m.type, m.name, m.tbl_name, m.sql FROM liteshift.temp_master_rows() m
             WHERE tmp AND (lower(m.tbl_name) = lower(tbl)
                            OR (op = 'rename' AND m.type = 'table' AND m.sql ~* 'references'))
               AND m.sql IS NOT NULL AND m.type IN ('table', 'index') LOOP
        s := r.sql;
        own := lower(r.tbl_name) = lower(tbl);
        ref_self := false;
        out_text := '';
        last := 1;
        depth := 0;
        opened := false;
        refs := 0;
        after_refs := false;
        prev_comma := NULL;
        first_tok := false;
        cut_from := NULL;
        cut_to := NULL;
        -- nx: the next token's first character; a name followed by '(' is a function's
        -- (lower(lower)), never a column's
        FOR t IN SELECT x.p, x.n, x.k, lead(substr(s, x.p, 1)) OVER (ORDER BY x.p) AS nx
                 FROM liteshift.sqlite_tokens(s) x ORDER BY x.p LOOP
            IF t.k = 'p' AND substr(s, t.p, 1) = '(' THEN
                depth := depth + 1;
                IF after_refs THEN
                    refs := depth;
                    ref_self := lower(ref_name) = lower(tbl);
                    after_refs := false;
                END IF;
                IF depth = 1 AND NOT opened THEN
                    opened := true;
                    first_tok := true;
                END IF;
                CONTINUE;
            ELSIF t.k = 'p' AND substr(s, t.p, 1) = ')' THEN
                IF depth = refs THEN
                    refs := 0;
                END IF;
                IF depth = 1 AND cut_from IS NOT NULL AND cut_to IS NULL THEN
                    cut_to := t.p;   -- the last item: up to the closing parenthesis
                END IF;
                depth := depth - 1;
                CONTINUE;
            ELSIF t.k = 'p' AND substr(s, t.p, 1) = ',' AND depth = 1 AND opened THEN
                IF cut_from IS NOT NULL AND cut_to IS NULL THEN
                    IF cut_first THEN   -- through this comma and the space after it
                        cut_to := t.p + 1;
                        WHILE substr(s, cut_to, 1) ~ '\s' LOOP
                            cut_to := cut_to + 1;
                        END LOOP;
                    ELSE                -- up to this comma, which the next item keeps
                        cut_to := t.p;
                    END IF;
                END IF;
                prev_comma := t.p;
                first_tok := true;
                CONTINUE;
            END IF;
            IF t.k = 'w' AND upper(substr(s, t.p, t.n)) = 'REFERENCES' THEN
                after_refs := true;
                ref_name := NULL;
            ELSIF after_refs AND ref_name IS NULL AND t.k IN ('w', 'q') THEN
                ref_name := liteshift.ddl_name(substr(s, t.p, t.n));
            END IF;
            -- a name token that names the column: the first of a column-list item (a
            -- column's definition), or one inside parentheses (constraints, expressions;
            -- an index's columns), not after a '.', not in a REFERENCES column list
            -- (a rename also follows in the REFERENCES column lists naming this table,
            -- its own and other tables', as SQLite's does)
            renames := opened AND t.k IN ('w', 'q')
                       AND ((own AND refs = 0
                             AND (depth >= 2 OR (depth = 1 AND (first_tok OR r.type = 'index'))))
                            OR (op = 'rename' AND refs > 0 AND depth = refs AND ref_self))
                       AND NOT (t.p > 1 AND substr(s, t.p - 1, 1) = '.')
                       AND t.nx IS DISTINCT FROM '('
                       AND lower(liteshift.ddl_name(substr(s, t.p, t.n))) = lower(old);
            IF op = 'drop' AND renames AND r.type = 'table' AND depth = 1 AND first_tok
               AND cut_from IS NULL THEN
                cut_first := prev_comma IS NULL;
                cut_from := coalesce(prev_comma, t.p);
            ELSIF op = 'rename' AND renames THEN
                out_text := out_text || substr(s, last, t.p - last)
                            || CASE WHEN t.k = 'w' AND NOT new_quoted THEN new_name
                                    ELSE '"' || replace(new_name, '"', '""') || '"' END;
                last := t.p + t.n;
            END IF;
            IF depth = 1 THEN
                first_tok := false;
            END IF;
        END LOOP;
        IF op = 'rename' THEN
            out_text := out_text || substr(s, last);
        ELSIF op = 'drop' AND cut_from IS NOT NULL AND cut_to IS NOT NULL THEN
            out_text := substr(s, 1, cut_from - 1) || substr(s, cut_to);
        ELSE
            out_text := s;
        END IF;
        IF out_text IS DISTINCT FROM s AND tmp THEN
            EXECUTE 'UPDATE pg_temp.liteshift_temp_master m SET sql = $1 '
                    'WHERE m.type = $2 AND m.name = $3' USING out_text, r.type, r.name;
        ELSIF out_text IS DISTINCT FROM s THEN
            UPDATE liteshift.master m SET sql = out_text
            WHERE m.schemaname = current_schema() AND m.type = r.type AND m.name = r.name;
        END IF;
    END LOOP;
END $$;
