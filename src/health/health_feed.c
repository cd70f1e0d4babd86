/*
 * health_feed.c
 *		The feed to the health-code platform (code_assignment): appended by
 *		statement triggers when records change and by refresh_codes() when time
 *		alone moves a person to another colour (doc/health.md).
 *
 * The facts come from health_facts.c, the decision from HealthCodeDecide()
 * (health_code.c), as for code_color(). The feed holds a row only when (color,
 * reason) differs from the person's latest row; a person with no row is green
 * ("clear"), so green persons cost nothing in the feed.
 */
#include "health/health_facts.h"
#include "records/query_context.h"
#include "records/record_locks.h"

#include "access/heapam.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/sequence.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "pg_compat.h"

PG_FUNCTION_INFO_V1(code_feed_after_write);
PG_FUNCTION_INFO_V1(code_refresh);

/* The channel of the feed's notifications (doc/health.md). */
#define FEED_CHANNEL "quarantine_code"

/* ---------- appending to the feed ---------- */

enum
{
	CA_ASSIGNMENT_ID,
	CA_PERSON_ID,
	CA_COLOR,
	CA_REASON,
	CA_ASSIGNED_AT
};
static const char *const feed_columns[] = {
	"assignment_id", "person_id", "color", "reason", "assigned_at", NULL};
static ColumnMap feed_map = {.names = feed_columns};

/*
 * Append n feed rows (person, reason) assigned at at, straight into the heap
 * and the indexes of code_assignment, as COPY writes them (and as the audit
 * log does, src/security/audit.c): no query to plan, no arrays to build.
 * Every value is made here (assignment_id from its identity sequence, the
 * colour from the reason), so no default, constraint or trigger of the
 * table is involved; the rows satisfy code_assignment_reason by
 * construction.  The assignment_ids given are [*first, *last].
 */
static void
InsertFeedRows(const int64 *ids, const CodeReason *reasons, int n,
			   TimestampTz at, int64 *first, int64 *last)
{
	Oid relid = get_relname_relid("code_assignment", QuarantineNamespace());
	Relation		rel;
	EState		   *estate;
	ResultRelInfo  *rri;
	TupleTableSlot *slot;
	BulkInsertState bistate;
	CommandId		cid;
	Oid				seqid;
	const int	   *att;
	Datum			color_d[REASON_COUNT];
	Datum			reason_d[REASON_COUNT];

	if (!OidIsValid(relid))
		MissingRelation("code_assignment");
	rel = table_open(relid, RowExclusiveLock);
	ColumnMapFor(&feed_map, rel);
	att = feed_map.attnum;
	if (RelationGetDescr(rel)->natts != 5)
		ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
						errmsg("table quarantine.code_assignment does not "
							   "have the extension's columns"),
						errhint("Reinstall the extension.")));
	seqid = getIdentitySequence_compat(rel, att[CA_ASSIGNMENT_ID], false);
	for (int i = 0; i < REASON_COUNT; i++)
	{
		color_d[i] = ObjectIdGetDatum(
			EnumLabelOid(QE_HEALTH_CODE, CodeReasonColor((CodeReason) i)));
		reason_d[i] = CStringGetTextDatum(CodeReasonName((CodeReason) i));
	}
	estate = CreateExecutorState();
	rri = makeNode(ResultRelInfo);
	InitResultRelInfo(rri, rel, 1, NULL, 0);
	ExecOpenIndices(rri, false);
	slot = table_slot_create(rel, NULL);
	bistate = n > 1 ? GetBulkInsertState() : NULL;
	cid = GetCurrentCommandId(true);

	for (int i = 0; i < n; i++)
	{
		int64 id = nextval_internal(seqid, false);
		List *conflicts;

		CHECK_FOR_INTERRUPTS();
		ExecClearTuple(slot);
		memset(slot->tts_isnull, false, sizeof(bool) * 5);
		slot->tts_values[att[CA_ASSIGNMENT_ID] - 1] = Int64GetDatum(id);
		slot->tts_values[att[CA_PERSON_ID] - 1] = Int64GetDatum(ids[i]);
		slot->tts_values[att[CA_COLOR] - 1] = color_d[reasons[i]];
		slot->tts_values[att[CA_REASON] - 1] = reason_d[reasons[i]];
		slot->tts_values[att[CA_ASSIGNED_AT] - 1] = TimestampTzGetDatum(at);
		ExecStoreVirtualTuple(slot);
		table_tuple_insert(rel, slot, cid, 0, bistate);
		conflicts = ExecInsertIndexTuples_compat(rri, slot, estate, false,
												 false, NULL, NIL);
		list_free(conflicts);
		ResetPerTupleExprContext(estate);
		if (*first == 0 || id < *first)
			*first = id;
		if (id > *last)
			*last = id;
	}

	if (bistate != NULL)
	{
		FreeBulkInsertState(bistate);
		table_finish_bulk_insert(rel, 0);
	}
	ExecDropSingleTupleTableSlot(slot);
	ExecCloseIndices(rri);
	FreeExecutorState(estate);
	table_close(rel, NoLock); /* RowExclusiveLock is kept to commit */
}

/*
 * Wake the live clients (LISTEN quarantine_code): one notification per
 * statement that appended, delivered at commit.  The payload carries no
 * person's data, since any role that can connect may LISTEN: only how many
 * rows and their assignment_id range (other transactions' rows may interleave
 * in it).  Clients read code_assignment with their own rights; a consumer
 * that must miss nothing subscribes to the publication instead.
 */
static void
NotifyFeed(int rows, int64 first, int64 last)
{
	Async_Notify(FEED_CHANNEL,
				 psprintf("{\"rows\": %d, \"first_id\": " INT64_FORMAT
						  ", \"last_id\": " INT64_FORMAT "}",
						  rows, first, last));
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

	if (n == 0)
		return 0;
	n = SortUniquePersonIds(ids, n);

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
		int64 first = 0, last = 0;

		InsertFeedRows(changed_ids, changed, nchanged, at, &first, &last);
		NotifyFeed(nchanged, first, last);
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

	QuerySpiConnect(&qc, td != NULL ? OWNER_CODE_FEED_TRIGGER
									: OWNER_REFRESH_CODES);
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

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(NULL);
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

/* The persons refresh_codes recomputes (see code_refresh). */
static const char refresh_sql[] =
	"SELECT person_id FROM quarantine.code_candidates("
	"   $1 OPERATOR(pg_catalog.-) pg_catalog.make_interval(days => $2), $1) "
	"UNION ALL SELECT person_id FROM quarantine.control "
	"UNION ALL SELECT person_id FROM quarantine.staff "
	"UNION ALL SELECT l.person_id FROM ("
	"  SELECT DISTINCT ON (person_id) person_id, color "
	"    FROM quarantine.code_assignment "
	"   ORDER BY person_id, assignment_id DESC) l "
	" WHERE l.color OPERATOR(pg_catalog.<>) 'green'::quarantine.health_code";

/*
 * The same before ALTER EXTENSION ... UPDATE to 0.3.0 (no code_candidates
 * yet): recent entries and tests instead of the candidates.
 */
static const char refresh_sql_0_2[] =
	"SELECT person_id FROM quarantine.control "
	"UNION ALL SELECT person_id FROM quarantine.staff "
	"UNION ALL SELECT person_id FROM quarantine.entry "
	" WHERE entered_at OPERATOR(pg_catalog.>) ($1 OPERATOR(pg_catalog.-) "
	"pg_catalog.make_interval(days => $2)) "
	"   AND entered_at OPERATOR(pg_catalog.<=) $1 "
	"UNION ALL SELECT person_id FROM quarantine.lab_test "
	" WHERE sampled_at OPERATOR(pg_catalog.>) ($1 OPERATOR(pg_catalog.-) "
	"pg_catalog.make_interval(days => $2)) "
	"   AND sampled_at OPERATOR(pg_catalog.<=) $1 "
	"UNION ALL SELECT l.person_id FROM ("
	"  SELECT DISTINCT ON (person_id) person_id, color "
	"    FROM quarantine.code_assignment "
	"   ORDER BY person_id, assignment_id DESC) l "
	" WHERE l.color OPERATOR(pg_catalog.<>) 'green'::quarantine.health_code";

/*
 * Whether the schema has code_candidates: the library is replaced before
 * ALTER EXTENSION quarantine UPDATE adds it.
 */
static bool
HaveCodeCandidates(void)
{
	Oid args[2] = {TIMESTAMPTZOID, TIMESTAMPTZOID};

	return OidIsValid(LookupFuncName(
		list_make2(makeString("quarantine"), makeString("code_candidates")), 2,
		args, true));
}

/* Advisory lock key of refresh_codes: "qrc" + 1. */
#define REFRESH_LOCK_KEY INT64CONST(0x717263000001)

/*
 * refresh_codes(at) → bigint: the feed rows that time alone causes (phase
 * boundaries, observation windows ending, staff tests falling due), over the
 * persons whose colour can move with time (code_candidates) and those the
 * feed may be stale for: anyone with a control or a staff row, or a
 * non-green latest row.
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
	 * The feed's latest row is a person's colour now: a row dated in the
	 * future would stand as the latest until then (a what-if belongs to
	 * code_color(person, at), which writes nothing).  The clock, not the
	 * transaction start, so that refresh_codes(clock_timestamp()) works.
	 */
	if (at > GetCurrentTimestamp())
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("refresh_codes cannot append colours of the future"),
			 errdetail("at is %s; the time is %s.", timestamptz_to_str(at),
					   timestamptz_to_str(GetCurrentTimestamp())),
			 errhint("Call refresh_codes() at now(); ask code_color(person, "
					 "at) for a later instant.")));

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

	/*
	 * The persons time alone can move (code_candidates, the one candidate
	 * set color_changes_tonight reads too) over the last observation_days + 2
	 * days, so that a refresh that did not run for that long still sees every
	 * window that closed meanwhile; and, since the feed is compared with the
	 * records here, everyone it may be stale for: anyone with a control or a
	 * staff row (a restore appends no feed rows) or a non-green latest row.
	 */
	values[0] = TimestampTzGetDatum(at);
	values[1] = Int32GetDatum(quarantine_observation_days + 2);
	ids = CollectIds(HaveCodeCandidates() ? refresh_sql : refresh_sql_0_2, 2,
					 types, values, NULL, &n);
	added = AppendChanges(ids, n, at, true);
	PG_RETURN_INT64((int64) added);
}
