-- control: the workflow rules of doc/records.md, each accepted and rejected.
BEGIN;
SELECT plan(58);

INSERT INTO person (person_id, doc_kind, doc_no, name, nationality) VALUES
  (910001, 'passport', 'E10000001', 'ZHANG WEI', 'CHN'),
  (910002, 'passport', 'E10000002', 'WANG FANG', 'CHN'),
  (910003, 'passport', 'E10000003', 'LI NA', 'CHN'),
  (910004, 'passport', 'E10000004', 'ZHAO LEI', 'CHN'),
  (910005, 'passport', 'E10000005', 'SUN LI', 'CHN');
-- 2021-06-01: policy 14c+7m; 2020-06-01: policy 14c.
INSERT INTO entry (entry_id, person_id, entered_at, port_kind, temperature) VALUES
  (910101, 910001, '2021-06-01 10:00+08', 'air', 36.5),
  (910102, 910002, '2020-06-01 23:30+08', 'air', 36.6),
  (910103, 910003, '2021-06-01 10:00+08', 'air', 36.6),
  (910104, 910004, '2021-06-01 10:00+08', 'air', 36.6),
  (910105, 910005, '2024-03-01 10:00+08', 'air', 36.6);

-- Defaults from the entry and the policy of the day.
INSERT INTO control (control_id, person_id, entry_id) VALUES (910201, 910001, 910101);
SELECT results_eq(
  $$SELECT status::text, plan::text, quarantine_start, release_date, control_start FROM control WHERE control_id = 910201$$,
  $$VALUES ('pending', '14c+7m', date '2021-06-01', date '2021-06-22', NULL::timestamptz)$$,
  'a new control is pending, day 1 is the entry day, plan and release date from the policy');
INSERT INTO control (control_id, person_id, entry_id) VALUES (910202, 910002, 910102);
SELECT results_eq(
  $$SELECT plan::text, quarantine_start FROM control WHERE control_id = 910202$$,
  $$VALUES ('14c', date '2020-06-01')$$,
  'an entry at 23:30 Beijing time starts on that local day; 2020 policy is 14c');

-- control_plan_required
SELECT throws_rule(
  $$INSERT INTO control (person_id, entry_id) VALUES (910005, 910105)$$,
  '23514', 'control_plan_required', 'no policy covers 2024: the insert must name a plan');
SELECT lives_ok(
  $$INSERT INTO control (control_id, person_id, entry_id, plan) VALUES (910205, 910005, 910105, '3h')$$,
  'with a plan named, a control outside any policy is accepted');

-- control_entry_person
SELECT throws_rule(
  $$UPDATE control SET entry_id = 910102 WHERE control_id = 910201$$,
  '23514', 'control_entry_person', 'a control cannot point at another person''s entry');

-- control_status_transition, both ways
SELECT lives_ok($$UPDATE control SET status = 'under_control' WHERE control_id = 910201$$,
                'pending -> under_control');
SELECT isnt((SELECT control_start FROM control WHERE control_id = 910201), NULL,
            'control_start is set when the record first becomes under_control');
SELECT throws_rule($$UPDATE control SET status = 'returned', return_reason = 'other', return_note = 'x' WHERE control_id = 910201$$,
                   '23514', 'control_status_transition', 'under_control -> returned is not allowed');
SELECT throws_rule($$UPDATE control SET status = 'pending' WHERE control_id = 910201$$,
                   '23514', 'control_status_transition', 'under_control -> pending is not allowed');
SELECT lives_ok($$UPDATE control SET status = 'medical' WHERE control_id = 910201$$,
                'under_control -> medical');
SELECT lives_ok($$UPDATE control SET status = 'under_control' WHERE control_id = 910201$$,
                'medical -> under_control');
SELECT is((SELECT control_start FROM control WHERE control_id = 910201), transaction_timestamp(),
          'coming back from medical keeps control_start (the district notes)');
SELECT results_eq(
  $$SELECT from_status::text, to_status::text FROM control_event WHERE control_id = 910201 AND kind = 'status' ORDER BY event_id$$,
  $$VALUES ('pending', 'under_control'), ('under_control', 'medical'), ('medical', 'under_control')$$,
  'every status change is written to control_event');
SELECT is((SELECT by_role FROM control_event WHERE control_id = 910201 ORDER BY event_id LIMIT 1), current_user::text,
          'control_event records who made the change');

-- control_start_fixed
SELECT throws_rule($$UPDATE control SET control_start = control_start - interval '1 hour' WHERE control_id = 910201$$,
                   '23514', 'control_start_fixed', 'control_start cannot be changed by UPDATE');
SELECT throws_rule($$UPDATE control SET control_start = NULL WHERE control_id = 910201$$,
                   '23514', 'control_start_fixed', 'control_start cannot be cleared');
SELECT lives_ok($$SELECT correct_control_start(910201, '2021-06-01 15:00+08', 'entered late by the hotel')$$,
                'correct_control_start corrects it');
SELECT results_eq(
  $$SELECT kind, new_value::timestamptz, note FROM control_event WHERE control_id = 910201 AND kind = 'control_start'$$,
  $$VALUES ('control_start', timestamptz '2021-06-01 15:00+08', 'entered late by the hotel')$$,
  'the correction is audited with its reason');
SELECT throws_ok($$SELECT correct_control_start(910201, '2021-06-01 16:00+08', ' ')$$, '22023', NULL,
                 'a correction needs a reason');

-- control_dates
SELECT throws_rule($$SELECT correct_control_start(910201, '2021-05-31 15:00+08', 'typo')$$,
                   '23514', 'control_dates', 'control_start cannot precede the entry or day 1');
SELECT is(m[1] <> m[2], true, 'its DETAIL shows the entry time and control_start, not one time twice')
  FROM (SELECT regexp_match((error_of($$SELECT correct_control_start(910201, '2021-06-01 09:00+08', 'typo')$$)).detail,
                            '^Entry \d+ was at (.*); quarantine_start is .*, control_start (.*)\.$') AS m) e;
SELECT throws_rule($$INSERT INTO control (person_id, entry_id, quarantine_start) VALUES (910003, 910103, '2021-05-30')$$,
                   '23514', 'control_dates', 'quarantine_start cannot precede the entry');
SELECT throws_rule($$INSERT INTO control (person_id, entry_id, quarantine_start, status, control_start)
                     VALUES (910003, 910103, '2021-06-05', 'under_control', '2021-06-03 09:00+08')$$,
                   '23514', 'control_dates', 'quarantine_start cannot follow control_start');

-- control_single_open
SELECT throws_rule($$INSERT INTO control (person_id, entry_id) VALUES (910001, 910101)$$,
                   '23505', 'control_single_open', 'a second open control of a person is rejected');

-- control_return_reason
INSERT INTO control (control_id, person_id, entry_id) VALUES (910203, 910003, 910103);
SELECT throws_rule($$UPDATE control SET status = 'returned' WHERE control_id = 910203$$,
                   '23514', 'control_return_reason', 'returned needs a return_reason');
SELECT throws_rule($$UPDATE control SET status = 'returned', return_reason = 'out_of_province', return_note = '  ' WHERE control_id = 910203$$,
                   '23514', 'control_return_reason', 'returned needs a non-empty return_note');
SELECT lives_ok($$UPDATE control SET status = 'returned', return_reason = 'out_of_province',
                   return_note = 'isolated at a Shanghai hotel' WHERE control_id = 910203$$,
                'returned with reason and note is accepted');
SELECT lives_ok($$UPDATE control SET status = 'pending' WHERE control_id = 910203$$, 'returned -> pending');

-- control_end
SELECT throws_rule($$UPDATE control SET status = 'ended' WHERE control_id = 910203$$,
                   '23514', 'control_end', 'ended needs an end_reason');
SELECT throws_rule($$UPDATE control SET status = 'ended', end_reason = 'completed' WHERE control_id = 910201$$,
                   '23514', 'control_end', 'completed needs a negative release NAT');
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (910001, 'nat', '2021-06-12 09:00+08', 'negative');   -- day 12: too early
SELECT throws_rule($$UPDATE control SET status = 'ended', end_reason = 'completed' WHERE control_id = 910201$$,
                   '23514', 'control_end', 'a NAT before the release window does not count');
SELECT throws_rule($$UPDATE control SET status = 'ended', end_reason = 'completed', ended_at = '2021-06-14 18:00+08' WHERE control_id = 910201$$,
                   '23514', 'control_end', 'completed cannot end before the isolation end');
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (910001, 'nat', '2021-06-14 01:00+08', 'negative');   -- day 14, 2021-06-13 17:00 UTC
SELECT lives_ok($$UPDATE control SET status = 'ended', end_reason = 'completed' WHERE control_id = 910201$$,
                'completed with a negative NAT within release_test_days of the isolation end');
SELECT isnt((SELECT ended_at FROM control WHERE control_id = 910201), NULL, 'ended_at is filled');
SELECT throws_rule($$UPDATE control SET status = 'under_control' WHERE control_id = 910201$$,
                   '23514', 'control_status_transition', 'ended is final');

-- control_no_repeat
SELECT throws_rule($$INSERT INTO control (person_id, entry_id) VALUES (910001, 910101)$$,
                   '23505', 'control_no_repeat', 'no second control for an entry whose isolation was completed');
INSERT INTO entry (entry_id, person_id, entered_at, port_kind) VALUES (910106, 910001, '2021-09-01 10:00+08', 'air');
SELECT lives_ok($$INSERT INTO control (person_id, entry_id) VALUES (910001, 910106)$$,
                'a new entry is a new control');

-- completed_elsewhere
SELECT lives_ok($$UPDATE control SET status = 'ended', end_reason = 'completed_elsewhere' WHERE control_id = 910202$$,
                'completed_elsewhere once the plan has run its days');
INSERT INTO entry (entry_id, person_id, entered_at, port_kind) VALUES (910107, 910004, now() - interval '2 days', 'air');
INSERT INTO control (control_id, person_id, entry_id, plan) VALUES (910204, 910004, 910107, '14c');
SELECT throws_rule($$UPDATE control SET status = 'ended', end_reason = 'completed_elsewhere' WHERE control_id = 910204$$,
                   '23514', 'control_end', 'completed_elsewhere while the plan still runs is rejected');
SELECT throws_rule($$UPDATE control SET status = 'ended', end_reason = 'completed_elsewhere', ended_at = '2099-01-01' WHERE control_id = 910204$$,
                   '23514', 'control_end', 'a future ended_at does not make the plan complete');
SELECT throws_rule($$SELECT correct_control_start(910204, now(), 'never under control')$$,
                   '23514', 'control_start_fixed', 'a control that was never under control has no control_start to correct');
UPDATE control SET plan = '5c+3h' WHERE control_id = 910205;
SELECT throws_rule($$UPDATE control SET plan = '1c+7h' WHERE control_id = 910205$$,
                   '23514', 'control_plan_change', '5c+3h -> 1c+7h brings home isolation earlier: needs eligibility');
SELECT throws_rule($$SELECT revert_to_centralized(910201, 'too late')$$,
                   '23514', 'control_plan_change', 'an ended control cannot be reverted');

-- control_plan_change: to a plan with home isolation only when eligible
SELECT throws_rule($$UPDATE control SET plan = '7c+7h+7m' WHERE control_id = 910203$$,
                   '23514', 'control_plan_change', 'moving home needs home_transfer_check eligibility');
SELECT alike((error_of($$UPDATE control SET plan = '7c+7h+7m' WHERE control_id = 910203$$)).detail,
            '%unmet: nat_day3, nat_day5, igm_day5, home_not_verified, no_commitment.',
            'the error lists every unmet criterion');
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (910003, 'nat', '2021-06-03 09:00+08', 'negative'),
  (910003, 'nat', '2021-06-05 09:00+08', 'negative'),
  (910003, 'igm', '2021-06-05 09:00+08', 'negative');
UPDATE control SET home_verified_at = '2021-06-06 10:00+08', commitment_signed_at = '2021-06-06 11:00+08'
 WHERE control_id = 910203;
SELECT throws_rule($$UPDATE control SET plan = '7c+7h+7m', quarantine_start = '2021-06-02' WHERE control_id = 910203$$,
                   '23514', 'control_plan_change', 'a plan change keeps quarantine_start');
SELECT lives_ok($$UPDATE control SET plan = '7c+7h+7m' WHERE control_id = 910203$$,
                'eligible: the plan moves to 7c+7h+7m');
SELECT results_eq(
  $$SELECT old_value, new_value FROM control_event WHERE control_id = 910203 AND kind = 'plan'$$,
  $$VALUES ('14c+7m', '7c+7h+7m')$$, 'the plan change is recorded in control_event');
SELECT is(revert_to_centralized(910203, 'home failed the single-room check')::text, '14c+7m',
          'revert_to_centralized: home days become centralized for the rest of the plan');
SELECT results_eq(
  $$SELECT home_verified_at, (SELECT note FROM control_event WHERE control_id = 910203 AND kind = 'plan' ORDER BY event_id DESC LIMIT 1)
      FROM control WHERE control_id = 910203$$,
  $$VALUES (NULL::timestamptz, 'home failed the single-room check')$$,
  'the home verification is cleared and the reason recorded');
SELECT throws_rule($$SELECT revert_to_centralized(910203, 'again')$$, '23514', 'control_plan_change',
                   'a plan without home isolation has nothing to revert');

-- Shortening the policy plan needs quarantine_admin.
-- The operator works in district 910 (row security, doc/security.md).
CREATE ROLE quarantine_test_operator IN ROLE quarantine_operator;
INSERT INTO jurisdiction (code, name, level) VALUES ('910', 'test district', 'district');
INSERT INTO operator_scope VALUES ('quarantine_test_operator', '910');
UPDATE person SET jurisdiction = '910' WHERE person_id IN (910002, 910003);
-- The UPDATE runs as the operator through a SECURITY DEFINER function it owns
-- (pgTAP's own bookkeeping tables belong to the test's superuser).
CREATE FUNCTION public.operator_sets_plan(p isolation_plan) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = quarantine, public
  AS $$ UPDATE control SET plan = p WHERE control_id = 910203 $$;
ALTER FUNCTION public.operator_sets_plan(isolation_plan) OWNER TO quarantine_test_operator;
SELECT throws_rule($$SELECT public.operator_sets_plan('10c+7m')$$,
                   '42501', 'control_plan_change', 'an operator cannot shorten the policy plan');
SELECT lives_ok($$SELECT public.operator_sets_plan('21c')$$,
                'an operator may lengthen it');
CREATE FUNCTION public.operator_inserts(p isolation_plan) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = quarantine, public
  AS $$ INSERT INTO control (person_id, entry_id, plan) VALUES (910002, 910102, p) $$;
ALTER FUNCTION public.operator_inserts(isolation_plan) OWNER TO quarantine_test_operator;
SELECT throws_rule($$SELECT public.operator_inserts('7c')$$,
                   '42501', 'control_plan_change', 'an operator cannot insert a control with a plan shorter than the policy');
SELECT lives_ok($$UPDATE control SET plan = '10c+7m' WHERE control_id = 910203$$,
                'an administrator (here the superuser) may shorten it');
-- Where no policy covers day 1 (after the last shipped period, 2023-01-08),
-- the control's previous plan is the reference: 14c -> 7c -> 3c by an
-- operator is refused at the first step.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
VALUES (910009, 'passport', 'E91000009', 'TEST NOPOLICY', 'ITA', '910');
INSERT INTO control (control_id, person_id, status, plan, quarantine_start)
VALUES (910209, 910009, 'under_control', '14c', '2024-03-01');
CREATE FUNCTION public.operator_sets_plan_of(c bigint, p isolation_plan) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = quarantine, public
  AS $$ UPDATE control SET plan = p WHERE control_id = c $$;
ALTER FUNCTION public.operator_sets_plan_of(bigint, isolation_plan) OWNER TO quarantine_test_operator;
SELECT throws_rule($$SELECT public.operator_sets_plan_of(910209, '7c')$$,
                   '42501', 'control_plan_change',
                   'with no policy covering day 1, an operator cannot shorten the previous plan');
SELECT is((error_of($$SELECT public.operator_sets_plan_of(910209, '7c')$$)).detail,
          'Plan 7c has 7 days; the previous plan 14c has 14, and no policy covers 2024-03-01.',
          'the DETAIL names the previous plan as the reference');
SELECT lives_ok($$SELECT public.operator_sets_plan_of(910209, '21c')$$,
                'with no policy, an operator may lengthen the previous plan');

SELECT * FROM finish();
ROLLBACK;
