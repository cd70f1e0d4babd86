/*
 * manifest_verdict.c
 *		manifest_verdict(facts record) → import_verdict: the rules of a
 *		manifest row that depend on the tables and on the rest of the batch
 *		(doc/records.md; doc/import.md), decided from facts load_manifest()
 *		gathers set-based. Never raises on data.
 *
 * The facts are read by field name from whatever row load_manifest() passes
 * (see FACT_FIELDS); a field the row lacks reads as NULL, so the same function
 * serves the first pass, before the in-batch duplicates are known, and the
 * final one.
 */
#include "control_rules.h"
#include "manifest.h"
#include "records.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"

PG_FUNCTION_INFO_V1(manifest_verdict);

enum
{
	F_BATCH,
	F_ROW_NO,
	F_RULE,
	F_MESSAGE,
	F_DETAIL,
	F_ROW_NO_COUNT,
	F_SITE,
	F_SITE_COUNT,
	F_JURISDICTION,
	F_JURISDICTION_KNOWN,
	F_NAME,
	F_SEX,
	F_BIRTH_DATE,
	F_DOC_KIND,
	F_DOC_NO,
	F_IDENTITY_SCOPE,
	F_PERSON_ID,
	F_PERSON_NAME,
	F_PERSON_SEX,
	F_PERSON_BIRTH_DATE,
	F_OPEN_CONTROL,
	F_ENTRY_ID,
	F_ENTRY_CATEGORY,
	F_REUSED_ENTRY_DAY,
	F_COMPLETED_CONTROL,
	F_FIRST_ROW_NO,
	F_NFIELDS
};

static const FieldSpec fact_fields[F_NFIELDS] = {
	{"batch", TEXTOID, NULL},
	{"row_no", INT4OID, NULL},
	{"rule", TEXTOID, NULL},
	{"message", TEXTOID, NULL},
	{"detail", TEXTOID, NULL},
	{"row_no_count", INT8OID, NULL},
	{"site", TEXTOID, NULL},
	{"site_count", INT8OID, NULL},
	{"jurisdiction", TEXTOID, NULL},
	{"jurisdiction_known", BOOLOID, NULL},
	{"name", TEXTOID, NULL},
	{"sex", TEXTOID, NULL},
	{"birth_date", DATEOID, NULL},
	{"doc_kind", InvalidOid, "doc_kind"},
	{"doc_no", TEXTOID, NULL},
	{"identity_scope", TEXTOID, NULL},
	{"person_id", INT8OID, NULL},
	{"person_name", TEXTOID, NULL},
	{"person_sex", TEXTOID, NULL},
	{"person_birth_date", DATEOID, NULL},
	{"open_control", INT8OID, NULL},
	{"entry_id", INT8OID, NULL},
	{"entry_category", InvalidOid, "arrival_category"},
	{"reused_entry_day", DATEOID, NULL},
	{"completed_control", INT8OID, NULL},
	{"first_row_no", INT4OID, NULL}};

typedef struct Facts
{
	Datum v[F_NFIELDS];
	bool  n[F_NFIELDS];
} Facts;

typedef struct Verdict
{
	const char *rule;
	char	   *message;
	char	   *detail;
} Verdict;

static char *
Text(const Facts *f, int field)
{
	return f->n[field] ? NULL : TextDatumGetCString(f->v[field]);
}

static int64
Int8(const Facts *f, int field)
{
	return f->n[field] ? 0 : DatumGetInt64(f->v[field]);
}

/* "passport E12345678 of ITA", "resident_id 330302198506120029" */
static char *
DocumentText(const Facts *f)
{
	const char *kind =
		f->n[F_DOC_KIND]
			? "document"
			: EnumLabelName(
				  QE_DOC_KIND,
				  EnumLabelIndex(QE_DOC_KIND,
								 DatumGetObjectId(f->v[F_DOC_KIND])));
	char *scope = Text(f, F_IDENTITY_SCOPE);

	return psprintf("%s %s%s%s", kind, Text(f, F_DOC_NO),
					scope && *scope ? " of " : "", scope ? scope : "");
}

static bool
Reject(Verdict *v, const char *rule, char *message, char *detail)
{
	v->rule = rule;
	v->message = message;
	v->detail = detail;
	return false;
}

/* Reject with the problem a shared rule (control_rules.c) states. */
static bool
RejectProblem(Verdict *v, const Problem *p)
{
	return Reject(v, p->rule, p->message, p->detail);
}

/*
 * person_identity (doc/records.md): the document already belongs to a person.
 * The row is that person only if what else it says agrees: a similar name
 * (names_similar), and the same sex and birth date where both are known.
 * Otherwise the number is probably mistyped, and attaching an entry and a
 * control to someone else would be worse than a reject.
 */
static bool
CheckSamePerson(const Facts *f, Verdict *v)
{
	int64 person = Int8(f, F_PERSON_ID);
	char *name = Text(f, F_NAME);
	char *pname = Text(f, F_PERSON_NAME);
	char *sex = Text(f, F_SEX);
	char *psex = Text(f, F_PERSON_SEX);

	if (f->n[F_PERSON_ID])
		return true;
	if (name && pname && !NamesSimilar(name, pname))
		return Reject(
			v, "person_identity",
			psprintf("%s belongs to person %lld under another name",
					 DocumentText(f), (long long) person),
			psprintf(_Q("The row names \"%s\"; person %lld is \"%s\", not a "
						"similar name."),
					 name, (long long) person, pname));
	if (sex && psex && sex[0] != psex[0])
		return Reject(v, "person_identity",
					  psprintf("%s belongs to person %lld of the other sex",
							   DocumentText(f), (long long) person),
					  psprintf(_Q("The row says %s; person %lld is %s."), sex,
							   (long long) person, psex));
	if (!f->n[F_BIRTH_DATE] && !f->n[F_PERSON_BIRTH_DATE] &&
		DatumGetDateADT(f->v[F_BIRTH_DATE]) !=
			DatumGetDateADT(f->v[F_PERSON_BIRTH_DATE]))
		return Reject(
			v, "person_identity",
			psprintf("%s belongs to person %lld born on another day",
					 DocumentText(f), (long long) person),
			psprintf(_Q("The row says %s; person %lld was born on %s."),
					 DateText(DatumGetDateADT(f->v[F_BIRTH_DATE])),
					 (long long) person,
					 DateText(DatumGetDateADT(f->v[F_PERSON_BIRTH_DATE]))));
	return true;
}

/* The rules in the order a reader would fix them. */
static bool
Decide(const Facts *f, Verdict *v)
{
	int32	row_no = f->n[F_ROW_NO] ? 0 : DatumGetInt32(f->v[F_ROW_NO]);
	char   *site = Text(f, F_SITE);
	char   *jurisdiction = Text(f, F_JURISDICTION);
	Problem p = {0};

	if (!f->n[F_RULE])
		return Reject(v, Text(f, F_RULE), Text(f, F_MESSAGE),
					  Text(f, F_DETAIL));

	/* Two different rows under one number: which one is row N? */
	if (Int8(f, F_ROW_NO_COUNT) > 1)
		return Reject(
			v, "manifest_row_no",
			psprintf(_Q("row number %d is used by %lld different rows"),
					 row_no, (long long) Int8(f, F_ROW_NO_COUNT)),
			psprintf(_Q("Batch \"%s\" has %lld rows numbered %d that "
						"differ; none of them is loaded."),
					 Text(f, F_BATCH), (long long) Int8(f, F_ROW_NO_COUNT),
					 row_no));

	/* A misspelt hotel would silently lose the site: reject it. */
	if (site && Int8(f, F_SITE_COUNT) == 0)
		return Reject(v, "manifest_site",
					  psprintf(_Q("unknown site: \"%s\""), site),
					  psprintf(_Q("No site is named \"%s\"; leave the field "
								  "empty if the site is not yet known."),
							   site));
	if (site && Int8(f, F_SITE_COUNT) > 1)
		return Reject(v, "manifest_site",
					  psprintf(_Q("ambiguous site: \"%s\""), site),
					  psprintf("%lld sites are named \"%s\".",
							   (long long) Int8(f, F_SITE_COUNT), site));
	if (jurisdiction && (f->n[F_JURISDICTION_KNOWN] ||
						 !DatumGetBool(f->v[F_JURISDICTION_KNOWN])))
		return Reject(
			v, "manifest_jurisdiction",
			psprintf(_Q("unknown jurisdiction: \"%s\""), jurisdiction),
			psprintf(_Q("No jurisdiction has the code \"%s\"."),
					 jurisdiction));

	if (!CheckSamePerson(f, v))
		return false;

	/* control_single_open, as the control trigger states it. */
	if (!f->n[F_OPEN_CONTROL])
	{
		OtherControl other = {.control_id = Int8(f, F_OPEN_CONTROL),
							  .in_statement = false};

		if (!ControlSingleOpen(Int8(f, F_PERSON_ID), &other, &p))
			return RejectProblem(v, &p);
	}

	/*
	 * The entry of this flight and day is already recorded for the person:
	 * it is reused, so the control rules of that entry apply.
	 */
	if (!f->n[F_ENTRY_ID])
	{
		int64			entry = Int8(f, F_ENTRY_ID);
		ArrivalCategory category = CAT_GENERAL;
		IsolationPlan	plan;

		if (!f->n[F_COMPLETED_CONTROL])
		{
			OtherControl other = {.control_id = Int8(f, F_COMPLETED_CONTROL),
								  .in_statement = false};

			if (!ControlNoRepeat(Int8(f, F_PERSON_ID), entry, &other, &p))
				return RejectProblem(v, &p);
		}
		if (!f->n[F_ENTRY_CATEGORY])
			category = EnumLabelIndex(
				QE_ARRIVAL_CATEGORY, DatumGetObjectId(f->v[F_ENTRY_CATEGORY]));
		if (!f->n[F_REUSED_ENTRY_DAY] &&
			!ControlPlanRequired(category,
								 DatumGetDateADT(f->v[F_REUSED_ENTRY_DAY]),
								 &plan, &p))
			return RejectProblem(v, &p);
	}

	/* One row per person and batch: the first good row wins. */
	if (!f->n[F_FIRST_ROW_NO] && DatumGetInt32(f->v[F_FIRST_ROW_NO]) != row_no)
		return Reject(
			v, "manifest_duplicate_row",
			psprintf("%s is also in row %d", DocumentText(f),
					 DatumGetInt32(f->v[F_FIRST_ROW_NO])),
			psprintf(_Q("Row %d of batch \"%s\" already loads this person; a "
						"person is loaded once per batch."),
					 DatumGetInt32(f->v[F_FIRST_ROW_NO]), Text(f, F_BATCH)));
	return true;
}

/*
 * manifest_verdict(facts record) → import_verdict (rule, message, detail):
 * NULLs when the row may be loaded.  Internal to load_manifest().
 */
Datum
manifest_verdict(PG_FUNCTION_ARGS)
{
	FieldReader *reader = FieldReaderFor(fcinfo, F_NFIELDS);
	Facts		 f;
	Verdict		 v = {NULL, NULL, NULL};
	TupleDesc	 desc;
	Datum		 out[3];
	bool		 outnull[3];

	if (reader->extra == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE ||
			desc->natts != 3)
			elog(ERROR, "manifest_verdict must return import_verdict");
		reader->extra = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
	}
	desc = (TupleDesc) reader->extra;

	ReadFields(fcinfo, reader, 0, fact_fields, f.v, f.n);
	Decide(&f, &v);

	outnull[0] = v.rule == NULL;
	out[0] = v.rule ? CStringGetTextDatum(v.rule) : 0;
	outnull[1] = v.message == NULL;
	out[1] = v.message ? CStringGetTextDatum(v.message) : 0;
	outnull[2] = v.detail == NULL;
	out[2] = v.detail ? CStringGetTextDatum(v.detail) : 0;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, out, outnull)));
}
