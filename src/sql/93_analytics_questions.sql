-- Settings readable in every session, and the masked answers to an
-- analyst's questions (doc/security.md, "What an analyst reads").
--
-- This fragment can run again over an installed database (CREATE OR
-- REPLACE, GRANT, COMMENT): the 0.2.0 -> 0.3.0 upgrade lists it after a
-- delta that drops what changed shape (upgrade/0.3.0/90_analytics.sql).

-- ---------------------------------------------------------------------------
-- Settings
-- ---------------------------------------------------------------------------
-- A C function, so that reading a setting loads the library that defines it
-- (src/settings.c); current_setting() alone fails until then.
CREATE OR REPLACE FUNCTION setting(name text) RETURNS text
  AS 'MODULE_PATHNAME', 'quarantine_setting' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION setting(text) IS
  'The current value of a quarantine.* setting, in any session (current_setting fails until the extension''s library is loaded)';

-- Two statements, run in turn: the first loads the library, so that the
-- second finds every quarantine.* setting in pg_settings.  Bound at creation
-- (BEGIN ATOMIC), so a caller without USAGE on schema quarantine (an
-- analyst, through quarantine_analytics.settings) can run it.
CREATE OR REPLACE FUNCTION settings()
RETURNS TABLE (name text, setting text, unit text, context text, description text)
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT quarantine.setting('quarantine.timezone');
  SELECT s.name, s.setting, s.unit, s.context, s.short_desc
    FROM pg_catalog.pg_settings s
   WHERE s.name OPERATOR(pg_catalog.~~) 'quarantine.%'
   ORDER BY s.name;
END;
COMMENT ON FUNCTION settings() IS
  'Every quarantine.* setting with its value, unit, who may change it (context: superuser = an administrator with SET granted, user = any session) and what it does';

-- Settings are no secret: anybody may SHOW them once the library is loaded.
GRANT EXECUTE ON FUNCTION setting(text), settings() TO PUBLIC;

CREATE OR REPLACE VIEW quarantine_analytics.settings AS
  SELECT * FROM quarantine.settings();
COMMENT ON VIEW quarantine_analytics.settings IS
  'The extension''s settings (quarantine.settings()), for analysts who cannot use schema quarantine';

-- ---------------------------------------------------------------------------
-- An analyst's questions, masked (the conventions of 88_analytics.sql and of
-- the masked variants in 91_today.sql: a view that must read a
-- security_invoker view or a function that reads tables goes through a
-- SECURITY DEFINER function with a pinned path whose body is bound at
-- creation; names masked; no document or phone).
-- ---------------------------------------------------------------------------

-- releases_due: the masked copy of quarantine.releases_due, row for row.
CREATE OR REPLACE FUNCTION analytics_releases_due()
RETURNS TABLE (due text, days integer, jurisdiction text, district text, site_id bigint,
               site text, control_id bigint, person_id bigint, name_masked text,
               status control_status, plan isolation_plan, quarantine_start date, day integer,
               phase phase, isolation_end date, release_date date, color health_code,
               color_reason text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, quarantine, pg_temp
BEGIN ATOMIC
  SELECT r.due, r.days, r.jurisdiction, r.district, r.site_id, r.site, r.control_id,
         r.person_id, quarantine.mask_name(r.name), r.status, r.plan, r.quarantine_start,
         r.day, r.phase, r.isolation_end, r.release_date, r.color, r.color_reason
    FROM quarantine.releases_due r;
END;
COMMENT ON FUNCTION analytics_releases_due() IS
  'quarantine.releases_due of every district with names masked, for quarantine_analytics.releases_due (runs as the owner)';

CREATE OR REPLACE VIEW quarantine_analytics.releases_due AS
  SELECT * FROM quarantine.analytics_releases_due();
COMMENT ON VIEW quarantine_analytics.releases_due IS
  'quarantine.releases_due of every district, names masked: open controls released today or tomorrow (due, days 0 or 1) or past their release date (overdue, days < 0); status says which are still pending or in medical care';

-- Arrivals per local day by port kind and the person's district.
CREATE OR REPLACE VIEW quarantine_analytics.arrivals_by_day AS
  SELECT quarantine.local_date(e.entered_at) AS day, e.port_kind, p.jurisdiction,
         j.name AS district, count(*) AS arrivals
    FROM quarantine.entry e
    JOIN quarantine.person p ON p.person_id = e.person_id
    LEFT JOIN quarantine.jurisdiction j ON j.code = p.jurisdiction
   GROUP BY 1, 2, 3, 4;
COMMENT ON VIEW quarantine_analytics.arrivals_by_day IS
  'Border crossings by local day of entry, port kind (air, land, sea) and the person''s district (NULL: no district yet)';

-- Staff overdue for a NAT, one row each (quarantine.staff_tests_due).
CREATE OR REPLACE FUNCTION analytics_staff_tests_overdue()
RETURNS TABLE (person_id bigint, name_masked text, role text, employer text,
               jurisdiction text, district text, last_sample date, next_due date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, quarantine, pg_temp
BEGIN ATOMIC
  SELECT s.person_id, quarantine.mask_name(p.name), s.role, s.employer, p.jurisdiction,
         j.name, s.last_sample, s.next_due
    FROM quarantine.staff_tests_due s
    JOIN quarantine.person p ON p.person_id = s.person_id
    LEFT JOIN quarantine.jurisdiction j ON j.code = p.jurisdiction
   WHERE s.overdue;
END;
COMMENT ON FUNCTION analytics_staff_tests_overdue() IS
  'quarantine.staff_tests_due''s overdue rows of every district with names masked, for quarantine_analytics.staff_tests_overdue (runs as the owner)';

CREATE OR REPLACE VIEW quarantine_analytics.staff_tests_overdue AS
  SELECT * FROM quarantine.analytics_staff_tests_overdue();
COMMENT ON VIEW quarantine_analytics.staff_tests_overdue IS
  'High-risk staff overdue for a NAT on the local today: role, employer, district, last sample day, the day the next NAT was due (NULL: no NAT on record)';

-- Duplicate candidates waiting for a decision, both persons masked.
CREATE OR REPLACE VIEW quarantine_analytics.duplicate_candidates_waiting AS
  SELECT d.person_id, quarantine.mask_name(a.name) AS name_masked, a.jurisdiction,
         ja.name AS district, d.other_id, quarantine.mask_name(b.name) AS other_name_masked,
         b.jurisdiction AS other_jurisdiction, jb.name AS other_district, d.reason, d.score,
         d.found_at
    FROM quarantine.duplicate_candidate d
    JOIN quarantine.person a ON a.person_id = d.person_id
    JOIN quarantine.person b ON b.person_id = d.other_id
    LEFT JOIN quarantine.jurisdiction ja ON ja.code = a.jurisdiction
    LEFT JOIN quarantine.jurisdiction jb ON jb.code = b.jurisdiction
   WHERE d.resolution IS NULL;
COMMENT ON VIEW quarantine_analytics.duplicate_candidates_waiting IS
  'Possible duplicate persons not yet resolved (merged or distinct), with both persons'' districts, the reason and the score';

-- Contacts of a case: a case is a person with a positive NAT; the window is
-- the quarantine.observation_days before the first positive sample, up to
-- that sample; the contacts are contact_candidates' (same venue within an
-- hour, doc/places.md).
CREATE OR REPLACE FUNCTION analytics_case_contacts()
RETURNS TABLE (case_id bigint, case_jurisdiction text, case_district text, positive_at timestamptz,
               contact_id bigint, contact_name_masked text, contact_jurisdiction text,
               contact_district text, place_id bigint, at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, quarantine, pg_temp
BEGIN ATOMIC
  SELECT k.person_id, cp.jurisdiction, cj.name, k.positive_at, c.person_id,
         quarantine.mask_name(op.name), op.jurisdiction, oj.name, c.place_id, c.at
    FROM (SELECT t.person_id, min(t.sampled_at) AS positive_at
            FROM quarantine.lab_test t
           WHERE t.result = 'positive'
           GROUP BY t.person_id) k
    JOIN quarantine.person cp ON cp.person_id = k.person_id
    LEFT JOIN quarantine.jurisdiction cj ON cj.code = cp.jurisdiction
   CROSS JOIN LATERAL quarantine.contact_candidates(
           k.person_id,
           k.positive_at - pg_catalog.make_interval(
             days => quarantine.setting('quarantine.observation_days')::integer),
           k.positive_at) c
    JOIN quarantine.person op ON op.person_id = c.person_id
    LEFT JOIN quarantine.jurisdiction oj ON oj.code = op.jurisdiction;
END;
COMMENT ON FUNCTION analytics_case_contacts() IS
  'Contacts of every case (a person with a positive NAT) in the observation window before the first positive sample, names masked, for quarantine_analytics.case_contacts (runs as the owner)';

CREATE OR REPLACE VIEW quarantine_analytics.case_contacts AS
  SELECT * FROM quarantine.analytics_case_contacts();
COMMENT ON VIEW quarantine_analytics.case_contacts IS
  'Persons who scanned at a venue of a case (a person with a positive NAT) within an hour of the case, in the quarantine.observation_days before the case''s first positive sample: case and contact with their districts, the place and the contact''s scan time';

-- Grants: the functions are reached only through the views (schema
-- quarantine is closed to analysts); the views as 90_access.sql grants the
-- schema's views.
REVOKE EXECUTE ON FUNCTION analytics_releases_due(), analytics_staff_tests_overdue(),
  analytics_case_contacts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION analytics_releases_due(), analytics_staff_tests_overdue(),
  analytics_case_contacts() TO quarantine_analyst, quarantine_admin;
GRANT SELECT ON quarantine_analytics.settings, quarantine_analytics.releases_due,
  quarantine_analytics.arrivals_by_day, quarantine_analytics.staff_tests_overdue,
  quarantine_analytics.duplicate_candidates_waiting, quarantine_analytics.case_contacts
  TO quarantine_analyst, quarantine_admin;
