/*
 * manifest_check.c
 *		manifest_check(manifest_staging) → manifest_row: one staged manifest
 *		row judged alone and normalized, without raising (doc/import.md).
 *
 * The district notes (包机人员录入): the police list of a charter flight
 * arrives as a spreadsheet with passport numbers, filler phone numbers and the
 * hotel; it is imported around 14:00 and the districts fix it by 17:00. Every
 * field is text as typed; the field parsers (manifest_fields.c) read each one
 * the way the record tables will store it, and the row checks here apply the
 * rules across fields, so that a row it passes is one the triggers accept, and
 * a row it fails carries the rule name, a message and a detail sentence
 * instead of an error that would abort the whole load.
 */
#include "manifest.h"
#include "control_rules.h"
#include "person_rules.h"
#include "records.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(manifest_check);

/* ---------- the staged row ---------- */

enum
{
	S_ROW_NO,
	S_NAME,
	S_DOC_KIND,
	S_DOC_NO,
	S_NATIONALITY,
	S_SEX,
	S_BIRTH_DATE,
	S_PHONE,
	S_FLIGHT,
	S_SEAT,
	S_ENTERED_AT,
	S_PORT,
	S_SITE,
	S_JURISDICTION,
	S_NFIELDS
};

static const FieldSpec staging_fields[S_NFIELDS] = {
	{"row_no", INT4OID, NULL},		{"name", TEXTOID, NULL},
	{"doc_kind", TEXTOID, NULL},	{"doc_no", TEXTOID, NULL},
	{"nationality", TEXTOID, NULL}, {"sex", TEXTOID, NULL},
	{"birth_date", TEXTOID, NULL},	{"phone", TEXTOID, NULL},
	{"flight", TEXTOID, NULL},		{"seat", TEXTOID, NULL},
	{"entered_at", TEXTOID, NULL},	{"port", TEXTOID, NULL},
	{"site", TEXTOID, NULL},		{"jurisdiction", TEXTOID, NULL}};

/* ---------- the result (type manifest_row) ---------- */

enum
{
	R_RULE,
	R_MESSAGE,
	R_DETAIL,
	R_NAME,
	R_DOC_KIND,
	R_DOC_NO,
	R_IDENTITY_SCOPE,
	R_NATIONALITY,
	R_SEX,
	R_BIRTH_DATE,
	R_PHONE,
	R_PHONE_KIND,
	R_FLIGHT,
	R_SEAT,
	R_ENTERED_AT,
	R_ENTRY_DAY,
	R_CATEGORY,
	R_PORT,
	R_SITE,
	R_JURISDICTION,
	R_NFIELDS
};

static bool
CheckAgreement(Checked *c)
{
	Problem p = {0};
	bool	from_id;
	DateADT id_birth;
	char	id_sex;

	if (!PersonDocumentAgreement(c->kind, c->doc_no, c->has_birth, c->birth,
								 c->sex, &from_id, &id_birth, &id_sex, &p))
		return CheckedBadProblem(c, &p);
	/* The trigger fills both from the number; say so in the result. */
	if (from_id)
	{
		c->birth = id_birth;
		c->has_birth = true;
		c->sex = id_sex;
	}
	return true;
}

/* ---------- the row ---------- */

static bool
CheckRow(Datum *v, bool *n, Checked *c)
{
	char   *name = Trimmed(v[S_NAME], n[S_NAME]);
	char   *text;
	Problem p = {0};

	/*
	 * The entry trigger classifies an arrival without screening data as
	 * the function does here; the control trigger then needs a policy plan
	 * for that category on the entry day (control_plan_required, below).
	 */
	c->category = ClassifyArrival(false, 0, NULL, -1, false);

	if (n[S_ROW_NO])
		return CheckedBad(
			c, "manifest_row_no", pstrdup(_Q("row number is missing")),
			pstrdup(_Q("Every staged row needs row_no, its line in the "
					   "manifest, so that a second load can skip it.")));
	if (DatumGetInt32(v[S_ROW_NO]) < 1)
		return CheckedBad(
			c, "manifest_row_no",
			psprintf(_Q("row number %d is not positive"),
					 DatumGetInt32(v[S_ROW_NO])),
			pstrdup(_Q("Number the rows of a manifest from 1.")));

	/* person_name, as the person trigger states it */
	if (!PersonName(name, "manifest_name", &p))
		return CheckedBadProblem(c, &p);
	c->name = name;

	if (!CheckDocKind(Trimmed(v[S_DOC_KIND], n[S_DOC_KIND]), c) ||
		!CheckDocNo(Trimmed(v[S_DOC_NO], n[S_DOC_NO]), c) ||
		!CheckNationality(Trimmed(v[S_NATIONALITY], n[S_NATIONALITY]), c) ||
		!CheckSex(Trimmed(v[S_SEX], n[S_SEX]), c) ||
		!CheckBirthDate(Trimmed(v[S_BIRTH_DATE], n[S_BIRTH_DATE]), c) ||
		!CheckEnteredAt(Trimmed(v[S_ENTERED_AT], n[S_ENTERED_AT]), c) ||
		!CheckAgreement(c))
		return false;

	/*
	 * Any number is kept: the person trigger marks fillers placeholder and
	 * malformed numbers invalid, and both get a phone check (the district
	 * notes).
	 */
	text = Trimmed(v[S_PHONE], n[S_PHONE]);
	if (text != NULL && CharLength(text) > MANIFEST_MAX_PHONE_CHARS)
		return CheckedBad(
			c, "manifest_phone",
			psprintf(_Q("phone number is longer than %d characters"),
					 MANIFEST_MAX_PHONE_CHARS),
			psprintf(_Q("The field has %d characters; put other contacts "
						"in a note."),
					 CharLength(text)));
	c->phone = text;
	if (text != NULL)
	{
		c->phone_kind = PhoneKindOf(text);
		c->has_phone_kind = true;
	}

	if (!CheckFlight(Trimmed(v[S_FLIGHT], n[S_FLIGHT]), c) ||
		!CheckSeat(Trimmed(v[S_SEAT], n[S_SEAT]), c))
		return false;

	text = Trimmed(v[S_PORT], n[S_PORT]);
	if (text != NULL && CharLength(text) > MANIFEST_MAX_PORT_CHARS)
		return CheckedBad(
			c, "manifest_port",
			psprintf(_Q("port is longer than %d characters"),
					 MANIFEST_MAX_PORT_CHARS),
			psprintf(_Q("The field has %d characters; give the airport "
						"code or name."),
					 CharLength(text)));
	c->port = text;
	c->site = Trimmed(v[S_SITE], n[S_SITE]);
	c->jurisdiction = Trimmed(v[S_JURISDICTION], n[S_JURISDICTION]);

	{
		IsolationPlan plan;
		Problem		  plan_problem = {0};

		/* control_plan_required, as the control trigger states it */
		if (!ControlPlanRequired(c->category, c->entry_day, &plan,
								 &plan_problem))
			return CheckedBadProblem(c, &plan_problem);
	}
	return true;
}

static Datum
TextOrNull(const char *s, bool *isnull)
{
	*isnull = (s == NULL);
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

/*
 * manifest_check(row manifest_staging) → manifest_row: the rule the row
 * breaks (NULL when none) with message and detail, and the values as the
 * tables will store them.  Never raises on data.
 */
Datum
manifest_check(PG_FUNCTION_ARGS)
{
	FieldReader *reader = FieldReaderFor(fcinfo, S_NFIELDS);
	Datum		 in[S_NFIELDS];
	bool		 innull[S_NFIELDS];
	Datum		 out[R_NFIELDS];
	bool		 outnull[R_NFIELDS];
	Checked		 c;
	TupleDesc	 desc;

	if (reader->extra == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "manifest_check must return a composite type");
		reader->extra = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
	}
	desc = (TupleDesc) reader->extra;

	ReadFields(fcinfo, reader, 0, staging_fields, in, innull);
	memset(&c, 0, sizeof(c));
	CheckRow(in, innull, &c);

	out[R_RULE] = TextOrNull(c.rule, &outnull[R_RULE]);
	out[R_MESSAGE] = TextOrNull(c.message, &outnull[R_MESSAGE]);
	out[R_DETAIL] = TextOrNull(c.detail, &outnull[R_DETAIL]);
	out[R_NAME] = TextOrNull(c.name, &outnull[R_NAME]);
	outnull[R_DOC_KIND] = !c.has_kind;
	out[R_DOC_KIND] =
		c.has_kind ? ObjectIdGetDatum(EnumLabelOid(QE_DOC_KIND, c.kind)) : 0;
	out[R_DOC_NO] = TextOrNull(c.doc_no, &outnull[R_DOC_NO]);
	out[R_IDENTITY_SCOPE] = TextOrNull(c.scope, &outnull[R_IDENTITY_SCOPE]);
	out[R_NATIONALITY] = TextOrNull(c.nationality, &outnull[R_NATIONALITY]);
	{
		char sex[2] = {c.sex, '\0'};

		out[R_SEX] = TextOrNull(c.sex ? sex : NULL, &outnull[R_SEX]);
	}
	outnull[R_BIRTH_DATE] = !c.has_birth;
	out[R_BIRTH_DATE] = DateADTGetDatum(c.birth);
	out[R_PHONE] = TextOrNull(c.phone, &outnull[R_PHONE]);
	out[R_PHONE_KIND] =
		TextOrNull(c.has_phone_kind ? PhoneKindName(c.phone_kind) : NULL,
				   &outnull[R_PHONE_KIND]);
	out[R_FLIGHT] = TextOrNull(c.flight, &outnull[R_FLIGHT]);
	out[R_SEAT] = TextOrNull(c.seat, &outnull[R_SEAT]);
	outnull[R_ENTERED_AT] = !c.has_entered;
	out[R_ENTERED_AT] = TimestampTzGetDatum(c.entered_at);
	outnull[R_ENTRY_DAY] = !c.has_entered;
	out[R_ENTRY_DAY] = DateADTGetDatum(c.entry_day);
	outnull[R_CATEGORY] = !c.has_entered;
	out[R_CATEGORY] =
		ObjectIdGetDatum(EnumLabelOid(QE_ARRIVAL_CATEGORY, c.category));
	out[R_PORT] = TextOrNull(c.port, &outnull[R_PORT]);
	out[R_SITE] = TextOrNull(c.site, &outnull[R_SITE]);
	out[R_JURISDICTION] = TextOrNull(c.jurisdiction, &outnull[R_JURISDICTION]);

	if (desc->natts != R_NFIELDS)
		elog(ERROR, "manifest_row has %d fields, expected %d", desc->natts,
			 R_NFIELDS);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, out, outnull)));
}
