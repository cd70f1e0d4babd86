-- The digest of what tools/generate.sql wrote (tools/pg-harness run_generate):
-- every generated column of every table, in key order; the columns the
-- database fills from the clock (created_at, registered_at) and the feed
-- (computed at the wall-clock time of the load) are left out.
SET search_path = quarantine, public;
SELECT md5(string_agg(t, E'\n' ORDER BY ord)) AS digest FROM (
  SELECT 1 AS ord, string_agg(format('%s', (p.person_id, p.doc_kind, p.doc_no, p.name, p.sex, p.birth_date, p.nationality,
                                          p.phone, p.phone_status, p.jurisdiction, p.home_address)), ',' ORDER BY p.person_id) AS t
    FROM person p
  UNION ALL
  SELECT 2, string_agg(format('%s', (e.entry_id, e.person_id, e.entered_at, e.port_kind, e.port, e.flight, e.seat, e.origin_country,
                                     e.temperature, e.symptoms, e.port_nat_result, e.close_contact, e.category, e.exempt_reason)), ',' ORDER BY e.entry_id)
    FROM entry e
  UNION ALL
  SELECT 3, string_agg(format('%s', (c.control_id, c.person_id, c.entry_id, c.jurisdiction, c.status, c.plan, c.quarantine_start,
                                     c.control_start, c.site_id, c.transferred_from, c.end_reason, c.ended_at, c.release_date)), ',' ORDER BY c.control_id)
    FROM control c
  UNION ALL
  SELECT 4, string_agg(format('%s', (l.test_id, l.person_id, l.kind, l.sampled_at, l.result, l.lab, l.reported_at)), ',' ORDER BY l.test_id)
    FROM lab_test l
  UNION ALL
  SELECT 5, string_agg(format('%s', (s.person_id, s.role, s.employer, s.closed_loop_start)), ',' ORDER BY s.person_id) FROM staff s
  UNION ALL
  SELECT 6, string_agg(format('%s', (s.site_id, s.name, s.kind, s.capacity, s.jurisdiction, ST_AsText(s.location::geometry))), ',' ORDER BY s.site_id) FROM site s
  UNION ALL
  SELECT 7, string_agg(format('%s', (t.task_id, t.module, t.person_id, t.issued_at, t.due_at, t.done_at, t.jurisdiction)), ',' ORDER BY t.task_id) FROM task t
  UNION ALL
  SELECT 8, string_agg(format('%s', (v.verification_id, v.person_id, v.entry_id, v.return_date, v.status)), ',' ORDER BY v.verification_id) FROM verification v
  UNION ALL
  SELECT 9, string_agg(format('%s', (h.check_id, h.person_id, h.checked_at, h.temperature, h.symptoms, h.by_role)), ',' ORDER BY h.check_id)
    FROM health_check h
  UNION ALL
  SELECT 10, string_agg(format('%s', (g.lot_id, g.product, g.arrived_at, g.cold_chain, g.warehouse)), ',' ORDER BY g.lot_id) FROM goods_lot g
  UNION ALL
  SELECT 11, string_agg(format('%s', (m.movement_id, m.lot_id, m.from_site, m.to_site, m.place_id, m.moved_at, m.handler)), ',' ORDER BY m.movement_id)
    FROM lot_movement m
  UNION ALL
  SELECT 12, string_agg(format('%s', (s.sample_id, s.subject, s.lot_id, s.place_id, s.site_id, s.sampled_at, s.result)), ',' ORDER BY s.sample_id)
    FROM env_sample s
) d;
SELECT to_regclass('quarantine.checkin') IS NOT NULL AS has_checkin \gset
\if :has_checkin
SELECT md5(string_agg(format('%s', (c.person_id, c.place_id, c.scanned_at)), ',' ORDER BY c.person_id, c.scanned_at, c.place_id)) AS scans
  FROM checkin c;
\endif
