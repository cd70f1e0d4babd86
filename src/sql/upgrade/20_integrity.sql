-- Issue 11 (integrity under concurrency), 0.1.0 -> 0.2.0.

-- control_no_repeat is backed by a unique index.  0.1.0 accepted a completed
-- control beside an open or another completed one for the same entry; such
-- rows would make the index fail with a bare "could not create unique index",
-- so name them first and let the district decide which control stands.
DO $$
DECLARE
  bad text;
BEGIN
  SELECT string_agg(format('entry %s: controls %s', entry_id, ids), '; ')
    INTO bad
    FROM (SELECT c.entry_id, string_agg(c.control_id::text, ', ' ORDER BY c.control_id) AS ids
            FROM quarantine.control c
           WHERE c.entry_id IS NOT NULL
             AND (c.status IN ('pending', 'under_control', 'medical')
                  OR (c.status = 'ended' AND c.end_reason IN ('completed', 'completed_elsewhere')))
           GROUP BY c.entry_id
          HAVING count(*) > 1) d;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION USING
      ERRCODE = 'unique_violation',
      CONSTRAINT = 'control_no_repeat',
      MESSAGE = 'controls repeat isolation for the same entry',
      DETAIL = bad || '.',
      HINT = 'End or return all but one open or completed control of each entry, then update the extension.';
  END IF;
END $$;

CREATE UNIQUE INDEX control_no_repeat ON quarantine.control (entry_id)
  WHERE status IN ('pending', 'under_control', 'medical')
     OR (status = 'ended' AND end_reason IN ('completed', 'completed_elsewhere'));

-- person_merged: src/sql/66_integrity.sql, linked here as 66_integrity.sql.
