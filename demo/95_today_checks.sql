-- make demo, a district's day: what the consistency checks found, and a bad
-- write refused with the rule name a case system switches on.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

\echo
\echo '== 95 Consistency checks: verification records needing attention'
SELECT v.issue, p.name, v.detail
  FROM verification_issues v JOIN person p USING (person_id) ORDER BY v.issue, p.name LIMIT 10;

\echo
\echo '== 95 Controls registered on a later day than control started (it should be the same day)'
SELECT l.control_id, p.name, l.days_late
  FROM late_registrations l JOIN person p USING (person_id) ORDER BY l.control_id LIMIT 10;

\echo
\echo '== 95 Possible duplicate persons for review (never merged silently)'
SELECT p.name, o.name AS resembles, round(d.score::numeric, 2) AS score, d.reason
  FROM duplicate_candidate d JOIN person p ON p.person_id = d.person_id
  JOIN person o ON o.person_id = d.other_id
 WHERE d.resolution IS NULL ORDER BY d.score DESC, p.name LIMIT 10;

\echo
\echo '== 95 A loader ends as completed a control still in its first week: refused; the'
\echo '   CONSTRAINT NAME line carries the rule (control_end) a case system switches on'
SELECT control_id AS bad_control_id FROM today_controls
 WHERE phase = 'centralized' AND day BETWEEN 2 AND 7 ORDER BY day, control_id LIMIT 1 \gset
\set ON_ERROR_STOP 0
\set VERBOSITY verbose
\set SHOW_CONTEXT never
UPDATE control SET status = 'ended', end_reason = 'completed' WHERE control_id = :bad_control_id;
\set VERBOSITY default
\set ON_ERROR_STOP 1
