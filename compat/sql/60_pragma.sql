-- SPDX-License-Identifier: MIT
-- The catalog PRAGMAs as table functions: PRAGMA table_info(t) is rewritten to
-- SELECT * FROM liteshift.pragma_table_info('t') (rewriter/pragma.c).  Answers come from the
-- original DDL text in liteshift.master, read the way SQLite reads it (declared types as
-- written, NOT NULL only where declared, automatic indexes for UNIQUE and non-rowid PRIMARY
-- KEY constraints, newest index first, foreign keys numbered from the last declared), and
-- from the server's catalog for tables nobody recorded.

-- The server relation for an SQLite table name in the current schema.
CREATE OR REPLACE FUNCTION liteshift.rel_of(obj text) RETURNS oid
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND lower(c.relname) = lower(obj)
    ORDER BY c.relname = obj DESC LIMIT 1
$$;

-- SQLite's name for a server type, for tables the shim did not record.
CREATE OR REPLACE FUNCTION liteshift.decl_of(t oid, typmod int) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE t
        WHEN 'int8'::regtype THEN 'INTEGER' WHEN 'int4'::regtype THEN 'INTEGER'
        WHEN 'int2'::regtype THEN 'INTEGER' WHEN 'text'::regtype THEN 'TEXT'
        WHEN 'float8'::regtype THEN 'REAL' WHEN 'float4'::regtype THEN 'REAL'
        WHEN 'bytea'::regtype THEN 'BLOB' WHEN 'bool'::regtype THEN 'BOOLEAN'
        WHEN 'timestamp'::regtype THEN 'DATETIME' WHEN 'date'::regtype THEN 'DATE'
        ELSE upper(format_type(t, typmod)) END
$$;

CREATE OR REPLACE FUNCTION liteshift.pragma_table_xinfo(tbl text DEFAULT NULL)
RETURNS TABLE(cid bigint, name text, type text, "notnull" bigint, dflt_value text, pk bigint,
              hidden bigint)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    ddl text := liteshift.master_sql('table', tbl);
    pkcols text[];
BEGIN
    IF tbl IS NULL THEN
        RETURN;
    END IF;
    IF ddl IS NOT NULL AND ddl ~* '^\s*CREATE\s+(TEMP\s+|TEMPORARY\s+)?TABLE' THEN
        SELECT d.cols INTO pkcols FROM liteshift.ddl_table(ddl) d WHERE d.kind = 'pk' LIMIT 1;
        RETURN QUERY
        SELECT d.cid::bigint, d.name,
               -- SQLite 3.37+ spells the type names STRICT knows in upper case
               CASE WHEN upper(d.decl) IN ('INT', 'INTEGER', 'REAL', 'TEXT', 'BLOB', 'ANY')
                    THEN upper(d.decl) ELSE d.decl END,
               d."notnull"::int::bigint, d.dflt,
               CASE WHEN pkcols IS NOT NULL
                    THEN coalesce((SELECT k.i FROM unnest(pkcols) WITH ORDINALITY k(c, i)
                                   WHERE lower(k.c) = lower(d.name) LIMIT 1), 0)
                    WHEN d.cols IS NOT NULL THEN 1 ELSE 0 END::bigint,
               0::bigint
        FROM liteshift.ddl_table(ddl) d WHERE d.kind = 'col' ORDER BY d.cid;
        RETURN;
    END IF;
    RETURN QUERY
    SELECT (row_number() OVER (ORDER BY a.attnum) - 1)::bigint, a.attname::text,
           CASE WHEN a.classed THEN '' ELSE liteshift.decl_of(a.atttypid, a.atttypmod) END,
           (a.attnotnull AND coalesce(k.pos, 0) = 0)::int::bigint,
           -- a string default in SQLite's spelling: 'x', not 'x'::text
           CASE WHEN a.attidentity = '' THEN regexp_replace(pg_get_expr(ad.adbin, ad.adrelid),
                                                            '^(''([^'']|'''')*'')::text$', '\1')
                END,
           coalesce(k.pos, 0)::bigint, 0::bigint
    FROM liteshift.attributes(liteshift.rel_of(tbl)) a
    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    LEFT JOIN LATERAL (
        SELECT x.i AS pos FROM pg_constraint pc, unnest(pc.conkey) WITH ORDINALITY x(att, i)
        WHERE pc.conrelid = a.attrelid AND pc.contype = 'p' AND x.att = a.attnum) k ON true
    WHERE NOT a.is_class AND NOT a.hidden_rowid
    ORDER BY a.attnum;
END $$;

CREATE OR REPLACE FUNCTION liteshift.pragma_table_info(tbl text DEFAULT NULL)
RETURNS TABLE(cid bigint, name text, type text, "notnull" bigint, dflt_value text, pk bigint)
LANGUAGE sql STABLE AS $$
    SELECT cid, name, type, "notnull", dflt_value, pk FROM liteshift.pragma_table_xinfo(tbl)
$$;

CREATE OR REPLACE FUNCTION liteshift.pragma_index_list(tbl text DEFAULT NULL)
RETURNS TABLE(seq bigint, name text, "unique" bigint, origin text, partial bigint)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF tbl IS NULL THEN
        RETURN;
    END IF;
    IF liteshift.master_sql('table', tbl) IS NOT NULL THEN
        RETURN QUERY
        SELECT (row_number() OVER (ORDER BY o.grp, o.ord DESC) - 1)::bigint, o.name, o.u, o.origin, o.p
        FROM (
            SELECT 0 AS grp, m.seq AS ord, m.name,
                   (m.sql ~* '^\s*CREATE\s+UNIQUE')::int::bigint AS u, 'c'::text AS origin,
                   (m.sql ~* '\mWHERE\M')::int::bigint AS p
            FROM (SELECT t.type, t.name, t.tbl_name, t.sql, t.seq
                  FROM liteshift.temp_master_rows() t
                  WHERE liteshift.master_is_temp('table', tbl)
                  UNION ALL
                  SELECT x.type, x.name, x.tbl_name, x.sql, x.seq FROM liteshift.master x
                  WHERE x.schemaname = current_schema()
                    AND NOT liteshift.master_is_temp('table', tbl)) m
            WHERE m.type = 'index' AND lower(m.tbl_name) = lower(tbl)
            UNION ALL
            SELECT 1, a.n, a.name, 1, a.origin, 0 FROM liteshift.autoindexes(tbl) a) o;
        RETURN;
    END IF;
    RETURN QUERY
    SELECT (row_number() OVER (ORDER BY c.oid DESC) - 1)::bigint, c.relname::text,
           ix.indisunique::int::bigint,
           CASE WHEN ix.indisprimary THEN 'pk'
                WHEN EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid) THEN 'u'
                ELSE 'c' END,
           (ix.indpred IS NOT NULL)::int::bigint
    FROM pg_index ix JOIN pg_class c ON c.oid = ix.indexrelid
    WHERE ix.indrelid = liteshift.rel_of(tbl);
END $$;

CREATE OR REPLACE FUNCTION liteshift.pragma_index_xinfo(idx text DEFAULT NULL)
RETURNS TABLE(seqno bigint, cid bigint, name text, "desc" bigint, coll text, key bigint)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    ddl text := liteshift.master_sql('index', idx);
    tbl text;
    cols text[];
    grp text;
    nm text;
    r record;
BEGIN
    IF idx IS NULL THEN
        RETURN;
    END IF;
    IF ddl IS NOT NULL THEN
        SELECT m.tbl_name INTO tbl
        FROM liteshift.master_row_in('index', idx, liteshift.master_is_temp('index', idx)) m;
        -- the group after ON table
        SELECT x.w INTO grp FROM liteshift.ddl_words(ddl) x
        WHERE x.w LIKE '(%' AND x.b > (SELECT min(y.b) FROM liteshift.ddl_words(ddl) y
                                       WHERE upper(y.w) = 'ON')
        ORDER BY x.b LIMIT 1;
        cols := liteshift.ddl_items(grp);
    ELSIF idx ~* '^sqlite_autoindex_' THEN
        SELECT a.cols, t.name INTO cols, tbl
        FROM liteshift.master t, liteshift.autoindexes(t.name) a
        WHERE t.schemaname = current_schema() AND t.type = 'table'
          AND lower(idx) LIKE 'sqlite_autoindex_' || lower(t.name) || '_%'
          AND lower(a.name) = lower(idx)
        LIMIT 1;
    END IF;
    IF cols IS NULL THEN
        RETURN;
    END IF;
    FOR r IN SELECT x.c, x.i FROM unnest(cols) WITH ORDINALITY x(c, i) LOOP
        seqno := r.i - 1;
        nm := liteshift.ddl_name((SELECT x.w FROM liteshift.ddl_words(r.c) x LIMIT 1));
        IF (SELECT count(*) FROM liteshift.ddl_words(r.c) y
            WHERE upper(y.w) NOT IN ('ASC', 'DESC') AND upper(y.w) <> 'COLLATE') > 1
           AND r.c !~* '^\S+\s+(ASC|DESC|COLLATE\s+\S+)(\s+(ASC|DESC))?\s*$' THEN
            nm := NULL;   -- an expression
        END IF;
        cid := (SELECT t.cid FROM liteshift.pragma_table_info(tbl) t
                WHERE lower(t.name) = lower(nm) LIMIT 1);
        cid := CASE WHEN nm IS NULL THEN -2 WHEN lower(nm) = 'rowid' THEN -1
                    ELSE coalesce(cid, -1) END;
        name := nm;
        "desc" := (r.c ~* '\mDESC\s*$')::int;
        coll := coalesce((regexp_match(r.c, 'COLLATE\s+(\S+)', 'i'))[1], 'BINARY');
        key := 1;
        RETURN NEXT;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION liteshift.pragma_index_info(idx text DEFAULT NULL)
RETURNS TABLE(seqno bigint, cid bigint, name text)
LANGUAGE sql STABLE AS $$
    SELECT seqno, cid, name FROM liteshift.pragma_index_xinfo(idx)
$$;

CREATE OR REPLACE FUNCTION liteshift.pragma_foreign_key_list(tbl text DEFAULT NULL)
RETURNS TABLE(id bigint, seq bigint, "table" text, "from" text, "to" text, on_update text,
              on_delete text, match text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    ddl text := liteshift.master_sql('table', tbl);
BEGIN
    IF ddl IS NOT NULL THEN
        RETURN QUERY
        WITH fk AS (
            SELECT d.*, row_number() OVER (ORDER BY d.ord DESC) - 1 AS fid
            FROM liteshift.ddl_table(ddl) d WHERE d.kind = 'fk')
        SELECT fk.fid::bigint, (c.i - 1)::bigint, fk.ref, c.col, fk.refcols[c.i],
               fk.on_update, fk.on_delete, fk.match
        FROM fk, unnest(fk.cols) WITH ORDINALITY c(col, i)
        ORDER BY fk.fid, c.i;
        RETURN;
    END IF;
    RETURN QUERY
    SELECT (row_number() OVER (ORDER BY k.oid DESC) - 1)::bigint AS fid, (x.i - 1)::bigint,
           rt.relname::text, a.attname::text, ra.attname::text,
           CASE k.confupdtype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'
               WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END,
           CASE k.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'
               WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END,
           'NONE'::text
    FROM pg_constraint k
    JOIN pg_class rt ON rt.oid = k.confrelid
    CROSS JOIN LATERAL unnest(k.conkey, k.confkey) WITH ORDINALITY x(att, ratt, i)
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.att
    JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = x.ratt
    WHERE k.conrelid = liteshift.rel_of(tbl) AND k.contype = 'f'
    ORDER BY 1, 2;
END $$;

CREATE OR REPLACE FUNCTION liteshift.pragma_table_list(tbl text DEFAULT NULL)
RETURNS TABLE(schema text, name text, type text, ncol bigint, wr bigint, strict bigint)
LANGUAGE sql STABLE AS $$
    SELECT 'main'::text, m.name, m.type,
           (SELECT count(*) FROM liteshift.pragma_table_xinfo(m.name)),
           (m.type = 'table' AND m.sql ~* 'WITHOUT\s+ROWID\s*$')::int::bigint,
           (m.type = 'table' AND m.sql ~* '\mSTRICT\s*$')::int::bigint
    FROM liteshift.sqlite_master m
    WHERE m.type IN ('table', 'view') AND (tbl IS NULL OR lower(m.name) = lower(tbl))
    UNION ALL
    SELECT 'main', 'sqlite_schema', 'table', 5, 0, 0 WHERE tbl IS NULL OR lower(tbl) = 'sqlite_schema'
    UNION ALL
    SELECT 'temp', 'sqlite_temp_schema', 'table', 5, 0, 0
    WHERE tbl IS NULL OR lower(tbl) = 'sqlite_temp_schema'
$$;

-- The file name SQLite would report is the client's: the shim does not pass it, so the
-- server answers with the database name (a documented deviation).
CREATE OR REPLACE FUNCTION liteshift.pragma_database_list(arg text DEFAULT NULL)
RETURNS TABLE(seq bigint, name text, file text)
LANGUAGE sql STABLE AS $$ SELECT 0::bigint, 'main'::text, current_database()::text $$;

CREATE OR REPLACE FUNCTION liteshift.pragma_compile_options(arg text DEFAULT NULL)
RETURNS TABLE(compile_options text)
LANGUAGE sql IMMUTABLE AS $$
    SELECT unnest(string_to_array(
        'ATOMIC_INTRINSICS=1 COMPILER=gcc-12.2.0 DEFAULT_AUTOVACUUM DEFAULT_CACHE_SIZE=-2000 '
        'DEFAULT_FILE_FORMAT=4 DEFAULT_JOURNAL_SIZE_LIMIT=-1 DEFAULT_MMAP_SIZE=0 '
        'DEFAULT_PAGE_SIZE=4096 DEFAULT_PCACHE_INITSZ=20 DEFAULT_RECURSIVE_TRIGGERS '
        'DEFAULT_SECTOR_SIZE=4096 DEFAULT_SYNCHRONOUS=2 DEFAULT_WAL_AUTOCHECKPOINT=1000 '
        'DEFAULT_WAL_SYNCHRONOUS=2 DEFAULT_WORKER_THREADS=0 ENABLE_COLUMN_METADATA '
        'ENABLE_DBSTAT_VTAB ENABLE_FTS3 ENABLE_FTS3_PARENTHESIS ENABLE_FTS3_TOKENIZER '
        'ENABLE_FTS4 ENABLE_FTS5 ENABLE_LOAD_EXTENSION ENABLE_MATH_FUNCTIONS '
        'ENABLE_PREUPDATE_HOOK ENABLE_RTREE ENABLE_SESSION ENABLE_STMTVTAB '
        'ENABLE_UNLOCK_NOTIFY ENABLE_UPDATE_DELETE_LIMIT HAVE_ISNAN LIKE_DOESNT_MATCH_BLOBS '
        'MALLOC_SOFT_LIMIT=1024 MAX_ATTACHED=10 MAX_COLUMN=2000 MAX_COMPOUND_SELECT=500 '
        'MAX_DEFAULT_PAGE_SIZE=32768 MAX_EXPR_DEPTH=1000 MAX_FUNCTION_ARG=127 '
        'MAX_LENGTH=1000000000 MAX_LIKE_PATTERN_LENGTH=50000 MAX_MMAP_SIZE=0x7fff0000 '
        'MAX_PAGE_COUNT=1073741823 MAX_PAGE_SIZE=65536 MAX_SCHEMA_RETRY=25 '
        'MAX_SQL_LENGTH=1000000000 MAX_TRIGGER_DEPTH=1000 MAX_VARIABLE_NUMBER=250000 '
        'MAX_VDBE_OP=250000000 MAX_WORKER_THREADS=8 MUTEX_PTHREADS OMIT_LOOKASIDE '
        'SECURE_DELETE SOUNDEX SYSTEM_MALLOC TEMP_STORE=1 THREADSAFE=1 USE_URI', ' '))
$$;

CREATE OR REPLACE FUNCTION liteshift.pragma_integrity_check(arg text DEFAULT NULL)
RETURNS TABLE(integrity_check text) LANGUAGE sql IMMUTABLE AS $$ SELECT 'ok'::text $$;

CREATE OR REPLACE FUNCTION liteshift.pragma_quick_check(arg text DEFAULT NULL)
RETURNS TABLE(quick_check text) LANGUAGE sql IMMUTABLE AS $$ SELECT 'ok'::text $$;

CREATE OR REPLACE FUNCTION liteshift.pragma_page_count(arg text DEFAULT NULL)
RETURNS TABLE(page_count bigint) LANGUAGE sql STABLE AS $$
    SELECT greatest(1, (SELECT count(*) FROM liteshift.sqlite_master
                        WHERE type IN ('table', 'index')) + 1)::bigint
$$;
