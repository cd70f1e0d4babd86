-- Fuzz the isolation_plan input function: 100,000 random mutations of valid
-- plans.  Every rejection must be 22P02, never a crash or another error;
-- every acceptance must agree with an independent regular-expression model
-- of the grammar and round-trip through the canonical output.
BEGIN;
SELECT plan(5);

SELECT setseed(0.2020);

CREATE FUNCTION pg_temp.mutate(s text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  -- digits, kind letters in both cases, separators, blanks and strangers
  -- (a letter that is no kind, full-width digit, CJK, sign, NUL-free controls)
  alphabet text[] := '{0,1,2,3,4,5,6,7,8,9,9,0,c,h,m,w,C,H,M,W,+,+," ",x,z,天,７,ｃ,-,.}'
                     || ARRAY[E'\t', E'\n', chr(160), chr(12288)];
  n int := 1 + floor(random() * 3)::int;
  pos int;
  ch text;
BEGIN
  FOR i IN 1..n LOOP
    pos := 1 + floor(random() * (length(s) + 1))::int;
    ch := alphabet[1 + floor(random() * array_length(alphabet, 1))::int];
    CASE floor(random() * 5)::int
      WHEN 0 THEN s := overlay(s PLACING ch FROM pos FOR 0);              -- insert
      WHEN 1 THEN s := overlay(s PLACING '' FROM pos FOR 1);              -- delete
      WHEN 2 THEN s := overlay(s PLACING ch FROM pos FOR 1);              -- replace
      WHEN 3 THEN s := s || '+' || substr(s, pos, 3);                     -- grow
      ELSE s := overlay(s PLACING substr(s, pos + 1, 1) || substr(s, pos, 1)
                        FROM pos FOR 2);                                  -- swap
    END CASE;
  END LOOP;
  RETURN s;
END $$;

CREATE TEMP TABLE fuzz (input text, accepted boolean, sqlstate text, output text);

DO $$
DECLARE
  seeds text[] := '{14c,7c+7h,14c+7m,7c+3m,5c+3h,14w+7c+7m,99c+1h,1m,3w+4c+5h+6m," 7C + 7H ",07c}';
  s text;
  out text;
  st text;
BEGIN
  FOR i IN 1..100000 LOOP
    s := pg_temp.mutate(seeds[1 + floor(random() * array_length(seeds, 1))::int]);
    BEGIN
      out := s::isolation_plan::text;
      INSERT INTO fuzz VALUES (s, true, NULL, out);
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
      INSERT INTO fuzz VALUES (s, false, st, NULL);
    END;
  END LOOP;
END $$;

-- The input function is deterministic: an input drawn more than once (the
-- mutations repeat some strings) gets the same verdict, the same SQLSTATE and
-- the same canonical text every time.  (Both branches of the loop insert a
-- row, so a count of the table would only check the loop bound.)
SELECT is(array_agg(input), NULL,
          'every input drawn more than once gets the same verdict and the same text each time')
  FROM (SELECT input FROM fuzz GROUP BY input
         HAVING count(DISTINCT (accepted, sqlstate, output)) > 1
            OR count(*) FILTER (WHERE (accepted AND output IS NULL) OR (NOT accepted AND sqlstate IS NULL)) > 0
         LIMIT 20) AS unstable;

SELECT ok(count(*) FILTER (WHERE accepted) > 5000 AND count(*) FILTER (WHERE NOT accepted) > 5000,
          'the mutations produce both valid and malformed plans')
       || E'\n' || diag(format('accepted %s, rejected %s, distinct inputs %s',
                               count(*) FILTER (WHERE accepted),
                               count(*) FILTER (WHERE NOT accepted),
                               count(DISTINCT input)))
  FROM fuzz;

SELECT is(array_agg(DISTINCT sqlstate), '{22P02}', 'every rejection is 22P02')
  FROM fuzz WHERE NOT accepted;

-- The grammar as a regular expression: 1-4 segments of blanks, a day count
-- 1..99 (leading zeros allowed), blanks, a kind letter, blanks; joined by +.
-- (\s would also match non-ASCII blanks; the type ignores ASCII blanks only.)
SELECT is(array_agg(format('%L accepted=%s', input, accepted)), NULL,
          'acceptance agrees with the regular-expression model of the grammar')
  FROM (SELECT * FROM fuzz
         WHERE accepted IS DISTINCT FROM
               (input ~* replace('^SEG(\+SEG){0,3}$', 'SEG',
                                 '[ \t\n\r\v\f]*0*[1-9][0-9]?[ \t\n\r\v\f]*[chmw][ \t\n\r\v\f]*'))
         LIMIT 20) AS disagree;

-- Accepted values print canonically (lower case, no blanks, no leading
-- zeros) and read back to the same value.
SELECT is(array_agg(format('%L -> %L', input, output)), NULL,
          'every accepted plan round-trips through its canonical text')
  FROM (SELECT * FROM fuzz
         WHERE accepted
           AND (output::isolation_plan <> input::isolation_plan
                OR output <> regexp_replace(lower(regexp_replace(input, '[ \t\n\r\v\f]', '', 'g')),
                                            '(^|\+)0+', '\1', 'g'))
         LIMIT 20) AS bad;

SELECT * FROM finish();
ROLLBACK;
