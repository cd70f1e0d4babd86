-- doc/tasks-phones-names.md — tasks, phones and names: the pure functions that the control,
-- verification and import triggers call.  The rules live in src/rules/deadline.c,
-- src/rules/phone.c and src/rules/names.c; these wrappers are thin.

CREATE FUNCTION task_deadline(module text, issued_at timestamptz)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'task_deadline' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION task_deadline(text, timestamptz) IS
  'Deadline of a task issued at issued_at, local time in quarantine.timezone (the district notes): control -> the first 17:00 strictly after, verification and phone_check -> 12:00 on the next day';

CREATE FUNCTION phone_kind(phone text) RETURNS text
AS 'MODULE_PATHNAME', 'phone_kind' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION phone_kind(text) IS
  'Kind of a written telephone number: mobile (mainland 1[3-9] + 9 digits, also +86/0086/86), foreign (another E.164 country code), placeholder (a filler such as 00000000000 or 10000000000, the district notes) or invalid';

CREATE FUNCTION name_key(full_name text) RETURNS text
AS 'MODULE_PATHNAME', 'name_key' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION name_key(text) IS
  'Matching key of a personal name (doc/tasks-phones-names.md): full-width folded, blanks and middle dots dropped, Latin letters lower-cased without accents and words sorted';

CREATE FUNCTION name_similarity(a text, b text) RETURNS real
AS 'MODULE_PATHNAME', 'name_similarity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION name_similarity(text, text) IS
  'Similarity of two personal names in [0,1]: 1 when the name keys are equal, else an edit-distance score per character (Chinese) or letter (Latin, any word order)';

CREATE FUNCTION names_similar(a text, b text) RETURNS boolean
AS 'MODULE_PATHNAME', 'names_similar' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION names_similar(text, text) IS
  'True when name_similarity(a, b) >= 0.6: probably the same person by name, a duplicate candidate for review';

CREATE FUNCTION phone_key(phone text) RETURNS text
AS 'MODULE_PATHNAME', 'phone_key' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION phone_key(text) IS
  'Comparable form of a phone number: 11 digits for a mainland mobile (+86 and separators dropped), + and digits for a foreign one; NULL for placeholders and invalid numbers';
