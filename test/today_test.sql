-- The "today" surface (src/sql/91_today.sql, 57_overdue_tasks.sql): every
-- view on data built relative to the local today, with the day boundaries:
-- release today vs tomorrow, a colour change at the next local midnight, a
-- task exactly at its deadline.
BEGIN;
SELECT plan(22);
SET LOCAL quarantine.duplicate_detection = off;

SELECT local_date(now()) AS today,
       (local_date(now()) + 1)::timestamp AT TIME ZONE current_setting('quarantine.timezone') AS midnight,
       local_date(now())::timestamp AT TIME ZONE current_setting('quarantine.timezone') AS this_morning
\gset
-- An instant on a local day at a local time.
CREATE FUNCTION pg_temp.at_local(d date, t time) RETURNS timestamptz LANGUAGE sql AS
  $$SELECT (d + t) AT TIME ZONE current_setting('quarantine.timezone')$$;

-- The district's rule of the day (the shipped timeline ends in 2023): 14
-- days centralized, NAT on days 1, 4, 7 and 14.
INSERT INTO policy (category, plan, effective, nat_days, note) VALUES
  ('general', '14c', daterange(:'today'::date - 60, NULL), '{1,4,7,14}', 'test: today''s rule');
INSERT INTO jurisdiction (code, name, level) VALUES ('991J', '测试区', 'district');
INSERT INTO site (site_id, name, kind, capacity, jurisdiction) VALUES (991001, 'Test Hotel', 'hotel', 50, '991J');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
SELECT 991100 + i, 'passport', 'EP9911' || lpad(i::text, 2, '0'), 'TODAY ' || i, 'CHN', '991J'
  FROM generate_series(1, 13) i;
-- Controls by day number today (day = today - start + 1).
INSERT INTO control (control_id, person_id, status, site_id, plan, quarantine_start,
                     home_verified_at, commitment_signed_at) VALUES
  (991201, 991101, 'under_control', 991001, '14c',   :'today'::date - 13, NULL, NULL),   -- day 14, released tomorrow
  (991202, 991102, 'under_control', 991001, '14c',   :'today'::date - 14, NULL, NULL),   -- day 15, released today
  (991203, 991103, 'under_control', 991001, '14c',   :'today'::date - 12, NULL, NULL),   -- day 13, in two days
  (991204, 991104, 'under_control', 991001, '14c',   :'today'::date - 15, NULL, NULL),   -- release date yesterday
  (991205, 991105, 'under_control', 991001, '7c+7h', :'today'::date - 6,  NULL, NULL),   -- day 7, home tomorrow
  (991206, 991106, 'under_control', 991001, '14c',   :'today'::date - 3,  NULL, NULL),   -- day 4
  (991207, 991107, 'under_control', 991001, '14c',   :'today'::date - 7,  now(), now()), -- day 8, 7+7 ready
  (991208, 991108, 'under_control', 991001, '7c+7h', :'today'::date - 13, NULL, NULL),   -- day 14 at home
  (991209, 991109, 'under_control', 991001, '14c',   :'today'::date - 2,  NULL, NULL);
UPDATE control SET status = 'ended', end_reason = 'transferred_out' WHERE control_id = 991209;
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  -- a release NAT sampled today (day 14)
  (991101, 'nat', now() - (now() - :'this_morning'::timestamptz) / 2, 'negative'),
  -- the 7+7 tests: NAT on days 3 and 5, IgM on day 5
  (991107, 'nat', pg_temp.at_local(:'today'::date - 5, '10:00'), 'negative'),
  (991107, 'nat', pg_temp.at_local(:'today'::date - 3, '10:00'), 'negative'),
  (991107, 'igm', pg_temp.at_local(:'today'::date - 3, '10:00'), 'negative');
-- Arrivals without a control: observation ends tonight (entered 13 days
-- ago, day 14 of 14 today) or tomorrow night.
INSERT INTO entry (person_id, entered_at, port) VALUES
  (991110, pg_temp.at_local(:'today'::date - 13, '10:00'), 'PVG'),
  (991111, pg_temp.at_local(:'today'::date - 12, '10:00'), 'PVG');

-- Staff: a port worker on day 14 of closed-loop work (centralized from
-- tomorrow), a family member tested a week ago (tested weekly: due today,
-- overdue from tomorrow).
INSERT INTO staff (person_id, role, closed_loop_start) VALUES
  (991112, 'port_frontline', :'today'::date - 13), (991113, 'family', NULL);
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (991112, 'nat', pg_temp.at_local(:'today'::date - 1, '08:00'), 'negative'),
  (991113, 'nat', pg_temp.at_local(:'today'::date - 7, '08:00'), 'negative');

-- today_controls -----------------------------------------------------------
SELECT results_eq(
  $$SELECT control_id, day, phase::text, isolation_end - local_date(now()), release_date - local_date(now()),
           next_nat_due - local_date(now())
      FROM today_controls WHERE control_id BETWEEN 991201 AND 991299 ORDER BY control_id$$,
  $$VALUES (991201::bigint, 14, 'centralized', 1, 1, 0), (991202, 15, 'released', 0, 0, NULL),
           (991203, 13, 'centralized', 2, 2, 1), (991204, 16, 'released', -1, -1, NULL),
           (991205, 7, 'centralized', 8, 8, 0), (991206, 4, 'centralized', 11, 11, 0),
           (991207, 8, 'centralized', 7, 7, 6), (991208, 14, 'home', 1, 1, 0)$$,
  'today_controls: every open control with its day, phase, isolation end, release date and next NAT day (ended ones left out)');
SELECT results_eq(
  $$SELECT name, jurisdiction, district, site FROM today_controls WHERE control_id = 991201$$,
  $$VALUES ('TODAY 1', '991J', '测试区', 'Test Hotel')$$,
  'today_controls: the person''s name, the district and the site by name');
SELECT results_eq(
  $$SELECT control_id, color::text, color_reason FROM today_controls WHERE control_id IN (991201, 991208) ORDER BY 1$$,
  $$VALUES (991201::bigint, 'red', 'centralized'), (991208, 'orange', 'home_isolation')$$,
  'today_controls: the colour is the feed''s current one');
SELECT results_eq(
  $$SELECT home_eligible, home_earliest - local_date(now()), home_unmet FROM today_controls WHERE control_id = 991207$$,
  $$VALUES (true, 0, '{}'::text[])$$,
  'day 8 with the NATs of days 3 and 5, the IgM of day 5, the home verified and the letter signed: may go home today');
SELECT results_eq(
  $$SELECT home_eligible, home_unmet FROM today_controls WHERE control_id = 991206$$,
  $$VALUES (false, '{nat_day3,nat_day5,igm_day5,home_not_verified,no_commitment,too_early}'::text[])$$,
  'day 4 without tests: may not go home, with every reason');
SELECT is((SELECT home_unmet FROM today_controls WHERE control_id = 991208), NULL,
          'the 7+7 check is asked only in a centralized phase');

-- releases_due -------------------------------------------------------------
SELECT results_eq(
  $$SELECT control_id, due, days FROM releases_due WHERE control_id BETWEEN 991201 AND 991299 ORDER BY control_id$$,
  $$VALUES (991201::bigint, 'tomorrow', 1), (991202, 'today', 0), (991204, 'overdue', -1), (991208, 'tomorrow', 1)$$,
  'releases_due: release date today, tomorrow, or past while the control is open; the day after tomorrow is not listed');
SELECT results_eq(
  $$SELECT name FROM releases_due WHERE due = 'tomorrow' AND district = '测试区' ORDER BY name$$,
  $$VALUES ('TODAY 1'), ('TODAY 8')$$,
  'who is due for release tomorrow in 测试区: one query');

-- tests_due_today ----------------------------------------------------------
SELECT results_eq(
  $$SELECT control_id, site, day, phase::text, sampled FROM tests_due_today
     WHERE control_id BETWEEN 991201 AND 991299 ORDER BY control_id$$,
  $$VALUES (991201::bigint, 'Test Hotel', 14, 'centralized', true), (991205, 'Test Hotel', 7, 'centralized', false),
           (991206, 'Test Hotel', 4, 'centralized', false), (991208, NULL, 14, 'home', false)$$,
  'tests_due_today: the NAT days of the policy (1, 4, 7, 14), at the hotel or at home, and whether today''s sample is in');
SELECT results_eq(
  $$SELECT site, count(*)::int FROM tests_due_today WHERE district = '测试区' GROUP BY site ORDER BY site$$,
  $$VALUES ('Test Hotel', 3), (NULL, 1)$$,
  'tests_due_today per hotel');

-- color_changes_tonight ----------------------------------------------------
SELECT results_eq(
  $$SELECT person_id, from_color::text, from_reason, to_color::text, to_reason FROM color_changes_tonight
     WHERE person_id BETWEEN 991101 AND 991199 ORDER BY person_id$$,
  $$VALUES (991101::bigint, 'red', 'centralized', 'green', 'clear'),
           (991105, 'red', 'centralized', 'orange', 'home_isolation'),
           (991108, 'orange', 'home_isolation', 'yellow', 'release_test_missing'),
           (991110, 'yellow', 'entry_observation', 'green', 'clear'),
           (991112, 'yellow', 'closed_loop_work', 'red', 'centralized'),
           (991113, 'green', 'clear', 'yellow', 'staff_test_overdue')$$,
  'color_changes_tonight: the phase boundaries, the observation window and the staff test that end at midnight, nobody else');
SELECT is((SELECT array_agg(DISTINCT at) FROM color_changes_tonight WHERE person_id BETWEEN 991101 AND 991199),
          ARRAY[:'midnight'::timestamptz], 'the change is at the next local midnight');
SELECT is((SELECT district FROM color_changes_tonight WHERE person_id = 991105), '测试区', 'with the district');
-- The boundary itself: the last instant of today is still today's colour.
SELECT is(code_color(991105, :'midnight'::timestamptz - interval '1 microsecond')::text, '(red,centralized)',
          'one microsecond before midnight: centralized');
SELECT is(code_color(991105, :'midnight'::timestamptz)::text, '(orange,home_isolation)',
          'at midnight: home isolation');

-- overdue_tasks ------------------------------------------------------------
SELECT is(duration_text(interval '59 seconds'), '0 min', 'duration_text: under a minute');
SELECT is(duration_text(interval '2 hours 15 minutes 59 seconds'), '2 h 15 min', 'duration_text: hours and minutes, cut to the minute');
SELECT is(duration_text(interval '1 day 5 minutes'), '1 d 5 min', 'duration_text: no zero hours');
-- due_at is maintained from issued_at (task_deadline); to put a deadline at
-- the very instant of now(), the maintaining trigger is set aside here.
ALTER TABLE task DISABLE TRIGGER task_before_write;
INSERT INTO task (task_id, module, person_id, issued_at, due_at, done_at) VALUES
  (991301, 'control', 991101, now() - interval '3 hours', now(), NULL),
  (991302, 'control', 991101, now() - interval '3 hours', now() - interval '1 microsecond', NULL),
  (991303, 'control', 991102, now() - interval '3 hours', now() - interval '2 hours 15 minutes 30 seconds', NULL),
  (991304, 'verification', 991103, now() - interval '2 days', now() - interval '1 day 5 minutes', NULL),
  (991305, 'control', 991104, now() - interval '3 hours', now() - interval '1 hour', now());
ALTER TABLE task ENABLE TRIGGER task_before_write;
SELECT results_eq(
  $$SELECT task_id, name, district, overdue_by, late FROM overdue_tasks WHERE task_id BETWEEN 991301 AND 991399 ORDER BY task_id$$,
  $$VALUES (991302::bigint, 'TODAY 1'::text, '测试区'::text, interval '0', '0 min'),
           (991303, 'TODAY 2', '测试区', interval '2 hours 15 minutes', '2 h 15 min'),
           (991304, 'TODAY 3', '测试区', interval '1 day 5 minutes', '1 d 5 min')$$,
  'overdue_tasks: a task at its deadline is not late yet, one microsecond after it is; name, district, lateness to the minute; done tasks left out');

-- The indexes that serve the views -----------------------------------------
CREATE FUNCTION pg_temp.plan_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS
  $f$BEGIN RETURN QUERY EXECUTE 'EXPLAIN ' || q; END$f$;
SET LOCAL enable_seqscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT ok(EXISTS (SELECT 1 FROM pg_temp.plan_lines('SELECT * FROM color_changes_tonight') l
                   WHERE l LIKE '%control_release_date%')
          AND EXISTS (SELECT 1 FROM pg_temp.plan_lines('SELECT * FROM color_changes_tonight') l
                   WHERE l LIKE '%entry_entered_at%'),
          'color_changes_tonight reads controls not yet released and recent entries by index');
SELECT ok(EXISTS (SELECT 1 FROM pg_temp.plan_lines('SELECT * FROM today_controls') l
                   WHERE l LIKE '%code_assignment_latest%'),
          'today_controls reads the feed''s latest row by index');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_temp.plan_lines('SELECT * FROM color_changes_tonight') l
                   WHERE l LIKE '%Seq Scan on control%' OR l LIKE '%Seq Scan on entry%'),
          'color_changes_tonight scans no whole control or entry table');

SELECT * FROM finish();
ROLLBACK;
