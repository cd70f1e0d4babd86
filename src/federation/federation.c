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
 *		colour feed) are replayed here: each applied row goes through the
 *		same statement trigger function as a one-row statement.
 */
#include "records/records.h"

#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/pg_type.h"
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
#include "utils/snapmgr.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(federation_replay);
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

static Tuplestorestate *
OneRow(HeapTuple tuple)
{
	Tuplestorestate *ts = tuplestore_begin_heap(false, false, work_mem);

	tuplestore_puttuple(ts, tuple);
	return ts;
}

/*
 * AFTER INSERT, UPDATE or DELETE FOR EACH ROW, ENABLE REPLICA on the
 * province: call the statement trigger function named by the argument as if
 * the applied row had been a statement of one row, with transition tables
 * new_rows and old_rows.  The statement functions are set-based and look
 * only at their transition tables, so a one-row statement derives exactly
 * what the city's statement derived for that row, and also what only the
 * province can see (another city's persons and records).
 */
Datum
federation_replay(PG_FUNCTION_ARGS)
{
	TriggerData *td = FederationTrigger(fcinfo, "federation_replay");
	Trigger		 as_statement;
	TriggerData	 std;
	FmgrInfo	 flinfo;
	Oid			 fn;

	LOCAL_FCINFO(call, 0);

	if (!TRIGGER_FIRED_AFTER(td->tg_event) ||
		RelationGetNamespace(td->tg_relation) != QuarantineNamespace())
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("federation_replay: must be fired after, on a table "
						"of schema quarantine")));
	fn = ReplayTarget(td);

	memset(&std, 0, sizeof(std));
	std.type = T_TriggerData;
	std.tg_event = td->tg_event & TRIGGER_EVENT_OPMASK; /* AFTER STATEMENT */
	std.tg_relation = td->tg_relation;
	as_statement = *td->tg_trigger;
	as_statement.tgoldtable = NULL;
	as_statement.tgnewtable = NULL;
	as_statement.tgnargs = 0;
	as_statement.tgargs = NULL;
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		std.tg_newtable = OneRow(td->tg_trigtuple);
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		std.tg_oldtable = OneRow(td->tg_trigtuple);
		std.tg_newtable = OneRow(td->tg_newtuple);
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		std.tg_oldtable = OneRow(td->tg_trigtuple);
	else
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("federation_replay: must be fired for INSERT, "
							   "UPDATE or DELETE")));
	if (std.tg_newtable)
		as_statement.tgnewtable = "new_rows";
	if (std.tg_oldtable)
		as_statement.tgoldtable = "old_rows";
	std.tg_trigger = &as_statement;

	fmgr_info(fn, &flinfo);
	InitFunctionCallInfoData(*call, &flinfo, 0, InvalidOid, (Node *) &std,
							 NULL);
	FunctionCallInvoke(call);

	if (std.tg_newtable)
		tuplestore_end(std.tg_newtable);
	if (std.tg_oldtable)
		tuplestore_end(std.tg_oldtable);
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
