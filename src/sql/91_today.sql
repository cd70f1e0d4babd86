-- The "today" surface (issue 14): what a district works through on one local
-- day, as views a district operator reads in psql or a case system selects
-- from.  "Today" is the local date of quarantine.timezone,
-- local_date(now()), whatever the session's TimeZone; "tonight" is the next
-- local midnight.  Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/
-- links this file).  doc/tour.md shows every view with its output.
--
-- Every view that shows a person's data reads with the caller's rights
-- (security_invoker): an operator sees the rows of its districts only, as in
-- the tables.  The masked variants for analysts are at the end.
--
-- No rule is restated here: phases, day numbers and dates come from the plan
-- functions, NAT days from nat_due_on (policy.nat_days), the 7+7 check from
-- home_transfer_eligibility, colours from the feed or code_color.
--
-- Cost.  Each view starts from an index and calls the per-row functions only
-- for the rows it keeps:
--   today_controls        open controls (control_open_status); per row the
--                         feed's latest row (code_assignment_latest), the
--                         next NAT day (nat_due_on, day by day from today,
--                         first hit), and the 7+7 check only in a
--                         centralized phase (lab_test_person)
--   releases_due          as today_controls, filtered on the release date
--                         before the per-row functions run.  (An index on
--                         the release date of the open controls was tried:
--                         the planner never takes it, because the column's
--                         statistics span every ended control, whose release
--                         dates are all past; scanning the open controls
--                         costs 10 ms for 15,000 of them.)
--   tests_due_today       open controls, nat_due_on once per row
--   color_changes_tonight candidates only (code_candidates, shared with
--                         refresh_codes), code_color twice per candidate:
--                         controls not yet released (control_release_date),
--                         staff, entries whose observation window ends
--                         tonight (entry_entered_at), tests sampled ahead
--                         (lab_test_sampled)

-- Controls whose plan is not over (release_date > today), whatever their
-- status: a completed control still sets the phases of its monitoring days.
CREATE INDEX control_release_date ON control (release_date);
-- Entries by instant: the observation windows that end tonight (and
-- refresh_codes' recent entries).
CREATE INDEX entry_entered_at ON entry (entered_at);

-- ---------------------------------------------------------------------------
-- today_controls: one row per open control
-- ---------------------------------------------------------------------------
-- color is the feed's current colour (code_assignment, what the health-code
-- platform shows), one index probe; code_color(person_id) computes it live
-- from the records (several probes), and refresh_codes() brings the feed up
-- to date with what time alone changes (run at each local midnight).  The
-- 7+7 check is only asked in a centralized phase (NULL otherwise): it says
-- whether the person may move to home isolation today, and why not.
CREATE VIEW today_controls WITH (security_invoker = true) AS
  SELECT c.control_id, c.person_id, p.name,
         coalesce(c.jurisdiction, p.jurisdiction) AS jurisdiction, j.name AS district,
         c.site_id, s.name AS site, c.status, c.plan, c.quarantine_start,
         quarantine.day_number(c.quarantine_start, d.today) AS day,
         quarantine.phase_on(c.plan, c.quarantine_start, d.today) AS phase,
         quarantine.isolation_end(c.plan, c.quarantine_start) AS isolation_end,
         c.release_date,
         coalesce(f.color, 'green') AS color, coalesce(f.reason, 'clear') AS color_reason,
         f.assigned_at AS color_since,
         n.day AS next_nat_due,
         (h.e).eligible AS home_eligible, (h.e).earliest AS home_earliest, (h.e).unmet AS home_unmet
    FROM control c
   CROSS JOIN (SELECT quarantine.local_date(now()) AS today) d
    JOIN person p ON p.person_id = c.person_id
    LEFT JOIN jurisdiction j ON j.code = coalesce(c.jurisdiction, p.jurisdiction)
    LEFT JOIN site s ON s.site_id = c.site_id
    LEFT JOIN entry e ON e.entry_id = c.entry_id
    LEFT JOIN LATERAL (
      SELECT a.color, a.reason, a.assigned_at
        FROM code_assignment a
       WHERE a.person_id = c.person_id
       ORDER BY a.assignment_id DESC
       LIMIT 1) f ON true
    LEFT JOIN LATERAL (
      SELECT g.day::date AS day
        FROM pg_catalog.generate_series(d.today::timestamp, (c.release_date - 1)::timestamp,
                                        interval '1 day') AS g(day)
       WHERE quarantine.nat_due_on(coalesce(e.category, 'general'), c.quarantine_start, g.day::date)
       ORDER BY g.day
       LIMIT 1) n ON true
   CROSS JOIN LATERAL (
      SELECT CASE WHEN quarantine.phase_on(c.plan, c.quarantine_start, d.today) = 'centralized'
                  THEN quarantine.home_transfer_eligibility(c.control_id, d.today) END AS e) h
   WHERE quarantine.control_status_open(c.status);
COMMENT ON VIEW today_controls IS
  'Every open control on the local today: person, district, site, day number, phase, isolation end, release date, the feed''s current colour, the next NAT day of its policy, and in a centralized phase the 7+7 home transfer check with the unmet criteria';

-- ---------------------------------------------------------------------------
-- releases_due: released today or tomorrow (and open controls past it)
-- ---------------------------------------------------------------------------
-- The release date is control.release_date, the first free day of the plan
-- (release_date(plan, quarantine_start)).  An open control whose release date
-- has passed is listed as overdue: the district has not ended it yet.
CREATE VIEW releases_due WITH (security_invoker = true) AS
  SELECT CASE WHEN t.release_date < quarantine.local_date(now()) THEN 'overdue'
              WHEN t.release_date = quarantine.local_date(now()) THEN 'today'
              ELSE 'tomorrow' END AS due,
         t.release_date - quarantine.local_date(now()) AS days,
         t.jurisdiction, t.district, t.site_id, t.site, t.control_id, t.person_id, t.name,
         t.status, t.plan, t.quarantine_start, t.day, t.phase, t.isolation_end, t.release_date,
         t.color, t.color_reason
    FROM today_controls t
   WHERE t.release_date <= quarantine.local_date(now()) + 1;
COMMENT ON VIEW releases_due IS
  'Open controls whose release date (the first free day of the plan) is today or tomorrow (due, days = 0 or 1), or already past (overdue, days < 0), with district and site';

-- ---------------------------------------------------------------------------
-- tests_due_today: NAT samples due today under each control's policy
-- ---------------------------------------------------------------------------
-- Due on the days of policy.nat_days (nat_due_on, as nat_due).  site is the
-- hotel where the sample is taken in a centralized phase; NULL when the
-- person is at home (phase says which).  sampled: a NAT sampled on the local
-- today is already on record.
CREATE VIEW tests_due_today WITH (security_invoker = true) AS
  SELECT CASE WHEN x.phase = 'centralized' THEN x.site_id END AS site_id,
         CASE WHEN x.phase = 'centralized' THEN s.name END AS site,
         x.jurisdiction, j.name AS district, x.control_id, x.person_id, p.name,
         quarantine.day_number(x.quarantine_start, x.today) AS day, x.phase,
         EXISTS (SELECT 1 FROM lab_test lt
                  WHERE lt.person_id = x.person_id AND lt.kind = 'nat'
                    AND lt.sampled_at > now() - interval '2 days'
                    AND quarantine.local_date(lt.sampled_at) = x.today) AS sampled
    FROM (SELECT c.control_id, c.person_id, c.site_id, c.quarantine_start, c.jurisdiction, d.today,
                 quarantine.phase_on(c.plan, c.quarantine_start, d.today) AS phase
            FROM control c
           CROSS JOIN (SELECT quarantine.local_date(now()) AS today) d
            LEFT JOIN entry e ON e.entry_id = c.entry_id
           WHERE quarantine.control_status_open(c.status)
             AND quarantine.nat_due_on(coalesce(e.category, 'general'), c.quarantine_start, d.today)) x
    JOIN person p ON p.person_id = x.person_id
    LEFT JOIN jurisdiction j ON j.code = coalesce(x.jurisdiction, p.jurisdiction)
    LEFT JOIN site s ON s.site_id = x.site_id;
COMMENT ON VIEW tests_due_today IS
  'Open controls with a NAT sample due on the local today (policy.nat_days, as nat_due), by hotel (site NULL: at home) and district, and whether a NAT sampled today is on record';

-- ---------------------------------------------------------------------------
-- color_changes_tonight: whose colour changes at the next local midnight
-- ---------------------------------------------------------------------------
-- In 90_code_changes.sql, with the candidate set it shares with refresh_codes.

-- ---------------------------------------------------------------------------
-- Masked variants for analysts (doc/security.md; as src/sql/88_analytics.sql)
-- ---------------------------------------------------------------------------
-- A view with the owner's rights cannot read the views above for an analyst:
-- a security_invoker view checks its tables as the current user even under
-- another view, and code_color and the 7+7 check read the tables as the
-- caller.  So each masked view reads a function that runs with its owner's
-- rights (SECURITY DEFINER, names bound at creation by BEGIN ATOMIC) and
-- returns masked rows only.  The functions live in schema quarantine, which
-- analysts cannot use: they reach them only through the views.  Names are
-- masked (mask_name); no document or phone is returned.
CREATE FUNCTION analytics_today_controls()
RETURNS TABLE (control_id bigint, person_id bigint, name_masked text, jurisdiction text,
               district text, site text, status control_status, plan isolation_plan,
               day integer, phase phase, isolation_end date, release_date date,
               color health_code, color_reason text, next_nat_due date,
               home_eligible boolean, home_unmet text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, quarantine, pg_temp
BEGIN ATOMIC
  SELECT t.control_id, t.person_id, quarantine.mask_name(t.name), t.jurisdiction, t.district,
         t.site, t.status, t.plan, t.day, t.phase, t.isolation_end, t.release_date,
         t.color, t.color_reason, t.next_nat_due, t.home_eligible, t.home_unmet
    FROM quarantine.today_controls t;
END;
COMMENT ON FUNCTION analytics_today_controls() IS
  'quarantine.today_controls of every district with names masked, for quarantine_analytics.today_controls (runs as the owner)';

CREATE FUNCTION analytics_tests_due_today()
RETURNS TABLE (site_id bigint, site text, jurisdiction text, district text, control_id bigint,
               person_id bigint, name_masked text, day integer, phase phase, sampled boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, quarantine, pg_temp
BEGIN ATOMIC
  SELECT t.site_id, t.site, t.jurisdiction, t.district, t.control_id, t.person_id,
         quarantine.mask_name(t.name), t.day, t.phase, t.sampled
    FROM quarantine.tests_due_today t;
END;
COMMENT ON FUNCTION analytics_tests_due_today() IS
  'quarantine.tests_due_today of every district with names masked, for quarantine_analytics.tests_due_today (runs as the owner)';

CREATE FUNCTION analytics_color_changes_tonight()
RETURNS TABLE (person_id bigint, name_masked text, jurisdiction text, district text,
               from_color health_code, from_reason text, to_color health_code, to_reason text,
               at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, quarantine, pg_temp
BEGIN ATOMIC
  SELECT t.person_id, quarantine.mask_name(t.name), t.jurisdiction, t.district,
         t.from_color, t.from_reason, t.to_color, t.to_reason, t.at
    FROM quarantine.color_changes_tonight t;
END;
COMMENT ON FUNCTION analytics_color_changes_tonight() IS
  'quarantine.color_changes_tonight of every district with names masked, for quarantine_analytics.color_changes_tonight (runs as the owner)';

CREATE VIEW quarantine_analytics.today_controls AS
  SELECT * FROM quarantine.analytics_today_controls();
COMMENT ON VIEW quarantine_analytics.today_controls IS
  'Every open control on the local today, every district, names masked (quarantine.today_controls)';
CREATE VIEW quarantine_analytics.tests_due_today AS
  SELECT * FROM quarantine.analytics_tests_due_today();
COMMENT ON VIEW quarantine_analytics.tests_due_today IS
  'NAT samples due on the local today by hotel and district, names masked (quarantine.tests_due_today)';
CREATE VIEW quarantine_analytics.color_changes_tonight AS
  SELECT * FROM quarantine.analytics_color_changes_tonight();
COMMENT ON VIEW quarantine_analytics.color_changes_tonight IS
  'Colour changes at the next local midnight, every district, names masked (quarantine.color_changes_tonight)';

-- ---------------------------------------------------------------------------
-- Grants (after 90_access.sql, which knows nothing of these objects)
-- ---------------------------------------------------------------------------
-- The views: the working roles, under row security; analysts read the
-- masked ones only.  duration_text (57_overdue_tasks.sql) is a pure
-- computation and keeps PUBLIC's EXECUTE.
GRANT SELECT ON today_controls, releases_due, tests_due_today, color_changes_tonight
  TO quarantine_admin, quarantine_operator;
REVOKE EXECUTE ON FUNCTION analytics_today_controls(), analytics_tests_due_today(),
  analytics_color_changes_tonight() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION analytics_today_controls(), analytics_tests_due_today(),
  analytics_color_changes_tonight() TO quarantine_analyst, quarantine_admin;
GRANT SELECT ON quarantine_analytics.today_controls, quarantine_analytics.tests_due_today,
  quarantine_analytics.color_changes_tonight TO quarantine_analyst, quarantine_admin;
