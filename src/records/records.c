/*
 * records.c
 *		Column maps, index probes and trigger checks shared by the triggers
 *		on the record tables (see records.h).
 */
#include "records/records.h"
#include "records/query_context.h"

#include "access/genam.h"
#include "access/itup.h"
#include "access/relation.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/fmgroids.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/rls.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "pg_compat.h"

/*
 * Maps and probes register here so one relcache callback can forget them
 * all: OIDs and attribute numbers are only trusted until the next DDL.
 */
#define MAX_REGISTERED 64

static ColumnMap  *registered_maps[MAX_REGISTERED];
static int		   n_registered_maps = 0;
static IndexProbe *registered_probes[MAX_REGISTERED];
static int		   n_registered_probes = 0;
static bool		   callback_registered = false;

static void
ForgetRelationCaches(Datum arg, Oid relid)
{
	for (int i = 0; i < n_registered_maps; i++)
		if (relid == InvalidOid || registered_maps[i]->relid == relid)
			registered_maps[i]->valid = false;
	for (int i = 0; i < n_registered_probes; i++)
		if (relid == InvalidOid || registered_probes[i]->heapoid == relid ||
			registered_probes[i]->indexoid == relid)
			registered_probes[i]->valid = false;
}

static void
EnsureCallback(void)
{
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(ForgetRelationCaches, (Datum) 0);
		callback_registered = true;
	}
}

/* Fill map->attnum for rel; error if a column the code needs is gone. */
void
ColumnMapFor(ColumnMap *map, Relation rel)
{
	TupleDesc desc = RelationGetDescr(rel);
	int		  i;

	if (map->valid && map->relid == RelationGetRelid(rel))
		return;
	/* Only the extension's own tables: their column types are the script's. */
	if (RelationGetNamespace(rel) != QuarantineNamespace())
		ereport(
			ERROR,
			(errcode(ERRCODE_WRONG_OBJECT_TYPE),
			 errmsg("relation \"%s\" is not a table of extension quarantine",
					RelationGetRelationName(rel))));
	EnsureCallback();
	if (!map->relid)
	{
		if (n_registered_maps >= MAX_REGISTERED)
			elog(ERROR, "too many column maps");
		registered_maps[n_registered_maps++] = map;
	}
	for (i = 0; map->names[i] != NULL; i++)
	{
		int attnum = InvalidAttrNumber;

		if (i >= MAX_MAPPED_COLUMNS)
			elog(ERROR, "too many mapped columns");
		for (int a = 0; a < desc->natts; a++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, a);

			if (!att->attisdropped &&
				strcmp(NameStr(att->attname), map->names[i]) == 0)
			{
				attnum = att->attnum;
				break;
			}
		}
		if (attnum == InvalidAttrNumber)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of relation \"%s\" does not exist",
							map->names[i], RelationGetRelationName(rel)),
					 errhint("The quarantine triggers need this column; "
							 "reinstall the extension.")));
		map->attnum[i] = attnum;
	}
	map->relid = RelationGetRelid(rel);
	map->valid = true;
}

void
ColumnMapForTable(ColumnMap *map, const char *relname)
{
	Relation rel;

	if (map->valid)
		return;
	rel = table_open(
		get_relname_relid(relname, get_namespace_oid("quarantine", false)),
		AccessShareLock);
	ColumnMapFor(map, rel);
	table_close(rel, AccessShareLock);
}

/*
 * A table or index of the extension is gone (DROP INDEX by a client, say):
 * a user-reachable error with its SQLSTATE, not an internal one.
 */
void
MissingRelation(const char *relname)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("relation quarantine.%s does not exist", relname),
			 errdetail("The quarantine rules read the records through it."),
			 errhint("Recreate it as the extension script defines it, or "
					 "reinstall the extension.")));
}

static void
LoadProbe(IndexProbe *probe)
{
	Oid		 nsp = get_namespace_oid("quarantine", false);
	Relation index;

	EnsureCallback();
	if (!probe->indexoid && !probe->heapoid)
	{
		if (n_registered_probes >= MAX_REGISTERED)
			elog(ERROR, "too many index probes");
		registered_probes[n_registered_probes++] = probe;
	}
	probe->locked_lxid = InvalidLocalTransactionId;
	probe->indexoid = get_relname_relid(probe->indexname, nsp);
	if (!OidIsValid(probe->indexoid))
		MissingRelation(probe->indexname);
	index = index_open(probe->indexoid, AccessShareLock);
	probe->heapoid = index->rd_index->indrelid;
	probe->nkeys = IndexRelationGetNumberOfKeyAttributes(index);
	for (int i = 0; i < probe->nkeys; i++)
	{
		Oid type = index->rd_opcintype[i];
		Oid op = get_opfamily_member(index->rd_opfamily[i], type, type,
									 BTEqualStrategyNumber);

		if (!OidIsValid(op))
			elog(ERROR, "index %s has no equality operator for column %d",
				 probe->indexname, i + 1);
		probe->eqproc[i] = get_opcode(op);
		probe->collation[i] = index->rd_indcollation[i];
	}
	index_close(index, AccessShareLock);
	probe->valid = true;
}

/*
 * The lock mode to open the probe's relations with: none when this
 * (sub)transaction took their AccessShareLock already, which it keeps to its
 * end (a subtransaction that aborted released it; its id never comes back).
 * The next row of a COPY then skips the lock manager, as it would find the
 * locks in its local table anyway.
 */
static LOCKMODE
ProbeLockMode(const IndexProbe *probe)
{
	return probe->locked_lxid == MyProcLocalTransactionId &&
				   probe->locked_subxid == GetCurrentSubTransactionId()
			   ? NoLock
			   : AccessShareLock;
}

static void
ProbeLocked(IndexProbe *probe)
{
	probe->locked_lxid = MyProcLocalTransactionId;
	probe->locked_subxid = GetCurrentSubTransactionId();
}

Oid
ProbeIndexHeap(IndexProbe *probe)
{
	if (!probe->valid)
		LoadProbe(probe);
	return probe->heapoid;
}

/* Visit the rows whose leading nkeys index columns equal keys; count them. */
int
ProbeIndexIn(IndexProbe *probe, Relation heap, int nkeys, const Datum *keys,
			 ProbeVisitor visit, void *arg)
{
	Relation		index;
	IndexScanDesc	scan;
	TupleTableSlot *slot;
	ScanKeyData		skey[INDEX_MAX_KEYS];
	int				found = 0;

	if (!probe->valid)
		LoadProbe(probe);
	Assert(nkeys <= probe->nkeys);
	if (RelationGetRelid(heap) != probe->heapoid)
		elog(ERROR, "index %s is not on relation \"%s\"", probe->indexname,
			 RelationGetRelationName(heap));

	index = index_open(probe->indexoid, ProbeLockMode(probe));
	ProbeLocked(probe); /* heap: opened by the caller, locked at least so */
	for (int i = 0; i < nkeys; i++)
		ScanKeyEntryInitialize(&skey[i], 0, i + 1, BTEqualStrategyNumber,
							   InvalidOid, probe->collation[i],
							   probe->eqproc[i], keys[i]);
	slot = table_slot_create(heap, NULL);
	/* SnapshotSelf: committed rows plus our own, including this statement's */
	scan = index_beginscan(heap, index, SnapshotSelf, nkeys, 0);
	index_rescan(scan, skey, nkeys, NULL, 0);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		found++;
		if (visit != NULL && !visit(slot, arg))
			break;
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	/*
	 * The locks stay to the end of the transaction, as the executor keeps
	 * the locks of what it reads: the next probe, the next row of a COPY,
	 * opens the relations without asking for them again.
	 */
	index_close(index, NoLock);
	return found;
}

int
ProbeIndex(IndexProbe *probe, int nkeys, const Datum *keys, ProbeVisitor visit,
		   void *arg)
{
	Relation heap;
	int		 found;

	if (!probe->valid)
		LoadProbe(probe);
	heap = table_open(probe->heapoid, ProbeLockMode(probe));
	found = ProbeIndexIn(probe, heap, nkeys, keys, visit, arg);
	table_close(heap, NoLock);
	return found;
}

void
TransitionTableStartReading(Tuplestorestate *rows)
{
	tuplestore_select_read_pointer(
		rows, tuplestore_alloc_read_pointer(rows, EXEC_FLAG_REWIND));
	tuplestore_rescan(rows);
}

bool
SlotWrittenByThisCommand(TupleTableSlot *slot)
{
	bool		  isnull;
	TransactionId xmin = DatumGetTransactionId(
		slot_getsysattr(slot, MinTransactionIdAttributeNumber, &isnull));

	if (isnull || !TransactionIdIsCurrentTransactionId(xmin))
		return false;
	return DatumGetCommandId(
			   slot_getsysattr(slot, MinCommandIdAttributeNumber, &isnull)) ==
		   GetCurrentCommandId(false);
}

/*
 * A trigger function of the extension reads the columns of the table it was
 * written for: on any other table (a lookalike a client created, with its own
 * column types) it refuses to run rather than misread the row.  tables is a
 * NULL-terminated list of the names it may fire on in schema quarantine.
 */
static void
RequireOwnTable(TriggerData *td, const char *fname, const char *const *tables)
{
	Relation rel = td->tg_relation;

	if (RelationGetNamespace(rel) == QuarantineNamespace())
		for (int i = 0; tables[i] != NULL; i++)
			if (strcmp(RelationGetRelationName(rel), tables[i]) == 0)
				return;
	ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					errmsg("%s: must be fired on table quarantine.%s, not on "
						   "\"%s\"",
						   fname, tables[0], RelationGetRelationName(rel)),
					errhint("Only the extension's own triggers may use this "
							"function.")));
}

/* ---------- index scans by person, for many persons ---------- */

/* Open an index scan on quarantine.relname by its index indexname. */
void
PersonScanOpen(PersonScan *s, const char *relname, const char *indexname,
			   Snapshot snapshot)
{
	Oid nsp = get_namespace_oid("quarantine", false);
	Oid relid = get_relname_relid(relname, nsp);
	Oid indexid = get_relname_relid(indexname, nsp);

	if (!OidIsValid(relid))
		MissingRelation(relname);
	if (!OidIsValid(indexid))
		MissingRelation(indexname);
	s->heap = table_open(relid, AccessShareLock);
	s->index = index_open(indexid, AccessShareLock);
	if (s->index->rd_index->indrelid != relid ||
		s->index->rd_opcintype[0] != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("index quarantine.%s does not lead with a bigint "
						"column of %s",
						indexname, relname),
				 errhint("Reinstall the extension: the quarantine functions "
						 "need its own indexes.")));
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

/* ---------- merged scans ---------- */

/*
 * Index entries a scan steps over, reading only the index, before it
 * descends the tree afresh to the person asked: a descent costs a few page
 * visits, a step a few comparisons.
 */
#define MERGE_SKIP_LIMIT 32

/*
 * Make m->ps, just opened (PersonScanOpen or the like), a merged scan: the
 * persons asked must then come in ascending order, each once.
 */
void
MergedScanBegin(MergedScan *m)
{
	/* the index tuple of each entry, to read person_id without the heap */
	m->ps.scan->xs_want_itup = true;
	m->started = false;
	m->done = true;
	m->fetched = false;
	m->cur = 0;
	m->want = 0;
}

/* The next index entry: its person_id into cur, or done. */
static void
MergedScanStep(MergedScan *m)
{
	MemoryContext old = MemoryContextSwitchTo(m->ps.cxt);
	IndexScanDesc scan = m->ps.scan;
	ItemPointer	  tid = index_getnext_tid(scan, ForwardScanDirection);
	bool		  isnull;

	MemoryContextSwitchTo(old);
	m->fetched = false;
	if (tid == NULL)
	{
		m->done = true;
		return;
	}
	if (scan->xs_itup == NULL)
		elog(ERROR, "index %s returned no index tuple",
			 RelationGetRelationName(m->ps.index));
	m->cur = DatumGetInt64(
		index_getattr(scan->xs_itup, 1, scan->xs_itupdesc, &isnull));
	if (isnull)
		elog(ERROR, "null person_id in index %s",
			 RelationGetRelationName(m->ps.index));
}

/* Descend to the first entry of person_id or after it. */
static void
MergedScanSeek(MergedScan *m, int64 person_id)
{
	ScanKeyData	  key;
	MemoryContext old = MemoryContextSwitchTo(m->ps.cxt);

	ScanKeyInit(&key, 1, BTGreaterEqualStrategyNumber, F_INT8GE,
				Int64GetDatum(person_id));
	index_rescan(m->ps.scan, &key, 1, NULL, 0);
	MemoryContextSwitchTo(old);
	m->started = true;
	m->done = false;
	MergedScanStep(m);
}

/* Position the scan at the rows of person_id. */
void
MergedScanStart(MergedScan *m, int64 person_id)
{
	int skipped = 0;

	if (!m->started || person_id < m->want)
	{
		m->want = person_id;
		MergedScanSeek(m, person_id);
		return;
	}
	m->want = person_id;
	while (!m->done && m->cur < person_id)
	{
		if (++skipped > MERGE_SKIP_LIMIT)
		{
			MergedScanSeek(m, person_id);
			return;
		}
		MergedScanStep(m);
	}
}

/* The next row of the person asked into m->ps.slot; false at its end. */
bool
MergedScanNext(MergedScan *m)
{
	for (;;)
	{
		MemoryContext old;
		bool		  found;

		if (m->done || m->cur != m->want)
			return false;
		/* the entry's heap row was read: a later version in its HOT chain
		 * (non-MVCC snapshots only), else the next entry */
		if (m->fetched && !m->ps.scan->xs_heap_continue)
		{
			MergedScanStep(m);
			continue;
		}
		m->fetched = true;
		old = MemoryContextSwitchTo(m->ps.cxt);
		found = index_fetch_heap(m->ps.scan, m->ps.slot);
		MemoryContextSwitchTo(old);
		if (found)
			return true;
	}
}

void
MergedScanClose(MergedScan *m)
{
	PersonScanClose(&m->ps);
}

/* Validate the calling context of a row-level trigger function. */
TriggerData *
RowTriggerData(FunctionCallInfo fcinfo, const char *fname, const char *table,
			   bool before)
{
	TriggerData		 *td;
	const char *const tables[2] = {table, NULL};

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("%s: not called by trigger manager", fname)));
	td = (TriggerData *) fcinfo->context;
	RequireOwnTable(td, fname, tables);
	if (!TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		(before ? !TRIGGER_FIRED_BEFORE(td->tg_event)
				: !TRIGGER_FIRED_AFTER(td->tg_event)))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("%s: must be fired %s, for each row", fname,
							   before ? "before" : "after")));
	if (!TRIGGER_FIRED_BY_INSERT(td->tg_event) &&
		!TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: must be fired for INSERT or UPDATE", fname)));
	return td;
}

/* Validate the calling context of an AFTER ... FOR EACH STATEMENT trigger. */
TriggerData *
StatementTriggerData(FunctionCallInfo fcinfo, const char *fname,
					 const char *const *tables)
{
	TriggerData *td;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("%s: not called by trigger manager", fname)));
	td = (TriggerData *) fcinfo->context;
	RequireOwnTable(td, fname, tables);
	if (TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		!TRIGGER_FIRED_AFTER(td->tg_event))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("%s: must be fired after, for each statement",
							   fname)));
	return td;
}

bool
RowVisibleToCaller(const char *table, const char *keycol, int64 key)
{
	Oid			 relid = get_relname_relid(table, QuarantineNamespace());
	QueryContext qc;
	Oid			 types[1] = {INT8OID};
	Datum		 values[1] = {Int64GetDatum(key)};
	bool		 visible;
	int			 rc;

	if (!OidIsValid(relid) ||
		check_enable_rls(relid, InvalidOid, true) != RLS_ENABLED)
		return true;
	QuerySpiConnect(&qc, AS_CALLER);
	rc = SPI_execute_with_args(psprintf("SELECT 1 FROM quarantine.%s WHERE %s "
										"OPERATOR(pg_catalog.=) $1",
										quote_identifier(table),
										quote_identifier(keycol)),
							   1, types, values, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "visibility check on %s failed: %s", table,
			 SPI_result_code_string(rc));
	visible = SPI_processed > 0;
	QuerySpiFinish(&qc);
	return visible;
}

void
HideIfUnseen(Problem *p, const char *table, const char *keycol, int64 key)
{
	if (p->rule == NULL || key == 0 || RowVisibleToCaller(table, keycol, key))
		return;
	p->detail =
		psprintf(_Q("The %s it concerns belongs to another district."), table);
	p->hint = pstrdup(_Q("Ask that district, or a quarantine_admin, to check "
						 "the record."));
}

void
RequireShown(bool ok, Problem *p, Relation rel, const char *table,
			 const char *keycol, int64 key)
{
	if (ok)
		return;
	HideIfUnseen(p, table, keycol, key);
	RaiseProblem(p, rel);
}

bool
PersonScope(int64 person_id, const char *jurisdiction, bool in_scope,
			Problem *p)
{
	if (in_scope)
		return true;
	if (jurisdiction == NULL && person_id == 0)
		return Flag(p, "person_scope", ERRCODE_INSUFFICIENT_PRIVILEGE,
					pstrdup(_Q("a person needs a jurisdiction of yours")),
					pstrdup(_Q("The person has no jurisdiction; row security "
							   "shows an operator only the persons of its "
							   "jurisdictions.")),
					pstrdup(_Q("Set jurisdiction to one of your districts.")));
	if (jurisdiction != NULL)
		return Flag(
			p, "person_scope", ERRCODE_INSUFFICIENT_PRIVILEGE,
			psprintf(_Q("jurisdiction %s is outside your jurisdictions"),
					 jurisdiction),
			pstrdup(_Q("An operator writes persons of its own "
					   "jurisdictions only.")),
			pstrdup(_Q("Set jurisdiction to one of your districts, or "
					   "ask that district or a quarantine_admin.")));
	return Flag(p, "person_scope", ERRCODE_INSUFFICIENT_PRIVILEGE,
				psprintf(_Q("person %lld is outside your jurisdictions"),
						 (long long) person_id),
				NULL,
				pstrdup(_Q("Ask the district that holds the person, or a "
						   "quarantine_admin.")));
}

bool
JurisdictionInCallerScope(const char *code)
{
	Oid			 person = get_relname_relid("person", QuarantineNamespace());
	QueryContext qc;
	Oid			 types[1] = {TEXTOID};
	Datum		 values[1];
	bool		 ours;
	int			 rc;

	if (!OidIsValid(person) ||
		check_enable_rls(person, InvalidOid, true) != RLS_ENABLED)
		return true;
	if (code == NULL)
		return false;
	values[0] = CStringGetTextDatum(code);
	QuerySpiConnect(&qc, AS_CALLER);
	rc = SPI_execute_with_args("SELECT 1 WHERE $1 OPERATOR(pg_catalog.=) "
							   "ANY (quarantine.scope_jurisdictions())",
							   1, types, values, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "jurisdiction scope check failed: %s",
			 SPI_result_code_string(rc));
	ours = SPI_processed > 0;
	QuerySpiFinish(&qc);
	return ours;
}

void
RequireWrittenPersonInScope(TriggerData *td)
{
	Relation   rel = td->tg_relation;
	TupleDesc  desc = RelationGetDescr(rel);
	HeapTuple  row = TriggerRow(td);
	AttrNumber col = get_attnum(RelationGetRelid(rel), "person_id");
	bool	   isnull;
	Datum	   d;

	if (col == InvalidAttrNumber || CallerIsAdmin())
		return;
	d = heap_getattr(row, col, desc, &isnull);
	if (isnull)
		return; /* NOT NULL reports it */
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		bool  old_null;
		Datum old = heap_getattr(td->tg_trigtuple, col, desc, &old_null);

		if (!old_null && DatumGetInt64(old) == DatumGetInt64(d))
			return;
	}
	RequirePersonRowInScope(DatumGetInt64(d), rel, col);
}

void
RequirePersonRowInScope(int64 person_id, Relation rel, AttrNumber column)
{
	Problem p = {0};

	if (!PersonScope(person_id, NULL,
					 RowVisibleToCaller("person", "person_id", person_id), &p))
	{
		ProblemColumn(&p, column);
		RaiseProblem(&p, rel);
	}
}

void
RequirePersonInScope(int64 person_id)
{
	Problem p = {0};

	if (!PersonScope(person_id, NULL,
					 RowVisibleToCaller("person", "person_id", person_id), &p))
	{
		Relation rel =
			relation_open(get_relname_relid("person", QuarantineNamespace()),
						  AccessShareLock);

		RaiseProblem(&p, rel);
	}
}

bool
CallerIsAdmin(void)
{
	Oid admin = get_role_oid("quarantine_admin", true);

	return superuser() ||
		   (OidIsValid(admin) && has_privs_of_role(GetUserId(), admin));
}

bool
SiteInCallerScope(int64 site_id)
{
	Oid			 person = get_relname_relid("person", QuarantineNamespace());
	QueryContext qc;
	Oid			 types[1] = {INT8OID};
	Datum		 values[1] = {Int64GetDatum(site_id)};
	bool		 ours;
	int			 rc;

	/* A role row security does not apply to works on every site. */
	if (!OidIsValid(person) ||
		check_enable_rls(person, InvalidOid, true) != RLS_ENABLED)
		return true;
	QuerySpiConnect(&qc, false);
	rc = SPI_execute_with_args("SELECT 1 FROM quarantine.site s "
							   " WHERE s.site_id OPERATOR(pg_catalog.=) $1 "
							   "   AND s.jurisdiction OPERATOR(pg_catalog.=) "
							   "       ANY (quarantine.scope_jurisdictions())",
							   1, types, values, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "site scope check failed: %s", SPI_result_code_string(rc));
	ours = SPI_processed > 0;
	QuerySpiFinish(&qc);
	return ours;
}

/*
 * The local date of the transaction start, as CURRENT_DATE is for TimeZone.
 * Remembered for the transaction and zone, as the triggers ask for it on
 * every row.
 */
DateADT
LocalToday(void)
{
	static TimestampTz at = DT_NOBEGIN;
	static char		   zone[TZ_STRLEN_MAX + 1];
	static DateADT	   today;
	TimestampTz		   now = GetCurrentTransactionStartTimestamp();
	const char		  *tz = quarantine_timezone ? quarantine_timezone : "";

	if (now != at || strcmp(zone, tz) != 0)
	{
		today = LocalDateOf(now); /* may fail: then nothing is remembered */
		strlcpy(zone, tz, sizeof(zone));
		at = now;
	}
	return today;
}

/*
 * One set-based statement over the trigger's transition tables, run as the
 * extension owner: these statements write the log tables, which no client may
 * write (doc/security.md). $1 is the caller's role name, for by_role columns;
 * the caller's arguments follow as $2...
 */
void
ExecuteWithTransitionTables(OwnerEntry entry, TriggerData *td, const char *sql,
							int nargs, Oid *argtypes, Datum *values,
							const char *nulls)
{
	QueryContext qc;
	Oid			 types[8];
	Datum		 vals[8];
	char		 ns[8];
	int			 rc;

	if (nargs + 1 > (int) lengthof(types))
		elog(ERROR, "too many arguments for a trigger statement");
	QuerySpiConnect(&qc, entry);
	types[0] = TEXTOID;
	vals[0] = CStringGetTextDatum(QueryCallerName(&qc));
	ns[0] = ' ';
	for (int i = 0; i < nargs; i++)
	{
		types[i + 1] = argtypes[i];
		vals[i + 1] = values[i];
		ns[i + 1] = nulls ? nulls[i] : ' ';
	}
	if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "SPI_register_trigger_data failed");
	rc = SPI_execute_with_args(sql, nargs + 1, types, vals, ns, false, 0);
	if (rc < 0)
		elog(ERROR, "SPI_execute_with_args failed: %s",
			 SPI_result_code_string(rc));
	QuerySpiFinish(&qc);
}
