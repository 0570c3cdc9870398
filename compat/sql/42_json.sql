-- SPDX-License-Identifier: MIT
-- SQLite 3.40's JSON functions: json, json_valid, json_type, json_array_length, json_quote,
-- json_extract, json_object, json_array and the -> / ->> operators (rewritten into
-- json_arrow / json_arrow2 calls).  JSON is text, as in SQLite: validated by PostgreSQL's
-- json parser (which accepts exactly what SQLite 3.40 does: RFC 8259, no JSON5), minified by
-- dropping the white space between tokens (numbers and strings keep their text, as SQLite's
-- renderer does), and walked with json_each and the json -> int operator.
--
-- Every argument arrives as liteshift.val() text ('i:1', 'f:1.5', 't:abc', 'b:<hex>', NULL;
-- the rewriter wraps them), so the functions see SQLite's storage classes.  The tag 'j:'
-- marks text that came from another JSON function (SQLite's JSON subtype): json_object and
-- json_array insert it as JSON, not as a string.  The domain liteshift.json carries that
-- mark between calls (liteshift.val of it gives 'j:').
--
-- json_extract and ->> return a value whose storage class depends on the document.  Three
-- forms, picked by the rewriter from where the call stands: plain (text, for expressions:
-- numbers as SQLite prints them), _t (tagged text, for the arguments of other compat
-- functions) and _v (jsonb holding the SQL value, for result columns: the shim reads a jsonb
-- number as INTEGER or, with a '.', REAL, a string as TEXT).

DO $$
BEGIN
    IF to_regtype('liteshift.json') IS NULL THEN
        CREATE DOMAIN liteshift.json AS text;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION liteshift.val(v liteshift.json) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 'j:' || v $$;

-- SQLite's error for a path it cannot read, rest being the path from the failing step.
CREATE OR REPLACE FUNCTION liteshift.json_path_error(rest text) RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RAISE EXCEPTION '%', 'JSON path error near ''' || replace(rest, '''', '''''') || '''';
END $$;

CREATE OR REPLACE FUNCTION liteshift.json_valid_text(t text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    PERFORM t::json;
    RETURN true;
EXCEPTION WHEN invalid_text_representation OR untranslatable_character
          OR character_not_in_repertoire THEN
    RETURN false;
END $$;

-- Valid JSON text without the white space between its tokens.
CREATE OR REPLACE FUNCTION liteshift.json_minify(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN t ~ '[ \t\n\r]'
                THEN regexp_replace(t, '("(?:[^"\\]|\\.)*")|[ \t\n\r]+', '\1', 'g')
                ELSE t END
$$;

-- A value as the JSON document SQLite parses from it (its text, without the white space
-- around it); NULL for NULL.  Invalid JSON raises PostgreSQL's own error (22P02 "invalid
-- input syntax for type json"), which the shim reports as SQLite's "malformed JSON"
-- (shim/errmap.c): catching it here would cost a subtransaction per call.  Nodes are
-- minified when returned (json_minify), not here.
CREATE OR REPLACE FUNCTION liteshift.json_parse(sv text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    t text;
    ok bool;
BEGIN
    IF sv IS NULL THEN
        RETURN NULL;
    ELSIF left(sv, 1) = 'j' THEN
        RETURN substr(sv, 3);
    END IF;
    t := liteshift.val_text(sv);
    IF t IS NULL THEN
        RAISE EXCEPTION 'malformed JSON';   -- a blob that is not UTF-8
    END IF;
    ok := t::json IS NOT NULL;
    RETURN btrim(t, E' \t\n\r');
END $$;

-- PostgreSQL's json_each and json -> int decode the strings they pass over and refuse an
-- escaped NUL (\u0000), which SQLite keeps.  Walks use this copy instead, where each
-- \u0000 reads \u0001 (same length, so positions in it are positions in the original).
CREATE OR REPLACE FUNCTION liteshift.json_nonul(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN strpos(t, '\u0000') > 0 THEN replace(t, '\u0000', '\u0001') END
$$;

-- The member of a minified object whose key, as written between its quotes (escapes not
-- decoded: SQLite compares the raw text), is key; the first one when keys repeat.
CREATE OR REPLACE FUNCTION liteshift.json_member(obj text, key text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    r record;
    pos int := 2;
    raw text;
    m text;
    k int;
BEGIN
    IF strpos(obj, '\') = 0 THEN   -- no escapes: raw keys are the decoded ones
        k := strpos(obj, '"' || key || '"');
        IF k = 0 THEN
            RETURN NULL;
        ELSIF strpos(substr(obj, k + 1), '"' || key || '"') = 0 THEN
            RETURN (obj::json -> key)::text;   -- written once: no second member to prefer
        END IF;
        RETURN (SELECT e.value::text FROM json_each(obj::json) WITH ORDINALITY e(k, value, n)
                WHERE e.k = key ORDER BY e.n LIMIT 1);
    END IF;
    obj := liteshift.json_minify(obj);   -- positions below count from token to token
    m := liteshift.json_nonul(obj);
    FOR r IN SELECT e.k, length(e.value::text) AS len
             FROM json_each(coalesce(m, obj)::json) WITH ORDINALITY e(k, value, n)
             ORDER BY e.n LOOP
        -- a decoded character comes from at most 12 raw ones (a surrogate pair)
        raw := (regexp_match(substr(obj, pos, 12 * length(r.k) + 2), '^"((?:[^"\\]|\\.)*)"'))[1];
        IF raw = key THEN
            RETURN substr(obj, pos + length(raw) + 3, r.len);
        END IF;
        pos := pos + length(raw) + 3 + r.len + 1;
    END LOOP;
    RETURN NULL;
END $$;

-- Element idx (from 0) of a minified array, NULL past its end.
CREATE OR REPLACE FUNCTION liteshift.json_element(arr text, idx int) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    r record;
    pos int := 2;
    m text := liteshift.json_nonul(arr);
BEGIN
    IF m IS NULL THEN
        RETURN (arr::json -> idx)::text;
    END IF;
    arr := liteshift.json_minify(arr);   -- positions below count from token to token
    m := liteshift.json_nonul(arr);
    FOR r IN SELECT length(e.value::text) AS len
             FROM json_array_elements(m::json) WITH ORDINALITY e(value, n) ORDER BY e.n LOOP
        IF idx = 0 THEN
            RETURN substr(arr, pos, r.len);
        END IF;
        idx := idx - 1;
        pos := pos + r.len + 1;
    END LOOP;
    RETURN NULL;
END $$;

-- The node at path in the document j (json_parse's text), as JSON text (white space inside
-- kept); NULL when there is none.  SQLite 3.40's path syntax: $, .key, ."key", [N], [#],
-- [#-N]; a step on a node of the wrong type ends the walk with no result before the rest of
-- the path is read.
CREATE OR REPLACE FUNCTION liteshift.json_lookup(j text, path text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    n int := length(path);
    p int := 2;
    k int;
    cur text := j;
    key text;
    idx numeric;
    x numeric;
BEGIN
    IF j IS NULL OR path IS NULL THEN
        RETURN NULL;
    END IF;
    IF left(path, 1) <> '$' THEN
        PERFORM liteshift.json_path_error(path);
    END IF;
    LOOP
        IF p > n THEN
            RETURN cur;
        END IF;
        IF substr(path, p, 1) = '.' THEN
            IF left(cur, 1) <> '{' THEN
                RETURN NULL;
            END IF;
            p := p + 1;
            IF substr(path, p, 1) = '"' THEN
                k := strpos(substr(path, p + 1), '"');
                IF k = 0 THEN
                    PERFORM liteshift.json_path_error(substr(path, p));
                END IF;
                key := substr(path, p + 1, k - 1);
                p := p + k + 1;
            ELSE
                k := p;
                WHILE k <= n AND substr(path, k, 1) NOT IN ('.', '[') LOOP
                    k := k + 1;
                END LOOP;
                key := substr(path, p, k - p);
                IF key = '' THEN
                    PERFORM liteshift.json_path_error(substr(path, p));
                END IF;
                p := k;
            END IF;
            cur := liteshift.json_member(cur, key);
        ELSIF substr(path, p, 1) = '[' THEN
            k := p + 1;
            WHILE ascii(substr(path, k, 1)) BETWEEN 48 AND 57 LOOP
                k := k + 1;
            END LOOP;
            IF k > p + 1 AND substr(path, k, 1) = ']' THEN
                idx := substr(path, p + 1, k - p - 1)::numeric;
            ELSIF substr(path, p + 1, 1) = '#' THEN
                IF left(cur, 1) <> '[' THEN
                    RETURN NULL;
                END IF;
                idx := json_array_length(coalesce(liteshift.json_nonul(cur), cur)::json);
                k := p + 2;
                IF substr(path, k, 1) = '-' AND ascii(substr(path, k + 1, 1)) BETWEEN 48 AND 57 THEN
                    k := k + 1;
                    WHILE ascii(substr(path, k, 1)) BETWEEN 48 AND 57 LOOP
                        k := k + 1;
                    END LOOP;
                    x := substr(path, p + 3, k - p - 3)::numeric;
                    IF x > idx THEN
                        RETURN NULL;
                    END IF;
                    idx := idx - x;
                END IF;
                IF substr(path, k, 1) <> ']' THEN
                    PERFORM liteshift.json_path_error(substr(path, p));
                END IF;
            ELSE
                PERFORM liteshift.json_path_error(substr(path, p));
            END IF;
            IF left(cur, 1) <> '[' THEN
                RETURN NULL;
            END IF;
            p := k + 1;
            cur := CASE WHEN idx < 2147483647 THEN liteshift.json_element(cur, idx::int) END;
        ELSE
            PERFORM liteshift.json_path_error(substr(path, p));
        END IF;
        IF cur IS NULL THEN
            RETURN NULL;
        END IF;
    END LOOP;
END $$;

-- The path of -> and ->>: besides '$...', a bare label (a.b means $.a.b), an integer or
-- digits (index), or '[N]...'.
CREATE OR REPLACE FUNCTION liteshift.json_abbrev(path text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN left(path, 1) = '$' THEN path
                WHEN ascii(path) BETWEEN 48 AND 57 THEN '$[' || path || ']'
                WHEN left(path, 1) = '[' THEN '$' || path
                ELSE '$.' || path END
$$;

-- A JSON number's value as SQLite reads it into a double: out of range is infinite, below
-- the smallest subnormal a (signed) zero.
CREATE OR REPLACE FUNCTION liteshift.json_num_real(t text) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    x numeric := t::numeric;
    neg bool := left(t, 1) = '-';
BEGIN
    IF abs(x) >= 1.797693134862315807937289714053034150799e308 THEN
        RETURN CASE WHEN neg THEN '-Infinity'::float8 ELSE 'Infinity'::float8 END;
    ELSIF abs(x) < 2.4703282292062327208828439643411068618e-324 THEN
        RETURN CASE WHEN neg THEN '-0'::float8 ELSE 0 END;
    END IF;
    RETURN t::float8;
END $$;

-- A JSON string token decoded to text.  SQLite stops at an escaped NUL (\u0000).
CREATE OR REPLACE FUNCTION liteshift.json_str_text(s text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    pos int := 0;
    k int;
    b int;
BEGIN
    IF strpos(s, '\') = 0 THEN
        RETURN substr(s, 2, length(s) - 2);
    END IF;
    LOOP
        k := strpos(substr(s, pos + 1), '\u0000');
        EXIT WHEN k = 0;
        pos := pos + k;
        b := 0;   -- backslashes just before: an even count means this one starts an escape
        WHILE substr(s, pos - b - 1, 1) = '\' LOOP
            b := b + 1;
        END LOOP;
        IF b % 2 = 0 THEN
            s := left(s, pos - 1) || '"';
            EXIT;
        END IF;
    END LOOP;
    RETURN s::json #>> '{}';
END $$;

-- A node (minified JSON text) as the SQL value json_extract returns, tagged: strings
-- decoded, true/false 1/0, null NULL, integers past 64 bits as reals, arrays and objects
-- as JSON text ('j:').
CREATE OR REPLACE FUNCTION liteshift.json_node_val(node text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE left(node, 1)
        WHEN '"' THEN 't:' || liteshift.json_str_text(node)
        WHEN '{' THEN 'j:' || liteshift.json_minify(node)
        WHEN '[' THEN 'j:' || liteshift.json_minify(node)
        WHEN 't' THEN 'i:1'
        WHEN 'f' THEN 'i:0'
        WHEN 'n' THEN NULL
        ELSE CASE WHEN node !~ '[.eE]' AND node::numeric BETWEEN -9223372036854775808
                                                             AND 9223372036854775807
                  THEN 'i:' || node::numeric::bigint
                  ELSE 'f:' || liteshift.json_num_real(node)::text END
    END
$$;

-- SQLite's json_type name of a node.
CREATE OR REPLACE FUNCTION liteshift.json_node_type(node text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE left(node, 1)
        WHEN '"' THEN 'text' WHEN '{' THEN 'object' WHEN '[' THEN 'array'
        WHEN 't' THEN 'true' WHEN 'f' THEN 'false' WHEN 'n' THEN 'null'
        ELSE CASE WHEN node ~ '[.eE]' THEN 'real' ELSE 'integer' END
    END
$$;

-- A value as SQLite inserts it into JSON it builds (json_object, json_array, json_quote):
-- numbers as their text, strings quoted and escaped (PostgreSQL's escaping is SQLite's:
-- \" \\ \b \f \n \r \t, other controls \u00xx), JSON from another function as is.
CREATE OR REPLACE FUNCTION liteshift.json_value_text(sv text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    CASE left(sv, 1)
    WHEN 'i' THEN RETURN substr(sv, 3);
    WHEN 'f' THEN RETURN liteshift.real_text(substr(sv, 3)::float8);
    WHEN 't' THEN RETURN to_json(substr(sv, 3))::text;
    WHEN 'j' THEN RETURN substr(sv, 3);
    WHEN 'b' THEN RAISE EXCEPTION 'JSON cannot hold BLOB values';
    ELSE RETURN 'null';
    END CASE;
END $$;

-- A tagged value as jsonb for the typed result form (see the top of this file): a real
-- always has a '.' (or is too long for 64 bits), so the shim can tell it from an integer.
CREATE OR REPLACE FUNCTION liteshift.json_sv_jsonb(sv text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    r float8;
    t text;
BEGIN
    CASE left(sv, 1)
    WHEN 'i' THEN RETURN substr(sv, 3)::jsonb;
    WHEN 'f' THEN
        r := substr(sv, 3)::float8;
        IF r = 'Infinity'::float8 OR r = '-Infinity'::float8 THEN
            RETURN (CASE WHEN r < 0 THEN '-1' ELSE '1' END || repeat('0', 400) || '.0')::jsonb;
        ELSIF r = 0 AND r::text = '-0' THEN
            RETURN ('-0.' || repeat('0', 400) || '1')::jsonb;   -- strtod gives -0.0
        END IF;
        t := r::text::numeric::text;
        RETURN (CASE WHEN t ~ '\.' THEN t ELSE t || '.0' END)::jsonb;
    WHEN 't' THEN RETURN to_jsonb(substr(sv, 3));
    WHEN 'j' THEN RETURN to_jsonb(substr(sv, 3));
    WHEN 'b' THEN RETURN to_jsonb(liteshift.blob_text(decode(substr(sv, 3), 'hex')));
    ELSE RETURN NULL;
    END CASE;
END $$;

-- The typed form read back as a tagged value (typeof, quote, hex of a json_extract_v).
CREATE OR REPLACE FUNCTION liteshift.val(v jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE jsonb_typeof(v)
        WHEN 'number' THEN liteshift.json_node_val(CASE WHEN v::text ~ '\.'
                                                        THEN v::text || 'e0' ELSE v::text END)
        WHEN 'string' THEN 't:' || (v #>> '{}')
        WHEN 'boolean' THEN 'i:' || (v = 'true'::jsonb)::int
        WHEN 'null' THEN NULL
        ELSE 't:' || v::text END
$$;

-- ---------------------------------------------------------------------------------------
-- The functions the rewriter calls
-- ---------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION liteshift.json(sv text) RETURNS liteshift.json
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.json_minify(liteshift.json_parse(sv))::liteshift.json
$$;

CREATE OR REPLACE FUNCTION liteshift.json_valid(sv text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN sv IS NULL THEN 0 WHEN left(sv, 1) = 'j' THEN 1
                ELSE coalesce(liteshift.json_valid_text(liteshift.val_text(sv)), false)::int END
$$;

CREATE OR REPLACE FUNCTION liteshift.json_quote(sv text) RETURNS liteshift.json
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT liteshift.json_value_text(sv)::liteshift.json $$;

CREATE OR REPLACE FUNCTION liteshift.json_type(sv text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.json_node_type(liteshift.json_parse(sv))
$$;
CREATE OR REPLACE FUNCTION liteshift.json_type(sv text, path text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.json_node_type(liteshift.json_lookup(liteshift.json_parse(sv),
                                                          liteshift.val_text(path)))
$$;

CREATE OR REPLACE FUNCTION liteshift.json_array_length(sv text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN left(j, 1) = '[' THEN json_array_length(coalesce(liteshift.json_nonul(j),
                                                                          j)::json)
                WHEN j IS NOT NULL THEN 0 END
    FROM (SELECT liteshift.json_parse(sv) AS j) q
$$;
CREATE OR REPLACE FUNCTION liteshift.json_array_length(sv text, path text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN left(j, 1) = '[' THEN json_array_length(coalesce(liteshift.json_nonul(j),
                                                                          j)::json)
                WHEN j IS NOT NULL THEN 0 END
    FROM (SELECT liteshift.json_lookup(liteshift.json_parse(sv), liteshift.val_text(path)) AS j) q
$$;

CREATE OR REPLACE FUNCTION liteshift.json_array(VARIADIC args text[] DEFAULT '{}')
RETURNS liteshift.json LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ('[' || coalesce(string_agg(liteshift.json_value_text(a), ',' ORDER BY n), '')
            || ']')::liteshift.json
    FROM unnest(args) WITH ORDINALITY u(a, n)
$$;

CREATE OR REPLACE FUNCTION liteshift.json_object(VARIADIC args text[] DEFAULT '{}')
RETURNS liteshift.json LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    n int := coalesce(array_length(args, 1), 0);
    out text := '';
BEGIN
    IF n % 2 = 1 THEN
        RAISE EXCEPTION 'json_object() requires an even number of arguments';
    END IF;
    FOR i IN 1 .. n BY 2 LOOP
        IF args[i] IS NULL OR left(args[i], 1) NOT IN ('t', 'j') THEN
            RAISE EXCEPTION 'json_object() labels must be TEXT';
        END IF;
        out := out || CASE WHEN i > 1 THEN ',' ELSE '' END || to_json(substr(args[i], 3))::text
                   || ':' || liteshift.json_value_text(args[i + 1]);
    END LOOP;
    RETURN ('{' || out || '}')::liteshift.json;
END $$;

-- json_extract(X, P...) tagged: one path gives the node's SQL value, several a JSON array of
-- the nodes (null where a path finds nothing).
CREATE OR REPLACE FUNCTION liteshift.json_extract_t(sv text, VARIADIC paths text[] DEFAULT '{}')
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    n int := coalesce(array_length(paths, 1), 0);
    j text;
    out text := '';
BEGIN
    IF n = 0 THEN
        RETURN NULL;
    END IF;
    j := liteshift.json_parse(sv);
    IF j IS NULL THEN
        RETURN NULL;
    ELSIF n = 1 THEN
        RETURN liteshift.json_node_val(liteshift.json_lookup(j, liteshift.val_text(paths[1])));
    END IF;
    FOR i IN 1 .. n LOOP
        out := out || CASE WHEN i > 1 THEN ',' ELSE '' END
                   || coalesce(liteshift.json_minify(liteshift.json_lookup(j,
                                       liteshift.val_text(paths[i]))), 'null');
    END LOOP;
    RETURN 'j:[' || out || ']';
END $$;

CREATE OR REPLACE FUNCTION liteshift.json_extract(sv text, VARIADIC paths text[] DEFAULT '{}')
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.val_text(liteshift.json_extract_t(sv, VARIADIC paths))
$$;

CREATE OR REPLACE FUNCTION liteshift.json_extract_v(sv text, VARIADIC paths text[] DEFAULT '{}')
RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.json_sv_jsonb(liteshift.json_extract_t(sv, VARIADIC paths))
$$;

-- X -> P: the node as JSON text (a JSON null is the text 'null'), marked as JSON.
CREATE OR REPLACE FUNCTION liteshift.json_arrow(sv text, path text) RETURNS liteshift.json
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    j text := liteshift.json_parse(sv);
BEGIN
    IF j IS NULL OR path IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN liteshift.json_minify(liteshift.json_lookup(j,
                                 liteshift.json_abbrev(liteshift.val_text(path))));
END $$;

-- X ->> P tagged: the node's SQL value; arrays and objects are plain text (no JSON mark).
CREATE OR REPLACE FUNCTION liteshift.json_arrow2_t(sv text, path text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN left(v, 1) = 'j' THEN 't' || substr(v, 2) ELSE v END
    FROM (SELECT liteshift.json_node_val(liteshift.json_arrow(sv, path)) AS v) q
$$;

CREATE OR REPLACE FUNCTION liteshift.json_arrow2(sv text, path text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.val_text(liteshift.json_arrow2_t(sv, path))
$$;

CREATE OR REPLACE FUNCTION liteshift.json_arrow2_v(sv text, path text) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.json_sv_jsonb(liteshift.json_arrow2_t(sv, path))
$$;

-- The numeric form, where the value is an operand of arithmetic or compared with a number
-- (json_extract(j, '$.n') > 5): integers and reals as numeric (a real keeps a fractional
-- digit, so the shim reads the result back as REAL), text by its numeric prefix.
CREATE OR REPLACE FUNCTION liteshift.json_sv_numeric(sv text) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    x numeric;
BEGIN
    CASE left(sv, 1)
    WHEN 'i' THEN RETURN substr(sv, 3)::numeric;
    WHEN 'f' THEN
        x := substr(sv, 3)::float8::text::numeric;
        RETURN CASE WHEN scale(x) = 0 THEN round(x, 1) ELSE x END;
    WHEN 't', 'j' THEN RETURN liteshift.text_num(substr(sv, 3))::numeric;
    ELSE RETURN NULL;
    END CASE;
END $$;

CREATE OR REPLACE FUNCTION liteshift.json_extract_n(sv text, VARIADIC paths text[] DEFAULT '{}')
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.json_sv_numeric(liteshift.json_extract_t(sv, VARIADIC paths))
$$;

CREATE OR REPLACE FUNCTION liteshift.json_arrow2_n(sv text, path text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.json_sv_numeric(liteshift.json_arrow2_t(sv, path))
$$;
