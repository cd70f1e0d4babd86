-- The hostile-caller suite (doc/security.md, "The hostile-caller suite"):
-- every entry point that runs with the extension owner's rights is called
-- while objects planted by a hostile role wait in its pg_temp, in public
-- (where it was granted CREATE) and in a schema of its own: functions named
-- like every pg_catalog function the extension calls and like every
-- function of the extension, comparison and other operators on text,
-- integers, dates, jsonb and the extension's types, and casts to json,
-- jsonb and text of types the role made.  Each planted object writes a row
-- to hx.ran when it runs; every case runs under a trusted search_path and
-- under an untrusted one that lists the planted schemas before pg_catalog.
-- The suite ends by showing what ran (nothing may) and which entry points
-- of owner_rights_entry_points() it did not exercise (none may be missing).
-- As real login roles: each \c below logs in anew.
--   hx_op      an operator of district 339701, CREATE on public, owns schema hx
--   hx_op2     an operator of district 339702
--   hx_admin   an administrator; hx_analyst an analyst
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE ROLE hx_op LOGIN IN ROLE quarantine_operator;
CREATE ROLE hx_op2 LOGIN IN ROLE quarantine_operator;
CREATE ROLE hx_admin LOGIN IN ROLE quarantine_admin;
CREATE ROLE hx_analyst LOGIN IN ROLE quarantine_analyst;
GRANT CREATE ON SCHEMA public TO hx_op;
GRANT quarantine_verifier TO hx_op;
CREATE SCHEMA hx AUTHORIZATION hx_op;
INSERT INTO quarantine.jurisdiction (code, name, level)
VALUES ('339701', 'Hostile district A', 'district'), ('339702', 'Hostile district B', 'district');
INSERT INTO quarantine.operator_scope VALUES ('hx_op', '339701'), ('hx_op2', '339702');
-- a supervised cold store for the goods cases (operators read sites only)
INSERT INTO quarantine.site (name, kind) VALUES ('Hostile cold store', 'other')
RETURNING site_id AS hxstore \gset
-- which entry point ran under which path (written by the cases below)
CREATE TABLE public.hostile_exercised (entry text NOT NULL, path text NOT NULL);
GRANT SELECT, INSERT ON public.hostile_exercised TO PUBLIC;

-- 1. The planting, by the hostile role.
\c - hx_op
SET client_min_messages = warning;
GRANT USAGE ON SCHEMA hx TO PUBLIC;
CREATE TABLE hx.ran (what text, by_role text, during text);
GRANT INSERT ON hx.ran TO PUBLIC;
-- counts every run, even in a transaction that fails
CREATE SEQUENCE hx.ran_count;
GRANT USAGE ON SEQUENCE hx.ran_count TO PUBLIC;
-- Plants one function: its body records that it ran, as whom and in which
-- case, in hx.ran, in a WARNING and in the sequence hx.ran_count (both
-- survive a statement that fails).
CREATE FUNCTION hx.plant(schema text, name text, args text, rettype text, is_set boolean)
RETURNS boolean LANGUAGE plpgsql AS $plant$
BEGIN
  EXECUTE pg_catalog.format(
    'CREATE FUNCTION %s.%I(%s) RETURNS %s%s LANGUAGE plpgsql AS %L',
    schema, name, args, CASE WHEN is_set THEN 'SETOF ' ELSE '' END, rettype,
    pg_catalog.format('BEGIN PERFORM pg_catalog.nextval(''hx.ran_count''); '
                      'RAISE WARNING ''planted %% ran as %% during %%'', %1$L, current_user, '
                      'pg_catalog.current_setting(''hostile.entry'', true); '
                      'INSERT INTO hx.ran VALUES (%1$L, current_user, '
                      'pg_catalog.current_setting(''hostile.entry'', true)); RETURN%2$s; END',
                      schema || '.' || name || '(' || args || ')',
                      CASE WHEN is_set THEN '' ELSE ' NULL' END));
  RETURN true;
EXCEPTION WHEN OTHERS THEN
  RETURN false;  -- a signature plpgsql cannot take, or one that exists (PostGIS in public)
END
$plant$;
-- Plants, in the schemas given, a lookalike of every function named in
-- names (pg_catalog's) and of every function of the extension; the
-- comparison and other operators on the types listed; returns the count.
CREATE FUNCTION hx.plant_all(schemas text[]) RETURNS integer LANGUAGE plpgsql AS $all$
DECLARE
  s text;
  f record;
  t text;
  o text;
  n integer := 0;
  names text[] := ARRAY[
    'format', 'concat', 'concat_ws', 'lower', 'upper', 'btrim', 'ltrim', 'rtrim', 'length',
    'char_length', 'octet_length', 'to_jsonb', 'to_json', 'row_to_json', 'jsonb_build_object',
    'now', 'md5', 'hashtext', 'hashtextextended', 'pg_advisory_xact_lock', 'set_config',
    'current_setting', 'date_trunc', 'date_part', 'extract', 'generate_series', 'unnest',
    'array_length', 'array_position', 'array_to_string', 'string_to_array', 'cardinality',
    'make_interval', 'make_timestamptz', 'make_date', 'timezone', 'to_char', 'to_date',
    'to_timestamp', 'age', 'left', 'right', 'substr', 'substring', 'strpos', 'replace',
    'regexp_replace', 'regexp_match', 'split_part', 'translate', 'abs', 'round', 'floor',
    'jsonb_typeof', 'jsonb_array_elements', 'jsonb_each_text', 'quote_ident', 'quote_literal',
    'encode', 'decode', 'sha256', 'gen_random_uuid', 'clock_timestamp', 'statement_timestamp',
    'transaction_timestamp', 'date', 'text', 'int4', 'int8', 'numeric', 'pg_has_role',
    'has_table_privilege', 'to_regclass', 'to_regprocedure', 'format_type', 'pg_notify',
    'random', 'nextval', 'currval', 'setval', 'initcap', 'normalize', 'isfinite', 'upper_inf',
    'lower_inf', 'daterange', 'tstzrange', 'int4range', 'isempty', 'range_merge', 'num_nonnulls',
    'num_nulls', 'array_cat', 'array_append', 'array_remove', 'jsonb_strip_nulls',
    'jsonb_set', 'jsonb_agg', 'json_agg', 'string_agg', 'array_agg', 'count', 'min', 'max',
    'sum', 'avg', 'bool_or', 'bool_and', 'st_contains', 'st_dwithin', 'st_distance',
    'st_covers', 'st_intersects', 'geography', 'geometry'];
  types text[] := ARRAY['text', 'integer', 'bigint', 'smallint', 'numeric', 'date',
    'timestamptz', 'timestamp', 'interval', 'uuid', 'jsonb', 'boolean', 'name', 'oid',
    'text[]', 'integer[]', 'bigint[]', 'daterange', 'tstzrange'];
BEGIN
  -- the extension's own types: enums, base types, domains
  types := types || ARRAY(SELECT pg_catalog.format('quarantine.%I', t.typname)
                            FROM pg_catalog.pg_type t
                           WHERE t.typnamespace = 'quarantine'::regnamespace
                             AND t.typtype IN ('e', 'b', 'd') AND t.typname !~ '^_'
                           ORDER BY 1);
  FOREACH s IN ARRAY schemas LOOP
    FOR f IN
      SELECT p.proname, pg_catalog.oidvectortypes(p.proargtypes) AS args,
             pg_catalog.format_type(p.prorettype, NULL) AS ret, p.proretset
        FROM pg_catalog.pg_proc p
       WHERE ((p.pronamespace = 'pg_catalog'::regnamespace AND p.proname = ANY (names))
              OR p.pronamespace = 'quarantine'::regnamespace)
         AND p.prokind = 'f' AND p.proallargtypes IS NULL
         AND p.prorettype NOT IN ('internal'::regtype, 'trigger'::regtype, 'record'::regtype,
                                  'event_trigger'::regtype, 'cstring'::regtype)
       ORDER BY 1, 2
    LOOP
      IF hx.plant(s, f.proname, f.args, f.ret, f.proretset) THEN n := n + 1; END IF;
    END LOOP;
    -- the overloads that beat a variadic "any" (format(text, VARIADIC "any"))
    FOREACH t IN ARRAY ARRAY['text, text', 'text, text, text', 'text, text, integer',
                             'text, text, text, text', 'text, integer', 'text, bigint'] LOOP
      IF hx.plant(s, 'format', t, 'text', false) THEN n := n + 1; END IF;
      IF hx.plant(s, 'concat', t, 'text', false) THEN n := n + 1; END IF;
    END LOOP;
    -- operators
    FOREACH t IN ARRAY types LOOP
      IF hx.plant(s, 'hostile_cmp', t || ', ' || t, 'boolean', false) THEN n := n + 1; END IF;
      FOREACH o IN ARRAY ARRAY['=', '<>', '<', '>', '<=', '>='] LOOP
        BEGIN
          EXECUTE pg_catalog.format('CREATE OPERATOR %s.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = %s.hostile_cmp)',
                                    s, o, t, t, s);
          n := n + 1;
        EXCEPTION WHEN OTHERS THEN NULL;
        END;
      END LOOP;
    END LOOP;
    PERFORM hx.plant(s, 'hostile_cat', 'text, text', 'text', false);
    PERFORM hx.plant(s, 'hostile_get', 'jsonb, text', 'text', false);
    PERFORM hx.plant(s, 'hostile_getj', 'jsonb, text', 'jsonb', false);
    PERFORM hx.plant(s, 'hostile_match', 'text, text', 'boolean', false);
    PERFORM hx.plant(s, 'hostile_plus', 'timestamptz, interval', 'timestamptz', false);
    PERFORM hx.plant(s, 'hostile_minus', 'timestamptz, interval', 'timestamptz', false);
    PERFORM hx.plant(s, 'hostile_dplus', 'date, integer', 'date', false);
    FOREACH o IN ARRAY ARRAY[
        '|| (LEFTARG = text, RIGHTARG = text, FUNCTION = %1$s.hostile_cat)',
        '->> (LEFTARG = jsonb, RIGHTARG = text, FUNCTION = %1$s.hostile_get)',
        '-> (LEFTARG = jsonb, RIGHTARG = text, FUNCTION = %1$s.hostile_getj)',
        '~ (LEFTARG = text, RIGHTARG = text, FUNCTION = %1$s.hostile_match)',
        '+ (LEFTARG = timestamptz, RIGHTARG = interval, FUNCTION = %1$s.hostile_plus)',
        '- (LEFTARG = timestamptz, RIGHTARG = interval, FUNCTION = %1$s.hostile_minus)',
        '+ (LEFTARG = date, RIGHTARG = integer, FUNCTION = %1$s.hostile_dplus)'] LOOP
      BEGIN
        EXECUTE pg_catalog.format('CREATE OPERATOR %1$s.' || o, s);
        n := n + 1;
      EXCEPTION WHEN OTHERS THEN NULL;
      END;
    END LOOP;
  END LOOP;
  RETURN n;
END
$all$;
-- Types of the hostile role's own with casts to json, jsonb and text (a
-- cast needs its type's owner), in the schema given.
CREATE FUNCTION hx.plant_casts(s text) RETURNS integer LANGUAGE plpgsql AS $casts$
DECLARE
  t text;
  n integer := 0;
BEGIN
  EXECUTE pg_catalog.format('CREATE TYPE %s.hostile_enum AS ENUM (''x'')', s);
  EXECUTE pg_catalog.format('CREATE TYPE %s.hostile_pair AS (a text, b text)', s);
  FOREACH t IN ARRAY ARRAY['json', 'jsonb', 'text'] LOOP
    PERFORM hx.plant(s, 'hostile_' || t, s || '.hostile_enum', t, false);
    EXECUTE pg_catalog.format('CREATE CAST (%1$s.hostile_enum AS %2$s) WITH FUNCTION %1$s.hostile_%2$s(%1$s.hostile_enum)', s, t);
    PERFORM hx.plant(s, 'hostile_' || t, s || '.hostile_pair', t, false);
    EXECUTE pg_catalog.format('CREATE CAST (%1$s.hostile_pair AS %2$s) WITH FUNCTION %1$s.hostile_%2$s(%1$s.hostile_pair)', s, t);
    n := n + 2;
  END LOOP;
  RETURN n;
END
$casts$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA hx TO PUBLIC;
SELECT hx.plant_all(ARRAY['hx', 'public']) > 1000 AS planted_many,
       hx.plant_casts('hx') AS casts_in_hx;
-- In a session's pg_temp: the same, each time the hostile role logs in.
CREATE FUNCTION hx.plant_temp() RETURNS boolean LANGUAGE plpgsql AS $temp$
BEGIN
  PERFORM hx.plant_all(ARRAY['pg_temp']);
  PERFORM hx.plant_casts('pg_temp');
  RETURN true;
END
$temp$;
SELECT count(*) AS ran_while_planting FROM hx.ran;
-- The planted objects work: a call that resolves by the path finds them.
SET search_path = hx, public, pg_catalog;
SET hostile.entry = 'control';
SELECT format('%s-%s', 'a', 'b') AS planted_format;
RESET hostile.entry;
RESET search_path;
SELECT what, by_role, during FROM hx.ran ORDER BY 1;
DELETE FROM hx.ran;
-- hx.ran_count counts every planted run from here on, those of a statement
-- that failed included.
SELECT pg_catalog.setval('hx.ran_count', 1) AS counting_from;

-- 2. The cases, under a trusted search_path (pg_catalog first, implicitly)
-- and under an untrusted one (the planted schemas first).
\set path '"$user", public, quarantine'
\set pathname trusted
\set n 1
\ir test/lib/hostile_cases.psql
\set path 'hx, public, pg_temp, pg_catalog, quarantine'
\set pathname untrusted
\set n 2
\ir test/lib/hostile_cases.psql

-- 3. What ran: nothing may.
\c - postgres
SET search_path = pg_catalog;
SELECT during, what, by_role FROM hx.ran ORDER BY 1, 2, 3;
-- Every planted run of the suite, those of a statement that failed
-- included: none.
SELECT last_value > 1 AS planted_ran FROM hx.ran_count;
-- Every owner-rights entry point was exercised under both paths ...
SELECT e AS not_exercised, p.path
  FROM quarantine.owner_rights_entry_points() e, (VALUES ('trusted'), ('untrusted')) p(path)
 WHERE NOT EXISTS (SELECT 1 FROM public.hostile_exercised x WHERE x.entry = e AND x.path = p.path)
 ORDER BY 1, 2;
-- ... no case names an entry point the table lacks ...
SELECT DISTINCT x.entry AS unknown_entry FROM public.hostile_exercised x
 WHERE x.entry NOT IN (SELECT quarantine.owner_rights_entry_points());
-- ... and every SECURITY DEFINER function of the extension, in whichever
-- of its schemas (quarantine, quarantine_analytics), is in the table.
SELECT p.oid::regprocedure::text AS security_definer_not_listed
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'quarantine'
 WHERE p.prosecdef
   AND p.oid::regprocedure::text NOT IN (SELECT quarantine.owner_rights_entry_points());
SELECT count(*) AS entry_points FROM quarantine.owner_rights_entry_points();
-- No hostile role became superuser (issue 20's load_staged road).
SELECT rolname, rolsuper FROM pg_roles WHERE rolname LIKE 'hx\_%' ORDER BY 1;

\c - postgres
SET client_min_messages = warning;
DROP SCHEMA hx CASCADE;
REVOKE CREATE ON SCHEMA public FROM hx_op;
DROP TABLE public.hostile_exercised;
DROP OWNED BY hx_op, hx_op2, hx_admin, hx_analyst;
DROP ROLE hx_op, hx_op2, hx_admin, hx_analyst;
