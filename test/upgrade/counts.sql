-- Rows of every table of 0.1.0 with a digest of their content, to compare
-- before and after ALTER EXTENSION quarantine UPDATE.
\pset format unaligned
\pset tuples_only on
SELECT 'jurisdiction', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM jurisdiction t
UNION ALL SELECT 'site', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM site t
UNION ALL SELECT 'person', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM person t
UNION ALL SELECT 'entry', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM entry t
UNION ALL SELECT 'control', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM control t
UNION ALL SELECT 'lab_test', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM lab_test t
UNION ALL SELECT 'control_event', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM control_event t
UNION ALL SELECT 'verification', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM verification t
-- task: its 0.1.0 columns (0.2.0 adds jurisdiction, 92_federation.sql)
UNION ALL SELECT 'task', count(*), md5(string_agg(r::text, '|' ORDER BY r::text))
  FROM (SELECT t.task_id, t.module, t.person_id, t.issued_at, t.due_at, t.done_at, t.outcome FROM task t) r
UNION ALL SELECT 'duplicate_candidate', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM duplicate_candidate t
UNION ALL SELECT 'person_merge', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM person_merge t
UNION ALL SELECT 'staff', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM staff t
UNION ALL SELECT 'code_assignment', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM code_assignment t
UNION ALL SELECT 'manifest_staging', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM manifest_staging t
-- import_reject: its 0.1.0 columns (0.2.0 adds target, sqlstate, hint, NULL for old rows)
UNION ALL SELECT 'import_reject', count(*),
       md5(string_agg(ROW(t.reject_id, t.batch, t.row_no, t.rule, t.message, t.detail, t.row, t.rejected_at)::text,
                      '|' ORDER BY ROW(t.reject_id, t.batch, t.row_no, t.rule, t.message, t.detail, t.row, t.rejected_at)::text))
  FROM import_reject t
UNION ALL SELECT 'import_accept', count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM import_accept t
-- The notes of the shipped rows are the extension's text, which an upgrade may
-- reword (describe.sql compares them with a fresh install); the rest is kept.
UNION ALL SELECT 'policy', count(*), md5(string_agg(t::text, '|' ORDER BY t::text))
  FROM (SELECT policy_id, category, plan, effective, nat_days, shipped,
               CASE WHEN shipped THEN NULL ELSE note END AS note
          FROM policy) t;
-- The scan trail (0.2.0 on): every scan with the partition it is in.
SELECT to_regclass('quarantine.checkin') IS NOT NULL AS has_trail \gset
\if :has_trail
SELECT 'checkin', c.tableoid::regclass, c.person_id, c.place_id, c.scanned_at FROM checkin c ORDER BY 2, 3, 4, 5;
\endif
-- The audit log (0.2.0 on): every row written before the update is kept,
-- audit_id included (0.3.0 moves them into the partitioned log).  The update
-- itself logs its own writes (task, policy), so the rows compared are those
-- up to audit_mark, the last audit_id before it (tools/pg-harness,
-- upgrade_from); without audit_mark, nothing is printed.
SELECT to_regclass('quarantine.audit_log') IS NOT NULL AND :{?audit_mark} AS has_audit \gset
\if :has_audit
SELECT 'audit_log', count(*), md5(string_agg(t::text, '|' ORDER BY t.audit_id))
  FROM audit_log t WHERE t.audit_id <= :audit_mark HAVING count(*) > 0;
\endif
