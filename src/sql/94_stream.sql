-- The feed as a stream (doc/health.md, "The feed as a stream").  Also part of
-- the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).
--
-- Live clients LISTEN on channel quarantine_code: the feed's own C code
-- (src/health_feed.c) notifies once per statement that appends.  The
-- health-code platform subscribes to a publication instead, which misses
-- nothing.  The publication is made by a function, not by the extension
-- script: publishing is a deployment's decision (wal_level = logical, a
-- replication role, the platform's subscription), and a publication is not a
-- member of the extension, so pg_dump would dump it beside CREATE EXTENSION
-- and a restore would then create it twice.

CREATE FUNCTION create_feed_publication(name text DEFAULT 'quarantine_code_feed') RETURNS text
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $body$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_publication p WHERE p.pubname = create_feed_publication.name) THEN
    -- code_assignment is append-only; person carries the document a colour is
    -- shown against, without name, phone or address.
    EXECUTE format('CREATE PUBLICATION %I FOR TABLE quarantine.code_assignment, '
                   'quarantine.person (person_id, doc_kind, doc_no, identity_scope, merged_into) '
                   'WITH (publish = %L)', create_feed_publication.name, 'insert, update');
  END IF;
  RETURN create_feed_publication.name;
END
$body$;
COMMENT ON FUNCTION create_feed_publication(text) IS
  'Creates, unless it exists, the publication for the health-code platform: every code_assignment row, and person''s identity columns (person_id, doc_kind, doc_no, identity_scope, merged_into); returns its name';

-- Publishing is the administrator's (it also needs ownership of the tables,
-- so in practice the extension's owner runs it).
REVOKE EXECUTE ON FUNCTION create_feed_publication(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION create_feed_publication(text) TO quarantine_admin;
