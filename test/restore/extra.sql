-- Writes that tools/generate.sql does not make, so that every table of the
-- extension holds rows before the round trip of run_restore
-- (tools/pg-harness): boundaries, a provincial policy row, an operator's
-- scope, status changes (control_event), a merge and duplicate candidates,
-- staged and manifest loads with rejects, a task outcome and the federation
-- set-up of a city.  Through the API, as a district would write them.
\set ON_ERROR_STOP on
SET client_min_messages = error;
SET search_path = quarantine, public;

-- A district's boundary (the site and person triggers place by it).
UPDATE jurisdiction
   SET boundary = ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(120.655, 28.015), 4326)::geography, 6000)::geometry)::geography
 WHERE code = '330302';

-- A provincial policy row beside the shipped ones (it travels in the dump).
INSERT INTO policy (category, plan, effective, nat_days, note)
VALUES ('general', '14c', '[2030-01-01,2030-02-01)', '{1,7,14}', 'A provincial rule, for the restore test');

-- An operator's scope.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'restore_operator') THEN
    CREATE ROLE restore_operator NOLOGIN IN ROLE quarantine_operator;
  END IF;
END
$$;
INSERT INTO operator_scope (role_name, jurisdiction) VALUES ('restore_operator', '330302');

-- Two registrations of one traveller: a duplicate candidate, then the merge.
INSERT INTO person (doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction) VALUES
  ('passport', 'E90000001', 'QIAN DUO', 'F', '1985-03-04', 'CHN', '330302'),
  ('passport', 'E90000002', 'QIAN  DUO', 'F', '1985-03-04', 'CHN', '330302');
SELECT merge_persons(min(person_id), max(person_id))
  FROM person WHERE doc_no IN ('E90000001', 'E90000002');

-- Status changes write control_event: the open controls of the first ten
-- persons under control get a note.
SET quarantine.event_note = 'restore test';
SELECT correct_control_start(c.control_id, c.control_start + interval '1 minute', 'restore test: clock of the site')
  FROM (SELECT control_id, control_start FROM control
         WHERE control_start IS NOT NULL AND status = 'under_control'
         ORDER BY control_id LIMIT 10) c;
RESET quarantine.event_note;

-- A staged file with good and bad rows (load_staged: import_reject, load_accept).
INSERT INTO person_staging (batch, row_no, doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction) VALUES
  ('restore-1', 1, 'passport', 'E91000001', 'LI HUA', 'F', '1988-04-12', 'CHN', '330302'),
  ('restore-1', 2, 'resident_id', '110102199101010072', 'WANG QIANG', NULL, NULL, NULL, '330302'),
  ('restore-1', 3, 'passport', 'E91000003', 'SUN LI', 'F', NULL, NULL, '330302');
SELECT * FROM load_staged('person', 'restore-1');
INSERT INTO lab_test_staging (batch, row_no, person_id, kind, sampled_at, result)
SELECT 'restore-2', 1, person_id::text, 'nat', '2099-01-01 08:00+08', 'negative'
  FROM person WHERE doc_no = 'E91000001';
SELECT * FROM load_staged('lab_test', 'restore-2');
INSERT INTO entry_staging (batch, row_no, person_id, entered_at, port_kind, port)
SELECT 'restore-3', 1, person_id::text, now()::text, 'air', 'WNZ'
  FROM person WHERE doc_no = 'E91000001';
SELECT * FROM load_staged('entry', 'restore-3');
INSERT INTO control_staging (batch, row_no, person_id, entry_id, jurisdiction)
SELECT 'restore-4', 1, e.person_id::text, e.entry_id::text, '330302'
  FROM entry e JOIN person p USING (person_id) WHERE p.doc_no = 'E91000001';
SELECT * FROM load_staged('control', 'restore-4');

-- A charter flight's manifest with a bad row (load_manifest: import_accept).
INSERT INTO manifest_staging (batch, row_no, name, doc_kind, doc_no, nationality, sex, birth_date,
                              phone, flight, seat, entered_at, port, site, jurisdiction)
SELECT 'CA939-restore', 1, 'ROSSI MARIO', 'passport', 'YA9234567', 'ITA', 'M', '1980-01-02', '11111111111',
       'CA939', '12A', '2020-04-26 13:20', 'WNZ', s.name, '330302'
  FROM (SELECT name FROM site WHERE kind = 'hotel' AND jurisdiction = '330302' ORDER BY site_id LIMIT 1) s
UNION ALL
SELECT 'CA939-restore', 2, 'BAD ROW', 'passport', '', 'ITA', 'M', '1980-01-02', NULL,
       'CA939', '12B', '2020-04-26 13:20', 'WNZ', s.name, '330302'
  FROM (SELECT name FROM site WHERE kind = 'hotel' AND jurisdiction = '330302' ORDER BY site_id LIMIT 1) s;
SELECT * FROM load_manifest('CA939-restore');

-- This database is the city node 7 of a federation: its key range, its
-- publications, the task-outcome trigger; a task done writes task_outcome.
SELECT federation_setup_city(7, '330300');
UPDATE task SET done_at = now(), outcome = 'reached'
 WHERE task_id = (SELECT min(task_id) FROM task WHERE done_at IS NULL);
-- Keys generated after the set-up lie in the node's range.
INSERT INTO person (doc_kind, doc_no, name, nationality, jurisdiction)
VALUES ('passport', 'E92000001', 'ZHOU LIN', 'CHN', '330302');

SELECT refresh_codes() >= 0 AS refreshed;

-- A district's daily report of yesterday, submitted (doc/monitoring.md).
SELECT submit_daily_report('330302', local_date(now()) - 1) AS version;
-- Port-city measures (doc/ports.md): an outbreak area, an admin's circuit
-- breaker row, a call of the verification service (which makes its secret).
INSERT INTO outbreak_area (kind, boundary, declared_at, reason)
VALUES ('point', 'SRID=4326;MULTIPOLYGON(((120.65 28.01,120.66 28.01,120.66 28.02,120.65 28.02,120.65 28.01)))',
        '2021-06-20 12:00+08', 'restore test');
INSERT INTO circuit_breaker_policy (effective, min_positives, suspend_days, note)
VALUES ('[2023-01-01,2023-02-01)', 3, 7, 'restore test: a local row');
SELECT in_observation IS NOT NULL AS answered FROM inbound_status('passport', 'E92000001', 'CHN');
-- People and goods (doc/ports.md): a cold-chain lot released from its
-- warehouse after a disinfection and a negative sample.
INSERT INTO site (name, kind) VALUES ('restore cold store', 'other'), ('restore hall', 'other');
INSERT INTO goods_lot (product, arrived_at, cold_chain, warehouse)
SELECT 'frozen shrimp', '2021-06-01 08:00+08', true, site_id FROM site WHERE name = 'restore cold store';
INSERT INTO disinfection (lot_id, at, by_role)
SELECT lot_id, '2021-06-02 08:00+08', 'warehouse crew' FROM goods_lot WHERE product = 'frozen shrimp';
INSERT INTO env_sample (subject, lot_id, sampled_at, result)
SELECT 'package', lot_id, '2021-06-02 09:00+08', 'negative' FROM goods_lot WHERE product = 'frozen shrimp';
INSERT INTO lot_movement (lot_id, from_site, to_site, moved_at)
SELECT g.lot_id, g.warehouse, s.site_id, '2021-06-03 08:00+08'
  FROM goods_lot g, site s WHERE g.product = 'frozen shrimp' AND s.name = 'restore hall';
