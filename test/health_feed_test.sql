-- The feed to the health-code platform (code_assignment): appended by the
-- statement triggers on a realistic sequence of writes, and by
-- refresh_codes() for what time alone changes.  The triggers compute the
-- colour at the transaction time, so the records here are dated relative to
-- now().  refresh_codes refuses a future instant, so time passes the other
-- way: pg_temp.days_pass moves the records back.
BEGIN;
SELECT plan(35);

-- The feed of one person as text, oldest first.
CREATE FUNCTION pg_temp.feed(p bigint) RETURNS text[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg(color || ' ' || reason ORDER BY assignment_id), '{}')
    FROM code_assignment WHERE person_id = p
$$;

INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
SELECT 970000 + i, 'passport', 'EF' || lpad(i::text, 7, '0'), 'FEED TEST ' || i, 'CHN'
  FROM generate_series(1, 8) i;
SELECT is((SELECT count(*)::int FROM code_assignment WHERE person_id BETWEEN 970001 AND 970008), 0,
          'new persons are green and cost no feed rows');

-- 1. An arrival, registered, put under control, a medical round trip.
INSERT INTO entry (entry_id, person_id, entered_at, temperature)
VALUES (970101, 970001, now() - interval '2 hours', 36.6);
SELECT is(pg_temp.feed(970001), ARRAY['yellow entry_observation'],
          'an arrival with no control yet is yellow (the national plan: 14 days of observation)');
INSERT INTO control (control_id, person_id, entry_id, plan) VALUES (970201, 970001, 970101, '14c+7m');
SELECT is(pg_temp.feed(970001), ARRAY['yellow entry_observation', 'red pending'],
          'the pending control turns it red');
UPDATE control SET status = 'under_control' WHERE control_id = 970201;
UPDATE control SET note = 'room 512' WHERE control_id = 970201;
SELECT is(pg_temp.feed(970001), ARRAY['yellow entry_observation', 'red pending', 'red centralized'],
          'under control in centralized isolation: a new reason is a new row; an unrelated update adds none');
UPDATE control SET status = 'medical' WHERE control_id = 970201;
UPDATE control SET status = 'under_control' WHERE control_id = 970201;
SELECT is((pg_temp.feed(970001))[4:5], ARRAY['red medical', 'red centralized'],
          'the medical round trip: medical, then centralized again');
INSERT INTO lab_test (person_id, kind, sampled_at, result)
VALUES (970001, 'nat', now() - interval '1 hour', 'negative');
SELECT is(cardinality(pg_temp.feed(970001)), 5, 'a negative NAT changes nothing: no row');
SELECT is((SELECT assigned_at FROM code_assignment WHERE person_id = 970001 ORDER BY assignment_id DESC LIMIT 1),
          now(), 'trigger rows are assigned at the transaction time');

-- 2. One statement, several persons: one row each, set-based.
INSERT INTO entry (entry_id, person_id, entered_at, temperature, exempt_reason) VALUES
  (970102, 970002, now() - interval '3 hours', 36.5, NULL),
  (970103, 970003, now() - interval '3 hours', 36.5, NULL),
  (970104, 970004, now() - interval '3 hours', 36.4, 'foreign_air_crew');
SELECT results_eq(
  $$SELECT person_id, color::text, reason FROM code_assignment WHERE person_id IN (970002, 970003, 970004) ORDER BY person_id$$,
  $$VALUES (970002::bigint, 'yellow', 'entry_observation'), (970003, 'yellow', 'entry_observation')$$,
  'a three-row INSERT adds a row for each non-exempt arrival; the exempt air crew stays green');
INSERT INTO control (control_id, person_id, entry_id, plan, status) VALUES
  (970202, 970002, 970102, '7c+7h', 'under_control'),
  (970203, 970003, 970103, '14c+7m', 'pending');
SELECT results_eq(
  $$SELECT person_id, reason FROM code_assignment WHERE person_id IN (970002, 970003)
     ORDER BY assignment_id DESC LIMIT 2$$,
  $$VALUES (970003::bigint, 'pending'), (970002, 'centralized')$$,
  'a two-row INSERT of controls: one new row per person');

-- 3. A positive test, then its deletion (a lab correction).
INSERT INTO lab_test (test_id, person_id, kind, sampled_at, result)
VALUES (970301, 970005, 'antigen', now() - interval '30 minutes', 'positive');
SELECT is(pg_temp.feed(970005), ARRAY['red positive_test'], 'a positive antigen test of anyone: red');
UPDATE lab_test SET result = 'negative' WHERE test_id = 970301;
SELECT is(pg_temp.feed(970005), ARRAY['red positive_test', 'green clear'],
          'corrected to negative: back to green, and the change is in the feed');
DELETE FROM lab_test WHERE test_id = 970301;
SELECT is(cardinality(pg_temp.feed(970005)), 2, 'deleting it then changes nothing');

-- 4. Staff: a staff row appends, and so does its first test.
INSERT INTO staff (person_id, role, employer) VALUES (970006, 'cold_chain', 'Wenzhou cold store');
SELECT is(pg_temp.feed(970006), ARRAY['yellow staff_test_overdue'],
          'cold-chain staff with no NAT on record is due now: yellow');
INSERT INTO lab_test (person_id, kind, sampled_at, result)
VALUES (970006, 'nat', now() - interval '10 minutes', 'pending');
SELECT is(pg_temp.feed(970006), ARRAY['yellow staff_test_overdue', 'green clear'],
          'a sample taken (result pending) is a test: green');
UPDATE staff SET closed_loop_start = local_date(now()) WHERE person_id = 970006;
SELECT is((pg_temp.feed(970006))[3], 'yellow closed_loop_work', 'starting a closed-loop rotation: yellow');

-- 5. A returned control (unreachable) and a merge of two persons.
INSERT INTO entry (entry_id, person_id, entered_at, temperature)
VALUES (970107, 970007, now() - interval '5 hours', 36.5);
INSERT INTO control (control_id, person_id, entry_id, plan, status, return_reason, return_note)
VALUES (970207, 970007, 970107, '14c+7m', 'returned', 'unreachable', 'no answer at the address or phone');
SELECT is(pg_temp.feed(970007), ARRAY['yellow entry_observation', 'yellow unreachable'],
          'returned as unreachable: yellow with its own reason');
SELECT merge_persons(970008, 970007);
SELECT is((pg_temp.feed(970007))[3], 'green clear', 'after a merge the dropped person has no records: green');
SELECT is(pg_temp.feed(970008), ARRAY['yellow entry_observation', 'yellow unreachable'],
          'the kept person carries the colour (its entry moved first, its control second: one row each)');

-- 6. Time alone: refresh_codes.  The feed's latest row is the colour now, so
-- refresh_codes refuses an instant of the future (a what-if is code_color's).
-- Days pass instead by moving every record of these persons back, with the
-- triggers off (as an apply worker writes), so that now() stands that much
-- later in their lives.
CREATE FUNCTION pg_temp.days_pass(d int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  i interval := make_interval(days => d);
BEGIN
  SET LOCAL session_replication_role = replica;
  UPDATE entry SET entered_at = entered_at - i, created_at = created_at - i
   WHERE person_id BETWEEN 970001 AND 970009;
  UPDATE control SET quarantine_start = quarantine_start - d, release_date = release_date - d,
         control_start = control_start - i, home_verified_at = home_verified_at - i,
         commitment_signed_at = commitment_signed_at - i, ended_at = ended_at - i,
         registered_at = registered_at - i
   WHERE person_id BETWEEN 970001 AND 970009;
  UPDATE lab_test SET sampled_at = sampled_at - i, reported_at = reported_at - i
   WHERE person_id BETWEEN 970001 AND 970009;
  UPDATE staff SET closed_loop_start = closed_loop_start - d, created_at = created_at - i
   WHERE person_id BETWEEN 970001 AND 970009;
  UPDATE code_assignment SET assigned_at = assigned_at - i WHERE person_id BETWEEN 970001 AND 970009;
  SET LOCAL session_replication_role = origin;
END $$;
SELECT throws_ok($$SELECT refresh_codes(now() + interval '10 days')$$, '22023', NULL,
                 'refresh_codes refuses an instant of the future: it would date the latest colour ahead');
SELECT is(refresh_codes(now()), 0::bigint, 'right after the triggers, refresh_codes(now()) finds nothing to add');
SELECT pg_temp.days_pass(7);
SELECT is(refresh_codes(now()), 1::bigint,
          'a week later only the 7c+7h person changes: home');
SELECT is((pg_temp.feed(970002))[3], 'orange home_isolation', 'day 8 of 7c+7h: orange');
SELECT is(refresh_codes(now()), 0::bigint, 'a second run at the same instant adds nothing');
SELECT pg_temp.days_pass(8);
SELECT is(refresh_codes(now()), 3::bigint,
          'day 16: 14c+7m to monitoring, 7c+7h past its end, the staff rotation to centralized');
SELECT is((pg_temp.feed(970001))[6], 'yellow monitoring', '14c+7m day 16: monitoring');
SELECT is((pg_temp.feed(970002))[4], 'yellow release_test_missing',
          '7c+7h over, still under control and no release NAT: yellow');
SELECT is(refresh_codes(now()), 0::bigint, 'and again nothing the second time');

-- The platform view: everyone not green, their latest colour.
SELECT results_eq(
  $$SELECT person_id, color::text, reason FROM health_code_current
     WHERE person_id BETWEEN 970001 AND 970008 ORDER BY person_id$$,
  $$VALUES (970001::bigint, 'yellow', 'monitoring'), (970002, 'yellow', 'release_test_missing'),
           (970003, 'red', 'pending'), (970006, 'red', 'centralized'), (970008, 'yellow', 'unreachable')$$,
  'health_code_current lists the latest colour of everyone not green');
SELECT is((SELECT doc_no FROM health_code_current WHERE person_id = 970001), 'EF0000001',
          'with the document the platform shows the code against');
SELECT is((SELECT count(*)::int FROM code_assignment a
            WHERE a.person_id BETWEEN 970001 AND 970008
              AND (a.color, a.reason) = (SELECT b.color, b.reason FROM code_assignment b
                                           WHERE b.person_id = a.person_id AND b.assignment_id < a.assignment_id
                                           ORDER BY b.assignment_id DESC LIMIT 1)), 0,
          'no row repeats the previous colour and reason of its person');
SELECT is((SELECT count(*)::int
             FROM person p
             LEFT JOIN LATERAL (SELECT a.color, a.reason FROM code_assignment a WHERE a.person_id = p.person_id
                                 ORDER BY a.assignment_id DESC LIMIT 1) l ON true
            WHERE p.person_id BETWEEN 970001 AND 970008
              AND format('(%s,%s)', coalesce(l.color, 'green'), coalesce(l.reason, 'clear'))
                  <> code_color(p.person_id, now())::text), 0,
          'after the refresh, every person''s latest row (none: green) is code_color at that instant');
SELECT pg_temp.days_pass(45);
SELECT is(refresh_codes(now()), 2::bigint,
          'two months on: 14c+7m over without a release NAT, the staff member overdue for a NAT');

-- A positive test sampled after the writing transaction's instant (a lab
-- clock running ahead) is not seen by the trigger; refresh_codes finds it,
-- although the person has no control, entry, staff row or colour.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
VALUES (970009, 'passport', 'EF0000009', 'FEED TEST 9', 'CHN');
INSERT INTO lab_test (person_id, kind, sampled_at, result)
VALUES (970009, 'nat', now() + interval '1 day', 'positive');
SELECT is(pg_temp.feed(970009), '{}'::text[], 'a test sampled after the transaction instant is not seen yet');
SELECT pg_temp.days_pass(2);
SELECT is(refresh_codes(now()), 1::bigint,
          'refresh_codes picks up persons with recent tests');
SELECT is(pg_temp.feed(970009), ARRAY['red positive_test'], 'and the person turns red');

SELECT * FROM finish();
ROLLBACK;
