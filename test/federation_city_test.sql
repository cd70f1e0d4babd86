-- Federation (doc/federation.md) on one server, a city: key range,
-- publications, task outcomes.  Three real clusters replicating are
-- t/001_province.pl.  Everything here is rolled back (key ranges too).
BEGIN;
SELECT plan(5);
-- (no wal_level warning: this cluster does not replicate)
SET LOCAL client_min_messages = error;

INSERT INTO jurisdiction (code, name, parent, level) VALUES
  ('FD0300', 'Fed city', NULL, 'city'), ('FD0302', 'Fed district', 'FD0300', 'district');
SELECT federation_setup_city(2, 'FD0300');
INSERT INTO person (doc_kind, doc_no, name, nationality, phone, home_address)
VALUES ('passport', 'EFED00003', 'ZHAO LEI', 'CHN', '13857700003', 'somewhere');
SELECT is((SELECT max(person_id) FROM person), 2000000000001::bigint,
          'a city''s first key is the first of its range');
SELECT federation_setup_city(2, 'FD0300');
INSERT INTO person (doc_kind, doc_no, name, nationality) VALUES ('passport', 'EFED00004', 'QIAN LEI', 'CHN');
SELECT is((SELECT max(person_id) FROM person), 2000000000002::bigint,
          'a second set-up keeps the keys already generated');
SELECT is((SELECT array_agg(tablename::text ORDER BY tablename) FROM pg_publication_tables
            WHERE pubname = 'quarantine_to_province'),
          '{control,control_event,daily_report_submission,entry,lab_test,person,site,staff,task_outcome,verification}',
          'the city publishes its records, sites, staff and task outcomes to the province');
SELECT is((SELECT ARRAY['phone', 'home_address', 'home_location']::name[] && attnames FROM pg_publication_tables
            WHERE pubname = 'quarantine_to_province' AND tablename = 'person'),
          false, 'no phone number or home address leaves the city');
INSERT INTO task (task_id, module, person_id, issued_at, jurisdiction)
VALUES (1000000000007, 'phone_check', 2000000000001, '2021-07-10 14:00+08', 'FD0302');
UPDATE task SET done_at = '2021-07-10 15:00+08', outcome = 'reached' WHERE task_id = 1000000000007;
SELECT is((SELECT outcome || ' ' || reported_by FROM task_outcome WHERE task_id = 1000000000007),
          'reached ' || current_user, 'a local outcome is recorded for the province, with who wrote it');
SELECT * FROM finish();
ROLLBACK;
