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

#include "access/relation.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
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

PG_FUNCTION_INFO_V1(code_feed_after_write);
PG_FUNCTION_INFO_V1(code_refresh);

/* The channel of the feed's notifications (doc/health.md). */
#define FEED_CHANNEL "quarantine_code"

/* Rows inserted into the feed per statement. */
#define FEED_CHUNK 50000

/* ---------- appending to the feed ---------- */

/*
 * Insert n feed rows (person, reason) assigned at at; SPI is connected.
 * Widens [*first, *last] to the assignment_ids given.
 */
static void
InsertFeedRows(const int64 *ids, const CodeReason *reasons, int n,
			   TimestampTz at, int64 *first, int64 *last)
{
	bool   isnull;
	int64  lo, hi;
	Datum *id_d = palloc(sizeof(Datum) * n);
	Datum *color_d = palloc(sizeof(Datum) * n);
	Datum *reason_d = palloc(sizeof(Datum) * n);
	Oid types[4] = {INT8ARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TIMESTAMPTZOID};
	Datum	   values[4];
	int		   rc;
	SPIPlanPtr plan;

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
	/*
	 * A generic plan: a one-shot plan would fold the arrays into constants
	 * and copy them while planning.  unnest() in the select list runs in step
	 * without materialising the arrays, as a FROM clause would.  The id range
	 * of the rows added goes into the NOTIFY payload.
	 */
	plan = SPI_prepare_cursor(
		"WITH ins AS ("
		" INSERT INTO quarantine.code_assignment "
		"   (person_id, color, reason, assigned_at) "
		" SELECT pg_catalog.unnest($1), "
		"        pg_catalog.unnest($2)::quarantine.health_code, "
		"        pg_catalog.unnest($3), $4 "
		" RETURNING assignment_id) "
		"SELECT pg_catalog.min(assignment_id), pg_catalog.max(assignment_id) "
		"  FROM ins",
		4, types, CURSOR_OPT_GENERIC_PLAN);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s",
			 SPI_result_code_string(SPI_result));
	rc = SPI_execute_plan(plan, values, NULL, false, 0);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "inserting into code_assignment failed: %s",
			 SPI_result_code_string(rc));
	lo = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
									 SPI_tuptable->tupdesc, 1, &isnull));
	hi = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
									 SPI_tuptable->tupdesc, 2, &isnull));
	SPI_freeplan(plan);
	if (*first == 0 || lo < *first)
		*first = lo;
	if (hi > *last)
		*last = hi;
	pfree(id_d);
	pfree(color_d);
	pfree(reason_d);
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
		QueryContext qc;
		int64		 first = 0, last = 0;

		QuerySpiConnect(&qc, time_only ? OWNER_REFRESH_CODES
									   : OWNER_CODE_FEED_TRIGGER);
		for (int i = 0; i < nchanged; i += FEED_CHUNK)
			InsertFeedRows(changed_ids + i, changed + i,
						   Min(FEED_CHUNK, nchanged - i), at, &first, &last);
		QuerySpiFinish(&qc);
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
