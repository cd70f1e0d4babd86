-- import_summary (doc/import.md, doc/etl.md): per batch of load_manifest and
-- of load_staged.  Re-runnable: also listed in the 0.2.0 -> 0.3.0 upgrade.

-- A load_staged batch may have been staged in a table the view cannot see
-- (an operator's temporary one): its staged count is accepted + rejected,
-- as load_staged's own result is.
CREATE OR REPLACE VIEW import_summary AS
  SELECT b.batch,
         (SELECT count(*) FROM manifest_staging s WHERE s.batch = b.batch) AS staged,
         (SELECT count(*) FROM import_accept a WHERE a.batch = b.batch) AS accepted,
         (SELECT count(*) FROM import_accept a WHERE a.batch = b.batch AND a.reused) AS reused,
         (SELECT count(DISTINCT r.row) FROM import_reject r
           WHERE r.batch = b.batch AND r.target IS NULL
             AND NOT EXISTS (SELECT 1 FROM import_accept a
                              WHERE a.batch = r.batch AND a.row_no = r.row_no)) AS rejected,
         (SELECT max(a.loaded_at) FROM import_accept a WHERE a.batch = b.batch) AS last_loaded_at,
         NULL::text AS target
    FROM (SELECT batch FROM manifest_staging WHERE batch IS NOT NULL
          UNION SELECT batch FROM import_accept
          UNION SELECT batch FROM import_reject WHERE target IS NULL) b
  UNION ALL
  SELECT l.batch, l.accepted + l.rejected, l.accepted, 0, l.rejected, l.last_loaded_at, l.target
    FROM (SELECT b.target, b.batch,
                 (SELECT count(*) FROM load_accept a
                   WHERE a.target = b.target AND a.batch = b.batch) AS accepted,
                 (SELECT count(DISTINCT r.row) FROM import_reject r
                   WHERE r.target = b.target AND r.batch = b.batch
                     AND NOT EXISTS (SELECT 1 FROM load_accept a
                                      WHERE a.target = r.target AND a.batch = r.batch
                                        AND a.row_no = r.row_no)) AS rejected,
                 (SELECT max(a.loaded_at) FROM load_accept a
                   WHERE a.target = b.target AND a.batch = b.batch) AS last_loaded_at
            FROM (SELECT target, batch FROM load_accept
                  UNION SELECT target, batch FROM import_reject WHERE target IS NOT NULL) b) l;
COMMENT ON VIEW import_summary IS
  'Per batch of load_manifest (target NULL) and of load_staged (target the table loaded): rows staged, accepted, accepted onto an existing person (reused, manifests only), and rows still rejected; a load_staged batch counts staged = accepted + rejected';
