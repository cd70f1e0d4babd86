-- Hotel capacity (doc/ports.md): the rule site_full, occupancy counting the
-- same beds, and assign_site.  Day-relative data from one captured date.
BEGIN;
SELECT plan(29);
SET LOCAL quarantine.duplicate_detection = off;
SELECT local_date(now()) AS today \gset

INSERT INTO policy (category, plan, effective, nat_days, note) VALUES
  ('general', '14c+7m', daterange(:'today'::date - 60, NULL), '{1,4,7,14,16,21}', 'test: today''s rule');
INSERT INTO jurisdiction (code, name, level) VALUES ('988J1', 'hotel district', 'district'),
                                                    ('988J2', 'next district', 'district');
INSERT INTO site (site_id, name, kind, capacity, jurisdiction, location) VALUES
  (988001, 'Two Beds', 'hotel', 2, '988J1', 'SRID=4326;POINT(120.6550 28.0150)'),
  (988002, 'No Limit', 'hotel', NULL, '988J1', 'SRID=4326;POINT(120.7550 28.0150)');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction, home_location)
SELECT 988100 + i, 'passport', 'EP98810' || i, 'GUEST ' || i, 'CHN', '988J1', 'SRID=4326;POINT(120.6549 28.0150)'
  FROM generate_series(1, 12) i;

-- Two guests from two days ago fill Two Beds on every day of their 14 centralized days.
INSERT INTO control (control_id, person_id, site_id, status, quarantine_start, control_start)
VALUES (988301, 988101, 988001, 'under_control', :'today'::date - 2, now() - interval '2 days'),
       (988302, 988102, 988001, 'pending', :'today'::date - 2, NULL);
SELECT is((SELECT occupied FROM site_occupancy WHERE site_id = 988001), 2::bigint,
          'pending and under_control controls each hold a bed today');

PREPARE third AS
  INSERT INTO control (control_id, person_id, site_id, status, quarantine_start)
  VALUES (988303, 988103, 988001, 'pending', local_date(now()));
SELECT tap.throws_rule('EXECUTE third', '23514', 'site_full',
                       'a third guest on days already full: site_full');
SELECT results_eq(
  $$SELECT e.message, e.detail, e.hint FROM tap.error_of('EXECUTE third') e$$,
  format($$VALUES ('site 988001 has no free bed on %s'::text,
                   'Control 988303 would hold a bed of site 988001 on each day of its centralized phase; on %s all beds are held (capacity 2).'::text,
                   'Place the control in another hotel (assign_site() finds the nearest one with a free bed), or raise the site''s capacity.'::text)$$,
         :'today', :'today'),
  'the refusal names the first full day and the capacity, and says what to do');
SELECT is((SELECT e.state FROM tap.error_of(
             $$INSERT INTO control (person_id, site_id, status, quarantine_start)
               VALUES (988103, 988001, 'under_control', local_date(now()) + 11)$$) e),
          '23514', 'one shared day is enough to refuse (the last of the others'' 14)');
SELECT lives_ok(
  $$INSERT INTO control (control_id, person_id, site_id, status, quarantine_start)
    VALUES (988303, 988103, 988001, 'pending', local_date(now()) + 12)$$,
  'a guest whose centralized days start when the others'' end is accepted');

-- medical holds no bed, whatever site_id it still carries
UPDATE control SET status = 'medical' WHERE control_id = 988301;
SELECT is((SELECT occupied FROM site_occupancy WHERE site_id = 988001), 1::bigint,
          'a medical control is not counted by site_occupancy, though it keeps its site_id');
SELECT is((SELECT occupied FROM quarantine_analytics.occupancy WHERE site_id = 988001), 1::bigint,
          'the analytics occupancy counts the same beds');
SELECT ok(NOT control_holds_bed('medical', '14c+7m', :'today'::date, :'today'::date)
          AND control_holds_bed('pending', '14c+7m', :'today'::date, :'today'::date + 13)
          AND NOT control_holds_bed('under_control', '14c+7m', :'today'::date, :'today'::date + 14)
          AND NOT control_holds_bed('under_control', '7h', :'today'::date, :'today'::date),
          'control_holds_bed: pending and under_control on the centralized days only');
SELECT lives_ok(
  $$INSERT INTO control (control_id, person_id, site_id, status, quarantine_start)
    VALUES (988304, 988104, 988001, 'under_control', local_date(now()))$$,
  'the bed a medical control left is free for another guest');
SELECT tap.throws_rule(
  $$UPDATE control SET status = 'under_control' WHERE control_id = 988301$$, '23514', 'site_full',
  'back from hospital to a full hotel: its bed-days are added again, and refused');

-- an update that adds no bed-day is never refused, even over capacity
UPDATE site SET capacity = 1 WHERE site_id = 988001;
SELECT lives_ok($$UPDATE control SET responsible = 'grid worker' WHERE control_id IN (988302, 988304)$$,
                'over capacity, an update that adds no bed-day is accepted');
SELECT lives_ok($$UPDATE control SET status = 'under_control' WHERE control_id = 988302$$,
                'pending to under_control at the same site adds no bed-day');
SELECT tap.throws_rule(
  $$UPDATE control SET quarantine_start = quarantine_start - 1 WHERE control_id = 988303$$, '23514', 'site_full',
  'an earlier start adds a day the others fill: refused');
UPDATE site SET capacity = 2 WHERE site_id = 988001;

-- a multi-row statement sees its own earlier rows
UPDATE control SET status = 'ended', end_reason = 'transferred_out', ended_at = now()
 WHERE control_id IN (988302, 988303, 988304);
SELECT tap.throws_rule(
  $$INSERT INTO control (person_id, site_id, status, quarantine_start)
    SELECT 988104 + i, 988001, 'pending', local_date(now()) FROM generate_series(1, 3) i$$,
  '23514', 'site_full', 'three guests for two beds in one statement: the third is refused');
SELECT lives_ok(
  $$INSERT INTO control (person_id, site_id, status, quarantine_start)
    SELECT 988104 + i, 988001, 'pending', local_date(now()) FROM generate_series(1, 2) i$$,
  'two guests for two beds in one statement are accepted');

-- a statement counts a site once and keeps the count for its later rows; a
-- row ON CONFLICT DO NOTHING skipped held no bed: the third row is counted
-- again and let through
SELECT lives_ok(
  $$INSERT INTO control (control_id, person_id, site_id, status, quarantine_start)
    VALUES (988301, 988110, 988001, 'pending', local_date(now()) + 30),
           (988305, 988111, 988001, 'pending', local_date(now()) + 30),
           (988306, 988112, 988001, 'pending', local_date(now()) + 30)
    ON CONFLICT (control_id) DO NOTHING$$,
  'two guests for two beds after a row the statement skipped are accepted');
SELECT lives_ok(
  $$UPDATE control SET quarantine_start = quarantine_start + 1 WHERE control_id IN (988305, 988306)$$,
  'both guests of a full hotel a day later in one statement: each leaves its own old days');
SELECT is((SELECT max(n) FROM (SELECT count(*) AS n FROM control c,
             generate_series(lower(phase_range(c.plan, c.quarantine_start, 'centralized')),
                             upper(phase_range(c.plan, c.quarantine_start, 'centralized')) - 1, '1 day') d
            WHERE c.site_id = 988001 AND control_holds_bed(c.status, c.plan, c.quarantine_start, d::date)
            GROUP BY d) x), 2::bigint,
          'no day of the hotel holds more than its two beds');
UPDATE control SET status = 'ended', end_reason = 'transferred_out', ended_at = now()
 WHERE control_id IN (988305, 988306);

-- NULL capacity: unlimited
SELECT lives_ok(
  $$INSERT INTO control (person_id, site_id, status, quarantine_start)
    SELECT 988106 + i, 988002, 'pending', local_date(now()) FROM generate_series(1, 3) i$$,
  'a site without a capacity takes any number of guests');
SELECT is((SELECT free FROM site_occupancy WHERE site_id = 988002), NULL::bigint,
          'its free beds are unknown (NULL), its occupied ones counted');
SELECT tap.throws_rule(
  $$UPDATE control SET site_id = 988001 WHERE person_id = 988107 AND status = 'pending'$$, '23514', 'site_full',
  'moving a guest into a full site is refused');

-- assign_site: the nearest hotel of the control's district with a free bed
-- on every centralized day.  Two Beds (nearest) is full today; No Limit is
-- farther; Other District is nearest of all but in another district.
INSERT INTO site (site_id, name, kind, capacity, jurisdiction, location) VALUES
  (988003, 'Other District', 'hotel', 10, '988J2', 'SRID=4326;POINT(120.6549 28.0151)'),
  (988004, 'Free Later', 'hotel', 1, '988J1', 'SRID=4326;POINT(120.6560 28.0150)');
UPDATE control SET status = 'ended', end_reason = 'transferred_out', ended_at = now()
 WHERE site_id = 988002;
INSERT INTO control (control_id, person_id, status, quarantine_start, jurisdiction)
VALUES (988310, 988107, 'pending', :'today'::date, '988J1');
SELECT is(assign_site(988310), 988004::bigint,
          'assign_site: the nearest hotel of the district with a free bed (a full one and another district''s skipped)');
SELECT is((SELECT site_id FROM control WHERE control_id = 988310), 988004::bigint, 'the control now carries it');
INSERT INTO control (control_id, person_id, status, quarantine_start, jurisdiction)
VALUES (988311, 988108, 'pending', :'today'::date + 3, '988J1');
SELECT is(assign_site(988311), 988002::bigint,
          'the next guest: the hotels full today are skipped, the one with no limit takes it');
UPDATE site SET capacity = 0 WHERE site_id = 988002;
INSERT INTO control (control_id, person_id, status, quarantine_start, jurisdiction)
VALUES (988312, 988109, 'pending', :'today'::date, '988J1');
SELECT tap.throws_rule('SELECT assign_site(988312)', '23514', 'site_full',
                       'no hotel of the district with a free bed: site_full');
SELECT is((SELECT site_id FROM control WHERE control_id = 988312), NULL::bigint, 'and the control keeps no site');
UPDATE person SET home_location = NULL WHERE person_id = 988109;
SELECT is((SELECT e.state FROM tap.error_of('SELECT assign_site(988312)') e), '22004',
          'a person without a home location cannot be placed (22004)');
SELECT is((SELECT e.state FROM tap.error_of('SELECT assign_site(-1)') e), 'P0002', 'an unknown control: P0002');
SELECT is((SELECT count(*)::int FROM pg_catalog.pg_trigger
            WHERE tgrelid = 'quarantine.control'::regclass AND tgname = 'control_site_full'), 1,
          'the rule is one trigger on control');

SELECT * FROM finish();
ROLLBACK;
