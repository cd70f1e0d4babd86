/*
 * trg_control.c
 *		Triggers on control: the workflow rules of SPEC §4 (seed 003).
 *
 * One BEFORE ROW trigger derives the maintained columns and checks every
 * rule; an AFTER STATEMENT trigger writes control_event set-based from the
 * transition tables.  A record may be inserted in any status (ETL loads
 * existing cases): the rules of that status apply to the inserted row as
 * they would to an update into it.
 *
 * Per row the trigger costs at most a few index probes (the entry, open
 * controls of the person, controls of the entry); lab tests are read only
 * when a control ends as completed or moves to home isolation.
 */
#include "records.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(control_before_write);
PG_FUNCTION_INFO_V1(control_after_update);

enum
{
	C_CONTROL_ID,
	C_PERSON_ID,
	C_ENTRY_ID,
	C_STATUS,
	C_PLAN,
	C_QUARANTINE_START,
	C_CONTROL_START,
	C_TRANSFERRED_FROM,
	C_HOME_VERIFIED_AT,
	C_COMMITMENT_SIGNED_AT,
	C_RETURN_REASON,
	C_RETURN_NOTE,
	C_END_REASON,
	C_ENDED_AT,
	C_RELEASE_DATE,
	C_NCOLS
};

static const char *const control_columns[] = {"control_id",
											  "person_id",
											  "entry_id",
											  "status",
											  "plan",
											  "quarantine_start",
											  "control_start",
											  "transferred_from",
											  "home_verified_at",
											  "commitment_signed_at",
											  "return_reason",
											  "return_note",
											  "end_reason",
											  "ended_at",
											  "release_date",
											  NULL};

static ColumnMap control_map = {control_columns};

enum
{
	EN_PERSON_ID,
	EN_ENTERED_AT,
	EN_CATEGORY
};
static const char *const entry_columns[] = {"person_id", "entered_at",
											"category", NULL};
static ColumnMap		 entry_map = {entry_columns};

enum
{
	V_RETURN_DATE,
	V_VERIFICATION_ID
};
static const char *const verification_columns[] = {"return_date",
												   "verification_id", NULL};
static ColumnMap		 verification_map = {verification_columns};

static IndexProbe entry_pkey_probe = {"entry_pkey"};
static IndexProbe single_open_probe = {"control_single_open"};
static IndexProbe control_entry_probe = {"control_entry"};
static IndexProbe verification_entry_probe = {"verification_entry"};

/* The columns of one control row the rules look at. */
typedef struct ControlRow
{
	int64		  control_id;
	int64		  person_id;
	bool		  has_entry;
	int64		  entry_id;
	ControlStatus status;
	bool		  has_plan;
	IsolationPlan plan;
	bool		  has_qstart;
	DateADT		  qstart;
	bool		  has_cstart;
	TimestampTz	  cstart;
	bool		  transferred;
	bool		  home_verified;
	bool		  commitment_signed;
	bool		  has_return_reason;
	char		 *return_note;
	bool		  has_end_reason;
	EndReason	  end_reason;
	bool		  has_ended_at;
	TimestampTz	  ended_at;
} ControlRow;

/* The entry a control points at, if any. */
typedef struct EntryInfo
{
	bool			found;
	int64			person_id;
	TimestampTz		entered_at;
	ArrivalCategory category;
} EntryInfo;

static void
ReadControl(HeapTuple tuple, TupleDesc desc, ControlRow *r)
{
	const int *att = control_map.attnum;
	bool	   isnull;
	Datum	   d;

	memset(r, 0, sizeof(*r));
	r->control_id =
		DatumGetInt64(heap_getattr(tuple, att[C_CONTROL_ID], desc, &isnull));
	r->person_id =
		DatumGetInt64(heap_getattr(tuple, att[C_PERSON_ID], desc, &isnull));
	d = heap_getattr(tuple, att[C_ENTRY_ID], desc, &isnull);
	r->has_entry = !isnull;
	r->entry_id = isnull ? 0 : DatumGetInt64(d);
	d = heap_getattr(tuple, att[C_STATUS], desc, &isnull);
	r->status = isnull
					? STATUS_PENDING
					: EnumLabelIndex(QE_CONTROL_STATUS, DatumGetObjectId(d));
	d = heap_getattr(tuple, att[C_PLAN], desc, &isnull);
	r->has_plan = !isnull;
	r->plan = isnull ? 0 : DatumGetIsolationPlan(d);
	d = heap_getattr(tuple, att[C_QUARANTINE_START], desc, &isnull);
	r->has_qstart = !isnull;
	r->qstart = isnull ? 0 : DatumGetDateADT(d);
	d = heap_getattr(tuple, att[C_CONTROL_START], desc, &isnull);
	r->has_cstart = !isnull;
	r->cstart = isnull ? 0 : DatumGetTimestampTz(d);
	heap_getattr(tuple, att[C_TRANSFERRED_FROM], desc, &isnull);
	r->transferred = !isnull;
	heap_getattr(tuple, att[C_HOME_VERIFIED_AT], desc, &isnull);
	r->home_verified = !isnull;
	heap_getattr(tuple, att[C_COMMITMENT_SIGNED_AT], desc, &isnull);
	r->commitment_signed = !isnull;
	heap_getattr(tuple, att[C_RETURN_REASON], desc, &isnull);
	r->has_return_reason = !isnull;
	d = heap_getattr(tuple, att[C_RETURN_NOTE], desc, &isnull);
	r->return_note = isnull ? NULL : TextDatumGetCString(d);
	d = heap_getattr(tuple, att[C_END_REASON], desc, &isnull);
	r->has_end_reason = !isnull;
	r->end_reason =
		isnull ? 0 : EnumLabelIndex(QE_END_REASON, DatumGetObjectId(d));
	d = heap_getattr(tuple, att[C_ENDED_AT], desc, &isnull);
	r->has_ended_at = !isnull;
	r->ended_at = isnull ? 0 : DatumGetTimestampTz(d);
}

static bool
EntryVisitor(TupleTableSlot *slot, void *arg)
{
	EntryInfo *e = (EntryInfo *) arg;
	const int *att = entry_map.attnum;
	bool	   isnull;
	Datum	   cat;

	e->found = true;
	e->person_id = DatumGetInt64(SlotValue(slot, att[EN_PERSON_ID], &isnull));
	e->entered_at =
		DatumGetTimestampTz(SlotValue(slot, att[EN_ENTERED_AT], &isnull));
	cat = SlotValue(slot, att[EN_CATEGORY], &isnull);
	e->category =
		isnull ? CAT_GENERAL
			   : EnumLabelIndex(QE_ARRIVAL_CATEGORY, DatumGetObjectId(cat));
	return false;
}

static void
LoadEntry(int64 entry_id, EntryInfo *e)
{
	Datum key = Int64GetDatum(entry_id);

	memset(e, 0, sizeof(*e));
	ColumnMapForTable(&entry_map, "entry");
	ProbeIndex(&entry_pkey_probe, 1, &key, EntryVisitor, e);
}

static const char *
StatusName(ControlStatus s)
{
	return EnumLabelName(QE_CONTROL_STATUS, s);
}

/* ---------- control_status_transition ---------- */

/* SPEC §4: the allowed moves between statuses; ended is final. */
static bool
TransitionAllowed(ControlStatus from, ControlStatus to)
{
	switch (from)
	{
		case STATUS_PENDING:
			return to == STATUS_UNDER_CONTROL || to == STATUS_MEDICAL ||
				   to == STATUS_ENDED || to == STATUS_RETURNED;
		case STATUS_UNDER_CONTROL:
			return to == STATUS_MEDICAL || to == STATUS_ENDED;
		case STATUS_MEDICAL:
			return to == STATUS_UNDER_CONTROL || to == STATUS_ENDED;
		case STATUS_RETURNED:
			return to == STATUS_PENDING;
		case STATUS_ENDED:
			return false;
	}
	return false;
}

static void
CheckTransition(const ControlRow *old, const ControlRow *r)
{
	if (old->status == r->status || TransitionAllowed(old->status, r->status))
		return;
	ereport(
		ERROR,
		(errcode(ERRCODE_CHECK_VIOLATION),
		 errmsg("control %lld cannot go from %s to %s",
				(long long) r->control_id, StatusName(old->status),
				StatusName(r->status)),
		 errdetail("Allowed: pending to under_control, medical, ended or "
				   "returned; under_control to medical or ended; medical "
				   "to under_control or ended; returned to pending; "
				   "ended to nothing."),
		 errhint(old->status == STATUS_ENDED
					 ? "An ended control is final: a new entry or exposure "
					   "is a new control."
					 : "Move through an allowed status first."),
		 errrule("control_status_transition")));
}

/* ---------- control_return_reason ---------- */

static void
CheckReturn(const ControlRow *r)
{
	if (r->status != STATUS_RETURNED)
		return;
	if (!r->has_return_reason)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("returned control %lld needs a return_reason",
						(long long) r->control_id),
				 errdetail("return_reason is NULL."),
				 errhint("Set return_reason to out_of_province, unreachable "
						 "or other, with a return_note."),
				 errrule("control_return_reason")));
	if (r->return_note == NULL ||
		r->return_note[strspn(r->return_note, " \t\r\n")] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("returned control %lld needs a return_note",
						(long long) r->control_id),
				 errdetail("return_note is empty."),
				 errhint("Say why; for out_of_province, where the person is "
						 "isolated (seed 003)."),
				 errrule("control_return_reason")));
}

/* ---------- control_end ---------- */

/*
 * completed: on the end day the isolation is over and a negative NAT was
 * sampled within quarantine.release_test_days before the isolation end
 * (seed 000 (九): released after a negative test at the end of isolation).
 */
static void
CheckCompleted(const ControlRow *r, DateADT end_day)
{
	DateADT	   iso_end;
	DateADT	   window_start;
	LabResult *tests;
	int		   ntests;

	if (!r->has_plan)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("control %lld cannot end as completed without a plan",
						(long long) r->control_id),
				 errdetail("plan is NULL."),
				 errhint("Set the plan the person followed."),
				 errrule("control_end")));
	iso_end = PlanIsolationEnd(r->plan, r->qstart);
	if (end_day < iso_end)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("control %lld cannot end as completed before its "
						"isolation ends",
						(long long) r->control_id),
				 errdetail("Plan %s from %s ends isolation on %s; the end day "
						   "is %s.",
						   PlanFormat(r->plan), DateText(r->qstart),
						   DateText(iso_end), DateText(end_day)),
				 errhint("End it on or after %s, or use another end_reason.",
						 DateText(iso_end)),
				 errrule("control_end")));
	window_start = iso_end - quarantine_release_test_days;
	tests = PersonLabResults(r->person_id, &ntests);
	for (int i = 0; i < ntests; i++)
		if (tests[i].kind == TEST_NAT && tests[i].result == RESULT_NEGATIVE &&
			tests[i].sampled_on >= window_start &&
			tests[i].sampled_on <= iso_end)
			return;
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("control %lld cannot end as completed without a negative "
					"release NAT",
					(long long) r->control_id),
			 errdetail("No negative NAT of person %lld was sampled between %s "
					   "and %s.",
					   (long long) r->person_id, DateText(window_start),
					   DateText(iso_end)),
			 errhint("Record the release NAT in lab_test first "
					 "(quarantine.release_test_days = %d).",
					 quarantine_release_test_days),
			 errrule("control_end")));
}

static void
CheckEnd(const ControlRow *r, DateADT end_day)
{
	if (r->status != STATUS_ENDED)
		return;
	if (!r->has_end_reason)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("ended control %lld needs an end_reason",
						(long long) r->control_id),
				 errdetail("end_reason is NULL."),
				 errhint("Set end_reason to completed, completed_elsewhere, "
						 "confirmed_case, transferred_out or exempted."),
				 errrule("control_end")));
	if (r->end_reason == END_COMPLETED)
		CheckCompleted(r, end_day);
	else if (r->end_reason == END_COMPLETED_ELSEWHERE)
	{
		/* seed 003 / seed 001 不再重复隔离: isolation finished before arrival */
		DateADT release;

		if (!r->has_plan)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("control %lld cannot end as completed_elsewhere "
							"without a plan",
							(long long) r->control_id),
					 errdetail("plan is NULL."),
					 errhint("Set the plan the person followed elsewhere."),
					 errrule("control_end")));
		release = PlanReleaseDate(r->plan, r->qstart);
		if (release > end_day)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("control %lld cannot end as completed_elsewhere: "
							"the plan runs until %s",
							(long long) r->control_id, DateText(release - 1)),
					 errdetail("Plan %s from %s is free from %s; the end day "
							   "is %s.",
							   PlanFormat(r->plan), DateText(r->qstart),
							   DateText(release), DateText(end_day)),
					 errhint("Keep the person under control until %s.",
							 DateText(release)),
					 errrule("control_end")));
	}
}

/* ---------- control_single_open and control_no_repeat ---------- */

static bool
IsOpen(ControlStatus s)
{
	return s == STATUS_PENDING || s == STATUS_UNDER_CONTROL ||
		   s == STATUS_MEDICAL;
}

typedef struct OtherControl
{
	int64 self;
	int64 person_id;
	int64 found;
	bool  want_completed; /* no_repeat: ended as completed(_elsewhere) */
	bool  also_open;	  /* no_repeat of a completed row: open ones too */
	int	  found_status;
	int	  found_reason;
} OtherControl;

/* Ended as completed or completed_elsewhere: isolation done (SPEC §4). */
static bool
IsCompletion(ControlStatus status, bool has_reason, int reason)
{
	return status == STATUS_ENDED && has_reason &&
		   (reason == END_COMPLETED || reason == END_COMPLETED_ELSEWHERE);
}

static bool
OtherControlVisitor(TupleTableSlot *slot, void *arg)
{
	OtherControl *o = (OtherControl *) arg;
	const int	 *att = control_map.attnum;
	bool		  isnull;
	int64 id = DatumGetInt64(SlotValue(slot, att[C_CONTROL_ID], &isnull));
	int64 person = DatumGetInt64(SlotValue(slot, att[C_PERSON_ID], &isnull));
	int	  status = EnumLabelIndex(
		  QE_CONTROL_STATUS,
		  DatumGetObjectId(SlotValue(slot, att[C_STATUS], &isnull)));

	if (id == o->self || person != o->person_id)
		return true;
	if (o->want_completed)
	{
		Datum reason = SlotValue(slot, att[C_END_REASON], &isnull);
		int	  r = isnull
					  ? 0
					  : EnumLabelIndex(QE_END_REASON, DatumGetObjectId(reason));

		if (!IsCompletion(status, !isnull, r) &&
			!(o->also_open && IsOpen(status)))
			return true;
		o->found_reason = r;
	}
	else if (!IsOpen(status))
		return true;
	o->found = id;
	o->found_status = status;
	return false;
}

static void
CheckSingleOpen(const ControlRow *r)
{
	OtherControl o = {r->control_id, r->person_id, 0, false, false};
	Datum		 key = Int64GetDatum(r->person_id);

	ProbeIndex(&single_open_probe, 1, &key, OtherControlVisitor, &o);
	if (o.found)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("person %lld already has an open control",
						(long long) r->person_id),
				 errdetail("Control %lld of person %lld is pending, "
						   "under_control or medical.",
						   (long long) o.found, (long long) r->person_id),
				 errhint("Work on control %lld, or end or return it first.",
						 (long long) o.found),
				 errrule("control_single_open")));
}

/*
 * An open or completing row: no other control of the entry completed it.  A
 * completing row: no other control of the entry is open either (the unique
 * index control_no_repeat guarantees both under concurrency).
 */
static void
CheckNoRepeat(const ControlRow *r)
{
	bool completing =
		IsCompletion(r->status, r->has_end_reason, r->end_reason);
	OtherControl o = {r->control_id, r->person_id, 0, true, completing};
	Datum		 key = Int64GetDatum(r->entry_id);

	ProbeIndex(&control_entry_probe, 1, &key, OtherControlVisitor, &o);
	if (o.found && completing)
		ereport(
			ERROR,
			(errcode(ERRCODE_UNIQUE_VIOLATION),
			 errmsg("person %lld already has a control for entry %lld",
					(long long) r->person_id, (long long) r->entry_id),
			 o.found_status == STATUS_ENDED
				 ? errdetail("Control %lld ended as %s for the same entry.",
							 (long long) o.found,
							 EnumLabelName(QE_END_REASON, o.found_reason))
				 : errdetail("Control %lld is %s for the same entry.",
							 (long long) o.found, StatusName(o.found_status)),
			 errhint("End or correct control %lld instead: isolation is not "
					 "repeated for the same entry (目的地不得重复隔离).",
					 (long long) o.found),
			 errrule("control_no_repeat")));
	if (o.found)
		ereport(
			ERROR,
			(errcode(ERRCODE_UNIQUE_VIOLATION),
			 errmsg("person %lld already completed isolation for entry %lld",
					(long long) r->person_id, (long long) r->entry_id),
			 errdetail("Control %lld ended as completed for the same "
					   "entry.",
					   (long long) o.found),
			 errhint("Isolation is not repeated for the same entry "
					 "(目的地不得重复隔离); a new entry or exposure is a "
					 "new control."),
			 errrule("control_no_repeat")));
}

/* ---------- control_dates ---------- */

static void
CheckDates(const ControlRow *r, const EntryInfo *e)
{
	if (r->has_cstart && r->qstart > LocalDateOf(r->cstart))
		ereport(
			ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("quarantine_start of control %lld is after its "
					"control_start",
					(long long) r->control_id),
			 errdetail("quarantine_start is %s, control_start is on %s.",
					   DateText(r->qstart), DateText(LocalDateOf(r->cstart))),
			 errhint("quarantine_start is day 1 of isolation anywhere; "
					 "it cannot follow the day this district took "
					 "control."),
			 errrule("control_dates")));
	if (e == NULL || !e->found)
		return;
	if (r->qstart < LocalDateOf(e->entered_at) ||
		(r->has_cstart && r->cstart < e->entered_at))
		ereport(
			ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("control %lld starts before its entry",
					(long long) r->control_id),
			 errdetail("Entry %lld was at %s; quarantine_start is %s, "
					   "control_start %s.",
					   (long long) r->entry_id,
					   timestamptz_to_str(e->entered_at), DateText(r->qstart),
					   r->has_cstart ? timestamptz_to_str(r->cstart)
									 : "not set"),
			 errhint("Check the entry and the dates of the control."),
			 errrule("control_dates")));
}

static void
CheckEntryPerson(const ControlRow *r, const EntryInfo *e)
{
	if (!e->found)
		return; /* the foreign key reports it */
	if (e->person_id != r->person_id)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("entry %lld is not an entry of person %lld",
						(long long) r->entry_id, (long long) r->person_id),
				 errdetail("Entry %lld belongs to person %lld.",
						   (long long) r->entry_id, (long long) e->person_id),
				 errhint("Use the person's own entry."),
				 errrule("control_entry_person")));
}

/* ---------- verification_transfer_date, from the control side ---------- */

typedef struct TransferCheck
{
	DateADT day;
	int64	bad_id;
	DateADT bad_date;
} TransferCheck;

static bool
VerificationVisitor(TupleTableSlot *slot, void *arg)
{
	TransferCheck *t = (TransferCheck *) arg;
	bool		   isnull;
	Datum d = SlotValue(slot, verification_map.attnum[V_RETURN_DATE], &isnull);

	if (isnull || DatumGetDateADT(d) == t->day)
		return true;
	t->bad_date = DatumGetDateADT(d);
	t->bad_id = DatumGetInt64(
		SlotValue(slot, verification_map.attnum[V_VERIFICATION_ID], &isnull));
	return false;
}

static void
CheckTransferDate(const ControlRow *r)
{
	TransferCheck t = {LocalDateOf(r->cstart), 0, 0};
	Datum		  key = Int64GetDatum(r->entry_id);

	ColumnMapForTable(&verification_map, "verification");
	ProbeIndex(&verification_entry_probe, 1, &key, VerificationVisitor, &t);
	if (t.bad_id)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("return date of verification %lld disagrees with the "
						"transfer of control %lld",
						(long long) t.bad_id, (long long) r->control_id),
				 errdetail("The person was transferred in on %s; the "
						   "verification says %s.",
						   DateText(t.day), DateText(t.bad_date)),
				 errhint("The return date of a transferred person is the day "
						 "this district took control (seed 003)."),
				 errrule("verification_transfer_date")));
}

/* ---------- control_plan_change ---------- */

static void CheckShortening(const ControlRow *r, ArrivalCategory category);

/* Days before the first home-isolation day of a plan; INT_MAX if none. */
static int
FirstHomeDay(IsolationPlan plan)
{
	PlanSegment segs[PLAN_MAX_SEGMENTS];
	int			n = PlanSegments(plan, segs);
	int			offset = 0;

	for (int i = 0; i < n; i++)
	{
		if (segs[i].phase == PHASE_HOME)
			return offset;
		offset += segs[i].days;
	}
	return INT_MAX;
}

static void
CheckPlanChange(const ControlRow *old, const ControlRow *r, const EntryInfo *e)
{
	ArrivalCategory category = (e && e->found) ? e->category : CAT_GENERAL;

	if (old->has_qstart && r->qstart != old->qstart)
		ereport(ERROR, (errcode(ERRCODE_CHECK_VIOLATION),
						errmsg("a plan change of control %lld cannot move "
							   "quarantine_start",
							   (long long) r->control_id),
						errdetail("quarantine_start %s would become %s.",
								  DateText(old->qstart), DateText(r->qstart)),
						errhint("Change the plan alone: day 1 stays day 1."),
						errrule("control_plan_change")));

	/*
	 * seeds 000 (五)(八), 001 (三)6: home isolation only when eligible — on
	 * a move from centralized to a plan with home isolation, and on any
	 * change that brings the first home day earlier (5c+3h -> 1c+7h).
	 */
	if (FirstHomeDay(r->plan) < FirstHomeDay(old->plan))
	{
		Eligibility el;
		LabResult  *tests;
		int			ntests;
		DateADT		today = LocalToday();

		tests = PersonLabResults(r->person_id, &ntests);
		HomeTransferCheck(r->qstart, category, tests, ntests, r->home_verified,
						  r->commitment_signed, today, &el);
		if (!el.eligible)
		{
			StringInfoData unmet;

			initStringInfo(&unmet);
			for (int bit = 0; bit < 32; bit++)
				if (el.unmet & (1u << bit))
					appendStringInfo(&unmet, "%s%s", unmet.len ? ", " : "",
									 HomeTransferCode(1u << bit));
			ereport(
				ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("control %lld is not eligible for home isolation "
						"on %s",
						(long long) r->control_id, DateText(today)),
				 errdetail("Plan %s to %s; unmet: %s.", PlanFormat(old->plan),
						   PlanFormat(r->plan), unmet.data),
				 errhint("See home_transfer_eligibility(%lld).",
						 (long long) r->control_id),
				 errrule("control_plan_change")));
		}
	}

	CheckShortening(r, category);
}

/* Shortening the policy's plan is an administrator's decision. */
static void
CheckShortening(const ControlRow *r, ArrivalCategory category)
{
	IsolationPlan policy;

	if (PolicyPlanFor(category, r->qstart, &policy) &&
		PlanTotalDays(r->plan) < PlanTotalDays(policy))
	{
		Oid admin = get_role_oid("quarantine_admin", true);

		if (!superuser() &&
			!(OidIsValid(admin) && has_privs_of_role(GetUserId(), admin)))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("only quarantine_admin may shorten the plan of "
							"control %lld",
							(long long) r->control_id),
					 errdetail("Plan %s has %d days; the policy plan %s has "
							   "%d.",
							   PlanFormat(r->plan), PlanTotalDays(r->plan),
							   PlanFormat(policy), PlanTotalDays(policy)),
					 errhint("Ask a quarantine_admin to make the change."),
					 errrule("control_plan_change")));
	}
}

/* ---------- the trigger ---------- */

typedef struct Changes
{
	int	  n;
	int	  cols[C_NCOLS];
	Datum values[C_NCOLS];
	bool  nulls[C_NCOLS];
} Changes;

static void
Set(Changes *ch, int col, Datum value, bool isnull)
{
	ch->cols[ch->n] = control_map.attnum[col];
	ch->values[ch->n] = value;
	ch->nulls[ch->n] = isnull;
	ch->n++;
}

/* BEFORE INSERT OR UPDATE FOR EACH ROW on control. */
Datum
control_before_write(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "control_before_write", "control", true);
	Relation   rel = td->tg_relation;
	TupleDesc  desc = RelationGetDescr(rel);
	HeapTuple  row = TriggerRow(td);
	bool	   is_update = TRIGGER_FIRED_BY_UPDATE(td->tg_event);
	ControlRow r;
	ControlRow old;
	EntryInfo  e = {0};
	Changes	   ch = {0};
	bool	   status_changed;
	bool	   entry_changed;
	bool	   cstart_changed;
	DateADT	   release;

	ColumnMapFor(&control_map, rel);
	ReadControl(row, desc, &r);
	if (is_update)
		ReadControl(td->tg_trigtuple, desc, &old);

	entry_changed = !is_update || r.entry_id != old.entry_id ||
					r.person_id != old.person_id;
	status_changed = !is_update || r.status != old.status;

	/* The entry is needed for defaults, dates and plan changes. */
	if (r.has_entry &&
		(entry_changed || !r.has_qstart ||
		 (is_update && (r.qstart != old.qstart || r.cstart != old.cstart ||
						r.plan != old.plan))))
	{
		LoadEntry(r.entry_id, &e);
		if (entry_changed)
			CheckEntryPerson(&r, &e);
	}

	if (is_update)
		CheckTransition(&old, &r);

	/* quarantine_start defaults to the local day of the entry. */
	if (!r.has_qstart)
	{
		r.qstart = e.found		  ? LocalDateOf(e.entered_at)
				   : r.has_cstart ? LocalDateOf(r.cstart)
								  : LocalToday();
		r.has_qstart = true;
		Set(&ch, C_QUARANTINE_START, DateADTGetDatum(r.qstart), false);
	}

	/* plan defaults to the policy of the category on day 1. */
	if (!r.has_plan && !is_update)
	{
		ArrivalCategory cat = e.found ? e.category : CAT_GENERAL;

		if (!PolicyPlanFor(cat, r.qstart, &r.plan))
			ereport(
				ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("no policy covers %s arrivals on %s",
						EnumLabelName(QE_ARRIVAL_CATEGORY, cat),
						DateText(r.qstart)),
				 errdetail("plan is NULL and plan_for('%s', '%s') is NULL.",
						   EnumLabelName(QE_ARRIVAL_CATEGORY, cat),
						   DateText(r.qstart)),
				 errhint("Name the plan, or add a policy row."),
				 errrule("control_plan_required")));
		r.has_plan = true;
		Set(&ch, C_PLAN, IsolationPlanGetDatum(r.plan), false);
	}
	else if (!is_update)
		CheckShortening(&r, e.found ? e.category : CAT_GENERAL);
	else if (r.has_plan && old.has_plan && r.plan != old.plan)
		CheckPlanChange(&old, &r, &e);
	else if (is_update && !r.has_plan && old.has_plan)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("the plan of control %lld cannot be removed",
						(long long) r.control_id),
				 errdetail("plan %s would become NULL.", PlanFormat(old.plan)),
				 errhint("Change it to another plan instead."),
				 errrule("control_plan_change")));

	/* control_start_fixed: set once, when first under control (seed 003). */
	cstart_changed = is_update && (r.has_cstart != old.has_cstart ||
								   r.cstart != old.cstart);
	if (control_start_correction && !old.has_cstart)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("control %lld has no control_start to correct",
						(long long) r.control_id),
				 errdetail("control_start is NULL: the record was never "
						   "under_control."),
				 errhint("control_start is set when the record becomes "
						 "under_control."),
				 errrule("control_start_fixed")));
	if (cstart_changed && old.has_cstart && !control_start_correction)
		ereport(
			ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("control_start of control %lld cannot change",
					(long long) r.control_id),
			 errdetail("control_start is %s.", timestamptz_to_str(old.cstart)),
			 errhint("Use correct_control_start(%lld, new_time, reason), "
					 "which is audited.",
					 (long long) r.control_id),
			 errrule("control_start_fixed")));
	if (r.status == STATUS_UNDER_CONTROL && !r.has_cstart)
	{
		r.cstart = GetCurrentTransactionStartTimestamp();
		r.has_cstart = true;
		cstart_changed = true;
		Set(&ch, C_CONTROL_START, TimestampTzGetDatum(r.cstart), false);
	}

	/* ended_at defaults to now; the end day is its local date. */
	if (r.status == STATUS_ENDED && !r.has_ended_at)
	{
		r.ended_at = GetCurrentTransactionStartTimestamp();
		r.has_ended_at = true;
		Set(&ch, C_ENDED_AT, TimestampTzGetDatum(r.ended_at), false);
	}

	CheckReturn(&r);
	/*
	 * The end day is the local date of ended_at, so an ETL job can load a
	 * historical release, but never later than today: a future ended_at
	 * cannot make an isolation complete early.
	 */
	if (r.status == STATUS_ENDED &&
		(status_changed || r.end_reason != old.end_reason ||
		 r.has_end_reason != old.has_end_reason ||
		 r.ended_at != old.ended_at || r.plan != old.plan ||
		 r.qstart != old.qstart))
		CheckEnd(&r, Min(LocalDateOf(r.ended_at), LocalToday()));
	if (IsOpen(r.status) && (status_changed || entry_changed) &&
		(!is_update || !IsOpen(old.status) || entry_changed))
	{
		CheckSingleOpen(&r);
		if (r.has_entry)
			CheckNoRepeat(&r);
	}
	else if (r.has_entry &&
			 IsCompletion(r.status, r.has_end_reason, r.end_reason) &&
			 (status_changed || entry_changed ||
			  !IsCompletion(old.status, old.has_end_reason, old.end_reason)))
		CheckNoRepeat(&r);
	if (!is_update || r.qstart != old.qstart || cstart_changed ||
		entry_changed)
		CheckDates(&r, r.has_entry ? &e : NULL);
	if (r.transferred && r.has_entry && r.has_cstart &&
		(!is_update || cstart_changed || entry_changed || !old.transferred))
		CheckTransferDate(&r);

	/* release_date is maintained from the plan. */
	release = PlanReleaseDate(r.plan, r.qstart);
	{
		bool  isnull;
		Datum cur = heap_getattr(row, control_map.attnum[C_RELEASE_DATE], desc,
								 &isnull);

		if (isnull || DatumGetDateADT(cur) != release)
			Set(&ch, C_RELEASE_DATE, DateADTGetDatum(release), false);
	}

	if (ch.n > 0)
		row = heap_modify_tuple_by_cols(row, desc, ch.n, ch.cols, ch.values,
										ch.nulls);
	return PointerGetDatum(row);
}

/*
 * AFTER UPDATE FOR EACH STATEMENT on control (transition tables old_rows,
 * new_rows): one control_event per status change, plan change and
 * control_start correction, written set-based.  The note is the one a
 * function such as revert_to_centralized() passes, else the client's
 * quarantine.event_note setting.
 */
Datum
control_after_update(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"control", NULL};
	TriggerData				*td =
		StatementTriggerData(fcinfo, "control_after_update", tables);
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	char		nulls[1] = {' '};
	const char *note = control_event_note;

	if (note == NULL)
		note = GetConfigOption("quarantine.event_note", true, false);
	if (note == NULL || note[0] == '\0')
		nulls[0] = 'n';
	else
		values[0] = CStringGetTextDatum(note);

	ExecuteWithTransitionTables(
		td,
		"INSERT INTO quarantine.control_event "
		"  (control_id, kind, from_status, to_status, old_value, new_value, "
		"   note, by_role) "
		"SELECT n.control_id, k.kind, o.status, n.status, k.old_value, "
		"       k.new_value, $2, $1 "
		"  FROM old_rows o JOIN new_rows n USING (control_id) "
		"  CROSS JOIN LATERAL (VALUES "
		"    ('status', NULL, NULL, o.status IS DISTINCT FROM n.status), "
		"    ('plan', o.plan::text, n.plan::text, "
		"     o.plan::text IS DISTINCT FROM n.plan::text), "
		"    ('control_start', o.control_start::text, n.control_start::text, "
		"     o.control_start IS NOT NULL "
		"     AND o.control_start IS DISTINCT FROM n.control_start)"
		"  ) AS k(kind, old_value, new_value, changed) "
		" WHERE k.changed",
		1, argtypes, values, nulls);
	return PointerGetDatum(NULL);
}
