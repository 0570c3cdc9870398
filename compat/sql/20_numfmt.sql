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
    IF nsd > 16 OR abs(x) >= 1e27 OR (x <> 0 AND abs(x) < 1e-8) THEN
        -- the '!' flag: 26 digits, of which the last ones come from long double arithmetic;
        -- and magnitudes whose scaling SQLite does inexactly (powers of ten past 10^27, one
        -- rounding per factor 1e8 below 1e-8), which can reach the 16th digit
        -- (printf('%.3f', 1.5e180) is 1499999999999999000...).  Slower: about 2 ms a call.
        RETURN liteshift.fmt_float_ld(x, conv, prec, alt, nsd > 16);
    END IF;
    IF kind = 'f' AND x <> 0 AND abs(x) < 'Infinity'::float8
       AND p + trunc((((('x' || encode(float8send(x), 'hex'))::bit(64)::bigint >> 52) & 2047)
                     - 1023) / 3.0)::int >= 15 THEN
        -- %f without the x * 3e-16 rounder: SQLite's long double digits show past the 15th
        -- (printf('%.30f', 31.0) is 30.999999999999990000...; round(31, 30) reads it back)
        RETURN liteshift.fmt_float_ld(x, conv, prec, alt, false);
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
        -- C underflows quietly toward 0, PostgreSQL's float8 multiplication raises
        rounder := CASE WHEN rounder < 1e-290 THEN 0 ELSE rounder * 1.0e-10::float8 END;
    END LOOP;
    v := liteshift.float8_exact(x);
    IF kind = 'f' THEN
        ex := ((('x' || encode(float8send(x), 'hex'))::bit(64)::bigint >> 52) & 2047)::int - 1023;
        IF p + trunc(ex / 3.0)::int < 15 AND x > 1e-290 THEN   -- else x * 3e-16 is nothing
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
        -- zeros before the first digit, then the digits while they last, then zeros: whole
        -- runs at a time (a precision may be up to 100,000,000; one character per step
        -- would take hours)
        IF e2 < 0 AND p > 0 THEN
            i := least(-e2, p);
            buf := buf || repeat('0', i);
            p := p - i;
            e2 := e2 + i;
        END IF;
    ELSE
        buf := substr(dig, 1, 1);
        pos := 1;
        IF p > 0 OR alt THEN
            buf := buf || '.';
        END IF;
    END IF;
    IF p > 0 THEN   -- the fraction's digits while they last, then zeros
        i := least(p, greatest(nsd - pos, 0));
        buf := buf || substr(dig, pos + 1, i) || repeat('0', p - i);
        pos := pos + p;
        p := 0;
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

-- ---------------------------------------------------------------------------------------
-- SQLite's printf with the '!' flag (quote() of a real that needs 17 digits prints "%!.20e",
-- 26 significant digits) runs its digit loop in x87 80-bit long double: every product, sum
-- and quotient is rounded to a 64-bit significand, so digits 18 to 21 are those of that
-- arithmetic, not of the exact value.  The ld_* functions below do the same arithmetic on
-- (m, e) pairs meaning m * 2^e, m a non-negative integer of at most 64 bits, rounding to
-- nearest, ties to even, exactly as the FPU does; fmt_float_ld follows SQLite 3.40.1's
-- printf.c (etFLOAT, etEXP, etGENERIC) step by step with them.

-- 2^k, exactly, k >= 0.
CREATE OR REPLACE FUNCTION liteshift.pow2(k int) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT trunc(power(2::numeric, k)) $$;

-- The number of bits of a non-negative integer.
CREATE OR REPLACE FUNCTION liteshift.bitlen(m numeric) RETURNS int
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    b int;
BEGIN
    IF m < 1 THEN
        RETURN 0;
    END IF;
    b := floor(log(2::numeric, m))::int + 1;
    WHILE liteshift.pow2(b) <= m LOOP b := b + 1; END LOOP;
    WHILE b > 1 AND liteshift.pow2(b - 1) > m LOOP b := b - 1; END LOOP;
    RETURN b;
END $$;

-- m * 2^e rounded to a significand of nbits bits (sticky: the true value is a little more
-- than m * 2^e, as a quotient with a remainder is).
CREATE OR REPLACE FUNCTION liteshift.ld_round(m numeric, e int, nbits int, sticky bool,
                                              OUT rm numeric, OUT re int)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    b int := liteshift.bitlen(m);
    sh int;
    p numeric;
    r numeric;
BEGIN
    rm := m;
    re := e;
    IF m = 0 THEN
        re := 0;
        RETURN;
    END IF;
    IF b <= nbits THEN
        RETURN;
    END IF;
    sh := b - nbits;
    p := liteshift.pow2(sh);
    rm := div(m, p);
    r := m - rm * p;
    IF r * 2 > p OR (r * 2 = p AND (sticky OR mod(rm, 2) = 1)) THEN
        rm := rm + 1;
        IF rm = liteshift.pow2(nbits) THEN
            rm := liteshift.pow2(nbits - 1);
            sh := sh + 1;
        END IF;
    END IF;
    re := e + sh;
END $$;

-- A finite non-negative double as (m, e), exactly.
CREATE OR REPLACE FUNCTION liteshift.ld_of(x float8, OUT rm numeric, OUT re int)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    bits bigint := ('x' || encode(float8send(abs(x)), 'hex'))::bit(64)::bigint;
    ex int := ((bits >> 52) & 2047)::int;
BEGIN
    rm := (bits & 4503599627370495)::numeric;
    IF ex = 0 THEN
        re := -1074;
    ELSE
        rm := rm + 4503599627370496;
        re := ex - 1075;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION liteshift.ld_mul(am numeric, ae int, bm numeric, be int,
                                            OUT rm numeric, OUT re int)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT * FROM liteshift.ld_round(am * bm, ae + be, 64, false)
$$;

-- a + sign * b (sign -1 only where a >= b).
CREATE OR REPLACE FUNCTION liteshift.ld_add(am numeric, ae int, bm numeric, be int, sign int,
                                            OUT rm numeric, OUT re int)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT * FROM liteshift.ld_round(
        am * liteshift.pow2(ae - least(ae, be)) + sign * bm * liteshift.pow2(be - least(ae, be)),
        least(ae, be), 64, false)
$$;

CREATE OR REPLACE FUNCTION liteshift.ld_div(am numeric, ae int, bm numeric, be int,
                                            OUT rm numeric, OUT re int)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    s int := greatest(0, 68 + liteshift.bitlen(bm) - liteshift.bitlen(am));
    n numeric := am * liteshift.pow2(s);
    q numeric := div(n, bm);
BEGIN
    SELECT * INTO rm, re FROM liteshift.ld_round(q, ae - be - s, 64, n - q * bm > 0);
END $$;

-- sign of a - b
CREATE OR REPLACE FUNCTION liteshift.ld_cmp(am numeric, ae int, bm numeric, be int) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sign(am * liteshift.pow2(ae - least(ae, be)) - bm * liteshift.pow2(be - least(ae, be)))::int
$$;

-- SQLite 3.40.1's printf conversion of a double under the '!' flag (bang), in long double
-- arithmetic; conv 'f', 'e', 'E', 'g' or 'G'.  Same contract as fmt_float.
CREATE OR REPLACE FUNCTION liteshift.fmt_float_ld(x float8, conv text, prec int, alt bool,
                                                  bang bool)
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    neg bool := x < 0;
    p int := CASE WHEN prec IS NULL OR prec < 0 THEN 6 ELSE prec END;
    kind text := lower(conv);
    rounder float8;
    rm numeric; re int;          -- realvalue
    sm numeric := 1; se int := 0; -- scale
    tm numeric; te int;
    cm numeric; ce int;          -- a constant
    ex int := 0;
    e2 int;
    nsd int := CASE WHEN bang THEN 26 ELSE 16 END;
    rtz bool;
    dp bool;
    buf text := '';
    d numeric;
    i int;
BEGIN
    IF x IS NULL THEN
        RETURN NULL;
    END IF;
    IF x = 'NaN'::float8 THEN
        RETURN 'NaN';
    END IF;
    IF abs(x) = 'Infinity'::float8 THEN
        RETURN CASE WHEN neg THEN '-Inf' ELSE 'Inf' END;
    END IF;
    IF kind = 'g' AND p > 0 THEN
        p := p - 1;
    END IF;
    rounder := (ARRAY[5.0e-01, 5.0e-02, 5.0e-03, 5.0e-04, 5.0e-05, 5.0e-06, 5.0e-07, 5.0e-08,
                      5.0e-09, 5.0e-10]::float8[])[(p & 4095) % 10 + 1];
    FOR i IN 1 .. (p & 4095) / 10 LOOP
        -- C underflows quietly toward 0, PostgreSQL's float8 multiplication raises
        rounder := CASE WHEN rounder < 1e-290 THEN 0 ELSE rounder * 1.0e-10::float8 END;
    END LOOP;
    SELECT * INTO rm, re FROM liteshift.ld_of(x);
    IF kind = 'f' THEN
        i := ((('x' || encode(float8send(abs(x)), 'hex'))::bit(64)::bigint >> 52) & 2047)::int - 1023;
        IF p + trunc(i / 3.0)::int < 15 AND abs(x) > 1e-290 THEN   -- else x * 3e-16 is nothing
            -- rounder (a double) += realvalue * 3e-16, computed in long double
            SELECT * INTO cm, ce FROM liteshift.ld_of(3e-16::float8);
            SELECT * INTO tm, te FROM liteshift.ld_mul(rm, re, cm, ce);
            SELECT * INTO cm, ce FROM liteshift.ld_of(rounder);
            SELECT * INTO tm, te FROM liteshift.ld_add(tm, te, cm, ce, 1);
            SELECT * INTO tm, te FROM liteshift.ld_round(tm, te, 53, false);
            rounder := tm::float8 * power(2::float8, te);
        END IF;
        SELECT * INTO cm, ce FROM liteshift.ld_of(rounder);
        SELECT * INTO rm, re FROM liteshift.ld_add(rm, re, cm, ce, 1);
    END IF;
    IF rm > 0 THEN
        SELECT * INTO cm, ce FROM liteshift.ld_of(1e100::float8);
        LOOP
            SELECT * INTO tm, te FROM liteshift.ld_mul(cm, ce, sm, se);
            EXIT WHEN NOT (liteshift.ld_cmp(rm, re, tm, te) >= 0 AND ex <= 350);
            sm := tm; se := te; ex := ex + 100;
        END LOOP;
        SELECT * INTO cm, ce FROM liteshift.ld_of(1e10::float8);
        LOOP
            SELECT * INTO tm, te FROM liteshift.ld_mul(cm, ce, sm, se);
            EXIT WHEN NOT (liteshift.ld_cmp(rm, re, tm, te) >= 0 AND ex <= 350);
            sm := tm; se := te; ex := ex + 10;
        END LOOP;
        LOOP
            SELECT * INTO tm, te FROM liteshift.ld_mul(10, 0, sm, se);
            EXIT WHEN NOT (liteshift.ld_cmp(rm, re, tm, te) >= 0 AND ex <= 350);
            sm := tm; se := te; ex := ex + 1;
        END LOOP;
        SELECT * INTO rm, re FROM liteshift.ld_div(rm, re, sm, se);
        SELECT * INTO cm, ce FROM liteshift.ld_of(1e-8::float8);
        WHILE liteshift.ld_cmp(rm, re, cm, ce) < 0 LOOP
            SELECT * INTO rm, re FROM liteshift.ld_mul(rm, re, 100000000, 0);
            ex := ex - 8;
        END LOOP;
        WHILE liteshift.ld_cmp(rm, re, 1, 0) < 0 LOOP
            SELECT * INTO rm, re FROM liteshift.ld_mul(rm, re, 10, 0);
            ex := ex - 1;
        END LOOP;
        IF ex > 350 THEN
            RETURN CASE WHEN neg THEN '-Inf' ELSE 'Inf' END;
        END IF;
    END IF;
    IF kind <> 'f' THEN
        SELECT * INTO cm, ce FROM liteshift.ld_of(rounder);
        SELECT * INTO rm, re FROM liteshift.ld_add(rm, re, cm, ce, 1);
        IF liteshift.ld_cmp(rm, re, 10, 0) >= 0 THEN
            SELECT * INTO cm, ce FROM liteshift.ld_of(0.1::float8);
            SELECT * INTO rm, re FROM liteshift.ld_mul(rm, re, cm, ce);
            ex := ex + 1;
        END IF;
    END IF;
    IF kind = 'g' THEN
        rtz := NOT alt;
        IF ex < -4 OR ex > p THEN
            kind := 'e';
        ELSE
            p := p - ex;
            kind := 'f';
        END IF;
    ELSE
        rtz := bang;
    END IF;
    e2 := CASE WHEN kind = 'e' THEN 0 ELSE ex END;
    dp := p > 0 OR alt OR bang;
    -- et_getdigit: the integer part, then (value - digit) * 10, while nsd lasts
    IF e2 < 0 THEN
        buf := '0';
    ELSE
        WHILE e2 >= 0 LOOP
            IF nsd <= 0 THEN
                buf := buf || '0';
            ELSE
                nsd := nsd - 1;
                d := CASE WHEN re >= 0 THEN rm * liteshift.pow2(re) ELSE div(rm, liteshift.pow2(-re)) END;
                buf := buf || d::text;
                SELECT * INTO rm, re FROM liteshift.ld_add(rm, re, d, 0, -1);
                SELECT * INTO rm, re FROM liteshift.ld_mul(rm, re, 10, 0);
            END IF;
            e2 := e2 - 1;
        END LOOP;
    END IF;
    IF dp THEN
        buf := buf || '.';
    END IF;
    e2 := e2 + 1;
    WHILE e2 < 0 LOOP
        buf := buf || '0';
        p := p - 1;
        e2 := e2 + 1;
    END LOOP;
    WHILE p > 0 LOOP
        IF nsd <= 0 THEN
            buf := buf || repeat('0', p);   -- the rest are zeros: one run
            p := 0;
            EXIT;
        ELSE
            nsd := nsd - 1;
            d := CASE WHEN re >= 0 THEN rm * liteshift.pow2(re) ELSE div(rm, liteshift.pow2(-re)) END;
            buf := buf || d::text;
            SELECT * INTO rm, re FROM liteshift.ld_add(rm, re, d, 0, -1);
            SELECT * INTO rm, re FROM liteshift.ld_mul(rm, re, 10, 0);
        END IF;
        p := p - 1;
    END LOOP;
    IF rtz AND dp THEN
        buf := rtrim(buf, '0');
        IF right(buf, 1) = '.' THEN
            buf := CASE WHEN bang THEN buf || '0' ELSE left(buf, -1) END;
        END IF;
    END IF;
    IF kind = 'e' THEN
        buf := buf || CASE WHEN conv IN ('E', 'G') THEN 'E' ELSE 'e' END
                   || CASE WHEN ex < 0 THEN '-' ELSE '+' END
                   || lpad(abs(ex)::text, CASE WHEN abs(ex) >= 100 THEN 3 ELSE 2 END, '0');
    END IF;
    RETURN CASE WHEN neg THEN '-' ELSE '' END || buf;
END $$;
