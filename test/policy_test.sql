-- policy: shipped timeline, plan_for, and the table's rules.
BEGIN;
SELECT plan(22);

-- ---------------------------------------------------------------------------
-- The shipped rows (test/data/quarantine_timeline.tsv)
-- ---------------------------------------------------------------------------

SELECT results_eq(
  $$SELECT category::text, plan::text, effective::text, nat_days FROM policy WHERE shipped ORDER BY category::text, lower(effective)$$,
  $$VALUES
    ('close_contact', '14c',    '[2020-03-16,2021-05-14)', '{1,14}'::int[]),
    ('close_contact', '14c+7m', '[2021-05-14,2022-06-28)', '{1,4,7,14,16,21}'),
    ('close_contact', '7c+3m',  '[2022-06-28,2022-11-11)', '{1,2,3,5,7,10}'),
    ('close_contact', '5c+3h',  '[2022-11-11,2023-01-08)', '{1,2,3,5,6,8}'),
    ('discharged',    '14c',    '[2020-03-16,2023-01-08)', '{1,14}'),
    ('general',       '14c',    '[2020-03-16,2021-05-14)', '{1,14}'),
    ('general',       '14c+7m', '[2021-05-14,2022-06-28)', '{1,4,7,14,16,21}'),
    ('general',       '7c+3m',  '[2022-06-28,2022-11-11)', '{1,2,3,5,7,10}'),
    ('general',       '5c+3h',  '[2022-11-11,2023-01-08)', '{1,2,3,5,6,8}')$$,
  'the shipped rows follow the national timeline');

SELECT is(count(*), 0::bigint, 'every shipped row cites its instrument in note')
  FROM policy WHERE shipped AND coalesce(note, '') !~ '(Protocol|State Council|Plan|the Fujian guideline|the national plan)';

-- plan_for on the day before and on each effective date, per category.
-- symptomatic has no row of its own and falls back to general; exempt
-- never falls back.
SELECT results_eq(
  $$SELECT c::text, d, plan_for(c, d)::text
      FROM unnest('{general,close_contact,discharged,symptomatic,exempt}'::arrival_category[]) WITH ORDINALITY AS a (c, i),
           unnest('{2020-03-15,2020-03-16,2021-05-13,2021-05-14,2022-06-27,2022-06-28,2022-11-10,2022-11-11,2023-01-07,2023-01-08}'::date[]) WITH ORDINALITY AS b (d, j)
     ORDER BY i, j$$,
  $$VALUES
    ('general', '2020-03-15'::date, NULL), ('general', '2020-03-16', '14c'),
    ('general', '2021-05-13', '14c'), ('general', '2021-05-14', '14c+7m'),
    ('general', '2022-06-27', '14c+7m'), ('general', '2022-06-28', '7c+3m'),
    ('general', '2022-11-10', '7c+3m'), ('general', '2022-11-11', '5c+3h'),
    ('general', '2023-01-07', '5c+3h'), ('general', '2023-01-08', NULL),
    ('close_contact', '2020-03-15', NULL), ('close_contact', '2020-03-16', '14c'),
    ('close_contact', '2021-05-13', '14c'), ('close_contact', '2021-05-14', '14c+7m'),
    ('close_contact', '2022-06-27', '14c+7m'), ('close_contact', '2022-06-28', '7c+3m'),
    ('close_contact', '2022-11-10', '7c+3m'), ('close_contact', '2022-11-11', '5c+3h'),
    ('close_contact', '2023-01-07', '5c+3h'), ('close_contact', '2023-01-08', NULL),
    ('discharged', '2020-03-15', NULL), ('discharged', '2020-03-16', '14c'),
    ('discharged', '2021-05-13', '14c'), ('discharged', '2021-05-14', '14c'),
    ('discharged', '2022-06-27', '14c'), ('discharged', '2022-06-28', '14c'),
    ('discharged', '2022-11-10', '14c'), ('discharged', '2022-11-11', '14c'),
    ('discharged', '2023-01-07', '14c'), ('discharged', '2023-01-08', NULL),
    ('symptomatic', '2020-03-15', NULL), ('symptomatic', '2020-03-16', '14c'),
    ('symptomatic', '2021-05-13', '14c'), ('symptomatic', '2021-05-14', '14c+7m'),
    ('symptomatic', '2022-06-27', '14c+7m'), ('symptomatic', '2022-06-28', '7c+3m'),
    ('symptomatic', '2022-11-10', '7c+3m'), ('symptomatic', '2022-11-11', '5c+3h'),
    ('symptomatic', '2023-01-07', '5c+3h'), ('symptomatic', '2023-01-08', NULL),
    ('exempt', '2020-03-15', NULL), ('exempt', '2020-03-16', NULL),
    ('exempt', '2021-05-13', NULL), ('exempt', '2021-05-14', NULL),
    ('exempt', '2022-06-27', NULL), ('exempt', '2022-06-28', NULL),
    ('exempt', '2022-11-10', NULL), ('exempt', '2022-11-11', NULL),
    ('exempt', '2023-01-07', NULL), ('exempt', '2023-01-08', NULL)$$,
  'plan_for follows the timeline: day before and each effective date, with the general fallback');

SELECT is(plan_for(NULL, '2021-01-01'), NULL, 'plan_for is strict');

-- ---------------------------------------------------------------------------
-- Rules of the table
-- ---------------------------------------------------------------------------

-- policy_no_overlap: one category, one plan per day.
SELECT tap.throws_rule(
  $$INSERT INTO policy (category, plan, effective) VALUES ('general', '14c', '[2022-12-01,2023-02-01)')$$,
  '23P01', 'policy_no_overlap', 'an overlapping range of the same category is rejected');
SELECT tap.throws_rule(
  $$INSERT INTO policy (category, plan, effective) VALUES ('discharged', '7c', '[2019-01-01,)')$$,
  '23P01', 'policy_no_overlap', 'an unbounded range over a shipped one is rejected');
SELECT tap.throws_rule(
  $$UPDATE policy SET effective = '[2021-05-01,2021-06-01)' WHERE category = 'close_contact' AND plan = '7c+3m'$$,
  '23P01', 'policy_no_overlap', 'moving a row over another of its category is rejected');
SELECT lives_ok(
  $$INSERT INTO policy (category, plan, effective, nat_days, note)
    VALUES ('general', '7c', '[2023-01-08,2023-02-01)', '{1,7}', 'adjacent: a province keeps 7c for a month')$$,
  'an adjacent range of the same category is accepted (ranges are half-open)');
SELECT lives_ok(
  $$INSERT INTO policy (category, plan, effective, nat_days, note)
    VALUES ('symptomatic', '7c+7h', '[2020-06-01,2020-12-01)', '{1,7,14}', 'province X, symptomatic arrivals')$$,
  'the same range for another category is accepted');

-- An admin row is used on its dates; a category with rows of its own no
-- longer falls back to general outside them.
SELECT results_eq(
  $$SELECT plan_for('symptomatic', d)::text FROM unnest('{2020-05-31,2020-06-01,2020-11-30,2020-12-01}'::date[]) WITH ORDINALITY AS t (d, n) ORDER BY n$$,
  $$VALUES (NULL), ('7c+7h'), ('7c+7h'), (NULL)$$,
  'plan_for uses a category''s own rows, and only them, once it has some');
SELECT is(plan_for('general', '2023-01-20')::text, '7c', 'plan_for sees an admin row for general');

-- policy_nat_days: NAT days are day numbers of the plan, each once.
SELECT tap.throws_rule(
  $$INSERT INTO policy (category, plan, effective, nat_days) VALUES ('confirmed', '14c', '[2020-01-01,2020-02-01)', '{1,15}')$$,
  '23514', 'policy_nat_days', 'a NAT day after the last day of the plan is rejected');
SELECT tap.throws_rule(
  $$INSERT INTO policy (category, plan, effective, nat_days) VALUES ('confirmed', '14c', '[2020-01-01,2020-02-01)', '{0,14}')$$,
  '23514', 'policy_nat_days', 'NAT day 0 is rejected');
SELECT tap.throws_rule(
  $$INSERT INTO policy (category, plan, effective, nat_days) VALUES ('confirmed', '14c', '[2020-01-01,2020-02-01)', '{1,7,7}')$$,
  '23514', 'policy_nat_days', 'a repeated NAT day is rejected');
SELECT tap.throws_rule(
  $$INSERT INTO policy (category, plan, effective, nat_days) VALUES ('confirmed', '14c', '[2020-01-01,2020-02-01)', '{1,NULL}')$$,
  '23514', 'policy_nat_days', 'a NULL NAT day is rejected');
SELECT tap.throws_rule(
  $$UPDATE policy SET plan = '14c' WHERE category = 'general' AND plan = '14c+7m'$$,
  '23514', 'policy_nat_days', 'shortening a plan below its NAT days is rejected');
SELECT lives_ok(
  $$INSERT INTO policy (category, plan, effective, nat_days) VALUES ('confirmed', '14c+7m', '[2020-01-01,2020-02-01)', '{21,1}')$$,
  'NAT days within the plan, in any order, are accepted');

-- policy_effective: a policy starts on some day.
SELECT tap.throws_rule(
  $$INSERT INTO policy (category, plan, effective) VALUES ('suspected', '14c', 'empty')$$,
  '23514', 'policy_effective', 'an empty effective range is rejected');
SELECT tap.throws_rule(
  $$INSERT INTO policy (category, plan, effective) VALUES ('suspected', '14c', '(,2020-01-01)')$$,
  '23514', 'policy_effective', 'an effective range without a first day is rejected');

SELECT throws_ok(
  $$INSERT INTO policy (policy_id, category, plan, effective) VALUES (100, 'suspected', '14c', '[2020-01-01,2020-02-01)')$$,
  '428C9', NULL, 'policy_id is generated');

-- pg_dump keeps admin rows and the identity counter, not the shipped rows.
SELECT results_eq(
  $$SELECT c::regclass::text, coalesce(w, '') COLLATE "default" FROM pg_extension e,
           unnest(e.extconfig, e.extcondition) AS u (c, w)
     WHERE e.extname = 'quarantine' AND c::regclass::text LIKE 'policy%' ORDER BY 1$$,
  $$VALUES ('policy', 'WHERE NOT shipped'), ('policy_policy_id_seq', '')$$,
  'policy is a configuration table that dumps the rows admins add');

SELECT ok(NOT shipped, 'rows added are not shipped by default')
  FROM policy WHERE note = 'province X, symptomatic arrivals';

SELECT * FROM finish();
ROLLBACK;
