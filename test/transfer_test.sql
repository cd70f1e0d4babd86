-- The 7+7 home transfer check (doc/arrival.md, 7+7 home transfer): home_transfer_check.
BEGIN;
SELECT plan(67);


-- ---------- declarations ----------
SELECT has_type('quarantine', 'lab_result', 'type lab_result exists');
SELECT has_type('quarantine', 'eligibility', 'type eligibility exists');
SELECT results_eq(
  $$SELECT attname::text COLLATE "default", format_type(atttypid, atttypmod)
      FROM pg_attribute WHERE attrelid = 'quarantine.lab_result'::regclass AND attnum > 0
     ORDER BY attnum$$,
  $$VALUES ('kind', 'test_kind'), ('sampled_on', 'date'), ('result', 'test_result')$$,
  'lab_result is (kind, sampled_on, result)');
SELECT results_eq(
  $$SELECT attname::text COLLATE "default", format_type(atttypid, atttypmod)
      FROM pg_attribute WHERE attrelid = 'quarantine.eligibility'::regclass AND attnum > 0
     ORDER BY attnum$$,
  $$VALUES ('eligible', 'boolean'), ('earliest', 'date'), ('unmet', 'text[]')$$,
  'eligibility is (eligible, earliest, unmet)');
SELECT results_eq(
  $$SELECT provolatile::text, proisstrict, proparallel::text,
           obj_description(oid, 'pg_proc') IS NOT NULL
      FROM pg_proc WHERE oid = 'quarantine.home_transfer_check'::regproc$$,
  $$VALUES ('i', true, 's', true)$$,
  'home_transfer_check is IMMUTABLE STRICT PARALLEL SAFE and commented');
SELECT is(obj_description('quarantine.lab_result'::regtype, 'pg_type') IS NOT NULL
          AND obj_description('quarantine.eligibility'::regtype, 'pg_type') IS NOT NULL,
          true, 'both types are commented');

-- Helpers: a test on day d of an isolation starting 2020-04-01, and the check
-- on day n with everything but the tests defaulted to "fine".
CREATE FUNCTION pg_temp.lr(k test_kind, d int, r test_result) RETURNS lab_result
LANGUAGE sql IMMUTABLE AS $$ SELECT ROW(k, date '2020-04-01' + d - 1, r)::lab_result $$;
CREATE FUNCTION pg_temp.chk(tests lab_result[], n int DEFAULT 8,
                            cat arrival_category DEFAULT 'general',
                            hv boolean DEFAULT true, cs boolean DEFAULT true)
RETURNS eligibility LANGUAGE sql IMMUTABLE AS $$
  SELECT home_transfer_check(date '2020-04-01', cat, tests, hv, cs, date '2020-04-01' + n - 1)
$$;
-- The three tests of the national plan: NAT on days 3 and 5, IgM on day 5, all negative.
CREATE FUNCTION pg_temp.good() RETURNS lab_result[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY[pg_temp.lr('nat', 3, 'negative'), pg_temp.lr('nat', 5, 'negative'),
               pg_temp.lr('igm', 5, 'negative')]
$$;

-- ---------- table-driven: one assertion per case ----------
-- Each case: what is tested, the check, the expected (eligible, earliest, unmet).
SELECT is(got::text, want::text, what)
  FROM (VALUES
  -- the happy path and time
  ('all met on day 8: eligible, earliest day 8',
   pg_temp.chk(pg_temp.good(), 8), ROW(true, '2020-04-08', '{}')::eligibility),
  ('all met on day 9: still eligible',
   pg_temp.chk(pg_temp.good(), 9), ROW(true, '2020-04-08', '{}')::eligibility),
  ('day 7: too_early only, earliest is day 8',
   pg_temp.chk(pg_temp.good(), 7), ROW(false, '2020-04-08', '{too_early}')::eligibility),
  ('day 5 (the tests of day 5 known): too_early only',
   pg_temp.chk(pg_temp.good(), 5), ROW(false, '2020-04-08', '{too_early}')::eligibility),
  ('day 4: the day-5 tests are not sampled yet, earliest unknown',
   pg_temp.chk(pg_temp.good(), 4),
   ROW(false, NULL, '{nat_day5,igm_day5,too_early}')::eligibility),
  ('a check date before day 1',
   pg_temp.chk(pg_temp.good(), 0),
   ROW(false, NULL, '{nat_day3,nat_day5,igm_day5,too_early}')::eligibility),
  ('too_early with another failure: earliest NULL',
   pg_temp.chk(pg_temp.good(), 7, hv => false),
   ROW(false, NULL, '{home_not_verified,too_early}')::eligibility),
  -- category
  ('confirmed may not transfer',
   pg_temp.chk(pg_temp.good(), 8, 'confirmed'), ROW(false, NULL, '{category}')::eligibility),
  ('suspected may not transfer',
   pg_temp.chk(pg_temp.good(), 8, 'suspected'), ROW(false, NULL, '{category}')::eligibility),
  ('symptomatic may not transfer',
   pg_temp.chk(pg_temp.good(), 8, 'symptomatic'), ROW(false, NULL, '{category}')::eligibility),
  ('close_contact may not transfer',
   pg_temp.chk(pg_temp.good(), 8, 'close_contact'), ROW(false, NULL, '{category}')::eligibility),
  ('discharged may not transfer',
   pg_temp.chk(pg_temp.good(), 8, 'discharged'), ROW(false, NULL, '{category}')::eligibility),
  ('exempt may not transfer (not in isolation to begin with)',
   pg_temp.chk(pg_temp.good(), 8, 'exempt'), ROW(false, NULL, '{category}')::eligibility),
  -- NAT
  ('no tests at all',
   pg_temp.chk('{}', 8), ROW(false, NULL, '{nat_day3,nat_day5,igm_day5}')::eligibility),
  ('only the day-3 NAT',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 3, 'negative'), pg_temp.lr('igm', 5, 'negative')], 8),
   ROW(false, NULL, '{nat_day5}')::eligibility),
  ('a single NAT on day 5 meets nat_day3, not nat_day5',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 5, 'negative'), pg_temp.lr('igm', 5, 'negative')], 8),
   ROW(false, NULL, '{nat_day5}')::eligibility),
  ('two NATs sampled on the same day count once',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 5, 'negative'), pg_temp.lr('nat', 5, 'negative'),
                     pg_temp.lr('igm', 5, 'negative')], 8),
   ROW(false, NULL, '{nat_day5}')::eligibility),
  ('NATs on days 4 and 5',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 4, 'negative'), pg_temp.lr('nat', 5, 'negative'),
                     pg_temp.lr('igm', 5, 'negative')], 8),
   ROW(true, '2020-04-08', '{}')::eligibility),
  ('NATs on days 6 and 7, IgM on day 7',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 7, 'negative'), pg_temp.lr('igm', 7, 'negative'),
                     pg_temp.lr('nat', 6, 'negative')], 8),
   ROW(true, '2020-04-08', '{}')::eligibility),
  ('NATs on days 3 and 4: the second is before day 5',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 3, 'negative'), pg_temp.lr('nat', 4, 'negative'),
                     pg_temp.lr('igm', 5, 'negative')], 8),
   ROW(false, NULL, '{nat_day5}')::eligibility),
  ('NATs on days 2 and 5: day 2 is before day 3',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 2, 'negative'), pg_temp.lr('nat', 5, 'negative'),
                     pg_temp.lr('igm', 5, 'negative')], 8),
   ROW(false, NULL, '{nat_day5}')::eligibility),
  ('NATs on days 3 and 8: day 8 is after day 7',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 3, 'negative'), pg_temp.lr('nat', 8, 'negative'),
                     pg_temp.lr('igm', 5, 'negative')], 9),
   ROW(false, NULL, '{nat_day5}')::eligibility),
  ('NATs on days 1 and 2 only',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 1, 'negative'), pg_temp.lr('nat', 2, 'negative'),
                     pg_temp.lr('igm', 5, 'negative')], 8),
   ROW(false, NULL, '{nat_day3,nat_day5}')::eligibility),
  ('NATs on days 8 and 9 only',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 8, 'negative'), pg_temp.lr('nat', 9, 'negative'),
                     pg_temp.lr('igm', 5, 'negative')], 10),
   ROW(false, NULL, '{nat_day3,nat_day5}')::eligibility),
  ('antigen tests are not NATs',
   pg_temp.chk(ARRAY[pg_temp.lr('antigen', 3, 'negative'), pg_temp.lr('antigen', 5, 'negative'),
                     pg_temp.lr('igm', 5, 'negative')], 8),
   ROW(false, NULL, '{nat_day3,nat_day5}')::eligibility),
  ('a pending NAT is not negative',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 3, 'negative'), pg_temp.lr('nat', 5, 'pending'),
                     pg_temp.lr('igm', 5, 'negative')], 8),
   ROW(false, NULL, '{nat_day5}')::eligibility),
  ('an inconclusive NAT is not negative',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 3, 'inconclusive'), pg_temp.lr('nat', 5, 'negative'),
                     pg_temp.lr('igm', 5, 'negative')], 8),
   ROW(false, NULL, '{nat_day5}')::eligibility),
  ('an inconclusive NAT repeated negative the same day counts',
   pg_temp.chk(pg_temp.good() || pg_temp.lr('nat', 3, 'inconclusive'), 8),
   ROW(true, '2020-04-08', '{}')::eligibility),
  -- IgM
  ('IgM on day 4 is too soon',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 3, 'negative'), pg_temp.lr('nat', 5, 'negative'),
                     pg_temp.lr('igm', 4, 'negative')], 8),
   ROW(false, NULL, '{igm_day5}')::eligibility),
  ('IgM on day 7 is in time',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 3, 'negative'), pg_temp.lr('nat', 5, 'negative'),
                     pg_temp.lr('igm', 7, 'negative')], 8),
   ROW(true, '2020-04-08', '{}')::eligibility),
  ('IgM on day 8 is too late',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 3, 'negative'), pg_temp.lr('nat', 5, 'negative'),
                     pg_temp.lr('igm', 8, 'negative')], 9),
   ROW(false, NULL, '{igm_day5}')::eligibility),
  ('IgG is not IgM',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 3, 'negative'), pg_temp.lr('nat', 5, 'negative'),
                     pg_temp.lr('igg', 5, 'negative')], 8),
   ROW(false, NULL, '{igm_day5}')::eligibility),
  ('a pending IgM is not negative',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 3, 'negative'), pg_temp.lr('nat', 5, 'negative'),
                     pg_temp.lr('igm', 5, 'pending')], 8),
   ROW(false, NULL, '{igm_day5}')::eligibility),
  ('an inconclusive IgM is not negative',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 3, 'negative'), pg_temp.lr('nat', 5, 'negative'),
                     pg_temp.lr('igm', 6, 'inconclusive')], 8),
   ROW(false, NULL, '{igm_day5}')::eligibility),
  -- positives
  ('a positive NAT on day 1',
   pg_temp.chk(pg_temp.good() || pg_temp.lr('nat', 1, 'positive'), 8),
   ROW(false, NULL, '{positive_test}')::eligibility),
  ('a positive NAT on day 6 between negatives',
   pg_temp.chk(pg_temp.good() || pg_temp.lr('nat', 6, 'positive'), 8),
   ROW(false, NULL, '{positive_test}')::eligibility),
  ('a positive NAT on day 8, the check day',
   pg_temp.chk(pg_temp.good() || pg_temp.lr('nat', 8, 'positive'), 8),
   ROW(false, NULL, '{positive_test}')::eligibility),
  ('a positive IgM on day 2',
   pg_temp.chk(pg_temp.good() || pg_temp.lr('igm', 2, 'positive'), 8),
   ROW(false, NULL, '{positive_test}')::eligibility),
  ('a positive NAT on day 5 beside a negative one the same day',
   pg_temp.chk(pg_temp.good() || pg_temp.lr('nat', 5, 'positive'), 8),
   ROW(false, NULL, '{positive_test}')::eligibility),
  ('a positive NAT sampled after the check date is not known yet',
   pg_temp.chk(pg_temp.good() || pg_temp.lr('nat', 9, 'positive'), 8),
   ROW(true, '2020-04-08', '{}')::eligibility),
  ('a positive NAT sampled before day 1 is outside the isolation',
   pg_temp.chk(pg_temp.good() || pg_temp.lr('nat', 0, 'positive'), 8),
   ROW(true, '2020-04-08', '{}')::eligibility),
  ('a positive IgG does not count (IgG marks past infection)',
   pg_temp.chk(pg_temp.good() || pg_temp.lr('igg', 4, 'positive'), 8),
   ROW(true, '2020-04-08', '{}')::eligibility),
  -- home and commitment
  ('home not verified',
   pg_temp.chk(pg_temp.good(), 8, hv => false),
   ROW(false, NULL, '{home_not_verified}')::eligibility),
  ('commitment not signed',
   pg_temp.chk(pg_temp.good(), 8, cs => false),
   ROW(false, NULL, '{no_commitment}')::eligibility),
  ('neither home nor commitment',
   pg_temp.chk(pg_temp.good(), 8, hv => false, cs => false),
   ROW(false, NULL, '{home_not_verified,no_commitment}')::eligibility),
  -- everything at once, in the order of doc/arrival.md
  ('every criterion fails: all eight codes in order',
   pg_temp.chk(ARRAY[pg_temp.lr('igm', 1, 'positive')], 1, 'close_contact', false, false),
   ROW(false, NULL, '{category,nat_day3,nat_day5,igm_day5,positive_test,home_not_verified,no_commitment,too_early}')::eligibility),
  -- NULLs inside the array
  ('NULL elements and elements with NULL fields are skipped',
   pg_temp.chk(pg_temp.good() || ARRAY[NULL::lab_result,
                                       ROW(NULL, date '2020-04-02', 'positive')::lab_result,
                                       ROW('nat', NULL, 'positive')::lab_result,
                                       ROW('nat', date '2020-04-02', NULL)::lab_result], 8),
   ROW(true, '2020-04-08', '{}')::eligibility),
  ('a NULL result does not stand in for a negative',
   pg_temp.chk(ARRAY[pg_temp.lr('nat', 3, 'negative'), ROW('nat', date '2020-04-05', NULL)::lab_result,
                     pg_temp.lr('igm', 5, 'negative')], 8),
   ROW(false, NULL, '{nat_day5}')::eligibility),
  ('tests in any order, with infinite sample dates ignored',
   pg_temp.chk(ARRAY[pg_temp.lr('igm', 5, 'negative'), ROW('nat', 'infinity', 'positive')::lab_result,
                     pg_temp.lr('nat', 5, 'negative'), ROW('nat', '-infinity', 'positive')::lab_result,
                     pg_temp.lr('nat', 3, 'negative')], 8),
   ROW(true, '2020-04-08', '{}')::eligibility)
  ) AS c(what, got, want);

-- ---------- a two-dimensional array and the day boundary across months ----------
SELECT is(home_transfer_check('2020-04-28', 'general',
            ARRAY[[ROW('nat', '2020-04-30', 'negative')::lab_result,
                   ROW('nat', '2020-05-02', 'negative')::lab_result],
                  [ROW('igm', '2020-05-02', 'negative')::lab_result, NULL]],
            true, true, '2020-05-05')::text,
          '(t,2020-05-05,{})', 'a 2-D array is read element by element; day 8 of 04-28 is 05-05');
SELECT is((home_transfer_check('2020-04-28', 'general', '{}', true, true, '2020-05-04')).earliest,
          NULL::date, 'no tests: earliest unknown');

-- ---------- strictness and bad dates ----------
SELECT is(home_transfer_check('2020-04-01', 'general', NULL, true, true, '2020-04-08'), NULL,
          'NULL tests: NULL (strict)');
SELECT is(home_transfer_check('2020-04-01', NULL, pg_temp.good(), true, true, '2020-04-08'), NULL,
          'NULL category: NULL (strict)');
SELECT is(home_transfer_check('2020-04-01', 'general', pg_temp.good(), NULL, true, '2020-04-08'), NULL,
          'NULL home_verified: NULL (strict)');
SELECT throws_ok($$SELECT home_transfer_check('infinity', 'general', '{}', true, true, '2020-04-08')$$,
                 '22008', NULL, 'an infinite start raises 22008');
SELECT throws_ok($$SELECT home_transfer_check('2020-04-01', 'general', '{}', true, true, '-infinity')$$,
                 '22008', NULL, 'an infinite check date raises 22008');
SELECT throws_ok($$SELECT home_transfer_check('5874897-12-30', 'general', '{}', true, true, '5874897-12-30')$$,
                 '22008', NULL, 'a start whose day 8 is past the end of the date range raises 22008');
SELECT is((tap.error_of($$SELECT home_transfer_check('infinity', 'general', '{}', true, true, '2020-04-08')$$)).detail,
          'The quarantine start is infinity.', 'the DETAIL shows the date');

-- ---------- a day-by-day walk agrees with the day arithmetic ----------
-- On each day d of 1..14 with the three seed-001 tests, eligible exactly from day 8.
SELECT results_eq(
  $$SELECT d, (pg_temp.chk(pg_temp.good(), d)).eligible FROM generate_series(1, 14) d$$,
  $$SELECT d, d >= 8 FROM generate_series(1, 14) d$$,
  'eligible exactly from day 8 on');
SELECT results_eq(
  $$SELECT d, (pg_temp.chk(pg_temp.good(), d)).earliest FROM generate_series(1, 14) d$$,
  $$SELECT d, CASE WHEN d >= 5 THEN date '2020-04-08' END FROM generate_series(1, 14) d$$,
  'earliest is known once the day-5 tests are in');

-- ---------- works as a column expression over rows ----------
SELECT results_eq(
  $$SELECT n, (home_transfer_check(s, 'general', t, true, true, s + 7)).eligible
      FROM (VALUES (1, date '2021-01-01', ARRAY[ROW('nat', date '2021-01-03', 'negative')::lab_result,
                                              ROW('nat', date '2021-01-05', 'negative')::lab_result,
                                              ROW('igm', date '2021-01-05', 'negative')::lab_result]),
                   (2, date '2021-02-01', ARRAY[ROW('nat', date '2021-02-03', 'negative')::lab_result]),
                   (3, date '2021-03-01', '{}'::lab_result[])) AS v(n, s, t)
     ORDER BY n$$,
  $$VALUES (1, true), (2, false), (3, false)$$,
  'evaluated per row, the element cache is reused across calls');

SELECT * FROM finish();
ROLLBACK;
