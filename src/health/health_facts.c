/*
 * health_facts.c
 *		The facts the health-code colour depends on (doc/health.md), read from
 *		the tables with index scans on person_id that are opened once per call
 *		or statement and walked forward through the persons asked, in
 *		ascending order, under one MVCC snapshot (MergedScan).  The decision
 *		itself is HealthCodeDecide() (health_code.c).
 */
#include "rules/control_rules.h"
#include "records/lab_tests.h"
#include "health/health_facts.h"

#include "access/genam.h"
#include "access/itup.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

enum
{
	C_CONTROL_ID,
	C_ENTRY_ID,
	C_STATUS,
	C_PLAN,
	C_QUARANTINE_START,
	C_RETURN_REASON,
	C_END_REASON,
	C_ENDED_AT
};
static const char *const control_columns[] = {
	"control_id",	 "entry_id",   "status",   "plan", "quarantine_start",
	"return_reason", "end_reason", "ended_at", NULL};
static ColumnMap control_map = {.names = control_columns};

enum
{
	E_ENTRY_ID,
	E_ENTERED_AT,
	E_CATEGORY
};
static const char *const entry_columns[] = {"entry_id", "entered_at",
											"category", NULL};
static ColumnMap		 entry_map = {.names = entry_columns};

enum
{
	S_ROLE,
	S_CLOSED_LOOP_START,
	S_PLAN
};
static const char *const staff_columns[] = {"role", "closed_loop_start",
											"plan", NULL};
static ColumnMap		 staff_map = {.names = staff_columns};

static const char *const feed_columns[] = {"reason", NULL};
static ColumnMap		 feed_map = {.names = feed_columns};

/* ---------- merged scans (records.c) ---------- */

static void
MergedScanOpen(MergedScan *m, const char *relname, const char *indexname,
			   Snapshot snapshot)
{
	if (strcmp(relname, "lab_test") == 0)
		LabTestScanOpen(&m->ps, snapshot);
	else
		PersonScanOpen(&m->ps, relname, indexname, snapshot);
	MergedScanBegin(m);
}

/*
 * Open the scans.  check_acl: the caller is a query (code_color), which
 * needs SELECT on the tables as a query of its own would; the triggers and
 * refresh_codes read as part of a write and check nothing more.
 */
void
FactReaderOpen(FactReader *r, Snapshot snapshot, bool with_feed,
			   bool check_acl)
{
	MergedScanOpen(&r->control, "control", "control_person", snapshot);
	MergedScanOpen(&r->entry, "entry", "entry_person", snapshot);
	MergedScanOpen(&r->lab, "lab_test", "lab_test_person", snapshot);
	MergedScanOpen(&r->staff, "staff", "staff_pkey", snapshot);
	if (check_acl)
	{
		PersonScanRequireSelect(&r->control.ps);
		PersonScanRequireSelect(&r->entry.ps);
		PersonScanRequireSelect(&r->lab.ps);
		PersonScanRequireSelect(&r->staff.ps);
	}
	ColumnMapFor(&control_map, r->control.ps.heap);
	ColumnMapFor(&entry_map, r->entry.ps.heap);
	ColumnMapFor(&staff_map, r->staff.ps.heap);
	r->with_feed = with_feed;
	if (with_feed)
	{
		MergedScanOpen(&r->feed, "code_assignment", "code_assignment_latest",
					   snapshot);
		ColumnMapFor(&feed_map, r->feed.ps.heap);
	}
	r->person_cxt = AllocSetContextCreate(CurrentMemoryContext, "code facts",
										  ALLOCSET_DEFAULT_SIZES);
}

void
FactReaderClose(FactReader *r)
{
	MergedScanClose(&r->control);
	MergedScanClose(&r->entry);
	MergedScanClose(&r->lab);
	MergedScanClose(&r->staff);
	if (r->with_feed)
		MergedScanClose(&r->feed);
	MemoryContextDelete(r->person_cxt);
}

/* A control as the colour rules see it. */
typedef struct SeenControl
{
	bool		  found;
	int64		  control_id;
	ControlStatus status;
	bool		  has_plan; /* plan and quarantine_start both set */
	IsolationPlan plan;
	DateADT		  qstart;
	TimestampTz	  ended_at; /* DT_NOBEGIN when not recorded */
} SeenControl;

/* A growable array in the person context. */
#define PUSH(arr, n, size, value)                                    \
	do                                                               \
	{                                                                \
		if ((n) == (size))                                           \
		{                                                            \
			(size) = (size) ? 2 * (size) : 8;                        \
			(arr) = (arr) ? repalloc((arr), sizeof(*(arr)) * (size)) \
						  : palloc(sizeof(*(arr)) * (size));         \
		}                                                            \
		(arr)[(n)++] = (value);                                      \
	} while (0)

/*
 * Controls: the open one (at most one, control_single_open), the latest
 * ended as completed or completed_elsewhere, the latest of all (for
 * unreachable) and the entries some control points at.
 */
static void
ReadControls(FactReader *r, int64 person_id, SeenControl *open,
			 SeenControl *completed, bool *unreachable, int64 **entry_ids,
			 int *n_entry_ids)
{
	TupleTableSlot *slot = r->control.ps.slot;
	const int	   *att = control_map.attnum;
	int64			latest_id = -1;
	int				size = 0;

	memset(open, 0, sizeof(*open));
	memset(completed, 0, sizeof(*completed));
	*unreachable = false;
	*entry_ids = NULL;
	*n_entry_ids = 0;

	MergedScanStart(&r->control, person_id);
	while (MergedScanNext(&r->control))
	{
		SeenControl c = {.found = true};
		bool		isnull;
		bool		qnull;
		Datum		d;

		c.control_id =
			DatumGetInt64(slot_getattr(slot, att[C_CONTROL_ID], &isnull));
		c.status = EnumLabelIndex(
			QE_CONTROL_STATUS,
			DatumGetObjectId(slot_getattr(slot, att[C_STATUS], &isnull)));
		d = slot_getattr(slot, att[C_PLAN], &isnull);
		c.plan = isnull ? 0 : DatumGetIsolationPlan(d);
		d = slot_getattr(slot, att[C_QUARANTINE_START], &qnull);
		c.qstart = qnull ? 0 : DatumGetDateADT(d);
		c.has_plan = !isnull && !qnull && !DATE_NOT_FINITE(c.qstart);
		d = slot_getattr(slot, att[C_ENDED_AT], &isnull);
		c.ended_at = isnull ? DT_NOBEGIN : DatumGetTimestampTz(d);

		d = slot_getattr(slot, att[C_ENTRY_ID], &isnull);
		if (!isnull)
			PUSH(*entry_ids, *n_entry_ids, size, DatumGetInt64(d));

		if (ControlStatusIsOpen(c.status))
		{
			if (!open->found || c.control_id > open->control_id)
				*open = c;
		}
		else if (c.status == STATUS_ENDED)
		{
			d = slot_getattr(slot, att[C_END_REASON], &isnull);
			if (!isnull)
			{
				int reason =
					EnumLabelIndex(QE_END_REASON, DatumGetObjectId(d));

				if ((reason == END_COMPLETED ||
					 reason == END_COMPLETED_ELSEWHERE) &&
					(!completed->found || c.ended_at > completed->ended_at ||
					 (c.ended_at == completed->ended_at &&
					  c.control_id > completed->control_id)))
					*completed = c;
			}
		}

		/* "returned as unreachable with no later control" (doc/health.md) */
		if (c.control_id > latest_id)
		{
			latest_id = c.control_id;
			*unreachable = false;
			if (c.status == STATUS_RETURNED)
			{
				d = slot_getattr(slot, att[C_RETURN_REASON], &isnull);
				*unreachable =
					!isnull &&
					EnumLabelIndex(QE_RETURN_REASON, DatumGetObjectId(d)) ==
						RETURN_UNREACHABLE;
			}
		}
	}
}

/*
 * Lab tests sampled up to at.  A positive NAT, IgM or antigen test counts
 * unless a completed control ended after its sample (the isolation that
 * followed it cleared it); IgG is left out: it shows past infection or
 * vaccination, not a current one.
 */
static void
ReadTests(FactReader *r, int64 person_id, TimestampTz at,
		  const SeenControl *completed, CodeFacts *f)
{
	int		size_nat = 0;
	int		size_neg = 0;
	LabTest t;

	MergedScanStart(&r->lab, person_id);
	while (MergedScanNext(&r->lab))
	{
		LabTestFromSlot(r->lab.ps.slot, &t);
		if (t.sampled_at > at)
			continue;
		if (t.result == RESULT_POSITIVE && t.kind != TEST_IGG &&
			!(completed->found && t.sampled_at <= completed->ended_at))
			f->positive_test = true;
		if (t.kind == TEST_NAT)
		{
			DateADT day = LocalDateOf(t.sampled_at);

			PUSH(f->nat, f->n_nat, size_nat, day);
			if (t.result == RESULT_NEGATIVE)
				PUSH(f->negative_nat, f->n_negative_nat, size_neg, day);
		}
	}
}

/* Entries up to at, each marked when some control points at it. */
static void
ReadEntries(FactReader *r, int64 person_id, TimestampTz at,
			const int64 *entry_ids, int n_entry_ids, CodeFacts *f)
{
	TupleTableSlot *slot = r->entry.ps.slot;
	const int	   *att = entry_map.attnum;
	int				size = 0;

	MergedScanStart(&r->entry, person_id);
	while (MergedScanNext(&r->entry))
	{
		bool		isnull;
		TimestampTz entered = DatumGetTimestampTz(
			slot_getattr(slot, att[E_ENTERED_AT], &isnull));
		int64	  entry_id;
		Datum	  cat;
		CodeEntry e;

		if (entered > at)
			continue;
		entry_id = DatumGetInt64(slot_getattr(slot, att[E_ENTRY_ID], &isnull));
		cat = slot_getattr(slot, att[E_CATEGORY], &isnull);
		e.day = LocalDateOf(entered);
		e.category = isnull ? CAT_GENERAL
							: EnumLabelIndex(QE_ARRIVAL_CATEGORY,
											 DatumGetObjectId(cat));
		e.controlled = false;
		for (int i = 0; i < n_entry_ids; i++)
			if (entry_ids[i] == entry_id)
				e.controlled = true;
		PUSH(f->entries, f->n_entries, size, e);
	}
}

/* The staff row, if any: role and closed-loop rotation. */
static void
ReadStaff(FactReader *r, int64 person_id, CodeFacts *f)
{
	TupleTableSlot *slot = r->staff.ps.slot;
	const int	   *att = staff_map.attnum;
	bool			isnull;
	Datum			d;

	MergedScanStart(&r->staff, person_id);
	if (!MergedScanNext(&r->staff))
		return;
	d = slot_getattr(slot, att[S_ROLE], &isnull);
	f->is_staff = !isnull && StaffRoleParse(TextDatumGetCString(d), &f->role);
	d = slot_getattr(slot, att[S_CLOSED_LOOP_START], &isnull);
	if (!isnull && !DATE_NOT_FINITE(DatumGetDateADT(d)))
	{
		f->rotation_start = DatumGetDateADT(d);
		d = slot_getattr(slot, att[S_PLAN], &isnull);
		if (!isnull)
		{
			f->has_rotation = true;
			f->rotation_plan = DatumGetIsolationPlan(d);
		}
	}
}

/* The reason of the person's latest feed row; clear when there is none. */
CodeReason
ReadLatest(FactReader *r, int64 person_id)
{
	bool  isnull;
	Datum d;

	MergedScanStart(&r->feed, person_id);
	if (!MergedScanNext(&r->feed))
		return REASON_CLEAR;
	d = slot_getattr(r->feed.ps.slot, feed_map.attnum[0], &isnull);
	return isnull ? REASON_COUNT : CodeReasonParse(TextDatumGetCString(d));
}

/*
 * The facts about one person at instant at, allocated in the reader's
 * person context (reset by the caller for each person).
 */
void
GatherFacts(FactReader *r, int64 person_id, TimestampTz at, CodeFacts *f)
{
	SeenControl open;
	SeenControl completed;
	int64	   *entry_ids;
	int			n_entry_ids;

	memset(f, 0, sizeof(*f));
	f->today = LocalDateOf(at);
	f->observation_days = quarantine_observation_days;
	f->release_test_days = quarantine_release_test_days;

	ReadControls(r, person_id, &open, &completed, &f->unreachable, &entry_ids,
				 &n_entry_ids);
	if (open.found || completed.found)
	{
		const SeenControl *c = open.found ? &open : &completed;

		f->has_control = true;
		f->status = c->status;
		f->has_plan = c->has_plan;
		f->plan = c->plan;
		f->qstart = c->qstart;
	}
	ReadTests(r, person_id, at, &completed, f);
	ReadEntries(r, person_id, at, entry_ids, n_entry_ids, f);
	ReadStaff(r, person_id, f);
}

/* The snapshot a STABLE function reads with: the caller's. */
Snapshot
ReadingSnapshot(void)
{
	return ActiveSnapshotSet() ? GetActiveSnapshot()
							   : GetTransactionSnapshot();
}
