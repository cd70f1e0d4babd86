-- 0.3.0: every task in a district (task_before_write fills task.jurisdiction
-- from the person's open control, else the person, on insert).  Tasks written
-- before 0.3.0 got none (on a city node nothing filled it): fill them the
-- same way, once.  Daily health monitoring itself is 93_monitoring.sql,
-- listed after this file, and the city's publication 92_federation_city.sql.
UPDATE quarantine.task t
   SET jurisdiction = coalesce(
         (SELECT c.jurisdiction FROM quarantine.control c
           WHERE c.person_id = t.person_id AND quarantine.control_status_open(c.status)
             AND c.jurisdiction IS NOT NULL LIMIT 1),
         (SELECT p.jurisdiction FROM quarantine.person p WHERE p.person_id = t.person_id))
 WHERE t.jurisdiction IS NULL AND t.person_id IS NOT NULL;
