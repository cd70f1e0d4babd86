/*
 * site_capacity.c
 *		Hotel capacity (doc/ports.md, "Hotel capacity"; the Fujian guideline 四(四):
 *		arrivals go to designated hotels): the rule site_full and the one
 *		definition of a bed-day that the rule, site_occupancy and
 *		nearest_sites share.
 *
 * A pending or under_control control holds a bed of its site on every day
 * of its centralized phase (phase_range(plan, quarantine_start,
 * 'centralized')); a medical one holds none, whatever site_id it still
 * carries.  A write that makes any such day exceed the site's capacity
 * fails; NULL capacity is unlimited; a write that adds no bed-day (the same
 * site, the same days or fewer) is never refused, so a site already over
 * capacity keeps working.
 *
 * Concurrency: the trigger locks the site row FOR NO KEY UPDATE (which the
 * foreign keys' KEY SHARE locks do not conflict with) before it counts, and
 * counts with SnapshotSelf, which sees what every writer committed before
 * the lock was granted: two sessions that take the last bed at once run one
 * after the other and the second is refused, at every isolation level.
 * Only a write that adds bed-days to a site with a capacity takes the lock.
 *
 * Cost: a statement counts a site's beds once, when its first row adds
 * bed-days there (taking the lock then), and keeps the count per day for
 * its later rows, adding each row it lets through and taking away the old
 * days of each row it updates.  Whoever else adds bed-days to the site waits
 * for the lock, so the kept count never misses a bed; it can only hold one
 * too many (a row a later step did not write, a bed another session freed
 * meanwhile), so a row the kept count would refuse is counted again, and
 * refused only if the fresh count refuses it too.  The count is dropped when
 * the command, subtransaction or transaction changes.
 */
#include "rules/control_rules.h"
#include "records/records.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

PG_FUNCTION_INFO_V1(control_site_full);
PG_FUNCTION_INFO_V1(control_holds_bed);

/* ---------- the bed-day (one definition) ---------- */

/* Whether a control in this status holds beds: pending or under_control. */
static bool
StatusHoldsBeds(ControlStatus status)
{
	return status == STATUS_PENDING || status == STATUS_UNDER_CONTROL;
}

/*
 * The days [*from, *until) on which a control holds a bed of its site: its
 * centralized phase while pending or under_control; false when none.
 */
static bool
BedDays(ControlStatus status, IsolationPlan plan, DateADT start, DateADT *from,
		DateADT *until)
{
	if (!StatusHoldsBeds(status))
		return false;
	return PlanPhaseSpan(plan, start, PHASE_CENTRALIZED, from, until) &&
		   *from < *until;
}

/*
 * control_holds_bed(status, plan, start, day): whether a control holds a bed
 * of its site on day (site_occupancy and nearest_sites count these).
 */
Datum
control_holds_bed(PG_FUNCTION_ARGS)
{
	ControlStatus status = EnumLabelIndex(QE_CONTROL_STATUS, PG_GETARG_OID(0));
	IsolationPlan plan = PG_GETARG_ISOLATION_PLAN(1);
	DateADT		  start = PG_GETARG_DATEADT(2);
	DateADT		  day = PG_GETARG_DATEADT(3);
	DateADT		  from;
	DateADT		  until;

	PG_RETURN_BOOL(BedDays(status, plan, start, &from, &until) &&
				   day >= from && day < until);
}

/* ---------- the rule (pure) ---------- */

/*
 * The beds of one site over the days [from, from + ndays) a control would
 * hold: held[i] beds are held by other controls on day from + i, added[i]
 * says whether the write adds that day for this control.
 */
typedef struct SiteBeds
{
	int64		site_id;
	int			capacity;
	int64		control_id;
	DateADT		from;
	int			ndays;
	const int  *held;
	const bool *added;
} SiteBeds;

/* site_full: no added bed-day beyond the capacity. */
static bool
SiteFull(const SiteBeds *s, Problem *p)
{
	for (int i = 0; i < s->ndays; i++)
	{
		if (!s->added[i] || s->held[i] < s->capacity)
			continue;
		return Flag(
			p, "site_full", ERRCODE_CHECK_VIOLATION,
			psprintf(_(_Q("site %lld has no free bed on %s")),
					 (long long) s->site_id, DateText(s->from + i)),
			psprintf(_(_Q("Control %lld would hold a bed of site %lld "
						  "on each day of its centralized phase; on %s "
						  "all beds are held (capacity %d).")),
					 (long long) s->control_id, (long long) s->site_id,
					 DateText(s->from + i), s->capacity),
			pstrdup(_(_Q("Place the control in another hotel "
						 "(assign_site() finds the nearest one with a "
						 "free bed), or raise the site's capacity."))));
	}
	return true;
}

/* ---------- gathering the facts ---------- */

enum
{
	C_CONTROL_ID,
	C_STATUS,
	C_PLAN,
	C_QUARANTINE_START,
	C_SITE_ID
};
static const char *const control_columns[] = {
	"control_id", "status", "plan", "quarantine_start", "site_id", NULL};
static ColumnMap control_map = {.names = control_columns};

static const char *const site_columns[] = {"capacity", NULL};
static ColumnMap		 site_map = {.names = site_columns};

static IndexProbe site_pkey_probe = {.indexname = "site_pkey"};
static IndexProbe control_site_open_probe = {.indexname = "control_site_open"};

typedef struct BedRow
{
	int64		  control_id;
	ControlStatus status;
	bool		  has_site;
	int64		  site_id;
	bool		  has_days;
	DateADT		  from;
	DateADT		  until;
} BedRow;

static void
ReadBedRow(TupleTableSlot *slot, BedRow *r)
{
	const int *att = control_map.attnum;
	bool	   isnull;
	bool	   noplan;
	bool	   nostart;
	Datum	   d;
	Datum	   plan;
	Datum	   start;

	memset(r, 0, sizeof(*r));
	r->control_id =
		DatumGetInt64(slot_getattr(slot, att[C_CONTROL_ID], &isnull));
	d = slot_getattr(slot, att[C_STATUS], &isnull);
	r->status = isnull
					? STATUS_PENDING
					: EnumLabelIndex(QE_CONTROL_STATUS, DatumGetObjectId(d));
	d = slot_getattr(slot, att[C_SITE_ID], &isnull);
	r->has_site = !isnull;
	r->site_id = isnull ? 0 : DatumGetInt64(d);
	plan = slot_getattr(slot, att[C_PLAN], &noplan);
	start = slot_getattr(slot, att[C_QUARANTINE_START], &nostart);
	r->has_days = r->has_site && !noplan && !nostart &&
				  BedDays(r->status, DatumGetIsolationPlan(plan),
						  DatumGetDateADT(start), &r->from, &r->until);
}

/* The site row: its capacity and where it lies, for the lock. */
typedef struct SiteRow
{
	bool			found;
	bool			ours;
	ItemPointerData tid;
	bool			has_capacity;
	int				capacity;
} SiteRow;

static void
ReadSiteCapacity(TupleTableSlot *slot, SiteRow *s)
{
	bool  isnull;
	Datum d = slot_getattr(slot, site_map.attnum[0], &isnull);

	s->has_capacity = !isnull;
	s->capacity = isnull ? 0 : DatumGetInt32(d);
}

static bool
SiteVisitor(TupleTableSlot *slot, void *arg)
{
	SiteRow	 *s = (SiteRow *) arg;
	HeapTuple tuple = ExecFetchSlotHeapTuple(slot, false, NULL);

	s->found = true;
	s->ours = TransactionIdIsCurrentTransactionId(
		HeapTupleHeaderGetXmin(tuple->t_data));
	s->tid = slot->tts_tid;
	ReadSiteCapacity(slot, s);
	return false;
}

/*
 * Lock the latest version of the site row FOR NO KEY UPDATE, waiting for
 * another writer of its beds, and read the capacity it has then.
 */
static void
LockSite(SiteRow *s)
{
	Relation		rel = table_open(site_pkey_probe.heapoid, RowShareLock);
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	ItemPointerData tid = s->tid;
	TM_FailureData	tmfd;
	TM_Result		result;

	result = table_tuple_lock(rel, &tid, GetLatestSnapshot(), slot,
							  GetCurrentCommandId(false),
							  LockTupleNoKeyExclusive, LockWaitBlock,
							  TUPLE_LOCK_FLAG_LOCK_UPDATE_IN_PROGRESS |
								  TUPLE_LOCK_FLAG_FIND_LAST_VERSION,
							  &tmfd);
	if (result == TM_Ok)
		ReadSiteCapacity(slot, s);
	else if (result != TM_SelfModified && result != TM_Deleted)
		elog(ERROR, "could not lock site row: result %d", (int) result);
	ExecDropSingleTupleTableSlot(slot);
	table_close(rel, NoLock); /* RowShareLock is kept to commit */
}

/* ---------- the beds a statement has counted ---------- */

/*
 * The beds of one site held on each day [base, base + ndays) by the controls
 * counted: those visible when the site was locked, plus the rows let through
 * since, less the old days of the rows updated since.
 */
typedef struct SiteCount
{
	int64	site_id; /* hash key */
	int		capacity;
	bool	kept; /* false: the count covers only the row's days */
	DateADT base;
	int		ndays;
	int	   *beds;
} SiteCount;

/* A span of a hundred years is not kept: each row is counted alone. */
#define MAX_KEPT_DAYS 36600

static HTAB			   *site_counts = NULL;
static MemoryContext	site_count_cxt = NULL;
static bool				site_counts_valid = false;
static SubTransactionId site_counts_subxid;
static CommandId		site_counts_cid;

static void
ForgetSiteCounts(void)
{
	if (site_counts_valid)
	{
		site_counts_valid = false;
		site_counts = NULL;
		MemoryContextReset(site_count_cxt);
	}
}

static void
SiteCountXactCallback(XactEvent event, void *arg)
{
	ForgetSiteCounts();
}

static void
SiteCountSubXactCallback(SubXactEvent event, SubTransactionId mySubid,
						 SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB || event == SUBXACT_EVENT_COMMIT_SUB)
		ForgetSiteCounts();
}

/* The counts kept for this command, made empty when it is another one. */
static HTAB *
SiteCounts(void)
{
	SubTransactionId subxid = GetCurrentSubTransactionId();
	CommandId		 cid = GetCurrentCommandId(false);
	HASHCTL			 ctl;

	if (site_count_cxt == NULL)
	{
		site_count_cxt = AllocSetContextCreate(
			TopMemoryContext, "site_full counts", ALLOCSET_DEFAULT_SIZES);
		RegisterXactCallback(SiteCountXactCallback, NULL);
		RegisterSubXactCallback(SiteCountSubXactCallback, NULL);
	}
	if (site_counts_valid && site_counts_subxid == subxid &&
		site_counts_cid == cid)
		return site_counts;
	ForgetSiteCounts();
	ctl.keysize = sizeof(int64);
	ctl.entrysize = sizeof(SiteCount);
	ctl.hcxt = site_count_cxt;
	site_counts = hash_create("site_full counts", 64, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	site_counts_valid = true;
	site_counts_subxid = subxid;
	site_counts_cid = cid;
	return site_counts;
}

/*
 * Add delta beds on [from, until); false when the span grows too wide or a
 * count would fall below zero (the count is then not kept).
 */
static bool
CountDays(SiteCount *c, DateADT from, DateADT until, int delta)
{
	if (from >= until)
		return true;
	if (c->ndays == 0)
	{
		if (until - from > MAX_KEPT_DAYS)
			return false;
		c->base = from;
		c->ndays = until - from;
		c->beds =
			MemoryContextAllocZero(site_count_cxt, sizeof(int) * c->ndays);
	}
	else if (from < c->base || until > c->base + c->ndays)
	{
		DateADT base = Min(from, c->base);
		DateADT end = Max(until, c->base + c->ndays);
		int	   *beds;

		if (end - base > MAX_KEPT_DAYS)
			return false;
		beds =
			MemoryContextAllocZero(site_count_cxt, sizeof(int) * (end - base));
		memcpy(beds + (c->base - base), c->beds, sizeof(int) * c->ndays);
		pfree(c->beds);
		c->beds = beds;
		c->base = base;
		c->ndays = end - base;
	}
	for (DateADT d = from; d < until; d++)
		if ((c->beds[d - c->base] += delta) < 0)
			return false;
	return true;
}

typedef struct CountScan
{
	SiteCount *count;
	bool	   fits;
	DateADT	   lo; /* when lo < hi, only the days [lo, hi) are counted */
	DateADT	   hi;
} CountScan;

static bool
CountVisitor(TupleTableSlot *slot, void *arg)
{
	CountScan *s = (CountScan *) arg;
	BedRow	   r;

	ReadBedRow(slot, &r);
	if (!r.has_days)
		return true;
	if (s->lo < s->hi)
	{
		r.from = Max(r.from, s->lo);
		r.until = Min(r.until, s->hi);
	}
	if (!CountDays(s->count, r.from, r.until, 1))
	{
		s->fits = false;
		return false;
	}
	return true;
}

/*
 * Count the beds held at the site now, on every day (lo = hi) or on the days
 * [lo, hi); false when the span is too wide to keep.
 */
static bool
CountSite(SiteCount *c, Datum key, DateADT lo, DateADT hi)
{
	CountScan s = {.count = c, .fits = true, .lo = lo, .hi = hi};

	if (c->beds != NULL)
		pfree(c->beds);
	c->beds = NULL;
	c->ndays = 0;
	ProbeIndex(&control_site_open_probe, 1, &key, CountVisitor, &s);
	return s.fits;
}

/*
 * The beds held by other controls on each day of [from, from + ndays): the
 * count less this control's own old days at the site.
 */
static void
HeldFromCount(const SiteCount *c, const BedRow *old, DateADT from, int ndays,
			  int *held)
{
	for (int i = 0; i < ndays; i++)
	{
		DateADT d = from + i;
		int		n =
			d >= c->base && d < c->base + c->ndays ? c->beds[d - c->base] : 0;

		if (old->has_days && old->site_id == c->site_id && d >= old->from &&
			d < old->until)
			n--;
		held[i] = Max(n, 0);
	}
}

/*
 * The count of the site of r for this command, made (locking the site) when
 * it is the first row there: NULL when the site has no capacity or does not
 * exist.  *fresh says whether it was counted just now.
 */
static SiteCount *
SiteCountFor(const BedRow *r, bool *fresh)
{
	SiteCount *count = hash_search(SiteCounts(), &r->site_id, HASH_FIND, NULL);
	Datum	   key = Int64GetDatum(r->site_id);
	SiteRow	   site = {0};
	bool	   found;

	*fresh = false;
	if (count == NULL)
	{
		ColumnMapForTable(&site_map, "site");
		ProbeIndex(&site_pkey_probe, 1, &key, SiteVisitor, &site);
		if (!site.found || !site.has_capacity)
			return NULL;
		if (!site.ours)
		{
			LockSite(&site);
			if (!site.has_capacity)
				return NULL;
		}
		/* the site is ours to the end of the transaction: keep its count */
		count = hash_search(site_counts, &r->site_id, HASH_ENTER, &found);
		count->capacity = site.capacity;
		count->beds = NULL;
		count->ndays = 0;
		count->kept = CountSite(count, key, 0, 0);
		*fresh = count->kept;
	}
	if (!count->kept)
	{
		CountSite(count, key, r->from, r->until); /* the row's days alone */
		*fresh = true;
	}
	return count;
}

/*
 * BEFORE INSERT OR UPDATE FOR EACH ROW on control, after
 * control_before_write (which fills plan and quarantine_start): site_full.
 */
Datum
control_site_full(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "control_site_full", "control", true);
	Relation		rel = td->tg_relation;
	HeapTuple		row = TriggerRow(td);
	TupleTableSlot *slot;
	BedRow			r;
	BedRow			old = {0};
	SiteBeds		beds;
	SiteCount	   *count;
	bool		   *added;
	int			   *held;
	bool			any = false;
	bool			fresh;
	Problem			p = {0};
	Datum			key;

	if (RestoringInto(rel))
		return PointerGetDatum(row); /* pg_restore: the rows as dumped */
	ColumnMapFor(&control_map, rel);
	slot = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsHeapTuple);
	ExecStoreHeapTuple(row, slot, false);
	ReadBedRow(slot, &r);
	if (r.has_days && TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		ExecStoreHeapTuple(td->tg_trigtuple, slot, false);
		ReadBedRow(slot, &old);
	}
	ExecDropSingleTupleTableSlot(slot);
	if (!r.has_days)
		return PointerGetDatum(row);

	/* The days this write adds: the new span less the old one, same site. */
	beds.ndays = r.until - r.from;
	added = palloc0(sizeof(bool) * beds.ndays);
	for (int i = 0; i < beds.ndays; i++)
	{
		DateADT d = r.from + i;

		added[i] = !(old.has_days && old.site_id == r.site_id &&
					 d >= old.from && d < old.until);
		any |= added[i];
	}
	if (!any)
		return PointerGetDatum(row);

	key = Int64GetDatum(r.site_id);
	count = SiteCountFor(&r, &fresh);
	if (count == NULL)
		return PointerGetDatum(row); /* the foreign key / unlimited */

	held = palloc(sizeof(int) * beds.ndays);
	beds.site_id = r.site_id;
	beds.capacity = count->capacity;
	beds.control_id = r.control_id;
	beds.from = r.from;
	beds.held = held;
	beds.added = added;
	HeldFromCount(count, &old, r.from, beds.ndays, held);
	if (!SiteFull(&beds, &p) && !fresh)
	{
		/* The kept count may hold one too many: count again. */
		memset(&p, 0, sizeof(p));
		count->kept = CountSite(count, key, 0, 0);
		if (!count->kept)
			CountSite(count, key, r.from, r.until);
		HeldFromCount(count, &old, r.from, beds.ndays, held);
		SiteFull(&beds, &p);
	}
	Require(p.rule == NULL, &p, rel);

	/* Let through: the count keeps this row's days, less its old ones. */
	if (count->kept && old.has_days && old.site_id == r.site_id)
		count->kept = CountDays(count, old.from, old.until, -1);
	if (count->kept)
		count->kept = CountDays(count, r.from, r.until, 1);
	return PointerGetDatum(row);
}
