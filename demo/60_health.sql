-- make demo: health-code colours of the district sample loaded by
-- 50_records.sql (doc/health.md), the feed to the health-code platform, and the
-- high-risk staff of a port city (doc/health.md).  The sample's persons
-- are 20001 to 20008; the listings leave out the 10,000 generated ones.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

\echo
\echo '== 60 Health codes of the sample right now: the first rule of doc/health.md that matches'
SELECT p.person_id, p.name, e.category, c.status, c.plan,
       day_number(c.quarantine_start, local_date(now())) AS day, k.color, k.reason
  FROM person p
  LEFT JOIN entry e ON e.person_id = p.person_id
  LEFT JOIN control c ON c.entry_id = e.entry_id
 CROSS JOIN LATERAL code_color(p.person_id) k
 WHERE p.person_id > 20000
 ORDER BY p.person_id;

\echo
\echo '== 60 The feed to the health-code platform: each change of colour, appended by the'
\echo '   statement triggers as the records above were written (arrival, control, medical round trip)'
SELECT assignment_id, person_id, color, reason, to_char(assigned_at, 'YYYY-MM-DD HH24:MI') AS assigned_at
  FROM code_assignment WHERE person_id > 20000 ORDER BY assignment_id;

\echo
\echo '== 60 A port worker on the 14+7+7 rotation and his wife join the staff list;'
\echo '   he was tested yesterday and the day before, she nine days ago'
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, phone, jurisdiction) VALUES
  (20007, 'resident_id', '330302198811230013', '林海', 'CHN', '13957700001', '330302'),
  (20008, 'resident_id', '330302199002140020', '郑丽', 'CHN', '13957700002', '330302');
INSERT INTO staff (person_id, role, employer, closed_loop_start) VALUES
  (20007, 'port_frontline', 'Wenzhou Longwan airport, arrivals hall', local_date(now()) - 4),
  (20008, 'family', NULL, NULL);
INSERT INTO lab_test (person_id, kind, sampled_at, result, reported_at) VALUES
  (20007, 'nat', now() - interval '2 days', 'negative', now() - interval '2 days' + interval '8 hours'),
  (20007, 'nat', now() - interval '1 day', 'negative', now() - interval '1 day' + interval '8 hours'),
  (20008, 'nat', now() - interval '9 days', 'negative', now() - interval '9 days' + interval '8 hours');
SELECT person_id, role, last_sample, previous_sample, next_due, overdue,
       nat_proof_valid(person_id, now()) AS may_leave
  FROM staff_tests_due WHERE person_id > 20000 ORDER BY person_id;

\echo
\echo '== 60 The platform view (health_code_current): the sample''s persons whose code is not green'
SELECT person_id, doc_kind, mask(doc_no::cnid) AS doc_no, name, color, reason
  FROM health_code_current WHERE doc_kind = 'resident_id' AND person_id > 20000
UNION ALL
SELECT person_id, doc_kind, doc_no, name, color, reason
  FROM health_code_current WHERE doc_kind <> 'resident_id' AND person_id > 20000
 ORDER BY person_id;

\echo
\echo '== 60 What time alone changes: the sample''s colours today, in 7 and in 14 days'
\echo '   (code_color(person, at) writes nothing; refresh_codes() appends at now() only)'
SELECT 'now' AS at, refresh_codes() AS rows_added;
SELECT p.person_id, (code_color(p.person_id, now())).color AS today,
       (code_color(p.person_id, now() + interval '7 days')).color AS in_7_days,
       (code_color(p.person_id, now() + interval '14 days')).color AS in_14_days
  FROM person p WHERE p.person_id > 20000 ORDER BY p.person_id;
