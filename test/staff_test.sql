-- High-risk staff (doc/health.md; the port-city notice): the NAT schedule per role, the staff
-- table and view, and the 48-hour NAT proof.
BEGIN;
SELECT plan(42);

-- next_test_due per role (the port-city notice 二: ports, isolation sites, designated
-- hospitals, cold chain every other day; other staff twice a week; families
-- once a week).
SELECT is(next_test_due(t.role, t.samples), t.due, t.what)
  FROM (VALUES
    ('port_frontline', '{2021-06-01,2021-06-03}'::date[], date '2021-06-05', 'port frontline: every other day, last + 2'),
    ('quarantine_site', '{2021-06-03}', '2021-06-05', 'isolation site staff: every other day'),
    ('designated_hospital', '{2021-06-03,2021-06-01}', '2021-06-05', 'designated hospital: every other day, samples in any order'),
    ('cold_chain', '{2021-06-01,2021-06-02,2021-06-02}', '2021-06-04', 'cold chain: every other day; two samples on one day are one'),
    ('other_staff', '{2021-06-01,2021-06-04,2021-06-08}', '2021-06-11', 'other staff: twice a week, second most recent + 7'),
    ('other_staff', '{2021-06-08,2021-06-08,2021-06-04}', '2021-06-11', 'other staff: duplicates count once'),
    ('other_staff', '{2021-06-01}', '2021-06-05', 'other staff with one sample: last + 4 (3½ days between two weekly tests)'),
    ('family', '{2021-06-01,2021-06-05}', '2021-06-12', 'family: once a week, last + 7'),
    ('family', '{NULL,2021-06-05}', '2021-06-12', 'NULL samples are skipped'),
    ('cold_chain', '{}', NULL, 'no sample: NULL, due now'),
    ('family', '{NULL}', NULL, 'only NULL samples: due now')
  ) AS t(role, samples, due, what);
SELECT throws_ok($$SELECT next_test_due('driver', '{2021-06-01}')$$, '22023', 'unknown staff role',
                 'an unknown role is rejected with 22023');
SELECT throws_ok($$SELECT next_test_due('Cold_Chain', '{2021-06-01}')$$, '22023', 'unknown staff role',
                 'role names are exact, lower case');
SELECT is((error_of($$SELECT next_test_due('driver', '{}')$$)).hint,
          'Use one of port_frontline, quarantine_site, designated_hospital, cold_chain, other_staff, family.',
          'the hint lists the roles');
SELECT throws_ok($$SELECT next_test_due('family', '{infinity}')$$, '22008', NULL, 'an infinite sample date is rejected');
SELECT throws_ok($$SELECT next_test_due('family', '{5874897-12-30}')$$, '22008', NULL,
                 'a due day past the end of the date range is an error, not a wrap-around');
SELECT is(next_test_due(NULL, '{2021-06-01}'), NULL, 'NULL role: NULL');
SELECT is((SELECT provolatile::text || proisstrict::text FROM pg_proc WHERE oid = 'next_test_due(text, date[])'::regprocedure),
          'itrue', 'next_test_due is IMMUTABLE STRICT');

-- test_overdue: due day itself is fine, the day after is overdue.
SELECT is(test_overdue(t.role, t.samples, t.on_date), t.overdue, t.what)
  FROM (VALUES
    ('cold_chain', '{2021-06-01}'::date[], date '2021-06-03', false, 'cold chain tested 06-01 is due 06-03: not overdue that day'),
    ('cold_chain', '{2021-06-01}', '2021-06-04', true, 'cold chain tested 06-01 is overdue on 06-04'),
    ('other_staff', '{2021-06-01,2021-06-04}', '2021-06-08', false, 'other staff tested 06-01 and 06-04 is due 06-08'),
    ('other_staff', '{2021-06-01,2021-06-04}', '2021-06-09', true, 'other staff tested 06-01 and 06-04 is overdue 06-09'),
    ('family', '{}', '2021-06-09', true, 'never tested: overdue'),
    ('family', '{2021-06-10}', '2021-06-05', true, 'a sample after on_date is not counted')
  ) AS t(role, samples, on_date, overdue, what);

-- The staff table.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
SELECT 980000 + i, 'passport', 'ES' || lpad(i::text, 7, '0'), 'STAFF TEST ' || i, 'CHN'
  FROM generate_series(1, 8) i;
SELECT throws_rule($$INSERT INTO staff (person_id, role) VALUES (980001, 'driver')$$,
                   '23514', 'staff_role', 'a staff row needs a known role');
SELECT lives_ok($$INSERT INTO staff (person_id, role, employer, closed_loop_start)
                  VALUES (980001, 'port_frontline', 'Dongxing land port', '2021-11-26')$$,
                'a port frontline worker with a closed-loop rotation');
SELECT is((SELECT plan::text FROM staff WHERE person_id = 980001), '14w+7c+7m',
          'the rotation defaults to 14 days closed-loop work + 7 centralized + 7 home monitoring (the port-city notice 四)');
SELECT throws_ok($$INSERT INTO staff (person_id, role) VALUES (980001, 'family')$$, '23505', NULL,
                 'one staff row per person');

-- staff_tests_due (reads now()).
INSERT INTO staff (person_id, role) VALUES (980002, 'cold_chain'), (980003, 'family'), (980004, 'other_staff');
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (980002, 'nat', now() - interval '1 day', 'negative'),
  (980002, 'nat', now() - interval '3 days', 'negative'),
  (980002, 'antigen', now() - interval '2 hours', 'negative'),   -- not a NAT
  (980003, 'nat', now() - interval '10 days', 'negative');
SELECT results_eq(
  $$SELECT person_id, role, last_sample, previous_sample, next_due, overdue FROM staff_tests_due
     WHERE person_id IN (980002, 980003, 980004) ORDER BY person_id$$,
  $$VALUES (980002::bigint, 'cold_chain', local_date(now() - interval '1 day'), local_date(now() - interval '3 days'),
            local_date(now() - interval '1 day') + 2, false),
           (980003, 'family', local_date(now() - interval '10 days'), NULL, local_date(now() - interval '10 days') + 7, true),
           (980004, 'other_staff', NULL, NULL, NULL, true)$$,
  'staff_tests_due: last samples (NATs only), next due day, overdue flag');

-- nat_proof_valid (the port-city notice 五: a negative NAT within 48 hours to leave a
-- land-border port city).
INSERT INTO lab_test (person_id, kind, sampled_at, result, reported_at) VALUES
  (980005, 'nat', '2021-11-26 09:00+08', 'negative', '2021-11-26 21:00+08'),
  (980006, 'nat', '2021-11-26 09:00+08', 'positive', '2021-11-26 21:00+08'),
  (980007, 'antigen', '2021-11-26 09:00+08', 'negative', NULL),
  (980008, 'nat', '2021-11-26 09:00+08', 'negative', '2021-11-27 15:00+08');
SELECT is(nat_proof_valid(t.person, t.at, t.hours), t.valid, t.what)
  FROM (VALUES
    (980005::bigint, timestamptz '2021-11-28 08:00+08', 48, true, 'negative NAT sampled 47 hours before: valid'),
    (980005, '2021-11-28 09:00+08', 48, true, 'exactly 48 hours: valid (the window includes its start)'),
    (980005, '2021-11-28 10:00+08', 48, false, '49 hours: no longer valid'),
    (980005, '2021-11-27 10:00+08', 24, false, 'a 24-hour window, 25 hours after the sample: not valid'),
    (980005, '2021-11-26 08:00+08', 48, false, 'before the sample: no proof'),
    (980006, '2021-11-27 09:00+08', 48, false, 'a positive NAT is no proof'),
    (980007, '2021-11-27 09:00+08', 48, false, 'an antigen test is not a NAT'),
    (980008, '2021-11-27 10:00+08', 48, false, 'sampled in time but reported after at: not yet in hand'),
    (980008, '2021-11-27 16:00+08', 48, true, 'once reported: valid')
  ) AS t(person, at, hours, valid, what);
SELECT throws_ok($$SELECT nat_proof_valid(980005, '2021-11-27', 0)$$, '22023', 'hours must be positive',
                 'hours must be positive');
SELECT throws_ok($$SELECT nat_proof_valid(980005, 'infinity', 48)$$, '22008', NULL, 'an infinite instant is rejected');
SELECT is(nat_proof_valid(980005, '2021-11-27 09:00+08'), true, 'hours defaults to 48');
SELECT is(nat_proof_valid(980005, '2021-11-27 09:00+08', NULL), NULL, 'NULL hours: NULL');

SELECT * FROM finish();
ROLLBACK;
