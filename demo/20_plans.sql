-- make demo: isolation plans and the national policy timeline (doc/plans.md).
\echo
\echo '== 20 The policy timeline shipped with the extension'
SELECT category, plan, effective, nat_days
  FROM policy ORDER BY category, lower(effective);

\echo
\echo '== 20 Which plan applies to an arrival quarantined on a date (symptomatic falls back to general)'
SELECT d AS quarantine_start,
       plan_for('general', d) AS general,
       plan_for('close_contact', d) AS close_contact,
       plan_for('discharged', d) AS discharged,
       plan_for('symptomatic', d) AS symptomatic
  FROM unnest('{2020-03-01,2020-04-01,2021-06-01,2022-07-01,2022-11-20,2023-01-08}'::date[]) AS d;

\echo
\echo '== 20 A 7c+3m quarantine from 2022-07-01 (Protocol v9), day by day'
SELECT d::date AS day, day_number('2022-07-01', d::date) AS day_no,
       phase_on('7c+3m', '2022-07-01', d::date) AS phase,
       day_number('2022-07-01', d::date) = ANY (p.nat_days) AS nat_sample
  FROM generate_series('2022-06-30'::date, '2022-07-11', '1 day') AS d,
       policy p
 WHERE p.category = 'general' AND p.effective @> date '2022-07-01';

\echo
\echo '== 20 Its phases as date ranges, and when isolation and control end'
SELECT w AS phase, phase_range('7c+3m', '2022-07-01', w) AS days
  FROM unnest(enum_range(NULL::phase)) AS w;
SELECT total_days('7c+3m'), isolation_end('7c+3m', '2022-07-01'),
       release_date('7c+3m', '2022-07-01');
