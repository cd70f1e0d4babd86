/*
 * trg_person.c
 *		Triggers on person: normalized documents, fields derived from a
 *		resident ID, phone status, the person_identity rule (doc/identity.md;
 *		doc/records.md) and the set-based search for possible duplicates.
 */
#include "rules/person_rules.h"
#include "triggers/triggers.h"
#include "places/places.h"
#include "records/records.h"

#include "access/genam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/dependency.h"
#include "catalog/pg_sequence.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
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

/* ---------- the trigger: facts, then the steps in order ---------- */

/*
 * What the steps of one person row look at, read once.  A step may derive a
 * column (a normalized document, fields from a resident ID, keys) into ch and
 * into these facts, for the steps after it; the row is rebuilt once, at the
 * end.
 */
typedef struct PersonFacts
{
	Relation	rel;
	TupleDesc	desc;
	HeapTuple	row;
	HeapTuple	old; /* NULL on INSERT */
	const int  *att;
	RowChanges	ch;
	Problem		p;
	int64		person_id;
	bool		complete; /* doc_kind, doc_no and name given */
	Datum		kind_datum;
	DocKind		kind;
	char	   *doc_raw;
	char	   *doc_no; /* normalized */
	char	   *name;
	char	   *nationality;
	char	   *norm; /* normalized nationality */
	char	   *phone;
	char	   *phone_status;
	const char *scope;
	bool		has_birth;
	DateADT		birth;
	char		sex;
} PersonFacts;

static void
GatherPersonFacts(PersonFacts *f, TriggerData *td)
{
	const int *att = person_map.attnum;
	bool	   isnull;
	Datum	   d;

	f->rel = td->tg_relation;
	f->desc = RelationGetDescr(f->rel);
	f->row = TriggerRow(td);
	f->old = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_trigtuple : NULL;
	f->att = att;
	f->person_id = DatumGetInt64(
		heap_getattr(f->row, att[P_PERSON_ID], f->desc, &isnull));
	f->kind_datum = heap_getattr(f->row, att[P_DOC_KIND], f->desc, &isnull);
	if (isnull)
		return; /* NOT NULL constraints report it */
	f->kind =
		(DocKind) EnumLabelIndex(QE_DOC_KIND, DatumGetObjectId(f->kind_datum));
	f->doc_raw = TextColumn(f->row, f->desc, att[P_DOC_NO]);
	f->name = TextColumn(f->row, f->desc, att[P_NAME]);
	f->nationality = TextColumn(f->row, f->desc, att[P_NATIONALITY]);
	f->phone = TextColumn(f->row, f->desc, att[P_PHONE]);
	f->phone_status = TextColumn(f->row, f->desc, att[P_PHONE_STATUS]);
	f->complete = f->doc_raw != NULL && f->name != NULL;
	d = heap_getattr(f->row, att[P_BIRTH_DATE], f->desc, &isnull);
	f->has_birth = !isnull;
	f->birth = isnull ? 0 : DatumGetDateADT(d);
	d = heap_getattr(f->row, att[P_SEX], f->desc, &isnull);
	f->sex = isnull ? 0 : TextDatumGetCString(d)[0];
}

/* The old row's text column, or NULL on INSERT. */
static char *
OldText(const PersonFacts *f, int col)
{
	return f->old ? TextColumn(f->old, f->desc, f->att[col]) : NULL;
}

/* ---------- when each step applies ---------- */

/* On INSERT and on an UPDATE of person_id, for all but an admin. */
static bool
WhenKeyChanges(const PersonFacts *f)
{
	bool isnull;

	return (f->old == NULL || f->person_id != DatumGetInt64(heap_getattr(
												  f->old, f->att[P_PERSON_ID],
												  f->desc, &isnull))) &&
		   !CallerIsAdmin();
}

static bool
WhenNameChanges(const PersonFacts *f)
{
	return f->old == NULL || strcmp(f->name, OldText(f, P_NAME)) != 0;
}

static bool
WhenAlways(const PersonFacts *f)
{
	return true;
}

static bool
WhenBirthGiven(const PersonFacts *f)
{
	return f->has_birth;
}

/* Probe only when the identity is new or changes. */
static bool
WhenIdentityChanges(const PersonFacts *f)
{
	bool isnull;

	return f->old == NULL || strcmp(f->doc_no, OldText(f, P_DOC_NO)) != 0 ||
		   strcmp(f->scope, OldText(f, P_IDENTITY_SCOPE)) != 0 ||
		   DatumGetObjectId(
			   heap_getattr(f->old, f->att[P_DOC_KIND], f->desc, &isnull)) !=
			   DatumGetObjectId(f->kind_datum);
}

/* ---------- the steps, each true when its rule holds ---------- */

/* An administrator's writes (a restore of the province, which holds every
 * node's keys) may take any key. */
static bool
KeyRangeHolds(PersonFacts *f)
{
	int64 lo;
	int64 hi;

	if (!NodeKeyRange(f->rel, f->att[P_PERSON_ID], &lo, &hi) ||
		PersonKeyRange(f->person_id, lo, hi, &f->p))
		return true;
	ProblemColumn(&f->p, f->att[P_PERSON_ID]);
	return false;
}

/* person_name: what the manifest refuses (blank, control characters, too
 * long) is refused here too, by the same function. */
static bool
NameHolds(PersonFacts *f)
{
	if (PersonName(f->name, "person_name", &f->p))
		return true;
	ProblemColumn(&f->p, f->att[P_NAME]);
	return false;
}

/* A malformed number raises 22P02 naming the column doc_no. */
static bool
NormalizeDocNo(PersonFacts *f)
{
	ColumnContext column;

	ColumnContextPush(&column, f->rel);
	column.column = f->att[P_DOC_NO];
	f->doc_no = NormalizeDoc(f->kind, f->doc_raw);
	column.column = 0;
	ColumnContextPop(&column);
	if (strcmp(f->doc_no, f->doc_raw) != 0)
		SetColumn(&f->ch, f->att[P_DOC_NO], CStringGetTextDatum(f->doc_no),
				  false);
	return true;
}

static bool
BirthDateHolds(PersonFacts *f)
{
	if (PlausibleBirthDate(f->birth, LocalToday(), "person_birth_date", &f->p))
		return true;
	ProblemColumn(&f->p, f->att[P_BIRTH_DATE]);
	return false;
}

/* A resident ID carries birth date and sex (GB 11643-1999). */
static bool
DocumentAgreementHolds(PersonFacts *f)
{
	bool	from_id;
	DateADT id_birth;
	char	id_sex;

	if (!PersonDocumentAgreement(f->kind, f->doc_no, f->has_birth, f->birth,
								 f->sex, &from_id, &id_birth, &id_sex, &f->p))
		return false;
	if (from_id && !f->has_birth)
		SetColumn(&f->ch, f->att[P_BIRTH_DATE], DateADTGetDatum(id_birth),
				  false);
	if (from_id && f->sex == 0)
	{
		char s[2] = {id_sex, '\0'};

		SetColumn(&f->ch, f->att[P_SEX], BpcharDatum(s), false);
	}
	return true;
}

/* ISO 3166 alpha-3 codes are upper case; 'gbr' and 'GBR' are one. */
static bool
NationalityHolds(PersonFacts *f)
{
	if (!PersonNationality(f->kind, f->doc_no, f->nationality, &f->norm,
						   "person_nationality", &f->p))
	{
		if (f->p.sqlstate == ERRCODE_INVALID_TEXT_REPRESENTATION)
			ProblemColumn(&f->p, f->att[P_NATIONALITY]);
		return false;
	}
	if (f->nationality != NULL &&
		(f->norm == NULL || strcmp(f->norm, f->nationality) != 0))
		SetColumn(&f->ch, f->att[P_NATIONALITY],
				  f->norm ? BpcharDatum(f->norm) : (Datum) 0, f->norm == NULL);
	return true;
}

static bool
DeriveKeys(PersonFacts *f)
{
	/* Passports are unique per issuing nationality, other documents alone. */
	f->scope = PersonIdentityScope(f->kind, f->norm);
	SetIfChanged(&f->ch, f->row, f->desc, f->att[P_IDENTITY_SCOPE], f->scope);
	/* Derived keys are rewritten only when they differ from the stored ones. */
	SetIfChanged(&f->ch, f->row, f->desc, f->att[P_NAME_KEY],
				 NameKey(f->name));
	/* '+86 138-1234-5678' and '13812345678' are one phone (doc/records.md). */
	SetIfChanged(&f->ch, f->row, f->desc, f->att[P_PHONE_KEY],
				 f->phone ? PhoneKey(f->phone) : NULL);
	return true;
}

static bool
PhoneStatusHolds(PersonFacts *f)
{
	const char *phone = f->phone;
	const char *given = f->phone_status;
	bool		phone_changed = (given == NULL);
	const char *status;

	if (f->old != NULL)
	{
		char *old_phone = OldText(f, P_PHONE);
		char *old_status = OldText(f, P_PHONE_STATUS);
		bool  status_changed;

		phone_changed = (phone == NULL) != (old_phone == NULL) ||
						(phone != NULL && strcmp(phone, old_phone) != 0);
		status_changed = (given == NULL) != (old_status == NULL) ||
						 (given != NULL && strcmp(given, old_status) != 0);
		/* An explicit new status with the new number is taken as given. */
		if (phone_changed && status_changed)
			phone_changed = false;
	}
	if (!PhoneStatusFor(f->phone, given, phone_changed, &status, &f->p))
		return false;
	if ((status == NULL) != (given == NULL) ||
		(status != NULL && strcmp(status, given) != 0))
		SetColumn(&f->ch, f->att[P_PHONE_STATUS],
				  status ? CStringGetTextDatum(status) : (Datum) 0,
				  status == NULL);
	return true;
}

static bool
IdentityStepHolds(PersonFacts *f)
{
	return IdentityHolds(f->person_id, f->kind_datum,
						 EnumLabelName(QE_DOC_KIND, f->kind), f->doc_no,
						 f->scope, &f->p);
}

/* doc/places.md: a person without a jurisdiction takes it from its home. */
static bool
DeriveJurisdiction(PersonFacts *f)
{
	int	  jatt;
	Datum code;

	if (JurisdictionFromLocation(&person_place_map, f->rel, f->row, &jatt,
								 &code))
		SetColumn(&f->ch, jatt, code, false);
	return true;
}

/* The text of column attnum as the row will be written. */
static char *
WrittenText(const PersonFacts *f, int attnum)
{
	for (int i = f->ch.n - 1; i >= 0; i--)
		if (f->ch.cols[i] == attnum)
			return f->ch.nulls[i] ? NULL
								  : TextDatumGetCString(f->ch.values[i]);
	return TextColumn(f->row, f->desc, attnum);
}

/*
 * person_scope: an operator's person is of its own jurisdictions (row
 * security would refuse it too, without a rule name), on INSERT and on an
 * UPDATE that moves the person, for all but an admin.
 */
static bool
WhenMoves(const PersonFacts *f)
{
	AttrNumber jatt;
	char	  *code;
	char	  *was;

	if (CallerIsAdmin())
		return false;
	if (f->old == NULL)
		return true;
	jatt = get_attnum(RelationGetRelid(f->rel), "jurisdiction");
	code = WrittenText(f, jatt);
	was = TextColumn(f->old, f->desc, jatt);
	return (was == NULL) != (code == NULL) ||
		   (was != NULL && strcmp(was, code) != 0);
}

static bool
ScopeHolds(PersonFacts *f)
{
	AttrNumber jatt = get_attnum(RelationGetRelid(f->rel), "jurisdiction");
	char	  *code = WrittenText(f, jatt);

	if (PersonScope(0, code, JurisdictionInCallerScope(code), &f->p))
		return true;
	ProblemColumn(&f->p, jatt);
	return false;
}

/*
 * The steps of a complete person row in their order: the first rule that
 * applies and does not hold is raised.  Steps that derive a column come
 * before the rules that read it; person_scope reads the jurisdiction as it
 * will be written, so it comes last.
 */
typedef struct PersonStep
{
	const char *rule;
	bool (*when)(const PersonFacts *f);
	bool (*holds)(PersonFacts *f);
} PersonStep;

static const PersonStep person_steps[] = {
	{"person_name", WhenNameChanges, NameHolds},
	{"doc_no (22P02)", WhenAlways, NormalizeDocNo},
	{"person_birth_date", WhenBirthGiven, BirthDateHolds},
	{"person_document_agreement", WhenAlways, DocumentAgreementHolds},
	{"person_nationality", WhenAlways, NationalityHolds},
	{"identity_scope, name_key, phone_key", WhenAlways, DeriveKeys},
	{"person_phone_status", WhenAlways, PhoneStatusHolds},
	{"person_identity", WhenIdentityChanges, IdentityStepHolds},
	{"jurisdiction", WhenAlways, DeriveJurisdiction},
	{"person_scope", WhenMoves, ScopeHolds},
};

/*
 * BEFORE INSERT OR UPDATE FOR EACH ROW on person.
 */
Datum
person_before_write(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "person_before_write", "person", true);
	PersonFacts f = {0};

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(TriggerRow(td));
	ColumnMapFor(&person_map, td->tg_relation);
	GatherPersonFacts(&f, td);
	if (WhenKeyChanges(&f) && !KeyRangeHolds(&f))
		RaiseProblem(&f.p, f.rel);
	if (!f.complete)
		return PointerGetDatum(f.row); /* NOT NULL constraints report it */
	for (int i = 0; i < (int) lengthof(person_steps); i++)
		if (person_steps[i].when(&f) && !person_steps[i].holds(&f))
			RaiseProblem(&f.p, f.rel);
	if (f.ch.n == 0)
		return PointerGetDatum(f.row);
	return PointerGetDatum(heap_modify_tuple_by_cols(
		f.row, f.desc, f.ch.n, f.ch.cols, f.ch.values, f.ch.nulls));
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
 * (a bound, proven in names.c: no pair is lost).  The birth-date/sex half is
 * one pass in C (SearchBirthSexBlocks), the verified-phone half and the insert
 * one SQL statement.
 */
/*
 * The verified-phone half of the search, and the insert of the pairs the
 * birth-date/sex half found ($2 hi, $3 lo, $4 score, one element per pair),
 * in one statement: one row per pair, the birth_sex_name reason preferred
 * to phone_name, as ORDER BY hi, lo, reason takes it.
 */
#define DUPLICATE_INSERT(changed)                                            \
	"WITH changed AS (" changed ") "                                         \
	"INSERT INTO quarantine.duplicate_candidate "                            \
	"  (person_id, other_id, score, reason) "                                \
	"SELECT DISTINCT ON (hi, lo) hi, lo, score, reason FROM ("               \
	"  SELECT b.hi, b.lo, b.score, 'birth_sex_name' AS reason "              \
	"    FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.int8[]), "         \
	"pg_catalog.unnest($3::pg_catalog.int8[]), "                             \
	"pg_catalog.unnest($4::pg_catalog.float4[])) AS b(hi, lo, score) "       \
	"  UNION ALL "                                                           \
	"  SELECT greatest(n.person_id, p.person_id), "                          \
	"         least(n.person_id, p.person_id), s.score, "                    \
	"'phone_name' "                                                          \
	"    FROM changed n CROSS JOIN LATERAL ("                                \
	"      SELECT p.person_id, p.name FROM quarantine.person p "             \
	"       WHERE p.phone_key OPERATOR(pg_catalog.=) n.phone_key AND "       \
	"p.phone_status OPERATOR(pg_catalog.=) 'verified' "                      \
	"         AND p.person_id OPERATOR(pg_catalog.<>) n.person_id AND "      \
	"p.merged_into IS NULL OFFSET 0) p "                                     \
	"   CROSS JOIN LATERAL (SELECT quarantine.name_similarity(n.name, "      \
	"p.name) "                                                               \
	"                       AS score) s "                                    \
	"   WHERE n.phone_status OPERATOR(pg_catalog.=) 'verified' AND s.score " \
	"OPERATOR(pg_catalog.>=) $1"                                             \
	") c ORDER BY hi, lo, reason "                                           \
	"ON CONFLICT (person_id, other_id) DO NOTHING"

/* The birth-date/sex half reads the changed rows in block order. */
#define CHANGED_IN_BLOCKS(changed)                                     \
	"SELECT person_id, birth_date, sex, name, name_key FROM (" changed \
	") n WHERE birth_date IS NOT NULL AND sex IS NOT NULL "            \
	"ORDER BY birth_date, sex, person_id"

#define CHANGED_BY_UPDATE                                            \
	"SELECT n.* FROM new_rows n JOIN old_rows o USING (person_id) "  \
	" WHERE n.merged_into IS NULL "                                  \
	"   AND (n.name, n.birth_date, n.sex, n.phone, n.phone_status) " \
	"       IS DISTINCT FROM "                                       \
	"       (o.name, o.birth_date, o.sex, o.phone, o.phone_status)"
#define CHANGED_BY_INSERT "SELECT * FROM new_rows WHERE merged_into IS NULL"

/* A person of a birth-date/sex block, as the pair search compares it. */
typedef struct BlockPerson
{
	int64	  person_id;
	DateADT	  birth;
	char	  sex;
	char	 *name;
	SortedKey key;
	bool	  has_key;	 /* name_key not NULL */
	bool	  is_member; /* changed, and read as a member of its block */
} BlockPerson;

/* The pairs found, as the arrays of the insert. */
typedef struct FoundPairs
{
	int	   n;
	int	   cap;
	Datum *hi;
	Datum *lo;
	Datum *score;
} FoundPairs;

static void
AddPair(FoundPairs *f, int64 a, int64 b, float4 score)
{
	if (f->n == f->cap)
	{
		f->cap = f->cap ? 2 * f->cap : 1024;
		f->hi = f->hi ? repalloc_huge(f->hi, f->cap * sizeof(Datum))
					  : palloc(f->cap * sizeof(Datum));
		f->lo = f->lo ? repalloc_huge(f->lo, f->cap * sizeof(Datum))
					  : palloc(f->cap * sizeof(Datum));
		f->score = f->score ? repalloc_huge(f->score, f->cap * sizeof(Datum))
							: palloc(f->cap * sizeof(Datum));
	}
	f->hi[f->n] = Int64GetDatum(Max(a, b));
	f->lo[f->n] = Int64GetDatum(Min(a, b));
	f->score[f->n] = Float4GetDatum(score);
	f->n++;
}

/*
 * Same birth date and sex with a similar name: name_keys_may_match's bound
 * first (it never drops a pair name_similarity would keep), then the score,
 * the same C functions as the SQL ones.
 */
static void
ComparePair(FoundPairs *f, const BlockPerson *n, const BlockPerson *p)
{
	float4 score;

	if (n->name == NULL || p->name == NULL)
		return; /* name_similarity is strict */
	if (n->has_key && p->has_key &&
		!SortedKeysMayMatch(&n->key, &p->key, NAME_SIMILAR_THRESHOLD))
		return;
	score = NameSimilarity(n->name, p->name);
	if (score >= NAME_SIMILAR_THRESHOLD)
		AddPair(f, n->person_id, p->person_id, score);
}

static void
FillKey(BlockPerson *b, HeapTuple tup, TupleDesc desc, int attnum)
{
	bool  isnull;
	Datum d = heap_getattr(tup, attnum, desc, &isnull);

	b->has_key = !isnull;
	if (!isnull)
	{
		text *t = DatumGetTextPP(d);

		SortKey(&b->key, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
				CurrentMemoryContext);
	}
}

static int
CompareIds(const void *x, const void *y)
{
	int64 a = ((const BlockPerson *) x)->person_id;
	int64 b = ((const BlockPerson *) y)->person_id;

	return a < b ? -1 : a > b;
}

/*
 * Whether an existing person whose name key is key (has_key: not NULL) can
 * make a pair with one of the changed rows of its block: what ComparePair
 * would not skip by the keys alone.
 */
static bool
MayPairWithChanged(const SortedKey *key, bool has_key,
				   const BlockPerson *changed, int nchanged)
{
	for (int i = 0; i < nchanged; i++)
		if (!has_key || !changed[i].has_key ||
			SortedKeysMayMatch(key, &changed[i].key, NAME_SIMILAR_THRESHOLD))
			return true;
	return false;
}

/*
 * The existing members of one block (same birth date and sex, not merged),
 * read once by the index person_birth_sex under snapshot, which holds each
 * person's person_id and name_key (INCLUDE columns, 50_records.sql): a row is
 * fetched from the heap, for its visibility, merged_into and name, only when
 * it is one of the changed rows of the block (changed[0..nchanged), by
 * person_id), which are marked, or when its name key may match one of theirs;
 * those go to members, their names and keys allocated in block_cxt.  An
 * index entry's name_key is that of every row version its heap chain can
 * return (a HOT update changes no indexed column).  One scan serves every
 * block (rescanned): it runs in the caller's context, as the index AM
 * allocates some state lazily.
 */
static int
ReadBlockMembers(IndexScanDesc scan, bool with_keys, TupleTableSlot *slot,
				 MemoryContext block_cxt, BlockPerson *changed, int nchanged,
				 BlockPerson **members, int *cap)
{
	const int  *att = person_map.attnum;
	Relation	index = scan->indexRelation;
	TupleDesc	desc = RelationGetDescr(scan->heapRelation);
	ScanKeyData skey[2];
	char		sex[2] = {changed[0].sex, '\0'};
	int			n = 0;

	ScanKeyEntryInitialize(&skey[0], 0, 1, BTEqualStrategyNumber, InvalidOid,
						   index->rd_indcollation[0], F_DATE_EQ,
						   DateADTGetDatum(changed[0].birth));
	ScanKeyEntryInitialize(&skey[1], 0, 2, BTEqualStrategyNumber, InvalidOid,
						   index->rd_indcollation[1], F_BPCHAREQ,
						   BpcharDatum(sex));
	index_rescan(scan, skey, 2, NULL, 0);
	while (index_getnext_tid(scan, ForwardScanDirection) != NULL)
	{
		bool		  isnull;
		BlockPerson	  m = {0};
		BlockPerson	 *self = NULL;
		HeapTuple	  tup;
		MemoryContext old;

		if (with_keys)
		{
			if (scan->xs_itup == NULL)
				elog(ERROR, "index person_birth_sex returned no index tuple");
			m.person_id = DatumGetInt64(
				index_getattr(scan->xs_itup, 3, scan->xs_itupdesc, &isnull));
			self = bsearch(&m, changed, nchanged, sizeof(BlockPerson),
						   CompareIds);
			if (self == NULL)
			{
				Datum d = index_getattr(scan->xs_itup, 4, scan->xs_itupdesc,
										&isnull);

				m.has_key = !isnull;
				if (m.has_key)
				{
					old = MemoryContextSwitchTo(block_cxt);
					SortKey(&m.key, VARDATA_ANY(DatumGetTextPP(d)),
							VARSIZE_ANY_EXHDR(DatumGetTextPP(d)), block_cxt);
					MemoryContextSwitchTo(old);
				}
				if (!MayPairWithChanged(&m.key, m.has_key, changed, nchanged))
					continue;
			}
		}
		/* the row: visible under snapshot, and not merged */
		if (!index_fetch_heap(scan, slot))
			continue;
		(void) slot_getattr(slot, att[P_MERGED_INTO], &isnull);
		if (!isnull)
			continue;
		if (!with_keys)
		{
			/* a 0.2.0 index waiting for its update: all from the row */
			m.person_id =
				DatumGetInt64(slot_getattr(slot, att[P_PERSON_ID], &isnull));
			self = bsearch(&m, changed, nchanged, sizeof(BlockPerson),
						   CompareIds);
		}
		if (self != NULL)
		{
			self->is_member = true;
			continue;
		}
		tup = ExecFetchSlotHeapTuple(slot, false, NULL);
		old = MemoryContextSwitchTo(block_cxt);
		m.name = TextColumn(tup, desc, att[P_NAME]);
		if (!with_keys)
			FillKey(&m, tup, desc, att[P_NAME_KEY]);
		MemoryContextSwitchTo(old);
		if (n == *cap)
		{
			*cap *= 2;
			*members = repalloc_huge(*members, *cap * sizeof(BlockPerson));
		}
		(*members)[n++] = m;
	}
	return n;
}

/*
 * The birth-date/sex half of the search, in one pass: the changed rows in
 * block order (SPI over the transition tables), each block's existing members
 * read once through person_birth_sex, each unordered pair compared once (a
 * changed row with the others of its block, never with itself).  A changed
 * row that is not a member of its block (merged since, or not visible) is
 * compared with the members only, as the join did.
 */
static void
SearchBirthSexBlocks(const char *changed_sql, FoundPairs *found)
{
	MemoryContext block_cxt =
		AllocSetContextCreate(CurrentMemoryContext, "duplicate search block",
							  ALLOCSET_DEFAULT_SIZES);
	MemoryContext	outer = CurrentMemoryContext;
	BlockPerson	   *rows;
	BlockPerson	   *members;
	int				nrows;
	int				cap = 256;
	Relation		heap;
	Relation		index;
	Oid				nsp = QuarantineNamespace();
	Oid				indexoid;
	Snapshot		snapshot;
	IndexScanDesc	scan;
	TupleTableSlot *slot;
	bool			with_keys;
	int				rc;

	rc = SPI_execute(changed_sql, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
	nrows = (int) SPI_processed;
	if (nrows == 0)
		return;
	rows = MemoryContextAllocExtended(CurrentMemoryContext,
									  (Size) nrows * sizeof(BlockPerson),
									  MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (int i = 0; i < nrows; i++)
	{
		HeapTuple tup = SPI_tuptable->vals[i];
		TupleDesc desc = SPI_tuptable->tupdesc;
		bool	  isnull;

		rows[i].person_id =
			DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
		rows[i].birth = DatumGetDateADT(SPI_getbinval(tup, desc, 2, &isnull));
		rows[i].sex =
			TextDatumGetCString(SPI_getbinval(tup, desc, 3, &isnull))[0];
		rows[i].name = TextColumn(tup, desc, 4);
		FillKey(&rows[i], tup, desc, 5);
	}
	SPI_freetuptable(SPI_tuptable);

	indexoid = get_relname_relid("person_birth_sex", nsp);
	if (!OidIsValid(indexoid))
		MissingRelation("person_birth_sex");
	heap = table_open(get_relname_relid("person", nsp), AccessShareLock);
	index = index_open(indexoid, AccessShareLock);
	if (index->rd_index->indrelid != RelationGetRelid(heap) ||
		index->rd_index->indnkeyatts != 2)
		MissingRelation("person_birth_sex");
	/* (birth_date, sex) INCLUDE (person_id, name_key), as 50_records.sql;
	 * a 0.2.0 database waiting for its update has the key columns only */
	with_keys =
		index->rd_index->indnatts == 4 &&
		index->rd_index->indkey.values[2] == person_map.attnum[P_PERSON_ID] &&
		index->rd_index->indkey.values[3] == person_map.attnum[P_NAME_KEY];
	/* what the SQL join saw: the statement's rows, by a new snapshot */
	CommandCounterIncrement();
	snapshot = RegisterSnapshot(GetTransactionSnapshot());
	members = MemoryContextAlloc(outer, cap * sizeof(BlockPerson));
	scan = index_beginscan(heap, index, snapshot, 2, 0);
	scan->xs_want_itup = with_keys; /* person_id and name_key from it */
	slot = table_slot_create(heap, NULL);
	for (int start = 0, end; start < nrows; start = end)
	{
		int nmembers;

		for (end = start + 1;
			 end < nrows && rows[end].birth == rows[start].birth &&
			 rows[end].sex == rows[start].sex;
			 end++)
			;
		nmembers = ReadBlockMembers(scan, with_keys, slot, block_cxt,
									&rows[start], end - start, &members, &cap);
		for (int i = start; i < end; i++)
		{
			for (int j = 0; j < nmembers; j++)
				ComparePair(found, &rows[i], &members[j]);
			/* changed × changed once; a non-member meets members only */
			for (int j = start; j < i; j++)
				if (rows[i].is_member || rows[j].is_member)
					ComparePair(found, &rows[i], &rows[j]);
		}
		MemoryContextReset(block_cxt);
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snapshot);
	index_close(index, NoLock);
	table_close(heap, NoLock);
	MemoryContextDelete(block_cxt);
}

Datum
person_after_write(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"person", NULL};
	TriggerData				*td =
		StatementTriggerData(fcinfo, "person_after_write", tables);
	Oid argtypes[4] = {FLOAT4OID, INT8ARRAYOID, INT8ARRAYOID, FLOAT4ARRAYOID};
	Datum		 values[4];
	FoundPairs	 found = {0};
	QueryContext qc;
	bool		 update;
	int			 rc;

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(NULL);
	if (!quarantine_duplicate_detection)
		return PointerGetDatum(NULL);
	update = TRIGGER_FIRED_BY_UPDATE(td->tg_event);
	ColumnMapFor(&person_map, td->tg_relation);
	QuerySpiConnect(&qc, OWNER_DUPLICATE_TRIGGER);
	if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "SPI_register_trigger_data failed");
	SearchBirthSexBlocks(update ? CHANGED_IN_BLOCKS(CHANGED_BY_UPDATE)
								: CHANGED_IN_BLOCKS(CHANGED_BY_INSERT),
						 &found);
	values[0] = Float4GetDatum(NAME_SIMILAR_THRESHOLD);
	values[1] = PointerGetDatum(construct_array(
		found.hi, found.n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	values[2] = PointerGetDatum(construct_array(
		found.lo, found.n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	values[3] = PointerGetDatum(construct_array(
		found.score, found.n, FLOAT4OID, 4, true, TYPALIGN_INT));
	rc = SPI_execute_with_args(update ? DUPLICATE_INSERT(CHANGED_BY_UPDATE)
									  : DUPLICATE_INSERT(CHANGED_BY_INSERT),
							   4, argtypes, values, NULL, false, 0);
	if (rc < 0)
		elog(ERROR, "SPI_execute_with_args failed: %s",
			 SPI_result_code_string(rc));
	QuerySpiFinish(&qc);
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
