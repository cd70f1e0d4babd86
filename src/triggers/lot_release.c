/*
 * lot_release.c
 *		People and goods (doc/ports.md, "People and goods"; the port-city notice 六:
 *		cold-chain goods are disinfected and tested in a supervised
 *		warehouse before they move on): the rule lot_release and the two
 *		triggers that gather its facts and serialize it with the samples.
 *
 * A cold-chain lot's first movement out of its warehouse needs a
 * disinfection and a negative goods or package sample taken after its
 * arrival (and not after the movement), and no sample of the lot positive
 * or pending.
 *
 * Concurrency: lot_movement_release locks the goods_lot row FOR NO KEY
 * UPDATE before it reads the lot's movements, disinfections and samples, and
 * env_sample_lock_lot takes the same lock for a sample that can hold the lot;
 * a sample turning positive while the first movement is written makes one
 * wait for the other.  The facts are read after the lock with SnapshotSelf
 * (as site_full counts beds), so the movement sees the committed result at
 * every isolation level (specs/lot_release.spec).
 *
 * Cost: index probes (src/records/records.c), no SPI on the per-row path;
 * goods_lot is opened once for the lot's probe and its lock.
 * Only a movement out of a cold-chain lot's warehouse locks the lot and
 * reads its disinfections and samples, and its earlier movements only when
 * the rule would hold it (doc/ports.md, "People and goods").
 */
#include "records/query_context.h"
#include "records/records.h"
#include "rules/rule.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "utils/builtins.h"
#include "utils/snapmgr.h"

PG_FUNCTION_INFO_V1(lot_movement_release);
PG_FUNCTION_INFO_V1(env_sample_lock_lot);

/* ---------- the rule (pure) ---------- */

typedef struct LotFacts
{
	int64 lot_id;
	int64 warehouse;
	bool  first_out;   /* a cold-chain lot's first movement out of it */
	bool  disinfected; /* a disinfection since arrival */
	bool  negative;	   /* a negative goods or package sample since */
	int64 positive;	   /* samples of the lot positive */
	int64 pending;	   /* and pending */
} LotFacts;

/* lot_release: the facts of a lot's movement; true when it may move. */
static bool
LotRelease(const LotFacts *f, Problem *p)
{
	char *detail;

	if (!f->first_out)
		return true;
	if (f->positive > 0 || f->pending > 0)
		detail = psprintf(_(_Q("Lot %lld has %lld positive and %lld pending "
							   "samples.")),
						  (long long) f->lot_id, (long long) f->positive,
						  (long long) f->pending);
	else if (!f->disinfected)
		detail = psprintf(_(_Q("Lot %lld has not been disinfected since it "
							   "arrived.")),
						  (long long) f->lot_id);
	else if (!f->negative)
		detail = psprintf(_(_Q("Lot %lld has no negative goods or package "
							   "sample taken since it arrived.")),
						  (long long) f->lot_id);
	else
		return true;
	return Flag(p, "lot_release", ERRCODE_CHECK_VIOLATION,
				psprintf(_(_Q("cold-chain lot %lld cannot leave warehouse "
							  "%lld yet")),
						 (long long) f->lot_id, (long long) f->warehouse),
				detail,
				pstrdup(_(_Q("Disinfect the lot and sample its goods or "
							 "package; move it once a sample is negative "
							 "and none is positive or pending."))));
}

/* ---------- gathering the facts ---------- */

enum
{
	M_MOVEMENT_ID,
	M_LOT_ID,
	M_FROM_SITE,
	M_MOVED_AT,
	M_HANDLER
};
static const char *const movement_columns[] = {
	"movement_id", "lot_id", "from_site", "moved_at", "handler", NULL};
static ColumnMap movement_map = {.names = movement_columns};

enum
{
	G_ARRIVED_AT,
	G_COLD_CHAIN,
	G_WAREHOUSE
};
static const char *const lot_columns[] = {"arrived_at", "cold_chain",
										  "warehouse", NULL};
static ColumnMap		 lot_map = {.names = lot_columns};

static const char *const disinfection_columns[] = {"at", NULL};
static ColumnMap		 disinfection_map = {.names = disinfection_columns};

enum
{
	S_LOT_ID,
	S_SUBJECT,
	S_SAMPLED_AT,
	S_RESULT
};
static const char *const sample_columns[] = {"lot_id", "subject", "sampled_at",
											 "result", NULL};
static ColumnMap		 sample_map = {.names = sample_columns};

static IndexProbe lot_pkey_probe = {.indexname = "goods_lot_pkey"};
static IndexProbe movement_lot_probe = {.indexname = "lot_movement_lot"};
static IndexProbe disinfection_lot_probe = {.indexname = "disinfection_lot"};
static IndexProbe sample_lot_probe = {.indexname = "env_sample_lot"};

/* The goods_lot row: what lot_release reads of it, and where it lies. */
typedef struct LotRow
{
	bool found;
	bool ours; /* written by this transaction: no one else sees it */
	ItemPointerData tid;
	TimestampTz		arrived_at;
	bool			cold_chain;
	bool			has_warehouse;
	int64			warehouse;
} LotRow;

static void
ReadLotRow(TupleTableSlot *slot, LotRow *g)
{
	const int *att = lot_map.attnum;
	bool	   isnull;
	Datum	   d;

	d = slot_getattr(slot, att[G_ARRIVED_AT], &isnull);
	g->arrived_at = isnull ? DT_NOBEGIN : DatumGetTimestampTz(d);
	d = slot_getattr(slot, att[G_COLD_CHAIN], &isnull);
	g->cold_chain = !isnull && DatumGetBool(d);
	d = slot_getattr(slot, att[G_WAREHOUSE], &isnull);
	g->has_warehouse = !isnull;
	g->warehouse = isnull ? 0 : DatumGetInt64(d);
}

static bool
LotVisitor(TupleTableSlot *slot, void *arg)
{
	LotRow	 *g = (LotRow *) arg;
	HeapTuple tuple = ExecFetchSlotHeapTuple(slot, false, NULL);

	g->found = true;
	g->ours = TransactionIdIsCurrentTransactionId(
		HeapTupleHeaderGetXmin(tuple->t_data));
	g->tid = slot->tts_tid;
	ReadLotRow(slot, g);
	return false;
}

/*
 * goods_lot, opened once for the probe of a lot and the lock of its row, with
 * the lock mode FOR NO KEY UPDATE needs (the foreign key's FOR KEY SHARE of
 * every movement and sample takes the same).
 */
static Relation
OpenLots(void)
{
	return table_open(ProbeIndexHeap(&lot_pkey_probe), RowShareLock);
}

/* The lot row as committed (or written by us), through goods_lot_pkey. */
static void
FindLot(Relation lots, int64 lot_id, LotRow *g)
{
	Datum key = Int64GetDatum(lot_id);

	memset(g, 0, sizeof(*g));
	ColumnMapForTable(&lot_map, "goods_lot");
	ProbeIndexIn(&lot_pkey_probe, lots, 1, &key, LotVisitor, g);
}

/*
 * Lock the latest version of the lot row FOR NO KEY UPDATE, waiting for
 * another writer of its samples or its first movement, and read it as it
 * is then.  The lock is taken here, not by a query of the caller's: a
 * district writes movements and samples without UPDATE on goods_lot, and
 * the foreign keys' KEY SHARE locks do not conflict with it.  A row this
 * transaction wrote is not locked: no one else sees it.
 */
static void
LockLot(Relation rel, LotRow *g)
{
	TupleTableSlot *slot;
	ItemPointerData tid = g->tid;
	TM_FailureData	tmfd;
	TM_Result		result;

	if (!g->found || g->ours)
		return;
	slot = table_slot_create(rel, NULL);
	result = table_tuple_lock(rel, &tid, GetLatestSnapshot(), slot,
							  GetCurrentCommandId(false),
							  LockTupleNoKeyExclusive, LockWaitBlock,
							  TUPLE_LOCK_FLAG_LOCK_UPDATE_IN_PROGRESS |
								  TUPLE_LOCK_FLAG_FIND_LAST_VERSION,
							  &tmfd);
	if (result == TM_Ok)
		ReadLotRow(slot, g);
	else if (result == TM_Deleted)
		g->found = false; /* the foreign key reports it */
	else if (result != TM_SelfModified)
		elog(ERROR, "could not lock goods_lot row: result %d", (int) result);
	ExecDropSingleTupleTableSlot(slot);
}

/* The movement being written, and what the probes found about its lot. */
typedef struct MovementScan
{
	int64		movement_id;
	TimestampTz moved_at;
	int64		warehouse;
	TimestampTz arrived_at;
	bool		earlier_out; /* another movement out of the warehouse */
	bool		disinfected;
	bool		negative;
	int64		positive;
	int64		pending;
} MovementScan;

static bool
MovementVisitor(TupleTableSlot *slot, void *arg)
{
	MovementScan *m = (MovementScan *) arg;
	const int	 *att = movement_map.attnum;
	bool		  isnull;
	Datum		  d;

	d = slot_getattr(slot, att[M_FROM_SITE], &isnull);
	if (isnull || DatumGetInt64(d) != m->warehouse)
		return true;
	d = slot_getattr(slot, att[M_MOVEMENT_ID], &isnull);
	if (!isnull && DatumGetInt64(d) == m->movement_id)
		return true; /* the old version of the row updated */
	d = slot_getattr(slot, att[M_MOVED_AT], &isnull);
	if (isnull || DatumGetTimestampTz(d) > m->moved_at)
		return true;
	m->earlier_out = true;
	return false;
}

static bool
DisinfectionVisitor(TupleTableSlot *slot, void *arg)
{
	MovementScan *m = (MovementScan *) arg;
	bool		  isnull;
	Datum		  d = slot_getattr(slot, disinfection_map.attnum[0], &isnull);

	if (isnull || DatumGetTimestampTz(d) < m->arrived_at ||
		DatumGetTimestampTz(d) > m->moved_at)
		return true;
	m->disinfected = true;
	return false;
}

/* Whether text datum d equals the ASCII word w. */
static bool
TextIs(Datum d, const char *w)
{
	text  *t = DatumGetTextPP(d);
	size_t n = strlen(w);
	bool   eq = VARSIZE_ANY_EXHDR(t) == n && memcmp(VARDATA_ANY(t), w, n) == 0;

	if ((Pointer) t != DatumGetPointer(d))
		pfree(t);
	return eq;
}

static bool
SampleVisitor(TupleTableSlot *slot, void *arg)
{
	MovementScan *m = (MovementScan *) arg;
	const int	 *att = sample_map.attnum;
	bool		  isnull;
	Datum		  result = slot_getattr(slot, att[S_RESULT], &isnull);
	Datum		  d;

	if (isnull)
		return true;
	if (TextIs(result, "positive"))
		m->positive++;
	else if (TextIs(result, "pending"))
		m->pending++;
	else if (!m->negative && TextIs(result, "negative"))
	{
		d = slot_getattr(slot, att[S_SUBJECT], &isnull);
		if (isnull || !(TextIs(d, "goods") || TextIs(d, "package")))
			return true;
		d = slot_getattr(slot, att[S_SAMPLED_AT], &isnull);
		if (isnull || DatumGetTimestampTz(d) < m->arrived_at ||
			DatumGetTimestampTz(d) > m->moved_at)
			return true;
		m->negative = true;
	}
	return true;
}

/*
 * The facts of lot_release for a movement of lot_id out of from_site, read
 * after the lot row is locked: through the indexes with SnapshotSelf, which
 * sees what every writer committed before the lock was granted (whatever the
 * isolation level: a REPEATABLE READ snapshot taken before the wait would
 * miss a sample that turned positive meanwhile), and the rows of this
 * transaction.  Row security does not narrow them: the rule sees every row.
 */
static void
ReadLotFacts(int64 lot_id, int64 movement_id, int64 from_site,
			 TimestampTz moved_at, LotFacts *f)
{
	Datum		 key = Int64GetDatum(lot_id);
	LotRow		 g;
	MovementScan m = {0};
	Problem		 scratch = {0};
	Relation	 lots = OpenLots();

	FindLot(lots, lot_id, &g);
	if (g.found && g.cold_chain && g.has_warehouse && g.warehouse == from_site)
		LockLot(lots, &g);
	table_close(lots, NoLock); /* RowShareLock is kept to commit */
	if (!g.found || !g.cold_chain || !g.has_warehouse ||
		g.warehouse != from_site)
		return; /* not out of a cold-chain lot's warehouse */
	f->lot_id = lot_id;
	f->warehouse = g.warehouse;
	m.movement_id = movement_id;
	m.moved_at = moved_at;
	m.warehouse = g.warehouse;
	m.arrived_at = g.arrived_at;
	ColumnMapForTable(&disinfection_map, "disinfection");
	ProbeIndex(&disinfection_lot_probe, 1, &key, DisinfectionVisitor, &m);
	ColumnMapForTable(&sample_map, "env_sample");
	ProbeIndex(&sample_lot_probe, 1, &key, SampleVisitor, &m);
	f->first_out = true;
	f->disinfected = m.disinfected;
	f->negative = m.negative;
	f->positive = m.positive;
	f->pending = m.pending;

	/*
	 * Whether it is the lot's first movement out matters only when the rule
	 * would hold it: a later movement out goes free either way.
	 */
	if (!LotRelease(f, &scratch))
	{
		ProbeIndex(&movement_lot_probe, 1, &key, MovementVisitor, &m);
		f->first_out = !m.earlier_out;
	}
}

/* BEFORE INSERT OR UPDATE FOR EACH ROW on lot_movement: lot_release. */
Datum
lot_movement_release(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "lot_movement_release", "lot_movement", true);
	Relation	rel = td->tg_relation;
	HeapTuple	row = TriggerRow(td);
	TupleDesc	desc = RelationGetDescr(rel);
	const int  *att;
	bool		isnull;
	Datum		d;
	int64		lot_id;
	int64		movement_id;
	int64		from_site;
	TimestampTz moved_at;
	LotFacts	f = {0};
	Problem		p = {0};

	if (RestoringInto(rel))
		return PointerGetDatum(row); /* pg_restore: the rows as dumped */
	ColumnMapFor(&movement_map, rel);
	att = movement_map.attnum;

	/* person_scope: a district names only its own persons as handlers */
	d = heap_getattr(row, att[M_HANDLER], desc, &isnull);
	if (!isnull && !CallerIsAdmin())
	{
		bool  old_null = true;
		Datum old = 0;

		if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
			old = heap_getattr(td->tg_trigtuple, att[M_HANDLER], desc,
							   &old_null);
		if (old_null || DatumGetInt64(old) != DatumGetInt64(d))
			RequirePersonRowInScope(DatumGetInt64(d), rel, att[M_HANDLER]);
	}

	d = heap_getattr(row, att[M_LOT_ID], desc, &isnull);
	if (isnull)
		return PointerGetDatum(row); /* NOT NULL says so */
	lot_id = DatumGetInt64(d);
	d = heap_getattr(row, att[M_MOVEMENT_ID], desc, &isnull);
	movement_id = isnull ? 0 : DatumGetInt64(d);
	d = heap_getattr(row, att[M_FROM_SITE], desc, &isnull);
	if (isnull)
		return PointerGetDatum(row); /* not out of a warehouse */
	from_site = DatumGetInt64(d);
	d = heap_getattr(row, att[M_MOVED_AT], desc, &isnull);
	if (isnull)
		return PointerGetDatum(row);
	moved_at = DatumGetTimestampTz(d);

	ReadLotFacts(lot_id, movement_id, from_site, moved_at, &f);
	Require(LotRelease(&f, &p), &p, rel);
	return PointerGetDatum(row);
}

/*
 * Whether a sample row can make a release wrong that did not see it: one
 * pending or positive; a negative one only by going away (an UPDATE).
 */
static bool
SampleHolds(HeapTuple row, TupleDesc desc)
{
	bool  isnull;
	Datum d = heap_getattr(row, sample_map.attnum[S_RESULT], desc, &isnull);

	return isnull || !TextIs(d, "negative");
}

/* Lock lot_id's row when it is a cold-chain lot (lot_release holds it). */
static void
LockSampledLot(HeapTuple row, TupleDesc desc)
{
	bool	 isnull;
	Datum	 d = heap_getattr(row, sample_map.attnum[S_LOT_ID], desc, &isnull);
	LotRow	 g;
	Relation lots;

	if (isnull)
		return;
	lots = OpenLots();
	FindLot(lots, DatumGetInt64(d), &g);
	if (g.found && g.cold_chain)
		LockLot(lots, &g);
	table_close(lots, NoLock); /* RowShareLock is kept to commit */
}

/*
 * BEFORE INSERT OR UPDATE FOR EACH ROW on env_sample (WHEN the sample has a
 * lot): lock the lot row, as lot_movement_release does, for a sample that
 * can hold the lot: an INSERT of a pending or positive sample, and every
 * UPDATE (a negative sample that turns, moves in time or to another lot; the
 * old lot is locked too).  An INSERT of a negative sample takes no lock: a
 * release that did not see it is refused, never let through wrongly.
 */
Datum
env_sample_lock_lot(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "env_sample_lock_lot", "env_sample", true);
	Relation  rel = td->tg_relation;
	HeapTuple row = TriggerRow(td);
	TupleDesc desc = RelationGetDescr(rel);

	if (RestoringInto(rel))
		return PointerGetDatum(row);
	ColumnMapFor(&sample_map, rel);
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		bool  old_null;
		bool  new_null;
		Datum old = heap_getattr(td->tg_trigtuple, sample_map.attnum[S_LOT_ID],
								 desc, &old_null);
		Datum new =
			heap_getattr(row, sample_map.attnum[S_LOT_ID], desc, &new_null);

		if (!old_null &&
			(new_null || DatumGetInt64(old) != DatumGetInt64(new)))
			LockSampledLot(td->tg_trigtuple, desc);
		LockSampledLot(row, desc);
	}
	else if (SampleHolds(row, desc))
		LockSampledLot(row, desc);
	return PointerGetDatum(row);
}
