-- SPDX-License-Identifier: MIT
-- SQLite's date and time functions (datetime, date, time, julianday, unixepoch, strftime)
-- with SQLite 3.40's algorithm: a time value held as milliseconds of julian day (ijd) next to
-- broken-down fields, each with its own validity flag, so that results match SQLite's even
-- where they surprise (date('2021-02-31') is '2021-02-31', '+1 month' on January 31 rolls
-- into March, an unknown modifier or a value out of range gives NULL).  The rewriter
-- (rewriter/datetime.c) computes simple literal cases itself and calls these otherwise.
--
-- 'now' is the statement's start (statement_timestamp()), as SQLite fixes it per statement.
-- 'localtime' and 'utc' use the client's zone, which the shim passes as the setting
-- liteshift.tz (from TZ or /etc/localtime); without it, UTC.  Like SQLite, years outside
-- 1970-2037 are mapped into that range for the zone lookup.

DO $$
BEGIN
    IF to_regtype('liteshift.dt') IS NULL THEN
        CREATE TYPE liteshift.dt AS (
            ijd bigint, y int, m int, d int, h int, mi int, tz int, s float8,
            valid_jd bool, raw_s bool, valid_ymd bool, valid_hms bool, valid_tz bool,
            tz_set bool, is_error bool);
    END IF;
END $$;

-- A blob read as text, as SQLite does when a text function gets one: the bytes up to the
-- first NUL, NULL when they are not UTF-8.
CREATE OR REPLACE FUNCTION liteshift.blob_text(b bytea) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    IF position('\x00'::bytea IN b) > 0 THEN
        b := substr(b, 1, position('\x00'::bytea IN b) - 1);
    END IF;
    RETURN convert_from(b, 'UTF8');
EXCEPTION WHEN character_not_in_repertoire OR untranslatable_character THEN
    RETURN NULL;
END $$;

-- A fresh, all-invalid time value.
CREATE OR REPLACE FUNCTION liteshift.dt_new() RETURNS liteshift.dt
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ROW(0, 0, 0, 0, 0, 0, 0, 0, false, false, false, false, false, false, false)::liteshift.dt
$$;

CREATE OR REPLACE FUNCTION liteshift.dt_error() RETURNS liteshift.dt
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ROW(0, 0, 0, 0, 0, 0, 0, 0, false, false, false, false, false, false, true)::liteshift.dt
$$;

-- SQLite's sqlite3AtoF when it accepts the whole text: a decimal number with optional
-- sign, fraction and exponent, surrounded by optional white space.  NULL otherwise.
CREATE OR REPLACE FUNCTION liteshift.dt_atof(z text) RETURNS float8
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF z IS NULL OR z !~ '^[ \t\n\v\f\r]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\v\f\r]*$' THEN
        RETURN NULL;
    END IF;
    RETURN btrim(z, E' \t\n\v\f\r')::float8;
EXCEPTION WHEN numeric_value_out_of_range THEN
    RETURN CASE WHEN btrim(z) ~ '^-' THEN '-Infinity'::float8
                WHEN btrim(z) ~* 'e-' THEN 0::float8 ELSE 'Infinity'::float8 END;
END $$;

-- computeJD: the julian day in milliseconds from the broken-down fields.
CREATE OR REPLACE FUNCTION liteshift.dt_jd(p liteshift.dt) RETURNS liteshift.dt
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    yy int; mm int; dd int; a int; b int; x1 int; x2 int;
BEGIN
    IF p.valid_jd THEN
        RETURN p;
    END IF;
    IF p.valid_ymd THEN
        yy := p.y; mm := p.m; dd := p.d;
    ELSE
        yy := 2000; mm := 1; dd := 1;
    END IF;
    IF yy < -4713 OR yy > 9999 OR p.raw_s THEN
        RETURN liteshift.dt_error();
    END IF;
    IF mm <= 2 THEN
        yy := yy - 1;
        mm := mm + 12;
    END IF;
    a := yy / 100;
    b := 2 - a + (a / 4);
    x1 := 36525 * (yy + 4716) / 100;
    x2 := 306001 * (mm + 1) / 10000;
    p.ijd := trunc(((x1 + x2 + dd + b)::float8 - 1524.5) * 86400000)::bigint;
    p.valid_jd := true;
    IF p.valid_hms THEN
        p.ijd := p.ijd + p.h * 3600000 + p.mi * 60000 + trunc(p.s * 1000 + 0.5)::bigint;
        IF p.valid_tz THEN
            p.ijd := p.ijd - p.tz * 60000;
            p.valid_ymd := false;
            p.valid_hms := false;
            p.valid_tz := false;
        END IF;
    END IF;
    RETURN p;
END $$;

-- computeYMD
CREATE OR REPLACE FUNCTION liteshift.dt_ymd(p liteshift.dt) RETURNS liteshift.dt
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    z int; a int; b int; c int; d int; e int; x1 int;
BEGIN
    IF p.valid_ymd THEN
        RETURN p;
    END IF;
    IF NOT p.valid_jd THEN
        p.y := 2000; p.m := 1; p.d := 1;
    ELSIF p.ijd < 0 OR p.ijd > 464269060799999 THEN
        RETURN liteshift.dt_error();
    ELSE
        z := ((p.ijd + 43200000) / 86400000)::int;
        a := trunc((z - 1867216.25::float8) / 36524.25::float8)::int;
        a := z + 1 + a - (a / 4);
        b := a + 1524;
        c := trunc((b - 122.1::float8) / 365.25::float8)::int;
        d := (36525 * (c & 32767)) / 100;
        e := trunc((b - d) / 30.6001::float8)::int;
        x1 := trunc(30.6001::float8 * e)::int;
        p.d := b - d - x1;
        p.m := CASE WHEN e < 14 THEN e - 1 ELSE e - 13 END;
        p.y := CASE WHEN p.m > 2 THEN c - 4716 ELSE c - 4715 END;
    END IF;
    p.valid_ymd := true;
    RETURN p;
END $$;

-- computeHMS
CREATE OR REPLACE FUNCTION liteshift.dt_hms(p liteshift.dt) RETURNS liteshift.dt
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    s int;
BEGIN
    IF p.valid_hms THEN
        RETURN p;
    END IF;
    p := liteshift.dt_jd(p);
    s := ((p.ijd + 43200000) % 86400000)::int;
    p.s := s / 1000.0::float8;
    s := trunc(p.s)::int;
    p.s := p.s - s;
    p.h := s / 3600;
    s := s - p.h * 3600;
    p.mi := s / 60;
    p.s := p.s + (s - p.mi * 60);
    p.raw_s := false;
    p.valid_hms := true;
    RETURN p;
END $$;

-- parseTimezone on the rest of a time string: NULL when it is not a valid suffix.
CREATE OR REPLACE FUNCTION liteshift.dt_tz(z text, p liteshift.dt) RETURNS liteshift.dt
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    g text[];
BEGIN
    z := ltrim(z, E' \t\n\v\f\r');
    p.tz := 0;
    IF z = '' THEN
        RETURN p;
    END IF;
    IF z ~ '^[Zz]' THEN
        z := substr(z, 2);
    ELSE
        g := regexp_match(z, '^([+-])([0-9]{2}):([0-9]{2})(.*)$');
        IF g IS NULL OR g[2]::int > 14 OR g[3]::int > 59 THEN
            RETURN NULL;
        END IF;
        p.tz := (CASE WHEN g[1] = '-' THEN -1 ELSE 1 END) * (g[3]::int + g[2]::int * 60);
        z := g[4];
    END IF;
    p.tz_set := true;
    IF ltrim(z, E' \t\n\v\f\r') <> '' THEN
        RETURN NULL;
    END IF;
    RETURN p;
END $$;

-- parseHhMmSs: HH:MM[:SS[.FFF]] and a zone suffix; NULL when it does not parse.
CREATE OR REPLACE FUNCTION liteshift.dt_hhmmss(z text, p liteshift.dt) RETURNS liteshift.dt
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    g text[];
    ms float8 := 0;
    scale float8 := 1;
    sec int := 0;
    i int;
BEGIN
    g := regexp_match(z, '^([0-9]{2}):([0-9]{2})(:([0-9]{2})(\.[0-9]+)?)?(.*)$');
    IF g IS NULL OR g[1]::int > 24 OR g[2]::int > 59 THEN
        RETURN NULL;
    END IF;
    IF g[3] IS NOT NULL THEN
        sec := g[4]::int;
        IF sec > 59 THEN
            RETURN NULL;
        END IF;
        IF g[5] IS NOT NULL THEN
            FOR i IN 2 .. length(g[5]) LOOP
                ms := ms * 10.0 + ascii(substr(g[5], i, 1)) - 48;
                scale := scale * 10.0;
            END LOOP;
            ms := ms / scale;
        END IF;
    ELSIF substr(g[6], 1, 1) = ':' THEN
        RETURN NULL;
    END IF;
    p.valid_jd := false;
    p.raw_s := false;
    p.valid_hms := true;
    p.h := g[1]::int;
    p.mi := g[2]::int;
    p.s := sec + ms;
    p := liteshift.dt_tz(g[6], p);
    IF p IS NULL THEN
        RETURN NULL;
    END IF;
    p.valid_tz := p.tz <> 0;
    RETURN p;
END $$;

-- setRawDateNumber
CREATE OR REPLACE FUNCTION liteshift.dt_raw(r float8) RETURNS liteshift.dt
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    p liteshift.dt := liteshift.dt_new();
BEGIN
    p.s := r;
    p.raw_s := true;
    IF r >= 0.0 AND r < 5373484.5 THEN
        p.ijd := trunc(r * 86400000.0 + 0.5)::bigint;
        p.valid_jd := true;
    END IF;
    RETURN p;
END $$;

-- 'now': the statement's time in milliseconds of julian day, truncated as SQLite's clock.
CREATE OR REPLACE FUNCTION liteshift.dt_now() RETURNS liteshift.dt
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    p liteshift.dt := liteshift.dt_new();
BEGIN
    p.ijd := floor(extract(epoch FROM statement_timestamp()) * 1000)::bigint + 210866760000000;
    p.valid_jd := true;
    RETURN p;
END $$;

-- parseDateOrTime: NULL when the text is no time value.
CREATE OR REPLACE FUNCTION liteshift.dt_parse(z text) RETURNS liteshift.dt
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    p liteshift.dt := liteshift.dt_new();
    q liteshift.dt;
    g text[];
    r float8;
BEGIN
    -- parseYyyyMmDd
    g := regexp_match(z, '^(-?)([0-9]{4})-([0-9]{2})-([0-9]{2})(.*)$');
    IF g IS NOT NULL AND g[3]::int BETWEEN 1 AND 12 AND g[4]::int BETWEEN 1 AND 31 THEN
        q := liteshift.dt_hhmmss(ltrim(g[5], E' \t\n\v\f\rT'), p);
        IF q IS NOT NULL OR ltrim(g[5], E' \t\n\v\f\rT') = '' THEN
            IF q IS NULL THEN
                q := p;
                q.valid_hms := false;
            END IF;
            q.valid_jd := false;
            q.valid_ymd := true;
            q.y := CASE WHEN g[1] = '-' THEN -g[2]::int ELSE g[2]::int END;
            q.m := g[3]::int;
            q.d := g[4]::int;
            IF q.valid_tz THEN
                q := liteshift.dt_jd(q);
            END IF;
            RETURN q;
        END IF;
    END IF;
    q := liteshift.dt_hhmmss(z, p);
    IF q IS NOT NULL THEN
        RETURN q;
    END IF;
    IF lower(z) = 'now' THEN
        RETURN liteshift.dt_now();
    END IF;
    r := liteshift.dt_atof(z);
    IF r IS NOT NULL THEN
        RETURN liteshift.dt_raw(r);
    END IF;
    RETURN NULL;
END $$;

-- The client's zone for 'localtime' and 'utc'.
CREATE OR REPLACE FUNCTION liteshift.dt_zone() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(nullif(current_setting('liteshift.tz', true), ''), 'UTC')
$$;

-- toLocaltime: the UTC time value moved to the client's zone.
CREATE OR REPLACE FUNCTION liteshift.dt_local(p liteshift.dt) RETURNS liteshift.dt
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    x liteshift.dt;
    diff int := 0;
    t bigint;
    l timestamp;
BEGIN
    -- SQLite carries on through errors here (its error state is a cleared value) and
    -- 'localtime' clears the error flag: so do we
    p := liteshift.dt_jd(p);
    IF p.ijd < 210866760000000 OR p.ijd > 213014145600000 THEN
        x := liteshift.dt_hms(liteshift.dt_ymd(p));
        diff := (2000 + x.y % 4) - x.y;
        x.y := x.y + diff;
        x.valid_jd := false;
        x := liteshift.dt_jd(x);
        t := x.ijd / 1000 - 210866760000;
    ELSE
        t := p.ijd / 1000 - 210866760000;
    END IF;
    l := to_timestamp(t) AT TIME ZONE liteshift.dt_zone();
    p.y := extract(year FROM l)::int - diff;
    p.m := extract(month FROM l)::int;
    p.d := extract(day FROM l)::int;
    p.h := extract(hour FROM l)::int;
    p.mi := extract(minute FROM l)::int;
    p.s := floor(extract(second FROM l)) + (p.ijd % 1000) * 0.001::float8;
    p.valid_ymd := true;
    p.valid_hms := true;
    p.valid_jd := false;
    p.raw_s := false;
    p.valid_tz := false;
    p.is_error := false;
    RETURN p;
END $$;

-- parseModifier: the value after one modifier, NULL when the modifier is not understood.
CREATE OR REPLACE FUNCTION liteshift.dt_mod(p liteshift.dt, z text, idx int) RETURNS liteshift.dt
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    lz text := lower(z);
    r float8;
    n int;
    zz bigint;
    g text[];
    tx liteshift.dt;
    day bigint;
    unit text;
    lim float8;
    xf float8;
    rounder float8;
    x int;
    k int;
    orig bigint;
    guess bigint;
    err bigint;
    cnt int;
    nw liteshift.dt;
BEGIN
    IF z IS NULL THEN
        RETURN NULL;
    END IF;
    IF lz = 'auto' THEN
        IF idx > 1 THEN
            RETURN NULL;
        END IF;
        IF NOT p.raw_s OR p.valid_jd THEN
            p.raw_s := false;
            RETURN p;
        END IF;
        IF p.s >= -210866760000 AND p.s <= 253402300799 THEN
            r := p.s * 1000.0 + 210866760000000.0;
            p.valid_ymd := false; p.valid_hms := false; p.valid_tz := false;
            p.ijd := trunc(r + 0.5)::bigint;
            p.valid_jd := true;
            p.raw_s := false;
            RETURN p;
        END IF;
        RETURN NULL;
    ELSIF lz = 'julianday' THEN
        IF idx > 1 THEN
            RETURN NULL;
        END IF;
        IF p.valid_jd AND p.raw_s THEN
            p.raw_s := false;
            RETURN p;
        END IF;
        RETURN NULL;
    ELSIF lz = 'localtime' THEN
        RETURN liteshift.dt_local(p);
    ELSIF lz = 'unixepoch' AND p.raw_s THEN
        IF idx > 1 THEN
            RETURN NULL;
        END IF;
        r := p.s * 1000.0 + 210866760000000.0;
        IF r >= 0.0 AND r < 464269060800000.0 THEN
            p.valid_ymd := false; p.valid_hms := false; p.valid_tz := false;
            p.ijd := trunc(r + 0.5)::bigint;
            p.valid_jd := true;
            p.raw_s := false;
            RETURN p;
        END IF;
        RETURN NULL;
    ELSIF lz = 'utc' THEN
        IF NOT p.tz_set THEN
            p := liteshift.dt_jd(p);   -- an error leaves julian day 0, as SQLite's memset
            orig := p.ijd;
            guess := orig;
            err := 0;
            cnt := 0;
            LOOP
                guess := guess - err;
                nw := liteshift.dt_new();
                nw.ijd := guess;
                nw.valid_jd := true;
                nw := liteshift.dt_jd(liteshift.dt_local(nw));
                IF nw IS NULL THEN
                    RETURN NULL;
                END IF;
                -- SQLite keeps this difference in a 32-bit int: wrap it the same way
                err := (((nw.ijd - orig) % 4294967296) + 4294967296) % 4294967296;
                IF err >= 2147483648 THEN
                    err := err - 4294967296;
                END IF;
                EXIT WHEN err = 0 OR cnt >= 3;
                cnt := cnt + 1;
            END LOOP;
            p := liteshift.dt_new();
            p.ijd := guess;
            p.valid_jd := true;
            p.tz_set := true;
        END IF;
        RETURN p;
    ELSIF lz LIKE 'weekday %' THEN
        r := liteshift.dt_atof(substr(z, 9));
        IF r IS NULL OR r < 0 OR r >= 7 OR r <> trunc(r) THEN
            RETURN NULL;
        END IF;
        n := r::int;
        p := liteshift.dt_hms(liteshift.dt_ymd(p));
        p.valid_tz := false;
        p.valid_jd := false;
        p := liteshift.dt_jd(p);
        zz := ((p.ijd + 129600000) / 86400000) % 7;
        IF zz > n THEN
            zz := zz - 7;
        END IF;
        p.ijd := p.ijd + (n - zz) * 86400000;
        p.valid_ymd := false; p.valid_hms := false; p.valid_tz := false;
        RETURN p;
    ELSIF lz LIKE 'start of %' THEN
        IF NOT p.valid_jd AND NOT p.valid_ymd AND NOT p.valid_hms THEN
            RETURN NULL;
        END IF;
        p := liteshift.dt_ymd(p);
        p.valid_hms := true;
        p.h := 0; p.mi := 0; p.s := 0;
        p.raw_s := false;
        p.valid_tz := false;
        p.valid_jd := false;
        IF substr(lz, 10) = 'month' THEN
            p.d := 1;
        ELSIF substr(lz, 10) = 'year' THEN
            p.m := 1;
            p.d := 1;
        ELSIF substr(lz, 10) <> 'day' THEN
            RETURN NULL;
        END IF;
        RETURN p;
    ELSIF z ~ '^[-+0-9]' THEN
        g := regexp_match(z, '^(.[^:\s]*)(.*)$');
        r := liteshift.dt_atof(g[1]);
        IF r IS NULL THEN
            RETURN NULL;
        END IF;
        IF substr(g[2], 1, 1) = ':' THEN
            tx := liteshift.dt_hhmmss(CASE WHEN z ~ '^[0-9]' THEN z ELSE substr(z, 2) END,
                                      liteshift.dt_new());
            IF tx IS NULL THEN
                RETURN NULL;
            END IF;
            tx := liteshift.dt_jd(tx);
            tx.ijd := tx.ijd - 43200000;
            day := tx.ijd / 86400000;
            tx.ijd := tx.ijd - day * 86400000;
            IF substr(z, 1, 1) = '-' THEN
                tx.ijd := -tx.ijd;
            END IF;
            p := liteshift.dt_jd(p);
            p.valid_ymd := false; p.valid_hms := false; p.valid_tz := false;
            p.ijd := p.ijd + tx.ijd;
            RETURN p;
        END IF;
        unit := lower(ltrim(g[2], E' \t\n\v\f\r'));
        n := length(unit);
        IF n > 10 OR n < 3 THEN
            RETURN NULL;
        END IF;
        IF right(unit, 1) = 's' THEN
            unit := left(unit, n - 1);
        END IF;
        p := liteshift.dt_jd(p);
        rounder := CASE WHEN r < 0 THEN -0.5 ELSE 0.5 END;
        -- limits and factors of SQLite's table, as the float (single precision) it stores
        SELECT t.lim::float4::float8, t.xf INTO lim, xf FROM (VALUES
            ('second', 4.6427e+14, 1.0), ('minute', 7.7379e+12, 60.0),
            ('hour', 1.2897e+11, 3600.0), ('day', 5373485.0, 86400.0),
            ('month', 176546.0, 2592000.0), ('year', 14713.0, 31536000.0))
            AS t(name, lim, xf) WHERE t.name = unit;
        IF lim IS NULL OR NOT (r > -lim AND r < lim) THEN
            RETURN NULL;
        END IF;
        IF unit = 'month' THEN
            p := liteshift.dt_hms(liteshift.dt_ymd(p));
            p.m := p.m + trunc(r)::int;
            x := CASE WHEN p.m > 0 THEN (p.m - 1) / 12 ELSE (p.m - 12) / 12 END;
            p.y := p.y + x;
            p.m := p.m - x * 12;
            p.valid_jd := false;
            r := r - trunc(r);
        ELSIF unit = 'year' THEN
            p := liteshift.dt_hms(liteshift.dt_ymd(p));
            p.y := p.y + trunc(r)::int;
            p.valid_jd := false;
            r := r - trunc(r);
        END IF;
        p := liteshift.dt_jd(p);
        p.ijd := p.ijd + trunc(r * 1000.0 * xf + rounder)::bigint;
        p.valid_ymd := false; p.valid_hms := false; p.valid_tz := false;
        RETURN p;
    END IF;
    RETURN NULL;
END $$;

-- isDate: the time value of the arguments, NULL when any of them is not understood.
-- num is used when the first argument is a number, txt otherwise.
CREATE OR REPLACE FUNCTION liteshift.dt_eval(num float8, txt text, mods text[])
RETURNS liteshift.dt LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    p liteshift.dt;
    i int;
BEGIN
    IF num IS NOT NULL THEN
        p := liteshift.dt_raw(num);
    ELSIF txt IS NULL THEN
        RETURN NULL;
    ELSE
        p := liteshift.dt_parse(txt);
    END IF;
    IF p IS NULL THEN
        RETURN NULL;
    END IF;
    FOR i IN 1 .. coalesce(array_length(mods, 1), 0) LOOP
        p := liteshift.dt_mod(p, mods[i], i);
        IF p IS NULL THEN
            RETURN NULL;
        END IF;
    END LOOP;
    p := liteshift.dt_jd(p);
    IF p.is_error OR p.ijd < 0 OR p.ijd > 464269060799999 THEN
        RETURN NULL;
    END IF;
    RETURN p;
END $$;

-- The output forms.
CREATE OR REPLACE FUNCTION liteshift.dt_date_text(p liteshift.dt) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    p := liteshift.dt_ymd(p);
    RETURN CASE WHEN p.y < 0 THEN '-' ELSE '' END || lpad((abs(p.y) % 10000)::text, 4, '0')
           || '-' || lpad((p.m % 100)::text, 2, '0') || '-' || lpad((p.d % 100)::text, 2, '0');
END $$;

CREATE OR REPLACE FUNCTION liteshift.dt_time_text(p liteshift.dt) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    p := liteshift.dt_hms(p);
    RETURN lpad((p.h % 100)::text, 2, '0') || ':' || lpad((p.mi % 100)::text, 2, '0') || ':'
           || lpad((trunc(p.s)::int % 100)::text, 2, '0');
END $$;

CREATE OR REPLACE FUNCTION liteshift.dt_strftime(fmt text, p liteshift.dt) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    out text := '';
    i int := 1;
    n int := length(fmt);
    c text;
    y liteshift.dt;
    nday int;
    wd int;
    s float8;
BEGIN
    IF fmt IS NULL OR p IS NULL THEN
        RETURN NULL;
    END IF;
    p := liteshift.dt_hms(liteshift.dt_ymd(liteshift.dt_jd(p)));
    WHILE i <= n LOOP
        c := substr(fmt, i, 1);
        IF c <> '%' THEN
            out := out || c;
            i := i + 1;
            CONTINUE;
        END IF;
        c := substr(fmt, i + 1, 1);
        i := i + 2;
        CASE c
        WHEN 'd' THEN out := out || lpad(p.d::text, 2, '0');
        WHEN 'f' THEN
            s := least(p.s, 59.999::float8);
            out := out || lpad(liteshift.fmt_float(s, 'f', 3, false), 6, '0');
        WHEN 'H' THEN out := out || lpad(p.h::text, 2, '0');
        WHEN 'W', 'j' THEN
            y := p;
            y.valid_jd := false;
            y.m := 1;
            y.d := 1;
            y := liteshift.dt_jd(y);
            nday := ((p.ijd - y.ijd + 43200000) / 86400000)::int;
            IF c = 'W' THEN
                wd := (((p.ijd + 43200000) / 86400000) % 7)::int;
                out := out || lpad(((nday + 7 - wd) / 7)::text, 2, '0');
            ELSE
                out := out || lpad((nday + 1)::text, 3, '0');
            END IF;
        WHEN 'J' THEN out := out || liteshift.fmt_float(p.ijd / 86400000.0::float8, 'g', 16, false);
        WHEN 'm' THEN out := out || lpad(p.m::text, 2, '0');
        WHEN 'M' THEN out := out || lpad(p.mi::text, 2, '0');
        WHEN 's' THEN out := out || (p.ijd / 1000 - 210866760000)::text;
        WHEN 'S' THEN out := out || lpad(trunc(p.s)::int::text, 2, '0');
        WHEN 'w' THEN out := out || (((p.ijd + 129600000) / 86400000) % 7)::text;
        WHEN 'Y' THEN out := out || CASE WHEN p.y < 0 THEN '-' || lpad((-p.y)::text, greatest(3, length((-p.y)::text)), '0')
                                         ELSE lpad(p.y::text, greatest(4, length(p.y::text)), '0') END;
        WHEN '%' THEN out := out || '%';
        ELSE RETURN NULL;
        END CASE;
    END LOOP;
    RETURN out;
END $$;

-- The functions apps call.  The first argument is text (a time string, or a number in
-- text), a number (julian day, or seconds with 'unixepoch'/'auto'), or a PostgreSQL date or
-- timestamp (a DATETIME column), read as its text.
DO $do$
DECLARE
    f record;
    sig record;
BEGIN
    FOR f IN SELECT * FROM (VALUES
        ('datetime', 'text', 'liteshift.dt_date_text(p) || '' '' || liteshift.dt_time_text(p)'),
        ('date', 'text', 'liteshift.dt_date_text(p)'),
        ('time', 'text', 'liteshift.dt_time_text(p)'),
        ('julianday', 'float8', 'p.ijd / 86400000.0::float8'),
        ('unixepoch', 'bigint', 'p.ijd / 1000 - 210866760000')) AS t(name, rtype, expr)
    LOOP
        FOR sig IN SELECT * FROM (VALUES
            ('text', 'NULL, v'),
            ('float8', 'v, NULL'),
            ('timestamp', 'NULL, to_char(v, ''YYYY-MM-DD HH24:MI:SS.US'')'),
            ('timestamptz', 'NULL, to_char(v AT TIME ZONE ''UTC'', ''YYYY-MM-DD HH24:MI:SS.US'')'),
            ('date', 'NULL, to_char(v, ''YYYY-MM-DD'')'),
            ('bytea', 'NULL, liteshift.blob_text(v)')) AS s(t, args)
        LOOP
            EXECUTE format($f$CREATE OR REPLACE FUNCTION liteshift.%1$I(v %3$s,
                VARIADIC mods text[] DEFAULT '{}') RETURNS %2$s
                LANGUAGE plpgsql STABLE PARALLEL SAFE AS $b$
                DECLARE p liteshift.dt := liteshift.dt_eval(%4$s, mods);
                BEGIN
                    IF p IS NULL THEN RETURN NULL; END IF;
                    RETURN %5$s;
                END $b$$f$, f.name, f.rtype, sig.t, sig.args, f.expr);
            EXECUTE format($f$CREATE OR REPLACE FUNCTION liteshift.strftime(fmt text, v %1$s,
                VARIADIC mods text[] DEFAULT '{}') RETURNS text
                LANGUAGE sql STABLE PARALLEL SAFE AS $b$
                SELECT liteshift.dt_strftime(fmt, liteshift.dt_eval(%2$s, mods)) $b$$f$,
                sig.t, sig.args);
        END LOOP;
        EXECUTE format($f$CREATE OR REPLACE FUNCTION liteshift.%1$I() RETURNS %2$s
            LANGUAGE sql STABLE PARALLEL SAFE AS 'SELECT liteshift.%1$I(''now''::text)'$f$,
            f.name, f.rtype);
    END LOOP;
END $do$;

CREATE OR REPLACE FUNCTION liteshift.strftime(fmt text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT liteshift.strftime(fmt, 'now'::text) $$;
