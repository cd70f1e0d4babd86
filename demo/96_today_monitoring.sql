-- make demo, a district's morning: whose daily health check is missing, the
-- open medical referrals, and yesterday's daily report for the city, with
-- its zero lines (doc/monitoring.md).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

\echo
\echo '== 96 Health checks missing this morning, per district (the first ten of 鹿城区)'
SELECT district, count(*) AS missing, max(days_missing) AS most_days_in_a_row
  FROM health_checks_missing() GROUP BY district ORDER BY district;
SELECT name, site_id, responsible, days_missing
  FROM health_checks_missing() WHERE district = '鹿城区'
 ORDER BY days_missing DESC, person_id LIMIT 10;

\echo
\echo '== 96 Open medical referrals (a fever or a symptom at a check: due at once)'
SELECT t.task_id, p.name, j.name AS district, h.temperature, h.symptoms,
       to_char(t.due_at AT TIME ZONE current_setting('quarantine.timezone'), 'HH24:MI') AS due
  FROM task t JOIN person p USING (person_id)
  LEFT JOIN jurisdiction j ON j.code = t.jurisdiction
  LEFT JOIN LATERAL (SELECT hc.temperature, hc.symptoms FROM health_check hc
                      WHERE hc.person_id = t.person_id AND hc.checked_at = t.issued_at LIMIT 1) h ON true
 WHERE t.module = 'medical_referral' AND t.done_at IS NULL
 ORDER BY t.due_at, t.task_id LIMIT 10;

\echo
\echo '== 96 Yesterday''s daily report for the city: every district, zero lines included'
SELECT jurisdiction, district, new_controls, ended_completed AS ended, sent_to_medical AS medical,
       new_positive_nats AS positives, open_controls AS open, monitored, checks_missing AS missing,
       overdue_tasks AS overdue
  FROM daily_report(local_date(now()) - 1);
\echo
\echo '== 96 鹿城区 submits it: version 1, frozen; a city node publishes it to the province'
SELECT submit_daily_report('330302', local_date(now()) - 1) AS version;
SELECT jurisdiction, version, by_role, monitored, checks_missing FROM daily_report_submission;
