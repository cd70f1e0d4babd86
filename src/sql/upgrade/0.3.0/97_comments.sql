-- Comments cite the doc page or the regulation by its title (issue 23,
-- item 4): the COMMENTs reworded in src/sql/*.sql, and the notes of the
-- shipped rows of policy (src/sql/30_policy.sql).

COMMENT ON TYPE doc_kind IS 'Kind of identity document; local_code is a district-assigned code for a person without a valid document (the district notes)';
COMMENT ON TYPE control_status IS 'Status of a control record (管控库, the district notes): 待分配, 纳入管控, 转医学处理, 结束管控, 退回';
COMMENT ON FUNCTION task_deadline(text, timestamptz) IS
  'Deadline of a task issued at issued_at, local time in quarantine.timezone (the district notes): control -> the first 17:00 strictly after, verification and phone_check -> 12:00 on the next day';
COMMENT ON FUNCTION phone_kind(text) IS
  'Kind of a written telephone number: mobile (mainland 1[3-9] + 9 digits, also +86/0086/86), foreign (another E.164 country code), placeholder (a filler such as 00000000000 or 10000000000, the district notes) or invalid';
COMMENT ON FUNCTION name_key(text) IS
  'Matching key of a personal name (doc/tasks-phones-names.md): full-width folded, blanks and middle dots dropped, Latin letters lower-cased without accents and words sorted';
COMMENT ON TABLE person IS 'Persons, one per normalized identity document (doc/records.md, person_identity)';
COMMENT ON FUNCTION revert_to_centralized(bigint, text) IS
  'The Fujian guideline (八): home isolation that fails verification goes back to centralized for the rest of the plan';
COMMENT ON FUNCTION merge_persons(bigint, bigint) IS
  'Moves every record of person drop to keep, marks drop merged_into keep, records the merge (doc/records.md)';
COMMENT ON VIEW late_registrations IS 'Controls registered on a later local day than their control_start (the district notes: register the same day)';
COMMENT ON VIEW overdue_tasks IS
  'Tasks not done by their deadline (the district notes: control by 17:00, checks by 12:00 next day), with the person''s name and district (person.jurisdiction) and the lateness to the minute (overdue_by) and as text (late, e.g. ''2 h 15 min'')';
COMMENT ON TABLE staff IS
  'High-risk staff of a port city and their families (the port-city notice): the role sets the NAT frequency; closed_loop_start and plan (14 days closed-loop work + 7 centralized + 7 home monitoring) set the rotation';
COMMENT ON COLUMN staff.role IS
  'port_frontline, quarantine_site, designated_hospital, cold_chain: NAT every other day; other_staff: twice a week; family: once a week (the port-city notice 二)';
COMMENT ON COLUMN staff.plan IS 'The rotation, from closed_loop_start (the port-city notice 四: 14+7+7, adjustable locally)';
COMMENT ON FUNCTION nat_proof_valid(bigint, timestamptz, integer) IS
  'Whether the person holds a negative NAT sampled within hours before at, both ends included, reported by at when the report time is known (the port-city notice 五: leaving a land-border port city)';
COMMENT ON FUNCTION code_color(bigint, timestamptz) IS
  'Health-code colour of a person at an instant (first matching rule of doc/health.md), from the records as they are; tests and entries later than at are left out; P0002 for an unknown person';
COMMENT ON TABLE manifest_staging IS
  'COPY target for passenger manifests (doc/import.md): every field text as typed; load_manifest(batch) turns a batch into records';
COMMENT ON FUNCTION load_manifest(text) IS
  'Loads a staged manifest batch (doc/import.md): persons (existing ones reused), entries, pending controls and control/phone_check tasks; bad rows go whole to import_reject; a second load creates nothing new';
COMMENT ON FUNCTION site_before_write() IS
  'Trigger: a site without a jurisdiction takes the smallest unit covering its location (doc/places.md)';
COMMENT ON TABLE place IS 'Venues where persons scan their health code (the Longyan notice): shops, hotels, stations';
COMMENT ON TABLE checkin IS
  'The health-code scan trail (the Longyan notice), partitioned by day; scans older than quarantine.scan_retention_days are dropped by scan_trail_maintenance()';
COMMENT ON SCHEMA quarantine_analytics IS
  'Masked, read-only views for analysts (doc/security.md); the base tables are in schema quarantine';

-- The shipped rows of policy, keyed on category and effective.
UPDATE policy SET note =
  'Inbound arrivals: 14 days centralized isolation from 2020-03-16 (local, then national practice, Beijing first; the Fujian guideline (五), the national plan part 三); release NAT (the Fujian guideline (九))'
  WHERE shipped AND category = 'general' AND effective = '[2020-03-16,2021-05-14)';
UPDATE policy SET note =
  'Close contacts: 14 days centralized medical observation (COVID-19 Prevention and Control Protocol v5-v7, close-contact annex; the national plan (三)4)'
  WHERE shipped AND category = 'close_contact' AND effective = '[2020-03-16,2021-05-14)';
UPDATE policy SET note =
  'Discharged cases: 14 days isolation management and health monitoring after discharge (Health Management Plan for Discharged Patients (trial), 新冠肺炎出院患者健康管理方案; the national plan (三)1), until the class B management plan (乙类乙管) took effect on 2023-01-08'
  WHERE shipped AND category = 'discharged' AND effective = '[2020-03-16,2023-01-08)';
