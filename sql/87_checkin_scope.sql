-- Row security on the scan trail (doc/places.md, doc/security.md), as real login roles: an
-- operator reads the scans of the persons of its jurisdictions only, through
-- checkin and through contact_candidates; it cannot write the trail, nor
-- read a day partition directly; an administrator sees every scan.
\set VERBOSITY terse
SET client_min_messages = warning;
SET search_path = quarantine, public;
INSERT INTO jurisdiction (code, name, level) VALUES ('87J1', 'district one', 'district'),
                                                    ('87J2', 'district two', 'district');
CREATE ROLE qt_scan_one LOGIN IN ROLE quarantine_operator;
CREATE ROLE qt_scan_admin LOGIN IN ROLE quarantine_admin;
INSERT INTO operator_scope VALUES ('qt_scan_one', '87J1');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) VALUES
  (87001, 'passport', 'EK8700001', 'CASE ONE', 'CHN', '87J1'),
  (87002, 'passport', 'EK8700002', 'NEIGHBOUR ONE', 'CHN', '87J1'),
  (87003, 'passport', 'EK8700003', 'NEIGHBOUR TWO', 'CHN', '87J2');
INSERT INTO place (place_id, name, location) VALUES (87101, 'Market', 'SRID=4326;POINT(120.65 28.00)');
INSERT INTO checkin VALUES (87001, 87101, now() - interval '1 day'), (87002, 87101, now() - interval '1 day' + interval '20 minutes'),
                           (87003, 87101, now() - interval '1 day' + interval '40 minutes');
SELECT scan_trail_maintenance();
-- A day partition has no grants: only the parent, under its policies, is read.
SELECT count(*) AS partitions_with_grants FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid
 WHERE i.inhparent = 'quarantine.checkin'::regclass AND c.relacl IS NOT NULL;

\c - qt_scan_one
SET search_path = quarantine, public;
SELECT person_id FROM checkin ORDER BY 1;
SELECT person_id, place_id FROM contact_candidates(87001, now() - interval '2 days', now());
INSERT INTO checkin VALUES (87002, 87101, now());
DELETE FROM checkin;
SELECT count(*) FROM checkin_default;
SELECT scan_trail_maintenance();

\c - qt_scan_admin
SET search_path = quarantine, public;
SELECT person_id FROM checkin ORDER BY 1;
SELECT person_id, place_id FROM contact_candidates(87001, now() - interval '2 days', now());

\c - postgres
SET client_min_messages = warning;
DELETE FROM quarantine.checkin WHERE person_id BETWEEN 87001 AND 87003;
DROP OWNED BY qt_scan_one, qt_scan_admin;
DROP ROLE qt_scan_one, qt_scan_admin;
