-- The scan trail's maintenance never runs code a caller planted
-- (doc/places.md, "Why not pg_partman": 0.2.0's path through pg_partman ran
-- a planted public.format(text,text,text) as the superuser).  As real
-- login roles: a role with only CREATE on public plants functions and
-- operators named like those the maintenance (and 0.2.0's pg_partman path)
-- uses, each recording that it ran and as whom; an administrator runs
-- scan_trail_maintenance() with a trusted path and with public first, through
-- every step (moves, premakes, retention drops); the pg_cron job's command
-- runs with the default path.  Nothing planted runs as the owner.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE ROLE qt_planter LOGIN;
GRANT CREATE ON SCHEMA public TO qt_planter;
CREATE ROLE qt_trail_admin LOGIN IN ROLE quarantine_admin;

\c - qt_planter
SET client_min_messages = warning;
CREATE TABLE public.planted_ran (what text, as_role name DEFAULT current_user);
GRANT INSERT ON public.planted_ran TO PUBLIC;
CREATE FUNCTION public.format(text, text) RETURNS text LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('format(text,text)'); SELECT pg_catalog.format($1, $2)$$;
CREATE FUNCTION public.format(text, text, text) RETURNS text LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('format(text,text,text)'); SELECT pg_catalog.format($1, $2, $3)$$;
CREATE FUNCTION public.format(text, name, name) RETURNS text LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('format(text,name,name)'); SELECT pg_catalog.format($1, $2, $3)$$;
CREATE FUNCTION public.format(text, text, timestamptz, timestamptz) RETURNS text LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('format(text,text,timestamptz,timestamptz)'); SELECT pg_catalog.format($1, $2, $3, $4)$$;
CREATE FUNCTION public.format(text, text, text, timestamptz, timestamptz) RETURNS text LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('format(text,text,text,timestamptz,timestamptz)'); SELECT pg_catalog.format($1, $2, $3, $4, $5)$$;
CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('now()'); SELECT pg_catalog.now()$$;
CREATE FUNCTION public.current_setting(text) RETURNS text LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('current_setting(text)'); SELECT pg_catalog.current_setting($1)$$;
CREATE FUNCTION public.set_config(text, text, boolean) RETURNS text LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('set_config(text,text,boolean)'); SELECT pg_catalog.set_config($1, $2, $3)$$;
CREATE FUNCTION public.to_char(date, text) RETURNS text LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('to_char(date,text)'); SELECT pg_catalog.to_char($1, $2)$$;
CREATE FUNCTION public.to_char(timestamptz, text) RETURNS text LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('to_char(timestamptz,text)'); SELECT pg_catalog.to_char($1, $2)$$;
CREATE FUNCTION public.to_regclass(text) RETURNS regclass LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('to_regclass(text)'); SELECT pg_catalog.to_regclass($1)$$;
CREATE FUNCTION public.quote_ident(text) RETURNS text LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('quote_ident(text)'); SELECT pg_catalog.quote_ident($1)$$;
CREATE FUNCTION public.timezone(text, timestamp) RETURNS timestamptz LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('timezone(text,timestamp)'); SELECT pg_catalog.timezone($1, $2)$$;
CREATE FUNCTION public.date_trunc(text, timestamptz) RETURNS timestamptz LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('date_trunc(text,timestamptz)'); SELECT pg_catalog.date_trunc($1, $2)$$;
CREATE FUNCTION public.cardinality(text[]) RETURNS integer LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('cardinality(text[])'); SELECT pg_catalog.cardinality($1)$$;
CREATE FUNCTION public.regexp_match(text, text) RETURNS text[] LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('regexp_match(text,text)'); SELECT pg_catalog.regexp_match($1, $2)$$;
-- (plpgsql: quarantine's objects are not the planter's to call)
CREATE FUNCTION public.local_date(timestamptz) RETURNS date LANGUAGE plpgsql
  AS $$BEGIN INSERT INTO public.planted_ran VALUES ('local_date(timestamptz)'); RETURN quarantine.local_date($1); END$$;
CREATE FUNCTION public.scan_retention() RETURNS interval LANGUAGE plpgsql
  AS $$BEGIN INSERT INTO public.planted_ran VALUES ('scan_retention()'); RETURN quarantine.scan_retention(); END$$;
-- operators on the types the maintenance compares and adds
CREATE FUNCTION public.planted_tstz_le(timestamptz, timestamptz) RETURNS boolean LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('<=(timestamptz,timestamptz)'); SELECT $1 OPERATOR(pg_catalog.<=) $2$$;
CREATE OPERATOR public.<= (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = public.planted_tstz_le);
CREATE FUNCTION public.planted_date_plus(date, integer) RETURNS date LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('+(date,integer)'); SELECT $1 OPERATOR(pg_catalog.+) $2$$;
CREATE OPERATOR public.+ (LEFTARG = date, RIGHTARG = integer, FUNCTION = public.planted_date_plus);
CREATE FUNCTION public.planted_text_cat(text, text) RETURNS text LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('||(text,text)'); SELECT $1 OPERATOR(pg_catalog.||) $2$$;
CREATE OPERATOR public.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = public.planted_text_cat);
CREATE FUNCTION public.planted_oid_eq(oid, oid) RETURNS boolean LANGUAGE sql
  AS $$INSERT INTO public.planted_ran VALUES ('=(oid,oid)'); SELECT $1 OPERATOR(pg_catalog.=) $2$$;
CREATE OPERATOR public.= (LEFTARG = oid, RIGHTARG = oid, FUNCTION = public.planted_oid_eq);

-- The administrator: scans of several days wait in the default partition.
\c - qt_trail_admin
SET client_min_messages = warning;
SET search_path = pg_catalog, quarantine;
INSERT INTO quarantine.checkin VALUES (87201, 1, now() - interval '1 day'), (87201, 1, now() - interval '20 days'),
                                      (87201, 1, now() - interval '60 days'), (87201, 1, now() + interval '30 days');
-- the trap is live: with public first, an unqualified call takes the
-- planted one (it runs as the administrator, who called it: the one line
-- expected in planted_ran at the end)
SET search_path = public, pg_catalog, quarantine;
SELECT format('%s-%s', 'a', 'b') AS planted_format_called;
-- a trusted path
SET search_path = pg_catalog, quarantine;
SELECT quarantine.scan_trail_maintenance();
-- public first, and the retention shortened so that a day partition is dropped
SET search_path = public, pg_catalog, quarantine;
SET quarantine.scan_retention_days = 10;
SELECT quarantine.scan_trail_maintenance();
RESET quarantine.scan_retention_days;
SET search_path = pg_catalog, quarantine;
SELECT count(*) AS scans_left, count(*) FILTER (WHERE c.tableoid = 'quarantine.checkin_default'::regclass) AS in_default
  FROM quarantine.checkin c WHERE c.person_id = 87201;

-- The pg_cron job's command (schedule_jobs), as its superuser with the
-- default path.
\c - postgres
SET client_min_messages = warning;
SET search_path = "$user", public;
SELECT quarantine.scan_trail_maintenance();
SET search_path = pg_catalog;
SELECT what, as_role, count(*) AS runs FROM public.planted_ran GROUP BY 1, 2 ORDER BY 1, 2;

DELETE FROM quarantine.checkin WHERE person_id = 87201;
DROP OWNED BY qt_planter, qt_trail_admin;
REVOKE CREATE ON SCHEMA public FROM qt_planter;
DROP ROLE qt_planter, qt_trail_admin;
