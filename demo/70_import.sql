-- make demo: the charter flight's police list imported around 14:00 (doc/import.md;
-- 包机人员录入), after the district sample of demo/50_records.sql.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- demo/50_records.sql writes its sample rows with explicit ids; move the
-- identity counters past them before the import takes ids of its own.
SELECT count(setval(pg_get_serial_sequence('quarantine.' || t, c), m)) AS counters_moved
  FROM (VALUES ('person', 'person_id', (SELECT max(person_id) FROM person)),
               ('entry', 'entry_id', (SELECT max(entry_id) FROM entry)),
               ('control', 'control_id', (SELECT max(control_id) FROM control))) v(t, c, m)
 WHERE m IS NOT NULL \gset

\echo
-- The flight landed yesterday (local time), so that the import's tasks fall
-- due around today as they would in a district's day; the batch is named
-- after the flight and the day (tools/gen-manifest's default).
SELECT 'CA9015-' || (local_date(now()) - 1) AS batch, (local_date(now()) - 1) || ' 14:20' AS landed \gset
\echo
\echo '== 70 Bulk import: the police list of charter flight CA9015 from Milan, landed yesterday,'
\echo '   300 passengers, staged as it came (tools/gen-manifest writes a realistic one)'
\copy manifest_staging FROM PROGRAM 'tools/gen-manifest -n 300 -f CA9015 -d "$(TZ=Asia/Shanghai date -d yesterday +%F)"' WITH (FORMAT csv, HEADER)
SELECT row_no, name, doc_kind, doc_no, nationality AS nat, birth_date, phone, seat
  FROM manifest_staging WHERE batch = :'batch' ORDER BY row_no LIMIT 5;

-- Two passengers the district already knows (demo/50_records.sql): ZHOU LIN,
-- pending since this morning, and the resident 周林锋.
INSERT INTO manifest_staging (batch, row_no, name, doc_kind, doc_no, nationality, sex, birth_date,
                              phone, flight, seat, entered_at, port, site, jurisdiction) VALUES
  (:'batch', 302, 'ZHOU LIN', 'passport', 'E70012345', 'CHN', NULL, NULL, '11111111111',
   'CA9015', '33C', :'landed', 'WNZ', 'Lucheng Hotel (isolation site 1)', '330302'),
  (:'batch', 303, '周林锋', '身份证', '330324199003071352', 'CHN', '男', '1990-03-07', '11111111111',
   'CA9015', '33D', :'landed', 'WNZ', 'Lucheng Hotel (isolation site 1)', '330302');

\echo
\echo '== 70 Load it: persons, entries, pending controls (待分配) and tasks; bad rows set aside;'
\echo '   duplicates = rows whose person the district already had'
SELECT * FROM load_manifest(:'batch');

\echo
\echo '== 70 The rejects, whole, with the rule a case system switches on'
SELECT row_no, rule, message, row->>'name' AS name
  FROM import_reject WHERE batch = :'batch' ORDER BY row_no;

\echo
\echo '== 70 The hotel list the district works through by 17:00'
SELECT c.control_id, p.name, e.seat, s.name AS site, c.status, c.plan, p.phone_status
  FROM import_accept a JOIN person p USING (person_id) JOIN entry e USING (entry_id)
  JOIN control c USING (control_id) LEFT JOIN site s ON s.site_id = c.site_id
 WHERE a.batch = :'batch' ORDER BY a.row_no LIMIT 8;

\echo
\echo '== 70 Tasks of the import: assign by the next 17:00, check the phones by 12:00 tomorrow (local time)'
SELECT t.module, p.phone_status, count(*) AS tasks,
       to_char(min(t.due_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS due_local
  FROM import_accept a JOIN task t USING (person_id) JOIN person p USING (person_id)
 WHERE a.batch = :'batch'
 GROUP BY t.module, p.phone_status ORDER BY t.module, p.phone_status;

\echo
\echo '== 70 Loading the same list again creates nothing; per batch:'
SELECT * FROM load_manifest(:'batch');
SELECT batch, staged, accepted, reused, rejected FROM import_summary ORDER BY batch;
