-- make demo, a district's day: the morning task list with its deadlines
-- (doc/tasks-phones-names.md: the control list by 17:00, checks by 12:00 the next day).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

\echo
\echo '== 91 The morning task list: what is late, per district (overdue_tasks)'
SELECT district, count(*) AS overdue, count(*) FILTER (WHERE module = 'control') AS control,
       count(*) FILTER (WHERE module = 'phone_check') AS phone_check,
       count(*) FILTER (WHERE module = 'verification') AS verification, max(late) AS latest
  FROM overdue_tasks GROUP BY district ORDER BY overdue DESC, district LIMIT 6;

\echo
\echo '== 91 鹿城区''s oldest ten, with the lateness in words'
SELECT task_id, module, name,
       to_char(due_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI') AS deadline, late
  FROM overdue_tasks WHERE district = '鹿城区' ORDER BY due_at, task_id LIMIT 10;

\echo
\echo '== 91 ... and what falls due in the next 24 hours, by module and deadline'
SELECT t.module, to_char(t.due_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI') AS deadline,
       count(*) AS open_tasks, duration_text(min(t.due_at) - now()) AS time_left
  FROM task t
 WHERE t.done_at IS NULL AND t.due_at >= now()
   AND t.due_at <= now() + interval '24 hours'
 GROUP BY t.module, t.due_at ORDER BY t.due_at, t.module;
