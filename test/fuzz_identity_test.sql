-- Fuzz: random mutations of valid numbers through cnid input and
-- normalize_doc (doc/identity.md).  Reproducible (setseed); whatever the input, an
-- error must be 22P02 and an accepted value must round-trip to itself.  cnid
-- input is also compared with a reference model written in SQL.
BEGIN;
SELECT plan(15);
SELECT setseed(0.1999);

-- ISO 7064 MOD 11-2 check character of 17 digits (GB 11643-1999), in SQL.
CREATE FUNCTION pg_temp.mod11_2(body text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT substr('10X98765432', (sum(substr(body, i::int, 1)::int * w) % 11)::int + 1, 1)
    FROM unnest('{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}'::int[]) WITH ORDINALITY AS t(w, i)
$$;

-- Reference model of cnid input: whether s is accepted, and its canonical form.
CREATE FUNCTION pg_temp.ref_cnid(s text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  t text := btrim(s, E' \t\n\r\f' || chr(11));
  body text;
  y int; m int; d int;
BEGIN
  IF t ~ '^[0-9]{15}$' THEN
    body := left(t, 6) || '19' || right(t, 9);
  ELSIF t ~ '^[0-9]{17}[0-9Xx]$' THEN
    body := left(t, 17);
  ELSE
    RETURN NULL;
  END IF;
  IF left(body, 2)::int NOT IN (11,12,13,14,15,21,22,23,31,32,33,34,35,36,37,41,42,43,44,45,46,
                                50,51,52,53,54,61,62,63,64,65,71,81,82,83) THEN
    RETURN NULL;
  END IF;
  y := substr(body, 7, 4)::int; m := substr(body, 11, 2)::int; d := substr(body, 13, 2)::int;
  IF y < 1800 OR m NOT BETWEEN 1 AND 12 OR d < 1
     OR d > extract(day FROM make_date(y, m, 1) + interval '1 month' - interval '1 day') THEN
    RETURN NULL;
  END IF;
  IF make_date(y, m, d) > (now() AT TIME ZONE current_setting('quarantine.timezone'))::date THEN
    RETURN NULL;
  END IF;
  IF length(t) = 18 AND upper(right(t, 1)) <> pg_temp.mod11_2(body) THEN
    RETURN NULL;
  END IF;
  RETURN body || pg_temp.mod11_2(body);
END $$;

-- Valid seeds of every kind: random resident numbers (18 and legacy 15),
-- foreign permanent resident IDs, permits, passports and local codes.
CREATE TEMP TABLE seed (kind doc_kind, v text);
INSERT INTO seed
  SELECT 'resident_id', b || pg_temp.mod11_2(b)
    FROM generate_series(1, 300) g,
         LATERAL (SELECT (ARRAY[11,12,13,14,15,21,22,23,31,32,33,34,35,36,37,41,42,43,44,45,46,50,51,52,53,54,61,62,63,64,65,71,81,82,83])[1 + floor(random() * 35)::int]::text
                         || lpad(floor(random() * 10000)::text, 4, '0')
                         || to_char(date '1900-01-01' + floor(random() * 43000)::int, 'YYYYMMDD')
                         || lpad(floor(random() * 1000)::text, 3, '0') AS b) s;
INSERT INTO seed
  SELECT 'resident_id', left(v, 6) || substr(v, 9, 9) FROM seed WHERE v LIKE '______19%' LIMIT 100;
INSERT INTO seed
  SELECT 'foreign_permanent_id', b || pg_temp.mod11_2(b)
    FROM generate_series(1, 50) g,
         LATERAL (SELECT '9' || (ARRAY[11,31,32,44,51])[1 + floor(random() * 5)::int]::text
                         || lpad(floor(random() * 1000)::text, 3, '0')
                         || to_char(date '1940-01-01' + floor(random() * 25000)::int, 'YYYYMMDD')
                         || lpad(floor(random() * 1000)::text, 3, '0') AS b) s;
INSERT INTO seed VALUES ('foreign_permanent_id', 'KAZ110090123105');
INSERT INTO seed
  SELECT 'hk_macao_permit', (ARRAY['H', 'M'])[1 + floor(random() * 2)::int] || lpad(floor(random() * 1e8)::text, 8, '0')
         || CASE WHEN random() < 0.5 THEN lpad(floor(random() * 100)::text, 2, '0') ELSE '' END
    FROM generate_series(1, 50);
INSERT INTO seed
  SELECT 'taiwan_permit', lpad(floor(random() * 1e8)::text, 8, '0')
         || CASE WHEN random() < 0.5 THEN lpad(floor(random() * 100)::text, 2, '0') ELSE '' END
    FROM generate_series(1, 50);
INSERT INTO seed
  SELECT k::doc_kind, string_agg(substr('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789', 1 + floor(random() * 34)::int, 1), '')
    FROM (SELECT g, k, CASE k WHEN 'passport' THEN 5 + floor(random() * 13)::int ELSE 1 + floor(random() * 32)::int END AS n
            FROM generate_series(1, 50) g, unnest(ARRAY['passport', 'local_code', 'other']) k) s,
         generate_series(1, n)
   GROUP BY g, k;

-- One random edit of s: replace, delete, insert, swap, truncate, duplicate,
-- lower-case, pad.  The alphabet leans to digits so that many mutants stay
-- well-formed and reach the date and check-character rules.
SELECT is((SELECT count(*) FROM seed WHERE normalize_doc(kind, v) IS NOT NULL AND cnid_is_valid(v) = (kind = 'resident_id')),
          (SELECT count(*) FROM seed), 'every seed is valid for its kind, and a cnid only if a resident_id');

CREATE FUNCTION pg_temp.mutate(s text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  alphabet text[] := ARRAY['0','1','2','3','4','5','6','7','8','9','0','1','2','9','X','x','H','M','K','Z',
                           ' ', '-', E'\t', '中', '１', '－', chr(12288), '<', '#', ''''];
  c text := alphabet[1 + floor(random() * array_length(alphabet, 1))::int];
  n int := length(s);
  p int := 1 + floor(random() * greatest(n, 1))::int;
  op int := floor(random() * 10)::int;
BEGIN
  RETURN CASE op
    WHEN 0 THEN overlay(s PLACING c FROM p FOR 1)
    WHEN 1 THEN overlay(s PLACING c FROM p FOR 1)
    WHEN 2 THEN overlay(s PLACING '' FROM p FOR 1)
    WHEN 3 THEN overlay(s PLACING c FROM p FOR 0)
    WHEN 4 THEN overlay(s PLACING substr(s, p + 1, 1) || substr(s, p, 1) FROM p FOR 2)
    WHEN 5 THEN left(s, p - 1)
    WHEN 6 THEN s || substr(s, p, 1 + floor(random() * 4)::int)
    WHEN 7 THEN lower(s)
    WHEN 8 THEN repeat(' ', floor(random() * 3)::int) || s || repeat(E'\t', floor(random() * 2)::int)
    ELSE overlay(s PLACING (floor(random() * 10)::int)::text FROM p FOR 1)
  END;
END $$;

CREATE TEMP TABLE fuzz_fail (what text, kind doc_kind, input text, got text);
CREATE TEMP TABLE fuzz_stats (mutations int, cnid_ok int, cnid_bad int, doc_ok int, doc_bad int);

DO $$
DECLARE
  seeds  seed[] := ARRAY(SELECT s FROM seed s ORDER BY kind, v);
  n      int := array_length(seeds, 1);
  sd     seed;
  input  text;
  state  text;
  out    text;
  ref    text;
  norm   text;
  nfail  int := 0;
  stats  fuzz_stats := ROW(0, 0, 0, 0, 0);
BEGIN
  FOR i IN 1..200000 LOOP
    sd := seeds[1 + floor(random() * n)::int];
    input := pg_temp.mutate(sd.v);
    IF random() < 0.4 THEN input := pg_temp.mutate(input); END IF;
    IF random() < 0.1 THEN input := pg_temp.mutate(input); END IF;
    stats.mutations := stats.mutations + 1;

    -- cnid input: 22P02 or a value that reads back as itself; same verdict
    -- as the reference model and as cnid_is_valid.
    state := NULL;
    BEGIN
      out := input::cnid::text;
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE;
      out := NULL;
    END;
    IF state IS NOT NULL AND state <> '22P02' THEN
      INSERT INTO fuzz_fail VALUES ('cnid sqlstate', 'resident_id', input, state);
    END IF;
    IF out IS NOT NULL AND (out::cnid::text <> out OR out::cnid <> input::cnid) THEN
      INSERT INTO fuzz_fail VALUES ('cnid round trip', 'resident_id', input, out);
    END IF;
    ref := pg_temp.ref_cnid(input);
    IF out IS DISTINCT FROM ref THEN
      INSERT INTO fuzz_fail VALUES ('cnid vs reference', 'resident_id', input, coalesce(out, 'rejected') || ' / ' || coalesce(ref, 'rejected'));
    END IF;
    IF cnid_is_valid(input) <> (out IS NOT NULL) THEN
      INSERT INTO fuzz_fail VALUES ('cnid_is_valid', 'resident_id', input, out);
    END IF;
    IF out IS NULL THEN stats.cnid_bad := stats.cnid_bad + 1; ELSE stats.cnid_ok := stats.cnid_ok + 1; END IF;

    -- normalize_doc with the seed's kind: 22P02 or a fixed point.
    state := NULL;
    BEGIN
      norm := normalize_doc(sd.kind, input);
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE;
      norm := NULL;
    END;
    IF state IS NOT NULL AND state <> '22P02' THEN
      INSERT INTO fuzz_fail VALUES ('doc sqlstate', sd.kind, input, state);
    END IF;
    IF norm IS NOT NULL AND normalize_doc(sd.kind, norm) <> norm THEN
      INSERT INTO fuzz_fail VALUES ('doc round trip', sd.kind, input, norm);
    END IF;
    IF sd.kind = 'resident_id' AND out IS NOT NULL AND norm IS DISTINCT FROM out THEN
      INSERT INTO fuzz_fail VALUES ('resident_id vs cnid', sd.kind, input, norm);
    END IF;
    IF sd.kind = 'resident_id' AND norm IS NOT NULL AND NOT cnid_is_valid(norm) THEN
      INSERT INTO fuzz_fail VALUES ('resident_id not a cnid', sd.kind, input, norm);
    END IF;
    IF norm IS NULL THEN stats.doc_bad := stats.doc_bad + 1; ELSE stats.doc_ok := stats.doc_ok + 1; END IF;
  END LOOP;
  INSERT INTO fuzz_stats SELECT stats.*;
END $$;

-- Passport zones: 20,000 mutants of three valid TD3 zones through mrz_parse.
DO $$
DECLARE
  zones text[] := ARRAY[
    'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10',
    'POCHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476464CHN7304279M210126619203301<<<<<<16',
    'POD<<ZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476464CHN7304279M210126619203301<<<<<<16'];
  input text;
  state text;
  nok int := 0;
  nbad int := 0;
BEGIN
  FOR i IN 1..20000 LOOP
    input := pg_temp.mutate(zones[1 + floor(random() * 3)::int]);
    IF random() < 0.3 THEN input := pg_temp.mutate(input); END IF;
    state := NULL;
    BEGIN
      PERFORM mrz_parse(input);
      nok := nok + 1;
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE;
      nbad := nbad + 1;
    END;
    IF state IS NOT NULL AND state <> '22P02' THEN
      INSERT INTO fuzz_fail VALUES ('mrz sqlstate', 'passport', input, state);
    END IF;
  END LOOP;
  INSERT INTO fuzz_fail SELECT 'mrz counts', 'passport', nok::text, nbad::text;
END $$;
SELECT is_empty($$SELECT input, got FROM fuzz_fail WHERE what = 'mrz sqlstate'$$,
                'mrz_parse raises nothing but 22P02');
SELECT ok((SELECT input::int >= 1000 AND got::int >= 1000 FROM fuzz_fail WHERE what = 'mrz counts'),
          'zone mutants are both accepted and rejected');

SELECT cmp_ok((SELECT mutations FROM fuzz_stats), '>=', 200000, '200,000 mutations');
SELECT ok((SELECT cnid_ok >= 5000 AND cnid_bad >= 5000 AND doc_ok >= 5000 AND doc_bad >= 5000 FROM fuzz_stats),
          'mutants are both accepted and rejected, in numbers, by both functions');
SELECT is_empty($$SELECT input, got FROM fuzz_fail WHERE what = 'cnid sqlstate'$$,
                'cnid input raises nothing but 22P02');
SELECT is_empty($$SELECT input, got FROM fuzz_fail WHERE what = 'cnid round trip'$$,
                'every accepted cnid reads back as itself');
SELECT is_empty($$SELECT input, got FROM fuzz_fail WHERE what = 'cnid vs reference'$$,
                'cnid input accepts exactly what the SQL reference model accepts, with the same canonical form');
SELECT is_empty($$SELECT input, got FROM fuzz_fail WHERE what = 'cnid_is_valid'$$,
                'cnid_is_valid agrees with cnid input');
SELECT is_empty($$SELECT kind, input, got FROM fuzz_fail WHERE what = 'doc sqlstate'$$,
                'normalize_doc raises nothing but 22P02');
SELECT is_empty($$SELECT kind, input, got FROM fuzz_fail WHERE what = 'doc round trip'$$,
                'every normalized number normalizes to itself');
SELECT is_empty($$SELECT input, got FROM fuzz_fail WHERE what = 'resident_id vs cnid'$$,
                'normalize_doc(resident_id) returns the cnid canonical form whenever cnid accepts the input');
SELECT is_empty($$SELECT input, got FROM fuzz_fail WHERE what = 'resident_id not a cnid'$$,
                'every normalized resident_id is a valid cnid');
SELECT is((SELECT count(*) FROM fuzz_fail WHERE what NOT IN ('mrz sqlstate', 'mrz counts', 'cnid sqlstate', 'cnid round trip', 'cnid vs reference',
             'cnid_is_valid', 'doc sqlstate', 'doc round trip', 'resident_id vs cnid', 'resident_id not a cnid')),
          0::bigint, 'no other failure recorded');
SELECT is((SELECT count(DISTINCT kind) FROM seed), 7::bigint, 'seeds of all seven document kinds');

SELECT * FROM finish();
ROLLBACK;
