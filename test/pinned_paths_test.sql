-- The extension's SQL functions that call PostGIS resolve nothing through
-- the caller's search_path (doc/security.md).  PostGIS looks a geography's
-- spheroid up in spatial_ref_sys with a query of its own ("WHERE srid = n"),
-- parsed with the search_path in force: with a schema of the caller's ahead
-- of pg_catalog, its =(integer, integer) ran there.  A planted operator and
-- function record that they ran; nothing may be recorded.
BEGIN;
SELECT plan(4);

CREATE SCHEMA planted;
CREATE TABLE planted.ran (what text);
CREATE FUNCTION planted.int_eq(a integer, b integer) RETURNS boolean LANGUAGE plpgsql AS
  $$BEGIN INSERT INTO planted.ran VALUES ('=(integer,integer)'); RETURN a OPERATOR(pg_catalog.=) b; END$$;
CREATE OPERATOR planted.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = planted.int_eq);
CREATE FUNCTION planted.int8eq(a bigint, b bigint) RETURNS boolean LANGUAGE plpgsql AS
  $$BEGIN INSERT INTO planted.ran VALUES ('=(bigint,bigint)'); RETURN a OPERATOR(pg_catalog.=) b; END$$;
CREATE OPERATOR planted.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = planted.int8eq);

INSERT INTO jurisdiction (code, name, level, boundary) VALUES
  ('PP01', 'Pinned district', 'district',
   'SRID=4326;MULTIPOLYGON(((120.6 27.9,120.8 27.9,120.8 28.1,120.6 28.1,120.6 27.9)))');
INSERT INTO site (site_id, name, kind, capacity, location, jurisdiction) VALUES
  (99901, 'Pinned hotel', 'hotel', 10, 'SRID=4326;POINT(120.650 28.000)', 'PP01');
INSERT INTO place (place_id, name, location) VALUES
  (99901, 'Pinned cafe', 'SRID=4326;POINT(120.650 28.000)'),
  (99902, 'Pinned bakery', 'SRID=4326;POINT(120.651 28.000)');
INSERT INTO checkin (person_id, place_id, scanned_at) VALUES
  (99100, 99901, now() - interval '3 hours'),
  (99101, 99902, now() - interval '3 hours');

-- A caller whose path lists the planted schema before pg_catalog (pgTAP's
-- own functions run after the path is reset: they compare with =).
CREATE TEMP TABLE got (what text, n bigint);
SET LOCAL search_path = planted, pg_catalog, quarantine, public;
INSERT INTO got SELECT 'contact_candidates', count(*)
  FROM contact_candidates(99100, now() - interval '1 day', now(), '1 hour', 500);
INSERT INTO got SELECT 'jurisdictions_at', count(*)
  FROM jurisdictions_at('SRID=4326;POINT(120.7 28.0)') WHERE code = 'PP01';
INSERT INTO got SELECT 'nearest_sites', count(*)
  FROM nearest_sites('SRID=4326;POINT(120.7 28.0)', 5) WHERE name = 'Pinned hotel';
RESET search_path;
SELECT is((SELECT n FROM got WHERE what = 'contact_candidates'), 1::bigint,
          'contact_candidates finds the neighbour 100 m away');
SELECT is((SELECT n FROM got WHERE what = 'jurisdictions_at'), 1::bigint, 'jurisdictions_at finds the district');
SELECT is((SELECT n FROM got WHERE what = 'nearest_sites'), 1::bigint, 'nearest_sites finds the hotel');
SELECT is((SELECT string_agg(DISTINCT what, ', ') FROM planted.ran), NULL,
          'no planted operator ran');

SELECT * FROM finish();
ROLLBACK;
