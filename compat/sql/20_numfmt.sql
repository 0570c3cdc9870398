-- SPDX-License-Identifier: MIT
-- Number formatting as SQLite's own printf does it (not the C library's): used by
-- strftime('%f'), strftime('%J') and printf('%f', '%e', '%g').  SQLite produces at most 16
-- significant digits (then zeros), adds its rounder (0.5 times 0.1 to the precision,
-- computed in binary) before cutting digits, and prints Inf/NaN by name.  The exact decimal
-- value of a double comes from its bits, so no rounding happens on the way.

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
-- alt is the '#' flag.  Sign, width and padding are the caller's.  Returns the digits of
-- abs(x) with a leading '-' when x is negative.  Measured on SQLite 3.40 (see
-- docs/compat-functions.md): the value is first rounded to 16 significant digits, then to
-- the precision, both half away from zero (printf('%.2f', 2.675) is 2.68).
CREATE OR REPLACE FUNCTION liteshift.fmt_float(x float8, conv text, prec int, alt bool)
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    neg bool := false;
    p int := CASE WHEN prec IS NULL OR prec < 0 THEN 6 ELSE prec END;
    kind text := lower(conv);
    v numeric;
    m numeric;
    e int := 0;
    buf text;
    rtz bool := false;
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
    v := liteshift.float8_exact(x);
    IF v > 0 THEN
        e := floor(log(v))::int;   -- then corrected exactly
        IF v >= power(10::numeric, e + 1) THEN e := e + 1; END IF;
        IF v < power(10::numeric, e) THEN e := e - 1; END IF;
        v := round(v, 15 - e);
        IF v >= power(10::numeric, e + 1) THEN e := e + 1; END IF;
    END IF;
    IF kind = 'g' THEN
        IF p > 0 THEN
            p := p - 1;
        END IF;
        rtz := NOT alt;
        IF v > 0 AND round(v, p - e) >= power(10::numeric, e + 1) THEN
            e := e + 1;
        END IF;
        IF e < -4 OR e > p THEN
            kind := 'e';
        ELSE
            p := p - e;
            kind := 'f';
        END IF;
    END IF;
    IF kind = 'f' THEN
        buf := round(v, p)::text;
    ELSE
        m := CASE WHEN v > 0 THEN round(v * power(10::numeric, -e), p) ELSE 0 END;
        IF m >= 10 THEN
            e := e + 1;
            m := round(v * power(10::numeric, -e), p);
        END IF;
        buf := round(m, p)::text;
    END IF;
    IF alt AND position('.' IN buf) = 0 THEN
        buf := buf || '.';
    END IF;
    IF rtz AND position('.' IN buf) > 0 THEN
        buf := rtrim(rtrim(buf, '0'), '.');
    END IF;
    IF kind = 'e' THEN
        buf := buf || CASE WHEN conv IN ('E', 'G') THEN 'E' ELSE 'e' END
                   || CASE WHEN e < 0 THEN '-' ELSE '+' END
                   || lpad(abs(e)::text, 2, '0');
    END IF;
    RETURN CASE WHEN neg THEN '-' ELSE '' END || buf;
END $$;
