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
	Relation		rel = td->tg_relation;
	TupleDesc		desc = RelationGetDescr(rel);
	HeapTuple		row = TriggerRow(td);
	bool			is_update = TRIGGER_FIRED_BY_UPDATE(td->tg_event);
	ControlRow		r;
	ControlRow		old;
	EntryInfo		e = {0};
	Changes			ch = {0};
	Problem			p = {0};
	bool			status_changed;
	bool			entry_changed;
	bool			cstart_changed;
	ArrivalCategory category;
	DateADT			release;

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(TriggerRow(td));
	ColumnMapFor(&control_map, rel);
	ReadControl(row, desc, &r);
	if (is_update)
		ReadControl(td->tg_trigtuple, desc, &old);

	entry_changed = !is_update || r.entry_id != old.entry_id ||
					r.person_id != old.person_id;

	/*
	 * control_scope first, so that no later rule tells an operator about
	 * another district's person: on INSERT, and on an UPDATE that changes
	 * the person or the site.
	 */
	{
		bool  no_site;
		Datum site =
			heap_getattr(row, control_map.attnum[C_SITE_ID], desc, &no_site);
		bool  old_no_site = true;
		Datum old_site = (Datum) 0;

		if (is_update)
			old_site =
				heap_getattr(td->tg_trigtuple, control_map.attnum[C_SITE_ID],
							 desc, &old_no_site);
		if ((!is_update || r.person_id != old.person_id ||
			 no_site != old_no_site ||
			 (!no_site && DatumGetInt64(site) != DatumGetInt64(old_site))) &&
			!CallerIsAdmin())
		{
			bool visible =
				RowVisibleToCaller("person", "person_id", r.person_id);
			int64 site_id = no_site ? 0 : DatumGetInt64(site);

			if (!ControlScope(
					r.person_id, visible, !no_site, site_id,
					!visible && !no_site && SiteInCallerScope(site_id), &p))
			{
				ProblemColumn(&p, control_map.attnum[C_PERSON_ID]);
				RaiseProblem(&p, rel);
			}
		}
	}
	status_changed = !is_update || r.status != old.status;

	/* The entry is needed for defaults, dates and plan changes. */
	if (r.has_entry &&
		(entry_changed || !r.has_qstart ||
		 (is_update && (r.qstart != old.qstart || r.cstart != old.cstart ||
						r.plan != old.plan))))
	{
		LoadEntry(r.entry_id, &e);
		if (entry_changed)
			RequireShown(ControlEntryPerson(&r, &e, &p), &p, rel, "entry",
						 "entry_id", r.entry_id);
	}
	category = e.found ? e.category : CAT_GENERAL;

	if (is_update)
		Require(ControlTransition(&old, &r, &p), &p, rel);

	/* jurisdiction defaults to the site's, else the person's. */
	{
		bool  no_jurisdiction;
		bool  no_site;
		Datum site =
			heap_getattr(row, control_map.attnum[C_SITE_ID], desc, &no_site);
		Datum j;

		(void) heap_getattr(row, control_map.attnum[C_JURISDICTION], desc,
							&no_jurisdiction);
		if (no_jurisdiction &&
			DefaultJurisdiction(&r, !no_site,
								no_site ? 0 : DatumGetInt64(site), &j))
			Set(&ch, C_JURISDICTION, j, false);
	}

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
		Require(ControlPlanRequired(category, r.qstart, &r.plan, &p), &p, rel);
		r.has_plan = true;
		Set(&ch, C_PLAN, IsolationPlanGetDatum(r.plan), false);
	}
	else if (!is_update)
		Require(ControlShortening(NULL, &r, category, CallerIsAdmin(), &p), &p,
				rel);
	else if (r.has_plan && old.has_plan && r.plan != old.plan)
	{
		LabResult *tests = NULL;
		int		   ntests = 0;

		if (ControlPlanChangeNeedsTests(&old, &r))
			tests = PersonLabResults(r.person_id, &ntests);
		Require(ControlPlanChange(&old, &r, category, tests, ntests,
								  LocalToday(), &p),
				&p, rel);
		Require(ControlShortening(&old, &r, category, CallerIsAdmin(), &p), &p,
				rel);
	}
	else
		Require(ControlPlanKept(&old, &r, &p), &p, rel);

	/*
	 * control_start_fixed: set once, when first under control (the district
	 * notes).
	 */
	cstart_changed = is_update && (r.has_cstart != old.has_cstart ||
								   r.cstart != old.cstart);
	if (is_update)
		Require(ControlStartFixed(&old, &r, control_start_correction, &p), &p,
				rel);
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

	Require(ControlReturn(&r, &p), &p, rel);
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
	{
		LabResult *tests = NULL;
		int		   ntests = 0;

		if (ControlEndNeedsTests(&r))
			tests = PersonLabResults(r.person_id, &ntests);
		Require(ControlEnd(&r, Min(LocalDateOf(r.ended_at), LocalToday()),
						   tests, ntests, &p),
				&p, rel);
	}
	if (ControlStatusIsOpen(r.status) && (status_changed || entry_changed) &&
		(!is_update || !ControlStatusIsOpen(old.status) || entry_changed))
	{
		OtherControl other;

		FindOpenControl(&r, &other);
		Require(ControlSingleOpen(r.person_id, &other, &p), &p, rel);
		if (r.has_entry)
		{
			FindCompletedControl(&r, false, &other);
			Require(ControlNoRepeat(r.person_id, r.entry_id, &other, &p), &p,
					rel);
		}
	}
	else if (r.has_entry &&
			 IsCompletion(r.status, r.has_end_reason, r.end_reason) &&
			 (status_changed || entry_changed ||
			  !IsCompletion(old.status, old.has_end_reason, old.end_reason)))
	{
		OtherControl other;

		FindCompletedControl(&r, true, &other);
		Require(ControlNoRepeatCompleting(r.person_id, r.entry_id, &other, &p),
				&p, rel);
	}
	if (!is_update || r.qstart != old.qstart || cstart_changed ||
		entry_changed)
	{
		/* What the manifest refuses: implausible dates (also through
		 * correct_control_start) */
		if (!PlausibleDate(r.qstart, "control_dates", "quarantine_start", &p))
		{
			ProblemColumn(&p, control_map.attnum[C_QUARANTINE_START]);
			RaiseProblem(&p, rel);
		}
		if (r.has_cstart &&
			!PlausibleInstant(r.cstart, "control_dates", "control_start", &p))
		{
			ProblemColumn(&p, control_map.attnum[C_CONTROL_START]);
			RaiseProblem(&p, rel);
		}
		RequireShown(ControlDates(&r, r.has_entry ? &e : NULL, &p), &p, rel,
					 "entry", "entry_id", r.has_entry ? r.entry_id : 0);
	}
	if (r.transferred && r.has_entry && r.has_cstart &&
		(!is_update || cstart_changed || entry_changed || !old.transferred))
		Require(TransferDateHolds(&r, &p), &p, rel);

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
