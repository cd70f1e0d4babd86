-- Who can change colour by time alone (src/sql/90_code_changes.sql,
-- doc/health.md): refresh_codes and color_changes_tonight read one candidate
-- set, code_candidates, so that a person refresh_codes changes at a midnight
-- is listed by code_changes (the body of color_changes_tonight) for the span
-- before it, and the other way round.  refresh_codes refuses an instant of the
-- future, so the midnight is the last one: every row is built from one
-- captured date, and the span runs from yesterday's noon to this morning.
BEGIN;
SELECT plan(6);
SET LOCAL quarantine.duplicate_detection = off;

SELECT local_date(now()) AS today,
       local_date(now())::timestamp AT TIME ZONE current_setting('quarantine.timezone') AS t1,
       (local_date(now()) - 1 + time '12:00') AT TIME ZONE current_setting('quarantine.timezone') AS t0,
       (local_date(now()) + 1)::timestamp AT TIME ZONE current_setting('quarantine.timezone') AS midnight
\gset
CREATE FUNCTION pg_temp.at_local(d date, t time) RETURNS timestamptz LANGUAGE sql AS
  $$SELECT (d + t) AT TIME ZONE current_setting('quarantine.timezone')$$;

INSERT INTO policy (category, plan, effective, nat_days, note) VALUES
  ('general', '14c', daterange(:'today'::date - 60, NULL), '{1,4,7,14}', 'test: today''s rule');
INSERT INTO jurisdiction (code, name, level) VALUES ('992J', '变色区', 'district');
INSERT INTO site (site_id, name, kind, capacity, jurisdiction) VALUES (992001, 'Span Hotel', 'hotel', 50, '992J');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
SELECT 992100 + i, 'passport', 'EP9921' || lpad(i::text, 2, '0'), 'SPAN ' || i, 'CHN', '992J'
  FROM generate_series(1, 9) i;
-- Controls by day number yesterday (day = yesterday - start + 1).
INSERT INTO control (control_id, person_id, status, site_id, plan, quarantine_start) VALUES
  (992201, 992101, 'under_control', 992001, '14c',   :'today'::date - 14),  -- day 14 → released, no release NAT
  (992202, 992102, 'under_control', 992001, '7c+7h', :'today'::date - 7),   -- day 7 → home
  (992203, 992103, 'under_control', 992001, '14c',   :'today'::date - 5);   -- day 5 → day 6: no change
-- Arrivals without a control: day 14 of 14 yesterday, and one recorded in
-- the span (it counts from its instant on); one in the middle of its days.
INSERT INTO entry (person_id, entered_at, port) VALUES
  (992104, pg_temp.at_local(:'today'::date - 14, '10:00'), 'PVG'),
  (992105, pg_temp.at_local(:'today'::date - 1, '20:00'), 'PVG'),
  (992106, pg_temp.at_local(:'today'::date - 5, '10:00'), 'PVG');
-- A port worker tested three days ago (every other day: due yesterday,
-- overdue today), and a positive test sampled in the span.
INSERT INTO staff (person_id, role) VALUES (992107, 'port_frontline');
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (992107, 'nat', pg_temp.at_local(:'today'::date - 3, '08:00'), 'negative'),
  (992108, 'nat', pg_temp.at_local(:'today'::date - 1, '18:00'), 'positive');

-- The feed at yesterday's noon, what code_changes lists for the span to this
-- morning, then the rows refresh_codes adds this morning.
SELECT refresh_codes(:'t0') >= 0 AS at_noon \gset
CREATE TEMP TABLE changes ON COMMIT DROP AS
  SELECT * FROM code_changes(:'t0', :'t1') WHERE person_id BETWEEN 992101 AND 992199;
CREATE TEMP TABLE latest ON COMMIT DROP AS
  SELECT DISTINCT ON (person_id) person_id, color, reason FROM code_assignment
   WHERE person_id BETWEEN 992101 AND 992199 ORDER BY person_id, assignment_id DESC;
SELECT coalesce(max(assignment_id), 0) AS before FROM code_assignment \gset
SELECT refresh_codes(:'t1') >= 0 AS this_morning \gset
CREATE TEMP TABLE added ON COMMIT DROP AS
  SELECT person_id, color, reason, assigned_at FROM code_assignment
   WHERE assignment_id > :before AND person_id BETWEEN 992101 AND 992199;

SELECT results_eq(
  'SELECT person_id, to_color::text, to_reason FROM changes ORDER BY person_id',
  $$VALUES (992101::bigint, 'yellow', 'release_test_missing'), (992102, 'orange', 'home_isolation'),
           (992104, 'green', 'clear'), (992105, 'yellow', 'entry_observation'),
           (992107, 'yellow', 'staff_test_overdue'), (992108, 'red', 'positive_test')$$,
  'code_changes: the phase boundaries, the observation days starting and ending, the test falling due, the test sampled in the span; nobody else');
SELECT set_eq(
  'SELECT person_id, color, reason FROM added',
  'SELECT person_id, to_color, to_reason FROM changes',
  'refresh_codes at the midnight adds a row for exactly the persons code_changes lists, with the same colour');
SELECT is((SELECT array_agg(DISTINCT assigned_at) FROM added),
          ARRAY[:'t1'::timestamptz], 'dated at the midnight');
SELECT set_eq(
  'SELECT c.person_id, coalesce(l.color, ''green'') AS color, coalesce(l.reason, ''clear'') AS reason FROM changes c LEFT JOIN latest l USING (person_id)',
  'SELECT person_id, from_color, from_reason FROM changes',
  'and code_changes'' from colour is the feed''s latest row before it');
SELECT is(refresh_codes(:'t1'), 0::bigint, 'refresh_codes at the same midnight again adds nothing');
SELECT set_eq(
  'SELECT person_id, from_color, from_reason, to_color, to_reason FROM color_changes_tonight',
  format('SELECT person_id, from_color, from_reason, to_color, to_reason FROM code_changes(now(), %L)', :'midnight'),
  'color_changes_tonight is code_changes from now to the next local midnight');

SELECT * FROM finish();
ROLLBACK;
