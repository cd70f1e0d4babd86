-- overdue_tasks: the province's tasks past their deadline (doc/tasks-phones-names.md, the district notes),
-- with the person's name and district and a lateness a person reads.
--
-- A 0.1.0 view: this fragment is also part of the 0.1.0 -> 0.2.0 upgrade
-- (src/sql/upgrade/ links it), so it only ever appends columns to the 0.1.0
-- ones (CREATE OR REPLACE VIEW keeps their names and types): overdue_by stays
-- an interval, now cut to the minute; name, jurisdiction, district and late
-- come after it.  CREATE OR REPLACE resets the view's options, so
-- security_invoker is set here too (90_access.sql sets it as well, later).
--
-- A task exactly at its deadline (due_at = now()) is not overdue yet: the
-- deadline is the last instant the task may be done (task_deadline: "by
-- 17:00").  Served by the partial index task_open_due (due_at) WHERE done_at
-- IS NULL.

CREATE OR REPLACE FUNCTION duration_text(span interval) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT pg_catalog.concat_ws(' ',
           CASE WHEN m.minutes >= 1440 THEN (m.minutes / 1440)::text || ' d' END,
           CASE WHEN m.minutes % 1440 >= 60 THEN (m.minutes % 1440 / 60)::text || ' h' END,
           (m.minutes % 60)::text || ' min')
    FROM (SELECT pg_catalog.div(pg_catalog.date_part('epoch', duration_text.span)::numeric, 60)::bigint
                 AS minutes) m;
END;
COMMENT ON FUNCTION duration_text(interval) IS
  'A non-negative span as a person reads it, cut to the minute: ''2 h 15 min'', ''1 d 5 min'' (days and hours only when not zero), ''0 min'' under a minute';

CREATE OR REPLACE VIEW overdue_tasks WITH (security_invoker = true) AS
  SELECT t.task_id, t.module, t.person_id, t.issued_at, t.due_at,
         pg_catalog.date_trunc('minute', now() - t.due_at) AS overdue_by,
         p.name, p.jurisdiction, j.name AS district,
         quarantine.duration_text(now() - t.due_at) AS late
    FROM task t
    LEFT JOIN person p ON p.person_id = t.person_id
    LEFT JOIN jurisdiction j ON j.code = p.jurisdiction
   WHERE t.done_at IS NULL AND t.due_at < now();
COMMENT ON VIEW overdue_tasks IS
  'Tasks not done by their deadline (the district notes: control by 17:00, checks by 12:00 next day), with the person''s name and district (person.jurisdiction) and the lateness to the minute (overdue_by) and as text (late, e.g. ''2 h 15 min'')';
