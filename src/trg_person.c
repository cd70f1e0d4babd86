/*
 * trg_person.c
 *		Triggers on person: normalized documents, fields derived from a
 *		resident ID, phone status, the person_identity rule (doc/identity.md;
 *		doc/records.md) and the set-based search for possible duplicates.
 */
#include "person_rules.h"
#include "places.h"
#include "records.h"

#include "catalog/dependency.h"
#include "catalog/pg_sequence.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "pg_compat.h"

PG_FUNCTION_INFO_V1(person_before_write);
PG_FUNCTION_INFO_V1(person_after_write);

enum
{
	P_PERSON_ID,
	P_DOC_KIND,
	P_DOC_NO,
	P_NAME,
	P_SEX,
	P_BIRTH_DATE,
	P_NATIONALITY,
	P_PHONE,
	P_PHONE_STATUS,
	P_IDENTITY_SCOPE,
	P_NAME_KEY,
	P_PHONE_KEY,
	P_MERGED_INTO,
	P_NCOLS
};

static const char *const person_columns[] = {
	"person_id",	  "doc_kind", "doc_no",
	"name",			  "sex",	  "birth_date",
	"nationality",	  "phone",	  "phone_status",
	"identity_scope", "name_key", "phone_key",
	"merged_into",	  NULL};

static ColumnMap person_map = {.names = person_columns};

/*
 * doc/places.md: a person without a jurisdiction takes it from home_location.
 */
static const char *const person_place_columns[] = {"home_location",
												   "jurisdiction", NULL};
static ColumnMap		 person_place_map = {.names = person_place_columns};
static IndexProbe person_identity_probe = {.indexname = "person_identity"};

/* Collects the columns the trigger replaces in the row. */
typedef struct RowChanges
{
	int	  n;
	int	  cols[P_NCOLS];
	Datum values[P_NCOLS];
	bool  nulls[P_NCOLS];
} RowChanges;

static void
SetColumn(RowChanges *ch, int attnum, Datum value, bool isnull)
{
	ch->cols[ch->n] = attnum;
	ch->values[ch->n] = value;
	ch->nulls[ch->n] = isnull;
	ch->n++;
}

static char *
TextColumn(HeapTuple tuple, TupleDesc desc, int attnum)
{
	bool  isnull;
	Datum d = heap_getattr(tuple, attnum, desc, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* Set a text column to value (NULL for SQL NULL) unless it already is. */
static void
SetIfChanged(RowChanges *ch, HeapTuple row, TupleDesc desc, int attnum,
			 const char *value)
{
	char *cur = TextColumn(row, desc, attnum);

	if ((cur == NULL) != (value == NULL) ||
		(cur != NULL && strcmp(cur, value) != 0))
		SetColumn(ch, attnum, value ? CStringGetTextDatum(value) : (Datum) 0,
				  value == NULL);
}

static Datum
BpcharDatum(const char *s)
{
	return DirectFunctionCall3(bpcharin, CStringGetDatum(s),
							   ObjectIdGetDatum(InvalidOid),
							   Int32GetDatum(-1));
}

typedef struct IdentityHit
{
	int64 self;
	int64 existing;
	bool  in_statement;
} IdentityHit;

/* Remember the first other person holding the document (its survivor). */
static bool
IdentityVisitor(TupleTableSlot *slot, void *arg)
{
	IdentityHit *hit = (IdentityHit *) arg;
	bool		 isnull;
	int64		 id = DatumGetInt64(
			   SlotValue(slot, person_map.attnum[P_PERSON_ID], &isnull));
	Datum merged = SlotValue(slot, person_map.attnum[P_MERGED_INTO], &isnull);

	if (id == hit->self)
		return true;
	hit->existing = isnull ? id : DatumGetInt64(merged);
	hit->in_statement = SlotWrittenByThisCommand(slot);
	return false;
}

/*
 * person_identity (doc/records.md): one person per normalized document (per
 * document and nationality for passports).  The unique index of the same
 * name guarantees it; this probe exists to name the existing person.
 */
static bool
IdentityHolds(int64 self, Datum kind, const char *kindname, const char *doc_no,
			  const char *scope, Problem *p)
{
	IdentityHit hit = {self, 0, false};
	Datum		keys[3];

	keys[0] = kind;
	keys[1] = CStringGetTextDatum(doc_no);
	keys[2] = CStringGetTextDatum(scope);
	ProbeIndex(&person_identity_probe, 3, keys, IdentityVisitor, &hit);
	return PersonIdentity(
		kindname, doc_no, scope, hit.existing, hit.in_statement,
		hit.existing != 0 && !hit.in_statement &&
			!RowVisibleToCaller("person", "person_id", hit.existing),
		p);
}

/* person_phone_status: a filler or malformed number cannot be verified. */
static bool
PhoneStatusFor(const char *phone, const char *given, bool phone_changed,
			   const char **status, Problem *p)
{
	PhoneKind kind;

	*status = given;
	if (phone == NULL)
		return true;
	kind = PhoneKindOf(phone);
	if (given != NULL && !phone_changed)
	{
		if (strcmp(given, "verified") == 0 &&
			(kind == PHONE_PLACEHOLDER || kind == PHONE_INVALID))
			return Flag(
				p, "person_phone_status", ERRCODE_CHECK_VIOLATION,
				psprintf(_Q("phone number %s cannot be verified"), phone),
				psprintf(_Q("Number \"%s\" is a %s number."), phone,
						 PhoneKindName(kind)),
				pstrdup(_Q("Record the person's real number first.")));
		return true;
	}
	/*
	 * A new or changed number starts unverified (the district notes: check by
	 * 12:00).
	 */
	switch (kind)
	{
		case PHONE_PLACEHOLDER:
			*status = "placeholder";
			break;
		case PHONE_INVALID:
			*status = "invalid";
			break;
		default:
			*status = "unverified";
			break;
	}
	return true;
}

/*
 * The key range of this node when it is one of a federation: the bounds
 * federation_set_node gave the identity sequence of column attnum (false
 * when the sequence has its default bounds, a database on its own).  The
 * sequence is remembered per relation; its bounds are read from the
 * syscache on every call, so an ALTER SEQUENCE takes effect at once.
 */
static bool
NodeKeyRange(Relation rel, AttrNumber attnum, int64 *lo, int64 *hi)
{
	static Oid		 rel_seen = InvalidOid;
	static Oid		 seq = InvalidOid;
	HeapTuple		 tup = NULL;
	Form_pg_sequence s;

	if (rel_seen == RelationGetRelid(rel) && OidIsValid(seq))
		tup = SearchSysCache1(SEQRELID, ObjectIdGetDatum(seq));
	if (tup == NULL || !HeapTupleIsValid(tup))
	{
		seq = getIdentitySequence_compat(rel, attnum, true);
		rel_seen = RelationGetRelid(rel);
		if (!OidIsValid(seq))
			return false;
		tup = SearchSysCache1(SEQRELID, ObjectIdGetDatum(seq));
		if (!HeapTupleIsValid(tup))
			return false;
	}
	s = (Form_pg_sequence) GETSTRUCT(tup);
	*lo = s->seqmin;
	*hi = s->seqmax;
	ReleaseSysCache(tup);
	return *lo > 1 || *hi < PG_INT64_MAX;
}

/*
 * BEFORE INSERT OR UPDATE FOR EACH ROW on person.
 */
Datum
person_before_write(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "person_before_write", "person", true);
	Relation  rel = td->tg_relation;
	TupleDesc desc = RelationGetDescr(rel);
	HeapTuple row = TriggerRow(td);
	HeapTuple old =
		TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_trigtuple : NULL;
	const int	 *att;
	RowChanges	  ch = {0};
	Problem		  p = {0};
	ColumnContext column;
	bool		  isnull;
	Datum		  kind_datum;
	DocKind		  kind;
	char		 *doc_raw;
	char		 *doc_no;
	char		 *name;
	char		 *nationality;
	char		 *norm;
	char		 *phone;
	char		 *phone_status;
	const char	 *new_status;
	const char	 *scope;
	int64		  person_id;
	bool		  phone_changed = true;
	Datum		  given;
	bool		  has_birth;
	DateADT		  birth = 0;
	char		  sex = 0;
	bool		  from_id;
	DateADT		  id_birth;
	char		  id_sex;

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(TriggerRow(td));
	ColumnMapFor(&person_map, rel);
	att = person_map.attnum;

	person_id =
		DatumGetInt64(heap_getattr(row, att[P_PERSON_ID], desc, &isnull));
	if (old == NULL || person_id != DatumGetInt64(heap_getattr(
										old, att[P_PERSON_ID], desc, &isnull)))
	{
		int64 lo;
		int64 hi;

		/* An administrator's writes (a restore of the province, which
		 * holds every node's keys) may take any key. */
		if (!CallerIsAdmin() &&
			NodeKeyRange(rel, att[P_PERSON_ID], &lo, &hi) &&
			!PersonKeyRange(person_id, lo, hi, &p))
		{
			ProblemColumn(&p, att[P_PERSON_ID]);
			RaiseProblem(&p, rel);
		}
	}
	kind_datum = heap_getattr(row, att[P_DOC_KIND], desc, &isnull);
	if (isnull)
		return PointerGetDatum(row); /* NOT NULL constraints report it */
	kind = (DocKind) EnumLabelIndex(QE_DOC_KIND, DatumGetObjectId(kind_datum));
	doc_raw = TextColumn(row, desc, att[P_DOC_NO]);
	name = TextColumn(row, desc, att[P_NAME]);
	nationality = TextColumn(row, desc, att[P_NATIONALITY]);
	phone = TextColumn(row, desc, att[P_PHONE]);
	phone_status = TextColumn(row, desc, att[P_PHONE_STATUS]);
	if (doc_raw == NULL || name == NULL)
		return PointerGetDatum(row); /* NOT NULL constraints report it */

	/* person_name: what the manifest refuses (blank, control characters,
	 * too long) is refused here too, by the same function. */
	if ((old == NULL ||
		 strcmp(name, TextColumn(old, desc, att[P_NAME])) != 0) &&
		!PersonName(name, "person_name", &p))
	{
		ProblemColumn(&p, att[P_NAME]);
		RaiseProblem(&p, rel);
	}

	/* A malformed number raises 22P02 naming the column doc_no. */
	ColumnContextPush(&column, rel);
	column.column = att[P_DOC_NO];
	doc_no = NormalizeDoc(kind, doc_raw);
	column.column = 0;
	ColumnContextPop(&column);
	if (strcmp(doc_no, doc_raw) != 0)
		SetColumn(&ch, att[P_DOC_NO], CStringGetTextDatum(doc_no), false);

	given = heap_getattr(row, att[P_BIRTH_DATE], desc, &isnull);
	has_birth = !isnull;
	if (has_birth)
	{
		birth = DatumGetDateADT(given);
		if (!PlausibleBirthDate(birth, LocalToday(), "person_birth_date", &p))
		{
			ProblemColumn(&p, att[P_BIRTH_DATE]);
			RaiseProblem(&p, rel);
		}
	}
	given = heap_getattr(row, att[P_SEX], desc, &isnull);
	if (!isnull)
		sex = TextDatumGetCString(given)[0];

	/* A resident ID carries birth date and sex (GB 11643-1999). */
	Require(PersonDocumentAgreement(kind, doc_no, has_birth, birth, sex,
									&from_id, &id_birth, &id_sex, &p),
			&p, rel);
	if (from_id && !has_birth)
		SetColumn(&ch, att[P_BIRTH_DATE], DateADTGetDatum(id_birth), false);
	if (from_id && sex == 0)
	{
		char s[2] = {id_sex, '\0'};

		SetColumn(&ch, att[P_SEX], BpcharDatum(s), false);
	}

	/* ISO 3166 alpha-3 codes are upper case; 'gbr' and 'GBR' are one. */
	if (!PersonNationality(kind, doc_no, nationality, &norm,
						   "person_nationality", &p))
	{
		if (p.sqlstate == ERRCODE_INVALID_TEXT_REPRESENTATION)
			ProblemColumn(&p, att[P_NATIONALITY]);
		RaiseProblem(&p, rel);
	}
	if (nationality != NULL &&
		(norm == NULL || strcmp(norm, nationality) != 0))
		SetColumn(&ch, att[P_NATIONALITY],
				  norm ? BpcharDatum(norm) : (Datum) 0, norm == NULL);

	/* Passports are unique per issuing nationality, other documents alone. */
	scope = PersonIdentityScope(kind, norm);
	SetIfChanged(&ch, row, desc, att[P_IDENTITY_SCOPE], scope);
	/* Derived keys are rewritten only when they differ from the stored ones. */
	SetIfChanged(&ch, row, desc, att[P_NAME_KEY], NameKey(name));
	/* '+86 138-1234-5678' and '13812345678' are one phone (doc/records.md). */
	SetIfChanged(&ch, row, desc, att[P_PHONE_KEY],
				 phone ? PhoneKey(phone) : NULL);

	if (old != NULL)
	{
		char *old_phone = TextColumn(old, desc, att[P_PHONE]);
		char *old_status = TextColumn(old, desc, att[P_PHONE_STATUS]);
		bool  status_changed;

		phone_changed = (phone == NULL) != (old_phone == NULL) ||
						(phone != NULL && strcmp(phone, old_phone) != 0);
		status_changed =
			(phone_status == NULL) != (old_status == NULL) ||
			(phone_status != NULL && strcmp(phone_status, old_status) != 0);
		/* An explicit new status with the new number is taken as given. */
		if (phone_changed && status_changed)
			phone_changed = false;
	}
	else
		phone_changed = (phone_status == NULL);
	Require(
		PhoneStatusFor(phone, phone_status, phone_changed, &new_status, &p),
		&p, rel);
	if ((new_status == NULL) != (phone_status == NULL) ||
		(new_status != NULL && strcmp(new_status, phone_status) != 0))
		SetColumn(&ch, att[P_PHONE_STATUS],
				  new_status ? CStringGetTextDatum(new_status) : (Datum) 0,
				  new_status == NULL);

	/* Probe only when the identity is new or changes. */
	if (old == NULL ||
		strcmp(doc_no, TextColumn(old, desc, att[P_DOC_NO])) != 0 ||
		strcmp(scope, TextColumn(old, desc, att[P_IDENTITY_SCOPE])) != 0 ||
		DatumGetObjectId(heap_getattr(old, att[P_DOC_KIND], desc, &isnull)) !=
			DatumGetObjectId(kind_datum))
		Require(IdentityHolds(person_id, kind_datum,
							  EnumLabelName(QE_DOC_KIND, kind), doc_no, scope,
							  &p),
				&p, rel);

	{
		int	  jatt;
		Datum code;

		if (JurisdictionFromLocation(&person_place_map, rel, row, &jatt,
									 &code))
			SetColumn(&ch, jatt, code, false);
	}

	if (ch.n > 0)
		row = heap_modify_tuple_by_cols(row, desc, ch.n, ch.cols, ch.values,
										ch.nulls);

	/*
	 * person_scope: an operator's person is of its own jurisdictions (row
	 * security would refuse it too, without a rule name), on INSERT and on
	 * an UPDATE that moves the person.
	 */
	if (!CallerIsAdmin())
	{
		AttrNumber jatt = get_attnum(RelationGetRelid(rel), "jurisdiction");
		char	  *code = TextColumn(row, desc, jatt);
		char	  *was = old ? TextColumn(old, desc, jatt) : NULL;

		if ((old == NULL || (was == NULL) != (code == NULL) ||
			 (was != NULL && strcmp(was, code) != 0)) &&
			!PersonScope(0, code, JurisdictionInCallerScope(code), &p))
		{
			ProblemColumn(&p, jatt);
			RaiseProblem(&p, rel);
		}
	}
	return PointerGetDatum(row);
}

/*
 * AFTER INSERT OR UPDATE FOR EACH STATEMENT on person (transition tables
 * new_rows, and old_rows for UPDATE): record possible duplicates, set-based,
 * once per statement rather than once per row of a COPY.  doc/records.md: same
 * birth date and sex with a similar name, or the same verified phone with a
 * similar name.  The newer person is person_id, the older one other_id;
 * nothing is merged.  An UPDATE looks only at rows whose name, birth date,
 * sex or phone changed.  Within a block, name_keys_may_match skips the pairs
 * whose keys cannot reach the threshold before name_similarity scores them
 * (a bound, proven in names.c: no pair is lost).
 */
#define DUPLICATE_SEARCH(changed, filter)                                    \
	"WITH changed AS (" changed ") "                                         \
	"INSERT INTO quarantine.duplicate_candidate "                            \
	"  (person_id, other_id, score, reason) "                                \
	"SELECT DISTINCT ON (hi, lo) hi, lo, score, reason FROM ("               \
	"  SELECT greatest(n.person_id, p.person_id) AS hi, "                    \
	"         least(n.person_id, p.person_id) AS lo, s.score, "              \
	"         CASE WHEN p.birth_date OPERATOR(pg_catalog.=) n.birth_date "   \
	"AND p.sex OPERATOR(pg_catalog.=) n.sex "                                \
	"              THEN 'birth_sex_name' ELSE 'phone_name' END AS reason "   \
	"    FROM changed n JOIN quarantine.person p "                           \
	"      ON (p.birth_date OPERATOR(pg_catalog.=) n.birth_date AND p.sex "  \
	"OPERATOR(pg_catalog.=) n.sex) "                                         \
	"     AND p.person_id OPERATOR(pg_catalog.<>) n.person_id AND "          \
	"p.merged_into IS NULL " filter                                          \
	"   CROSS JOIN LATERAL (SELECT quarantine.name_similarity(n.name, "      \
	"p.name) "                                                               \
	"                       AS score) s "                                    \
	"   WHERE s.score OPERATOR(pg_catalog.>=) $2 "                           \
	"  UNION ALL "                                                           \
	"  SELECT greatest(n.person_id, p.person_id), "                          \
	"         least(n.person_id, p.person_id), s.score, 'phone_name' "       \
	"    FROM changed n JOIN quarantine.person p "                           \
	"      ON p.phone_key OPERATOR(pg_catalog.=) n.phone_key AND "           \
	"p.phone_status OPERATOR(pg_catalog.=) 'verified' "                      \
	"     AND p.person_id OPERATOR(pg_catalog.<>) n.person_id AND "          \
	"p.merged_into IS NULL "                                                 \
	"   CROSS JOIN LATERAL (SELECT quarantine.name_similarity(n.name, "      \
	"p.name) "                                                               \
	"                       AS score) s "                                    \
	"   WHERE n.phone_status OPERATOR(pg_catalog.=) 'verified' AND s.score " \
	"OPERATOR(pg_catalog.>=) $2"                                             \
	") c ORDER BY hi, lo, reason "                                           \
	"ON CONFLICT (person_id, other_id) DO NOTHING"

#define KEYS_FILTER \
	"     AND quarantine.name_keys_may_match(n.name_key, p.name_key, $2) "
#define NO_FILTER ""
#define CHANGED_BY_UPDATE                                            \
	"SELECT n.* FROM new_rows n JOIN old_rows o USING (person_id) "  \
	" WHERE n.merged_into IS NULL "                                  \
	"   AND (n.name, n.birth_date, n.sex, n.phone, n.phone_status) " \
	"       IS DISTINCT FROM "                                       \
	"       (o.name, o.birth_date, o.sex, o.phone, o.phone_status)"
#define CHANGED_BY_INSERT "SELECT * FROM new_rows WHERE merged_into IS NULL"

/*
 * Whether the schema has name_keys_may_match: the library is replaced before
 * ALTER EXTENSION quarantine UPDATE adds it, and a 0.1.0 schema meanwhile
 * searches without the filter (finding the same pairs, more slowly).
 */
static bool
HaveKeysFilter(void)
{
	Oid args[3] = {TEXTOID, TEXTOID, FLOAT4OID};

	return OidIsValid(
		LookupFuncName(list_make2(makeString("quarantine"),
								  makeString("name_keys_may_match")),
					   3, args, true));
}

Datum
person_after_write(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"person", NULL};
	TriggerData				*td =
		StatementTriggerData(fcinfo, "person_after_write", tables);
	Oid	  argtypes[1] = {FLOAT4OID};
	Datum values[1] = {Float4GetDatum(NAME_SIMILAR_THRESHOLD)};
	bool  update;
	bool  filter;

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(NULL);
	if (!quarantine_duplicate_detection)
		return PointerGetDatum(NULL);
	update = TRIGGER_FIRED_BY_UPDATE(td->tg_event);
	filter = HaveKeysFilter();
	ExecuteWithTransitionTables(
		OWNER_DUPLICATE_TRIGGER, td,
		update ? (filter ? DUPLICATE_SEARCH(CHANGED_BY_UPDATE, KEYS_FILTER)
						 : DUPLICATE_SEARCH(CHANGED_BY_UPDATE, NO_FILTER))
			   : (filter ? DUPLICATE_SEARCH(CHANGED_BY_INSERT, KEYS_FILTER)
						 : DUPLICATE_SEARCH(CHANGED_BY_INSERT, NO_FILTER)),
		1, argtypes, values, NULL);
	return PointerGetDatum(NULL);
}

/*
 * The person (its survivor after a merge) holding document doc_no of kind in
 * identity scope scope, whoever's district it is, or 0: the probe of
 * person_identity's index, as the trigger makes it.  For register_arrival,
 * which must tell a new document from another district's person (control
 * scope) without telling the caller the other person's facts.
 */
int64
PersonHoldingDocument(Datum kind, const char *doc_no, const char *scope)
{
	IdentityHit hit = {0, 0, false};
	Datum		keys[3];

	ColumnMapForTable(&person_map, "person");
	keys[0] = kind;
	keys[1] = CStringGetTextDatum(doc_no);
	keys[2] = CStringGetTextDatum(scope);
	ProbeIndex(&person_identity_probe, 3, keys, IdentityVisitor, &hit);
	return hit.existing;
}
