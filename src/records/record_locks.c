/*
 * record_locks.c
 *		Row locks on person that make the rules hold when sessions write at
 *		once (issue 11), and the person_merged rule that needs them.
 *
 * Why row locks, not heavyweight locks keyed on the person: a lock is held
 * to the end of the transaction, and a COPY of a million lab tests touches a
 * million persons; tuple locks live in the rows, heavyweight ones would fill
 * the shared lock table.  The modes are chosen against merge_persons, which
 * locks both persons FOR UPDATE:
 *   - a record written for a person locks it FOR KEY SHARE (what its foreign
 *     key takes anyway, only earlier), so the merge and the writer serialise;
 *   - the feed locks each person it recomputes FOR NO KEY UPDATE, which
 *     conflicts with itself (two feeds of one person run in turn) but not with
 *     the foreign keys of other writers.
 * A row inserted or updated by this transaction is not locked: nobody else
 * can lock its new version before we commit.
 *
 * An INSERT (a COPY of a million lab tests) checks person_merged once per
 * statement, after the foreign keys on person_id: their checks have then
 * locked every person FOR KEY SHARE, which is the lock the row trigger would
 * take, so one read of each person with SnapshotSelf sees the merge that
 * committed before the lock was granted, and a merge that comes later waits
 * for us.  The guarantee lives in the foreign key's lock and that read,
 * which for a statement of many persons is one pass over the few merged
 * persons (the partial index person_merged_into) instead of a probe each.
 */
#include "records/record_locks.h"
#include "rules/person_rules.h"
#include "records/query_context.h"
#include "records/records.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/tuplestore.h"

#include "pg_compat.h"

PG_FUNCTION_INFO_V1(record_person_not_merged);

enum
{
	P_PERSON_ID,
	P_MERGED_INTO
};
static const char *const person_columns[] = {"person_id", "merged_into", NULL};
static ColumnMap		 person_map = {.names = person_columns};
static IndexProbe		 person_pkey_probe = {.indexname = "person_pkey"};

/* The current version of a person row, as SnapshotSelf sees it. */
typedef struct PersonRow
{
	bool			found;
	bool			ours; /* inserted or updated by this transaction */
	ItemPointerData tid;
	bool			merged;
	int64			merged_into;
} PersonRow;

static bool
PersonRowVisitor(TupleTableSlot *slot, void *arg)
{
	PersonRow *p = (PersonRow *) arg;
	HeapTuple  tuple = ExecFetchSlotHeapTuple(slot, false, NULL);
	bool	   isnull;
	Datum	   d;

	p->found = true;
	p->ours = TransactionIdIsCurrentTransactionId(
		HeapTupleHeaderGetXmin(tuple->t_data));
	p->tid = slot->tts_tid;
	d = SlotValue(slot, person_map.attnum[P_MERGED_INTO], &isnull);
	p->merged = !isnull;
	p->merged_into = isnull ? 0 : DatumGetInt64(d);
	return false;
}

static void
ReadPersonRow(int64 person_id, PersonRow *p)
{
	Datum key = Int64GetDatum(person_id);

	memset(p, 0, sizeof(*p));
	ColumnMapForTable(&person_map, "person");
	ProbeIndex(&person_pkey_probe, 1, &key, PersonRowVisitor, p);
}

/*
 * Lock the latest version of a person row in mode, waiting for a concurrent
 * updater or locker; follows the update chain at every isolation level.
 * Returns true, with merged/merged_into of p updated, when the version locked
 * is the latest one; a KEY SHARE lock can stay on an older version whose
 * update left the key alone, and the caller then reads the row again.
 */
static bool
LockPersonRow(Relation rel, TupleTableSlot *slot, PersonRow *p,
			  LockTupleMode mode)
{
	ItemPointerData tid = p->tid;
	TM_FailureData	tmfd;
	TM_Result		result;
	bool			latest = false;

	result = table_tuple_lock(rel, &tid, GetLatestSnapshot(), slot,
							  GetCurrentCommandId(false), mode, LockWaitBlock,
							  TUPLE_LOCK_FLAG_LOCK_UPDATE_IN_PROGRESS |
								  TUPLE_LOCK_FLAG_FIND_LAST_VERSION,
							  &tmfd);
	switch (result)
	{
		case TM_Ok:
		case TM_SelfModified: /* our own later version: ours already */
		case TM_Deleted:	  /* gone: nothing left to protect */
			break;
		default:
			elog(ERROR, "could not lock person row: result %d", (int) result);
	}
	if (result == TM_Ok)
	{
		HeapTuple tuple = ExecFetchSlotHeapTuple(slot, false, NULL);

		if (ItemPointerEquals(&tuple->t_self, &tuple->t_data->t_ctid))
		{
			bool  isnull;
			Datum d =
				slot_getattr(slot, person_map.attnum[P_MERGED_INTO], &isnull);

			p->merged = !isnull;
			p->merged_into = isnull ? 0 : DatumGetInt64(d);
			latest = true;
		}
	}
	ExecClearTuple(slot);
	return latest;
}

/* Lock rows of quarantine.person, like SELECT ... FOR, until commit. */
static Relation
OpenPersonForLocks(TupleTableSlot **slot)
{
	Relation rel;

	if (!person_pkey_probe.valid)
	{
		PersonRow p;

		ReadPersonRow(0, &p); /* loads the probe */
	}
	rel = table_open(person_pkey_probe.heapoid, RowShareLock);
	*slot = table_slot_create(rel, NULL);
	return rel;
}

static void
ClosePersonForLocks(Relation rel, TupleTableSlot *slot)
{
	ExecDropSingleTupleTableSlot(slot);
	table_close(rel, NoLock); /* RowShareLock is kept to commit */
}

/*
 * ids sorted and distinct (the feed's): one forward walk of person_pkey
 * (MergedScan), not a descent per person.
 */
void
LockPersonsForFeed(const int64 *ids, int n)
{
	TupleTableSlot *slot;
	Relation		rel;
	MergedScan		scan;

	if (n == 0)
		return;
	rel = OpenPersonForLocks(&slot);
	ColumnMapForTable(&person_map, "person");
	PersonScanOpen(&scan.ps, "person", "person_pkey", SnapshotSelf);
	MergedScanBegin(&scan);
	for (int i = 0; i < n; i++)
	{
		PersonRow p;

		CHECK_FOR_INTERRUPTS();
		Assert(i == 0 || ids[i - 1] < ids[i]);
		memset(&p, 0, sizeof(p));
		MergedScanStart(&scan, ids[i]);
		if (MergedScanNext(&scan))
			(void) PersonRowVisitor(scan.ps.slot, &p);
		if (p.found && !p.ours)
			(void) LockPersonRow(rel, slot, &p, LockTupleNoKeyExclusive);
	}
	MergedScanClose(&scan);
	ClosePersonForLocks(rel, slot);
}

void
RequireReadCommitted(const char *fname)
{
	if (IsolationUsesXactSnapshot())
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s must run at READ COMMITTED", fname),
				 errdetail("It waits for concurrent writers of the same "
						   "persons; a transaction snapshot would miss the "
						   "rows they commit meanwhile."),
				 errhint("Run %s in a READ COMMITTED transaction.", fname)));
}

/* ---------- person_merged (doc/security.md) ---------- */

/* The tables whose rows belong to a person (merge_persons moves them). */
static const char *const person_tables[] = {
	"entry", "control", "lab_test",		"verification",
	"task",	 "staff",	"health_check", NULL};
#define N_PERSON_TABLES 7

static const char *const person_id_column[] = {"person_id", NULL};
static ColumnMap		 table_maps[N_PERSON_TABLES] = {
			{.names = person_id_column}, {.names = person_id_column},
			{.names = person_id_column}, {.names = person_id_column},
			{.names = person_id_column}, {.names = person_id_column},
			{.names = person_id_column}};

/*
 * The last person checked, so that a COPY of many rows of one person checks
 * once; valid within one command of one (sub)transaction, whose lock stands.
 */
static LocalTransactionId checked_lxid = InvalidLocalTransactionId;
static SubTransactionId	  checked_subxid;
static CommandId		  checked_cid;
static int64			  checked_person;

/* The rule person_merged (person_rules.c), raised on the refused row's table. */
static void
RaisePersonMerged(Relation rel, int64 person_id, int64 merged_into)
{
	Problem p = {0};

	/* A refusal never tells an operator another district's facts. */
	if (!RowVisibleToCaller("person", "person_id", merged_into))
		merged_into = 0;
	if (!PersonNotMerged(person_id, true, merged_into,
						 RelationGetRelationName(rel), &p))
		RaiseProblem(&p, rel);
}

/*
 * A person merged into another takes no new records (doc/security.md): the
 * person row is locked FOR KEY SHARE first, then read again. A merge_persons
 * that locked the row first has then committed (we see merged_into) or rolled
 * back; one that comes later waits for us and moves the new row.
 */
static void
CheckPersonNotMerged(Relation rel, int64 person_id)
{
	PersonRow p;

	if (checked_lxid == MyProcLocalTransactionId &&
		checked_subxid == GetCurrentSubTransactionId() &&
		checked_cid == GetCurrentCommandId(false) &&
		checked_person == person_id)
		return;

	ReadPersonRow(person_id, &p);
	if (!p.found)
		return; /* the foreign key reports it */
	if (!p.ours)
	{
		TupleTableSlot *slot;
		Relation		person = OpenPersonForLocks(&slot);
		bool			latest;

		latest = LockPersonRow(person, slot, &p, LockTupleKeyShare);
		ClosePersonForLocks(person, slot);
		if (!latest)
			ReadPersonRow(person_id, &p);
	}
	if (p.merged)
		RaisePersonMerged(rel, person_id, p.merged_into);

	checked_lxid = MyProcLocalTransactionId;
	checked_subxid = GetCurrentSubTransactionId();
	checked_cid = GetCurrentCommandId(false);
	checked_person = person_id;
}

static int
CompareInt64(const void *a, const void *b)
{
	int64 x = *(const int64 *) a;
	int64 y = *(const int64 *) b;

	return (x > y) - (x < y);
}

int
SortUniquePersonIds(int64 *ids, int n)
{
	int k = 0;

	qsort(ids, n, sizeof(int64), CompareInt64);
	for (int i = 0; i < n; i++)
		if (k == 0 || ids[i] != ids[k - 1])
			ids[k++] = ids[i];
	return k;
}

/*
 * The first of the sorted, unique persons ids[0..n) that is merged, and whom
 * into, read from the merged persons' side: one pass over the partial index
 * person_merged_into (the persons with merged_into set, few in any district)
 * with SnapshotSelf, which sees each person's current version as a read of
 * its row by person_pkey would.  False, with nothing decided, when the index
 * holds more entries than ids (one probe a person is then the shorter read)
 * or does not exist, and for a statement of fewer than
 * MERGED_SCAN_MIN_PERSONS persons, which probes them.  A statement of many
 * rows reads the few merged persons instead of probing every person it
 * wrote for.
 */
#define MERGED_SCAN_MIN_PERSONS 32

static bool
FirstMergedOfFew(const int64 *ids, int n, int64 *first, int64 *merged_into)
{
	Oid relid = get_relname_relid("person_merged_into", QuarantineNamespace());
	Relation		heap;
	Relation		index;
	IndexScanDesc	scan;
	TupleTableSlot *slot;
	int				visited = 0;
	bool			decided = true;

	*first = 0;
	if (!OidIsValid(relid) || n < MERGED_SCAN_MIN_PERSONS)
		return false;
	index = index_open(relid, AccessShareLock);
	if (index->rd_index->indrelid !=
		get_relname_relid("person", QuarantineNamespace()))
	{
		index_close(index, AccessShareLock);
		return false;
	}
	heap = table_open(index->rd_index->indrelid, AccessShareLock);
	slot = table_slot_create(heap, NULL);
	scan = index_beginscan(heap, index, SnapshotSelf, 0, 0);
	index_rescan(scan, NULL, 0, NULL, 0);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		bool  isnull;
		int64 person;
		Datum merged;

		CHECK_FOR_INTERRUPTS();
		if (++visited > n)
		{
			decided = false;
			break;
		}
		person = DatumGetInt64(
			slot_getattr(slot, person_map.attnum[P_PERSON_ID], &isnull));
		merged = slot_getattr(slot, person_map.attnum[P_MERGED_INTO], &isnull);
		if (isnull || (*first != 0 && person > *first) ||
			bsearch(&person, ids, n, sizeof(int64), CompareInt64) == NULL)
			continue;
		*first = person;
		*merged_into = DatumGetInt64(merged);
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);
	if (!decided)
		*first = 0;
	return decided;
}

/*
 * AFTER INSERT FOR EACH STATEMENT (transition table new_rows): every person
 * the statement wrote records for, once, read after the foreign key checks
 * that locked it.
 */
static void
CheckInsertedPersons(TriggerData *td, int t)
{
	Relation		 rel = td->tg_relation;
	Tuplestorestate *rows = td->tg_newtable;
	TupleTableSlot	*slot;
	int				 attnum;
	int64			*ids;
	int				 n = 0;
	int				 size = 1024;
	PersonScan		 scan;
	int64			 first = 0;
	int64			 merged_into = 0;

	if (rows == NULL || !TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("record_person_not_merged: a statement trigger must "
						"fire after insert, with transition table new_rows")));
	ColumnMapFor(&table_maps[t], rel);
	attnum = table_maps[t].attnum[0];

	ids = palloc(sizeof(int64) * size);
	slot =
		MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsMinimalTuple);
	TransitionTableStartReading(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		bool  isnull;
		Datum d = slot_getattr(slot, attnum, &isnull);

		if (isnull)
			continue;
		if (n == size)
		{
			if ((Size) size * 2 * sizeof(int64) > MaxAllocSize)
				elog(ERROR, "too many rows for one person_merged check");
			size *= 2;
			ids = repalloc(ids, sizeof(int64) * size);
		}
		ids[n++] = DatumGetInt64(d);
	}
	ExecDropSingleTupleTableSlot(slot);
	n = SortUniquePersonIds(ids, n);

	ColumnMapForTable(&person_map, "person");
	if (!FirstMergedOfFew(ids, n, &first, &merged_into))
	{
		PersonScanOpen(&scan, "person", "person_pkey", SnapshotSelf);
		for (int i = 0; i < n && first == 0; i++)
		{
			bool  isnull;
			Datum merged;

			CHECK_FOR_INTERRUPTS();
			PersonScanStart(&scan, ids[i]);
			if (!PersonScanNext(&scan))
				continue;
			merged = slot_getattr(scan.slot, person_map.attnum[P_MERGED_INTO],
								  &isnull);
			if (!isnull)
			{
				first = ids[i];
				merged_into = DatumGetInt64(merged);
			}
		}
		PersonScanClose(&scan);
	}
	if (first != 0)
		RaisePersonMerged(rel, first, merged_into);
	pfree(ids);
}

/*
 * On the tables of person_tables, the rule person_merged for the rows'
 * persons: BEFORE UPDATE OF person_id FOR EACH ROW, and AFTER INSERT FOR
 * EACH STATEMENT.
 */
Datum
record_person_not_merged(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	 rel;
	HeapTuple	 row;
	int			 t;
	int			 attnum;
	bool		 isnull;
	Datum		 person;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("record_person_not_merged: not called by trigger "
						"manager")));
	rel = td->tg_relation;
	for (t = 0; person_tables[t] != NULL; t++)
		if (strcmp(RelationGetRelationName(rel), person_tables[t]) == 0)
			break;
	if (person_tables[t] == NULL ||
		RelationGetNamespace(rel) != QuarantineNamespace())
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("record_person_not_merged: fired on %s, not on a "
						"record table of quarantine",
						RelationGetRelationName(rel))));
	if (RestoringInto(rel))
		return PointerGetDatum(
			TRIGGER_FIRED_FOR_ROW(td->tg_event) ? TriggerRow(td) : NULL);
	if (!TRIGGER_FIRED_FOR_ROW(td->tg_event) &&
		TRIGGER_FIRED_AFTER(td->tg_event))
	{
		CheckInsertedPersons(td, t);
		return PointerGetDatum(NULL);
	}
	if (!TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		!TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!(TRIGGER_FIRED_BY_INSERT(td->tg_event) ||
		  TRIGGER_FIRED_BY_UPDATE(td->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("record_person_not_merged: must be fired before "
						"insert or update, for each row")));
	ColumnMapFor(&table_maps[t], rel);
	attnum = table_maps[t].attnum[0];

	row = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple
												: td->tg_trigtuple;
	person = heap_getattr(row, attnum, RelationGetDescr(rel), &isnull);
	if (!isnull)
	{
		if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		{
			bool  oldnull;
			Datum old = heap_getattr(td->tg_trigtuple, attnum,
									 RelationGetDescr(rel), &oldnull);

			if (!oldnull && DatumGetInt64(old) == DatumGetInt64(person))
				return PointerGetDatum(row);
		}
		CheckPersonNotMerged(rel, DatumGetInt64(person));
	}
	return PointerGetDatum(row);
}
