-- quarantine_analytics: what analysts read (doc/security.md).
--
-- Analysts have no access to schema quarantine: no base table, no function
-- that returns a full document number or phone.  These views run with their
-- owner's rights (not security_invoker), so an analyst reads them without
-- reading the tables; every document, name and phone in them goes through
-- mask_doc, mask_name or mask_phone, and sql/88_analytics.sql searches every
-- row of every view for a full document number or phone.  They span every
-- district: the province's analysts see the whole picture, masked.
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).

CREATE FUNCTION mask_doc(kind doc_kind, number text) RETURNS text
  AS 'MODULE_PATHNAME', 'mask_doc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mask_doc(doc_kind, text) IS
  'A document number with its middle hidden: a resident ID keeps its first 6 and last 4 characters, other documents their first and last 2';
CREATE FUNCTION mask_name(name text) RETURNS text
  AS 'MODULE_PATHNAME', 'mask_name' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mask_name(text) IS 'A name with only the first character of each word shown (陈明 -> 陈*)';
CREATE FUNCTION mask_phone(phone text) RETURNS text
  AS 'MODULE_PATHNAME', 'mask_phone' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mask_phone(text) IS 'A phone with all digits but the first 3 and the last 2 hidden';

CREATE SCHEMA quarantine_analytics;
COMMENT ON SCHEMA quarantine_analytics IS
  'Masked, read-only views for analysts (doc/security.md); the base tables are in schema quarantine';

CREATE VIEW quarantine_analytics.persons AS
  SELECT p.person_id, p.doc_kind, quarantine.mask_doc(p.doc_kind, p.doc_no) AS doc_masked,
         quarantine.mask_name(p.name) AS name_masked, p.sex,
         extract(year FROM p.birth_date)::int AS birth_year, p.nationality, p.jurisdiction,
         quarantine.mask_phone(p.phone) AS phone_masked, p.phone_status, p.merged_into
    FROM quarantine.person p;
COMMENT ON VIEW quarantine_analytics.persons IS 'Persons with masked documents, names and phones and the birth year only';

CREATE VIEW quarantine_analytics.controls_by_day AS
  SELECT c.jurisdiction, c.status, quarantine.local_date(c.registered_at) AS day, count(*) AS controls
    FROM quarantine.control c
   GROUP BY 1, 2, 3;
COMMENT ON VIEW quarantine_analytics.controls_by_day IS
  'Controls by district, status and local day of registration';

-- releases_due: the masked copy of quarantine.releases_due, in
-- 93_analytics_questions.sql (it reads the views of 91_today.sql).

CREATE VIEW quarantine_analytics.overdue_tasks AS
  SELECT t.task_id, t.module, t.person_id, quarantine.mask_name(p.name) AS name_masked,
         p.jurisdiction, t.due_at, date_trunc('minute', now() - t.due_at) AS overdue_by,
         quarantine.duration_text(now() - t.due_at) AS late
    FROM quarantine.task t LEFT JOIN quarantine.person p ON p.person_id = t.person_id
   WHERE t.done_at IS NULL AND t.due_at < now();
COMMENT ON VIEW quarantine_analytics.overdue_tasks IS
  'Tasks not done by their deadline, with the person''s district; lateness to the minute (overdue_by) and as text (late, e.g. ''2 h 15 min'')';

CREATE VIEW quarantine_analytics.color_distribution AS
  SELECT p.jurisdiction, coalesce(l.color, 'green') AS color, coalesce(l.reason, 'clear') AS reason,
         count(*) AS persons
    FROM quarantine.person p
    LEFT JOIN LATERAL (SELECT a.color, a.reason FROM quarantine.code_assignment a
                        WHERE a.person_id = p.person_id
                        ORDER BY a.assignment_id DESC LIMIT 1) l ON true
   WHERE p.merged_into IS NULL
   GROUP BY 1, 2, 3;
COMMENT ON VIEW quarantine_analytics.color_distribution IS
  'Persons by district and current health-code colour and reason (no feed row: green, clear)';

CREATE VIEW quarantine_analytics.occupancy AS
  SELECT * FROM quarantine.site_occupancy;
COMMENT ON VIEW quarantine_analytics.occupancy IS
  'Isolation sites with the beds held on the local today (pending and under_control controls in their centralized phase) and free beds (quarantine.site_occupancy)';
