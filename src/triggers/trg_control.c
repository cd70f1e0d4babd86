/*
 * trg_control.c
 *		Triggers on control: the glue between the table and the workflow rules
 *		of doc/records.md (the district notes), which are pure functions in
 *		control_rules.c shared with the manifest loader.
 *
 * One BEFORE ROW trigger reads the row, gathers the facts the rules need (the
 * entry, other controls, lab tests, the caller's role) by index probes,
 * derives the maintained columns and raises the first broken rule through
 * RaiseProblem (rule.c); an AFTER STATEMENT trigger writes control_event
 * set-based from the transition tables. A record may be inserted in any status
 * (ETL loads existing cases): the rules of that status apply to the inserted
 * row as they would to an update into it.
 *
 * Per row the trigger costs at most a few index probes (the entry, open
 * controls of the person, controls of the entry); lab tests are read only when
 * a control ends as completed or moves to home isolation.
 */
#include "rules/control_rules.h"
#include "triggers/triggers.h"
#include "records/lab_tests.h"
#include "records/records.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
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
	C_JURISDICTION,
	C_SITE_ID,
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
											  "jurisdiction",
											  "site_id",
											  NULL};

static ColumnMap control_map = {.names = control_columns};

enum
{
	EN_PERSON_ID,
	EN_ENTERED_AT,
	EN_CATEGORY
};
static const char *const entry_columns[] = {"person_id", "entered_at",
											"category", NULL};
static ColumnMap		 entry_map = {.names = entry_columns};

enum
{
	V_RETURN_DATE,
	V_VERIFICATION_ID
};
static const char *const verification_columns[] = {"return_date",
												   "verification_id", NULL};
static ColumnMap		 verification_map = {.names = verification_columns};

static IndexProbe entry_pkey_probe = {.indexname = "entry_pkey"};
static IndexProbe site_pkey_probe = {.indexname = "site_pkey"};
static IndexProbe person_pkey_probe = {.indexname = "person_pkey"};
static IndexProbe single_open_probe = {.indexname = "control_single_open"};
static IndexProbe control_entry_probe = {.indexname = "control_entry"};
static IndexProbe control_person_probe = {.indexname = "control_person"};
static IndexProbe verification_entry_probe = {.indexname =
												  "verification_entry"};

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

/* ---------- the control's jurisdiction ---------- */

/* The jurisdiction of a site or a person, where the control has none. */
static const char *const jurisdiction_columns[] = {"jurisdiction", NULL};
static ColumnMap site_jurisdiction_map = {.names = jurisdiction_columns};
static ColumnMap person_jurisdiction_map = {.names = jurisdiction_columns};

typedef struct JurisdictionHit
{
	int	  attnum;
	Datum value; /* copied out of the slot */
	bool  found;
} JurisdictionHit;

static bool
JurisdictionVisitor(TupleTableSlot *slot, void *arg)
{
	JurisdictionHit *h = (JurisdictionHit *) arg;
	bool			 isnull;
	Datum			 d = SlotValue(slot, h->attnum, &isnull);

	if (!isnull)
	{
		h->value = datumCopy(d, false, -1);
		h->found = true;
	}
	return false;
}

/*
 * doc/places.md: a control without a jurisdiction takes its site's, else its
 * person's, so that "who is due in 鹿城区" finds directly inserted controls
 * and row security places them.  False when neither has one.
 */
static bool
DefaultJurisdiction(const ControlRow *r, bool has_site, int64 site_id,
					Datum *value)
{
	JurisdictionHit h = {0};
	Datum			key;

	if (has_site)
	{
		ColumnMapForTable(&site_jurisdiction_map, "site");
		h.attnum = site_jurisdiction_map.attnum[0];
		key = Int64GetDatum(site_id);
		ProbeIndex(&site_pkey_probe, 1, &key, JurisdictionVisitor, &h);
	}
	if (!h.found)
	{
		ColumnMapForTable(&person_jurisdiction_map, "person");
		h.attnum = person_jurisdiction_map.attnum[0];
		key = Int64GetDatum(r->person_id);
		ProbeIndex(&person_pkey_probe, 1, &key, JurisdictionVisitor, &h);
	}
	*value = h.value;
	return h.found;
}

/* ---------- facts the rules need, by index probes ---------- */

typedef struct ControlProbe
{
	int64 self;
	int64 person_id;
	bool  want_completed; /* no_repeat: ended as completed(_elsewhere) */
	bool  also_open;	  /* no_repeat of a completing row: open ones too */
	OtherControl found;
} ControlProbe;

/*
 * Ended as completed or completed_elsewhere: isolation done (doc/records.md).
 */
static bool
IsCompletion(ControlStatus status, bool has_reason, int reason)
{
	return status == STATUS_ENDED && has_reason &&
		   (reason == END_COMPLETED || reason == END_COMPLETED_ELSEWHERE);
}

static bool
OtherControlVisitor(TupleTableSlot *slot, void *arg)
{
	ControlProbe *o = (ControlProbe *) arg;
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
			!(o->also_open && ControlStatusIsOpen(status)))
			return true;
		o->found.end_reason = r;
	}
	else if (!ControlStatusIsOpen(status))
		return true;
	o->found.control_id = id;
	o->found.status = status;
	o->found.in_statement = SlotWrittenByThisCommand(slot);
	return false;
}

/* A found control the caller may not see is not named in the error. */
static void
MarkHidden(OtherControl *other)
{
	other->hidden =
		other->control_id != 0 && !other->in_statement &&
		!RowVisibleToCaller("control", "control_id", other->control_id);
}

/* Another open control of the person (control_single_open). */
static void
FindOpenControl(const ControlRow *r, OtherControl *other)
{
	ControlProbe o = {.self = r->control_id,
					  .person_id = r->person_id,
					  .want_completed = false,
					  .also_open = false};
	Datum		 key = Int64GetDatum(r->person_id);

	ProbeIndex(&single_open_probe, 1, &key, OtherControlVisitor, &o);
	*other = o.found;
	MarkHidden(other);
}

/*
 * A control of the person that completed the same entry (control_no_repeat);
 * with also_open, for a completing row, an open one too.  The unique index
 * control_no_repeat guarantees both under concurrency.
 */
static void
FindCompletedControl(const ControlRow *r, bool also_open, OtherControl *other)
{
	ControlProbe o = {.self = r->control_id,
					  .person_id = r->person_id,
					  .want_completed = true,
					  .also_open = also_open};
	Datum		 key = Int64GetDatum(r->entry_id);

	ProbeIndex(&control_entry_probe, 1, &key, OtherControlVisitor, &o);
	*other = o.found;
	MarkHidden(other);
}

/*
 * Both of the above for a row that opens with an entry, in one probe of the
 * person's controls (control_person) instead of one of control_single_open
 * and one of control_entry: the open control of the person (at most one,
 * control_single_open) and the control of the person that completed entry
 * entry_id (at most one, control_no_repeat), the same rows the two probes
 * find.  Neither is marked hidden yet: only the one a rule reports is.
 */
typedef struct PersonControls
{
	int64		 self;
	int64		 entry_id;
	OtherControl open;
	OtherControl completed;
} PersonControls;

static bool
PersonControlVisitor(TupleTableSlot *slot, void *arg)
{
	PersonControls *pc = (PersonControls *) arg;
	const int	   *att = control_map.attnum;
	bool			isnull;
	int64 id = DatumGetInt64(SlotValue(slot, att[C_CONTROL_ID], &isnull));
	int	  status = EnumLabelIndex(
		  QE_CONTROL_STATUS,
		  DatumGetObjectId(SlotValue(slot, att[C_STATUS], &isnull)));
	Datum		  entry;
	Datum		  reason;
	int			  r;
	OtherControl *found;

	if (id == pc->self)
		return true;
	if (ControlStatusIsOpen(status))
		found = &pc->open;
	else
	{
		entry = SlotValue(slot, att[C_ENTRY_ID], &isnull);
		if (isnull || DatumGetInt64(entry) != pc->entry_id)
			return true;
		reason = SlotValue(slot, att[C_END_REASON], &isnull);
		r = isnull ? 0
				   : EnumLabelIndex(QE_END_REASON, DatumGetObjectId(reason));
		if (!IsCompletion(status, !isnull, r))
			return true;
		found = &pc->completed;
		found->end_reason = r;
	}
	if (found->control_id != 0)
		return true; /* the first, as the probe of its index finds it */
	found->control_id = id;
	found->status = status;
	found->in_statement = SlotWrittenByThisCommand(slot);
	return true;
}

static void
FindPersonControls(const ControlRow *r, PersonControls *pc)
{
	Datum key = Int64GetDatum(r->person_id);

	memset(pc, 0, sizeof(*pc));
	pc->self = r->control_id;
	pc->entry_id = r->entry_id;
	ProbeIndex(&control_person_probe, 1, &key, PersonControlVisitor, pc);
}

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

/* verification_transfer_date from the control side: the first verification
 * of the entry whose return date disagrees. */
static bool
TransferDateHolds(const ControlRow *r, Problem *p)
{
	TransferCheck t = {LocalDateOf(r->cstart), 0, 0};
	Datum		  key = Int64GetDatum(r->entry_id);

	ColumnMapForTable(&verification_map, "verification");
	ProbeIndex(&verification_entry_probe, 1, &key, VerificationVisitor, &t);
	if (t.bad_id == 0 || VerificationTransferDate(t.bad_id, t.bad_date,
												  r->control_id, t.day, p))
		return true;
	HideIfUnseen(p, "verification", "verification_id", t.bad_id);
	return false;
}

/* ---------- the trigger: facts, defaults, rules ---------- */

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

/*
 * Everything the rules of one row look at, gathered once before any rule
 * runs.  given is the row as written, r the same row with the maintained
 * columns derived, old the row before an UPDATE (zeroed on INSERT).
 */
typedef struct ControlFacts
{
	Relation		rel;
	HeapTuple		row;
	bool			is_update;
	ControlRow		given;
	ControlRow		r;
	ControlRow		old;
	bool			has_site;
	int64			site_id;
	bool			person_or_site_changed;
	bool			has_jurisdiction;
	bool			has_release_date;
	DateADT			release_date;
	EntryInfo		e;
	ArrivalCategory category;
	bool			entry_changed;
	bool			status_changed;
	bool			cstart_changed; /* also when derived */
	bool			plan_found;		/* control_plan_required, INSERT only */
	Problem			plan_problem;	/* when it did not hold */
	Changes			ch;				/* the derived columns */
	bool			person_controls_read; /* for single_open and no_repeat */
	PersonControls	person_controls;
	Problem			p;
} ControlFacts;

/* Read the written row, the old row and the entry into f. */
static void
GatherControlFacts(ControlFacts *f, TriggerData *td)
{
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	const int  *att = control_map.attnum;
	ControlRow *r = &f->given;
	ControlRow *old = &f->old;
	bool		isnull;
	Datum		d;

	f->rel = td->tg_relation;
	f->row = TriggerRow(td);
	f->is_update = TRIGGER_FIRED_BY_UPDATE(td->tg_event);
	ReadControl(f->row, desc, r);
	d = heap_getattr(f->row, att[C_SITE_ID], desc, &isnull);
	f->has_site = !isnull;
	f->site_id = isnull ? 0 : DatumGetInt64(d);
	(void) heap_getattr(f->row, att[C_JURISDICTION], desc, &isnull);
	f->has_jurisdiction = !isnull;
	d = heap_getattr(f->row, att[C_RELEASE_DATE], desc, &isnull);
	f->has_release_date = !isnull;
	f->release_date = isnull ? 0 : DatumGetDateADT(d);
	f->person_or_site_changed = true;
	if (f->is_update)
	{
		ReadControl(td->tg_trigtuple, desc, old);
		d = heap_getattr(td->tg_trigtuple, att[C_SITE_ID], desc, &isnull);
		f->person_or_site_changed =
			r->person_id != old->person_id || f->has_site == isnull ||
			(f->has_site && f->site_id != DatumGetInt64(d));
	}
	f->entry_changed = !f->is_update || r->entry_id != old->entry_id ||
					   r->person_id != old->person_id;
	f->status_changed = !f->is_update || r->status != old->status;
	f->cstart_changed = f->is_update && (r->has_cstart != old->has_cstart ||
										 r->cstart != old->cstart);

	/* The entry is needed for defaults, dates and plan changes. */
	if (r->has_entry &&
		(f->entry_changed || !r->has_qstart ||
		 (f->is_update && (r->qstart != old->qstart ||
						   r->cstart != old->cstart || r->plan != old->plan))))
		LoadEntry(r->entry_id, &f->e);
	f->category = f->e.found ? f->e.category : CAT_GENERAL;
}

/*
 * The maintained columns, into f->r and f->ch.  Nothing here raises: where
 * no policy gives an inserted row its plan, control_plan_required is
 * recorded and raised in its place among the rules.
 */
static void
DeriveControlDefaults(ControlFacts *f)
{
	ControlRow *r = &f->r;
	Datum		j;

	*r = f->given;
	/* doc/places.md: jurisdiction defaults to the site's, else the person's */
	if (!f->has_jurisdiction &&
		DefaultJurisdiction(r, f->has_site, f->site_id, &j))
		Set(&f->ch, C_JURISDICTION, j, false);

	/* quarantine_start defaults to the local day of the entry. */
	if (!r->has_qstart)
	{
		r->qstart = f->e.found		? LocalDateOf(f->e.entered_at)
					: r->has_cstart ? LocalDateOf(r->cstart)
									: LocalToday();
		r->has_qstart = true;
		Set(&f->ch, C_QUARANTINE_START, DateADTGetDatum(r->qstart), false);
	}

	/* plan defaults to the policy of the category on day 1. */
	if (!r->has_plan && !f->is_update)
	{
		f->plan_found = ControlPlanRequired(f->category, r->qstart, &r->plan,
											&f->plan_problem);
		if (f->plan_found)
		{
			r->has_plan = true;
			Set(&f->ch, C_PLAN, IsolationPlanGetDatum(r->plan), false);
		}
	}

	/* control_start: set once, when first under control (district notes). */
	if (r->status == STATUS_UNDER_CONTROL && !r->has_cstart)
	{
		r->cstart = GetCurrentTransactionStartTimestamp();
		r->has_cstart = true;
		f->cstart_changed = true;
		Set(&f->ch, C_CONTROL_START, TimestampTzGetDatum(r->cstart), false);
	}

	/* ended_at defaults to now; the end day is its local date. */
	if (r->status == STATUS_ENDED && !r->has_ended_at)
	{
		r->ended_at = GetCurrentTransactionStartTimestamp();
		r->has_ended_at = true;
		Set(&f->ch, C_ENDED_AT, TimestampTzGetDatum(r->ended_at), false);
	}
}

/* ---------- when each rule applies ---------- */

/*
 * control_scope on INSERT and on an UPDATE that changes the person or the
 * site, for all but an admin.
 */
static bool
WhenScope(const ControlFacts *f)
{
	return f->person_or_site_changed && !CallerIsAdmin();
}

static bool
WhenEntryChanged(const ControlFacts *f)
{
	return f->given.has_entry && f->entry_changed;
}

static bool
WhenUpdate(const ControlFacts *f)
{
	return f->is_update;
}

static bool
WhenPlanDerived(const ControlFacts *f)
{
	return !f->is_update && !f->given.has_plan;
}

static bool
WhenPlanGiven(const ControlFacts *f)
{
	return !f->is_update && f->given.has_plan;
}

static bool
PlanChanges(const ControlFacts *f)
{
	return f->is_update && f->r.has_plan && f->old.has_plan &&
		   f->r.plan != f->old.plan;
}

static bool
WhenPlanKept(const ControlFacts *f)
{
	return f->is_update && !PlanChanges(f);
}

static bool
WhenAlways(const ControlFacts *f)
{
	return true;
}

/*
 * control_end when the row ends or what the end depends on changes (f->old
 * is only read on UPDATE: status_changed holds on INSERT).
 */
static bool
WhenEnds(const ControlFacts *f)
{
	const ControlRow *r = &f->r;
	const ControlRow *old = &f->old;

	return r->status == STATUS_ENDED &&
		   (f->status_changed || r->end_reason != old->end_reason ||
			r->has_end_reason != old->has_end_reason ||
			r->ended_at != old->ended_at || r->plan != old->plan ||
			r->qstart != old->qstart);
}

/* The row becomes open, or an open row moves to another entry. */
static bool
WhenOpens(const ControlFacts *f)
{
	return ControlStatusIsOpen(f->r.status) &&
		   (f->status_changed || f->entry_changed) &&
		   (!f->is_update || !ControlStatusIsOpen(f->old.status) ||
			f->entry_changed);
}

static bool
WhenOpensWithEntry(const ControlFacts *f)
{
	return WhenOpens(f) && f->r.has_entry;
}

/* The row becomes a completion of its entry (and does not open). */
static bool
WhenCompletes(const ControlFacts *f)
{
	const ControlRow *r = &f->r;
	const ControlRow *old = &f->old;

	return !WhenOpens(f) && r->has_entry &&
		   IsCompletion(r->status, r->has_end_reason, r->end_reason) &&
		   (f->status_changed || f->entry_changed ||
			!IsCompletion(old->status, old->has_end_reason, old->end_reason));
}

static bool
WhenDatesChange(const ControlFacts *f)
{
	return !f->is_update || f->r.qstart != f->old.qstart ||
		   f->cstart_changed || f->entry_changed;
}

static bool
WhenTransferred(const ControlFacts *f)
{
	const ControlRow *r = &f->r;

	return r->transferred && r->has_entry && r->has_cstart &&
		   (!f->is_update || f->cstart_changed || f->entry_changed ||
			!f->old.transferred);
}

/* ---------- the rules, each true when it holds ---------- */

static bool
ScopeHolds(ControlFacts *f)
{
	bool visible = RowVisibleToCaller("person", "person_id", f->r.person_id);

	if (ControlScope(f->r.person_id, visible, f->has_site, f->site_id,
					 !visible && f->has_site && SiteInCallerScope(f->site_id),
					 &f->p))
		return true;
	ProblemColumn(&f->p, control_map.attnum[C_PERSON_ID]);
	return false;
}

static bool
EntryPersonHolds(ControlFacts *f)
{
	if (ControlEntryPerson(&f->r, &f->e, &f->p))
		return true;
	HideIfUnseen(&f->p, "entry", "entry_id", f->r.entry_id);
	return false;
}

static bool
TransitionHolds(ControlFacts *f)
{
	return ControlTransition(&f->old, &f->r, &f->p);
}

static bool
PlanRequiredHolds(ControlFacts *f)
{
	if (f->plan_found)
		return true;
	f->p = f->plan_problem;
	return false;
}

static bool
PlanShorteningHolds(ControlFacts *f)
{
	return ControlShortening(NULL, &f->r, f->category, CallerIsAdmin(), &f->p);
}

static bool
PlanChangeHolds(ControlFacts *f)
{
	LabResult *tests = NULL;
	int		   ntests = 0;

	if (ControlPlanChangeNeedsTests(&f->old, &f->r))
		tests = PersonLabResults(f->r.person_id, &ntests);
	return ControlPlanChange(&f->old, &f->r, f->category, tests, ntests,
							 LocalToday(), &f->p) &&
		   ControlShortening(&f->old, &f->r, f->category, CallerIsAdmin(),
							 &f->p);
}

static bool
PlanKeptHolds(ControlFacts *f)
{
	return ControlPlanKept(&f->old, &f->r, &f->p);
}

/* As written: a derived control_start is not a change of it. */
static bool
StartFixedHolds(ControlFacts *f)
{
	return ControlStartFixed(&f->old, &f->given, control_start_correction,
							 &f->p);
}

static bool
ReturnHolds(ControlFacts *f)
{
	return ControlReturn(&f->r, &f->p);
}

/*
 * The end day is the local date of ended_at, so an ETL job can load a
 * historical release, but never later than today: a future ended_at
 * cannot make an isolation complete early.
 */
static bool
EndHolds(ControlFacts *f)
{
	LabResult *tests = NULL;
	int		   ntests = 0;

	if (ControlEndNeedsTests(&f->r))
		tests = PersonLabResults(f->r.person_id, &ntests);
	return ControlEnd(&f->r, Min(LocalDateOf(f->r.ended_at), LocalToday()),
					  tests, ntests, &f->p);
}

/*
 * A row that opens with an entry is checked by both rules below: one probe
 * of the person's controls serves them (FindPersonControls).
 */
static bool
SingleOpenHolds(ControlFacts *f)
{
	OtherControl other;

	if (WhenOpensWithEntry(f))
	{
		FindPersonControls(&f->r, &f->person_controls);
		f->person_controls_read = true;
		other = f->person_controls.open;
		MarkHidden(&other);
	}
	else
		FindOpenControl(&f->r, &other);
	return ControlSingleOpen(f->r.person_id, &other, &f->p);
}

static bool
NoRepeatHolds(ControlFacts *f)
{
	OtherControl other;

	if (f->person_controls_read)
	{
		other = f->person_controls.completed;
		MarkHidden(&other);
	}
	else
		FindCompletedControl(&f->r, false, &other);
	return ControlNoRepeat(f->r.person_id, f->r.entry_id, &other, &f->p);
}

static bool
NoRepeatCompletingHolds(ControlFacts *f)
{
	OtherControl other;

	FindCompletedControl(&f->r, true, &other);
	return ControlNoRepeatCompleting(f->r.person_id, f->r.entry_id, &other,
									 &f->p);
}

/*
 * What the manifest refuses: implausible dates (also through
 * correct_control_start), then the order of the dates.
 */
static bool
DatesHold(ControlFacts *f)
{
	const ControlRow *r = &f->r;

	if (!PlausibleDate(r->qstart, "control_dates", "quarantine_start", &f->p))
	{
		ProblemColumn(&f->p, control_map.attnum[C_QUARANTINE_START]);
		return false;
	}
	if (r->has_cstart &&
		!PlausibleInstant(r->cstart, "control_dates", "control_start", &f->p))
	{
		ProblemColumn(&f->p, control_map.attnum[C_CONTROL_START]);
		return false;
	}
	if (ControlDates(r, r->has_entry ? &f->e : NULL, &f->p))
		return true;
	HideIfUnseen(&f->p, "entry", "entry_id", r->has_entry ? r->entry_id : 0);
	return false;
}

static bool
TransferHolds(ControlFacts *f)
{
	return TransferDateHolds(&f->r, &f->p);
}

/*
 * The rules of a control row in their order of precedence: the first that
 * applies and does not hold is raised.  control_scope comes first, so that
 * no later rule tells an operator about another district's person.
 */
typedef struct ControlCheck
{
	const char *rule;
	bool (*when)(const ControlFacts *f);
	bool (*holds)(ControlFacts *f);
} ControlCheck;

static const ControlCheck control_checks[] = {
	{"control_scope", WhenScope, ScopeHolds},
	{"control_entry_person", WhenEntryChanged, EntryPersonHolds},
	{"control_status_transition", WhenUpdate, TransitionHolds},
	{"control_plan_required", WhenPlanDerived, PlanRequiredHolds},
	{"control_plan_change", WhenPlanGiven, PlanShorteningHolds},
	{"control_plan_change", PlanChanges, PlanChangeHolds},
	{"control_plan_change", WhenPlanKept, PlanKeptHolds},
	{"control_start_fixed", WhenUpdate, StartFixedHolds},
	{"control_return_reason", WhenAlways, ReturnHolds},
	{"control_end", WhenEnds, EndHolds},
	{"control_single_open", WhenOpens, SingleOpenHolds},
	{"control_no_repeat", WhenOpensWithEntry, NoRepeatHolds},
	{"control_no_repeat", WhenCompletes, NoRepeatCompletingHolds},
	{"control_dates", WhenDatesChange, DatesHold},
	{"verification_transfer_date", WhenTransferred, TransferHolds},
};

/* BEFORE INSERT OR UPDATE FOR EACH ROW on control. */
Datum
control_before_write(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "control_before_write", "control", true);
	ControlFacts f = {0};
	DateADT		 release;

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(TriggerRow(td));
	ColumnMapFor(&control_map, td->tg_relation);
	GatherControlFacts(&f, td);
	DeriveControlDefaults(&f);
	for (int i = 0; i < (int) lengthof(control_checks); i++)
		if (control_checks[i].when(&f) && !control_checks[i].holds(&f))
			RaiseProblem(&f.p, f.rel);

	/* release_date is maintained from the plan. */
	release = PlanReleaseDate(f.r.plan, f.r.qstart);
	if (!f.has_release_date || f.release_date != release)
		Set(&f.ch, C_RELEASE_DATE, DateADTGetDatum(release), false);
	if (f.ch.n == 0)
		return PointerGetDatum(f.row);
	return PointerGetDatum(
		heap_modify_tuple_by_cols(f.row, RelationGetDescr(f.rel), f.ch.n,
								  f.ch.cols, f.ch.values, f.ch.nulls));
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

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(NULL);
	if (note == NULL)
		note = GetConfigOption("quarantine.event_note", true, false);
	if (note == NULL || note[0] == '\0')
		nulls[0] = 'n';
	else
		values[0] = CStringGetTextDatum(note);

	ExecuteWithTransitionTables(
		OWNER_CONTROL_EVENT_TRIGGER, td,
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
