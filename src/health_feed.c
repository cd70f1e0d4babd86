/*
 * health_feed.c
 *		The health-code colour read from the tables (code_color) and the feed
 *		to the health-code platform (code_assignment): appended by statement
 *		triggers when records change and by refresh_codes() when time alone
 *		moves a person to another colour (SPEC §8).
 *
 * Facts are gathered per person with index scans on person_id that are
 * opened once per call or statement and rescanned for each person, under one
 * MVCC snapshot; the decision itself is HealthCodeDecide() (health_code.c).
 * The feed holds a row only when (color, reason) differs from the person's
 * latest row; a person with no row is green ("clear"), so green persons cost
 * nothing in the feed.
 */
#include "health.h"
#include "query_context.h"
#include "record_locks.h"
#include "records.h"

#include "access/relation.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

PG_FUNCTION_INFO_V1(code_color);
PG_FUNCTION_INFO_V1(code_feed_after_write);
PG_FUNCTION_INFO_V1(code_refresh);

/* Rows inserted into the feed per statement. */
#define FEED_CHUNK 50000

/* ---------- index scans by person ---------- */

/* Open an index scan on quarantine.relname by its index indexname. */
void
PersonScanOpen(PersonScan *s, const char *relname, const char *indexname,
			   Snapshot snapshot)
{
	Oid nsp = get_namespace_oid("quarantine", false);
	Oid relid = get_relname_relid(relname, nsp);
	Oid indexid = get_relname_relid(indexname, nsp);

	if (!OidIsValid(relid) || !OidIsValid(indexid))
		elog(ERROR, "quarantine.%s or its index %s does not exist", relname,
			 indexname);
	s->heap = table_open(relid, AccessShareLock);
	s->index = index_open(indexid, AccessShareLock);
	if (s->index->rd_index->indrelid != relid ||
		s->index->rd_opcintype[0] != INT8OID)
		elog(ERROR, "index %s does not lead with a bigint column of %s",
			 indexname, relname);
	s->slot = table_slot_create(s->heap, NULL);
	s->scan = index_beginscan(s->heap, s->index, snapshot, 1, 0);
	s->cxt = CurrentMemoryContext;
}

/* (Re)start the scan at the rows of one person. */
void
PersonScanStart(PersonScan *s, int64 person_id)
{
	ScanKeyData	  key;
	MemoryContext old = MemoryContextSwitchTo(s->cxt);

	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ,
				Int64GetDatum(person_id));
	index_rescan(s->scan, &key, 1, NULL, 0);
	MemoryContextSwitchTo(old);
}

/*
 * The next row of the person into s->slot; false at the end.  The index AM
 * allocates some state lazily (btree's killed-items list, on meeting dead
 * tuples), so the scan runs in its own context, not in the caller's
 * per-person one that is reset between persons.
 */
bool
PersonScanNext(PersonScan *s)
{
	MemoryContext old = MemoryContextSwitchTo(s->cxt);
	bool		  found;

	found = index_getnext_slot(s->scan, ForwardScanDirection, s->slot);
	MemoryContextSwitchTo(old);
	return found;
}

void
PersonScanRequireSelect(PersonScan *s)
{
	AclResult aclresult =
		pg_class_aclcheck(RelationGetRelid(s->heap), GetUserId(), ACL_SELECT);

	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, OBJECT_TABLE,
					   RelationGetRelationName(s->heap));
}

void
PersonScanClose(PersonScan *s)
{
	index_endscan(s->scan);
	ExecDropSingleTupleTableSlot(s->slot);
	index_close(s->index, AccessShareLock);
	table_close(s->heap, AccessShareLock);
}

/* ---------- gathering the facts ---------- */

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
static ColumnMap control_map = {control_columns};

enum
{
	E_ENTRY_ID,
	E_ENTERED_AT,
	E_CATEGORY
};
static const char *const entry_columns[] = {"entry_id", "entered_at",
											"category", NULL};
static ColumnMap		 entry_map = {entry_columns};

enum
{
	L_KIND,
	L_SAMPLED_AT,
	L_RESULT
};
static const char *const lab_columns[] = {"kind", "sampled_at", "result",
										  NULL};
static ColumnMap		 lab_map = {lab_columns};

enum
{
	S_ROLE,
	S_CLOSED_LOOP_START,
	S_PLAN
};
static const char *const staff_columns[] = {"role", "closed_loop_start",
											"plan", NULL};
static ColumnMap		 staff_map = {staff_columns};

static const char *const feed_columns[] = {"reason", NULL};
static ColumnMap		 feed_map = {feed_columns};

/* The scans one gathering needs, opened once for many persons. */
typedef struct FactReader
{
	PersonScan	  control;
	PersonScan	  entry;
	PersonScan	  lab;
	PersonScan	  staff;
	PersonScan	  feed; /* only with_feed */
	bool		  with_feed;
	MemoryContext person_cxt; /* reset for each person */
} FactReader;

/*
 * Open the scans.  check_acl: the caller is a query (code_color), which
 * needs SELECT on the tables as a query of its own would; the triggers and
 * refresh_codes read as part of a write and check nothing more.
 */
static void
FactReaderOpen(FactReader *r, Snapshot snapshot, bool with_feed,
			   bool check_acl)
{
	PersonScanOpen(&r->control, "control", "control_person", snapshot);
	PersonScanOpen(&r->entry, "entry", "entry_person", snapshot);
	PersonScanOpen(&r->lab, "lab_test", "lab_test_person", snapshot);
	PersonScanOpen(&r->staff, "staff", "staff_pkey", snapshot);
	if (check_acl)
	{
		PersonScanRequireSelect(&r->control);
		PersonScanRequireSelect(&r->entry);
		PersonScanRequireSelect(&r->lab);
		PersonScanRequireSelect(&r->staff);
	}
	ColumnMapFor(&control_map, r->control.heap);
	ColumnMapFor(&entry_map, r->entry.heap);
	ColumnMapFor(&lab_map, r->lab.heap);
	ColumnMapFor(&staff_map, r->staff.heap);
	r->with_feed = with_feed;
	if (with_feed)
	{
		PersonScanOpen(&r->feed, "code_assignment", "code_assignment_latest",
					   snapshot);
		ColumnMapFor(&feed_map, r->feed.heap);
	}
	r->person_cxt = AllocSetContextCreate(CurrentMemoryContext, "code facts",
										  ALLOCSET_DEFAULT_SIZES);
}

static void
FactReaderClose(FactReader *r)
{
	PersonScanClose(&r->control);
	PersonScanClose(&r->entry);
	PersonScanClose(&r->lab);
	PersonScanClose(&r->staff);
	if (r->with_feed)
		PersonScanClose(&r->feed);
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
	TupleTableSlot *slot = r->control.slot;
	const int	   *att = control_map.attnum;
	int64			latest_id = -1;
	int				size = 0;

	memset(open, 0, sizeof(*open));
	memset(completed, 0, sizeof(*completed));
	*unreachable = false;
	*entry_ids = NULL;
	*n_entry_ids = 0;

	PersonScanStart(&r->control, person_id);
	while (PersonScanNext(&r->control))
	{
		SeenControl c = {true};
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

		if (c.status == STATUS_PENDING || c.status == STATUS_UNDER_CONTROL ||
			c.status == STATUS_MEDICAL)
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

		/* "returned as unreachable with no later control" (SPEC §8) */
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
	TupleTableSlot *slot = r->lab.slot;
	const int	   *att = lab_map.attnum;
	int				size_nat = 0;
	int				size_neg = 0;

	PersonScanStart(&r->lab, person_id);
	while (PersonScanNext(&r->lab))
	{
		bool		isnull;
		TimestampTz sampled = DatumGetTimestampTz(
			slot_getattr(slot, att[L_SAMPLED_AT], &isnull));
		TestKind   kind;
		TestResult result;

		if (sampled > at)
			continue;
		kind = EnumLabelIndex(QE_TEST_KIND, DatumGetObjectId(slot_getattr(
												slot, att[L_KIND], &isnull)));
		result = EnumLabelIndex(
			QE_TEST_RESULT,
			DatumGetObjectId(slot_getattr(slot, att[L_RESULT], &isnull)));
		if (result == RESULT_POSITIVE && kind != TEST_IGG &&
			!(completed->found && sampled <= completed->ended_at))
			f->positive_test = true;
		if (kind == TEST_NAT)
		{
			DateADT day = LocalDateOf(sampled);

			PUSH(f->nat, f->n_nat, size_nat, day);
			if (result == RESULT_NEGATIVE)
				PUSH(f->negative_nat, f->n_negative_nat, size_neg, day);
		}
	}
}

/* Entries up to at, each marked when some control points at it. */
static void
ReadEntries(FactReader *r, int64 person_id, TimestampTz at,
			const int64 *entry_ids, int n_entry_ids, CodeFacts *f)
{
	TupleTableSlot *slot = r->entry.slot;
	const int	   *att = entry_map.attnum;
	int				size = 0;

	PersonScanStart(&r->entry, person_id);
	while (PersonScanNext(&r->entry))
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
	TupleTableSlot *slot = r->staff.slot;
	const int	   *att = staff_map.attnum;
	bool			isnull;
	Datum			d;

	PersonScanStart(&r->staff, person_id);
	if (!PersonScanNext(&r->staff))
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
static CodeReason
ReadLatest(FactReader *r, int64 person_id)
{
	bool  isnull;
	Datum d;

	PersonScanStart(&r->feed, person_id);
	if (!PersonScanNext(&r->feed))
		return REASON_CLEAR;
	d = slot_getattr(r->feed.slot, feed_map.attnum[0], &isnull);
	return isnull ? REASON_COUNT : CodeReasonParse(TextDatumGetCString(d));
}

/*
 * The facts about one person at instant at, allocated in the reader's
 * person context (reset by the caller for each person).
 */
static void
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
static Snapshot
ReadingSnapshot(void)
{
	return ActiveSnapshotSet() ? GetActiveSnapshot()
							   : GetTransactionSnapshot();
}

/* ---------- code_color ---------- */

typedef struct ColorCache
{
	TupleDesc desc;
} ColorCache;

static bool
PersonExists(int64 person_id, Snapshot snapshot)
{
	PersonScan s;
	bool	   found;

	PersonScanOpen(&s, "person", "person_pkey", snapshot);
	PersonScanRequireSelect(&s);
	PersonScanStart(&s, person_id);
	found = PersonScanNext(&s);
	PersonScanClose(&s);
	return found;
}

/*
 * code_color(person_id, at) → code_state (color, reason): the colour of a
 * person at an instant, from the records as they are now; tests and entries
 * later than at are left out.
 */
Datum
code_color(PG_FUNCTION_ARGS)
{
	int64		person_id = PG_GETARG_INT64(0);
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(1);
	ColorCache *cache = (ColorCache *) fcinfo->flinfo->fn_extra;
	Snapshot	snapshot = ReadingSnapshot();
	FactReader	r;
	CodeFacts	f;
	CodeReason	reason;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range for a health code"),
				 errdetail("The colour is computed for a finite instant; "
						   "got %s.",
						   timestamptz_to_str(at)),
				 errhint("Pass a finite timestamptz, e.g. now().")));
	if (cache == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	  desc;

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "code_color must return a composite type");
		cache = palloc(sizeof(ColorCache));
		cache->desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = cache;
	}

	if (!PersonExists(person_id, snapshot))
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("person %lld does not exist", (long long) person_id),
				 errhint("Check the person_id.")));

	FactReaderOpen(&r, snapshot, false, true);
	GatherFacts(&r, person_id, at, &f);
	reason = HealthCodeDecide(&f);
	FactReaderClose(&r);

	values[0] = ObjectIdGetDatum(
		EnumLabelOid(QE_HEALTH_CODE, CodeReasonColor(reason)));
	values[1] = CStringGetTextDatum(CodeReasonName(reason));
	PG_RETURN_DATUM(
		HeapTupleGetDatum(heap_form_tuple(cache->desc, values, nulls)));
}

/* ---------- appending to the feed ---------- */

static int
CompareInt64(const void *a, const void *b)
{
	int64 x = *(const int64 *) a;
	int64 y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/* Insert n feed rows (person, reason) assigned at at; SPI is connected. */
static void
InsertFeedRows(const int64 *ids, const CodeReason *reasons, int n,
			   TimestampTz at)
{
	Datum *id_d = palloc(sizeof(Datum) * n);
	Datum *color_d = palloc(sizeof(Datum) * n);
	Datum *reason_d = palloc(sizeof(Datum) * n);
	Oid types[4] = {INT8ARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TIMESTAMPTZOID};
	Datum values[4];
	int	  rc;

	for (int i = 0; i < n; i++)
	{
		id_d[i] = Int64GetDatum(ids[i]);
		color_d[i] = CStringGetTextDatum(
			EnumLabelName(QE_HEALTH_CODE, CodeReasonColor(reasons[i])));
		reason_d[i] = CStringGetTextDatum(CodeReasonName(reasons[i]));
	}
	values[0] = PointerGetDatum(construct_array(
		id_d, n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	values[1] = PointerGetDatum(
		construct_array(color_d, n, TEXTOID, -1, false, TYPALIGN_INT));
	values[2] = PointerGetDatum(
		construct_array(reason_d, n, TEXTOID, -1, false, TYPALIGN_INT));
	values[3] = TimestampTzGetDatum(at);
	rc = SPI_execute_with_args(
		"INSERT INTO quarantine.code_assignment "
		"  (person_id, color, reason, assigned_at) "
		"SELECT u.person_id, u.color::quarantine.health_code, u.reason, $4 "
		"  FROM unnest($1, $2, $3) AS u(person_id, color, reason)",
		4, types, values, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "inserting into code_assignment failed: %s",
			 SPI_result_code_string(rc));
	pfree(id_d);
	pfree(color_d);
	pfree(reason_d);
}

/*
 * The persons of ids whose colour at at differs from their latest feed row,
 * into changed_ids/changed; returns how many.  Reads with the latest
 * snapshot, which sees the calling statement's own writes and everything
 * committed so far, at every isolation level.
 */
static int
ComputeChanges(const int64 *ids, int n, TimestampTz at, int64 *changed_ids,
			   CodeReason *changed)
{
	FactReader r;
	int		   nchanged = 0;

	CommandCounterIncrement();
	PushActiveSnapshot(GetLatestSnapshot());
	UpdateActiveSnapshotCommandId();
	FactReaderOpen(&r, GetActiveSnapshot(), true, false);
	for (int i = 0; i < n; i++)
	{
		MemoryContext old = MemoryContextSwitchTo(r.person_cxt);
		CodeFacts	  f;
		CodeReason	  now;
		CodeReason	  latest;

		CHECK_FOR_INTERRUPTS();
		GatherFacts(&r, ids[i], at, &f);
		now = HealthCodeDecide(&f);
		latest = ReadLatest(&r, ids[i]);
		MemoryContextSwitchTo(old);
		MemoryContextReset(r.person_cxt);
		if (now != latest)
		{
			changed_ids[nchanged] = ids[i];
			changed[nchanged] = now;
			nchanged++;
		}
	}
	FactReaderClose(&r);
	PopActiveSnapshot();
	return nchanged;
}

/*
 * For each person (ids sorted and deduplicated here), append a feed row when
 * the colour at at differs from the latest row.  Returns rows added.
 *
 * A person is recomputed only under a lock on its row (record_locks.c), held
 * to commit, and read after the lock: two transactions that change one
 * person recompute it in turn, and the last sees both (issue 11).  A
 * statement trigger locks every person it touched before reading; for
 * refresh_codes (time_only), where nothing was written, only the persons
 * whose colour moved are locked and then recomputed, so a refresh does not
 * lock every person with a control.
 */
static uint64
AppendChanges(int64 *ids, int n, TimestampTz at, bool time_only)
{
	int64	   *changed_ids;
	CodeReason *changed;
	int			nchanged;
	int			k = 0;

	if (n == 0)
		return 0;
	qsort(ids, n, sizeof(int64), CompareInt64);
	for (int i = 0; i < n; i++)
		if (k == 0 || ids[i] != ids[k - 1])
			ids[k++] = ids[i];
	n = k;

	changed_ids = palloc(sizeof(int64) * n);
	changed = palloc(sizeof(CodeReason) * n);

	if (!time_only)
		LockPersonsForFeed(ids, n);
	nchanged = ComputeChanges(ids, n, at, changed_ids, changed);
	if (time_only && nchanged > 0)
	{
		int64 *moved = palloc(sizeof(int64) * nchanged);

		memcpy(moved, changed_ids, sizeof(int64) * nchanged);
		LockPersonsForFeed(moved, nchanged);
		nchanged = ComputeChanges(moved, nchanged, at, changed_ids, changed);
		pfree(moved);
	}

	if (nchanged > 0)
	{
		QueryContext qc;

		QuerySpiConnect(&qc, true);
		for (int i = 0; i < nchanged; i += FEED_CHUNK)
			InsertFeedRows(changed_ids + i, changed + i,
						   Min(FEED_CHUNK, nchanged - i), at);
		QuerySpiFinish(&qc);
	}
	pfree(changed_ids);
	pfree(changed);
	return nchanged;
}

/*
 * The bigint first column of every row of a query (duplicates kept: the
 * caller sorts and deduplicates, cheaper than a hash UNION over millions),
 * fetched through a cursor so that SPI never holds them all as tuples.
 */
static int64 *
CollectIds(const char *sql, int nargs, Oid *types, Datum *values,
		   TriggerData *td, int *n)
{
	MemoryContext caller = CurrentMemoryContext;
	int64		 *ids = MemoryContextAlloc(caller, sizeof(int64) * 1024);
	int64		  size = 1024;
	int64		  count = 0;
	SPIPlanPtr	  plan;
	Portal		  portal;
	QueryContext  qc;

	QuerySpiConnect(&qc, true);
	if (td != NULL && SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "SPI_register_trigger_data failed");
	plan = SPI_prepare(sql, nargs, types);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s",
			 SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, values, NULL, false);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, 50000);
		if (SPI_processed == 0)
			break;
		if (count + (int64) SPI_processed > size)
		{
			while (count + (int64) SPI_processed > size)
				size *= 2;
			if ((Size) size * sizeof(int64) > MaxAllocSize)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many persons for one refresh of the "
								"health codes")));
			ids = repalloc(ids, sizeof(int64) * size);
		}
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			bool  isnull;
			Datum d = SPI_getbinval(SPI_tuptable->vals[i],
									SPI_tuptable->tupdesc, 1, &isnull);

			if (!isnull)
				ids[count++] = DatumGetInt64(d);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	QuerySpiFinish(&qc);
	*n = (int) count;
	return ids;
}

/*
 * AFTER INSERT, UPDATE or DELETE FOR EACH STATEMENT on control, lab_test,
 * entry and staff (transition tables new_rows and/or old_rows): the persons
 * the statement touched, once each, get a feed row if their colour now
 * differs from their latest one.
 */
Datum
code_feed_after_write(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"control", "lab_test", "entry",
										 "staff", NULL};
	TriggerData				*td =
		StatementTriggerData(fcinfo, "code_feed_after_write", tables);
	const char *sql;
	int64	   *ids;
	int			n;

	if (td->tg_newtable != NULL && td->tg_oldtable != NULL)
		sql = "SELECT person_id FROM new_rows "
			  "UNION ALL SELECT person_id FROM old_rows";
	else if (td->tg_newtable != NULL)
		sql = "SELECT person_id FROM new_rows";
	else if (td->tg_oldtable != NULL)
		sql = "SELECT person_id FROM old_rows";
	else
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("code_feed_after_write: the trigger must declare "
						"transition tables new_rows or old_rows")));

	ids = CollectIds(sql, 0, NULL, NULL, td, &n);
	AppendChanges(ids, n, GetCurrentTransactionStartTimestamp(), false);
	return PointerGetDatum(NULL);
}

/* Advisory lock key of refresh_codes: "qrc" + 1. */
#define REFRESH_LOCK_KEY INT64CONST(0x717263000001)

/*
 * refresh_codes(at) → bigint: the feed rows that time alone causes (phase
 * boundaries, observation windows ending, staff tests falling due), over the
 * persons whose colour can move with time: anyone with a control or a staff
 * row, an entry within the observation window, or a non-green latest row.
 * Returns the rows added; a second run at the same instant adds none.
 */
Datum
code_refresh(PG_FUNCTION_ARGS)
{
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(0);
	Oid			types[2] = {TIMESTAMPTZOID, INT4OID};
	Datum		values[2];
	int64	   *ids;
	int			n;
	uint64		added;

	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range for a health code"),
				 errdetail("refresh_codes needs a finite instant; got %s.",
						   timestamptz_to_str(at)),
				 errhint("Pass a finite timestamptz, e.g. now().")));

	/*
	 * Two refreshes at once would both append the same changes.  The lock
	 * only serialises them if each reads after taking it, which a
	 * transaction-wide snapshot (REPEATABLE READ, SERIALIZABLE) would not.
	 */
	if (IsolationUsesXactSnapshot())
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("refresh_codes must run at READ COMMITTED"),
				 errdetail("The transaction uses a snapshot taken before "
						   "another refresh may have committed."),
				 errhint("Run refresh_codes in a READ COMMITTED "
						 "transaction.")));
	DirectFunctionCall1(pg_advisory_xact_lock_int8,
						Int64GetDatum(REFRESH_LOCK_KEY));

	values[0] = TimestampTzGetDatum(at);
	/* a generous bound; HealthCodeDecide checks the local dates */
	values[1] = Int32GetDatum(quarantine_observation_days + 2);
	ids = CollectIds("SELECT person_id FROM quarantine.control "
					 "UNION ALL SELECT person_id FROM quarantine.staff "
					 "UNION ALL SELECT person_id FROM quarantine.entry "
					 " WHERE entered_at > $1 - make_interval(days => $2) "
					 "   AND entered_at <= $1 "
					 /* a test sampled after the trigger's instant (a lab
					  * clock ahead, a long transaction) is seen here */
					 "UNION ALL SELECT person_id FROM quarantine.lab_test "
					 " WHERE sampled_at > $1 - make_interval(days => $2) "
					 "   AND sampled_at <= $1 "
					 "UNION ALL SELECT l.person_id FROM ("
					 "  SELECT DISTINCT ON (person_id) person_id, color "
					 "    FROM quarantine.code_assignment "
					 "   ORDER BY person_id, assignment_id DESC) l "
					 " WHERE l.color <> 'green'",
					 2, types, values, NULL, &n);
	added = AppendChanges(ids, n, at, true);
	PG_RETURN_INT64((int64) added);
}
