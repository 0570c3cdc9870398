-- SPDX-License-Identifier: MIT
-- Number formatting as SQLite's own printf does it (not the C library's): used by
-- strftime('%f'), strftime('%J') and printf('%f', '%e', '%g').  SQLite produces at most 16
-- significant digits (then zeros), adds its rounder (0.5 times 0.1 to the precision,
-- computed in binary) before cutting digits, and prints Inf/NaN by name.  The exact decimal
-- value of a double comes from its bits, so no rounding happens on the way.

-- 10^e exactly: numeric power() rounds negative powers to 16 decimals (10^-300 is 0).
CREATE OR REPLACE FUNCTION liteshift.pow10(e int) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT ('1e' || e)::numeric $$;

-- The exact decimal value of a finite double.
CREATE OR REPLACE FUNCTION liteshift.float8_exact(x float8) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    bits bigint := ('x' || encode(float8send(x), 'hex'))::bit(64)::bigint;
    ex int := ((bits >> 52) & 2047)::int;
    mant numeric := (bits & 4503599627370495)::numeric;
    e2 int;
    t text;
BEGIN
    IF ex = 2047 THEN
        RETURN NULL;
    END IF;
    IF ex = 0 THEN
        e2 := -1074;
    ELSE
        mant := mant + 4503599627370496;
        e2 := ex - 1075;
    END IF;
    IF e2 >= 0 THEN
        mant := mant * power(2::numeric, e2);
    ELSE
        -- mant / 2^k = mant * 5^k / 10^k: place the decimal point by hand, exactly
        t := trunc(mant * power(5::numeric, -e2))::text;
        IF length(t) <= -e2 THEN
            t := repeat('0', -e2 - length(t) + 1) || t;
        END IF;
        mant := (left(t, length(t) + e2) || '.' || right(t, -e2))::numeric;
    END IF;
    RETURN CASE WHEN bits < 0 THEN -mant ELSE mant END;
END $$;

-- printf-style conversion of a double: conv is 'f', 'e', 'E', 'g' or 'G'; prec < 0 means 6;
-- alt is the '#' flag; nsd the significant digits produced (16, or 26 with SQLite's '!'
-- flag).  Sign, width and padding are the caller's.  Returns the digits of abs(x) with a
-- leading '-' when x is negative.  As SQLite 3.40's printf: a rounder of half a unit in the
-- last place asked (plus x * 3e-16 for '%f' when the precision leaves room, which makes
-- printf('%.2f', 2.675) 2.68), then digits cut, never rounded, after nsd of them.
DROP FUNCTION IF EXISTS liteshift.fmt_float(float8, text, int, bool);
CREATE OR REPLACE FUNCTION liteshift.fmt_float(x float8, conv text, prec int, alt bool,
                                               nsd int DEFAULT 16)
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    neg bool := false;
    p int := CASE WHEN prec IS NULL OR prec < 0 THEN 6 ELSE prec END;
    kind text := lower(conv);
    rounder float8;
    ex int;
    v numeric;
    e int := 0;
    dig text := '';
    pos int := 0;
    buf text := '';
    rtz bool := false;
    e2 int;
    i int;
BEGIN
    IF x IS NULL THEN
        RETURN NULL;
    END IF;
    IF x = 'NaN'::float8 THEN
        RETURN 'NaN';
    END IF;
    IF x < 0 THEN
        neg := true;
        x := -x;
    END IF;
    IF x = 'Infinity'::float8 THEN
        RETURN CASE WHEN neg THEN '-Inf' ELSE 'Inf' END;
    END IF;
    IF kind = 'g' AND p > 0 THEN
        p := p - 1;
    END IF;
    rounder := (ARRAY[5.0e-01, 5.0e-02, 5.0e-03, 5.0e-04, 5.0e-05, 5.0e-06, 5.0e-07, 5.0e-08,
                      5.0e-09, 5.0e-10]::float8[])[(p & 4095) % 10 + 1];
    FOR i IN 1 .. (p & 4095) / 10 LOOP
        rounder := rounder * 1.0e-10::float8;
    END LOOP;
    v := liteshift.float8_exact(x);
    IF kind = 'f' THEN
        ex := ((('x' || encode(float8send(x), 'hex'))::bit(64)::bigint >> 52) & 2047)::int - 1023;
        IF p + trunc(ex / 3.0)::int < 15 THEN
            rounder := rounder + x * 3e-16::float8;
        END IF;
        v := v + liteshift.float8_exact(rounder);
    END IF;
    IF v > 0 THEN
        e := floor(log(v))::int;
        IF v >= liteshift.pow10(e + 1) THEN e := e + 1; END IF;
        IF v < liteshift.pow10(e) THEN e := e - 1; END IF;
        IF kind <> 'f' THEN
            v := v + liteshift.float8_exact(rounder) * liteshift.pow10(e);
            IF v >= liteshift.pow10(e + 1) THEN e := e + 1; END IF;
        END IF;
        dig := ltrim(replace(v::text, '.', ''), '0');
    END IF;
    dig := rpad(left(dig, nsd), nsd, '0');
    IF kind = 'g' THEN
        rtz := NOT alt;
        IF e < -4 OR e > p THEN
            kind := 'e';
        ELSE
            p := p - e;
            kind := 'f';
        END IF;
    END IF;
    IF kind = 'f' THEN
        IF e < 0 THEN
            buf := '0';
        ELSE
            FOR i IN 0 .. e LOOP
                pos := pos + 1;
                buf := buf || CASE WHEN pos <= nsd THEN substr(dig, pos, 1) ELSE '0' END;
            END LOOP;
        END IF;
        IF p > 0 OR alt THEN
            buf := buf || '.';
        END IF;
        e2 := e + 1;
        WHILE e2 < 0 AND p > 0 LOOP
            buf := buf || '0';
            p := p - 1;
            e2 := e2 + 1;
        END LOOP;
        WHILE p > 0 LOOP
            pos := pos + 1;
            buf := buf || CASE WHEN pos <= nsd THEN substr(dig, pos, 1) ELSE '0' END;
            p := p - 1;
        END LOOP;
    ELSE
        buf := substr(dig, 1, 1);
        pos := 1;
        IF p > 0 OR alt THEN
            buf := buf || '.';
        END IF;
        WHILE p > 0 LOOP
            pos := pos + 1;
            buf := buf || CASE WHEN pos <= nsd THEN substr(dig, pos, 1) ELSE '0' END;
            p := p - 1;
        END LOOP;
    END IF;
    IF rtz AND position('.' IN buf) > 0 THEN
        buf := rtrim(rtrim(buf, '0'), '.');
    END IF;
    IF kind = 'e' THEN
        buf := buf || CASE WHEN conv IN ('E', 'G') THEN 'E' ELSE 'e' END
                   || CASE WHEN e < 0 THEN '-' ELSE '+' END
                   || lpad(abs(e)::text, greatest(2, length(abs(e)::text)), '0');
    END IF;
    RETURN CASE WHEN neg THEN '-' ELSE '' END || buf;
END $$;
