/*
 * trg_verification.c
 *		Trigger on verification: the consistency rules of the verification
 *		list (核查库, the district notes; doc/records.md).
 */
#include "rules/control_rules.h"
#include "records/records.h"

#include "utils/builtins.h"
#include "utils/date.h"

PG_FUNCTION_INFO_V1(verification_before_write);

enum
{
	V_VERIFICATION_ID,
	V_ENTRY_ID,
	V_RETURN_DATE,
	V_STATUS,
	V_ISOLATED_DAYS,
	V_NOTE
};
static const char *const verification_columns[] = {
	"verification_id",
	"entry_id",
	"return_date",
	"status",
	"isolated_days_before_return",
	"note",
	NULL};
static ColumnMap verification_map = {.names = verification_columns};

enum
{
	EN_ENTERED_AT
};
static const char *const entry_columns[] = {"entered_at", NULL};
static ColumnMap		 entry_map = {.names = entry_columns};

enum
{
	C_CONTROL_ID,
	C_TRANSFERRED_FROM,
	C_CONTROL_START
};
static const char *const control_columns[] = {"control_id", "transferred_from",
											  "control_start", NULL};
static ColumnMap		 control_map = {.names = control_columns};

static IndexProbe entry_pkey_probe = {.indexname = "entry_pkey"};
static IndexProbe control_entry_probe = {.indexname = "control_entry"};

static bool
EnteredAtVisitor(TupleTableSlot *slot, void *arg)
{
	bool isnull;

	*(TimestampTz *) arg = DatumGetTimestampTz(
		SlotValue(slot, entry_map.attnum[EN_ENTERED_AT], &isnull));
	return false;
}

typedef struct TransferIn
{
	int64	control_id;
	DateADT day;
} TransferIn;

/* A control of the entry transferred in from elsewhere, with its start. */
static bool
TransferVisitor(TupleTableSlot *slot, void *arg)
{
	TransferIn *t = (TransferIn *) arg;
	const int  *att = control_map.attnum;
	bool		isnull;
	Datum		start;

	SlotValue(slot, att[C_TRANSFERRED_FROM], &isnull);
	if (isnull)
		return true;
	start = SlotValue(slot, att[C_CONTROL_START], &isnull);
	if (isnull)
		return true;
	t->day = LocalDateOf(DatumGetTimestampTz(start));
	t->control_id = DatumGetInt64(SlotValue(slot, att[C_CONTROL_ID], &isnull));
	return false;
}

/* ---------- the rules (doc/records.md), pure ---------- */

/* verification_close_early */
static bool
CloseNotEarly(int64 id, DateADT return_date, DateADT today, Problem *p)
{
	if (return_date <= today)
		return true;
	return Flag(p, "verification_close_early", ERRCODE_CHECK_VIOLATION,
				psprintf(_Q("verification %lld cannot be closed before the "
							"return date"),
						 (long long) id),
				psprintf(_Q("The return date is %s; today is %s."),
						 DateText(return_date), DateText(today)),
				psprintf(_Q("Keep it open until %s."), DateText(return_date)));
}

/* verification_isolation_claim */
static bool
IsolationClaim(int64 id, int32 days, DateADT entry_day, DateADT return_date,
			   Problem *p)
{
	if (days <= return_date - entry_day)
		return true;
	return Flag(
		p, "verification_isolation_claim", ERRCODE_CHECK_VIOLATION,
		psprintf(_Q("verification %lld claims %d days of isolation in %d "
					"days"),
				 (long long) id, days, return_date - entry_day),
		psprintf(_Q("Entered on %s, returned on %s, "
					"isolated_days_before_return is %d."),
				 DateText(entry_day), DateText(return_date), days),
		pstrdup(_Q("Record the days actually isolated at the entry "
				   "point.")));
}

/* verification_note_required */
static bool
NoteRequired(int64 id, int32 days, const char *note, Problem *p)
{
	if (days >= quarantine_observation_days ||
		(note != NULL && note[strspn(note, " \t\r\n")] != '\0'))
		return true;
	return Flag(p, "verification_note_required", ERRCODE_CHECK_VIOLATION,
				psprintf(_Q("verification %lld needs a note: %d days isolated "
							"before return"),
						 (long long) id, days),
				psprintf(_Q("isolated_days_before_return is %d, below "
							"quarantine.observation_days (%d)."),
						 days, quarantine_observation_days),
				pstrdup(_Q("Say where and how the rest of the observation is "
						   "done.")));
}

/* BEFORE INSERT OR UPDATE FOR EACH ROW on verification. */
/* The columns of a verification row that its rules read. */
typedef struct VerificationRow
{
	int64	id;
	bool	has_entry;
	int64	entry_id;
	bool	has_return;
	DateADT return_date;
	char   *status;
	bool	has_days;
	int32	days;
	char   *note;
} VerificationRow;

static void
ReadVerificationRow(Relation rel, HeapTuple row, VerificationRow *v)
{
	TupleDesc  desc = RelationGetDescr(rel);
	const int *att;
	bool	   isnull;
	Datum	   d;

	ColumnMapFor(&verification_map, rel);
	att = verification_map.attnum;
	memset(v, 0, sizeof(*v));
	v->id = DatumGetInt64(
		heap_getattr(row, att[V_VERIFICATION_ID], desc, &isnull));
	d = heap_getattr(row, att[V_ENTRY_ID], desc, &isnull);
	if ((v->has_entry = !isnull))
		v->entry_id = DatumGetInt64(d);
	d = heap_getattr(row, att[V_RETURN_DATE], desc, &isnull);
	if ((v->has_return = !isnull))
		v->return_date = DatumGetDateADT(d);
	d = heap_getattr(row, att[V_STATUS], desc, &isnull);
	v->status = isnull ? "open" : TextDatumGetCString(d);
	d = heap_getattr(row, att[V_ISOLATED_DAYS], desc, &isnull);
	if ((v->has_days = !isnull))
		v->days = DatumGetInt32(d);
	d = heap_getattr(row, att[V_NOTE], desc, &isnull);
	v->note = isnull ? NULL : TextDatumGetCString(d);
}

/*
 * 未隔离满14天回温: the days isolated before returning cannot exceed the days
 * between entry and return.
 */
static void
CheckIsolationClaim(Relation rel, const VerificationRow *v, Problem *p)
{
	TimestampTz entered_at = 0;
	Datum		key = Int64GetDatum(v->entry_id);

	ColumnMapForTable(&entry_map, "entry");
	if (ProbeIndex(&entry_pkey_probe, 1, &key, EnteredAtVisitor, &entered_at) >
		0)
		Require(IsolationClaim(v->id, v->days, LocalDateOf(entered_at),
							   v->return_date, p),
				p, rel);
}

/* Transferred in from a site elsewhere: returned the day control began. */
static void
CheckTransferDate(Relation rel, const VerificationRow *v, Problem *p)
{
	TransferIn t = {0, 0};
	Datum	   key = Int64GetDatum(v->entry_id);

	ColumnMapForTable(&control_map, "control");
	ProbeIndex(&control_entry_probe, 1, &key, TransferVisitor, &t);
	if (t.control_id != 0)
		RequireShown(VerificationTransferDate(v->id, v->return_date,
											  t.control_id, t.day, p),
					 p, rel, "control", "control_id", t.control_id);
}

Datum
verification_before_write(PG_FUNCTION_ARGS)
{
	TriggerData	   *td = RowTriggerData(fcinfo, "verification_before_write",
										"verification", true);
	Relation		rel = td->tg_relation;
	HeapTuple		row = TriggerRow(td);
	VerificationRow v;
	Problem			p = {0};

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(TriggerRow(td));
	/* person_scope first: no later rule tells of another district's person */
	RequireWrittenPersonInScope(td);
	ReadVerificationRow(rel, row, &v);

	/* 返浙日期未到已经结束核查: no closing before the person is back. */
	if (strcmp(v.status, "closed") == 0 && v.has_return)
		Require(CloseNotEarly(v.id, v.return_date, LocalToday(), &p), &p, rel);
	if (v.has_days && v.has_return && v.has_entry)
		CheckIsolationClaim(rel, &v, &p);
	if (v.has_return && v.has_entry)
		CheckTransferDate(rel, &v, &p);
	/* Fewer than the observation days at the entry point needs a reason. */
	if (v.has_days)
		Require(NoteRequired(v.id, v.days, v.note, &p), &p, rel);
	return PointerGetDatum(row);
}
