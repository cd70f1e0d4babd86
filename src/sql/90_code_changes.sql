-- Who can change health-code colour by time alone (doc/health.md): one
-- candidate set for refresh_codes (src/health/health_feed.c) and the "today"
-- view color_changes_tonight (91_today.sql, whose masked variant reads it).
-- Every statement here can run again over an installed database, so the
-- 0.2.0 -> 0.3.0 upgrade lists this file (src/sql/upgrade/).

-- ---------------------------------------------------------------------------
-- code_candidates, code_changes, color_changes_tonight: who changes colour by
-- time alone
-- ---------------------------------------------------------------------------
-- One candidate set for refresh_codes and color_changes_tonight (doc/health.md,
-- "Who can change colour by time alone"): the persons whose colour can differ
-- between two instants although nothing was written, a superset cheap to find
-- by index.  The decision itself stays code_color's:
--   * a control whose plan is not over on the first day (control_release_date)
--     and whose phase differs between the first and the last day (phases only
--     move forward; the release test falls missing on a phase boundary);
--   * every staff row (few; tests fall due every few days);
--   * an entry recorded within the span (it counts from its instant on), or
--     whose observation window (quarantine.observation_days) ends within it,
--     by local date, with a day's margin (entry_entered_at, two ranges);
--   * a lab test sampled within the span (lab_test_sampled).
-- The setting is read with missing_ok: the planner may estimate before the
-- library is loaded; by execution code_color has loaded it.
CREATE OR REPLACE FUNCTION code_candidates(since timestamptz, until timestamptz)
RETURNS TABLE (person_id bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT c.person_id
    FROM quarantine.control c
   WHERE c.release_date > quarantine.local_date(since)
     AND quarantine.phase_on(c.plan, c.quarantine_start, quarantine.local_date(since))
         IS DISTINCT FROM quarantine.phase_on(c.plan, c.quarantine_start, quarantine.local_date(until))
  UNION
  SELECT s.person_id FROM quarantine.staff s
  UNION
  SELECT e.person_id FROM quarantine.entry e
   WHERE e.entered_at > since AND e.entered_at <= until
  UNION
  SELECT e.person_id
    FROM quarantine.entry e
   WHERE e.entered_at > since - pg_catalog.make_interval(
           days => pg_catalog.current_setting('quarantine.observation_days', true)::int + 2)
     AND e.entered_at <= until - pg_catalog.make_interval(
           days => pg_catalog.current_setting('quarantine.observation_days', true)::int - 3)
     AND quarantine.local_date(e.entered_at)
         BETWEEN quarantine.local_date(since)
                 - pg_catalog.current_setting('quarantine.observation_days', true)::int
             AND quarantine.local_date(until)
                 - pg_catalog.current_setting('quarantine.observation_days', true)::int + 1
  UNION
  SELECT t.person_id FROM quarantine.lab_test t
   WHERE t.sampled_at > since AND t.sampled_at <= until;
END;
COMMENT ON FUNCTION code_candidates(timestamptz, timestamptz) IS
  'The persons whose health-code colour can differ between since and until by time alone (a superset: controls changing phase, staff, entries starting or ending their observation days, tests sampled in between); read by refresh_codes and code_changes (doc/health.md)';

-- The colours are code_color's at since and at until, so the decision stays
-- the one of doc/health.md.
CREATE OR REPLACE FUNCTION code_changes(since timestamptz, until timestamptz)
RETURNS TABLE (person_id bigint, from_color health_code, from_reason text,
               to_color health_code, to_reason text)
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT k.person_id, (k.now_state).color, (k.now_state).reason,
         (k.then_state).color, (k.then_state).reason
    FROM (SELECT c.person_id,
                 quarantine.code_color(c.person_id, since) AS now_state,
                 quarantine.code_color(c.person_id, until) AS then_state
            FROM quarantine.code_candidates(since, until) c
          OFFSET 0) k  -- each code_color once per candidate
   WHERE k.now_state IS DISTINCT FROM k.then_state;
END;
COMMENT ON FUNCTION code_changes(timestamptz, timestamptz) IS
  'Persons whose health-code colour or its reason differs between since and until by time alone (code_candidates), from and to as code_color gives them at those instants';

-- color_changes_tonight: from now() to the next local midnight.
CREATE OR REPLACE VIEW color_changes_tonight WITH (security_invoker = true) AS
  SELECT k.person_id, p.name, p.jurisdiction, j.name AS district,
         k.from_color, k.from_reason, k.to_color, k.to_reason, t.midnight AS at
    FROM (SELECT (quarantine.local_date(now()) + 1)::timestamp
                   AT TIME ZONE pg_catalog.current_setting('quarantine.timezone', true) AS midnight) t
   CROSS JOIN LATERAL quarantine.code_changes(now(), t.midnight) k
    JOIN person p ON p.person_id = k.person_id
    LEFT JOIN jurisdiction j ON j.code = p.jurisdiction;
COMMENT ON VIEW color_changes_tonight IS
  'Persons whose health-code colour or its reason changes at the next local midnight by time alone (phase boundaries, observation windows ending, staff tests falling due): from and to as code_color gives them now and at that instant';

-- code_candidates and code_changes read the tables as the caller (row
-- security applies); the readers of color_changes_tonight need them, and
-- refresh_codes calls code_candidates with the owner's rights.
REVOKE EXECUTE ON FUNCTION code_candidates(timestamptz, timestamptz),
  code_changes(timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION code_candidates(timestamptz, timestamptz),
  code_changes(timestamptz, timestamptz) TO quarantine_admin, quarantine_operator;
