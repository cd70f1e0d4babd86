-- The feed as a stream (doc/health.md, "The feed as a stream").  Also part of
-- the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).
--
-- Live clients LISTEN on channel quarantine_code: the feed's own C code
-- (src/health/health_feed.c) notifies once per statement that appends.  The
-- health-code platform subscribes to a publication instead, which misses
-- nothing.  The publication is made by a function, not by the extension
-- script: publishing is a deployment's decision (wal_level = logical, a
-- replication role, the platform's subscription), and a publication is not a
-- member of the extension, so pg_dump would dump it beside CREATE EXTENSION
-- and a restore would then create it twice.

CREATE OR REPLACE FUNCTION create_feed_publication(name text DEFAULT 'quarantine_code_feed') RETURNS text
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $body$
DECLARE
  -- What the feed's publication is: every code_assignment row, person's
  -- identity columns, inserts and updates, nothing else.
  feed text := 'quarantine.code_assignment (all columns), '
               'quarantine.person (doc_kind, doc_no, identity_scope, merged_into, person_id); '
               'publish insert, update';
  published text;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_publication p WHERE p.pubname = create_feed_publication.name) THEN
    -- code_assignment is append-only; person carries the document a colour is
    -- shown against, without name, phone or address.
    EXECUTE format('CREATE PUBLICATION %I FOR TABLE quarantine.code_assignment, '
                   'quarantine.person (person_id, doc_kind, doc_no, identity_scope, merged_into) '
                   'WITH (publish = %L)', create_feed_publication.name, 'insert, update');
    RETURN create_feed_publication.name;
  END IF;
  -- An existing publication of that name is the feed's only if it publishes
  -- exactly that: a subscriber to it would otherwise get something else.
  SELECT coalesce((SELECT string_agg(format('%s.%s (%s)%s', n.nspname, c.relname,
                                            CASE WHEN r.prattrs IS NULL THEN 'all columns'
                                                 ELSE (SELECT string_agg(a.attname, ', ' ORDER BY a.attname)
                                                         FROM pg_attribute a
                                                        WHERE a.attrelid = r.prrelid
                                                          AND a.attnum OPERATOR(pg_catalog.=) ANY (r.prattrs)) END,
                                            CASE WHEN r.prqual IS NULL THEN '' ELSE ' WHERE ...' END),
                                     ', ' ORDER BY n.nspname, c.relname)
                       FROM pg_publication_rel r
                       JOIN pg_class c ON c.oid OPERATOR(pg_catalog.=) r.prrelid
                       JOIN pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
                      WHERE r.prpubid OPERATOR(pg_catalog.=) p.oid), 'no table')
         || CASE WHEN p.puballtables THEN ' (all tables)' ELSE '' END
         || CASE WHEN EXISTS (SELECT FROM pg_publication_namespace s WHERE s.pnpubid OPERATOR(pg_catalog.=) p.oid)
                 THEN ' (and schemas)' ELSE '' END
         || '; publish '
         || concat_ws(', ', CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END,
                      CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END)
         || CASE WHEN p.pubviaroot THEN ' via root' ELSE '' END
    INTO published
    FROM pg_publication p WHERE p.pubname = create_feed_publication.name;
  IF published IS DISTINCT FROM feed THEN
    RAISE EXCEPTION 'publication "%" exists and publishes something else', create_feed_publication.name
      USING ERRCODE = '42710', CONSTRAINT = 'feed_publication',
            DETAIL = format('It publishes %s; the feed is %s.', published, feed),
            HINT = 'Give the feed''s publication another name, or drop the other one.';
  END IF;
  RETURN create_feed_publication.name;
END
$body$;
COMMENT ON FUNCTION create_feed_publication(text) IS
  'Creates, unless it exists, the publication for the health-code platform: every code_assignment row, and person''s identity columns (person_id, doc_kind, doc_no, identity_scope, merged_into); returns its name.  An existing publication of that name that publishes anything else raises 42710';

-- Publishing is the administrator's (it also needs ownership of the tables,
-- so in practice the extension's owner runs it).
REVOKE EXECUTE ON FUNCTION create_feed_publication(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION create_feed_publication(text) TO quarantine_admin;
