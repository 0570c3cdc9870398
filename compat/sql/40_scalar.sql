-- SPDX-License-Identifier: MIT
-- SQLite's scalar functions that PostgreSQL lacks or computes differently: typeof, hex,
-- quote, char, unicode, zeroblob, randomblob, random, substr with SQLite's rules for zero and
-- negative arguments (sqlite_substr), glob, printf/format.  A value's SQLite storage class
-- follows from its PostgreSQL type: integers and booleans are integer, float4/float8 real,
-- numeric integer without a fraction part else real, bytea blob, everything else text.

-- SQLite's text for a real (its "%!.15g"): 1.0 keeps ".0", 1e+20 reads 1.0e+20.
CREATE OR REPLACE FUNCTION liteshift.real_text(x float8) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    t text := liteshift.fmt_float(x, 'g', 15, false);
BEGIN
    IF t ~ '(Inf|NaN)' THEN
        RETURN t;
    END IF;
    IF t ~ 'e' THEN
        IF split_part(t, 'e', 1) !~ '\.' THEN
            t := split_part(t, 'e', 1) || '.0e' || split_part(t, 'e', 2);
        END IF;
        RETURN t;
    END IF;
    RETURN CASE WHEN t ~ '\.' THEN t ELSE t || '.0' END;
END $$;

-- A value with its storage class, as text: 'i:42', 'f:1.5', 't:abc', 'b:<hex>', NULL.
CREATE OR REPLACE FUNCTION liteshift.val(v anyelement) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    t regtype := pg_typeof(v);
BEGIN
    IF v IS NULL THEN
        RETURN NULL;
    ELSIF t IN ('bigint'::regtype, 'integer'::regtype, 'smallint'::regtype) THEN
        RETURN 'i:' || v::text;
    ELSIF t = 'boolean'::regtype THEN
        RETURN 'i:' || (v::text::boolean)::int;
    ELSIF t IN ('double precision'::regtype, 'real'::regtype) THEN
        RETURN 'f:' || v::text;
    ELSIF t = 'numeric'::regtype THEN
        -- as the shim reads a numeric column: integer unless it has a fraction part (a
        -- literal 100.0 is SQLite's real 100.0) or does not fit in 64 bits
        IF v::text !~ '[.IN]' AND abs(v::text::numeric) < 9223372036854775808 THEN
            RETURN 'i:' || trunc(v::text::numeric)::bigint;
        END IF;
        RETURN 'f:' || v::text::numeric::float8::text;
    ELSIF t = 'bytea'::regtype THEN
        RETURN 'b:' || encode(v::text::bytea, 'hex');
    END IF;
    RETURN 't:' || v::text;
END $$;

CREATE OR REPLACE FUNCTION liteshift.typeof(v anyelement) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE left(liteshift.val(v), 1) WHEN 'i' THEN 'integer' WHEN 'f' THEN 'real'
               WHEN 't' THEN 'text' WHEN 'b' THEN 'blob' ELSE 'null' END
$$;

-- A value as SQLite renders it as text (integers as digits, reals as "%!.15g").
CREATE OR REPLACE FUNCTION liteshift.val_text(sv text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE left(sv, 1)
        WHEN 'f' THEN liteshift.real_text(substr(sv, 3)::float8)
        WHEN 'b' THEN liteshift.blob_text(decode(substr(sv, 3), 'hex'))
        ELSE substr(sv, 3) END
$$;

-- A blob's bytes (hex) as text for reading a number from them: SQLite reads the bytes
-- whatever follows the digits, so invalid UTF-8 after "7" still gives 7; bytes past ASCII
-- and NULs become escapes, which no number contains.
CREATE OR REPLACE FUNCTION liteshift.blob_ascii(hx text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT encode(decode(hx, 'hex'), 'escape') $$;

-- A real to integer as SQLite converts it: truncated, clamped to the 64-bit range.
CREATE OR REPLACE FUNCTION liteshift.real_int(r float8) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN r IS NULL THEN NULL WHEN r <> r THEN 0
                WHEN r >= 9223372036854775807::float8 THEN 9223372036854775807
                WHEN r <= -9223372036854775808::float8 THEN -9223372036854775808
                ELSE trunc(r)::bigint END
$$;

-- A text read as SQLite reads a number from text: its longest numeric prefix, 0 if none.
-- Past the double range it is Inf (SQLite's '1e400' is Inf), below it 0.
CREATE OR REPLACE FUNCTION liteshift.text_num(s text) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN n IS NULL THEN 0
                WHEN abs(n) > 1.7976931348623157e308 THEN sign(n) * 'Infinity'::float8
                WHEN abs(n) < 2.4703282292062328e-324 THEN 0
                ELSE n::float8 END
    FROM (SELECT (regexp_match(s, '^\s*([+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?)'))[1]::numeric AS n) q
$$;

-- A text read as SQLite reads an integer from it: the leading integer only ('3.5' is 3,
-- '-7e2x' is -7), clamped to the 64-bit range, 0 without digits.
CREATE OR REPLACE FUNCTION liteshift.text_int(s text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN m IS NULL THEN 0
                WHEN m::numeric > 9223372036854775807 THEN 9223372036854775807
                WHEN m::numeric < -9223372036854775808 THEN -9223372036854775808
                ELSE m::numeric::bigint END
    FROM (SELECT (regexp_match(s, '^[ \t\n\f\r]*([+-]?[0-9]+)'))[1] AS m) q
$$;

CREATE OR REPLACE FUNCTION liteshift.val_int(sv text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE left(sv, 1)
        WHEN 'i' THEN substr(sv, 3)::bigint
        WHEN 'f' THEN liteshift.real_int(substr(sv, 3)::float8)
        WHEN 't' THEN liteshift.text_int(substr(sv, 3))
        WHEN 'b' THEN liteshift.text_int(liteshift.blob_ascii(substr(sv, 3)))
        ELSE 0 END
$$;

CREATE OR REPLACE FUNCTION liteshift.val_real(sv text) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE left(sv, 1)
        WHEN 'i' THEN substr(sv, 3)::float8
        WHEN 'f' THEN substr(sv, 3)::float8
        WHEN 't' THEN liteshift.text_num(substr(sv, 3))
        WHEN 'b' THEN liteshift.text_num(liteshift.blob_ascii(substr(sv, 3)))
        ELSE 0 END
$$;

CREATE OR REPLACE FUNCTION liteshift.hex(v anyelement) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v IS NULL THEN ''
                WHEN left(liteshift.val(v), 1) = 'b' THEN upper(substr(liteshift.val(v), 3))
                ELSE upper(encode(convert_to(liteshift.val_text(liteshift.val(v)), 'UTF8'), 'hex')) END
$$;

CREATE OR REPLACE FUNCTION liteshift.quote(v anyelement) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    sv text := liteshift.val(v);
    r float8;
    t text;
BEGIN
    IF sv IS NULL THEN
        RETURN 'NULL';
    END IF;
    CASE left(sv, 1)
    WHEN 'i' THEN RETURN substr(sv, 3);
    WHEN 'f' THEN
        -- "%!.15g", and "%!.20e" when that does not read back as the same double (which
        -- includes 1.79769313486232e+308, past the largest double)
        r := substr(sv, 3)::float8;
        t := liteshift.real_text(r);
        IF t !~ '(Inf|NaN)' AND (CASE WHEN abs(t::numeric) > 1.7976931348623157e308 THEN true
                                      ELSE t::numeric::float8 <> r END) THEN
            t := liteshift.fmt_float(r, 'e', 20, false, 26);
        END IF;
        RETURN t;
    WHEN 'b' THEN RETURN 'X''' || upper(substr(sv, 3)) || '''';
    ELSE RETURN '''' || replace(substr(sv, 3), '''', '''''') || '''';
    END CASE;
END $$;

-- The character of one code point as SQLite's char() writes it: out of range is U+FFFD.
-- SQLite writes a NUL for 0 and the (invalid) UTF-8 of a surrogate, which PostgreSQL text
-- cannot hold: U+FFFD there too (docs/compat-functions.md, deviations).
CREATE OR REPLACE FUNCTION liteshift.code_char(c bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN c IS NULL OR c <= 0 OR c > 1114111 OR c BETWEEN 55296 AND 57343
                THEN chr(65533) ELSE chr(c::int) END
$$;

-- Kept for statements prepared before version 17 (the rewriter now passes liteshift.val()).
CREATE OR REPLACE FUNCTION liteshift.char(VARIADIC codes bigint[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(liteshift.code_char(c), '' ORDER BY i), '')
    FROM unnest(codes) WITH ORDINALITY u(c, i)
$$;

-- char(X, ...): each argument arrives as liteshift.val() text (the rewriter wraps them), so
-- any storage class reads as SQLite's sqlite3_value_int64 would (NULL and text without
-- digits are 0, reals truncated, '66' is 66).
CREATE OR REPLACE FUNCTION liteshift.char(VARIADIC vals text[] DEFAULT '{}') RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(liteshift.code_char(liteshift.val_int(v)), '' ORDER BY i), '')
    FROM unnest(vals) WITH ORDINALITY u(v, i)
$$;

-- The first character of UTF-8 bytes as SQLite's sqlite3Utf8Read decodes it, leniently:
-- a lead byte takes every continuation byte after it; overlong forms, surrogates and
-- U+FFFE/U+FFFF read as U+FFFD; a stray continuation byte is its own value.
CREATE OR REPLACE FUNCTION liteshift.utf8_first(b bytea) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    c bigint;
    i int := 1;
BEGIN
    IF length(b) = 0 OR get_byte(b, 0) = 0 THEN
        RETURN NULL;
    END IF;
    c := get_byte(b, 0);
    IF c >= 192 THEN
        c := CASE WHEN c < 224 THEN c - 192 WHEN c < 240 THEN c - 224
                  WHEN c < 248 THEN c - 240 WHEN c < 252 THEN c - 248 ELSE c - 252 END;
        WHILE i < length(b) AND (get_byte(b, i) & 192) = 128 LOOP
            c := (c << 6) + (get_byte(b, i) & 63);
            i := i + 1;
        END LOOP;
        IF c < 128 OR (c & 4294965248) = 55296 OR (c & 4294967294) = 65534 THEN
            c := 65533;
        END IF;
    END IF;
    RETURN c;
END $$;

-- valid UTF-8 already: only U+FFFE and U+FFFF read as U+FFFD, as sqlite3Utf8Read does
CREATE OR REPLACE FUNCTION liteshift.unicode(v text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v IS NULL OR v = '' THEN NULL WHEN ascii(v) IN (65534, 65535) THEN 65533
                ELSE ascii(v)::bigint END $$;

CREATE OR REPLACE FUNCTION liteshift.unicode(v anyelement) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN left(liteshift.val(v), 1) = 'b'
                THEN liteshift.utf8_first(decode(substr(liteshift.val(v), 3), 'hex'))
                ELSE liteshift.unicode(liteshift.val_text(liteshift.val(v))) END
$$;

-- n as SQLite's zeroblob() and randomblob() read it, past SQLite's length limit
-- (SQLITE_MAX_LENGTH, 1,000,000,000 bytes) the error SQLite gives (SQLITE_TOOBIG).
CREATE OR REPLACE FUNCTION liteshift.blob_size(n bigint, least_n int) RETURNS int
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF n > 1000000000 THEN
        RAISE EXCEPTION 'string or blob too big' USING ERRCODE = '54000';
    END IF;
    RETURN greatest(coalesce(n, 0), least_n)::int;
END $$;

-- One argument of any storage class, read as sqlite3_value_int64 reads it; before version
-- 17 these took a bigint, which a polymorphic overload would make ambiguous.
DROP FUNCTION IF EXISTS liteshift.zeroblob(bigint);
DROP FUNCTION IF EXISTS liteshift.randomblob(bigint);

CREATE OR REPLACE FUNCTION liteshift.zeroblob_n(n bigint) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT decode(repeat('00', liteshift.blob_size(n, 0)), 'hex')
$$;
CREATE OR REPLACE FUNCTION liteshift.zeroblob(v anyelement) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT liteshift.zeroblob_n(liteshift.val_int(liteshift.val(v)))
$$;
CREATE OR REPLACE FUNCTION liteshift.zeroblob(v text) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.zeroblob_n(liteshift.text_int(v))
$$;

-- randomblob(n): n < 1 gives one byte.  16 pseudo-random bytes per md5 (not for keys).
CREATE OR REPLACE FUNCTION liteshift.randomblob_n(n bigint) RETURNS bytea
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT substr(decode(string_agg(md5(random()::text || clock_timestamp()::text || k), ''),
                         'hex'), 1, liteshift.blob_size(n, 1))
    FROM generate_series(1, (liteshift.blob_size(n, 1) + 15) / 16) k
$$;
CREATE OR REPLACE FUNCTION liteshift.randomblob(v anyelement) RETURNS bytea
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT liteshift.randomblob_n(liteshift.val_int(liteshift.val(v)))
$$;
CREATE OR REPLACE FUNCTION liteshift.randomblob(v text) RETURNS bytea
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT liteshift.randomblob_n(liteshift.text_int(v))
$$;

-- random(): 64 random bits, from two 32-bit draws (one double has 52 at most: scaling one to
-- 2^64 left the low 12 bits zero, so abs(random()) % 2 was always 0)
CREATE OR REPLACE FUNCTION liteshift.random() RETURNS bigint
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT ((floor(random() * 4294967296)::bigint - 2147483648) << 32)
           | floor(random() * 4294967296)::bigint
$$;

-- substr(X, Y[, Z]) with SQLite's handling of Y <= 0 and negative Z; characters for text,
-- bytes for blobs (which stay blobs).
CREATE OR REPLACE FUNCTION liteshift.substr_span(n bigint, y bigint, z bigint, has_z bool,
                                                 OUT p1 bigint, OUT p2 bigint)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    neg bool := false;
BEGIN
    p1 := y;
    p2 := CASE WHEN has_z THEN z ELSE 1000000000 END;
    IF p2 < 0 THEN
        p2 := -p2;
        neg := true;
    END IF;
    IF p1 < 0 THEN
        p1 := p1 + n;
        IF p1 < 0 THEN
            p2 := p2 + p1;
            IF p2 < 0 THEN p2 := 0; END IF;
            p1 := 0;
        END IF;
    ELSIF p1 > 0 THEN
        p1 := p1 - 1;
    ELSIF p2 > 0 THEN
        p2 := p2 - 1;
    END IF;
    IF neg THEN
        p1 := p1 - p2;
        IF p1 < 0 THEN
            p2 := p2 + p1;
            p1 := 0;
        END IF;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION liteshift.sqlite_substr(v text, y bigint, z bigint)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v IS NULL OR y IS NULL OR z IS NULL THEN NULL
                ELSE (SELECT substr(v, (s.p1 + 1)::int, s.p2::int)
                      FROM liteshift.substr_span(length(v), y, z, true) s) END
$$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_substr(v text, y bigint)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v IS NULL OR y IS NULL THEN NULL
                ELSE (SELECT substr(v, (s.p1 + 1)::int, s.p2::int)
                      FROM liteshift.substr_span(length(v), y, 0, false) s) END
$$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_substr(v bytea, y bigint, z bigint)
RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v IS NULL OR length(v) = 0 OR y IS NULL OR z IS NULL THEN NULL
                ELSE (SELECT substr(v, (s.p1 + 1)::int, s.p2::int)
                      FROM liteshift.substr_span(length(v), y, z, true) s) END
$$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_substr(v bytea, y bigint)
RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v IS NULL OR length(v) = 0 OR y IS NULL THEN NULL
                ELSE (SELECT substr(v, (s.p1 + 1)::int, s.p2::int)
                      FROM liteshift.substr_span(length(v), y, 0, false) s) END
$$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_substr(v bigint, y bigint, z bigint)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.sqlite_substr(v::text, y, z) $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_substr(v bigint, y bigint)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.sqlite_substr(v::text, y) $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_substr(v float8, y bigint, z bigint)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.sqlite_substr(liteshift.real_text(v), y, z) $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_substr(v float8, y bigint)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.sqlite_substr(liteshift.real_text(v), y) $$;

-- GLOB as SQLite: * ? [...] [^...], case-sensitive, the whole string.
CREATE OR REPLACE FUNCTION liteshift.glob_regex(pat text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    out text := '^';
    i int := 1;
    n int := length(pat);
    c text;
    j int;
    neg int;
BEGIN
    WHILE i <= n LOOP
        c := substr(pat, i, 1);
        IF c = '*' THEN
            out := out || '.*';
        ELSIF c = '?' THEN
            out := out || '.';
        ELSIF c = '[' THEN
            neg := CASE WHEN substr(pat, i + 1, 1) = '^' THEN 1 ELSE 0 END;
            j := i + 1 + neg;
            IF substr(pat, j, 1) = ']' THEN j := j + 1; END IF;
            WHILE j <= n AND substr(pat, j, 1) <> ']' LOOP j := j + 1; END LOOP;
            IF j > n THEN
                RETURN '(?!)';   -- an unterminated class matches nothing
            END IF;
            out := out || '[' || CASE WHEN neg = 1 THEN '^' ELSE '' END
                       || replace(replace(substr(pat, i + 1 + neg, j - i - 1 - neg), '\', '\\'),
                                  '[', '\[') || ']';
            i := j;
        ELSE
            out := out || regexp_replace(c, '([.+()|{}^$\\\[\]])', '\\\1', 'g');
        END IF;
        i := i + 1;
    END LOOP;
    RETURN out || '$';
END $$;

-- boolean, so that WHERE x GLOB y and NOT work; the shim shows it as SQLite's 0/1
DROP FUNCTION IF EXISTS liteshift.glob(text, text);
CREATE FUNCTION liteshift.glob(pat text, s text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN pat IS NULL OR s IS NULL THEN NULL
                ELSE s ~ liteshift.glob_regex(pat) END
$$;

-- like(pattern, value[, escape]): SQLite's LIKE as a function, in SQLite's argument order.
-- ILIKE under the "C" collation folds the ASCII letters only, as SQLite does ('é' does not
-- match 'É'); no escape character unless given.  The escape must be one character (checked
-- before the NULLs, as SQLite does), and a pattern ending in a lone escape matches nothing
-- (PostgreSQL would raise).  Boolean, as glob.
CREATE OR REPLACE FUNCTION liteshift.like(pat text, s text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT s ILIKE pat COLLATE "C" ESCAPE ''
$$;
CREATE OR REPLACE FUNCTION liteshift.like(pat text, s text, esc text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF esc IS NULL THEN
        RETURN NULL;
    ELSIF length(esc) <> 1 THEN
        RAISE EXCEPTION 'ESCAPE expression must be a single character';
    ELSIF pat IS NULL OR s IS NULL THEN
        RETURN NULL;
    ELSIF (length(pat) - length(rtrim(pat, esc))) % 2 = 1 THEN
        RETURN false;
    END IF;
    RETURN s ILIKE pat COLLATE "C" ESCAPE esc;
END $$;

-- sign(x) as SQLite 3.40: an integer -1, 0 or 1 for a number and for a text that is wholly
-- a number (blanks around it allowed: ' 7 ' is 1, '3abc' NULL); NULL for NULL, for other
-- texts and for blobs.
CREATE OR REPLACE FUNCTION liteshift.sign(x bigint) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT pg_catalog.sign(x)::int $$;
CREATE OR REPLACE FUNCTION liteshift.sign(x float8) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN x < 0 THEN -1 WHEN x > 0 THEN 1 ELSE 0 END $$;
CREATE OR REPLACE FUNCTION liteshift.sign(x numeric) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT pg_catalog.sign(x)::int $$;
CREATE OR REPLACE FUNCTION liteshift.sign(x text) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN x ~ '^[ \t\n\v\f\r]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\v\f\r]*$'
                THEN liteshift.sign(liteshift.text_num(x)) END $$;
CREATE OR REPLACE FUNCTION liteshift.sign(x bytea) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT NULL::int $$;

-- round(x[, n]) as SQLite 3.40: n is read as a C int (the low 32 bits), then held to 0..30;
-- a value past 2^52 has no fraction and is kept; with n = 0, (double)(int64)(x +/- 0.5);
-- otherwise SQLite's printf "%.*f" (16 significant digits, then zeros) read back as a double,
-- so round(32767, 15) is 32766.999999999989 (from '32766.999999999990000') and a negative
-- value rounding to zero is -0.0.  Arguments arrive as liteshift.val() text: a text or a
-- blob is read as SQLite reads a number from it.
CREATE OR REPLACE FUNCTION liteshift.round_real(r float8, n bigint) RETURNS float8
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    d bigint;
BEGIN
    IF r IS NULL OR n IS NULL THEN
        RETURN NULL;
    END IF;
    d := n & 4294967295;
    IF d >= 2147483648 THEN
        d := d - 4294967296;
    END IF;
    d := least(greatest(d, 0), 30);
    IF r < -4503599627370496 OR r > 4503599627370496 OR r <> r THEN
        RETURN r;
    ELSIF d = 0 THEN
        RETURN trunc(r + CASE WHEN r < 0 THEN -0.5::float8 ELSE 0.5::float8 END) + 0.0::float8;
    END IF;
    RETURN liteshift.fmt_float(r, 'f', d::int, false)::float8;
END $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_round(x text, n text DEFAULT 'i:0') RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN x IS NULL OR n IS NULL THEN NULL
                ELSE liteshift.round_real(liteshift.val_real(x), liteshift.val_int(n)) END
$$;

-- abs(x) as SQLite: an integer's absolute value (PostgreSQL's, with its overflow error for
-- -2^63), a real's with -0.0 kept, a text or blob read as a number and answered as a real.
CREATE OR REPLACE FUNCTION liteshift.abs(x bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT pg_catalog.abs(x) $$;
CREATE OR REPLACE FUNCTION liteshift.abs(x int) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT pg_catalog.abs(x) $$;
CREATE OR REPLACE FUNCTION liteshift.abs(x smallint) RETURNS smallint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT pg_catalog.abs(x) $$;
CREATE OR REPLACE FUNCTION liteshift.abs(x numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT pg_catalog.abs(x) $$;
CREATE OR REPLACE FUNCTION liteshift.abs(x float8) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN x < 0 THEN -x ELSE x END $$;
CREATE OR REPLACE FUNCTION liteshift.abs(x text) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN r = 0 AND x ~ '^[ \t\n\v\f\r]*-' THEN '-0'::float8
                ELSE liteshift.abs(r) END   -- '-0' reads as SQLite's -0.0, which abs keeps
    FROM (SELECT liteshift.text_num(x) AS r) q $$;
CREATE OR REPLACE FUNCTION liteshift.abs(x bytea) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT liteshift.abs(liteshift.blob_ascii(encode(x, 'hex'))) $$;

-- instr(x, y) and trim/ltrim/rtrim(x[, chars]) as SQLite: the arguments arrive as
-- liteshift.val() text.  Two blobs are searched byte by byte (a byte position); otherwise
-- numbers are SQLite's text of them (reals as "%!.15g") and a blob its bytes as text.
CREATE OR REPLACE FUNCTION liteshift.instr(a text, b text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL
                WHEN left(a, 1) = 'b' AND left(b, 1) = 'b'
                THEN position(decode(substr(b, 3), 'hex') IN decode(substr(a, 3), 'hex'))
                ELSE strpos(liteshift.val_text(a), liteshift.val_text(b)) END::bigint
$$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_trim(a text, b text DEFAULT 't: ') RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT btrim(liteshift.val_text(a), liteshift.val_text(b)) $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_ltrim(a text, b text DEFAULT 't: ') RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ltrim(liteshift.val_text(a), liteshift.val_text(b)) $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_rtrim(a text, b text DEFAULT 't: ') RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT rtrim(liteshift.val_text(a), liteshift.val_text(b)) $$;

-- A value as SQLite's condition (iif(v, ...)): a number is true unless 0, a text or blob is
-- read as a number ('1abc' is true, 'abc' false), NULL is NULL; a boolean is itself.
CREATE OR REPLACE FUNCTION liteshift.truth(v boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v $$;
CREATE OR REPLACE FUNCTION liteshift.truth(v bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v <> 0 $$;
CREATE OR REPLACE FUNCTION liteshift.truth(v int) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v <> 0 $$;
CREATE OR REPLACE FUNCTION liteshift.truth(v numeric) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v <> 0 $$;
CREATE OR REPLACE FUNCTION liteshift.truth(v float8) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v <> 0 $$;
CREATE OR REPLACE FUNCTION liteshift.truth(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT liteshift.text_num(v) <> 0 $$;
CREATE OR REPLACE FUNCTION liteshift.truth(v bytea) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.text_num(liteshift.blob_ascii(encode(v, 'hex'))) <> 0 $$;

-- A value as SQLite's text of it, for the left operand of LIKE: a text is itself (inlined,
-- so an index on the column still serves), an integer its digits, a real "%!.15g".  No blob
-- form: SQLite 3.40.1 as built here (SQLITE_LIKE_DOESNT_MATCH_BLOBS) answers 0 for a blob
-- whatever the pattern, which a text cannot do; a blob column is refused instead.
CREATE OR REPLACE FUNCTION liteshift.sqlite_text(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_text(v bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v::text $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_text(v int) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v::text $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_text(v float8) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT liteshift.real_text(v) $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_text(v numeric) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT liteshift.val_text(liteshift.val(v)) $$;

-- A value as SQLite's text of it, for group_concat: as sqlite_text, and a blob its bytes
-- (NULL when they are not valid UTF-8), a boolean 1 or 0.
CREATE OR REPLACE FUNCTION liteshift.sqlite_str(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_str(v bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v::text $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_str(v int) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v::text $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_str(v float8) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT liteshift.real_text(v) $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_str(v numeric) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT liteshift.val_text(liteshift.val(v)) $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_str(v bytea) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT liteshift.blob_text(v) $$;
CREATE OR REPLACE FUNCTION liteshift.sqlite_str(v boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v::int::text $$;

-- A value as SQLite's sqlite3_value_double reads it, for total(): numbers as doubles (an
-- inlined cast), a text or blob its numeric prefix (0 without one), a boolean 1 or 0.
CREATE OR REPLACE FUNCTION liteshift.real_of(v bigint) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v::float8 $$;
CREATE OR REPLACE FUNCTION liteshift.real_of(v int) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v::float8 $$;
CREATE OR REPLACE FUNCTION liteshift.real_of(v float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v $$;
CREATE OR REPLACE FUNCTION liteshift.real_of(v numeric) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v::float8 $$;
CREATE OR REPLACE FUNCTION liteshift.real_of(v text) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v IS NOT NULL THEN liteshift.text_num(v) END $$;
CREATE OR REPLACE FUNCTION liteshift.real_of(v bytea) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v IS NOT NULL THEN liteshift.text_num(liteshift.blob_ascii(encode(v, 'hex'))) END $$;
CREATE OR REPLACE FUNCTION liteshift.real_of(v boolean) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT v::int::float8 $$;

-- printf(FORMAT, ...) with SQLite's conversions; each argument arrives as liteshift.val()
-- text (the rewriter wraps them), so its storage class is known.
CREATE OR REPLACE FUNCTION liteshift.printf(fmt text, VARIADIC args text[] DEFAULT '{}')
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    out text := '';
    i int := 1;
    n int := length(fmt);
    k int := 1;
    g text[];
    flags text;
    width int;
    prec int;
    conv text;
    a text;
    body text;
    sign text;
    iv bigint;
    u numeric;
BEGIN
    IF fmt IS NULL THEN
        RETURN NULL;
    END IF;
    WHILE i <= n LOOP
        IF substr(fmt, i, 1) <> '%' THEN
            out := out || substr(fmt, i, 1);
            i := i + 1;
            CONTINUE;
        END IF;
        g := regexp_match(substr(fmt, i + 1), '^([-+ 0#!,]*)([0-9]*|\*)(\.([0-9]*|\*))?(ll|l)?(.)');
        IF g IS NULL THEN
            EXIT;
        END IF;
        i := i + 1 + length(coalesce(g[1], '') || coalesce(g[2], '') || coalesce(g[3], '')
                            || coalesce(g[5], '') || g[6]);
        flags := g[1];
        conv := g[6];
        IF g[2] = '*' THEN
            width := liteshift.val_int(args[k]);
            k := k + 1;
            IF width < 0 THEN flags := flags || '-'; width := -width; END IF;
        ELSE
            -- as SQLite reads digits: into 32 bits, the sign bit cleared
            width := (nullif(g[2], '')::numeric % 2147483648)::int;
        END IF;
        IF g[3] IS NULL THEN
            prec := NULL;
        ELSIF g[4] = '*' THEN
            prec := abs(liteshift.val_int(args[k]));
            k := k + 1;
        ELSE
            prec := coalesce((nullif(g[4], '')::numeric % 2147483648)::int, 0);
        END IF;
        IF conv = '%' THEN
            out := out || '%';
            CONTINUE;
        END IF;
        -- SQLite's printf answers NULL when its output would pass the length limit
        -- (SQLITE_LIMIT_LENGTH, 1,000,000,000 bytes); a width or a zero-padding precision
        -- that large would fail in PostgreSQL before it could be measured
        IF width > 1000000000 OR (prec > 1000000000 AND conv IN ('d', 'i', 'x', 'X', 'c')) THEN
            RETURN NULL;
        END IF;
        a := args[k];
        k := k + 1;
        sign := '';
        IF conv IN ('d', 'i') THEN
            iv := liteshift.val_int(a);
            body := ltrim(iv::text, '-');
            sign := CASE WHEN iv < 0 THEN '-' WHEN flags LIKE '%+%' THEN '+'
                         WHEN flags LIKE '% %' THEN ' ' ELSE '' END;
            IF flags LIKE '%,%' THEN
                body := reverse(regexp_replace(reverse(body), '(\d{3})(?=\d)', '\1,', 'g'));
            END IF;
            IF prec IS NOT NULL AND length(body) < prec THEN body := lpad(body, prec, '0'); END IF;
        ELSIF conv = 'u' THEN
            iv := liteshift.val_int(a);
            body := CASE WHEN iv < 0 THEN (iv::numeric + 18446744073709551616)::text ELSE iv::text END;
        ELSIF conv = 'o' THEN
            iv := liteshift.val_int(a);
            u := CASE WHEN iv < 0 THEN iv::numeric + 18446744073709551616 ELSE iv END;
            body := '';
            LOOP
                body := mod(u, 8)::int::text || body;
                u := div(u, 8);
                EXIT WHEN u = 0;
            END LOOP;
            IF flags LIKE '%#%' AND iv <> 0 THEN body := '0' || body; END IF;
        ELSIF conv IN ('x', 'X') THEN
            iv := liteshift.val_int(a);
            body := to_hex(iv);
            IF conv = 'X' THEN body := upper(body); END IF;
            IF prec IS NOT NULL AND length(body) < prec THEN body := lpad(body, prec, '0'); END IF;
            IF flags LIKE '%#%' AND iv <> 0 THEN body := '0' || conv || body; END IF;
        ELSIF conv IN ('f', 'e', 'E', 'g', 'G') THEN
            -- SQLite caps a floating-point precision at SQLITE_FP_PRECISION_LIMIT
            body := liteshift.fmt_float(liteshift.val_real(a), conv, least(coalesce(prec, 6), 100000000),
                                        flags LIKE '%#%', CASE WHEN flags LIKE '%!%' THEN 26 ELSE 16 END);
            IF body LIKE '-%' THEN
                sign := '-';
                body := substr(body, 2);
            ELSE
                sign := CASE WHEN flags LIKE '%+%' THEN '+' WHEN flags LIKE '% %' THEN ' ' ELSE '' END;
            END IF;
        ELSIF conv IN ('s', 'z') THEN
            body := coalesce(liteshift.val_text(a), '');
            IF prec IS NOT NULL AND flags LIKE '%!%' THEN
                body := left(body, prec);
            ELSIF prec IS NOT NULL THEN
                -- a precision counts bytes: whole characters within it (SQLite may cut one)
                WHILE octet_length(body) > prec LOOP
                    body := left(body, -1);
                END LOOP;
            END IF;
        ELSIF conv = 'c' THEN
            body := left(coalesce(liteshift.val_text(a), ''), 1);
            IF prec IS NOT NULL AND prec > 1 THEN body := repeat(body, prec); END IF;
        ELSIF conv = 'q' THEN
            body := replace(coalesce(liteshift.val_text(a), '(NULL)'), '''', '''''');
        ELSIF conv = 'Q' THEN
            body := CASE WHEN a IS NULL THEN 'NULL'
                         ELSE '''' || replace(liteshift.val_text(a), '''', '''''') || '''' END;
        ELSIF conv = 'w' THEN
            body := replace(coalesce(liteshift.val_text(a), '(NULL)'), '"', '""');
        ELSE
            EXIT;   -- an unknown conversion ends the output, as in SQLite
        END IF;
        -- widths count bytes, as SQLite does without the '!' flag
        IF width IS NOT NULL AND octet_length(sign || body) < width THEN
            IF flags LIKE '%-%' THEN
                body := sign || body || repeat(' ', width - octet_length(sign || body));
            ELSIF flags LIKE '%0%' AND conv NOT IN ('s', 'z', 'c', 'q', 'Q', 'w') THEN
                body := sign || repeat('0', width - octet_length(sign || body)) || body;
            ELSE
                body := repeat(' ', width - octet_length(sign || body)) || sign || body;
            END IF;
        ELSE
            body := sign || body;
        END IF;
        IF octet_length(out) + octet_length(body) > 1000000000 THEN
            RETURN NULL;
        END IF;
        out := out || body;
    END LOOP;
    RETURN out;
END $$;

CREATE OR REPLACE FUNCTION liteshift.format(fmt text, VARIADIC args text[] DEFAULT '{}')
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT liteshift.printf(fmt, VARIADIC args)
$$;

-- Text overloads: a quoted literal has no type yet, and PostgreSQL cannot give a
-- polymorphic (anyelement) parameter one; with these it reads as text, as in SQLite.
CREATE OR REPLACE FUNCTION liteshift.val(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 't:' || v $$;
CREATE OR REPLACE FUNCTION liteshift.typeof(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE WHEN v IS NULL THEN 'null' ELSE 'text' END $$;
CREATE OR REPLACE FUNCTION liteshift.hex(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(upper(encode(convert_to(v, 'UTF8'), 'hex')), '') $$;
CREATE OR REPLACE FUNCTION liteshift.quote(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v IS NULL THEN 'NULL' ELSE '''' || replace(v, '''', '''''') || '''' END $$;
