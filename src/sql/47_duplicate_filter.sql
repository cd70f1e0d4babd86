-- A cheap necessary condition for name_similarity (issue 12): the duplicate
-- search (person_after_write, src/triggers/trg_person.c) skips the pairs of a birth
-- date and sex block whose name keys cannot reach the threshold, and scores
-- the rest, so it finds exactly the pairs it found before at a fraction of
-- the comparisons' cost.  The bound is proven in src/rules/names.c.  Also part of
-- the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).
-- Not STRICT: an unknown key (NULL) may match.  Cheaper than name_similarity
-- (COST 1), so the planner evaluates it first.
CREATE FUNCTION name_keys_may_match(key_a text, key_b text, threshold real) RETURNS boolean
  AS 'MODULE_PATHNAME', 'name_keys_may_match' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 0.1;
COMMENT ON FUNCTION name_keys_may_match(text, text, real) IS
  'False only when two names with these name_key values cannot have name_similarity >= threshold (their characters differ too much); true for a NULL key';
-- Grant decision: a pure computation on two values that reads no table, so
-- PUBLIC keeps EXECUTE, as for name_similarity (90_access.sql).
