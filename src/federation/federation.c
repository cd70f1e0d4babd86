/*
 * federation.c
 *		One extension on many servers (doc/federation.md): the
 *		triggers a province or a city enables on top of PostgreSQL's logical
 *		replication.  federation_setup_*() in src/sql/92_federation.sql
 *		creates them; the province's fire only in the apply worker (ENABLE
 *		REPLICA), the city's only for local writes (ENABLE ORIGIN).
 *
 *		The apply worker fires row triggers only, never statement triggers,
 *		so the province's set-based derivations (the duplicate search, the
 *		colour feed) are replayed here: the applied rows are collected per
 *		transaction and go through the same statement trigger functions,
 *		once per batch, when the transaction commits.
 */
#include "records/records.h"

#include "access/genam.h"
#include "access/stratnum.h"
#include "access/xact.h"
#include "access/table.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "records/query_context.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(federation_replay);
PG_FUNCTION_INFO_V1(federation_replay_flush);
PG_FUNCTION_INFO_V1(federation_person_rescope);
PG_FUNCTION_INFO_V1(federation_task_outcome_record);
PG_FUNCTION_INFO_V1(federation_task_outcome_apply);
PG_FUNCTION_INFO_V1(federation_task_address);
PG_FUNCTION_INFO_V1(federation_node_keys);

/* Keys of node n are n * FEDERATION_NODE_SPAN + 1 .. (n + 1) * SPAN - 1. */
#define FEDERATION_NODE_SPAN INT64CONST(1000000000000)
#define FEDERATION_MAX_NODE	 9000

/*
 * federation_node_keys(node) -> (first_key, last_key): the key range of node
 * number node, [node * 10^12, (node + 1) * 10^12 - 1], the one statement of
 * it (federation_set_node confines the identity columns to it; the rescope
 * of a document divides by the span to name the node).
 */
Datum
federation_node_keys(PG_FUNCTION_ARGS)
{
	int32	  node = PG_GETARG_INT32(0);
	TupleDesc desc;
	Datum	  values[2];
	bool	  nulls[2] = {false, false};

	if (node < 1 || node > FEDERATION_MAX_NODE)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("node number %d is out of range", node),
						errdetail("Node numbers run from 1 to %d.",
								  FEDERATION_MAX_NODE),
						errhint("Number the nodes 1 to %d, each once.",
								FEDERATION_MAX_NODE)));
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "federation_node_keys must return a composite type");
	desc = BlessTupleDesc(desc);
	values[0] = Int64GetDatum(node * FEDERATION_NODE_SPAN);
	values[1] = Int64GetDatum((node + 1) * FEDERATION_NODE_SPAN - 1);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

static TriggerData *
FederationTrigger(FunctionCallInfo fcinfo, const char *fname)
{
	TriggerData *td;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("%s: not called by trigger manager", fname)));
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("%s: must be fired for each row", fname)));
	return td;
}

/* The function a replay trigger names: quarantine.<name>() RETURNS trigger. */
static Oid
ReplayTarget(TriggerData *td)
{
	const char *name;
	List	   *names;
	Oid			fn;

	if (td->tg_trigger->tgnargs != 1)
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("federation_replay: needs one argument, the "
							   "statement trigger function to replay")));
	name = td->tg_trigger->tgargs[0];
	names = list_make2(makeString("quarantine"), makeString(pstrdup(name)));
	fn = LookupFuncName(names, 0, NULL, true);
	if (!OidIsValid(fn) || get_func_rettype(fn) != TRIGGEROID)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("federation_replay: quarantine.%s() is not a trigger "
						"function",
						name),
				 errhint("Only the extension's own statement trigger "
						 "functions can be replayed.")));
	return fn;
}

/*
 * Call statement trigger function fn on rel as an AFTER statement of event op
 * (INSERT, UPDATE or DELETE) whose transition tables are old_rows and
 * new_rows (either may be NULL), as trigger.c would.
 */
static void
CallAsStatement(Oid fn, Relation rel, Trigger *trigger, TriggerEvent op,
				Tuplestorestate *old_rows, Tuplestorestate *new_rows)
{
	Trigger		as_statement = *trigger;
	TriggerData std;
	FmgrInfo	flinfo;

	LOCAL_FCINFO(call, 0);

	memset(&std, 0, sizeof(std));
	std.type = T_TriggerData;
	std.tg_event = op & TRIGGER_EVENT_OPMASK; /* AFTER STATEMENT */
	std.tg_relation = rel;
	as_statement.tgnargs = 0;
	as_statement.tgargs = NULL;
	as_statement.tgnattr = 0;
	as_statement.tgattr = NULL;
	as_statement.tgqual = NULL;
	as_statement.tgoldtable = old_rows ? "old_rows" : NULL;
	as_statement.tgnewtable = new_rows ? "new_rows" : NULL;
	std.tg_trigger = &as_statement;
	std.tg_oldtable = old_rows;
	std.tg_newtable = new_rows;

	fmgr_info(fn, &flinfo);
	InitFunctionCallInfoData(*call, &flinfo, 0, InvalidOid, (Node *) &std,
							 NULL);
	FunctionCallInvoke(call);
}

/*
 * The province's replay, batched per applied transaction.
 *
 * The apply worker applies each row as a statement of its own, so a row
 * trigger is the only hook it offers.  federation_replay (AFTER ROW) keeps a
 * copy of each applied row in a batch of the transaction, one batch per
 * replay trigger, event and subtransaction level; federation_replay_flush, a
 * deferred constraint trigger on the same tables, fires when the applied
 * transaction commits, and its first call runs each replay trigger's
 * statement function once, over all of the rows its batches hold (the later
 * calls find nothing left).  A subtransaction that aborts takes its batches
 * with it, as its deferred events go; one that commits hands them to its
 * parent.
 *
 * Subtransactions are where streaming puts them (doc/federation.md, "Lag
 * and throughput"): on PostgreSQL 16 and later a parallel apply worker
 * applies a streamed transaction while the city still writes, with a
 * savepoint of its own for each of the city's subtransactions, rolled back
 * when the city's is, and committed only with the whole transaction.  So
 * the batches' files belong to the transaction, not to the subtransaction
 * that happened to begin them (a committed subtransaction's resource owner
 * closes the files it owns, before the flush reads them), and the flush
 * joins a trigger's batches of every level into one call.
 */
typedef struct ReplayBatch
{
	Oid				 relid;
	Oid				 tgoid; /* the replay trigger */
	Oid				 fn;	/* the statement function it names */
	Trigger			 trigger;
	TriggerEvent	 op;
	int				 level; /* transaction nest level that queued it */
	Tuplestorestate *old_rows;
	Tuplestorestate *new_rows;
} ReplayBatch;

static List		   *replay_batches = NIL; /* in TopTransactionContext */
static ReplayBatch *replay_last = NULL;
static Oid			replay_flush_fn = InvalidOid;
static bool			replay_callbacks = false;

static void
ReplayForget(void)
{
	replay_batches = NIL;
	replay_last = NULL;
}

static void
BatchEnd(ReplayBatch *b)
{
	if (b->old_rows)
		tuplestore_end(b->old_rows);
	if (b->new_rows)
		tuplestore_end(b->new_rows);
	b->old_rows = b->new_rows = NULL;
}

static void
ReplayXactCallback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PARALLEL_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			/* Never left behind when every replayed table has the flush. */
			if (replay_batches != NIL)
				ereport(ERROR,
						(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						 errmsg("federation_replay: applied rows were left "
								"without their derivation"),
						 errhint("Run federation_setup_province again: it "
								 "creates the triggers in the order the "
								 "replay needs.")));
			break;
		default:
			/* Committed, or aborted: the memory goes with the transaction. */
			ReplayForget();
			break;
	}
}

static void
ReplaySubXactCallback(SubXactEvent event, SubTransactionId mySubid,
					  SubTransactionId parentSubid, void *arg)
{
	int		  level = GetCurrentTransactionNestLevel();
	List	 *keep = NIL;
	ListCell *lc;

	if (replay_batches == NIL)
		return;
	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		/* Its rows were never applied: forget them, and close their files
		 * (the transaction's resource owner holds them). */
		foreach (lc, replay_batches)
		{
			ReplayBatch *b = (ReplayBatch *) lfirst(lc);

			if (b->level < level)
				keep = lappend(keep, b);
			else
				BatchEnd(b);
		}
		replay_batches = keep;
		replay_last = NULL;
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		foreach (lc, replay_batches)
		{
			ReplayBatch *b = (ReplayBatch *) lfirst(lc);

			if (b->level >= level)
				b->level = level - 1;
		}
		replay_last = NULL;
	}
}

/*
 * Whether federation_replay_flush fires on rel for op in this session (its
 * replication role), so that the rows queued now are derived before commit.
 */
static bool
FlushWillFire(Relation rel, TriggerEvent op)
{
	TriggerDesc *trigdesc = rel->trigdesc;
	int16		 type;

	if (trigdesc == NULL || !OidIsValid(replay_flush_fn))
		return false;
	if (TRIGGER_FIRED_BY_INSERT(op))
		type = TRIGGER_TYPE_INSERT;
	else if (TRIGGER_FIRED_BY_UPDATE(op))
		type = TRIGGER_TYPE_UPDATE;
	else
		type = TRIGGER_TYPE_DELETE;
	for (int i = 0; i < trigdesc->numtriggers; i++)
	{
		Trigger *t = &trigdesc->triggers[i];
		bool	 enabled;

		if (t->tgfoid != replay_flush_fn || t->tgqual != NULL ||
			t->tgnattr != 0 ||
			!TRIGGER_TYPE_MATCHES(t->tgtype, TRIGGER_TYPE_ROW,
								  TRIGGER_TYPE_AFTER, type))
			continue;
		if (SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA)
			enabled = t->tgenabled == TRIGGER_FIRES_ON_REPLICA ||
					  t->tgenabled == TRIGGER_FIRES_ALWAYS;
		else
			enabled = t->tgenabled == TRIGGER_FIRES_ON_ORIGIN ||
					  t->tgenabled == TRIGGER_FIRES_ALWAYS;
		if (enabled)
			return true;
	}
	return false;
}

/* The batch of this trigger, event and level; a new one if none. */
static ReplayBatch *
BatchFor(TriggerData *td, TriggerEvent op)
{
	int			  level = GetCurrentTransactionNestLevel();
	Oid			  tgoid = td->tg_trigger->tgoid;
	ListCell	 *lc;
	ReplayBatch	 *b;
	MemoryContext old;
	ResourceOwner owner = CurrentResourceOwner;

	if (replay_last != NULL && replay_last->tgoid == tgoid &&
		replay_last->op == op && replay_last->level == level)
		return replay_last;
	foreach (lc, replay_batches)
	{
		b = (ReplayBatch *) lfirst(lc);
		if (b->tgoid == tgoid && b->op == op && b->level == level)
			return replay_last = b;
	}
	old = MemoryContextSwitchTo(TopTransactionContext);
	b = palloc0(sizeof(ReplayBatch));
	b->relid = RelationGetRelid(td->tg_relation);
	b->tgoid = tgoid;
	b->fn = ReplayTarget(td);
	b->trigger = *td->tg_trigger;
	b->trigger.tgname = pstrdup(td->tg_trigger->tgname);
	b->op = op;
	b->level = level;
	/* A tuplestore spills into a file of the resource owner current when it
	 * began: the transaction's, so that it outlives a subtransaction. */
	CurrentResourceOwner = TopTransactionResourceOwner;
	if (!TRIGGER_FIRED_BY_INSERT(op))
		b->old_rows = tuplestore_begin_heap(false, false, work_mem);
	if (!TRIGGER_FIRED_BY_DELETE(op))
		b->new_rows = tuplestore_begin_heap(false, false, work_mem);
	CurrentResourceOwner = owner;
	replay_batches = lappend(replay_batches, b);
	MemoryContextSwitchTo(old);
	return replay_last = b;
}

static Tuplestorestate *
OneRow(HeapTuple tuple)
{
	Tuplestorestate *ts = tuplestore_begin_heap(false, false, work_mem);

	tuplestore_puttuple(ts, tuple);
	return ts;
}

/*
 * AFTER INSERT, UPDATE or DELETE FOR EACH ROW, ENABLE REPLICA on the
 * province, naming a statement trigger function of the extension.  When the
 * table has federation_replay_flush (the set-up creates both), the applied
 * row joins the transaction's batch, and the statement function runs once
 * per batch when the transaction commits.  Without it (triggers made by an
 * earlier set-up), the row goes through the statement function at once, as
 * a statement of one row.  Either way the statement function sees only its
 * transition tables new_rows and old_rows, so it derives what the city's
 * statement derived for those rows, and also what only the province can see
 * (another city's persons and records): one rule in one place.
 */
Datum
federation_replay(PG_FUNCTION_ARGS)
{
	TriggerData		*td = FederationTrigger(fcinfo, "federation_replay");
	TriggerEvent	 op = td->tg_event & TRIGGER_EVENT_OPMASK;
	Tuplestorestate *old_rows = NULL;
	Tuplestorestate *new_rows = NULL;

	if (!TRIGGER_FIRED_AFTER(td->tg_event) ||
		RelationGetNamespace(td->tg_relation) != QuarantineNamespace())
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("federation_replay: must be fired after, on a table "
						"of schema quarantine")));
	if (!TRIGGER_FIRED_BY_INSERT(op) && !TRIGGER_FIRED_BY_UPDATE(op) &&
		!TRIGGER_FIRED_BY_DELETE(op))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("federation_replay: must be fired for INSERT, "
							   "UPDATE or DELETE")));

	if (!replay_callbacks)
	{
		RegisterXactCallback(ReplayXactCallback, NULL);
		RegisterSubXactCallback(ReplaySubXactCallback, NULL);
		replay_callbacks = true;
	}
	/* Once per transaction: the flush function (an upgrade may renew it). */
	if (replay_batches == NIL)
		replay_flush_fn =
			LookupFuncName(list_make2(makeString("quarantine"),
									  makeString("federation_replay_flush")),
						   0, NULL, true);

	if (FlushWillFire(td->tg_relation, op))
	{
		ReplayBatch *b = BatchFor(td, op);

		if (b->old_rows)
			tuplestore_puttuple(b->old_rows, td->tg_trigtuple);
		if (b->new_rows)
			tuplestore_puttuple(b->new_rows, TRIGGER_FIRED_BY_UPDATE(op)
												 ? td->tg_newtuple
												 : td->tg_trigtuple);
		return PointerGetDatum(NULL);
	}

	/* No flush on this table: the row as a statement of its own, now. */
	if (TRIGGER_FIRED_BY_INSERT(op))
		new_rows = OneRow(td->tg_trigtuple);
	else if (TRIGGER_FIRED_BY_UPDATE(op))
	{
		old_rows = OneRow(td->tg_trigtuple);
		new_rows = OneRow(td->tg_newtuple);
	}
	else
		old_rows = OneRow(td->tg_trigtuple);
	CallAsStatement(ReplayTarget(td), td->tg_relation, td->tg_trigger, op,
					old_rows, new_rows);
	if (new_rows)
		tuplestore_end(new_rows);
	if (old_rows)
		tuplestore_end(old_rows);
	return PointerGetDatum(NULL);
}

/* Append the rows of src (rows of rel) to dst. */
static void
BatchAppend(Tuplestorestate *dst, Tuplestorestate *src, Relation rel)
{
	TupleTableSlot *slot;

	if (src == NULL)
		return;
	slot =
		MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsMinimalTuple);
	while (tuplestore_gettupleslot(src, true, false, slot))
		tuplestore_puttupleslot(dst, slot);
	ExecDropSingleTupleTableSlot(slot);
}

/*
 * AFTER INSERT, UPDATE or DELETE FOR EACH ROW, DEFERRABLE INITIALLY
 * DEFERRED, ENABLE REPLICA on the province (a constraint trigger): when the
 * applied transaction commits, derive what its rows' batches call for: one
 * call of each replay trigger's statement function over the rows of all its
 * batches (one a subtransaction level; a streamed transaction applied in
 * parallel has several), in the order the first of them began.  The first
 * call of a transaction does the work; the others find nothing queued.
 */
Datum
federation_replay_flush(PG_FUNCTION_ARGS)
{
	TriggerData *td = FederationTrigger(fcinfo, "federation_replay_flush");

	if (!TRIGGER_FIRED_AFTER(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("federation_replay_flush: must be fired after")));
	/* A derivation that queues more (it does not today) is run too. */
	while (replay_batches != NIL)
	{
		List	 *batches = replay_batches;
		ListCell *lc;
		ListCell *later;

		ReplayForget();
		foreach (lc, batches)
		{
			ReplayBatch *b = (ReplayBatch *) lfirst(lc);
			Relation	 rel;

			if (b->old_rows == NULL && b->new_rows == NULL)
				continue; /* joined to an earlier batch */
			rel = table_open(b->relid, AccessShareLock);
			for_each_cell(later, batches, lnext(batches, lc))
			{
				ReplayBatch *o = (ReplayBatch *) lfirst(later);

				if (o->tgoid != b->tgoid || o->op != b->op)
					continue;
				BatchAppend(b->old_rows, o->old_rows, rel);
				BatchAppend(b->new_rows, o->new_rows, rel);
				BatchEnd(o);
			}
			CallAsStatement(b->fn, rel, &b->trigger, b->op, b->old_rows,
							b->new_rows);
			table_close(rel, AccessShareLock);
			BatchEnd(b);
		}
	}
	return PointerGetDatum(NULL);
}

/* ---------- person_identity across cities ---------- */

enum
{
	FP_PERSON_ID,
	FP_DOC_KIND,
	FP_DOC_NO,
	FP_IDENTITY_SCOPE
};
static const char *const fed_person_columns[] = {
	"person_id", "doc_kind", "doc_no", "identity_scope", NULL};
static ColumnMap  fed_person_map = {.names = fed_person_columns};
static IndexProbe fed_identity_probe = {.indexname = "person_identity"};

typedef struct HolderHit
{
	int64 self;
	int64 holder;
} HolderHit;

static bool
HolderVisitor(TupleTableSlot *slot, void *arg)
{
	HolderHit *hit = (HolderHit *) arg;
	bool	   isnull;
	int64	   id = DatumGetInt64(
			 SlotValue(slot, fed_person_map.attnum[FP_PERSON_ID], &isnull));

	if (id == hit->self)
		return true;
	hit->holder = id;
	return false;
}

/*
 * The other person holding the document, 0 if none.  The index probe of
 * records.c sees committed rows (and our own); two cities' apply workers
 * bringing one document at once would both find it free, and the second
 * would then fail on the unique index and stop.  So when no committed holder
 * is found, the index is read again with a dirty snapshot, as PostgreSQL's
 * own unique check does: a row whose writer is still in progress makes us
 * wait for that transaction and look again, and then we see its row
 * (specs/federation_rescope.spec).  No lock is kept per document: an apply
 * transaction, or the initial COPY, may bring millions of persons.
 */
static int64
DocumentHolder(int64 self, Datum kind, Datum doc_no, Datum scope)
{
	HolderHit		hit = {self, 0};
	Datum			keys[3] = {kind, doc_no, scope};
	ScanKeyData		skey[3];
	SnapshotData	dirty;
	Relation		heap;
	Relation		index;
	IndexScanDesc	scan;
	TupleTableSlot *slot;
	TransactionId	xwait;

	ProbeIndex(&fed_identity_probe, 3, keys, HolderVisitor, &hit);
	if (hit.holder != 0)
		return hit.holder;

	heap = table_open(fed_identity_probe.heapoid, AccessShareLock);
	index = index_open(fed_identity_probe.indexoid, AccessShareLock);
	for (int i = 0; i < 3; i++)
		ScanKeyEntryInitialize(&skey[i], 0, i + 1, BTEqualStrategyNumber,
							   InvalidOid, fed_identity_probe.collation[i],
							   fed_identity_probe.eqproc[i], keys[i]);
	slot = table_slot_create(heap, NULL);
	InitDirtySnapshot(dirty);
	scan = index_beginscan(heap, index, &dirty, 3, 0);
	for (;;)
	{
		xwait = InvalidTransactionId;
		index_rescan(scan, skey, 3, NULL, 0);
		while (index_getnext_slot(scan, ForwardScanDirection, slot))
		{
			if (!HolderVisitor(slot, &hit))
			{
				xwait =
					TransactionIdIsValid(dirty.xmin) ? dirty.xmin : dirty.xmax;
				break;
			}
		}
		if (!TransactionIdIsValid(xwait))
			break;
		/* In progress: wait for its writer, then look again. */
		hit.holder = 0;
		XactLockTableWait(xwait, heap, &slot->tts_tid, XLTW_InsertIndex);
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);
	return hit.holder;
}

/*
 * BEFORE INSERT OR UPDATE FOR EACH ROW on person, ENABLE REPLICA on the
 * province.  Two cities may each register the same document (a traveller
 * transferred, or registered twice): each city's row is right in its city,
 * but on the province person_identity's unique index would refuse the
 * second, and a unique violation stops the apply worker for good.  So the
 * second row is kept under identity_scope '<scope>@<node>' (node: the
 * city's key range) and the pair goes to duplicate_candidate with reason
 * same_document, for review: nothing lost, nothing merged silently.
 */
Datum
federation_person_rescope(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "federation_person_rescope", "person", true);
	Relation  rel = td->tg_relation;
	TupleDesc desc = RelationGetDescr(rel);
	HeapTuple row = TriggerRow(td);
	bool	  isnull[4];
	Datum	  v[4];
	int64	  self;
	int64	  holder;
	char	 *scope;
	int		  col;
	bool	  nonull = false;

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(TriggerRow(td));
	ColumnMapFor(&fed_person_map, rel);
	for (int i = 0; i < 4; i++)
		v[i] = heap_getattr(row, fed_person_map.attnum[i], desc, &isnull[i]);
	if (isnull[FP_PERSON_ID] || isnull[FP_DOC_KIND] || isnull[FP_DOC_NO] ||
		isnull[FP_IDENTITY_SCOPE])
		return PointerGetDatum(row); /* NOT NULL constraints report it */
	self = DatumGetInt64(v[FP_PERSON_ID]);
	holder = DocumentHolder(self, v[FP_DOC_KIND], v[FP_DOC_NO],
							v[FP_IDENTITY_SCOPE]);
	if (holder == 0)
		return PointerGetDatum(row);

	scope =
		psprintf("%s@" INT64_FORMAT, TextDatumGetCString(v[FP_IDENTITY_SCOPE]),
				 self / FEDERATION_NODE_SPAN);
	{
		QueryContext qc;
		Oid			 types[2] = {INT8OID, INT8OID};
		Datum		 args[2] = {Int64GetDatum(Max(self, holder)),
								Int64GetDatum(Min(self, holder))};
		int			 rc;

		QuerySpiConnect(&qc, OWNER_FEDERATION_RESCOPE);
		rc = SPI_execute_with_args(
			"INSERT INTO quarantine.duplicate_candidate "
			"(person_id, other_id, score, reason) "
			"VALUES ($1, $2, 1, 'same_document') "
			"ON CONFLICT (person_id, other_id) DO NOTHING",
			2, types, args, NULL, false, 0);
		if (rc != SPI_OK_INSERT)
			elog(ERROR, "federation_person_rescope: insert failed: %s",
				 SPI_result_code_string(rc));
		QuerySpiFinish(&qc);
	}
	col = fed_person_map.attnum[FP_IDENTITY_SCOPE];
	v[0] = CStringGetTextDatum(scope);
	row = heap_modify_tuple_by_cols(row, desc, 1, &col, &v[0], &nonull);
	return PointerGetDatum(row);
}

/* ---------- task outcomes, city to province ---------- */

enum
{
	FT_TASK_ID,
	FT_DONE_AT,
	FT_OUTCOME
};
static const char *const fed_task_columns[] = {"task_id", "done_at", "outcome",
											   NULL};
static ColumnMap		 fed_task_map = {.names = fed_task_columns};
static ColumnMap		 fed_outcome_map = {.names = fed_task_columns};

/*
 * Run sql with $1 task_id, $2 done_at, $3 outcome of row and $4 the caller,
 * as the owner (task_outcome is written by the extension only).
 */
static void
ExecuteForTask(OwnerEntry entry, const char *sql, int expected, Relation rel,
			   ColumnMap *map, HeapTuple row)
{
	TupleDesc	 desc = RelationGetDescr(rel);
	QueryContext qc;
	Oid			 types[4] = {INT8OID, TIMESTAMPTZOID, TEXTOID, TEXTOID};
	Datum		 args[4];
	char		 nulls[4] = {' ', ' ', ' ', ' '};
	int			 rc;

	ColumnMapFor(map, rel);
	for (int i = 0; i < 3; i++)
	{
		bool isnull;

		args[i] = heap_getattr(row, map->attnum[i], desc, &isnull);
		nulls[i] = isnull ? 'n' : ' ';
	}
	QuerySpiConnect(&qc, entry);
	args[3] = CStringGetTextDatum(QueryCallerName(&qc));
	rc = SPI_execute_with_args(sql, 4, types, args, nulls, false, 0);
	if (rc != expected)
		elog(ERROR, "federation task outcome: query failed: %s",
			 SPI_result_code_string(rc));
	QuerySpiFinish(&qc);
}

/*
 * AFTER UPDATE OF done_at, outcome FOR EACH ROW on task, on a city (fires
 * for local writes only): the outcome goes to task_outcome, which the city
 * publishes.  Not task itself: the province publishes task to the city, and
 * PostgreSQL 15 cannot keep a subscription from sending back the rows it
 * applied (no origin = none before 16), so each direction has its own table.
 */
Datum
federation_task_outcome_record(PG_FUNCTION_ARGS)
{
	TriggerData *td = RowTriggerData(fcinfo, "federation_task_outcome_record",
									 "task", false);

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(NULL);
	if (!TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		return PointerGetDatum(NULL);
	ExecuteForTask(
		OWNER_FEDERATION_OUTCOME_RECORD,
		"INSERT INTO quarantine.task_outcome AS o "
		"(task_id, done_at, outcome, reported_by) "
		"VALUES ($1, $2, $3, $4) ON CONFLICT (task_id) DO UPDATE "
		"SET done_at = excluded.done_at, outcome = excluded.outcome, "
		"reported_at = pg_catalog.now(), reported_by = excluded.reported_by "
		"WHERE (o.done_at, o.outcome) IS DISTINCT FROM "
		"(excluded.done_at, excluded.outcome)",
		SPI_OK_INSERT, td->tg_relation, &fed_task_map, td->tg_newtuple);
	return PointerGetDatum(NULL);
}

/*
 * AFTER INSERT OR UPDATE FOR EACH ROW on task_outcome, ENABLE REPLICA on the
 * province: a city's outcome closes the province's task.  The province
 * publishes task INSERTs only, so this UPDATE does not travel back.
 */
Datum
federation_task_outcome_apply(PG_FUNCTION_ARGS)
{
	TriggerData *td = RowTriggerData(fcinfo, "federation_task_outcome_apply",
									 "task_outcome", false);

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(NULL);
	ExecuteForTask(OWNER_FEDERATION_OUTCOME_APPLY,
				   "UPDATE quarantine.task SET done_at = $2, outcome = $3 "
				   "WHERE task_id OPERATOR(pg_catalog.=) $1",
				   SPI_OK_UPDATE, td->tg_relation, &fed_outcome_map,
				   TriggerRow(td));
	return PointerGetDatum(NULL);
}

/* ---------- where a task goes ---------- */

enum
{
	FA_PERSON_ID,
	FA_JURISDICTION
};
static const char *const fed_address_columns[] = {"person_id", "jurisdiction",
												  NULL};
static ColumnMap		 fed_address_map = {.names = fed_address_columns};

/*
 * BEFORE INSERT FOR EACH ROW on task, on the province (its own writes): a
 * task issued without a jurisdiction goes to its person's, so that the
 * city's publication, filtered on task.jurisdiction, carries it.  A task
 * with neither stays on the province.
 */
Datum
federation_task_address(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "federation_task_address", "task", true);
	Relation	 rel = td->tg_relation;
	TupleDesc	 desc = RelationGetDescr(rel);
	HeapTuple	 row = TriggerRow(td);
	bool		 no_person;
	bool		 no_jurisdiction;
	Datum		 person;
	QueryContext qc;
	Oid			 types[1] = {INT8OID};
	int			 rc;

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(TriggerRow(td));
	ColumnMapFor(&fed_address_map, rel);
	person = heap_getattr(row, fed_address_map.attnum[FA_PERSON_ID], desc,
						  &no_person);
	(void) heap_getattr(row, fed_address_map.attnum[FA_JURISDICTION], desc,
						&no_jurisdiction);
	if (no_person || !no_jurisdiction ||
		!TRIGGER_FIRED_BY_INSERT(td->tg_event))
		return PointerGetDatum(row);

	QuerySpiConnect(&qc, OWNER_FEDERATION_TASK_ADDRESS);
	rc = SPI_execute_with_args("SELECT jurisdiction FROM quarantine.person "
							   "WHERE person_id OPERATOR(pg_catalog.=) $1",
							   1, types, &person, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "federation_task_address: query failed: %s",
			 SPI_result_code_string(rc));
	if (SPI_processed == 1)
	{
		bool  isnull;
		Datum j = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
								1, &isnull);

		if (!isnull)
		{
			int	 col = fed_address_map.attnum[FA_JURISDICTION];
			bool nonull = false;

			j = SPI_datumTransfer(j, false, -1);
			QuerySpiFinish(&qc);
			row = heap_modify_tuple_by_cols(row, desc, 1, &col, &j, &nonull);
			return PointerGetDatum(row);
		}
	}
	QuerySpiFinish(&qc);
	return PointerGetDatum(row);
}
